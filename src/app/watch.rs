//! Watching the deck folder: a thread looks at the folder's listing (names, sizes, times of
//! change; no file is read) every couple of seconds and wakes the window when it changed, so a
//! deck file added, fixed or removed outside flashdrill shows without a restart. Only the first
//! listing, when watching starts, is taken on the frame; the others never hold one up.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use flashdrill_core::deck;

/// How often the folder is looked at.
pub const EVERY: Duration = Duration::from_secs(2);

/// The watching thread's flags; the thread stops when this is dropped.
pub struct DeckWatch {
    changed: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
}

impl DeckWatch {
    /// Starts watching `dir` (it may not exist yet), waking `ctx` on a change.
    #[must_use]
    pub fn start(dir: PathBuf, ctx: egui::Context, every: Duration) -> Self {
        let changed = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen, stopped) = (Arc::clone(&changed), Arc::clone(&stop));
        // The folder as the decks on show were loaded from, taken here (a listing, once): taken
        // on the thread, a file saved before the thread first ran would never count as a change.
        let mut last = deck::folder_stamp(&dir);
        std::thread::spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                std::thread::sleep(every);
                let now = deck::folder_stamp(&dir);
                if now != last {
                    last = now;
                    seen.store(true, Ordering::Relaxed);
                    ctx.request_repaint();
                }
            }
        });
        Self { changed, stop }
    }

    /// Whether the folder changed since the last call.
    pub fn take_change(&self) -> bool {
        self.changed.swap(false, Ordering::Relaxed)
    }
}

/// The app's side of the watch: started with the first frame (when watching is on), it says
/// when to load the decks again, and whether that load is under way (the decks on show stay,
/// with no progress bar, until the new ones are in).
#[derive(Default)]
pub struct DeckFolder {
    watch: Option<DeckWatch>,
    /// How often the folder is looked at; `None`: not watched (tests, unless they ask).
    every: Option<Duration>,
    /// The folder changed while the decks were loading: load them again after.
    stale: bool,
    /// A load because the folder changed is under way.
    reloading: bool,
}

impl DeckFolder {
    /// Looks at the folder every `every` once started.
    #[must_use]
    pub fn every(every: Duration) -> Self {
        Self {
            every: Some(every),
            ..Self::default()
        }
    }

    /// Whether to load the decks again now (the folder `dir` changed and no load is under
    /// way); starts watching it the first time.
    pub fn reload_now(
        &mut self,
        dir: &std::path::Path,
        ctx: &egui::Context,
        loading: bool,
    ) -> bool {
        let Some(every) = self.every else {
            return false;
        };
        let watch = self
            .watch
            .get_or_insert_with(|| DeckWatch::start(dir.to_path_buf(), ctx.clone(), every));
        if watch.take_change() {
            self.stale = true;
        }
        if self.stale && !loading {
            self.stale = false;
            self.reloading = true;
            return true;
        }
        false
    }

    /// Whether the load under way is one because the folder changed.
    #[must_use]
    pub fn reloading(&self) -> bool {
        self.reloading
    }

    /// The decks are loaded.
    pub fn loaded(&mut self) {
        self.reloading = false;
    }
}

impl Drop for DeckWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
