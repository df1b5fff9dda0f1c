//! The study screen: one card at a time in one of four question forms.

use egui::{Align, Layout, RichText, Ui};

use super::commands::{self, Command};
use super::theme::{Palette, size};
use super::widgets;
use crate::deck::Card;
use crate::quiz::{self, Choices, Cloze, Form, MarkKind, Marking};
use crate::schedule::Rating;

/// What the study screen needs to show the current card. Built by the app from the session.
pub struct StudyView<'a> {
    pub card: &'a Card,
    pub deck_title: &'a str,
    pub form: Form,
    pub choices: Option<&'a Choices>,
    pub cloze: Option<&'a Cloze>,
    /// What each rating would schedule, Again to Easy ("1m", "10m", "3d", "2.1mo").
    pub intervals: [String; 4],
    /// Answers given in this session, and cards still waiting today.
    pub done: usize,
    pub left: usize,
    /// Seconds since the session started.
    pub session_secs: f64,
    /// Whether the last answer can be undone.
    pub can_undo: bool,
    /// Practice and drill answers leave the schedule alone; the buttons say so.
    pub practice: bool,
}

/// What the learner did on the study screen.
#[derive(Debug, Clone, PartialEq)]
pub enum StudyAction {
    /// Go on with this rating; the answer is committed.
    Answer {
        rating: Rating,
        answer_given: Option<String>,
        correct: Option<bool>,
        response_ms: u64,
    },
    Undo,
    Leave,
}

/// The screen's own state for the card on show.
#[derive(Debug, Clone, Default)]
pub struct StudyState {
    /// What the learner typed (typed and cloze forms).
    pub typed: String,
    pub phase: Phase,
    /// `ui.input().time` when the card was shown.
    pub shown_at: Option<f64>,
    /// Whether the answer field should take the keyboard focus this frame.
    focus_pending: bool,
}

/// Question, then answer.
#[derive(Debug, Clone, Default)]
pub enum Phase {
    #[default]
    Asking,
    Answered(Answered),
}

#[derive(Debug, Clone)]
pub struct Answered {
    /// Automatic marking (typed, cloze and multiple choice); `None` on flip cards.
    pub marking: Option<Marking>,
    /// The multiple-choice option picked.
    pub picked: Option<usize>,
    pub proposed: Rating,
    pub response_ms: u64,
}

impl StudyState {
    /// Resets for a new card.
    pub fn next_card(&mut self) {
        *self = Self {
            focus_pending: true,
            ..Self::default()
        };
    }

    fn elapsed_ms(&self, now: f64) -> u64 {
        self.shown_at
            .map_or(0, |t| ((now - t).max(0.0) * 1000.0) as u64)
    }

    fn answer_given(&self, view: &StudyView<'_>) -> Option<String> {
        match (&self.phase, view.form) {
            (_, Form::Typed | Form::Cloze) => Some(self.typed.clone()),
            (Phase::Answered(a), Form::MultipleChoice) => a
                .picked
                .and_then(|i| view.choices.and_then(|c| c.options.get(i).cloned())),
            _ => None,
        }
    }

    fn reveal(&mut self, view: &StudyView<'_>, picked: Option<usize>, now: f64) {
        let response_ms = self.elapsed_ms(now);
        let response = std::time::Duration::from_millis(response_ms);
        let (marking, proposed) = match view.form {
            Form::Flip => (None, Rating::Good),
            Form::Typed | Form::Cloze => {
                let marking = if view.form == Form::Cloze {
                    quiz::check_cloze(view.card, &self.typed)
                } else {
                    quiz::check_typed(view.card, &self.typed)
                };
                let proposed = quiz::propose_rating(
                    marking.correct,
                    response,
                    view.card.answer.chars().count(),
                );
                (Some(marking), proposed)
            }
            Form::MultipleChoice => {
                let Some(choices) = view.choices else { return };
                let Some(i) = picked else { return };
                let given = choices.options.get(i).cloned().unwrap_or_default();
                let correct = i == choices.correct_index;
                let marking = Marking {
                    correct,
                    kind: if correct {
                        MarkKind::Exact
                    } else {
                        MarkKind::Wrong
                    },
                    expected: view.card.answer.clone(),
                    matched: correct.then(|| given.clone()),
                    diff: Vec::new(),
                };
                let options_len = choices.options.iter().map(|o| o.chars().count()).sum();
                let proposed = quiz::propose_choice_rating(correct, response, options_len);
                (Some(marking), proposed)
            }
        };
        self.phase = Phase::Answered(Answered {
            marking,
            picked,
            proposed,
            response_ms,
        });
    }

