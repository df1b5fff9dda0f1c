//! A study session over the store and the scheduler, with no UI: the cards to go through, the
//! answer buttons' outcomes, answering (one committed transaction per answer), undo and the
//! end-of-session summary.
//!
//! Modes: `srs` answers move the cards' schedules; `practice` and `drill` answers are only
//! logged (with their mode) and leave every card's progress untouched. In `drill`, a card
//! answered wrong goes back to the end of the queue until it is answered right.
//!
//! In `srs`, a card that is in Learning or Relearning after its answer comes back in this
//! session at its due time: due learning cards go before the rest of the queue, and when
//! nothing else is left a learning card due within the learn-ahead limit (20 minutes) is shown
//! early. Time only moves when the caller says so (`answer`, `undo`, `advance`): the session
//! never reads the clock.
//!
//! The session never holds the store: the caller keeps it and lends it to each call that
//! reads or writes (`answer`, `undo`, `suspend_current`, …), so a session that fails to start,
//! or is dropped, leaves the profile's database open where it was.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};

use crate::plan::ScheduleRules;
use crate::schedule::{
    DueCounts, Outcomes, Placement, QueueItem, QueueLimits, Rating, ScheduleError, Scheduler,
    State, Today, build_queue, day_start, due_counts, fuzz_seed,
};
use crate::settings::Settings;
use crate::store::{
    CardProgress, LeechPolicy, Mode, NewReview, ReviewRecord, Store, StoreError, StoreLoad,
};

/// A card's identity across deck edits: deck id + card id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardKey {
    pub deck_id: String,
    pub card_id: String,
}

impl CardKey {
    #[must_use]
    pub fn new(deck_id: impl Into<String>, card_id: impl Into<String>) -> Self {
        Self {
            deck_id: deck_id.into(),
            card_id: card_id.into(),
        }
    }
}

impl std::fmt::Display for CardKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.deck_id, self.card_id)
    }
}

/// Session errors.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("there is no card to answer")]
    NoCard,
    #[error("there is no answer to undo")]
    NothingToUndo,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the settings cannot be used for scheduling: {0}")]
    Schedule(#[from] ScheduleError),
}

/// How a session behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionOptions {
    pub mode: Mode,
    pub leech: LeechPolicy,
    /// When nothing else is left, a learning card due this soon is shown early.
    pub learn_ahead: TimeDelta,
}

impl SessionOptions {
    #[must_use]
    pub fn from_settings(settings: &Settings, mode: Mode) -> Self {
        Self {
            mode,
            leech: LeechPolicy::from_settings(settings),
            learn_ahead: QueueLimits::default().learn_ahead,
        }
    }
}

/// What one answer did.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerOutcome {
    pub review_id: i64,
    pub key: CardKey,
    pub rating: Rating,
    /// `correct` when given, else any rating but Again.
    pub right: bool,
    /// The card's progress after the answer (unchanged in practice and drill).
    pub progress: CardProgress,
    /// This answer made the card a leech.
    pub became_leech: bool,
    /// The card comes back later in this session (learning step, or a drill miss).
    pub requeued: bool,
}

/// What one undo did.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoOutcome {
    pub key: CardKey,
    /// The deleted review.
    pub review: ReviewRecord,
    /// The card's progress now.
    pub progress: CardProgress,
}

/// Right and wrong answers of one category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub right: u32,
    pub wrong: u32,
}

/// The end-of-session summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub mode: Mode,
    /// Different cards answered.
    pub cards_studied: usize,
    pub answers: usize,
    pub right: usize,
    pub wrong: usize,
    /// Total response time.
    pub time: Duration,
    /// Per category (empty without a category lookup).
    pub by_category: BTreeMap<String, Tally>,
    /// Cards answered wrong at least once, in the order first missed.
    pub missed: Vec<CardKey>,
    /// The earliest due time among the cards studied (srs; suspended cards left out).
    pub next_due: Option<DateTime<Utc>>,
}

/// Where an answered card went, so undo can take it back out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Requeue {
    None,
    Learning,
    DrillEnd,
}

