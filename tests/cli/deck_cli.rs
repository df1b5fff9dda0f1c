//! `flashdrill check` end to end.

use std::process::Command;

fn check(args: &[&str], data_dir: &std::path::Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_flashdrill"))
        .arg("check")
        .args(args)
        .env("FLASHDRILL_DATA_DIR", data_dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn good_decks_pass_with_a_summary() {
    let data = tempfile::tempdir().unwrap();
    let (code, out) = check(&["tests/data/good-decks"], data.path());
    assert_eq!(out, "2 decks, 3 cards, 0 problems\n");
    assert_eq!(code, 0);
}

#[test]
fn every_problem_is_printed_and_the_exit_code_is_1() {
    let data = tempfile::tempdir().unwrap();
    let (code, out) = check(
        &[
            "tests/data/bad-decks/many-problems.json",
            "tests/data/good-decks/good-two.json",
        ],
        data.path(),
    );
    let p = "tests/data/bad-decks/many-problems.json";
    assert_eq!(
        out,
        format!(
            "{p}: card #1: the prompt is empty\n\
             {p}: card #1: the distractor \"2000\" is the same as the answer\n\
             {p}: card #1: the date \"2024-02-30\" has day 30, but that month has 29 days\n\
             {p}: card #2: the id \"putin-first-visit\" is already used by card #1\n\
             {p}: card #2: the cloze has no {{{{…}}}} blank; mark the answer like {{{{this}}}}\n\
             {p}: card #2: the source excerpt is empty\n\
             2 decks, 1 card, 6 problems\n"
        )
    );
    assert_eq!(code, 1);
}

#[test]
fn a_missing_path_is_a_problem() {
    let data = tempfile::tempdir().unwrap();
    let (code, out) = check(&["tests/data/no-such-deck.json"], data.path());
    assert!(
        out.starts_with("tests/data/no-such-deck.json: could not be read: "),
        "{out}"
    );
    assert!(out.ends_with("1 deck, 0 cards, 1 problem\n"), "{out}");
    assert_eq!(code, 1);
}

#[test]
fn without_paths_it_checks_the_bundled_decks_and_the_user_folder() {
    let data = tempfile::tempdir().unwrap();
    let bundled = flashdrill_core::deck::load_library(&[], true);
    let bundled_cards = bundled.card_count();
    let decks = bundled.decks.len();

    // No user deck folder yet: fine.
    let (code, out) = check(&[], data.path());
    assert_eq!(
        out,
        format!("{decks} decks, {bundled_cards} cards, 0 problems\n")
    );
    assert_eq!(code, 0);

    let user = data.path().join("decks");
    std::fs::create_dir(&user).unwrap();
    std::fs::copy(
        "tests/data/good-decks/good-one.json",
        user.join("good-one.json"),
    )
    .unwrap();
    std::fs::copy(
        "tests/data/bad-decks/no-cards.json",
        user.join("no-cards.json"),
    )
    .unwrap();
    let (code, out) = check(&[], data.path());
    assert_eq!(
        out,
        format!(
            "{}: the deck has no cards\n{} decks, {} cards, 1 problem\n",
            user.join("no-cards.json").display(),
            decks + 2,
            bundled_cards + 2
        )
    );
    assert_eq!(code, 1);
}

#[test]
fn warnings_are_printed_but_do_not_fail_the_check() {
    let data = tempfile::tempdir().unwrap();
    let p = "tests/data/warning-decks/teaches-poorly.json";
    let (code, out) = check(&[p], data.path());
    assert_eq!(
        out,
        format!(
            "{p}: warning: card \"sentence-answer\": it is a date card, but its answer \"Accused North Korea of selling artillery to Russia\" is not a date; give the date as the answer, or make it an \"event\" card whose answer is the event\n\
             {p}: warning: card \"mixed-distractors\": the answer is a date, but the distractor \"Pyongyang\" is not; offer nearby dates instead\n\
             {p}: warning: card \"no-explanation\": it has no explanation; say why the answer is right and how it fits the story\n\
             {p}: warning: card \"sentence-answer\": the group \"first-accusation\" is shared by 4 cards (sentence-answer, mixed-distractors, no-explanation, fourth-sibling); test one fact with at most 3\n\
             1 deck, 4 cards, 0 problems, 4 warnings\n"
        )
    );
    assert_eq!(code, 0);
}

#[test]
fn many_cards_without_an_explanation_are_reported_on_one_line() {
    let data = tempfile::tempdir().unwrap();
    let cards: Vec<serde_json::Value> = (1..=7)
        .map(|i| {
            serde_json::json!({
                "id": format!("c{i}"),
                "category": "term",
                "prompt": format!("Question {i}?"),
                "answer": format!("Answer {i}"),
                "source": "An imported card."
            })
        })
        .collect();
    let deck = serde_json::json!({
        "format": "flashdrill-deck/1",
        "id": "imported",
        "title": "Imported",
        "source": { "title": "Anki", "author": "Someone" },
        "cards": cards
    });
    let path = data.path().join("imported.json");
    std::fs::write(&path, deck.to_string()).unwrap();
    let p = path.display().to_string();
    let (code, out) = check(&[&p], data.path());
    assert_eq!(
        out,
        format!(
            "{p}: warning: 7 cards have no explanation (card \"c1\", card \"c2\", card \"c3\" and 4 \
             more); say why each answer is right and how it fits the story\n\
             1 deck, 7 cards, 0 problems, 7 warnings\n"
        )
    );
    assert_eq!(code, 0);
}

#[test]
fn the_bundled_decks_pass_with_no_warning() {
    let data = tempfile::tempdir().unwrap();
    let (code, out) = check(&["decks"], data.path());
    let bundled = flashdrill_core::deck::load_library(&[], true);
    assert_eq!(
        out,
        format!(
            "{} decks, {} cards, 0 problems\n",
            bundled.decks.len(),
            bundled.card_count()
        )
    );
    assert_eq!(code, 0);
}

/// The bundled decks' article, kept with the core's tests.
const ARTICLE: &str = "crates/flashdrill-core/tests/data/article/pyongyang-moscow-honeymoon.txt";

#[test]
fn with_an_article_every_source_must_quote_it() {
    let data = tempfile::tempdir().unwrap();
    // The bundled decks quote their article.
    let (code, out) = check(&["--article", ARTICLE], data.path());
    assert!(out.ends_with(", 0 problems\n"), "{out}");
    assert_eq!(code, 0);

    // A deck whose excerpt was reworded is caught, naming the deck file, the card and the
    // article.
    let deck = std::fs::read_to_string("tests/data/good-decks/good-one.json").unwrap();
    let reworded = deck.replace(
        "initially flows along the China-North Korea border",
        "flows along the border",
    );
    assert_ne!(reworded, deck);
    let path = data.path().join("reworded.json");
    std::fs::write(&path, reworded).unwrap();
    let (code, out) = check(&[path.to_str().unwrap(), "--article", ARTICLE], data.path());
    assert_eq!(
        out,
        format!(
            "{}: card \"tumen-river\": the source excerpt is not word for word in \
             pyongyang-moscow-honeymoon.txt\n1 deck, 2 cards, 1 problem\n",
            path.display()
        )
    );
    assert_eq!(code, 1);
}

#[test]
fn a_missing_article_is_an_error_naming_the_file() {
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_flashdrill"))
        .args(["check", "--article", "no-such-article.txt"])
        .env("FLASHDRILL_DATA_DIR", data.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("could not read the article no-such-article.txt"),
        "{err}"
    );
}
