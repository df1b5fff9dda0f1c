use strum::{EnumCount as _, IntoEnumIterator as _};

use super::*;

#[test]
fn defaults_are_the_documented_ones() {
    let s = Settings::default();
    assert_eq!(s.scheduler_config(), SchedulerConfig::default());
    for (key, default) in [
        ("desired_retention", "0.9"),
        ("learning_steps", "1m 10m"),
        ("new_per_day", "20"),
        ("leech_action", "suspend"),
        ("theme", "system"),
        ("zoom", "1.0"),
    ] {
        assert_eq!(s.get(key).unwrap(), default, "{key}");
        assert_eq!(
            key.parse::<SettingKey>().unwrap().info().default_text(),
            default
        );
    }
}

#[test]
fn the_table_lists_every_key_once_in_order() {
    assert_eq!(SETTINGS.len(), SettingKey::COUNT);
    for ((index, info), key) in SETTINGS.iter().enumerate().zip(SettingKey::iter()) {
        assert_eq!(info.id, key);
        assert_eq!(key as usize, index);
        assert_eq!(key.info(), info);
        // The key as typed is the field's name (from the table) and the variant's (from strum).
        assert_eq!(key.as_str(), info.key);
        assert_eq!(info.key.parse::<SettingKey>(), Ok(key));
    }
}

#[test]
fn every_key_round_trips_its_default_through_get_and_set() {
    let defaults = Settings::default();
    for info in SETTINGS {
        let text = info.default_text();
        assert_eq!(defaults.get(info.key).unwrap(), text, "{}", info.key);
        let mut s = Settings::default();
        s.set(info.key, &text).unwrap();
        assert_eq!(s, defaults, "{}", info.key);
        assert_eq!(s.get(info.key).unwrap(), text, "{}", info.key);
    }
}

/// The ends of a range as the learner reads it: "0.70–0.99" → ("0.70", "0.99"),
/// "1–36500 days" → ("1", "36500").
fn ends_told(allowed: &str) -> (&str, &str) {
    let (low, high) = allowed.split_once('–').unwrap_or((allowed, ""));
    (low, high.split_whitespace().next().unwrap_or_default())
}

#[test]
fn every_key_has_help_text_and_allowed_values() {
    for info in SETTINGS {
        assert!(info.description.len() > 10, "{}", info.key);
        assert!(!info.allowed.is_empty(), "{}", info.key);
        // The learner's text names exactly what the table enforces.
        let (low, high) = ends_told(info.allowed);
        let words: Vec<String> = match info.kind() {
            SettingKind::Decimal { min, max } => {
                assert_eq!(
                    (low.parse(), high.parse()),
                    (Ok(min), Ok(max)),
                    "{}",
                    info.key
                );
                vec![]
            }
            SettingKind::Count { min, max } => {
                assert_eq!(
                    (low.parse(), high.parse()),
                    (Ok(min), Ok(max)),
                    "{}",
                    info.key
                );
                vec![]
            }
            SettingKind::Choice(words) => words.iter().map(|&w| w.to_owned()).collect(),
            SettingKind::Switch => vec!["true".to_owned(), "false".to_owned()],
            SettingKind::Steps => vec!["durations".to_owned()],
            SettingKind::Parameters => vec!["21 numbers".to_owned()],
            SettingKind::Weekdays => vec!["sun=0".to_owned(), "0–100".to_owned()],
        };
        for word in words {
            assert!(info.allowed.contains(&word), "{}: {word}", info.key);
        }
    }
}

/// Values just outside each key's range (and a word no key takes), with the range's ends.
fn outside_and_ends(kind: SettingKind) -> (Vec<String>, Vec<String>) {
    let mut outside = vec!["not a value!".to_owned()];
    let ends = match kind {
        SettingKind::Decimal { min, max } => {
            outside.extend([min - 0.01, max + 0.01].map(|v| v.to_string()));
            vec![min.to_string(), max.to_string()]
        }
        SettingKind::Count { min, max } => {
            let below = min
                .checked_sub(1)
                .map_or_else(|| "-1".to_owned(), |v| v.to_string());
            outside.extend([below, (u64::from(max) + 1).to_string(), format!("{min}.5")]);
            vec![min.to_string(), max.to_string()]
        }
        SettingKind::Switch | SettingKind::Choice(_) => vec![],
        SettingKind::Steps => {
            outside.push("10".to_owned());
            vec![]
        }
        SettingKind::Parameters => {
            outside.push("1, 2, 3".to_owned());
            vec![]
        }
        SettingKind::Weekdays => {
            outside.extend(["sun=101".to_owned(), "someday=5".to_owned()]);
            vec![]
        }
    };
    (outside, ends)
}

#[test]
fn out_of_range_values_are_refused_naming_the_key_and_range() {
    for info in SETTINGS {
        let (outside, ends) = outside_and_ends(info.kind());
        let mut s = Settings::default();
        for v in ends {
            s.set(info.key, &v).unwrap();
        }
        for v in outside {
            let before = s.clone();
            let err = s.set(info.key, &v).unwrap_err();
            assert_eq!(s, before, "{}={v} changed the settings", info.key);
            assert!(
                matches!(err, SettingsError::BadValue { key, .. } if key == info.key),
                "{}={v}: {err:?}",
                info.key
            );
            let text = err.to_string();
            let start = format!(
                "{} = \"{v}\" is not allowed: {} must be {}",
                info.key, info.key, info.allowed
            );
            assert!(text.starts_with(&start), "{text}");
        }
    }
}

#[test]
fn json_has_every_key_with_its_type() {
    let json = Settings::default().to_json();
    let object = json.as_object().unwrap();
    assert_eq!(object.len(), SETTINGS.len());
    for info in SETTINGS {
        let v = &object[info.key];
        let ok = match info.kind() {
            SettingKind::Decimal { .. } | SettingKind::Count { .. } => v.is_number(),
            SettingKind::Switch => v.is_boolean(),
            SettingKind::Steps | SettingKind::Choice(_) | SettingKind::Weekdays => v.is_string(),
            SettingKind::Parameters => v.as_array().is_some_and(|a| a.len() == 21),
        };
        assert!(ok, "{}: {v}", info.key);
    }
    assert_eq!(json["desired_retention"], serde_json::json!(0.9));
    assert_eq!(json["zoom"], serde_json::json!(1.0));
    assert_eq!(json["new_per_day"], serde_json::json!(20));
    assert_eq!(json["learning_steps"], serde_json::json!("1m 10m"));
    assert_eq!(json["fsrs_parameters"][0], serde_json::json!(0.212));
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
    assert!(
        err.to_string()
            .contains("light, dark, system or high-contrast")
    );
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
    s.set("theme", "high-contrast").unwrap();
    assert_eq!(s.theme, Theme::HighContrast);
    assert_eq!(s.theme.as_str(), "high-contrast");
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
