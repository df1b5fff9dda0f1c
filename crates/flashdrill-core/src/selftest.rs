//! Self-tests: a mock test of N questions on one deck, in exam conditions, and how well the
//! memory model predicted the learner's score.
//!
//! - [`SelfTest::new`] draws the questions: stratified across the deck's categories (each
//!   category gets its share of the N questions, and every category one when N allows),
//!   seeded, and never two cards on the same fact (siblings, see [`Card::sibling_key`]) or
//!   quoting the same source sentence. Each card is asked in a form the quiz offers that can be
//!   marked without the learner's own rating: multiple choice, typed, or a cloze blank.
//! - The learner answers ([`SelfTest::answer`]): no hints, no explanations, nothing shown
//!   until the end. [`SelfTest::finish`] marks the test and adds the model's predicted recall
//!   of each card at the time (FSRS retrievability; none for a new card).
//! - The collection saves it in one transaction ([`crate::collection::Collection::finish_self_test`]):
//!   each answer as a `test` review, which never changes a card's schedule, and the test with
//!   its questions in the `self_test` tables ([`Store::save_self_test`]).
//! - [`calibration`] compares the tests' scores with the model's predictions, per deck and per
//!   category: is the model right about this learner, and how far off?

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use chrono::{DateTime, Utc};
use petgraph::unionfind::UnionFind;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};

use crate::deck::{Card, Deck};
use crate::quiz::{self, Choices, Cloze, Form, SessionForm};
use crate::schedule::Scheduler;
use crate::store::{NewSelfTest, NewTestAnswer, SelfTestAnswerRecord, Store, StoreError};

/// How many questions a self-test asks unless told otherwise.
pub const DEFAULT_QUESTIONS: usize = 20;

/// Why a self-test cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelfTestError {
    #[error("the deck \"{deck}\" has no cards to test")]
    EmptyDeck { deck: String },
    #[error(
        "{asked} questions: the deck \"{deck}\" can give 1 to {most} \
         (one question per fact: cards on the same fact are never asked together)"
    )]
    Count {
        deck: String,
        asked: usize,
        most: usize,
    },
}

/// How a question is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionKind {
    /// Pick one of the options.
    Choice(Choices),
    /// Type the answer.
    Typed,
    /// Type the word missing from a sentence.
    Cloze(Cloze),
}

/// One question of a self-test.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The card asked (its answer, alternatives and source sentence).
    pub card: Card,
    pub kind: QuestionKind,
}

impl Question {
    /// What the learner reads: the card's prompt, or the cloze sentence with a blank.
    #[must_use]
    pub fn prompt(&self) -> String {
        match &self.kind {
            QuestionKind::Cloze(c) => format!("{}_____{}", c.before, c.after),
            _ => self.card.prompt.clone(),
        }
    }

    /// The right answer as the answer key shows it.
    #[must_use]
    pub fn right_answer(&self) -> &str {
        match &self.kind {
            QuestionKind::Choice(c) => c
                .options
                .get(c.correct_index)
                .map_or(&self.card.answer, |o| o),
            QuestionKind::Cloze(c) => &c.blank_answer,
            QuestionKind::Typed => &self.card.answer,
        }
    }

    /// Whether `given` (the option's text for a choice, else what was typed) is right, with
    /// the quiz's usual leniency for typed answers.
    #[must_use]
    pub fn mark(&self, given: &str) -> bool {
        match &self.kind {
            QuestionKind::Choice(c) => c.options.get(c.correct_index).is_some_and(|o| o == given),
            QuestionKind::Typed => quiz::check_typed(&self.card, given).correct,
            QuestionKind::Cloze(_) => quiz::check_cloze(&self.card, given).correct,
        }
    }
}

