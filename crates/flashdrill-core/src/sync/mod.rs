//! Sync of one learner's progress, decks and settings between their computers through any
//! shared folder (Syncthing, Dropbox, Nextcloud, a USB stick), with no account and no server.
//! The layout and the merge rules are in `docs/sync.md`; in short:
//!
//! - `<folder>/flashdrill/<profile>/<device id>/` is written by that device only:
//!   `device.json`, immutable review segments `reviews-<first>-<last>-<crc>.fdsync` (append
//!   only) and `items.fdsync` (rewritten atomically). Every `.fdsync` file has a header with its
//!   length and CRC ([`mod@format`]): a half-copied file is skipped until it is whole.
//! - Reviews merge as a set union by id; undo of a review already written out is a retraction.
//!   Every card whose history changed is rebuilt by FSRS replay of the union, in time order.
//! - Settings, cards' suspended/buried flags and user decks are last-writer-wins items under a
//!   hybrid logical clock; a deck edited on two computers keeps the loser as a copy deck.
//!
//! [`sync`] runs one sync of an open profile's [`Store`] and says what it did in a
//! [`SyncReport`]. Each step is committed on its own and can run again, so a sync killed at
//! any point loses nothing and the next one completes it.

mod folder;
pub mod format;
mod items;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::settings::Settings;
use crate::store::StoreError;
use crate::store::export::ImportError;
use crate::store::{Staged, Store};
use format::{ItemsBody, ReadError, SegmentBody};

/// Reviews per segment file: a first sync of a long history writes several files.
const SEGMENT_REVIEWS: usize = 100_000;

/// Reviews merged in one batch: the segments of a device are joined until they hold about
/// this many (few, larger transactions for many small segments). A first export is written
/// card by card, so each batch holds whole histories of its cards.
const MERGE_REVIEWS: usize = 100_000;

/// Reviews replayed in one import of a batch, whole cards each (see
/// `Store::sync_merge_segment`). The reviews themselves are held back and written at the end
/// of the merge, in id order ([`Staged`]), so this bounds only the memory of a replay:
/// 50,000 keeps a first sync of a million at about +100–110 MB (100,000: about +15 MB more),
/// no slower.
const PART_REVIEWS: usize = 50_000;

/// The settings kept per computer, never synced: how the window looks.
pub const LOCAL_SETTINGS: &[&str] = &["zoom", "theme"];

/// What to sync and how this computer calls itself.
#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    /// The shared folder (it must exist; flashdrill makes `flashdrill/` inside it).
    pub folder: PathBuf,
    /// The folder of the learner's own decks (`deck::user_deck_dir`); `None`: decks are not
    /// synced this time (and nothing about them is changed).
    pub deck_dir: Option<PathBuf>,
    /// This computer's name as other computers show it ("school laptop").
    pub device_name: String,
    /// The profile's directory name in the folder (the profile's slug: the same profile name
    /// on two computers syncs together); default: the slug of the store's profile name.
    pub profile_dir: Option<String>,
    /// Deck ids this computer has (bundled and the learner's): reviews of other decks are
    /// kept and reported by name. `None`: not checked.
    pub known_decks: Option<HashSet<String>>,
    /// The profile's display name here ("Ana"). A rename syncs like a setting: the report's
    /// [`SyncReport::profile_renamed`] says when the caller should rename the profile to the
    /// later name. `None`: the name is not synced this time.
    pub profile_name: Option<String>,
}

/// What came in from one other computer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceIn {
    pub device_id: String,
    pub name: String,
    pub reviews: usize,
    pub retractions: usize,
    pub items: usize,
}

/// A deck edited on two computers between syncs: `winner_title` is the version kept under the
/// deck's id, the other was kept as the deck `copy_id` titled `copy_title`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub deck_id: String,
    pub copy_id: String,
    pub copy_title: String,
}

