//! The review log (`review`): writing an answer as numbers, reading it back with the card's
//! schedule before and after, and taking one back.
//!
//! A row keeps the schedule *after* an srs answer. The schedule *before* is the card's previous
//! srs answer's after-state, except where something outside the log changed the card in
//! between (a reset, new FSRS parameters, progress stored before the first answer): then the
//! row has the `EXPLICIT_BEFORE` bit and the state before is its `review_before` row (no row:
//! the card had no stored progress).

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{CachedStatement, Connection, ErrorCode, OptionalExtension, Row, Statement, params};

use super::batch::values_sql;
use super::cards::{bad_data, delete_progress, put_card, read_progress, sql_err};
use super::resets::{reset_mark, reset_marks, state_at_mark};
use super::rows::{
    AfterColumns, IS_SRS, Kind, after_columns, after_state, first_id, ms, random_id, review_id_ms,
    state_code, state_of, time,
};
use super::{CardProgress, Mode, ReviewRecord, StoreError, Undone};
use crate::schedule::CardState;

/// The review columns as [`RawReview::from_row`] reads them.
pub(super) const REVIEW_COLUMNS: &str = "r.id, d.id, c.id, r.card, r.kind, r.response_ms, \
    r.answer, r.step, r.stability, r.difficulty, r.due, r.reps, r.lapses, r.last";

/// `FROM` the review log with its card's and deck's ids (aliases `r`, `c`, `d`).
pub(super) const REVIEW_FROM: &str =
    "review r JOIN card c ON c.key = r.card JOIN deck d ON d.key = c.deck";

/// A review to write.
pub(super) struct NewRow<'a> {
    pub card: i64,
    pub at_ms: i64,
    /// Rating, mode, correct and (srs) the states' kinds and leech bits; the id-independent
    /// bits (explicit before, no last review) are set here.
    pub kind: Kind,
    pub response_ms: u64,
    pub answer: Option<&'a str>,
    pub after: Option<CardState>,
    pub before: Before,
}

/// Where an srs answer's state before comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Before {
    /// The card's previous srs answer's state after (or none, for its first answer).
    Implied,
    /// Not that: written out (`None`: the card had no stored progress).
    Explicit(Option<CardState>),
}

/// How a new review gets its id.
#[derive(Debug, Clone, Copy)]
pub(super) enum IdChoice {
    /// Random low bits (a live answer), but never below `floor`.
    Random { floor: i64 },
    /// This id; when taken, the next free one in the same millisecond (keeps a card's order).
    Given(i64),
}

pub(super) fn is_taken(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.code == ErrorCode::ConstraintViolation
            && f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}

/// The error for an answer time a review id cannot hold.
pub(super) fn bad_time(path: &Path, what: &str, at_ms: i64) -> StoreError {
    StoreError::Invalid(format!(
        "{}: {what}: the answer time {at_ms} ms is not between 1970 and 2248",
        path.display()
    ))
}

/// The smallest id a live answer to `card` at `at_ms` may take, so that the log keeps the order
/// answers were given in: after every answer in the same millisecond, and after the card's
/// latest answer (when the clock went back, the answer takes that answer's time).
pub(super) fn live_floor(conn: &Connection, card: i64, at_ms: i64) -> rusqlite::Result<i64> {
    let same_ms: Option<i64> = conn
        .prepare_cached("SELECT max(id) FROM review WHERE id BETWEEN ?1 AND ?2")?
        .query_row([first_id(at_ms), first_id(at_ms + 1) - 1], |r| r.get(0))?;
    let card_max: Option<i64> = conn
        .prepare_cached("SELECT max(id) FROM review WHERE card = ?1")?
        .query_row([card], |r| r.get(0))?;
    Ok(same_ms.max(card_max).map_or(i64::MIN, |m| m + 1))
}

/// Writes `row`; returns its id.
pub(super) fn insert_review(
    conn: &Connection,
    path: &Path,
    row: &NewRow<'_>,
    choice: IdChoice,
) -> Result<i64, StoreError> {
    let mut stmt = insert_statement(conn).map_err(sql_err(path))?;
    insert_review_with(&mut stmt, conn, path, row, choice)
}

