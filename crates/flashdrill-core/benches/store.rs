//! Store performance: an answer committed (WAL on a temp file), building the due queue from
//! the store for 2,000 due cards and for 100,000 cards with 1,000,000 log rows, and rebuilding
//! every card by replaying 1,000,000 reviews, and the whole-file check and daily backup of that
//! database.

use std::cell::RefCell;
use std::hint::black_box;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{Criterion, Throughput};
use flashdrill_core::schedule::{
    CardState, QueueItem, QueueLimits, Rating, Scheduler, Today, build_queue, fuzz_seed,
};
use flashdrill_core::session::deck_queue;
use flashdrill_core::settings::Settings;
use flashdrill_core::store::export::{ExportedReview, PROGRESS_FORMAT, ProgressFile};
use flashdrill_core::store::{
    CardProgress, CardRecord, LeechPolicy, Mode, NewReview, Store, backup,
};
use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

/// The allocator the app itself runs with (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 0).unwrap()
}

fn rating(rng: &mut SmallRng) -> Rating {
    match rng.random_range(0..20) {
        0..2 => Rating::Again,
        2..4 => Rating::Hard,
        4..18 => Rating::Good,
        _ => Rating::Easy,
    }
}

/// A store on a temp file where `cards` cards of deck "d" have been answered `reviews` times
/// each, through an import (one transaction). Each card's history is a diligent learner's:
/// every answer on the day it was due, then the whole history shifted so that the card's
/// next due time falls between a day ago and the end of its current interval — about as many
/// cards are due today as in a real collection of that size.
fn fixture_store(dir: &std::path::Path, cards: usize, reviews: usize) -> Store {
    // Intervals of at most a year, so that ten answers reach back a decade at most (a review
    // time is after 1970); the import then replays them with the default settings.
    let mut config = Settings::default().scheduler_config();
    config.maximum_interval = 365;
    let scheduler = Scheduler::new(config).unwrap();
    // Seeded, so the inputs are the same on every run.
    let mut rng = SmallRng::seed_from_u64(0x9e37_79b9_7f4a_7c15);
    let mut list = Vec::with_capacity(cards * reviews);
    let origin = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap();
    for c in 0..cards {
        let card = format!("card-{c:06}");
        let mut state = CardState::new_card(origin);
        let mut history = Vec::with_capacity(reviews);
        let mut at = origin;
        for n in 0..reviews {
            // The last answer passes: a learner who studied up to date leaves no card in
            // relearning.
            let r = if n + 1 == reviews {
                Rating::Good
            } else {
                rating(&mut rng)
            };
            history.push((at, r));
            state = scheduler.review(&state, r, at, fuzz_seed("d", &card, state.reps));
            at = state.due + TimeDelta::minutes(rng.random_range(0..120));
        }
        let (last_review, _) = *history.last().unwrap();
        let interval = (state.due - last_review).num_minutes().max(1);
        let due =
            now() - TimeDelta::days(1) + TimeDelta::minutes(rng.random_range(0..interval + 1440));
        let shift = due - state.due;
        for (at, rating) in history {
            list.push(ExportedReview {
                id: 0,
                deck: "d".to_owned(),
                card: card.clone(),
                at: at + shift,
                rating,
                mode: Mode::Srs,
                answer: Some("an answer".to_owned()),
                correct: None,
                response_ms: 1000 + rng.random_range(0..9000),
            });
        }
    }
    list.sort_by_key(|r| r.at);
    let file = ProgressFile {
        format: PROGRESS_FORMAT.to_owned(),
        reviews: list,
        cards: Vec::new(),
    };
    let path = dir.join("bench.sqlite3");
    let mut store = Store::open(&path).unwrap();
    store.import_progress(&file, &Settings::default()).unwrap();
    store.checkpoint().unwrap();
    let started = std::time::Instant::now();
    drop(Store::open(&path).unwrap());
    eprintln!("opening it (with quick_check) took {:?}", started.elapsed());
    store
}

fn bench_answer<M: Measurement + 'static>(c: &mut Criterion<M>) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("answer.sqlite3")).unwrap();
    let settings = Settings::default();
    let scheduler = Scheduler::new(settings.scheduler_config()).unwrap();
    let leech = LeechPolicy::from_settings(&settings);
    let keys: Vec<String> = (0..500).map(|i| format!("card-{i}")).collect();
    let mut states: Vec<CardState> = keys.iter().map(|_| CardState::new_card(now())).collect();
    let mut rng = SmallRng::seed_from_u64(42);
    let mut at = now();
    let mut i = 0;
    c.bench_function("answer_committed (review + record_answer, WAL file)", |b| {
        b.iter(|| {
            i = (i + 1) % keys.len();
            at += TimeDelta::seconds(30);
            let before = states[i];
            let answer = rating(&mut rng);
            let after =
                scheduler.review(&before, answer, at, fuzz_seed("d", &keys[i], before.reps));
            let rec = store
                .record_answer(
                    &NewReview {
                        deck_id: "d",
                        card_id: &keys[i],
                        at,
                        rating: answer,
                        mode: Mode::Srs,
                        answer_given: Some("typed answer"),
                        correct: Some(true),
                        response_ms: 2100,
                        state_after: Some(after),
                    },
                    leech,
                )
                .unwrap();
            states[i] = rec.after.unwrap().card;
            black_box(rec.review_id)
        });
    });
}

