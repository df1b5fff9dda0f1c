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
//! back a question leaves no trace. The formula is [`points`], which the live class
//! (`flashdrill-live`) scores with too, with each player's own answer time.
//!
//! # Modules
//!
//! `setup` holds the teacher's choices and their checks; `question` and `build` the questions
//! and how they are drawn; `game` the [`Drill`] itself; `score` the points; `log` the review
//! log's entries; `results` the results file. Everything public is re-exported here.

mod build;
mod game;
mod log;
mod question;
mod results;
mod score;
mod setup;

pub use build::{MATCHING_PAIRS, TIMELINE_EVENTS};
pub use game::{Drill, Phase};
pub use log::LogEntry;
pub use question::{Body, CardRef, Question};
pub use results::{csv_field, standings_row};
pub use score::{
    BASE_POINTS, Outcome, SPEED_POINTS, STREAK_CAP, STREAK_STEP, Standing, TeamStats, points,
    remaining_share,
};
pub use setup::{
    CLASS_TEAM, DEFAULT_QUESTIONS, DEFAULT_TIME_LIMIT, DrillError, DrillSetup, MAX_QUESTIONS,
    MAX_TEAM_NAME_CHARS, MAX_TEAMS, MAX_TIME_LIMIT, MIN_TEAMS, MIN_TIME_LIMIT, QuestionForm,
    TEAM_COLOURS, TIME_LIMITS, Team,
};

#[cfg(test)]
mod tests;
