//! Drafting cards: a sentence and the phrase that is its answer become a question with the
//! phrase blanked, a cloze, a guessed category, a date for dates, accepted alternatives (a
//! person's surname as the article uses it), and distractors of the same kind from the rest of
//! the article: people for a person, places and groups for a place or group, phrases of the
//! same build for a free phrase.

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
    /// Other answers a careful student may give (the surname the article uses alone).
    pub accept: Vec<String>,
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
        card.accept = self.accept;
    }
}

/// What a name names, as far as the article's words tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum NameClass {
    /// A person: several capitalised words with no word of a place, group or term, a name after
    /// a title ("President"), or a word the article uses alone for such a person ("Putin").
    Person,
    /// A country, region, city, sea or river ("North Korea", "Sea of Japan").
    Place,
    /// An organisation, state body or paper ("KCNA", "the United Nations", "New York Times").
    Group,
    /// A named thing or idea ("Mutual Assistance", "Global Strategic Partnership Agreement").
    Term,
    /// A people's or region's adjective ("Russian", "Chinese", "Western").
    Adjective,
    /// One capitalised word the article says nothing more about ("Russia", "Pyongyang").
    Other,
}

/// Capitalised words that are no part of a person's name (headings, bylines, sentence words).
const NOT_PERSON_WORDS: &[&str] = &[
    "Read", "Min", "Share", "This", "Article", "Does", "Do", "Did", "Why", "How", "What", "Who",
    "New", "Old", "First", "Second", "Last", "Day", "Week", "Year", "News", "Update", "Photo",
    "Video", "Home", "Page", "More", "Related", "Opinion", "Analysis", "Comment", "Editor",
];

/// Words of a person's title: the name after them is a person's.
const TITLES: &[&str] = &[
    "President",
    "Premier",
    "Prime",
    "Minister",
    "Chairman",
    "Leader",
    "General",
    "Secretary",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Emperor",
    "Pope",
    "Chancellor",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Sir",
    "Lord",
    "Marshal",
    "Comrade",
];

/// Words that make a name a place's.
const PLACE_WORDS: &[&str] = &[
    "North",
    "South",
    "East",
    "West",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Central",
    "Korea",
    "States",
    "Kingdom",
    "Republic",
    "Federation",
    "Emirates",
    "Islands",
    "Island",
    "Sea",
    "Ocean",
    "River",
    "Lake",
    "Mountains",
    "Mount",
    "Peninsula",
    "Strait",
    "Gulf",
    "Bay",
    "Asia",
    "Europe",
    "Africa",
    "America",
    "Arabia",
    "City",
    "Province",
    "Region",
    "Zealand",
    "Coast",
    "Valley",
    "Desert",
    "Square",
    "Street",
    "Airport",
];

/// Words that make a name a group's: organisations, state bodies, papers.
const GROUP_WORDS: &[&str] = &[
    "Union",
    "Nations",
    "Agency",
    "Council",
    "Party",
    "Committee",
    "Ministry",
    "Department",
    "Army",
    "Navy",
    "Forces",
    "Bank",
    "Fund",
    "Organization",
    "Organisation",
    "Association",
    "Institute",
    "University",
    "Court",
    "Parliament",
    "Congress",
    "Senate",
    "Assembly",
    "Office",
    "House",
    "Kremlin",
    "Times",
    "Post",
    "News",
    "Press",
    "Journal",
    "Network",
    "Company",
    "Corporation",
    "Group",
    "Alliance",
    "NATO",
];

/// Words that make a name a term's: agreements, ideas, events.
const TERM_WORDS: &[&str] = &[
    "Agreement",
    "Treaty",
    "Pact",
    "Accord",
    "Declaration",
    "Act",
    "Partnership",
    "Assistance",
    "Cooperation",
    "Strategy",
    "Doctrine",
    "Plan",
    "Programme",
    "Program",
    "Initiative",
    "Summit",
    "Conference",
    "War",
    "Crisis",
    "Revolution",
    "Movement",
    "System",
    "Order",
    "Policy",
    "Sanctions",
    "Mutual",
    "Strategic",
    "Global",
    "Comprehensive",
];

