//! Drills built from the bundled decks: every setup the teacher can choose gives sound questions.

use std::collections::HashSet;

use flashdrill_core::deck::{self, Card};
use flashdrill_core::drill::{Body, Drill, DrillSetup, Phase, QuestionForm, Team};
use flashdrill_core::quiz::normalize::fold;

fn bundled() -> deck::Library {
    let library = deck::load_library(&[], true);
    assert!(library.failures.is_empty(), "{:?}", library.failures);
    library
}

fn all_of(library: &deck::Library) -> DrillSetup {
    DrillSetup {
        decks: library.decks.iter().map(|d| d.deck.id.clone()).collect(),
        categories: library
            .decks
            .iter()
            .flat_map(|d| d.deck.cards.iter().map(|c| c.category.clone()))
            .collect(),
        ..DrillSetup::default()
    }
}

#[test]
fn every_seed_gives_ten_sound_questions_from_the_bundled_decks() {
    let library = bundled();
    let decks: Vec<(&str, &[Card])> = library
        .decks
        .iter()
        .map(|l| (l.deck.id.as_str(), l.deck.cards.as_slice()))
        .collect();
    let setup = all_of(&library);
    for seed in 0..200 {
        let drill = Drill::new(setup.clone(), &decks, seed).unwrap();
        assert_eq!(drill.questions().len(), 10, "seed {seed}");
        let mut cards = HashSet::new();
        let mut events = HashSet::new();
        let mut names = HashSet::new();
        for q in drill.questions() {
            for c in &q.cards {
                assert!(cards.insert(c.clone()), "seed {seed}: {c:?} asked twice");
                let deck = library.deck(&c.deck_id).unwrap();
                assert!(deck.deck.card(&c.card_id).is_some());
            }
            assert!(!q.prompt.trim().is_empty() && !q.answer.trim().is_empty());
            match &q.body {
                Body::Timeline(t) => {
                    assert!(t.events.len() >= 3);
                    for e in &t.events {
                        assert!(
                            events.insert(fold(&e.caption)),
                            "seed {seed}: {}",
                            e.caption
                        );
                    }
                    assert!(t.score(&t.correct_order()).correct_order);
                }
                Body::Matching(m) => {
                    assert!(m.left.len() >= 3);
                    for l in &m.left {
                        assert!(names.insert(fold(l)), "seed {seed}: {l}");
                    }
                }
                Body::MultipleChoice(c) => {
                    assert_eq!(c.options[c.correct_index], q.answer);
                    assert!(q.source.is_some());
                }
                Body::FlipReveal => assert!(q.source.is_some()),
            }
        }
        let forms: HashSet<QuestionForm> = drill
            .questions()
            .iter()
            .map(flashdrill_core::drill::Question::form)
            .collect();
        assert!(
            forms.len() >= 3,
            "seed {seed}: a mix of forms, got {forms:?}"
        );
    }
}

#[test]
fn a_whole_drill_on_the_bundled_decks_ends_on_the_podium() {
    let library = bundled();
    let decks: Vec<(&str, &[Card])> = library
        .decks
        .iter()
        .map(|l| (l.deck.id.as_str(), l.deck.cards.as_slice()))
        .collect();
    let mut setup = all_of(&library);
    setup.teams = vec![Team::new("Reds", 0), Team::new("Blues", 1)];
    let mut drill = Drill::new(setup, &decks, 42).unwrap();
    let mut t = 0.0;
    drill.start(t);
    while drill.phase() != Phase::Finished {
        t += 30.0;
        drill.tick(t);
        assert_eq!(drill.phase(), Phase::Revealed, "the countdown ran out");
        drill.award(drill.current() % 2);
        drill.next(t);
        drill.next(t);
    }
    // Every reveal came when the time was up: 100 points per right answer plus streak bonuses
    // of nothing (the teams alternate).
    let stats = drill.team_stats();
    assert_eq!(stats[0].points, 500);
    assert_eq!(stats[1].points, 500);
    assert!(drill.ranking().iter().all(|s| s.place == 1));
    assert_eq!(drill.log_entries().len(), 10);
    let csv = drill.results_csv();
    assert_eq!(csv.lines().count(), 1 + 10 + 1 + 1 + 2);
}
