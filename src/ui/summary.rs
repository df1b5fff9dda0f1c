//! The session summary: what was studied, how it went, and what comes next.

use egui::{RichText, Ui};

use super::commands::{self, Command};
use super::theme::{Palette, size};
use super::widgets;

pub struct SummaryView<'a> {
    /// Distinct cards answered.
    pub studied: usize,
    /// Answers given (a card in learning may be answered several times).
    pub answers: usize,
    /// Answers marked right (auto-marked) or rated Hard/Good/Easy.
    pub right: usize,
    pub secs: u64,
    /// Category label, right, answered.
    pub by_category: &'a [(String, usize, usize)],
    /// Prompt and answer of each card missed.
    pub missed: &'a [(String, String)],
    /// "in 10m", "tomorrow", or none.
    pub next_due: Option<&'a str>,
    pub can_undo: bool,
    pub practice: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryAction {
    Home,
    Undo,
}

pub fn show(ui: &mut Ui, view: &SummaryView<'_>) -> Option<SummaryAction> {
    let palette = Palette::of(ui.visuals());
    let mut action = None;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            widgets::centered_column(ui, 760.0, |ui| {
                ui.add_space(10.0);
                ui.label(
                    RichText::new(if view.answers == 0 {
                        "Nothing studied"
                    } else {
                        "Session complete"
                    })
                    .size(size::PROMPT)
                    .strong(),
                );
                if view.practice {
                    ui.label(
                        RichText::new("Practice: your schedule was left as it was.")
                            .color(palette.muted),
                    );
                }
                ui.add_space(8.0);
                let accuracy = if view.answers == 0 {
                    0.0
                } else {
                    100.0 * view.right as f64 / view.answers as f64
                };
                ui.horizontal(|ui| {
                    for (value, name) in [
                        (view.studied.to_string(), "cards studied"),
                        (view.answers.to_string(), "answers"),
                        (format!("{accuracy:.0} %"), "accuracy"),
                        (format!("{}:{:02}", view.secs / 60, view.secs % 60), "time"),
                        (view.next_due.unwrap_or("—").to_owned(), "next card due"),
                    ] {
                        ui.vertical(|ui| {
                            ui.set_min_width(110.0);
                            ui.label(
                                RichText::new(value)
                                    .size(size::HEADING)
                                    .strong()
                                    .color(palette.accent),
                            );
                            ui.label(RichText::new(name).color(palette.muted));
                        });
                    }
                });
                ui.add_space(12.0);
                if !view.by_category.is_empty() {
                    ui.heading("By category");
                    egui::Grid::new("summary-categories")
                        .num_columns(3)
                        .spacing([16.0, 4.0])
                        .show(ui, |ui| {
                            for (category, right, total) in view.by_category {
                                ui.label(category);
                                let parts = [
                                    (*right as f32, palette.right),
                                    ((total - right) as f32, palette.wrong),
                                ];
                                widgets::stacked_bar(ui, &parts, 240.0, 12.0, palette.track);
                                ui.label(format!("{right} / {total} right"));
                                ui.end_row();
                            }
                        });
                    ui.add_space(12.0);
                }
                if !view.missed.is_empty() {
                    ui.heading(format!("Missed ({})", view.missed.len()));
                    for (prompt, answer) in view.missed {
                        ui.horizontal_wrapped(|ui| {
                            ui.label(RichText::new(prompt).color(palette.muted));
                            ui.label(RichText::new(format!("— {answer}")).strong());
                        });
                    }
                    ui.add_space(12.0);
                }
                ui.horizontal(|ui| {
                    if widgets::primary_button(ui, "Back to decks", &palette)
                        .on_hover_text("Return to the deck list (Enter)")
                        .clicked()
                    {
                        action = Some(SummaryAction::Home);
                    }
                    if ui
                        .add_enabled(
                            view.can_undo,
                            egui::Button::new("Undo last answer").min_size(egui::vec2(0.0, 42.0)),
                        )
                        .on_hover_text(commands::tooltip(Command::Undo))
                        .clicked()
                    {
                        action = Some(SummaryAction::Undo);
                    }
                });
            });
        });
    action
}
