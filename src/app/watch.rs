//! Watching the deck folder: a thread looks at the folder's listing (names, sizes, times of
//! change; no file is read) every couple of seconds and wakes the window when it changed, so a
//! deck file added, fixed or removed outside flashdrill shows without a restart. A frame never
//! waits on the disk for it.

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
        std::thread::spawn(move || {
            let mut last = deck::folder_stamp(&dir);
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

impl Drop for DeckWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
