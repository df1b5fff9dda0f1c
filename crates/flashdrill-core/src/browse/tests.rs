use chrono::{DateTime, TimeDelta, Utc};

use super::*;
use crate::deck::{Card, Deck, Library, LoadedDeck, Origin, PartialDate, Source};
use crate::schedule::{CardState, Scheduler, SchedulerConfig, State};
use crate::session::CardKey;
use crate::store::{CardProgress, CardRecord};

fn card(id: &str, category: &str, prompt: &str, answer: &str, tags: &[&str]) -> Card {
    Card {
        id: id.into(),
        category: category.into(),
        prompt: prompt.into(),
        answer: answer.into(),
        accept: vec![],
        distractors: vec![],
        date: None,
        event: None,
        group: None,
        role: None,
        cloze: None,
        explanation: None,
        source: "s".into(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        image: None,
    }
}

fn dated(id: &str, date: &str, event: &str) -> Card {
    Card {
        date: Some(date.into()),
        event: Some(event.into()),
        group: None,
        ..card(id, "date", &format!("When: {event}?"), date, &[])
    }
}

fn deck(id: &str, title: &str, cards: Vec<Card>) -> LoadedDeck {
    LoadedDeck {
        deck: Deck {
            format: crate::deck::FORMAT_V1.into(),
            id: id.into(),
            title: title.into(),
            description: None,
            source: Source {
                title: "t".into(),
                author: "a".into(),
                url: None,
            },
            cards,
        },
        origin: Origin::Bundled,
    }
}

fn t(days: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000, 0).unwrap() + TimeDelta::days(days)
}

fn reviewed(stability: f32, difficulty: f32, due: i64, last: i64, lapses: u32) -> CardProgress {
    CardProgress::from_state(CardState {
        state: State::Review,
        step: None,
        stability: Some(stability),
        difficulty: Some(difficulty),
        due: t(due),
        last_review: Some(t(last)),
        reps: lapses + 3,
        lapses,
    })
}

fn record(deck: &str, card: &str, p: CardProgress) -> CardRecord {
    CardRecord {
        deck_id: deck.into(),
        card_id: card.into(),
        progress: p,
    }
}

fn library() -> Library {
    Library {
        decks: vec![
            deck(
                "people",
                "People",
                vec![
                    card(
                        "putin",
                        "actor",
                        "Who visited Pyongyang?",
                        "Vladimir Putin",
                        &["putin"],
                    ),
                    card(
                        "kim",
                        "actor",
                        "Who is North Korea's leader?",
                        "Kim Jong Un",
                        &["kim-jong-un"],
                    ),
                    card(
                        "sao",
                        "place",
                        "Which city is in Brazil?",
                        "São Paulo",
                        &["Brésil"],
                    ),
                ],
            ),
            deck(
                "dates",
                "Dates",
                vec![
                    dated("first-visit", "2000", "First visit"),
                    dated("artillery", "2022-09", "Artillery accusation"),
                    dated("first-visit-year", "2000", "First visit"),
                    dated("talks", "2023-09", "Talks finalised"),
                ],
            ),
        ],
        failures: vec![],
    }
}

fn records() -> Vec<CardRecord> {
    let mut suspended = reviewed(2.0, 8.0, 1, -1, 9);
    suspended.suspended = true;
    suspended.leech = true;
    vec![
        record("people", "putin", reviewed(10.0, 5.0, 3, -7, 0)),
        record("people", "kim", suspended),
        record("dates", "artillery", reviewed(30.0, 3.0, -1, -20, 1)),
        // A card no longer in its deck: left out.
        record("dates", "gone", reviewed(1.0, 1.0, 0, 0, 0)),
    ]
}

fn table() -> CardTable {
    CardTable::build(&library(), &records())
}

fn ids(table: &CardTable, rows: &[usize]) -> Vec<String> {
    rows.iter()
        .map(|&i| table.rows()[i].card_id.clone())
        .collect()
}

fn shown(table: &mut CardTable, query: &Query) -> Vec<String> {
    table.refresh(query, t(1));
    ids(table, table.shown())
}

