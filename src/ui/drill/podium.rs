//! Drill mode's podium: the winners, every team's and question's results, and saving them.

use std::path::PathBuf;

use egui::{RichText, Ui};

use super::setup::{DrillAction, DrillState, DrillView, team_colour};
use crate::ui::notice::Notice;
use crate::ui::theme::{Palette, size};
use crate::ui::widgets;
use flashdrill_core::drill::{Drill, Outcome};

impl DrillState {
    /// The top of both podiums: a pending confirmation, "Final results" and who won.
    pub(super) fn results_heading(
        &mut self,
        ui: &mut Ui,
        winner: &str,
        palette: &Palette,
        action: &mut Option<DrillAction>,
    ) {
        if let Some(confirm) = self.confirm {
            self.confirm_banner(ui, confirm, palette, action);
        }
        ui.label(
            RichText::new("Final results")
                .size(size::DRILL_PROMPT)
                .strong(),
        );
        ui.label(
            RichText::new(winner)
                .size(size::DRILL_INFO)
                .strong()
                .color(palette.accent),
        );
    }

    /// The end: 1st, 2nd and 3rd place, the results per question and per team, and saving.
    pub(super) fn podium(
        &mut self,
        ui: &mut Ui,
        view: &DrillView<'_>,
        drill: &Drill,
        palette: &Palette,
    ) -> Option<DrillAction> {
        let mut action = None;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                widgets::centered_column(ui, 1100.0, |ui| {
                    self.results_heading(ui, &winner_line(drill), palette, &mut action);
                    if drill.ended_early() {
                        ui.label(
                            RichText::new(format!(
                                "Ended early after {} of {} questions.",
                                drill.played(),
                                drill.questions().len()
                            ))
                            .color(palette.muted),
                        );
                    }
                    ui.add_space(12.0);
                    if drill.has_teams() {
                        podium_blocks(ui, drill, palette);
                        ui.add_space(16.0);
                    }
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
                    ui.heading("Per team");
                    team_table(ui, drill);
                    ui.add_space(12.0);
                    ui.heading("Per question");
                    question_table(ui, drill, palette);
                });
            });
        action
    }

    /// "Save results…", a typed path and Save, and the notice (e.g. where the results went).
    pub(super) fn save_row(
        &mut self,
        ui: &mut Ui,
        notice: Option<&Notice>,
        palette: &Palette,
        action: &mut Option<DrillAction>,
    ) {
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Save results…")
                .on_hover_text("Choose where to save the results as a CSV file")
                .clicked()
            {
                *action = Some(DrillAction::SaveDialog);
            }
            let label = ui.label("Save results to:");
            ui.add(
                egui::TextEdit::singleline(&mut self.save_path)
                    .hint_text("/path/to/results.csv")
                    .desired_width(360.0),
            )
            .labelled_by(label.id);
            let path = self.save_path.trim();
            if ui
                .add_enabled(!path.is_empty(), egui::Button::new("Save"))
                .clicked()
            {
                *action = Some(DrillAction::SaveTo(PathBuf::from(path)));
            }
        });
        if let Some(notice) = notice {
            let colour = notice.colour(palette);
            ui.label(RichText::new(&notice.text).color(colour));
        }
    }
}

/// "First place: Foxes, with 330 points", "First place shared by Foxes and Owls, with 200
/// points", or the class's score. Worded so that it reads right whatever the team is called
/// (a plural like "Foxes" as well as "Team Red").
#[must_use]
pub fn winner_line(drill: &Drill) -> String {
    let ranking = drill.ranking();
    let Some(top) = ranking.first() else {
        return String::new();
    };
    if !drill.has_teams() {
        let right = drill.team_stats()[0].right;
        return format!(
            "The class scored {} points: {right} of {} right",
            top.points,
            drill.played()
        );
    }
    let firsts: Vec<&str> = ranking
        .iter()
        .filter(|s| s.place == 1)
        .map(|s| drill.teams()[s.team].name.as_str())
        .collect();
    match firsts.as_slice() {
        [one] => format!("First place: {one}, with {} points", top.points),
        [rest @ .., last] => format!(
            "First place shared by {} and {last}, with {} points",
            rest.join(", "),
            top.points
        ),
        [] => String::new(),
    }
}

/// Painted podium blocks for the first three places (teams sharing a place share a block).
fn podium_blocks(ui: &mut Ui, drill: &Drill, palette: &Palette) {
    let ranking = drill.ranking();
    let places: Vec<Place> = ranking
        .iter()
        .map(|s| Place {
            rank: s.place,
            name: drill.teams()[s.team].name.clone(),
            points: s.points,
            colour: team_colour(palette, &drill.teams()[s.team]),
        })
        .collect();
    paint_podium(ui, &places, palette);
}

/// One entry on the podium: a team or a student.
pub(super) struct Place {
    pub rank: usize,
    pub name: String,
    pub points: u32,
    pub colour: egui::Color32,
}

