//! Editing a deck: the deck being edited with undo and redo, card ids made from prompts, atomic
//! saving (a temporary file renamed over the deck, never a half-written deck) and noticing when
//! the file was changed on disk by someone else.

use std::collections::HashSet;
use std::fs;
use std::hash::{BuildHasher, DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::model::{Card, Deck, FORMAT_V1, Source};
use super::problem::{CardIssue, Problem};
use super::validate::{is_slug, validate};

/// Why a deck could not be saved. Nothing on disk changed in any of these cases.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaveError {
    /// The file was changed by another program since it was opened or last saved.
    #[error(
        "{} was changed on disk since it was opened; save again to overwrite those changes, or \
         reopen the deck to keep them",
        file_name(path)
    )]
    ChangedOnDisk {
        /// The deck file.
        path: PathBuf,
    },
    /// The folder or file could not be written.
    #[error(
        "could not write {}: {message}; check the disk and the folder's permissions",
        file_name(path)
    )]
    Write {
        /// The file that could not be written.
        path: PathBuf,
        /// The system's reason.
        message: String,
    },
}

use crate::file_name;

/// One step of the undo history.
#[derive(Debug, Clone, PartialEq)]
enum Change {
    /// A card was edited; `field` lets typing into one field merge into one step.
    Card {
        index: usize,
        field: &'static str,
        before: Box<Card>,
        after: Box<Card>,
    },
    Insert {
        index: usize,
        card: Box<Card>,
    },
    Remove {
        index: usize,
        card: Box<Card>,
    },
    Move {
        from: usize,
        to: usize,
    },
    /// The deck's title, description or source.
    Meta {
        field: &'static str,
        before: Box<DeckMeta>,
        after: Box<DeckMeta>,
    },
}

/// The deck-level fields a form edits.
#[derive(Debug, Clone, PartialEq)]
pub struct DeckMeta {
    pub title: String,
    pub description: Option<String>,
    pub source: Source,
}

/// A deck open for editing, with its undo history and where it is saved.
#[derive(Debug, Clone)]
pub struct DeckEditor {
    deck: Deck,
    path: PathBuf,
    undo: Vec<Change>,
    redo: Vec<Change>,
    /// When set, the next edit starts a new undo step even if it is to the same field.
    sealed: bool,
    /// Counts every change (edits, undo, redo), for caches.
    revision: u64,
    /// The revision on disk.
    saved_revision: Option<u64>,
    /// A hash of the bytes last read from or written to `path` (`None`: no file yet).
    disk_hash: Option<u64>,
    /// The card ids in the file on disk: ids of cards never saved may still follow the prompt.
    saved_ids: HashSet<String>,
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

impl DeckEditor {
    /// A deck that will be saved to `path` (not written yet: it starts unsaved).
    #[must_use]
    pub fn new(deck: Deck, path: PathBuf) -> Self {
        Self {
            deck,
            path,
            undo: Vec::new(),
            redo: Vec::new(),
            sealed: true,
            revision: 0,
            saved_revision: None,
            disk_hash: None,
            saved_ids: HashSet::new(),
        }
    }

    /// A deck as read from its file: `bytes` are the file's bytes, to notice later changes.
    #[must_use]
    pub fn opened(deck: Deck, path: PathBuf, bytes: &[u8]) -> Self {
        let saved_ids = deck.cards.iter().map(|c| c.id.clone()).collect();
        Self {
            saved_revision: Some(0),
            disk_hash: Some(hash_bytes(bytes)),
            saved_ids,
            ..Self::new(deck, path)
        }
    }

    /// An empty deck (no cards yet) with a title and source.
    #[must_use]
    pub fn blank(id: &str, meta: DeckMeta, path: PathBuf) -> Self {
        let deck = Deck {
            format: FORMAT_V1.to_owned(),
            id: id.to_owned(),
            title: meta.title,
            description: meta.description,
            source: meta.source,
            cards: Vec::new(),
        };
        Self::new(deck, path)
    }

