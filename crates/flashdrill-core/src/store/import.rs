//! Reviews coming in from another history — a progress file, an Anki package — and rebuilding
//! cards by replay.
//!
//! An import is one transaction: each card's incoming reviews are checked against its log
//! (a review already there — same card, time, rating and mode — is skipped), each card that
//! gained an srs answer is replayed once through the scheduler from its whole srs history
//! (both processor cores share the replays), and the new rows are written in id order, which
//! for a new profile appends to the log page after page.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;
use std::sync::mpsc::Receiver;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::answers::begin;
use super::cards::{
    NewCards, deck_key, ensure_card, ensure_deck, progress_by_key, put_progress, put_progress_many,
    read_progress, sql_err,
};
use super::export::{ImportError, ImportSummary};
use super::log::{Before, NewRow, bad_time, insert_values_many, review_values};
use super::resets::{reset_marks, state_at_mark};
use super::rows::{
    AfterColumns, IS_SRS, KEY_MASK, Kind, after_columns, content_hash, content_id_of, first_id,
    is_id_for, review_id_ms, time,
};
use super::staged::{Staged, Values};
use super::{CardProgress, Mode, Store, StoreError, truncate_state};
use crate::plan::ScheduleRules;
use crate::schedule::{
    CardState, Rating, Scheduler, SchedulerConfig, State, becomes_leech, fuzz_seed, fuzz_unit,
    pick_interval,
};
use crate::settings::Settings;

/// One review coming in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IncomingReview<'a> {
    /// The card: an index into [`Incoming::cards`].
    pub card: u32,
    pub at: DateTime<Utc>,
    pub rating: Rating,
    pub mode: Mode,
    pub answer: Option<&'a str>,
    pub correct: Option<bool>,
    pub response_ms: u64,
    /// The review's id in the history it comes from when that id is one of this flashdrill's
    /// (it begins with the review's time: see [`super::review_id_ms`]); it is kept, so the same
    /// review merged twice, or from two computers, is kept once. Any other value is ignored.
    pub id: i64,
}

/// Reviews and card flags coming in, saved by [`Store::import_incoming`] all or nothing.
#[derive(Debug, Default)]
pub struct Incoming<'a> {
    /// The cards, as (deck id, card id).
    pub cards: Vec<(&'a str, &'a str)>,
    pub reviews: Vec<IncomingReview<'a>>,
    /// Progress for cards with no srs reviews and no stored progress (a suspended new card);
    /// for a card rebuilt from its reviews with no stored progress, its suspended flag.
    pub states: Vec<(u32, CardProgress)>,
    /// Cards to hide until a time (Anki's buried cards).
    pub buried: Vec<(u32, DateTime<Utc>)>,
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

/// One replayed answer: its id, the card's state kind before, its schedule after, and whether
/// it tagged the card a leech.
struct Step {
    id: i64,
    before: State,
    after: CardState,
    made_leech: bool,
    /// The days load balancing picks the interval among (see [`balance_replays`]).
    range: Option<(u32, u32)>,
}

/// A card's replay: each answer's step, and the card's progress after the last.
#[derive(Default)]
struct Replay {
    steps: Vec<Step>,
    last: Option<CardProgress>,
}

/// Replays one card's srs answers (sorted here by id, which is time order) from a new card.
/// Replay only tags leeches: suspending is decided at answer time, and the learner may have
/// unsuspended the card since.
fn replay(
    scheduler: &Scheduler,
    rules: &ScheduleRules,
    leech_threshold: u32,
    (deck_id, card_id): (&str, &str),
    rows: &mut [ReplayRow],
    (flags, reset): (Flags, Option<i64>),
) -> Replay {
    rows.sort_unstable_by_key(|&(id, _, _)| id);
    let mut out = Vec::with_capacity(rows.len());
    let Some(&(_, _, first_at)) = rows.first() else {
        return Replay::default();
    };
    let mut current = CardProgress {
        card: CardState::new_card(first_at),
        suspended: flags.suspended,
        buried_until: flags.buried_until,
        leech: flags.leech,
    };
    // A reset card starts again from a new card at its mark; the answers before are history.
    let mut reset = reset;
    let mut start_again = |current: &mut CardProgress, before_ms: Option<i64>| {
        if let Some(mark) = reset.filter(|&m| before_ms.is_none_or(|t| t >= m)) {
            current.card = state_at_mark(mark);
            current.leech = false;
            reset = None;
        }
    };
    for &(id, rating, at) in rows.iter() {
        start_again(&mut current, Some(review_id_ms(id)));
        let card = current.card;
        let placed = scheduler.review_placed(
            &card,
            rating,
            at,
            fuzz_seed(deck_id, card_id, card.reps),
            &rules.placement(deck_id, at, &()),
        );
        let next = truncate_state(placed.state);
        current.card = next;
        let mut made_leech = false;
        if next.lapses > card.lapses && becomes_leech(next.lapses, leech_threshold) {
            made_leech = !current.leech;
            current.leech = true;
        }
        out.push(Step {
            id,
            before: card.state,
            after: next,
            made_leech,
            range: placed.range,
        });
    }
    start_again(&mut current, None);
    Replay {
        steps: out,
        last: Some(current),
    }
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

fn unpack(path: &Path, id: i64, kind: i64) -> Result<Kind, StoreError> {
    Kind::unpack(kind).map_err(|e| StoreError::BadData {
        path: path.to_path_buf(),
        detail: format!("review {id}: {e}"),
    })
}

/// One card's replay: where it is, the srs history it has, what comes in for it.
struct Job<'a> {
    deck: i64,
    card: i64,
    ids: (&'a str, &'a str),
    flags: Flags,
    stored: BTreeMap<i64, StoredSrs>,
    /// Incoming reviews not in the log yet, with their ids.
    incoming: Vec<(i64, &'a IncomingReview<'a>)>,
    /// The card's reset mark (ms; see store/resets.rs).
    reset: Option<i64>,
}

