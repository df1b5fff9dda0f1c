//! The rules a deck must follow beyond its JSON shape. Every rule is checked and every problem
//! reported; the work is linear in the size of the deck.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::key::answer_key_into;
use super::model::{Card, Category, Deck, FORMAT_V1, PartialDate};
use super::problem::{CardIssue, CardRef, Problem};
use crate::quiz::normalize::{Folding, fold_with};

/// Every problem with a parsed deck, deck-level ones first, then card by card in file order.
/// An empty list means the deck is valid.
#[must_use]
pub fn validate(deck: &Deck) -> Vec<Problem> {
    let mut problems = Vec::new();
    if deck.format != FORMAT_V1 {
        problems.push(Problem::UnknownFormat {
            found: deck.format.clone(),
        });
    }
    if !is_slug(&deck.id) {
        problems.push(Problem::BadDeckId(deck.id.clone()));
    }
    let deck_fields = [
        ("title", Some(&deck.title)),
        ("description", deck.description.as_ref()),
        ("source title", Some(&deck.source.title)),
        ("source author", Some(&deck.source.author)),
        ("source url", deck.source.url.as_ref()),
    ];
    for (name, value) in deck_fields {
        if value.is_some_and(|v| is_blank(v)) {
            problems.push(Problem::EmptyDeckField(name));
        }
    }
    if deck.cards.is_empty() {
        problems.push(Problem::NoCards);
    }

    // One pass over the ids (hash lookups dominate the cost of validating a big deck): for
    // each card, the earlier card with its id if any, and whether a later card shares its id.
    let mut first_with_id: HashMap<&str, usize> = HashMap::with_capacity(deck.cards.len());
    let mut duplicate_of: Vec<Option<usize>> = vec![None; deck.cards.len()];
    let mut shared = vec![false; deck.cards.len()];
    for (i, card) in deck.cards.iter().enumerate() {
        match first_with_id.entry(card.id.as_str()) {
            Entry::Occupied(first) => {
                duplicate_of[i] = Some(*first.get());
                shared[*first.get()] = true;
            }
            Entry::Vacant(slot) => {
                slot.insert(i);
            }
        }
    }
    drop(first_with_id);
    let mut issues = Vec::new();
    let mut scratch = Scratch::default();
    for (i, card) in deck.cards.iter().enumerate() {
        let duplicate_of = duplicate_of[i].map(|first| first + 1);
        card_issues(card, duplicate_of, &mut scratch, &mut issues);
        if issues.is_empty() {
            continue;
        }
        let named_by_id = duplicate_of.is_none() && !shared[i] && !card.id.is_empty();
        let card_ref = CardRef {
            number: i + 1,
            id: named_by_id.then(|| card.id.clone()),
        };
        problems.extend(issues.drain(..).map(|issue| Problem::Card {
            card: card_ref.clone(),
            issue,
        }));
    }
    problems
}

impl Deck {
    /// Every problem with the deck (empty when it is valid); see [`validate`].
    #[must_use]
    pub fn problems(&self) -> Vec<Problem> {
        validate(self)
    }
}

