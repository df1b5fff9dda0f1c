//! One settled drill question in the review log.

use super::question::CardRef;

/// One settled question for the review log: the app records one `drill` review per card.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// Index into [`Drill::questions`](super::Drill::questions).
    pub question: usize,
    pub cards: Vec<CardRef>,
    /// Some team (or the class) got it right.
    pub correct: bool,
    pub secs: f64,
}

impl LogEntry {
    /// Records one `drill` review per card on `store` at `at`: Good when the class (a team, or
    /// most students of a live game) got it right, else Again. Drill reviews never change a
    /// card's schedule. Returns the review ids, in card order. The projector drill and the live
    /// class both log through here.
    pub fn record(
        &self,
        store: &mut crate::store::Store,
        policy: crate::store::LeechPolicy,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<i64>, crate::store::StoreError> {
        use crate::schedule::Rating;
        use crate::store::{Mode, NewReview};
        let mut ids = Vec::with_capacity(self.cards.len());
        for card in &self.cards {
            let review = NewReview {
                deck_id: &card.deck_id,
                card_id: &card.card_id,
                at,
                rating: if self.correct {
                    Rating::Good
                } else {
                    Rating::Again
                },
                mode: Mode::Drill,
                answer_given: None,
                correct: Some(self.correct),
                response_ms: (self.secs.max(0.0) * 1000.0) as u64,
                state_after: None,
            };
            ids.push(store.record_answer(&review, policy)?.review_id);
        }
        Ok(ids)
    }
}
