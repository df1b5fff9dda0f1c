//! Whether two answers are the same answer: leniently equal, equal in value, or the same date.

use super::dates::{DateReading, read_date};
use super::normalize::{loose_key, value_key};

/// Everything needed to decide whether two answers are the same answer, computed once.
#[derive(Debug, Clone)]
pub(crate) struct AnswerKey {
    pub loose: String,
    pub value: String,
    pub date: Option<DateReading>,
}

impl AnswerKey {
    pub fn new(s: &str) -> Self {
        Self {
            loose: loose_key(s),
            value: value_key(s),
            date: read_date(s),
        }
    }

    /// Whether the two are the same answer: equal leniently, by numeric value, or by date.
    pub fn same_as(&self, other: &Self) -> bool {
        if self.loose.is_empty() || other.loose.is_empty() {
            return self.loose == other.loose;
        }
        self.loose == other.loose
            || self.value == other.value
            || match (&self.date, &other.date) {
                (Some(a), Some(b)) => a.dates.iter().any(|d| b.dates.contains(d)),
                _ => false,
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_the_same_leniently_by_value_or_by_date() {
        let same = |a: &str, b: &str| AnswerKey::new(a).same_as(&AnswerKey::new(b));
        assert!(same("The Hague", "the hague"));
        assert!(same("1,000", "1000"));
        assert!(same("September 2022", "2022-09"));
        assert!(!same("2022-09", "2022-10"));
        assert!(!same("", "x"));
        assert!(same("", " "));
    }
}
