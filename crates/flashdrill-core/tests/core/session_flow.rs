//! Study sessions: answering, learning cards coming back, undo, modes, summary, queue.

use std::time::Duration;

use chrono::{DateTime, FixedOffset, TimeDelta, TimeZone, Utc};
use flashdrill_core::schedule::{Rating, State};
use flashdrill_core::session::{
    CardKey, Session, SessionError, SessionOptions, deck_due_counts, deck_queue,
};
use flashdrill_core::settings::Settings;
use flashdrill_core::store::{CardProgress, Mode, Store};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap()
}

fn keys(n: usize) -> Vec<CardKey> {
    (0..n).map(|i| CardKey::new("d", format!("c{i}"))).collect()
}

fn session(mode: Mode, cards: Vec<CardKey>) -> Session {
    let settings = Settings::default();
    let queue = cards
        .into_iter()
        .map(|k| (k, CardProgress::new_card(t0())))
        .collect();
    Session::from_settings(&settings, mode, queue, t0()).unwrap()
}

const SEC: Duration = Duration::from_secs(1);

#[test]
fn learning_cards_come_back_at_their_due_time() {
    let mut store = Store::open_in_memory("me").unwrap();
    let mut s = session(Mode::Srs, keys(3));
    let c0 = CardKey::new("d", "c0");
    assert_eq!(s.current(), Some(&c0));
    // Buttons: Again 1m, Hard ~6m, Good 10m on a new card with steps 1m 10m.
    let p = s.preview(t0()).unwrap();
    assert_eq!(p.interval_label(Rating::Again), "1m");
    assert_eq!(p.interval_label(Rating::Good), "10m");

    let out = s
        .answer(&mut store, Rating::Again, None, None, SEC, t0())
        .unwrap();
    assert!(out.requeued);
    assert!(!out.right);
    assert_eq!(out.progress.card.state, State::Learning);
    // Committed before returning.
    assert_eq!(store.card("d", "c0").unwrap(), Some(out.progress));
    // c0 is due in a minute: the queue goes on first.
    assert_eq!(s.current().unwrap().card_id, "c1");
    let t1 = t0() + TimeDelta::seconds(70);
    s.answer(&mut store, Rating::Good, None, None, SEC, t1)
        .unwrap();
    // Now c0 is due and goes before c2.
    assert_eq!(s.current(), Some(&c0));
    s.answer(&mut store, Rating::Easy, None, None, SEC, t1)
        .unwrap();
    assert_eq!(s.current().unwrap().card_id, "c2");
    s.answer(&mut store, Rating::Easy, None, None, SEC, t1)
        .unwrap();
    // Only c1 is left, due 10 minutes after t1: within learn-ahead, shown early.
    assert_eq!(s.current().unwrap().card_id, "c1");
    assert_eq!(s.next_learning_due(), Some(t1 + TimeDelta::minutes(10)));
    s.answer(&mut store, Rating::Good, None, None, SEC, t1)
        .unwrap();
    assert!(s.is_finished());
    assert_eq!(s.remaining(), 0);
    let sum = s.summary();
    assert_eq!(sum.cards_studied, 3);
    assert_eq!(sum.answers, 5);
    assert_eq!((sum.right, sum.wrong), (4, 1));
    assert_eq!(sum.time, 5 * SEC);
    assert_eq!(sum.missed, vec![c0]);
    assert!(sum.next_due.unwrap() > t1 + TimeDelta::hours(12));
}

