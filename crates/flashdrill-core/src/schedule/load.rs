//! Load balancing and easy days: among the days a review's interval may fall on (the fuzz
//! range), pick one weighted toward days with fewer cards already due, and away from the
//! weekdays the learner wants light (Anki 24.11's load balancer, in idea).
//!
//! Days are the learner's study days, numbered from the Unix epoch in their time zone with the
//! day rolling over at their chosen hour ([`StudyDays`]), so weekdays are their weekdays. The
//! pick is a pure function of the range, the counts and the review's fuzz seed: answering live
//! and replaying the same history give the same day.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Local, Offset, TimeZone, Utc, Weekday};

const SECONDS_PER_DAY: i64 = 86_400;

/// Intervals longer than this are not balanced (their fuzz range is wide and far away): they
/// keep their plain fuzz, as in Anki.
pub const MAX_BALANCED_INTERVAL: u32 = 90;

/// How the learner's days are numbered: the UTC offset of their time zone less the hour the
/// day starts at, in seconds. Day `n` of a time `t` is `(t + shift) / 86400`, rounded down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StudyDays {
    shift_seconds: i64,
}

impl StudyDays {
    /// Days in a time zone `utc_offset_seconds` east of UTC, starting at `day_starts_at` local.
    #[must_use]
    pub fn new(utc_offset_seconds: i32, day_starts_at: u32) -> Self {
        Self {
            shift_seconds: i64::from(utc_offset_seconds) - i64::from(day_starts_at.min(23)) * 3600,
        }
    }

    /// This computer's time zone (its offset now), days starting at `day_starts_at`.
    #[must_use]
    pub fn local(day_starts_at: u32) -> Self {
        let offset = Local
            .offset_from_utc_datetime(&Utc::now().naive_utc())
            .fix()
            .local_minus_utc();
        Self::new(offset, day_starts_at)
    }

    /// The study day a moment falls on.
    #[must_use]
    pub fn day_of(self, t: DateTime<Utc>) -> i64 {
        (t.timestamp() + self.shift_seconds).div_euclid(SECONDS_PER_DAY)
    }

    /// The moment study day `day` begins.
    #[must_use]
    pub fn start_of(self, day: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(day * SECONDS_PER_DAY - self.shift_seconds, 0)
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// The weekday of study day `day` (day 0, 1 January 1970, was a Thursday).
    #[must_use]
    pub fn weekday(day: i64) -> Weekday {
        match (day + 3).rem_euclid(7) {
            0 => Weekday::Mon,
            1 => Weekday::Tue,
            2 => Weekday::Wed,
            3 => Weekday::Thu,
            4 => Weekday::Fri,
            5 => Weekday::Sat,
            _ => Weekday::Sun,
        }
    }
}

/// Each weekday's share of reviews, in percent (100: a normal day; 0: none moved there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EasyDays(pub [u8; 7]);

impl Default for EasyDays {
    fn default() -> Self {
        Self([100; 7])
    }
}

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Why an `easy_days` text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EasyDaysError {
    #[error(
        "\"{0}\" is not a weekday: write mon, tue, wed, thu, fri, sat or sun, then = and a percentage"
    )]
    Day(String),
    #[error("\"{0}\" is not a percentage from 0 to 100")]
    Percent(String),
    #[error("{0} is given twice")]
    Twice(&'static str),
    #[error("\"{0}\" should read like sun=0 (a weekday, =, a percentage from 0 to 100)")]
    Form(String),
}

impl EasyDays {
    /// The share of `weekday`, 0.0–1.0.
    #[must_use]
    pub fn factor(self, weekday: Weekday) -> f64 {
        f64::from(self.0[weekday.num_days_from_monday() as usize]) / 100.0
    }

    /// Whether every day is a normal day.
    #[must_use]
    pub fn is_even(self) -> bool {
        self.0 == [100; 7]
    }
}

impl FromStr for EasyDays {
    type Err = EasyDaysError;

    /// Reads `sun=0 sat=50` (any subset of the seven days, separated by spaces or commas, in
    /// any case; days not named are 100 %). The empty text is every day at 100 %.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut days = [100u8; 7];
        let mut seen = [false; 7];
        for part in text
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|p| !p.is_empty())
        {
            let (day, percent) = part
                .split_once('=')
                .ok_or_else(|| EasyDaysError::Form(part.to_owned()))?;
            let lower = day.trim().to_ascii_lowercase();
            let index = DAY_NAMES
                .iter()
                // "sun", "Sunday", "SUN" — not "su" nor "sunny".
                .position(|d| lower.len() >= 3 && full_name(d).starts_with(lower.as_str()))
                .ok_or_else(|| EasyDaysError::Day(day.trim().to_owned()))?;
            let value: u8 = percent
                .trim()
                .trim_end_matches('%')
                .parse()
                .ok()
                .filter(|v| *v <= 100)
                .ok_or_else(|| EasyDaysError::Percent(percent.trim().to_owned()))?;
            if seen[index] {
                return Err(EasyDaysError::Twice(DAY_NAMES[index]));
            }
            seen[index] = true;
            days[index] = value;
        }
        Ok(Self(days))
    }
}

fn full_name(short: &str) -> &'static str {
    match short {
        "mon" => "monday",
        "tue" => "tuesday",
        "wed" => "wednesday",
        "thu" => "thursday",
        "fri" => "friday",
        "sat" => "saturday",
        _ => "sunday",
    }
}

impl fmt::Display for EasyDays {
    /// The days that are not 100 %, as `sat=50 sun=0`; empty when every day is normal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (name, &v) in DAY_NAMES.iter().zip(&self.0) {
            if v != 100 {
                if !first {
                    f.write_str(" ")?;
                }
                write!(f, "{name}={v}")?;
                first = false;
            }
        }
        Ok(())
    }
}

