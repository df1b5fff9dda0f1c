//! The timeline ordering question: three to five events, shown shuffled, to put in
//! chronological order, earliest first.
//!
//! Mouse: drag a row onto another row's place. Keyboard: Up/Down select a row, Alt+Up/Alt+Down
//! move it, Enter checks (as [`Command::SelectUp`], [`Command::MoveUp`], [`Command::Primary`]
//! and so on, through the app's command table). Every row also has "Move up"/"Move down" buttons
//! named after its event for screen readers. Once checked, the score (pairs in the right
//! order, see [`quiz::score_order`]) and the right order, painted as a small timeline, show.

use std::cmp::Ordering;

use egui::{Align, Align2, Layout, RichText, Sense, Stroke, Ui, WidgetInfo};

use super::commands::{self, Command};
use super::theme::{Palette, size};
use super::widgets;
use flashdrill_core::quiz::{self, OrderScore, Timeline};

/// Captions longer than this are shortened in button names.
const NAME_CHARS: usize = 28;

/// The room a row keeps on its right for its "Move up" and "Move down" buttons.
const MOVE_BUTTONS_WIDTH: f32 = 170.0;

/// What the learner did with a timeline question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderingAction {
    /// The order was checked: the app logs it.
    Checked {
        score: OrderScore,
        /// The learner's order: indices into the timeline's events, earliest first.
        order: Vec<usize>,
        response_ms: u64,
    },
    /// Go on to the next question.
    Continue,
}

/// The widget's state for one timeline question.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderingState {
    /// The learner's order: indices into the timeline's events, top row first.
    order: Vec<usize>,
    /// The selected row (a position in `order`).
    selected: usize,
    checked: Option<OrderScore>,
    shown_at: Option<f64>,
}

impl OrderingState {
    /// The events in the order they are shown (the timeline's own, shuffled, order).
    #[must_use]
    pub fn new(timeline: &Timeline) -> Self {
        Self {
            order: (0..timeline.events.len()).collect(),
            selected: 0,
            checked: None,
            shown_at: None,
        }
    }

    /// The learner's order so far: indices into the timeline's events, top row first.
    #[must_use]
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// The selected row.
    #[must_use]
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The score, once checked.
    #[must_use]
    pub fn score(&self) -> Option<OrderScore> {
        self.checked
    }

    /// Selects the row at `position` (clamped to the rows).
    pub fn select(&mut self, position: usize) {
        self.selected = position.min(self.order.len().saturating_sub(1));
    }

    /// Selects the row above or below the selected one.
    pub fn select_step(&mut self, down: bool) {
        if down {
            self.select(self.selected + 1);
        } else {
            self.select(self.selected.saturating_sub(1));
        }
    }

    /// Moves the row at `from` to `to` (positions; the rows between shift). The moved row is
    /// selected. Nothing happens once checked or with a position out of range.
    pub fn move_row(&mut self, from: usize, to: usize) {
        if self.checked.is_some() || from >= self.order.len() || to >= self.order.len() {
            return;
        }
        let item = self.order.remove(from);
        self.order.insert(to, item);
        self.selected = to;
    }

    /// Moves the selected row one place up or down.
    pub fn move_selected(&mut self, down: bool) {
        let from = self.selected;
        let to = if down {
            from + 1
        } else {
            match from.checked_sub(1) {
                Some(to) => to,
                None => return,
            }
        };
        self.move_row(from, to);
    }

    /// Checks the order (once); returns the action to log it.
    pub fn check(&mut self, timeline: &Timeline, now: f64) -> Option<OrderingAction> {
        if self.checked.is_some() {
            return None;
        }
        let score = timeline.score(&self.order);
        self.checked = Some(score);
        let response_ms = self
            .shown_at
            .map_or(0, |t| ((now - t).max(0.0) * 1000.0) as u64);
        Some(OrderingAction::Checked {
            score,
            order: self.order.clone(),
            response_ms,
        })
    }

    /// Whether the event in row `position` is in a right place: every pair it is part of is in
    /// a right order (ties are interchangeable).
    #[must_use]
    pub fn well_placed(&self, timeline: &Timeline, position: usize) -> bool {
        let Some(&me) = self.order.get(position) else {
            return false;
        };
        let Some(my_date) = timeline.events.get(me).map(|e| e.date) else {
            return false;
        };
        self.order.iter().enumerate().all(|(p, &other)| {
            let Some(date) = timeline.events.get(other).map(|e| e.date) else {
                return false;
            };
            match p.cmp(&position) {
                Ordering::Less => quiz::date_order(&date, &my_date) != Ordering::Greater,
                Ordering::Greater => quiz::date_order(&my_date, &date) != Ordering::Greater,
                Ordering::Equal => true,
            }
        })
    }

