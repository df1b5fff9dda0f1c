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
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::answers::begin;
use super::cards::{all_cards, card_key, ensure_card, put_progress, read_progress, sql_err};
use super::log::{Before, IdChoice, NewRow, bad_time, insert_review};
use super::rows::{
    AfterColumns, IS_SRS, KEY_MASK, Kind, after_columns, content_id, first_id, is_id_for,
    review_id_ms, time,
};
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

/// One replayed answer: its id, the card's state kind before, its progress after, and whether
/// it tagged the card a leech.
struct Step {
    id: i64,
    before: State,
    after: CardProgress,
    made_leech: bool,
}

/// Replays one card's srs answers (sorted here by id, which is time order) from a new card.
/// Replay only tags leeches: suspending is decided at answer time, and the learner may have
/// unsuspended the card since.
fn replay(
    scheduler: &Scheduler,
    leech_threshold: u32,
    deck_id: &str,
    card_id: &str,
    rows: &mut [ReplayRow],
    flags: Flags,
) -> Vec<Step> {
    rows.sort_unstable_by_key(|&(id, _, _)| id);
    let mut out = Vec::with_capacity(rows.len());
    let Some(&(_, _, first_at)) = rows.first() else {
        return out;
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
        let mut made_leech = false;
        if next.lapses > card.lapses && becomes_leech(next.lapses, leech_threshold) {
            made_leech = !current.leech;
            current.leech = true;
        }
        out.push(Step {
            id,
            before: card.state,
            after: current,
            made_leech,
        });
    }
    out
}

/// A new review from a file, to be written with its replayed state (srs) or as it is.
struct Incoming<'f> {
    review: &'f ExportedReview,
    id: i64,
}

/// A stored srs row of a card: its packed kind and after-columns, as compared after a replay.
struct StoredSrs {
    kind: i64,
    cols: [Option<i64>; 7],
}

fn cols_of(c: &AfterColumns) -> [Option<i64>; 7] {
    [
        c.step,
        c.stability,
        c.difficulty,
        Some(c.due),
        Some(c.reps),
        Some(c.lapses),
        c.last,
    ]
}

/// The srs rows a card has in the log, by id.
fn stored_srs(conn: &Connection, card: i64) -> rusqlite::Result<BTreeMap<i64, StoredSrs>> {
    conn.prepare_cached(&format!(
        "SELECT id, kind, step, stability, difficulty, due, reps, lapses, last FROM review \
         WHERE card = ?1 AND {IS_SRS}"
    ))?
    .query_map([card], |r| {
        Ok((
            r.get(0)?,
            StoredSrs {
                kind: r.get(1)?,
                cols: [
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ],
            },
        ))
    })?
    .collect()
}

/// A review from a file waiting to be inserted, with its replayed state (srs).
struct Pending<'f> {
    id: i64,
    review: &'f ExportedReview,
    card: i64,
    kind: Kind,
    after: Option<CardState>,
}

