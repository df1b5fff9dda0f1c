//! Every broken deck in tests/data/bad-decks gives exactly the expected messages.

use std::path::{Path, PathBuf};

use flashdrill_core::deck::{self, MAX_DECK_BYTES, Problem};

const BAD_DECKS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/bad-decks");

/// Each file, and every message it must give (after `<path>: `), in order.
const EXPECTED: &[(&str, &[&str])] = &[
    (
        "bad-card-id.json",
        &["card \"Tumen_River\": the id \"Tumen_River\" is not a slug: use only a-z, 0-9 and '-'"],
    ),
    (
        "bad-image.json",
        &[
            "card \"putin-first-visit\": the image \"../flags/north-korea.png\" is not a file name in the deck's media folder: give just the name, without folders, \"..\" or a leading dot",
        ],
    ),
    (
        "bad-deck-id.json",
        &["the deck id \"Bad Deck\" is not a slug: use only a-z, 0-9 and '-'"],
    ),
    (
        "cloze-two-blanks.json",
        &["card \"putin-first-visit\": the cloze has 2 {{…}} blanks, but it must have exactly one"],
    ),
    (
        "cloze-without-blank.json",
        &[
            "card \"putin-first-visit\": the cloze has no {{…}} blank; mark the answer like {{this}}",
        ],
    ),
    (
        "date-card-without-date.json",
        &[
            "card \"putin-first-visit\": it is a date card but has no \"date\" (YYYY, YYYY-MM or YYYY-MM-DD)",
        ],
    ),
    (
        "distractor-is-accepted.json",
        &[
            "card \"tumen-river\": the distractor \"TUMEN\" is the same as the accepted answer \"Tumen\"",
        ],
    ),
    (
        "distractor-is-answer.json",
        &["card \"putin-first-visit\": the distractor \" 2000 \" is the same as the answer"],
    ),
    (
        "duplicate-card-id.json",
        &["card #2: the id \"putin-first-visit\" is already used by card #1"],
    ),
    (
        "empty-answer.json",
        &["card \"tumen-river\": the answer is empty"],
    ),
    (
        "empty-prompt.json",
        &["card \"putin-first-visit\": the prompt is empty"],
    ),
    (
        "empty-source.json",
        &["card \"tumen-river\": the source excerpt is empty"],
    ),
    ("empty-title.json", &["the deck's title is empty"]),
    (
        "impossible-date.json",
        &[
            "card \"putin-first-visit\": the date \"2023-13\" has month 13, but months run from 01 to 12",
        ],
    ),
    (
        "malformed-json.json",
        &["line 18, column 7: malformed JSON: trailing comma"],
    ),
    (
        "many-problems.json",
        &[
            "card #1: the prompt is empty",
            "card #1: the distractor \"2000\" is the same as the answer",
            "card #1: the date \"2024-02-30\" has day 30, but that month has 29 days",
            "card #2: the id \"putin-first-visit\" is already used by card #1",
            "card #2: the cloze has no {{…}} blank; mark the answer like {{this}}",
            "card #2: the source excerpt is empty",
        ],
    ),
    (
        "missing-field.json",
        &["line 35, column 5: missing field \"answer\""],
    ),
    ("no-cards.json", &["the deck has no cards"]),
    (
        "not-utf8.json",
        &["line 36: byte 1055 is not UTF-8 text; save the file as UTF-8"],
    ),
    (
        "unknown-field.json",
        &[
            "line 36, column 14: unknown field \"colour\", expected one of \"id\", \"category\", \"prompt\", \"answer\", \"accept\", \"distractors\", \"date\", \"event\", \"group\", \"role\", \"cloze\", \"explanation\", \"source\", \"tags\", \"image\"",
        ],
    ),
    (
        "unknown-format.json",
        &[
            "the format is \"flashdrill-deck/2\", but this version of flashdrill reads only \"flashdrill-deck/1\"",
        ],
    ),
    (
        "wrong-type.json",
        &["line 14, column 20: invalid type: integer 2000, expected a string"],
    ),
];

fn bad_deck(name: &str) -> PathBuf {
    // Tests run in the package root; the relative path is what the messages show.
    Path::new(BAD_DECKS).join(name)
}

#[test]
fn each_bad_deck_gives_its_exact_messages() {
    for (name, messages) in EXPECTED {
        let path = bad_deck(name);
        let err = deck::load_file(&path).expect_err(name);
        let expected: Vec<String> = messages
            .iter()
            .map(|m| format!("{}: {m}", path.display()))
            .collect();
        assert_eq!(err.messages(), expected, "{name}");
        assert_eq!(err.to_string(), expected.join("\n"), "{name}");
    }
}

#[test]
fn every_bad_deck_file_is_covered() {
    let mut on_disk: Vec<String> = deck::deck_files_in(Path::new(BAD_DECKS))
        .unwrap()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<&str> = EXPECTED.iter().map(|(name, _)| *name).collect();
    listed.sort_unstable();
    assert_eq!(on_disk, listed);
    assert!(listed.len() >= 15);
}

#[test]
fn a_duplicate_deck_id_fails_the_later_file_and_keeps_the_earlier() {
    let dir = bad_deck("duplicate-deck-id");
    let library = deck::load_paths(std::slice::from_ref(&dir));
    assert_eq!(library.deck_ids(), ["shared-id"]);
    assert_eq!(library.decks[0].deck.title, "The first deck with this id");
    assert_eq!(library.failures.len(), 1);
    assert_eq!(
        library.failures[0].to_string(),
        format!(
            "{}: the deck id \"shared-id\" is already used by {}",
            dir.join("second.json").display(),
            dir.join("first.json").display()
        )
    );
}

#[test]
fn a_file_over_50_mb_is_refused_from_its_size_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.json");
    // A sparse file: its size says 50 MB and a byte, but nothing is written, let alone read.
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(MAX_DECK_BYTES + 1).unwrap();
    let err = deck::load_file(&path).unwrap_err();
    assert_eq!(err.problems, [Problem::TooLarge { size: 52_428_801 }]);
    assert_eq!(
        err.to_string(),
        format!(
            "{}: the file is 52428801 bytes, over the 50 MB (52428800 bytes) limit for a deck",
            path.display()
        )
    );
}

#[test]
fn bad_decks_do_not_stop_good_ones_loading() {
    let library = deck::load_paths(&[
        PathBuf::from(BAD_DECKS),
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/data/good-decks"
        )),
    ]);
    assert_eq!(library.deck_ids(), ["good-one", "good-two"]);
    assert_eq!(library.failures.len(), EXPECTED.len());
}
