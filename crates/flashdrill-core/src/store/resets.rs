//! Card resets: "forget this card", and a deck deleted with its progress, as a mark in time.
//!
//! A reset makes a card new again, but its answers stay in the review log (statistics and the
//! optimizer still read them). So that a replay of the card's history — a sync merging another
//! computer's answers, "reschedule on change", undoing an answer — does not bring the forgotten
//! progress back, the card keeps a **reset mark**: the time of its latest reset. Replay starts
//! from a new card at the mark; the answers before it are history. The mark is a
//! last-writer-wins item of sync (`reset:<deck>\u{1f}<card>`, see [`super::sync`]), so a reset
//! made on one computer reaches the others, and so does its undo.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::answers::begin;
use super::cards::{card_key, put_card, read_progress, sql_err};
use super::rows::{ms, time};
use super::{CardProgress, Store, StoreError};
use crate::schedule::CardState;

/// The table and triggers of schema 7.
pub(super) const CREATE: &str = "
    -- When each card was last made new again (reset, or its deck deleted with its progress), in
    -- ms since the Unix epoch. Its answers before stay in the log; replay starts after the mark.
    CREATE TABLE card_reset (
        card INTEGER PRIMARY KEY,                   -- card.key
        at   INTEGER NOT NULL
    );
    CREATE TRIGGER sync_reset_written AFTER INSERT ON card_reset
    WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'device')
    BEGIN
        INSERT OR REPLACE INTO sync_touch (key, at) VALUES ('reset:' || new.card, new.at);
    END;
    CREATE TRIGGER sync_reset_changed AFTER UPDATE ON card_reset
    WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'device') AND old.at IS NOT new.at
    BEGIN
        INSERT OR REPLACE INTO sync_touch (key, at)
            VALUES ('reset:' || new.card, CAST(unixepoch('subsec') * 1000 AS INTEGER));
    END;
    CREATE TRIGGER sync_reset_removed AFTER DELETE ON card_reset
    WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'device')
    BEGIN
        INSERT OR REPLACE INTO sync_touch (key, at)
            VALUES ('reset:' || old.card, CAST(unixepoch('subsec') * 1000 AS INTEGER));
    END;
";

/// What a card was before a reset: its progress and its reset mark (ms). The undo puts both
/// back ([`Store::restore_resets`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BeforeReset {
    pub progress: Option<CardProgress>,
    pub mark: Option<i64>,
}

/// A card's reset mark (ms), if it was ever reset.
pub(super) fn reset_mark(conn: &Connection, card: i64) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT at FROM card_reset WHERE card = ?1")?
        .query_row([card], |r| r.get(0))
        .optional()
}

/// Every card's reset mark, by card key (few: resets are rare).
pub(super) fn reset_marks(conn: &Connection) -> rusqlite::Result<HashMap<i64, i64>> {
    conn.prepare_cached("SELECT card, at FROM card_reset")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// Sets (`Some`) or removes (`None`) a card's reset mark. (An update, else an insert: an
/// upsert's conflict clause would override the `OR REPLACE` of the sync triggers it fires.)
pub(super) fn set_reset_mark(
    conn: &Connection,
    card: i64,
    mark: Option<i64>,
) -> rusqlite::Result<()> {
    match mark {
        Some(at) => {
            let updated = conn
                .prepare_cached("UPDATE card_reset SET at = ?2 WHERE card = ?1")?
                .execute(params![card, at])?;
            if updated == 0 {
                conn.prepare_cached("INSERT INTO card_reset (card, at) VALUES (?1, ?2)")?
                    .execute(params![card, at])?;
            }
        }
        None => {
            conn.prepare_cached("DELETE FROM card_reset WHERE card = ?1")?
                .execute([card])?;
        }
    }
    Ok(())
}

/// The state a card replays from at its reset mark `mark` (ms): a new card then.
pub(super) fn state_at_mark(mark: i64) -> CardState {
    CardState::new_card(time(mark).unwrap_or_default())
}

impl Store {
    /// Makes the cards `keys` new again, their flags cleared, in one transaction, and marks
    /// when (see the module docs): their past answers stay in the log, and a replay of their
    /// history starts after the mark. A card never studied nor flagged is left as it is.
    /// Returns, per card, what it was before (for [`Store::restore_resets`]) and its progress
    /// after (`None`: left as it was).
    pub fn reset_cards(
        &mut self,
        keys: &[(&str, &str)],
        now: DateTime<Utc>,
    ) -> Result<Vec<(BeforeReset, Option<CardProgress>)>, StoreError> {
        let Self { conn, path, .. } = self;
        let err = sql_err(path);
        let tx = begin(conn, path)?;
        let fresh = CardProgress::new_card(now).truncated();
        let mut out = Vec::with_capacity(keys.len());
        for (deck_id, card_id) in keys {
            let Some((_, card)) = card_key(&tx, deck_id, card_id).map_err(&err)? else {
                out.push((
                    BeforeReset {
                        progress: None,
                        mark: None,
                    },
                    None,
                ));
                continue;
            };
            let before = BeforeReset {
                progress: read_progress(&tx, path, card)?,
                mark: reset_mark(&tx, card).map_err(&err)?,
            };
            if before.progress.is_none() {
                out.push((before, None));
                continue;
            }
            put_card(&tx, deck_id, card_id, &fresh).map_err(&err)?;
            set_reset_mark(&tx, card, Some(ms(now))).map_err(&err)?;
            out.push((before, Some(fresh)));
        }
        drop(err);
        tx.commit().map_err(sql_err(path))?;
        Ok(out)
    }

    /// Puts cards' progress (`None`: no stored progress) and reset marks back exactly, in one
    /// transaction: the undo of [`Store::reset_cards`].
    pub fn restore_resets(
        &mut self,
        cards: &[(&str, &str, BeforeReset)],
    ) -> Result<(), StoreError> {
        let Self { conn, path, .. } = self;
        let err = sql_err(path);
        let tx = begin(conn, path)?;
        for (deck_id, card_id, before) in cards {
            let Some((_, card)) = card_key(&tx, deck_id, card_id).map_err(&err)? else {
                continue;
            };
            match &before.progress {
                Some(p) => put_card(&tx, deck_id, card_id, &p.truncated()),
                None => super::cards::delete_progress(&tx, card),
            }
            .map_err(&err)?;
            set_reset_mark(&tx, card, before.mark).map_err(&err)?;
        }
        drop(err);
        tx.commit().map_err(sql_err(path))
    }

    /// A card's reset mark, if it was ever reset (see the module docs).
    pub fn card_reset_at(
        &self,
        deck_id: &str,
        card_id: &str,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let err = sql_err(&self.path);
        let Some((_, card)) = card_key(&self.conn, deck_id, card_id).map_err(&err)? else {
            return Ok(None);
        };
        Ok(reset_mark(&self.conn, card).map_err(&err)?.and_then(time))
    }
}
