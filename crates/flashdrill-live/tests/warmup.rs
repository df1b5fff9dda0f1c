//! The spaced warm-up with real websocket clients (`tokio-tungstenite`) on 127.0.0.1, over an
//! in-memory class (tests/support/class.rs).

#[path = "support/class.rs"]
mod class;
#[path = "support/phone.rs"]
mod phone;
mod support;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use class::{FakeCard, FakeClass};
use flashdrill_live::warmup::{Activity, Given};
use flashdrill_live::{LiveConfig, LiveError, LiveWarmup};
use serde_json::{Value, json};

use phone::{Phone, http_get, local_config};
use support::poll_until;

const PIN: &str = "271828";
const NEW_LIMIT: usize = 4;

/// The three cards of each form, then five more.
fn deck() -> Vec<FakeCard> {
    let mut deck = FakeCard::one_of_each_form();
    deck.extend([
        FakeCard::choice("d/c3", "Which sea?", &["Japan", "Okhotsk"], 0),
        FakeCard::typed("d/c4", "Capital of North Korea?", "Pyongyang"),
        FakeCard::choice("d/c5", "Treaty year?", &["2023", "2024"], 1),
        FakeCard::choice("d/c6", "Which cosmodrome?", &["Baikonur", "Vostochny"], 1),
        FakeCard::choice("d/c7", "Which train?", &["armoured", "high-speed"], 0),
    ]);
    deck
}

fn roster(n: usize) -> Vec<String> {
    let mut names = vec![
        "Ada Lovelace".to_owned(),
        "Bo Svensson".to_owned(),
        "José Martínez".to_owned(),
    ];
    names.extend((3..n).map(|i| format!("Student {i}")));
    names.truncate(n);
    names
}

/// A class of `students`: Ada (the first) already knows d/c5 (due yesterday) and d/c6 (due
/// in three days); everyone else is new to the deck.
fn class(students: usize) -> Arc<FakeClass> {
    let names = roster(students);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    Arc::new(
        FakeClass::new("class", &names, deck(), NEW_LIMIT)
            .with_history(0, 5, Utc::now() - chrono::Duration::days(1))
            .with_history(0, 6, Utc::now() + chrono::Duration::days(3)),
    )
}

fn serve(class: &Arc<FakeClass>) -> LiveWarmup {
    LiveWarmup::start(
        &local_config(PIN),
        Arc::clone(class) as _,
        Duration::from_mins(10),
    )
    .unwrap()
}

/// Joins by name; returns the phone, its welcome and its first state.
async fn join(addr: SocketAddr, name: &str) -> (Phone, Value, Value) {
    let (mut p, welcome) = Phone::join(addr, PIN, name).await;
    let state = p.recv().await;
    assert_eq!(state["type"], "state", "{state}");
    (p, welcome, state)
}

/// What a phone in the warm-up does beyond sending and reading.
trait Student {
    /// Sends an answer; returns the server's reply (`ack` or `error`) and the state after it.
    async fn answer(&mut self, card: &str, id: &str, given: &Given) -> (Value, Value);
}

impl Student for Phone {
    async fn answer(&mut self, card: &str, id: &str, given: &Given) -> (Value, Value) {
        let mut msg = json!({"type": "answer", "card": card, "id": id});
        match given {
            Given::Choice(i) => msg["choice"] = json!(i),
            Given::Text(t) => msg["text"] = json!(t),
            Given::Order(o) => msg["order"] = json!(o),
        }
        self.send(&msg).await;
        let reply = self.recv().await;
        let state = self.recv().await;
        assert_eq!(state["type"], "state", "{state}");
        (reply, state)
    }
}

fn card_id(state: &Value) -> &str {
    state["card"]["id"].as_str().unwrap_or("")
}