/// A name's words without the titles before it: "Russian President Vladimir Putin" is
/// "Vladimir Putin".
fn without_titles(name: &str) -> &str {
    let words: Vec<&str> = name.split_whitespace().collect();
    let Some(last_title) = words
        .iter()
        .take(words.len().saturating_sub(1))
        .rposition(|w| TITLES.contains(w))
    else {
        return name;
    };
    let skip: usize = words[..=last_title].iter().map(|w| w.len() + 1).sum();
    name.get(skip..).map_or(name, str::trim_start)
}

/// The class of each distinct name the article names.
fn name_classes(article: &Article) -> HashMap<String, NameClass> {
    let names: HashSet<&str> = article
        .candidates
        .iter()
        .filter(|c| c.kind == Kind::Name)
        .map(|c| article.candidate_text(c))
        .collect();
    let has = |name: &str, list: &[&str]| name.split_whitespace().any(|w| list.contains(&w));
    let acronym = |name: &str| {
        name.chars().filter(char::is_ascii_alphabetic).count() >= 2
            && name.chars().all(|c| !c.is_lowercase())
    };
    // Words the article also writes in lower case are ordinary words, not parts of names.
    let lower_words: HashSet<&str> = article
        .text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.starts_with(char::is_lowercase))
        .collect();
    // One-word names the article writes after "in", "to", "from"…: places ("in Moscow").
    let words: Vec<&str> = article
        .text
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    let places: HashSet<&str> = words
        .windows(2)
        .filter(|w| {
            [
                "in", "to", "from", "at", "near", "across", "towards", "into",
            ]
            .contains(&w[0])
                && names.contains(w[1])
        })
        .map(|w| w[1])
        .collect();
    let could_be_a_person = |name: &str| {
        name.split_whitespace().all(|w| {
            !lower_words.contains(w.to_lowercase().as_str())
                && !NOT_PERSON_WORDS.contains(&w)
                // "Moscow Honeymoon": a place's name is no part of a person's.
                && !places.contains(w)
        })
    };
    let demonym = |name: &str| {
        name.split_whitespace().last().is_some_and(|w| {
            ["ian", "ean", "ese", "ish", "ern"]
                .iter()
                .any(|e| w.ends_with(e))
        })
    };
    let mut classes: HashMap<String, NameClass> = HashMap::new();
    for &name in &names {
        let words = name.split_whitespace().count();
        let class = if has(name, TITLES) && words > 1 {
            NameClass::Person
        } else if has(name, TERM_WORDS) {
            NameClass::Term
        } else if acronym(name) || has(name, GROUP_WORDS) {
            NameClass::Group
        } else if has(name, PLACE_WORDS) || name.contains(" of ") {
            NameClass::Place
        } else if demonym(name) {
            NameClass::Adjective
        } else if words > 1 && could_be_a_person(name) {
            NameClass::Person
        } else if words > 1 {
            NameClass::Term
        } else {
            NameClass::Other
        };
        classes.insert(name.to_owned(), class);
    }
    // One word the article also writes as part of a person's name is that person's.
    let person_words: HashSet<&str> = classes
        .iter()
        .filter(|(n, c)| **c == NameClass::Person && n.contains(' '))
        .flat_map(|(n, _)| without_titles(n).split_whitespace())
        .collect::<HashSet<_>>();
    let singles: Vec<String> = classes
        .iter()
        .filter(|(n, c)| **c == NameClass::Other && person_words.contains(n.as_str()))
        .map(|(n, _)| n.clone())
        .collect();
    for name in singles {
        classes.insert(name, NameClass::Person);
    }
    classes
}

/// The class of `name` (a name of the article, or one read on its own).
fn class_of(name: &str, classes: &HashMap<String, NameClass>) -> NameClass {
    classes.get(name).copied().unwrap_or_else(|| {
        let alone = Article::parse(name);
        name_classes(&alone)
            .get(name)
            .copied()
            .unwrap_or(NameClass::Other)
    })
}

