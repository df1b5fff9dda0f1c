//! Exam dates and load balancing through the store: what answering live gives, a replay of the
//! same reviews gives; no card of an exam deck is left past the exam unless ready.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use flashdrill_core::plan::{EXAM_KEY, Exam, ScheduleRules};
use flashdrill_core::schedule::{Rating, Scheduler, State, StudyDays};
use flashdrill_core::session::{CardKey, Session};
use flashdrill_core::settings::Settings;
use flashdrill_core::store::{CardProgress, Mode, Store};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 18, 0, 0).unwrap()
}

fn settings() -> Settings {
    let mut s = Settings::default();
    s.set("easy_days", "sun=0 sat=50").unwrap();
    s.set("day_starts_at", "4").unwrap();
    s
}

const DECKS: [&str; 3] = ["dates", "actors", "terms"];

fn exam() -> Exam {
    let today = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    Exam::new("dates", "2026-10-20", 0.95, today, t0()).unwrap()
}

fn rules(store: &Store) -> Arc<ScheduleRules> {
    // The local time zone, as the import's replay numbers days.
    Arc::new(ScheduleRules::new(
        &settings(),
        store.deck_options().unwrap(),
    ))
}

/// A learner studying every evening for `days` days: each day's due cards and 8 new cards a
/// deck, answered Again about one time in seven (by a fixed pattern).
fn study(store: &mut Store, days: i64) {
    let settings = settings();
    let mut seen: BTreeMap<CardKey, CardProgress> = BTreeMap::new();
    let mut n = 0u64;
    for day in 0..days {
        let now = t0() + TimeDelta::days(day);
        let mut queue: Vec<(CardKey, CardProgress)> = seen
            .iter()
            .filter(|(_, p)| p.card.due <= now + TimeDelta::hours(6))
            .map(|(k, p)| (k.clone(), *p))
            .collect();
        for deck in DECKS {
            for i in 0..8 {
                let key = CardKey::new(deck, format!("c{}", day * 8 + i));
                if day * 8 + i < 120 && !seen.contains_key(&key) {
                    queue.push((key, CardProgress::new_card(now)));
                }
            }
        }
        let mut session = Session::from_settings(&settings, Mode::Srs, queue, now)
            .unwrap()
            .with_rules(rules(store));
        let mut at = now;
        while let Some(key) = session.current().cloned() {
            n += 1;
            let rating = if n.is_multiple_of(7) {
                Rating::Again
            } else {
                Rating::Good
            };
            at += TimeDelta::seconds(20);
            let out = session
                .answer(store, rating, None, None, Duration::from_secs(5), at)
                .unwrap();
            seen.insert(key, out.progress);
            if session.current().is_none()
                && let Some(next) = session.next_learning_due()
                && next < now + TimeDelta::hours(3)
            {
                at = at.max(next);
                session.advance(at);
            }
        }
    }
}

fn dues(store: &Store) -> BTreeMap<(String, String), (State, DateTime<Utc>)> {
    store
        .card_states(None)
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                (r.deck_id, r.card_id),
                (r.progress.card.state, r.progress.card.due),
            )
        })
        .collect()
}

#[test]
fn a_replay_of_the_reviews_gives_the_due_dates_answering_gave() {
    let mut live = Store::open_in_memory("me").unwrap();
    live.save_settings(&settings()).unwrap();
    let exam = exam();
    live.write_plan(
        &[(&format!("{EXAM_KEY}dates"), Some(&exam.to_stored()))],
        &[],
    )
    .unwrap();
    study(&mut live, 40);
    let file = live.export_progress().unwrap();
    assert!(file.reviews.len() > 1000, "{}", file.reviews.len());

    let mut replayed = Store::open_in_memory("me").unwrap();
    replayed.save_settings(&settings()).unwrap();
    replayed
        .write_plan(
            &[(&format!("{EXAM_KEY}dates"), Some(&exam.to_stored()))],
            &[],
        )
        .unwrap();
    replayed.import_progress(&file, &settings()).unwrap();
    let (a, b) = (dues(&live), dues(&replayed));
    assert_eq!(a.len(), b.len());
    let differ: Vec<_> = a.iter().filter(|(k, v)| b.get(*k) != Some(v)).collect();
    assert!(
        differ.is_empty(),
        "{} of {} differ: {:?}",
        differ.len(),
        a.len(),
        &differ[..differ.len().min(5)]
    );

    // Without load balancing the same history gives other days: the balancer did something.
    let mut plain = Store::open_in_memory("me").unwrap();
    let mut off = settings();
    off.set("load_balance", "false").unwrap();
    plain.save_settings(&off).unwrap();
    plain.import_progress(&file, &off).unwrap();
    let c = dues(&plain);
    assert!(a.iter().filter(|(k, v)| c.get(*k) != Some(v)).count() > 10);
}

