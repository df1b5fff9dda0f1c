//! What the shell lends a screen for one frame ([`AppContext`]), the one list of things a
//! screen can ask the shell to do ([`AppCommand`]), and the trait every screen implements.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Local, Utc};

use super::Screen;
use crate::jobs::Jobs;
use crate::ui::commands::Command;
use crate::ui::notice::Notice;
use crate::ui::theme::Palette;
use flashdrill_core::deck::Library;
use flashdrill_core::quiz::SessionForm;
use flashdrill_core::session::CardKey;
use flashdrill_core::settings::Settings;
use flashdrill_core::store::profiles::{ProfileInfo, Profiles};
use flashdrill_core::store::{CardProgress, Mode, Store};

/// Everything that navigates or that the shell changes; screens send these, and the shell
/// carries them out in one place (`FlashdrillApp::handle`).
#[derive(Debug, Clone, PartialEq)]
pub enum AppCommand {
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
    /// Check a deck file and copy it into the deck folder.
    ImportDeck(PathBuf),
    /// Import files: flashdrill decks are checked and copied; Anki packages and text files
    /// are converted, with their review history, on the import screen.
    ImportFiles(Vec<PathBuf>),
    /// Ask for files to import.
    OpenDeckDialog,
    /// Load the deck folder again (after an import wrote decks into it).
    ReloadDecks,
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
}

/// What a screen may use while it draws or handles a key: lent by the shell for one call.
pub struct AppContext<'a> {
    pub(super) store: Option<&'a mut Store>,
    /// The open profile's settings.
    pub settings: &'a Settings,
    /// The loaded decks.
    pub library: &'a Arc<Library>,
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
    pub(super) generation: &'a mut u64,
    pub(super) commands: &'a mut Vec<AppCommand>,
}

impl AppContext<'_> {
    /// The open profile's database, to read.
    #[must_use]
    pub fn store(&self) -> Option<&Store> {
        self.store.as_deref()
    }

    /// The open profile's database, to write: every screen showing stored data refreshes.
    pub fn store_mut(&mut self) -> Option<&mut Store> {
        let store = self.store.as_deref_mut()?;
        *self.generation += 1;
        Some(store)
    }

    /// Counts changes to the store, the decks and the settings; a screen that showed data at
    /// an older generation reads it again.
    #[must_use]
    pub fn generation(&self) -> u64 {
        *self.generation
    }

    /// Asks the shell to do `command` once this frame's drawing is done.
    pub fn send(&mut self, command: AppCommand) {
        self.commands.push(command);
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
}

/// Whether a screen's data is as new as the store's: compares generations.
#[derive(Debug, Clone, Copy, Default)]
pub struct Freshness {
    seen: Option<u64>,
}

impl Freshness {
    /// True (once) when the data changed since the last call: the caller reads it again.
    pub fn stale(&mut self, generation: u64) -> bool {
        let stale = self.seen != Some(generation);
        self.seen = Some(generation);
        stale
    }

    /// The screen's own change is already on show: no need to read it again.
    pub fn saw(&mut self, generation: u64) {
        self.seen = Some(generation);
    }

    /// Read again next time, whatever the generation.
    pub fn invalidate(&mut self) {
        self.seen = None;
    }
}

impl super::Screens {
    /// Lets every screen but `shown` take in its finished background work ([`View::background`]).
    pub(super) fn background(&mut self, shown: super::Screen, cx: &mut AppContext<'_>) {
        use strum::IntoEnumIterator;
        for screen in super::Screen::iter().filter(|&s| s != shown) {
            self.get(screen).background(cx);
        }
    }
}
