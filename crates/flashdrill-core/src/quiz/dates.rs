//! Reading dates from free text ("Sept. 2022", "18 June 2024", "2022-09", "09/2022") and
//! comparing partial dates at their common precision.

use std::cmp::Ordering;

use chrono::Month;

use crate::deck::PartialDate;

use super::normalize::{Forgiven, Lenience, is_dash, key};

/// The date or dates a text can mean. Two when day and month are ambiguous (`05/06/2024` is
/// 5 June or May 6), one otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateReading {
    pub dates: Vec<PartialDate>,
    /// The month name was misspelt ("Febuary") and read by closeness.
    pub fuzzy_month: bool,
}

/// Texts longer than this are not dates; skipping them keeps marking cheap on huge input.
const MAX_DATE_CHARS: usize = 48;

/// The month a word names (lower case): full name, three-letter abbreviation, "sept", or a full
/// name of six or more letters with one typo. Returns the month and whether a typo was needed.
fn month_of(word: &str) -> Option<(u8, bool)> {
    if word == "sept" {
        return Some((9, false));
    }
    // chrono reads full names and three-letter abbreviations, and nothing else.
    if let Ok(month) = word.parse::<Month>() {
        return Some((month.number_from_month() as u8, false));
    }
    if word.chars().count() >= 5 && word.chars().all(char::is_alphabetic) {
        let close: Vec<u8> = (1..=12)
            .filter_map(|m| Month::try_from(m).ok().map(|month| (m, month.name())))
            .filter(|(_, name)| {
                name.len() >= 6
                    && strsim::damerau_levenshtein(word, &name.to_ascii_lowercase()) <= 1
            })
            .map(|(m, _)| m)
            .collect();
        if let [m] = close.as_slice() {
            return Some((*m, true));
        }
    }
    None
}

fn digits(s: &str, lens: std::ops::RangeInclusive<usize>) -> Option<u32> {
    if lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// Builds a validated date (impossible months and days give `None`).
fn make(year: u32, month: Option<u32>, day: Option<u32>) -> Option<PartialDate> {
    if year == 0 || year > 9999 {
        return None;
    }
    let text = match (month, day) {
        (None, _) => format!("{year:04}"),
        (Some(m), None) => format!("{year:04}-{m:02}"),
        (Some(m), Some(d)) => format!("{year:04}-{m:02}-{d:02}"),
    };
    PartialDate::parse(&text).ok()
}

/// `2022`, `2022-09`, `2022-09-18`, `2022/09/18`, `09/2022`, `18/06/2024`, `06.18.2024`.
fn read_numeric(s: &str) -> Option<Vec<PartialDate>> {
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || c == '/' || c == '.' || c == '-')
    {
        return None;
    }
    let parts: Vec<&str> = s.split(['/', '.', '-']).collect();
    let one = |d: Option<PartialDate>| d.map(|d| vec![d]);
    match parts.as_slice() {
        [y] => one(make(digits(y, 4..=4)?, None, None)),
        [y, m] if y.len() == 4 => one(make(digits(y, 4..=4)?, Some(digits(m, 1..=2)?), None)),
        [m, y] => one(make(digits(y, 4..=4)?, Some(digits(m, 1..=2)?), None)),
        [y, m, d] if y.len() == 4 => one(make(
            digits(y, 4..=4)?,
            Some(digits(m, 1..=2)?),
            Some(digits(d, 1..=2)?),
        )),
        [a, b, y] => {
            let (a, b, y) = (digits(a, 1..=2)?, digits(b, 1..=2)?, digits(y, 4..=4)?);
            let mut out: Vec<PartialDate> = [make(y, Some(b), Some(a)), make(y, Some(a), Some(b))]
                .into_iter()
                .flatten()
                .collect();
            out.dedup();
            (!out.is_empty()).then_some(out)
        }
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Year(u32),
    Month(u32),
    Day(u32),
}

fn day_of(word: &str) -> Option<u32> {
    let num = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suf| word.strip_suffix(suf))
        .unwrap_or(word);
    digits(num, 1..=2).filter(|d| (1..=31).contains(d))
}

