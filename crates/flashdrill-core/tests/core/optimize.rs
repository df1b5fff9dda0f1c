//! Issue 14: fitting FSRS parameters to a learner's reviews, applying and undoing them, and
//! the retention/workload simulation.

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::Utc;
use flashdrill_core::domain::ReviewRecord;
use flashdrill_core::optimize::{
    self, OptimizeError, OptimizeOptions, Outcome, Stage, build_items, record_history,
    synthetic_history,
};
use flashdrill_core::schedule::{CardState, DEFAULT_PARAMETERS, Scheduler, State};
use flashdrill_core::settings::Settings;
use flashdrill_core::store::Store;

/// A learner who forgets faster than average and finds new cards harder.
const LEARNER: [f32; 21] = [
    0.1, 0.6, 1.2, 4.0, 7.0, 0.6, 2.0, 0.01, 1.4, 0.2, 1.1, 1.8, 0.1, 0.3, 1.2, 0.4, 2.2, 0.4, 0.1,
    0.1, 0.3,
];

fn bits(w: &[f32; 21]) -> [u32; 21] {
    w.map(f32::to_bits)
}

fn never() -> AtomicBool {
    AtomicBool::new(false)
}

/// Records `history` through the scheduler with `settings`, as live study would.
fn seed_store(store: &mut Store, history: &[ReviewRecord], settings: &Settings) {
    record_history(store, history, settings).unwrap();
}

#[test]
fn optimizing_a_known_learner_beats_the_defaults() {
    let history = synthetic_history(&LEARNER, 600, 365, 7).unwrap();
    let set = build_items(&history, None, &Utc, 4);
    assert!(set.reviews() >= optimize::MIN_REVIEWS, "{}", set.reviews());
    let mut stages = Vec::new();
    let report = optimize::optimize(
        &set,
        &DEFAULT_PARAMETERS,
        OptimizeOptions::default(),
        |p| {
            assert!(p.done <= p.total || p.total == 0, "{p:?}");
            if stages.last() != Some(&p.stage) {
                stages.push(p.stage);
            }
        },
        &never(),
    )
    .unwrap();
    assert_eq!(report.outcome, Outcome::Kept, "{report:?}");
    let old = report.current_evaluation.unwrap();
    let new = report.fitted_evaluation.unwrap();
    assert!(new.log_loss < old.log_loss, "{new:?} vs {old:?}");
    assert!(new.rmse_bins < old.rmse_bins, "{new:?} vs {old:?}");
    let fitted = report.chosen();
    assert_ne!(bits(&fitted), bits(&DEFAULT_PARAMETERS));
    // The fitted learner forgets faster than the default one: lower initial stability (Good).
    assert!(fitted[2] < DEFAULT_PARAMETERS[2], "{fitted:?}");
    // And the fitted parameters are ones the settings accept.
    let mut settings = Settings::default();
    settings
        .set("fsrs_parameters", &optimize_text(&fitted))
        .unwrap();
    assert!(stages.contains(&Stage::Evaluating), "{stages:?}");
    // Scored by the true parameters, the fit comes close.
    let truth = optimize::evaluate(&set, &LEARNER, |_| {}, &never())
        .unwrap()
        .unwrap();
    assert!(
        new.log_loss < truth.log_loss * 1.05,
        "{new:?} vs truth {truth:?}"
    );
}

fn optimize_text(w: &[f32; 21]) -> String {
    flashdrill_core::settings::format_parameters(w)
}

#[test]
fn too_few_reviews_keep_the_current_parameters_and_say_why() {
    let history = synthetic_history(&LEARNER, 20, 60, 1).unwrap();
    let set = build_items(&history, None, &Utc, 4);
    assert!(set.reviews() < optimize::MIN_REVIEWS);
    let report = optimize::optimize(
        &set,
        &DEFAULT_PARAMETERS,
        OptimizeOptions::default(),
        |_| {},
        &never(),
    )
    .unwrap();
    assert_eq!(
        report.outcome,
        Outcome::TooFewReviews {
            found: set.reviews(),
            needed: 400
        }
    );
    assert_eq!(bits(&report.chosen()), bits(&DEFAULT_PARAMETERS));
    let text = report.outcome.explanation();
    assert!(text.contains("at least 400 reviews"), "{text}");
    assert!(
        text.contains(&format!("this profile has {}", set.reviews())),
        "{text}"
    );
}

