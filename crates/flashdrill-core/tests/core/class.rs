//! Class memory: rosters, each student's own schedule and log, reports, taking progress home.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use flashdrill_core::class::{
    ClassCard, ClassError, ClassSettings, Classroom, RosterError, StudentAnswer, export_student,
    parse_roster, report,
};
use flashdrill_core::schedule::{QueueKind, State, StudyDays, parse_steps};
use flashdrill_core::settings::Settings;
use flashdrill_core::store::export::ProgressFile;
use flashdrill_core::store::{Mode, Store};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn cards(n: usize) -> Vec<ClassCard> {
    (0..n)
        .map(|i| ClassCard {
            deck_id: "history".to_owned(),
            card_id: format!("c{i}"),
            category: if i % 2 == 0 { "date" } else { "actor" }.to_owned(),
            prompt: format!("Question {i}"),
        })
        .collect()
}

fn settings(new_per_day: u32) -> ClassSettings {
    ClassSettings {
        new_per_day,
        learning_steps: parse_steps("1m 10m").unwrap(),
        ..ClassSettings::from_profile(&Settings::default())
    }
}

/// A class "7b" of `names` over `n` cards, opened in UTC days starting at 04:00.
fn classroom(names: &[&str], n: usize, new_per_day: u32) -> Classroom {
    let mut store = Store::open_in_memory("teacher").unwrap();
    let roster: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
    let (class, _) = store
        .create_class(
            "7b",
            &["history".to_owned()],
            &settings(new_per_day),
            &roster,
            t0(),
        )
        .unwrap();
    let mut room = Classroom::with_cards(store, class, cards(n)).unwrap();
    room.set_study_days(StudyDays::new(0, 4));
    room
}

fn id_of(room: &Classroom, name: &str) -> String {
    room.join(name).unwrap().id
}

fn answer<'a>(
    student: &'a str,
    card: &'a str,
    right: bool,
    answer_id: &'a str,
    at: DateTime<Utc>,
    mode: Mode,
) -> StudentAnswer<'a> {
    StudentAnswer {
        student,
        deck_id: "history",
        card_id: card,
        right,
        answer_id,
        at,
        mode,
        answer_given: Some("x"),
        response_ms: 2000,
    }
}

fn queue_ids(room: &Classroom, student: &str, now: DateTime<Utc>) -> Vec<String> {
    room.student_queue(student, now)
        .unwrap()
        .into_iter()
        .map(|q| q.card_id)
        .collect()
}

#[test]
fn rosters_are_read_from_lines_or_csv_and_duplicates_refused_with_their_line() {
    let names: Vec<String> = parse_roster("Students\n\nAna Lima\n  José   Roy \n")
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect();
    assert_eq!(names, ["Ana Lima", "José Roy"]);
    let csv = "id,name\n1,Ana\n2,\n\n3,\"Roy, José\"\n";
    let read = parse_roster(csv).unwrap();
    assert_eq!(
        read.iter()
            .map(|n| (n.line, n.name.as_str()))
            .collect::<Vec<_>>(),
        [(2, "Ana"), (5, "Roy, José")]
    );
    let err = parse_roster("name\nAna\nBo\n\nANA \n").unwrap_err();
    assert_eq!(
        err,
        RosterError::Duplicate {
            line: 5,
            first: 2,
            name: "ANA".to_owned()
        }
    );
    assert!(err.to_string().starts_with("line 5: "), "{err}");
    // Accents and spaces do not make another name.
    assert!(matches!(
        parse_roster("Zoë Roy\nzoe   roy"),
        Err(RosterError::Duplicate {
            line: 2,
            first: 1,
            ..
        })
    ));
}