/// The cards each student is expected to see: Ada her due card first, then four new ones;
/// odd students get d/c1 wrong, and it comes back to them (only) at the end.
fn expected(student: usize) -> Vec<&'static str> {
    let mut cards = vec!["d/c0", "d/c1", "d/c2", "d/c3"];
    if student == 0 {
        cards.insert(0, "d/c5");
    }
    if student % 2 == 1 {
        cards.push("d/c1");
    }
    cards
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_phones_each_study_their_own_queue() {
    const STUDENTS: usize = 30;
    let class = class(STUDENTS);
    let warmup = serve(&class);
    let addr = warmup.local_addr();
    let mut tasks = Vec::new();
    for s in 0..STUDENTS {
        let class = Arc::clone(&class);
        tasks.push(tokio::spawn(async move {
            // Names typed as students do: other case, no accents, extra spaces.
            let typed = match s {
                0 => "  ada   LOVELACE ".to_owned(),
                2 => "jose martinez".to_owned(),
                _ => roster(STUDENTS)[s].clone(),
            };
            let (mut phone, welcome, mut state) = join(addr, &typed).await;
            assert_eq!(welcome["name"], roster(STUDENTS)[s]);
            assert_eq!(welcome["token"], class.token(s));
            let first = state.clone();
            let mut seen: Vec<String> = Vec::new();
            while state["phase"] == "study" {
                let card = card_id(&state).to_owned();
                assert_eq!(state["done"], seen.len(), "{state}");
                let fake = class.card(&card);
                assert_eq!(state["card"]["prompt"], fake.prompt);
                let wrong = s % 2 == 1 && card == "d/c1" && !seen.contains(&card);
                let given = if wrong {
                    fake.wrong_answer()
                } else {
                    fake.right_answer()
                };
                let id = format!("s{s}-{}", seen.len());
                let (ack, next) = phone.answer(&card, &id, &given).await;
                assert_eq!(ack["type"], "ack", "{ack}");
                assert_eq!(
                    (ack["id"].as_str(), ack["card"].as_str()),
                    (Some(id.as_str()), Some(card.as_str()))
                );
                assert_eq!(ack["right"], !wrong);
                if card == "d/c1" {
                    assert_eq!(ack["answer"], "Kim Jong Un");
                    assert_eq!(ack["sentence"], "The article's sentence for d/c1.");
                }
                seen.push(card);
                state = next;
            }
            assert_eq!(state["phase"], "finished", "{state}");
            (s, first, seen, state)
        }));
    }
    let mut total = 0;
    for task in tasks {
        let (s, first, seen, finished) = task.await.unwrap();
        assert_eq!(seen, expected(s), "student {s}");
        // The phone got exactly the cards the class handed out and kept for this student.
        let kept: Vec<String> = class.log(s).into_iter().map(|l| l.card).collect();
        assert_eq!(kept, seen, "student {s}");
        assert_eq!(finished["answered"], seen.len());
        assert_eq!(finished["right"], 4 + usize::from(s == 0));
        // Two students with different histories start on different cards.
        match s {
            0 => assert_eq!((card_id(&first), first["left"].as_u64()), ("d/c5", Some(5))),
            _ => assert_eq!((card_id(&first), first["left"].as_u64()), ("d/c0", Some(4))),
        }
        total += seen.len();
    }
    assert_eq!(class.total_answers(), total);
    let snap = warmup.snapshot();
    assert_eq!(snap.answers as usize, total);
    assert_eq!(snap.right as usize, total - STUDENTS / 2);
    assert_eq!(snap.students.len(), STUDENTS);
    assert!(snap.students.iter().all(|s| s.activity == Activity::Done));
    // Listed in join order, by their names on the roster.
    let bo = snap
        .students
        .iter()
        .find(|s| s.name == "Bo Svensson")
        .unwrap();
    assert_eq!((bo.answered, bo.right), (5, 4));
    assert!(snap.students.iter().any(|s| s.name == "José Martínez"));
    let worst = &snap.missed[0];
    assert_eq!(
        (
            worst.id.as_str(),
            worst.prompt.as_str(),
            worst.misses,
            worst.answers
        ),
        ("d/c1", "Who leads North Korea?", 15, 45)
    );
    assert_eq!(snap.missed.len(), 1, "no other card was missed");
    let percent = snap.percent_right.unwrap();
    assert!((percent - 100.0 * (total - 15) as f64 / total as f64).abs() < 1e-9);
}

