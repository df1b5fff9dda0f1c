//! Drafting cards: a sentence and the phrase that is its answer become a prompt with the phrase
//! blanked, a cloze, a guessed category, a date for dates, and distractors of the same kind from
//! the rest of the article.

use std::collections::{HashMap, HashSet};

use super::facts::{Candidate, DateShape, Kind};
use super::text::normalise;
use super::{Article, facts::MONTHS};
use crate::deck::{Card, Deck, FORMAT_V1, Source, answer_key, card_id, deck_id};

/// A drafted card's content; [`Draft::apply`] puts it into a card, leaving the rest alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub category: String,
    pub prompt: String,
    pub answer: String,
    pub cloze: Option<String>,
    pub date: Option<String>,
    pub distractors: Vec<String>,
}

impl Draft {
    /// Fills `card`'s category, prompt, answer, cloze, date and distractors from the draft.
    pub fn apply(self, card: &mut Card) {
        card.category = self.category;
        card.prompt = self.prompt;
        card.answer = self.answer;
        card.cloze = self.cloze;
        card.date = self.date;
        card.distractors = self.distractors;
    }
}

/// The question that goes before the blanked sentence.
fn lead(kind: Option<Kind>, shape: Option<DateShape>) -> &'static str {
    match (kind, shape) {
        (Some(Kind::Date), Some(DateShape::Year)) => "In which year?",
        (Some(Kind::Date), Some(DateShape::Month | DateShape::MonthOnly)) => "In which month?",
        (Some(Kind::Date), Some(DateShape::Day)) => "On which date?",
        (Some(Kind::Date), _) => "In which decade?",
        (Some(Kind::Number), _) => "Which number fills the blank?",
        (Some(Kind::Name), _) => "Who or what fills the blank?",
        (None, _) => "Which words fill the blank?",
    }
}

/// Drafts a card whose `source` is `sentence` and whose answer is `phrase` (a part of it).
/// `article` gives the kind of the phrase when it is one of its candidates, and the distractors.
/// `None` when the phrase is empty or not in the sentence.
#[must_use]
pub fn draft_card(sentence: &str, phrase: &str, article: &Article) -> Option<Draft> {
    let phrase = phrase.trim();
    if phrase.is_empty() || !sentence.contains(phrase) {
        return None;
    }
    let wanted = normalise(sentence);
    let found = article
        .candidates
        .iter()
        .filter(|c| article.candidate_text(c) == phrase)
        .max_by_key(|c| normalise(&article.sentence(c.sentence)) == wanted)
        .cloned()
        .or_else(|| {
            // Not a candidate of the article: what the phrase reads as, on its own.
            let alone = Article::parse(phrase);
            alone
                .candidates
                .into_iter()
                .find(|c| c.range == (0..phrase.len()))
        });
    let (kind, date, shape) = match &found {
        Some(c) => (Some(c.kind), c.date.clone(), c.shape),
        None if phrase.chars().next().is_some_and(char::is_uppercase) => {
            (Some(Kind::Name), None, None)
        }
        None => (None, None, None),
    };
    Some(build(sentence, phrase, kind, date, shape, article))
}

fn build(
    sentence: &str,
    phrase: &str,
    kind: Option<Kind>,
    date: Option<String>,
    shape: Option<DateShape>,
    article: &Article,
) -> Draft {
    // A date whose year the text does not give cannot be a date card.
    let kind = match kind {
        Some(Kind::Date) if date.is_none() => None,
        k => k,
    };
    let blanked = sentence.replacen(phrase, "___", 1);
    let cloze = (sentence.contains(phrase) && !sentence.contains("{{") && !sentence.contains("}}"))
        .then(|| sentence.replacen(phrase, &format!("{{{{{phrase}}}}}"), 1));
    Draft {
        category: kind.map_or("term", Kind::category).to_owned(),
        prompt: format!("{} {blanked}", lead(kind, shape)),
        answer: phrase.to_owned(),
        cloze,
        date: if kind == Some(Kind::Date) { date } else { None },
        distractors: kind.map_or_else(Vec::new, |k| distractors(k, phrase, shape, article)),
    }
}

