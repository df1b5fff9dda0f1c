//! Parsing and fully validating a 100,000-card deck (about 44 MB). Target: under 300 ms.
//!
//! Dropping the deck is left out of the timing (`iter_with_large_drop`): it is not loading.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use flashdrill_core::deck::{Card, Deck, FORMAT_V1, Source, parse_deck};

const CARDS: usize = 100_000;

/// The allocator the app itself runs with (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A deck JSON of `n` realistic cards: dates, actors and terms with distractors, some clozes.
fn big_deck_json(n: usize) -> Vec<u8> {
    let cards = (0..n)
        .map(|i| {
            let category = ["date", "actor", "term"][i % 3];
            Card {
                id: format!("card-{i}"),
                category: category.to_owned(),
                prompt: format!(
                    "In what year did event number {i} of the rapprochement between the two \
                     countries happen?"
                ),
                answer: format!("Answer {i}"),
                accept: vec![format!("answer {i} (alt)")],
                distractors: vec![
                    format!("Wrong {i} a"),
                    format!("Wrong {i} b"),
                    format!("Wrong {i} c"),
                ],
                date: (category == "date").then(|| format!("{}-{:02}", 1950 + i % 70, 1 + i % 12)),
                event: (category == "date").then(|| format!("Event number {i}")),
                group: None,
                role: (category == "actor").then(|| "North Korea's leader".to_owned()),
                cloze: (i % 2 == 0).then(|| format!("It happened in {{{{Answer {i}}}}}.")),
                explanation: None,
                source: format!(
                    "The rapprochement between the two countries began in 2000 with Putin’s \
                     first visit to North Korea ({i})."
                ),
                tags: vec!["bench".to_owned()],
                image: None,
            }
        })
        .collect();
    let deck = Deck {
        format: FORMAT_V1.to_owned(),
        id: "bench-deck".to_owned(),
        title: "A very big deck".to_owned(),
        description: None,
        source: Source {
            title: "Pyongyang and Moscow Honeymoon".to_owned(),
            author: "Parisa Pasandepour".to_owned(),
            url: None,
        },
        cards,
    };
    serde_json::to_vec(&deck).expect("a deck always serialises")
}

fn bench_parse_deck(c: &mut Criterion) {
    let json = big_deck_json(CARDS);
    let path = Path::new("bench.json");
    assert_eq!(
        parse_deck(path, &json).map(|d| d.cards.len()),
        Ok(CARDS),
        "the generated deck must be valid"
    );
    let mut group = c.benchmark_group("deck_load");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("parse_deck 100k cards", |b| {
        b.iter_with_large_drop(|| parse_deck(black_box(path), black_box(&json)));
    });
    // The two halves of parse_deck, to see where the time goes.
    let text = std::str::from_utf8(&json).unwrap();
    group.bench_function("serde_json only", |b| {
        b.iter_with_large_drop(|| serde_json::from_str::<Deck>(black_box(text)).unwrap());
    });
    let deck: Deck = serde_json::from_str(text).unwrap();
    group.bench_function("validate only", |b| {
        b.iter(|| flashdrill_core::deck::validate(black_box(&deck)));
    });
    group.finish();
}

criterion_group!(benches, bench_parse_deck);
criterion_main!(benches);
