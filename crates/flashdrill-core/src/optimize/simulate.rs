//! What a desired retention costs: fsrs's simulator run for a year over the profile's own
//! cards, parameters, rating habits and answer times.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, TimeZone, Utc};
use fsrs::{Card, RevlogEntry, RevlogReviewKind, SimulatorConfig, extract_simulator_config};

use super::{OptimizeError, Progress, Stage, fsrs_err};
use crate::deck::Library;
use crate::domain::{CardRecord, Mode, ReviewRecord};
use crate::schedule::{State, day_start};
use crate::settings::Settings;
use crate::store::{Store, StoreError};

/// The retentions [`retention_curve`] simulates: 0.70, 0.71, …, 0.97.
pub const RETENTION_MIN: f32 = 0.70;
pub const RETENTION_MAX: f32 = 0.97;
pub const RETENTION_STEP: f32 = 0.01;
/// Days simulated.
const SPAN_DAYS: usize = 365;
/// The same seed at every retention, so the curve is smooth and reruns give the same figures.
const SEED: u64 = 2024;
const MS_PER_DAY: f64 = 86_400_000.0;
/// Answers the rating odds and costs are read from (the most recent ones).
const MAX_REVLOG: usize = 50_000;
/// The longest an answer counts, in milliseconds.
const MAX_ANSWER_MS: u64 = 60_000;

/// Everything the simulator needs, built once by [`simulation_input`].
#[derive(Debug)]
pub struct SimulationInput {
    pub parameters: [f32; 21],
    /// Rating odds and answer costs fitted from the log, the profile's limits and steps.
    pub config: SimulatorConfig,
    /// The studied cards as they stand now (desired retention set per run).
    pub cards: Vec<Card>,
}

/// The simulated year at one desired retention.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorkloadPoint {
    pub desired_retention: f32,
    /// Reviews of studied cards per day, on average over the year.
    pub reviews_per_day: f32,
    /// New cards introduced per day, on average.
    pub new_per_day: f32,
    /// Study time per day (reviews and new cards), on average.
    pub minutes_per_day: f32,
    /// Cards expected to be remembered at the end of the year (sum of recall probabilities).
    pub cards_known: f32,
}

/// The retention-vs-workload chart's data.
#[derive(Debug, Clone, PartialEq)]
pub struct RetentionCurve {
    /// One point per retention from [`RETENTION_MIN`] to [`RETENTION_MAX`].
    pub points: Vec<WorkloadPoint>,
    /// The profile's desired retention now.
    pub current: f32,
    /// The lowest retention worth choosing (fsrs's optimal-retention search, which looks at
    /// 0.70–0.95 and often lands on 0.70); `None` if the search found nothing.
    pub minimum_recommended: Option<f32>,
}

impl RetentionCurve {
    /// The simulated point nearest `retention`.
    #[must_use]
    pub fn nearest(&self, retention: f32) -> Option<&WorkloadPoint> {
        self.points.iter().min_by(|a, b| {
            (a.desired_retention - retention)
                .abs()
                .total_cmp(&(b.desired_retention - retention).abs())
        })
    }
}

fn revlog_kind(r: &ReviewRecord) -> RevlogReviewKind {
    match r.state_before.as_ref().map(|s| s.state) {
        None | Some(State::New | State::Learning) => RevlogReviewKind::Learning,
        Some(State::Review) => RevlogReviewKind::Review,
        Some(State::Relearning) => RevlogReviewKind::Relearning,
    }
}

