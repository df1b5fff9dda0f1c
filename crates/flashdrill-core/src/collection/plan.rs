//! The collection's planning operations: an exam date on a deck, a deck's own retention,
//! postponing and advancing cards. Each is one transaction and one undo entry.

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};

use super::undo::Revert;
use super::{Collection, CollectionError, Op, OpOutput};
use crate::domain::CardProgress;
use crate::plan::readiness::Readiness;
use crate::plan::{self, DeckOptions, EXAM_KEY, Exam, PlanError, RETENTION_KEY, ScheduleRules};
use crate::schedule::{Scheduler, day_end};
use crate::session::CardKey;

/// What setting an exam did.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamSet {
    pub exam: Exam,
    /// Cards brought forward so they are ready on the exam day.
    pub rescheduled: usize,
}

impl Collection {
    /// Each deck's exam and retention, as stored (none while no profile is open).
    #[must_use]
    pub fn deck_options(&self) -> DeckOptions {
        self.store
            .as_ref()
            .and_then(|s| s.deck_options().ok())
            .unwrap_or_default()
    }

    /// The schedule rules study sessions place answers by: the profile's load balancing and
    /// easy days, each deck's retention and exam.
    #[must_use]
    pub fn rules(&self) -> Arc<ScheduleRules> {
        Arc::new(ScheduleRules::new(&self.settings, self.deck_options()))
    }

    /// The readiness for each exam set (on decks that are loaded), with the day-by-day curve
    /// if `curve`.
    #[must_use]
    pub fn readiness(
        &self,
        deck_id: Option<&str>,
        now: DateTime<Utc>,
        curve: bool,
    ) -> Vec<Readiness> {
        let Ok(scheduler) = self.scheduler() else {
            return Vec::new();
        };
        let rules = self.rules();
        let mut out = Vec::new();
        for (id, exam) in &rules.options.exams {
            if deck_id.is_some_and(|d| d != id) {
                continue;
            }
            let Some(deck) = self.library.deck(id) else {
                continue;
            };
            let Ok(cards) = self.cards_of(Some(id)) else {
                continue;
            };
            let stored: std::collections::HashMap<&str, CardProgress> = cards
                .iter()
                .map(|(k, p)| (k.card_id.as_str(), *p))
                .collect();
            let ids: Vec<&str> = deck.deck.cards.iter().map(|c| c.id.as_str()).collect();
            let scheduler = match rules.options.retention.get(id) {
                Some(&r) => {
                    let mut config = self.settings.scheduler_config();
                    config.desired_retention = r;
                    Scheduler::new(config).unwrap_or_else(|_| scheduler.clone())
                }
                None => scheduler.clone(),
            };
            out.push(plan::readiness::readiness(
                &scheduler,
                exam,
                rules.days(),
                &ids,
                &|c| stored.get(c).copied(),
                self.settings.new_per_day,
                now,
                curve,
                self.store
                    .as_ref()
                    .and_then(|store| crate::selftest::calibration(store, id).ok().flatten())
                    .as_ref()
                    .and_then(plan::readiness::TestCheck::from_calibration),
            ));
        }
        out
    }

    fn check_deck(&self, deck_id: &str) -> Result<(), CollectionError> {
        if self.library.deck(deck_id).is_some() {
            Ok(())
        } else {
            Err(PlanError::UnknownDeck(deck_id.to_owned()).into())
        }
    }

    fn scheduler(&self) -> Result<Scheduler, CollectionError> {
        Scheduler::new(self.settings.scheduler_config())
            .map_err(|e| CollectionError::Invalid(e.to_string()))
    }

    /// The stored cards of one deck, or of every deck.
    fn cards_of(
        &self,
        deck_id: Option<&str>,
    ) -> Result<Vec<(CardKey, CardProgress)>, CollectionError> {
        let store = self.store.as_ref().ok_or(CollectionError::NoProfile)?;
        Ok(store
            .card_states(deck_id)?
            .into_iter()
            .map(|r| (CardKey::new(r.deck_id, r.card_id), r.progress))
            .collect())
    }

