//! Deck operations: delete (keeping the learner's progress or removing it), rename and
//! duplicate a deck. Each is undoable: the undo entry holds the files as they were (and the
//! removed progress), and puts them back.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::undo::{Op, Revert};
use super::{Changes, Collection, CollectionError, OpOutput};
use crate::deck::{self, LoadedDeck, Origin};
use crate::session::CardKey;
use crate::store::BeforeReset;

/// A file as it was before a deck operation: its bytes, or `None` when it was not there.
pub(super) type FileBefore = (PathBuf, Option<Vec<u8>>);

/// Where a deck's article is kept: `<deck-id>.article.txt` beside the deck file (the editor
/// writes it there).
#[must_use]
pub fn article_path(deck_path: &Path, deck_id: &str) -> PathBuf {
    deck_path.with_file_name(format!("{deck_id}.article.txt"))
}

fn file_error(path: &Path, err: &impl std::fmt::Display) -> CollectionError {
    CollectionError::File {
        path: path.to_path_buf(),
        message: err.to_string(),
    }
}

/// Reads a file that may not be there.
fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, CollectionError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(file_error(path, &err)),
    }
}

/// Puts a file back as it was: written again, or removed when it was not there.
fn put_back(path: &Path, bytes: Option<&[u8]>) -> Result<(), CollectionError> {
    match bytes {
        Some(bytes) => deck::write_atomically(path, bytes).map_err(|e| file_error(path, &e)),
        None => match std::fs::remove_file(path) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(file_error(path, &err)),
            _ => Ok(()),
        },
    }
}

/// A deck written as the editor writes it: pretty JSON ending in a newline.
fn deck_json(deck: &deck::Deck) -> Result<Vec<u8>, CollectionError> {
    let mut text = serde_json::to_string_pretty(deck)
        .map_err(|e| CollectionError::Invalid(format!("the deck could not be written: {e}")))?;
    text.push('\n');
    Ok(text.into_bytes())
}

/// What deck operations change: the decks, and for a delete the cards' progress.
const DECK_CHANGES: Changes = Changes {
    decks: true,
    cards: true,
    ..Changes::NONE
};

impl Collection {
    /// The loaded deck `id` and its file; a bundled deck is refused with `refusal`.
    fn user_deck(&self, id: &str, refusal: &str) -> Result<(LoadedDeck, PathBuf), CollectionError> {
        let loaded = self
            .library
            .deck(id)
            .cloned()
            .ok_or_else(|| CollectionError::Invalid(format!("there is no deck \"{id}\"")))?;
        match &loaded.origin {
            Origin::Bundled => Err(CollectionError::Invalid(refusal.to_owned())),
            Origin::User(path) => {
                let path = path.clone();
                Ok((loaded, path))
            }
        }
    }

    /// Removes a deck file from the loaded decks (and from the files that failed to load).
    fn forget_deck_file(&mut self, path: &Path) {
        let library = Arc::make_mut(&mut self.library);
        library
            .decks
            .retain(|d| !matches!(&d.origin, Origin::User(p) if p == path));
        library.failures.retain(|f| f.path != path);
    }

    /// Deletes the deck `id`'s file (and its article). `keep_progress`: the learner's progress
    /// stays in the profile (it counts again if the deck comes back); otherwise its cards are
    /// reset ([`crate::store::Store::reset_cards`]: new again; their past answers stay in the
    /// review log, and sync takes the reset to the other computers). Undoable: the undo puts
    /// the files and the progress back. A bundled deck cannot be deleted.
    pub fn delete_deck(
        &mut self,
        id: &str,
        keep_progress: bool,
    ) -> Result<OpOutput<()>, CollectionError> {
        let (loaded, path) = self.user_deck(id, "a bundled deck cannot be deleted")?;
        let article = article_path(&path, id);
        let files: Vec<FileBefore> = vec![
            (path.clone(), read_optional(&path)?),
            (article.clone(), read_optional(&article)?),
        ];
        let keys: Vec<CardKey> = if keep_progress {
            Vec::new()
        } else {
            self.store_mut()?
                .card_states(Some(id))?
                .into_iter()
                .map(|r| CardKey::new(r.deck_id, r.card_id))
                .collect()
        };
        put_back(&path, None)?;
        let mut progress: Vec<(CardKey, BeforeReset)> = Vec::new();
        if !keys.is_empty() {
            // Its cards are reset: new again, with a mark so that no replay (nor another
            // computer's sync) brings the progress back.
            let ids: Vec<(&str, &str)> = keys
                .iter()
                .map(|k| (k.deck_id.as_str(), k.card_id.as_str()))
                .collect();
            match self.store_mut()?.reset_cards(&ids, chrono::Utc::now()) {
                Ok(before) => {
                    progress = keys
                        .into_iter()
                        .zip(before.into_iter().map(|(b, _)| b))
                        .collect();
                }
                Err(err) => {
                    // Nothing may change when the operation fails: the file comes back.
                    put_back(&path, files[0].1.as_deref())?;
                    return Err(err.into());
                }
            }
        }
        put_back(&article, None)?;
        self.forget_deck_file(&path);
        self.push(
            Op::DeleteDeck(loaded.deck.title),
            Revert::Files {
                files,
                cards: progress,
            },
        );
        Ok(OpOutput::new((), DECK_CHANGES))
    }