/// Pushes every issue with one card onto `out`, in field order. `duplicate_of` is the number
/// (from 1) of an earlier card with the same id, if any.
fn card_issues(
    card: &Card,
    duplicate_of: Option<usize>,
    scratch: &mut Scratch,
    out: &mut Vec<CardIssue>,
) {
    if card.id.is_empty() {
        out.push(CardIssue::EmptyId);
    } else if !is_slug(&card.id) {
        out.push(CardIssue::BadId(card.id.clone()));
    }
    if let Some(first) = duplicate_of {
        out.push(CardIssue::DuplicateId {
            id: card.id.clone(),
            first,
        });
    }
    for (name, value) in [
        ("category", &card.category),
        ("prompt", &card.prompt),
        ("answer", &card.answer),
    ] {
        if is_blank(value) {
            out.push(CardIssue::EmptyField(name));
        }
    }
    for (list, entries) in [("accept", &card.accept), ("distractors", &card.distractors)] {
        for (n, entry) in entries.iter().enumerate() {
            if is_blank(entry) {
                out.push(CardIssue::EmptyEntry {
                    list,
                    number: n + 1,
                });
            }
        }
    }
    distractor_issues(card, scratch, out);
    match &card.date {
        Some(date) => {
            if let Err(err) = PartialDate::parse(date) {
                out.push(CardIssue::BadDate(err));
            }
        }
        None if card.kind() == Category::Date => out.push(CardIssue::MissingDate),
        None => {}
    }
    for (name, value) in [("event", &card.event), ("role", &card.role)] {
        if value.as_deref().is_some_and(is_blank) {
            out.push(CardIssue::EmptyField(name));
        }
    }
    match card.group.as_deref() {
        Some(group) if is_blank(group) => out.push(CardIssue::EmptyField("group")),
        Some(group) if !is_slug(group) => out.push(CardIssue::BadGroup(group.to_owned())),
        _ => {}
    }
    if let Some(cloze) = &card.cloze {
        if is_blank(cloze) {
            out.push(CardIssue::EmptyField("cloze"));
        } else {
            let blanks = cloze_blanks(cloze);
            match blanks.as_slice() {
                [] => out.push(CardIssue::ClozeNoBlank),
                [blank] if is_blank(blank) => out.push(CardIssue::ClozeEmptyBlank),
                [_] => {}
                many => out.push(CardIssue::ClozeManyBlanks(many.len())),
            }
        }
    }
    if card.explanation.as_deref().is_some_and(is_blank) {
        out.push(CardIssue::EmptyField("explanation"));
    }
    if is_blank(&card.source) {
        out.push(CardIssue::EmptyField("source excerpt"));
    }
    if let Some(image) = &card.image
        && !crate::interop::is_safe_media_name(image)
    {
        out.push(CardIssue::BadImage(image.clone()));
    }
    for (n, tag) in card.tags.iter().enumerate() {
        if is_blank(tag) {
            out.push(CardIssue::EmptyEntry {
                list: "tags",
                number: n + 1,
            });
        }
    }
}

/// Answer keys reused from card to card, so that checking distractors allocates nothing once
/// warmed up.
#[derive(Default)]
struct Scratch {
    answer: String,
    accepted: Vec<String>,
    distractors: Vec<String>,
}

/// Puts the answer keys of `texts` in the first `texts.len()` entries of `keys`.
fn fill_keys<'k>(keys: &'k mut Vec<String>, texts: &[String]) -> &'k [String] {
    for (i, text) in texts.iter().enumerate() {
        if i == keys.len() {
            keys.push(String::new());
        }
        answer_key_into(text, &mut keys[i]);
    }
    &keys[..texts.len()]
}

/// Distractors must differ from the answer, from every accepted answer and from each other.
fn distractor_issues(card: &Card, scratch: &mut Scratch, out: &mut Vec<CardIssue>) {
    if card.distractors.is_empty() {
        return;
    }
    answer_key_into(&card.answer, &mut scratch.answer);
    let answer = scratch.answer.as_str();
    let accepted = FirstIndex::new(fill_keys(&mut scratch.accepted, &card.accept));
    let keys = fill_keys(&mut scratch.distractors, &card.distractors);
    let distractors = FirstIndex::new(keys);
    for (i, (distractor, key)) in card.distractors.iter().zip(keys).enumerate() {
        if key.is_empty() {
            continue; // reported as an empty entry
        }
        if key == answer {
            out.push(CardIssue::DistractorIsAnswer(distractor.clone()));
        } else if let Some(a) = accepted.get(key) {
            out.push(CardIssue::DistractorIsAccepted {
                distractor: distractor.clone(),
                accepted: card.accept[a].clone(),
            });
        }
        if distractors.get(key).is_some_and(|first| first < i) {
            out.push(CardIssue::DuplicateDistractor(distractor.clone()));
        }
    }
}

