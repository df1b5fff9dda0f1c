//! Drill mode: a quiz for a whole class on a projector. Pure: no egui, no database, no clock —
//! every time is passed in as seconds (`ui.input().time` in the app), so a drill keeps going
//! sanely whether the window has the focus or not.
//!
//! A drill asks a fixed list of questions, built once from the chosen decks and categories
//! ([`Drill::new`], seeded and deterministic). Each question goes
//! [`Phase::Question`] (the countdown runs) → [`Phase::Revealed`] (the answer shows; the teacher
//! awards the teams that got it right) → [`Phase::Scoreboard`] → the next question, and after the
//! last one [`Phase::Finished`] (the podium). The teacher may pause, skip, go back one question
//! (its points are taken back) or end early.
//!
//! # Points
//!
//! A team that got a question right earns
//!
//! - [`BASE_POINTS`] (100);
//! - when the drill is timed, a speed bonus of `SPEED_POINTS × remaining / limit` (rounded, so
//!   0 to 100), where `remaining` is the time left on the countdown when the answer was
//!   revealed — the class answers out loud, so a quick reveal means a quick answer. Every team
//!   right on a question gets the same speed bonus;
//! - a streak bonus of [`STREAK_STEP`] (10) for each right answer in a row before this one,
//!   capped at [`STREAK_CAP`] (50): 0 for a first right answer, 10 for the second in a row, …, 50
//!   from the sixth on. A wrong answer ends the streak; a skipped question neither ends nor
//!   extends it.
//!
//! Points are always recomputed from the recorded outcomes, so taking an award back or going
//! back a question leaves no trace.

use std::collections::BTreeSet;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::csv_out::{Cell, CsvText, LineEnd};
use crate::deck::Card;
use crate::quiz::normalize::fold;
use crate::quiz::{self, Choices, Matching, Timeline};

/// Questions in a drill unless the teacher says otherwise.
pub const DEFAULT_QUESTIONS: usize = 10;
/// Most questions in one drill.
pub const MAX_QUESTIONS: usize = 50;
/// The default countdown, in seconds.
pub const DEFAULT_TIME_LIMIT: u32 = 20;
/// Shortest countdown, in seconds.
pub const MIN_TIME_LIMIT: u32 = 10;
/// Longest countdown, in seconds.
pub const MAX_TIME_LIMIT: u32 = 60;
/// The countdowns offered in the setup screen, in seconds (besides "off").
pub const TIME_LIMITS: [u32; 5] = [10, 20, 30, 45, 60];
/// Fewest teams when playing in teams.
pub const MIN_TEAMS: usize = 2;
/// Most teams.
pub const MAX_TEAMS: usize = 6;
/// How many team colours there are (`Team::colour_index` is below this).
pub const TEAM_COLOURS: usize = 6;
/// Longest team name, in characters (it has to fit on a button on the projector).
pub const MAX_TEAM_NAME_CHARS: usize = 30;
/// Points for a right answer.
pub const BASE_POINTS: u32 = 100;
/// Most speed points, for an answer revealed with the whole countdown left.
pub const SPEED_POINTS: u32 = 100;
/// Streak points per earlier right answer in a row.
pub const STREAK_STEP: u32 = 10;
/// Most streak points on one answer.
pub const STREAK_CAP: u32 = 50;
/// Events on a timeline question (few enough to read from the back of the room).
pub const TIMELINE_EVENTS: usize = 4;
/// Pairs on a matching question.
pub const MATCHING_PAIRS: usize = 4;
/// The name of the one "team" when the class plays without teams.
pub const CLASS_TEAM: &str = "Class";

/// How a drill question is put to the class.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
pub enum QuestionForm {
    /// The prompt with two to four options.
    #[strum(serialize = "Multiple choice")]
    MultipleChoice,
    /// Put three to five events in order.
    Timeline,
    /// Pair names with their roles.
    Matching,
    /// The prompt; the answer shows on reveal.
    #[strum(serialize = "Flip and reveal")]
    FlipReveal,
}

impl QuestionForm {
    /// Every form, in declaration order (strum's `VARIANTS` as an array).
    pub const ALL: [QuestionForm; 4] = match <Self as strum::VariantArray>::VARIANTS {
        &[a, b, c, d] => [a, b, c, d],
        _ => panic!("QuestionForm has four variants"),
    };

    /// As shown on screen and in the results file.
    #[must_use]
    pub fn label(self) -> &'static str {
        self.into()
    }
}

/// A team of the class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub name: String,
    /// Which of the [`TEAM_COLOURS`] team colours it plays in.
    pub colour_index: usize,
}

impl Team {
    #[must_use]
    pub fn new(name: impl Into<String>, colour_index: usize) -> Self {
        Self {
            name: name.into(),
            colour_index,
        }
    }

    /// "Team 1", "Team 2", … for the team at `index` (0-based).
    #[must_use]
    pub fn default_name(index: usize) -> String {
        format!("Team {}", index + 1)
    }
}

/// What the teacher chose before the drill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillSetup {
    /// Deck ids to draw cards from.
    pub decks: BTreeSet<String>,
    /// Categories (as written in decks: `"date"`, `"actor"`, …) to draw cards from.
    pub categories: BTreeSet<String>,
    /// How many questions to ask.
    pub questions: usize,
    /// The forms questions may take.
    pub forms: BTreeSet<QuestionForm>,
    /// The countdown per question in seconds, or `None` for no countdown.
    pub time_limit: Option<u32>,
    /// No teams (the class plays as one), or 2 to 6 teams.
    pub teams: Vec<Team>,
}

