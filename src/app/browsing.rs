//! The card browser and the timeline in the app: building their data, carrying out their
//! actions through the store, and starting practice sessions.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use chrono::{DateTime, Local, Utc};

use super::{FlashdrillApp, Screen, SessionStart};
use crate::browse::{self, CardDetail, CardTable, EventGroup, TimelineEvent};
use crate::deck::Library;
use crate::schedule::Scheduler;
use crate::session::CardKey;
use crate::store::{CardProgress, Mode, Store, StoreError};
use crate::ui::browser::{BrowserAction, BrowserState, BrowserView};
use crate::ui::timeline::{TimelineAction, TimelineState, TimelineView};

/// The card browser's and the timeline's data, rebuilt when either screen is opened.
#[derive(Default)]
pub(super) struct Browse {
    table: CardTable,
    ui: BrowserState,
    detail: Option<CardDetail>,
    /// The last change made in the browser, for undo.
    undo: Option<BrowseChange>,
    timeline: TimelineState,
    events: Vec<TimelineEvent>,
    groups: Vec<EventGroup>,
    timeline_detail: Option<CardDetail>,
    /// The table and events being built on a background thread (large collections).
    job: Option<Receiver<Result<BrowseData, String>>>,
}

/// What the browser and the timeline show, built from the decks and the stored progress.
struct BrowseData {
    table: CardTable,
    events: Vec<TimelineEvent>,
    groups: Vec<EventGroup>,
}

impl BrowseData {
    fn build(
        library: &Library,
        store: Option<&Store>,
        scheduler: Option<&Scheduler>,
    ) -> Result<Self, String> {
        let records = match store.map(|s| s.card_states(None)) {
            Some(Ok(records)) => records,
            Some(Err(err)) => return Err(format!("Progress could not be read: {err}")),
            None => Vec::new(),
        };
        let table = CardTable::build(library, &records);
        let events = scheduler.map_or_else(Vec::new, |s| {
            browse::timeline_events(&table, s, Utc::now(), TIMELINE_GAP_YEARS)
        });
        let groups = browse::event_groups(&events);
        Ok(Self {
            table,
            events,
            groups,
        })
    }
}

/// Collections up to this many cards are read at once (a few milliseconds); larger ones on a
/// background thread, so the window never stalls (100,000 cards take about 0.4 s).
const BUILD_AT_ONCE_CARDS: usize = 5_000;

