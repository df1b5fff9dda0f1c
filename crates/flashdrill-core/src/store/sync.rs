//! The store's side of sync through a shared folder ([`crate::sync`]): this device's identity
//! and clock, what it has still to write out, the last-writer-wins items it knows, the files
//! it has read, and the merges (reviews in, reviews taken back, items) in transactions.
//!
//! Changes are noticed by triggers, in the same transaction as the change, whatever wrote it
//! (a collection operation, the command line, an import): a review added goes to the outbox;
//! a review deleted (undo) becomes a retraction when it had already been written out; a
//! setting or a card's suspended/buried flags changed leaves the time of the change, which
//! stamps it at the next sync. The triggers do nothing until the profile first syncs.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, params};

use super::answers::begin;
use super::cards::{card_key, ensure_card, put_progress, read_progress, sql_err};
use super::export::ImportError;
use super::import::{Incoming, IncomingReview, rebuild_in, write_staged};
use super::resets::{reset_mark, set_reset_mark, state_at_mark};
use super::rows::{Kind, review_id_ms, time};
use super::{CardProgress, Staged, Store, StoreError};
use crate::plan::ScheduleRules;
use crate::schedule::Scheduler;
use crate::settings::Settings;
use crate::sync::format::{Item, SegmentBody, Stamp, WireReview};

/// The tables and triggers of schema 5.
pub(super) const CREATE: &str = "
    -- This device's id, name, clock, folder and progress through its first export.
    CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    -- Last-writer-wins items as this device knows them (see sync/format.rs).
    CREATE TABLE sync_item (
        key   TEXT PRIMARY KEY,
        value TEXT,                                 -- NULL: deleted
        stamp TEXT NOT NULL,                        -- wall:counter:device
        base  TEXT                                  -- the stamp of the version it replaced
    ) WITHOUT ROWID;
    -- When a setting ('setting:<key>') or a card's flags ('card:<card key>') last changed.
    CREATE TABLE sync_touch (key TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
    -- Reviews made here and not yet written to a segment.
    CREATE TABLE sync_outbox (id INTEGER PRIMARY KEY);
    -- Reviews taken back: by this device (mine = 1; sent once written out) or by another.
    CREATE TABLE sync_retraction (
        id   INTEGER PRIMARY KEY,
        mine INTEGER NOT NULL,
        sent INTEGER NOT NULL
    );
    -- The files of other devices read already ('<device>/<file>' → its header's length:crc).
    CREATE TABLE sync_consumed (file TEXT PRIMARY KEY, mark TEXT NOT NULL) WITHOUT ROWID;
    -- The flagged cards, found without reading every card.
    CREATE INDEX progress_flagged ON progress (card) WHERE suspended <> 0 OR buried_until IS NOT NULL;

    CREATE TRIGGER sync_review_added AFTER INSERT ON review
    WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'device')
    BEGIN
        INSERT OR IGNORE INTO sync_outbox (id) VALUES (new.id);
    END;
    CREATE TRIGGER sync_review_removed AFTER DELETE ON review
    WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'device')
    BEGIN
        INSERT OR IGNORE INTO sync_retraction (id, mine, sent)
            SELECT old.id, 1, 0 WHERE NOT EXISTS (SELECT 1 FROM sync_outbox WHERE id = old.id);
        DELETE FROM sync_outbox WHERE id = old.id;
    END;
    CREATE TRIGGER sync_setting_written BEFORE INSERT ON settings
    WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'device')
        AND NOT EXISTS (SELECT 1 FROM settings WHERE key = new.key AND value IS new.value)
    BEGIN
        INSERT OR REPLACE INTO sync_touch (key, at)
            VALUES ('setting:' || new.key, CAST(unixepoch('subsec') * 1000 AS INTEGER));
    END;
    CREATE TRIGGER sync_setting_changed AFTER UPDATE ON settings
    WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'device') AND old.value IS NOT new.value
    BEGIN
        INSERT OR REPLACE INTO sync_touch (key, at)
            VALUES ('setting:' || new.key, CAST(unixepoch('subsec') * 1000 AS INTEGER));
    END;
    CREATE TRIGGER sync_setting_removed AFTER DELETE ON settings
    WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'device')
    BEGIN
        INSERT OR REPLACE INTO sync_touch (key, at)
            VALUES ('setting:' || old.key, CAST(unixepoch('subsec') * 1000 AS INTEGER));
    END;
    CREATE TRIGGER sync_flags_written BEFORE INSERT ON progress
    WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'device')
        AND NOT EXISTS (SELECT 1 FROM progress WHERE card = new.card
                        AND suspended = new.suspended AND buried_until IS new.buried_until)
        AND (new.suspended <> 0 OR new.buried_until IS NOT NULL
             OR EXISTS (SELECT 1 FROM progress WHERE card = new.card))
    BEGIN
        INSERT OR REPLACE INTO sync_touch (key, at)
            VALUES ('card:' || new.card, CAST(unixepoch('subsec') * 1000 AS INTEGER));
    END;
    CREATE TRIGGER sync_flags_changed AFTER UPDATE OF suspended, buried_until ON progress
    WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'device')
        AND (old.suspended IS NOT new.suspended OR old.buried_until IS NOT new.buried_until)
    BEGIN
        INSERT OR REPLACE INTO sync_touch (key, at)
            VALUES ('card:' || new.card, CAST(unixepoch('subsec') * 1000 AS INTEGER));
    END;
    CREATE TRIGGER sync_flags_removed AFTER DELETE ON progress
    WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'device')
        AND (old.suspended <> 0 OR old.buried_until IS NOT NULL)
    BEGIN
        INSERT OR REPLACE INTO sync_touch (key, at)
            VALUES ('card:' || old.card, CAST(unixepoch('subsec') * 1000 AS INTEGER));
    END;
