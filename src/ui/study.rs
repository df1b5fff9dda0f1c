//! The study screen: one card at a time in one of four question forms.

use std::time::Duration;

use chrono::{DateTime, Utc};
use egui::{Align, Layout, RichText, Ui};

use super::commands::{self, Command};
use super::messages;
use super::notice::Notice;
use super::theme::{Palette, size};
use super::widgets;
use crate::ui::view::{AppCommand, AppContext, Screen, View};
use flashdrill_core::collection::Answer;
use flashdrill_core::deck::{Card, Library, LoadedDeck};
use flashdrill_core::quiz::grade::{Given, Grade, grade};
use flashdrill_core::quiz::{self, Choices, Cloze, Form, SessionForm};
use flashdrill_core::schedule::{Rating, fuzz_seed};
use flashdrill_core::session::{CardKey, Session, SessionError};
use flashdrill_core::store::Mode;

/// What the study screen needs to show the current card. Built by the app from the session.
pub struct StudyView<'a> {
    pub card: &'a Card,
    /// The card's picture, in its deck's media folder.
    pub image: Option<std::path::PathBuf>,
    pub deck_title: &'a str,
    pub form: Form,
    pub choices: Option<&'a Choices>,
    pub cloze: Option<&'a Cloze>,
    /// What each rating would schedule, Again to Easy ("1m", "10m", "3d", "2.1mo").
    pub intervals: [String; 4],
    /// Answers given in this session, and cards not shown yet (those coming back are
    /// counted apart).
    pub done: usize,
    pub left: usize,
    /// Cards answered in this session that come back later in it.
    pub coming_back: usize,
    /// Seconds since the session started.
    pub session_secs: f64,
    /// Whether the last answer can be undone.
    pub can_undo: bool,
    /// Practice and drill answers leave the schedule alone; the buttons say so.
    pub practice: bool,
    /// Why the session holds fewer cards than the decks have due (daily limits, siblings).
    pub note: Option<&'a str>,
    /// The card's source, labelled ("From the article:"), when it has one worth showing.
    pub source: Option<(&'a str, &'a str)>,
}

/// What the learner did on the study screen.
#[derive(Debug, Clone, PartialEq)]
pub enum StudyAction {
    /// Go on with this rating; the answer is committed.
    Answer {
        rating: Rating,
        answer_given: Option<String>,
        correct: Option<bool>,
        response_ms: u64,
    },
    Undo,
    Leave,
}

/// The screen's own state for the card on show.
#[derive(Debug, Clone, Default)]
pub struct StudyState {
    /// What the learner typed (typed and cloze forms).
    pub typed: String,
    pub phase: Phase,
    /// `ui.input().time` when the card was shown.
    pub shown_at: Option<f64>,
    /// Whether the answer field should take the keyboard focus this frame.
    focus_pending: bool,
    /// Check was asked for with nothing typed: the next one shows the answer.
    empty_warned: bool,
    /// How tall the rating row was last drawn: the card scrolls in the room above it.
    ratings_height: f32,
}

/// The least room the card keeps above the rating row, however small the window.
const MIN_CARD_HEIGHT: f32 = 120.0;

/// How tall the rating row is until it has been drawn once.
const RATINGS_HEIGHT: f32 = 130.0;

/// Question, then answer.
#[derive(Debug, Clone, Default)]
pub enum Phase {
    #[default]
    Asking,
    Answered(Answered),
}

#[derive(Debug, Clone)]
pub struct Answered {
    /// The marking, the proposed rating and the answer as logged.
    pub grade: Grade,
    /// The multiple-choice option picked.
    pub picked: Option<usize>,
    pub response_ms: u64,
}

impl StudyState {
    /// Resets for a new card.
    pub fn next_card(&mut self) {
        *self = Self {
            focus_pending: true,
            ratings_height: self.ratings_height,
            ..Self::default()
        };
    }

    fn elapsed_ms(&self, now: f64) -> u64 {
        self.shown_at
            .map_or(0, |t| ((now - t).max(0.0) * 1000.0) as u64)
    }