#[test]
fn the_roster_matches_names_without_case_accents_or_spaces_and_keeps_ids() {
    let room = classroom(&["José Roy", "Ana"], 3, 5);
    let jose = room.join("  jose   ROY ").unwrap();
    assert_eq!(jose.name, "José Roy");
    assert!(matches!(
        room.join("Joseph"),
        Err(ClassError::NotOnRoster { .. })
    ));
    assert_eq!(room.rejoin(&jose.token).unwrap().id, jose.id);
    assert!(matches!(room.rejoin("nope"), Err(ClassError::UnknownToken)));
    let class = room.class().clone();
    let mut store = room.into_store();
    // Adding a name already on the roster (folded) is refused, nothing added.
    let err = store
        .add_students(&class, &["Bo".to_owned(), "ANA".to_owned()], t0())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "\"ANA\" is already on the roster of 7b (as \"Ana\")"
    );
    assert_eq!(store.students(&class).unwrap().len(), 2);
    // Renaming keeps the id; resetting the phone changes the token only.
    let renamed = store
        .rename_student(&class, "jose roy", "José Roy-Lima")
        .unwrap();
    assert_eq!(renamed.id, jose.id);
    let reset = store.reset_student_token(&class, "José Roy-Lima").unwrap();
    assert_eq!(reset.id, jose.id);
    assert_ne!(reset.token, jose.token);
    assert!(store.student_by_token(&jose.token).unwrap().is_none());
    // A second class with the same name (folded) is refused.
    assert!(matches!(
        store.create_class(" 7B ", &[], &settings(5), &[], t0()),
        Err(ClassError::ClassExists(_))
    ));
    assert!(matches!(
        store.rename_student(&class, "José Roy-Lima", "   "),
        Err(ClassError::EmptyStudentName)
    ));
    let removed = store.remove_students(&class, &["ana".to_owned()]).unwrap();
    assert_eq!(removed[0].0.name, "Ana");
    assert_eq!(store.students(&class).unwrap().len(), 1);

    // A phone of another class is told so; deleting a class takes its students with it.
    let (other, students) = store
        .create_class("8a", &[], &settings(5), &["Dee".to_owned()], t0())
        .unwrap();
    let room = Classroom::with_cards(store, class.clone(), cards(3)).unwrap();
    assert!(matches!(
        room.rejoin(&students[0].token),
        Err(ClassError::OtherClass(_))
    ));
    let mut store = room.into_store();
    store.delete_class(&other).unwrap();
    assert!(
        store
            .student_by_token(&students[0].token)
            .unwrap()
            .is_none()
    );
    assert_eq!(store.classes().unwrap().len(), 1);
}

#[test]
fn students_with_different_histories_get_different_queues() {
    let mut room = classroom(&["Ana", "Bo"], 6, 3);
    let (ana, bo) = (id_of(&room, "Ana"), id_of(&room, "Bo"));
    let now = t0();
    // Both start with the first three new cards.
    assert_eq!(queue_ids(&room, &ana, now), ["c0", "c1", "c2"]);
    assert_eq!(queue_ids(&room, &bo, now), ["c0", "c1", "c2"]);
    // Ana learns c0 to review and misses c1; Bo studies nothing.
    for (i, (card, right)) in [("c0", true), ("c0", true), ("c1", false)]
        .into_iter()
        .enumerate()
    {
        let at = now + TimeDelta::minutes(15 * i as i64);
        room.record_student_answer(&answer(&ana, card, right, &format!("a{i}"), at, Mode::Srs))
            .unwrap();
    }
    let later = now + TimeDelta::hours(1);
    let queue = room.student_queue(&ana, later).unwrap();
    // c1 (learning, due) first; then the new cards left today: c2 (c0 and c1 used two of 3).
    assert_eq!(
        queue
            .iter()
            .map(|q| (q.card_id.as_str(), q.kind))
            .collect::<Vec<_>>(),
        [("c1", QueueKind::Learning), ("c2", QueueKind::New)]
    );
    assert_eq!(queue_ids(&room, &bo, later), ["c0", "c1", "c2"]);
    // Bo's schedule was never touched.
    assert!(room.student_states(&bo).unwrap().is_empty());
    assert_eq!(room.student_states(&ana).unwrap().len(), 2);
}

#[test]
fn a_wrong_card_comes_back_to_its_student_only_after_its_learning_step() {
    let mut room = classroom(&["Ana", "Bo"], 2, 1);
    let (ana, bo) = (id_of(&room, "Ana"), id_of(&room, "Bo"));
    let now = t0();
    let acked = room
        .record_student_answer(&answer(&ana, "c0", false, "w1", now, Mode::Srs))
        .unwrap();
    assert!(!acked.ack.right);
    assert_eq!(acked.ack.state, Some(State::Learning));
    let step = acked.ack.due.unwrap() - acked.ack.at;
    assert_eq!(step, TimeDelta::minutes(1));
    // Before the step: not in Ana's queue (her one new card for today is used).
    assert!(queue_ids(&room, &ana, now + TimeDelta::seconds(59)).is_empty());
    // After it: back to Ana.
    assert_eq!(queue_ids(&room, &ana, now + TimeDelta::seconds(61)), ["c0"]);
    // Bo's queue is his own: still his new card, never Ana's relearning.
    let bo_queue = room
        .student_queue(&bo, now + TimeDelta::seconds(61))
        .unwrap();
    assert_eq!(bo_queue.len(), 1);
    assert_eq!(bo_queue[0].kind, QueueKind::New);
}

