//! Decks: types, JSON loading and validation. Pure: no UI, no SQL.

mod model;

pub use model::{Card, Category, DateError, Deck, FORMAT_V1, PartialDate, Source};