/// A file or directory in the folder that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// This computer's device id.
    pub device_id: String,
    /// Per other computer, what came in from it (computers with nothing new are listed too).
    pub incoming: Vec<DeviceIn>,
    /// Reviews and retractions written out.
    pub reviews_out: usize,
    pub retractions_out: usize,
    /// Items changed here since the last sync, written out.
    pub items_out: usize,
    /// Cards whose state changed by replay.
    pub cards_rebuilt: usize,
    pub conflicts: Vec<Conflict>,
    pub skipped: Vec<Skipped>,
    /// Conflict copies made by the sync tool, read and removed.
    pub cleaned: Vec<PathBuf>,
    /// Decks the reviews that came in are of, which this computer does not have.
    pub missing_decks: Vec<String>,
    /// The learner's deck files were written or removed: load the decks again.
    pub decks_changed: bool,
    /// Problems writing this computer's files (the folder not writable): what came in was
    /// still merged; nothing went out.
    pub write_problems: Vec<String>,
    /// The profile was renamed on another computer later than here: its name now (the caller
    /// renames the profile; see [`SyncOptions::profile_name`]).
    pub profile_renamed: Option<String>,
}

impl SyncReport {
    /// Reviews that came in, from every computer.
    #[must_use]
    pub fn reviews_in(&self) -> usize {
        self.incoming.iter().map(|d| d.reviews).sum()
    }

    /// The report as lines for people ("in: 12 reviews from school laptop").
    #[must_use]
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for d in &self.incoming {
            let mut line = format!("in: {} reviews from {}", d.reviews, d.name);
            if d.retractions > 0 {
                let _ = write!(line, ", {} taken back", d.retractions);
            }
            if d.items > 0 {
                let _ = write!(line, ", {} settings, flags or decks changed", d.items);
            }
            out.push(line);
        }
        let mut line = format!("out: {} reviews", self.reviews_out);
        if self.retractions_out > 0 {
            let _ = write!(line, ", {} taken back", self.retractions_out);
        }
        let _ = write!(
            line,
            ", {} settings, flags or decks changed",
            self.items_out
        );
        out.push(line);
        if self.cards_rebuilt > 0 {
            out.push(format!(
                "cards rescheduled from the whole history, as every computer schedules them: {}",
                self.cards_rebuilt
            ));
        }
        for c in &self.conflicts {
            out.push(format!(
                "conflict: deck \"{}\" was changed on two computers; the later version is kept, the other as the deck \"{}\" ({})",
                c.deck_id, c.copy_title, c.copy_id
            ));
        }
        if let Some(name) = &self.profile_renamed {
            out.push(format!(
                "the profile was renamed \"{name}\" on another computer; it is renamed here too"
            ));
        }
        for d in &self.missing_decks {
            out.push(format!(
                "reviews came in for the deck \"{d}\", which this computer does not have; they are kept"
            ));
        }
        for s in &self.skipped {
            out.push(format!("skipped {}: {}", s.path.display(), s.reason));
        }
        for p in &self.cleaned {
            out.push(format!(
                "read and removed the sync tool's conflict copy {}",
                p.display()
            ));
        }
        for w in &self.write_problems {
            out.push(format!("could not write: {w}"));
        }
        out
    }
}

/// Why a sync could not run at all. Problems with single files are in the report instead.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(
        "the sync folder {} does not exist (is the drive connected?); choose the folder again or create it",
        .0.display()
    )]
    NoFolder(PathBuf),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Merge(#[from] ImportError),
}

/// A file of another device found in the folder.
struct Found {
    device: String,
    path: PathBuf,
    /// `device/name` in `sync_consumed`; `None` for a sync tool's conflict copy.
    consumed_key: Option<String>,
}

/// Syncs the profile open in `store` through `options.folder` (see the module docs).
pub fn sync(store: &mut Store, options: &SyncOptions) -> Result<SyncReport, SyncError> {
    sync_sized(store, options, SIZES)
}

/// How many reviews at most go in one segment file, at least in one merge batch, and about
/// in one import of a batch.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    segment: usize,
    merge: usize,
    part: usize,
}

