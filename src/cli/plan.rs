//! `flashdrill exam`, `postpone`, `advance` and `forecast`: planning the days ahead.

use std::fmt::Write as _;
use std::process::ExitCode;

use chrono::{Local, Utc};
use flashdrill_core::collection::{Collection, CollectionError};
use flashdrill_core::plan::forecast::{NewCards, forecast};
use flashdrill_core::plan::{Exam, new_pace, parse_fraction};
use flashdrill_core::schedule::{State, StudyDays};

use super::Common;

/// Arguments of `flashdrill exam`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExamArgs {
    /// The deck the exam is on (its id, as `flashdrill check` lists it). Without it, every
    /// exam is listed with its readiness.
    #[arg(long, value_name = "ID")]
    pub deck: Option<String>,
    /// The exam's date, YYYY-MM-DD (today or later).
    #[arg(long, value_name = "YYYY-MM-DD", conflicts_with = "clear")]
    pub date: Option<String>,
    /// The recall wanted on the exam day, 0.70–0.99 (or 90%).
    #[arg(long, value_name = "R", default_value = "0.90", requires = "date")]
    pub target: String,
    /// Remove the deck's exam.
    #[arg(long, requires = "deck")]
    pub clear: bool,
}

/// Arguments of `flashdrill postpone` and `flashdrill advance`.
#[derive(Debug, Clone, clap::Args)]
pub struct ShiftArgs {
    /// How many cards to move.
    #[arg(long, value_name = "N")]
    pub count: usize,
    /// Only this deck's cards.
    #[arg(long, value_name = "ID")]
    pub deck: Option<String>,
}

/// Arguments of `flashdrill forecast`.
#[derive(Debug, Clone, clap::Args)]
pub struct ForecastArgs {
    /// Only this deck.
    #[arg(long, value_name = "ID")]
    pub deck: Option<String>,
    /// How many days ahead (1–3650).
    #[arg(long, value_name = "N", default_value_t = 14,
          value_parser = clap::value_parser!(u16).range(1..=3650))]
    pub days: u16,
    /// Print JSON: `days` (date, learning, review, new) and `exams` (each exam's readiness).
    #[arg(long)]
    pub json: bool,
}

/// The profile as a collection over its decks.
fn open(common: &Common) -> anyhow::Result<Collection> {
    let (_, store, library) = super::stats::open(common)?;
    let settings = store.load_settings()?;
    let mut col = Collection::new(store, settings);
    col.set_library(library);
    Ok(col)
}

/// A refused value: its message, exit code 2.
fn refused(command: &str, err: &CollectionError) -> ExitCode {
    eprintln!("flashdrill {command}: {err}; nothing was changed");
    ExitCode::from(2)
}

fn print_exams(col: &Collection, deck: Option<&str>) {
    let all = col.readiness(deck, Utc::now(), false);
    if all.is_empty() {
        println!(
            "No exam dates are set. Set one with: flashdrill exam --deck ID --date YYYY-MM-DD"
        );
    }
    for r in all {
        println!("{}: {}", r.deck_id, r.headline());
        for note in r.notes() {
            println!("    {note}");
        }
    }
}

pub fn exam(common: &Common, args: &ExamArgs) -> anyhow::Result<ExitCode> {
    let mut col = open(common)?;
    if !super::stats::check_deck("exam", col.library(), args.deck.as_deref()) {
        return Ok(ExitCode::from(2));
    }
    if args.clear {
        let deck = args.deck.as_deref().unwrap_or_default();
        return Ok(match col.clear_exam(deck) {
            Ok(_) => {
                println!("Removed the exam date of {deck}.");
                ExitCode::SUCCESS
            }
            Err(e) => refused("exam", &e),
        });
    }
    let Some(date) = &args.date else {
        print_exams(&col, args.deck.as_deref());
        return Ok(ExitCode::SUCCESS);
    };
    let Some(deck) = &args.deck else {
        eprintln!("flashdrill exam: --date needs --deck ID (the deck the exam is on)");
        return Ok(ExitCode::from(2));
    };
    let target = match parse_fraction(&args.target) {
        Ok(t) => t,
        Err(text) => {
            eprintln!(
                "flashdrill exam: the target {text} is not allowed: it must be from 0.70 to 0.99 (the recall wanted on the exam day); nothing was changed"
            );
            return Ok(ExitCode::from(2));
        }
    };
    let today = Local::now().date_naive();
    let exam = match Exam::new(deck, date, target, today, Utc::now()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("flashdrill exam: {e}; nothing was changed");
            return Ok(ExitCode::from(2));
        }
    };
    match col.set_exam(exam, Utc::now()) {
        Ok(out) => {
            println!(
                "Exam on {} set for {deck}: {} cards brought forward to be ready by then.",
                out.output.exam.date.format("%-d %B %Y"),
                out.output.rescheduled
            );
            print_exams(&col, Some(deck));
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(refused("exam", &e)),
    }
}

