//! What can be wrong with a deck file, in plain English.
//!
//! A [`Problem`] says what is wrong and where inside the file (a line and column, or a card);
//! a [`DeckFileError`] adds the file's path and holds every problem found in that file.

use std::fmt;
use std::path::{Path, PathBuf};

use super::model::{DateError, FORMAT_V1};

/// The largest deck file that is read: 50 MB.
pub const MAX_DECK_BYTES: u64 = 50 * 1024 * 1024;

/// One thing wrong with a deck file. `Display` gives the place and the problem, without the
/// file's path (see [`DeckFileError`] for that).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The file or folder could not be read (missing, no permission, …).
    #[error("could not be read: {0}")]
    Read(String),
    /// The file is over [`MAX_DECK_BYTES`]; it was not read.
    #[error("the file is {size} bytes, over the 50 MB (52428800 bytes) limit for a deck")]
    TooLarge {
        /// The file's size in bytes.
        size: u64,
    },
    /// The file is not UTF-8 text.
    #[error("line {line}: byte {offset} is not UTF-8 text; save the file as UTF-8")]
    NotUtf8 {
        /// The offset of the first bad byte from the start of the file, counting from 0.
        offset: usize,
        /// The line of the first bad byte, counting from 1.
        line: usize,
    },
    /// The JSON is malformed, or does not have the shape of a deck (a wrong type, an unknown
    /// field, a missing field).
    #[error("line {line}, column {column}: {message}")]
    Json {
        /// Counting from 1.
        line: usize,
        /// Counting from 1.
        column: usize,
        /// What serde_json found wrong.
        message: String,
    },
    /// The `format` is not one this version reads.
    #[error("the format is {found:?}, but this version of flashdrill reads only \"{FORMAT_V1}\"")]
    UnknownFormat {
        /// The `format` the file gives.
        found: String,
    },
    /// The deck `id` is not a slug.
    #[error("the deck id {0:?} is not a slug: use only a-z, 0-9 and '-'")]
    BadDeckId(String),
    /// Another deck loaded earlier has the same id; this one is left out.
    #[error("the deck id {id:?} is already used by {other}")]
    DuplicateDeckId {
        /// The shared id.
        id: String,
        /// Where the earlier deck came from, as shown to the user.
        other: String,
    },
    /// A deck-level text field is empty or only spaces: `field` is `"title"`, `"description"`,
    /// `"source title"`, `"source author"` or `"source url"`.
    #[error("the deck's {0} is empty")]
    EmptyDeckField(&'static str),
    /// The `cards` list is empty.
    #[error("the deck has no cards")]
    NoCards,
    /// Something wrong with one card.
    #[error("{card}: {issue}")]
    Card {
        /// Which card.
        card: CardRef,
        /// What is wrong with it.
        issue: CardIssue,
    },
}

/// Which card a problem is about: by id when the id names exactly one card, else by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRef {
    /// The card's position in the file's `cards` list, counting from 1.
    pub number: usize,
    /// The card's id, when it is non-empty and no other card has it.
    pub id: Option<String>,
}

impl fmt::Display for CardRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "card {id:?}"),
            None => write!(f, "card #{}", self.number),
        }
    }
}

