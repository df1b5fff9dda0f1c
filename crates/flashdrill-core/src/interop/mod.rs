//! Moving cards and history in and out: Anki packages (`.apkg`, `.colpkg`), Anki's "Notes in
//! Plain Text", Quizlet exports and CSV/TSV spreadsheets.
//!
//! - [`import_files`] reads every input first (cancellable, with progress), then writes all or
//!   nothing: deck files (`flashdrill-deck/1`, one per Anki deck) through temporary files and
//!   renames, images into each deck's media folder ([`crate::deck::media_dir`]), and the review
//!   history in one store transaction, after which the touched cards are rebuilt by replay with
//!   the profile's FSRS settings. It returns an [`ImportReport`].
//! - [`export_apkg`] writes one deck as an Anki package (the schema-11 layout every current Anki
//!   imports), optionally with its review history; [`export_csv`] writes Anki's plain text.
//!
//! Card ids are stable: an Anki card's id comes from its note's guid and the card's ordinal, so
//! importing the same package again updates the cards in place, never duplicates them, and the
//! reviews already imported are recognised and skipped.

mod anki;
mod apply;
mod export;
pub mod html;
mod ids;
pub mod proto;
mod text;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

pub use apply::import_files;
pub use export::{ExportOptions, ExportReport, export_apkg, export_csv};
pub use ids::{anki_card_id, deck_slug};
pub use text::{
    FIELD_COLUMNS, IMPORTED_CATEGORY, TextFormat, TextPreview, parse_delimiter, preview_text,
    title_from_file_name,
};

#[doc(hidden)]
pub use anki::fuzz_read;

use crate::deck::Card;
use crate::store::export::ExportedCard;

/// Which reader takes a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatKind {
    /// An Anki package: cards, images and review history ([`import_files`]).
    AnkiPackage,
    /// Anki's notes in plain text, a Quizlet export, or a CSV/TSV spreadsheet
    /// ([`import_files`], [`preview_text`]).
    Text,
    /// A flashdrill deck (`flashdrill-deck/1` JSON), checked and copied in as it is
    /// ([`crate::deck`]).
    Deck,
}

/// A kind of file flashdrill imports: its extensions, its name, and the reader that takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportFormat {
    /// The file name extensions, lower case, without the dot.
    pub extensions: &'static [&'static str],
    /// The name shown in file dialogs and help texts.
    pub name: &'static str,
    pub kind: FormatKind,
}

impl ImportFormat {
    /// The extensions as written in help texts: ".apkg, .colpkg".
    #[must_use]
    pub fn extension_list(&self) -> String {
        self.extensions
            .iter()
            .map(|e| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Every file format flashdrill imports.
pub const IMPORT_FORMATS: &[ImportFormat] = &[
    ImportFormat {
        extensions: &["apkg", "colpkg"],
        name: "Anki package",
        kind: FormatKind::AnkiPackage,
    },
    ImportFormat {
        extensions: &["txt", "csv", "tsv"],
        name: "Anki, Quizlet or spreadsheet text",
        kind: FormatKind::Text,
    },
    ImportFormat {
        extensions: &["json"],
        name: "flashdrill deck",
        kind: FormatKind::Deck,
    },
];

/// The format of `path`, by its extension (in any case); `None` for a file flashdrill does
/// not import.
#[must_use]
pub fn format_of(path: &Path) -> Option<&'static ImportFormat> {
    let ext = path.extension()?.to_str()?;
    IMPORT_FORMATS
        .iter()
        .find(|f| f.extensions.iter().any(|e| e.eq_ignore_ascii_case(ext)))
}

/// Whether `path` is read by the reader of `kind` (by its extension).
#[must_use]
pub fn is_format(path: &Path, kind: FormatKind) -> bool {
    format_of(path).is_some_and(|f| f.kind == kind)
}

/// The extensions of the formats [`import_files`] converts (every format but flashdrill
/// decks), as written in help texts: ".apkg, .colpkg, .txt, .csv or .tsv".
#[must_use]
pub fn converted_extensions() -> String {
    let all: Vec<String> = IMPORT_FORMATS
        .iter()
        .filter(|f| f.kind != FormatKind::Deck)
        .flat_map(|f| f.extensions.iter().map(|e| format!(".{e}")))
        .collect();
    match all.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => all.join(""),
    }
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Deck ids already used by decks outside the deck folder (the bundled ones): an imported
    /// deck whose name gives one of these ids gets `-imported` appended instead.
    pub reserved_ids: Vec<String>,
    /// For text files: the format, or `None` to detect it.
    pub text_format: Option<TextFormat>,
    /// For Quizlet exports and spreadsheets: whether the first row is column names.
    pub header: HeaderRow,
    /// For text files: the title of the deck a file makes (`None` or blank: the file's name,
    /// as words: `world_capitals.csv` gives "World capitals"). Decks a file names itself
    /// (Anki's `#deck:` column) keep their names.
    pub deck_title: Option<String>,
    /// For Quizlet exports and question-and-answer spreadsheets: also make each card the other
    /// way round (the definition asks for the term), as a sibling of it.
    pub reverse: bool,
    /// Limits on what a package may hold (zip bombs).
    pub limits: Limits,
}

/// Whether the first row of a Quizlet export or a spreadsheet names its columns (`front,back`,
/// `term,definition`, …) rather than being a card.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HeaderRow {
    /// A header when it reads as one: its first two cells are column names such as front and
    /// back, term and definition, question and answer, or a spreadsheet's first row names
    /// flashdrill fields (prompt, answer, …).
    #[default]
    Auto,
    /// The first row is column names.
    Yes,
    /// The first row is a card.
    No,
}

