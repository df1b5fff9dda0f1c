//! "Test yourself": a mock test of one deck in exam conditions. The learner picks how many
//! questions, answers them one by one (no hints, no explanations, no ratings, nothing marked
//! until the end), and then sees the score, what was missed with each answer's source sentence,
//! and the memory model's predicted score beside it. The finished test is saved in one
//! operation ([`flashdrill_core::collection::Collection::finish_self_test`]): its answers are
//! logged as `test` reviews and no card's schedule changes.

use egui::{RichText, Ui};

use super::commands::Command;
use super::messages;
use super::notice::Notice;
use super::theme::{Palette, size};
use super::widgets;
use crate::ui::view::{AppCommand, AppContext, Screen, View};
use flashdrill_core::selftest::{self, QuestionKind, SelfTest, TestResult};

/// Where the test is.
#[derive(Default)]
enum Phase {
    /// Choosing how many questions.
    #[default]
    Setup,
    /// Answering: the test, the text typed so far, when the question was shown, and whether
    /// the learner is being asked to confirm leaving.
    Taking {
        test: Box<SelfTest>,
        typed: String,
        shown_at: f64,
        asking_leave: bool,
    },
    /// Marked and saved.
    Done(Box<TestResult>),
}

/// The self-test screen of one deck.
#[derive(Default)]
pub struct SelfTestScreen {
    deck_id: Option<String>,
    /// How many questions the setup asks for.
    questions: usize,
    phase: Phase,
    notice: Option<Notice>,
    focus_pending: bool,
}

/// What the learner did this frame.
enum Action {
    Start,
    Answer(String),
    /// Try saving the answered test again.
    Save,
    AskLeave,
    StayInTest,
    Leave,
}

impl SelfTestScreen {
    /// Sets up a test of the deck `deck_id` (shown on the next [`View::open`]).
    pub fn set_deck(&mut self, deck_id: String) {
        self.deck_id = Some(deck_id);
        self.questions = 0;
        self.phase = Phase::Setup;
        self.notice = None;
    }

    /// The test being taken (for tests).
    #[must_use]
    pub fn test(&self) -> Option<&SelfTest> {
        match &self.phase {
            Phase::Taking { test, .. } => Some(test),
            _ => None,
        }
    }

    /// The finished test (for tests).
    #[must_use]
    pub fn result(&self) -> Option<&TestResult> {
        match &self.phase {
            Phase::Done(result) => Some(result),
            _ => None,
        }
    }

    fn start(&mut self, cx: &AppContext<'_>) {
        let Some(deck) = self.deck_id.as_deref().and_then(|id| cx.library().deck(id)) else {
            return;
        };
        match SelfTest::new(&deck.deck, self.questions, cx.seed, cx.now) {
            Ok(test) => {
                self.phase = Phase::Taking {
                    test: Box::new(test),
                    typed: String::new(),
                    shown_at: cx.time,
                    asking_leave: false,
                };
                self.focus_pending = true;
                self.notice = None;
            }
            Err(err) => {
                self.notice = Some(Notice::error(format!("Could not start the test: {err}.")));
            }
        }
    }

    fn answer(&mut self, given: &str, cx: &mut AppContext<'_>) {
        let Phase::Taking {
            test,
            typed,
            shown_at,
            ..
        } = &mut self.phase
        else {
            return;
        };
        let secs = (cx.time - *shown_at).max(0.0);
        test.answer(given, cx.now, std::time::Duration::from_secs_f64(secs));
        typed.clear();
        *shown_at = cx.time;
        self.focus_pending = true;
        if test.is_complete() {
            self.save(cx);
        }
    }

    /// Marks and saves the answered test; on failure says why and offers to try again.
    fn save(&mut self, cx: &mut AppContext<'_>) {
        let Phase::Taking { test, .. } = &self.phase else {
            return;
        };
        let now = cx.now;
        match cx.apply(|col| col.finish_self_test(test, now)) {
            Ok((result, _)) => {
                self.phase = Phase::Done(Box::new(result));
                self.notice = None;
            }
            Err(err) => {
                self.notice = Some(Notice::error(messages::collection(
                    "The test could not be saved",
                    &err,
                )));
            }
        }
    }

