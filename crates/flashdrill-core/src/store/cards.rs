//! Decks and cards by integer key, and each card's stored progress (`progress`).
//!
//! A deck's and a card's text ids are stored once (`deck`, `card`); the progress table and the
//! review log refer to cards by their integer key.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::rows::{ms, state_code, state_of, time};
use super::{CardProgress, CardRecord, StoreError};
use crate::schedule::CardState;

/// The progress columns as [`RawCard::from_row`] reads them, with the deck and card ids.
pub(super) const CARD_COLUMNS: &str = "d.id, c.id, p.state, p.step, p.stability, \
    p.difficulty, p.due, p.last_review, p.reps, p.lapses, p.suspended, p.buried_until, p.leech";

/// `FROM` the progress table with its card's and deck's ids (aliases `p`, `c`, `d`).
pub(super) const CARD_FROM: &str =
    "progress p JOIN card c ON c.key = p.card JOIN deck d ON d.key = p.deck";

pub(super) fn sql_err(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |source| StoreError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

pub(super) fn bad_data(path: &Path) -> impl Fn(String) -> StoreError + '_ {
    move |detail| StoreError::BadData {
        path: path.to_path_buf(),
        detail,
    }
}

/// A deck's key, if the deck has one.
pub(super) fn deck_key(conn: &Connection, deck_id: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT key FROM deck WHERE id = ?1")?
        .query_row([deck_id], |r| r.get(0))
        .optional()
}

/// A card's `(deck key, card key)`, if the card has one.
///
/// Statements run often read one table each: SQLite marks a statement that joins on a bound
/// value to be compiled again each time rusqlite's cache takes it back.
pub(super) fn card_key(
    conn: &Connection,
    deck_id: &str,
    card_id: &str,
) -> rusqlite::Result<Option<(i64, i64)>> {
    let Some(deck) = deck_key(conn, deck_id)? else {
        return Ok(None);
    };
    conn.prepare_cached("SELECT key FROM card WHERE deck = ?1 AND id = ?2")?
        .query_row(params![deck, card_id], |r| r.get(0))
        .optional()
        .map(|card| card.map(|c| (deck, c)))
}

/// A deck's key, made when the deck has none yet.
pub(super) fn ensure_deck(conn: &Connection, deck_id: &str) -> rusqlite::Result<i64> {
    if let Some(key) = deck_key(conn, deck_id)? {
        return Ok(key);
    }
    conn.prepare_cached("INSERT INTO deck (id) VALUES (?1)")?
        .execute([deck_id])?;
    Ok(conn.last_insert_rowid())
}

/// A card's `(deck key, card key)`, made when the card has none yet.
pub(super) fn ensure_card(
    conn: &Connection,
    deck_id: &str,
    card_id: &str,
) -> rusqlite::Result<(i64, i64)> {
    if let Some(keys) = card_key(conn, deck_id, card_id)? {
        return Ok(keys);
    }
    let deck = ensure_deck(conn, deck_id)?;
    conn.prepare_cached("INSERT INTO card (deck, id) VALUES (?1, ?2)")?
        .execute(params![deck, card_id])?;
    Ok((deck, conn.last_insert_rowid()))
}

/// A raw progress row, before its values are checked.
pub(super) struct RawCard {
    deck_id: String,
    card_id: String,
    state: i64,
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
    /// Reads [`CARD_COLUMNS`] from `r`.
    pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Self::read(r, r.get(0)?, r.get(1)?, 2)
    }

    /// Reads the progress columns from `r`, starting at column `at`, for the card named.
    fn read(r: &Row<'_>, deck_id: String, card_id: String, at: usize) -> rusqlite::Result<Self> {
        Ok(Self {
            deck_id,
            card_id,
            state: r.get(at)?,
            step: r.get(at + 1)?,
            stability: r.get(at + 2)?,
            difficulty: r.get(at + 3)?,
            due: r.get(at + 4)?,
            last_review: r.get(at + 5)?,
            reps: r.get(at + 6)?,
            lapses: r.get(at + 7)?,
            suspended: r.get(at + 8)?,
            buried_until: r.get(at + 9)?,
            leech: r.get(at + 10)?,
        })
    }

    pub(super) fn check(self) -> Result<CardRecord, String> {
        let place = |what: &str| {
            let sep = if self.deck_id.is_empty() { "" } else { "/" };
            format!("progress of {}{sep}{}: {what}", self.deck_id, self.card_id)
        };
        let t = |v: i64, what: &str| time(v).ok_or_else(|| place(&format!("bad {what} {v}")));
        let count = |v: i64, what: &str| {
            u32::try_from(v).map_err(|_| place(&format!("{what} {v} is out of range")))
        };
        let state =
            state_of(self.state).ok_or_else(|| place(&format!("unknown state {}", self.state)))?;
        #[allow(
            clippy::cast_possible_truncation,
            reason = "the store writes these REALs from f32 values"
        )]
        let card = CardState {
            state,
            step: self.step.map(|s| count(s, "step")).transpose()?,
            stability: self.stability.map(|v| v as f32),
            difficulty: self.difficulty.map(|v| v as f32),
            due: t(self.due, "due")?,
            last_review: self.last_review.map(|v| t(v, "last_review")).transpose()?,
            reps: count(self.reps, "reps")?,
            lapses: count(self.lapses, "lapses")?,
        };
        let buried_until = self
            .buried_until
            .map(|v| t(v, "buried_until"))
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