#[test]
fn columns_are_named_in_lower_case() {
    assert_eq!(
        Column::ALL.map(Column::name),
        [
            "deck",
            "card id",
            "category",
            "prompt",
            "answer",
            "state",
            "due",
            "stability",
            "difficulty",
            "lapses",
            "reviews",
            "last review"
        ]
    );
}

#[test]
fn folds_case_accents_and_quotes() {
    assert_eq!(fold("São Paulo’s"), "sao paulo's");
    assert_eq!(fold("KIM Jong-Un"), "kim jong-un");
    assert_eq!(fold("Pe\u{301}rez"), "perez");
    assert_eq!(fold("İstanbul"), "istanbul");
    assert_eq!(fold(""), "");
}

#[test]
fn joins_cards_with_their_progress() {
    let table = table();
    assert_eq!(table.len(), 7);
    assert_eq!(table.decks().len(), 2);
    let putin = &table.rows()[table.find(&CardKey::new("people", "putin")).unwrap()];
    assert_eq!(putin.state(), State::Review);
    assert_eq!(putin.stability(), Some(10.0));
    assert_eq!(putin.reps(), 3);
    let sao = &table.rows()[table.find(&CardKey::new("people", "sao")).unwrap()];
    assert_eq!(sao.state(), State::New);
    assert_eq!(sao.due(), None);
    assert_eq!(sao.progress, None);
    assert_eq!(table.find(&CardKey::new("dates", "gone")), None);
    assert_eq!(table.categories(), ["date", "actor", "place"]);
    assert_eq!(table.deck_of(putin).title, "People");
    assert_eq!(table.key(putin), CardKey::new("people", "putin"));
}

#[test]
fn search_ignores_case_and_accents_and_needs_every_word() {
    let mut table = table();
    let q = |text: &str| Query {
        text: text.into(),
        ..Query::default()
    };
    assert_eq!(shown(&mut table, &q("sao paulo")), ["sao"]);
    assert_eq!(shown(&mut table, &q("SÃO")), ["sao"]);
    assert_eq!(
        shown(&mut table, &q("bresil")),
        ["sao"],
        "tags are searched"
    );
    assert_eq!(shown(&mut table, &q("putin")), ["putin"]);
    assert_eq!(shown(&mut table, &q("who korea")), ["kim"]);
    assert_eq!(shown(&mut table, &q("who nothing")), Vec::<String>::new());
    // Words must all be in the same card, and never match across two cards.
    assert_eq!(shown(&mut table, &q("vladimir kim")), Vec::<String>::new());
    assert_eq!(shown(&mut table, &q("putinwho")), Vec::<String>::new());
    assert_eq!(
        shown(&mut table, &q("un who")),
        ["kim"],
        "order does not matter"
    );
    assert_eq!(shown(&mut table, &q("   ")).len(), 7);
}

#[test]
fn search_over_many_cards_agrees_with_a_plain_scan() {
    let cards: Vec<Card> = (0..200)
        .map(|i| {
            let word = ["alpha", "beta", "gamma"][i % 3];
            let rare = if i % 50 == 7 { " rare" } else { "" };
            card(
                &format!("c{i}"),
                "term",
                &format!("Card {i} {word}{rare}"),
                &format!("Answer {}", i * 7),
                &[&format!("t{}", i % 4)],
            )
        })
        .collect();
    let lib = Library {
        decks: vec![deck("many", "Many", cards.clone())],
        failures: vec![],
    };
    let mut table = CardTable::build(&lib, &[]);
    for text in [
        "alpha",
        "rare",
        "rare 7",
        "rare 57",
        "rare 8",
        "alpha rare",
        "beta t1 answer",
        "gamma 14",
        "1 2",
        "zzz",
        "t3 rare",
    ] {
        let words: Vec<String> = text.split(' ').map(fold).collect();
        let expected: Vec<String> = cards
            .iter()
            .filter(|c| {
                let hay = fold(&format!(
                    "{}\n{}\n{}",
                    c.prompt,
                    c.answer,
                    c.tags.join("\n")
                ));
                words.iter().all(|w| hay.contains(w.as_str()))
            })
            .map(|c| c.id.clone())
            .collect();
        let q = Query {
            text: text.into(),
            ..Query::default()
        };
        assert_eq!(shown(&mut table, &q), expected, "{text}");
    }
}

