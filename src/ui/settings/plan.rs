//! The settings screen's "Exams and workload" part: load balancing, easy days, rescheduling
//! on change, and each deck's exam date and own desired retention.

use chrono::Utc;
use egui::{RichText, Ui};
use flashdrill_core::plan::{Exam, parse_fraction};

use crate::app::AppCommand;
use crate::ui::messages;
use crate::ui::notice::Notice;
use crate::ui::theme::Palette;
use crate::ui::view::AppContext;

/// The width (points) a weekday's share takes in the easy days' grid, with its spacing.
const EASY_DAY_WIDTH: f32 = 64.0;

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The exams-and-workload panel: the deck chosen and the text being typed.
#[derive(Debug, Default)]
pub struct PlanPanel {
    deck: Option<String>,
    /// The deck the fields below were filled for.
    filled_for: Option<String>,
    date: String,
    target: String,
    retention: String,
    notice: Option<Notice>,
    /// Scroll the deck's options into view (once, after a deck's menu asked for them).
    reveal: bool,
}

impl PlanPanel {
    /// Shows `deck_id`'s exam and retention, scrolled into view.
    pub fn choose(&mut self, deck_id: String) {
        self.deck = Some(deck_id);
        self.filled_for = None;
        self.notice = None;
        self.reveal = true;
    }

    /// Fills the fields from the chosen deck's stored exam and retention.
    fn fill(&mut self, cx: &AppContext<'_>, deck: &str) {
        let options = cx.col().deck_options();
        if let Some(exam) = options.exams.get(deck) {
            self.date = exam.date.format("%Y-%m-%d").to_string();
            self.target = format!("{:.2}", exam.target);
        } else {
            self.date.clear();
            "0.90".clone_into(&mut self.target);
        }
        self.retention = options
            .retention
            .get(deck)
            .map(|r| format!("{r:.2}"))
            .unwrap_or_default();
        self.filled_for = Some(deck.to_owned());
    }

    pub fn ui(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>, palette: &Palette) {
        Self::workload(ui, cx, palette);
        ui.add_space(10.0);
        self.deck_options(ui, cx, palette);
        if let Some(notice) = &self.notice {
            notice.show(ui, palette);
        }
    }

    fn workload(ui: &mut Ui, cx: &mut AppContext<'_>, palette: &Palette) {
        let settings = cx.settings().clone();
        let mut balance = settings.load_balance;
        if ui
            .checkbox(&mut balance, "Load balancing: about the same number of reviews every day")
            .on_hover_text("Among the few days a review may fall on, picks those with fewer cards already due. Intervals stay within their usual spread.")
            .changed()
        {
            cx.send(AppCommand::SetSetting {
                key: "load_balance".into(),
                value: balance.to_string(),
            });
        }
        ui.label(
            RichText::new("Easy days: each weekday's share of reviews (100 % is a normal day; 0 % moves reviews off that day). Load balancing must be on.")
                .color(palette.muted)
                .small(),
        );
        let mut days = settings.easy_days;
        let mut changed = false;
        ui.add_enabled_ui(balance, |ui| {
            // A row of seven, or rows of fewer in a narrow window (projector zoom).
            let per_row = ((ui.available_width() + 6.0) / EASY_DAY_WIDTH).floor();
            let per_row = if per_row >= 7.0 {
                7
            } else if per_row >= 4.0 {
                4
            } else {
                1
            };
            for (row, names) in WEEKDAYS.chunks(per_row).enumerate() {
                let start = row * per_row;
                egui::Grid::new(("easy-days", row))
                    .spacing([6.0, 4.0])
                    .show(ui, |ui| {
                        let labels: Vec<egui::Response> =
                            names.iter().map(|name| ui.label(&name[..3])).collect();
                        ui.end_row();
                        for (i, (name, label)) in names.iter().zip(&labels).enumerate() {
                            let r = ui
                                .add(
                                    egui::DragValue::new(&mut days.0[start + i])
                                        .range(0..=100)
                                        .suffix(" %"),
                                )
                                .labelled_by(label.id)
                                .on_hover_text(format!("Share of reviews on {name}s"));
                            changed |= r.drag_stopped() || (r.changed() && !r.dragged());
                        }
                        ui.end_row();
                    });
            }
        });
        if changed && days != settings.easy_days {
            cx.send(AppCommand::SetSetting {
                key: "easy_days".into(),
                value: days.to_string(),
            });
        }
        let mut reschedule = settings.reschedule_on_change;
        if ui
            .checkbox(&mut reschedule, "Reschedule cards when the desired retention or the memory model changes")
            .on_hover_text("Works out every card's due date again from its history. Off, only cards answered from then on follow the new values.")
            .changed()
        {
            cx.send(AppCommand::SetSetting {
                key: "reschedule_on_change".into(),
                value: reschedule.to_string(),
            });
        }
    }

