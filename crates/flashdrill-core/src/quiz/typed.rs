//! Marking a typed answer: exact, leniently equal, by value, with one typo, or wrong.

use crate::deck::{Card, PartialDate};

use super::dates::read_date;
use super::diff::{DiffSpan, diff};
use super::normalize::{Forgiven, Lenience, baseline, is_dash, is_number_word, key, value_key};

/// How a typed answer was marked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MarkKind {
    /// The answer as expected (ignoring only surrounding and repeated spaces).
    Exact,
    /// Right once the listed differences are forgiven (never empty). `Alternative` means it
    /// matched one of the card's accepted alternatives.
    Lenient(Vec<Forgiven>),
    /// Right with one typo (a letter missing, extra, wrong, or two letters swapped). Only for
    /// answers of six or more letters, and never in digits or number words. Also a date whose
    /// long month name was misspelt ("Febuary 2020").
    Typo,
    /// Right by value: the same number ("1,000", "1 000", "one thousand") or the same date at
    /// the same precision ("Sept. 2022" for "2022-09").
    ByValue,
    /// Wrong.
    Wrong,
    /// Nothing typed (only spaces or invisible characters). Counts as wrong.
    Empty,
}

/// The verdict on a typed answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marking {
    pub correct: bool,
    pub kind: MarkKind,
    /// The answer to show as the right one (the card's answer, or the cloze blank's text).
    pub expected: String,
    /// The answer or accepted alternative the typed text matched; `None` when wrong.
    pub matched: Option<String>,
    /// The typed text against `expected`, character by character (see [`diff`]).
    pub diff: Vec<DiffSpan>,
}

impl Marking {
    /// A wrong answer close to the right one: at least half the right answer's letters and
    /// digits are in it, in order ("Kim Jung Un" for "Kim Jong Un", "1999" for "2000" is
    /// not). An answer that is entirely wrong, or empty, is not a near miss.
    #[must_use]
    pub fn near_miss(&self) -> bool {
        if self.correct || self.kind == MarkKind::Empty {
            return false;
        }
        let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).count();
        let same: usize = self
            .diff
            .iter()
            .filter_map(|span| match span {
                DiffSpan::Same(s) => Some(letters(s)),
                _ => None,
            })
            .sum();
        let expected = letters(&self.expected);
        expected > 0 && same * 2 >= expected
    }
}

/// Answers need at least this many letters before one typo is forgiven.
pub const TYPO_MIN_LETTERS: usize = 6;

/// Marks `typed` against the card's answer and its `accept` alternatives.
///
/// As [`check_text`], and a date answer is also right at the precision the card asks for
/// (see `asked_precision`): "June 2024" is right for "19 June 2024" when the prompt asks
/// "In which month and year…" or the card's `date` is `2024-06`, and "2024" when it asks
/// "In which year…". A day typed anyway must be the right one.
#[must_use]
pub fn check_typed(card: &Card, typed: &str) -> Marking {
    let marking = check_text(&card.answer, &card.accept, typed);
    if marking.correct || !within_asked_precision(card, typed) {
        return marking;
    }
    Marking {
        correct: true,
        kind: MarkKind::ByValue,
        matched: Some(card.answer.clone()),
        ..marking
    }
}

/// How precise a date is: 1 for a year, 2 for a month, 3 for a day.
fn precision(d: PartialDate) -> u8 {
    1 + u8::from(d.month.is_some()) + u8::from(d.day.is_some())
}

/// The precision a date card asks for: a year when the prompt asks "which year" / "what
/// year", a month when it asks "which month" / "what month" / "month and year", else the
/// precision of the card's `date` (the source's own precision). `None` when neither says.
fn asked_precision(card: &Card) -> Option<u8> {
    let prompt = card.prompt.to_lowercase();
    let asks = |words: &[&str]| words.iter().any(|w| prompt.contains(w));
    if asks(&["which month", "what month", "month and year"]) {
        Some(2)
    } else if asks(&["which year", "what year"]) {
        Some(1)
    } else {
        card.partial_date().map(precision)
    }
}