#[test]
fn filters_narrow_by_deck_category_state_and_flags() {
    let mut table = table();
    let deck = Query {
        deck: Some("dates".into()),
        ..Query::default()
    };
    assert_eq!(
        shown(&mut table, &deck),
        ["first-visit", "artillery", "first-visit-year", "talks"]
    );
    let unknown = Query {
        deck: Some("nope".into()),
        ..Query::default()
    };
    assert!(shown(&mut table, &unknown).is_empty());
    let actors = Query {
        category: Some("actor".into()),
        ..Query::default()
    };
    assert_eq!(shown(&mut table, &actors), ["putin", "kim"]);
    let new = Query {
        state: Some(State::New),
        ..Query::default()
    };
    assert_eq!(
        shown(&mut table, &new),
        ["sao", "first-visit", "first-visit-year", "talks"]
    );
    let leeches = Query {
        leech_only: true,
        ..Query::default()
    };
    assert_eq!(shown(&mut table, &leeches), ["kim"]);
    let suspended = Query {
        suspended_only: true,
        ..Query::default()
    };
    assert_eq!(shown(&mut table, &suspended), ["kim"]);
    // Due before t(1): artillery (due t(-1)); kim is due at t(1) and suspended; putin t(3).
    let due = Query {
        due_today: true,
        ..Query::default()
    };
    assert_eq!(shown(&mut table, &due), ["artillery"]);
    let both = Query {
        category: Some("actor".into()),
        text: "vladimir".into(),
        ..Query::default()
    };
    assert_eq!(shown(&mut table, &both), ["putin"]);
}

#[test]
fn due_today_leaves_out_new_suspended_and_buried_cards() {
    let mut p = reviewed(5.0, 5.0, -2, -7, 0);
    let row = |p: Option<CardProgress>| CardRow {
        progress: p,
        ..table().rows()[0].clone()
    };
    assert!(row(Some(p)).due_by(t(0)));
    assert!(!row(Some(p)).due_by(t(-3)));
    assert!(!row(None).due_by(t(0)));
    p.buried_until = Some(t(0));
    assert!(!row(Some(p)).due_by(t(0)), "buried until the day's end");
    assert!(row(Some(p)).buried(t(-1)));
    assert!(!row(Some(p)).buried(t(0)));
    p.buried_until = None;
    p.suspended = true;
    assert!(!row(Some(p)).due_by(t(0)));
}

#[test]
fn sorts_by_every_column_both_ways_with_missing_values_last() {
    let mut table = table();
    let by = |table: &mut CardTable, column, descending: bool| {
        let order = if descending {
            Order::Descending
        } else {
            Order::Ascending
        };
        let q = Query {
            sort: Some((column, order)),
            ..Query::default()
        };
        shown(table, &q)
    };
    assert_eq!(
        by(&mut table, Column::Due, false),
        [
            "artillery",
            "kim",
            "putin",
            "sao",
            "first-visit",
            "first-visit-year",
            "talks"
        ]
    );
    assert_eq!(
        by(&mut table, Column::Due, true),
        [
            "putin",
            "kim",
            "artillery",
            "sao",
            "first-visit",
            "first-visit-year",
            "talks"
        ]
    );
    assert_eq!(
        by(&mut table, Column::Stability, true)[..3],
        ["artillery", "putin", "kim"]
    );
    assert_eq!(
        by(&mut table, Column::Difficulty, false)[..3],
        ["artillery", "putin", "kim"]
    );
    assert_eq!(
        by(&mut table, Column::Lapses, true)[..2],
        ["kim", "artillery"]
    );
    assert_eq!(
        by(&mut table, Column::LastReview, true)[..3],
        ["kim", "putin", "artillery"]
    );
    assert_eq!(
        by(&mut table, Column::Prompt, false),
        [
            "artillery",
            "first-visit",
            "first-visit-year",
            "talks",
            "sao",
            "kim",
            "putin"
        ]
    );
    // Equal prompts keep deck order in both directions.
    assert_eq!(
        by(&mut table, Column::Prompt, true),
        [
            "putin",
            "kim",
            "sao",
            "talks",
            "first-visit",
            "first-visit-year",
            "artillery"
        ]
    );
    assert_eq!(by(&mut table, Column::Answer, false)[0], "first-visit");
    assert_eq!(by(&mut table, Column::Deck, false)[0], "first-visit");
    assert_eq!(by(&mut table, Column::CardId, false)[0], "artillery");
    assert_eq!(by(&mut table, Column::Category, false)[0], "putin");
    assert_eq!(
        by(&mut table, Column::State, true)[..3],
        ["putin", "kim", "artillery"]
    );
    assert_eq!(by(&mut table, Column::Reps, true)[0], "kim");
}

