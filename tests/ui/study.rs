//! Whole flows through the app, driven as a screen-reader user would: by labels, roles and keys.

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use flashdrill::app::{FlashdrillApp, Screen};

fn app(dir: &std::path::Path) -> crate::common::App {
    crate::common::app_sized(dir, [1100.0, 800.0])
}

fn choose_form(harness: &mut Harness<'_, FlashdrillApp>, form: &str) {
    harness.get_by_label(form).click();
    harness.run();
}

/// The app on a new data directory (kept while the harness lives), in "Study all due" with
/// the question `form` chosen.
fn study_all_due(form: &str) -> (tempfile::TempDir, crate::common::App) {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    choose_form(&mut harness, form);
    harness.get_by_label("Study all due").click();
    harness.run();
    (dir, harness)
}

fn reviews(harness: &Harness<'_, FlashdrillApp>) -> Vec<flashdrill_core::store::ReviewRecord> {
    harness
        .state()
        .store()
        .expect("store open")
        .all_reviews()
        .expect("reviews")
}

/// The bundled card whose prompt is on show.
fn card_on_show(harness: &Harness<'_, FlashdrillApp>) -> flashdrill_core::deck::Card {
    let lib = flashdrill_core::deck::load_library(&[], true);
    lib.decks
        .iter()
        .flat_map(|d| d.deck.cards.iter())
        .find(|c| harness.query_by_label(&c.prompt).is_some())
        .cloned()
        .expect("a bundled card on show")
}

#[test]
fn flashcards_show_answer_rate_undo_and_leave() {
    let (_dir, mut harness) = study_all_due("Flashcards");
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

    // Leaving early shows what was done; leaving the summary goes home.
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.state().screen(), Screen::Summary);
    harness.get_by_label("Session ended early");
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
    let (_dir, mut harness) = study_all_due("Type the answer");

    let first = card_on_show(&harness);
    harness.get_by_label("Your answer").type_text(&first.answer);
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
    // Nothing like the answer: wrong, not "not quite".
    harness.get_by_label("Wrong");
    assert!(harness.query_by_label("Not quite").is_none());
    harness.key_press(Key::Num1);
    harness.run();
    // Both cards wait for their next learning step: still counted as left, and said to be
    // coming back.
    harness.get_by_label_contains("2 done · ");
    harness.get_by_label_contains(" left · 2 coming back");

    let log = reviews(&harness);
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].correct, Some(true));
    assert_eq!(log[0].answer_given.as_deref(), Some(first.answer.as_str()));
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
    let (_dir, mut harness) = study_all_due("Flashcards");
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

/// The number in the study screen's "N done · M left" line before " left".
fn left(harness: &Harness<'_, FlashdrillApp>) -> usize {
    let node = harness.get_by_label_contains(" done · ");
    let line = node
        .accesskit_node()
        .label()
        .or_else(|| node.accesskit_node().value())
        .unwrap_or_default();
    let before = line.split(" left").next().unwrap_or_default();
    before
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {line:?}"))
}

/// Shows the answer of the flashcard on show and rates it with `key` (1 Again … 4 Easy).
fn flip_and_rate(harness: &mut Harness<'_, FlashdrillApp>, key: Key) {
    harness.key_press(Key::Space);
    harness.run();
    harness.key_press(key);
    harness.run();
}

#[test]
fn the_counter_falls_with_each_card_and_says_why_the_session_is_short() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    harness.state_mut().set_setting("new_per_day", "5");
    harness.run();
    choose_form(&mut harness, "Flashcards");
    harness.get_by_label("Study all due").click();
    harness.run();
    // Why five a deck: said before the first answer.
    harness.get_by_label_contains("New cards are limited to 5 a day per deck");
    let start = left(&harness);
    assert!(start >= 5, "{start} cards");

    // A card answered Again comes back, but it is no longer "left".
    flip_and_rate(&mut harness, Key::Num1);
    harness.get_by_label(&format!("1 done · {} left · 1 coming back", start - 1));
    flip_and_rate(&mut harness, Key::Num3);
    assert_eq!(left(&harness), start - 2);
}

#[test]
fn leaving_early_saves_the_answer_on_show_and_shows_the_summary() {
    let (_dir, mut harness) = study_all_due("Flashcards");
    flip_and_rate(&mut harness, Key::Num1);
    flip_and_rate(&mut harness, Key::Num3);
    // The third card's answer is on show, not rated yet, when the learner leaves.
    harness.key_press(Key::Space);
    harness.run();
    crate::common::click(&mut harness, "Leave");
    assert_eq!(harness.state().screen(), Screen::Summary);
    harness.get_by_label("Session ended early");
    harness.get_by_label_contains("saved as “Good”");
    let log = reviews(&harness);
    assert_eq!(log.len(), 3, "the answer on show is kept");
    assert_eq!(log[2].rating, flashdrill_core::schedule::Rating::Good);
    harness.get_by_label("Missed (1)");

    // The missed card again, as practice: the schedule is left alone.
    crate::common::click(&mut harness, "Study the missed ones again");
    assert_eq!(harness.state().screen(), Screen::Study);
    flip_and_rate(&mut harness, Key::Num3);
    let log = reviews(&harness);
    assert_eq!(log.len(), 4);
    assert_eq!(log[3].card_id, log[0].card_id);
    assert_eq!(log[3].mode, flashdrill_core::store::Mode::Practice);
    assert_eq!(harness.state().screen(), Screen::Summary);
    harness.get_by_label("Session complete");
}

