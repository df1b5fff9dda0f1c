//! What every screen shares with the shell, below both: the [`Screen`] names, the one list of
//! things a screen can ask the shell to do ([`AppCommand`]), what the shell lends a screen for
//! one frame ([`AppContext`]) and the trait every screen implements ([`View`]).

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Local, Utc};

pub use crate::ui::screen::Screen;

use crate::jobs::{Job, Jobs};
use crate::ui::commands::Command;
use crate::ui::file_ask::{FileAsk, FileAsker};
use crate::ui::notice::Notice;
use crate::ui::theme::Palette;
use flashdrill_core::collection::{Changes, Collection, CollectionError, OpOutput};
use flashdrill_core::deck::Library;
use flashdrill_core::quiz::SessionForm;
use flashdrill_core::session::CardKey;
use flashdrill_core::settings::Settings;
use flashdrill_core::store::profiles::{ProfileInfo, Profiles};
use flashdrill_core::store::{CardProgress, Mode, Store};

/// Everything that navigates or that the shell changes; screens send these, and the shell
/// carries them out in one place (`FlashdrillApp::handle`, one `match` without a wildcard).
#[derive(Debug, Clone, PartialEq)]
pub enum AppCommand {
    /// Serve a spaced warm-up of `minutes` for the class called `class`, on the projector.
    StartWarmup {
        class: String,
        minutes: u64,
    },
    /// The warm-up screen was closed: back to the classes.
    WarmupClosed,
    /// The class drill's live game, set up to be played by the class called this.
    PlayClassGame(String),
    /// A live game played by the class called `class` was closed: log each student's answers
    /// under their name (`drill` answers in their own log) and say so on the drill screen.
    LogClassGame {
        class: String,
        /// Makes the answers' ids (one game's answers are logged once).
        game_id: String,
        rows: Vec<flashdrill_live::engine::ResultRow>,
        entries: Vec<flashdrill_core::drill::LogEntry>,
        at: DateTime<Utc>,
    },
    /// Sync the profile through its sync folder now (in the background).
    SyncNow,
    /// Sync through this folder from now on (`None`: stop syncing), and sync at once.
    SetSyncFolder(Option<std::path::PathBuf>),
    /// Open one of the screens, with fresh data.
    GoTo(Screen),
    /// Start a study or practice session over `queue` on the study screen; leaving it goes to
    /// `return_to`. `form: None` asks in the form chosen on the home screen.
    StartSession {
        queue: Vec<(CardKey, CardProgress)>,
        mode: Mode,
        form: Option<SessionForm>,
        return_to: Screen,
    },
    /// The session has no card left: show its summary.
    ShowSummary,
    /// An answer was undone on the summary: back to the study screen.
    ResumeSession,
    /// End the session (its answers are saved) and go back where it was started.
    LeaveSession,
    /// Change one profile setting ("zoom", "1.2"); a rejected value shows on the settings screen.
    SetSetting {
        key: String,
        value: String,
    },
    /// Take back the collection's newest operation ("Undo Suspend 40 cards").
    Undo,
    /// Check a deck file and copy it into the deck folder.
    ImportDeck(PathBuf),
    /// Import files: flashdrill decks are checked and copied; Anki packages and text files
    /// are converted, with their review history, on the import screen.
    ImportFiles(Vec<PathBuf>),
    /// Ask for files to import.
    OpenDeckDialog,
    /// An import wrote decks into the deck folder and progress through its own connection:
    /// load the decks and read everything again.
    Imported,
    SwitchProfile(String),
    CreateProfile(String),
    RenameProfile(String),
    DeleteProfile(String),
    /// Replace the damaged profile database with this backup and open it.
    RestoreBackup(PathBuf),
    /// Open the profile again with empty progress (its damaged file stays moved aside).
    StartAfresh,
    /// Show a notice on a screen.
    Notify(Screen, Notice),
    /// Leave full screen (drill mode's projector view).
    LeaveFullscreen,
    /// Open a loaded deck (by id) in the deck editor; a bundled one read-only.
    EditDeck(String),
    /// Open a deck file in the deck editor, even one with problems (a draft).
    EditDeckFile(PathBuf),
    /// The deck editor's start page: a new deck, empty or from an article.
    NewDeck {
        from_article: bool,
    },
    /// The deck editor saved this deck file: load it again.
    DeckSaved(PathBuf),
    /// Leave the deck editor for this screen, whatever is unsaved (the user chose).
    LeaveEditor(Screen),
    /// "Test yourself" on a deck (by id): the self-test screen's setup.
    StartSelfTest(String),
    /// Copy a deck (by id, a bundled one too) into the deck folder; undoable.
    DuplicateDeck(String),
    /// Settings, at a deck's exam date and retention (by id).
    PlanDeck(String),
}

