//! Drill mode: a quiz for a class on a projector. The screen owns the [`Drill`] under way,
//! carries out the teacher's actions with the frame's time, saves the results, and keeps the
//! review log in step with the drill (one `drill` review per card of each settled question,
//! taken back when the teacher goes back to it). Drill answers never change a card's schedule.
//!
//! Keys while a drill runs (listed on screen): Space / Enter reveal the answer, then go on;
//! 1–6 toggle a team's point on the revealed question; P pauses the countdown; S skips;
//! B goes back one question; E ends early (asks first); F11 switches full screen; Esc leaves
//! (asks first); Y and N answer the question asked. Every key comes from the app's command
//! table ([`DrillState::command`]).

mod live;
mod live_join;
mod live_play;
mod live_podium;
mod podium;
mod run;
mod setup;

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub use live_join::qr_code;
pub use podium::{ordinal, winner_line};
pub use run::{OPTION_LOOKS, Shape};
pub use setup::{CLASSES_BUTTON, DrillAction, DrillDeck, DrillState, DrillView, KEY_LEGEND};

use crate::jobs::{self, Job};
use crate::ui::commands::Command;
use crate::ui::messages;
use crate::ui::notice::Notice;
use crate::ui::view::{AppCommand, AppContext, Screen, View};
use flashdrill_core::deck::{Card, Library};
use flashdrill_core::drill::{Drill, LogEntry, Phase};

/// Shown when the countdown stopped because the window went to the background.
const BACKGROUND_PAUSE: &str = "Paused while flashdrill was in the background. Press P to go on.";

/// How long the class gets to be ready before a timed drill's first countdown starts.
pub const GET_READY_SECS: f64 = 3.0;

/// A drill under way and the review-log rows written for its questions.
struct ClassDrill {
    drill: Drill,
    /// Question index → the log rows recorded for it.
    logged: BTreeMap<usize, Vec<i64>>,
    /// A timed drill waits until then before its first countdown ("Get ready").
    ready_until: Option<f64>,
}

impl ClassDrill {
    /// Ends the get-ready moment: the first countdown starts.
    fn go(&mut self, now: f64) {
        if self.ready_until.take().is_some() {
            self.drill.start(now);
        }
    }
}

/// Where the drill screen is: choosing, running a drill, or running a live game (each up to
/// its podium). The stages are boxed: the screen is kept all the time, a stage only while used.
#[derive(Default)]
enum Stage {
    /// The setup: decks, teams, timing.
    #[default]
    Setup,
    /// A drill on the projector, under way or on its podium.
    Drill(Box<ClassDrill>),
    /// A live class game (students answer on their devices), under way or on its podium.
    Live(Box<live::LiveClass>),
}

/// The drill screen: the setup, the projector view or the podium.
#[derive(Default)]
pub struct DrillScreen {
    ui: DrillState,
    stage: Stage,
    notice: Option<Notice>,
    /// A save dialog for the results is open.
    save_dialog: Option<Job<Option<PathBuf>>>,
    /// The results being written: what to say when done.
    saving: Option<Job<Notice>>,
    /// The setup's decks and categories, and the library they were counted from.
    decks: Option<(Arc<Library>, Vec<DrillDeck>)>,
    /// Where a live game listens; `None`: every interface (the classroom's network).
    live_bind: Option<IpAddr>,
    /// F11 was pressed: full screen switches at the next draw, which has the window at hand.
    fullscreen_asked: bool,
    /// The profile's classes, by name (read when the screen opens).
    classes: Vec<String>,
}

impl DrillScreen {
    /// The drill under way or on the podium.
    #[must_use]
    pub fn drill(&self) -> Option<&Drill> {
        self.class().map(|d| &d.drill)
    }

    /// Whether the projector view is on (the app's top bar is hidden then).
    #[must_use]
    pub fn is_projecting(&self) -> bool {
        !matches!(self.stage, Stage::Setup)
    }

    /// The live class game under way or on the podium.
    #[must_use]
    pub fn live_game(&self) -> Option<&flashdrill_live::LiveGame> {
        self.live().map(live::LiveClass::game)
    }