#[test]
fn leaving_before_any_answer_goes_straight_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    harness.get_by_label("Study all due").click();
    harness.run();
    crate::common::press(&mut harness, Key::Escape);
    assert_eq!(harness.state().screen(), Screen::Home);
}

#[test]
fn enter_on_an_empty_answer_asks_before_marking_it_wrong() {
    let (_dir, mut harness) = study_all_due("Type the answer");
    crate::common::press(&mut harness, Key::Enter);
    harness.get_by_label_contains("Nothing typed yet");
    harness.get_by_label("Your answer");
    assert!(reviews(&harness).is_empty());
    assert!(harness.query_by_label("Good").is_none(), "not marked yet");
    crate::common::press(&mut harness, Key::Enter);
    harness.get_by_label("No answer");
}

#[test]
fn a_near_miss_is_not_quite() {
    let (_dir, mut harness) = study_all_due("Type the answer");
    // Two letters off the answer: more than a typo, but close.
    let first = card_on_show(&harness);
    let mut near: String = first.answer.clone();
    near.pop();
    near.pop();
    near.push_str("xx");
    harness.get_by_label("Your answer").type_text(&near);
    harness.run();
    crate::common::press(&mut harness, Key::Enter);
    harness.get_by_label("Not quite");
}

#[test]
fn undo_says_what_it_took_back() {
    let (_dir, mut harness) = study_all_due("Flashcards");
    flip_and_rate(&mut harness, Key::Num3);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.get_by_label_contains("Your last answer was taken back");
    harness.get_by_label_contains("0 done · ");
}

#[test]
fn the_session_timer_stops_while_the_window_is_in_the_background() {
    let (_dir, mut harness) = study_all_due("Flashcards");
    harness.input_mut().focused = false;
    harness.run_steps(40); // ten seconds away
    harness.get_by_label("0:00");
    harness.input_mut().focused = true;
    harness.run_steps(12); // three seconds back
    harness.get_by_label("0:03");
}

#[test]
fn the_rating_buttons_stay_in_view_on_a_small_window() {
    let dir = tempfile::tempdir().unwrap();
    for size in [[800.0, 600.0], [1100.0, 760.0]] {
        let mut harness = crate::common::app_sized(dir.path(), size);
        harness.run();
        choose_form(&mut harness, "Flashcards");
        harness.get_by_label("Study all due").click();
        harness.run();
        // A card with a long explanation: the second of the session.
        flip_and_rate(&mut harness, Key::Num3);
        crate::common::press(&mut harness, Key::Space);
        // A screen reader meets the answer before the buttons that rate it.
        let order: Vec<String> = harness
            .root()
            .children_recursive()
            .filter_map(|n| {
                let node = n.accesskit_node();
                node.label().or_else(|| node.value())
            })
            .collect();
        let at = |label: &str| order.iter().position(|l| l == label);
        assert!(
            matches!((at("Answer"), at("Good")), (Some(a), Some(g)) if a < g),
            "{order:?}"
        );
        for rating in ["Again", "Hard", "Good", "Easy"] {
            let rect = harness.get_by_label(rating).rect();
            assert!(
                rect.max.y <= size[1] && rect.min.y >= 0.0,
                "{size:?}: {rating} at {rect:?}"
            );
        }
        crate::common::press(&mut harness, Key::Escape);
        crate::common::press(&mut harness, Key::Escape);
    }
}

#[test]
fn no_card_of_study_all_due_gives_away_the_next_ones_answer() {
    let lib = flashdrill_core::deck::load_library(&[], true);
    let card = |deck_id: &str, card_id: &str| {
        lib.deck(deck_id)
            .and_then(|d| d.deck.card(card_id))
            .cloned()
            .expect("a bundled card")
    };
    // The words of a text, lower case, with a space on each side.
    let words = |text: &str| {
        let w: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        format!(" {} ", w.join(" "))
    };
    let (_dir, mut harness) = study_all_due("Flashcards");
    for _ in 0..12 {
        flip_and_rate(&mut harness, Key::Num3);
    }
    let log = reviews(&harness);
    assert_eq!(log.len(), 12);
    let decks: std::collections::HashSet<&str> =
        log.iter().take(6).map(|r| r.deck_id.as_str()).collect();
    assert!(decks.len() > 1, "the decks take turns: {decks:?}");
    for pair in log.windows(2) {
        let (a, b) = (
            card(&pair[0].deck_id, &pair[0].card_id),
            card(&pair[1].deck_id, &pair[1].card_id),
        );
        let shown = words(&format!(
            "{} {} {}",
            a.explanation.as_deref().unwrap_or(""),
            a.source,
            a.answer
        ));
        assert!(
            !shown.contains(&words(&b.answer)),
            "{} gives away the answer of {}, next: {:?}",
            a.id,
            b.id,
            b.answer
        );
    }
}