/// Where the current card comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pick {
    /// The first waiting learning card.
    Learning,
    /// The front of the queue.
    Queue,
}

#[derive(Debug, Clone)]
struct Answered {
    review_id: i64,
    key: CardKey,
    right: bool,
    response: Duration,
    before: CardProgress,
    /// Where the card was taken from: undo puts it back there.
    pick: Pick,
    requeue: Requeue,
}

/// A study session. It holds no store: the calls that read or write take one.
pub struct Session {
    scheduler: Scheduler,
    options: SessionOptions,
    queue: VecDeque<CardKey>,
    /// Learning cards waiting in this session, sorted by due time.
    learning: Vec<(DateTime<Utc>, CardKey)>,
    progress: HashMap<CardKey, CardProgress>,
    history: Vec<Answered>,
    /// After an undo, the undone card is shown next whatever the clock says.
    pinned: Option<Pick>,
    clock: DateTime<Utc>,
    /// Load balancing, easy days, each deck's retention and exam (`None`: the profile's
    /// retention and plain fuzz).
    rules: Option<Arc<ScheduleRules>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("options", &self.options)
            .field("queue", &self.queue.len())
            .field("learning", &self.learning.len())
            .field("answered", &self.history.len())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session over `queue` (duplicates dropped), reading each card's progress from the
    /// store (a card with none is a new card).
    pub fn new(
        store: &Store,
        scheduler: Scheduler,
        queue: Vec<CardKey>,
        options: SessionOptions,
        now: DateTime<Utc>,
    ) -> Result<Self, SessionError> {
        let mut with_states = Vec::with_capacity(queue.len());
        for key in queue {
            let p = store.card(&key.deck_id, &key.card_id)?;
            with_states.push((key, p.unwrap_or_else(|| CardProgress::new_card(now))));
        }
        Ok(Self::from_states(scheduler, with_states, options, now))
    }

    /// A session over cards whose progress the caller already has (as [`deck_queue`]
    /// returns them), without reading the store.
    #[must_use]
    pub fn from_states(
        scheduler: Scheduler,
        queue: Vec<(CardKey, CardProgress)>,
        options: SessionOptions,
        now: DateTime<Utc>,
    ) -> Self {
        let mut progress = HashMap::with_capacity(queue.len());
        let mut keys = VecDeque::with_capacity(queue.len());
        for (key, p) in queue {
            if !progress.contains_key(&key) {
                progress.insert(key.clone(), p);
                keys.push_back(key);
            }
        }
        Self {
            scheduler,
            options,
            queue: keys,
            learning: Vec::new(),
            progress,
            history: Vec::new(),
            pinned: None,
            clock: now,
            rules: None,
        }
    }

    /// This session with the profile's schedule rules: answers are placed by them.
    #[must_use]
    pub fn with_rules(mut self, rules: Arc<ScheduleRules>) -> Self {
        self.rules = Some(rules);
        self
    }

    /// A session with the scheduler and options made from the profile's settings.
    pub fn from_settings(
        settings: &Settings,
        mode: Mode,
        queue: Vec<(CardKey, CardProgress)>,
        now: DateTime<Utc>,
    ) -> Result<Self, SessionError> {
        let scheduler = Scheduler::new(settings.scheduler_config())?;
        Ok(Self::from_states(
            scheduler,
            queue,
            SessionOptions::from_settings(settings, mode),
            now,
        ))
    }

    #[must_use]
    pub fn mode(&self) -> Mode {
        self.options.mode
    }

    #[must_use]
    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    /// Moves the session's clock (e.g. while the learner waits for a learning card).
    pub fn advance(&mut self, now: DateTime<Utc>) {
        self.clock = now;
    }

    fn pick(&self) -> Option<Pick> {
        if self.pinned.is_some() {
            return self.pinned;
        }
        if let Some((due, _)) = self.learning.first()
            && *due <= self.clock
        {
            return Some(Pick::Learning);
        }
        if !self.queue.is_empty() {
            return Some(Pick::Queue);
        }
        match self.learning.first() {
            Some((due, _)) if *due <= self.clock + self.options.learn_ahead => Some(Pick::Learning),
            _ => None,
        }
    }

