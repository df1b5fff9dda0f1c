//! Renders the screens for `docs/screenshots/` in both themes, at the default window size
//! (1100×760) and at 800×600 (files ending `-800x600`), on a profile with ten weeks of study
//! behind it, an exam date and a self-test (so the statistics, the browser, the timeline and
//! the exam's readiness have something to show):
//!
//! ```sh
//! UPDATE_SNAPSHOTS=1 cargo run --example screenshots
//! ```
//!
//! The history is simulated: a learner who studies most evenings, five new cards a day, and
//! answers Again about one time in eight. It goes through `progress import`, like any history.

use std::path::Path;

use chrono::{DateTime, Local, TimeDelta, TimeZone, Utc};
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};
use flashdrill::app::{AppOptions, FlashdrillApp};
use flashdrill_core::deck;
use flashdrill_core::schedule::{CardState, Rating, Scheduler, fuzz_seed};
use flashdrill_core::settings::Settings;
use flashdrill_core::store::Mode;
use flashdrill_core::store::export::{ExportedReview, PROGRESS_FORMAT, ProgressFile};
use flashdrill_core::store::profiles::Profiles;
use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

/// An answer as the simulated learner gives it: Again about one time in eight.
fn learner_rating(rng: &mut SmallRng) -> Rating {
    match rng.random_range(0..100) {
        0..12 => Rating::Again,
        12..22 => Rating::Hard,
        22..90 => Rating::Good,
        _ => Rating::Easy,
    }
}

/// Seventy days of evenings, skipping about one in five.
fn history() -> Vec<ExportedReview> {
    let library = deck::load_library(&[], true);
    let scheduler = Scheduler::new(Settings::default().scheduler_config()).expect("defaults");
    // Seeded, so the pictures are the same on every run of the same day.
    let mut rng = SmallRng::seed_from_u64(0x2545_f491_4f6c_dd1d);
    let mut cards: Vec<(String, String, Option<CardState>)> = library
        .decks
        .iter()
        .flat_map(|d| {
            d.deck
                .cards
                .iter()
                .map(|c| (d.deck.id.clone(), c.id.clone(), None))
        })
        .collect();
    let today = Local::now().date_naive();
    let mut reviews = Vec::new();
    for days_ago in (0..70).rev() {
        if rng.random_ratio(1, 5) && days_ago > 0 {
            continue;
        }
        let day = today - TimeDelta::days(days_ago);
        let evening = Local
            .from_local_datetime(&day.and_hms_opt(18, 0, 0).expect("a time"))
            .earliest()
            .map_or_else(Utc::now, |t| t.with_timezone(&Utc));
        // Today's study was an hour ago.
        let mut at: DateTime<Utc> = if days_ago == 0 {
            Utc::now() - TimeDelta::hours(1)
        } else {
            evening
        };
        let mut new_today = 0;
        // Up to an hour: due cards (and learning steps as they come back), then new cards.
        for _ in 0..400 {
            // Today the learner also takes the cards due later in the day.
            let horizon = if days_ago == 0 {
                at + TimeDelta::hours(12)
            } else {
                at
            };
            let due = cards
                .iter()
                .position(|(_, _, s)| s.is_some_and(|s| s.due <= horizon));
            let pick = due.or_else(|| {
                (new_today < 5)
                    .then(|| cards.iter().position(|(_, _, s)| s.is_none()))
                    .flatten()
            });
            let Some(i) = pick else {
                // Nothing due now: wait for the next learning step, within the hour.
                let next = cards
                    .iter()
                    .filter_map(|(_, _, s)| s.map(|s| s.due))
                    .filter(|d| *d > at && *d <= evening + TimeDelta::hours(1))
                    .min();
                match next {
                    Some(next) if next < Utc::now() => {
                        at = next;
                        continue;
                    }
                    _ => break,
                }
            };
            let (deck, card, state) = &mut cards[i];
            let before = state.unwrap_or_else(|| {
                new_today += 1;
                CardState::new_card(at)
            });
            let rating = learner_rating(&mut rng);
            *state =
                Some(scheduler.review(&before, rating, at, fuzz_seed(deck, card, before.reps)));
            reviews.push(ExportedReview {
                id: 0,
                deck: deck.clone(),
                card: card.clone(),
                at,
                rating,
                mode: Mode::Srs,
                answer: None,
                correct: Some(rating != Rating::Again),
                response_ms: rng.random_range(3_000..15_000),
            });
            at += TimeDelta::seconds(rng.random_range(20..60));
        }
    }
    reviews
}