/// One thing wrong with a card.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardIssue {
    /// The card has no id.
    #[error("the id is empty")]
    EmptyId,
    /// The id is not a slug.
    #[error("the id {0:?} is not a slug: use only a-z, 0-9 and '-'")]
    BadId(String),
    /// An earlier card has the same id.
    #[error("the id {id:?} is already used by card #{first}")]
    DuplicateId {
        /// The shared id.
        id: String,
        /// The position of the first card with this id, counting from 1.
        first: usize,
    },
    /// A text field is empty or only spaces: `"category"`, `"prompt"`, `"answer"`, `"event"`,
    /// `"group"`, `"role"`, `"cloze"`, `"explanation"` or `"source excerpt"` (the `source` field).
    #[error("the {0} is empty")]
    EmptyField(&'static str),
    /// An entry of a list is empty or only spaces: `list` is `"accept"`, `"distractors"` or
    /// `"tags"`.
    #[error("entry {number} of {list:?} is empty")]
    EmptyEntry {
        /// Which list.
        list: &'static str,
        /// The entry's position, counting from 1.
        number: usize,
    },
    /// The `group` is not a slug.
    #[error("the group {0:?} is not a slug: use only a-z, 0-9 and '-'")]
    BadGroup(String),
    /// The `date` is not a possible date.
    #[error("the date {0}")]
    BadDate(DateError),
    /// A card of category `"date"` has no `date`.
    #[error("it is a date card but has no \"date\" (YYYY, YYYY-MM or YYYY-MM-DD)")]
    MissingDate,
    /// A distractor is the right answer.
    #[error("the distractor {0:?} is the same as the answer")]
    DistractorIsAnswer(String),
    /// A distractor is an accepted answer.
    #[error("the distractor {distractor:?} is the same as the accepted answer {accepted:?}")]
    DistractorIsAccepted {
        /// The distractor.
        distractor: String,
        /// The `accept` entry it equals.
        accepted: String,
    },
    /// The same distractor is listed twice.
    #[error("the distractor {0:?} is listed twice")]
    DuplicateDistractor(String),
    /// The cloze has no `{{…}}` blank.
    #[error("the cloze has no {{{{…}}}} blank; mark the answer like {{{{this}}}}")]
    ClozeNoBlank,
    /// The cloze has more than one `{{…}}` blank.
    #[error("the cloze has {0} {{{{…}}}} blanks, but it must have exactly one")]
    ClozeManyBlanks(usize),
    /// The cloze's blank is `{{}}` with nothing (or only spaces) inside.
    #[error("the cloze's {{{{…}}}} blank is empty")]
    ClozeEmptyBlank,
    /// The `image` is not a plain file name inside the deck's media folder.
    #[error(
        "the image {0:?} is not a file name in the deck's media folder: give just the name, \
         without folders, \"..\" or a leading dot"
    )]
    BadImage(String),
}

/// Everything wrong with one deck file: its path and every problem found in it.
///
/// `Display` prints one line per problem, each starting with the path:
/// `decks/x.json: card "putin-first-visit": the distractor "2000" is the same as the answer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckFileError {
    /// The file's path as given (for bundled decks, `decks/<name>`).
    pub path: PathBuf,
    /// Never empty.
    pub problems: Vec<Problem>,
}

impl DeckFileError {
    /// An error with a single problem.
    #[must_use]
    pub fn one(path: &Path, problem: Problem) -> Self {
        Self {
            path: path.to_path_buf(),
            problems: vec![problem],
        }
    }

    /// One message per problem, each starting with the path (the lines `Display` prints).
    #[must_use]
    pub fn messages(&self) -> Vec<String> {
        self.problems
            .iter()
            .map(|p| format!("{}: {p}", self.path.display()))
            .collect()
    }
}

impl fmt::Display for DeckFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}: {problem}", self.path.display())?;
        }
        Ok(())
    }
}

impl std::error::Error for DeckFileError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_every_problem_on_its_own_line_with_the_path() {
        let err = DeckFileError {
            path: PathBuf::from("decks/x.json"),
            problems: vec![
                Problem::NoCards,
                Problem::Card {
                    card: CardRef {
                        number: 3,
                        id: Some("putin-first-visit".into()),
                    },
                    issue: CardIssue::DistractorIsAnswer("2000".into()),
                },
            ],
        };
        assert_eq!(
            err.to_string(),
            "decks/x.json: the deck has no cards\n\
             decks/x.json: card \"putin-first-visit\": the distractor \"2000\" is the same as the answer"
        );
        assert_eq!(err.messages().len(), 2);
    }

    #[test]
    fn names_a_card_by_number_when_its_id_is_not_usable() {
        let card = CardRef {
            number: 7,
            id: None,
        };
        assert_eq!(
            Problem::Card {
                card,
                issue: CardIssue::ClozeManyBlanks(2)
            }
            .to_string(),
            "card #7: the cloze has 2 {{…}} blanks, but it must have exactly one"
        );
    }
}
