//! Candidate facts in an article's sentences: dates (years, months, full dates, decades),
//! numbers with their units, and names (runs of capitalised words).

use std::collections::HashSet;
use std::ops::Range;

use super::text::Word;
use crate::deck::PartialDate;

/// What kind of fact a candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Date,
    Number,
    Name,
}

impl Kind {
    /// The deck category a card on this kind of fact gets.
    #[must_use]
    pub fn category(self) -> &'static str {
        match self {
            Self::Date => "date",
            Self::Number => "number",
            Self::Name => "actor",
        }
    }
}

/// How precise a date candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateShape {
    /// "2000"
    Year,
    /// "September 2022", or "September" with its year known from the text around it.
    Month,
    /// A month whose year the text does not give.
    MonthOnly,
    /// "17 June 2024", "June 17, 2024"
    Day,
    /// "the 1990s": its `date` is the decade's first year.
    Decade,
}

/// One candidate fact: where it is in the article, and for dates the date it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub kind: Kind,
    /// Byte range in the article's text.
    pub range: Range<usize>,
    /// The sentence it is in (index into [`super::Article::sentences`]).
    pub sentence: usize,
    /// Dates: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (none for a month without a year).
    pub date: Option<String>,
    /// Dates: how precise.
    pub shape: Option<DateShape>,
}

pub(crate) use crate::deck::MONTHS;

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Words that never start or make up a name on their own.
const NOT_NAMES: &[&str] = &[
    "I", "A", "An", "The", "This", "That", "These", "Those", "It", "Its", "He", "She", "They",
    "We", "You", "His", "Her", "Their", "Our", "My", "However", "But", "And", "Or", "In", "On",
    "At", "Of", "For", "As", "If", "When", "While", "After", "Before", "Not", "Both", "Some",
];

/// Words that often begin a sentence before a name without being part of it ("Yesterday Putin
/// said…"); a sentence's first word that is not one of these (nor ends in "-ly") and is
/// followed by a capitalised word begins a name ("Nikita Khrushchev visited…").
const SENTENCE_OPENERS: &[&str] = &[
    "Yesterday",
    "Today",
    "Tomorrow",
    "Meanwhile",
    "Then",
    "Now",
    "Later",
    "Also",
    "Still",
    "Instead",
    "Indeed",
    "Despite",
    "Although",
    "Though",
    "Since",
    "Because",
    "During",
    "Under",
    "With",
    "Without",
    "From",
    "To",
    "By",
    "Following",
    "According",
    "Unlike",
    "Like",
    "Such",
    "Many",
    "Most",
    "Several",
    "Each",
    "Every",
    "Other",
    "Another",
    "Even",
    "Only",
    "So",
    "Yet",
    "Once",
    "Until",
    "Where",
    "Why",
    "How",
    "What",
    "Which",
    "Who",
    "Whose",
    "Here",
    "There",
    "Thus",
    "Hence",
    "Moreover",
    "Furthermore",
    "Nevertheless",
    "Nonetheless",
    "Between",
    "Among",
    "Against",
    "Through",
    "Over",
    "Beyond",
    "Within",
    "Across",
    "Around",
];

/// Lower-case words that join the parts of a name ("Sea of Japan"); "and" joins two names.
const CONNECTORS: &[&str] = &["of", "the", "de", "al", "for", "von", "van", "da"];

pub(crate) const NUMBER_WORDS: &[(&str, u64)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("twenty", 20),
    ("thirty", 30),
    ("fifty", 50),
    ("hundred", 100),
    ("thousand", 1000),
    ("dozen", 12),
];

/// Units a spelled-out number is counted in ("seven months", "two-hour").
const SPELLED_UNITS: &[&str] = &[
    "second",
    "seconds",
    "minute",
    "minutes",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "decade",
    "decades",
    "century",
    "centuries",
    "percent",
    "times",
    "million",
    "billion",
    "kilometres",
    "kilometers",
    "miles",
    "people",
];

