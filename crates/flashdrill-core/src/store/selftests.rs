//! Self-tests kept: one `self_test` row per finished test and one `self_test_answer` row per
//! question, beside the `test` reviews the answers are logged as (see [`crate::selftest`]).

use chrono::{DateTime, Utc};
use rusqlite::{Row, params};

use super::answers::{LeechPolicy, NewReview, begin, record_in};
use super::cards::{bad_data, ensure_deck, sql_err};
use super::rows::{ms, time};
use super::{Mode, Store, StoreError};
use crate::schedule::Rating;
use crate::settings::LeechAction;

/// The tables (schema step 2 → 3).
pub(super) const CREATE: &str = "
    -- A finished self-test: when, on which deck, how many questions and how many right.
    CREATE TABLE self_test (
        id        INTEGER PRIMARY KEY,
        deck      INTEGER NOT NULL,                 -- deck.key
        started   INTEGER NOT NULL,                 -- ms since the Unix epoch, UTC
        finished  INTEGER NOT NULL,
        questions INTEGER NOT NULL CHECK (questions > 0),
        right     INTEGER NOT NULL CHECK (right BETWEEN 0 AND questions)
    );
    CREATE INDEX self_test_deck ON self_test (deck, started);
    -- One question of a self-test, with the memory model's prediction at the time.
    CREATE TABLE self_test_answer (
        test      INTEGER NOT NULL REFERENCES self_test (id) ON DELETE CASCADE,
        position  INTEGER NOT NULL,                 -- 0-based question number
        card      INTEGER NOT NULL,                 -- card.key
        category  TEXT    NOT NULL,                 -- the card's category at the time
        right     INTEGER NOT NULL CHECK (right IN (0, 1)),
        predicted REAL,                             -- retrievability then; NULL: a new card
        review    INTEGER NOT NULL,                 -- review.id of the `test` review
        PRIMARY KEY (test, position)
    ) WITHOUT ROWID;
";

/// One answered question of a test to save.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTestAnswer<'a> {
    pub card_id: &'a str,
    /// The card's category as the deck gives it.
    pub category: &'a str,
    /// When the question was answered.
    pub at: DateTime<Utc>,
    /// What the learner typed or chose (empty: left blank).
    pub answer_given: &'a str,
    pub right: bool,
    pub response_ms: u64,
    /// The memory model's predicted recall of the card at `at`; `None` for a new card.
    pub predicted: Option<f32>,
}

/// A finished self-test to save with [`Store::save_self_test`].
#[derive(Debug, Clone, PartialEq)]
pub struct NewSelfTest<'a> {
    pub deck_id: &'a str,
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
    /// The questions in the order asked (at least one).
    pub answers: Vec<NewTestAnswer<'a>>,
}

/// A saved self-test, as lists and statistics read it.
#[derive(Debug, Clone, PartialEq)]
pub struct SelfTestRecord {
    pub id: i64,
    pub deck_id: String,
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
    pub questions: u32,
    pub right: u32,
    /// The mean predicted recall of the questions that had a prediction; `None` when every
    /// card was new.
    pub predicted: Option<f64>,
    /// How many questions had a prediction (cards studied before the test).
    pub predicted_questions: u32,
}

impl SelfTestRecord {
    /// The share of questions answered right, 0 to 1.
    #[must_use]
    pub fn score(&self) -> f64 {
        f64::from(self.right) / f64::from(self.questions.max(1))
    }
}

/// One saved question of a self-test.
#[derive(Debug, Clone, PartialEq)]
pub struct SelfTestAnswerRecord {
    pub test_id: i64,
    pub deck_id: String,
    pub card_id: String,
    pub category: String,
    pub right: bool,
    pub predicted: Option<f32>,
}