    /// Gives the deck `id` a new title (its id, and so the learner's progress, stays).
    /// Undoable. A bundled deck cannot be renamed.
    pub fn rename_deck(&mut self, id: &str, title: &str) -> Result<OpOutput<()>, CollectionError> {
        let title = title.trim();
        if title.is_empty() {
            return Err(CollectionError::Invalid(
                "the name cannot be empty".to_owned(),
            ));
        }
        let (loaded, path) = self.user_deck(id, "a bundled deck cannot be renamed")?;
        let before = read_optional(&path)?;
        let mut renamed = loaded.deck;
        let old = std::mem::replace(&mut renamed.title, title.to_owned());
        put_back(&path, Some(&deck_json(&renamed)?))?;
        let _ = self.deck_file_changed(&path);
        self.push(
            Op::RenameDeck(old),
            Revert::Files {
                files: vec![(path, before)],
                cards: Vec::new(),
            },
        );
        Ok(OpOutput::new((), DECK_CHANGES))
    }

    /// Copies the deck `id` (a bundled one too) into `dir` under a new id and "(copy)" after
    /// its title; the copy starts with no progress. Undoable. Returns the copy's id.
    pub fn duplicate_deck(
        &mut self,
        id: &str,
        dir: &Path,
    ) -> Result<OpOutput<String>, CollectionError> {
        let loaded = self
            .library
            .deck(id)
            .cloned()
            .ok_or_else(|| CollectionError::Invalid(format!("there is no deck \"{id}\"")))?;
        let mut taken: HashSet<String> = self
            .library
            .deck_ids()
            .into_iter()
            .map(String::from)
            .collect();
        let mut copy = loaded.deck;
        let original = copy.title.clone();
        let new_id = loop {
            let candidate = deck::deck_id(&format!("{} copy", copy.id), &taken);
            if !dir.join(format!("{candidate}.json")).exists() {
                break candidate;
            }
            taken.insert(candidate);
        };
        copy.id.clone_from(&new_id);
        copy.title = format!("{} (copy)", copy.title);
        let path = dir.join(format!("{new_id}.json"));
        let mut files: Vec<FileBefore> = vec![(path.clone(), None)];
        put_back(&path, Some(&deck_json(&copy)?))?;
        if let Origin::User(from) = &loaded.origin
            && let Some(text) = read_optional(&article_path(from, id))?
        {
            let article = article_path(&path, &new_id);
            files.push((article.clone(), None));
            put_back(&article, Some(&text))?;
        }
        let _ = self.deck_file_changed(&path);
        self.push(
            Op::DuplicateDeck(original),
            Revert::Files {
                files,
                cards: Vec::new(),
            },
        );
        Ok(OpOutput::new(new_id, DECK_CHANGES))
    }

