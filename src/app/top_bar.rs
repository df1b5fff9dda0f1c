//! The top bar: the app's name, the screens to go to, the open profile and the shortcut list.

use super::{AppCommand, FlashdrillApp, Screen};
use crate::ui::commands::{self, Command};
use crate::ui::theme::{self, Palette};

/// The screens of the top bar, in order: label and tooltip.
const NAVIGATION: [(Screen, &str, &str); 7] = [
    (Screen::Home, "Decks", "Your decks and what is due"),
    (
        Screen::Practice,
        "Practice",
        "Study any deck, category or tag now, whatever is due",
    ),
    (
        Screen::Drill,
        "Class drill",
        "A quiz for the whole class on a projector, in teams",
    ),
    (
        Screen::Stats,
        "Statistics",
        "Reviews, forecast, retention and mastery",
    ),
    (Screen::Browse, "Browse", "Every card with its progress"),
    (
        Screen::Timeline,
        "Article timeline",
        "The article's events on a time line",
    ),
    (
        Screen::Settings,
        "Settings",
        "Scheduling, look, and profiles",
    ),
];

impl FlashdrillApp {
    pub(super) fn top_bar(&mut self, ui: &mut egui::Ui) {
        // The projector view has the whole window.
        if self.screen == Screen::Drill && self.screens.drill.is_projecting() {
            return;
        }
        let palette = Palette::of(ui.visuals());
        egui::Panel::top("top-bar").show(ui, |ui| {
            // Wraps onto a second row in a narrow window; the profile stays at the right.
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    egui::RichText::new("flashdrill")
                        .strong()
                        .size(theme::size::HEADING)
                        .color(palette.accent),
                );
                ui.add_space(12.0);
                // No navigation during a session, nor while the profile cannot be opened.
                if !matches!(
                    self.screen,
                    Screen::Study | Screen::Summary | Screen::Recovery
                ) {
                    for (screen, label, hint) in NAVIGATION {
                        if ui
                            .selectable_label(self.screen == screen, label)
                            .on_hover_text(hint)
                            .clicked()
                        {
                            self.shared.pending.push(AppCommand::GoTo(screen));
                        }
                    }
                }
                let profile = self.shared.profile.as_ref().map(|p| {
                    egui::WidgetText::from(
                        egui::RichText::new(format!("Profile: {}", p.name)).color(palette.muted),
                    )
                    .into_galley(
                        ui,
                        Some(egui::TextWrapMode::Extend),
                        f32::INFINITY,
                        egui::TextStyle::Body,
                    )
                });
                let needed = profile.as_ref().map_or(0.0, |g| g.size().x) + 80.0;
                if ui.available_size_before_wrap().x < needed {
                    ui.end_row();
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .button("?")
                        .on_hover_text(commands::tooltip(Command::ToggleShortcuts))
                        .clicked()
                    {
                        self.show_shortcuts = !self.show_shortcuts;
                    }
                    if let Some(galley) = profile {
                        ui.label(galley);
                    }
                });
            });
        });
    }
}
