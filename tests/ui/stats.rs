//! The statistics screen through the whole app, found by labels as a screen-reader user would.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{Datelike, Local, TimeDelta, Timelike, Utc};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use flashdrill::app::{FlashdrillApp, Screen};
use flashdrill::ui::stats::EMPTY_TEXT;
use flashdrill_core::deck;
use flashdrill_core::schedule::Rating;
use flashdrill_core::session::{Session, deck_queue};
use flashdrill_core::store::Mode;
use flashdrill_core::store::profiles::Profiles;

fn app(dir: &Path, background: bool) -> crate::common::App {
    crate::common::app_with(dir, [1100.0, 900.0], background)
}

/// Answers the first two new cards of the bundled dates deck through the session API: Good
/// (20 s) and Again (40 s), a minute ago, with days starting 12 hours from now (so the answers
/// are today's whatever the clock says).
pub fn seed(dir: &Path) {
    seed_profile(dir, None);
}

/// [`seed`] into the named profile (created beside the default one, which stays the open one).
fn seed_profile(dir: &Path, name: Option<&str>) {
    let library = deck::load_library(&[], true);
    let dates = &library.deck("pm-dates").unwrap().deck;
    let ids: Vec<&str> = dates.cards.iter().map(|c| c.id.as_str()).collect();
    let mut profiles = Profiles::load(dir).unwrap();
    profiles.choose(None).unwrap();
    if let Some(name) = name {
        profiles.create(name).unwrap();
    }
    let info = profiles.choose(name).unwrap();
    let mut store = profiles
        .open(&info.slug, Local::now().date_naive())
        .unwrap();
    let mut settings = store.load_settings().unwrap();
    settings.day_starts_at = (Local::now().hour() + 12) % 24;
    store.save_settings(&settings).unwrap();
    let at = Utc::now() - TimeDelta::minutes(1);
    let queue = deck_queue(
        &store,
        "pm-dates",
        &ids,
        &settings,
        &at.with_timezone(&Local),
    )
    .unwrap();
    let mut s = Session::from_settings(&settings, Mode::Srs, queue, at).unwrap();
    s.answer(
        &mut store,
        Rating::Good,
        None,
        None,
        Duration::from_secs(20),
        at,
    )
    .unwrap();
    s.answer(
        &mut store,
        Rating::Again,
        None,
        None,
        Duration::from_secs(40),
        at,
    )
    .unwrap();
}

/// The value shown with a caption ("Reviews today" → "2").
fn figure(harness: &Harness<'_, FlashdrillApp>, caption: &str, value: &str) {
    let caption_node = harness.get_by_label(caption);
    let group = caption_node
        .parent()
        .unwrap_or_else(|| panic!("{caption} has no parent"));
    group.get_by_label(value);
}

fn open_stats(harness: &mut Harness<'_, FlashdrillApp>) {
    harness.get_by_label("Statistics").click();
    harness.run();
    assert_eq!(harness.state().screen(), Screen::Stats);
}

#[test]
fn an_empty_profile_explains_itself_and_leads_to_the_decks() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path(), false);
    harness.run();
    open_stats(&mut harness);
    harness.get_by_label(EMPTY_TEXT);
    assert!(
        harness.query_by_label("Reviews today").is_none(),
        "no empty numbers"
    );
    assert!(harness.query_by_label("Reviews per day").is_none());
    harness.get_by_label("Go to decks").click();
    harness.run();
    assert_eq!(harness.state().screen(), Screen::Home);
}