    /// Applies a command from the app's table: the arrows select and move a row until the
    /// order is checked; Enter checks, then goes on.
    pub fn command(
        &mut self,
        timeline: &Timeline,
        command: Command,
        now: f64,
    ) -> Option<OrderingAction> {
        match command {
            Command::Primary if self.checked.is_none() => self.check(timeline, now),
            Command::Primary => Some(OrderingAction::Continue),
            _ if self.checked.is_some() => None,
            Command::MoveUp => {
                self.move_selected(false);
                None
            }
            Command::MoveDown => {
                self.move_selected(true);
                None
            }
            Command::SelectUp => {
                self.select_step(false);
                None
            }
            Command::SelectDown => {
                self.select_step(true);
                None
            }
            _ => None,
        }
    }

    /// Draws the question; returns what the learner asked for.
    pub fn show(&mut self, ui: &mut Ui, timeline: &Timeline) -> Option<OrderingAction> {
        let now = ui.input(|i| i.time);
        if self.shown_at.is_none() {
            self.shown_at = Some(now);
        }
        if self.order.len() != timeline.events.len() {
            *self = Self::new(timeline);
        }
        let palette = Palette::of(ui.visuals());
        let mut action = None;

        ui.label(
            RichText::new("Put these events in order, earliest first")
                .size(size::PROMPT)
                .strong()
                .color(palette.text),
        );
        if self.checked.is_none() {
            ui.label(
                RichText::new(
                    "Drag a row to its place, or select it with Up/Down and move it with \
                     Alt+Up/Alt+Down. Enter checks.",
                )
                .color(palette.muted)
                .small(),
            );
        }
        ui.add_space(8.0);

        let mut pending_move = None;
        for position in 0..self.order.len() {
            if let Some(m) = self.row(ui, timeline, position, &palette) {
                pending_move = Some(m);
            }
        }
        if let Some((from, to)) = pending_move {
            self.move_row(from, to);
        }
        ui.add_space(10.0);

        match self.checked {
            None => {
                let label = format!("Check order ({})", commands::keys(Command::Primary));
                if widgets::primary_button(ui, &label, &palette)
                    .on_hover_text("Mark your order (Enter)")
                    .clicked()
                {
                    action = self.check(timeline, now);
                }
            }
            Some(score) => {
                verdict(ui, score, &palette);
                ui.add_space(8.0);
                ui.label(
                    RichText::new("The right order")
                        .color(palette.muted)
                        .small(),
                );
                paint_timeline(ui, timeline, &palette);
                ui.add_space(10.0);
                let label = format!("Continue ({})", commands::keys(Command::Primary));
                if widgets::primary_button(ui, &label, &palette)
                    .on_hover_text("Next question (Enter)")
                    .clicked()
                {
                    action = Some(OrderingAction::Continue);
                }
            }
        }
        action
    }