/// `INSERT INTO review` with its twelve columns, before the values ([`review_values`]'s order).
const INSERT_REVIEW: &str = "INSERT INTO review (id, card, kind, response_ms, answer, step, \
    stability, difficulty, due, reps, lapses, last) VALUES";

/// The statement [`insert_review_with`] runs, for a caller writing many reviews.
pub(super) fn insert_statement(conn: &Connection) -> rusqlite::Result<CachedStatement<'_>> {
    conn.prepare_cached(&values_sql(INSERT_REVIEW, 12, 1))
}

/// How many reviews [`insert_many`] writes with one statement: one statement for many rows
/// keeps SQLite's cursor at the end of the log between them (appending in id order needs no
/// search from the root for each row), and binds stay far below SQLite's limit (32,766).
const ROWS_PER_INSERT: usize = 64;

/// The twelve review columns of `row` with id `id`, in [`insert_statement`]'s order.
pub(super) fn review_values(row: &NewRow<'_>, id: i64) -> [Option<i64>; 12] {
    let mut kind = row.kind;
    kind.explicit_before = matches!(row.before, Before::Explicit(_));
    let after = row.after.as_ref().map(|s| {
        let (cols, no_last) = after_columns(s, review_id_ms(id));
        kind.no_last_review = no_last;
        cols
    });
    let a = after.as_ref();
    [
        Some(id),
        Some(row.card),
        Some(kind.pack()),
        Some(i64::try_from(row.response_ms).unwrap_or(i64::MAX)),
        None,
        a.and_then(|c| c.step),
        a.and_then(|c| c.stability),
        a.and_then(|c| c.difficulty),
        a.map(|c| c.due),
        a.map(|c| c.reps),
        a.map(|c| c.lapses),
        a.and_then(|c| c.last),
    ]
}

/// Binds one review's `values` (from [`review_values`]) and its answer text to `stmt` from
/// placeholder `first` on.
pub(super) fn bind_review(
    stmt: &mut Statement<'_>,
    first: usize,
    values: &[Option<i64>; 12],
    answer: Option<&str>,
) -> rusqlite::Result<()> {
    for (j, v) in values.iter().enumerate() {
        if j == 4 {
            stmt.raw_bind_parameter(first + j, answer)?;
        } else {
            stmt.raw_bind_parameter(first + j, v)?;
        }
    }
    Ok(())
}

/// Writes many reviews given as their column values ([`review_values`]: ids given, states
/// before implied) and answer texts, in the order given (id order appends to the log). A batch
/// that meets an id already taken is written row by row, each such review taking the next free
/// id in its millisecond, as [`IdChoice::Given`] does.
pub(super) fn insert_values_many<'a>(
    conn: &Connection,
    path: &Path,
    rows: &mut dyn Iterator<Item = ([Option<i64>; 12], Option<&'a str>)>,
) -> Result<(), StoreError> {
    let err = sql_err(path);
    let mut one = insert_statement(conn).map_err(&err)?;
    let mut many = conn
        .prepare_cached(&values_sql(INSERT_REVIEW, 12, ROWS_PER_INSERT))
        .map_err(&err)?;
    let mut batch: Vec<([Option<i64>; 12], Option<&'a str>)> = Vec::with_capacity(ROWS_PER_INSERT);
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        batch.clear();
        batch.extend(rows.by_ref().take(ROWS_PER_INSERT));
        let written = batch.len() == ROWS_PER_INSERT && {
            for (i, (values, answer)) in batch.iter().enumerate() {
                bind_review(&mut many, i * 12 + 1, values, *answer).map_err(&err)?;
            }
            match many.raw_execute() {
                Ok(_) => true,
                Err(e) if is_taken(&e) => false,
                Err(e) => return Err(err(e)),
            }
        };
        if !written {
            for (values, answer) in &mut batch {
                insert_given(&mut one, path, values, *answer)?;
            }
        }
    }
    Ok(())
}

