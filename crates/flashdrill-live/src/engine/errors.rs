//! Why a game cannot be made, a student cannot join, or an answer is refused.

use super::{MAX_PLAYERS, MAX_SECONDS, MIN_SECONDS};

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
    #[error("\"{0}\" is not on the class's list: type your name as the teacher has it")]
    NotOnRoster(String),
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
            Self::NotOnRoster(_) => "not_on_roster",
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
