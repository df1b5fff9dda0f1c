//! An in-memory class for the warm-up's tests and bench: a roster, a deck, and per student a
//! small schedule — cards with a due time, and new cards in deck order up to the class's
//! limit. Right → due in three days (out of the warm-up); wrong → due again after the
//! learning step, and a learning card due later in the lesson comes early when nothing else is
//! left (as the real class does). With a journal, each answer is committed to a SQLite file
//! (WAL, `synchronous=NORMAL`) before it is acknowledged, as the real class's store does.

#![allow(
    dead_code,
    reason = "shared by the warm-up tests and bench; each uses a part"
)]

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Duration as Span, Utc};
use flashdrill_core::quiz::check_text;
use flashdrill_core::quiz::normalize::{Folding, fold_with};
use flashdrill_live::warmup::{
    Ack, CardForm, ClassStudy, Given, Refusal, StudentId, StudentRef, StudyCard, codes,
};
use rusqlite::Connection;

/// What is right for a card.
#[derive(Debug, Clone)]
pub enum Right {
    Choice(usize),
    Text(String),
    /// The events' indices as shown, earliest first.
    Order(Vec<usize>),
}

#[derive(Debug, Clone)]
pub struct FakeCard {
    /// `"<deck>/<card>"`.
    pub id: String,
    pub form: CardForm,
    pub prompt: String,
    pub options: Vec<String>,
    pub right: Right,
    pub sentence: Option<String>,
}

impl FakeCard {
    /// Three cards, one of each form: d/c0 multiple choice (1 is right), d/c1 typed
    /// ("Kim Jong Un"), d/c2 a timeline of three events (right order 1, 0, 2).
    pub fn one_of_each_form() -> Vec<Self> {
        vec![
            Self::choice(
                "d/c0",
                "In which year did Putin first visit Pyongyang?",
                &["1994", "2000", "2011", "2024"],
                1,
            ),
            Self::typed("d/c1", "Who leads North Korea?", "Kim Jong Un"),
            Self::timeline(
                "d/c2",
                "Put these in order, earliest first",
                &[
                    "Vladivostok summit",
                    "Putin in Pyongyang",
                    "Vostochny visit",
                ],
                &[1, 0, 2],
            ),
        ]
    }

    pub fn choice(id: &str, prompt: &str, options: &[&str], right: usize) -> Self {
        Self {
            id: id.into(),
            form: CardForm::Choice,
            prompt: prompt.into(),
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            right: Right::Choice(right),
            sentence: Some(format!("The article's sentence for {id}.")),
        }
    }

    pub fn typed(id: &str, prompt: &str, answer: &str) -> Self {
        Self {
            id: id.into(),
            form: CardForm::Typed,
            prompt: prompt.into(),
            options: Vec::new(),
            right: Right::Text(answer.into()),
            sentence: Some(format!("The article's sentence for {id}.")),
        }
    }

    /// `events` as shown; `order` the right order of their indices.
    pub fn timeline(id: &str, prompt: &str, events: &[&str], order: &[usize]) -> Self {
        Self {
            id: id.into(),
            form: CardForm::Timeline,
            prompt: prompt.into(),
            options: events.iter().map(|e| (*e).to_owned()).collect(),
            right: Right::Order(order.to_vec()),
            sentence: None,
        }
    }

    /// The right answer as the phone would send it.
    pub fn right_answer(&self) -> Given {
        match &self.right {
            Right::Choice(i) => Given::Choice(*i),
            Right::Text(t) => Given::Text(t.clone()),
            Right::Order(o) => Given::Order(o.clone()),
        }
    }

    /// A wrong answer of the right shape.
    pub fn wrong_answer(&self) -> Given {
        match &self.right {
            Right::Choice(i) => Given::Choice((i + 1) % self.options.len()),
            Right::Text(_) => Given::Text("no idea".into()),
            Right::Order(o) => Given::Order(o.iter().rev().copied().collect()),
        }
    }

    fn answer_text(&self) -> String {
        match &self.right {
            Right::Choice(i) => self.options[*i].clone(),
            Right::Text(t) => t.clone(),
            Right::Order(o) => o
                .iter()
                .map(|&i| self.options[i].as_str())
                .collect::<Vec<_>>()
                .join(" → "),
        }
    }

