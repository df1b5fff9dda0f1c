//! From the review log to FSRS training items, the way Anki builds them
//! (rslib `scheduler/fsrs/params.rs`, `reviews_for_fsrs`).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use fsrs::{FSRSItem, FSRSReview};

use crate::domain::{Mode, ReviewRecord};
use crate::schedule::State;

/// What the optimizer and the evaluation read: one item per review that counts, each holding
/// its card's history up to and including that review.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrainingSet {
    /// In time order of each item's last review.
    pub items: Vec<FSRSItem>,
    /// The card of each item (a number per card, aligned with `items`).
    pub card_ids: Vec<i64>,
    /// Cards with at least one item.
    pub cards: usize,
    /// srs answers in the histories used (items, their cards' first answers and same-day
    /// answers).
    pub answers: usize,
}

impl TrainingSet {
    /// Reviews the fit can learn from: one per item.
    #[must_use]
    pub fn reviews(&self) -> usize {
        self.items.len()
    }
}

/// The learner's study day of `at`: the local date, with days starting at `rollover_hour`.
pub fn study_day<Tz: TimeZone>(at: DateTime<Utc>, tz: &Tz, rollover_hour: u32) -> NaiveDate {
    (at.with_timezone(tz).naive_local() - TimeDelta::hours(i64::from(rollover_hour.min(23)))).date()
}

/// Is this answer the first of a learning sequence (a new card's first answer, or the first
/// answer after the card was reset)?
fn starts_sequence(r: &ReviewRecord) -> bool {
    r.state_before
        .as_ref()
        .is_none_or(|s| s.state == State::New)
}

/// Builds the training items from a profile's review log, as Anki does:
///
/// - only `srs` answers count: practice and drill answers never do;
/// - per card, only the answers from the start of its last learning sequence (a reset forgets
///   the past);
/// - `delta_t` is the number of study days (local dates under the day rollover) since the
///   card's previous answer; the first answer has 0;
/// - every answer after the first whose `delta_t` is at least one day is an item; same-day
///   answers (learning steps, relearning) stay in later items' histories but are no items of
///   their own;
/// - `deck`: only that deck's cards.
pub fn build_items<Tz: TimeZone>(
    reviews: &[ReviewRecord],
    deck: Option<&str>,
    tz: &Tz,
    rollover_hour: u32,
) -> TrainingSet {
    let mut by_card: BTreeMap<(&str, &str), Vec<&ReviewRecord>> = BTreeMap::new();
    for r in reviews {
        if r.mode == Mode::Srs && deck.is_none_or(|d| d == r.deck_id) {
            by_card
                .entry((r.deck_id.as_str(), r.card_id.as_str()))
                .or_default()
                .push(r);
        }
    }
    let mut dated: Vec<(DateTime<Utc>, i64, FSRSItem)> = Vec::new();
    let mut set = TrainingSet::default();
    for (card_number, history) in by_card.into_values().enumerate() {
        let mut history = history;
        history.sort_by_key(|r| (r.at, r.id));
        let start = history
            .iter()
            .rposition(|r| starts_sequence(r))
            .unwrap_or(0);
        let sequence = &history[start..];
        let mut reviews = Vec::with_capacity(sequence.len());
        let mut previous_day = None;
        let before = dated.len();
        for r in sequence {
            let day = study_day(r.at, tz, rollover_hour);
            let delta_t = previous_day.map_or(0, |p: NaiveDate| {
                u32::try_from((day - p).num_days()).unwrap_or(0)
            });
            previous_day = Some(day);
            reviews.push(FSRSReview {
                rating: u32::from(r.rating.number()),
                delta_t,
            });
            if reviews.len() > 1 && delta_t > 0 {
                dated.push((
                    r.at,
                    card_number as i64,
                    FSRSItem {
                        reviews: reviews.clone(),
                    },
                ));
            }
        }
        if dated.len() > before {
            set.cards += 1;
            set.answers += sequence.len();
        }
    }
    // Stable: one card's items keep their order when two answers share a time.
    dated.sort_by_key(|&(at, card, _)| (at, card));
    set.items.reserve(dated.len());
    set.card_ids.reserve(dated.len());
    for (_, card, item) in dated {
        set.items.push(item);
        set.card_ids.push(card);
    }
    set
}

#[cfg(test)]
mod tests {
    use chrono::{FixedOffset, TimeZone as _};

    use super::*;
    use crate::schedule::{CardState, Rating};

