//! Sync through a shared folder: two or three data directories ("computers") sharing a
//! temporary folder, each syncing as the learner would.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use flashdrill_core::collection::{Answer, Collection};
use flashdrill_core::schedule::Rating;
use flashdrill_core::session::{CardKey, Session};
use flashdrill_core::settings::Settings;
use flashdrill_core::store::{CardRecord, Mode, Store};
use flashdrill_core::sync::{SyncOptions, SyncReport};
use proptest::prelude::*;

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
}

/// One computer: its data directory, its open profile.
pub struct Computer {
    pub name: String,
    /// The profile's display name here (`None`: not synced), renamed as a sync says.
    pub profile_name: Option<String>,
    pub dir: tempfile::TempDir,
    pub col: Collection,
}

impl Computer {
    pub fn new(name: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("profile.sqlite3")).unwrap();
        let settings = store.load_settings().unwrap();
        Self {
            name: name.to_owned(),
            profile_name: None,
            col: Collection::new(store, settings),
            dir,
        }
    }

    pub fn deck_dir(&self) -> PathBuf {
        self.dir.path().join("decks")
    }

    pub fn store(&self) -> &Store {
        self.col.store().unwrap()
    }

    /// Answers `card` of deck "d" once in srs at `now`; returns the review id.
    pub fn study(&mut self, card: &str, rating: Rating, now: DateTime<Utc>) -> i64 {
        let key = CardKey::new("d", card);
        let p = self
            .store()
            .card("d", card)
            .unwrap()
            .unwrap_or_else(|| flashdrill_core::store::CardProgress::new_card(now));
        let mut s =
            Session::from_settings(self.col.settings(), Mode::Srs, vec![(key, p)], now).unwrap();
        let answer = Answer {
            rating,
            answer_given: None,
            correct: None,
            response: Duration::from_secs(3),
            now,
        };
        self.col.answer(&mut s, answer).unwrap().output.review_id
    }

    pub fn sync(&mut self, folder: &Path) -> SyncReport {
        let options = SyncOptions {
            folder: folder.to_path_buf(),
            deck_dir: Some(self.deck_dir()),
            device_name: self.name.clone(),
            profile_dir: Some("default".to_owned()),
            known_decks: None,
            profile_name: self.profile_name.clone(),
        };
        let report = self.col.sync(&options).unwrap().output;
        if let Some(name) = &report.profile_renamed {
            self.profile_name = Some(name.clone());
        }
        report
    }

    /// Every card's stored state, but for new cards with no flags: a card unsuspended before
    /// it was ever studied keeps a row that says no more than no row does. A card never
    /// studied has no due time to compare (its row's is when it was first flagged).
    pub fn states(&self) -> Vec<CardRecord> {
        let mut states = self.store().card_states(None).unwrap();
        states.retain(|r| {
            let p = &r.progress;
            p.card.reps > 0 || p.suspended || p.buried_until.is_some() || p.leech
        });
        for r in &mut states {
            if r.progress.card.reps == 0 && r.progress.card.last_review.is_none() {
                r.progress.card.due = t0();
            }
        }
        states
    }

    pub fn review_ids(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .store()
            .all_reviews()
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        ids.sort_unstable();
        ids
    }

    pub fn write_deck(&self, id: &str, title: &str) {
        std::fs::create_dir_all(self.deck_dir()).unwrap();
        std::fs::write(
            self.deck_dir().join(format!("{id}.json")),
            deck_json(id, title),
        )
        .unwrap();
    }

    pub fn deck_title(&self, id: &str) -> Option<String> {
        let text = std::fs::read_to_string(self.deck_dir().join(format!("{id}.json"))).ok()?;
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["title"].as_str().map(str::to_owned)
    }

    /// Every deck in the deck folder: (id, title).
    pub fn decks(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let Ok(entries) = std::fs::read_dir(self.deck_dir()) else {
            return out;
        };
        for e in entries {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            out.push((
                v["id"].as_str().unwrap().to_owned(),
                v["title"].as_str().unwrap().to_owned(),
            ));
        }
        out.sort();
        out
    }
}

