//! The eframe app: owns the state, routes commands from the screens to the domain, and keeps
//! settings in the profile's database. Screens (in `ui/`) only draw and emit actions.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, Local, Utc};

use crate::deck::{self, Card, Category, Library, LoadedDeck, Origin};
use crate::practice::{self, PracticeFilter, PracticeForm, RoundQuestion};
use crate::quiz::{self, Choices, Cloze, Form, SessionForm};
use crate::schedule::{Rating, State, fuzz_seed};
use crate::session::{self, CardKey, Session, Summary};
use crate::settings::{Settings, Theme};
use crate::store::profiles::{ProfileInfo, Profiles};
use crate::store::{
    CardProgress, CardRecord, LeechPolicy, Mode, NewReview, ReviewRecord, Store, StoreError,
};
use crate::ui::commands::{self, Command};
use crate::ui::drill::DrillState;
use crate::ui::home::{DeckRow, Due, FailedDeck, HomeAction, HomeState, HomeView, MasteryRow};
use crate::ui::practice::{
    PracticeAction, PracticeState, PracticeView, RoundAction, RoundState, RoundView,
};
use crate::ui::settings::{ProfileRow, SettingsAction, SettingsState, SettingsView};
use crate::ui::study::{StudyAction, StudyState, StudyView};
use crate::ui::summary::{SummaryAction, SummaryView};
use crate::ui::{self, theme};

mod browsing;
mod class_drill;
mod statistics;

/// How the app starts.
#[derive(Debug, Clone)]
pub struct AppOptions {
    pub data_dir: PathBuf,
    /// The profile to open (name or slug); default: the last used.
    pub profile: Option<String>,
    /// Load decks on a background thread (the app); tests load them at once.
    pub background_loading: bool,
}

/// Which screen is on show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Home,
    Study,
    Summary,
    Settings,
    Stats,
    /// The card browser.
    Browse,
    /// The article's dated events on a time axis.
    Timeline,
    /// Practice any cards now: the setup, and timeline and matching rounds.
    Practice,
    /// The profile's database could not be opened.
    Recovery,
    /// Drill mode: a quiz for a class on a projector.
    Drill,
}

/// The card on show, prepared once when it comes up.
struct Presented {
    key: CardKey,
    reps: u32,
    form: Form,
    choices: Option<Choices>,
    cloze: Option<Cloze>,
    intervals: [String; 4],
}

/// A study session in progress (or just finished, on the summary screen).
/// The screens of the top bar, in order: label and tooltip.
const NAVIGATION: [(Screen, &str, &str); 7] = [
    (Screen::Home, "Decks", "Your decks and what is due"),
    (
        Screen::Practice,
        "Practice",
        "Study any deck, category or tag now, whatever is due",
    ),
    (
        Screen::Drill,
        "Class drill",
        "A quiz for the whole class on a projector, in teams",
    ),
    (
        Screen::Stats,
        "Statistics",
        "Reviews, forecast, retention and mastery",
    ),
    (Screen::Browse, "Browse", "Every card with its progress"),
    (
        Screen::Timeline,
        "Article timeline",
        "The article's events on a time line",
    ),
    (
        Screen::Settings,
        "Settings",
        "Scheduling, look, and profiles",
    ),
];

/// How a study session starts: what it logs, how it asks, and where it returns.
struct SessionStart {
    mode: Mode,
    form: SessionForm,
    return_to: Screen,
}

struct Study {
    session: Session<Store>,
    form: SessionForm,
    ui: StudyState,
    presented: Option<Presented>,
    /// `ui.input().time` when the session started.
    started: f64,
    /// Where leaving the session goes: home, or the practice, browser or timeline screen it
    /// was started from.
    return_to: Screen,
}

enum LoadMsg {
    Progress(usize, usize),
    Done(Library),
}

/// Why the profile could not be opened, and what can be done.
struct Recovery {
    message: String,
    backup: Option<PathBuf>,
}

pub struct FlashdrillApp {
    data_dir: PathBuf,
    profiles: Option<Profiles>,
    profile: Option<ProfileInfo>,
    /// The open profile database, while no session holds it.
    store: Option<Store>,
    settings: Settings,
    library: Arc<Library>,
    loading: Option<(Receiver<LoadMsg>, usize, usize)>,
    open_dialog: Option<Receiver<Option<PathBuf>>>,
    background_loading: bool,
    screen: Screen,
    home: HomeState,
    deck_rows: Vec<DeckRow>,
    mastery: Vec<MasteryRow>,
    failures: Vec<FailedDeck>,
    settings_ui: SettingsState,
    settings_error: Option<(String, String)>,
    stats: statistics::StatsScreen,
    study: Option<Study>,
    recovery: Option<Recovery>,
    show_shortcuts: bool,
    notice: Option<(String, bool)>,
    applied_look: Option<(Theme, f32)>,
    /// Shuffles practice and drill questions the same way every time (tests, screenshots).
    fixed_seed: Option<u64>,
    browse: browsing::Browse,
    drill: Option<class_drill::ClassDrill>,
    drill_ui: DrillState,
    drill_notice: Option<(String, bool)>,
    drill_save: Option<Receiver<Option<PathBuf>>>,
    /// The drill setup's decks and categories, and the library they were counted from.
    drill_decks: Option<(Arc<Library>, Vec<crate::ui::drill::DrillDeck>)>,
    practice_ui: PracticeState,
    practice: PracticeData,
    round: Option<Round>,
}

