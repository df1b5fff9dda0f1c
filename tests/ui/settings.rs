//! Settings → memory model (issue 14): optimizing the FSRS parameters for the profile's reviews,
//! cancelling, restoring, pasting parameters, and the desired-retention chart's figures.

use std::path::Path;

use chrono::Local;
use egui::{Key, Modifiers};
use egui_kittest::kittest::{AccessKitNode, NodeT, Queryable};
use flashdrill::ui::settings::{OPTIMIZE, PARAMETERS, RESTORE, USE_PARAMETERS};
use flashdrill_core::domain::ReviewRecord;
use flashdrill_core::optimize::{record_history, synthetic_history};
use flashdrill_core::schedule::DEFAULT_PARAMETERS;
use flashdrill_core::settings::{Settings, format_parameters};
use flashdrill_core::store::profiles::Profiles;

use crate::common::{App, app_with, click, profile_store, store};

/// A learner who forgets faster than average and finds new cards harder.
const LEARNER: [f32; 21] = [
    0.1, 0.6, 1.2, 4.0, 7.0, 0.6, 2.0, 0.01, 1.4, 0.2, 1.1, 1.8, 0.1, 0.3, 1.2, 0.4, 2.2, 0.4, 0.1,
    0.1, 0.3,
];

fn bits(w: &[f32; 21]) -> [u32; 21] {
    w.map(f32::to_bits)
}

/// Records a synthetic history of `cards` cards over `days` days into the default profile, as
/// live study would (through the scheduler, with the profile's settings).
fn seed(dir: &Path, cards: usize, days: u32) -> usize {
    let history: Vec<ReviewRecord> = synthetic_history(&LEARNER, cards, days, 7).unwrap();
    let mut store = profile_store(dir);
    let settings = store.load_settings().unwrap();
    record_history(&mut store, &history, &settings).unwrap();
    history.len()
}

/// The app (jobs at once, or on threads) on the settings screen, tall enough to show it all.
fn settings(dir: &Path, background: bool) -> App {
    let mut h = app_with(dir, [1000.0, 2400.0], background);
    if background {
        for _ in 0..4 {
            h.step();
        }
        h.get_by_label("Settings").click();
        for _ in 0..4 {
            h.step();
        }
    } else {
        h.run();
        click(&mut h, "Settings");
    }
    h
}

/// The parameters "Restore" would put back, as bits.
fn previous(h: &App) -> Option<[u32; 21]> {
    store(h)
        .previous_fsrs_parameters()
        .unwrap()
        .map(|w| bits(&w))
}

fn parameters(h: &App) -> [f32; 21] {
    store(h).load_settings().unwrap().fsrs_parameters
}

/// The parameters text field's text.
fn field(h: &App) -> String {
    h.get_by_label(PARAMETERS)
        .accesskit_node()
        .value()
        .unwrap_or_default()
}

/// Every label starting with `start` (for failure messages).
fn labels(h: &App, start: &str) -> Vec<String> {
    h.query_all_by(|n| text(n).is_some_and(|l| l.starts_with(start)))
        .filter_map(|n| text(&n.accesskit_node()))
        .collect()
}

/// A node's text: its label, or its value (labels carry their text there).
fn text(n: &AccessKitNode<'_>) -> Option<String> {
    n.label().or_else(|| n.value())
}

fn shows(h: &App, text: &str) -> bool {
    h.query_by_label_contains(text).is_some()
}

/// The settings screen with jobs on threads, a fit of a year of `cards` cards just started.
fn start_fit(dir: &Path, cards: usize) -> App {
    seed(dir, cards, 365);
    let mut h = settings(dir, true);
    h.get_by_label(OPTIMIZE).click();
    h.step();
    h
}

/// Steps the app (its jobs on threads) until `done`, for at most a minute.
fn step_until(h: &mut App, what: &str, done: impl Fn(&App) -> bool) {
    let timeout = std::time::Duration::from_mins(1);
    assert!(crate::common::step_until(h, timeout, done), "{what}");
}