    #[must_use]
    pub fn deck(&self) -> &Deck {
        &self.deck
    }

    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Counts changes: a cache of anything computed from the deck is fresh while this holds.
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Whether there are changes not saved to disk.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.saved_revision != Some(self.revision)
    }

    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Every problem with the deck, as `flashdrill check` reports them.
    #[must_use]
    pub fn problems(&self) -> Vec<Problem> {
        validate(&self.deck)
    }

    /// The next edit starts a new undo step (call when the user moves to another field or card).
    pub fn seal(&mut self) {
        self.sealed = true;
    }

    fn record(&mut self, change: Change) {
        self.redo.clear();
        self.revision += 1;
        // A run of edits to one field of one card (typing) is one undo step.
        if !self.sealed
            && let (
                Some(Change::Card {
                    index: i,
                    field: f,
                    after,
                    ..
                }),
                Change::Card {
                    index,
                    field,
                    after: new_after,
                    ..
                },
            ) = (self.undo.last_mut(), &change)
            && *i == *index
            && *f == *field
        {
            after.clone_from(new_after);
            return;
        }
        if let (
            Some(Change::Meta {
                field: f, after, ..
            }),
            Change::Meta {
                field,
                after: new_after,
                ..
            },
        ) = (self.undo.last_mut(), &change)
            && !self.sealed
            && *f == *field
        {
            after.clone_from(new_after);
            return;
        }
        self.sealed = false;
        self.undo.push(change);
    }

    /// Replaces card `index` with `card` (an edit of `field`, for merging typing into one undo
    /// step). Does nothing if the card is unchanged or `index` is out of range.
    pub fn set_card(&mut self, index: usize, field: &'static str, card: Card) {
        let Some(slot) = self.deck.cards.get_mut(index) else {
            return;
        };
        if *slot == card {
            return;
        }
        let before = Box::new(std::mem::replace(slot, card.clone()));
        self.record(Change::Card {
            index,
            field,
            before,
            after: Box::new(card),
        });
    }

    /// The deck's title, description and source.
    #[must_use]
    pub fn meta(&self) -> DeckMeta {
        DeckMeta {
            title: self.deck.title.clone(),
            description: self.deck.description.clone(),
            source: self.deck.source.clone(),
        }
    }

    /// Replaces the deck's title, description and source (an edit of `field`).
    pub fn set_meta(&mut self, field: &'static str, meta: DeckMeta) {
        let before = self.meta();
        if before == meta {
            return;
        }
        self.apply_meta(&meta);
        self.record(Change::Meta {
            field,
            before: Box::new(before),
            after: Box::new(meta),
        });
    }

    fn apply_meta(&mut self, meta: &DeckMeta) {
        self.deck.title.clone_from(&meta.title);
        self.deck.description.clone_from(&meta.description);
        self.deck.source.clone_from(&meta.source);
    }

    /// Inserts `card` at `index` (clamped to the end); its id is made unique first. Returns
    /// where it went.
    pub fn insert_card(&mut self, index: usize, mut card: Card) -> usize {
        let index = index.min(self.deck.cards.len());
        if card.id.is_empty() || self.deck.cards.iter().any(|c| c.id == card.id) {
            card.id = card_id(&id_seed(&card), &self.ids());
        }
        self.deck.cards.insert(index, card.clone());
        self.sealed = true;
        self.record(Change::Insert {
            index,
            card: Box::new(card),
        });
        self.sealed = true;
        index
    }

    /// A new card drawn from `source` (a sentence of the article), after `after` or at the end.
    pub fn add_card(&mut self, after: Option<usize>, category: &str, source: &str) -> usize {
        let card = Card {
            id: String::new(),
            category: category.to_owned(),
            prompt: String::new(),
            answer: String::new(),
            accept: Vec::new(),
            distractors: Vec::new(),
            date: None,
            event: None,
            role: None,
            group: None,
            cloze: None,
            explanation: None,
            source: source.to_owned(),
            tags: Vec::new(),
            image: None,
        };
        let at = after.map_or(self.deck.cards.len(), |i| i + 1);
        self.insert_card(at, card)
    }