";

/// A card's flags as an item value: `"<suspended 0|1>;<buried until, ms, or empty>"`.
pub(crate) fn flags_value(p: Option<&CardProgress>) -> String {
    let (s, b) = p.map_or((false, None), |p| (p.suspended, p.buried_until));
    format!(
        "{};{}",
        u8::from(s),
        b.map(|t| t.timestamp_millis().to_string())
            .unwrap_or_default()
    )
}

/// The default flags' value: an unflagged card needs no item.
pub(crate) const NO_FLAGS: &str = "0;";

fn parse_flags(v: &str) -> Option<(bool, Option<i64>)> {
    let (s, b) = v.split_once(';')?;
    let b = if b.is_empty() {
        None
    } else {
        Some(b.parse().ok()?)
    };
    Some((s == "1", b))
}

/// The reviews of one export chunk.
#[derive(Debug, Default)]
pub(crate) struct Outgoing {
    pub cards: Vec<(String, String)>,
    pub reviews: Vec<WireReview>,
    /// `(card key, review id)` of the last review.
    pub last: Option<(i64, i64)>,
}

/// A local change of an item noticed at sync time: its key, its value now, when it changed.
#[derive(Debug, Clone)]
pub(crate) struct LocalValue {
    pub key: String,
    pub value: Option<String>,
    /// When the change was made, if known (ms).
    pub at: Option<i64>,
}

/// What the segment import did.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct SegmentIn {
    pub reviews: usize,
    pub retractions: usize,
    pub cards_rebuilt: usize,
}

impl Store {
    fn sync_conn(&self) -> (&Connection, &std::path::Path) {
        (&self.conn, &self.path)
    }

    /// A value of this device's sync state.
    pub(crate) fn sync_state(&self, key: &str) -> Result<Option<String>, StoreError> {
        let (conn, path) = self.sync_conn();
        conn.prepare_cached("SELECT value FROM sync_state WHERE key = ?1")
            .and_then(|mut s| s.query_row([key], |r| r.get(0)).optional())
            .map_err(sql_err(path))
    }

    /// Sets values of this device's sync state, in one transaction (`None` removes one).
    pub(crate) fn set_sync_state(
        &mut self,
        pairs: &[(&str, Option<&str>)],
    ) -> Result<(), StoreError> {
        let Self { conn, path, .. } = self;
        let tx = begin(conn, path)?;
        for (k, v) in pairs {
            set_state(&tx, k, *v).map_err(sql_err(path))?;
        }
        tx.commit().map_err(sql_err(path))
    }

    /// This device's id in the sync folder (`None` before its first sync).
    pub fn sync_device_id(&self) -> Result<Option<String>, StoreError> {
        self.sync_state("device")
    }

    /// The folder this profile syncs through on this computer, if one was chosen.
    pub fn sync_folder(&self) -> Result<Option<std::path::PathBuf>, StoreError> {
        Ok(self.sync_state("folder")?.map(std::path::PathBuf::from))
    }

    /// Remembers the folder this profile syncs through on this computer (`None`: none).
    /// Another folder than the one this computer last wrote to (even with syncing stopped in
    /// between) holds none of its files yet: the next sync writes the whole log there again,
    /// as a first sync does.
    pub fn set_sync_folder(&mut self, folder: Option<&std::path::Path>) -> Result<(), StoreError> {
        let text = folder.map(|f| f.to_string_lossy().into_owned());
        let Some(text) = text else {
            return self.set_sync_state(&[("folder", None)]);
        };
        let written = match self.sync_state("written_to")? {
            Some(w) => Some(w),
            None => self.sync_state("folder")?,
        };
        if written.is_some_and(|w| w != text) {
            self.set_sync_state(&[
                ("folder", Some(&text)),
                ("written_to", Some(&text)),
                ("first_done", None),
                ("first_cursor", None),
                ("first_max", None),
            ])
        } else {
            self.set_sync_state(&[("folder", Some(&text)), ("written_to", Some(&text))])
        }
    }

