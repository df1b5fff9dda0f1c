//! The card state machine of py-fsrs 6.3 `Scheduler.review_card`, with memory states from the
//! `fsrs` crate and Anki's interval fuzz.

use chrono::{DateTime, TimeDelta, Utc};
use fsrs::{FSRS, FSRSItem, FSRSReview, MemoryState};

use super::config::{ScheduleError, SchedulerConfig};
use super::format::format_interval;
use super::load::{Balance, DueLoad, MAX_BALANCED_INTERVAL, pick_interval};
use super::{CardState, Rating, State};

const SECONDS_PER_DAY: i64 = 86_400;

/// An FSRS-6 scheduler for one set of settings. Cheap to clone; pure: time is always passed in.
#[derive(Debug, Clone)]
pub struct Scheduler {
    config: SchedulerConfig,
    fsrs: FSRS,
}

/// An exam a card's deck is studied for: until `at`, a review is not scheduled past it unless
/// the card's predicted recall at `at` stays at least `target`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExamRule {
    /// The start of the exam day.
    pub at: DateTime<Utc>,
    /// Recall wanted on the exam day (0.70–0.99).
    pub target: f32,
}

/// Where a review's next due date may go besides what the card's memory says: the deck's own
/// retention, its exam, and the learner's load. `Default` is none of them (the profile's
/// retention, plain fuzz).
#[derive(Clone, Copy, Default)]
pub struct Placement<'a> {
    /// The deck's desired retention (`None`: the profile's).
    pub retention: Option<f32>,
    pub exam: Option<ExamRule>,
    /// Load balancing and easy days, with the cards already due on each day.
    pub balance: Option<(Balance, &'a dyn DueLoad)>,
}

impl std::fmt::Debug for Placement<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Placement")
            .field("retention", &self.retention)
            .field("exam", &self.exam)
            .field("balance", &self.balance.map(|(b, _)| b))
            .finish()
    }
}

/// A card's next state and, when load balancing picked its interval, the range it was picked
/// from (a replay balances again from it, in time order).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub state: CardState,
    pub range: Option<(u32, u32)>,
}

/// The four possible next states of a card, one per answer button.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcomes {
    /// The moment of the answer these outcomes were computed for.
    pub reviewed_at: DateTime<Utc>,
    pub again: CardState,
    pub hard: CardState,
    pub good: CardState,
    pub easy: CardState,
}

impl Outcomes {
    /// The next state if the learner answers `rating`.
    #[must_use]
    pub fn get(&self, rating: Rating) -> &CardState {
        match rating {
            Rating::Again => &self.again,
            Rating::Hard => &self.hard,
            Rating::Good => &self.good,
            Rating::Easy => &self.easy,
        }
    }

    /// How long until the card comes back after `rating`.
    #[must_use]
    pub fn interval(&self, rating: Rating) -> TimeDelta {
        self.get(rating).due - self.reviewed_at
    }

    /// The interval as an answer-button label: "1m", "10m", "3d", "2.1mo"…
    #[must_use]
    pub fn interval_label(&self, rating: Rating) -> String {
        format_interval(self.interval(rating))
    }
}

/// Where a card goes next, before the due time is computed.
enum Next {
    /// Stay on (or move to) a learning or relearning step.
    Step(State, u32, TimeDelta),
    /// Review state, with the memory's stability (the interval is placed later).
    Review(f32),
}

impl Scheduler {
    /// Validates the settings and builds the FSRS model.
    pub fn new(config: SchedulerConfig) -> Result<Self, ScheduleError> {
        config.validate()?;
        // The bounds checked by `validate` are the ones fsrs-rs clamps to, so the model uses the
        // weights exactly as given.
        let fsrs =
            FSRS::new(&config.parameters).map_err(|e| ScheduleError::Fsrs(format!("{e:?}")))?;
        Ok(Self { config, fsrs })
    }

    #[must_use]
    pub fn config(&self) -> &SchedulerConfig {
        &self.config
    }

    /// All four next states of `card` if answered at `now`. `fuzz_seed` (see [`fuzz_seed`])
    /// makes the fuzz reproducible; all four outcomes use the same seed, so after fuzz the
    /// intervals still satisfy hard ≤ good ≤ easy.
    #[must_use]
    pub fn preview(&self, card: &CardState, now: DateTime<Utc>, fuzz_seed: u64) -> Outcomes {
        self.preview_placed(card, now, fuzz_seed, &Placement::default())
    }

