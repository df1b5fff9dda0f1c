//! Progress export and import: `flashdrill-progress/1` JSON files.
//!
//! ```json
//! {"format": "flashdrill-progress/1",
//!  "reviews": [{"id": 1, "deck": "d", "card": "c", "at": "2025-01-02T03:04:05.678Z",
//!               "rating": 3, "mode": "srs", "answer": "x", "correct": true, "response_ms": 2100}],
//!  "cards": [{"deck": "d", "card": "c", "state": "review", "step": null, "stability": 3.2,
//!             "difficulty": 5.1, "due": "…", "last_review": "…", "reps": 4, "lapses": 0,
//!             "suspended": false}]}
//! ```
//!
//! Import merges reviews (one already present — same deck, card, time, rating and mode — is
//! skipped) and rebuilds every touched card by replaying its whole srs log through the
//! scheduler with the profile's settings, all in one transaction. The `cards` list only
//! supplies cards that have no srs reviews and no stored progress (for instance suspended
//! new cards), and the suspended flag of cards the profile had no progress for.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::import::{Incoming, IncomingReview};
use super::{CardProgress, CardRecord, Mode, ReviewRecord, Store, StoreError, truncate_state};
use crate::schedule::{CardState, Rating, ScheduleError, State};
use crate::settings::Settings;

/// The `format` value of progress files.
pub const PROGRESS_FORMAT: &str = "flashdrill-progress/1";

/// A progress file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressFile {
    #[serde(deserialize_with = "read::format")]
    pub format: String,
    pub reviews: Vec<ExportedReview>,
    pub cards: Vec<ExportedCard>,
}

/// One review in a progress file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedReview {
    /// The review's id in the exporting profile (informative; not kept on import). Optional
    /// on import (0).
    #[serde(default, deserialize_with = "read::review_id")]
    pub id: i64,
    #[serde(deserialize_with = "read::id")]
    pub deck: String,
    #[serde(deserialize_with = "read::id")]
    pub card: String,
    #[serde(serialize_with = "ser_time", deserialize_with = "read::time")]
    pub at: DateTime<Utc>,
    #[serde(serialize_with = "ser_rating", deserialize_with = "read::rating")]
    pub rating: Rating,
    #[serde(deserialize_with = "read::mode")]
    pub mode: Mode,
    #[serde(default, deserialize_with = "read::opt_answer")]
    pub answer: Option<String>,
    #[serde(default, deserialize_with = "read::opt_bool")]
    pub correct: Option<bool>,
    /// Milliseconds to answer. Optional on import: a file without it reads as 0 (not timed),
    /// which adds nothing to the study time in statistics.
    #[serde(default, deserialize_with = "read::response_ms")]
    pub response_ms: u64,
}

/// One card's progress in a progress file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedCard {
    #[serde(deserialize_with = "read::id")]
    pub deck: String,
    #[serde(deserialize_with = "read::id")]
    pub card: String,
    #[serde(deserialize_with = "read::state")]
    pub state: State,
    #[serde(default, deserialize_with = "read::opt_count")]
    pub step: Option<u32>,
    #[serde(default, deserialize_with = "read::opt_stability")]
    pub stability: Option<f32>,
    #[serde(default, deserialize_with = "read::opt_difficulty")]
    pub difficulty: Option<f32>,
    #[serde(serialize_with = "ser_time", deserialize_with = "read::time")]
    pub due: DateTime<Utc>,
    #[serde(
        default,
        serialize_with = "ser_opt_time",
        deserialize_with = "read::opt_time"
    )]
    pub last_review: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "read::count")]
    pub reps: u32,
    #[serde(deserialize_with = "read::count")]
    pub lapses: u32,
    #[serde(deserialize_with = "read::flag")]
    pub suspended: bool,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn ser_time<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*t))
}

#[allow(
    clippy::ref_option,
    reason = "serde's serialize_with passes a reference to the field"
)]
fn ser_opt_time<S: serde::Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&rfc3339(*t)),
        None => s.serialize_none(),
    }
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's serialize_with passes a reference to the field"
)]
fn ser_rating<S: serde::Serializer>(r: &Rating, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u8(r.number())
}