/// Three wrong answers of the answer's own kind, from the article first.
fn distractors(
    kind: Kind,
    answer: &str,
    shape: Option<DateShape>,
    article: &Article,
) -> Vec<String> {
    let mut picked: Vec<String> = Vec::new();
    let mut keys: HashSet<String> = HashSet::from([answer_key(answer)]);
    let mut take = |text: String, picked: &mut Vec<String>| {
        if picked.len() < 3 && keys.insert(answer_key(&text)) {
            picked.push(text);
        }
    };
    let same_kind = article.candidates.iter().filter(|c| c.kind == kind);
    match kind {
        Kind::Date => {
            let answer_year = leading_year(answer);
            // Other years for a year (from any date the article names); else dates written
            // the same way.
            let year = shape == Some(DateShape::Year);
            let mut pool: Vec<(i64, String)> = same_kind
                .filter(|c| {
                    let same_way = c.shape == shape
                        && leading_year(article.candidate_text(c)).is_some()
                            == leading_year(answer).is_some();
                    same_way || (year && c.date.is_some())
                })
                .map(|c| {
                    let text = if year {
                        c.date
                            .as_deref()
                            .and_then(|d| d.get(..4))
                            .unwrap_or_default()
                            .to_owned()
                    } else {
                        article.candidate_text(c).to_owned()
                    };
                    let distance = match (answer_year, c.date.as_deref().and_then(leading_year)) {
                        (Some(a), Some(b)) => (a - b).abs(),
                        _ => 0,
                    };
                    (distance, text)
                })
                .collect();
            pool.sort();
            for (_, text) in pool {
                take(text, &mut picked);
            }
            for text in near_dates(answer, shape) {
                take(text, &mut picked);
            }
        }
        Kind::Number => {
            let unit = answer.split_whitespace().nth(1);
            let mut pool: Vec<(bool, String)> = same_kind
                .map(|c| {
                    let text = article.candidate_text(c).to_owned();
                    (text.split_whitespace().nth(1) != unit, text)
                })
                .collect();
            pool.sort_by_key(|(other_unit, _)| *other_unit);
            for (_, text) in pool {
                take(text, &mut picked);
            }
            for text in scaled_numbers(answer) {
                take(text, &mut picked);
            }
        }
        Kind::Name => {
            let answer_words: HashSet<&str> = answer.split_whitespace().collect();
            let mut count: HashMap<&str, usize> = HashMap::new();
            for c in same_kind {
                *count.entry(article.candidate_text(c)).or_default() += 1;
            }
            let words = answer_words.len();
            let mut pool: Vec<(bool, std::cmp::Reverse<usize>, &str)> = count
                .into_iter()
                .filter(|(t, _)| !t.split_whitespace().any(|w| answer_words.contains(w)))
                .map(|(t, n)| {
                    (
                        t.split_whitespace().count() != words,
                        std::cmp::Reverse(n),
                        t,
                    )
                })
                .collect();
            pool.sort();
            for (_, _, text) in pool {
                take(text.to_owned(), &mut picked);
            }
        }
    }
    picked
}

fn leading_year(text: &str) -> Option<i64> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|p| p.len() == 4)
        .and_then(|p| p.parse().ok())
}

/// Dates near `answer` written the same way: nearby years, months or days.
fn near_dates(answer: &str, shape: Option<DateShape>) -> Vec<String> {
    let offsets = [1i64, -1, 2, -2, 3];
    let swap_year = |step: i64| {
        leading_year(answer).map(|y| answer.replacen(&y.to_string(), &(y + step).to_string(), 1))
    };
    match shape {
        Some(DateShape::Year) => offsets.iter().filter_map(|o| swap_year(*o)).collect(),
        Some(DateShape::Decade) => offsets.iter().filter_map(|o| swap_year(o * 10)).collect(),
        Some(DateShape::Month | DateShape::MonthOnly) => {
            let Some(m) = MONTHS.iter().position(|m| answer.contains(m)) else {
                return offsets.iter().filter_map(|o| swap_year(*o)).collect();
            };
            offsets
                .iter()
                .map(|o| {
                    let other = MONTHS[(m as i64 + o).rem_euclid(12) as usize];
                    answer.replacen(MONTHS[m], other, 1)
                })
                .collect()
        }
        Some(DateShape::Day) => {
            let day = answer
                .split(|c: char| !c.is_ascii_digit())
                .find(|p| !p.is_empty() && p.len() <= 2)
                .and_then(|p| p.parse::<i64>().ok());
            match day {
                Some(d) => offsets
                    .iter()
                    .map(|o| (d + o * 3 - 1).rem_euclid(28) + 1)
                    .map(|n| answer.replacen(&d.to_string(), &n.to_string(), 1))
                    .collect(),
                None => Vec::new(),
            }
        }
        None => Vec::new(),
    }
}