    fn answer(&self, view: &StudyView<'_>, rating: Rating) -> Option<StudyAction> {
        let Phase::Answered(a) = &self.phase else {
            return None;
        };
        Some(StudyAction::Answer {
            rating,
            answer_given: self.answer_given(view),
            correct: a.marking.as_ref().map(|m| m.correct),
            response_ms: a.response_ms,
        })
    }

    /// Applies a keyboard command; returns an action for the app if one results.
    pub fn command(
        &mut self,
        view: &StudyView<'_>,
        command: Command,
        now: f64,
    ) -> Option<StudyAction> {
        match command {
            Command::Undo if view.can_undo => Some(StudyAction::Undo),
            Command::Back => Some(StudyAction::Leave),
            Command::Primary => match &self.phase {
                Phase::Asking if view.form != Form::MultipleChoice => {
                    self.reveal(view, None, now);
                    None
                }
                Phase::Asking => None,
                Phase::Answered(a) => self.answer(view, a.proposed),
            },
            Command::Pick(n) => {
                let index = usize::from(n.saturating_sub(1));
                match &self.phase {
                    Phase::Asking if view.form == Form::MultipleChoice => {
                        if view.choices.is_some_and(|c| index < c.options.len()) {
                            self.reveal(view, Some(index), now);
                        }
                        None
                    }
                    Phase::Asking => None,
                    Phase::Answered(_) => Rating::from_number(n).and_then(|r| self.answer(view, r)),
                }
            }
            _ => None,
        }
    }