    /// Writes settings-table rows and card moves in one transaction, undoable as `op`.
    fn write_plan(
        &mut self,
        op: Op,
        rows: &[(String, Option<String>)],
        moves: &[plan::shift::Move],
    ) -> Result<(), CollectionError> {
        let row_refs: Vec<(&str, Option<&str>)> = rows
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_deref()))
            .collect();
        let move_refs: Vec<(&str, &str, DateTime<Utc>)> = moves
            .iter()
            .map(|(k, due)| (k.deck_id.as_str(), k.card_id.as_str(), *due))
            .collect();
        let (rows_before, cards_before) = self.store_mut()?.write_plan(&row_refs, &move_refs)?;
        self.push(
            op,
            Revert::Rows {
                rows: rows
                    .iter()
                    .map(|(k, _)| k.clone())
                    .zip(rows_before)
                    .collect(),
                cards: moves
                    .iter()
                    .map(|(k, _)| k.clone())
                    .zip(cards_before)
                    .collect(),
            },
        );
        Ok(())
    }

    /// Sets `exam` on its deck (in place of any exam it had) and brings forward, in the same
    /// transaction, the deck's cards scheduled past the exam that would not be ready by then.
    /// Undoable.
    pub fn set_exam(
        &mut self,
        exam: Exam,
        now: DateTime<Utc>,
    ) -> Result<OpOutput<ExamSet>, CollectionError> {
        self.check_deck(&exam.deck_id)?;
        let scheduler = self.scheduler()?;
        let days = self.rules().days();
        let cards = self.cards_of(Some(&exam.deck_id))?;
        let moves = plan::shift::for_exam(&scheduler, &exam, days, &cards, now);
        let rows = [(
            format!("{EXAM_KEY}{}", exam.deck_id),
            Some(exam.to_stored()),
        )];
        self.write_plan(Op::SetExam, &rows, &moves)?;
        Ok(OpOutput::new(
            ExamSet {
                exam,
                rescheduled: moves.len(),
            },
            Op::SetExam.changes(),
        ))
    }

    /// Removes a deck's exam date. Undoable.
    pub fn clear_exam(&mut self, deck_id: &str) -> Result<OpOutput<()>, CollectionError> {
        let store = self.store.as_ref().ok_or(CollectionError::NoProfile)?;
        if store.exam(deck_id)?.is_none() {
            return Err(PlanError::NoExam(deck_id.to_owned()).into());
        }
        self.write_plan(
            Op::ClearExam,
            &[(format!("{EXAM_KEY}{deck_id}"), None)],
            &[],
        )?;
        Ok(OpOutput::new((), Op::ClearExam.changes()))
    }

    /// Gives a deck its own desired retention (`None`: the profile's again). Undoable.
    pub fn set_deck_retention(
        &mut self,
        deck_id: &str,
        retention: Option<f32>,
    ) -> Result<OpOutput<()>, CollectionError> {
        self.check_deck(deck_id)?;
        if let Some(r) = retention
            && !plan::retention_allowed(r)
        {
            return Err(PlanError::BadRetention(r.to_string()).into());
        }
        let rows = [(
            format!("{RETENTION_KEY}{deck_id}"),
            retention.map(|r| r.to_string()),
        )];
        self.write_plan(Op::DeckRetention, &rows, &[])?;
        Ok(OpOutput::new((), Op::DeckRetention.changes()))
    }

    /// Postpones `count` of today's due review cards (of one deck, or all), those that lose
    /// least recall by waiting first. Undoable. Returns how many moved.
    pub fn postpone<Tz: TimeZone>(
        &mut self,
        count: usize,
        deck_id: Option<&str>,
        now_local: &DateTime<Tz>,
    ) -> Result<OpOutput<usize>, CollectionError> {
        if let Some(d) = deck_id {
            self.check_deck(d)?;
        }
        let now = now_local.with_timezone(&Utc);
        let until = day_end(now_local, self.settings.day_starts_at);
        let moves = plan::shift::postpone(
            &self.scheduler()?,
            &self.cards_of(deck_id)?,
            count,
            now,
            until,
        );
        self.moved(Op::Postpone(moves.len()), &moves)
    }

    /// Brings forward `count` review cards not due today (of one deck, or all), those closest
    /// to due first. Undoable. Returns how many moved.
    pub fn advance<Tz: TimeZone>(
        &mut self,
        count: usize,
        deck_id: Option<&str>,
        now_local: &DateTime<Tz>,
    ) -> Result<OpOutput<usize>, CollectionError> {
        if let Some(d) = deck_id {
            self.check_deck(d)?;
        }
        let now = now_local.with_timezone(&Utc);
        let until = day_end(now_local, self.settings.day_starts_at);
        let moves = plan::shift::advance(&self.cards_of(deck_id)?, count, now, until);
        self.moved(Op::Advance(moves.len()), &moves)
    }

    fn moved(
        &mut self,
        op: Op,
        moves: &[plan::shift::Move],
    ) -> Result<OpOutput<usize>, CollectionError> {
        let changes = op.changes();
        if !moves.is_empty() {
            self.write_plan(op, &[], moves)?;
        }
        Ok(OpOutput::new(moves.len(), changes))
    }
}
