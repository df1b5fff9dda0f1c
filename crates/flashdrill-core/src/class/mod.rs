//! Class memory: a teacher's classes, their rosters, and every student as a learner with their
//! own FSRS schedule and review log, kept in the teacher's profile database.
//!
//! - A [`Class`] has a name, its decks and its own [`ClassSettings`] (desired retention, new
//!   cards per day, learning and relearning steps; the defaults come from the profile).
//! - A [`Student`] is one name on a class's roster, with a UUID v7 id and a token its phone
//!   keeps to rejoin. Names are matched ignoring case, accents and extra spaces
//!   ([`fold_name`]).
//! - [`Classroom`] is one class opened for study: [`Classroom::student_queue`] and
//!   [`Classroom::record_student_answer`] (idempotent on the phone's answer id). It owns its
//!   [`crate::store::Store`] and is `Send`, so a server keeps it behind a mutex and calls it
//!   from a blocking task.
//! - [`report`]: per student, per card (with discrimination) and the class heatmap, as CSV,
//!   JSON or HTML; [`export_student`] writes a student's history as
//!   `flashdrill-progress/1`.
//!
//! The model and the report's fields are documented in `docs/class-memory.md`.

mod roster;
mod study;

pub mod report;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::quiz::normalize::{Folding, fold_with};
use crate::schedule::{ScheduleError, SchedulerConfig, format_steps};
use crate::settings::Settings;
use crate::store::StoreError;

pub use roster::{MAX_NAME_CHARS, RosterError, RosterName, check_names, parse_roster, tidy};
pub use study::{
    Acked, ClassCard, Classroom, QueuedCard, StudentAck, StudentAnswer, export_student,
};

/// The longest class name, in characters.
pub const MAX_CLASS_NAME_CHARS: usize = 100;

/// The longest answer id a phone may make (visible ASCII characters).
pub const MAX_ANSWER_ID_BYTES: usize = 64;

/// `name` as rosters compare names: case, accents, typography and extra spaces ignored
/// (`"  ZOË  Roy"` and `"zoe roy"` fold the same).
#[must_use]
pub fn fold_name(name: &str) -> String {
    fold_with(name, Folding::SEARCH)
}

/// A class's own scheduling settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassSettings {
    pub desired_retention: f32,
    /// New cards each student is given per day.
    pub new_per_day: u32,
    #[serde(serialize_with = "ser_steps")]
    pub learning_steps: Vec<TimeDelta>,
    #[serde(serialize_with = "ser_steps")]
    pub relearning_steps: Vec<TimeDelta>,
}

#[allow(
    clippy::ptr_arg,
    reason = "serde's serialize_with passes a reference to the field"
)]
fn ser_steps<S: serde::Serializer>(steps: &Vec<TimeDelta>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_steps(steps))
}

impl ClassSettings {
    /// The profile's values.
    #[must_use]
    pub fn from_profile(profile: &Settings) -> Self {
        Self {
            desired_retention: profile.desired_retention,
            new_per_day: profile.new_per_day,
            learning_steps: profile.learning_steps.clone(),
            relearning_steps: profile.relearning_steps.clone(),
        }
    }

    /// The scheduler's settings: the profile's (memory parameters, maximum interval, fuzz)
    /// with this class's retention and steps.
    #[must_use]
    pub fn scheduler_config(&self, profile: &Settings) -> SchedulerConfig {
        SchedulerConfig {
            desired_retention: self.desired_retention,
            learning_steps: self.learning_steps.clone(),
            relearning_steps: self.relearning_steps.clone(),
            ..profile.scheduler_config()
        }
    }
}

/// A class as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    /// The row's key in the profile database.
    pub key: i64,
    pub name: String,
    /// Its decks' ids, in the order given.
    pub decks: Vec<String>,
    pub settings: ClassSettings,
    pub created: DateTime<Utc>,
}

/// One student of a class's roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Student {
    /// The row's key in the profile database.
    pub key: i64,
    /// A UUID v7, made when the student was added: stays the same through renames.
    pub id: String,
    pub name: String,
    /// The secret the student's phone keeps to rejoin as this student (a new one when the
    /// teacher resets the phone).
    pub token: String,
    pub added: DateTime<Utc>,
}

/// A class in a list: its name, decks and how many students and answers it has.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassSummary {
    pub class: Class,
    pub students: usize,
    pub answers: u64,
    /// The latest answer's time.
    pub last_answer: Option<DateTime<Utc>>,
}