#[test]
fn a_resent_answer_id_is_counted_once_with_the_same_ack() {
    let mut room = classroom(&["Ana"], 2, 5);
    let ana = id_of(&room, "Ana");
    let first = room
        .record_student_answer(&answer(&ana, "c0", true, "phone-1", t0(), Mode::Srs))
        .unwrap();
    assert!(!first.repeated);
    // The phone lost the connection and sends it again, a little later.
    let again = room
        .record_student_answer(&answer(
            &ana,
            "c0",
            true,
            "phone-1",
            t0() + TimeDelta::seconds(30),
            Mode::Srs,
        ))
        .unwrap();
    assert!(again.repeated);
    assert_eq!(again.ack, first.ack);
    let student = room.join("Ana").unwrap();
    assert_eq!(room.store().student_reviews(student.key).unwrap().len(), 1);
    assert_eq!(
        room.student_states(&ana)
            .unwrap()
            .values()
            .next()
            .unwrap()
            .reps,
        1
    );
    // The same id for another card is refused, not taken as that card's answer.
    assert!(matches!(
        room.record_student_answer(&answer(&ana, "c1", true, "phone-1", t0(), Mode::Srs)),
        Err(ClassError::AnswerIdReused { .. })
    ));
    // A card not in the class's decks is refused.
    let mut other = answer(&ana, "c0", true, "phone-2", t0(), Mode::Srs);
    other.deck_id = "geography";
    assert!(matches!(
        room.record_student_answer(&other),
        Err(ClassError::NotInClass { .. })
    ));
    for bad in ["", "with space", "é", &"x".repeat(65)] {
        assert!(matches!(
            room.record_student_answer(&answer(&ana, "c0", true, bad, t0(), Mode::Srs)),
            Err(ClassError::BadAnswerId)
        ));
    }
}

#[test]
fn an_answer_resent_after_the_host_restarts_gets_the_same_ack() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("teacher.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let (class, students) = store
        .create_class("7b", &[], &settings(5), &["Ana".to_owned()], t0())
        .unwrap();
    let ana = students[0].id.clone();
    let mut room = Classroom::with_cards(store, class.clone(), cards(2)).unwrap();
    let first = room
        .record_student_answer(&answer(&ana, "c0", false, "k-1", t0(), Mode::Srs))
        .unwrap();
    drop(room);
    let mut room = Classroom::with_cards(Store::open(&db).unwrap(), class, cards(2)).unwrap();
    let again = room
        .record_student_answer(&answer(
            &ana,
            "c0",
            false,
            "k-1",
            t0() + TimeDelta::minutes(3),
            Mode::Srs,
        ))
        .unwrap();
    assert!(again.repeated);
    assert_eq!(again.ack, first.ack);
    assert_eq!(
        room.student_states(&ana)
            .unwrap()
            .values()
            .next()
            .unwrap()
            .reps,
        1
    );
}

#[test]
fn drill_answers_are_logged_but_never_move_a_schedule() {
    let mut room = classroom(&["Ana"], 2, 5);
    let ana = id_of(&room, "Ana");
    room.record_student_answer(&answer(&ana, "c0", true, "s1", t0(), Mode::Srs))
        .unwrap();
    let before = room.student_states(&ana).unwrap();
    let queue_before = queue_ids(&room, &ana, t0() + TimeDelta::minutes(5));
    for i in 0..4 {
        let at = t0() + TimeDelta::seconds(10 + i);
        let card = if i % 2 == 0 { "c0" } else { "c1" };
        let acked = room
            .record_student_answer(&answer(
                &ana,
                card,
                i % 3 == 0,
                &format!("d{i}"),
                at,
                Mode::Drill,
            ))
            .unwrap();
        assert_eq!(acked.ack.mode, Mode::Drill);
        assert_eq!(acked.ack.due, None);
    }
    assert_eq!(room.student_states(&ana).unwrap(), before);
    assert_eq!(
        queue_ids(&room, &ana, t0() + TimeDelta::minutes(5)),
        queue_before
    );
    let student = room.join("Ana").unwrap();
    assert_eq!(room.store().student_reviews(student.key).unwrap().len(), 5);
}

