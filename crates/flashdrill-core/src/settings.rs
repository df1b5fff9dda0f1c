//! Profile settings: the keys, their defaults, allowed ranges and parsing. Pure.
//!
//! Each profile stores its settings as text in its database's `settings` table (see
//! `Store::load_settings` / `Store::save_settings`); this module knows what the text means.

use std::fmt;

use chrono::TimeDelta;

use crate::schedule::{
    DEFAULT_PARAMETERS, PARAMETER_BOUNDS, SchedulerConfig, format_steps, parse_steps,
};

/// What happens to a card that became a leech.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase", ascii_case_insensitive)]
pub enum LeechAction {
    /// Tag it and take it out of reviews until the learner unsuspends it.
    Suspend,
    /// Only tag it.
    Tag,
}

impl LeechAction {
    /// As stored and typed: `suspend`, `tag`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The app's colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase", ascii_case_insensitive)]
pub enum Theme {
    Light,
    Dark,
    /// Follow the operating system.
    System,
}

impl Theme {
    /// As stored and typed: `light`, `dark`, `system`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One setting's key, what it does and what it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingInfo {
    pub key: &'static str,
    pub description: &'static str,
    /// The allowed values, as told to the learner ("0.70–0.99").
    pub allowed: &'static str,
    pub default: &'static str,
}

/// Every setting, in display order.
pub const SETTINGS: &[SettingInfo] = &[
    SettingInfo {
        key: "desired_retention",
        description: "Chance of remembering a card when it comes due; higher means more reviews",
        allowed: "0.70–0.99",
        default: "0.9",
    },
    SettingInfo {
        key: "maximum_interval",
        description: "Longest time between two reviews of a card, in days",
        allowed: "1–36500 days",
        default: "36500",
    },
    SettingInfo {
        key: "learning_steps",
        description: "Delays between the first reviews of a new card (empty: none)",
        allowed: "durations like \"1m 10m\" (units s, m, h, d; 1s–365d each), or empty",
        default: "1m 10m",
    },
    SettingInfo {
        key: "relearning_steps",
        description: "Delays after forgetting a card (empty: none)",
        allowed: "durations like \"10m\" (units s, m, h, d; 1s–365d each), or empty",
        default: "10m",
    },
    SettingInfo {
        key: "fuzz",
        description: "Spread review intervals a little so cards learnt together part ways",
        allowed: "true or false",
        default: "true",
    },
    SettingInfo {
        key: "new_per_day",
        description: "New cards introduced per deck per day",
        allowed: "0–9999",
        default: "20",
    },
    SettingInfo {
        key: "reviews_per_day",
        description: "Reviews shown per deck per day",
        allowed: "0–99999",
        default: "200",
    },
    SettingInfo {
        key: "day_starts_at",
        description: "Hour (local time) at which a new study day begins",
        allowed: "0–23",
        default: "4",
    },
    SettingInfo {
        key: "bury_siblings",
        description: "Once a card is answered in a study session, cards on the same fact (its \
                      siblings) wait for the next day",
        allowed: "true or false",
        default: "true",
    },
    SettingInfo {
        key: "leech_threshold",
        description: "Times a card may be forgotten before it is marked a leech",
        allowed: "1–99",
        default: "8",
    },
    SettingInfo {
        key: "leech_action",
        description: "What happens to a leech: suspend it, or only tag it",
        allowed: "suspend or tag",
        default: "suspend",
    },
    SettingInfo {
        key: "theme",
        description: "Colour theme",
        allowed: "light, dark or system",
        default: "system",
    },
    SettingInfo {
        key: "zoom",
        description: "Size of text and controls",
        allowed: "0.5–3.0",
        default: "1.0",
    },
    SettingInfo {
        key: "fsrs_parameters",
        description: "The 21 FSRS-6 memory-model weights (`flashdrill optimize` fits them to your reviews)",
        allowed: "21 numbers separated by commas or spaces (as Anki shows them), each within FSRS-6's bounds",
        default: "0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, \
                  0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542",
    },
];

/// A setting that was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("unknown setting \"{key}\"; the settings are: {}", known_keys())]
    UnknownKey { key: String },
    #[error("{key} = \"{value}\" is not allowed: {key} must be {allowed}{}", detail_suffix(.detail.as_deref()))]
    BadValue {
        key: &'static str,
        value: String,
        allowed: &'static str,
        /// What exactly is wrong, when more can be said than the range.
        detail: Option<String>,
    },
}

