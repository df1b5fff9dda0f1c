//! `flashdrill progress`.

use super::Common;

/// Arguments of `flashdrill progress`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

pub fn run(_common: &Common, _args: &Args) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("`flashdrill progress` is not built yet")
}
