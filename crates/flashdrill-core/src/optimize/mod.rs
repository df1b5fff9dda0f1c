//! Your own memory model: FSRS-6 parameters fitted to the profile's reviews, and what a
//! desired retention costs.
//!
//! - [`build_items`]: the review log as FSRS training items (Anki's rules).
//! - [`optimize`]: fit with `fsrs::compute_parameters`, evaluate old and new on the same items
//!   (`FSRS::evaluate`: log loss, RMSE (bins)), keep the new ones only if they predict better.
//!   It reports progress and stops when its cancel flag is set, so a UI can run it on a thread.
//! - [`apply`] / [`undo`]: store kept parameters and recompute every card's memory state by
//!   replay in one transaction; undo puts the previous parameters back the same way.
//! - [`retention_curve`] / [`workload_at`]: fsrs's simulator over desired retentions 0.70–0.97
//!   with the profile's parameters, cards and answer times.
//! - [`synthetic_history`]: a review log drawn from known parameters, for tests and benches.
//!
//! # From a UI
//!
//! Everything here is plain data and `Send`: read the log on the UI thread (or the worker),
//! then fit on a worker thread that shares the progress and the cancel flag; apply on the
//! thread that owns the store once the learner has seen the figures.
//!
//! ```no_run
//! use std::sync::{Arc, Mutex, atomic::AtomicBool};
//! use flashdrill_core::optimize::{self, OptimizeOptions, Progress};
//! # fn demo(store: &mut flashdrill_core::store::Store) -> Result<(), Box<dyn std::error::Error>> {
//! let settings = store.load_settings()?;
//! let set = optimize::build_items(&store.all_reviews()?, None, &chrono::Local, settings.day_starts_at);
//! let progress = Arc::new(Mutex::new(None::<Progress>)); // the progress bar reads this
//! let cancel = Arc::new(AtomicBool::new(false)); // the cancel button sets this
//! let (p, c, current) = (Arc::clone(&progress), Arc::clone(&cancel), settings.fsrs_parameters);
//! let worker = std::thread::spawn(move || {
//!     let report = |x| *p.lock().unwrap() = Some(x);
//!     optimize::optimize(&set, &current, OptimizeOptions::default(), report, &c)
//! });
//! let report = worker.join().unwrap()?;
//! if report.outcome == optimize::Outcome::Kept {
//!     optimize::apply(store, &report.chosen(), false)?;
//! }
//! # Ok(()) }
//! ```

mod apply;
mod items;
mod simulate;
mod synthetic;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fsrs::{CombinedProgressState, ComputeParametersInput, FSRS, FSRSError};

pub use apply::{MemoryUpdate, apply, memory_updates, undo};
pub use items::{TrainingSet, build_items, study_day};
pub use simulate::{
    RETENTION_MAX, RETENTION_MIN, RETENTION_STEP, RetentionCurve, SimulationInput, WorkloadPoint,
    profile_simulation_input, retention_curve, simulation_input, unstudied_cards, workload_at,
};
pub use synthetic::{record_history, synthetic_history};

use crate::schedule::PARAMETER_BOUNDS;

/// Anki's minimum: with fewer reviews the fit follows noise.
pub const MIN_REVIEWS: usize = 400;

/// Something that stopped the optimizer or the simulator.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OptimizeError {
    #[error("cancelled; nothing was changed")]
    Cancelled,
    #[error("the FSRS library could not {what}: {detail}")]
    Fsrs { what: &'static str, detail: String },
    #[error("there is nothing to simulate: the profile has no cards yet")]
    NoCards,
}

fn fsrs_err(what: &'static str) -> impl Fn(FSRSError) -> OptimizeError {
    move |e| match e {
        FSRSError::Interrupted => OptimizeError::Cancelled,
        other => OptimizeError::Fsrs {
            what,
            detail: format!("{other:?}"),
        },
    }
}