/// `September 2022`, `Sept. 2022`, `18 June 2024`, `June 18th, 2024`, `the 18th of June 2024`,
/// `2024 June 18`.
fn read_words(s: &str) -> Option<(PartialDate, bool)> {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if c == ',' || c == '.' || is_dash(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut fuzzy = false;
    let mut parts = Vec::new();
    for w in cleaned.split_whitespace() {
        if w == "of" || w == "the" {
            continue;
        }
        if let Some(y) = digits(w, 3..=4) {
            parts.push(Part::Year(y));
        } else if let Some(d) = day_of(w) {
            parts.push(Part::Day(d));
        } else if let Some((m, f)) = month_of(w) {
            fuzzy |= f;
            parts.push(Part::Month(u32::from(m)));
        } else {
            return None;
        }
    }
    let date = match parts.as_slice() {
        [Part::Month(m), Part::Year(y)] | [Part::Year(y), Part::Month(m)] => {
            make(*y, Some(*m), None)
        }
        [Part::Day(d), Part::Month(m), Part::Year(y)]
        | [Part::Month(m), Part::Day(d), Part::Year(y)]
        | [Part::Year(y), Part::Month(m), Part::Day(d)] => make(*y, Some(*m), Some(*d)),
        _ => None,
    }?;
    Some((date, fuzzy))
}

/// The date a free-text answer states, at the precision it states it, if it is a date.
/// A bare number is only a date when it has four digits (a year).
pub(crate) fn read_date(s: &str) -> Option<DateReading> {
    let lenience = Lenience::NONE.with(Forgiven::Case).with(Forgiven::Accents);
    if s.chars().count() > MAX_DATE_CHARS * 4 {
        return None;
    }
    let k = key(s, lenience);
    if k.chars().count() > MAX_DATE_CHARS {
        return None;
    }
    let mut rest = k.as_str();
    while let Some(r) = rest
        .strip_prefix("in ")
        .or_else(|| rest.strip_prefix("on "))
    {
        rest = r;
    }
    if let Some(dates) = read_numeric(rest) {
        return Some(DateReading {
            dates,
            fuzzy_month: false,
        });
    }
    read_words(rest).map(|(d, fuzzy_month)| DateReading {
        dates: vec![d],
        fuzzy_month,
    })
}

/// Orders two partial dates by the fields both give. `Equal` means "the same as far as both
/// say": `2023` and `2023-09` are interchangeable, and so are `2023-09` and `2023-09-18`, while
/// `2022` is before `2023-01` and `2023-08` is before `2023-09-01`.
///
/// This is not a total order (`2023-01` < `2023-05`, yet both equal `2023`), so sort with
/// `PartialDate`'s own `Ord`, which agrees with this whenever this says `Less` or `Greater`.
#[must_use]
pub fn date_order(a: &PartialDate, b: &PartialDate) -> Ordering {
    a.year
        .cmp(&b.year)
        .then_with(|| match (a.month, b.month) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => Ordering::Equal,
        })
        .then_with(|| match (a.month, b.month, a.day, b.day) {
            (Some(_), Some(_), Some(x), Some(y)) => x.cmp(&y),
            _ => Ordering::Equal,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    fn reads(s: &str) -> Vec<PartialDate> {
        read_date(s).map(|r| r.dates).unwrap_or_default()
    }

    #[test]
    fn month_precision_forms() {
        for s in [
            "Sept. 2022",
            "September 2022",
            "Sep 2022",
            "sept 2022",
            "SEPTEMBER, 2022",
            "2022-09",
            "2022/9",
            "09/2022",
            "9/2022",
            "09.2022",
            "in September 2022",
            "2022 September",
            "Septembre 2022",
        ] {
            assert_eq!(reads(s), vec![d("2022-09")], "{s}");
        }
    }

    #[test]
    fn day_precision_forms() {
        for s in [
            "18 June 2024",
            "June 18, 2024",
            "June 18th 2024",
            "the 18th of June, 2024",
            "on 18 June 2024",
            "2024-06-18",
            "2024/06/18",
            "18/06/2024",
            "06/18/2024",
            "18.06.2024",
            "2024 June 18",
        ] {
            assert_eq!(reads(s), vec![d("2024-06-18")], "{s}");
        }
    }

    #[test]
    fn ambiguous_day_month_gives_both_readings() {
        assert_eq!(reads("05/06/2024"), vec![d("2024-06-05"), d("2024-05-06")]);
        assert_eq!(reads("05/05/2024"), vec![d("2024-05-05")]);
    }

    #[test]
    fn years_and_non_dates() {
        assert_eq!(reads("2022"), vec![d("2022")]);
        assert!(reads("22").is_empty());
        assert!(reads("June").is_empty());
        assert!(reads("18 June").is_empty());
        assert!(reads("2023-13").is_empty());
        assert!(reads("31 February 2023").is_empty());
        assert!(reads("Paris 2022").is_empty());
        assert!(reads("").is_empty());
    }

    #[test]
    fn misspelt_long_months_are_read_but_flagged() {
        let r = read_date("Febuary 2020").unwrap();
        assert_eq!(r.dates, vec![d("2020-02")]);
        assert!(r.fuzzy_month);
        // Short month names get no typo allowance ("Jume" is not June).
        assert!(read_date("Jume 2020").is_none());
        assert!(!read_date("February 2020").unwrap().fuzzy_month);
    }

    #[test]
    fn order_at_common_precision() {
        assert_eq!(date_order(&d("2022"), &d("2023-01")), Ordering::Less);
        assert_eq!(date_order(&d("2023"), &d("2023-09")), Ordering::Equal);
        assert_eq!(date_order(&d("2023-09"), &d("2023-09-18")), Ordering::Equal);
        assert_eq!(date_order(&d("2023-08"), &d("2023-09-01")), Ordering::Less);
        assert_eq!(
            date_order(&d("2023-09-02"), &d("2023-09-01")),
            Ordering::Greater
        );
        assert_eq!(date_order(&d("2023-09"), &d("2023-09")), Ordering::Equal);
    }
}
