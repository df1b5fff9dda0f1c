//! The practice setup: quick buttons, deck / category / tag / form pickers and the count of
//! matching cards.

use egui::{RichText, Ui};

use crate::ui::commands::Command;
use crate::ui::home::FORM_LABELS;
use crate::ui::notice::Notice;
use crate::ui::theme::{Palette, size};
use crate::ui::widgets;
use flashdrill_core::practice::{FilterCounts, PracticeFilter, PracticeForm};

/// How many cards a card-by-card practice takes ("All" is `None`).
pub const CARD_LIMITS: [Option<usize>; 4] = [None, Some(10), Some(20), Some(50)];
/// How many questions a timeline or matching round can have.
pub const ROUND_SIZES: [usize; 3] = [3, 5, 10];

/// The forms offered, with their labels: the study forms, then the two round forms.
#[must_use]
pub fn form_labels() -> Vec<(PracticeForm, &'static str)> {
    FORM_LABELS
        .iter()
        .map(|(f, l)| (PracticeForm::Cards(*f), *l))
        .chain([
            (PracticeForm::Timeline, "Timeline"),
            (PracticeForm::Matching, "Matching"),
        ])
        .collect()
}

/// A quick-start button: its label, its filter, and why it is disabled when nothing matches.
#[derive(Debug, Clone)]
pub struct Quick {
    pub label: &'static str,
    pub filter: PracticeFilter,
    pub when_empty: &'static str,
}

/// The four quick-start buttons.
#[must_use]
pub fn quick_buttons() -> [Quick; 4] {
    [
        Quick {
            label: "Practice all actors",
            filter: PracticeFilter::by_category("actor"),
            when_empty: "No deck has actor cards",
        },
        Quick {
            label: "Practice all dates",
            filter: PracticeFilter::by_category("date"),
            when_empty: "No deck has date cards",
        },
        Quick {
            label: "Practice my leeches",
            filter: PracticeFilter::leeches(),
            when_empty: "No leeches: a card becomes one when it is forgotten again and again",
        },
        Quick {
            label: "Practice cards I missed today",
            filter: PracticeFilter::missed_today(),
            when_empty: "You have not missed any card today",
        },
    ]
}

/// What the practice screen needs from the app.
pub struct PracticeView<'a> {
    /// Deck id and title.
    pub decks: &'a [(String, String)],
    /// Categories as written in decks.
    pub categories: &'a [String],
    pub tags: &'a [String],
    /// Counts the cards a filter gives (pure; the app closes over the decks and progress).
    pub counts: &'a dyn Fn(&PracticeFilter) -> FilterCounts,
    /// A message from the last start, with whether it is an error.
    pub notice: Option<&'a Notice>,
}

/// What the learner asked for on the practice screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PracticeAction {
    /// Start practising: card by card on the study screen, or a round of `questions`
    /// timeline or matching questions.
    Start {
        filter: PracticeFilter,
        form: PracticeForm,
        questions: usize,
    },
    /// Back to the decks.
    Home,
}

/// The practice screen's own state: what is picked.
#[derive(Debug, Clone)]
pub struct PracticeState {
    pub deck: Option<String>,
    pub category: Option<String>,
    pub tag: Option<String>,
    pub form: PracticeForm,
    /// Card-by-card forms: how many cards (`None`: all).
    pub limit: Option<usize>,
    /// Round forms: how many questions.
    pub questions: usize,
}

impl Default for PracticeState {
    fn default() -> Self {
        Self {
            deck: None,
            category: None,
            tag: None,
            form: PracticeForm::default(),
            limit: None,
            questions: ROUND_SIZES[1],
        }
    }
}

/// "Actors" for "actor", "Places" for "place".
fn category_label(category: &str) -> String {
    flashdrill_core::deck::Category::parse(category).label()
}

fn form_label(form: PracticeForm) -> &'static str {
    form_labels()
        .into_iter()
        .find(|(f, _)| *f == form)
        .map_or("Mixed", |(_, l)| l)
}

fn limit_label(limit: Option<usize>) -> String {
    limit.map_or_else(|| "All".to_owned(), |n| n.to_string())
}

/// Why a form cannot start with these counts, if it cannot.
fn shortfall(form: PracticeForm, counts: FilterCounts) -> Option<String> {
    if counts.usable(form) >= form.needs() {
        return None;
    }
    Some(match form {
        PracticeForm::Cards(_) => "No card matches".to_owned(),
        PracticeForm::Timeline => format!(
            "A timeline needs at least {} dated cards; {} match",
            form.needs(),
            counts.dated
        ),
        PracticeForm::Matching => format!(
            "Matching needs at least {} cards with a role; {} match",
            form.needs(),
            counts.with_role
        ),
    })
}

