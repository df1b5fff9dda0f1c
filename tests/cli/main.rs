//! Command-line integration tests, in one binary so that a change relinks once.

mod class_cli;
mod class_host_cli;
mod common;
mod deck_cli;
mod draft_cli;
mod host_cli;
mod interop_cli;
mod open_cli;
mod optimize_cli;
mod package_cli;
mod plan_cli;
mod selftest_cli;
mod stats_cli;
mod store_cli;
mod sync_cli;
mod sync_syncthing;
