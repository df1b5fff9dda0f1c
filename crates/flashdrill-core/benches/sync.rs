//! Sync through a shared folder: the first sync of a profile with 1,000,000 reviews (100,000
//! cards × 10), on the computer that has them (every card rebuilt, the whole log written out
//! in segments) and on a new computer that reads them all; then a sync that brings 100 new
//! reviews to a computer that already has the million. Time and peak memory (VmHWM growth) of
//! each first sync run once are printed; the receiving side's in a process of its own, which
//! has done nothing before.
//!
//! `cargo bench -p flashdrill-core --bench sync`. Under `cargo test --all-targets` the benches
//! run once on 1,000 cards.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use criterion::{BatchSize, Criterion};
use flashdrill_core::schedule::{CardState, Rating, Scheduler, fuzz_seed};
use flashdrill_core::settings::Settings;
use flashdrill_core::store::export::{ExportedReview, PROGRESS_FORMAT, ProgressFile};
use flashdrill_core::store::{Mode, Store};
use flashdrill_core::sync::{SyncOptions, sync};
use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

/// The allocator the app itself runs with (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap()
}

fn cards() -> usize {
    if std::env::args().any(|a| a == "--bench") {
        100_000
    } else {
        1_000
    }
}

/// Progress of `cards` cards answered 10 times each, ending around now.
fn history(cards: usize) -> ProgressFile {
    let mut config = Settings::default().scheduler_config();
    config.maximum_interval = 365;
    let scheduler = Scheduler::new(config).unwrap();
    let mut rng = SmallRng::seed_from_u64(0x5eed_0000_0000_0023);
    let mut reviews = Vec::with_capacity(cards * 10);
    let origin = Utc.with_ymd_and_hms(2010, 1, 1, 0, 0, 0).unwrap();
    for c in 0..cards {
        let card = format!("card-{c:06}");
        let mut state = CardState::new_card(origin);
        let mut at = origin;
        let mut list = Vec::with_capacity(10);
        for n in 0..10 {
            let r = match rng.random_range(0..20) {
                _ if n == 9 => Rating::Good,
                0..2 => Rating::Again,
                2..4 => Rating::Hard,
                4..18 => Rating::Good,
                _ => Rating::Easy,
            };
            list.push((at, r));
            state = scheduler.review(&state, r, at, fuzz_seed("d", &card, state.reps));
            at = state.due + TimeDelta::minutes(rng.random_range(0..120));
        }
        let shift = now() - TimeDelta::days(rng.random_range(1..30)) - list[9].0;
        for (at, rating) in list {
            reviews.push(review(&card, at + shift, rating));
        }
    }
    reviews.sort_by_key(|r| r.at);
    ProgressFile {
        format: PROGRESS_FORMAT.to_owned(),
        reviews,
        cards: Vec::new(),
    }
}

fn review(card: &str, at: DateTime<Utc>, rating: Rating) -> ExportedReview {
    ExportedReview {
        id: 0,
        deck: "d".to_owned(),
        card: card.to_owned(),
        at,
        rating,
        mode: Mode::Srs,
        answer: Some("an answer".to_owned()),
        correct: None,
        response_ms: 2500,
    }
}

fn options(folder: &Path, name: &str) -> SyncOptions {
    SyncOptions {
        folder: folder.to_path_buf(),
        deck_dir: None,
        device_name: name.to_owned(),
        profile_dir: Some("bench".to_owned()),
        known_decks: None,
        profile_name: None,
    }
}

