//! Statistics: today's numbers and streaks, reviews and time per day, the 30-day forecast,
//! true retention by week, mastery by category and a year's calendar heatmap — for the open
//! profile or another learner's, one deck or all — and the report export.
//!
//! The numbers are computed as a job reading its own connection to the profile's database
//! (off the UI thread in the app), and so is the report.

mod charts;
mod exam;
mod format;
pub mod selftests;
mod view;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Local;

pub use view::{DayRange, EMPTY_TEXT, StatsAction, StatsState, StatsView};

use crate::jobs::{self, Job};
use crate::ui::commands::Command;
use crate::ui::messages;
use crate::ui::notice::Notice;
use crate::ui::view::{AppCommand, AppContext, Screen, View};
use flashdrill_core::collection::{Changes, Connector};
use flashdrill_core::deck::Library;
use flashdrill_core::stats::report::{self, ReportError, ReportFormat};
use flashdrill_core::stats::{Filter, Stats, StatsError};

/// The statistics screen: its widget state, the numbers, and the work in flight.
#[derive(Default)]
pub struct StatsScreen {
    ui: StatsState,
    /// The deck filter the exams' readiness was computed for.
    exams_for: ExamsFor,
    stats: Option<Stats>,
    error: Option<String>,
    job: Option<Job<Result<Stats, String>>>,
    /// The numbers were computed while the decks were still loading.
    partial: bool,
    /// A file dialog for the report is open.
    dialog: Option<(Job<Option<PathBuf>>, ReportFormat)>,
    /// A report being written: what to say when it is done.
    export: Option<Job<Notice>>,
    /// The outcome of the last export.
    notice: Option<Notice>,
    /// The self-tests section's data.
    self_tests: selftests::Section,
}

/// Where a computation reads from: the database of the profile the filter picked, and its name.
struct Source {
    connector: Connector,
    name: String,
}

impl StatsScreen {
    pub fn set_notice(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    /// The profile the filter picked: the open one unless another is chosen.
    fn source(&self, cx: &AppContext<'_>) -> Option<Source> {
        let profiles = cx.profiles?;
        let own = cx.col().connector();
        if let Some(slug) = self.ui.profile.as_deref() {
            return profiles.find(slug).map(|info| {
                let path = profiles.db_path(&info.slug);
                let connector = match own {
                    // The window's own profile: its whole file is checked by the upkeep.
                    Some(own) if own.path() == path => own,
                    _ => Connector::other_profile(&path),
                };
                Source {
                    connector,
                    name: info.name.clone(),
                }
            });
        }
        Some(Source {
            connector: own?,
            name: cx.profile.map_or_else(String::new, |p| p.name.clone()),
        })
    }

    /// Computes the statistics for the screen's filters, as a job.
    fn start(&mut self, cx: &AppContext<'_>) {
        let Some(source) = self.source(cx) else {
            self.error = Some("No profile is open: there are no statistics to show.".to_owned());
            return;
        };
        let filter = Filter {
            deck: self.ui.deck.clone(),
            mode: None,
        };
        self.error = None;
        self.partial = cx.loading.is_some();
        self.self_tests
            .start(&source.connector, self.ui.deck.clone(), cx.jobs);
        let library = Arc::clone(cx.library());
        self.job = Some(cx.jobs.spawn(move || {
            source
                .connector
                .open()
                .map_err(StatsError::from)
                .and_then(|store| {
                    flashdrill_core::stats::load(&store, &library, filter, &Local::now())
                })
                .map_err(|err| stats_message("The statistics could not be computed", &err))
        }));
        self.poll();
    }

    /// Takes in finished statistics, dialogs and exports.
    fn poll(&mut self) {
        self.self_tests.poll();
        match jobs::finished(&mut self.job) {
            Some(Ok(Ok(stats))) => self.stats = Some(stats),
            Some(Ok(Err(err))) => self.error = Some(err),
            Some(Err(jobs::Lost)) => {
                self.error = Some("Computing the statistics stopped unexpectedly".to_owned());
            }
            None => {}
        }
        match jobs::finished(&mut self.export) {
            Some(Ok(notice)) => self.notice = Some(notice),
            Some(Err(jobs::Lost)) => {
                self.notice = Some(Notice::error(
                    "Writing the report stopped unexpectedly: try again.",
                ));
            }
            None => {}
        }
    }

    fn poll_dialog(&mut self, cx: &AppContext<'_>) {
        let Some((job, format)) = self.dialog.as_mut() else {
            return;
        };
        let format = *format;
        match job.poll() {
            None => {}
            Some(picked) => {
                self.dialog = None;
                if let Ok(Some(path)) = picked {
                    self.ui.report_path = path.display().to_string();
                    self.export(&path, format, cx);
                }
            }
        }
    }

    fn handle(&mut self, action: StatsAction, cx: &mut AppContext<'_>) {
        match action {
            StatsAction::DeckChanged(_) | StatsAction::ProfileChanged(_) => {
                self.stats = None;
                self.notice = None;
                self.start(cx);
            }
            StatsAction::Refresh => self.start(cx),
            StatsAction::GoToDecks => cx.send(AppCommand::GoTo(Screen::Home)),
            StatsAction::ExportDialog(format) => {
                let name = self
                    .source(cx)
                    .map_or_else(|| "progress".to_owned(), |s| s.name);
                let file = format!("{name} report.{}", format.extension());
                let job = cx.choose_file(
                    crate::ui::file_ask::FileAsk::save("Export report", file)
                        .filter(format.label(), &[format.extension()]),
                );
                self.dialog = Some((job, format));
                self.poll_dialog(cx);
            }
            StatsAction::ExportTo(path, format) => self.export(&path, format, cx),
        }
    }

    /// Builds the report for the screen's filters and writes it to `path`, as a job.
    fn export(&mut self, path: &Path, format: ReportFormat, cx: &AppContext<'_>) {
        let Some(source) = self.source(cx) else {
            self.notice = Some(Notice::error("No profile is open."));
            return;
        };
        let library = Arc::clone(cx.library());
        let deck = self.ui.deck.clone();
        let path = path.to_path_buf();
        self.export = Some(
            cx.jobs
                .spawn(move || write_report(&source, &library, deck.as_deref(), format, &path)),
        );
        self.poll();
    }
}

impl View for StatsScreen {
    fn open(&mut self, cx: &mut AppContext<'_>) {
        self.stats = None;
        self.start(cx);
        self.exams_for = ExamsFor::Stale;
    }

