//! The app's side of drill mode: starts a [`Drill`] from the loaded decks, carries out the
//! teacher's actions with the frame's time, saves the results, and keeps the review log in step
//! with the drill (one `drill` review per card of each settled question, taken back when the
//! teacher goes back to it). Drill answers never change a card's schedule.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{TryRecvError, channel};
use std::time::Duration;

use chrono::Utc;

use super::{FlashdrillApp, Screen};
use crate::deck::Library;
use crate::drill::{Drill, LogEntry, Phase};
use crate::schedule::Rating;
use crate::store::{LeechPolicy, Mode, NewReview};
use crate::ui::commands::Command;
use crate::ui::drill::{DrillAction, DrillDeck, DrillView};

/// Shown when the countdown stopped because the window went to the background.
const BACKGROUND_PAUSE: &str = "Paused while flashdrill was in the background. Press P to go on.";

/// A drill under way and the review-log rows written for its questions.
pub(super) struct ClassDrill {
    drill: Drill,
    /// Question index → the log rows recorded for it.
    logged: BTreeMap<usize, Vec<i64>>,
}

impl FlashdrillApp {
    /// The drill under way or on the podium (for tests).
    #[must_use]
    pub fn drill(&self) -> Option<&Drill> {
        self.drill.as_ref().map(|d| &d.drill)
    }

    /// Whether the projector view is on (the app's top bar is hidden then).
    pub(super) fn drill_is_projecting(&self) -> bool {
        self.screen == Screen::Drill && self.drill.is_some()
    }

    /// The decks on offer in the setup, counted once per library (not every frame). The cache
    /// holds a clone of the `Arc`, so an import (`Arc::make_mut`) makes a new library and a
    /// recount.
    fn refresh_drill_decks(&mut self) {
        let fresh = self
            .drill_decks
            .as_ref()
            .is_some_and(|(library, _)| Arc::ptr_eq(library, &self.library));
        if !fresh {
            let decks = count_decks(&self.library);
            self.drill_decks = Some((Arc::clone(&self.library), decks));
        }
    }

    /// Drill mode's screen: the setup, the projector view or the podium.
    pub(super) fn drill_screen(&mut self, ui: &mut egui::Ui, time: f64) {
        self.poll_drill_save();
        // The teacher switched to another window: the countdown waits for them.
        let unfocused = ui.input(|i| i.viewport().focused == Some(false));
        if unfocused
            && let Some(class) = self.drill.as_mut()
            && class.drill.is_counting()
        {
            class.drill.pause(time);
            self.drill_notice = Some((BACKGROUND_PAUSE.to_owned(), false));
        }
        if let Some(class) = self.drill.as_mut()
            && class.drill.tick(time)
        {
            self.sync_drill_log();
        }
        self.refresh_drill_decks();
        let view = DrillView {
            decks: self.drill_decks.as_ref().map_or(&[], |(_, d)| d),
            drill: self.drill.as_ref().map(|d| &d.drill),
            now: time,
            notice: self.drill_notice.as_ref().map(|(t, e)| (t.as_str(), *e)),
        };
        let action = self.drill_ui.show(ui, &view);
        if let Some(action) = action {
            self.handle_drill(ui.ctx(), action, time);
        }
        if self.drill.as_ref().is_some_and(|d| d.drill.is_counting()) {
            // The countdown bar moves smoothly; nothing repaints once it stops.
            ui.ctx().request_repaint_after(Duration::from_millis(100));
        }
    }

    /// A command from the app's table while drill mode is on.
    pub(super) fn drill_command(&mut self, ctx: &egui::Context, command: Command, time: f64) {
        self.refresh_drill_decks();
        let view = DrillView {
            decks: self.drill_decks.as_ref().map_or(&[], |(_, d)| d),
            drill: self.drill.as_ref().map(|d| &d.drill),
            now: time,
            notice: None,
        };
        if let Some(action) = self.drill_ui.command(&view, command) {
            self.handle_drill(ctx, action, time);
        }
    }

