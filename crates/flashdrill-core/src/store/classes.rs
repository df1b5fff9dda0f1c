//! Classes, their rosters, and each student's own schedule and review log (see
//! [`crate::class`]).
//!
//! A student's progress (`student_progress`) and answers (`student_review`) are kept apart from
//! the teacher's own (`progress`, `review`), keyed by the student (whose row names the class)
//! and the card. A student's review row is written exactly as a review of the teacher's log
//! (the layout of `store/rows.rs`, ids `(ms << 20) | random low bits`, unique across computers
//! and students), with the phone's answer id beside it: a re-sent answer finds its row and is
//! counted once.
//!
//! Removing a student or a class deletes their rows explicitly (the store does not rely on
//! foreign keys being switched on).

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::answers::begin;
use super::cards::{RawCard, bad_data, ensure_card, sql_err};
use super::log::{Before, IdChoice, NewRow, RawReview, insert_row};
use super::rows::{Kind, first_id, ms, review_id_ms, state_code, time};
use super::{CardRecord, Mode, ReviewRecord, Store, StoreError, truncate_ms};
use crate::class::{
    Class, ClassError, ClassSettings, ClassSummary, RosterError, Student, check_names, fold_name,
    new_student_id, new_token,
};
use crate::schedule::{CardState, Rating, State, format_steps, parse_steps};

/// The tables (one schema step).
pub(super) const CREATE: &str = "
    -- A teacher's class: its name, decks and own scheduling settings.
    CREATE TABLE class (
        key              INTEGER PRIMARY KEY,
        name             TEXT    NOT NULL,
        folded           TEXT    NOT NULL UNIQUE,   -- the name without case, accents, spaces
        created          INTEGER NOT NULL,          -- ms since the Unix epoch, UTC
        decks            TEXT    NOT NULL,          -- deck ids, one per line
        retention        REAL    NOT NULL,
        new_per_day      INTEGER NOT NULL,
        learning_steps   TEXT    NOT NULL,          -- as the settings write them: 1m 10m
        relearning_steps TEXT    NOT NULL
    );
    -- One name on a class's roster.
    CREATE TABLE student (
        key    INTEGER PRIMARY KEY,
        class  INTEGER NOT NULL,                    -- class.key
        id     TEXT    NOT NULL UNIQUE,             -- UUID v7
        name   TEXT    NOT NULL,
        folded TEXT    NOT NULL,
        token  TEXT    NOT NULL UNIQUE,             -- what the student's phone keeps
        added  INTEGER NOT NULL,
        UNIQUE (class, folded)
    );
    -- A student's schedule of one card (as `progress`, without the teacher's flags).
    CREATE TABLE student_progress (
        student     INTEGER NOT NULL,               -- student.key
        card        INTEGER NOT NULL,               -- card.key
        state       INTEGER NOT NULL CHECK (state BETWEEN 0 AND 3),
        step        INTEGER,
        stability   REAL,
        difficulty  REAL,
        due         INTEGER NOT NULL,
        last_review INTEGER,
        reps        INTEGER NOT NULL,
        lapses      INTEGER NOT NULL,
        PRIMARY KEY (student, card)
    ) WITHOUT ROWID;
    -- A student's answers: the columns of `review` (store/rows.rs), the student, and the
    -- phone's own id for the answer (a re-sent answer is found, not written again).
    CREATE TABLE student_review (
        id          INTEGER PRIMARY KEY,            -- (ms << 20) | 20 random bits
        card        INTEGER NOT NULL,
        kind        INTEGER NOT NULL,
        response_ms INTEGER NOT NULL,
        answer      TEXT,
        step        INTEGER,
        stability   INTEGER,
        difficulty  INTEGER,
        due         INTEGER,
        reps        INTEGER,
        lapses      INTEGER,
        last        INTEGER,
        student     INTEGER NOT NULL,               -- student.key
        answer_id   TEXT    NOT NULL,
        UNIQUE (student, answer_id)
    );
    -- A student's answers to a card (the latest, for the order of answers).
    CREATE INDEX student_review_card ON student_review (student, card);
    -- A student's answers in time order (the index holds the id after the student).
    CREATE INDEX student_review_student ON student_review (student);