fn seed_profile(dir: &Path) {
    let mut profiles = Profiles::load(dir).expect("a data directory");
    let info = profiles.choose(None).expect("the default profile");
    let mut store = profiles
        .open(&info.slug, Local::now().date_naive())
        .expect("the profile's database");
    let file = ProgressFile {
        format: PROGRESS_FORMAT.to_owned(),
        reviews: history(),
        cards: Vec::new(),
    };
    store
        .import_progress(&file, &Settings::default())
        .expect("the history imports");
    // An exam on the dates deck in three weeks, and one self-test taken on it today.
    let now = Utc::now();
    let today = Local::now().date_naive();
    let date = (today + TimeDelta::days(21)).format("%Y-%m-%d").to_string();
    let exam =
        flashdrill_core::plan::Exam::new("pm-dates", &date, 0.9, today, now).expect("a valid exam");
    let mut col = flashdrill_core::collection::Collection::new(store, Settings::default());
    col.set_library(deck::load_library(&[], true));
    col.set_exam(exam, now).expect("the exam is set");
    let dates = col
        .library()
        .deck("pm-dates")
        .expect("the bundled dates deck")
        .deck
        .clone();
    let mut test =
        flashdrill_core::selftest::SelfTest::new(&dates, 9, 5, now).expect("a self-test");
    let mut k = 0;
    while let Some(q) = test.current_question() {
        let given = if k == 4 {
            "I do not remember".to_owned()
        } else {
            q.right_answer().to_owned()
        };
        test.answer(&given, now, std::time::Duration::from_secs(6));
        k += 1;
    }
    col.finish_self_test(&test, now).expect("the test is saved");
}

/// A class of eight on two decks, with four lessons of spaced warm-up behind it over three
/// weeks: each student answers their own queue, stronger students right more often.
fn seed_class(dir: &Path) {
    let mut profiles = Profiles::load(dir).expect("a data directory");
    let info = profiles.choose(None).expect("the default profile");
    let mut store = profiles
        .open(&info.slug, Local::now().date_naive())
        .expect("the profile's database");
    let names = [
        "Ana Lima",
        "Bo Chen",
        "Chidi Okafor",
        "Dana Park",
        "Emil Novak",
        "Farah Haddad",
        "Gus Moreno",
        "Hana Sato",
    ];
    let roster: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let settings = flashdrill_core::class::ClassSettings {
        new_per_day: 8,
        ..flashdrill_core::class::ClassSettings::from_profile(&Settings::default())
    };
    let decks = ["pm-dates".to_owned(), "pm-actors".to_owned()];
    // A second class, new to the decks, for the warm-up: every student has cards to study.
    store
        .create_class(
            "8a history",
            &decks,
            &flashdrill_core::class::ClassSettings::from_profile(&Settings::default()),
            &roster[..4],
            Utc::now(),
        )
        .expect("the warm-up's class");
    let lesson = |days_ago: i64| {
        let day = Local::now().date_naive() - TimeDelta::days(days_ago);
        Local
            .from_local_datetime(&day.and_hms_opt(10, 0, 0).expect("a time"))
            .earliest()
            .map_or_else(Utc::now, |t| t.with_timezone(&Utc))
    };
    store
        .create_class("7b history", &decks, &settings, &roster, lesson(22))
        .expect("the class");
    let library = deck::load_library(&[], true);
    let mut room = flashdrill_core::class::Classroom::open(store, "7b history", &library)
        .expect("the class opens");
    let mut rng = SmallRng::seed_from_u64(0x7b);
    for (lesson_no, days_ago) in [21, 14, 7, 1].into_iter().enumerate() {
        let start = lesson(days_ago);
        for (i, name) in names.iter().enumerate() {
            // Gus missed the last lesson.
            if *name == "Gus Moreno" && lesson_no == 3 {
                continue;
            }
            let strength = 45 + (i * 37 % 50) as u32;
            let id = room.join(name).expect("on the roster").id;
            let mut at = start + TimeDelta::seconds(i as i64 * 7);
            for k in 0..12 {
                let Some(card) = room
                    .student_queue(&id, at)
                    .expect("a queue")
                    .into_iter()
                    .next()
                else {
                    break;
                };
                let right = rng.random_range(0..100) < strength;
                let answer_id = format!("{lesson_no}-{k}");
                room.record_student_answer(&flashdrill_core::class::StudentAnswer {
                    student: &id,
                    deck_id: &card.deck_id,
                    card_id: &card.card_id,
                    right,
                    answer_id: &answer_id,
                    at,
                    mode: Mode::Srs,
                    answer_given: None,
                    response_ms: rng.random_range(2_500..12_000),
                })
                .expect("the answer is saved");
                at += TimeDelta::seconds(rng.random_range(25..70));
            }
        }
    }
}

