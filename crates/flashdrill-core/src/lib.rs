//! flashdrill's domain: decks, quiz forms and marking, FSRS scheduling, the SQLite store,
//! study sessions, practice, the class drill, the browser's table, statistics and settings.
//!
//! No GUI crate is anywhere in this crate's dependency tree (CI checks it with `cargo tree`):
//! the app in the workspace root draws screens over these types.

pub mod browse;
pub mod class;
pub mod collection;
pub mod csv_out;
pub mod deck;
pub mod domain;
pub mod draft;
pub mod drill;
pub mod interop;
pub mod optimize;
pub mod plan;
pub mod practice;
pub mod quiz;
pub mod schedule;
pub mod selftest;
pub mod session;
pub mod settings;
pub mod siblings;
pub mod stats;
pub mod store;
pub mod sync;

/// The file name of `path` for messages ("deck.json"), never the folders around it.
#[must_use]
pub fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
