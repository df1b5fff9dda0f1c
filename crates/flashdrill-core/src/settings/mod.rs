//! Profile settings: the keys, their defaults, allowed ranges and parsing. Pure.
//!
//! Each profile stores its settings as text in its database's `settings` table (see
//! `Store::load_settings` / `Store::save_settings`); this module knows what the text means.
//!
//! Every setting is described once, in the `settings!` list below (key, type, default, range,
//! help, allowed values); [`Settings`], its `Default`, [`SettingKey`], [`SETTINGS`],
//! [`Settings::set`], [`Settings::get`] and [`Settings::to_json`] all come from that list.

#[macro_use]
mod table;
mod value;

use std::fmt;

use chrono::TimeDelta;

use crate::schedule::{
    DEFAULT_PARAMETERS, EasyDays, MAX_DESIRED_RETENTION, MAX_MAXIMUM_INTERVAL,
    MIN_DESIRED_RETENTION, SchedulerConfig,
};
use value::{Refusal, Value};
pub use value::{format_parameters, parse_parameters};

/// What happens to a card that became a leech.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
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
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
#[strum(serialize_all = "lowercase", ascii_case_insensitive)]
pub enum Theme {
    Light,
    Dark,
    /// Follow the operating system.
    System,
    /// White and yellow on black, thick outlines: for low vision and bright projectors.
    #[strum(serialize = "high-contrast")]
    HighContrast,
}

impl Theme {
    /// As stored and typed: `light`, `dark`, `system`, `high-contrast`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

// The one description of every setting, in display order. To add a setting, add an entry here
// (see `table.rs` for the form); the compiler then asks for nothing else.
settings! {
    DesiredRetention => desired_retention: f32 = 0.90,
        within MIN_DESIRED_RETENTION..=MAX_DESIRED_RETENTION;
        name: "desired retention",
        help: "Chance of remembering a card when it comes due; higher means more reviews",
        allowed: "0.70–0.99";
    MaximumInterval => maximum_interval: u32 = MAX_MAXIMUM_INTERVAL,
        within 1..=MAX_MAXIMUM_INTERVAL;
        name: "maximum interval",
        help: "Longest time between two reviews of a card, in days",
        allowed: "1–36500 days";
    LearningSteps => learning_steps: Vec<TimeDelta> =
        vec![TimeDelta::minutes(1), TimeDelta::minutes(10)];
        name: "learning steps",
        help: "Delays between the first reviews of a new card (empty: none)",
        allowed: "durations like \"1m 10m\" (units s, m, h, d; 1s–365d each), or empty";
    RelearningSteps => relearning_steps: Vec<TimeDelta> = vec![TimeDelta::minutes(10)];
        name: "relearning steps",
        help: "Delays after forgetting a card (empty: none)",
        allowed: "durations like \"10m\" (units s, m, h, d; 1s–365d each), or empty";
    Fuzz => fuzz: bool = true;
        name: "interval fuzz",
        help: "Spread review intervals a little so cards learnt together part ways",
        allowed: "true or false";
    NewPerDay => new_per_day: u32 = 20, within 0..=9999;
        name: "new cards per day",
        help: "New cards introduced per deck per day",
        allowed: "0–9999";
    ReviewsPerDay => reviews_per_day: u32 = 200, within 0..=99_999;
        name: "reviews per day",
        help: "Reviews shown per deck per day",
        allowed: "0–99999";
    DayStartsAt => day_starts_at: u32 = 4, within 0..=23;
        name: "start of the day",
        help: "Hour (local time) at which a new study day begins",
        allowed: "0–23";
    /// (Siblings are the cards with the same `group`, see `deck::Card::sibling_key`.)
    BurySiblings => bury_siblings: bool = true;
        name: "bury siblings",
        help: "Once a card is answered in a study session, cards on the same fact (its \
               siblings) wait for the next day",
        allowed: "true or false";
    LeechThreshold => leech_threshold: u32 = 8, within 1..=99;
        name: "leech threshold",
        help: "Times a card may be forgotten before it is marked a leech",
        allowed: "1–99";
    LeechAction => leech_action: LeechAction = LeechAction::Suspend;
        name: "leech action",
        help: "What happens to a leech: suspend it, or only tag it",
        allowed: "suspend or tag";
    Theme => theme: Theme = Theme::System;
        name: "theme",
        help: "Colour theme",
        allowed: "light, dark, system or high-contrast";
    Zoom => zoom: f32 = 1.0, within 0.5..=3.0;
        name: "zoom",
        help: "Size of text and controls",
        allowed: "0.5–3.0";
    LoadBalance => load_balance: bool = true;
        name: "load balancing",
        help: "Among the days a review may fall on, pick those with fewer cards already due, \
               so every day has about the same work",
        allowed: "true or false";
    /// Read by the load balancer only.
    EasyDays => easy_days: EasyDays = EasyDays::default();
        name: "easy days",
        help: "Each weekday's share of reviews in percent (sun=0 sat=50: no reviews moved to \
               Sundays, half as many on Saturdays); days not named get 100",
        allowed: "weekdays with a percentage 0–100, like \"sun=0 sat=50\", or empty";
    RescheduleOnChange => reschedule_on_change: bool = false;
        name: "reschedule on change",
        help: "When the desired retention or the memory parameters change, work out every \
               card's due date again from its history",
        allowed: "true or false";
    /// The scheduler uses them: fitted by `optimize`, or the defaults.
    FsrsParameters => fsrs_parameters: [f32; 21] = DEFAULT_PARAMETERS;
        name: "FSRS parameters",
        help: "The 21 FSRS-6 memory-model weights (`flashdrill optimize` fits them to your reviews)",
        allowed: "21 numbers separated by commas or spaces (as Anki shows them), each within \
                  FSRS-6's bounds";
}

/// One setting's key, what it does and what it accepts (a row of [`SETTINGS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingInfo {
    /// The key as a value.
    pub id: SettingKey,
    /// The key as stored and typed: `desired_retention`.
    pub key: &'static str,
    /// The setting's name, as a sentence says it: "desired retention", "FSRS parameters".
    pub name: &'static str,
    /// What the setting does (its help text).
    pub description: &'static str,
    /// The allowed values, as told to the learner ("0.70–0.99").
    pub allowed: &'static str,
}