    fn act(&mut self, action: Option<Action>, cx: &mut AppContext<'_>) {
        match action {
            Some(Action::Start) => self.start(cx),
            Some(Action::Answer(given)) => self.answer(&given, cx),
            Some(Action::Save) => self.save(cx),
            Some(Action::AskLeave) => self.set_asking(true),
            Some(Action::StayInTest) => self.set_asking(false),
            Some(Action::Leave) => {
                self.phase = Phase::Setup;
                cx.send(AppCommand::GoTo(Screen::Home));
            }
            None => {}
        }
    }

    fn set_asking(&mut self, ask: bool) {
        if let Phase::Taking { asking_leave, .. } = &mut self.phase {
            *asking_leave = ask;
        }
    }

    fn setup(
        &mut self,
        ui: &mut Ui,
        title: &str,
        most: usize,
        palette: &Palette,
    ) -> Option<Action> {
        let mut action = None;
        ui.label(
            RichText::new(format!("Test yourself: {title}"))
                .size(size::PROMPT)
                .strong(),
        );
        ui.label(
            RichText::new(
                "A mock test in exam conditions: no hints and no explanations until the end. \
                 Your schedule is left as it is.",
            )
            .color(palette.muted),
        );
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            let label = ui.label("Questions");
            ui.add(egui::DragValue::new(&mut self.questions).range(1..=most))
                .labelled_by(label.id);
            ui.label(
                RichText::new(format!("of at most {most} (one per fact)")).color(palette.muted),
            );
        });
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if widgets::primary_button(ui, "Start test", palette).clicked() {
                action = Some(Action::Start);
            }
            if ui
                .add(egui::Button::new("Back to decks").min_size(egui::vec2(0.0, 42.0)))
                .clicked()
            {
                action = Some(Action::Leave);
            }
        });
        action
    }

    fn taking(&mut self, ui: &mut Ui, palette: &Palette) -> Option<Action> {
        let focus = std::mem::take(&mut self.focus_pending);
        let Phase::Taking {
            test,
            typed,
            asking_leave,
            ..
        } = &mut self.phase
        else {
            return None;
        };
        let mut action = None;
        let (Some(k), Some(q)) = (test.current(), test.current_question()) else {
            // Every question answered, and saving failed (the notice says why).
            ui.horizontal(|ui| {
                if widgets::primary_button(ui, "Try saving again", palette).clicked() {
                    action = Some(Action::Save);
                }
                if ui.button("Leave test").clicked() {
                    action = Some(Action::Leave);
                }
            });
            return action;
        };
        if *asking_leave {
            ui.label(
                RichText::new("Leave the test? Your answers so far will not be kept.")
                    .size(size::BODY + 2.0)
                    .strong()
                    .color(palette.warn),
            );
            ui.horizontal(|ui| {
                if ui.button("Leave test").clicked() {
                    action = Some(Action::Leave);
                }
                if ui.button("Keep going").clicked() {
                    action = Some(Action::StayInTest);
                }
            });
            return action;
        }
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!("Question {} of {}", k + 1, test.questions().len()))
                    .color(palette.muted),
            );
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Leave test").on_hover_text("Esc").clicked() {
                    action = Some(Action::AskLeave);
                }
            });
        });
        ui.add_space(8.0);
        widgets::card_frame(ui, palette).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(q.prompt()).size(size::PROMPT));
        });
        ui.add_space(10.0);
        match &q.kind {
            QuestionKind::Choice(choices) => {
                for option in &choices.options {
                    let button = egui::Button::new(RichText::new(option).size(size::BODY + 2.0))
                        .wrap()
                        .min_size(egui::vec2(ui.available_width(), 40.0));
                    if ui.add(button).clicked() {
                        action = Some(Action::Answer(option.clone()));
                    }
                }
            }
            QuestionKind::Typed | QuestionKind::Cloze(_) => {
                let label = ui.label("Your answer");
                let response = ui
                    .add(
                        egui::TextEdit::singleline(typed)
                            .desired_width(f32::INFINITY)
                            .font(egui::TextStyle::Heading),
                    )
                    .labelled_by(label.id);
                if focus {
                    response.request_focus();
                }
                let entered =
                    response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.add_space(6.0);
                let next = if k + 1 == test.questions().len() {
                    "Finish test"
                } else {
                    "Next question"
                };
                if widgets::primary_button(ui, next, palette).clicked() || entered {
                    action = Some(Action::Answer(typed.clone()));
                }
            }
        }
        action
    }
}

