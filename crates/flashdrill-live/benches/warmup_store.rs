//! The spaced warm-up of `benches/warmup.rs` over the real class memory: 200 students of a
//! class in a teacher's profile database (flashdrill-core's `Classroom`, through the app's
//! `CoreClass`), each answering their own queue of the bundled decks at random moments. Every
//! answer goes through the student's own FSRS schedule and is committed to the profile's
//! SQLite file before it is acknowledged.
//!
//! One criterion iteration is one answer: its time is answer sent → committed → ack received.
//! The median and p99 over every answer are printed after the run, then the check that no
//! answer was lost or doubled: every acknowledged answer id is in the class's log and its
//! SQLite file exactly once, and one answer in 25 is sent again with the same id (as a phone
//! does after a reconnect) and gets the same ack without being counted again.
//!
//! Server, students and SQLite share the machine's cores: an upper bound for a classroom.

mod support;

use std::sync::Arc;

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use flashdrill_core::class::{ClassSettings, Classroom};
use flashdrill_core::deck::Library;
use flashdrill_core::settings::Settings;
use flashdrill_core::store::{Mode, Store};
use flashdrill_live::warmup::CoreClass;
use serde_json::{Value, json};
use support::STUDENTS;
use support::stats::spread;

/// The answer message for the card on show: right (from the deck) or wrong.
fn answer(
    library: &Library,
    state: &Value,
    card: &str,
    id: &str,
    right: bool,
) -> Result<Value, String> {
    let (deck, card_id) = card.split_once('/').ok_or("a card id is deck/card")?;
    let answer = library
        .deck(deck)
        .and_then(|d| d.deck.card(card_id))
        .ok_or_else(|| format!("no card {card}"))?
        .answer
        .clone();
    let mut msg = json!({"type": "answer", "card": card, "id": id});
    if state["card"]["form"] == "choice" {
        let options = state["card"]["options"].as_array().ok_or("options")?;
        let at = options
            .iter()
            .position(|o| o.as_str() == Some(answer.as_str()))
            .ok_or("the answer among the options")?;
        msg["choice"] = json!(if right { at } else { (at + 1) % options.len() });
    } else {
        msg["text"] = json!(if right { answer.as_str() } else { "no idea" });
    }
    Ok(msg)
}

fn warmup_store(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (0..STUDENTS).map(|n| format!("Student {n}")).collect();
    let library = Arc::new(flashdrill_core::deck::load_library(&[], true));
    let decks: Vec<String> = library.deck_ids().into_iter().map(str::to_owned).collect();
    let db = dir.path().join("teacher.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let mut settings = ClassSettings::from_profile(&Settings::default());
    settings.new_per_day = 9999;
    store
        .create_class("bench", &decks, &settings, &names, Utc::now())
        .unwrap();
    drop(store);
    let room = Classroom::open(Store::open_another(&db).unwrap(), "bench", &library).unwrap();
    let study = Arc::new(CoreClass::new(room, &library, Mode::Srs, 7));
    let server = support::serve(study);
    let answer = move |state: &Value, card: &str, id: &str, right: bool| {
        answer(&library, state, card, id, right)
    };
    let check = Store::open_another(&db).unwrap();
    let class = check.class_named("bench").unwrap();
    let log = |n| {
        let student = check.find_student(&class, &format!("Student {n}")).unwrap();
        check
            .student_reviews(student.key)
            .unwrap()
            .into_iter()
            .map(|r| r.answer_id)
            .collect()
    };
    let run = support::run(c, "warmup_store", &server, answer, log);
    assert_eq!(
        check.class_reviews(&class).unwrap().len(),
        run.acked,
        "answers lost or doubled in the profile database"
    );
    println!(
        "{STUDENTS} students, {} answers ({} sent twice): answer → committed → ack {}; \
         0 lost, 0 doubled",
        run.rtts.len(),
        run.resent,
        spread(&run.rtts),
    );
    server.stop();
}

criterion_group!(benches, warmup_store);
criterion_main!(benches);