/// What went wrong with a class. The messages are plain and name the class or student.
#[derive(Debug, thiserror::Error)]
pub enum ClassError {
    #[error("a class needs a name")]
    EmptyName,
    #[error("a class name is at most {MAX_CLASS_NAME_CHARS} characters")]
    NameTooLong,
    #[error("there is already a class called \"{0}\"")]
    ClassExists(String),
    #[error("there is no class called \"{name}\"{}", known_list(known))]
    NoSuchClass { name: String, known: Vec<String> },
    #[error("\"{name}\" is not on the roster of {class}")]
    NotOnRoster { class: String, name: String },
    #[error("\"{name}\" is already on the roster of {class} (as \"{existing}\")")]
    AlreadyOnRoster {
        class: String,
        name: String,
        existing: String,
    },
    #[error("this phone's token belongs to no student; join again with your name")]
    UnknownToken,
    #[error("this phone's token belongs to a student of another class than {0}")]
    OtherClass(String),
    #[error("no student of {class} has the id {id}")]
    NoSuchStudent { class: String, id: String },
    #[error("a student needs a name")]
    EmptyStudentName,
    #[error("the roster: {0}")]
    Roster(#[from] RosterError),
    #[error("the card {deck_id}/{card_id} is not in the decks of {class}")]
    NotInClass {
        class: String,
        deck_id: String,
        card_id: String,
    },
    #[error("an answer id must be 1 to {MAX_ANSWER_ID_BYTES} visible ASCII characters")]
    BadAnswerId,
    #[error(
        "the answer id {answer_id} was already used for {earlier}, not for {deck_id}/{card_id}"
    )]
    AnswerIdReused {
        answer_id: String,
        earlier: String,
        deck_id: String,
        card_id: String,
    },
    #[error("the class's settings cannot be used for scheduling: {0}")]
    Schedule(#[from] ScheduleError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        "; there are no classes yet".to_owned()
    } else {
        format!("; the classes are: {}", known.join(", "))
    }
}

/// Checks a class name: trimmed, not empty, not too long.
pub fn check_class_name(name: &str) -> Result<String, ClassError> {
    let name = tidy(name);
    if name.is_empty() {
        return Err(ClassError::EmptyName);
    }
    if name.chars().count() > MAX_CLASS_NAME_CHARS {
        return Err(ClassError::NameTooLong);
    }
    Ok(name)
}

/// A new student id: a UUID v7 (time-ordered, with random bits).
#[must_use]
pub fn new_student_id(now: DateTime<Utc>) -> String {
    let ms = u64::try_from(now.timestamp_millis()).unwrap_or(0);
    let ts =
        uuid::Timestamp::from_unix(uuid::NoContext, ms / 1000, ((ms % 1000) * 1_000_000) as u32);
    uuid::Uuid::new_v7(ts).hyphenated().to_string()
}

/// A new phone token: 128 random bits in hex.
#[must_use]
pub fn new_token() -> String {
    format!("{:032x}", rand::random::<u128>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_without_case_accents_or_spaces() {
        assert_eq!(fold_name("  ZOË \t Roy "), "zoe roy");
        assert_eq!(fold_name("José"), fold_name("jose"));
        assert_ne!(fold_name("Ana"), fold_name("Anna"));
    }

    #[test]
    fn student_ids_are_uuid_v7_and_tokens_differ() {
        let now = DateTime::from_timestamp_millis(1_767_225_600_123).unwrap();
        let id = new_student_id(now);
        let parsed = uuid::Uuid::parse_str(&id).unwrap();
        assert_eq!(parsed.get_version_num(), 7);
        let (secs, nanos) = parsed.get_timestamp().unwrap().to_unix();
        assert_eq!(
            secs * 1000 + u64::from(nanos / 1_000_000),
            1_767_225_600_123
        );
        assert_ne!(new_student_id(now), id);
        assert_eq!(new_token().len(), 32);
        assert_ne!(new_token(), new_token());
    }

    #[test]
    fn class_names_are_tidied_and_checked() {
        assert_eq!(check_class_name("  7b   history ").unwrap(), "7b history");
        assert!(matches!(check_class_name("  "), Err(ClassError::EmptyName)));
        assert!(matches!(
            check_class_name(&"x".repeat(101)),
            Err(ClassError::NameTooLong)
        ));
    }
}
