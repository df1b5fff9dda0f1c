//! Sibling cards in study, on the bundled decks: a fresh "Study all due" queue never puts two
//! siblings side by side, and with `bury_siblings` on a study day never shows two siblings.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, TimeDelta, TimeZone, Utc};
use flashdrill_core::deck::{self, Deck};
use flashdrill_core::schedule::{Rating, day_start};
use flashdrill_core::session::{CardKey, Session};
use flashdrill_core::settings::Settings;
use flashdrill_core::siblings::study_queue;
use flashdrill_core::store::{Mode, Store};

fn bundled() -> Vec<Deck> {
    deck::load_library(&[], true)
        .decks
        .into_iter()
        .map(|d| d.deck)
        .collect()
}

/// Each card's sibling group, across the decks.
fn groups(decks: &[Deck]) -> HashMap<CardKey, (String, String)> {
    decks
        .iter()
        .flat_map(|d| {
            d.cards
                .iter()
                .filter_map(move |c| Some((CardKey::new(&d.id, &c.id), deck::sibling_scope(d, c)?)))
        })
        .collect()
}

fn local(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&FixedOffset::east_opt(3600).unwrap())
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 3, 8, 0, 0).unwrap()
}

fn settings(bury: bool) -> Settings {
    Settings {
        bury_siblings: bury,
        new_per_day: 60,
        ..Settings::default()
    }
}

#[test]
fn every_bundled_card_has_a_group() {
    let decks = bundled();
    let g = groups(&decks);
    for d in &decks {
        for c in &d.cards {
            assert!(c.group.is_some(), "{}/{} has no group", d.id, c.id);
        }
    }
    assert_eq!(g.len(), decks.iter().map(|d| d.cards.len()).sum::<usize>());
}

#[test]
fn a_fresh_study_all_due_queue_never_puts_siblings_side_by_side() {
    let decks = bundled();
    let refs: Vec<&Deck> = decks.iter().collect();
    let g = groups(&decks);
    let store = Store::open_in_memory("me").unwrap();
    for bury in [true, false] {
        let queue = study_queue(&store, &refs, &settings(bury), &local(t0())).unwrap();
        // About fifty cards on thirty facts, some facts quoting one sentence: buried, one card
        // per sentence or fact.
        assert!(queue.len() >= 20, "bury {bury}: {} cards", queue.len());
        for pair in queue.windows(2) {
            assert_ne!(
                g.get(&pair[0].0),
                g.get(&pair[1].0),
                "bury {bury}: {} and {} are siblings, side by side",
                pair[0].0,
                pair[1].0
            );
        }
        let distinct: HashSet<_> = queue.iter().map(|(k, _)| &g[k]).collect();
        if bury {
            assert_eq!(distinct.len(), queue.len(), "one card per group");
        } else {
            assert!(distinct.len() < queue.len(), "siblings all come");
        }
    }
}

/// Studies the bundled decks for `days` days, two sessions a day, answering every card shown
/// (Again one time in four, else Good); returns the cards shown on each study day.
fn study(bury: bool, days: i64) -> Vec<HashSet<CardKey>> {
    let decks = bundled();
    let refs: Vec<&Deck> = decks.iter().collect();
    let settings = settings(bury);
    let mut store = Store::open_in_memory("me").unwrap();
    let mut shown_by_day: Vec<HashSet<CardKey>> = Vec::new();
    let mut answers = 0u32;
    for day in 0..days {
        let mut shown = HashSet::new();
        for hour in [0, 9] {
            let mut now = t0() + TimeDelta::days(day) + TimeDelta::hours(hour);
            assert_eq!(
                day_start(&local(now), settings.day_starts_at),
                day_start(&local(t0() + TimeDelta::days(day)), settings.day_starts_at),
                "both sessions fall on one study day"
            );
            let queue = study_queue(&store, &refs, &settings, &local(now)).unwrap();
            let mut session = Session::from_settings(&settings, Mode::Srs, queue, now).unwrap();
            while let Some(key) = session.current().cloned() {
                shown.insert(key);
                answers += 1;
                let rating = if answers.is_multiple_of(4) {
                    Rating::Again
                } else {
                    Rating::Good
                };
                now += TimeDelta::seconds(20);
                session
                    .answer(&mut store, rating, None, None, Duration::from_secs(5), now)
                    .unwrap();
                if session.is_finished()
                    && let Some(due) = session.next_learning_due()
                {
                    // Wait for a learning card due soon, as the learner would.
                    if due < now + TimeDelta::hours(1) {
                        now = due;
                        session.advance(now);
                    }
                }
            }
        }
        shown_by_day.push(shown);
    }
    shown_by_day
}