/// The first position of each key in a list: found by scanning while the list is short (cards
/// have a handful of answers, and hashing them costs more than comparing), through a hash map
/// once it is long, so that even a card with thousands of distractors is checked in linear time.
enum FirstIndex<'a> {
    Scan(&'a [String]),
    Map(HashMap<&'a str, usize>),
}

impl<'a> FirstIndex<'a> {
    const SCAN_MAX: usize = 16;

    fn new(keys: &'a [String]) -> Self {
        if keys.len() <= Self::SCAN_MAX {
            return Self::Scan(keys);
        }
        let mut map = HashMap::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            map.entry(key.as_str()).or_insert(i);
        }
        Self::Map(map)
    }

    fn get(&self, key: &str) -> Option<usize> {
        match self {
            Self::Scan(keys) => keys.iter().position(|k| k == key),
            Self::Map(map) => map.get(key).copied(),
        }
    }
}

/// Whether `s` is a slug: one or more of `a-z`, `0-9` and `-`.
#[must_use]
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Whether `s` is empty or only whitespace.
fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// A text the cards' `source` excerpts must quote word for word: the article a deck is drawn
/// from. Quoting is blind to typography — curly or straight quotes, the kind of dash, line
/// breaks and runs of spaces ([`Folding::VERBATIM`]) — but not to words or case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    folded: String,
}

impl Article {
    #[must_use]
    pub fn new(text: &str) -> Self {
        Self {
            folded: fold_with(text, Folding::VERBATIM),
        }
    }

    /// Whether `excerpt` is word for word in the article.
    #[must_use]
    pub fn quotes(&self, excerpt: &str) -> bool {
        self.folded.contains(&fold_with(excerpt, Folding::VERBATIM))
    }

    /// The cards of `deck` whose `source` the article does not quote, in deck order.
    #[must_use]
    pub fn unquoted<'d>(&self, deck: &'d Deck) -> Vec<&'d Card> {
        deck.cards
            .iter()
            .filter(|c| !self.quotes(&c.source))
            .collect()
    }
}

