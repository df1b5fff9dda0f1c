//! Statistics, "progress you can see": reviews and time per day, the due forecast, true
//! retention by week, mastery by category, the calendar heatmap, streaks and today's numbers.
//!
//! Pure: everything is computed from the review log and card states handed in (no egui, no SQL,
//! no clock — `now` is a parameter). [`load`] is the one convenience that reads them through the
//! store's API.
//!
//! The review log is read in one pass ([`StatsBuilder::add`], O(1) per review: each answer is
//! put in a bucket by its study-day number), so the work is linear in the number of reviews and
//! cards. Study days roll over at the profile's `day_starts_at` local hour, exactly as the
//! scheduler's [`day_start`](crate::schedule::day_start) sees them.
//!
//! What counts:
//! - **Activity** (reviews and time per day, heatmap, streaks, today's numbers): every answer
//!   of every mode (srs, practice, drill), unless [`Filter::mode`] picks one; today's "reviews"
//!   are the srs answers, practice and drill answers are counted beside them. Self-test
//!   answers (`test`) are not study: they count only when the filter picks that mode.
//! - **True retention**: srs answers to cards that were in Review before the answer; Hard, Good
//!   and Easy pass, Again fails. Practice and drill never count, whatever the mode filter.
//! - **Mastery and forecast**: the cards of the loaded decks (cards whose deck or card was
//!   removed are left out), each with its stored state or as a new card.
//! - [`Filter::deck`] limits everything to one deck.

mod days;
pub mod report;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, TimeZone, Utc};

use crate::deck::{Category, Library};
use crate::schedule::{CardState, Rating, ScheduleError, Scheduler, State};
use crate::store::{CardProgress, CardRecord, Mode, ReviewRecord, Store, StoreError};

pub(crate) use days::DayClock;

/// Days of history kept per day (the longest range of the reviews-per-day chart and the
/// heatmap). Streaks and the total count look at the whole log.
pub const HISTORY_DAYS: usize = 365;
/// Days in the due forecast (day 0 is today, with everything overdue).
pub const FORECAST_DAYS: usize = 30;
/// Weeks of true retention (Monday to Sunday; the last one is the current week).
pub const RETENTION_WEEKS: usize = 52;
/// The summary retention ([`Stats::recent_retention`]) covers this many days.
pub const RECENT_RETENTION_DAYS: usize = 30;
/// A review card is mature from this stability (days) on, as in Anki.
pub const MATURE_STABILITY: f32 = 21.0;

/// Errors while loading statistics.
#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the profile's settings cannot be used for scheduling: {0}")]
    Schedule(#[from] ScheduleError),
}

/// Which answers and cards the statistics look at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this deck (by id); `None`: every deck.
    pub deck: Option<String>,
    /// Only answers of this mode for the activity numbers; `None`: every study mode (all but
    /// [`Mode::Test`]).
    pub mode: Option<Mode>,
}

impl Filter {
    /// Every deck, every mode.
    #[must_use]
    pub fn all() -> Self {
        Self::default()
    }

    /// One deck, every mode.
    #[must_use]
    pub fn deck(id: impl Into<String>) -> Self {
        Self {
            deck: Some(id.into()),
            mode: None,
        }
    }

    /// Whether a deck is included.
    #[must_use]
    pub fn includes_deck(&self, deck_id: &str) -> bool {
        self.deck.as_deref().is_none_or(|d| d == deck_id)
    }

    /// Whether an answer of this mode counts as activity (a self-test answer only when the
    /// filter asks for [`Mode::Test`]).
    #[must_use]
    pub fn includes_mode(&self, mode: Mode) -> bool {
        self.mode.map_or(mode != Mode::Test, |m| m == mode)
    }
}

/// How well a card is known.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
pub enum Level {
    /// Never studied (or reset).
    New,
    /// In Learning or Relearning.
    Learning,
    /// In Review with a stability under [`MATURE_STABILITY`] days.
    Young,
    /// In Review with a stability of [`MATURE_STABILITY`] days or more.
    Mature,
}

impl Level {
    /// New, Learning, Young, Mature (strum's `VARIANTS` as an array).
    pub const ALL: [Level; 4] = match <Self as strum::VariantArray>::VARIANTS {
        &[a, b, c, d] => [a, b, c, d],
        _ => panic!("Level has four variants"),
    };