    /// The card to show now, if any.
    #[must_use]
    pub fn current(&self) -> Option<&CardKey> {
        Some(match self.pick()? {
            Pick::Learning => &self.learning.first()?.1,
            Pick::Queue => self.queue.front()?,
        })
    }

    /// The current card's progress as the session knows it.
    #[must_use]
    pub fn current_progress(&self) -> Option<&CardProgress> {
        self.progress.get(self.current()?)
    }

    /// A card's progress as the session knows it (cards of this session only).
    #[must_use]
    pub fn progress(&self, key: &CardKey) -> Option<&CardProgress> {
        self.progress.get(key)
    }

    /// No card to show now (learning cards may still come later: see `next_learning_due`).
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.pick().is_none()
    }

    /// Cards still to go: the queue and the waiting learning cards.
    #[must_use]
    pub fn remaining(&self) -> usize {
        self.queue.len() + self.learning.len()
    }

    /// Cards not shown yet in this session (those coming back are counted apart, by
    /// [`Session::coming_back`]): falls with every first answer.
    #[must_use]
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Cards answered in this session that come back later in it (learning steps).
    #[must_use]
    pub fn coming_back(&self) -> usize {
        self.learning.len()
    }

    /// When the next learning card waiting in this session is due.
    #[must_use]
    pub fn next_learning_due(&self) -> Option<DateTime<Utc>> {
        self.learning.first().map(|(due, _)| *due)
    }

    /// The four outcomes of the current card if answered at `now`, for the answer buttons
    /// (`Outcomes::interval_label`). `None` when there is no card or not in srs mode.
    #[must_use]
    pub fn preview(&self, now: DateTime<Utc>) -> Option<Outcomes> {
        if self.options.mode != Mode::Srs {
            return None;
        }
        let key = self.current()?;
        let card = self.progress.get(key)?.card;
        let seed = fuzz_seed(&key.deck_id, &key.card_id, card.reps);
        Some(match &self.rules {
            // The buttons show the interval before load balancing moves it a day or two.
            Some(rules) => self.scheduler.preview_placed(
                &card,
                now,
                seed,
                &Placement {
                    balance: None,
                    ..rules.placement(&key.deck_id, now, &())
                },
            ),
            None => self.scheduler.preview(&card, now, seed),
        })
    }

    fn take(&mut self, pick: Pick) -> Option<CardKey> {
        match pick {
            Pick::Learning => (!self.learning.is_empty()).then(|| self.learning.remove(0).1),
            Pick::Queue => self.queue.pop_front(),
        }
    }

    fn insert_learning(&mut self, due: DateTime<Utc>, key: CardKey) {
        let at = self.learning.partition_point(|(d, _)| *d <= due);
        self.learning.insert(at, (due, key));
    }

    /// Answers the current card. The answer (and, in srs, the card's new state) is committed
    /// in one transaction before this returns; on error the session is unchanged.
    pub fn answer(
        &mut self,
        store: &mut Store,
        rating: Rating,
        answer_given: Option<&str>,
        correct: Option<bool>,
        response: Duration,
        now: DateTime<Utc>,
    ) -> Result<AnswerOutcome, SessionError> {
        let pick = self.pick().ok_or(SessionError::NoCard)?;
        let key = self.current().ok_or(SessionError::NoCard)?.clone();
        let before = self
            .progress
            .get(&key)
            .copied()
            .unwrap_or_else(|| CardProgress::new_card(now));
        let mode = self.options.mode;
        let state_after = (mode == Mode::Srs).then(|| {
            let seed = fuzz_seed(&key.deck_id, &key.card_id, before.card.reps);
            match &self.rules {
                Some(rules) => {
                    let load = StoreLoad {
                        store,
                        days: rules.days(),
                        except: (before.card.state == State::Review).then_some(before.card.due),
                    };
                    let placement = rules.placement(&key.deck_id, now, &load);
                    self.scheduler
                        .review_placed(&before.card, rating, now, seed, &placement)
                        .state
                }
                None => self.scheduler.review(&before.card, rating, now, seed),
            }
        });
        let recorded = store.record_answer(
            &NewReview {
                deck_id: &key.deck_id,
                card_id: &key.card_id,
                at: now,
                rating,
                mode,
                answer_given,
                correct,
                response_ms: u64::try_from(response.as_millis()).unwrap_or(u64::MAX),
                state_after,
            },
            self.options.leech,
        )?;
        self.clock = now;
        self.pinned = None;
        let taken = self.take(pick);
        debug_assert_eq!(taken.as_ref(), Some(&key));
        let right = correct.unwrap_or(rating != Rating::Again);
        let after = recorded.after.unwrap_or(before);
        self.progress.insert(key.clone(), after);
        let requeue = match mode {
            Mode::Srs
                if matches!(after.card.state, State::Learning | State::Relearning)
                    && !after.suspended =>
            {
                self.insert_learning(after.card.due, key.clone());
                Requeue::Learning
            }
            Mode::Drill if !right => {
                self.queue.push_back(key.clone());
                Requeue::DrillEnd
            }
            _ => Requeue::None,
        };
        self.history.push(Answered {
            review_id: recorded.review_id,
            key: key.clone(),
            right,
            response,
            before,
            pick,
            requeue,
        });
        Ok(AnswerOutcome {
            review_id: recorded.review_id,
            key,
            rating,
            right,
            progress: after,
            became_leech: recorded.became_leech,
            requeued: requeue != Requeue::None,
        })
    }

    /// Takes the current card out of the session after `change` updated it in the store
    /// (suspend, bury). Returns the card and its progress before, for
    /// [`Store::restore_card`].
    fn set_aside(
        &mut self,
        store: &mut Store,
        change: impl FnOnce(&mut Store, &CardKey) -> Result<Option<CardProgress>, StoreError>,
    ) -> Result<(CardKey, Option<CardProgress>), SessionError> {
        let pick = self.pick().ok_or(SessionError::NoCard)?;
        let key = self.current().ok_or(SessionError::NoCard)?.clone();
        let old = change(store, &key)?;
        self.take(pick);
        self.pinned = None;
        if let Some(p) = store.card(&key.deck_id, &key.card_id)? {
            self.progress.insert(key.clone(), p);
        }
        Ok((key, old))
    }

    /// Suspends the current card and takes it out of the session. Returns the card and its
    /// progress before (give both to [`Store::restore_card`] to take it back).
    pub fn suspend_current(
        &mut self,
        store: &mut Store,
        now: DateTime<Utc>,
    ) -> Result<(CardKey, Option<CardProgress>), SessionError> {
        self.set_aside(store, |store, k| {
            store.set_suspended(&k.deck_id, &k.card_id, true, now)
        })
    }

    /// Buries the current card until `until` (normally the next day start:
    /// `schedule::day_end(&now_local, settings.day_starts_at)`) and takes it out of the
    /// session. Returns the card and its progress before, as `suspend_current`.
    pub fn bury_current(
        &mut self,
        store: &mut Store,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(CardKey, Option<CardProgress>), SessionError> {
        self.set_aside(store, |store, k| {
            store.bury(&k.deck_id, &k.card_id, Some(until), now)
        })
    }

    /// The review id of the session's last answer (the one [`Session::undo`] takes back).
    #[must_use]
    pub fn last_review_id(&self) -> Option<i64> {
        self.history.last().map(|a| a.review_id)
    }

    /// Whether there is an answer to undo.
    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.history.is_empty()
    }

    /// Undoes the session's last answer (repeatable, one by one, also after the last card):
    /// the review is removed and the card's progress restored in one transaction, and the
    /// card goes back to the front of the queue.
    pub fn undo(
        &mut self,
        store: &mut Store,
        now: DateTime<Utc>,
    ) -> Result<UndoOutcome, SessionError> {
        let last = self.history.last().ok_or(SessionError::NothingToUndo)?;
        let undone = store.undo_answer(last.review_id)?;
        let Some(last) = self.history.pop() else {
            return Err(SessionError::NothingToUndo);
        };
        match last.requeue {
            Requeue::Learning => {
                if let Some(i) = self.learning.iter().position(|(_, k)| *k == last.key) {
                    self.learning.remove(i);
                }
            }
            Requeue::DrillEnd => {
                if let Some(i) = self.queue.iter().rposition(|k| *k == last.key) {
                    self.queue.remove(i);
                }
            }
            Requeue::None => {}
        }
        let progress = match self.options.mode {
            Mode::Srs => undone.restored.unwrap_or(last.before),
            Mode::Practice | Mode::Drill | Mode::Test => last.before,
        };
        self.progress.insert(last.key.clone(), progress);
        // Back where it was taken from (the queue's front or the head of the learning list),
        // so the session is as it was before the answer, and shown next.
        match last.pick {
            Pick::Queue => self.queue.push_front(last.key.clone()),
            Pick::Learning => self
                .learning
                .insert(0, (last.before.card.due, last.key.clone())),
        }
        self.pinned = Some(last.pick);
        self.clock = now;
        Ok(UndoOutcome {
            key: last.key,
            review: undone.review,
            progress,
        })
    }

    /// The summary so far.
    #[must_use]
    pub fn summary(&self) -> Summary {
        self.summary_with_categories(|_| None)
    }

    /// The summary, with right/wrong counts per category from `category`.
    #[must_use]
    pub fn summary_with_categories(
        &self,
        category: impl Fn(&CardKey) -> Option<String>,
    ) -> Summary {
        let mut studied = HashSet::new();
        let mut missed_set = HashSet::new();
        let mut missed = Vec::new();
        let mut by_category: BTreeMap<String, Tally> = BTreeMap::new();
        let mut right = 0;
        let mut time = Duration::ZERO;
        for a in &self.history {
            studied.insert(&a.key);
            time += a.response;
            if a.right {
                right += 1;
            } else if missed_set.insert(&a.key) {
                missed.push(a.key.clone());
            }
            if let Some(c) = category(&a.key) {
                let t = by_category.entry(c).or_default();
                if a.right {
                    t.right += 1;
                } else {
                    t.wrong += 1;
                }
            }
        }
        let next_due = if self.options.mode == Mode::Srs {
            studied
                .iter()
                .filter_map(|k| self.progress.get(*k))
                .filter(|p| !p.suspended)
                .map(|p| p.card.due)
                .min()
        } else {
            None
        };
        Summary {
            mode: self.options.mode,
            cards_studied: studied.len(),
            answers: self.history.len(),
            right,
            wrong: self.history.len() - right,
            time,
            by_category,
            missed,
            next_due,
        }
    }
}