impl PracticeState {
    /// The filter picked with the deck, category and tag pickers.
    #[must_use]
    pub fn filter(&self) -> PracticeFilter {
        PracticeFilter {
            deck: self.deck.clone(),
            category: self.category.clone(),
            tag: self.tag.clone(),
            limit: if self.form.is_round() {
                None
            } else {
                self.limit
            },
            ..PracticeFilter::default()
        }
    }

    fn start(&self, filter: PracticeFilter) -> PracticeAction {
        PracticeAction::Start {
            filter: if self.form.is_round() {
                filter
            } else {
                filter.with_limit(self.limit)
            },
            form: self.form,
            questions: self.questions,
        }
    }

    /// Applies a command from the app's table: Esc goes back to the decks.
    pub fn command(&mut self, command: Command) -> Option<PracticeAction> {
        (command == Command::Back).then_some(PracticeAction::Home)
    }

    /// Draws the setup; returns what the learner asked for.
    pub fn show(&mut self, ui: &mut Ui, view: &PracticeView<'_>) -> Option<PracticeAction> {
        let palette = Palette::of(ui.visuals());
        let mut action = None;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                widgets::centered_column(ui, 900.0, |ui| {
                    ui.add_space(6.0);
                    ui.label(
                        RichText::new("Practice")
                            .size(size::PROMPT)
                            .strong()
                            .color(palette.text),
                    );
                    ui.label(
                        RichText::new(
                            "Study any cards right now, due or not. Practice answers are \
                             logged, but your schedule stays as it is.",
                        )
                        .color(palette.muted),
                    );
                    if let Some(notice) = view.notice {
                        let colour = notice.colour(&palette);
                        ui.add_space(4.0);
                        ui.label(RichText::new(&notice.text).color(colour));
                    }
                    ui.add_space(10.0);
                    self.form_pickers(ui);
                    ui.add_space(10.0);
                    ui.heading("Quick start");
                    ui.horizontal_wrapped(|ui| {
                        for quick in quick_buttons() {
                            let counts = (view.counts)(&quick.filter);
                            let why = if counts.cards == 0 {
                                Some(quick.when_empty.to_owned())
                            } else {
                                shortfall(self.form, counts)
                            };
                            let response = ui
                                .add_enabled(
                                    why.is_none(),
                                    egui::Button::new(quick.label).min_size(egui::vec2(0.0, 36.0)),
                                )
                                .on_hover_text(format!(
                                    "{} matching cards, as {}",
                                    counts.cards,
                                    form_label(self.form)
                                ))
                                .on_disabled_hover_text(why.unwrap_or_default());
                            if response.clicked() {
                                action = Some(self.start(quick.filter.clone()));
                            }
                        }
                    });
                    ui.add_space(14.0);
                    ui.heading("Or choose");
                    self.filter_pickers(ui, view);
                    ui.add_space(8.0);
                    let filter = self.filter();
                    let counts = (view.counts)(&filter);
                    let count_text = match self.form {
                        PracticeForm::Cards(_) => format!("{} matching cards", counts.cards),
                        PracticeForm::Timeline => format!(
                            "{} matching cards, {} with a date",
                            counts.cards, counts.dated
                        ),
                        PracticeForm::Matching => format!(
                            "{} matching cards, {} with a role",
                            counts.cards, counts.with_role
                        ),
                    };
                    ui.label(RichText::new(count_text).color(palette.accent).strong());
                    ui.add_space(6.0);
                    let why = shortfall(self.form, counts);
                    let enabled = why.is_none();
                    let start = ui
                        .add_enabled_ui(enabled, |ui| {
                            widgets::primary_button(ui, "Start practice", &palette)
                        })
                        .inner
                        .on_hover_text("Practise the cards chosen above")
                        .on_disabled_hover_text(why.unwrap_or_default());
                    if start.clicked() {
                        action = Some(self.start(filter));
                    }
                });
            });
        action
    }

    fn form_pickers(&mut self, ui: &mut Ui) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Question form:");
            egui::ComboBox::from_id_salt("practice-form")
                .height(crate::ui::widgets::COMBO_HEIGHT)
                .selected_text(form_label(self.form))
                .height(400.0)
                .show_ui(ui, |ui| {
                    for (form, text) in form_labels() {
                        ui.selectable_value(&mut self.form, form, text);
                    }
                })
                .response
                .labelled_by(label.id)
                .on_hover_text(
                    "How questions are asked: card by card, a timeline to put in order, or \
                     names to match with their roles",
                );
            if self.form.is_round() {
                let label = ui.label("Questions:");
                egui::ComboBox::from_id_salt("practice-questions")
                    .height(crate::ui::widgets::COMBO_HEIGHT)
                    .selected_text(self.questions.to_string())
                    .show_ui(ui, |ui| {
                        for n in ROUND_SIZES {
                            ui.selectable_value(&mut self.questions, n, n.to_string());
                        }
                    })
                    .response
                    .labelled_by(label.id)
                    .on_hover_text("How many questions in the round");
            } else {
                let label = ui.label("How many cards:");
                egui::ComboBox::from_id_salt("practice-limit")
                    .height(crate::ui::widgets::COMBO_HEIGHT)
                    .selected_text(limit_label(self.limit))
                    .show_ui(ui, |ui| {
                        for n in CARD_LIMITS {
                            ui.selectable_value(&mut self.limit, n, limit_label(n));
                        }
                    })
                    .response
                    .labelled_by(label.id)
                    .on_hover_text("At most this many cards, picked at random");
            }
        });
    }

    fn filter_pickers(&mut self, ui: &mut Ui, view: &PracticeView<'_>) {
        // 320 points, or what a narrow window (projector zoom) leaves beside the labels.
        let width = (ui.available_width() - 110.0).clamp(160.0, 320.0);
        egui::Grid::new("practice-filter")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label("Deck:");
                let deck_text = self
                    .deck
                    .as_ref()
                    .and_then(|id| view.decks.iter().find(|(d, _)| d == id))
                    .map_or_else(|| "All decks".to_owned(), |(_, t)| t.clone());
                egui::ComboBox::from_id_salt("practice-deck")
                    .height(crate::ui::widgets::COMBO_HEIGHT)
                    .selected_text(deck_text)
                    .width(width)
                    .truncate()
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.deck, None, "All decks");
                        for (id, title) in view.decks {
                            ui.selectable_value(&mut self.deck, Some(id.clone()), title);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();

                let label = ui.label("Category:");
                let category_text = self
                    .category
                    .as_deref()
                    .map_or_else(|| "All categories".to_owned(), category_label);
                egui::ComboBox::from_id_salt("practice-category")
                    .height(crate::ui::widgets::COMBO_HEIGHT)
                    .selected_text(category_text)
                    .width(width)
                    .truncate()
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.category, None, "All categories");
                        for c in view.categories {
                            ui.selectable_value(
                                &mut self.category,
                                Some(c.clone()),
                                category_label(c),
                            );
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();

                let label = ui.label("Tag:");
                egui::ComboBox::from_id_salt("practice-tag")
                    .height(crate::ui::widgets::COMBO_HEIGHT)
                    .selected_text(self.tag.clone().unwrap_or_else(|| "Any tag".to_owned()))
                    .width(width)
                    .truncate()
                    .height(320.0)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.tag, None, "Any tag");
                        for t in view.tags {
                            ui.selectable_value(&mut self.tag, Some(t.clone()), t);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flashdrill_core::quiz::SessionForm;

    #[test]
    fn forms_are_the_study_forms_then_the_rounds() {
        let labels = form_labels();
        assert_eq!(labels.len(), FORM_LABELS.len() + 2);
        assert_eq!(
            labels[0],
            (PracticeForm::Cards(SessionForm::Mixed), "Mixed")
        );
        assert_eq!(labels[labels.len() - 2].1, "Timeline");
        assert_eq!(form_label(PracticeForm::Matching), "Matching");
    }

    #[test]
    fn the_filter_takes_the_limit_only_for_card_forms() {
        let mut s = PracticeState {
            category: Some("actor".into()),
            limit: Some(10),
            ..PracticeState::default()
        };
        assert_eq!(s.filter().limit, Some(10));
        assert_eq!(s.filter().category.as_deref(), Some("actor"));
        let PracticeAction::Start { filter, .. } = s.start(PracticeFilter::leeches()) else {
            panic!()
        };
        assert_eq!(filter.limit, Some(10));
        assert!(filter.leeches_only);
        s.form = PracticeForm::Timeline;
        assert_eq!(s.filter().limit, None);
        let PracticeAction::Start {
            filter,
            form,
            questions,
        } = s.start(PracticeFilter::leeches())
        else {
            panic!()
        };
        assert_eq!(
            (filter.limit, form, questions),
            (None, PracticeForm::Timeline, 5)
        );
    }

    #[test]
    fn shortfalls_explain_what_is_missing() {
        let counts = FilterCounts {
            cards: 5,
            dated: 2,
            with_role: 3,
        };
        assert_eq!(shortfall(PracticeForm::default(), counts), None);
        assert_eq!(shortfall(PracticeForm::Matching, counts), None);
        assert_eq!(
            shortfall(PracticeForm::Timeline, counts).as_deref(),
            Some("A timeline needs at least 3 dated cards; 2 match")
        );
        assert!(shortfall(PracticeForm::default(), FilterCounts::default()).is_some());
    }

    #[test]
    fn quick_buttons_and_labels() {
        let quick = quick_buttons();
        assert_eq!(quick[0].filter, PracticeFilter::by_category("actor"));
        assert!(quick[2].filter.leeches_only && quick[3].filter.missed_today);
        assert_eq!(category_label("actor"), "Actors");
        assert_eq!(limit_label(None), "All");
        assert_eq!(limit_label(Some(20)), "20");
    }
}
