//! `flashdrill host` run as the real binary on 127.0.0.1 with two scripted phones: the game
//! moves on by itself, writes the results CSV and logs `drill` answers on the profile.

use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use flashdrill_core::store::Mode;
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

const PIN: &str = "135790";

/// Kills the host if the test fails half way.
struct Host(Child);

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_host(data: &Path, results: &Path) -> (Host, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flashdrill"))
        .arg("--data-dir")
        .arg(data)
        .args([
            "host",
            "--deck",
            "pm-dates",
            "--questions",
            "3",
            "--seconds",
            "5",
            "--pin",
            PIN,
            "--players",
            "2",
            "--pause",
            "0.3",
            "--bind",
            "127.0.0.1",
            "--seed",
            "7",
            "--results",
        ])
        .arg(results)
        .env_remove("FLASHDRILL_DATA_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (Host(child), rx)
}

/// One phone: joins, answers every question (the first option, or the events as shown), and
/// returns its messages up to the podium.
async fn phone(addr: SocketAddr, name: &str) -> Vec<Value> {
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws"))
        .await
        .unwrap();
    let join = json!({"type": "join", "pin": PIN, "name": name});
    ws.send(Message::text(join.to_string())).await.unwrap();
    let mut seen = Vec::new();
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(30), ws.next())
            .await
            .expect("the host keeps the game going");
        let Some(Ok(Message::Text(text))) = msg else {
            panic!("the connection closed before the end: {msg:?}");
        };
        let v: Value = serde_json::from_str(&text).unwrap();
        seen.push(v.clone());
        if v["type"] == "state" && v["phase"] == "question" && v["answered"] == false {
            let n = v["options"].as_array().unwrap().len();
            let answer = if v["form"] == "timeline" {
                json!({"type": "answer", "question": v["question"], "order": (0..n).collect::<Vec<_>>()})
            } else {
                json!({"type": "answer", "question": v["question"], "choice": 0})
            };
            ws.send(Message::text(answer.to_string())).await.unwrap();
        }
        if v["type"] == "state" && v["phase"] == "finished" {
            return seen;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_headless_game_with_two_phones_writes_the_results() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("live results.csv");
    let (mut host, lines) = start_host(dir.path(), &results);
    let mut printed = Vec::new();
    let addr: SocketAddr = loop {
        let line = lines
            .recv_timeout(Duration::from_mins(1))
            .expect("the host prints its address");
        printed.push(line.clone());
        if let Some(addr) = line.strip_prefix("Listening on ") {
            break addr.parse().unwrap();
        }
    };
    assert!(printed.contains(&format!("Game PIN {PIN}")), "{printed:?}");
    assert!(
        printed.contains(&format!("Join at http://127.0.0.1:{}/", addr.port())),
        "{printed:?}"
    );

    let (ada, bo) = tokio::join!(phone(addr, "Ada"), phone(addr, "=Bo"));
    for seen in [&ada, &bo] {
        let acks = seen.iter().filter(|m| m["type"] == "ack").count();
        assert_eq!(acks, 3, "one ack per question: {seen:?}");
        assert!(seen.iter().any(|m| m["phase"] == "reveal"));
        assert!(seen.iter().any(|m| m["phase"] == "leaderboard"));
        let last = seen.last().unwrap();
        assert_eq!(last["players"], 2);
        assert_eq!(last["questions"], 3);
    }

    let status = tokio::task::spawn_blocking(move || host.0.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success());
    let rest: Vec<String> = lines.try_iter().collect();
    printed.extend(rest);
    let out = printed.join("\n");
    assert!(
        out.contains("Joined: Ada") && out.contains("Joined: =Bo"),
        "{out}"
    );
    assert!(out.contains("Question 3 of 3"), "{out}");
    assert!(out.contains("Game over"), "{out}");

    let csv = std::fs::read_to_string(&results).unwrap();
    let (answers, standings) = csv.split_once("\n\n").unwrap();
    let rows: Vec<&str> = answers.lines().collect();
    assert_eq!(
        rows[0],
        "student,question,form,prompt,correct answer,answer,right,seconds,points"
    );
    assert_eq!(rows.len(), 1 + 2 * 3, "{csv}");
    assert_eq!(rows.iter().filter(|r| r.starts_with("Ada,")).count(), 3);
    assert_eq!(
        rows.iter().filter(|r| r.starts_with("'=Bo,")).count(),
        3,
        "a formula-like name is defused: {csv}"
    );
    assert_eq!(standings.lines().count(), 3);

    // The answers are logged as drill reviews on the profile.
    let store = crate::common::profile_store(dir.path(), None);
    let reviews = store.all_reviews().unwrap();
    assert!(!reviews.is_empty());
    assert!(
        reviews
            .iter()
            .all(|r| r.mode == Mode::Drill && r.deck_id == "pm-dates")
    );
    assert!(reviews.iter().all(|r| r.state_after.is_none()));
}

#[test]
fn an_unknown_deck_or_a_taken_port_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_flashdrill"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["host", "--deck", "nope", "--bind", "127.0.0.1"])
        .env_remove("FLASHDRILL_DATA_DIR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("there is no deck \"nope\""), "{err}");

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_flashdrill"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "host",
            "--deck",
            "pm-dates",
            "--bind",
            "127.0.0.1",
            "--port",
            &port,
        ])
        .env_remove("FLASHDRILL_DATA_DIR")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("port {port}")) && err.contains("Choose another port"),
        "{err}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_flashdrill"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "host",
            "--deck",
            "pm-dates",
            "--pin",
            "12ab56",
            "--bind",
            "127.0.0.1",
        ])
        .env_remove("FLASHDRILL_DATA_DIR")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("PIN must be 6 digits"));
}
