//! Practice: study any deck, category or tag right now, whatever the schedule says. Pure: no UI,
//! no SQL, no clock (the caller passes the stored card states, today's answers and the time).
//!
//! - [`practice_queue`] picks the cards of a [`PracticeFilter`] (due or not, suspended or not,
//!   with no daily limit), shuffled by a seed, ready for `session::Session::from_settings` with
//!   `store::Mode::Practice`. Practice answers are logged and never move a card's schedule.
//! - [`counts`] tells the practice screen how many cards a filter gives.
//! - [`round`] builds a practice round of timeline questions (date cards) or matching
//!   questions (cards with a `role`), each item tied back to its card by a [`CardKey`].
//!
//! Timeline and matching answers are logged as one practice review per card shown; see
//! [`answer_rating`].

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::deck::{Card, Library};
use crate::quiz::normalize::fold;
use crate::quiz::{self, Matching, SessionForm, Timeline};
use crate::schedule::Rating;
use crate::session::CardKey;
use crate::store::{CardProgress, CardRecord, ReviewRecord};

/// Which cards to practise. Every condition that is set must hold; an empty filter takes every
/// card of every loaded deck.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PracticeFilter {
    /// A deck id.
    pub deck: Option<String>,
    /// A card category as written in decks (`"actor"`, `"date"`, …).
    pub category: Option<String>,
    /// One of the cards' tags.
    pub tag: Option<String>,
    /// Only cards tagged as leeches (the stored leech flag).
    pub leeches_only: bool,
    /// Only cards answered wrong at least once today, in any mode.
    pub missed_today: bool,
    /// At most this many cards (after shuffling).
    pub limit: Option<usize>,
}

impl PracticeFilter {
    /// Every card of one category ("Practice all actors": `by_category("actor")`).
    #[must_use]
    pub fn by_category(category: &str) -> Self {
        Self {
            category: Some(category.to_owned()),
            ..Self::default()
        }
    }

    /// Every leech ("Practice my leeches").
    #[must_use]
    pub fn leeches() -> Self {
        Self {
            leeches_only: true,
            ..Self::default()
        }
    }

    /// Every card missed today ("Practice cards I missed today").
    #[must_use]
    pub fn missed_today() -> Self {
        Self {
            missed_today: true,
            ..Self::default()
        }
    }

    /// The same filter with a limit.
    #[must_use]
    pub fn with_limit(mut self, limit: Option<usize>) -> Self {
        self.limit = limit;
        self
    }
}

/// How a practice session asks its questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PracticeForm {
    /// One card at a time on the study screen, in this form.
    Cards(SessionForm),
    /// Put three to five date cards' events in order ([`quiz::timeline`]).
    Timeline,
    /// Pair cards' answers with their roles ([`quiz::matching`]).
    Matching,
}

impl Default for PracticeForm {
    fn default() -> Self {
        Self::Cards(SessionForm::Mixed)
    }
}

impl PracticeForm {
    /// Whether this form is a round of timeline or matching questions.
    #[must_use]
    pub fn is_round(self) -> bool {
        matches!(self, Self::Timeline | Self::Matching)
    }

    /// The fewest usable cards this form needs (see [`FilterCounts::usable`]).
    #[must_use]
    pub fn needs(self) -> usize {
        match self {
            Self::Cards(_) => 1,
            Self::Timeline => quiz::MIN_EVENTS,
            Self::Matching => quiz::MIN_PAIRS,
        }
    }
}

/// Events in each timeline question of a practice round.
pub const TIMELINE_EVENTS: usize = 4;
/// Pairs in each matching question of a practice round.
pub const MATCHING_PAIRS: usize = 6;

/// How many cards a filter gives, for the practice screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FilterCounts {
    /// Cards that pass the filter (before its limit).
    pub cards: usize,
    /// Of those, cards with a valid date (timeline questions).
    pub dated: usize,
    /// Of those, cards with a role (matching questions).
    pub with_role: usize,
}

