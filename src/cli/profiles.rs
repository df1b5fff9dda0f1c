//! `flashdrill profiles`: list, create, rename, switch and delete learner profiles.

use std::process::ExitCode;

use anyhow::Context as _;

use super::Common;
use flashdrill_core::store::profiles::Profiles;

/// Arguments of `flashdrill profiles`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do with the profiles (default: list them).
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// List the profiles; the last used one is marked with `*`.
    List,
    /// Add a learner.
    Create { name: String },
    /// Change a profile's display name (its file keeps its name).
    Rename { profile: String, new_name: String },
    /// Make a profile the one used when none is given.
    Switch { profile: String },
    /// Move a profile's database to the trash folder (never deleted outright).
    Delete {
        profile: String,
        /// Confirm the deletion.
        #[arg(long)]
        yes: bool,
    },
}

pub fn run(common: &Common, args: &Args) -> anyhow::Result<ExitCode> {
    let data_dir = common.data_dir()?;
    let mut profiles = Profiles::load(&data_dir)
        .with_context(|| format!("reading the profiles in {}", data_dir.display()))?;
    match args.command.as_ref().unwrap_or(&Command::List) {
        Command::List => {
            let last = profiles.last_used().map(|p| p.slug.clone());
            for p in profiles.list() {
                let mark = if Some(&p.slug) == last.as_ref() {
                    '*'
                } else {
                    ' '
                };
                println!("{mark} {} ({})", p.name, p.slug);
            }
        }
        Command::Create { name } => {
            let p = profiles.create(name)?;
            println!("created {} ({})", p.name, p.slug);
        }
        Command::Rename { profile, new_name } => {
            profiles.rename(profile, new_name)?;
            println!("renamed {profile} to {}", new_name.trim());
        }
        Command::Switch { profile } => {
            let p = profiles.switch(profile)?;
            println!("now using {} ({})", p.name, p.slug);
        }
        Command::Delete { profile, yes } => {
            if !yes {
                eprintln!(
                    "flashdrill profiles: add --yes to delete \"{profile}\" (its database goes to {})",
                    data_dir.join("trash").display()
                );
                return Ok(ExitCode::from(2));
            }
            match profiles.delete(profile)? {
                Some(path) => println!("deleted {profile}; its database is now {}", path.display()),
                None => println!("deleted {profile} (it had no database yet)"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
