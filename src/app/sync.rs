//! Syncing the open profile through its sync folder, in the background: when the profile
//! opens, after each study session, every five minutes while the window is open, when asked
//! (Settings → "Sync now") and once more when the window closes. The sync runs on its own
//! thread with its own connection to the profile's database; a frame never waits for it.
//! What it did is kept for Settings to show.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, Local};
use flashdrill_core::deck;
use flashdrill_core::store::Store;
use flashdrill_core::sync::{SyncOptions, SyncReport};

use super::FlashdrillApp;
use crate::jobs::{self, Job};
use crate::ui::notice::Notice;

/// How often the open window syncs.
pub const EVERY: Duration = Duration::from_mins(5);

/// Why a sync ran (for what Settings says).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    Opened,
    Studied,
    Timer,
    Asked,
    Closing,
}

/// The outcome of the last sync, for Settings.
#[derive(Debug, Clone)]
pub struct LastSync {
    pub at: DateTime<Local>,
    pub folder: PathBuf,
    /// What it did, or why it could not run, in plain words.
    pub outcome: Result<SyncReport, String>,
}

/// The sync's state in the window: a sync under way, and the last one's outcome.
#[derive(Default)]
pub struct SyncStatus {
    job: Option<Job<Result<SyncReport, String>>>,
    /// The folder the running sync uses.
    running_folder: Option<PathBuf>,
    /// When the last sync started (the timer counts from there).
    started: Option<Instant>,
    /// A sync was asked for while one ran: run one more after it.
    again: Option<Why>,
    /// The profile's sync folder as last read.
    folder: Cached<Option<PathBuf>>,
    pub last: Option<LastSync>,
}

impl SyncStatus {
    /// Whether a sync is under way.
    #[must_use]
    pub fn running(&self) -> bool {
        self.job.is_some()
    }
}

/// A value read once and kept until it may have changed.
#[derive(Debug, Default)]
enum Cached<T> {
    #[default]
    Unread,
    Read(T),
}

/// This computer's name as the learner's other computers show it.
fn device_name() -> String {
    let name = gethostname::gethostname()
        .to_string_lossy()
        .trim()
        .to_owned();
    if name.is_empty() {
        "this computer".to_owned()
    } else {
        name
    }
}

impl FlashdrillApp {
    /// The profile's sync folder, if one is set (read once, then kept until it is changed).
    pub(super) fn sync_folder(&mut self) -> Option<PathBuf> {
        let s = &mut self.shared;
        if let Cached::Read(folder) = &s.sync.folder {
            return folder.clone();
        }
        let folder = s.col.store().and_then(|st| st.sync_folder().ok().flatten());
        s.sync.folder = Cached::Read(folder.clone());
        folder
    }

    /// Starts a sync on its own thread, if the profile has a sync folder and none is running
    /// (then one more runs after it).
    pub(super) fn start_sync(&mut self, why: Why) {
        let Some(folder) = self.sync_folder() else {
            return;
        };
        if self.shared.sync.running() {
            self.shared.sync.again = Some(why);
            return;
        }
        // The decks must be in: reviews of a deck not loaded yet would be called missing.
        if self.deck_load.is_some() {
            return;
        }
        let s = &self.shared;
        let (Some(profiles), Some(info)) = (s.profiles.as_ref(), s.profile.as_ref()) else {
            return;
        };
        let db = profiles.db_path(&info.slug);
        let options = SyncOptions {
            folder: folder.clone(),
            deck_dir: Some(deck::user_deck_dir(&s.data_dir)),
            device_name: device_name(),
            profile_dir: Some(info.slug.clone()),
            profile_name: Some(info.name.clone()),
            known_decks: Some(
                s.col
                    .library()
                    .deck_ids()
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            ),
        };
        let job = s.jobs.spawn(move || {
            let mut store = Store::open_another(&db).map_err(|e| e.to_string())?;
            flashdrill_core::sync::sync(&mut store, &options).map_err(|e| e.to_string())
        });
        let status = &mut self.shared.sync;
        status.running_folder = Some(folder);
        status.started = Some(Instant::now());
        status.job = Some(job);
    }

    /// Takes in a finished sync: the collection reads again what came in; Settings shows what
    /// happened; a conflict or a problem is said on the home screen too.
    pub(super) fn poll_sync(&mut self, ctx: &egui::Context) {
        // The first sync of a profile starts as soon as its decks are in (`started` is cleared
        // when a profile opens), then one every five minutes.
        let Some(done) = jobs::finished(&mut self.shared.sync.job) else {
            if self.shared.sync.running() {
                ctx.request_repaint_after(Duration::from_millis(200));
            } else if self.drawn && self.deck_load.is_none() && self.sync_folder().is_some() {
                match self.shared.sync.started.map(|t| t.elapsed()) {
                    Some(elapsed) if elapsed < EVERY => {
                        ctx.request_repaint_after(EVERY.saturating_sub(elapsed));
                    }
                    _ => self.start_sync(Why::Timer),
                }
            }
            return;
        };
        let outcome = done.unwrap_or_else(|jobs::Lost| {
            Err("the sync stopped unexpectedly; it runs again in five minutes".to_owned())
        });
        if let Ok(report) = &outcome {
            self.shared.changes |= self.shared.col.synced(report);
            if let Some(name) = &report.profile_renamed {
                self.rename_profile(name);
            }
            if !report.conflicts.is_empty() {
                let titles: Vec<&str> = report
                    .conflicts
                    .iter()
                    .map(|c| c.copy_title.as_str())
                    .collect();
                self.screens.home.set_notice(Notice::warning(format!(
                    "Sync: a deck was changed on two computers. The later version is kept; the \
                     other is kept as {}.",
                    titles.join(", ")
                )));
            }
        }
        self.shared.sync.last = Some(LastSync {
            at: Local::now(),
            folder: self.shared.sync.running_folder.take().unwrap_or_default(),
            outcome,
        });
        ctx.request_repaint();
        if let Some(why) = self.shared.sync.again.take() {
            self.start_sync(why);
        }
    }

    /// Syncs through `folder` from now on (at once), or stops syncing.
    pub(super) fn set_sync_folder(&mut self, folder: Option<&std::path::Path>) {
        self.shared.sync.folder = Cached::Unread;
        match self.shared.col.set_sync_folder(folder) {
            Ok(()) => {
                self.shared.sync.last = None;
                if folder.is_some() {
                    self.start_sync(Why::Asked);
                }
            }
            Err(err) => {
                self.shared.sync.last = Some(LastSync {
                    at: Local::now(),
                    folder: folder.map(std::path::Path::to_path_buf).unwrap_or_default(),
                    outcome: Err(format!("the sync folder could not be saved: {err}")),
                });
            }
        }
    }

    /// The window is closing: waits for a sync under way, then syncs once more on this
    /// thread, so what was studied last reaches the folder.
    pub fn sync_on_close(&mut self) {
        self.deck_load = None;
        if let Some(job) = self.shared.sync.job.take() {
            let _ = job.wait();
        }
        self.shared.sync.again = None;
        self.start_sync(Why::Closing);
        if let Some(job) = self.shared.sync.job.take() {
            let _ = job.wait();
        }
    }
}