/// What is being done, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Fitting the parameters.
    Training,
    /// Scoring the current and the fitted parameters.
    Evaluating,
    /// Simulating a year at each desired retention.
    Simulating,
}

/// Progress: `done` of `total` units of the current stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: Stage,
    pub done: usize,
    pub total: usize,
}

impl Progress {
    /// 0.0–1.0 through the current stage (0 while the total is unknown).
    #[must_use]
    pub fn fraction(&self) -> f32 {
        if self.total == 0 {
            0.0
        } else {
            (self.done as f32 / self.total as f32).clamp(0.0, 1.0)
        }
    }
}

/// How well parameters predict the reviews: lower is better for both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    pub log_loss: f32,
    /// RMSE over retrievability bins, as Anki shows it.
    pub rmse_bins: f32,
}

/// What [`optimize`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The fitted parameters predict better: keep them.
    Kept,
    /// The fitted parameters do not predict better: the current ones stay.
    NotBetter,
    /// Too few reviews to fit: the current ones stay.
    TooFewReviews { found: usize, needed: usize },
}

impl Outcome {
    /// What happened, in plain words.
    #[must_use]
    pub fn explanation(&self) -> String {
        match *self {
            Self::Kept => "The new parameters predict your answers better; they were kept.".to_owned(),
            Self::NotBetter => "The new parameters do not predict your answers better than the current ones, so the current ones stay.".to_owned(),
            Self::TooFewReviews { found, needed } => format!(
                "Optimizing needs at least {needed} reviews of cards studied on an earlier day; this profile has {found}. \
                 With fewer, the parameters would fit chance rather than your memory, so the current ones stay. \
                 Keep studying and try again later."
            ),
        }
    }
}

/// The result of [`optimize`].
#[derive(Debug, Clone, PartialEq)]
pub struct OptimizeReport {
    /// Reviews (training items) and cards used.
    pub reviews: usize,
    pub cards: usize,
    pub current: [f32; 21],
    /// `None` below the minimum.
    pub current_evaluation: Option<Evaluation>,
    pub fitted: Option<[f32; 21]>,
    pub fitted_evaluation: Option<Evaluation>,
    pub outcome: Outcome,
}

impl OptimizeReport {
    /// The parameters to use from now on: the fitted ones if kept, else the current ones.
    #[must_use]
    pub fn chosen(&self) -> [f32; 21] {
        match (self.outcome, self.fitted) {
            (Outcome::Kept, Some(f)) => f,
            _ => self.current,
        }
    }
}

/// Options of [`optimize`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptimizeOptions {
    /// The profile's relearning steps (the model's short-term part needs to know).
    pub relearning_steps: usize,
    /// Below this many reviews nothing is fitted ([`MIN_REVIEWS`]).
    pub min_reviews: usize,
}

impl Default for OptimizeOptions {
    fn default() -> Self {
        Self {
            relearning_steps: 1,
            min_reviews: MIN_REVIEWS,
        }
    }
}

