//! One card's details: its history, and its forgetting curve.

use chrono::{DateTime, TimeDelta, Utc};

use crate::deck::Card;
use crate::schedule::{CardState, Scheduler};
use crate::session::CardKey;
use crate::store::{CardProgress, ReviewRecord};

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