    /// [`Scheduler::preview`] with the deck's retention, its exam and the learner's load.
    #[must_use]
    pub fn preview_placed(
        &self,
        card: &CardState,
        now: DateTime<Utc>,
        fuzz_seed: u64,
        placement: &Placement<'_>,
    ) -> Outcomes {
        let previous = memory_of(card);
        let days = elapsed_days(card, now);
        let next = match self
            .fsrs
            .next_states(previous, self.config.desired_retention, days)
        {
            Ok(n) => [n.again, n.hard, n.good, n.easy].map(|s| s.memory),
            Err(_) => Rating::ALL.map(|r| self.next_memory(previous, days, r)),
        };
        let [again, hard, good, easy] = [0, 1, 2, 3].map(|i| {
            self.transition(card, Rating::ALL[i], next[i], now, fuzz_seed, placement)
                .state
        });
        Outcomes {
            reviewed_at: now,
            again,
            hard,
            good,
            easy,
        }
    }

    /// The card's state after answering `rating` at `now`: equal to
    /// `self.preview(card, now, fuzz_seed).get(rating)`, computing only one outcome.
    #[must_use]
    pub fn review(
        &self,
        card: &CardState,
        rating: Rating,
        now: DateTime<Utc>,
        fuzz_seed: u64,
    ) -> CardState {
        self.review_placed(card, rating, now, fuzz_seed, &Placement::default())
            .state
    }

    /// [`Scheduler::review`] with the deck's retention, its exam and the learner's load; also
    /// the range of days the interval was picked from when load balancing is on.
    #[must_use]
    pub fn review_placed(
        &self,
        card: &CardState,
        rating: Rating,
        now: DateTime<Utc>,
        fuzz_seed: u64,
        placement: &Placement<'_>,
    ) -> Placed {
        let memory = self.next_memory(memory_of(card), elapsed_days(card, now), rating);
        self.transition(card, rating, memory, now, fuzz_seed, placement)
    }

    /// Rebuilds a card's state from its review log, starting from `start` (normally
    /// [`CardState::new_card`]). `history` should be in time order; if it is not, it is sorted
    /// first (stable, like py-fsrs `reschedule_card`). `seed` gives the fuzz seed for each
    /// review from the card state just before it; live reviews should use the same rule,
    /// e.g. `|c| fuzz_seed(deck_id, card_id, c.reps)`, so replay reproduces their due dates.
    #[must_use]
    pub fn replay(
        &self,
        start: CardState,
        history: &[(Rating, DateTime<Utc>)],
        mut seed: impl FnMut(&CardState) -> u64,
    ) -> CardState {
        let mut run = |reviews: &[(Rating, DateTime<Utc>)]| {
            reviews.iter().fold(start, |card, &(rating, at)| {
                let s = seed(&card);
                self.review(&card, rating, at, s)
            })
        };
        if history.is_sorted_by_key(|&(_, at)| at) {
            run(history)
        } else {
            let mut sorted = history.to_vec();
            sorted.sort_by_key(|&(_, at)| at);
            run(&sorted)
        }
    }

    /// The probability of recalling the card at `now` (FSRS forgetting curve over the fractional
    /// days since the last review), or `None` for a card never reviewed.
    #[must_use]
    pub fn retrievability(&self, card: &CardState, now: DateTime<Utc>) -> Option<f32> {
        let memory = memory_of(card)?;
        let last = card.last_review?;
        let days = ((now - last).num_seconds().max(0) as f64 / SECONDS_PER_DAY as f64) as f32;
        let memory = MemoryState {
            stability: memory.stability.clamp(STABILITY_MIN, STABILITY_MAX),
            ..memory
        };
        let r = fsrs::current_retrievability(memory, days, self.config.parameters[20]);
        r.is_finite().then_some(r)
    }

    /// The interval in days FSRS gives for `stability` at the desired retention: rounded half
    /// to even and clamped to 1..=maximum interval, as py-fsrs `_next_interval`.
    #[must_use]
    pub fn interval_days(&self, stability: f32) -> u32 {
        self.interval_days_at(stability, self.config.desired_retention)
    }

    /// [`Scheduler::interval_days`] at another retention (a deck's own, an exam's target).
    #[must_use]
    pub fn interval_days_at(&self, stability: f32, retention: f32) -> u32 {
        let raw = self
            .fsrs
            .next_interval(Some(stability), retention, 0)
            .round_ties_even();
        let max = self.config.maximum_interval;
        if raw.is_nan() {
            return max;
        }
        (raw.clamp(1.0, max as f32) as u32).min(max)
    }

