//! Scheduling: FSRS-6 memory states (from the `fsrs` crate) inside the card state machine of
//! the reference scheduler (py-fsrs 6 / Anki). Pure value types: no UI, no SQL, no clock.
//!
//! - [`SchedulerConfig`] / [`Scheduler`]: [`Scheduler::preview`] gives all four next states of
//!   a card, [`Scheduler::review`] one of them, [`Scheduler::replay`] rebuilds a card from its
//!   review log. The state machine follows py-fsrs 6.3 `review_card` (checked against its
//!   output in `tests/schedule_conformance.rs`); memory states come from the `fsrs` crate.
//! - [`fuzz_seed`]: the stable per-review seed that makes interval fuzz reproducible.
//! - [`build_queue`] / [`due_counts`]: what to study now; [`day_start`] / [`day_end`] / [`Today`]:
//!   the learner's study day, rolling over at a local hour.
//! - [`format_interval`], [`parse_steps`] / [`format_steps`], [`is_leech`] / [`becomes_leech`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The learner's answer to a card.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    /// Again, Hard, Good, Easy (strum's `VARIANTS` as an array).
    pub const ALL: [Rating; 4] = match <Self as strum::VariantArray>::VARIANTS {
        &[a, b, c, d] => [a, b, c, d],
        _ => panic!("Rating has four variants"),
    };

    /// 1–4 as stored in the review log and export files.
    #[must_use]
    pub fn number(self) -> u8 {
        self as u8
    }

    #[must_use]
    pub fn from_number(n: u8) -> Option<Self> {
        match n {
            1 => Some(Self::Again),
            2 => Some(Self::Hard),
            3 => Some(Self::Good),
            4 => Some(Self::Easy),
            _ => None,
        }
    }

    /// The button's name: `Again`, `Hard`, `Good`, `Easy`.
    #[must_use]
    pub fn label(self) -> &'static str {
        self.into()
    }
}

/// Where a card is in its life.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum State {
    New,
    Learning,
    Review,
    Relearning,
}

impl State {
    /// As written in the database and export files (`new`, `learning`, `review`,
    /// `relearning`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The state written `s` (exactly, as [`State::as_str`] writes it).
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}

/// A card's scheduling state: everything the scheduler needs to compute the next review.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CardState {
    pub state: State,
    /// The learning or relearning step the card is on; `None` in New and Review.
    pub step: Option<u32>,
    /// FSRS memory stability in days; `None` until the first review.
    pub stability: Option<f32>,
    /// FSRS difficulty (1–10); `None` until the first review.
    pub difficulty: Option<f32>,
    /// When the card is next due. A new card is due from the moment it is introduced.
    pub due: DateTime<Utc>,
    pub last_review: Option<DateTime<Utc>>,
    /// Reviews so far.
    pub reps: u32,
    /// Times the card was forgotten in Review (Again on a review card).
    pub lapses: u32,
}

impl CardState {
    /// A card never studied.
    #[must_use]
    pub fn new_card(now: DateTime<Utc>) -> Self {
        Self {
            state: State::New,
            step: None,
            stability: None,
            difficulty: None,
            due: now,
            last_review: None,
            reps: 0,
            lapses: 0,
        }
    }
}

mod config;
mod format;
mod load;
mod queue;
mod scheduler;

pub use config::{
    DEFAULT_PARAMETERS, MAX_DESIRED_RETENTION, MAX_MAXIMUM_INTERVAL, MAX_STEP,
    MIN_DESIRED_RETENTION, PARAMETER_BOUNDS, ScheduleError, SchedulerConfig, StepKind,
    format_steps, parse_steps,
};
pub use format::format_interval;
pub use load::{
    Balance, DueLoad, EasyDays, EasyDaysError, MAX_BALANCED_INTERVAL, StudyDays, pick_interval,
};
pub use queue::{
    DEFAULT_ROLLOVER_HOUR, DueCounts, QueueEntry, QueueItem, QueueKind, QueueLimits, Today,
    build_queue, day_end, day_start, due_counts, queue_rank, spread_siblings,
};
pub use scheduler::{
    DEFAULT_LEECH_THRESHOLD, ExamRule, Outcomes, Placed, Placement, Scheduler, becomes_leech,
    fuzz_range, fuzz_seed, fuzz_unit, is_leech,
};
