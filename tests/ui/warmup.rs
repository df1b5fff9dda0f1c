//! A class's spaced warm-up on the projector (issue 22): started for a class, a phone joins
//! over the loopback network and answers its own card, and the projector shows who is active,
//! the answers and % right; ending it and closing it; what got saved is the student's own.

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

use chrono::Utc;
use egui_kittest::kittest::Queryable;
use flashdrill::app::{AppCommand, Screen};
use flashdrill_core::class::ClassSettings;
use flashdrill_core::settings::Settings;
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::common::{App, click, profile_store};

const CLASS: &str = "7b history";

/// A class of Ada and Bo on the bundled dates deck, in `dir`'s default profile.
pub fn class(dir: &Path) {
    let mut store = profile_store(dir);
    store
        .create_class(
            CLASS,
            &["pm-dates".to_owned()],
            &ClassSettings::from_profile(&Settings::default()),
            &["Ada Lovelace".to_owned(), "Bo Svensson".to_owned()],
            Utc::now(),
        )
        .unwrap();
}

fn send(h: &mut App, command: AppCommand) {
    let ctx = h.ctx.clone();
    h.state_mut().handle(command, &ctx);
    h.run();
}

type Phone =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Ada's phone: joins, answers her card right (from the bundled deck); returns the ack and
/// the phone, still connected.
async fn ada(addr: std::net::SocketAddr, pin: String) -> (Value, Phone) {
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws"))
        .await
        .unwrap();
    ws.send(Message::text(
        json!({"type": "join", "pin": pin, "name": "ada lovelace"}).to_string(),
    ))
    .await
    .unwrap();
    let mut state = Value::Null;
    while state["type"] != "state" {
        let m = ws.next().await.unwrap().unwrap();
        if let Message::Text(t) = m {
            state = serde_json::from_str(&t).unwrap();
        }
    }
    let id = state["card"]["id"].as_str().unwrap().to_owned();
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
    let mut msg = json!({"type": "answer", "card": id, "id": "a1"});
    if state["card"]["form"] == "choice" {
        let at = state["card"]["options"]
            .as_array()
            .unwrap()
            .iter()
            .position(|o| o.as_str() == Some(answer.as_str()))
            .unwrap();
        msg["choice"] = json!(at);
    } else {
        msg["text"] = json!(answer);
    }
    ws.send(Message::text(msg.to_string())).await.unwrap();
    loop {
        let m = ws.next().await.unwrap().unwrap();
        if let Message::Text(t) = m {
            let v: Value = serde_json::from_str(&t).unwrap();
            if v["type"] == "ack" {
                return (v, ws);
            }
        }
    }
}

#[test]
fn a_warm_up_on_the_projector_shows_the_class_as_it_answers() {
    let dir = tempfile::tempdir().unwrap();
    class(dir.path());
    let mut h = crate::common::app_sized(dir.path(), [1100.0, 760.0]);
    h.state_mut().set_live_bind(IpAddr::V4(Ipv4Addr::LOCALHOST));
    h.run();
    // From the class drill's screen to the class, as a teacher finds it.
    click(&mut h, "Class drill");
    click(&mut h, flashdrill::ui::drill::CLASSES_BUTTON);
    click(&mut h, CLASS);
    let minutes = h.get_by_label("On the students' phones: a warm-up of");
    assert_eq!(minutes.value().as_deref(), Some("10 min"));
    click(&mut h, "Start warm-up");
    assert_eq!(h.state().screen(), Screen::Warmup);
    h.get_by_label_contains(" left");
    h.get_by_label(&format!("Spaced warm-up: {CLASS}"));
    h.get_by_label("Waiting for students to join…");
    crate::accessibility::assert_accessible(&h, "the warm-up's projector");
    let warmup = h.state().warmup().expect("a warm-up is served");
    let (addr, pin) = (warmup.local_addr(), warmup.pin().to_owned());
    h.get_by_label(&format!("PIN {pin}"));
    h.get_by_label_contains("QR code of the join address");

    let rt = tokio::runtime::Runtime::new().unwrap();
    let (ack, phone) = rt.block_on(ada(addr, pin));
    assert_eq!(ack["right"], true, "{ack}");
    h.run();
    h.get_by_label_contains("1 joined · 1 active · 1 answer · 100 % right");
    h.get_by_label("Ada Lovelace — answering, 1 of 1 right");

    drop(phone);
    click(&mut h, "End the warm-up now");
    h.run();
    click(&mut h, "Close the warm-up");
    assert_eq!(h.state().screen(), Screen::Classes);
    assert!(h.state().warmup().is_none());

    // Ada's answer is in her own schedule, not the teacher's.
    let store = h.state().store().unwrap();
    assert_eq!(
        store.review_count().unwrap(),
        0,
        "the teacher's log is untouched"
    );
    let class = store.class_named(CLASS).unwrap();
    let ada = store.find_student(&class, "Ada Lovelace").unwrap();
    let reviews = store.student_reviews(ada.key).unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].review.mode, flashdrill_core::store::Mode::Srs);
}

