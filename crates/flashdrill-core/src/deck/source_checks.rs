//! The warnings that read cards against the text they come from:
//!
//! - [`crowded_sentences`]: more than [`MAX_SIBLINGS`] cards quoting one sentence of the source,
//!   whatever their groups (splitting a fact over groups does not make it fewer cards);
//! - [`date_precision`]: a `date` more precise than its source sentence (a month where the
//!   sentence names only a year);
//! - [`unfound_distractors`]: distractors that appear nowhere in the source nor in the card's
//!   explanation, so perhaps made up (a false memory) or a straw man.
//!
//! The source is the article when one is given (`flashdrill check --article`), else the cards'
//! own `source` excerpts, which quote it. Pure: no UI, no I/O.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::model::{Card, MONTHS, PartialDate};
use super::warnings::{MAX_SIBLINGS, Warning};
use crate::draft::{self, DateShape, Kind};
use crate::quiz::normalize::{fold, is_number_word};
use crate::quiz::read_date;

/// What a distractor was looked for in, for [`Warning::UnfoundDistractor`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Searched {
    /// The article given to the check.
    Article,
    /// The `source` excerpts of the decks drawn from the same work (no article was given).
    Excerpts,
}

impl fmt::Display for Searched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Article => "the article",
            Self::Excerpts => "the source excerpts",
        })
    }
}

/// Small words left out when a distractor's words are looked for.
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "at", "and", "or", "for", "by", "with", "from",
    "its", "their", "his", "her", "is", "are", "was", "were", "be", "been", "has", "have", "had",
    "it", "as", "that", "this", "s",
];

/// The words of `text` as they are compared: folded (case, quotes, dashes), split at anything
/// that is not a letter or digit, without small words, and with a plural or possessive `s`
/// dropped (`flags` → `flag`, `Korea's` → `korea`).
fn content_words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .map(|w| {
            let stem = w.len() > 3 && w.ends_with('s') && !w.ends_with("ss");
            if stem { &w[..w.len() - 1] } else { w }.to_owned()
        })
        .collect()
}

/// The sentences of a text (its paragraphs cut as the drafting tool cuts an article), each with
/// runs of whitespace as one space.
fn sentences_of(text: &str) -> Vec<String> {
    let parsed = draft::Article::parse(text);
    (0..parsed.sentences.len())
        .map(|i| parsed.sentence(i))
        .collect()
}

/// Whether a sentence piece is a whole sentence: it ends with `.`, `!` or `?`, perhaps followed
/// by closing quotes or brackets.
fn is_whole(piece: &str) -> bool {
    piece
        .trim_end_matches(['"', '\'', '”', '’', ')', ']'])
        .ends_with(['.', '!', '?'])
}

/// The sentences of the source, with an index from each word to the sentences holding it.
pub(super) struct SourceText {
    /// Each sentence as written (for messages) and folded (for comparison).
    sentences: Vec<(String, String)>,
    by_key: HashMap<String, usize>,
    /// Word → the sentences holding it, in increasing order.
    index: HashMap<String, Vec<usize>>,
    searched: Searched,
}

impl SourceText {
    fn empty(searched: Searched) -> Self {
        Self {
            sentences: Vec::new(),
            by_key: HashMap::new(),
            index: HashMap::new(),
            searched,
        }
    }

    /// The article's sentences.
    pub(super) fn from_article(text: &str) -> Self {
        let mut source = Self::empty(Searched::Article);
        for sentence in sentences_of(text) {
            source.add(sentence);
        }
        source
    }

