//! SQLite progress: schema, migrations, review log, card state, backups, export/import.
//!
//! One database per learner profile (`<data_dir>/profiles/<slug>.sqlite3`, see [`profiles`]).
//! The database runs in WAL mode with `synchronous=NORMAL`: a committed answer survives the
//! process being killed (only a power loss can take back the last commits).
//!
//! Times are stored as integer milliseconds since the Unix epoch, UTC; every time handed to the
//! store is truncated to the millisecond so that what is read back equals what was written.
//!
//! The review log is append-only: answers are only ever added, except that
//! [`Store::undo_answer`] deletes the row it undoes (an undone answer never happened; the log
//! keeps no trace of it).
//!
//! Decks and cards are stored once by their text ids and referred to by integer keys; a review
//! is a row of numbers (see `rows` for the layout) whose id is unique across computers and
//! students and begins with the answer's time.

mod answers;
pub mod backup;
mod batch;
mod cards;
mod classes;
pub mod export;
pub mod import;
mod log;
mod log_state;
mod migrate;
mod moved;
mod params;
mod plan;
pub mod profiles;
mod resets;
mod rows;
mod schema;
mod selftests;
mod staged;
pub(crate) use staged::Staged;
pub(crate) mod sync;

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

pub use answers::{DayCounts, LeechPolicy, NewReview, Recorded, Undone};
pub use classes::{NewStudentReview, StudentReview};
pub use plan::StoreLoad;
pub use resets::BeforeReset;
pub use rows::{ID_LOW_BITS, review_id_ms};
pub use schema::SCHEMA_VERSION;
pub use selftests::{NewSelfTest, NewTestAnswer, SelfTestAnswerRecord, SelfTestRecord};

pub use crate::domain::{
    CardProgress, CardRecord, Mode, ReviewRecord, truncate_ms, truncate_state,
};

/// The OS data directory for flashdrill (`~/.local/share/flashdrill` on Linux), if there is a
/// home directory.
#[must_use]
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "flashdrill", "flashdrill")
        .map(|d| d.data_dir().to_path_buf())
}

/// How long a connection waits for another one holding the write lock.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Everything that can go wrong in the store. Every variant names the database file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{} was written by a newer flashdrill (schema {found}, this one knows {known}); it was not changed",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    /// The database could not be read. It was moved aside (never deleted); `newest_backup`
    /// is the backup the UI can offer to restore with [`backup::restore_backup`].
    #[error("{}", corrupt_message(path, moved_to, detail, newest_backup.as_deref()))]
    Corrupt {
        path: PathBuf,
        moved_to: PathBuf,
        detail: String,
        newest_backup: Option<PathBuf>,
    },
    /// A value in the database that flashdrill never writes (edited by hand or damaged).
    #[error("{}: {detail}", path.display())]
    BadData { path: PathBuf, detail: String },
    #[error("{}: review {id} is not in the review log", path.display())]
    NoSuchReview { path: PathBuf, id: i64 },
    #[error(
        "{}: review {id} of {deck_id}/{card_id} cannot be undone: a later review of the card ({later}) must be undone first",
        path.display()
    )]
    NotLatest {
        path: PathBuf,
        id: i64,
        later: i64,
        deck_id: String,
        card_id: String,
    },
    /// A caller mistake, such as an srs answer without a new state.
    #[error("{0}")]
    Invalid(String),
}

/// What went wrong underneath a [`StoreError::Sqlite`], in the terms advice to the learner
/// needs (the UI says what to do without reading SQLite's codes itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqliteFailure {
    /// Another program holds the database.
    Busy,
    DiskFull,
    /// The file or its folder cannot be written.
    NoWrite,
    /// The file is damaged.
    Damaged,
    Other,
}

impl StoreError {
    /// The kind of SQLite failure, for a [`StoreError::Sqlite`]; `None` for the others.
    #[must_use]
    pub fn sqlite_failure(&self) -> Option<SqliteFailure> {
        use rusqlite::ErrorCode as C;
        let Self::Sqlite { source, .. } = self else {
            return None;
        };
        Some(match source.sqlite_error_code() {
            Some(C::DatabaseBusy | C::DatabaseLocked) => SqliteFailure::Busy,
            Some(C::DiskFull) => SqliteFailure::DiskFull,
            Some(C::ReadOnly | C::PermissionDenied | C::CannotOpen) => SqliteFailure::NoWrite,
            Some(C::NotADatabase | C::DatabaseCorrupt) => SqliteFailure::Damaged,
            _ => SqliteFailure::Other,
        })
    }

    /// A busy-database error for `path`, as SQLite reports one (for tests of messages).
    #[must_use]
    pub fn busy(path: &Path) -> Self {
        Self::Sqlite {
            path: path.to_path_buf(),
            source: rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                Some("database is locked".into()),
            ),
        }
    }
}

fn corrupt_message(
    path: &Path,
    moved_to: &Path,
    detail: &str,
    newest_backup: Option<&Path>,
) -> String {
    let mut msg = format!(
        "{} is damaged ({detail}); it was moved aside to {}",
        path.display(),
        moved_to.display()
    );
    match newest_backup {
        Some(b) => {
            let _ = write!(msg, "; the newest backup is {}", b.display());
        }
        None => msg.push_str("; there is no backup"),
    }
    msg
}