    /// This device's id (a UUID v7 made at the first sync, kept in the profile), and its
    /// name, set to `name`.
    pub(crate) fn sync_device(&mut self, name: &str) -> Result<String, StoreError> {
        if let Some(id) = self.sync_state("device")? {
            if self.sync_state("name")?.as_deref() != Some(name) {
                self.set_sync_state(&[("name", Some(name))])?;
            }
            return Ok(id);
        }
        let id = uuid::Uuid::now_v7().to_string();
        self.set_sync_state(&[("device", Some(&id)), ("name", Some(name))])?;
        Ok(id)
    }

    /// Where the first export stands: `(card key, review id)` of the last review written out,
    /// and the newest review it covers (the log's newest when it began). Set at its start.
    pub(crate) fn sync_first_export(&mut self) -> Result<((i64, i64), i64), StoreError> {
        let cursor = self
            .sync_state("first_cursor")?
            .and_then(|c| {
                let (card, id) = c.split_once(':')?;
                Some((card.parse().ok()?, id.parse().ok()?))
            })
            .unwrap_or((i64::MIN, i64::MIN));
        if let Some(max) = self.sync_state("first_max")?.and_then(|m| m.parse().ok()) {
            return Ok((cursor, max));
        }
        let (conn, path) = self.sync_conn();
        let max: i64 = conn
            .query_row("SELECT coalesce(max(id), 0) FROM review", [], |r| r.get(0))
            .map_err(sql_err(path))?;
        self.set_sync_state(&[("first_max", Some(&max.to_string()))])?;
        Ok((cursor, max))
    }

    /// The next chunk (at most `limit`) of reviews to write out. The first export (`first`:
    /// its cursor and newest review, see [`Store::sync_first_export`]) writes the whole log
    /// card by card, each card's history whole and in order, so that a computer reading it
    /// replays each card once; later exports write the outbox, in id order.
    pub(crate) fn sync_outgoing(
        &self,
        first: Option<((i64, i64), i64)>,
        limit: usize,
    ) -> Result<Outgoing, StoreError> {
        let (conn, path) = self.sync_conn();
        let err = sql_err(path);
        let columns = "SELECT r.id, r.card, r.kind, r.response_ms, r.answer, d.id, c.id";
        let cards = "JOIN card c ON c.key = r.card JOIN deck d ON d.key = c.deck";
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt;
        let mut rows = if let Some(((card, id), max)) = first {
            stmt = conn
                .prepare_cached(&format!(
                    "{columns} FROM review r INDEXED BY review_card {cards} \
                     WHERE (r.card, r.id) > (?1, ?2) AND r.id <= ?3 ORDER BY r.card, r.id LIMIT ?4"
                ))
                .map_err(&err)?;
            stmt.query(params![card, id, max, limit]).map_err(&err)?
        } else {
            // From the outbox, in its order (CROSS JOIN keeps SQLite from walking the whole
            // log instead).
            stmt = conn
                .prepare_cached(&format!(
                    "{columns} FROM sync_outbox o CROSS JOIN review r ON r.id = o.id {cards} \
                     ORDER BY o.id LIMIT ?1"
                ))
                .map_err(&err)?;
            stmt.query([limit]).map_err(&err)?
        };
        let mut out = Outgoing::default();
        let mut index: HashMap<i64, u32> = HashMap::new();
        while let Some(r) = rows.next().map_err(&err)? {
            let id: i64 = r.get(0).map_err(&err)?;
            let card: i64 = r.get(1).map_err(&err)?;
            let kind: i64 = r.get(2).map_err(&err)?;
            let response: i64 = r.get(3).map_err(&err)?;
            let answer: Option<String> = r.get(4).map_err(&err)?;
            let next = u32::try_from(out.cards.len()).unwrap_or(u32::MAX);
            let slot = if let Some(&i) = index.get(&card) {
                i
            } else {
                out.cards
                    .push((r.get(5).map_err(&err)?, r.get(6).map_err(&err)?));
                index.insert(card, next);
                next
            };
            out.last = Some((card, id));
            out.reviews.push(WireReview(
                id,
                slot,
                kind & 127,
                u64::try_from(response).unwrap_or(0),
                answer,
            ));
        }
        Ok(out)
    }

