//! Sibling cards in study: the "Study all due" queue across decks, with siblings (cards on the
//! same fact, see [`deck::sibling_scope`]) kept apart.
//!
//! With the `bury_siblings` setting on (the default), a study day shows one card of each
//! sibling group: the queue holds at most one card per group, the one [`build_queue`] would
//! show first, and once a card has been answered today its siblings wait for the next day.
//! With it off, siblings may all come, but never one right after another when another card
//! can go between them.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeZone};

use crate::deck::{self, Deck};
use crate::schedule::{build_queue, day_start, queue_rank, spread_siblings};
use crate::session::{CardKey, deck_items};
use crate::settings::Settings;
use crate::store::{CardProgress, Mode, Store, StoreError};

/// A sibling group: the source's key and the card's sibling key.
type Scope = (String, String);

/// Today's srs queue over `decks` (each with its own daily limits, as [`crate::session::deck_queue`]
/// gives it), one deck after another, with siblings handled as the module explains. Ready for
/// [`crate::session::Session::from_states`].
pub fn study_queue<Tz: TimeZone>(
    store: &Store,
    decks: &[&Deck],
    settings: &Settings,
    now_local: &DateTime<Tz>,
) -> Result<Vec<(CardKey, CardProgress)>, StoreError> {
    let mut scopes: HashMap<CardKey, Scope> = HashMap::new();
    for deck in decks {
        for card in &deck.cards {
            if let Some(scope) = deck::sibling_scope(deck, card) {
                scopes.insert(CardKey::new(&deck.id, &card.id), scope);
            }
        }
    }
    let scope_of = |key: &CardKey| scopes.get(key);

    let mut per_deck = Vec::with_capacity(decks.len());
    for deck in decks {
        let ids: Vec<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
        per_deck.push(deck_items(store, &deck.id, &ids, settings, now_local)?);
    }

    if settings.bury_siblings {
        // Groups a card was answered in today: only the cards answered may come again.
        let mut answered: HashMap<&Scope, HashSet<CardKey>> = HashMap::new();
        for review in store.reviews_since(day_start(now_local, settings.day_starts_at))? {
            if review.mode != Mode::Srs {
                continue;
            }
            let key = CardKey::new(review.deck_id, review.card_id);
            if let Some(scope) = scope_of(&key) {
                answered.entry(scope).or_default().insert(key);
            }
        }
        let waits = |key: &CardKey| {
            scope_of(key)
                .and_then(|scope| answered.get(scope))
                .is_some_and(|keys| !keys.contains(key))
        };
        // Of each group, the card that would come first.
        let mut first: HashMap<&Scope, ((u8, i64), usize, usize)> = HashMap::new();
        for (d, (items, today, limits)) in per_deck.iter().enumerate() {
            for (i, item) in items.iter().enumerate() {
                let (Some(scope), Some(rank)) =
                    (scope_of(&item.key.0), queue_rank(item, today, limits))
                else {
                    continue;
                };
                if waits(&item.key.0) {
                    continue;
                }
                let candidate = (rank, d, i);
                first
                    .entry(scope)
                    .and_modify(|best| *best = (*best).min(candidate))
                    .or_insert(candidate);
            }
        }
        let keep: HashSet<(usize, usize)> = first.values().map(|&(_, d, i)| (d, i)).collect();
        for (d, (items, _, _)) in per_deck.iter_mut().enumerate() {
            let mut i = 0;
            items.retain(|item| {
                let kept = scope_of(&item.key.0).is_none() || keep.contains(&(d, i));
                i += 1;
                kept
            });
        }
    }

    let mut queue: Vec<(CardKey, CardProgress)> = Vec::new();
    for (items, today, limits) in &per_deck {
        queue.extend(
            build_queue(items, today, limits)
                .into_iter()
                .map(|e| e.key.clone()),
        );
    }
    spread_siblings(&mut queue, |(key, _)| scope_of(key));
    Ok(queue)
}