/// The answer's leading number doubled, halved and tripled, written the same way.
fn scaled_numbers(answer: &str) -> Vec<String> {
    let Some(first) = answer.split_whitespace().next() else {
        return Vec::new();
    };
    let digits: String = first.chars().filter(char::is_ascii_digit).collect();
    if first.contains('.') || digits.is_empty() {
        return Vec::new();
    }
    let Ok(n) = digits.parse::<u64>() else {
        return Vec::new();
    };
    let commas = first.contains(',');
    [n * 2, n / 2, n * 3, n + 1]
        .into_iter()
        .filter(|m| *m > 0 && *m != n)
        .map(|m| {
            let mut text = m.to_string();
            if commas {
                text = with_commas(m);
            }
            if first.ends_with('%') {
                text.push('%');
            }
            answer.replacen(first, &text, 1)
        })
        .collect()
}

fn with_commas(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A first draft of a deck from an article (`flashdrill draft`): one card per candidate date
/// and number in each sentence and per name, each with its sentence as source.
#[must_use]
pub fn draft_deck(article: &Article, title: &str, author: &str) -> Deck {
    let mut cards: Vec<Card> = Vec::new();
    let mut ids: HashSet<String> = HashSet::new();
    let mut seen: HashSet<(Kind, String, Option<usize>)> = HashSet::new();
    for c in &article.candidates {
        let text = article
            .candidate_text(c)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let text = text.as_str();
        let sentence_key = (c.kind != Kind::Name).then_some(c.sentence);
        if !seen.insert((c.kind, answer_key(text), sentence_key)) {
            continue;
        }
        let sentence = article.sentence(c.sentence);
        let draft = build(
            &sentence,
            text,
            Some(c.kind),
            c.date.clone(),
            c.shape,
            article,
        );
        let id = card_id(&draft.prompt, &ids);
        ids.insert(id.clone());
        let mut card = Card {
            id,
            category: String::new(),
            prompt: String::new(),
            answer: String::new(),
            accept: Vec::new(),
            distractors: Vec::new(),
            date: None,
            event: None,
            role: None,
            group: None,
            cloze: None,
            explanation: None,
            source: sentence,
            tags: Vec::new(),
            image: None,
        };
        draft.apply(&mut card);
        cards.push(card);
    }
    Deck {
        format: FORMAT_V1.to_owned(),
        id: deck_id(title, &HashSet::<String>::new()),
        title: title.to_owned(),
        description: None,
        source: Source {
            title: title.to_owned(),
            author: author.to_owned(),
            url: None,
        },
        cards,
    }
}

/// The cards (index, card) whose `source` is not word for word in `article`, ignoring curly
/// versus straight quotes and line breaks.
#[must_use]
pub fn sources_not_in_article<'d>(deck: &'d Deck, article: &str) -> Vec<(usize, &'d Card)> {
    let article = crate::deck::Article::new(article);
    deck.cards
        .iter()
        .enumerate()
        .filter(|(_, c)| !article.quotes(&c.source))
        .collect()
}