    /// Retractions made here and not yet written out.
    pub(crate) fn sync_unsent_retractions(&self) -> Result<Vec<i64>, StoreError> {
        let (conn, path) = self.sync_conn();
        conn.prepare_cached(
            "SELECT id FROM sync_retraction WHERE mine = 1 AND sent = 0 ORDER BY id",
        )
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(sql_err(path))
    }

    /// Records a segment as written, in one transaction: its reviews leave the outbox (or,
    /// in the first export, its cursor moves to `first_cursor`) and its retractions are sent.
    pub(crate) fn sync_written(
        &mut self,
        first_cursor: Option<(i64, i64)>,
        reviews: &[WireReview],
        retractions: &[i64],
    ) -> Result<(), StoreError> {
        let Self { conn, path, .. } = self;
        let err = sql_err(path);
        let tx = begin(conn, path)?;
        if let Some((card, id)) = first_cursor {
            set_state(&tx, "first_cursor", Some(&format!("{card}:{id}"))).map_err(&err)?;
        } else {
            let mut del = tx
                .prepare_cached("DELETE FROM sync_outbox WHERE id = ?1")
                .map_err(&err)?;
            for r in reviews {
                del.execute([r.0]).map_err(&err)?;
            }
        }
        {
            let mut sent = tx
                .prepare_cached("UPDATE sync_retraction SET sent = 1 WHERE id = ?1")
                .map_err(&err)?;
            for id in retractions {
                sent.execute([id]).map_err(&err)?;
            }
        }
        drop(err);
        tx.commit().map_err(sql_err(path))
    }

    /// Records the first export as done: every review up to `max` was written out (those the
    /// outbox picked up meanwhile need not be written again).
    pub(crate) fn sync_finish_first(&mut self, max: i64) -> Result<(), StoreError> {
        let Self { conn, path, .. } = self;
        let err = sql_err(path);
        let tx = begin(conn, path)?;
        tx.execute("DELETE FROM sync_outbox WHERE id <= ?1", [max])
            .map_err(&err)?;
        set_state(&tx, "first_done", Some("1")).map_err(&err)?;
        set_state(&tx, "first_cursor", None).map_err(&err)?;
        set_state(&tx, "first_max", None).map_err(&err)?;
        tx.commit().map_err(&err)
    }

    /// Every file read already, `device/file` → mark.
    pub(crate) fn sync_consumed_all(&self) -> Result<HashMap<String, String>, StoreError> {
        let (conn, path) = self.sync_conn();
        conn.prepare_cached("SELECT file, mark FROM sync_consumed")
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .map_err(sql_err(path))
    }