/// `INSERT OR REPLACE` into `progress`, before the values.
const PUT_PROGRESS: &str = "INSERT OR REPLACE INTO progress (card, deck, state, step, \
    stability, difficulty, due, last_review, reps, lapses, suspended, buried_until, leech) VALUES";

/// Binds one card's progress row to `stmt` from placeholder `first` on (13 values).
fn bind_progress(
    stmt: &mut rusqlite::Statement<'_>,
    first: usize,
    (deck, card, p): &(i64, i64, CardProgress),
) -> rusqlite::Result<()> {
    let c = &p.card;
    stmt.raw_bind_parameter(first, card)?;
    stmt.raw_bind_parameter(first + 1, deck)?;
    stmt.raw_bind_parameter(first + 2, state_code(c.state))?;
    stmt.raw_bind_parameter(first + 3, c.step)?;
    stmt.raw_bind_parameter(first + 4, c.stability.map(f64::from))?;
    stmt.raw_bind_parameter(first + 5, c.difficulty.map(f64::from))?;
    stmt.raw_bind_parameter(first + 6, ms(c.due))?;
    stmt.raw_bind_parameter(first + 7, c.last_review.map(ms))?;
    stmt.raw_bind_parameter(first + 8, c.reps)?;
    stmt.raw_bind_parameter(first + 9, c.lapses)?;
    stmt.raw_bind_parameter(first + 10, p.suspended)?;
    stmt.raw_bind_parameter(first + 11, p.buried_until.map(ms))?;
    stmt.raw_bind_parameter(first + 12, p.leech)
}

/// Writes a card's progress by key (insert or replace).
pub(super) fn put_progress(
    conn: &Connection,
    deck: i64,
    card: i64,
    p: &CardProgress,
) -> rusqlite::Result<()> {
    put_progress_many(conn, &[(deck, card, *p)])
}

/// Writes many cards' progress, each `(deck key, card key, progress)` (insert or replace),
/// many rows a statement.
pub(super) fn put_progress_many(
    conn: &Connection,
    rows: &[(i64, i64, CardProgress)],
) -> rusqlite::Result<()> {
    super::batch::write_rows(conn, PUT_PROGRESS, 13, rows, bind_progress)
}

