//! Drill mode's projector view: the question, its countdown and answer, the team buttons, and
//! the scoreboard between questions.

use egui::{Align, Layout, RichText, Stroke, Ui};

use super::setup::{Confirm, DrillAction, DrillState, DrillView, KEY_LEGEND, team_colour};
use crate::ui::theme::{Palette, size};
use crate::ui::widgets;
use flashdrill_core::drill::{Body, Drill, Outcome, Phase, Question, QuestionForm};

impl DrillState {
    /// The question on a projector: number, countdown, prompt, the form's body, the answer
    /// once revealed, and the team buttons.
    pub(super) fn projector(
        &mut self,
        ui: &mut Ui,
        view: &DrillView<'_>,
        drill: &Drill,
        palette: &Palette,
    ) -> Option<DrillAction> {
        let mut action = None;
        let question = drill.current_question()?;
        let revealed = drill.phase() == Phase::Revealed;
        egui::Panel::bottom("drill-teams")
            .show_separator_line(false)
            .show(ui, |ui| {
                ui.add_space(6.0);
                team_buttons(ui, drill, palette, &mut action);
                ui.add_space(6.0);
                ui.label(RichText::new(KEY_LEGEND).color(palette.muted).small());
            });
        egui::Panel::top("drill-status")
            .show_separator_line(false)
            .show(ui, |ui| {
                status_row(ui, drill, view.now, palette);
                if let Some(notice) = view.notice {
                    let colour = notice.colour(palette);
                    ui.label(
                        RichText::new(&notice.text)
                            .size(size::HEADING)
                            .color(colour),
                    );
                }
                if let Some(confirm) = self.confirm {
                    self.confirm_banner(ui, confirm, palette, &mut action);
                }
            });
        if let Some(left) = view.get_ready {
            get_ready(ui, drill, left, palette);
            return action;
        }
        let scale = fit_scale(ui, question, revealed, ui.available_size());
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.add_space(14.0);
                ui.add(
                    egui::Label::new(
                        RichText::new(&question.prompt)
                            .size(size::DRILL_PROMPT * scale)
                            .strong()
                            .color(palette.text),
                    )
                    .wrap(),
                );
                ui.add_space(18.0);
                question_body(ui, question, revealed, scale, palette);
                if revealed {
                    ui.add_space(18.0 * scale);
                    reveal(ui, question, scale, palette);
                } else if question.form() == QuestionForm::FlipReveal {
                    ui.label(
                        RichText::new("Answer out loud, then press Space to reveal.")
                            .size(size::DRILL_INFO)
                            .color(palette.muted),
                    );
                }
            });
        action
    }

    pub(super) fn confirm_banner(
        &mut self,
        ui: &mut Ui,
        confirm: Confirm,
        palette: &Palette,
        action: &mut Option<DrillAction>,
    ) {
        widgets::card_frame(ui, palette)
            .stroke(Stroke::new(2.0, palette.warn))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(confirm.question())
                            .size(size::DRILL_INFO)
                            .strong(),
                    );
                    if ui
                        .button(RichText::new(confirm.yes()).size(size::HEADING))
                        .on_hover_text("Enter or Y")
                        .clicked()
                    {
                        self.confirm = None;
                        *action = Some(confirm.action());
                    }
                    if ui
                        .button(RichText::new("Keep going").size(size::HEADING))
                        .on_hover_text("Esc or N")
                        .clicked()
                    {
                        self.confirm = None;
                    }
                    ui.label(RichText::new("(Enter / Y: yes · Esc / N: no)").color(palette.muted));
                });
            });
    }

    /// The standings between questions.
    pub(super) fn scoreboard(
        &mut self,
        ui: &mut Ui,
        drill: &Drill,
        palette: &Palette,
    ) -> Option<DrillAction> {
        let mut action = None;
        egui::Panel::bottom("drill-scoreboard-keys")
            .show_separator_line(false)
            .show(ui, |ui| {
                ui.add_space(6.0);
                if widgets::primary_button(ui, "Next question (Space)", palette).clicked() {
                    action = Some(DrillAction::Next);
                }
                ui.label(RichText::new(KEY_LEGEND).color(palette.muted).small());
            });
        if let Some(confirm) = self.confirm {
            self.confirm_banner(ui, confirm, palette, &mut action);
        }
        let played = drill.current() + 1;
        ui.add_space(10.0);
        ui.label(
            RichText::new("Scoreboard")
                .size(size::DRILL_PROMPT)
                .strong(),
        );
        ui.label(
            RichText::new(format!(
                "After question {played} of {}",
                drill.questions().len()
            ))
            .size(size::DRILL_INFO)
            .color(palette.muted),
        );
        ui.add_space(16.0);
        let stats = drill.team_stats();
        let gained = drill
            .points_table()
            .get(drill.current())
            .cloned()
            .unwrap_or_default();
        let best = stats.iter().map(|s| s.points).max().unwrap_or(0).max(1);
        let bar_width = (ui.available_width() * 0.45).max(120.0);
        egui::Grid::new("drill-scoreboard")
            .num_columns(5)
            .spacing([24.0, 14.0])
            .show(ui, |ui| {
                for standing in drill.ranking() {
                    let team = &drill.teams()[standing.team];
                    let s = stats[standing.team];
                    let colour = team_colour(palette, team);
                    ui.label(RichText::new(format!("{}.", standing.place)).size(size::DRILL_INFO));
                    ui.label(
                        RichText::new(&team.name)
                            .size(size::DRILL_INFO)
                            .strong()
                            .color(colour),
                    );
                    let (rect, _) = ui.allocate_exact_size(
                        egui::vec2(bar_width, size::DRILL_INFO),
                        egui::Sense::hover(),
                    );
                    ui.painter().rect_filled(rect, 4.0, palette.track);
                    let mut filled = rect;
                    filled.set_width(rect.width() * s.points as f32 / best as f32);
                    ui.painter().rect_filled(filled, 4.0, colour);
                    ui.label(
                        RichText::new(format!("{} points", s.points))
                            .size(size::DRILL_INFO)
                            .strong(),
                    );
                    let mut note = format!("streak {}", s.streak);
                    if let Some(g) = gained.get(standing.team).filter(|g| **g > 0) {
                        note = format!("+{g} · {note}");
                    }
                    ui.label(
                        RichText::new(note)
                            .size(size::DRILL_INFO)
                            .color(palette.muted),
                    );
                    ui.end_row();
                }
            });
        action
    }
}