    /// Merges review segments of another device (`body`: one, or several joined): their
    /// reviews are added (those taken back anywhere are left out), every card that gained an
    /// srs review rebuilt by replay, in imports of about `part` reviews each (whole cards),
    /// the new reviews themselves held back in `staged` (see [`Staged`]); then, in one
    /// transaction, the retractions are applied (the cards they touch rebuilt), the reviews
    /// leave this device's outbox, and the files are recorded as read (`consumed`:
    /// `device/file` and mark) once no review is held back, else by
    /// [`Store::sync_merge_finish`]. Each step can run again: a kill between them loses
    /// nothing (a file not recorded as read is merged again).
    pub(crate) fn sync_merge_segment<'b>(
        &mut self,
        body: &'b SegmentBody,
        settings: &Settings,
        (consumed, part): (&[(String, String)], usize),
        staged: &mut Staged,
    ) -> Result<SegmentIn, ImportError> {
        let mut out = SegmentIn::default();
        // Every review taken back anywhere (few: undo is rare).
        let retracted: HashSet<i64> = {
            let (conn, path) = self.sync_conn();
            let mut set: HashSet<i64> = conn
                .prepare_cached("SELECT id FROM sync_retraction")
                .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
                .map_err(sql_err(path))?;
            set.extend(body.retractions.iter().copied());
            set
        };
        // The reviews that can be merged, as the import takes them.
        let wire = |r: &'b WireReview| -> Option<IncomingReview<'b>> {
            if retracted.contains(&r.0) || r.1 as usize >= body.cards.len() {
                return None;
            }
            let kind = Kind::unpack(r.2 & 127).ok()?;
            Some(IncomingReview {
                card: r.1,
                at: time(review_id_ms(r.0))?,
                rating: kind.rating,
                mode: kind.mode,
                answer: r.4.as_deref(),
                correct: kind.correct,
                response_ms: r.3,
                id: r.0,
            })
        };
        // Imported in parts of about `part` reviews, each card's reviews in one part (a file
        // lists them card by card): the memory of one part's replay.
        let mut incoming = Incoming::default();
        let mut index = vec![u32::MAX; body.cards.len()];
        let mut rest = body.reviews.as_slice();
        while !rest.is_empty() {
            let mut end = part.max(1).min(rest.len());
            while end < rest.len() && rest[end].1 == rest[end - 1].1 {
                end += 1;
            }
            let (this, next) = rest.split_at(end);
            rest = next;
            incoming.cards.clear();
            incoming.reviews.clear();
            for mut r in this.iter().filter_map(wire) {
                let i = &mut index[r.card as usize];
                if *i == u32::MAX {
                    *i = u32::try_from(incoming.cards.len()).unwrap_or(u32::MAX);
                    let (d, c) = &body.cards[r.card as usize];
                    incoming.cards.push((d.as_str(), c.as_str()));
                }
                r.card = *i;
                incoming.reviews.push(r);
            }
            for r in this {
                if let Some(i) = index.get_mut(r.1 as usize) {
                    *i = u32::MAX;
                }
            }
            if !incoming.reviews.is_empty() {
                let summary = self.import_merged(&incoming, settings, staged)?;
                out.reviews += summary.reviews_added;
                out.cards_rebuilt += summary.cards_rebuilt;
            }
        }
        let rules = if body.retractions.is_empty() {
            None
        } else {
            Some((
                Scheduler::new(settings.scheduler_config())?,
                ScheduleRules::new(settings, self.deck_options()?),
            ))
        };
        let Self { conn, path, .. } = self;
        let path: &std::path::Path = path;
        let err = sql_err(path);
        let tx = begin(conn, path)?;
        // The merged reviews did not enter the outbox; one already there that came in too
        // (the same history imported on two computers) need not go out again. The outbox is
        // empty at this point of a sync unless writing it out failed.
        let outbox = tx
            .prepare_cached("SELECT 1 FROM sync_outbox LIMIT 1")
            .and_then(|mut s| s.exists([]))
            .map_err(&err)?;
        if outbox {
            let mut del = tx
                .prepare_cached("DELETE FROM sync_outbox WHERE id = ?1")
                .map_err(&err)?;
            for r in body.reviews.iter().filter_map(wire) {
                del.execute([r.id]).map_err(&err)?;
            }
        }
        // A retraction may take back a review held back: they are all written first.
        if !body.retractions.is_empty() {
            write_staged(&tx, path, staged, None)?;
        }
        let (n, cards) = retract_in(&tx, path, &body.retractions)?;
        out.retractions = n;
        if let Some((scheduler, rules)) = &rules
            && !cards.is_empty()
        {
            out.cards_rebuilt += rebuild_in(&tx, path, settings, (scheduler, rules), Some(&cards))?;
            forget_unstudied(&tx, &cards).map_err(&err)?;
        }
        staged.hold_consumed(consumed);
        record_consumed(&tx, &staged.take_consumed()).map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(out)
    }

    /// Ends a sync's merge: the reviews held back in `staged` are written in id order, and the
    /// files they came from recorded as read, in one transaction.
    pub(crate) fn sync_merge_finish(&mut self, staged: &mut Staged) -> Result<(), ImportError> {
        let Self { conn, path, .. } = self;
        let path: &std::path::Path = path;
        let err = sql_err(path);
        let tx = begin(conn, path)?;
        write_staged(&tx, path, staged, None)?;
        record_consumed(&tx, &staged.take_consumed()).map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(())
    }

    /// Rebuilds by replay, with `settings` (load balancing off), the cards this device
    /// changed since its last export (its outbox and unsent retractions), or every card when
    /// `all`; then records `fingerprint` as the settings the cards were last rebuilt with.
    /// One transaction. Returns how many cards changed.
    pub(crate) fn sync_rebuild_own(
        &mut self,
        settings: &Settings,
        all: bool,
        fingerprint: &str,
    ) -> Result<usize, ImportError> {
        if !all {
            let (conn, path) = self.sync_conn();
            let pending = conn
                .prepare_cached("SELECT 1 FROM sync_outbox LIMIT 1")
                .and_then(|mut s| s.exists([]))
                .map_err(sql_err(path))?;
            if !pending {
                return Ok(0);
            }
        }
        let scheduler = Scheduler::new(settings.scheduler_config())?;
        let rules = ScheduleRules::new(settings, self.deck_options()?);
        let Self { conn, path, .. } = self;
        let path: &std::path::Path = path;
        let err = sql_err(path);
        let tx = begin(conn, path)?;
        let changed = if all {
            rebuild_in(&tx, path, settings, (&scheduler, &rules), None)?
        } else {
            let cards: Vec<i64> = tx
                .prepare_cached(
                    "SELECT DISTINCT r.card FROM sync_outbox o CROSS JOIN review r ON r.id = o.id",
                )
                .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
                .map_err(&err)?;
            rebuild_in(&tx, path, settings, (&scheduler, &rules), Some(&cards))?
        };
        set_state(&tx, "rebuilt_with", Some(fingerprint)).map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(changed)
    }

    /// Every item this device knows, by key.
    pub(crate) fn sync_items(&self) -> Result<BTreeMap<String, Item>, StoreError> {
        let (conn, path) = self.sync_conn();
        let err = sql_err(path);
        let mut stmt = conn
            .prepare_cached("SELECT key, value, stamp, base FROM sync_item")
            .map_err(&err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })
            .map_err(&err)?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (key, value, stamp, base) = row.map_err(&err)?;
            let stamp = Stamp::parse(&stamp).ok_or_else(|| StoreError::BadData {
                path: path.to_path_buf(),
                detail: format!("sync item {key}: bad stamp {stamp}"),
            })?;
            let base = base.as_deref().and_then(Stamp::parse);
            out.insert(
                key.clone(),
                Item {
                    key,
                    value,
                    stamp,
                    base,
                },
            );
        }
        Ok(out)
    }

    /// The current local values of the settings, card-flag and reset-mark items, with when
    /// each last changed where a trigger saw it: every setting row but `local_only` ones,
    /// every card that is flagged, has an item, or changed flags since the last sync, and
    /// every reset mark (`card:`/`reset:` + deck id + U+001F + card id).
    pub(crate) fn sync_local_values(
        &self,
        local_only: &[&str],
        known: &BTreeMap<String, Item>,
    ) -> Result<Vec<LocalValue>, StoreError> {
        let (conn, path) = self.sync_conn();
        let err = sql_err(path);
        let touched: HashMap<String, i64> = conn
            .prepare_cached("SELECT key, at FROM sync_touch")
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .map_err(&err)?;
        let mut out = Vec::new();
        // Settings: every row, and every known one (a row removed is a deletion).
        let rows: Vec<(String, String)> = conn
            .prepare_cached("SELECT key, value FROM settings")
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .map_err(&err)?;
        let mut seen = HashSet::new();
        for (key, value) in rows {
            if local_only.contains(&key.as_str()) {
                continue;
            }
            let item = format!("setting:{key}");
            let at = touched.get(&item).copied();
            seen.insert(item.clone());
            out.push(LocalValue {
                key: item,
                value: Some(value),
                at,
            });
        }
        for key in known.keys().filter(|k| k.starts_with("setting:")) {
            if !seen.contains(key) {
                out.push(LocalValue {
                    key: key.clone(),
                    value: None,
                    at: touched.get(key).copied(),
                });
            }
        }
        // Cards: flagged now, known, or touched; reset marks: every mark (few), known, or
        // touched.
        let cards = card_items(
            conn,
            path,
            "card",
            "SELECT p.card, d.id, c.id FROM progress p JOIN card c ON c.key = p.card \
             JOIN deck d ON d.key = c.deck WHERE p.suspended <> 0 OR p.buried_until IS NOT NULL",
            (&touched, known),
        )?;
        let resets = card_items(
            conn,
            path,
            "reset",
            "SELECT x.card, d.id, c.id FROM card_reset x JOIN card c ON c.key = x.card \
             JOIN deck d ON d.key = c.deck",
            (&touched, known),
        )?;
        for (key, at) in resets {
            let Some((d, c)) = key
                .strip_prefix("reset:")
                .and_then(|k| k.split_once('\u{1f}'))
            else {
                continue;
            };
            let mark = match card_key(conn, d, c).map_err(&err)? {
                Some((_, card)) => reset_mark(conn, card).map_err(&err)?,
                None => None,
            };
            out.push(LocalValue {
                value: mark.map(|m| m.to_string()),
                key,
                at,
            });
        }
        for (key, at) in cards {
            let Some((d, c)) = key
                .strip_prefix("card:")
                .and_then(|k| k.split_once('\u{1f}'))
            else {
                continue;
            };
            let p = super::cards::read_card(conn, path, d, c)?;
            out.push(LocalValue {
                value: Some(flags_value(p.as_ref())),
                key,
                at,
            });
        }
        Ok(out)
    }

    /// Saves the merged items in one transaction: `items` written to `sync_item`, the
    /// settings and card flags among `apply` put in place, the touch times cleared, and the
    /// items files read recorded (`consumed`). The settings table afterwards holds the merged
    /// settings.
    pub(crate) fn sync_save_items(
        &mut self,
        items: &[&Item],
        apply: &[&Item],
        consumed: &[(String, String)],
        (now, settings): (chrono::DateTime<chrono::Utc>, &Settings),
    ) -> Result<(), ImportError> {
        let resetting = apply.iter().any(|i| i.key.starts_with("reset:"));
        let rules = if resetting {
            Some((
                Scheduler::new(settings.scheduler_config())?,
                ScheduleRules::new(settings, self.deck_options()?),
            ))
        } else {
            None
        };
        let Self { conn, path, .. } = self;
        let path: &std::path::Path = path;
        let err = sql_err(path);
        let tx = begin(conn, path)?;
        let mut reset_cards: Vec<(i64, Option<i64>)> = Vec::new();
        for item in apply {
            if let Some(key) = item.key.strip_prefix("setting:") {
                match &item.value {
                    Some(v) => tx.execute(
                        "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
                        [key, v],
                    ),
                    None => tx.execute("DELETE FROM settings WHERE key = ?1", [key]),
                }
                .map_err(&err)?;
            } else if let Some(ids) = item.key.strip_prefix("card:")
                && let Some((d, c)) = ids.split_once('\u{1f}')
            {
                let (suspended, buried) = item
                    .value
                    .as_deref()
                    .and_then(parse_flags)
                    .unwrap_or((false, None));
                let existing = match card_key(&tx, d, c).map_err(&err)? {
                    Some((_, card)) => read_progress(&tx, path, card)?,
                    None => None,
                };
                if existing.is_none() && !suspended && buried.is_none() {
                    continue;
                }
                let mut p = existing.unwrap_or_else(|| CardProgress::new_card(now));
                p.suspended = suspended;
                p.buried_until = buried.and_then(time);
                let (deck, card) = ensure_card(&tx, d, c).map_err(&err)?;
                put_progress(&tx, deck, card, &p.truncated()).map_err(&err)?;
            } else if let Some(ids) = item.key.strip_prefix("reset:")
                && let Some((d, c)) = ids.split_once('\u{1f}')
            {
                let mark = item.value.as_deref().and_then(|v| v.parse::<i64>().ok());
                let (_, card) = ensure_card(&tx, d, c).map_err(&err)?;
                set_reset_mark(&tx, card, mark).map_err(&err)?;
                reset_cards.push((card, mark));
            }
        }
        // Reset cards (or resets taken back) replayed from their marks.
        if let Some((scheduler, rules)) = &rules {
            let cards: Vec<i64> = reset_cards.iter().map(|&(c, _)| c).collect();
            rebuild_in(&tx, path, settings, (scheduler, rules), Some(&cards))?;
            restart_unstudied(&tx, path, &reset_cards)?;
        }
        {
            let mut put = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO sync_item (key, value, stamp, base) \
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(&err)?;
            for item in items {
                put.execute(params![
                    item.key,
                    item.value,
                    item.stamp.to_string(),
                    item.base.as_ref().map(ToString::to_string)
                ])
                .map_err(&err)?;
            }
        }
        tx.execute("DELETE FROM sync_touch", []).map_err(&err)?;
        for (file, mark) in consumed {
            tx.execute(
                "INSERT OR REPLACE INTO sync_consumed (file, mark) VALUES (?1, ?2)",
                [file, mark],
            )
            .map_err(&err)?;
        }
        tx.commit().map_err(&err)?;
        Ok(())
    }
}

