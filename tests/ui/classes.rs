//! The classes screen (issue 22) through the whole app, found by label and role as a screen
//! reader would: creating a class, its roster, its report and its exports, checked against
//! what the profile's database holds.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{TimeDelta, Utc};
use egui::Key;
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use flashdrill::app::Screen;
use flashdrill::ui::drill::CLASSES_BUTTON;
use flashdrill::ui::file_ask::{Chosen, FileAsk};
use flashdrill_core::class::{ClassSettings, Classroom, StudentAnswer};
use flashdrill_core::deck;
use flashdrill_core::settings::Settings;
use flashdrill_core::store::Mode;

use crate::common::{App, click, press, profile_store};

const DATES: &str = "Pyongyang and Moscow: dates and events";

fn app(dir: &Path) -> App {
    let mut h = crate::common::app_sized(dir, [1100.0, 1400.0]);
    h.run();
    h
}

/// A class "7b" on the dates deck with `names`, made through the core.
fn seed_class(dir: &Path, names: &[&str]) {
    let mut store = profile_store(dir);
    let roster: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    store
        .create_class(
            "7b",
            &["pm-dates".to_owned()],
            &ClassSettings::from_profile(&Settings::default()),
            &roster,
            Utc::now(),
        )
        .unwrap();
}

/// Records answers of `student` to the dates deck's cards through the core, a minute apart
/// from an hour ago: `(card, right)`.
fn answer(dir: &Path, student: &str, answers: &[(&str, bool)]) {
    answer_as(dir, student, student, answers);
}

/// As [`answer`], with answer ids starting `prefix` (unique across a test's calls).
fn answer_as(dir: &Path, student: &str, prefix: &str, answers: &[(&str, bool)]) {
    let library = deck::load_library(&[], true);
    let mut room = Classroom::open(profile_store(dir), "7b", &library).unwrap();
    let id = room.join(student).unwrap().id;
    let start = Utc::now() - TimeDelta::hours(1);
    for (i, (card, right)) in answers.iter().enumerate() {
        let answer_id = format!("{prefix}-{i}");
        room.record_student_answer(&StudentAnswer {
            student: &id,
            deck_id: "pm-dates",
            card_id: card,
            right: *right,
            answer_id: &answer_id,
            at: start + TimeDelta::minutes(i64::try_from(i).unwrap()),
            mode: Mode::Srs,
            answer_given: None,
            response_ms: 4000,
        })
        .unwrap();
    }
}

/// What the app's database holds: the class's roster, by name.
fn roster(h: &App, class: &str) -> Vec<String> {
    let store = h.state().store().unwrap();
    let class = store.class_named(class).unwrap();
    store
        .students(&class)
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect()
}

/// From the top bar to the classes, as a teacher finds them: the class drill's screen.
fn open_classes(h: &mut App) {
    click(h, "Class drill");
    click(h, CLASSES_BUTTON);
    assert_eq!(h.state().screen(), Screen::Classes);
}

/// Types `text` into the field labelled `label`.
fn type_into(h: &mut App, label: &str, text: &str) {
    let field = h.get_by_label(label);
    field.focus();
    field.type_text(text);
    h.run();
}

/// A file chooser that gives whatever path the test puts in `next`.
fn chooser_of(h: &mut App) -> Arc<Mutex<Option<PathBuf>>> {
    let next: Arc<Mutex<Option<PathBuf>>> = Arc::new(Mutex::new(None));
    let given = Arc::clone(&next);
    h.state_mut().set_file_chooser(Arc::new(move |_: &FileAsk| {
        match given.lock().unwrap().clone() {
            Some(path) => Chosen::Files(vec![path]),
            None => Chosen::Cancelled,
        }
    }));
    next
}