#[test]
fn toggling_a_sort_flips_its_direction() {
    let mut q = Query::default();
    q.toggle_sort(Column::Due);
    assert_eq!(q.sort, Some((Column::Due, Order::Ascending)));
    q.toggle_sort(Column::Due);
    assert_eq!(q.sort, Some((Column::Due, Order::Descending)));
    q.toggle_sort(Column::Due);
    assert_eq!(q.sort, Some((Column::Due, Order::Ascending)));
    q.toggle_sort(Column::Lapses);
    assert_eq!(q.sort, Some((Column::Lapses, Order::Ascending)));
}

#[test]
fn results_are_cached_until_the_query_or_a_card_changes() {
    let mut table = table();
    let suspended = Query {
        suspended_only: true,
        ..Query::default()
    };
    assert_eq!(shown(&mut table, &suspended), ["kim"]);
    // A change to the rows without telling the table is not seen: the result is cached.
    table.meta[0].progress = Some(CardProgress {
        suspended: true,
        ..reviewed(1.0, 1.0, 0, 0, 0)
    });
    assert_eq!(shown(&mut table, &suspended), ["kim"]);
    // Through set_progress, it is.
    let mut p = reviewed(1.0, 1.0, 0, 0, 0);
    p.suspended = true;
    assert!(table.set_progress(&CardKey::new("people", "sao"), Some(p)));
    assert_eq!(shown(&mut table, &suspended), ["putin", "kim", "sao"]);
    assert!(!table.set_progress(&CardKey::new("people", "nope"), None));
    assert!(table.set_progress(&CardKey::new("people", "sao"), None));
    assert_eq!(shown(&mut table, &suspended), ["putin", "kim"]);
}

fn scheduler() -> Scheduler {
    Scheduler::new(SchedulerConfig::default()).unwrap()
}

#[test]
fn timeline_stacks_events_sharing_a_date_and_colours_by_retrievability() {
    let table = table();
    let events = timeline_events(&table, &scheduler(), t(0), 0.5);
    let keys: Vec<&str> = events.iter().map(|e| e.key.card_id.as_str()).collect();
    assert_eq!(
        keys,
        ["first-visit", "first-visit-year", "artillery", "talks"]
    );
    let levels: Vec<u32> = events.iter().map(|e| e.level).collect();
    assert_eq!(levels, [0, 1, 0, 0]);
    let x = PartialDate::parse("2022-09").unwrap().as_year_fraction();
    assert!((events[2].x - x).abs() < 1e-12);
    assert_eq!(events[0].retrievability, None);
    let r = events[2].retrievability.unwrap();
    assert!(r > 0.5 && r < 1.0, "{r}");
    // A wide gap puts 2022-09 and 2023-09 on different levels too.
    let wide = timeline_events(&table, &scheduler(), t(0), 2.0);
    assert_eq!(
        wide.iter().map(|e| e.level).collect::<Vec<_>>(),
        [0, 1, 0, 1]
    );
    for (i, a) in wide.iter().enumerate() {
        for b in &wide[i + 1..] {
            assert!(a.level != b.level || (b.x - a.x).abs() >= 2.0);
        }
    }
}

