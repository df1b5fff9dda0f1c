//! Every screen on its own (issue 27, items 10 and 11): each keeps its own scroll position, and
//! each works in a small window (800×600) and at twice the size (zoom 2 on 1280×800).

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;

use crate::common::{App, click};

/// The top of `label`'s widget, in points.
fn top(h: &App, role: Role, label: &str) -> f32 {
    h.get_by_role_and_label(role, label).rect().top()
}

#[test]
fn each_screen_keeps_its_own_scroll_position() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = crate::common::app_sized(dir.path(), [800.0, 420.0]);
    h.run();
    let home_top = top(&h, Role::Label, "Due now");
    // Down to the bottom of the decks.
    h.get_by_label("New deck from an article…").scroll_to_me();
    h.run();
    let scrolled = top(&h, Role::Label, "Due now");
    assert!(
        scrolled < home_top - 100.0,
        "the decks scrolled: {scrolled}"
    );

    click(&mut h, "Settings");
    let settings_top = top(&h, Role::Label, "Studying");
    assert!(
        settings_top > 0.0 && settings_top < 200.0,
        "Settings opens at its top: {settings_top}"
    );
    click(&mut h, "Class drill");
    let drill_top = top(&h, Role::Label, "Class drill");
    assert!(
        drill_top > 0.0 && drill_top < 200.0,
        "Class drill opens at its top: {drill_top}"
    );
    h.get_by_role_and_label(Role::Button, "Decks").click();
    h.run();
    let back = top(&h, Role::Label, "Due now");
    assert!(
        (back - scrolled).abs() < 1.0,
        "the decks are where they were left: {back} vs {scrolled}"
    );
}
