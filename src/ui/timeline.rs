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

/// Room left on each side of the events on the axis: this share of their span, at least
/// [`MIN_PAD_YEARS`].
const PAD_SHARE: f64 = 0.06;
const MIN_PAD_YEARS: f64 = 0.5;

/// The years the axis spans to show `events` (sorted by date) with a margin on each side; the
/// span follows the events, so a deck about 1961 fits as well as one about 2000–2024.
#[must_use]
pub fn extent(events: &[TimelineEvent]) -> (f64, f64) {
    let (Some(first), Some(last)) = (events.first(), events.last()) else {
        return (0.0, 1.0);
    };
    let (from, to) = (first.x.min(last.x), first.x.max(last.x));
    let pad = ((to - from) * PAD_SHARE).max(MIN_PAD_YEARS);
    (from - pad, to + pad)
}

/// The last three years of `events`, for the zoom button: `None` when the events span no more
/// than that. (first year, last year, and the range to show).
#[must_use]
pub fn recent_years(events: &[TimelineEvent]) -> Option<(i32, i32, (f64, f64))> {
    let first = events.first()?.date.year;
    let last = events.last()?.date.year;
    (last - first > 3).then(|| {
        let from = last - 2;
        (from, last, (f64::from(from), f64::from(last) + 1.0))
    })
}

/// A caption that is a cloze prompt ("In ___, Gagarin flew…") with its blank filled by the
/// card's answer, so that no caption shows a blank.
#[must_use]
pub fn fill_blank(caption: &str, answer: &str) -> String {
    let Some(start) = caption.find("___") else {
        return caption.to_owned();
    };
    let end = caption[start..]
        .find(|c: char| c != '_')
        .map_or(caption.len(), |n| start + n);
    let before = caption[..start].trim_end();
    let after = caption[end..].trim_start();
    let mut out = String::from(before);
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(answer.trim());
    if !after.is_empty() {
        if !after.starts_with([',', '.', ';', ':', '?', '!', ')']) {
            out.push(' ');
        }
        out.push_str(after);
    }
    out
}

/// What the timeline shows.
pub struct TimelineView<'a> {
    /// As [`flashdrill_core::browse::timeline_events`] gives them (for the chosen deck).
    pub events: &'a [TimelineEvent],
    /// As [`flashdrill_core::browse::event_groups`] gives them.
    pub groups: &'a [EventGroup],
    pub table: &'a CardTable,
    pub now: DateTime<Utc>,
    /// The card whose details are open.
    pub detail: Option<&'a CardDetail>,
    pub notice: Option<&'a Notice>,
    /// The decks with dated events: id and title.
    pub decks: &'a [(String, String)],
    /// The deck whose events are shown (`None`: every deck's).
    pub deck: Option<&'a str>,
}

/// What the learner asked for on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimelineAction {
    /// Show this card and its history.
    ShowCard(CardKey),
    CloseCard,
    /// A practice session over the date cards in the visible range, in date order.
    Practise(Vec<CardKey>),
    /// Show only this deck's events (`None`: every deck's).
    ChooseDeck(Option<String>),
}

/// The timeline's own state.
#[derive(Debug, Clone, Default)]
pub struct TimelineState {
    /// The years on show in the last frame.
    visible: Option<(f64, f64)>,
    /// Years to show from the next frame (a zoom button was clicked, or the events changed).
    pending: Option<(f64, f64)>,
    /// The event group open in the list below the plot.
    group: Option<usize>,
    /// The years the events shown span, with a margin.
    extent: Option<(f64, f64)>,
}

