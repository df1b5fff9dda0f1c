//! Marking and question-building costs: a typed answer is marked on every keypress-free submit,
//! multiple-choice options are built per card, so both must stay well under a frame.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use flashdrill_core::deck::Card;
use flashdrill_core::quiz::{check_text, choices, diff, timeline};

/// The allocator the app itself runs with (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn card(i: usize, category: &str, answer: &str) -> Card {
    Card::new(
        format!("c{i}"),
        category,
        format!("prompt {i}"),
        answer,
        "source",
    )
}

fn marking(c: &mut Criterion) {
    let accept = vec!["Kim Jong-un".to_owned()];
    c.bench_function("check_text exact", |b| {
        b.iter(|| check_text(black_box("Kim Jong Un"), &accept, black_box("Kim Jong Un")));
    });
    c.bench_function("check_text lenient", |b| {
        b.iter(|| check_text(black_box("Kim Jong Un"), &accept, black_box("kim jong-UN")));
    });
    c.bench_function("check_text date by value", |b| {
        b.iter(|| check_text(black_box("2022-09"), &[], black_box("Sept. 2022")));
    });
    c.bench_function("check_text wrong", |b| {
        b.iter(|| check_text(black_box("Pyongyang"), &[], black_box("Seoul")));
    });
    let huge: String = "Kim Jong Un 🦀 שלום 1,000 ".repeat(400);
    c.bench_function("check_text 10 kB typed", |b| {
        b.iter(|| check_text(black_box("Kim Jong Un"), &accept, black_box(&huge)));
    });
    let other: String = "Moon Jae-in ✈ مرحبا 2,000 ".repeat(400);
    c.bench_function("diff 10 kB vs 10 kB", |b| {
        b.iter(|| diff(black_box(&huge), black_box(&other)));
    });
}

fn questions(c: &mut Criterion) {
    let deck: Vec<Card> = (0..500)
        .map(|i| {
            let mut card = card(
                i,
                "date",
                &format!("{} {}", ["June", "May", "Sept."][i % 3], 1900 + i),
            );
            card.date = Some(format!("{}", 1900 + i));
            card
        })
        .collect();
    c.bench_function("choices in a 500-card deck", |b| {
        b.iter(|| choices(black_box(&deck[0]), &deck, black_box(42)));
    });
    c.bench_function("timeline of 5 from 500 cards", |b| {
        b.iter(|| timeline(black_box(&deck), 5, black_box(42)));
    });
}

criterion_group!(benches, marking, questions);
criterion_main!(benches);