/// Writes one row's `values` through `stmt` ([`insert_statement`]); when its id is taken, with
/// the next free id in the id's millisecond (the values do not depend on the id within it).
fn insert_given(
    stmt: &mut Statement<'_>,
    path: &Path,
    values: &mut [Option<i64>; 12],
    answer: Option<&str>,
) -> Result<(), StoreError> {
    let err = sql_err(path);
    let mut id = values[0].unwrap_or_default();
    let at_ms = review_id_ms(id);
    for _ in 0..64 {
        values[0] = Some(id);
        bind_review(stmt, 1, values, answer).map_err(&err)?;
        match stmt.raw_execute() {
            Ok(_) => return Ok(()),
            Err(e) if is_taken(&e) => {
                id = if review_id_ms(id + 1) == at_ms {
                    Some(id + 1)
                } else {
                    random_id(at_ms)
                }
                .ok_or_else(|| bad_time(path, "review", at_ms))?;
            }
            Err(e) => return Err(err(e)),
        }
    }
    Err(StoreError::Invalid(format!(
        "{}: no free review id in the millisecond {at_ms}",
        path.display()
    )))
}

/// [`insert_review`] through `stmt` (from [`insert_statement`]).
pub(super) fn insert_review_with(
    stmt: &mut Statement<'_>,
    conn: &Connection,
    path: &Path,
    row: &NewRow<'_>,
    choice: IdChoice,
) -> Result<i64, StoreError> {
    let id = insert_row(stmt, path, row, choice, "review")?;
    if let Before::Explicit(Some(before)) = &row.before {
        write_before(conn, id, before).map_err(sql_err(path))?;
    }
    Ok(id)
}

/// Writes `row` through `stmt`, an insert whose first twelve placeholders are the review
/// columns in [`review_values`]'s order (the teacher's log: [`insert_statement`]; a student's
/// log binds its further columns before), with an id chosen by `choice`: when the id is taken,
/// the next one (a given id, within its millisecond; the floor) or another random one, never
/// below the floor. Returns the id; `what` names the row in errors.
pub(super) fn insert_row(
    stmt: &mut Statement<'_>,
    path: &Path,
    row: &NewRow<'_>,
    choice: IdChoice,
    what: &str,
) -> Result<i64, StoreError> {
    let err = sql_err(path);
    // A random id at or above the floor, in the answer's millisecond, or in the floor's when
    // the floor is past it (the clock went back, or the millisecond is full above the card's
    // latest answer).
    let random = |floor: i64| {
        let at = row.at_ms.max(review_id_ms(floor));
        let id = random_id(at)?;
        let (start, end) = (first_id(at).max(floor), first_id(at + 1) - 1);
        Some(if id >= start {
            id
        } else {
            start + (id - first_id(at)) % (end - start + 1)
        })
    };
    let mut floor = match choice {
        IdChoice::Random { floor } => floor,
        IdChoice::Given(_) => i64::MIN,
    };
    let mut id = match choice {
        IdChoice::Random { .. } => random(floor),
        IdChoice::Given(id) => Some(id),
    }
    .ok_or_else(|| bad_time(path, what, row.at_ms))?;
    for _ in 0..64 {
        // Relative to the id's time, which a floor may have moved past the answer's.
        bind_review(stmt, 1, &review_values(row, id), row.answer).map_err(&err)?;
        match stmt.raw_execute() {
            Ok(_) => return Ok(id),
            Err(e) if is_taken(&e) => {
                id = match choice {
                    IdChoice::Given(_) if review_id_ms(id + 1) == row.at_ms => Some(id + 1),
                    IdChoice::Given(_) => random_id(row.at_ms),
                    // Taken: the next one, or another random one above it.
                    IdChoice::Random { .. } if id == floor => Some(id + 1),
                    IdChoice::Random { .. } => {
                        floor = floor.max(id + 1);
                        random(floor)
                    }
                }
                .ok_or_else(|| bad_time(path, what, row.at_ms))?;
            }
            Err(e) => return Err(err(e)),
        }
    }
    Err(StoreError::Invalid(format!(
        "{}: no free {what} id in the millisecond {}",
        path.display(),
        row.at_ms
    )))
}

