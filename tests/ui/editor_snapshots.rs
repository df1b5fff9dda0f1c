//! Snapshots of the deck editor, light and dark: a bundled deck open read-only, and a deck
//! drawn from an article with the article pane and its highlighted candidate facts.

use egui_kittest::kittest::Queryable;

use crate::editor::{PARAGRAPH, card_from, new_deck_from_paragraph};

fn editor_on_a_bundled_deck(theme: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut h = crate::common::rendered(dir.path(), [1280.0, 800.0], theme);
    let title = flashdrill_core::deck::load_library(&[], true).decks[0]
        .deck
        .title
        .clone();
    h.get_by_label(&format!("Edit {title}")).click_accesskit();
    h.run();
    h.snapshot(format!("editor-{theme}"));
}

#[test]
fn editor_on_a_bundled_deck_light() {
    editor_on_a_bundled_deck("light");
}

#[test]
fn editor_on_a_bundled_deck_dark() {
    editor_on_a_bundled_deck("dark");
}

fn editor_with_its_article(theme: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut h = crate::common::rendered(dir.path(), [1280.0, 800.0], theme);
    new_deck_from_paragraph(&mut h, "Rapprochement");
    let first = flashdrill_core::draft::Article::parse(PARAGRAPH).sentence(0);
    card_from(&mut h, &first, "Kim Jong Il");
    card_from(&mut h, &first, "2000");
    h.snapshot(format!("editor-article-{theme}"));
}

#[test]
fn editor_with_its_article_light() {
    editor_with_its_article("light");
}

#[test]
fn editor_with_its_article_dark() {
    editor_with_its_article("dark");
}