#[tokio::test]
async fn a_reconnecting_phone_resends_its_answer_and_it_counts_once() {
    let class = class(3);
    let warmup = serve(&class);
    let addr = warmup.local_addr();
    let (mut phone, welcome, state) = join(addr, "Ada Lovelace").await;
    let token = welcome["token"].as_str().unwrap().to_owned();
    assert_eq!(card_id(&state), "d/c5");
    let (ack, state) = phone
        .answer("d/c5", "a1", &class.card("d/c5").right_answer())
        .await;
    assert_eq!(ack["right"], true);
    assert_eq!(card_id(&state), "d/c0");
    // The answer to d/c0 leaves, and the connection drops before its ack arrives.
    phone
        .send(&json!({"type": "answer", "card": "d/c0", "id": "a2", "choice": 3}))
        .await;
    drop(phone);
    let committed = poll_until(Duration::from_secs(10), async || class.log(0).len() == 2).await;
    assert!(committed, "the answer reached the class");

    // The phone comes back with its token (no name typed) and sends the answer again.
    let mut again = Phone::connect(addr).await;
    let welcome = again.rejoin(PIN, &token).await;
    assert_eq!(
        (welcome["type"].as_str(), welcome["name"].as_str()),
        (Some("welcome"), Some("Ada Lovelace"))
    );
    assert_eq!(
        card_id(&again.recv().await),
        "d/c1",
        "moved on: d/c0 was committed"
    );
    let (ack, state) = again.answer("d/c0", "a2", &Given::Choice(3)).await;
    assert_eq!(
        ack,
        json!({"type": "ack", "id": "a2", "card": "d/c0", "right": false,
            "answer": "2000", "sentence": "The article's sentence for d/c0."})
    );
    assert_eq!(card_id(&state), "d/c1");
    // An older answer sent once more: the same ack, nothing counted.
    let (ack, _) = again.answer("d/c5", "a1", &Given::Choice(0)).await;
    assert_eq!(
        (ack["id"].as_str(), ack["right"].as_bool()),
        (Some("a1"), Some(true))
    );
    assert_eq!(class.log(0).len(), 2);
    let snap = warmup.snapshot();
    assert_eq!((snap.answers, snap.right), (2, 1));
    assert_eq!(snap.students.len(), 1);
    assert_eq!(snap.students[0].activity, Activity::Answering);
    assert_eq!(snap.missed[0].id, "d/c0");

    // A new answer after the reconnect counts.
    let (ack, _) = again
        .answer("d/c1", "a3", &Given::Text("  kim JONG un ".into()))
        .await;
    assert_eq!(ack["right"], true, "marked leniently");
    assert_eq!(class.log(0).len(), 3);
    assert_eq!(warmup.snapshot().answers, 3);

    // The phone is put away: the projector shows it away.
    drop(again);
    let away = poll_until(Duration::from_secs(10), async || {
        warmup.snapshot().students[0].activity == Activity::Away
    })
    .await;
    assert!(away);
}

