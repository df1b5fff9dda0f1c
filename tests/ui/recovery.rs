//! A damaged profile database in the app: the learner is told what happened, offered the
//! newest backup, and nothing else can be reached until they choose.

use crate::common::{click, default_profile, profile_store};
use chrono::{Local, TimeDelta};
use egui_kittest::kittest::Queryable;
use flashdrill::app::Screen;

/// A profile with one card studied, backed up yesterday, whose database is then damaged.
pub fn damaged_profile(dir: &std::path::Path) {
    let (profiles, info) = default_profile(dir);
    let mut store = profile_store(dir);
    let mut settings = store.load_settings().unwrap();
    settings.new_per_day = 7;
    store.save_settings(&settings).unwrap();
    let backups = profiles.backup_dir(&info.slug);
    std::fs::create_dir_all(&backups).unwrap();
    let yesterday = Local::now().date_naive() - TimeDelta::days(1);
    // Newer than the daily backup made when the profile was first opened today.
    let newest = backups.join(format!(
        "{}.sqlite3",
        Local::now().date_naive().format("%Y-%m-%d")
    ));
    let _ = std::fs::remove_file(&newest);
    store.backup_to(&newest).unwrap();
    store
        .backup_to(&backups.join(format!("{}.sqlite3", yesterday.format("%Y-%m-%d"))))
        .unwrap();
    drop(store);
    std::fs::write(profiles.db_path(&info.slug), b"not a database any more").unwrap();
}

#[test]
fn a_damaged_database_offers_its_backup_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    damaged_profile(dir.path());
    let mut harness = crate::common::app_sized(dir.path(), [1100.0, 800.0]);
    harness.run();
    assert_eq!(harness.state().screen(), Screen::Recovery);
    harness.get_by_label("Your progress could not be opened");
    harness.get_by_label_contains("is damaged");
    assert!(
        harness.query_by_label("Statistics").is_none(),
        "no way around the choice"
    );
    assert!(harness.query_by_label("Class drill").is_none());
    let today = Local::now().date_naive().format("%Y-%m-%d").to_string();
    click(&mut harness, &format!("Restore the backup of {today}"));
    assert_eq!(harness.state().screen(), Screen::Home);
    let settings = harness.state().store().unwrap().load_settings().unwrap();
    assert_eq!(settings.new_per_day, 7, "the backup's settings are back");
    harness.get_by_label("Statistics");
}

#[test]
fn starting_again_keeps_the_damaged_file_aside() {
    let dir = tempfile::tempdir().unwrap();
    damaged_profile(dir.path());
    let mut harness = crate::common::app_sized(dir.path(), [1100.0, 800.0]);
    harness.run();
    click(&mut harness, "Start again with empty progress");
    assert_eq!(harness.state().screen(), Screen::Home);
    assert_eq!(harness.state().store().unwrap().review_count().unwrap(), 0);
    let moved_aside = std::fs::read_dir(dir.path().join("profiles"))
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().contains(".corrupt-"));
    assert!(moved_aside, "the damaged file is kept");
}

/// Damage deep inside the file is found by the whole-file check, which runs after the window
/// opened (off the UI thread): the window then lets go of the profile and offers the backup.
#[test]
fn damage_found_after_opening_leads_to_the_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (profiles, info) = default_profile(dir.path());
    let mut store = profile_store(dir.path());
    // Enough rows for pages of their own beyond the schema's.
    let mut settings = store.load_settings().unwrap();
    settings.new_per_day = 9;
    store.save_settings(&settings).unwrap();
    let backups = profiles.backup_dir(&info.slug);
    let yesterday = Local::now().date_naive() - TimeDelta::days(1);
    store
        .backup_to(&backups.join(format!("{}.sqlite3", yesterday.format("%Y-%m-%d"))))
        .unwrap();
    drop(store);
    let db = profiles.db_path(&info.slug);
    // Scribble over the page of a table the window does not read when it opens, leaving the
    // header and the schema intact.
    let root: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = 'review_before'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut bytes = std::fs::read(&db).unwrap();
    let page = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    assert!(bytes.len() >= 3 * page, "a database of several pages");
    let start = (usize::try_from(root).unwrap() - 1) * page;
    for b in &mut bytes[start..start + page] {
        *b = 0xA5;
    }
    std::fs::write(&db, bytes).unwrap();
    // Today's backup would be of the damaged file: none is made.
    let today = backups.join(format!(
        "{}.sqlite3",
        Local::now().date_naive().format("%Y-%m-%d")
    ));
    let _ = std::fs::remove_file(&today);

    let mut harness = crate::common::app_sized(dir.path(), [1100.0, 800.0]);
    harness.run();
    assert_eq!(harness.state().screen(), Screen::Recovery);
    assert!(
        harness.state().store().is_none(),
        "the damaged file is let go"
    );
    harness.get_by_label_contains("is damaged");
    let yesterday = yesterday.format("%Y-%m-%d").to_string();
    click(&mut harness, &format!("Restore the backup of {yesterday}"));
    assert_eq!(harness.state().screen(), Screen::Home);
    let settings = harness.state().store().unwrap().load_settings().unwrap();
    assert_eq!(settings.new_per_day, 9);
}

