//! How ready the learner is for an exam: the share of the deck's cards whose predicted recall
//! on the exam day reaches the target, now, and day by day if they keep up (every due card
//! answered Good on its day, new cards at the exam's pace).

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::Serialize;

use super::{Exam, NewPace, date_of_day, day_number, new_pace};
use crate::domain::CardProgress;
use crate::schedule::{CardState, Placement, Rating, Scheduler, State, StudyDays, fuzz_seed};

/// An exam's readiness.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Readiness {
    pub deck_id: String,
    pub date: NaiveDate,
    #[serde(serialize_with = "two_places")]
    pub target: f32,
    /// Study days until the exam day (0: it is today).
    pub days_left: i64,
    /// Cards in the deck.
    pub cards: usize,
    /// Cards whose predicted recall on the exam day reaches the target, as things stand.
    pub ready: usize,
    /// Today's new-card pace for the deck.
    #[serde(skip)]
    pub pace: NewPace,
    /// Each day until the exam: the share of cards ready by the exam if the learner keeps up
    /// (empty unless asked for).
    pub by_day: Vec<(NaiveDate, f32)>,
    /// What the deck's self-tests say of the model, when there are any: `ready` and `by_day`
    /// count each card's recall moved by [`TestCheck::shift`].
    pub tests: Option<TestCheck>,
    /// Cards ready by the model alone (the same as `ready` without self-tests).
    pub ready_by_model: usize,
}

/// How the learner's self-tests on a deck compare with the model's predictions for the same
/// questions: readiness trusts the model less the more the tests disagree with it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TestCheck {
    /// Self-tests counted.
    pub tests: usize,
    /// Their questions on studied cards (those with a prediction).
    pub questions: usize,
    /// The share answered right, 0 to 1.
    pub actual: f64,
    /// The model's mean predicted recall for them at the time, 0 to 1.
    pub predicted: f64,
    /// What readiness adds to each card's predicted recall: `actual − predicted`, shrunk toward
    /// 0 while there are few questions (a test of 5 questions says little), within ±0.3.
    pub shift: f32,
}

/// Questions a self-test difference counts as much as the model's own prediction at: with
/// this many, half the difference moves readiness.
const TRUST_QUESTIONS: f64 = 20.0;

impl TestCheck {
    /// The check from the deck's self-tests; `None` when none has a question on a studied card.
    #[must_use]
    pub fn from_calibration(c: &crate::selftest::Calibration) -> Option<Self> {
        if c.questions == 0 {
            return None;
        }
        let n = c.questions as f64;
        let shift = (c.difference() * n / (n + TRUST_QUESTIONS)).clamp(-0.3, 0.3);
        Some(Self {
            tests: c.tests,
            questions: c.questions,
            actual: c.actual,
            predicted: c.predicted,
            #[allow(clippy::cast_possible_truncation)] // Within ±0.3.
            shift: shift as f32,
        })
    }
}

/// 0.9 rather than 0.8999999761581421.
#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `serialize_with` hands a reference.
fn two_places<S: serde::Serializer>(v: &f32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((f64::from(*v) * 100.0).round() / 100.0)
}

impl Readiness {
    /// Ready cards in percent, rounded down.
    #[must_use]
    pub fn percent(&self) -> u32 {
        percent(self.ready, self.cards)
    }

    /// "Exam on 12 January, in 21 days: 83 % of cards ready (predicted recall ≥ 90 %)".
    #[must_use]
    pub fn headline(&self) -> String {
        let when = match self.days_left {
            0 => "today".to_owned(),
            1 => "tomorrow".to_owned(),
            n if n < 0 => format!("{} days ago", -n),
            n => format!("in {n} days"),
        };
        format!(
            "Exam on {}, {when}: {} % of cards ready (predicted recall ≥ {:.0} %)",
            self.date.format("%-d %B %Y"),
            self.percent(),
            self.target * 100.0
        )
    }

    /// The notes under the headline: the new-card pace when the exam changes it, and what the
    /// self-tests say.
    #[must_use]
    pub fn notes(&self) -> Vec<String> {
        self.pace_note()
            .into_iter()
            .chain(self.test_note())
            .collect()
    }