#[test]
fn a_learning_card_due_later_than_learn_ahead_waits() {
    let mut store = Store::open_in_memory("me").unwrap();
    let mut settings = Settings::default();
    settings.set("learning_steps", "1h").unwrap();
    let queue = vec![(CardKey::new("d", "c"), CardProgress::new_card(t0()))];
    let mut s = Session::from_settings(&settings, Mode::Srs, queue, t0()).unwrap();
    s.answer(&mut store, Rating::Again, None, None, SEC, t0())
        .unwrap();
    assert!(s.is_finished());
    assert_eq!(s.current(), None);
    assert_eq!(s.remaining(), 1);
    assert!(matches!(
        s.answer(&mut store, Rating::Good, None, None, SEC, t0()),
        Err(SessionError::NoCard)
    ));
    s.advance(t0() + TimeDelta::minutes(45));
    assert_eq!(s.current().unwrap().card_id, "c");
}

#[test]
fn undo_goes_back_one_answer_at_a_time_even_from_the_summary() {
    let mut store = Store::open_in_memory("me").unwrap();
    let mut s = session(Mode::Srs, keys(2));
    let mut now = t0();
    let mut seen = Vec::new();
    while let Some(k) = s.current().cloned() {
        seen.push((k, s.current_progress().copied()));
        s.answer(&mut store, Rating::Easy, Some("x"), Some(true), SEC, now)
            .unwrap();
        now += TimeDelta::seconds(5);
    }
    assert_eq!(seen.len(), 2);
    assert!(s.is_finished());
    assert_eq!(store.review_count().unwrap(), 2);
    // From the summary: undo the last card, it comes back first with its old state.
    let u = s.undo(&mut store, now).unwrap();
    assert_eq!(u.key, seen[1].0);
    assert_eq!(Some(u.progress), seen[1].1);
    assert_eq!(s.current(), Some(&seen[1].0));
    assert_eq!(store.card("d", "c1").unwrap(), None);
    let u = s.undo(&mut store, now).unwrap();
    assert_eq!(u.key, seen[0].0);
    assert_eq!(s.current(), Some(&seen[0].0));
    assert_eq!(store.review_count().unwrap(), 0);
    assert!(!s.can_undo());
    assert!(matches!(
        s.undo(&mut store, now),
        Err(SessionError::NothingToUndo)
    ));
    // Answer again from there: the order is as before.
    s.answer(&mut store, Rating::Good, None, None, SEC, now)
        .unwrap();
    assert_eq!(s.current(), Some(&seen[1].0));
    assert_eq!(s.summary().answers, 1);
}

#[test]
fn undo_takes_a_learning_card_back_out_of_the_waiting_list() {
    let mut store = Store::open_in_memory("me").unwrap();
    let mut s = session(Mode::Srs, keys(1));
    let before = *s.current_progress().unwrap();
    s.answer(&mut store, Rating::Again, None, None, SEC, t0())
        .unwrap();
    assert_eq!(s.remaining(), 1);
    s.undo(&mut store, t0()).unwrap();
    assert_eq!(s.remaining(), 1);
    assert_eq!(s.current_progress(), Some(&before));
    s.answer(&mut store, Rating::Easy, None, None, SEC, t0())
        .unwrap();
    assert!(s.is_finished());
    assert_eq!(s.remaining(), 0);
}

#[test]
fn practice_answers_are_logged_and_leave_card_state_untouched() {
    let mut store = Store::open_in_memory("me").unwrap();
    // Study c0 first so it has a stored state.
    {
        let mut s = session(Mode::Srs, keys(1));
        s.answer(&mut store, Rating::Easy, None, None, SEC, t0())
            .unwrap();
    }
    let stored = store.card("d", "c0").unwrap().unwrap();
    let queue = vec![
        (CardKey::new("d", "c0"), stored),
        (CardKey::new("d", "c1"), CardProgress::new_card(t0())),
    ];
    let mut s = Session::from_settings(&Settings::default(), Mode::Practice, queue, t0()).unwrap();
    assert!(s.preview(t0()).is_none());
    s.answer(
        &mut store,
        Rating::Again,
        Some("wrong"),
        Some(false),
        SEC,
        t0(),
    )
    .unwrap();
    let out = s
        .answer(
            &mut store,
            Rating::Good,
            Some("right"),
            Some(true),
            SEC,
            t0(),
        )
        .unwrap();
    assert!(!out.requeued);
    assert!(s.is_finished());
    s.undo(&mut store, t0()).unwrap();
    s.answer(
        &mut store,
        Rating::Good,
        Some("right"),
        Some(true),
        SEC,
        t0(),
    )
    .unwrap();
    assert_eq!(s.summary().next_due, None);
    drop(s);
    assert_eq!(store.card("d", "c0").unwrap(), Some(stored));
    assert_eq!(store.card("d", "c1").unwrap(), None);
    let log = store.all_reviews().unwrap();
    assert_eq!(
        log.iter().map(|r| r.mode).collect::<Vec<_>>(),
        [Mode::Srs, Mode::Practice, Mode::Practice]
    );
    assert_eq!(log[1].answer_given.as_deref(), Some("wrong"));
    assert_eq!(log[1].correct, Some(false));
}

