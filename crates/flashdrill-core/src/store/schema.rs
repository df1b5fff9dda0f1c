//! The schema, its forward migrations and the checks made when a database is opened.

use std::path::Path;

use rusqlite::{Connection, ErrorCode};

use super::{BUSY_TIMEOUT, StoreError, open_read_only};

/// One forward migration step.
enum Step {
    Sql(&'static str),
    /// Statements, then code that moves the data.
    Code(
        &'static str,
        fn(&Connection, &Path) -> Result<(), StoreError>,
    ),
}

/// Forward migrations: step `i` takes a database from schema `i` to schema `i + 1`.
/// Never edit a released step; add a new one.
const MIGRATIONS: &[Step] = &[
    // 0 → 1: the first schema.
    Step::Sql(
        "
    CREATE TABLE review_log (
        id            INTEGER PRIMARY KEY,
        profile       TEXT    NOT NULL,
        deck_id       TEXT    NOT NULL,
        card_id       TEXT    NOT NULL,
        at            INTEGER NOT NULL,             -- ms since the Unix epoch, UTC
        rating        INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        mode          TEXT    NOT NULL CHECK (mode IN ('srs', 'practice', 'drill')),
        answer_given  TEXT,
        correct       INTEGER CHECK (correct IN (0, 1)),
        response_ms   INTEGER NOT NULL CHECK (response_ms >= 0),
        kind_before   TEXT,                         -- the card's state before (srs only)
        state_before  TEXT,                         -- JSON CardProgress; NULL: no row before
        state_after   TEXT                          -- JSON CardProgress; NULL: not srs
    );
    -- Covers a card's history, duplicate checks on import and replay without table lookups.
    CREATE INDEX review_log_card ON review_log (deck_id, card_id, at, rating, mode, kind_before);
    -- Covers the daily counts (answers since the day start, per deck and kind).
    CREATE INDEX review_log_at ON review_log (at, deck_id, mode, kind_before);

    CREATE TABLE card_state (
        deck_id      TEXT    NOT NULL,
        card_id      TEXT    NOT NULL,
        state        TEXT    NOT NULL CHECK (state IN ('new', 'learning', 'review', 'relearning')),
        step         INTEGER,
        stability    REAL,
        difficulty   REAL,
        due          INTEGER NOT NULL,              -- ms since the Unix epoch, UTC
        last_review  INTEGER,
        reps         INTEGER NOT NULL,
        lapses       INTEGER NOT NULL,
        suspended    INTEGER NOT NULL DEFAULT 0,
        buried_until INTEGER,
        leech        INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (deck_id, card_id)
    ) WITHOUT ROWID;
    -- The study queue of one deck: learning, review and new cards by due time. It covers
    -- every column, so queue queries read it alone, in order.
    CREATE INDEX card_state_queue ON card_state (deck_id, state, due, card_id, step, stability,
        difficulty, last_review, reps, lapses, suspended, buried_until, leech);

    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    ",
    ),
    // 1 → 2: integer keys and a review log of numbers (see store/migrate.rs).
    Step::Code(super::migrate::CREATE, super::migrate::from_v1),
    // 2 → 3: self-tests (see store/selftests.rs).
    Step::Sql(super::selftests::CREATE),
    // 3 → 4: the cards due on each day, for load balancing.
    Step::Sql("CREATE INDEX progress_due ON progress (state, due);"),
    // 4 → 5: sync through a shared folder (see store/sync.rs).
    Step::Sql(super::sync::CREATE),
    // 5 → 6: classes, rosters, and each student's schedule and answers (store/classes.rs).
    Step::Sql(super::classes::CREATE),
    // 6 → 7: cards' reset marks, which replay starts after (store/resets.rs).
    Step::Sql(super::resets::CREATE),
];

/// The schema [`super::migrate::CREATE`] makes: a new database gets it at once, then the steps
/// from this one on.
const CREATE_REACHES: usize = 2;

/// The schema version this flashdrill writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How many prepared statements a connection keeps.
pub(super) const STATEMENT_CACHE: usize = 64;

/// Why an open failed: a plain error, or a damaged database (to be moved aside).
pub(super) enum OpenFailure {
    Store(StoreError),
    Corrupt(String),
}

fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    )
}