#[test]
fn a_class_that_does_not_exist_is_said_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = crate::common::app_sized(dir.path(), [1100.0, 760.0]);
    h.state_mut().set_live_bind(IpAddr::V4(Ipv4Addr::LOCALHOST));
    h.run();
    send(
        &mut h,
        AppCommand::StartWarmup {
            class: "nobody".to_owned(),
            minutes: 5,
        },
    );
    h.get_by_label_contains("The warm-up for \"nobody\" could not start:");
    click(&mut h, "Back to decks");
    assert_eq!(h.state().screen(), Screen::Home);
}

#[test]
fn a_class_plays_the_live_game_from_its_page() {
    let dir = tempfile::tempdir().unwrap();
    class(dir.path());
    let mut h = crate::common::app_sized(dir.path(), [1100.0, 760.0]);
    h.run();
    click(&mut h, "Class drill");
    click(&mut h, flashdrill::ui::drill::CLASSES_BUTTON);
    click(&mut h, CLASS);
    click(&mut h, "Play the live game…");
    assert_eq!(h.state().screen(), Screen::Drill);
    let played_by = h.get_by_label("Played by");
    assert_eq!(played_by.value().as_deref(), Some(CLASS));
    h.get_by_label("Start live game");
}

#[test]
fn a_class_s_report_counts_warm_up_answers_while_the_warm_up_runs() {
    let dir = tempfile::tempdir().unwrap();
    class(dir.path());
    let mut h = crate::common::app_sized(dir.path(), [1100.0, 1400.0]);
    h.state_mut().set_live_bind(IpAddr::V4(Ipv4Addr::LOCALHOST));
    h.run();
    click(&mut h, "Class drill");
    click(&mut h, flashdrill::ui::drill::CLASSES_BUTTON);
    click(&mut h, CLASS);
    click(&mut h, "Report");
    h.get_by_label("Ada Lovelace has not answered yet.");
    click(&mut h, "Start warm-up");
    let warmup = h.state().warmup().expect("a warm-up is served");
    let (addr, pin) = (warmup.local_addr(), warmup.pin().to_owned());

    // The teacher goes back to the class's report while the class warms up.
    click(&mut h, "Class drill");
    click(&mut h, flashdrill::ui::drill::CLASSES_BUTTON);
    h.get_by_label("Ada Lovelace has not answered yet.");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (ack, _phone) = rt.block_on(ada(addr, pin));
    assert_eq!(ack["right"], true, "{ack}");
    h.run();
    // Ada's answer is in the report on show, without opening the class again.
    assert_eq!(h.state().screen(), Screen::Classes);
    h.get_by_label_contains("1 answer in 1 session: 1 right (100 %)");
    assert!(
        h.query_by_label("Ada Lovelace has not answered yet.")
            .is_none()
    );
}
