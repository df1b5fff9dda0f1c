//! Scheduler settings and the "1m 10m" step-list syntax.

use chrono::TimeDelta;
use thiserror::Error;

/// Lowest desired retention a profile may choose.
pub const MIN_DESIRED_RETENTION: f32 = 0.70;
/// Highest desired retention a profile may choose.
pub const MAX_DESIRED_RETENTION: f32 = 0.99;
/// The longest interval FSRS models (fsrs-rs caps stability here too).
pub const MAX_MAXIMUM_INTERVAL: u32 = 36_500;
/// The longest single learning or relearning step.
pub const MAX_STEP: TimeDelta = TimeDelta::days(365);

/// The FSRS-6 default parameters (the same values as `fsrs::DEFAULT_PARAMETERS` and py-fsrs).
pub const DEFAULT_PARAMETERS: [f32; 21] = [
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835,
    0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
];

/// Allowed range of each FSRS-6 parameter, as enforced by py-fsrs 6.3 (`LOWER_BOUNDS_PARAMETERS`,
/// `UPPER_BOUNDS_PARAMETERS`). fsrs-rs silently clamps to the same bounds; we reject instead.
pub const PARAMETER_BOUNDS: [(f32, f32); 21] = [
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (1.0, 10.0),
    (0.001, 4.0),
    (0.001, 4.0),
    (0.001, 0.75),
    (0.0, 4.5),
    (0.0, 0.8),
    (0.001, 3.5),
    (0.001, 5.0),
    (0.001, 0.25),
    (0.001, 0.9),
    (0.0, 4.0),
    (0.0, 1.0),
    (1.0, 6.0),
    (0.0, 2.0),
    (0.0, 2.0),
    (0.0, 0.8),
    (0.1, 0.8),
];

/// Everything that shapes scheduling for a profile.
#[derive(Debug, Clone, PartialEq)]
pub struct SchedulerConfig {
    /// Target probability of recall when a review card comes due (0.70–0.99).
    pub desired_retention: f32,
    /// Longest review interval in days (1–36500).
    pub maximum_interval: u32,
    /// Delays between the first reviews of a new card; empty = graduate at once.
    pub learning_steps: Vec<TimeDelta>,
    /// Delays after a lapse; empty = a lapsed card stays in Review.
    pub relearning_steps: Vec<TimeDelta>,
    /// Spread review intervals of 3 days and more by a few percent (Anki's fuzz).
    pub fuzz: bool,
    /// The 21 FSRS-6 model weights.
    pub parameters: [f32; 21],
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self {
            desired_retention: 0.90,
            maximum_interval: MAX_MAXIMUM_INTERVAL,
            learning_steps: vec![TimeDelta::minutes(1), TimeDelta::minutes(10)],
            relearning_steps: vec![TimeDelta::minutes(10)],
            fuzz: true,
            parameters: DEFAULT_PARAMETERS,
        }
    }
}

impl SchedulerConfig {
    /// Checks every field against its allowed range.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        let r = self.desired_retention;
        if !(MIN_DESIRED_RETENTION..=MAX_DESIRED_RETENTION).contains(&r) {
            return Err(ScheduleError::DesiredRetention(r));
        }
        if !(1..=MAX_MAXIMUM_INTERVAL).contains(&self.maximum_interval) {
            return Err(ScheduleError::MaximumInterval(self.maximum_interval));
        }
        for (kind, steps) in [
            (StepKind::Learning, &self.learning_steps),
            (StepKind::Relearning, &self.relearning_steps),
        ] {
            for (index, &step) in steps.iter().enumerate() {
                if step < TimeDelta::seconds(1) || step > MAX_STEP {
                    return Err(ScheduleError::StepOutOfRange {
                        kind,
                        index,
                        step: format_step(step),
                    });
                }
            }
        }
        for (index, (&value, &(min, max))) in
            self.parameters.iter().zip(&PARAMETER_BOUNDS).enumerate()
        {
            // `contains` is false for NaN, so non-finite weights are rejected too.
            if !(min..=max).contains(&value) {
                return Err(ScheduleError::Parameter {
                    index,
                    value,
                    min,
                    max,
                });
            }
        }
        Ok(())
    }
}

/// Which list a step belongs to, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Learning,
    Relearning,
}

