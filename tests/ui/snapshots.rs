//! Snapshot tests: every main screen in light and dark, rendered on the CPU (wgpu with
//! lavapipe or llvmpipe). `UPDATE_SNAPSHOTS=1 cargo test --test ui_snapshots` accepts changes.

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flashdrill::app::{FlashdrillApp, Screen};

fn harness(dir: &std::path::Path, theme: &str) -> crate::common::App {
    crate::common::rendered(dir, [960.0, 720.0], theme)
}

fn start(harness: &mut Harness<'_, FlashdrillApp>, form: &str) {
    harness.get_by_label(form).click();
    harness.run();
    harness.get_by_label("Study all due").click();
    harness.run();
}

fn home_and_settings(theme: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), theme);
    h.snapshot(format!("home-{theme}"));
    h.get_by_label("Settings").click();
    h.run();
    h.snapshot(format!("settings-{theme}"));
}

#[test]
fn home_and_settings_light() {
    home_and_settings("light");
}

#[test]
fn home_and_settings_dark() {
    home_and_settings("dark");
}

fn flip_card_question_and_answer(theme: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), theme);
    start(&mut h, "Flashcards");
    h.snapshot(format!("study-flip-{theme}"));
    h.key_press(Key::Space);
    h.run();
    h.snapshot(format!("study-flip-answer-{theme}"));
}

#[test]
fn flip_card_question_and_answer_light() {
    flip_card_question_and_answer("light");
}

#[test]
fn flip_card_question_and_answer_dark() {
    flip_card_question_and_answer("dark");
}

fn multiple_choice(theme: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), theme);
    start(&mut h, "Multiple choice");
    h.snapshot(format!("study-choice-{theme}"));
    h.key_press(Key::Num2);
    h.run();
    h.snapshot(format!("study-choice-answer-{theme}"));
}

#[test]
fn multiple_choice_light() {
    multiple_choice("light");
}

#[test]
fn multiple_choice_dark() {
    multiple_choice("dark");
}

fn typed_answer_wrong_with_diff(theme: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), theme);
    start(&mut h, "Type the answer");
    h.get_by_label("Your answer").type_text("2010");
    h.run();
    h.snapshot(format!("study-typed-{theme}"));
    h.key_press(Key::Enter);
    h.run();
    h.snapshot(format!("study-typed-answer-{theme}"));
}

#[test]
fn typed_answer_wrong_with_diff_light() {
    typed_answer_wrong_with_diff("light");
}

#[test]
fn typed_answer_wrong_with_diff_dark() {
    typed_answer_wrong_with_diff("dark");
}

fn cloze_in_a_mixed_session(theme: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), theme);
    start(&mut h, "Mixed");
    // Mixed picks the form per card; go on until a fill-in-the-blank card comes up.
    let mut found = false;
    for _ in 0..60 {
        if h.query_by_label_contains("_____").is_some() {
            found = true;
            break;
        }
        if h.query_by_label("Your answer").is_none()
            && h.query_by_label_contains("Show answer").is_none()
        {
            h.key_press(Key::Num1); // a multiple-choice option
        } else {
            h.key_press(Key::Enter);
        }
        h.run();
        h.key_press(Key::Enter);
        h.run();
    }
    assert!(found, "no cloze card came up");
    h.snapshot(format!("study-cloze-{theme}"));
}

#[test]
fn cloze_in_a_mixed_session_light() {
    cloze_in_a_mixed_session("light");
}

#[test]
fn cloze_in_a_mixed_session_dark() {
    cloze_in_a_mixed_session("dark");
}

fn summary(theme: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), theme);
    h.state_mut().set_setting("new_per_day", "3");
    h.run();
    h.get_by_label("Flashcards").click();
    h.run();
    h.get_by_label("Study Pyongyang and Moscow: dates and events")
        .click();
    h.run();
    for rating in [Key::Num3, Key::Num1, Key::Num3] {
        h.key_press(Key::Space);
        h.run();
        h.key_press(rating);
        h.run();
    }
    // Learning cards come back within the learn-ahead window; answer Easy until done.
    for _ in 0..10 {
        if h.state().screen() == Screen::Summary {
            break;
        }
        h.key_press(Key::Space);
        h.run();
        h.key_press(Key::Num4);
        h.run();
    }
    assert_eq!(h.state().screen(), Screen::Summary);
    // The session's time is wall-clock time: mask it so the image does not depend on speed.
    let time = h.get_by_label("time").rect();
    h.mask(
        time.expand2(egui::vec2(8.0, 0.0))
            .union(time.translate(egui::vec2(0.0, -34.0))),
    );
    h.snapshot(format!("summary-{theme}"));
}

#[test]
fn summary_light() {
    summary("light");
}

#[test]
fn summary_dark() {
    summary("dark");
}
