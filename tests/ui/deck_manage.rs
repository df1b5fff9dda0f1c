//! Deleting, renaming and duplicating a deck from its row on the home screen (issue 27, item
//! 13): each undoable, a delete keeping or removing the learner's progress as they choose, and
//! a bundled deck only duplicated.

use chrono::Utc;
use egui::Key;
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};

use crate::common::{App, click, press};

const MINE: &str = "Mine: Pyongyang and Moscow: dates and events";

/// A data folder with the deck "my-dates" in its deck folder and one of its cards studied.
fn data_with_my_deck() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let decks = flashdrill_core::deck::user_deck_dir(dir.path());
    std::fs::create_dir_all(&decks).unwrap();
    let written = crate::file_dialogs::deck_file(&decks);
    std::fs::rename(written, decks.join("my-dates.json")).unwrap();
    let mut store = crate::common::profile_store(dir.path());
    store
        .change_cards(&[("my-dates", "putin-first-visit-year")], Utc::now(), |p| {
            p.suspended = true;
        })
        .unwrap();
    dir
}

/// Whether the card of "my-dates" still has its progress (it was suspended; a card whose
/// progress was removed is a new card with no flags).
fn studied(h: &App) -> bool {
    let store = h.state().store().unwrap();
    store
        .card("my-dates", "putin-first-visit-year")
        .unwrap()
        .is_some_and(|p| p.suspended)
}

/// Opens the "More…" menu of the deck titled `title` and clicks `item`.
fn menu(h: &mut App, title: &str, item: &str) {
    h.get_by_label(&format!("More for {title}"))
        .click_accesskit();
    h.run();
    click(h, item);
}

#[test]
fn a_deck_deleted_without_its_progress_comes_back_with_undo() {
    let dir = data_with_my_deck();
    let file = flashdrill_core::deck::user_deck_dir(dir.path()).join("my-dates.json");
    let mut h = crate::common::app_sized(dir.path(), [1100.0, 900.0]);
    h.run();
    assert!(studied(&h));
    menu(&mut h, MINE, "Delete…");
    h.get_by_label(&format!("Delete \"{MINE}\"?"));
    h.get_by_label("my-dates.json is removed from your deck folder. Undo brings it back.");
    click(&mut h, "Remove my progress on its 1 studied card");
    click(&mut h, "Delete deck");
    assert!(!file.exists(), "the file is gone");
    assert!(h.query_by_label(&format!("Edit {MINE}")).is_none());
    h.get_by_label(&format!("Deleted the deck \"{MINE}\"."));
    assert!(!studied(&h), "its progress is removed");

    click(&mut h, &format!("Undo Delete deck \"{MINE}\""));
    assert!(file.exists(), "the file is back");
    h.get_by_label(&format!("Edit {MINE}"));
    assert!(studied(&h), "its progress is back");
    h.get_by_label_contains("Undone: Delete deck");
}

#[test]
fn a_deck_deleted_keeping_its_progress_keeps_it() {
    let dir = data_with_my_deck();
    let mut h = crate::common::app_sized(dir.path(), [1100.0, 900.0]);
    h.run();
    // Open in the deck editor: it closes the deck once the file is gone.
    h.get_by_label(&format!("Edit {MINE}")).click_accesskit();
    h.run();
    assert_eq!(h.state().editor_deck().unwrap().id, "my-dates");
    h.get_by_role_and_label(Role::Button, "Decks").click();
    h.run();
    // Escape closes the window and changes nothing.
    menu(&mut h, MINE, "Delete…");
    press(&mut h, Key::Escape);
    assert!(h.query_by_label("Delete deck").is_none());
    h.get_by_label(&format!("Edit {MINE}"));
    menu(&mut h, MINE, "Delete…");
    // Keeping the progress is the default.
    click(&mut h, "Delete deck");
    h.get_by_label(&format!(
        "Deleted the deck \"{MINE}\". Your progress on it is kept."
    ));
    assert!(studied(&h));
    assert!(h.query_by_label(&format!("Edit {MINE}")).is_none());
    assert!(h.state().editor_deck().is_none(), "the editor let it go");
}

#[test]
fn a_deck_is_renamed_and_the_rename_undone() {
    let dir = data_with_my_deck();
    let mut h = crate::common::app_sized(dir.path(), [1100.0, 900.0]);
    h.run();
    menu(&mut h, MINE, "Rename…");
    let field = h.get_by_label("New name:");
    assert!(field.is_focused(), "the name field has the keyboard");
    assert_eq!(field.value().as_deref(), Some(MINE));
    field.set_text_value_accesskit("Our dates");
    h.run();
    press(&mut h, Key::Enter);
    h.get_by_label("Edit Our dates");
    h.get_by_label("Renamed the deck to \"Our dates\".");
    assert!(studied(&h), "the progress stays with the renamed deck");
    let text = std::fs::read_to_string(
        flashdrill_core::deck::user_deck_dir(dir.path()).join("my-dates.json"),
    )
    .unwrap();
    assert!(text.contains("\"title\": \"Our dates\""));

    // An empty name is refused in the window.
    menu(&mut h, "Our dates", "Rename…");
    h.get_by_label("New name:").set_text_value_accesskit("  ");
    h.run();
    click(&mut h, "Rename");
    h.get_by_label_contains("The deck was not renamed: the name cannot be empty");
    click(&mut h, "Cancel");
    assert!(h.query_by_label("New name:").is_none());

    // Ctrl+Z on the decks' page does what the Undo button beside the notice does.
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    h.run();
    h.get_by_label(&format!("Edit {MINE}"));
    h.get_by_label_contains("Undone: Rename deck");
}

#[test]
fn a_bundled_deck_is_duplicated_not_renamed_or_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = crate::common::app_sized(dir.path(), [1100.0, 900.0]);
    h.run();
    let title = flashdrill_core::deck::load_library(&[], true).decks[0]
        .deck
        .title
        .clone();
    h.get_by_label(&format!("More for {title}"))
        .click_accesskit();
    h.run();
    for item in ["Rename…", "Delete…"] {
        assert!(
            h.get_by_role_and_label(Role::Button, item)
                .accesskit_node()
                .is_disabled(),
            "{item} is off for a bundled deck"
        );
    }
    click(&mut h, "Duplicate");
    let copy = format!("{title} (copy)");
    h.get_by_label(&format!("Edit {copy}"));
    h.get_by_label(&format!("Made \"{copy}\": edit it or study it on its own."));
    let files = std::fs::read_dir(flashdrill_core::deck::user_deck_dir(dir.path()))
        .unwrap()
        .count();
    assert_eq!(files, 1, "the copy is in the deck folder");
    click(&mut h, &format!("Undo Duplicate deck \"{title}\""));
    assert!(h.query_by_label(&format!("Edit {copy}")).is_none());
}