    fn reveal(&mut self, view: &StudyView<'_>, picked: Option<usize>, now: f64) {
        if matches!(view.form, Form::Typed | Form::Cloze)
            && self.typed.trim().is_empty()
            && !self.empty_warned
        {
            // Enter on an empty field is more often a slip than "I don't know": ask first.
            self.empty_warned = true;
            self.focus_pending = true;
            return;
        }
        let Some(given) = Given::of_form(view.form, &self.typed, view.choices, picked) else {
            return;
        };
        let response_ms = self.elapsed_ms(now);
        let grade = grade(view.card, given, Duration::from_millis(response_ms));
        self.phase = Phase::Answered(Answered {
            grade,
            picked,
            response_ms,
        });
    }

    /// The answer on show, not rated yet, with the rating Enter would give.
    fn unrated(&self) -> Option<StudyAction> {
        match &self.phase {
            Phase::Answered(a) => self.answer(a.grade.proposed),
            Phase::Asking => None,
        }
    }

    fn answer(&self, rating: Rating) -> Option<StudyAction> {
        let Phase::Answered(a) = &self.phase else {
            return None;
        };
        Some(StudyAction::Answer {
            rating,
            answer_given: a.grade.answer_given.clone(),
            correct: a.grade.correct(),
            response_ms: a.response_ms,
        })
    }

    /// Applies a keyboard command; returns an action for the app if one results.
    pub fn command(
        &mut self,
        view: &StudyView<'_>,
        command: Command,
        now: f64,
    ) -> Option<StudyAction> {
        match command {
            Command::Undo if view.can_undo => Some(StudyAction::Undo),
            Command::Back => Some(StudyAction::Leave),
            Command::Primary => match &self.phase {
                Phase::Asking if view.form != Form::MultipleChoice => {
                    self.reveal(view, None, now);
                    None
                }
                Phase::Asking => None,
                Phase::Answered(a) => self.answer(a.grade.proposed),
            },
            Command::Pick(n) => {
                let index = usize::from(n.saturating_sub(1));
                match &self.phase {
                    Phase::Asking if view.form == Form::MultipleChoice => {
                        if view.choices.is_some_and(|c| index < c.options.len()) {
                            self.reveal(view, Some(index), now);
                        }
                        None
                    }
                    Phase::Asking => None,
                    Phase::Answered(_) => Rating::from_number(n).and_then(|r| self.answer(r)),
                }
            }
            _ => None,
        }
    }

    /// Draws the screen; returns what the learner asked for by clicking.
    /// `now` is the session's clock (time with the window in focus).
    pub fn show(&mut self, ui: &mut Ui, view: &StudyView<'_>, now: f64) -> Option<StudyAction> {
        if self.shown_at.is_none() {
            self.shown_at = Some(now);
        }
        let palette = Palette::of(ui.visuals());
        let mut action = None;

        top_bar(ui, view, &palette, &mut action);
        ui.add_space(12.0);

        // The rating row stays in view below the card, however long the card or small the
        // window: the card scrolls above it, in the room the row (as tall as last frame) leaves.
        let answered = match &self.phase {
            Phase::Answered(a) => Some(a.clone()),
            Phase::Asking => None,
        };
        let room = match answered {
            Some(_) => {
                let reserved = if self.ratings_height > 0.0 {
                    self.ratings_height
                } else {
                    RATINGS_HEIGHT
                };
                (ui.available_height() - reserved).max(MIN_CARD_HEIGHT)
            }
            None => f32::INFINITY,
        };
        egui::ScrollArea::vertical()
            .id_salt("study-card")
            .max_height(room)
            .auto_shrink([false, answered.is_none()])
            .show(ui, |ui| self.card(ui, view, now, &palette));
        if let Some(a) = answered {
            let row = widgets::centered_column(ui, 760.0, |ui| {
                ui.add_space(6.0);
                let top = ui.cursor().top();
                let rated = self.rating_row(ui, view, &a, &palette);
                (rated, ui.cursor().top() - top + 6.0)
            });
            action = action.or(row.0);
            let height = row.1 + ui.spacing().item_spacing.y * 2.0;
            if (height - self.ratings_height).abs() > 0.5 {
                // Laid out with a guess: once more with the row's true height.
                self.ratings_height = height;
                ui.ctx().request_repaint();
            }
        }
        action
    }