/// The process's peak resident memory (kB), and a reset of it.
fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn bench(c: &mut Criterion) {
    let work = tempfile::tempdir().unwrap();
    let fixture = work.path().join("fixture.sqlite3");
    let started = Instant::now();
    {
        let mut store = Store::open(&fixture).unwrap();
        store
            .import_progress(&history(cards()), &Settings::default())
            .unwrap();
        store.checkpoint().unwrap();
        eprintln!(
            "fixture: {} reviews in {:?}",
            store.review_count().unwrap(),
            started.elapsed()
        );
    }
    let copy = |name: &str| {
        let path = work.path().join(name);
        let _ = std::fs::remove_file(path.with_extension("sqlite3-wal"));
        let _ = std::fs::remove_file(path.with_extension("sqlite3-shm"));
        std::fs::copy(&fixture, &path).unwrap();
        Store::open_another(&path).unwrap()
    };

    // Once, for the record: memory and time of each side's first sync.
    let shared = tempfile::tempdir().unwrap();
    let mut home = copy("home.sqlite3");
    reset_peak();
    let before = peak_kb();
    let t = Instant::now();
    let out = sync(&mut home, &options(shared.path(), "home")).unwrap();
    eprintln!(
        "first sync, sending: {} reviews out, {} cards rebuilt, {:?}, peak memory +{} MB",
        out.reviews_out,
        out.cards_rebuilt,
        t.elapsed(),
        peak_kb().saturating_sub(before) / 1024
    );
    // The receiving side's memory in a process of its own, which has done nothing else (this
    // one's freed memory from building the fixture would blur its growth).
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .env(RECEIVE_ONLY, shared.path())
        .env("SYNC_BENCH_STORE", work.path().join("alone.sqlite3"))
        .status()
        .unwrap();
    assert!(child.success(), "the receiving process failed");
    let mut school = Store::open(&work.path().join("school.sqlite3")).unwrap();
    sync(&mut school, &options(shared.path(), "school")).unwrap();

    let mut group = c.benchmark_group("sync");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("first sync of 1M reviews, sending", |b| {
        b.iter_batched(
            || (copy("send.sqlite3"), tempfile::tempdir().unwrap()),
            |(mut store, folder)| {
                black_box(sync(&mut store, &options(folder.path(), "home")).unwrap());
                (store, folder)
            },
            BatchSize::PerIteration,
        );
    });
    group.bench_function("first sync of 1M reviews, receiving", |b| {
        b.iter_batched(
            || {
                let path = work.path().join("receive.sqlite3");
                for ext in ["sqlite3", "sqlite3-wal", "sqlite3-shm"] {
                    let _ = std::fs::remove_file(path.with_extension(ext));
                }
                Store::open(&path).unwrap()
            },
            |mut store| {
                black_box(sync(&mut store, &options(shared.path(), "receiver")).unwrap());
                store
            },
            BatchSize::PerIteration,
        );
    });
    // Home answers 100 cards and syncs (not timed); school syncs them in (timed).
    let mut round = 0;
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("sync bringing 100 new reviews", |b| {
        b.iter_batched(
            || {
                round += 1;
                let at = now() + TimeDelta::hours(round);
                let reviews = (0..100)
                    .map(|i| {
                        review(
                            &format!("new-{round}-{i}"),
                            at + TimeDelta::seconds(i),
                            Rating::Good,
                        )
                    })
                    .collect();
                let file = ProgressFile {
                    format: PROGRESS_FORMAT.to_owned(),
                    reviews,
                    cards: Vec::new(),
                };
                home.import_progress(&file, &Settings::default()).unwrap();
                let out = sync(&mut home, &options(shared.path(), "home")).unwrap();
                assert_eq!(out.reviews_out, 100);
            },
            |()| {
                let got = sync(&mut school, &options(shared.path(), "school")).unwrap();
                assert_eq!(got.reviews_in(), 100);
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

/// Set to the shared folder: the process only receives a first sync there into a new store
/// (at `SYNC_BENCH_STORE`) and prints its time and memory.
const RECEIVE_ONLY: &str = "SYNC_BENCH_RECEIVE_ONLY";

/// A new store's first sync from `folder`, opened as the app's background connection opens
/// it: reading through a small page cache rather than memory mapping, so that the file's
/// pages do not count as the process's memory. Peak growth over the open store.
fn receive_alone(folder: &Path, store: &Path) {
    let mut school = Store::open(store).unwrap();
    school.read_through_page_cache().unwrap();
    reset_peak();
    let before = peak_kb();
    let t = Instant::now();
    let got = sync(&mut school, &options(folder, "school")).unwrap();
    eprintln!(
        "first sync, receiving: {} reviews in, {:?}, peak memory +{} MB (process: {} MB before)",
        got.reviews_in(),
        t.elapsed(),
        peak_kb().saturating_sub(before) / 1024,
        before / 1024
    );
}

fn main() {
    if let (Some(folder), Some(store)) = (
        std::env::var_os(RECEIVE_ONLY),
        std::env::var_os("SYNC_BENCH_STORE"),
    ) {
        receive_alone(Path::new(&folder), Path::new(&store));
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
