//! The collection: one learner's open profile — its store, its settings and the loaded decks —
//! and every operation a user makes on them.
//!
//! As in Anki's rslib, a user operation (answer, undo, suspend a selection, change a setting,
//! use new memory parameters, take in a saved deck, …) is one method that runs in one
//! transaction and returns an [`OpOutput`]: its result and the [`Changes`] it made, from which
//! screens redraw. Operations that can be taken back push one entry on the collection's one
//! undo stack, labelled as the undo button says it ("Undo Suspend 40 cards"); [`Collection::undo`]
//! takes back the newest. Reads are plain methods. The store itself is never lent out for
//! writing: background jobs get a [`Connector`] that opens their own connection.

mod changes;
mod classes;
mod decks;
mod plan;
mod undo;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

pub use changes::Changes;
pub use decks::article_path;
pub use plan::ExamSet;
pub use undo::Op;
use undo::{Entry, Revert};

use crate::deck::{self, DeckFileError, Library, Origin};
use crate::domain::{CardProgress, Mode};
use crate::drill::LogEntry;
use crate::optimize;
use crate::schedule::Rating;
use crate::selftest::{SelfTest, TestResult};
use crate::session::{AnswerOutcome, CardKey, Session, SessionError};
use crate::settings::{Settings, SettingsError};
use crate::store::BeforeReset;
use crate::store::{NewReview, Store, StoreError};