#[tokio::test]
async fn a_wrong_card_comes_back_to_its_student_only() {
    let class = class(3);
    let warmup = serve(&class);
    let addr = warmup.local_addr();
    let (mut bo, _, bo_state) = join(addr, "Bo Svensson").await;
    let (mut jose, _, jose_state) = join(addr, "JOSÉ MARTÍNEZ").await;
    assert_eq!((card_id(&bo_state), card_id(&jose_state)), ("d/c0", "d/c0"));
    // Bo misses d/c0, José gets it right.
    let (_, bo_next) = bo.answer("d/c0", "b0", &Given::Choice(0)).await;
    let (_, jose_next) = jose.answer("d/c0", "j0", &Given::Choice(1)).await;
    let mut bo_cards = vec![card_id(&bo_next).to_owned()];
    let mut jose_cards = vec![card_id(&jose_next).to_owned()];
    let mut state = bo_next;
    while state["phase"] == "study" {
        let card = card_id(&state).to_owned();
        let (_, next) = bo
            .answer(
                &card,
                &format!("b{}", bo_cards.len()),
                &class.card(&card).right_answer(),
            )
            .await;
        state = next;
        bo_cards.push(card_id(&state).to_owned());
    }
    let mut state = jose_next;
    while state["phase"] == "study" {
        let card = card_id(&state).to_owned();
        let (_, next) = jose
            .answer(
                &card,
                &format!("j{}", jose_cards.len()),
                &class.card(&card).right_answer(),
            )
            .await;
        state = next;
        jose_cards.push(card_id(&state).to_owned());
    }
    // After the other new cards, d/c0 comes back to Bo (its learning step is not over, but
    // nothing else is left); José never sees it again.
    assert_eq!(bo_cards, ["d/c1", "d/c2", "d/c3", "d/c0", ""]);
    assert_eq!(jose_cards, ["d/c1", "d/c2", "d/c3", ""]);
    assert_eq!(
        state,
        json!({"type": "state", "phase": "finished", "answered": 4, "right": 4})
    );
    let snap = warmup.snapshot();
    assert_eq!((snap.answers, snap.right), (9, 8));
    assert_eq!(
        (snap.missed[0].id.as_str(), snap.missed[0].misses),
        ("d/c0", 1)
    );
}