    /// The level of a card with this stored state (`None`: no state, a new card).
    #[must_use]
    pub fn of(state: Option<&CardState>) -> Self {
        match state {
            None => Self::New,
            Some(s) => match s.state {
                State::New => Self::New,
                State::Learning | State::Relearning => Self::Learning,
                State::Review if s.stability.unwrap_or(0.0) >= MATURE_STABILITY => Self::Mature,
                State::Review => Self::Young,
            },
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        self.into()
    }

    /// 0–3, the index into [`MasteryCounts::as_array`].
    #[must_use]
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One study day's activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayStats {
    /// The local date the study day starts on.
    pub date: NaiveDate,
    /// Answers rated Again, Hard, Good, Easy (index `Rating::number() - 1`).
    pub by_rating: [u32; 4],
    /// Answers that were right ([`ReviewRecord::is_right`]).
    pub right: u32,
    /// Time spent answering (sum of response times).
    pub ms: u64,
}

impl DayStats {
    fn empty(date: NaiveDate) -> Self {
        Self {
            date,
            by_rating: [0; 4],
            right: 0,
            ms: 0,
        }
    }

    /// Answers that day.
    #[must_use]
    pub fn reviews(&self) -> u32 {
        self.by_rating.iter().sum()
    }

    /// Answers rated `rating`.
    #[must_use]
    pub fn rated(&self, rating: Rating) -> u32 {
        self.by_rating[usize::from(rating.number() - 1)]
    }

    /// Time spent, in minutes.
    #[must_use]
    pub fn minutes(&self) -> f64 {
        self.ms as f64 / 60_000.0
    }
}

/// Passed and failed answers to review cards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retention {
    /// Rated Hard, Good or Easy.
    pub passed: u32,
    /// Rated Again.
    pub failed: u32,
}

impl Retention {
    #[must_use]
    pub fn total(&self) -> u32 {
        self.passed + self.failed
    }

    /// The share passed (0–1), or `None` without answers.
    #[must_use]
    pub fn rate(&self) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| f64::from(self.passed) / f64::from(total))
    }

    fn add(&mut self, other: Retention) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

/// True retention in one week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekRetention {
    /// The week's Monday.
    pub start: NaiveDate,
    pub retention: Retention,
}

/// Cards by level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MasteryCounts {
    pub new: u32,
    pub learning: u32,
    pub young: u32,
    pub mature: u32,
}

impl MasteryCounts {
    /// New, learning, young, mature.
    #[must_use]
    pub fn as_array(&self) -> [u32; 4] {
        [self.new, self.learning, self.young, self.mature]
    }

    #[must_use]
    pub fn total(&self) -> u32 {
        self.new + self.learning + self.young + self.mature
    }

    #[must_use]
    pub fn get(&self, level: Level) -> u32 {
        self.as_array()[level.index()]
    }

    fn add(&mut self, level: Level) {
        match level {
            Level::New => self.new += 1,
            Level::Learning => self.learning += 1,
            Level::Young => self.young += 1,
            Level::Mature => self.mature += 1,
        }
    }
}

/// Mastery of one category.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryMastery {
    pub category: Category,
    pub counts: MasteryCounts,
    /// Cards with a memory state (reviewed at least once).
    pub reviewed: u32,
    /// The mean FSRS retrievability now over the reviewed cards: the share the learner would
    /// recall today. `None` when no card was reviewed.
    pub recall: Option<f64>,
}

/// Days in a row with at least one answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Streaks {
    /// The run ending today, or yesterday if nothing was answered yet today; 0 if neither.
    pub current: u32,
    /// The longest run ever.
    pub longest: u32,
}

/// Today's numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TodayNumbers {
    /// Scheduled reviews (srs answers): practice and drill answers are not reviews.
    pub reviews: u32,
    /// Practice and drill answers.
    pub other: u32,
    /// Answers right, of every mode counted.
    pub right: u32,
    /// Time spent, in every mode counted.
    pub ms: u64,
}

impl TodayNumbers {
    /// Time spent today in minutes.
    #[must_use]
    pub fn minutes(&self) -> f64 {
        self.ms as f64 / 60_000.0
    }

    /// The share of answers right today (0–1), or `None` before the first answer.
    #[must_use]
    pub fn right_rate(&self) -> Option<f64> {
        let answers = self.answers();
        (answers > 0).then(|| f64::from(self.right) / f64::from(answers))
    }

    /// Every answer counted today: reviews, practice and drill.
    #[must_use]
    pub fn answers(&self) -> u32 {
        self.reviews + self.other
    }
}

