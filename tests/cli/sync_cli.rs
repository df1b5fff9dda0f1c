//! `flashdrill sync`: two data directories ("computers") sharing a folder.

use std::path::Path;

use crate::common::{run, stderr, stdout};

/// A profile "Ana" with one review of deck "d", written through the library.
fn studied(data: &Path) {
    use chrono::{TimeZone, Utc};
    use flashdrill_core::schedule::Rating;
    use flashdrill_core::session::{CardKey, Session};
    use flashdrill_core::settings::Settings;
    use flashdrill_core::store::profiles::Profiles;
    use flashdrill_core::store::{CardProgress, Mode};
    let mut profiles = Profiles::load(data).unwrap();
    profiles.create("Ana").unwrap();
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
    let mut store = profiles.open("Ana", at.date_naive()).unwrap();
    let queue = vec![(CardKey::new("d", "c"), CardProgress::new_card(at))];
    let mut s = Session::from_settings(&Settings::default(), Mode::Srs, queue, at).unwrap();
    s.answer(
        &mut store,
        Rating::Good,
        None,
        None,
        std::time::Duration::from_secs(2),
        at,
    )
    .unwrap();
}

#[test]
fn sync_remembers_its_folder_and_says_what_went_out_and_came_in() {
    let (home, school, shared) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let folder = shared.path().to_str().unwrap();
    studied(home.path());
    let o = run(
        home.path(),
        &["--profile", "Ana", "settings", "new_per_day=33"],
    );
    assert!(o.status.success(), "{}", stderr(&o));

    // No folder yet: told how to give one.
    let o = run(home.path(), &["--profile", "Ana", "sync"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--folder DIR"), "{}", stderr(&o));

    let o = run(
        home.path(),
        &[
            "--profile",
            "Ana",
            "sync",
            "--folder",
            folder,
            "--name",
            "home",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("synced the profile \"Ana\""), "{out}");
    assert!(out.contains("out: 1 reviews"), "{out}");

    // The other computer: a profile of the same name; the folder is remembered afterwards.
    let o = run(school.path(), &["profiles", "create", "Ana"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(
        school.path(),
        &[
            "--profile",
            "Ana",
            "sync",
            "--folder",
            folder,
            "--name",
            "school",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("in: 1 reviews from home"), "{out}");
    // Deck "d" is neither bundled nor one of the learner's on this computer.
    assert!(
        out.contains("the deck \"d\", which this computer does not have"),
        "{out}"
    );
    let o = run(school.path(), &["--profile", "Ana", "settings", "--json"]);
    assert!(stdout(&o).contains("\"new_per_day\":33"), "{}", stdout(&o));
    let o = run(school.path(), &["--profile", "Ana", "progress", "export"]);
    assert!(stdout(&o).contains("\"card\": \"c\""), "{}", stdout(&o));

    let o = run(school.path(), &["--profile", "Ana", "sync"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("in: 0 reviews from home"),
        "{}",
        stdout(&o)
    );

    // A damaged file is named, and the sync still runs.
    let root = shared.path().join("flashdrill").join("ana");
    let home_dir = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            std::fs::read_to_string(p.join("device.json"))
                .unwrap()
                .contains("\"home\"")
        })
        .unwrap();
    std::fs::write(
        home_dir.join("reviews-1-2-bad.fdsync"),
        b"FLASHDRILL-SYNC\n",
    )
    .unwrap();
    let o = run(school.path(), &["--profile", "Ana", "sync"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("skipped ") && out.contains("reviews-1-2-bad.fdsync: not complete yet"),
        "{out}"
    );
}

#[test]
fn a_missing_folder_is_an_error_that_says_what_to_do() {
    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("usb-stick");
    let o = run(
        home.path(),
        &["sync", "--folder", missing.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("does not exist (is the drive connected?)"),
        "{}",
        stderr(&o)
    );
}