#[test]
fn no_exam_card_is_left_past_the_exam_unless_ready() {
    let mut store = Store::open_in_memory("me").unwrap();
    store.save_settings(&settings()).unwrap();
    let exam = exam();
    store
        .write_plan(
            &[(&format!("{EXAM_KEY}dates"), Some(&exam.to_stored()))],
            &[],
        )
        .unwrap();
    study(&mut store, 40);
    let scheduler = Scheduler::new(settings().scheduler_config()).unwrap();
    let days = StudyDays::local(settings().day_starts_at);
    let starts = exam.starts(days);
    let mut past = 0;
    for r in store.card_states(Some("dates")).unwrap() {
        let card = r.progress.card;
        if card.state == State::Review && card.due > starts {
            past += 1;
            let recall = scheduler.retrievability(&card, starts).unwrap();
            assert!(
                recall >= exam.target,
                "{}: {recall} on the exam day",
                r.card_id
            );
        }
    }
    assert!(past > 0, "some cards are safe past the exam");
    // Another deck, with no exam, has cards due past it that would not be ready.
    let weak_elsewhere = store
        .card_states(Some("terms"))
        .unwrap()
        .into_iter()
        .filter(|r| {
            r.progress.card.state == State::Review
                && r.progress.card.due > starts
                && scheduler.retrievability(&r.progress.card, starts).unwrap() < exam.target
        })
        .count();
    assert!(weak_elsewhere > 0);
}

#[test]
fn easy_days_keep_reviews_off_sundays() {
    let mut store = Store::open_in_memory("me").unwrap();
    store.save_settings(&settings()).unwrap();
    study(&mut store, 30);
    let days = StudyDays::local(4);
    let mut sundays = 0;
    let mut balanced = 0;
    for r in store.card_states(None).unwrap() {
        let card = r.progress.card;
        let last = card.last_review.unwrap();
        if card.state == State::Review && (card.due - last) >= TimeDelta::days(4) {
            balanced += 1;
            if StudyDays::weekday(days.day_of(card.due)) == chrono::Weekday::Sun {
                sundays += 1;
            }
        }
    }
    assert!(balanced > 50, "{balanced}");
    assert_eq!(sundays, 0, "{sundays} of {balanced} land on a Sunday");
}

#[test]
fn setting_an_exam_is_one_undoable_operation_and_bad_values_change_nothing() {
    use flashdrill_core::collection::{Collection, CollectionError};
    use flashdrill_core::plan::PlanError;
    let mut store = Store::open_in_memory("me").unwrap();
    let now = Utc::now();
    // A card due long after the exam, with recall on the exam day below the target.
    let mut p = CardProgress::new_card(now);
    p.card.state = State::Review;
    p.card.stability = Some(20.0);
    p.card.difficulty = Some(5.0);
    p.card.last_review = Some(now - TimeDelta::days(1));
    p.card.due = now + TimeDelta::days(60);
    p.card.reps = 3;
    store
        .restore_rows(&[], &[("pm-dates", "cooling", Some(p))])
        .unwrap();
    let mut col = Collection::new(store, Settings::default());
    col.set_library(flashdrill_core::deck::load_library(&[], true));
    let today = chrono::Local::now().date_naive();
    let date = (today + TimeDelta::days(14)).format("%Y-%m-%d").to_string();
    let exam = Exam::new("pm-dates", &date, 0.95, today, now).unwrap();
    let set = col.set_exam(exam.clone(), now).unwrap();
    assert_eq!(set.output.rescheduled, 1);
    assert_eq!(col.undo_label().as_deref(), Some("Undo Set exam date"));
    let moved = col
        .store()
        .unwrap()
        .card("pm-dates", "cooling")
        .unwrap()
        .unwrap();
    assert!(moved.card.due < exam.starts(StudyDays::local(4)));
    col.undo(None, now).unwrap();
    let back = col
        .store()
        .unwrap()
        .card("pm-dates", "cooling")
        .unwrap()
        .unwrap();
    assert_eq!(back.card.due, p.truncated().card.due);
    assert!(col.store().unwrap().exam("pm-dates").unwrap().is_none());
    // An unknown deck, a retention out of range: refused, nothing written.
    let other = Exam::new("nope", &date, 0.9, today, now).unwrap();
    assert!(matches!(
        col.set_exam(other, now),
        Err(CollectionError::Plan(PlanError::UnknownDeck(_)))
    ));
    assert!(matches!(
        col.set_deck_retention("pm-dates", Some(1.2)),
        Err(CollectionError::Plan(PlanError::BadRetention(_)))
    ));
    assert!(col.deck_options().retention.is_empty());
    assert!(col.deck_options().exams.is_empty());
}

#[test]
fn a_new_retention_reschedules_every_card_only_when_asked() {
    use flashdrill_core::collection::Collection;
    let mut store = Store::open_in_memory("me").unwrap();
    store.save_settings(&settings()).unwrap();
    study(&mut store, 20);
    let before = dues(&store);
    let mut col = Collection::new(store, settings());
    col.set_setting("desired_retention", "0.80").unwrap();
    assert_eq!(
        dues(col.store().unwrap()),
        before,
        "rescheduled without being asked"
    );
    col.set_setting("desired_retention", "0.90").unwrap();
    col.set_setting("reschedule_on_change", "true").unwrap();
    col.set_setting("desired_retention", "0.80").unwrap();
    let after = dues(col.store().unwrap());
    let later = before
        .iter()
        .filter(|(k, (state, due))| *state == State::Review && after[*k].1 > *due)
        .count();
    assert!(
        later > 50,
        "{later} review cards moved later at a lower retention"
    );
    col.undo(None, Utc::now()).unwrap();
    assert_eq!(dues(col.store().unwrap()), before);
}
