//! The live class through the whole app: the teacher sets it up and runs it on the projector
//! (by labels and keys); students are websocket clients (`tokio-tungstenite`) on 127.0.0.1.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use crate::common::{App, click, press};
use egui::Key;
use egui_kittest::kittest::Queryable;
use flashdrill::app::Screen;
use flashdrill_core::drill::{Body, Question, QuestionForm};
use flashdrill_core::store::{Mode, ReviewRecord};
use flashdrill_live::Phase;
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::runtime::Runtime;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

fn app(dir: &std::path::Path) -> App {
    app_of(dir, [1280.0, 900.0])
}

/// The app in a window of `size`, its live server on 127.0.0.1.
fn app_of(dir: &std::path::Path, size: [f32; 2]) -> App {
    let mut harness = crate::common::app_sized(dir, size);
    harness
        .state_mut()
        .set_live_bind(IpAddr::V4(Ipv4Addr::LOCALHOST));
    // The same questions every run: a timeline, then a multiple-choice one.
    harness.state_mut().fix_seed(1);
    harness.run();
    harness
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Runs frames until `ok` holds (the server works on its own thread), for at most 10 s.
fn wait_for(harness: &mut App, what: &str, ok: impl Fn(&App) -> bool) {
    let done = crate::common::step_until(harness, Duration::from_secs(10), ok);
    assert!(done, "waited 10 s for {what}");
    // The game may have moved on between the last frame and the check: draw what it shows now.
    harness.run();
}

fn shows(harness: &App, label: &str) -> bool {
    harness.query_by_label(label).is_some()
}

fn phase(harness: &App) -> Phase {
    harness
        .state()
        .live_game()
        .expect("a live game")
        .snapshot()
        .game
        .phase
}

fn current(harness: &App) -> Question {
    let snap = harness.state().live_game().expect("a live game").snapshot();
    snap.game.current.expect("a question")
}

fn reviews(harness: &App) -> Vec<ReviewRecord> {
    harness.state().store().unwrap().all_reviews().unwrap()
}

/// A student's phone: a websocket client.
struct Phone {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Phone {
    fn join(rt: &Runtime, addr: SocketAddr, pin: &str, name: &str) -> Self {
        let (ws, _) = rt
            .block_on(tokio_tungstenite::connect_async(format!("ws://{addr}/ws")))
            .expect("the game server accepts websockets");
        let mut phone = Self { ws };
        phone.send(rt, &json!({"type": "join", "pin": pin, "name": name}));
        phone.until(rt, |v| v["type"] == "welcome");
        phone
    }

    fn send(&mut self, rt: &Runtime, v: &Value) {
        rt.block_on(self.ws.send(Message::text(v.to_string())))
            .unwrap();
    }

    /// Reads messages until one satisfies `ok` (10 s at most); `None` when the server closed.
    fn until(&mut self, rt: &Runtime, ok: impl Fn(&Value) -> bool) -> Option<Value> {
        rt.block_on(async {
            loop {
                let msg = tokio::time::timeout(Duration::from_secs(10), self.ws.next())
                    .await
                    .expect("a message within 10 s");
                match msg {
                    Some(Ok(Message::Text(t))) => {
                        let v: Value = serde_json::from_str(&t).unwrap();
                        if ok(&v) {
                            return Some(v);
                        }
                    }
                    Some(Ok(Message::Close(_)) | Err(_)) | None => return None,
                    Some(Ok(_)) => {}
                }
            }
        })
    }

    /// Answers question `n` right (or wrong) and waits for the server's acknowledgement.
    fn answer(&mut self, rt: &Runtime, n: usize, question: &Question, right: bool) {
        let msg = match &question.body {
            Body::MultipleChoice(c) => {
                let pick = if right {
                    c.correct_index
                } else {
                    (c.correct_index + 1) % c.options.len()
                };
                json!({"type": "answer", "question": n, "choice": pick})
            }
            Body::Timeline(t) => {
                let mut order = t.correct_order();
                if !right {
                    order.reverse();
                }
                json!({"type": "answer", "question": n, "order": order})
            }
            other => panic!("a live game asks no {other:?}"),
        };
        self.send(rt, &msg);
        self.until(rt, |v| v["type"] == "ack" && v["question"] == n)
            .expect("the answer is acknowledged");
    }
}

/// Answers one card in a normal study session, so the profile has a card state to keep.
fn study_one_card(harness: &mut App) {
    click(harness, "Question form:");
    click(harness, "Flashcards");
    click(harness, "Study all due");
    press(harness, Key::Space);
    press(harness, Key::Space);
    crate::common::leave_session(harness);
    assert_eq!(harness.state().screen(), Screen::Home);
}

/// The drill setup with "Students answer on their devices", `questions` questions, 60 s each
/// and the port typed in.
fn set_up_live(harness: &mut App, questions: &str, port: u16) {
    click(harness, "Class drill");
    harness.get_by_label("Number of questions").click();
    harness.run();
    harness
        .get_by_label("Number of questions")
        .type_text(questions);
    harness.run();
    click(harness, "Time limit");
    click(harness, "60 s");
    click(harness, "Students answer on their devices");
    assert!(
        !shows(harness, "Number of teams"),
        "each student plays for themselves"
    );
    set_port(harness, port);
}

/// "1 answer", "2 answers": how a chart bar's count reads to a screen reader.
fn answers(n: usize) -> String {
    if n == 1 {
        "1 answer".to_owned()
    } else {
        format!("{n} answers")
    }
}

/// The reveal's chart: `right` students chose the right answer, `wrong` the one after it
/// (multiple choice) or the reversed order (timeline).
fn chart_shows(harness: &App, question: &Question, right: usize, wrong: usize) {
    if let Body::MultipleChoice(c) = &question.body {
        let n = c.options.len();
        for i in 0..n {
            let letter = char::from(b'A' + i as u8);
            let expected = if i == c.correct_index {
                right
            } else if i == (c.correct_index + 1) % n {
                wrong
            } else {
                0
            };
            harness.get_by_label(&format!("{letter}: {}", answers(expected)));
        }
    } else {
        harness.get_by_label(&format!("Right order: {}", answers(right)));
        harness.get_by_label(&format!("Wrong order: {}", answers(wrong)));
    }
}

#[test]
fn a_live_game_from_the_join_screen_to_the_saved_results() {
    let dir = tempfile::tempdir().unwrap();
    let rt = runtime();
    let mut harness = app(dir.path());
    study_one_card(&mut harness);
    let states_before = harness.state().store().unwrap().card_states(None).unwrap();
    let reviews_before = reviews(&harness).len();

    set_up_live(&mut harness, "3", 0);
    click(&mut harness, "Start live game");

    // The join screen: the address, its QR code and the PIN.
    let (addr, url, pin) = {
        let game = harness.state().live_game().expect("the live game started");
        (game.local_addr(), game.join_url().to_owned(), game.pin())
    };
    assert_eq!(addr.ip(), IpAddr::V4(Ipv4Addr::LOCALHOST));
    assert_eq!(url, format!("http://{addr}/"));
    assert!(
        !shows(&harness, "Class drill"),
        "the top bar is hidden on the projector"
    );
    harness.get_by_label(&format!("http://{addr}"));
    harness.get_by_label(&format!("QR code of the join address {url}"));
    harness.get_by_label("Game PIN");
    harness.get_by_label(&pin);
    harness.get_by_label("Waiting for students to join…");
    crate::accessibility::assert_accessible(&harness, "live join screen");
    // Space waits for someone to join.
    press(&mut harness, Key::Space);
    assert_eq!(phase(&harness), Phase::Lobby);

    // Three students join; their names show as text, markup and all.
    let mut ada = Phone::join(&rt, addr, &pin, "Ada");
    let mut bo = Phone::join(&rt, addr, &pin, "  Bo ");
    let mut cy = Phone::join(&rt, addr, &pin, "<b>Cy</b>");
    wait_for(&mut harness, "three names", |h| {
        shows(h, "Ada") && shows(h, "Bo") && shows(h, "<b>Cy</b>")
    });
    harness.get_by_label("3 students joined");
    crate::accessibility::assert_accessible(&harness, "live lobby");

    // The teacher removes one: their phone is told and the name goes.
    click(&mut harness, "Remove <b>Cy</b>");
    assert!(
        cy.until(&rt, |v| v["phase"] == "removed").is_some(),
        "the removed phone is told"
    );
    wait_for(&mut harness, "the name to go", |h| !shows(h, "<b>Cy</b>"));
    harness.get_by_label("2 students joined");

    // Question 1: the count rises as a phone answers.
    press(&mut harness, Key::Space);
    assert_eq!(phase(&harness), Phase::Question);
    harness.get_by_label("Question 1 / 3");
    harness.get_by_label("0 of 2 answered");
    harness.get_by_label("Reveal the answer (Space)");
    crate::accessibility::assert_accessible(&harness, "live question");
    let q1 = current(&harness);
    ada.answer(&rt, 0, &q1, true);
    wait_for(&mut harness, "the count to rise", |h| {
        shows(h, "1 of 2 answered")
    });
    assert_eq!(phase(&harness), Phase::Question, "Bo has not answered");

    // Space reveals: the chart counts each option; the article's sentence shows.
    press(&mut harness, Key::Space);
    assert_eq!(phase(&harness), Phase::Reveal);
    chart_shows(&harness, &q1, 1, 0);
    if q1.form() == QuestionForm::Timeline {
        // Bo did not answer: the timeline's chart counts him too.
        harness.get_by_label("No answer: 1 student");
    }
    crate::accessibility::assert_accessible(&harness, "live reveal");
    if q1.source.is_some() {
        harness.get_by_label("From the article:");
    }
    let reveal = ada
        .until(&rt, |v| v["phase"] == "reveal")
        .expect("Ada sees the reveal");
    assert_eq!(reveal["right"], true);
    let ada_points = reveal["points"].as_u64().unwrap();
    assert!(ada_points > 100, "right and fast: {ada_points}");

    // The leaderboard.
    press(&mut harness, Key::Space);
    assert_eq!(phase(&harness), Phase::Leaderboard);
    harness.get_by_label("Leaderboard");
    harness.get_by_label("After question 1 of 3");
    crate::accessibility::assert_accessible(&harness, "live leaderboard");
    harness.get_by_label(&format!("{ada_points} points"));
    harness.get_by_label("0 points");

    // Question 2: both answer (Bo wrongly), so the server reveals by itself.
    press(&mut harness, Key::Space);
    harness.get_by_label("Question 2 / 3");
    let q2 = current(&harness);
    let forms = [q1.form(), q2.form()];
    assert!(
        forms.contains(&QuestionForm::Timeline) && forms.contains(&QuestionForm::MultipleChoice),
        "both forms are asked: {forms:?}"
    );
    ada.answer(&rt, 1, &q2, true);
    bo.answer(&rt, 1, &q2, false);
    wait_for(&mut harness, "the reveal when all answered", |h| {
        phase(h) == Phase::Reveal
    });
    harness.get_by_label("2 of 2 answered");
    chart_shows(&harness, &q2, 1, 1);
    if q2.form() == QuestionForm::Timeline {
        harness.get_by_label("No answer: 0 students");
    }
    press(&mut harness, Key::Space);
    press(&mut harness, Key::Space);
    harness.get_by_label("Question 3 / 3");

    // End early (asked first): the open question is left out.
    press(&mut harness, Key::E);
    harness.get_by_label("End the drill now and show the results?");
    click(&mut harness, "End drill");
    assert_eq!(phase(&harness), Phase::Finished);
    harness.get_by_label("Final results");
    let total = harness.state().live_game().unwrap().snapshot().game.ranking[0].points;
    harness.get_by_label(&format!("First place: Ada, with {total} points"));
    harness.get_by_label(&format!("1st: Ada · {total} points"));
    harness.get_by_label("2nd: Bo · 0 points");
    crate::accessibility::assert_accessible(&harness, "live podium");
    let finished = ada
        .until(&rt, |v| v["phase"] == "finished")
        .expect("Ada's phone shows the end");
    assert_eq!(finished["rank"], 1);

    // Save the results through the podium's save row (a job).
    let path = dir.path().join("live results.csv");
    click(&mut harness, "Save results to:");
    harness
        .get_by_label("Save results to:")
        .type_text(&path.display().to_string());
    harness.run();
    click(&mut harness, "Save");
    harness.get_by_label(&format!("Saved the results to {}.", path.display()));
    let csv = std::fs::read_to_string(&path).unwrap();
    let (answers, standings) = csv.split_once("\n\n").expect("a blank line");
    let lines: Vec<&str> = answers.lines().collect();
    assert_eq!(
        lines[0],
        "student,question,form,prompt,correct answer,answer,right,seconds,points"
    );
    assert_eq!(lines.len(), 5, "two students × two revealed questions");
    assert!(lines[1].starts_with("Ada,1,") && lines[1].contains(",1,"));
    assert!(
        lines[3].starts_with("Bo,1,") && lines[3].ends_with(",,,0"),
        "{}",
        lines[3]
    );
    assert!(
        lines[4].starts_with("Bo,2,") && lines[4].contains(",0,"),
        "{}",
        lines[4]
    );
    assert_eq!(
        standings,
        format!("place,student,points,right,best streak\n1,Ada,{total},2,2\n2,Bo,0,0,0\n")
    );

    // The answers are logged on the teacher's profile: one drill review per card of each
    // revealed question, and nobody's schedule changed.
    let log = reviews(&harness);
    let drill: Vec<&ReviewRecord> = log.iter().filter(|r| r.mode == Mode::Drill).collect();
    let cards = q1.cards.len() + q2.cards.len();
    assert_eq!(drill.len(), cards);
    assert_eq!(log.len(), reviews_before + cards);
    assert_eq!(
        drill[0].correct,
        Some(true),
        "Ada, the only answer, was right"
    );
    assert_eq!(
        drill.last().unwrap().correct,
        Some(true),
        "one of two right"
    );
    assert!(drill.iter().all(|r| r.state_after.is_none()));
    assert_eq!(
        harness.state().store().unwrap().card_states(None).unwrap(),
        states_before
    );

    // Leaving stops the server.
    click(&mut harness, "Back to decks");
    assert_eq!(harness.state().screen(), Screen::Home);
    assert!(harness.state().live_game().is_none());
    assert!(
        ada.until(&rt, |_| false).is_none(),
        "the phone is disconnected"
    );
    assert!(
        std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err(),
        "nothing listens on {addr} any more"
    );
}

#[test]
fn a_taken_port_is_named_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut harness = app(dir.path());
    set_up_live(&mut harness, "2", port);
    click(&mut harness, "Start live game");
    assert!(harness.state().live_game().is_none());
    harness.get_by_label(&format!(
        "Another program is already using port {port}. Choose another port (0 lets the system \
         pick a free one), or close that program"
    ));
    // Another port works.
    set_port(&mut harness, 0);
    click(&mut harness, "Start live game");
    assert!(harness.state().live_game().is_some());
    harness.get_by_label("Game PIN");
    // Esc asks before leaving; leaving stops the server.
    press(&mut harness, Key::Escape);
    harness.get_by_label("Leave the drill? Answers so far stay in the log.");
    press(&mut harness, Key::Enter);
    assert!(harness.state().live_game().is_none());
}

/// Types `port` into the setup's port field (another click commits it).
fn set_port(harness: &mut App, port: u16) {
    harness.get_by_label("Port").click();
    harness.run();
    harness.get_by_label("Port").type_text(&port.to_string());
    harness.run();
    click(harness, "Live class");
}

/// On a projector with the text zoomed in (1920 × 1080 or 1280 × 800 at 200 %), every option
/// of a question and every row of its reveal chart stay in view above the key row, instead of
/// scrolling.
#[test]
fn questions_and_reveals_fit_a_zoomed_projector() {
    for size in [[1920.0, 1080.0], [1280.0, 800.0]] {
        zoomed_game_fits(size);
    }
}

fn zoomed_game_fits(size: [f32; 2]) {
    let dir = tempfile::tempdir().unwrap();
    let rt = runtime();
    let mut harness = app_of(dir.path(), size);
    set_up_live(&mut harness, "3", 0);
    click(&mut harness, "Start live game");
    let (addr, pin) = {
        let game = harness.state().live_game().expect("the live game started");
        (game.local_addr(), game.pin())
    };
    let _ada = Phone::join(&rt, addr, &pin, "Ada");
    wait_for(&mut harness, "Ada to join", |h| shows(h, "Ada"));
    harness.state_mut().set_setting("zoom", "2.0");
    harness.run();
    let mut checked = 0;
    for n in 1..=3 {
        press(&mut harness, Key::Space);
        harness.get_by_label(&format!("Question {n} / 3"));
        let question = current(&harness);
        let keys_top = harness
            .get_by_label("Reveal the answer (Space)")
            .rect()
            .top();
        let rows: Vec<String> = match &question.body {
            Body::MultipleChoice(c) => c
                .options
                .iter()
                .enumerate()
                .map(|(i, o)| format!("{}   {o}", char::from(b'A' + i as u8)))
                .collect(),
            _ => Vec::new(),
        };
        for row in &rows {
            let bottom = harness.get_by_label(row).rect().bottom();
            assert!(
                bottom <= keys_top,
                "{size:?}: {row:?} ends at {bottom}, under {keys_top}"
            );
        }
        // The reveal: each bar of the chart is in view.
        press(&mut harness, Key::Space);
        assert_eq!(phase(&harness), Phase::Reveal);
        let keys_top = harness.get_by_label("Leaderboard (Space)").rect().top();
        let bars: Vec<String> = match &question.body {
            Body::MultipleChoice(c) => (0..c.options.len())
                .map(|i| format!("{}: 0 answers", char::from(b'A' + i as u8)))
                .collect(),
            // Ada did not answer: the timeline's chart counts her.
            _ => vec![
                "Right order: 0 answers".to_owned(),
                "Wrong order: 0 answers".to_owned(),
                "No answer: 1 student".to_owned(),
            ],
        };
        for bar in &bars {
            let bottom = harness.get_by_label(bar).rect().bottom();
            assert!(
                bottom <= keys_top,
                "{size:?}: {bar:?} ends at {bottom}, under {keys_top}"
            );
        }
        checked += rows.len() + bars.len();
        press(&mut harness, Key::Space);
    }
    assert!(checked >= 8, "{checked} rows checked");
}

#[test]
fn a_class_plays_under_its_roster_names_and_each_keeps_their_answers() {
    let dir = tempfile::tempdir().unwrap();
    crate::warmup::class(dir.path());
    let rt = runtime();
    let mut harness = app(dir.path());
    set_up_live(&mut harness, "2", 0);
    click(&mut harness, "Played by");
    click(&mut harness, "7b history");
    click(&mut harness, "Start live game");
    let (addr, pin) = {
        let game = harness.state().live_game().expect("the live game started");
        (game.local_addr(), game.pin())
    };
    // Names as typed by students: matched to the roster and shown as it writes them.
    let mut ada = Phone::join(&rt, addr, &pin, "ada LOVELACE");
    let mut eve = {
        let (ws, _) = rt
            .block_on(tokio_tungstenite::connect_async(format!("ws://{addr}/ws")))
            .unwrap();
        Phone { ws }
    };
    eve.send(&rt, &json!({"type": "join", "pin": pin, "name": "Eve"}));
    let refused = eve.until(&rt, |v| v["type"] == "error").unwrap();
    assert_eq!(refused["code"], "not_on_roster", "{refused}");
    wait_for(&mut harness, "Ada's roster name", |h| {
        shows(h, "Ada Lovelace")
    });

    press(&mut harness, Key::Space);
    let q = current(&harness);
    ada.answer(&rt, 0, &q, true);
    wait_for(&mut harness, "the reveal", |h| phase(h) == Phase::Reveal);
    press(&mut harness, Key::E);
    click(&mut harness, "End drill");
    assert_eq!(phase(&harness), Phase::Finished);
    click(&mut harness, "Back to decks");
    click(&mut harness, "Class drill");
    harness.get_by_label_contains("answers were kept under the students' names in \"7b history\"");

    // Ada's answer is in her own log as a drill answer; her schedule did not move.
    let store = harness.state().store().unwrap();
    let class = store.class_named("7b history").unwrap();
    let ada = store.find_student(&class, "Ada Lovelace").unwrap();
    let log = store.student_reviews(ada.key).unwrap();
    assert!(!log.is_empty());
    assert!(
        log.iter()
            .all(|r| r.review.mode == Mode::Drill && r.review.is_right())
    );
    assert!(
        store.student_cards(ada.key).unwrap().is_empty(),
        "no schedule moved"
    );
}
