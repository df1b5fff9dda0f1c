//! Normalising answers for comparison: the lenient keys and the value keys used to mark typed
//! answers, choose distractors and avoid duplicate options.
//!
//! Every function here works on arbitrary text (emoji, right-to-left scripts, control characters,
//! very long strings) without panicking: it only iterates over `char`s and never slices bytes.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A difference between a typed answer and the expected one that marking forgave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Forgiven {
    /// Upper/lower case ("paris" for "Paris").
    Case,
    /// Accents and other diacritics ("Sao Paulo" for "São Paulo").
    Accents,
    /// Punctuation ("US" for "U.S.", "OBrien" for "O'Brien").
    Punctuation,
    /// Spaces and hyphens ("Kim Jong-un" for "Kim Jong Un").
    Spacing,
    /// A leading "the" ("Hague" for "The Hague").
    LeadingThe,
    /// Typographic quotes and apostrophes ("O'Brien" for "O’Brien").
    Quotes,
    /// The answer matched one of the card's accepted alternatives rather than its answer.
    Alternative,
    /// The items of a list answer in another order ("B, A and C" for "A, B and C").
    Order,
}

impl Forgiven {
    /// A short phrase for the UI ("case", "accents", …).
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Case => "case",
            Self::Accents => "accents",
            Self::Punctuation => "punctuation",
            Self::Spacing => "spacing and hyphens",
            Self::LeadingThe => "a leading \"the\"",
            Self::Quotes => "quote marks",
            Self::Alternative => "an accepted alternative",
            Self::Order => "the order of the list",
        }
    }
}

/// Which leniencies a key applies, as a set of [`Forgiven`] steps (`Alternative` is not a step).
/// Each one can be switched off on its own, so marking can find out which of them a match
/// actually needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lenience(u8);

impl Lenience {
    pub const NONE: Self = Self(0);
    pub const ALL: Self = Self(0b11_1111);

    /// The lenient steps in the order marking tries to do without them: broad ones first, so
    /// that the narrowest explanation of a match is the one reported.
    pub const DROP_ORDER: [Forgiven; 6] = [
        Forgiven::Punctuation,
        Forgiven::Spacing,
        Forgiven::Case,
        Forgiven::Accents,
        Forgiven::LeadingThe,
        Forgiven::Quotes,
    ];

    const fn bit(f: Forgiven) -> u8 {
        match f {
            Forgiven::Case => 1,
            Forgiven::Accents => 1 << 1,
            Forgiven::Punctuation => 1 << 2,
            Forgiven::Spacing => 1 << 3,
            Forgiven::LeadingThe => 1 << 4,
            Forgiven::Quotes => 1 << 5,
            Forgiven::Alternative | Forgiven::Order => 0,
        }
    }

    #[must_use]
    pub const fn with(self, f: Forgiven) -> Self {
        Self(self.0 | Self::bit(f))
    }

    #[must_use]
    pub const fn without(self, f: Forgiven) -> Self {
        Self(self.0 & !Self::bit(f))
    }

    pub const fn has(self, f: Forgiven) -> bool {
        Self::bit(f) != 0 && self.0 & Self::bit(f) != 0
    }
}

/// Invisible formatting characters that never carry meaning in an answer.
fn is_invisible(c: char) -> bool {
    (c.is_control() && !c.is_whitespace())
        || matches!(
            c,
            '\u{00AD}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// What [`fold_with`] folds. It always composes (Unicode NFC), drops invisible formatting
/// characters (zero-width spaces, direction marks, soft hyphens, control characters) and turns
/// every run of whitespace — non-breaking spaces, tabs, line breaks — into one space, trimmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "four independent switches, each named where it is used"
)]
pub struct Folding {
    /// Typographic quotes and apostrophes as ASCII ones (`’` → `'`, `“ ” « »` → `"`).
    pub quotes: bool,
    /// Every dash and hyphen (en, em, minus, figure dash, …) as `-`.
    pub dashes: bool,
    /// Lower case (full Unicode lower-casing: `İ`, `Σ`).
    pub case: bool,
    /// Without accents and other combining marks, compatibility characters decomposed
    /// (Unicode NFKD): `São` → `Sao`, `ﬁ` → `fi`.
    pub accents: bool,
}

