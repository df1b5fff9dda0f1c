//! The accessibility audit: every screen as a screen reader meets it.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use flashdrill::app::FlashdrillApp;

use crate::common::MAIN_SCREENS;

/// The roles a user acts on.
fn interactive(role: Role) -> bool {
    matches!(
        role,
        Role::Button
            | Role::CheckBox
            | Role::ComboBox
            | Role::EditableComboBox
            | Role::TextInput
            | Role::MultilineTextInput
            | Role::SearchInput
            | Role::Slider
            | Role::SpinButton
            | Role::Link
            | Role::RadioButton
            | Role::Tab
            | Role::MenuItem
            | Role::MenuItemCheckBox
            | Role::MenuItemRadio
            | Role::Switch
            | Role::ListBoxOption
            | Role::TreeItem
            | Role::ColorWell
            | Role::DateInput
    )
}

/// What a screen reader meets on the screen now that it should not.
pub fn audit(h: &Harness<'_, FlashdrillApp>, place: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for node in h.root().children_recursive() {
        let n = node.accesskit_node();
        if n.is_hidden() {
            continue;
        }
        let name = n.label().or_else(|| n.value()).unwrap_or_default();
        let role = n.role();
        let context = || {
            node.parent()
                .and_then(|p| p.accesskit_node().label())
                .unwrap_or_default()
        };
        if interactive(role) && name.trim().is_empty() {
            problems.push(format!(
                "{place}: a {role:?} with no name (in {:?})",
                context()
            ));
        }
        if matches!(role, Role::Image | Role::Canvas | Role::Figure) && name.trim().is_empty() {
            problems.push(format!("{place}: a {role:?} with no text equivalent"));
        }
    }
    problems
}

