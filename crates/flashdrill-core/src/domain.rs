//! The types every layer shares: how an answer was given, a card's stored progress, a row of
//! the review log. The store reads and writes them; sessions, statistics and screens use them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::schedule::{CardState, Rating};

/// How an answer was given: `srs` answers move the card's schedule; `practice`, `drill` and
/// `test` (a self-test's answers, see [`crate::selftest`]) answers are only logged.
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
    strum::VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Mode {
    Srs,
    Practice,
    Drill,
    /// An answer in a self-test: exam conditions, logged, never studied (statistics do not
    /// count it as study).
    Test,
}

impl Mode {
    /// Every mode, in declaration order (strum's `VARIANTS` as an array).
    pub const ALL: [Mode; 4] = match <Self as strum::VariantArray>::VARIANTS {
        &[a, b, c, d] => [a, b, c, d],
        _ => panic!("Mode has four variants"),
    };

    /// As written in the review log and export files (`srs`, `practice`, `drill`, `test`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The mode written `s` (exactly, as [`Mode::as_str`] writes it).
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}

/// A card's whole stored progress: its schedule plus the learner's flags. The review log keeps
/// the schedule part of each srs answer ([`ReviewRecord::state_after`]) and which flags the
/// answer itself changed, so undo restores all of it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CardProgress {
    pub card: CardState,
    pub suspended: bool,
    /// Hidden from the queue until this time (the next day start when buried).
    pub buried_until: Option<DateTime<Utc>>,
    /// Tagged as a leech (forgotten `leech_threshold` times).
    pub leech: bool,
}

impl CardProgress {
    /// A card never studied, with no flags.
    #[must_use]
    pub fn new_card(now: DateTime<Utc>) -> Self {
        Self::from_state(CardState::new_card(now))
    }

    /// A schedule with no flags.
    #[must_use]
    pub fn from_state(card: CardState) -> Self {
        Self {
            card,
            suspended: false,
            buried_until: None,
            leech: false,
        }
        .truncated()
    }

    /// Whether the card may be shown at `now` (not suspended, not buried).
    #[must_use]
    pub fn is_available(&self, now: DateTime<Utc>) -> bool {
        !self.suspended && self.buried_until.is_none_or(|until| until <= now)
    }

    /// The same progress with every time truncated to the millisecond, as stored.
    #[must_use]
    pub fn truncated(mut self) -> Self {
        self.card = truncate_state(self.card);
        self.buried_until = self.buried_until.map(truncate_ms);
        self
    }
}

/// One card's stored progress, keyed by deck id + card id.
#[derive(Debug, Clone, PartialEq)]
pub struct CardRecord {
    pub deck_id: String,
    pub card_id: String,
    pub progress: CardProgress,
}

/// One row of the review log, as the statistics and history views read it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRecord {
    pub id: i64,
    pub deck_id: String,
    pub card_id: String,
    pub at: DateTime<Utc>,
    pub rating: Rating,
    pub mode: Mode,
    pub answer_given: Option<String>,
    pub correct: Option<bool>,
    pub response_ms: u64,
    /// The card's schedule before the answer; `None` for practice, drill and test answers and for a
    /// card that had no stored progress yet (a new card).
    pub state_before: Option<CardState>,
    /// The card's schedule after the answer; `None` for practice, drill and test answers.
    pub state_after: Option<CardState>,
}

impl ReviewRecord {
    /// Whether the answer counts as right: `correct` when known, else any rating but Again.
    #[must_use]
    pub fn is_right(&self) -> bool {
        self.correct.unwrap_or(self.rating != Rating::Again)
    }
}

/// A time truncated to whole milliseconds (the store's precision).
#[must_use]
pub fn truncate_ms(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
}

/// A card state with every time truncated to whole milliseconds.
#[must_use]
pub fn truncate_state(mut s: CardState) -> CardState {
    s.due = truncate_ms(s.due);
    s.last_review = s.last_review.map(truncate_ms);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::State;

    #[test]
    fn modes_and_states_read_back_what_they_write() {
        assert_eq!(
            Mode::ALL,
            [Mode::Srs, Mode::Practice, Mode::Drill, Mode::Test]
        );
        for mode in Mode::ALL {
            assert_eq!(Mode::parse(mode.as_str()), Some(mode));
            assert_eq!(mode.to_string(), mode.as_str());
            assert_eq!(serde_json::to_string(&mode).unwrap(), format!("\"{mode}\""));
        }
        assert_eq!(
            Mode::ALL.map(Mode::as_str),
            ["srs", "practice", "drill", "test"]
        );
        assert_eq!(Mode::parse("SRS"), None, "as written, case and all");
        assert_eq!(Mode::parse("exam"), None);
        let states = [
            State::New,
            State::Learning,
            State::Review,
            State::Relearning,
        ];
        assert_eq!(
            states.map(State::as_str),
            ["new", "learning", "review", "relearning"]
        );
        for state in states {
            assert_eq!(State::parse(state.as_str()), Some(state));
            assert_eq!(
                serde_json::to_string(&state).unwrap(),
                format!("\"{state}\"")
            );
        }
        assert_eq!(State::parse("mastered"), None);
        assert_eq!(
            Rating::ALL.map(Rating::label),
            ["Again", "Hard", "Good", "Easy"]
        );
        assert_eq!(Rating::ALL.map(Rating::number), [1, 2, 3, 4]);
    }
}