impl Job<'_> {
    /// The replay of the card's stored and incoming srs answers.
    fn replay(
        &self,
        path: &Path,
        (scheduler, rules): (&Scheduler, &ScheduleRules),
        threshold: u32,
    ) -> Result<Replay, StoreError> {
        let mut rows: Vec<ReplayRow> = Vec::with_capacity(self.stored.len() + self.incoming.len());
        for (&id, s) in &self.stored {
            let kind = unpack(path, id, s.kind)?;
            rows.push((id, kind.rating, time(review_id_ms(id)).unwrap_or_default()));
        }
        rows.extend(
            self.incoming
                .iter()
                .filter(|(_, r)| r.mode == Mode::Srs)
                .map(|&(id, r)| (id, r.rating, r.at)),
        );
        Ok(replay(
            scheduler,
            rules,
            threshold,
            self.ids,
            &mut rows,
            (self.flags, self.reset),
        ))
    }
}

/// A review waiting to be inserted; an srs answer's state after is its step of its job's
/// replay (`job`, `step`; `job` is [`NO_JOB`] for practice and drill answers). Small, as there
/// is one per incoming review.
struct Pending<'a> {
    id: i64,
    review: &'a IncomingReview<'a>,
    card: i64,
    kind: Kind,
    job: u32,
    step: u32,
}

const NO_JOB: u32 = u32::MAX;

