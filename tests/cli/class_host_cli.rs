//! `flashdrill class host` as the real binary on 127.0.0.1, with phones scripted over
//! websockets: a spaced warm-up over each student's own schedule, `kill -9` of the host after
//! an acknowledgement (nothing acknowledged is lost; the re-sent answer counts once after the
//! restart), and the live game played under the roster's names.

use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::common::{profile_store, run, stderr};

const PIN: &str = "246810";
const CLASS: &str = "7b history";

/// Kills the host when dropped (a failed test leaves no server behind).
struct Host(Child);

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A class of Ada and Bo on the bundled dates deck.
fn class(data: &Path) {
    let roster = data.join("roster.txt");
    std::fs::write(&roster, "Ada Lovelace\nBo Svensson\n").unwrap();
    let o = run(
        data,
        &[
            "class",
            "create",
            CLASS,
            "--deck",
            "pm-dates",
            "--roster",
            roster.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Starts the host in `mode` on 127.0.0.1; returns it, its address and its output.
fn host(data: &Path, mode: &str) -> (Host, SocketAddr, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flashdrill"))
        .arg("--data-dir")
        .arg(data)
        .args([
            "class",
            "host",
            CLASS,
            "--mode",
            mode,
            "--minutes",
            "5",
            "--questions",
            "2",
        ])
        .args([
            "--pin",
            PIN,
            "--bind",
            "127.0.0.1",
            "--seed",
            "3",
            "--pause",
            "0.3",
        ])
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
    let addr = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the host says where it listens");
        if let Some(addr) = line.strip_prefix("Listening on ") {
            break addr.parse().unwrap();
        }
    };
    (Host(child), addr, rx)
}

struct Phone(WebSocketStream<MaybeTlsStream<TcpStream>>);

impl Phone {
    async fn connect(addr: SocketAddr) -> Self {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws"))
            .await
            .unwrap();
        Self(ws)
    }

    async fn send(&mut self, v: &Value) {
        self.0.send(Message::text(v.to_string())).await.unwrap();
    }

    async fn recv(&mut self) -> Value {
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(10), self.0.next())
                .await
                .expect("a message within 10 s")
                .expect("the connection is open")
                .unwrap();
            if let Message::Text(t) = msg {
                return serde_json::from_str(&t).unwrap();
            }
        }
    }

    /// The next message of `kind`, skipping others (states of the class going on).
    async fn recv_type(&mut self, kind: &str) -> Value {
        loop {
            let m = self.recv().await;
            if m["type"] == kind || m["type"] == "error" {
                return m;
            }
        }
    }
}

