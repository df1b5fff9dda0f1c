//! The server with real websocket clients (`tokio-tungstenite`), on 127.0.0.1 only.

#[path = "support/game.rs"]
mod game;
#[path = "support/phone.rs"]
mod phone;
mod support;

use std::net::SocketAddr;
use std::time::Duration;

use flashdrill_core::drill::{BASE_POINTS, SPEED_POINTS};
use flashdrill_live::engine::points_for;
use flashdrill_live::{Command, LiveConfig, LiveGame, Phase};
use serde_json::{Value, json};

use game::question;
use phone::{Phone, http_get, local_config};
use support::poll_until;

const PIN: &str = "482913";
const LIMIT: u32 = 20;

fn serve(questions: usize) -> LiveGame {
    let config = LiveConfig {
        seconds: LIMIT,
        ..local_config(PIN)
    };
    LiveGame::start((0..questions).map(question).collect(), &config).unwrap()
}

/// Joins the game as `name`; returns the phone and its token for rejoining.
async fn join(addr: SocketAddr, name: &str) -> (Phone, String) {
    let (phone, welcome) = Phone::join(addr, PIN, name).await;
    let token = welcome["token"].as_str().unwrap().to_owned();
    (phone, token)
}

/// What a phone in the game does beyond sending and reading.
trait Player {
    /// Skips messages until one of type `ty` (and, for states, phase `phase`).
    async fn until(&mut self, ty: &str, phase: Option<&str>) -> Value;
    /// Sends an answer and returns the server's reply to it (`ack` or `error`); the state
    /// updates sent before the reply are kept for the next reads (the game may have moved on
    /// to another question meanwhile).
    async fn answer(&mut self, question: usize, choice: usize) -> Value;
}

impl Player for Phone {
    async fn until(&mut self, ty: &str, phase: Option<&str>) -> Value {
        loop {
            let m = self.recv().await;
            if m["type"] == ty && phase.is_none_or(|p| m["phase"] == p) {
                return m;
            }
        }
    }

    async fn answer(&mut self, question: usize, choice: usize) -> Value {
        self.send(&json!({"type": "answer", "question": question, "choice": choice}))
            .await;
        self.reply(|m| m["type"] == "ack" || m["type"] == "error")
            .await
    }
}

async fn wait_for(game: &LiveGame, phase: Phase) {
    let reached = poll_until(Duration::from_secs(10), async || {
        game.snapshot().game.phase == phase
    })
    .await;
    assert!(reached, "the game never reached {phase:?}");
}

#[tokio::test]
async fn wrong_pin_is_refused_and_game_messages_need_a_join() {
    let game = serve(2);
    let mut c = Phone::connect(game.local_addr()).await;
    c.send(&json!({"type": "answer", "question": 0, "choice": 0}))
        .await;
    assert_eq!(c.recv().await["code"], "not_joined");
    c.send(&json!({"type": "join", "pin": "000000", "name": "Eve"}))
        .await;
    let m = c.recv().await;
    assert_eq!(
        (m["type"].as_str(), m["code"].as_str()),
        (Some("error"), Some("wrong_pin"))
    );
    assert!(m["message"].as_str().unwrap().contains("PIN"));
    assert_eq!(c.rejoin("000000", "x").await["code"], "wrong_pin");
    // Guessing PINs: the connection is closed after a few tries.
    for _ in 0..3 {
        c.send(&json!({"type": "join", "pin": "111111", "name": "Eve"}))
            .await;
    }
    assert!(c.closed_within(4).await, "closed after five wrong PINs");
    assert_eq!(game.snapshot().game.players.len(), 0);
}

