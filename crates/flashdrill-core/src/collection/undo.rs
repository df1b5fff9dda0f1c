//! The collection's one undo stack: each entry is one operation, with its label and what
//! puts it back.

use crate::store::BeforeReset;
use std::fmt;

use super::Changes;
use crate::domain::CardProgress;
use crate::session::CardKey;
use crate::settings::Settings;

/// A user operation, named as the undo menu names it ("Undo Suspend 40 cards").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// A study answer.
    Answer,
    Suspend(usize),
    Unsuspend(usize),
    Bury(usize),
    Reset(usize),
    /// One setting changed (its name, as a sentence says it: "desired retention").
    ChangeSetting(&'static str),
    /// New FSRS parameters put to use (every memory state recomputed).
    UseParameters,
    /// An exam date set on a deck (cards it needs brought forward).
    SetExam,
    /// A deck's exam date removed.
    ClearExam,
    /// A deck's own desired retention set or removed.
    DeckRetention,
    Postpone(usize),
    Advance(usize),
    /// A deck deleted (its title).
    DeleteDeck(String),
    /// A deck renamed (its title before).
    RenameDeck(String),
    /// A deck copied (the original's title).
    DuplicateDeck(String),
}

fn cards(n: usize) -> String {
    format!("{n} {}", if n == 1 { "card" } else { "cards" })
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Answer => f.write_str("Answer"),
            Self::Suspend(n) => write!(f, "Suspend {}", cards(*n)),
            Self::Unsuspend(n) => write!(f, "Unsuspend {}", cards(*n)),
            Self::Bury(n) => write!(f, "Bury {}", cards(*n)),
            Self::Reset(n) => write!(f, "Reset {}", cards(*n)),
            Self::ChangeSetting(name) => write!(f, "Change {name}"),
            Self::UseParameters => f.write_str("Use new memory parameters"),
            Self::SetExam => f.write_str("Set exam date"),
            Self::ClearExam => f.write_str("Remove exam date"),
            Self::DeckRetention => f.write_str("Change deck retention"),
            Self::Postpone(n) => write!(f, "Postpone {}", cards(*n)),
            Self::Advance(n) => write!(f, "Advance {}", cards(*n)),
            Self::DeleteDeck(title) => write!(f, "Delete deck \"{title}\""),
            Self::RenameDeck(title) => write!(f, "Rename deck \"{title}\""),
            Self::DuplicateDeck(title) => write!(f, "Duplicate deck \"{title}\""),
        }
    }
}

impl Op {
    /// What the operation changes (and its undo changes back): a screen offers the undo of
    /// the operations that change what it shows.
    #[must_use]
    pub const fn changes(&self) -> Changes {
        match self {
            Self::Answer => Changes::ANSWER,
            Self::Suspend(_) | Self::Unsuspend(_) | Self::Bury(_) | Self::Reset(_) => {
                Changes::CARDS
            }
            Self::ChangeSetting(_) => Changes::SETTINGS,
            Self::UseParameters | Self::SetExam | Self::ClearExam | Self::DeckRetention => {
                Changes {
                    settings: true,
                    cards: true,
                    ..Changes::NONE
                }
            }
            Self::Postpone(_) | Self::Advance(_) => Changes::CARDS,
            Self::DeleteDeck(_) | Self::RenameDeck(_) | Self::DuplicateDeck(_) => Changes {
                decks: true,
                cards: true,
                ..Changes::NONE
            },
        }
    }

    /// What was done, for a notice: "Suspended 40 cards".
    #[must_use]
    pub fn done(&self) -> String {
        match self {
            Self::Answer => "Answered".to_owned(),
            Self::Suspend(n) => format!("Suspended {}", cards(*n)),
            Self::Unsuspend(n) => format!("Unsuspended {}", cards(*n)),
            Self::Bury(n) => format!("Buried {} until tomorrow", cards(*n)),
            Self::Reset(n) => format!("Reset {}", cards(*n)),
            Self::ChangeSetting(name) => format!("Changed {name}"),
            Self::UseParameters => "New memory parameters in use".to_owned(),
            Self::SetExam => "Exam date set".to_owned(),
            Self::ClearExam => "Exam date removed".to_owned(),
            Self::DeckRetention => "Deck retention changed".to_owned(),
            Self::Postpone(n) => format!("Postponed {}", cards(*n)),
            Self::Advance(n) => format!("Advanced {}", cards(*n)),
            Self::DeleteDeck(title) => format!("Deleted the deck \"{title}\""),
            Self::RenameDeck(title) => format!("Renamed the deck \"{title}\""),
            Self::DuplicateDeck(title) => format!("Copied the deck \"{title}\""),
        }
    }
}

/// What puts an operation back.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Revert {
    /// Take back this review (and, in srs, the card's state with it).
    Answer { review_id: i64 },
    /// Put these cards' progress back (`None`: no stored progress).
    Cards(Vec<(CardKey, Option<CardProgress>)>),
    /// Put these settings back.
    Settings(Box<Settings>),
    /// Put these replaced FSRS parameters back (memory states recomputed, due dates kept).
    Parameters(Box<[f32; 21]>),
    /// Put these settings-table rows back (`None`: no row) and these cards' progress.
    Rows {
        rows: Vec<(String, Option<String>)>,
        cards: Vec<(CardKey, Option<CardProgress>)>,
    },
    /// Put these reset cards' progress and reset marks back.
    Reset(Vec<(CardKey, BeforeReset)>),
    /// Put these deck files back as they were (`None`: remove the file) and these reset
    /// cards' progress and marks, then load the decks again.
    Files {
        files: Vec<super::decks::FileBefore>,
        cards: Vec<(CardKey, BeforeReset)>,
    },
}

/// One entry of the undo stack.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Entry {
    pub op: Op,
    pub revert: Revert,
}

/// How many operations can be undone, newest first.
pub(super) const DEPTH: usize = 50;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_as_a_menu_item() {
        assert_eq!(Op::Suspend(40).to_string(), "Suspend 40 cards");
        assert_eq!(Op::Reset(1).to_string(), "Reset 1 card");
        assert_eq!(Op::Suspend(40).done(), "Suspended 40 cards");
        assert!(Op::Answer.changes().cards && !Op::Answer.changes().settings);
        assert!(Op::ChangeSetting("zoom").changes().settings);
        assert!(!Op::ChangeSetting("zoom").changes().cards);
        assert_eq!(
            Op::ChangeSetting("desired retention").to_string(),
            "Change desired retention"
        );
    }
}