    /// Puts deck files and progress back as a deck operation found them, and loads the decks
    /// among them again.
    pub(super) fn restore_files(
        &mut self,
        files: &[FileBefore],
        cards: &[(CardKey, BeforeReset)],
    ) -> Result<(), CollectionError> {
        if !cards.is_empty() {
            let rows: Vec<(&str, &str, BeforeReset)> = cards
                .iter()
                .map(|(k, b)| (k.deck_id.as_str(), k.card_id.as_str(), *b))
                .collect();
            self.store_mut()?.restore_resets(&rows)?;
        }
        for (path, bytes) in files {
            put_back(path, bytes.as_deref())?;
            if path.extension().is_some_and(|e| e == "json") {
                if bytes.is_some() {
                    let _ = self.deck_file_changed(path);
                } else {
                    self.forget_deck_file(path);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::settings::Settings;
    use crate::store::{CardProgress, Store};

    const DECK: &str = r#"{
  "format": "flashdrill-deck/1",
  "id": "mine",
  "title": "Mine",
  "source": { "title": "An article", "author": "Someone" },
  "cards": [
    { "id": "c", "category": "date", "prompt": "When?", "answer": "2000", "date": "2000",
      "source": "began in 2000" }
  ]
}"#;

    /// A collection with the deck "mine" in `dir`, its one card studied.
    fn col(dir: &Path) -> Collection {
        let path = dir.join("mine.json");
        std::fs::write(&path, DECK).unwrap();
        std::fs::write(article_path(&path, "mine"), "It began in 2000.").unwrap();
        let mut col = Collection::new(Store::open_in_memory("me").unwrap(), Settings::default());
        col.set_library(deck::load_library(&[dir.to_path_buf()], true));
        let now = Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap();
        col.suspend(&[CardKey::new("mine", "c")], true, now)
            .unwrap();
        col
    }

    fn stored(col: &Collection) -> Option<CardProgress> {
        col.store().unwrap().card("mine", "c").unwrap()
    }

    #[test]
    fn a_deleted_deck_comes_back_with_its_progress_on_undo() {
        let dir = tempfile::tempdir().unwrap();
        let mut col = col(dir.path());
        let before = stored(&col);
        assert!(before.is_some());
        let out = col.delete_deck("mine", false).unwrap();
        assert!(out.changes.decks && out.changes.cards);
        assert!(!dir.path().join("mine.json").exists());
        assert!(!dir.path().join("mine.article.txt").exists());
        assert!(col.library().deck("mine").is_none());
        let forgotten = stored(&col).unwrap();
        assert_eq!(forgotten.card.reps, 0, "its progress is forgotten");
        assert!(
            col.store()
                .unwrap()
                .card_reset_at("mine", "c")
                .unwrap()
                .is_some(),
            "with a reset mark, so that no replay brings the progress back"
        );
        assert_eq!(
            col.undo_label().as_deref(),
            Some("Undo Delete deck \"Mine\"")
        );
        col.undo(None, Utc::now()).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("mine.json")).unwrap(),
            DECK
        );
        assert!(dir.path().join("mine.article.txt").exists());
        assert!(col.library().deck("mine").is_some());
        assert_eq!(stored(&col), before);
        assert_eq!(
            col.store().unwrap().card_reset_at("mine", "c").unwrap(),
            None
        );
    }

    #[test]
    fn a_deck_deleted_keeping_progress_leaves_it_in_the_profile() {
        let dir = tempfile::tempdir().unwrap();
        let mut col = col(dir.path());
        col.delete_deck("mine", true).unwrap();
        assert!(stored(&col).is_some());
        assert!(matches!(
            col.delete_deck("pm-dates", true),
            Err(CollectionError::Invalid(_))
        ));
    }

    #[test]
    fn rename_and_duplicate_are_undone() {
        let dir = tempfile::tempdir().unwrap();
        let mut col = col(dir.path());
        col.rename_deck("mine", "  Ours ").unwrap();
        assert_eq!(col.library().deck("mine").unwrap().deck.title, "Ours");
        assert!(col.rename_deck("mine", " ").is_err());
        assert!(col.rename_deck("pm-dates", "x").is_err(), "bundled: no");
        col.undo(None, Utc::now()).unwrap();
        assert_eq!(col.library().deck("mine").unwrap().deck.title, "Mine");

        let copy = col.duplicate_deck("mine", dir.path()).unwrap().output;
        let loaded = col.library().deck(&copy).unwrap();
        assert_eq!(loaded.deck.title, "Mine (copy)");
        let copy_path = dir.path().join(format!("{copy}.json"));
        assert!(copy_path.exists());
        assert!(
            article_path(&copy_path, &copy).exists(),
            "the article comes along"
        );
        let bundled = col.duplicate_deck("pm-dates", dir.path()).unwrap().output;
        assert!(col.library().deck(&bundled).is_some());
        col.undo(None, Utc::now()).unwrap();
        col.undo(None, Utc::now()).unwrap();
        assert!(!copy_path.exists());
        assert!(col.library().deck(&copy).is_none());
        assert!(col.library().deck(&bundled).is_none());
    }
}
