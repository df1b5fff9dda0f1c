//! The phone page in a real browser: Debian's headless Chromium driven through chromedriver
//! (WebDriver, with `fantoccini`, over plain HTTP on 127.0.0.1), against a game on 127.0.0.1.
//! Needs `chromium` and `chromedriver` on `PATH` (`.ci/run` installs Debian's `chromium` and
//! `chromium-driver`); without them the test fails. With `LIVE_SCREENSHOT_DIR=<dir>` it also
//! saves phone-size screenshots of each step there.

#[path = "support/class.rs"]
mod class;
mod support;

use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use flashdrill_core::deck::PartialDate;
use flashdrill_core::drill::{Body, CardRef, Question};
use flashdrill_core::quiz::{Choices, Event, Timeline};
use flashdrill_live::{Command as Game, LiveConfig, LiveGame, LiveWarmup, Phase};
use futures_util::FutureExt as _;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use tempfile::TempDir;

use support::poll_until;

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

/// chromedriver's process, killed when dropped.
struct Chromedriver(Child);

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A Chromium session through chromedriver, on a new empty profile.
struct Driver {
    client: Client,
    _chromedriver: Chromedriver,
    _profile: TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The path of `program` on `PATH`; the test fails when it is missing.
fn installed(program: &str) -> PathBuf {
    which::which(program).unwrap_or_else(|e| {
        panic!("{program} is not on PATH ({e}): apt-get install chromium chromium-driver")
    })
}

impl Driver {
    async fn start() -> Self {
        Self::start_sized(390, 844).await
    }