    /// The sentences the cards' excerpts quote, standing in for an article not given: every
    /// whole sentence of an excerpt, except one that merely has another before it (a heading
    /// run into the sentence below it), and any fragment no whole sentence holds.
    pub(super) fn from_excerpts<'c>(cards: impl Iterator<Item = &'c Card>) -> Self {
        let mut pieces: Vec<String> = Vec::new();
        let mut seen = HashSet::new();
        for card in cards {
            for piece in sentences_of(&card.source) {
                if seen.insert(fold(&piece)) {
                    pieces.push(piece);
                }
            }
        }
        let whole: HashSet<String> = pieces
            .iter()
            .filter(|p| is_whole(p))
            .map(|p| fold(p))
            .collect();
        let mut source = Self::empty(Searched::Excerpts);
        for piece in pieces.iter().filter(|p| is_whole(p)) {
            if proper_suffixes(&fold(piece)).all(|s| !whole.contains(s)) {
                source.add(piece.clone());
            }
        }
        for piece in pieces.iter().filter(|p| !is_whole(p)) {
            if source.locate(&fold(piece)).is_none() {
                source.add(piece.clone());
            }
        }
        source
    }

    /// Adds a sentence (unless it is there already); its number.
    fn add(&mut self, sentence: String) -> usize {
        let key = fold(&sentence);
        if let Some(&i) = self.by_key.get(&key) {
            return i;
        }
        let i = self.sentences.len();
        let mut words = content_words(&sentence);
        words.sort_unstable();
        words.dedup();
        for word in words {
            self.index.entry(word).or_default().push(i);
        }
        self.by_key.insert(key.clone(), i);
        self.sentences.push((sentence, key));
        i
    }

    /// The sentence a piece of an excerpt (folded) belongs to: the same sentence; else the one
    /// it ends with (a heading run into its sentence); else one that holds it (a fragment).
    fn locate(&self, key: &str) -> Option<usize> {
        if let Some(&i) = self.by_key.get(key) {
            return Some(i);
        }
        if let Some(i) = proper_suffixes(key).find_map(|s| self.by_key.get(s)) {
            return Some(*i);
        }
        let words = content_words(key);
        let rarest = words
            .iter()
            .map(|w| self.index.get(w).map_or(&[][..], Vec::as_slice))
            .min_by_key(|p| p.len())?;
        rarest
            .iter()
            .copied()
            .find(|&i| self.sentences[i].1.contains(key))
    }

    /// Whether one sentence holds every one of `words`.
    fn holds_all(&self, words: &[String]) -> bool {
        let mut lists: Vec<&[usize]> = Vec::with_capacity(words.len());
        for w in words {
            match self.index.get(w) {
                Some(list) => lists.push(list),
                None => return false,
            }
        }
        lists.sort_by_key(|l| l.len());
        let Some((first, rest)) = lists.split_first() else {
            return false;
        };
        first
            .iter()
            .any(|i| rest.iter().all(|l| l.binary_search(i).is_ok()))
    }
}

/// The proper suffixes of a folded text that start after a space, longest first.
fn proper_suffixes(key: &str) -> impl Iterator<Item = &str> {
    key.match_indices(' ').map(move |(i, _)| &key[i + 1..])
}

/// A sentence shortened for a message: its first eight words, then `…`.
fn shortened(sentence: &str) -> String {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    if words.len() <= 8 {
        sentence.to_owned()
    } else {
        format!("{}…", words[..8].join(" "))
    }
}

/// Each sentence of `source` quoted by more than [`MAX_SIBLINGS`] of `cards` (a card counting
/// once however much of the sentence it quotes): its first words and the positions in `cards`
/// of the cards quoting it, in order of their first card.
pub(super) fn crowded_sentences(
    source: &mut SourceText,
    cards: &[&Card],
) -> Vec<(String, Vec<usize>)> {
    let mut quoted: Vec<Vec<usize>> = Vec::new();
    for (at, card) in cards.iter().enumerate() {
        let mut found: Vec<usize> = sentences_of(&card.source)
            .into_iter()
            .map(|piece| {
                let key = fold(&piece);
                source.locate(&key).unwrap_or_else(|| source.add(piece))
            })
            .collect();
        found.sort_unstable();
        found.dedup();
        for i in found {
            if quoted.len() <= i {
                quoted.resize_with(i + 1, Vec::new);
            }
            quoted[i].push(at);
        }
    }
    let mut out: Vec<(String, Vec<usize>)> = quoted
        .into_iter()
        .enumerate()
        .filter(|(_, by)| by.len() > MAX_SIBLINGS)
        .map(|(i, by)| (shortened(&source.sentences[i].0), by))
        .collect();
    out.sort_by_key(|(_, by)| by[0]);
    out
}

/// A date a text names, as precisely as it names it; a month named without any year has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Named {
    year: Option<i32>,
    month: Option<u8>,
    day: Option<u8>,
}

/// The dates `text` names: years, months with their year (or alone), full dates and decades
/// (as their first year), found as `flashdrill draft` finds them.
fn named_dates(text: &str) -> Vec<Named> {
    let parsed = draft::Article::parse(text);
    parsed
        .candidates
        .iter()
        .filter(|c| c.kind == Kind::Date)
        .filter_map(|c| match (c.shape, &c.date) {
            (Some(DateShape::MonthOnly), _) => {
                let word = parsed.candidate_text(c);
                let m = MONTHS.iter().position(|m| *m == word)?;
                Some(Named {
                    year: None,
                    month: u8::try_from(m + 1).ok(),
                    day: None,
                })
            }
            (_, Some(date)) => PartialDate::parse(date).ok().map(|d| Named {
                year: Some(d.year),
                month: d.month,
                day: d.day,
            }),
            _ => None,
        })
        .collect()
}

