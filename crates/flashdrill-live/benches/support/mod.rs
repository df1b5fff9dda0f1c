//! What the warm-up benches share: 200 students on loopback, each joining by name and then
//! answering its own cards at random moments (a pause of 50–350 ms between an acknowledgement
//! and the next answer, under the per-connection rate limit), one answer in 25 sent again with
//! the same id (as a phone does after a reconnect); the measurement (one criterion iteration
//! is one acknowledged answer's round trip); and the checks that no answer was lost or
//! doubled.

pub mod stats;

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use criterion::Criterion;
use flashdrill_live::{ClassStudy, LiveConfig, LiveWarmup};
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

const PIN: &str = "135791";
pub const STUDENTS: usize = 200;
/// One answer in this many is sent a second time with the same id.
const RESEND_EVERY: usize = 25;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// What one student did: the ids of its acknowledged answers, and how many it sent twice.
struct Done {
    acked: Vec<String>,
    resent: usize,
}

async fn recv(ws: &mut Socket) -> Result<Value, String> {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), ws.next()).await {
            Err(_) => return Err("no message within 10 s".into()),
            Ok(Some(Ok(Message::Text(t)))) => {
                return serde_json::from_str(&t).map_err(|e| e.to_string());
            }
            Ok(Some(Ok(Message::Close(_)) | Err(_)) | None) => return Err("closed".into()),
            Ok(Some(Ok(_))) => {}
        }
    }
}

/// Times `students` students' answers as they report them on `rx` under the benchmark group
/// `group`; returns every round trip measured.
fn measure(
    c: &mut Criterion,
    group: &str,
    students: usize,
    runtime: &tokio::runtime::Runtime,
    rx: &mut mpsc::UnboundedReceiver<Result<Duration, String>>,
) -> Vec<Duration> {
    let mut all: Vec<Duration> = Vec::new();
    let mut group = c.benchmark_group(group);
    group
        .sample_size(20)
        .sampling_mode(criterion::SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function(
        format!("{students} students, answer → committed → ack"),
        |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let report = runtime
                        .block_on(async {
                            tokio::time::timeout(Duration::from_secs(10), rx.recv()).await
                        })
                        .expect("an answer acknowledged within 10 s");
                    match report {
                        Some(Ok(rtt)) => {
                            all.push(rtt);
                            total += rtt;
                        }
                        Some(Err(refused)) => panic!("{refused}"),
                        None => panic!("every student stopped"),
                    }
                }
                total
            });
        },
    );
    group.finish();
    all
}

/// The `answer` message a student sends for the card on show (`state`, card id `card`) with
/// the answer id `id`: a right answer or a wrong one.
pub type Answer = dyn Fn(&Value, &str, &str, bool) -> Result<Value, String> + Send + Sync;

/// One student: joins by name, then answers its cards at random moments until told to stop
/// or nothing is left; reports each answer's round trip.
async fn student(
    addr: SocketAddr,
    n: usize,
    answer: Arc<Answer>,
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
        let msg = answer(&state, &card, &id, right)?.to_string();
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

/// What a warm-up run measured and checked.
pub struct Outcome {
    /// Every acknowledged answer's round trip, sorted.
    pub rtts: Vec<Duration>,
    /// Answers acknowledged.
    pub acked: usize,
    /// Answers sent a second time.
    pub resent: usize,
}

/// Serves an hour's warm-up of `study` on 127.0.0.1 with the PIN [`PIN`].
pub fn serve(study: Arc<dyn ClassStudy>) -> LiveWarmup {
    let config = LiveConfig {
        pin: Some(PIN.into()),
        port: 0,
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        ..LiveConfig::default()
    };
    LiveWarmup::start(&config, study, Duration::from_hours(1)).unwrap()
}

/// Runs [`STUDENTS`] students against `server` (PIN [`PIN`]), each making its answers with
/// `answer`, timed under the benchmark group `group`. Checks that each student's answers as
/// the class's store logged them (`log` of the student's number: the answer ids in order) are
/// exactly the acknowledged ones, that every answer was timed once, and that the projector
/// counted each once.
pub fn run(
    c: &mut Criterion,
    group: &str,
    server: &LiveWarmup,
    answer: impl Fn(&Value, &str, &str, bool) -> Result<Value, String> + Send + Sync + 'static,
    log: impl Fn(usize) -> Vec<String>,
) -> Outcome {
    let answer: Arc<Answer> = Arc::new(answer);
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
                Arc::clone(&answer),
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
    let mut rtts = measure(c, group, STUDENTS, &runtime, &mut rx);
    stop.store(true, Ordering::Relaxed);
    let mut acked = 0;
    let mut resent = 0;
    for (n, handle) in students.into_iter().enumerate() {
        let done = runtime
            .block_on(handle)
            .unwrap()
            .unwrap_or_else(|e| panic!("{e}"));
        let logged = log(n);
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
        rtts.push(report.unwrap_or_else(|e| panic!("{e}")));
    }
    assert_eq!(rtts.len(), acked, "every acknowledged answer timed once");
    assert_eq!(
        server.snapshot().answers as usize,
        acked,
        "the projector counted each once"
    );
    runtime.shutdown_timeout(Duration::from_secs(1));
    rtts.sort_unstable();
    Outcome {
        rtts,
        acked,
        resent,
    }
}
