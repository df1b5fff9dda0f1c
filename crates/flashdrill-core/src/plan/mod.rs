//! Planning around the learner's days: exam dates per deck, each deck's own desired retention,
//! load balancing and easy days ([`ScheduleRules`]), the readiness for an exam
//! ([`readiness`]), the forecast of work per day ([`forecast`]), and moving cards to later or
//! earlier ([`shift`]). Pure but for the store reads named so.

pub mod forecast;
pub mod readiness;
pub mod shift;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::schedule::{
    Balance, DueLoad, ExamRule, MAX_DESIRED_RETENTION, MIN_DESIRED_RETENTION, Placement, StudyDays,
};
use crate::settings::Settings;

/// The settings-table key of a deck's exam: `exam:<deck id>`.
pub const EXAM_KEY: &str = "exam:";
/// The settings-table key of a deck's desired retention: `deck_retention:<deck id>`.
pub const RETENTION_KEY: &str = "deck_retention:";

/// New cards are not introduced in the last this many days before an exam: a card seen for
/// the first time then could not be reviewed again in time.
pub const NO_NEW_CARDS_DAYS: i64 = 2;

/// A value that cannot be used for an exam or a deck's options. Nothing was changed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error("\"{0}\" is not a date: write it as YYYY-MM-DD, like 2027-01-12")]
    BadDate(String),
    #[error("the exam date {date} is in the past (today is {today}): choose today or a later day")]
    PastDate { date: NaiveDate, today: NaiveDate },
    #[error(
        "the target {0} is not allowed: it must be from 0.70 to 0.99 (the recall wanted on the exam day)"
    )]
    BadTarget(String),
    #[error("desired retention {0} is not allowed: it must be from 0.70 to 0.99")]
    BadRetention(String),
    #[error("there is no deck \"{0}\"; `flashdrill decks` lists them")]
    UnknownDeck(String),
    #[error("deck \"{0}\" has no exam date")]
    NoExam(String),
}

/// Whether `r` is a desired retention a deck may have.
#[must_use]
pub fn retention_allowed(r: f32) -> bool {
    (MIN_DESIRED_RETENTION..=MAX_DESIRED_RETENTION).contains(&r)
}

/// Reads a target or retention typed by the learner (`0.9`, `90%`).
///
/// # Errors
/// The text as typed, when it is not a number within 0.70–0.99.
pub fn parse_fraction(text: &str) -> Result<f32, String> {
    let t = text.trim();
    let value = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f32>().map(|v| v / 100.0),
        None => t.parse::<f32>(),
    };
    value
        .ok()
        .filter(|v| retention_allowed(*v))
        .ok_or_else(|| t.to_owned())
}

/// An exam on a deck.
#[derive(Debug, Clone, PartialEq)]
pub struct Exam {
    pub deck_id: String,
    pub date: NaiveDate,
    /// The recall wanted on the exam day (0.70–0.99).
    pub target: f32,
    /// When the exam was set: a replay applies it only to answers given after.
    pub set_at: DateTime<Utc>,
}

/// The study-day number of a calendar date (as [`StudyDays::day_of`] numbers days).
#[must_use]
pub fn day_number(date: NaiveDate) -> i64 {
    (date - NaiveDate::default()).num_days()
}

/// The calendar date of a study-day number.
#[must_use]
pub fn date_of_day(day: i64) -> NaiveDate {
    NaiveDate::default()
        .checked_add_signed(chrono::TimeDelta::days(day))
        .unwrap_or_default()
}

