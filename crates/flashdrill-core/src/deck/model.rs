//! Deck format v1: the Rust types that define `flashdrill-deck/1`.
//!
//! `decks/schema.json` is generated from these types (see `schema_json`).

use chrono::Month;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::key::answer_key;

/// The value of a deck's `format` field for this version of the format.
pub const FORMAT_V1: &str = "flashdrill-deck/1";

/// A deck of question cards, as stored in one JSON file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deck {
    /// Always `"flashdrill-deck/1"` for this version of the format.
    #[schemars(extend("const" = "flashdrill-deck/1"))]
    pub format: String,
    /// A slug (`a-z`, `0-9`, `-`), unique among the loaded decks. Progress is keyed by it.
    #[schemars(pattern(r"^[a-z0-9-]+$"))]
    pub id: String,
    /// The deck's title as shown in the app.
    #[schemars(pattern(r"\S"))]
    pub title: String,
    /// A sentence or two on what the deck covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"\S"))]
    pub description: Option<String>,
    /// The text the deck's cards are drawn from.
    pub source: Source,
    /// The cards, in the order the author wants new cards introduced.
    pub cards: Vec<Card>,
}

/// The work a deck's cards are drawn from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The work's title.
    #[schemars(pattern(r"\S"))]
    pub title: String,
    /// The work's author.
    #[schemars(pattern(r"\S"))]
    pub author: String,
    /// Where the work can be read, if anywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"\S"))]
    pub url: Option<String>,
}

/// One question card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend(
    "if" = { "properties": { "category": { "const": "date" } } },
    "then" = { "required": ["date"], "properties": { "date": { "type": "string" } } }
))]
pub struct Card {
    /// A slug, unique in its deck. Progress is keyed by deck id + card id, so a card can be
    /// reworded without losing the learner's progress.
    #[schemars(pattern(r"^[a-z0-9-]+$"))]
    pub id: String,
    /// `"date"`, `"event"`, `"actor"`, `"term"`, `"argument"`, `"place"`, `"number"`, or any
    /// other word. An event card's answer is an event's caption: it is asked as multiple choice,
    /// flip or timeline, never typed. An argument card's answer is a cause, a consequence, a
    /// comparison or a judgement the source argues: why, what changed, so what.
    #[schemars(
        pattern(r"\S"),
        extend("examples" = ["date", "event", "actor", "term", "argument", "place", "number"])
    )]
    pub category: String,
    /// The question.
    #[schemars(pattern(r"\S"))]
    pub prompt: String,
    /// The one right answer, as shown to the learner.
    #[schemars(pattern(r"\S"))]
    pub answer: String,
    /// Other answers that count as right when typed (`"Kim Jong-un"` for `"Kim Jong Un"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(pattern(r"\S")))]
    pub accept: Vec<String>,
    /// Wrong options for multiple choice, of the same kind as the answer. None may equal the
    /// answer or an `accept` entry (ignoring case and surrounding spaces).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(pattern(r"\S")))]
    pub distractors: Vec<String>,
    /// Date cards: the event's date, as precise as the source gives it:
    /// `"YYYY"`, `"YYYY-MM"` or `"YYYY-MM-DD"`. Timeline questions order cards by it.
    /// Required on cards whose category is `"date"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"))]
    pub date: Option<String>,
    /// Date cards: a short caption of the event ("Putin's first visit to North Korea"),
    /// shown on timelines and in ordering questions. Falls back to the prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"\S"))]
    pub event: Option<String>,
    /// A slug naming the fact the card tests (`"putin-first-visit"`). Cards with the same
    /// group are siblings: once one is answered in a study session the others wait for the
    /// next day. Without a group, cards with the same `date` and `event` are siblings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"^[a-z0-9-]+$"))]
    pub group: Option<String>,
    /// Actor cards: who or what the answer is or did, in a few words ("North Korea's leader"),
    /// the right-hand side of matching questions whose left-hand side is the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"\S"))]
    pub role: Option<String>,
    /// A sentence with the answer marked as `{{…}}`, for fill-in-the-blank: exactly one blank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"\{\{[^{}]*\S[^{}]*\}\}"))]
    pub cloze: Option<String>,
    /// Shown after the answer: why it is right, in the teacher's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"\S"))]
    pub explanation: Option<String>,
    /// The excerpt of the source that supports the answer, word for word.
    #[schemars(pattern(r"\S"))]
    pub source: String,
    /// Free-form tags for filtering and practice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(pattern(r"\S")))]
    pub tags: Vec<String>,
    /// A picture shown with the question: the name of a file in the deck's media folder (the
    /// folder beside the deck file named like it with `.media` for `.json`), without any folder
    /// part (`"flag.png"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"^[^/\\.][^/\\]*$"))]
    pub image: Option<String>,
}

