//! The decks built into the app: valid, written in canonical form, true to the article they are
//! drawn from, and following the bundled decks' own rules (one kind of card per deck, enough
//! distractors, dates that agree with their answers, …) beyond what any deck must follow.
//!
//! The article is `tests/data/article/pyongyang-moscow-honeymoon.txt` (the bundled decks'
//! source, kept with them), or the copy in `FLASHDRILL_SEED_DIR` when that is set.

use std::collections::HashMap;
use std::path::PathBuf;

use flashdrill_core::deck::{self, Article, Card, Category, Deck, Origin, PartialDate};
use flashdrill_core::quiz::normalize::{Folding, fold, fold_with};

const ARTICLE: &str = "pyongyang-moscow-honeymoon.txt";

/// The article's folder: `FLASHDRILL_SEED_DIR`, else the copy beside these tests.
fn article_dir() -> PathBuf {
    std::env::var_os("FLASHDRILL_SEED_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/article"),
        PathBuf::from,
    )
}

/// The article's text. A missing article fails the test: the excerpts must be checked.
fn article() -> String {
    let path = article_dir().join(ARTICLE);
    match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!(
            "cannot read the article {} ({e}): the bundled decks' `source` excerpts are checked \
             against it. Restore crates/flashdrill-core/tests/data/article/{ARTICLE}, or set \
             FLASHDRILL_SEED_DIR to a folder holding {ARTICLE}.",
            path.display()
        ),
    }
}

/// Each bundled file: its deck id and the categories its cards may have. The dates deck holds
/// the timeline: each dated event whole (when, what, the figures that belong to it) and what
/// each step changed; the actors deck holds who is who and what each power wants; the terms deck
/// holds the agreement's terms and the article's arguments, with the river at stake.
const FILES: [(&str, &str, &[&str]); 3] = [
    (
        "dates.json",
        "pm-dates",
        &["date", "event", "number", "argument"],
    ),
    ("actors.json", "pm-actors", &["actor", "argument"]),
    ("terms.json", "pm-terms", &["term", "argument", "place"]),
];
/// Case and spacing folded, typography kept: how `accept` entries must differ.
const AS_TYPED: Folding = Folding {
    quotes: false,
    dashes: false,
    ..Folding::TEXT
};
/// Months the article implies without naming them, each worked out in the cards' explanations
/// from what the article says: the invasion, "seven months" before September 2022; and Putin's
/// visit to Pyongyang, "270 days" after Kim's visit of September 2023.
const DERIVED_MONTHS: [&str; 2] = ["2022-02", "2024-06"];
const SOURCE_TITLE: &str = "Pyongyang and Moscow Honeymoon";
const SOURCE_AUTHOR: &str = "Parisa Pasandepour";
use flashdrill_core::deck::MONTHS;

/// A date-shaped answer: `"2000"` → (2000, None); `"September 2022"` → (2022, Some(9)).
fn answer_as_date(answer: &str) -> Option<(i32, Option<u8>)> {
    let year = |w: &str| {
        (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse().ok())
            .flatten()
    };
    match answer.split_whitespace().collect::<Vec<_>>().as_slice() {
        [y] => year(y).map(|y| (y, None)),
        [m, y] => {
            let month = MONTHS.iter().position(|n| n.eq_ignore_ascii_case(m))?;
            year(y).map(|y| (y, Some(month as u8 + 1)))
        }
        _ => None,
    }
}

