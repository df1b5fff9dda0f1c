//! Answers, undo, card flags and the queries the UI needs.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};

use super::{
    CardProgress, CardRecord, Mode, ReviewRecord, Store, StoreError, log_state, truncate_ms,
    truncate_state,
};
use crate::schedule::{self, CardState, Rating, State};
use crate::settings::{LeechAction, Settings};

/// An answer to record. `state_after` is the scheduler's new state for an `srs` answer and
/// must be `None` for `practice` and `drill` answers, which leave the card's progress alone.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReview<'a> {
    pub deck_id: &'a str,
    pub card_id: &'a str,
    pub at: DateTime<Utc>,
    pub rating: Rating,
    pub mode: Mode,
    pub answer_given: Option<&'a str>,
    pub correct: Option<bool>,
    pub response_ms: u64,
    pub state_after: Option<CardState>,
}

/// When a card becomes a leech and what then happens to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeechPolicy {
    pub threshold: u32,
    pub action: LeechAction,
}

impl LeechPolicy {
    #[must_use]
    pub fn from_settings(settings: &Settings) -> Self {
        Self {
            threshold: settings.leech_threshold,
            action: settings.leech_action,
        }
    }
}

/// What [`Store::record_answer`] committed.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub review_id: i64,
    /// The answer's time as stored (truncated to the millisecond).
    pub at: DateTime<Utc>,
    /// The card's stored progress before the answer (`None`: none was stored yet).
    pub before: Option<CardProgress>,
    /// The card's stored progress after the answer; `None` for practice and drill.
    pub after: Option<CardProgress>,
    /// This answer made the card a leech (tagged, and suspended if the policy says so).
    pub became_leech: bool,
}

/// What [`Store::undo_answer`] took back.
#[derive(Debug, Clone, PartialEq)]
pub struct Undone {
    /// The deleted log row.
    pub review: ReviewRecord,
    /// The card's progress now (restored from the row's `state_before`; `None` when the card
    /// had no stored progress before, so its row was removed). For practice and drill answers
    /// the card's progress was not touched and this is its current progress.
    pub restored: Option<CardProgress>,
}

/// Answers of one deck since a time (usually today's day start), for the daily limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayCounts {
    /// New cards introduced (first srs answer).
    pub new_introduced: u32,
    /// Answers to cards in Learning or Relearning.
    pub learning: u32,
    /// Answers to cards in Review.
    pub reviews: u32,
    /// Practice and drill answers.
    pub practice: u32,
}

const CARD_COLUMNS: &str = "deck_id, card_id, state, step, stability, difficulty, due, \
                            last_review, reps, lapses, suspended, buried_until, leech";

const REVIEW_COLUMNS: &str = "id, deck_id, card_id, at, rating, mode, answer_given, correct, \
                              response_ms, state_before, state_after";

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// A raw card row, before its values are checked.
struct RawCard {
    deck_id: String,
    card_id: String,
    /// The state, or the stored text when it names none.
    state: Result<State, String>,
    step: Option<i64>,
    stability: Option<f64>,
    difficulty: Option<f64>,
    due: i64,
    last_review: Option<i64>,
    reps: i64,
    lapses: i64,
    suspended: bool,
    buried_until: Option<i64>,
    leech: bool,
}

