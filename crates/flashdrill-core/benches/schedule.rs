//! Scheduling performance: queue building at 2,000 and 100,000 cards, and replaying
//! 1,000,000 reviews (progress import).

use std::hint::black_box;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use flashdrill_core::schedule::{
    CardState, QueueItem, QueueLimits, Rating, Scheduler, SchedulerConfig, State, Today,
    build_queue, due_counts, fuzz_seed,
};
use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

/// The allocator the app itself runs with (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 0).unwrap()
}

/// `n` cards: 10 % new, 5 % learning, 85 % review with due dates from 30 days ago to 300 days
/// ahead (about 10 % due), 2 % suspended. `all_due` makes every card due now.
fn cards(n: usize, all_due: bool) -> Vec<QueueItem<(u32, u32)>> {
    // Seeded, so the inputs are the same on every run.
    let mut rng = SmallRng::seed_from_u64(0x2545_f491_4f6c_dd1d);
    (0..n)
        .map(|i| {
            let roll = rng.random_range(0..100);
            let state = match roll {
                0..10 => State::New,
                10..15 => State::Learning,
                _ => State::Review,
            };
            let due = if all_due {
                now() - TimeDelta::minutes(rng.random_range(0..60 * 24 * 30))
            } else {
                now() + TimeDelta::minutes(rng.random_range(-60 * 24 * 30..60 * 24 * 300))
            };
            let mut card = CardState::new_card(due);
            card.state = state;
            QueueItem {
                key: (i as u32 / 1000, i as u32),
                state: card,
                suspended: rng.random_range(0..50) == 0,
                buried_until: None,
                new_order: i as u32,
            }
        })
        .collect()
}

fn queue(c: &mut Criterion) {
    let today = Today {
        now: now(),
        day_end: now() + TimeDelta::hours(19),
        new_studied: 0,
        reviews_studied: 0,
    };
    let limits = QueueLimits::default();
    let due_2k = cards(2_000, true);
    let all_100k = cards(100_000, false);
    let mut g = c.benchmark_group("queue");
    g.bench_function("build_2k_due", |b| {
        b.iter(|| build_queue(black_box(&due_2k), &today, &limits).len());
    });
    g.bench_function("build_100k", |b| {
        b.iter(|| build_queue(black_box(&all_100k), &today, &limits).len());
    });
    g.bench_function("due_counts_100k", |b| {
        b.iter(|| due_counts(black_box(&all_100k), &today, &limits));
    });
    g.finish();
}

/// 50,000 cards × 20 reviews, gaps from minutes to two months.
fn histories() -> Vec<Vec<(Rating, DateTime<Utc>)>> {
    let mut rng = SmallRng::seed_from_u64(0x9e37_79b9_7f4a_7c15);
    (0..50_000)
        .map(|_| {
            let mut t = now() - TimeDelta::days(3 * 365);
            (0..20)
                .map(|_| {
                    t += TimeDelta::minutes(rng.random_range(1..=60 * 24 * 60));
                    let r = match rng.random_range(0..100) {
                        0..12 => Rating::Again,
                        12..25 => Rating::Hard,
                        25..88 => Rating::Good,
                        _ => Rating::Easy,
                    };
                    (r, t)
                })
                .collect()
        })
        .collect()
}

fn replay(c: &mut Criterion) {
    let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
    let all = histories();
    let mut g = c.benchmark_group("replay");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(35));
    g.bench_function("1m_reviews_50k_cards", |b| {
        b.iter(|| {
            let mut lapses = 0u64;
            for (i, h) in all.iter().enumerate() {
                let id = i.to_string();
                let card = scheduler.replay(CardState::new_card(h[0].1), h, |c| {
                    fuzz_seed("deck", &id, c.reps)
                });
                lapses += u64::from(card.lapses);
            }
            lapses
        });
    });
    let card = scheduler.replay(CardState::new_card(all[0][0].1), &all[0], |_| 0);
    g.bench_function("preview_one_card", |b| {
        b.iter(|| scheduler.preview(black_box(&card), now(), 42));
    });
    g.finish();
}

criterion_group!(benches, queue, replay);
criterion_main!(benches);