/// The categories the app knows by name; any other string is `Other`.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, strum::EnumString, strum::AsRefStr,
)]
#[strum(serialize_all = "lowercase")]
pub enum Category {
    Date,
    /// The answer is an event's caption ("what happened in September 2022?").
    Event,
    Actor,
    /// The answer is a term the source uses ("mutual assistance", "multipolar world").
    Term,
    /// The answer is a cause, a consequence, a comparison or a judgement the source argues: why
    /// something happened, what changed, so what.
    Argument,
    Place,
    Number,
    #[strum(default)]
    Other(String),
}

impl Category {
    /// The category written `s` in a deck: a known one, else [`Category::Other`].
    #[must_use]
    pub fn parse(s: &str) -> Self {
        // With a default variant, strum's parsing cannot fail.
        s.parse().unwrap_or_else(|_| Self::Other(s.to_owned()))
    }

    /// The category as written in decks.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Other(s) => s,
            known => known.as_ref(),
        }
    }

    /// A plural label for headings ("Dates", "Actors", "Terms").
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Self::Date => "Dates".to_owned(),
            Self::Event => "Events".to_owned(),
            Self::Actor => "Actors".to_owned(),
            Self::Term => "Terms".to_owned(),
            Self::Argument => "Arguments".to_owned(),
            Self::Place => "Places".to_owned(),
            Self::Number => "Numbers".to_owned(),
            Self::Other(s) => {
                let mut c = s.chars();
                c.next()
                    .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
            }
        }
    }
}

impl Deck {
    /// Gives back the room parsing left over: a list read from JSON grows by doubling, so a
    /// deck of 5,000 cards held room for 8,192, and a card's one tag room for four.
    pub fn shrink_to_fit(&mut self) {
        self.cards.shrink_to_fit();
        for card in &mut self.cards {
            card.accept.shrink_to_fit();
            card.distractors.shrink_to_fit();
            card.tags.shrink_to_fit();
        }
    }

    /// The card with this id (linear: for one look-up; build a map for many).
    #[must_use]
    pub fn card(&self, id: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.id == id)
    }
}

