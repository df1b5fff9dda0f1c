//! Schema 1 → 2: the compact store. Decks and cards get integer keys, the review log becomes
//! rows of numbers with ids unique across computers, and the JSON states become columns.
//!
//! It runs inside the opening transaction (see `schema::migrate`): killed half-way, the
//! database is still schema 1 and the next open starts again.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::Connection;

use super::cards::sql_err;
use super::log::{Before, IdChoice, NewRow, insert_review};
use super::log_state;
use super::rows::{Kind, content_id};
use super::{Mode, StoreError};
use crate::schedule::{CardState, Rating, State};

/// The review log's per-card index (also in [`CREATE`]), built again after a large import.
pub(super) const REVIEW_CARD_INDEX: &str = "CREATE INDEX review_card ON review (card);";

/// The tables of schema 2.
pub(super) const CREATE: &str = "
    CREATE TABLE deck (
        key INTEGER PRIMARY KEY,
        id  TEXT    NOT NULL UNIQUE
    );
    CREATE TABLE card (
        key  INTEGER PRIMARY KEY,
        deck INTEGER NOT NULL,                      -- deck.key
        id   TEXT    NOT NULL,
        UNIQUE (deck, id)
    );
    -- Each studied or flagged card's progress, by card key.
    CREATE TABLE progress (
        card         INTEGER PRIMARY KEY,           -- card.key
        deck         INTEGER NOT NULL,              -- deck.key, for the queue index
        state        INTEGER NOT NULL CHECK (state BETWEEN 0 AND 3), -- new, learning, review, relearning
        step         INTEGER,
        stability    REAL,
        difficulty   REAL,
        due          INTEGER NOT NULL,              -- ms since the Unix epoch, UTC
        last_review  INTEGER,
        reps         INTEGER NOT NULL,
        lapses       INTEGER NOT NULL,
        suspended    INTEGER NOT NULL DEFAULT 0,
        buried_until INTEGER,
        leech        INTEGER NOT NULL DEFAULT 0
    );
    -- The study queue of one deck by state and due time.
    CREATE INDEX progress_queue ON progress (deck, state, due);
    -- The review log: numbers only (layout in store/rows.rs).
    CREATE TABLE review (
        id          INTEGER PRIMARY KEY,            -- (ms << 20) | 20 low bits; time = id >> 20
        card        INTEGER NOT NULL,               -- card.key
        kind        INTEGER NOT NULL,               -- rating, mode, correct, states, flags
        response_ms INTEGER NOT NULL,
        answer      TEXT,                           -- what the learner typed or chose
        step        INTEGER,                        -- srs: the state after ...
        stability   INTEGER,                        -- f32 bit pattern
        difficulty  INTEGER,                        -- f32 bit pattern
        due         INTEGER,                        -- distance from the answer, encoded
        reps        INTEGER,
        lapses      INTEGER,
        last        INTEGER                         -- last review when not the answer's time
    );
    -- A card's history, its latest answer (undo), and replay per card.
    CREATE INDEX review_card ON review (card);
    -- The state before an srs answer where it is not the previous answer's state after.
    CREATE TABLE review_before (
        id           INTEGER PRIMARY KEY,           -- review.id
        state        INTEGER NOT NULL,
        step         INTEGER,
        stability    REAL,
        difficulty   REAL,
        due          INTEGER NOT NULL,
        last_review  INTEGER,
        reps         INTEGER NOT NULL,
        lapses       INTEGER NOT NULL
    );
";

/// Copies schema 1's tables into schema 2's (already created) and drops them.
pub(super) fn from_v1(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let err = sql_err(path);
    conn.execute_batch(
        "INSERT INTO deck (id) SELECT deck_id FROM card_state UNION SELECT deck_id FROM review_log;
         INSERT INTO card (deck, id)
             SELECT d.key, x.card_id
             FROM (SELECT deck_id, card_id FROM card_state
                   UNION SELECT deck_id, card_id FROM review_log) x
             JOIN deck d ON d.id = x.deck_id;
         INSERT INTO progress (card, deck, state, step, stability, difficulty, due, last_review,
                               reps, lapses, suspended, buried_until, leech)
             SELECT c.key, d.key,
                    CASE s.state WHEN 'new' THEN 0 WHEN 'learning' THEN 1
                                 WHEN 'review' THEN 2 ELSE 3 END,
                    s.step, s.stability, s.difficulty, s.due, s.last_review, s.reps, s.lapses,
                    s.suspended, s.buried_until, s.leech
             FROM card_state s JOIN deck d ON d.id = s.deck_id
             JOIN card c ON c.deck = d.key AND c.id = s.card_id;",
    )
    .map_err(&err)?;
    copy_reviews(conn, path)?;
    conn.execute_batch("DROP TABLE review_log; DROP TABLE card_state;")
        .map_err(&err)
}

