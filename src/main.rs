//! flashdrill's command line: no subcommand opens the app.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use flashdrill::{cli, instance};

/// mimalloc: loading a large deck allocates millions of small strings, and mimalloc parses a
/// 100,000-card deck about twice as fast as the system allocator (`cargo bench --bench
/// deck_load`, which uses the same allocator).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "flashdrill",
    version,
    about = "Flashcards and quizzes with FSRS-6 spaced repetition",
    // `flashdrill --data-dir D stats` is a subcommand; `flashdrill FILE…` opens files.
    subcommand_precedence_over_arg = true
)]
struct Cli {
    #[command(flatten)]
    common: cli::Common,
    /// Files to open in the window: flashdrill decks are added, Anki packages and text files
    /// go to the import screen. With a window already open on this data folder, the files go
    /// to it.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate deck files or folders and print every problem (exit 1 if any).
    Check(cli::check::Args),
    /// Draft a deck from an article: a card per date, number and name, each with its sentence.
    Draft(cli::draft::Args),
    /// Show or change the profile's settings (KEY=VALUE …).
    Settings(cli::settings::Args),
    /// Export or import a profile's progress as JSON.
    Progress(cli::progress::Args),
    /// List, create, rename, switch or delete learner profiles.
    Profiles(cli::profiles::Args),
    /// Summarise the profile's progress: today, streak, retention, mastery, forecast.
    Stats(cli::stats::Args),
    /// Fit the FSRS parameters to the profile's reviews and keep them if they predict better.
    Optimize(cli::optimize::Args),
    /// Write per-card and per-category results as CSV, JSON or printable HTML.
    Report(cli::report::Args),
    /// Print a mock test of a deck: N questions across its categories, then the answer key.
    Selftest(cli::selftest::Args),
    /// Import Anki packages, Anki or Quizlet text, or spreadsheets: decks, images and review
    /// history (`import --help` lists the file types).
    Import(cli::import::Args),
    /// Export a deck as an Anki package or Anki plain text.
    Export(cli::export::Args),
    /// Host a live class game students answer on their phones (no window; moves on by itself).
    Host(cli::host::Args),
    /// Classes: rosters, each student's own schedule, reports, a student's progress to take home.
    Class(cli::class::Args),
    /// Set, list or remove exam dates: cards are scheduled to be ready on the day.
    Exam(cli::plan::ExamArgs),
    /// Move N due review cards to later, those that lose least recall by waiting first.
    Postpone(cli::plan::ShiftArgs),
    /// Bring N review cards forward to today, those closest to due first.
    Advance(cli::plan::ShiftArgs),
    /// The cards due each day ahead (learning, review, new) and each exam's readiness.
    Forecast(cli::plan::ForecastArgs),
    /// Sync progress, decks and settings with your other computers through a shared folder
    /// (Syncthing, Dropbox, a USB stick); `--folder DIR` once, then remembered.
    Sync(cli::sync::Args),
}

fn open_app(common: &cli::Common, files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    for file in files {
        if !file.is_file() {
            anyhow::bail!(
                "{}: no such file (give the path of a deck, an Anki package or a text file)",
                file.display()
            );
        }
    }
    let data_dir = common.data_dir()?;
    let listener = match instance::claim(&instance::runtime_dir(), &data_dir, files) {
        instance::Claim::HandedOver => {
            println!(
                "flashdrill is already open on {}: its window took over.",
                data_dir.display()
            );
            return Ok(ExitCode::SUCCESS);
        }
        instance::Claim::First(listener) => listener,
    };
    let options = flashdrill::app::AppOptions {
        data_dir,
        profile: common.profile.clone(),
        jobs: flashdrill::jobs::Jobs::background(),
    };
    flashdrill::app::run(options, files.to_vec(), Some(listener.handed()))?;
    drop(listener);
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let args = Cli::parse();
    let result = match &args.command {
        None => open_app(&args.common, &args.files),
        Some(Command::Check(a)) => cli::check::run(&args.common, a),
        Some(Command::Draft(a)) => cli::draft::run(a),
        Some(Command::Settings(a)) => cli::settings::run(&args.common, a),
        Some(Command::Progress(a)) => cli::progress::run(&args.common, a),
        Some(Command::Profiles(a)) => cli::profiles::run(&args.common, a),
        Some(Command::Stats(a)) => cli::stats::run(&args.common, a),
        Some(Command::Report(a)) => cli::report::run(&args.common, a),
        Some(Command::Selftest(a)) => cli::selftest::run(&args.common, a),
        Some(Command::Optimize(a)) => cli::optimize::run(&args.common, a),
        Some(Command::Host(a)) => cli::host::run(&args.common, a),
        Some(Command::Class(a)) => cli::class::run(&args.common, a),
        Some(Command::Import(a)) => cli::import::run(&args.common, a),
        Some(Command::Export(a)) => cli::export::run(&args.common, a),
        Some(Command::Exam(a)) => cli::plan::exam(&args.common, a),
        Some(Command::Postpone(a)) => cli::plan::postpone(&args.common, a),
        Some(Command::Advance(a)) => cli::plan::advance(&args.common, a),
        Some(Command::Forecast(a)) => cli::plan::forecast_cmd(&args.common, a),
        Some(Command::Sync(a)) => cli::sync::run(&args.common, a),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("flashdrill: {err:#}");
            ExitCode::FAILURE
        }
    }
}
