//! A drill in progress: the phases of each question, the question clock, and what the teacher
//! does (reveal, award, pause, skip, go back, end).

use crate::deck::Card;

use super::build::build_questions;
use super::log::LogEntry;
use super::question::Question;
use super::score::{self, Outcome, Standing, TeamStats};
use super::setup::{CLASS_TEAM, DrillError, DrillSetup, Team};

/// Where a drill is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The current question is asked; the countdown runs (unless paused).
    Question,
    /// The answer shows; teams can be awarded.
    Revealed,
    /// The standings after the current question.
    Scoreboard,
    /// Over: the podium.
    Finished,
}

/// The question clock: time spent on the current question, with pauses left out.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Clock {
    spent: f64,
    since: Option<f64>,
}

impl Clock {
    fn elapsed(self, now: f64) -> f64 {
        self.spent + self.since.map_or(0.0, |s| (now - s).max(0.0))
    }

    fn stop(&mut self, now: f64) {
        self.spent = self.elapsed(now);
        self.since = None;
    }

    fn restart(&mut self, now: f64) {
        *self = Self {
            spent: 0.0,
            since: Some(now),
        };
    }
}

/// A drill in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Drill {
    setup: DrillSetup,
    teams: Vec<Team>,
    questions: Vec<Question>,
    outcomes: Vec<Outcome>,
    current: usize,
    phase: Phase,
    clock: Clock,
    paused: bool,
    started: bool,
    ended_early: bool,
}

impl Drill {
    /// Builds a drill's questions from `decks` (each deck's id and all its cards), drawing only
    /// cards of the chosen decks and categories. The same setup, decks and seed always give the
    /// same questions.
    ///
    /// Question forms are spread evenly over the drill in a shuffled order. Timelines
    /// ([`TIMELINE_EVENTS`](super::TIMELINE_EVENTS) events) and matchings
    /// ([`MATCHING_PAIRS`](super::MATCHING_PAIRS) pairs) pick their cards
    /// first, and never show an event or a name that an earlier timeline or matching showed
    /// (decks often have several cards about one event). A question that cannot be made in its
    /// form (no distractors for multiple choice, fewer than three fresh dated events for a
    /// timeline, fewer than three fresh cards with roles for matching) is made in another chosen
    /// form. No card is asked twice, so a small pool can give fewer questions than
    /// `setup.questions`; see [`Drill::questions`].
    ///
    /// The drill waits for [`Drill::start`] before the first countdown runs.
    pub fn new(
        setup: DrillSetup,
        decks: &[(&str, &[Card])],
        seed: u64,
    ) -> Result<Self, DrillError> {
        setup.validate()?;
        let questions = build_questions(&setup, decks, seed)?;
        let teams = if setup.teams.is_empty() {
            vec![Team::new(CLASS_TEAM, 0)]
        } else {
            setup
                .teams
                .iter()
                .map(|t| Team::new(t.name.trim(), t.colour_index))
                .collect()
        };
        Ok(Self {
            outcomes: vec![Outcome::NotAsked; questions.len()],
            teams,
            questions,
            setup,
            current: 0,
            phase: Phase::Question,
            clock: Clock::default(),
            paused: false,
            started: false,
            ended_early: false,
        })
    }

    /// Starts the first question's countdown.
    pub fn start(&mut self, now: f64) {
        if !self.started {
            self.started = true;
            self.clock.restart(now);
        }
    }

    #[must_use]
    pub fn setup(&self) -> &DrillSetup {
        &self.setup
    }

    /// The teams; one team called [`CLASS_TEAM`] when the class plays without teams.
    #[must_use]
    pub fn teams(&self) -> &[Team] {
        &self.teams
    }

    /// Whether the class plays in teams.
    #[must_use]
    pub fn has_teams(&self) -> bool {
        !self.setup.teams.is_empty()
    }

    #[must_use]
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    #[must_use]
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Index of the question on show (or just played, on the scoreboard).
    #[must_use]
    pub fn current(&self) -> usize {
        self.current
    }

