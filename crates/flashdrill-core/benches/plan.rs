//! Exam dates and load balancing, measured.
//!
//! 1. A simulated history of 3,000 cards and about 40,000 reviews over 120 days (25 new cards a
//!    day, every due card answered, Again one time in ten), answered through the scheduler with
//!    load balancing off, on, and on with easy days `sun=0`: the next 30 days' busiest day
//!    against their mean, and Sundays' share.
//! 2. An exam 21 days after that history, in the `fsrs` crate's simulator: exam mode (the
//!    profile's retention 0.90; an interval that would cross the exam ends when recall falls to
//!    the 0.95 target) against raising desired retention to 0.95 for the whole time — reviews
//!    spent until the exam and cards ready on the day.
//! 3. Setting an exam on a deck of 100,000 review cards (timed by criterion).
//!
//! The tables print before criterion's timings.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use flashdrill_core::collection::Collection;
use flashdrill_core::deck::{Card, Deck, FORMAT_V1, Library, LoadedDeck, Origin, Source};
use flashdrill_core::domain::CardProgress;
use flashdrill_core::plan::Exam;
use flashdrill_core::schedule::{
    Balance, CardState, DueLoad, EasyDays, Placement, Rating, Scheduler, SchedulerConfig, State,
    StudyDays, fuzz_seed,
};
use flashdrill_core::settings::Settings;
use flashdrill_core::store::Store;
use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn start() -> DateTime<Utc> {
    // A Monday evening.
    Utc.with_ymd_and_hms(2026, 6, 1, 18, 0, 0).unwrap()
}

/// Cards due per day, kept as answers move them.
#[derive(Default)]
struct Load(RefCell<HashMap<i64, u32>>);

impl DueLoad for Load {
    fn due_on(&self, first: i64, last: i64) -> Vec<u32> {
        let map = self.0.borrow();
        (first..=last)
            .map(|d| map.get(&d).copied().unwrap_or(0))
            .collect()
    }
}

impl Load {
    fn add(&self, day: i64, n: i32) {
        let mut map = self.0.borrow_mut();
        let slot = map.entry(day).or_default();
        *slot = slot.saturating_add_signed(n);
    }
}

const CARDS: usize = 3_000;
const DAYS: i64 = 120;
/// The days after the history that are measured: the learner keeps their habit.
const NEXT: i64 = 30;

/// The history, answered with `balance`: 25 new cards a day, every due card answered each
/// evening. Returns the cards after `DAYS` days, the reviews in them, and the review cards
/// answered on each of the `NEXT` days after (the learner keeping their habit).
fn history(balance: Balance, retention: f32) -> (Vec<CardState>, usize, Vec<(i64, u32)>) {
    let scheduler = Scheduler::new(SchedulerConfig {
        desired_retention: retention,
        ..SchedulerConfig::default()
    })
    .unwrap();
    let days = balance.days;
    let load = Load::default();
    let mut rng = SmallRng::seed_from_u64(7);
    let per_day = CARDS / DAYS as usize;
    let mut cards: Vec<Option<CardState>> = vec![None; per_day * (DAYS + NEXT) as usize];
    let mut reviews = 0;
    let mut at_end = Vec::new();
    let mut next = Vec::new();
    for day in 0..DAYS + NEXT {
        if day == DAYS {
            at_end = cards.iter().flatten().copied().collect();
        }
        let mut answered = 0;
        let evening = start() + TimeDelta::days(day);
        let end = days.start_of(days.day_of(evening) + 1);
        for (i, slot) in cards.iter_mut().enumerate() {
            let new = slot.is_none() && i < (day as usize + 1) * per_day;
            let mut card = match slot {
                Some(c) if c.due < end => *c,
                None if new => CardState::new_card(evening),
                _ => continue,
            };
            let mut at = evening.max(card.due.min(evening));
            loop {
                // A learner who forgets often: about 40,000 answers in 120 days.
                let rating = match rng.random_range(0..100) {
                    0..15 => Rating::Again,
                    15..20 => Rating::Hard,
                    _ => Rating::Good,
                };
                if card.state == State::Review {
                    load.add(days.day_of(card.due), -1);
                    answered += 1;
                }
                let seed = fuzz_seed("bench", &i.to_string(), card.reps);
                let placement = Placement {
                    balance: Some((balance, &load)),
                    ..Placement::default()
                };
                card = scheduler
                    .review_placed(&card, rating, at, seed, &placement)
                    .state;
                if day < DAYS {
                    reviews += 1;
                }
                if card.state == State::Review {
                    load.add(days.day_of(card.due), 1);
                }
                if card.due >= end {
                    break;
                }
                at = card.due.max(at + TimeDelta::minutes(1));
            }
            *slot = Some(card);
        }
        if day >= DAYS {
            next.push((days.day_of(evening), answered));
        }
    }
    (at_end, reviews, next)
}