    /// A copy of card `index` just after it, with a new id. Returns its index.
    pub fn duplicate_card(&mut self, index: usize) -> Option<usize> {
        let mut card = self.deck.cards.get(index)?.clone();
        card.id = card_id(&format!("{} copy", card.id), &self.ids());
        Some(self.insert_card(index + 1, card))
    }

    /// Deletes card `index` (undo brings it back).
    pub fn remove_card(&mut self, index: usize) -> Option<Card> {
        if index >= self.deck.cards.len() {
            return None;
        }
        let card = self.deck.cards.remove(index);
        self.sealed = true;
        self.record(Change::Remove {
            index,
            card: Box::new(card.clone()),
        });
        self.sealed = true;
        Some(card)
    }

    /// Moves card `from` to position `to` (both counted before the move).
    pub fn move_card(&mut self, from: usize, to: usize) {
        let len = self.deck.cards.len();
        if from >= len || to >= len || from == to {
            return;
        }
        let card = self.deck.cards.remove(from);
        self.deck.cards.insert(to, card);
        self.sealed = true;
        self.record(Change::Move { from, to });
        self.sealed = true;
    }

    /// Gives a card that was never saved an id made from its (new) prompt. A saved card keeps
    /// its id whatever its prompt says, so the learner's progress stays with it.
    pub fn refresh_unsaved_id(&mut self, index: usize) {
        let Some(card) = self.deck.cards.get(index) else {
            return;
        };
        if self.saved_ids.contains(&card.id) || card.prompt.trim().is_empty() {
            return;
        }
        let others: HashSet<String> = self
            .deck
            .cards
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != index)
            .map(|(_, c)| c.id.clone())
            .collect();
        let id = card_id(&card.prompt, &others);
        if id != card.id {
            let mut card = card.clone();
            card.id = id;
            self.set_card(index, "id", card);
        }
    }

    fn ids(&self) -> HashSet<String> {
        self.deck.cards.iter().map(|c| c.id.clone()).collect()
    }

    /// Undoes the last step; returns the index of the card it concerned, if any.
    pub fn undo(&mut self) -> Option<usize> {
        let change = self.undo.pop()?;
        let at = self.revert(&change);
        self.redo.push(change);
        self.revision += 1;
        self.sealed = true;
        at
    }

    /// Redoes the last undone step; returns the index of the card it concerned, if any.
    pub fn redo(&mut self) -> Option<usize> {
        let change = self.redo.pop()?;
        let at = self.apply(&change);
        self.undo.push(change);
        self.revision += 1;
        self.sealed = true;
        at
    }

    fn apply(&mut self, change: &Change) -> Option<usize> {
        match change {
            Change::Card { index, after, .. } => {
                self.deck.cards[*index] = (**after).clone();
                Some(*index)
            }
            Change::Insert { index, card } => {
                self.deck.cards.insert(*index, (**card).clone());
                Some(*index)
            }
            Change::Remove { index, .. } => {
                self.deck.cards.remove(*index);
                index
                    .checked_sub(1)
                    .or(Some(0))
                    .filter(|_| !self.deck.cards.is_empty())
            }
            Change::Move { from, to } => {
                let card = self.deck.cards.remove(*from);
                self.deck.cards.insert(*to, card);
                Some(*to)
            }
            Change::Meta { after, .. } => {
                self.apply_meta(after);
                None
            }
        }
    }

    fn revert(&mut self, change: &Change) -> Option<usize> {
        match change {
            Change::Card { index, before, .. } => {
                self.deck.cards[*index] = (**before).clone();
                Some(*index)
            }
            Change::Insert { index, .. } => {
                self.deck.cards.remove(*index);
                index
                    .checked_sub(1)
                    .or(Some(0))
                    .filter(|_| !self.deck.cards.is_empty())
            }
            Change::Remove { index, card } => {
                self.deck.cards.insert(*index, (**card).clone());
                Some(*index)
            }
            Change::Move { from, to } => {
                let card = self.deck.cards.remove(*to);
                self.deck.cards.insert(*from, card);
                Some(*from)
            }
            Change::Meta { before, .. } => {
                self.apply_meta(before);
                None
            }
        }
    }

    /// Whether the file on disk differs from what was last read or written (a missing file
    /// counts as changed once the deck was saved).
    #[must_use]
    pub fn changed_on_disk(&self) -> bool {
        match fs::read(&self.path) {
            Ok(bytes) => Some(hash_bytes(&bytes)) != self.disk_hash,
            Err(_) => self.disk_hash.is_some(),
        }
    }

    /// The deck as it is written: pretty JSON ending in a newline.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.deck).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Saves the deck atomically (a temporary file in the same folder, then renamed over the
    /// deck). Refuses when the file changed on disk since it was read, unless `overwrite`.
    /// A deck with problems is saved all the same (a draft): the app does not study it.
    pub fn save(&mut self, overwrite: bool) -> Result<(), SaveError> {
        if !overwrite && self.changed_on_disk() {
            return Err(SaveError::ChangedOnDisk {
                path: self.path.clone(),
            });
        }
        let text = self.to_json();
        write_atomically(&self.path, text.as_bytes())?;
        self.disk_hash = Some(hash_bytes(text.as_bytes()));
        self.saved_revision = Some(self.revision);
        self.saved_ids = self.ids();
        Ok(())
    }
}

