//! The live game, pure: players, answers, points, the leaderboard. No network, no clock —
//! every time is passed in as seconds since some fixed start, as in [`flashdrill_core::drill`].
//!
//! A game goes [`Phase::Lobby`] (students join) → for each question [`Phase::Question`] (the
//! countdown runs; each player may answer once) → [`Phase::Reveal`] (the right answer; each
//! player's points) → [`Phase::Leaderboard`] → the next question, and after the last one
//! [`Phase::Finished`] (the podium).
//!
//! # Points
//!
//! By the projector drill's formula, [`drill::points`]: a right answer earns
//! [`BASE_POINTS`](drill::BASE_POINTS), a speed bonus of `SPEED_POINTS × remaining / limit`
//! (rounded; `remaining` is the time left on the countdown when *this player* answered), and a
//! streak bonus of [`STREAK_STEP`](drill::STREAK_STEP) per right answer in a row before this one,
//! capped at [`STREAK_CAP`](drill::STREAK_CAP). A wrong answer or no answer ends the streak.
//! Points are always recomputed from the recorded answers.

use std::collections::HashMap;

use flashdrill_core::drill::{self, Body, CardRef, LogEntry, Question, QuestionForm};

mod errors;
mod views;

pub use errors::{AnswerError, GameError, JoinError};
pub use views::ResultRow;

/// Most players in one game.
pub const MAX_PLAYERS: usize = 200;
/// Longest nickname, in characters (longer ones are cut).
pub const MAX_NAME_CHARS: usize = 20;
/// Shortest countdown, in seconds.
pub const MIN_SECONDS: u32 = 5;
/// Longest countdown, in seconds.
pub const MAX_SECONDS: u32 = 120;
/// Players shown on the leaderboard.
pub const LEADERBOARD_TOP: usize = 5;

/// A player's number in a game (stable across reconnects).
pub type PlayerId = u32;

/// Where a live game is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Students join; nothing asked yet.
    Lobby,
    /// The current question is asked and the countdown runs.
    Question,
    /// The right answer and each player's points for the current question.
    Reveal,
    /// The standings after the current question.
    Leaderboard,
    /// Over: the podium.
    Finished,
}

/// A student's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The index of the chosen option (multiple choice).
    Choice(usize),
    /// The events' indices, earliest first (timeline).
    Order(Vec<usize>),
}

/// One recorded answer.
#[derive(Debug, Clone, PartialEq)]
struct Given {
    answer: Answer,
    /// Seconds from the question's start to the answer.
    secs: f64,
    right: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Player {
    name: String,
    token: String,
    /// Open connections (a reloading phone may briefly have two).
    connections: u32,
    removed: bool,
    /// One slot per question.
    answers: Vec<Option<Given>>,
}

/// A player's totals over the revealed questions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct PlayerStats {
    pub points: u32,
    /// Questions right.
    pub right: usize,
    /// Right answers in a row, up to the latest revealed question.
    pub streak: u32,
    pub best_streak: u32,
    /// Points earned on the latest revealed question.
    pub last_points: u32,
}

/// A player's place. Players with the same points share a place (1, 1, 3, …).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Standing {
    pub player: PlayerId,
    pub name: String,
    /// 1-based.
    pub place: usize,
    pub points: u32,
}

/// A player as the projector lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlayerView {
    pub id: PlayerId,
    pub name: String,
    pub connected: bool,
    pub points: u32,
    /// Points earned on the latest revealed question.
    pub last_points: u32,
    /// Right answers in a row, up to the latest revealed question.
    pub streak: u32,
    /// Questions right so far.
    pub right: usize,
    /// Answered the current question.
    pub answered: bool,
}

