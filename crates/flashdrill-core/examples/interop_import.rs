//! Imports one file into a fresh profile and deck folder and prints the report and the time:
//! for measuring the import's peak memory,
//!
//! ```sh
//! INTEROP_BENCH_WRITE=/tmp/big.apkg cargo bench -p flashdrill-core --bench interop
//! cargo build --release -p flashdrill-core --example interop_import
//! /usr/bin/time -v target/release/examples/interop_import /tmp/big.apkg /tmp/import-out
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use flashdrill_core::interop::{ImportOptions, import_files};
use flashdrill_core::store::Store;

/// The allocator the app itself runs with (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The process's resident memory now (Linux; 0 elsewhere).
fn resident_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [file, out] = args.as_slice() else {
        eprintln!("usage: interop_import FILE OUT_DIR (OUT_DIR must not exist yet)");
        return ExitCode::from(2);
    };
    if out.exists() {
        eprintln!("{} exists already; give a new folder", out.display());
        return ExitCode::from(2);
    }
    let mut store = match Store::open(&out.join("profile.sqlite3")) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let start = Instant::now();
    let cancel = AtomicBool::new(false);
    match import_files(
        std::slice::from_ref(file),
        &mut store,
        &out.join("decks"),
        &ImportOptions::default(),
        &|p| {
            if std::env::var_os("INTEROP_STAGES").is_some() {
                eprintln!(
                    "{:>7.2} s {:>5.1}% {:>7} KB resident {}",
                    start.elapsed().as_secs_f64(),
                    p.fraction * 100.0,
                    resident_kb(),
                    p.stage
                );
            }
        },
        &cancel,
    ) {
        Ok(report) => {
            print!("{report}");
            println!("took {:.2} s", start.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
