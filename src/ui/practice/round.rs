//! A round of timeline or matching questions in practice mode: the question on show, the
//! keys and clicks that answer it, and the round's summary.

use egui::{RichText, Ui};

use crate::ui::commands::{self, Command};
use crate::ui::matching::{MatchingAction, MatchingState};
use crate::ui::ordering::{OrderingAction, OrderingState};
use crate::ui::theme::{Palette, size};
use crate::ui::widgets;
use flashdrill_core::practice::RoundQuestion;

/// A round of timeline or matching questions, as the app holds it.
pub struct RoundView<'a> {
    pub questions: &'a [RoundQuestion],
    /// The question on show; `questions.len()` once the round is over.
    pub current: usize,
    /// Per answered question: (right, out of): pairs in order, or names right on the first try.
    pub results: &'a [(usize, usize)],
}

/// What the learner did in a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoundAction {
    /// The question on show was answered: for each card shown (in the question's item order),
    /// whether it counts as right and what was given. The app logs one practice review each.
    Answered {
        right: Vec<bool>,
        given: Vec<Option<String>>,
        /// (right, out of), as in [`RoundView::results`].
        score: (usize, usize),
        response_ms: u64,
    },
    /// On to the next question (or the end of the round).
    Next,
    /// Back to the practice setup.
    Leave,
}

#[derive(Debug, Clone)]
enum QuestionUi {
    Ordering(OrderingState),
    Matching(Box<MatchingState>),
}

/// The widget state of the question on show.
#[derive(Debug, Clone, Default)]
pub struct RoundState {
    question: Option<(usize, QuestionUi)>,
}

impl RoundState {
    /// Forgets the question's widget state (a new round).
    pub fn reset(&mut self) {
        self.question = None;
    }

    fn ensure<'v, 's>(
        &'s mut self,
        view: &RoundView<'v>,
    ) -> Option<(&'v RoundQuestion, &'s mut QuestionUi)> {
        let question = view.questions.get(view.current)?;
        if self
            .question
            .as_ref()
            .is_none_or(|(n, _)| *n != view.current)
        {
            let state = match question {
                RoundQuestion::Timeline(t) => QuestionUi::Ordering(OrderingState::new(&t.timeline)),
                RoundQuestion::Matching(m) => {
                    QuestionUi::Matching(Box::new(MatchingState::new(m.matching.clone())))
                }
            };
            self.question = Some((view.current, state));
        }
        self.question.as_mut().map(|(_, s)| (question, s))
    }

    /// Applies a command from the app's table.
    pub fn command(
        &mut self,
        view: &RoundView<'_>,
        command: Command,
        now: f64,
    ) -> Option<RoundAction> {
        if command == Command::Back {
            return Some(RoundAction::Leave);
        }
        let Some((question, state)) = self.ensure(view) else {
            return (command == Command::Primary).then_some(RoundAction::Leave);
        };
        match (question, state) {
            (RoundQuestion::Timeline(t), QuestionUi::Ordering(s)) => {
                ordering_action(t.keys.len(), s.command(&t.timeline, command, now))
            }
            (RoundQuestion::Matching(_), QuestionUi::Matching(s)) => {
                matching_action(s.command(command, now))
            }
            _ => None,
        }
    }

    /// Draws the round; returns what the learner asked for.
    pub fn show(&mut self, ui: &mut Ui, view: &RoundView<'_>) -> Option<RoundAction> {
        let palette = Palette::of(ui.visuals());
        let mut action = None;
        ui.horizontal(|ui| {
            if ui
                .button("Leave")
                .on_hover_text("Back to the practice choices (Esc); answers are already saved")
                .clicked()
            {
                action = Some(RoundAction::Leave);
            }
            ui.label(
                RichText::new(format!(
                    "Question {} of {} · practice: your schedule stays as it is",
                    (view.current + 1).min(view.questions.len()),
                    view.questions.len()
                ))
                .color(palette.muted),
            );
        });
        ui.add_space(10.0);
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                widgets::centered_column(ui, 820.0, |ui| {
                    let Some((question, state)) = self.ensure(view) else {
                        action = action.take().or_else(|| round_summary(ui, view, &palette));
                        return;
                    };
                    widgets::card_frame(ui, &palette).show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        let shown = match (question, state) {
                            (RoundQuestion::Timeline(t), QuestionUi::Ordering(s)) => {
                                ordering_action(t.keys.len(), s.show(ui, &t.timeline))
                            }
                            (RoundQuestion::Matching(_), QuestionUi::Matching(s)) => {
                                matching_action(s.show(ui))
                            }
                            _ => None,
                        };
                        action = action.take().or(shown);
                    });
                });
            });
        action
    }
}

fn ordering_action(cards: usize, action: Option<OrderingAction>) -> Option<RoundAction> {
    Some(match action? {
        OrderingAction::Checked {
            score, response_ms, ..
        } => RoundAction::Answered {
            right: vec![score.correct_order; cards],
            given: vec![None; cards],
            score: (score.pairs_right, score.pairs_total),
            response_ms,
        },
        OrderingAction::Continue => RoundAction::Next,
    })
}

fn matching_action(action: Option<MatchingAction>) -> Option<RoundAction> {
    Some(match action? {
        MatchingAction::Finished {
            first_try,
            first_picks,
            score,
            response_ms,
        } => RoundAction::Answered {
            right: first_try,
            given: first_picks,
            score,
            response_ms,
        },
        MatchingAction::Continue => RoundAction::Next,
    })
}

fn round_summary(ui: &mut Ui, view: &RoundView<'_>, palette: &Palette) -> Option<RoundAction> {
    let mut action = None;
    ui.label(
        RichText::new("Round complete")
            .size(size::PROMPT)
            .strong()
            .color(palette.text),
    );
    ui.label(RichText::new("Practice: your schedule was left as it was.").color(palette.muted));
    ui.add_space(8.0);
    for (i, (question, (right, total))) in view.questions.iter().zip(view.results).enumerate() {
        let text = match question {
            RoundQuestion::Timeline(_) => {
                format!(
                    "Timeline {}: {right} of {total} pairs in the right order",
                    i + 1
                )
            }
            RoundQuestion::Matching(_) => {
                format!(
                    "Matching {}: {right} of {total} right on the first try",
                    i + 1
                )
            }
        };
        let colour = if right == total {
            palette.right
        } else {
            palette.wrong
        };
        ui.label(RichText::new(text).color(colour));
    }
    ui.add_space(12.0);
    let label = format!("Back to practice ({})", commands::keys(Command::Primary));
    if widgets::primary_button(ui, &label, palette)
        .on_hover_text("Choose what to practise next")
        .clicked()
    {
        action = Some(RoundAction::Leave);
    }
    action
}