/// One schema-1 review row.
struct OldRow {
    id: i64,
    deck_id: String,
    card_id: String,
    at: i64,
    rating: i64,
    mode: String,
    answer: Option<String>,
    correct: Option<bool>,
    response_ms: i64,
    kind_before: Option<String>,
    state_before: Option<String>,
    state_after: Option<String>,
}

/// The reviews, card by card in (time, id) order: each card's states become columns, and the
/// state before is written out only where it is not the previous srs answer's state after.
fn copy_reviews(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let err = sql_err(path);
    let keys: HashMap<(String, String), i64> = conn
        .prepare("SELECT d.id, c.id, c.key FROM card c JOIN deck d ON d.key = c.deck")
        .and_then(|mut s| {
            s.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))
                .and_then(Iterator::collect)
        })
        .map_err(&err)?;
    let mut stmt = conn
        .prepare(
            "SELECT id, deck_id, card_id, at, rating, mode, answer_given, correct, response_ms, \
             kind_before, state_before, state_after FROM review_log \
             ORDER BY deck_id, card_id, at, id",
        )
        .map_err(&err)?;
    let mut rows = stmt.query([]).map_err(&err)?;
    // The card being copied, its latest srs after-state and its latest new id.
    let mut current: Option<(i64, Option<CardState>, i64)> = None;
    while let Some(r) = rows.next().map_err(&err)? {
        let old = OldRow {
            id: r.get(0).map_err(&err)?,
            deck_id: r.get(1).map_err(&err)?,
            card_id: r.get(2).map_err(&err)?,
            at: r.get(3).map_err(&err)?,
            rating: r.get(4).map_err(&err)?,
            mode: r.get(5).map_err(&err)?,
            answer: r.get(6).map_err(&err)?,
            correct: r.get(7).map_err(&err)?,
            response_ms: r.get(8).map_err(&err)?,
            kind_before: r.get(9).map_err(&err)?,
            state_before: r.get(10).map_err(&err)?,
            state_after: r.get(11).map_err(&err)?,
        };
        let bad = |what: String| StoreError::BadData {
            path: path.to_path_buf(),
            detail: format!(
                "review_log row {} ({}/{}): {what}; the database was not changed",
                old.id, old.deck_id, old.card_id
            ),
        };
        let card = *keys
            .get(&(old.deck_id.clone(), old.card_id.clone()))
            .ok_or_else(|| bad("card has no key".to_owned()))?;
        let (implied, last_id) = match current {
            Some((c, implied, last_id)) if c == card => (implied, last_id),
            _ => (None, i64::MIN),
        };
        let rating = u8::try_from(old.rating)
            .ok()
            .and_then(Rating::from_number)
            .ok_or_else(|| bad(format!("rating {} is not 1–4", old.rating)))?;
        let mode =
            Mode::parse(&old.mode).ok_or_else(|| bad(format!("unknown mode {:?}", old.mode)))?;
        let json = |s: &Option<String>, what: &str| {
            s.as_deref()
                .map(|t| log_state::from_json(t).map_err(|e| bad(format!("bad {what}: {e}"))))
                .transpose()
        };
        let before = json(&old.state_before, "state_before")?;
        let after = json(&old.state_after, "state_after")?;
        let mut kind = Kind::new(rating, mode, old.correct);
        let mut stated_before = Before::Implied;
        let after_state = match (mode, after) {
            (Mode::Srs, Some(a)) => {
                kind.before = match old.kind_before.as_deref() {
                    Some(k) => {
                        State::parse(k).ok_or_else(|| bad(format!("unknown kind_before {k:?}")))?
                    }
                    None => before.map_or(State::New, |b| b.card.state),
                };
                kind.after = a.card.state;
                kind.made_leech = a.leech && !before.is_some_and(|b| b.leech);
                kind.made_suspended = a.suspended && !before.is_some_and(|b| b.suspended);
                let stored = before.map(|b| b.card);
                if stored != implied {
                    stated_before = Before::Explicit(stored);
                }
                Some(a.card)
            }
            (Mode::Srs, None) => return Err(bad("srs answer without state_after".to_owned())),
            _ => None,
        };
        let id = content_id(old.at, &old.deck_id, &old.card_id, rating, mode).ok_or_else(|| {
            bad(format!(
                "answer time {} is not between 1970 and 2248",
                old.at
            ))
        })?;
        // Within one card the order stays (time, then the old id).
        let id = if id <= last_id && super::rows::review_id_ms(last_id + 1) == old.at {
            last_id + 1
        } else {
            id
        };
        let new_id = insert_review(
            conn,
            path,
            &NewRow {
                card,
                at_ms: old.at,
                kind,
                response_ms: u64::try_from(old.response_ms).unwrap_or(0),
                answer: old.answer.as_deref(),
                after: after_state,
                before: stated_before,
            },
            IdChoice::Given(id),
        )?;
        let implied = if mode == Mode::Srs {
            after_state
        } else {
            implied
        };
        current = Some((card, implied, new_id));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_index_an_import_builds_again_is_the_schemas() {
        assert!(super::CREATE.contains(super::REVIEW_CARD_INDEX));
    }
}
