//! Warnings: what makes a valid deck teach poorly. Unlike [`super::Problem`]s they never stop
//! a deck from loading; `flashdrill check` lists them and still passes.

use std::collections::HashMap;
use std::fmt;

use super::model::{Card, Category, Deck};
use super::problem::CardRef;
use crate::quiz::read_date;

/// The most cards one fact (one sibling group) should have: typically event → date,
/// date → event and one cloze or actor card.
pub const MAX_SIBLINGS: usize = 3;

/// Something a deck author should look at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Warning {
    /// A date card whose answer is not a date (a sentence to type in a mixed session).
    #[error(
        "it is a date card, but its answer {0:?} is not a date; give the date as the answer, \
         or make it an \"event\" card whose answer is the event"
    )]
    DateAnswerNotDate(String),
    /// The answer is a date but a distractor is not.
    #[error("the answer is a date, but the distractor {0:?} is not; offer nearby dates instead")]
    NonDateDistractor(String),
    /// No `explanation`.
    #[error("it has no explanation; say why the answer is right and how it fits the story")]
    NoExplanation,
    /// More than [`MAX_SIBLINGS`] cards test one fact.
    #[error(
        "{sharing} is shared by {count} cards ({cards}); test one fact with at most {MAX_SIBLINGS}"
    )]
    CrowdedGroup {
        /// `group "x"`, or `date "2000" and event "…"` for cards without a group.
        sharing: String,
        /// How many cards share it.
        count: usize,
        /// Their ids, comma-separated.
        cards: String,
    },
}

/// A warning about one card of a deck.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckWarning {
    pub card: CardRef,
    pub warning: Warning,
}

impl fmt::Display for DeckWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.card, self.warning)
    }
}

fn card_ref(deck: &Deck, index: usize) -> CardRef {
    let id = &deck.cards[index].id;
    let unique = !id.is_empty() && deck.cards.iter().filter(|c| c.id == *id).count() == 1;
    CardRef {
        number: index + 1,
        id: unique.then(|| id.clone()),
    }
}

fn is_date(text: &str) -> bool {
    read_date(text).is_some()
}

fn card_warnings(card: &Card, out: &mut Vec<Warning>) {
    if card.kind() == Category::Date {
        if is_date(&card.answer) {
            out.extend(
                card.distractors
                    .iter()
                    .filter(|d| !is_date(d))
                    .map(|d| Warning::NonDateDistractor(d.clone())),
            );
        } else {
            out.push(Warning::DateAnswerNotDate(card.answer.clone()));
        }
    }
    if card.explanation.is_none() {
        out.push(Warning::NoExplanation);
    }
}

