//! How a review is written as numbers: its id, its packed `kind`, its card key, and the
//! scheduler state after it in a few integer columns.
//!
//! **Review ids** are unique across computers and students: `(time in ms << 20) | 20 low bits`.
//! The time is the id's high part, so the log is in time order by its primary key, a time range
//! is a range of ids, and no separate time column or time index is needed. The low bits are
//! random for a live answer; for an imported or migrated review they are a hash of what the
//! review is (deck, card, time, rating, mode), so the same review imported on two computers
//! gets the same id and merging the two histories keeps it once.
//!
//! **`kind`** packs the small values of a review into one integer (two bytes on disk):
//!
//! | bits | value |
//! |---|---|
//! | 0–1 | rating − 1 |
//! | 2–4 | mode: 0 srs, 1 practice, 2 drill, 3 test |
//! | 5–6 | correct: 0 not marked, 1 wrong, 2 right |
//! | 7–8 | srs: the card's state before (0 new, 1 learning, 2 review, 3 relearning) |
//! | 9–10 | srs: the card's state after |
//! | 11 | srs: this answer tagged the card a leech |
//! | 12 | srs: this answer suspended the card (the leech policy) |
//! | 13 | srs: the state before is the `review_before` row (none: no stored progress), not the card's previous srs answer's state after |
//! | 14 | srs: the state after has no last-review time |

use chrono::{DateTime, Utc};

use crate::domain::Mode;
use crate::schedule::{CardState, Rating, State};

/// Low bits of a review id below the time.
pub const ID_LOW_BITS: u32 = 20;
const LOW_MASK: i64 = (1 << ID_LOW_BITS) - 1;
/// The latest time an id can hold: 2^43 ms after 1970, in the year 2248.
const MAX_MS: i64 = (1 << (63 - ID_LOW_BITS)) - 1;

/// The time (ms since the Unix epoch) a review id holds.
#[must_use]
pub fn review_id_ms(id: i64) -> i64 {
    id >> ID_LOW_BITS
}

/// The smallest review id at time `ms`: ids `>= first_id(ms)` are the reviews from `ms` on.
pub(super) fn first_id(ms: i64) -> i64 {
    ms.clamp(0, MAX_MS) << ID_LOW_BITS
}

/// The id of a review at `ms` with low bits `low`; `None` when the time is before 1970 or after
/// 2248, which an id cannot hold.
pub(super) fn make_id(ms: i64, low: u64) -> Option<i64> {
    (0..=MAX_MS)
        .contains(&ms)
        .then(|| (ms << ID_LOW_BITS) | i64::try_from(low & LOW_MASK.unsigned_abs()).unwrap_or(0))
}

/// A random id for a live answer at `ms`.
pub(super) fn random_id(ms: i64) -> Option<i64> {
    make_id(ms, rand::random::<u64>())
}

/// The id of an imported or migrated review: the same review gets the same id everywhere.
pub(super) fn content_id(
    ms: i64,
    deck_id: &str,
    card_id: &str,
    rating: Rating,
    mode: Mode,
) -> Option<i64> {
    content_id_of(content_hash(deck_id, card_id), ms, rating, mode)
}

/// FNV-1a, 64 bits (stable across versions and platforms, as std's hasher is not), of `bytes`
/// after `h`.
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The part of [`content_id`]'s hash that depends on the card alone: computed once for a
/// card's many reviews.
pub(super) fn content_hash(deck_id: &str, card_id: &str) -> u64 {
    let h = fnv(0xcbf2_9ce4_8422_2325, deck_id.as_bytes());
    let h = fnv(h, &[0]);
    let h = fnv(h, card_id.as_bytes());
    fnv(h, &[0])
}

/// [`content_id`] from the card's [`content_hash`].
pub(super) fn content_id_of(card_hash: u64, ms: i64, rating: Rating, mode: Mode) -> Option<i64> {
    let h = fnv(card_hash, &ms.to_le_bytes());
    let mut h = fnv(h, &[rating.number(), mode_code(mode) as u8]);
    // FNV's low bits mix poorly; splitmix64's finalizer spreads every bit into the 20 kept.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    make_id(ms, h ^ (h >> 31))
}

/// Whether `id` is a review id of the current kind for a review at `ms` (ids from a progress
/// file of an older flashdrill are small row numbers).
pub(super) fn is_id_for(id: i64, ms: i64) -> bool {
    id > 0 && review_id_ms(id) == ms
}

/// Millisecond time of `t`.
pub(super) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(super) fn time(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
}

pub(super) fn state_code(s: State) -> i64 {
    match s {
        State::New => 0,
        State::Learning => 1,
        State::Review => 2,
        State::Relearning => 3,
    }
}

pub(super) fn state_of(code: i64) -> Option<State> {
    Some(match code {
        0 => State::New,
        1 => State::Learning,
        2 => State::Review,
        3 => State::Relearning,
        _ => return None,
    })
}

