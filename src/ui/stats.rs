//! Statistics: today's numbers and streaks, reviews and time per day, the 30-day forecast,
//! true retention by week, mastery by category and a year's calendar heatmap.
//!
//! The numbers are computed by the app off the UI thread ([`crate::stats`]); this screen only
//! draws them and reports the filter the learner picks.

use chrono::{Datelike, NaiveDate, TimeDelta};
use egui::{Color32, RichText, Sense, Stroke, Ui};
use egui_plot::{Bar, BarChart, GridInput, GridMark, HLine, Line, LineStyle, Plot, PlotPoints};

use super::theme::{Palette, size};
use super::widgets;
use std::path::PathBuf;

use crate::schedule::Rating;
use crate::stats::report::ReportFormat;
use crate::stats::{DayStats, Level, Stats};

/// How many days the per-day charts show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DayRange {
    #[default]
    Month,
    Quarter,
    Year,
}

impl DayRange {
    pub const ALL: [DayRange; 3] = [DayRange::Month, DayRange::Quarter, DayRange::Year];

    #[must_use]
    pub fn days(self) -> usize {
        match self {
            Self::Month => 30,
            Self::Quarter => 90,
            Self::Year => 365,
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Month => "30 days",
            Self::Quarter => "90 days",
            Self::Year => "1 year",
        }
    }
}

/// The screen's own state: the chart range, the filters and the report to export.
#[derive(Debug, Clone, Default)]
pub struct StatsState {
    pub range: DayRange,
    /// The deck picked in the filter; `None`: all decks.
    pub deck: Option<String>,
    /// The profile picked in the filter (its slug); `None`: the open profile.
    pub profile: Option<String>,
    /// The format of the next exported report.
    pub report_format: ReportFormat,
    /// Where "Save" writes the report (typed, or chosen in the file dialog).
    pub report_path: String,
}

/// What the screen shows.
pub struct StatsView<'a> {
    /// The statistics for the current filter, once computed.
    pub stats: Option<&'a Stats>,
    /// New statistics are being computed (a spinner shows; old numbers stay visible).
    pub loading: bool,
    /// Why the statistics could not be computed.
    pub error: Option<&'a str>,
    /// Deck id and title, for the filter.
    pub decks: &'a [(String, String)],
    /// Every profile's slug and name, for the filter; the open one first.
    pub profiles: &'a [(String, String)],
    /// The outcome of the last export: the message and whether it is an error.
    pub report_notice: Option<(&'a str, bool)>,
    /// A report is being written.
    pub exporting: bool,
}

/// What the learner asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatsAction {
    /// The deck filter changed (already stored in [`StatsState::deck`]): recompute.
    DeckChanged(Option<String>),
    /// Compute again (after an error).
    Refresh,
    /// Go to the deck list.
    GoToDecks,
    /// The profile filter changed (already stored in [`StatsState::profile`]): recompute.
    ProfileChanged(Option<String>),
    /// Choose a file in a dialog, then export the report there.
    ExportDialog(ReportFormat),
    /// Export the report to this file.
    ExportTo(PathBuf, ReportFormat),
}

/// The empty state's message.
pub const EMPTY_TEXT: &str = "No reviews yet — study a deck and your progress appears here";

const PLOT_HEIGHT: f32 = 170.0;

