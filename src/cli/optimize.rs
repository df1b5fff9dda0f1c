//! `flashdrill optimize`: fit the FSRS parameters to the profile's reviews.

use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use chrono::Local;

use super::Common;
use flashdrill_core::optimize::{self, Evaluation, OptimizeOptions, Outcome, Progress, Stage};
use flashdrill_core::settings::format_parameters;

/// Arguments of `flashdrill optimize`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Fit to this deck's reviews only (its id, as `flashdrill check` lists it); the
    /// parameters still apply to the whole profile.
    #[arg(long, value_name = "ID")]
    pub deck: Option<String>,
    /// Fit and report, but change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also move review cards' due dates to the intervals the kept parameters give (by default
    /// only their memory states are recomputed).
    #[arg(long, conflicts_with = "undo")]
    pub reschedule: bool,
    /// Put back the parameters the last optimize (or undo) replaced.
    #[arg(long, conflicts_with_all = ["dry_run", "deck"])]
    pub undo: bool,
}

fn figures(e: Option<Evaluation>) -> String {
    e.map_or_else(
        || "–".to_owned(),
        |e| {
            format!(
                "log loss {:.4}, RMSE (bins) {:.2} %",
                e.log_loss,
                e.rmse_bins * 100.0
            )
        },
    )
}

fn show_progress(p: Progress) {
    let what = match p.stage {
        Stage::Training => "Fitting",
        Stage::Evaluating => "Evaluating",
        Stage::Simulating => "Simulating",
    };
    eprint!("\r{what}… {:>3.0} %", p.fraction() * 100.0);
    let _ = std::io::stderr().flush();
}

pub fn run(common: &Common, args: &Args) -> anyhow::Result<ExitCode> {
    let (info, mut store, library) = super::stats::open(common)?;
    if args.undo {
        let Some(previous) = optimize::undo(&mut store)? else {
            eprintln!(
                "flashdrill optimize: profile {} has no earlier parameters to put back",
                info.name
            );
            return Ok(ExitCode::from(2));
        };
        println!(
            "Profile {}: the previous parameters are back, memory states recomputed:\n  {}",
            info.name,
            format_parameters(&previous)
        );
        return Ok(ExitCode::SUCCESS);
    }
    if !super::stats::check_deck("optimize", &library, args.deck.as_deref()) {
        return Ok(ExitCode::from(2));
    }
    let settings = store.load_settings()?;
    let reviews = store.all_reviews()?;
    let set = optimize::build_items(
        &reviews,
        args.deck.as_deref(),
        &Local,
        settings.day_starts_at,
    );
    let options = OptimizeOptions {
        relearning_steps: settings.relearning_steps.len(),
        ..OptimizeOptions::default()
    };
    let terminal = std::io::stderr().is_terminal();
    let report = optimize::optimize(
        &set,
        &settings.fsrs_parameters,
        options,
        |p| {
            if terminal {
                show_progress(p);
            }
        },
        &AtomicBool::new(false),
    )?;
    if terminal {
        eprint!("\r{:20}\r", "");
    }
    println!(
        "Profile {}: {} reviews of {} cards used",
        info.name, report.reviews, report.cards
    );
    if report.fitted.is_some() {
        println!("Current parameters: {}", figures(report.current_evaluation));
        println!("Fitted parameters:  {}", figures(report.fitted_evaluation));
    }
    println!("{}", report.outcome.explanation());
    if let Some(fitted) = report.fitted {
        println!("Fitted: {}", format_parameters(&fitted));
    }
    if report.outcome != Outcome::Kept {
        return Ok(ExitCode::SUCCESS);
    }
    if args.dry_run {
        println!("Dry run: nothing was changed.");
        return Ok(ExitCode::SUCCESS);
    }
    let cards = optimize::apply(&mut store, &report.chosen(), args.reschedule)?;
    println!(
        "Kept. Memory states of {cards} cards recomputed; {}. Undo with `flashdrill optimize --undo`.",
        if args.reschedule {
            "review cards rescheduled"
        } else {
            "due dates kept"
        }
    );
    Ok(ExitCode::SUCCESS)
}
