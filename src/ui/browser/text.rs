//! How the browser and a card's details write states, dates and durations.

use chrono::{DateTime, Local, Utc};

use flashdrill_core::schedule::{State, format_interval};

/// The card states, as the filter lists them.
pub(super) const STATES: [(State, &str); 4] = [
    (State::New, "New"),
    (State::Learning, "Learning"),
    (State::Review, "Review"),
    (State::Relearning, "Relearning"),
];

/// A state as the browser names it.
#[must_use]
pub fn state_label(state: State) -> &'static str {
    STATES
        .iter()
        .find(|(s, _)| *s == state)
        .map_or("New", |(_, l)| l)
}

/// A category as a singular label ("date" → "Date").
pub(super) fn category_label(category: &str) -> String {
    let mut c = category.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// A local calendar date.
pub(super) fn date_text(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d").to_string()
}

/// A due date: "now" when it has passed, else how long until then ("in 10m", "in 3d").
pub(super) fn due_text(due: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if due <= now {
        "now".to_owned()
    } else {
        format!("in {}", format_interval(due - now))
    }
}

/// Days as "3.2 d".
pub(super) fn days_text(days: f32) -> String {
    if days >= 100.0 {
        format!("{days:.0} d")
    } else {
        format!("{days:.1} d")
    }
}
