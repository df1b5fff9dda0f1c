//! The card browser's data, with no UI: every card of every loaded deck joined with its stored
//! progress, searched, filtered and sorted; the article timeline's dated events; and one card's
//! details (history and forgetting curve).
//!
//! [`CardTable`] is built once from the [`Library`] and [`Store::card_states`] and kept; the
//! rows a [`Query`] selects are computed by [`CardTable::refresh`] only when the query (or the
//! table) changed, so a screen can ask for them every frame. Search text is folded (lower case,
//! accents and typographic quotes removed, see [`fold`]) once per card when the table is built.
//!
//! [`Store::card_states`]: crate::store::Store::card_states

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};

use crate::deck::{Card, Category, Library, PartialDate};
use crate::quiz::normalize::{self, Folding, fold_with};
use crate::schedule::{CardState, Scheduler, State};
use crate::session::CardKey;
use crate::store::{CardProgress, CardRecord, ReviewRecord};

/// Text folded for searching: [`fold_with`] by [`Folding::SEARCH`] — lower case, without
/// accents or other combining marks, typographic quotes and dashes as plain ones, whitespace
/// collapsed. `"São Paulo’s"` and `"sao paulo's"` fold the same.
#[must_use]
pub fn fold(s: &str) -> String {
    fold_with(s, Folding::SEARCH)
}

fn fold_into(s: &str, out: &mut String) {
    normalize::fold_into(s, Folding::SEARCH, out);
}

/// A deck as the browser lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckInfo {
    pub id: String,
    pub title: String,
}

/// One card with its stored progress (`None`: never studied, a new card).
#[derive(Debug, Clone, PartialEq)]
pub struct CardRow {
    /// Index of the card's deck in [`CardTable::decks`].
    pub deck: usize,
    pub card_id: String,
    pub category: String,
    pub prompt: String,
    pub answer: String,
    pub tags: Vec<String>,
    /// Date and event cards: the event's date and caption (see [`Card::event_caption`]).
    pub event: Option<(PartialDate, String)>,
    pub progress: Option<CardProgress>,
}

impl CardRow {
    #[must_use]
    pub fn state(&self) -> State {
        state_of(self.progress.as_ref())
    }

    /// When the card is next due; `None` for a new card (it has no due date yet).
    #[must_use]
    pub fn due(&self) -> Option<DateTime<Utc>> {
        due_of(self.progress.as_ref())
    }

    #[must_use]
    pub fn stability(&self) -> Option<f32> {
        self.progress.and_then(|p| p.card.stability)
    }

    #[must_use]
    pub fn difficulty(&self) -> Option<f32> {
        self.progress.and_then(|p| p.card.difficulty)
    }

    #[must_use]
    pub fn lapses(&self) -> u32 {
        self.progress.map_or(0, |p| p.card.lapses)
    }

    #[must_use]
    pub fn reps(&self) -> u32 {
        self.progress.map_or(0, |p| p.card.reps)
    }

    #[must_use]
    pub fn last_review(&self) -> Option<DateTime<Utc>> {
        self.progress.and_then(|p| p.card.last_review)
    }

    #[must_use]
    pub fn suspended(&self) -> bool {
        self.progress.is_some_and(|p| p.suspended)
    }

    #[must_use]
    pub fn leech(&self) -> bool {
        self.progress.is_some_and(|p| p.leech)
    }

    /// Whether the card is buried (hidden from the queue) at `now`.
    #[must_use]
    pub fn buried(&self, now: DateTime<Utc>) -> bool {
        self.progress
            .and_then(|p| p.buried_until)
            .is_some_and(|until| until > now)
    }

    /// Whether the card comes up in today's reviews: studied, not suspended, not buried past
    /// `day_end`, and due before `day_end`. New cards are never "due today" here.
    #[must_use]
    pub fn due_by(&self, day_end: DateTime<Utc>) -> bool {
        due_by(self.progress.as_ref(), day_end)
    }

    /// How likely the card is to be remembered at `now` (`None` for a new card).
    #[must_use]
    pub fn retrievability(&self, scheduler: &Scheduler, now: DateTime<Utc>) -> Option<f32> {
        self.progress
            .and_then(|p| scheduler.retrievability(&p.card, now))
    }
}

fn state_of(p: Option<&CardProgress>) -> State {
    p.map_or(State::New, |p| p.card.state)
}

fn due_of(p: Option<&CardProgress>) -> Option<DateTime<Utc>> {
    p.filter(|p| p.card.state != State::New).map(|p| p.card.due)
}

