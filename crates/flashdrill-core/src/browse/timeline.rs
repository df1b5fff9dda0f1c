//! The article timeline: the date and event cards of the table on a time axis, stacked, and
//! grouped by event.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::deck::PartialDate;
use crate::schedule::Scheduler;
use crate::session::CardKey;

use super::table::CardTable;

/// One date card on the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEvent {
    /// The card's row in the table.
    pub row: usize,
    pub key: CardKey,
    pub date: PartialDate,
    /// [`PartialDate::as_year_fraction`].
    pub x: f64,
    /// The stacking level (0 = bottom): no two events closer than the gap share a level.
    pub level: u32,
    pub caption: String,
    /// How likely the card is to be remembered now (`None`: never studied).
    pub retrievability: Option<f32>,
}

/// The date and event cards of the table on a time axis, in date order (then by caption, then deck
/// order, so that the cards of one event are neighbours), stacked so that events less than
/// `gap_years` apart (in particular those sharing a date) sit on different levels.
#[must_use]
pub fn timeline_events(
    table: &CardTable,
    scheduler: &Scheduler,
    now: DateTime<Utc>,
    gap_years: f64,
) -> Vec<TimelineEvent> {
    let mut events: Vec<TimelineEvent> = table
        .rows()
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let (date, caption) = r.event.as_ref()?;
            Some(TimelineEvent {
                row: i,
                key: table.key(r),
                date: *date,
                x: date.as_year_fraction(),
                level: 0,
                caption: caption.clone(),
                retrievability: r.retrievability(scheduler, now),
            })
        })
        .collect();
    events.sort_by(|a, b| {
        a.x.total_cmp(&b.x)
            .then_with(|| a.caption.cmp(&b.caption))
            .then(a.row.cmp(&b.row))
    });
    let gap = gap_years.max(f64::EPSILON);
    // The x of the last event on each level.
    let mut last_x: Vec<f64> = Vec::new();
    for event in &mut events {
        let level = last_x
            .iter()
            .position(|&x| event.x - x >= gap)
            .unwrap_or(last_x.len());
        if level == last_x.len() {
            last_x.push(event.x);
        } else {
            last_x[level] = event.x;
        }
        event.level = u32::try_from(level).unwrap_or(u32::MAX);
    }
    events
}

/// Date and event cards about the same event: same date and caption.
#[derive(Debug, Clone, PartialEq)]
pub struct EventGroup {
    pub date: PartialDate,
    pub caption: String,
    /// A label unique among the groups: the caption, with the date added when another group
    /// has the same caption.
    pub label: String,
    /// Indices into the events list.
    pub events: Vec<usize>,
}

/// Groups `events` (as [`timeline_events`] returns them) by date and caption, in date order.
#[must_use]
pub fn event_groups(events: &[TimelineEvent]) -> Vec<EventGroup> {
    let mut groups: Vec<EventGroup> = Vec::new();
    let mut by_event: HashMap<(PartialDate, &str), usize> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        if let Some(&g) = by_event.get(&(e.date, e.caption.as_str())) {
            groups[g].events.push(i);
        } else {
            by_event.insert((e.date, e.caption.as_str()), groups.len());
            groups.push(EventGroup {
                date: e.date,
                caption: e.caption.clone(),
                label: e.caption.clone(),
                events: vec![i],
            });
        }
    }
    let mut caption_count: HashMap<String, usize> = HashMap::new();
    for g in &groups {
        *caption_count.entry(g.caption.clone()).or_default() += 1;
    }
    for g in &mut groups {
        if caption_count.get(&g.caption).copied().unwrap_or(0) > 1 {
            g.label = format!("{} ({})", g.caption, g.date);
        }
    }
    groups
}