/// Three students over four cards: a strong, a middling and a weak one.
fn studied_class() -> Classroom {
    let mut room = classroom(&["Ana", "Bo", "Cy"], 4, 10);
    let results = [
        ("Ana", [true, true, true, true]),
        ("Bo", [true, true, false, true]),
        ("Cy", [false, true, false, false]),
    ];
    for (s, (name, rights)) in results.iter().enumerate() {
        let id = id_of(&room, name);
        for (i, right) in rights.iter().enumerate() {
            let at = t0() + TimeDelta::seconds((s * 10 + i) as i64);
            room.record_student_answer(&answer(
                &id,
                &format!("c{i}"),
                *right,
                &format!("{name}-{i}"),
                at,
                Mode::Srs,
            ))
            .unwrap();
        }
    }
    room
}

#[test]
fn the_json_report_has_each_student_and_card_with_discrimination() {
    let room = studied_class();
    let now = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
    let built = report::load(room.store(), room.class(), room.cards(), &now).unwrap();
    let json: serde_json::Value = serde_json::from_str(&built.to_json()).unwrap();
    assert_eq!(json["format"], "flashdrill-class-report/1");
    let students = json["students"].as_array().unwrap();
    assert_eq!(students.len(), 3);
    let bo = students.iter().find(|s| s["name"] == "Bo").unwrap();
    assert_eq!(bo["reviews"], 4);
    assert_eq!(bo["right"], 3);
    let bo_cards = bo["cards"].as_array().unwrap();
    assert_eq!(bo_cards.len(), 4);
    assert_eq!(bo_cards[0]["card"], "history/c0");
    assert_eq!(bo_cards[0]["reviews"], 1);
    assert!(bo_cards[0]["due"].is_string());
    assert_eq!(bo["sessions"].as_array().unwrap().len(), 1);
    let cards = json["cards"].as_array().unwrap();
    let c0 = cards.iter().find(|c| c["card"] == "history/c0").unwrap();
    assert_eq!(c0["answered"], 3);
    assert_eq!(c0["right"], 2);
    // c0 is right for the two stronger students and wrong for the weakest: it discriminates.
    assert!(c0["discrimination"].as_f64().unwrap() > 0.5, "{c0}");
    // c1 everyone got right: it cannot tell anyone apart.
    let c1 = cards.iter().find(|c| c["card"] == "history/c1").unwrap();
    assert!(c1["discrimination"].is_null());
    // The heatmap: students × categories, Cy got 1 of 2 actor cards (c1, c3) right.
    let heat = &json["heatmap"];
    let cats: Vec<&str> = heat["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let actor = cats.iter().position(|c| *c == "actor").unwrap();
    let cy = heat["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Cy")
        .unwrap();
    assert_eq!(cy["cells"][actor]["answered"], 2);
    assert_eq!(cy["cells"][actor]["right"], 1);

    let csv = built.to_csv();
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("name,student_id,answers,right,accuracy")
    );
    assert_eq!(lines.count(), 3);
    let html = built.to_html();
    assert!(html.contains("<h1>Class report: 7b</h1>"));
    assert!(!html.contains("<script"));
}

#[test]
fn a_students_progress_goes_home_and_imports_into_their_own_copy() {
    let mut room = studied_class();
    let cy = id_of(&room, "Cy");
    room.record_student_answer(&answer(
        &cy,
        "c0",
        true,
        "cy-drill",
        t0() + TimeDelta::minutes(5),
        Mode::Drill,
    ))
    .unwrap();
    let student = room.join("Cy").unwrap();
    let file = export_student(room.store(), &student).unwrap();
    assert_eq!(file.reviews.len(), 5);
    assert_eq!(file.cards.len(), 4);
    // Through the file's text, as `flashdrill progress import` reads it.
    let parsed = ProgressFile::parse(&file.to_json()).unwrap();
    let mut home = Store::open_in_memory("cy").unwrap();
    let summary = home
        .import_progress(&parsed, &room.store().load_settings().unwrap())
        .unwrap();
    assert_eq!(summary.reviews_added, 5);
    assert_eq!(summary.cards_rebuilt, 4);
    let reviews = home.all_reviews().unwrap();
    assert_eq!(reviews.iter().filter(|r| r.mode == Mode::Drill).count(), 1);
    // Each card's state at home is what the class had for Cy (the steps are the same here).
    let states = room.student_states(&cy).unwrap();
    for ((deck, card), s) in &states {
        let at_home = home.card(deck, card).unwrap().unwrap();
        assert_eq!(at_home.card.state, s.state, "{card}");
        assert_eq!(at_home.card.reps, s.reps, "{card}");
        assert_eq!(at_home.card.due, s.due, "{card}");
    }
    // Importing again adds nothing.
    let again = home
        .import_progress(&parsed, &room.store().load_settings().unwrap())
        .unwrap();
    assert_eq!(again.reviews_added, 0);
}