    /// The drill under way or on the podium, with its log rows.
    fn class(&self) -> Option<&ClassDrill> {
        match &self.stage {
            Stage::Drill(class) => Some(class),
            _ => None,
        }
    }

    /// The live game under way or on the podium.
    fn live(&self) -> Option<&live::LiveClass> {
        match &self.stage {
            Stage::Live(class) => Some(class),
            _ => None,
        }
    }

    /// Where live games listen (tests: 127.0.0.1); by default every interface.
    /// Sets the live game up to be played by the class called `class` (phones on).
    pub fn play_with_class(&mut self, class: String) {
        self.ui.live = true;
        self.ui.live_class = Some(class);
    }

    pub fn set_live_bind(&mut self, ip: IpAddr) {
        self.live_bind = Some(ip);
    }

    pub fn set_notice(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    /// The notice on show (for the shell's tests).
    #[cfg(test)]
    pub(crate) fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// The decks on offer in the setup, counted once per library (not every frame). The cache
    /// holds a clone of the `Arc`, so an import (`Arc::make_mut`) makes a new library and a
    /// recount.
    fn refresh_decks(&mut self, library: &Arc<Library>) {
        let fresh = self
            .decks
            .as_ref()
            .is_some_and(|(counted, _)| Arc::ptr_eq(counted, library));
        if !fresh {
            self.decks = Some((Arc::clone(library), count_decks(library)));
        }
    }

    fn view(&self, now: f64, with_notice: bool) -> DrillView<'_> {
        DrillView {
            decks: self.decks.as_ref().map_or(&[], |(_, d)| d),
            drill: self.drill(),
            now,
            notice: self.notice.as_ref().filter(|_| with_notice),
            classes: &self.classes,
            get_ready: self
                .class()
                .and_then(|c| c.ready_until)
                .map(|until| (until - now).max(0.0)),
        }
    }

    /// Takes in a chosen save path and a finished save.
    fn poll_jobs(&mut self, cx: &AppContext<'_>) {
        if let Some(Ok(Some(path))) = jobs::finished(&mut self.save_dialog) {
            self.save_results(&path, cx);
        }
        match jobs::finished(&mut self.saving) {
            Some(Ok(notice)) => self.notice = Some(notice),
            Some(Err(jobs::Lost)) => {
                self.notice = Some(Notice::error(
                    "Saving the results stopped unexpectedly: try again.",
                ));
            }
            None => {}
        }
    }