/// The moment before a timed drill's first question: the class looks up, then the countdown
/// starts (by itself after a few seconds, or at Space).
fn get_ready(ui: &mut Ui, drill: &Drill, left: f64, palette: &Palette) {
    ui.vertical_centered(|ui| {
        ui.add_space((ui.available_height() * 0.25).max(12.0));
        ui.label(
            RichText::new("Get ready!")
                .size(size::DRILL_PROMPT * 1.4)
                .strong()
                .color(palette.accent),
        );
        ui.add_space(12.0);
        ui.label(
            RichText::new(format!(
                "Question 1 of {} in {} s",
                drill.questions().len(),
                left.ceil().max(1.0)
            ))
            .size(size::DRILL_INFO)
            .color(palette.text),
        );
        ui.label(
            RichText::new("Space starts it now")
                .size(size::HEADING)
                .color(palette.muted),
        );
    });
}

/// "Question 4 / 10", the form, the countdown (bar and seconds) or the time taken.
fn status_row(ui: &mut Ui, drill: &Drill, now: f64, palette: &Palette) {
    let counter = format!(
        "Question {} / {}",
        drill.current() + 1,
        drill.questions().len()
    );
    // The form's name gives way when the row is too narrow for it and the longest right-hand
    // text ("Revealed after 12.3 s").
    let question = drill.current_question().map(Question::form).filter(|form| {
        info_width(ui, &counter)
            + info_width(ui, form.label())
            + info_width(ui, "Revealed after 00.0 s")
            + 3.0 * ui.spacing().item_spacing.x
            <= ui.available_width()
    });
    ui.horizontal(|ui| {
        counter_and_form(ui, counter, question.map(QuestionForm::label), palette);
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            match (drill.phase(), drill.remaining(now)) {
                (Phase::Question, Some(left)) => seconds_left(ui, left, palette),
                (Phase::Revealed, _) => {
                    if let Some(Outcome::Answered {
                        secs, timed_out, ..
                    }) = drill.outcome(drill.current())
                    {
                        let text = if *timed_out {
                            "Time's up".to_owned()
                        } else {
                            format!("Revealed after {secs:.1} s")
                        };
                        ui.label(
                            RichText::new(text)
                                .size(size::DRILL_INFO)
                                .color(palette.muted),
                        );
                    }
                }
                _ => {}
            }
            if drill.is_paused() {
                ui.label(
                    RichText::new("Paused")
                        .size(size::DRILL_INFO)
                        .strong()
                        .color(palette.warn),
                );
            }
        });
    });
    if let Some(fraction) = drill.remaining_fraction(now) {
        let width = ui.available_width();
        let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 16.0), egui::Sense::hover());
        ui.painter().rect_filled(rect, 8.0, palette.track);
        let mut filled = rect;
        filled.set_width(rect.width() * fraction as f32);
        let colour = if drill.is_paused() {
            palette.muted
        } else if fraction < 0.25 {
            palette.wrong
        } else {
            palette.accent
        };
        ui.painter().rect_filled(filled, 8.0, colour);
    }
}

