//! Whatever the bytes, `parse_deck` never panics; for any deck shape, it reports exactly the
//! problems `validate` finds.

use std::path::Path;

use flashdrill_core::deck::{self, Card, Deck, FORMAT_V1, Source};
use proptest::prelude::*;

fn parse(bytes: &[u8]) -> Result<Deck, deck::DeckFileError> {
    deck::parse_deck(Path::new("prop.json"), bytes)
}

/// Pieces of deck-like JSON, so random strings get past the first character often.
fn json_token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(":".to_owned()),
        Just(",".to_owned()),
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("-1e999".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just(format!("\"{FORMAT_V1}\"")),
        prop::sample::select(vec![
            "format",
            "id",
            "title",
            "description",
            "source",
            "author",
            "url",
            "cards",
            "category",
            "prompt",
            "answer",
            "accept",
            "distractors",
            "date",
            "event",
            "role",
            "cloze",
            "explanation",
            "tags",
            "date",
            "2023-13",
            "{{x}}",
            "\\u0000",
            "\\ud800",
        ])
        .prop_map(|s| format!("\"{s}\"")),
        "\"[^\"\\\\]{0,12}\"",
        "[0-9]{1,5}",
        "[ \\n\\t]{1,3}",
        any::<char>().prop_map(String::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z0-9 ]{1,12}",
        1 => Just(String::new()),
        1 => Just("  ".to_owned()),
        1 => Just("2000".to_owned()),
        1 => "\\PC{0,8}",
        1 => "[a-z{} ]{0,12}",
    ]
}

fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-z0-9-]{1,6}",
        1 => Just("a".to_owned()),
        1 => "[A-Za-z_ ]{0,4}",
    ]
}

fn card() -> impl Strategy<Value = Card> {
    (
        (
            id(),
            prop::sample::select(vec!["date", "actor", "term", "place", "x", ""]),
            text(),
            text(),
        ),
        (
            prop::collection::vec(text(), 0..3),
            prop::collection::vec(text(), 0..4),
        ),
        (
            prop::option::of(prop_oneof!["[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", text()]),
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(prop_oneof![
                text(),
                "[a-z ]{0,5}\\{\\{[a-z ]{0,5}\\}\\}[a-z ]{0,5}"
            ]),
        ),
        (
            prop::option::of(text()),
            text(),
            prop::collection::vec(text(), 0..2),
        ),
    )
        .prop_map(
            |(
                (id, category, prompt, answer),
                (accept, distractors),
                (date, event, role, cloze),
                (explanation, source, tags),
            )| Card {
                id,
                category: category.to_owned(),
                prompt,
                answer,
                accept,
                distractors,
                date,
                event,
                group: None,
                role,
                cloze,
                explanation,
                source,
                tags,
                image: None,
            },
        )
}

fn a_deck() -> impl Strategy<Value = Deck> {
    (
        prop_oneof![4 => Just(FORMAT_V1.to_owned()), 1 => "[a-z/0-9-]{0,20}"],
        id(),
        text(),
        prop::option::of(text()),
        (text(), text(), prop::option::of(text())),
        prop::collection::vec(card(), 0..6),
    )
        .prop_map(
            |(format, id, title, description, (s_title, author, url), cards)| Deck {
                format,
                id,
                title,
                description,
                source: Source {
                    title: s_title,
                    author,
                    url,
                },
                cards,
            },
        )
}

/// Decks that follow every rule, so the round trip through JSON must succeed.
fn a_valid_deck() -> impl Strategy<Value = Deck> {
    let word = "[A-Za-z][A-Za-z0-9 ]{0,12}";
    let card = (
        prop::sample::select(vec!["date", "actor", "term", "number"]),
        word,
        word,
        prop::collection::vec("wrong [a-z]{1,6}", 0..4),
        "(19|20)[0-9]{2}(-0[1-9](-1[0-9])?)?",
        word,
    )
        .prop_map(
            |(category, prompt, answer, mut distractors, date, source)| {
                distractors.sort();
                distractors.dedup();
                Card {
                    id: String::new(),
                    category: category.to_owned(),
                    prompt,
                    answer: format!("right {answer}"),
                    accept: vec![],
                    distractors,
                    date: (category == "date").then_some(date),
                    event: None,
                    group: None,
                    role: None,
                    cloze: Some(format!("The {{{{{source}}}}}.")),
                    explanation: None,
                    source,
                    tags: vec![],
                    image: None,
                }
            },
        );
    ("[a-z0-9-]{1,12}", word, prop::collection::vec(card, 1..20)).prop_map(
        |(id, title, mut cards)| {
            for (i, card) in cards.iter_mut().enumerate() {
                card.id = format!("card-{i}");
            }
            Deck {
                format: FORMAT_V1.to_owned(),
                id,
                title,
                description: None,
                source: Source {
                    title: "Pyongyang and Moscow Honeymoon".to_owned(),
                    author: "Parisa Pasandepour".to_owned(),
                    url: None,
                },
                cards,
            }
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse(&bytes);
    }

    #[test]
    fn json_ish_strings_never_panic(tokens in prop::collection::vec(json_token(), 0..120)) {
        let text = tokens.concat();
        if let Err(err) = parse(text.as_bytes()) {
            prop_assert!(!err.problems.is_empty());
            prop_assert!(!err.to_string().is_empty());
        }
    }

    #[test]
    fn damaged_bundled_decks_never_panic(
        which in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = deck::bundled()[which.index(deck::bundled().len())].1.as_bytes().to_vec();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            if byte % 3 == 0 {
                bytes.remove(i);
            } else {
                bytes[i] = byte;
            }
        }
        let _ = parse(&bytes);
    }

    /// The warnings read any text: sources, explanations and articles with odd characters,
    /// dates that do not parse, no sentence punctuation at all, "Beyond the article" anywhere.
    #[test]
    fn warnings_never_panic_whatever_the_cards_and_the_article(
        decks in prop::collection::vec(a_deck(), 1..3),
        article in prop_oneof![
            Just(None),
            prop::option::of("\\PC{0,200}"),
            prop::option::of("([A-Z][a-z ,]{0,30}(2000|September 2022|in May)?[.?!] ){0,6}"),
        ],
        beyond in prop::option::of("[Bb]eyond the [Aa]rticle:? ?\\PC{0,20}"),
    ) {
        let mut decks = decks;
        for card in decks.iter_mut().flat_map(|d| d.cards.iter_mut()) {
            if let Some(b) = &beyond {
                card.explanation = Some(format!("{}{b}", card.explanation.clone().unwrap_or_default()));
            }
        }
        let refs: Vec<&Deck> = decks.iter().collect();
        let lists = deck::warnings_with_article(&refs, article.as_deref());
        prop_assert_eq!(lists.len(), refs.len());
        for w in lists.iter().flatten() {
            prop_assert!(!w.to_string().is_empty());
        }
    }

    #[test]
    fn a_serialised_deck_has_exactly_the_problems_validate_finds(deck in a_deck()) {
        let json = serde_json::to_vec_pretty(&deck).unwrap();
        let expected = deck::validate(&deck);
        match parse(&json) {
            Ok(parsed) => {
                prop_assert!(expected.is_empty(), "{expected:?}");
                prop_assert_eq!(parsed, deck);
            }
            Err(err) => prop_assert_eq!(err.problems, expected),
        }
    }

    #[test]
    fn a_valid_deck_survives_the_round_trip(deck in a_valid_deck()) {
        let json = serde_json::to_vec(&deck).unwrap();
        prop_assert_eq!(parse(&json).map_err(|e| e.to_string()), Ok(deck));
    }
}
