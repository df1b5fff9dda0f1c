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

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, TransactionBehavior, params};
use serde::Serialize;
use serde_json::{Map, Value};

use super::answers::{all_cards, put_card, read_card};
use super::log_state;
use super::{CardProgress, Mode, Store, StoreError, truncate_ms, truncate_state};
use crate::schedule::{
    CardState, Rating, ScheduleError, Scheduler, State, becomes_leech, fuzz_seed,
};
use crate::settings::Settings;

/// The `format` value of progress files.
pub const PROGRESS_FORMAT: &str = "flashdrill-progress/1";

/// A progress file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgressFile {
    pub format: String,
    pub reviews: Vec<ExportedReview>,
    pub cards: Vec<ExportedCard>,
}

/// One review in a progress file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportedReview {
    /// The review's id in the exporting profile (informative; not kept on import).
    pub id: i64,
    pub deck: String,
    pub card: String,
    #[serde(serialize_with = "ser_time")]
    pub at: DateTime<Utc>,
    #[serde(serialize_with = "ser_rating")]
    pub rating: Rating,
    pub mode: Mode,
    pub answer: Option<String>,
    pub correct: Option<bool>,
    pub response_ms: u64,
}

/// One card's progress in a progress file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportedCard {
    pub deck: String,
    pub card: String,
    pub state: State,
    pub step: Option<u32>,
    pub stability: Option<f32>,
    pub difficulty: Option<f32>,
    #[serde(serialize_with = "ser_time")]
    pub due: DateTime<Utc>,
    #[serde(serialize_with = "ser_opt_time")]
    pub last_review: Option<DateTime<Utc>>,
    pub reps: u32,
    pub lapses: u32,
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
    pub fn parse(text: &str) -> Result<Self, ImportError> {
        let value: Value = serde_json::from_str(text).map_err(|e| ImportError::Syntax {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        let root = obj(&value, "the file")?;
        let format = string(root, "", "format")?;
        if format != PROGRESS_FORMAT {
            return Err(invalid(
                "format",
                format!("\"{format}\" is not \"{PROGRESS_FORMAT}\""),
            ));
        }
        let reviews = array(root, "reviews")?
            .iter()
            .enumerate()
            .map(|(i, v)| parse_review(v, &format!("reviews[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let cards = array(root, "cards")?
            .iter()
            .enumerate()
            .map(|(i, v)| parse_card(v, &format!("cards[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            format,
            reviews,
            cards,
        })
    }
}

fn invalid(place: &str, message: impl Into<String>) -> ImportError {
    ImportError::Invalid {
        place: place.to_owned(),
        message: message.into(),
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("\"{s}\""),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

fn obj<'v>(v: &'v Value, place: &str) -> Result<&'v Map<String, Value>, ImportError> {
    v.as_object()
        .ok_or_else(|| invalid(place, format!("expected an object, found {}", describe(v))))
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

fn field<'v>(o: &'v Map<String, Value>, prefix: &str, key: &str) -> Result<&'v Value, ImportError> {
    o.get(key)
        .ok_or_else(|| invalid(&join(prefix, key), "missing"))
}

fn array<'v>(o: &'v Map<String, Value>, key: &str) -> Result<&'v Vec<Value>, ImportError> {
    let v = field(o, "", key)?;
    v.as_array()
        .ok_or_else(|| invalid(key, format!("expected an array, found {}", describe(v))))
}

fn string(o: &Map<String, Value>, prefix: &str, key: &str) -> Result<String, ImportError> {
    let v = field(o, prefix, key)?;
    v.as_str().map(str::to_owned).ok_or_else(|| {
        invalid(
            &join(prefix, key),
            format!("expected a string, found {}", describe(v)),
        )
    })
}

fn id_string(o: &Map<String, Value>, prefix: &str, key: &str) -> Result<String, ImportError> {
    let s = string(o, prefix, key)?;
    if s.is_empty() {
        return Err(invalid(&join(prefix, key), "must not be empty"));
    }
    Ok(s)
}

/// An optional value: missing and `null` are both `None`.
fn optional<'v>(o: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    o.get(key).filter(|v| !v.is_null())
}

fn uint(o: &Map<String, Value>, prefix: &str, key: &str, max: u64) -> Result<u64, ImportError> {
    let v = field(o, prefix, key)?;
    uint_value(v, &join(prefix, key), max)
}

fn uint_value(v: &Value, place: &str, max: u64) -> Result<u64, ImportError> {
    v.as_u64().filter(|n| *n <= max).ok_or_else(|| {
        invalid(
            place,
            format!("{} is not a whole number from 0 to {max}", describe(v)),
        )
    })
}

fn time_value(v: &Value, place: &str) -> Result<DateTime<Utc>, ImportError> {
    let s = v.as_str().ok_or_else(|| {
        invalid(
            place,
            format!("expected an RFC 3339 time, found {}", describe(v)),
        )
    })?;
    DateTime::parse_from_rfc3339(s)
        .map(|t| truncate_ms(t.with_timezone(&Utc)))
        .map_err(|e| invalid(place, format!("\"{s}\" is not an RFC 3339 time ({e})")))
}

fn boolean(v: &Value, place: &str) -> Result<bool, ImportError> {
    v.as_bool().ok_or_else(|| {
        invalid(
            place,
            format!("expected true or false, found {}", describe(v)),
        )
    })
}

fn float(v: &Value, place: &str, min: f64, max: f64) -> Result<f32, ImportError> {
    v.as_f64()
        .filter(|x| (min..=max).contains(x))
        .map(|x| x as f32)
        .ok_or_else(|| {
            invalid(
                place,
                format!("{} is not a number from {min} to {max}", describe(v)),
            )
        })
}

fn parse_review(v: &Value, place: &str) -> Result<ExportedReview, ImportError> {
    let o = obj(v, place)?;
    let rating_v = field(o, place, "rating")?;
    let rating = rating_v
        .as_u64()
        .and_then(|n| u8::try_from(n).ok())
        .and_then(Rating::from_number)
        .ok_or_else(|| {
            invalid(
                &join(place, "rating"),
                format!("{} is not 1–4", describe(rating_v)),
            )
        })?;
    let mode_s = string(o, place, "mode")?;
    let mode = Mode::parse(&mode_s).ok_or_else(|| {
        invalid(
            &join(place, "mode"),
            format!("\"{mode_s}\" is not srs, practice or drill"),
        )
    })?;
    let answer = optional(o, "answer")
        .map(|a| {
            a.as_str().map(str::to_owned).ok_or_else(|| {
                invalid(
                    &join(place, "answer"),
                    format!("expected a string or null, found {}", describe(a)),
                )
            })
        })
        .transpose()?;
    Ok(ExportedReview {
        id: optional(o, "id")
            .map(|v| {
                v.as_i64().ok_or_else(|| {
                    invalid(
                        &join(place, "id"),
                        format!("{} is not a whole number", describe(v)),
                    )
                })
            })
            .transpose()?
            .unwrap_or(0),
        deck: id_string(o, place, "deck")?,
        card: id_string(o, place, "card")?,
        at: time_value(field(o, place, "at")?, &join(place, "at"))?,
        rating,
        mode,
        answer,
        correct: optional(o, "correct")
            .map(|c| boolean(c, &join(place, "correct")))
            .transpose()?,
        response_ms: uint(o, place, "response_ms", i64::MAX as u64)?,
    })
}

fn parse_card(v: &Value, place: &str) -> Result<ExportedCard, ImportError> {
    let o = obj(v, place)?;
    let state_s = string(o, place, "state")?;
    let state = State::parse(&state_s).ok_or_else(|| {
        invalid(
            &join(place, "state"),
            format!("\"{state_s}\" is not new, learning, review or relearning"),
        )
    })?;
    let max = u64::from(u32::MAX);
    Ok(ExportedCard {
        deck: id_string(o, place, "deck")?,
        card: id_string(o, place, "card")?,
        state,
        step: optional(o, "step")
            .map(|s| uint_value(s, &join(place, "step"), max).map(|n| n as u32))
            .transpose()?,
        stability: optional(o, "stability")
            .map(|s| float(s, &join(place, "stability"), 0.0, 1e9))
            .transpose()?,
        difficulty: optional(o, "difficulty")
            .map(|s| float(s, &join(place, "difficulty"), 0.0, 10.0))
            .transpose()?,
        due: time_value(field(o, place, "due")?, &join(place, "due"))?,
        last_review: optional(o, "last_review")
            .map(|t| time_value(t, &join(place, "last_review")))
            .transpose()?,
        reps: uint(o, place, "reps", max)? as u32,
        lapses: uint(o, place, "lapses", max)? as u32,
        suspended: boolean(field(o, place, "suspended")?, &join(place, "suspended"))?,
    })
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
        {
            let mut exists = tx
                .prepare_cached(
                    "SELECT 1 FROM review_log WHERE deck_id = ?1 AND card_id = ?2 AND at = ?3 \
                     AND rating = ?4 AND mode = ?5 LIMIT 1",
                )
                .map_err(&err)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO review_log (profile, deck_id, card_id, at, rating, mode, \
                     answer_given, correct, response_ms) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .map_err(&err)?;
            for r in &file.reviews {
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
                    ])
                    .map_err(&err)?;
                summary.reviews_added += 1;
                if r.mode == Mode::Srs {
                    touched.insert((&r.deck, &r.card));
                }
            }
        }
        let file_cards: BTreeMap<(&str, &str), &ExportedCard> = file
            .cards
            .iter()
            .map(|c| ((c.deck.as_str(), c.card.as_str()), c))
            .collect();
        for &(deck, card) in &touched {
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
