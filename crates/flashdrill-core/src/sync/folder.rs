//! The sync folder on disk: device directories, `device.json`, the sync tools' conflict copies,
//! and atomic writes.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::Skipped;
use super::format::{self, DeviceFile};

/// The items file's name in a device directory.
pub const ITEMS_FILE: &str = "items.fdsync";
const DEVICE_FILE: &str = "device.json";
const EXTENSION: &str = ".fdsync";

/// One device directory that can be read.
pub struct DeviceDir {
    pub id: String,
    pub name: String,
    /// Its sync files, each with whether it is a sync tool's conflict copy.
    pub files: Vec<(PathBuf, bool)>,
}

/// Whether `name` is a conflict copy a sync tool made: Syncthing's
/// `NAME.sync-conflict-DATE-TIME-DEVICE.ext`, Dropbox's and Nextcloud's
/// `NAME (… conflicted copy …).ext`.
#[must_use]
pub fn is_conflict_copy(name: &str) -> bool {
    name.contains(".sync-conflict-") || name.contains("conflicted copy")
}

/// The file name a conflict copy is a copy of (`name` itself for other files).
#[must_use]
pub fn canonical_name(name: &str) -> String {
    if let Some(i) = name.find(".sync-conflict-") {
        let ext = name
            .rfind('.')
            .filter(|&e| e > i)
            .map_or("", |e| &name[e..]);
        return format!("{}{ext}", &name[..i]);
    }
    if let Some(i) = name.find(" (")
        && name[i..].contains("conflicted copy")
    {
        let ext = name
            .rfind('.')
            .filter(|&e| e > i)
            .map_or("", |e| &name[e..]);
        return format!("{}{ext}", &name[..i]);
    }
    name.to_owned()
}

/// The device directories under `root` (the profile's directory in the folder), each checked
/// against its `device.json`; problems go to `skipped`. This device's own directory is listed
/// too (for the conflict copies a sync tool may leave in it).
pub fn scan(root: &Path, me: &str, skipped: &mut Vec<Skipped>) -> Vec<DeviceDir> {
    let Ok(entries) = fs::read_dir(root) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .filter(|p| !crate::file_name(p).starts_with('.'))
        .collect();
    dirs.sort();
    let mut out = Vec::new();
    for dir in dirs {
        let id = crate::file_name(&dir);
        let device_file = dir.join(DEVICE_FILE);
        let claimed = match fs::read(&device_file) {
            Err(_) if id == me => None,
            Err(_) => {
                skipped.push(Skipped {
                    path: dir.clone(),
                    reason: "it has no device.json yet (the sync tool may still be copying it); it is read at the next sync".to_owned(),
                });
                continue;
            }
            Ok(bytes) => match serde_json::from_slice::<DeviceFile>(&bytes) {
                Ok(d) => Some(d),
                Err(e) => {
                    skipped.push(Skipped {
                        path: device_file,
                        reason: format!(
                            "it does not read ({e}): the sync tool may still be copying it; it is read at the next sync"
                        ),
                    });
                    continue;
                }
            },
        };
        let name = match claimed {
            Some(d) if d.format != format::FORMAT => {
                skipped.push(Skipped {
                    path: device_file,
                    reason: format!(
                        "written by a newer flashdrill (format {}, this one reads {}); update flashdrill on this computer",
                        d.format,
                        format::FORMAT
                    ),
                });
                continue;
            }
            Some(d) if d.device != id => {
                skipped.push(Skipped {
                    path: dir.clone(),
                    reason: format!(
                        "its device.json says it belongs to device {}, not {id} as the directory is named; it is not read (was the directory copied by hand? remove it)",
                        d.device
                    ),
                });
                continue;
            }
            Some(d) => d.name,
            None => String::new(),
        };
        let mut files: Vec<(PathBuf, bool)> = fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter_map(|p| {
                        let n = crate::file_name(&p);
                        (!n.starts_with('.') && n.ends_with(EXTENSION))
                            .then(|| (p, is_conflict_copy(&n)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        out.push(DeviceDir { id, name, files });
    }
    out
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, synced, then
/// renamed over `path`. Readers see the old file or the new one, never part of one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        crate::file_name(path),
        std::process::id()
    ));
    let written = fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = written.and_then(|()| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(format!("{}: {e}", path.display()));
    }
    Ok(())
}

/// Writes this device's `device.json` when it is missing or says something else.
pub fn write_device(own: &Path, id: &str, name: &str) -> Result<(), String> {
    let file = DeviceFile {
        format: format::FORMAT.to_owned(),
        device: id.to_owned(),
        name: name.to_owned(),
    };
    let mut text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
    text.push('\n');
    let path = own.join(DEVICE_FILE);
    if fs::read(&path).ok().as_deref() == Some(text.as_bytes()) {
        return Ok(());
    }
    write_atomically(&path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflict_copies_are_told_apart_and_named_after_their_file() {
        for (name, of) in [
            (
                "items.sync-conflict-20260101-120000-ABCDEFG.fdsync",
                "items.fdsync",
            ),
            (
                "items (Ann's conflicted copy 2026-01-01).fdsync",
                "items.fdsync",
            ),
            (
                "reviews-1-2-ab.sync-conflict-20260101-120000-XYZ.fdsync",
                "reviews-1-2-ab.fdsync",
            ),
        ] {
            assert!(is_conflict_copy(name), "{name}");
            assert_eq!(canonical_name(name), of);
        }
        assert!(!is_conflict_copy("items.fdsync"));
        assert_eq!(canonical_name("items.fdsync"), "items.fdsync");
    }
}