impl FilterCounts {
    /// The cards a form can use: all of them, the dated ones or the ones with a role.
    #[must_use]
    pub fn usable(&self, form: PracticeForm) -> usize {
        match form {
            PracticeForm::Cards(_) => self.cards,
            PracticeForm::Timeline => self.dated,
            PracticeForm::Matching => self.with_role,
        }
    }
}

/// The cards answered wrong (`ReviewRecord::is_right() == false`) among `reviews`.
#[must_use]
pub fn missed_keys(reviews: &[ReviewRecord]) -> HashSet<CardKey> {
    reviews
        .iter()
        .filter(|r| !r.is_right())
        .map(|r| CardKey::new(&r.deck_id, &r.card_id))
        .collect()
}

/// Every card passing `filter` (its limit aside), in deck and card order, with its stored
/// progress when it has one.
fn candidates<'a>(
    library: &'a Library,
    states: &[CardRecord],
    reviews_today: &[ReviewRecord],
    filter: &PracticeFilter,
) -> Vec<(CardKey, &'a Card, Option<CardProgress>)> {
    let stored: std::collections::HashMap<(&str, &str), CardProgress> = states
        .iter()
        .map(|r| ((r.deck_id.as_str(), r.card_id.as_str()), r.progress))
        .collect();
    let missed = if filter.missed_today {
        missed_keys(reviews_today)
    } else {
        HashSet::new()
    };
    let mut out = Vec::new();
    for loaded in &library.decks {
        let deck_id = loaded.deck.id.as_str();
        if filter.deck.as_deref().is_some_and(|d| d != deck_id) {
            continue;
        }
        for card in &loaded.deck.cards {
            if filter
                .category
                .as_deref()
                .is_some_and(|c| c != card.category)
                || filter
                    .tag
                    .as_deref()
                    .is_some_and(|t| !card.tags.iter().any(|ct| ct == t))
            {
                continue;
            }
            let progress = stored.get(&(deck_id, card.id.as_str())).copied();
            if filter.leeches_only && !progress.is_some_and(|p| p.leech) {
                continue;
            }
            let key = CardKey::new(deck_id, card.id.as_str());
            if filter.missed_today && !missed.contains(&key) {
                continue;
            }
            out.push((key, card, progress));
        }
    }
    out
}

/// How many cards `filter` gives (ignoring its limit), and how many of them suit timeline and
/// matching questions.
#[must_use]
pub fn counts(
    library: &Library,
    states: &[CardRecord],
    reviews_today: &[ReviewRecord],
    filter: &PracticeFilter,
) -> FilterCounts {
    let found = candidates(library, states, reviews_today, filter);
    FilterCounts {
        cards: found.len(),
        dated: found
            .iter()
            .filter(|(_, c, _)| c.partial_date().is_some())
            .count(),
        with_role: found
            .iter()
            .filter(|(_, c, _)| c.role.as_deref().is_some_and(|r| !r.trim().is_empty()))
            .count(),
    }
}

/// The cards of `filter` for a practice session, ignoring due dates, daily limits, suspension
/// and burial: shuffled deterministically by `seed`, then cut to the filter's limit. Each comes
/// with its stored progress, or a new card's progress at `now` when it has none (the session
/// only keeps it; practice answers never change it).
///
/// `states` are the stored card states (`Store::card_states(None)`); `reviews_today` the answers
/// since the start of today's study day, used by `missed_today`.
#[must_use]
pub fn practice_queue(
    library: &Library,
    states: &[CardRecord],
    reviews_today: &[ReviewRecord],
    filter: &PracticeFilter,
    seed: u64,
    now: DateTime<Utc>,
) -> Vec<(CardKey, CardProgress)> {
    let mut found = candidates(library, states, reviews_today, filter);
    found.shuffle(&mut StdRng::seed_from_u64(seed));
    if let Some(limit) = filter.limit {
        found.truncate(limit);
    }
    found
        .into_iter()
        .map(|(key, _, p)| (key, p.unwrap_or_else(|| CardProgress::new_card(now))))
        .collect()
}