impl SettingInfo {
    /// The setting's type and allowed values.
    #[must_use]
    pub fn kind(&self) -> SettingKind {
        self.id.kind()
    }

    /// The default value, in the text form [`Settings::set`] reads.
    #[must_use]
    pub fn default_text(&self) -> String {
        Settings::default().text_of(self.id)
    }
}

impl SettingKey {
    /// This key's row of [`SETTINGS`].
    #[must_use]
    pub fn info(self) -> &'static SettingInfo {
        // SETTINGS lists the keys in the enum's order (checked by a test).
        &SETTINGS[self as usize]
    }

    /// As stored and typed: `desired_retention`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A setting's type and allowed values, as data (the learner reads [`SettingInfo::allowed`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SettingKind {
    /// A decimal number within `min..=max`.
    Decimal { min: f32, max: f32 },
    /// A whole number within `min..=max`.
    Count { min: u32, max: u32 },
    /// `true` or `false` (also `on`/`off`, `yes`/`no`, in any case).
    Switch,
    /// Durations like `1m 10m` (see [`crate::schedule::parse_steps`]), or none.
    Steps,
    /// One of these words, in any case.
    Choice(&'static [&'static str]),
    /// The 21 FSRS-6 parameters (see [`parse_parameters`]).
    Parameters,
    /// Weekdays with a percentage each (see [`EasyDays`]).
    Weekdays,
}

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

fn info(key: &str) -> Result<&'static SettingInfo, SettingsError> {
    key.parse::<SettingKey>()
        .map(SettingKey::info)
        .map_err(|_| SettingsError::UnknownKey {
            key: key.to_owned(),
        })
}

impl Settings {
    /// Sets one setting from its text form. Unknown keys and bad values are refused (the
    /// error lists the known keys or states the allowed values) and nothing changes.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SettingsError> {
        let info = info(key)?;
        self.parse_into(info.id, value.trim())
            .map_err(|detail| SettingsError::BadValue {
                key: info.key,
                value: value.to_owned(),
                allowed: info.allowed,
                detail,
            })
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
        Ok(self.text_of(info(key)?.id))
    }

    /// Every setting with its current value, in display order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static SettingInfo, String)> + '_ {
        SETTINGS.iter().map(|info| (info, self.text_of(info.id)))
    }

    /// Every setting as one JSON object, in display order: numbers as numbers, switches as
    /// booleans, `fsrs_parameters` as an array of 21 numbers, the rest as their text.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        SETTINGS
            .iter()
            .map(|info| (info.key.to_owned(), self.json_of(info.id)))
            .collect::<serde_json::Map<_, _>>()
            .into()
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
mod tests;
