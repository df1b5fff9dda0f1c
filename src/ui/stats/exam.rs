//! The statistics page's exam section: each exam's readiness now, and day by day until the
//! exam if the learner keeps up.

use egui::{RichText, Sense, Ui};
use egui_plot::{HLine, Line, LineStyle, Plot, PlotPoints};
use flashdrill_core::plan::readiness::Readiness;

use crate::ui::theme::Palette;

/// One exam: its headline, its pace note and its readiness chart.
pub(super) fn readiness_section(ui: &mut Ui, exam: &Readiness, title: &str, palette: &Palette) {
    ui.label(RichText::new(format!("{title}: {}", exam.headline())).strong());
    for note in exam.notes() {
        ui.label(RichText::new(note).color(palette.muted).small());
    }
    if exam.by_day.is_empty() {
        return;
    }
    let start = exam.by_day[0].0;
    let points: Vec<[f64; 2]> = std::iter::once([0.0, f64::from(exam.percent())])
        .chain(
            exam.by_day
                .iter()
                .enumerate()
                .map(|(i, (_, r))| [i as f64 + 1.0, f64::from(*r) * 100.0]),
        )
        .collect();
    let line = Line::new("Cards ready if you keep up", PlotPoints::from(points))
        .color(palette.accent)
        .width(2.0);
    let goal = HLine::new("All cards", 100.0)
        .color(palette.muted)
        .style(LineStyle::dashed_loose());
    let id = format!("stats-exam-{}", exam.deck_id);
    let response = Plot::new(id)
        .height(150.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .sense(Sense::hover())
        .include_y(0.0)
        .include_y(100.0)
        .x_axis_label("Days from today")
        .y_axis_label("% ready")
        .label_formatter(move |pos| match pos {
            egui_plot::HoverPosition::NearDataPoint { position: p, .. }
            | egui_plot::HoverPosition::Elsewhere { position: p } => {
                let day = start
                    .checked_add_signed(chrono::TimeDelta::days(p.x.round() as i64 - 1))
                    .unwrap_or(start);
                Some(format!("{}: {:.0} % ready", day.format("%-d %b"), p.y))
            }
        })
        .show(ui, |plot| {
            plot.line(line);
            plot.hline(goal);
        })
        .response;
    let last = exam.by_day.last().map_or(0.0, |(_, r)| r * 100.0);
    let text = format!(
        "Chart of the share of {title}'s cards ready for the exam day by day if you keep up: {} % today, {last:.0} % by the day before the exam",
        exam.percent()
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &text));
}
