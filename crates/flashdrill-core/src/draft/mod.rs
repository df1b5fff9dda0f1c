//! Drafting cards from an article: the article cut into paragraphs and sentences, the candidate
//! facts in each sentence (dates, numbers with units, names), and first drafts of cards whose
//! `source` is the sentence they come from. Pure: no UI.
//!
//! - [`read_article`] / [`article_from_bytes`] / [`check_article`] refuse unusable text.
//! - [`Article::parse`] finds paragraphs, sentences and candidates.
//! - [`draft_card`] drafts a card from a sentence and the phrase that is its answer;
//!   [`draft_deck`] drafts a whole deck (`flashdrill draft`).
//! - [`sources_not_in_article`] checks that every source quotes the article.

mod card;
mod facts;
pub(crate) mod text;

use std::ops::Range;

pub use card::{Draft, candidate_texts, draft_card, draft_deck, sources_not_in_article};
pub use facts::{Candidate, DateShape, Kind};
pub use text::{
    ArticleError, MAX_ARTICLE_BYTES, article_from_bytes, check_article, normalise, read_article,
};

/// An article ready for drafting.
#[derive(Debug, Clone, Default)]
pub struct Article {
    pub text: String,
    /// Each paragraph's byte range in `text`, and the range of its sentences in `sentences`.
    pub paragraphs: Vec<(Range<usize>, Range<usize>)>,
    /// Each sentence's byte range in `text`.
    pub sentences: Vec<Range<usize>>,
    /// Every candidate fact, in the order of the text.
    pub candidates: Vec<Candidate>,
    /// For each sentence, the range of its candidates in `candidates`.
    pub sentence_candidates: Vec<Range<usize>>,
}

impl Article {
    /// Cuts `text` into paragraphs and sentences and finds the candidate facts.
    #[must_use]
    pub fn parse(text: &str) -> Self {
        let mut article = Self {
            text: text.to_owned(),
            ..Self::default()
        };
        for para in text::paragraphs(text) {
            let first = article.sentences.len();
            article
                .sentences
                .extend(text::sentences(text, para.clone()));
            article
                .paragraphs
                .push((para, first..article.sentences.len()));
        }
        let words: Vec<Vec<text::Word>> = article
            .sentences
            .iter()
            .map(|s| text::words(text, s.clone()))
            .collect();
        let mid_caps = facts::mid_sentence_capitals(text, &words);
        let mut last_year = None;
        for (i, w) in words.iter().enumerate() {
            let first = article.candidates.len();
            facts::candidates_in(
                text,
                i,
                w,
                &mid_caps,
                &mut last_year,
                &mut article.candidates,
            );
            article
                .sentence_candidates
                .push(first..article.candidates.len());
        }
        article
    }

    /// Sentence `i` as a card's source: its text with line breaks and runs of spaces as one
    /// space (the check of sources ignores them).
    #[must_use]
    pub fn sentence(&self, i: usize) -> String {
        self.sentences
            .get(i)
            .map(|r| {
                self.text[r.clone()]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    }

    /// The text of a candidate.
    #[must_use]
    pub fn candidate_text(&self, c: &Candidate) -> &str {
        &self.text[c.range.clone()]
    }

    /// The candidates of sentence `i`.
    #[must_use]
    pub fn candidates_of(&self, i: usize) -> &[Candidate] {
        self.sentence_candidates
            .get(i)
            .map_or(&[], |r| &self.candidates[r.clone()])
    }
}