/// Writes `bytes` to `path` through a temporary file beside it that is then renamed over it: a
/// reader sees the old file or the new one, never half of one. Creates the folder if needed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let fail = |err: &std::io::Error| SaveError::Write {
        path: path.to_path_buf(),
        message: err.to_string(),
    };
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(dir).map_err(|e| fail(&e))?;
    let tmp = dir.join(format!(".{}.{}.tmp", file_name(path), std::process::id()));
    let written = fs::File::create(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(err) = written.and_then(|()| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(fail(&err));
    }
    Ok(())
}

/// The text a new card's id is made from: its prompt, else its answer, else its source.
fn id_seed(card: &Card) -> String {
    [&card.prompt, &card.answer, &card.source]
        .into_iter()
        .find(|t| !t.trim().is_empty())
        .cloned()
        .unwrap_or_else(|| "card".to_owned())
}

/// Words left out of ids: they say little about the question.
const ID_STOPWORDS: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "and", "or", "is", "was", "were",
    "are", "did", "does", "do", "what", "which", "who", "whom", "when", "how", "that", "this",
    "with", "from", "it", "its", "as", "be",
];

/// A slug made from `text` (up to five significant words: "What year did Putin first visit
/// North Korea?" → `year-putin-first-visit-north`), unique among `taken` (`-2`, `-3`, …).
#[must_use]
pub fn card_id<S: BuildHasher>(text: &str, taken: &HashSet<String, S>) -> String {
    let folded: String = text
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let significant: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !ID_STOPWORDS.contains(w) && *w != "s")
        .take(5)
        .collect();
    let chosen = if significant.is_empty() {
        words.into_iter().take(5).collect()
    } else {
        significant
    };
    let mut base = chosen.join("-");
    if base.is_empty() {
        "card".clone_into(&mut base);
    }
    debug_assert!(is_slug(&base));
    if !taken.contains(&base) {
        return base;
    }
    // One of the first `taken.len() + 1` suffixes is free.
    (2..=taken.len() + 2)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken.contains(id))
        .unwrap_or(base)
}

