//! The card browser: every card with its progress in a virtualised table (`table.rs`), with
//! search, filters, sorting, actions on a selection (suspend, bury, reset, undo, practise),
//! and a card's details (`detail.rs`: its history and forgetting curve).
//!
//! The table is built from the decks and the stored progress when the screen opens: at once
//! for a few thousand cards, as a job reading its own connection for more.

mod detail;
mod table;
mod text;

use std::sync::Arc;

use chrono::{DateTime, Utc};

pub use detail::{detail_panel, detail_side_panel};
pub use table::{BrowserAction, BrowserState, BrowserView};
pub use text::state_label;

use crate::jobs::{self, Job};
use crate::ui::commands::Command;
use crate::ui::messages;
use crate::ui::notice::Notice;
use crate::ui::view::{AppCommand, AppContext, Screen, View};
use flashdrill_core::browse::{self, CardDetail, CardTable, EventGroup, TimelineEvent};
use flashdrill_core::collection::{Collection, CollectionError, Op, OpOutput};
use flashdrill_core::deck::Library;
use flashdrill_core::schedule::Scheduler;
use flashdrill_core::session::CardKey;
use flashdrill_core::store::{CardProgress, Mode, Store, StoreError};

/// Collections up to this many cards are read at once (a few milliseconds); larger ones as a
/// background job, so the window never stalls (100,000 cards take about 0.4 s).
const BUILD_AT_ONCE_CARDS: usize = 5_000;

/// Events closer than this many years share no level on the timeline (their labels would
/// overlap at the whole-axis zoom).
const TIMELINE_GAP_YEARS: f64 = 6.0;

/// What the browser and the timeline show, built from the decks and the stored progress.
pub struct BrowseData {
    pub table: CardTable,
    pub events: Vec<TimelineEvent>,
    pub groups: Vec<EventGroup>,
}

impl BrowseData {
    fn build(
        library: &Library,
        store: Option<&Store>,
        scheduler: Option<&Scheduler>,
        now: DateTime<Utc>,
    ) -> Result<Self, String> {
        let records = match store.map(|s| s.card_states(None)) {
            Some(Ok(records)) => records,
            Some(Err(err)) => return Err(messages::store("Progress could not be read", &err)),
            None => Vec::new(),
        };
        let table = CardTable::build(library, &records);
        let events = scheduler.map_or_else(Vec::new, |s| {
            browse::timeline_events(&table, s, now, TIMELINE_GAP_YEARS)
        });
        let groups = browse::event_groups(&events);
        Ok(Self {
            table,
            events,
            groups,
        })
    }

    /// Builds the data for the decks and progress as they are now: at once for a small
    /// collection, else as a job on its own connection to the database.
    #[must_use]
    pub fn start(cx: &AppContext<'_>) -> Job<Result<Self, String>> {
        let scheduler = Scheduler::new(cx.settings().scheduler_config()).ok();
        let now = cx.now;
        match (cx.store(), cx.col().connector()) {
            (Some(_), Some(connector)) if cx.library().card_count() > BUILD_AT_ONCE_CARDS => {
                let library = Arc::clone(cx.library());
                cx.jobs.spawn(move || {
                    connector
                        .open()
                        .map_err(|err| messages::store("Progress could not be read", &err))
                        .and_then(|store| {
                            Self::build(&library, Some(&store), scheduler.as_ref(), now)
                        })
                })
            }
            (store, _) => Job::ready(Self::build(cx.library(), store, scheduler.as_ref(), now)),
        }
    }

    /// The built data once the job is done; until then a spinner in its place. `Err` carries
    /// what to tell the learner.
    pub fn wait(
        job: &mut Option<Job<Result<Self, String>>>,
        ui: &mut egui::Ui,
        cards: usize,
    ) -> Option<Result<Self, String>> {
        match jobs::finished(job) {
            Some(Ok(data)) => Some(data),
            Some(Err(jobs::Lost)) => Some(Err(
                "Reading the cards stopped unexpectedly: open the screen again.".to_owned(),
            )),
            None if job.is_some() => {
                ui.add_space(24.0);
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!("Reading the progress of {cards} cards…"));
                });
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(50));
                None
            }
            None => None,
        }
    }
}

