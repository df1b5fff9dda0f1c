//! Loading many decks at once: the bundled ones, the user's folder, or any files and folders.
//! One bad deck never stops the others from loading.

use std::path::{Path, PathBuf};

use super::load::{load_file, parse_deck};
use super::model::Deck;
use super::problem::{DeckFileError, Problem};

/// The folder, inside the data directory, that holds the user's own decks.
pub const USER_DECK_DIR: &str = "decks";

/// The folder the bundled decks come from in the source tree; it prefixes their names in
/// messages (`decks/dates.json`).
pub const BUNDLED_DIR: &str = "decks";

/// The file in a deck folder that is the JSON schema, not a deck.
pub const SCHEMA_FILE_NAME: &str = "schema.json";

static BUNDLED: [(&str, &str); 3] = [
    ("dates.json", include_str!("../../../../decks/dates.json")),
    ("actors.json", include_str!("../../../../decks/actors.json")),
    ("terms.json", include_str!("../../../../decks/terms.json")),
];

/// A bundled card that moved to another bundled deck, or took a new id, when the decks were
/// rewritten. Progress is keyed by deck id + card id, so each profile's progress and history for
/// the card follow it to its new place when the profile is next opened (see `Store::open`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MovedCard {
    /// The deck id the card was in.
    pub from_deck: &'static str,
    /// The card's id there.
    pub from_card: &'static str,
    /// The deck id it is in now.
    pub to_deck: &'static str,
    /// The card's id now.
    pub to_card: &'static str,
}

/// The decks built into the app: `(file name, JSON text)`, in the order they are shown.
#[must_use]
pub fn bundled() -> &'static [(&'static str, &'static str)] {
    &BUNDLED
}

/// Every bundled card that has changed deck or id and is still bundled, in the order the decks
/// were rewritten (a card moved twice is carried one step at a time). A card that was dropped
/// has no entry: its progress stays under its old key, where no deck asks for it.
///
/// The "numbers and places" deck (`pm-numbers-places`) is gone: the figures of the dated events
/// went to "dates and events", the Tumen River to "agreement terms and stakes", beside their
/// siblings. Then the decks were rewritten for teaching: questions on why, what changed and so
/// what took the places of trivia, a few kept cards were renamed for what they now ask, and the
/// post-Soviet cooling moved to the timeline it explains.
pub const MOVED_CARDS: &[MovedCard] = &[
    from_numbers_places("over-1000-containers", "pm-dates"),
    from_numbers_places("nearly-7000-containers", "pm-dates"),
    from_numbers_places("tumen-river", "pm-terms"),
    MovedCard {
        from_deck: "pm-terms",
        from_card: "cooling",
        to_deck: "pm-dates",
        to_card: "cooling",
    },
    renamed(
        "pm-dates",
        "putin-latest-visit-date",
        "putin-pyongyang-visit-date",
    ),
    renamed("pm-terms", "step-forward", "symbolism-and-substance"),
    renamed("pm-terms", "un-sanctions-ban", "why-deny-the-trade"),
    renamed("pm-terms", "official-denial", "why-outside-sources"),
    renamed("pm-terms", "china-dilemma", "why-beijing-is-uneasy"),
    renamed(
        "pm-terms",
        "why-significant-now",
        "why-arms-matter-for-kyiv",
    ),
];

const fn from_numbers_places(card: &'static str, to_deck: &'static str) -> MovedCard {
    MovedCard {
        from_deck: "pm-numbers-places",
        from_card: card,
        to_deck,
        to_card: card,
    }
}

const fn renamed(deck: &'static str, from_card: &'static str, to_card: &'static str) -> MovedCard {
    MovedCard {
        from_deck: deck,
        from_card,
        to_deck: deck,
        to_card,
    }
}

/// The user's deck folder inside a data directory: `<data_dir>/decks`.
#[must_use]
pub fn user_deck_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(USER_DECK_DIR)
}

/// Where a loaded deck came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Built into the app.
    Bundled,
    /// A file on disk.
    User(PathBuf),
}

/// A valid deck and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedDeck {
    pub deck: Deck,
    pub origin: Origin,
}

impl LoadedDeck {
    /// The deck's place as shown in messages: the file's path, or `the bundled deck "<id>"`.
    #[must_use]
    pub fn display_path(&self) -> String {
        match &self.origin {
            Origin::Bundled => format!("the bundled deck \"{}\"", self.deck.id),
            Origin::User(path) => path.display().to_string(),
        }
    }
}

/// The decks that loaded and the files that did not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Library {
    /// Valid decks with distinct ids, in load order.
    pub decks: Vec<LoadedDeck>,
    /// One entry per file that could not be used, with every problem in it.
    pub failures: Vec<DeckFileError>,
}

