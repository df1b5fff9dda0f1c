//! Opening a deck from the home screen: a good deck is added, a broken one is reported by file
//! and place, and nothing is copied.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flashdrill::app::FlashdrillApp;

fn app(dir: &std::path::Path) -> crate::common::App {
    crate::common::app_sized(dir, [1100.0, 1400.0])
}

const DECK: &str = r#"{
  "format": "flashdrill-deck/1",
  "id": "my-deck",
  "title": "My deck",
  "source": { "title": "Notes", "author": "Me" },
  "cards": [
    { "id": "one", "category": "term", "prompt": "Say one", "answer": "one", "source": "one" }
  ]
}"#;

fn import(harness: &mut Harness<'_, FlashdrillApp>, path: &std::path::Path) {
    // The path field is labelled "or its path:"; a screen reader finds it as the text input.
    let field = harness.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    field.type_text(&path.display().to_string());
    harness.run();
    harness.get_by_label("Import").click();
    harness.run();
}

#[test]
fn a_typed_path_imports_a_deck_and_studies_it() {
    let data = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("mine.json");
    std::fs::write(&file, DECK).unwrap();
    let mut harness = app(data.path());
    harness.run();
    import(&mut harness, &file);
    harness.get_by_label("Added \"My deck\" (1 card).");
    assert!(
        data.path().join("decks").join("my-deck.json").exists(),
        "copied into the deck folder"
    );
    harness.get_by_label("Study My deck").click();
    harness.run();
    harness.get_by_label("Say one");
}

#[test]
fn a_broken_deck_is_reported_with_its_place_and_not_copied() {
    let data = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("broken.json");
    std::fs::write(
        &file,
        "{\n  \"format\": \"flashdrill-deck/1\",\n  \"id\": 5\n}",
    )
    .unwrap();
    let mut harness = app(data.path());
    harness.run();
    import(&mut harness, &file);
    // The message names the file and the place: `broken.json: line 3, column …`, not the
    // folder it came from.
    harness.get_by_label_contains("broken.json: line 3");
    assert!(
        harness
            .query_by_label_contains(&src.path().display().to_string())
            .is_none()
    );
    assert!(
        !data.path().join("decks").exists()
            || std::fs::read_dir(data.path().join("decks"))
                .unwrap()
                .next()
                .is_none()
    );
}

/// A file dropped from the file manager, as eframe hands it over.
#[derive(Debug)]
struct FileOnDisk(std::path::PathBuf);

impl egui::DroppedFile for FileOnDisk {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Drags `path` over the window (the hint shows), then drops it.
fn drag_and_drop(harness: &mut Harness<'_, FlashdrillApp>, path: &std::path::Path) {
    harness.input_mut().hovered_files.push(egui::HoveredFile {
        path: Some(path.to_path_buf()),
        ..Default::default()
    });
    // egui itself repaints while files hover over the window.
    harness.run_steps(2);
    harness.get_by_label("Drop the deck file to add it");
    harness.input_mut().hovered_files.clear();
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(FileOnDisk(path.to_path_buf())));
    harness.run();
    assert!(
        harness
            .query_by_label("Drop the deck file to add it")
            .is_none()
    );
}

#[test]
fn dropping_a_deck_on_the_window_adds_it_from_any_screen() {
    let data = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("dropped.json");
    std::fs::write(&file, DECK).unwrap();
    let mut harness = app(data.path());
    harness.run();
    harness.get_by_label("Statistics").click();
    harness.run();
    drag_and_drop(&mut harness, &file);
    assert_eq!(harness.state().screen(), flashdrill::app::Screen::Home);
    harness.get_by_label("Added \"My deck\" (1 card).");
    harness.get_by_label("Study My deck");
    assert_eq!(
        std::fs::read_to_string(data.path().join("decks").join("my-deck.json")).unwrap(),
        DECK
    );
}

#[test]
fn a_dropped_broken_deck_is_reported_and_not_copied() {
    let data = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("broken.json");
    std::fs::write(&file, DECK.replace("\"answer\": \"one\", ", "")).unwrap();
    let mut harness = app(data.path());
    harness.run();
    drag_and_drop(&mut harness, &file);
    // serde_json's place of the card that lacks its answer: line 7, where the card ends.
    harness.get_by_label_contains("broken.json: line 7");
    harness.get_by_label_contains("missing field \"answer\"");
    assert!(!data.path().join("decks").join("my-deck.json").exists());
    assert!(harness.query_by_label("Study My deck").is_none());
}