/// The option of `state`'s card that is its answer (right) or another one (wrong), from the
/// bundled deck; or, for a typed card, the answer or a wrong word.
fn answer_for(state: &Value, right: bool) -> Value {
    let id = state["card"]["id"].as_str().unwrap();
    let (deck, card) = id.split_once('/').unwrap();
    let library = flashdrill_core::deck::load_library(&[], true);
    let answer = library
        .deck(deck)
        .unwrap()
        .deck
        .card(card)
        .unwrap()
        .answer
        .clone();
    if state["card"]["form"] == "choice" {
        let options: Vec<&str> = state["card"]["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_str().unwrap())
            .collect();
        let at = options.iter().position(|o| *o == answer).unwrap();
        json!({"choice": if right { at } else { (at + 1) % options.len() }})
    } else {
        json!({"text": if right { answer.as_str() } else { "no idea" }})
    }
}

fn answer_msg(state: &Value, id: &str, right: bool) -> Value {
    let mut msg = json!({"type": "answer", "card": state["card"]["id"], "id": id});
    for (k, v) in answer_for(state, right).as_object().unwrap() {
        msg[k] = v.clone();
    }
    msg
}

/// The class's answers in the profile database: (student name, card, mode, right).
fn answers(data: &Path) -> Vec<(String, String, String, bool)> {
    let store = profile_store(data, None);
    let class = store.class_named(CLASS).unwrap();
    let mut out = Vec::new();
    for student in store.students(&class).unwrap() {
        for r in store.student_reviews(student.key).unwrap() {
            out.push((
                student.name.clone(),
                format!("{}/{}", r.review.deck_id, r.review.card_id),
                r.review.mode.to_string(),
                r.review.is_right(),
            ));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_warm_up_survives_kill_9_and_counts_a_resent_answer_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    class(data);
    let (mut host1, addr, _out) = host(data, "warmup");

    // Ada joins typing her name loosely; Bo too. Each gets a card of their own queue.
    let mut ada = Phone::connect(addr).await;
    ada.send(&json!({"type": "join", "pin": PIN, "name": "  ada LOVELACE "}))
        .await;
    let welcome = ada.recv_type("welcome").await;
    assert_eq!(welcome["name"], "Ada Lovelace", "{welcome}");
    let token = welcome["token"].as_str().unwrap().to_owned();
    let first = ada.recv_type("state").await;
    assert_eq!(first["phase"], "study", "{first}");

    let mut bo = Phone::connect(addr).await;
    bo.send(&json!({"type": "join", "pin": PIN, "name": "Bo Svensson"}))
        .await;
    bo.recv_type("welcome").await;
    let bo_card = bo.recv_type("state").await;

    // A name not on the roster is refused with its code.
    let mut eve = Phone::connect(addr).await;
    eve.send(&json!({"type": "join", "pin": PIN, "name": "Eve"}))
        .await;
    let refused = eve.recv_type("welcome").await;
    assert_eq!(refused["code"], "not_on_roster", "{refused}");

    // Bo gets his card wrong; Ada gets hers right, acknowledged — then the host is killed.
    bo.send(&answer_msg(&bo_card, "bo-1", false)).await;
    let ack = bo.recv_type("ack").await;
    assert_eq!(ack["right"], false, "{ack}");
    ada.send(&answer_msg(&first, "ada-1", true)).await;
    let ack = ada.recv_type("ack").await;
    assert_eq!(
        (ack["id"].as_str(), ack["right"].as_bool()),
        (Some("ada-1"), Some(true))
    );
    host1.0.kill().unwrap(); // SIGKILL
    host1.0.wait().unwrap();
    drop(host1);
    let saved = answers(data);
    assert_eq!(
        saved.len(),
        2,
        "both acknowledged answers were committed: {saved:?}"
    );

    // The host starts again; Ada's phone rejoins with its token and re-sends its answer (it
    // never saw the ack, say): acknowledged the same, counted once.
    let (_host2, addr, _out) = host(data, "warmup");
    let mut ada = Phone::connect(addr).await;
    ada.send(&json!({"type": "rejoin", "pin": PIN, "token": token}))
        .await;
    let welcome = ada.recv_type("welcome").await;
    assert_eq!(welcome["name"], "Ada Lovelace");
    ada.send(&answer_msg(&first, "ada-1", true)).await;
    let ack = ada.recv_type("ack").await;
    assert_eq!(
        (ack["id"].as_str(), ack["right"].as_bool()),
        (Some("ada-1"), Some(true))
    );
    let saved = answers(data);
    assert_eq!(saved.len(), 2, "the re-sent answer counted once: {saved:?}");
    assert!(
        saved.iter().all(|a| a.2 == "srs"),
        "warm-up answers schedule: {saved:?}"
    );
    // Bo's wrong card is his alone: it is not Ada's next card.
    let next = ada.recv_type("state").await;
    if next["phase"] == "study" && bo_card["card"]["id"] == first["card"]["id"] {
        assert_ne!(next["card"]["id"], bo_card["card"]["id"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_game_takes_roster_names_and_logs_drill_answers_under_them() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    class(data);
    let (_host, addr, out) = host(data, "game");
    let mut phones = Vec::new();
    for name in ["ADA lovelace", "bo svensson"] {
        let mut p = Phone::connect(addr).await;
        p.send(&json!({"type": "join", "pin": PIN, "name": name}))
            .await;
        let welcome = p.recv_type("welcome").await;
        assert!(welcome["name"] == "Ada Lovelace" || welcome["name"] == "Bo Svensson");
        phones.push(p);
    }
    let mut eve = Phone::connect(addr).await;
    eve.send(&json!({"type": "join", "pin": PIN, "name": "Eve"}))
        .await;
    assert_eq!(eve.recv_type("welcome").await["code"], "not_on_roster");
    // Both answer every question with the first option (or the events as shown), at once.
    let tasks: Vec<_> = phones
        .into_iter()
        .map(|mut p| {
            tokio::spawn(async move {
                loop {
                    let m = p.recv().await;
                    if m["type"] != "state" {
                        continue;
                    }
                    if m["phase"] == "finished" {
                        return;
                    }
                    if m["phase"] == "question" && m["answered"] == false {
                        let n = m["options"].as_array().map_or(0, Vec::len);
                        let mut msg = json!({"type": "answer", "question": m["question"]});
                        if m["form"] == "timeline" {
                            msg["order"] = json!((0..n).collect::<Vec<_>>());
                        } else {
                            msg["choice"] = json!(0);
                        }
                        p.send(&msg).await;
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let logged = loop {
        let line = out
            .recv_timeout(Duration::from_secs(30))
            .expect("the host reports");
        if line.starts_with("Logged ") {
            break line;
        }
    };
    let saved = answers(data);
    assert!(!saved.is_empty(), "{logged}");
    assert!(saved.iter().all(|a| a.2 == "drill"), "{saved:?}");
    let names: std::collections::BTreeSet<&str> = saved.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(names.len(), 2, "{saved:?}");
}