";

/// The columns of a student's review in the order [`RawReview::from_row`] reads, then the
/// student's key and the answer id.
const STUDENT_REVIEW_SELECT: &str = "SELECT r.id, d.id, c.id, r.card, r.kind, r.response_ms, \
    r.answer, r.step, r.stability, r.difficulty, r.due, r.reps, r.lapses, r.last, r.student, \
    r.answer_id FROM student_review r JOIN card c ON c.key = r.card JOIN deck d ON d.key = c.deck";

/// One answer of a student, read back.
#[derive(Debug, Clone, PartialEq)]
pub struct StudentReview {
    /// The student's key.
    pub student: i64,
    /// The id the phone made for the answer.
    pub answer_id: String,
    /// srs: the card's state (new, learning, review, relearning) before the answer.
    pub before: Option<State>,
    /// The answer as the teacher's own log would hold it (`state_before` is not filled).
    pub review: ReviewRecord,
}

/// A student's answer to write with [`Store::record_student_review`].
#[derive(Debug, Clone, PartialEq)]
pub struct NewStudentReview<'a> {
    pub student: i64,
    pub deck_id: &'a str,
    pub card_id: &'a str,
    pub answer_id: &'a str,
    pub at: DateTime<Utc>,
    pub mode: Mode,
    pub right: bool,
    pub answer_given: Option<&'a str>,
    pub response_ms: u64,
}

fn no_class(conn: &Connection, path: &Path, name: &str) -> Result<ClassError, StoreError> {
    let known = conn
        .prepare_cached("SELECT name FROM class ORDER BY folded")
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(sql_err(path))?;
    Ok(ClassError::NoSuchClass {
        name: name.to_owned(),
        known,
    })
}

fn class_of_row(r: &Row<'_>) -> rusqlite::Result<RawClass> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
    ))
}

const CLASS_COLUMNS: &str =
    "key, name, created, decks, retention, new_per_day, learning_steps, relearning_steps";

type RawClass = (i64, String, i64, String, f64, i64, String, String);

fn check_class(path: &Path, raw: RawClass) -> Result<Class, StoreError> {
    let (key, name, created, decks, retention, new_per_day, learning, relearning) = raw;
    let bad = |what: String| StoreError::BadData {
        path: path.to_path_buf(),
        detail: format!("class {name}: {what}"),
    };
    let steps = |text: &str| parse_steps(text).map_err(|e| bad(format!("steps \"{text}\": {e}")));
    #[allow(
        clippy::cast_possible_truncation,
        reason = "the store writes the retention from an f32"
    )]
    let settings = ClassSettings {
        desired_retention: retention as f32,
        new_per_day: u32::try_from(new_per_day)
            .map_err(|_| bad(format!("new cards per day {new_per_day}")))?,
        learning_steps: steps(&learning)?,
        relearning_steps: steps(&relearning)?,
    };
    Ok(Class {
        key,
        decks: decks.lines().map(str::to_owned).collect(),
        settings,
        created: time(created).ok_or_else(|| bad(format!("bad time {created}")))?,
        name,
    })
}