    fn handle(&mut self, action: DrillAction, cx: &mut AppContext<'_>) {
        let time = cx.time;
        match action {
            DrillAction::Start(setup) => {
                let decks = deck_cards(cx.library());
                match Drill::new(setup, &decks, cx.seed) {
                    Ok(mut drill) => {
                        // A countdown waits a moment for the class to be ready; without one
                        // there is nothing to wait for.
                        let ready_until = drill.time_limit().map(|_| time + GET_READY_SECS);
                        if ready_until.is_none() {
                            drill.start(time);
                        }
                        self.notice =
                            (drill.questions().len() < drill.setup().questions).then(|| {
                                Notice::warning(format!(
                                    "Only {} questions could be made from the chosen cards.",
                                    drill.questions().len()
                                ))
                            });
                        self.stage = Stage::Drill(Box::new(ClassDrill {
                            drill,
                            logged: BTreeMap::new(),
                            ready_until,
                        }));
                        self.ui.drill_closed();
                    }
                    Err(err) => self.notice = Some(Notice::error(err.to_string())),
                }
            }
            DrillAction::Leave => {
                self.close(cx);
                cx.send(AppCommand::LeaveFullscreen);
                cx.send(AppCommand::GoTo(Screen::Home));
            }
            DrillAction::NewDrill => self.close(cx),
            DrillAction::SaveDialog => {
                if self.save_dialog.is_none() {
                    let name = if self.live().is_some() {
                        "live-results.csv"
                    } else {
                        "drill-results.csv"
                    };
                    self.save_dialog = Some(
                        cx.choose_file(
                            crate::ui::file_ask::FileAsk::save("Save results", name)
                                .filter("CSV", &["csv"]),
                        ),
                    );
                }
            }
            DrillAction::SaveTo(path) => self.save_results(&path, cx),
            DrillAction::ToggleFullscreen => self.fullscreen_asked = true,
            DrillAction::StartLive { setup, port, class } => {
                self.start_live(&setup, port, class, cx);
            }
            DrillAction::OpenClasses => cx.send(AppCommand::GoTo(Screen::Classes)),
            action => match &mut self.stage {
                Stage::Setup => return,
                Stage::Live(class) => {
                    class.act(&action);
                    // A start-up note ("only 7 questions…") is for the join screen.
                    let started = class.snapshot().game.phase != flashdrill_live::Phase::Lobby;
                    if started && self.notice.as_ref().is_some_and(|n| !n.is_error()) {
                        self.notice = None;
                    }
                }
                Stage::Drill(class) => {
                    // While the class gets ready, Space (or S) starts the question at once and
                    // P starts it paused.
                    if class.ready_until.is_some() {
                        match action {
                            DrillAction::Reveal | DrillAction::Skip => {
                                class.go(time);
                                return;
                            }
                            DrillAction::TogglePause => class.go(time),
                            _ => {}
                        }
                    }
                    let drill = &mut class.drill;
                    match action {
                        DrillAction::Reveal => drill.reveal(time),
                        DrillAction::Next => drill.next(time),
                        DrillAction::Award(team) => {
                            drill.award(team);
                        }
                        DrillAction::TogglePause => drill.toggle_pause(time),
                        DrillAction::Skip => drill.skip(time),
                        DrillAction::Back => drill.back(time),
                        DrillAction::End => drill.end(time),
                        _ => {}
                    }
                    // "Only 7 questions could be made" is for the start of the drill.
                    let started = drill.current() > 0 || drill.phase() != Phase::Question;
                    let resumed = !drill.is_paused()
                        && self
                            .notice
                            .as_ref()
                            .is_some_and(|n| n.text == BACKGROUND_PAUSE);
                    if resumed || started && self.notice.as_ref().is_some_and(|n| !n.is_error()) {
                        self.notice = None;
                    }
                }
            },
        }
        self.sync_log(cx);
        self.poll_jobs(cx);
    }

    /// Starts a live class game and shows its join screen; a problem (the port is taken) shows
    /// on the setup screen.
    fn start_live(
        &mut self,
        setup: &flashdrill_core::drill::DrillSetup,
        port: u16,
        class: Option<String>,
        cx: &AppContext<'_>,
    ) {
        let bind = self.live_bind.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let decks = deck_cards(cx.library());
        let roster = match &class {
            Some(name) => match cx
                .col()
                .store()
                .ok_or_else(|| "no profile is open".to_owned())
                .and_then(|s| {
                    let c = s.class_named(name).map_err(|e| e.to_string())?;
                    s.students(&c).map_err(|e| e.to_string())
                }) {
                Ok(students) => Some(students.into_iter().map(|s| s.name).collect()),
                Err(why) => {
                    self.notice = Some(Notice::error(format!(
                        "The class \"{name}\" could not be read: {why}"
                    )));
                    return;
                }
            },
            None => None,
        };
        match live::LiveClass::start(setup, port, bind, &decks, cx.seed, roster, class) {
            Ok((class, made)) => {
                self.notice = (made < setup.questions).then(|| {
                    Notice::warning(format!(
                        "Only {made} questions could be made from the chosen cards."
                    ))
                });
                self.stage = Stage::Live(Box::new(class));
                self.ui.drill_closed();
            }
            Err(err) => self.notice = Some(Notice::error(err)),
        }
    }

