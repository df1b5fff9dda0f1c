//! The warm-up as the projector shows it: who is active, answers so far, % right, and the
//! cards the class misses most. Pure: times are seconds since the warm-up's server started.
//!
//! Answers are counted once per answer id (a phone re-sending an answer after a reconnect gets
//! the same acknowledgement and changes nothing here).

use std::collections::{HashMap, HashSet};

use super::{StudentId, StudentRef, StudyCard};

/// A student with no answer for this long is idle.
pub const IDLE_AFTER_SECS: f64 = 60.0;
/// Cards listed as the class's most missed.
pub const MISSED_TOP: usize = 10;

/// What a student is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Activity {
    /// Joined, no answer yet.
    Joined,
    /// Answered within the last [`IDLE_AFTER_SECS`].
    Answering,
    /// Connected, but no answer for [`IDLE_AFTER_SECS`].
    Idle,
    /// No connection (the phone slept, left, or lost the network).
    Away,
    /// Nothing left in their queue (or the warm-up is over).
    Done,
}

impl Activity {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Joined => "joined",
            Self::Answering => "answering",
            Self::Idle => "idle",
            Self::Away => "away",
            Self::Done => "done",
        }
    }
}

/// A student as the projector lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentView {
    pub id: StudentId,
    pub name: String,
    pub activity: Activity,
    /// Phones connected as this student now (more than one: a reload, or someone else
    /// typed their name).
    pub phones: u32,
    /// Answers this warm-up.
    pub answered: u32,
    pub right: u32,
}

/// A card the class missed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissedCard {
    /// `"<deck>/<card>"`.
    pub id: String,
    pub prompt: String,
    /// Wrong answers to it, by everyone.
    pub misses: u32,
    /// All answers to it.
    pub answers: u32,
}

/// What the projector shows, taken in one go; cheap enough to poll every frame.
#[derive(Debug, Clone, PartialEq)]
pub struct WarmupSnapshot {
    /// Seconds left of the warm-up (0 when over).
    pub seconds_left: f64,
    /// Time is up or the teacher ended it: no more cards are handed out.
    pub over: bool,
    /// Every student who joined, in join order.
    pub students: Vec<StudentView>,
    /// Answers so far, each counted once.
    pub answers: u32,
    pub right: u32,
    /// `right / answers` in percent; `None` before the first answer.
    pub percent_right: Option<f64>,
    /// The cards missed most (most misses first, then most answered, then by id), up to
    /// [`MISSED_TOP`].
    pub missed: Vec<MissedCard>,
    /// Messages refused so far (malformed, unknown, oversized, too fast, refused answers).
    pub refused: u64,
    /// Open websocket connections.
    pub connections: usize,
}

#[derive(Debug, Clone)]
struct Row {
    id: StudentId,
    name: String,
    connections: u32,
    answered: u32,
    right: u32,
    /// When they joined or last answered.
    last: f64,
    done: bool,
    /// The answer ids counted.
    counted: HashSet<String>,
}

#[derive(Debug, Clone, Default)]
struct Tally {
    answers: u32,
    misses: u32,
}

/// The warm-up's counts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Board {
    rows: Vec<Row>,
    by_id: HashMap<StudentId, usize>,
    /// Each card's prompt, as handed out.
    prompts: HashMap<String, String>,
    tallies: HashMap<String, Tally>,
    answers: u32,
    right: u32,
}

impl Board {
    fn row(&mut self, id: &StudentId) -> Option<&mut Row> {
        self.by_id.get(id).map(|&i| &mut self.rows[i])
    }

    /// A phone joined (or rejoined) as `student`.
    pub fn join(&mut self, student: &StudentRef, now: f64) {
        if let Some(row) = self.row(&student.id) {
            row.connections += 1;
            row.last = row.last.max(now);
            return;
        }
        self.by_id.insert(student.id.clone(), self.rows.len());
        self.rows.push(Row {
            id: student.id.clone(),
            name: student.name.clone(),
            connections: 1,
            answered: 0,
            right: 0,
            last: now,
            done: false,
            counted: HashSet::new(),
        });
    }

    /// One of the student's connections closed.
    pub fn leave(&mut self, id: &StudentId) {
        if let Some(row) = self.row(id) {
            row.connections = row.connections.saturating_sub(1);
        }
    }

    /// The student was handed `card`.
    pub fn shown(&mut self, id: &StudentId, card: &StudyCard) {
        if !self.prompts.contains_key(&card.id) {
            self.prompts.insert(card.id.clone(), card.prompt.clone());
        }
        if let Some(row) = self.row(id) {
            row.done = false;
        }
    }

    /// Nothing is left for the student (or the warm-up is over).
    pub fn done(&mut self, id: &StudentId) {
        if let Some(row) = self.row(id) {
            row.done = true;
        }
    }

    /// A committed answer; counted once per `answer_id`. Returns whether it was new.
    pub fn record(
        &mut self,
        id: &StudentId,
        card: &str,
        answer_id: &str,
        right: bool,
        now: f64,
    ) -> bool {
        let Some(row) = self.row(id) else {
            return false;
        };
        if !row.counted.insert(answer_id.to_owned()) {
            return false;
        }
        row.answered += 1;
        row.right += u32::from(right);
        row.last = row.last.max(now);
        self.answers += 1;
        self.right += u32::from(right);
        let tally = self.tallies.entry(card.to_owned()).or_default();
        tally.answers += 1;
        tally.misses += u32::from(!right);
        true
    }