#[test]
fn event_cards_have_their_caption_on_the_timeline() {
    let mut lib = library();
    lib.decks[1].deck.cards.push(Card {
        date: Some("2022-09".into()),
        event: Some("Artillery accusation".into()),
        ..card(
            "what-sept-2022",
            "event",
            "What happened in September 2022?",
            "Artillery accusation",
            &[],
        )
    });
    // An actor card with a date is not an event on the timeline.
    lib.decks[1].deck.cards.push(Card {
        date: Some("2022-09".into()),
        event: Some("Artillery accusation".into()),
        ..card("who-2022", "actor", "Who was accused?", "North Korea", &[])
    });
    let table = CardTable::build(&lib, &records());
    let row = table
        .rows()
        .iter()
        .find(|r| r.card_id == "what-sept-2022")
        .unwrap();
    let (date, caption) = row.event.as_ref().unwrap();
    assert_eq!(*date, PartialDate::parse("2022-09").unwrap());
    assert_eq!(caption, "Artillery accusation");
    let actor = table
        .rows()
        .iter()
        .find(|r| r.card_id == "who-2022")
        .unwrap();
    assert!(actor.event.is_none());
    let events = timeline_events(&table, &scheduler(), t(0), 0.5);
    assert!(events.iter().any(|e| e.key.card_id == "what-sept-2022"));
    assert!(!events.iter().any(|e| e.key.card_id == "who-2022"));
}

#[test]
fn event_groups_have_unique_labels() {
    let mut lib = library();
    lib.decks[1]
        .deck
        .cards
        .push(dated("again", "2024", "First visit"));
    let table = CardTable::build(&lib, &[]);
    let events = timeline_events(&table, &scheduler(), t(0), 1.0);
    let groups = event_groups(&events);
    let labels: Vec<&str> = groups.iter().map(|g| g.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "First visit (2000)",
            "Artillery accusation",
            "Talks finalised",
            "First visit (2024)"
        ]
    );
    assert_eq!(groups[0].events, [0, 1]);
}

#[test]
fn forgetting_curve_falls_from_the_last_review_and_marks_today() {
    let s = scheduler();
    let p = reviewed(10.0, 5.0, 3, -7, 0);
    let curve = forgetting_curve(&s, &p.card, t(0), 30).unwrap();
    let first = curve.points[0];
    let last = *curve.points.last().unwrap();
    assert!((first[0] + 7.0).abs() < 1e-6);
    assert!((first[1] - 1.0).abs() < 1e-4);
    assert!((last[0] - 30.0).abs() < 1e-6);
    assert!(curve.points.windows(2).all(|w| w[1][1] <= w[0][1]));
    assert!(curve.today[0].abs() < 1e-12);
    let now = f64::from(s.retrievability(&p.card, t(0)).unwrap());
    assert!((curve.today[1] - now).abs() < 1e-9);
    // Stability 10 days: 90 % after 10 days.
    let ten = curve
        .points
        .iter()
        .min_by(|a, b| (a[0] - 3.0).abs().total_cmp(&(b[0] - 3.0).abs()))
        .unwrap();
    assert!((ten[1] - 0.9).abs() < 0.01, "{ten:?}");
    assert_eq!(
        forgetting_curve(&s, &CardState::new_card(t(0)), t(0), 30),
        None
    );
    assert_eq!(curve_days(None), 30);
    assert_eq!(curve_days(Some(100.0)), 300);
    assert_eq!(curve_days(Some(1e9)), 3650);
}

#[test]
fn card_detail_carries_history_and_curve() {
    let lib = library();
    let card = &lib.decks[0].deck.cards[0];
    let p = reviewed(10.0, 5.0, 3, -7, 0);
    let d = CardDetail::new(
        CardKey::new("people", "putin"),
        "People",
        card,
        Some(p),
        vec![],
        &scheduler(),
        t(0),
    );
    assert!(d.curve.is_some());
    assert!(d.retrievability.is_some_and(|r| r < 1.0));
    let new = CardDetail::new(
        CardKey::new("people", "sao"),
        "People",
        card,
        None,
        vec![],
        &scheduler(),
        t(0),
    );
    assert_eq!((new.curve, new.retrievability), (None, None));
}