/// The classes: the list, a class's students, its report with a student's chart, and the
/// heatmap and cards further down.
fn classes(dir: &Path, theme: &str, size: [f32; 2]) {
    let mut h = rendered(dir, theme, size);
    click(&mut h, "Class drill");
    click(&mut h, flashdrill::ui::drill::CLASSES_BUTTON);
    shoot(&mut h, &format!("classes-{theme}"));
    click(&mut h, "New class…");
    shoot(&mut h, &format!("class-new-{theme}"));
    click(&mut h, "Cancel");
    click(&mut h, "7b history");
    shoot(&mut h, &format!("class-students-{theme}"));
    click(&mut h, "Report");
    shoot(&mut h, &format!("class-report-{theme}"));
    if let Some(node) = h.query_by_label_contains("Chart of Ana Lima's share right") {
        node.scroll_to_me();
        h.run();
        shoot(&mut h, &format!("class-student-{theme}"));
    }
    if let Some(node) = h.query_by_label("The class by category") {
        node.scroll_to_me();
        h.run();
        shoot(&mut h, &format!("class-heatmap-{theme}"));
    }
    click(&mut h, "Decks and settings");
    shoot(&mut h, &format!("class-settings-{theme}"));
    warmup(&mut h, theme);
}

/// The class's spaced warm-up on the projector, with three students' phones (websocket clients
/// on 127.0.0.1) each answering a few of their own cards, one of them wrong.
fn warmup(h: &mut Harness<'_, FlashdrillApp>, theme: &str) {
    h.state_mut()
        .set_live_bind(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    click(h, "All classes");
    click(h, "8a history");
    click(h, "Start warm-up");
    let Some(warmup) = h.state().warmup() else {
        eprintln!("the warm-up did not start");
        return;
    };
    let (addr, pin) = (warmup.local_addr(), warmup.pin().to_owned());
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let library = deck::load_library(&[], true);
    let phones: Vec<_> = [
        ("Ana Lima", 3, 0),
        ("bo chen", 2, 1),
        ("Chidi Okafor", 4, 9),
    ]
    .into_iter()
    .map(|(name, answers, wrong)| {
        runtime.block_on(phone(addr, &pin, name, answers, wrong, &library))
    })
    .collect();
    h.run();
    shoot(h, &format!("warmup-{theme}"));
    drop(phones);
    if let Some(end) = h.query_by_label("End the warm-up now") {
        end.click_accesskit();
        h.run();
    }
    click(h, "Close the warm-up");
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A student's phone: joins as `name` and answers `answers` cards, the `wrong`-th wrongly.
async fn phone(
    addr: std::net::SocketAddr,
    pin: &str,
    name: &str,
    answers: usize,
    wrong: usize,
    library: &deck::Library,
) -> Socket {
    use futures_util::{SinkExt as _, StreamExt as _};
    use tokio_tungstenite::tungstenite::Message;
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws"))
        .await
        .expect("the warm-up accepts phones");
    let send = |v: serde_json::Value| Message::text(v.to_string());
    let (name, shot) = name.split_once('|').unwrap_or((name, ""));
    // Answer ids are the student's for good: each shot's phones make their own.
    let stamp = Utc::now().timestamp_micros();
    let _ = ws
        .send(send(
            serde_json::json!({"type": "join", "pin": pin, "name": name}),
        ))
        .await;
    for n in 0..=answers {
        let state = loop {
            let Ok(Some(Ok(Message::Text(t)))) =
                tokio::time::timeout(std::time::Duration::from_secs(5), ws.next()).await
            else {
                return ws;
            };
            let v: serde_json::Value = serde_json::from_str(&t).unwrap_or_default();
            if v["type"] == "state" {
                break v;
            }
        };
        if n == answers || state["phase"] != "study" {
            return ws;
        }
        let id = state["card"]["id"].as_str().unwrap_or_default().to_owned();
        let Some((deck_id, card_id)) = id.split_once('/') else {
            return ws;
        };
        let answer = library
            .deck(deck_id)
            .and_then(|d| d.deck.card(card_id))
            .map(|c| c.answer.clone())
            .unwrap_or_default();
        let mut msg = serde_json::json!({"type": "answer", "card": id, "id": format!("{}-{shot}{stamp}-{n}", name.replace(' ', "-"))});
        if state["card"]["form"] == "choice" {
            let options = state["card"]["options"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let at = options
                .iter()
                .position(|o| o.as_str() == Some(answer.as_str()))
                .unwrap_or(0);
            msg["choice"] = serde_json::json!(if n == wrong {
                (at + 1) % options.len().max(1)
            } else {
                at
            });
        } else {
            msg["text"] = serde_json::json!(if n == wrong {
                "no idea"
            } else {
                answer.as_str()
            });
        }
        let _ = ws.send(send(msg)).await;
    }
    ws
}

fn shoot(h: &mut Harness<'_, FlashdrillApp>, name: &str) {
    // In pixels (points × zoom): the window's size.
    let size = h.ctx.content_rect().size() * h.ctx.zoom_factor();
    let name = if size.x < 1000.0 {
        format!("{name}-{:.0}x{:.0}", size.x, size.y)
    } else {
        name.to_owned()
    };
    let name = name.as_str();
    let options = SnapshotOptions::new().output_path("docs/screenshots");
    if let Err(err) = h.try_snapshot_options(name, &options) {
        eprintln!("{name}: {err}");
    }
}

fn click(h: &mut Harness<'_, FlashdrillApp>, label: &str) {
    h.get_by_label(label).click_accesskit();
    h.run();
}

/// The window sizes shot: the default and the smallest supported.
const SIZES: [[f32; 2]; 2] = [[1100.0, 760.0], [800.0, 600.0]];

/// The app on `dir` in `theme`, rendered on the CPU at `size`, one frame run.
fn rendered(dir: &Path, theme: &str, size: [f32; 2]) -> Harness<'static, FlashdrillApp> {
    let mut app = FlashdrillApp::new(AppOptions {
        data_dir: dir.to_path_buf(),
        profile: None,
        jobs: flashdrill::jobs::Jobs::immediate(),
    });
    app.set_setting("theme", theme);
    app.fix_seed(11);
    let mut h = Harness::builder()
        .with_size(size)
        .wgpu()
        .build_ui_state(|ui, app: &mut FlashdrillApp| app.frame(ui), app);
    h.run();
    h
}

/// Settings' sync section after choosing a folder (the chooser stands in) and its first sync's
/// report, shot as `name`; then syncing is stopped.
fn sync_report(h: &mut Harness<'_, FlashdrillApp>, name: &str) {
    let shared = tempfile::tempdir().expect("a sync folder");
    let folder = shared.path().to_path_buf();
    h.state_mut().set_file_chooser(std::sync::Arc::new(
        move |_: &flashdrill::ui::file_ask::FileAsk| {
            flashdrill::ui::file_ask::Chosen::Files(vec![folder.clone()])
        },
    ));
    h.get_by_label("Choose sync folder…").scroll_to_me();
    h.run();
    click(h, "Choose sync folder…");
    h.run_steps(4);
    h.get_by_label("Sync now").scroll_to_me();
    h.run();
    shoot(h, name);
    click(h, "Stop syncing");
}

/// Settings' sync section at `zoom` (`-zoom2` in the file name at 2×).
fn sync_section(dir: &Path, theme: &str, size: [f32; 2], zoom: f32) {
    let mut h = rendered(dir, theme, size);
    h.state_mut().set_setting("zoom", &format!("{zoom:.1}"));
    h.run();
    click(&mut h, "Settings");
    let suffix = if zoom > 1.0 { "-zoom2" } else { "" };
    sync_report(&mut h, &format!("settings-sync-{theme}{suffix}"));
}

fn screens(dir: &Path, theme: &str, size: [f32; 2]) {
    let mut h = rendered(dir, theme, size);
    shoot(&mut h, &format!("home-progress-{theme}"));
    click(&mut h, "Statistics");
    shoot(&mut h, &format!("stats-{theme}"));
    // The exam's readiness and the self-tests, further down the page.
    if let Some(node) = h.query_by_label_contains("Ready for the exam") {
        node.scroll_to_me();
        h.run();
        shoot(&mut h, &format!("stats-exam-{theme}"));
    }
    click(&mut h, "Browse");
    shoot(&mut h, &format!("browser-{theme}"));
    h.get_by_label_contains("Details of In which year did Vladimir Putin first visit")
        .click();
    h.run();
    shoot(&mut h, &format!("browser-details-{theme}"));
    click(&mut h, "Article timeline");
    shoot(&mut h, &format!("timeline-{theme}"));
    click(&mut h, "Practice");
    shoot(&mut h, &format!("practice-{theme}"));
    click(&mut h, "Settings");
    if let Some(node) = h.query_by_label_contains("Exams and workload") {
        node.scroll_to_me();
        h.run();
    }
    shoot(&mut h, &format!("settings-exams-{theme}"));
    sync_report(&mut h, &format!("settings-sync-{theme}"));
    click(&mut h, "Decks");
    let title = "Pyongyang and Moscow: dates and events";
    h.get_by_label(&format!("Test yourself on {title}"))
        .click_accesskit();
    h.run();
    shoot(&mut h, &format!("selftest-setup-{theme}"));
    click(&mut h, "Start test");
    shoot(&mut h, &format!("selftest-question-{theme}"));
}

/// The screen a learner sees when their database is damaged: yesterday's backup on offer.
fn recovery(theme: &str) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    seed_profile(dir.path());
    let mut profiles = Profiles::load(dir.path()).expect("a data directory");
    let info = profiles.choose(None).expect("the default profile");
    let store = profiles
        .open(&info.slug, Local::now().date_naive())
        .expect("the profile's database");
    let backups = profiles.backup_dir(&info.slug);
    std::fs::create_dir_all(&backups).expect("the backup folder");
    let yesterday = Local::now().date_naive() - TimeDelta::days(1);
    store
        .backup_to(&backups.join(format!("{}.sqlite3", yesterday.format("%Y-%m-%d"))))
        .expect("a backup");
    drop(store);
    std::fs::write(
        profiles.db_path(&info.slug),
        b"this is no longer a database\n",
    )
    .expect("the damaged file");
    let mut h = rendered(dir.path(), theme, SIZES[0]);
    shoot(&mut h, &format!("recovery-{theme}"));
}

/// The import screen's report after bringing in an Anki package made with the real Anki, and
/// the export form under it.
fn import_export(theme: &str) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut h = rendered(dir.path(), theme, SIZES[0]);
    let package = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/interop/current.apkg");
    import_path(&mut h, &package);
    shoot(&mut h, &format!("import-{theme}"));
}