impl Folding {
    /// Only composition, invisible characters and whitespace.
    pub const NONE: Self = Self {
        quotes: false,
        dashes: false,
        case: false,
        accents: false,
    };
    /// Typography only (quotes, dashes, spaces): whether a card's `source` is word for word in
    /// its article.
    pub const VERBATIM: Self = Self {
        quotes: true,
        dashes: true,
        ..Self::NONE
    };
    /// Typography and case: whether two answers, captions or names are the same.
    pub const TEXT: Self = Self {
        case: true,
        ..Self::VERBATIM
    };
    /// Everything, accents too: searching.
    pub const SEARCH: Self = Self {
        accents: true,
        ..Self::TEXT
    };
}

/// The text-folding function: `s` folded by [`Folding::TEXT`] (quotes, dashes, spaces, case,
/// Unicode composition). `"  Kim\u{a0}Jong–Un’s "` and `"kim jong-un's"` fold the same.
#[must_use]
pub fn fold(s: &str) -> String {
    fold_with(s, Folding::TEXT)
}

/// `s` folded as `folding` says.
#[must_use]
pub fn fold_with(s: &str, folding: Folding) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, folding, &mut out);
    out
}

/// [`fold_with`], appended to `out`.
pub fn fold_into(s: &str, folding: Folding, out: &mut String) {
    let start = out.len();
    let mut space = false;
    let mut push = |c: char, out: &mut String| {
        if c.is_whitespace() {
            space = out.len() > start;
            return;
        }
        if is_invisible(c) || (folding.accents && is_combining_mark(c)) {
            return;
        }
        if space {
            out.push(' ');
            space = false;
        }
        if !folding.case {
            out.push(c);
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            for l in c.to_lowercase() {
                if !(folding.accents && is_combining_mark(l)) {
                    out.push(l);
                }
            }
        }
    };
    // Quotes and dashes first, as typed: decomposing would split some of them (`´`, `″`).
    let typography = s.chars().map(|c| {
        let c = if folding.quotes { map_quote(c) } else { c };
        if folding.dashes && is_dash(c) { '-' } else { c }
    });
    if s.is_ascii() {
        // Already composed, nothing to decompose: most texts take this way.
        typography.for_each(|c| push(c, out));
    } else if folding.accents {
        typography.nfkd().for_each(|c| push(c, out));
    } else {
        typography.nfc().for_each(|c| push(c, out));
    }
}

/// What every comparison starts from: NFC, invisible characters dropped, whitespace trimmed and
/// collapsed to single spaces. Two answers equal here are an exact match.
pub(crate) fn baseline(s: &str) -> String {
    fold_with(s, Folding::NONE)
}

fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn map_quote(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '`'
        | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' | '\u{2039}' | '\u{203A}' => '"',
        other => other,
    }
}

pub(crate) fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
    )
}

/// Punctuation that marking ignores. Symbols that change meaning (`#`, `+`, `%`, `$`, `°`, …)
/// are not in this set; dashes are handled as spacing.
fn is_ignorable_punct(c: char) -> bool {
    matches!(
        c,
        '!' | '"'
            | '\''
            | '('
            | ')'
            | '*'
            | ','
            | '.'
            | '/'
            | ':'
            | ';'
            | '?'
            | '['
            | '\\'
            | ']'
            | '_'
            | '`'
            | '{'
            | '}'
            | '\u{00A1}'
            | '\u{00AB}'
            | '\u{00B4}'
            | '\u{00B7}'
            | '\u{00BB}'
            | '\u{00BF}'
            | '\u{02BC}'
            | '\u{2018}'..='\u{201F}'
            | '\u{2026}'
            | '\u{2032}'..='\u{2037}'
            | '\u{2039}'
            | '\u{203A}'
            | '\u{3001}'
            | '\u{3002}'
            | '\u{300C}'..='\u{300F}'
    )
}

