//! Grading one answer on the study screen: what the learner gave (nothing on a flip card, typed
//! text, or a picked option) and how long it took become the marking shown, the rating proposed
//! for Space / Enter, whether it counted as right, and the answer text logged. Pure: the UI
//! only draws the result.

use std::time::Duration;

use super::{
    Choices, Form, MarkKind, Marking, check_cloze, check_typed, propose_choice_rating,
    propose_rating,
};
use crate::deck::Card;
use crate::schedule::Rating;

/// What the learner gave for a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Given<'a> {
    /// A flip card: the answer was only shown.
    Shown,
    /// Typed text, checked against the card's answer (typed form) or its cloze blank.
    Typed { text: &'a str, cloze: bool },
    /// The `picked`-th (0-based) of the multiple-choice `choices`.
    Picked { choices: &'a Choices, picked: usize },
}

impl<'a> Given<'a> {
    /// What the learner gave in `form`: `typed` on the typed and cloze forms, the `picked`
    /// option of `choices` on multiple choice (`None` when nothing valid is picked yet).
    #[must_use]
    pub fn of_form(
        form: Form,
        typed: &'a str,
        choices: Option<&'a Choices>,
        picked: Option<usize>,
    ) -> Option<Self> {
        Some(match form {
            Form::Flip => Self::Shown,
            Form::Typed => Self::Typed {
                text: typed,
                cloze: false,
            },
            Form::Cloze => Self::Typed {
                text: typed,
                cloze: true,
            },
            Form::MultipleChoice => {
                let choices = choices?;
                let picked = picked.filter(|i| *i < choices.options.len())?;
                Self::Picked { choices, picked }
            }
        })
    }
}

/// The outcome of grading one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Grade {
    /// Automatic marking (typed, cloze and multiple choice); `None` on flip cards.
    pub marking: Option<Marking>,
    /// The rating Space / Enter goes on with.
    pub proposed: Rating,
    /// The answer as logged: the typed text or the picked option; `None` on flip cards.
    pub answer_given: Option<String>,
}

impl Grade {
    /// Whether the answer was marked right (`None` on flip cards: the learner rates it).
    #[must_use]
    pub fn correct(&self) -> Option<bool> {
        self.marking.as_ref().map(|m| m.correct)
    }
}

/// Grades what the learner gave for `card`, answered in `response`.
#[must_use]
pub fn grade(card: &Card, given: Given<'_>, response: Duration) -> Grade {
    match given {
        Given::Shown => Grade {
            marking: None,
            proposed: Rating::Good,
            answer_given: None,
        },
        Given::Typed { text, cloze } => {
            let marking = if cloze {
                check_cloze(card, text)
            } else {
                check_typed(card, text)
            };
            let proposed = propose_rating(marking.correct, response, card.answer.chars().count());
            Grade {
                marking: Some(marking),
                proposed,
                answer_given: Some(text.to_owned()),
            }
        }
        Given::Picked { choices, picked } => {
            let chosen = choices.options.get(picked).cloned().unwrap_or_default();
            let correct = picked == choices.correct_index;
            let marking = Marking {
                correct,
                kind: if correct {
                    MarkKind::Exact
                } else {
                    MarkKind::Wrong
                },
                expected: card.answer.clone(),
                matched: correct.then(|| chosen.clone()),
                diff: Vec::new(),
            };
            let options_len = choices.options.iter().map(|o| o.chars().count()).sum();
            Grade {
                marking: Some(marking),
                proposed: propose_choice_rating(correct, response, options_len),
                answer_given: Some(chosen),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::test_support::card;

    const QUICK: Duration = Duration::from_secs(2);
    const SLOW: Duration = Duration::from_mins(2);

    fn choices() -> Choices {
        Choices {
            options: vec!["Paris".into(), "Lyon".into(), "Nice".into()],
            correct_index: 0,
        }
    }

    #[test]
    fn a_flip_card_proposes_good_and_logs_no_answer() {
        let g = grade(&card("c", "term", "Paris"), Given::Shown, SLOW);
        assert_eq!(g.proposed, Rating::Good);
        assert_eq!(g.correct(), None);
        assert_eq!(g.answer_given, None);
    }

    #[test]
    fn typed_answers_are_marked_and_rated_by_speed() {
        let c = card("c", "term", "Paris");
        let right = grade(
            &c,
            Given::Typed {
                text: "paris",
                cloze: false,
            },
            QUICK,
        );
        assert_eq!(right.correct(), Some(true));
        assert_eq!(right.proposed, Rating::Good);
        assert_eq!(right.answer_given.as_deref(), Some("paris"));
        let slow = grade(
            &c,
            Given::Typed {
                text: "Paris",
                cloze: false,
            },
            SLOW,
        );
        assert_eq!(slow.proposed, Rating::Hard);
        let wrong = grade(
            &c,
            Given::Typed {
                text: "Rome",
                cloze: false,
            },
            QUICK,
        );
        assert_eq!(wrong.correct(), Some(false));
        assert_eq!(wrong.proposed, Rating::Again);
        assert!(!wrong.marking.unwrap().diff.is_empty(), "a diff to show");
    }

    #[test]
    fn a_cloze_is_checked_against_its_blank() {
        let mut c = card("c", "term", "the capital");
        c.cloze = Some("Paris is {{the capital}} of France".into());
        let g = grade(
            &c,
            Given::Typed {
                text: "the capital",
                cloze: true,
            },
            QUICK,
        );
        assert_eq!(g.correct(), Some(true));
    }

    #[test]
    fn a_picked_option_is_right_only_at_the_correct_index() {
        let c = card("c", "term", "Paris");
        let ch = choices();
        let right = grade(
            &c,
            Given::Picked {
                choices: &ch,
                picked: 0,
            },
            QUICK,
        );
        let m = right.marking.clone().unwrap();
        assert!(m.correct);
        assert_eq!(m.kind, MarkKind::Exact);
        assert_eq!(m.matched.as_deref(), Some("Paris"));
        assert_eq!(right.proposed, Rating::Good);
        let wrong = grade(
            &c,
            Given::Picked {
                choices: &ch,
                picked: 2,
            },
            QUICK,
        );
        let m = wrong.marking.clone().unwrap();
        assert!(!m.correct);
        assert_eq!(m.kind, MarkKind::Wrong);
        assert_eq!(m.expected, "Paris");
        assert_eq!(wrong.answer_given.as_deref(), Some("Nice"));
        assert_eq!(wrong.proposed, Rating::Again);
    }

    #[test]
    fn given_of_form_needs_a_valid_pick_for_multiple_choice() {
        let ch = choices();
        assert_eq!(
            Given::of_form(Form::Flip, "x", None, None),
            Some(Given::Shown)
        );
        assert_eq!(
            Given::of_form(Form::Cloze, "x", None, None),
            Some(Given::Typed {
                text: "x",
                cloze: true
            })
        );
        assert_eq!(
            Given::of_form(Form::MultipleChoice, "", Some(&ch), None),
            None
        );
        assert_eq!(
            Given::of_form(Form::MultipleChoice, "", Some(&ch), Some(3)),
            None
        );
        assert_eq!(
            Given::of_form(Form::MultipleChoice, "", Some(&ch), Some(1)),
            Some(Given::Picked {
                choices: &ch,
                picked: 1
            })
        );
    }
}
