//! Profiles, daily backups, damaged databases and restoring a backup.

use std::path::Path;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use flashdrill_core::schedule::{CardState, Rating, Scheduler, SchedulerConfig, fuzz_seed};
use flashdrill_core::settings::LeechAction;
use flashdrill_core::store::backup::{KEEP_BACKUPS, list_backups};
use flashdrill_core::store::profiles::{ProfileError, Profiles, slugify};
use flashdrill_core::store::{LeechPolicy, Mode, NewReview, Store, StoreError};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
}

fn study(store: &mut Store, card: &str) {
    let s = Scheduler::new(SchedulerConfig::default()).unwrap();
    let before = CardState::new_card(t0());
    let after = s.review(&before, Rating::Good, t0(), fuzz_seed("d", card, 0));
    store
        .record_answer(
            &NewReview {
                deck_id: "d",
                card_id: card,
                at: t0(),
                rating: Rating::Good,
                mode: Mode::Srs,
                answer_given: None,
                correct: None,
                response_ms: 1,
                state_after: Some(after),
            },
            LeechPolicy {
                threshold: 8,
                action: LeechAction::Suspend,
            },
        )
        .unwrap();
}

fn names(p: &Profiles) -> Vec<(String, String)> {
    p.list()
        .iter()
        .map(|i| (i.slug.clone(), i.name.clone()))
        .collect()
}

#[test]
fn create_rename_switch_and_delete_profiles() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Profiles::load(dir.path()).unwrap();
    assert!(p.list().is_empty());
    // With no profile, a "Default" one is made.
    let default = p.choose(None).unwrap();
    assert_eq!(
        (default.slug.as_str(), default.name.as_str()),
        ("default", "Default")
    );

    let ana = p.create("Ana María").unwrap();
    assert_eq!(ana.slug, "ana-mar-a");
    let ana2 = p.create("Ana-María").unwrap();
    assert_eq!(ana2.slug, "ana-mar-a-2");
    assert!(matches!(
        p.create("ana maría"),
        Err(ProfileError::DuplicateName(_))
    ));
    assert!(matches!(p.create("  "), Err(ProfileError::EmptyName)));

    p.rename("ana-mar-a-2", "Bea").unwrap();
    assert!(matches!(
        p.rename("Bea", "Default"),
        Err(ProfileError::DuplicateName(_))
    ));
    assert_eq!(p.find("bea").unwrap().slug, "ana-mar-a-2");

    // Switching remembers the last used profile, across reloads; opening alone does not.
    assert_eq!(p.last_used().unwrap().slug, "default");
    let mut store = p.open("Bea", day(1)).unwrap();
    study(&mut store, "c");
    drop(store);
    assert_eq!(p.last_used().unwrap().slug, "default");
    p.switch("Bea").unwrap();
    let mut p = Profiles::load(dir.path()).unwrap();
    assert_eq!(p.last_used().unwrap().name, "Bea");
    assert_eq!(p.choose(None).unwrap().slug, "ana-mar-a-2");
    p.switch("Default").unwrap();
    let p2 = Profiles::load(dir.path()).unwrap();
    assert_eq!(p2.last_used().unwrap().slug, "default");
    assert_eq!(
        names(&p2),
        [
            ("default".into(), "Default".into()),
            ("ana-mar-a".into(), "Ana María".into()),
            ("ana-mar-a-2".into(), "Bea".into()),
        ]
    );

    // Each profile has its own database.
    let other = p.open("Ana María", day(1)).unwrap();
    assert_eq!(other.review_count().unwrap(), 0);
    drop(other);

    // Delete moves the database to the trash.
    let moved = p.delete("Bea").unwrap().unwrap();
    assert!(moved.starts_with(dir.path().join("trash")));
    let kept = Store::open(&moved).unwrap();
    assert_eq!(kept.review_count().unwrap(), 1);
    assert!(!p.db_path("ana-mar-a-2").exists());
    assert!(p.find("Bea").is_none());
    assert!(matches!(
        p.open("Bea", day(1)),
        Err(ProfileError::NoSuchProfile(_))
    ));
    // A new profile never reuses a slug whose file exists.
    assert_eq!(Profiles::load(dir.path()).unwrap().list().len(), 2);
}

#[test]
fn databases_missing_from_the_index_are_found() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("profiles")).unwrap();
    Store::open(&dir.path().join("profiles/zed.sqlite3")).unwrap();
    std::fs::write(dir.path().join("profiles.json"), "{ not json").unwrap();
    let p = Profiles::load(dir.path()).unwrap();
    assert_eq!(names(&p), [("zed".into(), "zed".into())]);
}

