//! Students answering one question on loopback: each iteration opens a fresh question to every
//! client and waits until each has sent its answer and got the server's acknowledgement. The
//! criterion time is the whole round (question broadcast → last ack); each client's own
//! answer → ack round trip is collected and its median and p99 printed after the run.
//!
//! Server and clients share the machine's cores, so the numbers are an upper bound for a real
//! classroom (where Wi-Fi adds its own tens of milliseconds).
//!
//! The rounds are paced below the server's per-connection rate limit (`RATE_PER_SEC`): a
//! student answering faster than any phone could would be refused (`too_fast`) and never
//! acknowledged. (Unpaced, the warm-up's hundreds of rounds a second ran into exactly that and
//! hung.) A refused answer, or none within 10 s, now fails the bench with the reason.

#[path = "../tests/support/game.rs"]
mod game;
#[path = "support/stats.rs"]
mod stats;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use flashdrill_live::server::RATE_PER_SEC;
use flashdrill_live::{Command, LiveConfig, LiveGame, Phase};
use futures_util::{SinkExt as _, StreamExt as _};
use game::question;
use stats::spread;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

const PIN: &str = "246810";

/// What a student reports: its answer's round trip, or why the server refused it.
type Report = Result<Duration, String>;

/// One student: joins, then answers every question it is shown and reports the round trip.
async fn student(addr: SocketAddr, n: usize, rtts: mpsc::UnboundedSender<Report>) {
    let Ok((mut ws, _)) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws")).await else {
        return;
    };
    let join = format!(r#"{{"type":"join","pin":"{PIN}","name":"Student {n}"}}"#);
    if ws.send(Message::text(join)).await.is_err() {
        return;
    }
    let mut sent: Option<(u64, Instant)> = None;
    while let Some(Ok(msg)) = ws.next().await {
        let Message::Text(text) = msg else { continue };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        if v["type"] == "state" && v["phase"] == "question" && v["answered"] == false {
            let q = v["question"].as_u64().unwrap_or(0);
            if sent.is_some_and(|(s, _)| s == q) {
                continue;
            }
            let answer = format!(r#"{{"type":"answer","question":{q},"choice":{}}}"#, n % 4);
            sent = Some((q, Instant::now()));
            if ws.send(Message::text(answer)).await.is_err() {
                return;
            }
        } else if v["type"] == "ack"
            && let Some((_, at)) = sent
        {
            let _ = rtts.send(Ok(at.elapsed()));
        } else if v["type"] == "error" {
            let _ = rtts.send(Err(format!("student {n} was refused: {text}")));
        }
    }
}

fn bench_students(c: &mut Criterion, students: usize) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let config = LiveConfig {
        pin: Some(PIN.into()),
        port: 0,
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        seconds: 60,
        auto: None,
        roster: None,
    };
    let game = LiveGame::start((0..5000).map(question).collect(), &config).unwrap();
    let addr = game.local_addr();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let started = Instant::now();
    for n in 0..students {
        runtime.spawn(student(addr, n, tx.clone()));
    }
    while game.snapshot().game.players.len() < students {
        std::thread::sleep(Duration::from_millis(5));
    }
    println!(
        "{students} students connected and joined in {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let mut all: Vec<Duration> = Vec::new();
    // Each student answers once a round: at most `RATE_PER_SEC` rounds a second, with a margin.
    let pace = Duration::from_secs_f64(1.25 / RATE_PER_SEC);
    let mut last_round: Option<Instant> = None;
    let mut group = c.benchmark_group("live");
    group
        .sample_size(20)
        .sampling_mode(criterion::SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    group.bench_function(format!("{students} students answer one question"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                if let Some(at) = last_round {
                    std::thread::sleep(pace.saturating_sub(at.elapsed()));
                }
                last_round = Some(Instant::now());
                // Back to an open question: reveal (the ticker may have), leaderboard, next.
                loop {
                    let phase = game.snapshot().game.phase;
                    if phase == Phase::Question && game.snapshot().game.answered == 0 {
                        break;
                    }
                    if phase == Phase::Lobby {
                        let _ = game.command(Command::Start);
                        break;
                    }
                    // Break as soon as the question opens: fast students answer at once.
                    if game.command(Command::Next) && game.snapshot().game.phase == Phase::Question
                    {
                        break;
                    }
                }
                let t0 = Instant::now();
                for _ in 0..students {
                    let report = runtime
                        .block_on(async {
                            tokio::time::timeout(Duration::from_secs(10), rx.recv()).await
                        })
                        .expect("every student's answer acknowledged within 10 s");
                    match report {
                        Some(Ok(rtt)) => all.push(rtt),
                        Some(Err(refused)) => panic!("{refused}"),
                        None => return total,
                    }
                }
                total += t0.elapsed();
                let _ = game.command(Command::Reveal);
            }
            total
        });
    });
    group.finish();
    all.sort_unstable();
    if !all.is_empty() {
        println!(
            "{students} students, {} answers: answer → ack {}",
            all.len(),
            spread(&all)
        );
    }
    game.stop();
    runtime.shutdown_timeout(Duration::from_secs(1));
}

fn answers(c: &mut Criterion) {
    bench_students(c, 100);
    bench_students(c, 200);
}

criterion_group!(benches, answers);
criterion_main!(benches);