#[test]
fn a_class_is_created_with_a_typed_roster_and_a_duplicate_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(dir.path());
    open_classes(&mut h);
    h.get_by_label_contains("No classes yet.");
    click(&mut h, "New class…");
    type_into(&mut h, "Class name", "7b history");
    click(&mut h, DATES);
    type_into(
        &mut h,
        "Students, one name per line",
        "Ana Lima\nBo Chen\n\n  ANA   lima ",
    );
    click(&mut h, "Create class");
    h.get_by_label(
        "No class was created: the roster: line 4: \"ANA lima\" is already on the roster \
         (line 1).",
    );
    assert!(h.state().store().unwrap().classes().unwrap().is_empty());

    // The line taken out, the class is made with its deck and its two students.
    h.get_by_label("Students, one name per line")
        .set_text_value_accesskit("Ana Lima\nBo Chen\n\nZoë Roy");
    h.run();
    click(&mut h, "Create class");
    h.get_by_label("Created 7b history with 3 students.");
    assert_eq!(roster(&h, "7b history"), ["Ana Lima", "Bo Chen", "Zoë Roy"]);
    let class = h
        .state()
        .store()
        .unwrap()
        .class_named("7B  HISTORY")
        .unwrap();
    assert_eq!(class.decks, ["pm-dates"]);
    // Its page, then the list: the class with its numbers.
    h.get_by_role_and_label(Role::Button, "Rename Zoë Roy…");
    press(&mut h, Key::Escape);
    h.get_by_role_and_label(Role::Button, "7b history");
    h.get_by_label(DATES);
    h.get_by_label("3");
    press(&mut h, Key::Escape);
    assert_eq!(h.state().screen(), Screen::Drill);
}

#[test]
fn a_roster_file_with_a_duplicate_is_refused_with_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let mut h = app(dir.path());
    let next = chooser_of(&mut h);
    open_classes(&mut h);
    click(&mut h, "New class…");

    let bad = files.path().join("7b roster.csv");
    std::fs::write(&bad, "id,Name\n1,Ana\n2,Bo\n\n3,ANA\n").unwrap();
    *next.lock().unwrap() = Some(bad);
    click(&mut h, "Read names from a file…");
    h.get_by_label(
        "7b roster.csv, line 5: \"ANA\" is already on the roster (line 2). No name was taken \
         from it.",
    );
    assert_eq!(
        h.get_by_label("Students, one name per line")
            .value()
            .as_deref(),
        Some("")
    );

    // A file that is not there says so, naming it.
    *next.lock().unwrap() = Some(files.path().join("gone.txt"));
    click(&mut h, "Read names from a file…");
    h.get_by_label_contains("gone.txt could not be read");

    let good = files.path().join("names.txt");
    std::fs::write(&good, "Students\nAna\n\nBo\n").unwrap();
    *next.lock().unwrap() = Some(good);
    click(&mut h, "Read names from a file…");
    h.get_by_label("Read 2 names from names.txt: check them below.");
    type_into(&mut h, "Class name", "7b");
    click(&mut h, "Create class");
    h.get_by_label("Created 7b with 2 students.");
    assert_eq!(roster(&h, "7b"), ["Ana", "Bo"]);
}

#[test]
fn students_are_renamed_added_reset_and_removed_after_a_question() {
    let dir = tempfile::tempdir().unwrap();
    seed_class(dir.path(), &["Ana", "Bo"]);
    answer(dir.path(), "Ana", &[("putin-first-visit-year", true)]);
    let mut h = app(dir.path());
    open_classes(&mut h);
    click(&mut h, "7b");

    click(&mut h, "Rename Bo…");
    h.get_by_label("New name for Bo").focus();
    h.run();
    h.key_press(Key::End);
    h.get_by_label("New name for Bo").type_text("b Chen");
    h.run();
    click(&mut h, "Save Bo's new name");
    h.get_by_label("Renamed Bo to Bob Chen; their progress stays.");
    assert_eq!(roster(&h, "7b"), ["Ana", "Bob Chen"]);

    type_into(&mut h, "Names to add, one per line", "Cy\nbob  chen");
    click(&mut h, "Add students");
    h.get_by_label_contains("No student was added: \"bob chen\" is already on the roster of 7b");
    h.get_by_label("Names to add, one per line")
        .set_text_value_accesskit("Cy");
    h.run();
    click(&mut h, "Add students");
    h.get_by_label("Added Cy to 7b.");
    assert_eq!(roster(&h, "7b"), ["Ana", "Bob Chen", "Cy"]);

    let token = |h: &App| {
        let store = h.state().store().unwrap();
        let class = store.class_named("7b").unwrap();
        store.find_student(&class, "ana").unwrap().token
    };
    let before = token(&h);
    click(&mut h, "Reset Ana's phone");
    h.get_by_label("Reset Ana's phone: next lesson they join again with their name.");
    assert_ne!(token(&h), before);

    // Removing asks first, and says what goes.
    click(&mut h, "Remove Ana…");
    h.get_by_label(
        "Remove Ana from 7b? Their 1 answer and their schedule of 1 card are deleted from this \
         computer; this cannot be undone.",
    );
    click(&mut h, "Keep Ana");
    assert_eq!(roster(&h, "7b"), ["Ana", "Bob Chen", "Cy"]);
    // Escape closes the question and stays on the class.
    click(&mut h, "Remove Ana…");
    press(&mut h, Key::Escape);
    assert!(h.query_by_label("Yes, remove Ana").is_none());
    h.get_by_label("Reset Ana's phone");
    click(&mut h, "Remove Ana…");
    click(&mut h, "Yes, remove Ana");
    h.get_by_label("Removed Ana from 7b with their 1 answer.");
    assert_eq!(roster(&h, "7b"), ["Bob Chen", "Cy"]);
    assert!(h.query_by_label("Remove Ana…").is_none());
    let store = h.state().store().unwrap();
    let class = store.class_named("7b").unwrap();
    assert!(
        store.class_reviews(&class).unwrap().is_empty(),
        "her answers went with her"
    );
}