/// Painted podium blocks for the first three places (entries sharing a place share a block),
/// `places` best first.
pub(super) fn paint_podium(ui: &mut Ui, ranking: &[Place], palette: &Palette) {
    // (place, entries sharing it, points)
    let mut places: Vec<(usize, Vec<&Place>, u32)> = Vec::new();
    for s in ranking {
        match places.last_mut() {
            Some((place, entries, _)) if *place == s.rank => entries.push(s),
            _ => places.push((s.rank, vec![s], s.points)),
        }
    }
    places.truncate(3);
    // Second, first, third from left to right.
    let order: Vec<usize> = match places.len() {
        0 => return,
        1 => vec![0],
        2 => vec![1, 0],
        _ => vec![1, 0, 2],
    };
    let heights = [170.0, 120.0, 80.0];
    let block_w = 240.0;
    let total_w = block_w * order.len() as f32 + 16.0 * (order.len() as f32 - 1.0);
    let label_h = 90.0;
    ui.horizontal(|ui| {
        ui.add_space(((ui.available_width() - total_w) / 2.0).max(0.0));
        for &slot in &order {
            let (place, entries, points) = &places[slot];
            let (rect, _) = ui.allocate_exact_size(
                egui::vec2(block_w, heights[0] + label_h),
                egui::Sense::hover(),
            );
            let height = heights[slot];
            let block = egui::Rect::from_min_max(
                egui::pos2(rect.left(), rect.bottom() - height),
                rect.right_bottom(),
            );
            let colour = entries.first().map_or(palette.accent, |e| e.colour);
            ui.painter().rect_filled(block, 8.0, colour);
            let label_rect = egui::Rect::from_min_max(
                egui::pos2(rect.left(), block.top() - label_h),
                egui::pos2(rect.right(), block.top()),
            );
            ui.put(
                label_rect,
                egui::Label::new(
                    RichText::new(format!(
                        "{}: {} · {points} points",
                        ordinal(*place),
                        shared_names(entries)
                    ))
                    .size(size::HEADING)
                    .strong()
                    .color(palette.text),
                )
                .wrap(),
            );
            ui.put(
                block,
                egui::Label::new(
                    RichText::new(ordinal(*place))
                        .size(size::DRILL_PROMPT)
                        .strong()
                        .color(palette.on_fill),
                )
                .selectable(false),
            );
            ui.add_space(16.0);
        }
    });
}

/// "Owls", "Owls & Bees", or for many sharing a place "Ada, Bo, Cy & 9 more".
fn shared_names(entries: &[&Place]) -> String {
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    if names.len() <= 3 {
        names.join(" & ")
    } else {
        format!("{} & {} more", names[..3].join(", "), names.len() - 3)
    }
}

/// "1st", "2nd", "3rd", "4th", …
#[must_use]
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, r) if r != 11 => "st",
        (2, r) if r != 12 => "nd",
        (3, r) if r != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn team_table(ui: &mut Ui, drill: &Drill) {
    let stats = drill.team_stats();
    egui::Grid::new("drill-team-results")
        .num_columns(5)
        .striped(true)
        .spacing([24.0, 6.0])
        .show(ui, |ui| {
            for h in ["Place", "Team", "Points", "Right", "Best streak"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for s in drill.ranking() {
                let t = stats[s.team];
                ui.label(ordinal(s.place));
                ui.label(&drill.teams()[s.team].name);
                ui.label(t.points.to_string());
                ui.label(t.right.to_string());
                ui.label(t.best_streak.to_string());
                ui.end_row();
            }
        });
}

fn question_table(ui: &mut Ui, drill: &Drill, palette: &Palette) {
    let points = drill.points_table();
    egui::Grid::new("drill-question-results")
        .num_columns(5 + drill.teams().len())
        .striped(true)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            for h in ["#", "Form", "Question", "Answer", "Seconds"] {
                ui.label(RichText::new(h).strong());
            }
            for team in drill.teams() {
                ui.label(RichText::new(&team.name).strong());
            }
            ui.end_row();
            for (i, question) in drill.questions().iter().enumerate() {
                let outcome = drill.outcome(i).unwrap_or(&Outcome::NotAsked);
                if matches!(outcome, Outcome::NotAsked) {
                    continue;
                }
                ui.label((i + 1).to_string());
                ui.label(question.form().label());
                wrapped(ui, &question.prompt, 300.0);
                wrapped(ui, &question.answer, 300.0);
                if let Outcome::Answered { secs, right, .. } = outcome {
                    ui.label(format!("{secs:.1}"));
                    for (t, got) in right.iter().enumerate() {
                        if *got {
                            let p = points.get(i).and_then(|r| r.get(t)).copied().unwrap_or(0);
                            ui.label(RichText::new(format!("right (+{p})")).color(palette.right));
                        } else {
                            ui.label(RichText::new("–").color(palette.muted));
                        }
                    }
                } else {
                    ui.label(RichText::new("skipped").color(palette.muted));
                    for _ in drill.teams() {
                        ui.label("");
                    }
                }
                ui.end_row();
            }
        });
}

/// A grid cell of text wrapped at `width`, as tall as its lines (the row grows to fit).
fn wrapped(ui: &mut Ui, text: &str, width: f32) {
    ui.vertical(|ui| {
        ui.set_max_width(width);
        ui.add(egui::Label::new(text).wrap());
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_colours_are_readable_in_both_themes() {
        for dark in [false, true] {
            let visuals = if dark {
                egui::Visuals::dark()
            } else {
                egui::Visuals::light()
            };
            let p = Palette::of(&visuals);
            for (i, c) in p.team.iter().enumerate() {
                assert!(
                    crate::ui::theme::contrast(*c, p.on_fill) >= 4.5,
                    "team colour {i} (dark: {dark}): {:.2}",
                    crate::ui::theme::contrast(*c, p.on_fill)
                );
                assert!(
                    crate::ui::theme::contrast(*c, visuals.panel_fill) >= 3.0,
                    "team colour {i} on the background (dark: {dark})"
                );
                for other in &p.team[i + 1..] {
                    assert_ne!(c, other);
                }
            }
        }
    }

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(ordinal).into();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"
            ]
        );
    }
}