impl Library {
    /// Adds the outcome of loading one file. A valid deck whose id is already taken becomes a
    /// failure of this file; the deck loaded first stays.
    pub fn add(&mut self, path: &Path, origin: Origin, result: Result<Deck, DeckFileError>) {
        match result {
            Err(err) => self.failures.push(err),
            Ok(deck) => match self.deck(&deck.id) {
                Some(earlier) => {
                    let problem = Problem::DuplicateDeckId {
                        id: deck.id.clone(),
                        other: earlier.display_path(),
                    };
                    self.failures.push(DeckFileError::one(path, problem));
                }
                None => self.decks.push(LoadedDeck { deck, origin }),
            },
        }
    }

    /// The loaded deck with this id.
    #[must_use]
    pub fn deck(&self, id: &str) -> Option<&LoadedDeck> {
        self.decks.iter().find(|d| d.deck.id == id)
    }

    /// The ids of the loaded decks, in load order (for [`super::import_deck_file`]).
    #[must_use]
    pub fn deck_ids(&self) -> Vec<&str> {
        self.decks.iter().map(|d| d.deck.id.as_str()).collect()
    }

    /// The number of cards in the loaded decks.
    #[must_use]
    pub fn card_count(&self) -> usize {
        self.decks.iter().map(|d| d.deck.cards.len()).sum()
    }

    /// The number of problems in all the failures.
    #[must_use]
    pub fn problem_count(&self) -> usize {
        self.failures.iter().map(|f| f.problems.len()).sum()
    }
}

/// Loads the bundled decks (if asked) and then every deck in each user folder. A folder that
/// does not exist is skipped silently: the user has no decks of their own yet.
#[must_use]
pub fn load_library(user_dirs: &[PathBuf], include_bundled: bool) -> Library {
    load_library_with_progress(user_dirs, include_bundled, &mut |_, _| {})
}

/// [`load_library`], calling `progress(done, total)` after each deck (for a progress bar when
/// loading on a background thread).
pub fn load_library_with_progress(
    user_dirs: &[PathBuf],
    include_bundled: bool,
    progress: &mut dyn FnMut(usize, usize),
) -> Library {
    let mut library = Library::default();
    let mut jobs = Vec::new();
    for dir in user_dirs {
        if dir.exists() {
            list_deck_files(dir, &mut jobs, &mut library);
        }
    }
    let bundled_count = if include_bundled { BUNDLED.len() } else { 0 };
    let total = bundled_count + jobs.len();
    if include_bundled {
        for (i, (name, json)) in BUNDLED.iter().enumerate() {
            let path = Path::new(BUNDLED_DIR).join(name);
            let result = parse_deck(&path, json.as_bytes());
            library.add(&path, Origin::Bundled, result);
            progress(i + 1, total);
        }
    }
    load_jobs(&jobs, &mut library, bundled_count, total, progress);
    library
}

/// Loads files and folders (every `*.json` directly inside a folder except `schema.json`, in
/// name order). A path that does not exist is a failure.
#[must_use]
pub fn load_paths(paths: &[PathBuf]) -> Library {
    load_paths_with_progress(paths, &mut |_, _| {})
}

/// [`load_paths`], calling `progress(done, total)` after each file.
pub fn load_paths_with_progress(
    paths: &[PathBuf],
    progress: &mut dyn FnMut(usize, usize),
) -> Library {
    let mut library = Library::default();
    let mut jobs = Vec::new();
    for path in paths {
        if path.is_dir() {
            list_deck_files(path, &mut jobs, &mut library);
        } else {
            jobs.push(path.clone());
        }
    }
    let total = jobs.len();
    load_jobs(&jobs, &mut library, 0, total, progress);
    library
}

fn load_jobs(
    jobs: &[PathBuf],
    library: &mut Library,
    done_before: usize,
    total: usize,
    progress: &mut dyn FnMut(usize, usize),
) {
    for (i, path) in jobs.iter().enumerate() {
        let result = load_file(path);
        library.add(path, Origin::User(path.clone()), result);
        progress(done_before + i + 1, total);
    }
}

/// Appends the deck files in `dir` to `jobs`, or records why the folder could not be read.
fn list_deck_files(dir: &Path, jobs: &mut Vec<PathBuf>, library: &mut Library) {
    match deck_files_in(dir) {
        Ok(files) => jobs.extend(files),
        Err(err) => library
            .failures
            .push(DeckFileError::one(dir, Problem::Read(err.to_string()))),
    }
}

/// A deck's media folder: beside the deck file, named like it with `.media` in place of
/// `.json` (`decks/capitals.json` → `decks/capitals.media`). A card's `image` names a file in it.
#[must_use]
pub fn media_dir(deck_path: &Path) -> PathBuf {
    deck_path.with_extension("media")
}

/// The deck files directly inside `dir`: every `*.json` file except `schema.json`, sorted by
/// name.
pub fn deck_files_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let is_schema = path
            .file_name()
            .is_some_and(|n| n.eq_ignore_ascii_case(SCHEMA_FILE_NAME));
        if is_json && !is_schema && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// What a deck folder holds, cheaply: each deck file with its size and when it last changed
