//! The app in a narrow window (800×600): the top bar stays one row.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use flashdrill::app::Screen;

use crate::common::{MAIN_SCREENS, click};

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
    let first = row(MAIN_SCREENS[0]);
    for &label in MAIN_SCREENS[1..].iter().chain(&["?"]) {
        assert!((row(label) - first).abs() < 4.0, "{label} wrapped");
    }
    harness.get_by_label("Profile: Default");
    click(&mut harness, "Statistics");
    assert_eq!(harness.state().screen(), Screen::Stats);
}

/// The card browser's column headers (sort buttons and the two plain headings) and the
/// dividers between the columns, with their rects.
fn browser_columns(harness: &crate::common::App) -> Vec<(String, egui::Rect)> {
    use egui_kittest::kittest::NodeT;
    harness
        .root()
        .children_recursive()
        .filter_map(|n| {
            let label = n.accesskit_node().label()?;
            let header = (n.accesskit_node().role() == Role::Button
                && label.starts_with("Sort by "))
                || n.accesskit_node().role() == Role::Splitter
                || label == "Flags"
                || label == "Tags";
            header.then(|| (label, n.rect()))
        })
        .collect()
}

#[test]
fn the_card_browser_fits_its_columns_in_an_800_point_window_and_keeps_every_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = crate::common::app_sized(dir.path(), [800.0, 600.0]);
    harness.run();
    click(&mut harness, "Browse");
    let screen = harness.ctx.content_rect();
    let columns = browser_columns(&harness);
    let names: Vec<&str> = columns.iter().map(|(l, _)| l.as_str()).collect();
    for wanted in [
        "Sort by prompt",
        "Sort by answer",
        "Sort by state",
        "Sort by due",
    ] {
        assert!(names.contains(&wanted), "{wanted} is missing: {names:?}");
    }
    for (label, rect) in &columns {
        assert!(
            screen.contains_rect(*rect),
            "{label} at {rect:?} is outside the window {screen:?}"
        );
    }
    // The first card's long prompt is cut to fit, yet found whole by its box and its text.
    let library = flashdrill_core::deck::load_library(&[], true);
    let longest = library
        .deck("pm-dates")
        .unwrap()
        .deck
        .card("putin-first-visit-year")
        .unwrap()
        .prompt
        .clone();
    let text = harness.get_by_role_and_label(Role::Label, &longest);
    assert!(text.rect().right() <= screen.right(), "{longest}");
    harness.get_by_role_and_label(Role::CheckBox, &longest);
    harness.get_by_label(&format!("Details of {longest}"));

    // In a wider window, more columns, all still in it.
    let mut wide = crate::common::app_sized(dir.path(), [1100.0, 760.0]);
    wide.run();
    click(&mut wide, "Browse");
    let screen = wide.ctx.content_rect();
    let columns = browser_columns(&wide);
    assert!(columns.len() > names.len(), "{columns:?}");
    for (label, rect) in &columns {
        assert!(screen.contains_rect(*rect), "{label} at {rect:?}");
    }
}

/// The labelled widgets of the window that run off its right edge.
fn outside_the_window(harness: &crate::common::App) -> Vec<String> {
    use egui_kittest::kittest::NodeT;
    let screen = harness.ctx.content_rect();
    harness
        .root()
        .children_recursive()
        .filter_map(|n| {
            let label = n.accesskit_node().label()?;
            let rect = n.rect();
            (rect.right() > screen.right() + 1.0).then(|| format!("{label:?} at {rect:?}"))
        })
        .collect()
}

/// Every screen at projector zoom (2×), in the default 1100×760 window and in an 800×600 one:
/// no labelled widget runs off the window's right edge (Settings with a sync folder chosen,
/// its buttons and report on show).
#[test]
fn every_screen_fits_the_window_at_projector_zoom() {
    for size in [[1100.0, 760.0], [800.0, 600.0]] {
        let (dir, shared) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let mut harness = crate::common::app_sized(dir.path(), size);
        let folder = shared.path().to_path_buf();
        harness.state_mut().set_file_chooser(std::sync::Arc::new(
            move |_: &flashdrill::ui::file_ask::FileAsk| {
                flashdrill::ui::file_ask::Chosen::Files(vec![folder.clone()])
            },
        ));
        harness.state_mut().set_setting("zoom", "2.0");
        harness.run();
        let screen = harness.ctx.content_rect();
        assert!(screen.width() <= size[0] / 2.0, "zoomed: {screen:?}");
        for name in MAIN_SCREENS {
            harness.get_by_role_and_label(Role::Button, name).click();
            harness.run();
            if name == "Settings" {
                harness.get_by_label("Choose sync folder…").scroll_to_me();
                harness.run();
                click(&mut harness, "Choose sync folder…");
                harness.run_steps(4);
                harness.get_by_label("Stop syncing");
            }
            let outside = outside_the_window(&harness);
            assert!(
                outside.is_empty(),
                "{name} at {size:?}: outside the window {screen:?}:\n{}",
                outside.join("\n")
            );
        }
    }
}

/// At projector zoom (2×), in both windows: a study session asking multiple choice (long
/// options wrap), the deck editor, a self-test, and the dialog for a typed path (no file
/// chooser) keep every labelled widget inside the window.
#[test]
fn study_editor_self_test_and_dialogs_fit_the_window_at_projector_zoom() {
    const DECK: &str = "Pyongyang and Moscow: agreement terms and stakes";
    for size in [[1100.0, 760.0], [800.0, 600.0]] {
        for open in [
            format!("Study {DECK}"),
            format!("Edit {DECK}"),
            format!("Test yourself on {DECK}"),
            "Import…".to_owned(),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let mut harness = crate::common::app_sized(dir.path(), size);
            harness.state_mut().fix_seed(7);
            harness.state_mut().set_setting("zoom", "2.0");
            harness.run();
            click(&mut harness, "Multiple choice");
            harness.get_by_label(&open).scroll_to_me();
            harness.run();
            click(&mut harness, &open);
            harness.run();
            let outside = outside_the_window(&harness);
            assert!(
                outside.is_empty(),
                "{open} at {size:?}:\n{}",
                outside.join("\n")
            );
        }
    }
}