/// The card items of kind `kind` ("card": flags, "reset": reset marks) to compare at a sync,
/// item key → when the change was made (if a trigger saw it): the cards `each_sql` selects
/// (card key, deck id, card id), the cards touched since the last sync, and the known items.
fn card_items(
    conn: &Connection,
    path: &std::path::Path,
    kind: &str,
    each_sql: &str,
    (touched, known): (&HashMap<String, i64>, &BTreeMap<String, Item>),
) -> Result<BTreeMap<String, Option<i64>>, StoreError> {
    let err = sql_err(path);
    let item_key = |d: &str, c: &str| format!("{kind}:{d}\u{1f}{c}");
    let touch_prefix = format!("{kind}:");
    let mut out: BTreeMap<String, Option<i64>> = BTreeMap::new();
    {
        let mut stmt = conn.prepare_cached(each_sql).map_err(&err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(&err)?;
        for row in rows {
            let (card, d, c) = row.map_err(&err)?;
            out.insert(
                item_key(&d, &c),
                touched.get(&format!("{touch_prefix}{card}")).copied(),
            );
        }
    }
    let mut by_key = conn
        .prepare_cached(
            "SELECT d.id, c.id FROM card c JOIN deck d ON d.key = c.deck WHERE c.key = ?1",
        )
        .map_err(&err)?;
    for (key, &at) in touched {
        if let Some(card) = key
            .strip_prefix(&touch_prefix)
            .and_then(|k| k.parse::<i64>().ok())
            && let Some((d, c)) = by_key
                .query_row([card], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })
                .optional()
                .map_err(&err)?
        {
            out.insert(item_key(&d, &c), Some(at));
        }
    }
    for key in known.keys().filter(|k| k.starts_with(&touch_prefix)) {
        out.entry(key.clone()).or_insert(None);
    }
    Ok(out)
}

