//! `flashdrill class host NAME --mode game`: the live game played by a class, under the
//! roster's names; each student's answers are logged as `drill` answers under their name.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::Utc;
use flashdrill_core::class::{Class, ClassCard, Classroom};
use flashdrill_core::deck::Library;
use flashdrill_core::store::Store;
use flashdrill_core::store::profiles::ProfileInfo;
use flashdrill_live::questions::{live_questions, record_class_game, whole_decks};
use flashdrill_live::{AutoAdvance, LiveConfig, LiveGame};

use super::class_host::HostArgs;

/// Seconds after the first student joined that the game starts by itself.
const LOBBY_SECS: u64 = 60;

#[allow(clippy::too_many_arguments)] // The host's facts, each once.
pub fn run(
    info: &ProfileInfo,
    store: Store,
    library: &Library,
    class: &Class,
    decks: &[String],
    args: &HostArgs,
    config: &LiveConfig,
    seed: u64,
) -> anyhow::Result<ExitCode> {
    let loaded: Vec<(&str, &[flashdrill_core::deck::Card])> = decks
        .iter()
        .filter_map(|id| {
            library
                .deck(id)
                .map(|d| (id.as_str(), d.deck.cards.as_slice()))
        })
        .collect();
    let setup = whole_decks(&loaded, usize::from(args.questions));
    let questions = live_questions(&setup, &loaded, seed)
        .with_context(|| format!("making questions from the decks of \"{}\"", class.name))?;
    let roster: Vec<String> = store.students(class)?.into_iter().map(|s| s.name).collect();
    let students = roster.len();
    let config = LiveConfig {
        roster: Some(roster),
        auto: Some(AutoAdvance {
            reveal_secs: args.pause,
            leaderboard_secs: args.pause,
        }),
        ..config.clone()
    };
    let count = questions.len();
    let game = LiveGame::start(questions, &config)?;
    println!(
        "Live game for \"{}\": {count} questions (profile \"{}\")",
        class.name, info.name
    );
    println!("Join at {}", game.join_url());
    println!("Game PIN {}", game.pin());
    println!("Listening on {}", game.local_addr());
    let _ = std::io::stdout().flush();
    super::host::play(&game, Some(students), LOBBY_SECS);

    let (cards, _) = ClassCard::from_library(library, &class.decks);
    let mut room = Classroom::with_cards(store, class.clone(), cards)
        .with_context(|| format!("opening the class \"{}\"", class.name))?;
    let game_id = format!("game-{}", Utc::now().timestamp_millis());
    let written = record_class_game(
        &mut room,
        &game_id,
        &game.result_rows(),
        &game.log_entries(),
        Utc::now(),
    )
    .with_context(|| format!("logging the game's answers in the class \"{}\"", class.name))?;
    let snap = game.snapshot().game;
    println!("Final standings:");
    for s in snap.ranking.iter().take(10) {
        println!("{:>3}. {} — {} points", s.place, s.name, s.points);
    }
    println!("Logged {written} answers under the students' names (their schedules are unchanged)");
    game.stop();
    Ok(ExitCode::SUCCESS)
}