/// "Question 4 / 10" and, when there is room, the form's name: the left of a status row.
pub(super) fn counter_and_form(
    ui: &mut Ui,
    counter: String,
    form: Option<&str>,
    palette: &Palette,
) {
    ui.label(RichText::new(counter).size(size::DRILL_INFO).strong());
    if let Some(form) = form {
        ui.label(
            RichText::new(form)
                .size(size::DRILL_INFO)
                .color(palette.muted),
        );
    }
}

/// The countdown's seconds, red for the last five.
pub(super) fn seconds_left(ui: &mut Ui, left: f64, palette: &Palette) {
    let secs = left.ceil() as u32;
    let colour = if secs <= 5 {
        palette.wrong
    } else {
        palette.text
    };
    ui.label(
        RichText::new(format!("{secs} s"))
            .size(size::DRILL_INFO)
            .strong()
            .color(colour),
    );
}

/// How wide `text` is at the projector's information size, on one line.
pub(super) fn info_width(ui: &Ui, text: &str) -> f32 {
    ui.painter()
        .layout_no_wrap(
            text.to_owned(),
            egui::FontId::proportional(size::DRILL_INFO),
            egui::Color32::PLACEHOLDER,
        )
        .size()
        .x
}

/// How the options look, on the projector and on the phones alike (the phone page's `.o0` to
/// `.o3`): the team colour of the theme each takes (an index into [`Palette::team`]) and its
/// shape, so that an option is told apart without its colour too.
pub const OPTION_LOOKS: [(usize, Shape); 4] = [
    (0, Shape::Triangle),
    (1, Shape::Diamond),
    (3, Shape::Circle),
    (2, Shape::Square),
];

/// An option's mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Triangle,
    Diamond,
    Circle,
    Square,
}

impl Shape {
    /// As a screen reader says it, and as the phone page draws it.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Triangle => "triangle",
            Self::Diamond => "diamond",
            Self::Circle => "circle",
            Self::Square => "square",
        }
    }
}

/// The colour of option `i` (options past the fourth take the looks round again).
fn option_colour(palette: &Palette, i: usize) -> egui::Color32 {
    palette.team[OPTION_LOOKS[i % OPTION_LOOKS.len()].0 % palette.team.len()]
}

/// Option `i`'s shape in its colour in `rect`, named for screen readers ("Red triangle").
fn option_shape(ui: &mut Ui, i: usize, rect: egui::Rect, colour: egui::Color32) {
    let (team, shape) = OPTION_LOOKS[i % OPTION_LOOKS.len()];
    let response = ui.interact(
        rect,
        ui.make_persistent_id(("option-shape", i)),
        egui::Sense::hover(),
    );
    let c = rect.center();
    let r = rect.width() / 2.0;
    let painter = ui.painter();
    match shape {
        Shape::Triangle => painter.add(egui::Shape::convex_polygon(
            vec![
                c + egui::vec2(0.0, -r),
                c + egui::vec2(r, r * 0.8),
                c + egui::vec2(-r, r * 0.8),
            ],
            colour,
            Stroke::NONE,
        )),
        Shape::Diamond => painter.add(egui::Shape::convex_polygon(
            vec![
                c + egui::vec2(0.0, -r),
                c + egui::vec2(r, 0.0),
                c + egui::vec2(0.0, r),
                c + egui::vec2(-r, 0.0),
            ],
            colour,
            Stroke::NONE,
        )),
        Shape::Circle => painter.add(egui::Shape::circle_filled(c, r * 0.9, colour)),
        Shape::Square => painter.add(egui::Shape::rect_filled(rect.shrink(r * 0.15), 2.0, colour)),
    };
    let colour_name = crate::ui::theme::TEAM_COLOUR_NAMES[team % 6];
    let name = format!("{colour_name} {}", shape.name());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &name));
}

/// A for the first option or event, B for the next, …
pub(super) fn letter(i: usize) -> char {
    (b'A' + (i % 26) as u8) as char
}