pub fn deck_json(id: &str, title: &str) -> String {
    format!(
        r#"{{
  "format": "flashdrill-deck/1",
  "id": "{id}",
  "title": "{title}",
  "source": {{ "title": "An article", "author": "Someone" }},
  "cards": [
    {{ "id": "c", "category": "date", "prompt": "When?", "answer": "2000", "date": "2000",
      "source": "began in 2000" }}
  ]
}}
"#
    )
}

/// The files of one computer's device directory.
fn device_files(folder: &Path, c: &Computer) -> Vec<PathBuf> {
    let device = c.store().sync_device_id().unwrap().unwrap();
    let dir = folder.join("flashdrill").join("default").join(device);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn segments(folder: &Path, c: &Computer) -> Vec<PathBuf> {
    device_files(folder, c)
        .into_iter()
        .filter(|p| flashdrill_core::file_name(p).starts_with("reviews-"))
        .collect()
}

#[test]
fn a_card_studied_on_both_computers_ends_the_same_on_both_with_both_reviews() {
    let folder = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (Computer::new("home"), Computer::new("school"));
    // Some history on A that B gets first.
    a.study("c1", Rating::Good, t0());
    a.study("c1", Rating::Good, t0() + TimeDelta::minutes(10));
    a.sync(folder.path());
    let report = b.sync(folder.path());
    assert_eq!(report.reviews_in(), 2, "{:?}", report.lines());
    assert_eq!(a.states(), b.states());
    // Then both study the same card between syncs.
    a.study("c1", Rating::Good, t0() + TimeDelta::days(1));
    b.study(
        "c1",
        Rating::Again,
        t0() + TimeDelta::days(1) + TimeDelta::hours(2),
    );
    b.study(
        "c2",
        Rating::Easy,
        t0() + TimeDelta::days(1) + TimeDelta::hours(3),
    );
    a.sync(folder.path());
    b.sync(folder.path());
    a.sync(folder.path());
    assert_eq!(a.review_ids().len(), 5);
    assert_eq!(a.review_ids(), b.review_ids());
    assert_eq!(a.states(), b.states());
    // The merged card went through both answers: the Again after the Good is a lapse.
    let c1 = a.store().card("d", "c1").unwrap().unwrap();
    assert_eq!(c1.card.reps, 4);
    assert_eq!(c1.card.lapses, 1);
    // A sync with nothing new changes nothing.
    let again = b.sync(folder.path());
    assert_eq!((again.reviews_in(), again.reviews_out), (0, 0));
}

#[test]
fn reviews_merged_in_are_not_sent_back_and_answers_after_the_merge_go_out() {
    let folder = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (Computer::new("home"), Computer::new("school"));
    a.study("c1", Rating::Good, t0());
    a.study("c2", Rating::Hard, t0() + TimeDelta::minutes(1));
    assert_eq!(a.sync(folder.path()).reviews_out, 2);
    let first = b.sync(folder.path());
    assert_eq!((first.reviews_in(), first.reviews_out), (2, 0));
    // The two reviews are A's to send: B has nothing of its own to write out.
    let again = b.sync(folder.path());
    assert_eq!((again.reviews_in(), again.reviews_out), (0, 0));
    assert_eq!(segments(folder.path(), &b), Vec::<PathBuf>::new());
    // An answer on B after the merge still goes out, and reaches A.
    b.study("c1", Rating::Again, t0() + TimeDelta::days(2));
    assert_eq!(b.sync(folder.path()).reviews_out, 1);
    assert_eq!(a.sync(folder.path()).reviews_in(), 1);
    assert_eq!(a.review_ids(), b.review_ids());
    assert_eq!(a.states(), b.states());
}

#[test]
fn another_folder_gets_the_whole_log_even_with_syncing_stopped_in_between() {
    let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut a = Computer::new("home");
    a.study("c1", Rating::Good, t0());
    a.study("c2", Rating::Hard, t0() + TimeDelta::minutes(1));
    a.col.set_sync_folder(Some(first.path())).unwrap();
    assert_eq!(a.sync(first.path()).reviews_out, 2);
    // Syncing stopped, then started again through another folder: it holds nothing of A's.
    a.col.set_sync_folder(None).unwrap();
    a.col.set_sync_folder(Some(second.path())).unwrap();
    assert_eq!(a.sync(second.path()).reviews_out, 2);
    let mut b = Computer::new("school");
    assert_eq!(b.sync(second.path()).reviews_in(), 2);
    assert_eq!(a.states(), b.states());
    // Stopped and started again through the same folder: nothing is written twice.
    a.col.set_sync_folder(None).unwrap();
    a.col.set_sync_folder(Some(second.path())).unwrap();
    assert_eq!(a.sync(second.path()).reviews_out, 0);
}

#[test]
fn undo_after_a_sync_takes_the_review_back_on_the_other_computer() {
    let folder = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (Computer::new("home"), Computer::new("school"));
    a.study("c1", Rating::Good, t0());
    a.study("c2", Rating::Good, t0() + TimeDelta::minutes(1));
    a.sync(folder.path());
    b.sync(folder.path());
    assert_eq!(b.review_ids().len(), 2);
    a.col.undo(None, t0() + TimeDelta::minutes(2)).unwrap();
    let out = a.sync(folder.path());
    assert_eq!(out.retractions_out, 1);
    let report = b.sync(folder.path());
    assert_eq!(report.incoming[0].retractions, 1, "{:?}", report.lines());
    assert_eq!(b.review_ids(), a.review_ids());
    assert_eq!(b.store().card("d", "c2").unwrap(), None);
    assert_eq!(a.states(), b.states());
    // A third computer joining later never sees the review taken back.
    let mut c = Computer::new("laptop");
    c.sync(folder.path());
    assert_eq!(c.review_ids(), a.review_ids());
    assert_eq!(c.states(), a.states());
}

#[test]
fn settings_and_suspensions_go_to_the_later_change() {
    let folder = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (Computer::new("home"), Computer::new("school"));
    a.study("c1", Rating::Good, t0());
    a.sync(folder.path());
    b.sync(folder.path());
    let key = [CardKey::new("d", "c1")];
    // A changes first, B later; B syncs first, A second: the later change (B's) still wins.
    a.col.set_setting("new_per_day", "11").unwrap();
    a.col.suspend(&key, true, t0()).unwrap();
    std::thread::sleep(Duration::from_millis(5));
    b.col.set_setting("new_per_day", "22").unwrap();
    b.col.set_setting("maximum_interval", "900").unwrap();
    b.sync(folder.path());
    a.sync(folder.path());
    b.sync(folder.path());
    for c in [&a, &b] {
        assert_eq!(c.col.settings().new_per_day, 22, "{}", c.name);
        assert_eq!(c.col.settings().maximum_interval, 900, "{}", c.name);
        assert!(
            c.store().card("d", "c1").unwrap().unwrap().suspended,
            "{}",
            c.name
        );
    }
    // Unsuspending on B reaches A.
    b.col.suspend(&key, false, t0()).unwrap();
    b.sync(folder.path());
    a.sync(folder.path());
    assert!(!a.store().card("d", "c1").unwrap().unwrap().suspended);
    assert_eq!(a.states(), b.states());
    // How the window looks stays per computer.
    a.col.set_setting("zoom", "1.5").unwrap();
    a.sync(folder.path());
    b.sync(folder.path());
    assert_ne!(
        b.col.settings().zoom.to_bits(),
        a.col.settings().zoom.to_bits()
    );
}

#[test]
fn a_deck_edited_on_both_computers_keeps_the_later_and_the_other_as_a_copy() {
    let folder = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (Computer::new("home"), Computer::new("school"));
    a.write_deck("mine", "Mine");
    a.sync(folder.path());
    assert!(b.sync(folder.path()).decks_changed);
    assert_eq!(b.deck_title("mine").as_deref(), Some("Mine"));
    assert!(!b.sync(folder.path()).decks_changed);
    // Both edit; B's edit is later.
    a.write_deck("mine", "Mine (home edit)");
    std::thread::sleep(Duration::from_millis(20));
    b.write_deck("mine", "Mine (school edit)");
    let ra = a.sync(folder.path());
    assert!(ra.conflicts.is_empty());
    let rb = b.sync(folder.path());
    assert_eq!(rb.conflicts.len(), 1, "{:?}", rb.lines());
    let ra = a.sync(folder.path());
    assert_eq!(ra.conflicts.len(), 1, "{:?}", ra.lines());
    b.sync(folder.path());
    for c in [&a, &b] {
        assert_eq!(c.deck_title("mine").as_deref(), Some("Mine (school edit)"));
        let decks = c.decks();
        assert_eq!(decks.len(), 2, "{}: {decks:?}", c.name);
        assert!(
            decks[1].1.starts_with("Mine (home edit) (from home, "),
            "{}: {decks:?}",
            c.name
        );
    }
    assert_eq!(a.decks(), b.decks());
    // A deck deleted on one computer goes on the other.
    std::fs::remove_file(a.deck_dir().join("mine.json")).unwrap();
    a.sync(folder.path());
    b.sync(folder.path());
    assert_eq!(b.deck_title("mine"), None);
    assert_eq!(b.decks().len(), 1);
}

#[test]
fn a_half_copied_file_is_skipped_and_read_once_whole() {
    let folder = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (Computer::new("home"), Computer::new("school"));
    a.study("c1", Rating::Good, t0());
    a.sync(folder.path());
    let segment = segments(folder.path(), &a).pop().unwrap();
    let whole = std::fs::read(&segment).unwrap();
    std::fs::write(&segment, &whole[..whole.len() / 2]).unwrap();
    let report = b.sync(folder.path());
    assert_eq!(b.review_ids().len(), 0);
    let skipped = report
        .skipped
        .iter()
        .find(|s| s.path == segment)
        .unwrap_or_else(|| panic!("{:?}", report.lines()));
    assert!(
        skipped.reason.contains("not complete yet"),
        "{}",
        skipped.reason
    );
    std::fs::write(&segment, &whole).unwrap();
    let report = b.sync(folder.path());
    assert!(report.skipped.is_empty(), "{:?}", report.lines());
    assert_eq!(b.review_ids(), a.review_ids());
    assert_eq!(a.states(), b.states());
}

#[test]
fn the_sync_tools_conflict_copies_are_read_then_removed() {
    let folder = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (Computer::new("home"), Computer::new("school"));
    a.study("c1", Rating::Good, t0());
    a.sync(folder.path());
    // The sync tool left the segment only as a conflict copy, and the items file twice.
    let segment = segments(folder.path(), &a).pop().unwrap();
    let name = flashdrill_core::file_name(&segment);
    let stem = name.trim_end_matches(".fdsync");
    let copy = segment.with_file_name(format!(
        "{stem}.sync-conflict-20260301-101010-ABCDEFG.fdsync"
    ));
    std::fs::rename(&segment, &copy).unwrap();
    let items = segment.with_file_name("items.fdsync");
    let items_copy = segment.with_file_name("items (school's conflicted copy 2026-03-01).fdsync");
    std::fs::copy(&items, &items_copy).unwrap();
    let report = b.sync(folder.path());
    assert_eq!(b.review_ids(), a.review_ids(), "{:?}", report.lines());
    assert!(report.cleaned.contains(&copy), "{:?}", report.lines());
    assert!(report.cleaned.contains(&items_copy), "{:?}", report.lines());
    assert!(!copy.exists() && !items_copy.exists());
    assert!(items.exists());
}

#[test]
fn a_file_from_a_newer_flashdrill_and_a_spoofed_device_directory_are_reported() {
    let folder = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (Computer::new("home"), Computer::new("school"));
    a.study("c1", Rating::Good, t0());
    a.sync(folder.path());
    // A's segment as a newer flashdrill would write it (format version 2).
    let segment = segments(folder.path(), &a).pop().unwrap();
    let mut bytes = std::fs::read(&segment).unwrap();
    bytes[16] = 2;
    let newer = segment.with_file_name("reviews-9-9-newer.fdsync");
    std::fs::write(&newer, &bytes).unwrap();
    // A directory named for one device whose device.json names another.
    let root = folder.path().join("flashdrill").join("default");
    let spoof = root.join("0190aaaa-0000-7000-8000-000000000000");
    std::fs::create_dir_all(&spoof).unwrap();
    std::fs::write(
        spoof.join("device.json"),
        format!(
            r#"{{"format":"flashdrill-sync/1","device":"{}","name":"home"}}"#,
            a.store().sync_device_id().unwrap().unwrap()
        ),
    )
    .unwrap();
    std::fs::copy(&segment, spoof.join(flashdrill_core::file_name(&segment))).unwrap();
    // A corrupt file: right length, garbage inside.
    let corrupt = segment.with_file_name("reviews-8-8-corrupt.fdsync");
    std::fs::write(&corrupt, b"this is no sync file at all, not even close").unwrap();
    let report = b.sync(folder.path());
    let reason = |p: &Path| {
        report.skipped.iter().find(|s| s.path == p).map_or_else(
            || panic!("{} not reported: {:?}", p.display(), report.lines()),
            |s| s.reason.clone(),
        )
    };
    assert!(reason(&newer).contains("newer flashdrill"));
    assert!(reason(&spoof).contains("device.json says it belongs to device"));
    assert!(reason(&corrupt).contains("damaged"));
    // The rest of the sync was done.
    assert_eq!(b.review_ids(), a.review_ids());
}

#[test]
fn a_folder_that_cannot_be_written_still_brings_changes_in() {
    let folder = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (Computer::new("home"), Computer::new("school"));
    a.study("c1", Rating::Good, t0());
    a.sync(folder.path());
    b.study("c2", Rating::Good, t0());
    b.sync(folder.path());
    // B's own device directory cannot be written: a file is in its place.
    let b_dir = device_files(folder.path(), &b)[0]
        .parent()
        .unwrap()
        .to_path_buf();
    std::fs::remove_dir_all(&b_dir).unwrap();
    std::fs::write(&b_dir, b"in the way").unwrap();
    b.study("c3", Rating::Good, t0() + TimeDelta::minutes(5));
    a.study("c4", Rating::Good, t0() + TimeDelta::minutes(6));
    a.sync(folder.path());
    let report = b.sync(folder.path());
    assert!(!report.write_problems.is_empty(), "{:?}", report.lines());
    assert!(b.store().card("d", "c4").unwrap().is_some());
    // Nothing is lost: once the folder can be written, B's review goes out.
    std::fs::remove_file(&b_dir).unwrap();
    let report = b.sync(folder.path());
    assert!(report.write_problems.is_empty(), "{:?}", report.lines());
    assert_eq!(report.reviews_out, 1);
    a.sync(folder.path());
    assert!(a.store().card("d", "c3").unwrap().is_some());
}

/// A card reset on one computer (its answers stay in the log) is new on the other after a
/// sync, keeps the answers made after the reset anywhere, and an undo of the reset brings the
/// card back everywhere. Without the reset travelling, the other computer's replay of the
/// union would bring the forgotten progress back.
#[test]
fn a_reset_reaches_the_other_computer_and_so_does_its_undo() {
    let folder = tempfile::tempdir().unwrap();
    let mut a = Computer::new("home");
    let mut b = Computer::new("school");
    a.study("c1", Rating::Good, t0());
    a.study("c1", Rating::Good, t0() + TimeDelta::days(2));
    a.sync(folder.path());
    b.sync(folder.path());
    let studied = b.store().card("d", "c1").unwrap().unwrap();
    assert_eq!(studied.card.reps, 2);

    let reset_at = t0() + TimeDelta::days(5);
    a.col.reset(&[CardKey::new("d", "c1")], reset_at).unwrap();
    // School answers the card again after the reset, before syncing.
    b.study("c1", Rating::Hard, reset_at + TimeDelta::hours(2));
    a.sync(folder.path());
    b.sync(folder.path());
    a.sync(folder.path());
    for c in [&a, &b] {
        let p = c.store().card("d", "c1").unwrap().unwrap();
        assert_eq!(
            p.card.reps, 1,
            "{}: only the answer after the reset counts",
            c.name
        );
        assert_eq!(
            c.store().card_reset_at("d", "c1").unwrap(),
            Some(reset_at),
            "{}",
            c.name
        );
        assert_eq!(
            c.review_ids().len(),
            3,
            "{}: the log keeps every answer",
            c.name
        );
    }
    assert_eq!(a.states(), b.states());
    // The history shows the answer after the reset starting from a new card.
    let after = a
        .store()
        .all_reviews()
        .unwrap()
        .into_iter()
        .find(|r| r.at > reset_at)
        .unwrap();
    assert_eq!(
        after.state_before.map(|s| s.reps),
        Some(0),
        "the state before the answer after a reset is a new card"
    );

    // A rebuild of every card (as "reschedule on change" does) keeps the reset.
    let settings = a.col.settings().clone();
    Store::open(&a.dir.path().join("profile.sqlite3"))
        .unwrap()
        .rebuild_all(&settings)
        .unwrap();
    assert_eq!(a.store().card("d", "c1").unwrap().unwrap().card.reps, 1);
}

/// A card reset twice between two syncs (the second reset moves the mark the first left)
/// syncs the later reset.
#[test]
fn a_card_reset_twice_between_syncs_sends_the_later_reset() {
    let folder = tempfile::tempdir().unwrap();
    let mut a = Computer::new("home");
    let mut b = Computer::new("school");
    a.study("c1", Rating::Good, t0());
    a.sync(folder.path());
    let key = [CardKey::new("d", "c1")];
    a.col.reset(&key, t0() + TimeDelta::days(1)).unwrap();
    a.study("c1", Rating::Good, t0() + TimeDelta::days(2));
    a.col.reset(&key, t0() + TimeDelta::days(3)).unwrap();
    a.sync(folder.path());
    b.sync(folder.path());
    assert_eq!(
        b.store().card_reset_at("d", "c1").unwrap(),
        Some(t0() + TimeDelta::days(3))
    );
    assert_eq!(b.states(), a.states());
    // And a reset arriving for a card reset here too since the last sync.
    b.col.reset(&key, t0() + TimeDelta::days(4)).unwrap();
    a.col.reset(&key, t0() + TimeDelta::days(5)).unwrap();
    a.sync(folder.path());
    b.sync(folder.path());
    a.sync(folder.path());
    assert_eq!(
        b.store().card_reset_at("d", "c1").unwrap(),
        a.store().card_reset_at("d", "c1").unwrap()
    );
}

#[test]
fn undoing_a_reset_after_a_sync_brings_the_progress_back_on_the_other_computer() {
    let folder = tempfile::tempdir().unwrap();
    let mut a = Computer::new("home");
    let mut b = Computer::new("school");
    a.study("c1", Rating::Good, t0());
    a.study("c1", Rating::Easy, t0() + TimeDelta::days(2));
    let before = a.store().card("d", "c1").unwrap().unwrap();
    a.col
        .reset(&[CardKey::new("d", "c1")], t0() + TimeDelta::days(3))
        .unwrap();
    a.sync(folder.path());
    b.sync(folder.path());
    assert_eq!(b.store().card("d", "c1").unwrap().unwrap().card.reps, 0);
    a.col.undo(None, t0() + TimeDelta::days(3)).unwrap();
    assert_eq!(a.store().card("d", "c1").unwrap(), Some(before));
    a.sync(folder.path());
    b.sync(folder.path());
    assert_eq!(b.store().card_reset_at("d", "c1").unwrap(), None);
    assert_eq!(b.states(), a.states());
    assert_eq!(b.store().card("d", "c1").unwrap().unwrap().card.reps, 2);
}

/// The profile's name syncs: a computer joining takes the name the profile already has; a
/// rename on one computer reaches the others.
#[test]
fn a_profile_rename_reaches_the_other_computer_and_a_joining_one_takes_the_name() {
    let folder = tempfile::tempdir().unwrap();
    let mut a = Computer::new("home");
    let mut b = Computer::new("school");
    a.profile_name = Some("Ana".to_owned());
    b.profile_name = Some("Default".to_owned());
    assert_eq!(a.sync(folder.path()).profile_renamed, None);
    let joined = b.sync(folder.path());
    assert_eq!(joined.profile_renamed.as_deref(), Some("Ana"));
    assert!(
        joined
            .lines()
            .iter()
            .any(|l| l.contains("renamed \"Ana\" on another computer")),
        "{:?}",
        joined.lines()
    );
    assert_eq!(
        a.sync(folder.path()).profile_renamed,
        None,
        "home keeps its name"
    );

    b.profile_name = Some("Ana K.".to_owned());
    assert_eq!(b.sync(folder.path()).profile_renamed, None);
    assert_eq!(
        a.sync(folder.path()).profile_renamed.as_deref(),
        Some("Ana K.")
    );
    assert_eq!(a.profile_name.as_deref(), Some("Ana K."));
    assert_eq!(a.sync(folder.path()).profile_renamed, None);
    assert_eq!(b.sync(folder.path()).profile_renamed, None);
}

/// One step of a random history on one of the computers.
#[derive(Debug, Clone)]
enum Step {
    Study {
        who: usize,
        card: usize,
        rating: u8,
    },
    Undo {
        who: usize,
    },
    Suspend {
        who: usize,
        card: usize,
        on: bool,
    },
    Reset {
        who: usize,
        card: usize,
    },
    Setting {
        who: usize,
        value: u32,
    },
    EditDeck {
        who: usize,
        deck: usize,
        title: u8,
    },
    DeleteDeck {
        who: usize,
        deck: usize,
    },
    Sync {
        who: usize,
    },
    /// The sync tool delivers a computer's files late: they are hidden until the next
    /// delivery; or half-copied: cut short until then.
    Withhold {
        who: usize,
        half: bool,
    },
    Deliver,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0..3usize, 0..4usize, 1..=4u8).prop_map(|(who, card, rating)| Step::Study { who, card, rating }),
        2 => (0..3usize).prop_map(|who| Step::Undo { who }),
        2 => (0..3usize, 0..4usize, any::<bool>()).prop_map(|(who, card, on)| Step::Suspend { who, card, on }),
        1 => (0..3usize, 0..4usize).prop_map(|(who, card)| Step::Reset { who, card }),
        1 => (0..3usize, 5..40u32).prop_map(|(who, value)| Step::Setting { who, value }),
        2 => (0..3usize, 0..2usize, 0..4u8).prop_map(|(who, deck, title)| Step::EditDeck { who, deck, title }),
        1 => (0..3usize, 0..2usize).prop_map(|(who, deck)| Step::DeleteDeck { who, deck }),
        6 => (0..3usize).prop_map(|who| Step::Sync { who }),
        1 => (0..3usize, any::<bool>()).prop_map(|(who, half)| Step::Withhold { who, half }),
        1 => Just(Step::Deliver),
    ]
}