    /// One row; returns a drag-and-drop move (from, to) dropped on it.
    fn row(
        &mut self,
        ui: &mut Ui,
        timeline: &Timeline,
        position: usize,
        palette: &Palette,
    ) -> Option<(usize, usize)> {
        let event_index = self.order[position];
        let event = &timeline.events[event_index];
        let last = self.order.len() - 1;
        let asking = self.checked.is_none();
        let mut dropped = None;
        let row = ui.horizontal(|ui| {
            let text = if asking {
                RichText::new(format!("{}. {}", position + 1, event.caption)).size(size::BODY + 2.0)
            } else {
                let colour = if self.well_placed(timeline, position) {
                    palette.right
                } else {
                    palette.wrong
                };
                RichText::new(format!(
                    "{}. {} — {}",
                    position + 1,
                    event.caption,
                    event.date
                ))
                .size(size::BODY + 2.0)
                .color(colour)
            };
            if asking {
                // The caption wraps in the room the two buttons leave, never under them.
                let room = (ui.available_width() - MOVE_BUTTONS_WIDTH).max(120.0);
                let id = ui.make_persistent_id(("timeline-row", event_index));
                let selected = self.selected == position;
                let inner = drag_source(ui, id, position, |ui| {
                    ui.horizontal(|ui| {
                        ui.set_max_width(room);
                        grip(ui, palette);
                        ui.add(egui::Button::selectable(selected, text).wrap())
                    })
                    .inner
                });
                if inner.inner.clicked() {
                    self.selected = position;
                }
                let name = short(&event.caption);
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    let down = ui
                        .add_enabled(position < last, egui::Button::new("Move down").small())
                        .on_hover_text("Move this event one place later (Alt+Down)");
                    let down_name = format!("Move \"{name}\" down");
                    down.widget_info(|| {
                        WidgetInfo::labeled(egui::Role::Button, position < last, &down_name)
                    });
                    if down.clicked() {
                        dropped = Some((position, position + 1));
                    }
                    let up = ui
                        .add_enabled(position > 0, egui::Button::new("Move up").small())
                        .on_hover_text("Move this event one place earlier (Alt+Up)");
                    let up_name = format!("Move \"{name}\" up");
                    up.widget_info(|| {
                        WidgetInfo::labeled(egui::Role::Button, position > 0, &up_name)
                    });
                    if up.clicked() {
                        dropped = Some((position, position - 1));
                    }
                });
            } else {
                ui.add(egui::Label::new(text).wrap());
            }
        });
        if asking {
            let rect = row.response.rect;
            if let Some(from) = row.response.dnd_hover_payload::<usize>() {
                // Where the dragged row would land: above this row when it comes from below.
                let y = if *from > position {
                    rect.top() - 2.0
                } else {
                    rect.bottom() + 2.0
                };
                ui.painter()
                    .hline(rect.x_range(), y, Stroke::new(2.0, palette.accent));
            }
            if let Some(from) = row.response.dnd_release_payload::<usize>() {
                dropped = Some((*from, position));
            }
        }
        dropped
    }
}

/// A row the mouse can drag: while dragged, it is drawn where the pointer holds it (the point
/// grabbed stays under the pointer), on a layer above the rest.
fn drag_source<R>(
    ui: &mut Ui,
    id: egui::Id,
    payload: usize,
    add_contents: impl FnOnce(&mut Ui) -> R,
) -> egui::InnerResponse<R> {
    if ui.ctx().is_being_dragged(id) {
        egui::DragAndDrop::set_payload(ui.ctx(), payload);
        let layer_id = egui::LayerId::new(egui::Order::Tooltip, id);
        let inner = ui.scope_builder(egui::UiBuilder::new().layer_id(layer_id), add_contents);
        let moved = ui
            .input(|i| i.pointer.interact_pos().zip(i.pointer.press_origin()))
            .map(|(pointer, origin)| pointer - origin);
        if let Some(delta) = moved {
            ui.ctx().transform_layer_shapes(
                layer_id,
                egui::emath::TSTransform::from_translation(delta),
            );
        }
        inner
    } else {
        let egui::InnerResponse { inner, response } = ui.scope(add_contents);
        let dnd = ui
            .interact(response.rect, id, Sense::drag())
            .on_hover_cursor(egui::CursorIcon::Grab);
        egui::InnerResponse::new(inner, dnd | response)
    }
}

/// "Move "Putin's first visit…" up": captions shortened for button names.
fn short(caption: &str) -> String {
    if caption.chars().count() <= NAME_CHARS {
        caption.to_owned()
    } else {
        let cut: String = caption.chars().take(NAME_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Three short lines: the place to grab a row.
fn grip(ui: &mut Ui, palette: &Palette) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 16.0), Sense::hover());
    for k in 0..3 {
        let y = rect.top() + 3.0 + 5.0 * k as f32;
        ui.painter()
            .hline(rect.x_range(), y, Stroke::new(1.5, palette.muted));
    }
}

fn verdict(ui: &mut Ui, score: OrderScore, palette: &Palette) {
    let (text, colour) = if score.correct_order {
        ("All in the right order".to_owned(), palette.right)
    } else {
        (
            format!(
                "{} of {} pairs in the right order",
                score.pairs_right, score.pairs_total
            ),
            palette.wrong,
        )
    };
    ui.label(
        RichText::new(text)
            .strong()
            .size(size::BODY + 2.0)
            .color(colour),
    );
}

