//! Exams and workload (issue 24) as a learner meets them: setting an exam date in Settings and
//! seeing the readiness on Home and in Statistics, the workload switches, and postponing cards
//! in Browse (and taking it back).

use std::path::Path;

use chrono::{Local, TimeDelta, Utc};
use egui_kittest::kittest::Queryable;
use flashdrill_core::domain::CardProgress;
use flashdrill_core::schedule::{CardState, State};

use crate::common::{App, app_sized, click, profile_store as store};

const ACTORS: &str = "Pyongyang and Moscow: actors";

/// Eight cards of pm-dates in review: four due yesterday, four in a month.
fn seed(dir: &Path) {
    let now = Utc::now();
    let ids = [
        "putin-first-visit-year",
        "cooling",
        "two-visits",
        "invasion-month",
        "what-happened-feb-2022",
        "first-artillery-accusation",
        "white-house-announcement",
        "kim-eastern-russia-when",
    ];
    let rows: Vec<(&str, &str, Option<CardProgress>)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let mut p = CardProgress::new_card(now);
            p.card = CardState {
                state: State::Review,
                step: None,
                stability: Some(12.0),
                difficulty: Some(5.0),
                due: if i < 4 {
                    now - TimeDelta::days(1)
                } else {
                    now + TimeDelta::days(30)
                },
                last_review: Some(now - TimeDelta::days(12)),
                reps: 3,
                lapses: 0,
            };
            ("pm-dates", *id, Some(p))
        })
        .collect();
    store(dir).restore_rows(&[], &rows).unwrap();
}

/// Clicks into the field a screen reader calls `label`, selects what it holds and types `text`
/// in its place.
fn type_into(h: &mut App, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

fn settings(dir: &Path) -> App {
    let mut h = app_sized(dir, [1000.0, 3200.0]);
    h.run();
    click(&mut h, "Settings");
    h
}

#[test]
fn an_exam_set_in_settings_shows_its_readiness_on_home_and_in_statistics() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = settings(dir.path());
    let date = (Local::now().date_naive() + TimeDelta::days(21))
        .format("%Y-%m-%d")
        .to_string();
    type_into(&mut h, "Exam date", &date);
    type_into(&mut h, "Recall wanted on the day", "0.9x");
    click(&mut h, "Set exam date");
    // "0.9x" is not a target: said, and nothing saved.
    assert!(h.query_by_label_contains("is not a target").is_some());
    assert!(store(dir.path()).exam("pm-dates").unwrap().is_none());
    type_into(&mut h, "Recall wanted on the day", "0.95");
    click(&mut h, "Set exam date");
    assert!(
        h.query_by_label_contains("brought forward to be ready by then")
            .is_some(),
        "no notice"
    );
    let exam = store(dir.path()).exam("pm-dates").unwrap().unwrap();
    assert_eq!(exam.date.format("%Y-%m-%d").to_string(), date);
    assert!((exam.target - 0.95).abs() < 1e-6);
    // The cards due in a month would not be ready: brought before the exam.
    let starts = exam.starts(flashdrill_core::schedule::StudyDays::local(4));
    for r in store(dir.path()).card_states(Some("pm-dates")).unwrap() {
        assert!(r.progress.card.due < starts, "{} past the exam", r.card_id);
    }
    let left = flashdrill_core::plan::day_number(exam.date)
        - flashdrill_core::schedule::StudyDays::local(4).day_of(Utc::now());
    assert!(
        h.query_by_label_contains(&format!("in {left} days"))
            .is_some()
    );

    click(&mut h, "Decks");
    assert!(
        h.query_by_label_contains("Exam on").is_some()
            && h.query_by_label_contains("% of cards ready (predicted recall ≥ 95 %)")
                .is_some(),
        "Home shows no readiness"
    );
    click(&mut h, "Statistics");
    h.run();
    assert!(h.query_by_label("Ready for the exam").is_some());
    assert!(
        h.query_by_label_contains("ready for the exam day by day if you keep up")
            .is_some(),
        "the readiness chart has no text equivalent"
    );

    click(&mut h, "Settings");
    click(&mut h, "Remove exam date");
    assert!(store(dir.path()).exam("pm-dates").unwrap().is_none());
    assert!(h.query_by_label_contains("Exam date removed").is_some());
}

#[test]
fn the_workload_switches_are_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = settings(dir.path());
    click(
        &mut h,
        "Load balancing: about the same number of reviews every day",
    );
    assert!(!store(dir.path()).load_settings().unwrap().load_balance);
    click(
        &mut h,
        "Reschedule cards when the desired retention or the memory model changes",
    );
    assert!(
        store(dir.path())
            .load_settings()
            .unwrap()
            .reschedule_on_change
    );
    // A deck's own retention, and a refused one.
    type_into(&mut h, "This deck's desired retention", "0.96");
    click(&mut h, "Use for this deck");
    assert_eq!(
        store(dir.path())
            .deck_options()
            .unwrap()
            .retention
            .get("pm-dates"),
        Some(&0.96)
    );
    assert!(
        h.query_by_label_contains("Desired retention 0.96 for this deck")
            .is_some()
    );
}

#[test]
fn browse_postpones_due_cards_and_undo_brings_them_back() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = app_sized(dir.path(), [1200.0, 900.0]);
    h.run();
    click(&mut h, "Browse");
    click(&mut h, "Postpone 20 due");
    assert!(
        h.query_by_label_contains("Postponed 4 cards").is_some(),
        "no notice of the postponement"
    );
    let due_now = |dir: &Path| {
        let now = Utc::now();
        store(dir)
            .card_states(Some("pm-dates"))
            .unwrap()
            .iter()
            .filter(|r| r.progress.card.due <= now)
            .count()
    };
    assert_eq!(due_now(dir.path()), 0);
    click(&mut h, "Undo Postpone 4 cards");
    assert_eq!(due_now(dir.path()), 4);
    click(&mut h, "Advance 20");
    assert!(h.query_by_label_contains("Advanced 4 cards").is_some());
    assert_eq!(due_now(dir.path()), 8);
}

#[test]
fn a_decks_menu_opens_its_exam_date_in_settings() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_sized(dir.path(), [1100.0, 760.0]);
    h.run();
    h.get_by_label(&format!("More for {ACTORS}"))
        .click_accesskit();
    h.run();
    click(&mut h, "Exam date and retention…");
    // The settings screen, at the actors deck's options, scrolled into view.
    let deck = h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Deck");
    assert_eq!(deck.value().as_deref(), Some(ACTORS));
    let field = h.get_by_label("Exam date");
    assert!(
        field.rect().max.y < 760.0 && field.rect().min.y > 0.0,
        "{:?}",
        field.rect()
    );
}
