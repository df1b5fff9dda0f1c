//! The settings screen's memory model in both themes, rendered on the CPU: the desired-
//! retention chart (with the current setting and the minimum recommended retention marked) and
//! the optimize panel after "Optimize for my reviews" on a fresh profile (too few reviews). A
//! fresh profile's simulation starts from the bundled decks' new cards only, so the pictures do
//! not depend on the day they are made. `UPDATE_SNAPSHOTS=1 cargo test --test ui
//! settings_snapshots` accepts changes.

use egui_kittest::kittest::Queryable;
use flashdrill::ui::settings::OPTIMIZE;

use crate::common::click;

fn memory_model(theme: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut h = crate::common::rendered(dir.path(), [960.0, 1440.0], theme);
    click(&mut h, "Settings");
    click(&mut h, OPTIMIZE);
    assert!(
        h.query_by_label_contains("needs at least 400 reviews")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("At 90 % desired retention: about")
            .is_some()
    );
    h.snapshot(format!("settings-memory-{theme}"));
}

#[test]
fn memory_model_light() {
    memory_model("light");
}

#[test]
fn memory_model_dark() {
    memory_model("dark");
}