fn known_keys() -> String {
    SETTINGS
        .iter()
        .map(|s| s.key)
        .collect::<Vec<_>>()
        .join(", ")
}

fn detail_suffix(detail: Option<&str>) -> String {
    detail.map_or_else(String::new, |d| format!(" ({d})"))
}

/// A profile's settings. `Default` gives every key its default.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub desired_retention: f32,
    pub maximum_interval: u32,
    pub learning_steps: Vec<TimeDelta>,
    pub relearning_steps: Vec<TimeDelta>,
    pub fuzz: bool,
    pub new_per_day: u32,
    pub reviews_per_day: u32,
    pub day_starts_at: u32,
    /// Siblings (cards with the same `group`, see `deck::Card::sibling_key`) of a card
    /// answered today wait for the next day.
    pub bury_siblings: bool,
    pub leech_threshold: u32,
    pub leech_action: LeechAction,
    pub theme: Theme,
    pub zoom: f32,
    /// The FSRS-6 weights the scheduler uses (fitted by `optimize`, or the defaults).
    pub fsrs_parameters: [f32; 21],
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            desired_retention: 0.90,
            maximum_interval: 36_500,
            learning_steps: vec![TimeDelta::minutes(1), TimeDelta::minutes(10)],
            relearning_steps: vec![TimeDelta::minutes(10)],
            fuzz: true,
            new_per_day: 20,
            reviews_per_day: 200,
            day_starts_at: 4,
            bury_siblings: true,
            leech_threshold: 8,
            leech_action: LeechAction::Suspend,
            theme: Theme::System,
            zoom: 1.0,
            fsrs_parameters: DEFAULT_PARAMETERS,
        }
    }
}

fn info(key: &str) -> Result<&'static SettingInfo, SettingsError> {
    SETTINGS
        .iter()
        .find(|s| s.key == key)
        .ok_or_else(|| SettingsError::UnknownKey {
            key: key.to_owned(),
        })
}

fn parse_uint(text: &str, min: u32, max: u32) -> Option<u32> {
    text.parse::<u32>().ok().filter(|v| (min..=max).contains(v))
}

fn parse_float(text: &str, min: f32, max: f32) -> Option<f32> {
    // `contains` is false for NaN.
    text.parse::<f32>().ok().filter(|v| (min..=max).contains(v))
}

/// `0.9` → "0.9", `1.0` → "1.0": the shortest text that parses back to the same number.
fn format_float(v: f32) -> String {
    format!("{v:?}")
}

/// Reads 21 FSRS-6 parameters separated by commas and/or whitespace (Anki's "FSRS parameters"
/// box copies as `0.212, 1.2931, …`). The error says which number is wrong and why.
pub fn parse_parameters(text: &str) -> Result<[f32; 21], String> {
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.len() != 21 {
        return Err(format!("found {} numbers, expected 21", tokens.len()));
    }
    let mut out = [0.0; 21];
    for (index, (token, &(min, max))) in tokens.iter().zip(&PARAMETER_BOUNDS).enumerate() {
        let value: f32 = token
            .parse()
            .map_err(|_| format!("w[{index}] \"{token}\" is not a number"))?;
        // `contains` is false for NaN.
        if !(min..=max).contains(&value) {
            return Err(format!("w[{index}] = {token} is outside {min}–{max}"));
        }
        out[index] = value;
    }
    Ok(out)
}