    /// Whether `given` is right; `None` when it does not fit the card.
    fn mark(&self, given: &Given) -> Option<bool> {
        match (&self.right, given) {
            (Right::Choice(r), Given::Choice(i)) => (*i < self.options.len()).then_some(i == r),
            (Right::Text(r), Given::Text(t)) => Some(check_text(r, &[], t).correct),
            (Right::Order(r), Given::Order(o)) => {
                let mut seen = vec![false; self.options.len()];
                let permutation = o.len() == seen.len()
                    && o.iter()
                        .all(|&i| i < seen.len() && !std::mem::replace(&mut seen[i], true));
                permutation.then(|| o == r)
            }
            _ => None,
        }
    }
}

/// One answer as the class keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub card: String,
    pub answer_id: String,
    pub right: bool,
}

#[derive(Debug)]
struct Student {
    id: StudentId,
    name: String,
    token: String,
    /// Cards with a schedule: index → due.
    due: HashMap<usize, DateTime<Utc>>,
    new_seen: usize,
    done: u32,
    current: Option<usize>,
    acks: HashMap<String, Ack>,
    log: Vec<Logged>,
}

/// How far ahead a learning card comes early when nothing else is left.
const LEARN_AHEAD: Span = Span::minutes(20);

pub struct FakeClass {
    class: String,
    cards: Vec<FakeCard>,
    new_limit: usize,
    step: Span,
    students: Vec<Mutex<Student>>,
    /// Each student's id, name and token (they never change): found without locking anyone.
    roster: Vec<StudentRef>,
    journal: Option<Mutex<Connection>>,
    /// Calls to `answer` being served right now, and the most at once.
    busy: Mutex<(usize, usize)>,
    /// How long each commit to the journal took (waiting for it included).
    commits: Mutex<Vec<std::time::Duration>>,
    /// Commits still to fail (as a full disk would).
    failing: Mutex<usize>,
    /// Tells the journal's checkpointer to stop.
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Drop for FakeClass {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl FakeClass {
    /// A class `class` with `roster`, the deck `cards`, `new_limit` new cards per student and
    /// a one-minute learning step.
    pub fn new(class: &str, roster: &[&str], cards: Vec<FakeCard>, new_limit: usize) -> Self {
        let students: Vec<Mutex<Student>> = roster
            .iter()
            .enumerate()
            .map(|(n, name)| {
                Mutex::new(Student {
                    id: StudentId(format!("{class}/s{n}")),
                    name: (*name).to_owned(),
                    token: format!("{class}.{n}"),
                    due: HashMap::new(),
                    new_seen: 0,
                    done: 0,
                    current: None,
                    acks: HashMap::new(),
                    log: Vec::new(),
                })
            })
            .collect();
        let roster = students.iter().map(|s| Self::reference(&lock(s))).collect();
        Self {
            class: class.into(),
            cards,
            new_limit,
            step: Span::minutes(1),
            students,
            roster,
            journal: None,
            busy: Mutex::new((0, 0)),
            commits: Mutex::new(Vec::new()),
            failing: Mutex::new(0),
            stop: std::sync::Arc::default(),
        }
    }

    /// Commits every answer to the SQLite file `path` (WAL, `synchronous=NORMAL`) before
    /// acknowledging it. The WAL is checkpointed by a thread of its own with its own
    /// connection, every 200 ms, never inside an answer's commit: SQLite's automatic
    /// checkpoint (every 1,000 pages) syncs the database file inside the commit that crosses
    /// the mark, and every answer queued behind it waits (p99 46 ms for 200 students).
    pub fn with_journal(mut self, path: &Path) -> Self {
        let db = Connection::open(path).unwrap();
        db.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0;
             CREATE TABLE answers (student TEXT NOT NULL, answer_id TEXT NOT NULL,
                 card TEXT NOT NULL, right INTEGER NOT NULL, at TEXT NOT NULL,
                 PRIMARY KEY (student, answer_id));
             CREATE TABLE card_state (student TEXT NOT NULL, card TEXT NOT NULL,
                 due TEXT NOT NULL, reps INTEGER NOT NULL, PRIMARY KEY (student, card));",
        )
        .unwrap();
        self.journal = Some(Mutex::new(db));
        let checkpointer = Connection::open(path).unwrap();
        let stop = std::sync::Arc::clone(&self.stop);
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(200));
                let _ = checkpointer.execute_batch("PRAGMA wal_checkpoint(PASSIVE);");
            }
        });
        self
    }

    /// `student` (by roster position) already knows `card` (by deck position), due at `due`.
    pub fn with_history(self, student: usize, card: usize, due: DateTime<Utc>) -> Self {
        lock(&self.students[student]).due.insert(card, due);
        self
    }

    /// The next `n` commits fail (nothing is saved or counted), as on a full disk.
    pub fn fail_next_commits(&self, n: usize) {
        *lock(&self.failing) = n;
    }

    pub fn card(&self, id: &str) -> &FakeCard {
        self.cards
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no card {id}"))
    }

    pub fn token(&self, student: usize) -> String {
        lock(&self.students[student]).token.clone()
    }

    /// The answers the class kept for `student`, in order.
    pub fn log(&self, student: usize) -> Vec<Logged> {
        lock(&self.students[student]).log.clone()
    }

    /// Every answer kept, all students.
    pub fn total_answers(&self) -> usize {
        self.students.iter().map(|s| lock(s).log.len()).sum()
    }

    /// Rows in the journal's answers table.
    pub fn journal_answers(&self) -> usize {
        let db = lock(self.journal.as_ref().expect("a journal"));
        db.query_row("SELECT count(*) FROM answers", [], |r| r.get::<_, i64>(0))
            .unwrap() as usize
    }

    /// Each commit's time (waiting for the journal included), sorted.
    pub fn commit_times(&self) -> Vec<std::time::Duration> {
        let mut times = lock(&self.commits).clone();
        times.sort_unstable();
        times
    }

    /// The most calls to `answer` that were being served at once.
    pub fn most_at_once(&self) -> usize {
        lock(&self.busy).1
    }

    fn student(&self, id: &StudentId) -> Result<&Mutex<Student>, Refusal> {
        self.roster
            .iter()
            .position(|s| s.id == *id)
            .map(|i| &self.students[i])
            .ok_or_else(|| Refusal::new(codes::UNKNOWN_TOKEN, "No such student"))
    }

    fn reference(s: &Student) -> StudentRef {
        StudentRef {
            id: s.id.clone(),
            name: s.name.clone(),
            token: s.token.clone(),
        }
    }

    /// The student's next card index now, if any (without handing it out).
    fn pick(&self, s: &Student, now: DateTime<Utc>) -> Option<usize> {
        let earliest = |until: DateTime<Utc>| {
            s.due
                .iter()
                .filter(|(_, due)| **due <= until)
                .min_by_key(|(i, due)| (**due, **i))
                .map(|(i, _)| *i)
        };
        earliest(now)
            .or_else(|| self.next_new(s))
            .or_else(|| earliest(now + LEARN_AHEAD))
    }

    fn next_new(&self, s: &Student) -> Option<usize> {
        if s.new_seen >= self.new_limit {
            return None;
        }
        (0..self.cards.len()).find(|i| !s.due.contains_key(i))
    }

    fn left(&self, s: &Student, now: DateTime<Utc>) -> u32 {
        let scheduled = s
            .due
            .values()
            .filter(|due| **due <= now + LEARN_AHEAD)
            .count();
        let unseen = (0..self.cards.len())
            .filter(|i| !s.due.contains_key(i))
            .count();
        (scheduled + unseen.min(self.new_limit.saturating_sub(s.new_seen))) as u32
    }

    fn commit(
        &self,
        s: &Student,
        card: &str,
        answer_id: &str,
        right: bool,
        due: DateTime<Utc>,
    ) -> Result<(), Refusal> {
        {
            let mut failing = lock(&self.failing);
            if *failing > 0 {
                *failing -= 1;
                return Err(Refusal::new(
                    codes::NOT_SAVED,
                    "The teacher's computer could not save that answer: it is sent again",
                ));
            }
        }
        let Some(journal) = &self.journal else {
            return Ok(());
        };
        let started = std::time::Instant::now();
        let mut db = lock(journal);
        let saved = (|| {
            let tx = db.transaction()?;
            tx.execute(
                "INSERT INTO answers (student, answer_id, card, right, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                (&s.id.0, answer_id, card, right, Utc::now().to_rfc3339()),
            )?;
            tx.execute(
                "INSERT INTO card_state (student, card, due, reps) VALUES (?1, ?2, ?3, 1)
                 ON CONFLICT (student, card) DO UPDATE SET due = excluded.due, reps = reps + 1",
                (&s.id.0, card, due.to_rfc3339()),
            )?;
            tx.commit()
        })();
        drop(db);
        lock(&self.commits).push(started.elapsed());
        saved.map_err(|e| Refusal::new(codes::NOT_SAVED, format!("not saved: {e}")))
    }
}