pub(super) fn mode_code(m: Mode) -> i64 {
    match m {
        Mode::Srs => 0,
        Mode::Practice => 1,
        Mode::Drill => 2,
        Mode::Test => 3,
    }
}

fn mode_of(code: i64) -> Option<Mode> {
    Some(match code {
        0 => Mode::Srs,
        1 => Mode::Practice,
        2 => Mode::Drill,
        3 => Mode::Test,
        _ => return None,
    })
}

/// SQL: whether a `review` row is an srs answer.
pub(super) const IS_SRS: &str = "(kind & 28) = 0";

/// The `kind & KEY_MASK` of a review: its rating and mode, what import's duplicate check
/// compares.
pub(super) const KEY_MASK: i64 = 31;

pub(super) const MADE_LEECH: i64 = 1 << 11;
pub(super) const MADE_SUSPENDED: i64 = 1 << 12;
pub(super) const EXPLICIT_BEFORE: i64 = 1 << 13;
const NO_LAST_REVIEW: i64 = 1 << 14;

/// The unpacked `kind` of a review.
#[allow(
    clippy::struct_excessive_bools,
    reason = "the flag bits of the packed integer, one field each"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Kind {
    pub rating: Rating,
    pub mode: Mode,
    pub correct: Option<bool>,
    /// srs: the state before and after.
    pub before: State,
    pub after: State,
    pub made_leech: bool,
    pub made_suspended: bool,
    pub explicit_before: bool,
    pub no_last_review: bool,
}

impl Kind {
    /// A practice, drill or test answer, or the start of an srs one.
    pub fn new(rating: Rating, mode: Mode, correct: Option<bool>) -> Self {
        Self {
            rating,
            mode,
            correct,
            before: State::New,
            after: State::New,
            made_leech: false,
            made_suspended: false,
            explicit_before: false,
            no_last_review: false,
        }
    }

    pub fn pack(self) -> i64 {
        let bit = |b: bool, v: i64| if b { v } else { 0 };
        (i64::from(self.rating.number()) - 1)
            | mode_code(self.mode) << 2
            | (match self.correct {
                None => 0,
                Some(false) => 1,
                Some(true) => 2,
            }) << 5
            | state_code(self.before) << 7
            | state_code(self.after) << 9
            | bit(self.made_leech, MADE_LEECH)
            | bit(self.made_suspended, MADE_SUSPENDED)
            | bit(self.explicit_before, EXPLICIT_BEFORE)
            | bit(self.no_last_review, NO_LAST_REVIEW)
    }

    /// The rating and mode bits alone (see [`KEY_MASK`]).
    pub fn key(rating: Rating, mode: Mode) -> i64 {
        Self::new(rating, mode, None).pack() & KEY_MASK
    }

    pub fn unpack(v: i64) -> Result<Self, String> {
        let rating = u8::try_from((v & 3) + 1)
            .ok()
            .and_then(Rating::from_number)
            .ok_or_else(|| format!("kind {v}: bad rating"))?;
        let mode = mode_of((v >> 2) & 7).ok_or_else(|| format!("kind {v}: unknown mode"))?;
        let correct = match (v >> 5) & 3 {
            0 => None,
            1 => Some(false),
            2 => Some(true),
            _ => return Err(format!("kind {v}: bad correct flag")),
        };
        let state = |shift: i64| state_of((v >> shift) & 3).unwrap_or(State::New);
        if v >> 15 != 0 {
            return Err(format!("kind {v}: unknown bits"));
        }
        Ok(Self {
            rating,
            mode,
            correct,
            before: state(7),
            after: state(9),
            made_leech: v & MADE_LEECH != 0,
            made_suspended: v & MADE_SUSPENDED != 0,
            explicit_before: v & EXPLICIT_BEFORE != 0,
            no_last_review: v & NO_LAST_REVIEW != 0,
        })
    }
}

/// A due time as its distance from the answer: whole minutes (almost always: learning steps
/// and day intervals) in half the bits, any other distance exactly.
pub(super) fn encode_due(due_ms: i64, at_ms: i64) -> i64 {
    let delta = due_ms.wrapping_sub(at_ms);
    if delta >= 0 && delta % 60_000 == 0 {
        delta / 60_000 * 2
    } else {
        delta.wrapping_mul(2).wrapping_add(1)
    }
}

pub(super) fn decode_due(v: i64, at_ms: i64) -> i64 {
    let delta = if v & 1 == 0 {
        (v / 2).wrapping_mul(60_000)
    } else {
        (v - 1) / 2
    };
    at_ms.wrapping_add(delta)
}

/// The columns `step, stability, difficulty, due, reps, lapses, last` of a review's state
/// after (floats as their 32-bit patterns: exact, and half the bytes of a REAL).
pub(super) struct AfterColumns {
    pub step: Option<i64>,
    pub stability: Option<i64>,
    pub difficulty: Option<i64>,
    pub due: i64,
    pub reps: i64,
    pub lapses: i64,
    /// `None`: the last review is the answer's own time (always, for answers the scheduler
    /// made); else the time in ms.
    pub last: Option<i64>,
}