    fn changed(&mut self, changes: Changes) {
        if changes.cards || changes.settings || changes.decks {
            self.exams_for = ExamsFor::Stale;
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut AppContext<'_>) {
        if self.exams_for != ExamsFor::Deck(self.ui.deck.clone()) {
            // The readiness of the open profile's exams (not another profile's).
            self.ui.exams = if self.ui.profile.is_none() {
                cx.col()
                    .readiness(self.ui.deck.as_deref(), chrono::Utc::now(), true)
                    .into_iter()
                    .map(|r| {
                        let title = cx
                            .library()
                            .deck(&r.deck_id)
                            .map_or_else(|| r.deck_id.clone(), |d| d.deck.title.clone());
                        (title, r)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            self.exams_for = ExamsFor::Deck(self.ui.deck.clone());
        }
        self.poll();
        self.poll_dialog(cx);
        if self.partial && cx.loading.is_none() && self.job.is_none() {
            self.start(cx);
        }
        let decks: Vec<(String, String)> = cx
            .library()
            .decks
            .iter()
            .map(|d| (d.deck.id.clone(), d.deck.title.clone()))
            .collect();
        let profiles = profile_choices(cx);
        let busy = self.export.is_some() || self.dialog.is_some();
        let view = StatsView {
            stats: self.stats.as_ref(),
            loading: self.job.is_some(),
            error: self.error.as_deref(),
            decks: &decks,
            profiles: &profiles,
            report_notice: self.notice.as_ref(),
            exporting: busy,
            self_tests: Some(&self.self_tests),
        };
        if let Some(action) = self.ui.show(ui, &view) {
            self.handle(action, cx);
        }
        if busy || self.job.is_some() || self.self_tests.busy() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    fn command(&mut self, command: Command, cx: &mut AppContext<'_>) {
        if command == Command::Back {
            cx.send(AppCommand::GoTo(Screen::Home));
        }
    }
}

/// What the exams' readiness on show was computed for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum ExamsFor {
    /// Nothing yet, or the cards changed since: to compute again.
    #[default]
    Stale,
    /// The deck filter (`None`: every deck).
    Deck(Option<String>),
}

/// Every profile's slug and name, the open one first.
fn profile_choices(cx: &AppContext<'_>) -> Vec<(String, String)> {
    let Some(profiles) = cx.profiles else {
        return Vec::new();
    };
    let open = cx.profile.map(|p| p.slug.as_str());
    let mut list: Vec<(String, String)> = profiles
        .list()
        .iter()
        .map(|p| (p.slug.clone(), p.name.clone()))
        .collect();
    list.sort_by_key(|(slug, _)| Some(slug.as_str()) != open);
    list
}

/// `doing` and why, from the statistics.
fn stats_message(doing: &str, err: &StatsError) -> String {
    match err {
        StatsError::Store(err) => messages::store(doing, err),
        StatsError::Schedule(err) => {
            format!("{doing}: {err}. Change the setting on the Settings screen.")
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
) -> Notice {
    let written = source
        .connector
        .open()
        .map_err(|err| ReportError::Stats(err.into()))
        .and_then(|store| {
            let report = report::load(&source.name, &store, library, deck, &Local::now())?;
            report::write_atomically(path, &format.render(&report))?;
            Ok(report.cards.len())
        });
    match written {
        Ok(cards) => Notice::success(format!(
            "Saved the report ({cards} cards, {}) to {}.",
            format.label(),
            path.display()
        )),
        Err(ReportError::Stats(err)) => {
            Notice::error(stats_message("The report was not saved", &err))
        }
        Err(err) => Notice::error(format!("The report was not saved: {err}")),
    }
}
