//! One class opened for study: each student's queue and their answers.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use super::{Class, ClassError, Student};
use crate::deck::Library;
use crate::schedule::{
    CardState, QueueItem, QueueKind, QueueLimits, Rating, Scheduler, State, StudyDays, Today,
    build_queue, fuzz_seed,
};
use crate::settings::Settings;
use crate::store::export::ProgressFile;
use crate::store::{Mode, NewStudentReview, Store, StoreError, StudentReview};

/// One card of a class's decks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassCard {
    pub deck_id: String,
    pub card_id: String,
    /// As written in the deck ("date", "actor", …).
    pub category: String,
    pub prompt: String,
}

impl ClassCard {
    /// The cards of `decks` in deck and card order, and the ids of the decks not in
    /// `library`.
    #[must_use]
    pub fn from_library(library: &Library, decks: &[String]) -> (Vec<Self>, Vec<String>) {
        let mut cards = Vec::new();
        let mut missing = Vec::new();
        for id in decks {
            let Some(loaded) = library.deck(id) else {
                missing.push(id.clone());
                continue;
            };
            cards.extend(loaded.deck.cards.iter().map(|c| Self {
                deck_id: id.clone(),
                card_id: c.id.clone(),
                category: c.category.clone(),
                prompt: c.prompt.clone(),
            }));
        }
        (cards, missing)
    }
}

/// One card of a student's queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedCard {
    pub deck_id: String,
    pub card_id: String,
    /// Why it is waiting: learning (or relearning), a review due, or new.
    pub kind: QueueKind,
    pub due: DateTime<Utc>,
}

/// A student's answer to record.
#[derive(Debug, Clone, PartialEq)]
pub struct StudentAnswer<'a> {
    /// The student's id (UUID).
    pub student: &'a str,
    pub deck_id: &'a str,
    pub card_id: &'a str,
    pub right: bool,
    /// The id the phone made for the answer: an answer re-sent with the same id is counted
    /// once.
    pub answer_id: &'a str,
    pub at: DateTime<Utc>,
    /// `srs` (right → Good, wrong → Again, scheduled) or `drill` (logged only).
    pub mode: Mode,
    /// What the student typed or chose.
    pub answer_given: Option<&'a str>,
    pub response_ms: u64,
}

/// What a phone is told once its answer is committed. The same answer id always gets the same
/// acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StudentAck {
    /// The phone's id for the answer.
    pub answer_id: String,
    /// The answer's id in the student's review log.
    pub review_id: i64,
    /// `deck/card`.
    pub card: String,
    pub at: DateTime<Utc>,
    pub right: bool,
    pub mode: Mode,
    /// srs: when the card comes back to this student.
    pub due: Option<DateTime<Utc>>,
    /// srs: the card's state after the answer.
    pub state: Option<State>,
}

impl StudentAck {
    fn of(r: &StudentReview) -> Self {
        let v = &r.review;
        Self {
            answer_id: r.answer_id.clone(),
            review_id: v.id,
            card: format!("{}/{}", v.deck_id, v.card_id),
            at: v.at,
            right: v.is_right(),
            mode: v.mode,
            due: v.state_after.map(|s| s.due),
            state: v.state_after.map(|s| s.state),
        }
    }
}

/// [`Classroom::record_student_answer`]'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acked {
    pub ack: StudentAck,
    /// The answer id had been recorded before: nothing was written this time.
    pub repeated: bool,
}

/// A class opened for study, owning the profile's store. It is `Send`: a server keeps it in a
/// `Mutex` and calls it from a blocking task; every answer commits before it is acknowledged.
pub struct Classroom {
    store: Store,
    class: Class,
    profile: Settings,
    scheduler: Scheduler,
    days: StudyDays,
    cards: Vec<ClassCard>,
    index: HashMap<(String, String), usize>,
}

impl std::fmt::Debug for Classroom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Classroom")
            .field("class", &self.class.name)
            .field("cards", &self.cards.len())
            .finish_non_exhaustive()
    }
}

impl Classroom {
    /// Opens the class called `name` with the cards of its decks in `library` (decks missing
    /// from it are left out).
    pub fn open(store: Store, name: &str, library: &Library) -> Result<Self, ClassError> {
        let class = store.class_named(name)?;
        let (cards, _) = ClassCard::from_library(library, &class.decks);
        Self::with_cards(store, class, cards)
    }

    /// Opens `class` with the cards given (in the order new cards are introduced).
    pub fn with_cards(
        store: Store,
        class: Class,
        cards: Vec<ClassCard>,
    ) -> Result<Self, ClassError> {
        let profile = store.load_settings()?;
        let scheduler = Scheduler::new(class.settings.scheduler_config(&profile))?;
        let index = cards
            .iter()
            .enumerate()
            .map(|(i, c)| ((c.deck_id.clone(), c.card_id.clone()), i))
            .collect();
        Ok(Self {
            days: StudyDays::local(profile.day_starts_at),
            store,
            class,
            profile,
            scheduler,
            cards,
            index,
        })
    }

    /// Numbers study days in another time zone than this computer's (tests, a server told the
    /// classroom's offset).
    pub fn set_study_days(&mut self, days: StudyDays) {
        self.days = days;
    }

    #[must_use]
    pub fn class(&self) -> &Class {
        &self.class
    }

    #[must_use]
    pub fn cards(&self) -> &[ClassCard] {
        &self.cards
    }

    #[must_use]
    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    #[must_use]
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Gives the store back.
    #[must_use]
    pub fn into_store(self) -> Store {
        self.store
    }

    /// The roster, by name.
    pub fn students(&self) -> Result<Vec<Student>, ClassError> {
        Ok(self.store.students(&self.class)?)
    }