#[test]
fn answers_show_up_in_the_numbers_and_the_filter_narrows_them() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut harness = app(dir.path(), false);
    harness.run();
    open_stats(&mut harness);
    figure(&harness, "Reviews today", "2");
    figure(&harness, "Minutes today", "1");
    figure(&harness, "Right today", "50 %");
    figure(&harness, "Current streak", "1 day");
    figure(&harness, "Longest streak", "1 day");
    harness.get_by_label("Reviews per day");
    harness.get_by_label("Due in the next 30 days");
    harness.get_by_label("True retention by week");
    // Two learning cards, due within 10 minutes: both today.
    harness.get_by_label_contains("2 due today (with overdue), 2 in the next 30 days");
    harness.get_by_label_contains("Would recall today: ");
    harness.get_by_label_contains("1 of the last 365 days with reviews");

    harness.get_by_label("1 year").click();
    harness.run();
    figure(&harness, "Reviews today", "2");

    // Another deck: nothing studied there yet.
    harness.get_by_label("Deck:").click();
    harness.run();
    harness.get_by_label("Pyongyang and Moscow: actors").click();
    harness.run();
    harness.get_by_label("No reviews of this deck yet — study it and its progress appears here");

    // Back to all decks, then Escape leaves the screen.
    harness.get_by_label("Deck:").click();
    harness.run();
    harness.get_by_label("All decks").click();
    harness.run();
    figure(&harness, "Reviews today", "2");
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.state().screen(), Screen::Home);
}

#[test]
fn statistics_are_computed_off_the_ui_thread() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut harness = app(dir.path(), true);
    let deadline = Instant::now() + Duration::from_secs(30);
    // Decks load in the background too: wait for the nav bar's button.
    while harness.query_by_label("Statistics").is_none() && Instant::now() < deadline {
        harness.step();
    }
    harness.get_by_label("Statistics").click();
    harness.step();
    assert_eq!(harness.state().screen(), Screen::Stats);
    let left = deadline.saturating_duration_since(Instant::now());
    crate::common::step_until(&mut harness, left, |h| {
        h.query_by_label("Reviews today").is_some()
    });
    figure(&harness, "Reviews today", "2");
}

#[test]
fn another_learners_statistics_without_switching_profile() {
    let dir = tempfile::tempdir().unwrap();
    seed_profile(dir.path(), Some("Sam"));
    let mut harness = app(dir.path(), false);
    harness.run();
    open_stats(&mut harness);
    // The open profile (Default) has studied nothing; Sam has.
    harness.get_by_label(EMPTY_TEXT);
    harness.get_by_label("Profile:").click();
    harness.run();
    harness.get_by_label("Sam").click();
    harness.run();
    figure(&harness, "Reviews today", "2");
    assert_eq!(
        harness.state().store().unwrap().review_count().unwrap(),
        0,
        "the open profile is still Default"
    );
    harness.get_by_label("Profile: Default");
}

#[test]
fn the_report_is_exported_from_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    // Tall enough that the report section at the bottom is on screen without scrolling.
    let mut harness = crate::common::app_sized(dir.path(), [1100.0, 2600.0]);
    harness.run();
    open_stats(&mut harness);
    harness.get_by_label("Format:").click();
    harness.run();
    harness.get_by_label("CSV, one row per card").click();
    harness.run();
    let path = dir.path().join("my report.csv");
    harness.get_by_label("Save report to:").click();
    harness.run();
    harness
        .get_by_label("Save report to:")
        .type_text(&path.display().to_string());
    harness.run();
    harness.get_by_label("Save report").click();
    harness.run();
    harness.get_by_label(&format!(
        "Saved the report (51 cards, CSV, one row per card) to {}.",
        path.display()
    ));
    let csv = std::fs::read_to_string(&path).unwrap();
    assert_eq!(csv.lines().count(), 52, "a header and one row per card");
    assert!(csv.starts_with("deck,card_id,category,"), "{csv}");

    // A folder that does not exist: said plainly, nothing written.
    let bad = dir.path().join("missing").join("report.csv");
    harness.get_by_label("Save report to:").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness
        .get_by_label("Save report to:")
        .type_text(&bad.display().to_string());
    harness.run();
    harness.get_by_label("Save report").click();
    harness.run();
    harness.get_by_label_contains(&format!(
        "The report was not saved: could not write {}",
        bad.display()
    ));
}

#[test]
fn reviews_today_leaves_practice_answers_out_and_counts_them_beside() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut harness = app(dir.path(), false);
    harness.run();
    harness.get_by_label("Practice").click();
    harness.run();
    crate::common::choose(&mut harness, "Question form:", "Flashcards");
    harness.get_by_label("Practice all actors").click();
    harness.run();
    assert_eq!(harness.state().screen(), Screen::Study);
    harness.key_press(Key::Space);
    harness.run();
    harness.key_press(Key::Space);
    harness.run();
    for _ in 0..3 {
        if !matches!(harness.state().screen(), Screen::Study | Screen::Summary) {
            break;
        }
        harness.key_press(Key::Escape);
        harness.run();
    }
    open_stats(&mut harness);
    figure(&harness, "Reviews today", "2");
    figure(&harness, "Practice and drill today", "1");
}

