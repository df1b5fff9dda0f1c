//! File dialogs (issue 27, item 9): when no file chooser can open (no desktop portal, no
//! zenity), every "…" button says so at once and offers a typed path, which does what the
//! chooser would have done.

use std::path::Path;
use std::sync::Arc;

use egui::Key;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use flashdrill::app::Screen;
use flashdrill::ui::file_ask::{Chosen, FileAsk};

use crate::common::{App, click, press};

const NO_CHOOSER: &str = "No file chooser could be opened: this computer has no file-chooser \
service (a desktop portal or zenity). Type the file's full path instead.";

/// The app on `dir` at `size`, on a computer where no file chooser opens.
fn app_without_chooser(dir: &Path, size: [f32; 2]) -> App {
    let mut h = crate::common::app_sized(dir, size);
    h.state_mut()
        .set_file_chooser(Arc::new(|_: &FileAsk| Chosen::Unavailable));
    h.run();
    h
}

/// Clicks `label`, a button that asks for a file: the screen waits (a spinner may turn) while
/// the typed-path window opens, its field with the keyboard.
fn ask(h: &mut App, label: &str, field: &str) {
    h.get_by_label(label).click_accesskit();
    h.run_steps(4);
    h.get_by_label(NO_CHOOSER);
    assert!(
        h.get_by_label(field).is_focused(),
        "the path field has the keyboard at once"
    );
}

/// Types `path` in the typed-path window and confirms with `confirm`.
fn type_path(h: &mut App, field: &str, path: &Path, confirm: &str) {
    h.get_by_label(field)
        .set_text_value_accesskit(&path.display().to_string());
    h.run_steps(2);
    h.get_by_label(confirm).click();
    h.run_steps(4);
    assert!(h.query_by_label(NO_CHOOSER).is_none(), "the window closed");
}

/// A copy of the bundled dates deck under another id, written to `dir`.
pub fn deck_file(dir: &Path) -> std::path::PathBuf {
    let (_, json) = flashdrill_core::deck::bundled()[0];
    let path = dir.join("my dates.json");
    let json = json
        .replacen("\"id\": \"pm-dates\"", "\"id\": \"my-dates\"", 1)
        .replacen("\"title\": \"", "\"title\": \"Mine: ", 1);
    std::fs::write(&path, json).unwrap();
    path
}

#[test]
fn import_without_a_chooser_takes_a_typed_path() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let deck = deck_file(files.path());
    let mut h = app_without_chooser(dir.path(), [1100.0, 900.0]);
    ask(&mut h, "Import…", "File path:");
    // A path that is not there is refused in plain words; the window stays.
    let missing = files.path().join("none.json");
    h.get_by_label("File path:")
        .set_text_value_accesskit(&missing.display().to_string());
    h.run_steps(2);
    click(&mut h, "Open this file");
    h.get_by_label(&format!("There is no file at {}.", missing.display()));
    type_path(&mut h, "File path:", &deck, "Open this file");
    h.get_by_label_contains("Added \"Mine: ");
    assert!(h.state().collection().library().deck("my-dates").is_some());

    // Cancel: nothing happens, and the chooser is not tried again (the window opens at once).
    ask(&mut h, "Import…", "File path:");
    click(&mut h, "Cancel");
    assert!(h.query_by_label(NO_CHOOSER).is_none());
    // Escape closes it too.
    ask(&mut h, "Import…", "File path:");
    h.key_press(Key::Escape);
    h.run_steps(4);
    assert!(h.query_by_label(NO_CHOOSER).is_none(), "Escape closed it");
    assert_eq!(h.state().screen(), Screen::Home);
}

#[test]
fn a_chooser_that_opens_is_used_without_the_typed_path() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let deck = deck_file(files.path());
    let mut h = crate::common::app_sized(dir.path(), [1100.0, 900.0]);
    h.state_mut().set_file_chooser(Arc::new(move |_: &FileAsk| {
        Chosen::Files(vec![deck.clone()])
    }));
    h.run();
    h.get_by_label("Import…").click_accesskit();
    h.run();
    assert!(h.query_by_label(NO_CHOOSER).is_none());
    assert!(h.state().collection().library().deck("my-dates").is_some());
}

#[test]
fn an_article_file_and_an_export_take_a_typed_path() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let article = files.path().join("article.txt");
    std::fs::write(&article, crate::editor::PARAGRAPH).unwrap();
    let mut h = app_without_chooser(dir.path(), [1100.0, 900.0]);
    h.get_by_label("New deck from an article…")
        .click_accesskit();
    h.run();
    ask(&mut h, "Open article file…", "File path:");
    type_path(&mut h, "File path:", &article, "Open this file");
    assert_eq!(
        h.get_by_label("or its path:").value().as_deref(),
        Some(article.display().to_string().as_str())
    );

    // Export… on the import screen: where to save, typed; Enter confirms.
    h.get_by_role_and_label(Role::Button, "Decks").click();
    h.run();
    h.get_by_label("Export…").click_accesskit();
    h.run();
    assert_eq!(h.state().screen(), Screen::Import);
    ask(&mut h, "Choose…", "Save to:");
    let out = files.path().join("deck export");
    h.get_by_label("Save to:")
        .set_text_value_accesskit(&out.display().to_string());
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(4);
    assert!(h.query_by_label(NO_CHOOSER).is_none(), "Enter saved");
    let saved = h.get_by_label("Save as").value().unwrap();
    assert!(
        saved.starts_with(&out.display().to_string())
            && saved.len() > out.display().to_string().len(),
        "the format's extension is added: {saved}"
    );
}

#[test]
fn a_report_and_drill_results_are_saved_to_a_typed_path() {
    let dir = tempfile::tempdir().unwrap();
    crate::stats::seed(dir.path());
    let mut h = app_without_chooser(dir.path(), [1100.0, 2600.0]);
    click(&mut h, "Statistics");
    ask(&mut h, "Export report…", "Save to:");
    let report = dir.path().join("report.csv");
    type_path(&mut h, "Save to:", &report, "Save to this path");
    h.get_by_label_contains("Saved the report");
    assert!(report.exists());

    crate::drill::set_up(&mut h, "1", "Off", "2 teams");
    click(&mut h, "Start drill");
    press(&mut h, Key::Space);
    press(&mut h, Key::Space);
    ask(&mut h, "Save results…", "Save to:");
    let results = dir.path().join("results.csv");
    type_path(&mut h, "Save to:", &results, "Save to this path");
    h.get_by_label(&format!("Saved the results to {}.", results.display()));
    assert!(std::fs::read_to_string(&results).unwrap().lines().count() > 1);
}