impl StatsState {
    pub fn show(&mut self, ui: &mut Ui, view: &StatsView<'_>) -> Option<StatsAction> {
        let palette = Palette::of(ui.visuals());
        let mut action = None;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                widgets::centered_column(ui, 960.0, |ui| {
                    self.header(ui, view, &mut action);
                    ui.add_space(6.0);
                    if let Some(error) = view.error {
                        ui.label(RichText::new(error).color(palette.wrong));
                        if ui.button("Try again").clicked() {
                            action = Some(StatsAction::Refresh);
                        }
                        return;
                    }
                    match view.stats {
                        None => {
                            ui.horizontal(|ui| {
                                ui.spinner();
                                ui.label("Computing statistics…");
                            });
                        }
                        Some(stats) if stats.is_empty() => {
                            empty_state(ui, self.deck.is_some(), &palette, &mut action);
                        }
                        Some(stats) => {
                            self.body(ui, stats, &palette);
                            self.export(ui, view, &palette, &mut action);
                            ui.add_space(16.0);
                        }
                    }
                });
            });
        action
    }

    fn header(&mut self, ui: &mut Ui, view: &StatsView<'_>, action: &mut Option<StatsAction>) {
        ui.horizontal(|ui| {
            ui.label(RichText::new("Statistics").size(size::PROMPT).strong());
            if view.loading && view.stats.is_some() {
                ui.spinner();
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let before = self.deck.clone();
                let selected = self
                    .deck
                    .as_deref()
                    .and_then(|id| view.decks.iter().find(|(d, _)| d == id))
                    .map_or("All decks", |(_, title)| title.as_str());
                // Right to left: the combo first, then its label on its left.
                let combo = egui::ComboBox::from_id_salt("stats-deck")
                    .height(super::widgets::COMBO_HEIGHT)
                    .selected_text(selected)
                    .width(260.0)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.deck, None, "All decks");
                        for (id, title) in view.decks {
                            ui.selectable_value(&mut self.deck, Some(id.clone()), title);
                        }
                    })
                    .response;
                let label = ui.label("Deck:");
                combo
                    .labelled_by(label.id)
                    .on_hover_text("Show the statistics of one deck or of all");
                if self.deck != before {
                    *action = Some(StatsAction::DeckChanged(self.deck.clone()));
                }
                if view.profiles.len() > 1 {
                    ui.add_space(12.0);
                    self.profile_filter(ui, view, action);
                }
            });
        });
    }

    /// Whose statistics: the open profile or another learner's on this computer.
    fn profile_filter(
        &mut self,
        ui: &mut Ui,
        view: &StatsView<'_>,
        action: &mut Option<StatsAction>,
    ) {
        let before = self.profile.clone();
        let name = |slug: Option<&str>| {
            slug.and_then(|s| view.profiles.iter().find(|(p, _)| p == s))
                .or_else(|| view.profiles.first())
                .map_or("", |(_, name)| name.as_str())
        };
        let combo = egui::ComboBox::from_id_salt("stats-profile")
            .height(super::widgets::COMBO_HEIGHT)
            .selected_text(name(self.profile.as_deref()))
            .width(180.0)
            .show_ui(ui, |ui| {
                for (i, (slug, name)) in view.profiles.iter().enumerate() {
                    let value = (i > 0).then(|| slug.clone());
                    ui.selectable_value(&mut self.profile, value, name);
                }
            })
            .response;
        let label = ui.label("Profile:");
        combo
            .labelled_by(label.id)
            .on_hover_text("Show another learner's statistics (nothing is switched)");
        if self.profile != before {
            *action = Some(StatsAction::ProfileChanged(self.profile.clone()));
        }
    }

    /// The report of this profile's results to save: format, file dialog or a typed path.
    fn export(
        &mut self,
        ui: &mut Ui,
        view: &StatsView<'_>,
        palette: &Palette,
        action: &mut Option<StatsAction>,
    ) {
        ui.heading("Report");
        ui.label(
            RichText::new(
                "Every card's and every category's results, for a student's or a teacher's records.",
            )
            .color(palette.muted),
        );
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Format:");
            egui::ComboBox::from_id_salt("stats-report-format")
                .height(super::widgets::COMBO_HEIGHT)
                .selected_text(self.report_format.label())
                .width(220.0)
                .show_ui(ui, |ui| {
                    for format in ReportFormat::ALL {
                        ui.selectable_value(&mut self.report_format, format, format.label());
                    }
                })
                .response
                .labelled_by(label.id);
            if ui
                .add_enabled(!view.exporting, egui::Button::new("Export report…"))
                .on_hover_text("Choose where to save the report")
                .clicked()
            {
                *action = Some(StatsAction::ExportDialog(self.report_format));
            }
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Save report to:");
            ui.add(
                egui::TextEdit::singleline(&mut self.report_path)
                    .hint_text(format!(
                        "/path/to/report.{}",
                        self.report_format.extension()
                    ))
                    .desired_width(360.0),
            )
            .labelled_by(label.id);
            let path = self.report_path.trim();
            if ui
                .add_enabled(
                    !path.is_empty() && !view.exporting,
                    egui::Button::new("Save report"),
                )
                .clicked()
            {
                *action = Some(StatsAction::ExportTo(
                    PathBuf::from(path),
                    self.report_format,
                ));
            }
            if view.exporting {
                ui.spinner();
            }
        });
        if let Some((text, is_error)) = view.report_notice {
            let colour = if is_error {
                palette.wrong
            } else {
                palette.right
            };
            ui.label(RichText::new(text).color(colour));
        }
    }

    fn body(&mut self, ui: &mut Ui, stats: &Stats, palette: &Palette) {
        today_numbers(ui, stats, palette);
        ui.add_space(12.0);

        ui.horizontal(|ui| {
            ui.heading("Reviews per day");
            ui.add_space(12.0);
            for range in DayRange::ALL {
                if ui
                    .selectable_label(self.range == range, range.label())
                    .on_hover_text("How many days the charts show")
                    .clicked()
                {
                    self.range = range;
                }
            }
        });
        let days = stats.last_days(self.range.days());
        reviews_chart(ui, stats.today, days, palette);
        ui.add_space(10.0);
        ui.heading("Time spent per day");
        minutes_chart(ui, stats.today, days, palette);
        ui.add_space(10.0);

        ui.heading("Due in the next 30 days");
        forecast_chart(ui, stats, palette);
        ui.add_space(10.0);

        ui.heading("True retention by week");
        retention_chart(ui, stats, palette);
        ui.add_space(10.0);

        ui.heading("Mastery by category");
        mastery(ui, stats, palette);
        ui.add_space(10.0);

        ui.heading("Activity over the last year");
        heatmap(ui, stats, palette);
        ui.add_space(16.0);
    }
}