/// Words after a number that are not its unit.
const NOT_UNITS: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "by", "with", "from",
    "was", "were", "is", "are", "be", "been", "had", "has", "have", "that", "which", "who", "as",
    "after", "before", "when", "than", "it", "its", "but",
];

pub(crate) fn month_number(word: &str) -> Option<u8> {
    MONTHS.iter().position(|m| *m == word).map(|i| i as u8 + 1)
}

fn year_of(word: &str) -> Option<i32> {
    if word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()) {
        let y: i32 = word.parse().ok()?;
        (1000..=2100).contains(&y).then_some(y)
    } else {
        None
    }
}

fn day_of(word: &str) -> Option<u8> {
    let digits = word
        .strip_suffix("st")
        .or_else(|| word.strip_suffix("nd"))
        .or_else(|| word.strip_suffix("rd"))
        .or_else(|| word.strip_suffix("th"))
        .unwrap_or(word);
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d: u8 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn decade_of(word: &str) -> Option<i32> {
    let digits = word
        .strip_suffix("’s")
        .or_else(|| word.strip_suffix("'s"))
        .or_else(|| word.strip_suffix('s'))?;
    let y = year_of(digits)?;
    (y % 10 == 0).then_some(y)
}

fn is_number(word: &str) -> bool {
    let w = word.strip_suffix('%').unwrap_or(word);
    w.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && w.bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
}

fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// The capitalised words found after the first word of a sentence: a sentence's first word is a
/// name only if it is also capitalised where capitals are not required.
pub(crate) fn mid_sentence_capitals<'t>(
    text: &'t str,
    sentences: &[Vec<Word>],
) -> HashSet<&'t str> {
    let mut set = HashSet::new();
    for words in sentences {
        for w in words.iter().skip(1) {
            let core = &text[w.core.clone()];
            if capitalised(core) {
                set.insert(core);
            }
        }
    }
    set
}

