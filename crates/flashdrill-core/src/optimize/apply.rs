//! Putting kept parameters to use: every card's memory state recomputed by replay, and undo.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};

use crate::domain::{CardRecord, Mode, ReviewRecord};
use crate::schedule::{
    CardState, Rating, ScheduleError, Scheduler, SchedulerConfig, State, fuzz_seed,
};
use crate::store::{Store, StoreError};

/// One card's memory state (and, when rescheduling, due time) under new parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct MemoryUpdate {
    pub deck_id: String,
    pub card_id: String,
    pub stability: f32,
    pub difficulty: f32,
    pub due: DateTime<Utc>,
}

/// The memory state of every studied card in `cards` under `config`'s parameters, replayed
/// from the card's srs answers in `reviews` since the start of its last learning sequence.
/// Due times are kept, unless `reschedule`: then a card in Review is due its new interval
/// (with the same fuzz seed as its last answer) after its last review. New cards, and cards
/// with no srs answers in the log, are left out.
pub fn memory_updates(
    reviews: &[ReviewRecord],
    cards: &[CardRecord],
    config: &SchedulerConfig,
    reschedule: bool,
) -> Result<Vec<MemoryUpdate>, ScheduleError> {
    let scheduler = Scheduler::new(config.clone())?;
    let mut by_card: HashMap<(&str, &str), Vec<&ReviewRecord>> = HashMap::new();
    for r in reviews.iter().filter(|r| r.mode == Mode::Srs) {
        by_card
            .entry((r.deck_id.as_str(), r.card_id.as_str()))
            .or_default()
            .push(r);
    }
    let mut out = Vec::new();
    for record in cards {
        let stored = record.progress.card;
        if stored.state == State::New {
            continue;
        }
        let (deck_id, card_id) = (record.deck_id.as_str(), record.card_id.as_str());
        let Some(history) = by_card.get_mut(&(deck_id, card_id)) else {
            continue;
        };
        history.sort_by_key(|r| (r.at, r.id));
        let start = history
            .iter()
            .rposition(|r| {
                r.state_before
                    .as_ref()
                    .is_none_or(|s| s.state == State::New)
            })
            .unwrap_or(0);
        let answers: Vec<(Rating, DateTime<Utc>)> =
            history[start..].iter().map(|r| (r.rating, r.at)).collect();
        let Some(&(_, first)) = answers.first() else {
            continue;
        };
        let replayed = scheduler.replay(CardState::new_card(first), &answers, |c| {
            fuzz_seed(deck_id, card_id, c.reps)
        });
        let (Some(stability), Some(difficulty)) = (replayed.stability, replayed.difficulty) else {
            continue;
        };
        let due = match (reschedule, stored.state, stored.last_review) {
            (true, State::Review, Some(last)) => {
                let days = scheduler.fuzzed_days(
                    scheduler.interval_days(stability),
                    fuzz_seed(deck_id, card_id, stored.reps.saturating_sub(1)),
                );
                last + TimeDelta::days(i64::from(days))
            }
            _ => stored.due,
        };
        out.push(MemoryUpdate {
            deck_id: record.deck_id.clone(),
            card_id: record.card_id.clone(),
            stability,
            difficulty,
            due,
        });
    }
    Ok(out)
}

fn schedule_err(store: &Store) -> impl Fn(ScheduleError) -> StoreError + '_ {
    move |e| StoreError::Invalid(format!("{}: {e}", store.path().display()))
}

/// Makes `parameters` the profile's: in ONE transaction the `fsrs_parameters` setting is
/// written, the parameters it replaces are kept for [`undo`], and every studied card's memory
/// state is recomputed by replay (due dates recomputed only if `reschedule`). Returns the
/// number of cards updated.
pub fn apply(
    store: &mut Store,
    parameters: &[f32; 21],
    reschedule: bool,
) -> Result<usize, StoreError> {
    let mut settings = store.load_settings()?;
    let previous = settings.fsrs_parameters;
    settings.fsrs_parameters = *parameters;
    let updates = memory_updates(
        &store.all_reviews()?,
        &store.card_states(None)?,
        &settings.scheduler_config(),
        reschedule,
    )
    .map_err(schedule_err(store))?;
    store.write_fsrs_parameters(parameters, &previous, &updates)?;
    Ok(updates.len())
}

/// Puts back the parameters the last [`apply`] replaced (memory states recomputed again, due
/// dates kept) and returns them; `None` if there is nothing to undo. Undoing twice redoes.
pub fn undo(store: &mut Store) -> Result<Option<[f32; 21]>, StoreError> {
    let Some(previous) = store.previous_fsrs_parameters()? else {
        return Ok(None);
    };
    apply(store, &previous, false)?;
    Ok(Some(previous))
}