fn empty_state(ui: &mut Ui, deck: bool, palette: &Palette, action: &mut Option<StatsAction>) {
    ui.add_space(40.0);
    ui.vertical_centered(|ui| {
        ui.label(
            RichText::new(if deck {
                "No reviews of this deck yet — study it and its progress appears here"
            } else {
                EMPTY_TEXT
            })
            .size(size::HEADING),
        );
        ui.add_space(8.0);
        ui.label(
            RichText::new(
                "Reviews per day, retention, mastery and your streak are worked out from your answers.",
            )
            .color(palette.muted),
        );
        ui.add_space(16.0);
        if widgets::primary_button(ui, "Go to decks", palette).clicked() {
            *action = Some(StatsAction::GoToDecks);
        }
    });
}

fn percent(v: f64) -> String {
    format!("{:.0} %", v * 100.0)
}

fn days_text(n: u32) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

/// One big number with its caption underneath (never wrapped).
fn figure(ui: &mut Ui, value: &str, caption: &str, palette: &Palette) {
    ui.vertical(|ui| {
        ui.set_min_width(110.0);
        ui.add(
            egui::Label::new(
                RichText::new(value)
                    .size(size::HEADING)
                    .strong()
                    .color(palette.accent),
            )
            .wrap_mode(egui::TextWrapMode::Extend),
        );
        ui.add(
            egui::Label::new(RichText::new(caption).color(palette.muted))
                .wrap_mode(egui::TextWrapMode::Extend),
        );
    });
}

fn today_numbers(ui: &mut Ui, stats: &Stats, palette: &Palette) {
    let t = &stats.today_numbers;
    widgets::card_frame(ui, palette).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 28.0;
            {
                figure(ui, &t.reviews.to_string(), "Reviews today", palette);
                figure(ui, &format!("{:.0}", t.minutes()), "Minutes today", palette);
                figure(
                    ui,
                    &t.right_rate().map_or_else(|| "–".to_owned(), percent),
                    "Right today",
                    palette,
                );
                figure(
                    ui,
                    &days_text(stats.streaks.current),
                    "Current streak",
                    palette,
                );
                figure(
                    ui,
                    &days_text(stats.streaks.longest),
                    "Longest streak",
                    palette,
                );
            }
        });
    });
}

/// A plot with the page's common look: fixed (no pan or zoom, so the page scrolls), a
/// legend, dates on the x axis (x = days from today).
fn day_plot(id: &str, today: NaiveDate) -> Plot<'static> {
    Plot::new(id)
        .height(PLOT_HEIGHT)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .allow_axis_zoom_drag(false)
        .sense(Sense::hover())
        .show_grid([false, true])
        .include_y(0.0)
        .y_grid_spacer(grid_spacer(1.0))
        .x_axis_formatter(move |mark: GridMark, _| date_label(today, mark.value))
        .y_axis_min_width(28.0)
}

/// The smallest of 1, 2, 5 × 10^k that is at least `min`.
fn nice_step(min: f64) -> f64 {
    let min = if min.is_finite() && min > 0.0 {
        min
    } else {
        1.0
    };
    let base = 10f64.powf(min.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| base * m)
        .find(|&step| step >= min)
        .unwrap_or(base * 10.0)
}

