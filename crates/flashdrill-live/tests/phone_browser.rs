//! The phone page in a real browser: Debian's headless Chromium driven through chromedriver's
//! WebDriver protocol (spoken here over plain HTTP on 127.0.0.1), against a game on 127.0.0.1.
//! Needs `chromium` and `chromium-driver` (`.ci/run` installs them). With
//! `LIVE_SCREENSHOT_DIR=<dir>` it also saves phone-size screenshots of each step there.

use std::io::{Read as _, Write as _};
use std::net::{IpAddr, Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use flashdrill_core::drill::{Body, CardRef, Question};
use flashdrill_core::quiz::Choices;
use flashdrill_live::{Command as Game, LiveConfig, LiveGame, Phase};
use serde_json::{Value, json};

const PIN: &str = "314159";

fn question(prompt: &str, options: &[&str], correct: usize) -> Question {
    Question {
        body: Body::MultipleChoice(Choices {
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            correct_index: correct,
        }),
        cards: vec![CardRef {
            deck_id: "d".into(),
            card_id: "c".into(),
        }],
        prompt: prompt.into(),
        answer: options[correct].into(),
        source: None,
        explanation: None,
    }
}

/// chromedriver, killed at the end.
struct Driver {
    child: Child,
    port: u16,
    session: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = http(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP/1.1 request to chromedriver; the JSON body of the answer (read up to its
/// Content-Length: chromedriver keeps the connection open).
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let err = |e: std::io::Error| e.to_string();
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(err)?;
    s.set_read_timeout(Some(Duration::from_mins(1)))
        .map_err(err)?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).map_err(err)?;
    let mut out = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = s.read(&mut buf).map_err(err)?;
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&out);
        if let Some((head, rest)) = text.split_once("\r\n\r\n") {
            let length = head.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse::<usize>().ok())
                    .flatten()
            });
            if length.is_some_and(|len| rest.len() >= len) {
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&out);
    let (_, json) = text.split_once("\r\n\r\n").ok_or("no body")?;
    serde_json::from_str(json).map_err(|e| format!("{e}: {json}"))
}

