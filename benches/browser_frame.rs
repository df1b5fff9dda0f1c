//! Frame time of the card browser over 100,000 cards, measured in a kittest harness (layout
//! and tessellation-free UI pass, no GPU): the table draws only the rows in view, so a frame
//! costs about the same at 100 cards and at 100,000 — goal ≤ 2 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flashdrill::app::{AppOptions, FlashdrillApp};

/// The allocator the app itself runs with (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CARDS: usize = 100_000;

#[path = "../tests/ui/big_deck.rs"]
mod big_deck;

fn browser_frame(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    big_deck::big_user_deck(dir.path(), CARDS);
    let app = FlashdrillApp::new(AppOptions {
        data_dir: dir.path().to_path_buf(),
        profile: None,
        jobs: flashdrill::jobs::Jobs::immediate(),
    });
    let mut harness = Harness::builder()
        .with_size([1280.0, 900.0])
        .build_ui_state(|ui, app: &mut FlashdrillApp| app.frame(ui), app);
    harness.run();
    harness.get_by_label("Browse").click();
    harness.run();
    let bundled: usize = flashdrill_core::deck::load_library(&[], true)
        .decks
        .iter()
        .map(|d| d.deck.cards.len())
        .sum();
    let total = bundled + CARDS;
    // Fails when the big deck is not listed.
    harness.get_by_label(&format!("{total} of {total} cards shown"));
    c.bench_function("browser frame, 100,000 cards", |b| {
        b.iter(|| harness.step());
    });
}

criterion_group!(benches, browser_frame);
criterion_main!(benches);