/// Removes ignorable punctuation, keeping `.`, `,`, `/` and `:` between two digits (so `1.5` does
/// not become `15`), and spells `&` as "and".
fn strip_punct(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev_digit = i > 0 && chars[i - 1].is_ascii_digit();
        let next_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
        let in_number = matches!(c, '.' | ',' | '/' | ':') && prev_digit && next_digit;
        if c == '&' {
            out.push_str(" and ");
        } else if in_number || !is_ignorable_punct(c) {
            out.push(c);
        }
    }
    collapse_whitespace(&out)
}

/// Drops a leading "the" (any case) when something follows it.
fn strip_article(s: &str) -> String {
    let mut parts = s.splitn(2, ' ');
    match (parts.next(), parts.next()) {
        (Some(first), Some(rest)) if first.eq_ignore_ascii_case("the") && !rest.is_empty() => {
            rest.to_owned()
        }
        _ => s.to_owned(),
    }
}

/// How a dash reads between its neighbours.
enum DashRole {
    /// Between two digits (`2022-09`) or a minus sign (`-5`): kept as `-`.
    Numeric,
    /// Anything else (`Jong-un`, `F-16`): a word joiner, treated as spacing.
    Joiner,
}

fn dash_role(prev: Option<char>, next: Option<char>) -> DashRole {
    let next_digit = next.is_some_and(|c| c.is_ascii_digit());
    let prev_digit = prev.is_some_and(|c| c.is_ascii_digit());
    let prev_gap = prev.is_none_or(char::is_whitespace);
    if next_digit && (prev_digit || prev_gap) {
        DashRole::Numeric
    } else {
        DashRole::Joiner
    }
}

/// Replaces word-joining dashes by spaces and numeric dashes by `-`.
fn dashes_to_spaces(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if is_dash(c) {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            match dash_role(prev, chars.get(i + 1).copied()) {
                DashRole::Numeric => out.push('-'),
                DashRole::Joiner => out.push(' '),
            }
        } else {
            out.push(c);
        }
    }
    collapse_whitespace(&out)
}

/// Removes spaces (keeping one between two digits, so `1 5` stays two numbers) after turning
/// word-joining dashes into spaces.
fn squeeze_spacing(s: &str) -> String {
    join_tokens(dashes_to_spaces(s).split(' '))
}

/// Joins tokens without spaces, except for a single space between a digit and a digit.
fn join_tokens<'a>(tokens: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for t in tokens {
        let last_digit = out.chars().next_back().is_some_and(|c| c.is_ascii_digit());
        let first_digit = t.chars().next().is_some_and(|c| c.is_ascii_digit());
        if last_digit && first_digit {
            out.push(' ');
        }
        out.push_str(t);
    }
    out
}

/// The comparison key of `s` under the given leniencies.
pub(crate) fn key(s: &str, len: Lenience) -> String {
    // Quotes, case and accents by the one folding function; dashes are left to the spacing
    // step, which tells a numeric dash (`2022-09`, `-5`) from a word joiner (`Jong-un`).
    let mut s = fold_with(
        s,
        Folding {
            quotes: len.has(Forgiven::Quotes),
            dashes: false,
            case: len.has(Forgiven::Case),
            accents: len.has(Forgiven::Accents),
        },
    );
    if len.has(Forgiven::Punctuation) {
        s = strip_punct(&s);
    }
    if len.has(Forgiven::LeadingThe) {
        s = strip_article(&s);
    }
    if len.has(Forgiven::Spacing) {
        s = squeeze_spacing(&s);
    }
    s
}

/// The most lenient key: what two answers must share to count as the same answer.
pub(crate) fn loose_key(s: &str) -> String {
    key(s, Lenience::ALL)
}

// ---------------------------------------------------------------------------------------------
// Numbers by value
// ---------------------------------------------------------------------------------------------