/// Whether `typed` is the card's date answer at the precision the card asks for, though more
/// or less precise than the answer: nothing the card asks for is missing, and every part typed
/// that the answer also has agrees with it ("July 2000" for a card that asks the year 2000;
/// "June 2024" for one whose answer is 19 June 2024 and that asks the month).
fn within_asked_precision(card: &Card, typed: &str) -> bool {
    let (Some(asked), Some(answer), Some(typed)) = (
        asked_precision(card),
        read_date(&card.answer),
        read_date(typed),
    ) else {
        return false;
    };
    let agree = |t: Option<u8>, a: Option<u8>| t.is_none() || a.is_none() || t == a;
    answer.dates.iter().any(|a| {
        typed.dates.iter().any(|t| {
            precision(*t) >= asked
                && t.year == a.year
                && agree(t.month, a.month)
                && agree(t.day, a.day)
        })
    })
}

/// The items of a list answer ("A, B and C", "A; B & C", "A, B, and C"), each trimmed;
/// `None` unless there are at least two non-empty items.
fn list_items(s: &str) -> Option<Vec<&str>> {
    let mut items = Vec::new();
    for part in s.split([',', ';', '&']) {
        let mut rest = part;
        while let Some(at) = find_word(rest, "and") {
            items.push(&rest[..at]);
            rest = &rest[at + 3..];
        }
        items.push(rest);
    }
    let items: Vec<&str> = items
        .into_iter()
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .collect();
    (items.len() >= 2).then_some(items)
}

/// The byte offset of `word` standing alone (between spaces or at either end) in `s`.
fn find_word(s: &str, word: &str) -> Option<usize> {
    let lower = s.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(word) {
        let at = from + i;
        let end = at + word.len();
        let before = lower[..at].chars().next_back();
        let after = lower[end..].chars().next();
        if before.is_none_or(char::is_whitespace) && after.is_none_or(char::is_whitespace) {
            return Some(at);
        }
        from = end;
    }
    None
}

/// Whether `typed` lists the same items as `target` (each leniently equal), and whether it
/// needed them in another order. `None` when either is not a list or the items differ.
fn same_list(typed: &str, target: &str) -> Option<bool> {
    let typed_items: Vec<String> = list_items(typed)?
        .into_iter()
        .map(|i| key(i, Lenience::ALL))
        .collect();
    let mut target_items: Vec<String> = list_items(target)?
        .into_iter()
        .map(|i| key(i, Lenience::ALL))
        .collect();
    if typed_items.len() != target_items.len() || typed_items.iter().any(String::is_empty) {
        return None;
    }
    let reordered = typed_items != target_items;
    for item in &typed_items {
        let at = target_items.iter().position(|t| t == item)?;
        target_items.swap_remove(at);
    }
    Some(reordered)
}