    #[must_use]
    pub fn current_question(&self) -> Option<&Question> {
        self.questions.get(self.current)
    }

    #[must_use]
    pub fn outcome(&self, question: usize) -> Option<&Outcome> {
        self.outcomes.get(question)
    }

    #[must_use]
    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// The drill was ended before its last question.
    #[must_use]
    pub fn ended_early(&self) -> bool {
        self.ended_early
    }

    /// The countdown in seconds, if any.
    #[must_use]
    pub fn time_limit(&self) -> Option<u32> {
        self.setup.time_limit
    }

    /// Seconds spent on the current question (pauses left out).
    #[must_use]
    pub fn elapsed(&self, now: f64) -> f64 {
        self.clock.elapsed(now)
    }

    /// Seconds left on the countdown while a question is asked (`None`: untimed or not asking).
    #[must_use]
    pub fn remaining(&self, now: f64) -> Option<f64> {
        let limit = f64::from(self.setup.time_limit?);
        (self.phase == Phase::Question).then(|| (limit - self.elapsed(now)).max(0.0))
    }

    /// The share of the countdown left (1 to 0) while a question is asked.
    #[must_use]
    pub fn remaining_fraction(&self, now: f64) -> Option<f64> {
        let limit = f64::from(self.setup.time_limit?);
        self.remaining(now).map(|r| r / limit)
    }

    /// Whether the countdown is running (the drill has started, a timed question is asked
    /// and not paused).
    #[must_use]
    pub fn is_counting(&self) -> bool {
        self.started
            && self.phase == Phase::Question
            && self.setup.time_limit.is_some()
            && !self.paused
    }

    /// Whether [`Drill::start`] has started the first question's countdown.
    #[must_use]
    pub fn is_started(&self) -> bool {
        self.started
    }

    /// Reveals the answer when the countdown has run out; returns whether it did.
    pub fn tick(&mut self, now: f64) -> bool {
        let Some(limit) = self.setup.time_limit else {
            return false;
        };
        if self.is_counting() && self.elapsed(now) >= f64::from(limit) {
            self.reveal_at(now, true);
            return true;
        }
        false
    }

    /// Shows the answer of the question on show (also while paused).
    pub fn reveal(&mut self, now: f64) {
        if self.phase == Phase::Question {
            self.reveal_at(now, false);
        }
    }

    fn reveal_at(&mut self, now: f64, timed_out: bool) {
        self.clock.stop(now);
        let limit = self.setup.time_limit;
        let secs = limit.map_or(self.clock.spent, |l| self.clock.spent.min(f64::from(l)));
        self.outcomes[self.current] = Outcome::Answered {
            secs,
            remaining: limit.map(|l| score::remaining_share(secs, l)),
            timed_out,
            right: vec![false; self.teams.len()],
        };
        self.paused = false;
        self.phase = Phase::Revealed;
    }

    /// Toggles whether `team` got the revealed question right; returns whether it changed
    /// anything (only a revealed question can be awarded).
    pub fn award(&mut self, team: usize) -> bool {
        if self.phase != Phase::Revealed {
            return false;
        }
        match self.outcomes.get_mut(self.current) {
            Some(Outcome::Answered { right, .. }) => match right.get_mut(team) {
                Some(r) => {
                    *r = !*r;
                    true
                }
                None => false,
            },
            _ => false,
        }
    }

    /// Whether `team` is awarded on the question on show.
    #[must_use]
    pub fn awarded(&self, team: usize) -> bool {
        match self.outcomes.get(self.current) {
            Some(Outcome::Answered { right, .. }) => right.get(team).copied().unwrap_or(false),
            _ => false,
        }
    }

    /// Goes on: from the revealed answer to the scoreboard (or, after the last question, to the
    /// podium); from the scoreboard to the next question.
    pub fn next(&mut self, now: f64) {
        match self.phase {
            Phase::Revealed if self.current + 1 >= self.questions.len() => {
                self.phase = Phase::Finished;
            }
            Phase::Revealed => self.phase = Phase::Scoreboard,
            Phase::Scoreboard => self.ask(self.current + 1, now),
            Phase::Question | Phase::Finished => {}
        }
    }

