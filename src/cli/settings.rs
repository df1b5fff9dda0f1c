//! `flashdrill settings`: show or change the profile's settings.

use std::process::ExitCode;

use anyhow::Context as _;

use super::Common;
use flashdrill_core::settings::{SETTINGS, SettingsError};
use flashdrill_core::store::Store;
use flashdrill_core::store::profiles::{ProfileInfo, Profiles};

/// Arguments of `flashdrill settings`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_long_help = settings_help())]
pub struct Args {
    /// Settings to change, as KEY=VALUE (e.g. new_per_day=30 learning_steps="1m 10m 1h").
    /// Without any, every setting is printed with its value and allowed values.
    #[arg(value_name = "KEY=VALUE")]
    pub assignments: Vec<String>,
    /// Print every setting (after any changes) as one JSON object: numbers as numbers,
    /// true/false as booleans, fsrs_parameters as an array of 21 numbers, the rest as text.
    #[arg(long)]
    pub json: bool,
    /// Show or change one deck's own settings (only desired_retention=R, or
    /// desired_retention=default to use the profile's again).
    #[arg(long, value_name = "ID")]
    pub deck: Option<String>,
}

/// The end of `flashdrill settings --help`: every setting with what it does, the values it
/// takes and its default.
fn settings_help() -> String {
    let rows: Vec<String> = SETTINGS
        .iter()
        .map(|info| {
            format!(
                "  {}\n      {}.\n      Allowed: {}. Default: {}",
                info.key,
                info.description,
                info.allowed,
                info.default_text()
            )
        })
        .collect();
    format!("Settings:\n{}", rows.join("\n"))
}

/// Opens the profile chosen by `--profile` (else the last used one; a "Default" profile is made
/// when there is none), making today's backup.
pub(crate) fn open_profile(common: &Common) -> anyhow::Result<(ProfileInfo, Store)> {
    let data_dir = common.data_dir()?;
    let mut profiles = Profiles::load(&data_dir)
        .with_context(|| format!("reading the profiles in {}", data_dir.display()))?;
    let info = profiles.choose(common.profile.as_deref())?;
    let store = profiles.open(&info.slug, chrono::Local::now().date_naive())?;
    Ok((info, store))
}

pub fn run(common: &Common, args: &Args) -> anyhow::Result<ExitCode> {
    // Check the syntax before touching any database.
    let mut pairs = Vec::with_capacity(args.assignments.len());
    let mut bad = false;
    for a in &args.assignments {
        if let Some((k, v)) = a.split_once('=') {
            pairs.push((k.trim(), v));
        } else {
            eprintln!("flashdrill settings: \"{a}\" is not KEY=VALUE");
            bad = true;
        }
    }
    if bad {
        return Ok(ExitCode::from(2));
    }
    if let Some(deck) = &args.deck {
        return deck_settings(common, deck, &pairs);
    }
    let (info, mut store) = open_profile(common)?;
    let mut settings = store.load_settings()?;
    if pairs.is_empty() && args.json {
        println!("{}", settings.to_json());
        return Ok(ExitCode::SUCCESS);
    }
    if pairs.is_empty() {
        println!("# profile: {} ({})", info.name, info.slug);
        for (s, value) in settings.iter() {
            println!("{} = {value}    # {}; {}", s.key, s.description, s.allowed);
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Err(errors) = settings.set_all(pairs.iter().copied()) {
        for e in &errors {
            eprintln!("flashdrill settings: {e}");
        }
        if errors
            .iter()
            .any(|e| matches!(e, SettingsError::UnknownKey { .. }))
        {
            eprintln!("(run `flashdrill settings` to list the settings and their allowed values)");
        }
        return Ok(ExitCode::from(2));
    }
    store.save_settings(&settings)?;
    if args.json {
        println!("{}", settings.to_json());
        return Ok(ExitCode::SUCCESS);
    }
    for (key, _) in &pairs {
        println!("{key} = {}", settings.get(key)?);
    }
    Ok(ExitCode::SUCCESS)
}

/// `flashdrill settings --deck ID [desired_retention=R|default]`.
fn deck_settings(common: &Common, deck: &str, pairs: &[(&str, &str)]) -> anyhow::Result<ExitCode> {
    let (_, store, library) = super::stats::open(common)?;
    if !super::stats::check_deck("settings", &library, Some(deck)) {
        return Ok(ExitCode::from(2));
    }
    let settings = store.load_settings()?;
    let mut col = flashdrill_core::collection::Collection::new(store, settings);
    col.set_library(library);
    for (key, value) in pairs {
        if *key != "desired_retention" {
            eprintln!(
                "flashdrill settings: a deck has only its own desired_retention; \"{key}\" is a profile setting (run without --deck); nothing was changed"
            );
            return Ok(ExitCode::from(2));
        }
        let retention = if value.trim().eq_ignore_ascii_case("default") {
            None
        } else {
            match flashdrill_core::plan::parse_fraction(value) {
                Ok(r) => Some(r),
                Err(text) => {
                    eprintln!(
                        "flashdrill settings: desired_retention = \"{text}\" is not allowed: it must be from 0.70 to 0.99, or default; nothing was changed"
                    );
                    return Ok(ExitCode::from(2));
                }
            }
        };
        if let Err(e) = col.set_deck_retention(deck, retention) {
            eprintln!("flashdrill settings: {e}; nothing was changed");
            return Ok(ExitCode::from(2));
        }
    }
    let own = col.deck_options().retention.get(deck).copied();
    match own {
        Some(r) => println!("{deck}: desired_retention = {r}"),
        None => println!(
            "{deck}: desired_retention = {} (the profile's)",
            col.settings().desired_retention
        ),
    }
    Ok(ExitCode::SUCCESS)
}
