//! Learner profiles: several named learners, each with their own database.
//!
//! Layout under the data directory:
//! - `profiles.json`: display names and the last used profile;
//! - `profiles/<slug>.sqlite3`: one database per profile (the slug never changes, the display
//!   name may);
//! - `backups/<slug>/<YYYY-MM-DD>.sqlite3`: daily backups, the newest 7 kept;
//! - `trash/<slug>-<timestamp>.sqlite3`: deleted profiles (moved, never unlinked).

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::backup::{self, KEEP_BACKUPS};
use super::{OpenOptions, Store, StoreError};

/// The index file's name in the data directory.
pub const INDEX_FILE: &str = "profiles.json";
/// The name of the profile made when there is none.
pub const DEFAULT_PROFILE_NAME: &str = "Default";

/// A profile as listed in `profiles.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileInfo {
    /// The database's file stem; fixed when the profile is created.
    pub slug: String,
    /// The name shown to the learner; may be renamed.
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Index {
    #[serde(default)]
    last_used: Option<String>,
    #[serde(default)]
    profiles: Vec<ProfileInfo>,
}

/// Profile management errors.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no profile is called \"{0}\"")]
    NoSuchProfile(String),
    #[error("a profile is already called \"{0}\"")]
    DuplicateName(String),
    #[error("a profile name cannot be empty")]
    EmptyName,
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> ProfileError + '_ {
    move |source| ProfileError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A file-name-safe slug of a display name: lowercase ASCII letters and digits, other runs
/// of characters become one `-`. Empty → `"profile"`.
#[must_use]
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug.truncate(40);
    if slug.is_empty() {
        slug.push_str("profile");
    }
    slug
}

/// The profiles of one data directory.
#[derive(Debug, Clone)]
pub struct Profiles {
    data_dir: PathBuf,
    index: Index,
}

