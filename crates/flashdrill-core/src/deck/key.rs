//! The key two answers are compared by when deciding whether they are the same answer.

use crate::quiz::normalize::{Folding, fold, fold_into};

/// How two answers are compared when deciding whether they are the same: the text folded by
/// [`fold`] (Unicode NFC, lower case, typographic quotes and dashes as ASCII ones, trimmed,
/// runs of whitespace as one space). `"  Kim  Jong Un"` and `"kim jong un"` have the same key.
#[must_use]
pub fn answer_key(s: &str) -> String {
    fold(s)
}

/// [`answer_key`] into a reused buffer (cleared first).
pub(super) fn answer_key_into(s: &str, key: &mut String) {
    key.clear();
    fold_into(s, Folding::TEXT, key);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_keys_ignore_case_spacing_and_unicode_composition() {
        assert_eq!(answer_key("  Kim \t Jong  Un "), "kim jong un");
        assert_eq!(answer_key("Caf\u{65}\u{301}"), answer_key("CAF\u{c9}"));
        assert_eq!(answer_key("\u{b}A\u{c}B\r\n"), "a b");
        assert_eq!(answer_key(" \t "), "");
        for s in ["\u{b}Kim\u{c}JONG\r\nun  ", "x", " a  b ", ""] {
            let slow: Vec<String> = s.split_whitespace().map(str::to_lowercase).collect();
            assert_eq!(answer_key(s), slow.join(" "), "{s:?}");
        }
    }
}