impl ClassStudy for FakeClass {
    fn find_student(&self, typed: &str) -> Result<StudentRef, Refusal> {
        let key = fold_with(typed, Folding::SEARCH);
        self.roster
            .iter()
            .find(|s| fold_with(&s.name, Folding::SEARCH) == key)
            .cloned()
            .ok_or_else(|| {
                Refusal::new(
                    codes::NOT_ON_ROSTER,
                    "That name is not on the class list: type it as the teacher has it",
                )
            })
    }

    fn student_by_token(&self, token: &str) -> Result<StudentRef, Refusal> {
        if let Some(s) = self.roster.iter().find(|s| s.token == token) {
            return Ok(s.clone());
        }
        match token.split_once('.') {
            Some((class, _)) if class != self.class => Err(Refusal::new(
                codes::OTHER_CLASS,
                "This phone belongs to a student of another class: type your name",
            )),
            _ => Err(Refusal::new(
                codes::UNKNOWN_TOKEN,
                "This phone's place in the class was not found: type your name",
            )),
        }
    }

    fn next_card(
        &self,
        student: &StudentId,
        now: DateTime<Utc>,
    ) -> Result<Option<StudyCard>, Refusal> {
        let mut s = lock(self.student(student)?);
        let Some(index) = s.current.or_else(|| self.pick(&s, now)) else {
            return Ok(None);
        };
        s.current = Some(index);
        let card = &self.cards[index];
        let left = self.left(&s, now).max(1);
        Ok(Some(StudyCard {
            id: card.id.clone(),
            form: card.form,
            prompt: card.prompt.clone(),
            options: card.options.clone(),
            done: s.done,
            left,
        }))
    }