/// Why a progress file was not imported. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{place}: {message}")]
    Invalid { place: String, message: String },
    #[error("the profile's settings cannot be used for scheduling: {0}")]
    Schedule(#[from] ScheduleError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The caller's check before the commit said no (see [`Store::import_incoming_then`]);
    /// nothing was saved.
    #[error("the import stopped before anything was saved")]
    Abandoned,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub reviews_added: usize,
    pub reviews_skipped: usize,
    /// Cards whose state was rebuilt from their srs reviews.
    pub cards_rebuilt: usize,
    /// Cards without srs reviews taken from the file's `cards` list.
    pub cards_added: usize,
}

impl From<ReviewRecord> for ExportedReview {
    fn from(r: ReviewRecord) -> Self {
        Self {
            id: r.id,
            deck: r.deck_id,
            card: r.card_id,
            at: r.at,
            rating: r.rating,
            mode: r.mode,
            answer: r.answer_given,
            correct: r.correct,
            response_ms: r.response_ms,
        }
    }
}

impl ExportedCard {
    /// The card `card` of `deck` with the schedule `s`.
    #[must_use]
    pub fn new(deck: String, card: String, s: &CardState, suspended: bool) -> Self {
        Self {
            deck,
            card,
            state: s.state,
            step: s.step,
            stability: s.stability,
            difficulty: s.difficulty,
            due: s.due,
            last_review: s.last_review,
            reps: s.reps,
            lapses: s.lapses,
            suspended,
        }
    }
}

impl From<CardRecord> for ExportedCard {
    fn from(c: CardRecord) -> Self {
        Self::new(c.deck_id, c.card_id, &c.progress.card, c.progress.suspended)
    }
}

impl ProgressFile {
    /// The file of a learner's `reviews` (in the order given: the log's, by time) and the
    /// schedules of their `cards` (listed by deck and card), as a profile and a class's student
    /// are exported.
    #[must_use]
    pub fn new(reviews: Vec<ExportedReview>, cards: Vec<CardRecord>) -> Self {
        let mut cards: Vec<ExportedCard> = cards.into_iter().map(ExportedCard::from).collect();
        cards.sort_by(|a, b| (&a.deck, &a.card).cmp(&(&b.deck, &b.card)));
        Self {
            format: PROGRESS_FORMAT.to_owned(),
            reviews,
            cards,
        }
    }

    /// The file as pretty-printed JSON (with a final newline).
    #[must_use]
    pub fn to_json(&self) -> String {
        // Strings, numbers, booleans and nulls always serialize; a non-finite stability
        // (never stored) would become null.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads and checks a progress file. Errors give the place: the line and column of a JSON
    /// syntax error, or the path of a bad value (`reviews[12].rating: 7 is not 1–4`).
    ///
    /// Only `deck`, `card`, `at`, `rating` and `mode` are required in a review; a missing `id`
    /// reads as 0, a missing `response_ms` as 0 (not timed), a missing `answer` or `correct` as
    /// none. Unknown keys are ignored.
    pub fn parse(text: &str) -> Result<Self, ImportError> {
        // Syntax first, with the line and column; then the shape, from the parsed value, so
        // that value errors carry the path and a plain reason without a position.
        let value: Value = serde_json::from_str(text).map_err(|e| ImportError::Syntax {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        if !value.is_object() {
            return Err(invalid(
                "the file",
                format!("expected an object, found {}", read::describe(&value)),
            ));
        }
        // The format before anything else: another kind of file gets one clear message.
        if let Some(Value::String(format)) = value.get("format")
            && format != PROGRESS_FORMAT
        {
            return Err(invalid(
                "format",
                format!("\"{format}\" is not \"{PROGRESS_FORMAT}\""),
            ));
        }
        serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let message = e.into_inner().to_string();
            shape_error(&path, &message)
        })
    }
}

/// An [`ImportError::Invalid`] from serde's error at `path` ("." for the file itself). serde
/// reports a missing field at the object holding it: it is named here, as `reviews[0].at:
/// missing`.
/// Other shape errors name serde's idea of the value ("expected struct ExportedReview"): they
/// are put in the words of JSON.
fn shape_error(path: &str, message: &str) -> ImportError {
    let path = if path == "." { "" } else { path };
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        return invalid(&join(path, field), "missing");
    }
    let place = if path.is_empty() { "the file" } else { path };
    let plain = message
        .strip_prefix("invalid type: ")
        .and_then(|m| m.rsplit_once(", expected "))
        .map(|(found, expected)| {
            let expected = if expected.starts_with("struct ") || expected.starts_with("a map") {
                "an object"
            } else if expected.starts_with("a sequence") {
                "an array"
            } else {
                expected
            };
            let found = match found {
                "sequence" => "an array",
                "map" => "an object",
                "null" | "unit value" => "null",
                other => other,
            };
            format!("expected {expected}, found {found}")
        });
    invalid(place, plain.unwrap_or_else(|| message.to_owned()))
}