/// Caps on a package's contents, checked while reading (declared sizes are not trusted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most entries a zip may list.
    pub max_entries: usize,
    /// The most bytes all the entries read may decompress to, together, however large the
    /// package.
    pub max_total_bytes: u64,
    /// The most a package may grow when decompressed, as a multiple of its size on disk
    /// (Anki's collections and media grow 2 to 10 times). A zip bomb grows thousands of times,
    /// so it is stopped long before it can fill the disk.
    pub max_ratio: u64,
    /// Any package may decompress to this many bytes, whatever its ratio.
    pub ratio_floor: u64,
    /// The largest picture taken from a package; a larger one is left out (and named in the
    /// report), its cards imported without it.
    pub max_image_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_entries: 1_000_000,
            max_total_bytes: 8 * 1024 * 1024 * 1024,
            max_ratio: 100,
            ratio_floor: 256 * 1024 * 1024,
            max_image_bytes: 20 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// The most bytes a package of `package_bytes` on disk may decompress to: `max_ratio`
    /// times its size, at least `ratio_floor`, at most `max_total_bytes`.
    #[must_use]
    pub fn budget_for(&self, package_bytes: u64) -> u64 {
        package_bytes
            .saturating_mul(self.max_ratio)
            .max(self.ratio_floor)
            .min(self.max_total_bytes)
    }
}

/// Where an import is: a fraction of the whole (0–1) and what it is doing.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportProgress {
    pub fraction: f32,
    pub stage: String,
}

/// What an import did to one deck.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckReport {
    pub id: String,
    pub title: String,
    /// The deck file written (or left as it was when nothing changed).
    pub path: PathBuf,
    /// Whether the deck file is new.
    pub created: bool,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// What an import did, for the report window and the CLI.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub files: Vec<PathBuf>,
    pub decks: Vec<DeckReport>,
    pub cards_added: usize,
    pub cards_updated: usize,
    pub cards_unchanged: usize,
    /// Review-history entries added to the profile.
    pub reviews_added: usize,
    /// Review-history entries the profile had already (an earlier import of the same file).
    pub reviews_already_present: usize,
    /// Cards whose schedule was rebuilt by replaying their reviews.
    pub cards_rebuilt: usize,
    /// Image files copied into media folders.
    pub media_copied: usize,
    /// What was left out, by reason, with how many of each.
    pub skipped: BTreeMap<String, usize>,
    /// Pictures left out, each by name with why; their cards came in without them.
    pub pictures_skipped: Vec<SkippedPicture>,
    /// First rows read as column names rather than cards: the file and the row's cells.
    pub header_rows: Vec<(PathBuf, Vec<String>)>,
}

/// A picture a package's cards show that was left out of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedPicture {
    /// The package it was in.
    pub file: PathBuf,
    /// Its file name, as the cards name it.
    pub name: String,
    pub reason: PictureProblem,
    /// How many cards show it (they are imported without it).
    pub cards: usize,
}

