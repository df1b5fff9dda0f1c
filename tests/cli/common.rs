//! What every command-line test does: run the real binary on a data directory.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `flashdrill --data-dir DATA ARGS…`, ignoring any `FLASHDRILL_DATA_DIR` of the caller.
pub fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flashdrill"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("FLASHDRILL_DATA_DIR")
        .output()
        .unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
