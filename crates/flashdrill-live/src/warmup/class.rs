//! [`ClassStudy`] over flashdrill-core's class memory: a [`Classroom`] (the class and its own
//! connection to the teacher's profile database) and the class's decks. Each student's card
//! is asked as multiple choice when the deck gives it good options, else typed (marked as
//! leniently as on the desktop); the card on show stays the student's until they answer it,
//! through reconnects.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use flashdrill_core::class::{ClassError, Classroom, Student, StudentAnswer};
use flashdrill_core::deck::{Card, Library};
use flashdrill_core::quiz::{self, Choices};
use flashdrill_core::store::Mode;

use super::{Ack, CardForm, ClassStudy, Given, Refusal, StudentId, StudentRef, StudyCard, codes};

/// How many cards of a deck are asked as multiple choice rather than typed: two in three
/// (a phone's keyboard is slow; typing now and then makes recall harder, and better).
const TYPED_EVERY: u64 = 3;

/// A card on show to one student, and how to mark it.
#[derive(Debug, Clone)]
struct OnShow {
    card: StudyCard,
    choices: Option<Choices>,
    /// When it was first shown (for the response time).
    shown: DateTime<Utc>,
}

struct Inner {
    room: Classroom,
    on_show: HashMap<String, OnShow>,
    /// Cards answered per student in this warm-up.
    done: HashMap<String, u32>,
}

/// A class's store as the warm-up server asks it: answers are `srs` reviews of the student's
/// own schedule, or `drill` answers that never move it (`mode`).
pub struct CoreClass {
    inner: Mutex<Inner>,
    /// The class's decks' cards, by deck id.
    decks: HashMap<String, Vec<Card>>,
    mode: Mode,
    seed: u64,
}

impl std::fmt::Debug for CoreClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoreClass")
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

/// A class error as the phone is told it.
fn refusal(e: &ClassError) -> Refusal {
    let code = match e {
        ClassError::NotOnRoster { .. } => codes::NOT_ON_ROSTER,
        ClassError::UnknownToken => codes::UNKNOWN_TOKEN,
        ClassError::OtherClass(_) => codes::OTHER_CLASS,
        ClassError::NotInClass { .. } | ClassError::NoSuchStudent { .. } => codes::NOT_IN_QUEUE,
        ClassError::BadAnswerId | ClassError::AnswerIdReused { .. } => codes::INVALID_ANSWER,
        _ => codes::NOT_SAVED,
    };
    Refusal::new(code, e.to_string())
}

fn student_ref(s: &Student) -> StudentRef {
    StudentRef {
        id: StudentId(s.id.clone()),
        name: s.name.clone(),
        token: s.token.clone(),
    }
}