    fn card(&mut self, ui: &mut Ui, view: &StudyView<'_>, now: f64, palette: &Palette) {
        let palette = *palette;
        widgets::centered_column(ui, 760.0, |ui| {
            widgets::card_frame(ui, &palette).show(ui, |ui| {
                ui.set_width(ui.available_width());
                let kind = view.card.kind().label().trim_end_matches('s').to_owned();
                ui.label(
                    RichText::new(format!("{kind} · {}", view.deck_title))
                        .color(palette.muted)
                        .small(),
                );
                ui.add_space(4.0);
                ui.label(
                    RichText::new(&view.card.prompt)
                        .size(size::PROMPT)
                        .color(palette.text)
                        .strong(),
                );
                if let Some(path) = &view.image {
                    ui.add_space(8.0);
                    ui.add(
                        egui::Image::new(format!("file://{}", path.display()))
                            .max_height(280.0)
                            .max_width(ui.available_width())
                            .fit_to_original_size(2.0)
                            .alt_text(format!("Picture for: {}", view.card.prompt)),
                    );
                }
                ui.add_space(12.0);
                match self.phase.clone() {
                    Phase::Asking => self.asking(ui, view, &palette, now),
                    Phase::Answered(a) => Self::answered(ui, view, &a, &palette),
                }
            });
        });
    }

    fn asking(&mut self, ui: &mut Ui, view: &StudyView<'_>, palette: &Palette, now: f64) {
        match view.form {
            Form::Flip => {
                let label = format!("Show answer ({})", commands::keys(Command::Primary));
                if widgets::primary_button(ui, &label, palette)
                    .on_hover_text(commands::tooltip(Command::Primary))
                    .clicked()
                {
                    self.reveal(view, None, now);
                }
            }
            Form::MultipleChoice => {
                if let Some(choices) = view.choices {
                    for (i, option) in choices.options.iter().enumerate() {
                        ui.horizontal(|ui| {
                            ui.label(
                                RichText::new(format!("{}", i + 1))
                                    .color(palette.muted)
                                    .monospace(),
                            );
                            let button =
                                egui::Button::new(RichText::new(option).size(size::BODY + 2.0))
                                    .wrap()
                                    .min_size(egui::vec2(ui.available_width(), 40.0));
                            if ui
                                .add(button)
                                .on_hover_text(format!("Choose this answer (key {})", i + 1))
                                .clicked()
                            {
                                self.reveal(view, Some(i), now);
                            }
                        });
                    }
                }
            }
            Form::Typed | Form::Cloze => {
                // A drafted card's prompt shows the sentence already: not twice.
                if view.form == Form::Cloze
                    && let Some(cloze) = view.cloze.filter(|c| !c.repeated_in(&view.card.prompt))
                {
                    ui.label(
                        RichText::new(cloze.with_blank("_____"))
                            .size(size::BODY + 2.0)
                            .italics(),
                    );
                    ui.add_space(6.0);
                }
                let label = ui.label("Your answer");
                let edit = egui::TextEdit::singleline(&mut self.typed)
                    .hint_text("Type the answer, then press Enter")
                    .desired_width(f32::INFINITY)
                    .font(egui::TextStyle::Heading);
                let response = ui.add(edit).labelled_by(label.id);
                if self.focus_pending {
                    response.request_focus();
                    self.focus_pending = false;
                }
                ui.add_space(6.0);
                if self.empty_warned && self.typed.trim().is_empty() {
                    ui.label(
                        RichText::new(
                            "Nothing typed yet. Type your answer, or press Enter again to see \
                             the answer (it counts as not known).",
                        )
                        .color(palette.muted),
                    );
                    ui.add_space(4.0);
                }
                let check = widgets::primary_button(ui, "Check (Enter)", palette)
                    .on_hover_text("Mark your answer (Enter)");
                // Enter arrives as `Command::Primary`, from the app's command table.
                if check.clicked() {
                    self.reveal(view, None, now);
                }
            }
        }
    }