impl Default for DrillSetup {
    /// No deck or category yet; ten questions in every form; 20 seconds; no teams.
    fn default() -> Self {
        Self {
            decks: BTreeSet::new(),
            categories: BTreeSet::new(),
            questions: DEFAULT_QUESTIONS,
            forms: QuestionForm::ALL.into_iter().collect(),
            time_limit: Some(DEFAULT_TIME_LIMIT),
            teams: Vec::new(),
        }
    }
}

/// Why a drill cannot start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrillError {
    #[error("Choose at least one deck")]
    NoDecks,
    #[error("Choose at least one category")]
    NoCategories,
    #[error("Choose at least one question form")]
    NoForms,
    #[error("The number of questions must be 1 to {MAX_QUESTIONS}, not {0}")]
    Questions(usize),
    #[error(
        "The time limit must be off or {MIN_TIME_LIMIT} to {MAX_TIME_LIMIT} seconds, not {0} seconds"
    )]
    TimeLimit(u32),
    #[error("Play with no teams or with {MIN_TEAMS} to {MAX_TEAMS} teams, not {0}")]
    TeamCount(usize),
    #[error("Team {0} needs a name")]
    EmptyTeamName(usize),
    #[error("Team {0}'s name is longer than {MAX_TEAM_NAME_CHARS} characters")]
    LongTeamName(usize),
    #[error("Two teams are called \"{0}\"")]
    DuplicateTeamName(String),
    #[error("Team \"{name}\" has colour {index}, but there are only {TEAM_COLOURS} team colours")]
    Colour { name: String, index: usize },
    #[error("No card is in the chosen decks and categories")]
    NoCards,
    #[error("No question can be made from the chosen cards in the chosen question forms")]
    NoQuestions,
}

impl DrillSetup {
    /// Checks the choices; the first problem found is returned.
    pub fn validate(&self) -> Result<(), DrillError> {
        if self.decks.is_empty() {
            return Err(DrillError::NoDecks);
        }
        if self.categories.is_empty() {
            return Err(DrillError::NoCategories);
        }
        if self.forms.is_empty() {
            return Err(DrillError::NoForms);
        }
        if !(1..=MAX_QUESTIONS).contains(&self.questions) {
            return Err(DrillError::Questions(self.questions));
        }
        if let Some(limit) = self.time_limit
            && !(MIN_TIME_LIMIT..=MAX_TIME_LIMIT).contains(&limit)
        {
            return Err(DrillError::TimeLimit(limit));
        }
        let n = self.teams.len();
        if n != 0 && !(MIN_TEAMS..=MAX_TEAMS).contains(&n) {
            return Err(DrillError::TeamCount(n));
        }
        let mut names: Vec<String> = Vec::new();
        for (i, team) in self.teams.iter().enumerate() {
            let name = team.name.trim();
            if name.is_empty() {
                return Err(DrillError::EmptyTeamName(i + 1));
            }
            if name.chars().count() > MAX_TEAM_NAME_CHARS {
                return Err(DrillError::LongTeamName(i + 1));
            }
            let key = name.to_lowercase();
            if names.contains(&key) {
                return Err(DrillError::DuplicateTeamName(name.to_owned()));
            }
            names.push(key);
            if team.colour_index >= TEAM_COLOURS {
                return Err(DrillError::Colour {
                    name: name.to_owned(),
                    index: team.colour_index,
                });
            }
        }
        Ok(())
    }
}

/// A card a question was made from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CardRef {
    pub deck_id: String,
    pub card_id: String,
}

/// What is on show for a question, by form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    MultipleChoice(Choices),
    /// Events in the order shown; [`Timeline::correct_order`] is the answer.
    Timeline(Timeline),
    /// Names on the left, roles on the right; `pairs` is the answer.
    Matching(Matching),
    FlipReveal,
}

/// One drill question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub body: Body,
    /// The card(s) asked: one for multiple choice and flip, every event or pair otherwise.
    pub cards: Vec<CardRef>,
    pub prompt: String,
    /// The answer on one line (also written to the results file).
    pub answer: String,
    /// The article's sentence behind the answer (single-card questions).
    pub source: Option<String>,
    pub explanation: Option<String>,
}

impl Question {
    #[must_use]
    pub fn form(&self) -> QuestionForm {
        match self.body {
            Body::MultipleChoice(_) => QuestionForm::MultipleChoice,
            Body::Timeline(_) => QuestionForm::Timeline,
            Body::Matching(_) => QuestionForm::Matching,
            Body::FlipReveal => QuestionForm::FlipReveal,
        }
    }
}

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

/// What happened to a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Not asked (yet, or the drill ended before it).
    NotAsked,
    /// Skipped: no points for anyone.
    Skipped,
    /// Revealed after `secs` seconds.
    Answered {
        secs: f64,
        /// The share of the countdown left at the reveal (0 to 1); `None` when untimed.
        remaining: Option<f64>,
        /// The countdown ran out before the reveal.
        timed_out: bool,
        /// For each team: got it right.
        right: Vec<bool>,
    },
}