/// [`practice_queue`]'s cards themselves (same order, same limit), for building rounds.
#[must_use]
pub fn practice_cards<'a>(
    library: &'a Library,
    states: &[CardRecord],
    reviews_today: &[ReviewRecord],
    filter: &PracticeFilter,
    seed: u64,
) -> Vec<(CardKey, &'a Card)> {
    let mut found = candidates(library, states, reviews_today, filter);
    found.shuffle(&mut StdRng::seed_from_u64(seed));
    if let Some(limit) = filter.limit {
        found.truncate(limit);
    }
    found
        .into_iter()
        .map(|(key, card, _)| (key, card))
        .collect()
}

/// The categories of the loaded cards, as written in decks, sorted.
#[must_use]
pub fn categories(library: &Library) -> Vec<String> {
    let set: BTreeSet<&str> = library
        .decks
        .iter()
        .flat_map(|d| d.deck.cards.iter().map(|c| c.category.as_str()))
        .collect();
    set.into_iter().map(str::to_owned).collect()
}

/// The tags of the loaded cards, sorted.
#[must_use]
pub fn tags(library: &Library) -> Vec<String> {
    let set: BTreeSet<&str> = library
        .decks
        .iter()
        .flat_map(|d| d.deck.cards.iter().flat_map(|c| c.tags.iter()))
        .map(String::as_str)
        .collect();
    set.into_iter().map(str::to_owned).collect()
}

/// A timeline question whose events are tied to their cards: `keys[i]` is the card of
/// `timeline.events[i]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedTimeline {
    pub timeline: Timeline,
    pub keys: Vec<CardKey>,
}

/// A matching question whose left items are tied to their cards: `keys[i]` is the card of
/// `matching.left[i]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedMatching {
    pub matching: Matching,
    pub keys: Vec<CardKey>,
}

/// One question of a practice round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoundQuestion {
    Timeline(KeyedTimeline),
    Matching(KeyedMatching),
}

impl RoundQuestion {
    /// The cards shown, in the question's item order (events, or left items).
    #[must_use]
    pub fn keys(&self) -> &[CardKey] {
        match self {
            Self::Timeline(t) => &t.keys,
            Self::Matching(m) => &m.keys,
        }
    }
}

/// The rating logged for one card of a timeline or matching question: Good when it counted as
/// right, else Again. (A timeline's cards are right only when the whole order was; a matching
/// card is right when it was paired on the first try.)
#[must_use]
pub fn answer_rating(right: bool) -> Rating {
    if right { Rating::Good } else { Rating::Again }
}

/// Copies of `cards` whose ids are their indices, so that cards of different decks sharing an
/// id stay apart in a question and can be tied back to their keys.
fn indexed(cards: &[(CardKey, &Card)]) -> Vec<Card> {
    cards
        .iter()
        .enumerate()
        .map(|(i, (_, c))| Card {
            id: i.to_string(),
            ..(*c).clone()
        })
        .collect()
}