/// The queue from already loaded states (what a session or home screen caches).
fn queue_from(records: &[CardRecord], settings: &Settings) -> usize {
    let items: Vec<QueueItem<usize>> = records
        .iter()
        .enumerate()
        .map(|(i, r)| QueueItem {
            key: i,
            state: r.progress.card,
            suspended: r.progress.suspended,
            buried_until: r.progress.buried_until,
            new_order: i as u32,
        })
        .collect();
    let today = Today::new(&now(), settings.day_starts_at);
    let limits = QueueLimits {
        new_per_day: settings.new_per_day,
        reviews_per_day: 100_000,
        ..QueueLimits::default()
    };
    build_queue(&items, &today, &limits).len()
}

fn bench_queue_2k<M: Measurement + 'static>(c: &mut Criterion<M>) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("q2k.sqlite3")).unwrap();
    // A deck of 2,000 cards, all due now (reviewed once, long ago).
    let settings = Settings::default();
    let scheduler = Scheduler::new(settings.scheduler_config()).unwrap();
    let mut ids = Vec::new();
    for i in 0..2000 {
        let id = format!("card-{i:05}");
        let first = now() - TimeDelta::days(60);
        let s = scheduler.review(&CardState::new_card(first), Rating::Easy, first, 0);
        store
            .restore_card("d", &id, Some(&CardProgress::from_state(s)))
            .unwrap();
        ids.push(id);
    }
    // As the app leaves it after a session: the write-ahead log copied into the database.
    store.checkpoint().unwrap();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let day_end = now() + TimeDelta::hours(19);
    let learn_until = now() + TimeDelta::minutes(20);
    let mut group = c.benchmark_group("due_queue_2k");
    // Every due card, the daily review limit lifted.
    let mut unlimited = settings.clone();
    unlimited.reviews_per_day = 99_999;
    group.bench_function("queue_cards (all 2,000) + counts_since", |b| {
        b.iter(|| {
            let due = store
                .queue_cards("d", now(), learn_until, day_end, 99_999)
                .unwrap();
            let counts = store.counts_since(now() - TimeDelta::hours(5)).unwrap();
            black_box((due.len(), counts.len()))
        });
    });
    let cached = store.due_cards(Some("d"), day_end).unwrap();
    assert_eq!(cached.len(), 2000);
    group.bench_function("build_queue from 2,000 cached states", |b| {
        b.iter(|| black_box(queue_from(&cached, &unlimited)));
    });
    group.bench_function("deck_queue, 2,000 due, no review limit", |b| {
        b.iter(|| {
            black_box(
                deck_queue(&store, "d", &id_refs, &unlimited, &now())
                    .unwrap()
                    .len(),
            )
        });
    });
    group.bench_function("deck_queue, 2,000 due, default limit 200", |b| {
        b.iter(|| {
            black_box(
                deck_queue(&store, "d", &id_refs, &settings, &now())
                    .unwrap()
                    .len(),
            )
        });
    });
    group.finish();
}

/// 100,000 cards when benchmarking; 1,000 when `cargo test --all-targets` runs the benches
/// once as tests (in a debug build, without `--bench`).
fn big_cards() -> usize {
    if std::env::args().any(|a| a == "--bench") {
        100_000
    } else {
        1_000
    }
}

