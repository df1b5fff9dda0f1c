//! Decks: types, JSON loading and validation. Pure: no UI, no SQL.
//!
//! - [`parse_deck`] and [`load_file`] read one deck and report every problem in it
//!   ([`DeckFileError`], one [`Problem`] per line).
//! - [`load_library`] and [`load_paths`] read many decks; one bad deck never stops the others.
//! - [`bundled`] gives the decks built into the app; [`import_deck_file`] copies a user's deck
//!   into their deck folder.
//! - [`warnings`] lists what makes a valid deck teach poorly (never a reason to refuse it).
//! - [`schema_json`] is the JSON schema checked in as `decks/schema.json`.

mod edit;
mod import;
mod key;
mod library;
mod load;
mod model;
mod problem;
mod schema;
mod source_checks;
mod validate;
mod warnings;

pub use edit::{
    DeckEditor, DeckMeta, SaveError, card_id, deck_id, deck_problem_field, issue_field,
    write_atomically,
};
pub use import::{ImportError, import_deck_file};
pub use key::answer_key;
pub use library::{
    BUNDLED_DIR, Library, LoadedDeck, MOVED_CARDS, MovedCard, Origin, SCHEMA_FILE_NAME,
    USER_DECK_DIR, bundled, deck_files_in, folder_stamp, load_library, load_library_with_progress,
    load_paths, load_paths_with_progress, media_dir, user_deck_dir,
};
pub use load::{load_file, parse_deck};
pub use model::{Card, Category, DateError, Deck, FORMAT_V1, MONTHS, PartialDate, Source};
pub use problem::{CardIssue, CardRef, DeckFileError, MAX_DECK_BYTES, Problem};
pub use schema::schema_json;
pub use source_checks::Searched;
pub use validate::{Article, cloze_blanks, is_slug, validate};
pub use warnings::{
    DeckWarning, MAX_SIBLINGS, Warning, sibling_scope, warnings, warnings_with_article,
};