/// What went wrong in an operation. Nothing was changed when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum CollectionError {
    #[error("no profile is open")]
    NoProfile,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Setting(#[from] SettingsError),
    #[error("the profile's settings cannot be used for scheduling: {0}")]
    Schedule(#[from] crate::schedule::ScheduleError),
    #[error("there is nothing to undo")]
    NothingToUndo,
    #[error(transparent)]
    Plan(#[from] crate::plan::PlanError),
    /// A class, its roster or its settings refused (a name taken, a student not found).
    #[error(transparent)]
    Class(#[from] crate::class::ClassError),
    /// A caller mistake, such as an srs answer logged without its session.
    #[error("{0}")]
    Invalid(String),
    /// A deck file could not be read, written or removed.
    #[error("{}: {message}", crate::file_name(path))]
    File { path: PathBuf, message: String },
}

/// An operation's result and what it changed.
#[derive(Debug, Clone, PartialEq)]
pub struct OpOutput<T> {
    pub output: T,
    pub changes: Changes,
}

impl<T> OpOutput<T> {
    fn new(output: T, changes: Changes) -> Self {
        Self { output, changes }
    }
}

/// What [`Collection::undo`] took back.
#[derive(Debug, Clone, PartialEq)]
pub struct Undone {
    /// The operation taken back.
    pub op: Op,
    /// The cards whose progress is back as it was, with that progress.
    pub cards: Vec<(CardKey, Option<CardProgress>)>,
    /// For an answer: whether it was the given session's last answer (the session stepped
    /// back with it, and shows the card again).
    pub in_session: bool,
}

/// Opens connections of their own to a profile's database, for background jobs: the
/// collection's own ([`Collection::connector`]) or another profile's (statistics of another
/// learner, [`Connector::other_profile`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connector {
    path: PathBuf,
    /// The profile's name (`None`: the store names it after the file, as it always does).
    profile: Option<String>,
    /// The collection's own database: opened and checked already.
    checked: bool,
}

impl Connector {
    /// Connections to another profile's database at `path` (checked and migrated on opening,
    /// as any database the window has not opened yet).
    #[must_use]
    pub fn other_profile(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            profile: None,
            checked: false,
        }
    }

    /// A new connection. For the collection's own database, no migrations and no whole-file
    /// check: its own connection did them.
    pub fn open(&self) -> Result<Store, StoreError> {
        Store::open_with(
            &self.path,
            &crate::store::OpenOptions {
                profile: self.profile.clone(),
                skip_check: self.checked,
                ..crate::store::OpenOptions::default()
            },
        )
    }

    /// The database file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// One study answer to save: what the learner did with the session's current card.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Answer<'a> {
    pub rating: Rating,
    pub answer_given: Option<&'a str>,
    pub correct: Option<bool>,
    pub response: Duration,
    pub now: DateTime<Utc>,
}

/// The settings that only change how the window looks: not worth an undo entry.
const LOOK_SETTINGS: &[&str] = &["zoom", "theme"];

/// The open profile: its store (none while no profile is open), settings and decks, and the
/// undo stack.
#[derive(Debug, Default)]
pub struct Collection {
    store: Option<Store>,
    settings: Settings,
    library: Arc<Library>,
    undo: Vec<Entry>,
}

impl Collection {
    /// A collection over an open profile's store and its settings.
    #[must_use]
    pub fn new(store: Store, settings: Settings) -> Self {
        Self {
            store: Some(store),
            settings,
            ..Self::default()
        }
    }

    // --- Reads ---

    /// The open profile's store, to read.
    #[must_use]
    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    /// The open profile's settings (the defaults while none is open).
    #[must_use]
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The loaded decks.
    #[must_use]
    pub fn library(&self) -> &Arc<Library> {
        &self.library
    }

    /// For a background job: opens its own connection to this profile's database.
    #[must_use]
    pub fn connector(&self) -> Option<Connector> {
        self.store.as_ref().map(|s| Connector {
            path: s.path().to_path_buf(),
            profile: Some(s.profile().to_owned()),
            checked: true,
        })
    }

    /// The undo button's label for the newest operation ("Undo Suspend 40 cards").
    #[must_use]
    pub fn undo_label(&self) -> Option<String> {
        self.undo.last().map(|e| format!("Undo {}", e.op))
    }

    /// The operation [`Collection::undo`] would take back.
    #[must_use]
    pub fn undo_op(&self) -> Option<&Op> {
        self.undo.last().map(|e| &e.op)
    }

    /// The parameters the last [`Collection::use_parameters`] replaced, if any.
    #[must_use]
    pub fn previous_parameters(&self) -> Option<[f32; 21]> {
        self.store
            .as_ref()
            .and_then(|s| s.previous_fsrs_parameters().ok().flatten())
    }

    // --- Opening and closing (the shell's) ---

    /// Opens `store` with `settings` in place of the profile open now (or none: the profile
    /// could not be opened). The undo stack starts empty.
    pub fn open(&mut self, store: Option<Store>, settings: Settings) -> Changes {
        self.store = store;
        self.settings = settings;
        self.undo.clear();
        Changes::ALL
    }

    /// The decks loaded again from disk.
    pub fn set_library(&mut self, library: Library) -> Changes {
        self.library = Arc::new(library);
        Changes::DECKS
    }

    fn store_mut(&mut self) -> Result<&mut Store, CollectionError> {
        self.store.as_mut().ok_or(CollectionError::NoProfile)
    }

    fn push(&mut self, op: Op, revert: Revert) {
        if self.undo.len() >= undo::DEPTH {
            self.undo.remove(0);
        }
        self.undo.push(Entry { op, revert });
    }

    // --- Operations ---

    /// Answers `session`'s current card: the review (and in srs the card's new state) is
    /// committed in one transaction; undoable.
    pub fn answer(
        &mut self,
        session: &mut Session,
        answer: Answer<'_>,
    ) -> Result<OpOutput<AnswerOutcome>, CollectionError> {
        let store = self.store_mut()?;
        let outcome = session.answer(
            store,
            answer.rating,
            answer.answer_given,
            answer.correct,
            answer.response,
            answer.now,
        )?;
        self.push(
            Op::Answer,
            Revert::Answer {
                review_id: outcome.review_id,
            },
        );
        Ok(OpOutput::new(outcome, Changes::ANSWER))
    }

    /// Logs answers that leave every card's schedule alone (a practice round's timeline or
    /// matching question, a drill question's cards) in ONE transaction; returns their review
    /// ids. They are taken back with [`Collection::take_back`], not the undo stack (the drill
    /// goes back question by question itself).
    pub fn log_answers(
        &mut self,
        reviews: &[NewReview<'_>],
    ) -> Result<OpOutput<Vec<i64>>, CollectionError> {
        if let Some(r) = reviews.iter().find(|r| r.mode == Mode::Srs) {
            return Err(CollectionError::Invalid(format!(
                "the srs answer to {}/{} must be given through its session",
                r.deck_id, r.card_id
            )));
        }
        if let Some(r) = reviews.iter().find(|r| r.mode == Mode::Test) {
            return Err(CollectionError::Invalid(format!(
                "the test answer to {}/{} must be saved with its self-test",
                r.deck_id, r.card_id
            )));
        }
        let leech = crate::store::LeechPolicy::from_settings(&self.settings);
        let recorded = self.store_mut()?.record_answers(reviews, leech)?;
        let ids = recorded.iter().map(|r| r.review_id).collect();
        Ok(OpOutput::new(ids, Changes::REVIEWS))
    }

    /// Takes back logged answers (by review id) in ONE transaction.
    pub fn take_back(&mut self, review_ids: &[i64]) -> Result<OpOutput<()>, CollectionError> {
        self.store_mut()?.undo_answers(review_ids)?;
        Ok(OpOutput::new((), Changes::ANSWER))
    }

    /// Keeps the review log in step with a class drill or live game, in ONE transaction: the
    /// reviews `take_back` (questions the teacher went back to) are taken back and one `drill`
    /// review is logged per card of each of `entries` (Good when the class got it right, else
    /// Again; the cards' schedules stay as they are). Returns each entry's review ids.
    pub fn log_drill(
        &mut self,
        take_back: &[i64],
        entries: &[&LogEntry],
        at: DateTime<Utc>,
    ) -> Result<OpOutput<Vec<Vec<i64>>>, CollectionError> {
        let reviews: Vec<NewReview<'_>> = entries.iter().flat_map(|e| e.reviews(at)).collect();
        let leech = crate::store::LeechPolicy::from_settings(&self.settings);
        let (_, recorded) = self
            .store_mut()?
            .replace_answers(take_back, &reviews, leech)?;
        let mut ids = recorded.into_iter().map(|r| r.review_id);
        let per_entry = entries
            .iter()
            .map(|e| ids.by_ref().take(e.cards.len()).collect())
            .collect();
        Ok(OpOutput::new(per_entry, Changes::REVIEWS))
    }

    /// Marks a self-test at `now` (each question with the model's predicted recall of its card
    /// then, see [`SelfTest::finish`]) and saves it in ONE transaction: its answers as `test`
    /// reviews, which leave every card's schedule alone, and the test with its questions.
    /// Not undoable (a test taken stays taken). Returns the marked test and its id.
    pub fn finish_self_test(
        &mut self,
        test: &SelfTest,
        now: DateTime<Utc>,
    ) -> Result<OpOutput<(TestResult, i64)>, CollectionError> {
        let scheduler = crate::schedule::Scheduler::new(self.settings.scheduler_config())?;
        let store = self.store_mut()?;
        let result = test.finish(store, &scheduler, now)?;
        let id = store.save_self_test(&result.to_new())?;
        Ok(OpOutput::new((result, id), Changes::REVIEWS))
    }

    /// Changes every card of `keys` in ONE transaction; undoable as `op`. Returns each card's
    /// progress after the change.
    fn change_cards(
        &mut self,
        op: Op,
        keys: &[CardKey],
        now: DateTime<Utc>,
        change: impl Fn(&mut CardProgress),
    ) -> Result<OpOutput<Vec<(CardKey, CardProgress)>>, CollectionError> {
        let ids: Vec<(&str, &str)> = keys
            .iter()
            .map(|k| (k.deck_id.as_str(), k.card_id.as_str()))
            .collect();
        let changed = self.store_mut()?.change_cards(&ids, now, change)?;
        let mut before = Vec::with_capacity(keys.len());
        let mut after = Vec::with_capacity(keys.len());
        for (key, (b, a)) in keys.iter().zip(changed) {
            before.push((key.clone(), b));
            after.push((key.clone(), a));
        }
        if !keys.is_empty() {
            self.push(op, Revert::Cards(before));
        }
        Ok(OpOutput::new(after, Changes::CARDS))
    }

    /// Suspends (or unsuspends) the cards of `keys`, in one transaction; undoable.
    pub fn suspend(
        &mut self,
        keys: &[CardKey],
        suspended: bool,
        now: DateTime<Utc>,
    ) -> Result<OpOutput<Vec<(CardKey, CardProgress)>>, CollectionError> {
        let op = if suspended {
            Op::Suspend(keys.len())
        } else {
            Op::Unsuspend(keys.len())
        };
        self.change_cards(op, keys, now, |p| p.suspended = suspended)
    }

    /// Hides the cards of `keys` until `until` (normally the next day start), in one
    /// transaction; undoable.
    pub fn bury(
        &mut self,
        keys: &[CardKey],
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<OpOutput<Vec<(CardKey, CardProgress)>>, CollectionError> {
        self.change_cards(Op::Bury(keys.len()), keys, now, |p| {
            p.buried_until = Some(until);
        })
    }

    /// Makes the cards of `keys` new again (their past answers stay in the log), in one
    /// transaction; undoable.
    pub fn reset(
        &mut self,
        keys: &[CardKey],
        now: DateTime<Utc>,
    ) -> Result<OpOutput<Vec<(CardKey, CardProgress)>>, CollectionError> {
        let ids: Vec<(&str, &str)> = keys
            .iter()
            .map(|k| (k.deck_id.as_str(), k.card_id.as_str()))
            .collect();
        let changed = self.store_mut()?.reset_cards(&ids, now)?;
        let mut before = Vec::with_capacity(keys.len());
        let mut after = Vec::with_capacity(keys.len());
        for (key, (b, a)) in keys.iter().zip(changed) {
            before.push((key.clone(), b));
            after.push((
                key.clone(),
                a.unwrap_or_else(|| CardProgress::new_card(now).truncated()),
            ));
        }
        if !keys.is_empty() {
            self.push(Op::Reset(keys.len()), Revert::Reset(before));
        }
        Ok(OpOutput::new(after, Changes::CARDS))
    }

    /// Changes one setting ("desired_retention", "0.85") and saves it; a rejected value
    /// changes nothing. Undoable, but for how the window looks (zoom, theme).
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<OpOutput<()>, CollectionError> {
        let mut next = self.settings.clone();
        next.set(key, value)?;
        if next == self.settings {
            return Ok(OpOutput::new((), Changes::NONE));
        }
        // With "reschedule on change", a new retention moves every card's due date to what
        // its history gives at the new retention.
        let reschedule = key == "desired_retention" && next.reschedule_on_change;
        if let Some(store) = self.store.as_mut() {
            store.save_settings(&next)?;
            if reschedule {
                store
                    .rebuild_all(&next)
                    .map_err(|e| CollectionError::Invalid(e.to_string()))?;
            }
        }
        let before = std::mem::replace(&mut self.settings, next);
        if !LOOK_SETTINGS.contains(&key) {
            let name = crate::settings::SETTINGS
                .iter()
                .find(|s| s.key == key)
                .map_or("a setting", |s| s.name);
            self.push(Op::ChangeSetting(name), Revert::Settings(Box::new(before)));
        }
        Ok(OpOutput::new((), Changes::SETTINGS))
    }

    /// Puts `parameters` to use: stored with the ones they replace, and every studied card's
    /// memory state recomputed by replay, in one transaction (due dates recomputed only if
    /// `reschedule`). Undoable. Returns the number of cards recomputed.
    pub fn use_parameters(
        &mut self,
        parameters: &[f32; 21],
        reschedule: bool,
    ) -> Result<OpOutput<usize>, CollectionError> {
        let replaced = self.settings.fsrs_parameters;
        let store = self.store_mut()?;
        let cards = optimize::apply(store, parameters, reschedule)?;
        self.settings = store.load_settings()?;
        self.push(Op::UseParameters, Revert::Parameters(Box::new(replaced)));
        Ok(OpOutput::new(cards, Op::UseParameters.changes()))
    }

    /// Puts back the parameters the last [`Collection::use_parameters`] replaced (memory
    /// states recomputed, due dates kept); `None` when there are none.
    pub fn restore_parameters(&mut self) -> Result<OpOutput<Option<[f32; 21]>>, CollectionError> {
        let store = self.store_mut()?;
        let previous = optimize::undo(store)?;
        self.settings = store.load_settings()?;
        // The undo entries of earlier parameters no longer describe what is in use.
        self.undo
            .retain(|e| !matches!(e.revert, Revert::Parameters(_)));
        Ok(OpOutput::new(previous, Changes::SETTINGS | Changes::CARDS))
    }

    /// Takes back the newest operation in one transaction. When it is an answer and
    /// `session` holds it as its last answer, the session steps back with it.
    pub fn undo(
        &mut self,
        session: Option<&mut Session>,
        now: DateTime<Utc>,
    ) -> Result<OpOutput<Undone>, CollectionError> {
        let entry = self
            .undo
            .last()
            .cloned()
            .ok_or(CollectionError::NothingToUndo)?;
        if let Revert::Files { files, cards } = &entry.revert {
            self.restore_files(files, cards)?;
            self.undo.pop();
            let undone = Undone {
                op: entry.op.clone(),
                cards: cards.iter().map(|(k, b)| (k.clone(), b.progress)).collect(),
                in_session: false,
            };
            return Ok(OpOutput::new(undone, entry.op.changes()));
        }
        let store = self.store.as_mut().ok_or(CollectionError::NoProfile)?;
        let mut undone = Undone {
            op: entry.op.clone(),
            cards: Vec::new(),
            in_session: false,
        };
        match &entry.revert {
            Revert::Answer { review_id } => {
                if let Some(session) = session.filter(|s| s.last_review_id() == Some(*review_id)) {
                    let out = session.undo(store, now)?;
                    undone.in_session = true;
                    undone.cards.push((out.key, Some(out.progress)));
                } else {
                    let out = store.undo_answer(*review_id)?;
                    let key = CardKey::new(out.review.deck_id, out.review.card_id);
                    undone.cards.push((key, out.restored));
                }
            }
            Revert::Cards(before) => {
                let rows: Vec<(&str, &str, Option<CardProgress>)> = before
                    .iter()
                    .map(|(k, p)| (k.deck_id.as_str(), k.card_id.as_str(), *p))
                    .collect();
                store.restore_cards(&rows)?;
                undone.cards.clone_from(before);
            }
            Revert::Reset(before) => {
                let rows: Vec<(&str, &str, BeforeReset)> = before
                    .iter()
                    .map(|(k, b)| (k.deck_id.as_str(), k.card_id.as_str(), *b))
                    .collect();
                store.restore_resets(&rows)?;
                undone.cards = before
                    .iter()
                    .map(|(k, b)| (k.clone(), b.progress))
                    .collect();
            }
            Revert::Settings(before) => {
                store.save_settings(before)?;
                if before.desired_retention.to_bits() != self.settings.desired_retention.to_bits()
                    && self.settings.reschedule_on_change
                {
                    store
                        .rebuild_all(before)
                        .map_err(|e| CollectionError::Invalid(e.to_string()))?;
                }
                self.settings = (**before).clone();
            }
            Revert::Parameters(replaced) => {
                optimize::apply(store, replaced, false)?;
                self.settings = store.load_settings()?;
            }
            Revert::Rows { rows, cards } => {
                let restore: Vec<(&str, &str, Option<CardProgress>)> = cards
                    .iter()
                    .map(|(k, p)| (k.deck_id.as_str(), k.card_id.as_str(), *p))
                    .collect();
                let rows: Vec<(&str, Option<&str>)> = rows
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_deref()))
                    .collect();
                store.restore_rows(&rows, &restore)?;
                undone.cards.clone_from(cards);
            }
            // Taken back above: it needs the whole collection, not only the store.
            Revert::Files { .. } => {}
        }
        let changes = entry.op.changes();
        self.undo.pop();
        Ok(OpOutput::new(undone, changes))
    }

    /// Takes in a deck file written by the editor or copied in by an import, in place of the
    /// deck that file held before. Returns the deck's title and card count, or why it cannot
    /// be studied.
    pub fn deck_file_changed(
        &mut self,
        path: &Path,
    ) -> OpOutput<Result<(String, usize), DeckProblem>> {
        let loaded = deck::load_file(path);
        let library = Arc::make_mut(&mut self.library);
        library
            .decks
            .retain(|d| !matches!(&d.origin, Origin::User(p) if p == path));
        library.failures.retain(|f| f.path != path);
        let result = match &loaded {
            Err(err) => Err(DeckProblem::Invalid(err.clone())),
            Ok(deck) => match library.deck(&deck.id) {
                Some(other) => Err(DeckProblem::SameId {
                    id: deck.id.clone(),
                    other: match &other.origin {
                        Origin::Bundled => None,
                        Origin::User(p) => Some(p.clone()),
                    },
                }),
                None => Ok((deck.title.clone(), deck.cards.len())),
            },
        };
        library.add(path, Origin::User(path.to_path_buf()), loaded);
        OpOutput::new(result, Changes::DECKS)
    }

    /// Syncs the open profile through a shared folder (see [`crate::sync`]) and reads its
    /// settings again (they may have come in). Answers stay undoable (undoing one that was
    /// synced already takes it back on the other computers too, at their next sync); when
    /// anything came in, the other undo entries go, as they would put back cards, settings or
    /// files as they were before what came in.
    pub fn sync(
        &mut self,
        options: &crate::sync::SyncOptions,
    ) -> Result<OpOutput<crate::sync::SyncReport>, crate::sync::SyncError> {
        let store = self.store.as_mut().ok_or_else(|| {
            crate::sync::SyncError::Store(StoreError::Invalid("no profile is open".to_owned()))
        })?;
        let report = crate::sync::sync(store, options)?;
        let changes = self.synced(&report);
        Ok(OpOutput::new(report, changes))
    }

    /// Syncs through `folder` from now on on this computer (`None`: stops syncing). Not an
    /// undoable change: it is where this computer's copy meets the others, not study data.
    pub fn set_sync_folder(
        &mut self,
        folder: Option<&std::path::Path>,
    ) -> Result<(), CollectionError> {
        let store = self.store.as_mut().ok_or(CollectionError::NoProfile)?;
        store.set_sync_folder(folder)?;
        Ok(())
    }

    /// A sync ran through another connection to the profile's database (the window syncs on a
    /// thread): reads the settings again and, when anything came in, drops the undo entries
    /// other than answers, as [`Collection::sync`] does. Returns what the screens must read
    /// again.
    pub fn synced(&mut self, report: &crate::sync::SyncReport) -> Changes {
        if let Some(store) = &self.store
            && let Ok(settings) = store.load_settings()
        {
            self.settings = settings;
        }
        let came_in = report
            .incoming
            .iter()
            .any(|d| d.reviews + d.retractions + d.items > 0)
            || !report.conflicts.is_empty();
        if came_in {
            self.undo
                .retain(|e| matches!(e.revert, Revert::Answer { .. }));
            Changes::ALL
        } else {
            Changes::NONE
        }
    }

    /// An import wrote progress through its own connection: what the screens show is read
    /// again, and the undo stack (whose entries may no longer apply) starts afresh.
    pub fn imported(&mut self) -> Changes {
        self.undo.clear();
        if let Some(store) = &self.store
            && let Ok(settings) = store.load_settings()
        {
            self.settings = settings;
        }
        Changes::ALL
    }
}

/// Why a deck file taken in with [`Collection::deck_file_changed`] cannot be studied.
#[derive(Debug, Clone, PartialEq)]
pub enum DeckProblem {
    /// The file has problems (shown with it on the home screen).
    Invalid(DeckFileError),
    /// Another deck already has its id: the bundled deck (`other: None`) or this file's.
    SameId { id: String, other: Option<PathBuf> },
}

#[cfg(test)]
mod tests;