fn bench_big<M: Measurement + 'static>(c: &mut Criterion<M>) {
    // Built on first use, so filtering to other benches skips the minute it takes.
    let fixture: RefCell<Option<(tempfile::TempDir, Store, Vec<String>)>> = RefCell::new(None);
    let with = |f: &mut dyn FnMut(&mut Store, &[String])| {
        let mut slot = fixture.borrow_mut();
        let (_, store, ids) = slot.get_or_insert_with(|| {
            let dir = tempfile::tempdir().unwrap();
            let started = std::time::Instant::now();
            let store = fixture_store(dir.path(), big_cards(), 10);
            let day_end = now() + TimeDelta::hours(19);
            eprintln!(
                "fixture: {} cards, {} log rows, imported in {:?}; {} cards due today",
                big_cards(),
                store.review_count().unwrap(),
                started.elapsed(),
                store.due_cards(Some("d"), day_end).unwrap().len()
            );
            let ids = (0..big_cards()).map(|c| format!("card-{c:06}")).collect();
            (dir, store, ids)
        });
        f(store, ids);
    };
    let settings = Settings::default();
    let day_end = now() + TimeDelta::hours(19);
    let learn_until = now() + TimeDelta::minutes(20);
    let mut group = c.benchmark_group("due_queue_100k_1m_log");
    group.sample_size(20);
    group.bench_function(
        "queue_cards (limit 200) + counts_since + build_queue",
        |b| {
            with(&mut |store, _| {
                b.iter(|| {
                    let due = store
                        .queue_cards("d", now(), learn_until, day_end, 200)
                        .unwrap();
                    let counts = store.counts_since(now() - TimeDelta::hours(5)).unwrap();
                    black_box((queue_from(&due, &settings), counts.len()))
                });
            });
        },
    );
    group.bench_function("deck_queue (default limits)", |b| {
        with(&mut |store, ids| {
            let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            b.iter(|| {
                black_box(
                    deck_queue(store, "d", &refs, &settings, &now())
                        .unwrap()
                        .len(),
                )
            });
        });
    });
    group.bench_function("card_states (all 100,000)", |b| {
        with(&mut |store, _| b.iter(|| black_box(store.card_states(None).unwrap().len())));
    });
    group.bench_function("build_queue from 100,000 cached states", |b| {
        with(&mut |store, _| {
            let all = store.card_states(None).unwrap();
            b.iter(|| black_box(queue_from(&all, &settings)));
        });
    });
    group.finish();

    // What `profiles::upkeep` does after the first frame: the whole-file check, then the day's
    // backup (a new one each time here).
    let mut group = c.benchmark_group("upkeep_1m");
    group.sample_size(10);
    group.bench_function("quick_check (1,000,000 reviews, 100,000 cards)", |b| {
        with(&mut |store, _| {
            let another = Store::open_another(store.path()).unwrap();
            b.iter(|| black_box(another.quick_check_unmapped().unwrap()));
        });
    });
    group.bench_function("daily_backup (1,000,000 reviews, 100,000 cards)", |b| {
        with(&mut |store, _| {
            let dir = tempfile::tempdir().unwrap();
            let mut day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
            b.iter(|| {
                day = day.succ_opt().unwrap();
                black_box(backup::daily_backup(store, dir.path(), day, 2).unwrap())
            });
        });
    });
    group.finish();

    let mut group = c.benchmark_group("replay_1m");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function(
        "rebuild_all (1,000,000 reviews, 100,000 cards, unchanged)",
        |b| {
            with(&mut |store, _| b.iter(|| black_box(store.rebuild_all(&settings).unwrap())));
        },
    );
    group.finish();
}

/// CPU time of the benchmarking thread (from `/proc/thread-self/schedstat`, Linux), for
/// numbers that do not depend on how many other processes share the machine. Select it with
/// `FLASHDRILL_BENCH_CPU=1 cargo bench --bench store`. Time spent waiting for the disk (an
/// fsync at a WAL checkpoint) is not CPU time and is left out. The kernel updates this counter
/// coarsely, so only benchmarks of a millisecond or more get a reading (criterion reports an
/// error for the others).
struct ThreadCpu;

fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

impl Measurement for ThreadCpu {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        thread_cpu_ns()
    }

    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }

    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }

    fn zero(&self) -> u64 {
        0
    }

    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuFormatter
    }
}

struct CpuFormatter;

impl ValueFormatter for CpuFormatter {
    fn scale_values(&self, typical_ns: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if typical_ns < 1e3 {
            (1.0, "ns cpu")
        } else if typical_ns < 1e6 {
            (1e-3, "µs cpu")
        } else if typical_ns < 1e9 {
            (1e-6, "ms cpu")
        } else {
            (1e-9, "s cpu")
        };
        for v in values {
            *v *= factor;
        }
        unit
    }

    fn scale_throughputs(&self, _: f64, _: &Throughput, values: &mut [f64]) -> &'static str {
        values.fill(0.0);
        "(no throughput)"
    }

    fn scale_for_machines(&self, _: &mut [f64]) -> &'static str {
        "ns cpu"
    }
}

fn run<M: Measurement + 'static>(mut c: Criterion<M>) {
    bench_answer(&mut c);
    bench_queue_2k(&mut c);
    bench_big(&mut c);
    c.final_summary();
}

fn main() {
    if std::env::var_os("FLASHDRILL_BENCH_CPU").is_some() {
        run(Criterion::default()
            .with_measurement(ThreadCpu)
            .configure_from_args());
    } else {
        run(Criterion::default().configure_from_args());
    }
}
