//! The `?` overlay: every shortcut, straight from the command table.

use egui::{RichText, Ui};

use super::commands::COMMANDS;
use super::theme::Palette;

/// Draws the overlay window; returns true when the learner closes it.
#[must_use]
pub fn show(ctx: &egui::Context) -> bool {
    let mut close = false;
    egui::Window::new("Keyboard shortcuts")
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui: &mut Ui| {
            let palette = Palette::of(ui.visuals());
            egui::Grid::new("shortcut-table")
                .num_columns(2)
                .spacing([24.0, 8.0])
                .striped(true)
                .show(ui, |ui| {
                    for row in COMMANDS {
                        ui.label(
                            RichText::new(row.keys)
                                .monospace()
                                .strong()
                                .color(palette.accent),
                        );
                        ui.label(row.description);
                        ui.end_row();
                    }
                });
            ui.add_space(8.0);
            ui.label(
                RichText::new("Everything works without a mouse: Tab moves between controls.")
                    .color(palette.muted)
                    .small(),
            );
            if ui.button("Close").clicked() {
                close = true;
            }
        });
    close
}