impl Card {
    /// A card with only the fields every card needs; the optional ones are empty. Set others
    /// with struct update syntax: `Card { tags, ..Card::new(…) }`.
    #[must_use]
    pub fn new(
        id: impl Into<String>,
        category: impl Into<String>,
        prompt: impl Into<String>,
        answer: impl Into<String>,
        source: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            category: category.into(),
            prompt: prompt.into(),
            answer: answer.into(),
            accept: Vec::new(),
            distractors: Vec::new(),
            date: None,
            event: None,
            group: None,
            role: None,
            cloze: None,
            explanation: None,
            source: source.into(),
            tags: Vec::new(),
            image: None,
        }
    }

    #[must_use]
    pub fn kind(&self) -> Category {
        Category::parse(&self.category)
    }

    /// The parsed `date`, if the card has a valid one.
    #[must_use]
    pub fn partial_date(&self) -> Option<PartialDate> {
        self.date
            .as_deref()
            .and_then(|d| PartialDate::parse(d).ok())
    }

    /// The caption for timelines: `event`, else the prompt.
    #[must_use]
    pub fn event_caption(&self) -> &str {
        self.event.as_deref().unwrap_or(&self.prompt)
    }

    /// The fact this card tests, shared with its siblings: `group` if set, else the card's
    /// `date` and `event` together, else `None` (the card has no siblings). Two cards are
    /// siblings when both give the same key.
    #[must_use]
    pub fn sibling_key(&self) -> Option<String> {
        if let Some(group) = &self.group {
            return Some(group.trim().to_owned());
        }
        match (&self.date, &self.event) {
            (Some(date), Some(event)) => {
                Some(format!("{}\u{1f}{}", date.trim(), answer_key(event)))
            }
            _ => None,
        }
    }
}

/// A date as precise as a source gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// Why a date string is not a valid `YYYY`, `YYYY-MM` or `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("\"{0}\" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")]
    Shape(String),
    #[error("\"{0}\" has month {1}, but months run from 01 to 12")]
    Month(String, u32),
    #[error("\"{0}\" has day {1}, but that month has {2} days")]
    Day(String, u32, u32),
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, rejecting impossible months and days.
    pub fn parse(s: &str) -> Result<Self, DateError> {
        let shape = || DateError::Shape(s.to_owned());
        let parts: Vec<&str> = s.split('-').collect();
        let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
        if !matches!(lens.as_slice(), [4] | [4, 2] | [4, 2, 2])
            || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(shape());
        }
        let year: i32 = parts[0].parse().map_err(|_| shape())?;
        let month = match parts.get(1) {
            Some(m) => {
                let m: u32 = m.parse().map_err(|_| shape())?;
                if !(1..=12).contains(&m) {
                    return Err(DateError::Month(s.to_owned(), m));
                }
                Some(m as u8)
            }
            None => None,
        };
        let day = match (parts.get(2), month) {
            (Some(d), Some(m)) => {
                let d: u32 = d.parse().map_err(|_| shape())?;
                // `m` is 1–12 here; chrono knows each month's length, leap years included.
                let max = Month::try_from(m)
                    .ok()
                    .and_then(|month| month.num_days(year))
                    .map_or(31, u32::from);
                if !(1..=max).contains(&d) {
                    return Err(DateError::Day(s.to_owned(), d, max));
                }
                Some(d as u8)
            }
            _ => None,
        };
        Ok(Self { year, month, day })
    }

    /// A fractional year for plotting on a time axis (the middle of the period given).
    #[must_use]
    pub fn as_year_fraction(&self) -> f64 {
        let y = f64::from(self.year);
        match (self.month, self.day) {
            (None, _) => y + 0.5,
            (Some(m), None) => y + (f64::from(m) - 0.5) / 12.0,
            (Some(m), Some(d)) => y + (f64::from(m) - 1.0 + f64::from(d) / 31.0) / 12.0,
        }
    }
}

/// The months' English names, January first: how dates are written and read (chrono's
/// [`Month::name`]s).
pub const MONTHS: [&str; 12] = {
    let mut names = [""; 12];
    let mut month = Month::January;
    let mut i = 0;
    while i < names.len() {
        names[i] = month.name();
        month = month.succ();
        i += 1;
    }
    names
};