/// Keys for cards new to the profile, handed out at once; their `card` rows are written
/// in batches by [`NewCards::flush`] (before anything else reads the card table).
pub(super) struct NewCards<'a> {
    next: i64,
    rows: Vec<(i64, i64, &'a str)>,
    /// Every card handed a key, `(deck key, card id)` → card key.
    keys: HashMap<(i64, &'a str), i64>,
}

impl<'a> NewCards<'a> {
    pub(super) fn new(conn: &Connection) -> rusqlite::Result<Self> {
        let max: Option<i64> = conn.query_row("SELECT max(key) FROM card", [], |r| r.get(0))?;
        Ok(Self {
            next: max.unwrap_or(0).saturating_add(1),
            rows: Vec::new(),
            keys: HashMap::new(),
        })
    }

    /// The key this handed to card `id` of deck `deck`, if it did.
    pub(super) fn key(&self, deck: i64, id: &str) -> Option<i64> {
        self.keys.get(&(deck, id)).copied()
    }

    /// The key of a new card `id` of deck `deck` (the caller knows the profile has none).
    pub(super) fn add(&mut self, deck: i64, id: &'a str) -> i64 {
        let key = self.next;
        self.next = self.next.saturating_add(1);
        self.rows.push((key, deck, id));
        self.keys.insert((deck, id), key);
        key
    }

    /// Writes the cards added so far.
    pub(super) fn flush(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        super::batch::write_rows(
            conn,
            "INSERT INTO card (key, deck, id) VALUES",
            3,
            &self.rows,
            |s, at, (key, deck, id)| {
                s.raw_bind_parameter(at, key)?;
                s.raw_bind_parameter(at + 1, deck)?;
                s.raw_bind_parameter(at + 2, id)
            },
        )?;
        self.rows.clear();
        Ok(())
    }
}

/// Writes a card's progress by its ids (insert or replace), giving the card a key if needed.
pub(super) fn put_card(
    conn: &Connection,
    deck_id: &str,
    card_id: &str,
    p: &CardProgress,
) -> rusqlite::Result<()> {
    let (deck, card) = ensure_card(conn, deck_id, card_id)?;
    put_progress(conn, deck, card, p)
}

pub(super) fn delete_progress(conn: &Connection, card: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM progress WHERE card = ?1")?
        .execute([card])?;
    Ok(())
}

/// A card's stored progress by key.
pub(super) fn read_progress(
    conn: &Connection,
    path: &Path,
    card: i64,
) -> Result<Option<CardProgress>, StoreError> {
    let raw = conn
        .prepare_cached(
            "SELECT state, step, stability, difficulty, due, last_review, reps, lapses, \
             suspended, buried_until, leech FROM progress WHERE card = ?1",
        )
        .and_then(|mut s| {
            s.query_row([card], |r| {
                RawCard::read(r, String::new(), format!("(card key {card})"), 0)
            })
            .optional()
        })
        .map_err(sql_err(path))?;
    Ok(raw
        .map(RawCard::check)
        .transpose()
        .map_err(bad_data(path))?
        .map(|r| r.progress))
}

/// A card's stored progress by its ids (`None`: never studied nor flagged).
pub(super) fn read_card(
    conn: &Connection,
    path: &Path,
    deck_id: &str,
    card_id: &str,
) -> Result<Option<CardProgress>, StoreError> {
    match card_key(conn, deck_id, card_id).map_err(sql_err(path))? {
        Some((_, card)) => read_progress(conn, path, card),
        None => Ok(None),
    }
}

/// Calls `each` with every stored card's deck id, card id and progress, without making a
/// string per card (a home screen over 50,000 cards needs only their states).
pub(super) fn for_each_card(
    conn: &Connection,
    path: &Path,
    mut each: impl FnMut(&str, &str, &CardProgress),
) -> Result<(), StoreError> {
    let err = sql_err(path);
    let mut stmt = conn
        .prepare_cached(&format!("SELECT {CARD_COLUMNS} FROM {CARD_FROM}"))
        .map_err(&err)?;
    let mut rows = stmt.query([]).map_err(&err)?;
    while let Some(r) = rows.next().map_err(&err)? {
        let text = |i: usize| -> Result<&str, StoreError> {
            r.get_ref(i)
                .and_then(|v| v.as_str().map_err(Into::into))
                .map_err(&err)
        };
        let (deck, card) = (text(0)?, text(1)?);
        let raw = RawCard::read(r, String::new(), String::new(), 2).map_err(&err)?;
        if let Ok(rec) = raw.check() {
            each(deck, card, &rec.progress);
        } else {
            // Again with the names, for the message.
            let raw = RawCard::read(r, deck.to_owned(), card.to_owned(), 2).map_err(&err)?;
            if let Err(detail) = raw.check() {
                return Err(bad_data(path)(detail));
            }
        }
    }
    Ok(())
}

/// Every stored card's progress by card key, in one pass.
pub(super) fn progress_by_key(
    conn: &Connection,
    path: &Path,
) -> Result<HashMap<i64, CardProgress>, StoreError> {
    let err = sql_err(path);
    let mut stmt = conn
        .prepare(&format!("SELECT {CARD_COLUMNS}, p.card FROM {CARD_FROM}"))
        .map_err(&err)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(13)?, RawCard::from_row(r)?)))
        .map_err(&err)?;
    let mut out = HashMap::new();
    for row in rows {
        let (key, raw) = row.map_err(&err)?;
        out.insert(key, raw.check().map_err(bad_data(path))?.progress);
    }
    Ok(out)
}

/// Every stored card, read through `conn`.
pub(super) fn all_cards(conn: &Connection, path: &Path) -> Result<Vec<CardRecord>, StoreError> {
    query_cards(
        conn,
        path,
        &format!("SELECT {CARD_COLUMNS} FROM {CARD_FROM}"),
        [],
    )
}

pub(super) fn query_cards(
    conn: &Connection,
    path: &Path,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<CardRecord>, StoreError> {
    let err = sql_err(path);
    let mut stmt = conn.prepare_cached(sql).map_err(&err)?;
    let rows = stmt.query_map(params, RawCard::from_row).map_err(&err)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row.map_err(&err)?.check().map_err(bad_data(path))?);
    }
    Ok(out)
}
