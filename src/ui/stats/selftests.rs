//! The statistics' "Self-tests" section: each test's score over time beside the memory model's
//! predicted recall of the same cards at the time, and per category how far off the model was.
//! Read as a job of its own (the tests are few rows), beside the statistics' job.

use egui::{RichText, Ui};
use egui_plot::{GridMark, Line, PlotPoints, Points};

use super::format::percent;
use crate::jobs::{self, Job, Jobs};
use crate::ui::messages;
use crate::ui::theme::Palette;
use crate::ui::widgets;
use flashdrill_core::collection::Connector;
use flashdrill_core::selftest::{Calibration, calibration, calibration_all};
use flashdrill_core::store::SelfTestRecord;

/// The saved self-tests of the statistics' filter and how well the model predicted them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SelfTests {
    /// Oldest first.
    pub tests: Vec<SelfTestRecord>,
    pub calibration: Option<Calibration>,
}

/// The section's data and the job reading it.
#[derive(Default)]
pub struct Section {
    data: Option<Result<SelfTests, String>>,
    job: Option<Job<Result<SelfTests, String>>>,
}

impl Section {
    /// Reads the self-tests of `deck` (every deck: `None`) through `connector`, as a job.
    pub fn start(&mut self, connector: &Connector, deck: Option<String>, jobs: &Jobs) {
        let connector = connector.clone();
        self.job = Some(jobs.spawn(move || {
            let store = connector
                .open()
                .map_err(|e| messages::store("The self-tests could not be read", &e))?;
            let read = || {
                Ok::<_, flashdrill_core::store::StoreError>(SelfTests {
                    tests: store.self_tests(deck.as_deref())?,
                    calibration: match deck.as_deref() {
                        Some(id) => calibration(&store, id)?,
                        None => calibration_all(&store)?,
                    },
                })
            };
            read().map_err(|e| messages::store("The self-tests could not be read", &e))
        }));
        self.poll();
    }

    /// Takes in the finished read.
    pub fn poll(&mut self) {
        match jobs::finished(&mut self.job) {
            Some(Ok(data)) => self.data = Some(data),
            Some(Err(jobs::Lost)) => {
                self.data = Some(Err("Reading the self-tests stopped unexpectedly".to_owned()));
            }
            None => {}
        }
    }

    /// Whether the read is under way.
    #[must_use]
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// Draws the section (nothing until the read is done).
    pub fn show(&self, ui: &mut Ui, palette: &Palette) {
        match &self.data {
            None => {}
            Some(Err(err)) => {
                ui.heading("Self-tests");
                ui.label(RichText::new(err).color(palette.wrong));
            }
            Some(Ok(data)) => show(ui, data, palette),
        }
    }
}

/// The text a screen reader hears for the chart.
fn spoken(data: &SelfTests) -> String {
    let n = data.tests.len();
    let latest = data.tests.last().map_or_else(String::new, |t| {
        let predicted = t.predicted.map_or_else(
            || "no prediction (new cards)".to_owned(),
            |p| format!("the model predicted {}", percent(p)),
        );
        format!(
            "; the latest, on {}, scored {} ({predicted})",
            t.finished.format("%-d %b %Y"),
            percent(t.score())
        )
    });
    format!(
        "Chart of self-test scores over time beside the model's predicted recall: {n} test{}{latest}",
        if n == 1 { "" } else { "s" }
    )
}

