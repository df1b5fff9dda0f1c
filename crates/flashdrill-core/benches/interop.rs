//! Importing a big Anki package: 50,000 notes in 10 decks and 500,000 review-log entries (ten
//! answers per card), made by the generator below in the bench's setup, into a fresh profile
//! database on a temp file and a fresh deck folder. Target: ≤ 10 s.
//!
//! `INTEROP_BENCH_WRITE=big.apkg cargo bench -p flashdrill-core --bench interop` only writes the
//! package (for measuring the CLI's peak memory with `/usr/bin/time -v flashdrill import`).

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{BatchSize, Criterion};
use flashdrill_core::interop::{ImportOptions, import_files};
use flashdrill_core::store::Store;
use rusqlite::{Connection, params};

/// The allocator the app itself runs with (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const NOTES: usize = 50_000;
const REVIEWS_PER_CARD: usize = 10;
const DECKS: usize = 10;
/// 2024-01-01T10:00:00Z.
const T0: i64 = 1_704_103_200_000;
const DAY_MS: i64 = 86_400_000;

/// Writes a schema-11 package (`collection.anki21` + an empty media map) to `out`.
fn write_package(out: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("collection.anki21");
    let mut conn = Connection::open(&db).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = OFF;
         CREATE TABLE col (id integer PRIMARY KEY, crt integer, mod integer, scm integer,
           ver integer, dty integer, usn integer, ls integer, conf text, models text, decks text,
           dconf text, tags text);
         CREATE TABLE notes (id integer PRIMARY KEY, guid text, mid integer, mod integer,
           usn integer, tags text, flds text, sfld integer, csum integer, flags integer, data text);
         CREATE TABLE cards (id integer PRIMARY KEY, nid integer, did integer, ord integer,
           mod integer, usn integer, type integer, queue integer, due integer, ivl integer,
           factor integer, reps integer, lapses integer, left integer, odue integer,
           odid integer, flags integer, data text);
         CREATE TABLE revlog (id integer PRIMARY KEY, cid integer, usn integer, ease integer,
           ivl integer, lastIvl integer, factor integer, time integer, type integer);",
    )
    .unwrap();
    let decks: serde_json::Map<String, serde_json::Value> = (0..DECKS)
        .map(|d| {
            (
                (d + 100).to_string(),
                serde_json::json!({"id": d + 100, "name": format!("Bench::Deck {d}")}),
            )
        })
        .collect();
    let tx = conn.transaction().unwrap();
    tx.execute(
        "INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', ?1, ?2, '{}', '{}')",
        params![
            r#"{"1": {"id": 1, "name": "Basic", "type": 0}}"#,
            serde_json::Value::Object(decks).to_string()
        ],
    )
    .unwrap();
    {
        let mut note = tx
            .prepare("INSERT INTO notes VALUES (?1, ?2, 1, 0, 0, ' bench ', ?3, '', 0, 0, '')")
            .unwrap();
        let mut card = tx
            .prepare(
                "INSERT INTO cards VALUES (?1, ?2, ?3, 0, 0, 0, 2, 2, 100, 30, 2500, 10, 1, 0, 0, \
                 0, 0, '')",
            )
            .unwrap();
        let mut review = tx
            .prepare("INSERT INTO revlog VALUES (?1, ?2, 0, ?3, 1, 1, 2500, 4200, ?4)")
            .unwrap();
        let eases = [3, 3, 1, 3, 3, 4, 3, 2, 3, 3];
        for i in 0..NOTES {
            let nid = i as i64 + 1;
            note.execute(params![
                nid,
                format!("bench-guid-{i}"),
                format!(
                    "Question {i}: what is <b>{i}</b>&nbsp;squared?\u{1f}{}",
                    i * i
                )
            ])
            .unwrap();
            let cid = 1_000_000 + i as i64;
            card.execute(params![cid, nid, (i % DECKS) as i64 + 100])
                .unwrap();
            for (j, ease) in eases.iter().enumerate().take(REVIEWS_PER_CARD) {
                let at = T0 + j as i64 * 3 * DAY_MS + i as i64 * 1000;
                review
                    .execute(params![at, cid, ease, i64::from(j > 0)])
                    .unwrap();
            }
        }
    }
    tx.commit().unwrap();
    drop(conn);
    let mut zip = zip::ZipWriter::new(fs::File::create(out).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("collection.anki21", options).unwrap();
    zip.write_all(&fs::read(&db).unwrap()).unwrap();
    zip.start_file("media", options).unwrap();
    zip.write_all(b"{}").unwrap();
    zip.finish().unwrap();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("big.apkg");
    write_package(&package);
    let mut group = c.benchmark_group("interop");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(90));
    group.bench_function("import 50,000 notes + 500,000 reviews", |b| {
        b.iter_batched(
            || {
                let run = tempfile::tempdir().unwrap();
                let store = Store::open(&run.path().join("me.sqlite3")).unwrap();
                (run, store)
            },
            |(run, mut store)| {
                let cancel = AtomicBool::new(false);
                let report = import_files(
                    std::slice::from_ref(&package),
                    &mut store,
                    &run.path().join("decks"),
                    &ImportOptions::default(),
                    &|_| {},
                    &cancel,
                )
                .unwrap();
                assert_eq!(report.cards_added, NOTES);
                assert_eq!(report.reviews_added, NOTES * REVIEWS_PER_CARD);
                (run, store)
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

fn main() {
    if let Some(out) = std::env::var_os("INTEROP_BENCH_WRITE") {
        write_package(Path::new(&out));
        println!("wrote {}", Path::new(&out).display());
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