impl Driver {
    fn start(profile: &std::path::Path) -> Self {
        let port = free_port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs (apt-get install chromium chromium-driver)");
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver never listened"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    format!("--user-data-dir={}", profile.display()),
                    "--window-size=390,844"],
                "mobileEmulation": {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2.0}}
            }
        }}});
        let mut driver = Self {
            child,
            port,
            session: String::new(),
        };
        let v = http(port, "POST", "/session", Some(&caps)).unwrap();
        v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .clone_into(&mut driver.session);
        driver
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let v = http(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            body,
        )
        .unwrap();
        assert!(v["value"]["error"].is_null(), "{method} {path}: {v}");
        v["value"].clone()
    }

    fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(&json!({ "url": url })));
    }

    fn js(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(&json!({"script": script, "args": []})),
        )
    }

    fn element(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(&json!({"using": "css selector", "value": css})),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap()
            .to_owned()
    }

    fn click(&self, css: &str) {
        let id = self.element(css);
        self.call("POST", &format!("/element/{id}/click"), Some(&json!({})));
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            Some(&json!({ "text": text })),
        );
    }

    /// Waits until `script` (an expression) is true in the page.
    fn wait(&self, script: &str) {
        let start = Instant::now();
        loop {
            if self.js(&format!("return !!({script});")) == json!(true) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "never true: {script}; page: {}",
                self.js("return document.body.innerText;")
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn text(&self, id: &str) -> String {
        self.js(&format!(
            "return document.getElementById('{id}').textContent;"
        ))
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    fn shown(id: &str) -> String {
        format!("!document.getElementById('{id}').hidden")
    }

    fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("LIVE_SCREENSHOT_DIR") else {
            return;
        };
        let b64 = self.call("GET", "/screenshot", None);
        let png = base64_decode(b64.as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"));
        std::fs::write(PathBuf::from(dir).join(format!("{name}.png")), png).unwrap();
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = s
        .bytes()
        .filter(|c| *c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= u32::from(value(*c)) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

#[test]
fn base64_decodes() {
    assert_eq!(base64_decode("aGVsbG8="), b"hello");
    assert_eq!(base64_decode("aGk="), b"hi");
    assert_eq!(base64_decode("YWJj"), b"abc");
}

#[test]
fn a_student_joins_answers_and_sees_the_result_in_chromium() {
    let config = LiveConfig {
        pin: Some(PIN.into()),
        port: 0,
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        seconds: 30,
        auto: None,
    };
    let questions = vec![
        question(
            "In which year did Putin first visit Pyongyang?",
            &["1994", "2000", "2011", "2024"],
            1,
        ),
        question("Which is a <b>bold</b> claim?", &["<i>this</i>", "that"], 0),
    ];
    let game = LiveGame::start(questions, &config).unwrap();
    let profile = tempfile_dir();
    let driver = Driver::start(&profile);
    let url = format!("http://{}/", game.local_addr());
    driver.goto(&url);
    driver.wait(&Driver::shown("join"));
    driver.screenshot("live-phone-join");

    // A wrong PIN is refused on the page.
    driver.type_into("#pin", "000000");
    driver.type_into("#name", "<img src=x>Ada");
    driver.click("#joinBtn");
    driver.wait(&Driver::shown("error"));
    assert!(driver.text("error").contains("PIN"));

    driver.js("document.getElementById('pin').value = '';");
    driver.type_into("#pin", PIN);
    driver.click("#joinBtn");
    driver.wait(&Driver::shown("lobby"));
    // The name is shown as text, never as markup.
    assert_eq!(driver.text("lobbyName"), "<img src=x>Ada");
    assert_eq!(driver.js("return document.images.length;"), json!(0));
    assert_eq!(game.snapshot().game.players.len(), 1);
    driver.screenshot("live-phone-lobby");

    assert!(game.command(Game::Start));
    driver.wait("document.querySelectorAll('#choice button').length === 4");
    assert_eq!(driver.text("qNumber"), "Question 1 of 2");
    let timer: u32 = driver.text("timer").parse().unwrap();
    assert!((25..=30).contains(&timer), "{timer}");
    driver.screenshot("live-phone-question");
    driver.click("#choice button:nth-child(2)");
    driver.wait(&Driver::shown("received"));
    assert_eq!(game.snapshot().game.answered, 1);
    driver.screenshot("live-phone-received");

    // The only player answered: the server reveals by itself.
    driver.wait(&Driver::shown("reveal"));
    assert_eq!(driver.text("verdict"), "Right!");
    assert_eq!(driver.text("rAnswer"), "2000");
    let points: u32 = driver
        .text("rPoints")
        .trim_start_matches('+')
        .parse()
        .unwrap();
    assert!(points > 150, "{points}");
    driver.screenshot("live-phone-reveal");

    // A reload rejoins with the same name and points.
    driver.goto(&url);
    driver.wait(&Driver::shown("reveal"));
    assert_eq!(driver.text("rPoints"), format!("+{points}"));
    assert_eq!(game.snapshot().game.players.len(), 1);

    assert!(game.command(Game::Next));
    assert!(game.command(Game::Next));
    driver.wait("document.querySelectorAll('#choice button').length === 2");
    assert_eq!(driver.text("qPrompt"), "Which is a <b>bold</b> claim?");
    driver.click("#choice button:nth-child(2)");
    driver.wait(&Driver::shown("reveal"));
    assert_eq!(driver.text("verdict"), "Not quite");
    assert!(game.command(Game::Next));
    driver.wait(&Driver::shown("board"));
    assert!(game.command(Game::Next));
    assert_eq!(game.snapshot().game.phase, Phase::Finished);
    driver.wait(&Driver::shown("finished"));
    assert_eq!(driver.text("fRank"), "1st of 1");
    assert!(driver.text("fTotal").contains("1 of 2 right"));
    driver.screenshot("live-phone-finished");
    drop(driver);
    let _ = std::fs::remove_dir_all(profile);
}

fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "flashdrill-live-chromium-{}-{}",
        std::process::id(),
        free_port()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
