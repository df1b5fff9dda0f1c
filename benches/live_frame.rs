//! Frame time of the live class on the projector, measured in a kittest harness (UI pass, no
//! GPU) with 200 students on loopback (the most a game takes): the join screen with 200 names, a question while the
//! phones sit idle, and the same question while every phone sends answers (8 a second each,
//! just under the server's rate limit: the first counts, the rest are refused as already
//! answered — each one takes the game's lock as an answer does). The projector reads the game
//! once a frame through that lock, so this shows whether answering slows the frame down.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flashdrill::app::{AppOptions, FlashdrillApp};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio_tungstenite::tungstenite::Message;

/// The allocator the app itself runs with (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Phones that answer; one more stays silent: 200 players, the most a game takes.
const STUDENTS: usize = 199;

/// One phone: joins, keeps the latest question, and while `answering` is on sends an answer to
/// it every 125 ms.
async fn phone(
    addr: SocketAddr,
    pin: String,
    n: usize,
    answering: Arc<AtomicBool>,
    joined: Arc<AtomicUsize>,
) {
    let Ok((ws, _)) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws")).await else {
        return;
    };
    let (mut tx, mut rx) = ws.split();
    let join = serde_json::json!({"type": "join", "pin": pin, "name": format!("Student {n}")});
    if tx.send(Message::text(join.to_string())).await.is_err() {
        return;
    }
    let mut tick = tokio::time::interval(Duration::from_millis(125));
    let mut question: Option<(u64, bool, usize)> = None;
    loop {
        tokio::select! {
            msg = rx.next() => {
                let Some(Ok(Message::Text(text))) = msg else { return };
                let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
                if v["type"] == "welcome" {
                    joined.fetch_add(1, Ordering::Relaxed);
                }
                if v["type"] == "state" && v["phase"] == "question" {
                    let options = v["options"].as_array().map_or(0, Vec::len);
                    question = Some((
                        v["question"].as_u64().unwrap_or(0),
                        v["form"] == "timeline",
                        options,
                    ));
                }
            }
            _ = tick.tick() => {
                if !answering.load(Ordering::Relaxed) {
                    continue;
                }
                let Some((q, timeline, options)) = question else { continue };
                let answer = if timeline {
                    serde_json::json!({"type": "answer", "question": q, "order": (0..options).collect::<Vec<_>>()})
                } else {
                    serde_json::json!({"type": "answer", "question": q, "choice": n % options.max(1)})
                };
                if tx.send(Message::text(answer.to_string())).await.is_err() {
                    return;
                }
            }
        }
    }
}

fn live_frame(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = FlashdrillApp::new(AppOptions {
        data_dir: dir.path().to_path_buf(),
        profile: None,
        jobs: flashdrill::jobs::Jobs::immediate(),
    });
    app.set_live_bind(IpAddr::V4(Ipv4Addr::LOCALHOST));
    app.fix_seed(7);
    let mut harness = Harness::builder()
        .with_size([1920.0, 1080.0])
        .build_ui_state(|ui, app: &mut FlashdrillApp| app.frame(ui), app);
    harness.run();
    for label in [
        "Class drill",
        "Students answer on their devices",
        "Time limit",
        "60 s",
    ] {
        harness.get_by_label(label).click();
        harness.run();
    }
    harness.get_by_label("Port").click();
    harness.run();
    harness.get_by_label("Port").type_text("0");
    harness.run();
    harness.get_by_label("Live class").click();
    harness.run();
    harness.get_by_label("Start live game").click();
    harness.run();
    let (addr, pin) = {
        let game = harness.state().live_game().expect("the live game started");
        (game.local_addr(), game.pin())
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime for the phones");
    let answering = Arc::new(AtomicBool::new(false));
    let joined = Arc::new(AtomicUsize::new(0));
    for n in 0..STUDENTS {
        runtime.spawn(phone(
            addr,
            pin.clone(),
            n,
            Arc::clone(&answering),
            Arc::clone(&joined),
        ));
    }
    // One more phone that never answers, so that the question stays open (the server reveals
    // it as soon as every connected phone answered).
    let silent = Arc::new(AtomicBool::new(false));
    runtime.spawn(phone(
        addr,
        pin.clone(),
        STUDENTS,
        silent,
        Arc::clone(&joined),
    ));
    let since = std::time::Instant::now();
    while joined.load(Ordering::Relaxed) < STUDENTS + 1 {
        assert!(
            since.elapsed() < Duration::from_secs(30),
            "only {} of {} phones joined in 30 s",
            joined.load(Ordering::Relaxed),
            STUDENTS + 1
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    harness.run();

    let mut group = c.benchmark_group("live projector");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("join screen frame, 200 names", |b| {
        b.iter(|| harness.step());
    });
    harness.key_press(egui::Key::Space);
    harness.run();
    group.bench_function("question frame, 200 phones idle", |b| {
        b.iter(|| harness.step());
    });
    answering.store(true, Ordering::Relaxed);
    group.bench_function("question frame, 199 of 200 phones answering", |b| {
        b.iter(|| harness.step());
    });
    answering.store(false, Ordering::Relaxed);
    group.finish();
    let snap = harness.state().live_game().expect("the game").snapshot();
    println!(
        "{} of {} answered; {} messages refused (already answered)",
        snap.game.answered,
        snap.game.players.len(),
        snap.refused
    );
    runtime.shutdown_timeout(Duration::from_secs(1));
}

criterion_group!(benches, live_frame);
criterion_main!(benches);
