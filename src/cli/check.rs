//! `flashdrill check`.

use super::Common;

/// Arguments of `flashdrill check`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

pub fn run(_common: &Common, _args: &Args) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("`flashdrill check` is not built yet")
}