    fn answer(
        &self,
        student: &StudentId,
        card: &str,
        answer_id: &str,
        given: &Given,
        now: DateTime<Utc>,
    ) -> Result<Ack, Refusal> {
        {
            let mut busy = lock(&self.busy);
            busy.0 += 1;
            busy.1 = busy.1.max(busy.0);
        }
        let result = (|| {
            let mut s = lock(self.student(student)?);
            if let Some(ack) = s.acks.get(answer_id) {
                return Ok(ack.clone());
            }
            let index = s
                .current
                .filter(|&i| self.cards[i].id == card)
                .ok_or_else(|| {
                    Refusal::new(codes::NOT_IN_QUEUE, "That card is not yours to answer now")
                })?;
            let c = &self.cards[index];
            let right = c.mark(given).ok_or_else(|| {
                Refusal::new(codes::INVALID_ANSWER, "That answer does not fit the card")
            })?;
            let due = if right {
                now + Span::days(3)
            } else {
                now + self.step
            };
            self.commit(&s, card, answer_id, right, due)?;
            if !s.due.contains_key(&index) {
                s.new_seen += 1;
            }
            s.due.insert(index, due);
            s.done += 1;
            s.current = None;
            s.log.push(Logged {
                card: card.to_owned(),
                answer_id: answer_id.to_owned(),
                right,
            });
            let ack = Ack {
                id: answer_id.to_owned(),
                right,
                answer: c.answer_text(),
                sentence: c.sentence.clone(),
            };
            s.acks.insert(answer_id.to_owned(), ack.clone());
            Ok(ack)
        })();
        lock(&self.busy).0 -= 1;
        result
    }
}

/// Student names that are the same ignoring case, accents and extra spaces.
pub fn same_name(a: &str, b: &str) -> bool {
    fold_with(a, Folding::SEARCH) == fold_with(b, Folding::SEARCH)
}

/// The set of card ids a student's log holds.
pub fn cards_of(log: &[Logged]) -> HashSet<String> {
    log.iter().map(|l| l.card.clone()).collect()
}
