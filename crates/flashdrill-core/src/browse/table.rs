//! The card table: every card of every loaded deck with its progress, searched, filtered and
//! sorted, with the last query's rows kept.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::deck::{Card, Category, Library};
use crate::schedule::State;
use crate::session::CardKey;
use crate::store::{CardProgress, CardRecord};

use super::query::{Column, Order, Query, fold, fold_into};
use super::row::{CardRow, DeckInfo, due_by, due_of, state_of};

/// What filters and sorts read of a row, kept apart from the row's strings so that a pass
/// over 100,000 cards reads little memory.
#[derive(Debug, Clone, Copy)]
pub(super) struct Meta {
    deck: u32,
    /// Index into [`CardTable::categories`].
    category: u32,
    pub(super) progress: Option<CardProgress>,
}

/// What a cached result was computed for.
#[derive(Debug, Clone, PartialEq)]
struct CacheKey {
    query: Query,
    day_end: DateTime<Utc>,
}

/// Every card of every loaded deck with its progress, and the rows the last query selected.
#[derive(Debug, Clone, Default)]
pub struct CardTable {
    decks: Vec<DeckInfo>,
    rows: Vec<CardRow>,
    /// Visible to the tests, which change a row behind the table's back.
    pub(super) meta: Vec<Meta>,
    /// Every row's prompt, answer and tags, folded, one field per line; rows end with `\0`.
    text: String,
    /// Where each row's text starts in `text`, and (last) the end of `text`.
    text_starts: Vec<usize>,
    categories: Vec<String>,
    index: HashMap<CardKey, usize>,
    /// Per text column, each row's rank in that column's alphabetical order (made on first use).
    text_ranks: [Option<Vec<u32>>; 5],
    shown: Vec<usize>,
    cached: Option<CacheKey>,
}

impl CardTable {
    /// Joins every card of `library` with its record in `records` (cards without one are new;
    /// records of cards no longer in a deck are left out).
    #[must_use]
    pub fn build(library: &Library, records: &[CardRecord]) -> Self {
        let stored: HashMap<(&str, &str), &CardProgress> = records
            .iter()
            .map(|r| ((r.deck_id.as_str(), r.card_id.as_str()), &r.progress))
            .collect();
        let mut table = Self::default();
        let mut categories: Vec<String> = Vec::new();
        for loaded in &library.decks {
            for card in &loaded.deck.cards {
                if !categories.contains(&card.category) {
                    categories.push(card.category.clone());
                }
            }
        }
        categories.sort_by_key(|c| Category::parse(c));
        for (deck_no, loaded) in library.decks.iter().enumerate() {
            let deck = &loaded.deck;
            table.decks.push(DeckInfo {
                id: deck.id.clone(),
                title: deck.title.clone(),
            });
            for card in &deck.cards {
                let progress = stored.get(&(deck.id.as_str(), card.id.as_str())).copied();
                table.index.insert(
                    CardKey::new(deck.id.as_str(), card.id.as_str()),
                    table.rows.len(),
                );
                let category = categories
                    .iter()
                    .position(|c| c == &card.category)
                    .unwrap_or(0);
                table.meta.push(Meta {
                    deck: u32::try_from(deck_no).unwrap_or(u32::MAX),
                    category: u32::try_from(category).unwrap_or(u32::MAX),
                    progress: progress.copied(),
                });
                table.text_starts.push(table.text.len());
                push_search_text(card, &mut table.text);
                table.rows.push(row(deck_no, card, progress.copied()));
            }
        }
        table.text_starts.push(table.text.len());
        table.categories = categories;
        table
    }

    #[must_use]
    pub fn decks(&self) -> &[DeckInfo] {
        &self.decks
    }