    /// "Your 2 self-tests: 70 % right where the model predicted 80 % (30 questions); readiness
    /// counts each card's recall 6 points lower (by the model alone: 83 %)."
    #[must_use]
    pub fn test_note(&self) -> Option<String> {
        let t = self.tests?;
        let tests = if t.tests == 1 {
            "Your self-test".to_owned()
        } else {
            format!("Your {} self-tests", t.tests)
        };
        let points = (f64::from(t.shift) * 100.0).round();
        let moved = if points == 0.0 {
            "readiness is the model's".to_owned()
        } else {
            format!(
                "readiness counts each card's recall {:.0} points {} (by the model alone: {} %)",
                points.abs(),
                if points < 0.0 { "lower" } else { "higher" },
                percent(self.ready_by_model, self.cards)
            )
        };
        Some(format!(
            "{tests}: {:.0} % right where the model predicted {:.0} % ({} questions); {moved}.",
            t.actual * 100.0,
            t.predicted * 100.0,
            t.questions
        ))
    }

    /// What the new-card pace is and why, when the exam changes it.
    #[must_use]
    pub fn pace_note(&self) -> Option<String> {
        if self.pace.stopped {
            Some(
                "No new cards now: the exam is too close for a new card to be reviewed in time."
                    .to_owned(),
            )
        } else if self.pace.raised {
            Some(format!(
                "New cards: {} a day, raised so every card is introduced before the exam.",
                self.pace.per_day
            ))
        } else {
            None
        }
    }
}

/// `part` of `whole` in percent, rounded down.
fn percent(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        return 0;
    }
    u32::try_from(part * 100 / whole).unwrap_or(100)
}

/// The exam's readiness for a deck whose cards are `card_ids` (deck order), with `stored`
/// giving each studied card's progress. With `curve`, also the readiness day by day if the
/// learner keeps up. With `tests`, each card's predicted recall is moved as the deck's
/// self-tests say.
#[allow(clippy::too_many_arguments)] // Each is a separate fact the caller holds.
#[must_use]
pub fn readiness(
    scheduler: &Scheduler,
    exam: &Exam,
    days: StudyDays,
    card_ids: &[&str],
    stored: &dyn Fn(&str) -> Option<CardProgress>,
    new_per_day: u32,
    now: DateTime<Utc>,
    curve: bool,
    tests: Option<TestCheck>,
) -> Readiness {
    let starts = exam.starts(days);
    let shift = tests.map_or(0.0, |t| t.shift);
    let ready_with = |card: &CardState, shift: f32| {
        card.state != State::New
            && scheduler
                .retrievability(card, starts)
                .is_some_and(|r| r + shift >= exam.target)
    };
    let ready_at = |card: &CardState| ready_with(card, shift);
    let mut states: Vec<Option<CardProgress>> = card_ids.iter().map(|id| stored(id)).collect();
    let ready = states
        .iter()
        .flatten()
        .filter(|p| !p.suspended && ready_at(&p.card))
        .count();
    let ready_by_model = states
        .iter()
        .flatten()
        .filter(|p| !p.suspended && ready_with(&p.card, 0.0))
        .count();
    let new_left = states
        .iter()
        .filter(|p| p.is_none_or(|p| p.card.state == State::New))
        .count();
    let pace = new_pace(exam, days, now, new_per_day, new_left, 0);
    let mut out = Readiness {
        deck_id: exam.deck_id.clone(),
        date: exam.date,
        target: exam.target,
        days_left: exam.days_left(days, now),
        cards: card_ids.len(),
        ready,
        pace,
        by_day: Vec::new(),
        tests,
        ready_by_model,
    };
    if curve && out.days_left > 0 {
        out.by_day = keep_up(
            scheduler,
            exam,
            days,
            card_ids,
            &mut states,
            new_per_day,
            now,
            &ready_at,
        );
    }
    out
}

