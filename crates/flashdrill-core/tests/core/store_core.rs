//! The store: answers, undo, flags, leeches, queries, settings, schema checks.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use flashdrill_core::schedule::{CardState, Rating, Scheduler, SchedulerConfig, State, fuzz_seed};
use flashdrill_core::settings::{LeechAction, Settings};
use flashdrill_core::store::{
    CardProgress, LeechPolicy, Mode, NewReview, SCHEMA_VERSION, Store, StoreError,
};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap()
}

const LEECH: LeechPolicy = LeechPolicy {
    threshold: 8,
    action: LeechAction::Suspend,
};

fn scheduler() -> Scheduler {
    Scheduler::new(SchedulerConfig::default()).unwrap()
}

/// Answers a card in srs mode the way the session does; returns the review id.
fn answer(
    store: &mut Store,
    s: &Scheduler,
    deck: &str,
    card: &str,
    rating: Rating,
    at: DateTime<Utc>,
    leech: LeechPolicy,
) -> (i64, CardProgress) {
    let before = store
        .card(deck, card)
        .unwrap()
        .map_or_else(|| CardState::new_card(at), |p| p.card);
    let after = s.review(&before, rating, at, fuzz_seed(deck, card, before.reps));
    let rec = store
        .record_answer(
            &NewReview {
                deck_id: deck,
                card_id: card,
                at,
                rating,
                mode: Mode::Srs,
                answer_given: Some("typed"),
                correct: Some(rating != Rating::Again),
                response_ms: 1234,
                state_after: Some(after),
            },
            leech,
        )
        .unwrap();
    (rec.review_id, rec.after.unwrap())
}

fn practice(store: &mut Store, mode: Mode, card: &str, at: DateTime<Utc>) -> i64 {
    store
        .record_answer(
            &NewReview {
                deck_id: "d",
                card_id: card,
                at,
                rating: Rating::Again,
                mode,
                answer_given: None,
                correct: Some(false),
                response_ms: 10,
                state_after: None,
            },
            LEECH,
        )
        .unwrap()
        .review_id
}

#[test]
fn an_answer_commits_the_log_row_and_the_state_together() {
    let mut store = Store::open_in_memory("me").unwrap();
    let s = scheduler();
    let (id, after) = answer(&mut store, &s, "d", "c1", Rating::Good, t0(), LEECH);
    assert_eq!(store.card("d", "c1").unwrap(), Some(after));
    assert_eq!(after.card.state, State::Learning);
    assert_eq!(after.card.reps, 1);
    let log = store.card_history("d", "c1").unwrap();
    assert_eq!(log.len(), 1);
    let r = &log[0];
    assert_eq!(r.id, id);
    assert_eq!(r.at, t0());
    assert_eq!(r.rating, Rating::Good);
    assert_eq!(r.mode, Mode::Srs);
    assert_eq!(r.answer_given.as_deref(), Some("typed"));
    assert_eq!(r.correct, Some(true));
    assert_eq!(r.response_ms, 1234);
    assert_eq!(r.state_before, None);
    assert_eq!(r.state_after, Some(after.card));
    assert_eq!(store.review(id).unwrap().as_ref(), Some(r));
}

#[test]
fn times_are_stored_to_the_millisecond() {
    let mut store = Store::open_in_memory("me").unwrap();
    let s = scheduler();
    let at = t0() + TimeDelta::nanoseconds(123_456_789);
    let (_, after) = answer(&mut store, &s, "d", "c", Rating::Good, at, LEECH);
    let stored = store.card("d", "c").unwrap().unwrap();
    assert_eq!(stored, after);
    assert_eq!(
        stored.card.last_review.unwrap().timestamp_subsec_nanos(),
        123_000_000
    );
    assert_eq!(
        store.all_reviews().unwrap()[0].at,
        t0() + TimeDelta::milliseconds(123)
    );
}

