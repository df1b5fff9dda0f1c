//! Issue 14's targets: optimizing 100,000 reviews in ≤ 2 s (fit and both evaluations), and one
//! simulated year for 10,000 cards in ≤ 0.5 s. Also the settings chart's whole job for a
//! 1,000-card profile (a year at each of 28 retentions and the optimal-retention search), which
//! runs off the UI thread behind a spinner. Inputs are generated in memory.

use std::hint::black_box;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use flashdrill_core::optimize::{self, OptimizeOptions, build_items, synthetic_history};
use flashdrill_core::schedule::{CardState, DEFAULT_PARAMETERS, State};
use flashdrill_core::settings::Settings;
use flashdrill_core::store::{CardProgress, CardRecord};

/// The allocator the app itself runs with (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const LEARNER: [f32; 21] = [
    0.1, 0.6, 1.2, 4.0, 7.0, 0.6, 2.0, 0.01, 1.4, 0.2, 1.1, 1.8, 0.1, 0.3, 1.2, 0.4, 2.2, 0.4, 0.1,
    0.1, 0.3,
];

fn optimize_100k(c: &mut Criterion) {
    // About 100,000 answers: grow the card count until the log is that long.
    let mut cards = 8_000;
    let history = loop {
        let h = synthetic_history(&LEARNER, cards, 365, 1).expect("valid parameters");
        if h.len() >= 100_000 {
            break h;
        }
        cards = cards * 100_000 / h.len() + 100;
    };
    let set = build_items(&history, None, &Utc, 4);
    eprintln!(
        "optimize: {} answers, {} cards, {} training items",
        history.len(),
        set.cards,
        set.reviews()
    );
    let never = AtomicBool::new(false);
    let mut group = c.benchmark_group("optimize");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("build_items_100k_reviews", |b| {
        b.iter(|| build_items(black_box(&history), None, &Utc, 4));
    });
    group.bench_function("optimize_100k_reviews", |b| {
        b.iter(|| {
            optimize::optimize(
                black_box(&set),
                &DEFAULT_PARAMETERS,
                OptimizeOptions::default(),
                |_| {},
                &never,
            )
            .expect("optimize")
        });
    });
    group.finish();
}

fn review_cards(now: chrono::DateTime<Utc>, count: u32) -> Vec<CardRecord> {
    (0..count)
        .map(|i| {
            let last = now - TimeDelta::days(i64::from(i % 30));
            let stability = 1.0 + (i % 200) as f32;
            CardRecord {
                deck_id: "d".to_owned(),
                card_id: format!("c{i}"),
                progress: CardProgress::from_state(CardState {
                    state: State::Review,
                    step: None,
                    stability: Some(stability),
                    difficulty: Some(1.0 + (i % 9) as f32),
                    due: last + TimeDelta::days(stability.round() as i64),
                    last_review: Some(last),
                    reps: 5,
                    lapses: i % 3,
                }),
            }
        })
        .collect()
}

fn simulate_year(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
    let history = synthetic_history(&LEARNER, 2_000, 365, 2).expect("valid parameters");
    let cards = review_cards(now, 10_000);
    let input = optimize::simulation_input(&history, &cards, &Settings::default(), 0, &now);
    assert_eq!(input.cards.len(), 10_000);
    let small = optimize::simulation_input(
        &history,
        &review_cards(now, 1_000),
        &Settings::default(),
        200,
        &now,
    );
    let mut group = c.benchmark_group("simulate");
    group.sample_size(10);
    group.bench_function("one_year_10k_cards", |b| {
        b.iter(|| optimize::workload_at(black_box(&input), 0.9).expect("simulate"));
    });
    let never = AtomicBool::new(false);
    group.bench_function("retention_curve_1k_cards", |b| {
        b.iter(|| {
            optimize::retention_curve(black_box(&small), 0.9, |_| {}, &never).expect("curve")
        });
    });
    group.finish();
}

criterion_group!(benches, optimize_100k, simulate_year);
criterion_main!(benches);