#[tokio::test]
async fn refusals_have_their_own_codes_and_count_nothing() {
    let class = class(3);
    let warmup = serve(&class);
    let addr = warmup.local_addr();
    let mut p = Phone::connect(addr).await;
    let refusal = async |p: &mut Phone, msg: Value| -> String {
        p.send(&msg).await;
        let m = p.recv().await;
        assert_eq!(m["type"], "error", "{msg} → {m}");
        assert!(!m["message"].as_str().unwrap().is_empty());
        m["code"].as_str().unwrap().to_owned()
    };
    let answer = json!({"type": "answer", "card": "d/c0", "id": "x1", "choice": 1});
    assert_eq!(refusal(&mut p, answer.clone()).await, "not_joined");
    let join = |name: &str| json!({"type": "join", "pin": PIN, "name": name});
    let rejoin = |token: &str| json!({"type": "rejoin", "pin": PIN, "token": token});
    assert_eq!(
        refusal(
            &mut p,
            json!({"type": "join", "pin": "000000", "name": "Bo Svensson"})
        )
        .await,
        "wrong_pin"
    );
    assert_eq!(refusal(&mut p, join("Bob Svensson")).await, "not_on_roster");
    assert_eq!(refusal(&mut p, join("   ")).await, "empty_name");
    assert_eq!(refusal(&mut p, rejoin("other.1")).await, "other_class");
    assert_eq!(refusal(&mut p, rejoin("class.99")).await, "unknown_token");
    assert_eq!(refusal(&mut p, rejoin("")).await, "unknown_token");
    assert_eq!(
        refusal(&mut p, rejoin(&"x".repeat(300))).await,
        "unknown_token"
    );

    // A connection may send 20 messages at once: the rest on a fresh one.
    let mut p = Phone::connect(addr).await;
    p.send(&join("Bo Svensson")).await;
    assert_eq!(p.recv().await["type"], "welcome");
    assert_eq!(card_id(&p.recv().await), "d/c0");
    assert_eq!(
        refusal(&mut p, join("Ada Lovelace")).await,
        "already_joined"
    );
    // A card that is not Bo's now (Ada's due card, or one he has not reached).
    for card in ["d/c5", "d/c3", "nope"] {
        let (reply, state) = p.answer(card, "x2", &Given::Choice(0)).await;
        assert_eq!(reply["code"], "not_in_queue", "{card}");
        assert_eq!(card_id(&state), "d/c0", "told the card he has now");
    }
    let bad_answers = [
        json!({"type": "answer", "card": "d/c0", "id": "a b", "choice": 1}),
        json!({"type": "answer", "card": "d/c0", "id": "", "choice": 1}),
        json!({"type": "answer", "card": "d/c0", "id": "x3", "choice": 1, "text": "2000"}),
        json!({"type": "answer", "card": "d/c0", "id": "x3"}),
        json!({"type": "answer", "card": "d/c0", "id": "x3", "choice": 9}),
        json!({"type": "answer", "card": "d/c0", "id": "x3", "text": "2000"}),
        json!({"type": "answer", "card": "d/c0", "id": "x3", "order": [1, 0]}),
    ];
    for msg in bad_answers {
        assert_eq!(
            refusal(&mut p, msg.clone()).await,
            "invalid_answer",
            "{msg}"
        );
    }
    let mut p = Phone::connect(addr).await;
    for junk in [
        "not json".to_owned(),
        r#"{"type":"answer","question":0,"choice":1}"#.to_owned(),
        r#"{"type":"answer","card":"d/c0","id":"x4","choice":1,"right":true}"#.to_owned(),
        r#"{"type":"hack"}"#.to_owned(),
    ] {
        p.send_raw(&junk).await;
        assert_eq!(p.recv().await["code"], "bad_message", "{junk}");
    }
    p.send_raw(&format!(
        r#"{{"type":"join","pin":"{PIN}","name":"{}"}}"#,
        "x".repeat(5000)
    ))
    .await;
    assert_eq!(p.recv().await["code"], "too_big");
    p.send_binary(vec![0u8, 1]).await;
    assert_eq!(p.recv().await["code"], "bad_message");
    assert_eq!(class.total_answers(), 0, "nothing refused was counted");
    let snap = warmup.snapshot();
    assert_eq!(snap.answers, 0);
    assert!(snap.refused >= 24, "{}", snap.refused);

    // Flooding: over the rate limit, messages are refused.
    let too_fast = p.flood(40).await;
    assert!(too_fast >= 10, "{too_fast} refused");

    // Guessing PINs closes the connection.
    let mut guesser = Phone::connect(addr).await;
    for _ in 0..5 {
        guesser
            .send(&json!({"type": "join", "pin": "111111", "name": "Ada Lovelace"}))
            .await;
    }
    assert!(
        guesser.closed_within(6).await,
        "closed after five wrong PINs"
    );
    assert_eq!(warmup.snapshot().students.len(), 1);
}