/// Scores `parameters` on the training set (`None` when it is empty).
pub fn evaluate(
    set: &TrainingSet,
    parameters: &[f32; 21],
    mut progress: impl FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<Option<Evaluation>, OptimizeError> {
    if set.items.is_empty() {
        return Ok(None);
    }
    let model = FSRS::new(parameters).map_err(fsrs_err("use the parameters"))?;
    let e = model
        .evaluate_with_card_ids(set.items.clone(), set.card_ids.clone(), |p| {
            progress(Progress {
                stage: Stage::Evaluating,
                done: p.current,
                total: p.total,
            });
            !cancel.load(Ordering::Relaxed)
        })
        .map_err(fsrs_err("evaluate the parameters"))?;
    Ok(Some(Evaluation {
        log_loss: e.log_loss,
        rmse_bins: e.rmse_bins,
    }))
}

/// Locks fsrs's progress state. A panic inside fsrs while holding the lock poisons it; the
/// state is plain numbers, still good to read.
fn lock(m: &Mutex<CombinedProgressState>) -> std::sync::MutexGuard<'_, CombinedProgressState> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// Runs `compute_parameters` on a helper thread while this one relays progress and the cancel
/// flag (fsrs polls its own abort flag between batches).
fn fit(
    set: &TrainingSet,
    options: OptimizeOptions,
    progress: &mut impl FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<[f32; 21], OptimizeError> {
    let shared = CombinedProgressState::new_shared();
    let input = ComputeParametersInput {
        train_set: set.items.clone(),
        card_ids: Some(set.card_ids.clone()),
        progress: Some(Arc::clone(&shared)),
        enable_short_term: true,
        num_relearning_steps: Some(options.relearning_steps),
        training_config: None,
    };
    let result = std::thread::scope(|scope| {
        let worker = scope.spawn(move || fsrs::compute_parameters(input));
        while !worker.is_finished() {
            {
                let mut state = lock(&shared);
                if cancel.load(Ordering::Relaxed) {
                    state.want_abort = true;
                }
                let (done, total) = (state.current(), state.total());
                drop(state);
                progress(Progress {
                    stage: Stage::Training,
                    done,
                    total,
                });
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        worker.join()
    });
    let fitted = match result {
        Ok(r) => r.map_err(fsrs_err("fit the parameters"))?,
        Err(_) => {
            return Err(OptimizeError::Fsrs {
                what: "fit the parameters",
                detail: "the fit stopped with an internal error".to_owned(),
            });
        }
    };
    if cancel.load(Ordering::Relaxed) {
        return Err(OptimizeError::Cancelled);
    }
    let mut out: [f32; 21] = fitted
        .as_slice()
        .try_into()
        .map_err(|_| OptimizeError::Fsrs {
            what: "fit the parameters",
            detail: format!("it returned {} numbers instead of 21", fitted.len()),
        })?;
    // fsrs clips to the same bounds; clamping removes rounding at the edges.
    for (w, &(min, max)) in out.iter_mut().zip(&PARAMETER_BOUNDS) {
        *w = w.clamp(min, max);
    }
    Ok(out)
}

/// Fits parameters to `set` and decides whether to keep them: the fitted parameters are kept
/// only if their RMSE (bins) on the same reviews is lower than the current ones' (Anki's rule)
/// and their log loss is no higher. Below `options.min_reviews` nothing is fitted.
///
/// `progress` is called often (on the calling thread); setting `cancel` stops the work soon
/// with [`OptimizeError::Cancelled`]. Nothing is stored: see [`apply`].
pub fn optimize(
    set: &TrainingSet,
    current: &[f32; 21],
    options: OptimizeOptions,
    mut progress: impl FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<OptimizeReport, OptimizeError> {
    let mut report = OptimizeReport {
        reviews: set.reviews(),
        cards: set.cards,
        current: *current,
        current_evaluation: None,
        fitted: None,
        fitted_evaluation: None,
        outcome: Outcome::TooFewReviews {
            found: set.reviews(),
            needed: options.min_reviews,
        },
    };
    if cancel.load(Ordering::Relaxed) {
        return Err(OptimizeError::Cancelled);
    }
    if set.reviews() < options.min_reviews.max(1) {
        return Ok(report);
    }
    let fitted = fit(set, options, &mut progress, cancel)?;
    let old = evaluate(set, current, &mut progress, cancel)?;
    let new = evaluate(set, &fitted, &mut progress, cancel)?;
    report.fitted = Some(fitted);
    report.current_evaluation = old;
    report.fitted_evaluation = new;
    report.outcome = match (old, new) {
        (Some(o), Some(n)) if n.rmse_bins < o.rmse_bins && n.log_loss <= o.log_loss => {
            Outcome::Kept
        }
        _ => Outcome::NotBetter,
    };
    Ok(report)
}