/// Where the events' dots go on an axis from `left` to `right`, in the right order: spaced by
/// time (evenly when all share one date).
fn dot_positions(years: &[f64], left: f32, right: f32) -> Vec<f32> {
    let first = years.iter().copied().fold(f64::INFINITY, f64::min);
    let last = years.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let n = years.len();
    years
        .iter()
        .enumerate()
        .map(|(k, &t)| {
            let share = if last > first {
                (t - first) / (last - first)
            } else if n > 1 {
                k as f64 / (n - 1) as f64
            } else {
                0.5
            };
            left + (right - left) * share as f32
        })
        .collect()
}

/// The right order on a time axis: a dot per event where its date falls, the first and last
/// years at the ends, and below, in order, each event's date and caption joined to its dot.
/// Each dot is named for screen readers ("2000: Putin's first visit…").
pub fn paint_timeline(ui: &mut Ui, timeline: &Timeline, palette: &Palette) -> egui::Response {
    let order = timeline.correct_order();
    let n = order.len().max(1);
    let width = ui.available_width();
    let slot = width / n as f32;
    let font = egui::FontId::proportional(size::SMALL);
    let painter = ui.painter().clone();
    let events: Vec<_> = order.iter().map(|&i| &timeline.events[i]).collect();
    let blocks: Vec<_> = events
        .iter()
        .map(|e| {
            let mut job = egui::text::LayoutJob::default();
            job.append(
                &format!("{}\n", e.date),
                0.0,
                egui::TextFormat::simple(font.clone(), palette.accent),
            );
            job.append(
                &e.caption,
                0.0,
                egui::TextFormat::simple(font.clone(), palette.text),
            );
            job.wrap.max_width = (slot - 10.0).max(40.0);
            job.halign = Align::Center;
            painter.layout_job(job)
        })
        .collect();
    let years_font = egui::FontId::proportional(size::SMALL);
    let block_h = blocks.iter().map(|g| g.size().y).fold(0.0, f32::max);
    let year_h = ui.fonts_mut(|f| f.row_height(&years_font));
    let dot = 6.0;
    let leader = 22.0;
    let height = year_h + 6.0 + 2.0 * dot + leader + block_h;
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, height), Sense::hover());
    let line_y = rect.top() + year_h + 6.0 + dot;
    let margin = (slot * 0.5).min(80.0);
    let years: Vec<f64> = events.iter().map(|e| e.date.as_year_fraction()).collect();
    let xs = dot_positions(&years, rect.left() + margin, rect.right() - margin);
    let (Some(&x_first), Some(&x_last)) = (xs.first(), xs.last()) else {
        return response;
    };
    painter.line_segment(
        [
            egui::pos2(rect.left() + 4.0, line_y),
            egui::pos2(rect.right() - 4.0, line_y),
        ],
        Stroke::new(2.0, palette.track),
    );
    if let (Some(first), Some(last)) = (events.first(), events.last()) {
        let ends = [
            (x_first, first.date.year, Align2::CENTER_BOTTOM),
            (x_last, last.date.year, Align2::CENTER_BOTTOM),
        ];
        for (x, year, align) in ends {
            painter.text(
                egui::pos2(x, line_y - dot - 4.0),
                align,
                year.to_string(),
                years_font.clone(),
                palette.muted,
            );
        }
    }
    let block_top = line_y + dot + leader;
    for (k, (block, &x)) in blocks.into_iter().zip(&xs).enumerate() {
        let slot_x = rect.left() + slot * (k as f32 + 0.5);
        painter.line_segment(
            [
                egui::pos2(x, line_y + dot),
                egui::pos2(slot_x, block_top - 3.0),
            ],
            Stroke::new(1.0, palette.muted),
        );
        let at = egui::pos2(x, line_y);
        painter.circle_filled(at, dot, palette.accent);
        let block_pos = Align2::CENTER_TOP
            .anchor_size(egui::pos2(slot_x, block_top), block.size())
            .min;
        painter.galley(block_pos, block, palette.text);
        let event = events[k];
        let name = format!("{}: {}", event.date, event.caption);
        let dot_rect = egui::Rect::from_center_size(at, egui::vec2(2.0 * dot, 2.0 * dot));
        let id = response.id.with(("event", k));
        ui.interact(dot_rect, id, Sense::hover())
            .on_hover_text(&name)
            .widget_info(|| WidgetInfo::labeled(egui::Role::Image, true, &name));
    }
    let described: Vec<String> = events
        .iter()
        .map(|e| format!("{}: {}", e.date, e.caption))
        .collect();
    let description = format!("The right order: {}", described.join("; "));
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Label, true, &description));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use flashdrill_core::deck::PartialDate;
    use flashdrill_core::quiz::Event;

    fn timeline(dates: &[&str]) -> Timeline {
        Timeline {
            events: dates
                .iter()
                .enumerate()
                .map(|(i, d)| Event {
                    card_id: format!("c{i}"),
                    caption: format!("event {i}"),
                    date: PartialDate::parse(d).unwrap(),
                })
                .collect(),
        }
    }

    #[test]
    fn keyboard_moves_follow_the_selection() {
        let t = timeline(&["2023", "2000", "2022-09", "2024-03"]);
        let mut s = OrderingState::new(&t);
        assert_eq!(s.order(), [0, 1, 2, 3]);
        s.select_step(false);
        assert_eq!(s.selected(), 0, "Up at the top stays");
        s.move_selected(false);
        assert_eq!(s.order(), [0, 1, 2, 3], "Alt+Up at the top does nothing");
        s.move_selected(true);
        assert_eq!(s.order(), [1, 0, 2, 3]);
        assert_eq!(s.selected(), 1, "the moved row stays selected");
        s.select_step(true);
        s.move_selected(false);
        assert_eq!(s.order(), [1, 2, 0, 3]);
        s.select(99);
        assert_eq!(s.selected(), 3);
        s.move_selected(true);
        assert_eq!(
            s.order(),
            [1, 2, 0, 3],
            "Alt+Down at the bottom does nothing"
        );
        s.move_row(3, 0);
        assert_eq!(s.order(), [3, 1, 2, 0]);
        s.move_row(0, 9);
        assert_eq!(s.order(), [3, 1, 2, 0], "out of range is ignored");
    }

    #[test]
    fn checking_scores_once_and_freezes_the_order() {
        let t = timeline(&["2023", "2000", "2022-09", "2024-03"]);
        let mut s = OrderingState::new(&t);
        s.shown_at = Some(1.0);
        s.move_row(1, 0);
        // [1, 0, 2, 3]: 2000, 2023, 2022-09, 2024-03 — one pair wrong.
        let Some(OrderingAction::Checked {
            score,
            order,
            response_ms,
        }) = s.check(&t, 3.5)
        else {
            panic!("no check");
        };
        assert_eq!(order, vec![1, 0, 2, 3]);
        assert_eq!((score.pairs_right, score.pairs_total), (5, 6));
        assert!(!score.correct_order);
        assert_eq!(response_ms, 2500);
        assert_eq!(s.check(&t, 4.0), None, "checked once");
        s.move_row(0, 3);
        assert_eq!(s.order(), [1, 0, 2, 3], "frozen after checking");
        assert!(s.well_placed(&t, 0) && s.well_placed(&t, 3));
        assert!(!s.well_placed(&t, 1) && !s.well_placed(&t, 2));
        assert_eq!(
            s.command(&t, Command::Primary, 5.0),
            Some(OrderingAction::Continue)
        );
    }

    #[test]
    fn ties_count_as_right_and_enter_checks() {
        let t = timeline(&["2023-09", "2023", "2000"]);
        let mut s = OrderingState::new(&t);
        s.move_row(2, 0);
        let Some(OrderingAction::Checked { score, .. }) = s.command(&t, Command::Primary, 0.0)
        else {
            panic!("Enter checks");
        };
        assert!(score.correct_order, "2023-09 and 2023 are interchangeable");
        assert!((0..3).all(|p| s.well_placed(&t, p)));
        assert_eq!(s.command(&t, Command::Undo, 0.0), None);
    }

    #[test]
    fn dots_are_spaced_by_time() {
        let xs = dot_positions(&[2000.0, 2023.0, 2024.0], 0.0, 240.0);
        assert_eq!(xs, [0.0, 230.0, 240.0]);
        let xs = dot_positions(&[2023.0, 2023.0, 2023.0], 0.0, 200.0);
        assert_eq!(xs, [0.0, 100.0, 200.0], "one date for all: evenly");
        assert_eq!(dot_positions(&[1961.0], 0.0, 100.0), [50.0]);
    }

    #[test]
    fn button_names_shorten_long_captions() {
        assert_eq!(short("Short one"), "Short one");
        let long = short("Putin's first visit to North Korea in the year 2000");
        assert!(long.ends_with('…'));
        assert!(long.chars().count() <= NAME_CHARS);
        assert!(long.starts_with("Putin's first visit"));
    }
}
