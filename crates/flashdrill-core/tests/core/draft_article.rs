//! Drafting a deck from the bundled article: every year and month it names becomes a date card,
//! and the draft passes the deck checks with every source quoted from the article.

use std::path::PathBuf;

use flashdrill_core::deck::{self, PartialDate};
use flashdrill_core::draft::{self, Article, Kind};

use flashdrill_core::deck::MONTHS;

fn article_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/article/pyongyang-moscow-honeymoon.txt")
}

/// The years (four digits standing alone) and month names in `text`, found word by word.
fn years_and_months(text: &str) -> (Vec<i32>, Vec<&'static str>) {
    let mut years = Vec::new();
    let mut months = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.len() == 4
            && let Ok(y) = word.parse::<i32>()
            && (1000..=2100).contains(&y)
        {
            years.push(y);
        }
        if let Some(m) = MONTHS.iter().find(|m| **m == word) {
            months.push(*m);
        }
    }
    (years, months)
}

#[test]
fn draft_finds_every_year_and_month_of_the_article() {
    let text = draft::read_article(&article_path()).unwrap();
    let article = Article::parse(&text);
    let deck = draft::draft_deck(
        &article,
        "Pyongyang and Moscow Honeymoon",
        "Parisa Pasandepour",
    );
    let (years, months) = years_and_months(&text);
    assert!(
        years.len() >= 4 && months.len() >= 4,
        "{years:?} {months:?}"
    );
    let dates: Vec<PartialDate> = deck
        .cards
        .iter()
        .filter(|c| c.category == "date")
        .filter_map(deck::Card::partial_date)
        .collect();
    for year in &years {
        assert!(
            dates.iter().any(|d| d.year == *year),
            "no date card for {year}"
        );
    }
    let date_answers: Vec<&str> = deck
        .cards
        .iter()
        .filter(|c| c.category == "date")
        .map(|c| c.answer.as_str())
        .collect();
    for month in &months {
        assert!(
            date_answers.iter().any(|a| a.contains(month)),
            "no date card for {month}: {date_answers:?}"
        );
    }
    // "finalized in September", after "in August 2023": September 2023.
    assert!(
        deck.cards
            .iter()
            .any(|c| c.answer == "September" && c.date.as_deref() == Some("2023-09"))
    );
    assert!(deck.problems().is_empty(), "{:?}", deck.problems());
    assert!(draft::sources_not_in_article(&deck, &text).is_empty());
    let names = draft::candidate_texts(&article, Kind::Name);
    for name in [
        "Vladimir Putin",
        "Kim Jong Un",
        "KCNA",
        "Xi Jinping",
        "Tumen River",
    ] {
        assert!(
            names.iter().any(|n| n.contains(name)),
            "{name} in {names:?}"
        );
    }
    let numbers = draft::candidate_texts(&article, Kind::Number);
    for number in ["270 days", "1,000 containers", "7,000 containers"] {
        assert!(numbers.contains(&number), "{number} in {numbers:?}");
    }
}