#[test]
fn practice_and_drill_answers_are_logged_and_leave_the_card_alone() {
    let mut store = Store::open_in_memory("me").unwrap();
    let s = scheduler();
    let (_, after) = answer(&mut store, &s, "d", "c", Rating::Good, t0(), LEECH);
    let p = practice(
        &mut store,
        Mode::Practice,
        "c",
        t0() + TimeDelta::minutes(1),
    );
    let d = practice(&mut store, Mode::Drill, "c", t0() + TimeDelta::minutes(2));
    practice(&mut store, Mode::Drill, "never-studied", t0());
    assert_eq!(store.card("d", "c").unwrap(), Some(after));
    assert_eq!(store.card("d", "never-studied").unwrap(), None);
    let log = store.card_history("d", "c").unwrap();
    assert_eq!(
        log.iter().map(|r| r.mode).collect::<Vec<_>>(),
        [Mode::Srs, Mode::Practice, Mode::Drill]
    );
    assert_eq!(log[1].state_before, None);
    assert_eq!(log[1].state_after, None);
    // Undoing a practice answer removes the row and changes no state.
    let undone = store.undo_answer(p).unwrap();
    assert_eq!(undone.review.mode, Mode::Practice);
    assert_eq!(undone.restored, Some(after));
    store.undo_answer(d).unwrap();
    assert_eq!(store.card("d", "c").unwrap(), Some(after));
    assert_eq!(store.review_count().unwrap(), 2);
}

