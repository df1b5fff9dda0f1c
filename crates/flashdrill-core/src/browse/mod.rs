//! The card browser's data, with no UI: every card of every loaded deck joined with its stored
//! progress, searched, filtered and sorted; the article timeline's dated events; and one card's
//! details (history and forgetting curve).
//!
//! [`CardTable`] is built once from the [`Library`] and [`Store::card_states`] and kept; the
//! rows a [`Query`] selects are computed by [`CardTable::refresh`] only when the query (or the
//! table) changed, so a screen can ask for them every frame. Search text is folded (lower case,
//! accents and typographic quotes removed, see [`fold`]) once per card when the table is built.
//!
//! [`Library`]: crate::deck::Library
//! [`Store::card_states`]: crate::store::Store::card_states
//!
//! The modules: `query` (search folding, columns, the query), `row` (a card with its progress),
//! `table` ([`CardTable`]), `timeline` (dated events) and `detail` (one card's details and
//! forgetting curve). Everything public is re-exported here.

mod detail;
mod query;
mod row;
mod table;
mod timeline;

pub use detail::{CardDetail, ForgettingCurve, curve_days, forgetting_curve};
pub use query::{Column, Order, Query, fold};
pub use row::{CardRow, DeckInfo};
pub use table::CardTable;
pub use timeline::{EventGroup, TimelineEvent, event_groups, timeline_events};

#[cfg(test)]
mod tests;