/// Horizontal grid lines on 1–2–5 steps with labelled lines far enough apart to be read (the
/// default powers of ten leave a chart of 0–8 with only its "0" labelled). `min_step`: the
/// finest step worth a line (1 for counts).
fn grid_spacer(min_step: f64) -> Box<dyn Fn(GridInput) -> Vec<GridMark>> {
    egui_plot::uniform_grid_spacer(move |input| {
        let fine = nice_step(input.base_step_size.max(min_step));
        let labelled = nice_step(input.base_step_size * 4.0).max(fine);
        [fine, labelled, nice_step(labelled * 3.0)]
    })
}

/// "12 Mar" for a whole number of days from today; nothing between days.
fn date_label(today: NaiveDate, x: f64) -> String {
    if (x - x.round()).abs() > 1e-6 {
        return String::new();
    }
    today
        .checked_add_signed(TimeDelta::days(x.round() as i64))
        .map_or_else(String::new, |d| d.format("%-d %b").to_string())
}

/// x position of `days[i]`: days from today (today = 0).
fn x_of(days: &[DayStats], i: usize) -> f64 {
    i as f64 - (days.len() as f64 - 1.0)
}

fn reviews_chart(ui: &mut Ui, today: NaiveDate, days: &[DayStats], palette: &Palette) {
    let width = if days.len() > 100 { 1.0 } else { 0.8 };
    let series: Vec<(Rating, Vec<Bar>)> = Rating::ALL
        .iter()
        .map(|&rating| {
            let colour = palette.rating(rating);
            let bars = days
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    Bar::new(x_of(days, i), f64::from(d.rated(rating)))
                        .width(width)
                        .fill(colour)
                        .stroke(Stroke::new(0.5, colour))
                        .name(d.date.format("%-d %b").to_string())
                })
                .collect();
            (rating, bars)
        })
        .collect();
    let mut charts: Vec<BarChart> = Vec::with_capacity(4);
    for (rating, bars) in series {
        let label = rating.label();
        let chart = BarChart::new(label, bars)
            .color(palette.rating(rating))
            .element_formatter(Box::new(move |bar, _| {
                format!("{}: {} {label}", bar.name, bar.value)
            }));
        let stacked = {
            let below: Vec<&BarChart> = charts.iter().collect();
            chart.stack_on(&below)
        };
        charts.push(stacked);
    }
    day_plot("stats-reviews", today).show(ui, |plot| {
        for chart in charts {
            plot.bar_chart(chart);
        }
    });
    // The legend sits under the chart, where it never hides a bar.
    ui.horizontal(|ui| {
        for rating in Rating::ALL {
            widgets::swatch(ui, palette.rating(rating));
            ui.label(RichText::new(rating.label()).color(palette.muted).small());
        }
    });
}

fn minutes_chart(ui: &mut Ui, today: NaiveDate, days: &[DayStats], palette: &Palette) {
    let width = if days.len() > 100 { 1.0 } else { 0.8 };
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            Bar::new(x_of(days, i), d.minutes())
                .width(width)
                .fill(palette.accent)
                .stroke(Stroke::new(0.5, palette.accent))
                .name(d.date.format("%-d %b").to_string())
        })
        .collect();
    let chart = BarChart::new("Minutes", bars)
        .color(palette.accent)
        .element_formatter(Box::new(|bar, _| {
            format!("{}: {:.1} minutes", bar.name, bar.value)
        }));
    day_plot("stats-minutes", today)
        .y_grid_spacer(grid_spacer(0.1))
        .y_axis_label("minutes")
        .show(ui, |plot| plot.bar_chart(chart));
}

fn forecast_chart(ui: &mut Ui, stats: &Stats, palette: &Palette) {
    let colour = palette.state[Level::Young.index()];
    let bars = stats
        .forecast
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let name = match i {
                0 => "Today and overdue".to_owned(),
                1 => "Tomorrow".to_owned(),
                _ => stats.forecast_date(i).format("%a %-d %b").to_string(),
            };
            Bar::new(i as f64, f64::from(n))
                .width(0.8)
                .fill(colour)
                .stroke(Stroke::new(0.5, colour))
                .name(name)
        })
        .collect();
    let chart = BarChart::new("Due", bars)
        .color(colour)
        .element_formatter(Box::new(|bar, _| {
            format!("{}: {} due", bar.name, bar.value)
        }));
    let total: u32 = stats.forecast.iter().sum();
    day_plot("stats-forecast", stats.today).show(ui, |plot| plot.bar_chart(chart));
    ui.label(
        RichText::new(format!(
            "{} due today (with overdue), {total} in the next 30 days. Suspended and new cards are not counted.",
            stats.forecast.first().copied().unwrap_or(0)
        ))
        .color(palette.muted)
        .small(),
    );
}

