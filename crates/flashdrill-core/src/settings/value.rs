//! How each type of setting is read from text, written as text and as JSON, and described.

use std::ops::RangeInclusive;
use std::str::FromStr;

use chrono::TimeDelta;

use super::{LeechAction, SettingKind, Theme};
use crate::schedule::{EasyDays, EasyDaysError, PARAMETER_BOUNDS, format_steps, parse_steps};

/// Why a text was refused: `None` when the allowed values say it all, else what exactly is
/// wrong (which step, which parameter).
pub(super) type Refusal = Option<String>;

/// A type a setting can have. `Rule` is what narrows it further (a range), `()` when nothing
/// does.
pub(super) trait Value: Sized {
    type Rule;
    /// Reads the (trimmed) text a learner typed or the store kept.
    fn parse(text: &str, rule: &Self::Rule) -> Result<Self, Refusal>;
    /// The text [`Value::parse`] reads back to the same value.
    fn text(&self) -> String;
    /// As `flashdrill settings --json` prints it.
    fn json(&self) -> serde_json::Value;
    /// The public description of the type and rule.
    fn kind(rule: &Self::Rule) -> SettingKind;
}

/// A number of type `T` within `range`; `contains` is false for NaN.
fn parse_within<T: FromStr + PartialOrd>(
    text: &str,
    range: &RangeInclusive<T>,
) -> Result<T, Refusal> {
    text.parse::<T>()
        .ok()
        .filter(|v| range.contains(v))
        .ok_or(None)
}

/// `0.9` → "0.9", `1.0` → "1.0": the shortest text that parses back to the same number.
pub(super) fn format_float(v: f32) -> String {
    format!("{v:?}")
}

/// Through the shortest text, so 0.212 prints as 0.212, not 0.2119999…
fn json_float(v: f32) -> serde_json::Value {
    serde_json::Value::from(format_float(v).parse().unwrap_or(f64::from(v)))
}

impl Value for f32 {
    type Rule = RangeInclusive<f32>;
    fn parse(text: &str, rule: &Self::Rule) -> Result<Self, Refusal> {
        parse_within(text, rule)
    }
    fn text(&self) -> String {
        format_float(*self)
    }
    fn json(&self) -> serde_json::Value {
        json_float(*self)
    }
    fn kind(rule: &Self::Rule) -> SettingKind {
        SettingKind::Decimal {
            min: *rule.start(),
            max: *rule.end(),
        }
    }
}

impl Value for u32 {
    type Rule = RangeInclusive<u32>;
    fn parse(text: &str, rule: &Self::Rule) -> Result<Self, Refusal> {
        parse_within(text, rule)
    }
    fn text(&self) -> String {
        self.to_string()
    }
    fn json(&self) -> serde_json::Value {
        serde_json::Value::from(*self)
    }
    fn kind(rule: &Self::Rule) -> SettingKind {
        SettingKind::Count {
            min: *rule.start(),
            max: *rule.end(),
        }
    }
}

impl Value for bool {
    type Rule = ();
    fn parse(text: &str, (): &()) -> Result<Self, Refusal> {
        match text.to_ascii_lowercase().as_str() {
            "true" | "on" | "yes" => Ok(true),
            "false" | "off" | "no" => Ok(false),
            _ => Err(None),
        }
    }
    fn text(&self) -> String {
        self.to_string()
    }
    fn json(&self) -> serde_json::Value {
        serde_json::Value::Bool(*self)
    }
    fn kind((): &()) -> SettingKind {
        SettingKind::Switch
    }
}

/// Learning or relearning steps: `1m 10m`.
impl Value for Vec<TimeDelta> {
    type Rule = ();
    fn parse(text: &str, (): &()) -> Result<Self, Refusal> {
        parse_steps(text).map_err(|e| Some(e.to_string()))
    }
    fn text(&self) -> String {
        format_steps(self)
    }
    fn json(&self) -> serde_json::Value {
        serde_json::Value::String(self.text())
    }
    fn kind((): &()) -> SettingKind {
        SettingKind::Steps
    }
}

/// The FSRS-6 parameters: text as [`parse_parameters`] reads it, JSON as an array of numbers.
impl Value for [f32; 21] {
    type Rule = ();
    fn parse(text: &str, (): &()) -> Result<Self, Refusal> {
        parse_parameters(text).map_err(Some)
    }
    fn text(&self) -> String {
        format_parameters(self)
    }
    fn json(&self) -> serde_json::Value {
        serde_json::Value::Array(self.iter().map(|&w| json_float(w)).collect())
    }
    fn kind((): &()) -> SettingKind {
        SettingKind::Parameters
    }
}

/// Easy days: `sun=0 sat=50`.
impl Value for EasyDays {
    type Rule = ();
    fn parse(text: &str, (): &()) -> Result<Self, Refusal> {
        text.parse().map_err(|e: EasyDaysError| Some(e.to_string()))
    }
    fn text(&self) -> String {
        self.to_string()
    }
    fn json(&self) -> serde_json::Value {
        serde_json::Value::String(self.text())
    }
    fn kind((): &()) -> SettingKind {
        SettingKind::Weekdays
    }
}

/// A setting that is one of a few words: a `strum` enum, case-insensitive.
pub(super) trait Choice: Copy + FromStr + Into<&'static str> + strum::VariantNames {}

impl Choice for LeechAction {}
impl Choice for Theme {}

impl<T: Choice> Value for T {
    type Rule = ();
    fn parse(text: &str, (): &()) -> Result<Self, Refusal> {
        text.parse().map_err(|_| None)
    }
    fn text(&self) -> String {
        let word: &'static str = (*self).into();
        word.to_owned()
    }
    fn json(&self) -> serde_json::Value {
        serde_json::Value::String(self.text())
    }
    fn kind((): &()) -> SettingKind {
        SettingKind::Choice(T::VARIANTS)
    }
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
