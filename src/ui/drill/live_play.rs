//! The live game's question on the projector (countdown, the answer count rising as phones
//! answer), its reveal (the right answer, a chart of how many chose each option, the article's
//! sentence) and the leaderboard between questions.

use egui::{Align, Layout, RichText, Sense, Ui, WidgetInfo};
use flashdrill_live::engine::LEADERBOARD_TOP;
use flashdrill_live::{LiveSnapshot, Phase};

use super::live::{LIVE_KEY_LEGEND, LiveView};
use super::podium::ordinal;
use super::run::{
    counter_and_form, fit, fit_scale, info_width, letter, question_body, seconds_left,
    source_and_explanation, text_height,
};
use super::setup::{DrillAction, DrillState};
use crate::ui::theme::{Palette, size};
use crate::ui::widgets;
use flashdrill_core::drill::{Body, Question};

impl DrillState {
    /// The current question, or its reveal.
    pub(super) fn live_question(
        &mut self,
        ui: &mut Ui,
        view: &LiveView<'_>,
        palette: &Palette,
    ) -> Option<DrillAction> {
        let mut action = None;
        let game = &view.snap.game;
        let question = game.current.as_ref()?;
        let revealed = game.phase == Phase::Reveal;
        egui::Panel::bottom("live-question-keys")
            .show_separator_line(false)
            .show(ui, |ui| {
                ui.add_space(6.0);
                let (text, next) = if revealed {
                    ("Leaderboard (Space)", DrillAction::Next)
                } else {
                    ("Reveal the answer (Space)", DrillAction::Reveal)
                };
                if widgets::primary_button(ui, text, palette).clicked() {
                    action = Some(next);
                }
                ui.label(RichText::new(LIVE_KEY_LEGEND).color(palette.muted).small());
            });
        egui::Panel::top("live-question-status")
            .show_separator_line(false)
            .show(ui, |ui| {
                status_row(ui, view.snap, question, palette);
                self.live_banners(ui, view, palette, &mut action);
            });
        // On a small or zoomed-in projector the text shrinks so that the options (or, at the
        // reveal, the chart) stay in view.
        let scale = if revealed {
            reveal_scale(ui, question, ui.available_size())
        } else {
            fit_scale(ui, question, false, ui.available_size())
        };
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.add_space(14.0);
                // At the reveal the chart is what the class looks at: the prompt steps back
                // so that the chart stays in view at projector zoom.
                let prompt_size = if revealed {
                    size::DRILL_INFO * scale
                } else {
                    size::DRILL_PROMPT * scale
                };
                ui.add(
                    egui::Label::new(
                        RichText::new(&question.prompt)
                            .size(prompt_size)
                            .strong()
                            .color(palette.text),
                    )
                    .wrap(),
                );
                ui.add_space(18.0);
                if !revealed {
                    question_body(ui, question, false, scale, palette);
                    return;
                }
                // Every student is on a timeline's chart: those who did not answer have a bar
                // too (a multiple-choice reveal has "n of m answered" above its options).
                let silent = game.players.len().saturating_sub(game.answered);
                let mut counts = game.answer_counts.clone();
                match &question.body {
                    Body::MultipleChoice(choices) => {
                        let labels: Vec<String> = choices
                            .options
                            .iter()
                            .enumerate()
                            .map(|(i, o)| format!("{}   {o}", letter(i)))
                            .collect();
                        let names: Vec<String> =
                            (0..labels.len()).map(|i| letter(i).to_string()).collect();
                        let right: Vec<bool> = (0..labels.len())
                            .map(|i| i == choices.correct_index)
                            .collect();
                        answer_chart(ui, &labels, &names, &counts, &right, scale, palette);
                    }
                    Body::Timeline(_) => {
                        let labels = ["Right order", "Wrong order", NO_ANSWER].map(str::to_owned);
                        counts.resize(2, 0);
                        counts.push(silent);
                        answer_chart(
                            ui,
                            &labels,
                            &labels,
                            &counts,
                            &[true, false],
                            scale,
                            palette,
                        );
                        ui.add_space(12.0);
                        question_body(ui, question, true, scale, palette);
                    }
                    Body::Matching(_) | Body::FlipReveal => {}
                }
                // The chart marks the right answer; the article's sentence backs it.
                ui.add_space(12.0);
                source_and_explanation(ui, question, scale, palette);
            });
        action
    }

    /// The top five after a question.
    pub(super) fn live_leaderboard(
        &mut self,
        ui: &mut Ui,
        view: &LiveView<'_>,
        palette: &Palette,
    ) -> Option<DrillAction> {
        let mut action = None;
        let game = &view.snap.game;
        let last = game.question + 1 >= game.question_count;
        egui::Panel::bottom("live-leaderboard-keys")
            .show_separator_line(false)
            .show(ui, |ui| {
                ui.add_space(6.0);
                let text = if last {
                    "Show the podium (Space)"
                } else {
                    "Next question (Space)"
                };
                if widgets::primary_button(ui, text, palette).clicked() {
                    action = Some(DrillAction::Next);
                }
                ui.label(RichText::new(LIVE_KEY_LEGEND).color(palette.muted).small());
            });
        self.live_banners(ui, view, palette, &mut action);
        ui.add_space(10.0);
        ui.label(
            RichText::new("Leaderboard")
                .size(size::DRILL_PROMPT)
                .strong(),
        );
        ui.label(
            RichText::new(format!(
                "After question {} of {}",
                game.question + 1,
                game.question_count
            ))
            .size(size::DRILL_INFO)
            .color(palette.muted),
        );
        ui.add_space(16.0);
        let best = game.ranking.first().map_or(1, |s| s.points.max(1));
        let bar_width = (ui.available_width() * 0.35).max(120.0);
        egui::Grid::new("live-leaderboard")
            .num_columns(5)
            .spacing([24.0, 14.0])
            .show(ui, |ui| {
                for (i, standing) in game.ranking.iter().take(LEADERBOARD_TOP).enumerate() {
                    let colour = palette.team[i % palette.team.len()];
                    ui.label(RichText::new(ordinal(standing.place)).size(size::DRILL_INFO));
                    ui.label(
                        RichText::new(&standing.name)
                            .size(size::DRILL_INFO)
                            .strong(),
                    );
                    bar(
                        ui,
                        bar_width,
                        standing.points as f32 / best as f32,
                        colour,
                        palette,
                    );
                    ui.label(
                        RichText::new(format!("{} points", standing.points))
                            .size(size::DRILL_INFO)
                            .strong(),
                    );
                    let player = game.players.iter().find(|p| p.id == standing.player);
                    let note = player.map_or_else(String::new, |p| {
                        if p.last_points > 0 {
                            format!("+{} · streak {}", p.last_points, p.streak)
                        } else {
                            format!("streak {}", p.streak)
                        }
                    });
                    ui.label(
                        RichText::new(note)
                            .size(size::DRILL_INFO)
                            .color(palette.muted),
                    );
                    ui.end_row();
                }
            });
        let more = game.ranking.len().saturating_sub(LEADERBOARD_TOP);
        if more > 0 {
            ui.add_space(10.0);
            ui.label(
                RichText::new(format!("and {more} more: each phone shows its own place"))
                    .size(size::HEADING)
                    .color(palette.muted),
            );
        }
        action
    }
}