/// Writes a card's replay: stored rows whose state changed are updated now (their state before
/// becomes implied again); incoming reviews go to `pending`; the card's progress, the replay's
/// last, goes to `progress` (for [`put_progress_many`]). Returns it.
fn write_job<'a>(
    conn: &Connection,
    path: &Path,
    (job, job_index): (&Job<'a>, u32),
    replay: &Replay,
    (pending, progress): (&mut Vec<Pending<'a>>, &mut Vec<(i64, i64, CardProgress)>),
) -> Result<Option<CardProgress>, StoreError> {
    let err = sql_err(path);
    let new: HashMap<i64, &'a IncomingReview<'a>> = if job.stored.is_empty() {
        HashMap::new()
    } else {
        job.incoming.iter().copied().collect()
    };
    // A card with no history: every step is an incoming answer, in id order.
    let mut fresh = job
        .incoming
        .iter()
        .filter(|(_, r)| r.mode == Mode::Srs && job.stored.is_empty())
        .copied()
        .collect::<Vec<_>>();
    fresh.sort_unstable_by_key(|&(id, _)| id);
    let mut fresh = fresh.into_iter();
    for &(id, r) in &job.incoming {
        if r.mode != Mode::Srs {
            pending.push(Pending {
                id,
                review: r,
                card: job.card,
                kind: Kind::new(r.rating, r.mode, r.correct),
                job: NO_JOB,
                step: 0,
            });
        }
    }
    let mut update = conn
        .prepare_cached(
            "UPDATE review SET kind = ?2, step = ?3, stability = ?4, difficulty = ?5, due = ?6, \
             reps = ?7, lapses = ?8, last = ?9 WHERE id = ?1",
        )
        .map_err(&err)?;
    for (i, step) in replay.steps.iter().enumerate() {
        let incoming = if job.stored.is_empty() {
            fresh.next().map(|(_, r)| r)
        } else {
            new.get(&step.id).copied()
        };
        if let Some(r) = incoming {
            let mut kind = Kind::new(r.rating, Mode::Srs, r.correct);
            kind.before = step.before;
            kind.after = step.after.state;
            kind.made_leech = step.made_leech;
            pending.push(Pending {
                id: step.id,
                review: r,
                card: job.card,
                kind,
                job: job_index,
                step: u32::try_from(i).unwrap_or(u32::MAX),
            });
            continue;
        }
        let Some(old) = job.stored.get(&step.id) else {
            continue;
        };
        let mut kind = unpack(path, step.id, old.kind)?;
        if kind.explicit_before {
            conn.prepare_cached("DELETE FROM review_before WHERE id = ?1")
                .and_then(|mut s| s.execute([step.id]))
                .map_err(&err)?;
        }
        let (cols, no_last) = after_columns(&step.after, review_id_ms(step.id));
        kind.before = step.before;
        kind.after = step.after.state;
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
    if let Some(p) = replay.last {
        progress.push((job.deck, job.card, p));
    }
    Ok(replay.last)
}

/// The indexes of `reviews` card by card (cards in order; each card's reviews in their given
/// order), by counting: one pass to count, one to place. Reviews of cards past `card_count`
/// come last, in their order, for the caller to refuse.
fn by_card(reviews: &[IncomingReview<'_>], card_count: usize) -> Vec<usize> {
    let slot =
        |r: &IncomingReview<'_>| usize::try_from(r.card).map_or(card_count, |c| c.min(card_count));
    // Slots 0..=card_count (the last for cards past the list), counted two places on.
    let mut start = vec![0usize; card_count + 3];
    for r in reviews {
        start[slot(r) + 2] += 1;
    }
    for i in 2..start.len() {
        start[i] += start[i - 1];
    }
    let mut order = vec![0usize; reviews.len()];
    for (i, r) in reviews.iter().enumerate() {
        let at = &mut start[slot(r) + 1];
        order[*at] = i;
        *at += 1;
    }
    order
}

/// Jobs waiting for their replay, in the order they were made, shared by the threads that
/// replay them.
type JobQueue<'a> = Mutex<Receiver<(usize, Job<'a>)>>;

/// Replays jobs from `queue` until it is closed and empty; each with its place in the order.
fn replay_from<'a>(
    queue: &JobQueue<'a>,
    path: &Path,
    (config, rules): (&SchedulerConfig, &ScheduleRules),
    threshold: u32,
) -> Result<Vec<(usize, Job<'a>, Replay)>, ImportError> {
    let scheduler = Scheduler::new(config.clone())?;
    let mut out = Vec::new();
    loop {
        let next = queue
            .lock()
            .map_err(|_| StoreError::Invalid("a replay thread stopped unexpectedly".to_owned()))?
            .recv();
        let Ok((i, job)) = next else {
            return Ok(out);
        };
        let replay = job.replay(path, (&scheduler, rules), threshold)?;
        out.push((i, job, replay));
    }
}

/// Load balancing, in time order, over replays made without it: each answer whose interval
/// the balancer picks ([`Step::range`]) gets the day [`pick_interval`] picks given the cards
/// due on each day just then — the cards of the profile not replayed here, and the replayed
/// cards as their earlier answers left them. Answering the same reviews live gives the same
/// days. `cards` are the replays' cards (`ids`: their deck and card ids).
fn balance_replays(
    conn: &Connection,
    path: &Path,
    rules: &ScheduleRules,
    (ids, cards): (&[(&str, &str)], &[i64]),
    replays: &mut [Replay],
) -> Result<(), StoreError> {
    let balance = rules.balance;
    if !balance.enabled
        || !replays
            .iter()
            .any(|r| r.steps.iter().any(|s| s.range.is_some()))
    {
        return Ok(());
    }
    let days = balance.days;
    let day_of_ms = |ms: i64| time(ms).map_or(0, |t| days.day_of(t));
    let replayed: HashSet<i64> = cards.iter().copied().collect();
    let mut load: HashMap<i64, u32> = HashMap::new();
    {
        let mut stmt = conn
            .prepare_cached("SELECT card, due FROM progress WHERE state = 2")
            .map_err(sql_err(path))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
            .map_err(sql_err(path))?;
        for row in rows {
            let (card, due) = row.map_err(sql_err(path))?;
            if !replayed.contains(&card) {
                *load.entry(day_of_ms(due)).or_default() += 1;
            }
        }
    }
    let mut order: Vec<(i64, u32, u32)> = Vec::new();
    for (j, r) in replays.iter().enumerate() {
        let j = u32::try_from(j).unwrap_or(u32::MAX);
        order.extend(
            r.steps
                .iter()
                .enumerate()
                .map(|(s, step)| (step.id, j, u32::try_from(s).unwrap_or(u32::MAX))),
        );
    }
    order.sort_unstable();
    let mut current: Vec<Option<i64>> = vec![None; replays.len()];
    for (id, j, s) in order {
        let (j, s) = (j as usize, s as usize);
        if let Some(day) = current[j].take()
            && let Some(n) = load.get_mut(&day)
        {
            *n = n.saturating_sub(1);
        }
        let step = &mut replays[j].steps[s];
        if let Some((lo, hi)) = step.range
            && let Some(at) = time(review_id_ms(id))
        {
            let answer_day = days.day_of(at);
            let counts: Vec<u32> = (lo..=hi)
                .map(|n| load.get(&(answer_day + i64::from(n))).copied().unwrap_or(0))
                .collect();
            let (deck_id, card_id) = ids[j];
            let seed = fuzz_seed(deck_id, card_id, step.after.reps.saturating_sub(1));
            let picked = pick_interval(
                (lo, hi),
                answer_day,
                &counts,
                balance.easy_days,
                fuzz_unit(seed),
            );
            step.after.due = truncate_state(CardState {
                due: at + chrono::TimeDelta::days(i64::from(picked)),
                ..step.after
            })
            .due;
        }
        if step.after.state == State::Review {
            let day = days.day_of(step.after.due);
            *load.entry(day).or_default() += 1;
            current[j] = Some(day);
        }
    }
    for r in replays.iter_mut() {
        if let (Some(last), Some(step)) = (r.last.as_mut(), r.steps.last()) {
            last.card = step.after;
        }
    }
    Ok(())
}

/// Builds the review log's per-card index again, both processor cores sorting: SQLite's
/// sorter hands runs to a second thread only when they outgrow the page cache, so the cache is
/// small (2 MB) while it sorts, and as it was afterwards. (500,000 reviews: 0.18 s rather than
/// 0.26 s with the usual 16 MB cache and one thread sorting.)
fn build_review_card_index(conn: &Connection) -> rusqlite::Result<()> {
    let cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.execute_batch(&format!(
        "PRAGMA cache_size = -2000; PRAGMA threads = 2; {} PRAGMA threads = 0; \
         PRAGMA cache_size = {cache};",
        super::migrate::REVIEW_CARD_INDEX
    ))
}

/// Writes `pending` (their states after from `replays`): into the log now, in id order, or
/// held back in `sink`'s staging (a sync's merge; written out when it ends or is full).
fn insert_pending<'a>(
    conn: &Connection,
    path: &Path,
    pending: &mut [Pending<'a>],
    replays: &[Replay],
    sink: &mut Sink<'_>,
) -> Result<(), StoreError> {
    fn values<'a>(p: &Pending<'a>, replays: &[Replay]) -> (Values, Option<&'a str>) {
        let r = p.review;
        let row = NewRow {
            card: p.card,
            at_ms: r.at.timestamp_millis(),
            kind: p.kind,
            response_ms: r.response_ms,
            answer: r.answer,
            after: (p.job != NO_JOB).then(|| replays[p.job as usize].steps[p.step as usize].after),
            before: Before::Implied,
        };
        (review_values(&row, p.id), r.answer)
    }
    let row = |p: &Pending<'a>| values(p, replays);
    match sink {
        Sink::Log => {
            pending.sort_unstable_by_key(|p| p.id);
            write_in_order(
                conn,
                path,
                pending.len(),
                &mut pending.iter().map(row),
                Outbox::Add,
            )
        }
        Sink::Stage(staged) => {
            for p in pending.iter() {
                let (values, answer) = row(p);
                staged.push(&values, answer);
            }
            if staged.is_full() {
                write_staged(conn, path, staged, None)?;
            }
            Ok(())
        }
    }
}