#[test]
fn too_few_reviews_are_explained_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), 20, 60);
    let mut h = settings(dir.path(), false);
    click(&mut h, OPTIMIZE);
    assert!(
        shows(&h, "needs at least 400 reviews"),
        "the explanation shows"
    );
    assert!(shows(&h, "the current ones stay"));
    assert!(
        h.query_by_label("Log loss").is_none(),
        "no figures without a fit"
    );
    assert_eq!(bits(&parameters(&h)), bits(&DEFAULT_PARAMETERS));
    assert!(h.query_by_label(RESTORE).is_none(), "nothing to restore");
}

#[test]
fn optimizing_a_learner_keeps_better_parameters_and_restore_puts_the_old_back() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), 600, 365);
    let mut h = settings(dir.path(), false);
    let before = store(&h).card_states(None).unwrap();
    click(&mut h, OPTIMIZE);

    // Old and new figures, and what was kept.
    assert!(h.query_by_label("Log loss").is_some());
    assert!(h.query_by_label("RMSE (bins)").is_some());
    assert!(h.query_by_label("Current parameters").is_some());
    assert!(h.query_by_label("New parameters (kept)").is_some());
    assert!(shows(&h, "predict your answers better; they were kept"));
    assert!(shows(&h, "cards recomputed; due dates kept"));

    // Saved: the fitted parameters, the defaults kept for undo, memory states rebuilt.
    let fitted = parameters(&h);
    assert_ne!(bits(&fitted), bits(&DEFAULT_PARAMETERS));
    assert_eq!(previous(&h), Some(bits(&DEFAULT_PARAMETERS)));
    let after = store(&h).card_states(None).unwrap();
    assert_eq!(before.len(), after.len());
    assert!(
        before
            .iter()
            .zip(&after)
            .any(|(b, a)| b.progress.card.stability != a.progress.card.stability),
        "memory states were recomputed"
    );
    assert!(
        before
            .iter()
            .zip(&after)
            .all(|(b, a)| b.progress.card.due == a.progress.card.due),
        "due dates kept without Reschedule"
    );
    // The app's own settings follow: the text field shows them.
    assert_eq!(field(&h), format_parameters(&fitted));
    assert!(shows(&h, "In use: parameters of your own."));

    click(&mut h, RESTORE);
    assert!(shows(&h, "The previous parameters are back"));
    assert_eq!(bits(&parameters(&h)), bits(&DEFAULT_PARAMETERS));
    assert_eq!(field(&h), format_parameters(&DEFAULT_PARAMETERS));
    let restored = store(&h).card_states(None).unwrap();
    for (b, r) in before.iter().zip(&restored) {
        let (bs, rs) = (b.progress.card.stability, r.progress.card.stability);
        assert!(
            bs.zip(rs).is_none_or(|(x, y)| (x - y).abs() < 1e-3),
            "{}: {bs:?} vs {rs:?}",
            b.card_id
        );
    }
}

#[test]
fn a_fit_that_finishes_while_another_screen_is_on_show_is_applied_then() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start_fit(dir.path(), 600);
    // Off to the decks while the fit runs on its thread.
    h.get_by_label("Decks").click();
    h.step();
    assert_eq!(h.state().screen(), flashdrill::app::Screen::Home);
    step_until(
        &mut h,
        "the fit was never applied while the decks were on show",
        |h| bits(&parameters(h)) != bits(&DEFAULT_PARAMETERS),
    );
    assert_eq!(h.state().screen(), flashdrill::app::Screen::Home);
    assert_eq!(previous(&h), Some(bits(&DEFAULT_PARAMETERS)));
    // Its report waits on the settings screen (whose chart now works in the background).
    h.get_by_label("Settings").click();
    for _ in 0..4 {
        h.step();
    }
    assert!(h.query_by_label("New parameters (kept)").is_some());
    assert_eq!(field(&h), format_parameters(&parameters(&h)));
}

