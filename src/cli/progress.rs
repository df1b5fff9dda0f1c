//! `flashdrill progress`: export or import a profile's progress as JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use super::Common;
use super::settings::open_profile;
use flashdrill_core::store::export::{ImportError, ProgressFile};

/// Arguments of `flashdrill progress`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

/// `flashdrill progress export` / `import`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Write every review and card state as `flashdrill-progress/1` JSON.
    Export {
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Merge a progress file: new reviews are added (ones already present are skipped) and
    /// every touched card is rebuilt by replaying its reviews with this profile's settings.
    /// All or nothing.
    Import {
        /// The `flashdrill-progress/1` JSON file.
        file: PathBuf,
    },
}

pub fn run(common: &Common, args: &Args) -> anyhow::Result<ExitCode> {
    match &args.command {
        Command::Export { out } => {
            let (_, store) = open_profile(common)?;
            let text = store.export_progress()?.to_json();
            match out {
                None => print!("{text}"),
                Some(path) => {
                    let mut tmp = path.as_os_str().to_owned();
                    tmp.push(".tmp");
                    let tmp = PathBuf::from(tmp);
                    std::fs::write(&tmp, text)
                        .with_context(|| format!("writing {}", tmp.display()))?;
                    std::fs::rename(&tmp, path)
                        .with_context(|| format!("writing {}", path.display()))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { file } => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            let parsed = match ProgressFile::parse(&text) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!(
                        "flashdrill progress import: {}: {e}; nothing was imported",
                        file.display()
                    );
                    return Ok(ExitCode::from(2));
                }
            };
            let (info, mut store) = open_profile(common)?;
            let settings = store.load_settings()?;
            match store.import_progress(&parsed, &settings) {
                Ok(s) => {
                    println!(
                        "imported into {}: {} reviews added, {} already present; {} cards rebuilt, {} cards added",
                        info.name,
                        s.reviews_added,
                        s.reviews_skipped,
                        s.cards_rebuilt,
                        s.cards_added
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e @ (ImportError::Syntax { .. } | ImportError::Invalid { .. })) => {
                    eprintln!(
                        "flashdrill progress import: {}: {e}; nothing was imported",
                        file.display()
                    );
                    Ok(ExitCode::from(2))
                }
                Err(e) => Err(anyhow::Error::new(e).context(format!(
                    "importing {} (nothing was imported)",
                    file.display()
                ))),
            }
        }
    }
}
