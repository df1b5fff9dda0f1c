//! Every screen on its own (issue 27, items 10 and 11): each keeps its own scroll position, and
//! each works in a small window (800×600) and at twice the size (zoom 2 on 1280×800).

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};

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

/// The window sizes every screen must work at: 800×600, and 1280×800 zoomed to 2×.
const SIZES: [([f32; 2], f32); 2] = [([800.0, 600.0], 1.0), ([1280.0, 800.0], 2.0)];

/// Whether a screen reader's `role` is a control the user works.
fn control(role: Role) -> bool {
    matches!(
        role,
        Role::Button
            | Role::TextInput
            | Role::MultilineTextInput
            | Role::ComboBox
            | Role::CheckBox
            | Role::RadioButton
            | Role::Slider
            | Role::SpinButton
    )
}

/// What is wrong with the controls wholly in view in `window`: one too small to use, a text
/// field too narrow to type in, or a text field and another control drawn over each other.
fn layout_problems(h: &App, window: egui::Rect, screen: &str) -> Vec<String> {
    let shown: Vec<(String, Role, egui::Rect)> = h
        .root()
        .children_recursive()
        .filter_map(|node| {
            let n = node.accesskit_node();
            if !control(n.role()) || n.is_hidden() || n.bounding_box().is_none() {
                return None;
            }
            let rect = node.rect();
            window.contains_rect(rect).then(|| {
                let name = n.label().or_else(|| n.value()).unwrap_or_default();
                (name, n.role(), rect)
            })
        })
        .collect();
    let mut problems = Vec::new();
    for (i, (name, role, rect)) in shown.iter().enumerate() {
        let text = matches!(role, Role::TextInput | Role::MultilineTextInput);
        let min_width = if text { 100.0 } else { 16.0 };
        if rect.width() < min_width || rect.height() < 12.0 {
            problems.push(format!("{screen}: {role:?} {name:?} is {:?}", rect.size()));
        }
        for (other, other_role, other_rect) in &shown[i + 1..] {
            // A field drawn over another control (a control half hidden under a panel by its
            // scroll area is drawn clipped, and its rect says nothing of that: left out).
            let typing = text || matches!(other_role, Role::TextInput | Role::MultilineTextInput);
            let overlap = rect.intersect(*other_rect);
            let nested = rect.contains_rect(*other_rect) || other_rect.contains_rect(*rect);
            if typing && overlap.is_positive() && overlap.area() > 4.0 && !nested {
                problems.push(format!("{screen}: {name:?} and {other:?} overlap"));
            }
        }
    }
    problems
}

/// The app on a new data folder at `size` and `zoom`, with a deck drawn from the article open
/// in the editor (made in a large window first).
fn editor_at(dir: &std::path::Path, size: [f32; 2], zoom: f32) -> App {
    let mut h = crate::common::app_sized(dir, [1500.0, 1100.0]);
    h.run();
    crate::editor::new_deck_from_paragraph(&mut h, "Rapprochement");
    let first = flashdrill_core::draft::Article::parse(crate::editor::PARAGRAPH).sentence(0);
    crate::editor::card_from(&mut h, &first, "2000");
    h.set_size(egui::vec2(size[0], size[1]));
    h.state_mut().set_setting("zoom", &zoom.to_string());
    h.run();
    h
}

#[test]
fn the_deck_editor_works_in_a_small_window_and_zoomed_in() {
    for (size, zoom) in SIZES {
        let dir = tempfile::tempdir().unwrap();
        let mut h = editor_at(dir.path(), size, zoom);
        let window =
            egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(size[0], size[1]) / zoom);
        let at = format!("{size:?} at zoom {zoom}");
        let problems = layout_problems(&h, window, "editor");
        assert!(problems.is_empty(), "{at}: {}", problems.join("\n"));
        // The card form keeps room to type: each field as wide as a short sentence.
        for field in ["Phrase:", "Category", "Prompt", "Answer"] {
            h.get_by_label(field).scroll_to_me();
            h.run();
            let rect = h.get_by_label(field).rect();
            assert!(
                rect.width() >= 150.0,
                "{at}: {field} is {} wide",
                rect.width()
            );
            assert!(window.contains_rect(rect), "{at}: {field} is in the window");
        }
        h.get_by_label("Phrase:").scroll_to_me();
        h.run();
        // The article is one click away, beside the form, with room to read.
        h.get_by_role_and_label(Role::Button, "Article").click();
        h.run();
        let first = flashdrill_core::draft::Article::parse(crate::editor::PARAGRAPH).sentence(0);
        let sentence = h.get_by_label(&first).rect();
        assert!(
            sentence.width() >= 150.0,
            "{at}: the article is {} wide",
            sentence.width()
        );
        assert!(
            sentence.right() <= h.get_by_label("Answer").rect().left(),
            "{at}: the article is beside the form"
        );
        let problems = layout_problems(&h, window, "editor, article");
        assert!(problems.is_empty(), "{at}: {}", problems.join("\n"));
    }
}

#[test]
fn every_main_screen_works_in_a_small_window_and_zoomed_in() {
    for (size, zoom) in SIZES {
        let dir = tempfile::tempdir().unwrap();
        let mut h = crate::common::app_sized(dir.path(), size);
        h.state_mut().set_setting("zoom", &zoom.to_string());
        h.run();
        let window =
            egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(size[0], size[1]) / zoom);
        let mut problems = layout_problems(&h, window, "Decks");
        // Decks first (above), then the others.
        for screen in &crate::common::MAIN_SCREENS[1..] {
            h.get_by_role_and_label(Role::Button, screen)
                .click_accesskit();
            h.run();
            problems.extend(layout_problems(&h, window, screen));
        }
        h.get_by_role_and_label(Role::Button, "Decks")
            .click_accesskit();
        h.run();
        h.get_by_label("Export…").click_accesskit();
        h.run();
        problems.extend(layout_problems(&h, window, "Import"));
        assert!(
            problems.is_empty(),
            "{size:?} at zoom {zoom}: {}",
            problems.join("\n")
        );
    }
}
