//! Drafting a deck from a long article (`flashdrill draft`, "New deck from an article…"):
//! cutting a 20,000-word article into sentences, finding its candidate facts and drafting a
//! card per fact must take at most 100 ms.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use flashdrill_core::draft::{self, Article};

/// The allocator the app itself runs with (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ARTICLE: &str = include_str!("../tests/data/article/pyongyang-moscow-honeymoon.txt");

/// The bundled article over and over, each copy's years moved on so that the dates differ,
/// until it has at least `words` words.
fn long_article(words: usize) -> String {
    let mut text = String::new();
    let mut copy = 0;
    while text.split_whitespace().count() < words {
        let shifted = ARTICLE
            .replace("2000", &(1900 + copy).to_string())
            .replace("2022", &(1950 + copy).to_string());
        text.push_str(&shifted);
        text.push_str("\n\n");
        copy += 1;
    }
    text
}

fn drafting(c: &mut Criterion) {
    let text = long_article(20_000);
    let article = Article::parse(&text);
    let deck = draft::draft_deck(&article, "Long", "Writer");
    println!(
        "{} words, {} sentences, {} candidates, {} cards drafted",
        text.split_whitespace().count(),
        article.sentences.len(),
        article.candidates.len(),
        deck.cards.len()
    );
    c.bench_function("parse a 20,000-word article", |b| {
        b.iter(|| Article::parse(black_box(&text)));
    });
    c.bench_function("draft a deck from a 20,000-word article", |b| {
        b.iter(|| {
            let article = Article::parse(black_box(&text));
            draft::draft_deck(&article, "Long", "Writer")
        });
    });
    let sentence = article.sentence(20);
    let phrase = sentence
        .split_whitespace()
        .nth(3)
        .unwrap_or("the")
        .to_owned();
    c.bench_function("draft one card (Make this the answer)", |b| {
        b.iter(|| draft::draft_card(black_box(&sentence), &phrase, &article));
    });
}

criterion_group!(benches, drafting);
criterion_main!(benches);
