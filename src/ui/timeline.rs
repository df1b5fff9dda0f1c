//! The article timeline: the decks' dated events on a time axis, coloured by how well each
//! card is remembered now, with a list of the events below for keyboard and screen-reader use.

use chrono::{DateTime, Utc};
use egui::{RichText, Ui};
use egui_plot::{Plot, PlotBounds, PlotPoint, Points, Text};

use super::browser::{BrowseData, card_detail, detail_side_panel, practise};
use super::commands::Command;
use super::notice::Notice;
use super::theme::{Palette, size};
use super::widgets;
use crate::jobs::Job;
use crate::ui::view::{AppCommand, AppContext, Screen, View};
use flashdrill_core::browse::{CardDetail, CardTable, EventGroup, TimelineEvent};
use flashdrill_core::session::CardKey;

/// The whole axis: 2000 to the end of 2024.
pub const ALL_YEARS: (f64, f64) = (1999.5, 2025.0);
/// "Zoom to 2022–2024".
pub const RECENT_YEARS: (f64, f64) = (2022.0, 2025.0);

/// What the timeline shows.
pub struct TimelineView<'a> {
    /// As [`flashdrill_core::browse::timeline_events`] gives them.
    pub events: &'a [TimelineEvent],
    /// As [`flashdrill_core::browse::event_groups`] gives them.
    pub groups: &'a [EventGroup],
    pub table: &'a CardTable,
    pub now: DateTime<Utc>,
    /// The card whose details are open.
    pub detail: Option<&'a CardDetail>,
    pub notice: Option<&'a Notice>,
}

/// What the learner asked for on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimelineAction {
    /// Show this card and its history.
    ShowCard(CardKey),
    CloseCard,
    /// A practice session over the date cards in the visible range, in date order.
    Practise(Vec<CardKey>),
}

/// The timeline's own state.
#[derive(Debug, Clone, Default)]
pub struct TimelineState {
    /// The years on show in the last frame.
    visible: Option<(f64, f64)>,
    /// Years to show from the next frame (a zoom button was clicked).
    pending: Option<(f64, f64)>,
    /// The event group open in the list below the plot.
    group: Option<usize>,
}

impl TimelineState {
    /// The years on show (the whole axis until the plot has been drawn).
    #[must_use]
    pub fn visible(&self) -> (f64, f64) {
        self.visible.unwrap_or(ALL_YEARS)
    }

    /// The date cards whose date is in the visible range, in date order.
    #[must_use]
    pub fn visible_cards(&self, events: &[TimelineEvent]) -> Vec<CardKey> {
        let (from, to) = self.visible();
        events
            .iter()
            .filter(|e| e.x >= from && e.x <= to)
            .map(|e| e.key.clone())
            .collect()
    }