    /// A session on a phone of `width` × `height` CSS pixels.
    async fn start_sized(width: u32, height: u32) -> Self {
        let chromium = installed("chromium");
        let profile = tempfile::tempdir().unwrap();
        let port = free_port();
        let chromedriver = Chromedriver(
            Command::new(installed("chromedriver"))
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("chromedriver runs"),
        );
        let listening = poll_until(Duration::from_secs(20), async || {
            tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
        })
        .await;
        assert!(listening, "chromedriver never listened on port {port}");
        // LIVE_SCREENSHOT_DARK: the page as a phone in dark mode shows it (screenshots).
        let dark = std::env::var_os("LIVE_SCREENSHOT_DARK").is_some();
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    format!("--user-data-dir={}", profile.path().display()),
                    format!("--window-size={width},{height}"),
                    if dark { "--force-dark-mode" } else { "--no-default-browser-check" },
                    if dark { "--blink-settings=preferredColorScheme=0" } else { "--no-pings" }],
                "mobileEmulation": {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0}}
            }
        });
        let Value::Object(caps) = caps else {
            unreachable!("the capabilities are an object")
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("no Chromium session: {e}"));
        Self {
            client,
            _chromedriver: chromedriver,
            _profile: profile,
        }
    }

    /// Ends the session (Chromium quits), then chromedriver.
    async fn close(self) -> Result<(), fantoccini::error::CmdError> {
        self.client.close().await
    }

    async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("goto {url}: {e}"));
    }

    async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, Vec::new())
            .await
            .unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    async fn element(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    async fn click(&self, css: &str) {
        self.element(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    async fn type_into(&self, css: &str, text: &str) {
        self.element(css)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Waits until `script` (an expression) is true in the page.
    async fn wait(&self, script: &str) {
        let check = format!("return !!({script});");
        let became_true = poll_until(Duration::from_secs(15), async || {
            self.js(&check).await == json!(true)
        })
        .await;
        assert!(
            became_true,
            "never true: {script}; page: {}",
            self.js("return document.body.innerText;").await
        );
    }

    async fn text(&self, id: &str) -> String {
        self.js(&format!(
            "return document.getElementById('{id}').textContent;"
        ))
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    fn shown(id: &str) -> String {
        format!("!document.getElementById('{id}').hidden")
    }

    async fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("LIVE_SCREENSHOT_DIR") else {
            return;
        };
        let png = self
            .client
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("screenshot: {e}"));
        assert!(png.starts_with(b"\x89PNG"));
        let theme = if std::env::var_os("LIVE_SCREENSHOT_DARK").is_some() {
            "dark"
        } else {
            "light"
        };
        std::fs::write(PathBuf::from(dir).join(format!("{name}-{theme}.png")), png).unwrap();
    }
}

#[tokio::test]
async fn a_student_joins_answers_and_sees_the_result_in_chromium() {
    let config = LiveConfig {
        pin: Some(PIN.into()),
        port: 0,
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        seconds: 30,
        auto: None,
        roster: None,
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
    let driver = Driver::start().await;
    // Chromium quits with the session, also when the game fails: a killed chromedriver would
    // leave it running.
    let played = AssertUnwindSafe(play(&driver, &game)).catch_unwind().await;
    let closed = driver.close().await;
    if let Err(panic) = played {
        std::panic::resume_unwind(panic);
    }
    closed.expect("the session ends");
}

/// One student's game on the phone page, from the join screen to the final rank.
async fn play(driver: &Driver, game: &LiveGame) {
    let url = format!("http://{}/", game.local_addr());
    driver.goto(&url).await;
    driver.wait(&Driver::shown("join")).await;
    driver.screenshot("live-phone-join").await;

    // A wrong PIN is refused on the page.
    driver.type_into("#pin", "000000").await;
    driver.type_into("#name", "<img src=x>Ada").await;
    driver.click("#joinBtn").await;
    driver.wait(&Driver::shown("error")).await;
    assert!(driver.text("error").await.contains("PIN"));

    driver
        .js("document.getElementById('pin').value = '';")
        .await;
    driver.type_into("#pin", PIN).await;
    driver.click("#joinBtn").await;
    driver.wait(&Driver::shown("lobby")).await;
    // The name is shown as text, never as markup.
    assert_eq!(driver.text("lobbyName").await, "<img src=x>Ada");
    assert_eq!(driver.js("return document.images.length;").await, json!(0));
    assert_eq!(game.snapshot().game.players.len(), 1);
    driver.screenshot("live-phone-lobby").await;

    assert!(game.command(Game::Start));
    driver
        .wait("document.querySelectorAll('#choice button').length === 4")
        .await;
    assert_eq!(driver.text("qNumber").await, "Question 1 of 2");
    let timer: u32 = driver.text("timer").await.parse().unwrap();
    assert!((25..=30).contains(&timer), "{timer}");
    driver.screenshot("live-phone-question").await;
    driver.click("#choice button:nth-child(2)").await;
    driver.wait(&Driver::shown("received")).await;
    assert_eq!(game.snapshot().game.answered, 1);

    // The only player answered: the server reveals by itself (so soon that a picture of
    // "Answer received" would show the reveal).
    driver.wait(&Driver::shown("reveal")).await;
    assert_eq!(driver.text("verdict").await, "Right!");
    assert_eq!(driver.text("rAnswer").await, "2000");
    let points: u32 = driver
        .text("rPoints")
        .await
        .trim_start_matches('+')
        .parse()
        .unwrap();
    assert!(points > 150, "{points}");
    driver.screenshot("live-phone-reveal").await;

    // A reload rejoins with the same name and points.
    driver.goto(&url).await;
    driver.wait(&Driver::shown("reveal")).await;
    assert_eq!(driver.text("rPoints").await, format!("+{points}"));
    assert_eq!(game.snapshot().game.players.len(), 1);

    assert!(game.command(Game::Next));
    assert!(game.command(Game::Next));
    driver
        .wait("document.querySelectorAll('#choice button').length === 2")
        .await;
    assert_eq!(
        driver.text("qPrompt").await,
        "Which is a <b>bold</b> claim?"
    );
    driver.click("#choice button:nth-child(2)").await;
    driver.wait(&Driver::shown("reveal")).await;
    assert_eq!(driver.text("verdict").await, "Not quite");
    assert!(game.command(Game::Next));
    driver.wait(&Driver::shown("board")).await;
    assert!(game.command(Game::Next));
    assert_eq!(game.snapshot().game.phase, Phase::Finished);
    driver.wait(&Driver::shown("finished")).await;
    assert_eq!(driver.text("fRank").await, "1st of 1");
    assert!(driver.text("fTotal").await.contains("1 of 2 right"));
    driver.screenshot("live-phone-finished").await;
}

/// A timeline question of five long events.
fn long_timeline() -> Question {
    let events: Vec<Event> = [
        ("2000", "Putin's first visit to North Korea, the start of the rapprochement between Moscow and Pyongyang"),
        ("2019-04", "Kim Jong Un's first summit with Putin, in Vladivostok, after the collapse of talks with the United States"),
        ("2023-09", "Kim Jong Un's visit to the Vostochny Cosmodrome in eastern Russia, by armoured train"),
        ("2024-06", "Putin's visit to Pyongyang and the signing of the comprehensive strategic partnership treaty"),
        ("2024-10", "Reports of North Korean troops sent to Russia to fight in the Kursk region"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (date, caption))| Event {
        card_id: format!("e{i}"),
        caption: (*caption).to_owned(),
        date: PartialDate::parse(date).unwrap(),
    })
    .collect();
    Question {
        cards: events
            .iter()
            .map(|e| CardRef {
                deck_id: "d".into(),
                card_id: e.card_id.clone(),
            })
            .collect(),
        body: Body::Timeline(Timeline { events }),
        prompt: "Put these events in order, earliest first".into(),
        answer: String::new(),
        source: None,
        explanation: None,
    }
}

#[tokio::test]
async fn a_timeline_question_keeps_its_order_and_send_in_view_on_a_small_phone() {
    let config = LiveConfig {
        pin: Some(PIN.into()),
        port: 0,
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        seconds: 60,
        auto: None,
        roster: None,
    };
    let questions = vec![
        long_timeline(),
        question("Which year?", &["1994", "2000", "2011", "2024"], 1),
    ];
    let game = LiveGame::start(questions, &config).unwrap();
    let driver = Driver::start_sized(360, 640).await;
    let played = AssertUnwindSafe(small_phone(&driver, &game))
        .catch_unwind()
        .await;
    let closed = driver.close().await;
    if let Err(panic) = played {
        std::panic::resume_unwind(panic);
    }
    closed.expect("the session ends");
}

/// Whether the element `css` is wholly on screen, without scrolling.
fn in_view(css: &str) -> String {
    format!(
        "(function () {{ var r = document.querySelector('{css}').getBoundingClientRect(); \
         return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }})()"
    )
}

async fn small_phone(driver: &Driver, game: &LiveGame) {
    let url = format!("http://{}/", game.local_addr());
    driver.goto(&url).await;
    driver.wait(&Driver::shown("join")).await;
    driver.type_into("#pin", PIN).await;
    driver.type_into("#name", "Ada").await;
    driver.click("#joinBtn").await;
    driver.wait(&Driver::shown("lobby")).await;
    assert!(game.command(Game::Start));
    driver
        .wait("document.querySelectorAll('#events button').length === 5")
        .await;
    driver.screenshot("live-phone-timeline").await;
    // The order so far and Send are on screen from the start, below the events…
    assert_eq!(
        driver.js(&format!("return {};", in_view("#send"))).await,
        json!(true)
    );
    assert_eq!(
        driver.js(&format!("return {};", in_view("#order"))).await,
        json!(true)
    );
    // …and the events above them can be reached and tapped.
    for i in [3, 1, 2, 5, 4] {
        let css = format!("#events button:nth-child({i})");
        // As a thumb would: scrolled to the middle of the screen, above the dock.
        driver
            .js(&format!(
                "document.querySelector('{css}').scrollIntoView({{block: 'center'}});"
            ))
            .await;
        driver.click(&css).await;
    }
    assert_eq!(
        driver.js(&format!("return {};", in_view("#send"))).await,
        json!(true)
    );
    assert_eq!(
        driver
            .js("return document.getElementById('send').disabled;")
            .await,
        json!(false)
    );
    driver.click("#send").await;
    // The only player answered: the server reveals by itself.
    driver.wait(&Driver::shown("reveal")).await;
    assert_eq!(game.snapshot().game.answered, 1);

    // Multiple choice: each option has the projector's colour and shape.
    assert!(game.command(Game::Next));
    assert!(game.command(Game::Next));
    driver
        .wait("document.querySelectorAll('#choice button').length === 4")
        .await;
    let shapes = driver
        .js(
            "return Array.prototype.map.call(document.querySelectorAll('#choice button'), \
             function (b) { return getComputedStyle(b, '::before').content; });",
        )
        .await;
    let shapes: Vec<String> = shapes
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect();
    for (shape, mark) in shapes
        .iter()
        .zip(['\u{25B2}', '\u{25C6}', '\u{25CF}', '\u{25A0}'])
    {
        assert!(shape.contains(mark), "{shapes:?}");
    }
}

/// A warm-up class of three with three cards: one of each form.
fn warmup_class() -> std::sync::Arc<class::FakeClass> {
    std::sync::Arc::new(class::FakeClass::new(
        "class",
        &["Ada Lovelace", "Bo Svensson", "José Martínez"],
        class::FakeCard::one_of_each_form(),
        3,
    ))
}

fn serve_warmup(class: &std::sync::Arc<class::FakeClass>, pin: &str, port: u16) -> LiveWarmup {
    let config = LiveConfig {
        pin: Some(pin.into()),
        port,
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        ..LiveConfig::default()
    };
    LiveWarmup::start(
        &config,
        std::sync::Arc::clone(class) as _,
        Duration::from_mins(10),
    )
    .unwrap()
}

#[tokio::test]
async fn a_student_studies_their_own_cards_in_the_warmup_in_chromium() {
    let class = warmup_class();
    let driver = Driver::start().await;
    let studied = AssertUnwindSafe(study(&driver, &class))
        .catch_unwind()
        .await;
    let closed = driver.close().await;
    if let Err(panic) = studied {
        std::panic::resume_unwind(panic);
    }
    closed.expect("the session ends");
}

/// One student's warm-up on the phone page: join by roster name, a wrong choice, a typed
/// answer, a reload, an unacknowledged answer re-sent after the reload, the summary; then the
/// next lesson with only the PIN typed.
async fn study(driver: &Driver, class: &std::sync::Arc<class::FakeClass>) {
    let warmup = serve_warmup(class, PIN, 0);
    let port = warmup.local_addr().port();
    let url = format!("http://{}/", warmup.local_addr());
    driver.goto(&url).await;
    driver.wait(&Driver::shown("join")).await;
    assert_eq!(
        driver
            .js("return document.getElementById('name').value;")
            .await,
        json!("")
    );
    assert_eq!(
        driver
            .js("return document.querySelector('label[for=name]').textContent;")
            .await,
        json!("Your name (as on the class list)")
    );
    driver.type_into("#pin", PIN).await;
    driver.type_into("#name", "  ada LOVELACE").await;
    driver.click("#joinBtn").await;
    driver
        .wait("document.querySelectorAll('#sChoice button').length === 4")
        .await;
    driver.wait(&Driver::shown("study")).await;
    assert_eq!(driver.text("sProgress").await, "Card 1 · 3 to go");
    assert_eq!(
        driver.text("sPrompt").await,
        "In which year did Putin first visit Pyongyang?"
    );
    // Untimed: no countdown anywhere on the screen.
    assert_eq!(
        driver
            .js("return document.getElementById('timer').offsetParent === null;")
            .await,
        json!(true)
    );
    driver.screenshot("warmup-phone-choice").await;

    // A wrong choice: the verdict, the right answer and the sentence, until Next.
    driver.click("#sChoice button:nth-child(1)").await;
    driver.wait(&Driver::shown("feedback")).await;
    assert_eq!(driver.text("fbVerdict").await, "Not quite");
    assert_eq!(driver.text("fbAnswer").await, "2000");
    assert_eq!(
        driver.text("fbSentence").await,
        "The article's sentence for d/c0."
    );
    assert_eq!(
        driver
            .js("return localStorage.getItem('flashdrill-class-pending');")
            .await,
        Value::Null,
        "acknowledged: nothing left to re-send"
    );
    let saved = driver
        .js("return JSON.parse(localStorage.getItem('flashdrill-class'));")
        .await;
    assert_eq!(saved["token"], class.token(0).as_str());
    assert_eq!(saved["name"], "Ada Lovelace");
    driver.screenshot("warmup-phone-feedback").await;
    driver.click("#fbNext").await;

    // A typed answer, sent with Enter and marked leniently.
    driver.wait(&Driver::shown("sTyped")).await;
    assert_eq!(driver.text("sPrompt").await, "Who leads North Korea?");
    driver.screenshot("warmup-phone-typed").await;
    driver.type_into("#sText", "kim JONG un\u{E007}").await;
    driver.wait(&Driver::shown("feedback")).await;
    assert_eq!(driver.text("fbVerdict").await, "Right!");
    driver.click("#fbNext").await;
    driver
        .wait("document.querySelectorAll('#events button').length === 3")
        .await;
    driver.wait(&Driver::shown("sTimeline")).await;
    assert_eq!(class.log(0).len(), 2);

    // The phone lost its answer's ack: it is kept and re-sent after the reload, once.
    driver
        .js(
            "localStorage.setItem('flashdrill-class-pending', JSON.stringify(\
             {card: 'd/c2', id: 'kept-1', order: [1, 0, 2]}));",
        )
        .await;
    driver.goto(&url).await;
    driver.wait(&Driver::shown("feedback")).await;
    assert_eq!(driver.text("fbVerdict").await, "Right!");
    assert_eq!(
        driver.text("fbAnswer").await,
        "Putin in Pyongyang → Vladivostok summit → Vostochny visit"
    );
    let log = class.log(0);
    assert_eq!(log.len(), 3);
    assert_eq!(log[2].answer_id, "kept-1");
    assert_eq!(warmup.snapshot().students.len(), 1, "the same student");
    driver.click("#fbNext").await;

    // The card missed at first comes back; then the summary.
    driver
        .wait("document.querySelectorAll('#sChoice button').length === 4")
        .await;
    driver.click("#sChoice button:nth-child(2)").await;
    driver.wait(&Driver::shown("feedback")).await;
    driver.click("#fbNext").await;
    driver.wait(&Driver::shown("summary")).await;
    assert_eq!(driver.text("sumRight").await, "3 of 4 right");
    driver.screenshot("warmup-phone-summary").await;
    let snap = warmup.snapshot();
    assert_eq!((snap.answers, snap.right), (4, 3));
    drop(warmup);

    // Next lesson: a new PIN, the same address (the phone keeps its token per address). The
    // phone remembers the student: with the QR code's address it rejoins by itself…
    let next_pin = "161803";
    let lesson = serve_warmup(class, next_pin, port);
    driver
        .goto(&format!("http://127.0.0.1:{port}/?pin={next_pin}"))
        .await;
    driver.wait(&Driver::shown("summary")).await;
    assert_eq!(lesson.snapshot().students[0].name, "Ada Lovelace");
    drop(lesson);
    // …and with the bare address only today's PIN is typed: the name is filled in.
    let pin = "141421";
    let lesson = serve_warmup(class, pin, port);
    driver.goto(&format!("http://127.0.0.1:{port}/")).await;
    driver.wait(&Driver::shown("join")).await;
    assert!(
        driver.text("error").await.is_empty(),
        "no error for last lesson's PIN"
    );
    assert_eq!(
        driver
            .js("return document.getElementById('name').value;")
            .await,
        json!("Ada Lovelace")
    );
    driver.type_into("#pin", pin).await;
    driver.click("#joinBtn").await;
    driver.wait(&Driver::shown("summary")).await;
    assert_eq!(lesson.snapshot().students.len(), 1);
}
