//! `flashdrill class host`: a class on the students' phones without a window. In a spaced
//! warm-up each student studies their own queue for some minutes (answers are `srs` reviews
//! of their own schedule); in a game the class plays the live game under their roster names
//! (answers are logged as `drill` reviews under each name, never moving a schedule).

use std::io::Write as _;
use std::net::IpAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use chrono::Utc;
use flashdrill_core::class::{ClassCard, Classroom};
use flashdrill_core::store::Mode;
use flashdrill_live::warmup::CoreClass;
use flashdrill_live::{LiveConfig, LiveWarmup};

use super::Common;

/// What the class does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HostMode {
    /// Each student studies their own queue, untimed, accuracy only.
    Warmup,
    /// The live game, under the roster's names.
    Game,
}

/// Arguments of `flashdrill class host`.
#[derive(Debug, Clone, clap::Args)]
pub struct HostArgs {
    /// The class.
    pub name: String,
    /// The decks to study or play (default: the class's decks).
    #[arg(long = "deck", value_name = "ID", num_args = 1..)]
    pub decks: Vec<String>,
    #[arg(long, value_enum, default_value = "warmup")]
    pub mode: HostMode,
    /// How long the warm-up lasts, in minutes.
    #[arg(long, value_name = "M", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=180))]
    pub minutes: u64,
    /// A game: how long the answer and then the leaderboard stay up, in seconds.
    #[arg(long, value_name = "S", default_value_t = 5.0)]
    pub pause: f64,
    /// Questions in a game.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub questions: u16,
    /// The port to listen on (0: any free port).
    #[arg(long, value_name = "P", default_value_t = 0)]
    pub port: u16,
    /// The PIN, 6 digits (default: a random one).
    #[arg(long, value_name = "PIN")]
    pub pin: Option<String>,
    /// The address to listen on (default: every interface, for the classroom's network).
    #[arg(long, value_name = "ADDR", default_value = "0.0.0.0")]
    pub bind: IpAddr,
    /// Seed for the options' order (default: from the clock).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}

pub fn run(common: &Common, args: &HostArgs) -> anyhow::Result<ExitCode> {
    let (info, store, library) = super::stats::open(common)?;
    let class = match store.class_named(&args.name) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("flashdrill class host: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let decks = if args.decks.is_empty() {
        class.decks.clone()
    } else {
        args.decks.clone()
    };
    let (cards, missing) = ClassCard::from_library(&library, &decks);
    if let Some(id) = missing.first() {
        eprintln!(
            "flashdrill class host: there is no deck \"{id}\" (see flashdrill check for the deck ids)"
        );
        return Ok(ExitCode::from(2));
    }
    if cards.is_empty() {
        eprintln!(
            "flashdrill class host: the class \"{}\" has no cards to study",
            class.name
        );
        return Ok(ExitCode::from(2));
    }
    if !args.pause.is_finite() || !(0.0..=600.0).contains(&args.pause) {
        eprintln!(
            "flashdrill class host: --pause must be 0 to 600 seconds, not {}",
            args.pause
        );
        return Ok(ExitCode::from(2));
    }
    let seed = args.seed.unwrap_or_else(|| {
        u64::try_from(Utc::now().timestamp_nanos_opt().unwrap_or_default()).unwrap_or_default()
    });
    let config = LiveConfig {
        pin: args.pin.clone(),
        port: args.port,
        bind: args.bind,
        ..LiveConfig::default()
    };
    match args.mode {
        HostMode::Warmup => {
            let room = Classroom::with_cards(store, class.clone(), cards)
                .with_context(|| format!("opening the class \"{}\"", class.name))?;
            let study = Arc::new(CoreClass::new(room, &library, Mode::Srs, seed));
            let warmup = LiveWarmup::start(&config, study, Duration::from_secs(args.minutes * 60))?;
            println!(
                "Spaced warm-up for \"{}\" ({} minutes, profile \"{}\")",
                class.name, args.minutes, info.name
            );
            println!("Join at {}", warmup.join_url());
            println!("PIN {}", warmup.pin());
            println!("Listening on {}", warmup.local_addr());
            let _ = std::io::stdout().flush();
            watch_warmup(&warmup);
            warmup.stop();
            Ok(ExitCode::SUCCESS)
        }
        HostMode::Game => {
            super::class_game::run(&info, store, &library, &class, &decks, args, &config, seed)
        }
    }
}

/// Prints who joins and the class's answers until the warm-up is over.
fn watch_warmup(warmup: &LiveWarmup) {
    let mut seen = 0;
    let mut answers = 0;
    loop {
        let snap = warmup.snapshot();
        for s in snap.students.iter().skip(seen) {
            println!("Joined: {}", s.name);
        }
        seen = seen.max(snap.students.len());
        if snap.answers != answers {
            answers = snap.answers;
            println!(
                "Answers: {} ({:.0} % right)",
                snap.answers,
                snap.percent_right.unwrap_or(0.0)
            );
        }
        let _ = std::io::stdout().flush();
        if snap.over {
            println!("Warm-up over: {} answers", snap.answers);
            for s in &snap.students {
                println!("{}: {} of {} right", s.name, s.right, s.answered);
            }
            if let Some(m) = snap.missed.first().filter(|m| m.misses > 0) {
                println!(
                    "Missed most: {} ({} of {} wrong)",
                    m.prompt, m.misses, m.answers
                );
            }
            let _ = std::io::stdout().flush();
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
