//! Progress that follows a bundled card to its new deck.
//!
//! Progress is keyed by deck id + card id. When a bundled card moves to another deck
//! ([`crate::deck::MOVED_CARDS`]), a profile's state and review history for it are re-keyed to
//! the new deck the next time the profile is opened, inside the opening transaction. A card that
//! already has progress under its new deck keeps that progress, and the old rows stay where they
//! are, so nothing is merged or lost. Once moved, nothing matches again: the step is idempotent
//! and costs a few index lookups.

use rusqlite::{Transaction, params};

use crate::deck::MovedCard;

/// Re-keys the rows of each card in `moves` that has progress only under its old deck. Returns
/// how many cards moved.
pub(super) fn carry_moved_cards(tx: &Transaction, moves: &[MovedCard]) -> rusqlite::Result<usize> {
    let mut count = 0;
    for m in moves {
        let has_rows = |deck: &str| -> rusqlite::Result<bool> {
            tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM card_state WHERE deck_id = ?1 AND card_id = ?2)
                     OR EXISTS (SELECT 1 FROM review_log WHERE deck_id = ?1 AND card_id = ?2)",
                params![deck, m.card],
                |r| r.get(0),
            )
        };
        if !has_rows(m.from_deck)? || has_rows(m.to_deck)? {
            continue;
        }
        for table in ["card_state", "review_log"] {
            tx.execute(
                &format!("UPDATE {table} SET deck_id = ?1 WHERE deck_id = ?2 AND card_id = ?3"),
                params![m.to_deck, m.from_deck, m.card],
            )?;
        }
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;

    const MOVE: MovedCard = MovedCard {
        from_deck: "old-deck",
        to_deck: "new-deck",
        card: "c1",
    };

    /// The two tables, with `rows` (SQL inserts) in them.
    fn db_with(rows: &str) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE card_state (deck_id TEXT, card_id TEXT, reps INTEGER,
                 PRIMARY KEY (deck_id, card_id));
             CREATE TABLE review_log (id INTEGER PRIMARY KEY, deck_id TEXT, card_id TEXT);",
        )
        .unwrap();
        conn.execute_batch(rows).unwrap();
        conn
    }

    /// Moves [`MOVE`] in a committed transaction; how many cards moved.
    fn carry(conn: &mut Connection) -> usize {
        let tx = conn.transaction().unwrap();
        let moved = carry_moved_cards(&tx, &[MOVE]).unwrap();
        tx.commit().unwrap();
        moved
    }

    fn rows(conn: &Connection, table: &str, deck: &str) -> i64 {
        conn.query_row(
            &format!("SELECT count(*) FROM {table} WHERE deck_id = ?1"),
            [deck],
            |r| r.get(0),
        )
        .unwrap()
    }

    #[test]
    fn progress_under_the_old_deck_moves_once_and_other_cards_stay() {
        let mut conn = db_with(
            "INSERT INTO card_state VALUES ('old-deck', 'c1', 3), ('old-deck', 'c2', 1);
             INSERT INTO review_log (deck_id, card_id) VALUES ('old-deck', 'c1'),
                 ('old-deck', 'c1'), ('old-deck', 'c2');",
        );
        assert_eq!(carry(&mut conn), 1);
        assert_eq!(carry(&mut conn), 0, "a second run moves nothing");
        assert_eq!(rows(&conn, "card_state", "new-deck"), 1);
        assert_eq!(rows(&conn, "review_log", "new-deck"), 2);
        // The card that did not move keeps its deck.
        assert_eq!(rows(&conn, "card_state", "old-deck"), 1);
        assert_eq!(rows(&conn, "review_log", "old-deck"), 1);
    }

    #[test]
    fn progress_already_under_the_new_deck_is_kept_and_nothing_is_merged() {
        let mut conn = db_with(
            "INSERT INTO card_state VALUES ('old-deck', 'c1', 3), ('new-deck', 'c1', 7);
             INSERT INTO review_log (deck_id, card_id) VALUES ('old-deck', 'c1'),
                 ('new-deck', 'c1');",
        );
        assert_eq!(carry(&mut conn), 0);
        let reps: i64 = conn
            .query_row(
                "SELECT reps FROM card_state WHERE deck_id = 'new-deck'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(reps, 7);
        assert_eq!(rows(&conn, "review_log", "new-deck"), 1);
        assert_eq!(rows(&conn, "review_log", "old-deck"), 1);
    }

    #[test]
    fn a_card_with_history_only_moves_too() {
        let mut conn =
            db_with("INSERT INTO review_log (deck_id, card_id) VALUES ('old-deck', 'c1');");
        assert_eq!(carry(&mut conn), 1);
        assert_eq!(rows(&conn, "review_log", "new-deck"), 1);
    }
}
