//! What exam dates, deck options and load balancing read and write: the cards due on each day,
//! and each deck's own options, kept in the `settings` table under keys of their own
//! (`exam:<deck>`, `deck_retention:<deck>`; a profile's settings ignore keys they do not know).

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::CardProgress;
use super::answers::begin;
use super::cards::{card_key, delete_progress, put_card, read_card, sql_err};
use super::{Store, StoreError};
use crate::plan::{DeckOptions, EXAM_KEY, Exam, RETENTION_KEY};
use crate::schedule::StudyDays;

/// `State::Review` as the progress table stores it.
const REVIEW_STATE: i64 = 2;

impl Store {
    /// How many cards in review are due on each study day of `first..=last` (suspended ones
    /// too: the load balancer counts what answering made, not what the learner will see).
    pub fn due_per_day(
        &self,
        days: StudyDays,
        first: i64,
        last: i64,
    ) -> Result<Vec<u32>, StoreError> {
        let len = usize::try_from(last - first + 1).unwrap_or(0);
        let mut out = vec![0u32; len];
        if len == 0 {
            return Ok(out);
        }
        let err = sql_err(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT due FROM progress INDEXED BY progress_due \
                 WHERE state = ?1 AND due >= ?2 AND due < ?3",
            )
            .map_err(&err)?;
        let from = days.start_of(first).timestamp_millis();
        let to = days.start_of(last + 1).timestamp_millis();
        let rows = stmt
            .query_map(params![REVIEW_STATE, from, to], |r| r.get::<_, i64>(0))
            .map_err(&err)?;
        for due in rows {
            let due = due.map_err(&err)?;
            if let Some(at) = DateTime::<Utc>::from_timestamp_millis(due) {
                let day = days.day_of(at) - first;
                if let Some(slot) = usize::try_from(day).ok().and_then(|d| out.get_mut(d)) {
                    *slot += 1;
                }
            }
        }
        Ok(out)
    }

    /// Every deck's own options: exams and desired retentions. A stored value that no longer
    /// reads is left out (as a profile setting that no longer parses keeps its default).
    pub fn deck_options(&self) -> Result<DeckOptions, StoreError> {
        let err = sql_err(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT key, value FROM settings WHERE key >= 'deck_retention:' AND key < 'deck_retention;' \
                 OR key >= 'exam:' AND key < 'exam;'",
            )
            .map_err(&err)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(&err)?;
        let mut options = DeckOptions::default();
        for row in rows {
            let (key, value) = row.map_err(&err)?;
            if let Some(deck) = key.strip_prefix(EXAM_KEY) {
                if let Some(exam) = Exam::from_stored(deck, &value) {
                    options.exams.insert(deck.to_owned(), exam);
                }
            } else if let Some(deck) = key.strip_prefix(RETENTION_KEY)
                && let Ok(r) = value.trim().parse::<f32>()
                && crate::plan::retention_allowed(r)
            {
                options.retention.insert(deck.to_owned(), r);
            }
        }
        Ok(options)
    }

    /// The exam set on `deck_id`, if any (and readable).
    pub fn exam(&self, deck_id: &str) -> Result<Option<Exam>, StoreError> {
        Ok(self
            .setting_row(&format!("{EXAM_KEY}{deck_id}"))?
            .and_then(|v| Exam::from_stored(deck_id, &v)))
    }

    /// In ONE transaction: writes (or with `None` removes) settings-table `rows` and moves
    /// each card of `moves` to its new due date. Returns what the rows and cards were before,
    /// for [`Store::restore_rows`].
    #[allow(clippy::type_complexity)] // Two lists of "before", as the caller hands them back.
    pub fn write_plan(
        &mut self,
        rows: &[(&str, Option<&str>)],
        moves: &[(&str, &str, DateTime<Utc>)],
    ) -> Result<(Vec<Option<String>>, Vec<Option<CardProgress>>), StoreError> {
        let Self { conn, path, .. } = self;
        let err = sql_err(path);
        let tx = begin(conn, path)?;
        let mut rows_before = Vec::with_capacity(rows.len());
        for (key, value) in rows {
            rows_before.push(
                tx.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                    r.get(0)
                })
                .optional()
                .map_err(&err)?,
            );
            write_row(&tx, key, *value).map_err(&err)?;
        }
        let mut cards_before = Vec::with_capacity(moves.len());
        for (deck_id, card_id, due) in moves {
            let before = read_card(&tx, path, deck_id, card_id)?;
            if let Some(mut p) = before {
                p.card.due = *due;
                put_card(&tx, deck_id, card_id, &p.truncated()).map_err(&err)?;
            }
            cards_before.push(before);
        }
        tx.commit().map_err(&err)?;
        Ok((rows_before, cards_before))
    }

    /// Puts settings-table rows and cards' progress back as [`Store::write_plan`] found them,
    /// in ONE transaction.
    pub fn restore_rows(
        &mut self,
        rows: &[(&str, Option<&str>)],
        cards: &[(&str, &str, Option<CardProgress>)],
    ) -> Result<(), StoreError> {
        let Self { conn, path, .. } = self;
        let err = sql_err(path);
        let tx = begin(conn, path)?;
        for (key, value) in rows {
            write_row(&tx, key, *value).map_err(&err)?;
        }
        for (deck_id, card_id, progress) in cards {
            match progress {
                Some(p) => put_card(&tx, deck_id, card_id, &p.truncated()),
                None => match card_key(&tx, deck_id, card_id) {
                    Ok(Some((_, card))) => delete_progress(&tx, card),
                    other => other.map(|_| ()),
                },
            }
            .map_err(&err)?;
        }
        tx.commit().map_err(&err)
    }

    /// One row of the settings table, as stored.
    pub(crate) fn setting_row(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sql_err(&self.path))
    }
}

fn write_row(conn: &rusqlite::Connection, key: &str, value: Option<&str>) -> rusqlite::Result<()> {
    match value {
        Some(v) => conn
            .prepare_cached("INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)")?
            .execute(params![key, v]),
        None => conn
            .prepare_cached("DELETE FROM settings WHERE key = ?1")?
            .execute([key]),
    }
    .map(|_| ())
}

/// The cards due per day as the store has them, leaving out the card being answered (due at
/// `except` when it is in review): what live answers balance by.
pub struct StoreLoad<'a> {
    pub store: &'a Store,
    pub days: StudyDays,
    pub except: Option<DateTime<Utc>>,
}

impl crate::schedule::DueLoad for StoreLoad<'_> {
    fn due_on(&self, first: i64, last: i64) -> Vec<u32> {
        // Should the store fail to answer, the days count as empty: the pick is then the
        // plain fuzz's, never a failed answer.
        let mut counts = self
            .store
            .due_per_day(self.days, first, last)
            .unwrap_or_else(|_| vec![0; usize::try_from(last - first + 1).unwrap_or(0)]);
        if let Some(at) = self.except
            && let Some(n) = usize::try_from(self.days.day_of(at) - first)
                .ok()
                .and_then(|d| counts.get_mut(d))
        {
            *n = n.saturating_sub(1);
        }
        counts
    }
}