/// Writes the reviews held back in `staged`, of the cards `only` (all: `None`), in id order;
/// merged reviews, they stay out of the sync outbox.
pub(super) fn write_staged(
    conn: &Connection,
    path: &Path,
    staged: &mut Staged,
    only: Option<&HashSet<i64>>,
) -> Result<(), StoreError> {
    staged.drain(only, |n, rows| {
        write_in_order(conn, path, n, rows, Outbox::Skip)
    })
}

/// Writes `n` reviews given in id order. Many rows into a log smaller than four times their
/// number are written without the per-card index, which is built again afterwards (sorting
/// once is much cheaper than inserting at random places of it), all inside the caller's
/// transaction.
fn write_in_order(
    conn: &Connection,
    path: &Path,
    n: usize,
    rows: &mut dyn Iterator<Item = (Values, Option<&str>)>,
    outbox: Outbox,
) -> Result<(), StoreError> {
    if n == 0 {
        return Ok(());
    }
    let err = sql_err(path);
    // Reviews merged from another device's segments are not this device's to send out: the
    // trigger that puts every new review in the outbox is set aside while they are written,
    // and put back as it was, in the same transaction.
    let trigger = match outbox {
        Outbox::Add => SetAside::default(),
        Outbox::Skip => SetAside::new(conn, &[OUTBOX_TRIGGER]).map_err(&err)?,
    };
    // Counting a large log takes a while: only for a batch large enough to matter.
    let rebuild_index = n >= 20_000 && {
        let existing: i64 = conn
            .query_row("SELECT count(*) FROM review", [], |r| r.get(0))
            .map_err(&err)?;
        i64::try_from(n).map_or(true, |n| n.saturating_mul(4) > existing)
    };
    if rebuild_index {
        conn.execute_batch("DROP INDEX review_card;")
            .map_err(&err)?;
    }
    insert_values_many(conn, path, rows)?;
    trigger.put_back(conn).map_err(&err)?;
    if rebuild_index {
        build_review_card_index(conn).map_err(&err)?;
    }
    Ok(())
}

/// The trigger that puts each review added to the log in the sync outbox (schema 5).
const OUTBOX_TRIGGER: &str = "sync_review_added";

/// The trigger that notes a card's suspension or burial changing, for sync (schema 6).
const FLAGS_TRIGGER: &str = "sync_flags_written";

/// The indexes of the progress table.
const PROGRESS_INDEXES: [&str; 3] = ["progress_queue", "progress_due", "progress_flagged"];

/// Triggers and indexes set aside (dropped) for a large write, and put back as they were
/// (created again from their SQL) in the same transaction.
#[derive(Default)]
struct SetAside(Vec<String>);