/// The score, the model's prediction beside it, and what was missed.
fn done(ui: &mut Ui, result: &TestResult, palette: &Palette) -> Option<Action> {
    let mut action = None;
    ui.label(RichText::new("Test complete").size(size::PROMPT).strong());
    let (right, total) = (result.right(), result.items.len());
    ui.label(
        RichText::new(format!(
            "Your score: {right} of {total} ({:.0} %)",
            100.0 * result.score()
        ))
        .size(size::HEADING)
        .strong()
        .color(palette.accent),
    );
    let predicted = match result.predicted() {
        Some((p, with)) if with == total => {
            format!("The memory model predicted {:.0} %.", 100.0 * p)
        }
        Some((p, with)) => format!(
            "The memory model predicted {:.0} % on the {with} cards you had studied \
             ({} new, with no prediction).",
            100.0 * p,
            total - with
        ),
        None => "The memory model made no prediction: every card was new.".to_owned(),
    };
    ui.label(predicted);
    ui.label(RichText::new("Saved. Your schedule was left as it was.").color(palette.muted));
    ui.add_space(8.0);
    if widgets::primary_button(ui, "Back to decks", palette).clicked() {
        action = Some(Action::Leave);
    }
    ui.add_space(12.0);
    let missed: Vec<_> = result.missed().collect();
    if missed.is_empty() {
        ui.label("Nothing missed.");
    } else {
        ui.heading(format!("Missed ({})", missed.len()));
        for item in missed {
            widgets::card_frame(ui, palette).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new(&item.prompt).strong());
                let given = if item.given.is_empty() {
                    "(no answer)"
                } else {
                    &item.given
                };
                ui.label(RichText::new(format!("Your answer: {given}")).color(palette.wrong));
                ui.label(
                    RichText::new(format!("Right answer: {}", item.expected)).color(palette.right),
                );
                widgets::article_quote(ui, &item.source, palette);
            });
            ui.add_space(6.0);
        }
    }
    action
}

impl View for SelfTestScreen {
    fn open(&mut self, cx: &mut AppContext<'_>) {
        let most = self
            .deck_id
            .as_deref()
            .and_then(|id| cx.library().deck(id))
            .map_or(0, |d| selftest::max_questions(&d.deck));
        if matches!(self.phase, Phase::Setup) {
            self.questions = selftest::DEFAULT_QUESTIONS.min(most);
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>) {
        let palette = cx.palette;
        let Some(deck) = self
            .deck_id
            .as_deref()
            .and_then(|id| cx.library().deck(id))
            .map(|d| (d.deck.title.clone(), selftest::max_questions(&d.deck)))
        else {
            ui.label("This deck is not loaded any more.");
            if ui.button("Back to decks").clicked() {
                cx.send(AppCommand::GoTo(Screen::Home));
            }
            return;
        };
        let action = egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                widgets::centered_column(ui, 760.0, |ui| {
                    ui.add_space(10.0);
                    if let Some(notice) = &self.notice {
                        notice.show(ui, &palette);
                    }
                    match &self.phase {
                        Phase::Setup => self.setup(ui, &deck.0, deck.1, &palette),
                        Phase::Taking { .. } => self.taking(ui, &palette),
                        Phase::Done(result) => done(ui, result, &palette),
                    }
                })
            })
            .inner;
        self.act(action, cx);
    }

    fn command(&mut self, command: Command, cx: &mut AppContext<'_>) {
        let action = match (&self.phase, command) {
            (Phase::Taking { asking_leave, .. }, Command::Back) => Some(if *asking_leave {
                Action::StayInTest
            } else {
                Action::AskLeave
            }),
            (_, Command::Back) => Some(Action::Leave),
            _ => None,
        };
        self.act(action, cx);
    }
}