/// What the projector shows, taken in one go.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub phase: Phase,
    /// Index of the current question (0 in the lobby).
    pub question: usize,
    pub question_count: usize,
    /// The current question (none in the lobby or when finished).
    pub current: Option<Question>,
    /// Seconds left on the countdown (during a question).
    pub seconds_left: Option<f64>,
    pub time_limit: u32,
    /// Players still in the game, in join order.
    pub players: Vec<PlayerView>,
    /// Players who answered the current question.
    pub answered: usize,
    /// For a multiple-choice question: how many chose each option. For a timeline: how many
    /// ordered it right and how many wrong (`[right, wrong]`).
    pub answer_counts: Vec<usize>,
    /// Everyone, best first.
    pub ranking: Vec<Standing>,
}

/// What one phone shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum PhoneView {
    Lobby {
        name: String,
        players: usize,
    },
    Question {
        question: usize,
        count: usize,
        /// `"choice"` or `"timeline"`.
        form: &'static str,
        prompt: String,
        /// Option texts, or the events' captions in the order shown.
        options: Vec<String>,
        seconds_left: f64,
        time_limit: u32,
        answered: bool,
    },
    Reveal {
        question: usize,
        count: usize,
        form: &'static str,
        prompt: String,
        options: Vec<String>,
        /// The right option (`[index]`) or the right order of the events.
        correct: Vec<usize>,
        answer: String,
        /// `None`: this player did not answer.
        right: Option<bool>,
        points: u32,
        total: u32,
        streak: u32,
        rank: usize,
    },
    Leaderboard {
        question: usize,
        count: usize,
        top: Vec<Standing>,
        total: u32,
        rank: usize,
        players: usize,
    },
    Finished {
        top: Vec<Standing>,
        total: u32,
        rank: usize,
        players: usize,
        right: usize,
        questions: usize,
    },
    Removed,
}

/// A live game in progress.
#[derive(Debug, Clone)]
pub struct Game {
    pin: String,
    time_limit: u32,
    questions: Vec<Question>,
    players: Vec<Player>,
    by_token: HashMap<String, PlayerId>,
    /// A class's roster: only these names may join, each as written here.
    roster: Option<Vec<String>>,
    phase: Phase,
    current: usize,
    /// When the current phase began.
    phase_since: f64,
    /// Seconds each question was open (set at its reveal).
    open_secs: Vec<Option<f64>>,
    /// Every player's totals and the ranking, recomputed when they can change (a join, a
    /// removal, a reveal, the end) rather than for every phone's view: 200 phones each ranking
    /// 200 players at every reveal held the game's lock for O(players² × questions).
    board: Board,
}

/// The scores as of the latest revealed question.
#[derive(Debug, Clone, Default)]
struct Board {
    /// Players still in the game, best first.
    ranking: Vec<Standing>,
    /// By player id (removed players too).
    stats: Vec<PlayerStats>,
    /// By player id: the place (0 for a removed player).
    place: Vec<usize>,
}

/// Checks a game PIN: six ASCII digits.
pub fn check_pin(pin: &str) -> Result<(), GameError> {
    if pin.len() == 6 && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(GameError::Pin(pin.chars().take(20).collect()))
    }
}

/// A nickname as shown: control characters dropped, whitespace runs made one space, trimmed,
/// cut to [`MAX_NAME_CHARS`] characters.
#[must_use]
pub fn clean_name(raw: &str) -> String {
    let spaced: String = raw
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect();
    let words: Vec<&str> = spaced.split(' ').filter(|w| !w.is_empty()).collect();
    words
        .join(" ")
        .chars()
        .take(MAX_NAME_CHARS)
        .collect::<String>()
        .trim_end()
        .to_owned()
}

impl Game {
    /// A game over `questions` (multiple choice and timeline only) with a `time_limit`-second
    /// countdown and a 6-digit `pin`.
    pub fn new(questions: Vec<Question>, time_limit: u32, pin: &str) -> Result<Self, GameError> {
        if questions.is_empty() {
            return Err(GameError::NoQuestions);
        }
        for (i, q) in questions.iter().enumerate() {
            if !matches!(
                q.form(),
                QuestionForm::MultipleChoice | QuestionForm::Timeline
            ) {
                return Err(GameError::Form(i + 1, q.form().label()));
            }
        }
        if !(MIN_SECONDS..=MAX_SECONDS).contains(&time_limit) {
            return Err(GameError::Seconds(time_limit));
        }
        check_pin(pin)?;
        Ok(Self {
            pin: pin.to_owned(),
            time_limit,
            open_secs: vec![None; questions.len()],
            questions,
            players: Vec::new(),
            by_token: HashMap::new(),
            roster: None,
            phase: Phase::Lobby,
            current: 0,
            phase_since: 0.0,
            board: Board::default(),
        })
    }

