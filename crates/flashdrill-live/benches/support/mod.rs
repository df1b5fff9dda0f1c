//! What the warm-up benches share: the socket type, reading a message, the percentile, and
//! the measurement (one criterion iteration is one acknowledged answer's round trip).

use std::time::Duration;

use criterion::Criterion;
use futures_util::StreamExt as _;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// What one student did: the ids of its acknowledged answers, and how many it sent twice.
pub struct Done {
    pub acked: Vec<String>,
    pub resent: usize,
}

pub async fn recv(ws: &mut Socket) -> Result<Value, String> {
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

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Times `students` students' answers as they report them on `rx` under the benchmark group
/// `group`; returns every round trip measured.
pub fn measure(
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