fn invalid(place: &str, message: impl Into<String>) -> ImportError {
    ImportError::Invalid {
        place: place.to_owned(),
        message: message.into(),
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Field readers for `#[serde(deserialize_with)]`: each takes the JSON value and says in plain
/// words what is wrong with it (serde_path_to_error adds the path).
mod read {
    use chrono::{DateTime, Utc};
    use serde::de::{Deserialize, Deserializer, Error};
    use serde_json::Value;

    use crate::schedule::{Rating, State};
    use crate::store::{Mode, truncate_ms};

    /// How a found value is named in messages: `7`, `"yesterday"`, `an array`.
    pub(super) fn describe(v: &Value) -> String {
        match v {
            Value::Null => "null".to_owned(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::String(s) => format!("\"{s}\""),
            Value::Array(_) => "an array".to_owned(),
            Value::Object(_) => "an object".to_owned(),
        }
    }

    /// Reads the value and checks it with `check`, whose `Err` is the reason.
    fn with<'de, D: Deserializer<'de>, T>(
        d: D,
        check: impl FnOnce(&Value) -> Result<T, String>,
    ) -> Result<T, D::Error> {
        let v = Value::deserialize(d)?;
        check(&v).map_err(D::Error::custom)
    }

    /// As [`with`], `null` being `None`. A missing field is `None` through `#[serde(default)]`.
    fn optional<'de, D: Deserializer<'de>, T>(
        d: D,
        check: impl FnOnce(&Value) -> Result<T, String>,
    ) -> Result<Option<T>, D::Error> {
        with(d, |v| {
            if v.is_null() {
                Ok(None)
            } else {
                check(v).map(Some)
            }
        })
    }

    fn string(v: &Value) -> Result<String, String> {
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("expected a string, found {}", describe(v)))
    }

    fn time_value(v: &Value) -> Result<DateTime<Utc>, String> {
        let s = v
            .as_str()
            .ok_or_else(|| format!("expected an RFC 3339 time, found {}", describe(v)))?;
        DateTime::parse_from_rfc3339(s)
            .map(|t| truncate_ms(t.with_timezone(&Utc)))
            .map_err(|e| format!("\"{s}\" is not an RFC 3339 time ({e})"))
    }

    fn boolean(v: &Value) -> Result<bool, String> {
        v.as_bool()
            .ok_or_else(|| format!("expected true or false, found {}", describe(v)))
    }

    fn whole(v: &Value, max: u64) -> Result<u64, String> {
        v.as_u64()
            .filter(|n| *n <= max)
            .ok_or_else(|| format!("{} is not a whole number from 0 to {max}", describe(v)))
    }

    fn number(v: &Value, min: f64, max: f64) -> Result<f32, String> {
        v.as_f64()
            .filter(|x| (min..=max).contains(x))
            .map(|x| x as f32)
            .ok_or_else(|| format!("{} is not a number from {min} to {max}", describe(v)))
    }

    /// A deck or card id: a non-empty string.
    pub fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        with(d, |v| {
            let s = string(v)?;
            if s.is_empty() {
                return Err("must not be empty".to_owned());
            }
            Ok(s)
        })
    }

    pub fn format<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        with(d, string)
    }

    pub fn time<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        with(d, time_value)
    }

    pub fn opt_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        optional(d, time_value)
    }

    pub fn rating<'de, D: Deserializer<'de>>(d: D) -> Result<Rating, D::Error> {
        with(d, |v| {
            v.as_u64()
                .and_then(|n| u8::try_from(n).ok())
                .and_then(Rating::from_number)
                .ok_or_else(|| format!("{} is not 1–4", describe(v)))
        })
    }

    pub fn mode<'de, D: Deserializer<'de>>(d: D) -> Result<Mode, D::Error> {
        with(d, |v| {
            let s = string(v)?;
            Mode::parse(&s).ok_or_else(|| format!("\"{s}\" is not srs, practice, drill or test"))
        })
    }

    pub fn state<'de, D: Deserializer<'de>>(d: D) -> Result<State, D::Error> {
        with(d, |v| {
            let s = string(v)?;
            State::parse(&s)
                .ok_or_else(|| format!("\"{s}\" is not new, learning, review or relearning"))
        })
    }

    /// The exporting profile's review id; missing or `null` reads as 0.
    pub fn review_id<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        optional(d, |v| {
            v.as_i64()
                .ok_or_else(|| format!("{} is not a whole number", describe(v)))
        })
        .map(Option::unwrap_or_default)
    }

    pub fn opt_answer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        optional(d, |v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("expected a string or null, found {}", describe(v)))
        })
    }

    pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        optional(d, boolean)
    }

    pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        with(d, boolean)
    }

    /// Milliseconds to answer; missing or `null` reads as 0 (not timed).
    pub fn response_ms<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        optional(d, |v| whole(v, i64::MAX as u64)).map(Option::unwrap_or_default)
    }

    pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        with(d, |v| whole(v, u64::from(u32::MAX)).map(|n| n as u32))
    }

    pub fn opt_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
        optional(d, |v| whole(v, u64::from(u32::MAX)).map(|n| n as u32))
    }

    pub fn opt_stability<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f32>, D::Error> {
        optional(d, |v| number(v, 0.0, 1e9))
    }

    pub fn opt_difficulty<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f32>, D::Error> {
        optional(d, |v| number(v, 0.0, 10.0))
    }
}