    /// The interval after fuzz: unchanged when fuzz is off or below 2.5 days, else a
    /// seed-determined whole number of days in [`fuzz_range`].
    #[must_use]
    pub fn fuzzed_days(&self, days: u32, fuzz_seed: u64) -> u32 {
        if !self.config.fuzz || f64::from(days) < 2.5 {
            return days;
        }
        fuzz_within(fuzz_range(days, self.config.maximum_interval), fuzz_seed)
    }

    fn next_memory(&self, previous: Option<MemoryState>, days: u32, rating: Rating) -> MemoryState {
        let item = FSRSItem {
            reviews: vec![FSRSReview {
                rating: u32::from(rating.number()),
                delta_t: days,
            }],
        };
        match self.fsrs.memory_state(item, previous) {
            Ok(m) => m,
            // Unreachable for sanitized inputs and validated weights: fsrs only fails on a
            // non-finite result. Keep the old memory rather than fail a review.
            Err(_) => previous.unwrap_or(MemoryState {
                stability: self.config.parameters[usize::from(rating.number() - 1)],
                difficulty: 5.0,
            }),
        }
    }

    fn transition(
        &self,
        card: &CardState,
        rating: Rating,
        memory: MemoryState,
        now: DateTime<Utc>,
        fuzz_seed: u64,
        placement: &Placement<'_>,
    ) -> Placed {
        let c = &self.config;
        let next = match card.state {
            State::New | State::Learning => Self::on_steps(
                &c.learning_steps,
                State::Learning,
                card.step.unwrap_or(0),
                rating,
                memory.stability,
            ),
            State::Relearning => Self::on_steps(
                &c.relearning_steps,
                State::Relearning,
                card.step.unwrap_or(0),
                rating,
                memory.stability,
            ),
            State::Review => match (rating, c.relearning_steps.first()) {
                (Rating::Again, Some(&delay)) => Next::Step(State::Relearning, 0, delay),
                _ => Next::Review(memory.stability),
            },
        };
        let mut range = None;
        let (state, step, delay) = match next {
            Next::Step(state, step, delay) => (state, Some(step), delay),
            Next::Review(stability) => {
                let placed = self.place(stability, now, fuzz_seed, placement);
                range = placed.1;
                (State::Review, None, TimeDelta::days(i64::from(placed.0)))
            }
        };
        let lapsed = card.state == State::Review && rating == Rating::Again;
        Placed {
            state: CardState {
                state,
                step,
                stability: Some(memory.stability),
                difficulty: Some(memory.difficulty),
                due: now + delay,
                last_review: Some(now),
                reps: card.reps.saturating_add(1),
                lapses: card.lapses.saturating_add(u32::from(lapsed)),
            },
            range,
        }
    }

    /// A review interval for `stability`, in whole days: at the deck's retention, kept before
    /// the exam unless recall on the exam day stays at the target, then fuzzed — or, with load
    /// balancing, picked among the fuzz range by each day's load. Also the range picked from
    /// when load balancing is on (else `None`).
    fn place(
        &self,
        stability: f32,
        now: DateTime<Utc>,
        fuzz_seed: u64,
        placement: &Placement<'_>,
    ) -> (u32, Option<(u32, u32)>) {
        let retention = placement.retention.unwrap_or(self.config.desired_retention);
        let mut days = self.interval_days_at(stability, retention);
        let mut cap = u32::MAX;
        if let Some(exam) = placement.exam
            && now < exam.at
        {
            let until = (exam.at - now).num_seconds() as f64 / SECONDS_PER_DAY as f64;
            if self.recall_after(stability, until as f32) < exam.target {
                // Not ready by the exam if not reviewed again: the review must come before
                // the exam day, fuzz and balancing included. An interval that would have
                // crossed the exam ends when recall falls to the target instead.
                let last_day_before = ((until - 1e-6).floor() as u32).max(1);
                cap = if f64::from(days) > until {
                    self.interval_days_at(stability, exam.target)
                        .min(last_day_before)
                } else {
                    last_day_before
                };
                days = days.min(cap);
            }
        }
        let easy_days = placement
            .balance
            .filter(|(b, _)| b.enabled && !b.easy_days.is_even());
        let (lo, hi) = if self.config.fuzz && days >= 3 {
            fuzz_range(days, self.config.maximum_interval)
        } else if easy_days.is_some() && days <= 2 {
            // Too short to fuzz, but a day either way keeps it off an easy day.
            (
                (days - 1).max(1),
                (days + 1).min(self.config.maximum_interval.max(1)),
            )
        } else {
            (days, days)
        };
        let range = (lo.min(cap), hi.min(cap));
        if let Some((balance, load)) = placement.balance
            && balance.enabled
            && range.0 < range.1
            && days <= MAX_BALANCED_INTERVAL
        {
            let answer_day = balance.days.day_of(now);
            let counts = load.due_on(
                answer_day + i64::from(range.0),
                answer_day + i64::from(range.1),
            );
            let picked = pick_interval(
                range,
                answer_day,
                &counts,
                balance.easy_days,
                unit_interval(fuzz_seed),
            );
            return (picked, Some(range));
        }
        (fuzz_within(range, fuzz_seed), None)
    }