    /// An answer at `day` (days after 1 June 2025, 00:00 UTC) + `hour` hours.
    fn answer(
        card: &str,
        day: i64,
        hour: i64,
        rating: Rating,
        mode: Mode,
        state: Option<State>,
    ) -> ReviewRecord {
        let t0 = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap();
        let at = t0 + TimeDelta::days(day) + TimeDelta::hours(hour);
        ReviewRecord {
            id: day * 100 + hour,
            deck_id: "d".to_owned(),
            card_id: card.to_owned(),
            at,
            rating,
            mode,
            answer_given: None,
            correct: None,
            response_ms: 5000,
            state_before: state.map(|s| CardState {
                state: s,
                ..CardState::new_card(at)
            }),
            state_after: None,
        }
    }

    fn shape(item: &FSRSItem) -> Vec<(u32, u32)> {
        item.reviews.iter().map(|r| (r.rating, r.delta_t)).collect()
    }

    #[test]
    fn same_day_answers_stay_in_history_but_are_no_items() {
        use Rating::{Again, Good};
        use State::{Learning, Review};
        let log = vec![
            answer("a", 0, 10, Again, Mode::Srs, None),
            answer("a", 0, 11, Good, Mode::Srs, Some(Learning)),
            answer("a", 2, 10, Good, Mode::Srs, Some(Review)),
            answer("a", 2, 12, Again, Mode::Srs, Some(Review)),
            answer("a", 7, 10, Good, Mode::Srs, Some(Review)),
        ];
        let set = build_items(&log, None, &Utc, 4);
        assert_eq!(set.items.len(), 2);
        assert_eq!(shape(&set.items[0]), [(1, 0), (3, 0), (3, 2)]);
        assert_eq!(
            shape(&set.items[1]),
            [(1, 0), (3, 0), (3, 2), (1, 0), (3, 5)]
        );
        assert_eq!(set.card_ids, [0, 0]);
        assert_eq!((set.cards, set.answers, set.reviews()), (1, 5, 2));
    }

    #[test]
    fn history_starts_at_the_last_learning_sequence() {
        use Rating::{Again, Good};
        use State::{New, Review};
        let log = vec![
            answer("a", 0, 10, Again, Mode::Srs, None),
            answer("a", 3, 10, Good, Mode::Srs, Some(Review)),
            // Reset: the card was new again.
            answer("a", 10, 10, Good, Mode::Srs, Some(New)),
            answer("a", 14, 10, Good, Mode::Srs, Some(Review)),
        ];
        let set = build_items(&log, None, &Utc, 4);
        assert_eq!(set.items.len(), 1);
        assert_eq!(shape(&set.items[0]), [(3, 0), (3, 4)]);
        assert_eq!(set.answers, 2);
    }

    #[test]
    fn practice_and_drill_never_count_and_deck_filters() {
        use Rating::{Again, Easy, Good};
        use State::Review;
        let mut other = answer("b", 0, 10, Good, Mode::Srs, None);
        other.deck_id = "other".to_owned();
        let mut other2 = answer("b", 5, 10, Good, Mode::Srs, Some(Review));
        other2.deck_id = "other".to_owned();
        let log = vec![
            answer("a", 0, 10, Good, Mode::Srs, None),
            answer("a", 1, 10, Again, Mode::Practice, None),
            answer("a", 2, 10, Easy, Mode::Drill, None),
            answer("a", 4, 10, Good, Mode::Srs, Some(Review)),
            other,
            other2,
        ];
        let set = build_items(&log, None, &Utc, 4);
        assert_eq!(set.items.len(), 2);
        assert_eq!(shape(&set.items[0]), [(3, 0), (3, 4)]);
        assert_eq!(shape(&set.items[1]), [(3, 0), (3, 5)]);
        let only_d = build_items(&log, Some("d"), &Utc, 4);
        assert_eq!(only_d.items.len(), 1);
        assert_eq!(only_d.cards, 1);
    }

    #[test]
    fn days_follow_the_rollover_and_the_time_zone() {
        use Rating::Good;
        use State::Review;
        // 03:00 and 05:00 UTC on the same date: different study days with a 4:00 rollover,
        // the same one with a 0:00 rollover in UTC+2 (05:00 and 07:00 local).
        let log = vec![
            answer("a", 0, 3, Good, Mode::Srs, None),
            answer("a", 0, 5, Good, Mode::Srs, Some(Review)),
        ];
        let set = build_items(&log, None, &Utc, 4);
        assert_eq!(shape(&set.items[0]), [(3, 0), (3, 1)]);
        let plus2 = FixedOffset::east_opt(2 * 3600).unwrap();
        assert!(build_items(&log, None, &plus2, 0).items.is_empty());
        assert!(build_items(&[], None, &Utc, 4).items.is_empty());
    }
}
