//! Study days: which of the learner's days (rolling over at `day_starts_at`, local time) a
//! moment falls in, as a number relative to today (0 = today, -1 = yesterday, 1 = tomorrow).

use chrono::{DateTime, TimeZone, Utc};

use crate::schedule::day_start;

const DAY_MS: i64 = 86_400_000;
const HALF_DAY_MS: i64 = DAY_MS / 2;

/// Maps moments to study-day numbers. Day boundaries are computed with the time zone, so days
/// around a daylight-saving change are 23 or 25 hours long, as the scheduler's
/// [`day_start`] sees them. Boundaries between `first` and `last` days are precomputed; others
/// are computed on demand, and the last day found is cached, so a time-ordered review log costs
/// one comparison per review.
#[derive(Debug, Clone)]
pub(crate) struct DayClock<Tz: TimeZone> {
    tz: Tz,
    hour: u32,
    /// Today's start, in milliseconds since the epoch.
    today_start: i64,
    /// The day number of `starts[0]`.
    first: i64,
    /// Start of days `first`, `first + 1`, … `last + 1` (one more than the days covered).
    starts: Vec<i64>,
    /// The last day looked up: (number, start, end).
    cache: (i64, i64, i64),
}

impl<Tz: TimeZone> DayClock<Tz> {
    /// A clock for `now_local`'s time zone with days starting at `hour`, precomputing the days
    /// `first..=last` relative to today.
    pub(crate) fn new(now_local: &DateTime<Tz>, hour: u32, first: i64, last: i64) -> Self {
        let today_start = day_start(now_local, hour).timestamp_millis();
        let mut clock = Self {
            tz: now_local.timezone(),
            hour,
            today_start,
            first,
            starts: Vec::new(),
            cache: (0, today_start, today_start + DAY_MS),
        };
        let last = last.max(first);
        let mut starts: Vec<i64> = (first..=last + 1).map(|k| clock.start_of(k)).collect();
        // Boundaries never go backwards (a time zone table could claim so; keep them sorted so
        // the binary search stays meaningful).
        for i in 1..starts.len() {
            if starts[i] <= starts[i - 1] {
                starts[i] = starts[i - 1] + 1;
            }
        }
        clock.starts = starts;
        clock.cache = (0, clock.start(0), clock.start(1));
        clock
    }

    /// The start of today's study day (UTC milliseconds).
    pub(crate) fn today_start(&self) -> i64 {
        self.today_start
    }

    /// The start of day `k` (milliseconds): from the table when it covers `k`.
    pub(crate) fn start(&self, k: i64) -> i64 {
        usize::try_from(k - self.first)
            .ok()
            .and_then(|i| self.starts.get(i).copied())
            .unwrap_or_else(|| self.start_of(k))
    }

    /// Computes the start of day `k` with the time zone: the start of the study day containing
    /// the middle of the `k`-th 24-hour period from today's start (daylight-saving shifts are
    /// at most a few hours, so the middle is always inside the right day).
    fn start_of(&self, k: i64) -> i64 {
        let naive = self
            .today_start
            .saturating_add(k.saturating_mul(DAY_MS))
            .saturating_add(HALF_DAY_MS);
        match DateTime::<Utc>::from_timestamp_millis(naive) {
            Some(mid) => day_start(&mid.with_timezone(&self.tz), self.hour).timestamp_millis(),
            None => naive - HALF_DAY_MS,
        }
    }

    /// The study day `at` (milliseconds since the epoch) falls in.
    pub(crate) fn day_of_ms(&mut self, at: i64) -> i64 {
        let (k, start, end) = self.cache;
        if start <= at && at < end {
            return k;
        }
        let (Some(&lo), Some(&hi)) = (self.starts.first(), self.starts.last()) else {
            return self.day_outside(at);
        };
        if at < lo || at >= hi {
            return self.day_outside(at);
        }
        // starts[i] <= at < starts[i + 1]; i < starts.len() - 1 because at < hi.
        let i = self.starts.partition_point(|&s| s <= at) - 1;
        let k = self.first + i as i64;
        self.cache = (k, self.starts[i], self.starts[i + 1]);
        k
    }

    /// The study day of a time.
    pub(crate) fn day_of(&mut self, at: DateTime<Utc>) -> i64 {
        self.day_of_ms(at.timestamp_millis())
    }

    fn day_outside(&mut self, at: i64) -> i64 {
        let mut k = (at - self.today_start).div_euclid(DAY_MS);
        // The estimate is off by at most a day or two (daylight saving); a few steps settle it.
        for _ in 0..4 {
            let start = self.start_of(k);
            if at < start {
                k -= 1;
                continue;
            }
            let end = self.start_of(k + 1);
            if at >= end {
                k += 1;
                continue;
            }
            self.cache = (k, start, end);
            return k;
        }
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn cet() -> FixedOffset {
        FixedOffset::east_opt(3600).unwrap()
    }

    #[test]
    fn days_roll_over_at_the_local_hour() {
        // Now: Wednesday 12 March 2025, 10:00 at UTC+1; days start at 04:00 local = 03:00 UTC.
        let now = cet().with_ymd_and_hms(2025, 3, 12, 10, 0, 0).unwrap();
        let mut clock = DayClock::new(&now, 4, -10, 5);
        let at = |d, h, m| {
            cet()
                .with_ymd_and_hms(2025, 3, d, h, m, 0)
                .unwrap()
                .with_timezone(&Utc)
        };
        assert_eq!(clock.day_of(at(12, 4, 0)), 0);
        assert_eq!(clock.day_of(at(12, 3, 59)), -1);
        assert_eq!(clock.day_of(at(11, 4, 0)), -1);
        assert_eq!(clock.day_of(at(13, 3, 59)), 0);
        assert_eq!(clock.day_of(at(13, 4, 0)), 1);
        // Outside the precomputed table, both ways.
        assert_eq!(clock.day_of(at(1, 3, 0)), -12);
        assert_eq!(clock.day_of(at(1, 5, 0)), -11);
        assert_eq!(clock.day_of(at(31, 5, 0)), 19);
        // Back inside after a miss.
        assert_eq!(clock.day_of(at(10, 23, 0)), -2);
        assert_eq!(
            clock.today_start(),
            at(12, 4, 0).timestamp_millis(),
            "today starts at 04:00 local"
        );
    }

    #[test]
    fn table_boundaries_match_the_schedulers_day_start() {
        let now = cet().with_ymd_and_hms(2025, 3, 12, 2, 0, 0).unwrap();
        // 02:00 is before the 04:00 rollover: today is still 11 March.
        let clock = DayClock::new(&now, 4, -3, 3);
        let expected = cet()
            .with_ymd_and_hms(2025, 3, 11, 4, 0, 0)
            .unwrap()
            .timestamp_millis();
        assert_eq!(clock.start(0), expected);
        assert_eq!(clock.start(-3), expected - 3 * DAY_MS);
        assert_eq!(clock.start(7), expected + 7 * DAY_MS);
    }
}
