//! Moving cards in time without answering them: postpone due cards, advance cards not yet due,
//! and bring forward the cards an exam needs. Each gives the new due dates; the collection
//! saves them in one undoable operation.

use chrono::{DateTime, TimeDelta, Utc};

use super::Exam;
use crate::domain::CardProgress;
use crate::schedule::{Scheduler, State, StudyDays};
use crate::session::CardKey;

/// A card and its new due date.
pub type Move = (CardKey, DateTime<Utc>);

fn in_review(p: &CardProgress) -> bool {
    p.card.state == State::Review && !p.suspended
}

fn days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds() as f64 / 86_400.0
}

/// Postpones up to `count` review cards due by `until` (the end of today): each waits a tenth
/// of its interval more (at least a day) from now, and those whose predicted recall drops
/// least by waiting go first (FSRS Helper's order).
#[must_use]
pub fn postpone(
    scheduler: &Scheduler,
    cards: &[(CardKey, CardProgress)],
    count: usize,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Vec<Move> {
    let mut due: Vec<(f32, Move)> = cards
        .iter()
        .filter(|(_, p)| in_review(p) && p.card.due <= until)
        .filter_map(|(key, p)| {
            let last = p.card.last_review?;
            let interval = days_between(last, p.card.due).max(1.0);
            let wait = TimeDelta::seconds(((interval * 0.1).max(1.0) * 86_400.0) as i64);
            let later = now.max(p.card.due) + wait;
            let r_now = scheduler.retrievability(&p.card, now.max(p.card.due))?;
            let r_later = scheduler.retrievability(&p.card, later)?;
            Some((r_now - r_later, (key.clone(), later)))
        })
        .collect();
    due.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.0.cmp(&b.1.0)));
    due.into_iter().take(count).map(|(_, m)| m).collect()
}

/// Advances up to `count` review cards not yet due by `until` (the end of today) to `now`,
/// those closest to their due date first.
#[must_use]
pub fn advance(
    cards: &[(CardKey, CardProgress)],
    count: usize,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Vec<Move> {
    let mut later: Vec<&(CardKey, CardProgress)> = cards
        .iter()
        .filter(|(_, p)| in_review(p) && p.card.due > until)
        .collect();
    later.sort_by(|a, b| a.1.card.due.cmp(&b.1.card.due).then_with(|| a.0.cmp(&b.0)));
    later
        .into_iter()
        .take(count)
        .map(|(key, _)| (key.clone(), now))
        .collect()
}

/// The cards of `exam`'s deck scheduled past the exam whose predicted recall on the exam day
/// is below the target, brought forward to when their recall falls to the target (or now, if
/// that has passed). Suspended cards are left alone.
#[must_use]
pub fn for_exam(
    scheduler: &Scheduler,
    exam: &Exam,
    days: StudyDays,
    cards: &[(CardKey, CardProgress)],
    now: DateTime<Utc>,
) -> Vec<Move> {
    let starts = exam.starts(days);
    if now >= starts {
        return Vec::new();
    }
    cards
        .iter()
        .filter(|(_, p)| in_review(p) && p.card.due > starts)
        .filter_map(|(key, p)| {
            let recall = scheduler.retrievability(&p.card, starts)?;
            if recall >= exam.target {
                return None;
            }
            let last = p.card.last_review?;
            let stability = p.card.stability?;
            let days_to_target = scheduler.interval_days_at(stability, exam.target);
            let at_target = last + TimeDelta::days(i64::from(days_to_target));
            let before_exam = starts - TimeDelta::days(1);
            Some((key.clone(), at_target.min(before_exam).max(now)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{CardState, SchedulerConfig};
    use chrono::{NaiveDate, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap()
    }

    fn card(stability: f32, last_days_ago: i64, due_in_days: i64) -> CardProgress {
        CardProgress {
            card: CardState {
                state: State::Review,
                step: None,
                stability: Some(stability),
                difficulty: Some(5.0),
                due: now() + TimeDelta::days(due_in_days),
                last_review: Some(now() - TimeDelta::days(last_days_ago)),
                reps: 3,
                lapses: 0,
            },
            suspended: false,
            buried_until: None,
            leech: false,
        }
    }

    fn scheduler() -> Scheduler {
        Scheduler::new(SchedulerConfig::default()).unwrap()
    }

    #[test]
    fn postpone_takes_the_cards_that_lose_least_first() {
        let cards = vec![
            (CardKey::new("d", "weak"), card(2.0, 2, 0)),
            (CardKey::new("d", "strong"), card(100.0, 100, 0)),
            (CardKey::new("d", "later"), card(50.0, 10, 30)),
        ];
        let moved = postpone(&scheduler(), &cards, 1, now(), now() + TimeDelta::hours(12));
        assert_eq!(moved.len(), 1);
        assert_eq!(moved[0].0.card_id, "strong");
        assert!(moved[0].1 >= now() + TimeDelta::days(10));
        assert_eq!(postpone(&scheduler(), &cards, 9, now(), now()).len(), 2);
    }

    #[test]
    fn advance_takes_the_cards_closest_to_due_first() {
        let cards = vec![
            (CardKey::new("d", "far"), card(50.0, 10, 30)),
            (CardKey::new("d", "near"), card(50.0, 10, 3)),
            (CardKey::new("d", "due"), card(5.0, 5, 0)),
        ];
        let moved = advance(&cards, 1, now(), now() + TimeDelta::hours(12));
        assert_eq!(moved, vec![(CardKey::new("d", "near"), now())]);
    }

    #[test]
    fn an_exam_brings_forward_only_the_cards_that_would_not_be_ready() {
        let days = StudyDays::new(0, 4);
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let exam = Exam::new("d", "2026-12-25", 0.95, today, now()).unwrap();
        let cards = vec![
            // Due long after the exam, weak by then: comes forward.
            (CardKey::new("d", "weak"), card(20.0, 1, 40)),
            // So stable that recall on the exam day stays above 95 %.
            (CardKey::new("d", "solid"), card(3000.0, 1, 600)),
            // Due before the exam anyway.
            (CardKey::new("d", "soon"), card(5.0, 1, 5)),
        ];
        let moved = for_exam(&scheduler(), &exam, days, &cards, now());
        assert_eq!(moved.len(), 1);
        assert_eq!(moved[0].0.card_id, "weak");
        assert!(moved[0].1 < exam.starts(days));
        assert!(moved[0].1 >= now());
    }
}
