//! The keyboard as a user without a mouse meets it: Tab to a button and press Enter, and the
//! `?` overlay's list of keys.

use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flashdrill::app::{FlashdrillApp, Screen};
use flashdrill_core::schedule::Rating;

use crate::common::{click, press};

fn last_rating(harness: &Harness<'_, FlashdrillApp>) -> Option<Rating> {
    let store = harness.state().store().expect("store open");
    store
        .all_reviews()
        .expect("reviews")
        .last()
        .map(|r| r.rating)
}

#[test]
fn enter_presses_the_focused_button_and_otherwise_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = crate::common::app_sized(dir.path(), [1100.0, 800.0]);
    harness.run();
    click(&mut harness, "Flashcards");
    click(&mut harness, "Study all due");
    assert_eq!(harness.state().screen(), Screen::Study);
    press(&mut harness, Key::Space);
    // With the focus ring on "Again", Enter answers Again, not the proposed Good.
    harness.get_by_role_and_label(Role::Button, "Again").focus();
    harness.run();
    assert!(
        harness
            .get_by_role_and_label(Role::Button, "Again")
            .is_focused()
    );
    press(&mut harness, Key::Enter);
    assert_eq!(last_rating(&harness), Some(Rating::Again));
    // With no button focused, Enter still shows the answer and goes on with Good.
    press(&mut harness, Key::Enter);
    harness.get_by_role_and_label(Role::Button, "Again");
    press(&mut harness, Key::Enter);
    assert_eq!(last_rating(&harness), Some(Rating::Good));
}

#[test]
fn enter_in_the_typed_answer_still_checks_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = crate::common::app_sized(dir.path(), [1100.0, 800.0]);
    harness.run();
    click(&mut harness, "Type the answer");
    click(&mut harness, "Study all due");
    let field = harness.get_by_role(Role::TextInput);
    field.focus();
    harness.run();
    harness.get_by_role(Role::TextInput).type_text("Pyongyang");
    harness.run();
    press(&mut harness, Key::Enter);
    harness.get_by_label("Answer");
}
