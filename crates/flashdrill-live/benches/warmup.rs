//! A spaced warm-up of 200 students on loopback, each answering their own cards at random
//! moments (a pause of 50–350 ms between an acknowledgement and the next answer, under the
//! per-connection rate limit). The class is the tests' in-memory class, committing every
//! answer to a SQLite file in WAL mode with `synchronous=NORMAL` before it is acknowledged.
//!
//! One criterion iteration is one answer: its time is answer sent → committed → ack received.
//! The median and p99 over every answer are printed after the run, then the check that no
//! answer was lost or doubled: every acknowledged answer id is in the class's log and its
//! SQLite file exactly once, and one answer in 25 is sent again with the same id (as a phone
//! does after a reconnect) and gets the same ack without being counted again.
//!
//! Server, students and SQLite share the machine's cores: an upper bound for a classroom.

#[path = "../tests/support/class.rs"]
mod class;

mod support;

use std::sync::Arc;

use class::{FakeCard, FakeClass};
use criterion::{Criterion, criterion_group, criterion_main};
use flashdrill_live::warmup::Given;
use serde_json::json;
use support::STUDENTS;
use support::stats::spread;

const CARDS: usize = 300;

fn warmup(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (0..STUDENTS).map(|n| format!("Student {n}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let cards: Vec<FakeCard> = (0..CARDS)
        .map(|i| {
            FakeCard::choice(
                &format!("d/c{i}"),
                &format!("Card {i}?"),
                &["A", "B", "C", "D"],
                i % 4,
            )
        })
        .collect();
    let class = Arc::new(
        FakeClass::new("bench", &names, cards, CARDS)
            .with_journal(&dir.path().join("class.sqlite")),
    );
    let server = support::serve(Arc::clone(&class) as _);
    let cards = Arc::clone(&class);
    let answer = move |_: &_, card: &str, id: &str, right: bool| {
        let fake = cards.card(card);
        let given = if right {
            fake.right_answer()
        } else {
            fake.wrong_answer()
        };
        let Given::Choice(choice) = given else {
            return Err("the bench's deck is multiple choice".into());
        };
        Ok(json!({"type": "answer", "card": card, "id": id, "choice": choice}))
    };
    let log = |n| class.log(n).into_iter().map(|l| l.answer_id).collect();
    let run = support::run(c, "warmup", &server, answer, log);
    assert_eq!(class.total_answers(), run.acked, "answers lost or doubled");
    assert_eq!(
        class.journal_answers(),
        run.acked,
        "answers lost or doubled in SQLite"
    );
    println!(
        "{STUDENTS} students, {} answers ({} sent twice): answer → committed → ack {}; \
         {} answers at most in the store at once; 0 lost, 0 doubled",
        run.rtts.len(),
        run.resent,
        spread(&run.rtts),
        class.most_at_once(),
    );
    let commits = class.commit_times();
    if !commits.is_empty() {
        println!(
            "commits (waiting for the SQLite file included): {}",
            spread(&commits)
        );
    }
    server.stop();
}

criterion_group!(benches, warmup);
criterion_main!(benches);