/// Why a picture was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PictureProblem {
    /// The cards name it, but the package does not hold it.
    Missing,
    /// Its bytes are no picture at all.
    NotAPicture,
    /// A picture in a format flashdrill does not show (`what`: "an SVG drawing", …).
    Unshown { what: &'static str },
    /// Larger than [`Limits::max_image_bytes`].
    TooLarge { limit: u64 },
}

impl fmt::Display for PictureProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("missing from the package"),
            Self::NotAPicture => f.write_str("not a picture"),
            Self::Unshown { what } => write!(
                f,
                "{what}, which flashdrill does not show (it shows PNG, JPEG, GIF and WebP)"
            ),
            Self::TooLarge { limit } => write!(f, "over the {} limit", size_text(*limit)),
        }
    }
}

impl fmt::Display for SkippedPicture {
    /// `huge.png: over the 20 MB limit (1 card imported without it)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} ({} imported without it)",
            self.name,
            self.reason,
            if self.cards == 1 {
                "1 card".to_owned()
            } else {
                format!("{} cards", self.cards)
            }
        )
    }
}

/// A size in the largest whole unit: "20 MB", "512 KB", "1000 bytes".
fn size_text(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * KB;
    if bytes >= MB && bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else if bytes >= KB && bytes.is_multiple_of(KB) {
        format!("{} KB", bytes / KB)
    } else {
        format!("{bytes} bytes")
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.decks {
            writeln!(
                f,
                "{} deck \"{}\" ({}): {} added, {} updated, {} unchanged",
                if d.created { "new" } else { "updated" },
                d.title,
                d.path.display(),
                d.added,
                d.updated,
                d.unchanged
            )?;
        }
        writeln!(
            f,
            "{} decks; cards: {} added, {} updated, {} unchanged",
            self.decks.len(),
            self.cards_added,
            self.cards_updated,
            self.cards_unchanged
        )?;
        writeln!(
            f,
            "reviews: {} added, {} already present; {} cards rescheduled from their history",
            self.reviews_added, self.reviews_already_present, self.cards_rebuilt
        )?;
        writeln!(f, "media: {} images copied", self.media_copied)?;
        for (reason, n) in &self.skipped {
            writeln!(f, "skipped {n}: {reason}")?;
        }
        let several = self.files.len() > 1;
        for picture in &self.pictures_skipped {
            if several {
                writeln!(
                    f,
                    "picture left out of {}: {picture}",
                    crate::file_name(&picture.file)
                )?;
            } else {
                writeln!(f, "picture left out: {picture}")?;
            }
        }
        for (file, cells) in &self.header_rows {
            writeln!(
                f,
                "{}: first row read as column names, not as a card: {}",
                crate::file_name(file),
                cells.join(" | ")
            )?;
        }
        Ok(())
    }
}

