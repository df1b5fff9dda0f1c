//! `flashdrill settings`.

use super::Common;

/// Arguments of `flashdrill settings`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

pub fn run(_common: &Common, _args: &Args) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("`flashdrill settings` is not built yet")
}
