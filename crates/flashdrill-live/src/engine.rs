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
//! As in the projector drill: a right answer earns [`BASE_POINTS`], a speed bonus of
//! `SPEED_POINTS × remaining / limit` (rounded; `remaining` is the time left on the countdown
//! when *this player* answered), and a streak bonus of [`STREAK_STEP`] per right answer in a row
//! before this one, capped at [`STREAK_CAP`]. A wrong answer or no answer ends the streak.
//! Points are always recomputed from the recorded answers.

use std::collections::HashMap;

use flashdrill_core::drill::{
    BASE_POINTS, Body, CardRef, LogEntry, Question, QuestionForm, SPEED_POINTS, STREAK_CAP,
    STREAK_STEP,
};

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

/// Why a student cannot join or rejoin.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    #[error("That is not the game PIN: check the PIN on the projector")]
    WrongPin,
    #[error("Type a nickname")]
    EmptyName,
    #[error("Someone already plays as \"{0}\": choose another nickname")]
    NameTaken(String),
    #[error("The game is full ({MAX_PLAYERS} players)")]
    Full,
    #[error("The game is over")]
    Over,
    #[error("This device's place in the game was not found: join again with a nickname")]
    UnknownToken,
    #[error("The teacher removed you from the game")]
    Removed,
}

impl JoinError {
    /// A short code for the phone page.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongPin => "wrong_pin",
            Self::EmptyName => "empty_name",
            Self::NameTaken(_) => "name_taken",
            Self::Full => "full",
            Self::Over => "game_over",
            Self::UnknownToken => "unknown_token",
            Self::Removed => "removed",
        }
    }
}

/// Why an answer is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("No such player")]
    UnknownPlayer,
    #[error("No question is open for answers")]
    NotAsking,
    #[error("That is not the current question")]
    WrongQuestion,
    #[error("Time is up for this question")]
    TooLate,
    #[error("You already answered this question")]
    Already,
    #[error("That answer does not fit the question")]
    Invalid,
}

impl AnswerError {
    /// A short code for the phone page.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownPlayer => "unknown_player",
            Self::NotAsking => "not_asking",
            Self::WrongQuestion => "wrong_question",
            Self::TooLate => "too_late",
            Self::Already => "already_answered",
            Self::Invalid => "invalid_answer",
        }
    }
}

/// Why a game cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GameError {
    #[error("A live game needs at least one question")]
    NoQuestions,
    #[error(
        "Question {0} is a {1} question; a live game asks only multiple choice and timeline questions"
    )]
    Form(usize, &'static str),
    #[error("The countdown must be {MIN_SECONDS} to {MAX_SECONDS} seconds, not {0}")]
    Seconds(u32),
    #[error("The game PIN must be 6 digits, not \"{0}\"")]
    Pin(String),
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

fn form_code(q: &Question) -> &'static str {
    match q.body {
        Body::Timeline(_) => "timeline",
        _ => "choice",
    }
}

fn options_of(q: &Question) -> Vec<String> {
    match &q.body {
        Body::MultipleChoice(c) => c.options.clone(),
        Body::Timeline(t) => t.events.iter().map(|e| e.caption.clone()).collect(),
        Body::Matching(_) | Body::FlipReveal => Vec::new(),
    }
}

fn correct_of(q: &Question) -> Vec<usize> {
    match &q.body {
        Body::MultipleChoice(c) => vec![c.correct_index],
        Body::Timeline(t) => t.correct_order(),
        Body::Matching(_) | Body::FlipReveal => Vec::new(),
    }
}