/// Why an import or export failed. Nothing was written. Every message names the file and the
/// place in it, and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: could not be read: {message}", file.display())]
    Read { file: PathBuf, message: String },
    #[error(
        "{}: not a file flashdrill can import (expected {})",
        file.display(),
        converted_extensions()
    )]
    UnknownKind { file: PathBuf },
    #[error(
        "{}: not an Anki package ({detail}); export it again from Anki with File > Export",
        file.display()
    )]
    NotAPackage { file: PathBuf, detail: String },
    #[error(
        "{}: {what}, over the limit of {limit}; this looks like a zip bomb, so nothing was read",
        file.display()
    )]
    TooLarge {
        file: PathBuf,
        what: String,
        limit: u64,
    },
    #[error("{}: entry \"{entry}\": {detail}; export the package again from Anki", file.display())]
    BadEntry {
        file: PathBuf,
        entry: String,
        detail: String,
    },
    #[error(
        "{}: media file {name:?} has an unsafe name (a folder, \"..\" or an absolute path); \
         rename it in Anki (Tools > Check Media) and export again",
        file.display()
    )]
    UnsafeMediaName { file: PathBuf, name: String },
    #[error(
        "{}: {what} was made by a newer Anki ({found}; this flashdrill reads up to {known}); \
         export it from Anki with \"Support older Anki versions\" ticked",
        file.display()
    )]
    NewerAnki {
        file: PathBuf,
        what: String,
        found: u64,
        known: u64,
    },
    #[error(
        "{}: entry \"{entry}\": the Anki database is damaged or unreadable ({detail}); \
         run Tools > Check Database in Anki and export again",
        file.display()
    )]
    Database {
        file: PathBuf,
        entry: String,
        detail: String,
    },
    #[error("{}: note {note}: {detail}", file.display())]
    Note {
        file: PathBuf,
        note: String,
        detail: String,
    },
    #[error("{}: line {line}: {detail}", file.display())]
    Text {
        file: PathBuf,
        line: u64,
        detail: String,
    },
    #[error(
        "{}: line {line}: byte {offset} is not UTF-8 text; save the file as UTF-8 and import it again",
        file.display()
    )]
    Encoding {
        file: PathBuf,
        line: u64,
        offset: u64,
    },
    #[error(
        "{}: the deck file already there is not valid ({detail}); fix it or move it away, then import again",
        path.display()
    )]
    ExistingDeck { path: PathBuf, detail: String },
    #[error("{}: could not be written: {message}", path.display())]
    Write { path: PathBuf, message: String },
    #[error("the review history could not be saved: {0}")]
    Store(#[from] crate::store::export::ImportError),
    #[error("{}: {detail}", file.display())]
    Export { file: PathBuf, detail: String },
    #[error("the import was cancelled; nothing was imported")]
    Cancelled,
}

/// What reading one input gives, before anything is written.
#[derive(Debug, Default)]
pub(crate) struct Gathered {
    pub decks: Vec<GatheredDeck>,
    pub reviews: Vec<GatheredReview>,
    /// Cards to mark suspended (via the progress import's card list).
    pub suspended: Vec<ExportedCard>,
    /// Cards Anki had buried: (deck id, card id).
    pub buried: Vec<(String, String)>,
    pub skipped: BTreeMap<String, usize>,
    pub pictures_skipped: Vec<SkippedPicture>,
    /// First rows read as column names: the file and the cells.
    pub header_rows: Vec<(PathBuf, Vec<String>)>,
}

impl Gathered {
    pub fn skip(&mut self, reason: &str, n: usize) {
        if n > 0 {
            *self.skipped.entry(reason.to_owned()).or_default() += n;
        }
    }
}

/// One srs answer read from an input: the card by position (`decks[deck].cards[card]`), so
/// that half a million of them cost no strings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GatheredReview {
    pub deck: u32,
    pub card: u32,
    pub at: chrono::DateTime<chrono::Utc>,
    pub rating: crate::schedule::Rating,
    pub response_ms: u32,
}

/// One deck read from an input.
#[derive(Debug, Clone)]
pub(crate) struct GatheredDeck {
    pub id: String,
    pub title: String,
    /// The deck's `source.title` and `source.author` when it is new.
    pub source_title: String,
    pub source_author: String,
    pub cards: Vec<Card>,
    /// Images staged for the deck's media folder: (file name, staged path).
    pub media: Vec<(String, PathBuf)>,
    /// Whether the input can carry pictures (a package can, a text file cannot): when it
    /// cannot, a card already in the deck keeps its picture.
    pub carries_images: bool,
}

/// Reports progress and checks for cancellation.
pub(crate) struct Ticker<'a> {
    pub progress: &'a dyn Fn(ImportProgress),
    pub cancel: &'a AtomicBool,
    /// The share of the whole this input covers: start and width.
    pub start: f32,
    pub width: f32,
}

impl<'a> Ticker<'a> {
    /// A ticker over the whole that reports nothing, stopped only by `cancel`.
    pub fn quiet(cancel: &'a AtomicBool) -> Self {
        Self {
            progress: &|_| {},
            cancel,
            start: 0.0,
            width: 1.0,
        }
    }

    pub fn report(&self, within: f32, stage: impl Into<String>) {
        (self.progress)(ImportProgress {
            fraction: (self.start + self.width * within.clamp(0.0, 1.0)).clamp(0.0, 1.0),
            stage: stage.into(),
        });
    }

