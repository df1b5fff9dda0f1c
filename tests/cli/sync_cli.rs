//! `flashdrill sync`: two data directories ("computers") sharing a folder.

use std::path::Path;
use std::time::Instant;

use crate::common::{ana_sync, answer_good, new_profile, run, run_ok, stderr, stdout};

/// A profile "Ana" with one review of deck "d", written through the library.
fn studied(data: &Path) {
    use chrono::{TimeZone, Utc};
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
    let mut store = new_profile(data, "Ana", at.date_naive());
    answer_good(&mut store, "d", "c", at);
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
    run_ok(
        home.path(),
        &["--profile", "Ana", "settings", "new_per_day=33"],
    );

    // No folder yet: told how to give one.
    let o = run(home.path(), &["--profile", "Ana", "sync"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--folder DIR"), "{}", stderr(&o));

    let o = run_ok(home.path(), &ana_sync(folder, "home"));
    let out = stdout(&o);
    assert!(out.contains("synced the profile \"Ana\""), "{out}");
    assert!(out.contains("out: 1 reviews"), "{out}");

    // The other computer: a profile of the same name; the folder is remembered afterwards.
    run_ok(school.path(), &["profiles", "create", "Ana"]);
    let o = run_ok(school.path(), &ana_sync(folder, "school"));
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

    let o = run_ok(school.path(), &["--profile", "Ana", "sync"]);
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
    let o = run_ok(school.path(), &["--profile", "Ana", "sync"]);
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

/// A profile "Ana" of `cards` cards answered 10 times each, through the library.
fn long_history(data: &Path, cards: usize) {
    use chrono::{TimeDelta, TimeZone, Utc};
    use flashdrill_core::schedule::{CardState, Rating, Scheduler, fuzz_seed};
    use flashdrill_core::settings::Settings;
    use flashdrill_core::store::Mode;
    use flashdrill_core::store::export::{ExportedReview, PROGRESS_FORMAT, ProgressFile};
    let scheduler = Scheduler::new(Settings::default().scheduler_config()).unwrap();
    let origin = Utc.with_ymd_and_hms(2025, 1, 1, 8, 0, 0).unwrap();
    let mut reviews = Vec::new();
    for c in 0..cards {
        let card = format!("c{c}");
        let mut state = CardState::new_card(origin);
        let mut at = origin + TimeDelta::minutes(c as i64);
        for n in 0..10 {
            let rating = [Rating::Good, Rating::Again, Rating::Easy, Rating::Hard][(c + n) % 4];
            reviews.push(ExportedReview {
                id: 0,
                deck: "d".to_owned(),
                card: card.clone(),
                at,
                rating,
                mode: Mode::Srs,
                answer: None,
                correct: None,
                response_ms: 2000,
            });
            state = scheduler.review(&state, rating, at, fuzz_seed("d", &card, state.reps));
            at = state.due;
        }
    }
    reviews.sort_by_key(|r| r.at);
    let mut store = new_profile(data, "Ana", origin.date_naive());
    let file = ProgressFile {
        format: PROGRESS_FORMAT.to_owned(),
        reviews,
        cards: Vec::new(),
    };
    store.import_progress(&file, &Settings::default()).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// Runs `flashdrill sync` on `data` and kills it (SIGKILL) after `after`; whether it was
/// killed before it ended.
fn killed_sync(data: &Path, folder: &str, name: &str, after: std::time::Duration) -> bool {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_flashdrill"))
        .arg("--data-dir")
        .arg(data)
        .args(ana_sync(folder, name))
        .env_remove("FLASHDRILL_DATA_DIR")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let _ = child.kill();
    child.wait().unwrap().code().is_none()
}

#[test]
fn a_sync_killed_at_any_moment_loses_nothing_and_the_next_one_completes() {
    let base = tempfile::tempdir().unwrap();
    let original = base.path().join("original");
    long_history(&original, 1000);
    let export = |data: &Path| {
        let o = run_ok(data, &["--profile", "Ana", "progress", "export"]);
        stdout(&o)
    };
    // How long each side's sync takes here, to kill them part-way.
    let (send, receive) = {
        let (home, school, shared) = (
            base.path().join("home"),
            base.path().join("school"),
            base.path().join("shared"),
        );
        copy_dir(&original, &home);
        std::fs::create_dir_all(&shared).unwrap();
        let folder = shared.to_str().unwrap();
        assert!(
            run(&school, &["profiles", "create", "Ana"])
                .status
                .success()
        );
        let args = |name| ana_sync(folder, name);
        let t = Instant::now();
        assert!(run(&home, &args("home")).status.success());
        let send = t.elapsed();
        let t = Instant::now();
        assert!(run(&school, &args("school")).status.success());
        (send, t.elapsed())
    };
    let (mut kills, mut part_way) = (0, 0);
    for (trial, part) in [0.0, 0.1, 0.25, 0.4, 0.55, 0.7, 0.8, 0.9]
        .into_iter()
        .enumerate()
    {
        let home = base.path().join(format!("home{trial}"));
        let school = base.path().join(format!("school{trial}"));
        let shared = base.path().join(format!("shared{trial}"));
        copy_dir(&original, &home);
        std::fs::create_dir_all(&shared).unwrap();
        let folder = shared.to_str().unwrap();
        // Killed while sending, then synced to the end.
        let killed = killed_sync(&home, folder, "home", send.mul_f64(part));
        kills += usize::from(killed);
        // Killed after it had begun writing to the folder.
        part_way += usize::from(killed && shared.join("flashdrill").exists());
        let o = run(&home, &ana_sync(folder, "home"));
        assert!(
            o.status.success(),
            "trial {trial}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        // The other computer killed while receiving, then synced to the end.
        run_ok(&school, &["profiles", "create", "Ana"]);
        kills += usize::from(killed_sync(
            &school,
            folder,
            "school",
            receive.mul_f64(part),
        ));
        let o = run(&school, &ana_sync(folder, "school"));
        assert!(
            o.status.success(),
            "trial {trial}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        assert!(
            !stdout(&o).contains("skipped"),
            "trial {trial}: {}",
            stdout(&o)
        );
        let o = run(&home, &["--profile", "Ana", "sync"]);
        assert!(
            o.status.success(),
            "trial {trial}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        let (a, b) = (export(&home), export(&school));
        assert_eq!(
            a.matches("\"card\":").count(),
            10_000 + 1000,
            "trial {trial}"
        );
        assert_eq!(a, b, "trial {trial}: the two computers differ");
    }
    // Most syncs were killed before they ended (the later ones, part-way).
    assert!(kills >= 8, "only {kills} of 16 syncs were killed");
    assert!(part_way >= 2, "only {part_way} syncs were killed part-way");
}

#[test]
fn another_folder_gets_the_whole_log_again() {
    let (home, first, second) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    studied(home.path());
    for (folder, out) in [
        (&first, "out: 1 reviews"),
        (&first, "out: 0 reviews"),
        (&second, "out: 1 reviews"),
    ] {
        let o = run_ok(
            home.path(),
            &[
                "--profile",
                "Ana",
                "sync",
                "--folder",
                folder.path().to_str().unwrap(),
                "--name",
                "home",
            ],
        );
        assert!(stdout(&o).contains(out), "{out}: {}", stdout(&o));
    }
}

/// A profile renamed on one computer (`flashdrill profiles rename`) is renamed on the other at
/// its next sync; the profiles pair by the name they had when they first synced.
#[test]
fn a_profile_renamed_on_one_computer_is_renamed_on_the_other() {
    let (home, school, shared) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let folder = shared.path().to_str().unwrap();
    studied(home.path());
    studied(school.path());
    for data in [home.path(), school.path()] {
        run_ok(data, &ana_sync(folder, "pc"));
    }
    run_ok(home.path(), &["profiles", "rename", "Ana", "Ana Karimi"]);
    run_ok(home.path(), &["--profile", "Ana Karimi", "sync"]);

    let o = run_ok(school.path(), &["--profile", "Ana", "sync"]);
    assert!(
        stdout(&o).contains("the profile was renamed \"Ana Karimi\" on another computer"),
        "{}",
        stdout(&o)
    );
    let o = run(school.path(), &["profiles"]);
    assert!(stdout(&o).contains("Ana Karimi"), "{}", stdout(&o));
}