/// Everything the statistics screen and `flashdrill stats` show.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// The local date today's study day started on.
    pub today: NaiveDate,
    /// The profile's desired retention, to compare true retention with.
    pub desired_retention: f32,
    pub filter: Filter,
    /// Answers in the whole log that pass the filter (all time).
    pub total_reviews: u64,
    /// The last [`HISTORY_DAYS`] study days, oldest first; the last is today.
    pub days: Vec<DayStats>,
    /// Cards due on each of the next [`FORECAST_DAYS`] days; `[0]` is today and includes
    /// everything overdue. Suspended and new cards are left out; buried cards count from the
    /// day they come back.
    pub forecast: Vec<u32>,
    /// True retention for the last [`RETENTION_WEEKS`] weeks, oldest first; the last is the
    /// current week.
    pub retention_weeks: Vec<WeekRetention>,
    /// True retention over the last [`RECENT_RETENTION_DAYS`] days.
    pub recent_retention: Retention,
    /// Per category, in category order (dates, actors, terms, places, numbers, others).
    pub mastery: Vec<CategoryMastery>,
    /// The mean retrievability over every reviewed card: "would recall today".
    pub recall: Option<f64>,
    pub streaks: Streaks,
    pub today_numbers: TodayNumbers,
}

impl Stats {
    /// The last `n` days (at most [`HISTORY_DAYS`]), oldest first.
    #[must_use]
    pub fn last_days(&self, n: usize) -> &[DayStats] {
        &self.days[self.days.len().saturating_sub(n)..]
    }

    /// No answer in the log passes the filter.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.total_reviews == 0
    }

    /// The date of forecast day `i` (0 = today).
    #[must_use]
    pub fn forecast_date(&self, i: usize) -> NaiveDate {
        add_days(self.today, i as i64)
    }

    /// Mastery counts over every category.
    #[must_use]
    pub fn mastery_total(&self) -> MasteryCounts {
        let mut total = MasteryCounts::default();
        for m in &self.mastery {
            total.new += m.counts.new;
            total.learning += m.counts.learning;
            total.young += m.counts.young;
            total.mature += m.counts.mature;
        }
        total
    }
}

fn add_days(date: NaiveDate, n: i64) -> NaiveDate {
    date.checked_add_signed(TimeDelta::days(n)).unwrap_or(date)
}

/// Computes [`Stats`] in one pass over the review log: [`new`](Self::new), then
/// [`add`](Self::add) each review (in any order; time order is fastest), then
/// [`finish`](Self::finish) with the card states and decks.
#[derive(Debug)]
pub struct StatsBuilder<Tz: TimeZone> {
    clock: DayClock<Tz>,
    now: DateTime<Utc>,
    filter: Filter,
    today: NaiveDate,
    days: Vec<DayStats>,
    retention: Vec<Retention>,
    total: u64,
    /// Study days (≤ 0) with activity; repeats removed later.
    active: Vec<i64>,
    /// Today's srs answers (that pass the filter).
    today_srs: u32,
}

impl<Tz: TimeZone> StatsBuilder<Tz> {
    /// A builder for the study day containing `now_local`, days starting at the local hour
    /// `day_starts_at`.
    #[must_use]
    pub fn new(now_local: &DateTime<Tz>, day_starts_at: u32, filter: Filter) -> Self {
        let history = HISTORY_DAYS as i64;
        let clock = DayClock::new(
            now_local,
            day_starts_at,
            -(history - 1),
            FORECAST_DAYS as i64,
        );
        let tz = now_local.timezone();
        let today = DateTime::<Utc>::from_timestamp_millis(clock.today_start()).map_or_else(
            || now_local.date_naive(),
            |t| t.with_timezone(&tz).date_naive(),
        );
        let days = (0..HISTORY_DAYS)
            .map(|i| DayStats::empty(add_days(today, i as i64 - (history - 1))))
            .collect();
        Self {
            clock,
            now: now_local.with_timezone(&Utc),
            filter,
            today,
            days,
            retention: vec![Retention::default(); HISTORY_DAYS],
            total: 0,
            active: Vec::new(),
            today_srs: 0,
        }
    }

    /// Counts one answer.
    pub fn add(&mut self, review: &ReviewRecord) {
        if !self.filter.includes_deck(&review.deck_id) {
            return;
        }
        let day = self.clock.day_of(review.at);
        let index = usize::try_from(day + HISTORY_DAYS as i64 - 1)
            .ok()
            .filter(|&i| i < HISTORY_DAYS);
        if review.mode == Mode::Srs
            && review
                .state_before
                .is_some_and(|s| s.state == State::Review)
            && let Some(i) = index
        {
            let r = &mut self.retention[i];
            if review.rating == Rating::Again {
                r.failed += 1;
            } else {
                r.passed += 1;
            }
        }
        if !self.filter.includes_mode(review.mode) {
            return;
        }
        self.total += 1;
        if day <= 0 && self.active.last() != Some(&day) {
            self.active.push(day);
        }
        if day == 0 && review.mode == Mode::Srs {
            self.today_srs += 1;
        }
        if let Some(i) = index {
            let d = &mut self.days[i];
            d.by_rating[usize::from(review.rating.number() - 1)] += 1;
            d.right += u32::from(review.is_right());
            d.ms = d.ms.saturating_add(review.response_ms);
        }
    }

