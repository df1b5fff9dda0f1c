//! Opening a deck from the home screen: a good deck is added, a broken one is reported by file
//! and place, and nothing is copied.

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
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
    // With many decks the field is below the fold: click as a screen reader does.
    harness.get_by_label("Import").click_accesskit();
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
    harness.get_by_label("Drop the file to import it");
    harness.input_mut().hovered_files.clear();
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(FileOnDisk(path.to_path_buf())));
    harness.run();
    assert!(
        harness
            .query_by_label("Drop the file to import it")
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

/// One of the Anki packages made with the real Anki (`tests/data/interop/make_fixtures.py`):
/// a deck "Capitals" of seven cards (one answered three times, one suspended, one with an
/// image and a sound) and a sub-deck "Capitals::Europe" of one.
fn anki_fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/interop")
        .join(name)
}

#[test]
fn an_anki_package_comes_in_with_its_history_and_a_report() {
    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    harness.run();
    import(&mut harness, &anki_fixture("current.apkg"));
    assert_eq!(harness.state().screen(), flashdrill::app::Screen::Import);
    harness.get_by_label("Imported current.apkg");
    harness.get_by_label("Cards added");
    harness.get_by_label("New deck \"Capitals\": 7 added, 0 updated, 0 unchanged");
    harness.get_by_label("New deck \"Capitals — Europe\": 1 added, 0 updated, 0 unchanged");
    // The sound on the image card is left out, and the report says so.
    harness.get_by_label("Left out");
    let store = harness.state().store().unwrap();
    assert_eq!(
        store.review_count().unwrap(),
        3,
        "the revlog's three answers"
    );
    assert!(data.path().join("decks").join("capitals.json").exists());

    // The new decks are on the home screen at once.
    harness.get_by_label("Back to decks").click();
    harness.run();
    harness.get_by_label("Study Capitals");
    harness.get_by_label("Study Capitals — Europe");

    // The same package again changes nothing and adds no review twice.
    import(&mut harness, &anki_fixture("current.apkg"));
    assert!(
        harness
            .query_by_label("Deck \"Capitals\": 0 added, 0 updated, 7 unchanged")
            .is_some(),
        "a second import leaves every card as it was"
    );
    assert_eq!(harness.state().store().unwrap().review_count().unwrap(), 3);
}

#[test]
fn a_dropped_file_that_is_not_a_package_imports_nothing_and_says_why() {
    let data = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("holiday.apkg");
    std::fs::write(&file, "these are not the cards you are looking for").unwrap();
    let mut harness = app(data.path());
    harness.run();
    drag_and_drop(&mut harness, &file);
    assert_eq!(harness.state().screen(), flashdrill::app::Screen::Import);
    harness.get_by_label("Nothing was imported.");
    harness.get_by_label_contains("holiday.apkg");
    assert_eq!(harness.state().store().unwrap().review_count().unwrap(), 0);
    assert!(
        !data.path().join("decks").exists()
            || std::fs::read_dir(data.path().join("decks"))
                .unwrap()
                .all(|e| e.unwrap().file_name().to_string_lossy().starts_with('.')),
        "no deck written"
    );
}

#[test]
fn a_deck_exports_to_anki_and_comes_back_the_same() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("capitals.txt");
    let mut harness = app(data.path());
    harness.run();
    import(&mut harness, &anki_fixture("legacy2.apkg"));
    harness.get_by_label("New deck \"Capitals\": 7 added, 0 updated, 0 unchanged");

    harness.get_by_label("Back to decks").click();
    harness.run();
    assert_eq!(harness.state().screen(), flashdrill::app::Screen::Home);
    // Below the decks, out of view: a screen reader clicks it where it is.
    harness.get_by_label("Export…").click_accesskit();
    harness.run();
    assert_eq!(harness.state().screen(), flashdrill::app::Screen::Import);
    crate::common::choose(&mut harness, "Deck", "Capitals");
    harness
        .get_by_label("Anki text, tab-separated (.txt)")
        .click();
    harness.run();
    let field = harness.get_by_label("Save as");
    field.focus();
    field.type_text(&file.display().to_string());
    harness.run();
    harness.get_by_label("Export deck").click();
    harness.run();
    harness.get_by_label("Exported 7 cards to capitals.txt.");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("#separator:tab\n#html:false\n"), "{text}");
    assert!(text.contains("Paris"), "{text}");

    // Another format takes the file name along, with its own extension.
    harness
        .get_by_label("Anki package with my progress (.apkg)")
        .click();
    harness.run();
    let package = out.path().join("capitals.apkg");
    assert!(
        harness
            .query_all_by_value(&package.display().to_string())
            .next()
            .is_some(),
        "the Save as field names capitals.apkg"
    );
    harness.get_by_label("Export deck").click();
    harness.run();
    harness.get_by_label("Exported 7 cards to capitals.apkg with 3 reviews and 1 image.");

    // Importing the package gives the same cards: nothing added, nothing changed.
    crate::common::click(&mut harness, "Decks");
    import(&mut harness, &package);
    harness.get_by_label("Deck \"Capitals\": 0 added, 0 updated, 7 unchanged");
    assert_eq!(harness.state().store().unwrap().review_count().unwrap(), 3);
}