    pub fn show(&mut self, ui: &mut Ui, view: &TimelineView<'_>) -> Option<TimelineAction> {
        let palette = Palette::of(ui.visuals());
        let mut action = None;
        if let Some(detail) = view.detail
            && detail_side_panel(ui, "timeline-card", detail, view.now, &palette)
        {
            action = Some(TimelineAction::CloseCard);
        }
        egui::ScrollArea::vertical()
            .id_salt("timeline-page")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                if let Some(notice) = view.notice {
                    let colour = notice.colour(&palette);
                    ui.label(RichText::new(&notice.text).color(colour));
                }
                ui.heading("The article's timeline");
                if view.events.is_empty() {
                    ui.label(
                        RichText::new("No deck has dated events (cards of category \"date\").")
                            .color(palette.muted),
                    );
                    return;
                }
                ui.horizontal_wrapped(|ui| {
                    if ui.button("Zoom to 2022–2024").clicked() {
                        self.pending = Some(RECENT_YEARS);
                    }
                    if ui.button("Show all").clicked() {
                        self.pending = Some(ALL_YEARS);
                    }
                    let (from, to) = self.visible();
                    let any = view.events.iter().any(|e| e.x >= from && e.x <= to);
                    if ui
                        .add_enabled(any, egui::Button::new("Practise these events"))
                        .on_hover_text(
                            "Practise the date cards on show; their schedules stay as they are",
                        )
                        .clicked()
                    {
                        action = Some(TimelineAction::Practise(self.visible_cards(view.events)));
                    }
                    ui.label(
                        RichText::new("Drag to pan, scroll or pinch to zoom.")
                            .color(palette.muted)
                            .small(),
                    );
                });
                if let Some(key) = self.plot(ui, view, &palette) {
                    self.group = view
                        .groups
                        .iter()
                        .position(|g| g.events.iter().any(|&i| view.events[i].key == key));
                    action = Some(TimelineAction::ShowCard(key));
                }
                legend(ui, &palette);
                ui.add_space(10.0);
                if let Some(a) = self.event_list(ui, view, &palette) {
                    action = Some(a);
                }
            });
        action
    }

    /// Draws the plot; returns the card whose marker was clicked.
    fn plot(&mut self, ui: &mut Ui, view: &TimelineView<'_>, palette: &Palette) -> Option<CardKey> {
        let levels = view.events.iter().map(|e| e.level).max().unwrap_or(0);
        let top = f64::from(levels) + 1.0;
        let pending = self.pending.take();
        let selected = view.detail.map(|d| &d.key);
        // One label per event, on its first (lowest) card; the cards above it are its others.
        let mut labelled = vec![false; view.events.len()];
        for group in view.groups {
            if let Some(&first) = group.events.first()
                && let Some(l) = labelled.get_mut(first)
            {
                *l = true;
            }
        }
        // Labels right of the middle go to the left of their marker, to stay on the plot.
        let (from, to) = self.visible();
        let middle = f64::midpoint(from, to);
        let response = Plot::new("article-timeline")
            .height((top as f32 * 20.0).clamp(220.0, 560.0))
            .default_x_bounds(ALL_YEARS.0, ALL_YEARS.1)
            .default_y_bounds(-0.8, top)
            .show_axes([true, false])
            .show_grid([true, false])
            .allow_zoom([true, false])
            .allow_drag([true, false])
            .allow_scroll([true, false])
            .allow_boxed_zoom(false)
            .x_axis_formatter(|mark, _| {
                if mark.value.fract() == 0.0 {
                    format!("{:.0}", mark.value)
                } else {
                    String::new()
                }
            })
            .label_formatter(|pos| match pos {
                egui_plot::HoverPosition::NearDataPoint { plot_name, .. } => {
                    Some((*plot_name).to_owned())
                }
                egui_plot::HoverPosition::Elsewhere { .. } => None,
            })
            .show(ui, |plot| {
                if let Some((from, to)) = pending {
                    plot.set_plot_bounds(PlotBounds::from_min_max([from, -0.8], [to, top]));
                }
                for (i, event) in view.events.iter().enumerate() {
                    let y = f64::from(event.level);
                    let colour = palette.retention(event.retrievability);
                    let chosen = selected == Some(&event.key);
                    plot.points(
                        Points::new(
                            format!("{} ({})", event.caption, event.date),
                            vec![[event.x, y]],
                        )
                        .color(colour)
                        .filled(true)
                        .radius(if chosen { 7.0 } else { 5.0 }),
                    );
                    if !labelled[i] && !chosen {
                        continue;
                    }
                    let (text, anchor) = if event.x > middle {
                        (format!("{}    ", event.caption), egui::Align2::RIGHT_CENTER)
                    } else {
                        (format!("    {}", event.caption), egui::Align2::LEFT_CENTER)
                    };
                    plot.text(
                        Text::new(
                            "label",
                            PlotPoint::new(event.x, y),
                            RichText::new(text).size(size::SMALL).color(if chosen {
                                palette.accent
                            } else {
                                palette.text
                            }),
                        )
                        .anchor(anchor)
                        .allow_hover(false),
                    );
                }
            });
        let first = view
            .events
            .iter()
            .map(|e| e.x)
            .fold(f64::INFINITY, f64::min);
        let last = view
            .events
            .iter()
            .map(|e| e.x)
            .fold(f64::NEG_INFINITY, f64::max);
        let spoken = if view.events.is_empty() {
            "Time axis with no dated events".to_owned()
        } else {
            format!(
                "Time axis of {} dated events from {:.0} to {:.0}, each coloured by how well you \
                 would recall it; the list of events below opens each one",
                view.events.len(),
                first.floor(),
                last.floor()
            )
        };
        response
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &spoken));
        let bounds = response.transform.bounds();
        self.visible = Some((bounds.min()[0], bounds.max()[0]));
        if !response.response.clicked() {
            return None;
        }
        let pointer = response.response.interact_pointer_pos()?;
        view.events
            .iter()
            .map(|e| {
                let at = response
                    .transform
                    .position_from_point(&PlotPoint::new(e.x, f64::from(e.level)));
                (at.distance(pointer), e)
            })
            .filter(|(d, _)| *d <= 12.0)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, e)| e.key.clone())
    }

    /// The events as a list of buttons; the open one lists its cards.
    fn event_list(
        &mut self,
        ui: &mut Ui,
        view: &TimelineView<'_>,
        palette: &Palette,
    ) -> Option<TimelineAction> {
        let mut action = None;
        ui.label(RichText::new("Events").strong().size(size::BODY + 2.0));
        egui::Grid::new("timeline-events")
            .num_columns(3)
            .spacing([14.0, 6.0])
            .show(ui, |ui| {
                for (g, group) in view.groups.iter().enumerate() {
                    ui.label(RichText::new(group.date.to_string()).color(palette.muted));
                    let open = self.group == Some(g);
                    let response = ui.selectable_label(open, group.label.as_str());
                    ui.horizontal(|ui| {
                        for &i in &group.events {
                            widgets::swatch(ui, palette.retention(view.events[i].retrievability));
                        }
                        let n = group.events.len();
                        ui.label(
                            RichText::new(format!("{n} {}", if n == 1 { "card" } else { "cards" }))
                                .color(palette.muted)
                                .small(),
                        );
                    });
                    ui.end_row();
                    if response.clicked() {
                        self.group = Some(g);
                        if let Some(&first) = group.events.first() {
                            action = Some(TimelineAction::ShowCard(view.events[first].key.clone()));
                        }
                    }
                    if open && group.events.len() > 1 {
                        ui.label("");
                        ui.vertical(|ui| {
                            for &i in &group.events {
                                let event = &view.events[i];
                                let Some(row) = view.table.row(event.row) else {
                                    continue;
                                };
                                let chosen = view.detail.is_some_and(|d| d.key == event.key);
                                if ui.selectable_label(chosen, row.prompt.as_str()).clicked() {
                                    action = Some(TimelineAction::ShowCard(event.key.clone()));
                                }
                            }
                        });
                        ui.end_row();
                    }
                }
            });
        action
    }
}