fn load_table() {
    let days = StudyDays::new(0, 4);
    println!(
        "\nLoad balancing: 3,000 cards over 120 days, then the review cards answered on each of the next 30 days (25 new cards a day go on)"
    );
    println!(
        "{:<28} {:>8} {:>8} {:>8} {:>10} {:>14}",
        "", "reviews", "mean", "max", "max/mean", "Sundays/mean"
    );
    for (name, enabled, easy) in [
        ("off", false, ""),
        ("on", true, ""),
        ("on, easy_days \"sun=0\"", true, "sun=0"),
    ] {
        let balance = Balance {
            enabled,
            easy_days: easy.parse::<EasyDays>().unwrap(),
            days,
        };
        let (_, reviews, next) = history(balance, 0.9);
        let mean = next.iter().map(|(_, n)| f64::from(*n)).sum::<f64>() / next.len() as f64;
        let max = next.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let sundays: Vec<f64> = next
            .iter()
            .filter(|(d, _)| StudyDays::weekday(*d) == chrono::Weekday::Sun)
            .map(|(_, n)| f64::from(*n))
            .collect();
        let sunday_mean = sundays.iter().sum::<f64>() / sundays.len().max(1) as f64;
        println!(
            "{name:<28} {reviews:>8} {mean:>8.1} {max:>8} {:>10.3} {:>13.1}%",
            f64::from(max) / mean,
            sunday_mean / mean * 100.0
        );
    }
}

/// The exam 21 days after the history, in the fsrs simulator: reviews from the first day to
/// the exam, and the cards ready on the exam day.
fn exam_table() {
    const EXAM_DAY: f32 = 21.0;
    const TARGET: f32 = 0.95;
    let days = StudyDays::new(0, 4);
    let w = fsrs::DEFAULT_PARAMETERS;
    let decay = -w[20];
    let factor = 0.9f32.powf(1.0 / decay) - 1.0;
    let interval_at = move |s: f32, r: f32| s / factor * (r.powf(1.0 / decay) - 1.0);
    let recall = move |s: f32, t: f32| (1.0 + factor * t / s).powf(decay);
    let exam_mode = move || {
        fsrs::PostSchedulingFn::new(move |ctx: fsrs::PostSchedulingContext<'_>| {
            let card = ctx.card;
            let until = EXAM_DAY - ctx.today as f32;
            let interval = card.interval.clamp(1.0, ctx.max_interval);
            if recall(card.stability, until) >= TARGET {
                return interval;
            }
            let last_before = (until - 1.0).max(1.0).floor();
            let cap = if interval > until {
                interval_at(card.stability, TARGET)
                    .round()
                    .max(1.0)
                    .min(last_before)
            } else {
                last_before
            };
            interval.min(cap)
        })
    };
    println!(
        "\nAn exam 21 days after 120 days of study (3,000 cards), fsrs simulator, target recall 0.95"
    );
    println!(
        "{:<48} {:>16} {:>14}",
        "", "reviews to exam", "ready (≥0.95)"
    );
    for (name, retention, exam) in [
        ("exam mode (retention 0.90, exam target 0.95)", 0.9, true),
        ("desired retention 0.95 the whole time", TARGET, false),
        ("no exam (retention 0.90)", 0.9, false),
    ] {
        let balance = Balance {
            enabled: true,
            easy_days: EasyDays::default(),
            days,
        };
        let (cards, before, _) = history(balance, retention);
        let now = start() + TimeDelta::days(DAYS);
        let params: Arc<Vec<f32>> = Arc::new(w.to_vec());
        let existing: Vec<fsrs::Card> = cards
            .iter()
            .enumerate()
            .filter(|(_, c)| c.state == State::Review)
            .map(|(i, c)| {
                let last = (c.last_review.unwrap() - now).num_seconds() as f32 / 86_400.0;
                let stability = c.stability.unwrap();
                let mut due = ((c.due - now).num_seconds() as f32 / 86_400.0).max(0.0);
                // Setting the exam brings forward the cards that would not be ready.
                if exam && due > EXAM_DAY && recall(stability, EXAM_DAY - last) < TARGET {
                    due = (last + interval_at(stability, TARGET)).clamp(0.0, EXAM_DAY - 1.0);
                }
                fsrs::Card {
                    id: i as i64 + 1,
                    difficulty: c.difficulty.unwrap(),
                    stability,
                    last_date: last,
                    due,
                    interval: due - last,
                    lapses: 0,
                    desired_retention: retention,
                    parameters: params.clone(),
                }
            })
            .collect();
        let config = fsrs::SimulatorConfig {
            deck_size: existing.len(),
            learn_span: EXAM_DAY as usize,
            learn_limit: 0,
            max_cost_perday: f32::INFINITY,
            post_scheduling_fn: exam.then(exam_mode),
            ..fsrs::SimulatorConfig::default()
        };
        let result = fsrs::simulate(&config, &w, retention, Some(42), Some(existing)).unwrap();
        let reviews: usize = before + result.review_cnt_per_day.iter().sum::<usize>();
        let ready = result
            .cards
            .iter()
            .filter(|c| c.retention_on(EXAM_DAY) >= TARGET)
            .count();
        println!(
            "{name:<48} {reviews:>16} {:>13.1}%",
            ready as f64 / cards.len().max(1) as f64 * 100.0
        );
    }
}

