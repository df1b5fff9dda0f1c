//! Sibling cards in study: the "Study all due" queue across decks, with siblings kept apart and
//! no card giving away the answer of a card after it.
//!
//! Two cards are siblings when they test the same fact ([`deck::sibling_scope`]) or quote the
//! same sentence of the same source: seeing one, the other is easy. With the `bury_siblings`
//! setting on (the default), a study day shows one card of each sibling group: the queue holds
//! at most one card per group, the one [`build_queue`] would show first, and once a card has
//! been answered today its siblings wait for the next day. With it off, siblings may all come,
//! but never one right after another when another card can go between them.
//!
//! A card *names* another when its prompt, answer, explanation, cloze or source contains the
//! other's answer (or an accepted alternative). A card named by one shown earlier the same day
//! goes as late as the day allows, and never right after the card that names it when another
//! card can go between them.
//!
//! The decks' cards interleave: learning cards due now come first, then every deck's reviews
//! and new cards spread evenly through the day, then learning cards due soon.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeZone};

use crate::deck::{self, Card, Deck};
use crate::schedule::{QueueKind, build_queue, day_start, queue_rank, spread_siblings};
use crate::session::{CardKey, deck_items};
use crate::settings::Settings;
use crate::store::{CardProgress, Mode, Store, StoreError};

/// How many cards ahead the queue looks for one that is not named by the cards just shown.
const LOOK_AHEAD: usize = 48;

/// A card named by one of the last this many cards shown is held back when another can go.
const NAMED_GAP: usize = 3;

/// Sentences shorter than this many words ("U.S.", a heading) do not make cards siblings.
const MIN_SHARED_WORDS: usize = 5;

/// Words too common to be an answer another card gives away.
const WEAK_ANSWERS: &[&str] = &[
    "a", "an", "and", "false", "he", "it", "no", "none", "not", "of", "or", "she", "the", "they",
    "true", "yes",
];

/// Today's srs queue over `decks` (each with its own daily limits, as [`crate::session::deck_queue`]
/// gives it), the decks interleaved, with siblings and cards that name each other handled as
/// the module explains. Ready for [`crate::session::Session::from_states`].
pub fn study_queue<Tz: TimeZone>(
    store: &Store,
    decks: &[&Deck],
    settings: &Settings,
    now_local: &DateTime<Tz>,
) -> Result<Vec<(CardKey, CardProgress)>, StoreError> {
    let mut per_deck = Vec::with_capacity(decks.len());
    for deck in decks {
        let ids: Vec<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
        per_deck.push(deck_items(store, &deck.id, &ids, settings, now_local)?);
    }
    let answered_today: Vec<CardKey> = store
        .reviews_since(day_start(now_local, settings.day_starts_at))?
        .into_iter()
        .filter(|r| r.mode == Mode::Srs)
        .map(|r| CardKey::new(r.deck_id, r.card_id))
        .collect();

    // The cards that matter today: those waiting and those answered.
    let mut related = Related::new(decks);
    for (items, _, _) in &per_deck {
        for item in items {
            related.add(&item.key.0);
        }
    }
    for key in &answered_today {
        related.add(key);
    }
    let group = related.groups();
    let names = related.names(&group);
    let index = |key: &CardKey| related.index.get(key).copied();

    if settings.bury_siblings {
        // Groups a card was answered in today: only the cards answered may come again.
        let mut answered: HashMap<usize, HashSet<usize>> = HashMap::new();
        for i in answered_today.iter().filter_map(index) {
            answered.entry(group[i]).or_default().insert(i);
        }
        let waits = |i: usize| answered.get(&group[i]).is_some_and(|ids| !ids.contains(&i));
        // Of each group, the card that would come first.
        let mut first: HashMap<usize, ((u8, i64), usize, usize)> = HashMap::new();
        for (d, (items, today, limits)) in per_deck.iter().enumerate() {
            for (i, item) in items.iter().enumerate() {
                let (Some(card), Some(rank)) =
                    (index(&item.key.0), queue_rank(item, today, limits))
                else {
                    continue;
                };
                if waits(card) {
                    continue;
                }
                let candidate = (rank, d, i);
                first
                    .entry(group[card])
                    .and_modify(|best| *best = (*best).min(candidate))
                    .or_insert(candidate);
            }
        }
        let keep: HashSet<(usize, usize)> = first.values().map(|&(_, d, i)| (d, i)).collect();
        for (d, (items, _, _)) in per_deck.iter_mut().enumerate() {
            let mut i = 0;
            items.retain(|item| {
                let kept = index(&item.key.0).is_none() || keep.contains(&(d, i));
                i += 1;
                kept
            });
        }
    }

    // Each deck's queue, cut in three: learning cards due now, the day's reviews and new
    // cards, learning cards due soon.
    let mut due_now = Vec::new();
    let mut day: Vec<(u64, u64, usize, (CardKey, CardProgress))> = Vec::new();
    let mut soon = Vec::new();
    for (d, (items, today, limits)) in per_deck.iter().enumerate() {
        let queue = build_queue(items, today, limits);
        let len = queue
            .iter()
            .filter(|e| e.kind != QueueKind::Learning)
            .count() as u64;
        let mut position = 0;
        for entry in queue {
            let item = entry.key.clone();
            match entry.kind {
                QueueKind::Learning if entry.due <= today.now => due_now.push((entry.due, item)),
                QueueKind::Learning => soon.push((entry.due, item)),
                QueueKind::New | QueueKind::Review => {
                    position += 1;
                    day.push((position, len + 1, d, item));
                }
            }
        }
    }
    due_now.sort_by_key(|(due, _)| *due);
    soon.sort_by_key(|(due, _)| *due);
    // Deck after deck would show one deck's cards, then the next's: each card goes at its
    // share of the way through its own deck's day instead.
    day.sort_by(|a, b| {
        match (u128::from(a.0) * u128::from(b.1)).cmp(&(u128::from(b.0) * u128::from(a.1))) {
            Ordering::Equal => a.2.cmp(&b.2),
            other => other,
        }
    });

    let mut queue: Vec<(CardKey, CardProgress)> = due_now.into_iter().map(|(_, k)| k).collect();
    let mut order = NamedOrder::new(&group, &names, related.cards.len());
    for i in answered_today.iter().filter_map(index) {
        order.shown_before(i);
    }
    for (key, _) in &queue {
        order.place(index(key));
    }
    let day: Vec<(Option<usize>, (CardKey, CardProgress))> = day
        .into_iter()
        .map(|(_, _, _, item)| (index(&item.0), item))
        .collect();
    queue.extend(order.arrange(day));
    queue.extend(soon.into_iter().map(|(_, k)| k));
    spread_siblings(&mut queue, |(key, _)| index(key).map(|i| group[i]));
    Ok(queue)
}

