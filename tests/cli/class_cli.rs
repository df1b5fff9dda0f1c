//! `flashdrill class`: create, list, roster, edit, report and export-student.

use std::path::Path;

use chrono::{TimeDelta, Utc};
use flashdrill_core::class::{Classroom, StudentAnswer};
use flashdrill_core::deck;
use flashdrill_core::store::Mode;

use crate::common::{new_profile, run, stderr, stdout};

fn ok(d: &Path, args: &[&str]) -> String {
    let o = run(d, args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

/// A refusal: exit 2 and its message on standard error.
fn refused(d: &Path, args: &[&str]) -> String {
    let o = run(d, args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stdout(&o));
    stderr(&o)
}

#[test]
fn classes_are_created_listed_and_their_rosters_changed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let roster = d.join("roster.csv");
    std::fs::write(&roster, "id,Name\n1,Ana Lima\n\n2,José Roy\n3,Bo\n").unwrap();
    let r = roster.to_str().unwrap();
    let out = ok(
        d,
        &[
            "class",
            "create",
            "7b",
            "--roster",
            r,
            "--deck",
            "pm-dates",
            "--new-per-day",
            "5",
        ],
    );
    assert_eq!(
        out,
        "Created class 7b with 3 students; decks pm-dates; retention 90 %, 5 new cards per day, \
         learning steps 1m 10m, relearning steps 10m.\n"
    );
    assert_eq!(
        ok(d, &["class", "list"]),
        "7b: 3 students; decks pm-dates; no answers yet\n"
    );
    // A roster with a duplicate is refused with its line; nothing is created.
    let dup = d.join("dup.txt");
    std::fs::write(&dup, "Name\nAna\n\nBo\n  ana \n").unwrap();
    let err = refused(
        d,
        &["class", "create", "8a", "--roster", dup.to_str().unwrap()],
    );
    assert!(
        err.ends_with(
            "dup.txt: line 5: \"ana\" is already on the roster (line 2); no class was created\n"
        ),
        "{err}"
    );
    let err = refused(d, &["class", "create", "8a", "--deck", "nope"]);
    assert!(err.contains("there is no deck \"nope\""), "{err}");
    let err = refused(d, &["class", "create", " 7B "]);
    assert!(
        err.contains("there is already a class called \"7b\""),
        "{err}"
    );
    assert_eq!(ok(d, &["class", "list"]).lines().count(), 1);

    // Roster changes: names match without case, accents or extra spaces.
    let out = ok(
        d,
        &[
            "class",
            "roster",
            "7b",
            "--add",
            "Cy",
            "--rename",
            "jose  roy",
            "José Roy-Lima",
            "--remove",
            "BO",
            "--reset",
            "ana lima",
        ],
    );
    assert!(out.contains("Renamed José Roy to José Roy-Lima."), "{out}");
    assert!(out.contains("Removed Bo and their 0 answers."), "{out}");
    assert!(out.contains("Added Cy."), "{out}");
    assert!(out.contains("Reset the phone of Ana Lima"), "{out}");
    assert_eq!(
        ok(d, &["class", "roster", "7b"]),
        "7b: 3 students\n  Ana Lima\n  Cy\n  José Roy-Lima\n"
    );
    let err = refused(d, &["class", "roster", "7b", "--add", "CY"]);
    assert!(
        err.contains("\"CY\" is already on the roster of 7b (as \"Cy\")"),
        "{err}"
    );
    let err = refused(d, &["class", "roster", "7b", "--remove", "Zed", "Cy"]);
    assert!(err.contains("\"Zed\" is not on the roster of 7b"), "{err}");
    assert_eq!(ok(d, &["class", "roster", "7b"]).lines().count(), 4);
    let err = refused(d, &["class", "roster", "9c"]);
    assert!(
        err.contains("there is no class called \"9c\"; the classes are: 7b"),
        "{err}"
    );

    // Edit: decks and settings, checked as `flashdrill settings` checks them.
    let out = ok(
        d,
        &[
            "class",
            "edit",
            "7b",
            "--deck",
            "pm-dates",
            "pm-actors",
            "--retention",
            "0.85",
        ],
    );
    assert!(
        out.starts_with("7b: decks pm-dates, pm-actors; retention 85 %"),
        "{out}"
    );
    let err = refused(d, &["class", "edit", "7b", "--retention", "1.5"]);
    assert!(err.contains("must be 0.70–0.99"), "{err}");

    // Deleting asks for --yes first.
    let err = refused(d, &["class", "delete", "7b"]);
    assert!(
        err.contains("would delete its 3 students and their 0 answers; add --yes"),
        "{err}"
    );
    assert_eq!(ok(d, &["class", "list"]).lines().count(), 1);
    assert_eq!(
        ok(d, &["class", "delete", "7B", "--yes"]),
        "Deleted 7b and its 0 answers.\n"
    );
    assert!(ok(d, &["class", "list"]).starts_with("No classes yet."));
}

/// A class "7b" of Ana, Bo and Cy over pm-dates, with answers given through the library as a
/// server would give them.
fn studied(d: &Path) {
    let mut store = new_profile(d, "Teacher", Utc::now().date_naive());
    store
        .create_class(
            "7b",
            &["pm-dates".to_owned()],
            &flashdrill_core::class::ClassSettings::from_profile(
                &flashdrill_core::settings::Settings::default(),
            ),
            &["Ana".to_owned(), "Bo".to_owned(), "Cy".to_owned()],
            Utc::now(),
        )
        .unwrap();
    let library = deck::load_library(&[], true);
    let mut room = Classroom::open(store, "7b", &library).unwrap();
    let start = Utc::now() - TimeDelta::hours(2);
    for (s, name) in ["Ana", "Bo", "Cy"].into_iter().enumerate() {
        let id = room.join(name).unwrap().id;
        let queue = room.student_queue(&id, start).unwrap();
        for (i, q) in queue.iter().take(4).enumerate() {
            let answer_id = format!("{name}-{i}");
            room.record_student_answer(&StudentAnswer {
                student: &id,
                deck_id: &q.deck_id,
                card_id: &q.card_id,
                right: i < 3 - s,
                answer_id: &answer_id,
                at: start + TimeDelta::seconds((s * 10 + i) as i64),
                mode: if i == 3 { Mode::Drill } else { Mode::Srs },
                answer_given: Some("x"),
                response_ms: 1500,
            })
            .unwrap();
        }
    }
}

/// `--profile Teacher class` and `rest`.
fn teacher<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--profile", "Teacher", "class"];
    v.extend_from_slice(rest);
    v
}