/// What the marker colours mean.
fn legend(ui: &mut Ui, palette: &Palette) {
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new("Recall chance now:")
                .color(palette.muted)
                .small(),
        );
        for (r, text) in [
            (Some(0.95), "90 % or more"),
            (Some(0.7), "about 70 %"),
            (Some(0.5), "50 % or less"),
            (None, "not studied yet"),
        ] {
            widgets::swatch(ui, palette.retention(r));
            ui.label(RichText::new(text).small());
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_colours_run_from_wrong_through_warn_to_right() {
        for visuals in [egui::Visuals::light(), egui::Visuals::dark()] {
            let p = Palette::of(&visuals);
            assert_eq!(p.retention(None), p.muted);
            assert_eq!(p.retention(Some(f32::NAN)), p.muted);
            assert_eq!(p.retention(Some(0.2)), p.wrong);
            assert_eq!(p.retention(Some(0.5)), p.wrong);
            assert_eq!(p.retention(Some(0.7)), p.warn);
            assert_eq!(p.retention(Some(0.9)), p.right);
            assert_eq!(p.retention(Some(1.0)), p.right);
            let between = p.retention(Some(0.8));
            assert!(between != p.warn && between != p.right);
        }
    }

    #[test]
    fn visible_cards_are_the_events_in_range() {
        let date = flashdrill_core::deck::PartialDate::parse("2023-09").unwrap();
        let event = |id: &str, x: f64| TimelineEvent {
            row: 0,
            key: CardKey::new("d", id),
            date,
            x,
            level: 0,
            caption: String::new(),
            retrievability: None,
        };
        let events = [event("a", 2000.5), event("b", 2022.7), event("c", 2024.2)];
        let mut state = TimelineState::default();
        assert_eq!(state.visible_cards(&events).len(), 3);
        state.visible = Some(RECENT_YEARS);
        let keys: Vec<String> = state
            .visible_cards(&events)
            .into_iter()
            .map(|k| k.card_id)
            .collect();
        assert_eq!(keys, ["b", "c"]);
    }
}

/// The timeline screen: its events and the card table they come from, built when it opens.
#[derive(Default)]
pub struct TimelineScreen {
    ui: TimelineState,
    table: CardTable,
    events: Vec<TimelineEvent>,
    groups: Vec<EventGroup>,
    detail: Option<CardDetail>,
    job: Option<Job<Result<BrowseData, String>>>,
    notice: Option<Notice>,
}

impl TimelineScreen {
    pub fn set_notice(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    fn install(&mut self, data: Result<BrowseData, String>, cx: &AppContext<'_>) {
        match data {
            Ok(data) => {
                self.table = data.table;
                self.events = data.events;
                self.groups = data.groups;
                if let Some(key) = self.detail.as_ref().map(|d| d.key.clone()) {
                    self.detail = card_detail(cx, &key).ok();
                }
            }
            Err(err) => self.notice = Some(Notice::error(err)),
        }
    }
}

impl View for TimelineScreen {
    fn open(&mut self, cx: &mut AppContext<'_>) {
        self.notice = None;
        self.job = Some(BrowseData::start(cx));
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>) {
        if let Some(data) = BrowseData::wait(&mut self.job, ui, cx.library().card_count()) {
            self.install(data, cx);
        }
        if self.job.is_some() {
            return;
        }
        let view = TimelineView {
            events: &self.events,
            groups: &self.groups,
            table: &self.table,
            now: cx.now,
            detail: self.detail.as_ref(),
            notice: self.notice.as_ref(),
        };
        match self.ui.show(ui, &view) {
            Some(TimelineAction::ShowCard(key)) => match card_detail(cx, &key) {
                Ok(detail) => self.detail = Some(detail),
                Err(err) => self.notice = Some(Notice::error(err)),
            },
            Some(TimelineAction::CloseCard) => self.detail = None,
            Some(TimelineAction::Practise(keys)) => {
                if let Err(notice) = practise(keys, Screen::Timeline, cx) {
                    self.notice = Some(notice);
                }
            }
            None => {}
        }
    }

    fn command(&mut self, command: Command, cx: &mut AppContext<'_>) {
        if command == Command::Back {
            cx.send(AppCommand::GoTo(Screen::Home));
        }
    }
}
