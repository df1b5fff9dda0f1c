//! Human-readable intervals for answer buttons and card info.

use chrono::TimeDelta;

const MINUTE: f64 = 60.0;
const HOUR: f64 = 3600.0;
const DAY: f64 = 86_400.0;
const MONTH: f64 = 30.0 * DAY;
const YEAR: f64 = 365.0 * DAY;

/// Anki-style short interval: `"<1m"`, `"1m"`, `"10m"`, `"1h"`, `"3d"`, `"2.1mo"`, `"1.3y"`.
///
/// Minutes below an hour, hours below a day, days below 30, months (30 days) with one decimal
/// below 12, then years (365 days) with one decimal. The unit is chosen after rounding, so 59.6
/// minutes reads "1h", not "60m". Negative spans read as "<1m".
#[must_use]
pub fn format_interval(d: TimeDelta) -> String {
    let secs = d.num_milliseconds().max(0) as f64 / 1000.0;
    if secs < MINUTE {
        return "<1m".to_owned();
    }
    let minutes = (secs / MINUTE).round();
    if minutes < 60.0 {
        return format!("{minutes}m");
    }
    let hours = (secs / HOUR).round();
    if hours < 24.0 {
        return format!("{hours}h");
    }
    let days = (secs / DAY).round();
    if days < 30.0 {
        return format!("{days}d");
    }
    let months = (secs / MONTH * 10.0).round() / 10.0;
    if months < 12.0 {
        return format!("{months:.1}mo");
    }
    let years = (secs / YEAR * 10.0).round() / 10.0;
    format!("{years:.1}y")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(secs: i64) -> String {
        format_interval(TimeDelta::seconds(secs))
    }

    #[test]
    fn units_and_boundaries() {
        assert_eq!(s(-5), "<1m");
        assert_eq!(s(0), "<1m");
        assert_eq!(s(59), "<1m");
        assert_eq!(s(60), "1m");
        assert_eq!(s(330), "6m"); // 5.5 minutes rounds up
        assert_eq!(s(600), "10m");
        assert_eq!(s(3569), "59m");
        assert_eq!(s(3580), "1h"); // 59.7 minutes
        assert_eq!(s(3600), "1h");
        assert_eq!(s(5400), "2h");
        assert_eq!(s(23 * 3600), "23h");
        assert_eq!(s(86_000), "1d");
        assert_eq!(s(86_400), "1d");
        assert_eq!(s(3 * 86_400), "3d");
        assert_eq!(s(29 * 86_400), "29d");
        assert_eq!(s(30 * 86_400), "1.0mo");
        assert_eq!(s(63 * 86_400), "2.1mo");
        assert_eq!(s(359 * 86_400), "1.0y"); // 11.97 months rounds to 12.0
        assert_eq!(s(365 * 86_400), "1.0y");
        assert_eq!(s(475 * 86_400), "1.3y");
        assert_eq!(s(36_500 * 86_400), "100.0y");
    }
}
