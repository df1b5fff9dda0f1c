//! What the learner reads when something fails: what went wrong and what to do, naming files
//! by their file name — never a raw SQLite message or a folder inside the app's data.

use flashdrill_core::class::ClassError;
use flashdrill_core::collection::CollectionError;
use flashdrill_core::deck::{DeckFileError, ImportError};
use flashdrill_core::session::SessionError;
use flashdrill_core::store::profiles::ProfileError;
use flashdrill_core::store::{SqliteFailure, StoreError};

use super::notice::file_name;

/// `doing` ("The answer could not be saved") and why, from the store.
#[must_use]
pub fn store(doing: &str, err: &StoreError) -> String {
    match err {
        StoreError::Sqlite { path, .. } => {
            let advice = match err.sqlite_failure() {
                Some(SqliteFailure::Busy) => {
                    "it is in use by another program: close other flashdrill windows and try again"
                }
                Some(SqliteFailure::DiskFull) => "the disk is full: free some space and try again",
                Some(SqliteFailure::NoWrite) => {
                    "it cannot be opened for writing: check the permissions of its folder"
                }
                Some(SqliteFailure::Damaged) => {
                    "it is damaged: restart flashdrill to restore a backup"
                }
                _ => "try again; if it keeps failing, restart flashdrill",
            };
            format!(
                "{doing}: your progress file {} — {advice}.",
                file_name(path)
            )
        }
        StoreError::Io { path, source } => format!(
            "{doing}: {} could not be read or written ({}). Check the disk and the folder's \
             permissions, then try again.",
            file_name(path),
            source.kind()
        ),
        StoreError::TooNew { path, .. } => format!(
            "{doing}: {} was written by a newer flashdrill. Update flashdrill to use it.",
            file_name(path)
        ),
        StoreError::Corrupt { path, .. } => format!(
            "{doing}: {} is damaged. Restart flashdrill to restore its newest backup.",
            file_name(path)
        ),
        StoreError::BadData { path, detail } => format!(
            "{doing}: {} holds a value flashdrill cannot read ({detail}).",
            file_name(path)
        ),
        StoreError::NoSuchReview { .. } | StoreError::NotLatest { .. } => {
            format!("{doing}: that answer can no longer be taken back.")
        }
        StoreError::Invalid(detail) => format!("{doing}: {detail}."),
    }
}

/// `doing` and why, from an operation on the collection.
#[must_use]
pub fn collection(doing: &str, err: &CollectionError) -> String {
    match err {
        CollectionError::Store(err)
        | CollectionError::Session(SessionError::Store(err))
        | CollectionError::Class(ClassError::Store(err)) => store(doing, err),
        CollectionError::NoProfile => {
            format!("{doing}: no profile is open. Open or create one under Settings → Profiles.")
        }
        CollectionError::NothingToUndo => format!("{doing}: there is nothing to undo."),
        other => format!("{doing}: {other}."),
    }
}

/// `doing` and why, from the profiles.
#[must_use]
pub fn profile(doing: &str, err: &ProfileError) -> String {
    match err {
        ProfileError::Store(err) => store(doing, err),
        ProfileError::Io { path, source } => format!(
            "{doing}: {} could not be read or written ({}). Check the disk and the folder's \
             permissions, then try again.",
            file_name(path),
            source.kind()
        ),
        other => format!("{doing}: {other}."),
    }
}

/// Every problem of a deck file, one per line, each starting with the file's name.
#[must_use]
pub fn deck_file(err: &DeckFileError) -> String {
    let name = file_name(&err.path);
    err.problems
        .iter()
        .map(|p| format!("{name}: {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why a deck could not be imported.
#[must_use]
pub fn import(err: &ImportError) -> String {
    match err {
        ImportError::Invalid(err) => deck_file(err),
        ImportError::DuplicateId { path, id } => format!(
            "{}: a deck with the id {id:?} is already loaded; give this deck another id to \
             import it.",
            file_name(path)
        ),
        ImportError::AlreadyExists { dest } => format!(
            "Your deck folder already has a {}; it was left as it is. Give the deck another id \
             to import it.",
            file_name(dest)
        ),
        ImportError::Write { dest, message } => format!(
            "Could not copy the deck into your deck folder ({}: {message}). Check the disk and \
             the folder's permissions.",
            file_name(dest)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn store_messages_name_the_file_not_its_folder_nor_sqlite() {
        let err = StoreError::busy(Path::new(
            "/home/me/.local/share/flashdrill/profiles/default.sqlite3",
        ));
        let text = store("The answer could not be saved", &err);
        assert!(text.contains("default.sqlite3"), "{text}");
        assert!(!text.contains("/home/me"), "{text}");
        assert!(!text.contains("database is locked"), "{text}");
        assert!(text.contains("close other flashdrill windows"), "{text}");
    }

    #[test]
    fn deck_problems_start_with_the_file_name() {
        let err = DeckFileError::one(
            Path::new("/tmp/somewhere/deck.json"),
            flashdrill_core::deck::Problem::Read("gone".into()),
        );
        assert_eq!(deck_file(&err), "deck.json: could not be read: gone");
    }
}