/// Simulates the days to the exam, every due card answered Good at noon of its day (learning
/// steps the same day), new cards at the exam's pace; the share ready after each day.
#[allow(clippy::too_many_arguments)]
fn keep_up(
    scheduler: &Scheduler,
    exam: &Exam,
    days: StudyDays,
    card_ids: &[&str],
    states: &mut [Option<CardProgress>],
    new_per_day: u32,
    now: DateTime<Utc>,
    ready_at: &dyn Fn(&CardState) -> bool,
) -> Vec<(NaiveDate, f32)> {
    let today = days.day_of(now);
    let exam_day = day_number(exam.date);
    let total = card_ids.len().max(1) as f32;
    let mut out = Vec::new();
    for day in today..exam_day {
        let noon = (days.start_of(day) + TimeDelta::hours(8)).max(now);
        let end = days.start_of(day + 1);
        let new_left = states.iter().filter(|p| p.is_none()).count();
        let pace = new_pace(exam, days, noon, new_per_day, new_left, 0);
        let mut introduced = 0;
        for (i, slot) in states.iter_mut().enumerate() {
            let mut p = match slot {
                Some(p) if p.suspended || p.card.due >= end => continue,
                Some(p) => *p,
                None if introduced < pace.per_day => {
                    introduced += 1;
                    CardProgress::new_card(noon)
                }
                None => continue,
            };
            let mut at = noon.max(p.card.due);
            // Learning steps are taken the same day; at most a few answers a card a day.
            for _ in 0..4 {
                let placement = Placement {
                    exam: exam.rule_at(days, at),
                    ..Placement::default()
                };
                let seed = fuzz_seed(&exam.deck_id, card_ids[i], p.card.reps);
                p.card = scheduler
                    .review_placed(&p.card, Rating::Good, at, seed, &placement)
                    .state;
                if p.card.due >= end {
                    break;
                }
                at = p.card.due;
            }
            *slot = Some(p);
        }
        let ready = states
            .iter()
            .flatten()
            .filter(|p| !p.suspended && ready_at(&p.card))
            .count();
        out.push((date_of_day(day), ready as f32 / total));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::SchedulerConfig;
    use chrono::TimeZone;

    #[test]
    fn readiness_counts_cards_ready_and_rises_if_the_learner_keeps_up() {
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let days = StudyDays::new(0, 4);
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let exam = Exam::new("d", "2026-12-25", 0.9, today, now).unwrap();
        let ids: Vec<String> = (0..40).map(|i| format!("c{i}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut solid = CardProgress::new_card(now);
        solid.card = CardState {
            state: State::Review,
            step: None,
            stability: Some(400.0),
            difficulty: Some(5.0),
            due: now + TimeDelta::days(300),
            last_review: Some(now - TimeDelta::days(1)),
            reps: 5,
            lapses: 0,
        };
        let stored = |id: &str| (id < "c2").then_some(solid);
        let r = readiness(&scheduler, &exam, days, &ids, &stored, 1, now, true, None);
        // c0, c1 and c10–c19 sort before "c2".
        assert_eq!(r.ready, 12);
        assert_eq!(r.days_left, 21);
        assert_eq!(r.percent(), 30);
        assert!(r.pace.raised, "{:?}", r.pace);
        assert!(
            r.headline()
                .starts_with("Exam on 25 December 2026, in 21 days: 30 % of cards ready"),
            "{}",
            r.headline()
        );
        assert_eq!(r.by_day.len(), 21);
        let last = r.by_day.last().unwrap().1;
        assert!(last > 0.95, "{:?}", r.by_day);
        assert!(r.by_day.windows(2).all(|w| w[1].1 >= w[0].1 - 0.05));
    }

    #[test]
    fn self_tests_below_the_model_lower_readiness_and_say_so() {
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let days = StudyDays::new(0, 4);
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let exam = Exam::new("d", "2026-12-25", 0.9, today, now).unwrap();
        let ids: Vec<String> = (0..10).map(|i| format!("c{i}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        // Stabilities from 20 to 200 days: recall 21 days on from about 0.89 to 0.99.
        let stored = |id: &str| {
            let i: f32 = id[1..].parse().unwrap();
            let mut p = CardProgress::new_card(now);
            p.card = CardState {
                state: State::Review,
                step: None,
                stability: Some(20.0 + 20.0 * i),
                difficulty: Some(5.0),
                due: now + TimeDelta::days(300),
                last_review: Some(now),
                reps: 5,
                lapses: 0,
            };
            Some(p)
        };
        let model = readiness(&scheduler, &exam, days, &ids, &stored, 5, now, false, None);
        assert!(model.test_note().is_none());
        let calibration = crate::selftest::Calibration {
            tests: 2,
            questions: 60,
            actual: 0.70,
            predicted: 0.80,
            by_category: std::collections::BTreeMap::new(),
        };
        let check = TestCheck::from_calibration(&calibration).unwrap();
        // 60 questions: three quarters of the 10-point difference.
        assert!((check.shift + 0.075).abs() < 1e-6, "{check:?}");
        let tested = readiness(
            &scheduler,
            &exam,
            days,
            &ids,
            &stored,
            5,
            now,
            false,
            Some(check),
        );
        assert_eq!(tested.ready_by_model, model.ready);
        assert!(
            tested.ready < model.ready,
            "{} vs {}",
            tested.ready,
            model.ready
        );
        let note = tested.test_note().unwrap();
        assert!(
            note.starts_with("Your 2 self-tests: 70 % right where the model predicted 80 % (60 questions); readiness counts each card's recall 8 points lower (by the model alone: "),
            "{note}"
        );
        assert_eq!(tested.notes().last(), Some(&note));
        // A few questions move it little.
        let few = crate::selftest::Calibration {
            questions: 5,
            ..calibration
        };
        assert!(TestCheck::from_calibration(&few).unwrap().shift > -0.021);
    }
}