#[test]
fn a_fit_for_a_profile_no_longer_open_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), 600, 365);
    Profiles::load(dir.path()).unwrap().create("Bo").unwrap();
    let mut h = settings(dir.path(), true);
    h.get_by_label(OPTIMIZE).click();
    h.step();
    // Bo takes over the computer while the fit of the first learner's reviews runs.
    h.get_by_label("Bo").click();
    for _ in 0..4 {
        h.step();
    }
    assert_eq!(store(&h).profile(), "bo", "Bo's profile is open");
    if h.state().screen() != flashdrill::app::Screen::Settings {
        h.get_by_label("Settings").click();
    }
    let told = "The profile changed while optimizing";
    step_until(&mut h, "the fit never finished", |h| {
        shows(h, told) || bits(&parameters(h)) != bits(&DEFAULT_PARAMETERS)
    });
    assert_eq!(
        bits(&parameters(&h)),
        bits(&DEFAULT_PARAMETERS),
        "Bo's parameters are left alone"
    );
    assert!(shows(&h, told));
    assert_eq!(store(&h).previous_fsrs_parameters().unwrap(), None);
    assert!(h.query_by_label("New parameters (kept)").is_none());
    // The first learner's parameters are untouched too.
    let profiles = Profiles::load(dir.path()).unwrap();
    let first = profiles.list()[0].slug.clone();
    let other = profiles.open(&first, Local::now().date_naive()).unwrap();
    assert_eq!(
        bits(&other.load_settings().unwrap().fsrs_parameters),
        bits(&DEFAULT_PARAMETERS)
    );
}

#[test]
fn cancel_leaves_the_parameters_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), 1500, 365);
    let mut h = settings(dir.path(), true);
    // One frame starts the fit and shows its progress bar (the fit of some 20,000 reviews
    // takes far longer than the rest of that frame); the next takes the click on Cancel.
    h.get_by_label(OPTIMIZE).click();
    h.step();
    h.get_by_label("Cancel").click();
    h.step();
    h.step();
    assert!(shows(&h, "Cancelled; nothing was changed."));
    assert!(
        h.query_by_label("Cancel").is_none(),
        "the progress bar is gone"
    );
    assert!(h.query_by_label("Log loss").is_none());
    assert_eq!(bits(&parameters(&h)), bits(&DEFAULT_PARAMETERS));
    assert_eq!(store(&h).previous_fsrs_parameters().unwrap(), None);
    // Whatever the stopped fit still delivers is not applied: frame after frame for a while.
    let applied = crate::common::step_until(&mut h, std::time::Duration::from_millis(300), |h| {
        bits(&parameters(h)) != bits(&DEFAULT_PARAMETERS)
            || h.query_by_label("New parameters (kept)").is_some()
    });
    assert!(!applied, "the cancelled fit was applied");
    assert_eq!(bits(&parameters(&h)), bits(&DEFAULT_PARAMETERS));
    assert!(h.query_by_label("New parameters (kept)").is_none());
}

fn replace_parameters(h: &mut App, text: &str) {
    h.get_by_label(PARAMETERS).click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label(PARAMETERS).type_text(text);
    h.run();
    click(h, USE_PARAMETERS);
}

#[test]
fn pasted_parameters_are_checked_and_good_ones_used() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), 20, 60);
    let mut h = settings(dir.path(), false);

    replace_parameters(&mut h, "1, 2, 3");
    assert!(shows(
        &h,
        "These parameters were not used: found 3 numbers, expected 21"
    ));
    assert_eq!(bits(&parameters(&h)), bits(&DEFAULT_PARAMETERS));

    let mut out_of_bounds = LEARNER;
    out_of_bounds[4] = 50.0;
    replace_parameters(&mut h, &format_parameters(&out_of_bounds));
    assert!(
        shows(&h, "w[4] = 50.0 is outside 1–10"),
        "names the parameter and its bounds: {:?}",
        labels(&h, "These parameters")
    );
    assert_eq!(bits(&parameters(&h)), bits(&DEFAULT_PARAMETERS));

    // Space-separated, as copied from Anki.
    let anki = LEARNER.map(|w| w.to_string()).join(" ");
    replace_parameters(&mut h, &anki);
    assert!(shows(&h, "The pasted parameters are in use"));
    assert_eq!(bits(&parameters(&h)), bits(&LEARNER));
    assert_eq!(previous(&h), Some(bits(&DEFAULT_PARAMETERS)));
    click(&mut h, RESTORE);
    assert_eq!(bits(&parameters(&h)), bits(&DEFAULT_PARAMETERS));
}

