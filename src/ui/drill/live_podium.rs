//! The live game's end: the podium, every student's result, and saving the results.

use egui::{RichText, Ui};
use flashdrill_live::engine::Standing;

use super::live::{LiveView, students};
use super::podium::{Place, ordinal, paint_podium};
use super::setup::{DrillAction, DrillState};
use crate::ui::theme::Palette;
use crate::ui::widgets;

impl DrillState {
    pub(super) fn live_podium(
        &mut self,
        ui: &mut Ui,
        view: &LiveView<'_>,
        palette: &Palette,
    ) -> Option<DrillAction> {
        let mut action = None;
        let game = &view.snap.game;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                widgets::centered_column(ui, 1100.0, |ui| {
                    self.results_heading(ui, &winner_line(&game.ranking), palette, &mut action);
                    let status = if view.listening {
                        "The phones show each student's final place."
                    } else {
                        "The game is over and no longer on the network."
                    };
                    ui.label(RichText::new(status).color(palette.muted));
                    ui.add_space(12.0);
                    let places: Vec<Place> = game
                        .ranking
                        .iter()
                        .map(|s| Place {
                            rank: s.place,
                            name: s.name.clone(),
                            points: s.points,
                            colour: palette.team[(s.place - 1).min(2)],
                        })
                        .collect();
                    paint_podium(ui, &places, palette);
                    ui.add_space(16.0);
                    self.save_row(ui, view.notice, palette, &mut action);
                    ui.horizontal(|ui| {
                        if ui.button("New drill").clicked() {
                            action = Some(DrillAction::NewDrill);
                        }
                        if ui.button("Back to decks").clicked() {
                            action = Some(DrillAction::Leave);
                        }
                    });
                    ui.add_space(16.0);
                    ui.heading(format!("Every student ({})", students(game.ranking.len())));
                    egui::Grid::new("live-student-results")
                        .num_columns(4)
                        .striped(true)
                        .spacing([24.0, 6.0])
                        .show(ui, |ui| {
                            for h in ["Place", "Student", "Points", "Right"] {
                                ui.label(RichText::new(h).strong());
                            }
                            ui.end_row();
                            for s in &game.ranking {
                                let right = game
                                    .players
                                    .iter()
                                    .find(|p| p.id == s.player)
                                    .map_or(0, |p| p.right);
                                ui.label(ordinal(s.place));
                                ui.label(&s.name);
                                ui.label(s.points.to_string());
                                ui.label(right.to_string());
                                ui.end_row();
                            }
                        });
                });
            });
        action
    }
}

/// "First place: Ada, with 1460 points", "First place shared by Ada and Bo, with 900 points",
/// or "Nobody played": it reads right whatever the nickname.
#[must_use]
pub fn winner_line(ranking: &[Standing]) -> String {
    let Some(top) = ranking.first() else {
        return "Nobody played".to_owned();
    };
    let firsts: Vec<&str> = ranking
        .iter()
        .filter(|s| s.place == 1)
        .map(|s| s.name.as_str())
        .collect();
    match firsts.as_slice() {
        [one] => format!("First place: {one}, with {} points", top.points),
        [a, b] => format!(
            "First place shared by {a} and {b}, with {} points",
            top.points
        ),
        many => format!(
            "{} students share first place with {} points",
            many.len(),
            top.points
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing(name: &str, place: usize, points: u32) -> Standing {
        Standing {
            player: 0,
            name: name.into(),
            place,
            points,
        }
    }

    #[test]
    fn winners_in_words() {
        assert_eq!(winner_line(&[]), "Nobody played");
        assert_eq!(
            winner_line(&[standing("Ada", 1, 300), standing("Bo", 2, 100)]),
            "First place: Ada, with 300 points"
        );
        assert_eq!(
            winner_line(&[standing("Ada", 1, 300), standing("Bo", 1, 300)]),
            "First place shared by Ada and Bo, with 300 points"
        );
        let three = [
            standing("A", 1, 0),
            standing("B", 1, 0),
            standing("C", 1, 0),
        ];
        assert_eq!(
            winner_line(&three),
            "3 students share first place with 0 points"
        );
    }
}