/// "Question 4 / 10", the form, how many answered, the countdown (seconds and a bar).
fn status_row(ui: &mut Ui, snap: &LiveSnapshot, question: &Question, palette: &Palette) {
    let game = &snap.game;
    let counter = format!("Question {} / {}", game.question + 1, game.question_count);
    let answered = answered_line(game.answered, game.players.len());
    // The form's name gives way when the row is too narrow for everything.
    let show_form = info_width(ui, &counter)
        + info_width(ui, question.form().label())
        + info_width(ui, &answered)
        + info_width(ui, "00 s")
        + 24.0
        + 4.0 * ui.spacing().item_spacing.x
        <= ui.available_width();
    ui.horizontal(|ui| {
        let form = show_form.then(|| question.form().label());
        counter_and_form(ui, counter, form, palette);
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            if let Some(left) = game.seconds_left {
                seconds_left(ui, left, palette);
                ui.add_space(24.0);
            }
            ui.label(
                RichText::new(answered)
                    .size(size::DRILL_INFO)
                    .strong()
                    .color(palette.accent),
            );
        });
    });
    if let Some(left) = game.seconds_left {
        let fraction = (left / f64::from(game.time_limit.max(1))).clamp(0.0, 1.0) as f32;
        let colour = if fraction < 0.25 {
            palette.wrong
        } else {
            palette.accent
        };
        bar(ui, ui.available_width(), fraction, colour, palette);
    }
}

/// "3 of 12 answered".
pub(super) fn answered_line(answered: usize, players: usize) -> String {
    format!("{answered} of {players} answered")
}

/// A bar `fraction` full, on the theme's track.
fn bar(ui: &mut Ui, width: f32, fraction: f32, colour: egui::Color32, palette: &Palette) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 16.0), Sense::hover());
    ui.painter().rect_filled(rect, 8.0, palette.track);
    let mut filled = rect;
    filled.set_width(rect.width() * fraction.clamp(0.0, 1.0));
    ui.painter().rect_filled(filled, 8.0, colour);
}

