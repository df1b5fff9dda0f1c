//! The work ahead, day by day: learning, review and new cards due on each study day, as the
//! cards are scheduled now (overdue cards count on today).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::date_of_day;
use crate::domain::CardProgress;
use crate::schedule::{State, StudyDays};

/// One day of the forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayForecast {
    pub date: NaiveDate,
    /// Learning and relearning cards due.
    pub learning: u32,
    /// Review cards due.
    pub review: u32,
    /// New cards to be introduced (each deck's daily limit, until it has none left).
    pub new: u32,
}

impl DayForecast {
    /// All the cards of the day.
    #[must_use]
    pub fn total(&self) -> u32 {
        self.learning + self.review + self.new
    }
}

/// A deck's new cards: how many are left and how many a day are introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewCards {
    pub left: usize,
    pub per_day: u32,
}

/// The next `days_ahead` study days from `now`'s: `cards` are the stored cards (suspended
/// ones and those buried past a day are not counted that day), `new` each deck's new cards.
#[must_use]
pub fn forecast<'a>(
    cards: impl IntoIterator<Item = &'a CardProgress>,
    new: &[NewCards],
    days: StudyDays,
    now: DateTime<Utc>,
    days_ahead: usize,
) -> Vec<DayForecast> {
    let today = days.day_of(now);
    let mut out: Vec<DayForecast> = (0..days_ahead)
        .map(|i| DayForecast {
            date: date_of_day(today + i as i64),
            learning: 0,
            review: 0,
            new: 0,
        })
        .collect();
    for p in cards {
        if p.suspended || p.card.state == State::New {
            continue;
        }
        let day = (days.day_of(p.card.due) - today).max(0);
        let buried_day = p
            .buried_until
            .map_or(0, |b| (days.day_of(b) - today).max(0));
        let Some(slot) = usize::try_from(day.max(buried_day))
            .ok()
            .and_then(|d| out.get_mut(d))
        else {
            continue;
        };
        match p.card.state {
            State::Review => slot.review += 1,
            _ => slot.learning += 1,
        }
    }
    for deck in new {
        let mut left = deck.left;
        for slot in &mut out {
            let today = left.min(deck.per_day as usize);
            slot.new += u32::try_from(today).unwrap_or(u32::MAX);
            left -= today;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};

    #[test]
    fn cards_fall_on_their_days_and_new_cards_run_out() {
        let days = StudyDays::new(0, 4);
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap();
        let mut review = CardProgress::new_card(now);
        review.card.state = State::Review;
        review.card.due = now + TimeDelta::days(2);
        let mut overdue = review;
        overdue.card.due = now - TimeDelta::days(5);
        let mut learning = review;
        learning.card.state = State::Learning;
        learning.card.due = now + TimeDelta::minutes(10);
        let mut suspended = review;
        suspended.suspended = true;
        let f = forecast(
            [&review, &overdue, &learning, &suspended],
            &[NewCards {
                left: 25,
                per_day: 10,
            }],
            days,
            now,
            4,
        );
        assert_eq!(f[0].date, NaiveDate::from_ymd_opt(2026, 12, 4).unwrap());
        assert_eq!((f[0].learning, f[0].review, f[0].new), (1, 1, 10));
        assert_eq!((f[2].review, f[2].new), (1, 5));
        assert_eq!(f[3].total(), 0);
    }
}