/// What a careful student may write for the person `name`: the name without its titles, and
/// each word of it the article uses alone for this person and no other.
fn person_alternatives(name: &str, classes: &HashMap<String, NameClass>) -> Vec<String> {
    let bare = without_titles(name);
    let mut out: Vec<String> = Vec::new();
    if bare != name {
        out.push(bare.to_owned());
    }
    for word in bare.split_whitespace() {
        let used_alone = classes.get(word) == Some(&NameClass::Person);
        let others = classes
            .iter()
            .filter(|(n, c)| {
                **c == NameClass::Person
                    && n.contains(' ')
                    && without_titles(n) != bare
                    && without_titles(n).split_whitespace().any(|w| w == word)
            })
            .count();
        if used_alone && others == 0 && word != bare {
            out.push(word.to_owned());
        }
    }
    out
}

/// The question that goes before the blanked sentence, as a teacher would ask it.
fn lead(kind: Option<Kind>, shape: Option<DateShape>, class: Option<NameClass>) -> &'static str {
    match (kind, shape, class) {
        (Some(Kind::Date), Some(DateShape::Year), _) => "Which year is missing?",
        (Some(Kind::Date), Some(DateShape::Month | DateShape::MonthOnly), _) => {
            "Which month is missing?"
        }
        (Some(Kind::Date), Some(DateShape::Day), _) => "Which date is missing?",
        (Some(Kind::Date), _, _) => "Which decade is missing?",
        (Some(Kind::Number), _, _) => "How many? Complete the sentence:",
        (Some(Kind::Name), _, Some(NameClass::Person)) => "Who is missing?",
        (Some(Kind::Name), _, Some(NameClass::Place)) => "Which place is missing?",
        (Some(Kind::Name), _, Some(NameClass::Group)) => "Which organisation is missing?",
        (Some(Kind::Name), _, _) => "Which name is missing?",
        (None, _, _) => "Which words are missing?",
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
    let classes = name_classes(article);
    let class = (kind == Some(Kind::Name)).then(|| class_of(phrase, &classes));
    let category = match (kind, class) {
        // Countries and groups act in a history as people do: actors too.
        (Some(Kind::Name), Some(NameClass::Term)) | (None, _) => "term",
        (Some(k), _) => k.category(),
    };
    Draft {
        category: category.to_owned(),
        prompt: format!("{} {blanked}", lead(kind, shape, class)),
        answer: phrase.to_owned(),
        cloze,
        date: if kind == Some(Kind::Date) { date } else { None },
        distractors: match kind {
            Some(Kind::Name) => name_distractors(phrase, &classes, article),
            Some(k) => distractors(k, phrase, shape, article),
            None => phrase_distractors(phrase, sentence, article),
        },
        accept: if class == Some(NameClass::Person) {
            person_alternatives(phrase, &classes)
        } else {
            Vec::new()
        },
    }
}

/// Three other names of the article of the same class as `answer` (people for a person),
/// sharing no word with it, the ones named most often and with as many words first; their
/// titles left off. Fewer when the article names fewer: never a name of another class.
fn name_distractors(
    answer: &str,
    classes: &HashMap<String, NameClass>,
    article: &Article,
) -> Vec<String> {
    let class = class_of(answer, classes);
    let bare = without_titles(answer);
    let answer_words: HashSet<&str> = bare.split_whitespace().collect();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for c in article.candidates.iter().filter(|c| c.kind == Kind::Name) {
        let text = article.candidate_text(c);
        let matches = match (class, classes.get(text).copied()) {
            (NameClass::Place | NameClass::Other, Some(NameClass::Place | NameClass::Other)) => {
                // A single word the article says nothing about passes for a place, and the
                // other way round, but a person's surname never does.
                true
            }
            (a, Some(b)) => a == b,
            (_, None) => false,
        };
        if matches {
            *count.entry(without_titles(text)).or_default() += 1;
        }
    }
    // A person's surname alone is no other person.
    let people: Vec<&str> = count.keys().copied().filter(|n| n.contains(' ')).collect();
    let words = answer_words.len();
    let mut pool: Vec<(bool, std::cmp::Reverse<usize>, &str)> = count
        .iter()
        .filter(|(t, _)| !t.split_whitespace().any(|w| answer_words.contains(w)))
        .filter(|(t, _)| {
            class != NameClass::Person
                || t.contains(' ')
                || !people
                    .iter()
                    .any(|p| p.split_whitespace().any(|w| w == **t))
        })
        .map(|(t, n)| {
            (
                t.split_whitespace().count() != words,
                std::cmp::Reverse(*n),
                *t,
            )
        })
        .collect();
    pool.sort();
    let mut keys: HashSet<String> = HashSet::from([answer_key(answer)]);
    pool.into_iter()
        .filter(|(_, _, t)| keys.insert(answer_key(t)))
        .take(3)
        .map(|(_, _, t)| t.to_owned())
        .collect()
}