#[test]
fn the_report_and_a_students_progress_come_out_of_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    studied(d);
    let list = ok(d, &teacher(&["list"]));
    assert!(
        list.starts_with("7b: 3 students; decks pm-dates; 12 answers"),
        "{list}"
    );

    let json = ok(d, &teacher(&["report", "7b", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let students = v["students"].as_array().unwrap();
    let ana = students.iter().find(|s| s["name"] == "Ana").unwrap();
    assert_eq!(ana["reviews"], 4);
    assert_eq!(ana["right"], 3);
    assert_eq!(ana["cards"].as_array().unwrap().len(), 4);
    for c in ana["cards"].as_array().unwrap() {
        assert!(c["card"].as_str().unwrap().starts_with("pm-dates/"));
        assert!(c.get("due").is_some() && c["reviews"] == 1, "{c}");
    }
    let answered: Vec<&serde_json::Value> = v["cards"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["answered"].as_u64().unwrap() > 0)
        .collect();
    assert_eq!(answered.len(), 4);
    for c in &answered {
        assert!(c.get("right").is_some() && c.get("discrimination").is_some());
    }

    let csv_path = d.join("grades.csv");
    let o = run(
        d,
        &teacher(&[
            "report",
            "7b",
            "--format",
            "csv",
            "--out",
            csv_path.to_str().unwrap(),
        ]),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert_eq!(csv.lines().count(), 4);
    assert!(csv.contains("\r\nAna,"), "{csv}");
    let html = ok(d, &teacher(&["report", "7b"]));
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("Students × categories"));

    // Cy's progress goes home: into a profile of their own.
    let file = d.join("cy.json");
    let out = ok(
        d,
        &teacher(&[
            "export-student",
            "7b",
            " cy ",
            "--out",
            file.to_str().unwrap(),
        ]),
    );
    assert!(out.contains("4 answers and 3 cards of Cy"), "{out}");
    assert!(ok(d, &["profiles", "create", "Cy"]).contains("Cy"));
    let out = ok(
        d,
        &[
            "--profile",
            "Cy",
            "progress",
            "import",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.contains("4 reviews added"), "{out}");
    assert!(out.contains("3 cards rebuilt"), "{out}");
    let err = refused(
        d,
        &teacher(&[
            "export-student",
            "7b",
            "Zed",
            "--out",
            file.to_str().unwrap(),
        ]),
    );
    assert!(err.contains("\"Zed\" is not on the roster of 7b"), "{err}");
}
