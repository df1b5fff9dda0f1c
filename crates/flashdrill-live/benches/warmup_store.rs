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

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use flashdrill_core::class::{ClassSettings, Classroom};
use flashdrill_core::deck::Library;
use flashdrill_core::settings::Settings;
use flashdrill_core::store::{Mode, Store};
use flashdrill_live::warmup::CoreClass;
use flashdrill_live::{LiveConfig, LiveWarmup};
use futures_util::SinkExt as _;
use serde_json::{Value, json};
use support::{Done, percentile, recv};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

const PIN: &str = "135791";
const STUDENTS: usize = 200;
/// One answer in this many is sent a second time with the same id.
const RESEND_EVERY: usize = 25;

/// One student: joins by name, then answers its cards at random moments until told to stop
/// or nothing is left; reports each answer's round trip.
async fn student(
    addr: SocketAddr,
    n: usize,
    library: Arc<Library>,
    stop: Arc<AtomicBool>,
    rtts: mpsc::UnboundedSender<Result<Duration, String>>,
) -> Result<Done, String> {
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws"))
        .await
        .map_err(|e| e.to_string())?;
    let join = json!({"type": "join", "pin": PIN, "name": format!("student {n}")});
    ws.send(Message::text(join.to_string()))
        .await
        .map_err(|e| e.to_string())?;
    let welcome = recv(&mut ws).await?;
    if welcome["type"] != "welcome" {
        return Err(format!("student {n} not welcomed: {welcome}"));
    }
    let mut state = recv(&mut ws).await?;
    let mut done = Done {
        acked: Vec::new(),
        resent: 0,
    };
    while state["phase"] == "study" && !stop.load(Ordering::Relaxed) {
        let pause = rand::random_range(50..350u64);
        tokio::time::sleep(Duration::from_millis(pause)).await;
        let card = state["card"]["id"].as_str().unwrap_or_default().to_owned();
        let right = rand::random_range(0..10) >= 3;
        let id = format!("s{n}-{}", done.acked.len());
        let msg = answer(&library, &state, &card, &id, right)?.to_string();
        let sent = Instant::now();
        ws.send(Message::text(msg.clone()))
            .await
            .map_err(|e| e.to_string())?;
        let ack = recv(&mut ws).await?;
        let rtt = sent.elapsed();
        if ack["type"] != "ack" || ack["id"] != id.as_str() {
            let _ = rtts.send(Err(format!("student {n}: {ack}")));
            return Err(format!("student {n}: {ack}"));
        }
        let _ = rtts.send(Ok(rtt));
        done.acked.push(id);
        state = recv(&mut ws).await?;
        if done.acked.len().is_multiple_of(RESEND_EVERY) {
            // As after a reconnect: the same answer again gets the same ack and counts once.
            ws.send(Message::text(msg))
                .await
                .map_err(|e| e.to_string())?;
            let again = recv(&mut ws).await?;
            if again["right"] != ack["right"] || again["id"] != ack["id"] {
                return Err(format!("student {n}: {again} after {ack}"));
            }
            state = recv(&mut ws).await?;
            done.resent += 1;
        }
    }
    let _ = ws.close(None).await;
    Ok(done)
}

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
    let config = LiveConfig {
        pin: Some(PIN.into()),
        port: 0,
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        ..LiveConfig::default()
    };
    let server = LiveWarmup::start(&config, study, Duration::from_hours(1)).unwrap();
    let addr = server.local_addr();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let started = Instant::now();
    let students: Vec<_> = (0..STUDENTS)
        .map(|n| {
            runtime.spawn(student(
                addr,
                n,
                Arc::clone(&library),
                Arc::clone(&stop),
                tx.clone(),
            ))
        })
        .collect();
    drop(tx);
    while server.snapshot().students.len() < STUDENTS {
        std::thread::sleep(Duration::from_millis(5));
    }
    println!(
        "{STUDENTS} students joined in {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let mut all = support::measure(c, "warmup_store", STUDENTS, &runtime, &mut rx);
    stop.store(true, Ordering::Relaxed);
    let check = Store::open_another(&db).unwrap();
    let class = check.class_named("bench").unwrap();
    let mut acked = 0;
    let mut resent = 0;
    for (n, handle) in students.into_iter().enumerate() {
        let done = runtime
            .block_on(handle)
            .unwrap()
            .unwrap_or_else(|e| panic!("{e}"));
        let student = check.find_student(&class, &format!("Student {n}")).unwrap();
        let logged: Vec<String> = check
            .student_reviews(student.key)
            .unwrap()
            .into_iter()
            .map(|r| r.answer_id)
            .collect();
        assert_eq!(
            logged, done.acked,
            "student {n}: acknowledged = kept, in order"
        );
        let distinct: HashSet<&String> = logged.iter().collect();
        assert_eq!(
            distinct.len(),
            logged.len(),
            "student {n}: an answer doubled"
        );
        acked += done.acked.len();
        resent += done.resent;
    }
    // Drain what the students reported after the last sample.
    while let Ok(report) = rx.try_recv() {
        all.push(report.unwrap_or_else(|e| panic!("{e}")));
    }
    assert_eq!(all.len(), acked, "every acknowledged answer timed once");
    assert_eq!(
        check.class_reviews(&class).unwrap().len(),
        acked,
        "answers lost or doubled in the profile database"
    );
    let snap = server.snapshot();
    assert_eq!(
        snap.answers as usize, acked,
        "the projector counted each once"
    );
    all.sort_unstable();
    println!(
        "{STUDENTS} students, {} answers ({resent} sent twice): answer → committed → ack \
         median {:.2} ms, p99 {:.2} ms, max {:.2} ms; 0 lost, 0 doubled",
        all.len(),
        percentile(&all, 0.5).as_secs_f64() * 1000.0,
        percentile(&all, 0.99).as_secs_f64() * 1000.0,
        all[all.len() - 1].as_secs_f64() * 1000.0,
    );
    server.stop();
    runtime.shutdown_timeout(Duration::from_secs(1));
}

criterion_group!(benches, warmup_store);
criterion_main!(benches);
