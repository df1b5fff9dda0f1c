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
    // The user's deck is drawn from the bundled decks' article: its card on Putin's first visit
    // is counted with theirs, one too many for that sentence.
    let first_visit: Vec<String> = bundled
        .decks
        .iter()
        .flat_map(|d| d.deck.cards.iter().map(move |c| (d, c)))
        .filter(|(_, c)| c.source.contains("began in 2000"))
        .map(|(d, c)| format!("{}/{}", d.deck.id, c.id))
        .collect();
    assert_eq!(first_visit.len(), 3, "{first_visit:?}");
    let (home, first) = first_visit[0].split_once('/').unwrap();
    let others: Vec<String> = first_visit
        .iter()
        .map(|c| c.strip_prefix(&format!("{home}/")).unwrap_or(c).to_owned())
        .collect();
    let home_file = match home {
        "pm-dates" => "decks/dates.json",
        "pm-actors" => "decks/actors.json",
        _ => "decks/terms.json",
    };
    assert_eq!(
        out,
        format!(
            "{}: the deck has no cards\n\
             {home_file}: warning: card \"{first}\": its source sentence \"The rapprochement between \
             the two countries began in\u{2026}\" is quoted by 4 cards ({}, good-one/putin-first-visit); \
             whatever their groups, test one fact with at most 3\n\
             {} decks, {} cards, 1 problem, 1 warning\n",
            user.join("no-cards.json").display(),
            others.join(", "),
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
             {p}: warning: card \"mixed-distractors\": the distractor \"Pyongyang\" appears nowhere in the source excerpts nor in the card's explanation; make sure it is a real near miss, not an invented event or a straw man, and say in the explanation why it is wrong\n\
             {p}: warning: card \"no-explanation\": it has no explanation; say why the answer is right and how it fits the story\n\
             {p}: warning: card \"sentence-answer\": the group \"first-accusation\" is shared by 4 cards (sentence-answer, mixed-distractors, no-explanation, fourth-sibling); test one fact with at most 3\n\
             {p}: warning: card \"sentence-answer\": its source sentence \"Back in September 2022, seven months after Russia\u{2019}s\u{2026}\" is quoted by 4 cards (sentence-answer, mixed-distractors, no-explanation, fourth-sibling); whatever their groups, test one fact with at most 3\n\
             1 deck, 4 cards, 0 problems, 6 warnings\n"
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
                "source": format!("Imported card {i}.")
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

/// The rules that read cards against their article: a fact's cards counted by the sentence they
/// quote whatever their groups, a date more precise than its sentence, and distractors found
/// nowhere. With `--article` the article's own sentences are searched; without it, the decks'
/// excerpts.
#[test]
fn cards_are_checked_against_the_sentences_they_quote() {
    let data = tempfile::tempdir().unwrap();
    let fears = "Beijing fears that Pyongyang could acquire military technology from Moscow that \
                 would accelerate its missile and nuclear development programs, threatening an \
                 already fragile regional stability.";
    let talks = "However, in August 2023, the White House announced that Putin and Kim were \
                 engaged in arms negotiations, which were finalized in September with the North \
                 Korean leader’s visit to eastern Russia.";
    let card = |id: &str, group: &str, source: &str| {
        serde_json::json!({
            "id": id, "category": "term", "group": group,
            "prompt": format!("Question {id}?"), "answer": format!("Answer {id}"),
            "explanation": "Because the article says so.", "source": source
        })
    };
    let mut cards: Vec<serde_json::Value> = (1..=4)
        .map(|i| card(&format!("fear{i}"), &format!("group-{i}"), fears))
        .collect();
    cards.push(serde_json::json!({
        "id": "report", "category": "date",
        "prompt": "In which month and year did the White House announce arms talks?",
        "answer": "August 2023", "distractors": ["October 2023"],
        "date": "2023-10", "event": "Arms talks announced",
        "explanation": "Beyond the article: October is wrong on purpose.", "source": talks
    }));
    cards.push(serde_json::json!({
        "id": "last-visit", "category": "event",
        "prompt": "Which visit came before the June 2024 summit?",
        "answer": "Kim Jong Un's visit to eastern Russia",
        "distractors": [
            "Kim Jong Un's visit to Moscow in May 2015",
            "Kim Jong Il's visit to Moscow",
            "A closed-door meeting that lasted longer than planned"
        ],
        "explanation": "Beyond the article: Kim Jong Il's visit to Moscow was in 2001.",
        "source": talks
    }));
    let deck = serde_json::json!({
        "format": "flashdrill-deck/1", "id": "rules", "title": "Rules",
        "source": { "title": "Pyongyang and Moscow Honeymoon", "author": "Parisa Pasandepour" },
        "cards": cards
    });
    let path = data.path().join("rules.json");
    std::fs::write(&path, deck.to_string()).unwrap();
    let p = path.display().to_string();
    let made_up = "the distractor \"Kim Jong Un's visit to Moscow in May 2015\" appears nowhere";
    let elsewhere = "the distractor \"A closed-door meeting that lasted longer than planned\"";

    let (code, out) = check(&[&p, "--article", ARTICLE], data.path());
    assert_eq!(code, 0, "warnings alone pass: {out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "{p}: warning: card \"report\": the date \"2023-10\" is more precise than its source \
             sentence, which gives no more than \"2023\"; write \"2023\", or show in the \
             explanation (before any \"Beyond the article:\") how the rest follows from the source"
        )
    );
    assert!(
        lines[1].starts_with(&format!(
            "{p}: warning: card \"last-visit\": {made_up} in the article nor in the card's \
             explanation; make sure it is a real near miss"
        )),
        "{out}"
    );
    assert_eq!(
        lines[2],
        format!(
            "{p}: warning: card \"fear1\": its source sentence \"Beijing fears that Pyongyang \
             could acquire military technology\u{2026}\" is quoted by 4 cards (fear1, fear2, fear3, \
             fear4); whatever their groups, test one fact with at most 3"
        )
    );
    assert_eq!(lines[3], "1 deck, 6 cards, 0 problems, 3 warnings");
    assert!(!out.contains("Kim Jong Il's visit"), "explained: {out}");
    assert!(!out.contains(elsewhere), "in the article: {out}");

    // Without the article only the excerpts are searched: the closed-door meeting is in a
    // sentence no card quotes.
    let (code, out) = check(&[&p], data.path());
    assert_eq!(code, 0);
    assert!(out.contains(made_up), "{out}");
    assert!(
        out.contains(&format!(
            "{elsewhere} appears nowhere in the source excerpts nor in the card's explanation"
        )),
        "{out}"
    );
    assert!(
        out.ends_with("1 deck, 6 cards, 0 problems, 4 warnings\n"),
        "{out}"
    );
}