impl Profiles {
    /// Reads `<data_dir>/profiles.json`. Databases in `profiles/` missing from the index are
    /// listed under their slug; entries whose database is gone are kept (opening one creates
    /// an empty database). An unreadable index is moved aside and rebuilt from the folder.
    pub fn load(data_dir: &Path) -> Result<Self, ProfileError> {
        let path = data_dir.join(INDEX_FILE);
        let mut index = match std::fs::read_to_string(&path) {
            Ok(text) => {
                if let Ok(index) = serde_json::from_str::<Index>(&text) {
                    index
                } else {
                    backup::move_aside(&path, "unreadable")?;
                    Index::default()
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Index::default(),
            Err(e) => return Err(io_err(&path)(e)),
        };
        let dir = data_dir.join("profiles");
        if let Ok(entries) = std::fs::read_dir(&dir) {
            let mut found: Vec<String> = entries
                .filter_map(Result::ok)
                .filter_map(|e| {
                    e.file_name()
                        .to_str()
                        .and_then(|n| n.strip_suffix(".sqlite3"))
                        .map(str::to_owned)
                })
                .collect();
            found.sort();
            for slug in found {
                if !index.profiles.iter().any(|p| p.slug == slug) {
                    index.profiles.push(ProfileInfo {
                        name: slug.clone(),
                        slug,
                    });
                }
            }
        }
        if index
            .last_used
            .as_ref()
            .is_some_and(|l| !index.profiles.iter().any(|p| &p.slug == l))
        {
            index.last_used = None;
        }
        Ok(Self {
            data_dir: data_dir.to_path_buf(),
            index,
        })
    }

    /// The data directory.
    #[must_use]
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Every profile, in creation order.
    #[must_use]
    pub fn list(&self) -> &[ProfileInfo] {
        &self.index.profiles
    }

    /// The profile used last, if any.
    #[must_use]
    pub fn last_used(&self) -> Option<&ProfileInfo> {
        let slug = self.index.last_used.as_ref()?;
        self.index.profiles.iter().find(|p| &p.slug == slug)
    }

    /// The profile with this slug or display name (names compared case-insensitively).
    #[must_use]
    pub fn find(&self, name_or_slug: &str) -> Option<&ProfileInfo> {
        let wanted = name_or_slug.trim();
        self.index
            .profiles
            .iter()
            .find(|p| p.slug == wanted)
            .or_else(|| {
                self.index
                    .profiles
                    .iter()
                    .find(|p| p.name.to_lowercase() == wanted.to_lowercase())
            })
    }

    fn get(&self, name_or_slug: &str) -> Result<ProfileInfo, ProfileError> {
        self.find(name_or_slug)
            .cloned()
            .ok_or_else(|| ProfileError::NoSuchProfile(name_or_slug.to_owned()))
    }

    /// The database file of a profile.
    #[must_use]
    pub fn db_path(&self, slug: &str) -> PathBuf {
        self.data_dir
            .join("profiles")
            .join(format!("{slug}.sqlite3"))
    }

    /// The backup folder of a profile.
    #[must_use]
    pub fn backup_dir(&self, slug: &str) -> PathBuf {
        self.data_dir.join("backups").join(slug)
    }

    /// A profile's backups, oldest first.
    pub fn backups(&self, slug: &str) -> Result<Vec<PathBuf>, ProfileError> {
        Ok(backup::list_backups(&self.backup_dir(slug))?)
    }

    fn save(&self) -> Result<(), ProfileError> {
        std::fs::create_dir_all(&self.data_dir).map_err(io_err(&self.data_dir))?;
        let path = self.data_dir.join(INDEX_FILE);
        let tmp = self.data_dir.join(format!("{INDEX_FILE}.tmp"));
        // Serializing strings and options cannot fail.
        let text = serde_json::to_string_pretty(&self.index).unwrap_or_default();
        std::fs::write(&tmp, text + "\n").map_err(io_err(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(io_err(&path))
    }

    fn check_name(&self, name: &str, except_slug: Option<&str>) -> Result<String, ProfileError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ProfileError::EmptyName);
        }
        if self.index.profiles.iter().any(|p| {
            Some(p.slug.as_str()) != except_slug && p.name.to_lowercase() == name.to_lowercase()
        }) {
            return Err(ProfileError::DuplicateName(name.to_owned()));
        }
        Ok(name.to_owned())
    }

    /// Creates a profile (its database is made when first opened) and returns it.
    pub fn create(&mut self, name: &str) -> Result<ProfileInfo, ProfileError> {
        let name = self.check_name(name, None)?;
        let base = slugify(&name);
        let mut slug = base.clone();
        let mut n = 1;
        while self.index.profiles.iter().any(|p| p.slug == slug) || self.db_path(&slug).exists() {
            n += 1;
            slug = format!("{base}-{n}");
        }
        let info = ProfileInfo { slug, name };
        self.index.profiles.push(info.clone());
        self.save()?;
        Ok(info)
    }

    /// Changes a profile's display name (its file keeps its slug).
    pub fn rename(&mut self, name_or_slug: &str, new_name: &str) -> Result<(), ProfileError> {
        let info = self.get(name_or_slug)?;
        let new_name = self.check_name(new_name, Some(&info.slug))?;
        if let Some(p) = self.index.profiles.iter_mut().find(|p| p.slug == info.slug) {
            p.name = new_name;
        }
        self.save()
    }

    /// Remembers `name_or_slug` as the last used profile.
    pub fn switch(&mut self, name_or_slug: &str) -> Result<ProfileInfo, ProfileError> {
        let info = self.get(name_or_slug)?;
        self.index.last_used = Some(info.slug.clone());
        self.save()?;
        Ok(info)
    }

    /// Deletes a profile (the caller has asked the learner to confirm): its database moves to
    /// `<data_dir>/trash/` (never unlinked) and it leaves the list. Its backups stay. Returns
    /// where the database went (`None` if it had none yet).
    pub fn delete(&mut self, name_or_slug: &str) -> Result<Option<PathBuf>, ProfileError> {
        let info = self.get(name_or_slug)?;
        let db = self.db_path(&info.slug);
        let trash = self.data_dir.join("trash");
        let stamp = Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
        let dest = trash.join(format!("{}-{stamp}.sqlite3", info.slug));
        let mut moved = None;
        for suffix in ["", "-wal", "-shm"] {
            let mut from = db.as_os_str().to_owned();
            from.push(suffix);
            let from = PathBuf::from(from);
            if from.exists() {
                std::fs::create_dir_all(&trash).map_err(io_err(&trash))?;
                let mut to = dest.as_os_str().to_owned();
                to.push(suffix);
                std::fs::rename(&from, PathBuf::from(to)).map_err(io_err(&from))?;
                if suffix.is_empty() {
                    moved = Some(dest.clone());
                }
            }
        }
        self.index.profiles.retain(|p| p.slug != info.slug);
        if self.index.last_used.as_deref() == Some(info.slug.as_str()) {
            self.index.last_used = None;
        }
        self.save()?;
        Ok(moved)
    }

    /// Opens a profile's database: checks it (a damaged one is moved aside and the error
    /// names the newest backup), brings its schema up to date, makes today's backup if there
    /// is none (keeping the newest 7). Opening does not change the last used profile: call
    /// [`Profiles::switch`] when the learner picks one.
    pub fn open(&self, name_or_slug: &str, today: NaiveDate) -> Result<Store, ProfileError> {
        let info = self.get(name_or_slug)?;
        let backup_dir = self.backup_dir(&info.slug);
        let store = Store::open_with(
            &self.db_path(&info.slug),
            &OpenOptions {
                backup_dir: Some(backup_dir.clone()),
                profile: Some(info.slug.clone()),
                skip_check: false,
            },
        )?;
        backup::daily_backup(&store, &backup_dir, today, KEEP_BACKUPS)?;
        Ok(store)
    }

    /// [`Profiles::open`] without its slow parts, for a window that wants its first frame
    /// now: the whole-file check and the daily backup are left to [`upkeep`], which the caller
    /// runs next on another thread with [`Profiles::upkeep_job`]'s paths.
    pub fn open_deferred(&self, name_or_slug: &str) -> Result<Store, ProfileError> {
        let info = self.get(name_or_slug)?;
        Ok(Store::open_with(
            &self.db_path(&info.slug),
            &OpenOptions {
                backup_dir: Some(self.backup_dir(&info.slug)),
                profile: Some(info.slug.clone()),
                skip_check: true,
            },
        )?)
    }

    /// What [`upkeep`] needs for a profile: its database and its backup folder.
    pub fn upkeep_job(&self, name_or_slug: &str) -> Result<(PathBuf, PathBuf), ProfileError> {
        let info = self.get(name_or_slug)?;
        Ok((self.db_path(&info.slug), self.backup_dir(&info.slug)))
    }

    /// The profile to start with: `requested` if given (by slug or name), else the last used
    /// one, else the first one, else a new profile called "Default" (which becomes the last
    /// used one).
    pub fn choose(&mut self, requested: Option<&str>) -> Result<ProfileInfo, ProfileError> {
        if let Some(name) = requested {
            return self.get(name);
        }
        if let Some(info) = self.last_used().or_else(|| self.index.profiles.first()) {
            return Ok(info.clone());
        }
        let info = self.create(DEFAULT_PROFILE_NAME)?;
        self.switch(&info.slug)
    }

    /// Replaces a profile's database with one of its backups (the current file, if any, is
    /// moved aside). The profile's store must not be open.
    pub fn restore_backup(&self, name_or_slug: &str, backup: &Path) -> Result<(), ProfileError> {
        let info = self.get(name_or_slug)?;
        backup::restore_backup(&self.db_path(&info.slug), backup)?;
        Ok(())
    }
}

/// The parts of opening a profile that read the whole database, on their own connection: the
/// whole-file check (a damaged file is moved aside, as [`Profiles::open`] does, and the error
/// names the newest backup), then today's backup if there is none yet.
pub fn upkeep(db: &Path, backup_dir: &Path, today: NaiveDate) -> Result<(), ProfileError> {
    let mut options = OpenOptions {
        backup_dir: Some(backup_dir.to_path_buf()),
        profile: None,
        skip_check: true,
    };
    let store = Store::open_with(db, &options)?;
    // Damage shows as problems listed, or as the check itself failing on a page it cannot read.
    let damage = match store.quick_check_unmapped() {
        Ok(found) => (found != "ok").then(|| format!("quick_check: {found}")),
        Err(e) if e.sqlite_failure() == Some(super::SqliteFailure::Damaged) => {
            Some(format!("quick_check: {e}"))
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(detail) = damage {
        // Opening with the check moves the damaged file aside and names the newest backup.
        drop(store);
        options.skip_check = false;
        Store::open_with(db, &options)?;
        return Err(ProfileError::Store(StoreError::BadData {
            path: db.to_path_buf(),
            detail,
        }));
    }
    backup::daily_backup(&store, backup_dir, today, KEEP_BACKUPS)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_file_safe() {
        assert_eq!(slugify("Ana María"), "ana-mar-a");
        assert_eq!(slugify("  Bob  "), "bob");
        assert_eq!(slugify("../../etc"), "etc");
        assert_eq!(slugify("日本"), "profile");
        assert_eq!(slugify(""), "profile");
        assert!(slugify(&"x".repeat(100)).len() <= 40);
    }
}