    /// The student called `name` (case, accents and extra spaces ignored), else
    /// [`ClassError::NotOnRoster`].
    pub fn join(&self, name: &str) -> Result<Student, ClassError> {
        self.store.find_student(&self.class, name)
    }

    /// The student whose phone keeps `token`: [`ClassError::UnknownToken`] when no student has
    /// it, [`ClassError::OtherClass`] when it is a student of another class.
    pub fn rejoin(&self, token: &str) -> Result<Student, ClassError> {
        match self.store.student_by_token(token)? {
            Some((class, s)) if class == self.class.key => Ok(s),
            Some(_) => Err(ClassError::OtherClass(self.class.name.clone())),
            None => Err(ClassError::UnknownToken),
        }
    }

    fn student(&self, id: &str) -> Result<Student, ClassError> {
        self.store.student_by_id(&self.class, id)
    }

    /// The student's queue at `now`: their learning and relearning cards due now (earliest
    /// first), then their review cards due today (most overdue first, up to the profile's
    /// reviews per day), then new cards in deck order up to the class's new cards per day
    /// (less those the student was given today). A learning card not yet due is not in it.
    pub fn student_queue(
        &self,
        student: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<QueuedCard>, ClassError> {
        let s = self.student(student)?;
        let mut states: Vec<Option<CardState>> = vec![None; self.cards.len()];
        for r in self.store.student_cards(s.key)? {
            if let Some(&i) = self.index.get(&(r.deck_id, r.card_id)) {
                states[i] = Some(r.progress.card);
            }
        }
        let items: Vec<QueueItem<usize>> = states
            .into_iter()
            .enumerate()
            .map(|(i, state)| QueueItem {
                key: i,
                state: state.unwrap_or_else(|| CardState::new_card(now)),
                suspended: false,
                buried_until: None,
                new_order: u32::try_from(i).unwrap_or(u32::MAX),
            })
            .collect();
        let day = self.days.day_of(now);
        let (new_studied, reviews_studied) = self
            .store
            .student_counts_since(s.key, self.days.start_of(day))?;
        let today = Today {
            now,
            day_end: self.days.start_of(day + 1),
            new_studied,
            reviews_studied,
        };
        let limits = QueueLimits {
            new_per_day: self.class.settings.new_per_day,
            reviews_per_day: self.profile.reviews_per_day,
            learn_ahead: TimeDelta::zero(),
        };
        let mut queue = build_queue(&items, &today, &limits);
        let rank = |k: QueueKind| match k {
            QueueKind::Learning => 0,
            QueueKind::Review => 1,
            QueueKind::New => 2,
        };
        queue.sort_by_key(|e| rank(e.kind));
        Ok(queue
            .into_iter()
            .map(|e| {
                let c = &self.cards[*e.key];
                QueuedCard {
                    deck_id: c.deck_id.clone(),
                    card_id: c.card_id.clone(),
                    kind: e.kind,
                    due: e.due,
                }
            })
            .collect())
    }

    /// Records a student's answer in ONE transaction and acknowledges it: an `srs` answer
    /// moves the student's schedule of the card (right → Good, wrong → Again, with the class's
    /// settings), a `drill` answer is only logged. An answer id the student already used gets
    /// the acknowledgement it got then, and nothing is written.
    pub fn record_student_answer(&mut self, a: &StudentAnswer<'_>) -> Result<Acked, ClassError> {
        if !self
            .index
            .contains_key(&(a.deck_id.to_owned(), a.card_id.to_owned()))
        {
            return Err(ClassError::NotInClass {
                class: self.class.name.clone(),
                deck_id: a.deck_id.to_owned(),
                card_id: a.card_id.to_owned(),
            });
        }
        let s = self.student(a.student)?;
        let rating = if a.right { Rating::Good } else { Rating::Again };
        let scheduler = &self.scheduler;
        let (deck_id, card_id) = (a.deck_id, a.card_id);
        let (written, fresh) = self.store.record_student_review(
            &NewStudentReview {
                student: s.key,
                deck_id,
                card_id,
                answer_id: a.answer_id,
                at: a.at,
                mode: a.mode,
                right: a.right,
                answer_given: a.answer_given,
                response_ms: a.response_ms,
            },
            |before, at| {
                let card = before.unwrap_or_else(|| CardState::new_card(at));
                scheduler.review(&card, rating, at, fuzz_seed(deck_id, card_id, card.reps))
            },
        )?;
        Ok(Acked {
            ack: StudentAck::of(&written),
            repeated: !fresh,
        })
    }

    /// The student's schedule of every card they have studied, by `(deck, card)`.
    pub fn student_states(
        &self,
        student: &str,
    ) -> Result<HashMap<(String, String), CardState>, ClassError> {
        let s = self.student(student)?;
        Ok(self
            .store
            .student_cards(s.key)?
            .into_iter()
            .map(|r| ((r.deck_id, r.card_id), r.progress.card))
            .collect())
    }
}

/// A student's history as a `flashdrill-progress/1` file, for `flashdrill progress import`
/// in their own copy of flashdrill: every answer (srs and drill) and the schedule of every
/// card they studied.
pub fn export_student(store: &Store, student: &Student) -> Result<ProgressFile, StoreError> {
    let reviews = store
        .student_reviews(student.key)?
        .into_iter()
        .map(|r| r.review.into())
        .collect();
    // A student's schedule is never suspended (`student_cards`).
    Ok(ProgressFile::new(
        reviews,
        store.student_cards(student.key)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_classroom_can_go_to_a_blocking_task() {
        fn send<T: Send + 'static>() {}
        send::<Classroom>();
    }
}