fn question_seed(seed: u64, question: usize) -> u64 {
    seed.wrapping_add((question as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// Builds up to `questions` questions from `pool`, preferring cards whose `seen_key` has not
/// been used by an earlier question; falls back to the whole pool when the unused cards are
/// too few. `make` builds one question from a slice of cards and a seed and returns it with the
/// indices (into its slice) of the cards it used.
fn build_round<Q>(
    pool: &[Card],
    questions: usize,
    seed: u64,
    seen_key: impl Fn(&Card) -> String,
    make: impl Fn(&[Card], u64) -> Option<(Q, Vec<usize>)>,
) -> Vec<(Q, Vec<usize>)> {
    let mut used: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for q in 0..questions {
        let s = question_seed(seed, q);
        let fresh: Vec<Card> = pool
            .iter()
            .filter(|c| !used.contains(&seen_key(c)))
            .cloned()
            .collect();
        let built = make(&fresh, s)
            .map(|(question, idx)| {
                let ids: Vec<usize> = idx
                    .iter()
                    .filter_map(|&i| fresh.get(i)?.id.parse().ok())
                    .collect();
                (question, ids)
            })
            .or_else(|| {
                make(pool, s).map(|(question, idx)| {
                    let ids: Vec<usize> = idx
                        .iter()
                        .filter_map(|&i| pool.get(i)?.id.parse().ok())
                        .collect();
                    (question, ids)
                })
            });
        let Some((question, ids)) = built else {
            break;
        };
        for &i in &ids {
            if let Some(c) = pool.get(i) {
                used.insert(seen_key(c));
            }
        }
        out.push((question, ids));
    }
    out
}

/// Up to `questions` timeline questions of `events` events each from the dated cards among
/// `cards`; later questions prefer events not shown yet. Empty when fewer than three events can
/// be ordered.
#[must_use]
pub fn timeline_round(
    cards: &[(CardKey, &Card)],
    questions: usize,
    events: usize,
    seed: u64,
) -> Vec<KeyedTimeline> {
    let pool = indexed(cards);
    let built = build_round(
        &pool,
        questions,
        seed,
        |c| fold(c.event_caption()),
        |slice, s| {
            let t = quiz::timeline(slice, events, s)?;
            let idx = t
                .events
                .iter()
                .map(|e| slice.iter().position(|c| c.id == e.card_id))
                .collect::<Option<Vec<usize>>>()?;
            Some((t, idx))
        },
    );
    built
        .into_iter()
        .filter_map(|(mut timeline, ids)| {
            let keys: Vec<CardKey> = ids
                .iter()
                .map(|&i| cards.get(i).map(|(k, _)| k.clone()))
                .collect::<Option<_>>()?;
            for (event, &i) in timeline.events.iter_mut().zip(&ids) {
                event.card_id.clone_from(&cards.get(i)?.1.id);
            }
            Some(KeyedTimeline { timeline, keys })
        })
        .collect()
}

/// Up to `questions` matching questions of `pairs` pairs each from the cards with a role among
/// `cards`; later questions prefer cards not shown yet. Empty when fewer than three cards have
/// distinct answers and roles.
#[must_use]
pub fn matching_round(
    cards: &[(CardKey, &Card)],
    questions: usize,
    pairs: usize,
    seed: u64,
) -> Vec<KeyedMatching> {
    let pool = indexed(cards);
    let built = build_round(
        &pool,
        questions,
        seed,
        |c| fold(&c.answer),
        |slice, s| {
            let m = quiz::matching(slice, pairs, s)?;
            let idx = m
                .card_ids
                .iter()
                .map(|id| slice.iter().position(|c| &c.id == id))
                .collect::<Option<Vec<usize>>>()?;
            Some((m, idx))
        },
    );
    built
        .into_iter()
        .filter_map(|(mut matching, ids)| {
            let keys: Vec<CardKey> = ids
                .iter()
                .map(|&i| cards.get(i).map(|(k, _)| k.clone()))
                .collect::<Option<_>>()?;
            matching.card_ids = keys.iter().map(|k| k.card_id.clone()).collect();
            Some(KeyedMatching { matching, keys })
        })
        .collect()
}

/// A practice round of `questions` questions in `form` (timeline or matching) from `cards`;
/// empty for the card-by-card forms or when the cards cannot make a question.
#[must_use]
pub fn round(
    form: PracticeForm,
    cards: &[(CardKey, &Card)],
    questions: usize,
    seed: u64,
) -> Vec<RoundQuestion> {
    match form {
        PracticeForm::Cards(_) => Vec::new(),
        PracticeForm::Timeline => timeline_round(cards, questions, TIMELINE_EVENTS, seed)
            .into_iter()
            .map(RoundQuestion::Timeline)
            .collect(),
        PracticeForm::Matching => matching_round(cards, questions, MATCHING_PAIRS, seed)
            .into_iter()
            .map(RoundQuestion::Matching)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{Deck, Origin, Source};
    use crate::quiz::test_support::card;
    use crate::schedule::CardState;
    use crate::store::Mode;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
    }

    fn deck(id: &str, cards: Vec<Card>) -> Deck {
        Deck {
            format: crate::deck::FORMAT_V1.into(),
            id: id.into(),
            title: id.into(),
            description: None,
            source: Source {
                title: "t".into(),
                author: "a".into(),
                url: None,
            },
            cards,
        }
    }

    fn tagged(mut c: Card, tags: &[&str]) -> Card {
        c.tags = tags.iter().map(|t| (*t).to_owned()).collect();
        c
    }

    fn dated(id: &str, date: &str) -> Card {
        let mut c = card(id, "date", date);
        c.date = Some(date.into());
        c.event = Some(format!("event {id}"));
        c
    }

    fn actor(id: &str, answer: &str, role: &str) -> Card {
        let mut c = card(id, "actor", answer);
        c.role = Some(role.into());
        c
    }

    fn library() -> Library {
        let mut lib = Library::default();
        let a = deck(
            "actors",
            vec![
                tagged(
                    actor("putin", "Vladimir Putin", "Russia's president"),
                    &["russia"],
                ),
                tagged(
                    actor("kim", "Kim Jong Un", "North Korea's leader"),
                    &["korea"],
                ),
                actor("xi", "Xi Jinping", "China's leader"),
                actor("lavrov", "Sergei Lavrov", "Russia's foreign minister"),
                actor("choe", "Choe Son Hui", "North Korea's foreign minister"),
                actor("kcna", "KCNA", "North Korea's news agency"),
                actor("same", "Same Id", "A card id both decks use"),
            ],
        );
        let d = deck(
            "dates",
            vec![
                tagged(dated("visit", "2000"), &["russia", "korea"]),
                dated("artillery", "2022-09"),
                dated("announce", "2023-08"),
                dated("kim-visit", "2023-09"),
                dated("containers", "2024-03"),
                dated("same", "2019"),
            ],
        );
        for (path, d) in [("a.json", a), ("d.json", d)] {
            lib.add(std::path::Path::new(path), Origin::Bundled, Ok(d));
        }
        lib
    }

    fn record(deck: &str, card: &str, leech: bool) -> CardRecord {
        let mut progress = CardProgress::from_state(CardState::new_card(now()));
        progress.leech = leech;
        progress.card.reps = 3;
        CardRecord {
            deck_id: deck.into(),
            card_id: card.into(),
            progress,
        }
    }

    fn review(deck: &str, card: &str, correct: Option<bool>, rating: Rating) -> ReviewRecord {
        ReviewRecord {
            id: 1,
            deck_id: deck.into(),
            card_id: card.into(),
            at: now(),
            rating,
            mode: Mode::Drill,
            answer_given: None,
            correct,
            response_ms: 1000,
            state_before: None,
            state_after: None,
        }
    }

    fn keys(queue: &[(CardKey, CardProgress)]) -> Vec<String> {
        let mut k: Vec<String> = queue.iter().map(|(k, _)| k.to_string()).collect();
        k.sort();
        k
    }

    #[test]
    fn empty_filter_takes_every_card_shuffled_by_seed() {
        let lib = library();
        let q = practice_queue(&lib, &[], &[], &PracticeFilter::default(), 7, now());
        assert_eq!(q.len(), 13);
        let again = practice_queue(&lib, &[], &[], &PracticeFilter::default(), 7, now());
        assert_eq!(q, again, "same seed, same order");
        let orders: HashSet<Vec<String>> = (0..10)
            .map(|s| {
                practice_queue(&lib, &[], &[], &PracticeFilter::default(), s, now())
                    .iter()
                    .map(|(k, _)| k.to_string())
                    .collect()
            })
            .collect();
        assert!(orders.len() > 5, "seeds shuffle differently");
        // Both cards with id "same" are there, one per deck.
        assert!(keys(&q).contains(&"actors/same".to_owned()));
        assert!(keys(&q).contains(&"dates/same".to_owned()));
    }

    #[test]
    fn filters_by_deck_category_and_tag() {
        let lib = library();
        let by_deck = PracticeFilter {
            deck: Some("dates".into()),
            ..PracticeFilter::default()
        };
        assert_eq!(practice_queue(&lib, &[], &[], &by_deck, 1, now()).len(), 6);
        let actors = practice_queue(
            &lib,
            &[],
            &[],
            &PracticeFilter::by_category("actor"),
            1,
            now(),
        );
        assert_eq!(actors.len(), 7);
        assert!(actors.iter().all(|(k, _)| k.deck_id == "actors"));
        let russia = PracticeFilter {
            tag: Some("russia".into()),
            ..PracticeFilter::default()
        };
        assert_eq!(
            keys(&practice_queue(&lib, &[], &[], &russia, 1, now())),
            vec!["actors/putin", "dates/visit"]
        );
        let both = PracticeFilter {
            tag: Some("korea".into()),
            category: Some("date".into()),
            ..PracticeFilter::default()
        };
        assert_eq!(
            keys(&practice_queue(&lib, &[], &[], &both, 1, now())),
            vec!["dates/visit"]
        );
        let nothing = PracticeFilter {
            deck: Some("nope".into()),
            ..PracticeFilter::default()
        };
        assert!(practice_queue(&lib, &[], &[], &nothing, 1, now()).is_empty());
    }

    #[test]
    fn leeches_come_from_the_stored_flag_with_their_progress() {
        let lib = library();
        let states = vec![
            record("actors", "kim", true),
            record("actors", "xi", false),
            record("dates", "same", true),
            // A leech of a card no longer in any deck is not practised.
            record("gone", "old", true),
        ];
        let q = practice_queue(&lib, &states, &[], &PracticeFilter::leeches(), 3, now());
        assert_eq!(keys(&q), vec!["actors/kim", "dates/same"]);
        assert!(q.iter().all(|(_, p)| p.leech && p.card.reps == 3));
        assert!(practice_queue(&lib, &[], &[], &PracticeFilter::leeches(), 3, now()).is_empty());
        // Stored progress is carried; unstudied cards get a new card's progress.
        let all = practice_queue(&lib, &states, &[], &PracticeFilter::default(), 3, now());
        for (k, p) in &all {
            let stored = states
                .iter()
                .any(|r| r.deck_id == k.deck_id && r.card_id == k.card_id);
            assert_eq!(p.card.reps, if stored { 3 } else { 0 }, "{k}");
        }
    }

    #[test]
    fn missed_today_takes_wrong_answers_of_any_mode() {
        let lib = library();
        let reviews = vec![
            review("actors", "putin", Some(false), Rating::Good),
            review("actors", "kim", None, Rating::Again),
            review("actors", "xi", None, Rating::Hard),
            review("dates", "visit", Some(true), Rating::Again),
            review("actors", "putin", Some(true), Rating::Good),
        ];
        let q = practice_queue(
            &lib,
            &[],
            &reviews,
            &PracticeFilter::missed_today(),
            0,
            now(),
        );
        assert_eq!(keys(&q), vec!["actors/kim", "actors/putin"]);
        assert!(
            practice_queue(&lib, &[], &[], &PracticeFilter::missed_today(), 0, now()).is_empty()
        );
        let missed_actor_leeches = PracticeFilter {
            leeches_only: true,
            missed_today: true,
            ..PracticeFilter::default()
        };
        let states = vec![
            record("actors", "kim", true),
            record("actors", "putin", false),
        ];
        assert_eq!(
            keys(&practice_queue(
                &lib,
                &states,
                &reviews,
                &missed_actor_leeches,
                0,
                now()
            )),
            vec!["actors/kim"]
        );
    }

    #[test]
    fn limit_cuts_after_shuffling() {
        let lib = library();
        let f = PracticeFilter::default().with_limit(Some(4));
        let q = practice_queue(&lib, &[], &[], &f, 11, now());
        assert_eq!(q.len(), 4);
        let full = practice_queue(&lib, &[], &[], &PracticeFilter::default(), 11, now());
        assert_eq!(q[..], full[..4]);
        let cards = practice_cards(&lib, &[], &[], &f, 11);
        assert_eq!(
            cards.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            q.iter().map(|(k, _)| k).collect::<Vec<_>>()
        );
        assert_eq!(
            practice_queue(
                &lib,
                &[],
                &[],
                &PracticeFilter::default().with_limit(Some(0)),
                1,
                now()
            ),
            vec![]
        );
    }

    #[test]
    fn counts_categories_and_tags() {
        let lib = library();
        let c = counts(
            &lib,
            &[],
            &[],
            &PracticeFilter::default().with_limit(Some(2)),
        );
        assert_eq!(
            c,
            FilterCounts {
                cards: 13,
                dated: 6,
                with_role: 7
            }
        );
        assert_eq!(c.usable(PracticeForm::Timeline), 6);
        assert_eq!(c.usable(PracticeForm::Matching), 7);
        assert_eq!(c.usable(PracticeForm::default()), 13);
        assert_eq!(categories(&lib), vec!["actor", "date"]);
        assert_eq!(tags(&lib), vec!["korea", "russia"]);
    }

    #[test]
    fn timeline_rounds_tie_events_to_their_cards() {
        let lib = library();
        let cards = practice_cards(&lib, &[], &[], &PracticeFilter::default(), 5);
        for seed in 0..20 {
            let round = timeline_round(&cards, 3, 4, seed);
            assert_eq!(round.len(), 3, "seed {seed}");
            for q in &round {
                assert_eq!(q.keys.len(), q.timeline.events.len());
                for (key, event) in q.keys.iter().zip(&q.timeline.events) {
                    assert_eq!(key.deck_id, "dates");
                    assert_eq!(key.card_id, event.card_id);
                    let card = lib.deck("dates").unwrap().deck.card(&key.card_id).unwrap();
                    assert_eq!(card.partial_date(), Some(event.date));
                    assert_eq!(card.event_caption(), event.caption);
                }
            }
            assert_eq!(timeline_round(&cards, 3, 4, seed), round, "deterministic");
        }
        // Six dated cards, four per question: the second question shows the two unused events
        // only when it can; it falls back to the whole pool otherwise.
        let round = timeline_round(&cards, 2, 3, 9);
        let first: HashSet<&CardKey> = round[0].keys.iter().collect();
        assert!(round[1].keys.iter().all(|k| !first.contains(k)));
        // Not enough dates.
        let actors = practice_cards(&lib, &[], &[], &PracticeFilter::by_category("actor"), 5);
        assert!(timeline_round(&actors, 3, 4, 0).is_empty());
        assert!(round_of(PracticeForm::Cards(SessionForm::Mixed), &cards).is_empty());
    }

    fn round_of(form: PracticeForm, cards: &[(CardKey, &Card)]) -> Vec<RoundQuestion> {
        round(form, cards, 2, 1)
    }

    #[test]
    fn matching_rounds_tie_pairs_to_their_cards() {
        let lib = library();
        let cards = practice_cards(&lib, &[], &[], &PracticeFilter::default(), 2);
        for seed in 0..20 {
            let round = matching_round(&cards, 2, 6, seed);
            assert_eq!(round.len(), 2);
            for q in &round {
                assert_eq!(q.keys.len(), 6);
                for (l, key) in q.keys.iter().enumerate() {
                    let card = lib
                        .deck(&key.deck_id)
                        .unwrap()
                        .deck
                        .card(&key.card_id)
                        .unwrap();
                    assert_eq!(card.answer, q.matching.left[l]);
                    assert_eq!(
                        card.role.as_deref(),
                        Some(q.matching.right[q.matching.pairs[l]].as_str())
                    );
                    assert_eq!(q.matching.card_ids[l], key.card_id);
                }
            }
        }
        let round = round_of(PracticeForm::Matching, &cards);
        assert!(matches!(round[0], RoundQuestion::Matching(_)));
        assert_eq!(round[0].keys().len(), 6);
        let dates = practice_cards(&lib, &[], &[], &PracticeFilter::by_category("date"), 2);
        assert!(matching_round(&dates, 2, 6, 0).is_empty());
        assert!(round_of(PracticeForm::Timeline, &dates)[0].keys().len() >= 3);
    }

    #[test]
    fn ratings_and_forms() {
        assert_eq!(answer_rating(true), Rating::Good);
        assert_eq!(answer_rating(false), Rating::Again);
        assert!(PracticeForm::Timeline.is_round() && PracticeForm::Matching.is_round());
        assert!(!PracticeForm::default().is_round());
        assert_eq!(PracticeForm::Timeline.needs(), 3);
        assert_eq!(PracticeForm::Cards(SessionForm::Typed).needs(), 1);
    }
}