fn student_of_row(r: &Row<'_>) -> rusqlite::Result<(i64, String, String, String, i64)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

const STUDENT_COLUMNS: &str = "key, id, name, token, added";

fn check_student(
    path: &Path,
    (key, id, name, token, added): (i64, String, String, String, i64),
) -> Result<Student, StoreError> {
    Ok(Student {
        added: time(added).ok_or_else(|| StoreError::BadData {
            path: path.to_path_buf(),
            detail: format!("student {name}: bad time {added}"),
        })?,
        key,
        id,
        name,
        token,
    })
}

fn read_students(conn: &Connection, path: &Path, class: i64) -> Result<Vec<Student>, StoreError> {
    let raw = conn
        .prepare_cached(&format!(
            "SELECT {STUDENT_COLUMNS} FROM student WHERE class = ?1 ORDER BY folded, key"
        ))
        .and_then(|mut s| {
            s.query_map([class], student_of_row)?
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(sql_err(path))?;
    raw.into_iter().map(|r| check_student(path, r)).collect()
}

fn find_student_in(
    conn: &Connection,
    path: &Path,
    class: &Class,
    name: &str,
) -> Result<Student, ClassError> {
    let raw = conn
        .prepare_cached(&format!(
            "SELECT {STUDENT_COLUMNS} FROM student WHERE class = ?1 AND folded = ?2"
        ))
        .and_then(|mut s| {
            s.query_row(params![class.key, fold_name(name)], student_of_row)
                .optional()
        })
        .map_err(sql_err(path))?;
    match raw {
        Some(raw) => Ok(check_student(path, raw)?),
        None => Err(ClassError::NotOnRoster {
            class: class.name.clone(),
            name: name.to_owned(),
        }),
    }
}

fn insert_students(
    conn: &Connection,
    path: &Path,
    class: &Class,
    names: &[String],
    now: DateTime<Utc>,
) -> Result<Vec<Student>, ClassError> {
    let checked = check_names(names)?;
    let added = ms(truncate_ms(now));
    let mut out = Vec::with_capacity(checked.len());
    for n in checked {
        if let Ok(existing) = find_student_in(conn, path, class, &n.name) {
            return Err(ClassError::AlreadyOnRoster {
                class: class.name.clone(),
                name: n.name,
                existing: existing.name,
            });
        }
        let (id, token) = (new_student_id(now), new_token());
        conn.prepare_cached(
            "INSERT INTO student (class, id, name, folded, token, added) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .and_then(|mut s| {
            s.execute(params![
                class.key,
                id,
                n.name,
                fold_name(&n.name),
                token,
                added
            ])
        })
        .map_err(sql_err(path))?;
        out.push(Student {
            key: conn.last_insert_rowid(),
            id,
            name: n.name,
            token,
            added: time(added).unwrap_or(now),
        });
    }
    Ok(out)
}

fn delete_student_rows(conn: &Connection, student: i64) -> rusqlite::Result<u64> {
    let answers: i64 = conn.query_row(
        "SELECT count(*) FROM student_review WHERE student = ?1",
        [student],
        |r| r.get(0),
    )?;
    conn.execute("DELETE FROM student_review WHERE student = ?1", [student])?;
    conn.execute("DELETE FROM student_progress WHERE student = ?1", [student])?;
    conn.execute("DELETE FROM student WHERE key = ?1", [student])?;
    Ok(answers.unsigned_abs())
}

impl Store {
    /// Creates a class with its decks, settings and roster (names checked as
    /// [`check_names`] does), in one transaction.
    pub fn create_class(
        &mut self,
        name: &str,
        decks: &[String],
        settings: &ClassSettings,
        roster: &[String],
        now: DateTime<Utc>,
    ) -> Result<(Class, Vec<Student>), ClassError> {
        let name = crate::class::check_class_name(name)?;
        let Self { conn, path, .. } = self;
        let tx = begin(conn, path)?;
        let taken: Option<String> = tx
            .query_row(
                "SELECT name FROM class WHERE folded = ?1",
                [fold_name(&name)],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql_err(path))?;
        if let Some(taken) = taken {
            return Err(ClassError::ClassExists(taken));
        }
        let created = truncate_ms(now);
        tx.execute(
            "INSERT INTO class (name, folded, created, decks, retention, new_per_day, \
             learning_steps, relearning_steps) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                name,
                fold_name(&name),
                ms(created),
                decks.join("\n"),
                f64::from(settings.desired_retention),
                settings.new_per_day,
                format_steps(&settings.learning_steps),
                format_steps(&settings.relearning_steps),
            ],
        )
        .map_err(sql_err(path))?;
        let class = Class {
            key: tx.last_insert_rowid(),
            name,
            decks: decks.to_vec(),
            settings: settings.clone(),
            created,
        };
        let students = if roster.is_empty() {
            Vec::new()
        } else {
            insert_students(&tx, path, &class, roster, now)?
        };
        tx.commit().map_err(sql_err(path))?;
        Ok((class, students))
    }

    /// Changes a class's name, decks and settings (`class.key` says which).
    pub fn update_class(&mut self, class: &Class) -> Result<(), ClassError> {
        let name = crate::class::check_class_name(&class.name)?;
        let Self { conn, path, .. } = self;
        let tx = begin(conn, path)?;
        let taken: Option<String> = tx
            .query_row(
                "SELECT name FROM class WHERE folded = ?1 AND key <> ?2",
                params![fold_name(&name), class.key],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql_err(path))?;
        if let Some(taken) = taken {
            return Err(ClassError::ClassExists(taken));
        }
        tx.execute(
            "UPDATE class SET name = ?2, folded = ?3, decks = ?4, retention = ?5, \
             new_per_day = ?6, learning_steps = ?7, relearning_steps = ?8 WHERE key = ?1",
            params![
                class.key,
                name,
                fold_name(&name),
                class.decks.join("\n"),
                f64::from(class.settings.desired_retention),
                class.settings.new_per_day,
                format_steps(&class.settings.learning_steps),
                format_steps(&class.settings.relearning_steps),
            ],
        )
        .map_err(sql_err(path))?;
        tx.commit().map_err(sql_err(path))?;
        Ok(())
    }

    /// Every class with its numbers, by name.
    pub fn classes(&self) -> Result<Vec<ClassSummary>, ClassError> {
        let err = sql_err(&self.path);
        let raw = self
            .conn
            .prepare_cached(&format!(
                "SELECT {CLASS_COLUMNS} FROM class ORDER BY folded"
            ))
            .and_then(|mut s| {
                s.query_map([], class_of_row)?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(&err)?;
        let mut out = Vec::with_capacity(raw.len());
        for r in raw {
            let class = check_class(&self.path, r)?;
            let (students, answers, last): (i64, i64, Option<i64>) = self
                .conn
                .query_row(
                    "SELECT (SELECT count(*) FROM student WHERE class = ?1), \
                            count(r.id), max(r.id) \
                     FROM student s JOIN student_review r ON r.student = s.key \
                     WHERE s.class = ?1",
                    [class.key],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .map_err(&err)?;
            out.push(ClassSummary {
                class,
                students: usize::try_from(students).unwrap_or(0),
                answers: answers.unsigned_abs(),
                last_answer: last.and_then(|id| time(review_id_ms(id))),
            });
        }
        Ok(out)
    }

    /// The class called `name` (case, accents and spaces ignored).
    pub fn class_named(&self, name: &str) -> Result<Class, ClassError> {
        let raw = self
            .conn
            .prepare_cached(&format!(
                "SELECT {CLASS_COLUMNS} FROM class WHERE folded = ?1"
            ))
            .and_then(|mut s| s.query_row([fold_name(name)], class_of_row).optional())
            .map_err(sql_err(&self.path))?;
        match raw {
            Some(raw) => Ok(check_class(&self.path, raw)?),
            None => Err(no_class(&self.conn, &self.path, name)?),
        }
    }

    /// The class with key `key`, if there is one.
    pub fn class_by_key(&self, key: i64) -> Result<Option<Class>, StoreError> {
        let raw = self
            .conn
            .prepare_cached(&format!("SELECT {CLASS_COLUMNS} FROM class WHERE key = ?1"))
            .and_then(|mut s| s.query_row([key], class_of_row).optional())
            .map_err(sql_err(&self.path))?;
        raw.map(|r| check_class(&self.path, r)).transpose()
    }

    /// Deletes a class, its roster and every student's progress and answers; returns how many
    /// answers went with it.
    pub fn delete_class(&mut self, class: &Class) -> Result<u64, ClassError> {
        let Self { conn, path, .. } = self;
        let tx = begin(conn, path)?;
        let mut answers = 0;
        for s in read_students(&tx, path, class.key)? {
            answers += delete_student_rows(&tx, s.key).map_err(sql_err(path))?;
        }
        tx.execute("DELETE FROM class WHERE key = ?1", [class.key])
            .map_err(sql_err(path))?;
        tx.commit().map_err(sql_err(path))?;
        Ok(answers)
    }

    /// The class's roster, by name.
    pub fn students(&self, class: &Class) -> Result<Vec<Student>, StoreError> {
        read_students(&self.conn, &self.path, class.key)
    }

    /// The student of `class` called `name` (case, accents and spaces ignored), else
    /// [`ClassError::NotOnRoster`].
    pub fn find_student(&self, class: &Class, name: &str) -> Result<Student, ClassError> {
        find_student_in(&self.conn, &self.path, class, name)
    }

    /// The student of `class` whose id is `id`.
    pub fn student_by_id(&self, class: &Class, id: &str) -> Result<Student, ClassError> {
        let raw = self
            .conn
            .prepare_cached(&format!(
                "SELECT {STUDENT_COLUMNS} FROM student WHERE id = ?1 AND class = ?2"
            ))
            .and_then(|mut s| {
                s.query_row(params![id, class.key], student_of_row)
                    .optional()
            })
            .map_err(sql_err(&self.path))?;
        match raw {
            Some(raw) => Ok(check_student(&self.path, raw)?),
            None => Err(ClassError::NoSuchStudent {
                class: class.name.clone(),
                id: id.to_owned(),
            }),
        }
    }

    /// The student whose phone keeps `token`, and the key of their class.
    pub fn student_by_token(&self, token: &str) -> Result<Option<(i64, Student)>, StoreError> {
        let raw = self
            .conn
            .prepare_cached(&format!(
                "SELECT {STUDENT_COLUMNS}, class FROM student WHERE token = ?1"
            ))
            .and_then(|mut s| {
                s.query_row([token], |r| Ok((student_of_row(r)?, r.get::<_, i64>(5)?)))
                    .optional()
            })
            .map_err(sql_err(&self.path))?;
        raw.map(|(s, class)| Ok((class, check_student(&self.path, s)?)))
            .transpose()
    }

    /// Adds students to the roster in one transaction: all, or none when a name is already
    /// on it (or twice in `names`).
    pub fn add_students(
        &mut self,
        class: &Class,
        names: &[String],
        now: DateTime<Utc>,
    ) -> Result<Vec<Student>, ClassError> {
        let Self { conn, path, .. } = self;
        let tx = begin(conn, path)?;
        let added = insert_students(&tx, path, class, names, now)?;
        tx.commit().map_err(sql_err(path))?;
        Ok(added)
    }

    /// Removes students with their progress and answers, in one transaction; returns each
    /// one with the number of answers deleted.
    pub fn remove_students(
        &mut self,
        class: &Class,
        names: &[String],
    ) -> Result<Vec<(Student, u64)>, ClassError> {
        let Self { conn, path, .. } = self;
        let tx = begin(conn, path)?;
        let mut out = Vec::with_capacity(names.len());
        for name in names {
            let s = find_student_in(&tx, path, class, name)?;
            let answers = delete_student_rows(&tx, s.key).map_err(sql_err(path))?;
            out.push((s, answers));
        }
        tx.commit().map_err(sql_err(path))?;
        Ok(out)
    }

    /// Renames a student (their id, token and history stay).
    pub fn rename_student(
        &mut self,
        class: &Class,
        old: &str,
        new: &str,
    ) -> Result<Student, ClassError> {
        let Self { conn, path, .. } = self;
        let tx = begin(conn, path)?;
        let mut s = find_student_in(&tx, path, class, old)?;
        let new = match check_names(&[new.to_owned()]) {
            Ok(checked) => checked.into_iter().next().map(|n| n.name),
            Err(RosterError::Empty) => None,
            Err(e) => return Err(e.into()),
        }
        .ok_or(ClassError::EmptyStudentName)?;
        if let Ok(other) = find_student_in(&tx, path, class, &new)
            && other.key != s.key
        {
            return Err(ClassError::AlreadyOnRoster {
                class: class.name.clone(),
                name: new,
                existing: other.name,
            });
        }
        tx.execute(
            "UPDATE student SET name = ?2, folded = ?3 WHERE key = ?1",
            params![s.key, new, fold_name(&new)],
        )
        .map_err(sql_err(path))?;
        tx.commit().map_err(sql_err(path))?;
        s.name = new;
        Ok(s)
    }

    /// Gives a student a new token: the phone that kept the old one must join again by name.
    pub fn reset_student_token(
        &mut self,
        class: &Class,
        name: &str,
    ) -> Result<Student, ClassError> {
        let Self { conn, path, .. } = self;
        let tx = begin(conn, path)?;
        let mut s = find_student_in(&tx, path, class, name)?;
        s.token = new_token();
        tx.execute(
            "UPDATE student SET token = ?2 WHERE key = ?1",
            params![s.key, s.token],
        )
        .map_err(sql_err(path))?;
        tx.commit().map_err(sql_err(path))?;
        Ok(s)
    }

    /// Every card a student has a schedule for (`suspended`, `leech` are always false).
    pub fn student_cards(&self, student: i64) -> Result<Vec<CardRecord>, StoreError> {
        let err = sql_err(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT d.id, c.id, p.state, p.step, p.stability, p.difficulty, p.due, \
                 p.last_review, p.reps, p.lapses, 0, NULL, 0 \
                 FROM student_progress p JOIN card c ON c.key = p.card \
                 JOIN deck d ON d.key = c.deck WHERE p.student = ?1",
            )
            .map_err(&err)?;
        let raw = stmt
            .query_map([student], RawCard::from_row)
            .map_err(&err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(&err)?;
        raw.into_iter()
            .map(|r| r.check().map_err(bad_data(&self.path)))
            .collect()
    }

    /// A student's answers, in time order.
    pub fn student_reviews(&self, student: i64) -> Result<Vec<StudentReview>, StoreError> {
        self.query_student_reviews(
            &format!("{STUDENT_REVIEW_SELECT} WHERE r.student = ?1 ORDER BY r.id"),
            [student],
        )
    }

    /// The answers of every student of a class, in time order.
    pub fn class_reviews(&self, class: &Class) -> Result<Vec<StudentReview>, StoreError> {
        self.query_student_reviews(
            &format!(
                "{STUDENT_REVIEW_SELECT} WHERE r.student IN \
                 (SELECT key FROM student WHERE class = ?1) ORDER BY r.id"
            ),
            [class.key],
        )
    }

    fn query_student_reviews(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<StudentReview>, StoreError> {
        let err = sql_err(&self.path);
        let mut stmt = self.conn.prepare_cached(sql).map_err(&err)?;
        let rows = stmt
            .query_map(params, |r| {
                Ok((
                    RawReview::from_row(r)?,
                    r.get::<_, i64>(14)?,
                    r.get::<_, String>(15)?,
                ))
            })
            .map_err(&err)?;
        let mut out = Vec::new();
        for row in rows {
            let (raw, student, answer_id) = row.map_err(&err)?;
            let checked = raw.check().map_err(bad_data(&self.path))?;
            out.push(StudentReview {
                student,
                answer_id,
                before: (checked.kind.mode == Mode::Srs).then_some(checked.kind.before),
                review: checked.record,
            });
        }
        Ok(out)
    }

    /// How many new cards a student was introduced to and how many review cards they answered
    /// (srs answers) from `since` on.
    pub fn student_counts_since(
        &self,
        student: i64,
        since: DateTime<Utc>,
    ) -> Result<(u32, u32), StoreError> {
        let (new, reviews): (i64, i64) = self
            .conn
            .prepare_cached(
                "SELECT coalesce(sum(((kind >> 7) & 3) = 0), 0), \
                        coalesce(sum(((kind >> 7) & 3) = 2), 0) \
                 FROM student_review WHERE student = ?1 AND id >= ?2 AND (kind & 28) = 0",
            )
            .and_then(|mut s| {
                s.query_row(params![student, first_id(ms(since))], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
            })
            .map_err(sql_err(&self.path))?;
        Ok((
            u32::try_from(new).unwrap_or(u32::MAX),
            u32::try_from(reviews).unwrap_or(u32::MAX),
        ))
    }

    /// Records a student's answer in ONE transaction, once per answer id: when the student
    /// already has an answer with `answer.answer_id`, nothing is written and that answer is
    /// returned with `false` (a phone re-sending an answer it had no acknowledgement for).
    ///
    /// For an `srs` answer `schedule` gets the student's schedule of the card before (`None`:
    /// never studied) and the answer's time, and gives the schedule after, which is stored
    /// with the answer; `drill` answers leave the schedule alone.
    pub fn record_student_review(
        &mut self,
        answer: &NewStudentReview<'_>,
        schedule: impl FnOnce(Option<CardState>, DateTime<Utc>) -> CardState,
    ) -> Result<(StudentReview, bool), ClassError> {
        let id = answer.answer_id;
        if id.is_empty()
            || id.len() > crate::class::MAX_ANSWER_ID_BYTES
            || !id.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(ClassError::BadAnswerId);
        }
        if !matches!(answer.mode, Mode::Srs | Mode::Drill) {
            return Err(StoreError::Invalid(format!(
                "a student's answer is srs or drill, not {}",
                answer.mode
            ))
            .into());
        }
        let Self { conn, path, .. } = self;
        let path: &Path = path;
        let err = sql_err(path);
        let tx = begin(conn, path)?;
        let earlier: Option<i64> = tx
            .prepare_cached("SELECT id FROM student_review WHERE student = ?1 AND answer_id = ?2")
            .and_then(|mut s| {
                s.query_row(params![answer.student, answer.answer_id], |r| r.get(0))
                    .optional()
            })
            .map_err(&err)?;
        if let Some(id) = earlier {
            let found = read_one(&tx, path, id)?;
            drop(tx);
            if found.review.deck_id != answer.deck_id || found.review.card_id != answer.card_id {
                return Err(ClassError::AnswerIdReused {
                    answer_id: answer.answer_id.to_owned(),
                    earlier: format!("{}/{}", found.review.deck_id, found.review.card_id),
                    deck_id: answer.deck_id.to_owned(),
                    card_id: answer.card_id.to_owned(),
                });
            }
            return Ok((found, false));
        }
        let (_, card) = ensure_card(&tx, answer.deck_id, answer.card_id).map_err(&err)?;
        let before = read_student_state(&tx, path, answer.student, card)?;
        let at = truncate_ms(answer.at);
        // The log keeps the order answers were given in: after the student's latest answer
        // to the card (when the clock went back, the answer takes that answer's time).
        let latest: Option<i64> = tx
            .prepare_cached("SELECT max(id) FROM student_review WHERE student = ?1 AND card = ?2")
            .and_then(|mut s| s.query_row(params![answer.student, card], |r| r.get(0)))
            .map_err(&err)?;
        let floor = latest.map_or(i64::MIN, |l| l + 1);
        let at_ms = ms(at).max(review_id_ms(floor));
        let at = time(at_ms).unwrap_or(at);
        let rating = if answer.right {
            Rating::Good
        } else {
            Rating::Again
        };
        let mut kind = Kind::new(rating, answer.mode, Some(answer.right));
        let after = (answer.mode == Mode::Srs).then(|| {
            let after = crate::domain::truncate_state(schedule(before, at));
            kind.before = before.map_or(State::New, |b| b.state);
            kind.after = after.state;
            after
        });
        let row = NewRow {
            card,
            at_ms,
            kind,
            response_ms: answer.response_ms,
            answer: answer.answer_given,
            after,
            before: Before::Implied,
        };
        let id = insert_student_review(&tx, path, &row, floor, (answer.student, answer.answer_id))?;
        if let Some(after) = &after {
            write_student_state(&tx, answer.student, card, after).map_err(&err)?;
        }
        let written = read_one(&tx, path, id)?;
        tx.commit().map_err(&err)?;
        Ok((written, true))
    }

    /// A student's answer by the id the phone made for it.
    pub fn student_answer(
        &self,
        student: i64,
        answer_id: &str,
    ) -> Result<Option<StudentReview>, StoreError> {
        let id: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM student_review WHERE student = ?1 AND answer_id = ?2")
            .and_then(|mut s| {
                s.query_row(params![student, answer_id], |r| r.get(0))
                    .optional()
            })
            .map_err(sql_err(&self.path))?;
        id.map(|id| read_one(&self.conn, &self.path, id))
            .transpose()
    }
}

fn read_one(conn: &Connection, path: &Path, id: i64) -> Result<StudentReview, StoreError> {
    let err = sql_err(path);
    let (raw, student, answer_id) = conn
        .prepare_cached(&format!("{STUDENT_REVIEW_SELECT} WHERE r.id = ?1"))
        .and_then(|mut s| {
            s.query_row([id], |r| {
                Ok((
                    RawReview::from_row(r)?,
                    r.get::<_, i64>(14)?,
                    r.get::<_, String>(15)?,
                ))
            })
        })
        .map_err(&err)?;
    let checked = raw.check().map_err(bad_data(path))?;
    Ok(StudentReview {
        student,
        answer_id,
        before: (checked.kind.mode == Mode::Srs).then_some(checked.kind.before),
        review: checked.record,
    })
}

fn read_student_state(
    conn: &Connection,
    path: &Path,
    student: i64,
    card: i64,
) -> Result<Option<CardState>, StoreError> {
    let raw = conn
        .prepare_cached(
            "SELECT '', '', state, step, stability, difficulty, due, last_review, reps, lapses, \
             0, NULL, 0 FROM student_progress WHERE student = ?1 AND card = ?2",
        )
        .and_then(|mut s| s.query_row([student, card], RawCard::from_row).optional())
        .map_err(sql_err(path))?;
    raw.map(|r| r.check().map(|c| c.progress.card))
        .transpose()
        .map_err(bad_data(path))
}

fn write_student_state(
    conn: &Connection,
    student: i64,
    card: i64,
    s: &CardState,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO student_progress (student, card, state, step, stability, \
         difficulty, due, last_review, reps, lapses) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        student,
        card,
        state_code(s.state),
        s.step,
        s.stability.map(f64::from),
        s.difficulty.map(f64::from),
        ms(s.due),
        s.last_review.map(ms),
        s.reps,
        s.lapses,
    ])?;
    Ok(())
}

/// Writes a student's review with a random id at its time, never below `floor` (another in
/// the same millisecond when taken, as the teacher's log does); returns the id.
fn insert_student_review(
    conn: &Connection,
    path: &Path,
    row: &NewRow<'_>,
    floor: i64,
    (student, answer_id): (i64, &str),
) -> Result<i64, StoreError> {
    let err = sql_err(path);
    let mut stmt = conn
        .prepare_cached(
            "INSERT INTO student_review (id, card, kind, response_ms, answer, step, stability, \
             difficulty, due, reps, lapses, last, student, answer_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )
        .map_err(&err)?;
    // The student's columns, after the review's: they stay bound while the id is tried.
    stmt.raw_bind_parameter(13, student).map_err(&err)?;
    stmt.raw_bind_parameter(14, answer_id).map_err(&err)?;
    insert_row(
        &mut stmt,
        path,
        row,
        IdChoice::Random { floor },
        "student answer",
    )
}

/// Whether card `card` has a student's progress or answers (see `moved`).
pub(super) fn has_student_rows(tx: &Connection, card: i64) -> rusqlite::Result<bool> {
    tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM student_progress WHERE card = ?1)
             OR EXISTS (SELECT 1 FROM student_review WHERE card = ?1)",
        [card],
        |r| r.get(0),
    )
}
