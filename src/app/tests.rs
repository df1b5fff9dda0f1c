//! The shell's own tests: what the UI cannot reach by clicks.

use chrono::Utc;

use super::*;
use flashdrill_core::quiz::SessionForm;
use flashdrill_core::session::CardKey;
use flashdrill_core::settings::Settings;
use flashdrill_core::store::{CardProgress, Mode};

fn app(dir: &std::path::Path) -> FlashdrillApp {
    FlashdrillApp::new(AppOptions {
        data_dir: dir.to_path_buf(),
        profile: None,
        jobs: Jobs::immediate(),
    })
}

#[test]
fn a_session_that_cannot_start_leaves_the_profile_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path());
    let path = app.store().expect("a profile is open").path().to_path_buf();
    // Settings the scheduler refuses (the settings screen never lets them through).
    let bad = Settings {
        desired_retention: 2.0,
        ..Settings::default()
    };
    let store = Store::open(&path).unwrap();
    app.shared.col.open(Some(store), bad);
    let queue = vec![(
        CardKey::new("pm-dates", "c"),
        CardProgress::new_card(Utc::now()),
    )];
    app.handle(
        AppCommand::StartSession {
            queue,
            mode: Mode::Srs,
            form: Some(SessionForm::Flashcards),
            return_to: Screen::Home,
        },
        &egui::Context::default(),
    );
    assert_eq!(app.screen(), Screen::Home);
    let store = app.store().expect("the profile is still open");
    assert_eq!(store.review_count().unwrap(), 0);
    assert!(app.screens.study.take().is_none(), "no session");
}

#[test]
fn leaving_a_practice_session_returns_to_practice_and_a_setting_reports_its_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path());
    let ctx = egui::Context::default();
    app.shared.changes = Changes::NONE;
    let queue = vec![(
        CardKey::new("pm-dates", "c"),
        CardProgress::new_card(Utc::now()),
    )];
    app.handle(
        AppCommand::StartSession {
            queue,
            mode: Mode::Practice,
            form: None,
            return_to: Screen::Practice,
        },
        &ctx,
    );
    assert_eq!(app.screen(), Screen::Study);
    app.handle(AppCommand::LeaveSession, &ctx);
    assert_eq!(app.screen(), Screen::Practice);
    app.set_setting("new_per_day", "3");
    assert_eq!(
        app.shared.changes,
        Changes::SETTINGS,
        "a setting reports a settings change"
    );
    app.set_setting("new_per_day", "lots");
    assert_eq!(
        app.collection().settings().new_per_day,
        3,
        "a bad value is refused"
    );
}

/// Closes a live game played by the class `class` with no answers in it.
fn log_empty_game(app: &mut FlashdrillApp, class: &str) {
    app.handle(
        AppCommand::LogClassGame {
            class: class.to_owned(),
            game_id: "game-1".to_owned(),
            rows: Vec::new(),
            entries: Vec::new(),
            at: Utc::now(),
        },
        &egui::Context::default(),
    );
}

#[test]
fn a_class_game_for_a_class_that_is_gone_says_its_answers_were_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path());
    log_empty_game(&mut app, "7b history");
    let notice = app
        .screens
        .drill
        .notice()
        .expect("the drill screen says what happened");
    assert!(notice.is_error(), "{notice:?}");
    assert!(
        notice.text.starts_with(
            "The game's answers could not be kept under the names of \"7b history\": "
        ),
        "{notice:?}"
    );
}

#[test]
fn a_logged_class_game_tells_the_screens_that_show_the_class() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path());
    app.shared
        .col
        .create_class(
            "7b history",
            &["pm-dates".to_owned()],
            &flashdrill_core::class::ClassSettings::from_profile(&Settings::default()),
            &["Ada".to_owned()],
            Utc::now(),
        )
        .unwrap();
    app.shared.changes = Changes::NONE;
    log_empty_game(&mut app, "7b history");
    let notice = app
        .screens
        .drill
        .notice()
        .expect("the drill screen says so");
    assert!(!notice.is_error(), "{notice:?}");
    assert!(
        app.shared.changes.touches(Changes::CLASSES),
        "the class's report reads its answers again"
    );
}