/// The study day's limits from the settings.
#[must_use]
pub fn queue_limits(settings: &Settings) -> QueueLimits {
    QueueLimits {
        new_per_day: settings.new_per_day,
        reviews_per_day: settings.reviews_per_day,
        ..QueueLimits::default()
    }
}

/// A queue item carrying the card's key and full progress.
pub(crate) type DeckItem = QueueItem<(CardKey, CardProgress)>;

/// Everything today's queue of one deck can hold: its stored cards the day's limits let
/// through ([`Store::queue_cards`]) and, in deck order, as many never-studied cards as new
/// cards are left today. Stored cards no longer in the deck are left out (their rows stay).
pub(crate) fn deck_items<Tz: TimeZone>(
    store: &Store,
    deck_id: &str,
    card_ids: &[&str],
    settings: &Settings,
    now_local: &DateTime<Tz>,
) -> Result<(Vec<DeckItem>, Today, QueueLimits), StoreError> {
    let now = now_local.with_timezone(&Utc);
    let mut today = Today::new(now_local, settings.day_starts_at);
    let counts = store.counts_since(day_start(now_local, settings.day_starts_at))?;
    if let Some(c) = counts.get(deck_id) {
        today.new_studied = c.new_introduced;
        today.reviews_studied = c.reviews;
    }
    let mut limits = queue_limits(settings);
    if let Some(exam) = store.exam(deck_id)? {
        let stored = store.stored_card_count(deck_id)?;
        let pace = crate::plan::new_pace(
            &exam,
            crate::schedule::StudyDays::local(settings.day_starts_at),
            now,
            limits.new_per_day,
            card_ids.len().saturating_sub(stored),
            today.new_studied,
        );
        limits.new_per_day = pace.per_day;
    }
    let order: rustc_hash::FxHashMap<&str, u32> = card_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    let item = |id: &str, p: CardProgress, new_order: u32| QueueItem {
        key: (CardKey::new(deck_id, id), p),
        state: p.card,
        suspended: p.suspended,
        buried_until: p.buried_until,
        new_order,
    };
    let mut items: Vec<_> = store
        .queue_cards(
            deck_id,
            now,
            now + limits.learn_ahead,
            today.day_end,
            limits.reviews_per_day.saturating_sub(today.reviews_studied),
        )?
        .into_iter()
        .filter_map(|r| {
            let at = *order.get(r.card_id.as_str())?;
            Some(item(&r.card_id, r.progress, at))
        })
        .collect();
    let new_left = limits.new_per_day.saturating_sub(today.new_studied) as usize;
    // A deck whose every card has stored progress has no new card to introduce: a count
    // says so without reading thousands of ids.
    if new_left > 0 && store.stored_card_count(deck_id)? < card_ids.len() {
        let stored = store.stored_card_ids(deck_id)?;
        items.extend(
            card_ids
                .iter()
                .enumerate()
                .filter(|(_, id)| !stored.contains(**id))
                .take(new_left)
                .map(|(i, id)| {
                    item(
                        id,
                        CardProgress::new_card(now),
                        u32::try_from(i).unwrap_or(u32::MAX),
                    )
                }),
        );
    }
    Ok((items, today, limits))
}