impl RawCard {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            deck_id: r.get(0)?,
            card_id: r.get(1)?,
            state: {
                let text = r.get_ref(2)?.as_str()?;
                State::parse(text).ok_or_else(|| text.to_owned())
            },
            step: r.get(3)?,
            stability: r.get(4)?,
            difficulty: r.get(5)?,
            due: r.get(6)?,
            last_review: r.get(7)?,
            reps: r.get(8)?,
            lapses: r.get(9)?,
            suspended: r.get(10)?,
            buried_until: r.get(11)?,
            leech: r.get(12)?,
        })
    }

    fn check(self) -> Result<CardRecord, String> {
        let place = |what: &str| format!("card_state {}/{}: {what}", self.deck_id, self.card_id);
        let time = |v: i64, what: &str| {
            DateTime::from_timestamp_millis(v).ok_or_else(|| place(&format!("bad {what} {v}")))
        };
        let count = |v: i64, what: &str| {
            u32::try_from(v).map_err(|_| place(&format!("{what} {v} is out of range")))
        };
        let state = self
            .state
            .clone()
            .map_err(|text| place(&format!("unknown state {text:?}")))?;
        let card = CardState {
            state,
            step: self.step.map(|s| count(s, "step")).transpose()?,
            stability: self.stability.map(|v| v as f32),
            difficulty: self.difficulty.map(|v| v as f32),
            due: time(self.due, "due")?,
            last_review: self
                .last_review
                .map(|v| time(v, "last_review"))
                .transpose()?,
            reps: count(self.reps, "reps")?,
            lapses: count(self.lapses, "lapses")?,
        };
        let buried_until = self
            .buried_until
            .map(|v| time(v, "buried_until"))
            .transpose()?;
        Ok(CardRecord {
            deck_id: self.deck_id,
            card_id: self.card_id,
            progress: CardProgress {
                card,
                suspended: self.suspended,
                buried_until,
                leech: self.leech,
            },
        })
    }
}

/// A raw review row, before its values are checked.
struct RawReview {
    id: i64,
    deck_id: String,
    card_id: String,
    at: i64,
    rating: i64,
    mode: String,
    answer_given: Option<String>,
    correct: Option<bool>,
    response_ms: i64,
    state_before: Option<String>,
    state_after: Option<String>,
}

impl RawReview {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            deck_id: r.get(1)?,
            card_id: r.get(2)?,
            at: r.get(3)?,
            rating: r.get(4)?,
            mode: r.get(5)?,
            answer_given: r.get(6)?,
            correct: r.get(7)?,
            response_ms: r.get(8)?,
            state_before: r.get(9)?,
            state_after: r.get(10)?,
        })
    }

    fn check(self) -> Result<ReviewRecord, String> {
        let place = |what: &str| format!("review_log row {}: {what}", self.id);
        let json = |s: &Option<String>, what: &str| -> Result<Option<CardProgress>, String> {
            s.as_deref()
                .map(|text| {
                    log_state::from_json(text).map_err(|e| place(&format!("bad {what}: {e}")))
                })
                .transpose()
        };
        let state_before = json(&self.state_before, "state_before")?;
        let state_after = json(&self.state_after, "state_after")?;
        Ok(ReviewRecord {
            id: self.id,
            at: DateTime::from_timestamp_millis(self.at)
                .ok_or_else(|| place(&format!("bad time {}", self.at)))?,
            rating: u8::try_from(self.rating)
                .ok()
                .and_then(Rating::from_number)
                .ok_or_else(|| place(&format!("rating {} is not 1–4", self.rating)))?,
            mode: Mode::parse(&self.mode)
                .ok_or_else(|| place(&format!("unknown mode {:?}", self.mode)))?,
            response_ms: u64::try_from(self.response_ms)
                .map_err(|_| place(&format!("response_ms {} is negative", self.response_ms)))?,
            deck_id: self.deck_id,
            card_id: self.card_id,
            answer_given: self.answer_given,
            correct: self.correct,
            state_before,
            state_after,
        })
    }
}

/// Writes a card's progress (insert or replace).
pub(super) fn put_card(
    tx: &Connection,
    deck_id: &str,
    card_id: &str,
    p: &CardProgress,
) -> rusqlite::Result<()> {
    let c = &p.card;
    let mut stmt = tx.prepare_cached(
        "INSERT OR REPLACE INTO card_state (deck_id, card_id, state, step, stability, \
         difficulty, due, last_review, reps, lapses, suspended, buried_until, leech) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    stmt.execute(params![
        deck_id,
        card_id,
        c.state.as_str(),
        c.step,
        c.stability.map(f64::from),
        c.difficulty.map(f64::from),
        ms(c.due),
        c.last_review.map(ms),
        c.reps,
        c.lapses,
        p.suspended,
        p.buried_until.map(ms),
        p.leech,
    ])?;
    Ok(())
}

