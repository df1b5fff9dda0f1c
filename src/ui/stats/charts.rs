//! The statistics page's charts: reviews and time per day, the 30-day forecast, true retention
//! by week, mastery by category and a year's calendar heatmap.

use chrono::{Datelike, NaiveDate, TimeDelta};
use egui::{Color32, RichText, Sense, Stroke, Ui};
use egui_plot::{Bar, BarChart, GridInput, GridMark, HLine, Line, LineStyle, Plot, PlotPoints};

use super::format::{days_text, percent};
use crate::ui::theme::{Palette, size};
use crate::ui::widgets;
use flashdrill_core::schedule::Rating;
use flashdrill_core::stats::{DayStats, Level, Stats};

const PLOT_HEIGHT: f32 = 170.0;

/// A plot of the page's height that holds still (no pan or zoom, so the page scrolls), with
/// tooltips on hover.
pub(super) fn still_plot(id: &str) -> Plot<'static> {
    Plot::new(id)
        .height(PLOT_HEIGHT)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .allow_axis_zoom_drag(false)
        .sense(Sense::hover())
}

/// A plot with the page's common look: fixed (no pan or zoom, so the page scrolls), a
/// legend, dates on the x axis (x = days from today).
fn day_plot(id: &str, today: NaiveDate) -> Plot<'static> {
    still_plot(id)
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

/// Gives a painted chart its text equivalent: a screen reader meets an image named `text`.
fn describe(response: &egui::Response, text: &str) {
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, text));
}

