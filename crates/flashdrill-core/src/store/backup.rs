//! Daily backups, moving damaged databases aside, and restoring a backup.
//!
//! Backups live in `<data_dir>/backups/<profile>/<YYYY-MM-DD>.sqlite3` (one per day, the newest
//! [`KEEP_BACKUPS`] kept) and are made with SQLite's online backup API, so they are consistent
//! copies even while the database is open.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};

use super::{Store, StoreError, open_read_only};

/// How many daily backups of a profile are kept.
pub const KEEP_BACKUPS: usize = 7;

const BACKUP_EXT: &str = ".sqlite3";

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The backups in `dir` (files named `YYYY-MM-DD.sqlite3`), oldest first. A missing folder
/// has no backups.
pub fn list_backups(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_err(dir)(e)),
    };
    let mut dated: Vec<(NaiveDate, PathBuf)> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io_err(dir))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(stem) = name.strip_suffix(BACKUP_EXT) else {
            continue;
        };
        if let Ok(date) = NaiveDate::parse_from_str(stem, "%Y-%m-%d") {
            dated.push((date, entry.path()));
        }
    }
    dated.sort();
    Ok(dated.into_iter().map(|(_, p)| p).collect())
}

/// Makes today's backup of `store` in `dir` unless there is one already, then deletes all but
/// the newest `keep` backups. Returns the new backup's path, if one was made.
///
/// The copy is written to a temporary name and renamed into place, so a crash never leaves a
/// half-written backup under a dated name.
pub fn daily_backup(
    store: &Store,
    dir: &Path,
    today: NaiveDate,
    keep: usize,
) -> Result<Option<PathBuf>, StoreError> {
    let target = dir.join(format!("{}{BACKUP_EXT}", today.format("%Y-%m-%d")));
    let made = if target.exists() {
        None
    } else {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        let tmp = dir.join(format!(".{}.tmp", today.format("%Y-%m-%d")));
        // A leftover from a crash mid-backup.
        if tmp.exists() {
            std::fs::remove_file(&tmp).map_err(io_err(&tmp))?;
        }
        store.backup_to(&tmp)?;
        std::fs::rename(&tmp, &target).map_err(io_err(&target))?;
        Some(target)
    };
    let all = list_backups(dir)?;
    let excess = all.len().saturating_sub(keep.max(1));
    for old in &all[..excess] {
        std::fs::remove_file(old).map_err(io_err(old))?;
    }
    Ok(made)
}

fn sidecars(path: &Path) -> [(PathBuf, &'static str); 3] {
    let with = |suffix: &str| {
        let mut s = path.as_os_str().to_owned();
        s.push(suffix);
        PathBuf::from(s)
    };
    [
        (path.to_path_buf(), ""),
        (with("-wal"), "-wal"),
        (with("-shm"), "-shm"),
    ]
}

/// Moves a database and its `-wal` / `-shm` files aside to `<name>.<tag>-<timestamp>` (never
/// deleting anything) and returns the main file's new path. The WAL must move with its
/// database: left behind, it would be replayed into a new database at the same path.
pub fn move_aside(path: &Path, tag: &str) -> Result<PathBuf, StoreError> {
    let stamp = Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let mut base = {
        let mut s = path.as_os_str().to_owned();
        s.push(format!(".{tag}-{stamp}"));
        PathBuf::from(s)
    };
    let mut n = 1;
    while base.exists() {
        n += 1;
        let mut s = path.as_os_str().to_owned();
        s.push(format!(".{tag}-{stamp}-{n}"));
        base = PathBuf::from(s);
    }
    for (file, suffix) in sidecars(path) {
        if file.exists() {
            let mut dest = base.as_os_str().to_owned();
            dest.push(suffix);
            std::fs::rename(&file, PathBuf::from(dest)).map_err(io_err(&file))?;
        }
    }
    Ok(base)
}

/// Replaces the database at `db_path` with a copy of `backup`. The backup is checked first
/// (it must open and pass `quick_check`); the current database, if any, is moved aside to
/// `<name>.replaced-<timestamp>`, never deleted. The database must not be open.
pub fn restore_backup(db_path: &Path, backup: &Path) -> Result<(), StoreError> {
    let sql = |source| StoreError::Sqlite {
        path: backup.to_path_buf(),
        source,
    };
    {
        let conn = open_read_only(backup).map_err(sql)?;
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(sql)?;
        if check != "ok" {
            return Err(StoreError::BadData {
                path: backup.to_path_buf(),
                detail: format!("this backup is damaged too (quick_check: {check})"),
            });
        }
    }
    if sidecars(db_path).iter().any(|(p, _)| p.exists()) {
        move_aside(db_path, "replaced")?;
    }
    if let Some(parent) = db_path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    let mut tmp = db_path.as_os_str().to_owned();
    tmp.push(".restoring");
    let tmp = PathBuf::from(tmp);
    std::fs::copy(backup, &tmp).map_err(io_err(&tmp))?;
    std::fs::rename(&tmp, db_path).map_err(io_err(db_path))?;
    Ok(())
}
