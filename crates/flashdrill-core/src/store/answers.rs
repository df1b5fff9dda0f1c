//! Answers, undo, card flags and the queries the UI needs.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use std::path::Path;

use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use super::cards::{
    CARD_COLUMNS, CARD_FROM, all_cards, card_key, deck_key, delete_progress, ensure_card, put_card,
    put_progress, query_cards, read_card, read_progress, sql_err,
};
use super::log::{
    Before, IdChoice, NewRow, REVIEW_COLUMNS, REVIEW_FROM, insert_review, live_floor,
    previous_after, query_reviews, undo_in,
};
use super::rows::{Kind, first_id, ms, review_id_ms, time};
use super::{
    CardProgress, CardRecord, Mode, ReviewRecord, Store, StoreError, truncate_ms, truncate_state,
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
    /// The card's progress now (restored to its state before the answer; `None` when the
    /// card had no stored progress before, so its progress was removed). For practice and drill answers
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
    /// Practice and drill answers (self-test answers are not study and are not counted).
    pub practice: u32,
}

pub(super) fn begin<'c>(
    conn: &'c mut Connection,
    path: &Path,
) -> Result<Transaction<'c>, StoreError> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql_err(path))
}

/// Records one answer inside the transaction `tx` (see [`Store::record_answer`]).
pub(super) fn record_in(
    tx: &Transaction<'_>,
    path: &Path,
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
        (Mode::Practice | Mode::Drill | Mode::Test, Some(_)) => {
            return Err(StoreError::Invalid(format!(
                "{} answer to {}/{} must not change the card's state",
                review.mode, review.deck_id, review.card_id
            )));
        }
        _ => {}
    }
    let err = sql_err(path);
    let (deck, card) = ensure_card(tx, review.deck_id, review.card_id).map_err(&err)?;
    let before = read_progress(tx, path, card)?;
    let mut kind = Kind::new(review.rating, review.mode, review.correct);
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
            kind.made_leech = !p.leech;
            p.leech = true;
            if leech.action == LeechAction::Suspend {
                kind.made_suspended = !p.suspended;
                p.suspended = true;
            }
        }
        p
    });
    let stated_before = match &after {
        Some(a) => {
            kind.before = before.map_or(State::New, |b| b.card.state);
            kind.after = a.card.state;
            let implied = previous_after(tx, path, card, i64::MAX)?;
            let stored = before.map(|b| b.card);
            if stored == implied {
                Before::Implied
            } else {
                Before::Explicit(stored)
            }
        }
        None => Before::Implied,
    };
    let at_ms = ms(at);
    let floor = live_floor(tx, card, at_ms).map_err(&err)?;
    let review_id = insert_review(
        tx,
        path,
        &NewRow {
            card,
            at_ms,
            kind,
            response_ms: review.response_ms,
            answer: review.answer_given,
            after: after.map(|p| p.card),
            before: stated_before,
        },
        IdChoice::Random { floor },
    )?;
    // The time as stored: later than the answer's own only when the clock went back.
    let at = time(review_id_ms(review_id)).unwrap_or(at);
    if let Some(p) = &after {
        put_progress(tx, deck, card, p).map_err(&err)?;
    }
    Ok(Recorded {
        review_id,
        at,
        before,
        after,
        became_leech,
    })
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
        let Self { conn, path, .. } = self;
        let tx = begin(conn, path)?;
        let mut undone = Vec::with_capacity(take_back.len());
        for &id in take_back {
            undone.push(undo_in(&tx, path, id)?);
        }
        let mut recorded = Vec::with_capacity(add.len());
        for review in add {
            recorded.push(record_in(&tx, path, review, leech)?);
        }
        tx.commit().map_err(sql_err(path))?;
        Ok((undone, recorded))
    }

    /// Takes back one answer in one transaction: for an `srs` answer the card's progress is
    /// restored exactly to its state before, with any flag the answer itself set (leech,
    /// suspended by the leech policy) cleared; then the row is deleted. Refused when a
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

    /// Forgets a card's progress: it becomes a new card again, its flags cleared, with a reset
    /// mark (see [`Store::reset_cards`]). The review log keeps its past answers. Returns what
    /// it was before, which [`Store::restore_resets`] puts back.
    pub fn reset_card(
        &mut self,
        deck_id: &str,
        card_id: &str,
        now: DateTime<Utc>,
    ) -> Result<super::BeforeReset, StoreError> {
        let mut out = self.reset_cards(&[(deck_id, card_id)], now)?;
        Ok(out.pop().map_or(
            super::BeforeReset {
                progress: None,
                mark: None,
            },
            |(before, _)| before,
        ))
    }

    /// Puts a card's progress back exactly (`None` removes the stored progress): the undo of
    /// [`Store::set_suspended`] and [`Store::bury`].
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
                None => match card_key(&tx, deck_id, card_id) {
                    Ok(Some((_, card))) => delete_progress(&tx, card),
                    other => other.map(|_| ()),
                },
            }
            .map_err(sql_err(path))?;
        }
        tx.commit().map_err(sql_err(path))
    }

    /// Every stored card state of one deck (`Some(id)`) or of all decks (`None`), ordered by
    /// deck and card id. Cards no longer in their deck keep their rows.
    pub fn card_states(&self, deck_id: Option<&str>) -> Result<Vec<CardRecord>, StoreError> {
        let (conn, path) = (&self.conn, self.path.as_path());
        // Sorted here rather than by SQLite, which would sort the joined rows by their text.
        let mut out = match deck_id {
            Some(d) => {
                let Some(deck) = deck_key(conn, d).map_err(sql_err(path))? else {
                    return Ok(Vec::new());
                };
                query_cards(
                    conn,
                    path,
                    &format!("SELECT {CARD_COLUMNS} FROM {CARD_FROM} WHERE p.deck = ?1"),
                    [deck],
                )?
            }
            None => all_cards(conn, path)?,
        };
        out.sort_unstable_by(|a, b| (&a.deck_id, &a.card_id).cmp(&(&b.deck_id, &b.card_id)));
        Ok(out)
    }

    /// Calls `each` with every stored card's deck id, card id and progress, in no particular
    /// order, without holding them all (see [`Store::card_states`] for a sorted list).
    pub fn for_each_card(
        &self,
        each: impl FnMut(&str, &str, &CardProgress),
    ) -> Result<(), StoreError> {
        super::cards::for_each_card(&self.conn, &self.path, each)
    }

    /// Stored cards due at or before `until`, ordered by due time; suspended and buried ones
    /// are included (the queue builder filters them). For one deck this reads the queue
    /// index; for all decks it scans every card.
    pub fn due_cards(
        &self,
        deck_id: Option<&str>,
        until: DateTime<Utc>,
    ) -> Result<Vec<CardRecord>, StoreError> {
        let (conn, path) = (&self.conn, self.path.as_path());
        match deck_id {
            Some(d) => {
                let Some(deck) = deck_key(conn, d).map_err(sql_err(path))? else {
                    return Ok(Vec::new());
                };
                query_cards(
                    conn,
                    path,
                    &format!(
                        "SELECT {CARD_COLUMNS} FROM {CARD_FROM} WHERE p.deck = ?2 \
                         AND p.state IN (0, 1, 2, 3) AND p.due <= ?1 ORDER BY p.due"
                    ),
                    params![ms(until), deck],
                )
            }
            None => query_cards(
                conn,
                path,
                &format!("SELECT {CARD_COLUMNS} FROM {CARD_FROM} WHERE p.due <= ?1 ORDER BY p.due"),
                [ms(until)],
            ),
        }
    }

    /// The stored cards of one deck that today's queue can hold, straight from the
    /// `(deck, state, due)` index: learning and relearning cards due by `learn_until`
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
        const AVAILABLE: &str =
            "p.suspended = 0 AND (p.buried_until IS NULL OR p.buried_until <= ?2)";
        let (conn, path) = (&self.conn, self.path.as_path());
        let Some(deck) = deck_key(conn, deck_id).map_err(sql_err(path))? else {
            return Ok(Vec::new());
        };
        query_cards(
            conn,
            path,
            &format!(
                "SELECT {CARD_COLUMNS} FROM {CARD_FROM} WHERE p.deck = ?1 \
                   AND p.state = 1 AND p.due <= ?3 AND {AVAILABLE} \
                 UNION ALL \
                 SELECT {CARD_COLUMNS} FROM {CARD_FROM} WHERE p.deck = ?1 \
                   AND p.state = 3 AND p.due <= ?3 AND {AVAILABLE} \
                 UNION ALL \
                 SELECT * FROM (SELECT {CARD_COLUMNS} FROM {CARD_FROM} WHERE p.deck = ?1 \
                   AND p.state = 2 AND p.due < ?4 AND {AVAILABLE} ORDER BY p.due LIMIT ?5) \
                 UNION ALL \
                 SELECT {CARD_COLUMNS} FROM {CARD_FROM} WHERE p.deck = ?1 \
                   AND p.state = 0 AND p.due < ?4 AND {AVAILABLE}"
            ),
            params![
                deck,
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
            .prepare_cached(
                "SELECT COUNT(*) FROM progress WHERE deck = (SELECT key FROM deck WHERE id = ?1)",
            )
            .map_err(&err)?;
        let n: i64 = stmt.query_row([deck_id], |r| r.get(0)).map_err(&err)?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// The ids of one deck's cards that have stored progress (studied, or flagged).
    pub fn stored_card_ids(&self, deck_id: &str) -> Result<HashSet<String>, StoreError> {
        let err = sql_err(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id FROM progress p JOIN card c ON c.key = p.card \
                 WHERE p.deck = (SELECT key FROM deck WHERE id = ?1)",
            )
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
                "SELECT d.id, \
                   SUM(r.kind & 28 = 0 AND (r.kind >> 7) & 3 = 0), \
                   SUM(r.kind & 28 = 0 AND (r.kind >> 7) & 3 IN (1, 3)), \
                   SUM(r.kind & 28 = 0 AND (r.kind >> 7) & 3 = 2), \
                   SUM(r.kind & 28 IN (4, 8)) \
                 FROM review r JOIN card c ON c.key = r.card JOIN deck d ON d.key = c.deck \
                 WHERE r.id >= ?1 GROUP BY d.id",
            )
            .map_err(&err)?;
        let rows = stmt
            .query_map([first_id(ms(since))], |r| {
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

    /// One card's answers, oldest first.
    pub fn card_history(
        &self,
        deck_id: &str,
        card_id: &str,
    ) -> Result<Vec<ReviewRecord>, StoreError> {
        let mut out = Vec::new();
        let Some((_, card)) =
            card_key(&self.conn, deck_id, card_id).map_err(sql_err(&self.path))?
        else {
            return Ok(out);
        };
        query_reviews(
            &self.conn,
            &self.path,
            &format!("SELECT {REVIEW_COLUMNS} FROM {REVIEW_FROM} WHERE r.card = ?1 ORDER BY r.id"),
            [card],
            true,
            |r| out.push(r),
        )?;
        Ok(out)
    }

    /// Calls `each` with every answer in the log, oldest first, without holding them all.
    pub fn for_each_review(&self, each: impl FnMut(ReviewRecord)) -> Result<(), StoreError> {
        query_reviews(
            &self.conn,
            &self.path,
            &format!("SELECT {REVIEW_COLUMNS} FROM {REVIEW_FROM} ORDER BY r.id"),
            [],
            true,
            each,
        )
    }

    /// The answers given at or after `since` (e.g. today's day start), oldest first; reads
    /// a range of the log's ids, which begin with the time.
    pub fn reviews_since(&self, since: DateTime<Utc>) -> Result<Vec<ReviewRecord>, StoreError> {
        let mut out = Vec::new();
        query_reviews(
            &self.conn,
            &self.path,
            &format!("SELECT {REVIEW_COLUMNS} FROM {REVIEW_FROM} WHERE r.id >= ?1 ORDER BY r.id"),
            [first_id(ms(since))],
            false,
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
        query_reviews(
            &self.conn,
            &self.path,
            &format!("SELECT {REVIEW_COLUMNS} FROM {REVIEW_FROM} WHERE r.id = ?1"),
            [review_id],
            false,
            |r| out = Some(r),
        )?;
        Ok(out)
    }

    /// How many answers the log holds.
    pub fn review_count(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM review", [], |r| r.get::<_, i64>(0))
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