    pub fn check(&self) -> Result<(), ImportError> {
        if self.cancel.load(Ordering::Relaxed) {
            Err(ImportError::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// Whether `name` is safe as a file name inside a media folder: not empty, no folder
/// separators, not `.` or `..`, not hidden, no control characters, not absolute, no drive.
#[must_use]
pub fn is_safe_media_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':', '\0'])
        && !name.chars().any(char::is_control)
        && name.trim() == name
        && Path::new(name).is_relative()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_package_may_grow_a_hundred_times_between_256_mib_and_8_gib() {
        const MIB: u64 = 1024 * 1024;
        let limits = Limits::default();
        // A 42 KB zip bomb stops at the floor, not at 8 GiB.
        assert_eq!(limits.budget_for(42 * 1024), 256 * MIB);
        assert_eq!(limits.budget_for(0), 256 * MIB);
        assert_eq!(limits.budget_for(10 * MIB), 1000 * MIB);
        assert_eq!(limits.budget_for(500 * MIB), 8 * 1024 * MIB);
        assert_eq!(limits.budget_for(u64::MAX), 8 * 1024 * MIB);
    }

    use super::*;

    #[test]
    fn a_left_out_picture_is_named_with_why() {
        let picture = |reason, cards| SkippedPicture {
            file: PathBuf::from("/tmp/deck.apkg"),
            name: "huge.png".to_owned(),
            reason,
            cards,
        };
        let limit = Limits::default().max_image_bytes;
        assert_eq!(
            picture(PictureProblem::TooLarge { limit }, 1).to_string(),
            "huge.png: over the 20 MB limit (1 card imported without it)"
        );
        assert_eq!(
            picture(PictureProblem::NotAPicture, 3).to_string(),
            "huge.png: not a picture (3 cards imported without it)"
        );
        assert_eq!(
            PictureProblem::Unshown {
                what: "an SVG drawing"
            }
            .to_string(),
            "an SVG drawing, which flashdrill does not show (it shows PNG, JPEG, GIF and WebP)"
        );
        assert_eq!(
            PictureProblem::Missing.to_string(),
            "missing from the package"
        );
        assert_eq!(size_text(512 * 1024), "512 KB");
        assert_eq!(size_text(1000), "1000 bytes");
        assert_eq!(size_text(3 * 1024 * 1024 + 1), "3145729 bytes");

        let report = ImportReport {
            files: vec![PathBuf::from("a.apkg"), PathBuf::from("words.csv")],
            pictures_skipped: vec![picture(PictureProblem::NotAPicture, 1)],
            header_rows: vec![(
                PathBuf::from("/x/words.csv"),
                vec!["front".to_owned(), "back".to_owned()],
            )],
            ..ImportReport::default()
        };
        let text = report.to_string();
        assert!(
            text.contains(
                "picture left out of deck.apkg: huge.png: not a picture (1 card imported without it)\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "words.csv: first row read as column names, not as a card: front | back\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn media_names_never_leave_the_folder() {
        for ok in ["a.jpg", "flag of japan.png", "über.gif", "a..b.png"] {
            assert!(is_safe_media_name(ok), "{ok}");
        }
        for bad in [
            "",
            "..",
            ".",
            "../x.png",
            "a/b.png",
            "a\\b.png",
            "/etc/passwd",
            "C:x.png",
            ".hidden",
            " x.png",
            "a\nb.png",
        ] {
            assert!(!is_safe_media_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_file_s_format_comes_from_its_extension_in_any_case() {
        let kind = |name: &str| format_of(Path::new(name)).map(|f| f.kind);
        assert_eq!(kind("deck.apkg"), Some(FormatKind::AnkiPackage));
        assert_eq!(kind("Collection.COLPKG"), Some(FormatKind::AnkiPackage));
        assert_eq!(kind("notes.Txt"), Some(FormatKind::Text));
        assert_eq!(kind("sheet.tsv"), Some(FormatKind::Text));
        assert_eq!(kind("mine.json"), Some(FormatKind::Deck));
        assert_eq!(kind("photo.png"), None);
        assert_eq!(kind("no-extension"), None);
        assert_eq!(converted_extensions(), ".apkg, .colpkg, .txt, .csv or .tsv");
        let err = ImportError::UnknownKind {
            file: PathBuf::from("a.json"),
        };
        assert!(
            err.to_string()
                .contains("(expected .apkg, .colpkg, .txt, .csv or .tsv)")
        );
    }
}