impl ExportedReview {
    /// The review as [`Store::import_incoming`] takes it, for card `card` of its list.
    #[must_use]
    pub fn incoming(&self, card: u32) -> IncomingReview<'_> {
        IncomingReview {
            card,
            at: self.at,
            rating: self.rating,
            mode: self.mode,
            answer: self.answer.as_deref(),
            correct: self.correct,
            response_ms: self.response_ms,
            id: self.id,
        }
    }
}

impl ExportedCard {
    /// The card's progress as the file gives it: its schedule and the suspended flag.
    #[must_use]
    pub fn progress(&self) -> CardProgress {
        CardProgress {
            card: self.card_state(),
            suspended: self.suspended,
            buried_until: None,
            leech: false,
        }
    }

    /// The card's schedule as the file gives it (times to the millisecond).
    #[must_use]
    pub fn card_state(&self) -> CardState {
        truncate_state(CardState {
            state: self.state,
            step: self.step,
            stability: self.stability,
            difficulty: self.difficulty,
            due: self.due,
            last_review: self.last_review,
            reps: self.reps,
            lapses: self.lapses,
        })
    }
}

/// The index of card `(deck, card)` in `cards`, added if new.
fn intern<'f>(
    index: &mut HashMap<(&'f str, &'f str), u32>,
    cards: &mut Vec<(&'f str, &'f str)>,
    deck: &'f str,
    card: &'f str,
) -> u32 {
    *index.entry((deck, card)).or_insert_with(|| {
        cards.push((deck, card));
        u32::try_from(cards.len() - 1).unwrap_or(u32::MAX)
    })
}

impl Store {
    /// The whole progress of the profile as a progress file: every review (oldest first) and
    /// every stored card state.
    pub fn export_progress(&self) -> Result<ProgressFile, StoreError> {
        let mut reviews = Vec::new();
        self.for_each_review(|r| reviews.push(r.into()))?;
        Ok(ProgressFile::new(reviews, self.card_states(None)?))
    }

    /// Merges a progress file into this profile in one transaction (all or nothing), as
    /// [`Store::import_incoming`] does: new reviews are added, reviews already present are
    /// skipped, and every card that gained an srs review is rebuilt by replaying its whole srs
    /// log with `settings`. The file's `cards` list only supplies cards that have no srs
    /// reviews and no stored progress, and the suspended flag of cards the profile had no
    /// progress for.
    pub fn import_progress(
        &mut self,
        file: &ProgressFile,
        settings: &Settings,
    ) -> Result<ImportSummary, ImportError> {
        let mut incoming = Incoming::default();
        let mut index: HashMap<(&str, &str), u32> = HashMap::new();
        for r in &file.reviews {
            let card = intern(&mut index, &mut incoming.cards, &r.deck, &r.card);
            incoming.reviews.push(r.incoming(card));
        }
        for c in &file.cards {
            let card = intern(&mut index, &mut incoming.cards, &c.deck, &c.card);
            incoming.states.push((card, c.progress()));
        }
        self.import_incoming(&incoming, settings)
    }
}