    /// Recall after `days` days with `stability` (the forgetting curve).
    fn recall_after(&self, stability: f32, days: f32) -> f32 {
        let memory = MemoryState {
            stability: stability.clamp(STABILITY_MIN, STABILITY_MAX),
            difficulty: 5.0,
        };
        fsrs::current_retrievability(memory, days.max(0.0), self.config.parameters[20])
    }

    /// Learning / relearning steps, as py-fsrs: Again → step 0; Hard → same step (first step:
    /// 1.5 × it alone, or halfway to the second); Good → next step or graduate; Easy →
    /// graduate. No steps, or a step index past the end (settings changed), graduates.
    fn on_steps(
        steps: &[TimeDelta],
        state: State,
        step: u32,
        rating: Rating,
        stability: f32,
    ) -> Next {
        let graduate = || Next::Review(stability);
        let index = step as usize;
        if steps.is_empty() || (index >= steps.len() && rating != Rating::Again) {
            return graduate();
        }
        match rating {
            Rating::Again => Next::Step(state, 0, steps[0]),
            Rating::Hard => {
                let delay = match (index, steps) {
                    (0, [only]) => TimeDelta::milliseconds(only.num_milliseconds() * 3 / 2),
                    (0, [first, second, ..]) => TimeDelta::milliseconds(i64::midpoint(
                        first.num_milliseconds(),
                        second.num_milliseconds(),
                    )),
                    _ => steps[index],
                };
                Next::Step(state, step, delay)
            }
            Rating::Good if index + 1 < steps.len() => {
                Next::Step(state, step + 1, steps[index + 1])
            }
            Rating::Good | Rating::Easy => graduate(),
        }
    }
}

/// fsrs-rs clamps stability to these bounds inside every step.
const STABILITY_MIN: f32 = 0.001;
const STABILITY_MAX: f32 = 36_500.0;

/// The card's FSRS memory, or `None` if it has none usable (never reviewed, or corrupt values,
/// which are then re-initialised by the next review).
fn memory_of(card: &CardState) -> Option<MemoryState> {
    match (card.stability, card.difficulty) {
        (Some(stability), Some(difficulty))
            if stability.is_finite() && stability > 0.0 && difficulty.is_finite() =>
        {
            Some(MemoryState {
                stability,
                difficulty,
            })
        }
        _ => None,
    }
}

/// Whole 24-hour periods since the last review (py-fsrs `(now - last).days`); 0 when none or
/// when `now` is before the last review.
fn elapsed_days(card: &CardState, now: DateTime<Utc>) -> u32 {
    card.last_review.map_or(0, |last| {
        let days = (now - last).num_seconds().div_euclid(SECONDS_PER_DAY);
        u32::try_from(days.max(0)).unwrap_or(u32::MAX)
    })
}

/// The inclusive range of fuzzed intervals for `days` (Anki / py-fsrs `_get_fuzz_range`):
/// ±(1 day + 15 % of the part between 2.5 and 7 days + 10 % of the part between 7 and 20 +
/// 5 % of the part above 20), rounded half to even, at least 2, at most `maximum_interval`.
#[must_use]
pub fn fuzz_range(days: u32, maximum_interval: u32) -> (u32, u32) {
    const RANGES: [(f64, f64, f64); 3] =
        [(2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, f64::MAX, 0.05)];
    let ivl = f64::from(days);
    let delta = RANGES.iter().fold(1.0, |acc, &(start, end, factor)| {
        acc + factor * (ivl.min(end) - start).max(0.0)
    });
    // Both values are within 0..=36_500 + 1_800.
    let lo = ((ivl - delta).round_ties_even().max(2.0)) as u32;
    let hi = ((ivl + delta).round_ties_even() as u32).min(maximum_interval);
    (lo.min(hi), hi)
}