#[test]
fn drill_repeats_missed_cards_until_right_without_touching_state() {
    let mut store = Store::open_in_memory("me").unwrap();
    let mut s = session(Mode::Drill, keys(2));
    let mut order = Vec::new();
    let mut misses_left = 2;
    while let Some(k) = s.current().cloned() {
        order.push(k.card_id.clone());
        let right = !(k.card_id == "c0" && misses_left > 0);
        if !right {
            misses_left -= 1;
        }
        let rating = if right { Rating::Good } else { Rating::Again };
        s.answer(&mut store, rating, None, Some(right), SEC, t0())
            .unwrap();
    }
    assert_eq!(order, ["c0", "c1", "c0", "c0"]);
    let sum = s.summary_with_categories(|k| Some(format!("cat-{}", k.card_id)));
    assert_eq!((sum.right, sum.wrong, sum.cards_studied), (2, 2, 2));
    assert_eq!(sum.by_category["cat-c0"].wrong, 2);
    assert_eq!(sum.by_category["cat-c0"].right, 1);
    assert_eq!(sum.by_category["cat-c1"].right, 1);
    // Undo the last (right) answer, then the miss before it: the requeued copy is removed.
    s.undo(&mut store, t0()).unwrap();
    s.undo(&mut store, t0()).unwrap();
    assert_eq!(s.remaining(), 1);
    drop(s);
    assert!(store.card_states(None).unwrap().is_empty());
    assert_eq!(store.review_count().unwrap(), 2);
}

#[test]
fn a_session_reads_stored_progress_when_built_from_keys() {
    let mut store = Store::open_in_memory("me").unwrap();
    {
        let mut s = session(Mode::Srs, keys(1));
        s.answer(&mut store, Rating::Good, None, None, SEC, t0())
            .unwrap();
    }
    let stored = store.card("d", "c0").unwrap().unwrap();
    let settings = Settings::default();
    let scheduler = flashdrill_core::schedule::Scheduler::new(settings.scheduler_config()).unwrap();
    let s = Session::new(
        &store,
        scheduler,
        vec![
            CardKey::new("d", "c0"),
            CardKey::new("d", "c0"),
            CardKey::new("d", "c9"),
        ],
        SessionOptions::from_settings(&settings, Mode::Srs),
        t0(),
    )
    .unwrap();
    assert_eq!(s.remaining(), 2);
    assert_eq!(s.current_progress(), Some(&stored));
    assert_eq!(
        s.progress(&CardKey::new("d", "c9")).unwrap().card.state,
        State::New
    );
}