fn classify(path: &Path, source: rusqlite::Error) -> OpenFailure {
    if is_corruption(&source) {
        OpenFailure::Corrupt(source.to_string())
    } else {
        OpenFailure::Store(StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// Opens `path` for writing after checking, read-only, that it is a database this flashdrill
/// may write; then runs `quick_check` and the migrations.
pub(super) fn open_checked(path: &Path, check: bool) -> Result<Connection, OpenFailure> {
    if path.exists() {
        let version = match read_version(path) {
            Ok(v) => v,
            // A hot journal left by a process killed while it wrote (e.g. while it made the
            // file): only a connection that may write rolls it back.
            Err(e) if e.sqlite_error_code() == Some(ErrorCode::ReadOnly) => Connection::open(path)
                .and_then(|c| c.pragma_query_value(None, "user_version", |r| r.get(0)))
                .map_err(|e| classify(path, e))?,
            Err(e) => return Err(classify(path, e)),
        };
        if version > SCHEMA_VERSION {
            return Err(OpenFailure::Store(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                known: SCHEMA_VERSION,
            }));
        }
    } else if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| {
            OpenFailure::Store(StoreError::Io {
                path: parent.to_path_buf(),
                source,
            })
        })?;
    }
    let mut conn = Connection::open(path).map_err(|e| classify(path, e))?;
    configure(&conn).map_err(|e| classify(path, e))?;
    if check {
        let found = quick_check(&conn).map_err(|e| classify(path, e))?;
        if found != "ok" {
            return Err(OpenFailure::Corrupt(format!("quick_check: {found}")));
        }
    }
    match migrate(&mut conn, path) {
        Ok(()) => Ok(conn),
        Err(StoreError::Sqlite { source, .. }) if is_corruption(&source) => {
            Err(OpenFailure::Corrupt(source.to_string()))
        }
        Err(e) => Err(OpenFailure::Store(e)),
    }
}

/// The database's `user_version`, read without writing anything.
pub(super) fn read_version(path: &Path) -> rusqlite::Result<i64> {
    let conn = open_read_only(path)?;
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // The store prepares about forty statements once each; rusqlite keeps sixteen by default,
    // and a statement pushed out is parsed again on its next use.
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if mode.eq_ignore_ascii_case("wal") {
        conn.pragma_update(None, "synchronous", "NORMAL")?;
    } else {
        // A file system without shared memory: SQLite keeps its rollback journal, which is
        // safe with synchronous=FULL.
        conn.pragma_update(None, "synchronous", "FULL")?;
    }
    conn.pragma_update(None, "foreign_keys", true)?;
    // Reads of large profiles (100,000 cards, 1,000,000 reviews) go through memory mapping
    // and a 16 MB page cache.
    conn.execute_batch("PRAGMA mmap_size = 268435456; PRAGMA cache_size = -16000;")?;
    // Checkpoints (which fsync) every 4,000 pages rather than 1,000: a quarter of the stalls.
    // `Store::checkpoint` runs one at a quiet moment.
    conn.execute_batch("PRAGMA wal_autocheckpoint = 4000;")?;
    Ok(())
}

fn quick_check(conn: &Connection) -> rusqlite::Result<String> {
    Ok(check_lines(conn, "quick_check")?.join("; "))
}

