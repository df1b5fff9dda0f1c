//! SQLite progress: schema, migrations, review log, card state, backups, export/import.

use std::path::PathBuf;

/// The OS data directory for flashdrill (`~/.local/share/flashdrill` on Linux), if there is a
/// home directory.
#[must_use]
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "flashdrill", "flashdrill")
        .map(|d| d.data_dir().to_path_buf())
}
