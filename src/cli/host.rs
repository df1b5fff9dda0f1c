//! `flashdrill host`: a live class game without a window. Students join on their phones; the
//! game moves on by itself (question → reveal after the countdown or when everyone answered →
//! leaderboard → next question) and writes the results at the end.

use std::io::Write as _;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use flashdrill_live::engine::{MAX_SECONDS, MIN_SECONDS};
use flashdrill_live::questions::{live_questions, record_log, whole_decks};
use flashdrill_live::{AutoAdvance, Command, LiveConfig, LiveGame, Phase};

use super::Common;
use flashdrill_core::drill::MAX_QUESTIONS;
use flashdrill_core::store::LeechPolicy;

/// Arguments of `flashdrill host`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The deck to draw questions from (its id, as `flashdrill check` lists it).
    #[arg(long, value_name = "ID")]
    pub deck: String,
    /// How many questions (multiple choice and timeline).
    #[arg(long, value_name = "N", default_value_t = 10,
          value_parser = clap::value_parser!(u16).range(1..=MAX_QUESTIONS as i64))]
    pub questions: u16,
    /// The countdown per question, in seconds.
    #[arg(long, value_name = "S", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(i64::from(MIN_SECONDS)..=i64::from(MAX_SECONDS)))]
    pub seconds: u32,
    /// The port to listen on (0: any free port).
    #[arg(long, value_name = "P", default_value_t = 0)]
    pub port: u16,
    /// The game PIN, 6 digits (default: a random one).
    #[arg(long, value_name = "PIN")]
    pub pin: Option<String>,
    /// Write the per-student, per-question results to this CSV file at the end.
    #[arg(long, value_name = "FILE")]
    pub results: Option<PathBuf>,
    /// Start as soon as this many students have joined.
    #[arg(long, value_name = "N")]
    pub players: Option<usize>,
    /// Start this many seconds after the first student joined.
    #[arg(long, value_name = "S", default_value_t = 60)]
    pub lobby: u64,
    /// How long the answer and then the leaderboard stay up, in seconds.
    #[arg(long, value_name = "S", default_value_t = 5.0)]
    pub pause: f64,
    /// The address to listen on (default: every interface, for the classroom's network).
    #[arg(long, value_name = "ADDR", default_value = "0.0.0.0")]
    pub bind: IpAddr,
    /// Seed for choosing the questions (default: from the clock).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}

pub fn run(common: &Common, args: &Args) -> anyhow::Result<ExitCode> {
    let (info, mut store, library) = super::stats::open(common)?;
    if !super::stats::check_deck("host", &library, Some(&args.deck)) {
        return Ok(ExitCode::from(2));
    }
    let deck = library
        .deck(&args.deck)
        .context("the deck went missing while loading")?;
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    });
    let cards = deck.deck.cards.as_slice();
    let decks = [(args.deck.as_str(), cards)];
    let setup = whole_decks(&decks, usize::from(args.questions));
    let questions = live_questions(&setup, &decks, seed)
        .with_context(|| format!("making questions from deck \"{}\"", args.deck))?;
    if !args.pause.is_finite() || !(0.0..=600.0).contains(&args.pause) {
        anyhow::bail!("--pause must be 0 to 600 seconds, not {}", args.pause);
    }
    let config = LiveConfig {
        pin: args.pin.clone(),
        port: args.port,
        bind: args.bind,
        seconds: args.seconds,
        auto: Some(AutoAdvance {
            reveal_secs: args.pause,
            leaderboard_secs: args.pause,
        }),
        roster: None,
    };
    let count = questions.len();
    let game = LiveGame::start(questions, &config)?;
    println!("Live game: {count} questions from \"{}\"", deck.deck.title);
    println!("Join at {}", game.join_url());
    println!("Game PIN {}", game.pin());
    println!("Listening on {}", game.local_addr());
    let _ = std::io::stdout().flush();

    play(&game, args.players, args.lobby);

    let entries = game.log_entries();
    let policy = LeechPolicy::from_settings(&store.load_settings()?);
    record_log(&mut store, &entries, policy)
        .with_context(|| format!("logging the game's answers on profile \"{}\"", info.name))?;
    let snap = game.snapshot().game;
    println!("Final standings:");
    for s in snap.ranking.iter().take(10) {
        println!("{:>3}. {} — {} points", s.place, s.name, s.points);
    }
    if let Some(path) = &args.results {
        std::fs::write(path, game.results_csv())
            .with_context(|| format!("writing the results to {}", path.display()))?;
        println!("Results written to {}", path.display());
    }
    game.stop();
    Ok(ExitCode::SUCCESS)
}

/// Starts the game when `players` have joined (or `lobby` seconds after the first) and prints
/// its progress until the podium.
pub(super) fn play(game: &LiveGame, players: Option<usize>, lobby: u64) {
    let mut first_join: Option<Instant> = None;
    let mut seen_players = 0;
    let mut last = (Phase::Lobby, usize::MAX);
    let mut asked: Option<usize> = None;
    loop {
        let snap = game.snapshot().game;
        for p in snap.players.iter().skip(seen_players) {
            println!("Joined: {}", p.name);
        }
        seen_players = seen_players.max(snap.players.len());
        if snap.phase == Phase::Lobby && !snap.players.is_empty() {
            let since = *first_join.get_or_insert_with(Instant::now);
            let enough = players.is_some_and(|n| snap.players.len() >= n);
            if enough || since.elapsed() >= Duration::from_secs(lobby) {
                let _ = game.command(Command::Start);
            }
        }
        if (snap.phase, snap.question) != last {
            last = (snap.phase, snap.question);
            // The game is looked at every 50 ms: a question everyone answered between two
            // looks is first seen revealed, and still gets its line before its answer.
            if matches!(snap.phase, Phase::Question | Phase::Reveal) && asked != Some(snap.question)
            {
                asked = Some(snap.question);
                println!(
                    "Question {} of {}: {}",
                    snap.question + 1,
                    snap.question_count,
                    snap.current.as_ref().map_or("", |q| q.prompt.as_str())
                );
            }
            match snap.phase {
                Phase::Reveal => println!(
                    "Answer: {} ({} of {} answered)",
                    snap.current.as_ref().map_or("", |q| q.answer.as_str()),
                    snap.answered,
                    snap.players.len()
                ),
                Phase::Finished => {
                    println!("Game over");
                    let _ = std::io::stdout().flush();
                    return;
                }
                Phase::Lobby | Phase::Question | Phase::Leaderboard => {}
            }
            let _ = std::io::stdout().flush();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