    fn deck_options(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>, palette: &Palette) {
        let decks: Vec<(String, String)> = cx
            .library()
            .decks
            .iter()
            .map(|d| (d.deck.id.clone(), d.deck.title.clone()))
            .collect();
        if decks.is_empty() {
            return;
        }
        if self
            .deck
            .as_ref()
            .is_none_or(|d| !decks.iter().any(|(id, _)| id == d))
        {
            self.deck = Some(decks[0].0.clone());
        }
        let deck = self.deck.clone().unwrap_or_default();
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Deck");
            let title = decks
                .iter()
                .find(|(id, _)| *id == deck)
                .map_or(deck.as_str(), |(_, t)| t.as_str());
            egui::ComboBox::from_id_salt("plan-deck")
                .width(ui.available_width().min(360.0))
                .truncate()
                .selected_text(title)
                .show_ui(ui, |ui| {
                    for (id, title) in &decks {
                        ui.selectable_value(&mut self.deck, Some(id.clone()), title);
                    }
                })
                .response
                .labelled_by(label.id);
        });
        if std::mem::take(&mut self.reveal) {
            ui.scroll_to_cursor(Some(egui::Align::Center));
        }
        let deck = self.deck.clone().unwrap_or_default();
        if self.filled_for.as_deref() != Some(deck.as_str()) {
            self.fill(cx, &deck);
        }
        if let Some(r) = cx.col().readiness(Some(&deck), Utc::now(), false).first() {
            ui.label(r.headline());
            for note in r.notes() {
                ui.label(RichText::new(note).color(palette.muted).small());
            }
        }
        let mut set_exam = false;
        let mut clear_exam = false;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Exam date");
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.date)
                        .hint_text("YYYY-MM-DD")
                        .desired_width(120.0),
                )
                .labelled_by(label.id);
            let label = ui.label("Recall wanted on the day");
            let t = ui
                .add(egui::TextEdit::singleline(&mut self.target).desired_width(60.0))
                .labelled_by(label.id)
                .on_hover_text("From 0.70 to 0.99: cards are scheduled so that your predicted recall on the exam day is at least this.");
            let enter = (r.lost_focus() || t.lost_focus())
                && ui.input(|i| i.key_pressed(egui::Key::Enter));
            set_exam = ui.button("Set exam date").clicked() || enter;
            clear_exam = cx.col().deck_options().exams.contains_key(&deck)
                && ui.button("Remove exam date").clicked();
        });
        if set_exam {
            self.notice = Some(self.set_exam(cx, &deck));
        }
        if clear_exam {
            self.notice = Some(match cx.apply(|col| col.clear_exam(&deck)) {
                Ok(()) => {
                    self.fill(cx, &deck);
                    Notice::success("Exam date removed: the deck is scheduled as usual again.")
                }
                Err(e) => Notice::error(messages::collection("Could not remove the exam date", &e)),
            });
        }
        let mut set_retention = None;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("This deck's desired retention");
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.retention)
                        .hint_text(format!(
                            "{:.2} (profile's)",
                            cx.settings().desired_retention
                        ))
                        .desired_width(160.0),
                )
                .labelled_by(label.id);
            if ui.button("Use for this deck").clicked()
                || (r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)))
            {
                set_retention = Some(self.retention.trim().to_owned());
            }
        });
        if let Some(text) = set_retention {
            self.notice = Some(if text.is_empty() {
                match cx.apply(|col| col.set_deck_retention(&deck, None)) {
                    Ok(()) => Notice::success("This deck uses the profile's desired retention."),
                    Err(e) => {
                        Notice::error(messages::collection("Could not change the retention", &e))
                    }
                }
            } else {
                match parse_fraction(&text) {
                    Ok(r) => match cx.apply(|col| col.set_deck_retention(&deck, Some(r))) {
                        Ok(()) => {
                            Notice::success(format!("Desired retention {r:.2} for this deck."))
                        }
                        Err(e) => Notice::error(messages::collection(
                            "Could not change the retention",
                            &e,
                        )),
                    },
                    Err(t) => Notice::error(format!(
                        "\"{t}\" is not a desired retention: type a number from 0.70 to 0.99, or leave it empty for the profile's."
                    )),
                }
            });
        }
    }

    fn set_exam(&mut self, cx: &mut AppContext<'_>, deck: &str) -> Notice {
        let target = match parse_fraction(&self.target) {
            Ok(t) => t,
            Err(t) => {
                return Notice::error(format!(
                    "\"{t}\" is not a target: type the recall wanted on the exam day, from 0.70 to 0.99."
                ));
            }
        };
        let today = cx.now_local().date_naive();
        let exam = match Exam::new(deck, &self.date, target, today, Utc::now()) {
            Ok(e) => e,
            Err(e) => return Notice::error(format!("The exam date was not set: {e}.")),
        };
        match cx.apply(|col| col.set_exam(exam, Utc::now())) {
            Ok(set) => Notice::success(format!(
                "Exam on {} set: {} {} brought forward to be ready by then.",
                set.exam.date.format("%-d %B %Y"),
                set.rescheduled,
                if set.rescheduled == 1 {
                    "card"
                } else {
                    "cards"
                }
            )),
            Err(e) => Notice::error(messages::collection("The exam date was not set", &e)),
        }
    }
}