impl Exam {
    /// An exam from what the learner typed: a `YYYY-MM-DD` date, today or later, and a
    /// target within 0.70–0.99.
    ///
    /// # Errors
    /// [`PlanError::BadDate`], [`PlanError::PastDate`] or [`PlanError::BadTarget`].
    pub fn new(
        deck_id: &str,
        date: &str,
        target: f32,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Self, PlanError> {
        let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .map_err(|_| PlanError::BadDate(date.trim().to_owned()))?;
        if date < today {
            return Err(PlanError::PastDate { date, today });
        }
        if !retention_allowed(target) {
            return Err(PlanError::BadTarget(target.to_string()));
        }
        Ok(Self {
            deck_id: deck_id.to_owned(),
            date,
            target,
            set_at: now,
        })
    }

    /// As kept in the settings table: `2027-01-12 0.9 1767225600000`.
    #[must_use]
    pub fn to_stored(&self) -> String {
        format!(
            "{} {} {}",
            self.date.format("%Y-%m-%d"),
            self.target,
            self.set_at.timestamp_millis()
        )
    }

    /// Reads [`Exam::to_stored`]'s text; `None` when it does not read.
    #[must_use]
    pub fn from_stored(deck_id: &str, text: &str) -> Option<Self> {
        let mut parts = text.split_whitespace();
        let date = NaiveDate::parse_from_str(parts.next()?, "%Y-%m-%d").ok()?;
        let target = parts
            .next()?
            .parse::<f32>()
            .ok()
            .filter(|t| retention_allowed(*t))?;
        let set_at = DateTime::from_timestamp_millis(parts.next()?.parse().ok()?)?;
        Some(Self {
            deck_id: deck_id.to_owned(),
            date,
            target,
            set_at,
        })
    }

    /// When the exam day begins.
    #[must_use]
    pub fn starts(&self, days: StudyDays) -> DateTime<Utc> {
        days.start_of(day_number(self.date))
    }

    /// Whole study days from `now`'s day to the exam day (0 on the day itself).
    #[must_use]
    pub fn days_left(&self, days: StudyDays, now: DateTime<Utc>) -> i64 {
        day_number(self.date) - days.day_of(now)
    }

    /// The scheduler's rule for answers given at `at`: none before the exam was set or once
    /// the exam day has begun.
    #[must_use]
    pub fn rule_at(&self, days: StudyDays, at: DateTime<Utc>) -> Option<ExamRule> {
        let starts = self.starts(days);
        (self.set_at <= at && at < starts).then_some(ExamRule {
            at: starts,
            target: self.target,
        })
    }
}

/// Each deck's own options.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeckOptions {
    /// Exams by deck id.
    pub exams: BTreeMap<String, Exam>,
    /// Desired retention by deck id (decks not here use the profile's).
    pub retention: BTreeMap<String, f32>,
}

/// Everything that places a review's due date besides the card's memory: load balancing and
/// easy days, each deck's retention and exam.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScheduleRules {
    pub balance: Balance,
    pub options: DeckOptions,
}

impl ScheduleRules {
    /// The rules of a profile with `settings` and deck `options`, days numbered in this
    /// computer's time zone.
    #[must_use]
    pub fn new(settings: &Settings, options: DeckOptions) -> Self {
        Self::with_days(settings, options, StudyDays::local(settings.day_starts_at))
    }

    /// [`ScheduleRules::new`] with days numbered as `days` says (tests, other time zones).
    #[must_use]
    pub fn with_days(settings: &Settings, options: DeckOptions, days: StudyDays) -> Self {
        Self {
            balance: Balance {
                enabled: settings.load_balance,
                easy_days: settings.easy_days,
                days,
            },
            options,
        }
    }

    /// The placement of an answer to a card of `deck_id` given at `at`, with `load` the cards
    /// already due per day.
    #[must_use]
    pub fn placement<'a>(
        &self,
        deck_id: &str,
        at: DateTime<Utc>,
        load: &'a dyn DueLoad,
    ) -> Placement<'a> {
        Placement {
            retention: self.options.retention.get(deck_id).copied(),
            exam: self
                .options
                .exams
                .get(deck_id)
                .and_then(|e| e.rule_at(self.balance.days, at)),
            balance: Some((self.balance, load)),
        }
    }

    /// The study days the rules number.
    #[must_use]
    pub fn days(&self) -> StudyDays {
        self.balance.days
    }
}

