//! Importing a deck file into the user's deck folder.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use super::load::{parse_deck, read_limited};
use super::problem::DeckFileError;

/// Why a deck could not be imported. Nothing is written in any of these cases.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The file is not a valid deck.
    #[error("{0}")]
    Invalid(DeckFileError),
    /// A deck with the same id is already loaded.
    #[error(
        "{}: a deck with the id {id:?} is already loaded; give this deck another id to import it",
        path.display()
    )]
    DuplicateId {
        /// The file being imported.
        path: PathBuf,
        /// The deck id it shares with a loaded deck.
        id: String,
    },
    /// The destination file exists already.
    #[error("{} already exists; it was left as it is", dest.display())]
    AlreadyExists {
        /// The file that would have been written.
        dest: PathBuf,
    },
    /// The deck folder or file could not be written.
    #[error("could not write {}: {message}", dest.display())]
    Write {
        /// The folder or file that could not be written.
        dest: PathBuf,
        /// The system's reason.
        message: String,
    },
}

/// Validates the deck at `src` and copies it into `user_deck_dir` (created if needed) as
/// `<deck id>.json`. Refuses a deck whose id is in `existing_ids` and never overwrites a file.
/// Returns the path of the new file.
pub fn import_deck_file(
    src: &Path,
    user_deck_dir: &Path,
    existing_ids: &[&str],
) -> Result<PathBuf, ImportError> {
    let bytes = read_limited(src).map_err(|p| ImportError::Invalid(DeckFileError::one(src, p)))?;
    let deck = parse_deck(src, &bytes).map_err(ImportError::Invalid)?;
    if existing_ids.contains(&deck.id.as_str()) {
        return Err(ImportError::DuplicateId {
            path: src.to_path_buf(),
            id: deck.id,
        });
    }
    let write_error = |dest: &Path, err: &std::io::Error| ImportError::Write {
        dest: dest.to_path_buf(),
        message: err.to_string(),
    };
    fs::create_dir_all(user_deck_dir).map_err(|e| write_error(user_deck_dir, &e))?;
    // The id is a slug, so it is a safe file name.
    let dest = user_deck_dir.join(format!("{}.json", deck.id));
    let mut file = match OpenOptions::new().write(true).create_new(true).open(&dest) {
        Ok(file) => file,
        Err(err) if err.kind() == ErrorKind::AlreadyExists => {
            return Err(ImportError::AlreadyExists { dest });
        }
        Err(err) => return Err(write_error(&dest, &err)),
    };
    if let Err(err) = file.write_all(&bytes).and_then(|()| file.sync_all()) {
        drop(file);
        // Leave no half-written deck behind; if even that fails, the load reports it.
        let _ = fs::remove_file(&dest);
        return Err(write_error(&dest, &err));
    }
    Ok(dest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::problem::Problem;

    const DECK: &str = r#"{"format":"flashdrill-deck/1","id":"my-deck","title":"T",
"source":{"title":"S","author":"A"},
"cards":[{"id":"c","category":"term","prompt":"P?","answer":"A","source":"A s"}]}"#;

    #[test]
    fn copies_a_valid_deck_into_a_new_folder_under_its_id() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("download.json");
        fs::write(&src, DECK).unwrap();
        let decks = dir.path().join("data").join("decks");
        let dest = import_deck_file(&src, &decks, &["pm-dates"]).unwrap();
        assert_eq!(dest, decks.join("my-deck.json"));
        assert_eq!(fs::read_to_string(&dest).unwrap(), DECK);
    }

    #[test]
    fn refuses_a_loaded_id_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("download.json");
        fs::write(&src, DECK).unwrap();
        let decks = dir.path().join("decks");
        assert_eq!(
            import_deck_file(&src, &decks, &["my-deck"]).unwrap_err(),
            ImportError::DuplicateId {
                path: src.clone(),
                id: "my-deck".into()
            }
        );
        assert!(!decks.exists());
        fs::create_dir(&decks).unwrap();
        fs::write(decks.join("my-deck.json"), "mine").unwrap();
        let err = import_deck_file(&src, &decks, &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{} already exists; it was left as it is",
                decks.join("my-deck.json").display()
            )
        );
        assert_eq!(
            fs::read_to_string(decks.join("my-deck.json")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn refuses_an_invalid_deck_with_its_problems() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("bad.json");
        fs::write(&src, DECK.replace("\"P?\"", "\" \"")).unwrap();
        let decks = dir.path().join("decks");
        let ImportError::Invalid(err) = import_deck_file(&src, &decks, &[]).unwrap_err() else {
            panic!("expected an invalid deck");
        };
        assert_eq!(err.path, src);
        assert_eq!(err.problems.len(), 1);
        assert!(matches!(err.problems[0], Problem::Card { .. }));
        assert!(!decks.exists());
    }
}