/// The lines a checking pragma (`quick_check`, `integrity_check`) reports: `["ok"]` for a
/// sound database.
pub(super) fn check_lines(conn: &Connection, pragma: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

/// Applies every migration the database has not had yet, and moves the progress of bundled
/// cards that changed deck ([`crate::deck::MOVED_CARDS`]), in one transaction. After a
/// migration from schema 1 the file is compacted (`VACUUM`, outside the transaction: killed
/// half-way it leaves the migrated database as it was).
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let err = |source| StoreError::Sqlite {
        path: path.to_path_buf(),
        source,
    };
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(err)?;
    let from = migrate_in(&tx, path, crate::deck::MOVED_CARDS)?;
    tx.commit().map_err(err)?;
    if from == 1 && path != Path::new(":memory:") {
        conn.execute_batch("VACUUM;").map_err(err)?;
    }
    Ok(())
}

/// [`migrate`] inside the transaction `tx`, carrying `moves`; returns the version it found.
pub(super) fn migrate_in(
    tx: &Connection,
    path: &Path,
    moves: &[crate::deck::MovedCard],
) -> Result<i64, StoreError> {
    let err = |source| StoreError::Sqlite {
        path: path.to_path_buf(),
        source,
    };
    let version: i64 = tx
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(err)?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    if version < 0 {
        return Err(StoreError::BadData {
            path: path.to_path_buf(),
            detail: format!("schema version {version} is not a flashdrill schema"),
        });
    }
    let from = usize::try_from(version).unwrap_or(usize::MAX);
    if from == 0 {
        // A new database gets schema 2 at once, then the steps after it.
        tx.execute_batch(super::migrate::CREATE).map_err(err)?;
        tx.execute_batch(
            "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;",
        )
        .map_err(err)?;
        run_steps(tx, path, CREATE_REACHES)?;
    } else if from < MIGRATIONS.len() {
        run_steps(tx, path, from)?;
    }
    super::moved::carry_moved_cards(tx, moves).map_err(err)?;
    Ok(version)
}

/// Runs the migration steps from `from` on and sets the schema version.
fn run_steps(tx: &Connection, path: &Path, from: usize) -> Result<(), StoreError> {
    let err = |source| StoreError::Sqlite {
        path: path.to_path_buf(),
        source,
    };
    for step in MIGRATIONS.get(from..).unwrap_or_default() {
        match step {
            Step::Sql(sql) => tx.execute_batch(sql).map_err(err)?,
            Step::Code(sql, code) => {
                tx.execute_batch(sql).map_err(err)?;
                code(tx, path)?;
            }
        }
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(err)
}

/// The first schema's tables (for tests that build a schema-1 database).
#[cfg(test)]
pub(super) const FIRST_SCHEMA: &str = match MIGRATIONS[0] {
    Step::Sql(sql) | Step::Code(sql, _) => sql,
};

#[cfg(test)]
mod tests {
    use super::*;

    /// A new database and one migrated from schema 1 have the same tables, indexes and
    /// columns.
    #[test]
    fn a_new_database_has_the_schema_migrations_reach() {
        let schema = |conn: &Connection| -> Vec<String> {
            let mut stmt = conn
                .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
                .unwrap();
            stmt.query_map([], |r| {
                let sql: Option<String> = r.get(3)?;
                Ok(format!(
                    "{} {} {} {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    sql.unwrap_or_default()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
        };
        let mut fresh = Connection::open_in_memory().unwrap();
        migrate(&mut fresh, Path::new(":memory:")).unwrap();
        let mut old = Connection::open_in_memory().unwrap();
        old.execute_batch(FIRST_SCHEMA).unwrap();
        old.pragma_update(None, "user_version", 1).unwrap();
        migrate(&mut old, Path::new(":memory:")).unwrap();
        let (a, b) = (schema(&fresh), schema(&old));
        // The settings table's text differs in layout only.
        let norm = |v: Vec<String>| -> Vec<String> {
            v.into_iter()
                .map(|s| {
                    if s.contains(" settings ") {
                        "settings".to_owned()
                    } else {
                        s
                    }
                })
                .collect()
        };
        assert_eq!(norm(a), norm(b));
    }

    #[test]
    fn migrations_reach_the_current_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, Path::new(":memory:")).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        // Running them again changes nothing.
        migrate(&mut conn, Path::new(":memory:")).unwrap();
    }
}
