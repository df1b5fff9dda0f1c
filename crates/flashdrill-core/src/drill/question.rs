//! A drill question: what it shows, by form, and the card(s) it was made from.

use crate::quiz::{Choices, Matching, Timeline};

use super::setup::QuestionForm;

/// A card a question was made from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CardRef {
    pub deck_id: String,
    pub card_id: String,
}

/// What is on show for a question, by form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    MultipleChoice(Choices),
    /// Events in the order shown; [`Timeline::correct_order`] is the answer.
    Timeline(Timeline),
    /// Names on the left, roles on the right; `pairs` is the answer.
    Matching(Matching),
    FlipReveal,
}

/// One drill question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub body: Body,
    /// The card(s) asked: one for multiple choice and flip, every event or pair otherwise.
    pub cards: Vec<CardRef>,
    pub prompt: String,
    /// The answer on one line (also written to the results file).
    pub answer: String,
    /// The article's sentence behind the answer (single-card questions).
    pub source: Option<String>,
    pub explanation: Option<String>,
}

impl Question {
    #[must_use]
    pub fn form(&self) -> QuestionForm {
        match self.body {
            Body::MultipleChoice(_) => QuestionForm::MultipleChoice,
            Body::Timeline(_) => QuestionForm::Timeline,
            Body::Matching(_) => QuestionForm::Matching,
            Body::FlipReveal => QuestionForm::FlipReveal,
        }
    }
}
