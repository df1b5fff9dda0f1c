use std::time::Duration;

use chrono::{TimeZone, Utc};

use super::*;
use crate::domain::Mode;
use crate::schedule::State;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap()
}

fn col() -> Collection {
    Collection::new(Store::open_in_memory("me").unwrap(), Settings::default())
}

fn keys(n: usize) -> Vec<CardKey> {
    (0..n).map(|i| CardKey::new("d", format!("c{i}"))).collect()
}

fn session(col: &Collection, mode: Mode, cards: Vec<CardKey>) -> Session {
    let queue = cards
        .into_iter()
        .map(|k| (k, CardProgress::new_card(t0())))
        .collect();
    Session::from_settings(col.settings(), mode, queue, t0()).unwrap()
}

fn good(now: DateTime<Utc>) -> Answer<'static> {
    Answer {
        rating: Rating::Good,
        answer_given: None,
        correct: None,
        response: Duration::from_secs(2),
        now,
    }
}

#[test]
fn an_answer_is_saved_undoable_and_undo_steps_the_session_back() {
    let mut col = col();
    let mut s = session(&col, Mode::Srs, keys(2));
    let out = col.answer(&mut s, good(t0())).unwrap();
    assert_eq!(out.changes, Changes::ANSWER);
    assert_eq!(col.undo_label().as_deref(), Some("Undo Answer"));
    let stored = col.store().unwrap().card("d", "c0").unwrap().unwrap();
    assert_eq!(stored.card.state, State::Learning);

    let undone = col.undo(Some(&mut s), t0()).unwrap();
    assert!(undone.output.in_session);
    assert_eq!(undone.output.op, Op::Answer);
    assert_eq!(s.current(), Some(&CardKey::new("d", "c0")));
    assert_eq!(col.store().unwrap().card("d", "c0").unwrap(), None);
    assert_eq!(col.store().unwrap().review_count().unwrap(), 0);
    assert!(col.undo_label().is_none());
    assert!(matches!(
        col.undo(None, t0()),
        Err(CollectionError::NothingToUndo)
    ));
}

#[test]
fn an_answer_of_an_ended_session_is_undone_from_anywhere() {
    let mut col = col();
    let mut s = session(&col, Mode::Srs, keys(1));
    col.answer(&mut s, good(t0())).unwrap();
    drop(s);
    let undone = col.undo(None, t0()).unwrap().output;
    assert!(!undone.in_session);
    assert_eq!(undone.cards, vec![(CardKey::new("d", "c0"), None)]);
    assert_eq!(col.store().unwrap().review_count().unwrap(), 0);
}

#[test]
fn a_bulk_change_is_one_entry_and_its_undo_puts_every_card_back() {
    let mut col = col();
    let mut s = session(&col, Mode::Srs, keys(1));
    col.answer(&mut s, good(t0())).unwrap();
    let before = col.store().unwrap().card("d", "c0").unwrap();
    let cards = keys(40);
    let out = col.suspend(&cards, true, t0()).unwrap();
    assert_eq!(out.output.len(), 40);
    assert!(out.output.iter().all(|(_, p)| p.suspended));
    assert_eq!(col.undo_label().as_deref(), Some("Undo Suspend 40 cards"));
    assert_eq!(col.store().unwrap().card_states(None).unwrap().len(), 40);

    let undone = col.undo(None, t0()).unwrap();
    assert_eq!(undone.changes, Changes::CARDS);
    assert_eq!(undone.output.cards.len(), 40);
    // The studied card is back as it was; the 39 never studied have no stored progress.
    assert_eq!(col.store().unwrap().card("d", "c0").unwrap(), before);
    assert_eq!(col.store().unwrap().card_states(None).unwrap().len(), 1);
    // The answer before it is next on the stack.
    assert_eq!(col.undo_label().as_deref(), Some("Undo Answer"));
}

#[test]
fn bury_and_reset_are_undone_too() {
    let mut col = col();
    let cards = keys(3);
    let until = t0() + chrono::TimeDelta::hours(12);
    col.bury(&cards, until, t0()).unwrap();
    col.reset(&cards[..1], t0()).unwrap();
    assert_eq!(col.undo_label().as_deref(), Some("Undo Reset 1 card"));
    col.undo(None, t0()).unwrap();
    let p = col.store().unwrap().card("d", "c0").unwrap().unwrap();
    assert_eq!(p.buried_until, Some(until));
    assert_eq!(col.undo_label().as_deref(), Some("Undo Bury 3 cards"));
}

