//! The `?` overlay: every shortcut, the screen on show's first, straight from the command table.

use egui::{RichText, Ui};

use super::commands;
use super::theme::Palette;
use crate::ui::screen::Screen;

/// Draws the overlay window with the keys that work everywhere, those of `screen`, then those
/// of every other screen, under headings; returns true when the learner closes it.
#[must_use]
pub fn show(ctx: &egui::Context, screen: Screen) -> bool {
    let mut close = false;
    let max_height = ctx.content_rect().height() * 0.6;
    egui::Window::new("Keyboard shortcuts")
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui: &mut Ui| {
            let palette = Palette::of(ui.visuals());
            // A solid scroll bar takes its own room, so that it never covers a description.
            ui.spacing_mut().scroll = egui::style::ScrollStyle::solid();
            egui::ScrollArea::vertical()
                .max_height(max_height)
                .show(ui, |ui| {
                    // One grid for every section, so that the keys and descriptions line up.
                    egui::Grid::new("shortcut-table")
                        .num_columns(2)
                        .spacing([24.0, 8.0])
                        .show(ui, |ui| {
                            for (heading, rows) in commands::sections(screen) {
                                ui.label(RichText::new(heading).strong());
                                ui.end_row();
                                for row in rows {
                                    ui.label(
                                        RichText::new(row.keys)
                                            .monospace()
                                            .strong()
                                            .color(palette.accent),
                                    );
                                    ui.label(row.description);
                                    ui.end_row();
                                }
                            }
                        });
                });
            ui.add_space(8.0);
            ui.label(
                RichText::new(
                    "Everything works without a mouse: Tab moves between controls, and Space or \
                     Enter presses the one with the focus ring.",
                )
                .color(palette.muted)
                .small(),
            );
            if ui.button("Close").clicked() {
                close = true;
            }
        });
    close
}