/// A team's totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TeamStats {
    pub points: u32,
    /// Questions right.
    pub right: usize,
    /// Right answers in a row, up to the latest answered question.
    pub streak: u32,
    pub best_streak: u32,
}

/// A team's place in the ranking. Teams with the same points share a place (1, 1, 3, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// Index into [`Drill::teams`].
    pub team: usize,
    /// 1-based.
    pub place: usize,
    pub points: u32,
}

/// One settled question for the review log: the app records one `drill` review per card.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// Index into [`Drill::questions`].
    pub question: usize,
    pub cards: Vec<CardRef>,
    /// Some team (or the class) got it right.
    pub correct: bool,
    pub secs: f64,
}

impl LogEntry {
    /// Records one `drill` review per card on `store` at `at`: Good when the class (a team, or
    /// most students of a live game) got it right, else Again. Drill reviews never change a
    /// card's schedule. Returns the review ids, in card order. The projector drill and the live
    /// class both log through here.
    pub fn record(
        &self,
        store: &mut crate::store::Store,
        policy: crate::store::LeechPolicy,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<i64>, crate::store::StoreError> {
        use crate::schedule::Rating;
        use crate::store::{Mode, NewReview};
        let mut ids = Vec::with_capacity(self.cards.len());
        for card in &self.cards {
            let review = NewReview {
                deck_id: &card.deck_id,
                card_id: &card.card_id,
                at,
                rating: if self.correct {
                    Rating::Good
                } else {
                    Rating::Again
                },
                mode: Mode::Drill,
                answer_given: None,
                correct: Some(self.correct),
                response_ms: (self.secs.max(0.0) * 1000.0) as u64,
                state_after: None,
            };
            ids.push(store.record_answer(&review, policy)?.review_id);
        }
        Ok(ids)
    }
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
    /// ([`TIMELINE_EVENTS`] events) and matchings ([`MATCHING_PAIRS`] pairs) pick their cards
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

    /// Whether the countdown is running (a timed question is asked and not paused).
    #[must_use]
    pub fn is_counting(&self) -> bool {
        self.phase == Phase::Question && self.setup.time_limit.is_some() && !self.paused
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
        let limit = self.setup.time_limit.map(f64::from);
        let secs = limit.map_or(self.clock.spent, |l| self.clock.spent.min(l));
        self.outcomes[self.current] = Outcome::Answered {
            secs,
            remaining: limit.map(|l| ((l - secs) / l).clamp(0.0, 1.0)),
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
        let mut stats = vec![TeamStats::default(); self.teams.len()];
        let mut table = Vec::with_capacity(self.outcomes.len());
        for outcome in &self.outcomes {
            let mut row = vec![0; self.teams.len()];
            if let Outcome::Answered {
                remaining, right, ..
            } = outcome
            {
                let speed = remaining.map_or(0, |r| (f64::from(SPEED_POINTS) * r).round() as u32);
                for ((got, s), points) in right.iter().zip(&mut stats).zip(&mut row) {
                    if *got {
                        s.streak += 1;
                        s.best_streak = s.best_streak.max(s.streak);
                        s.right += 1;
                        let bonus = (STREAK_STEP * (s.streak - 1)).min(STREAK_CAP);
                        *points = BASE_POINTS + speed + bonus;
                        s.points += *points;
                    } else {
                        s.streak = 0;
                    }
                }
            }
            table.push(row);
        }
        (table, stats)
    }

    /// Teams by points, most first (ties in team order), with shared places for equal points.
    #[must_use]
    pub fn ranking(&self) -> Vec<Standing> {
        let stats = self.team_stats();
        let mut order: Vec<usize> = (0..stats.len()).collect();
        order.sort_by(|&a, &b| stats[b].points.cmp(&stats[a].points).then(a.cmp(&b)));
        order
            .iter()
            .map(|&team| Standing {
                team,
                place: 1 + stats
                    .iter()
                    .filter(|s| s.points > stats[team].points)
                    .count(),
                points: stats[team].points,
            })
            .collect()
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

    /// The results as CSV: a header and one row per question played (number, form, prompt,
    /// answer, seconds to the reveal, then 1 or 0 per team; a skipped question has empty
    /// seconds and team cells), a blank line, then one row per team in ranking order (place,
    /// team, points, right, best streak). Written by the `csv` crate (RFC 4180 quoting, `\n`
    /// line ends); prompts, answers and team names are text cells, safe from formula injection
    /// (see [`crate::csv_out`]), the numbers the drill counted are written as numbers.
    #[must_use]
    pub fn results_csv(&self) -> String {
        let mut out = CsvText::new(LineEnd::Lf);
        let header = ["number", "form", "prompt", "answer", "seconds"].map(Cell::Plain);
        out.row(
            header
                .into_iter()
                .chain(self.teams.iter().map(|t| Cell::Text(&t.name))),
        );
        for (i, (question, outcome)) in self.questions.iter().zip(&self.outcomes).enumerate() {
            let number = (i + 1).to_string();
            let (seconds, right) = match outcome {
                Outcome::NotAsked => continue,
                Outcome::Skipped => (String::new(), vec![""; self.teams.len()]),
                Outcome::Answered { secs, right, .. } => (
                    format!("{secs:.1}"),
                    right.iter().map(|r| if *r { "1" } else { "0" }).collect(),
                ),
            };
            out.row(
                [
                    Cell::Plain(&number),
                    Cell::Plain(question.form().label()),
                    Cell::Text(&question.prompt),
                    Cell::Text(&question.answer),
                    Cell::Plain(&seconds),
                ]
                .into_iter()
                .chain(right.into_iter().map(Cell::Plain)),
            );
        }
        out.blank_line();
        out.row(["place", "team", "points", "right", "best streak"].map(Cell::Plain));
        let stats = self.team_stats();
        for standing in self.ranking() {
            let s = stats[standing.team];
            let numbers = [
                standing.place.to_string(),
                s.points.to_string(),
                s.right.to_string(),
                s.best_streak.to_string(),
            ];
            out.row([
                Cell::Plain(&numbers[0]),
                Cell::Text(&self.teams[standing.team].name),
                Cell::Plain(&numbers[1]),
                Cell::Plain(&numbers[2]),
                Cell::Plain(&numbers[3]),
            ]);
        }
        out.finish()
    }
}

/// One text cell (a prompt, an answer, a team name) as [`Drill::results_csv`] writes it: safe
/// from formula injection, quoted when it holds a comma, a quote or a line break.
#[must_use]
pub fn csv_field(field: &str) -> String {
    crate::csv_out::text_field(field)
}

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

fn build_questions(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(got: f64, want: f64) {
        assert!((got - want).abs() < 1e-9, "{got} is not {want}");
    }

    fn card(id: &str, category: &str, answer: &str) -> Card {
        Card::new(
            id,
            category,
            format!("Prompt {id}?"),
            answer,
            format!("Source of {id}."),
        )
    }

    fn dated(id: &str, date: &str) -> Card {
        let mut c = card(id, "date", date);
        c.date = Some(date.into());
        c.event = Some(format!("Event {id}"));
        c
    }

    fn actor(id: &str, name: &str, role: &str) -> Card {
        let mut c = card(id, "actor", name);
        c.role = Some(role.into());
        c
    }

    fn history() -> Vec<Card> {
        (0..12)
            .map(|i| dated(&format!("d{i}"), &format!("{}", 2000 + i)))
            .collect()
    }

    fn people() -> Vec<Card> {
        (0..10)
            .map(|i| {
                actor(
                    &format!("a{i}"),
                    &format!("Person {i}"),
                    &format!("Role {i}"),
                )
            })
            .chain((0..10).map(|i| card(&format!("t{i}"), "term", &format!("Term {i}"))))
            .collect()
    }

    fn setup(questions: usize, forms: &[QuestionForm], teams: usize) -> DrillSetup {
        DrillSetup {
            decks: ["history", "people"].map(str::to_owned).into(),
            categories: ["date", "actor", "term"].map(str::to_owned).into(),
            questions,
            forms: forms.iter().copied().collect(),
            time_limit: Some(20),
            teams: (0..teams)
                .map(|i| Team::new(Team::default_name(i), i))
                .collect(),
        }
    }

    fn drill(setup: DrillSetup, seed: u64) -> Result<Drill, DrillError> {
        let (h, p) = (history(), people());
        Drill::new(setup, &[("history", &h), ("people", &p)], seed)
    }

    /// Reveals the current question at `at` seconds, awards `teams`, and goes on.
    fn play(d: &mut Drill, at: f64, teams: &[usize]) {
        d.reveal(at);
        for &t in teams {
            assert!(d.award(t));
        }
        d.next(at);
        d.next(at);
    }

    #[test]
    fn setup_validation() {
        let ok = setup(10, &QuestionForm::ALL, 2);
        assert_eq!(ok.validate(), Ok(()));
        assert_eq!(setup(10, &QuestionForm::ALL, 0).validate(), Ok(()));
        let mut s = ok.clone();
        s.decks.clear();
        assert_eq!(s.validate(), Err(DrillError::NoDecks));
        let mut s = ok.clone();
        s.categories.clear();
        assert_eq!(s.validate(), Err(DrillError::NoCategories));
        assert_eq!(setup(10, &[], 2).validate(), Err(DrillError::NoForms));
        assert_eq!(
            setup(0, &QuestionForm::ALL, 2).validate(),
            Err(DrillError::Questions(0))
        );
        assert_eq!(
            setup(51, &QuestionForm::ALL, 2).validate(),
            Err(DrillError::Questions(51))
        );
        let mut s = ok.clone();
        s.time_limit = Some(5);
        assert_eq!(s.validate(), Err(DrillError::TimeLimit(5)));
        s.time_limit = Some(61);
        assert_eq!(s.validate(), Err(DrillError::TimeLimit(61)));
        s.time_limit = None;
        assert_eq!(s.validate(), Ok(()));
        assert_eq!(
            setup(10, &QuestionForm::ALL, 1).validate(),
            Err(DrillError::TeamCount(1))
        );
        assert_eq!(
            setup(10, &QuestionForm::ALL, 7).validate(),
            Err(DrillError::TeamCount(7))
        );
        let mut s = ok.clone();
        s.teams[1].name = "  ".into();
        assert_eq!(s.validate(), Err(DrillError::EmptyTeamName(2)));
        s.teams[1].name = "x".repeat(31);
        assert_eq!(s.validate(), Err(DrillError::LongTeamName(2)));
        s.teams[1].name = " team 1 ".into();
        assert_eq!(
            s.validate(),
            Err(DrillError::DuplicateTeamName("team 1".into()))
        );
        let mut s = ok;
        s.teams[0].colour_index = 6;
        assert!(matches!(
            s.validate(),
            Err(DrillError::Colour { index: 6, .. })
        ));
        assert!(
            DrillError::TimeLimit(5)
                .to_string()
                .contains("10 to 60 seconds")
        );
    }

    #[test]
    fn questions_are_deterministic_and_drawn_from_the_choice() {
        let s = setup(10, &QuestionForm::ALL, 2);
        let a = drill(s.clone(), 7).unwrap();
        assert_eq!(a.questions(), drill(s.clone(), 7).unwrap().questions());
        assert_eq!(a.questions().len(), 10);
        let varied: BTreeSet<Vec<String>> = (0..10)
            .map(|seed| {
                drill(s.clone(), seed)
                    .unwrap()
                    .questions()
                    .iter()
                    .map(|q| q.prompt.clone())
                    .collect()
            })
            .collect();
        assert!(varied.len() > 5, "seeds give different drills");
        // Forms are spread evenly: ten questions in four forms, 2 or 3 each.
        for form in QuestionForm::ALL {
            let n = a.questions().iter().filter(|q| q.form() == form).count();
            assert!((2..=3).contains(&n), "{form:?}: {n}");
        }
        // No card asked twice.
        let mut seen = BTreeSet::new();
        for q in a.questions() {
            for c in &q.cards {
                assert!(seen.insert((c.deck_id.clone(), c.card_id.clone())), "{c:?}");
            }
        }
        // Multi-card forms name their real cards and decks.
        for q in a.questions() {
            match &q.body {
                Body::Timeline(t) => {
                    // Timelines choose their cards before single-card questions do.
                    assert_eq!(t.events.len(), TIMELINE_EVENTS);
                    for (e, c) in t.events.iter().zip(&q.cards) {
                        assert_eq!(c.deck_id, "history");
                        assert_eq!(e.card_id, c.card_id);
                        assert_eq!(e.caption, format!("Event {}", c.card_id));
                    }
                    assert!(q.answer.contains("Event") && q.answer.contains("; "));
                }
                Body::Matching(m) => {
                    assert_eq!(m.left.len(), MATCHING_PAIRS);
                    for (l, c) in m.left.iter().zip(&q.cards) {
                        assert_eq!(c.deck_id, "people");
                        assert_eq!(*l, format!("Person {}", &c.card_id[1..]));
                    }
                    assert!(q.answer.contains(" – Role "));
                }
                Body::MultipleChoice(c) => {
                    assert_eq!(c.options[c.correct_index], q.answer);
                    assert_eq!(
                        q.source.as_deref().map(|s| s.starts_with("Source")),
                        Some(true)
                    );
                }
                Body::FlipReveal => assert!(q.source.is_some()),
            }
        }
        // Only the chosen category.
        let mut terms = s.clone();
        terms.categories = ["term".to_owned()].into();
        terms.forms = [QuestionForm::FlipReveal].into();
        let d = drill(terms, 1).unwrap();
        assert!(
            d.questions()
                .iter()
                .all(|q| q.cards[0].card_id.starts_with('t'))
        );
        // Only the chosen deck.
        let mut hist = s;
        hist.decks = ["history".to_owned()].into();
        hist.forms = [QuestionForm::FlipReveal, QuestionForm::MultipleChoice].into();
        let d = drill(hist, 1).unwrap();
        assert!(
            d.questions()
                .iter()
                .all(|q| q.cards[0].deck_id == "history")
        );
    }

    #[test]
    fn forms_fall_back_and_small_pools_give_fewer_questions() {
        // No dated or role cards among terms: timelines and matchings become multiple choice.
        let mut s = setup(6, &QuestionForm::ALL, 0);
        s.categories = ["term".to_owned()].into();
        let d = drill(s.clone(), 3).unwrap();
        assert_eq!(d.questions().len(), 6);
        assert!(d.questions().iter().all(|q| matches!(
            q.form(),
            QuestionForm::MultipleChoice | QuestionForm::FlipReveal
        )));
        s.forms = [QuestionForm::Timeline, QuestionForm::Matching].into();
        assert_eq!(drill(s.clone(), 3).unwrap_err(), DrillError::NoQuestions);
        s.categories = ["place".to_owned()].into();
        assert_eq!(drill(s, 3).unwrap_err(), DrillError::NoCards);
        // Cards about an event already on a timeline do not make another timeline.
        let mut twice: Vec<Card> = history();
        for (i, c) in twice.iter_mut().enumerate() {
            c.event = Some(format!("Event {}", i % 6));
        }
        let mut s = setup(10, &[QuestionForm::Timeline], 0);
        s.categories = ["date".to_owned()].into();
        s.decks = ["history".to_owned()].into();
        let d = Drill::new(s, &[("history", &twice)], 3).unwrap();
        let captions: Vec<&str> = d
            .questions()
            .iter()
            .flat_map(|q| match &q.body {
                Body::Timeline(t) => t.events.iter().map(|e| e.caption.as_str()).collect(),
                _ => Vec::new(),
            })
            .collect();
        assert_eq!(
            d.questions().len(),
            1,
            "six events make one timeline of four"
        );
        assert_eq!(captions.len(), 4);
        // Twelve dated cards make three timelines of four, then no more.
        let mut s = setup(10, &[QuestionForm::Timeline], 0);
        s.categories = ["date".to_owned()].into();
        assert_eq!(drill(s, 3).unwrap().questions().len(), 3);
    }

    #[test]
    fn timed_points_reward_a_quick_reveal() {
        let mut d = drill(setup(5, &[QuestionForm::FlipReveal], 2), 1).unwrap();
        d.start(100.0);
        assert_eq!(d.remaining(105.0), Some(15.0));
        assert_eq!(d.remaining_fraction(105.0), Some(0.75));
        d.reveal(105.0);
        assert_eq!(d.phase(), Phase::Revealed);
        assert_eq!(d.remaining(106.0), None);
        assert!(d.award(0));
        assert!(d.awarded(0) && !d.awarded(1));
        assert_eq!(d.points_table()[0], vec![175, 0]);
        // Toggling twice takes the award back.
        assert!(d.award(1));
        assert!(d.award(1));
        assert!(!d.award(9), "no such team");
        d.next(105.0);
        assert_eq!(d.phase(), Phase::Scoreboard);
        assert!(!d.award(1), "only a revealed question is awarded");
        d.next(200.0);
        assert_eq!((d.phase(), d.current()), (Phase::Question, 1));
        assert_close(d.elapsed(200.0), 0.0);
        d.reveal(219.0);
        assert!(d.award(0));
        // 100 + 5 (1 s left of 20) + 10 (second right answer in a row).
        assert_eq!(d.points_table()[1], vec![115, 0]);
        assert_eq!(d.team_stats()[0].points, 290);
        // Untimed: base points only.
        let mut s = setup(2, &[QuestionForm::FlipReveal], 2);
        s.time_limit = None;
        let mut d = drill(s, 1).unwrap();
        d.start(0.0);
        assert_eq!(d.remaining(5.0), None);
        assert!(!d.tick(1000.0));
        d.reveal(1000.0);
        d.award(1);
        assert_eq!(d.points_table()[0], vec![0, 100]);
        if let Some(Outcome::Answered { secs, .. }) = d.outcome(0) {
            assert_close(*secs, 1000.0);
        } else {
            panic!("answered");
        }
    }

    #[test]
    fn streaks_grow_break_and_cap() {
        let mut s = setup(10, &[QuestionForm::FlipReveal], 2);
        s.time_limit = None;
        let mut d = drill(s, 2).unwrap();
        d.start(0.0);
        // Team 0 right on 1–8 (skip between 3 and 4), team 1 right on 1 and 3.
        for q in 0..9 {
            if q == 3 {
                d.skip(0.0);
                continue;
            }
            let mut teams = vec![0];
            if q == 0 || q == 2 {
                teams.push(1);
            }
            play(&mut d, 0.0, &teams);
        }
        let table = d.points_table();
        let team0: Vec<u32> = table.iter().map(|r| r[0]).collect();
        assert_eq!(
            team0,
            vec![100, 110, 120, 0, 130, 140, 150, 150, 150, 0],
            "a skip neither breaks nor extends; the bonus caps at 50"
        );
        let team1: Vec<u32> = table.iter().map(|r| r[1]).collect();
        assert_eq!(team1[..3], [100, 0, 100], "a miss breaks the streak");
        let stats = d.team_stats();
        assert_eq!(stats[0].right, 8);
        assert_eq!(stats[0].best_streak, 8);
        assert_eq!(stats[0].streak, 8);
        assert_eq!(stats[1].best_streak, 1);
        assert_eq!(stats[1].streak, 0);
        assert_eq!(stats[1].points, 200);
    }

    #[test]
    fn back_takes_the_points_back() {
        let mut s = setup(4, &[QuestionForm::FlipReveal], 2);
        s.time_limit = None;
        let mut d = drill(s, 5).unwrap();
        d.start(0.0);
        assert!(!d.can_go_back());
        d.back(0.0);
        assert_eq!((d.phase(), d.current()), (Phase::Question, 0));
        d.reveal(1.0);
        d.award(0);
        d.next(1.0);
        assert_eq!(d.team_stats()[0].points, 100);
        // From the scoreboard: the question just played is asked again.
        assert!(d.can_go_back());
        d.back(2.0);
        assert_eq!((d.phase(), d.current()), (Phase::Question, 0));
        assert_eq!(d.team_stats()[0].points, 0);
        assert_eq!(d.outcome(0), Some(&Outcome::NotAsked));
        assert_close(d.elapsed(3.0), 1.0);
        play(&mut d, 4.0, &[1]);
        assert_eq!(d.current(), 1);
        // From the next question (asked or revealed): back to the one before.
        d.reveal(5.0);
        d.award(0);
        assert_eq!(d.team_stats()[0].points, 100);
        d.back(6.0);
        assert_eq!((d.phase(), d.current()), (Phase::Question, 0));
        assert_eq!(d.team_stats()[0].points, 0);
        assert_eq!(d.team_stats()[1].points, 0);
        assert_eq!(d.outcome(1), Some(&Outcome::NotAsked));
    }

    #[test]
    fn skip_scores_nothing_and_moves_on() {
        let mut d = drill(setup(2, &[QuestionForm::FlipReveal], 2), 5).unwrap();
        d.start(0.0);
        d.reveal(1.0);
        d.award(0);
        d.skip(2.0);
        assert_eq!(d.outcome(0), Some(&Outcome::Skipped));
        assert_eq!((d.phase(), d.current()), (Phase::Question, 1));
        assert_eq!(d.team_stats()[0].points, 0);
        assert_close(d.elapsed(3.0), 1.0);
        d.skip(3.0);
        assert_eq!(d.phase(), Phase::Finished);
        assert!(!d.ended_early());
        assert_eq!(d.played(), 2);
        assert!(
            d.log_entries().is_empty(),
            "skipped questions are not logged"
        );
    }

    #[test]
    fn pause_stops_the_clock() {
        let mut d = drill(setup(2, &[QuestionForm::FlipReveal], 0), 5).unwrap();
        d.start(0.0);
        assert!(d.is_counting());
        d.toggle_pause(5.0);
        assert!(d.is_paused() && !d.is_counting());
        assert_close(d.elapsed(500.0), 5.0);
        assert!(!d.tick(500.0), "a paused countdown never runs out");
        d.toggle_pause(500.0);
        assert!(!d.is_paused());
        assert_close(d.elapsed(510.0), 15.0);
        assert!(!d.tick(514.9));
        // Time passed in while the window was in the background still counts.
        assert!(d.tick(600.0));
        assert_eq!(d.phase(), Phase::Revealed);
        assert_eq!(
            d.outcome(0),
            Some(&Outcome::Answered {
                secs: 20.0,
                remaining: Some(0.0),
                timed_out: true,
                right: vec![false],
            })
        );
        // Pausing is for the countdown only.
        d.pause(601.0);
        assert!(!d.is_paused());
        // A revealed-while-paused question counts the time before the pause.
        d.next(601.0);
        d.next(601.0);
        d.pause(610.0);
        d.reveal(700.0);
        assert!(!d.is_paused());
        assert!(
            matches!(d.outcome(1), Some(Outcome::Answered { secs, .. }) if (*secs - 9.0).abs() < 1e-9)
        );
    }

    #[test]
    fn ranking_shares_places_on_ties() {
        let mut s = setup(3, &[QuestionForm::FlipReveal], 4);
        s.time_limit = None;
        let mut d = drill(s, 5).unwrap();
        d.start(0.0);
        play(&mut d, 0.0, &[1, 2]);
        play(&mut d, 0.0, &[0, 3]);
        play(&mut d, 0.0, &[3]);
        let stats: Vec<u32> = d.team_stats().iter().map(|s| s.points).collect();
        assert_eq!(stats, vec![100, 100, 100, 210]);
        let ranking: Vec<(usize, usize, u32)> = d
            .ranking()
            .iter()
            .map(|s| (s.team, s.place, s.points))
            .collect();
        assert_eq!(
            ranking,
            vec![(3, 1, 210), (0, 2, 100), (1, 2, 100), (2, 2, 100)]
        );
        assert_eq!(d.phase(), Phase::Finished);
        // Everyone at zero shares first place.
        let d = drill(setup(3, &[QuestionForm::FlipReveal], 3), 5).unwrap();
        assert!(d.ranking().iter().all(|s| s.place == 1));
    }

    #[test]
    fn csv_fields_are_quoted() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field(" edge"), " edge");
        assert_eq!(csv_field(""), "");
        assert_eq!(csv_field("+1"), "'+1");
    }

    #[test]
    fn csv_defuses_formulas_in_names_and_prompts_and_parses_back() {
        let mut hist = vec![dated("d0", "2001"), dated("d1", "2002")];
        hist[0].prompt = "+ When did it happen?".into();
        hist[1].prompt = "+ When, then?".into();
        let setup = DrillSetup {
            decks: ["h".to_owned()].into(),
            categories: ["date".to_owned()].into(),
            questions: 2,
            forms: [QuestionForm::FlipReveal].into(),
            time_limit: None,
            teams: vec![
                Team::new("=HYPERLINK(\"http://x\",\"y\")", 0),
                Team::new("Blues", 1),
            ],
        };
        let mut d = Drill::new(setup, &[("h", &hist)], 4).unwrap();
        d.start(0.0);
        d.reveal(2.0);
        d.award(0);
        d.next(2.0);
        let csv = d.results_csv();
        let records: Vec<Vec<String>> = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(csv.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(
            records[0],
            [
                "number",
                "form",
                "prompt",
                "answer",
                "seconds",
                "'=HYPERLINK(\"http://x\",\"y\")",
                "Blues"
            ]
        );
        assert!(records[1][2].starts_with("'+ When"), "{:?}", records[1]);
        assert_eq!(records[1][4..], ["2.0", "1", "0"], "numbers stay numbers");
        assert_eq!(
            records.len(),
            1 + 1 + 1 + 2,
            "blank line skipped by the reader"
        );
        assert_eq!(records[3][..2], ["1", "'=HYPERLINK(\"http://x\",\"y\")"]);
        assert_eq!(records[4][..3], ["2", "Blues", "0"]);
        assert!(
            csv.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","),
            "{csv}"
        );
    }

    #[test]
    fn csv_has_a_row_per_question_and_per_team() {
        let mut hist = vec![dated("d0", "2001"), dated("d1", "2002")];
        hist[0].prompt = "When did \"it\" happen, exactly?".into();
        hist[1].prompt = "When, then?".into();
        let setup = DrillSetup {
            decks: ["h".to_owned()].into(),
            categories: ["date".to_owned()].into(),
            questions: 2,
            forms: [QuestionForm::FlipReveal].into(),
            time_limit: Some(20),
            teams: vec![Team::new("Reds, the", 0), Team::new("Blues", 1)],
        };
        let mut d = Drill::new(setup, &[("h", &hist)], 4).unwrap();
        d.start(0.0);
        let first = d.current_question().unwrap().prompt.clone();
        d.reveal(4.0);
        d.award(1);
        d.next(4.0);
        d.next(4.0);
        d.skip(5.0);
        let csv = d.results_csv();
        let (questions, teams) = csv.split_once("\n\n").unwrap();
        let rows: Vec<&str> = questions.lines().collect();
        assert_eq!(
            rows[0],
            "number,form,prompt,answer,seconds,\"Reds, the\",Blues"
        );
        let quoted = |p: &str| csv_field(p);
        let (q1, q2) = if first == hist[0].prompt {
            (&hist[0], &hist[1])
        } else {
            (&hist[1], &hist[0])
        };
        assert_eq!(
            rows[1],
            format!(
                "1,Flip and reveal,{},{},4.0,0,1",
                quoted(&q1.prompt),
                q1.answer
            )
        );
        assert_eq!(
            rows[2],
            format!("2,Flip and reveal,{},{},,,", quoted(&q2.prompt), q2.answer)
        );
        assert_eq!(rows.len(), 3);
        assert_eq!(
            teams,
            "place,team,points,right,best streak\n1,Blues,180,1,1\n2,\"Reds, the\",0,0,0\n"
        );
    }

    #[test]
    fn log_entries_follow_the_settled_questions() {
        let mut d = drill(setup(3, &[QuestionForm::FlipReveal], 2), 5).unwrap();
        d.start(0.0);
        d.reveal(2.5);
        d.award(1);
        assert!(d.log_entries().is_empty(), "awards can still change");
        d.next(3.0);
        let log = d.log_entries();
        assert_eq!(log.len(), 1);
        assert_eq!(
            (log[0].question, log[0].correct, log[0].secs),
            (0, true, 2.5)
        );
        assert_eq!(log[0].cards, d.questions()[0].cards);
        d.next(3.0);
        d.reveal(4.0);
        d.next(4.0);
        assert_eq!(d.log_entries().len(), 2);
        assert!(!d.log_entries()[1].correct);
        d.back(5.0);
        assert_eq!(d.log_entries().len(), 1, "going back unsettles a question");
        // Ending early: an asked question is left out, a revealed one counts.
        d.end(6.0);
        assert!(d.ended_early());
        assert_eq!(d.phase(), Phase::Finished);
        assert_eq!(d.log_entries().len(), 1);
        assert_eq!(d.outcome(1), Some(&Outcome::NotAsked));
        let mut d = drill(setup(3, &[QuestionForm::FlipReveal], 2), 5).unwrap();
        d.start(0.0);
        d.reveal(1.0);
        d.end(2.0);
        assert_eq!(d.log_entries().len(), 1);
        assert_eq!(d.played(), 1);
    }

    #[test]
    fn the_class_plays_as_one_team_without_teams() {
        let mut d = drill(setup(2, &[QuestionForm::FlipReveal], 0), 5).unwrap();
        assert!(!d.has_teams());
        assert_eq!(d.teams(), &[Team::new(CLASS_TEAM, 0)]);
        d.start(0.0);
        d.reveal(0.0);
        assert!(d.award(0));
        d.next(0.0);
        assert_eq!(d.team_stats()[0].points, 200);
        assert!(
            d.results_csv()
                .starts_with("number,form,prompt,answer,seconds,Class\n")
        );
    }

    #[test]
    fn a_log_entry_records_one_drill_review_per_card_and_no_schedule() {
        use crate::store::{LeechPolicy, Mode, Store};
        let mut store = Store::open_in_memory("teacher").unwrap();
        let entry = LogEntry {
            question: 3,
            cards: vec![
                CardRef {
                    deck_id: "d".into(),
                    card_id: "a".into(),
                },
                CardRef {
                    deck_id: "d".into(),
                    card_id: "b".into(),
                },
            ],
            correct: true,
            secs: 2.25,
        };
        let policy = LeechPolicy::from_settings(&crate::settings::Settings::default());
        let ids = entry
            .record(&mut store, policy, chrono::Utc::now())
            .unwrap();
        assert_eq!(ids.len(), 2);
        let review = store.review(ids[1]).unwrap().unwrap();
        assert_eq!(
            (review.mode, review.card_id.as_str(), review.correct),
            (Mode::Drill, "b", Some(true))
        );
        assert_eq!(review.rating, crate::schedule::Rating::Good);
        assert_eq!(review.response_ms, 2250);
        assert_eq!(store.card("d", "a").unwrap(), None, "no schedule written");
    }
}
