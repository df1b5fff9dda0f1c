//! The statistics screen in the app: computing the numbers for its filters (the open profile
//! or another learner's, one deck or all) off the UI thread, and exporting the report.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use chrono::Local;

use super::{FlashdrillApp, Screen};
use crate::deck::Library;
use crate::stats::report::{self, ReportError, ReportFormat};
use crate::stats::{Filter, Stats, StatsError};
use crate::store::Store;
use crate::ui::stats::{StatsAction, StatsState, StatsView};

/// The statistics screen: its widget state, the numbers, and the work in flight.
#[derive(Default)]
pub(super) struct StatsScreen {
    ui: StatsState,
    stats: Option<Stats>,
    error: Option<String>,
    job: Option<Receiver<Result<Stats, String>>>,
    /// The numbers were computed while the decks were still loading.
    partial: bool,
    /// A file dialog for the report is open.
    dialog: Option<(Receiver<Option<PathBuf>>, ReportFormat)>,
    /// A report being written: the message to show when it is done.
    export: Option<Receiver<(String, bool)>>,
    /// The outcome of the last export.
    notice: Option<(String, bool)>,
}

/// Where a computation reads from: the database of the profile the filter picked, and its name.
struct Source {
    path: PathBuf,
    name: String,
}

impl FlashdrillApp {
    /// Opens the statistics screen with fresh numbers.
    pub(super) fn open_stats(&mut self, ctx: &egui::Context) {
        self.screen = Screen::Stats;
        self.stats.stats = None;
        self.start_stats(ctx);
    }

    /// The profile the filter picked: the open one unless another is chosen.
    fn stats_source(&self) -> Option<Source> {
        let profiles = self.profiles.as_ref()?;
        if let Some(slug) = self.stats.ui.profile.as_deref() {
            return profiles.find(slug).map(|info| Source {
                path: profiles.db_path(&info.slug),
                name: info.name.clone(),
            });
        }
        let store = self.store.as_ref()?;
        Some(Source {
            path: store.path().to_path_buf(),
            name: self
                .profile
                .as_ref()
                .map_or_else(String::new, |p| p.name.clone()),
        })
    }

