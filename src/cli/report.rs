//! `flashdrill report`: per-card and per-category results as CSV, JSON or HTML.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::Local;

use super::Common;
use super::stats::{check_deck, open};
use crate::schedule::Scheduler;
use crate::stats::report::{self, CsvTable};

/// The file format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One CSV table (see --table).
    Csv,
    /// Both tables, as `flashdrill-report/1` JSON.
    Json,
    /// One self-contained, printable HTML page with both tables.
    Html,
}

/// The table a CSV report holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Table {
    /// One row per card.
    #[default]
    Cards,
    /// One row per category.
    Categories,
}

/// Arguments of `flashdrill report`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The output format.
    #[arg(long, value_enum, default_value = "html")]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Only this deck (its id).
    #[arg(long, value_name = "ID")]
    pub deck: Option<String>,
    /// CSV only: which table to write (a CSV file holds one).
    #[arg(long, value_enum, default_value = "cards")]
    pub table: Table,
}

pub fn run(common: &Common, args: &Args) -> anyhow::Result<ExitCode> {
    let (info, store, library) = open(common)?;
    if !check_deck("report", &library, args.deck.as_deref()) {
        return Ok(ExitCode::from(2));
    }
    let settings = store.load_settings()?;
    let scheduler = Scheduler::new(settings.scheduler_config())
        .context("the profile's settings cannot be used for scheduling")?;
    let reviews = store.all_reviews()?;
    let cards = store.card_states(args.deck.as_deref())?;
    let report = report::build(
        &info.name,
        &reviews,
        &cards,
        &library,
        &scheduler,
        args.deck.as_deref(),
        &Local::now(),
    );
    let text = match args.format {
        Format::Csv => report.to_csv(match args.table {
            Table::Cards => CsvTable::Cards,
            Table::Categories => CsvTable::Categories,
        }),
        Format::Json => report.to_json(),
        Format::Html => report.to_html(),
    };
    match &args.out {
        None => print!("{text}"),
        Some(path) => {
            // Written next to the target and renamed: a failed write never leaves half a file.
            let mut tmp = path.as_os_str().to_owned();
            tmp.push(".tmp");
            let tmp = PathBuf::from(tmp);
            std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
            std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
            eprintln!(
                "wrote {} ({} cards, {} categories)",
                path.display(),
                report.cards.len(),
                report.categories.len()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