/// A card's details from the store, or why they could not be read.
pub fn card_detail(cx: &AppContext<'_>, key: &CardKey) -> Result<CardDetail, String> {
    let loaded = cx.library().deck(&key.deck_id);
    let card = loaded.and_then(|l| l.deck.cards.iter().find(|c| c.id == key.card_id));
    let (Some(loaded), Some(card)) = (loaded, card) else {
        return Err(format!("The card {key} is no longer in its deck."));
    };
    let store = cx.store().ok_or("No profile is open.")?;
    let read = |err: StoreError| messages::store("The card's progress could not be read", &err);
    let progress = store.card(&key.deck_id, &key.card_id).map_err(read)?;
    let history = store
        .card_history(&key.deck_id, &key.card_id)
        .map_err(read)?;
    let scheduler = Scheduler::new(cx.settings().scheduler_config())
        .map_err(|e| format!("{e}. Change the setting on the Settings screen."))?;
    Ok(CardDetail::new(
        key.clone(),
        &loaded.deck.title,
        card,
        progress,
        history,
        &scheduler,
        cx.now,
    ))
}

/// Asks for a practice session over `keys` (answers logged, schedules left as they are) that
/// comes back to `return_to`; says why not on failure.
pub fn practise(
    keys: Vec<CardKey>,
    return_to: Screen,
    cx: &mut AppContext<'_>,
) -> Result<(), Notice> {
    if keys.is_empty() {
        return Ok(());
    }
    let Some(store) = cx.store() else {
        return Ok(());
    };
    let mut queue = Vec::with_capacity(keys.len());
    for key in keys {
        match store.card(&key.deck_id, &key.card_id) {
            Ok(p) => queue.push((key, p.unwrap_or_else(|| CardProgress::new_card(cx.now)))),
            Err(err) => {
                return Err(Notice::error(messages::store(
                    "Could not start the session",
                    &err,
                )));
            }
        }
    }
    cx.send(AppCommand::StartSession {
        queue,
        mode: Mode::Practice,
        form: None,
        return_to,
    });
    Ok(())
}

/// The card browser screen.
#[derive(Default)]
pub struct BrowserScreen {
    ui: BrowserState,
    table: CardTable,
    detail: Option<CardDetail>,
    /// The table being built.
    job: Option<Job<Result<BrowseData, String>>>,
    notice: Option<Notice>,
}