fn retention_chart(ui: &mut Ui, stats: &Stats, palette: &Palette) {
    let desired = f64::from(stats.desired_retention) * 100.0;
    let weeks = &stats.retention_weeks;
    let points: Vec<[f64; 2]> = weeks
        .iter()
        .enumerate()
        .filter_map(|(i, w)| {
            w.retention
                .rate()
                .map(|r| [i as f64 - (weeks.len() as f64 - 1.0), r * 100.0])
        })
        .collect();
    let recent = stats.recent_retention;
    if points.is_empty() {
        ui.label(
            RichText::new(
                "True retention appears once cards you have learned come back for review.",
            )
            .color(palette.muted),
        );
        return;
    }
    let mondays: Vec<NaiveDate> = weeks.iter().map(|w| w.start).collect();
    Plot::new("stats-retention")
        .height(PLOT_HEIGHT)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .allow_axis_zoom_drag(false)
        .sense(Sense::hover())
        .include_y(0.0)
        .include_y(100.0)
        .y_grid_spacer(grid_spacer(5.0))
        .y_axis_label("% passed")
        .x_axis_formatter(move |mark: GridMark, _| {
            let x = mark.value;
            if (x - x.round()).abs() > 1e-6 {
                return String::new();
            }
            let i = x.round() as i64 + mondays.len() as i64 - 1;
            usize::try_from(i)
                .ok()
                .and_then(|i| mondays.get(i))
                .map_or_else(String::new, |d| d.format("%-d %b").to_string())
        })
        .show(ui, |plot| {
            plot.line(
                Line::new("True retention", PlotPoints::new(points))
                    .color(palette.accent)
                    .width(2.0),
            );
            plot.hline(
                HLine::new(format!("Desired {desired:.0} %"), desired)
                    .color(palette.muted)
                    .style(LineStyle::dashed_loose())
                    .width(1.5),
            );
        });
    ui.horizontal(|ui| {
        widgets::swatch(ui, palette.accent);
        ui.label(RichText::new("true retention").color(palette.muted).small());
        widgets::swatch(ui, palette.muted);
        ui.label(
            RichText::new(format!("desired retention ({desired:.0} %, dashed)"))
                .color(palette.muted)
                .small(),
        );
    });
    ui.label(
        RichText::new(match recent.rate() {
            Some(r) => format!(
                "Last 30 days: {} of {} reviews of learned cards passed (desired {desired:.0} %).",
                percent(r),
                recent.total()
            ),
            None => "No reviews of learned cards in the last 30 days.".to_owned(),
        })
        .color(palette.muted)
        .small(),
    );
}

fn mastery(ui: &mut Ui, stats: &Stats, palette: &Palette) {
    if let Some(recall) = stats.recall {
        ui.label(
            RichText::new(format!("Would recall today: {}", percent(recall)))
                .size(size::BODY + 2.0)
                .strong(),
        );
    }
    egui::Grid::new("stats-mastery")
        .num_columns(4)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            for m in &stats.mastery {
                ui.label(m.category.label());
                let counts = m.counts.as_array();
                let parts: Vec<(f32, Color32)> = counts
                    .iter()
                    .zip(palette.state)
                    .map(|(&n, c)| (n as f32, c))
                    .collect();
                let [new, learning, young, mature] = counts;
                widgets::stacked_bar(ui, &parts, 360.0, 14.0, palette.track).on_hover_text(
                    format!(
                        "{new} new · {learning} learning · {young} young · {mature} mature (stability ≥ 21 days)"
                    ),
                );
                ui.label(
                    RichText::new(format!("{mature} of {} mature", m.counts.total()))
                        .color(palette.muted)
                        .small(),
                );
                ui.label(
                    RichText::new(m.recall.map_or_else(
                        || "not studied yet".to_owned(),
                        |r| format!("would recall today: {}", percent(r)),
                    ))
                    .color(palette.muted)
                    .small(),
                );
                ui.end_row();
            }
        });
    ui.horizontal(|ui| {
        for (level, colour) in Level::ALL.iter().zip(palette.state) {
            widgets::swatch(ui, colour);
            ui.label(
                RichText::new(level.label().to_lowercase())
                    .color(palette.muted)
                    .small(),
            );
        }
    });
}