#[test]
fn the_chart_states_the_figures_at_the_current_retention() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), 100, 120);
    let mut h = settings(dir.path(), false);
    let summary = h
        .query_by_label_contains("At 90 % desired retention: about")
        .expect("the figures at the current setting");
    let summary = text(&summary.accesskit_node()).unwrap_or_default();
    // "… about 12 reviews and 3.4 minutes of study a day …, and 95 cards known at its end."
    let numbers: Vec<f32> = summary
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter_map(|t| t.trim_end_matches('.').parse().ok())
        .collect();
    assert_eq!(numbers.len(), 4, "{summary:?} {:?}", labels(&h, "At 90"));
    assert!(numbers[1] > 0.0 && numbers[2] > 0.0, "{summary}");
    assert!(numbers[3] > 0.0, "{summary}");
    assert!(shows(&h, "Minimum recommended desired retention:"));

    // A new setting moves the figures along.
    h.state_mut().set_setting("desired_retention", "0.80");
    h.run();
    assert!(shows(&h, "At 80 % desired retention: about"));
}

#[test]
fn a_settings_change_is_undone_by_its_button_and_by_ctrl_z() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = settings(dir.path(), false);
    let default = Settings::default().new_per_day;
    h.state_mut().set_setting("new_per_day", "3");
    h.run();
    assert_eq!(store(&h).load_settings().unwrap().new_per_day, 3);
    click(&mut h, "Undo Change new cards per day");
    assert_eq!(store(&h).load_settings().unwrap().new_per_day, default);
    assert!(
        h.query_by_label("Undo Change new cards per day").is_none(),
        "nothing left to undo"
    );

    h.state_mut().set_setting("new_per_day", "5");
    h.run();
    // The browser offers the undo of changes to cards only.
    click(&mut h, "Browse");
    assert!(h.query_by_label("Undo Change new cards per day").is_none());
    click(&mut h, "Settings");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(store(&h).load_settings().unwrap().new_per_day, default);
    assert_eq!(h.state().collection().settings().new_per_day, default);
}

#[test]
fn the_retention_slider_is_wide() {
    let dir = tempfile::tempdir().unwrap();
    let h = settings(dir.path(), false);
    let slider = h
        .get_by_role_and_label(egui::accesskit::Role::Slider, "Desired retention")
        .rect();
    // 0.70 to 0.99: a hundredth is several points of travel, not one or two.
    assert!(slider.width() >= 300.0, "{slider:?}");
}

#[test]
fn the_optimizer_says_how_many_reviews_it_has_before_it_runs() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), 20, 60);
    let h = settings(dir.path(), false);
    let line = h
        .query_by_label_contains("that a fit can use")
        .map(|n| text(&n.accesskit_node()).unwrap_or_default())
        .expect("the count shows before Optimize is clicked");
    let reviews: usize = line
        .trim_start_matches("This profile has ")
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(reviews > 20, "{line}");
    assert!(line.contains("of 20 cards"), "{line}");
    assert!(line.contains("optimizing needs at least 400"), "{line}");
}

#[test]
fn the_workload_chart_names_its_axes_and_lines() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), 100, 120);
    let h = settings(dir.path(), false);
    h.get_by_label("Your desired retention (solid line)");
    h.get_by_label("Minimum recommended (dashed line)");
    h.get_by_label_contains("a day over the next year (up) at each desired retention (across)");
}
