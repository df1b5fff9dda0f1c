//! The top bar: the app's name, the screens to go to, the open profile and the shortcut list.

use super::{AppCommand, FlashdrillApp, Screen};
use crate::ui::commands::{self, Command};
use crate::ui::theme::{self, Palette};

/// The screens of the top bar, in order: label, shorter label for a narrow window, tooltip.
const NAVIGATION: [(Screen, &str, &str, &str); 7] = [
    (Screen::Home, "Decks", "Decks", "Your decks and what is due"),
    (
        Screen::Practice,
        "Practice",
        "Practice",
        "Study any deck, category or tag now, whatever is due",
    ),
    (
        Screen::Drill,
        "Class drill",
        "Drill",
        "A quiz for the whole class on a projector, in teams; your classes and their reports",
    ),
    (
        Screen::Stats,
        "Statistics",
        "Stats",
        "Reviews, forecast, retention and mastery",
    ),
    (
        Screen::Browse,
        "Browse",
        "Browse",
        "Every card with its progress",
    ),
    (
        Screen::Timeline,
        "Article timeline",
        "Timeline",
        "The article's events on a time line",
    ),
    (
        Screen::Settings,
        "Settings",
        "Settings",
        "Scheduling, look, and profiles",
    ),
];

/// The width the bar's texts take in one row, with the buttons' padding and the gaps.
fn row_width(ui: &egui::Ui, texts: &[&str], heading: f32) -> f32 {
    let font = egui::TextStyle::Button.resolve(ui.style());
    let spacing = ui.spacing();
    let pad = 2.0 * spacing.button_padding.x + spacing.item_spacing.x;
    let painter = ui.painter();
    texts
        .iter()
        .map(|t| {
            painter
                .layout_no_wrap((*t).to_owned(), font.clone(), egui::Color32::WHITE)
                .size()
                .x
                + pad
        })
        .sum::<f32>()
        + heading
}

impl FlashdrillApp {
    pub(super) fn top_bar(&mut self, ui: &mut egui::Ui) {
        // The projector view has the whole window.
        if self.screen == Screen::Drill && self.screens.drill.is_projecting() {
            return;
        }
        let palette = Palette::of(ui.visuals());
        egui::Panel::top("top-bar").show(ui, |ui| {
            let navigating = !matches!(
                self.screen,
                Screen::Study | Screen::Summary | Screen::Recovery
            );
            let name = self.shared.profile.as_ref().map(|p| p.name.clone());
            let full_profile = name.as_ref().map(|n| format!("Profile: {n}"));
            // In a narrow window the labels shorten (their spoken names stay whole), so that
            // the bar stays one row; only when even that does not fit does it wrap.
            let mut texts: Vec<&str> = vec!["?"];
            if navigating {
                texts.extend(NAVIGATION.iter().map(|n| n.1));
            }
            texts.extend(full_profile.as_deref());
            let heading = 12.0 + theme::size::HEADING * 5.5;
            let compact = row_width(ui, &texts, heading) > ui.available_width();
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    egui::RichText::new("flashdrill")
                        .strong()
                        .size(theme::size::HEADING)
                        .color(palette.accent),
                );
                ui.add_space(if compact { 4.0 } else { 12.0 });
                // No navigation during a session, nor while the profile cannot be opened.
                if navigating {
                    for (screen, label, short, hint) in NAVIGATION {
                        let shown = if compact { short } else { label };
                        // The classes are reached from the class drill's screen.
                        let selected = self.screen == screen
                            || (screen == Screen::Drill && self.screen == Screen::Classes);
                        let response = ui.selectable_label(selected, shown).on_hover_text(hint);
                        if shown != label {
                            response.widget_info(|| {
                                egui::WidgetInfo::selected(
                                    egui::Role::Button,
                                    true,
                                    selected,
                                    label,
                                )
                            });
                        }
                        if response.clicked() {
                            self.shared.pending.push(AppCommand::GoTo(screen));
                        }
                    }
                }
                let profile_text = if compact {
                    name.clone()
                } else {
                    full_profile.clone()
                };
                let profile = profile_text.map(|text| {
                    egui::WidgetText::from(egui::RichText::new(text).color(palette.muted))
                        .into_galley(
                            ui,
                            Some(egui::TextWrapMode::Extend),
                            f32::INFINITY,
                            egui::TextStyle::Body,
                        )
                });
                let needed = profile.as_ref().map_or(0.0, |g| g.size().x) + 40.0;
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
                        let response = ui.label(galley);
                        if let Some(full) = &full_profile {
                            let response = response.on_hover_text(full);
                            response.widget_info(|| {
                                egui::WidgetInfo::labeled(egui::Role::Label, true, full)
                            });
                        }
                    }
                });
            });
        });
    }
}
