//! The spaced warm-up: each student of a class studies *their own* queue on their phone — their
//! learning and due cards first, then new cards — untimed, accuracy only, for a few minutes.
//!
//! The server ([`LiveWarmup`]) keeps no schedule: it asks the class's store through
//! [`ClassStudy`] who a phone is, what its student's next card is, and to mark and commit each
//! answer. The app implements [`ClassStudy`] over flashdrill-core's class memory; the tests
//! over an in-memory class. The projector polls [`LiveWarmup::snapshot`] (see [`board`]).
//!
//! The messages are in [`protocol`] and in docs/live-class.md ("Spaced warm-up").

pub mod board;
mod class;
pub mod protocol;
mod server;

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use board::{Activity, MissedCard, StudentView, WarmupSnapshot};
pub use class::CoreClass;
pub use server::{LiveWarmup, MAX_WARMUP};

/// A student of the class, as the class's store names them (stable across lessons).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct StudentId(pub String);

/// A roster's student, as found by their typed name or their phone's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentRef {
    pub id: StudentId,
    /// The name as on the roster (shown on the phone and the projector).
    pub name: String,
    /// The phone's token: it outlives the server, so next lesson the same phone rejoins as
    /// the same student without typing their name. Unguessable (128 random bits or more):
    /// whoever holds it studies as this student.
    pub token: String,
}

/// How a card is asked on the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CardForm {
    /// Multiple choice: the options, one of them right.
    Choice,
    /// A typed answer (marked leniently, as on the desktop).
    Typed,
    /// Events to put in order, earliest first; `options` are their captions as shown.
    Timeline,
}

/// A student's next card, and how far they are in this warm-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudyCard {
    /// `"<deck>/<card>"`.
    pub id: String,
    pub form: CardForm,
    pub prompt: String,
    /// The options (choice), the events' captions (timeline), none (typed).
    pub options: Vec<String>,
    /// Cards this student answered in this warm-up.
    pub done: u32,
    /// Cards left in this student's queue, this one included.
    pub left: u32,
}

/// A student's answer to a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Given {
    /// The index of the chosen option.
    Choice(usize),
    /// The typed text.
    Text(String),
    /// The events' indices (as shown), earliest first.
    Order(Vec<usize>),
}

/// A committed answer, as told to the phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    /// The phone's own id for the answer.
    pub id: String,
    pub right: bool,
    /// The right answer, as text (for a timeline, the captions in order).
    pub answer: String,
    /// The article's sentence the card comes from, if it has one.
    pub sentence: Option<String>,
}

/// Why the class's store refused: `code` for the phone page, `message` for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    pub code: String,
    pub message: String,
}

impl Refusal {
    #[must_use]
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// The codes a [`ClassStudy`] refuses with (the phone page reacts to each).
pub mod codes {
    /// The typed name matches nobody on the roster.
    pub const NOT_ON_ROSTER: &str = "not_on_roster";
    /// The phone's token belongs to nobody (the teacher reset the phone, or another computer).
    pub const UNKNOWN_TOKEN: &str = "unknown_token";
    /// The phone's token belongs to a student of another class.
    pub const OTHER_CLASS: &str = "other_class";
    /// The answer is for a card that is not this student's current card.
    pub const NOT_IN_QUEUE: &str = "not_in_queue";
    /// The answer does not fit the card (an option that is not there, not an order of the
    /// events, text for a choice).
    pub const INVALID_ANSWER: &str = "invalid_answer";
    /// The answer could not be saved (the disk, the database): nothing was counted, and the
    /// phone sends it again.
    pub const NOT_SAVED: &str = "not_saved";
}

/// What the warm-up server needs from the class's store; implemented by the app over
/// flashdrill-core's class memory, and in tests by an in-memory class.
///
/// Every method blocks (the server calls them through `tokio::task::spawn_blocking`) and may
/// be called from many threads at once, for different students and for the same one (a phone
/// reloading while its old connection still answers).
pub trait ClassStudy: Send + Sync + 'static {
    /// The roster's student whose name matches `typed` (case, accents and extra spaces
    /// ignored). Refusal [`codes::NOT_ON_ROSTER`].
    fn find_student(&self, typed: &str) -> Result<StudentRef, Refusal>;

    /// The student a phone's saved token belongs to. Refusal [`codes::UNKNOWN_TOKEN`] or
    /// [`codes::OTHER_CLASS`].
    fn student_by_token(&self, token: &str) -> Result<StudentRef, Refusal>;

    /// The student's card now: the one they were given and have not answered yet, else the
    /// next one — their learning and due cards first, then new cards up to the class's limit;
    /// a learning card due later in the lesson comes early when nothing else is left. `None`:
    /// nothing left for this student.
    fn next_card(
        &self,
        student: &StudentId,
        now: DateTime<Utc>,
    ) -> Result<Option<StudyCard>, Refusal>;

    /// Marks and commits the answer (right → Good, wrong → Again, in the student's own
    /// schedule) before returning. Idempotent on `answer_id`: the same id again returns the
    /// same [`Ack`] and counts once. Refusal [`codes::NOT_IN_QUEUE`] for a card that is not
    /// this student's current card, [`codes::INVALID_ANSWER`], [`codes::NOT_SAVED`].
    fn answer(
        &self,
        student: &StudentId,
        card: &str,
        answer_id: &str,
        given: &Given,
        now: DateTime<Utc>,
    ) -> Result<Ack, Refusal>;
}