#[test]
fn the_report_shows_each_students_numbers_and_the_class_by_category() {
    let dir = tempfile::tempdir().unwrap();
    seed_class(dir.path(), &["Ana", "Bo"]);
    answer(
        dir.path(),
        "Ana",
        &[
            ("putin-first-visit-year", true),
            ("two-visits", true),
            ("cooling", false),
        ],
    );
    let mut h = app(dir.path());
    open_classes(&mut h);
    // The list counts the answers.
    h.get_by_label("3");
    click(&mut h, "7b");
    click(&mut h, "Report");
    h.get_by_role_and_label(Role::Button, "Ana");
    h.get_by_label("67 %");
    // Ana is shown in detail: her answers, her chart (spoken), her weakest cards.
    h.get_by_label_contains("3 answers in 1 session: 2 right (67 %); 3 in the spaced warm-up");
    h.get_by_label_contains("Chart of Ana's share right in each of their last 1 session");
    h.get_by_label("Predicted recall now");
    // The heatmap's cells are read out with their numbers.
    h.get_by_label("Ana, Dates: 100 % right (1 of 1)");
    h.get_by_label("Ana, Arguments: 50 % right (1 of 2)");
    h.get_by_label("Bo, Dates: no answers");
    // Bo has not answered.
    h.get_by_role_and_label(Role::Button, "Bo").click();
    h.run();
    h.get_by_label("Bo has not answered yet.");
}

#[test]
fn the_report_and_a_students_progress_are_exported_to_typed_paths() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    seed_class(dir.path(), &["Ana", "Bo"]);
    answer(dir.path(), "Ana", &[("putin-first-visit-year", true)]);
    let mut h = app(dir.path());
    h.state_mut()
        .set_file_chooser(Arc::new(|_: &FileAsk| Chosen::Unavailable));
    open_classes(&mut h);
    click(&mut h, "7b");
    click(&mut h, "Report");

    // The printable page, to a typed path.
    let page = out.path().join("7b.html");
    h.get_by_label("Export report…").click();
    h.run_steps(4);
    h.get_by_label("Save to:")
        .set_text_value_accesskit(&page.display().to_string());
    h.run_steps(2);
    click(&mut h, "Save to this path");
    h.get_by_label_contains("Saved the report of 7b (2 students, Printable page (HTML)) to");
    assert!(
        std::fs::read_to_string(&page)
            .unwrap()
            .contains("Class report: 7b")
    );

    // The gradebook, chosen from the formats.
    crate::common::choose(&mut h, "Report format", "Gradebook (CSV)");
    let csv = out.path().join("gradebook");
    h.get_by_label("Export report…").click();
    h.run_steps(4);
    h.get_by_label("Save to:")
        .set_text_value_accesskit(&csv.display().to_string());
    h.run_steps(2);
    click(&mut h, "Save to this path");
    let text = std::fs::read_to_string(out.path().join("gradebook.csv")).unwrap();
    assert!(
        text.starts_with("name,student_id,answers,right,accuracy"),
        "{text}"
    );
    assert!(text.contains("\r\nAna,"), "{text}");

    // Ana's progress, to take home.
    let progress = out.path().join("ana.json");
    h.get_by_label("Export Ana's progress…").click();
    h.run_steps(4);
    h.get_by_label("Save to:")
        .set_text_value_accesskit(&progress.display().to_string());
    h.run_steps(2);
    click(&mut h, "Save to this path");
    h.get_by_label_contains("Saved Ana's progress (1 answer, 1 card)");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&progress).unwrap()).unwrap();
    assert_eq!(json["format"], "flashdrill-progress/1");
    assert_eq!(json["reviews"].as_array().unwrap().len(), 1);
}