impl FlashdrillApp {
    /// Opens the data directory and the profile, and starts loading decks.
    #[must_use]
    pub fn new(options: AppOptions) -> Self {
        let AppOptions {
            data_dir,
            profile,
            background_loading,
        } = options;
        let mut app = Self {
            data_dir: data_dir.clone(),
            profiles: None,
            profile: None,
            store: None,
            settings: Settings::default(),
            library: Arc::default(),
            loading: None,
            open_dialog: None,
            background_loading,
            screen: Screen::Home,
            home: HomeState::default(),
            deck_rows: Vec::new(),
            mastery: Vec::new(),
            failures: Vec::new(),
            settings_ui: SettingsState::default(),
            settings_error: None,
            stats: statistics::StatsScreen::default(),
            study: None,
            recovery: None,
            show_shortcuts: false,
            notice: None,
            applied_look: None,
            fixed_seed: None,
            browse: browsing::Browse::default(),
            drill: None,
            drill_ui: DrillState::default(),
            drill_notice: None,
            drill_save: None,
            drill_decks: None,
            practice_ui: PracticeState::default(),
            practice: PracticeData::default(),
            round: None,
        };
        match Profiles::load(&data_dir) {
            Ok(profiles) => {
                app.profiles = Some(profiles);
                app.open_profile(profile.as_deref());
            }
            Err(err) => app.fail(format!(
                "Could not read the profiles in {}: {err}",
                data_dir.display()
            )),
        }
        if !app.background_loading {
            app.library = Arc::new(deck::load_library(
                &[deck::user_deck_dir(&app.data_dir)],
                true,
            ));
            app.refresh_home();
        }
        app
    }

    /// Makes practice and drill questions come in the same order every time, for tests and
    /// screenshots.
    pub fn fix_seed(&mut self, seed: u64) {
        self.fixed_seed = Some(seed);
    }

    fn seed(&self) -> u64 {
        self.fixed_seed.unwrap_or_else(random_seed)
    }

    /// The screen on show (for tests and the window title).
    #[must_use]
    pub fn screen(&self) -> Screen {
        self.screen
    }

    /// The open profile's database, wherever it is held (for tests).
    #[must_use]
    pub fn store(&self) -> Option<&Store> {
        self.store
            .as_ref()
            .or_else(|| self.study.as_ref().map(|s| s.session.store()))
    }

    fn fail(&mut self, message: String) {
        self.notice = Some((message, true));
    }

    fn open_profile(&mut self, requested: Option<&str>) {
        let Some(profiles) = self.profiles.as_mut() else {
            return;
        };
        let today = Local::now().date_naive();
        let opened = profiles.choose(requested).and_then(|info| {
            let store = profiles.open(&info.slug, today)?;
            Ok((info, store))
        });
        match opened {
            Ok((info, store)) => {
                match store.load_settings() {
                    Ok(settings) => self.settings = settings,
                    Err(err) => self.fail(format!(
                        "Settings could not be read, defaults are in use: {err}"
                    )),
                }
                self.profile = Some(info);
                self.store = Some(store);
                self.recovery = None;
                if self.screen == Screen::Recovery {
                    self.screen = Screen::Home;
                }
            }
            Err(err) => {
                let backup = match &err {
                    crate::store::profiles::ProfileError::Store(StoreError::Corrupt {
                        newest_backup,
                        ..
                    }) => newest_backup.clone(),
                    _ => None,
                };
                self.profile = requested
                    .and_then(|r| self.profiles.as_ref().and_then(|p| p.find(r).cloned()))
                    .or_else(|| self.profiles.as_ref().and_then(|p| p.last_used().cloned()));
                self.recovery = Some(Recovery {
                    message: err.to_string(),
                    backup,
                });
                self.screen = Screen::Recovery;
            }
        }
        self.refresh_home();
    }

