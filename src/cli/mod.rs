//! The command-line edge: each subcommand's arguments and what it does. `anyhow` lives here.

pub mod check;
pub mod class;
pub mod class_game;
pub mod class_host;
pub mod draft;
pub mod export;
pub mod host;
pub mod import;
pub mod optimize;
pub mod plan;
pub mod profiles;
pub mod progress;
pub mod report;
pub mod selftest;
pub mod settings;
pub mod stats;
pub mod sync;

use std::path::PathBuf;

/// Options every subcommand and the app share.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Where profiles, decks and backups live (default: the OS data directory; also
    /// FLASHDRILL_DATA_DIR).
    #[arg(long, global = true, env = "FLASHDRILL_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The learner profile to use (default: the last one used).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
}

impl Common {
    /// The data directory: `--data-dir`, else `FLASHDRILL_DATA_DIR`, else the OS data directory.
    pub fn data_dir(&self) -> anyhow::Result<PathBuf> {
        match &self.data_dir {
            Some(dir) => Ok(dir.clone()),
            None => flashdrill_core::store::default_data_dir().ok_or_else(|| {
                anyhow::anyhow!(
                    "no home directory found; pass --data-dir or set FLASHDRILL_DATA_DIR"
                )
            }),
        }
    }
}