impl std::fmt::Display for StepKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Learning => "learning",
            Self::Relearning => "relearning",
        })
    }
}

/// Invalid scheduler settings.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ScheduleError {
    #[error(
        "desired retention {0} is out of range: choose a value from {MIN_DESIRED_RETENTION} to {MAX_DESIRED_RETENTION}"
    )]
    DesiredRetention(f32),
    #[error("maximum interval {0} days is out of range: choose 1 to {MAX_MAXIMUM_INTERVAL} days")]
    MaximumInterval(u32),
    #[error("{kind} step {} ({step}) is out of range: steps must be 1s to 365d", index + 1)]
    StepOutOfRange {
        kind: StepKind,
        index: usize,
        step: String,
    },
    #[error("FSRS parameter w[{index}] = {value} is out of range {min} to {max}")]
    Parameter {
        index: usize,
        value: f32,
        min: f32,
        max: f32,
    },
    #[error("bad step \"{token}\": {reason}")]
    BadStep { token: String, reason: String },
    #[error("the FSRS library rejected the parameters: {0}")]
    Fsrs(String),
}

/// Parses a step list such as `"1m 10m"`, `"10m 1h"`, `"30s, 1d"` or `""` (no steps).
///
/// Tokens are separated by spaces or commas; each is a positive number (decimals allowed) and a
/// unit: `s`, `m`, `h` or `d`. The result must be a whole number of seconds from 1s to 365d.
pub fn parse_steps(text: &str) -> Result<Vec<TimeDelta>, ScheduleError> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .map(parse_step)
        .collect()
}

fn parse_step(token: &str) -> Result<TimeDelta, ScheduleError> {
    let bad = |reason: String| ScheduleError::BadStep {
        token: token.to_owned(),
        reason,
    };
    let split = token
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(|| bad("missing unit: add s, m, h or d (as in 10m)".to_owned()))?;
    let (number, unit) = token.split_at(split);
    let unit_seconds: u32 = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => {
            return Err(bad(format!(
                "unknown unit \"{unit}\": use s, m, h or d (as in 10m)"
            )));
        }
    };
    if number.is_empty() {
        return Err(bad("missing number before the unit".to_owned()));
    }
    let value: f64 = number
        .parse()
        .map_err(|_| bad(format!("\"{number}\" is not a number")))?;
    let seconds = value * f64::from(unit_seconds);
    if seconds <= 0.0 {
        return Err(bad("a step must be longer than zero".to_owned()));
    }
    if seconds > MAX_STEP.as_seconds_f64() {
        return Err(bad("a step can be at most 365d".to_owned()));
    }
    let whole = seconds.round();
    if (seconds - whole).abs() > 1e-6 || whole < 1.0 {
        return Err(bad("a step must be a whole number of seconds".to_owned()));
    }
    // In range 1..=31_536_000 by the checks above.
    Ok(TimeDelta::seconds(whole as i64))
}

/// Formats steps in the syntax [`parse_steps`] reads, each in the largest exact unit:
/// `[1m, 10m]` → `"1m 10m"`, `[90s]` → `"90s"`, `[]` → `""`.
#[must_use]
pub fn format_steps(steps: &[TimeDelta]) -> String {
    steps
        .iter()
        .map(|&s| format_step(s))
        .collect::<Vec<_>>()
        .join(" ")
}

