//! Settings → "What a desired retention costs": a simulated year at each desired retention
//! from 0.70 to 0.97 (reviews and minutes a day, cards known at its end) with the profile's
//! parameters, cards and answer times, computed off the UI thread; the current setting and the
//! minimum recommended retention are marked, and clicking the chart picks a retention.

use std::sync::Arc;

use egui::{RichText, Ui};
use egui_plot::{HoverPosition, Line, LineStyle, Plot, PlotPoints, VLine};

use crate::jobs::{self, Job};
use crate::ui::messages;
use crate::ui::theme::Palette;
use crate::ui::view::{AppCommand, AppContext};
use flashdrill_core::collection::{Changes, Connector};
use flashdrill_core::optimize::{
    self, OptimizeError, RETENTION_MAX, RETENTION_MIN, RetentionCurve, WorkloadPoint,
};
use flashdrill_core::settings::Settings;

/// What the curve depends on: when any of it changes, the year is simulated again.
#[derive(Debug, Clone, PartialEq)]
struct Key {
    parameters: [u32; 21],
    new_per_day: u32,
    maximum_interval: u32,
    learning_steps: usize,
    relearning_steps: usize,
    day_starts_at: u32,
    /// The loaded decks (their unstudied cards are the new ones).
    library: usize,
}

impl Key {
    fn of(settings: &Settings, library: usize) -> Self {
        Self {
            parameters: settings.fsrs_parameters.map(f32::to_bits),
            new_per_day: settings.new_per_day,
            maximum_interval: settings.maximum_interval,
            learning_steps: settings.learning_steps.len(),
            relearning_steps: settings.relearning_steps.len(),
            day_starts_at: settings.day_starts_at,
            library,
        }
    }
}

type Curve = Result<RetentionCurve, String>;

/// The chart's data and the job computing it.
#[derive(Debug, Default)]
pub struct RetentionChart {
    job: Option<Job<Curve>>,
    curve: Option<RetentionCurve>,
    error: Option<String>,
    /// What the curve (or the job under way) was computed for.
    key: Option<Key>,
    /// Cards or reviews changed since it was computed.
    outdated: bool,
}

/// A count per day: one decimal below ten ("1.4"), whole above ("35").
fn per_day(x: f32) -> String {
    if x < 9.95 {
        format!("{x:.1}")
    } else {
        format!("{x:.0}")
    }
}

/// The figures of one simulated year, in words.
#[must_use]
pub fn describe(p: &WorkloadPoint) -> String {
    format!(
        "At {:.0} % desired retention: about {} reviews and {} minutes of study a day over the next year, and {:.0} cards known at its end.",
        p.desired_retention * 100.0,
        per_day(p.reviews_per_day),
        per_day(p.minutes_per_day),
        p.cards_known
    )
}

/// A colour swatch and its name as one item, so a narrow window (projector zoom) moves whole
/// entries to the next line.
fn key_entry(ui: &mut Ui, colour: egui::Color32, text: &str) {
    let galley = egui::WidgetText::from(RichText::new(text).small()).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        egui::TextStyle::Small,
    );
    let swatch_side = 12.0;
    let size = egui::vec2(
        swatch_side + 4.0 + galley.size().x,
        galley.size().y.max(swatch_side),
    );
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, ui.is_enabled(), text));
    let swatch = egui::Rect::from_min_size(
        egui::pos2(rect.left(), rect.center().y - swatch_side / 2.0),
        egui::vec2(swatch_side, swatch_side),
    );
    // A line's entry looks like the mark on the chart: a vertical line, solid or dashed.
    let x = swatch.center().x;
    let ends = [
        egui::pos2(x, swatch.top() - 2.0),
        egui::pos2(x, swatch.bottom() + 2.0),
    ];
    let stroke = egui::Stroke::new(1.5, colour);
    if text.contains("dashed") {
        ui.painter()
            .extend(egui::Shape::dashed_line(&ends, stroke, 3.0, 2.0));
    } else if text.contains("solid") {
        ui.painter().line_segment(ends, stroke);
    } else {
        ui.painter().rect_filled(swatch, 2.0, colour);
    }
    let text_pos = egui::pos2(
        rect.left() + swatch_side + 4.0,
        rect.center().y - galley.size().y / 2.0,
    );
    ui.painter()
        .galley(text_pos, galley, ui.visuals().text_color());
}

/// The chart's key, above it: what each line and mark means.
fn key(ui: &mut Ui, palette: &Palette, minimum: bool) {
    ui.horizontal_wrapped(|ui| {
        let entries = [
            (palette.accent, "Reviews a day"),
            (palette.warn, "Minutes a day"),
            (palette.right, "Cards known after a year"),
            (palette.text, "Your desired retention (solid line)"),
        ];
        let minimum = minimum.then_some((palette.muted, "Minimum recommended (dashed line)"));
        for (colour, text) in entries.into_iter().chain(minimum) {
            key_entry(ui, colour, text);
            ui.add_space(8.0);
        }
    });
}