#[test]
fn a_session_that_cannot_start_leaves_the_store_with_the_caller() {
    let mut store = Store::open_in_memory("me").unwrap();
    let queue = vec![(CardKey::new("d", "c"), CardProgress::new_card(t0()))];
    let bad = Settings {
        desired_retention: 2.0,
        ..Settings::default()
    };
    let refused = Session::from_settings(&bad, Mode::Srs, queue.clone(), t0());
    assert!(matches!(refused, Err(SessionError::Schedule(_))));
    // The store was never handed over: it is still open and usable.
    let mut s = Session::from_settings(&Settings::default(), Mode::Srs, queue, t0()).unwrap();
    s.answer(&mut store, Rating::Good, None, None, SEC, t0())
        .unwrap();
    drop(s);
    assert_eq!(store.review_count().unwrap(), 1);
}

#[test]
fn the_deck_queue_respects_daily_limits_and_studied_cards() {
    let mut store = Store::open_in_memory("me").unwrap();
    let mut settings = Settings::default();
    settings.set("new_per_day", "3").unwrap();
    let tz = FixedOffset::east_opt(2 * 3600).unwrap();
    let now_local = t0().with_timezone(&tz);
    let ids: Vec<String> = (0..10).map(|i| format!("c{i}")).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();

    let q = deck_queue(&store, "d", &id_refs, &settings, &now_local).unwrap();
    assert_eq!(
        q.iter()
            .map(|(k, _)| k.card_id.as_str())
            .collect::<Vec<_>>(),
        ["c0", "c1", "c2"]
    );
    let counts = deck_due_counts(&store, "d", &id_refs, &settings, &now_local).unwrap();
    assert_eq!((counts.new, counts.learning, counts.review), (3, 0, 0));

    let mut s = Session::from_settings(&settings, Mode::Srs, q, t0()).unwrap();
    s.answer(&mut store, Rating::Easy, None, None, SEC, t0())
        .unwrap();
    s.answer(&mut store, Rating::Again, None, None, SEC, t0())
        .unwrap();
    drop(s);
    // Two new cards introduced today: one more new card, plus c1 in learning.
    let later = (t0() + TimeDelta::minutes(5)).with_timezone(&tz);
    let q = deck_queue(&store, "d", &id_refs, &settings, &later).unwrap();
    let names: Vec<_> = q.iter().map(|(k, _)| k.card_id.as_str()).collect();
    assert_eq!(names, ["c1", "c2"]);
    assert_eq!(q[0].1, store.card("d", "c1").unwrap().unwrap());

    // A card removed from the deck is not studied, but keeps its progress and gets it back.
    let without_c1: Vec<&str> = id_refs.iter().copied().filter(|c| *c != "c1").collect();
    let q = deck_queue(&store, "d", &without_c1, &settings, &later).unwrap();
    assert!(q.iter().all(|(k, _)| k.card_id != "c1"));
    assert!(store.card("d", "c1").unwrap().is_some());

    // Suspended cards stay out of the queue.
    store.set_suspended("d", "c2", true, t0()).unwrap();
    let q = deck_queue(&store, "d", &id_refs, &settings, &later).unwrap();
    assert!(q.iter().all(|(k, _)| k.card_id != "c2"));
}

#[test]
fn suspending_or_burying_the_current_card_takes_it_out() {
    let mut store = Store::open_in_memory("me").unwrap();
    let mut s = session(Mode::Srs, keys(3));
    let (key, old) = s.suspend_current(&mut store, t0()).unwrap();
    assert_eq!(key.card_id, "c0");
    assert_eq!(old, None);
    assert_eq!(s.current().unwrap().card_id, "c1");
    let until = t0() + TimeDelta::hours(16);
    let (key, _) = s.bury_current(&mut store, until, t0()).unwrap();
    assert_eq!(key.card_id, "c1");
    assert_eq!(s.remaining(), 1);
    assert!(store.card("d", "c0").unwrap().unwrap().suspended);
    assert_eq!(
        store.card("d", "c1").unwrap().unwrap().buried_until,
        Some(until)
    );
    // Neither is an answer.
    assert!(!s.can_undo());
    store.restore_card("d", "c0", old.as_ref()).unwrap();
    assert_eq!(store.card("d", "c0").unwrap(), None);
}