impl TimelineState {
    /// The years on show (the events' span until the plot has been drawn).
    #[must_use]
    pub fn visible(&self) -> (f64, f64) {
        self.visible.or(self.extent).unwrap_or((f64::MIN, f64::MAX))
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

    /// The events on show changed (another deck, or new data): the axis fits them again.
    pub fn fit(&mut self, events: &[TimelineEvent]) {
        let span = extent(events);
        self.extent = Some(span);
        self.visible = None;
        self.pending = Some(span);
        self.group = None;
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
                if let Some(a) = deck_filter(ui, view) {
                    action = Some(a);
                }
                if view.events.is_empty() {
                    ui.label(
                        RichText::new("No deck has dated events (cards of category \"date\").")
                            .color(palette.muted),
                    );
                    return;
                }
                let all = *self.extent.get_or_insert_with(|| extent(view.events));
                ui.horizontal_wrapped(|ui| {
                    if let Some((from, to, range)) = recent_years(view.events)
                        && ui.button(format!("Zoom to {from}–{to}")).clicked()
                    {
                        self.pending = Some(range);
                    }
                    if ui.button("Show all").clicked() {
                        self.pending = Some(all);
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
        let (from, to) = pending.unwrap_or_else(|| self.visible());
        let middle = f64::midpoint(from, to);
        // Each marker and its label take room on the axis: in years at this zoom.
        let years_per_point = (to - from).max(f64::EPSILON) / f64::from(ui.available_width());
        let font = egui::FontId::proportional(size::SMALL);
        let spans: Vec<(f64, f64)> = view
            .events
            .iter()
            .zip(&labelled)
            .map(|(e, &label)| {
                let marker = 8.0 * years_per_point;
                if !label {
                    return (e.x - marker, e.x + marker);
                }
                let text =
                    ui.painter()
                        .layout_no_wrap(e.caption.clone(), font.clone(), palette.text);
                let width = (f64::from(text.size().x) + 36.0) * years_per_point;
                if e.x > middle {
                    (e.x - width, e.x + marker)
                } else {
                    (e.x - marker, e.x + width)
                }
            })
            .collect();
        let levels = stack_spans(&spans);
        let top = f64::from(levels.iter().copied().max().unwrap_or(0)) + 1.0;
        let all = self.extent.unwrap_or_else(|| extent(view.events));
        let response = Plot::new("article-timeline")
            .height((top as f32 * 20.0).clamp(220.0, 560.0))
            .default_x_bounds(all.0, all.1)
            .default_y_bounds(-0.8, top)
            .show_axes([true, false])
            .show_grid([true, false])
            .allow_zoom([true, false])
            .allow_drag([true, false])
            .allow_scroll([true, false])
            .allow_boxed_zoom(false)
            .x_axis_formatter(|mark, _| axis_label(mark.value, mark.step_size))
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
                // The levels follow the zoom: the height shows them all.
                plot.set_plot_bounds_y(-0.8..=top);
                for (i, event) in view.events.iter().enumerate() {
                    let y = f64::from(levels[i]);
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
            .zip(&levels)
            .map(|(e, &level)| {
                let at = response
                    .transform
                    .position_from_point(&PlotPoint::new(e.x, f64::from(level)));
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
        // Rows of their own rather than a grid: a long caption wraps within the window.
        let date_width = 90.0;
        let counts_width = 130.0;
        for (g, group) in view.groups.iter().enumerate() {
            let open = self.group == Some(g);
            let clicked = ui
                .horizontal(|ui| {
                    let date = egui::Label::new(
                        RichText::new(group.date.to_string()).color(palette.muted),
                    );
                    ui.add_sized([date_width, 20.0], date);
                    let room = (ui.available_width() - counts_width).max(120.0);
                    let response = ui
                        .scope(|ui| {
                            ui.set_max_width(room);
                            ui.add(egui::Button::selectable(open, group.label.as_str()).wrap())
                        })
                        .inner;
                    for &i in &group.events {
                        widgets::swatch(ui, palette.retention(view.events[i].retrievability));
                    }
                    let n = group.events.len();
                    ui.label(
                        RichText::new(format!("{n} {}", if n == 1 { "card" } else { "cards" }))
                            .color(palette.muted)
                            .small(),
                    );
                    response.clicked()
                })
                .inner;
            if clicked {
                self.group = Some(g);
                if let Some(&first) = group.events.first() {
                    action = Some(TimelineAction::ShowCard(view.events[first].key.clone()));
                }
            }
            if open && group.events.len() > 1 {
                ui.indent(("timeline-event-cards", g), |ui| {
                    for &i in &group.events {
                        let event = &view.events[i];
                        let Some(row) = view.table.row(event.row) else {
                            continue;
                        };
                        let chosen = view.detail.is_some_and(|d| d.key == event.key);
                        let button = egui::Button::selectable(chosen, row.prompt.as_str()).wrap();
                        if ui.add(button).clicked() {
                            action = Some(TimelineAction::ShowCard(event.key.clone()));
                        }
                    }
                });
            }
        }
        action
    }
}

/// Stacking levels for marks that take `spans` of the axis (from, to): each on the lowest level
/// where it overlaps nothing already there, so that no two labels cross.
fn stack_spans(spans: &[(f64, f64)]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by(|&a, &b| spans[a].0.total_cmp(&spans[b].0));
    // Where each level is taken up to.
    let mut ends: Vec<f64> = Vec::new();
    let mut levels = vec![0u32; spans.len()];
    for i in order {
        let (from, to) = spans[i];
        let level = ends
            .iter()
            .position(|&end| end < from)
            .unwrap_or(ends.len());
        if level == ends.len() {
            ends.push(to);
        } else {
            ends[level] = to;
        }
        levels[i] = u32::try_from(level).unwrap_or(u32::MAX);
    }
    levels
}

/// The deck filter: every deck's events, or one deck's.
fn deck_filter(ui: &mut Ui, view: &TimelineView<'_>) -> Option<TimelineAction> {
    if view.decks.len() < 2 && view.deck.is_none() {
        return None;
    }
    let mut chosen = view.deck.map(str::to_owned);
    let title = |id: Option<&str>| {
        id.and_then(|id| view.decks.iter().find(|(d, _)| d == id))
            .map_or("All decks", |(_, t)| t.as_str())
            .to_owned()
    };
    ui.horizontal(|ui| {
        let label = ui.label("Deck:");
        egui::ComboBox::from_id_salt("timeline-deck")
            .selected_text(title(view.deck))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut chosen, None, "All decks");
                for (id, deck_title) in view.decks {
                    ui.selectable_value(&mut chosen, Some(id.clone()), deck_title.as_str());
                }
            })
            .response
            .labelled_by(label.id);
    });
    (chosen.as_deref() != view.deck).then_some(TimelineAction::ChooseDeck(chosen))
}

/// An axis mark: the year on whole years; on a short span, also the months.
fn axis_label(value: f64, step: f64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let year = value.floor();
    let months = (value - year) * 12.0;
    if value.fract().abs() < 1e-9 {
        format!("{year:.0}")
    } else if step < 1.0 && (months - months.round()).abs() < 1e-6 {
        let m = (months.round() as usize).min(11);
        format!("{} {year:.0}", MONTHS[m])
    } else {
        String::new()
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
        state.fit(&events);
        assert_eq!(
            state.visible_cards(&events).len(),
            3,
            "the axis fits them all"
        );
        state.visible = Some((2022.0, 2025.0));
        let keys: Vec<String> = state
            .visible_cards(&events)
            .into_iter()
            .map(|k| k.card_id)
            .collect();
        assert_eq!(keys, ["b", "c"]);
    }

    #[test]
    fn the_axis_fits_the_events_whatever_their_years() {
        let date = flashdrill_core::deck::PartialDate::parse("1961").unwrap();
        let event = |x: f64| TimelineEvent {
            row: 0,
            key: CardKey::new("d", "e"),
            date,
            x,
            level: 0,
            caption: String::new(),
            retrievability: None,
        };
        let (from, to) = extent(&[event(1961.3), event(1962.8)]);
        assert!(from < 1961.3 && from > 1960.0 && to > 1962.8 && to < 1964.0);
        let (from, to) = extent(&[event(2000.0), event(2024.5)]);
        assert!(from > 1997.0 && from < 2000.0 && to > 2024.5 && to < 2027.0);
        assert_eq!(recent_years(&[event(1961.3)]), None);
    }

    #[test]
    fn blanks_in_captions_are_filled_with_the_answer() {
        assert_eq!(
            fill_blank("In ___, Gagarin flew into space.", "April 1961"),
            "In April 1961, Gagarin flew into space."
        );
        assert_eq!(
            fill_blank("In ______ , the wall went up", "1961"),
            "In 1961, the wall went up"
        );
        assert_eq!(fill_blank("___ was the year", "1961"), "1961 was the year");
        assert_eq!(fill_blank("No blank here", "1961"), "No blank here");
    }

    #[test]
    fn labels_stack_where_they_would_cross() {
        // The first two cross; the third starts after the first ends.
        let levels = stack_spans(&[(0.0, 10.0), (5.0, 8.0), (11.0, 12.0), (6.0, 7.0)]);
        assert_eq!(levels, [0, 1, 0, 2]);
        assert!(stack_spans(&[]).is_empty());
    }

    #[test]
    fn axis_marks_name_years_and_on_short_spans_months() {
        assert_eq!(axis_label(1961.0, 1.0), "1961");
        assert_eq!(axis_label(1961.5, 0.5), "Jul 1961");
        assert_eq!(axis_label(1961.5, 1.0), "");
        assert_eq!(axis_label(1961.3, 0.1), "");
    }
}

/// The timeline screen: its events and the card table they come from, built when it opens.
#[derive(Default)]
pub struct TimelineScreen {
    ui: TimelineState,
    table: CardTable,
    /// Every deck's events, their captions readable.
    all_events: Vec<TimelineEvent>,
    /// The events of the chosen deck (or all), stacked for their span, and their groups.
    events: Vec<TimelineEvent>,
    groups: Vec<EventGroup>,
    /// The decks with dated events: id and title.
    decks: Vec<(String, String)>,
    /// The deck whose events are shown (`None`: every deck's).
    deck: Option<String>,
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
                self.all_events = data.events;
                for event in &mut self.all_events {
                    if let Some(row) = self.table.row(event.row) {
                        event.caption = fill_blank(&event.caption, &row.answer);
                    }
                }
                self.decks = self
                    .table
                    .decks()
                    .iter()
                    .filter(|d| self.all_events.iter().any(|e| e.key.deck_id == d.id))
                    .map(|d| (d.id.clone(), d.title.clone()))
                    .collect();
                if self
                    .deck
                    .as_ref()
                    .is_some_and(|id| !self.decks.iter().any(|(d, _)| d == id))
                {
                    self.deck = None;
                }
                self.choose(self.deck.clone());
                if let Some(key) = self.detail.as_ref().map(|d| d.key.clone()) {
                    self.detail = card_detail(cx, &key).ok();
                }
            }
            Err(err) => self.notice = Some(Notice::error(err)),
        }
    }

    /// Shows the events of `deck` (`None`: every deck's), stacked for their own span, on an
    /// axis that fits them.
    fn choose(&mut self, deck: Option<String>) {
        self.events = self
            .all_events
            .iter()
            .filter(|e| deck.as_ref().is_none_or(|id| e.key.deck_id == *id))
            .cloned()
            .collect();
        self.groups = flashdrill_core::browse::event_groups(&self.events);
        self.deck = deck;
        self.ui.fit(&self.events);
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
            decks: &self.decks,
            deck: self.deck.as_deref(),
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
            Some(TimelineAction::ChooseDeck(deck)) => self.choose(deck),
            None => {}
        }
    }

    fn command(&mut self, command: Command, cx: &mut AppContext<'_>) {
        if command == Command::Back {
            cx.send(AppCommand::GoTo(Screen::Home));
        }
    }
}