/// The part of an explanation that speaks from the source: everything before "Beyond the
/// article" (any case), where outside knowledge begins.
fn from_the_source(explanation: &str) -> &str {
    let lower = explanation.to_ascii_lowercase();
    lower
        .find("beyond the article")
        .map_or(explanation, |at| &explanation[..at])
}

/// `date` written to `level` fields: 1 the year, 2 the year and month.
fn truncated(date: PartialDate, level: u8) -> String {
    match (level, date.month) {
        (2.., Some(m)) => format!("{:04}-{m:02}", date.year),
        _ => format!("{:04}", date.year),
    }
}

/// A warning when the card's `date` is more precise than the dates named by the sentences its
/// source excerpt comes from (the whole sentence, when the excerpt is part of one), or by the
/// part of its explanation before "Beyond the article" (where the author can show how a date
/// follows: "270 days after September 2023: June 2024"). A month named without a year supports
/// that month in any year: the year may come from the sentence before.
pub(super) fn date_precision(source: &SourceText, card: &Card) -> Option<Warning> {
    let written = card.date.as_deref()?;
    let date = PartialDate::parse(written).ok()?;
    let mut named = Vec::new();
    for piece in sentences_of(&card.source) {
        match source.locate(&fold(&piece)) {
            Some(i) => named.extend(named_dates(&source.sentences[i].0)),
            None => named.extend(named_dates(&piece)),
        }
    }
    if let Some(explanation) = &card.explanation {
        named.extend(named_dates(from_the_source(explanation)));
    }
    let year = named.iter().any(|n| n.year == Some(date.year))
        || named
            .iter()
            .any(|n| n.year.is_none() && n.month.is_some() && n.month == date.month);
    let month = date.month.is_some_and(|m| {
        named
            .iter()
            .any(|n| n.month == Some(m) && n.year.is_none_or(|y| y == date.year))
    });
    let day = date.day.is_some_and(|d| {
        named.iter().any(|n| {
            n.day == Some(d) && n.month == date.month && n.year.is_none_or(|y| y == date.year)
        })
    });
    let wanted = 1 + u8::from(date.month.is_some()) + u8::from(date.day.is_some());
    let given = match (year, month, day) {
        (false, _, _) => 0,
        (true, false, _) => 1,
        (true, true, false) => 2,
        (true, true, true) => 3,
    };
    if given >= wanted {
        return None;
    }
    Some(if given == 0 {
        Warning::DateNotInSource(written.to_owned())
    } else {
        Warning::DateTooPrecise {
            date: written.to_owned(),
            supported: truncated(date, given),
        }
    })
}

/// Whether a distractor is a figure: at most four words, one of them a number ("nearly 700",
/// "over three hours"). Nearby figures, like nearby dates, are the distractors a figure wants,
/// not inventions.
fn is_figure(text: &str) -> bool {
    let words: Vec<String> = fold(text)
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_owned())
        .collect();
    words.len() <= 4
        && words
            .iter()
            .any(|w| w.starts_with(|c: char| c.is_ascii_digit()) || is_number_word(w.as_str()))
}

/// Whether a distractor is a date: one the quiz reads as a date, or a month's name alone (the
/// distractor of a month named without its year).
fn is_date(text: &str) -> bool {
    let trimmed = text.trim();
    read_date(trimmed).is_some() || MONTHS.iter().any(|m| m.eq_ignore_ascii_case(trimmed))
}