fn due_by(p: Option<&CardProgress>, day_end: DateTime<Utc>) -> bool {
    p.is_some_and(|p| {
        p.card.state != State::New
            && !p.suspended
            && p.card.due < day_end
            && p.buried_until.is_none_or(|b| b < day_end)
    })
}

/// What filters and sorts read of a row, kept apart from the row's strings so that a pass
/// over 100,000 cards reads little memory.
#[derive(Debug, Clone, Copy)]
struct Meta {
    deck: u32,
    /// Index into [`CardTable::categories`].
    category: u32,
    progress: Option<CardProgress>,
}

/// A column the table can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "lowercase")]
pub enum Column {
    Deck,
    #[strum(serialize = "card id")]
    CardId,
    Category,
    Prompt,
    Answer,
    State,
    Due,
    Stability,
    Difficulty,
    Lapses,
    #[strum(serialize = "reviews")]
    Reps,
    #[strum(serialize = "last review")]
    LastReview,
}

impl Column {
    /// Every column, in table order (strum's `VARIANTS` as an array).
    pub const ALL: [Column; 12] = match <Self as strum::VariantArray>::VARIANTS {
        &[a, b, c, d, e, f, g, h, i, j, k, l] => [a, b, c, d, e, f, g, h, i, j, k, l],
        _ => panic!("Column has twelve variants"),
    };

    /// The column's name in lower case, as in "Sort by due".
    #[must_use]
    pub fn name(self) -> &'static str {
        self.into()
    }

    fn text_rank_slot(self) -> Option<usize> {
        match self {
            Self::Deck => Some(0),
            Self::CardId => Some(1),
            Self::Category => Some(2),
            Self::Prompt => Some(3),
            Self::Answer => Some(4),
            _ => None,
        }
    }
}

/// A sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Order {
    Ascending,
    Descending,
}

/// Which cards to show and in which order. Every filter narrows; the default shows all cards in
/// deck order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    /// Words that must all appear in the prompt, the answer or the tags (case and accents
    /// ignored).
    pub text: String,
    /// Only this deck (by id).
    pub deck: Option<String>,
    /// Only this category (as written in decks: `"date"`, `"actor"`, …).
    pub category: Option<String>,
    /// Only cards in this state (cards never studied are `New`).
    pub state: Option<State>,
    /// Only cards due for review today (see [`CardRow::due_by`]).
    pub due_today: bool,
    pub leech_only: bool,
    pub suspended_only: bool,
    /// `None`: deck order (decks in load order, cards in deck order).
    pub sort: Option<(Column, Order)>,
}

impl Query {
    /// Sorts by `column`; asking again for the column on show flips the direction.
    pub fn toggle_sort(&mut self, column: Column) {
        self.sort = match self.sort {
            Some((c, Order::Ascending)) if c == column => Some((column, Order::Descending)),
            _ => Some((column, Order::Ascending)),
        };
    }
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
    meta: Vec<Meta>,
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

/// One date card on the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEvent {
    /// The card's row in the table.
    pub row: usize,
    pub key: CardKey,
    pub date: PartialDate,
    /// [`PartialDate::as_year_fraction`].
    pub x: f64,
    /// The stacking level (0 = bottom): no two events closer than the gap share a level.
    pub level: u32,
    pub caption: String,
    /// How likely the card is to be remembered now (`None`: never studied).
    pub retrievability: Option<f32>,
}

/// The date and event cards of the table on a time axis, in date order (then by caption, then deck
/// order, so that the cards of one event are neighbours), stacked so that events less than
/// `gap_years` apart (in particular those sharing a date) sit on different levels.
#[must_use]
pub fn timeline_events(
    table: &CardTable,
    scheduler: &Scheduler,
    now: DateTime<Utc>,
    gap_years: f64,
) -> Vec<TimelineEvent> {
    let mut events: Vec<TimelineEvent> = table
        .rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let (date, caption) = r.event.as_ref()?;
            Some(TimelineEvent {
                row: i,
                key: table.key(r),
                date: *date,
                x: date.as_year_fraction(),
                level: 0,
                caption: caption.clone(),
                retrievability: r.retrievability(scheduler, now),
            })
        })
        .collect();
    events.sort_by(|a, b| {
        a.x.total_cmp(&b.x)
            .then_with(|| a.caption.cmp(&b.caption))
            .then(a.row.cmp(&b.row))
    });
    let gap = gap_years.max(f64::EPSILON);
    // The x of the last event on each level.
    let mut last_x: Vec<f64> = Vec::new();
    for event in &mut events {
        let level = last_x
            .iter()
            .position(|&x| event.x - x >= gap)
            .unwrap_or(last_x.len());
        if level == last_x.len() {
            last_x.push(event.x);
        } else {
            last_x[level] = event.x;
        }
        event.level = u32::try_from(level).unwrap_or(u32::MAX);
    }
    events
}

