//! Files opened from the desktop (`flashdrill FILE…`, or a double-click while the window is
//! open): an Anki package goes to the import screen, a flashdrill deck is added and shown.

use egui_kittest::kittest::Queryable;
use flashdrill::app::Screen;
use flashdrill::instance::{Claim, claim};

use crate::common::{app_sized, step_until};

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/interop")
        .join(name)
}

const DECK: &str = r#"{
  "format": "flashdrill-deck/1",
  "id": "opened",
  "title": "Opened deck",
  "source": { "title": "Notes", "author": "Me" },
  "cards": [
    { "id": "one", "category": "term", "prompt": "Say one", "answer": "one", "source": "one" }
  ]
}"#;

#[test]
fn a_package_given_at_start_opens_on_the_import_screen() {
    let data = tempfile::tempdir().unwrap();
    let mut h = app_sized(data.path(), [1100.0, 1400.0]);
    h.state_mut().open_files(vec![fixture("current.apkg")]);
    h.run();
    h.run();
    assert_eq!(h.state().screen(), Screen::Import);
    h.get_by_label("Imported current.apkg");
    h.get_by_label("New deck \"Capitals\": 7 added, 0 updated, 0 unchanged");
}

#[test]
fn a_file_opened_while_the_window_runs_reaches_that_window() {
    let data = tempfile::tempdir().unwrap();
    let run = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let deck = files.path().join("opened.json");
    std::fs::write(&deck, DECK).unwrap();

    // The window's start claims the data folder; the double-click's start hands over.
    let Claim::First(listener) = claim(run.path(), data.path(), &[]) else {
        panic!("nothing runs yet");
    };
    let mut h = app_sized(data.path(), [1100.0, 1400.0]);
    h.state_mut().listen(listener.handed());
    h.run();
    h.get_by_label("Statistics").click();
    h.run();
    assert!(matches!(
        claim(run.path(), data.path(), std::slice::from_ref(&deck)),
        Claim::HandedOver
    ));
    let arrived = step_until(&mut h, std::time::Duration::from_secs(5), |h| {
        h.query_by_label("Study Opened deck").is_some()
    });
    assert!(arrived, "the running window added the deck");
    assert_eq!(h.state().screen(), Screen::Home);
    h.get_by_label("Added \"Opened deck\" (1 card).");
    assert!(
        flashdrill_core::deck::user_deck_dir(data.path())
            .join("opened.json")
            .exists()
    );
}