/// A change made in the browser: its name ("reset", …) and each card's progress before it.
type BrowseChange = (&'static str, Vec<(CardKey, Option<CardProgress>)>);

/// Events closer than this many years share no level on the timeline (their labels would
/// overlap at the whole-axis zoom).
const TIMELINE_GAP_YEARS: f64 = 6.0;

impl FlashdrillApp {
    /// Opens the browser or the timeline over the decks and the progress as they are now.
    pub(super) fn open_browse(&mut self, screen: Screen) {
        self.screen = screen;
        self.notice = None;
        let scheduler = Scheduler::new(self.settings.scheduler_config()).ok();
        let cards = self.library.card_count();
        let background = self.background_loading && cards > BUILD_AT_ONCE_CARDS;
        match (background, self.store.as_ref()) {
            (true, Some(store)) => {
                let path = store.path().to_path_buf();
                let library = Arc::clone(&self.library);
                let (tx, rx) = channel();
                std::thread::spawn(move || {
                    let data = Store::open(&path)
                        .map_err(|err| format!("Progress could not be read: {err}"))
                        .and_then(|store| {
                            BrowseData::build(&library, Some(&store), scheduler.as_ref())
                        });
                    let _ = tx.send(data);
                });
                self.browse.job = Some(rx);
            }
            (_, store) => {
                self.browse.job = None;
                let data = BrowseData::build(&self.library, store, scheduler.as_ref());
                self.install_browse(data);
            }
        }
    }

    /// Takes the built table and events, or shows why they could not be built.
    fn install_browse(&mut self, data: Result<BrowseData, String>) {
        match data {
            Ok(data) => {
                let b = &mut self.browse;
                b.table = data.table;
                b.events = data.events;
                b.groups = data.groups;
                self.refresh_details();
            }
            Err(err) => self.fail(err),
        }
    }

    /// While the table is built in the background: checks for it, and shows a spinner in its
    /// place. Returns whether the screen can be drawn.
    fn browse_ready(&mut self, ui: &mut egui::Ui) -> bool {
        let Some(job) = self.browse.job.as_ref() else {
            return true;
        };
        match job.try_recv() {
            Ok(data) => {
                self.browse.job = None;
                self.install_browse(data);
                true
            }
            Err(TryRecvError::Empty) => {
                let cards = self.library.card_count();
                ui.add_space(24.0);
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!("Reading the progress of {cards} cards…"));
                });
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(50));
                false
            }
            Err(TryRecvError::Disconnected) => {
                self.browse.job = None;
                self.fail("Reading the cards stopped unexpectedly.".to_owned());
                true
            }
        }
    }

    /// A card's details from the store, or why they could not be read.
    fn card_detail(&self, key: &CardKey) -> Result<CardDetail, String> {
        let (loaded, card) = self
            .card(key)
            .ok_or_else(|| format!("The card {key} is no longer in its deck."))?;
        let store = self.store.as_ref().ok_or("No profile is open.")?;
        let progress = store
            .card(&key.deck_id, &key.card_id)
            .map_err(|e| e.to_string())?;
        let history = store
            .card_history(&key.deck_id, &key.card_id)
            .map_err(|e| e.to_string())?;
        let scheduler =
            Scheduler::new(self.settings.scheduler_config()).map_err(|e| e.to_string())?;
        let title = &loaded.deck.title;
        let now = Utc::now();
        Ok(CardDetail::new(
            key.clone(),
            title,
            card,
            progress,
            history,
            &scheduler,
            now,
        ))
    }

    /// Reloads the open detail panels (after their card changed).
    fn refresh_details(&mut self) {
        for timeline in [false, true] {
            let open = if timeline {
                &self.browse.timeline_detail
            } else {
                &self.browse.detail
            };
            let Some(key) = open.as_ref().map(|d| d.key.clone()) else {
                continue;
            };
            let detail = self.card_detail(&key).ok();
            if timeline {
                self.browse.timeline_detail = detail;
            } else {
                self.browse.detail = detail;
            }
        }
    }

    pub(super) fn browser(&mut self, ui: &mut egui::Ui, time: f64) {
        if !self.browse_ready(ui) {
            return;
        }
        let day_end = crate::schedule::day_end(&Local::now(), self.settings.day_starts_at);
        let b = &mut self.browse;
        b.table.refresh(&b.ui.query, day_end);
        let view = BrowserView {
            table: &b.table,
            now: Utc::now(),
            detail: b.detail.as_ref(),
            undo: b.undo.as_ref().map(|u| u.0),
            notice: self.notice.as_ref().map(|(t, e)| (t.as_str(), *e)),
        };
        if let Some(action) = b.ui.show(ui, &view) {
            self.handle_browser(action, time);
        }
    }

    fn handle_browser(&mut self, action: BrowserAction, time: f64) {
        let day_end = crate::schedule::day_end(&Local::now(), self.settings.day_starts_at);
        match action {
            BrowserAction::Suspend(keys) => {
                self.change_cards(("suspend", "Suspended"), &keys, |s, k, now| {
                    s.set_suspended(&k.deck_id, &k.card_id, true, now)
                });
            }
            BrowserAction::Unsuspend(keys) => {
                self.change_cards(("unsuspend", "Unsuspended"), &keys, |s, k, now| {
                    s.set_suspended(&k.deck_id, &k.card_id, false, now)
                });
            }
            BrowserAction::Bury(keys) => {
                self.change_cards(("bury", "Buried"), &keys, |s, k, now| {
                    s.bury(&k.deck_id, &k.card_id, Some(day_end), now)
                });
            }
            BrowserAction::Reset(keys) => {
                self.change_cards(("reset", "Reset"), &keys, |s, k, now| {
                    s.reset_card(&k.deck_id, &k.card_id, now)
                });
            }
            BrowserAction::Undo => self.undo_browse_change(),
            BrowserAction::Practise(keys) => self.start_practice(keys, time),
            BrowserAction::ShowDetails(key) => match self.card_detail(&key) {
                Ok(detail) => self.browse.detail = Some(detail),
                Err(err) => self.fail(err),
            },
            BrowserAction::CloseDetails => self.browse.detail = None,
        }
    }

    /// Applies `change` to each card in the store, keeping their progress before for undo.
    /// `what` names the change ("reset") and what was done ("Reset") in messages.
    fn change_cards(
        &mut self,
        (what, done): (&'static str, &'static str),
        keys: &[CardKey],
        change: impl Fn(&mut Store, &CardKey, DateTime<Utc>) -> Result<Option<CardProgress>, StoreError>,
    ) {
        let Some(store) = self.store.as_mut() else {
            return;
        };
        let now = Utc::now();
        let mut before = Vec::with_capacity(keys.len());
        let mut error = None;
        for key in keys {
            match change(store, key, now).and_then(|prev| {
                let after = store.card(&key.deck_id, &key.card_id)?;
                Ok((prev, after))
            }) {
                Ok((prev, after)) => {
                    self.browse.table.set_progress(key, after);
                    before.push((key.clone(), prev));
                }
                Err(err) => {
                    error = Some(err);
                    break;
                }
            }
        }
        let n = before.len();
        self.browse.undo = (n > 0).then_some((what, before));
        self.notice = Some(match error {
            Some(err) => (format!("Could not {what} every card: {err}"), true),
            None => (
                format!("{done} {n} {}.", if n == 1 { "card" } else { "cards" }),
                false,
            ),
        });
        self.refresh_details();
    }

    fn undo_browse_change(&mut self) {
        let (Some(store), Some((what, before))) = (self.store.as_mut(), self.browse.undo.take())
        else {
            return;
        };
        let mut error = None;
        for (key, prev) in before.iter().rev() {
            match store.restore_card(&key.deck_id, &key.card_id, prev.as_ref()) {
                Ok(()) => {
                    self.browse.table.set_progress(key, *prev);
                }
                Err(err) => {
                    error = Some(err);
                    break;
                }
            }
        }
        self.notice = Some(match error {
            Some(err) => (format!("Could not undo the {what}: {err}"), true),
            None => (format!("Undone: {what} of {} cards.", before.len()), false),
        });
        self.refresh_details();
    }

    /// A practice session over `keys`: answers are logged, schedules stay as they are.
    /// Leaving it comes back to this screen.
    fn start_practice(&mut self, keys: Vec<CardKey>, time: f64) {
        if keys.is_empty() {
            return;
        }
        let Some(store) = self.store.take() else {
            return;
        };
        let now = Utc::now();
        let mut queue = Vec::with_capacity(keys.len());
        for key in keys {
            match store.card(&key.deck_id, &key.card_id) {
                Ok(p) => queue.push((key, p.unwrap_or_else(|| CardProgress::new_card(now)))),
                Err(err) => {
                    self.store = Some(store);
                    return self.fail(format!("Could not start the session: {err}"));
                }
            }
        }
        let start = SessionStart {
            mode: Mode::Practice,
            form: self.home.form,
            return_to: self.screen,
        };
        self.begin_session(store, queue, &start, now, time);
    }

    pub(super) fn timeline(&mut self, ui: &mut egui::Ui, time: f64) {
        if !self.browse_ready(ui) {
            return;
        }
        let b = &mut self.browse;
        let view = TimelineView {
            events: &b.events,
            groups: &b.groups,
            table: &b.table,
            now: Utc::now(),
            detail: b.timeline_detail.as_ref(),
            notice: self.notice.as_ref().map(|(t, e)| (t.as_str(), *e)),
        };
        match b.timeline.show(ui, &view) {
            Some(TimelineAction::ShowCard(key)) => match self.card_detail(&key) {
                Ok(detail) => self.browse.timeline_detail = Some(detail),
                Err(err) => self.fail(err),
            },
            Some(TimelineAction::CloseCard) => self.browse.timeline_detail = None,
            Some(TimelineAction::Practise(keys)) => self.start_practice(keys, time),
            None => {}
        }
    }
}