const SIZES: Sizes = Sizes {
    segment: SEGMENT_REVIEWS,
    merge: MERGE_REVIEWS,
    part: PART_REVIEWS,
};

/// [`sync`] with segments and merge batches of `sizes` (small in tests: many of them).
fn sync_sized(
    store: &mut Store,
    options: &SyncOptions,
    sizes: Sizes,
) -> Result<SyncReport, SyncError> {
    if !options.folder.is_dir() {
        return Err(SyncError::NoFolder(options.folder.clone()));
    }
    let device = store.sync_device(&options.device_name)?;
    let mut report = SyncReport {
        device_id: device.clone(),
        ..SyncReport::default()
    };
    let profile_dir = options
        .profile_dir
        .clone()
        .unwrap_or_else(|| crate::store::profiles::slugify(store.profile()));
    let root = options.folder.join("flashdrill").join(&profile_dir);
    let own = root.join(&device);
    let writable = match std::fs::create_dir_all(&own) {
        Ok(()) => true,
        Err(e) => {
            report
                .write_problems
                .push(format!("{}: {e}", own.display()));
            false
        }
    };

    // 1. What the other devices wrote.
    let consumed = store.sync_consumed_all()?;
    let scan = folder::scan(&root, &device, &mut report.skipped);
    let mut names: HashMap<String, String> = HashMap::new();
    names.insert(device.clone(), options.device_name.clone());
    let mut segments: Vec<Found> = Vec::new();
    let mut items_files: Vec<Found> = Vec::new();
    let mut copies: Vec<PathBuf> = Vec::new();
    for dev in &scan {
        names.insert(dev.id.clone(), dev.name.clone());
        if dev.id != device {
            report.incoming.push(DeviceIn {
                device_id: dev.id.clone(),
                name: dev.name.clone(),
                ..DeviceIn::default()
            });
        }
        for (file, conflict_copy) in &dev.files {
            let name = crate::file_name(file);
            let key = format!("{}/{}", dev.id, folder::canonical_name(&name));
            let found = Found {
                device: dev.id.clone(),
                path: file.clone(),
                consumed_key: (!conflict_copy).then(|| key.clone()),
            };
            if *conflict_copy {
                copies.push(file.clone());
            } else if dev.id == device {
                continue;
            }
            if name.starts_with("reviews-") {
                if found
                    .consumed_key
                    .as_ref()
                    .is_some_and(|k| consumed.contains_key(k))
                {
                    continue;
                }
                segments.push(found);
            } else if name.starts_with("items") {
                items_files.push(found);
            }
        }
    }

    // 2. Items: local changes stamped, the others' merged, winners put in place.
    let mut read_ok: HashSet<PathBuf> = HashSet::new();
    let mut bodies: Vec<(String, ItemsBody)> = Vec::new();
    let mut items_consumed: Vec<(String, String)> = Vec::new();
    for f in &items_files {
        let bytes = match std::fs::read(&f.path) {
            Ok(b) => b,
            Err(e) => {
                skip(&mut report, &f.path, &ReadError::Incomplete(e.to_string()));
                continue;
            }
        };
        let mark = format::header_mark(&bytes).unwrap_or_default();
        if let Some(key) = &f.consumed_key
            && consumed.get(key) == Some(&mark)
        {
            continue;
        }
        match format::decode::<ItemsBody>(&bytes) {
            Ok(body) if body.device != f.device => {
                skip_spoofed(&mut report, &f.path, &body.device, &f.device);
            }
            Ok(body) => {
                if let Some(key) = &f.consumed_key {
                    items_consumed.push((key.clone(), mark));
                }
                read_ok.insert(f.path.clone());
                bodies.push((f.device.clone(), body));
            }
            Err(e) => skip(&mut report, &f.path, &e),
        }
    }
    // (Reset cards are replayed with the settings before the merge; when the merge changes
    //  the settings, step 3 rebuilds every card.)
    let merged = items::merge(
        store,
        &device,
        &names,
        options.deck_dir.as_deref(),
        &bodies,
        &items_consumed,
        (
            &replay_settings(&store.load_settings()?),
            options.profile_name.as_deref(),
        ),
    )?;
    report.profile_renamed = merged.profile_renamed;
    report.items_out = merged.local_changes;
    report.conflicts = merged.conflicts;
    report.decks_changed = merged.decks_changed;
    report.write_problems.extend(merged.problems);
    for (dev, n) in &merged.incoming {
        if let Some(d) = report.incoming.iter_mut().find(|d| &d.device_id == dev) {
            d.items += n;
        }
    }

    // 3. This device's own changes since its last export, rebuilt with the merged settings
    //    (every card when the settings that schedule changed).
    let settings = replay_settings(&store.load_settings()?);
    let fingerprint = fingerprint(store, &settings)?;
    let all = store.sync_state("rebuilt_with")?.as_deref() != Some(fingerprint.as_str());
    report.cards_rebuilt += store.sync_rebuild_own(&settings, all, &fingerprint)?;

    // 4. Out: this device's new reviews and retractions.
    if writable && let Err(e) = write_segments(store, &own, &device, sizes.segment, &mut report) {
        report.write_problems.push(e);
    }

    // 5. In: the other devices' segments, oldest first, a device's segments merged together
    //    up to MERGE_REVIEWS reviews at a time (each card replayed once per batch), each batch
    //    recorded as read with its reviews.
    segments.sort_by(|a, b| (&a.device, &a.path).cmp(&(&b.device, &b.path)));
    // The decks that came in with the items count as this computer's.
    let known_decks = match &options.known_decks {
        Some(known) if !segments.is_empty() => {
            let mut known = known.clone();
            known.extend(
                store
                    .sync_items()?
                    .into_values()
                    .filter(|i| i.value.is_some())
                    .filter_map(|i| i.key.strip_prefix("deck:").map(str::to_owned)),
            );
            Some(known)
        }
        _ => None,
    };
    let known_decks = known_decks.as_ref();
    let mut missing: BTreeSet<String> = BTreeSet::new();
    let mut batch = Batch::default();
    // The merged reviews are held back and written in id order at the end (see Staged).
    let mut staged = Staged::default();
    let mut merging = Merging {
        settings: &settings,
        part: sizes.part,
        report: &mut report,
        read_ok: &mut read_ok,
        staged: &mut staged,
    };
    // The files are read and decoded on a second thread, one ahead of the merge.
    std::thread::scope(|scope| -> Result<(), SyncError> {
        let (send, receive) = std::sync::mpsc::sync_channel(0);
        let segments = &segments;
        scope.spawn(move || {
            for f in segments {
                if send.send((f, read_segment(f))).is_err() {
                    return;
                }
            }
        });
        for (f, read) in receive {
            if batch.device.as_deref().is_some_and(|d| d != f.device) {
                batch.merge(store, &mut merging)?;
            }
            let (body, mark) = match read {
                Ok((body, _)) if body.device != f.device => {
                    skip_spoofed(merging.report, &f.path, &body.device, &f.device);
                    continue;
                }
                Ok(read) => read,
                Err(e) => {
                    skip(merging.report, &f.path, &e);
                    continue;
                }
            };
            if let Some(known) = known_decks {
                for (deck, _) in &body.cards {
                    if !known.contains(deck) {
                        missing.insert(deck.clone());
                    }
                }
            }
            batch.add(f, body, mark);
            if batch.body.reviews.len() >= sizes.merge {
                batch.merge(store, &mut merging)?;
            }
        }
        Ok(())
    })?;
    batch.merge(store, &mut merging)?;
    store.sync_merge_finish(&mut staged)?;

    report.missing_decks = missing.into_iter().collect();

    // 6. This device's items and device file.
    if writable {
        if let Err(e) = folder::write_device(&own, &device, &options.device_name) {
            report.write_problems.push(e);
        }
        match format::encode(&ItemsBody {
            format: format::FORMAT.to_owned(),
            device: device.clone(),
            items: store.sync_items()?.into_values().collect(),
        }) {
            Ok(bytes) => {
                let path = own.join(folder::ITEMS_FILE);
                if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice())
                    && let Err(e) = folder::write_atomically(&path, &bytes)
                {
                    report.write_problems.push(e);
                }
            }
            Err(e) => report.write_problems.push(e.to_string()),
        }
    }

    // 7. The sync tool's conflict copies that were read are removed.
    for path in copies {
        if read_ok.contains(&path) && std::fs::remove_file(&path).is_ok() {
            report.cleaned.push(path);
        }
    }
    Ok(report)
}