/// Every warning about `decks` taken together, one list per deck in the same order: card
/// by card, then sibling groups of more than [`MAX_SIBLINGS`] cards (reported on their first
/// card). Siblings are counted across the decks drawn from the same source (see
/// [`sibling_scope`]), as a study session sees them.
#[must_use]
pub fn warnings(decks: &[&Deck]) -> Vec<Vec<DeckWarning>> {
    let mut out: Vec<Vec<DeckWarning>> = Vec::with_capacity(decks.len());
    let mut groups: HashMap<(String, String), Vec<(usize, usize)>> = HashMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    for (d, deck) in decks.iter().enumerate() {
        let mut list = Vec::new();
        let mut found = Vec::new();
        for (i, card) in deck.cards.iter().enumerate() {
            card_warnings(card, &mut found);
            let at = card_ref(deck, i);
            list.extend(found.drain(..).map(|warning| DeckWarning {
                card: at.clone(),
                warning,
            }));
            if let Some(scope) = sibling_scope(deck, card) {
                let members = groups.entry(scope.clone()).or_default();
                if members.is_empty() {
                    order.push(scope);
                }
                members.push((d, i));
            }
        }
        out.push(list);
    }
    for scope in order {
        let members = &groups[&scope];
        if members.len() <= MAX_SIBLINGS {
            continue;
        }
        let (d, i) = members[0];
        let first = &decks[d].cards[i];
        let sharing = match (&first.group, &first.date, &first.event) {
            (Some(group), _, _) => format!("the group {group:?}"),
            (None, Some(date), Some(event)) => format!("the date {date:?} and event {event:?}"),
            _ => continue,
        };
        let cards = members
            .iter()
            .map(|&(d, i)| {
                let id = &decks[d].cards[i].id;
                if d == members[0].0 {
                    id.clone()
                } else {
                    format!("{}/{id}", decks[d].id)
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        out[d].push(DeckWarning {
            card: card_ref(decks[d], i),
            warning: Warning::CrowdedGroup {
                sharing,
                count: members.len(),
                cards,
            },
        });
    }
    out
}

/// Which cards are siblings, across decks: those drawn from the same source (the same
/// `source.title`, ignoring case and spacing) with the same [`Card::sibling_key`]. `None` for
/// a card without siblings.
#[must_use]
pub fn sibling_scope(deck: &Deck, card: &Card) -> Option<(String, String)> {
    Some((super::answer_key(&deck.source.title), card.sibling_key()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{FORMAT_V1, Source};

    fn card(id: &str, category: &str, answer: &str) -> Card {
        let mut c = crate::quiz::test_support::card(id, category, answer);
        c.explanation = Some("Because.".into());
        c
    }

    fn deck(id: &str, cards: Vec<Card>) -> Deck {
        Deck {
            format: FORMAT_V1.into(),
            id: id.into(),
            title: "T".into(),
            description: None,
            source: Source {
                title: "Pyongyang and Moscow Honeymoon".into(),
                author: "Parisa Pasandepour".into(),
                url: None,
            },
            cards,
        }
    }

    fn messages(decks: &[&Deck]) -> Vec<String> {
        warnings(decks)
            .into_iter()
            .flatten()
            .map(|w| w.to_string())
            .collect()
    }

    #[test]
    fn a_well_made_deck_has_no_warnings() {
        let mut date = card("d", "date", "September 2022");
        date.distractors = vec!["August 2022".into(), "2023".into(), "18 June 2024".into()];
        let event = card("e", "event", "The United States first accuses North Korea");
        let d = deck("x", vec![date, event, card("a", "actor", "Kim Jong Un")]);
        assert!(messages(&[&d]).is_empty(), "{:?}", messages(&[&d]));
    }

    #[test]
    fn date_cards_need_date_answers_and_date_distractors() {
        let sentence = card(
            "s",
            "date",
            "That Putin and Kim were engaged in arms negotiations",
        );
        let mut mixed = card("m", "date", "2000");
        mixed.distractors = vec!["2001".into(), "Pyongyang".into()];
        mixed.explanation = None;
        let d = deck("x", vec![sentence, mixed]);
        assert_eq!(
            messages(&[&d]),
            [
                "card \"s\": it is a date card, but its answer \"That Putin and Kim were engaged in arms negotiations\" is not a date; give the date as the answer, or make it an \"event\" card whose answer is the event",
                "card \"m\": the answer is a date, but the distractor \"Pyongyang\" is not; offer nearby dates instead",
                "card \"m\": it has no explanation; say why the answer is right and how it fits the story",
            ]
        );
    }

    #[test]
    fn more_than_three_siblings_are_reported_once_across_decks() {
        let grouped = |id: &str| {
            let mut c = card(id, "term", id);
            c.group = Some("first-visit".into());
            c
        };
        let a = deck("a", vec![grouped("g1"), grouped("g2"), grouped("g3")]);
        let b = deck("b", vec![grouped("g4")]);
        assert!(messages(&[&a]).is_empty());
        let all = warnings(&[&a, &b]);
        assert_eq!(
            all[0].iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "card \"g1\": the group \"first-visit\" is shared by 4 cards (g1, g2, g3, b/g4); test one fact with at most 3"
            ]
        );
        assert!(all[1].is_empty());

        // Without a group, the same date and event make siblings.
        let dated = |id: &str| {
            let mut c = card(id, "date", "2000");
            c.date = Some("2000".into());
            c.event = Some("Putin's first visit".into());
            c
        };
        let d = deck("d", (1..=4).map(|i| dated(&format!("d{i}"))).collect());
        assert_eq!(
            messages(&[&d]),
            [
                "card \"d1\": the date \"2000\" and event \"Putin's first visit\" is shared by 4 cards (d1, d2, d3, d4); test one fact with at most 3"
            ]
        );
        // Another source's cards are not siblings.
        let mut other = deck("o", vec![dated("o1")]);
        other.source.title = "Another article".into();
        let three = deck("t", (1..=3).map(|i| dated(&format!("d{i}"))).collect());
        assert!(messages(&[&three, &other]).is_empty());
    }
}