    pub(super) fn handle_drill(&mut self, ctx: &egui::Context, action: DrillAction, time: f64) {
        match action {
            DrillAction::Start(setup) => {
                let decks: Vec<(&str, &[crate::deck::Card])> = self
                    .library
                    .decks
                    .iter()
                    .map(|l| (l.deck.id.as_str(), l.deck.cards.as_slice()))
                    .collect();
                let seed = self.seed();
                match Drill::new(setup, &decks, seed) {
                    Ok(mut drill) => {
                        drill.start(time);
                        self.drill_notice = (drill.questions().len() < drill.setup().questions)
                            .then(|| {
                                (
                                    format!(
                                        "Only {} questions could be made from the chosen cards.",
                                        drill.questions().len()
                                    ),
                                    false,
                                )
                            });
                        self.drill = Some(ClassDrill {
                            drill,
                            logged: BTreeMap::new(),
                        });
                        self.drill_ui.drill_closed();
                    }
                    Err(err) => self.drill_notice = Some((err.to_string(), true)),
                }
            }
            DrillAction::Leave => {
                self.close_drill();
                if ctx.input(|i| i.viewport().fullscreen == Some(true)) {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
                }
                self.screen = Screen::Home;
                self.refresh_home();
            }
            DrillAction::NewDrill => self.close_drill(),
            DrillAction::SaveDialog => self.save_drill_dialog(),
            DrillAction::SaveTo(path) => self.save_drill_results(&path),
            action => {
                let Some(class) = self.drill.as_mut() else {
                    return;
                };
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
                        .drill_notice
                        .as_ref()
                        .is_some_and(|n| n.0 == BACKGROUND_PAUSE);
                if resumed || started && self.drill_notice.as_ref().is_some_and(|n| !n.1) {
                    self.drill_notice = None;
                }
            }
        }
        self.sync_drill_log();
    }

    /// Closes the drill (its settled answers are logged already).
    fn close_drill(&mut self) {
        self.sync_drill_log();
        self.drill = None;
        self.drill_save = None;
        self.drill_notice = None;
        self.drill_ui.drill_closed();
    }

    /// Records the newly settled questions and takes back the rows of questions that are no
    /// longer settled (the teacher went back to them).
    fn sync_drill_log(&mut self) {
        let Some(class) = self.drill.as_mut() else {
            return;
        };
        let entries = class.drill.log_entries();
        let Some(store) = self.store.as_mut() else {
            if !entries.is_empty() {
                self.drill_notice = Some((
                    "No profile is open: the drill's answers are not logged.".to_owned(),
                    true,
                ));
            }
            return;
        };
        let settled: Vec<usize> = entries.iter().map(|e| e.question).collect();
        let stale: Vec<usize> = class
            .logged
            .keys()
            .filter(|q| !settled.contains(q))
            .copied()
            .collect();
        let mut problem = None;
        for question in stale {
            for id in class.logged.remove(&question).unwrap_or_default() {
                if let Err(err) = store.undo_answer(id) {
                    problem = Some(format!("A drill answer could not be taken back: {err}"));
                }
            }
        }
        let policy = LeechPolicy::from_settings(&self.settings);
        for entry in &entries {
            if class.logged.contains_key(&entry.question) {
                continue;
            }
            match record(store, entry, policy) {
                Ok(ids) => {
                    class.logged.insert(entry.question, ids);
                }
                Err(err) => {
                    problem = Some(format!("A drill answer could not be logged: {err}"));
                    break;
                }
            }
        }
        if let Some(problem) = problem {
            self.drill_notice = Some((problem, true));
        }
    }

    fn save_drill_dialog(&mut self) {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let picked = rfd::FileDialog::new()
                .add_filter("CSV", &["csv"])
                .set_file_name("drill-results.csv")
                .save_file();
            let _ = tx.send(picked);
        });
        self.drill_save = Some(rx);
    }

    fn poll_drill_save(&mut self) {
        if let Some(rx) = &self.drill_save {
            match rx.try_recv() {
                Ok(picked) => {
                    self.drill_save = None;
                    if let Some(path) = picked {
                        self.save_drill_results(&path);
                    }
                }
                Err(TryRecvError::Disconnected) => self.drill_save = None,
                Err(TryRecvError::Empty) => {}
            }
        }
    }

    fn save_drill_results(&mut self, path: &Path) {
        let Some(class) = self.drill.as_ref() else {
            return;
        };
        self.drill_notice = Some(match std::fs::write(path, class.drill.results_csv()) {
            Ok(()) => (format!("Saved the results to {}.", path.display()), false),
            Err(err) => (
                format!("Could not save the results to {}: {err}", path.display()),
                true,
            ),
        });
    }
}

/// One `drill` review per card of a settled question: Good when some team got it, else Again.
fn record(
    store: &mut crate::store::Store,
    entry: &LogEntry,
    policy: LeechPolicy,
) -> Result<Vec<i64>, crate::store::StoreError> {
    let at = Utc::now();
    let mut ids = Vec::with_capacity(entry.cards.len());
    for card in &entry.cards {
        let review = NewReview {
            deck_id: &card.deck_id,
            card_id: &card.card_id,
            at,
            rating: if entry.correct {
                Rating::Good
            } else {
                Rating::Again
            },
            mode: Mode::Drill,
            answer_given: None,
            correct: Some(entry.correct),
            response_ms: (entry.secs * 1000.0) as u64,
            state_after: None,
        };
        ids.push(store.record_answer(&review, policy)?.review_id);
    }
    Ok(ids)
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