#[test]
fn a_card_picture_shows_under_the_prompt() {
    let data = tempfile::tempdir().unwrap();
    let decks = data.path().join("decks");
    std::fs::create_dir_all(decks.join("flags.media")).unwrap();
    // A 1×1 PNG, as Anki's fixture has.
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets")
            .join("icon.png"),
        decks.join("flags.media").join("flag.png"),
    )
    .unwrap();
    std::fs::write(
        decks.join("flags.json"),
        r#"{"format": "flashdrill-deck/1", "id": "flags", "title": "Flags",
            "source": {"title": "Atlas", "author": "Me"},
            "cards": [{"id": "japan", "category": "term", "prompt": "Whose flag?",
                       "answer": "Japan", "source": "Japan", "image": "flag.png"}]}"#,
    )
    .unwrap();
    let mut harness = app(data.path());
    harness.run();
    harness.get_by_label("Study Flags").click();
    harness.run();
    harness.get_by_label("Whose flag?");
    harness.get_by_label("Picture for: Whose flag?");
}

#[test]
fn a_text_file_is_previewed_and_read_with_the_separators_chosen() {
    let data = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("agencies.txt");
    std::fs::write(
        &file,
        "KCNA=North Korea's official news agency\nTASS=Russia's state news agency\n\
         Xinhua=China's state news agency\n",
    )
    .unwrap();
    let mut harness = app(data.path());
    harness.run();
    drag_and_drop(&mut harness, &file);
    assert_eq!(harness.state().screen(), flashdrill::app::Screen::Import);
    harness.get_by_label("How the text is read");
    // Detected as a Quizlet export with commas: the first line has none, and the preview says
    // where reading stops; nothing can be imported yet.
    harness.get_by_label_contains("agencies.txt: line 1:");
    let import = harness.get_by_label("Import these files");
    assert!(import.accesskit_node().is_disabled());

    crate::common::choose(
        &mut harness,
        "Read as",
        "Quizlet export (term and definition)",
    );
    // Two rows of separators: a screen reader tells their "Detect" and "Other" apart.
    harness.get_by_label("Detect the separator between term and definition");
    harness.get_by_label("Detect the separator between cards");
    harness.get_by_label("Other separator between cards:");
    let other = harness.get_by_label("Other character between term and definition");
    other.focus();
    other.type_text("=");
    harness.run();
    harness.get_by_label(
        "3 cards read as a Quizlet export: \u{201c}=\u{201d} between term and definition, new \
         line between cards.",
    );
    harness.get_by_label("KCNA");
    harness.get_by_label("North Korea's official news agency");
    assert_eq!(
        std::fs::read_dir(src.path()).unwrap().count(),
        1,
        "a preview writes nothing"
    );
    assert!(!data.path().join("decks").join("agencies.json").exists());

    harness.get_by_label("Import these files").click();
    harness.run();
    harness.get_by_label("Imported agencies.txt");
    harness.get_by_label_contains("3 added");
    let written = std::fs::read_to_string(data.path().join("decks").join("agencies.json")).unwrap();
    assert!(written.contains("\"prompt\": \"Xinhua\""), "{written}");
    assert!(written.contains("\"answer\": \"China's state news agency\""));
}