/// A profile an older flashdrill wrote (schema 1) is brought up to date on a thread: the home
/// screen says so meanwhile, then the profile opens with its whole history.
#[test]
fn a_profile_from_an_older_flashdrill_is_updated_while_the_window_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (profiles, info) = default_profile(dir.path());
    let db = profiles.db_path(&info.slug);
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("crates/flashdrill-core/tests/data/store-v1/profile.sqlite3"),
        &db,
    )
    .unwrap();
    // A long history: each of its 21 cards copied 200 times (19,698 reviews).
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
             INSERT INTO review_log (profile, deck_id, card_id, at, rating, mode, answer_given,
                 correct, response_ms, kind_before, state_before, state_after)
             SELECT profile, deck_id, card_id || '-' || i, at, rating, mode, answer_given,
                 correct, response_ms, kind_before, state_before, state_after
             FROM review_log, n;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
             INSERT INTO card_state SELECT deck_id, card_id || '-' || i, state, step, stability,
                 difficulty, due, last_review, reps, lapses, suspended, buried_until, leech
             FROM card_state, n;",
        )
        .unwrap();
    assert!(flashdrill_core::store::Store::needs_update(&db));

    let mut harness = crate::common::app_with(dir.path(), [1100.0, 760.0], true);
    assert!(
        harness.state().store().is_none(),
        "the profile waits for its update"
    );
    harness.step();
    harness.get_by_label_contains("progress up to date for this version of flashdrill");
    harness.get_by_label("Your decks show here once your profile is open.");
    assert!(harness.query_by_label_contains("No decks yet").is_none());
    let opened = crate::common::step_until(&mut harness, std::time::Duration::from_secs(30), |h| {
        h.state().store().is_some()
    });
    assert!(opened, "the profile opened after its update");
    let store = harness.state().store().unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        flashdrill_core::store::SCHEMA_VERSION
    );
    assert_eq!(store.review_count().unwrap(), 98 * 201);
    assert_eq!(store.card_states(None).unwrap().len(), 21 * 201);
    harness.step();
    assert!(
        harness
            .query_by_label_contains("progress up to date for this version")
            .is_none(),
        "the word goes once the profile is open"
    );
    assert!(
        harness
            .query_by_label("Your decks show here once your profile is open.")
            .is_none()
    );
    assert_eq!(harness.state().screen(), Screen::Home);
}

/// A deck folder with three broken files: broken JSON, two cards that do not fit a card, and a
/// draft with problems the deck editor shows.
fn broken_decks(dir: &std::path::Path) -> std::path::PathBuf {
    let decks = flashdrill_core::deck::user_deck_dir(dir);
    std::fs::create_dir_all(&decks).unwrap();
    std::fs::write(
        decks.join("broken.json"),
        "{ \"format\": \"flashdrill-deck/1\",\n  \"id\" \"x\" }",
    )
    .unwrap();
    let head = r#"{"format":"flashdrill-deck/1","id":"ID","title":"T","source":{"title":"A","author":"B"},"cards":["#;
    std::fs::write(
        decks.join("shape.json"),
        format!(
            "{}\n{}\n{}\n]}}",
            head.replace("ID", "shape"),
            r#"{"id":"a","category":"term","prompt":"P","answer":"A","source":"s","colour":"red"},"#,
            r#"{"id":"b","category":"term","prompt":"P","answer":5,"source":"s"}"#
        ),
    )
    .unwrap();
    std::fs::write(
        decks.join("draft.json"),
        format!(
            "{}{}]}}",
            head.replace("ID", "draft"),
            r#"{"id":"c","category":"term","prompt":"","answer":"","source":"s"}"#
        ),
    )
    .unwrap();
    decks
}

#[test]
fn broken_decks_come_first_with_every_problem_and_a_way_to_fix_each() {
    let dir = tempfile::tempdir().unwrap();
    broken_decks(dir.path());
    let mut harness = crate::common::app_sized(dir.path(), [1100.0, 760.0]);
    harness.run();
    let heading = harness.get_by_label("3 deck files could not be loaded");
    assert!(
        heading.rect().top() < harness.get_by_label("Due now").rect().top(),
        "listed before the decks"
    );
    // Both cards that do not fit, each where it is.
    harness.get_by_label_contains("• line 2, column 75: unknown field \"colour\"");
    harness.get_by_label_contains("• line 3, column 51: invalid type: integer 5");
    // Broken JSON is fixed in a text editor: said so, with its path to copy.
    assert!(
        harness
            .query_by_label("Fix broken.json in the deck editor")
            .is_none()
    );
    harness.get_by_label("Copy the path of broken.json");
    let broken = flashdrill_core::deck::user_deck_dir(dir.path()).join("broken.json");
    harness.get_by_label(&format!(
        "Fix it in a text editor: {}. It loads as soon as it is saved.",
        broken.display()
    ));
    // A draft opens in the deck editor with its problems.
    click(&mut harness, "Fix draft.json in the deck editor");
    assert_eq!(harness.state().screen(), Screen::Editor);
    harness.get_by_label_contains("problems (not studied until fixed)");
}

#[test]
fn a_deck_file_added_or_fixed_in_the_folder_shows_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let decks = broken_decks(dir.path());
    let mut harness = crate::common::app_sized(dir.path(), [1100.0, 760.0]);
    harness
        .state_mut()
        .watch_decks_every(std::time::Duration::from_millis(50));
    harness.run();
    crate::file_dialogs::deck_file(&decks);
    std::fs::write(
        decks.join("broken.json"),
        std::fs::read_to_string(decks.join("draft.json"))
            .unwrap()
            .replace("\"draft\"", "\"was-broken\"")
            .replace(
                "\"prompt\":\"\",\"answer\":\"\"",
                "\"prompt\":\"P\",\"answer\":\"A\"",
            ),
    )
    .unwrap();
    let title = "Edit Mine: Pyongyang and Moscow: dates and events";
    let seen = crate::common::step_until(&mut harness, std::time::Duration::from_secs(10), |h| {
        h.query_by_label(title).is_some() && h.query_by_label("Edit T").is_some()
    });
    assert!(seen, "the new deck and the fixed one show");
    harness.get_by_label("2 deck files could not be loaded");
}