    fn ask(&mut self, question: usize, now: f64) {
        if question >= self.questions.len() {
            self.phase = Phase::Finished;
            return;
        }
        self.current = question;
        self.phase = Phase::Question;
        self.paused = false;
        self.started = true;
        self.clock.restart(now);
    }

    /// Stops the countdown while a question is asked.
    pub fn pause(&mut self, now: f64) {
        if self.phase == Phase::Question && !self.paused {
            self.clock.stop(now);
            self.paused = true;
        }
    }

    /// Starts the countdown again where it stopped.
    pub fn resume(&mut self, now: f64) {
        if self.phase == Phase::Question && self.paused {
            self.clock.since = Some(now);
            self.paused = false;
        }
    }

    pub fn toggle_pause(&mut self, now: f64) {
        if self.paused {
            self.resume(now);
        } else {
            self.pause(now);
        }
    }

    /// Skips the question on show (asked or revealed): nobody scores; the next question comes
    /// at once (or the podium after the last).
    pub fn skip(&mut self, now: f64) {
        if matches!(self.phase, Phase::Question | Phase::Revealed) {
            self.outcomes[self.current] = Outcome::Skipped;
            self.ask(self.current + 1, now);
        }
    }

    /// Whether [`Drill::back`] would do anything.
    #[must_use]
    pub fn can_go_back(&self) -> bool {
        match self.phase {
            Phase::Question | Phase::Revealed => self.current > 0,
            Phase::Scoreboard => true,
            Phase::Finished => false,
        }
    }

    /// Goes back one question and asks it again, taking back what it scored: from a question
    /// (asked or revealed) to the one before it; from the scoreboard to the question just played.
    pub fn back(&mut self, now: f64) {
        if !self.can_go_back() {
            return;
        }
        let target = if self.phase == Phase::Scoreboard {
            self.current
        } else {
            self.outcomes[self.current] = Outcome::NotAsked;
            self.current - 1
        };
        self.outcomes[target] = Outcome::NotAsked;
        self.ask(target, now);
    }

    /// Ends the drill now. A revealed question keeps its awards; a question still asked is
    /// left out.
    pub fn end(&mut self, now: f64) {
        if self.phase == Phase::Finished {
            return;
        }
        self.clock.stop(now);
        self.paused = false;
        self.ended_early = true;
        self.phase = Phase::Finished;
    }

    /// Points each team earned on each question (all zero for questions not answered).
    #[must_use]
    pub fn points_table(&self) -> Vec<Vec<u32>> {
        self.score().0
    }

    /// Each team's totals.
    #[must_use]
    pub fn team_stats(&self) -> Vec<TeamStats> {
        self.score().1
    }

    fn score(&self) -> (Vec<Vec<u32>>, Vec<TeamStats>) {
        score::tally(&self.outcomes, self.teams.len(), self.setup.time_limit)
    }

    /// Teams by points, most first (ties in team order), with shared places for equal points.
    #[must_use]
    pub fn ranking(&self) -> Vec<Standing> {
        score::rank(&self.team_stats())
    }

    /// Questions that were answered or skipped.
    #[must_use]
    pub fn played(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| !matches!(o, Outcome::NotAsked))
            .count()
    }

    /// The answered questions whose outcome is settled (the drill has moved past them), for the
    /// review log. Going back unsettles a question: the app takes its log rows back.
    #[must_use]
    pub fn log_entries(&self) -> Vec<LogEntry> {
        let settled_current = matches!(self.phase, Phase::Scoreboard | Phase::Finished);
        self.outcomes
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < self.current || (*i == self.current && settled_current))
            .filter_map(|(i, outcome)| match outcome {
                Outcome::Answered { secs, right, .. } => Some(LogEntry {
                    question: i,
                    cards: self.questions[i].cards.clone(),
                    correct: right.iter().any(|r| *r),
                    secs: *secs,
                }),
                _ => None,
            })
            .collect()
    }
}