/// The learner's balancing settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Balance {
    /// Pick among the fuzz range by the load of each day (else plain fuzz).
    pub enabled: bool,
    pub easy_days: EasyDays,
    pub days: StudyDays,
}

/// How many review cards are already due on each study day (the card being answered left out).
pub trait DueLoad {
    /// Cards due on each day of `first..=last`, in order.
    fn due_on(&self, first: i64, last: i64) -> Vec<u32>;
}

/// No cards due anywhere.
impl DueLoad for () {
    fn due_on(&self, first: i64, last: i64) -> Vec<u32> {
        vec![0; usize::try_from(last - first + 1).unwrap_or(0)]
    }
}

/// Picks the interval, in days, among `lo..=hi` for a review answered on study day
/// `answer_day`: each day weighs its weekday's easy-day share divided by the square of one more
/// than the cards already due then; `unit` (0–1, from the review's fuzz seed) picks by weight.
/// When every day of the range weighs nothing (all easy days at 0 %), the load alone decides.
#[must_use]
pub fn pick_interval(
    (lo, hi): (u32, u32),
    answer_day: i64,
    counts: &[u32],
    easy_days: EasyDays,
    unit: f64,
) -> u32 {
    if hi <= lo {
        return lo;
    }
    let weight = |i: usize, easy: bool| {
        let day = answer_day + i64::from(lo) + i as i64;
        let count = f64::from(counts.get(i).copied().unwrap_or(0));
        let share = if easy {
            easy_days.factor(StudyDays::weekday(day))
        } else {
            1.0
        };
        share / ((count + 1.0) * (count + 1.0))
    };
    let span = (hi - lo + 1) as usize;
    let mut weights: Vec<f64> = (0..span).map(|i| weight(i, true)).collect();
    if weights.iter().all(|w| *w <= 0.0) {
        weights = (0..span).map(|i| weight(i, false)).collect();
    }
    let total: f64 = weights.iter().sum();
    let mut target = unit.clamp(0.0, 1.0) * total;
    for (i, w) in weights.iter().enumerate() {
        if *w > 0.0 && target < *w {
            return lo + i as u32;
        }
        target -= w;
    }
    // Rounding left the target past the end: the last day that weighs anything.
    let last = weights.iter().rposition(|w| *w > 0.0).unwrap_or(0);
    lo + last as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easy_days_read_and_print() {
        let d: EasyDays = "sun=0 sat=50".parse().unwrap();
        assert_eq!(d.0, [100, 100, 100, 100, 100, 50, 0]);
        assert_eq!(d.to_string(), "sat=50 sun=0");
        assert_eq!("Sunday=0%, SAT=50".parse::<EasyDays>().unwrap(), d);
        assert_eq!("".parse::<EasyDays>().unwrap(), EasyDays::default());
        assert!(EasyDays::default().is_even());
        assert_eq!(
            "sunny=0".parse::<EasyDays>(),
            Err(EasyDaysError::Day("sunny".into()))
        );
        assert_eq!(
            "sun=101".parse::<EasyDays>(),
            Err(EasyDaysError::Percent("101".into()))
        );
        assert_eq!(
            "sun=0 sun=5".parse::<EasyDays>(),
            Err(EasyDaysError::Twice("sun"))
        );
        assert_eq!(
            "sun".parse::<EasyDays>(),
            Err(EasyDaysError::Form("sun".into()))
        );
    }

    #[test]
    fn days_and_weekdays() {
        let days = StudyDays::new(3600, 4);
        // 2026-12-06 is a Sunday; at 03:30 local (02:30 UTC) it is still Saturday's study day.
        let t = Utc.with_ymd_and_hms(2026, 12, 6, 2, 30, 0).unwrap();
        let day = days.day_of(t);
        assert_eq!(StudyDays::weekday(day), Weekday::Sat);
        let later = Utc.with_ymd_and_hms(2026, 12, 6, 3, 30, 0).unwrap();
        assert_eq!(days.day_of(later), day + 1);
        assert_eq!(StudyDays::weekday(day + 1), Weekday::Sun);
        assert_eq!(
            days.start_of(day + 1),
            Utc.with_ymd_and_hms(2026, 12, 6, 3, 0, 0).unwrap()
        );
    }

    #[test]
    fn the_pick_favours_light_days_and_stays_in_range() {
        let counts = [50, 50, 0, 50, 50];
        let mut hits = [0u32; 5];
        for i in 0..1000 {
            let unit = f64::from(i) / 1000.0;
            let d = pick_interval((10, 14), 100, &counts, EasyDays::default(), unit);
            assert!((10..=14).contains(&d));
            hits[(d - 10) as usize] += 1;
        }
        assert!(hits[2] > 900, "{hits:?}");
        assert_eq!(pick_interval((7, 7), 0, &[], EasyDays::default(), 0.5), 7);
    }

    #[test]
    fn easy_days_at_zero_get_nothing_unless_nothing_else_is_allowed() {
        let sunday_only: EasyDays = "mon=0 tue=0 wed=0 thu=0 fri=0 sat=0".parse().unwrap();
        let no_sunday: EasyDays = "sun=0".parse().unwrap();
        // Day 3 is a Sunday (day 0 was a Thursday).
        for i in 0..100 {
            let unit = f64::from(i) / 100.0;
            let d = pick_interval((1, 5), 0, &[0; 5], no_sunday, unit);
            assert_ne!(d, 3);
            assert_eq!(pick_interval((1, 5), 0, &[0; 5], sunday_only, unit), 3);
        }
        let all_zero = EasyDays([0; 7]);
        let d = pick_interval((1, 3), 0, &[9, 0, 9], all_zero, 0.5);
        assert_eq!(d, 2);
    }
}
