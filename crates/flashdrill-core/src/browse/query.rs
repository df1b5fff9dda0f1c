//! What the browser asks for: search text folding, the sortable columns and the query of
//! filters and sort order.

use crate::quiz::normalize::{self, Folding, fold_with};
use crate::schedule::State;

/// Text folded for searching: [`fold_with`] by [`Folding::SEARCH`] — lower case, without
/// accents or other combining marks, typographic quotes and dashes as plain ones, whitespace
/// collapsed. `"São Paulo’s"` and `"sao paulo's"` fold the same.
#[must_use]
pub fn fold(s: &str) -> String {
    fold_with(s, Folding::SEARCH)
}

pub(super) fn fold_into(s: &str, out: &mut String) {
    normalize::fold_into(s, Folding::SEARCH, out);
}

/// A column the table can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "lowercase")]
pub enum Column {
    Deck,
    #[strum(serialize = "card id")]
    CardId,
    Category,
    Prompt,
    Answer,
    State,
    Due,
    Stability,
    Difficulty,
    Lapses,
    #[strum(serialize = "reviews")]
    Reps,
    #[strum(serialize = "last review")]
    LastReview,
}

impl Column {
    /// Every column, in table order (strum's `VARIANTS` as an array).
    pub const ALL: [Column; 12] = match <Self as strum::VariantArray>::VARIANTS {
        &[a, b, c, d, e, f, g, h, i, j, k, l] => [a, b, c, d, e, f, g, h, i, j, k, l],
        _ => panic!("Column has twelve variants"),
    };

    /// The column's name in lower case, as in "Sort by due".
    #[must_use]
    pub fn name(self) -> &'static str {
        self.into()
    }

    pub(super) fn text_rank_slot(self) -> Option<usize> {
        match self {
            Self::Deck => Some(0),
            Self::CardId => Some(1),
            Self::Category => Some(2),
            Self::Prompt => Some(3),
            Self::Answer => Some(4),
            _ => None,
        }
    }
}

/// A sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Order {
    Ascending,
    Descending,
}

/// Which cards to show and in which order. Every filter narrows; the default shows all cards in
/// deck order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    /// Words that must all appear in the prompt, the answer or the tags (case and accents
    /// ignored).
    pub text: String,
    /// Only this deck (by id).
    pub deck: Option<String>,
    /// Only this category (as written in decks: `"date"`, `"actor"`, …).
    pub category: Option<String>,
    /// Only cards in this state (cards never studied are `New`).
    pub state: Option<State>,
    /// Only cards due for review today (see [`CardRow::due_by`](super::CardRow::due_by)).
    pub due_today: bool,
    pub leech_only: bool,
    pub suspended_only: bool,
    /// `None`: deck order (decks in load order, cards in deck order).
    pub sort: Option<(Column, Order)>,
}

impl Query {
    /// Sorts by `column`; asking again for the column on show flips the direction.
    pub fn toggle_sort(&mut self, column: Column) {
        self.sort = match self.sort {
            Some((c, Order::Ascending)) if c == column => Some((column, Order::Descending)),
            _ => Some((column, Order::Ascending)),
        };
    }
}