/// Marks `typed` against `expected` and `alternatives` (any of which counts as right).
///
/// Tried in order, the first that applies wins: empty; exact; exactly an alternative; leniently
/// equal to the answer, then to an alternative (case, accents, punctuation, spacing and hyphens,
/// a leading "the", typographic quotes); the same date at the same precision; the same numbers;
/// the same list in any order ("C, A and B" for "A, B and C", each item leniently equal); one
/// typo; otherwise wrong.
///
/// Dates are strict about precision: "2022" is not "September 2022", and neither is
/// "18 September 2022". A numeric date whose day and month could be either way round
/// ("05/06/2024") is right if either reading is the expected date.
#[must_use]
pub fn check_text(expected: &str, alternatives: &[String], typed: &str) -> Marking {
    let mark = |kind: MarkKind, matched: Option<&str>| Marking {
        correct: !matches!(kind, MarkKind::Wrong | MarkKind::Empty),
        kind,
        expected: expected.to_owned(),
        matched: matched.map(str::to_owned),
        diff: diff(typed, expected),
    };
    let typed_base = baseline(typed);
    if typed_base.is_empty() {
        return mark(MarkKind::Empty, None);
    }
    let targets: Vec<&str> = std::iter::once(expected)
        .chain(alternatives.iter().map(String::as_str))
        .filter(|t| !baseline(t).is_empty())
        .collect();
    let is_alt = |i: usize| i > 0;

    for (i, t) in targets.iter().enumerate() {
        if baseline(t) == typed_base {
            let kind = if is_alt(i) {
                MarkKind::Lenient(vec![Forgiven::Alternative])
            } else {
                MarkKind::Exact
            };
            return mark(kind, Some(t));
        }
    }

    let typed_loose = key(typed, Lenience::ALL);
    if !typed_loose.is_empty() {
        for (i, t) in targets.iter().enumerate() {
            if key(t, Lenience::ALL) == typed_loose {
                let mut forgiven = forgiven(typed, t);
                if is_alt(i) {
                    forgiven.push(Forgiven::Alternative);
                }
                return mark(MarkKind::Lenient(forgiven), Some(t));
            }
        }
    }

    if let Some(typed_date) = read_date(typed) {
        for t in &targets {
            if let Some(target_date) = read_date(t)
                && typed_date
                    .dates
                    .iter()
                    .any(|d| target_date.dates.contains(d))
            {
                let kind = if typed_date.fuzzy_month {
                    MarkKind::Typo
                } else {
                    MarkKind::ByValue
                };
                return mark(kind, Some(t));
            }
        }
    }

    let typed_value = value_key(typed);
    if !typed_value.is_empty() {
        for t in &targets {
            if value_key(t) == typed_value {
                return mark(MarkKind::ByValue, Some(t));
            }
        }
    }

    for (i, t) in targets.iter().enumerate() {
        if let Some(reordered) = same_list(typed, t) {
            let mut forgiven = vec![if reordered {
                Forgiven::Order
            } else {
                Forgiven::Punctuation
            }];
            if is_alt(i) {
                forgiven.push(Forgiven::Alternative);
            }
            return mark(MarkKind::Lenient(forgiven), Some(t));
        }
    }

    for t in &targets {
        if one_typo(&typed_loose, typed, t) {
            return mark(MarkKind::Typo, Some(t));
        }
    }
    mark(MarkKind::Wrong, None)
}

/// The smallest set of leniencies (found greedily, broadest dropped first) under which `typed`
/// still equals `target`. Callers ensure they are equal under all of them.
fn forgiven(typed: &str, target: &str) -> Vec<Forgiven> {
    let mut lenience = Lenience::ALL;
    for f in Lenience::DROP_ORDER {
        let fewer = lenience.without(f);
        if key(typed, fewer) == key(target, fewer) {
            lenience = fewer;
        }
    }
    let mut out: Vec<Forgiven> = Lenience::DROP_ORDER
        .into_iter()
        .filter(|f| lenience.has(*f))
        .collect();
    out.sort();
    out
}

fn has_number_word(s: &str) -> bool {
    key(s, Lenience::ALL.without(Forgiven::Spacing))
        .split(|c: char| c.is_whitespace() || is_dash(c))
        .any(is_number_word)
}

