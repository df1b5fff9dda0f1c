//! A character diff of a typed answer against the expected one, for showing what was wrong.

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

/// Above this many table cells the diff gives up on alignment and shows the typed text as extra
/// and the expected text as missing; keeps memory small for pathological input.
const MAX_CELLS: usize = 2_000_000;

/// A character for alignment: lower case, without accents.
fn fold(c: char) -> char {
    let lower = c.to_lowercase().next().unwrap_or(c);
    lower
        .to_string()
        .nfkd()
        .find(|d| !is_combining_mark(*d))
        .unwrap_or(lower)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Same,
    Missing,
    Extra,
}

fn push(spans: &mut Vec<DiffSpan>, op: Op, c: char) {
    let same_kind = matches!(
        (spans.last(), op),
        (Some(DiffSpan::Same(_)), Op::Same)
            | (Some(DiffSpan::Missing(_)), Op::Missing)
            | (Some(DiffSpan::Extra(_)), Op::Extra)
    );
    if same_kind
        && let Some(DiffSpan::Same(s) | DiffSpan::Missing(s) | DiffSpan::Extra(s)) =
            spans.last_mut()
    {
        s.push(c);
        return;
    }
    let s = c.to_string();
    spans.push(match op {
        Op::Same => DiffSpan::Same(s),
        Op::Missing => DiffSpan::Missing(s),
        Op::Extra => DiffSpan::Extra(s),
    });
}

/// Aligns `typed` with `expected` by a longest common subsequence of characters, ignoring case
/// and accents for the alignment. Both are first trimmed and their spaces collapsed. Where both
/// differ at the same place, the `Extra` span comes before the `Missing` one.
#[must_use]
pub fn diff(typed: &str, expected: &str) -> Vec<DiffSpan> {
    let typed: Vec<char> = baseline(typed).chars().collect();
    let expected: Vec<char> = baseline(expected).chars().collect();
    let typed_folded: Vec<char> = typed.iter().map(|c| fold(*c)).collect();
    let expected_folded: Vec<char> = expected.iter().map(|c| fold(*c)).collect();

    let prefix = typed_folded
        .iter()
        .zip(&expected_folded)
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = typed_folded[prefix..]
        .iter()
        .rev()
        .zip(expected_folded[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let typed_mid = prefix..typed.len() - suffix;
    let expected_mid = prefix..expected.len() - suffix;

    let mut spans = Vec::new();
    for &c in &expected[..prefix] {
        push(&mut spans, Op::Same, c);
    }
    let (rows, cols) = (typed_mid.len(), expected_mid.len());
    if rows.saturating_mul(cols) > MAX_CELLS {
        for &c in &typed[typed_mid] {
            push(&mut spans, Op::Extra, c);
        }
        for &c in &expected[expected_mid] {
            push(&mut spans, Op::Missing, c);
        }
    } else {
        let tm = &typed_folded[typed_mid.clone()];
        let em = &expected_folded[expected_mid.clone()];
        // lcs[row * width + col]: the LCS length of tm[row..] and em[col..].
        let width = cols + 1;
        let mut lcs = vec![0u32; (rows + 1) * width];
        for row in (0..rows).rev() {
            for col in (0..cols).rev() {
                lcs[row * width + col] = if tm[row] == em[col] {
                    lcs[(row + 1) * width + col + 1] + 1
                } else {
                    lcs[(row + 1) * width + col].max(lcs[row * width + col + 1])
                };
            }
        }
        let (mut row, mut col) = (0, 0);
        while row < rows || col < cols {
            if row < rows && col < cols && tm[row] == em[col] {
                push(&mut spans, Op::Same, expected[expected_mid.start + col]);
                row += 1;
                col += 1;
            } else if col == cols
                || (row < rows && lcs[(row + 1) * width + col] >= lcs[row * width + col + 1])
            {
                push(&mut spans, Op::Extra, typed[typed_mid.start + row]);
                row += 1;
            } else {
                push(&mut spans, Op::Missing, expected[expected_mid.start + col]);
                col += 1;
            }
        }
    }
    for &c in &expected[expected.len() - suffix..] {
        push(&mut spans, Op::Same, c);
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
    fn huge_input_falls_back_without_alignment() {
        let typed = "a".repeat(3000);
        let expected = "b".repeat(1000);
        let spans = diff(&typed, &expected);
        assert_eq!(spans, vec![extra(&typed), missing(&expected)]);
    }
}
