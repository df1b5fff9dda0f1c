//! Opening a deck from the home screen: a good deck is added, a broken one is reported by file
//! and place, and nothing is copied.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flashdrill::app::{AppOptions, FlashdrillApp};

fn app(dir: &std::path::Path) -> Harness<'static, FlashdrillApp> {
    let app = FlashdrillApp::new(AppOptions {
        data_dir: dir.to_path_buf(),
        profile: None,
        background_loading: false,
    });
    Harness::builder()
        .with_size([1100.0, 1400.0])
        .build_ui_state(|ui, app: &mut FlashdrillApp| app.frame(ui), app)
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
    harness.get_by_label("Added \"My deck\" (1 cards).");
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
    // The message names the file and the place: `…/broken.json: line 3, column …`.
    harness.get_by_label_contains("broken.json: line 3");
    assert!(
        !data.path().join("decks").exists()
            || std::fs::read_dir(data.path().join("decks"))
                .unwrap()
                .next()
                .is_none()
    );
}