fn big_deck(n: usize) -> Deck {
    let cards = (0..n)
        .map(|i| Card {
            id: format!("c{i}"),
            category: "term".to_owned(),
            prompt: format!("Question {i}?"),
            answer: format!("Answer {i}"),
            accept: vec![],
            distractors: vec![
                format!("Wrong {i} a"),
                format!("Wrong {i} b"),
                format!("Wrong {i} c"),
            ],
            date: None,
            event: None,
            group: None,
            role: None,
            cloze: None,
            explanation: None,
            source: format!("Sentence {i}."),
            tags: vec![],
            image: None,
        })
        .collect();
    Deck {
        format: FORMAT_V1.to_owned(),
        id: "big".to_owned(),
        title: "Big".to_owned(),
        description: None,
        source: Source {
            title: "Bench".to_owned(),
            author: "Bench".to_owned(),
            url: None,
        },
        cards,
    }
}

fn set_exam(c: &mut Criterion) {
    const N: usize = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("p.sqlite")).unwrap();
    let now = start();
    let mut rng = SmallRng::seed_from_u64(3);
    let ids: Vec<String> = (0..N).map(|i| format!("c{i}")).collect();
    let rows: Vec<(&str, &str, Option<CardProgress>)> = ids
        .iter()
        .map(|id| {
            let stability = rng.random_range(2.0..400.0f32);
            let mut p = CardProgress::new_card(now);
            p.card = CardState {
                state: State::Review,
                step: None,
                stability: Some(stability),
                difficulty: Some(5.0),
                due: now + TimeDelta::days(rng.random_range(1..300)),
                last_review: Some(now - TimeDelta::days(rng.random_range(0..30))),
                reps: 4,
                lapses: 0,
            };
            ("big", id.as_str(), Some(p))
        })
        .collect();
    store.restore_rows(&[], &rows).unwrap();
    let mut col = Collection::new(store, Settings::default());
    col.set_library(Library {
        decks: vec![LoadedDeck {
            deck: big_deck(N),
            origin: Origin::Bundled,
        }],
        failures: vec![],
    });
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let exam = Exam::new("big", "2026-06-22", 0.9, today, now).unwrap();
    let t = Instant::now();
    let moved = col.set_exam(exam.clone(), now).unwrap().output.rescheduled;
    println!(
        "\nSetting an exam on {N} review cards: {moved} brought forward in {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    col.undo(None, now).unwrap();
    let mut group = c.benchmark_group("plan");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("set an exam on 100,000 cards", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let t = Instant::now();
                col.set_exam(exam.clone(), now).unwrap();
                total += t.elapsed();
                col.undo(None, now).unwrap();
            }
            total
        });
    });
    group.finish();
}

fn tables(c: &mut Criterion) {
    load_table();
    exam_table();
    set_exam(c);
}

criterion_group!(benches, tables);
criterion_main!(benches);