/// How many chose each option: a row per option (its label, a bar, the count); the right ones
/// in the theme's "right" colour and marked "(right)". Screen readers hear "A: 3 answers".
/// The room a chart row's label has in a `width` wide area.
fn chart_label_width(width: f32) -> f32 {
    (width * 0.45).max(160.0)
}

/// The text scale at which the reveal's prompt and chart (and a timeline's right order) fit a
/// `size` area; the article's sentence under them may scroll.
fn reveal_scale(ui: &Ui, question: &Question, size: egui::Vec2) -> f32 {
    let label_width = chart_label_width(size.x);
    let (labels, events): (Vec<String>, Vec<String>) = match &question.body {
        Body::MultipleChoice(choices) => (
            choices
                .options
                .iter()
                .enumerate()
                .map(|(i, o)| format!("{}   {o}   (right)", letter(i)))
                .collect(),
            Vec::new(),
        ),
        Body::Timeline(timeline) => (
            vec![
                "Right order".to_owned(),
                "Wrong order".to_owned(),
                NO_ANSWER.to_owned(),
            ],
            timeline
                .events
                .iter()
                .map(|e| format!("1. {} {} (A)", e.date, e.caption))
                .collect(),
        ),
        Body::Matching(_) | Body::FlipReveal => (Vec::new(), Vec::new()),
    };
    let gap = ui.spacing().item_spacing.y;
    // Room for the scroll bar, and a little to spare.
    let width = size.x - 24.0;
    fit(size.y, |scale| {
        let info = size::DRILL_INFO * scale;
        let prompt = text_height(ui, &question.prompt, info, width);
        let chart: f32 = labels
            .iter()
            .map(|l| {
                // A row is never lower than a widget row.
                let row = text_height(ui, l, info, label_width)
                    .max(info)
                    .max(ui.spacing().interact_size.y);
                row + 8.0 + 2.0 * gap
            })
            .sum();
        let order: f32 = events
            .iter()
            .map(|e| text_height(ui, e, size::DRILL_ANSWER * scale, width) + gap)
            .sum();
        let after = if events.is_empty() { 0.0 } else { 12.0 + order };
        (14.0 + prompt + 18.0 + chart + after) * 1.05 + 12.0
    })
}

fn answer_chart(
    ui: &mut Ui,
    labels: &[String],
    names: &[String],
    counts: &[usize],
    right: &[bool],
    scale: f32,
    palette: &Palette,
) {
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    let width = ui.available_width();
    let label_width = chart_label_width(width);
    let bar_width = (width * 0.4).max(120.0);
    let height = size::DRILL_INFO * scale;
    for (i, label) in labels.iter().enumerate() {
        let count = counts.get(i).copied().unwrap_or(0);
        let is_right = right.get(i).copied().unwrap_or(false);
        let colour = if is_right {
            palette.right
        } else {
            palette.muted
        };
        let text = if is_right && label.len() > 1 && names.get(i) != Some(label) {
            format!("{label}   (right)")
        } else {
            label.clone()
        };
        ui.horizontal(|ui| {
            ui.allocate_ui_with_layout(
                egui::vec2(label_width, height),
                Layout::top_down(Align::Min),
                |ui| {
                    ui.set_width(label_width);
                    ui.add(
                        egui::Label::new(RichText::new(text).size(height).strong().color(
                            if is_right {
                                palette.right
                            } else {
                                palette.text
                            },
                        ))
                        .wrap(),
                    );
                },
            );
            ui.add_space(12.0);
            let (rect, response) =
                ui.allocate_exact_size(egui::vec2(bar_width, height), Sense::hover());
            let name = names.get(i).map_or("", String::as_str);
            let spoken = if name == NO_ANSWER {
                format!("{name}: {}", students(count))
            } else {
                format!("{name}: {}", answers(count))
            };
            response.widget_info(|| WidgetInfo::labeled(egui::Role::Image, true, &spoken));
            ui.painter().rect_filled(rect, 6.0, palette.track);
            let mut filled = rect;
            filled.set_width(rect.width() * count as f32 / most as f32);
            ui.painter().rect_filled(filled, 6.0, colour);
            ui.add_space(12.0);
            ui.label(
                RichText::new(count.to_string())
                    .size(height)
                    .strong()
                    .color(palette.text),
            );
        });
        ui.add_space(8.0);
    }
}

/// The reveal chart's bar of the students who did not answer.
const NO_ANSWER: &str = "No answer";

/// "1 student", "3 students".
fn students(n: usize) -> String {
    if n == 1 {
        "1 student".to_owned()
    } else {
        format!("{n} students")
    }
}

/// "1 answer", "3 answers".
fn answers(n: usize) -> String {
    if n == 1 {
        "1 answer".to_owned()
    } else {
        format!("{n} answers")
    }
}
