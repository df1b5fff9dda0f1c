//! A damaged profile database in the app: the learner is told what happened, offered the
//! newest backup, and nothing else can be reached until they choose.

use crate::common::click;
use chrono::{Local, TimeDelta};
use egui_kittest::kittest::Queryable;
use flashdrill::app::Screen;
use flashdrill_core::store::profiles::Profiles;

/// A profile with one card studied, backed up yesterday, whose database is then damaged.
fn damaged_profile(dir: &std::path::Path) {
    let mut profiles = Profiles::load(dir).unwrap();
    let info = profiles.choose(None).unwrap();
    let mut store = profiles
        .open(&info.slug, Local::now().date_naive())
        .unwrap();
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
    let mut profiles = Profiles::load(dir.path()).unwrap();
    let info = profiles.choose(None).unwrap();
    let mut store = profiles
        .open(&info.slug, Local::now().date_naive())
        .unwrap();
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