fn format_step(step: TimeDelta) -> String {
    let ms = step.num_milliseconds();
    if ms % 1000 != 0 {
        return format!("{}s", ms as f64 / 1000.0);
    }
    let secs = ms / 1000;
    if secs != 0 && secs % 86_400 == 0 {
        format!("{}d", secs / 86_400)
    } else if secs != 0 && secs % 3600 == 0 {
        format!("{}h", secs / 3600)
    } else if secs != 0 && secs % 60 == 0 {
        format!("{}m", secs / 60)
    } else {
        format!("{secs}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn secs(list: &[i64]) -> Vec<TimeDelta> {
        list.iter().map(|&s| TimeDelta::seconds(s)).collect()
    }

    #[test]
    fn defaults_match_py_fsrs() {
        let c = SchedulerConfig::default();
        assert!((c.desired_retention - 0.9).abs() < f32::EPSILON);
        assert_eq!(c.maximum_interval, 36_500);
        assert_eq!(c.learning_steps, secs(&[60, 600]));
        assert_eq!(c.relearning_steps, secs(&[600]));
        assert!(c.fuzz);
        assert_eq!(
            c.parameters.map(f32::to_bits),
            fsrs::DEFAULT_PARAMETERS.map(f32::to_bits)
        );
        assert_eq!(c.validate(), Ok(()));
    }

    #[test]
    fn parses_step_lists() {
        assert_eq!(parse_steps("1m 10m").unwrap(), secs(&[60, 600]));
        assert_eq!(parse_steps("10m 1h").unwrap(), secs(&[600, 3600]));
        assert_eq!(parse_steps("1d").unwrap(), secs(&[86_400]));
        assert_eq!(parse_steps("").unwrap(), secs(&[]));
        assert_eq!(parse_steps("   ").unwrap(), secs(&[]));
        assert_eq!(parse_steps("30s, 1.5m,2h").unwrap(), secs(&[30, 90, 7200]));
        assert_eq!(parse_steps(" 365d ").unwrap(), secs(&[365 * 86_400]));
    }

    #[test]
    fn step_errors_name_the_token() {
        for (text, token, reason) in [
            ("1m 10", "10", "missing unit"),
            ("1m 5x", "5x", "unknown unit \"x\""),
            ("m", "m", "missing number"),
            ("1.2.3m", "1.2.3m", "not a number"),
            ("0m", "0m", "longer than zero"),
            ("1.5s", "1.5s", "whole number of seconds"),
            ("366d", "366d", "at most 365d"),
            ("-1m", "-1m", "unknown unit \"-1m\""),
        ] {
            let err = parse_steps(text).unwrap_err();
            let ScheduleError::BadStep {
                token: t,
                reason: r,
            } = &err
            else {
                panic!("{text}: {err:?}");
            };
            assert_eq!(t, token, "{text}");
            assert!(r.contains(reason), "{text}: {r}");
            assert!(err.to_string().contains(&format!("\"{token}\"")), "{err}");
        }
    }

    #[test]
    fn formats_steps_in_largest_exact_unit() {
        assert_eq!(format_steps(&secs(&[60, 600])), "1m 10m");
        assert_eq!(format_steps(&secs(&[600, 3600])), "10m 1h");
        assert_eq!(format_steps(&secs(&[86_400, 90, 5400])), "1d 90s 90m");
        assert_eq!(format_steps(&[]), "");
    }

    #[test]
    fn validate_rejects_out_of_range_settings() {
        let ok = SchedulerConfig::default();
        let mut c = ok.clone();
        c.desired_retention = 0.69;
        assert_eq!(c.validate(), Err(ScheduleError::DesiredRetention(0.69)));
        c.desired_retention = 0.995;
        assert!(c.validate().is_err());
        c.desired_retention = 0.70;
        assert_eq!(c.validate(), Ok(()));
        c.desired_retention = 0.99;
        assert_eq!(c.validate(), Ok(()));
        c.desired_retention = f32::NAN;
        assert!(c.validate().is_err());

        let mut c = ok.clone();
        c.maximum_interval = 0;
        assert_eq!(c.validate(), Err(ScheduleError::MaximumInterval(0)));
        c.maximum_interval = 36_501;
        assert!(c.validate().is_err());

        let mut c = ok.clone();
        c.relearning_steps = vec![TimeDelta::minutes(5), TimeDelta::zero()];
        let err = c.validate().unwrap_err();
        assert_eq!(
            err.to_string(),
            "relearning step 2 (0s) is out of range: steps must be 1s to 365d"
        );

        let mut c = ok;
        c.parameters[20] = 0.05;
        let err = c.validate().unwrap_err();
        assert!(matches!(err, ScheduleError::Parameter { index: 20, .. }));
        assert!(err.to_string().starts_with("FSRS parameter w[20] = 0.05"));
        c.parameters[20] = f32::NAN;
        assert!(c.validate().is_err());
    }

    proptest! {
        #[test]
        fn steps_round_trip(list in proptest::collection::vec(1i64..=31_536_000, 0..6)) {
            let steps = secs(&list);
            prop_assert_eq!(parse_steps(&format_steps(&steps)).unwrap(), steps);
        }

        #[test]
        fn parse_never_panics(text in "\\PC{0,20}") {
            let _ = parse_steps(&text);
        }
    }
}