    /// Computes the statistics for the screen's filters: on a background thread reading its
    /// own connection to the profile's database (tests: at once).
    pub(super) fn start_stats(&mut self, ctx: &egui::Context) {
        let Some(source) = self.stats_source() else {
            self.stats.error =
                Some("No profile is open: there are no statistics to show.".to_owned());
            return;
        };
        let filter = Filter {
            deck: self.stats.ui.deck.clone(),
            mode: None,
        };
        self.stats.error = None;
        self.stats.partial = self.loading.is_some();
        let library = Arc::clone(&self.library);
        let compute = move || {
            Store::open(&source.path)
                .map_err(StatsError::from)
                .and_then(|store| crate::stats::load(&store, &library, filter, &Local::now()))
                .map_err(|err| err.to_string())
        };
        if !self.background_loading {
            self.stats.job = None;
            match compute() {
                Ok(stats) => self.stats.stats = Some(stats),
                Err(err) => self.stats.error = Some(err),
            }
            return;
        }
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let _ = tx.send(compute());
            ctx.request_repaint();
        });
        self.stats.job = Some(rx);
    }

    pub(super) fn stats_screen(&mut self, ui: &mut egui::Ui) {
        self.poll_stats();
        if self.stats.partial && self.loading.is_none() && self.stats.job.is_none() {
            self.start_stats(ui.ctx());
        }
        let decks: Vec<(String, String)> = self
            .library
            .decks
            .iter()
            .map(|d| (d.deck.id.clone(), d.deck.title.clone()))
            .collect();
        let profiles = self.profile_choices();
        let view = StatsView {
            stats: self.stats.stats.as_ref(),
            loading: self.stats.job.is_some(),
            error: self.stats.error.as_deref(),
            decks: &decks,
            profiles: &profiles,
            report_notice: self.stats.notice.as_ref().map(|(t, e)| (t.as_str(), *e)),
            exporting: self.stats.export.is_some() || self.stats.dialog.is_some(),
        };
        if let Some(action) = self.stats.ui.show(ui, &view) {
            self.handle_stats(action, ui.ctx());
        }
        if self.stats.export.is_some() || self.stats.dialog.is_some() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// Every profile's slug and name, the open one first.
    fn profile_choices(&self) -> Vec<(String, String)> {
        let Some(profiles) = self.profiles.as_ref() else {
            return Vec::new();
        };
        let open = self.profile.as_ref().map(|p| p.slug.as_str());
        let mut list: Vec<(String, String)> = profiles
            .list()
            .iter()
            .map(|p| (p.slug.clone(), p.name.clone()))
            .collect();
        list.sort_by_key(|(slug, _)| Some(slug.as_str()) != open);
        list
    }

    /// Takes in finished statistics, dialogs and exports.
    fn poll_stats(&mut self) {
        let s = &mut self.stats;
        if let Some(received) = s.job.as_ref().map(Receiver::try_recv) {
            match received {
                Ok(Ok(stats)) => {
                    s.stats = Some(stats);
                    s.job = None;
                }
                Ok(Err(err)) => {
                    s.error = Some(err);
                    s.job = None;
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    s.error = Some("Computing the statistics stopped unexpectedly".to_owned());
                    s.job = None;
                }
            }
        }
        if let Some(received) = s.export.as_ref().map(Receiver::try_recv) {
            match received {
                Ok(notice) => {
                    s.notice = Some(notice);
                    s.export = None;
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    s.notice = Some(("Writing the report stopped unexpectedly.".to_owned(), true));
                    s.export = None;
                }
            }
        }
        if let Some((rx, format)) = s.dialog.as_ref() {
            let format = *format;
            match rx.try_recv() {
                Ok(picked) => {
                    s.dialog = None;
                    if let Some(path) = picked {
                        s.ui.report_path = path.display().to_string();
                        self.export_report(&path, format);
                    }
                }
                Err(TryRecvError::Disconnected) => s.dialog = None,
                Err(TryRecvError::Empty) => {}
            }
        }
    }

    fn handle_stats(&mut self, action: StatsAction, ctx: &egui::Context) {
        match action {
            StatsAction::DeckChanged(_) | StatsAction::ProfileChanged(_) => {
                self.stats.stats = None;
                self.stats.notice = None;
                self.start_stats(ctx);
            }
            StatsAction::Refresh => self.start_stats(ctx),
            StatsAction::GoToDecks => {
                self.screen = Screen::Home;
                self.refresh_home();
            }
            StatsAction::ExportDialog(format) => {
                let name = self
                    .stats_source()
                    .map_or_else(|| "progress".to_owned(), |s| s.name);
                let file = format!("{name} report.{}", format.extension());
                let (tx, rx) = channel();
                std::thread::spawn(move || {
                    let picked = rfd::FileDialog::new()
                        .add_filter(format.label(), &[format.extension()])
                        .set_file_name(file)
                        .save_file();
                    let _ = tx.send(picked);
                });
                self.stats.dialog = Some((rx, format));
            }
            StatsAction::ExportTo(path, format) => self.export_report(&path, format),
        }
    }

    /// Builds the report for the screen's filters and writes it to `path`, off the UI thread
    /// (tests: at once).
    fn export_report(&mut self, path: &Path, format: ReportFormat) {
        let Some(source) = self.stats_source() else {
            self.stats.notice = Some(("No profile is open.".to_owned(), true));
            return;
        };
        let library = Arc::clone(&self.library);
        let deck = self.stats.ui.deck.clone();
        let path = path.to_path_buf();
        let job = move || write_report(&source, &library, deck.as_deref(), format, &path);
        if self.background_loading {
            let (tx, rx) = channel();
            std::thread::spawn(move || {
                let _ = tx.send(job());
            });
            self.stats.export = Some(rx);
        } else {
            self.stats.notice = Some(job());
        }
    }
}

/// Writes the report; says what was saved, or why not.
fn write_report(
    source: &Source,
    library: &Library,
    deck: Option<&str>,
    format: ReportFormat,
    path: &Path,
) -> (String, bool) {
    let written = Store::open(&source.path)
        .map_err(|err| ReportError::Stats(err.into()))
        .and_then(|store| {
            let report = report::load(&source.name, &store, library, deck, &Local::now())?;
            report::write_atomically(path, &format.render(&report))?;
            Ok(report.cards.len())
        });
    match written {
        Ok(cards) => (
            format!(
                "Saved the report ({cards} cards, {}) to {}.",
                format.label(),
                path.display()
            ),
            false,
        ),
        Err(err) => (format!("The report was not saved: {err}"), true),
    }
}