    /// The student's answers and right answers this warm-up.
    #[must_use]
    pub fn summary(&self, id: &StudentId) -> (u32, u32) {
        self.by_id
            .get(id)
            .map_or((0, 0), |&i| (self.rows[i].answered, self.rows[i].right))
    }

    /// The projector's view (the server fills in its own counters).
    #[must_use]
    pub fn snapshot(&self, now: f64, seconds_left: f64, over: bool) -> WarmupSnapshot {
        let students = self
            .rows
            .iter()
            .map(|r| StudentView {
                id: r.id.clone(),
                name: r.name.clone(),
                activity: if r.done || over {
                    Activity::Done
                } else if r.connections == 0 {
                    Activity::Away
                } else if now - r.last > IDLE_AFTER_SECS {
                    Activity::Idle
                } else if r.answered == 0 {
                    Activity::Joined
                } else {
                    Activity::Answering
                },
                phones: r.connections,
                answered: r.answered,
                right: r.right,
            })
            .collect();
        let mut missed: Vec<MissedCard> = self
            .tallies
            .iter()
            .filter(|(_, t)| t.misses > 0)
            .map(|(id, t)| MissedCard {
                id: id.clone(),
                prompt: self.prompts.get(id).cloned().unwrap_or_default(),
                misses: t.misses,
                answers: t.answers,
            })
            .collect();
        missed.sort_by(|a, b| {
            b.misses
                .cmp(&a.misses)
                .then(b.answers.cmp(&a.answers))
                .then_with(|| a.id.cmp(&b.id))
        });
        missed.truncate(MISSED_TOP);
        WarmupSnapshot {
            seconds_left: if over { 0.0 } else { seconds_left.max(0.0) },
            over,
            students,
            answers: self.answers,
            right: self.right,
            percent_right: (self.answers > 0)
                .then(|| f64::from(self.right) * 100.0 / f64::from(self.answers)),
            missed,
            refused: 0,
            connections: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warmup::CardForm;

    fn student(n: u32) -> StudentRef {
        StudentRef {
            id: StudentId(format!("s{n}")),
            name: format!("Student {n}"),
            token: format!("t{n}"),
        }
    }

    fn card(id: &str) -> StudyCard {
        StudyCard {
            id: id.into(),
            form: CardForm::Choice,
            prompt: format!("Prompt of {id}"),
            options: vec!["a".into(), "b".into()],
            done: 0,
            left: 3,
        }
    }

    #[test]
    fn answers_count_once_per_id_and_misses_are_ranked() {
        let mut board = Board::default();
        let (a, b) = (student(1), student(2));
        board.join(&a, 0.0);
        board.join(&b, 0.0);
        board.shown(&a.id, &card("d/1"));
        board.shown(&b.id, &card("d/2"));
        assert!(board.record(&a.id, "d/1", "x1", false, 1.0));
        assert!(!board.record(&a.id, "d/1", "x1", false, 2.0), "a re-send");
        assert!(board.record(&a.id, "d/1", "x2", true, 3.0));
        assert!(
            board.record(&b.id, "d/2", "x1", false, 3.0),
            "ids are per student"
        );
        assert!(board.record(&b.id, "d/2", "y2", false, 4.0));
        assert!(board.record(&b.id, "d/1", "y3", false, 4.0));
        assert!(!board.record(&StudentId("nobody".into()), "d/1", "z", true, 4.0));
        let snap = board.snapshot(5.0, 100.0, false);
        assert_eq!((snap.answers, snap.right), (5, 1));
        assert_eq!(snap.percent_right, Some(20.0));
        assert_eq!(board.summary(&a.id), (2, 1));
        assert_eq!(board.summary(&b.id), (3, 0));
        let missed: Vec<(&str, u32, u32)> = snap
            .missed
            .iter()
            .map(|m| (m.id.as_str(), m.misses, m.answers))
            .collect();
        // d/1 and d/2 both missed twice: d/1 was answered more.
        assert_eq!(missed, vec![("d/1", 2, 3), ("d/2", 2, 2)]);
        assert_eq!(snap.missed[0].prompt, "Prompt of d/1");
    }

    #[test]
    fn activity_follows_connections_answers_and_time() {
        let mut board = Board::default();
        let (a, b, c, d) = (student(1), student(2), student(3), student(4));
        for s in [&a, &b, &c, &d] {
            board.join(s, 0.0);
        }
        assert!(board.record(&b.id, "d/1", "1", true, 50.0));
        board.leave(&c.id);
        board.done(&d.id);
        let activity = |snap: &WarmupSnapshot| -> Vec<Activity> {
            snap.students.iter().map(|s| s.activity).collect()
        };
        let snap = board.snapshot(55.0, 10.0, false);
        assert_eq!(
            activity(&snap),
            [
                Activity::Joined,
                Activity::Answering,
                Activity::Away,
                Activity::Done
            ]
        );
        let later = board.snapshot(50.0 + IDLE_AFTER_SECS + 1.0, 0.0, false);
        assert_eq!(
            activity(&later)[..2],
            [Activity::Idle, Activity::Idle],
            "no answer for a minute"
        );
        // A reload: the old connection closes after the new one opened.
        board.join(&c, 56.0);
        board.join(&c, 56.0);
        assert_eq!(board.snapshot(56.0, 0.0, false).students[2].phones, 2);
        board.leave(&c.id);
        assert_eq!(
            board.snapshot(57.0, 0.0, false).students[2].activity,
            Activity::Joined
        );
        let over = board.snapshot(57.0, 30.0, true);
        assert!(over.students.iter().all(|s| s.activity == Activity::Done));
        assert!(over.seconds_left.abs() < f64::EPSILON);
        assert_eq!(over.percent_right, Some(100.0));
    }
}