/// The text inside a cloze's only `{{…}}`.
fn cloze_blank(cloze: &str) -> Option<&str> {
    match deck::cloze_blanks(cloze).as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// Every problem of one bundled deck file with the bundled decks' rules, `"<file> card <id>:
/// <what>"`. `raw` is the file's text; `text` the article's.
fn bundled_problems(
    file: &str,
    raw: &str,
    deck: &Deck,
    expected_id: &str,
    categories: &[&str],
    text: &str,
) -> Vec<String> {
    let article = Article::new(text);
    let mut problems = Vec::new();
    let mut problem = |here: &str, what: String| problems.push(format!("{here}: {what}"));
    let canonical = serde_json::to_string_pretty(deck).unwrap() + "\n";
    if raw != canonical {
        problem(
            file,
            "not in canonical form (the deck's fields in order, pretty-printed with a 2-space \
             indent and a final newline)"
                .to_owned(),
        );
    }
    if deck.id != expected_id {
        problem(
            file,
            format!("deck id {:?}, expected {expected_id:?}", deck.id),
        );
    }
    if (deck.source.title.as_str(), deck.source.author.as_str()) != (SOURCE_TITLE, SOURCE_AUTHOR) {
        problem(file, format!("source {:?}", deck.source));
    }
    let mut roles: HashMap<String, &str> = HashMap::new();
    for card in &deck.cards {
        let here = format!("{file} card {:?}", card.id);
        let mut texts = vec![
            ("category", &card.category),
            ("prompt", &card.prompt),
            ("answer", &card.answer),
            ("source", &card.source),
        ];
        for (name, value) in [
            ("date", &card.date),
            ("event", &card.event),
            ("role", &card.role),
            ("cloze", &card.cloze),
            ("explanation", &card.explanation),
        ] {
            if let Some(v) = value {
                texts.push((name, v));
            }
        }
        for list in [&card.accept, &card.distractors, &card.tags] {
            texts.extend(list.iter().map(|v| ("list entry", v)));
        }
        for (name, value) in texts {
            if value.trim() != value {
                problem(&here, format!("{name} {value:?} has edge whitespace"));
            }
        }
        if !categories.contains(&card.category.as_str()) {
            problem(
                &here,
                format!("category {:?} does not belong in this deck", card.category),
            );
        }
        // Case and spacing only: an entry that differs by a dash or a quote mark is redundant
        // for marking (which forgives those) but may stay, as the author's spelling.
        let as_typed = |s: &str| fold_with(s, AS_TYPED);
        let mut accepted = vec![as_typed(&card.answer)];
        for alt in &card.accept {
            if accepted.contains(&as_typed(alt)) {
                problem(
                    &here,
                    format!("accept entry {alt:?} repeats the answer or another entry"),
                );
            }
            accepted.push(as_typed(alt));
        }
        if card.distractors.len() < 3 {
            problem(
                &here,
                format!("{} distractors, need 3 or more", card.distractors.len()),
            );
        }
        if let Some(cloze) = &card.cloze {
            match cloze_blank(cloze) {
                Some(blank)
                    if fold(blank) == fold(&card.answer)
                        || card.accept.iter().any(|a| fold(a) == fold(blank)) => {}
                Some(blank) => {
                    problem(
                        &here,
                        format!("cloze blank {blank:?} is neither the answer nor accepted"),
                    );
                }
                None => problem(&here, "cloze needs exactly one {{…}}".to_owned()),
            }
        }
        if !article.quotes(&card.source) {
            problem(
                &here,
                format!(
                    "source is not word for word in the article: {:?}",
                    card.source
                ),
            );
        }
        // A date card places its event on the timeline; an event card may (when its event has a
        // date in the article); no other card has either.
        let kind = card.kind();
        for (name, present) in [
            ("date", card.date.is_some()),
            ("event", card.event.is_some()),
        ] {
            let fits = match kind {
                Category::Date => present,
                Category::Event => true,
                _ => !present,
            };
            if !fits {
                problem(
                    &here,
                    format!(
                        "{name} must be present on date cards, and only on date and event cards"
                    ),
                );
            }
        }
        if let Some(date) = &card.date {
            match PartialDate::parse(date) {
                Err(e) => problem(&here, e.to_string()),
                Ok(d) => {
                    if !text.contains(&d.year.to_string()) {
                        problem(
                            &here,
                            format!("year {} never appears in the article", d.year),
                        );
                    }
                    if let Some(m) = d.month
                        && !date.get(..7).is_some_and(|p| DERIVED_MONTHS.contains(&p))
                    {
                        let name = MONTHS[usize::from(m - 1)];
                        if !text.contains(name) {
                            problem(&here, format!("month {name} never appears in the article"));
                        }
                    }
                    if let Some((year, month)) = answer_as_date(&card.answer)
                        && (year != d.year || month.is_some_and(|m| Some(m) != d.month))
                    {
                        problem(
                            &here,
                            format!("answer {:?} disagrees with date {date:?}", card.answer),
                        );
                    }
                }
            }
        }
        // An actor card may go without a role when its answer names the same actor as another
        // card's (the United States and the White House): a matching question could then be
        // answered two ways.
        if card.role.is_some() && card.kind() != Category::Actor {
            problem(&here, "only actor cards have a role".to_owned());
        }
        if let Some(role) = &card.role
            && let Some(other) = roles.insert(fold(role), &card.id)
        {
            problem(&here, format!("role repeats that of card {other:?}"));
        }
        for tag in &card.tags {
            if !deck::is_slug(tag) {
                problem(&here, format!("tag {tag:?} is not a slug"));
            }
        }
    }
    problems
}

fn bundled_decks() -> Vec<(&'static str, &'static str, Deck)> {
    deck::bundled()
        .iter()
        .map(|&(file, raw)| (file, raw, serde_json::from_str(raw).unwrap()))
        .collect()
}

#[test]
fn bundled_decks_load_with_zero_problems() {
    let library = deck::load_library(&[], true);
    let problems: Vec<String> = library.failures.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(library.decks.len(), deck::bundled().len());
    assert!(library.decks.iter().all(|d| d.origin == Origin::Bundled));
    assert_eq!(library.deck_ids(), ["pm-dates", "pm-actors", "pm-terms"]);
}

#[test]
fn bundled_decks_follow_the_bundled_rules_and_quote_the_article_verbatim() {
    let article = article();
    let decks = bundled_decks();
    assert_eq!(
        decks.iter().map(|d| d.0).collect::<Vec<_>>(),
        FILES.map(|f| f.0)
    );
    let mut problems = Vec::new();
    for ((file, raw, deck), (_, id, categories)) in decks.iter().zip(FILES) {
        problems.extend(bundled_problems(file, raw, deck, id, categories, &article));
    }
    assert!(
        problems.is_empty(),
        "the bundled decks break these rules (the article is {}):\n{}",
        article_dir().join(ARTICLE).display(),
        problems.join("\n")
    );
}

#[test]
fn bundled_prompts_are_unique_across_decks() {
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut repeated = Vec::new();
    for (file, _, deck) in bundled_decks() {
        for card in &deck.cards {
            let here = format!("{file} card {:?}", card.id);
            if let Some(first) = seen.insert(fold(&card.prompt), here.clone()) {
                repeated.push(format!("{here}: same prompt as {first}"));
            }
        }
    }
    assert!(repeated.is_empty(), "{}", repeated.join("\n"));
}

#[test]
fn bundled_decks_pass_check_without_warnings() {
    let library = deck::load_library(&[], true);
    let decks: Vec<&deck::Deck> = library.decks.iter().map(|d| &d.deck).collect();
    let warnings: Vec<String> = decks
        .iter()
        .zip(deck::warnings(&decks))
        .flat_map(|(d, list)| list.into_iter().map(move |w| format!("{}: {w}", d.id)))
        .collect();
    assert!(warnings.is_empty(), "{}", warnings.join("\n"));
}

#[test]
fn bundled_decks_cover_enough_of_each_category() {
    let library = deck::load_library(&[], true);
    let cards: Vec<&Card> = library
        .decks
        .iter()
        .flat_map(|d| d.deck.cards.iter())
        .collect();
    let count = |c: &Category| cards.iter().filter(|k| k.kind() == *c).count();
    // One fact, one to three cards, no trivia: the article's facts and arguments give about 50
    // cards. These floors catch a deck or a kind of card lost by mistake.
    assert!(cards.len() >= 48, "{} cards in all", cards.len());
    for (id, least) in [("pm-dates", 16), ("pm-actors", 12), ("pm-terms", 16)] {
        let n = library.deck(id).map_or(0, |d| d.deck.cards.len());
        assert!(n >= least, "{id}: {n} cards, want {least} or more");
    }
    for (category, least) in [
        (Category::Actor, 9),
        (Category::Term, 5),
        (Category::Date, 8),
        (Category::Event, 3),
    ] {
        assert!(
            count(&category) >= least,
            "{} {} cards, want {least} or more",
            count(&category),
            category.as_str()
        );
    }
    // About two cards in five ask why, what changed or so what.
    let arguments = count(&Category::Argument);
    assert!(
        arguments * 100 >= cards.len() * 35,
        "{arguments} argument cards of {}: the why and so what of the story want about 40 %",
        cards.len()
    );
    // One perspective card per power: what each wants.
    let actors = &library.deck("pm-actors").unwrap().deck;
    let mut perspectives: Vec<&str> = actors
        .cards
        .iter()
        .filter(|c| c.tags.iter().any(|t| t == "perspective"))
        .map(|c| {
            assert_eq!(c.kind(), Category::Argument, "{}", c.id);
            c.tags[0].as_str()
        })
        .collect();
    perspectives.sort_unstable();
    assert_eq!(
        perspectives,
        ["china", "north-korea", "russia", "united-states"]
    );
}

/// Key terms are short enough to type ("mutual assistance", "multipolar world"): a term card is
/// asked as a typed question or a cloze, not only recognised among options.
#[test]
fn bundled_key_terms_can_be_typed() {
    let long: Vec<String> = bundled_decks()
        .iter()
        .flat_map(|(file, _, deck)| {
            deck.cards
                .iter()
                .filter(|c| c.kind() == Category::Term)
                .filter(|c| {
                    c.answer.split_whitespace().count() > flashdrill_core::quiz::MAX_TYPED_WORDS
                })
                .map(move |c| format!("{file} card {:?}: {:?}", c.id, c.answer))
        })
        .collect();
    assert!(long.is_empty(), "too long to type:\n{}", long.join("\n"));
}

/// Every date the article names, and the dates it implies, is the date of a date card, so that
/// timeline rounds run from 2000 to June 2024 without a gap.
#[test]
fn the_timeline_has_every_dated_event_of_the_article() {
    let article = article();
    let library = deck::load_library(&[], true);
    let dated: Vec<(&str, &str)> = library
        .decks
        .iter()
        .flat_map(|d| d.deck.cards.iter())
        .filter(|c| c.kind() == Category::Date)
        .map(|c| (c.date.as_deref().unwrap(), c.event.as_deref().unwrap_or("")))
        .collect();
    let parsed = flashdrill_core::draft::Article::parse(&article);
    let named: std::collections::BTreeSet<&str> = parsed
        .candidates
        .iter()
        .filter_map(|c| c.date.as_deref())
        .collect();
    assert_eq!(
        named.iter().copied().collect::<Vec<_>>(),
        ["2000", "2022-09", "2023-08", "2023-09", "2024-03"],
        "the dates the article names"
    );
    // The invasion, seven months before September 2022; the report of over 1,000 containers,
    // "a few weeks" after September 2023; Putin's visit, 270 days after Kim's.
    let implied = ["2022-02", "2023", "2024-06"];
    for date in named.iter().copied().chain(implied) {
        assert!(
            dated.iter().any(|(d, _)| *d == date),
            "no date card for {date}: {dated:?}"
        );
    }
    assert_eq!(dated.len(), named.len() + implied.len(), "{dated:?}");
    let first = dated.iter().map(|(d, _)| *d).min();
    let last = dated.iter().map(|(d, _)| *d).max();
    assert_eq!((first, last), (Some("2000"), Some("2024-06")));
    assert!(dated.iter().all(|(_, event)| !event.is_empty()));
}

/// Cards do not age: "the latest visit" or "the current leader" stops being true (Putin and Kim
/// met again in Beijing on 3 September 2025). Visits are named by place or date. Only the
/// quoted source may say "latest" or "current", as the article does.
#[test]
fn bundled_cards_name_visits_and_years_rather_than_latest_or_current() {
    const AGEING: [&str; 7] = [
        "latest",
        "current",
        "currently",
        "today",
        "nowadays",
        "recent",
        "at the time",
    ];
    let mut aged = Vec::new();
    for (file, _, deck) in bundled_decks() {
        for card in &deck.cards {
            let mut texts = vec![&card.prompt, &card.answer];
            texts.extend(
                [&card.event, &card.role, &card.cloze, &card.explanation]
                    .into_iter()
                    .flatten(),
            );
            texts.extend(card.accept.iter().chain(&card.distractors));
            for text in texts {
                let words = fold(text);
                let words: Vec<&str> = words
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .collect();
                let joined = format!(" {} ", words.join(" "));
                for word in AGEING {
                    if joined.contains(&format!(" {word} ")) {
                        aged.push(format!("{file} card {:?}: {word:?} in {text:?}", card.id));
                    }
                }
            }
        }
    }
    assert!(aged.is_empty(), "{}", aged.join("\n"));
}

/// Read against the article itself, the bundled decks still warn of nothing: at most three cards
/// per sentence of the article, whatever their groups, and every distractor found in it or
/// explained.
#[test]
fn bundled_decks_pass_check_against_their_article_without_warnings() {
    let article = article();
    let library = deck::load_library(&[], true);
    let decks: Vec<&deck::Deck> = library.decks.iter().map(|d| &d.deck).collect();
    let warnings: Vec<String> = decks
        .iter()
        .zip(deck::warnings_with_article(&decks, Some(&article)))
        .flat_map(|(d, list)| list.into_iter().map(move |w| format!("{}: {w}", d.id)))
        .collect();
    assert!(warnings.is_empty(), "{}", warnings.join("\n"));
}

#[test]
fn every_dated_event_is_asked_both_ways() {
    let library = deck::load_library(&[], true);
    let cards: Vec<&deck::Card> = library
        .decks
        .iter()
        .flat_map(|d| d.deck.cards.iter())
        .collect();
    let dated_events = |kind: Category| -> std::collections::BTreeSet<(String, String)> {
        cards
            .iter()
            .filter(|c| c.kind() == kind)
            .filter_map(|c| Some((c.date.clone()?, c.event.clone()?)))
            .collect()
    };
    let events = dated_events(Category::Event);
    let dates = dated_events(Category::Date);
    // Three dated events are also asked the other way round (what happened then?); the
    // others' sentences already carry three cards.
    assert!(events.len() >= 3, "{events:?}");
    for (date, caption) in &events {
        assert!(
            dates
                .iter()
                .any(|(d, c)| c == caption && date.starts_with(d.as_str())),
            "no date card asks when {caption:?} ({date}) happened"
        );
    }
    // A caption names one event on the timeline: it is never given two dates.
    let mut date_of: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for c in &cards {
        if let (Some(date), Some(event)) = (&c.date, &c.event)
            && let Some(other) = date_of.insert(event, date)
        {
            assert_eq!(other, date, "{event:?} is dated both {other} and {date}");
        }
    }
    // Every event card's answer is its caption, as timelines show it.
    for c in cards.iter().filter(|c| c.kind() == Category::Event) {
        if let Some(event) = &c.event {
            assert_eq!(&c.answer, event, "{}", c.id);
        }
    }
}

/// The rules above can fail: a deck breaking each of them is caught, with a message naming the
/// card and the rule.
#[test]
fn the_bundled_rules_catch_each_kind_of_mistake() {
    let article =
        "In September 2022, Putin\u{2019}s envoy said \u{201c}no\u{201d} \u{2013} twice. 2000.";
    let good = Card {
        id: "good".into(),
        category: "date".into(),
        prompt: "When?".into(),
        answer: "September 2022".into(),
        accept: vec!["Sept 2022".into()],
        distractors: vec!["2001".into(), "2002".into(), "2003".into()],
        date: Some("2022-09".into()),
        event: Some("The envoy".into()),
        role: None,
        group: None,
        cloze: Some("In {{September 2022}}, …".into()),
        explanation: None,
        source: "Putin's envoy said \"no\" - twice".into(),
        tags: vec!["envoy".into()],
        image: None,
    };
    let mut deck = Deck {
        format: deck::FORMAT_V1.into(),
        id: "pm-dates".into(),
        title: "Dates".into(),
        description: None,
        source: deck::Source {
            title: SOURCE_TITLE.into(),
            author: SOURCE_AUTHOR.into(),
            url: None,
        },
        cards: vec![good.clone()],
    };
    let check = |deck: &Deck| {
        let raw = serde_json::to_string_pretty(deck).unwrap() + "\n";
        bundled_problems("d.json", &raw, deck, "pm-dates", &["date"], article)
    };
    assert_eq!(check(&deck), Vec::<String>::new(), "a good card passes");
    let raw = serde_json::to_string(&deck).unwrap();
    assert_eq!(
        bundled_problems("d.json", &raw, &deck, "pm-other", &["date"], article),
        [
            "d.json: not in canonical form (the deck's fields in order, pretty-printed with a \
             2-space indent and a final newline)",
            "d.json: deck id \"pm-dates\", expected \"pm-other\"",
        ]
    );
    let mut bad = good.clone();
    bad.id = "bad".into();
    bad.category = "actor".into();
    bad.prompt = " When? ".into();
    bad.accept = vec!["SEPTEMBER  2022".into()];
    bad.distractors.pop();
    bad.cloze = Some("In {{2022}}".into());
    bad.source = "Putin's envoy said yes".into();
    bad.date = Some("1999-09".into());
    bad.answer = "October 2022".into();
    bad.accept = vec!["october 2022".into()];
    bad.cloze = Some("In {{2022}}".into());
    bad.tags = vec!["Not A Slug".into()];
    deck.cards = vec![bad];
    let problems = check(&deck);
    for expected in [
        "prompt \" When? \" has edge whitespace",
        "category \"actor\" does not belong in this deck",
        "accept entry \"october 2022\" repeats the answer or another entry",
        "2 distractors, need 3 or more",
        "cloze blank \"2022\" is neither the answer nor accepted",
        "source is not word for word in the article: \"Putin's envoy said yes\"",
        "date must be present on date cards, and only on date and event cards",
        "event must be present on date cards, and only on date and event cards",
        "year 1999 never appears in the article",
        "answer \"October 2022\" disagrees with date \"1999-09\"",
        "tag \"Not A Slug\" is not a slug",
    ] {
        let line = format!("d.json card \"bad\": {expected}");
        assert!(
            problems.contains(&line),
            "missing {line:?} in\n{}",
            problems.join("\n")
        );
    }
    let mut with_role = good.clone();
    with_role.role = Some("The envoy".into());
    deck.cards = vec![with_role];
    assert_eq!(
        check(&deck),
        ["d.json card \"good\": only actor cards have a role"]
    );
    let mut a = good.clone();
    a.category = "actor".into();
    a.date = None;
    a.event = None;
    a.role = Some("The Envoy".into());
    let mut b = a.clone();
    b.id = "other".into();
    b.role = Some("the  envoy".into());
    deck.cards = vec![a, b];
    let problems = check(&deck);
    assert!(
        problems.contains(&"d.json card \"other\": role repeats that of card \"good\"".to_owned()),
        "{problems:?}"
    );
}

#[test]
fn dates_in_answers_are_read_as_years_or_months() {
    assert_eq!(answer_as_date("2000"), Some((2000, None)));
    assert_eq!(answer_as_date("September 2022"), Some((2022, Some(9))));
    assert_eq!(answer_as_date("june 2024"), Some((2024, Some(6))));
    assert_eq!(answer_as_date("Kim Jong Un"), None);
    assert_eq!(answer_as_date("20000"), None);
    assert_eq!(answer_as_date("Sept 2022"), None);
}

/// Every moved or renamed card is in its new place and no longer in its old one (or moves on
/// later in the list); a profile with progress on a moved card, or on a renamed one, under its
/// old key finds it, history and all, under the new one once reopened.
#[test]
fn progress_on_bundled_cards_that_changed_deck_or_id_follows_them() {
    use chrono::{TimeZone, Utc};
    use flashdrill_core::schedule::{CardState, Rating, Scheduler, SchedulerConfig};
    use flashdrill_core::store::{LeechPolicy, Mode, NewReview, Store};

    let library = deck::load_library(&[], true);
    let has = |deck: &str, card: &str| {
        library
            .deck(deck)
            .is_some_and(|d| d.deck.cards.iter().any(|c| c.id == card))
    };
    assert!(!deck::MOVED_CARDS.is_empty());
    for (n, m) in deck::MOVED_CARDS.iter().enumerate() {
        assert!(
            !has(m.from_deck, m.from_card),
            "{m:?}: still in its old place"
        );
        let moves_on = deck::MOVED_CARDS[n + 1..]
            .iter()
            .any(|later| (later.from_deck, later.from_card) == (m.to_deck, m.to_card));
        assert!(
            has(m.to_deck, m.to_card) || moves_on,
            "{m:?}: not in its new place"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("learner.sqlite");
    let moved = deck::MOVED_CARDS[0];
    let renamed = *deck::MOVED_CARDS
        .iter()
        .find(|m| m.from_card != m.to_card)
        .expect("a renamed card");
    let at = Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap();
    let leeches = LeechPolicy::from_settings(&flashdrill_core::settings::Settings::default());
    {
        let mut store = Store::open(&path).unwrap();
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let after = scheduler.review(&CardState::new_card(at), Rating::Good, at, 1);
        // As an older flashdrill recorded them: under the old keys. (The rows are moved when a
        // profile is opened, so this one is already open.)
        for (m, given) in [(moved, "over 1000"), (renamed, "a step forward")] {
            store
                .record_answer(
                    &NewReview {
                        deck_id: m.from_deck,
                        card_id: m.from_card,
                        at,
                        rating: Rating::Good,
                        mode: Mode::Srs,
                        answer_given: Some(given),
                        correct: Some(true),
                        response_ms: 2100,
                        state_after: Some(after),
                    },
                    leeches,
                )
                .unwrap();
        }
        // A card that stayed put keeps its place.
        store
            .record_answer(
                &NewReview {
                    deck_id: "pm-numbers-places",
                    card_id: "a-card-that-never-moved",
                    at,
                    rating: Rating::Good,
                    mode: Mode::Practice,
                    answer_given: None,
                    correct: Some(true),
                    response_ms: 1500,
                    state_after: None,
                },
                leeches,
            )
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    for (m, given) in [(moved, "over 1000"), (renamed, "a step forward")] {
        assert!(
            store.card(m.from_deck, m.from_card).unwrap().is_none(),
            "{m:?}"
        );
        let progress = store.card(m.to_deck, m.to_card).unwrap().unwrap();
        assert_eq!(progress.card.reps, 1, "{m:?}");
        let history = store.card_history(m.to_deck, m.to_card).unwrap();
        assert_eq!(history.len(), 1, "{m:?}");
        assert_eq!(history[0].answer_given.as_deref(), Some(given));
    }
    let reviews = store.all_reviews().unwrap();
    assert!(
        reviews
            .iter()
            .any(|r| r.deck_id == "pm-numbers-places" && r.card_id == "a-card-that-never-moved")
    );
}
