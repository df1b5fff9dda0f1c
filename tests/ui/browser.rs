//! The card browser, driven through the whole app by labels and roles: search and filters,
//! suspend / unsuspend, bury, reset with confirmation and undo, details, practice.

use crate::common::choose;
use crate::common::{click, store};
use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flashdrill::app::{FlashdrillApp, Screen};
use flashdrill_core::deck::{Card, Library};
use flashdrill_core::schedule::State;
use flashdrill_core::store::{CardProgress, Mode};

fn app(dir: &std::path::Path) -> crate::common::App {
    crate::common::app_sized(dir, [1280.0, 900.0])
}

fn library() -> Library {
    flashdrill_core::deck::load_library(&[], true)
}

fn progress(harness: &Harness<'_, FlashdrillApp>, deck: &str, card: &str) -> Option<CardProgress> {
    store(harness).card(deck, card).expect("card readable")
}

fn open_browser(harness: &mut Harness<'_, FlashdrillApp>) {
    click(harness, "Browse");
    assert_eq!(harness.state().screen(), Screen::Browse);
}

fn shown(harness: &mut Harness<'_, FlashdrillApp>, n: usize, total: usize) {
    harness.get_by_label(&format!("{n} of {total} cards shown"));
}

fn row_checkbox(harness: &Harness<'_, FlashdrillApp>, card: &Card) -> bool {
    harness
        .query_by_role_and_label(Role::CheckBox, &card.prompt)
        .is_some()
}

/// Answers the first `n` cards due with Good, as flashcards, and goes back home.
fn study_good(harness: &mut Harness<'_, FlashdrillApp>, n: usize) {
    click(harness, "Question form:");
    harness.get_by_label("Flashcards").click();
    harness.run();
    click(harness, "Study all due");
    for _ in 0..n {
        harness.key_press(Key::Space);
        harness.run();
        harness.key_press(Key::Space);
        harness.run();
    }
    crate::common::leave_session(harness);
    assert_eq!(harness.state().screen(), Screen::Home);
}

fn matches(card: &Card, words: &[&str]) -> bool {
    // Folded as the browser's search folds (case, quotes, dashes, spaces, accents).
    let text = flashdrill_core::browse::fold(&format!(
        "{} {} {}",
        card.prompt,
        card.answer,
        card.tags.join(" ")
    ));
    words.iter().all(|w| text.contains(w))
}

#[test]
fn search_and_filters_narrow_the_rows() {
    let lib = library();
    let total = lib.card_count();
    let all: Vec<&Card> = lib.decks.iter().flat_map(|d| &d.deck.cards).collect();
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    open_browser(&mut harness);
    shown(&mut harness, total, total);
    assert!(row_checkbox(&harness, all[0]), "the first card is listed");

    // Accents and case are ignored: "RÚSSIA" finds "Russia".
    harness.get_by_label("Search cards").click();
    harness.run();
    harness
        .get_by_label("Search cards")
        .type_text("Eastern RÚSSIA");
    harness.run();
    let expected: Vec<&&Card> = all
        .iter()
        .filter(|c| matches(c, &["eastern", "russia"]))
        .collect();
    assert!(!expected.is_empty() && expected.len() < total);
    shown(&mut harness, expected.len(), total);
    for card in &expected {
        assert!(row_checkbox(&harness, card), "{} is listed", card.id);
    }
    assert!(!row_checkbox(&harness, all[0]), "the others are not");

    // Clear the search, then filter by category.
    harness.get_by_label("Search cards").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.key_press(Key::Backspace);
    harness.run();
    shown(&mut harness, total, total);
    choose(&mut harness, "Category", "Actor");
    let actors = all.iter().filter(|c| c.category == "actor").count();
    shown(&mut harness, actors, total);
    let actor = all.iter().find(|c| c.category == "actor").unwrap();
    let date = all.iter().find(|c| c.category == "date").unwrap();
    assert!(row_checkbox(&harness, actor));
    assert!(!row_checkbox(&harness, date));

    // Deck and category together: no actor card in the dates deck.
    let dates = lib.decks.iter().find(|d| d.deck.id == "pm-dates").unwrap();
    choose(&mut harness, "Deck", &dates.deck.title);
    shown(&mut harness, 0, total);
    harness.get_by_label("No card matches the search and filters.");
    choose(&mut harness, "Category", "All categories");
    shown(&mut harness, dates.deck.cards.len(), total);

    // Nothing has been studied: no leech, nothing due, everything new.
    click(&mut harness, "Leeches only");
    shown(&mut harness, 0, total);
    click(&mut harness, "Leeches only");
    click(&mut harness, "Due today");
    shown(&mut harness, 0, total);
    click(&mut harness, "Due today");
    choose(&mut harness, "State", "Review");
    shown(&mut harness, 0, total);
    choose(&mut harness, "State", "New");
    shown(&mut harness, dates.deck.cards.len(), total);
}

