//! Whole flows through the app, driven as a screen-reader user would: by labels, roles and keys.

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flashdrill::app::{FlashdrillApp, Screen};

fn app(dir: &std::path::Path) -> crate::common::App {
    crate::common::app_sized(dir, [1100.0, 800.0])
}

fn choose_form(harness: &mut Harness<'_, FlashdrillApp>, form: &str) {
    harness.get_by_label(form).click();
    harness.run();
}

fn reviews(harness: &Harness<'_, FlashdrillApp>) -> Vec<flashdrill_core::store::ReviewRecord> {
    harness
        .state()
        .store()
        .expect("store open")
        .all_reviews()
        .expect("reviews")
}

#[test]
fn flashcards_show_answer_rate_undo_and_leave() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    choose_form(&mut harness, "Flashcards");
    harness.get_by_label("Study all due").click();
    harness.run();
    assert_eq!(harness.state().screen(), Screen::Study);

    harness.key_press(Key::Space);
    harness.run();
    harness.get_by_label("From the article:");
    harness.get_by_label("Good");
    harness.key_press(Key::Space); // Good
    harness.run();
    let log = reviews(&harness);
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].rating, flashdrill_core::schedule::Rating::Good);

    harness.get_by_label("Show answer (Space / Enter)").click();
    harness.run();
    harness.get_by_label("Again").click();
    harness.run();
    assert_eq!(reviews(&harness).len(), 2);

    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(reviews(&harness).len(), 1, "undo removes the last answer");

    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.state().screen(), Screen::Home);
    assert_eq!(
        reviews(&harness).len(),
        1,
        "leaving keeps what was answered"
    );
}

#[test]
fn typed_answers_are_marked_right_and_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    choose_form(&mut harness, "Type the answer");
    harness.get_by_label("Study all due").click();
    harness.run();

    // The first new card of the first deck asks for the year of the rapprochement: 2000.
    harness.get_by_label("Your answer").type_text("2000");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("Right");
    harness.key_press(Key::Enter);
    harness.run();

    harness.get_by_label("Your answer").type_text("nonsense");
    harness.run();
    harness.get_by_label("Check (Enter)").click();
    harness.run();
    harness.get_by_label("Not quite");
    harness.key_press(Key::Num1);
    harness.run();
    // Both cards wait for their next learning step: still counted as left, and said to be
    // coming back.
    harness.get_by_label_contains("2 done · ");
    harness.get_by_label_contains(" left · 2 coming back");

    let log = reviews(&harness);
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].correct, Some(true));
    assert_eq!(log[0].answer_given.as_deref(), Some("2000"));
    assert_eq!(log[1].correct, Some(false));
    assert_eq!(log[1].rating, flashdrill_core::schedule::Rating::Again);
}

#[test]
fn study_all_due_on_a_fresh_profile_never_shows_two_siblings_in_a_row() {
    let lib = flashdrill_core::deck::load_library(&[], true);
    let scope_of = |deck_id: &str, card_id: &str| {
        let deck = &lib.decks.iter().find(|d| d.deck.id == deck_id)?.deck;
        let card = deck.cards.iter().find(|c| c.id == card_id)?;
        flashdrill_core::deck::sibling_scope(deck, card)
    };
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    choose_form(&mut harness, "Flashcards");
    harness.get_by_label("Study all due").click();
    harness.run();
    assert_eq!(harness.state().screen(), Screen::Study);

    // Answer "Good" to every card the session shows, until it ends or has nothing due now.
    for _ in 0..400 {
        if harness.state().screen() != Screen::Study
            || harness
                .query_by_label("Show answer (Space / Enter)")
                .is_none()
        {
            break;
        }
        harness.key_press(Key::Space);
        harness.run();
        harness.key_press(Key::Space);
        harness.run();
    }
    let log = reviews(&harness);
    assert!(log.len() >= 20, "the session showed {} cards", log.len());
    let mut seen_groups = 0;
    for pair in log.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let (Some(ga), Some(gb)) = (
            scope_of(&a.deck_id, &a.card_id),
            scope_of(&b.deck_id, &b.card_id),
        ) else {
            continue;
        };
        seen_groups += 1;
        assert!(
            ga != gb || a.card_id == b.card_id,
            "{} then {} are siblings ({ga:?})",
            a.card_id,
            b.card_id
        );
    }
    assert!(seen_groups > 10, "the bundled cards have groups");
}