/// Words too common to start or end a phrase that could stand in for a free answer.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "by", "with",
    "from", "as", "is", "are", "was", "were", "be", "been", "that", "which", "who", "this",
    "these", "those", "it", "its", "their", "his", "her", "has", "have", "had", "not",
];

/// Three phrases of the article built like the free phrase `answer`: as many words, no
/// capitals or digits unless it has them, starting with the same little word or a word ending
/// the same way ("selling artillery", "sending troops"), from other sentences than its own.
fn phrase_distractors(answer: &str, sentence: &str, article: &Article) -> Vec<String> {
    let answer_words: Vec<&str> = answer.split_whitespace().collect();
    let n = answer_words.len();
    let (Some(first), Some(last)) = (answer_words.first(), answer_words.last()) else {
        return Vec::new();
    };
    let ending = |w: &str| w.chars().rev().take(3).collect::<String>();
    let lower = |w: &str| w.to_lowercase();
    let first_is_little = FUNCTION_WORDS.contains(&lower(first).as_str());
    let capitals = answer_words
        .iter()
        .any(|w| w.starts_with(char::is_uppercase));
    let own = normalise(sentence);
    let mut keys: HashSet<String> = HashSet::from([answer_key(answer)]);
    let mut out = Vec::new();
    for i in 0..article.sentences.len() {
        let text = article.sentence(i);
        if normalise(&text) == own {
            continue;
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        for (at, window) in words.windows(n).enumerate() {
            // The phrase may end where a clause does ("the north,"), never inside one.
            let last_word = window[n - 1].trim_end_matches([',', ';', ':', '.', '!', '?']);
            let (w0, wn) = (if n == 1 { last_word } else { window[0] }, last_word);
            let word_ok = |k: usize, w: &str| {
                !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’')
                    // A sentence's first word is capitalised anyway.
                    && (capitals || (at == 0 && k == 0) || !w.starts_with(char::is_uppercase))
            };
            let clean = window[..n - 1]
                .iter()
                .enumerate()
                .all(|(k, w)| word_ok(k, w))
                && word_ok(n - 1, last_word);
            let starts_alike = if first_is_little {
                lower(w0) == lower(first)
            } else {
                !FUNCTION_WORDS.contains(&lower(w0).as_str()) && ending(w0) == ending(first)
            };
            let ends_well = FUNCTION_WORDS.contains(&lower(wn).as_str())
                == FUNCTION_WORDS.contains(&lower(last).as_str());
            if clean && starts_alike && ends_well {
                let mut phrase = window[..n - 1].to_vec();
                phrase.push(last_word);
                let mut phrase = phrase.join(" ");
                if at == 0 && !capitals {
                    let mut chars = phrase.chars();
                    phrase = chars
                        .next()
                        .map(|c| c.to_lowercase().chain(chars).collect())
                        .unwrap_or_default();
                }
                if keys.insert(answer_key(&phrase)) {
                    out.push(phrase);
                    if out.len() == 3 {
                        return out;
                    }
                }
            }
        }
    }
    out
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
            for text in name_distractors(answer, &name_classes(article), article) {
                take(text, &mut picked);
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
    // Cards drafted from one sentence give each other away: one group per sentence, named
    // after its first card.
    let mut groups: HashMap<usize, String> = HashMap::new();
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
        // An id a person can read: the answer, then the first words of the rest of the
        // sentence.
        let id = card_id(&format!("{text} {}", sentence.replacen(text, " ", 1)), &ids);
        ids.insert(id.clone());
        let group = groups
            .entry(c.sentence)
            .or_insert_with(|| id.clone())
            .clone();
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
            group: Some(group),
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
        assert!(
            draft
                .prompt
                .starts_with("Which year is missing? The rapprochement")
        );
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

    /// A teacher's own article about 1961, with people, places, groups and terms.
    const TREATY: &str = "In July 1961, North Korea and the Soviet Union signed a treaty of \
        Mutual Assistance in Moscow. Nikita Khrushchev received Kim Il Sung in the Kremlin. \
        Chinese Premier Zhou Enlai watched from Beijing, where Mao Zedong was wary. \
        Khrushchev promised help against any attack, protecting the north, and Kim promised \
        loyalty. Signing the \
        treaty was a victory for Pyongyang, and keeping the peace was a duty for Moscow.";

    #[test]
    fn a_person_s_distractors_are_people_and_the_surname_the_article_uses_is_accepted() {
        let article = Article::parse(TREATY);
        let sentence = article.sentence(1);
        let draft = draft_card(&sentence, "Nikita Khrushchev", &article).unwrap();
        assert_eq!(draft.category, "actor");
        assert!(
            draft.prompt.starts_with("Who is missing? "),
            "{}",
            draft.prompt
        );
        assert_eq!(draft.distractors.len(), 3, "{:?}", draft.distractors);
        for d in &draft.distractors {
            assert!(
                ["Kim Il Sung", "Zhou Enlai", "Mao Zedong"].contains(&d.as_str()),
                "{d} is no person: {:?}",
                draft.distractors
            );
        }
        assert_eq!(draft.accept, ["Khrushchev"]);
        // "Kim" alone names Kim Il Sung and no other person of the article.
        let kim = draft_card(&sentence, "Kim Il Sung", &article).unwrap();
        assert_eq!(kim.accept, ["Kim"]);
        // A country's options are places and groups, never people or terms.
        let first = article.sentence(0);
        let korea = draft_card(&first, "North Korea", &article).unwrap();
        assert!(korea.distractors.iter().all(|d| {
            !["Nikita Khrushchev", "Kim Il Sung", "Mutual Assistance"].contains(&d.as_str())
        }));
    }

    #[test]
    fn a_free_phrase_gets_phrases_built_like_it() {
        let article = Article::parse(TREATY);
        let last = article.sentence(article.sentences.len() - 1);
        let draft = draft_card(&last, "keeping the peace", &article).unwrap();
        assert_eq!(draft.category, "term");
        assert!(draft.prompt.starts_with("Which words are missing? "));
        assert!(!draft.distractors.is_empty(), "no distractors");
        for d in &draft.distractors {
            assert_eq!(d.split_whitespace().count(), 3, "{d}");
            assert!(d.ends_with("ing") || d.split_whitespace().next().unwrap().ends_with("ing"));
        }
    }

    #[test]
    fn a_one_word_phrase_at_a_sentence_s_start_is_no_trouble() {
        // "Signing," opens a sentence, with a comma after it: "signing" stands in for "talking".
        let article = Article::parse("Signing, they left. We were talking. Ändern, sie.");
        let talking = draft_card(&article.sentence(1), "talking", &article).unwrap();
        assert_eq!(talking.distractors, ["signing"]);
        let sie = draft_card(&article.sentence(2), "sie", &article).unwrap();
        assert!(sie.distractors.iter().all(|d| !d.is_empty()));
    }

    #[test]
    fn a_drafted_deck_reads_like_a_teacher_s_and_groups_each_sentence() {
        let article = Article::parse(TREATY);
        let deck = draft_deck(&article, "The 1961 treaty", "A. Teacher");
        assert!(validate(&deck).is_empty(), "{:?}", validate(&deck));
        for card in &deck.cards {
            assert!(!card.prompt.contains("fills the blank"), "{}", card.prompt);
            let answer_slug = card_id(&card.answer, &HashSet::<String>::new());
            assert!(
                card.id.starts_with(&answer_slug) || card.id.starts_with(&answer_slug[..2]),
                "{} for {}",
                card.id,
                card.answer
            );
            let group = card
                .group
                .as_deref()
                .expect("every drafted card has a group");
            for other in &deck.cards {
                assert_eq!(
                    other.source == card.source,
                    other.group.as_deref() == Some(group),
                    "{} and {}",
                    card.id,
                    other.id
                );
            }
        }
        assert!(deck.cards.iter().any(|c| c.answer == "Nikita Khrushchev"));
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