#[test]
fn cancel_stops_the_fit_and_changes_nothing() {
    let history = synthetic_history(&LEARNER, 600, 365, 3).unwrap();
    let mut store = Store::open_in_memory("t").unwrap();
    seed_store(&mut store, &history, &Settings::default());
    let cards_before = store.card_states(None).unwrap();
    let settings_before = store.load_settings().unwrap();
    let set = build_items(&store.all_reviews().unwrap(), None, &Utc, 4);
    // Cancelled from the progress callback as soon as training reports.
    let cancel = AtomicBool::new(false);
    let result = optimize::optimize(
        &set,
        &settings_before.fsrs_parameters,
        OptimizeOptions::default(),
        |p| {
            if p.stage == Stage::Training {
                cancel.store(true, Ordering::Relaxed);
            }
        },
        &cancel,
    );
    assert_eq!(result.unwrap_err(), OptimizeError::Cancelled);
    // Cancelled before it starts.
    let result = optimize::optimize(
        &set,
        &DEFAULT_PARAMETERS,
        OptimizeOptions::default(),
        |_| {},
        &cancel,
    );
    assert_eq!(result.unwrap_err(), OptimizeError::Cancelled);
    assert_eq!(store.card_states(None).unwrap(), cards_before);
    assert_eq!(store.load_settings().unwrap(), settings_before);
    assert_eq!(store.previous_fsrs_parameters().unwrap(), None);
    // The simulation stops too.
    let input = optimize::simulation_input(
        &store.all_reviews().unwrap(),
        &cards_before,
        &settings_before,
        100,
        &Utc::now(),
    );
    let err = optimize::retention_curve(&input, 0.9, |_| {}, &cancel).unwrap_err();
    assert_eq!(err, OptimizeError::Cancelled);
}