/// The English name of month `m` (1–12); `"?"` for a number that is no month.
fn month_name(m: u8) -> &'static str {
    Month::try_from(m).map_or("?", |m| m.name())
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.month, self.day) {
            (None, _) => write!(f, "{}", self.year),
            (Some(m), None) => write!(f, "{} {}", month_name(m), self.year),
            (Some(m), Some(d)) => write!(f, "{d} {} {}", month_name(m), self.year),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_read_back_what_they_write_and_keep_unknown_words() {
        for (text, category) in [
            ("date", Category::Date),
            ("actor", Category::Actor),
            ("term", Category::Term),
            ("argument", Category::Argument),
            ("place", Category::Place),
            ("number", Category::Number),
            ("event", Category::Event),
            ("happening", Category::Other("happening".into())),
            ("other", Category::Other("other".into())),
            ("Date", Category::Other("Date".into())),
        ] {
            assert_eq!(Category::parse(text), category, "{text}");
            assert_eq!(category.as_str(), text);
        }
        assert_eq!(Category::parse("number").label(), "Numbers");
        assert_eq!(Category::parse("event").label(), "Events");
        assert_eq!(Category::parse("argument").label(), "Arguments");
        // Headings list the known categories in this order, other words last.
        let mut order = ["other", "number", "argument", "term", "date"].map(Category::parse);
        order.sort();
        assert_eq!(
            order.map(|c| c.as_str().to_owned()),
            ["date", "term", "argument", "number", "other"]
        );
        assert_eq!(Category::parse("happening").label(), "Happening");
    }

    #[test]
    fn parses_dates_as_precise_as_given() {
        assert_eq!(
            PartialDate::parse("2022-09").unwrap(),
            PartialDate {
                year: 2022,
                month: Some(9),
                day: None
            }
        );
        assert_eq!(PartialDate::parse("2000").unwrap().to_string(), "2000");
        assert_eq!(
            PartialDate::parse("2024-02-29").unwrap().to_string(),
            "29 February 2024"
        );
        assert_eq!(
            PartialDate::parse("2023-09").unwrap().to_string(),
            "September 2023"
        );
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!(
            PartialDate::parse("2023-13"),
            Err(DateError::Month("2023-13".into(), 13))
        );
        assert_eq!(
            PartialDate::parse("2023-02-29"),
            Err(DateError::Day("2023-02-29".into(), 29, 28))
        );
        assert!(matches!(
            PartialDate::parse("Sept 2022"),
            Err(DateError::Shape(_))
        ));
        assert_eq!(
            PartialDate::parse("2023-04-31"),
            Err(DateError::Day("2023-04-31".into(), 31, 30))
        );
        assert_eq!(
            PartialDate::parse("1900-02-29"),
            Err(DateError::Day("1900-02-29".into(), 29, 28)),
            "1900 is not a leap year"
        );
        assert!(PartialDate::parse("2000-02-29").is_ok(), "2000 is");
        assert_eq!(
            PartialDate::parse("2024-01-00"),
            Err(DateError::Day("2024-01-00".into(), 0, 31))
        );
        assert!(matches!(
            PartialDate::parse("2023-1"),
            Err(DateError::Shape(_))
        ));
        assert!(matches!(
            PartialDate::parse("+202-01"),
            Err(DateError::Shape(_))
        ));
    }

    #[test]
    fn finds_cards_by_id() {
        let json = crate::deck::bundled()[0].1;
        let deck: Deck = serde_json::from_str(json).unwrap();
        let first = &deck.cards[0];
        assert_eq!(deck.card(&first.id), Some(first));
        assert_eq!(deck.card("no-such-card"), None);
    }

    #[test]
    fn months_are_named_in_english_and_a_bad_month_never_panics() {
        assert_eq!(MONTHS.first(), Some(&"January"));
        assert_eq!(MONTHS.last(), Some(&"December"));
        assert_eq!(MONTHS[8], "September");
        let odd = PartialDate {
            year: 2024,
            month: Some(13),
            day: None,
        };
        assert_eq!(odd.to_string(), "? 2024");
    }

    #[test]
    fn orders_partial_dates_chronologically() {
        let a = PartialDate::parse("2022-09").unwrap();
        let b = PartialDate::parse("2023").unwrap();
        assert!(a < b);
        assert!(a.as_year_fraction() < b.as_year_fraction());
    }
}
