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

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use class::{FakeCard, FakeClass};
use criterion::{Criterion, criterion_group, criterion_main};
use flashdrill_live::{LiveConfig, LiveWarmup};
use futures_util::SinkExt as _;
use serde_json::json;
use support::{Done, percentile, recv};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

const PIN: &str = "135791";
const STUDENTS: usize = 200;
const CARDS: usize = 300;
/// One answer in this many is sent a second time with the same id.
const RESEND_EVERY: usize = 25;

/// One student: joins by name, then answers its cards at random moments until told to stop
/// or nothing is left; reports each answer's round trip.
async fn student(
    addr: SocketAddr,
    n: usize,
    class: Arc<FakeClass>,
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
        let fake = class.card(&card);
        let given = if rand::random_range(0..10) < 3 {
            fake.wrong_answer()
        } else {
            fake.right_answer()
        };
        let flashdrill_live::warmup::Given::Choice(choice) = given else {
            return Err("the bench's deck is multiple choice".into());
        };
        let id = format!("s{n}-{}", done.acked.len());
        let msg = json!({"type": "answer", "card": card, "id": id, "choice": choice}).to_string();
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
    let config = LiveConfig {
        pin: Some(PIN.into()),
        port: 0,
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        ..LiveConfig::default()
    };
    let server =
        LiveWarmup::start(&config, Arc::clone(&class) as _, Duration::from_hours(1)).unwrap();
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
                Arc::clone(&class),
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
    let mut all = support::measure(c, "warmup", STUDENTS, &runtime, &mut rx);
    stop.store(true, Ordering::Relaxed);
    let mut acked = 0;
    let mut resent = 0;
    for (n, handle) in students.into_iter().enumerate() {
        let done = runtime
            .block_on(handle)
            .unwrap()
            .unwrap_or_else(|e| panic!("{e}"));
        let log = class.log(n);
        let logged: Vec<&str> = log.iter().map(|l| l.answer_id.as_str()).collect();
        assert_eq!(
            logged, done.acked,
            "student {n}: acknowledged = kept, in order"
        );
        let distinct: HashSet<&str> = logged.iter().copied().collect();
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
    assert_eq!(class.total_answers(), acked, "answers lost or doubled");
    assert_eq!(
        class.journal_answers(),
        acked,
        "answers lost or doubled in SQLite"
    );
    let snap = server.snapshot();
    assert_eq!(
        snap.answers as usize, acked,
        "the projector counted each once"
    );
    all.sort_unstable();
    println!(
        "{STUDENTS} students, {} answers ({resent} sent twice): answer → committed → ack \
         median {:.2} ms, p99 {:.2} ms, max {:.2} ms; {} answers at most in the store at once; \
         0 lost, 0 doubled",
        all.len(),
        percentile(&all, 0.5).as_secs_f64() * 1000.0,
        percentile(&all, 0.99).as_secs_f64() * 1000.0,
        all[all.len() - 1].as_secs_f64() * 1000.0,
        class.most_at_once(),
    );
    let commits = class.commit_times();
    if !commits.is_empty() {
        println!(
            "commits (waiting for the SQLite file included): median {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            percentile(&commits, 0.5).as_secs_f64() * 1000.0,
            percentile(&commits, 0.99).as_secs_f64() * 1000.0,
            commits[commits.len() - 1].as_secs_f64() * 1000.0,
        );
    }
    server.stop();
    runtime.shutdown_timeout(Duration::from_secs(1));
}

criterion_group!(benches, warmup);
criterion_main!(benches);
