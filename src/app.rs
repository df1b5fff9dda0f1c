//! The eframe app shell: holds the profile, its database, the settings and the decks, lends
//! them to the screen on show ([`AppContext`]), and carries out every [`AppCommand`] the
//! screens send, in one place ([`FlashdrillApp::handle`]). Each screen (in `ui/`) owns its own
//! state, data and notice, and draws itself.

use std::path::PathBuf;

use chrono::Utc;

use crate::jobs::{self, Job, Jobs};
use crate::ui::browser::BrowserScreen;
use crate::ui::classes::ClassesScreen;
use crate::ui::commands::{self, Command};
use crate::ui::drill::DrillScreen;
use crate::ui::editor::EditorScreen;
use crate::ui::file_ask::{Chooser, FileAsker};
use crate::ui::home::HomeScreen;
use crate::ui::import::ImportScreen;
use crate::ui::notice::Notice;
use crate::ui::practice::PracticeScreen;
use crate::ui::recovery::RecoveryScreen;
use crate::ui::selftest::SelfTestScreen;
use crate::ui::settings::SettingsScreen;
use crate::ui::stats::StatsScreen;
use crate::ui::study::{StudyScreen, StudySession, session_message};
use crate::ui::summary::SummaryScreen;
use crate::ui::theme::{self, Palette};
use crate::ui::timeline::TimelineScreen;
use crate::ui::view::Lent;
use crate::ui::{self};
use flashdrill_core::collection::{Changes, Collection};
use flashdrill_core::deck::Library;
use flashdrill_core::drill::Drill;
use flashdrill_core::session::Session;
use flashdrill_core::settings::Theme;
use flashdrill_core::store::Store;
use flashdrill_core::store::profiles::{ProfileInfo, Profiles};

mod classroom;
mod editor;
mod import;
mod profile;
pub mod sync;
#[cfg(test)]
mod tests;
mod top_bar;
mod warmup;
mod watch;
mod window;

pub use crate::ui::view::{AppCommand, AppContext, Screen, View};
pub use window::run;

/// How the app starts.
#[derive(Debug, Clone)]
pub struct AppOptions {
    pub data_dir: PathBuf,
    /// The profile to open (name or slug); default: the last used.
    pub profile: Option<String>,
    /// How background work runs: on threads (the app) or at once (tests).
    pub jobs: Jobs,
}

/// Every screen, each owning its state.
#[derive(Default)]
struct Screens {
    home: HomeScreen,
    study: StudyScreen,
    summary: SummaryScreen,
    settings: SettingsScreen,
    stats: StatsScreen,
    browser: BrowserScreen,
    timeline: TimelineScreen,
    practice: PracticeScreen,
    recovery: RecoveryScreen,
    drill: DrillScreen,
    editor: EditorScreen,
    import: ImportScreen,
    selftest: SelfTestScreen,
    warmup: ui::warmup::WarmupScreen,
    classes: ClassesScreen,
}

impl Screens {
    fn get(&mut self, screen: Screen) -> &mut dyn View {
        match screen {
            Screen::Home => &mut self.home,
            Screen::Study => &mut self.study,
            Screen::Summary => &mut self.summary,
            Screen::Settings => &mut self.settings,
            Screen::Stats => &mut self.stats,
            Screen::Browse => &mut self.browser,
            Screen::Timeline => &mut self.timeline,
            Screen::Practice => &mut self.practice,
            Screen::Recovery => &mut self.recovery,
            Screen::Drill => &mut self.drill,
            Screen::Editor => &mut self.editor,
            Screen::Import => &mut self.import,
            Screen::SelfTest => &mut self.selftest,
            Screen::Warmup => &mut self.warmup,
            Screen::Classes => &mut self.classes,
        }
    }

