//! `flashdrill stats`: a terminal summary of the profile's progress.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::Local;

use super::Common;
use std::sync::atomic::AtomicBool;

use flashdrill_core::deck::{self, Library};
use flashdrill_core::optimize::{self, OptimizeError};
use flashdrill_core::schedule::{DEFAULT_PARAMETERS, State};
use flashdrill_core::stats::{self, Filter, Stats};
use flashdrill_core::store::Store;
use flashdrill_core::store::profiles::{ProfileInfo, Profiles};

/// Arguments of `flashdrill stats`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Only this deck (its id, as `flashdrill check` lists it).
    #[arg(long, value_name = "ID")]
    pub deck: Option<String>,
}

/// The profile chosen by `--profile` (else the last used one), its store, and the decks.
pub(crate) fn open(common: &Common) -> anyhow::Result<(ProfileInfo, Store, Library)> {
    let data_dir = common.data_dir()?;
    let mut profiles = Profiles::load(&data_dir)
        .with_context(|| format!("reading the profiles in {}", data_dir.display()))?;
    let info = profiles.choose(common.profile.as_deref())?;
    let store = profiles.open(&info.slug, Local::now().date_naive())?;
    let library = deck::load_library(&[deck::user_deck_dir(&data_dir)], true);
    Ok((info, store, library))
}

/// Checks `--deck` against the loaded decks; prints the known ids when it is unknown.
pub(crate) fn check_deck(command: &str, library: &Library, deck: Option<&str>) -> bool {
    let Some(id) = deck else { return true };
    if library.deck(id).is_some() {
        return true;
    }
    eprintln!(
        "flashdrill {command}: there is no deck \"{id}\"; the decks are: {}",
        library.deck_ids().join(", ")
    );
    false
}

pub fn run(common: &Common, args: &Args) -> anyhow::Result<ExitCode> {
    let (info, store, library) = open(common)?;
    if !check_deck("stats", &library, args.deck.as_deref()) {
        return Ok(ExitCode::from(2));
    }
    let filter = Filter {
        deck: args.deck.clone(),
        mode: None,
    };
    let now = Local::now();
    let stats = stats::load(&store, &library, filter, &now)?;
    let deck_title = args
        .deck
        .as_deref()
        .and_then(|id| library.deck(id))
        .map(|d| d.deck.title.as_str());
    // The memory model sits between mastery and the forecast, which stays last.
    print!("{}", summary_head(&info.name, deck_title, &stats));
    let model = memory_model(&store, &library, args.deck.as_deref(), &now)?;
    print!("{model}{}", forecast(&stats));
    Ok(ExitCode::SUCCESS)
}

/// The "Memory model" lines: how well the profile's parameters predict its reviews, and the
/// daily load a year at the current desired retention would bring (fsrs's simulator).
pub fn memory_model(
    store: &Store,
    library: &Library,
    deck: Option<&str>,
    now: &chrono::DateTime<Local>,
) -> anyhow::Result<String> {
    let mut o = String::new();
    let settings = store.load_settings()?;
    let reviews = store.all_reviews()?;
    let set = optimize::build_items(&reviews, deck, &Local, settings.day_starts_at);
    let which = if settings.fsrs_parameters == DEFAULT_PARAMETERS {
        "default"
    } else {
        "fitted"
    };
    let never = AtomicBool::new(false);
    let _ = writeln!(o, "\nMemory model ({which} parameters):");
    match optimize::evaluate(&set, &settings.fsrs_parameters, |_| {}, &never)? {
        Some(e) => {
            let _ = writeln!(
                o,
                "  Fit to your reviews: log loss {:.4}, RMSE (bins) {:.2} % over {} reviews",
                e.log_loss,
                e.rmse_bins * 100.0,
                set.reviews()
            );
        }
        None => {
            let _ = writeln!(
                o,
                "  Fit to your reviews: not measured yet (no card reviewed on a later day)"
            );
        }
    }
    let cards: Vec<_> = store
        .card_states(deck)?
        .into_iter()
        .filter(|c| c.progress.card.state != State::New)
        .collect();
    // Not yet studied: the loaded decks' cards with no progress beyond New.
    let new_cards = optimize::unstudied_cards(library, &cards, deck);
    let input = optimize::simulation_input(&reviews, &cards, &settings, new_cards, now);
    match optimize::workload_at(&input, settings.desired_retention) {
        Ok(p) => {
            let _ = writeln!(
                o,
                "  Simulated year at desired retention {}: {:.0} reviews and {:.1} new cards a day, {:.0} min a day; {:.0} cards known at its end",
                pct(f64::from(settings.desired_retention)),
                p.reviews_per_day,
                p.new_per_day,
                p.minutes_per_day,
                p.cards_known
            );
        }
        Err(OptimizeError::NoCards) => {
            let _ = writeln!(o, "  Simulated load: no cards to simulate yet");
        }
        Err(e) => return Err(e.into()),
    }
    Ok(o)
}