/// The cards of today's queue and of today's answers, by index, with their decks.
struct Related<'a> {
    decks: HashMap<&'a str, (&'a Deck, HashMap<&'a str, &'a Card>)>,
    index: HashMap<CardKey, usize>,
    cards: Vec<(&'a Deck, &'a Card)>,
}

impl<'a> Related<'a> {
    fn new(decks: &[&'a Deck]) -> Self {
        Self {
            decks: decks
                .iter()
                .map(|d| (d.id.as_str(), (*d, HashMap::new())))
                .collect(),
            index: HashMap::new(),
            cards: Vec::new(),
        }
    }

    /// Adds the card `key` (once; a card no longer in its deck is left out).
    fn add(&mut self, key: &CardKey) {
        if self.index.contains_key(key) {
            return;
        }
        let Some((deck, cards)) = self.decks.get_mut(key.deck_id.as_str()) else {
            return;
        };
        if cards.is_empty() {
            cards.extend(deck.cards.iter().map(|c| (c.id.as_str(), c)));
        }
        let Some(card) = cards.get(key.card_id.as_str()) else {
            return;
        };
        self.index.insert(key.clone(), self.cards.len());
        self.cards.push((*deck, *card));
    }

    /// Each card's sibling group (the index of one card of it): cards on the same fact, or
    /// quoting the same sentence of the same source, are siblings.
    fn groups(&self) -> Vec<usize> {
        let mut parent: Vec<usize> = (0..self.cards.len()).collect();
        let mut first: HashMap<(String, String), usize> = HashMap::new();
        for (i, (deck, card)) in self.cards.iter().enumerate() {
            let title = deck::answer_key(&deck.source.title);
            let mut keys: Vec<(String, String)> = Vec::new();
            if let Some((_, fact)) = deck::sibling_scope(deck, card) {
                keys.push((title.clone(), format!("fact\u{1f}{fact}")));
            }
            keys.extend(
                source_sentences(&card.source)
                    .into_iter()
                    .map(|s| (title.clone(), s)),
            );
            for key in keys {
                let j = *first.entry(key).or_insert(i);
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a.max(b)] = a.min(b);
            }
        }
        (0..parent.len()).map(|i| find(&mut parent, i)).collect()
    }