/// Date and event cards about the same event: same date and caption.
#[derive(Debug, Clone, PartialEq)]
pub struct EventGroup {
    pub date: PartialDate,
    pub caption: String,
    /// A label unique among the groups: the caption, with the date added when another group
    /// has the same caption.
    pub label: String,
    /// Indices into the events list.
    pub events: Vec<usize>,
}

/// Groups `events` (as [`timeline_events`] returns them) by date and caption, in date order.
#[must_use]
pub fn event_groups(events: &[TimelineEvent]) -> Vec<EventGroup> {
    let mut groups: Vec<EventGroup> = Vec::new();
    let mut by_event: HashMap<(PartialDate, &str), usize> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        if let Some(&g) = by_event.get(&(e.date, e.caption.as_str())) {
            groups[g].events.push(i);
        } else {
            by_event.insert((e.date, e.caption.as_str()), groups.len());
            groups.push(EventGroup {
                date: e.date,
                caption: e.caption.clone(),
                label: e.caption.clone(),
                events: vec![i],
            });
        }
    }
    let mut caption_count: HashMap<String, usize> = HashMap::new();
    for g in &groups {
        *caption_count.entry(g.caption.clone()).or_default() += 1;
    }
    for g in &mut groups {
        if caption_count.get(&g.caption).copied().unwrap_or(0) > 1 {
            g.label = format!("{} ({})", g.caption, g.date);
        }
    }
    groups
}

/// A card's retrievability over time, x in days from now (negative: since the last review).
#[derive(Debug, Clone, PartialEq)]
pub struct ForgettingCurve {
    pub points: Vec<[f64; 2]>,
    /// Today: `[0, retrievability now]`.
    pub today: [f64; 2],
}

/// How many points a forgetting curve has.
const CURVE_POINTS: u32 = 120;

/// The forgetting curve of a studied card from its last review to `days_ahead` days from now,
/// from the scheduler's FSRS retrievability. `None` for a card never reviewed.
#[must_use]
pub fn forgetting_curve(
    scheduler: &Scheduler,
    card: &CardState,
    now: DateTime<Utc>,
    days_ahead: u32,
) -> Option<ForgettingCurve> {
    let last = card.last_review?;
    let today = f64::from(scheduler.retrievability(card, now)?);
    let since = ((now - last).num_seconds().max(0) as f64) / 86_400.0;
    let span = since + f64::from(days_ahead.max(1));
    let mut points = Vec::with_capacity(CURVE_POINTS as usize + 1);
    for i in 0..=CURVE_POINTS {
        let x = -since + span * f64::from(i) / f64::from(CURVE_POINTS);
        let at = now + TimeDelta::seconds((x * 86_400.0).round() as i64);
        if let Some(r) = scheduler.retrievability(card, at) {
            points.push([x, f64::from(r)]);
        }
    }
    Some(ForgettingCurve {
        points,
        today: [0.0, today],
    })
}

/// How far ahead a card's forgetting curve looks: three times its stability, at least 30 days
/// and at most ten years.
#[must_use]
pub fn curve_days(stability: Option<f32>) -> u32 {
    let s = f64::from(stability.unwrap_or(0.0));
    if s.is_finite() {
        (s * 3.0).ceil().clamp(30.0, 3650.0) as u32
    } else {
        3650
    }
}

/// Everything the detail panel shows about one card.
#[derive(Debug, Clone, PartialEq)]
pub struct CardDetail {
    pub key: CardKey,
    pub deck_title: String,
    pub card: Card,
    pub progress: Option<CardProgress>,
    /// Its answers, oldest first.
    pub history: Vec<ReviewRecord>,
    pub retrievability: Option<f32>,
    pub curve: Option<ForgettingCurve>,
}

impl CardDetail {
    #[must_use]
    pub fn new(
        key: CardKey,
        deck_title: &str,
        card: &Card,
        progress: Option<CardProgress>,
        history: Vec<ReviewRecord>,
        scheduler: &Scheduler,
        now: DateTime<Utc>,
    ) -> Self {
        let retrievability = progress.and_then(|p| scheduler.retrievability(&p.card, now));
        let curve = progress
            .and_then(|p| forgetting_curve(scheduler, &p.card, now, curve_days(p.card.stability)));
        Self {
            key,
            deck_title: deck_title.to_owned(),
            card: card.clone(),
            progress,
            history,
            retrievability,
            curve,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{Deck, LoadedDeck, Origin, Source};
    use crate::schedule::SchedulerConfig;

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
}