/// Whether `typed` is `target` with one typo, where typos are forgiven: the target has at least
/// [`TYPO_MIN_LETTERS`] letters, the digits of both are the same, and neither uses number words.
fn one_typo(typed_loose: &str, typed: &str, target: &str) -> bool {
    let target_loose = key(target, Lenience::ALL);
    let letters = target_loose.chars().filter(|c| c.is_alphabetic()).count();
    if letters < TYPO_MIN_LETTERS {
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (
        typed_loose.chars().collect(),
        target_loose.chars().collect(),
    );
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let digits =
        |s: &[char]| -> Vec<char> { s.iter().copied().filter(char::is_ascii_digit).collect() };
    if digits(&a) != digits(&b) || has_number_word(typed) || has_number_word(target) {
        return false;
    }
    within_one_edit(&a, &b)
}

/// Damerau–Levenshtein distance ≤ 1 (one insertion, deletion, substitution or swap of adjacent
/// characters), in linear time and without allocating, whatever the length.
fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let p = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if p == short.len() {
        return long.len() - short.len() <= 1;
    }
    match long.len() - short.len() {
        0 => {
            short[p + 1..] == long[p + 1..]
                || (p + 1 < short.len()
                    && short[p] == long[p + 1]
                    && short[p + 1] == long[p]
                    && short[p + 2..] == long[p + 2..])
        }
        1 => short[p..] == long[p + 1..],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn near_misses_are_told_from_answers_entirely_wrong() {
        use crate::quiz::test_support::card;
        let c = card("a", "actor", "Kim Jong Un");
        assert!(check_typed(&c, "Kim Jung Il").near_miss());
        assert!(!check_typed(&c, "nonsense").near_miss());
        assert!(!check_typed(&c, "").near_miss());
        assert!(!check_typed(&c, "Kim Jong Un").near_miss());
        let year = card("y", "date", "2000");
        assert!(!check_typed(&year, "nonsense").near_miss());
    }

    use super::*;

    fn check(expected: &str, typed: &str) -> Marking {
        check_text(expected, &[], typed)
    }

    fn kind(expected: &str, typed: &str) -> MarkKind {
        check(expected, typed).kind
    }

    fn lenient(fs: &[Forgiven]) -> MarkKind {
        MarkKind::Lenient(fs.to_vec())
    }

    #[test]
    fn exact_ignores_surrounding_spaces() {
        assert_eq!(kind("Paris", "Paris"), MarkKind::Exact);
        assert_eq!(kind("Kim Jong Un", "  Kim  Jong Un "), MarkKind::Exact);
        let m = check("Paris", "Paris");
        assert!(m.correct);
        assert_eq!(m.matched.as_deref(), Some("Paris"));
        assert_eq!(m.expected, "Paris");
    }

    #[test]
    fn empty_is_wrong() {
        for t in ["", "   ", "\t\n", "\u{200B}"] {
            let m = check("Paris", t);
            assert_eq!(m.kind, MarkKind::Empty, "{t:?}");
            assert!(!m.correct);
            assert_eq!(m.matched, None);
            assert_eq!(m.diff, vec![DiffSpan::Missing("Paris".into())]);
        }
    }

    #[test]
    fn case_is_forgiven() {
        assert_eq!(kind("Paris", "paris"), lenient(&[Forgiven::Case]));
        assert_eq!(kind("Paris", "PARIS"), lenient(&[Forgiven::Case]));
    }

    #[test]
    fn accents_are_forgiven() {
        assert_eq!(
            kind("São Paulo", "Sao Paulo"),
            lenient(&[Forgiven::Accents])
        );
        assert_eq!(
            kind("Zürich", "zurich"),
            lenient(&[Forgiven::Case, Forgiven::Accents])
        );
        assert_eq!(
            kind("Ho Chi Minh", "Hồ Chí Minh"),
            lenient(&[Forgiven::Accents])
        );
    }

    #[test]
    fn punctuation_is_forgiven() {
        assert_eq!(kind("U.S.", "US"), lenient(&[Forgiven::Punctuation]));
        assert_eq!(kind("O'Brien", "OBrien"), lenient(&[Forgiven::Punctuation]));
        assert_eq!(kind("Paris", "Paris!"), lenient(&[Forgiven::Punctuation]));
        assert_eq!(
            kind("Tom & Jerry", "Tom and Jerry"),
            lenient(&[Forgiven::Punctuation])
        );
    }

    #[test]
    fn spacing_and_hyphens_are_forgiven() {
        assert_eq!(
            kind("Kim Jong Un", "Kim Jong-un"),
            lenient(&[Forgiven::Case, Forgiven::Spacing])
        );
        assert_eq!(
            kind("Kim Jong Un", "Kim Jong-Un"),
            lenient(&[Forgiven::Spacing])
        );
        assert_eq!(
            kind("Kim Jong Un", "KimJongUn"),
            lenient(&[Forgiven::Spacing])
        );
        assert_eq!(
            kind("Jean-Paul Sartre", "Jean–Paul Sartre"),
            lenient(&[Forgiven::Spacing])
        );
    }

    #[test]
    fn leading_the_is_forgiven() {
        assert_eq!(kind("The Hague", "Hague"), lenient(&[Forgiven::LeadingThe]));
        assert_eq!(kind("Hague", "the Hague"), lenient(&[Forgiven::LeadingThe]));
        assert_eq!(kind("The Hague", "the hague"), lenient(&[Forgiven::Case]));
        // "the" alone is not stripped to nothing.
        assert_eq!(kind("The", "the"), lenient(&[Forgiven::Case]));
        // Only a leading "the".
        assert_eq!(
            kind("Tower of London", "Tower of the London"),
            MarkKind::Wrong
        );
    }

    #[test]
    fn typographic_quotes_are_forgiven() {
        assert_eq!(kind("O’Brien", "O'Brien"), lenient(&[Forgiven::Quotes]));
        assert_eq!(
            kind("“Ode to Joy”", "\"Ode to Joy\""),
            lenient(&[Forgiven::Quotes])
        );
    }

    #[test]
    fn alternatives_are_accepted() {
        let accept = vec!["Kim Jong-un".to_owned(), "Marshal Kim".to_owned()];
        let m = check_text("Kim Jong Un", &accept, "Marshal Kim");
        assert_eq!(m.kind, lenient(&[Forgiven::Alternative]));
        assert!(m.correct);
        assert_eq!(m.matched.as_deref(), Some("Marshal Kim"));
        assert_eq!(m.expected, "Kim Jong Un");
        let m = check_text("Kim Jong Un", &accept, "marshal kim");
        assert_eq!(m.kind, lenient(&[Forgiven::Case, Forgiven::Alternative]));
        // The answer is preferred over an alternative when both match.
        let m = check_text("Kim Jong Un", &accept, "kim jong-un");
        assert_eq!(m.matched.as_deref(), Some("Kim Jong Un"));
    }

    #[test]
    fn one_typo_only_in_answers_of_six_letters_or_more() {
        assert_eq!(kind("Pyongyang", "Pyongyan"), MarkKind::Typo);
        assert_eq!(kind("Pyongyang", "Pyonygang"), MarkKind::Typo);
        assert_eq!(kind("Pyongyang", "pyongyagn"), MarkKind::Typo);
        assert_eq!(kind("Pyongyang", "Pyongyxng"), MarkKind::Typo);
        assert_eq!(kind("Pyongyang", "Pyonyan"), MarkKind::Wrong);
        assert_eq!(kind("Berlin", "Berlim"), MarkKind::Typo);
        assert_eq!(kind("Paris", "Pariss"), MarkKind::Wrong);
        assert_eq!(kind("Seoul", "Seul"), MarkKind::Wrong);
        assert!(check("Pyongyang", "Pyongyan").correct);
    }

    proptest::proptest! {
        #[test]
        fn one_edit_agrees_with_strsim(a in "[abc]{0,7}", b in "[abc]{0,7}") {
            let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            proptest::prop_assert_eq!(
                within_one_edit(&x, &y),
                strsim::damerau_levenshtein(&a, &b) <= 1
            );
        }
    }

    #[test]
    fn no_typos_in_numbers_or_dates() {
        assert_eq!(kind("2022", "2023"), MarkKind::Wrong);
        assert_eq!(kind("September 2022", "September 2023"), MarkKind::Wrong);
        assert_eq!(kind("Apollo 11", "Apollo 12"), MarkKind::Wrong);
        assert_eq!(kind("seventeen", "seventeem"), MarkKind::Wrong);
        assert_eq!(kind("Fifth Avenue", "Fifty Avenue"), MarkKind::Wrong);
        // A typo in the letters next to unchanged digits is fine.
        assert_eq!(kind("Apollo 11", "Apolo 11"), MarkKind::Typo);
    }

    #[test]
    fn numbers_by_value() {
        for t in ["1000", "1 000", "one thousand", "1,000.0"] {
            assert_eq!(kind("1,000", t), MarkKind::ByValue, "{t}");
        }
        assert_eq!(kind("1000", "1000"), MarkKind::Exact);
        assert_eq!(kind("7", "seven"), MarkKind::ByValue);
        assert_eq!(kind("seven", "7"), MarkKind::ByValue);
        assert_eq!(kind("twenty", "20"), MarkKind::ByValue);
        assert_eq!(kind("270", "two hundred seventy"), MarkKind::ByValue);
        assert_eq!(kind("270", "two hundred and seventy"), MarkKind::ByValue);
        assert_eq!(
            kind("about 8,000 troops", "about 8000 troops"),
            MarkKind::ByValue
        );
        assert_eq!(kind("1.5", "15"), MarkKind::Wrong);
        assert_eq!(kind("1000", "100"), MarkKind::Wrong);
        assert_eq!(kind("7", "eight"), MarkKind::Wrong);
    }

    #[test]
    fn dates_by_value_at_the_same_precision() {
        for t in [
            "Sept. 2022",
            "September 2022",
            "Sep 2022",
            "2022-09",
            "09/2022",
            "september 2022",
        ] {
            let m = check("2022-09", t);
            assert!(m.correct, "{t}");
        }
        for t in ["Sept. 2022", "Sep 2022", "2022-09", "09/2022", "9/2022"] {
            assert_eq!(kind("September 2022", t), MarkKind::ByValue, "{t}");
        }
        assert_eq!(kind("September 2022", "2022"), MarkKind::Wrong);
        assert_eq!(kind("2022-09", "2022"), MarkKind::Wrong);
        assert_eq!(kind("2022-09", "18 September 2022"), MarkKind::Wrong);
        assert_eq!(kind("2022", "September 2022"), MarkKind::Wrong);
        assert_eq!(kind("18 June 2024", "June 18, 2024"), MarkKind::ByValue);
        assert_eq!(kind("18 June 2024", "2024-06-18"), MarkKind::ByValue);
        assert_eq!(kind("18 June 2024", "June 2024"), MarkKind::Wrong);
        assert_eq!(kind("18 June 2024", "19 June 2024"), MarkKind::Wrong);
        assert_eq!(kind("February 2020", "Febuary 2020"), MarkKind::Typo);
    }

    #[test]
    fn a_list_is_right_in_any_order() {
        let expected = "Russia, North Korea and China";
        for t in [
            "China, North Korea and Russia",
            "north korea, china, russia",
            "China & Russia & North Korea",
            "Russia, China, and North Korea",
        ] {
            assert_eq!(kind(expected, t), lenient(&[Forgiven::Order]), "{t}");
        }
        assert_eq!(
            kind(expected, "Russia, North Korea, China"),
            lenient(&[Forgiven::Punctuation])
        );
        assert_eq!(
            kind(
                "the United States, Japan and South Korea",
                "South Korea, Japan and the US"
            ),
            MarkKind::Wrong,
            "an item must match on its own"
        );
        assert_eq!(
            kind(
                "the United States, Japan and South Korea",
                "South Korea, Japan and United States"
            ),
            lenient(&[Forgiven::Order])
        );
        for t in [
            "China and Russia",
            "Russia, North Korea, China and Japan",
            "Russia, Russia, China",
        ] {
            assert_eq!(kind(expected, t), MarkKind::Wrong, "{t}");
        }
        let m = check_text(
            "Kim Jong Un",
            &["Moscow and Pyongyang".into()],
            "Pyongyang and Moscow",
        );
        assert_eq!(m.kind, lenient(&[Forgiven::Order, Forgiven::Alternative]));
        // Words containing "and" are not split.
        assert_eq!(
            list_items("Andes and Sandwich"),
            Some(vec!["Andes", "Sandwich"])
        );
        assert_eq!(list_items("Kim Jong Un"), None);
    }

    #[test]
    fn a_date_is_right_at_the_precision_the_card_asks_for() {
        let mut c = crate::quiz::test_support::card("treaty", "date", "19 June 2024");
        c.prompt = "In which month and year did Putin and Kim sign the treaty?".into();
        c.date = Some("2024-06-19".into());
        for t in ["June 2024", "2024-06", "19 June 2024", "June 19, 2024"] {
            assert!(check_typed(&c, t).correct, "{t}");
        }
        assert_eq!(check_typed(&c, "June 2024").kind, MarkKind::ByValue);
        for t in ["2024", "May 2024", "20 June 2024", "June 2023"] {
            assert!(!check_typed(&c, t).correct, "{t}");
        }
        // The card's own date says how precise the source is.
        c.prompt = "When did Putin and Kim sign the treaty?".into();
        c.date = Some("2024-06".into());
        assert!(check_typed(&c, "June 2024").correct);
        assert!(!check_typed(&c, "2024").correct);
        c.prompt = "In which year did Putin and Kim sign the treaty?".into();
        assert!(check_typed(&c, "2024").correct);
        assert!(check_typed(&c, "June 2024").correct);
        assert!(!check_typed(&c, "2023").correct);
        // More precise than the card asks: right when the year agrees.
        c.answer = "2024".into();
        c.date = Some("2024".into());
        assert!(check_typed(&c, "June 2024").correct);
        assert!(check_typed(&c, "19 June 2024").correct);
        assert!(!check_typed(&c, "June 2023").correct);
        // Without a date or a precision in the prompt, the answer's own precision holds.
        c.prompt = "When?".into();
        c.date = None;
        assert!(!check_typed(&c, "June 2024").correct);
    }

    #[test]
    fn wrong_answers_carry_a_diff() {
        let m = check("Kim Jong Un", "Kim Jong Il");
        assert_eq!(m.kind, MarkKind::Wrong);
        assert!(!m.correct);
        assert_eq!(
            m.diff,
            vec![
                DiffSpan::Same("Kim Jong ".into()),
                DiffSpan::Extra("Il".into()),
                DiffSpan::Missing("Un".into()),
            ]
        );
    }

    #[test]
    fn punctuation_only_answers_do_not_match_everything() {
        assert_eq!(kind("?!", "..."), MarkKind::Wrong);
        assert_eq!(kind("Paris", "..."), MarkKind::Wrong);
        assert_eq!(kind("C++", "C"), MarkKind::Wrong);
        assert_eq!(kind("50%", "50"), MarkKind::Wrong);
    }

    #[test]
    fn odd_input_does_not_panic() {
        let long = "x".repeat(10_000);
        for t in [
            "🦀🦀🦀",
            "שלום",
            "\u{202E}sirap",
            "\u{0}\u{1}\u{7f}",
            long.as_str(),
            "e\u{301}\u{301}\u{301}",
            "-",
            "--5",
            "1,,000",
            ".5",
            "5.",
            "$",
            "%",
            "9999999999999999999999999 billion",
            "ninety nine hundred thousand million billion",
        ] {
            let _ = check("Paris", t);
            let _ = check(t, t);
            let _ = check(t, "Paris");
        }
        let m = check("Paris", &long);
        assert_eq!(m.kind, MarkKind::Wrong);
    }
}
