//! The deck editor, driven as a teacher would: a deck from a pasted article, cards made by
//! clicking sentences and choosing the answer, problems fixed beside their fields, saving,
//! studying, rewording, undo and redo, and the guards against losing work.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flashdrill::app::{FlashdrillApp, Screen};
use flashdrill_core::deck;
use flashdrill_core::draft;

use crate::common::{App, click};

pub const PARAGRAPH: &str = "The rapprochement between the two countries began in 2000 with \
Putin’s first visit to North Korea, when Kim Jong Il, the father of the current North Korean \
leader, was still there. However, the war in Ukraine has facilitated closer cooperation, \
particularly in the military domain.";

const FIRST: &str = "The rapprochement between the two countries began in 2000 with Putin’s \
first visit to North Korea, when Kim Jong Il, the father of the current North Korean leader, \
was still there.";

fn app(dir: &std::path::Path) -> App {
    let mut h = crate::common::app_sized(dir, [1500.0, 1100.0]);
    h.run();
    h
}

/// Puts `text` in the text field a screen reader calls `label` (replacing what it held).
pub fn fill(h: &mut Harness<'_, FlashdrillApp>, label: &str, text: &str) {
    let field = h.get_by_label(label);
    field.focus();
    h.run();
    h.get_by_label(label).set_text_value_accesskit(text);
    h.run();
}

fn ctrl(h: &mut Harness<'_, FlashdrillApp>, key: Key) {
    h.key_press_modifiers(Modifiers::COMMAND, key);
    h.run();
}

fn ctrl_shift(h: &mut Harness<'_, FlashdrillApp>, key: Key) {
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, key);
    h.run();
}

/// A new deck from the pasted paragraph, on the editor screen.
pub fn new_deck_from_paragraph(h: &mut Harness<'_, FlashdrillApp>, title: &str) {
    // Below the decks: a screen reader reaches it without scrolling.
    h.get_by_label("New deck from an article…")
        .click_accesskit();
    h.run();
    fill(h, "Deck title", title);
    fill(h, "Source title", "Pyongyang and Moscow Honeymoon");
    fill(h, "Source author", "Parisa Pasandepour");
    fill(h, "or paste the text here:", PARAGRAPH);
    click(h, "Create deck");
    assert_eq!(h.state().screen(), Screen::Editor);
}

/// Clicks a sentence of the article (as a screen reader does: no pointer position, so the
/// whole sentence, not a highlighted fact) and makes `phrase` the answer.
pub fn card_from(h: &mut Harness<'_, FlashdrillApp>, sentence: &str, phrase: &str) {
    h.get_by_label(sentence).click_accesskit();
    h.run();
    fill(h, "Phrase:", phrase);
    click(h, "Make this the answer");
}

/// Clicks a deck's button on the home screen ("Study …", "Edit …"): it may be below the fold,
/// so as a screen reader does.
fn reach(h: &mut Harness<'_, FlashdrillApp>, label: &str) {
    h.get_by_label(label).click_accesskit();
    h.run();
}

fn cards(h: &Harness<'_, FlashdrillApp>) -> Vec<deck::Card> {
    h.state().editor_deck().unwrap().cards.clone()
}

#[test]
fn an_article_becomes_a_deck_that_passes_check_and_can_be_studied() {
    let data = tempfile::tempdir().unwrap();
    let mut h = app(data.path());
    new_deck_from_paragraph(&mut h, "Rapprochement");

    card_from(&mut h, FIRST, "2000");
    card_from(&mut h, FIRST, "Kim Jong Il");
    card_from(&mut h, FIRST, "first visit");
    let made = cards(&h);
    let categories: Vec<&str> = made.iter().map(|c| c.category.as_str()).collect();
    assert_eq!(categories, ["date", "actor", "term"]);
    let year_card = &made[0];
    assert_eq!(year_card.date.as_deref(), Some("2000"));
    assert_eq!(year_card.answer, "2000");
    assert!(
        year_card.prompt.contains("began in ___ with"),
        "{}",
        year_card.prompt
    );
    assert!(year_card.cloze.as_deref().unwrap().contains("{{2000}}"));
    assert_eq!(year_card.distractors.len(), 3);
    assert_eq!(year_card.source, FIRST);
    assert_eq!(made[1].answer, "Kim Jong Il");
    // Ids come from the drafted prompts, and differ.
    assert_ne!(made[0].id, made[1].id);

    // A problem shows beside its field, with the validator's words, until it is fixed.
    fill(&mut h, "Prompt", "");
    h.get_by_label("Problem: the prompt is empty");
    fill(
        &mut h,
        "Prompt",
        "Which phrase names Putin's trip to North Korea in 2000?",
    );
    assert!(h.query_by_label("Problem: the prompt is empty").is_none());

    ctrl(&mut h, Key::S);
    h.get_by_label_contains("Saved rapprochement.json");
    let file = data.path().join("decks").join("rapprochement.json");
    let saved = deck::load_file(&file).expect("the saved deck passes the checks");
    let article = std::fs::read_to_string(data.path().join("decks/rapprochement.article.txt"))
        .expect("the article is kept beside the deck");
    assert!(draft::sources_not_in_article(&saved, &article).is_empty());
    assert_eq!(saved.cards.len(), 3);

    click(&mut h, "Decks");
    assert_eq!(h.state().screen(), Screen::Home);
    click(&mut h, "Flashcards");
    reach(&mut h, "Study Rapprochement");
    assert_eq!(h.state().screen(), Screen::Study);
    h.get_by_label(&saved.cards[0].prompt);
}