fn write_before(conn: &Connection, id: i64, s: &CardState) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO review_before (id, state, step, stability, difficulty, due, \
         last_review, reps, lapses) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        id,
        state_code(s.state),
        s.step,
        s.stability.map(f64::from),
        s.difficulty.map(f64::from),
        ms(s.due),
        s.last_review.map(ms),
        s.reps,
        s.lapses,
    ])?;
    Ok(())
}

fn read_before(conn: &Connection, path: &Path, id: i64) -> Result<Option<CardState>, StoreError> {
    type Raw = (
        i64,
        Option<i64>,
        Option<f64>,
        Option<f64>,
        i64,
        Option<i64>,
        i64,
        i64,
    );
    let raw: Option<Raw> = conn
        .prepare_cached(
            "SELECT state, step, stability, difficulty, due, last_review, reps, lapses \
             FROM review_before WHERE id = ?1",
        )
        .and_then(|mut s| {
            s.query_row([id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            })
            .optional()
        })
        .map_err(sql_err(path))?;
    let Some((state, step, stability, difficulty, due, last, reps, lapses)) = raw else {
        return Ok(None);
    };
    let place = |what: String| format!("review_before row {id}: {what}");
    let count = |v: i64| u32::try_from(v).map_err(|_| place(format!("{v} is out of range")));
    let t = |v: i64| time(v).ok_or_else(|| place(format!("bad time {v}")));
    let checked = (|| {
        #[allow(
            clippy::cast_possible_truncation,
            reason = "the store writes these REALs from f32 values"
        )]
        Ok::<_, String>(CardState {
            state: state_of(state).ok_or_else(|| place(format!("unknown state {state}")))?,
            step: step.map(count).transpose()?,
            stability: stability.map(|v| v as f32),
            difficulty: difficulty.map(|v| v as f32),
            due: t(due)?,
            last_review: last.map(t).transpose()?,
            reps: count(reps)?,
            lapses: count(lapses)?,
        })
    })();
    checked.map(Some).map_err(bad_data(path))
}

/// A raw review row, before its values are checked.
pub(super) struct RawReview {
    id: i64,
    deck_id: String,
    card_id: String,
    card: i64,
    kind: i64,
    response_ms: i64,
    answer: Option<String>,
    step: Option<i64>,
    stability: Option<i64>,
    difficulty: Option<i64>,
    due: Option<i64>,
    reps: Option<i64>,
    lapses: Option<i64>,
    last: Option<i64>,
}

/// A checked review, its card key and its unpacked kind; `record.state_before` is not filled
/// yet (see [`Befores`]).
pub(super) struct Checked {
    pub record: ReviewRecord,
    pub card: i64,
    pub kind: Kind,
}