/// Today's srs queue for one deck whose cards are `card_ids` (deck order, which is the order
/// new cards are introduced), with the daily limits of `settings` minus what was studied
/// today. Ready for [`Session::from_states`].
pub fn deck_queue<Tz: TimeZone>(
    store: &Store,
    deck_id: &str,
    card_ids: &[&str],
    settings: &Settings,
    now_local: &DateTime<Tz>,
) -> Result<Vec<(CardKey, CardProgress)>, StoreError> {
    let (items, today, limits) = deck_items(store, deck_id, card_ids, settings, now_local)?;
    Ok(build_queue(&items, &today, &limits)
        .into_iter()
        .map(|e| e.key.clone())
        .collect())
}

/// The home screen's numbers for one deck: new, learning and review cards waiting today.
pub fn deck_due_counts<Tz: TimeZone>(
    store: &Store,
    deck_id: &str,
    card_ids: &[&str],
    settings: &Settings,
    now_local: &DateTime<Tz>,
) -> Result<DueCounts, StoreError> {
    let (items, today, limits) = deck_items(store, deck_id, card_ids, settings, now_local)?;
    Ok(due_counts(&items, &today, &limits))
}

/// What waits beyond today's queue over some decks, to say why a session holds fewer cards
/// than the decks have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Waiting {
    /// Cards due today after the daily limits, deck by deck, as the home screen counts them
    /// (before siblings are set aside).
    pub due: u32,
    /// Never-studied cards beyond what today's new-card limit lets through.
    pub new_over_limit: u32,
}

/// [`Waiting`] over `decks` as of `now_local`.
pub fn waiting_today<Tz: TimeZone>(
    store: &Store,
    decks: &[&crate::deck::Deck],
    settings: &Settings,
    now_local: &DateTime<Tz>,
) -> Result<Waiting, StoreError> {
    let counts = store.counts_since(day_start(now_local, settings.day_starts_at))?;
    let mut waiting = Waiting::default();
    for deck in decks {
        let ids: Vec<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
        let due = deck_due_counts(store, &deck.id, &ids, settings, now_local)?;
        waiting.due = waiting.due.saturating_add(due.total());
        let unseen = ids.len().saturating_sub(store.stored_card_count(&deck.id)?);
        let introduced = counts.get(&deck.id).map_or(0, |c| c.new_introduced);
        let new_left = settings.new_per_day.saturating_sub(introduced) as usize;
        let over = u32::try_from(unseen.saturating_sub(new_left)).unwrap_or(u32::MAX);
        waiting.new_over_limit = waiting.new_over_limit.saturating_add(over);
    }
    Ok(waiting)
}