/// Types `path` into the home screen's path field and imports it.
fn import_path(h: &mut Harness<'_, FlashdrillApp>, path: &Path) {
    let field = h.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    field.type_text(&path.display().to_string());
    h.run();
    h.get_by_label("Import").click_accesskit();
    h.run();
}

/// The import screen's text step: a spreadsheet with semicolons between its columns and a
/// header row, both detected, with its preview.
fn import_text(theme: &str) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("agencies.csv");
    std::fs::write(
        &file,
        "Term;Definition\nKCNA;North Korea's official news agency\n\
         TASS;Russia's state news agency\nXinhua;China's state news agency\n\
         Yonhap;South Korea's news agency\n",
    )
    .expect("the text file");
    let mut h = rendered(dir.path(), theme, SIZES[0]);
    import_path(&mut h, &file);
    shoot(&mut h, &format!("import-text-{theme}"));
}

fn main() {
    if std::env::var_os("UPDATE_SNAPSHOTS").is_none() {
        eprintln!("Run with UPDATE_SNAPSHOTS=1 to write the screenshots into docs/screenshots.");
        std::process::exit(2);
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    seed_profile(dir.path());
    seed_class(dir.path());
    // `-- sync`: only Settings' sync section, also at projector zoom (2×).
    if std::env::args().nth(1).as_deref() == Some("sync") {
        for theme in ["light", "dark"] {
            for size in SIZES {
                sync_section(dir.path(), theme, size, 1.0);
                sync_section(dir.path(), theme, size, 2.0);
            }
        }
        return;
    }
    // `-- classes`: only the classes' screenshots.
    if std::env::args().nth(1).as_deref() == Some("classes") {
        for theme in ["light", "dark"] {
            for size in SIZES {
                classes(dir.path(), theme, size);
            }
        }
        return;
    }
    for theme in ["light", "dark"] {
        for size in SIZES {
            screens(dir.path(), theme, size);
            classes(dir.path(), theme, size);
        }
        recovery(theme);
        import_export(theme);
        import_text(theme);
    }
}