    fn start_loading_decks(&mut self, ctx: &egui::Context) {
        let user_dir = deck::user_deck_dir(&self.data_dir);
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let progress_tx = tx.clone();
            let progress_ctx = ctx.clone();
            let library =
                deck::load_library_with_progress(&[user_dir], true, &mut |done, total| {
                    let _ = progress_tx.send(LoadMsg::Progress(done, total));
                    progress_ctx.request_repaint();
                });
            let _ = tx.send(LoadMsg::Done(library));
            ctx.request_repaint();
        });
        self.loading = Some((rx, 0, 0));
    }

    fn poll_background(&mut self) {
        if let Some((rx, done, total)) = &mut self.loading {
            loop {
                match rx.try_recv() {
                    Ok(LoadMsg::Progress(d, t)) => {
                        *done = d;
                        *total = t;
                    }
                    Ok(LoadMsg::Done(library)) => {
                        self.library = Arc::new(library);
                        self.loading = None;
                        self.refresh_home();
                        break;
                    }
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        self.loading = None;
                        self.fail("Loading decks stopped unexpectedly".to_owned());
                        break;
                    }
                }
            }
        }
        if let Some(rx) = &self.open_dialog {
            match rx.try_recv() {
                Ok(picked) => {
                    self.open_dialog = None;
                    if let Some(path) = picked {
                        self.import_deck(&path);
                    }
                }
                Err(TryRecvError::Disconnected) => self.open_dialog = None,
                Err(TryRecvError::Empty) => {}
            }
        }
    }

    /// Recomputes the home screen's numbers from the store and the decks.
    fn refresh_home(&mut self) {
        self.failures = self
            .library
            .failures
            .iter()
            .map(|f| FailedDeck {
                file: f.path.display().to_string(),
                problems: f.problems.iter().map(ToString::to_string).collect(),
            })
            .collect();
        let Some(store) = self.store.as_ref() else {
            self.deck_rows.clear();
            self.mastery.clear();
            return;
        };
        let now_local = Local::now();
        let mut rows = Vec::new();
        for loaded in &self.library.decks {
            let ids: Vec<&str> = loaded.deck.cards.iter().map(|c| c.id.as_str()).collect();
            let due = match session::deck_due_counts(
                store,
                &loaded.deck.id,
                &ids,
                &self.settings,
                &now_local,
            ) {
                Ok(c) => Due {
                    new: c.new as usize,
                    learning: c.learning as usize,
                    review: c.review as usize,
                },
                Err(err) => {
                    self.notice = Some((err.to_string(), true));
                    Due::default()
                }
            };
            rows.push(DeckRow {
                id: loaded.deck.id.clone(),
                title: loaded.deck.title.clone(),
                description: loaded.deck.description.clone(),
                cards: loaded.deck.cards.len(),
                due,
                origin: origin_label(loaded),
            });
        }
        self.deck_rows = rows;
        self.mastery = match store.card_states(None) {
            Ok(records) => {
                let states: HashMap<(&str, &str), crate::schedule::CardState> = records
                    .iter()
                    .map(|r| ((r.deck_id.as_str(), r.card_id.as_str()), r.progress.card))
                    .collect();
                mastery_rows(&self.library, &states)
            }
            Err(err) => {
                self.notice = Some((err.to_string(), true));
                Vec::new()
            }
        };
    }

    fn import_deck(&mut self, path: &Path) {
        let existing: Vec<&str> = self
            .library
            .decks
            .iter()
            .map(|d| d.deck.id.as_str())
            .collect();
        match deck::import_deck_file(path, &deck::user_deck_dir(&self.data_dir), &existing) {
            Ok(copied) => {
                match deck::load_file(&copied) {
                    Ok(d) => {
                        self.notice = Some((
                            format!(
                                "Added \"{}\" ({} {}).",
                                d.title,
                                d.cards.len(),
                                if d.cards.len() == 1 { "card" } else { "cards" }
                            ),
                            false,
                        ));
                        Arc::make_mut(&mut self.library).add(
                            &copied,
                            Origin::User(copied.clone()),
                            Ok(d),
                        );
                    }
                    Err(err) => self.notice = Some((err.to_string(), true)),
                }
                self.refresh_home();
            }
            Err(err) => self.notice = Some((err.to_string(), true)),
        }
    }

    fn open_deck_dialog(&mut self) {
        if self.open_dialog.is_some() {
            return;
        }
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let picked = rfd::FileDialog::new()
                .add_filter("flashdrill deck", &["json"])
                .set_title("Open deck")
                .pick_file();
            let _ = tx.send(picked);
        });
        self.open_dialog = Some(rx);
    }

    fn start_study(&mut self, deck_id: Option<&str>, time: f64) {
        let Some(store) = self.store.take() else {
            return;
        };
        let now_local = Local::now();
        let mut queue = Vec::new();
        for loaded in &self.library.decks {
            if deck_id.is_some_and(|id| id != loaded.deck.id) {
                continue;
            }
            let ids: Vec<&str> = loaded.deck.cards.iter().map(|c| c.id.as_str()).collect();
            match session::deck_queue(&store, &loaded.deck.id, &ids, &self.settings, &now_local) {
                Ok(q) => queue.extend(q),
                Err(err) => self.notice = Some((err.to_string(), true)),
            }
        }
        if queue.is_empty() {
            self.store = Some(store);
            self.notice = Some(("Nothing is due right now.".to_owned(), false));
            return;
        }
        let start = SessionStart {
            mode: Mode::Srs,
            form: self.home.form,
            return_to: Screen::Home,
        };
        self.begin_session(store, queue, &start, now_local.with_timezone(&Utc), time);
    }

    /// Opens the study screen on `queue`, handing `store` to the session.
    fn begin_session(
        &mut self,
        store: Store,
        queue: Vec<(CardKey, CardProgress)>,
        start: &SessionStart,
        now: DateTime<Utc>,
        time: f64,
    ) {
        match Session::from_settings(store, &self.settings, start.mode, queue, now) {
            Ok(session) => {
                let mut ui = StudyState::default();
                ui.next_card();
                self.study = Some(Study {
                    session,
                    form: start.form,
                    ui,
                    presented: None,
                    started: time,
                    return_to: start.return_to,
                });
                self.screen = Screen::Study;
                self.notice = None;
            }
            Err(err) => self.fail(format!("Could not start the session: {err}")),
        }
    }

    /// Makes sure the card on show is prepared; moves to the summary when none is left.
    fn present(&mut self, now: DateTime<Utc>) {
        let Some(study) = self.study.as_mut() else {
            return;
        };
        study.session.advance(now);
        let Some(key) = study.session.current().cloned() else {
            study.presented = None;
            self.screen = Screen::Summary;
            return;
        };
        let reps = study.session.current_progress().map_or(0, |p| p.card.reps);
        if study
            .presented
            .as_ref()
            .is_some_and(|p| p.key == key && p.reps == reps)
        {
            return;
        }
        let Some(loaded) = self.library.deck(&key.deck_id) else {
            return;
        };
        let Some(card) = loaded.deck.cards.iter().find(|c| c.id == key.card_id) else {
            return;
        };
        let seed = fuzz_seed(&key.deck_id, &key.card_id, reps);
        let form = quiz::pick_form(card, &loaded.deck.cards, study.form, seed);
        let choices = (form == Form::MultipleChoice)
            .then(|| quiz::choices(card, &loaded.deck.cards, seed))
            .flatten();
        let cloze = (form == Form::Cloze).then(|| quiz::cloze(card)).flatten();
        let form = match (form, &choices, &cloze) {
            (Form::MultipleChoice, None, _) | (Form::Cloze, _, None) => Form::Flip,
            (f, _, _) => f,
        };
        let intervals = study.session.preview(now).map_or_else(
            || {
                [
                    "—".to_owned(),
                    "—".to_owned(),
                    "—".to_owned(),
                    "—".to_owned(),
                ]
            },
            |o| Rating::ALL.map(|r| o.interval_label(r)),
        );
        study.presented = Some(Presented {
            key,
            reps,
            form,
            choices,
            cloze,
            intervals,
        });
        self.screen = Screen::Study;
    }

    fn card(&self, key: &CardKey) -> Option<(&LoadedDeck, &Card)> {
        let loaded = self.library.deck(&key.deck_id)?;
        let card = loaded.deck.cards.iter().find(|c| c.id == key.card_id)?;
        Some((loaded, card))
    }

    fn handle_study(&mut self, action: StudyAction) {
        let now = Utc::now();
        match action {
            StudyAction::Answer {
                rating,
                answer_given,
                correct,
                response_ms,
            } => {
                let Some(study) = self.study.as_mut() else {
                    return;
                };
                match study.session.answer(
                    rating,
                    answer_given.as_deref(),
                    correct,
                    Duration::from_millis(response_ms),
                    now,
                ) {
                    Ok(outcome) => {
                        if outcome.became_leech {
                            self.notice = Some((
                                "That card has been forgotten often: it is now tagged as a leech."
                                    .to_owned(),
                                false,
                            ));
                        }
                        study.ui.next_card();
                        study.presented = None;
                        self.present(now);
                    }
                    Err(err) => self.fail(format!("The answer could not be saved: {err}")),
                }
            }
            StudyAction::Undo => self.undo(),
            StudyAction::Leave => self.end_study(),
        }
    }

    fn undo(&mut self) {
        let now = Utc::now();
        let Some(study) = self.study.as_mut() else {
            return;
        };
        match study.session.undo(now) {
            Ok(_) => {
                study.ui.next_card();
                study.presented = None;
                self.present(now);
            }
            Err(err) => self.fail(format!("Could not undo: {err}")),
        }
    }

    fn end_study(&mut self) {
        let mut back = Screen::Home;
        if let Some(study) = self.study.take() {
            back = study.return_to;
            self.store = Some(study.session.into_store());
        }
        self.screen = Screen::Home;
        self.refresh_home();
        match back {
            Screen::Practice => self.open_practice(),
            Screen::Browse | Screen::Timeline => self.open_browse(back),
            _ => {}
        }
    }

    /// Changes one profile setting, saving it; a rejected value is shown on the settings screen.
    pub fn set_setting(&mut self, key: &str, value: &str) {
        let mut next = self.settings.clone();
        if let Err(err) = next.set(key, value) {
            self.settings_error = Some((key.to_owned(), err.to_string()));
            return;
        }
        if let Some(store) = self.store.as_mut()
            && let Err(err) = store.save_settings(&next)
        {
            self.settings_error = Some((key.to_owned(), err.to_string()));
            return;
        }
        self.settings = next;
        self.settings_error = None;
        self.refresh_home();
    }

    fn handle_settings(&mut self, action: SettingsAction) {
        match action {
            SettingsAction::Set(key, value) => self.set_setting(&key, &value),
            SettingsAction::SwitchProfile(slug) => {
                self.end_study();
                self.store = None;
                self.open_profile(Some(&slug));
            }
            SettingsAction::CreateProfile(name) => {
                let created = self.profiles.as_mut().map(|p| p.create(&name));
                match created {
                    Some(Ok(info)) => {
                        self.end_study();
                        self.store = None;
                        self.open_profile(Some(&info.slug));
                        self.notice = Some((format!("Created profile \"{}\".", info.name), false));
                    }
                    Some(Err(err)) => {
                        self.settings_error = Some(("profile".to_owned(), err.to_string()));
                    }
                    None => {}
                }
            }
            SettingsAction::RenameProfile(name) => {
                let Some(slug) = self.profile.as_ref().map(|p| p.slug.clone()) else {
                    return;
                };
                let renamed = self
                    .profiles
                    .as_mut()
                    .map(|p| p.rename(&slug, &name).map(|()| p.find(&slug).cloned()));
                match renamed {
                    Some(Ok(info)) => self.profile = info,
                    Some(Err(err)) => {
                        self.settings_error = Some(("profile".to_owned(), err.to_string()));
                    }
                    None => {}
                }
            }
            SettingsAction::DeleteProfile(slug) => {
                let deleted = self.profiles.as_mut().map(|p| p.delete(&slug));
                match deleted {
                    Some(Ok(_)) => {
                        self.notice = Some((
                            "Profile deleted (its database was moved to the trash folder)."
                                .to_owned(),
                            false,
                        ));
                    }
                    Some(Err(err)) => {
                        self.settings_error = Some(("profile".to_owned(), err.to_string()));
                    }
                    None => {}
                }
            }
        }
    }

    fn apply_look(&mut self, ctx: &egui::Context) {
        let look = (self.settings.theme, self.settings.zoom);
        if self.applied_look == Some(look) {
            return;
        }
        if self.applied_look.is_none() {
            theme::install(ctx);
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
            if self.background_loading {
                self.start_loading_decks(ctx);
            }
        }
        ctx.set_theme(match self.settings.theme {
            Theme::Light => egui::ThemePreference::Light,
            Theme::Dark => egui::ThemePreference::Dark,
            Theme::System => egui::ThemePreference::System,
        });
        ctx.set_zoom_factor(self.settings.zoom);
        self.applied_look = Some(look);
    }

    fn zoom(&mut self, command: Command) {
        let z = self.settings.zoom;
        let next = match command {
            Command::ZoomIn => (z + 0.1).min(3.0),
            Command::ZoomOut => (z - 0.1).max(0.5),
            _ => 1.0,
        };
        self.set_setting("zoom", &format!("{next:.1}"));
    }

    fn handle_commands(&mut self, ctx: &egui::Context, time: f64) {
        for command in commands::read_shortcuts(ctx) {
            match command {
                Command::ZoomIn | Command::ZoomOut | Command::ZoomReset => self.zoom(command),
                Command::ToggleShortcuts => self.show_shortcuts = !self.show_shortcuts,
                Command::Back if self.show_shortcuts => self.show_shortcuts = false,
                _ => match self.screen {
                    Screen::Study => {
                        let action = self.study_view_action(command, time);
                        if let Some(action) = action {
                            self.handle_study(action);
                        }
                    }
                    Screen::Summary => match command {
                        Command::Undo => self.undo(),
                        Command::Primary | Command::Back => self.end_study(),
                        _ => {}
                    },
                    Screen::Settings | Screen::Stats | Screen::Browse | Screen::Timeline
                        if command == Command::Back =>
                    {
                        self.screen = Screen::Home;
                    }
                    Screen::Drill => self.drill_command(ctx, command, time),
                    Screen::Practice => self.practice_command(command, time),
                    _ => {}
                },
            }
        }
    }

    fn study_view_action(&mut self, command: Command, time: f64) -> Option<StudyAction> {
        let study = self.study.as_mut()?;
        let presented = study.presented.as_ref()?;
        let loaded = self.library.deck(&presented.key.deck_id)?;
        let card = loaded
            .deck
            .cards
            .iter()
            .find(|c| c.id == presented.key.card_id)?;
        let view = study_view(&study.session, study.started, presented, loaded, card, time);
        study.ui.command(&view, command, time)
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        if self.drill_is_projecting() {
            return;
        }
        let palette = theme::Palette::of(ui.visuals());
        egui::Panel::top("top-bar").show(ui, |ui| {
            // Wraps onto a second row in a narrow window; the profile stays at the right.
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    egui::RichText::new("flashdrill")
                        .strong()
                        .size(theme::size::HEADING)
                        .color(palette.accent),
                );
                ui.add_space(12.0);
                // No navigation during a session, nor while the profile cannot be opened.
                if !matches!(
                    self.screen,
                    Screen::Study | Screen::Summary | Screen::Recovery
                ) {
                    for (screen, label, hint) in NAVIGATION {
                        if ui
                            .selectable_label(self.screen == screen, label)
                            .on_hover_text(hint)
                            .clicked()
                        {
                            self.go_to(screen, ui.ctx());
                        }
                    }
                }
                let profile = self.profile.as_ref().map(|p| {
                    egui::WidgetText::from(
                        egui::RichText::new(format!("Profile: {}", p.name)).color(palette.muted),
                    )
                    .into_galley(
                        ui,
                        Some(egui::TextWrapMode::Extend),
                        f32::INFINITY,
                        egui::TextStyle::Body,
                    )
                });
                let needed = profile.as_ref().map_or(0.0, |g| g.size().x) + 80.0;
                if ui.available_size_before_wrap().x < needed {
                    ui.end_row();
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .button("?")
                        .on_hover_text(commands::tooltip(Command::ToggleShortcuts))
                        .clicked()
                    {
                        self.show_shortcuts = !self.show_shortcuts;
                    }
                    if let Some(galley) = profile {
                        ui.label(galley);
                    }
                });
            });
        });
    }

    /// Opens one of the screens of the top bar, fetching what it shows.
    fn go_to(&mut self, screen: Screen, ctx: &egui::Context) {
        match screen {
            Screen::Practice => self.open_practice(),
            Screen::Stats => self.open_stats(ctx),
            Screen::Browse | Screen::Timeline => self.open_browse(screen),
            Screen::Home => {
                self.screen = Screen::Home;
                self.refresh_home();
            }
            _ => self.screen = screen,
        }
    }

    fn central(&mut self, ui: &mut egui::Ui, time: f64) {
        match self.screen {
            Screen::Home => {
                let notice = self.notice.as_ref().map(|(t, e)| (t.as_str(), *e));
                let view = HomeView {
                    decks: &self.deck_rows,
                    mastery: &self.mastery,
                    failures: &self.failures,
                    loading: self.loading.as_ref().map(|l| (l.1, l.2)),
                    notice,
                };
                if let Some(action) = self.home.show(ui, &view) {
                    match action {
                        HomeAction::Study(id) => self.start_study(Some(&id), time),
                        HomeAction::StudyAll => self.start_study(None, time),
                        HomeAction::Practice => self.open_practice(),
                        HomeAction::OpenDeckDialog => self.open_deck_dialog(),
                        HomeAction::ImportPath(path) => self.import_deck(&path),
                    }
                }
            }
            Screen::Study => {
                let action = (|| {
                    let study = self.study.as_mut()?;
                    let presented = study.presented.as_ref()?;
                    let loaded = self.library.deck(&presented.key.deck_id)?;
                    let card = loaded
                        .deck
                        .cards
                        .iter()
                        .find(|c| c.id == presented.key.card_id)?;
                    let view =
                        study_view(&study.session, study.started, presented, loaded, card, time);
                    study.ui.show(ui, &view)
                })();
                if let Some(action) = action {
                    self.handle_study(action);
                }
            }
            Screen::Summary => self.summary(ui),
            Screen::Settings => {
                let values: BTreeMap<String, String> = self
                    .settings
                    .iter()
                    .map(|(info, v)| (info.key.to_owned(), v))
                    .collect();
                let profiles: Vec<ProfileRow> = self
                    .profiles
                    .as_ref()
                    .map(|p| {
                        p.list()
                            .iter()
                            .map(|i| ProfileRow {
                                id: i.slug.clone(),
                                name: i.name.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let current = self
                    .profile
                    .as_ref()
                    .map(|p| p.slug.clone())
                    .unwrap_or_default();
                let error = self
                    .settings_error
                    .as_ref()
                    .map(|(k, m)| (k.as_str(), m.as_str()));
                let view = SettingsView {
                    values: &values,
                    error,
                    profiles: &profiles,
                    current_profile: &current,
                };
                if let Some(action) = self.settings_ui.show(ui, &view) {
                    self.handle_settings(action);
                }
            }
            Screen::Stats => self.stats_screen(ui),
            Screen::Browse => self.browser(ui, time),
            Screen::Timeline => self.timeline(ui, time),
            Screen::Practice => self.practice_screen(ui, time),
            Screen::Recovery => self.recovery_screen(ui),
            Screen::Drill => self.drill_screen(ui, time),
        }
    }

    fn summary(&mut self, ui: &mut egui::Ui) {
        let Some(study) = self.study.as_ref() else {
            self.screen = Screen::Home;
            return;
        };
        let summary: Summary = study
            .session
            .summary_with_categories(|key| self.card(key).map(|(_, c)| c.kind().label()));
        let by_category: Vec<(String, usize, usize)> = summary
            .by_category
            .iter()
            .map(|(c, t)| (c.clone(), t.right as usize, (t.right + t.wrong) as usize))
            .collect();
        let missed: Vec<(String, String)> = summary
            .missed
            .iter()
            .filter_map(|k| self.card(k))
            .map(|(_, c)| (c.prompt.clone(), c.answer.clone()))
            .collect();
        let next_due = summary.next_due.map(|due| describe_due(due, Utc::now()));
        let view = SummaryView {
            studied: summary.cards_studied,
            answers: summary.answers,
            right: summary.right,
            secs: summary.time.as_secs(),
            by_category: &by_category,
            missed: &missed,
            next_due: next_due.as_deref(),
            can_undo: study.session.can_undo(),
            practice: summary.mode != Mode::Srs,
        };
        match ui::summary::show(ui, &view) {
            Some(SummaryAction::Home) => self.end_study(),
            Some(SummaryAction::Undo) => self.undo(),
            None => {}
        }
    }

    fn recovery_screen(&mut self, ui: &mut egui::Ui) {
        let palette = theme::Palette::of(ui.visuals());
        let Some(recovery) = &self.recovery else {
            self.screen = Screen::Home;
            return;
        };
        let mut restore = None;
        let mut fresh = false;
        ui::widgets::centered_column(ui, 760.0, |ui| {
            ui.add_space(20.0);
            ui.label(
                egui::RichText::new("Your progress could not be opened")
                    .size(theme::size::PROMPT)
                    .strong()
                    .color(palette.wrong),
            );
            ui.add_space(8.0);
            ui.label(&recovery.message);
            ui.add_space(12.0);
            if let Some(backup) = &recovery.backup {
                let name = backup
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if ui::widgets::primary_button(
                    ui,
                    &format!("Restore the backup of {name}"),
                    &palette,
                )
                .clicked()
                {
                    restore = Some(backup.clone());
                }
            }
            if ui
                .button("Start again with empty progress")
                .on_hover_text("The damaged file stays where it was moved")
                .clicked()
            {
                fresh = true;
            }
        });
        let slug = self.profile.as_ref().map(|p| p.slug.clone());
        if let (Some(backup), Some(slug)) = (restore, slug.as_deref()) {
            let restored = self
                .profiles
                .as_ref()
                .map(|p| p.restore_backup(slug, &backup));
            match restored {
                Some(Ok(())) => {
                    self.open_profile(Some(slug));
                    self.notice = Some((
                        "Your progress was restored from the backup.".to_owned(),
                        false,
                    ));
                }
                Some(Err(err)) => {
                    self.recovery = Some(Recovery {
                        message: err.to_string(),
                        backup: None,
                    });
                }
                None => {}
            }
        } else if fresh {
            self.open_profile(slug.as_deref());
        }
    }

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        for path in dropped {
            self.import_deck(&path);
        }
        // The outcome shows on the home screen; a session or a drill under way stays on.
        if !matches!(self.screen, Screen::Study | Screen::Summary | Screen::Drill) {
            self.screen = Screen::Home;
        }
    }

    /// Runs one frame: the part of `eframe::App::ui` that needs no `Frame` (tests call it).
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let time = ctx.input(|i| i.time);
        self.poll_background();
        self.apply_look(&ctx);
        self.handle_dropped_files(&ctx);
        if self.screen == Screen::Study
            && self.study.as_ref().is_some_and(|s| s.presented.is_none())
        {
            self.present(Utc::now());
        }
        self.handle_commands(&ctx, time);
        self.top_bar(ui);
        egui::CentralPanel::default().show(ui, |ui| self.central(ui, time));
        ui::widgets::drop_hint(&ctx);
        if self.show_shortcuts && ui::shortcuts::show(&ctx) {
            self.show_shortcuts = false;
        }
        if self.screen == Screen::Study {
            // The quiet session timer ticks once a second; nothing else repaints while idle.
            ctx.request_repaint_after(Duration::from_secs(1));
        }
    }
}

/// What the practice screen counts with, read from the store when it opens.
#[derive(Default)]
struct PracticeData {
    states: Vec<CardRecord>,
    /// Answers since the start of today's study day.
    reviews_today: Vec<ReviewRecord>,
    /// Deck id and title.
    decks: Vec<(String, String)>,
    categories: Vec<String>,
    tags: Vec<String>,
}

/// A round of timeline or matching questions in progress.
struct Round {
    questions: Vec<RoundQuestion>,
    current: usize,
    results: Vec<(usize, usize)>,
    ui: RoundState,
    /// The question on show has been logged.
    answered: bool,
}

impl Round {
    /// What the round's screen shows, and the screen's own state.
    fn view(&mut self) -> (RoundView<'_>, &mut RoundState) {
        (
            RoundView {
                questions: &self.questions,
                current: self.current,
                results: &self.results,
            },
            &mut self.ui,
        )
    }
}

/// A seed for shuffling practice and drill questions: differs from one start to the next.
fn random_seed() -> u64 {
    Utc::now().timestamp_nanos_opt().unwrap_or_default() as u64
}

impl FlashdrillApp {
    fn open_practice(&mut self) {
        self.refresh_practice();
        self.screen = Screen::Practice;
    }

    /// Rereads the card states and today's answers the practice filters count with.
    fn refresh_practice(&mut self) {
        let library = &self.library;
        self.practice.decks = library
            .decks
            .iter()
            .map(|d| (d.deck.id.clone(), d.deck.title.clone()))
            .collect();
        self.practice.categories = practice::categories(library);
        self.practice.tags = practice::tags(library);
        let Some(store) = self.store.as_ref() else {
            return;
        };
        let since = crate::schedule::day_start(&Local::now(), self.settings.day_starts_at);
        let read = store
            .card_states(None)
            .and_then(|states| Ok((states, store.reviews_since(since)?)));
        match read {
            Ok((states, today)) => {
                self.practice.states = states;
                self.practice.reviews_today = today;
            }
            Err(err) => self.fail(format!("Could not read your progress: {err}")),
        }
    }

    fn practice_screen(&mut self, ui: &mut egui::Ui, time: f64) {
        if let Some(round) = self.round.as_mut() {
            let (view, round_ui) = round.view();
            if let Some(action) = round_ui.show(ui, &view) {
                self.handle_round(action);
            }
            return;
        }
        let (library, data) = (&self.library, &self.practice);
        let counts = |filter: &PracticeFilter| {
            practice::counts(library, &data.states, &data.reviews_today, filter)
        };
        let view = PracticeView {
            decks: &data.decks,
            categories: &data.categories,
            tags: &data.tags,
            counts: &counts,
            notice: self.notice.as_ref().map(|(t, e)| (t.as_str(), *e)),
        };
        if let Some(action) = self.practice_ui.show(ui, &view) {
            self.handle_practice(action, time);
        }
    }

    fn practice_command(&mut self, command: Command, time: f64) {
        if let Some(round) = self.round.as_mut() {
            let (view, round_ui) = round.view();
            if let Some(action) = round_ui.command(&view, command, time) {
                self.handle_round(action);
            }
        } else if let Some(action) = self.practice_ui.command(command) {
            self.handle_practice(action, time);
        }
    }

    fn handle_practice(&mut self, action: PracticeAction, time: f64) {
        match action {
            PracticeAction::Home => {
                self.screen = Screen::Home;
                self.refresh_home();
            }
            PracticeAction::Start {
                filter,
                form: PracticeForm::Cards(form),
                ..
            } => self.start_practice_cards(&filter, form, time),
            PracticeAction::Start {
                filter,
                form,
                questions,
            } => {
                let seed = self.seed();
                let data = &self.practice;
                let cards = practice::practice_cards(
                    &self.library,
                    &data.states,
                    &data.reviews_today,
                    &filter,
                    seed,
                );
                let questions = practice::round(form, &cards, questions, seed);
                if questions.is_empty() {
                    self.notice = Some((
                        "These cards cannot make a question: pick more cards.".to_owned(),
                        true,
                    ));
                    return;
                }
                self.notice = None;
                self.round = Some(Round {
                    questions,
                    current: 0,
                    results: Vec::new(),
                    ui: RoundState::default(),
                    answered: false,
                });
            }
        }
    }

    /// Starts a practice session on the study screen: the filter's cards whatever is due,
    /// logged with mode `practice` (card states untouched).
    fn start_practice_cards(&mut self, filter: &PracticeFilter, form: SessionForm, time: f64) {
        if let Err(err) = crate::schedule::Scheduler::new(self.settings.scheduler_config()) {
            self.fail(format!("Could not start the session: {err}"));
            return;
        }
        let now = Utc::now();
        let data = &self.practice;
        let queue = practice::practice_queue(
            &self.library,
            &data.states,
            &data.reviews_today,
            filter,
            self.seed(),
            now,
        );
        if queue.is_empty() {
            self.notice = Some(("No card matches.".to_owned(), false));
            return;
        }
        let Some(store) = self.store.take() else {
            return;
        };
        let start = SessionStart {
            mode: Mode::Practice,
            form,
            return_to: Screen::Practice,
        };
        self.begin_session(store, queue, &start, now, time);
    }

    fn handle_round(&mut self, action: RoundAction) {
        match action {
            RoundAction::Answered {
                right,
                given,
                score,
                response_ms,
            } => {
                let Some(round) = self.round.as_mut() else {
                    return;
                };
                if round.answered {
                    return;
                }
                let Some(keys) = round
                    .questions
                    .get(round.current)
                    .map(|q| q.keys().to_vec())
                else {
                    return;
                };
                round.answered = true;
                round.results.push(score);
                if let Err(err) = self.record_practice(&keys, &right, &given, response_ms) {
                    self.fail(format!("The answer could not be saved: {err}"));
                }
            }
            RoundAction::Next => {
                if let Some(round) = self.round.as_mut()
                    && round.answered
                {
                    round.current += 1;
                    round.answered = false;
                }
            }
            RoundAction::Leave => {
                self.round = None;
                self.refresh_practice();
            }
        }
    }

    /// Logs one practice answer per card of a timeline or matching question: Good when it
    /// counted as right, else Again; the question's time is shared out between the cards.
    fn record_practice(
        &mut self,
        keys: &[CardKey],
        right: &[bool],
        given: &[Option<String>],
        response_ms: u64,
    ) -> Result<(), StoreError> {
        let Some(store) = self.store.as_mut() else {
            return Ok(());
        };
        let now = Utc::now();
        let each_ms = response_ms / keys.len().max(1) as u64;
        let leech = LeechPolicy::from_settings(&self.settings);
        for (i, key) in keys.iter().enumerate() {
            let ok = right.get(i).copied().unwrap_or(false);
            store.record_answer(
                &NewReview {
                    deck_id: &key.deck_id,
                    card_id: &key.card_id,
                    at: now,
                    rating: practice::answer_rating(ok),
                    mode: Mode::Practice,
                    answer_given: given.get(i).and_then(|g| g.as_deref()),
                    correct: Some(ok),
                    response_ms: each_ms,
                    state_after: None,
                },
                leech,
            )?;
        }
        Ok(())
    }
}

fn study_view<'a>(
    session: &'a Session<Store>,
    started: f64,
    presented: &'a Presented,
    loaded: &'a LoadedDeck,
    card: &'a Card,
    time: f64,
) -> StudyView<'a> {
    StudyView {
        card,
        deck_title: &loaded.deck.title,
        form: presented.form,
        choices: presented.choices.as_ref(),
        cloze: presented.cloze.as_ref(),
        intervals: presented.intervals.clone(),
        done: session.summary().answers,
        left: session.remaining(),
        session_secs: time - started,
        can_undo: session.can_undo(),
        practice: session.mode() != Mode::Srs,
    }
}