/// Builds the simulator's input: rating odds and answer times from the profile's latest 50,000
/// srs answers
/// (`fsrs::extract_simulator_config`, smoothed toward the defaults when there are few), the
/// profile's new-card limit, maximum interval and steps, its unsuspended studied cards as they
/// stand at `now`, and `new_cards` cards not yet studied.
pub fn simulation_input<Tz: TimeZone>(
    reviews: &[ReviewRecord],
    cards: &[CardRecord],
    settings: &Settings,
    new_cards: usize,
    now: &DateTime<Tz>,
) -> SimulationInput {
    let mut ids: HashMap<(&str, &str), i64> = HashMap::new();
    let srs: Vec<&ReviewRecord> = reviews.iter().filter(|r| r.mode == Mode::Srs).collect();
    // The recent answers only, each counted at most a minute (as Anki caps answer times):
    // fsrs sums a group's times in a u32, which this keeps from overflowing.
    let recent = &srs[srs.len().saturating_sub(MAX_REVLOG)..];
    let revlog: Vec<RevlogEntry> = recent
        .iter()
        .map(|r| {
            let next = ids.len() as i64;
            let cid = *ids
                .entry((r.deck_id.as_str(), r.card_id.as_str()))
                .or_insert(next);
            RevlogEntry {
                id: r.at.timestamp_millis(),
                cid,
                button_chosen: r.rating.number(),
                taken_millis: u32::try_from(r.response_ms.min(MAX_ANSWER_MS)).unwrap_or(0),
                review_kind: revlog_kind(r),
                ..RevlogEntry::default()
            }
        })
        .collect();
    // Days counted from the rollover: any day start, as seconds into its UTC day.
    let cutoff = day_start(now, settings.day_starts_at)
        .timestamp()
        .rem_euclid(86_400);
    let mut config = extract_simulator_config(revlog, cutoff, true);
    let now_utc = now.with_timezone(&Utc);
    let days = |from: DateTime<Utc>, to: DateTime<Utc>| {
        ((to - from).num_milliseconds() as f64 / MS_PER_DAY).floor() as f32
    };
    let parameters = Arc::new(settings.fsrs_parameters.to_vec());
    let existing: Vec<Card> = cards
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let p = &c.progress;
            let s = p.card.stability.filter(|s| s.is_finite() && *s > 0.0)?;
            let d = p.card.difficulty.filter(|d| d.is_finite())?;
            let last = p.card.last_review?;
            if p.suspended || p.card.state == State::New {
                return None;
            }
            let last_date = -days(last, now_utc).max(0.0);
            let due = days(now_utc, p.card.due).max(0.0);
            Some(Card {
                id: i as i64 + 1,
                difficulty: d,
                stability: s,
                last_date,
                due,
                interval: due - last_date,
                lapses: p.card.lapses,
                desired_retention: settings.desired_retention,
                parameters: Arc::clone(&parameters),
            })
        })
        .collect();
    config.deck_size = existing.len() + new_cards;
    config.learn_span = SPAN_DAYS;
    config.max_cost_perday = f32::INFINITY;
    config.max_ivl = settings.maximum_interval as f32;
    config.learn_limit = settings.new_per_day as usize;
    config.review_limit = usize::MAX;
    config.learning_step_count = settings.learning_steps.len().min(3);
    config.relearning_step_count = settings.relearning_steps.len().min(3);
    SimulationInput {
        parameters: settings.fsrs_parameters,
        config,
        cards: existing,
    }
}

/// Cards of the loaded decks (only `deck`'s, if given) with no progress beyond New in
/// `studied` (the profile's card states).
#[must_use]
pub fn unstudied_cards(library: &Library, studied: &[CardRecord], deck: Option<&str>) -> usize {
    let seen: std::collections::HashSet<(&str, &str)> = studied
        .iter()
        .filter(|c| c.progress.card.state != State::New)
        .map(|c| (c.deck_id.as_str(), c.card_id.as_str()))
        .collect();
    library
        .decks
        .iter()
        .filter(|d| deck.is_none_or(|id| id == d.deck.id))
        .map(|d| {
            d.deck
                .cards
                .iter()
                .filter(|c| !seen.contains(&(d.deck.id.as_str(), c.id.as_str())))
                .count()
        })
        .sum()
}

/// [`simulation_input`] for a profile: its settings, srs answers and studied cards read from
/// `store`, and the loaded decks' cards it has not studied yet as the new ones.
pub fn profile_simulation_input<Tz: TimeZone>(
    store: &Store,
    library: &Library,
    now: &DateTime<Tz>,
) -> Result<SimulationInput, StoreError> {
    let settings = store.load_settings()?;
    let reviews = store.all_reviews()?;
    let cards = store.card_states(None)?;
    let new_cards = unstudied_cards(library, &cards, None);
    Ok(simulation_input(
        &reviews, &cards, &settings, new_cards, now,
    ))
}

fn cards_at(input: &SimulationInput, retention: f32) -> Vec<Card> {
    input
        .cards
        .iter()
        .map(|c| Card {
            desired_retention: retention,
            ..c.clone()
        })
        .collect()
}