    /// Every category in the decks, known ones first ("date", "actor", …).
    #[must_use]
    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    #[must_use]
    pub fn rows(&self) -> &[CardRow] {
        &self.rows
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    #[must_use]
    pub fn row(&self, i: usize) -> Option<&CardRow> {
        self.rows.get(i)
    }

    /// The deck a row belongs to.
    #[must_use]
    pub fn deck_of(&self, row: &CardRow) -> &DeckInfo {
        &self.decks[row.deck]
    }

    /// The key (deck id + card id) of a row.
    #[must_use]
    pub fn key(&self, row: &CardRow) -> CardKey {
        CardKey::new(self.decks[row.deck].id.as_str(), row.card_id.as_str())
    }

    /// The row index of a card.
    #[must_use]
    pub fn find(&self, key: &CardKey) -> Option<usize> {
        self.index.get(key).copied()
    }

    /// Changes one card's progress (after the store changed it). Returns whether the card is in
    /// the table. The next [`CardTable::refresh`] recomputes the rows on show.
    pub fn set_progress(&mut self, key: &CardKey, progress: Option<CardProgress>) -> bool {
        let Some(i) = self.find(key) else {
            return false;
        };
        self.rows[i].progress = progress;
        self.meta[i].progress = progress;
        self.cached = None;
        true
    }

    /// Makes [`CardTable::shown`] the rows `query` selects, in its order, with "due today"
    /// meaning due before `day_end`. Does nothing when neither changed since the last call.
    pub fn refresh(&mut self, query: &Query, day_end: DateTime<Utc>) {
        if self
            .cached
            .as_ref()
            .is_some_and(|c| c.day_end == day_end && &c.query == query)
        {
            return;
        }
        let mut shown = self.filter(query, day_end);
        if let Some((column, order)) = query.sort {
            self.sort(&mut shown, column, order);
        }
        self.shown = shown;
        self.cached = Some(CacheKey {
            query: query.clone(),
            day_end,
        });
    }

    /// The rows the last [`CardTable::refresh`] selected, as indices into [`CardTable::rows`].
    #[must_use]
    pub fn shown(&self) -> &[usize] {
        &self.shown
    }

    /// The indices of the rows `query` selects, in deck order.
    #[must_use]
    pub fn filter(&self, query: &Query, day_end: DateTime<Utc>) -> Vec<usize> {
        let folded = fold(&query.text);
        let words: Vec<&str> = folded
            .split(|c: char| c.is_whitespace() || c == '\0')
            .filter(|w| !w.is_empty())
            .collect();
        let position = |list: Option<usize>| list.map(|i| u32::try_from(i).unwrap_or(u32::MAX));
        let deck = match &query.deck {
            Some(id) => match position(self.decks.iter().position(|d| &d.id == id)) {
                Some(i) => Some(i),
                None => return Vec::new(),
            },
            None => None,
        };
        let category = match &query.category {
            Some(c) => match position(self.categories.iter().position(|x| x == c)) {
                Some(i) => Some(i),
                None => return Vec::new(),
            },
            None => None,
        };
        let text = (!words.is_empty()).then(|| self.text_matches(&words));
        self.meta
            .iter()
            .enumerate()
            .filter(|(i, m)| {
                let p = m.progress.as_ref();
                text.as_ref().is_none_or(|t| t[*i])
                    && deck.is_none_or(|d| m.deck == d)
                    && category.is_none_or(|c| m.category == c)
                    && query.state.is_none_or(|s| state_of(p) == s)
                    && (!query.due_today || due_by(p, day_end))
                    && (!query.leech_only || p.is_some_and(|p| p.leech))
                    && (!query.suspended_only || p.is_some_and(|p| p.suspended))
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// For each row, whether its text holds every word. The longest word (likely the rarest)
    /// is looked for first, in one pass over all the text; each next word in one more pass, or
    /// only in the rows still in the running when they are few.
    fn text_matches(&self, words: &[&str]) -> Vec<bool> {
        let mut words = words.to_vec();
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let n = self.rows.len();
        let mut alive: Vec<bool> = vec![true; n];
        let mut count = n;
        for word in words {
            if count < n / 8 {
                for (row, ok) in alive.iter_mut().enumerate() {
                    if *ok {
                        let text = &self.text[self.text_starts[row]..self.text_starts[row + 1]];
                        *ok = text.contains(word);
                    }
                }
            } else {
                let mut found = vec![false; n];
                let mut row = 0;
                for (at, _) in self.text.match_indices(word) {
                    while self.text_starts[row + 1] <= at {
                        row += 1;
                    }
                    found[row] = true;
                }
                for (ok, f) in alive.iter_mut().zip(found) {
                    *ok &= f;
                }
            }
            count = alive.iter().filter(|ok| **ok).count();
            if count == 0 {
                break;
            }
        }
        alive
    }

    /// Sorts row indices by `column`. Cards without a value (a new card's due date or
    /// stability) come last in both directions; ties keep deck order.
    pub fn sort(&mut self, rows: &mut [usize], column: Column, order: Order) {
        if let Some(slot) = column.text_rank_slot() {
            self.make_text_rank(slot);
        }
        let ranks = column
            .text_rank_slot()
            .and_then(|slot| self.text_ranks[slot].as_deref());
        // One integer per row: the value's bits in sort order (no value: the largest key, so
        // last in both directions), then the row index for ties.
        let mut keyed: Vec<u128> = rows
            .iter()
            .map(|&i| {
                let value = sort_value(&self.meta[i], column, ranks.map(|r| r[i]));
                let key = value.map_or(u64::MAX, |v| match order {
                    Order::Ascending => ordered_bits(v),
                    Order::Descending => !ordered_bits(v),
                });
                (u128::from(key) << 64) | i as u128
            })
            .collect();
        keyed.sort_unstable();
        for (slot, key) in rows.iter_mut().zip(keyed) {
            // The low 64 bits are the row index, which fits a usize.
            *slot = (key & u128::from(u64::MAX)) as usize;
        }
    }

    /// Makes each row's rank in the alphabetical (folded) order of a text column, once.
    fn make_text_rank(&mut self, slot: usize) {
        if self.text_ranks[slot].is_some() {
            return;
        }
        let texts: Vec<String> = self
            .rows
            .iter()
            .map(|r| match slot {
                0 => fold(&self.decks[r.deck].title),
                1 => r.card_id.clone(),
                2 => fold(&r.category),
                3 => fold(&r.prompt),
                _ => fold(&r.answer),
            })
            .collect();
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by(|&a, &b| texts[a].cmp(&texts[b]).then(a.cmp(&b)));
        let mut ranks = vec![0_u32; texts.len()];
        let mut rank = 0_u32;
        for (pos, &i) in order.iter().enumerate() {
            if pos > 0 && texts[order[pos - 1]] != texts[i] {
                rank = u32::try_from(pos).unwrap_or(u32::MAX);
            }
            ranks[i] = rank;
        }
        self.text_ranks[slot] = Some(ranks);
    }
}

/// Appends a card's searchable text, folded: prompt, answer and tags on lines of their own,
/// then `\0`.
fn push_search_text(card: &Card, text: &mut String) {
    fold_into(&card.prompt, text);
    text.push('\n');
    fold_into(&card.answer, text);
    for tag in &card.tags {
        text.push('\n');
        fold_into(tag, text);
    }
    text.push('\0');
}

fn row(deck: usize, card: &Card, progress: Option<CardProgress>) -> CardRow {
    let event = matches!(card.kind(), Category::Date | Category::Event)
        .then(|| card.partial_date())
        .flatten()
        .map(|d| (d, card.event_caption().to_owned()));
    CardRow {
        deck,
        card_id: card.id.clone(),
        category: card.category.clone(),
        prompt: card.prompt.clone(),
        answer: card.answer.clone(),
        tags: card.tags.clone(),
        event,
        progress,
    }
}

fn state_order(state: State) -> f64 {
    match state {
        State::New => 0.0,
        State::Learning => 1.0,
        State::Relearning => 2.0,
        State::Review => 3.0,
    }
}

fn millis(t: DateTime<Utc>) -> f64 {
    t.timestamp_millis() as f64
}

/// The bits of a float in an order that compares as the floats do (`total_cmp`). A finite
/// value never gives `u64::MAX` or `0`.
fn ordered_bits(v: f64) -> u64 {
    let bits = v.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

fn sort_value(meta: &Meta, column: Column, rank: Option<u32>) -> Option<f64> {
    let p = meta.progress.as_ref();
    match column {
        Column::Deck | Column::CardId | Column::Category | Column::Prompt | Column::Answer => {
            rank.map(f64::from)
        }
        Column::State => Some(state_order(state_of(p))),
        Column::Due => due_of(p).map(millis),
        Column::Stability => p.and_then(|p| p.card.stability).map(f64::from),
        Column::Difficulty => p.and_then(|p| p.card.difficulty).map(f64::from),
        Column::Lapses => Some(f64::from(p.map_or(0, |p| p.card.lapses))),
        Column::Reps => Some(f64::from(p.map_or(0, |p| p.card.reps))),
        Column::LastReview => p.and_then(|p| p.card.last_review).map(millis),
    }
}