/// Fails with every problem [`audit`] finds on the screen now.
pub fn assert_accessible(h: &Harness<'_, FlashdrillApp>, place: &str) {
    let problems = audit(h, place);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The top bar's button for a screen (the label may also be a heading on the screen).
fn go(h: &mut Harness<'_, FlashdrillApp>, screen: &str) {
    let Some(button) = h.query_by_role_and_label(Role::Button, screen) else {
        panic!(
            "no top-bar button {screen:?} on the {:?} screen",
            h.state().screen()
        );
    };
    button.click();
    h.run();
}

fn check(h: &Harness<'_, FlashdrillApp>, place: &str, problems: &mut Vec<String>) {
    problems.extend(audit(h, place));
}

/// From the home screen: a session of every due card, asked in `form`.
fn study_all_due(h: &mut Harness<'_, FlashdrillApp>, form: &str) {
    crate::common::choose(h, "Question form:", form);
    h.get_by_label("Study all due").click();
    h.run();
}

/// A painted picture's text equivalent is there: an image whose name begins with `start`.
fn described(h: &Harness<'_, FlashdrillApp>, start: &str, problems: &mut Vec<String>) {
    let found = h.root().children_recursive().any(|n| {
        let n = n.accesskit_node();
        n.role() == Role::Image && n.label().is_some_and(|l| l.starts_with(start))
    });
    if !found {
        problems.push(format!("no picture described as \"{start}…\""));
    }
}

/// Every screen (the twelve, each study form, the drill, the editor, the import screen, the
/// shortcuts overlay, the recovery screen): every control a user acts on has a role and a
/// name, and every painted chart, axis and code has a text equivalent.
#[test]
fn every_screen_names_its_controls_and_describes_its_pictures() {
    let data = tempfile::tempdir().unwrap();
    crate::stats::seed(data.path());
    let mut h = crate::common::app_sized(data.path(), [1100.0, 2400.0]);
    h.run();
    let mut problems = Vec::new();
    for screen in MAIN_SCREENS {
        go(&mut h, screen);
        check(&h, screen, &mut problems);
    }
    go(&mut h, "Statistics");
    for chart in [
        "Chart of reviews per day",
        "Chart of minutes studied per day",
        "Chart of cards due in each of the next 30 days",
        "Calendar of the last",
    ] {
        described(&h, chart, &mut problems);
    }
    go(&mut h, "Article timeline");
    described(&h, "Time axis of", &mut problems);
    // The browser's card details, with the card's forgetting curve.
    go(&mut h, "Browse");
    let library = flashdrill_core::deck::load_library(&[], true);
    let studied = &library.deck("pm-dates").unwrap().deck.cards[0].prompt;
    h.get_by_role_and_label(Role::CheckBox, studied).click();
    h.run();
    check(&h, "card details", &mut problems);
    described(&h, "Forgetting curve:", &mut problems);
    // The keyboard shortcuts overlay.
    go(&mut h, "?");
    check(&h, "shortcuts", &mut problems);
    h.key_press(egui::Key::Escape);
    h.run();
    // Each study form, its question and its answer.
    for form in ["Flashcards", "Multiple choice", "Type the answer", "Mixed"] {
        go(&mut h, "Decks");
        study_all_due(&mut h, form);
        check(&h, &format!("study, {form}, question"), &mut problems);
        h.key_press(egui::Key::Space);
        h.run();
        check(&h, &format!("study, {form}, answer"), &mut problems);
        crate::common::leave_session(&mut h);
    }
    // The summary of a finished session.
    go(&mut h, "Decks");
    study_all_due(&mut h, "Flashcards");
    for _ in 0..200 {
        if h.state().screen() != flashdrill::app::Screen::Study {
            break;
        }
        h.key_press(egui::Key::Space);
        h.run();
    }
    check(&h, "summary", &mut problems);
    h.get_by_label("Back to decks").click();
    h.run();
    // Practice rounds: timeline and matching.
    for round in ["Timeline", "Matching"] {
        go(&mut h, "Practice");
        crate::common::choose(&mut h, "Question form:", round);
        h.get_by_label("Start practice").click();
        h.run();
        check(&h, &format!("practice, {round}"), &mut problems);
        h.get_by_role_and_label(Role::Button, "Leave").click();
        h.run();
    }
    // The drill: set-up, the class getting ready, a question and its reveal.
    go(&mut h, "Class drill");
    h.get_by_label("Start drill").click();
    h.run();
    check(&h, "drill get ready", &mut problems);
    h.key_press(egui::Key::Space);
    h.run();
    check(&h, "drill question", &mut problems);
    h.key_press(egui::Key::Space);
    h.run();
    check(&h, "drill reveal", &mut problems);
    h.key_press(egui::Key::Escape);
    h.run();
    check(&h, "leave-the-drill dialog", &mut problems);
    h.get_by_label("Leave drill").click();
    h.run();
    // The deck editor on a new deck.
    go(&mut h, "Decks");
    h.get_by_label("New deck").click_accesskit();
    h.run();
    assert_eq!(h.state().screen(), flashdrill::app::Screen::Editor);
    check(&h, "editor", &mut problems);
    // The import screen with a spreadsheet.
    let csv = data.path().join("words.csv");
    std::fs::write(&csv, "Paris,France\nRome,Italy\n").unwrap();
    go(&mut h, "Decks");
    h.state_mut().open_files(vec![csv]);
    h.run();
    h.run();
    assert_eq!(h.state().screen(), flashdrill::app::Screen::Import);
    check(&h, "import", &mut problems);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The recovery screen, all a learner can reach with a damaged profile.
#[test]
fn the_recovery_screen_names_its_controls() {
    let data = tempfile::tempdir().unwrap();
    crate::recovery::damaged_profile(data.path());
    let mut h = crate::common::app_sized(data.path(), [1100.0, 760.0]);
    h.run();
    assert_eq!(h.state().screen(), flashdrill::app::Screen::Recovery);
    let problems = audit(&h, "recovery");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The controls of the screen now, as (role, name), enabled ones only.
fn controls(h: &Harness<'_, FlashdrillApp>) -> Vec<(Role, String)> {
    h.root()
        .children_recursive()
        .filter_map(|node| {
            let n = node.accesskit_node();
            (interactive(n.role()) && !n.is_hidden() && !n.is_disabled()).then(|| {
                (
                    n.role(),
                    n.label().or_else(|| n.value()).unwrap_or_default(),
                )
            })
        })
        .collect()
}

/// The controls Tab reaches from the top of the screen, in order, until it comes round.
fn tab_round(h: &mut Harness<'_, FlashdrillApp>) -> Vec<(Role, String)> {
    let mut seen: Vec<(Role, String)> = Vec::new();
    for _ in 0..200 {
        h.key_press(egui::Key::Tab);
        h.run();
        let focused = h.root().children_recursive().find_map(|node| {
            let n = node.accesskit_node();
            n.is_focused().then(|| {
                (
                    n.role(),
                    n.label().or_else(|| n.value()).unwrap_or_default(),
                )
            })
        });
        let Some(focused) = focused else { continue };
        if seen.contains(&focused) {
            break;
        }
        seen.push(focused);
    }
    seen
}

/// Every control of every main screen is reached with the Tab key (and so can be used
/// without a mouse), and every stop Tab makes has a role and a name.
#[test]
fn tab_reaches_every_control() {
    let data = tempfile::tempdir().unwrap();
    crate::stats::seed(data.path());
    let mut h = crate::common::app_sized(data.path(), [1100.0, 2400.0]);
    h.run();
    let mut problems = Vec::new();
    for screen in MAIN_SCREENS {
        go(&mut h, screen);
        tab_check(&mut h, screen, &mut problems);
        h.key_press(egui::Key::Escape);
        h.run();
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Tab reaches every control on the screen now, and stops only on named ones.
fn tab_check(h: &mut Harness<'_, FlashdrillApp>, place: &str, problems: &mut Vec<String>) {
    let all = controls(h);
    let reached = tab_round(h);
    for control in all {
        if !reached.contains(&control) {
            problems.push(format!("{place}: Tab never reaches {control:?}"));
        }
    }
    for (role, name) in &reached {
        if *role == Role::Unknown || name.trim().is_empty() {
            problems.push(format!(
                "{place}: Tab stops on a {role:?} a screen reader cannot name ({name:?})"
            ));
        }
    }
}

/// The same in a study session (question and answer, flashcards and typed), the deck editor
/// and the import screen.
#[test]
fn tab_reaches_every_control_of_study_the_editor_and_import() {
    let data = tempfile::tempdir().unwrap();
    let mut h = crate::common::app_sized(data.path(), [1100.0, 2400.0]);
    h.run();
    let mut problems = Vec::new();
    for form in ["Flashcards", "Type the answer"] {
        study_all_due(&mut h, form);
        tab_check(&mut h, &format!("study, {form}, question"), &mut problems);
        if form == "Type the answer" {
            // Cards with long answers are asked another way: go on to a typed one.
            for _ in 0..20 {
                if h.query_by_label("Your answer").is_some() {
                    break;
                }
                // A flashcard's "Show answer", or a multiple-choice question's first option.
                let reveal = h
                    .query_all_by_role(Role::Button)
                    .find(|b| {
                        let label = b.accesskit_node().label().unwrap_or_default();
                        !["?", "Leave", "Undo"].contains(&label.as_str())
                    })
                    .expect("a way to answer");
                reveal.click();
                h.run();
                h.get_by_role_and_label(Role::Button, "Good").click();
                h.run();
            }
            h.get_by_label("Your answer").type_text("something");
            h.run();
            h.get_by_label("Check (Enter)").click();
        } else {
            h.get_by_label("Show answer (Space / Enter)").click();
        }
        h.run();
        tab_check(&mut h, &format!("study, {form}, answer"), &mut problems);
        h.get_by_role_and_label(Role::Button, "Leave").click();
        h.run();
        if h.state().screen() == flashdrill::app::Screen::Summary {
            h.key_press(egui::Key::Escape);
            h.run();
        }
        if h.state().screen() != flashdrill::app::Screen::Home {
            go(&mut h, "Decks");
        }
    }
    h.get_by_label("New deck").click_accesskit();
    h.run();
    tab_check(&mut h, "editor", &mut problems);
    go(&mut h, "Decks");
    let csv = data.path().join("words.csv");
    std::fs::write(&csv, "Paris,France\nRome,Italy\n").unwrap();
    h.state_mut().open_files(vec![csv]);
    h.run();
    h.run();
    tab_check(&mut h, "import", &mut problems);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A high-contrast theme joins light and dark: chosen in Settings, saved, and applied at once.
#[test]
fn the_high_contrast_theme_is_chosen_in_settings_and_applied() {
    let data = tempfile::tempdir().unwrap();
    let mut h = crate::common::app_sized(data.path(), [1100.0, 1400.0]);
    h.run();
    go(&mut h, "Settings");
    // Below the fold: as a screen reader clicks.
    h.get_by_role_and_label(Role::RadioButton, "High contrast")
        .click_accesskit();
    h.run();
    h.run();
    assert_eq!(
        h.state().collection().settings().theme,
        flashdrill_core::settings::Theme::HighContrast
    );
    assert!(flashdrill::ui::theme::is_high_contrast(
        &h.ctx.global_style().visuals
    ));
    // Back to dark: egui's own dark look, not high contrast.
    h.get_by_role_and_label(Role::RadioButton, "Dark")
        .click_accesskit();
    h.run();
    h.run();
    assert!(h.ctx.global_style().visuals.dark_mode);
    assert!(!flashdrill::ui::theme::is_high_contrast(
        &h.ctx.global_style().visuals
    ));
}

#[test]
fn the_home_screen_in_high_contrast() {
    let data = tempfile::tempdir().unwrap();
    let mut h = crate::common::rendered(data.path(), [1100.0, 760.0], "high-contrast");
    h.run();
    h.snapshot("home-high-contrast");
}