/// Which field of a card an issue is about, by the key the editor's field table uses
/// (`"id"`, `"prompt"`, `"distractors"`, `"source"`, …).
#[must_use]
pub fn issue_field(issue: &CardIssue) -> &'static str {
    match issue {
        CardIssue::EmptyId | CardIssue::BadId(_) | CardIssue::DuplicateId { .. } => "id",
        CardIssue::EmptyField("source excerpt") => "source",
        CardIssue::EmptyField(name) => name,
        CardIssue::EmptyEntry { list, .. } => list,
        CardIssue::BadDate(_) | CardIssue::MissingDate => "date",
        CardIssue::BadGroup(_) => "group",
        CardIssue::DistractorIsAnswer(_)
        | CardIssue::DistractorIsAccepted { .. }
        | CardIssue::DuplicateDistractor(_) => "distractors",
        CardIssue::ClozeNoBlank | CardIssue::ClozeManyBlanks(_) | CardIssue::ClozeEmptyBlank => {
            "cloze"
        }
        CardIssue::BadImage(_) => "image",
    }
}

/// Which deck field a deck-level problem is about (`"title"`, `"source author"`, …), if any.
#[must_use]
pub fn deck_problem_field(problem: &Problem) -> Option<&'static str> {
    match problem {
        Problem::EmptyDeckField(name) => Some(name),
        Problem::BadDeckId(_) | Problem::DuplicateDeckId { .. } => Some("id"),
        _ => None,
    }
}