impl SetAside {
    /// Drops those of `names` that exist, keeping their SQL.
    fn new(conn: &Connection, names: &[&str]) -> rusqlite::Result<Self> {
        let mut kept = Vec::new();
        for &name in names {
            let found: Option<(String, String)> = conn
                .query_row(
                    "SELECT type, sql FROM sqlite_schema WHERE name = ?1 \
                     AND type IN ('index', 'trigger') AND sql IS NOT NULL",
                    [name],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((kind, sql)) = found {
                conn.execute_batch(&format!("DROP {} \"{name}\";", kind.to_uppercase()))?;
                kept.push(sql);
            }
        }
        Ok(Self(kept))
    }

    fn put_back(self, conn: &Connection) -> rusqlite::Result<()> {
        for sql in self.0 {
            conn.execute_batch(&sql)?;
        }
        Ok(())
    }
}

/// Writes cards' progress rows. Many rows into a table smaller than four times their number:
/// its indexes are built again afterwards rather than written row by row. `merged` (a sync's
/// merge, which keeps every card's suspension and burial): the trigger that notes them
/// changing, which would find nothing, is set aside meanwhile.
fn put_progress_in(
    conn: &Connection,
    rows: &[(i64, i64, CardProgress)],
    merged: bool,
) -> rusqlite::Result<()> {
    let rebuild = rows.len() >= 5_000 && {
        let existing: i64 = conn.query_row("SELECT count(*) FROM progress", [], |r| r.get(0))?;
        i64::try_from(rows.len()).map_or(true, |n| n.saturating_mul(4) > existing)
    };
    let mut names: Vec<&str> = Vec::new();
    if merged {
        names.push(FLAGS_TRIGGER);
    }
    if rebuild {
        names.extend(PROGRESS_INDEXES);
    }
    let aside = SetAside::new(conn, &names)?;
    put_progress_many(conn, rows)?;
    aside.put_back(conn)
}

/// Where the reviews an import adds go.
pub(crate) enum Sink<'s> {
    /// Into the log at once, and to the sync outbox.
    Log,
    /// Held back (a sync's merge; they stay out of the outbox), to be written in id order
    /// when the merge ends.
    Stage(&'s mut Staged),
}

/// Whether the reviews an import adds go to the sync outbox, to be written out to the other
/// devices at the next sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outbox {
    /// Reviews new to the sync group (an import from a file, an answer): sent out.
    Add,
    /// Reviews merged from another device's segments: the others have them already.
    Skip,
}

impl Store {
    /// Saves `incoming` in ONE transaction (all or nothing): new reviews are added (one
    /// already present — same card, time, rating and mode — is skipped), every card that
    /// gained an srs review is rebuilt by replaying its whole srs log with `settings`, once;
    /// then the cards' given states and burials.
    pub fn import_incoming(
        &mut self,
        incoming: &Incoming<'_>,
        settings: &Settings,
    ) -> Result<ImportSummary, ImportError> {
        self.import_incoming_then(incoming, settings, &mut || true)
    }

    /// [`Store::import_incoming`] for reviews merged from another device's segments: the
    /// new reviews are held back in `staged` (see [`Staged`]), and stay out of this device's
    /// sync outbox. A card with reviews held back from before gets them written first.
    pub(crate) fn import_merged(
        &mut self,
        incoming: &Incoming<'_>,
        settings: &Settings,
        staged: &mut Staged,
    ) -> Result<ImportSummary, ImportError> {
        self.import_with(incoming, settings, &mut || true, Sink::Stage(staged))
    }

    /// [`Store::import_incoming`], asking `before_commit` last: when it says no, nothing is
    /// saved and the answer is [`ImportError::Abandoned`]. (An import of decks writes the deck
    /// files meanwhile, and saves the reviews only if they were written.)
    pub fn import_incoming_then(
        &mut self,
        incoming: &Incoming<'_>,
        settings: &Settings,
        before_commit: &mut dyn FnMut() -> bool,
    ) -> Result<ImportSummary, ImportError> {
        self.import_with(incoming, settings, before_commit, Sink::Log)
    }

