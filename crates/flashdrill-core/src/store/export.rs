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

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::answers::{all_cards, put_card, read_card};
use super::log_state;
use super::{CardProgress, Mode, Store, StoreError, truncate_state};
use crate::schedule::{
    CardState, Rating, ScheduleError, Scheduler, State, becomes_leech, fuzz_seed,
};
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

impl ProgressFile {
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
            Mode::parse(&s).ok_or_else(|| format!("\"{s}\" is not srs, practice or drill"))
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

impl ExportedCard {
    fn card_state(&self) -> CardState {
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

fn sql_err(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |source| StoreError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

/// The flags a rebuilt card starts from.
#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    suspended: bool,
    buried_until: Option<DateTime<Utc>>,
    leech: bool,
}

impl Flags {
    fn of(p: &CardProgress) -> Self {
        Self {
            suspended: p.suspended,
            buried_until: p.buried_until,
            leech: p.leech,
        }
    }
}

/// One srs answer as replay needs it: id, rating, time.
type ReplayRow = (i64, Rating, DateTime<Utc>);

/// A card's replayed history: for each row, its id, the state before (as stored in
/// `kind_before`) and the progress after.
struct Replayed {
    rows: Vec<(i64, &'static str, CardProgress)>,
}

impl Replayed {
    fn last(&self) -> Option<CardProgress> {
        self.rows.last().map(|r| r.2)
    }
}

/// Replays one card's srs answers (sorted here by time, then id) from a new card. Replay only
/// tags leeches: suspending is decided at answer time, and the learner may have unsuspended
/// the card since.
fn replay(
    scheduler: &Scheduler,
    leech_threshold: u32,
    deck_id: &str,
    card_id: &str,
    rows: &mut [ReplayRow],
    flags: Flags,
) -> Replayed {
    rows.sort_unstable_by_key(|&(id, _, at)| (at, id));
    let mut out = Vec::with_capacity(rows.len());
    let Some(&(_, _, first_at)) = rows.first() else {
        return Replayed { rows: out };
    };
    let mut current = CardProgress {
        card: CardState::new_card(first_at),
        suspended: flags.suspended,
        buried_until: flags.buried_until,
        leech: flags.leech,
    };
    for &(id, rating, at) in rows.iter() {
        let card = current.card;
        let next = truncate_state(scheduler.review(
            &card,
            rating,
            at,
            fuzz_seed(deck_id, card_id, card.reps),
        ));
        current.card = next;
        if next.lapses > card.lapses && becomes_leech(next.lapses, leech_threshold) {
            current.leech = true;
        }
        out.push((id, card.state.as_str(), current));
    }
    Replayed { rows: out }
}

fn json(p: &CardProgress) -> String {
    log_state::to_json(p)
}

/// A log row's stored `kind_before`, `state_before` and `state_after`.
type StoredStates = (Option<String>, Option<String>, Option<String>);

/// Writes a replayed history back: each log row's `kind_before` / `state_before` /
/// `state_after` where they differ, and the card's final progress.
fn write_replayed(
    conn: &Connection,
    deck_id: &str,
    card_id: &str,
    replayed: &Replayed,
) -> rusqlite::Result<()> {
    let Some(last) = replayed.last() else {
        return Ok(());
    };
    let mut stored: HashMap<i64, StoredStates> = conn
        .prepare_cached(
            "SELECT id, kind_before, state_before, state_after FROM review_log \
             WHERE deck_id = ?1 AND card_id = ?2 AND mode = 'srs'",
        )?
        .query_map(params![deck_id, card_id], |r| {
            Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = conn.prepare_cached(
        "UPDATE review_log SET kind_before = ?2, state_before = ?3, state_after = ?4 WHERE id = ?1",
    )?;
    let mut before_json: Option<String> = None;
    for (id, kind, after) in &replayed.rows {
        let after_json = json(after);
        let same = stored.remove(id).is_some_and(|(k, b, a)| {
            k.as_deref() == Some(*kind)
                && b == before_json
                && a.as_deref() == Some(after_json.as_str())
        });
        if !same {
            update.execute(params![id, kind, before_json, after_json])?;
        }
        before_json = Some(after_json);
    }
    put_card(conn, deck_id, card_id, &last)
}

fn check_rating(path: &Path, id: i64, rating: i64) -> Result<Rating, StoreError> {
    u8::try_from(rating)
        .ok()
        .and_then(Rating::from_number)
        .ok_or_else(|| StoreError::BadData {
            path: path.to_path_buf(),
            detail: format!("review_log row {id}: rating {rating} is not 1–4"),
        })
}

fn check_time(path: &Path, id: i64, at: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(at).ok_or_else(|| StoreError::BadData {
        path: path.to_path_buf(),
        detail: format!("review_log row {id}: bad time {at}"),
    })
}

/// One card's srs answers (from the covering `review_log_card` index).
fn card_rows(
    conn: &Connection,
    path: &Path,
    deck_id: &str,
    card_id: &str,
) -> Result<Vec<ReplayRow>, StoreError> {
    let err = sql_err(path);
    let mut stmt = conn
        .prepare_cached(
            "SELECT id, rating, at FROM review_log WHERE deck_id = ?1 AND card_id = ?2 \
             AND mode = 'srs'",
        )
        .map_err(&err)?;
    let rows = stmt
        .query_map(params![deck_id, card_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .map_err(&err)?;
    let mut out = Vec::new();
    for row in rows {
        let (id, rating, at) = row.map_err(&err)?;
        out.push((
            id,
            check_rating(path, id, rating)?,
            check_time(path, id, at)?,
        ));
    }
    Ok(out)
}

impl Store {
    /// The whole progress of the profile as a progress file: every review (oldest first) and
    /// every stored card state.
    pub fn export_progress(&self) -> Result<ProgressFile, StoreError> {
        let mut reviews = Vec::new();
        self.for_each_review(|r| {
            reviews.push(ExportedReview {
                id: r.id,
                deck: r.deck_id,
                card: r.card_id,
                at: r.at,
                rating: r.rating,
                mode: r.mode,
                answer: r.answer_given,
                correct: r.correct,
                response_ms: r.response_ms,
            });
        })?;
        let cards = self
            .card_states(None)?
            .into_iter()
            .map(|c| {
                let s = c.progress.card;
                ExportedCard {
                    deck: c.deck_id,
                    card: c.card_id,
                    state: s.state,
                    step: s.step,
                    stability: s.stability,
                    difficulty: s.difficulty,
                    due: s.due,
                    last_review: s.last_review,
                    reps: s.reps,
                    lapses: s.lapses,
                    suspended: c.progress.suspended,
                }
            })
            .collect();
        Ok(ProgressFile {
            format: PROGRESS_FORMAT.to_owned(),
            reviews,
            cards,
        })
    }

    /// Merges a progress file into this profile in one transaction (all or nothing): new
    /// reviews are added, reviews already present are skipped, and every card that gained an
    /// srs review is rebuilt by replaying its whole srs log with `settings`.
    pub fn import_progress(
        &mut self,
        file: &ProgressFile,
        settings: &Settings,
    ) -> Result<ImportSummary, ImportError> {
        let scheduler = Scheduler::new(settings.scheduler_config())?;
        let Self {
            conn,
            path,
            profile,
        } = self;
        let path: &Path = path;
        let profile: &str = profile;
        let err = sql_err(path);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        let mut summary = ImportSummary::default();
        let mut touched: BTreeSet<(&str, &str)> = BTreeSet::new();
        let file_cards: BTreeMap<(&str, &str), &ExportedCard> = file
            .cards
            .iter()
            .map(|c| ((c.deck.as_str(), c.card.as_str()), c))
            .collect();
        // The file's reviews card by card, in file order within each card.
        let mut by_card: BTreeMap<(&str, &str), Vec<&ExportedReview>> = BTreeMap::new();
        for r in &file.reviews {
            by_card
                .entry((r.deck.as_str(), r.card.as_str()))
                .or_default()
                .push(r);
        }
        {
            let mut has_log = tx
                .prepare_cached(
                    "SELECT 1 FROM review_log WHERE deck_id = ?1 AND card_id = ?2 LIMIT 1",
                )
                .map_err(&err)?;
            let mut exists = tx
                .prepare_cached(
                    "SELECT 1 FROM review_log WHERE deck_id = ?1 AND card_id = ?2 AND at = ?3 \
                     AND rating = ?4 AND mode = ?5 LIMIT 1",
                )
                .map_err(&err)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO review_log (profile, deck_id, card_id, at, rating, mode, \
                     answer_given, correct, response_ms, kind_before, state_before, state_after) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )
                .map_err(&err)?;
            for (&(deck, card), reviews) in &by_card {
                if !has_log.exists(params![deck, card]).map_err(&err)? {
                    // A card with no history here: replay its reviews in memory and write
                    // each row once, with its states.
                    let flags = match read_card(&tx, path, deck, card)? {
                        Some(p) => Flags::of(&p),
                        None => Flags {
                            suspended: file_cards.get(&(deck, card)).is_some_and(|c| c.suspended),
                            ..Flags::default()
                        },
                    };
                    let mut seen = HashSet::new();
                    let mut srs: Vec<ReplayRow> = Vec::new();
                    let mut kept: Vec<&ExportedReview> = Vec::new();
                    for r in reviews {
                        let key = (r.at.timestamp_millis(), r.rating.number(), r.mode);
                        if !seen.insert(key) {
                            summary.reviews_skipped += 1;
                            continue;
                        }
                        if r.mode == Mode::Srs {
                            srs.push((kept.len() as i64, r.rating, r.at));
                        }
                        kept.push(r);
                    }
                    let replayed = replay(
                        &scheduler,
                        settings.leech_threshold,
                        deck,
                        card,
                        &mut srs,
                        flags,
                    );
                    let mut states: HashMap<i64, (&str, Option<String>, String)> = HashMap::new();
                    let mut before_json: Option<String> = None;
                    for (i, kind, after) in &replayed.rows {
                        let after_json = json(after);
                        states.insert(*i, (kind, before_json.take(), after_json.clone()));
                        before_json = Some(after_json);
                    }
                    for (i, r) in kept.iter().enumerate() {
                        let (kind, before, after) = match states.remove(&(i as i64)) {
                            Some((k, b, a)) => (Some(k), b, Some(a)),
                            None => (None, None, None),
                        };
                        insert
                            .execute(params![
                                profile,
                                r.deck,
                                r.card,
                                r.at.timestamp_millis(),
                                r.rating.number(),
                                r.mode.as_str(),
                                r.answer,
                                r.correct,
                                i64::try_from(r.response_ms).unwrap_or(i64::MAX),
                                kind,
                                before,
                                after,
                            ])
                            .map_err(&err)?;
                        summary.reviews_added += 1;
                    }
                    if let Some(last) = replayed.last() {
                        put_card(&tx, deck, card, &last).map_err(&err)?;
                        summary.cards_rebuilt += 1;
                        touched.insert((deck, card));
                    }
                    continue;
                }
                let mut rebuild = false;
                for r in reviews {
                    let at = r.at.timestamp_millis();
                    let args = params![r.deck, r.card, at, r.rating.number(), r.mode.as_str()];
                    if exists.exists(args).map_err(&err)? {
                        summary.reviews_skipped += 1;
                        continue;
                    }
                    insert
                        .execute(params![
                            profile,
                            r.deck,
                            r.card,
                            at,
                            r.rating.number(),
                            r.mode.as_str(),
                            r.answer,
                            r.correct,
                            i64::try_from(r.response_ms).unwrap_or(i64::MAX),
                            None::<&str>,
                            None::<String>,
                            None::<String>,
                        ])
                        .map_err(&err)?;
                    summary.reviews_added += 1;
                    rebuild |= r.mode == Mode::Srs;
                }
                if rebuild {
                    let flags = match read_card(&tx, path, deck, card)? {
                        Some(p) => Flags::of(&p),
                        None => Flags {
                            suspended: file_cards.get(&(deck, card)).is_some_and(|c| c.suspended),
                            ..Flags::default()
                        },
                    };
                    let mut rows = card_rows(&tx, path, deck, card)?;
                    let replayed = replay(
                        &scheduler,
                        settings.leech_threshold,
                        deck,
                        card,
                        &mut rows,
                        flags,
                    );
                    write_replayed(&tx, deck, card, &replayed).map_err(&err)?;
                    summary.cards_rebuilt += 1;
                    touched.insert((deck, card));
                }
            }
        }
        {
            let mut has_srs = tx
                .prepare_cached(
                    "SELECT 1 FROM review_log WHERE deck_id = ?1 AND card_id = ?2 \
                     AND mode = 'srs' LIMIT 1",
                )
                .map_err(&err)?;
            for c in &file.cards {
                if touched.contains(&(c.deck.as_str(), c.card.as_str()))
                    || read_card(&tx, path, &c.deck, &c.card)?.is_some()
                    || has_srs.exists(params![c.deck, c.card]).map_err(&err)?
                {
                    continue;
                }
                let p = CardProgress {
                    card: c.card_state(),
                    suspended: c.suspended,
                    buried_until: None,
                    leech: false,
                };
                put_card(&tx, &c.deck, &c.card, &p).map_err(&err)?;
                summary.cards_added += 1;
            }
        }
        tx.commit().map_err(&err)?;
        Ok(summary)
    }

    /// Rebuilds every card that has srs reviews by replaying its whole srs log with
    /// `settings` (after the settings changed, or to repair), in one transaction. Flags
    /// (suspended, buried, leech) are kept. A card whose replayed final state equals its
    /// stored one is left as it is; the others get their log rows' states and their progress
    /// rewritten. Returns how many cards changed.
    pub fn rebuild_all(&mut self, settings: &Settings) -> Result<usize, ImportError> {
        let scheduler = Scheduler::new(settings.scheduler_config())?;
        let Self { conn, path, .. } = self;
        let path: &Path = path;
        let err = sql_err(path);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        let mut stored: HashMap<(String, String), CardProgress> = all_cards(&tx, path)?
            .into_iter()
            .map(|r| ((r.deck_id, r.card_id), r.progress))
            .collect();
        let mut changed = 0;
        {
            // In index order (deck, card, time): one pass, no table lookups.
            let mut stmt = tx
                .prepare(
                    "SELECT deck_id, card_id, id, rating, at FROM review_log \
                     WHERE mode = 'srs' ORDER BY deck_id, card_id",
                )
                .map_err(&err)?;
            let mut rows = stmt.query([]).map_err(&err)?;
            let mut key: Option<(String, String)> = None;
            let mut batch: Vec<ReplayRow> = Vec::new();
            let mut flush = |key: (String, String), batch: &mut Vec<ReplayRow>| {
                let old = stored.remove(&key);
                let flags = old.as_ref().map(Flags::of).unwrap_or_default();
                let replayed = replay(
                    &scheduler,
                    settings.leech_threshold,
                    &key.0,
                    &key.1,
                    batch,
                    flags,
                );
                batch.clear();
                if replayed.last() == old {
                    return Ok(());
                }
                changed += 1;
                write_replayed(&tx, &key.0, &key.1, &replayed)
            };
            while let Some(r) = rows.next().map_err(&err)? {
                let deck = r
                    .get_ref(0)
                    .map_err(&err)?
                    .as_str()
                    .map_err(|e| err(e.into()))?;
                let card = r
                    .get_ref(1)
                    .map_err(&err)?
                    .as_str()
                    .map_err(|e| err(e.into()))?;
                let (id, rating, at): (i64, i64, i64) = (
                    r.get(2).map_err(&err)?,
                    r.get(3).map_err(&err)?,
                    r.get(4).map_err(&err)?,
                );
                let row = (
                    id,
                    check_rating(path, id, rating)?,
                    check_time(path, id, at)?,
                );
                if key.as_ref().is_none_or(|k| k.0 != deck || k.1 != card) {
                    if let Some(k) = key.take() {
                        flush(k, &mut batch).map_err(&err)?;
                    }
                    key = Some((deck.to_owned(), card.to_owned()));
                }
                batch.push(row);
            }
            if let Some(k) = key {
                flush(k, &mut batch).map_err(&err)?;
            }
        }
        tx.commit().map_err(&err)?;
        Ok(changed)
    }
}