/// A stable fuzz seed for one review of one card: FNV-1a (64-bit) over the deck id, the card id
/// and the number of reviews so far. Unlike std's hasher it never changes between runs or builds.
#[must_use]
pub fn fuzz_seed(deck_id: &str, card_id: &str, reps: u32) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    // 0xff never occurs in UTF-8, so it separates the fields unambiguously.
    deck_id
        .bytes()
        .chain([0xff])
        .chain(card_id.bytes())
        .chain([0xff])
        .chain(reps.to_le_bytes())
        .fold(OFFSET, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(PRIME)
        })
}

/// A seed-determined whole number of days in `lo..=hi`.
fn fuzz_within((lo, hi): (u32, u32), fuzz_seed: u64) -> u32 {
    let span = f64::from(hi - lo + 1);
    let offset = (unit_interval(fuzz_seed) * span) as u32;
    (lo + offset).min(hi)
}

/// The number in [0, 1) a review's fuzz seed stands for: what plain fuzz and the load
/// balancer pick by.
#[must_use]
pub fn fuzz_unit(seed: u64) -> f64 {
    unit_interval(seed)
}

/// Maps a seed to [0, 1) with SplitMix64's finaliser. Hand-written rather than a `rand` RNG
/// because `rand` does not promise stable output across versions, and due dates must not move
/// when dependencies are upgraded.
fn unit_interval(seed: u64) -> f64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// Whether a card with `lapses` lapses counts as a leech (`threshold` 0 disables leeches).
#[must_use]
pub fn is_leech(lapses: u32, threshold: u32) -> bool {
    threshold > 0 && lapses >= threshold
}

/// Whether the lapse that brought a card to `lapses` should (again) tag and suspend it, as Anki
/// does: at the threshold, then every half threshold after it (8, 12, 16… for 8).
#[must_use]
pub fn becomes_leech(lapses: u32, threshold: u32) -> bool {
    is_leech(lapses, threshold) && (lapses - threshold).is_multiple_of((threshold / 2).max(1))
}