    /// Lets every screen but `shown` take in its finished background work ([`View::background`]).
    fn background(&mut self, shown: Screen, cx: &mut AppContext<'_>) {
        use strum::IntoEnumIterator;
        for screen in Screen::iter().filter(|&s| s != shown) {
            self.get(screen).background(cx);
        }
    }

    /// Shows `notice` on `screen` (home when the screen shows no notices).
    fn notify(&mut self, screen: Screen, notice: Notice) {
        match screen {
            Screen::Practice => self.practice.set_notice(notice),
            Screen::Browse => self.browser.set_notice(notice),
            Screen::Timeline => self.timeline.set_notice(notice),
            Screen::Stats => self.stats.set_notice(notice),
            Screen::Drill => self.drill.set_notice(notice),
            Screen::Import => self.import.set_notice(notice),
            Screen::Summary => self.summary.set_notice(notice),
            Screen::Classes => self.classes.set_notice(notice),
            _ => self.home.set_notice(notice),
        }
    }
}

/// What the shell lends the screens.
struct Shared {
    data_dir: PathBuf,
    profiles: Option<Profiles>,
    profile: Option<ProfileInfo>,
    /// The open profile: its database, settings and decks, and the operations on them.
    col: Collection,
    /// What operations changed since the screens were last told.
    changes: Changes,
    jobs: Jobs,
    /// Shuffles practice and drill questions the same way every time (tests, screenshots).
    fixed_seed: Option<u64>,
    loading: Option<(usize, usize)>,
    palette: Palette,
    /// Commands sent and not yet carried out.
    pending: Vec<AppCommand>,
    /// The file questions under way, and the typed path when no chooser opens.
    files: FileAsker,
    /// The background sync and its last outcome.
    sync: sync::SyncStatus,
}

impl Shared {
    fn context(&mut self, time: f64) -> AppContext<'_> {
        let now = Utc::now();
        AppContext {
            lent: Lent::new(
                &mut self.col,
                &mut self.changes,
                &mut self.pending,
                &mut self.files,
            ),
            profiles: self.profiles.as_ref(),
            profile: self.profile.as_ref(),
            now,
            time,
            seed: self
                .fixed_seed
                .unwrap_or_else(|| now.timestamp_nanos_opt().unwrap_or_default() as u64),
            jobs: &self.jobs,
            loading: self.loading,
            palette: self.palette,
            sync: &self.sync,
        }
    }
}

pub struct FlashdrillApp {
    shared: Shared,
    screen: Screen,
    screens: Screens,
    /// Loading the deck folder.
    deck_load: Option<Job<Library>>,
    /// The open profile's whole-file check and daily backup (see `profiles::upkeep`), and its
    /// inputs until the first frame is on screen.
    upkeep: Option<Job<Result<(), flashdrill_core::store::profiles::ProfileError>>>,
    upkeep_waiting: Option<(PathBuf, PathBuf, chrono::NaiveDate)>,
    /// A profile written by an older flashdrill being brought up to date on a thread; it gives
    /// back the profile asked for, to open when it is done.
    profile_update: Option<Job<Option<String>>>,
    /// Whether a first frame was drawn: work it does not need starts after it.
    drawn: bool,
    /// A file dialog for files to import.
    open_dialog: Option<Job<Option<Vec<PathBuf>>>>,
    show_shortcuts: bool,
    applied_look: Option<(Theme, f32)>,
    /// egui's time in the frame under way.
    time: f64,
    /// What no installed font could show (see [`ui::fonts::install`]), told once a script.
    missing_fonts: Option<ui::fonts::MissingFonts>,
    /// Files to open (given on the command line, or handed over by a later start), waiting
    /// for the profile and the decks.
    pending_files: Vec<PathBuf>,
    /// Where later starts hand their files (see [`crate::instance`]).
    handed: Option<crate::instance::Handed>,
    /// The deck folder, watched for files added, fixed or removed outside flashdrill.
    deck_folder: watch::DeckFolder,
    /// Where live classes listen (`None`: every interface, for the classroom's network).
    live_bind: Option<std::net::IpAddr>,
}

