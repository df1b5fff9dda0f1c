//! A review log drawn from known parameters: a learner whose memory follows FSRS-6 with
//! `parameters` studies `cards` cards, each reviewed when FSRS schedules it at 0.9 retention.
//! Tests use it to check that optimizing recovers the learner's memory; benches use it for
//! size.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use fsrs::{FSRS, MemoryState};
use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

use crate::domain::{Mode, ReviewRecord};
use crate::schedule::{CardState, Rating, State};

fn next(
    fsrs: &FSRS,
    memory: Option<MemoryState>,
    days: u32,
    rating: Rating,
) -> Option<MemoryState> {
    let states = fsrs.next_states(memory, 0.9, days).ok()?;
    Some(
        match rating {
            Rating::Again => states.again,
            Rating::Hard => states.hard,
            Rating::Good => states.good,
            Rating::Easy => states.easy,
        }
        .memory,
    )
}

/// The srs answers of `cards` cards (deck "synthetic", cards "c0", "c1", …) over `days` days
/// from 1 January 2025, oldest first, ids from 1. A card starts on a day of the first half;
/// a first Again is followed ten minutes later by Good (a learning step), a lapse by Good ten
/// minutes later (relearning); otherwise the card comes back after FSRS's interval at 0.9,
/// and is recalled with the forgetting curve's probability. `state_before` holds the card's
/// state kind only; `state_after` is `None`. `None` if `parameters` are not valid FSRS-6
/// parameters.
#[must_use]
pub fn synthetic_history(
    parameters: &[f32; 21],
    cards: usize,
    days: u32,
    seed: u64,
) -> Option<Vec<ReviewRecord>> {
    let fsrs = FSRS::new(parameters).ok()?;
    let mut rng = SmallRng::seed_from_u64(seed);
    let t0 = Utc.with_ymd_and_hms(2025, 1, 1, 9, 0, 0).single()?;
    let mut out = Vec::new();
    let mut push = |rng: &mut SmallRng,
                    card: usize,
                    day: u32,
                    minutes: i64,
                    rating: Rating,
                    before: Option<State>| {
        let at: DateTime<Utc> = t0
            + TimeDelta::days(i64::from(day))
            + TimeDelta::seconds((card % 3600) as i64)
            + TimeDelta::minutes(minutes);
        out.push(ReviewRecord {
            id: 0,
            deck_id: "synthetic".to_owned(),
            card_id: format!("c{card}"),
            at,
            rating,
            mode: Mode::Srs,
            answer_given: None,
            correct: None,
            response_ms: rng.random_range(3000..12_000),
            state_before: before.map(|state| CardState {
                state,
                ..CardState::new_card(at)
            }),
            state_after: None,
        });
    };
    let first_half = (days / 2).max(1);
    for card in 0..cards {
        let mut day = rng.random_range(0..first_half);
        let u = rng.random::<f32>();
        let first = match u {
            _ if u < 0.2 => Rating::Again,
            _ if u < 0.3 => Rating::Hard,
            _ if u < 0.85 => Rating::Good,
            _ => Rating::Easy,
        };
        push(&mut rng, card, day, 0, first, None);
        let mut memory = next(&fsrs, None, 0, first)?;
        if first == Rating::Again {
            push(&mut rng, card, day, 10, Rating::Good, Some(State::Learning));
            memory = next(&fsrs, Some(memory), 0, Rating::Good)?;
        }
        loop {
            let interval = fsrs
                .next_interval(Some(memory.stability), 0.9, 0)
                .round()
                .max(1.0) as u32;
            day += interval;
            if day >= days {
                break;
            }
            let recall = fsrs::current_retrievability(memory, interval as f32, parameters[20]);
            let u = rng.random::<f32>();
            let rating = if rng.random::<f32>() >= recall {
                Rating::Again
            } else if u < 0.15 {
                Rating::Hard
            } else if u < 0.9 {
                Rating::Good
            } else {
                Rating::Easy
            };
            push(&mut rng, card, day, 0, rating, Some(State::Review));
            memory = next(&fsrs, Some(memory), interval, rating)?;
            if rating == Rating::Again {
                push(
                    &mut rng,
                    card,
                    day,
                    10,
                    Rating::Good,
                    Some(State::Relearning),
                );
                memory = next(&fsrs, Some(memory), 0, Rating::Good)?;
            }
        }
    }
    out.sort_by_key(|r| r.at);
    for (i, r) in out.iter_mut().enumerate() {
        r.id = i as i64 + 1;
    }
    Some(out)
}

/// Records `history` in `store` through the scheduler with `settings`, one answer at a time, as
/// live study would have (srs mode, leeches tagged, never suspended): a profile with that past,
/// for tests, benches and screenshots.
pub fn record_history(
    store: &mut crate::store::Store,
    history: &[ReviewRecord],
    settings: &crate::settings::Settings,
) -> Result<(), crate::store::StoreError> {
    use crate::schedule::{Scheduler, fuzz_seed};
    use crate::store::{LeechPolicy, NewReview};
    let scheduler = Scheduler::new(settings.scheduler_config()).map_err(|e| {
        crate::store::StoreError::BadData {
            path: store.path().to_path_buf(),
            detail: e.to_string(),
        }
    })?;
    let mut cards: std::collections::HashMap<String, CardState> = std::collections::HashMap::new();
    for r in history {
        let card = cards
            .entry(r.card_id.clone())
            .or_insert_with(|| CardState::new_card(r.at));
        let next = scheduler.review(
            card,
            r.rating,
            r.at,
            fuzz_seed(&r.deck_id, &r.card_id, card.reps),
        );
        *card = next;
        store.record_answer(
            &NewReview {
                deck_id: &r.deck_id,
                card_id: &r.card_id,
                at: r.at,
                rating: r.rating,
                mode: Mode::Srs,
                answer_given: None,
                correct: None,
                response_ms: r.response_ms,
                state_after: Some(next),
            },
            LeechPolicy {
                threshold: 99,
                action: crate::settings::LeechAction::Tag,
            },
        )?;
    }
    Ok(())
}