/// The answer as written in the results file: the option's text, or the captions in order.
fn describe(q: &Question, answer: &Answer) -> String {
    let options = options_of(q);
    let text = |i: &usize| options.get(*i).cloned().unwrap_or_default();
    match answer {
        Answer::Choice(i) => text(i),
        Answer::Order(order) => order.iter().map(text).collect::<Vec<_>>().join(" → "),
    }
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

    /// Joins a new player with `token` (an unguessable string the phone keeps for rejoining).
    pub fn join(&mut self, pin: &str, name: &str, token: &str) -> Result<PlayerId, JoinError> {
        if pin.trim() != self.pin {
            return Err(JoinError::WrongPin);
        }
        if self.phase == Phase::Finished {
            return Err(JoinError::Over);
        }
        let name = clean_name(name);
        if name.is_empty() {
            return Err(JoinError::EmptyName);
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

    fn answer_counts(&self) -> Vec<usize> {
        let Some(q) = self.questions.get(self.current) else {
            return Vec::new();
        };
        let given = self
            .active()
            .filter_map(|(_, p)| p.answers[self.current].as_ref());
        if let Body::MultipleChoice(c) = &q.body {
            let mut counts = vec![0; c.options.len()];
            for g in given {
                if let Answer::Choice(i) = g.answer {
                    counts[i] += 1;
                }
            }
            counts
        } else {
            let mut counts = vec![0; 2];
            for g in given {
                counts[usize::from(!g.right)] += 1;
            }
            counts
        }
    }

    /// Everything the projector shows.
    #[must_use]
    pub fn snapshot(&self, now: f64) -> Snapshot {
        let in_question = matches!(
            self.phase,
            Phase::Question | Phase::Reveal | Phase::Leaderboard
        );
        let players: Vec<PlayerView> = self
            .active()
            .map(|(id, p)| {
                let stats = self.stats(id);
                PlayerView {
                    id,
                    name: p.name.clone(),
                    connected: p.connections > 0,
                    points: stats.points,
                    last_points: stats.last_points,
                    streak: stats.streak,
                    right: stats.right,
                    answered: in_question && p.answers[self.current].is_some(),
                }
            })
            .collect();
        Snapshot {
            phase: self.phase,
            question: self.current,
            question_count: self.questions.len(),
            current: in_question.then(|| self.questions[self.current].clone()),
            seconds_left: self.seconds_left(now),
            time_limit: self.time_limit,
            answered: players.iter().filter(|p| p.answered).count(),
            players,
            answer_counts: if in_question {
                self.answer_counts()
            } else {
                Vec::new()
            },
            ranking: self.ranking(),
        }
    }

    /// What `id`'s phone shows now.
    #[must_use]
    pub fn phone_view(&self, id: PlayerId, now: f64) -> PhoneView {
        let Some(player) = self.players.get(id as usize).filter(|p| !p.removed) else {
            return PhoneView::Removed;
        };
        let count = self.questions.len();
        let q = &self.questions[self.current];
        // The cheap phases first: they are rendered for every answer and every join.
        match self.phase {
            Phase::Lobby => {
                return PhoneView::Lobby {
                    name: player.name.clone(),
                    players: self.player_count(),
                };
            }
            Phase::Question => {
                return PhoneView::Question {
                    question: self.current,
                    count,
                    form: form_code(q),
                    prompt: q.prompt.clone(),
                    options: options_of(q),
                    seconds_left: self.seconds_left(now).unwrap_or(0.0),
                    time_limit: self.time_limit,
                    answered: player.answers[self.current].is_some(),
                };
            }
            Phase::Reveal | Phase::Leaderboard | Phase::Finished => {}
        }
        let ranking = &self.board.ranking;
        let rank = self.board.place.get(id as usize).copied().unwrap_or(0);
        let stats = self.stats(id);
        let top = || ranking.iter().take(LEADERBOARD_TOP).cloned().collect();
        match self.phase {
            Phase::Reveal => PhoneView::Reveal {
                question: self.current,
                count,
                form: form_code(q),
                prompt: q.prompt.clone(),
                options: options_of(q),
                correct: correct_of(q),
                answer: q.answer.clone(),
                right: player.answers[self.current].as_ref().map(|g| g.right),
                points: stats.last_points,
                total: stats.points,
                streak: stats.streak,
                rank,
            },
            Phase::Leaderboard => PhoneView::Leaderboard {
                question: self.current,
                count,
                top: top(),
                total: stats.points,
                rank,
                players: ranking.len(),
            },
            // Finished (the lobby and questions returned above).
            _ => PhoneView::Finished {
                top: top(),
                total: stats.points,
                rank,
                players: ranking.len(),
                right: stats.right,
                questions: self.revealed(),
            },
        }
    }

    /// The revealed questions for the review log: one entry per question that someone
    /// answered, `correct` when at least half of the answers were right, `secs` the answers'
    /// mean time.
    #[must_use]
    pub fn log_entries(&self) -> Vec<LogEntry> {
        (0..self.questions.len())
            .filter(|&q| self.open_secs[q].is_some())
            .filter_map(|q| {
                let given: Vec<&Given> = self
                    .active()
                    .filter_map(|(_, p)| p.answers[q].as_ref())
                    .collect();
                if given.is_empty() {
                    return None;
                }
                let right = given.iter().filter(|g| g.right).count();
                Some(LogEntry {
                    question: q,
                    cards: self.questions[q].cards.clone(),
                    correct: right * 2 >= given.len(),
                    secs: given.iter().map(|g| g.secs).sum::<f64>() / given.len() as f64,
                })
            })
            .collect()
    }

    /// The results: one row per student per revealed question, then the standings.
    #[must_use]
    pub fn result_rows(&self) -> (Vec<ResultRow>, Vec<(Standing, PlayerStats)>) {
        let mut rows = Vec::new();
        for (_, p) in self.active() {
            let (points, _) = self.score(p);
            for (q, question) in self.questions.iter().enumerate() {
                if self.open_secs[q].is_none() {
                    continue;
                }
                let given = p.answers[q].as_ref();
                rows.push(ResultRow {
                    student: p.name.clone(),
                    question: q + 1,
                    form: question.form().label(),
                    prompt: question.prompt.clone(),
                    correct_answer: question.answer.clone(),
                    given: given.map(|g| describe(question, &g.answer)),
                    right: given.map(|g| g.right),
                    secs: given.map(|g| g.secs),
                    points: points[q],
                });
            }
        }
        let standings = self
            .ranking()
            .into_iter()
            .map(|s| {
                let stats = self.stats(s.player);
                (s, stats)
            })
            .collect();
        (rows, standings)
    }

    /// The refs of the question's cards (for tests and the log).
    #[must_use]
    pub fn cards(&self, question: usize) -> &[CardRef] {
        self.questions.get(question).map_or(&[], |q| &q.cards)
    }
}

/// One student's answer to one question, for the results file.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    pub student: String,
    /// 1-based.
    pub question: usize,
    pub form: &'static str,
    pub prompt: String,
    pub correct_answer: String,
    /// `None`: no answer.
    pub given: Option<String>,
    pub right: Option<bool>,
    pub secs: Option<f64>,
    pub points: u32,
}

/// Points for a right answer given `secs` into a `limit`-second countdown, the `streak`-th right
/// answer in a row (1 for the first).
#[must_use]
pub fn points_for(secs: f64, limit: u32, streak: u32) -> u32 {
    let limit = f64::from(limit.max(1));
    let remaining = ((limit - secs) / limit).clamp(0.0, 1.0);
    let speed = (f64::from(SPEED_POINTS) * remaining).round() as u32;
    let bonus = (STREAK_STEP * streak.saturating_sub(1)).min(STREAK_CAP);
    BASE_POINTS + speed + bonus
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use flashdrill_core::quiz::{Choices, Timeline};

    pub(crate) fn choice_question(n: usize, correct: usize) -> Question {
        Question {
            body: Body::MultipleChoice(Choices {
                options: vec!["A".into(), "B".into(), "C".into(), "D".into()],
                correct_index: correct,
            }),
            cards: vec![CardRef {
                deck_id: "d".into(),
                card_id: format!("c{n}"),
            }],
            prompt: format!("Question {n}?"),
            answer: ["A", "B", "C", "D"][correct].into(),
            source: None,
            explanation: None,
        }
    }

    pub(crate) fn timeline_question() -> Question {
        use flashdrill_core::deck::PartialDate;
        let event = |id: &str, caption: &str, year: &str| flashdrill_core::quiz::Event {
            card_id: id.into(),
            caption: caption.into(),
            date: PartialDate::parse(year).unwrap(),
        };
        let t = Timeline {
            events: vec![
                event("e2", "Second", "1900"),
                event("e1", "First", "1800"),
                event("e3", "Third", "2000"),
            ],
        };
        Question {
            body: Body::Timeline(t),
            cards: ["e2", "e1", "e3"]
                .iter()
                .map(|c| CardRef {
                    deck_id: "d".into(),
                    card_id: (*c).into(),
                })
                .collect(),
            prompt: "Put these in order".into(),
            answer: "First; Second; Third".into(),
            source: None,
            explanation: None,
        }
    }

    fn game(n: usize) -> Game {
        let qs = (0..n).map(|i| choice_question(i, i % 4)).collect();
        Game::new(qs, 20, "123456").unwrap()
    }

    #[test]
    fn new_checks_questions_seconds_and_pin() {
        assert_eq!(
            Game::new(Vec::new(), 20, "123456").unwrap_err(),
            GameError::NoQuestions
        );
        let mut flip = choice_question(0, 0);
        flip.body = Body::FlipReveal;
        assert_eq!(
            Game::new(vec![choice_question(0, 0), flip], 20, "123456").unwrap_err(),
            GameError::Form(2, "Flip and reveal")
        );
        assert_eq!(
            Game::new(vec![choice_question(0, 0)], 4, "123456").unwrap_err(),
            GameError::Seconds(4)
        );
        for bad in ["12345", "1234567", "12a456", "", "１２３４５６"] {
            assert!(matches!(
                Game::new(vec![choice_question(0, 0)], 20, bad),
                Err(GameError::Pin(_))
            ));
        }
    }

    #[test]
    fn names_are_cleaned_capped_and_unique() {
        assert_eq!(clean_name("  Ada \t Lovelace\n"), "Ada Lovelace");
        assert_eq!(clean_name("a\u{0}b\u{7f}c"), "abc");
        assert_eq!(clean_name(&"x".repeat(50)).chars().count(), MAX_NAME_CHARS);
        assert_eq!(clean_name("<b>hi</b>"), "<b>hi</b>", "markup stays text");
        let mut g = game(2);
        assert_eq!(g.join("000000", "Ada", "t0"), Err(JoinError::WrongPin));
        assert_eq!(g.join("123456", " \n ", "t0"), Err(JoinError::EmptyName));
        assert_eq!(g.join(" 123456 ", "  Ada  ", "t0"), Ok(0));
        assert_eq!(g.name(0), Some("Ada"));
        assert_eq!(
            g.join("123456", "ADA", "t1"),
            Err(JoinError::NameTaken("ADA".into()))
        );
        assert_eq!(g.join("123456", "Bo", "t1"), Ok(1));
        // A removed player's name is free again.
        assert!(g.remove(0));
        assert!(!g.remove(0));
        assert!(!g.remove(9));
        assert_eq!(g.join("123456", "Ada", "t2"), Ok(2));
        assert_eq!(g.player_count(), 2);
    }

    #[test]
    fn at_most_max_players() {
        let mut g = game(1);
        for i in 0..MAX_PLAYERS {
            g.join("123456", &format!("P{i}"), &format!("t{i}"))
                .unwrap();
        }
        assert_eq!(g.join("123456", "One more", "tx"), Err(JoinError::Full));
        g.remove(3);
        assert!(g.join("123456", "One more", "tx").is_ok());
    }

    #[test]
    fn answers_once_and_only_during_the_question() {
        let mut g = game(2);
        let a = g.join("123456", "Ada", "ta").unwrap();
        let b = g.join("123456", "Bo", "tb").unwrap();
        assert_eq!(
            g.answer(a, 0, Answer::Choice(0), 0.0),
            Err(AnswerError::NotAsking)
        );
        g.start(10.0);
        assert_eq!(
            g.answer(a, 1, Answer::Choice(0), 11.0),
            Err(AnswerError::WrongQuestion)
        );
        assert_eq!(
            g.answer(a, 0, Answer::Choice(7), 11.0),
            Err(AnswerError::Invalid)
        );
        assert_eq!(
            g.answer(a, 0, Answer::Order(vec![0]), 11.0),
            Err(AnswerError::Invalid)
        );
        assert_eq!(g.answer(a, 0, Answer::Choice(0), 15.0), Ok(()));
        assert_eq!(
            g.answer(a, 0, Answer::Choice(1), 15.0),
            Err(AnswerError::Already)
        );
        assert_eq!(
            g.answer(99, 0, Answer::Choice(1), 15.0),
            Err(AnswerError::UnknownPlayer)
        );
        // Past the deadline (the tick may not have run yet).
        assert_eq!(
            g.answer(b, 0, Answer::Choice(0), 30.5),
            Err(AnswerError::TooLate)
        );
        assert!(g.tick(30.5));
        assert_eq!(g.phase(), Phase::Reveal);
        assert_eq!(
            g.answer(b, 0, Answer::Choice(0), 30.6),
            Err(AnswerError::TooLate)
        );
        // 100 + 75 (15 s of 20 left).
        assert_eq!(g.stats(a).points, 175);
        assert_eq!(g.stats(b).points, 0);
    }

    #[test]
    fn reveal_comes_when_everyone_connected_answered() {
        let mut g = game(2);
        let a = g.join("123456", "Ada", "ta").unwrap();
        let b = g.join("123456", "Bo", "tb").unwrap();
        g.start(0.0);
        assert!(!g.tick(1.0), "no one answered yet");
        g.answer(a, 0, Answer::Choice(0), 2.0).unwrap();
        assert!(!g.tick(2.0));
        g.disconnect(b);
        assert!(g.tick(2.0), "the only connected player answered");
        assert_eq!(g.snapshot(2.0).answer_counts, vec![1, 0, 0, 0]);
        // An empty room waits for the time.
        let mut g = game(1);
        g.start(0.0);
        assert!(!g.tick(19.9));
        assert!(g.tick(20.0));
    }

    #[test]
    fn points_speed_and_streaks_follow_the_drill() {
        assert_eq!(points_for(0.0, 20, 1), 200);
        assert_eq!(points_for(5.0, 20, 1), 175);
        assert_eq!(points_for(19.0, 20, 2), 115);
        assert_eq!(points_for(20.0, 20, 9), 150);
        assert_eq!(points_for(25.0, 20, 1), 100);
        let mut g = game(8);
        let a = g.join("123456", "Ada", "ta").unwrap();
        g.start(0.0);
        // Right on 0–2, wrong on 3, no answer on 4, right on 5–7; all at once.
        for q in 0..8 {
            let correct = q % 4;
            match q {
                3 => g.answer(a, q, Answer::Choice(0), 0.0).unwrap(),
                4 => {}
                _ => g.answer(a, q, Answer::Choice(correct), 0.0).unwrap(),
            }
            g.reveal(0.0);
            g.next(0.0);
            g.next(0.0);
        }
        assert_eq!(g.phase(), Phase::Finished);
        let (rows, standings) = g.result_rows();
        let points: Vec<u32> = rows.iter().map(|r| r.points).collect();
        assert_eq!(points, vec![200, 210, 220, 0, 0, 200, 210, 220]);
        let s = standings[0].1;
        assert_eq!(
            (s.points, s.right, s.best_streak, s.streak),
            (1260, 6, 3, 3)
        );
        assert_eq!(rows[3].right, Some(false));
        assert_eq!(rows[4].given, None);
        assert_eq!(rows[0].given.as_deref(), Some("A"));
    }

    #[test]
    fn timeline_answers_are_orders() {
        let mut g =
            Game::new(vec![timeline_question(), timeline_question()], 20, "123456").unwrap();
        let a = g.join("123456", "Ada", "ta").unwrap();
        let b = g.join("123456", "Bo", "tb").unwrap();
        g.start(0.0);
        assert_eq!(
            g.answer(a, 0, Answer::Choice(0), 1.0),
            Err(AnswerError::Invalid)
        );
        assert_eq!(
            g.answer(a, 0, Answer::Order(vec![1, 1, 2]), 1.0),
            Err(AnswerError::Invalid)
        );
        g.answer(a, 0, Answer::Order(vec![1, 0, 2]), 0.0).unwrap();
        g.answer(b, 0, Answer::Order(vec![0, 1, 2]), 0.0).unwrap();
        assert!(g.tick(0.0));
        assert_eq!(g.stats(a).points, 200);
        assert_eq!(g.stats(b).points, 0);
        assert_eq!(g.snapshot(0.0).answer_counts, vec![1, 1]);
        match g.phone_view(a, 0.0) {
            PhoneView::Reveal { correct, right, .. } => {
                assert_eq!(correct, vec![1, 0, 2]);
                assert_eq!(right, Some(true));
            }
            other => panic!("{other:?}"),
        }
        let (rows, _) = g.result_rows();
        assert_eq!(rows[0].given.as_deref(), Some("First → Second → Third"));
    }

    #[test]
    fn rejoin_keeps_name_and_points() {
        let mut g = game(2);
        let a = g.join("123456", "Ada", "secret").unwrap();
        g.start(0.0);
        g.answer(a, 0, Answer::Choice(0), 0.0).unwrap();
        g.reveal(1.0);
        // A reload: the new connection comes before the old one closes.
        assert_eq!(g.rejoin("123456", "secret"), Ok(a));
        g.disconnect(a);
        assert!(g.snapshot(1.0).players[0].connected);
        g.disconnect(a);
        assert!(!g.snapshot(1.0).players[0].connected);
        assert_eq!(g.rejoin("123456", "nope"), Err(JoinError::UnknownToken));
        assert_eq!(g.rejoin("654321", "secret"), Err(JoinError::WrongPin));
        assert_eq!(g.rejoin("123456", "secret"), Ok(a));
        assert_eq!(g.stats(a).points, 200);
        assert_eq!(g.name(a), Some("Ada"));
        g.remove(a);
        assert_eq!(g.rejoin("123456", "secret"), Err(JoinError::Removed));
        assert_eq!(g.phone_view(a, 1.0), PhoneView::Removed);
    }

    #[test]
    fn leaderboard_shares_places_and_phone_views_follow_the_phases() {
        let mut g = game(1);
        let ids: Vec<PlayerId> = ["A", "B", "C"]
            .iter()
            .map(|n| g.join("123456", n, n).unwrap())
            .collect();
        assert_eq!(
            g.phone_view(ids[0], 0.0),
            PhoneView::Lobby {
                name: "A".into(),
                players: 3
            }
        );
        g.start(0.0);
        assert!(matches!(
            g.phone_view(ids[0], 4.0),
            PhoneView::Question { seconds_left, answered: false, .. } if (seconds_left - 16.0).abs() < 1e-9
        ));
        g.answer(ids[1], 0, Answer::Choice(0), 0.0).unwrap();
        g.answer(ids[2], 0, Answer::Choice(0), 0.0).unwrap();
        g.reveal(0.0);
        let places: Vec<(PlayerId, usize, u32)> = g
            .ranking()
            .iter()
            .map(|s| (s.player, s.place, s.points))
            .collect();
        assert_eq!(places, vec![(1, 1, 200), (2, 1, 200), (0, 3, 0)]);
        g.next(0.0);
        match g.phone_view(ids[0], 0.0) {
            PhoneView::Leaderboard {
                rank, top, players, ..
            } => {
                assert_eq!((rank, players, top.len()), (3, 3, 3));
            }
            other => panic!("{other:?}"),
        }
        g.next(0.0);
        assert_eq!(g.phase(), Phase::Finished);
        assert!(matches!(
            g.phone_view(ids[2], 0.0),
            PhoneView::Finished {
                rank: 1,
                total: 200,
                questions: 1,
                ..
            }
        ));
        assert_eq!(g.join("123456", "Late", "late"), Err(JoinError::Over));
    }

    #[test]
    fn ending_drops_an_open_question_and_logs_majorities() {
        let mut g = game(3);
        let ids: Vec<PlayerId> = ["A", "B", "C"]
            .iter()
            .map(|n| g.join("123456", n, n).unwrap())
            .collect();
        g.start(0.0);
        g.answer(ids[0], 0, Answer::Choice(0), 2.0).unwrap();
        g.answer(ids[1], 0, Answer::Choice(1), 4.0).unwrap();
        g.reveal(5.0);
        g.next(5.0);
        g.next(5.0);
        g.answer(ids[0], 1, Answer::Choice(0), 6.0).unwrap();
        g.answer(ids[1], 1, Answer::Choice(0), 6.0).unwrap();
        g.answer(ids[2], 1, Answer::Choice(1), 6.0).unwrap();
        g.reveal(7.0);
        g.next(7.0);
        g.next(7.0);
        g.answer(ids[0], 2, Answer::Choice(2), 8.0).unwrap();
        assert!(g.end(9.0));
        assert!(!g.end(9.0));
        assert_eq!(g.revealed(), 2);
        let log = g.log_entries();
        assert_eq!(log.len(), 2);
        assert_eq!((log[0].correct, log[0].secs), (true, 3.0), "1 of 2 right");
        assert!(!log[1].correct, "1 of 3 right");
        assert_eq!(log[1].cards, g.cards(1));
        let (rows, _) = g.result_rows();
        assert_eq!(rows.len(), 6, "three players × two revealed questions");
    }
}