/// Finds the candidates in one sentence (`words` of sentence number `sentence`), in order.
/// `last_year` is the latest year named before this sentence (for a month named alone); it is
/// updated.
pub(crate) fn candidates_in(
    text: &str,
    sentence: usize,
    words: &[Word],
    mid_caps: &HashSet<&str>,
    last_year: &mut Option<i32>,
    out: &mut Vec<Candidate>,
) {
    let w = |i: usize| words.get(i).map_or("", |w| &text[w.range.clone()]);
    let mut used = vec![false; words.len()];
    let mut found: Vec<Candidate> = Vec::new();
    let sentence_year = (0..words.len()).find_map(|i| year_of(w(i)));
    let before = *last_year;
    let mut year_here: Option<i32> = None;
    let push = |found: &mut Vec<Candidate>,
                used: &mut Vec<bool>,
                kind,
                span: Range<usize>,
                end: usize,
                date: Option<String>,
                shape| {
        for u in &mut used[span.clone()] {
            *u = true;
        }
        found.push(Candidate {
            kind,
            range: words[span.start].range.start..end,
            sentence,
            date,
            shape,
        });
    };
    // Dates.
    let mut i = 0;
    while i < words.len() {
        let month = month_number(w(i));
        let full = |y: Option<i32>, m: Option<u8>, d: Option<u8>| -> Option<String> {
            let s = format!("{:04}-{:02}-{:02}", y?, m?, d?);
            PartialDate::parse(&s).is_ok().then_some(s)
        };
        if let Some(date) = full(year_of(w(i + 2)), month_number(w(i + 1)), day_of(w(i))) {
            let end = words[i + 2].range.end;
            push(
                &mut found,
                &mut used,
                Kind::Date,
                i..i + 3,
                end,
                Some(date),
                Some(DateShape::Day),
            );
            year_here = year_of(w(i + 2));
            i += 3;
        } else if let Some(date) = full(year_of(w(i + 2)), month, day_of(w(i + 1))) {
            let end = words[i + 2].range.end;
            push(
                &mut found,
                &mut used,
                Kind::Date,
                i..i + 3,
                end,
                Some(date),
                Some(DateShape::Day),
            );
            year_here = year_of(w(i + 2));
            i += 3;
        } else if let (Some(m), Some(y)) = (month, year_of(w(i + 1))) {
            let end = words[i + 1].range.end;
            let date = format!("{y:04}-{m:02}");
            push(
                &mut found,
                &mut used,
                Kind::Date,
                i..i + 2,
                end,
                Some(date),
                Some(DateShape::Month),
            );
            year_here = Some(y);
            i += 2;
        } else if let Some(m) = month {
            // The year named last before it in the sentence, else later in it, else before it.
            let year = year_here.or(sentence_year).or(before);
            let date = year.map(|y| format!("{y:04}-{m:02}"));
            let shape = if year.is_some() {
                DateShape::Month
            } else {
                DateShape::MonthOnly
            };
            let end = words[i].range.end;
            push(
                &mut found,
                &mut used,
                Kind::Date,
                i..i + 1,
                end,
                date,
                Some(shape),
            );
            i += 1;
        } else if let Some(y) = decade_of(w(i)) {
            let end = words[i].range.end;
            push(
                &mut found,
                &mut used,
                Kind::Date,
                i..i + 1,
                end,
                Some(format!("{y:04}")),
                Some(DateShape::Decade),
            );
            i += 1;
        } else if let Some(y) = year_of(w(i)) {
            let end = words[i].range.end;
            push(
                &mut found,
                &mut used,
                Kind::Date,
                i..i + 1,
                end,
                Some(format!("{y:04}")),
                Some(DateShape::Year),
            );
            year_here = Some(y);
            i += 1;
        } else {
            i += 1;
        }
    }
    if year_here.is_some() {
        *last_year = year_here;
    }
    // Numbers with their units.
    for i in 0..words.len() {
        if used[i] {
            continue;
        }
        let word = w(i);
        let lower = word.to_lowercase();
        let spelled = NUMBER_WORDS.iter().any(|(n, _)| *n == lower);
        let unit_next = i + 1 < words.len()
            && !used[i + 1]
            && !words[i].stop_after
            && w(i + 1).chars().all(char::is_alphabetic)
            && !capitalised(w(i + 1))
            && !NOT_UNITS.contains(&w(i + 1))
            && !w(i + 1).ends_with("ed")
            && !w(i + 1).ends_with("ly");
        if is_number(word) {
            let end = if unit_next {
                words[i + 1].range.end
            } else {
                words[i].range.end
            };
            let span = if unit_next { i..i + 2 } else { i..i + 1 };
            push(&mut found, &mut used, Kind::Number, span, end, None, None);
        } else if spelled && unit_next && SPELLED_UNITS.contains(&w(i + 1)) {
            let end = words[i + 1].range.end;
            push(
                &mut found,
                &mut used,
                Kind::Number,
                i..i + 2,
                end,
                None,
                None,
            );
        } else if let Some((n, unit)) = lower.split_once('-')
            && NUMBER_WORDS.iter().any(|(w, _)| *w == n)
            && SPELLED_UNITS.contains(&unit)
        {
            let end = words[i].range.end;
            push(
                &mut found,
                &mut used,
                Kind::Number,
                i..i + 1,
                end,
                None,
                None,
            );
        }
    }
    // Names: runs of capitalised words.
    let is_cap = |i: usize, used: &[bool]| {
        let word = &text[words[i].core.clone()];
        !used[i]
            && capitalised(word)
            && month_number(word).is_none()
            && !WEEKDAYS.contains(&word)
            && word.chars().any(char::is_alphabetic)
    };
    let mut i = 0;
    while i < words.len() {
        if !is_cap(i, &used) {
            i += 1;
            continue;
        }
        let mut start = i;
        let mut end = i;
        loop {
            let current = &words[end];
            if current.stop_after || current.core != current.range {
                break;
            }
            if end + 1 < words.len() && is_cap(end + 1, &used) {
                end += 1;
            } else if end + 2 < words.len()
                && CONNECTORS.contains(&w(end + 1))
                && !words[end + 1].stop_after
                && is_cap(end + 2, &used)
            {
                end += 2;
            } else {
                break;
            }
        }
        let next = end + 1;
        // The first word of a sentence is capitalised anyway: it is a name only if it is seen
        // capitalised elsewhere too.
        let first = &text[words[0].core.clone()];
        let opens_a_name = end > 0
            && is_cap(1, &used)
            && !SENTENCE_OPENERS.contains(&first)
            && !NOT_NAMES.contains(&first)
            && !first.ends_with("ly");
        if start == 0 && !mid_caps.contains(first) && !opens_a_name {
            start = 1;
            while start <= end && CONNECTORS.contains(&w(start)) {
                start += 1;
            }
        }
        while start <= end && NOT_NAMES.contains(&&text[words[start].core.clone()]) {
            start += 1;
        }
        if start <= end {
            let range = words[start].range.start..words[end].core.end;
            found.push(Candidate {
                kind: Kind::Name,
                range,
                sentence,
                date: None,
                shape: None,
            });
        }
        i = next;
    }
    found.sort_by_key(|c| c.range.start);
    out.extend(found);
}