/// Every candidate's kind and text, for tests and the CLI's summary.
#[must_use]
pub fn candidate_texts(article: &Article, kind: Kind) -> Vec<&str> {
    article
        .candidates
        .iter()
        .filter(|c: &&Candidate| c.kind == kind)
        .map(|c| article.candidate_text(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::validate;

    const TEXT: &str = "The rapprochement between the two countries began in 2000 with Putin’s \
        first visit to North Korea, when Kim Jong Il was still there.\n\nBack in September 2022, \
        the United States accused North Korea of selling artillery to Russia. In August 2023, the \
        White House announced talks, which were finalized in September. By March 2024, North \
        Korea had sent nearly 7,000 containers of weapons to Russia, after 1,000 containers \
        earlier. Kim met Putin 270 days after.";

    #[test]
    fn drafts_a_date_card_with_blank_cloze_and_nearby_years() {
        let article = Article::parse(TEXT);
        let sentence = article.sentence(0);
        let draft = draft_card(&sentence, "2000", &article).unwrap();
        assert_eq!(draft.category, "date");
        assert_eq!(draft.date.as_deref(), Some("2000"));
        assert!(draft.prompt.starts_with("In which year? The rapprochement"));
        assert!(draft.prompt.contains("began in ___ with"));
        assert_eq!(
            draft.cloze.as_deref(),
            Some(sentence.replace("2000", "{{2000}}").as_str())
        );
        assert_eq!(draft.distractors.len(), 3);
        assert!(
            draft
                .distractors
                .iter()
                .all(|d| d.len() == 4 && d != "2000")
        );
        assert_eq!(draft.distractors[0], "2022");
    }

    #[test]
    fn drafts_actor_number_and_term_cards() {
        let article = Article::parse(TEXT);
        let s1 = article.sentence(1);
        let actor = draft_card(&s1, "United States", &article).unwrap();
        assert_eq!(actor.category, "actor");
        assert_eq!(actor.distractors.len(), 3);
        assert!(!actor.distractors.iter().any(|d| d.contains("States")));
        let s3 = article.sentence(3);
        let number = draft_card(&s3, "7,000 containers", &article).unwrap();
        assert_eq!(number.category, "number");
        assert_eq!(number.distractors[0], "1,000 containers");
        let term = draft_card(&s1, "selling artillery", &article).unwrap();
        assert_eq!(term.category, "term");
        assert!(term.distractors.is_empty());
        assert_eq!(term.date, None);
        assert!(draft_card(&s1, "not in it", &article).is_none());
        assert!(draft_card(&s1, "  ", &article).is_none());
    }

    #[test]
    fn a_month_named_alone_takes_the_year_before_it() {
        let article = Article::parse(TEXT);
        let s2 = article.sentence(2);
        let draft = draft_card(&s2, "September", &article).unwrap();
        assert_eq!(draft.date.as_deref(), Some("2023-09"));
        assert_eq!(draft.category, "date");
        assert_eq!(draft.distractors.len(), 3);
    }

    #[test]
    fn a_drafted_deck_passes_check_and_quotes_the_article() {
        let article = Article::parse(TEXT);
        let deck = draft_deck(&article, "Moscow and Pyongyang", "A. Writer");
        let problems = validate(&deck);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(sources_not_in_article(&deck, TEXT).is_empty());
        let answers: Vec<&str> = deck.cards.iter().map(|c| c.answer.as_str()).collect();
        for wanted in [
            "2000",
            "September 2022",
            "August 2023",
            "September",
            "March 2024",
        ] {
            assert!(answers.contains(&wanted), "{wanted} in {answers:?}");
        }
        assert!(answers.contains(&"Kim Jong Il"));
        assert!(answers.contains(&"270 days"));
        assert_eq!(deck.id, "moscow-pyongyang");
    }

    #[test]
    fn finds_sources_missing_from_the_article() {
        let article = Article::parse(TEXT);
        let mut deck = draft_deck(&article, "T", "A");
        deck.cards[0].source = "Not in the article.".into();
        let missing = sources_not_in_article(&deck, TEXT);
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].0, 0);
    }

    #[test]
    fn numbers_scale_with_their_commas() {
        assert_eq!(
            scaled_numbers("1,000 containers"),
            [
                "2,000 containers",
                "500 containers",
                "3,000 containers",
                "1,001 containers"
            ]
        );
        assert_eq!(with_commas(1_234_567), "1,234,567");
        assert_eq!(
            candidate_texts(&Article::parse("In 1999."), Kind::Date),
            ["1999"]
        );
    }
}