/// Cards that may not be asked in the same test: one group per fact, linked by sibling key or
/// by the same source sentence. Each group lists card indexes in deck order.
#[must_use]
pub fn fact_groups(deck: &Deck) -> Vec<Vec<usize>> {
    let n = deck.cards.len();
    let mut sets = UnionFind::<usize>::new(n);
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, card) in deck.cards.iter().enumerate() {
        let source = quiz::normalize::fold(&card.source);
        let keys = card
            .sibling_key()
            .map(|k| format!("g\u{1}{k}"))
            .into_iter()
            .chain((!source.trim().is_empty()).then(|| format!("s\u{1}{source}")));
        for key in keys {
            match seen.get(&key) {
                Some(&j) => {
                    sets.union(i, j);
                }
                None => {
                    seen.insert(key, i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, root) in sets.into_labeling().into_iter().enumerate() {
        groups.entry(root).or_default().push(i);
    }
    groups.into_values().collect()
}

/// The most questions a test of `deck` can ask: one per fact.
#[must_use]
pub fn max_questions(deck: &Deck) -> usize {
    fact_groups(deck).len()
}

/// How many of `n` questions each category gets: its share of `sizes` (largest remainders),
/// and at least one each when `n` allows.
fn quotas(sizes: &[usize], n: usize) -> Vec<usize> {
    let total: usize = sizes.iter().sum();
    if total == 0 {
        return vec![0; sizes.len()];
    }
    let mut q: Vec<usize> = sizes.iter().map(|s| s * n / total).collect();
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    // Largest remainder first; ties to the larger category, then the first.
    order.sort_by_key(|&i| {
        (
            std::cmp::Reverse(sizes[i] * n % total),
            std::cmp::Reverse(sizes[i]),
        )
    });
    let mut left = n.saturating_sub(q.iter().sum());
    for &i in order.iter().cycle().take(sizes.len() * 2) {
        if left == 0 {
            break;
        }
        if q[i] < sizes[i] {
            q[i] += 1;
            left -= 1;
        }
    }
    if n >= sizes.len() {
        while let Some(empty) = (0..sizes.len()).find(|&i| q[i] == 0 && sizes[i] > 0) {
            let Some(donor) = (0..sizes.len()).filter(|&i| q[i] > 1).max_by_key(|&i| q[i]) else {
                break;
            };
            q[donor] -= 1;
            q[empty] += 1;
        }
    }
    q
}

/// How `card` is asked in a test: the form a mixed session would pick, with a flip card asked
/// as multiple choice (or typed when the deck has no options for it).
fn question_for(card: &Card, deck: &Deck, seed: u64) -> Question {
    let choice = || quiz::choices(card, &deck.cards, seed).filter(|c| c.options.len() >= 2);
    let kind = match quiz::pick_form(card, &deck.cards, SessionForm::Mixed, seed) {
        Form::Cloze => quiz::cloze(card).map_or(QuestionKind::Typed, QuestionKind::Cloze),
        Form::Typed => QuestionKind::Typed,
        Form::MultipleChoice | Form::Flip => {
            choice().map_or(QuestionKind::Typed, QuestionKind::Choice)
        }
    };
    Question {
        card: card.clone(),
        kind,
    }
}

/// Draws `n` questions from `deck` (see the module): deterministic for a seed.
pub fn draw(deck: &Deck, n: usize, seed: u64) -> Result<Vec<Question>, SelfTestError> {
    let groups = fact_groups(deck);
    if groups.is_empty() {
        return Err(SelfTestError::EmptyDeck {
            deck: deck.id.clone(),
        });
    }
    if n == 0 || n > groups.len() {
        return Err(SelfTestError::Count {
            deck: deck.id.clone(),
            asked: n,
            most: groups.len(),
        });
    }
    let mut rng = StdRng::seed_from_u64(seed);
    // One card of each fact, bucketed by its category.
    let mut buckets: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for group in &groups {
        let Some(&card) = group.choose(&mut rng) else {
            continue;
        };
        buckets
            .entry(deck.cards[card].category.as_str())
            .or_default()
            .push(card);
    }
    let sizes: Vec<usize> = buckets.values().map(Vec::len).collect();
    let mut picked = Vec::with_capacity(n);
    for (bucket, quota) in buckets.values_mut().zip(quotas(&sizes, n)) {
        bucket.shuffle(&mut rng);
        picked.extend(bucket.iter().take(quota).copied());
    }
    picked.shuffle(&mut rng);
    Ok(picked
        .into_iter()
        .map(|i| question_for(&deck.cards[i], deck, seed))
        .collect())
}

/// One answer given in a test.
#[derive(Debug, Clone, PartialEq)]
pub struct Given {
    /// The option chosen or the text typed (empty: left blank).
    pub text: String,
    pub right: bool,
    pub at: DateTime<Utc>,
    pub response_ms: u64,
}

/// A self-test being taken: its questions and the answers so far.
#[derive(Debug, Clone, PartialEq)]
pub struct SelfTest {
    pub deck_id: String,
    pub started: DateTime<Utc>,
    questions: Vec<Question>,
    given: Vec<Given>,
}

impl SelfTest {
    /// A test of `n` questions of `deck` (see [`draw`]), started at `started`.
    pub fn new(
        deck: &Deck,
        n: usize,
        seed: u64,
        started: DateTime<Utc>,
    ) -> Result<Self, SelfTestError> {
        Ok(Self {
            deck_id: deck.id.clone(),
            started,
            questions: draw(deck, n, seed)?,
            given: Vec::new(),
        })
    }

    /// Every question, in order.
    #[must_use]
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// The number of the question to answer now (0-based), `None` once all are answered.
    #[must_use]
    pub fn current(&self) -> Option<usize> {
        (self.given.len() < self.questions.len()).then_some(self.given.len())
    }

    /// The question to answer now.
    #[must_use]
    pub fn current_question(&self) -> Option<&Question> {
        self.questions.get(self.given.len())
    }

    /// Answers the current question with `text` (an option's text, or what was typed);
    /// returns whether it was right (kept to the end: nothing is shown during the test), or
    /// `None` when every question is answered already.
    pub fn answer(&mut self, text: &str, at: DateTime<Utc>, response: Duration) -> Option<bool> {
        let q = self.current_question()?;
        let right = q.mark(text);
        self.given.push(Given {
            text: text.trim().to_owned(),
            right,
            at,
            response_ms: u64::try_from(response.as_millis()).unwrap_or(u64::MAX),
        });
        Some(right)
    }

    /// Whether every question is answered.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.current().is_none()
    }

    /// Marks the test at `now`: questions left unanswered count as wrong, left blank. Each
    /// question gets the model's predicted recall of its card at the time it was answered
    /// (from the card's stored progress; none for a new card).
    pub fn finish(
        &self,
        store: &Store,
        scheduler: &Scheduler,
        now: DateTime<Utc>,
    ) -> Result<TestResult, StoreError> {
        let mut items = Vec::with_capacity(self.questions.len());
        for (i, q) in self.questions.iter().enumerate() {
            let given = self.given.get(i);
            let at = given.map_or(now, |g| g.at);
            let predicted = store
                .card(&self.deck_id, &q.card.id)?
                .and_then(|p| scheduler.retrievability(&p.card, at));
            items.push(TestItem {
                card_id: q.card.id.clone(),
                category: q.card.category.clone(),
                prompt: q.prompt(),
                given: given.map(|g| g.text.clone()).unwrap_or_default(),
                right: given.is_some_and(|g| g.right),
                expected: q.right_answer().to_owned(),
                source: q.card.source.clone(),
                predicted,
                at,
                response_ms: given.map_or(0, |g| g.response_ms),
            });
        }
        Ok(TestResult {
            deck_id: self.deck_id.clone(),
            started: self.started,
            finished: now,
            items,
        })
    }
}

/// One marked question.
#[derive(Debug, Clone, PartialEq)]
pub struct TestItem {
    pub card_id: String,
    pub category: String,
    pub prompt: String,
    /// What the learner answered (empty: nothing).
    pub given: String,
    pub right: bool,
    /// The right answer.
    pub expected: String,
    /// The card's source sentence.
    pub source: String,
    /// The model's predicted recall then; `None` for a new card.
    pub predicted: Option<f32>,
    /// When it was answered.
    pub at: DateTime<Utc>,
    pub response_ms: u64,
}

/// A marked self-test.
#[derive(Debug, Clone, PartialEq)]
pub struct TestResult {
    pub deck_id: String,
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
    pub items: Vec<TestItem>,
}

impl TestResult {
    /// How many questions were answered right.
    #[must_use]
    pub fn right(&self) -> usize {
        self.items.iter().filter(|i| i.right).count()
    }

    /// The share answered right, 0 to 1.
    #[must_use]
    pub fn score(&self) -> f64 {
        ratio(self.right(), self.items.len())
    }

    /// The questions answered wrong, in order.
    pub fn missed(&self) -> impl Iterator<Item = &TestItem> {
        self.items.iter().filter(|i| !i.right)
    }

    /// The model's predicted score: the mean predicted recall of the questions it had a
    /// prediction for, and how many those were; `None` when every card was new.
    #[must_use]
    pub fn predicted(&self) -> Option<(f64, usize)> {
        let p: Vec<f64> = self
            .items
            .iter()
            .filter_map(|i| i.predicted.map(f64::from))
            .collect();
        (!p.is_empty()).then(|| (p.iter().sum::<f64>() / p.len() as f64, p.len()))
    }

    /// The rows [`Store::save_self_test`] keeps.
    #[must_use]
    pub fn to_new(&self) -> NewSelfTest<'_> {
        NewSelfTest {
            deck_id: &self.deck_id,
            started: self.started,
            finished: self.finished,
            answers: self
                .items
                .iter()
                .map(|i| NewTestAnswer {
                    card_id: &i.card_id,
                    category: &i.category,
                    at: i.at,
                    answer_given: &i.given,
                    right: i.right,
                    response_ms: i.response_ms,
                    predicted: i.predicted,
                })
                .collect(),
        }
    }
}

#[allow(clippy::cast_precision_loss, reason = "question counts are small")]
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Tests' scores against the model's predictions for one group of questions (a deck, or one
/// category of it). Only questions the model had a prediction for count (not new cards).
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationRow {
    /// The questions counted.
    pub questions: usize,
    /// The share of them answered right, 0 to 1.
    pub actual: f64,
    /// The mean predicted recall, 0 to 1.
    pub predicted: f64,
}

impl CalibrationRow {
    /// `actual − predicted`: above zero the learner did better than the model expected.
    #[must_use]
    pub fn difference(&self) -> f64 {
        self.actual - self.predicted
    }
}

/// How well the model predicted the self-tests of a deck (or of every deck).
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// The tests counted.
    pub tests: usize,
    /// The questions with a prediction, of every test.
    pub questions: usize,
    /// Their share answered right, 0 to 1.
    pub actual: f64,
    /// Their mean predicted recall, 0 to 1.
    pub predicted: f64,
    /// The same per category (as decks write it), by name.
    pub by_category: BTreeMap<String, CalibrationRow>,
}

impl Calibration {
    /// `actual − predicted`: above zero the learner did better than the model expected.
    #[must_use]
    pub fn difference(&self) -> f64 {
        self.actual - self.predicted
    }

    /// The questions of `answers` that have a prediction, summed up; `None` when none has.
    #[must_use]
    pub fn of(answers: &[SelfTestAnswerRecord]) -> Option<Self> {
        #[derive(Default)]
        struct Sum {
            n: usize,
            right: usize,
            predicted: f64,
        }
        impl Sum {
            fn add(&mut self, right: bool, p: f32) {
                self.n += 1;
                self.right += usize::from(right);
                self.predicted += f64::from(p);
            }
            fn row(&self) -> CalibrationRow {
                CalibrationRow {
                    questions: self.n,
                    actual: ratio(self.right, self.n),
                    predicted: if self.n == 0 {
                        0.0
                    } else {
                        self.predicted / ratio(self.n, 1)
                    },
                }
            }
        }
        let mut all = Sum::default();
        let mut by: BTreeMap<&str, Sum> = BTreeMap::new();
        let mut tests: Vec<i64> = Vec::new();
        for a in answers {
            let Some(p) = a.predicted else { continue };
            all.add(a.right, p);
            by.entry(&a.category).or_default().add(a.right, p);
            if tests.last() != Some(&a.test_id) && !tests.contains(&a.test_id) {
                tests.push(a.test_id);
            }
        }
        (all.n > 0).then(|| {
            let row = all.row();
            Self {
                tests: tests.len(),
                questions: row.questions,
                actual: row.actual,
                predicted: row.predicted,
                by_category: by
                    .into_iter()
                    .map(|(c, s)| (c.to_owned(), s.row()))
                    .collect(),
            }
        })
    }
}

/// How well the model predicted the saved self-tests of `deck_id`: `None` when there is no
/// test with a question on a studied card.
pub fn calibration(store: &Store, deck_id: &str) -> Result<Option<Calibration>, StoreError> {
    Ok(Calibration::of(&store.self_test_answers(Some(deck_id))?))
}

/// [`calibration`] over the self-tests of every deck.
pub fn calibration_all(store: &Store) -> Result<Option<Calibration>, StoreError> {
    Ok(Calibration::of(&store.self_test_answers(None)?))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::deck::{FORMAT_V1, Source};

    fn card(id: &str, category: &str, answer: &str) -> Card {
        let mut c = Card::new(
            id,
            category,
            format!("Question {id}?"),
            answer,
            format!("Sentence of {id}."),
        );
        c.distractors = vec!["Decoy one".into(), "Decoy two".into()];
        c
    }

    fn deck(cards: Vec<Card>) -> Deck {
        Deck {
            format: FORMAT_V1.into(),
            id: "d".into(),
            title: "D".into(),
            description: None,
            source: Source {
                title: "S".into(),
                author: "A".into(),
                url: None,
            },
            cards,
        }
    }

    /// 12 actors, 6 dates, 2 places; a1/a2 are siblings, a3/a4 quote the same sentence.
    fn sample() -> Deck {
        let mut cards = Vec::new();
        for i in 0..12u8 {
            let name = char::from(b'A' + i);
            cards.push(card(&format!("a{i}"), "actor", &format!("Person {name}")));
        }
        for i in 0..6 {
            cards.push(card(&format!("d{i}"), "date", &format!("{}", 1990 + i)));
        }
        for i in 0..2 {
            cards.push(card(&format!("p{i}"), "place", ["Oldtown", "Newport"][i]));
        }
        cards[1].group = Some("g".into());
        cards[2].group = Some("g".into());
        cards[4].source = cards[3].source.clone();
        deck(cards)
    }

    #[test]
    fn siblings_and_shared_sentences_are_one_fact() {
        let d = sample();
        assert_eq!(max_questions(&d), 18);
        let groups = fact_groups(&d);
        assert!(groups.contains(&vec![1, 2]) && groups.contains(&vec![3, 4]));
    }

    #[test]
    fn draws_are_seeded_stratified_and_sibling_free() {
        let d = sample();
        let a = draw(&d, 9, 7).unwrap();
        assert_eq!(a, draw(&d, 9, 7).unwrap(), "same seed, same test");
        assert_ne!(
            a.iter().map(|q| &q.card.id).collect::<Vec<_>>(),
            draw(&d, 9, 8)
                .unwrap()
                .iter()
                .map(|q| &q.card.id)
                .collect::<Vec<_>>()
        );
        for seed in 0..40 {
            let qs = draw(&d, 9, seed).unwrap();
            let ids: HashSet<&str> = qs.iter().map(|q| q.card.id.as_str()).collect();
            assert_eq!(ids.len(), 9);
            assert!(!(ids.contains("a1") && ids.contains("a2")), "siblings");
            assert!(!(ids.contains("a3") && ids.contains("a4")), "same sentence");
            let per = |c: &str| qs.iter().filter(|q| q.card.category == c).count();
            // 10 actor facts, 6 dates, 2 places of 18: 5, 3 and 1 of 9.
            assert_eq!((per("actor"), per("date"), per("place")), (5, 3, 1));
        }
        // Few questions still reach every category.
        let qs = draw(&d, 3, 1).unwrap();
        let cats: HashSet<&str> = qs.iter().map(|q| q.card.category.as_str()).collect();
        assert_eq!(cats.len(), 3);
    }

    #[test]
    fn bad_counts_say_what_is_allowed() {
        let d = sample();
        for n in [0, 19] {
            let e = draw(&d, n, 1).unwrap_err();
            assert_eq!(
                e,
                SelfTestError::Count {
                    deck: "d".into(),
                    asked: n,
                    most: 18
                }
            );
            assert!(e.to_string().contains("1 to 18"), "{e}");
        }
        assert!(matches!(
            draw(&deck(Vec::new()), 1, 1),
            Err(SelfTestError::EmptyDeck { .. })
        ));
        assert!(draw(&d, 18, 3).is_ok());
    }

    #[test]
    fn questions_are_marked_without_a_rating() {
        let d = sample();
        let qs = draw(&d, 18, 5).unwrap();
        assert!(qs.iter().any(|q| matches!(q.kind, QuestionKind::Choice(_))));
        assert!(qs.iter().any(|q| q.kind == QuestionKind::Typed));
        for q in &qs {
            assert!(q.mark(q.right_answer()), "{q:?}");
            assert!(!q.mark("Decoy one"));
            assert!(!q.mark(""));
        }
    }

    #[test]
    fn quotas_share_out_and_reach_every_category() {
        assert_eq!(quotas(&[10, 6, 2], 9), [5, 3, 1]);
        assert_eq!(quotas(&[16, 1, 1], 3), [1, 1, 1]);
        assert_eq!(quotas(&[3, 3], 6), [3, 3]);
        assert_eq!(quotas(&[5, 1, 1], 2).iter().sum::<usize>(), 2);
    }

    #[test]
    fn calibration_compares_scores_with_predictions() {
        let rec = |test_id, category: &str, right, predicted| SelfTestAnswerRecord {
            test_id,
            deck_id: "d".into(),
            card_id: "c".into(),
            category: category.into(),
            right,
            predicted,
        };
        assert_eq!(Calibration::of(&[rec(1, "date", true, None)]), None);
        let c = Calibration::of(&[
            rec(1, "date", true, Some(0.9)),
            rec(1, "date", false, Some(0.7)),
            rec(1, "actor", true, None),
            rec(2, "actor", true, Some(0.5)),
        ])
        .unwrap();
        assert_eq!((c.tests, c.questions), (2, 3));
        assert!((c.actual - 2.0 / 3.0).abs() < 1e-9);
        assert!((c.predicted - 0.7).abs() < 1e-6);
        assert!((c.difference() - (2.0 / 3.0 - 0.7)).abs() < 1e-6);
        let date = &c.by_category["date"];
        assert_eq!(date.questions, 2);
        assert!((date.actual - 0.5).abs() < 1e-9 && (date.predicted - 0.8).abs() < 1e-6);
        assert!((c.by_category["actor"].difference() - 0.5).abs() < 1e-6);
    }
}