/// Two cards learned (Easy) three weeks ago and reviewed a minute ago, one remembered and one
/// forgotten: true retention has one week of data, this one.
fn one_week_of_reviews(dir: &Path) {
    use flashdrill_core::domain::ReviewRecord;
    let now = Utc::now() - TimeDelta::minutes(1);
    let answer = |card: &str, at, rating| ReviewRecord {
        id: 0,
        deck_id: "pm-dates".to_owned(),
        card_id: card.to_owned(),
        at,
        rating,
        mode: Mode::Srs,
        answer_given: None,
        correct: None,
        response_ms: 5000,
        state_before: None,
        state_after: None,
    };
    let library = deck::load_library(&[], true);
    let cards = &library.deck("pm-dates").unwrap().deck.cards;
    let learned = now - TimeDelta::days(21);
    let history = vec![
        answer(&cards[0].id, learned, Rating::Easy),
        answer(&cards[1].id, learned, Rating::Easy),
        answer(&cards[0].id, now, Rating::Good),
        answer(&cards[1].id, now, Rating::Again),
    ];
    let mut store = crate::common::profile_store(dir);
    let settings = store.load_settings().unwrap();
    flashdrill_core::optimize::record_history(&mut store, &history, &settings).unwrap();
}

#[test]
fn one_week_of_true_retention_is_a_point_this_week() {
    let dir = tempfile::tempdir().unwrap();
    one_week_of_reviews(dir.path());
    let mut harness = app(dir.path(), false);
    harness.run();
    open_stats(&mut harness);
    let chart = harness
        .get_by_label_contains("Chart of true retention by week: 1 weeks")
        .rect();
    let week = harness.get_by_label_contains("Week of ");
    let name = week.accesskit_node().label().unwrap_or_default();
    assert!(name.ends_with(": 50 % passed (1 of 2)"), "{name}");
    let monday = Local::now().date_naive()
        - TimeDelta::days(i64::from(Local::now().weekday().num_days_from_monday()));
    let shown = chrono::NaiveDate::parse_from_str(
        name.trim_start_matches("Week of ")
            .split(':')
            .next()
            .unwrap(),
        "%-d %b %Y",
    )
    .unwrap();
    assert!(
        shown <= Local::now().date_naive(),
        "{name}: not in the future"
    );
    assert!((monday - shown).num_days().abs() <= 7, "{name}: this week");
    // The point is on the chart, at its right end (this week), not off it.
    let at = week.rect().center();
    assert!(chart.contains(at), "{at:?} outside {chart:?}");
    assert!(at.x > chart.center().x, "{at:?} in {chart:?}");
}

#[test]
fn a_calendar_days_tooltip_opens_at_the_pointer() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut harness = app(dir.path(), false);
    harness.run();
    open_stats(&mut harness);
    harness
        .get_by_label_contains("Calendar of the last")
        .scroll_to_me();
    harness.run();
    let calendar = harness.get_by_label_contains("Calendar of the last").rect();
    // A day near the right end, in the middle of its week: cells of 12 points, 3 apart,
    // after 32 points of weekday names and 16 of month names.
    let at = calendar.left_top() + egui::vec2(32.0 + 48.0 * 15.0 + 6.0, 16.0 + 3.0 * 15.0 + 6.0);
    harness.hover_at(at);
    for _ in 0..40 {
        harness.step();
    }
    // "Tue 21 Oct 2026: 0 reviews"
    let tip = harness
        .get_by(|n| {
            n.value()
                .is_some_and(|l| l.ends_with(" reviews") && l.split(": ").count() == 2)
        })
        .rect();
    assert!(
        tip.distance_to_pos(at) < 40.0,
        "the tooltip at {tip:?}, the pointer at {at:?}"
    );
}