impl RawReview {
    pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Self::read(r, r.get(1)?, r.get(2)?, 2)
    }

    /// Reads `id` (column 0) and the columns from `card` on, which start at `at + 1`.
    fn read(r: &Row<'_>, deck_id: String, card_id: String, at: usize) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            deck_id,
            card_id,
            card: r.get(at + 1)?,
            kind: r.get(at + 2)?,
            response_ms: r.get(at + 3)?,
            answer: r.get(at + 4)?,
            step: r.get(at + 5)?,
            stability: r.get(at + 6)?,
            difficulty: r.get(at + 7)?,
            due: r.get(at + 8)?,
            reps: r.get(at + 9)?,
            lapses: r.get(at + 10)?,
            last: r.get(at + 11)?,
        })
    }

    pub(super) fn check(self) -> Result<Checked, String> {
        let place = |what: &str| format!("review {}: {what}", self.id);
        let at_ms = review_id_ms(self.id);
        let at = time(at_ms).ok_or_else(|| place(&format!("bad time {at_ms}")))?;
        let kind = Kind::unpack(self.kind).map_err(|e| place(&e))?;
        let state_after = if kind.mode == Mode::Srs {
            let need = |v: Option<i64>, what: &str| v.ok_or_else(|| place(&format!("no {what}")));
            let cols = AfterColumns {
                step: self.step,
                stability: self.stability,
                difficulty: self.difficulty,
                due: need(self.due, "due")?,
                reps: need(self.reps, "reps")?,
                lapses: need(self.lapses, "lapses")?,
                last: self.last,
            };
            Some(after_state(&kind, &cols, at_ms).map_err(|e| place(&e))?)
        } else {
            None
        };
        Ok(Checked {
            record: ReviewRecord {
                id: self.id,
                deck_id: self.deck_id,
                card_id: self.card_id,
                at,
                rating: kind.rating,
                mode: kind.mode,
                answer_given: self.answer,
                correct: kind.correct,
                response_ms: u64::try_from(self.response_ms)
                    .map_err(|_| place(&format!("response_ms {} is negative", self.response_ms)))?,
                state_before: None,
                state_after,
            },
            card: self.card,
            kind,
        })
    }
}

/// Fills in the state before of srs reviews read in id order, remembering each card's latest
/// after-state on the way.
pub(super) struct Befores {
    /// Each card's latest srs review seen: its id and after-state.
    known: HashMap<i64, (i64, Option<CardState>)>,
    /// The reviews come from the start of the log: a card not seen yet has no answer before.
    from_start: bool,
    /// The cards' reset marks, read at the first srs review.
    marks: Option<HashMap<i64, i64>>,
}

impl Befores {
    pub(super) fn new(from_start: bool) -> Self {
        Self {
            known: HashMap::new(),
            from_start,
            marks: None,
        }
    }

    /// The reset mark of `card` if it lies between review ids `after_id` (exclusive; `None`:
    /// the start) and `id`: the state before `id` is then a new card at the mark.
    fn mark_between(
        &mut self,
        conn: &Connection,
        path: &Path,
        card: i64,
        (after_id, id): (Option<i64>, i64),
    ) -> Result<Option<i64>, StoreError> {
        if self.marks.is_none() {
            self.marks = Some(reset_marks(conn).map_err(sql_err(path))?);
        }
        Ok(self
            .marks
            .as_ref()
            .and_then(|m| m.get(&card).copied())
            .filter(|&m| m <= review_id_ms(id) && after_id.is_none_or(|a| review_id_ms(a) < m)))
    }

    pub(super) fn fill(
        &mut self,
        conn: &Connection,
        path: &Path,
        c: &mut Checked,
    ) -> Result<(), StoreError> {
        if c.kind.mode != Mode::Srs {
            return Ok(());
        }
        let id = c.record.id;
        c.record.state_before = if c.kind.explicit_before {
            read_before(conn, path, id)?
        } else if let Some(&(known_id, known)) = self.known.get(&c.card) {
            match self.mark_between(conn, path, c.card, (Some(known_id), id))? {
                Some(mark) => Some(state_at_mark(mark)),
                None => known,
            }
        } else if self.from_start {
            self.mark_between(conn, path, c.card, (None, id))?
                .map(state_at_mark)
        } else {
            previous_after(conn, path, c.card, id)?
        };
        self.known.insert(c.card, (id, c.record.state_after));
        Ok(())
    }
}

/// The after-state of card `card`'s latest srs answer before review id `before_id` — after the
/// card's reset mark, if it has one before `before_id` (none: a new card at the mark).
pub(super) fn previous_after(
    conn: &Connection,
    path: &Path,
    card: i64,
    before_id: i64,
) -> Result<Option<CardState>, StoreError> {
    let mark = reset_mark(conn, card)
        .map_err(sql_err(path))?
        .filter(|&m| m <= review_id_ms(before_id));
    // One table (see `cards::card_key`).
    let raw = conn
        .prepare_cached(&format!(
            "SELECT id, card, kind, response_ms, answer, step, stability, difficulty, due, reps, \
             lapses, last FROM review \
             WHERE card = ?1 AND id < ?2 AND id >= ?3 AND {IS_SRS} ORDER BY id DESC LIMIT 1"
        ))
        .and_then(|mut s| {
            s.query_row([card, before_id, mark.map_or(i64::MIN, first_id)], |r| {
                RawReview::read(r, String::new(), format!("(card key {card})"), 0)
            })
            .optional()
        })
        .map_err(sql_err(path))?;
    Ok(match raw {
        Some(raw) => raw.check().map_err(bad_data(path))?.record.state_after,
        None => mark.map(state_at_mark),
    })
}