#[test]
fn memory_states_are_rebuilt_and_undone() {
    let history = synthetic_history(&LEARNER, 60, 120, 5).unwrap();
    let mut store = Store::open_in_memory("t").unwrap();
    seed_store(&mut store, &history, &Settings::default());
    let before = store.card_states(None).unwrap();
    // Replaying with the parameters the answers were made with reproduces the stored states.
    let same = optimize::memory_updates(
        &store.all_reviews().unwrap(),
        &before,
        &Settings::default().scheduler_config(),
        false,
    )
    .unwrap();
    assert_eq!(same.len(), before.len());
    for (u, c) in same.iter().zip(&before) {
        assert_eq!(
            (u.deck_id.as_str(), u.card_id.as_str()),
            (c.deck_id.as_str(), c.card_id.as_str())
        );
        assert_eq!(
            Some(u.stability),
            c.progress.card.stability,
            "{}",
            c.card_id
        );
        assert_eq!(
            Some(u.difficulty),
            c.progress.card.difficulty,
            "{}",
            c.card_id
        );
    }

    // New parameters, due dates kept.
    let updated = optimize::apply(&mut store, &LEARNER, false).unwrap();
    assert_eq!(updated, before.len());
    assert_eq!(
        bits(&store.load_settings().unwrap().fsrs_parameters),
        bits(&LEARNER)
    );
    assert_eq!(
        store.previous_fsrs_parameters().unwrap(),
        Some(DEFAULT_PARAMETERS)
    );
    let after = store.card_states(None).unwrap();
    let learner_settings = Settings {
        fsrs_parameters: LEARNER,
        ..Settings::default()
    };
    let scheduler = Scheduler::new(learner_settings.scheduler_config()).unwrap();
    let mut changed = 0;
    for (a, b) in after.iter().zip(&before) {
        assert_eq!(a.progress.card.due, b.progress.card.due);
        assert_eq!(a.progress.card.state, b.progress.card.state);
        assert_eq!(a.progress.card.reps, b.progress.card.reps);
        changed += usize::from(a.progress.card.stability != b.progress.card.stability);
        // Each card's memory equals a fresh replay of its answers under the new parameters.
        let answers: Vec<_> = store
            .card_history(&a.deck_id, &a.card_id)
            .unwrap()
            .iter()
            .map(|r| (r.rating, r.at))
            .collect();
        let replayed = scheduler.replay(CardState::new_card(answers[0].1), &answers, |_| 0);
        assert_eq!(a.progress.card.stability, replayed.stability);
        assert_eq!(a.progress.card.difficulty, replayed.difficulty);
    }
    assert_eq!(changed, before.len());

    // Undo: the defaults and the old memory states are back.
    assert_eq!(
        optimize::undo(&mut store).unwrap(),
        Some(DEFAULT_PARAMETERS)
    );
    assert_eq!(
        bits(&store.load_settings().unwrap().fsrs_parameters),
        bits(&DEFAULT_PARAMETERS)
    );
    assert_eq!(store.card_states(None).unwrap(), before);

    // Rescheduling moves review cards' due dates to the new intervals.
    optimize::apply(&mut store, &LEARNER, true).unwrap();
    let rescheduled = store.card_states(None).unwrap();
    let moved = rescheduled
        .iter()
        .zip(&before)
        .filter(|(a, b)| a.progress.card.due != b.progress.card.due)
        .count();
    assert!(moved > 0);
    for (a, b) in rescheduled.iter().zip(&before) {
        if b.progress.card.state == State::Review {
            let last = a.progress.card.last_review.unwrap();
            let days = (a.progress.card.due - last).num_days();
            let s = a.progress.card.stability.unwrap();
            let ideal = i64::from(scheduler.interval_days(s));
            assert!((days - ideal).abs() <= ideal / 10 + 2, "{days} vs {ideal}");
        } else {
            assert_eq!(a.progress.card.due, b.progress.card.due);
        }
    }
}

#[test]
fn the_retention_curve_costs_more_for_higher_retention() {
    let history = synthetic_history(&LEARNER, 200, 200, 9).unwrap();
    let mut store = Store::open_in_memory("t").unwrap();
    seed_store(&mut store, &history, &Settings::default());
    let cards = store.card_states(None).unwrap();
    let settings = store.load_settings().unwrap();
    let input = optimize::simulation_input(
        &store.all_reviews().unwrap(),
        &cards,
        &settings,
        300,
        &Utc::now(),
    );
    assert!(!input.cards.is_empty());
    let mut calls = 0;
    let curve = optimize::retention_curve(&input, 0.9, |_| calls += 1, &never()).unwrap();
    assert!(calls >= curve.points.len());
    assert_eq!(curve.points.len(), 28);
    assert!((curve.points[0].desired_retention - 0.70).abs() < 1e-6);
    assert!((curve.points[27].desired_retention - 0.97).abs() < 1e-6);
    let low = curve.nearest(0.75).unwrap();
    let high = curve.nearest(0.97).unwrap();
    assert!(
        high.reviews_per_day > low.reviews_per_day,
        "{low:?} {high:?}"
    );
    assert!(
        high.minutes_per_day > low.minutes_per_day,
        "{low:?} {high:?}"
    );
    assert!(
        high.cards_known > 0.0 && high.cards_known <= 500.0,
        "{high:?}"
    );
    let min = curve.minimum_recommended.unwrap();
    assert!((0.7..=0.95).contains(&min), "{min}");
    let point = optimize::workload_at(&input, 0.9).unwrap();
    assert_eq!(Some(&point), curve.nearest(0.9));
}