#[tokio::test]
async fn join_answer_reveal_leaderboard() {
    let game = serve(2);
    let addr = game.local_addr();
    let (mut ada, _) = join(addr, "  Ada  ").await;
    let lobby = ada.until("state", Some("lobby")).await;
    assert_eq!(lobby["name"], "Ada");
    let (mut bo, _) = join(addr, "<b>Bo</b>").await;
    assert_eq!(ada.until("state", Some("lobby")).await["players"], 2);
    let snap = game.snapshot().game;
    let names: Vec<&str> = snap.players.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, vec!["Ada", "<b>Bo</b>"]);

    assert!(game.command(Command::Start));
    let q = ada.until("state", Some("question")).await;
    assert_eq!(
        (q["question"].as_u64(), q["count"].as_u64()),
        (Some(0), Some(2))
    );
    assert_eq!(q["form"], "choice");
    assert_eq!(q["options"], json!(["A", "B", "C", "D"]));
    assert!(q["seconds_left"].as_f64().unwrap() > 15.0);
    assert_eq!(q["answered"], false);
    bo.until("state", Some("question")).await;

    assert_eq!(
        ada.answer(0, 0).await,
        json!({"type": "ack", "question": 0})
    );
    assert_eq!(ada.until("state", Some("question")).await["answered"], true);
    assert_eq!(ada.answer(0, 1).await["code"], "already_answered");
    assert_eq!(game.snapshot().game.answered, 1);
    assert_eq!(bo.answer(0, 3).await["type"], "ack");

    // Everyone answered: the server reveals without waiting for the time.
    let reveal = ada.until("state", Some("reveal")).await;
    assert_eq!(reveal["right"], true);
    assert_eq!(reveal["correct"], json!([0]));
    assert_eq!(reveal["rank"], 1);
    let points = reveal["points"].as_u64().unwrap() as u32;
    assert!((BASE_POINTS + SPEED_POINTS - 5..=BASE_POINTS + SPEED_POINTS).contains(&points));
    let bo_reveal = bo.until("state", Some("reveal")).await;
    assert_eq!(
        (bo_reveal["right"].as_bool(), bo_reveal["points"].as_u64()),
        (Some(false), Some(0))
    );
    let snap = game.snapshot().game;
    assert_eq!(snap.phase, Phase::Reveal);
    assert_eq!(snap.answer_counts, vec![1, 0, 0, 1]);

    assert!(game.command(Command::Next));
    let board = bo.until("state", Some("leaderboard")).await;
    assert_eq!(
        (board["rank"].as_u64(), board["players"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(board["top"][0]["name"], "Ada");
    assert_eq!(board["top"][1]["name"], "<b>Bo</b>");

    assert!(game.command(Command::Next));
    ada.until("state", Some("question")).await;
    assert!(game.command(Command::End));
    let end = ada.until("state", Some("finished")).await;
    assert_eq!(
        (end["rank"].as_u64(), end["questions"].as_u64()),
        (Some(1), Some(1))
    );
    let csv = game.results_csv();
    assert!(csv.starts_with("student,question,"), "{csv}");
    assert_eq!(
        csv.lines()
            .filter(|l| l.contains(",Multiple choice,"))
            .count(),
        2
    );
    assert_eq!(game.log_entries().len(), 1);
}

#[tokio::test]
async fn duplicate_nicknames_are_refused() {
    let game = serve(1);
    let addr = game.local_addr();
    let (_ada, _) = join(addr, "Ada").await;
    let mut other = Phone::connect(addr).await;
    other
        .send(&json!({"type": "join", "pin": PIN, "name": " ada "}))
        .await;
    let m = other.recv().await;
    assert_eq!(m["code"], "name_taken");
    assert!(m["message"].as_str().unwrap().contains("another nickname"));
    other
        .send(&json!({"type": "join", "pin": PIN, "name": "Ada 2"}))
        .await;
    assert_eq!(other.recv().await["type"], "welcome");
    other
        .send(&json!({"type": "join", "pin": PIN, "name": "Ada 3"}))
        .await;
    assert_eq!(other.until("error", None).await["code"], "already_joined");
}

#[tokio::test]
async fn a_reconnecting_phone_keeps_its_name_and_points() {
    let game = serve(2);
    let addr = game.local_addr();
    let (mut ada, token) = join(addr, "Ada").await;
    let (_bo, _) = join(addr, "Bo").await;
    let _ = game.command(Command::Start);
    ada.until("state", Some("question")).await;
    assert_eq!(ada.answer(0, 0).await["type"], "ack");
    let _ = game.command(Command::Reveal);
    let before = ada.until("state", Some("reveal")).await["total"].clone();
    assert!(before.as_u64().unwrap() >= 100);
    drop(ada);
    // The phone slept: the server notices the connection is gone.
    poll_until(Duration::from_secs(10), async || {
        !game.snapshot().game.players[0].connected
    })
    .await;
    assert!(!game.snapshot().game.players[0].connected);
    let mut again = Phone::connect(addr).await;
    assert_eq!(
        again.rejoin(PIN, "not-the-token").await["code"],
        "unknown_token"
    );
    let welcome = again.rejoin(PIN, &token).await;
    assert_eq!(
        (welcome["type"].as_str(), welcome["name"].as_str()),
        (Some("welcome"), Some("Ada"))
    );
    let view = again.until("state", Some("reveal")).await;
    assert_eq!(view["total"], before);
    assert!(game.snapshot().game.players[0].connected);
    assert_eq!(game.snapshot().game.players.len(), 2);
    // Removed by the teacher: told, closed, and the token no longer works.
    assert!(game.command(Command::Remove(0)));
    assert_eq!(
        again.until("state", Some("removed")).await["phase"],
        "removed"
    );
    assert!(again.next().await.is_none());
    let mut third = Phone::connect(addr).await;
    assert_eq!(third.rejoin(PIN, &token).await["code"], "removed");
}

#[tokio::test]
async fn junk_and_oversized_messages_get_an_error_and_the_server_lives_on() {
    let game = serve(1);
    let addr = game.local_addr();
    let (mut c, _) = join(addr, "Ada").await;
    c.until("state", Some("lobby")).await;
    let junk = [
        "not json".to_owned(),
        "{}".to_owned(),
        r#"{"type":"hack","x":1}"#.to_owned(),
        r#"{"type":"answer","question":"zero","choice":0}"#.to_owned(),
        r#"{"type":"answer","question":0}"#.to_owned(),
        format!(
            r#"{{"type":"join","pin":"{PIN}","name":"{}"}}"#,
            "x".repeat(5000)
        ),
        "\u{0}\u{ffff}".to_owned(),
    ];
    let codes = [
        "bad_message",
        "bad_message",
        "bad_message",
        "bad_message",
        "invalid_answer",
        "too_big",
        "bad_message",
    ];
    for (text, code) in junk.iter().zip(codes) {
        c.send_raw(text).await;
        let m = c.recv().await;
        assert_eq!(
            (m["type"].as_str(), m["code"].as_str()),
            (Some("error"), Some(code)),
            "{text:.40}"
        );
    }
    c.send_binary(vec![0u8, 1, 2]).await;
    assert_eq!(c.recv().await["code"], "bad_message");
    c.send(&json!({"type": "ping"})).await;
    assert_eq!(c.recv().await["type"], "pong");
    assert!(game.snapshot().refused >= 8);

    // Flooding: over the rate limit, messages are refused.
    let too_fast = c.flood(40).await;
    assert!(too_fast >= 10, "{too_fast} refused");

    // A frame far over every limit closes that connection only.
    let mut big = Phone::connect(addr).await;
    big.send_raw(&"x".repeat(200_000)).await;
    assert!(big.next().await.is_none());
    let (mut fresh, _) = join(addr, "Bo").await;
    assert_eq!(fresh.until("state", Some("lobby")).await["players"], 2);

    // No route but the page and the websocket.
    let page = http_get(addr, "/").await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page:.80}");
    assert!(page.contains("<title>flashdrill live</title>"));
    assert!(page.to_lowercase().contains("content-security-policy"));
    for path in ["/index.html", "/ws/../etc/passwd", "/favicon.ico", "/api"] {
        let resp = http_get(addr, path).await;
        assert!(resp.starts_with("HTTP/1.1 404"), "{path}: {resp:.60}");
    }
}

#[tokio::test]
async fn late_and_out_of_order_answers_are_refused() {
    let game = serve(2);
    let addr = game.local_addr();
    let (mut ada, _) = join(addr, "Ada").await;
    let (_bo, _) = join(addr, "Bo").await;
    assert_eq!(ada.answer(0, 0).await["code"], "not_asking");
    let _ = game.command(Command::Start);
    ada.until("state", Some("question")).await;
    assert_eq!(ada.answer(1, 0).await["code"], "wrong_question");
    assert_eq!(ada.answer(0, 9).await["code"], "invalid_answer");
    let _ = game.command(Command::Reveal);
    ada.until("state", Some("reveal")).await;
    let late = ada.answer(0, 0).await;
    assert_eq!(late["code"], "too_late");
    assert!(late["message"].as_str().unwrap().contains("Time is up"));
    assert_eq!(game.snapshot().game.answered, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_students_ten_questions_every_answer_counted_once() {
    const STUDENTS: usize = 100;
    const QUESTIONS: usize = 10;
    let game = serve(QUESTIONS);
    let addr = game.local_addr();
    let mut tasks = Vec::new();
    for s in 0..STUDENTS {
        tasks.push(tokio::spawn(async move {
            let (mut c, _) = join(addr, &format!("Student {s}")).await;
            let mut acks = 0;
            loop {
                let m = c.recv().await;
                if m["type"] == "state" && m["phase"] == "question" && m["answered"] == false {
                    let q = m["question"].as_u64().unwrap() as usize;
                    // Odd students get question 3 wrong.
                    let choice = if s % 2 == 1 && q == 3 {
                        (q + 1) % 4
                    } else {
                        q % 4
                    };
                    let ack = c.answer(q, choice).await;
                    assert_eq!(ack, json!({"type": "ack", "question": q}));
                    acks += 1;
                    // A second try is refused.
                    if q == 5 {
                        assert_eq!(c.answer(q, choice).await["code"], "already_answered");
                    }
                } else if m["type"] == "state" && m["phase"] == "finished" {
                    return (acks, m["total"].as_u64().unwrap());
                }
            }
        }));
    }
    poll_until(Duration::from_secs(10), async || {
        game.snapshot().game.players.len() == STUDENTS
    })
    .await;
    assert_eq!(game.snapshot().game.players.len(), STUDENTS);
    let _ = game.command(Command::Start);
    for q in 0..QUESTIONS {
        wait_for(&game, Phase::Reveal).await;
        let snap = game.snapshot().game;
        assert_eq!(snap.question, q);
        assert_eq!(snap.answered, STUDENTS, "every answer counted once");
        assert_eq!(snap.answer_counts.iter().sum::<usize>(), STUDENTS);
        let _ = game.command(Command::Next);
        let _ = game.command(Command::Next);
    }
    let mut totals = Vec::new();
    for t in tasks {
        let (acks, total) = t.await.unwrap();
        assert_eq!(acks, QUESTIONS);
        totals.push(total);
    }
    // Scores as the formula says, from each answer's recorded time.
    let csv = game.results_csv();
    let (answers, standings) = csv.split_once("\n\n").unwrap();
    let mut by_student: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut streaks: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut rows = 0;
    for line in answers.lines().skip(1) {
        rows += 1;
        let cells: Vec<&str> = line.split(',').collect();
        let (student, right, secs, points) = (cells[0], cells[6], cells[7], cells[8]);
        let points: u32 = points.parse().unwrap();
        let streak = streaks.entry(student.to_owned()).or_default();
        if right == "1" {
            *streak += 1;
            let secs: f64 = secs.parse().unwrap();
            // The file rounds seconds to 0.1: allow one point either way.
            let expected = points_for(secs, LIMIT, *streak);
            assert!(
                points.abs_diff(expected) <= 1,
                "{line}: expected {expected}"
            );
        } else {
            *streak = 0;
            assert_eq!(points, 0, "{line}");
        }
        *by_student.entry(student.to_owned()).or_default() += points;
    }
    assert_eq!(rows, STUDENTS * QUESTIONS);
    let ranked: Vec<&str> = standings.lines().skip(1).collect();
    assert_eq!(ranked.len(), STUDENTS);
    for line in ranked {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(by_student[cells[1]], cells[2].parse::<u32>().unwrap());
    }
    totals.sort_unstable();
    assert!(totals[0] >= 1000, "at least the base points: {totals:?}");
}

#[tokio::test]
async fn stopping_to_listen_keeps_the_game_readable() {
    let mut game = serve(2);
    let addr = game.local_addr();
    let (mut ada, _) = join(addr, "Ada").await;
    let _ = game.command(Command::Start);
    ada.until("state", Some("question")).await;
    let _ = game.command(Command::End);
    assert!(game.is_listening());
    game.stop_listening();
    assert!(!game.is_listening());
    game.stop_listening();
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "nothing listens on {addr}"
    );
    let snap = game.snapshot().game;
    assert_eq!(snap.phase, Phase::Finished);
    assert_eq!(snap.ranking[0].name, "Ada");
    assert!(game.results_csv().starts_with("student,question,"));
}
