//! Frame time of the study screen, measured in a kittest harness (layout and tessellation-free
//! UI pass, no GPU): goal ≤ 1 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flashdrill::app::{AppOptions, FlashdrillApp};

/// The allocator the app itself runs with (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn study_frame(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = FlashdrillApp::new(AppOptions {
        data_dir: dir.path().to_path_buf(),
        profile: None,
        jobs: flashdrill::jobs::Jobs::immediate(),
    });
    let mut harness = Harness::builder()
        .with_size([1100.0, 800.0])
        .build_ui_state(|ui, app: &mut FlashdrillApp| app.frame(ui), app);
    harness.run();
    harness.get_by_label("Study all due").click();
    harness.run();
    c.bench_function("study screen frame (question)", |b| {
        b.iter(|| harness.step());
    });
    harness.key_press(egui::Key::Enter);
    harness.run();
    c.bench_function("study screen frame (answer shown)", |b| {
        b.iter(|| harness.step());
    });
}

criterion_group!(benches, study_frame);
criterion_main!(benches);
