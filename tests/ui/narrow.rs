//! The app in a narrow window (800×600): the top bar stays one row.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use flashdrill::app::Screen;

use crate::common::click;

#[test]
fn the_top_bar_is_one_row_at_800_points_and_keeps_its_spoken_names() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = crate::common::app_sized(dir.path(), [800.0, 600.0]);
    harness.run();
    let row = |label: &str| {
        harness
            .get_by_role_and_label(Role::Button, label)
            .rect()
            .center()
            .y
    };
    let first = row("Decks");
    for label in [
        "Practice",
        "Class drill",
        "Statistics",
        "Browse",
        "Article timeline",
        "Settings",
        "?",
    ] {
        assert!((row(label) - first).abs() < 4.0, "{label} wrapped");
    }
    harness.get_by_label("Profile: Default");
    click(&mut harness, "Statistics");
    assert_eq!(harness.state().screen(), Screen::Stats);
}