    /// Closes the drill or the live game (their settled answers are logged already); a live
    /// game's server stops. A game played by a class goes to the shell, to be logged under the
    /// students' names (it says what was done on this screen).
    fn close(&mut self, cx: &mut AppContext<'_>) {
        self.sync_log(cx);
        if let Stage::Live(live) = &self.stage
            && let Some(class) = &live.class
        {
            cx.send(AppCommand::LogClassGame {
                class: class.clone(),
                game_id: live.game_id.clone(),
                rows: live.game().result_rows(),
                entries: live.game().log_entries(),
                at: cx.now,
            });
        }
        self.stage = Stage::Setup;
        self.save_dialog = None;
        self.notice = None;
        self.ui.drill_closed();
    }

    /// Records the newly settled questions and takes back the rows of questions that are no
    /// longer settled (the teacher went back to them).
    fn sync_log(&mut self, cx: &mut AppContext<'_>) {
        self.sync_live_log(cx);
        let Stage::Drill(class) = &mut self.stage else {
            return;
        };
        let entries = class.drill.log_entries();
        let settled: Vec<usize> = entries.iter().map(|e| e.question).collect();
        let stale: Vec<usize> = class
            .logged
            .keys()
            .filter(|q| !settled.contains(q))
            .copied()
            .collect();
        let new: Vec<&LogEntry> = entries
            .iter()
            .filter(|e| !class.logged.contains_key(&e.question))
            .collect();
        if stale.is_empty() && new.is_empty() {
            return;
        }
        let take_back: Vec<i64> = stale
            .iter()
            .flat_map(|q| class.logged.get(q).cloned().unwrap_or_default())
            .collect();
        let now = cx.now;
        match cx.apply(|col| col.log_drill(&take_back, &new, now)) {
            Ok(ids) => {
                for question in stale {
                    class.logged.remove(&question);
                }
                for (entry, ids) in new.iter().zip(ids) {
                    class.logged.insert(entry.question, ids);
                }
            }
            Err(err) => {
                self.notice = Some(Notice::error(messages::collection(
                    "The drill's answers could not be logged",
                    &err,
                )));
            }
        }
    }

    /// Logs the live game's newly revealed questions (a revealed question stays revealed).
    fn sync_live_log(&mut self, cx: &mut AppContext<'_>) {
        let Stage::Live(class) = &mut self.stage else {
            return;
        };
        let entries = class.unlogged();
        if entries.is_empty() {
            return;
        }
        let now = cx.now;
        let new: Vec<&LogEntry> = entries.iter().collect();
        match cx.apply(|col| col.log_drill(&[], &new, now)) {
            Ok(ids) => {
                for (entry, ids) in entries.iter().zip(ids) {
                    class.logged(entry.question, ids);
                }
            }
            Err(err) => {
                self.notice = Some(Notice::error(messages::collection(
                    "A live game's answers could not be logged",
                    &err,
                )));
            }
        }
    }

    /// Writes the results as CSV to `path`, as a job.
    fn save_results(&mut self, path: &Path, cx: &AppContext<'_>) {
        let csv = match &self.stage {
            Stage::Live(live) => live.results_csv(),
            Stage::Drill(class) => class.drill.results_csv(),
            Stage::Setup => return,
        };
        let path = path.to_path_buf();
        self.saving = Some(cx.jobs.spawn(move || match std::fs::write(&path, csv) {
            Ok(()) => Notice::success(format!("Saved the results to {}.", path.display())),
            Err(err) => Notice::error(format!(
                "Could not save the results to {}: {err}. Choose another folder.",
                path.display()
            )),
        }));
        if let Some(notice) = jobs::finished(&mut self.saving).and_then(Result::ok) {
            self.notice = Some(notice);
        }
    }
}

