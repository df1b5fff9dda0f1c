//! The decks built into the app: valid, without warnings, every card's `source` quoting the
//! article verbatim, and every dated fact asked both ways.

use std::path::PathBuf;

use flashdrill_core::deck::{self, Category, Origin};

const ARTICLE: &str = "pyongyang-moscow-honeymoon.txt";

/// The seed folder: `FLASHDRILL_SEED_DIR`, else `../shared/seed` beside the repository.
fn seed_dir() -> PathBuf {
    std::env::var_os("FLASHDRILL_SEED_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed"),
        PathBuf::from,
    )
}

/// Curly quotes as ASCII ones, runs of whitespace as one space, trimmed.
fn normalise(text: &str) -> String {
    let ascii_quotes: String = text
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            c => c,
        })
        .collect();
    ascii_quotes
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn bundled_decks_load_with_zero_problems() {
    let library = deck::load_library(&[], true);
    let problems: Vec<String> = library.failures.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(library.decks.len(), deck::bundled().len());
    assert!(library.decks.iter().all(|d| d.origin == Origin::Bundled));
    assert_eq!(
        library.deck_ids(),
        ["pm-dates", "pm-actors", "pm-terms", "pm-numbers-places"]
    );
}

#[test]
fn every_bundled_source_is_a_verbatim_excerpt_of_the_article() {
    let path = seed_dir().join(ARTICLE);
    let article = std::fs::read_to_string(&path).unwrap_or_else(|err| {
        panic!(
            "could not read the seed article {}: {err}. Set FLASHDRILL_SEED_DIR to the folder \
             holding {ARTICLE}.",
            path.display()
        )
    });
    let article = normalise(&article);
    let library = deck::load_library(&[], true);
    let mut missing = Vec::new();
    for loaded in &library.decks {
        for card in &loaded.deck.cards {
            if !article.contains(&normalise(&card.source)) {
                missing.push(format!(
                    "{} / {}: {:?}",
                    loaded.deck.id, card.id, card.source
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "these sources are not word for word in {}:\n{}",
        path.display(),
        missing.join("\n")
    );
}

#[test]
fn normalising_quotes_and_spaces() {
    assert_eq!(
        normalise("  Putin\u{2019}s \n\n \u{201c}visit\u{201d} "),
        "Putin's \"visit\""
    );
}

#[test]
fn bundled_decks_pass_check_without_warnings() {
    let library = deck::load_library(&[], true);
    let decks: Vec<&deck::Deck> = library.decks.iter().map(|d| &d.deck).collect();
    let warnings: Vec<String> = decks
        .iter()
        .zip(deck::warnings(&decks))
        .flat_map(|(d, list)| list.into_iter().map(move |w| format!("{}: {w}", d.id)))
        .collect();
    assert!(warnings.is_empty(), "{}", warnings.join("\n"));
}

#[test]
fn bundled_decks_cover_enough_of_each_category() {
    let library = deck::load_library(&[], true);
    let cards: Vec<Category> = library
        .decks
        .iter()
        .flat_map(|d| d.deck.cards.iter().map(deck::Card::kind))
        .collect();
    let count = |c: &Category| cards.iter().filter(|k| *k == c).count();
    assert!(cards.len() >= 85, "{} cards in all", cards.len());
    for category in [Category::Actor, Category::Term] {
        assert!(
            count(&category) >= 25,
            "{} {} cards",
            count(&category),
            category.as_str()
        );
    }
    // The article dates eight events; each is asked both ways (see below), some a third way.
    let dated = count(&Category::Date) + count(&Category::Event);
    assert!(dated >= 18, "{dated} date and event cards");
}

#[test]
fn every_dated_event_is_asked_both_ways() {
    let library = deck::load_library(&[], true);
    let cards: Vec<&deck::Card> = library
        .decks
        .iter()
        .flat_map(|d| d.deck.cards.iter())
        .collect();
    let dated_events = |kind: Category| -> std::collections::BTreeSet<(String, String)> {
        cards
            .iter()
            .filter(|c| c.kind() == kind)
            .filter_map(|c| Some((c.date.clone()?, c.event.clone()?)))
            .collect()
    };
    let events = dated_events(Category::Event);
    let dates = dated_events(Category::Date);
    assert!(events.len() >= 8, "{events:?}");
    for (date, caption) in &events {
        assert!(
            dates
                .iter()
                .any(|(d, c)| c == caption && date.starts_with(d.as_str())),
            "no date card asks when {caption:?} ({date}) happened"
        );
    }
    // A caption names one event on the timeline: it is never given two dates.
    let mut date_of: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for c in &cards {
        if let (Some(date), Some(event)) = (&c.date, &c.event)
            && let Some(other) = date_of.insert(event, date)
        {
            assert_eq!(other, date, "{event:?} is dated both {other} and {date}");
        }
    }
    // Every event card's answer is its caption, as timelines show it.
    for c in cards.iter().filter(|c| c.kind() == Category::Event) {
        if let Some(event) = &c.event {
            assert_eq!(&c.answer, event, "{}", c.id);
        }
    }
}