/// One profile's progress database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    profile: String,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

/// Where [`Store::open_with`] looks for backups to name when the database is damaged.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// The profile's backup folder (`<data_dir>/backups/<slug>`).
    pub backup_dir: Option<PathBuf>,
    /// The profile's name (default: the file stem).
    pub profile: Option<String>,
    /// Skip `quick_check`, which reads the whole file (most of a second for a 250 MB
    /// profile): the caller checks later, off the UI thread ([`profiles::upkeep`]). A file
    /// that is not a database at all is still refused at once.
    pub skip_check: bool,
}

impl Store {
    /// Opens (creating if missing) the database at `path` and brings its schema up to date.
    ///
    /// A database written by a newer flashdrill is refused without being written
    /// ([`StoreError::TooNew`]); a damaged one is moved aside ([`StoreError::Corrupt`]).
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_with(path, &OpenOptions::default())
    }

    /// Whether the database at `path` is of an older schema, which opening it brings up to
    /// date (in one transaction; a long history takes seconds, once). Reads without writing;
    /// `false` for a missing file or one that cannot be read.
    #[must_use]
    pub fn needs_update(path: &Path) -> bool {
        path.exists() && schema::read_version(path).is_ok_and(|v| (1..SCHEMA_VERSION).contains(&v))
    }

    /// A second connection to a database the caller already has open and checked (the
    /// window's profile, whose whole-file check runs once as `profiles::upkeep`): opened
    /// without reading the whole file again.
    pub fn open_another(path: &Path) -> Result<Self, StoreError> {
        Self::open_with(
            path,
            &OpenOptions {
                skip_check: true,
                ..OpenOptions::default()
            },
        )
    }

    /// [`Store::open`] with options.
    pub fn open_with(path: &Path, options: &OpenOptions) -> Result<Self, StoreError> {
        let profile = options.profile.clone().unwrap_or_else(|| {
            path.file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
        });
        match schema::open_checked(path, !options.skip_check) {
            Ok(conn) => Ok(Self {
                conn,
                path: path.to_path_buf(),
                profile,
            }),
            Err(schema::OpenFailure::Store(e)) => Err(e),
            Err(schema::OpenFailure::Corrupt(detail)) => {
                let moved_to = backup::move_aside(path, "corrupt")?;
                let newest_backup = options
                    .backup_dir
                    .as_deref()
                    .and_then(|dir| backup::list_backups(dir).ok())
                    .and_then(|list| list.into_iter().next_back());
                Err(StoreError::Corrupt {
                    path: path.to_path_buf(),
                    moved_to,
                    detail,
                    newest_backup,
                })
            }
        }
    }

    /// A database in memory, for tests and previews.
    pub fn open_in_memory(profile: &str) -> Result<Self, StoreError> {
        let path = PathBuf::from(":memory:");
        let mut conn = Connection::open_in_memory().map_err(|source| StoreError::Sqlite {
            path: path.clone(),
            source,
        })?;
        conn.set_prepared_statement_cache_capacity(schema::STATEMENT_CACHE);
        schema::migrate(&mut conn, &path)?;
        Ok(Self {
            conn,
            path,
            profile: profile.to_owned(),
        })
    }

    /// The database file (`:memory:` for an in-memory store).
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The profile's name.
    #[must_use]
    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// Reads from now on through a small page cache (4 MB) rather than memory mapping: for a
    /// connection that stays open for hours and runs small, indexed queries (the window's), so
    /// that the pages it once touched do not stay in the process's memory. Connections that
    /// scan the whole log (statistics, the browser, the CLI) keep the mapping, and its speed.
    pub fn read_through_page_cache(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("PRAGMA mmap_size = 0; PRAGMA cache_size = -4000;")
            .map_err(|e| self.err(e))
    }

    /// `PRAGMA quick_check` through SQLite's page cache rather than memory mapping, so that
    /// reading the whole file leaves no trace in the process's memory: `"ok"` for a sound
    /// database. The connection reads through the page cache from then on.
    pub fn quick_check_unmapped(&self) -> Result<String, StoreError> {
        self.read_through_page_cache()?;
        schema::check_lines(&self.conn, "quick_check")
            .map(|lines| lines.join("; "))
            .map_err(|e| self.err(e))
    }

    /// `PRAGMA integrity_check`: `"ok"` for a sound database, else SQLite's list of problems.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        schema::check_lines(&self.conn, "integrity_check")
            .map(|lines| lines.join("\n"))
            .map_err(|e| self.err(e))
    }

    /// The schema version of the open database (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Copies the database, as it is now, to `dest` with SQLite's online backup API.
    pub fn backup_to(&self, dest: &Path) -> Result<(), StoreError> {
        self.conn
            .backup(rusqlite::MAIN_DB, dest, rusqlite::backup::NO_PROGRESS)
            .map_err(|source| StoreError::Sqlite {
                path: dest.to_path_buf(),
                source,
            })
    }

    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }
}

/// Opens an existing database read-only, e.g. to inspect it without changing it.
pub(crate) fn open_read_only(path: &Path) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}