fn big(text: impl Into<String>, scale: f32, palette: &Palette) -> RichText {
    RichText::new(text)
        .size(size::DRILL_ANSWER * scale)
        .color(palette.text)
}

/// The smallest the projector's text gets to fit the screen, as a share of its full size.
const MIN_SCALE: f32 = 0.35;

/// The largest text scale, from 1 down to [`MIN_SCALE`] in steps of 5 %, at which `needed`
/// (the height the content takes at a scale) fits `height`.
pub(super) fn fit(height: f32, needed: impl Fn(f32) -> f32) -> f32 {
    let mut scale = 1.0;
    while scale > MIN_SCALE && needed(scale) > height {
        scale -= 0.05;
    }
    scale.max(MIN_SCALE)
}

/// How tall `text` is at `points`, wrapped at `width`.
pub(super) fn text_height(ui: &Ui, text: &str, points: f32, width: f32) -> f32 {
    ui.painter()
        .layout(
            text.to_owned(),
            egui::FontId::proportional(points),
            egui::Color32::PLACEHOLDER,
            width.max(10.0),
        )
        .size()
        .y
}

/// The text scale at which the question's prompt and its options fit a `size` area: a long
/// prompt on a small or zoomed-in projector shrinks instead of pushing the options out of
/// sight.
pub(super) fn fit_scale(ui: &Ui, question: &Question, revealed: bool, size: egui::Vec2) -> f32 {
    // Each row of the body: its text, the room it is laid out in, and what surrounds it at
    // full size.
    let rows: Vec<(String, f32, f32)> = match &question.body {
        // Revealed, a matching is one column of pairs.
        Body::Matching(matching) if revealed => matching
            .left
            .iter()
            .zip(&matching.pairs)
            .map(|(left, &r)| (format!("{left} – {}", matching.right[r]), size.x, 4.0))
            .collect(),
        Body::MultipleChoice(choices) => choices
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let room = size.x - 40.0 - size::DRILL_ANSWER;
                (format!("{}   {o}", letter(i)), room, 16.0 + 6.0)
            })
            .collect(),
        Body::Timeline(timeline) => timeline
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| (format!("{}   {}", letter(i), e.caption), size.x, 4.0))
            .collect(),
        // Two columns side by side: both are measured, and the taller one counts (below).
        Body::Matching(matching) => matching
            .left
            .iter()
            .map(|t| (format!("A   {t}"), size.x / 2.0, 4.0))
            .collect(),
        Body::FlipReveal => Vec::new(),
    };
    let gap = ui.spacing().item_spacing.y;
    // Room for the scroll bar, and a little to spare.
    let width = size.x - 24.0;
    // The right-hand column of an unrevealed matching.
    let second: Vec<String> = match &question.body {
        Body::Matching(matching) if !revealed => {
            matching.right.iter().map(|t| format!("1   {t}")).collect()
        }
        _ => Vec::new(),
    };
    fit(size.y, |scale| {
        let prompt = text_height(ui, &question.prompt, size::DRILL_PROMPT * scale, width);
        let points = size::DRILL_ANSWER * scale;
        let column = |texts: &mut dyn Iterator<Item = (&String, f32, f32)>| -> f32 {
            texts
                .map(|(text, room, extra)| {
                    text_height(ui, text, points, room - 24.0) + extra * scale + gap
                })
                .sum()
        };
        let body = column(&mut rows.iter().map(|(t, r, e)| (t, *r, *e)))
            .max(column(&mut second.iter().map(|t| (t, size.x / 2.0, 4.0))));
        // Revealed, the answer, the article's sentence and the explanation must fit too:
        // nothing may hide below the team bar.
        let reveal = if revealed {
            reveal_height(ui, question, scale, width)
        } else {
            0.0
        };
        // The space above and below the prompt, and a line for the hint under the options.
        (14.0 + prompt + 18.0 + body + reveal + size::DRILL_INFO * scale * 1.5) * 1.05 + 12.0
    })
}