const UNITS: [&str; 10] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];
const TEENS: [&str; 10] = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const SCALES: [(&str, u64); 3] = [
    ("thousand", 1_000),
    ("million", 1_000_000),
    ("billion", 1_000_000_000),
];

/// Whether `w` (lower case) is an English number word.
pub(crate) fn is_number_word(w: &str) -> bool {
    UNITS.contains(&w)
        || TEENS.contains(&w)
        || TENS.contains(&w)
        || w == "hundred"
        || SCALES.iter().any(|(s, _)| *s == w)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordKind {
    Unit(u64),
    Teen(u64),
    Ten(u64),
    Hundred,
    Scale(u64),
    And,
}

fn word_kind(w: &str) -> Option<WordKind> {
    if let Some(i) = UNITS.iter().position(|u| *u == w) {
        return Some(WordKind::Unit(i as u64));
    }
    if let Some(i) = TEENS.iter().position(|u| *u == w) {
        return Some(WordKind::Teen(10 + i as u64));
    }
    if let Some(i) = TENS.iter().position(|u| *u == w) {
        return Some(WordKind::Ten(20 + 10 * i as u64));
    }
    if w == "hundred" {
        return Some(WordKind::Hundred);
    }
    if w == "and" {
        return Some(WordKind::And);
    }
    SCALES
        .iter()
        .find(|(s, _)| *s == w)
        .map(|(_, v)| WordKind::Scale(*v))
}

/// Reads the longest English number phrase at the start of `tokens` ("two hundred and
/// seventy", "seven", "three million"): its value and how many tokens it used.
fn parse_number_words(tokens: &[&str]) -> Option<(u64, usize)> {
    let mut total: u64 = 0;
    let mut group: u64 = 0;
    let mut last: Option<WordKind> = None;
    let mut last_scale = u64::MAX;
    let mut best = None;
    for (i, t) in tokens.iter().enumerate() {
        let Some(kind) = word_kind(t) else { break };
        match kind {
            WordKind::Unit(0) => {
                if last.is_none() {
                    return Some((0, 1));
                }
                break;
            }
            WordKind::Unit(u) => {
                let after_bare_ten = matches!(last, Some(WordKind::Ten(_)));
                if !(last.is_none()
                    || after_bare_ten
                    || matches!(
                        last,
                        Some(WordKind::Hundred | WordKind::Scale(_) | WordKind::And)
                    ))
                {
                    break;
                }
                group += u;
            }
            WordKind::Teen(v) | WordKind::Ten(v) => {
                if !(last.is_none()
                    || matches!(
                        last,
                        Some(WordKind::Hundred | WordKind::Scale(_) | WordKind::And)
                    ))
                {
                    break;
                }
                group += v;
            }
            WordKind::Hundred => {
                if !matches!(
                    last,
                    Some(WordKind::Unit(_) | WordKind::Teen(_) | WordKind::Ten(_))
                ) || group >= 100
                {
                    break;
                }
                group *= 100;
            }
            WordKind::Scale(s) => {
                if !matches!(
                    last,
                    Some(
                        WordKind::Unit(_)
                            | WordKind::Teen(_)
                            | WordKind::Ten(_)
                            | WordKind::Hundred
                    )
                ) || s >= last_scale
                {
                    break;
                }
                total = total.checked_add(group.checked_mul(s)?)?;
                group = 0;
                last_scale = s;
            }
            WordKind::And => {
                let next_ok = tokens
                    .get(i + 1)
                    .and_then(|n| word_kind(n))
                    .is_some_and(|k| {
                        matches!(
                            k,
                            WordKind::Unit(1..) | WordKind::Teen(_) | WordKind::Ten(_)
                        )
                    });
                if !(matches!(last, Some(WordKind::Hundred | WordKind::Scale(_))) && next_ok) {
                    break;
                }
            }
        }
        last = Some(kind);
        if kind != WordKind::And {
            best = Some((total + group, i + 1));
        }
    }
    best
}

/// A number as `digits × 10^exp`, normalised so equal values have equal representations.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Num {
    negative: bool,
    digits: String,
    exp: i64,
}

