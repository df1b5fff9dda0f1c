//! Building a drill's questions from the chosen decks and categories: seeded and
//! deterministic, forms spread evenly, no card asked twice.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::deck::Card;
use crate::quiz;
use crate::quiz::normalize::fold;

use super::question::{Body, CardRef, Question};
use super::setup::{DrillError, DrillSetup, QuestionForm};

/// Events on a timeline question (few enough to read from the back of the room).
pub const TIMELINE_EVENTS: usize = 4;
/// Pairs on a matching question.
pub const MATCHING_PAIRS: usize = 4;

/// A card of the pool: its deck and its index in that deck.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PoolCard {
    deck: usize,
    card: usize,
}

struct Builder<'a> {
    decks: &'a [(&'a str, &'a [Card])],
    pool: Vec<PoolCard>,
    used: Vec<bool>,
    /// Events already on a timeline and names already in a matching: several cards may ask
    /// about the same event or person, and a later question should not show them again.
    shown_events: Vec<String>,
    shown_names: Vec<String>,
}

impl Builder<'_> {
    fn card(&self, p: PoolCard) -> &Card {
        &self.decks[p.deck].1[p.card]
    }

    fn card_ref(&self, p: PoolCard) -> CardRef {
        CardRef {
            deck_id: self.decks[p.deck].0.to_owned(),
            card_id: self.card(p).id.clone(),
        }
    }

    fn single(&mut self, form: QuestionForm, seed: u64) -> Option<Question> {
        let (slot, body) = self.pool.iter().enumerate().find_map(|(slot, &p)| {
            if self.used[slot] {
                return None;
            }
            match form {
                QuestionForm::FlipReveal => Some((slot, Body::FlipReveal)),
                _ => quiz::choices(self.card(p), self.decks[p.deck].1, seed)
                    .map(|c| (slot, Body::MultipleChoice(c))),
            }
        })?;
        self.used[slot] = true;
        let p = self.pool[slot];
        let card = self.card(p);
        Some(Question {
            body,
            cards: vec![self.card_ref(p)],
            prompt: card.prompt.clone(),
            answer: card.answer.clone(),
            source: Some(card.source.clone()),
            explanation: card.explanation.clone(),
        })
    }

    /// The unused pool cards that `keep` accepts, as copies whose ids are their pool slots
    /// (card ids are only unique within a deck), for the quiz's multi-card builders.
    fn unused_cards(&self, keep: impl Fn(&Card) -> bool) -> Vec<Card> {
        self.pool
            .iter()
            .enumerate()
            .filter(|(slot, p)| !self.used[*slot] && keep(self.card(**p)))
            .map(|(slot, p)| {
                let mut c = self.card(*p).clone();
                c.id = slot.to_string();
                c
            })
            .collect()
    }

    /// Marks the pool slot named by a copied card's id as used, and returns its real card.
    fn take_slot(&mut self, slot_id: &str) -> Option<CardRef> {
        let slot: usize = slot_id.parse().ok()?;
        *self.used.get_mut(slot)? = true;
        Some(self.card_ref(self.pool[slot]))
    }

    fn timeline(&mut self, seed: u64) -> Option<Question> {
        let shown = &self.shown_events;
        let cards = self.unused_cards(|c| {
            c.partial_date().is_some() && !shown.contains(&fold(c.event_caption()))
        });
        let mut timeline = quiz::timeline(&cards, TIMELINE_EVENTS, seed)?;
        let mut refs = Vec::new();
        for event in &mut timeline.events {
            let r = self.take_slot(&event.card_id)?;
            event.card_id.clone_from(&r.card_id);
            self.shown_events.push(fold(&event.caption));
            refs.push(r);
        }
        let answer = timeline
            .correct_order()
            .iter()
            .map(|&i| {
                let e = &timeline.events[i];
                format!("{} ({})", e.caption, e.date)
            })
            .collect::<Vec<_>>()
            .join("; ");
        Some(Question {
            body: Body::Timeline(timeline),
            cards: refs,
            prompt: "Put these events in order, earliest first".to_owned(),
            answer,
            source: None,
            explanation: None,
        })
    }

    fn matching(&mut self, seed: u64) -> Option<Question> {
        let shown = &self.shown_names;
        let cards = self.unused_cards(|c| c.role.is_some() && !shown.contains(&fold(&c.answer)));
        let mut matching = quiz::matching(&cards, MATCHING_PAIRS, seed)?;
        let mut refs = Vec::new();
        for id in &mut matching.card_ids {
            let r = self.take_slot(id)?;
            id.clone_from(&r.card_id);
            refs.push(r);
        }
        self.shown_names
            .extend(matching.left.iter().map(|name| fold(name)));
        let answer = matching
            .left
            .iter()
            .zip(&matching.pairs)
            .map(|(l, &r)| format!("{l} – {}", matching.right[r]))
            .collect::<Vec<_>>()
            .join("; ");
        Some(Question {
            body: Body::Matching(matching),
            cards: refs,
            prompt: "Match each name with its role".to_owned(),
            answer,
            source: None,
            explanation: None,
        })
    }

    fn build(&mut self, form: QuestionForm, seed: u64) -> Option<Question> {
        match form {
            QuestionForm::MultipleChoice | QuestionForm::FlipReveal => self.single(form, seed),
            QuestionForm::Timeline => self.timeline(seed),
            QuestionForm::Matching => self.matching(seed),
        }
    }
}

pub(super) fn build_questions(
    setup: &DrillSetup,
    decks: &[(&str, &[Card])],
    seed: u64,
) -> Result<Vec<Question>, DrillError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut pool: Vec<PoolCard> = Vec::new();
    for (d, (id, cards)) in decks.iter().enumerate() {
        if !setup.decks.contains(*id) {
            continue;
        }
        for (c, card) in cards.iter().enumerate() {
            if setup.categories.contains(card.category.as_str()) {
                pool.push(PoolCard { deck: d, card: c });
            }
        }
    }
    if pool.is_empty() {
        return Err(DrillError::NoCards);
    }
    pool.shuffle(&mut rng);
    let forms: Vec<QuestionForm> = setup.forms.iter().copied().collect();
    let mut plan: Vec<QuestionForm> = (0..setup.questions)
        .map(|i| forms[i % forms.len()])
        .collect();
    plan.shuffle(&mut rng);

    let mut builder = Builder {
        used: vec![false; pool.len()],
        decks,
        pool,
        shown_events: Vec::new(),
        shown_names: Vec::new(),
    };
    // Timelines and matchings pick their cards first, so that single-card questions do not use
    // up the dated cards or the cards with roles they need.
    let mut order: Vec<usize> = (0..plan.len()).collect();
    order.sort_by_key(|&i| !matches!(plan[i], QuestionForm::Timeline | QuestionForm::Matching));
    let mut slots: Vec<Option<Question>> = vec![None; plan.len()];
    for i in order {
        let form = plan[i];
        let question_seed = seed ^ (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let fallbacks = forms.iter().copied().filter(|f| *f != form);
        slots[i] = std::iter::once(form)
            .chain(fallbacks)
            .find_map(|f| builder.build(f, question_seed));
    }
    let questions: Vec<Question> = slots.into_iter().flatten().collect();
    if questions.is_empty() {
        return Err(DrillError::NoQuestions);
    }
    Ok(questions)
}