#[test]
fn undo_and_redo_edits_with_the_keyboard() {
    let data = tempfile::tempdir().unwrap();
    let mut h = app(data.path());
    new_deck_from_paragraph(&mut h, "Undoable");
    card_from(&mut h, FIRST, "2000");
    let drafted = cards(&h)[0].prompt.clone();
    fill(
        &mut h,
        "Prompt",
        "In which year did Putin first visit North Korea?",
    );
    ctrl(&mut h, Key::Z);
    assert_eq!(cards(&h)[0].prompt, drafted);
    ctrl_shift(&mut h, Key::Z);
    assert_eq!(
        cards(&h)[0].prompt,
        "In which year did Putin first visit North Korea?"
    );
    // Deleting a card is undone too.
    click(&mut h, "Delete card");
    assert!(cards(&h).is_empty());
    click(&mut h, "Undo");
    assert_eq!(cards(&h).len(), 1);
    click(&mut h, "Redo");
    assert!(cards(&h).is_empty());
}

#[test]
fn cards_are_found_filtered_and_reordered() {
    let data = tempfile::tempdir().unwrap();
    let mut h = app(data.path());
    new_deck_from_paragraph(&mut h, "Ordered");
    card_from(&mut h, FIRST, "2000");
    card_from(&mut h, FIRST, "Kim Jong Il");
    h.get_by_label("2 of 2 cards");
    fill(&mut h, "Search cards:", "who is missing");
    h.get_by_label("1 of 2 cards");
    fill(&mut h, "Search cards:", "");
    // The actor card (second) moves up; undo puts it back.
    click(&mut h, "Move up");
    assert_eq!(cards(&h)[0].category, "actor");
    ctrl(&mut h, Key::Z);
    assert_eq!(cards(&h)[0].category, "date");
    click(&mut h, "Duplicate card");
    assert_eq!(cards(&h).len(), 3);
    assert_ne!(cards(&h)[1].id, cards(&h)[2].id);
}

#[test]
fn leaving_with_unsaved_changes_asks_first() {
    let data = tempfile::tempdir().unwrap();
    let mut h = app(data.path());
    new_deck_from_paragraph(&mut h, "Guarded");
    card_from(&mut h, FIRST, "2000");
    click(&mut h, "Statistics");
    assert_eq!(h.state().screen(), Screen::Editor);
    h.get_by_label("Unsaved changes");
    click(&mut h, "Stay");
    assert_eq!(h.state().screen(), Screen::Editor);
    assert_eq!(cards(&h).len(), 1);
    click(&mut h, "Decks");
    click(&mut h, "Save and leave");
    assert_eq!(h.state().screen(), Screen::Home);
    let file = data.path().join("decks").join("guarded.json");
    assert!(deck::load_file(&file).is_ok());
    h.get_by_label("Study Guarded");

    // Leaving without saving drops the change; the file keeps the saved deck.
    reach(&mut h, "Edit Guarded");
    fill(&mut h, "Answer", "2001");
    click(&mut h, "Close deck");
    click(&mut h, "Leave without saving");
    assert_eq!(h.state().screen(), Screen::Home);
    assert_eq!(deck::load_file(&file).unwrap().cards[0].answer, "2000");
}