impl FlashdrillApp {
    /// Opens the data directory and the profile; decks load from the first frame.
    #[must_use]
    pub fn new(options: AppOptions) -> Self {
        let AppOptions {
            data_dir,
            profile,
            jobs,
        } = options;
        let mut app = Self {
            shared: Shared {
                data_dir: data_dir.clone(),
                profiles: None,
                profile: None,
                col: Collection::default(),
                changes: Changes::NONE,
                jobs,
                fixed_seed: None,
                loading: None,
                palette: Palette::of(&egui::Visuals::dark()),
                pending: Vec::new(),
                files: FileAsker::default(),
                sync: sync::SyncStatus::default(),
            },
            screen: Screen::Home,
            screens: Screens::default(),
            deck_load: None,
            upkeep: None,
            upkeep_waiting: None,
            profile_update: None,
            drawn: false,
            open_dialog: None,
            show_shortcuts: false,
            applied_look: None,
            time: 0.0,
            missing_fonts: None,
            pending_files: Vec::new(),
            handed: None,
            deck_folder: watch::DeckFolder::default(),
            live_bind: None,
        };
        match Profiles::load(&data_dir) {
            Ok(profiles) => {
                app.shared.profiles = Some(profiles);
                app.open_profile(profile.as_deref());
            }
            Err(err) => app
                .screens
                .home
                .set_notice(Notice::error(ui::messages::profile(
                    "Your profiles could not be read",
                    &err,
                ))),
        }
        app
    }

    /// Makes practice and drill questions come in the same order every time, for tests and
    /// screenshots.
    pub fn fix_seed(&mut self, seed: u64) {
        self.shared.fixed_seed = Some(seed);
    }

    /// Replaces the system's file chooser (tests: one that cannot open, or that picks a file).
    pub fn set_file_chooser(&mut self, chooser: Chooser) {
        self.shared.files = FileAsker::new(chooser);
    }

    /// Watches the deck folder, looking at it every `every` (the window: every 2 s; tests that
    /// ask: more often). Without it, a file added outside flashdrill shows after a restart.
    pub fn watch_decks_every(&mut self, every: std::time::Duration) {
        self.deck_folder = watch::DeckFolder::every(every);
    }

    /// Loads the decks again when the deck folder changed (never while they load).
    fn watch_decks(&mut self, ctx: &egui::Context) {
        if !self.drawn {
            return;
        }
        let dir = flashdrill_core::deck::user_deck_dir(&self.shared.data_dir);
        if self
            .deck_folder
            .reload_now(&dir, ctx, self.deck_load.is_some())
        {
            self.load_decks();
        }
    }

    /// The screen on show (for tests and the window title).
    #[must_use]
    pub fn screen(&self) -> Screen {
        self.screen
    }

    /// The open profile's database (for tests).
    #[must_use]
    pub fn store(&self) -> Option<&Store> {
        self.shared.col.store()
    }

    /// The open profile's collection (for tests).
    #[must_use]
    pub fn collection(&self) -> &Collection {
        &self.shared.col
    }

    /// The self-test being taken (for tests).
    #[must_use]
    pub fn self_test(&self) -> Option<&flashdrill_core::selftest::SelfTest> {
        self.screens.selftest.test()
    }

    /// The self-test just finished (for tests).
    #[must_use]
    pub fn self_test_result(&self) -> Option<&flashdrill_core::selftest::TestResult> {
        self.screens.selftest.result()
    }

    /// The drill under way or on the podium (for tests).
    #[must_use]
    pub fn drill(&self) -> Option<&Drill> {
        self.screens.drill.drill()
    }

    // --- The live class (issue 15): for tests and screenshots. ---

    /// The live class game under way or on the podium (for tests: its address).
    #[must_use]
    /// The warm-up being served on the warm-up screen, if any.
    pub fn warmup(&self) -> Option<&flashdrill_live::LiveWarmup> {
        self.screens.warmup.warmup()
    }