/// The warnings for `card`'s distractors that no sentence of `source` holds (every word of
/// them, small words aside) and its explanation does not mention either. Dates and figures are
/// not looked for.
pub(super) fn unfound_distractors(source: &SourceText, card: &Card) -> Vec<Warning> {
    let explained: HashSet<String> = card
        .explanation
        .as_deref()
        .map(content_words)
        .unwrap_or_default()
        .into_iter()
        .collect();
    card.distractors
        .iter()
        .filter(|d| !is_date(d) && !is_figure(d))
        .filter(|d| {
            let words = content_words(d);
            !words.is_empty()
                && !words.iter().all(|w| explained.contains(w))
                && !source.holds_all(&words)
        })
        .map(|d| Warning::UnfoundDistractor {
            distractor: d.clone(),
            searched: source.searched,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "Pyongyang and Moscow Honeymoon\n\nNew Global Strategic Partnership \
        Agreement\n\nThis is the main outcome of the latest visit of Russian President Vladimir \
        Putin to North Korea, where he was warmly welcomed by leader Kim Jong Un.\n\nBack in \
        September 2022, seven months after Russia’s invasion of Ukraine, the United States \
        accused North Korea for the first time of selling artillery to Russia. However, in August \
        2023, the White House announced that Putin and Kim were engaged in arms negotiations, \
        which were finalized in September with the North Korean leader’s visit to eastern Russia. \
        A few weeks later, U.S. government officials reported that North Korea had sent over \
        1,000 containers of weapons to Russia.";

    fn card(id: &str, source: &str) -> Card {
        let mut c = Card::new(id, "date", format!("prompt {id}"), "answer", source);
        c.explanation = Some("Because.".into());
        c
    }

    /// The crowded sentences of `cards`: each one's first words and the ids quoting it.
    fn crowded(source: &mut SourceText, cards: &[Card]) -> Vec<(String, Vec<String>)> {
        let refs: Vec<&Card> = cards.iter().collect();
        crowded_sentences(source, &refs)
            .into_iter()
            .map(|(s, by)| (s, by.iter().map(|&i| cards[i].id.clone()).collect()))
            .collect()
    }

    #[test]
    fn words_are_compared_folded_without_small_words_and_plural_s() {
        assert_eq!(
            content_words("The two national FLAGS of North Korea’s capital"),
            ["two", "national", "flag", "north", "korea", "capital"]
        );
        assert_eq!(content_words("U.S. allies"), ["u", "allie"]);
        assert_eq!(content_words("process"), ["process"]);
    }

    #[test]
    fn cards_are_counted_by_the_sentence_they_quote_whatever_their_groups() {
        let s = "Back in September 2022, seven months after Russia’s invasion of Ukraine, the \
                 United States accused North Korea for the first time of selling artillery to \
                 Russia.";
        let mut cards = vec![
            card("a", s),
            // A fragment, with straight quotes: the same sentence.
            card("b", "seven months after Russia's invasion of Ukraine"),
            card(
                "c",
                &format!("{s} However, in August 2023, the White House announced"),
            ),
            card("d", "A few weeks later, U.S. government officials reported"),
        ];
        cards[0].group = Some("one".into());
        cards[1].group = Some("two".into());
        let mut source = SourceText::from_article(ARTICLE);
        assert!(crowded(&mut source, &cards).is_empty());
        cards.push(card("e", s));
        assert_eq!(
            crowded(&mut source, &cards),
            [(
                "Back in September 2022, seven months after Russia’s…".to_owned(),
                vec!["a".to_owned(), "b".into(), "c".into(), "e".into()]
            )]
        );

        // Without the article, the excerpts stand in for it, a heading run into its sentence
        // counting as the sentence.
        let outcome = "This is the main outcome of the latest visit of Russian President \
                       Vladimir Putin to North Korea, where he was warmly welcomed by leader Kim \
                       Jong Un.";
        let cards = vec![
            card(
                "h",
                &format!("New Global Strategic Partnership Agreement {outcome}"),
            ),
            card("i", outcome),
            card("j", "he was warmly welcomed by leader Kim Jong Un"),
            card("k", outcome),
        ];
        let mut source = SourceText::from_excerpts(cards.iter());
        let found = crowded(&mut source, &cards);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, ["h", "i", "j", "k"]);
        let mut source = SourceText::from_excerpts(cards[1..].iter());
        assert!(crowded(&mut source, &cards[1..]).is_empty());
    }

    #[test]
    fn a_date_may_be_no_more_precise_than_its_source_or_explained_reasoning() {
        let s = "However, in August 2023, the White House announced that Putin and Kim were \
                 engaged in arms negotiations, which were finalized in September with the North \
                 Korean leader’s visit to eastern Russia.";
        let article = SourceText::from_article(ARTICLE);
        let dated = |date: &str, source: &str, explanation: &str| {
            let mut c = card("x", source);
            c.date = Some(date.into());
            c.explanation = Some(explanation.into());
            date_precision(&article, &c).map(|w| w.to_string())
        };
        assert_eq!(dated("2023-08", s, "Because."), None);
        assert_eq!(dated("2023-09", s, "Because."), None, "September of 2023");
        assert_eq!(dated("2023", s, "Because."), None);
        assert_eq!(
            dated("2023-10", s, "Because. Beyond the article: October 2023."),
            Some(
                "the date \"2023-10\" is more precise than its source sentence, which gives no more than \
                 \"2023\"; write \"2023\", or show in the explanation (before any \"Beyond the \
                 article:\") how the rest follows from the source"
                    .into()
            )
        );
        assert_eq!(
            dated("2023-09-13", s, "Because."),
            Some(
                "the date \"2023-09-13\" is more precise than its source sentence, which gives no \
                 more than \"2023-09\"; write \"2023-09\", or show in the explanation (before any \
                 \"Beyond the article:\") how the rest follows from the source"
                    .into()
            )
        );
        let later = "A few weeks later, U.S. government officials reported that North Korea had \
                     sent over 1,000 containers of weapons to Russia.";
        assert_eq!(
            dated("2023", later, "Beyond the article: in October 2023."),
            Some(
                "the date \"2023\" is named neither in its source sentence nor in its explanation; quote \
                 the sentence that dates the event, or show in the explanation (before any \
                 \"Beyond the article:\") how the date follows from it"
                    .into()
            )
        );
        // Worked out in the explanation, from the source.
        assert_eq!(
            dated(
                "2023",
                later,
                "A few weeks after September 2023: still 2023."
            ),
            None
        );
        // A month named alone, its year in the sentence before; a decade as its first year.
        assert_eq!(dated("2023-09", "It ended in September.", "Because."), None);
        assert_eq!(
            dated("1990", "Relations cooled in the 1990s.", "Because."),
            None
        );
        assert_eq!(
            dated("2024-06", "Relations cooled in the 1990s.", "Because.")
                .map(|w| w.starts_with("the date \"2024-06\" is named neither")),
            Some(true)
        );
        // No date, or one that does not parse (a problem reported elsewhere): nothing here.
        assert_eq!(date_precision(&article, &card("y", s)), None);
        let mut bad = card("z", s);
        bad.date = Some("2023-13".into());
        assert_eq!(date_precision(&article, &bad), None);
        // An excerpt is read as the whole sentence it comes from.
        assert_eq!(
            dated("2023-09", "the White House announced", "Because."),
            None
        );
        let alone = SourceText::from_excerpts([card("w", "the White House announced")].iter());
        let mut c = card("w", "the White House announced");
        c.date = Some("2023-09".into());
        assert!(date_precision(&alone, &c).is_some());
    }

    #[test]
    fn distractors_are_looked_for_in_one_sentence_or_the_explanation() {
        let source = SourceText::from_article(ARTICLE);
        let mut c = card("x", "source");
        c.distractors = vec![
            // In one sentence of the article, typography and plural aside.
            "The White House".into(),
            "Russia's invasions of Ukraine".into(),
            // Words from two sentences: not found.
            "Kim Jong Un's visit to Moscow in May 2015".into(),
            // Nowhere.
            "Kim Il Sung".into(),
            "Seoul".into(),
            // Dates and figures are never looked for.
            "March 2021".into(),
            "october".into(),
            "Nearly 700".into(),
            "Over three hours".into(),
        ];
        c.explanation = Some("Not Seoul: it was Pyongyang.".into());
        let found: Vec<String> = unfound_distractors(&source, &c)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "the distractor \"Kim Jong Un's visit to Moscow in May 2015\" appears nowhere in \
                 the article nor in the card's explanation; make sure it is a real near miss, \
                 not an invented event or a straw man, and say in the explanation why it is wrong",
                "the distractor \"Kim Il Sung\" appears nowhere in the article nor in the card's \
                 explanation; make sure it is a real near miss, not an invented event or a straw \
                 man, and say in the explanation why it is wrong",
            ]
        );
        // Without the article, the excerpts are searched.
        let excerpts = SourceText::from_excerpts([c.clone()].iter());
        c.distractors = vec!["Kim Il Sung".into()];
        assert!(
            unfound_distractors(&excerpts, &c)[0]
                .to_string()
                .contains("appears nowhere in the source excerpts nor")
        );
    }

    #[test]
    fn shortens_long_sentences_for_messages() {
        assert_eq!(shortened("One two three."), "One two three.");
        assert_eq!(
            shortened("one two three four five six seven eight nine"),
            "one two three four five six seven eight…"
        );
    }
}