#[tokio::test]
async fn the_page_is_served_in_warmup_mode_and_nothing_else() {
    let class = class(1);
    let warmup = serve(&class);
    let addr = warmup.local_addr();
    let page = http_get(addr, "/").await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page:.80}");
    assert!(page.contains(r#"<meta name="flashdrill-mode" content="warmup">"#));
    assert!(page.to_lowercase().contains("content-security-policy"));
    for path in ["/index.html", "/api", "/ws/x"] {
        assert!(
            http_get(addr, path).await.starts_with("HTTP/1.1 404"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn when_the_teacher_ends_it_each_phone_gets_its_summary() {
    let class = class(3);
    let warmup = serve(&class);
    let addr = warmup.local_addr();
    let (mut ada, _, _) = join(addr, "Ada Lovelace").await;
    let (mut bo, _, bo_state) = join(addr, "Bo Svensson").await;
    let (_, state) = ada.answer("d/c5", "a1", &Given::Choice(1)).await;
    assert_eq!(card_id(&state), "d/c0");
    assert!(!warmup.snapshot().over);
    assert!(warmup.end());
    assert!(!warmup.end(), "already over");
    assert_eq!(
        ada.recv().await,
        json!({"type": "state", "phase": "finished", "answered": 1, "right": 1})
    );
    assert_eq!(
        bo.recv().await,
        json!({"type": "state", "phase": "finished", "answered": 0, "right": 0})
    );
    // Bo had his card on screen when time was up: his answer is still taken and counted.
    assert_eq!(card_id(&bo_state), "d/c0");
    let (ack, state) = bo.answer("d/c0", "b1", &Given::Choice(1)).await;
    assert_eq!(ack["right"], true);
    assert_eq!(state["answered"], 1);
    // A phone joining now gets its summary straight away.
    let (_, _, state) = join(addr, "José Martínez").await;
    assert_eq!(state["phase"], "finished");
    let snap = warmup.snapshot();
    assert!(snap.over);
    assert!(snap.seconds_left.abs() < f64::EPSILON);
    assert_eq!((snap.answers, snap.right), (2, 2));
    assert!(snap.students.iter().all(|s| s.activity == Activity::Done));
}

#[test]
fn a_warmup_has_a_length() {
    let class = class(1);
    let config = LiveConfig {
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        ..LiveConfig::default()
    };
    for bad in [Duration::ZERO, Duration::from_hours(4)] {
        let err = LiveWarmup::start(&config, Arc::clone(&class) as _, bad).unwrap_err();
        assert!(matches!(err, LiveError::WarmupLength(_)), "{err}");
        assert!(err.to_string().contains("3 hours"));
    }
    let warmup =
        LiveWarmup::start(&config, Arc::clone(&class) as _, Duration::from_mins(5)).unwrap();
    assert_eq!(warmup.pin().len(), 6);
    assert_eq!(
        warmup.qr_url(),
        format!("{}?pin={}", warmup.join_url(), warmup.pin())
    );
    let left = warmup.snapshot().seconds_left;
    assert!(left > 200.0 && left <= 300.0, "{left}");
}

#[tokio::test]
async fn when_time_is_up_the_warmup_ends_by_itself() {
    let class = class(2);
    let config = local_config(PIN);
    let warmup =
        LiveWarmup::start(&config, Arc::clone(&class) as _, Duration::from_millis(600)).unwrap();
    let mut phone = Phone::connect(warmup.local_addr()).await;
    phone
        .send(&json!({"type": "join", "pin": PIN, "name": "Bo Svensson"}))
        .await;
    assert_eq!(phone.recv().await["type"], "welcome");
    // Whether the card came before the time was up or not, the summary follows by itself.
    loop {
        let m = phone.recv().await;
        assert_eq!(m["type"], "state", "{m}");
        if m["phase"] == "finished" {
            assert_eq!(
                (m["answered"].as_u64(), m["right"].as_u64()),
                (Some(0), Some(0))
            );
            break;
        }
        assert_eq!(card_id(&m), "d/c0");
    }
    let snap = warmup.snapshot();
    assert!(snap.over);
    assert_eq!(snap.students[0].activity, Activity::Done);
}

#[tokio::test]
async fn an_answer_the_store_could_not_save_is_not_counted_until_sent_again() {
    let class = class(2);
    let warmup = serve(&class);
    let (mut bo, _, state) = join(warmup.local_addr(), "Bo Svensson").await;
    assert_eq!(card_id(&state), "d/c0");
    class.fail_next_commits(1);
    bo.send(&json!({"type": "answer", "card": "d/c0", "id": "b1", "choice": 1}))
        .await;
    let refused = bo.recv().await;
    assert_eq!(refused["code"], "not_saved", "{refused}");
    assert_eq!(class.total_answers(), 0);
    assert_eq!(warmup.snapshot().answers, 0);
    // Sent again with the same id: committed now, once.
    let (ack, state) = bo.answer("d/c0", "b1", &Given::Choice(1)).await;
    assert_eq!(
        (ack["id"].as_str(), ack["right"].as_bool()),
        (Some("b1"), Some(true))
    );
    assert_eq!(card_id(&state), "d/c1");
    assert_eq!(class.total_answers(), 1);
    assert_eq!(warmup.snapshot().answers, 1);
}