#[test]
fn the_mode_and_the_state_must_agree() {
    let mut store = Store::open_in_memory("me").unwrap();
    let mut r = NewReview {
        deck_id: "d",
        card_id: "c",
        at: t0(),
        rating: Rating::Good,
        mode: Mode::Srs,
        answer_given: None,
        correct: None,
        response_ms: 0,
        state_after: None,
    };
    assert!(matches!(
        store.record_answer(&r, LEECH),
        Err(StoreError::Invalid(_))
    ));
    r.mode = Mode::Practice;
    r.state_after = Some(CardState::new_card(t0()));
    assert!(matches!(
        store.record_answer(&r, LEECH),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.review_count().unwrap(), 0);
}

#[test]
fn undo_restores_the_previous_state_exactly_one_answer_at_a_time() {
    let mut store = Store::open_in_memory("me").unwrap();
    let s = scheduler();
    let mut ids = Vec::new();
    let mut states = vec![None];
    let mut at = t0();
    for rating in [
        Rating::Good,
        Rating::Good,
        Rating::Again,
        Rating::Hard,
        Rating::Easy,
    ] {
        let (id, after) = answer(&mut store, &s, "d", "c", rating, at, LEECH);
        ids.push(id);
        states.push(Some(after));
        at = after.card.due + TimeDelta::hours(1);
    }
    // An older answer cannot be undone while later ones stand.
    let err = store.undo_answer(ids[1]).unwrap_err();
    assert!(matches!(err, StoreError::NotLatest { .. }), "{err}");
    assert!(err.to_string().contains("must be undone first"));
    while let Some(id) = ids.pop() {
        states.pop();
        let undone = store.undo_answer(id).unwrap();
        assert_eq!(undone.review.id, id);
        assert_eq!(undone.restored, *states.last().unwrap());
        assert_eq!(store.card("d", "c").unwrap(), *states.last().unwrap());
        assert!(store.review(id).unwrap().is_none());
    }
    // The first answer's undo removes the card's row: it was never studied.
    assert_eq!(store.card("d", "c").unwrap(), None);
    assert_eq!(store.review_count().unwrap(), 0);
    assert!(matches!(
        store.undo_answer(12345),
        Err(StoreError::NoSuchReview { id: 12345, .. })
    ));
}

/// Fails a card until it has `lapses` lapses; returns the last review id and state.
fn lapse_until(
    store: &mut Store,
    s: &Scheduler,
    lapses: u32,
    leech: LeechPolicy,
) -> (i64, CardProgress) {
    let mut at = store
        .card("d", "c")
        .unwrap()
        .map_or(t0(), |p| p.card.due + TimeDelta::hours(1));
    let mut last = answer(store, s, "d", "c", Rating::Easy, at, leech);
    while last.1.card.lapses < lapses {
        at = last.1.card.due + TimeDelta::hours(1);
        let rating = if last.1.card.state == State::Review {
            Rating::Again
        } else {
            Rating::Easy
        };
        last = answer(store, s, "d", "c", rating, at, leech);
    }
    last
}

#[test]
fn a_leech_is_tagged_and_suspended_in_the_same_transaction_and_undo_takes_it_back() {
    let mut store = Store::open_in_memory("me").unwrap();
    let s = scheduler();
    let policy = LeechPolicy {
        threshold: 2,
        action: LeechAction::Suspend,
    };
    let (id, after) = lapse_until(&mut store, &s, 2, policy);
    assert!(after.leech);
    assert!(after.suspended);
    assert_eq!(store.card("d", "c").unwrap(), Some(after));
    let review = store.review(id).unwrap().unwrap();
    assert_eq!(review.state_after, Some(after.card));
    let before = review.state_before.unwrap();
    // Undo takes back the flags this answer set, with the state.
    store.undo_answer(id).unwrap();
    assert_eq!(
        store.card("d", "c").unwrap(),
        Some(CardProgress::from_state(before))
    );
}

#[test]
fn leech_action_tag_only_tags() {
    let mut store = Store::open_in_memory("me").unwrap();
    let s = scheduler();
    let policy = LeechPolicy {
        threshold: 1,
        action: LeechAction::Tag,
    };
    let (_, after) = lapse_until(&mut store, &s, 1, policy);
    assert!(after.leech);
    assert!(!after.suspended);
}

#[test]
fn suspend_bury_and_reset_return_the_old_state_for_undo() {
    let mut store = Store::open_in_memory("me").unwrap();
    let s = scheduler();
    let (_, studied) = answer(&mut store, &s, "d", "c", Rating::Good, t0(), LEECH);

    let old = store.set_suspended("d", "c", true, t0()).unwrap();
    assert_eq!(old, Some(studied));
    assert!(store.card("d", "c").unwrap().unwrap().suspended);
    store.set_suspended("d", "c", false, t0()).unwrap();
    assert_eq!(store.card("d", "c").unwrap(), Some(studied));

    let tomorrow = t0() + TimeDelta::hours(16);
    store.bury("d", "c", Some(tomorrow), t0()).unwrap();
    let buried = store.card("d", "c").unwrap().unwrap();
    assert_eq!(buried.buried_until, Some(tomorrow));
    assert!(!buried.is_available(t0()));
    assert!(buried.is_available(tomorrow));

    let old = store.reset_card("d", "c", t0()).unwrap();
    assert_eq!(old.progress, Some(buried));
    assert_eq!(old.mark, None);
    let reset = store.card("d", "c").unwrap().unwrap();
    assert_eq!(reset, CardProgress::new_card(t0()));
    assert_eq!(store.card_reset_at("d", "c").unwrap(), Some(t0()));
    store.restore_resets(&[("d", "c", old)]).unwrap();
    assert_eq!(store.card("d", "c").unwrap(), Some(buried));
    assert_eq!(store.card_reset_at("d", "c").unwrap(), None);

    // A card never studied can be suspended; undo removes its row again.
    let old = store.set_suspended("d", "new", true, t0()).unwrap();
    assert_eq!(old, None);
    assert!(store.card("d", "new").unwrap().unwrap().suspended);
    store.restore_card("d", "new", None).unwrap();
    assert_eq!(store.card("d", "new").unwrap(), None);
    // The log is untouched by flags.
    assert_eq!(store.review_count().unwrap(), 1);
}

#[test]
fn queries_for_the_ui() {
    let mut store = Store::open_in_memory("me").unwrap();
    let sched = scheduler();
    answer(&mut store, &sched, "a", "1", Rating::Good, t0(), LEECH);
    answer(&mut store, &sched, "a", "2", Rating::Easy, t0(), LEECH);
    answer(&mut store, &sched, "b", "1", Rating::Again, t0(), LEECH);
    let (_, learning) = answer(
        &mut store,
        &sched,
        "a",
        "1",
        Rating::Again,
        t0() + TimeDelta::minutes(1),
        LEECH,
    );
    practice(&mut store, Mode::Practice, "x", t0());

    let all = store.card_states(None).unwrap();
    let keys: Vec<_> = all
        .iter()
        .map(|r| (r.deck_id.as_str(), r.card_id.as_str()))
        .collect();
    assert_eq!(keys, [("a", "1"), ("a", "2"), ("b", "1")]);
    assert_eq!(store.card_states(Some("b")).unwrap().len(), 1);

    // Due within the hour: the learning cards, earliest first, not the graduated one.
    assert_eq!(learning.card.state, State::Learning);
    let due = store.due_cards(None, t0() + TimeDelta::hours(1)).unwrap();
    let due_keys: Vec<_> = due
        .iter()
        .map(|r| (r.deck_id.as_str(), r.card_id.as_str()))
        .collect();
    assert_eq!(due_keys, [("b", "1"), ("a", "1")]);
    assert!(
        due.windows(2)
            .all(|w| w[0].progress.card.due <= w[1].progress.card.due)
    );
    assert_eq!(
        store
            .due_cards(Some("a"), t0() + TimeDelta::hours(1))
            .unwrap()[0]
            .progress,
        learning
    );

    let counts = store.counts_since(t0()).unwrap();
    let a = counts["a"];
    assert_eq!(
        (a.new_introduced, a.learning, a.reviews, a.practice),
        (2, 1, 0, 0)
    );
    let b = counts["b"];
    assert_eq!((b.new_introduced, b.learning), (1, 0));
    let d = counts["d"];
    assert_eq!((d.new_introduced, d.practice), (0, 1));
    assert!(
        store
            .counts_since(t0() + TimeDelta::hours(1))
            .unwrap()
            .is_empty()
    );

    let reviews = store.all_reviews().unwrap();
    assert_eq!(reviews.len(), 5);
    assert!(reviews.windows(2).all(|w| w[0].at <= w[1].at));
    let mut n = 0;
    store.for_each_review(|_| n += 1).unwrap();
    assert_eq!(n, 5);
    // The answers since a time: the same as filtering the whole log, oldest first.
    for since in reviews
        .iter()
        .map(|r| r.at)
        .chain([t0() + TimeDelta::days(1)])
    {
        let expected: Vec<_> = reviews.iter().filter(|r| r.at >= since).cloned().collect();
        assert_eq!(store.reviews_since(since).unwrap(), expected);
    }
    assert!(
        store
            .reviews_since(t0() + TimeDelta::days(1))
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.card_history("a", "1").unwrap().len(), 2);
}

#[test]
fn progress_is_keyed_by_deck_and_card_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let s = scheduler();
    let after = {
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.profile(), "p");
        let (_, after) = answer(&mut store, &s, "d", "c", Rating::Easy, t0(), LEECH);
        answer(&mut store, &s, "other", "c", Rating::Again, t0(), LEECH);
        after
    };
    let store = Store::open(&path).unwrap();
    assert_eq!(store.card("d", "c").unwrap(), Some(after));
    assert_ne!(store.card("other", "c").unwrap(), Some(after));
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
}