/// What merging a batch needs, and what it adds to.
struct Merging<'a> {
    settings: &'a Settings,
    /// Reviews per import (see [`PART_REVIEWS`]).
    part: usize,
    report: &'a mut SyncReport,
    /// Files merged (a conflict copy among them is removed at the end).
    read_ok: &'a mut HashSet<PathBuf>,
    staged: &'a mut Staged,
}

/// Segments of one device read and joined, waiting to be merged together.
#[derive(Default)]
struct Batch {
    device: Option<String>,
    body: SegmentBody,
    /// `(deck, card)` → index in `body.cards`.
    cards: HashMap<(String, String), u32>,
    consumed: Vec<(String, String)>,
    paths: Vec<PathBuf>,
}

impl Batch {
    fn add(&mut self, f: &Found, body: SegmentBody, mark: String) {
        self.device = Some(f.device.clone());
        let map: Vec<u32> = body
            .cards
            .into_iter()
            .map(|card| {
                let next = u32::try_from(self.body.cards.len()).unwrap_or(u32::MAX);
                *self.cards.entry(card.clone()).or_insert_with(|| {
                    self.body.cards.push(card);
                    next
                })
            })
            .collect();
        let mut reviews = body.reviews;
        reviews.retain_mut(|r| {
            map.get(r.1 as usize).is_some_and(|&c| {
                r.1 = c;
                true
            })
        });
        // The first file's reviews are taken as they are (not copied).
        if self.body.reviews.is_empty() {
            self.body.reviews = reviews;
        } else {
            self.body.reviews.append(&mut reviews);
        }
        self.body.retractions.extend(body.retractions);
        if let Some(key) = &f.consumed_key {
            self.consumed.push((key.clone(), mark));
        }
        self.paths.push(f.path.clone());
    }