/// What a screen may use while it draws or handles a key: lent by the shell for one call.
/// The collection is lent to read; a screen changes it only through [`AppContext::apply`],
/// one operation at a time, and what changed reaches every screen ([`View::changed`]).
pub struct AppContext<'a> {
    /// What only the shell builds and only this module touches: the collection (read through
    /// [`AppContext::col`], changed through [`AppContext::apply`]), what changed, and the
    /// commands sent.
    pub(crate) lent: Lent<'a>,
    pub profiles: Option<&'a Profiles>,
    /// The open profile (or the one that could not be opened).
    pub profile: Option<&'a ProfileInfo>,
    /// The wall clock for this frame.
    pub now: DateTime<Utc>,
    /// egui's input time (seconds), for timers and response times.
    pub time: f64,
    /// Shuffles practice and drill questions.
    pub seed: u64,
    pub jobs: &'a Jobs,
    /// Deck files loaded so far and in all, while the deck folder loads.
    pub loading: Option<(usize, usize)>,
    pub palette: Palette,
    /// The background sync: under way, and what the last one did.
    pub sync: &'a crate::app::sync::SyncStatus,
}

/// The writable part of an [`AppContext`]; its fields are private to this module, so a screen
/// can change the collection only through [`AppContext::apply`].
pub struct Lent<'a> {
    col: &'a mut Collection,
    /// What this frame's operations changed, for the shell to tell every screen.
    changes: &'a mut Changes,
    /// Commands sent and not yet carried out.
    commands: &'a mut Vec<AppCommand>,
    /// The file questions under way.
    files: &'a mut FileAsker,
}

impl<'a> Lent<'a> {
    /// The shell lends its collection, its change set and its command queue.
    #[must_use]
    pub fn new(
        col: &'a mut Collection,
        changes: &'a mut Changes,
        commands: &'a mut Vec<AppCommand>,
        files: &'a mut FileAsker,
    ) -> Self {
        Self {
            col,
            changes,
            commands,
            files,
        }
    }
}

impl AppContext<'_> {
    /// The open profile's collection, to read.
    #[must_use]
    pub fn col(&self) -> &Collection {
        self.lent.col
    }

    /// The open profile's database, to read.
    #[must_use]
    pub fn store(&self) -> Option<&Store> {
        self.lent.col.store()
    }

    /// The open profile's settings.
    #[must_use]
    pub fn settings(&self) -> &Settings {
        self.lent.col.settings()
    }

    /// The loaded decks.
    #[must_use]
    pub fn library(&self) -> &Arc<Library> {
        self.lent.col.library()
    }

    /// Runs one operation on the collection; what it changed reaches every screen once this
    /// call's drawing is done.
    pub fn apply<T>(
        &mut self,
        op: impl FnOnce(&mut Collection) -> Result<OpOutput<T>, CollectionError>,
    ) -> Result<T, CollectionError> {
        let out = op(self.lent.col)?;
        *self.lent.changes |= out.changes;
        Ok(out.output)
    }

    /// Data changed outside the collection's operations (a warm-up's answers, committed on
    /// its own connection): the screens that show data of a kind in `changes` read it again
    /// once this frame's drawing is done.
    pub fn changed(&mut self, changes: Changes) {
        *self.lent.changes |= changes;
    }

    /// Asks the shell to do `command` once this frame's drawing is done.
    pub fn send(&mut self, command: AppCommand) {
        self.lent.commands.push(command);
    }

    /// Asks the user for one file (the system's chooser, or a typed path when it cannot
    /// open); the job gives the path, or `None` when none was chosen.
    pub fn choose_file(&mut self, ask: FileAsk) -> Job<Option<std::path::PathBuf>> {
        self.lent.files.choose_file(self.jobs, ask)
    }

    /// Asks the user for files, as [`AppContext::choose_file`] does.
    pub fn choose_files(&mut self, ask: FileAsk) -> Job<Option<Vec<std::path::PathBuf>>> {
        self.lent.files.choose_files(self.jobs, ask)
    }

    /// The local time now, for study days.
    #[must_use]
    pub fn now_local(&self) -> DateTime<Local> {
        self.now.with_timezone(&Local)
    }
}

/// A screen: owns its state, its data and its notice, and draws itself.
pub trait View {
    /// The screen is being opened (from the top bar, a button or a key): fetch what it shows.
    fn open(&mut self, cx: &mut AppContext<'_>) {
        let _ = cx;
    }

    /// Draws the screen into the central panel.
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut AppContext<'_>);

    /// A key command from the command table, while this screen is on show.
    fn command(&mut self, command: Command, cx: &mut AppContext<'_>) {
        let _ = (command, cx);
    }

    /// Every frame while another screen is on show: takes in background work the screen
    /// started, so its result is applied when it is ready, not when the screen is next opened.
    fn background(&mut self, cx: &mut AppContext<'_>) {
        let _ = cx;
    }

    /// An operation changed the collection (on this screen or another): a screen that keeps
    /// data of a kind in `changes` reads it again.
    fn changed(&mut self, changes: Changes) {
        let _ = changes;
    }
}