impl BrowserScreen {
    pub fn set_notice(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    fn install(&mut self, data: Result<BrowseData, String>, cx: &AppContext<'_>) {
        match data {
            Ok(data) => {
                self.table = data.table;
                self.refresh_detail(cx);
            }
            Err(err) => self.notice = Some(Notice::error(err)),
        }
    }

    /// Reloads the open detail panel (after its card changed).
    fn refresh_detail(&mut self, cx: &AppContext<'_>) {
        if let Some(key) = self.detail.as_ref().map(|d| d.key.clone()) {
            self.detail = card_detail(cx, &key).ok();
        }
    }

    fn handle(&mut self, action: BrowserAction, cx: &mut AppContext<'_>) {
        let day_end =
            flashdrill_core::schedule::day_end(&cx.now_local(), cx.settings().day_starts_at);
        match action {
            BrowserAction::Suspend(keys) => {
                self.change(cx, "suspend", |col, now| col.suspend(&keys, true, now));
            }
            BrowserAction::Unsuspend(keys) => {
                self.change(cx, "unsuspend", |col, now| col.suspend(&keys, false, now));
            }
            BrowserAction::Bury(keys) => {
                self.change(cx, "bury", |col, now| col.bury(&keys, day_end, now));
            }
            BrowserAction::Reset(keys) => {
                self.change(cx, "reset", |col, now| col.reset(&keys, now));
            }
            BrowserAction::Undo => self.undo_change(cx),
            BrowserAction::Practise(keys) => {
                if let Err(notice) = practise(keys, Screen::Browse, cx) {
                    self.notice = Some(notice);
                }
            }
            BrowserAction::ShowDetails(key) => match card_detail(cx, &key) {
                Ok(detail) => self.detail = Some(detail),
                Err(err) => self.notice = Some(Notice::error(err)),
            },
            BrowserAction::CloseDetails => self.detail = None,
            BrowserAction::Postpone(n, deck) => {
                let now = cx.now_local();
                let done = cx.apply(|col| col.postpone(n, deck.as_deref(), &now));
                self.moved(cx, done, "postpone", "due today");
            }
            BrowserAction::Advance(n, deck) => {
                let now = cx.now_local();
                let done = cx.apply(|col| col.advance(n, deck.as_deref(), &now));
                self.moved(cx, done, "advance", "not due today");
            }
        }
    }

    /// After a postpone or an advance: the table read again, and what was done.
    fn moved(
        &mut self,
        cx: &mut AppContext<'_>,
        done: Result<usize, CollectionError>,
        what: &str,
        which: &str,
    ) {
        self.notice = Some(match done {
            Ok(0) => Notice::success(format!("No review card is {which}: nothing to {what}.")),
            Ok(_) => {
                self.job = Some(BrowseData::start(cx));
                let done = cx.col().undo_op().map(Op::done).unwrap_or_default();
                Notice::success(format!("{done}."))
            }
            Err(err) => Notice::error(messages::collection(
                &format!("Could not {what} the cards; none was moved"),
                &err,
            )),
        });
    }

    /// Runs `change` on the selection: one operation, one transaction, one undo entry.
    /// `what` names it in a message ("Could not reset the cards").
    fn change(
        &mut self,
        cx: &mut AppContext<'_>,
        what: &str,
        change: impl FnOnce(&mut Collection, DateTime<Utc>) -> Changed,
    ) {
        let now = cx.now;
        self.notice = Some(match cx.apply(|col| change(col, now)) {
            Ok(after) if after.is_empty() => return,
            Ok(after) => {
                for (key, progress) in &after {
                    self.table.set_progress(key, Some(*progress));
                }
                let done = cx.col().undo_op().map(Op::done).unwrap_or_default();
                Notice::success(format!("{done}."))
            }
            Err(err) => Notice::error(messages::collection(
                &format!("Could not {what} the cards; none was changed"),
                &err,
            )),
        });
        self.refresh_detail(cx);
    }

    /// Takes back the collection's newest operation (the browser's own, an answer or a
    /// setting: one undo for the whole app).
    fn undo_change(&mut self, cx: &mut AppContext<'_>) {
        let now = cx.now;
        self.notice = Some(match cx.apply(|col| col.undo(None, now)) {
            Ok(undone) => {
                for (key, progress) in &undone.cards {
                    self.table.set_progress(key, *progress);
                }
                Notice::success(format!("Undone: {}.", undone.op))
            }
            Err(err) => Notice::error(messages::collection("Could not undo", &err)),
        });
        self.refresh_detail(cx);
    }
}

/// What a change to a selection returns: each card's progress after it.
type Changed = Result<OpOutput<Vec<(CardKey, CardProgress)>>, CollectionError>;

impl View for BrowserScreen {
    fn open(&mut self, cx: &mut AppContext<'_>) {
        self.notice = None;
        self.job = Some(BrowseData::start(cx));
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut AppContext<'_>) {
        if let Some(data) = BrowseData::wait(&mut self.job, ui, cx.library().card_count()) {
            self.install(data, cx);
        }
        if self.job.is_some() {
            return;
        }
        let day_end =
            flashdrill_core::schedule::day_end(&cx.now_local(), cx.settings().day_starts_at);
        self.table.refresh(&self.ui.query, day_end);
        // The undo of a change to cards (study's answers included): what this screen shows.
        let undo_label = cx
            .col()
            .undo_op()
            .filter(|op| op.changes().cards)
            .and_then(|_| cx.col().undo_label());
        let view = BrowserView {
            table: &self.table,
            now: cx.now,
            detail: self.detail.as_ref(),
            undo: undo_label.as_deref(),
            notice: self.notice.as_ref(),
        };
        if let Some(action) = self.ui.show(ui, &view) {
            self.handle(action, cx);
        }
    }

    fn command(&mut self, command: Command, cx: &mut AppContext<'_>) {
        match command {
            Command::Back => cx.send(AppCommand::GoTo(Screen::Home)),
            Command::Undo => self.undo_change(cx),
            _ => {}
        }
    }
}