/// How many new cards a deck with an exam introduces today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewPace {
    /// New cards a day (today's limit).
    pub per_day: u32,
    /// Raised above the profile's limit to introduce every card in time.
    pub raised: bool,
    /// No new cards any more: the exam is too close for a new card to be reviewed in time.
    pub stopped: bool,
}

/// Today's new-card limit for a deck with `exam`: the profile's `new_per_day`, raised so the
/// `new_left` cards not yet introduced (counting today's `introduced_today`) are all
/// introduced by [`NO_NEW_CARDS_DAYS`] before the exam, and 0 after that.
#[must_use]
pub fn new_pace(
    exam: &Exam,
    days: StudyDays,
    now: DateTime<Utc>,
    new_per_day: u32,
    new_left: usize,
    introduced_today: u32,
) -> NewPace {
    let days_to_introduce = exam.days_left(days, now) - NO_NEW_CARDS_DAYS;
    if days_to_introduce <= 0 {
        return NewPace {
            per_day: 0,
            raised: false,
            stopped: exam.days_left(days, now) >= 0,
        };
    }
    let still = new_left as u64 + u64::from(introduced_today);
    let needed = still.div_ceil(u64::try_from(days_to_introduce).unwrap_or(1));
    let needed = u32::try_from(needed).unwrap_or(u32::MAX);
    NewPace {
        per_day: new_per_day.max(needed),
        raised: needed > new_per_day,
        stopped: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
    }

    #[test]
    fn exams_are_checked_and_read_back() {
        let exam = Exam::new("d", "2027-01-12", 0.9, today(), now()).unwrap();
        assert_eq!(Exam::from_stored("d", &exam.to_stored()), Some(exam));
        assert_eq!(
            Exam::new("d", "12/01/2027", 0.9, today(), now()),
            Err(PlanError::BadDate("12/01/2027".into()))
        );
        assert!(matches!(
            Exam::new("d", "2026-12-03", 0.9, today(), now()),
            Err(PlanError::PastDate { .. })
        ));
        assert_eq!(
            Exam::new("d", "2027-01-12", 0.5, today(), now()),
            Err(PlanError::BadTarget("0.5".into()))
        );
        assert_eq!(Exam::from_stored("d", "2027-01-12 nope 1"), None);
        assert_eq!(parse_fraction("95%"), Ok(0.95));
        assert_eq!(parse_fraction(" 0.8 "), Ok(0.8));
        assert_eq!(parse_fraction("1.2"), Err("1.2".into()));
    }

    #[test]
    fn the_exam_rule_holds_from_setting_until_the_exam_day() {
        let days = StudyDays::new(0, 4);
        let exam = Exam::new("d", "2026-12-25", 0.9, today(), now()).unwrap();
        assert_eq!(
            exam.starts(days),
            Utc.with_ymd_and_hms(2026, 12, 25, 4, 0, 0).unwrap()
        );
        assert_eq!(exam.days_left(days, now()), 21);
        assert!(
            exam.rule_at(days, now() - chrono::TimeDelta::hours(1))
                .is_none()
        );
        assert!(exam.rule_at(days, now()).is_some());
        assert!(exam.rule_at(days, exam.starts(days)).is_none());
    }

    #[test]
    fn the_new_card_pace_rises_to_finish_in_time_then_stops() {
        let days = StudyDays::new(0, 4);
        let exam = Exam::new("d", "2026-12-14", 0.9, today(), now()).unwrap();
        // 10 days left, 8 to introduce in: 200 cards need 25 a day.
        let pace = new_pace(&exam, days, now(), 20, 200, 0);
        assert_eq!(
            pace,
            NewPace {
                per_day: 25,
                raised: true,
                stopped: false
            }
        );
        assert!(!new_pace(&exam, days, now(), 20, 40, 0).raised);
        let late = now() + chrono::TimeDelta::days(8);
        assert_eq!(
            new_pace(&exam, days, late, 20, 50, 0),
            NewPace {
                per_day: 0,
                raised: false,
                stopped: true
            }
        );
    }
}