    fn answered(ui: &mut Ui, view: &StudyView<'_>, a: &Answered, palette: &Palette) {
        if let Some(marking) = &a.grade.marking {
            widgets::marking(ui, marking, palette);
            ui.add_space(6.0);
        }
        if let (Form::MultipleChoice, Some(choices)) = (view.form, view.choices) {
            for (i, option) in choices.options.iter().enumerate() {
                let text = if i == choices.correct_index {
                    RichText::new(format!("{option} (right answer)"))
                        .color(palette.right)
                        .strong()
                } else if Some(i) == a.picked {
                    RichText::new(format!("{option} (your choice)"))
                        .color(palette.wrong)
                        .strikethrough()
                } else {
                    RichText::new(option.as_str()).color(palette.muted)
                };
                ui.label(text);
            }
            ui.add_space(6.0);
        }
        ui.label(RichText::new("Answer").color(palette.muted).small());
        ui.label(
            RichText::new(&view.card.answer)
                .size(size::ANSWER)
                .color(palette.right)
                .strong(),
        );
        if let Some(explanation) = &view.card.explanation {
            ui.add_space(4.0);
            ui.label(explanation);
        }
        if let Some((label, source)) = view.source {
            ui.add_space(8.0);
            widgets::source_quote(ui, label, source, palette);
        }
        ui.add_space(8.0);
    }

    /// "How well did you know it?" and the four rating buttons.
    fn rating_row(
        &mut self,
        ui: &mut Ui,
        view: &StudyView<'_>,
        a: &Answered,
        palette: &Palette,
    ) -> Option<StudyAction> {
        let mut action = None;
        // Practice with the answer marked already (multiple choice, typed): nothing to rate,
        // and no schedule to preview; the answer is logged as right or wrong.
        if view.practice && a.grade.correct().is_some() {
            ui.label(
                RichText::new("Practice: your schedule stays as it is.")
                    .color(palette.muted)
                    .small(),
            );
            let label = format!("Next card ({})", commands::keys(Command::Primary));
            if widgets::primary_button(ui, &label, palette)
                .on_hover_text("Go on; this answer is logged as marked")
                .clicked()
            {
                action = self.answer(a.grade.proposed);
            }
            return action;
        }
        ui.label(
            RichText::new(if view.practice {
                "How well did you know it? (practice: your schedule stays as it is)"
            } else {
                "How well did you know it?"
            })
            .color(palette.muted)
            .small(),
        );
        ui.columns(4, |cols| {
            for (i, rating) in Rating::ALL.into_iter().enumerate() {
                let ui = &mut cols[i];
                ui.vertical_centered_justified(|ui| {
                    // Practice schedules nothing: no next review to show.
                    if !view.practice {
                        ui.label(
                            RichText::new(&view.intervals[i])
                                .color(palette.muted)
                                .small(),
                        );
                    }
                    // The rating Space / Enter will give is filled with its colour.
                    let selected = rating == a.grade.proposed;
                    let colour = palette.rating(rating);
                    let text = RichText::new(rating.label()).strong().color(if selected {
                        palette.on_fill
                    } else {
                        colour
                    });
                    let mut button = egui::Button::new(text)
                        .selected(selected)
                        .min_size(egui::vec2(0.0, 40.0));
                    if selected {
                        button = button.fill(colour);
                    }
                    let tip = if view.practice {
                        format!("{} (key {})", rating.label(), i + 1)
                    } else {
                        format!(
                            "{} — next review in {} (key {})",
                            rating.label(),
                            view.intervals[i],
                            i + 1
                        )
                    };
                    if ui.add(button).on_hover_text(tip).clicked() {
                        action = self.answer(rating);
                    }
                });
            }
        });
        ui.add_space(4.0);
        ui.label(
            RichText::new(format!(
                "{} goes on with {}",
                commands::keys(Command::Primary),
                a.grade.proposed.label()
            ))
            .color(palette.muted)
            .small(),
        );
        action
    }
}