/// A deck id made from `title`, unique among `taken`.
#[must_use]
pub fn deck_id<S: BuildHasher>(title: &str, taken: &HashSet<String, S>) -> String {
    let base: String = card_id(title, &HashSet::<String>::new());
    if !taken.contains(&base) {
        return base;
    }
    // One of the first `taken.len() + 1` suffixes is free.
    (2..=taken.len() + 2)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken.contains(id))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> DeckMeta {
        DeckMeta {
            title: "Notes".into(),
            description: None,
            source: Source {
                title: "Article".into(),
                author: "Me".into(),
                url: None,
            },
        }
    }

    fn editor(dir: &Path) -> DeckEditor {
        DeckEditor::blank("notes", meta(), dir.join("notes.json"))
    }

    #[test]
    fn ids_come_from_the_prompt_and_are_unique() {
        let mut taken = HashSet::new();
        let id = card_id("In what year did Putin first visit North Korea?", &taken);
        assert_eq!(id, "year-putin-first-visit-north");
        taken.insert(id);
        assert_eq!(
            card_id("In what year did Putin first visit North Korea?", &taken),
            "year-putin-first-visit-north-2"
        );
        assert_eq!(card_id("Who is Péña?", &HashSet::new()), "pena");
        assert_eq!(card_id("?!", &HashSet::new()), "card");
        assert!(is_slug(&card_id("Ünïcode — ☃ text", &HashSet::new())));
    }

    #[test]
    fn rewording_a_saved_card_keeps_its_id() {
        let dir = tempfile::tempdir().unwrap();
        let mut ed = editor(dir.path());
        let i = ed.add_card(None, "term", "A sentence.");
        let mut card = ed.deck().cards[i].clone();
        card.prompt = "What was signed?".into();
        ed.set_card(i, "prompt", card);
        ed.refresh_unsaved_id(i);
        assert_eq!(ed.deck().cards[i].id, "signed");
        ed.save(false).unwrap();
        let mut card = ed.deck().cards[i].clone();
        card.prompt = "Which agreement was signed in Pyongyang?".into();
        ed.set_card(i, "prompt", card);
        ed.refresh_unsaved_id(i);
        assert_eq!(ed.deck().cards[i].id, "signed");
    }

    #[test]
    fn typing_in_one_field_is_one_undo_step_and_redo_brings_it_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut ed = editor(dir.path());
        let i = ed.add_card(None, "term", "S");
        for text in ["W", "Wh", "Who"] {
            let mut card = ed.deck().cards[i].clone();
            card.prompt = text.into();
            ed.set_card(i, "prompt", card);
        }
        let mut card = ed.deck().cards[i].clone();
        card.answer = "Kim".into();
        ed.set_card(i, "answer", card);
        assert_eq!(ed.undo(), Some(i));
        assert_eq!(ed.deck().cards[i].answer, "");
        assert_eq!(ed.deck().cards[i].prompt, "Who");
        ed.undo();
        assert_eq!(ed.deck().cards[i].prompt, "");
        ed.undo();
        assert!(ed.deck().cards.is_empty());
        assert!(!ed.can_undo());
        ed.redo();
        ed.redo();
        assert_eq!(ed.deck().cards[0].prompt, "Who");
        assert!(ed.can_redo());
    }

    #[test]
    fn delete_duplicate_move_and_meta_undo() {
        let dir = tempfile::tempdir().unwrap();
        let mut ed = editor(dir.path());
        ed.add_card(None, "term", "one");
        ed.add_card(None, "term", "two");
        let copy = ed.duplicate_card(0).unwrap();
        assert_eq!(copy, 1);
        assert_ne!(ed.deck().cards[1].id, ed.deck().cards[0].id);
        ed.move_card(0, 2);
        assert_eq!(ed.deck().cards[2].source, "one");
        ed.undo();
        assert_eq!(ed.deck().cards[0].source, "one");
        ed.remove_card(0);
        assert_eq!(ed.deck().cards.len(), 2);
        ed.undo();
        assert_eq!(ed.deck().cards[0].source, "one");
        let mut m = ed.meta();
        m.title = "New".into();
        ed.set_meta("title", m);
        assert_eq!(ed.deck().title, "New");
        ed.undo();
        assert_eq!(ed.deck().title, "Notes");
    }

    #[test]
    fn saves_atomically_and_notices_changes_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let mut ed = editor(dir.path());
        assert!(ed.is_dirty());
        ed.add_card(None, "term", "S");
        ed.save(false).unwrap();
        assert!(!ed.is_dirty());
        let text = fs::read_to_string(ed.path()).unwrap();
        assert_eq!(text, ed.to_json());
        // No temporary file is left behind.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(!ed.changed_on_disk());
        fs::write(ed.path(), "{}").unwrap();
        assert!(ed.changed_on_disk());
        let err = ed.save(false).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("notes.json was changed on disk")
        );
        assert_eq!(fs::read_to_string(ed.path()).unwrap(), "{}");
        ed.save(true).unwrap();
        assert_eq!(fs::read_to_string(ed.path()).unwrap(), ed.to_json());
    }

    #[test]
    fn a_deck_with_problems_saves_as_a_draft() {
        let dir = tempfile::tempdir().unwrap();
        let mut ed = editor(dir.path());
        ed.save(false).unwrap();
        assert_eq!(ed.problems(), [Problem::NoCards]);
        let bytes = fs::read(ed.path()).unwrap();
        let reopened: Deck = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(&reopened, ed.deck());
    }

    #[test]
    fn write_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("file"), "x").unwrap();
        let err = write_atomically(&dir.path().join("file").join("d.json"), b"x").unwrap_err();
        assert!(
            err.to_string().starts_with("could not write d.json"),
            "{err}"
        );
    }

    #[test]
    fn issues_point_at_their_field() {
        assert_eq!(issue_field(&CardIssue::MissingDate), "date");
        assert_eq!(
            issue_field(&CardIssue::EmptyField("source excerpt")),
            "source"
        );
        assert_eq!(issue_field(&CardIssue::EmptyField("prompt")), "prompt");
        assert_eq!(issue_field(&CardIssue::ClozeNoBlank), "cloze");
        assert_eq!(
            deck_problem_field(&Problem::EmptyDeckField("title")),
            Some("title")
        );
        let taken: HashSet<String> = ["my-notes".to_owned()].into();
        assert_eq!(deck_id("My notes", &taken), "my-notes-2");
    }
}