#[test]
fn sorting_by_a_column_reorders_the_rows() {
    let lib = library();
    let all: Vec<&Card> = lib.decks.iter().flat_map(|d| &d.deck.cards).collect();
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    open_browser(&mut harness);
    let mut by_prompt = all.clone();
    by_prompt.sort_by_key(|c| flashdrill_core::browse::fold(&c.prompt));
    let (first, last) = (by_prompt[0], by_prompt[by_prompt.len() - 1]);
    click(&mut harness, "Sort by prompt");
    assert!(row_checkbox(&harness, first), "A… first");
    assert!(!row_checkbox(&harness, last), "…W far below");
    click(&mut harness, "Sort by prompt");
    assert!(row_checkbox(&harness, last), "reversed: W… first");
    assert!(!row_checkbox(&harness, first));
}

#[test]
fn suspend_unsuspend_and_bury_change_the_stored_card() {
    let lib = library();
    let total = lib.card_count();
    let deck = &lib.decks[0].deck;
    let card = &deck.cards[0];
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    open_browser(&mut harness);

    harness
        .get_by_role_and_label(Role::CheckBox, &card.prompt)
        .click();
    harness.run();
    harness.get_by_label("1 selected");
    // Selecting one card opens its details.
    harness.get_by_label("Card details");
    harness.get_by_label("Not studied yet.");

    click(&mut harness, "Suspend");
    assert!(progress(&harness, &deck.id, &card.id).unwrap().suspended);
    harness.get_by_label("Suspended 1 card.");
    click(&mut harness, "Suspended only");
    shown(&mut harness, 1, total);
    assert!(harness.get_all_by_label("suspended").count() >= 1);

    click(&mut harness, "Unsuspend");
    assert!(!progress(&harness, &deck.id, &card.id).unwrap().suspended);
    shown(&mut harness, 0, total);

    // The last change can be undone: back to suspended.
    click(&mut harness, "Undo Unsuspend 1 card");
    assert!(progress(&harness, &deck.id, &card.id).unwrap().suspended);
    shown(&mut harness, 1, total);
    click(&mut harness, "Unsuspend");
    click(&mut harness, "Suspended only");

    click(&mut harness, "Bury until tomorrow");
    let p = progress(&harness, &deck.id, &card.id).unwrap();
    assert!(p.buried_until.is_some_and(|t| t > chrono::Utc::now()));
    assert!(!p.suspended);
    assert!(harness.get_all_by_label("buried").count() >= 1);
}

#[test]
fn reset_asks_first_keeps_history_and_undo_restores_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    study_good(&mut harness, 2);
    let studied = store(&harness).card_states(None).unwrap();
    assert_eq!(studied.len(), 2);
    let log = store(&harness).review_count().unwrap();
    assert_eq!(log, 2);

    open_browser(&mut harness);
    choose(&mut harness, "State", "Learning");
    let total = library().card_count();
    shown(&mut harness, 2, total);
    click(&mut harness, "Select all shown");
    harness.get_by_label("2 selected");

    // Cancel leaves everything as it was.
    click(&mut harness, "Reset progress");
    harness.get_by_label("Reset 2 cards? Their review history is kept.");
    click(&mut harness, "Cancel");
    assert!(
        harness
            .query_by_label("Reset 2 cards? Their review history is kept.")
            .is_none()
    );
    assert_eq!(store(&harness).card_states(None).unwrap(), studied);

    click(&mut harness, "Reset progress");
    click(&mut harness, "Yes, reset");
    for r in &studied {
        let p = progress(&harness, &r.deck_id, &r.card_id).unwrap();
        assert_eq!(p.card.state, State::New);
        assert_eq!(p.card.reps, 0);
        assert_eq!(p.card.stability, None);
    }
    assert_eq!(store(&harness).review_count().unwrap(), log, "history kept");
    shown(&mut harness, 0, total);

    click(&mut harness, "Undo Reset 2 cards");
    assert_eq!(
        store(&harness).card_states(None).unwrap(),
        studied,
        "undo restores every field exactly"
    );
    shown(&mut harness, 2, total);
    assert!(harness.query_by_label("Undo Reset 2 cards").is_none());
}