/// The colour of a heatmap square: the track colour for no reviews, then four steps towards
/// the accent colour by the share of the busiest day.
fn heat(count: u32, max: u32, palette: &Palette) -> Color32 {
    if count == 0 || max == 0 {
        return palette.track;
    }
    let share = count as f32 / max as f32;
    let t = if share <= 0.25 {
        0.35
    } else if share <= 0.5 {
        0.55
    } else if share <= 0.75 {
        0.78
    } else {
        1.0
    };
    palette.track.lerp_to_gamma(palette.accent, t)
}

fn heatmap(ui: &mut Ui, stats: &Stats, palette: &Palette) {
    const CELL: f32 = 12.0;
    const GAP: f32 = 3.0;
    const LABEL_W: f32 = 32.0;
    const TOP: f32 = 16.0;
    let days = &stats.days;
    let Some(first) = days.first() else { return };
    // Columns are weeks (Monday first); the first column starts on the first day's Monday.
    let lead = first.date.weekday().num_days_from_monday() as usize;
    let columns = (lead + days.len()).div_ceil(7);
    let max = days.iter().map(DayStats::reviews).max().unwrap_or(0);
    let size = egui::vec2(
        LABEL_W + columns as f32 * (CELL + GAP),
        TOP + 7.0 * (CELL + GAP),
    );
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    let painter = ui.painter_at(rect);
    let font = egui::FontId::proportional(size::SMALL - 2.0);
    for (row, name) in [(0, "Mon"), (2, "Wed"), (4, "Fri")] {
        painter.text(
            rect.left_top() + egui::vec2(0.0, TOP + row as f32 * (CELL + GAP) + CELL / 2.0),
            egui::Align2::LEFT_CENTER,
            name,
            font.clone(),
            palette.muted,
        );
    }
    let cell_rect = |slot: usize| {
        let (col, row) = (slot / 7, slot % 7);
        egui::Rect::from_min_size(
            rect.left_top()
                + egui::vec2(
                    LABEL_W + col as f32 * (CELL + GAP),
                    TOP + row as f32 * (CELL + GAP),
                ),
            egui::vec2(CELL, CELL),
        )
    };
    // The column of the last month label, so that labels never overlap.
    let mut last_label: Option<usize> = None;
    let mut hovered = None;
    let hover = response.hover_pos();
    for (i, day) in days.iter().enumerate() {
        let slot = lead + i;
        let r = cell_rect(slot);
        let n = day.reviews();
        painter.rect_filled(r, 2.0, heat(n, max, palette));
        if i + 1 == days.len() {
            painter.rect_stroke(
                r.expand(1.0),
                2.0,
                Stroke::new(1.5, palette.text),
                egui::StrokeKind::Outside,
            );
        }
        let column = slot / 7;
        // A month is named above the first column holding its 1st (or the first column, when
        // the month has most of its days still to come), at least 3 columns after the last.
        let first_week = day.date.day() <= 7 || (i == 0 && day.date.day() <= 14);
        if (slot.is_multiple_of(7) || i == 0)
            && first_week
            && last_label.is_none_or(|c| column >= c + 3)
        {
            painter.text(
                egui::pos2(r.left(), rect.top()),
                egui::Align2::LEFT_TOP,
                day.date.format("%b").to_string(),
                font.clone(),
                palette.muted,
            );
            last_label = Some(column);
        }
        if hover.is_some_and(|p| r.expand(GAP / 2.0).contains(p)) {
            hovered = Some(*day);
        }
    }
    if let Some(day) = hovered {
        response.on_hover_text(format!(
            "{}: {} reviews",
            day.date.format("%a %-d %b %Y"),
            day.reviews()
        ));
    }
    let active = days.iter().filter(|d| d.reviews() > 0).count();
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!(
                "{active} of the last {} days with reviews · current streak {} · longest {}",
                days.len(),
                days_text(stats.streaks.current),
                days_text(stats.streaks.longest)
            ))
            .color(palette.muted)
            .small(),
        );
        ui.add_space(12.0);
        ui.label(RichText::new("Fewer").color(palette.muted).small());
        for n in [0, 1, 2, 3, 4] {
            widgets::swatch(ui, heat(n, 4, palette));
        }
        ui.label(RichText::new("More").color(palette.muted).small());
    });
}