pub(super) fn float_bits(v: Option<f32>) -> Option<i64> {
    v.map(|f| i64::from(f.to_bits()))
}

fn float_of(bits: Option<i64>) -> Option<f32> {
    bits.map(|b| f32::from_bits(u32::try_from(b & 0xffff_ffff).unwrap_or(0)))
}

/// The after-state columns of `s` for an answer at `at_ms`, and whether the state has no last
/// review (the [`Kind::no_last_review`] bit).
pub(super) fn after_columns(s: &CardState, at_ms: i64) -> (AfterColumns, bool) {
    let last = s.last_review.map(ms);
    (
        AfterColumns {
            step: s.step.map(i64::from),
            stability: float_bits(s.stability),
            difficulty: float_bits(s.difficulty),
            due: encode_due(ms(s.due), at_ms),
            reps: i64::from(s.reps),
            lapses: i64::from(s.lapses),
            last: last.filter(|&l| l != at_ms),
        },
        last.is_none(),
    )
}

/// The state after a review from its columns.
pub(super) fn after_state(kind: &Kind, c: &AfterColumns, at_ms: i64) -> Result<CardState, String> {
    let count =
        |v: i64, what: &str| u32::try_from(v).map_err(|_| format!("{what} {v} is out of range"));
    let t = |v: i64| time(v).ok_or_else(|| format!("bad time {v}"));
    Ok(CardState {
        state: kind.after,
        step: c.step.map(|s| count(s, "step")).transpose()?,
        stability: float_of(c.stability),
        difficulty: float_of(c.difficulty),
        due: t(decode_due(c.due, at_ms))?,
        last_review: if kind.no_last_review {
            None
        } else {
            Some(t(c.last.unwrap_or(at_ms))?)
        },
        reps: count(c.reps, "reps")?,
        lapses: count(c.lapses, "lapses")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_id_holds_its_time_and_sorts_by_it() {
        let t = 1_767_225_600_123; // 2026-01-01
        let a = random_id(t).unwrap();
        let b = random_id(t + 1).unwrap();
        assert_eq!(review_id_ms(a), t);
        assert!(a < b);
        assert!(a >= first_id(t) && a < first_id(t + 1));
        assert_eq!(make_id(-1, 0), None);
        assert_eq!(make_id(MAX_MS + 1, 0), None);
        assert!(is_id_for(a, t) && !is_id_for(17, t));
    }

    #[test]
    fn content_ids_name_the_review() {
        let t = 1_767_225_600_123;
        let id = |d, c, r, m| content_id(t, d, c, r, m).unwrap();
        let one = id("d", "c", Rating::Good, Mode::Srs);
        assert_eq!(one, id("d", "c", Rating::Good, Mode::Srs));
        assert_ne!(one, id("d", "c2", Rating::Good, Mode::Srs));
        assert_ne!(one, id("d", "c", Rating::Hard, Mode::Srs));
        assert_ne!(one, id("d", "c", Rating::Good, Mode::Drill));
        assert_ne!(one, id("d", "c", Rating::Good, Mode::Test));
        // The (deck, card) split matters: "dc" + "" is not "d" + "c".
        assert_ne!(
            id("dc", "", Rating::Good, Mode::Srs),
            id("d", "c", Rating::Good, Mode::Srs)
        );
    }

    proptest! {
        #[test]
        fn kinds_round_trip(r in 1u8..=4, m in 0i64..4, c in 0u8..3, b in 0i64..4, a in 0i64..4,
                            flags in 0u8..16) {
            let k = Kind {
                rating: Rating::from_number(r).unwrap(),
                mode: mode_of(m).unwrap(),
                correct: [None, Some(false), Some(true)][usize::from(c)],
                before: state_of(b).unwrap(),
                after: state_of(a).unwrap(),
                made_leech: flags & 1 != 0,
                made_suspended: flags & 2 != 0,
                explicit_before: flags & 4 != 0,
                no_last_review: flags & 8 != 0,
            };
            let v = k.pack();
            prop_assert!((0..1 << 15).contains(&v));
            prop_assert_eq!(Kind::unpack(v).unwrap(), k);
            prop_assert_eq!(v & KEY_MASK, Kind::key(k.rating, k.mode));
        }

        #[test]
        fn dues_round_trip(at in 0i64..1 << 43, delta in -(1i64 << 40)..1 << 40) {
            prop_assert_eq!(decode_due(encode_due(at + delta, at), at), at + delta);
        }
    }

    #[test]
    fn whole_minutes_and_days_are_small() {
        let at = 1_767_225_600_123;
        assert_eq!(encode_due(at + 10 * 60_000, at), 20);
        assert!(encode_due(at + 365 * 86_400_000, at) < 1 << 23);
        assert!(Kind::unpack(1 << 15).is_err());
    }
}
