//! A card's details beside the browser and the timeline: its progress, review history and
//! forgetting curve.

use chrono::{DateTime, Local, Utc};
use egui::{Align, Layout, RichText, Ui};

use super::text::{category_label, date_text, days_text, due_text, state_label};
use crate::ui::theme::{Palette, size};
use crate::ui::widgets;
use flashdrill_core::browse::CardDetail;
use flashdrill_core::schedule::State;

/// A card's details in a resizable panel at the right of the screen; returns whether the
/// learner closed it.
pub fn detail_side_panel(
    ui: &mut Ui,
    id: &'static str,
    detail: &CardDetail,
    now: DateTime<Utc>,
    palette: &Palette,
) -> bool {
    let mut closed = false;
    egui::Panel::right(id)
        .resizable(true)
        .default_size(380.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| closed = detail_panel(ui, detail, now, palette));
        });
    closed
}

/// One card's details: the card, its progress, its forgetting curve and its history. Returns
/// whether "Close details" was clicked.
pub fn detail_panel(
    ui: &mut Ui,
    detail: &CardDetail,
    now: DateTime<Utc>,
    palette: &Palette,
) -> bool {
    let mut close = false;
    let card = &detail.card;
    ui.horizontal(|ui| {
        ui.label(
            RichText::new("Card details")
                .strong()
                .size(size::BODY + 2.0),
        );
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            close = ui.button("Close details").clicked();
        });
    });
    ui.label(
        RichText::new(format!(
            "{} · {} · {}",
            detail.deck_title,
            category_label(&card.category),
            card.id
        ))
        .color(palette.muted)
        .small(),
    );
    ui.add_space(4.0);
    ui.label(RichText::new(&card.prompt).size(size::BODY + 2.0));
    ui.label(
        RichText::new(format!("Answer: {}", card.answer))
            .strong()
            .color(palette.accent),
    );
    if let Some(date) = card.partial_date() {
        ui.label(format!("Event: {} — {date}", card.event_caption()));
    }
    if !card.accept.is_empty() {
        ui.label(
            RichText::new(format!("Also accepted: {}", card.accept.join(", ")))
                .color(palette.muted),
        );
    }
    if let Some(explanation) = &card.explanation {
        ui.label(explanation);
    }
    widgets::article_quote(ui, &card.source, palette);
    if !card.tags.is_empty() {
        ui.label(RichText::new(format!("Tags: {}", card.tags.join(", "))).color(palette.muted));
    }
    ui.add_space(8.0);
    progress_grid(ui, detail, now, palette);
    ui.add_space(8.0);
    forgetting_plot(ui, detail, palette);
    ui.add_space(8.0);
    history_table(ui, detail, palette);
    close
}

fn progress_grid(ui: &mut Ui, detail: &CardDetail, now: DateTime<Utc>, palette: &Palette) {
    ui.label(RichText::new("Progress").strong());
    let Some(p) = detail
        .progress
        .filter(|p| p.card.reps > 0 || p.suspended || p.leech || p.buried_until.is_some())
    else {
        ui.label(RichText::new("Not studied yet.").color(palette.muted));
        return;
    };
    let c = &p.card;
    egui::Grid::new("card-progress")
        .num_columns(2)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            let mut line = |name: &str, value: String| {
                ui.label(RichText::new(name).color(palette.muted));
                ui.label(value);
                ui.end_row();
            };
            line("State", state_label(c.state).to_owned());
            if c.state != State::New {
                line("Due", due_text(c.due, now));
            }
            if let Some(s) = c.stability {
                line("Stability", days_text(s));
            }
            if let Some(d) = c.difficulty {
                line("Difficulty", format!("{d:.1} of 10"));
            }
            if let Some(r) = detail.retrievability {
                line("Recall chance now", format!("{:.0} %", r * 100.0));
            }
            line("Reviews", c.reps.to_string());
            line("Lapses", c.lapses.to_string());
            if let Some(last) = c.last_review {
                line("Last review", date_text(last));
            }
            let mut flags = Vec::new();
            if p.suspended {
                flags.push("suspended");
            }
            if p.leech {
                flags.push("leech");
            }
            if p.buried_until.is_some_and(|b| b > now) {
                flags.push("buried");
            }
            if !flags.is_empty() {
                line("Flags", flags.join(", "));
            }
        });
}

fn forgetting_plot(ui: &mut Ui, detail: &CardDetail, palette: &Palette) {
    ui.label(RichText::new("Forgetting curve").strong());
    let Some(curve) = &detail.curve else {
        ui.label(
            RichText::new("The curve appears after the card's first review.").color(palette.muted),
        );
        return;
    };
    let today_colour = palette.retention(detail.retrievability);
    let end = curve.points.last().copied().unwrap_or(curve.today);
    let spoken = format!(
        "Forgetting curve: {:.0} % chance of recalling the card today, falling to {:.0} % in \
         {:.0} days",
        curve.today[1] * 100.0,
        end[1] * 100.0,
        end[0]
    );
    let response = egui_plot::Plot::new(("forgetting-curve", &detail.key))
        .height(180.0)
        .include_y(0.0)
        .include_y(1.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .x_axis_label("days from today")
        .y_axis_formatter(|mark, _| format!("{:.0} %", mark.value * 100.0))
        .label_formatter(|pos| match pos {
            egui_plot::HoverPosition::NearDataPoint { position, .. }
            | egui_plot::HoverPosition::Elsewhere { position } => Some(format!(
                "day {:.0}: {:.0} %",
                position.x,
                position.y * 100.0
            )),
        })
        .show(ui, |plot| {
            plot.line(
                egui_plot::Line::new("Recall chance", curve.points.clone())
                    .color(palette.accent)
                    .width(2.0),
            );
            plot.vline(egui_plot::VLine::new("Today", 0.0).color(palette.muted));
            plot.points(
                egui_plot::Points::new("Today", vec![curve.today])
                    .color(today_colour)
                    .filled(true)
                    .radius(5.0),
            );
        })
        .response;
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &spoken));
    ui.label(
        RichText::new(format!(
            "Today: {:.0} % chance of recalling it.",
            curve.today[1] * 100.0
        ))
        .color(palette.muted)
        .small(),
    );
}

fn history_table(ui: &mut Ui, detail: &CardDetail, palette: &Palette) {
    ui.label(RichText::new("Review history").strong());
    if detail.history.is_empty() {
        ui.label(RichText::new("No answers yet.").color(palette.muted));
        return;
    }
    egui::Grid::new(("card-history", &detail.key))
        .num_columns(6)
        .striped(true)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for title in ["Date", "Rating", "Mode", "Answer", "Result", "Time"] {
                ui.label(RichText::new(title).strong());
            }
            ui.end_row();
            for review in &detail.history {
                ui.label(
                    review
                        .at
                        .with_timezone(&Local)
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                );
                ui.label(RichText::new(review.rating.label()).color(palette.rating(review.rating)));
                ui.label(review.mode.as_str());
                ui.label(review.answer_given.as_deref().unwrap_or("—"));
                if review.is_right() {
                    ui.label(RichText::new("right").color(palette.right));
                } else {
                    ui.label(RichText::new("wrong").color(palette.wrong));
                }
                ui.label(format!("{:.1} s", review.response_ms as f64 / 1000.0));
                ui.end_row();
            }
        });
}