    #[must_use]
    pub fn pin(&self) -> &str {
        &self.pin
    }

    #[must_use]
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Index of the current question.
    #[must_use]
    pub fn current(&self) -> usize {
        self.current
    }

    #[must_use]
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    #[must_use]
    pub fn time_limit(&self) -> u32 {
        self.time_limit
    }

    /// Seconds since the current phase began.
    #[must_use]
    pub fn in_phase(&self, now: f64) -> f64 {
        (now - self.phase_since).max(0.0)
    }

    /// Seconds left on the countdown, during a question.
    #[must_use]
    pub fn seconds_left(&self, now: f64) -> Option<f64> {
        (self.phase == Phase::Question)
            .then(|| (f64::from(self.time_limit) - self.in_phase(now)).max(0.0))
    }

    fn active(&self) -> impl Iterator<Item = (PlayerId, &Player)> {
        self.players
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.removed)
            .map(|(i, p)| (i as PlayerId, p))
    }

    /// Players still in the game.
    #[must_use]
    pub fn player_count(&self) -> usize {
        self.active().count()
    }

    /// A player's nickname (removed players too).
    #[must_use]
    pub fn name(&self, id: PlayerId) -> Option<&str> {
        self.players.get(id as usize).map(|p| p.name.as_str())
    }

    /// Plays the game with a class: only the roster's `names` may join (case, accents and
    /// extra spaces ignored), each under the name as the roster writes it.
    pub fn set_roster(&mut self, names: Vec<String>) {
        self.roster = Some(names);
    }

    /// Joins a new player with `token` (an unguessable string the phone keeps for rejoining).
    pub fn join(&mut self, pin: &str, name: &str, token: &str) -> Result<PlayerId, JoinError> {
        if pin.trim() != self.pin {
            return Err(JoinError::WrongPin);
        }
        if self.phase == Phase::Finished {
            return Err(JoinError::Over);
        }
        let mut name = clean_name(name);
        if name.is_empty() {
            return Err(JoinError::EmptyName);
        }
        if let Some(roster) = &self.roster {
            let typed = flashdrill_core::class::fold_name(&name);
            name = roster
                .iter()
                .find(|r| flashdrill_core::class::fold_name(r) == typed)
                .cloned()
                .ok_or_else(|| JoinError::NotOnRoster(name.clone()))?;
        }
        let key = name.to_lowercase();
        if self.active().any(|(_, p)| p.name.to_lowercase() == key) {
            return Err(JoinError::NameTaken(name));
        }
        if self.player_count() >= MAX_PLAYERS {
            return Err(JoinError::Full);
        }
        let id = self.players.len() as PlayerId;
        self.players.push(Player {
            name,
            token: token.to_owned(),
            connections: 1,
            removed: false,
            answers: vec![None; self.questions.len()],
        });
        self.by_token.insert(token.to_owned(), id);
        self.rescore();
        Ok(id)
    }

    /// Rejoins the player whose phone kept `token`: same name, same points.
    pub fn rejoin(&mut self, pin: &str, token: &str) -> Result<PlayerId, JoinError> {
        if pin.trim() != self.pin {
            return Err(JoinError::WrongPin);
        }
        let id = *self.by_token.get(token).ok_or(JoinError::UnknownToken)?;
        let player = &mut self.players[id as usize];
        if player.removed {
            return Err(JoinError::Removed);
        }
        debug_assert_eq!(player.token, token);
        player.connections += 1;
        Ok(id)
    }

    /// One of a player's connections closed (a disconnected player keeps their place and
    /// points; the reveal no longer waits for them).
    pub fn disconnect(&mut self, id: PlayerId) {
        if let Some(p) = self.players.get_mut(id as usize) {
            p.connections = p.connections.saturating_sub(1);
        }
    }

    /// Removes a player: their name leaves the lists and their phone cannot rejoin.
    /// Returns false when there is no such player.
    pub fn remove(&mut self, id: PlayerId) -> bool {
        match self.players.get_mut(id as usize) {
            Some(p) if !p.removed => {
                p.removed = true;
                p.connections = 0;
                self.rescore();
                true
            }
            _ => false,
        }
    }

    #[must_use]
    pub fn is_removed(&self, id: PlayerId) -> bool {
        self.players.get(id as usize).is_none_or(|p| p.removed)
    }

    /// Asks the first question (from the lobby).
    pub fn start(&mut self, now: f64) -> bool {
        if self.phase != Phase::Lobby {
            return false;
        }
        self.phase = Phase::Question;
        self.current = 0;
        self.phase_since = now;
        true
    }

    /// Records `player`'s answer to question `question` (0-based).
    pub fn answer(
        &mut self,
        player: PlayerId,
        question: usize,
        answer: Answer,
        now: f64,
    ) -> Result<(), AnswerError> {
        if self.is_removed(player) {
            return Err(AnswerError::UnknownPlayer);
        }
        let answers = &self.players[player as usize].answers;
        if answers.get(question).is_some_and(Option::is_some) {
            return Err(AnswerError::Already);
        }
        if self.phase != Phase::Question {
            return Err(if question == self.current && self.phase != Phase::Lobby {
                AnswerError::TooLate
            } else {
                AnswerError::NotAsking
            });
        }
        if question != self.current {
            return Err(AnswerError::WrongQuestion);
        }
        let secs = self.in_phase(now);
        if secs > f64::from(self.time_limit) {
            return Err(AnswerError::TooLate);
        }
        let q = &self.questions[question];
        let right = match (&q.body, &answer) {
            (Body::MultipleChoice(c), Answer::Choice(i)) if *i < c.options.len() => {
                *i == c.correct_index
            }
            (Body::Timeline(t), Answer::Order(order)) => {
                let n = t.events.len();
                let mut seen = vec![false; n];
                let permutation = order.len() == n
                    && order
                        .iter()
                        .all(|&i| i < n && !std::mem::replace(&mut seen[i], true));
                if !permutation {
                    return Err(AnswerError::Invalid);
                }
                t.score(order).correct_order
            }
            _ => return Err(AnswerError::Invalid),
        };
        let slot = &mut self.players[player as usize].answers[question];
        if slot.is_some() {
            return Err(AnswerError::Already);
        }
        *slot = Some(Given {
            answer,
            secs,
            right,
        });
        Ok(())
    }

    /// Connected players who answered the current question, and connected players.
    fn answered_of_connected(&self) -> (usize, usize) {
        let mut answered = 0;
        let mut connected = 0;
        for (_, p) in self.active().filter(|(_, p)| p.connections > 0) {
            connected += 1;
            if p.answers[self.current].is_some() {
                answered += 1;
            }
        }
        (answered, connected)
    }

    /// Reveals the current question when its time is up or every connected player answered.
    /// Returns true when it did.
    pub fn tick(&mut self, now: f64) -> bool {
        if self.phase != Phase::Question {
            return false;
        }
        let (answered, connected) = self.answered_of_connected();
        let time_up = self.in_phase(now) >= f64::from(self.time_limit);
        if time_up || (connected > 0 && answered == connected) {
            self.reveal(now)
        } else {
            false
        }
    }

    /// Ends the countdown and shows the answer.
    pub fn reveal(&mut self, now: f64) -> bool {
        if self.phase != Phase::Question {
            return false;
        }
        self.open_secs[self.current] = Some(self.in_phase(now).min(f64::from(self.time_limit)));
        self.rescore();
        self.phase = Phase::Reveal;
        self.phase_since = now;
        true
    }

    /// Moves on: lobby → first question, question → reveal, reveal → leaderboard, leaderboard →
    /// the next question, or the podium after the last.
    pub fn next(&mut self, now: f64) -> bool {
        match self.phase {
            Phase::Lobby => self.start(now),
            Phase::Question => self.reveal(now),
            Phase::Reveal => {
                self.phase = Phase::Leaderboard;
                self.phase_since = now;
                true
            }
            Phase::Leaderboard => {
                if self.current + 1 < self.questions.len() {
                    self.current += 1;
                    self.phase = Phase::Question;
                } else {
                    self.phase = Phase::Finished;
                }
                self.phase_since = now;
                true
            }
            Phase::Finished => false,
        }
    }

    /// Ends the game now. A question still open is left out (its answers score nothing).
    pub fn end(&mut self, now: f64) -> bool {
        if self.phase == Phase::Finished {
            return false;
        }
        if self.phase == Phase::Question {
            for p in &mut self.players {
                p.answers[self.current] = None;
            }
        }
        self.phase = Phase::Finished;
        self.phase_since = now;
        true
    }

    /// Questions revealed so far (their answers count).
    #[must_use]
    pub fn revealed(&self) -> usize {
        self.open_secs.iter().filter(|s| s.is_some()).count()
    }

    /// Points on each revealed question for one player, and their totals.
    fn score(&self, player: &Player) -> (Vec<u32>, PlayerStats) {
        let mut stats = PlayerStats::default();
        let mut row = vec![0; self.questions.len()];
        // Only questions up to the current one can have been revealed.
        let asked = (self.current + 1).min(player.answers.len());
        for (q, given) in player.answers.iter().enumerate().take(asked) {
            if self.open_secs[q].is_none() {
                continue;
            }
            match given {
                Some(g) if g.right => {
                    stats.streak += 1;
                    stats.best_streak = stats.best_streak.max(stats.streak);
                    stats.right += 1;
                    row[q] = points_for(g.secs, self.time_limit, stats.streak);
                    stats.points += row[q];
                }
                _ => stats.streak = 0,
            }
            stats.last_points = row[q];
        }
        (row, stats)
    }

    /// A player's totals (zero for an unknown player).
    #[must_use]
    pub fn stats(&self, id: PlayerId) -> PlayerStats {
        self.board
            .stats
            .get(id as usize)
            .copied()
            .unwrap_or_default()
    }

    /// Players still in the game by points, most first (ties in join order), with shared
    /// places for equal points.
    #[must_use]
    pub fn ranking(&self) -> Vec<Standing> {
        self.board.ranking.clone()
    }

    /// Recomputes every player's totals and the ranking (see [`Board`]).
    fn rescore(&mut self) {
        let stats: Vec<PlayerStats> = self.players.iter().map(|p| self.score(p).1).collect();
        let mut scored: Vec<(PlayerId, &str, u32)> = self
            .active()
            .map(|(id, p)| (id, p.name.as_str(), stats[id as usize].points))
            .collect();
        scored.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        let mut ranking: Vec<Standing> = Vec::with_capacity(scored.len());
        let mut place = vec![0; self.players.len()];
        for (i, (id, name, points)) in scored.iter().enumerate() {
            let at = match ranking.last() {
                Some(prev) if prev.points == *points => prev.place,
                _ => i + 1,
            };
            place[*id as usize] = at;
            ranking.push(Standing {
                player: *id,
                name: (*name).to_owned(),
                place: at,
                points: *points,
            });
        }
        self.board = Board {
            ranking,
            stats,
            place,
        };
    }
}

/// Points for a right answer given `secs` into a `limit`-second countdown, the `streak`-th right
/// answer in a row (1 for the first): the drill's [`drill::points`], with the countdown on (a
/// live game always has one).
#[must_use]
pub fn points_for(secs: f64, limit: u32, streak: u32) -> u32 {
    drill::points(secs, Some(limit), streak)
}

#[cfg(test)]
pub(crate) mod tests;