    pub fn live_game(&self) -> Option<&flashdrill_live::LiveGame> {
        self.screens.drill.live_game()
    }

    /// Where live class games listen (tests: 127.0.0.1); by default every interface.
    pub fn set_live_bind(&mut self, ip: std::net::IpAddr) {
        self.screens.drill.set_live_bind(ip);
        self.live_bind = Some(ip);
    }

    /// Changes one profile setting, saving it; a rejected value is shown on the settings screen.
    pub fn set_setting(&mut self, key: &str, value: &str) {
        match self.shared.col.set_setting(key, value) {
            Ok(out) => {
                self.shared.changes |= out.changes;
                self.screens.settings.clear_error();
            }
            Err(err) => {
                let message = ui::messages::collection("The setting could not be saved", &err);
                self.screens.settings.set_error(key, message);
            }
        }
    }

    /// Takes back the collection's newest operation; says what on the screen on show.
    fn undo(&mut self) {
        let now = Utc::now();
        let session = match self.screen {
            Screen::Summary => self.screens.summary.session_mut(),
            _ => self.screens.study.session_mut(),
        };
        let notice = match self.shared.col.undo(session, now) {
            Ok(out) => {
                self.shared.changes |= out.changes;
                if out.output.in_session && self.screen == Screen::Summary {
                    self.shared.pending.push(AppCommand::ResumeSession);
                }
                Notice::success(format!("Undone: {}.", out.output.op))
            }
            Err(err) => Notice::error(ui::messages::collection("Could not undo", &err)),
        };
        self.screens.notify(self.screen, notice);
    }