impl CoreClass {
    /// The class of `room`, with the cards of its decks taken from `library`; answers are
    /// logged in `mode` (`srs` for the warm-up, `drill` for a game played by a class).
    #[must_use]
    pub fn new(room: Classroom, library: &Library, mode: Mode, seed: u64) -> Self {
        let decks = room
            .class()
            .decks
            .iter()
            .filter_map(|id| library.deck(id).map(|d| (id.clone(), d.deck.cards.clone())))
            .collect();
        Self {
            inner: Mutex::new(Inner {
                room,
                on_show: HashMap::new(),
                done: HashMap::new(),
            }),
            decks,
            mode,
            seed,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn card(&self, deck_id: &str, card_id: &str) -> Option<(&Card, &[Card])> {
        let cards = self.decks.get(deck_id)?;
        cards
            .iter()
            .find(|c| c.id == card_id)
            .map(|c| (c, cards.as_slice()))
    }

    /// The card as the phone asks it.
    fn ask(
        &self,
        deck_id: &str,
        card_id: &str,
        n: u64,
    ) -> Option<(CardForm, Vec<String>, Option<Choices>, String)> {
        let (card, deck) = self.card(deck_id, card_id)?;
        let seed = self.seed ^ flashdrill_core::schedule::fuzz_seed(deck_id, card_id, 0);
        let choices = (n % TYPED_EVERY != TYPED_EVERY - 1)
            .then(|| quiz::choices(card, deck, seed))
            .flatten();
        Some(match choices {
            Some(c) => (
                CardForm::Choice,
                c.options.clone(),
                Some(c),
                card.prompt.clone(),
            ),
            None => (CardForm::Typed, Vec::new(), None, card.prompt.clone()),
        })
    }
}

impl ClassStudy for CoreClass {
    fn find_student(&self, typed: &str) -> Result<StudentRef, Refusal> {
        self.lock()
            .room
            .join(typed)
            .map(|s| student_ref(&s))
            .map_err(|e| refusal(&e))
    }

    fn student_by_token(&self, token: &str) -> Result<StudentRef, Refusal> {
        self.lock()
            .room
            .rejoin(token)
            .map(|s| student_ref(&s))
            .map_err(|e| refusal(&e))
    }

    fn next_card(
        &self,
        student: &StudentId,
        now: DateTime<Utc>,
    ) -> Result<Option<StudyCard>, Refusal> {
        let mut inner = self.lock();
        let done = inner.done.get(&student.0).copied().unwrap_or(0);
        let queue = inner
            .room
            .student_queue(&student.0, now)
            .map_err(|e| refusal(&e))?;
        // Cards of decks no longer loaded cannot be asked.
        let queue: Vec<_> = queue
            .into_iter()
            .filter(|q| self.card(&q.deck_id, &q.card_id).is_some())
            .collect();
        let left = u32::try_from(queue.len()).unwrap_or(u32::MAX);
        if let Some(shown) = inner.on_show.get_mut(&student.0) {
            // Still theirs until answered; the counts follow the queue.
            shown.card.done = done;
            shown.card.left = left.max(1);
            return Ok(Some(shown.card.clone()));
        }
        let Some(next) = queue.first() else {
            return Ok(None);
        };
        let Some((form, options, choices, prompt)) =
            self.ask(&next.deck_id, &next.card_id, u64::from(done))
        else {
            return Ok(None);
        };
        let card = StudyCard {
            id: format!("{}/{}", next.deck_id, next.card_id),
            form,
            prompt,
            options,
            done,
            left,
        };
        inner.on_show.insert(
            student.0.clone(),
            OnShow {
                card: card.clone(),
                choices,
                shown: now,
            },
        );
        Ok(Some(card))
    }

    fn answer(
        &self,
        student: &StudentId,
        card: &str,
        answer_id: &str,
        given: &Given,
        now: DateTime<Utc>,
    ) -> Result<Ack, Refusal> {
        let mut inner = self.lock();
        let (deck_id, card_id) = card.split_once('/').ok_or_else(|| {
            Refusal::new(codes::NOT_IN_QUEUE, format!("no card {card} in this class"))
        })?;
        let (deck_card, _) = self.card(deck_id, card_id).ok_or_else(|| {
            Refusal::new(codes::NOT_IN_QUEUE, format!("no card {card} in this class"))
        })?;
        let ack = |right: bool| Ack {
            id: answer_id.to_owned(),
            right,
            answer: deck_card.answer.clone(),
            sentence: (!deck_card.source.trim().is_empty()).then(|| deck_card.source.clone()),
        };
        // An answer re-sent after a reconnect: acknowledged again as it was, counted once.
        let key = {
            let room = &inner.room;
            room.store()
                .student_by_id(room.class(), &student.0)
                .map_err(|e| refusal(&e))?
                .key
        };
        let before = inner
            .room
            .store()
            .student_answer(key, answer_id)
            .map_err(|e| refusal(&ClassError::Store(e)))?;
        if let Some(before) = before {
            let v = &before.review;
            if v.deck_id != deck_id || v.card_id != card_id {
                return Err(Refusal::new(
                    codes::INVALID_ANSWER,
                    "that answer id was used for another card",
                ));
            }
            return Ok(ack(v.is_right()));
        }
        let Some(shown) = inner
            .on_show
            .get(&student.0)
            .filter(|s| s.card.id == card)
            .cloned()
        else {
            return Err(Refusal::new(
                codes::NOT_IN_QUEUE,
                format!("{card} is not the card on this phone"),
            ));
        };
        let (right, text) = match (given, &shown.choices) {
            (Given::Choice(i), Some(c)) => {
                let text = c.options.get(*i).cloned().ok_or_else(|| {
                    Refusal::new(codes::INVALID_ANSWER, "that option is not on this card")
                })?;
                (*i == c.correct_index, text)
            }
            (Given::Text(t), None) => (quiz::check_typed(deck_card, t).correct, t.clone()),
            _ => {
                return Err(Refusal::new(
                    codes::INVALID_ANSWER,
                    "that kind of answer does not fit this card",
                ));
            }
        };
        let response = (now - shown.shown).to_std().unwrap_or(Duration::ZERO);
        let acked = inner
            .room
            .record_student_answer(&StudentAnswer {
                student: &student.0,
                deck_id,
                card_id,
                right,
                answer_id,
                at: now,
                mode: self.mode,
                answer_given: Some(text.as_str()),
                response_ms: u64::try_from(response.as_millis()).unwrap_or(u64::MAX),
            })
            .map_err(|e| refusal(&e))?;
        if !acked.repeated {
            inner.on_show.remove(&student.0);
            *inner.done.entry(student.0.clone()).or_insert(0) += 1;
        }
        Ok(ack(acked.ack.right))
    }
}
