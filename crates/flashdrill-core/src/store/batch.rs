//! Many rows written by one statement. Appending rows (or index entries) in key order, one
//! statement for many rows keeps SQLite's cursor at the end between them, where a statement a
//! row searches from the root each time; it also steps the statement once, not once a row.

use rusqlite::{Connection, Statement};

/// At most this many values bound by one statement (SQLite allows 32,766).
const VALUES_PER_STATEMENT: usize = 1024;

/// How many rows of `width` values one statement writes.
pub(super) fn rows_per_statement(width: usize) -> usize {
    (VALUES_PER_STATEMENT / width.max(1)).max(1)
}

/// `head` (`INSERT INTO t (a, b) VALUES`) followed by `rows` groups of `width` placeholders.
pub(super) fn values_sql(head: &str, width: usize, rows: usize) -> String {
    let group = format!("({})", vec!["?"; width].join(","));
    format!("{head} {}", vec![group.as_str(); rows].join(","))
}

/// Writes `rows` through `head`, `width` values a row: `bind(stmt, first, row)` binds one
/// row's values from placeholder `first` on.
pub(super) fn write_rows<T>(
    conn: &Connection,
    head: &str,
    width: usize,
    rows: &[T],
    mut bind: impl FnMut(&mut Statement<'_>, usize, &T) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    for chunk in rows.chunks(rows_per_statement(width)) {
        let mut stmt = conn.prepare_cached(&values_sql(head, width, chunk.len()))?;
        for (i, row) in chunk.iter().enumerate() {
            bind(&mut stmt, i * width + 1, row)?;
        }
        stmt.raw_execute()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_rows_go_in_with_their_values_in_order() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)")
            .unwrap();
        let rows: Vec<(i64, String)> = (0..2500).map(|i| (i, format!("row {i}"))).collect();
        write_rows(
            &conn,
            "INSERT INTO t (a, b) VALUES",
            2,
            &rows,
            |s, at, (a, b)| {
                s.raw_bind_parameter(at, a)?;
                s.raw_bind_parameter(at + 1, b)
            },
        )
        .unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2500);
        let b: String = conn
            .query_row("SELECT b FROM t WHERE a = 2499", [], |r| r.get(0))
            .unwrap();
        assert_eq!(b, "row 2499");
        assert_eq!(rows_per_statement(2), 512);
        assert_eq!(
            values_sql("INSERT INTO t (a) VALUES", 1, 2),
            "INSERT INTO t (a) VALUES (?),(?)"
        );
    }
}