    fn import_with(
        &mut self,
        incoming: &Incoming<'_>,
        settings: &Settings,
        before_commit: &mut dyn FnMut() -> bool,
        mut sink: Sink<'_>,
    ) -> Result<ImportSummary, ImportError> {
        // Refuse bad settings before anything is written.
        Scheduler::new(settings.scheduler_config())?;
        let rules = ScheduleRules::new(settings, self.deck_options()?);
        let rules = &rules;
        let Self { conn, path, .. } = self;
        let path: &Path = path;
        let err = sql_err(path);
        let tx = begin(conn, path)?;
        let mut summary = ImportSummary::default();
        let card_count = incoming.cards.len();
        let check_card = |c: u32| {
            usize::try_from(c)
                .ok()
                .filter(|&c| c < card_count)
                .ok_or_else(|| StoreError::Invalid(format!("incoming card {c} is not in the list")))
        };
        let states: HashMap<u32, CardProgress> = incoming.states.iter().copied().collect();
        let marks = reset_marks(&tx).map_err(&err)?;
        let marks = &marks;
        // Cards coming again whose reviews are held back: those are written first, so that
        // the log read below is whole.
        if let Sink::Stage(staged) = &mut sink {
            let again = staged.keys_among(&incoming.cards);
            if !again.is_empty() {
                write_staged(&tx, path, staged, Some(&again))?;
            }
        }
        // The reviews card by card, in their given order within each card.
        let order = by_card(&incoming.reviews, card_count);
        let mut keys: Vec<Option<(i64, i64)>> = vec![None; card_count];
        let mut plain: Vec<Pending<'_>> = Vec::new();
        let config = settings.scheduler_config();
        let threshold = settings.leech_threshold;
        let mut new_cards = NewCards::new(&tx).map_err(&err)?;
        // Each card's job is replayed on a second thread while the next ones are read.
        let (send, receive) = std::sync::mpsc::channel::<(usize, Job<'_>)>();
        let queue: JobQueue<'_> = Mutex::new(receive);
        let queue = &queue;
        let (built, replayed) = std::thread::scope(|scope| {
            let config = &config;
            let worker = scope.spawn(move || replay_from(queue, path, (config, rules), threshold));
            let mut made = 0;
            let built = (|| -> Result<(), ImportError> {
                let mut any_review = tx
                    .prepare_cached("SELECT 1 FROM review WHERE card = ?1 LIMIT 1")
                    .map_err(&err)?;
                let mut find_card = tx
                    .prepare_cached("SELECT key FROM card WHERE deck = ?1 AND id = ?2")
                    .map_err(&err)?;
                let mut deck_keys: HashMap<&str, (i64, bool)> = HashMap::new();
                let mut exists = tx
                    .prepare_cached(
                        "SELECT 1 FROM review WHERE card = ?1 AND id BETWEEN ?2 AND ?3 \
                         AND (kind & ?4) = ?5 LIMIT 1",
                    )
                    .map_err(&err)?;
                for group in
                    order.chunk_by(|&a, &b| incoming.reviews[a].card == incoming.reviews[b].card)
                {
                    let c = incoming.reviews[group[0]].card;
                    let ids = incoming.cards[check_card(c)?];
                    // A deck new to the profile has no cards yet: nothing to look up.
                    let (deck, new_deck) = if let Some(&k) = deck_keys.get(ids.0) {
                        k
                    } else {
                        let k = match deck_key(&tx, ids.0).map_err(&err)? {
                            Some(key) => (key, false),
                            None => (ensure_deck(&tx, ids.0).map_err(&err)?, true),
                        };
                        deck_keys.insert(ids.0, k);
                        k
                    };
                    // A card new to the profile has no log and no progress: nothing to read.
                    // (One card may come under two indexes: the second finds its new key.)
                    let found: Option<i64> = if let Some(key) = new_cards.key(deck, ids.1) {
                        Some(key)
                    } else if new_deck {
                        None
                    } else {
                        find_card
                            .query_row(params![deck, ids.1], |r| r.get(0))
                            .optional()
                            .map_err(&err)?
                    };
                    let new_card = found.is_none();
                    let card = found.unwrap_or_else(|| new_cards.add(deck, ids.1));
                    keys[c as usize] = Some((deck, card));
                    let had_log = !new_card && any_review.exists([card]).map_err(&err)?;
                    let card_hash = content_hash(ids.0, ids.1);
                    let mut seen = HashSet::new();
                    let mut new = Vec::with_capacity(group.len());
                    for &i in group {
                        let r = &incoming.reviews[i];
                        let at = r.at.timestamp_millis();
                        if !seen.insert((at, r.rating.number(), r.mode)) {
                            summary.reviews_skipped += 1;
                            continue;
                        }
                        if had_log
                            && exists
                                .exists(params![
                                    card,
                                    first_id(at),
                                    first_id(at + 1) - 1,
                                    KEY_MASK,
                                    Kind::key(r.rating, r.mode)
                                ])
                                .map_err(&err)?
                        {
                            summary.reviews_skipped += 1;
                            continue;
                        }
                        let id = if is_id_for(r.id, at) {
                            Some(r.id)
                        } else {
                            content_id_of(card_hash, at, r.rating, r.mode)
                        }
                        .ok_or_else(|| bad_time(path, &format!("{}/{}", ids.0, ids.1), at))?;
                        new.push((id, r));
                    }
                    summary.reviews_added += new.len();
                    if !new.iter().any(|(_, r)| r.mode == Mode::Srs) {
                        // Practice and drill answers alone change no state.
                        plain.extend(new.into_iter().map(|(id, r)| Pending {
                            id,
                            review: r,
                            card,
                            kind: Kind::new(r.rating, r.mode, r.correct),
                            job: NO_JOB,
                            step: 0,
                        }));
                        continue;
                    }
                    let stored_progress = if new_card {
                        None
                    } else {
                        read_progress(&tx, path, card)?
                    };
                    let flags = match stored_progress {
                        Some(p) => Flags::of(&p),
                        None => Flags {
                            suspended: states.get(&c).is_some_and(|p| p.suspended),
                            ..Flags::default()
                        },
                    };
                    let stored = if had_log {
                        stored_srs(&tx, card).map_err(&err)?
                    } else {
                        BTreeMap::new()
                    };
                    let _ = send.send((
                        made,
                        Job {
                            deck,
                            card,
                            ids,
                            flags,
                            stored,
                            incoming: new,
                            reset: marks.get(&card).copied(),
                        },
                    ));
                    made += 1;
                }
                Ok(())
            })();
            drop(send);
            // The new cards' rows are written while the other thread replays; then this
            // thread replays too, until the queue is empty.
            let built = built.and_then(|()| Ok(new_cards.flush(&tx).map_err(&err)?));
            let mut replayed = replay_from(queue, path, (config, rules), threshold);
            let other = worker.join().unwrap_or_else(|_| {
                Err(ImportError::Store(StoreError::Invalid(
                    "a replay thread stopped unexpectedly".to_owned(),
                )))
            });
            match (&mut replayed, other) {
                (Ok(mine), Ok(theirs)) => mine.extend(theirs),
                (_, Err(e)) => replayed = Err(e),
                (Err(_), Ok(_)) => {}
            }
            (built, replayed)
        });
        built?;
        let mut replayed = replayed?;
        replayed.sort_unstable_by_key(|&(i, _, _)| i);
        let (jobs, mut replays): (Vec<Job<'_>>, Vec<Replay>) = replayed
            .into_iter()
            .map(|(_, job, replay)| (job, replay))
            .unzip();
        let ids: Vec<(&str, &str)> = jobs.iter().map(|j| j.ids).collect();
        let cards: Vec<i64> = jobs.iter().map(|j| j.card).collect();
        balance_replays(&tx, path, rules, (&ids, &cards), &mut replays)?;
        let mut pending = plain;
        pending.reserve(incoming.reviews.len());
        let mut progress = Vec::with_capacity(jobs.len());
        for (i, (job, replay)) in jobs.iter().zip(&replays).enumerate() {
            let index = u32::try_from(i).unwrap_or(NO_JOB);
            write_job(
                &tx,
                path,
                (job, index),
                replay,
                (&mut pending, &mut progress),
            )?;
            summary.cards_rebuilt += 1;
        }
        put_progress_in(&tx, &progress, matches!(sink, Sink::Stage(_))).map_err(&err)?;
        drop(progress);

        if let Sink::Stage(staged) = &mut sink {
            for (c, key) in keys.iter().enumerate() {
                if let Some((_, card)) = key {
                    staged.note_card(incoming.cards[c], *card);
                }
            }
        }
        insert_pending(&tx, path, &mut pending, &replays, &mut sink)?;

        drop(replays);
        let rebuilt: HashSet<i64> = jobs.iter().map(|j| j.card).collect();
        {
            let mut has_srs = tx
                .prepare_cached(&format!(
                    "SELECT 1 FROM review WHERE card = ?1 AND {IS_SRS} LIMIT 1"
                ))
                .map_err(&err)?;
            for &(c, p) in &incoming.states {
                let ids = incoming.cards[check_card(c)?];
                let (deck, card) = ensure_card(&tx, ids.0, ids.1).map_err(&err)?;
                if rebuilt.contains(&card)
                    || read_progress(&tx, path, card)?.is_some()
                    || has_srs.exists([card]).map_err(&err)?
                {
                    continue;
                }
                put_progress(&tx, deck, card, &p.truncated()).map_err(&err)?;
                summary.cards_added += 1;
            }
        }
        for &(c, until) in &incoming.buried {
            let ids = incoming.cards[check_card(c)?];
            let (deck, card) = match keys[c as usize] {
                Some(k) => k,
                None => ensure_card(&tx, ids.0, ids.1).map_err(&err)?,
            };
            let mut p =
                read_progress(&tx, path, card)?.unwrap_or_else(|| CardProgress::new_card(until));
            p.buried_until = Some(until);
            put_progress(&tx, deck, card, &p.truncated()).map_err(&err)?;
        }
        if !before_commit() {
            return Err(ImportError::Abandoned);
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
        let rules = ScheduleRules::new(settings, self.deck_options()?);
        let Self { conn, path, .. } = self;
        let path: &Path = path;
        let tx = begin(conn, path)?;
        let changed = rebuild_in(&tx, path, settings, (&scheduler, &rules), None)?;
        tx.commit().map_err(sql_err(path))?;
        Ok(changed)
    }
}

/// [`Store::rebuild_all`] inside the transaction `tx`, of every card (`only: None`) or of the
/// cards with the keys `only` (read card by card: a few cards of a large profile are quick).
pub(super) fn rebuild_in(
    tx: &Connection,
    path: &Path,
    settings: &Settings,
    (scheduler, rules): (&Scheduler, &ScheduleRules),
    only: Option<&[i64]>,
) -> Result<usize, ImportError> {
    let err = sql_err(path);
    // Every card's ids, keys and stored progress.
    let mut cards: HashMap<i64, (String, String, i64, Option<CardProgress>)> = HashMap::new();
    let mut log: Vec<(i64, i64, Rating)> = Vec::new();
    let card_sql = "SELECT c.key, d.id, c.id, d.key FROM card c JOIN deck d ON d.key = c.deck";
    let log_sql = format!("SELECT card, id, kind FROM review WHERE {IS_SRS}");
    let read_log = |stmt: &mut rusqlite::Statement<'_>,
                    params: &[&dyn rusqlite::ToSql],
                    log: &mut Vec<(i64, i64, Rating)>|
     -> Result<(), StoreError> {
        let mut rows = stmt.query(params).map_err(&err)?;
        while let Some(r) = rows.next().map_err(&err)? {
            let (card, id, kind): (i64, i64, i64) = (
                r.get(0).map_err(&err)?,
                r.get(1).map_err(&err)?,
                r.get(2).map_err(&err)?,
            );
            log.push((card, id, unpack(path, id, kind)?.rating));
        }
        Ok(())
    };
    match only {
        None => {
            cards = tx
                .prepare(card_sql)
                .and_then(|mut s| {
                    s.query_map([], |r| {
                        Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, None)))
                    })
                    .and_then(Iterator::collect)
                })
                .map_err(&err)?;
            for (key, progress) in progress_by_key(tx, path)? {
                if let Some(entry) = cards.get_mut(&key) {
                    entry.3 = Some(progress);
                }
            }
            // One pass over the log in id order; then card by card.
            let mut stmt = tx.prepare(&log_sql).map_err(&err)?;
            read_log(&mut stmt, &[], &mut log)?;
        }
        Some(keys) => {
            let mut card_stmt = tx
                .prepare_cached(&format!("{card_sql} WHERE c.key = ?1"))
                .map_err(&err)?;
            let mut log_stmt = tx
                .prepare_cached(&format!("{log_sql} AND card = ?1"))
                .map_err(&err)?;
            for &key in keys {
                let found = card_stmt
                    .query_row([key], |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?)))
                    .optional()
                    .map_err(&err)?;
                let Some((deck_id, card_id, deck)) = found else {
                    continue;
                };
                if cards.contains_key(&key) {
                    continue;
                }
                let progress = read_progress(tx, path, key)?;
                cards.insert(key, (deck_id, card_id, deck, progress));
                read_log(&mut log_stmt, &[&key], &mut log)?;
            }
        }
    }
    log.sort_unstable_by_key(|&(card, id, _)| (card, id));
    let marks = reset_marks(tx).map_err(&err)?;
    let mut batch: Vec<ReplayRow> = Vec::new();
    let mut replayed_cards = Vec::new();
    let mut replays = Vec::new();
    for group in log.chunk_by(|a, b| a.0 == b.0) {
        let card = group[0].0;
        let Some((deck_id, card_id, _, old)) = cards.get(&card) else {
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
        replays.push(replay(
            scheduler,
            rules,
            settings.leech_threshold,
            (deck_id, card_id),
            &mut batch,
            (flags, marks.get(&card).copied()),
        ));
        replayed_cards.push(card);
    }
    let ids: Vec<(&str, &str)> = replayed_cards
        .iter()
        .filter_map(|c| cards.get(c).map(|(d, i, _, _)| (d.as_str(), i.as_str())))
        .collect();
    balance_replays(tx, path, rules, (&ids, &replayed_cards), &mut replays)?;
    let mut changed = 0;
    let mut progress = Vec::new();
    for (card, replayed) in replayed_cards.iter().zip(&replays) {
        let Some((deck_id, card_id, deck, old)) = cards.get(card) else {
            continue;
        };
        if replayed.last == *old {
            continue;
        }
        changed += 1;
        let flags = old.as_ref().map(Flags::of).unwrap_or_default();
        let card = *card;
        let job = Job {
            deck: *deck,
            card,
            ids: (deck_id, card_id),
            flags,
            stored: stored_srs(tx, card).map_err(&err)?,
            incoming: Vec::new(),
            reset: marks.get(&card).copied(),
        };
        write_job(
            tx,
            path,
            (&job, NO_JOB),
            replayed,
            (&mut Vec::new(), &mut progress),
        )?;
    }
    put_progress_many(tx, &progress).map_err(&err)?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::Rating;
    use chrono::TimeZone as _;

    #[test]
    fn a_review_of_a_card_past_the_list_is_refused_and_nothing_saved() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("p.sqlite3")).unwrap();
        let review = |card| IncomingReview {
            card,
            at: Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap(),
            rating: Rating::Good,
            mode: Mode::Srs,
            answer: None,
            correct: None,
            response_ms: 1000,
            id: 0,
        };
        for past in [1, 7, u32::MAX] {
            let incoming = Incoming {
                cards: vec![("d", "c")],
                reviews: vec![review(0), review(past)],
                ..Incoming::default()
            };
            let err = store
                .import_incoming(&incoming, &Settings::default())
                .unwrap_err();
            assert!(
                err.to_string()
                    .contains(&format!("incoming card {past} is not in the list")),
                "{err}"
            );
            assert_eq!(store.review_count().unwrap(), 0);
        }
    }
}
