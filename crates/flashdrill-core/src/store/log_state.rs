//! The JSON a schema-1 review log row kept of a card's progress (`state_before`,
//! `state_after`), read once when such a database is migrated:
//! compact — times as integer milliseconds, absent fields for null and false — so that a log of
//! a million answers stays small. Example:
//! `{"state":"review","stability":12.5,"difficulty":5.25,"due":1748768400000,
//! "last_review":1746090000000,"reps":10,"lapses":1}`.

use chrono::DateTime;
use serde::{Deserialize, Serialize};

use super::CardProgress;
use crate::schedule::{CardState, State};

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LogState {
    state: State,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    step: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stability: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    difficulty: Option<f32>,
    due: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_review: Option<i64>,
    reps: u32,
    lapses: u32,
    #[serde(default, skip_serializing_if = "is_false")]
    suspended: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    buried_until: Option<i64>,
    #[serde(default, skip_serializing_if = "is_false")]
    leech: bool,
}

/// The log JSON of a card's progress (schema 1 wrote it; the tests still do).
#[cfg(test)]
pub(super) fn to_json(p: &CardProgress) -> String {
    let c = &p.card;
    let s = LogState {
        state: c.state,
        step: c.step,
        stability: c.stability,
        difficulty: c.difficulty,
        due: c.due.timestamp_millis(),
        last_review: c.last_review.map(|t| t.timestamp_millis()),
        reps: c.reps,
        lapses: c.lapses,
        suspended: p.suspended,
        buried_until: p.buried_until.map(|t| t.timestamp_millis()),
        leech: p.leech,
    };
    // Strings, integers and finite floats always serialize; a non-finite float (which the
    // scheduler never produces) becomes null.
    serde_json::to_string(&s).unwrap_or_default()
}

/// Reads the log JSON of a card's progress.
pub(super) fn from_json(text: &str) -> Result<CardProgress, String> {
    let s: LogState = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let time =
        |ms: i64| DateTime::from_timestamp_millis(ms).ok_or_else(|| format!("bad time {ms}"));
    Ok(CardProgress {
        card: CardState {
            state: s.state,
            step: s.step,
            stability: s.stability,
            difficulty: s.difficulty,
            due: time(s.due)?,
            last_review: s.last_review.map(time).transpose()?,
            reps: s.reps,
            lapses: s.lapses,
        },
        suspended: s.suspended,
        buried_until: s.buried_until.map(time).transpose()?,
        leech: s.leech,
    })
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    #[test]
    fn round_trips_exactly_and_stays_small() {
        let t = Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 0).unwrap();
        let mut p = CardProgress::new_card(t);
        assert_eq!(from_json(&to_json(&p)).unwrap(), p);
        p.card.state = State::Relearning;
        p.card.step = Some(0);
        p.card.stability = Some(0.123_456_79);
        p.card.difficulty = Some(9.876_543);
        p.card.last_review = Some(t);
        p.card.reps = 12;
        p.card.lapses = 3;
        p.suspended = true;
        p.buried_until = Some(t);
        p.leech = true;
        let text = to_json(&p);
        assert_eq!(from_json(&text).unwrap(), p);
        assert!(text.len() < 220, "{text}");
        // A review card without flags, the common case.
        let plain = to_json(&CardProgress::from_state(CardState {
            state: State::Review,
            step: None,
            ..p.card
        }));
        assert!(plain.len() < 150, "{plain}");
        assert!(
            !plain.contains("suspended") && !plain.contains("leech"),
            "{plain}"
        );
        assert!(from_json("{\"state\":\"new\"}").is_err());
        assert!(
            from_json("{\"state\":\"new\",\"due\":0,\"reps\":0,\"lapses\":0,\"x\":1}").is_err()
        );
    }
}
