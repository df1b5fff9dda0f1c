//! `flashdrill sync`: syncs the profile's progress, decks and settings with the learner's other
//! computers through a shared folder (see docs/sync.md).

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use super::Common;
use flashdrill_core::deck;
use flashdrill_core::sync::{SyncOptions, sync};

/// Arguments of `flashdrill sync`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The shared folder (kept in step by Syncthing, Dropbox, Nextcloud, or a USB stick).
    /// Remembered for this profile on this computer: later syncs need no --folder.
    #[arg(long, value_name = "DIR")]
    pub folder: Option<PathBuf>,
    /// This computer's name as the other computers show it (default: its host name).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

/// This computer's host name, or a plain name when it has none.
fn host_name() -> String {
    let name = gethostname::gethostname()
        .to_string_lossy()
        .trim()
        .to_owned();
    if name.is_empty() {
        "this computer".to_owned()
    } else {
        name
    }
}

pub fn run(common: &Common, args: &Args) -> anyhow::Result<ExitCode> {
    let data_dir = common.data_dir()?;
    let (info, mut store, library) = super::stats::open(common)?;
    let remembered = store.sync_folder()?;
    let folder = if let Some(f) = &args.folder {
        std::path::absolute(f).with_context(|| f.display().to_string())?
    } else if let Some(f) = remembered {
        f
    } else {
        eprintln!(
            "flashdrill sync: no sync folder is set for the profile \"{}\" on this computer; give one with --folder DIR (it is remembered)",
            info.name
        );
        return Ok(ExitCode::from(2));
    };
    let options = SyncOptions {
        folder: folder.clone(),
        deck_dir: Some(deck::user_deck_dir(&data_dir)),
        device_name: args.name.clone().unwrap_or_else(host_name),
        profile_dir: Some(info.slug.clone()),
        profile_name: Some(info.name.clone()),
        known_decks: Some(
            library
                .deck_ids()
                .into_iter()
                .map(str::to_owned)
                .collect::<HashSet<_>>(),
        ),
    };
    // A folder given (and there) is remembered first: another folder than last time gets
    // the whole log again.
    if args.folder.is_some() && folder.is_dir() {
        store.set_sync_folder(Some(&folder))?;
    }
    let report = sync(&mut store, &options)?;
    if let Some(name) = &report.profile_renamed {
        flashdrill_core::store::profiles::Profiles::load(&data_dir)
            .and_then(|mut profiles| profiles.rename(&info.slug, name))
            .with_context(|| format!("renaming the profile \"{}\" to \"{name}\"", info.name))?;
    }
    println!(
        "synced the profile \"{}\" through {}",
        info.name,
        folder.display()
    );
    for line in report.lines() {
        println!("{line}");
    }
    Ok(if report.write_problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