fn backups(dir: &Path, slug: &str) -> Vec<String> {
    list_backups(&dir.join("backups").join(slug))
        .unwrap()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn one_backup_a_day_and_the_newest_seven_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Profiles::load(dir.path()).unwrap();
    let info = p.create("Me").unwrap();
    for d in 1..=10 {
        let mut store = p.open("Me", day(d)).unwrap();
        study(&mut store, &format!("c{d}"));
        // A second open the same day makes no new backup.
        drop(store);
        p.open("Me", day(d)).unwrap();
    }
    let list = backups(dir.path(), &info.slug);
    assert_eq!(list.len(), KEEP_BACKUPS);
    assert_eq!(list.first().unwrap(), "2025-03-04.sqlite3");
    assert_eq!(list.last().unwrap(), "2025-03-10.sqlite3");
    // A backup is a consistent database holding what was there when the day's first open
    // happened (before that day's study).
    let b = Store::open(&dir.path().join("backups/me/2025-03-10.sqlite3")).unwrap();
    assert_eq!(b.integrity_check().unwrap(), "ok");
    assert_eq!(b.review_count().unwrap(), 9);
}

#[test]
fn a_damaged_profile_is_moved_aside_and_its_backup_restored() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Profiles::load(dir.path()).unwrap();
    p.create("Me").unwrap();
    {
        let mut store = p.open("Me", day(1)).unwrap();
        study(&mut store, "a");
    }
    {
        let mut store = p.open("Me", day(2)).unwrap();
        study(&mut store, "b");
    }
    let db = p.db_path("me");
    // Damage it: the header is overwritten (and the WAL goes with it).
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[..100].fill(0x42);
    std::fs::write(&db, &bytes).unwrap();

    let err = p.open("Me", day(3)).unwrap_err();
    let ProfileError::Store(StoreError::Corrupt {
        moved_to,
        newest_backup,
        ..
    }) = &err
    else {
        panic!("{err:?}");
    };
    let newest = newest_backup.clone().unwrap();
    assert!(
        newest.ends_with("backups/me/2025-03-02.sqlite3"),
        "{newest:?}"
    );
    assert!(err.to_string().contains("2025-03-02.sqlite3"), "{err}");
    assert!(moved_to.exists());
    assert!(!db.exists());

    p.restore_backup("Me", &newest).unwrap();
    let store = p.open("Me", day(3)).unwrap();
    assert_eq!(store.review_count().unwrap(), 1);
    assert!(store.card("d", "a").unwrap().is_some());
    drop(store);

    // Restoring over a working database moves that one aside too.
    let oldest = list_backups(&p.backup_dir("me")).unwrap()[0].clone();
    p.restore_backup("Me", &oldest).unwrap();
    let aside: Vec<_> = std::fs::read_dir(dir.path().join("profiles"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with("me.sqlite3.replaced-") && !n.ends_with("-wal") && !n.ends_with("-shm")
        })
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    let store = p.open("Me", day(3)).unwrap();
    assert_eq!(store.review_count().unwrap(), 0);
}

#[test]
fn a_damaged_backup_is_not_restored() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Profiles::load(dir.path()).unwrap();
    p.create("Me").unwrap();
    drop(p.open("Me", day(1)).unwrap());
    let bad = dir.path().join("bad.sqlite3");
    std::fs::write(&bad, vec![7u8; 8192]).unwrap();
    assert!(p.restore_backup("Me", &bad).is_err());
    // The profile is untouched.
    assert!(p.db_path("me").exists());
    p.open("Me", day(1)).unwrap();
}

#[test]
fn slugs() {
    assert_eq!(slugify("My Profile!"), "my-profile");
}

#[test]
fn a_deferred_open_leaves_the_whole_file_check_to_upkeep() {
    let dir = tempfile::tempdir().unwrap();
    let mut profiles = Profiles::load(dir.path()).unwrap();
    let info = profiles.choose(None).unwrap();
    let mut store = profiles.open(&info.slug, day(1)).unwrap();
    for i in 0..200 {
        study(&mut store, &format!("card-{i}"));
    }
    drop(store);
    let db = profiles.db_path(&info.slug);
    let backups = profiles.backup_dir(&info.slug);
    // A sound file: upkeep makes the day's backup.
    flashdrill_core::store::profiles::upkeep(&db, &backups, day(2)).unwrap();
    assert_eq!(list_backups(&backups).unwrap().len(), 2);

    // Damage the review log's root page, which opening does not read.
    let root: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = 'review'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut bytes = std::fs::read(&db).unwrap();
    let page = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    let start = (usize::try_from(root).unwrap() - 1) * page;
    for b in &mut bytes[start + 8..start + page] {
        *b = 0xA5;
    }
    std::fs::write(&db, bytes).unwrap();
    // Opening without the check succeeds; the check finds the damage and moves the file aside.
    let store = profiles.open_deferred(&info.slug).unwrap();
    drop(store);
    let err = flashdrill_core::store::profiles::upkeep(&db, &backups, day(3)).unwrap_err();
    assert!(
        matches!(err, ProfileError::Store(StoreError::Corrupt { .. })),
        "{err}"
    );
    assert!(!db.exists(), "the damaged file was moved aside");
    assert_eq!(
        list_backups(&backups).unwrap().len(),
        2,
        "no backup of a damaged file"
    );
}