pub(super) fn question_body(
    ui: &mut Ui,
    question: &Question,
    revealed: bool,
    scale: f32,
    palette: &Palette,
) {
    match &question.body {
        Body::MultipleChoice(choices) => {
            for (i, option) in choices.options.iter().enumerate() {
                let right = revealed && i == choices.correct_index;
                // Each option has the colour and shape of its button on the phones.
                let colour = option_colour(palette, i);
                let stroke = if right {
                    Stroke::new(4.0, palette.right)
                } else if revealed {
                    Stroke::new(1.0, palette.track)
                } else {
                    Stroke::new(3.0, colour)
                };
                let faded = revealed && !right;
                // The shape sits in the frame's left margin, level with the first line.
                let side = size::DRILL_ANSWER * scale * 0.8;
                let gap = 18.0 * scale;
                let label = egui::Frame::new()
                    .fill(palette.card_fill)
                    .stroke(stroke)
                    .corner_radius(10.0)
                    .inner_margin(egui::Margin {
                        left: (gap * 2.0 + side) as i8,
                        right: gap as i8,
                        top: (8.0 * scale) as i8,
                        bottom: (8.0 * scale) as i8,
                    })
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        let mut text = big(format!("{}   {option}", letter(i)), scale, palette);
                        if faded {
                            text = text.color(palette.muted);
                        }
                        if right {
                            text = text.strong().color(palette.right);
                        }
                        ui.add(egui::Label::new(text).wrap())
                    })
                    .inner;
                let line = ui.fonts_mut(|f| {
                    f.row_height(&egui::FontId::proportional(size::DRILL_ANSWER * scale))
                });
                let centre = egui::pos2(
                    label.rect.left() - gap - side / 2.0,
                    label.rect.top() + line / 2.0,
                );
                let mark = egui::Rect::from_center_size(centre, egui::vec2(side, side));
                option_shape(ui, i, mark, if faded { palette.track } else { colour });
                ui.add_space(6.0 * scale);
            }
        }
        Body::Timeline(timeline) if !revealed => {
            for (i, event) in timeline.events.iter().enumerate() {
                ui.add(
                    egui::Label::new(big(
                        format!("{}   {}", letter(i), event.caption),
                        scale,
                        palette,
                    ))
                    .wrap(),
                );
            }
        }
        Body::Timeline(timeline) => {
            for (n, &i) in timeline.correct_order().iter().enumerate() {
                let event = &timeline.events[i];
                ui.horizontal_wrapped(|ui| {
                    ui.label(big(format!("{}.", n + 1), scale, palette).strong());
                    ui.label(
                        big(event.date.to_string(), scale, palette)
                            .color(palette.right)
                            .strong(),
                    );
                    ui.label(big(
                        format!("{} ({})", event.caption, letter(i)),
                        scale,
                        palette,
                    ));
                });
            }
        }
        Body::Matching(matching) if !revealed => {
            ui.columns(2, |columns| {
                // Columns justify their labels; left-aligned text reads better from afar.
                let left_aligned = Layout::top_down(Align::Min);
                columns[0].with_layout(left_aligned, |ui| {
                    for (i, left) in matching.left.iter().enumerate() {
                        let text = big(format!("{}   {left}", letter(i)), scale, palette);
                        ui.add(egui::Label::new(text).wrap());
                    }
                });
                columns[1].with_layout(left_aligned, |ui| {
                    for (i, right) in matching.right.iter().enumerate() {
                        let text = big(format!("{}   {right}", i + 1), scale, palette);
                        ui.add(egui::Label::new(text).wrap());
                    }
                });
            });
        }
        Body::Matching(matching) => {
            for (left, &r) in matching.left.iter().zip(&matching.pairs) {
                ui.horizontal_wrapped(|ui| {
                    ui.label(big(left, scale, palette).strong());
                    ui.label(big("–", scale, palette));
                    ui.label(big(&matching.right[r], scale, palette).color(palette.right));
                });
            }
        }
        Body::FlipReveal => {}
    }
}

/// The answer, the article's sentence and the explanation, at `scale` of their full size.
pub(super) fn reveal(ui: &mut Ui, question: &Question, scale: f32, palette: &Palette) {
    if shows_answer(question) {
        ui.label(
            RichText::new("Answer")
                .size(size::DRILL_INFO * scale)
                .color(palette.muted),
        );
        ui.add(
            egui::Label::new(
                RichText::new(&question.answer)
                    .size(size::DRILL_PROMPT * scale)
                    .strong()
                    .color(palette.right),
            )
            .wrap(),
        );
        ui.add_space(12.0 * scale);
    }
    source_and_explanation(ui, question, scale, palette);
}

/// Whether the reveal names the answer in words (the other forms show it in their body).
fn shows_answer(question: &Question) -> bool {
    matches!(question.body, Body::FlipReveal | Body::MultipleChoice(_))
}

/// "“…”": the article's sentence as the reveal quotes it.
fn quoted(source: &str) -> String {
    format!("“{source}”")
}