#[test]
fn a_text_import_can_be_called_off_before_anything_is_read_in() {
    let data = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("words.csv");
    std::fs::write(&file, "hola,hello\nadios,goodbye\n").unwrap();
    let mut harness = app(data.path());
    harness.run();
    drag_and_drop(&mut harness, &file);
    harness.get_by_label("2 cards read as a spreadsheet: comma between columns.");
    harness.get_by_label("Cancel").click();
    harness.run();
    harness.get_by_label("Nothing was imported.");
    assert!(harness.query_by_label("How the text is read").is_none());
    assert!(!data.path().join("decks").join("words.json").exists());
}

/// Whether the checkbox a screen reader calls `label` is ticked.
fn ticked(harness: &Harness<'_, FlashdrillApp>, label: &str) -> bool {
    harness.get_by_label(label).accesskit_node().toggled() == Some(egui::accesskit::Toggled::True)
}

#[test]
fn a_spreadsheet_s_header_row_is_shown_with_a_switch_and_is_no_card() {
    let data = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("words.csv");
    std::fs::write(&file, "Front,Back\nhola,hello\n\"adios, amigo\",goodbye\n").unwrap();
    let mut harness = app(data.path());
    harness.run();
    drag_and_drop(&mut harness, &file);
    // Detected: a spreadsheet whose first row names its columns.
    harness.get_by_label("2 cards read as a spreadsheet: comma between columns.");
    assert!(ticked(&harness, "First row is a header"));
    harness.get_by_label(
        "Column names, not a card: \u{201c}Front\u{201d}, \u{201c}Back\u{201d} (detected)",
    );
    harness.get_by_label("adios, amigo");

    // Switched off, the first row is a card of the preview.
    crate::common::click(&mut harness, "First row is a header");
    assert!(!ticked(&harness, "First row is a header"));
    harness.get_by_label("3 cards read as a spreadsheet: comma between columns.");
    assert!(
        harness
            .query_by_label_contains("Column names, not a card")
            .is_none()
    );
    harness.get_by_label("Front");

    // And on again: the learner's word, no longer the detection's.
    crate::common::click(&mut harness, "First row is a header");
    assert!(ticked(&harness, "First row is a header"));
    harness.get_by_label("Column names, not a card: \u{201c}Front\u{201d}, \u{201c}Back\u{201d}");
    harness.get_by_label("2 cards read as a spreadsheet: comma between columns.");

    crate::common::click(&mut harness, "Import these files");
    harness.get_by_label("Imported words.csv");
    harness.get_by_label_contains("2 added");
    harness.get_by_label(
        "The first row of words.csv (Front, Back) was read as column names, not as a card.",
    );
    let written = std::fs::read_to_string(data.path().join("decks").join("words.json")).unwrap();
    assert!(!written.contains("\"Front\""), "{written}");
    assert!(
        written.contains("\"prompt\": \"adios, amigo\""),
        "{written}"
    );
}

#[test]
fn a_spreadsheet_s_delimiter_is_detected_and_can_be_chosen() {
    let data = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("numbers.csv");
    std::fs::write(&file, "uno;one\ndos;two, the number\n").unwrap();
    let mut harness = app(data.path());
    harness.run();
    drag_and_drop(&mut harness, &file);
    harness.get_by_label("2 cards read as a spreadsheet: semicolon between columns.");
    harness.get_by_label("Between columns");
    // No header here: the switch is off.
    assert!(!ticked(&harness, "First row is a header"));

    // A comma: the first row has none, and the preview says where reading stops.
    crate::common::click(&mut harness, "Comma");
    harness.get_by_label_contains(
        "numbers.csv: line 1: \"uno;one\" has no comma between the prompt and the answer",
    );
    assert!(
        harness
            .get_by_label("Import these files")
            .accesskit_node()
            .is_disabled()
    );
    // Choosing a separator while detecting reads the file as the kind detected.
    assert_eq!(
        harness.get_by_label("Read as").accesskit_node().value(),
        Some("Spreadsheet, CSV or TSV (a card per row)".to_owned())
    );

    // Any other character can be typed.
    let other = harness.get_by_label("Other character between columns");
    other.focus();
    other.type_text(";");
    harness.run();
    harness.get_by_label("2 cards read as a spreadsheet: semicolon between columns.");
    harness.get_by_label("two, the number");

    crate::common::click(&mut harness, "Import these files");
    harness.get_by_label("Imported numbers.csv");
    let written = std::fs::read_to_string(data.path().join("decks").join("numbers.json")).unwrap();
    assert!(
        written.contains("\"answer\": \"two, the number\""),
        "{written}"
    );
}