    /// Carries out one command from a screen, the top bar or a key: one `match`, no wildcard,
    /// so a new command does not compile until it is handled.
    pub fn handle(&mut self, command: AppCommand, ctx: &egui::Context) {
        match command {
            AppCommand::GoTo(screen) => self.leave_to(screen),
            AppCommand::StartSession {
                queue,
                mode,
                form,
                return_to,
            } => {
                let form = form.unwrap_or_else(|| self.screens.home.form());
                let note = (mode == flashdrill_core::store::Mode::Srs)
                    .then(|| self.why_fewer_cards(&queue))
                    .flatten();
                let settings = self.shared.col.settings();
                let rules = self.shared.col.rules();
                match Session::from_settings(settings, mode, queue, Utc::now())
                    .map(|s| s.with_rules(rules))
                {
                    Ok(session) => {
                        self.screens.study.start(StudySession {
                            session,
                            form,
                            started: self.time,
                            return_to,
                            note,
                        });
                        self.screens.home.clear_notice();
                        self.screens.practice.clear_notice();
                        self.screen = Screen::Study;
                    }
                    Err(err) => {
                        let message = session_message("Could not start the session", &err);
                        self.screens.notify(return_to, Notice::error(message));
                    }
                }
            }
            AppCommand::ShowSummary => {
                if let Some(session) = self.screens.study.take() {
                    self.screens.summary.start(session);
                    self.screen = Screen::Summary;
                    self.start_sync(sync::Why::Studied);
                }
            }
            AppCommand::ResumeSession => {
                if let Some(session) = self.screens.summary.take() {
                    self.screens.study.start(session);
                    self.screen = Screen::Study;
                }
            }
            AppCommand::LeaveSession => {
                let back = self.end_session().unwrap_or(Screen::Home);
                self.go_to(back);
            }
            AppCommand::SetSetting { key, value } => self.set_setting(&key, &value),
            AppCommand::Undo => self.undo(),
            AppCommand::ImportDeck(path) => self.import_files(vec![path]),
            AppCommand::ImportFiles(paths) => self.import_files(paths),
            AppCommand::OpenDeckDialog => self.open_deck_dialog(),
            AppCommand::Imported => {
                self.shared.changes |= self.shared.col.imported();
                self.load_decks();
            }
            AppCommand::SwitchProfile(slug) => self.switch_profile(&slug),
            AppCommand::CreateProfile(name) => self.create_profile(&name),
            AppCommand::RenameProfile(name) => self.rename_profile(&name),
            AppCommand::DeleteProfile(slug) => self.delete_profile(&slug),
            AppCommand::RestoreBackup(backup) => self.restore_backup(&backup),
            AppCommand::StartAfresh => {
                let slug = self.shared.profile.as_ref().map(|p| p.slug.clone());
                self.open_profile(slug.as_deref());
            }
            AppCommand::Notify(screen, notice) => self.screens.notify(screen, notice),
            AppCommand::LeaveFullscreen => {
                if ctx.input(|i| i.viewport().fullscreen == Some(true)) {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
                }
            }
            AppCommand::LeaveEditor(screen) => self.go_to(screen),
            AppCommand::DeckSaved(path) => self.deck_saved(&path),
            AppCommand::NewDeck { from_article } => self.new_deck(from_article),
            AppCommand::EditDeck(id) => self.edit_deck(&id),
            AppCommand::EditDeckFile(path) => self.edit_deck_file(&path),
            AppCommand::StartSelfTest(deck_id) => {
                self.screens.selftest.set_deck(deck_id);
                self.leave_to(Screen::SelfTest);
            }
            AppCommand::DuplicateDeck(id) => self.duplicate_deck(&id),
            AppCommand::PlanDeck(id) => {
                self.screens.settings.plan_deck(id);
                self.leave_to(Screen::Settings);
            }
            AppCommand::StartWarmup { class, minutes } => self.start_warmup(&class, minutes),
            AppCommand::WarmupClosed => self.go_to(Screen::Classes),
            AppCommand::PlayClassGame(class) => {
                self.screens.drill.play_with_class(class);
                self.leave_to(Screen::Drill);
            }
            AppCommand::LogClassGame {
                class,
                game_id,
                rows,
                entries,
                at,
            } => self.log_class_game(&class, &game_id, &rows, &entries, at),
            AppCommand::SyncNow => self.start_sync(sync::Why::Asked),
            AppCommand::SetSyncFolder(folder) => self.set_sync_folder(folder.as_deref()),
        }
    }