impl View for DrillScreen {
    fn open(&mut self, cx: &mut AppContext<'_>) {
        self.classes = cx
            .col()
            .store()
            .and_then(|s| s.classes().ok())
            .map(|list| list.into_iter().map(|c| c.class.name).collect())
            .unwrap_or_default();
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut AppContext<'_>) {
        let time = cx.time;
        self.poll_jobs(cx);
        if std::mem::take(&mut self.fullscreen_asked) {
            let full = ui.input(|i| i.viewport().fullscreen.unwrap_or(false));
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Fullscreen(!full));
        }
        if self.live().is_some() {
            self.live_ui(ui, cx);
            return;
        }
        // The teacher switched to another window: the countdown waits for them.
        let unfocused = ui.input(|i| i.viewport().focused == Some(false));
        if unfocused
            && let Stage::Drill(class) = &mut self.stage
            && class.drill.is_counting()
        {
            class.drill.pause(time);
            self.notice = Some(Notice::warning(BACKGROUND_PAUSE));
        }
        if let Stage::Drill(class) = &mut self.stage {
            match class.ready_until {
                Some(until) if until <= time => class.go(until),
                Some(_) => ui.ctx().request_repaint_after(Duration::from_millis(100)),
                None => {}
            }
        }
        if let Stage::Drill(class) = &mut self.stage
            && class.drill.tick(time)
        {
            self.sync_log(cx);
        }
        self.refresh_decks(cx.library());
        let mut state = std::mem::take(&mut self.ui);
        let view = self.view(time, true);
        let action = state.show(ui, &view);
        self.ui = state;
        if let Some(action) = action {
            self.handle(action, cx);
        }
        if self.drill().is_some_and(Drill::is_counting) {
            // The countdown bar moves smoothly; nothing repaints once it stops.
            ui.ctx().request_repaint_after(Duration::from_millis(100));
        }
        if self.save_dialog.is_some() || self.saving.is_some() {
            ui.ctx().request_repaint_after(Duration::from_millis(100));
        }
    }

    fn command(&mut self, command: Command, cx: &mut AppContext<'_>) {
        if let Stage::Live(class) = &self.stage {
            let action = self.ui.live_command(class.snapshot(), command);
            if let Some(action) = action {
                self.handle(action, cx);
            }
            return;
        }
        self.refresh_decks(cx.library());
        let mut state = std::mem::take(&mut self.ui);
        let view = self.view(cx.time, false);
        let action = state.command(&view, command);
        self.ui = state;
        if let Some(action) = action {
            self.handle(action, cx);
        }
    }
}

impl DrillScreen {
    /// The live game's frame: the game as of now, its log, its view, and a repaint soon while
    /// it runs (the count rises and the countdown moves without any input here).
    fn live_ui(&mut self, ui: &mut egui::Ui, cx: &mut AppContext<'_>) {
        let Stage::Live(class) = &mut self.stage else {
            return;
        };
        class.refresh();
        self.sync_live_log(cx);
        let Stage::Live(class) = &self.stage else {
            return;
        };
        let mut state = std::mem::take(&mut self.ui);
        let action = state.live(ui, &class.view(self.notice.as_ref()));
        // The countdown moves smoothly during a question; names and phases appear within a
        // quarter second otherwise.
        let repaint = class.is_live().then(|| {
            if class.snapshot().game.phase == flashdrill_live::Phase::Question {
                Duration::from_millis(100)
            } else {
                Duration::from_millis(250)
            }
        });
        self.ui = state;
        if let Some(action) = action {
            self.handle(action, cx);
        }
        if let Some(after) = repaint {
            ui.ctx().request_repaint_after(after);
        }
        if self.save_dialog.is_some() || self.saving.is_some() {
            ui.ctx().request_repaint_after(Duration::from_millis(100));
        }
    }
}

/// Every loaded deck's id and cards, as the drill builders take them.
fn deck_cards(library: &Library) -> Vec<(&str, &[Card])> {
    library
        .decks
        .iter()
        .map(|l| (l.deck.id.as_str(), l.deck.cards.as_slice()))
        .collect()
}

/// Each deck's id, title and card count per category.
fn count_decks(library: &Library) -> Vec<DrillDeck> {
    library
        .decks
        .iter()
        .map(|loaded| {
            let mut categories: Vec<(String, usize)> = Vec::new();
            for card in &loaded.deck.cards {
                match categories.iter_mut().find(|(c, _)| *c == card.category) {
                    Some(entry) => entry.1 += 1,
                    None => categories.push((card.category.clone(), 1)),
                }
            }
            DrillDeck {
                id: loaded.deck.id.clone(),
                title: loaded.deck.title.clone(),
                categories,
            }
        })
        .collect()
}
