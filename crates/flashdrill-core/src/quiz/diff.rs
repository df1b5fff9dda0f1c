//! A character diff of a typed answer against the expected one, for showing what was wrong.

use similar::{Algorithm, DiffTag, capture_diff_slices};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::normalize::baseline;

/// One run of a typed-vs-expected diff, in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DiffSpan {
    /// Text the typed answer got right (as written in the expected answer).
    Same(String),
    /// Expected text the typed answer lacks.
    Missing(String),
    /// Typed text the expected answer does not have.
    Extra(String),
}

impl DiffSpan {
    /// The span's text.
    #[must_use]
    pub fn text(&self) -> &str {
        match self {
            Self::Same(s) | Self::Missing(s) | Self::Extra(s) => s,
        }
    }
}

/// A character for alignment: lower case, without accents.
fn fold(c: char) -> char {
    let lower = c.to_lowercase().next().unwrap_or(c);
    lower
        .to_string()
        .nfkd()
        .find(|d| !is_combining_mark(*d))
        .unwrap_or(lower)
}

/// Appends `span` to `spans`, or its text to the last span when that is of the same kind; an
/// empty span is dropped.
fn push(spans: &mut Vec<DiffSpan>, span: DiffSpan) {
    if span.text().is_empty() {
        return;
    }
    match (spans.last_mut(), &span) {
        (Some(DiffSpan::Same(last)), DiffSpan::Same(more))
        | (Some(DiffSpan::Missing(last)), DiffSpan::Missing(more))
        | (Some(DiffSpan::Extra(last)), DiffSpan::Extra(more)) => last.push_str(more),
        _ => spans.push(span),
    }
}

/// Aligns `typed` with `expected` by a shortest edit script of characters (`similar`'s Myers
/// diff, which settles for a near-shortest one on pathological input to bound the work),
/// ignoring case and accents for the alignment. Both are first trimmed and
/// their spaces collapsed. Where both differ at the same place, the `Extra` span comes before
/// the `Missing` one.
#[must_use]
pub fn diff(typed: &str, expected: &str) -> Vec<DiffSpan> {
    let typed: Vec<char> = baseline(typed).chars().collect();
    let expected: Vec<char> = baseline(expected).chars().collect();
    let typed_folded: Vec<char> = typed.iter().map(|c| fold(*c)).collect();
    let expected_folded: Vec<char> = expected.iter().map(|c| fold(*c)).collect();

    let mut spans = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &typed_folded, &expected_folded) {
        let (tag, old, new) = op.as_tag_tuple();
        let typed_part: String = typed[old].iter().collect();
        let expected_part: String = expected[new].iter().collect();
        match tag {
            DiffTag::Equal => push(&mut spans, DiffSpan::Same(expected_part)),
            DiffTag::Delete => push(&mut spans, DiffSpan::Extra(typed_part)),
            DiffTag::Insert => push(&mut spans, DiffSpan::Missing(expected_part)),
            DiffTag::Replace => {
                push(&mut spans, DiffSpan::Extra(typed_part));
                push(&mut spans, DiffSpan::Missing(expected_part));
            }
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(s: &str) -> DiffSpan {
        DiffSpan::Same(s.into())
    }
    fn missing(s: &str) -> DiffSpan {
        DiffSpan::Missing(s.into())
    }
    fn extra(s: &str) -> DiffSpan {
        DiffSpan::Extra(s.into())
    }

    #[test]
    fn identical_is_one_same_span() {
        assert_eq!(diff("Paris", "Paris"), vec![same("Paris")]);
    }

    #[test]
    fn missing_and_extra_letters() {
        assert_eq!(diff("Pyongyang", "Pyongyang"), vec![same("Pyongyang")]);
        assert_eq!(
            diff("Pyonyang", "Pyongyang"),
            vec![same("Pyon"), missing("g"), same("yang")]
        );
        assert_eq!(
            diff("Parris", "Paris"),
            vec![same("Par"), extra("r"), same("is")]
        );
    }

    #[test]
    fn substitution_shows_extra_then_missing() {
        assert_eq!(
            diff("Kim Jong Il", "Kim Jong Un"),
            vec![same("Kim Jong "), extra("Il"), missing("Un")]
        );
    }

    #[test]
    fn alignment_ignores_case_and_accents_and_shows_expected_text() {
        assert_eq!(diff("sao paulo", "São Paulo"), vec![same("São Paulo")]);
        assert_eq!(
            diff("sao paolo", "São Paulo"),
            vec![same("São Pa"), extra("o"), missing("u"), same("lo")]
        );
    }

    #[test]
    fn empty_sides() {
        assert_eq!(diff("", "Paris"), vec![missing("Paris")]);
        assert_eq!(diff("Paris", ""), vec![extra("Paris")]);
        assert_eq!(diff("", ""), Vec::<DiffSpan>::new());
    }

    #[test]
    fn spans_rebuild_both_strings() {
        for (t, e) in [
            ("Kim Jong-un", "Kim Jong Un"),
            ("Septmber 2022", "September 2022"),
            ("x", "abc"),
            ("🦀 rust", "rust 🦀"),
        ] {
            let spans = diff(t, e);
            let typed: String = spans
                .iter()
                .filter(|s| !matches!(s, DiffSpan::Missing(_)))
                .map(DiffSpan::text)
                .collect();
            let expected: String = spans
                .iter()
                .filter(|s| !matches!(s, DiffSpan::Extra(_)))
                .map(DiffSpan::text)
                .collect();
            assert_eq!(fold_all(&typed), fold_all(t));
            assert_eq!(expected, e);
        }
    }

    fn fold_all(s: &str) -> String {
        s.chars().map(fold).collect()
    }

    #[test]
    fn huge_input_with_nothing_in_common_is_extra_then_missing() {
        let typed = "a".repeat(3000);
        let expected = "b".repeat(1000);
        let spans = diff(&typed, &expected);
        assert_eq!(spans, vec![extra(&typed), missing(&expected)]);
    }
}