fn origin_label(loaded: &LoadedDeck) -> String {
    match &loaded.origin {
        Origin::Bundled => "bundled".to_owned(),
        Origin::User(path) => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

/// New / learning / young / mature counts per category over every loaded card.
fn mastery_rows(
    library: &Library,
    states: &HashMap<(&str, &str), crate::schedule::CardState>,
) -> Vec<MasteryRow> {
    let mut by_category: BTreeMap<Category, [usize; 4]> = BTreeMap::new();
    for loaded in &library.decks {
        for card in &loaded.deck.cards {
            let slot = match states.get(&(loaded.deck.id.as_str(), card.id.as_str())) {
                None => 0,
                Some(s) => match s.state {
                    State::New => 0,
                    State::Learning | State::Relearning => 1,
                    State::Review if s.stability.unwrap_or(0.0) >= 21.0 => 3,
                    State::Review => 2,
                },
            };
            by_category.entry(card.kind()).or_default()[slot] += 1;
        }
    }
    by_category
        .into_iter()
        .map(|(c, counts)| MasteryRow {
            category: c.label(),
            counts,
        })
        .collect()
}

/// "in 10m", "in 3d", "now".
fn describe_due(due: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if due <= now {
        "now".to_owned()
    } else {
        format!("in {}", crate::schedule::format_interval(due - now))
    }
}

impl eframe::App for FlashdrillApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }
}

