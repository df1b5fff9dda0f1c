//! Fill-in-the-blank questions from a card's `cloze` sentence.

use crate::deck::Card;

use super::typed::{Marking, check_text, check_typed};

/// A sentence with one blank: `before`, a blank to type into, `after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cloze {
    pub before: String,
    pub after: String,
    /// The text that was in the blank (the `…` of the first `{{…}}`), trimmed.
    pub blank_answer: String,
}

impl Cloze {
    /// Whether `prompt` already shows this sentence with its blank (a drafted card's prompt
    /// is a question and the blanked sentence): then the sentence is not shown a second time.
    #[must_use]
    pub fn repeated_in(&self, prompt: &str) -> bool {
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let prompt = squash(prompt);
        let parts = [squash(&self.before), squash(&self.after)];
        parts.iter().any(|p| !p.is_empty()) && parts.iter().all(|p| prompt.contains(p.as_str()))
    }

    /// The sentence with `blank` in place of the missing words, spaced as prose: one space on
    /// each side, none before punctuation or after an opening bracket or quote, runs of
    /// spaces as one ("in ______, the", not "in  ______ , the").
    #[must_use]
    pub fn with_blank(&self, blank: &str) -> String {
        let before = self.before.split_whitespace().collect::<Vec<_>>().join(" ");
        let after = self.after.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut out = before;
        if !out.is_empty() && !out.ends_with(['(', '[', '“', '‘', '/', '-']) {
            out.push(' ');
        }
        out.push_str(blank);
        let glued = after.starts_with([',', '.', ';', ':', '!', '?', ')', ']', '”', '’', '/', '…']);
        if !after.is_empty() && !glued {
            out.push(' ');
        }
        out.push_str(&after);
        out
    }
}

/// The card's cloze question: its `cloze` text split at the first `{{…}}`. Any later `{{…}}`
/// markers are shown as plain text. `None` when the card has no cloze text, or the first marker
/// is unclosed or empty.
#[must_use]
pub fn cloze(card: &Card) -> Option<Cloze> {
    parse_cloze(card.cloze.as_deref()?)
}

fn parse_cloze(text: &str) -> Option<Cloze> {
    let (before, rest) = text.split_once("{{")?;
    let (blank, after) = rest.split_once("}}")?;
    let blank = blank.trim();
    if blank.is_empty() {
        return None;
    }
    Some(Cloze {
        before: before.to_owned(),
        after: unmark(after),
        blank_answer: blank.to_owned(),
    })
}

/// Replaces `{{x}}` by `x` (leaving unmatched braces alone).
fn unmark(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some((head, tail)) = rest.split_once("{{") {
        out.push_str(head);
        if let Some((inner, after)) = tail.split_once("}}") {
            out.push_str(inner);
            rest = after;
        } else {
            out.push_str("{{");
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// Marks a cloze answer. Right: the blank's text, the card's answer, or any of its `accept`
/// alternatives (with the same leniency as [`check_typed`]). `expected` is the blank's text.
/// A card without a usable cloze is marked as a typed answer.
#[must_use]
pub fn check_cloze(card: &Card, typed: &str) -> Marking {
    let Some(c) = cloze(card) else {
        return check_typed(card, typed);
    };
    let alternatives: Vec<String> = std::iter::once(card.answer.clone())
        .chain(card.accept.iter().cloned())
        .filter(|a| *a != c.blank_answer)
        .collect();
    check_text(&c.blank_answer, &alternatives, typed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::test_support::card;
    use crate::quiz::{Forgiven, MarkKind};

    fn with_cloze(text: &str) -> Card {
        let mut c = card("c1", "actor", "Kim Jong Un");
        c.accept = vec!["Kim Jong-un".into()];
        c.cloze = Some(text.into());
        c
    }

    #[test]
    fn splits_at_the_first_blank() {
        let c = cloze(&with_cloze(
            "In 2024 {{Kim Jong Un}} met {{Putin}} in Pyongyang.",
        ))
        .unwrap();
        assert_eq!(c.before, "In 2024 ");
        assert_eq!(c.blank_answer, "Kim Jong Un");
        assert_eq!(c.after, " met Putin in Pyongyang.");
    }

    #[test]
    fn the_blank_is_spaced_as_prose() {
        let blank = |text: &str| parse_cloze(text).unwrap().with_blank("____");
        assert_eq!(blank("in {{Canberra}} , the"), "in ____, the");
        assert_eq!(blank("in  {{Canberra}}, the"), "in ____, the");
        assert_eq!(
            blank("{{Canberra}} is the capital."),
            "____ is the capital."
        );
        assert_eq!(
            blank("The capital is {{Canberra}}."),
            "The capital is ____."
        );
        assert_eq!(blank("The capital ({{Canberra}})"), "The capital (____)");
        assert_eq!(blank("a\n{{b}}\tc"), "a ____ c");
    }

    #[test]
    fn a_prompt_that_shows_the_sentence_already_is_told() {
        let c = parse_cloze("It began in {{2000}} with a visit.").unwrap();
        assert!(c.repeated_in("Which year is missing? It began in ___ with a visit."));
        assert!(c.repeated_in("Which year?  It began  in\n___ with a visit."));
        assert!(!c.repeated_in("In which year did the rapprochement begin?"));
        assert!(!parse_cloze("{{x}}").unwrap().repeated_in("anything"));
    }

    #[test]
    fn no_usable_cloze() {
        assert_eq!(cloze(&card("c", "term", "x")), None);
        assert_eq!(cloze(&with_cloze("no blank here")), None);
        assert_eq!(cloze(&with_cloze("unclosed {{blank")), None);
        assert_eq!(cloze(&with_cloze("empty {{  }} blank")), None);
    }

    #[test]
    fn unmatched_later_braces_stay() {
        let c = parse_cloze("a {{b}} c {{d").unwrap();
        assert_eq!(c.after, " c {{d");
    }

    #[test]
    fn marks_blank_answer_and_alternatives() {
        let mut c = with_cloze("The {{North Korean}} leader visited.");
        c.answer = "North Korea".into();
        assert_eq!(check_cloze(&c, "North Korean").kind, MarkKind::Exact);
        let m = check_cloze(&c, "north korea");
        assert!(m.correct);
        assert_eq!(
            m.kind,
            MarkKind::Lenient(vec![Forgiven::Case, Forgiven::Alternative])
        );
        assert_eq!(m.expected, "North Korean");
        assert!(check_cloze(&c, "Kim Jong-un").correct);
        assert!(!check_cloze(&c, "South Korean").correct);
    }

    #[test]
    fn without_cloze_marks_like_typed() {
        let c = card("c", "place", "Paris");
        assert_eq!(check_cloze(&c, "paris"), check_typed(&c, "paris"));
    }
}