fn top_bar(ui: &mut Ui, view: &StudyView<'_>, palette: &Palette, action: &mut Option<StudyAction>) {
    ui.horizontal(|ui| {
        if ui
            .button("Leave")
            .on_hover_text(commands::tooltip(Command::Back))
            .clicked()
        {
            *action = Some(StudyAction::Leave);
        }
        if ui
            .add_enabled(view.can_undo, egui::Button::new("Undo"))
            .on_hover_text(commands::tooltip(Command::Undo))
            .on_disabled_hover_text("Nothing to undo yet")
            .clicked()
        {
            *action = Some(StudyAction::Undo);
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            let secs = view.session_secs.max(0.0) as u64;
            ui.label(
                RichText::new(format!("{}:{:02}", secs / 60, secs % 60))
                    .color(palette.muted)
                    .small(),
            )
            .on_hover_text("Time in this session");
            let counter = ui.label(RichText::new(progress_line(view)).color(palette.muted));
            if let Some(note) = view.note {
                counter.on_hover_text(note);
            }
        });
    });
    // Why fewer cards than the decks have due: said until the first answer, then on hover.
    if let Some(note) = view.note.filter(|_| view.done == 0) {
        ui.label(RichText::new(note).color(palette.muted).small());
    }
    let total = view.done + view.left + view.coming_back;
    let fraction = if total == 0 {
        1.0
    } else {
        view.done as f32 / total as f32
    };
    ui.add(
        egui::ProgressBar::new(fraction)
            .desired_height(6.0)
            .fill(palette.accent),
    )
    .on_hover_text(format!("{} of {} cards today", view.done, total));
}

/// A study session and how it was started. It moves to the summary screen when no card is
/// left, and back when an answer is undone there.
pub struct StudySession {
    pub session: Session,
    /// How cards are asked.
    pub form: SessionForm,
    /// `ui.input().time` when the session started.
    pub started: f64,
    /// Where leaving the session goes: home, or the practice, browser or timeline screen it
    /// was started from.
    pub return_to: Screen,
    /// Why the session holds fewer cards than the decks have due, if it does.
    pub note: Option<String>,
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

/// The study screen: the session under way and the card on show.
#[derive(Default)]
pub struct StudyScreen {
    active: Option<StudySession>,
    ui: StudyState,
    presented: Option<Presented>,
    notice: Option<Notice>,
    clock: ActiveClock,
}

/// Longest step the session clock takes between two frames: a longer gap is the window
/// asleep or hidden, not study time.
const MAX_TICK: f64 = 1.5;

/// Seconds spent with the window in focus: the session timer and each card's response time.
#[derive(Debug, Clone, Copy, Default)]
struct ActiveClock {
    total: f64,
    last: Option<f64>,
}

impl ActiveClock {
    /// Moves to `time` (the app's clock), counting the step only when the window has focus.
    fn tick(&mut self, time: f64, focused: bool) -> f64 {
        if focused && let Some(last) = self.last {
            self.total += (time - last).clamp(0.0, MAX_TICK);
        }
        self.last = Some(time);
        self.total
    }
}

/// A card by its key, with its deck.
#[must_use]
pub fn find_card<'a>(library: &'a Library, key: &CardKey) -> Option<(&'a LoadedDeck, &'a Card)> {
    let loaded = library.deck(&key.deck_id)?;
    let card = loaded.deck.cards.iter().find(|c| c.id == key.card_id)?;
    Some((loaded, card))
}

impl StudyScreen {
    /// Shows `session` from its current card.
    pub fn start(&mut self, session: StudySession) {
        self.active = Some(session);
        self.ui.next_card();
        self.presented = None;
        self.notice = None;
        self.clock = ActiveClock::default();
    }

    /// The session under way, for an undo from elsewhere to step it back.
    pub fn session_mut(&mut self) -> Option<&mut Session> {
        self.active.as_mut().map(|a| &mut a.session)
    }

    /// Ends showing the session, handing it over (to the summary, or to be dropped).
    pub fn take(&mut self) -> Option<StudySession> {
        self.presented = None;
        self.active.take()
    }

    /// Makes sure the card on show is prepared; asks for the summary when none is left.
    fn present(&mut self, cx: &mut AppContext<'_>) {
        let Some(active) = self.active.as_mut() else {
            return;
        };
        let session = &mut active.session;
        session.advance(cx.now);
        let Some(key) = session.current().cloned() else {
            self.presented = None;
            cx.send(AppCommand::ShowSummary);
            return;
        };
        let reps = session.current_progress().map_or(0, |p| p.card.reps);
        if self
            .presented
            .as_ref()
            .is_some_and(|p| p.key == key && p.reps == reps)
        {
            return;
        }
        let Some((loaded, card)) = find_card(cx.library(), &key) else {
            return;
        };
        let seed = fuzz_seed(&key.deck_id, &key.card_id, reps);
        let form = quiz::pick_form(card, &loaded.deck.cards, active.form, seed);
        let choices = (form == Form::MultipleChoice)
            .then(|| quiz::choices(card, &loaded.deck.cards, seed))
            .flatten();
        let cloze = (form == Form::Cloze).then(|| quiz::cloze(card)).flatten();
        let form = match (form, &choices, &cloze) {
            (Form::MultipleChoice, None, _) | (Form::Cloze, _, None) => Form::Flip,
            (f, _, _) => f,
        };
        let intervals = session.preview(cx.now).map_or_else(
            || std::array::from_fn(|_| "—".to_owned()),
            |o| Rating::ALL.map(|r| o.interval_label(r)),
        );
        self.presented = Some(Presented {
            key,
            reps,
            form,
            choices,
            cloze,
            intervals,
        });
    }

