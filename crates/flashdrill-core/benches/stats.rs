//! Statistics performance: 100,000 cards and 1,000,000 reviews, generated in memory (no SQLite
//! in the timed part). Target: under 100 ms for the whole `Stats`.

use std::hint::black_box;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, TimeDelta, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use flashdrill_core::deck::{Card, Deck, FORMAT_V1, Library, LoadedDeck, Origin, Source};
use flashdrill_core::schedule::{CardState, Rating, Scheduler, SchedulerConfig, State};
use flashdrill_core::stats::{Filter, compute};
use flashdrill_core::store::{CardProgress, CardRecord, Mode, ReviewRecord};
use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

/// The allocator the app itself runs with (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DECKS: usize = 10;
const CARDS_PER_DECK: usize = 10_000;
const REVIEWS: usize = 1_000_000;
const CATEGORIES: [&str; 6] = ["date", "actor", "term", "place", "number", "quote"];

fn now_local() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(3600)
        .unwrap()
        .with_ymd_and_hms(2025, 6, 1, 10, 0, 0)
        .unwrap()
}

fn now() -> DateTime<Utc> {
    now_local().with_timezone(&Utc)
}

fn library() -> Library {
    let decks = (0..DECKS)
        .map(|d| LoadedDeck {
            deck: Deck {
                format: FORMAT_V1.to_owned(),
                id: format!("deck-{d}"),
                title: format!("Deck {d}"),
                description: None,
                source: Source {
                    title: "Article".to_owned(),
                    author: "Author".to_owned(),
                    url: None,
                },
                cards: (0..CARDS_PER_DECK)
                    .map(|c| {
                        Card::new(
                            format!("card-{c}"),
                            CATEGORIES[c % CATEGORIES.len()],
                            format!("Question {c}?"),
                            format!("Answer {c}"),
                            "Source.",
                        )
                    })
                    .collect(),
            },
            origin: Origin::Bundled,
        })
        .collect();
    Library {
        decks,
        failures: Vec::new(),
    }
}

/// 90 % of the cards have a stored state: mostly Review (stability 1–100 days, due from 30 days
/// ago to 60 ahead), some Learning, 2 % suspended.
fn cards(rng: &mut SmallRng) -> Vec<CardRecord> {
    let mut out = Vec::new();
    for d in 0..DECKS {
        for c in 0..CARDS_PER_DECK {
            if rng.random_range(0..10) == 0 {
                continue;
            }
            let learning = rng.random_range(0..10) == 0;
            let stability = 1.0 + f32::from(rng.random_range(0..100_u8));
            let last = now() - TimeDelta::hours(rng.random_range(0..24 * 60));
            let due = now() + TimeDelta::hours(rng.random_range(-24 * 30..24 * 60));
            let mut progress = CardProgress::from_state(CardState {
                state: if learning {
                    State::Learning
                } else {
                    State::Review
                },
                step: learning.then_some(0),
                stability: Some(stability),
                difficulty: Some(5.0),
                due,
                last_review: Some(last),
                reps: 5,
                lapses: 1,
            });
            progress.suspended = rng.random_range(0..50) == 0;
            out.push(CardRecord {
                deck_id: format!("deck-{d}"),
                card_id: format!("card-{c}"),
                progress,
            });
        }
    }
    out
}

/// 1,000,000 answers over the last two years, in time order (as the store returns them):
/// 90 % srs (most to review cards), 10 % practice or drill.
fn reviews(rng: &mut SmallRng) -> Vec<ReviewRecord> {
    let span_ms = 730 * 86_400_000_i64;
    let start = now() - TimeDelta::milliseconds(span_ms);
    let step = span_ms / REVIEWS as i64;
    let before = CardProgress::from_state(CardState {
        state: State::Review,
        step: None,
        stability: Some(10.0),
        difficulty: Some(5.0),
        due: start,
        last_review: Some(start),
        reps: 3,
        lapses: 0,
    });
    (0..REVIEWS)
        .map(|i| {
            let at = start + TimeDelta::milliseconds(step * i as i64);
            let mode = match rng.random_range(0..20) {
                0 => Mode::Practice,
                1 => Mode::Drill,
                _ => Mode::Srs,
            };
            let rating = Rating::ALL[rng.random_range(0..Rating::ALL.len())];
            let srs = mode == Mode::Srs;
            ReviewRecord {
                id: i as i64 + 1,
                deck_id: format!("deck-{}", rng.random_range(0..DECKS)),
                card_id: format!("card-{}", rng.random_range(0..CARDS_PER_DECK)),
                at,
                rating,
                mode,
                answer_given: None,
                correct: None,
                response_ms: 2_000 + rng.random_range(0..10_000),
                state_before: (srs && rng.random_range(0..5) != 0).then_some(before.card),
                state_after: srs.then_some(before.card),
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    // Seeded, so the inputs are the same on every run.
    let mut rng = SmallRng::seed_from_u64(0x2545_f491_4f6c_dd1d);
    let library = library();
    let cards = cards(&mut rng);
    let reviews = reviews(&mut rng);
    let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
    let now_local = now_local();

    let mut group = c.benchmark_group("stats");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("compute 100k cards 1M reviews", |b| {
        b.iter(|| {
            black_box(compute(
                black_box(&reviews),
                &cards,
                &library,
                &scheduler,
                4,
                Filter::all(),
                &now_local,
            ))
        });
    });
    group.bench_function("compute one deck of 10 (1M reviews scanned)", |b| {
        b.iter(|| {
            black_box(compute(
                black_box(&reviews),
                &cards,
                &library,
                &scheduler,
                4,
                Filter::deck("deck-3"),
                &now_local,
            ))
        });
    });
    let no_library = Library::default();
    group.bench_function("review pass alone (1M reviews, no cards)", |b| {
        b.iter(|| {
            black_box(compute(
                black_box(&reviews),
                &[],
                &no_library,
                &scheduler,
                4,
                Filter::all(),
                &now_local,
            ))
        });
    });
    group.bench_function("cards alone (100k cards, no reviews)", |b| {
        b.iter(|| {
            black_box(compute(
                black_box(&[]),
                &cards,
                &library,
                &scheduler,
                4,
                Filter::all(),
                &now_local,
            ))
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