/// Anki's default leech threshold.
pub const DEFAULT_LEECH_THRESHOLD: u32 = 8;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::config::parse_steps;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 1, 9, 0, 0).unwrap()
    }

    fn sched(learning: &str, relearning: &str, fuzz: bool) -> Scheduler {
        Scheduler::new(SchedulerConfig {
            learning_steps: parse_steps(learning).unwrap(),
            relearning_steps: parse_steps(relearning).unwrap(),
            fuzz,
            ..SchedulerConfig::default()
        })
        .unwrap()
    }

    fn default_nofuzz() -> Scheduler {
        sched("1m 10m", "10m", false)
    }

    fn mins(m: i64) -> TimeDelta {
        TimeDelta::minutes(m)
    }

    /// A review card with the given stability, last reviewed `ago` before t0.
    fn review_card(stability: f32, ago: TimeDelta) -> CardState {
        CardState {
            state: State::Review,
            step: None,
            stability: Some(stability),
            difficulty: Some(5.0),
            due: t0(),
            last_review: Some(t0() - ago),
            reps: 5,
            lapses: 1,
        }
    }

    #[test]
    fn new_card_on_default_steps() {
        let s = default_nofuzz();
        let o = s.preview(&CardState::new_card(t0()), t0(), 0);
        assert_eq!(o.again.state, State::Learning);
        assert_eq!(o.again.step, Some(0));
        assert_eq!(o.interval(Rating::Again), mins(1));
        assert_eq!(o.hard.step, Some(0));
        assert_eq!(o.interval(Rating::Hard), TimeDelta::seconds(330)); // (1m + 10m) / 2
        assert_eq!(o.good.step, Some(1));
        assert_eq!(o.interval(Rating::Good), mins(10));
        assert_eq!(o.easy.state, State::Review);
        assert_eq!(o.easy.step, None);
        // S0(easy) = 8.2956 → 8 days at 90 %.
        assert_eq!(o.interval(Rating::Easy), TimeDelta::days(8));
        for r in Rating::ALL {
            let c = o.get(r);
            assert_eq!(c.reps, 1);
            assert_eq!(c.lapses, 0);
            assert_eq!(c.last_review, Some(t0()));
            assert!(
                (c.stability.unwrap() - s.config.parameters[usize::from(r.number()) - 1]).abs()
                    < 1e-6
            );
        }
        assert!((o.again.difficulty.unwrap() - 6.4133).abs() < 1e-5);
        assert!((o.easy.difficulty.unwrap() - 1.0).abs() < 1e-6);
    }

    #[test]
    fn good_walks_the_steps_and_graduates() {
        let s = default_nofuzz();
        let c1 = s.review(&CardState::new_card(t0()), Rating::Good, t0(), 0);
        assert_eq!((c1.state, c1.step), (State::Learning, Some(1)));
        let t1 = t0() + mins(10);
        let c2 = s.review(&c1, Rating::Good, t1, 0);
        assert_eq!((c2.state, c2.step), (State::Review, None));
        assert_eq!(
            c2.due - t1,
            TimeDelta::days(i64::from(s.interval_days(c2.stability.unwrap())))
        );
        assert!(c2.due - t1 >= TimeDelta::days(1));
        // Same-day review: the short-term formula never shrinks stability on Good.
        assert!(c2.stability.unwrap() >= c1.stability.unwrap());
        assert_eq!(c2.reps, 2);
    }

    #[test]
    fn hard_and_again_on_later_steps() {
        let s = sched("1m 10m 1h", "10m", false);
        let c = CardState {
            state: State::Learning,
            step: Some(2),
            stability: Some(1.0),
            difficulty: Some(5.0),
            due: t0(),
            last_review: Some(t0() - mins(60)),
            reps: 3,
            lapses: 0,
        };
        let o = s.preview(&c, t0(), 0);
        assert_eq!((o.hard.step, o.interval(Rating::Hard)), (Some(2), mins(60)));
        assert_eq!(
            (o.again.step, o.interval(Rating::Again)),
            (Some(0), mins(1))
        );
        assert_eq!(o.good.state, State::Review);
        // On step 1 Hard repeats step 1's delay.
        let o = s.preview(&CardState { step: Some(1), ..c }, t0(), 0);
        assert_eq!((o.hard.step, o.interval(Rating::Hard)), (Some(1), mins(10)));
        assert_eq!((o.good.step, o.interval(Rating::Good)), (Some(2), mins(60)));
    }

    #[test]
    fn hard_on_a_single_step_is_one_and_a_half_times() {
        let s = sched("10m", "5m", false);
        let o = s.preview(&CardState::new_card(t0()), t0(), 0);
        assert_eq!(o.interval(Rating::Hard), mins(15));
        assert_eq!(o.good.state, State::Review);
        let lapsed = s.review(
            &review_card(20.0, TimeDelta::days(20)),
            Rating::Again,
            t0(),
            0,
        );
        let o = s.preview(&lapsed, t0() + mins(5), 0);
        assert_eq!(o.interval(Rating::Hard), TimeDelta::seconds(450));
    }

    #[test]
    fn step_index_past_the_end_graduates() {
        // Steps were shortened after the card reached step 2.
        let s = default_nofuzz();
        let c = CardState {
            state: State::Learning,
            step: Some(5),
            stability: Some(1.0),
            difficulty: Some(5.0),
            due: t0(),
            last_review: Some(t0() - mins(30)),
            reps: 4,
            lapses: 0,
        };
        let o = s.preview(&c, t0(), 0);
        assert_eq!(o.hard.state, State::Review);
        assert_eq!(o.good.state, State::Review);
        assert_eq!((o.again.state, o.again.step), (State::Learning, Some(0)));
    }

    #[test]
    fn lapse_goes_to_relearning_and_counts() {
        let s = default_nofuzz();
        let card = review_card(30.0, TimeDelta::days(30));
        let o = s.preview(&card, t0(), 0);
        assert_eq!((o.again.state, o.again.step), (State::Relearning, Some(0)));
        assert_eq!(o.interval(Rating::Again), mins(10));
        assert_eq!(o.again.lapses, 2);
        assert!(o.again.stability.unwrap() < 30.0);
        for r in [Rating::Hard, Rating::Good, Rating::Easy] {
            assert_eq!(o.get(r).state, State::Review);
            assert_eq!(o.get(r).lapses, 1);
        }
        assert!(o.interval(Rating::Hard) < o.interval(Rating::Good));
        assert!(o.interval(Rating::Good) < o.interval(Rating::Easy));
        // Relearning: Good past the only step returns to Review; Again does not add a lapse.
        let t1 = t0() + mins(10);
        let o2 = s.preview(&o.again, t1, 0);
        assert_eq!(o2.good.state, State::Review);
        assert_eq!((o2.again.state, o2.again.lapses), (State::Relearning, 2));
        assert_eq!(o2.easy.state, State::Review);
    }

    #[test]
    fn no_steps_goes_straight_to_review() {
        let s = sched("", "", false);
        let o = s.preview(&CardState::new_card(t0()), t0(), 0);
        for r in Rating::ALL {
            assert_eq!(o.get(r).state, State::Review, "{r:?}");
            assert!(o.interval(r) >= TimeDelta::days(1));
        }
        assert_eq!(o.interval(Rating::Again), TimeDelta::days(1));
        // A lapse with no relearning steps stays in Review with the post-lapse interval.
        let lapsed = s.review(
            &review_card(30.0, TimeDelta::days(30)),
            Rating::Again,
            t0(),
            0,
        );
        assert_eq!(
            (lapsed.state, lapsed.step, lapsed.lapses),
            (State::Review, None, 2)
        );
        assert_eq!(
            lapsed.due - t0(),
            TimeDelta::days(i64::from(s.interval_days(lapsed.stability.unwrap())))
        );
    }

    #[test]
    fn review_equals_preview() {
        let s = sched("1m 10m", "10m", true);
        let cards = [
            CardState::new_card(t0()),
            review_card(3.0, TimeDelta::hours(5)),
            review_card(45.0, TimeDelta::days(50)),
            CardState {
                state: State::Relearning,
                step: Some(0),
                ..review_card(2.0, TimeDelta::days(2))
            },
        ];
        for card in cards {
            for seed in [0, 1, u64::MAX] {
                let o = s.preview(&card, t0(), seed);
                for r in Rating::ALL {
                    assert_eq!(s.review(&card, r, t0(), seed), *o.get(r));
                }
            }
        }
    }

    #[test]
    fn interval_rounding_and_clamps() {
        let s = default_nofuzz();
        // At 90 % retention the interval equals the stability.
        assert_eq!(s.interval_days(0.2), 1);
        assert_eq!(s.interval_days(10.4), 10);
        assert_eq!(s.interval_days(10.6), 11);
        assert_eq!(s.interval_days(1e9), 36_500);
        let capped = Scheduler::new(SchedulerConfig {
            maximum_interval: 30,
            fuzz: false,
            ..SchedulerConfig::default()
        })
        .unwrap();
        assert_eq!(capped.interval_days(100.0), 30);
        let lower = Scheduler::new(SchedulerConfig {
            desired_retention: 0.8,
            ..SchedulerConfig::default()
        })
        .unwrap();
        assert!(lower.interval_days(10.0) > 20);
    }

    #[test]
    fn fuzz_ranges_match_anki() {
        assert_eq!(fuzz_range(3, 36_500), (2, 4));
        assert_eq!(fuzz_range(7, 36_500), (5, 9)); // delta 1.675
        assert_eq!(fuzz_range(10, 36_500), (8, 12)); // delta 1.975
        assert_eq!(fuzz_range(30, 36_500), (27, 33)); // delta 3.475
        assert_eq!(fuzz_range(100, 36_500), (93, 107)); // delta 6.975
        assert_eq!(fuzz_range(100, 102), (93, 102));
        assert_eq!(fuzz_range(36_500, 36_500), (34_673, 36_500));
    }

    #[test]
    fn fuzz_is_deterministic_and_stays_in_range() {
        let s = sched("1m 10m", "10m", true);
        for days in [3u32, 5, 10, 30, 365] {
            let (lo, hi) = fuzz_range(days, 36_500);
            let mut seen = std::collections::BTreeSet::new();
            for seed in 0..2000 {
                let f = s.fuzzed_days(days, seed);
                assert!((lo..=hi).contains(&f), "{days}: {f}");
                assert_eq!(f, s.fuzzed_days(days, seed));
                seen.insert(f);
            }
            // Every value in the range is reachable.
            assert_eq!(seen.len() as u32, hi - lo + 1, "{days}");
        }
        // Below 2.5 days, or with fuzz off, intervals are untouched.
        for seed in 0..100 {
            assert_eq!(s.fuzzed_days(1, seed), 1);
            assert_eq!(s.fuzzed_days(2, seed), 2);
            assert_eq!(default_nofuzz().fuzzed_days(30, seed), 30);
        }
    }

    #[test]
    fn fuzz_applies_only_to_review_intervals() {
        let s = sched("1m 10m", "10m", true);
        let card = review_card(40.0, TimeDelta::days(40));
        let plain = default_nofuzz().preview(&card, t0(), 7);
        let mut moved = false;
        for seed in 0..50 {
            let o = s.preview(&card, t0(), seed);
            assert_eq!(
                o.again.due, plain.again.due,
                "relearning step is never fuzzed"
            );
            assert!(o.interval(Rating::Hard) <= o.interval(Rating::Good));
            assert!(o.interval(Rating::Good) <= o.interval(Rating::Easy));
            let g = plain.interval(Rating::Good).num_days() as u32;
            let (lo, hi) = fuzz_range(g, 36_500);
            assert!((lo..=hi).contains(&(o.interval(Rating::Good).num_days() as u32)));
            moved |= o.good.due != plain.good.due;
            assert_eq!(o.good.stability, plain.good.stability);
        }
        assert!(moved);
        let new = s.preview(&CardState::new_card(t0()), t0(), 3);
        assert_eq!(new.interval(Rating::Good), mins(10));
    }

    #[test]
    fn fuzz_seed_is_stable() {
        assert_eq!(fuzz_seed("", "", 0), fuzz_seed("", "", 0));
        // Pinned (checked against an independent FNV-1a): must never change, or every fuzzed due date would move on replay.
        assert_eq!(fuzz_seed("spanish", "hola", 3), 0x9f5a_7894_fb5d_84cc);
        assert_ne!(fuzz_seed("ab", "c", 0), fuzz_seed("a", "bc", 0));
        assert_ne!(fuzz_seed("a", "b", 0), fuzz_seed("a", "b", 1));
    }

    #[test]
    fn elapsed_days_are_whole_24h_periods() {
        let s = default_nofuzz();
        let base = review_card(10.0, TimeDelta::zero());
        let last = base.last_review.unwrap();
        let almost = s.review(&base, Rating::Good, last + TimeDelta::seconds(86_399), 0);
        let day = s.review(&base, Rating::Good, last + TimeDelta::seconds(86_400), 0);
        // Under a day: short-term formula (S × ≥1, tiny growth); a full day: long-term.
        let short = almost.stability.unwrap();
        let long = day.stability.unwrap();
        assert!(short >= 10.0 && short < long, "{short} {long}");
        // A review "before" the last one (clock skew) counts as same-day.
        let skew = s.review(&base, Rating::Good, last - TimeDelta::hours(1), 0);
        assert_eq!(skew.stability, almost.stability);
    }

    #[test]
    fn corrupt_memory_is_reinitialised() {
        let s = default_nofuzz();
        let bad = CardState {
            stability: Some(f32::NAN),
            ..review_card(1.0, TimeDelta::days(3))
        };
        let c = s.review(&bad, Rating::Good, t0(), 0);
        assert!((c.stability.unwrap() - 2.3065).abs() < 1e-6);
        assert_eq!(c.state, State::Review);
    }

    #[test]
    fn retrievability_decays() {
        let s = default_nofuzz();
        assert_eq!(s.retrievability(&CardState::new_card(t0()), t0()), None);
        let card = review_card(10.0, TimeDelta::zero());
        let last = card.last_review.unwrap();
        let r0 = s.retrievability(&card, last).unwrap();
        let r10 = s.retrievability(&card, last + TimeDelta::days(10)).unwrap();
        let r_half = s
            .retrievability(&card, last + TimeDelta::hours(12))
            .unwrap();
        assert!((r0 - 1.0).abs() < 1e-6);
        assert!((r10 - 0.9).abs() < 1e-4, "{r10}");
        assert!(r_half < 1.0 && r_half > r10);
    }

    #[test]
    fn replay_matches_step_by_step_and_sorts() {
        let s = sched("1m 10m", "10m", true);
        let h = [
            (Rating::Good, t0()),
            (Rating::Good, t0() + mins(10)),
            (Rating::Good, t0() + TimeDelta::days(3)),
            (Rating::Again, t0() + TimeDelta::days(12)),
            (Rating::Good, t0() + TimeDelta::days(12) + mins(10)),
            (Rating::Easy, t0() + TimeDelta::days(20)),
        ];
        let seed = |c: &CardState| fuzz_seed("d", "c", c.reps);
        let mut card = CardState::new_card(t0());
        for &(r, at) in &h {
            card = s.review(&card, r, at, seed(&card));
        }
        let start = CardState::new_card(t0());
        assert_eq!(s.replay(start, &h, seed), card);
        let mut shuffled = h;
        shuffled.reverse();
        assert_eq!(s.replay(start, &shuffled, seed), card);
        assert_eq!(card.reps, 6);
        assert_eq!(card.lapses, 1);
        assert_eq!(s.replay(start, &[], seed), start);
    }

    #[test]
    fn leeches() {
        assert!(!is_leech(7, 8));
        assert!(is_leech(8, 8));
        assert!(is_leech(9, 8));
        assert!(!is_leech(100, 0));
        let hits: Vec<u32> = (0..=20).filter(|&l| becomes_leech(l, 8)).collect();
        assert_eq!(hits, [8, 12, 16, 20]);
        let hits: Vec<u32> = (0..=5).filter(|&l| becomes_leech(l, 1)).collect();
        assert_eq!(hits, [1, 2, 3, 4, 5]);
        assert!(!becomes_leech(5, 0));
    }
}