/// Cards of `cards` (card key, reset mark) with stored progress and no srs answer in the log
/// (a flagged card never studied): made new at their marks, as the reset did where it was made.
fn restart_unstudied(
    tx: &Connection,
    path: &std::path::Path,
    cards: &[(i64, Option<i64>)],
) -> Result<(), StoreError> {
    let err = sql_err(path);
    for &(card, mark) in cards {
        let Some(mark) = mark else { continue };
        let studied = tx
            .prepare_cached(&format!(
                "SELECT 1 FROM review WHERE card = ?1 AND {} LIMIT 1",
                super::rows::IS_SRS
            ))
            .and_then(|mut s| s.exists([card]))
            .map_err(&err)?;
        if studied {
            continue;
        }
        if let Some(mut p) = read_progress(tx, path, card)? {
            p.card = state_at_mark(mark);
            p.leech = false;
            let deck: i64 = tx
                .query_row("SELECT deck FROM card WHERE key = ?1", [card], |r| r.get(0))
                .map_err(&err)?;
            put_progress(tx, deck, card, &p.truncated()).map_err(&err)?;
        }
    }
    Ok(())
}

fn set_state(conn: &Connection, key: &str, value: Option<&str>) -> rusqlite::Result<()> {
    match value {
        Some(v) => conn
            .prepare_cached("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?1, ?2)")?
            .execute([key, v])?,
        None => conn
            .prepare_cached("DELETE FROM sync_state WHERE key = ?1")?
            .execute([key])?,
    };
    Ok(())
}