/// The texts inside each `{{…}}` of a cloze, in order. An opening `{{` with no closing `}}` is
/// not a blank.
#[must_use]
pub fn cloze_blanks(cloze: &str) -> Vec<&str> {
    let mut blanks = Vec::new();
    let mut rest = cloze;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            break;
        };
        blanks.push(&after[..end]);
        rest = &after[end + 2..];
    }
    blanks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::model::{DateError, Source};

    fn card(id: &str) -> Card {
        Card {
            id: id.into(),
            category: "term".into(),
            prompt: "What was agreed?".into(),
            answer: "Global Strategic Partnership Agreement".into(),
            accept: vec![],
            distractors: vec![],
            date: None,
            event: None,
            group: None,
            role: None,
            cloze: None,
            explanation: None,
            source: "New Global Strategic Partnership Agreement".into(),
            tags: vec![],
            image: None,
        }
    }

    fn deck(cards: Vec<Card>) -> Deck {
        Deck {
            format: FORMAT_V1.into(),
            id: "test-deck".into(),
            title: "Test".into(),
            description: None,
            source: Source {
                title: "Pyongyang and Moscow Honeymoon".into(),
                author: "Parisa Pasandepour".into(),
                url: None,
            },
            cards,
        }
    }

    fn messages(deck: &Deck) -> Vec<String> {
        validate(deck).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_deck_lists_its_problems() {
        let json = crate::deck::bundled()[0].1;
        let deck: Deck = serde_json::from_str(json).unwrap();
        assert!(deck.problems().is_empty());
        let mut empty = deck.clone();
        empty.cards.clear();
        assert_eq!(empty.problems(), [Problem::NoCards]);
    }

    #[test]
    fn a_good_deck_has_no_problems() {
        assert_eq!(
            messages(&deck(vec![card("a"), card("b")])),
            Vec::<String>::new()
        );
    }

    #[test]
    fn reports_deck_level_problems() {
        let mut d = deck(vec![]);
        d.format = "flashdrill-deck/2".into();
        d.id = "My Deck".into();
        d.title = "  ".into();
        d.source.url = Some(String::new());
        assert_eq!(
            messages(&d),
            [
                "the format is \"flashdrill-deck/2\", but this version of flashdrill reads only \"flashdrill-deck/1\"",
                "the deck id \"My Deck\" is not a slug: use only a-z, 0-9 and '-'",
                "the deck's title is empty",
                "the deck's source url is empty",
                "the deck has no cards",
            ]
        );
    }

    #[test]
    fn slugs_are_lower_case_ascii_digits_and_hyphens() {
        assert!(is_slug("pm-dates-2"));
        assert!(!is_slug(""));
        assert!(!is_slug("PM-dates"));
        assert!(!is_slug("pm_dates"));
        assert!(!is_slug("pm dates"));
        assert!(!is_slug("pm-datés"));
    }

    #[test]
    fn duplicate_card_ids_name_cards_by_number() {
        let d = deck(vec![card("a"), card("b"), card("a")]);
        assert_eq!(
            messages(&d),
            ["card #3: the id \"a\" is already used by card #1"]
        );
    }

    #[test]
    fn empty_or_whitespace_texts_are_problems() {
        let mut c = card("c");
        c.prompt = " \n\t".into();
        c.answer = String::new();
        c.source = " ".into();
        c.event = Some(String::new());
        c.accept = vec!["ok".into(), " ".into()];
        c.tags = vec![String::new()];
        assert_eq!(
            messages(&deck(vec![c])),
            [
                "card \"c\": the prompt is empty",
                "card \"c\": the answer is empty",
                "card \"c\": entry 2 of \"accept\" is empty",
                "card \"c\": the event is empty",
                "card \"c\": the source excerpt is empty",
                "card \"c\": entry 1 of \"tags\" is empty",
            ]
        );
    }

    #[test]
    fn empty_and_bad_card_ids() {
        let mut c = card("");
        c.prompt = String::new();
        let d = deck(vec![c, card("Bad_Id")]);
        assert_eq!(
            messages(&d),
            [
                "card #1: the id is empty",
                "card #1: the prompt is empty",
                "card \"Bad_Id\": the id \"Bad_Id\" is not a slug: use only a-z, 0-9 and '-'",
            ]
        );
    }

    #[test]
    fn date_cards_need_a_possible_date_and_others_may_have_one() {
        let mut no_date = card("no-date");
        no_date.category = "date".into();
        let mut bad = card("bad");
        bad.category = "date".into();
        bad.date = Some("2023-13".into());
        let mut actor = card("actor");
        actor.category = "actor".into();
        actor.date = Some("2024-06".into());
        let problems = validate(&deck(vec![no_date, bad, actor]));
        assert_eq!(problems.len(), 2);
        assert_eq!(
            problems[0].to_string(),
            "card \"no-date\": it is a date card but has no \"date\" (YYYY, YYYY-MM or YYYY-MM-DD)"
        );
        assert_eq!(
            problems[1],
            Problem::Card {
                card: CardRef {
                    number: 2,
                    id: Some("bad".into())
                },
                issue: CardIssue::BadDate(DateError::Month("2023-13".into(), 13)),
            }
        );
        assert_eq!(
            problems[1].to_string(),
            "card \"bad\": the date \"2023-13\" has month 13, but months run from 01 to 12"
        );
    }

    #[test]
    fn distractors_must_not_be_right_answers_or_repeat() {
        let mut c = card("putin-first-visit");
        c.answer = "2000".into();
        c.accept = vec!["Kim Jong-un".into()];
        c.distractors = vec![
            " 2000 ".into(),
            "KIM  jong-UN".into(),
            "2001".into(),
            "2001".into(),
        ];
        assert_eq!(
            messages(&deck(vec![c])),
            [
                "card \"putin-first-visit\": the distractor \" 2000 \" is the same as the answer",
                "card \"putin-first-visit\": the distractor \"KIM  jong-UN\" is the same as the accepted answer \"Kim Jong-un\"",
                "card \"putin-first-visit\": the distractor \"2001\" is listed twice",
            ]
        );
    }

    #[test]
    fn a_group_is_a_slug() {
        let with = |group: &str| {
            let mut c = card("c");
            c.group = Some(group.into());
            messages(&deck(vec![c]))
        };
        assert!(with("putin-first-visit").is_empty());
        assert_eq!(with(" "), ["card \"c\": the group is empty"]);
        assert_eq!(
            with("First Visit"),
            ["card \"c\": the group \"First Visit\" is not a slug: use only a-z, 0-9 and '-'"]
        );
    }

    #[test]
    fn first_indexes_agree_small_and_large() {
        let keys: Vec<String> = (0..40).map(|i| (i % 30).to_string()).collect();
        for len in [5, 40] {
            let index = FirstIndex::new(&keys[..len]);
            assert_eq!(
                matches!(index, FirstIndex::Map(_)),
                len > FirstIndex::SCAN_MAX
            );
            assert_eq!(index.get("3"), Some(3));
            assert_eq!(index.get("99"), None);
        }
        assert_eq!(FirstIndex::new(&keys).get("29"), Some(29));
    }

    #[test]
    fn scratch_keys_from_a_longer_card_do_not_leak_into_a_shorter_one() {
        let mut long = card("long");
        long.accept = vec!["x".into(), "y".into(), "z".into()];
        long.distractors = vec!["a".into()];
        let mut short = card("short");
        short.accept = vec!["x".into()];
        short.distractors = vec!["z".into(), "b".into()];
        assert!(messages(&deck(vec![long, short])).is_empty());
    }

    #[test]
    fn thousands_of_distractors_are_checked_in_linear_time() {
        let mut c = card("big");
        c.accept = (0..20_000).map(|i| format!("accepted {i}")).collect();
        c.distractors = (0..20_000).map(|i| format!("wrong {i}")).collect();
        c.distractors.push("ACCEPTED 7".into());
        c.distractors.push("wrong 5".into());
        assert_eq!(
            messages(&deck(vec![c])),
            [
                "card \"big\": the distractor \"ACCEPTED 7\" is the same as the accepted answer \"accepted 7\"",
                "card \"big\": the distractor \"wrong 5\" is listed twice",
            ]
        );
    }

    #[test]
    fn an_article_quotes_excerpts_blind_to_typography_only() {
        let article = Article::new("Putin\u{2019}s \n\n \u{201c}visit\u{201d} \u{2013} in 2000.");
        assert!(article.quotes("Putin's \"visit\" - in 2000"));
        assert!(article.quotes("  visit\u{201d}\u{a0}-  in "));
        assert!(!article.quotes("putin's"), "case counts");
        assert!(!article.quotes("Putin's visit"), "words count");
        let mut bad = card("bad");
        bad.source = "Putin's trip".into();
        let mut good = card("good");
        good.source = "in 2000".into();
        let d = deck(vec![good, bad]);
        let unquoted: Vec<&str> = article.unquoted(&d).iter().map(|c| c.id.as_str()).collect();
        assert_eq!(unquoted, ["bad"]);
    }

    #[test]
    fn a_cloze_needs_exactly_one_non_empty_blank() {
        let with = |cloze: &str| {
            let mut c = card("c");
            c.cloze = Some(cloze.into());
            messages(&deck(vec![c]))
        };
        assert!(with("Putin visited in {{2000}}.").is_empty());
        assert_eq!(
            with("Putin visited in 2000."),
            ["card \"c\": the cloze has no {{…}} blank; mark the answer like {{this}}"]
        );
        assert_eq!(
            with("Putin visited in {{2000."),
            ["card \"c\": the cloze has no {{…}} blank; mark the answer like {{this}}"]
        );
        assert_eq!(
            with("{{Putin}} visited in {{2000}}."),
            ["card \"c\": the cloze has 2 {{…}} blanks, but it must have exactly one"]
        );
        assert_eq!(
            with("Putin visited in {{ }}."),
            ["card \"c\": the cloze's {{…}} blank is empty"]
        );
        assert_eq!(with(" "), ["card \"c\": the cloze is empty"]);
    }

    #[test]
    fn cloze_blanks_are_found_in_order() {
        assert_eq!(cloze_blanks("a {{b}} c {{d}} {{e"), ["b", "d"]);
        assert_eq!(cloze_blanks("{{}}"), [""]);
        assert!(cloze_blanks("no blanks }} {").is_empty());
    }

    #[test]
    fn every_card_problem_is_reported_not_only_the_first() {
        let mut a = card("a");
        a.answer = " ".into();
        let mut b = card("b");
        b.source = String::new();
        b.cloze = Some("none".into());
        assert_eq!(validate(&deck(vec![a, b])).len(), 3);
    }
}
