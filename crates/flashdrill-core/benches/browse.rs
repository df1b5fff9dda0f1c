//! The card browser over 100,000 cards (two thirds of them studied): building the table once,
//! and what happens when the query changes: a search, a filter, a sort. Targets: a query
//! change (filter + sort) in a few milliseconds; the build, done when the browser opens, well
//! under a second.

use std::hint::black_box;

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use flashdrill_core::browse::{CardTable, Column, Order, Query};
use flashdrill_core::deck::{Card, Deck, FORMAT_V1, Library, LoadedDeck, Origin, Source};
use flashdrill_core::schedule::{CardState, State};
use flashdrill_core::store::{CardProgress, CardRecord};

/// The allocator the app itself runs with (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CARDS: usize = 100_000;

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_750_000_000, 0).expect("a valid time")
}

fn library() -> Library {
    let cards = (0..CARDS)
        .map(|i| {
            let category = ["date", "actor", "term", "place"][i % 4];
            Card {
                id: format!("card-{i}"),
                category: category.to_owned(),
                prompt: format!(
                    "In what year did event number {i} of the rapprochement between Moscow and \
                     Pyongyang happen, according to the article?"
                ),
                answer: format!("Answer {i} São Paulo"),
                accept: vec![],
                distractors: vec![],
                date: (category == "date").then(|| format!("{}-{:02}", 2000 + i % 25, 1 + i % 12)),
                event: (category == "date").then(|| format!("Event number {i}")),
                group: None,
                role: None,
                cloze: None,
                explanation: None,
                source: "s".to_owned(),
                tags: vec![format!("tag-{}", i % 50), "bench".to_owned()],
                image: None,
            }
        })
        .collect();
    let deck = Deck {
        format: FORMAT_V1.to_owned(),
        id: "bench".to_owned(),
        title: "A very big deck".to_owned(),
        description: None,
        source: Source {
            title: "t".to_owned(),
            author: "a".to_owned(),
            url: None,
        },
        cards,
    };
    Library {
        decks: vec![LoadedDeck {
            deck,
            origin: Origin::Bundled,
        }],
        failures: vec![],
    }
}

fn records() -> Vec<CardRecord> {
    (0..CARDS)
        .filter(|i| i % 3 != 0)
        .map(|i| {
            let days = (i % 97) as i64 - 20;
            CardRecord {
                deck_id: "bench".to_owned(),
                card_id: format!("card-{i}"),
                progress: CardProgress {
                    card: CardState {
                        state: if i % 7 == 0 {
                            State::Relearning
                        } else {
                            State::Review
                        },
                        step: None,
                        stability: Some((i % 400) as f32 / 3.0 + 0.5),
                        difficulty: Some((i % 90) as f32 / 10.0 + 1.0),
                        due: now() + TimeDelta::days(days),
                        last_review: Some(now() - TimeDelta::days((i % 30) as i64)),
                        reps: (i % 20) as u32 + 1,
                        lapses: (i % 9) as u32,
                    },
                    suspended: i % 101 == 0,
                    buried_until: None,
                    leech: i % 211 == 0,
                },
            }
        })
        .collect()
}

fn bench_browse(c: &mut Criterion) {
    let library = library();
    let records = records();
    let day_end = now() + TimeDelta::hours(10);
    c.bench_function("browse_build_100k", |b| {
        b.iter_with_large_drop(|| CardTable::build(black_box(&library), black_box(&records)));
    });
    let mut table = CardTable::build(&library, &records);
    let queries = [
        (
            "browse_search_100k",
            Query {
                text: "sao paulo tag-7".to_owned(),
                ..Query::default()
            },
        ),
        (
            "browse_filter_due_today_100k",
            Query {
                due_today: true,
                ..Query::default()
            },
        ),
        (
            "browse_sort_due_100k",
            Query {
                sort: Some((Column::Due, Order::Ascending)),
                ..Query::default()
            },
        ),
        (
            "browse_sort_stability_desc_100k",
            Query {
                sort: Some((Column::Stability, Order::Descending)),
                ..Query::default()
            },
        ),
        (
            "browse_sort_prompt_100k",
            Query {
                sort: Some((Column::Prompt, Order::Ascending)),
                ..Query::default()
            },
        ),
        (
            "browse_filter_and_sort_100k",
            Query {
                category: Some("date".to_owned()),
                sort: Some((Column::LastReview, Order::Descending)),
                ..Query::default()
            },
        ),
    ];
    for (name, query) in &queries {
        // The prompt ranks are made once, on the first sort by prompt (when the browser is
        // first sorted by it), so that first sort is left out here.
        table.refresh(query, day_end);
        // What `refresh` does when the query changed.
        c.bench_function(name, |b| {
            b.iter(|| {
                let mut rows = table.filter(black_box(query), day_end);
                if let Some((column, order)) = query.sort {
                    table.sort(&mut rows, column, order);
                }
                black_box(rows.len())
            });
        });
    }
    c.bench_function("browse_unchanged_query_100k", |b| {
        b.iter(|| {
            table.refresh(black_box(&queries[5].1), day_end);
            black_box(table.shown().len())
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench_browse
}
criterion_main!(benches);