#[test]
fn rewording_a_studied_card_keeps_its_progress() {
    let data = tempfile::tempdir().unwrap();
    let mut h = app(data.path());
    new_deck_from_paragraph(&mut h, "Reworded");
    card_from(&mut h, FIRST, "2000");
    ctrl(&mut h, Key::S);
    let id = cards(&h)[0].id.clone();
    click(&mut h, "Decks");
    click(&mut h, "Flashcards");
    reach(&mut h, "Study Reworded");
    crate::common::press(&mut h, Key::Space);
    crate::common::press(&mut h, Key::Num3);
    let before = h.state().store().unwrap().card("reworded", &id).unwrap();
    assert!(before.is_some(), "the answer was recorded");
    crate::common::leave_session(&mut h);
    assert_eq!(h.state().screen(), Screen::Home);

    reach(&mut h, "Edit Reworded");
    fill(
        &mut h,
        "Prompt",
        "In which year did Putin first visit North Korea?",
    );
    ctrl(&mut h, Key::S);
    let saved = deck::load_file(&data.path().join("decks/reworded.json")).unwrap();
    assert_eq!(saved.cards[0].id, id, "rewording keeps the id");
    assert_eq!(
        saved.cards[0].prompt,
        "In which year did Putin first visit North Korea?"
    );
    let after = h.state().store().unwrap().card("reworded", &id).unwrap();
    assert_eq!(after, before, "and so the progress");
}

#[test]
fn a_bundled_deck_is_read_only_until_copied() {
    let data = tempfile::tempdir().unwrap();
    let mut h = app(data.path());
    let title = deck::load_library(&[], true).decks[0].deck.title.clone();
    click(&mut h, &format!("Edit {title}"));
    h.get_by_label("Bundled deck: read-only");
    assert!(h.query_by_label("Save").is_none());
    click(&mut h, "Make an editable copy");
    let copy = h.state().editor_deck().unwrap().clone();
    assert_eq!(copy.title, format!("{title} (copy)"));
    assert_eq!(copy.id, "pm-dates-copy");
    ctrl(&mut h, Key::S);
    assert!(deck::load_file(&data.path().join("decks/pm-dates-copy.json")).is_ok());
    click(&mut h, "Decks");
    h.get_by_label(&format!("Study {title} (copy)"));
}

#[test]
fn an_unusable_article_is_refused_and_nothing_is_created() {
    let data = tempfile::tempdir().unwrap();
    let mut h = app(data.path());
    h.get_by_label("New deck from an article…")
        .click_accesskit();
    h.run();
    fill(&mut h, "Deck title", "Nothing");
    fill(&mut h, "Source title", "S");
    fill(&mut h, "Source author", "A");
    fill(&mut h, "or paste the text here:", "   ");
    click(&mut h, "Create deck");
    h.get_by_label_contains("the article is empty");
    let binary = data.path().join("photo.png");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    fill(&mut h, "or its path:", binary.to_str().unwrap());
    click(&mut h, "Create deck");
    h.get_by_label_contains("photo.png: it is a binary file, not text");
    assert!(h.state().editor_deck().is_none());
    assert!(!data.path().join("decks").exists());
}

#[test]
fn a_deck_changed_on_disk_asks_before_it_is_overwritten() {
    let data = tempfile::tempdir().unwrap();
    let mut h = app(data.path());
    new_deck_from_paragraph(&mut h, "Shared");
    card_from(&mut h, FIRST, "2000");
    ctrl(&mut h, Key::S);
    let file = data.path().join("decks/shared.json");
    let theirs = std::fs::read_to_string(&file)
        .unwrap()
        .replace("\"2000\"", "\"1999\"");
    std::fs::write(&file, &theirs).unwrap();
    fill(&mut h, "Answer", "2000 ");
    ctrl(&mut h, Key::S);
    h.get_by_label("Changed on disk");
    click(&mut h, "Cancel");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), theirs);
    ctrl(&mut h, Key::S);
    click(&mut h, "Overwrite the file");
    assert_eq!(deck::load_file(&file).unwrap().cards[0].answer, "2000 ");
}

#[test]
fn a_draft_with_problems_is_saved_listed_and_reopened() {
    let data = tempfile::tempdir().unwrap();
    let mut h = app(data.path());
    new_deck_from_paragraph(&mut h, "Draft");
    h.get_by_label("Problem: the deck has no cards");
    ctrl(&mut h, Key::S);
    h.get_by_label_contains("Saved draft.json as a draft with 1 problem");
    click(&mut h, "Decks");
    // Not studied: listed with its problem instead, and one click from the editor.
    assert!(h.query_by_label("Study Draft").is_none());
    h.get_by_label_contains("the deck has no cards");
    reach(&mut h, "Fix draft.json in the deck editor");
    assert_eq!(h.state().screen(), Screen::Editor);
    assert_eq!(h.state().editor_deck().unwrap().id, "draft");
    // Its article came back with it.
    h.get_by_label(FIRST);
}