/// Opens the window. Called by `main` when no subcommand is given.
pub fn run(options: AppOptions) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let icon = eframe::icon_data::from_png_bytes(include_bytes!("../assets/icon.png"))
        .context("the app icon is not a PNG")?;
    let native = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport: egui::ViewportBuilder::default()
            .with_title("flashdrill")
            .with_app_id("flashdrill")
            .with_inner_size([1100.0, 760.0])
            .with_min_inner_size([640.0, 480.0])
            .with_drag_and_drop(true)
            .with_icon(icon),
        ..Default::default()
    };
    let measure = std::env::var_os("FLASHDRILL_MEASURE_STARTUP").is_some();
    eframe::run_native(
        "flashdrill",
        native,
        Box::new(move |cc| {
            let app = FlashdrillApp::new(options);
            let _ = cc;
            if measure {
                Ok(Box::new(StartupProbe {
                    app,
                    started,
                    frames: 0,
                }))
            } else {
                Ok(Box::new(app))
            }
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}

/// Prints the time to the first painted frame (`FLASHDRILL_MEASURE_STARTUP=1`), for comparing
/// start-up with a bare eframe window (`examples/bare_window.rs`).
struct StartupProbe {
    app: FlashdrillApp,
    started: std::time::Instant,
    frames: u32,
}

impl eframe::App for StartupProbe {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.app.frame(ui);
        self.frames += 1;
        if self.frames == 1 {
            ui.ctx().request_repaint();
        } else if self.frames == 2 {
            println!(
                "first-frame-ms {}",
                self.started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}