#[cfg(test)]
mod tests {
    use super::super::Article;
    use super::*;

    fn found(text: &str) -> Vec<(Kind, String, Option<String>)> {
        let article = Article::parse(text);
        article
            .candidates
            .iter()
            .map(|c| (c.kind, text[c.range.clone()].to_owned(), c.date.clone()))
            .collect()
    }

    fn texts(text: &str, kind: Kind) -> Vec<String> {
        found(text)
            .into_iter()
            .filter(|(k, _, _)| *k == kind)
            .map(|(_, t, _)| t)
            .collect()
    }

    #[test]
    fn finds_dates_of_every_precision() {
        let text = "It began in 2000. Back in September 2022, talks stalled; in August 2023 they \
                    resumed and ended in September. He came on 17 June 2024 and left June 19, 2024. \
                    It was big in the 1990s.";
        let dates: Vec<(String, Option<String>)> = found(text)
            .into_iter()
            .filter(|(k, _, _)| *k == Kind::Date)
            .map(|(_, t, d)| (t, d))
            .collect();
        let expect = [
            ("2000", "2000"),
            ("September 2022", "2022-09"),
            ("August 2023", "2023-08"),
            ("September", "2023-09"),
            ("17 June 2024", "2024-06-17"),
            ("June 19, 2024", "2024-06-19"),
            ("1990s", "1990"),
        ];
        let expect: Vec<(String, Option<String>)> = expect
            .iter()
            .map(|(t, d)| ((*t).to_owned(), Some((*d).to_owned())))
            .collect();
        assert_eq!(dates, expect);
    }

    #[test]
    fn finds_numbers_with_units() {
        let text = "It had sent over 1,000 containers of weapons, held 270 days after. Seven \
                    months later, a two-hour meeting; 45% agreed and 3.5 was the rate.";
        assert_eq!(
            texts(text, Kind::Number),
            [
                "1,000 containers",
                "270 days",
                "Seven months",
                "two-hour",
                "45%",
                "3.5"
            ]
        );
    }

    #[test]
    fn a_name_that_opens_a_sentence_is_found_whole() {
        let text = "Nikita Khrushchev visited Beijing. Yesterday Putin spoke. Kim Il Sung \
                    agreed.";
        assert_eq!(
            texts(text, Kind::Name),
            ["Nikita Khrushchev", "Beijing", "Putin", "Kim Il Sung"]
        );
    }

    #[test]
    fn finds_names_and_handles_the_first_word() {
        let text = "Putin met Kim Jong Un in Pyongyang. Kim shook hands with Russian President \
                    Vladimir Putin. According to the New York Times, Russia’s war goes on. The \
                    ships reach the Sea of Japan.";
        assert_eq!(
            texts(text, Kind::Name),
            [
                "Putin",
                "Kim Jong Un",
                "Pyongyang",
                "Kim",
                "Russian President Vladimir Putin",
                "New York Times",
                "Russia",
                "Sea of Japan"
            ]
        );
    }
}
