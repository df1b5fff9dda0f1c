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
    if same_kind && let Some(DiffSpan::Same(s) | DiffSpan::Missing(s) | DiffSpan::Extra(s)) =
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
    let t: Vec<char> = baseline(typed).chars().collect();
    let e: Vec<char> = baseline(expected).chars().collect();
    let tf: Vec<char> = t.iter().map(|c| fold(*c)).collect();
    let ef: Vec<char> = e.iter().map(|c| fold(*c)).collect();

    let prefix = tf.iter().zip(&ef).take_while(|(a, b)| a == b).count();
    let suffix = tf[prefix..]
        .iter()
        .rev()
        .zip(ef[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (t_mid, e_mid) = (
        prefix..t.len() - suffix,
        prefix..e.len() - suffix,
    );

    let mut spans = Vec::new();
    for &c in &e[..prefix] {
        push(&mut spans, Op::Same, c);
    }
    let (n, m) = (t_mid.len(), e_mid.len());
    if n.saturating_mul(m) > MAX_CELLS {
        for &c in &t[t_mid] {
            push(&mut spans, Op::Extra, c);
        }
        for &c in &e[e_mid] {
            push(&mut spans, Op::Missing, c);
        }
    } else {
        let (tm, em) = (&tf[t_mid.clone()], &ef[e_mid.clone()]);
        // lcs[i * (m + 1) + j]: the LCS length of tm[i..] and em[j..].
        let w = m + 1;
        let mut lcs = vec![0u32; (n + 1) * w];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * w + j] = if tm[i] == em[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && tm[i] == em[j] {
                push(&mut spans, Op::Same, e[e_mid.start + j]);
                i += 1;
                j += 1;
            } else if j == m || (i < n && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
                push(&mut spans, Op::Extra, t[t_mid.start + i]);
                i += 1;
            } else {
                push(&mut spans, Op::Missing, e[e_mid.start + j]);
                j += 1;
            }
        }
    }
    for &c in &e[e.len() - suffix..] {
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
        assert_eq!(
            diff("Pyongyang", "Pyongyang"),
            vec![same("Pyongyang")]
        );
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