#[test]
fn a_class_s_decks_and_settings_are_saved_and_bad_steps_refused() {
    let dir = tempfile::tempdir().unwrap();
    seed_class(dir.path(), &["Ana"]);
    let mut h = app(dir.path());
    open_classes(&mut h);
    click(&mut h, "7b");
    click(&mut h, "Decks and settings");
    click(&mut h, "Pyongyang and Moscow: actors");
    h.get_by_label("Learning steps").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.get_by_label("Learning steps").type_text("soon");
    h.run();
    click(&mut h, "Save changes");
    h.get_by_label_contains("Nothing was saved: ");
    let decks = |h: &App| h.state().store().unwrap().class_named("7b").unwrap().decks;
    assert_eq!(decks(&h), ["pm-dates"]);
    h.get_by_label("Learning steps")
        .set_text_value_accesskit("2m 15m");
    h.run();
    click(&mut h, "Save changes");
    h.get_by_label("Saved the decks and settings of 7b.");
    assert_eq!(decks(&h), ["pm-dates", "pm-actors"]);
    let class = h.state().store().unwrap().class_named("7b").unwrap();
    assert_eq!(
        flashdrill_core::schedule::format_steps(&class.settings.learning_steps),
        "2m 15m"
    );

    // Deleting the class asks first, saying what goes.
    click(&mut h, "Delete 7b…");
    h.get_by_label_contains("Delete 7b with its 1 student, their 0 answers and their schedules?");
    click(&mut h, "Keep 7b");
    assert_eq!(h.state().store().unwrap().classes().unwrap().len(), 1);
    click(&mut h, "Delete 7b…");
    click(&mut h, "Yes, delete 7b");
    h.get_by_label("Deleted 7b and its 0 answers.");
    h.get_by_label_contains("No classes yet.");
    assert!(h.state().store().unwrap().classes().unwrap().is_empty());
}

#[test]
fn every_part_of_the_classes_screen_names_its_controls_and_describes_its_pictures() {
    use crate::accessibility::assert_accessible;
    let dir = tempfile::tempdir().unwrap();
    seed_class(dir.path(), &["Ana", "Bo"]);
    answer(dir.path(), "Ana", &[("putin-first-visit-year", true)]);
    let mut h = app(dir.path());
    open_classes(&mut h);
    assert_accessible(&h, "the classes");
    click(&mut h, "New class…");
    assert_accessible(&h, "a new class");
    click(&mut h, "Cancel");
    click(&mut h, "7b");
    click(&mut h, "Rename Bo…");
    click(&mut h, "Remove Ana…");
    assert_accessible(&h, "a class's students, renaming and removing");
    click(&mut h, "Report");
    assert_accessible(&h, "a class's report");
    let chart = h.root().children_recursive().any(|n| {
        let n = n.accesskit_node();
        n.role() == Role::Image
            && n.label().is_some_and(|l| {
                l.starts_with("Chart of Ana's share right in each of their last 1 session: ")
                    && l.ends_with(" 100 %")
            })
    });
    assert!(chart, "the chart is described with its numbers");
    click(&mut h, "Decks and settings");
    assert_accessible(&h, "a class's decks and settings");
}

#[test]
fn the_report_shows_answers_given_in_a_warm_up_without_reopening_the_class() {
    use std::net::{IpAddr, Ipv4Addr};
    let dir = tempfile::tempdir().unwrap();
    seed_class(dir.path(), &["Ana", "Bo"]);
    answer(dir.path(), "Ana", &[("putin-first-visit-year", true)]);
    let mut h = app(dir.path());
    h.state_mut().set_live_bind(IpAddr::V4(Ipv4Addr::LOCALHOST));
    open_classes(&mut h);
    click(&mut h, "7b");
    click(&mut h, "Report");
    h.get_by_label_contains("1 answer in 1 session: 1 right (100 %)");

    // A warm-up: Ana answers on her phone, and her answers go into the class memory, as the
    // warm-up commits them on its own connection.
    click(&mut h, "Start warm-up");
    assert_eq!(h.state().screen(), Screen::Warmup);
    answer_as(
        dir.path(),
        "Ana",
        "warm",
        &[("two-visits", true), ("cooling", false), ("cooling", false)],
    );
    click(&mut h, "End the warm-up now");
    click(&mut h, "Close the warm-up");
    assert_eq!(h.state().screen(), Screen::Classes);
    // The report on show counts them: 4 answers, 2 right.
    h.get_by_label_contains("4 answers in 1 session: 2 right (50 %)");
    h.get_by_label("50 %");
}
