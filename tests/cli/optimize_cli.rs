//! `flashdrill optimize`, `flashdrill settings --json` / `fsrs_parameters=…` and the memory-model
//! lines of `flashdrill stats`, run as the real binary on a data directory seeded through the
//! library API.

use std::path::Path;

use flashdrill_core::optimize::{record_history, synthetic_history};
use flashdrill_core::schedule::DEFAULT_PARAMETERS;
use flashdrill_core::settings::Settings;

const LEARNER: [f32; 21] = [
    0.1, 0.6, 1.2, 4.0, 7.0, 0.6, 2.0, 0.01, 1.4, 0.2, 1.1, 1.8, 0.1, 0.3, 1.2, 0.4, 2.2, 0.4, 0.1,
    0.1, 0.3,
];

use crate::common::{profile_store, run, stderr, stdout};

/// The default profile answers a synthetic history of `cards` cards (studied as live answers
/// would be, with the default parameters).
fn seed(dir: &Path, cards: usize) {
    let mut store = profile_store(dir, None);
    let history = synthetic_history(&LEARNER, cards, 365, 11).unwrap();
    record_history(&mut store, &history, &Settings::default()).unwrap();
}

fn parameters(dir: &Path) -> Vec<f64> {
    let out = run(dir, &["settings", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    json["fsrs_parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

fn defaults() -> Vec<f64> {
    DEFAULT_PARAMETERS
        .iter()
        .map(|w| format!("{w:?}").parse().unwrap())
        .collect()
}

#[test]
fn settings_json_and_fsrs_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["settings", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let obj = json.as_object().unwrap();
    assert_eq!(obj.len(), flashdrill_core::settings::SETTINGS.len());
    assert_eq!(json["desired_retention"], serde_json::json!(0.9));
    assert_eq!(json["new_per_day"], serde_json::json!(20));
    assert_eq!(json["fuzz"], serde_json::json!(true));
    assert_eq!(json["learning_steps"], serde_json::json!("1m 10m"));
    assert_eq!(parameters(dir.path()), defaults());

    // Out of bounds: refused, naming the number, nothing changed.
    let mut w: Vec<String> = DEFAULT_PARAMETERS.iter().map(ToString::to_string).collect();
    w[20] = "0.05".to_owned();
    let bad = format!("fsrs_parameters={}", w.join(", "));
    let out = run(dir.path(), &["settings", &bad]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("w[20] = 0.05 is outside 0.1–0.8"),
        "{}",
        stderr(&out)
    );
    assert_eq!(parameters(dir.path()), defaults());

    // As copied from Anki (commas), or with spaces.
    let anki: Vec<String> = LEARNER.iter().map(ToString::to_string).collect();
    let good = format!("fsrs_parameters={}", anki.join(" "));
    let out = run(dir.path(), &["settings", &good, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["fsrs_parameters"][0], serde_json::json!(0.1));
    let learner: Vec<f64> = LEARNER
        .iter()
        .map(|w| format!("{w:?}").parse().unwrap())
        .collect();
    assert_eq!(parameters(dir.path()), learner);
}

#[test]
fn too_few_reviews_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), 10);
    let out = run(dir.path(), &["optimize"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("needs at least 400 reviews"), "{text}");
    assert_eq!(parameters(dir.path()), defaults());
    let out = run(dir.path(), &["optimize", "--deck", "no-such-deck"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("there is no deck \"no-such-deck\""),
        "{}",
        stderr(&out)
    );
    let out = run(dir.path(), &["optimize", "--undo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no earlier parameters"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn optimize_keeps_better_parameters_and_undo_restores() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), 500);

    let out = run(dir.path(), &["optimize", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("reviews of 500 cards used"), "{text}");
    assert!(text.contains("Current parameters: log loss"), "{text}");
    assert!(text.contains("Fitted parameters:  log loss"), "{text}");
    assert!(text.contains("they were kept"), "{text}");
    assert!(text.contains("Dry run: nothing was changed."), "{text}");
    assert_eq!(parameters(dir.path()), defaults());

    let out = run(dir.path(), &["optimize"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Memory states of 500 cards recomputed; due dates kept"),
        "{text}"
    );
    let fitted = parameters(dir.path());
    assert_ne!(fitted, defaults());

    let out = run(dir.path(), &["stats"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Memory model (fitted parameters):"), "{text}");
    assert!(text.contains("Fit to your reviews: log loss"), "{text}");
    assert!(
        text.contains("Simulated year at desired retention 90 %:"),
        "{text}"
    );

    let out = run(dir.path(), &["optimize", "--undo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("the previous parameters are back"),
        "{}",
        stdout(&out)
    );
    assert_eq!(parameters(dir.path()), defaults());

    // Again, moving due dates this time: the same fit (the fit is deterministic).
    let out = run(dir.path(), &["optimize", "--reschedule"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("recomputed; review cards rescheduled"),
        "{}",
        stdout(&out)
    );
    assert_eq!(parameters(dir.path()), fitted);
}