/// Runs `sql` (selecting [`REVIEW_COLUMNS`] in id order) and calls `each` with every review,
/// its state before filled in. `from_start`: the query starts at the beginning of the log.
pub(super) fn query_reviews(
    conn: &Connection,
    path: &Path,
    sql: &str,
    params: impl rusqlite::Params,
    from_start: bool,
    mut each: impl FnMut(ReviewRecord),
) -> Result<(), StoreError> {
    let err = sql_err(path);
    let mut stmt = conn.prepare_cached(sql).map_err(&err)?;
    let rows = stmt.query_map(params, RawReview::from_row).map_err(&err)?;
    let mut befores = Befores::new(from_start);
    for row in rows {
        let mut c = row.map_err(&err)?.check().map_err(bad_data(path))?;
        befores.fill(conn, path, &mut c)?;
        each(c.record);
    }
    Ok(())
}

/// Takes back one answer inside the transaction `conn` (see [`super::Store::undo_answer`]).
pub(super) fn undo_in(
    conn: &Connection,
    path: &Path,
    review_id: i64,
) -> Result<Undone, StoreError> {
    let err = sql_err(path);
    let raw = conn
        .prepare_cached(&format!(
            "SELECT {REVIEW_COLUMNS} FROM {REVIEW_FROM} WHERE r.id = ?1"
        ))
        .and_then(|mut s| s.query_row([review_id], RawReview::from_row).optional())
        .map_err(&err)?;
    let Some(raw) = raw else {
        return Err(StoreError::NoSuchReview {
            path: path.to_path_buf(),
            id: review_id,
        });
    };
    let mut c = raw.check().map_err(bad_data(path))?;
    Befores::new(false).fill(conn, path, &mut c)?;
    let restored = if c.kind.mode == Mode::Srs {
        let later: Option<i64> = conn
            .prepare_cached(&format!(
                "SELECT id FROM review WHERE card = ?1 AND id > ?2 AND {IS_SRS} \
                 ORDER BY id DESC LIMIT 1"
            ))
            .and_then(|mut s| s.query_row([c.card, review_id], |r| r.get(0)).optional())
            .map_err(&err)?;
        if let Some(later) = later {
            return Err(StoreError::NotLatest {
                path: path.to_path_buf(),
                id: review_id,
                later,
                deck_id: c.record.deck_id,
                card_id: c.record.card_id,
            });
        }
        let now = read_progress(conn, path, c.card)?;
        let restored = c.record.state_before.map(|before| {
            let mut p = now.map_or_else(
                || CardProgress::from_state(before),
                |n| CardProgress { card: before, ..n },
            );
            if c.kind.made_leech {
                p.leech = false;
            }
            if c.kind.made_suspended {
                p.suspended = false;
            }
            p
        });
        match &restored {
            Some(p) => put_card(conn, &c.record.deck_id, &c.record.card_id, p),
            None => delete_progress(conn, c.card),
        }
        .map_err(&err)?;
        restored
    } else {
        read_progress(conn, path, c.card)?
    };
    conn.prepare_cached("DELETE FROM review WHERE id = ?1")
        .and_then(|mut s| s.execute([review_id]))
        .map_err(&err)?;
    conn.prepare_cached("DELETE FROM review_before WHERE id = ?1")
        .and_then(|mut s| s.execute([review_id]))
        .map_err(&err)?;
    Ok(Undone {
        review: c.record,
        restored,
    })
}
