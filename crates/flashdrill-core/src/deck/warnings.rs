//! Warnings: what makes a valid deck teach poorly. Unlike [`super::Problem`]s they never stop
//! a deck from loading; `flashdrill check` lists them and still passes. The warnings that read
//! cards against their source text are in [`super::source_checks`].

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::model::{Card, Category, Deck};
use super::problem::CardRef;
use super::source_checks::{self, Searched, SourceText};
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
    /// More than [`MAX_SIBLINGS`] cards quote one sentence of the source, in whatever groups:
    /// one fact tested too often, split over groups or not.
    #[error(
        "its source sentence {sentence:?} is quoted by {count} cards ({cards}); whatever their \
         groups, test one fact with at most {MAX_SIBLINGS}"
    )]
    CrowdedSentence {
        /// The sentence's first words.
        sentence: String,
        /// How many cards quote it.
        count: usize,
        /// Their ids, comma-separated.
        cards: String,
    },
    /// The `date` is more precise than the dates the source excerpt names (or the explanation
    /// works out from it): a month where the sentence gives only a year.
    #[error(
        "the date {date:?} is more precise than its source sentence, which gives no more than \
         {supported:?}; write {supported:?}, or show in the explanation (before any \"Beyond \
         the article:\") how the rest follows from the source"
    )]
    DateTooPrecise {
        /// The card's `date`.
        date: String,
        /// The date as precisely as the source gives it.
        supported: String,
    },
    /// The `date`'s year is named neither in the source sentence nor in the explanation.
    #[error(
        "the date {0:?} is named neither in its source sentence nor in its explanation; quote the \
         sentence that dates the event, or show in the explanation (before any \"Beyond the \
         article:\") how the date follows from it"
    )]
    DateNotInSource(String),
    /// A distractor that no sentence of the source holds and the explanation does not mention:
    /// perhaps an invented event (a false memory in the making) or a straw man.
    #[error(
        "the distractor {distractor:?} appears nowhere in {searched} nor in the card's \
         explanation; make sure it is a real near miss, not an invented event or a straw man, \
         and say in the explanation why it is wrong"
    )]
    UnfoundDistractor {
        /// The distractor.
        distractor: String,
        /// Where it was looked for.
        searched: Searched,
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

/// The ids that more than one card of `deck` has (such cards are named by position).
fn repeated_ids(deck: &Deck) -> HashSet<&str> {
    let mut seen = HashSet::with_capacity(deck.cards.len());
    deck.cards
        .iter()
        .filter(|c| !seen.insert(c.id.as_str()))
        .map(|c| c.id.as_str())
        .collect()
}

/// Card `index` of `deck` as messages name it: by id when no other card has it
/// (`repeated` is [`repeated_ids`] of the deck), else by position.
fn card_ref(deck: &Deck, index: usize, repeated: &HashSet<&str>) -> CardRef {
    let id = &deck.cards[index].id;
    let unique = !id.is_empty() && !repeated.contains(id.as_str());
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

/// Every warning about `decks` taken together, without their article: [`warnings_with_article`]
/// with the cards' `source` excerpts standing in for it.
#[must_use]
pub fn warnings(decks: &[&Deck]) -> Vec<Vec<DeckWarning>> {
    warnings_with_article(decks, None)
}

/// Every warning about `decks` taken together, one list per deck in the same order: card by
/// card, then sibling groups of more than [`MAX_SIBLINGS`] cards, then sentences of the source
/// quoted by more than [`MAX_SIBLINGS`] cards (both reported on their first card).
///
/// Siblings and the cards quoting a sentence are counted across the decks drawn from the same
/// source (see [`sibling_scope`]), as a study session sees them. `article` is the text the
/// decks are drawn from, when known: sentences are its sentences and distractors are looked for
/// in it. Without it, the sentences the decks' excerpts quote stand in for it.
#[must_use]
pub fn warnings_with_article(decks: &[&Deck], article: Option<&str>) -> Vec<Vec<DeckWarning>> {
    let mut out: Vec<Vec<DeckWarning>> = Vec::with_capacity(decks.len());
    let mut groups: HashMap<(String, String), Vec<(usize, usize)>> = HashMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    let mut sources = SourceScopes::new(decks, article);
    let repeated: Vec<HashSet<&str>> = decks.iter().map(|d| repeated_ids(d)).collect();
    for (d, deck) in decks.iter().enumerate() {
        let mut list = Vec::new();
        let mut found = Vec::new();
        let source = sources.of(d);
        for (i, card) in deck.cards.iter().enumerate() {
            card_warnings(card, &mut found);
            found.extend(source_checks::date_precision(source, card));
            found.extend(source_checks::unfound_distractors(source, card));
            let at = card_ref(deck, i, &repeated[d]);
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
            .map(|&(d, i)| label(decks, members[0].0, d, &decks[d].cards[i].id))
            .collect::<Vec<_>>()
            .join(", ");
        out[d].push(DeckWarning {
            card: card_ref(decks[d], i, &repeated[d]),
            warning: Warning::CrowdedGroup {
                sharing,
                count: members.len(),
                cards,
            },
        });
    }
    sources.crowded_sentences(decks, &repeated, &mut out);
    out
}

/// The source text of each work the decks are drawn from (decks with the same `source.title`,
/// ignoring case and spacing, share one): the article when given, else their excerpts.
struct SourceScopes {
    /// For each deck, its work's place in `texts`.
    of_deck: Vec<usize>,
    texts: Vec<SourceText>,
}

impl SourceScopes {
    fn new(decks: &[&Deck], article: Option<&str>) -> Self {
        let mut titles: Vec<String> = Vec::new();
        let of_deck: Vec<usize> = decks
            .iter()
            .map(|deck| {
                let title = super::answer_key(&deck.source.title);
                titles.iter().position(|t| *t == title).unwrap_or_else(|| {
                    titles.push(title);
                    titles.len() - 1
                })
            })
            .collect();
        let texts = (0..titles.len())
            .map(|w| match article {
                Some(text) => SourceText::from_article(text),
                None => SourceText::from_excerpts(
                    decks
                        .iter()
                        .zip(&of_deck)
                        .filter(|(_, at)| **at == w)
                        .flat_map(|(deck, _)| deck.cards.iter()),
                ),
            })
            .collect();
        Self { of_deck, texts }
    }

    fn of(&self, deck: usize) -> &SourceText {
        &self.texts[self.of_deck[deck]]
    }

    /// Adds to `out` a warning for each sentence quoted by too many cards of one work,
    /// reported on the first of them.
    fn crowded_sentences(
        &mut self,
        decks: &[&Deck],
        repeated: &[HashSet<&str>],
        out: &mut [Vec<DeckWarning>],
    ) {
        for (w, text) in self.texts.iter_mut().enumerate() {
            let places: Vec<(usize, usize)> = (0..decks.len())
                .filter(|&d| self.of_deck[d] == w)
                .flat_map(|d| (0..decks[d].cards.len()).map(move |i| (d, i)))
                .collect();
            let cards: Vec<&Card> = places.iter().map(|&(d, i)| &decks[d].cards[i]).collect();
            for (sentence, by) in source_checks::crowded_sentences(text, &cards) {
                let (home, i) = places[by[0]];
                let ids: Vec<String> = by
                    .iter()
                    .map(|&at| {
                        let (d, c) = places[at];
                        label(decks, home, d, &decks[d].cards[c].id)
                    })
                    .collect();
                out[home].push(DeckWarning {
                    card: card_ref(decks[home], i, &repeated[home]),
                    warning: Warning::CrowdedSentence {
                        sentence,
                        count: by.len(),
                        cards: ids.join(", "),
                    },
                });
            }
        }
    }
}

/// A card's id in a list of cards reported on deck `home`: `<deck id>/<card id>` when the card
/// is in another deck.
fn label(decks: &[&Deck], home: usize, deck: usize, id: &str) -> String {
    if deck == home {
        id.to_owned()
    } else {
        format!("{}/{id}", decks[deck].id)
    }
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

    /// A card with an explanation, quoting a sentence of its own.
    fn card(id: &str, category: &str, answer: &str) -> Card {
        let mut c = crate::quiz::test_support::card(id, category, answer);
        c.explanation = Some("Because.".into());
        c.source = format!("The sentence of card {id}.");
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
                "card \"m\": the distractor \"Pyongyang\" appears nowhere in the source excerpts nor in the card's explanation; make sure it is a real near miss, not an invented event or a straw man, and say in the explanation why it is wrong",
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
            c.source = format!("Card {id} is about 2000.");
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

    /// The article's sentences count the cards quoting them across decks and groups; dates and
    /// distractors are read against the article, or the excerpts when there is none.
    #[test]
    fn cards_are_read_against_their_article() {
        let article = "Back in September 2022, seven months after Russia\u{2019}s invasion of \
                       Ukraine, the United States accused North Korea for the first time of selling \
                       artillery to Russia. A few weeks later, officials reported it.";
        let quoting = |id: &str, group: &str| {
            let mut c = card(id, "actor", "The United States");
            c.group = Some(group.into());
            c.source = "the United States accused North Korea for the first time".into();
            c
        };
        let mut dated = quoting("dated", "d");
        dated.date = Some("2022-10".into());
        dated.distractors = vec!["Japan".into(), "September 2023".into()];
        let a = deck("a", vec![quoting("a1", "x"), quoting("a2", "y"), dated]);
        let b = deck("b", vec![quoting("b1", "z")]);
        let all = warnings_with_article(&[&a, &b], Some(article));
        let lines = |list: &[DeckWarning]| list.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(
            lines(&all[0]),
            [
                "card \"dated\": the date \"2022-10\" is more precise than its source sentence, which gives no more than \"2022\"; write \"2022\", or show in the explanation (before any \"Beyond the article:\") how the rest follows from the source",
                "card \"dated\": the distractor \"Japan\" appears nowhere in the article nor in the card's explanation; make sure it is a real near miss, not an invented event or a straw man, and say in the explanation why it is wrong",
                "card \"a1\": its source sentence \"Back in September 2022, seven months after Russia\u{2019}s\u{2026}\" is quoted by 4 cards (a1, a2, dated, b/b1); whatever their groups, test one fact with at most 3",
            ]
        );
        assert!(all[1].is_empty());
        // Without the article the excerpt stands in for it: its sentence names no date.
        let alone = warnings(&[&a]);
        assert_eq!(
            lines(&alone[0])[0],
            "card \"dated\": the date \"2022-10\" is named neither in its source sentence nor in its explanation; quote the sentence that dates the event, or show in the explanation (before any \"Beyond the article:\") how the date follows from it"
        );
        assert_eq!(
            alone[0].len(),
            2,
            "three cards on the sentence are not too many"
        );
        // Another work's cards are counted apart.
        let mut other = deck("o", vec![quoting("o1", "x")]);
        other.source.title = "Another article".into();
        let apart = warnings_with_article(&[&a, &other], Some(article));
        assert_eq!(apart[0].len(), 2);
        assert!(apart[1].is_empty());
    }
}