/// "the busiest day, 3 Dec, with 12" for the day of `days` where `value` is highest (and above
/// zero), else nothing.
fn busiest(days: &[DayStats], value: impl Fn(&DayStats) -> f64, unit: &str) -> String {
    days.iter()
        .filter(|d| value(d) > 0.0)
        .max_by(|a, b| value(a).total_cmp(&value(b)))
        .map_or_else(String::new, |d| {
            format!(
                "; the busiest day, {}, with {} {unit}",
                d.date.format("%-d %b"),
                (value(d) * 10.0).round() / 10.0
            )
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

pub(super) fn reviews_chart(ui: &mut Ui, today: NaiveDate, days: &[DayStats], palette: &Palette) {
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
    let response = day_plot("stats-reviews", today)
        .show(ui, |plot| {
            for chart in charts {
                plot.bar_chart(chart);
            }
        })
        .response;
    let by_rating: Vec<String> = Rating::ALL
        .iter()
        .map(|&r| {
            let n: u32 = days.iter().map(|d| d.rated(r)).sum();
            format!("{n} {}", r.label())
        })
        .collect();
    let total: u32 = days.iter().map(DayStats::reviews).sum();
    describe(
        &response,
        &format!(
            "Chart of reviews per day over the last {} days: {total} in all ({}){}",
            days.len(),
            by_rating.join(", "),
            busiest(days, |d| f64::from(d.reviews()), "reviews")
        ),
    );
    // The legend sits under the chart, where it never hides a bar.
    ui.horizontal(|ui| {
        for rating in Rating::ALL {
            widgets::swatch(ui, palette.rating(rating));
            ui.label(RichText::new(rating.label()).color(palette.muted).small());
        }
    });
}

pub(super) fn minutes_chart(ui: &mut Ui, today: NaiveDate, days: &[DayStats], palette: &Palette) {
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
    let response = day_plot("stats-minutes", today)
        .y_grid_spacer(grid_spacer(0.1))
        .y_axis_label("minutes")
        .show(ui, |plot| plot.bar_chart(chart))
        .response;
    let total: f64 = days.iter().map(DayStats::minutes).sum();
    describe(
        &response,
        &format!(
            "Chart of minutes studied per day over the last {} days: {:.1} minutes in all{}",
            days.len(),
            total,
            busiest(days, DayStats::minutes, "minutes")
        ),
    );
}

pub(super) fn forecast_chart(ui: &mut Ui, stats: &Stats, palette: &Palette) {
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
    let response = day_plot("stats-forecast", stats.today)
        .show(ui, |plot| plot.bar_chart(chart))
        .response;
    let peak = stats
        .forecast
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .max_by_key(|&(i, &n)| (n, std::cmp::Reverse(i)))
        .map_or_else(String::new, |(i, n)| {
            format!(
                "; the most on {} ({n})",
                stats.forecast_date(i).format("%a %-d %b")
            )
        });
    describe(
        &response,
        &format!(
            "Chart of cards due in each of the next 30 days: {} today (with overdue), {} \
             tomorrow, {total} in all{peak}",
            stats.forecast.first().copied().unwrap_or(0),
            stats.forecast.get(1).copied().unwrap_or(0),
        ),
    );
    ui.label(
        RichText::new(format!(
            "{} due today (with overdue), {total} in the next 30 days. Suspended and new cards are not counted.",
            stats.forecast.first().copied().unwrap_or(0)
        ))
        .color(palette.muted)
        .small(),
    );
}

/// Weeks the true-retention chart spans at least, so that one week of data is a dot on a
/// time line rather than a plot of nothing.
const RETENTION_MIN_WEEKS: f64 = 8.0;

pub(super) fn retention_chart(ui: &mut Ui, stats: &Stats, palette: &Palette) {
    let desired = f64::from(stats.desired_retention) * 100.0;
    let weeks = &stats.retention_weeks;
    // x = weeks before the current one (0 = this week); only weeks with answers are points.
    let this_week = weeks.len() as f64 - 1.0;
    let shown: Vec<(f64, f64, &flashdrill_core::stats::WeekRetention)> = weeks
        .iter()
        .enumerate()
        .filter_map(|(i, w)| {
            w.retention
                .rate()
                .map(|r| (i as f64 - this_week, r * 100.0, w))
        })
        .collect();
    let points: Vec<[f64; 2]> = shown.iter().map(|&(x, y, _)| [x, y]).collect();
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
    let last = points.last().map_or(0.0, |p| p[1]);
    let spoken = format!(
        "Chart of true retention by week: {} weeks with reviews of learned cards, {last:.0} % \
         passed in the latest, against the desired {desired:.0} %",
        points.len()
    );
    let first_x = points.first().map_or(0.0, |p| p[0]);
    // The span runs from the first week with answers (or 8 weeks back) to this week, and
    // never past it: no date on the axis is in the future.
    let from = first_x.min(1.0 - RETENTION_MIN_WEEKS) - 0.5;
    let plot = still_plot("stats-retention")
        .include_y(0.0)
        .include_y(100.0)
        .default_x_bounds(from, 0.5)
        .y_grid_spacer(grid_spacer(5.0))
        .y_axis_label("% passed")
        .x_axis_label("Week starting")
        .x_axis_formatter(move |mark: GridMark, _| {
            let x = mark.value;
            if (x - x.round()).abs() > 1e-6 || x > 0.0 {
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
                Line::new("True retention", PlotPoints::new(points.clone()))
                    .color(palette.accent)
                    .width(2.0),
            );
            // A marker on every week, so that a single week shows too.
            plot.points(
                egui_plot::Points::new("Weeks", PlotPoints::new(points.clone()))
                    .color(palette.accent)
                    .filled(true)
                    .radius(4.0),
            );
            plot.hline(
                HLine::new(format!("Desired {desired:.0} %"), desired)
                    .color(palette.muted)
                    .style(LineStyle::dashed_loose())
                    .width(1.5),
            );
            shown
                .iter()
                .map(|&(x, y, _)| plot.screen_from_plot(egui_plot::PlotPoint::new(x, y)))
                .collect::<Vec<_>>()
        });
    // Each week's point, named for screen readers and with its figures on hover.
    for (&(_, _, week), at) in shown.iter().zip(&plot.inner) {
        let r = week.retention;
        let name = format!(
            "Week of {}: {} passed ({} of {})",
            week.start.format("%-d %b %Y"),
            r.rate().map_or_else(String::new, percent),
            r.passed,
            r.total()
        );
        let rect = egui::Rect::from_center_size(*at, egui::vec2(10.0, 10.0));
        ui.interact(rect, plot.response.id.with(week.start), Sense::hover())
            .on_hover_text_at_pointer(&name)
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &name));
    }
    let response = plot.response;
    describe(&response, &spoken);
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

pub(super) fn mastery(ui: &mut Ui, stats: &Stats, palette: &Palette) {
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
                widgets::stacked_bar(ui, &parts, 360.0, 14.0, palette.track).on_hover_text_at_pointer(
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

pub(super) fn heatmap(ui: &mut Ui, stats: &Stats, palette: &Palette) {
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
    let studied = days.iter().filter(|d| d.reviews() > 0).count();
    describe(
        &response,
        &format!(
            "Calendar of the last {} days, a square a day, darker with more reviews: {studied} \
             days with reviews{}",
            days.len(),
            busiest(days, |d| f64::from(d.reviews()), "reviews")
        ),
    );
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
        response.on_hover_text_at_pointer(format!(
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
