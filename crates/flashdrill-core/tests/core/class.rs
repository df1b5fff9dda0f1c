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
    assert!(matches!(
        room.record_student_answer(&answer(&ana, "c0", true, "", t0(), Mode::Srs)),
        Err(ClassError::BadAnswerId)
    ));
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
