//! `flashdrill report`: per-card and per-category results as CSV, JSON or HTML.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Local;

use super::Common;
use super::stats::{check_deck, open};
use flashdrill_core::stats::report::{self, ReportFormat};

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
    let report = report::load(
        &info.name,
        &store,
        &library,
        args.deck.as_deref(),
        &Local::now(),
    )?;
    let format = match (args.format, args.table) {
        (Format::Csv, Table::Cards) => ReportFormat::CsvCards,
        (Format::Csv, Table::Categories) => ReportFormat::CsvCategories,
        (Format::Json, _) => ReportFormat::Json,
        (Format::Html, _) => ReportFormat::Html,
    };
    let text = format.render(&report);
    match &args.out {
        None => print!("{text}"),
        Some(path) => {
            report::write_atomically(path, &text)?;
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