#[test]
fn details_show_the_history_and_the_forgetting_curve() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    study_good(&mut harness, 1);
    let studied = store(&harness).card_states(None).unwrap();
    let key = &studied[0];
    let lib = library();
    let card = lib
        .deck(&key.deck_id)
        .and_then(|d| d.deck.card(&key.card_id))
        .unwrap();

    open_browser(&mut harness);
    // The card may be anywhere in the deck: found by its answer.
    harness.get_by_label("Search cards").click();
    harness.run();
    harness.get_by_label("Search cards").type_text(&card.answer);
    harness.run();
    click(&mut harness, &format!("Details of {}", card.prompt));
    harness.get_by_label("Card details");
    harness.get_by_label(&format!("Answer: {}", card.answer));
    harness.get_by_label("Review history");
    harness.get_by_label("Forgetting curve");
    harness.get_by_label_contains("chance of recalling it");
    harness.get_by_label("srs");
    harness.get_by_label("right");
    assert!(
        harness.query_by_label("No answers yet.").is_none(),
        "the answer is listed"
    );
    click(&mut harness, "Close details");
    assert!(harness.query_by_label("Card details").is_none());
}

#[test]
fn practising_a_selection_logs_answers_but_leaves_the_schedule_alone() {
    let lib = library();
    let deck = &lib.decks[0].deck;
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    click(&mut harness, "Question form:");
    harness.get_by_label("Flashcards").click();
    harness.run();
    open_browser(&mut harness);
    for card in &deck.cards[..3] {
        harness
            .get_by_role_and_label(Role::CheckBox, &card.prompt)
            .click();
        harness.run();
    }
    click(&mut harness, "Practise selection");
    assert_eq!(harness.state().screen(), Screen::Study);
    harness.get_by_label("0 done · 3 left");
    harness.key_press(Key::Space);
    harness.run();
    harness.key_press(Key::Space);
    harness.run();
    let log = store(&harness).all_reviews().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].mode, Mode::Practice);
    assert_eq!(log[0].card_id, deck.cards[0].id);
    assert!(store(&harness).card_states(None).unwrap().is_empty());
}

#[test]
fn a_large_collection_is_read_off_the_ui_thread() {
    let dir = tempfile::tempdir().unwrap();
    crate::big_deck::big_user_deck(dir.path(), 6_000);
    let total = library()
        .decks
        .iter()
        .map(|d| d.deck.cards.len())
        .sum::<usize>()
        + 6_000;
    let mut harness = crate::common::app_with(dir.path(), [1280.0, 900.0], true);
    let wait_for = |harness: &mut Harness<'_, FlashdrillApp>, label: &str| {
        let timeout = std::time::Duration::from_secs(30);
        let shown =
            crate::common::step_until(harness, timeout, |h| h.query_by_label(label).is_some());
        assert!(shown, "{label:?} never showed");
    };
    wait_for(&mut harness, "Study A big deck");
    harness.get_by_label("Browse").click();
    harness.run_steps(2);
    // The first frame shows that the cards are being read, not a frozen window.
    harness.get_by_label(&format!("Reading the progress of {total} cards…"));
    wait_for(&mut harness, &format!("{total} of {total} cards shown"));
}

#[test]
fn home_counts_follow_a_suspend_made_in_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    crate::big_deck::big_user_deck(dir.path(), 9);
    let mut harness = app(dir.path());
    harness.run();
    harness.get_by_label("Study A big deck");
    // Its 9 new cards (the bundled decks show 18, 13 and 20, the daily limit).
    harness.get_by_label("9");
    assert!(harness.query_by_label("8").is_none());

    open_browser(&mut harness);
    choose(&mut harness, "Deck", "A big deck");
    harness
        .get_by_role_and_label(Role::CheckBox, "Question 0?")
        .click();
    harness.run();
    click(&mut harness, "Suspend");
    assert!(progress(&harness, "big", "c0").unwrap().suspended);

    // Esc goes home, where the suspended card no longer counts as new.
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.state().screen(), Screen::Home);
    harness.get_by_label("8");
    assert!(
        harness.query_by_label("9").is_none(),
        "the due counts were read again"
    );
}