fn delete_card(tx: &Transaction<'_>, deck_id: &str, card_id: &str) -> rusqlite::Result<()> {
    tx.prepare_cached("DELETE FROM card_state WHERE deck_id = ?1 AND card_id = ?2")?
        .execute(params![deck_id, card_id])?;
    Ok(())
}

fn sql_err(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |source| StoreError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

fn bad_data(path: &Path) -> impl Fn(String) -> StoreError + '_ {
    move |detail| StoreError::BadData {
        path: path.to_path_buf(),
        detail,
    }
}

fn begin<'c>(conn: &'c mut Connection, path: &Path) -> Result<Transaction<'c>, StoreError> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql_err(path))
}

/// Records one answer inside the transaction `tx` (see [`Store::record_answer`]).
fn record_in(
    tx: &Transaction<'_>,
    path: &Path,
    profile: &str,
    review: &NewReview<'_>,
    leech: LeechPolicy,
) -> Result<Recorded, StoreError> {
    let at = truncate_ms(review.at);
    match (review.mode, review.state_after) {
        (Mode::Srs, None) => {
            return Err(StoreError::Invalid(format!(
                "srs answer to {}/{} without a new state",
                review.deck_id, review.card_id
            )));
        }
        (Mode::Practice | Mode::Drill, Some(_)) => {
            return Err(StoreError::Invalid(format!(
                "{} answer to {}/{} must not change the card's state",
                review.mode, review.deck_id, review.card_id
            )));
        }
        _ => {}
    }
    let err = sql_err(path);
    let before = read_card(tx, path, review.deck_id, review.card_id)?;
    let mut became_leech = false;
    let after = review.state_after.map(|state| {
        let state = truncate_state(state);
        let mut p = before.map_or_else(
            || CardProgress::from_state(state),
            |b| CardProgress { card: state, ..b },
        );
        let lapses_before = before.map_or(0, |b| b.card.lapses);
        if state.lapses > lapses_before && schedule::becomes_leech(state.lapses, leech.threshold) {
            became_leech = true;
            p.leech = true;
            if leech.action == LeechAction::Suspend {
                p.suspended = true;
            }
        }
        p
    });
    let (kind_before, state_before) = match review.mode {
        Mode::Srs => (
            Some(before.map_or(State::New, |b| b.card.state).as_str()),
            before.as_ref().map(log_state::to_json),
        ),
        Mode::Practice | Mode::Drill => (None, None),
    };
    let response_ms = i64::try_from(review.response_ms).unwrap_or(i64::MAX);
    tx.prepare_cached(
        "INSERT INTO review_log (profile, deck_id, card_id, at, rating, mode, answer_given, \
         correct, response_ms, kind_before, state_before, state_after) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )
    .and_then(|mut s| {
        s.execute(params![
            profile,
            review.deck_id,
            review.card_id,
            ms(at),
            review.rating.number(),
            review.mode.as_str(),
            review.answer_given,
            review.correct,
            response_ms,
            kind_before,
            state_before,
            after.as_ref().map(log_state::to_json),
        ])
    })
    .map_err(&err)?;
    let review_id = tx.last_insert_rowid();
    if let Some(p) = &after {
        put_card(tx, review.deck_id, review.card_id, p).map_err(&err)?;
    }
    Ok(Recorded {
        review_id,
        at,
        before,
        after,
        became_leech,
    })
}

/// Takes back one answer inside the transaction `tx` (see [`Store::undo_answer`]).
fn undo_in(tx: &Transaction<'_>, path: &Path, review_id: i64) -> Result<Undone, StoreError> {
    let err = sql_err(path);
    let raw = tx
        .prepare_cached(&format!(
            "SELECT {REVIEW_COLUMNS} FROM review_log WHERE id = ?1"
        ))
        .and_then(|mut s| s.query_row([review_id], RawReview::from_row).optional())
        .map_err(&err)?;
    let Some(raw) = raw else {
        return Err(StoreError::NoSuchReview {
            path: path.to_path_buf(),
            id: review_id,
        });
    };
    let review = raw.check().map_err(bad_data(path))?;
    let restored = if review.mode == Mode::Srs {
        let later: Option<i64> = tx
            .prepare_cached(
                "SELECT id FROM review_log WHERE deck_id = ?1 AND card_id = ?2 \
                 AND mode = 'srs' AND id > ?3 ORDER BY id DESC LIMIT 1",
            )
            .and_then(|mut s| {
                s.query_row(params![review.deck_id, review.card_id, review_id], |r| {
                    r.get(0)
                })
                .optional()
            })
            .map_err(&err)?;
        if let Some(later) = later {
            return Err(StoreError::NotLatest {
                path: path.to_path_buf(),
                id: review_id,
                later,
                deck_id: review.deck_id,
                card_id: review.card_id,
            });
        }
        match &review.state_before {
            Some(p) => put_card(tx, &review.deck_id, &review.card_id, p),
            None => delete_card(tx, &review.deck_id, &review.card_id),
        }
        .map_err(&err)?;
        review.state_before
    } else {
        read_card(tx, path, &review.deck_id, &review.card_id)?
    };
    tx.execute("DELETE FROM review_log WHERE id = ?1", [review_id])
        .map_err(&err)?;
    Ok(Undone { review, restored })
}

/// Every stored card, read through `conn`.
pub(super) fn all_cards(conn: &Connection, path: &Path) -> Result<Vec<CardRecord>, StoreError> {
    let err = sql_err(path);
    let mut stmt = conn
        .prepare_cached(&format!("SELECT {CARD_COLUMNS} FROM card_state"))
        .map_err(&err)?;
    let rows = stmt.query_map([], RawCard::from_row).map_err(&err)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row.map_err(&err)?.check().map_err(bad_data(path))?);
    }
    Ok(out)
}

