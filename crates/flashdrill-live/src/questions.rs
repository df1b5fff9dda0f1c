//! A live game's questions, drawn from decks by the core's drill builder, and logging a game's
//! answers on the teacher's profile.

use std::collections::BTreeSet;

use chrono::Utc;
use flashdrill_core::deck::Card;
use flashdrill_core::drill::{Drill, DrillError, DrillSetup, LogEntry, Question, QuestionForm};
use flashdrill_core::store::{LeechPolicy, Store, StoreError};

/// The forms a live game asks.
pub const LIVE_FORMS: [QuestionForm; 2] = [QuestionForm::MultipleChoice, QuestionForm::Timeline];

/// A drill setup made fit for a live game: only the live forms among those chosen (both when
/// none of them was chosen), no teams, and no countdown check (the live game has its own).
#[must_use]
pub fn live_setup(setup: &DrillSetup) -> DrillSetup {
    let mut forms: BTreeSet<QuestionForm> = setup
        .forms
        .iter()
        .copied()
        .filter(|f| LIVE_FORMS.contains(f))
        .collect();
    if forms.is_empty() {
        forms = LIVE_FORMS.into();
    }
    DrillSetup {
        forms,
        time_limit: None,
        teams: Vec::new(),
        ..setup.clone()
    }
}

/// A setup over every category of `decks` (each deck's id and cards), `count` questions.
#[must_use]
pub fn whole_decks(decks: &[(&str, &[Card])], count: usize) -> DrillSetup {
    DrillSetup {
        decks: decks.iter().map(|(id, _)| (*id).to_owned()).collect(),
        categories: decks
            .iter()
            .flat_map(|(_, cards)| cards.iter().map(|c| c.category.clone()))
            .collect(),
        questions: count,
        forms: LIVE_FORMS.into(),
        time_limit: None,
        teams: Vec::new(),
    }
}

/// The questions of a live game: the core's drill builder on [`live_setup`]`(setup)`; the same
/// setup, decks and seed give the same questions.
pub fn live_questions(
    setup: &DrillSetup,
    decks: &[(&str, &[Card])],
    seed: u64,
) -> Result<Vec<Question>, DrillError> {
    Ok(Drill::new(live_setup(setup), decks, seed)?
        .questions()
        .to_vec())
}

/// Records one `drill` review per card of each entry (Good when the class got it, else
/// Again) from [`LogEntry::reviews`], in one transaction, as the projector drill does: the
/// cards' schedules are not changed. Returns the review ids.
pub fn record_log(
    store: &mut Store,
    entries: &[LogEntry],
    policy: LeechPolicy,
) -> Result<Vec<i64>, StoreError> {
    let at = Utc::now();
    let reviews: Vec<_> = entries.iter().flat_map(|e| e.reviews(at)).collect();
    Ok(store
        .record_answers(&reviews, policy)?
        .iter()
        .map(|r| r.review_id)
        .collect())
}

/// Logs a game played by a class under each student's name: one `drill` answer per card of
/// each question the student answered (right or wrong), in the student's own log (never
/// moving their schedule). `game_id` makes the answers' ids (one game's answers are logged
/// once, however often this runs). Returns how many answers were written.
pub fn record_class_game(
    room: &mut flashdrill_core::class::Classroom,
    game_id: &str,
    rows: &[crate::engine::ResultRow],
    entries: &[LogEntry],
    at: chrono::DateTime<Utc>,
) -> Result<usize, flashdrill_core::class::ClassError> {
    let students = room.students()?;
    let mut written = 0;
    for row in rows {
        let (Some(right), Some(student)) =
            (row.right, students.iter().find(|s| s.name == row.student))
        else {
            continue;
        };
        let Some(entry) = entries.iter().find(|e| e.question + 1 == row.question) else {
            continue;
        };
        for card in &entry.cards {
            let answer_id = format!("{game_id}-{}-{}", row.question, card.card_id);
            let answer_id: String = answer_id.chars().take(64).collect();
            let acked = room.record_student_answer(&flashdrill_core::class::StudentAnswer {
                student: &student.id,
                deck_id: &card.deck_id,
                card_id: &card.card_id,
                right,
                answer_id: &answer_id,
                at,
                mode: flashdrill_core::store::Mode::Drill,
                answer_given: row.given.as_deref(),
                response_ms: row.secs.map_or(0, |s| (s * 1000.0) as u64),
            })?;
            written += usize::from(!acked.repeated);
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flashdrill_core::drill::CardRef;
    use flashdrill_core::settings::Settings;
    use flashdrill_core::store::Mode;

    #[test]
    fn live_setups_keep_only_live_forms() {
        let setup = DrillSetup {
            forms: [QuestionForm::FlipReveal, QuestionForm::Timeline].into(),
            time_limit: Some(45),
            ..DrillSetup::default()
        };
        let live = live_setup(&setup);
        assert_eq!(live.forms, [QuestionForm::Timeline].into());
        assert_eq!(live.time_limit, None);
        let flip_only = DrillSetup {
            forms: [QuestionForm::Matching].into(),
            ..DrillSetup::default()
        };
        assert_eq!(live_setup(&flip_only).forms, LIVE_FORMS.into());
        let setup = whole_decks(&[("a", &[]), ("b", &[])], 7);
        assert_eq!(setup.decks.len(), 2);
        assert_eq!(setup.questions, 7);
        assert_eq!(
            live_questions(&setup, &[("a", &[]), ("b", &[])], 1).unwrap_err(),
            DrillError::NoCategories
        );
    }

    #[test]
    fn the_log_is_drill_mode_and_leaves_schedules_alone() {
        let mut store = Store::open_in_memory("teacher").unwrap();
        let entries = vec![LogEntry {
            question: 0,
            cards: vec![
                CardRef {
                    deck_id: "d".into(),
                    card_id: "a".into(),
                },
                CardRef {
                    deck_id: "d".into(),
                    card_id: "b".into(),
                },
            ],
            correct: false,
            secs: 3.5,
        }];
        let policy = LeechPolicy::from_settings(&Settings::default());
        let ids = record_log(&mut store, &entries, policy).unwrap();
        assert_eq!(ids.len(), 2);
        let review = store.review(ids[0]).unwrap().unwrap();
        assert_eq!(review.mode, Mode::Drill);
        assert_eq!(review.correct, Some(false));
        assert_eq!(review.response_ms, 3500);
        assert_eq!(store.card("d", "a").unwrap(), None, "no schedule written");
    }
}