fn pct(v: f64) -> String {
    format!("{:.0} %", v * 100.0)
}

/// The summary text `flashdrill stats` prints (without the memory-model lines).
#[must_use]
pub fn summary(profile: &str, deck_title: Option<&str>, stats: &Stats) -> String {
    summary_head(profile, deck_title, stats) + &forecast(stats)
}

/// Everything of the summary before the forecast.
fn summary_head(profile: &str, deck_title: Option<&str>, stats: &Stats) -> String {
    let mut o = String::new();
    let scope = deck_title.map_or_else(|| "all decks".to_owned(), |t| format!("deck \"{t}\""));
    let _ = writeln!(
        o,
        "Profile {profile}, {scope}, {}",
        stats.today.format("%a %-d %b %Y")
    );
    if stats.is_empty() {
        let _ = writeln!(
            o,
            "No reviews yet: study a deck (run flashdrill without arguments) and your progress appears here."
        );
    }
    let t = &stats.today_numbers;
    let other = match t.other {
        0 => String::new(),
        1 => ", 1 practice or drill answer".to_owned(),
        n => format!(", {n} practice or drill answers"),
    };
    let _ = writeln!(
        o,
        "Today: {} reviews{other}, {:.0} min, {} right",
        t.reviews,
        t.minutes(),
        t.right_rate().map_or_else(|| "–".to_owned(), pct)
    );
    let days = |n: u32| if n == 1 { "day" } else { "days" };
    let _ = writeln!(
        o,
        "Streak: {} {} (longest {} {})",
        stats.streaks.current,
        days(stats.streaks.current),
        stats.streaks.longest,
        days(stats.streaks.longest)
    );
    let r = stats.recent_retention;
    let _ = writeln!(
        o,
        "True retention, last {} days: {} (desired {})",
        stats::RECENT_RETENTION_DAYS,
        r.rate().map_or_else(
            || "no reviews of learned cards yet".to_owned(),
            |v| format!("{} of {} reviews passed", pct(v), r.total())
        ),
        pct(f64::from(stats.desired_retention))
    );
    let _ = writeln!(
        o,
        "Total answers: {}{}",
        stats.total_reviews,
        stats
            .recall
            .map_or_else(String::new, |v| format!("; would recall today: {}", pct(v)))
    );
    let _ = writeln!(o, "\nMastery by category:");
    let width = stats
        .mastery
        .iter()
        .map(|m| m.category.label().chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let _ = writeln!(
        o,
        "  {:<width$}  {:>5}  {:>8}  {:>5}  {:>6}  {:>6}",
        "Category", "New", "Learning", "Young", "Mature", "Recall"
    );
    for m in &stats.mastery {
        let c = m.counts;
        let _ = writeln!(
            o,
            "  {:<width$}  {:>5}  {:>8}  {:>5}  {:>6}  {:>6}",
            m.category.label(),
            c.new,
            c.learning,
            c.young,
            c.mature,
            m.recall.map_or_else(|| "–".to_owned(), pct)
        );
    }
    o
}

/// The 7-day forecast, the summary's last lines.
fn forecast(stats: &Stats) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "\nDue in the next 7 days:");
    for (i, n) in stats.forecast.iter().take(7).enumerate() {
        let label = match i {
            0 => "Today (and overdue)".to_owned(),
            1 => "Tomorrow".to_owned(),
            _ => stats.forecast_date(i).format("%a %-d %b").to_string(),
        };
        let _ = writeln!(o, "  {label:<20} {n}");
    }
    o
}