fn count(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

impl Store {
    /// Saves a finished self-test in ONE transaction: each answer is logged as a `test`
    /// review (Good when right, else Again; it never changes the card's schedule), and the
    /// test and its questions are kept for the statistics. Returns the test's id.
    pub fn save_self_test(&mut self, test: &NewSelfTest<'_>) -> Result<i64, StoreError> {
        if test.answers.is_empty() {
            return Err(StoreError::Invalid(format!(
                "a self-test of {} with no questions",
                test.deck_id
            )));
        }
        let Self { conn, path, .. } = self;
        let err = sql_err(path);
        let tx = begin(conn, path)?;
        let deck = ensure_deck(&tx, test.deck_id).map_err(&err)?;
        let questions = test.answers.len();
        let right = test.answers.iter().filter(|a| a.right).count();
        tx.prepare_cached(
            "INSERT INTO self_test (deck, started, finished, questions, right) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .and_then(|mut s| {
            s.execute(params![
                deck,
                ms(test.started),
                ms(test.finished),
                i64::try_from(questions).unwrap_or(i64::MAX),
                i64::try_from(right).unwrap_or(i64::MAX),
            ])
        })
        .map_err(&err)?;
        let test_id = tx.last_insert_rowid();
        // A test answer never changes a card, so the leech policy is never consulted.
        let leech = LeechPolicy {
            threshold: u32::MAX,
            action: LeechAction::Tag,
        };
        for (position, a) in test.answers.iter().enumerate() {
            let recorded = record_in(
                &tx,
                path,
                &NewReview {
                    deck_id: test.deck_id,
                    card_id: a.card_id,
                    at: a.at,
                    rating: if a.right { Rating::Good } else { Rating::Again },
                    mode: Mode::Test,
                    answer_given: Some(a.answer_given),
                    correct: Some(a.right),
                    response_ms: a.response_ms,
                    state_after: None,
                },
                leech,
            )?;
            let card: i64 = tx
                .prepare_cached("SELECT card FROM review WHERE id = ?1")
                .and_then(|mut s| s.query_row([recorded.review_id], |r| r.get(0)))
                .map_err(&err)?;
            tx.prepare_cached(
                "INSERT INTO self_test_answer \
                 (test, position, card, category, right, predicted, review) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    test_id,
                    i64::try_from(position).unwrap_or(i64::MAX),
                    card,
                    a.category,
                    a.right,
                    a.predicted.map(f64::from),
                    recorded.review_id,
                ])
            })
            .map_err(&err)?;
        }
        tx.commit().map_err(&err)?;
        Ok(test_id)
    }

    /// The saved self-tests of one deck (`Some(id)`) or of every deck, oldest first.
    pub fn self_tests(&self, deck_id: Option<&str>) -> Result<Vec<SelfTestRecord>, StoreError> {
        let err = sql_err(&self.path);
        let bad = bad_data(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT t.id, d.id, t.started, t.finished, t.questions, t.right, \
                   (SELECT AVG(a.predicted) FROM self_test_answer a WHERE a.test = t.id), \
                   (SELECT COUNT(a.predicted) FROM self_test_answer a WHERE a.test = t.id) \
                 FROM self_test t JOIN deck d ON d.key = t.deck \
                 WHERE ?1 IS NULL OR d.id = ?1 ORDER BY t.started, t.id",
            )
            .map_err(&err)?;
        let rows = stmt
            .query_map([deck_id], |r: &Row<'_>| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, Option<f64>>(6)?,
                    r.get::<_, i64>(7)?,
                ))
            })
            .map_err(&err)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, deck_id, started, finished, questions, right, predicted, with) =
                row.map_err(&err)?;
            let at = |v: i64| time(v).ok_or_else(|| bad(format!("self-test {id}: bad time {v}")));
            out.push(SelfTestRecord {
                id,
                deck_id,
                started: at(started)?,
                finished: at(finished)?,
                questions: count(questions),
                right: count(right),
                predicted,
                predicted_questions: count(with),
            });
        }
        Ok(out)
    }

    /// Every saved question of the self-tests of one deck (`Some(id)`) or of every deck, in
    /// test and question order.
    pub fn self_test_answers(
        &self,
        deck_id: Option<&str>,
    ) -> Result<Vec<SelfTestAnswerRecord>, StoreError> {
        let err = sql_err(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a.test, d.id, c.id, a.category, a.right, a.predicted \
                 FROM self_test_answer a JOIN self_test t ON t.id = a.test \
                   JOIN deck d ON d.key = t.deck JOIN card c ON c.key = a.card \
                 WHERE ?1 IS NULL OR d.id = ?1 ORDER BY t.started, a.test, a.position",
            )
            .map_err(&err)?;
        let rows = stmt
            .query_map([deck_id], |r| {
                Ok(SelfTestAnswerRecord {
                    test_id: r.get(0)?,
                    deck_id: r.get(1)?,
                    card_id: r.get(2)?,
                    category: r.get(3)?,
                    right: r.get(4)?,
                    #[allow(clippy::cast_possible_truncation, reason = "stored from an f32")]
                    predicted: r.get::<_, Option<f64>>(5)?.map(|p| p as f32),
                })
            })
            .map_err(&err)?;
        rows.collect::<Result<_, _>>().map_err(&err)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp_millis(1_767_225_600_000).unwrap()
    }

    fn answer(card_id: &str, right: bool, predicted: Option<f32>) -> NewTestAnswer<'_> {
        NewTestAnswer {
            card_id,
            category: "date",
            at: t0() + TimeDelta::seconds(5),
            answer_given: "x",
            right,
            response_ms: 900,
            predicted,
        }
    }

    #[test]
    fn a_saved_test_reads_back_with_its_answers_and_test_reviews() {
        let mut store = Store::open_in_memory("t").unwrap();
        let id = store
            .save_self_test(&NewSelfTest {
                deck_id: "d",
                started: t0(),
                finished: t0() + TimeDelta::minutes(3),
                answers: vec![
                    answer("a", true, Some(0.9)),
                    answer("b", false, Some(0.5)),
                    answer("c", true, None),
                ],
            })
            .unwrap();
        let tests = store.self_tests(Some("d")).unwrap();
        assert_eq!(tests.len(), 1);
        let t = &tests[0];
        assert_eq!((t.id, t.questions, t.right), (id, 3, 2));
        assert_eq!(t.predicted_questions, 2);
        assert!((t.predicted.unwrap() - 0.7).abs() < 1e-6);
        assert!((t.score() - 2.0 / 3.0).abs() < 1e-9);
        assert!(store.self_tests(Some("other")).unwrap().is_empty());
        assert_eq!(store.self_tests(None).unwrap(), tests);

        let answers = store.self_test_answers(None).unwrap();
        let cards: Vec<(&str, bool, Option<f32>)> = answers
            .iter()
            .map(|a| (a.card_id.as_str(), a.right, a.predicted))
            .collect();
        assert_eq!(
            cards,
            [
                ("a", true, Some(0.9)),
                ("b", false, Some(0.5)),
                ("c", true, None)
            ]
        );
        let log = store.all_reviews().unwrap();
        assert_eq!(log.len(), 3);
        assert!(
            log.iter()
                .all(|r| r.mode == Mode::Test && r.state_after.is_none())
        );
        assert!(
            store.card_states(None).unwrap().is_empty(),
            "no schedule made"
        );
        // Test answers are not study: the daily counts leave them out.
        let counts = store.counts_since(t0()).unwrap();
        assert_eq!(counts["d"].practice, 0);
    }

    #[test]
    fn an_empty_test_is_refused() {
        let mut store = Store::open_in_memory("t").unwrap();
        let empty = NewSelfTest {
            deck_id: "d",
            started: t0(),
            finished: t0(),
            answers: Vec::new(),
        };
        assert!(matches!(
            store.save_self_test(&empty),
            Err(StoreError::Invalid(_))
        ));
        assert!(store.self_tests(None).unwrap().is_empty());
    }
}