#[test]
fn with_bury_siblings_on_a_study_day_never_shows_two_siblings() {
    let g = groups(&bundled());
    let days = study(true, 12);
    let mut studied = HashSet::new();
    for (day, shown) in days.iter().enumerate() {
        let mut seen: HashMap<&(String, String), &CardKey> = HashMap::new();
        for key in shown {
            studied.insert(key.clone());
            if let Some(scope) = g.get(key)
                && let Some(other) = seen.insert(scope, key)
            {
                panic!("day {day}: siblings {other} and {key} were both shown");
            }
        }
    }
    // Siblings still get their turn on later days.
    assert!(
        studied.len() > g.values().collect::<HashSet<_>>().len(),
        "only {} cards studied in 12 days",
        studied.len()
    );
}

#[test]
fn with_bury_siblings_off_siblings_share_a_day() {
    let g = groups(&bundled());
    let first_day = &study(false, 1)[0];
    let scopes: HashSet<_> = first_day.iter().filter_map(|k| g.get(k)).collect();
    assert!(scopes.len() < first_day.len());
}

/// The words of `text`, lower case, as one string with a space on each side.
fn spaced_words(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    format!(" {} ", words.join(" "))
}

fn card<'d>(decks: &'d [Deck], key: &CardKey) -> &'d deck::Card {
    decks
        .iter()
        .find(|d| d.id == key.deck_id)
        .and_then(|d| d.card(&key.card_id))
        .expect("a bundled card")
}

#[test]
fn no_new_card_of_study_all_due_gives_away_the_next_ones_answer() {
    let decks = bundled();
    let refs: Vec<&Deck> = decks.iter().collect();
    let store = Store::open_in_memory("me").unwrap();
    for bury in [true, false] {
        let queue = study_queue(&store, &refs, &settings(bury), &local(t0())).unwrap();
        let first: Vec<&deck::Card> = queue
            .iter()
            .take(15)
            .map(|(k, _)| card(&decks, k))
            .collect();
        for pair in first.windows(2) {
            let shown = spaced_words(&format!(
                "{} . {} . {}",
                pair[0].explanation.as_deref().unwrap_or(""),
                pair[0].source,
                pair[0].prompt
            ));
            let answer = spaced_words(&pair[1].answer);
            assert!(
                !shown.contains(&answer),
                "bury {bury}: {} gives away {}'s answer {:?}",
                pair[0].id,
                pair[1].id,
                pair[1].answer
            );
        }
        // The decks take turns: the first six cards come from every deck.
        let decks_seen: HashSet<&str> = queue
            .iter()
            .take(6)
            .map(|(k, _)| k.deck_id.as_str())
            .collect();
        assert_eq!(decks_seen.len(), decks.len(), "bury {bury}: {decks_seen:?}");
    }
}

#[test]
fn cards_quoting_one_sentence_are_not_shown_the_same_day() {
    let decks = bundled();
    for (day, shown) in study(true, 6).iter().enumerate() {
        let mut seen: HashMap<String, &CardKey> = HashMap::new();
        for key in shown {
            let source = spaced_words(&card(&decks, key).source);
            if let Some(other) = seen.insert(source, key) {
                panic!("day {day}: {other} and {key} quote the same source");
            }
        }
    }
}