#[test]
fn thirty_phones_answering_from_threads_each_count_once_and_keep_their_own_queue() {
    use std::sync::{Arc, Mutex};
    let names: Vec<String> = (0..30).map(|i| format!("Student {i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let room = classroom(&refs, 10, 5);
    let ids: Vec<String> = names.iter().map(|n| id_of(&room, n)).collect();
    let room = Arc::new(Mutex::new(room));
    // Four server tasks; each phone answers its first card, re-sends it (the ack was lost),
    // then answers its second card right. Students whose number is not a multiple of 3 get
    // the first card wrong.
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let room = Arc::clone(&room);
            let ids = ids.clone();
            std::thread::spawn(move || {
                for (i, id) in ids.iter().enumerate().skip(t).step_by(4) {
                    for step in 0..3 {
                        let mut room = room.lock().unwrap();
                        let card = if step == 2 { "c1" } else { "c0" };
                        let answer_id = format!("{i}-{card}");
                        let right = (step == 2) || i % 3 == 0;
                        let at = t0() + TimeDelta::seconds(step);
                        let acked = room
                            .record_student_answer(&answer(
                                id,
                                card,
                                right,
                                &answer_id,
                                at,
                                Mode::Srs,
                            ))
                            .unwrap();
                        assert_eq!(acked.repeated, step == 1);
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let room = Arc::into_inner(room).unwrap().into_inner().unwrap();
    let later = t0() + TimeDelta::minutes(2);
    for (i, id) in ids.iter().enumerate() {
        let student = room.join(&names[i]).unwrap();
        assert_eq!(room.store().student_reviews(student.key).unwrap().len(), 2);
        let queue = queue_ids(&room, id, later);
        // A wrong c0 is back (its 1-minute step is over) before the new cards; a right one
        // waits for its 10-minute step.
        let wrong = i % 3 != 0;
        assert_eq!(
            queue.first().map(String::as_str) == Some("c0"),
            wrong,
            "{i}: {queue:?}"
        );
        assert!(!queue.contains(&"c1".to_owned()), "{i}: {queue:?}");
    }
}

const CLASS_DB_ENV: &str = "FLASHDRILL_CLASS_CRASH_DB";

/// Answers as a class's server would, printing `acked <student key> <answer id>` once each
/// answer is committed, until killed (or `limit` answers).
fn class_answer_loop(path: &std::path::Path, seed: u64, limit: Option<usize>) {
    use rand::{RngExt, SeedableRng};
    use std::io::Write;
    let store = Store::open(path).unwrap();
    let class = store.class_named("7b").unwrap();
    let mut room = Classroom::with_cards(store, class, cards(20)).unwrap();
    let students = room.students().unwrap();
    let mut rng = rand::rngs::SmallRng::seed_from_u64(seed);
    let mut now = Utc::now();
    let stdout = std::io::stdout();
    let mut n = 0;
    while limit.is_none_or(|l| n < l) {
        n += 1;
        let s = &students[rng.random_range(0..students.len())];
        now += TimeDelta::minutes(rng.random_range(1..=600));
        let queue = room.student_queue(&s.id, now).unwrap();
        let (card, mode) = match queue.first() {
            Some(q) if !rng.random_ratio(1, 8) => (q.card_id.clone(), Mode::Srs),
            _ => (format!("c{}", rng.random_range(0..20)), Mode::Drill),
        };
        let answer_id = format!("{seed}-{n}");
        let acked = room
            .record_student_answer(&answer(
                &s.id,
                &card,
                rng.random_ratio(3, 4),
                &answer_id,
                now,
                mode,
            ))
            .unwrap();
        assert!(!acked.repeated);
        let mut out = stdout.lock();
        writeln!(out, "acked {} {answer_id}", s.key).unwrap();
        out.flush().unwrap();
    }
}

/// Every acknowledged answer is in the database, and each student's schedule of a card is the
/// state after their latest srs answer to it. Returns the answers present.
fn check_class_database(path: &std::path::Path) -> std::collections::BTreeSet<(i64, String)> {
    let store = Store::open(path).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let class = store.class_named("7b").unwrap();
    let mut present = std::collections::BTreeSet::new();
    for s in store.students(&class).unwrap() {
        let mut last = std::collections::HashMap::new();
        for r in store.student_reviews(s.key).unwrap() {
            present.insert((s.key, r.answer_id.clone()));
            if let Some(after) = r.review.state_after {
                last.insert((r.review.deck_id.clone(), r.review.card_id.clone()), after);
            }
        }
        let stored: std::collections::HashMap<_, _> = store
            .student_cards(s.key)
            .unwrap()
            .into_iter()
            .map(|c| ((c.deck_id, c.card_id), c.progress.card))
            .collect();
        assert_eq!(stored, last, "{}", s.name);
    }
    present
}

#[test]
fn killing_the_class_host_loses_no_acknowledged_answer() {
    use rand::{RngExt, SeedableRng};
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("teacher.sqlite3");
    {
        let mut store = Store::open(&db).unwrap();
        let names: Vec<String> = (0..10).map(|i| format!("Student {i}")).collect();
        store
            .create_class("7b", &["history".to_owned()], &settings(5), &names, t0())
            .unwrap();
    }
    let exe = std::env::current_exe().unwrap();
    let mut rng = rand::rngs::SmallRng::seed_from_u64(
        u64::try_from(Utc::now().timestamp_nanos_opt().unwrap_or(1)).unwrap_or(1),
    );
    let mut acked = std::collections::BTreeSet::new();
    for kill in 0..6 {
        let mut child = std::process::Command::new(&exe)
            .args([
                "class::class_crash_child",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CLASS_DB_ENV, &db)
            .env(
                "FLASHDRILL_CLASS_CRASH_SEED",
                rng.random::<u32>().to_string(),
            )
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut line = Vec::new();
        let mut wanted = rng.random_range(1..200);
        // Kill the child once it has acknowledged `wanted` answers (in the middle of the
        // next one, or between two).
        while wanted > 0 {
            line.clear();
            assert!(
                lines.read_until(b'\n', &mut line).unwrap() > 0,
                "the child stopped"
            );
            let text = String::from_utf8_lossy(&line);
            if let Some(rest) = text.trim_end().strip_prefix("acked ") {
                let (key, id) = rest.split_once(' ').unwrap();
                acked.insert((key.parse::<i64>().unwrap(), id.to_owned()));
                wanted -= 1;
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        // Lines written before the kill and not yet read are acknowledgements too.
        loop {
            line.clear();
            if lines.read_until(b'\n', &mut line).unwrap_or(0) == 0 {
                break;
            }
            let text = String::from_utf8_lossy(&line);
            if let Some(rest) = text
                .strip_suffix('\n')
                .and_then(|t| t.strip_prefix("acked "))
            {
                let (key, id) = rest.split_once(' ').unwrap();
                acked.insert((key.parse::<i64>().unwrap(), id.to_owned()));
            }
        }
        let present = check_class_database(&db);
        let lost: Vec<_> = acked.difference(&present).collect();
        assert!(
            lost.is_empty(),
            "kill {kill}: acknowledged but lost: {lost:?}"
        );
    }
}

/// The child of `killing_the_class_host_loses_no_acknowledged_answer`. Run on its own, it
/// answers 200 times in a fresh database and checks it.
#[test]
#[ignore = "run by killing_the_class_host_loses_no_acknowledged_answer as its child process"]
fn class_crash_child() {
    let seed = std::env::var("FLASHDRILL_CLASS_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(7);
    if let Some(db) = std::env::var_os(CLASS_DB_ENV) {
        class_answer_loop(std::path::Path::new(&db), seed, None);
    } else {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("alone.sqlite3");
        {
            let mut store = Store::open(&db).unwrap();
            store
                .create_class(
                    "7b",
                    &[],
                    &settings(5),
                    &["Ana".to_owned(), "Bo".to_owned()],
                    t0(),
                )
                .unwrap();
        }
        class_answer_loop(&db, seed, Some(200));
        assert_eq!(check_class_database(&db).len(), 200);
    }
}
