//! Progress that follows a bundled card to its new deck or id.
//!
//! Progress is keyed by deck id + card id. When a bundled card moves to another deck or takes a
//! new id ([`crate::deck::MOVED_CARDS`]), a profile's state and review history for it are
//! re-keyed to the new place the next time the profile is opened, inside the opening
//! transaction. A card that already has progress in its new place keeps that progress, and the
//! old rows stay where they are, so nothing is merged or lost. Once moved, nothing matches again:
//! the step is idempotent and costs a few index lookups.

use rusqlite::{Connection, params};

use super::cards::{card_key, ensure_deck};
use crate::deck::MovedCard;

/// Whether card `key` has progress or reviews.
fn has_rows(tx: &Connection, key: Option<(i64, i64)>) -> rusqlite::Result<bool> {
    let Some((_, card)) = key else {
        return Ok(false);
    };
    let own: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM progress WHERE card = ?1)
             OR EXISTS (SELECT 1 FROM review WHERE card = ?1)",
        [card],
        |r| r.get(0),
    )?;
    Ok(own || super::classes::has_student_rows(tx, card)?)
}

/// Re-keys the rows of each card in `moves` that has progress only in its old place: the
/// card's key moves to the new deck and id, and its reviews and progress with it. Moves are
/// applied in order, so a card moved twice arrives. Returns how many cards moved.
pub(super) fn carry_moved_cards(tx: &Connection, moves: &[MovedCard]) -> rusqlite::Result<usize> {
    let mut count = 0;
    for m in moves {
        let from = card_key(tx, m.from_deck, m.from_card)?;
        let to = card_key(tx, m.to_deck, m.to_card)?;
        let Some((_, card)) = from else {
            continue;
        };
        if !has_rows(tx, from)? || has_rows(tx, to)? {
            continue;
        }
        if let Some((_, unused)) = to {
            tx.execute("DELETE FROM card WHERE key = ?1", [unused])?;
        }
        let deck = ensure_deck(tx, m.to_deck)?;
        tx.execute(
            "UPDATE card SET deck = ?1, id = ?2 WHERE key = ?3",
            params![deck, m.to_card, card],
        )?;
        tx.execute(
            "UPDATE progress SET deck = ?1 WHERE card = ?2",
            params![deck, card],
        )?;
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
        from_card: "c1",
        to_deck: "new-deck",
        to_card: "c1",
    };

    /// A schema-1 database with `rows` (SQL inserts into its two tables) in it, migrated to
    /// the current schema; the migration carries the move (with no moves here first).
    fn db_with(rows: &str) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(crate::store::schema::FIRST_SCHEMA)
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(rows).unwrap();
        let tx = conn.unchecked_transaction().unwrap();
        crate::store::schema::migrate_in(&tx, std::path::Path::new(":memory:"), &[]).unwrap();
        tx.commit().unwrap();
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
            &format!(
                "SELECT count(*) FROM {table} t JOIN card c ON c.key = t.card \
                 JOIN deck d ON d.key = c.deck WHERE d.id = ?1"
            ),
            [deck],
            |r| r.get(0),
        )
        .unwrap()
    }

    #[test]
    fn progress_under_the_old_deck_moves_once_and_other_cards_stay() {
        let mut conn = db_with(
            "INSERT INTO card_state (deck_id, card_id, state, due, reps, lapses)
                 VALUES ('old-deck', 'c1', 'new', 0, 3, 0), ('old-deck', 'c2', 'new', 0, 1, 0);
             INSERT INTO review_log (profile, deck_id, card_id, at, rating, mode, response_ms)
                 VALUES ('p', 'old-deck', 'c1', 1, 3, 'drill', 0),
                 ('p', 'old-deck', 'c1', 2, 3, 'drill', 0), ('p', 'old-deck', 'c2', 3, 3, 'drill', 0);",
        );
        assert_eq!(carry(&mut conn), 1);
        assert_eq!(carry(&mut conn), 0, "a second run moves nothing");
        assert_eq!(rows(&conn, "progress", "new-deck"), 1);
        assert_eq!(rows(&conn, "review", "new-deck"), 2);
        // The card that did not move keeps its deck.
        assert_eq!(rows(&conn, "progress", "old-deck"), 1);
        assert_eq!(rows(&conn, "review", "old-deck"), 1);
    }

    #[test]
    fn progress_already_under_the_new_deck_is_kept_and_nothing_is_merged() {
        let mut conn = db_with(
            "INSERT INTO card_state (deck_id, card_id, state, due, reps, lapses)
                 VALUES ('old-deck', 'c1', 'new', 0, 3, 0), ('new-deck', 'c1', 'new', 0, 7, 0);
             INSERT INTO review_log (profile, deck_id, card_id, at, rating, mode, response_ms)
                 VALUES ('p', 'old-deck', 'c1', 1, 3, 'drill', 0),
                 ('p', 'new-deck', 'c1', 2, 3, 'drill', 0);",
        );
        assert_eq!(carry(&mut conn), 0);
        let reps: i64 = conn
            .query_row(
                "SELECT p.reps FROM progress p JOIN deck d ON d.key = p.deck \
                 WHERE d.id = 'new-deck'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(reps, 7);
        assert_eq!(rows(&conn, "review", "new-deck"), 1);
        assert_eq!(rows(&conn, "review", "old-deck"), 1);
    }

    #[test]
    fn a_card_with_history_only_moves_too() {
        let mut conn = db_with(
            "INSERT INTO review_log (profile, deck_id, card_id, at, rating, mode, response_ms)
             VALUES ('p', 'old-deck', 'c1', 1, 3, 'drill', 0);",
        );
        assert_eq!(carry(&mut conn), 1);
        assert_eq!(rows(&conn, "review", "new-deck"), 1);
    }

    fn progress_ids(conn: &Connection) -> Vec<(String, String, i64)> {
        let mut stmt = conn
            .prepare(
                "SELECT d.id, c.id, p.reps FROM progress p JOIN card c ON c.key = p.card \
                 JOIN deck d ON d.key = c.deck ORDER BY d.id, c.id",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn a_renamed_card_keeps_its_progress_and_a_card_moved_twice_arrives() {
        let mut conn = db_with(
            "INSERT INTO card_state (deck_id, card_id, state, due, reps, lapses)
                 VALUES ('terms', 'old-name', 'new', 0, 4, 0), ('gone', 'c', 'new', 0, 2, 0);
             INSERT INTO review_log (profile, deck_id, card_id, at, rating, mode, response_ms)
                 VALUES ('p', 'terms', 'old-name', 1, 3, 'drill', 0);",
        );
        let moves = [
            MovedCard {
                from_deck: "terms",
                from_card: "old-name",
                to_deck: "terms",
                to_card: "new-name",
            },
            MovedCard {
                from_deck: "gone",
                from_card: "c",
                to_deck: "dates",
                to_card: "c",
            },
            MovedCard {
                from_deck: "dates",
                from_card: "c",
                to_deck: "dates",
                to_card: "c2",
            },
        ];
        let tx = conn.transaction().unwrap();
        assert_eq!(carry_moved_cards(&tx, &moves).unwrap(), 3);
        assert_eq!(
            carry_moved_cards(&tx, &moves).unwrap(),
            0,
            "nothing moves twice"
        );
        tx.commit().unwrap();
        assert_eq!(
            progress_ids(&conn),
            [
                ("dates".to_owned(), "c2".to_owned(), 2),
                ("terms".to_owned(), "new-name".to_owned(), 4)
            ]
        );
        assert_eq!(rows(&conn, "review", "terms"), 1);
    }
}