    /// Applies `act` to the state with what the screen shows; `None` with no card on show.
    fn with_view<R>(
        &mut self,
        cx: &AppContext<'_>,
        act: impl FnOnce(&mut StudyState, &StudyView<'_>) -> Option<R>,
    ) -> Option<R> {
        let active = self.active.as_ref()?;
        let presented = self.presented.as_ref()?;
        let (loaded, card) = find_card(cx.library(), &presented.key)?;
        let session = &active.session;
        let source = quiz::shown_source(&loaded.deck, card);
        let view = StudyView {
            card,
            image: card_image(loaded, card),
            deck_title: &loaded.deck.title,
            form: presented.form,
            choices: presented.choices.as_ref(),
            cloze: presented.cloze.as_ref(),
            intervals: presented.intervals.clone(),
            done: session.summary().answers,
            left: session.queued(),
            coming_back: session.coming_back(),
            session_secs: self.clock.total,
            can_undo: session.can_undo(),
            practice: session.mode() != Mode::Srs,
            note: active.note.as_deref(),
            source,
        };
        act(&mut self.ui, &view)
    }

    fn handle(&mut self, action: &StudyAction, cx: &mut AppContext<'_>) {
        let now = cx.now;
        let Some(active) = self.active.as_mut() else {
            return;
        };
        let mut undone = None;
        let done = match action {
            StudyAction::Answer { .. } => commit(active, cx, action),
            StudyAction::Undo => cx
                .apply(|col| col.undo(Some(&mut active.session), now))
                .map(|out| {
                    undone = Some(if out.in_session {
                        "Your last answer was taken back: the card is here to answer again."
                            .to_owned()
                    } else {
                        format!("Undone: {}.", out.op)
                    });
                    None
                })
                .map_err(|err| messages::collection("Could not undo", &err)),
            StudyAction::Leave => {
                self.leave(cx);
                return;
            }
        };
        match done {
            Ok(notice) => {
                // Shown where the session returns to, once it is left.
                if let Some(notice) = notice {
                    cx.send(AppCommand::Notify(active.return_to, notice));
                }
                self.notice = undone.map(Notice::success);
                self.ui.next_card();
                self.presented = None;
                self.present(cx);
            }
            Err(message) => self.notice = Some(Notice::error(message)),
        }
    }

    /// Leaves the session: an answer on show but not rated yet is saved with the rating Enter
    /// would give (and said so), then the summary shows what was done; with nothing answered
    /// the session just ends.
    fn leave(&mut self, cx: &mut AppContext<'_>) {
        let Some(active) = self.active.as_mut() else {
            return;
        };
        let mut saved = None;
        if let Some(action @ StudyAction::Answer { rating, .. }) = self.ui.unrated() {
            match commit(active, cx, &action) {
                Ok(leech) => {
                    if let Some(notice) = leech {
                        cx.send(AppCommand::Notify(active.return_to, notice));
                    }
                    saved = Some(Notice::info(format!(
                        "Your answer to the last card was saved as “{}”. Undo takes it back.",
                        rating.label()
                    )));
                }
                Err(message) => {
                    self.notice = Some(Notice::error(message));
                    return;
                }
            }
        }
        if active.session.can_undo() {
            cx.send(AppCommand::ShowSummary);
            if let Some(notice) = saved {
                cx.send(AppCommand::Notify(Screen::Summary, notice));
            }
        } else {
            cx.send(AppCommand::LeaveSession);
        }
    }
}

/// Saves the answer `action` (an [`StudyAction::Answer`]); the notice to show once the session is
/// left, if the card became a leech.
fn commit(
    active: &mut StudySession,
    cx: &mut AppContext<'_>,
    action: &StudyAction,
) -> Result<Option<Notice>, String> {
    let StudyAction::Answer {
        rating,
        answer_given,
        correct,
        response_ms,
    } = action
    else {
        return Ok(None);
    };
    let answer = Answer {
        rating: *rating,
        answer_given: answer_given.as_deref(),
        correct: *correct,
        response: Duration::from_millis(*response_ms),
        now: cx.now,
    };
    cx.apply(|col| col.answer(&mut active.session, answer))
        .map(|outcome| {
            outcome.became_leech.then(|| {
                Notice::info("That card has been forgotten often: it is now tagged as a leech.")
            })
        })
        .map_err(|err| messages::collection("The answer could not be saved", &err))
}

/// `doing` and why, from a session.
#[must_use]
pub fn session_message(doing: &str, err: &SessionError) -> String {
    match err {
        SessionError::Store(err) => messages::store(doing, err),
        other => format!("{doing}: {other}."),
    }
}

impl View for StudyScreen {
    fn ui(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>) {
        let focused = ui.input(|i| i.focused);
        let now = self.clock.tick(cx.time, focused);
        if self.presented.is_none() {
            self.present(cx);
        }
        // Only a failed answer or undo: shown where it happened.
        if let Some(notice) = &self.notice {
            notice.show(ui, &cx.palette);
        }
        if let Some(action) = self.with_view(cx, |state, view| state.show(ui, view, now)) {
            self.handle(&action, cx);
        }
        // The quiet session timer ticks once a second; nothing else repaints while idle.
        ui.ctx().request_repaint_after(Duration::from_secs(1));
    }