    /// Merges what was joined and starts afresh.
    fn merge(&mut self, store: &mut Store, cx: &mut Merging<'_>) -> Result<(), SyncError> {
        let Some(device) = self.device.take() else {
            return Ok(());
        };
        let batch = std::mem::take(self);
        let done = store.sync_merge_segment(
            &batch.body,
            cx.settings,
            (&batch.consumed, cx.part),
            cx.staged,
        )?;
        cx.read_ok.extend(batch.paths);
        let report = &mut *cx.report;
        report.cards_rebuilt += done.cards_rebuilt;
        if let Some(d) = report.incoming.iter_mut().find(|d| d.device_id == device) {
            d.reviews += done.reviews;
            d.retractions += done.retractions;
        }
        Ok(())
    }
}

/// A segment file read and decoded, with its header's mark.
fn read_segment(f: &Found) -> Result<(SegmentBody, String), ReadError> {
    let bytes = std::fs::read(&f.path).map_err(|e| ReadError::Incomplete(e.to_string()))?;
    let body = format::decode::<SegmentBody>(&bytes)?;
    Ok((body, format::header_mark(&bytes).unwrap_or_default()))
}

fn skip(report: &mut SyncReport, path: &Path, why: &ReadError) {
    report.skipped.push(Skipped {
        path: path.to_path_buf(),
        reason: why.to_string(),
    });
}

