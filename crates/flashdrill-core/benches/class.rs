//! Class memory: a student's answer committed and acknowledged (WAL on a temp file), a
//! student's queue, and the class report, for a class of 200 students over 300 cards with
//! three weeks of answers (about 36,000 rows).

use std::hint::black_box;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use criterion::Criterion;
use flashdrill_core::class::{ClassCard, ClassSettings, Classroom, StudentAnswer, report};
use flashdrill_core::schedule::StudyDays;
use flashdrill_core::settings::Settings;
use flashdrill_core::store::{Mode, Store};

/// The allocator the app itself runs with (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const STUDENTS: usize = 200;
const CARDS: usize = 300;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 2, 2, 9, 0, 0).unwrap()
}

fn cards() -> Vec<ClassCard> {
    (0..CARDS)
        .map(|i| ClassCard {
            deck_id: "history".to_owned(),
            card_id: format!("card-{i:04}"),
            category: ["date", "actor", "term"][i % 3].to_owned(),
            prompt: format!("Question {i}"),
        })
        .collect()
}

/// The class with `STUDENTS` students, each having studied their queue for 15 minutes on each
/// of three lessons a week for three weeks (answers right about 80 % of the time).
fn fixture(dir: &std::path::Path) -> (Classroom, Vec<String>, DateTime<Utc>) {
    let mut store = Store::open(&dir.join("teacher.sqlite3")).unwrap();
    let names: Vec<String> = (0..STUDENTS).map(|i| format!("Student {i:03}")).collect();
    let settings = ClassSettings::from_profile(&Settings::default());
    let (class, students) = store
        .create_class("7b", &["history".to_owned()], &settings, &names, start())
        .unwrap();
    let ids: Vec<String> = students.into_iter().map(|s| s.id).collect();
    let mut room = Classroom::with_cards(store, class, cards()).unwrap();
    room.set_study_days(StudyDays::new(0, 4));
    let mut n = 0u64;
    let mut lesson = start();
    for _ in 0..9 {
        for (s, id) in ids.iter().enumerate() {
            let mut at = lesson;
            for _ in 0..20 {
                let Some(next) = room.student_queue(id, at).unwrap().into_iter().next() else {
                    break;
                };
                n += 1;
                let answer_id = format!("a{n}");
                room.record_student_answer(&StudentAnswer {
                    student: id,
                    deck_id: &next.deck_id,
                    card_id: &next.card_id,
                    right: !(n * 7 + s as u64).is_multiple_of(5),
                    answer_id: &answer_id,
                    at,
                    mode: Mode::Srs,
                    answer_given: None,
                    response_ms: 3000,
                })
                .unwrap();
                at += TimeDelta::seconds(40);
            }
        }
        lesson += TimeDelta::days(2) + TimeDelta::hours(8);
    }
    (room, ids, lesson)
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (mut room, ids, lesson) = fixture(dir.path());
    let mut group = c.benchmark_group("class");
    group.sample_size(30);

    let mut i = 0usize;
    let mut at = lesson;
    group.bench_function("answer_committed_200_students", |b| {
        b.iter(|| {
            i += 1;
            at += TimeDelta::milliseconds(5);
            let id = &ids[i % STUDENTS];
            let card = format!("card-{:04}", i % CARDS);
            let answer_id = format!("bench-{i}");
            black_box(
                room.record_student_answer(&StudentAnswer {
                    student: id,
                    deck_id: "history",
                    card_id: &card,
                    right: !i.is_multiple_of(4),
                    answer_id: &answer_id,
                    at,
                    mode: Mode::Srs,
                    answer_given: Some("x"),
                    response_ms: 2500,
                })
                .unwrap(),
            )
        });
    });

    group.bench_function("resent_answer_acked_again", |b| {
        let id = &ids[0];
        b.iter(|| {
            black_box(
                room.record_student_answer(&StudentAnswer {
                    student: id,
                    deck_id: "history",
                    card_id: "card-0000",
                    right: true,
                    answer_id: "a1",
                    at: lesson,
                    mode: Mode::Srs,
                    answer_given: None,
                    response_ms: 0,
                })
                .unwrap(),
            )
        });
    });

    group.bench_function("student_queue_300_cards", |b| {
        let mut k = 0;
        b.iter(|| {
            k += 1;
            black_box(room.student_queue(&ids[k % STUDENTS], at).unwrap())
        });
    });

    group.sample_size(10);
    group.bench_function("report_200_students", |b| {
        b.iter(|| {
            black_box(report::load(room.store(), room.class(), room.cards(), &at).unwrap())
                .to_json()
        });
    });
    group.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