    /// Why a study session over `queue` holds fewer cards than its decks have waiting: the
    /// daily limit on new cards, and siblings set aside for another day. `None` when it holds
    /// them all (or the numbers cannot be read).
    fn why_fewer_cards(
        &self,
        queue: &[(
            flashdrill_core::session::CardKey,
            flashdrill_core::store::CardProgress,
        )],
    ) -> Option<String> {
        let store = self.shared.col.store()?;
        let library = self.shared.col.library();
        let settings = self.shared.col.settings();
        let mut ids: Vec<&str> = queue.iter().map(|(k, _)| k.deck_id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        let decks: Vec<&flashdrill_core::deck::Deck> = ids
            .iter()
            .filter_map(|id| library.deck(id).map(|l| &l.deck))
            .collect();
        let waiting =
            flashdrill_core::session::waiting_today(store, &decks, settings, &chrono::Local::now())
                .ok()?;
        ui::study::why_fewer(&waiting, queue.len(), settings.new_per_day)
    }

    /// Ends the session on show (its answers are saved); where it was started from.
    fn end_session(&mut self) -> Option<Screen> {
        let study = self.screens.study.take();
        let summary = self.screens.summary.take();
        study.or(summary).map(|s| s.return_to)
    }

    /// Carries out the commands sent so far (and those they send).
    fn run_pending(&mut self, ctx: &egui::Context) {
        if !self.shared.pending.is_empty() {
            // What the commands change shows in the next frame.
            ctx.request_repaint();
        }
        while !self.shared.pending.is_empty() {
            let batch = std::mem::take(&mut self.shared.pending);
            for command in batch {
                self.handle(command, ctx);
            }
        }
    }

    /// Tells every screen what the operations of this frame changed; those that show the
    /// changed data read it again, in the next frame.
    fn tell_changes(&mut self, ctx: &egui::Context) {
        let changes = std::mem::take(&mut self.shared.changes);
        if changes.any() {
            use strum::IntoEnumIterator;
            for screen in Screen::iter() {
                self.screens.get(screen).changed(changes);
            }
            ctx.request_repaint();
        }
    }

    /// Takes in the loaded decks and a chosen deck file.
    fn poll_jobs(&mut self) {
        if let Some(job) = &self.deck_load
            && !self.deck_folder.reloading()
        {
            self.shared.loading = Some(job.progress());
        }
        match jobs::finished(&mut self.deck_load) {
            Some(Ok(library)) => {
                self.shared.changes |= self.shared.col.set_library(library);
                self.shared.loading = None;
                self.deck_folder.loaded();
            }
            Some(Err(jobs::Lost)) => {
                self.shared.loading = None;
                self.deck_folder.loaded();
                self.screens.home.set_notice(Notice::error(
                    "Loading decks stopped unexpectedly: restart flashdrill.",
                ));
            }
            None => {}
        }
        // After the first frame, which shows why the profile is not open yet.
        if self.drawn
            && let Some(done) = jobs::finished(&mut self.profile_update)
        {
            self.screens.home.clear_notice();
            // A lost thread gives back nothing: the last used profile opens.
            self.open_profile(done.ok().flatten().as_deref());
        }
        if let Some(Ok(Err(err))) = jobs::finished(&mut self.upkeep) {
            self.upkeep_failed(&err);
        }
        if let Some(Ok(Some(paths))) = jobs::finished(&mut self.open_dialog) {
            self.import_files(paths);
        }
    }

    fn apply_look(&mut self, ctx: &egui::Context) {
        let settings = self.shared.col.settings();
        let look = (settings.theme, settings.zoom);
        if self.applied_look == Some(look) {
            return;
        }
        if self.applied_look.is_none() {
            theme::install(ctx);
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
        }
        let settings = self.shared.col.settings();
        // High contrast is the dark style with its own visuals; the others get egui's dark
        // visuals back.
        let high_contrast = settings.theme == Theme::HighContrast;
        ctx.style_mut_of(egui::Theme::Dark, |style| {
            style.visuals = if high_contrast {
                theme::high_contrast_visuals()
            } else {
                egui::Visuals::dark()
            };
        });
        ctx.set_theme(match settings.theme {
            Theme::Light => egui::ThemePreference::Light,
            Theme::Dark | Theme::HighContrast => egui::ThemePreference::Dark,
            Theme::System => egui::ThemePreference::System,
        });
        ctx.set_zoom_factor(settings.zoom);
        self.applied_look = Some(look);
    }

    fn zoom(&mut self, command: Command) {
        let z = self.shared.col.settings().zoom;
        let next = match command {
            Command::ZoomIn => (z + 0.1).min(3.0),
            Command::ZoomOut => (z - 0.1).max(0.5),
            _ => 1.0,
        };
        self.set_setting("zoom", &format!("{next:.1}"));
    }

    /// This frame's keys: the app's own, then the screen's.
    fn handle_keys(&mut self, ctx: &egui::Context) {
        if self.shared.files.is_typing() {
            // The typed-path window takes Enter and Escape itself.
            return;
        }
        for command in commands::read_shortcuts(ctx, self.screen) {
            match command {
                Command::ZoomIn | Command::ZoomOut | Command::ZoomReset => self.zoom(command),
                Command::ToggleShortcuts => self.show_shortcuts = !self.show_shortcuts,
                Command::Back if self.show_shortcuts => self.show_shortcuts = false,
                _ => {
                    let mut cx = self.shared.context(self.time);
                    self.screens.get(self.screen).command(command, &mut cx);
                }
            }
            self.run_pending(ctx);
        }
    }

    /// Runs one frame: the part of `eframe::App::ui` that needs no `Frame` (tests call it).
    /// Opens `files` as soon as the profile and the decks are loaded: flashdrill decks are
    /// checked and copied in, everything else goes to the import screen (as a double-click on
    /// a file in the desktop, or `flashdrill FILE…`, asks).
    pub fn open_files(&mut self, files: Vec<PathBuf>) {
        self.pending_files.extend(files);
    }

    /// Takes the files later starts hand over (and comes to the front when they do).
    pub fn listen(&mut self, handed: crate::instance::Handed) {
        self.handed = Some(handed);
    }

    fn take_files(&mut self, ctx: &egui::Context) {
        if let Some(handed) = &self.handed {
            handed.set_context(ctx);
            let (files, raise) = handed.take();
            if raise {
                ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
                ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
            }
            self.pending_files.extend(files);
        }
        let ready = self.drawn
            && self.deck_load.is_none()
            && self.profile_update.is_none()
            && self.shared.profile.is_some();
        if ready && !self.pending_files.is_empty() {
            let files = std::mem::take(&mut self.pending_files);
            self.import_files(files);
        }
    }

    /// Tells the user, once a script, about text no installed font has (noted by the fonts
    /// `missing` comes from, as the text was laid out).
    pub fn watch_fonts(&mut self, missing: ui::fonts::MissingFonts) {
        self.missing_fonts = Some(missing);
    }

    fn tell_missing_fonts(&mut self, ctx: &egui::Context) {
        let Some(missing) = &self.missing_fonts else {
            return;
        };
        if missing.take_new() {
            let notice = ui::fonts::notice(&missing.all());
            self.screens.notify(self.screen, notice);
            ctx.request_repaint();
        }
    }

    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.time = ctx.input(|i| i.time);
        self.shared.jobs.set_context(&ctx);
        self.shared.palette = Palette::of(ui.visuals());
        self.apply_look(&ctx);
        self.start_after_first_frame(&ctx);
        // Before the screens draw: a chosen file reaches the screen that asked in this frame.
        self.shared.files.poll();
        self.poll_jobs();
        self.poll_sync(&ctx);
        self.watch_decks(&ctx);
        if self.profile_update.is_some() {
            // The thread cannot wake a window it started before: look again shortly.
            ctx.request_repaint_after(std::time::Duration::from_millis(200));
        }
        if self.screen != Screen::Warmup && self.screens.warmup.is_running() {
            // A warm-up left running answers on its threads: look at it now and then, so the
            // class's report on show takes in its answers.
            ctx.request_repaint_after(std::time::Duration::from_secs(1));
        }
        self.handle_dropped_files(&ctx);
        self.take_files(&ctx);
        self.handle_keys(&ctx);
        self.top_bar(ui);
        self.run_pending(&ctx);
        egui::CentralPanel::default().show(ui, |ui| {
            let mut cx = self.shared.context(self.time);
            self.screens.background(self.screen, &mut cx);
            // Each screen under an id of its own: its scroll areas (and every other remembered
            // state) keep their own place, whatever another screen did.
            let screen = self.screen;
            ui.push_id(std::mem::discriminant(&screen), |ui| {
                self.screens.get(screen).ui(ui, &mut cx);
            });
        });
        self.run_pending(&ctx);
        self.shared.files.show(&ctx, &self.shared.palette);
        self.run_pending(&ctx);
        self.tell_missing_fonts(&ctx);
        self.tell_changes(&ctx);
        ui::widgets::drop_hint(&ctx);
        if self.show_shortcuts && ui::shortcuts::show(&ctx, self.screen) {
            self.show_shortcuts = false;
        }
    }
}

impl eframe::App for FlashdrillApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.sync_on_close();
    }
}