impl RetentionChart {
    /// The screen opens: simulate again if anything was studied or changed since.
    pub fn open(&mut self, cx: &AppContext<'_>) {
        if std::mem::take(&mut self.outdated) {
            self.key = None;
        }
        self.refresh(cx);
    }

    /// The collection changed: studied or changed cards make the curve out of date.
    pub fn changed(&mut self, changes: Changes) {
        if changes.touches(Changes::CARDS | Changes::REVIEWS | Changes::DECKS) {
            self.outdated = true;
        }
    }

    fn library_id(cx: &AppContext<'_>) -> usize {
        Arc::as_ptr(cx.library()) as usize
    }

    /// Starts a simulation if the parameters or the settings it uses changed.
    fn refresh(&mut self, cx: &AppContext<'_>) {
        let key = Key::of(cx.settings(), Self::library_id(cx));
        if self.key.as_ref() == Some(&key) {
            return;
        }
        if let Some(old) = self.job.take() {
            old.cancel();
        }
        self.key = Some(key);
        let Some(connector) = cx.col().connector() else {
            self.error = Some("No profile is open: there is nothing to simulate.".to_owned());
            return;
        };
        let library = Arc::clone(cx.library());
        let now = cx.now_local();
        let current = cx.settings().desired_retention;
        self.job = Some(
            cx.jobs
                .spawn_with_progress(move |p| simulate(&connector, &library, &now, current, p)),
        );
        self.poll();
    }

    fn poll(&mut self) {
        match jobs::finished(&mut self.job) {
            None => {}
            Some(Ok(Ok(curve))) => {
                self.curve = Some(curve);
                self.error = None;
            }
            Some(Ok(Err(message))) => {
                self.curve = None;
                self.error = Some(message);
            }
            Some(Err(jobs::Lost)) => {
                self.error = Some("The simulation stopped unexpectedly.".to_owned());
            }
        }
    }

    /// Draws the chart, its marks and its figures.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>, palette: &Palette, retention: f32) {
        self.refresh(cx);
        self.poll();
        ui.label(
            RichText::new(
                "A year of study simulated with your parameters, cards and answer times: a higher desired retention means fewer cards forgotten, for more reviews.",
            )
            .color(palette.muted)
            .small(),
        );
        if let Some(job) = &self.job {
            let (done, total) = job.progress();
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!(
                    "Simulating a year at each desired retention… {done} of {total}"
                ));
            });
        }
        if let Some(error) = &self.error {
            ui.label(RichText::new(error).color(palette.muted));
        }
        let Some(curve) = &self.curve else {
            return;
        };
        key(ui, palette, curve.minimum_recommended.is_some());
        let (hovered, clicked) = plot(ui, curve, palette, retention);
        let shown = hovered.unwrap_or(retention);
        if let Some(point) = curve.nearest(shown) {
            ui.label(describe(point));
        }
        if let Some(min) = curve.minimum_recommended {
            ui.label(
                RichText::new(format!(
                    "Minimum recommended desired retention: {:.0} %. Below it, you would spend more time relearning forgotten cards than you save on reviews.",
                    min * 100.0
                ))
                .color(palette.muted)
                .small(),
            );
        }
        if let Some(x) = clicked {
            let picked = ((x.clamp(RETENTION_MIN, RETENTION_MAX)) * 100.0).round() / 100.0;
            if (picked - retention).abs() > 0.001 {
                cx.send(AppCommand::SetSetting {
                    key: "desired_retention".to_owned(),
                    value: format!("{picked:.2}"),
                });
            }
        }
    }
}

fn simulate(
    connector: &Connector,
    library: &flashdrill_core::deck::Library,
    now: &chrono::DateTime<chrono::Local>,
    current: f32,
    progress: &jobs::Progress,
) -> Curve {
    progress.set_stage("Simulating");
    let input = connector
        .open()
        .and_then(|store| optimize::profile_simulation_input(&store, library, now))
        .map_err(|e| messages::store("Your cards could not be read for the simulation", &e))?;
    optimize::retention_curve(
        &input,
        current,
        |p| progress.report(p.done, p.total),
        progress.cancel_flag(),
    )
    .map_err(|e| match e {
        OptimizeError::NoCards => {
            "The chart appears once this profile has cards: load a deck and study a little."
                .to_owned()
        }
        other => format!("The simulation stopped: {other}."),
    })
}

/// The smallest 1–2–5 step at least `min`.
fn nice_step(min: f64) -> f64 {
    if !(min.is_finite() && min > 0.0) {
        return 1.0;
    }
    let base = 10f64.powf(min.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| base * m)
        .find(|&step| step >= min)
        .unwrap_or(base * 10.0)
}

