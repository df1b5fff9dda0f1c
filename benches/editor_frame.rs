//! Frame time of the deck editor with a 5,000-card deck open, measured in a kittest harness
//! (layout and UI pass, no GPU): goal ≤ 2 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flashdrill::app::{AppOptions, FlashdrillApp};
use flashdrill_core::deck::{Card, Deck, FORMAT_V1, Source};

/// The allocator the app itself runs with (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn big_deck(cards: usize) -> Deck {
    Deck {
        format: FORMAT_V1.to_owned(),
        id: "big".to_owned(),
        title: "Big".to_owned(),
        description: None,
        source: Source {
            title: "A long book".to_owned(),
            author: "Someone".to_owned(),
            url: None,
        },
        cards: (0..cards)
            .map(|i| Card {
                id: format!("card-{i}"),
                category: ["date", "actor", "term"][i % 3].to_owned(),
                prompt: format!("In which year did event number {i} of the long book happen?"),
                answer: format!("{}", 1000 + i % 1000),
                accept: Vec::new(),
                distractors: vec!["2500".to_owned(), "2600".to_owned()],
                date: Some(format!("{}", 1000 + i % 1000)),
                event: Some(format!("Event {i}")),
                role: None,
                group: None,
                cloze: Some(format!(
                    "Event {i} happened in {{{{{}}}}}.",
                    1000 + i % 1000
                )),
                explanation: Some("Because the book says so.".to_owned()),
                source: format!("Event {i} happened in {}.", 1000 + i % 1000),
                tags: vec!["book".to_owned()],
                image: None,
            })
            .collect(),
    }
}

fn editor_frame(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let decks = dir.path().join("decks");
    std::fs::create_dir_all(&decks).expect("deck folder");
    let json = serde_json::to_string_pretty(&big_deck(5_000)).expect("deck json");
    std::fs::write(decks.join("big.json"), json).expect("deck file");
    let app = FlashdrillApp::new(AppOptions {
        data_dir: dir.path().to_path_buf(),
        profile: None,
        jobs: flashdrill::jobs::Jobs::immediate(),
    });
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(|ui, app: &mut FlashdrillApp| app.frame(ui), app);
    harness.run();
    harness.get_by_label("Edit Big").click_accesskit();
    harness.run();
    assert_eq!(
        harness.state().editor_deck().map(|d| d.cards.len()),
        Some(5_000)
    );
    c.bench_function("deck editor frame (5,000 cards)", |b| {
        b.iter(|| harness.step());
    });
}

criterion_group!(benches, editor_frame);
criterion_main!(benches);