/// A card's stored progress, read through `conn` (a transaction derefs to its connection).
pub(super) fn read_card(
    conn: &Connection,
    path: &Path,
    deck_id: &str,
    card_id: &str,
) -> Result<Option<CardProgress>, StoreError> {
    let raw = conn
        .prepare_cached(&format!(
            "SELECT {CARD_COLUMNS} FROM card_state WHERE deck_id = ?1 AND card_id = ?2"
        ))
        .and_then(|mut s| {
            s.query_row(params![deck_id, card_id], RawCard::from_row)
                .optional()
        })
        .map_err(sql_err(path))?;
    Ok(raw
        .map(RawCard::check)
        .transpose()
        .map_err(bad_data(path))?
        .map(|r| r.progress))
}

impl Store {
    /// Records one answer in ONE transaction: the log row and (for `srs`) the card's new
    /// progress commit together, with leech handling: when the answer is a lapse that brings
    /// the card to the leech threshold, or half a threshold past it (see
    /// [`schedule::becomes_leech`]), the card is tagged as a
    /// leech and, if the policy says so, suspended.
    pub fn record_answer(
        &mut self,
        review: &NewReview<'_>,
        leech: LeechPolicy,
    ) -> Result<Recorded, StoreError> {
        let mut recorded = self.record_answers(std::slice::from_ref(review), leech)?;
        recorded
            .pop()
            .ok_or_else(|| StoreError::Invalid("no answer was recorded".to_owned()))
    }