pub fn postpone(common: &Common, args: &ShiftArgs) -> anyhow::Result<ExitCode> {
    shift(common, args, "postpone")
}

pub fn advance(common: &Common, args: &ShiftArgs) -> anyhow::Result<ExitCode> {
    shift(common, args, "advance")
}

fn shift(common: &Common, args: &ShiftArgs, command: &str) -> anyhow::Result<ExitCode> {
    let mut col = open(common)?;
    if !super::stats::check_deck(command, col.library(), args.deck.as_deref()) {
        return Ok(ExitCode::from(2));
    }
    let now = Local::now();
    let done = if command == "postpone" {
        col.postpone(args.count, args.deck.as_deref(), &now)
    } else {
        col.advance(args.count, args.deck.as_deref(), &now)
    };
    match done {
        Ok(out) => {
            let verb = if command == "postpone" {
                "Postponed"
            } else {
                "Advanced"
            };
            let what = if command == "postpone" {
                "due today"
            } else {
                "not due today"
            };
            let cards = if out.output == 1 { "card" } else { "cards" };
            if out.output == 0 {
                println!("No review card is {what}: nothing to {command}.");
            } else if out.output < args.count {
                println!(
                    "{verb} {} {cards} (all the review cards {what}).",
                    out.output
                );
            } else {
                println!("{verb} {} {cards}.", out.output);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(refused(command, &e)),
    }
}

pub fn forecast_cmd(common: &Common, args: &ForecastArgs) -> anyhow::Result<ExitCode> {
    let col = open(common)?;
    if !super::stats::check_deck("forecast", col.library(), args.deck.as_deref()) {
        return Ok(ExitCode::from(2));
    }
    let store = col
        .store()
        .ok_or_else(|| anyhow::anyhow!("no profile is open"))?;
    let settings = col.settings();
    let days = StudyDays::local(settings.day_starts_at);
    let now = Utc::now();
    let rules = col.rules();
    let cards = store.card_states(args.deck.as_deref())?;
    let mut new = Vec::new();
    for loaded in &col.library().decks {
        let id = loaded.deck.id.as_str();
        if args.deck.as_deref().is_some_and(|d| d != id) {
            continue;
        }
        let studied = cards
            .iter()
            .filter(|c| c.deck_id == id && c.progress.card.state != State::New)
            .count();
        let left = loaded.deck.cards.len().saturating_sub(studied);
        let per_day = rules
            .options
            .exams
            .get(id)
            .map_or(settings.new_per_day, |e| {
                new_pace(e, days, now, settings.new_per_day, left, 0).per_day
            });
        new.push(NewCards { left, per_day });
    }
    let table = forecast(
        cards.iter().map(|c| &c.progress),
        &new,
        days,
        now,
        usize::from(args.days),
    );
    let exams = col.readiness(args.deck.as_deref(), now, false);
    if args.json {
        let json = serde_json::json!({ "days": table, "exams": exams });
        println!("{}", serde_json::to_string_pretty(&json)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::from("date         learning  review     new   total\n");
    for d in &table {
        let _ = writeln!(
            out,
            "{}  {:>8}  {:>6}  {:>6}  {:>6}",
            d.date.format("%a %d %b"),
            d.learning,
            d.review,
            d.new,
            d.total()
        );
    }
    print!("{out}");
    for r in exams {
        println!("{}: {}", r.deck_id, r.headline());
        for note in r.notes() {
            println!("    {note}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