    /// Draws the screen; returns what the learner asked for by clicking.
    pub fn show(&mut self, ui: &mut Ui, view: &StudyView<'_>) -> Option<StudyAction> {
        let now = ui.input(|i| i.time);
        if self.shown_at.is_none() {
            self.shown_at = Some(now);
        }
        let palette = Palette::of(ui.visuals());
        let mut action = None;

        top_bar(ui, view, &palette, &mut action);
        ui.add_space(12.0);

        widgets::centered_column(ui, 760.0, |ui| {
            widgets::card_frame(ui, &palette).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(view.card.kind().label().trim_end_matches('s').to_owned())
                            .color(palette.muted)
                            .small(),
                    );
                    ui.label(
                        RichText::new(format!("· {}", view.deck_title))
                            .color(palette.muted)
                            .small(),
                    );
                });
                ui.add_space(4.0);
                ui.label(
                    RichText::new(&view.card.prompt)
                        .size(size::PROMPT)
                        .color(palette.text)
                        .strong(),
                );
                ui.add_space(12.0);
                match self.phase.clone() {
                    Phase::Asking => self.asking(ui, view, &palette, now),
                    Phase::Answered(a) => {
                        action = action
                            .take()
                            .or_else(|| self.answered(ui, view, &a, &palette));
                    }
                }
            });
        });
        action
    }

    fn asking(&mut self, ui: &mut Ui, view: &StudyView<'_>, palette: &Palette, now: f64) {
        match view.form {
            Form::Flip => {
                let label = format!("Show answer ({})", commands::keys(Command::Primary));
                if widgets::primary_button(ui, &label, palette)
                    .on_hover_text(commands::tooltip(Command::Primary))
                    .clicked()
                {
                    self.reveal(view, None, now);
                }
            }
            Form::MultipleChoice => {
                if let Some(choices) = view.choices {
                    for (i, option) in choices.options.iter().enumerate() {
                        ui.horizontal(|ui| {
                            ui.label(
                                RichText::new(format!("{}", i + 1))
                                    .color(palette.muted)
                                    .monospace(),
                            );
                            let button =
                                egui::Button::new(RichText::new(option).size(size::BODY + 2.0))
                                    .min_size(egui::vec2(ui.available_width(), 40.0));
                            if ui
                                .add(button)
                                .on_hover_text(format!("Choose this answer (key {})", i + 1))
                                .clicked()
                            {
                                self.reveal(view, Some(i), now);
                            }
                        });
                    }
                }
            }
            Form::Typed | Form::Cloze => {
                if view.form == Form::Cloze
                    && let Some(cloze) = view.cloze
                {
                    ui.label(
                        RichText::new(format!("{} _____ {}", cloze.before, cloze.after))
                            .size(size::BODY + 2.0)
                            .italics(),
                    );
                    ui.add_space(6.0);
                }
                let label = ui.label("Your answer");
                let edit = egui::TextEdit::singleline(&mut self.typed)
                    .hint_text("Type the answer, then press Enter")
                    .desired_width(f32::INFINITY)
                    .font(egui::TextStyle::Heading);
                let response = ui.add(edit).labelled_by(label.id);
                if self.focus_pending {
                    response.request_focus();
                    self.focus_pending = false;
                }
                let submitted =
                    response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.add_space(6.0);
                let check = widgets::primary_button(ui, "Check (Enter)", palette)
                    .on_hover_text("Mark your answer (Enter)");
                if submitted || check.clicked() {
                    self.reveal(view, None, now);
                }
            }
        }
    }

    fn answered(
        &mut self,
        ui: &mut Ui,
        view: &StudyView<'_>,
        a: &Answered,
        palette: &Palette,
    ) -> Option<StudyAction> {
        if let Some(marking) = &a.marking {
            widgets::marking(ui, marking, palette);
            ui.add_space(6.0);
        }
        if let (Form::MultipleChoice, Some(choices)) = (view.form, view.choices) {
            for (i, option) in choices.options.iter().enumerate() {
                let text = if i == choices.correct_index {
                    RichText::new(format!("{option} (right answer)"))
                        .color(palette.right)
                        .strong()
                } else if Some(i) == a.picked {
                    RichText::new(format!("{option} (your choice)"))
                        .color(palette.wrong)
                        .strikethrough()
                } else {
                    RichText::new(option.as_str()).color(palette.muted)
                };
                ui.label(text);
            }
            ui.add_space(6.0);
        }
        ui.label(RichText::new("Answer").color(palette.muted).small());
        ui.label(
            RichText::new(&view.card.answer)
                .size(size::ANSWER)
                .color(palette.right)
                .strong(),
        );
        if let Some(explanation) = &view.card.explanation {
            ui.add_space(4.0);
            ui.label(explanation);
        }
        ui.add_space(8.0);
        widgets::article_quote(ui, &view.card.source, palette);
        ui.add_space(14.0);

        let mut action = None;
        ui.label(
            RichText::new(if view.practice {
                "How well did you know it? (practice: your schedule stays as it is)"
            } else {
                "How well did you know it?"
            })
            .color(palette.muted)
            .small(),
        );
        ui.columns(4, |cols| {
            for (i, rating) in Rating::ALL.into_iter().enumerate() {
                let ui = &mut cols[i];
                ui.vertical_centered_justified(|ui| {
                    ui.label(
                        RichText::new(&view.intervals[i])
                            .color(palette.muted)
                            .small(),
                    );
                    // The rating Space / Enter will give is filled with its colour.
                    let selected = rating == a.proposed;
                    let colour = palette.rating(rating);
                    let text = RichText::new(rating.label()).strong().color(if selected {
                        palette.on_fill
                    } else {
                        colour
                    });
                    let mut button = egui::Button::new(text)
                        .selected(selected)
                        .min_size(egui::vec2(0.0, 40.0));
                    if selected {
                        button = button.fill(colour);
                    }
                    let tip = format!(
                        "{} — next review in {} (key {})",
                        rating.label(),
                        view.intervals[i],
                        i + 1
                    );
                    if ui.add(button).on_hover_text(tip).clicked() {
                        action = self.answer(view, rating);
                    }
                });
            }
        });
        ui.add_space(4.0);
        ui.label(
            RichText::new(format!(
                "{} goes on with {}",
                commands::keys(Command::Primary),
                a.proposed.label()
            ))
            .color(palette.muted)
            .small(),
        );
        action
    }
}

fn top_bar(ui: &mut Ui, view: &StudyView<'_>, palette: &Palette, action: &mut Option<StudyAction>) {
    ui.horizontal(|ui| {
        if ui
            .button("Leave")
            .on_hover_text(commands::tooltip(Command::Back))
            .clicked()
        {
            *action = Some(StudyAction::Leave);
        }
        if ui
            .add_enabled(view.can_undo, egui::Button::new("Undo"))
            .on_hover_text(commands::tooltip(Command::Undo))
            .on_disabled_hover_text("Nothing to undo yet")
            .clicked()
        {
            *action = Some(StudyAction::Undo);
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            let secs = view.session_secs.max(0.0) as u64;
            ui.label(
                RichText::new(format!("{}:{:02}", secs / 60, secs % 60))
                    .color(palette.muted)
                    .small(),
            )
            .on_hover_text("Time in this session");
            ui.label(
                RichText::new(format!("{} done · {} left", view.done, view.left))
                    .color(palette.muted),
            );
        });
    });
    let total = view.done + view.left;
    let fraction = if total == 0 {
        1.0
    } else {
        view.done as f32 / total as f32
    };
    ui.add(
        egui::ProgressBar::new(fraction)
            .desired_height(6.0)
            .fill(palette.accent),
    )
    .on_hover_text(format!("{} of {} cards today", view.done, total));
}