/// The article's sentence and the explanation, under a revealed answer, at `scale` of their
/// full size.
pub(super) fn source_and_explanation(
    ui: &mut Ui,
    question: &Question,
    scale: f32,
    palette: &Palette,
) {
    if let Some(source) = &question.source {
        egui::Frame::new()
            .inner_margin(egui::Margin::symmetric(14, 8))
            .stroke(Stroke::new(1.0, palette.track))
            .corner_radius(8.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(
                    RichText::new("From the article:")
                        .size(size::HEADING * scale.max(0.7))
                        .color(palette.muted),
                );
                ui.add(
                    egui::Label::new(
                        RichText::new(quoted(source))
                            .size(size::DRILL_INFO * scale)
                            .italics()
                            .color(palette.text),
                    )
                    .wrap(),
                );
            });
    }
    if let Some(explanation) = &question.explanation {
        ui.add_space(8.0);
        ui.add(
            egui::Label::new(
                RichText::new(explanation)
                    .size(size::HEADING * scale.max(0.7))
                    .color(palette.muted),
            )
            .wrap(),
        );
    }
}

/// How tall the reveal's answer, sentence and explanation are at `scale`, in `width`.
fn reveal_height(ui: &Ui, question: &Question, scale: f32, width: f32) -> f32 {
    let mut height = 18.0 * scale;
    if shows_answer(question) {
        height += text_height(ui, "Answer", size::DRILL_INFO * scale, width)
            + text_height(ui, &question.answer, size::DRILL_PROMPT * scale, width)
            + 12.0 * scale;
    }
    if let Some(source) = &question.source {
        height += 16.0
            + text_height(ui, "From", size::HEADING * scale.max(0.7), width)
            + text_height(ui, &quoted(source), size::DRILL_INFO * scale, width - 28.0);
    }
    if let Some(explanation) = &question.explanation {
        height += 8.0 + text_height(ui, explanation, size::HEADING * scale.max(0.7), width);
    }
    height
}

/// One button per team ("1 Team Red"), lit when the team got the revealed question right.
/// The width of a team's button under the question.
const TEAM_BUTTON_W: f32 = 180.0;

fn team_buttons(ui: &mut Ui, drill: &Drill, palette: &Palette, action: &mut Option<DrillAction>) {
    let revealed = drill.phase() == Phase::Revealed;
    let stats = drill.team_stats();
    // As many team buttons to a row as fit (six in a row on a projector, two rows in a
    // small window).
    let gap = ui.spacing().item_spacing.x;
    let per_row = (((ui.available_width() + gap) / (TEAM_BUTTON_W + gap)).floor() as usize).max(1);
    let teams: Vec<(usize, &flashdrill_core::drill::Team)> =
        drill.teams().iter().enumerate().collect();
    for row in teams.chunks(per_row) {
        ui.horizontal(|ui| {
            for &(i, team) in row {
                let colour = team_colour(palette, team);
                let on = drill.awarded(i);
                let text = RichText::new(format!("{} {}", i + 1, team.name))
                    .size(size::DRILL_INFO)
                    .strong()
                    .color(if on { palette.on_fill } else { colour });
                let button = egui::Button::new(text)
                    .selected(on)
                    .fill(if on { colour } else { palette.card_fill })
                    .stroke(Stroke::new(3.0, colour))
                    .corner_radius(10.0)
                    .min_size(egui::vec2(TEAM_BUTTON_W, 56.0));
                ui.vertical(|ui| {
                    let response = ui
                        .add_enabled(revealed, button)
                        .on_hover_text(format!("{} got it right (key {})", team.name, i + 1))
                        .on_disabled_hover_text("Reveal the answer first (Space)");
                    if response.clicked() {
                        *action = Some(DrillAction::Award(i));
                    }
                    ui.label(
                        RichText::new(format!("{} points", stats[i].points))
                            .size(size::HEADING)
                            .color(palette.muted),
                    );
                });
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::{MIN_SCALE, fit};

    #[test]
    fn fit_takes_the_largest_scale_that_fits_and_stops_at_the_floor() {
        assert!(
            (fit(2000.0, |s| 1000.0 * s) - 1.0).abs() < 1e-6,
            "room to spare"
        );
        let scale = fit(610.0, |s| 1000.0 * s);
        assert!((scale - 0.6).abs() < 1e-3, "{scale}");
        assert!(
            (fit(10.0, |s| 1000.0 * s) - MIN_SCALE).abs() < 1e-6,
            "never below the floor"
        );
    }
}