/// (from the folder's listing, no file read). Two stamps differ when a deck file was added,
/// removed or saved; a folder that does not exist gives an empty stamp.
#[must_use]
pub fn folder_stamp(dir: &Path) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    deck_files_in(dir)
        .unwrap_or_default()
        .into_iter()
        .map(|path| {
            let meta = std::fs::metadata(&path).ok();
            let len = meta.as_ref().map_or(0, std::fs::Metadata::len);
            let modified = meta.and_then(|m| m.modified().ok());
            (path, len, modified)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn the_folder_stamp_changes_with_a_new_or_saved_deck() {
        let dir = tempfile::tempdir().unwrap();
        assert!(folder_stamp(&dir.path().join("none")).is_empty());
        let empty = folder_stamp(dir.path());
        fs::write(dir.path().join("notes.txt"), "not a deck").unwrap();
        assert_eq!(folder_stamp(dir.path()), empty);
        fs::write(dir.path().join("a.json"), deck_json("a")).unwrap();
        let one = folder_stamp(dir.path());
        assert_eq!(one.len(), 1);
        fs::write(dir.path().join("a.json"), deck_json("a-longer-id")).unwrap();
        assert_ne!(
            folder_stamp(dir.path()),
            one,
            "a saved file differs in size"
        );
    }

    fn deck_json(id: &str) -> String {
        format!(
            r#"{{"format":"flashdrill-deck/1","id":"{id}","title":"T",
"source":{{"title":"S","author":"A"}},
"cards":[{{"id":"c","category":"term","prompt":"P?","answer":"A","source":"A s"}}]}}"#
        )
    }

    #[test]
    fn bundled_decks_are_three_named_files() {
        let names: Vec<&str> = bundled().iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["dates.json", "actors.json", "terms.json"]);
    }

    #[test]
    fn one_bad_deck_does_not_stop_the_others_and_later_duplicates_fail() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.json"), deck_json("one")).unwrap();
        fs::write(dir.path().join("b.json"), "{ nope").unwrap();
        fs::write(dir.path().join("c.json"), deck_json("one")).unwrap();
        fs::write(dir.path().join("d.json"), deck_json("two")).unwrap();
        fs::write(dir.path().join("schema.json"), "{}").unwrap();
        fs::write(dir.path().join("notes.txt"), "not a deck").unwrap();
        let lib = load_paths(&[dir.path().to_path_buf()]);
        assert_eq!(lib.deck_ids(), ["one", "two"]);
        assert_eq!(lib.failures.len(), 2);
        assert_eq!(lib.failures[0].path, dir.path().join("b.json"));
        let a = dir.path().join("a.json");
        assert_eq!(
            lib.failures[1].to_string(),
            format!(
                "{}: the deck id \"one\" is already used by {}",
                dir.path().join("c.json").display(),
                a.display()
            )
        );
        assert_eq!(lib.card_count(), 2);
        assert_eq!(lib.problem_count(), 2);
        assert_eq!(lib.decks[0].origin, Origin::User(a));
    }

    #[test]
    fn a_user_deck_cannot_take_a_bundled_id_and_missing_folders_are_fine() {
        let dir = tempfile::tempdir().unwrap();
        let bundled_id = parse_deck(Path::new("x"), bundled()[0].1.as_bytes())
            .unwrap()
            .id;
        fs::write(dir.path().join("mine.json"), deck_json(&bundled_id)).unwrap();
        let lib = load_library(
            &[dir.path().to_path_buf(), dir.path().join("missing")],
            true,
        );
        assert_eq!(lib.decks.len(), bundled().len());
        assert!(lib.decks.iter().all(|d| d.origin == Origin::Bundled));
        assert_eq!(
            lib.failures[0].to_string(),
            format!(
                "{}: the deck id \"{bundled_id}\" is already used by the bundled deck \"{bundled_id}\"",
                dir.path().join("mine.json").display()
            )
        );
    }

    #[test]
    fn progress_counts_every_deck() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..3 {
            fs::write(
                dir.path().join(format!("{i}.json")),
                deck_json(&format!("d{i}")),
            )
            .unwrap();
        }
        let mut calls = Vec::new();
        let lib =
            load_library_with_progress(&[dir.path().to_path_buf()], true, &mut |done, total| {
                calls.push((done, total));
            });
        let total = bundled().len() + 3;
        assert_eq!(calls, (1..=total).map(|d| (d, total)).collect::<Vec<_>>());
        assert_eq!(lib.decks.len(), total);

        let mut calls = Vec::new();
        let missing = dir.path().join("missing.json");
        let lib = load_paths_with_progress(std::slice::from_ref(&missing), &mut |d, t| {
            calls.push((d, t));
        });
        assert_eq!(calls, [(1, 1)]);
        assert_eq!(lib.failures[0].path, missing);
    }
}