/// Simulates one year at `retention`.
pub fn workload_at(
    input: &SimulationInput,
    retention: f32,
) -> Result<WorkloadPoint, OptimizeError> {
    if input.config.deck_size == 0 {
        return Err(OptimizeError::NoCards);
    }
    let r = fsrs::simulate(
        &input.config,
        &input.parameters,
        retention,
        Some(SEED),
        Some(cards_at(input, retention)),
    )
    .map_err(fsrs_err("simulate a year of reviews"))?;
    let days = r.review_cnt_per_day.len().max(1) as f32;
    Ok(WorkloadPoint {
        desired_retention: retention,
        reviews_per_day: r.review_cnt_per_day.iter().sum::<usize>() as f32 / days,
        new_per_day: r.learn_cnt_per_day.iter().sum::<usize>() as f32 / days,
        minutes_per_day: r.cost_per_day.iter().sum::<f32>() / days / 60.0,
        cards_known: r.memorized_cnt_per_day.last().copied().unwrap_or(0.0),
    })
}

/// The chart's data: a simulated year at every retention from 0.70 to 0.97 and the minimum
/// recommended retention. Pure; seconds of work for a large profile, so run it off the UI
/// thread: `progress` counts the simulations, `cancel` stops between them.
pub fn retention_curve(
    input: &SimulationInput,
    current: f32,
    mut progress: impl FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<RetentionCurve, OptimizeError> {
    let steps = ((RETENTION_MAX - RETENTION_MIN) / RETENTION_STEP).round() as usize;
    let total = steps + 2;
    let mut points = Vec::with_capacity(steps + 1);
    for i in 0..=steps {
        if cancel.load(Ordering::Relaxed) {
            return Err(OptimizeError::Cancelled);
        }
        progress(Progress {
            stage: Stage::Simulating,
            done: i,
            total,
        });
        // Rounded to two decimals so the points are exactly 0.70, 0.71, …
        let retention = ((RETENTION_MIN + i as f32 * RETENTION_STEP) * 100.0).round() / 100.0;
        points.push(workload_at(input, retention)?);
    }
    progress(Progress {
        stage: Stage::Simulating,
        done: steps + 1,
        total,
    });
    // The search simulates with the cards it is given at *their own* desired retention (fsrs
    // 6.6 sets the searched one on new cards only), so the profile's cards would not move with
    // it; it searches over a deck of the profile's size learnt from scratch instead.
    let minimum = fsrs::optimal_retention(
        &input.config,
        &input.parameters,
        |_| !cancel.load(Ordering::Relaxed),
        None,
        None,
    );
    if cancel.load(Ordering::Relaxed) {
        return Err(OptimizeError::Cancelled);
    }
    progress(Progress {
        stage: Stage::Simulating,
        done: total,
        total,
    });
    Ok(RetentionCurve {
        points,
        current,
        minimum_recommended: minimum.ok(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CardProgress;
    use crate::schedule::CardState;

    fn record(deck: &str, card: &str, state: State) -> CardRecord {
        CardRecord {
            deck_id: deck.to_owned(),
            card_id: card.to_owned(),
            progress: CardProgress::from_state(CardState {
                state,
                ..CardState::new_card(Utc::now())
            }),
        }
    }

    #[test]
    fn unstudied_cards_are_the_loaded_cards_with_no_progress() {
        let library = crate::deck::load_library(&[], true);
        let deck = &library.decks[0].deck;
        let total: usize = library.decks.iter().map(|d| d.deck.cards.len()).sum();
        let cards = [
            record(&deck.id, &deck.cards[0].id, State::Review),
            // Stored but still New (e.g. buried before its first answer): not studied.
            record(&deck.id, &deck.cards[1].id, State::New),
            // Studied, from a deck no longer loaded: not in the library's count.
            record("gone", &deck.cards[2].id, State::Review),
        ];
        assert_eq!(unstudied_cards(&library, &cards, None), total - 1);
        assert_eq!(
            unstudied_cards(&library, &cards, Some(&deck.id)),
            deck.cards.len() - 1
        );
        assert_eq!(unstudied_cards(&library, &cards, Some("nope")), 0);
    }
}