impl Num {
    fn from_parts(negative: bool, int: &str, frac: &str) -> Self {
        let all: String = int.chars().chain(frac.chars()).collect();
        let trimmed = all.trim_start_matches('0');
        if trimmed.is_empty() {
            return Self {
                negative: false,
                digits: "0".to_owned(),
                exp: 0,
            };
        }
        let without_trailing = trimmed.trim_end_matches('0');
        let exp = (trimmed.len() - without_trailing.len()) as i64 - frac.len() as i64;
        Self {
            negative,
            digits: without_trailing.to_owned(),
            exp,
        }
    }

    fn scaled(mut self, pow10: i64) -> Self {
        if self.digits != "0" {
            self.exp += pow10;
        }
        self
    }

    /// A token that no typed text can produce (control characters are dropped from input).
    fn token(&self) -> String {
        format!(
            "\u{1}{}{}e{}",
            if self.negative { "-" } else { "" },
            self.digits,
            self.exp
        )
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Parses `1000`, `1,000`, `1,000.5`, `-3`, `0.25`.
fn parse_digit_token(t: &str) -> Option<Num> {
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) if all_digits(f) => (i, f),
        Some(_) => return None,
        None => (body, ""),
    };
    let int_digits: String = if int.contains(',') {
        let groups: Vec<&str> = int.split(',').collect();
        let first_ok = groups
            .first()
            .is_some_and(|g| all_digits(g) && g.len() <= 3);
        let rest_ok = groups[1..].iter().all(|g| all_digits(g) && g.len() == 3);
        if !(first_ok && rest_ok) {
            return None;
        }
        groups.concat()
    } else if all_digits(int) {
        int.to_owned()
    } else {
        return None;
    };
    Some(Num::from_parts(negative, &int_digits, frac))
}

fn scale_pow10(w: &str) -> Option<i64> {
    match w {
        "hundred" => Some(2),
        "thousand" => Some(3),
        "million" => Some(6),
        "billion" => Some(9),
        _ => None,
    }
}

/// Splits currency signs and a trailing percent sign off numbers (`$1,000` → `$ 1,000`).
fn split_symbols(t: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = t;
    for sym in ['$', '€', '£', '¥'] {
        if let Some(r) = rest.strip_prefix(sym)
            && r.starts_with(|c: char| c.is_ascii_digit() || c == '-')
        {
            out.push(&t[..sym.len_utf8()]);
            rest = r;
            break;
        }
    }
    if let Some(r) = rest.strip_suffix('%')
        && r.ends_with(|c: char| c.is_ascii_digit())
    {
        out.push(r);
        out.push("%");
    } else {
        out.push(rest);
    }
    out
}

/// The value tokens of `s`: its most lenient words, with every number (in digits, with thousands
/// separators, or in words) replaced by one canonical token.
pub(crate) fn value_tokens(s: &str) -> Vec<String> {
    let k = dashes_to_spaces(&key(s, Lenience::ALL.without(Forgiven::Spacing)));
    let raw: Vec<&str> = k.split(' ').flat_map(split_symbols).collect();
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let t = raw[i];
        if let Some(mut num) = parse_digit_token(t) {
            i += 1;
            // "1 000 000": thousands separated by spaces.
            if !t.contains([',', '.', '-']) && t.len() <= 3 {
                let mut int = t.to_owned();
                while let Some(next) = raw.get(i) {
                    if next.len() == 3 && all_digits(next) {
                        int.push_str(next);
                        i += 1;
                    } else {
                        break;
                    }
                }
                num = Num::from_parts(false, &int, "");
            }
            // "2 million", "1.5 billion".
            if let Some(p) = raw.get(i).and_then(|w| scale_pow10(w)) {
                num = num.scaled(p);
                i += 1;
            }
            out.push(num.token());
        } else if let Some((value, used)) = parse_number_words(&raw[i..]) {
            out.push(Num::from_parts(false, &value.to_string(), "").token());
            i += used;
        } else {
            out.push(t.to_owned());
            i += 1;
        }
    }
    out
}

