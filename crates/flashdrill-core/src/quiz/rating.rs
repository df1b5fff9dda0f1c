//! The rating proposed to the learner after an answer: wrong → Again, right → Good, right but
//! slow → Hard. The learner can always change it.

use std::time::Duration;

use crate::schedule::Rating;

/// Typed answers: slower than this base plus [`TYPED_SLOW_PER_CHAR`] per expected character is
/// "slow".
pub const TYPED_SLOW_BASE: Duration = Duration::from_secs(10);
/// Typed answers: extra time allowed per character of the expected answer.
pub const TYPED_SLOW_PER_CHAR: Duration = Duration::from_millis(300);
/// Multiple choice: slower than this base plus [`CHOICE_SLOW_PER_CHAR`] per character of all
/// options is "slow".
pub const CHOICE_SLOW_BASE: Duration = Duration::from_secs(8);
/// Multiple choice: extra reading time allowed per character of the options.
pub const CHOICE_SLOW_PER_CHAR: Duration = Duration::from_millis(50);

fn threshold(base: Duration, per_char: Duration, chars: usize) -> Duration {
    let chars = u32::try_from(chars).unwrap_or(u32::MAX);
    base.saturating_add(per_char.saturating_mul(chars))
}

/// How long a typed answer of `expected_len` characters may take before it counts as slow:
/// 10 s + 0.3 s per character.
#[must_use]
pub fn typed_slow_threshold(expected_len: usize) -> Duration {
    threshold(TYPED_SLOW_BASE, TYPED_SLOW_PER_CHAR, expected_len)
}

/// How long a multiple-choice answer may take before it counts as slow, given the total number
/// of characters in the options: 8 s + 0.05 s per character.
#[must_use]
pub fn choice_slow_threshold(options_len: usize) -> Duration {
    threshold(CHOICE_SLOW_BASE, CHOICE_SLOW_PER_CHAR, options_len)
}

fn propose(correct: bool, response: Duration, limit: Duration) -> Rating {
    match (correct, response > limit) {
        (false, _) => Rating::Again,
        (true, true) => Rating::Hard,
        (true, false) => Rating::Good,
    }
}

/// The proposed rating for a typed (or cloze) answer; `expected_len` is the expected answer's
/// length in characters.
#[must_use]
pub fn propose_rating(correct: bool, response: Duration, expected_len: usize) -> Rating {
    propose(correct, response, typed_slow_threshold(expected_len))
}

/// The proposed rating for a multiple-choice answer; `options_len` is the total length of the
/// options in characters.
#[must_use]
pub fn propose_choice_rating(correct: bool, response: Duration, options_len: usize) -> Rating {
    propose(correct, response, choice_slow_threshold(options_len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_grow_with_length() {
        assert_eq!(typed_slow_threshold(0), Duration::from_secs(10));
        assert_eq!(typed_slow_threshold(10), Duration::from_secs(13));
        assert_eq!(choice_slow_threshold(0), Duration::from_secs(8));
        assert_eq!(choice_slow_threshold(40), Duration::from_secs(10));
        assert!(typed_slow_threshold(usize::MAX) > Duration::from_secs(1_000_000));
    }

    #[test]
    fn wrong_right_and_slow() {
        let s = Duration::from_secs;
        assert_eq!(propose_rating(false, s(1), 5), Rating::Again);
        assert_eq!(propose_rating(false, s(100), 5), Rating::Again);
        assert_eq!(propose_rating(true, s(5), 5), Rating::Good);
        assert_eq!(propose_rating(true, s(11), 5), Rating::Good);
        assert_eq!(propose_rating(true, s(12), 5), Rating::Hard);
        assert_eq!(propose_choice_rating(true, s(7), 0), Rating::Good);
        assert_eq!(propose_choice_rating(true, s(9), 0), Rating::Hard);
        assert_eq!(propose_choice_rating(false, s(1), 0), Rating::Again);
    }
}
