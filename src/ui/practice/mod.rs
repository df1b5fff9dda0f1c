//! The practice screen: study any deck, category or tag now, whatever the schedule says.
//!
//! Two parts: the setup (`setup.rs`: quick buttons, deck / category / tag / form pickers and
//! the count of matching cards) and, for the timeline and matching forms, the round of
//! questions itself (`round.rs`; card-by-card forms run on the study screen). Practice answers
//! are logged with mode `practice`; they never move a card's schedule.

mod round;
mod setup;

pub use round::{RoundAction, RoundState, RoundView};
pub use setup::{
    CARD_LIMITS, PracticeAction, PracticeState, PracticeView, Quick, ROUND_SIZES, form_labels,
    quick_buttons,
};

use crate::ui::commands::Command;
use crate::ui::messages;
use crate::ui::notice::Notice;
use crate::ui::view::{AppCommand, AppContext, Screen, View};
use flashdrill_core::collection::Changes;
use flashdrill_core::collection::CollectionError;
use flashdrill_core::practice::{self, PracticeFilter, PracticeForm, RoundQuestion};
use flashdrill_core::quiz::SessionForm;
use flashdrill_core::schedule::Scheduler;
use flashdrill_core::session::CardKey;
use flashdrill_core::store::{CardRecord, Mode, NewReview, ReviewRecord};

/// What the practice screen counts with, read from the store when it opens and after answers.
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

/// The practice screen: the setup, or a round in progress.
#[derive(Default)]
pub struct PracticeScreen {
    ui: PracticeState,
    data: PracticeData,
    /// Whether what it shows was read since the last change to the collection.
    fresh: bool,
    round: Option<Round>,
    notice: Option<Notice>,
}

impl PracticeScreen {
    pub fn set_notice(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    pub fn clear_notice(&mut self) {
        self.notice = None;
    }

    /// Rereads the card states and today's answers the practice filters count with.
    fn refresh(&mut self, cx: &AppContext<'_>) {
        let library = cx.library();
        self.data.decks = library
            .decks
            .iter()
            .map(|d| (d.deck.id.clone(), d.deck.title.clone()))
            .collect();
        self.data.categories = practice::categories(library);
        self.data.tags = practice::tags(library);
        let Some(store) = cx.store() else {
            return;
        };
        let since =
            flashdrill_core::schedule::day_start(&cx.now_local(), cx.settings().day_starts_at);
        let read = store
            .card_states(None)
            .and_then(|states| Ok((states, store.reviews_since(since)?)));
        match read {
            Ok((states, today)) => {
                self.data.states = states;
                self.data.reviews_today = today;
            }
            Err(err) => {
                self.notice = Some(Notice::error(messages::store(
                    "Could not read your progress",
                    &err,
                )));
            }
        }
    }

    fn handle(&mut self, action: PracticeAction, cx: &mut AppContext<'_>) {
        match action {
            PracticeAction::Home => cx.send(AppCommand::GoTo(Screen::Home)),
            PracticeAction::Start {
                filter,
                form: PracticeForm::Cards(form),
                ..
            } => self.start_cards(&filter, form, cx),
            PracticeAction::Start {
                filter,
                form,
                questions,
            } => {
                let data = &self.data;
                let cards = practice::practice_cards(
                    cx.library(),
                    &data.states,
                    &data.reviews_today,
                    &filter,
                    cx.seed,
                );
                let questions = practice::round(form, &cards, questions, cx.seed);
                if questions.is_empty() {
                    self.notice = Some(Notice::error(
                        "These cards cannot make a question: pick more cards.",
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

    /// Asks for a practice session on the study screen: the filter's cards whatever is due,
    /// logged with mode `practice` (card states untouched).
    fn start_cards(&mut self, filter: &PracticeFilter, form: SessionForm, cx: &mut AppContext<'_>) {
        if let Err(err) = Scheduler::new(cx.settings().scheduler_config()) {
            self.notice = Some(Notice::error(format!(
                "Could not start the session: {err}. Change the setting on the Settings screen."
            )));
            return;
        }
        let data = &self.data;
        let queue = practice::practice_queue(
            cx.library(),
            &data.states,
            &data.reviews_today,
            filter,
            cx.seed,
            cx.now,
        );
        if queue.is_empty() {
            self.notice = Some(Notice::info("No card matches."));
            return;
        }
        if cx.store().is_none() {
            return;
        }
        cx.send(AppCommand::StartSession {
            queue,
            mode: Mode::Practice,
            form: Some(form),
            return_to: Screen::Practice,
        });
    }

    fn handle_round(&mut self, action: RoundAction, cx: &mut AppContext<'_>) {
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
                if let Err(err) = record(cx, &keys, &right, &given, response_ms) {
                    self.notice = Some(Notice::error(messages::collection(
                        "The answer could not be saved",
                        &err,
                    )));
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
                self.refresh(cx);
            }
        }
    }
}

impl View for PracticeScreen {
    fn open(&mut self, _cx: &mut AppContext<'_>) {
        self.fresh = false;
    }

    fn changed(&mut self, changes: Changes) {
        if changes.any() {
            self.fresh = false;
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut AppContext<'_>) {
        if let Some(round) = self.round.as_mut() {
            let (view, round_ui) = round.view();
            if let Some(action) = round_ui.show(ui, &view) {
                self.handle_round(action, cx);
            }
            return;
        }
        if !self.fresh {
            self.refresh(cx);
            self.fresh = true;
        }
        let (library, data) = (cx.library(), &self.data);
        let counts = |filter: &PracticeFilter| {
            practice::counts(library, &data.states, &data.reviews_today, filter)
        };
        let view = PracticeView {
            decks: &data.decks,
            categories: &data.categories,
            tags: &data.tags,
            counts: &counts,
            notice: self.notice.as_ref(),
        };
        if let Some(action) = self.ui.show(ui, &view) {
            self.handle(action, cx);
        }
    }

    fn command(&mut self, command: Command, cx: &mut AppContext<'_>) {
        if let Some(round) = self.round.as_mut() {
            let (view, round_ui) = round.view();
            if let Some(action) = round_ui.command(&view, command, cx.time) {
                self.handle_round(action, cx);
            }
        } else if let Some(action) = self.ui.command(command) {
            self.handle(action, cx);
        }
    }
}

/// Logs one practice answer per card of a timeline or matching question: Good when it
/// counted as right, else Again; the question's time is shared out between the cards.
fn record(
    cx: &mut AppContext<'_>,
    keys: &[CardKey],
    right: &[bool],
    given: &[Option<String>],
    response_ms: u64,
) -> Result<(), CollectionError> {
    if cx.store().is_none() {
        return Ok(());
    }
    let now = cx.now;
    let each_ms = response_ms / keys.len().max(1) as u64;
    let reviews: Vec<NewReview<'_>> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let ok = right.get(i).copied().unwrap_or(false);
            NewReview {
                deck_id: &key.deck_id,
                card_id: &key.card_id,
                at: now,
                rating: practice::answer_rating(ok),
                mode: Mode::Practice,
                answer_given: given.get(i).and_then(|g| g.as_deref()),
                correct: Some(ok),
                response_ms: each_ms,
                state_after: None,
            }
        })
        .collect();
    cx.apply(|col| col.log_answers(&reviews)).map(drop)
}