/// [`value_tokens`] joined the way [`key`] joins words, for comparison.
pub(crate) fn value_key(s: &str) -> String {
    let tokens = value_tokens(s);
    join_tokens(tokens.iter().map(String::as_str))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_turns_curly_quotes_into_straight_ones() {
        assert_eq!(
            fold("Putin\u{2019}s \u{2018}visit\u{2019}"),
            "putin's 'visit'"
        );
        assert_eq!(
            fold("\u{201c}Ode\u{201d} \u{ab}to\u{bb} \u{201e}Joy\u{201f}"),
            "\"ode\" \"to\" \"joy\""
        );
        assert_eq!(fold("O\u{2bc}Brien O`Brien"), "o'brien o'brien");
        assert_eq!(fold("it's \"plain\""), "it's \"plain\"");
    }

    #[test]
    fn fold_turns_every_dash_into_a_hyphen() {
        assert_eq!(fold("2022\u{2013}2023"), "2022-2023");
        assert_eq!(fold("Kim Jong\u{2014}un"), "kim jong-un");
        assert_eq!(fold("\u{2212}5 \u{2010}x\u{2011}y \u{2012}"), "-5 -x-y -");
        assert_eq!(fold("Jong-un"), "jong-un");
    }

    #[test]
    fn fold_collapses_non_breaking_and_repeated_spaces() {
        assert_eq!(fold("  Kim\u{a0}Jong \t\n Un\u{202f}!  "), "kim jong un !");
        assert_eq!(
            fold("a\u{200b}b\u{feff}c\u{ad}d"),
            "abcd",
            "invisible characters go"
        );
        assert_eq!(fold(" \u{a0}\t "), "");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn fold_ignores_case() {
        assert_eq!(fold("PYONGYANG Pyongyang"), "pyongyang pyongyang");
        assert_eq!(
            fold("\u{c9}COLE \u{3a3}\u{39f}\u{3a6}"),
            "\u{e9}cole \u{3c3}\u{3bf}\u{3c6}"
        );
        assert_eq!(
            fold_with("Kim JONG", Folding::VERBATIM),
            "Kim JONG",
            "verbatim keeps case"
        );
    }

    #[test]
    fn fold_composes_nfd_into_nfc() {
        let nfd = "Pe\u{301}rez Sa\u{303}o";
        let nfc = "P\u{e9}rez S\u{e3}o";
        assert_eq!(fold(nfd), fold(nfc));
        assert_eq!(
            fold(nfd),
            "p\u{e9}rez s\u{e3}o",
            "accents stay in a text fold"
        );
        assert_eq!(fold_with(nfd, Folding::VERBATIM), nfc);
        assert_eq!(fold_with(nfd, Folding::SEARCH), "perez sao");
        assert_eq!(fold_with(nfc, Folding::SEARCH), "perez sao");
        assert_eq!(
            fold_with("\u{130}stanbul \u{fb01}ne", Folding::SEARCH),
            "istanbul fine"
        );
    }

    #[test]
    fn fold_into_appends_and_the_presets_nest() {
        let mut out = String::from("x\n");
        fold_into(" A\u{2019}B ", Folding::TEXT, &mut out);
        assert_eq!(out, "x\na'b");
        let text = " S\u{e3}o\u{a0}Paulo\u{2019}s \u{2013} 2000 ";
        assert_eq!(
            fold_with(text, Folding::NONE),
            "S\u{e3}o Paulo\u{2019}s \u{2013} 2000"
        );
        assert_eq!(
            fold_with(text, Folding::VERBATIM),
            "S\u{e3}o Paulo's - 2000"
        );
        assert_eq!(fold_with(text, Folding::TEXT), "s\u{e3}o paulo's - 2000");
        assert_eq!(fold_with(text, Folding::SEARCH), "sao paulo's - 2000");
    }

    #[test]
    fn baseline_trims_collapses_and_drops_invisibles() {
        assert_eq!(baseline("  Kim \t Jong\u{200B} Un\n"), "Kim Jong Un");
        assert_eq!(baseline("a\u{0}b\u{202E}c"), "abc");
        // NFC: a decomposed é equals the precomposed one.
        assert_eq!(baseline("Pe\u{301}rez"), "P\u{e9}rez");
    }

    #[test]
    fn each_leniency_does_one_thing() {
        let only = |f: Forgiven| Lenience::NONE.with(f);
        assert_eq!(key("São Paulo", only(Forgiven::Case)), "são paulo");
        assert_eq!(key("São Paulo", only(Forgiven::Accents)), "Sao Paulo");
        assert_eq!(key("U.S.A.", only(Forgiven::Punctuation)), "USA");
        assert_eq!(key("Kim Jong-un", only(Forgiven::Spacing)), "KimJongun");
        assert_eq!(key("The Hague", only(Forgiven::LeadingThe)), "Hague");
        assert_eq!(key("The", only(Forgiven::LeadingThe)), "The");
        assert_eq!(key("O’Brien", only(Forgiven::Quotes)), "O'Brien");
    }

    #[test]
    fn punctuation_between_digits_is_kept() {
        assert_eq!(loose_key("1.5"), "1.5");
        assert_eq!(loose_key("1,000"), "1,000");
        assert_ne!(loose_key("1.5"), loose_key("15"));
        assert_ne!(loose_key("1 5"), loose_key("15"));
        assert_eq!(loose_key("Tom & Jerry"), loose_key("tom and jerry"));
    }

    #[test]
    fn dashes_between_digits_and_minus_signs_are_kept() {
        assert_eq!(loose_key("2022-09"), "2022-09");
        assert_eq!(loose_key("-5"), "-5");
        assert_ne!(loose_key("-5"), loose_key("5"));
        assert_eq!(loose_key("F-16"), loose_key("F16"));
    }

    #[test]
    fn number_words_parse() {
        let p = |s: &str| {
            let toks: Vec<&str> = s.split(' ').collect();
            parse_number_words(&toks)
        };
        assert_eq!(p("seven"), Some((7, 1)));
        assert_eq!(p("twenty seven"), Some((27, 2)));
        assert_eq!(p("two hundred seventy"), Some((270, 3)));
        assert_eq!(p("two hundred and seventy"), Some((270, 4)));
        assert_eq!(p("three thousand four hundred"), Some((3400, 4)));
        assert_eq!(p("nineteen hundred"), Some((1900, 2)));
        assert_eq!(p("one million two hundred thousand"), Some((1_200_000, 5)));
        assert_eq!(p("one two"), Some((1, 1)));
        assert_eq!(p("hundred"), None);
        assert_eq!(p("seven and"), Some((7, 1)));
        assert_eq!(p("zero"), Some((0, 1)));
        assert_eq!(p("thousand million"), None);
        assert_eq!(p("one thousand million"), Some((1000, 2)));
    }

    #[test]
    fn numbers_compare_by_value() {
        let same = |a: &str, b: &str| value_key(a) == value_key(b);
        assert!(same("1,000", "1000"));
        assert!(same("1 000", "1000"));
        assert!(same("1\u{202F}000", "1000"));
        assert!(same("seven", "7"));
        assert!(same("twenty-seven", "27"));
        assert!(same("two hundred seventy", "270"));
        assert!(same("2 million", "2,000,000"));
        assert!(same("1.5 million", "1500000"));
        assert!(same("two million", "2000000"));
        assert!(same("7 days", "seven days"));
        assert!(same("1.50", "1.5"));
        assert!(same("$1,000", "$1000"));
        assert!(same("45%", "45 %"));
        assert!(!same("1.5", "15"));
        assert!(!same("1,00", "100"));
        assert!(!same("-5", "5"));
        assert!(!same("2023", "2022"));
        assert!(!same("1 5", "15"));
    }
}