fn show(ui: &mut Ui, data: &SelfTests, palette: &Palette) {
    ui.heading("Self-tests");
    if data.tests.is_empty() {
        ui.label(
            RichText::new(
                "No self-tests yet: \"Test yourself\" on a deck shows here how your scores \
                 compare with what the memory model predicts.",
            )
            .color(palette.muted),
        );
        return;
    }
    let point = |i: usize, v: f64| [i as f64 + 1.0, 100.0 * v];
    let scores: Vec<[f64; 2]> = data
        .tests
        .iter()
        .enumerate()
        .map(|(i, t)| point(i, t.score()))
        .collect();
    let predicted: Vec<[f64; 2]> = data
        .tests
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.predicted.map(|p| point(i, p)))
        .collect();
    let dates: Vec<String> = data
        .tests
        .iter()
        .map(|t| t.finished.format("%-d %b").to_string())
        .collect();
    let (score_colour, model_colour) = (palette.accent, palette.muted);
    let response = super::charts::still_plot("stats-selftests")
        .include_y(0.0)
        .include_y(100.0)
        .include_x(0.5)
        .include_x(dates.len() as f64 + 0.5)
        .y_axis_label("% right")
        .x_axis_formatter(move |mark: GridMark, _| {
            let x = mark.value;
            if (x - x.round()).abs() > 1e-6 || x < 1.0 {
                return String::new();
            }
            dates
                .get(x.round() as usize - 1)
                .cloned()
                .unwrap_or_default()
        })
        .show(ui, |plot| {
            plot.line(
                Line::new("Your score", PlotPoints::new(scores.clone()))
                    .color(score_colour)
                    .width(2.0),
            );
            plot.points(
                Points::new("Your score", PlotPoints::new(scores))
                    .color(score_colour)
                    .radius(4.0),
            );
            plot.line(
                Line::new("Predicted recall", PlotPoints::new(predicted.clone()))
                    .color(model_colour)
                    .style(egui_plot::LineStyle::dashed_loose())
                    .width(1.5),
            );
            plot.points(
                Points::new("Predicted recall", PlotPoints::new(predicted))
                    .color(model_colour)
                    .radius(3.0),
            );
        })
        .response;
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, spoken(data)));
    ui.horizontal(|ui| {
        widgets::swatch(ui, score_colour);
        ui.label(RichText::new("your score").color(palette.muted).small());
        widgets::swatch(ui, model_colour);
        ui.label(
            RichText::new("the model's predicted recall (dashed)")
                .color(palette.muted)
                .small(),
        );
    });
    ui.add_space(6.0);
    tests_table(ui, data, palette);
    ui.add_space(8.0);
    calibration_table(ui, data.calibration.as_ref(), palette);
}

fn tests_table(ui: &mut Ui, data: &SelfTests, palette: &Palette) {
    egui::Grid::new("stats-selftests-list")
        .num_columns(4)
        .spacing([18.0, 4.0])
        .striped(true)
        .show(ui, |ui| {
            for h in ["Date", "Deck", "Score", "Predicted"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for t in data.tests.iter().rev() {
                ui.label(t.finished.format("%-d %b %Y").to_string());
                ui.label(&t.deck_id);
                ui.label(format!(
                    "{} of {} ({})",
                    t.right,
                    t.questions,
                    percent(t.score())
                ));
                ui.label(t.predicted.map_or_else(
                    || RichText::new("— (new cards)").color(palette.muted),
                    |p| RichText::new(percent(p)),
                ));
                ui.end_row();
            }
        });
}

/// "8 points above the model" / "3 points below" / "as the model predicted".
fn off_by(difference: f64) -> String {
    let points = (difference * 100.0).round();
    if points.abs() < 0.5 {
        "as the model predicted".to_owned()
    } else if points > 0.0 {
        format!("{points:.0} points above the model")
    } else {
        format!("{:.0} points below the model", -points)
    }
}

fn calibration_table(ui: &mut Ui, calibration: Option<&Calibration>, palette: &Palette) {
    let Some(c) = calibration else {
        ui.label(
            RichText::new(
                "How far off the model is shows once a test asks about cards you have studied.",
            )
            .color(palette.muted),
        );
        return;
    };
    ui.label(
        RichText::new(format!(
            "Is the model right about you? On {} questions about studied cards you scored {}, \
             the model predicted {}: {}.",
            c.questions,
            percent(c.actual),
            percent(c.predicted),
            off_by(c.difference())
        ))
        .strong(),
    );
    egui::Grid::new("stats-selftests-calibration")
        .num_columns(5)
        .spacing([18.0, 4.0])
        .striped(true)
        .show(ui, |ui| {
            for h in ["Category", "Questions", "Right", "Predicted", "How far off"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for (category, row) in &c.by_category {
                ui.label(flashdrill_core::deck::Category::parse(category).label());
                ui.label(row.questions.to_string());
                ui.label(percent(row.actual));
                ui.label(percent(row.predicted));
                ui.label(off_by(row.difference()));
                ui.end_row();
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_said_in_points() {
        assert_eq!(off_by(0.083), "8 points above the model");
        assert_eq!(off_by(-0.031), "3 points below the model");
        assert_eq!(off_by(0.001), "as the model predicted");
    }
}
