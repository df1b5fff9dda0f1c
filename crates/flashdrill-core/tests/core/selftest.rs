//! Self-tests on a bundled deck: drawn across categories without siblings, marked, saved in
//! one operation as `test` reviews that leave every schedule alone, and compared with the
//! model's predictions.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use flashdrill_core::collection::Collection;
use flashdrill_core::deck::{self, Deck};
use flashdrill_core::schedule::{CardState, Rating, Scheduler};
use flashdrill_core::selftest::{self, SelfTest, SelfTestError};
use flashdrill_core::settings::Settings;
use flashdrill_core::store::{Mode, NewReview, Store};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 3, 8, 0, 0).unwrap()
}

fn dates_deck() -> Deck {
    deck::load_library(&[], true)
        .decks
        .into_iter()
        .map(|d| d.deck)
        .find(|d| d.id == "pm-dates")
        .expect("the bundled dates deck")
}

/// Every card of `deck` answered Good once at `t0` (a scheduled srs answer each).
fn study_all(store: &mut Store, deck: &Deck) {
    let scheduler = Scheduler::new(Settings::default().scheduler_config()).unwrap();
    let leech = flashdrill_core::store::LeechPolicy::from_settings(&Settings::default());
    for card in &deck.cards {
        let after = *scheduler
            .preview(&CardState::new_card(t0()), t0(), 0)
            .get(Rating::Good);
        store
            .record_answer(
                &NewReview {
                    deck_id: &deck.id,
                    card_id: &card.id,
                    at: t0(),
                    rating: Rating::Good,
                    mode: Mode::Srs,
                    answer_given: None,
                    correct: None,
                    response_ms: 1000,
                    state_after: Some(after),
                },
                leech,
            )
            .unwrap();
    }
}

#[test]
fn a_bundled_deck_gives_sibling_free_tests_across_its_categories() {
    let deck = dates_deck();
    let most = selftest::max_questions(&deck);
    // 18 cards on 9 facts (siblings, and cards quoting one sentence, are one fact).
    assert!(most >= 8 && most < deck.cards.len(), "{most}");
    for seed in 0..50 {
        let qs = selftest::draw(&deck, most, seed).unwrap();
        let facts: HashSet<String> = qs.iter().filter_map(|q| q.card.sibling_key()).collect();
        assert_eq!(facts.len(), most, "seed {seed}: one question per fact");
        let sentences: HashSet<&str> = qs.iter().map(|q| q.card.source.as_str()).collect();
        assert_eq!(
            sentences.len(),
            most,
            "seed {seed}: one question per sentence"
        );
        for q in &qs {
            assert!(q.mark(q.right_answer()), "seed {seed}: {}", q.card.id);
        }
    }
    assert!(matches!(
        selftest::draw(&deck, most + 1, 1),
        Err(SelfTestError::Count { asked, .. }) if asked == most + 1
    ));
}

#[test]
fn a_finished_test_is_saved_in_one_operation_and_leaves_schedules_alone() {
    let deck = dates_deck();
    let mut store = Store::open_in_memory("me").unwrap();
    study_all(&mut store, &deck);
    let mut col = Collection::new(store, Settings::default());
    let before = col.store().unwrap().card_states(None).unwrap();
    let log_before = col.store().unwrap().review_count().unwrap();

    let at = t0() + TimeDelta::days(3);
    let mut test = SelfTest::new(&deck, 8, 42, at).unwrap();
    let mut k = 0;
    while let Some(q) = test.current_question() {
        let given = if k % 2 == 0 {
            q.right_answer().to_owned()
        } else {
            "no idea".to_owned()
        };
        test.answer(&given, at + TimeDelta::seconds(k), Duration::from_secs(4));
        k += 1;
    }
    assert!(test.is_complete());
    let out = col
        .finish_self_test(&test, at + TimeDelta::minutes(5))
        .unwrap();
    let (result, id) = out.output;
    assert_eq!(result.right(), 4);
    assert_eq!(result.missed().count(), 4);
    let (predicted, with) = result.predicted().unwrap();
    assert_eq!(with, 8, "every card was studied");
    assert!(predicted > 0.5 && predicted < 1.0, "{predicted}");

    let store = col.store().unwrap();
    assert_eq!(
        store.card_states(None).unwrap(),
        before,
        "no schedule moved"
    );
    assert_eq!(store.review_count().unwrap(), log_before + 8);
    let tests = store.self_tests(Some("pm-dates")).unwrap();
    assert_eq!(tests.len(), 1);
    assert_eq!(
        (tests[0].id, tests[0].questions, tests[0].right),
        (id, 8, 4)
    );
    assert!((tests[0].predicted.unwrap() - predicted).abs() < 1e-6);
    let tests_log: Vec<_> = store
        .all_reviews()
        .unwrap()
        .into_iter()
        .filter(|r| r.mode == Mode::Test)
        .collect();
    assert_eq!(tests_log.len(), 8);
    assert_eq!(tests_log.iter().filter(|r| r.is_right()).count(), 4);

    let cal = selftest::calibration(store, "pm-dates").unwrap().unwrap();
    assert_eq!((cal.tests, cal.questions), (1, 8));
    assert!((cal.actual - 0.5).abs() < 1e-9);
    assert!(cal.difference() < 0.0, "the model expected more");
    let per_category: usize = cal.by_category.values().map(|r| r.questions).sum();
    assert_eq!(per_category, 8);
    assert_eq!(selftest::calibration(store, "pm-terms").unwrap(), None);

    // The statistics' activity counts leave test answers out.
    let stats = flashdrill_core::stats::load(
        store,
        &deck::load_library(&[], true),
        flashdrill_core::stats::Filter::all(),
        &(at + TimeDelta::minutes(6)),
    )
    .unwrap();
    assert_eq!(stats.total_reviews, log_before);
}

#[test]
fn an_exams_readiness_takes_in_the_decks_self_tests() {
    let deck = dates_deck();
    let mut store = Store::open_in_memory("me").unwrap();
    study_all(&mut store, &deck);
    let mut col = Collection::new(store, Settings::default());
    col.set_library(deck::load_library(&[], true));
    let now = Utc::now();
    let today = chrono::Local::now().date_naive();
    let date = (today + TimeDelta::days(30)).format("%Y-%m-%d").to_string();
    let exam = flashdrill_core::plan::Exam::new("pm-dates", &date, 0.9, today, now).unwrap();
    col.set_exam(exam, now).unwrap();
    let before = col.readiness(Some("pm-dates"), now, false);
    assert_eq!(before[0].tests, None, "no self-test yet");

    // Every question missed.
    let mut test = SelfTest::new(&deck, 8, 7, now).unwrap();
    while test.current_question().is_some() {
        test.answer("no idea", now, Duration::from_secs(3));
    }
    col.finish_self_test(&test, now).unwrap();
    let after = col.readiness(Some("pm-dates"), now, false);
    let check = after[0].tests.expect("the self-test is counted");
    assert_eq!((check.tests, check.questions), (1, 8));
    assert!(check.actual < 1e-9 && check.shift < 0.0, "{check:?}");
    let note = after[0].test_note().unwrap();
    assert!(
        note.starts_with("Your self-test: 0 % right where the model predicted"),
        "{note}"
    );
}