/// Inserts `pending` in id order: the log is ordered by id, so a new profile's log is written
/// front to back, page after page.
fn insert_pending(
    conn: &Connection,
    path: &Path,
    pending: &mut [Pending<'_>],
) -> Result<(), StoreError> {
    pending.sort_unstable_by_key(|p| p.id);
    for p in pending.iter() {
        let r = p.review;
        insert_review(
            conn,
            path,
            &NewRow {
                card: p.card,
                at_ms: r.at.timestamp_millis(),
                kind: p.kind,
                response_ms: r.response_ms,
                answer: r.answer.as_deref(),
                after: p.after,
                before: Before::Implied,
            },
            IdChoice::Given(p.id),
        )?;
    }
    Ok(())
}

/// Replays card `card`'s whole srs history — its stored srs rows plus `incoming` srs answers —
/// and writes it: stored rows whose state changed are updated now; incoming answers (practice
/// and drill ones as they are) go to `pending`, for the caller to insert in id order with
/// [`insert_pending`]; the states before become implied again, and the card's progress is the
/// replay's last. `stored`: the card's stored srs rows (`None`: it has no history, nothing to
/// read).
#[allow(
    clippy::too_many_arguments,
    reason = "one card's replay: where it is, what it has, what comes in, where it goes"
)]
fn replay_card<'f>(
    conn: &Connection,
    path: &Path,
    (scheduler, leech_threshold): (&Scheduler, u32),
    (deck, card): (i64, i64),
    (deck_id, card_id): (&str, &str),
    stored: Option<BTreeMap<i64, StoredSrs>>,
    incoming: &[Incoming<'f>],
    flags: Flags,
    pending: &mut Vec<Pending<'f>>,
) -> Result<Option<CardProgress>, StoreError> {
    let err = sql_err(path);
    let stored = stored.unwrap_or_default();
    for inc in incoming.iter().filter(|i| i.review.mode != Mode::Srs) {
        let r = inc.review;
        pending.push(Pending {
            id: inc.id,
            review: r,
            card,
            kind: Kind::new(r.rating, r.mode, r.correct),
            after: None,
        });
    }
    let mut rows: Vec<ReplayRow> = Vec::with_capacity(stored.len() + incoming.len());
    for (&id, s) in &stored {
        let kind = Kind::unpack(s.kind).map_err(|e| StoreError::BadData {
            path: path.to_path_buf(),
            detail: format!("review {id}: {e}"),
        })?;
        rows.push((id, kind.rating, time(review_id_ms(id)).unwrap_or_default()));
    }
    let new: HashMap<i64, &'f ExportedReview> = incoming
        .iter()
        .filter(|i| i.review.mode == Mode::Srs)
        .map(|i| (i.id, i.review))
        .collect();
    rows.extend(new.iter().map(|(&id, r)| (id, r.rating, r.at)));
    let steps = replay(
        scheduler,
        leech_threshold,
        deck_id,
        card_id,
        &mut rows,
        flags,
    );
    let mut update = conn
        .prepare_cached(
            "UPDATE review SET kind = ?2, step = ?3, stability = ?4, difficulty = ?5, due = ?6, \
             reps = ?7, lapses = ?8, last = ?9 WHERE id = ?1",
        )
        .map_err(&err)?;
    for step in &steps {
        if let Some(r) = new.get(&step.id) {
            let mut kind = Kind::new(r.rating, Mode::Srs, r.correct);
            kind.before = step.before;
            kind.after = step.after.card.state;
            kind.made_leech = step.made_leech;
            pending.push(Pending {
                id: step.id,
                review: r,
                card,
                kind,
                after: Some(step.after.card),
            });
            continue;
        }
        let Some(old) = stored.get(&step.id) else {
            continue;
        };
        let mut kind = Kind::unpack(old.kind).map_err(|e| StoreError::BadData {
            path: path.to_path_buf(),
            detail: format!("review {}: {e}", step.id),
        })?;
        if kind.explicit_before {
            conn.prepare_cached("DELETE FROM review_before WHERE id = ?1")
                .and_then(|mut s| s.execute([step.id]))
                .map_err(&err)?;
        }
        let at_ms = review_id_ms(step.id);
        let (cols, no_last) = after_columns(&step.after.card, at_ms);
        kind.before = step.before;
        kind.after = step.after.card.state;
        kind.made_leech = step.made_leech;
        kind.explicit_before = false;
        kind.no_last_review = no_last;
        let packed = kind.pack();
        if packed != old.kind || cols_of(&cols) != old.cols {
            update
                .execute(params![
                    step.id,
                    packed,
                    cols.step,
                    cols.stability,
                    cols.difficulty,
                    cols.due,
                    cols.reps,
                    cols.lapses,
                    cols.last
                ])
                .map_err(&err)?;
        }
    }
    let last = steps.last().map(|s| s.after);
    if let Some(p) = &last {
        put_progress(conn, deck, card, p).map_err(&err)?;
    }
    Ok(last)
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
    /// reviews are added (a review already present — same card, time, rating and mode — is
    /// skipped), and every card that gained an srs review is rebuilt by replaying its whole
    /// srs log with `settings`, once. A review keeps its id from the file when the id is one
    /// of this flashdrill's (it begins with the review's time), so merging the same history
    /// twice, or from two computers, keeps each review once.
    pub fn import_progress(
        &mut self,
        file: &ProgressFile,
        settings: &Settings,
    ) -> Result<ImportSummary, ImportError> {
        let scheduler = Scheduler::new(settings.scheduler_config())?;
        let Self { conn, path, .. } = self;
        let path: &Path = path;
        let err = sql_err(path);
        let tx = begin(conn, path)?;
        let mut summary = ImportSummary::default();
        let mut touched: BTreeSet<(&str, &str)> = BTreeSet::new();
        let mut pending: Vec<Pending<'_>> = Vec::with_capacity(file.reviews.len());
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
            let mut any_review = tx
                .prepare_cached("SELECT 1 FROM review WHERE card = ?1 LIMIT 1")
                .map_err(&err)?;
            let mut exists = tx
                .prepare_cached(
                    "SELECT 1 FROM review WHERE card = ?1 AND id BETWEEN ?2 AND ?3 \
                     AND (kind & ?4) = ?5 LIMIT 1",
                )
                .map_err(&err)?;
            for (&(deck_id, card_id), reviews) in &by_card {
                let (deck, card) = ensure_card(&tx, deck_id, card_id).map_err(&err)?;
                let had_log = any_review.exists([card]).map_err(&err)?;
                let mut seen = HashSet::new();
                let mut incoming = Vec::with_capacity(reviews.len());
                for r in reviews {
                    let at = r.at.timestamp_millis();
                    if !seen.insert((at, r.rating.number(), r.mode)) {
                        summary.reviews_skipped += 1;
                        continue;
                    }
                    let key = Kind::key(r.rating, r.mode);
                    if had_log
                        && exists
                            .exists(params![
                                card,
                                first_id(at),
                                first_id(at + 1) - 1,
                                KEY_MASK,
                                key
                            ])
                            .map_err(&err)?
                    {
                        summary.reviews_skipped += 1;
                        continue;
                    }
                    let id = if is_id_for(r.id, at) {
                        Some(r.id)
                    } else {
                        content_id(at, deck_id, card_id, r.rating, r.mode)
                    }
                    .ok_or_else(|| bad_time(path, &format!("{deck_id}/{card_id}"), at))?;
                    incoming.push(Incoming { review: r, id });
                }
                summary.reviews_added += incoming.len();
                let has_srs = incoming.iter().any(|i| i.review.mode == Mode::Srs);
                let stored = read_progress(&tx, path, card)?;
                let flags = match &stored {
                    Some(p) => Flags::of(p),
                    None => Flags {
                        suspended: file_cards
                            .get(&(deck_id, card_id))
                            .is_some_and(|c| c.suspended),
                        ..Flags::default()
                    },
                };
                if !has_srs {
                    replay_card(
                        &tx,
                        path,
                        (&scheduler, settings.leech_threshold),
                        (deck, card),
                        (deck_id, card_id),
                        None,
                        &incoming,
                        flags,
                        &mut pending,
                    )?;
                    continue;
                }
                let history = if had_log {
                    Some(stored_srs(&tx, card).map_err(&err)?)
                } else {
                    None
                };
                replay_card(
                    &tx,
                    path,
                    (&scheduler, settings.leech_threshold),
                    (deck, card),
                    (deck_id, card_id),
                    history,
                    &incoming,
                    flags,
                    &mut pending,
                )?;
                summary.cards_rebuilt += 1;
                touched.insert((deck_id, card_id));
            }
        }
        insert_pending(&tx, path, &mut pending)?;
        {
            let mut has_srs = tx
                .prepare_cached(&format!(
                    "SELECT 1 FROM review WHERE card = ?1 AND {IS_SRS} LIMIT 1"
                ))
                .map_err(&err)?;
            for c in &file.cards {
                if touched.contains(&(c.deck.as_str(), c.card.as_str())) {
                    continue;
                }
                let (deck, card) = ensure_card(&tx, &c.deck, &c.card).map_err(&err)?;
                if read_progress(&tx, path, card)?.is_some()
                    || has_srs.exists([card]).map_err(&err)?
                {
                    continue;
                }
                let p = CardProgress {
                    card: c.card_state(),
                    suspended: c.suspended,
                    buried_until: None,
                    leech: false,
                };
                put_progress(&tx, deck, card, &p).map_err(&err)?;
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
        let tx = begin(conn, path)?;
        // Every card's ids, keys and stored progress.
        let mut cards: HashMap<i64, (String, String, i64, Option<CardProgress>)> = tx
            .prepare("SELECT c.key, d.id, c.id, d.key FROM card c JOIN deck d ON d.key = c.deck")
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, None)))
                })
                .and_then(Iterator::collect)
            })
            .map_err(&err)?;
        for rec in all_cards(&tx, path)? {
            if let Some((_, key)) = card_key(&tx, &rec.deck_id, &rec.card_id).map_err(&err)?
                && let Some(entry) = cards.get_mut(&key)
            {
                entry.3 = Some(rec.progress);
            }
        }
        // One pass over the log in id order; then card by card.
        let mut log: Vec<(i64, i64, Rating)> = Vec::new();
        {
            let mut stmt = tx
                .prepare(&format!("SELECT card, id, kind FROM review WHERE {IS_SRS}"))
                .map_err(&err)?;
            let mut rows = stmt.query([]).map_err(&err)?;
            while let Some(r) = rows.next().map_err(&err)? {
                let (card, id, kind): (i64, i64, i64) = (
                    r.get(0).map_err(&err)?,
                    r.get(1).map_err(&err)?,
                    r.get(2).map_err(&err)?,
                );
                let kind = Kind::unpack(kind).map_err(|e| StoreError::BadData {
                    path: path.to_path_buf(),
                    detail: format!("review {id}: {e}"),
                })?;
                log.push((card, id, kind.rating));
            }
        }
        log.sort_unstable_by_key(|&(card, id, _)| (card, id));
        let mut changed = 0;
        let mut batch: Vec<ReplayRow> = Vec::new();
        for group in log.chunk_by(|a, b| a.0 == b.0) {
            let card = group[0].0;
            let Some((deck_id, card_id, deck, old)) = cards.get(&card) else {
                return Err(StoreError::BadData {
                    path: path.to_path_buf(),
                    detail: format!(
                        "review {}: card key {card} is not in the card table",
                        group[0].1
                    ),
                }
                .into());
            };
            batch.clear();
            for &(_, id, rating) in group {
                let at = time(review_id_ms(id)).ok_or_else(|| StoreError::BadData {
                    path: path.to_path_buf(),
                    detail: format!("review {id}: bad time"),
                })?;
                batch.push((id, rating, at));
            }
            let flags = old.as_ref().map(Flags::of).unwrap_or_default();
            let steps = replay(
                &scheduler,
                settings.leech_threshold,
                deck_id,
                card_id,
                &mut batch,
                flags,
            );
            if steps.last().map(|s| s.after) == *old {
                continue;
            }
            changed += 1;
            let stored = stored_srs(&tx, card).map_err(&err)?;
            replay_card(
                &tx,
                path,
                (&scheduler, settings.leech_threshold),
                (*deck, card),
                (deck_id, card_id),
                Some(stored),
                &[],
                flags,
                &mut Vec::new(),
            )?;
        }
        tx.commit().map_err(&err)?;
        Ok(changed)
    }
}