#[test]
fn a_setting_is_saved_undoable_and_a_bad_value_changes_nothing() {
    let mut col = col();
    let out = col.set_setting("desired_retention", "0.85").unwrap();
    assert_eq!(out.changes, Changes::SETTINGS);
    assert!((col.settings().desired_retention - 0.85).abs() < 1e-6);
    let saved = col.store().unwrap().load_settings().unwrap();
    assert!((saved.desired_retention - 0.85).abs() < 1e-6);
    assert_eq!(
        col.undo_label().as_deref(),
        Some("Undo Change desired retention")
    );

    assert!(col.set_setting("desired_retention", "7").is_err());
    assert!((col.settings().desired_retention - 0.85).abs() < 1e-6);

    // How the window looks is not worth an undo entry.
    col.set_setting("zoom", "1.5").unwrap();
    assert_eq!(
        col.undo_label().as_deref(),
        Some("Undo Change desired retention")
    );
    col.undo(None, t0()).unwrap();
    assert_eq!(col.settings(), &Settings::default());
    let saved = col.store().unwrap().load_settings().unwrap();
    assert_eq!(saved, Settings::default());
}

#[test]
fn logged_answers_commit_together_and_srs_answers_need_their_session() {
    let mut col = col();
    let review = |card_id| NewReview {
        deck_id: "d",
        card_id,
        at: t0(),
        rating: Rating::Good,
        mode: Mode::Drill,
        answer_given: None,
        correct: Some(true),
        response_ms: 1000,
        state_after: None,
    };
    let ids = col.log_answers(&[review("a"), review("b")]).unwrap().output;
    assert_eq!(ids.len(), 2);
    assert!(
        col.undo_label().is_none(),
        "drill logs are not on the undo stack"
    );
    let mut srs = review("c");
    srs.mode = Mode::Srs;
    assert!(matches!(
        col.log_answers(&[srs]),
        Err(CollectionError::Invalid(_))
    ));
    let mut test = review("d");
    test.mode = Mode::Test;
    assert!(matches!(
        col.log_answers(&[test]),
        Err(CollectionError::Invalid(_))
    ));
    col.take_back(&ids).unwrap();
    assert_eq!(col.store().unwrap().review_count().unwrap(), 0);
}

#[test]
fn without_a_profile_operations_say_so_and_change_nothing() {
    let mut col = Collection::default();
    assert!(matches!(
        col.suspend(&keys(1), true, t0()),
        Err(CollectionError::NoProfile)
    ));
    assert!(col.connector().is_none());
    assert!(col.undo_label().is_none());
}

#[test]
fn opening_another_profile_empties_the_undo_stack() {
    let mut col = col();
    col.suspend(&keys(1), true, t0()).unwrap();
    let changes = col.open(
        Some(Store::open_in_memory("you").unwrap()),
        Settings::default(),
    );
    assert_eq!(changes, Changes::ALL);
    assert!(col.undo_label().is_none());
}

fn bits(w: [f32; 21]) -> [u32; 21] {
    w.map(f32::to_bits)
}

#[test]
fn parameters_used_twice_are_undone_one_after_the_other() {
    let mut col = col();
    let default = col.settings().fsrs_parameters;
    let mut a = default;
    a[0] = 0.5;
    let mut b = default;
    b[0] = 0.9;
    col.use_parameters(&a, false).unwrap();
    col.use_parameters(&b, false).unwrap();
    assert_eq!(bits(col.settings().fsrs_parameters), bits(b));
    assert_eq!(
        col.undo_label().as_deref(),
        Some("Undo Use new memory parameters")
    );
    col.undo(None, t0()).unwrap();
    assert_eq!(bits(col.settings().fsrs_parameters), bits(a));
    col.undo(None, t0()).unwrap();
    assert_eq!(bits(col.settings().fsrs_parameters), bits(default));
    let saved = col.store().unwrap().load_settings().unwrap();
    assert_eq!(bits(saved.fsrs_parameters), bits(default));
}