/// Deletes the reviews `ids` (taken back on another device) and remembers them as taken back,
/// so that a copy arriving later is not added again. Returns how many were here and the cards
/// they were of.
/// Records the files `consumed` (`device/file`, mark) as read.
fn record_consumed(tx: &Connection, consumed: &[(String, String)]) -> rusqlite::Result<()> {
    for (file, mark) in consumed {
        tx.prepare_cached("INSERT OR REPLACE INTO sync_consumed (file, mark) VALUES (?1, ?2)")?
            .execute([file, mark])?;
    }
    Ok(())
}

fn retract_in(
    tx: &Connection,
    path: &std::path::Path,
    ids: &[i64],
) -> Result<(usize, Vec<i64>), StoreError> {
    let err = sql_err(path);
    let mut cards = Vec::new();
    let mut n = 0;
    let mut find = tx
        .prepare_cached("SELECT card FROM review WHERE id = ?1")
        .map_err(&err)?;
    for &id in ids {
        if let Some(card) = find
            .query_row([id], |r| r.get::<_, i64>(0))
            .optional()
            .map_err(&err)?
        {
            tx.prepare_cached("DELETE FROM review WHERE id = ?1")
                .and_then(|mut s| s.execute([id]))
                .map_err(&err)?;
            tx.prepare_cached("DELETE FROM review_before WHERE id = ?1")
                .and_then(|mut s| s.execute([id]))
                .map_err(&err)?;
            cards.push(card);
            n += 1;
        }
        tx.prepare_cached(
            "INSERT OR REPLACE INTO sync_retraction (id, mine, sent) VALUES (?1, 0, 1)",
        )
        .and_then(|mut s| s.execute([id]))
        .map_err(&err)?;
    }
    cards.sort_unstable();
    cards.dedup();
    Ok((n, cards))
}

/// Cards of `cards` with no srs answer left lose their stored progress, as the undo of their
/// only answer does where it was made; a flagged one (suspended, buried) becomes a new card
/// with its flags.
fn forget_unstudied(tx: &Connection, cards: &[i64]) -> rusqlite::Result<()> {
    let unstudied = format!(
        "NOT EXISTS (SELECT 1 FROM review WHERE card = ?1 AND {})",
        super::rows::IS_SRS
    );
    let mut delete = tx.prepare_cached(&format!(
        "DELETE FROM progress WHERE card = ?1 AND suspended = 0 AND buried_until IS NULL \
         AND {unstudied}"
    ))?;
    let mut reset = tx.prepare_cached(&format!(
        "UPDATE progress SET state = 0, step = NULL, stability = NULL, difficulty = NULL, \
         last_review = NULL, reps = 0, lapses = 0, leech = 0 WHERE card = ?1 AND {unstudied}"
    ))?;
    for &card in cards {
        delete.execute([card])?;
        reset.execute([card])?;
    }
    Ok(())
}