#[test]
fn a_picture_left_out_of_a_package_is_named_with_why_in_the_report() {
    // A deck whose card shows "flag.png", which is a saved web page, exported as an Anki
    // package (the export copies media as they are).
    let made = tempfile::tempdir().unwrap();
    let decks = made.path().join("decks");
    std::fs::create_dir_all(decks.join("flags.media")).unwrap();
    std::fs::write(
        decks.join("flags.media").join("flag.png"),
        "<html><body>Not found</body></html>",
    )
    .unwrap();
    std::fs::write(
        decks.join("flags.json"),
        r#"{"format": "flashdrill-deck/1", "id": "flags", "title": "Flags",
            "source": {"title": "Atlas", "author": "Me"},
            "cards": [{"id": "japan", "category": "term", "prompt": "Whose flag?",
                       "answer": "Japan", "source": "Japan", "image": "flag.png"},
                      {"id": "peru", "category": "term", "prompt": "Capital of Peru?",
                       "answer": "Lima", "source": "Lima"}]}"#,
    )
    .unwrap();
    let deck = flashdrill_core::deck::load_file(&decks.join("flags.json")).unwrap();
    let package = made.path().join("flags.apkg");
    flashdrill_core::interop::export_apkg(
        &deck,
        Some(&decks.join("flags.json")),
        None,
        flashdrill_core::interop::ExportOptions::default(),
        &package,
    )
    .unwrap();

    let data = tempfile::tempdir().unwrap();
    let mut harness = app(data.path());
    harness.run();
    import(&mut harness, &package);
    harness.get_by_label("Imported flags.apkg");
    harness.get_by_label("New deck \"Flags\": 2 added, 0 updated, 0 unchanged");
    harness.get_by_label("Pictures left out");
    harness.get_by_label("flag.png: not a picture (1 card imported without it)");
    let written = std::fs::read_to_string(data.path().join("decks").join("flags.json")).unwrap();
    assert!(!written.contains("flag.png"), "{written}");
    assert!(
        !data
            .path()
            .join("decks")
            .join("flags.media")
            .join("flag.png")
            .exists()
    );
}

#[test]
fn a_quizlet_set_comes_in_titled_as_asked_with_reverse_cards_and_no_false_source() {
    let data = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("capitals_set.txt");
    std::fs::write(&file, "Paris\tFrance\nRome\tItaly\nBerlin\tGermany\n").unwrap();
    let mut harness = app(data.path());
    harness.run();
    drag_and_drop(&mut harness, &file);
    // The deck is named after the file, in words, until the learner names it.
    let title = harness.get_by_label("Deck title");
    assert_eq!(
        title.accesskit_node().value().as_deref(),
        Some("Capitals set")
    );
    title.focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Deck title")
        .type_text("European capitals");
    harness.run();
    crate::common::click(
        &mut harness,
        "Also ask each card the other way round (the answer asks for the prompt)",
    );
    harness.get_by_label("Import these files").click();
    harness.run();
    harness.get_by_label_contains("6 added");

    let deck: flashdrill_core::deck::Deck = serde_json::from_str(
        &std::fs::read_to_string(data.path().join("decks").join("european-capitals.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(deck.title, "European capitals");
    assert!(deck.cards.iter().all(|c| c.category != "term"), "not terms");
    assert!(
        deck.cards
            .iter()
            .any(|c| c.prompt == "France" && c.answer == "Paris")
    );

    // Studied: the answer is not quoted back as "From the article:".
    harness.get_by_label("Back to decks").click();
    harness.run();
    crate::common::choose(&mut harness, "Question form:", "Flashcards");
    harness.get_by_label("Study European capitals").click();
    harness.run();
    crate::common::press(&mut harness, egui::Key::Space);
    harness.get_by_label("Good");
    assert!(harness.query_by_label("From the article:").is_none());
    assert!(harness.query_by_label("Source:").is_none());
}