/// The text form [`parse_parameters`] reads: `0.212, 1.2931, …`.
#[must_use]
pub fn format_parameters(parameters: &[f32; 21]) -> String {
    parameters
        .iter()
        .map(|&w| format_float(w))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Settings {
    /// Sets one setting from its text form. Unknown keys and bad values are refused (the
    /// error lists the known keys or states the allowed values) and nothing changes.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SettingsError> {
        let info = info(key)?;
        let text = value.trim();
        let bad = |detail: Option<String>| SettingsError::BadValue {
            key: info.key,
            value: value.to_owned(),
            allowed: info.allowed,
            detail,
        };
        let num = |min, max| parse_uint(text, min, max).ok_or_else(|| bad(None));
        match info.key {
            "desired_retention" => {
                self.desired_retention = parse_float(text, 0.70, 0.99).ok_or_else(|| bad(None))?;
            }
            "maximum_interval" => self.maximum_interval = num(1, 36_500)?,
            "learning_steps" | "relearning_steps" => {
                let steps = parse_steps(text).map_err(|e| bad(Some(e.to_string())))?;
                if info.key == "learning_steps" {
                    self.learning_steps = steps;
                } else {
                    self.relearning_steps = steps;
                }
            }
            "fuzz" | "bury_siblings" => {
                let on = match text.to_ascii_lowercase().as_str() {
                    "true" | "on" | "yes" => true,
                    "false" | "off" | "no" => false,
                    _ => return Err(bad(None)),
                };
                if info.key == "fuzz" {
                    self.fuzz = on;
                } else {
                    self.bury_siblings = on;
                }
            }
            "new_per_day" => self.new_per_day = num(0, 9999)?,
            "reviews_per_day" => self.reviews_per_day = num(0, 99_999)?,
            "day_starts_at" => self.day_starts_at = num(0, 23)?,
            "leech_threshold" => self.leech_threshold = num(1, 99)?,
            "leech_action" => {
                self.leech_action = text.parse().map_err(|_| bad(None))?;
            }
            "theme" => {
                self.theme = text.parse().map_err(|_| bad(None))?;
            }
            "zoom" => self.zoom = parse_float(text, 0.5, 3.0).ok_or_else(|| bad(None))?,
            "fsrs_parameters" => {
                self.fsrs_parameters = parse_parameters(text).map_err(|e| bad(Some(e)))?;
            }
            // `info` only returns keys listed in SETTINGS, all handled above.
            _ => {
                return Err(SettingsError::UnknownKey {
                    key: key.to_owned(),
                });
            }
        }
        Ok(())
    }

    /// Sets several settings at once: all are checked first, and nothing changes unless every
    /// one is accepted. Returns every problem found.
    pub fn set_all<'a>(
        &mut self,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<(), Vec<SettingsError>> {
        let mut next = self.clone();
        let errors: Vec<SettingsError> = pairs
            .into_iter()
            .filter_map(|(k, v)| next.set(k, v).err())
            .collect();
        if errors.is_empty() {
            *self = next;
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// One setting's value in the text form `set` reads.
    pub fn get(&self, key: &str) -> Result<String, SettingsError> {
        let info = info(key)?;
        Ok(match info.key {
            "desired_retention" => format_float(self.desired_retention),
            "maximum_interval" => self.maximum_interval.to_string(),
            "learning_steps" => format_steps(&self.learning_steps),
            "relearning_steps" => format_steps(&self.relearning_steps),
            "fuzz" => self.fuzz.to_string(),
            "new_per_day" => self.new_per_day.to_string(),
            "reviews_per_day" => self.reviews_per_day.to_string(),
            "day_starts_at" => self.day_starts_at.to_string(),
            "bury_siblings" => self.bury_siblings.to_string(),
            "leech_threshold" => self.leech_threshold.to_string(),
            "leech_action" => self.leech_action.as_str().to_owned(),
            "theme" => self.theme.as_str().to_owned(),
            "zoom" => format_float(self.zoom),
            "fsrs_parameters" => format_parameters(&self.fsrs_parameters),
            _ => {
                return Err(SettingsError::UnknownKey {
                    key: key.to_owned(),
                });
            }
        })
    }

    /// Every setting with its current value, in display order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static SettingInfo, String)> + '_ {
        SETTINGS
            .iter()
            .map(|info| (info, self.get(info.key).unwrap_or_default()))
    }

    /// The scheduler's view of these settings.
    #[must_use]
    pub fn scheduler_config(&self) -> SchedulerConfig {
        SchedulerConfig {
            desired_retention: self.desired_retention,
            maximum_interval: self.maximum_interval,
            learning_steps: self.learning_steps.clone(),
            relearning_steps: self.relearning_steps.clone(),
            fuzz: self.fuzz,
            parameters: self.fsrs_parameters,
        }
    }
}

impl fmt::Display for Settings {
    /// `key = value` lines, as `flashdrill settings` prints them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (info, value) in self.iter() {
            writeln!(f, "{} = {value}", info.key)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let s = Settings::default();
        for info in SETTINGS {
            let mut parsed = Settings::default();
            parsed.set(info.key, info.default).unwrap();
            assert_eq!(parsed, s, "{}", info.key);
            assert_eq!(s.get(info.key).unwrap(), info.default, "{}", info.key);
        }
        assert_eq!(s.scheduler_config(), SchedulerConfig::default());
    }

    #[test]
    fn every_key_round_trips_through_text() {
        let mut s = Settings::default();
        for (k, v) in [
            ("desired_retention", "0.85"),
            ("maximum_interval", "365"),
            ("learning_steps", "30s 5m 1h"),
            ("relearning_steps", ""),
            ("fuzz", "false"),
            ("new_per_day", "0"),
            ("reviews_per_day", "99999"),
            ("day_starts_at", "0"),
            ("bury_siblings", "false"),
            ("leech_threshold", "3"),
            ("leech_action", "tag"),
            ("theme", "dark"),
            ("zoom", "1.25"),
        ] {
            s.set(k, v).unwrap();
            assert_eq!(s.get(k).unwrap(), v);
        }
        let mut again = Settings::default();
        for (info, value) in s.iter() {
            again.set(info.key, &value).unwrap();
        }
        assert_eq!(again, s);
        let c = s.scheduler_config();
        assert!((c.desired_retention - 0.85).abs() < 1e-6);
        assert_eq!(c.maximum_interval, 365);
        assert_eq!(c.learning_steps.len(), 3);
        assert!(c.relearning_steps.is_empty());
        assert!(!c.fuzz);
    }

    #[test]
    fn bounds_are_inclusive() {
        let mut s = Settings::default();
        for (k, ok, bad) in [
            ("desired_retention", ["0.70", "0.99"], ["0.69", "0.995"]),
            ("maximum_interval", ["1", "36500"], ["0", "36501"]),
            ("new_per_day", ["0", "9999"], ["-1", "10000"]),
            ("reviews_per_day", ["0", "99999"], ["-1", "100000"]),
            ("day_starts_at", ["0", "23"], ["24", "4.5"]),
            ("leech_threshold", ["1", "99"], ["0", "100"]),
            ("zoom", ["0.5", "3.0"], ["0.49", "3.01"]),
        ] {
            for v in ok {
                s.set(k, v).unwrap();
            }
            for v in bad {
                let before = s.clone();
                let err = s.set(k, v).unwrap_err();
                assert_eq!(s, before, "{k}={v} changed the settings");
                assert!(matches!(err, SettingsError::BadValue { .. }), "{k}={v}");
            }
        }
    }

    #[test]
    fn errors_name_the_key_and_the_allowed_values() {
        let mut s = Settings::default();
        let err = s.set("desired_retention", "1.5").unwrap_err();
        assert_eq!(
            err.to_string(),
            "desired_retention = \"1.5\" is not allowed: desired_retention must be 0.70–0.99"
        );
        let err = s.set("desired_retention", "NaN").unwrap_err();
        assert!(err.to_string().contains("0.70–0.99"));
        let err = s.set("learning_steps", "1m 10").unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("learning_steps = \"1m 10\" is not allowed"),
            "{text}"
        );
        assert!(text.contains("\"10\": missing unit"), "{text}");
        let err = s.set("theme", "blue").unwrap_err();
        assert!(err.to_string().contains("light, dark or system"));
        let err = s.set("retention", "0.9").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("unknown setting \"retention\""), "{text}");
        for info in SETTINGS {
            assert!(text.contains(info.key), "{text}");
        }
        assert!(s.get("nope").is_err());
    }

    #[test]
    fn set_all_changes_nothing_unless_all_are_good() {
        let mut s = Settings::default();
        let errs = s
            .set_all([("new_per_day", "50"), ("zoom", "9"), ("bogus", "1")])
            .unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(s, Settings::default());
        s.set_all([("new_per_day", "50"), ("zoom", "2")]).unwrap();
        assert_eq!(s.new_per_day, 50);
        assert!((s.zoom - 2.0).abs() < f32::EPSILON);
    }

    #[test]
    fn words_are_case_insensitive_and_trimmed() {
        let mut s = Settings::default();
        s.set("fuzz", " OFF ").unwrap();
        assert!(!s.fuzz);
        s.set("bury_siblings", "No").unwrap();
        assert!(!s.bury_siblings);
        assert!(s.set("bury_siblings", "maybe").is_err());
        s.set("leech_action", "Tag").unwrap();
        assert_eq!(s.leech_action, LeechAction::Tag);
        s.set("theme", "LIGHT").unwrap();
        assert_eq!(s.theme, Theme::Light);
    }

    #[test]
    fn fsrs_parameters_read_anki_text_and_reach_the_scheduler() {
        let mut s = Settings::default();
        let mut anki = DEFAULT_PARAMETERS;
        anki[0] = 0.4;
        anki[20] = 0.3;
        // Anki's box copies with commas and a space; a newline or no commas work too.
        let text = anki.map(|w| w.to_string()).join(",\n ");
        s.set("fsrs_parameters", &text).unwrap();
        assert_eq!(s.fsrs_parameters.map(f32::to_bits), anki.map(f32::to_bits));
        assert_eq!(
            s.scheduler_config().parameters.map(f32::to_bits),
            anki.map(f32::to_bits)
        );
        assert_eq!(s.scheduler_config().validate(), Ok(()));
        let spaced = anki.map(|w| w.to_string()).join(" ");
        let mut t = Settings::default();
        t.set("fsrs_parameters", &spaced).unwrap();
        assert_eq!(t, s);
        assert_eq!(
            parse_parameters(&s.get("fsrs_parameters").unwrap()),
            Ok(anki)
        );
    }

    #[test]
    fn fsrs_parameters_out_of_bounds_are_refused_by_name() {
        let mut s = Settings::default();
        let mut w = DEFAULT_PARAMETERS.map(|w| w.to_string());
        w[7] = "0.9".to_owned();
        let err = s.set("fsrs_parameters", &w.join(", ")).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("w[7] = 0.9 is outside 0.001–0.75"), "{text}");
        assert_eq!(s, Settings::default());
        w[7] = "x".to_owned();
        let text = s
            .set("fsrs_parameters", &w.join(" "))
            .unwrap_err()
            .to_string();
        assert!(text.contains("w[7] \"x\" is not a number"), "{text}");
        let text = s.set("fsrs_parameters", "1, 2, 3").unwrap_err().to_string();
        assert!(text.contains("found 3 numbers, expected 21"), "{text}");
        w[7] = "NaN".to_owned();
        assert!(s.set("fsrs_parameters", &w.join(" ")).is_err());
        assert_eq!(s, Settings::default());
    }

    #[test]
    fn display_lists_every_key() {
        let text = Settings::default().to_string();
        assert_eq!(text.lines().count(), SETTINGS.len());
        assert!(text.contains("learning_steps = 1m 10m\n"));
    }
}