    fn command(&mut self, command: Command, cx: &mut AppContext<'_>) {
        if self.presented.is_none() {
            self.present(cx);
        }
        let time = self.clock.total;
        if let Some(action) = self.with_view(cx, |state, view| state.command(view, command, time)) {
            self.handle(&action, cx);
        }
    }
}

/// "in 10m", "in 3d", "now".
#[must_use]
pub fn describe_due(due: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if due <= now {
        "now".to_owned()
    } else {
        format!(
            "in {}",
            flashdrill_core::schedule::format_interval(due - now)
        )
    }
}

/// Where the picture of `card` is: its deck's media folder, beside a deck file in the deck
/// folder (bundled decks have none).
fn card_image(loaded: &LoadedDeck, card: &Card) -> Option<std::path::PathBuf> {
    let name = card.image.as_deref()?;
    match &loaded.origin {
        flashdrill_core::deck::Origin::User(path) => {
            Some(flashdrill_core::deck::media_dir(path).join(name))
        }
        flashdrill_core::deck::Origin::Bundled => None,
    }
}

/// "3 done · 29 left", and "· 2 coming back" while answered cards wait for their next step
/// (counted apart: "left" falls with every new card answered).
fn progress_line(view: &StudyView<'_>) -> String {
    let line = format!("{} done · {} left", view.done, view.left);
    if view.coming_back > 0 {
        format!("{line} · {} coming back", view.coming_back)
    } else {
        line
    }
}

/// Why a study session of `in_session` cards holds fewer than its decks have waiting (see
/// [`flashdrill_core::session::waiting_today`]); `None` when nothing waits beyond it.
#[must_use]
pub fn why_fewer(
    waiting: &flashdrill_core::session::Waiting,
    in_session: usize,
    new_per_day: u32,
) -> Option<String> {
    let mut parts = Vec::new();
    let due = waiting.due as usize;
    if due > in_session {
        parts.push(format!(
            "{} more due today wait for another day: they share a fact or a sentence with \
             cards here, and would give each other away.",
            due - in_session
        ));
    }
    if waiting.new_over_limit > 0 {
        parts.push(format!(
            "New cards are limited to {new_per_day} a day per deck (“New cards per day” in Settings): \
             {} more new cards wait for the next days.",
            waiting.new_over_limit
        ));
    }
    (!parts.is_empty()).then(|| {
        let cards = if in_session == 1 { "card" } else { "cards" };
        format!("{in_session} {cards} in this session. {}", parts.join(" "))
    })
}