#[test]
fn settings_round_trip_through_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let mut settings = Settings::default();
    settings
        .set_all([
            ("desired_retention", "0.8"),
            ("learning_steps", "2m 20m 2h"),
            ("relearning_steps", ""),
            ("leech_action", "tag"),
            ("zoom", "1.5"),
        ])
        .unwrap();
    {
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.load_settings().unwrap(), Settings::default());
        store.save_settings(&settings).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.load_settings().unwrap(), settings);
}

#[test]
fn a_database_from_a_newer_flashdrill_is_refused_and_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    {
        let conn = rusqlite_conn(&path);
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::TooNew { found: 99, .. }),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.ends_with(&format!(
            "was written by a newer flashdrill (schema 99, this one knows {SCHEMA_VERSION}); it was not changed"
        )),
        "{msg}"
    );
    assert!(msg.contains("p.sqlite3"), "{msg}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert!(!dir.path().join("p.sqlite3-wal").exists());
}

fn rusqlite_conn(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

#[test]
fn a_file_that_is_not_a_database_is_moved_aside_not_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    std::fs::write(&path, b"this is not an SQLite database, just some text").unwrap();
    let err = Store::open(&path).unwrap_err();
    let StoreError::Corrupt {
        moved_to,
        newest_backup,
        ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(newest_backup, &None);
    assert!(err.to_string().contains("moved aside to"), "{err}");
    assert!(err.to_string().contains("there is no backup"), "{err}");
    assert!(!path.exists());
    assert!(
        moved_to
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("p.sqlite3.corrupt-")
    );
    assert_eq!(
        std::fs::read(moved_to).unwrap(),
        b"this is not an SQLite database, just some text"
    );
    // Opening again starts an empty database.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.review_count().unwrap(), 0);
}

#[test]
fn a_damaged_page_is_found_by_quick_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    {
        let mut store = Store::open(&path).unwrap();
        let s = scheduler();
        for i in 0..400 {
            answer(
                &mut store,
                &s,
                "deck",
                &format!("card-{i}"),
                Rating::Good,
                t0(),
                LEECH,
            );
        }
    }
    // Fold the WAL into the file, then scribble over the middle of it.
    rusqlite_conn(&path)
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 8 * 4096);
    let page = 4096;
    for b in &mut bytes[3 * page..6 * page] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert!(!path.exists());
}