    /// For each card, the cards of other groups whose answer it names.
    fn names(&self, group: &[usize]) -> Vec<Vec<usize>> {
        let mut answers: HashMap<String, Vec<usize>> = HashMap::new();
        let mut longest = 0;
        for (i, (_, card)) in self.cards.iter().enumerate() {
            for answer in std::iter::once(&card.answer).chain(&card.accept) {
                let mut w = words(answer);
                if matches!(w.first().map(String::as_str), Some("the" | "a" | "an")) && w.len() > 1
                {
                    w.remove(0);
                }
                let weak = w.is_empty()
                    || (w.len() == 1
                        && (WEAK_ANSWERS.contains(&w[0].as_str())
                            || (w[0].chars().count() < 3
                                && !w[0].chars().all(|c| c.is_ascii_digit()))));
                if weak {
                    continue;
                }
                longest = longest.max(w.len());
                answers.entry(w.join(" ")).or_default().push(i);
            }
        }
        let longest = longest.min(16);
        let mut out = Vec::with_capacity(self.cards.len());
        for (i, (_, card)) in self.cards.iter().enumerate() {
            let mut named: Vec<usize> = Vec::new();
            let fields = [
                Some(card.prompt.as_str()),
                Some(card.answer.as_str()),
                card.explanation.as_deref(),
                card.cloze.as_deref(),
                Some(card.source.as_str()),
            ];
            for text in fields.into_iter().flatten() {
                let w = words(text);
                let mut phrase = String::new();
                for start in 0..w.len() {
                    phrase.clear();
                    for word in w.iter().skip(start).take(longest) {
                        if !phrase.is_empty() {
                            phrase.push(' ');
                        }
                        phrase.push_str(word);
                        if let Some(cards) = answers.get(&phrase) {
                            named.extend(cards.iter().filter(|&&j| group[j] != group[i]));
                        }
                    }
                }
            }
            named.sort_unstable();
            named.dedup();
            out.push(named);
        }
        out
    }
}

/// The root of `i` in a union-find forest, halving paths on the way.
fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// A text's words, lower case, without punctuation ("Over 1,000" is "over", "1", "000").
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The sentences of a card's source long enough to make two cards quoting them siblings, as
/// their words.
fn source_sentences(source: &str) -> Vec<String> {
    crate::draft::text::paragraphs(source)
        .into_iter()
        .flat_map(|p| crate::draft::text::sentences(source, p))
        .map(|r| words(&source[r]))
        .filter(|w| w.len() >= MIN_SHARED_WORDS)
        .map(|w| w.join(" "))
        .collect()
}

/// Orders the day's cards so that a card named by one shown before it comes as late as it can.
struct NamedOrder<'g> {
    group: &'g [usize],
    names: &'g [Vec<usize>],
    /// For each card, where the last card naming it was shown (`Some(0)` for an answer given
    /// before this session).
    named_at: Vec<Option<usize>>,
    placed: usize,
    last_group: Option<usize>,
}

impl<'g> NamedOrder<'g> {
    fn new(group: &'g [usize], names: &'g [Vec<usize>], cards: usize) -> Self {
        Self {
            group,
            names,
            named_at: vec![None; cards],
            // Answers given earlier today sit far enough back not to count as "just shown".
            placed: NAMED_GAP + 1,
            last_group: None,
        }
    }

    /// Card `i` was answered earlier today.
    fn shown_before(&mut self, i: usize) {
        for &j in &self.names[i] {
            self.named_at[j] = Some(0);
        }
    }

    /// Card `i` (if it is one of the related cards) is shown next.
    fn place(&mut self, i: Option<usize>) {
        self.placed += 1;
        self.last_group = i.map(|i| self.group[i]);
        if let Some(i) = i {
            for &j in &self.names[i] {
                self.named_at[j] = Some(self.placed);
            }
        }
    }

    /// How bad showing card `i` next would be (smaller is better): named by a card just shown,
    /// a sibling of the card just shown, named by any card shown.
    fn cost(&self, i: Option<usize>) -> (bool, bool, bool) {
        let Some(i) = i else {
            return (false, false, false);
        };
        let named = self.named_at[i];
        (
            named.is_some_and(|at| self.placed - at < NAMED_GAP),
            self.last_group == Some(self.group[i]),
            named.is_some(),
        )
    }

    /// `day` in the order to show it: each time, the best of the next [`LOOK_AHEAD`] cards.
    fn arrange<T>(&mut self, day: Vec<(Option<usize>, T)>) -> Vec<T> {
        let mut waiting: Vec<Option<(Option<usize>, T)>> = day.into_iter().map(Some).collect();
        let mut out = Vec::with_capacity(waiting.len());
        let mut start = 0;
        while start < waiting.len() {
            let best = waiting[start..]
                .iter()
                .enumerate()
                .filter_map(|(k, w)| w.as_ref().map(|(i, _)| (self.cost(*i), k)))
                .take(LOOK_AHEAD)
                .min()
                .map(|(_, k)| start + k);
            let Some((i, item)) = best.and_then(|k| waiting[k].take()) else {
                break;
            };
            self.place(i);
            out.push(item);
            while start < waiting.len() && waiting[start].is_none() {
                start += 1;
            }
        }
        out
    }
}