    /// The statistics, with mastery and the forecast from `cards` (the stored card states;
    /// those of other decks than the filter's are ignored) and `library` (each card's
    /// category; cards without a stored state are new). `scheduler` gives retrievability and
    /// the desired retention.
    #[must_use]
    pub fn finish(
        mut self,
        cards: &[CardRecord],
        library: &Library,
        scheduler: &Scheduler,
    ) -> Stats {
        let streaks = streaks(&mut self.active);
        let (retention_weeks, recent_retention) = self.retention_summary();
        let (mastery, recall, forecast) = self.cards(cards, library, scheduler);
        let today = self
            .days
            .last()
            .copied()
            .unwrap_or(DayStats::empty(self.today));
        Stats {
            today: self.today,
            desired_retention: scheduler.config().desired_retention,
            filter: self.filter,
            total_reviews: self.total,
            today_numbers: TodayNumbers {
                reviews: self.today_srs,
                other: today.reviews().saturating_sub(self.today_srs),
                right: today.right,
                ms: today.ms,
            },
            days: self.days,
            forecast,
            retention_weeks,
            recent_retention,
            mastery,
            recall,
            streaks,
        }
    }

    fn retention_summary(&self) -> (Vec<WeekRetention>, Retention) {
        let this_monday = add_days(
            self.today,
            -i64::from(self.today.weekday().num_days_from_monday()),
        );
        let first_monday = add_days(this_monday, -7 * (RETENTION_WEEKS as i64 - 1));
        let mut weeks: Vec<WeekRetention> = (0..RETENTION_WEEKS)
            .map(|w| WeekRetention {
                start: add_days(first_monday, 7 * w as i64),
                retention: Retention::default(),
            })
            .collect();
        let mut recent = Retention::default();
        for (i, (day, r)) in self.days.iter().zip(&self.retention).enumerate() {
            let offset = (day.date - first_monday).num_days();
            if let Some(week) = usize::try_from(offset / 7)
                .ok()
                .filter(|_| offset >= 0)
                .and_then(|w| weeks.get_mut(w))
            {
                week.retention.add(*r);
            }
            if i >= HISTORY_DAYS - RECENT_RETENTION_DAYS {
                recent.add(*r);
            }
        }
        (weeks, recent)
    }

    fn cards(
        &mut self,
        cards: &[CardRecord],
        library: &Library,
        scheduler: &Scheduler,
    ) -> (Vec<CategoryMastery>, Option<f64>, Vec<u32>) {
        let by_deck = states_by_deck(cards, library, &self.filter);
        let mut by_category: BTreeMap<&str, CategoryAcc> = BTreeMap::new();
        let mut forecast = vec![0u32; FORECAST_DAYS];
        let today_start = self.clock.today_start();
        let forecast_end = self.clock.start(FORECAST_DAYS as i64);
        let empty = CardMap::default();
        for loaded in &library.decks {
            let deck = &loaded.deck;
            if !self.filter.includes_deck(&deck.id) {
                continue;
            }
            let states = by_deck.get(deck.id.as_str()).unwrap_or(&empty);
            for card in &deck.cards {
                let progress = states.get(card.id.as_str());
                let acc = by_category.entry(card.category.as_str()).or_default();
                acc.counts.add(Level::of(progress.map(|p| &p.card)));
                let Some(p) = progress else { continue };
                if let Some(r) = scheduler.retrievability(&p.card, self.now) {
                    acc.reviewed += 1;
                    acc.recall_sum += f64::from(r);
                }
                if !p.suspended && p.card.state != State::New {
                    let due = p
                        .buried_until
                        .map_or(p.card.due, |b| b.max(p.card.due))
                        .timestamp_millis();
                    // Overdue counts today; past the forecast, nothing to look up.
                    let day = if due < today_start {
                        Some(0)
                    } else if due < forecast_end {
                        usize::try_from(self.clock.day_of_ms(due)).ok()
                    } else {
                        None
                    };
                    if let Some(n) = day.and_then(|d| forecast.get_mut(d)) {
                        *n += 1;
                    }
                }
            }
        }
        let (mut reviewed, mut recall_sum) = (0u32, 0.0f64);
        let mut mastery: Vec<CategoryMastery> = by_category
            .into_iter()
            .map(|(category, acc)| {
                reviewed += acc.reviewed;
                recall_sum += acc.recall_sum;
                CategoryMastery {
                    category: Category::parse(category),
                    counts: acc.counts,
                    reviewed: acc.reviewed,
                    recall: (acc.reviewed > 0).then(|| acc.recall_sum / f64::from(acc.reviewed)),
                }
            })
            .collect();
        mastery.sort_by(|a, b| a.category.cmp(&b.category));
        let recall = (reviewed > 0).then(|| recall_sum / f64::from(reviewed));
        (mastery, recall, forecast)
    }
}