#[test]
fn a_leech_is_flagged_again_every_half_threshold() {
    let mut store = Store::open_in_memory("me").unwrap();
    let s = scheduler();
    let policy = LeechPolicy {
        threshold: 4,
        action: LeechAction::Suspend,
    };
    let (_, at4) = lapse_until(&mut store, &s, 4, policy);
    assert!(at4.suspended && at4.leech);
    store.set_suspended("d", "c", false, t0()).unwrap();
    let (_, at5) = lapse_until(&mut store, &s, 5, policy);
    assert!(!at5.suspended && at5.leech, "{at5:?}");
    let (_, at6) = lapse_until(&mut store, &s, 6, policy);
    assert!(at6.suspended);
}

/// The log keeps the order answers were given in even when the clock went back: the later
/// answer takes the earlier one's time, and its state before is the earlier one's after.
#[test]
fn an_answer_after_the_clock_went_back_stays_after_the_card_s_last_answer() {
    let mut store = Store::open_in_memory("me").unwrap();
    let s = scheduler();
    let policy = LeechPolicy {
        threshold: 8,
        action: LeechAction::Tag,
    };
    let (first, after_first) = answer(&mut store, &s, "d", "c", Rating::Good, t0(), policy);
    let (second, _) = answer(
        &mut store,
        &s,
        "d",
        "c",
        Rating::Again,
        t0() - TimeDelta::hours(3),
        policy,
    );
    assert!(second > first);
    let history = store.card_history("d", "c").unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].id, second);
    assert_eq!(history[1].at, t0(), "it takes the earlier answer's time");
    assert_eq!(history[1].state_before, Some(after_first.card));
    // The schedule after keeps the answer's own last-review time.
    assert_eq!(
        history[1].state_after.unwrap().last_review,
        Some(t0() - TimeDelta::hours(3))
    );
    let undone = store.undo_answer(second).unwrap();
    assert_eq!(undone.restored, Some(after_first));
}

/// Progress changed outside the log (a reset) is the state before the next answer, and undo
/// brings it back.
#[test]
fn undo_after_a_reset_restores_the_reset_card() {
    let mut store = Store::open_in_memory("me").unwrap();
    let s = scheduler();
    let policy = LeechPolicy {
        threshold: 8,
        action: LeechAction::Tag,
    };
    answer(&mut store, &s, "d", "c", Rating::Good, t0(), policy);
    let later = t0() + TimeDelta::days(3);
    store.reset_card("d", "c", later).unwrap();
    let reset = store.card("d", "c").unwrap().unwrap();
    let (id, _) = answer(
        &mut store,
        &s,
        "d",
        "c",
        Rating::Hard,
        later + TimeDelta::minutes(1),
        policy,
    );
    let review = store.review(id).unwrap().unwrap();
    assert_eq!(review.state_before, Some(reset.card));
    assert_eq!(store.undo_answer(id).unwrap().restored, Some(reset));
    assert_eq!(store.card("d", "c").unwrap(), Some(reset));
}

/// An answer time a review id cannot hold is refused with the card named; nothing is saved.
#[test]
fn an_answer_before_1970_is_refused() {
    let mut store = Store::open_in_memory("me").unwrap();
    let at = Utc.with_ymd_and_hms(1969, 7, 20, 20, 17, 0).unwrap();
    let err = store
        .record_answer(
            &NewReview {
                deck_id: "d",
                card_id: "c",
                at,
                rating: Rating::Good,
                mode: Mode::Practice,
                answer_given: None,
                correct: None,
                response_ms: 0,
                state_after: None,
            },
            LeechPolicy {
                threshold: 8,
                action: LeechAction::Tag,
            },
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("not between 1970 and 2248"),
        "{err}"
    );
    assert_eq!(store.review_count().unwrap(), 0);
}

/// `for_each_card` gives every stored card with its ids and progress, as `card_states` does.
#[test]
fn every_stored_card_comes_by_once() {
    let mut store = Store::open_in_memory("me").unwrap();
    let s = scheduler();
    let policy = LeechPolicy {
        threshold: 8,
        action: LeechAction::Tag,
    };
    for (deck, card) in [("d1", "a"), ("d1", "b"), ("d2", "a")] {
        answer(&mut store, &s, deck, card, Rating::Good, t0(), policy);
    }
    store.set_suspended("d2", "new", true, t0()).unwrap();
    let mut seen = Vec::new();
    store
        .for_each_card(|deck, card, p| seen.push((deck.to_owned(), card.to_owned(), *p)))
        .unwrap();
    seen.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let listed: Vec<_> = store
        .card_states(None)
        .unwrap()
        .into_iter()
        .map(|r| (r.deck_id, r.card_id, r.progress))
        .collect();
    assert_eq!(seen, listed);
    assert_eq!(seen.len(), 4);
}