/// Files withheld by the "sync tool": where they belong and their whole bytes.
type Withheld = Vec<(PathBuf, Vec<u8>)>;

fn withhold(folder: &Path, c: &Computer, half: bool, withheld: &mut Withheld) {
    let Some(Some(device)) = c.store().sync_device_id().ok() else {
        return;
    };
    let dir = folder.join("flashdrill").join("default").join(device);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for e in entries {
        let path = e.unwrap().path();
        if withheld.iter().any(|(p, _)| *p == path) || !path.to_string_lossy().ends_with(".fdsync")
        {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        if half {
            std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        } else {
            std::fs::remove_file(&path).unwrap();
        }
        withheld.push((path, bytes));
    }
}

fn deliver(withheld: &mut Withheld) {
    for (path, bytes) in withheld.drain(..) {
        // A file rewritten since (items) is newer than what was withheld.
        let current = std::fs::read(&path).ok();
        if current
            .as_ref()
            .is_none_or(|c| c.len() < bytes.len() && bytes.starts_with(c))
        {
            std::fs::write(&path, &bytes).unwrap();
        }
    }
}

fn run_history(computers: usize, steps: &[Step]) -> Result<(), TestCaseError> {
    let folder = tempfile::tempdir().unwrap();
    let names = ["home", "school", "laptop"];
    let mut cs: Vec<Computer> = (0..computers).map(|i| Computer::new(names[i])).collect();
    let mut clock = t0();
    let mut withheld: Withheld = Vec::new();
    for s in steps {
        clock += TimeDelta::hours(31);
        match *s {
            Step::Study { who, card, rating } => {
                let c = &mut cs[who % computers];
                let _ = c.study(
                    &format!("c{card}"),
                    Rating::from_number(rating).unwrap(),
                    clock,
                );
            }
            Step::Undo { who } => {
                // Undo may be refused (nothing to undo, a later answer came in): fine.
                let _ = cs[who % computers].col.undo(None, clock);
            }
            Step::Suspend { who, card, on } => {
                let key = [CardKey::new("d", format!("c{card}"))];
                cs[who % computers].col.suspend(&key, on, clock).unwrap();
            }
            Step::Reset { who, card } => {
                let key = [CardKey::new("d", format!("c{card}"))];
                cs[who % computers].col.reset(&key, clock).unwrap();
            }
            Step::Setting { who, value } => {
                cs[who % computers]
                    .col
                    .set_setting("new_per_day", &value.to_string())
                    .unwrap();
            }
            Step::EditDeck { who, deck, title } => {
                std::thread::sleep(Duration::from_millis(2));
                cs[who % computers].write_deck(&format!("deck{deck}"), &format!("Title {title}"));
            }
            Step::DeleteDeck { who, deck } => {
                let _ = std::fs::remove_file(
                    cs[who % computers]
                        .deck_dir()
                        .join(format!("deck{deck}.json")),
                );
            }
            Step::Sync { who } => {
                let _ = cs[who % computers].sync(folder.path());
            }
            Step::Withhold { who, half } => {
                withhold(folder.path(), &cs[who % computers], half, &mut withheld);
            }
            Step::Deliver => deliver(&mut withheld),
        }
    }
    deliver(&mut withheld);
    for _ in 0..2 {
        for c in &mut cs {
            let report = c.sync(folder.path());
            prop_assert!(report.skipped.is_empty(), "{:?}", report.lines());
        }
    }
    let first = &cs[0];
    let ids = first.review_ids();
    let mut answers: Vec<(String, i64, u8)> = first
        .store()
        .all_reviews()
        .unwrap()
        .into_iter()
        .map(|r| (r.card_id, r.at.timestamp_millis(), r.rating.number()))
        .collect();
    let n = answers.len();
    answers.sort();
    answers.dedup();
    prop_assert_eq!(answers.len(), n, "the same answer twice");
    for c in &cs[1..] {
        prop_assert_eq!(&c.review_ids(), &ids, "{} has other reviews", c.name);
        prop_assert_eq!(
            c.states(),
            first.states(),
            "{} has other card states",
            c.name
        );
        prop_assert_eq!(c.col.settings(), first.col.settings());
        prop_assert_eq!(c.decks(), first.decks(), "{} has other decks", c.name);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn random_histories_on_two_or_three_computers_end_the_same_everywhere(
        computers in 2..=3usize,
        steps in proptest::collection::vec(step(), 1..14),
    ) {
        run_history(computers, &steps)?;
    }
}

#[test]
fn settings_of_a_new_profile_are_the_defaults_after_a_sync_with_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let mut a = Computer::new("home");
    let report = a.sync(folder.path());
    assert!(report.incoming.is_empty());
    assert_eq!(a.col.settings(), &Settings::default());
}