/// A fast, non-cryptographic hash map (rustc's FxHash) for maps keyed by the learner's own
/// deck and card ids: they are short, and nobody gains by making them collide.
pub(crate) type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

type CardMap<'a> = FastMap<&'a str, &'a CardProgress>;

/// The stored states of the decks the filter includes: deck id → card id → progress.
fn states_by_deck<'a>(
    cards: &'a [CardRecord],
    library: &Library,
    filter: &Filter,
) -> FastMap<&'a str, CardMap<'a>> {
    let mut by_deck: FastMap<&str, CardMap<'_>> = FastMap::default();
    // Records usually come grouped by deck (the store orders them so): fill one deck's map
    // at a time (taken out of `by_deck` while filled, put back when the deck changes).
    let mut current: Option<(&str, CardMap<'_>)> = None;
    for c in cards {
        if !filter.includes_deck(&c.deck_id) {
            continue;
        }
        match &mut current {
            Some((deck, map)) if *deck == c.deck_id => {
                map.insert(c.card_id.as_str(), &c.progress);
            }
            _ => {
                if let Some((deck, map)) = current.take() {
                    by_deck.insert(deck, map);
                }
                let mut map = by_deck.remove(c.deck_id.as_str()).unwrap_or_else(|| {
                    // About one state per card of the deck: no rehashing while filling.
                    let size = library.deck(&c.deck_id).map_or(0, |d| d.deck.cards.len());
                    CardMap::with_capacity_and_hasher(size, rustc_hash::FxBuildHasher)
                });
                map.insert(c.card_id.as_str(), &c.progress);
                current = Some((c.deck_id.as_str(), map));
            }
        }
    }
    if let Some((deck, map)) = current {
        by_deck.insert(deck, map);
    }
    by_deck
}

/// One category's counts while the cards are gone through.
#[derive(Default)]
struct CategoryAcc {
    counts: MasteryCounts,
    reviewed: u32,
    recall_sum: f64,
}

/// Current and longest streak from the active study days (≤ 0, any order, repeats allowed).
fn streaks(active: &mut Vec<i64>) -> Streaks {
    active.sort_unstable();
    active.dedup();
    let mut longest = 0u32;
    let mut run = 0u32;
    let mut previous: Option<i64> = None;
    for &day in active.iter() {
        run = if previous == Some(day - 1) {
            run + 1
        } else {
            1
        };
        longest = longest.max(run);
        previous = Some(day);
    }
    // `run` is now the run ending at the last active day.
    let current = match previous {
        Some(0 | -1) => run,
        _ => 0,
    };
    Streaks { current, longest }
}

/// Computes the statistics from a review log already in memory.
#[must_use]
pub fn compute<'r, Tz: TimeZone>(
    reviews: impl IntoIterator<Item = &'r ReviewRecord>,
    cards: &[CardRecord],
    library: &Library,
    scheduler: &Scheduler,
    day_starts_at: u32,
    filter: Filter,
    now_local: &DateTime<Tz>,
) -> Stats {
    let mut builder = StatsBuilder::new(now_local, day_starts_at, filter);
    for r in reviews {
        builder.add(r);
    }
    builder.finish(cards, library, scheduler)
}

/// Reads the profile's settings, review log (streamed, never held whole) and card states
/// through the store's API and computes the statistics. Slow for big logs: call it off the UI
/// thread.
pub fn load<Tz: TimeZone>(
    store: &Store,
    library: &Library,
    filter: Filter,
    now_local: &DateTime<Tz>,
) -> Result<Stats, StatsError> {
    let settings = store.load_settings()?;
    let scheduler = Scheduler::new(settings.scheduler_config())?;
    let mut builder = StatsBuilder::new(now_local, settings.day_starts_at, filter);
    store.for_each_review(|r| builder.add(&r))?;
    let cards = store.card_states(builder.filter.deck.as_deref())?;
    Ok(builder.finish(&cards, library, &scheduler))
}

#[cfg(test)]
mod tests;
