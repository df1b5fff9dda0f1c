//! Sync in the window (issue 23), as a learner meets it: choosing the sync folder in Settings
//! (with the system chooser, or a typed path when none opens), what the sync says it sent and
//! took in, and a card studied at home arriving with the same state at school.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use egui_kittest::kittest::Queryable;
use flashdrill::ui::file_ask::{Chosen, FileAsk};
use flashdrill_core::domain::CardProgress;
use flashdrill_core::schedule::Rating;
use flashdrill_core::session::{CardKey, Session};
use flashdrill_core::settings::Settings;
use flashdrill_core::store::Mode;

use crate::common::{App, click, profile_store};

const DECK: &str = "pm-dates";
const CARD: &str = "cooling";

/// The default profile of `data` with one bundled card answered Good an hour ago.
fn study_one_card(data: &Path) {
    let at = Utc::now() - chrono::TimeDelta::hours(1);
    let mut store = profile_store(data);
    let queue = vec![(CardKey::new(DECK, CARD), CardProgress::new_card(at))];
    let mut s = Session::from_settings(&Settings::default(), Mode::Srs, queue, at).unwrap();
    s.answer(
        &mut store,
        Rating::Good,
        None,
        None,
        Duration::from_secs(3),
        at,
    )
    .unwrap();
}

/// The app on `data`, on Settings, with a chooser that gives `chosen`.
fn settings(data: &Path, chosen: Chosen) -> App {
    let mut h = crate::common::app_sized(data, [1000.0, 4200.0]);
    h.state_mut()
        .set_file_chooser(Arc::new(move |_: &FileAsk| chosen.clone()));
    h.run();
    click(&mut h, "Settings");
    h
}

fn card(h: &App) -> Option<CardProgress> {
    h.state().store().unwrap().card(DECK, CARD).unwrap()
}

#[test]
fn a_card_studied_at_home_reaches_school_through_the_sync_folder() {
    let (home, school, shared) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    study_one_card(home.path());

    // At home: the chooser gives the shared folder; the sync runs at once and says so.
    let mut h = settings(
        home.path(),
        Chosen::Files(vec![shared.path().to_path_buf()]),
    );
    h.get_by_label("No sync folder yet.");
    click(&mut h, "Choose sync folder…");
    h.run_steps(4);
    h.get_by_label(&format!("Sync folder: {}", shared.path().display()));
    h.get_by_label_contains("Last sync: ");
    h.get_by_label("Out: 1 reviews, 0 settings, flags or decks changed.");
    let at_home = card(&h).expect("studied at home");
    drop(h);

    // At school: no chooser opens, the folder's path is typed.
    let mut h = settings(school.path(), Chosen::Unavailable);
    assert_eq!(card(&h), None);
    click(&mut h, "Choose sync folder…");
    h.run_steps(4);
    h.get_by_label("Folder path:")
        .set_text_value_accesskit(&shared.path().display().to_string());
    h.run_steps(2);
    click(&mut h, "Use this folder");
    h.run_steps(4);
    h.get_by_label_contains("In: 1 reviews from ");
    let at_school = card(&h).expect("the review came in");
    assert_eq!(
        at_school.card, at_home.card,
        "the same state on both computers"
    );

    // Sync now runs again: nothing new; Stop syncing forgets the folder.
    click(&mut h, "Sync now");
    h.run_steps(2);
    h.get_by_label_contains("In: 0 reviews from ");
    click(&mut h, "Stop syncing");
    h.get_by_label("No sync folder yet.");
    assert_eq!(h.state().store().unwrap().sync_folder().unwrap(), None);
}

#[test]
fn a_typed_path_that_is_no_folder_is_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = settings(dir.path(), Chosen::Unavailable);
    click(&mut h, "Choose sync folder…");
    h.run_steps(4);
    let missing = dir.path().join("not-there");
    h.get_by_label("Folder path:")
        .set_text_value_accesskit(&missing.display().to_string());
    h.run_steps(2);
    click(&mut h, "Use this folder");
    h.get_by_label(&format!("There is no folder {}.", missing.display()));
    assert_eq!(h.state().store().unwrap().sync_folder().unwrap(), None);
}

#[test]
fn a_profile_with_a_sync_folder_syncs_when_it_opens_and_after_a_session() {
    let (home, school, shared) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    study_one_card(home.path());
    // Both computers already sync through the folder; home has sent its review.
    for data in [home.path(), school.path()] {
        let mut store = profile_store(data);
        store.set_sync_folder(Some(shared.path())).unwrap();
    }
    let mut h = crate::common::app_sized(home.path(), [1000.0, 800.0]);
    h.run_steps(4);
    drop(h);

    // School opens: the review comes in without a click.
    let mut h = crate::common::app_sized(school.path(), [1000.0, 800.0]);
    h.run_steps(4);
    assert!(card(&h).is_some(), "the profile synced as it opened");

    // A session studied at school goes out when it ends: home sees it at its next sync.
    click(&mut h, "Flashcards");
    click(&mut h, "Study all due");
    crate::common::press(&mut h, egui::Key::Space);
    crate::common::press(&mut h, egui::Key::Num3);
    crate::common::press(&mut h, egui::Key::Escape);
    h.run_steps(4);
    let school_reviews = h.state().store().unwrap().review_count().unwrap();
    assert_eq!(school_reviews, 2, "the home review and one answered here");
    drop(h);
    let mut h = crate::common::app_sized(home.path(), [1000.0, 800.0]);
    h.run_steps(4);
    assert_eq!(h.state().store().unwrap().review_count().unwrap(), 2);
}

/// A profile renamed on one computer is renamed in the window of the other when it syncs: the
/// top bar shows the new name and Settings says where it came from.
#[test]
fn a_profile_renamed_at_school_is_renamed_at_home() {
    let (home, school, shared) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    for data in [home.path(), school.path()] {
        let mut store = profile_store(data);
        store.set_sync_folder(Some(shared.path())).unwrap();
        let mut h = crate::common::app_sized(data, [1000.0, 800.0]);
        h.run_steps(4);
    }
    let (mut profiles, info) = crate::common::default_profile(school.path());
    profiles.rename(&info.slug, "Ana Karimi").unwrap();
    let mut h = crate::common::app_sized(school.path(), [1000.0, 800.0]);
    h.run_steps(4);
    drop(h);

    let mut h = crate::common::app_sized(home.path(), [1000.0, 4200.0]);
    h.run_steps(4);
    h.get_by_label_contains("Ana Karimi");
    click(&mut h, "Settings");
    h.get_by_label(
        "The profile was renamed \"Ana Karimi\" on another computer; it is renamed here too.",
    );
    let (_, home_info) = crate::common::default_profile(home.path());
    assert_eq!(home_info.name, "Ana Karimi", "saved in the profiles list");
}