fn skip_spoofed(report: &mut SyncReport, path: &Path, claims: &str, dir: &str) {
    report.skipped.push(Skipped {
        path: path.to_path_buf(),
        reason: format!(
            "it says it was written by device {claims}, but it is in the directory of device {dir}; it is not read"
        ),
    });
}

/// The settings sync replays with: the profile's, without load balancing (which depends on
/// every other card's due date just then, so two computers would place the same answer on
/// different days; see docs/sync.md).
fn replay_settings(settings: &Settings) -> Settings {
    let mut s = settings.clone();
    s.load_balance = false;
    s
}

/// What the cards' states depend on besides their histories: when it changes, sync rebuilds
/// every card.
fn fingerprint(store: &Store, settings: &Settings) -> Result<String, StoreError> {
    let rules = crate::plan::ScheduleRules::new(settings, store.deck_options()?);
    let text = format!(
        "{:?}|{}|{:?}",
        settings.scheduler_config(),
        settings.leech_threshold,
        rules
    );
    Ok(format!("{:08x}", crc32fast::hash(text.as_bytes())))
}

/// Writes this device's new reviews and retractions as segments (see [`SEGMENT_REVIEWS`]),
/// each recorded as written once its file is in place: the whole log card by card the first
/// time, then the outbox.
fn write_segments(
    store: &mut Store,
    own: &Path,
    device: &str,
    segment: usize,
    report: &mut SyncReport,
) -> Result<(), String> {
    let e = |e: StoreError| e.to_string();
    let mut first = if store.sync_state("first_done").map_err(e)?.is_none() {
        Some(store.sync_first_export().map_err(e)?)
    } else {
        None
    };
    loop {
        let out = store.sync_outgoing(first, segment).map_err(e)?;
        let last_chunk = out.reviews.len() < segment;
        let retractions = if last_chunk && first.is_none() {
            store.sync_unsent_retractions().map_err(e)?
        } else {
            Vec::new()
        };
        if !out.reviews.is_empty() || !retractions.is_empty() {
            let ids = out
                .reviews
                .iter()
                .map(|r| r.0)
                .chain(retractions.iter().copied());
            let (lo, hi) = ids.fold((i64::MAX, i64::MIN), |(lo, hi), id| {
                (lo.min(id), hi.max(id))
            });
            let body = SegmentBody {
                format: format::FORMAT.to_owned(),
                device: device.to_owned(),
                cards: out.cards,
                reviews: out.reviews,
                retractions,
            };
            let bytes = format::encode(&body).map_err(|e| e.to_string())?;
            let mark = format::header_mark(&bytes).unwrap_or_default();
            let crc = mark.rsplit(':').next().unwrap_or_default();
            let path = own.join(format!("reviews-{lo:019}-{hi:019}-{crc}.fdsync"));
            folder::write_atomically(&path, &bytes)?;
            let cursor = first.and(out.last);
            store
                .sync_written(cursor, &body.reviews, &body.retractions)
                .map_err(e)?;
            report.reviews_out += body.reviews.len();
            report.retractions_out += body.retractions.len();
            if let (Some((_, max)), Some(last)) = (first, out.last) {
                first = Some((last, max));
            }
        }
        if last_chunk {
            match first {
                // The first export is done: then what the outbox gathered meanwhile.
                Some((_, max)) => {
                    store.sync_finish_first(max).map_err(e)?;
                    first = None;
                }
                None => break,
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::Rating;
    use crate::store::Mode;
    use crate::store::export::{ExportedReview, PROGRESS_FORMAT, ProgressFile};
    use chrono::{TimeDelta, TimeZone, Utc};

    fn options(folder: &Path, name: &str) -> SyncOptions {
        SyncOptions {
            folder: folder.to_path_buf(),
            deck_dir: None,
            device_name: name.to_owned(),
            profile_dir: Some("ana".to_owned()),
            known_decks: None,
            profile_name: None,
        }
    }

    /// Cards `cards`, each answered `n` times an hour apart, from `start` (hours).
    fn history(cards: std::ops::Range<usize>, n: usize, start: i64) -> ProgressFile {
        let t0 = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
        let ratings = [
            Rating::Good,
            Rating::Again,
            Rating::Good,
            Rating::Hard,
            Rating::Easy,
        ];
        let mut reviews = Vec::new();
        for c in cards {
            for i in 0..n {
                let hours = start + i64::try_from(i * 30 + c).unwrap();
                reviews.push(ExportedReview {
                    id: 0,
                    deck: "d".to_owned(),
                    card: format!("c{c}"),
                    at: t0 + TimeDelta::hours(hours),
                    rating: ratings[(c + i) % ratings.len()],
                    mode: if i == 2 { Mode::Practice } else { Mode::Srs },
                    answer: (i == 1).then(|| format!("answer {c}")),
                    correct: (i == 2).then_some(true),
                    response_ms: 1000 + u64::try_from(c).unwrap(),
                });
            }
        }
        ProgressFile {
            format: PROGRESS_FORMAT.to_owned(),
            reviews,
            cards: Vec::new(),
        }
    }

    fn everything(store: &Store) -> String {
        let mut file = store.export_progress().unwrap();
        file.reviews.sort_by_key(|r| r.id);
        file.cards
            .sort_by(|a, b| (&a.deck, &a.card).cmp(&(&b.deck, &b.card)));
        serde_json::to_string_pretty(&file).unwrap()
    }

    /// Held back and written at the end, reviews merged in many small batches (cards whose
    /// histories run across files and batches, a second computer with some of the same cards,
    /// a review taken back in a later file), or in one batch imported in small parts, end
    /// exactly as merged in one batch.
    #[test]
    fn many_small_batches_end_as_one_large_one() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("shared");
        std::fs::create_dir(&folder).unwrap();
        let open = |name: &str| Store::open(&dir.path().join(format!("{name}.sqlite3"))).unwrap();
        let small = Sizes {
            segment: 4,
            merge: 1,
            part: 1,
        };
        let settings = Settings::default();
        let (mut home, mut laptop) = (open("home"), open("laptop"));
        home.import_progress(&history(0..5, 6, 0), &settings)
            .unwrap();
        laptop
            .import_progress(&history(3..8, 5, 7), &settings)
            .unwrap();
        sync_sized(&mut home, &options(&folder, "home"), small).unwrap();
        sync_sized(&mut laptop, &options(&folder, "laptop"), small).unwrap();
        // Home takes its latest answer back after the files went out.
        let latest = home
            .export_progress()
            .unwrap()
            .reviews
            .iter()
            .map(|r| r.id)
            .max()
            .unwrap();
        home.undo_answer(latest).unwrap();
        let out = sync_sized(&mut home, &options(&folder, "home"), small).unwrap();
        assert_eq!(out.retractions_out, 1);
        assert!(
            std::fs::read_dir(folder.join("flashdrill/ana"))
                .unwrap()
                .count()
                >= 2
        );

        let mut one = open("one");
        sync(&mut one, &options(&folder, "one")).unwrap();
        let mut many = open("many");
        sync_sized(&mut many, &options(&folder, "many"), small).unwrap();
        // 5 cards × 6 from home, less one taken back; 5 × 5 from the laptop.
        assert_eq!(many.review_count().unwrap(), 29 + 25);
        assert_eq!(everything(&many), everything(&one));
        assert!(many.integrity_check().unwrap() == "ok");
        // All files joined in one batch, imported in parts of a few reviews (whole cards).
        let mut parts = open("parts");
        let joined = Sizes {
            segment: 4,
            merge: 1000,
            part: 7,
        };
        sync_sized(&mut parts, &options(&folder, "parts"), joined).unwrap();
        assert_eq!(everything(&parts), everything(&one));
        // Everything read is recorded as read: the next sync brings nothing.
        let again = sync_sized(&mut many, &options(&folder, "many"), small).unwrap();
        assert_eq!(again.reviews_in(), 0);
        assert_eq!(everything(&many), everything(&one));
    }
}