    /// Records several answers (a drill question's cards, a matching round) in ONE
    /// transaction, each as [`Store::record_answer`] does: all are saved, or none.
    pub fn record_answers(
        &mut self,
        reviews: &[NewReview<'_>],
        leech: LeechPolicy,
    ) -> Result<Vec<Recorded>, StoreError> {
        Ok(self.replace_answers(&[], reviews, leech)?.1)
    }

    /// Takes back the answers `take_back` (as [`Store::undo_answer`] does, in that order), then
    /// records `add` (as [`Store::record_answer`] does), all in ONE transaction.
    pub fn replace_answers(
        &mut self,
        take_back: &[i64],
        add: &[NewReview<'_>],
        leech: LeechPolicy,
    ) -> Result<(Vec<Undone>, Vec<Recorded>), StoreError> {
        let Self {
            conn,
            path,
            profile,
        } = self;
        let profile: &str = profile;
        let tx = begin(conn, path)?;
        let mut undone = Vec::with_capacity(take_back.len());
        for &id in take_back {
            undone.push(undo_in(&tx, path, id)?);
        }
        let mut recorded = Vec::with_capacity(add.len());
        for review in add {
            recorded.push(record_in(&tx, path, profile, review, leech)?);
        }
        tx.commit().map_err(sql_err(path))?;
        Ok((undone, recorded))
    }

    /// Takes back one answer in one transaction: for an `srs` answer the card's progress is
    /// restored exactly from the row's `state_before`; then the row is deleted. Refused when a
    /// later srs answer to the same card exists (undo goes back one answer at a time).
    pub fn undo_answer(&mut self, review_id: i64) -> Result<Undone, StoreError> {
        let mut undone = self.undo_answers(&[review_id])?;
        undone
            .pop()
            .ok_or_else(|| StoreError::Invalid("no answer was undone".to_owned()))
    }

    /// Takes back several answers in ONE transaction, in the order given, each as
    /// [`Store::undo_answer`] does: all are taken back, or none.
    pub fn undo_answers(&mut self, review_ids: &[i64]) -> Result<Vec<Undone>, StoreError> {
        let leech = LeechPolicy {
            threshold: u32::MAX,
            action: LeechAction::Tag,
        };
        Ok(self.replace_answers(review_ids, &[], leech)?.0)
    }

    /// The stored progress of one card (`None`: never studied).
    pub fn card(&self, deck_id: &str, card_id: &str) -> Result<Option<CardProgress>, StoreError> {
        read_card(&self.conn, &self.path, deck_id, card_id)
    }

    /// Changes the stored progress of every card in `keys` with `change`, in ONE transaction
    /// (starting from a new card when nothing is stored), and returns each card's progress
    /// before and after, in the order of `keys`, for undo with [`Store::restore_cards`].
    pub fn change_cards(
        &mut self,
        keys: &[(&str, &str)],
        now: DateTime<Utc>,
        change: impl Fn(&mut CardProgress),
    ) -> Result<Vec<(Option<CardProgress>, CardProgress)>, StoreError> {
        let Self { conn, path, .. } = self;
        let tx = begin(conn, path)?;
        let mut out = Vec::with_capacity(keys.len());
        for (deck_id, card_id) in keys {
            let before = read_card(&tx, path, deck_id, card_id)?;
            let mut p = before.unwrap_or_else(|| CardProgress::new_card(now));
            change(&mut p);
            let p = p.truncated();
            put_card(&tx, deck_id, card_id, &p).map_err(sql_err(path))?;
            out.push((before, p));
        }
        tx.commit().map_err(sql_err(path))?;
        Ok(out)
    }

    fn change_card(
        &mut self,
        deck_id: &str,
        card_id: &str,
        now: DateTime<Utc>,
        change: impl Fn(&mut CardProgress),
    ) -> Result<Option<CardProgress>, StoreError> {
        let changed = self.change_cards(&[(deck_id, card_id)], now, change)?;
        Ok(changed.into_iter().next().and_then(|(before, _)| before))
    }

    /// Suspends or unsuspends a card. Returns the progress before (for undo).
    pub fn set_suspended(
        &mut self,
        deck_id: &str,
        card_id: &str,
        suspended: bool,
        now: DateTime<Utc>,
    ) -> Result<Option<CardProgress>, StoreError> {
        self.change_card(deck_id, card_id, now, |p| p.suspended = suspended)
    }

    /// Hides a card until `until` (normally tomorrow's day start); `None` unburies.
    /// Returns the progress before (for undo).
    pub fn bury(
        &mut self,
        deck_id: &str,
        card_id: &str,
        until: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Option<CardProgress>, StoreError> {
        self.change_card(deck_id, card_id, now, |p| p.buried_until = until)
    }

    /// Forgets a card's progress: it becomes a new card again, its flags cleared. The review
    /// log keeps its past answers. Returns the progress before, which [`Store::restore_card`]
    /// puts back.
    pub fn reset_card(
        &mut self,
        deck_id: &str,
        card_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<CardProgress>, StoreError> {
        self.change_card(deck_id, card_id, now, |p| *p = CardProgress::new_card(now))
    }

    /// Puts a card's progress back exactly (`None` removes the stored progress): the undo of
    /// [`Store::set_suspended`], [`Store::bury`] and [`Store::reset_card`].
    pub fn restore_card(
        &mut self,
        deck_id: &str,
        card_id: &str,
        progress: Option<&CardProgress>,
    ) -> Result<(), StoreError> {
        self.restore_cards(&[(deck_id, card_id, progress.copied())])
    }

    /// Puts the progress of several cards back exactly, in ONE transaction (`None` removes a
    /// card's stored progress): the undo of [`Store::change_cards`].
    pub fn restore_cards(
        &mut self,
        cards: &[(&str, &str, Option<CardProgress>)],
    ) -> Result<(), StoreError> {
        let Self { conn, path, .. } = self;
        let tx = begin(conn, path)?;
        for (deck_id, card_id, progress) in cards {
            match progress {
                Some(p) => put_card(&tx, deck_id, card_id, &p.truncated()),
                None => delete_card(&tx, deck_id, card_id),
            }
            .map_err(sql_err(path))?;
        }
        tx.commit().map_err(sql_err(path))
    }

    fn query_cards(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<CardRecord>, StoreError> {
        let err = sql_err(&self.path);
        let mut stmt = self.conn.prepare_cached(sql).map_err(&err)?;
        let rows = stmt.query_map(params, RawCard::from_row).map_err(&err)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row.map_err(&err)?.check().map_err(bad_data(&self.path))?);
        }
        Ok(out)
    }

    /// Every stored card state of one deck (`Some(id)`) or of all decks (`None`), ordered by
    /// deck and card id. Cards no longer in their deck keep their rows.
    pub fn card_states(&self, deck_id: Option<&str>) -> Result<Vec<CardRecord>, StoreError> {
        match deck_id {
            Some(d) => self.query_cards(
                &format!(
                    "SELECT {CARD_COLUMNS} FROM card_state WHERE deck_id = ?1 ORDER BY card_id"
                ),
                [d],
            ),
            None => self.query_cards(
                &format!("SELECT {CARD_COLUMNS} FROM card_state ORDER BY deck_id, card_id"),
                [],
            ),
        }
    }

    /// Stored cards due at or before `until`, ordered by due time; suspended and buried ones
    /// are included (the queue builder filters them). For one deck this reads the queue
    /// index; for all decks it scans every card.
    pub fn due_cards(
        &self,
        deck_id: Option<&str>,
        until: DateTime<Utc>,
    ) -> Result<Vec<CardRecord>, StoreError> {
        match deck_id {
            Some(d) => self.query_cards(
                &format!(
                    "SELECT {CARD_COLUMNS} FROM card_state WHERE deck_id = ?2 \
                     AND state IN ('new', 'learning', 'review', 'relearning') AND due <= ?1 \
                     ORDER BY due"
                ),
                params![ms(until), d],
            ),
            None => self.query_cards(
                &format!("SELECT {CARD_COLUMNS} FROM card_state WHERE due <= ?1 ORDER BY due"),
                [ms(until)],
            ),
        }
    }

    /// The stored cards of one deck that today's queue can hold, straight from the
    /// `(deck_id, state, due)` index: learning and relearning cards due by `learn_until`
    /// (now + learn-ahead), the `review_limit` most overdue review cards due before `day_end`,
    /// and new-state cards (reset) due before `day_end`; suspended cards and cards buried past
    /// `now` are left out. With a backlog of thousands of due reviews this reads only the ones
    /// the day's limit lets through.
    pub fn queue_cards(
        &self,
        deck_id: &str,
        now: DateTime<Utc>,
        learn_until: DateTime<Utc>,
        day_end: DateTime<Utc>,
        review_limit: u32,
    ) -> Result<Vec<CardRecord>, StoreError> {
        const AVAILABLE: &str = "suspended = 0 AND (buried_until IS NULL OR buried_until <= ?2)";
        self.query_cards(
            &format!(
                "SELECT {CARD_COLUMNS} FROM card_state WHERE deck_id = ?1 \
                   AND state = 'learning' AND due <= ?3 AND {AVAILABLE} \
                 UNION ALL \
                 SELECT {CARD_COLUMNS} FROM card_state WHERE deck_id = ?1 \
                   AND state = 'relearning' AND due <= ?3 AND {AVAILABLE} \
                 UNION ALL \
                 SELECT * FROM (SELECT {CARD_COLUMNS} FROM card_state WHERE deck_id = ?1 \
                   AND state = 'review' AND due < ?4 AND {AVAILABLE} ORDER BY due LIMIT ?5) \
                 UNION ALL \
                 SELECT {CARD_COLUMNS} FROM card_state WHERE deck_id = ?1 \
                   AND state = 'new' AND due < ?4 AND {AVAILABLE}"
            ),
            params![
                deck_id,
                ms(now),
                ms(learn_until),
                ms(day_end),
                i64::from(review_limit)
            ],
        )
    }

    /// Copies the write-ahead log into the database file now (a passive checkpoint), so the
    /// next automatic one has less to do. Call it at a quiet moment, e.g. when a session ends.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(PASSIVE);")
            .map_err(sql_err(&self.path))
    }

    /// How many of one deck's cards have stored progress (a count over the primary key).
    pub fn stored_card_count(&self, deck_id: &str) -> Result<usize, StoreError> {
        let err = sql_err(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM card_state WHERE deck_id = ?1")
            .map_err(&err)?;
        let n: i64 = stmt.query_row([deck_id], |r| r.get(0)).map_err(&err)?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// The ids of one deck's cards that have stored progress (studied, or flagged).
    pub fn stored_card_ids(&self, deck_id: &str) -> Result<HashSet<String>, StoreError> {
        let err = sql_err(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT card_id FROM card_state WHERE deck_id = ?1")
            .map_err(&err)?;
        let rows = stmt.query_map([deck_id], |r| r.get(0)).map_err(&err)?;
        rows.collect::<Result<_, _>>().map_err(&err)
    }

    /// Answers per deck since `since` (today's day start), for the daily limits.
    pub fn counts_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<BTreeMap<String, DayCounts>, StoreError> {
        let err = sql_err(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT deck_id, \
                   SUM(mode = 'srs' AND kind_before = 'new'), \
                   SUM(mode = 'srs' AND kind_before IN ('learning', 'relearning')), \
                   SUM(mode = 'srs' AND kind_before = 'review'), \
                   SUM(mode <> 'srs') \
                 FROM review_log INDEXED BY review_log_at WHERE at >= ?1 GROUP BY deck_id",
            )
            .map_err(&err)?;
        let rows = stmt
            .query_map([ms(since)], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })
            .map_err(&err)?;
        let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
        let mut out = BTreeMap::new();
        for row in rows {
            let (deck, new, learning, reviews, practice) = row.map_err(&err)?;
            out.insert(
                deck,
                DayCounts {
                    new_introduced: n(new),
                    learning: n(learning),
                    reviews: n(reviews),
                    practice: n(practice),
                },
            );
        }
        Ok(out)
    }

    fn query_reviews(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        mut each: impl FnMut(ReviewRecord),
    ) -> Result<(), StoreError> {
        let err = sql_err(&self.path);
        let mut stmt = self.conn.prepare_cached(sql).map_err(&err)?;
        let rows = stmt.query_map(params, RawReview::from_row).map_err(&err)?;
        for row in rows {
            each(row.map_err(&err)?.check().map_err(bad_data(&self.path))?);
        }
        Ok(())
    }

    /// One card's answers, oldest first.
    pub fn card_history(
        &self,
        deck_id: &str,
        card_id: &str,
    ) -> Result<Vec<ReviewRecord>, StoreError> {
        let mut out = Vec::new();
        self.query_reviews(
            &format!(
                "SELECT {REVIEW_COLUMNS} FROM review_log WHERE deck_id = ?1 AND card_id = ?2 \
                 ORDER BY at, id"
            ),
            params![deck_id, card_id],
            |r| out.push(r),
        )?;
        Ok(out)
    }

    /// Calls `each` with every answer in the log, oldest first, without holding them all.
    pub fn for_each_review(&self, each: impl FnMut(ReviewRecord)) -> Result<(), StoreError> {
        self.query_reviews(
            &format!("SELECT {REVIEW_COLUMNS} FROM review_log ORDER BY at, id"),
            [],
            each,
        )
    }

    /// The answers given at or after `since` (e.g. today's day start), oldest first; reads
    /// the time index, not the whole log.
    pub fn reviews_since(&self, since: DateTime<Utc>) -> Result<Vec<ReviewRecord>, StoreError> {
        let mut out = Vec::new();
        self.query_reviews(
            &format!("SELECT {REVIEW_COLUMNS} FROM review_log WHERE at >= ?1 ORDER BY at, id"),
            [ms(since)],
            |r| out.push(r),
        )?;
        Ok(out)
    }

    /// Every answer in the log, oldest first.
    pub fn all_reviews(&self) -> Result<Vec<ReviewRecord>, StoreError> {
        let mut out = Vec::new();
        self.for_each_review(|r| out.push(r))?;
        Ok(out)
    }

    /// One answer by its id.
    pub fn review(&self, review_id: i64) -> Result<Option<ReviewRecord>, StoreError> {
        let mut out = None;
        self.query_reviews(
            &format!("SELECT {REVIEW_COLUMNS} FROM review_log WHERE id = ?1"),
            [review_id],
            |r| out = Some(r),
        )?;
        Ok(out)
    }

    /// How many answers the log holds.
    pub fn review_count(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM review_log", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(sql_err(&self.path))
    }

    /// The profile's settings. Keys this flashdrill does not know and values it cannot parse
    /// (flashdrill never writes them; only a hand edit can) are ignored: the default applies.
    pub fn load_settings(&self) -> Result<Settings, StoreError> {
        let err = sql_err(&self.path);
        let mut settings = Settings::default();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, value FROM settings")
            .map_err(&err)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(&err)?;
        for row in rows {
            let (key, value) = row.map_err(&err)?;
            // A stored value that no longer parses keeps the default (see the doc comment).
            let _ignored = settings.set(&key, &value);
        }
        Ok(settings)
    }

    /// Stores every setting of `settings`, in one transaction.
    pub fn save_settings(&mut self, settings: &Settings) -> Result<(), StoreError> {
        let Self { conn, path, .. } = self;
        let err = sql_err(path);
        let tx = begin(conn, path)?;
        {
            let mut stmt = tx
                .prepare_cached("INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)")
                .map_err(&err)?;
            for (info, value) in settings.iter() {
                stmt.execute(params![info.key, value]).map_err(&err)?;
            }
        }
        tx.commit().map_err(&err)
    }
}