/// Horizontal grid lines on 1–2–5 steps, labelled ones far enough apart to read (egui_plot's
/// powers of ten leave a 0–1.3 axis with only its "0" labelled).
fn y_steps(input: &egui_plot::GridInput) -> [f64; 3] {
    let fine = nice_step(input.base_step_size);
    let labelled = nice_step(input.base_step_size * 4.0).max(fine);
    [fine, labelled, nice_step(labelled * 3.0)]
}

/// The two linked plots: workload per day above, cards known below. Returns the hovered
/// retention and a clicked one.
fn plot(
    ui: &mut Ui,
    curve: &RetentionCurve,
    palette: &Palette,
    retention: f32,
) -> (Option<f32>, Option<f32>) {
    let linked = egui::Id::unique("retention-link");
    let line = |points: Vec<[f64; 2]>| PlotPoints::from(points);
    let xs = |f: fn(&WorkloadPoint) -> f32| -> Vec<[f64; 2]> {
        curve
            .points
            .iter()
            .map(|p| [f64::from(p.desired_retention), f64::from(f(p))])
            .collect()
    };
    let percent = |mark: egui_plot::GridMark, _: &std::ops::RangeInclusive<f64>| {
        format!("{:.0} %", mark.value * 100.0)
    };
    let marks = |plot: &mut egui_plot::PlotUi<'_>| {
        plot.vline(
            VLine::new("Your desired retention", f64::from(retention))
                .color(palette.text)
                .width(1.5),
        );
        if let Some(min) = curve.minimum_recommended {
            plot.vline(
                VLine::new("Minimum recommended", f64::from(min))
                    .color(palette.muted)
                    .style(LineStyle::dashed_loose())
                    .width(1.5),
            );
        }
    };
    let base = |id: &str, height: f32| {
        Plot::new(id.to_owned())
            .height(height)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .allow_double_click_reset(false)
            .include_x(f64::from(RETENTION_MIN) - 0.005)
            .include_x(f64::from(RETENTION_MAX) + 0.005)
            .link_axis(linked, [true, false])
            .link_cursor(linked, [true, false])
            .x_axis_formatter(percent)
            .y_axis_min_width(52.0)
            .y_grid_spacer(egui_plot::uniform_grid_spacer(|input| y_steps(&input)))
            .y_axis_formatter(|mark, _| {
                // As many decimals as the step needs: 0.5 → one, 2 → none.
                let decimals = (-mark.step_size.log10()).ceil().max(0.0) as usize;
                format!("{:.*}", decimals, mark.value)
            })
    };
    let label = |pos: &HoverPosition<'_>| -> Option<String> {
        let (HoverPosition::NearDataPoint { position, .. } | HoverPosition::Elsewhere { position }) =
            pos;
        let p = curve.nearest(position.x as f32)?;
        Some(format!(
            "{:.0} %: {} reviews, {} min a day; {:.0} known",
            p.desired_retention * 100.0,
            per_day(p.reviews_per_day),
            per_day(p.minutes_per_day),
            p.cards_known
        ))
    };
    let reviews = xs(|p| p.reviews_per_day);
    let minutes = xs(|p| p.minutes_per_day);
    let known = xs(|p| p.cards_known);
    let top = base("retention-workload", 170.0)
        .include_y(0.0)
        .y_axis_label("Per day")
        .label_formatter(label)
        .show(ui, |plot| {
            plot.line(
                Line::new("Reviews a day", line(reviews))
                    .color(palette.accent)
                    .width(2.0),
            );
            plot.line(
                Line::new("Minutes a day", line(minutes))
                    .color(palette.warn)
                    .width(2.0),
            );
            marks(plot);
            let hovered = plot.response().hovered();
            (
                plot.pointer_coordinate().filter(|_| hovered),
                plot.response().clicked(),
            )
        });
    let bottom = base("retention-known", 140.0)
        .y_axis_label("Cards known")
        .x_axis_label("Desired retention")
        .label_formatter(label)
        .show(ui, |plot| {
            plot.line(
                Line::new("Cards known after a year", line(known))
                    .color(palette.right)
                    .width(2.0),
            );
            marks(plot);
            let hovered = plot.response().hovered();
            (
                plot.pointer_coordinate().filter(|_| hovered),
                plot.response().clicked(),
            )
        });
    // Text equivalents (the Desired retention slider above does what a click here does).
    top.response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Image,
            true,
            "Chart of the reviews and minutes of study a day over the next year (up) at each \
             desired retention (across); a solid line marks your setting, a dashed one the \
             minimum recommended; a click picks that retention",
        )
    });
    bottom.response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Image,
            true,
            "Chart of the cards known after a year (up) at each desired retention (across); a \
             click picks that retention",
        )
    });
    let mut hovered = None;
    let mut clicked = None;
    for (pointer, click) in [top.inner, bottom.inner] {
        if let Some(p) = pointer {
            hovered = Some(p.x as f32);
            if click {
                clicked = Some(p.x as f32);
            }
        }
    }
    (hovered, clicked)
}
