use super::*;
use flashdrill_core::quiz::{Choices, Timeline};

pub(crate) fn choice_question(n: usize, correct: usize) -> Question {
    Question {
        body: Body::MultipleChoice(Choices {
            options: vec!["A".into(), "B".into(), "C".into(), "D".into()],
            correct_index: correct,
        }),
        cards: vec![CardRef {
            deck_id: "d".into(),
            card_id: format!("c{n}"),
        }],
        prompt: format!("Question {n}?"),
        answer: ["A", "B", "C", "D"][correct].into(),
        source: None,
        explanation: None,
    }
}

pub(crate) fn timeline_question() -> Question {
    use flashdrill_core::deck::PartialDate;
    let event = |id: &str, caption: &str, year: &str| flashdrill_core::quiz::Event {
        card_id: id.into(),
        caption: caption.into(),
        date: PartialDate::parse(year).unwrap(),
    };
    let t = Timeline {
        events: vec![
            event("e2", "Second", "1900"),
            event("e1", "First", "1800"),
            event("e3", "Third", "2000"),
        ],
    };
    Question {
        body: Body::Timeline(t),
        cards: ["e2", "e1", "e3"]
            .iter()
            .map(|c| CardRef {
                deck_id: "d".into(),
                card_id: (*c).into(),
            })
            .collect(),
        prompt: "Put these in order".into(),
        answer: "First; Second; Third".into(),
        source: None,
        explanation: None,
    }
}

fn game(n: usize) -> Game {
    let qs = (0..n).map(|i| choice_question(i, i % 4)).collect();
    Game::new(qs, 20, "123456").unwrap()
}

#[test]
fn new_checks_questions_seconds_and_pin() {
    assert_eq!(
        Game::new(Vec::new(), 20, "123456").unwrap_err(),
        GameError::NoQuestions
    );
    let mut flip = choice_question(0, 0);
    flip.body = Body::FlipReveal;
    assert_eq!(
        Game::new(vec![choice_question(0, 0), flip], 20, "123456").unwrap_err(),
        GameError::Form(2, "Flip and reveal")
    );
    assert_eq!(
        Game::new(vec![choice_question(0, 0)], 4, "123456").unwrap_err(),
        GameError::Seconds(4)
    );
    for bad in ["12345", "1234567", "12a456", "", "１２３４５６"] {
        assert!(matches!(
            Game::new(vec![choice_question(0, 0)], 20, bad),
            Err(GameError::Pin(_))
        ));
    }
}

#[test]
fn names_are_cleaned_capped_and_unique() {
    assert_eq!(clean_name("  Ada \t Lovelace\n"), "Ada Lovelace");
    assert_eq!(clean_name("a\u{0}b\u{7f}c"), "abc");
    assert_eq!(clean_name(&"x".repeat(50)).chars().count(), MAX_NAME_CHARS);
    assert_eq!(clean_name("<b>hi</b>"), "<b>hi</b>", "markup stays text");
    let mut g = game(2);
    assert_eq!(g.join("000000", "Ada", "t0"), Err(JoinError::WrongPin));
    assert_eq!(g.join("123456", " \n ", "t0"), Err(JoinError::EmptyName));
    assert_eq!(g.join(" 123456 ", "  Ada  ", "t0"), Ok(0));
    assert_eq!(g.name(0), Some("Ada"));
    assert_eq!(
        g.join("123456", "ADA", "t1"),
        Err(JoinError::NameTaken("ADA".into()))
    );
    assert_eq!(g.join("123456", "Bo", "t1"), Ok(1));
    // A removed player's name is free again.
    assert!(g.remove(0));
    assert!(!g.remove(0));
    assert!(!g.remove(9));
    assert_eq!(g.join("123456", "Ada", "t2"), Ok(2));
    assert_eq!(g.player_count(), 2);
}

#[test]
fn at_most_max_players() {
    let mut g = game(1);
    for i in 0..MAX_PLAYERS {
        g.join("123456", &format!("P{i}"), &format!("t{i}"))
            .unwrap();
    }
    assert_eq!(g.join("123456", "One more", "tx"), Err(JoinError::Full));
    g.remove(3);
    assert!(g.join("123456", "One more", "tx").is_ok());
}

#[test]
fn answers_once_and_only_during_the_question() {
    let mut g = game(2);
    let a = g.join("123456", "Ada", "ta").unwrap();
    let b = g.join("123456", "Bo", "tb").unwrap();
    assert_eq!(
        g.answer(a, 0, Answer::Choice(0), 0.0),
        Err(AnswerError::NotAsking)
    );
    g.start(10.0);
    assert_eq!(
        g.answer(a, 1, Answer::Choice(0), 11.0),
        Err(AnswerError::WrongQuestion)
    );
    assert_eq!(
        g.answer(a, 0, Answer::Choice(7), 11.0),
        Err(AnswerError::Invalid)
    );
    assert_eq!(
        g.answer(a, 0, Answer::Order(vec![0]), 11.0),
        Err(AnswerError::Invalid)
    );
    assert_eq!(g.answer(a, 0, Answer::Choice(0), 15.0), Ok(()));
    assert_eq!(
        g.answer(a, 0, Answer::Choice(1), 15.0),
        Err(AnswerError::Already)
    );
    assert_eq!(
        g.answer(99, 0, Answer::Choice(1), 15.0),
        Err(AnswerError::UnknownPlayer)
    );
    // Past the deadline (the tick may not have run yet).
    assert_eq!(
        g.answer(b, 0, Answer::Choice(0), 30.5),
        Err(AnswerError::TooLate)
    );
    assert!(g.tick(30.5));
    assert_eq!(g.phase(), Phase::Reveal);
    assert_eq!(
        g.answer(b, 0, Answer::Choice(0), 30.6),
        Err(AnswerError::TooLate)
    );
    // 100 + 75 (15 s of 20 left).
    assert_eq!(g.stats(a).points, 175);
    assert_eq!(g.stats(b).points, 0);
}

#[test]
fn reveal_comes_when_everyone_connected_answered() {
    let mut g = game(2);
    let a = g.join("123456", "Ada", "ta").unwrap();
    let b = g.join("123456", "Bo", "tb").unwrap();
    g.start(0.0);
    assert!(!g.tick(1.0), "no one answered yet");
    g.answer(a, 0, Answer::Choice(0), 2.0).unwrap();
    assert!(!g.tick(2.0));
    g.disconnect(b);
    assert!(g.tick(2.0), "the only connected player answered");
    assert_eq!(g.snapshot(2.0).answer_counts, vec![1, 0, 0, 0]);
    // An empty room waits for the time.
    let mut g = game(1);
    g.start(0.0);
    assert!(!g.tick(19.9));
    assert!(g.tick(20.0));
}

#[test]
fn points_speed_and_streaks_follow_the_drill() {
    assert_eq!(points_for(0.0, 20, 1), 200);
    assert_eq!(points_for(5.0, 20, 1), 175);
    assert_eq!(points_for(19.0, 20, 2), 115);
    assert_eq!(points_for(20.0, 20, 9), 150);
    assert_eq!(points_for(25.0, 20, 1), 100);
    let mut g = game(8);
    let a = g.join("123456", "Ada", "ta").unwrap();
    g.start(0.0);
    // Right on 0–2, wrong on 3, no answer on 4, right on 5–7; all at once.
    for q in 0..8 {
        let correct = q % 4;
        match q {
            3 => g.answer(a, q, Answer::Choice(0), 0.0).unwrap(),
            4 => {}
            _ => g.answer(a, q, Answer::Choice(correct), 0.0).unwrap(),
        }
        g.reveal(0.0);
        g.next(0.0);
        g.next(0.0);
    }
    assert_eq!(g.phase(), Phase::Finished);
    let (rows, standings) = g.result_rows();
    let points: Vec<u32> = rows.iter().map(|r| r.points).collect();
    assert_eq!(points, vec![200, 210, 220, 0, 0, 200, 210, 220]);
    let s = standings[0].1;
    assert_eq!(
        (s.points, s.right, s.best_streak, s.streak),
        (1260, 6, 3, 3)
    );
    assert_eq!(rows[3].right, Some(false));
    assert_eq!(rows[4].given, None);
    assert_eq!(rows[0].given.as_deref(), Some("A"));
}

#[test]
fn timeline_answers_are_orders() {
    let mut g = Game::new(vec![timeline_question(), timeline_question()], 20, "123456").unwrap();
    let a = g.join("123456", "Ada", "ta").unwrap();
    let b = g.join("123456", "Bo", "tb").unwrap();
    g.start(0.0);
    assert_eq!(
        g.answer(a, 0, Answer::Choice(0), 1.0),
        Err(AnswerError::Invalid)
    );
    assert_eq!(
        g.answer(a, 0, Answer::Order(vec![1, 1, 2]), 1.0),
        Err(AnswerError::Invalid)
    );
    g.answer(a, 0, Answer::Order(vec![1, 0, 2]), 0.0).unwrap();
    g.answer(b, 0, Answer::Order(vec![0, 1, 2]), 0.0).unwrap();
    assert!(g.tick(0.0));
    assert_eq!(g.stats(a).points, 200);
    assert_eq!(g.stats(b).points, 0);
    assert_eq!(g.snapshot(0.0).answer_counts, vec![1, 1]);
    match g.phone_view(a, 0.0) {
        PhoneView::Reveal { correct, right, .. } => {
            assert_eq!(correct, vec![1, 0, 2]);
            assert_eq!(right, Some(true));
        }
        other => panic!("{other:?}"),
    }
    let (rows, _) = g.result_rows();
    assert_eq!(rows[0].given.as_deref(), Some("First → Second → Third"));
}

#[test]
fn rejoin_keeps_name_and_points() {
    let mut g = game(2);
    let a = g.join("123456", "Ada", "secret").unwrap();
    g.start(0.0);
    g.answer(a, 0, Answer::Choice(0), 0.0).unwrap();
    g.reveal(1.0);
    // A reload: the new connection comes before the old one closes.
    assert_eq!(g.rejoin("123456", "secret"), Ok(a));
    g.disconnect(a);
    assert!(g.snapshot(1.0).players[0].connected);
    g.disconnect(a);
    assert!(!g.snapshot(1.0).players[0].connected);
    assert_eq!(g.rejoin("123456", "nope"), Err(JoinError::UnknownToken));
    assert_eq!(g.rejoin("654321", "secret"), Err(JoinError::WrongPin));
    assert_eq!(g.rejoin("123456", "secret"), Ok(a));
    assert_eq!(g.stats(a).points, 200);
    assert_eq!(g.name(a), Some("Ada"));
    g.remove(a);
    assert_eq!(g.rejoin("123456", "secret"), Err(JoinError::Removed));
    assert_eq!(g.phone_view(a, 1.0), PhoneView::Removed);
}

#[test]
fn leaderboard_shares_places_and_phone_views_follow_the_phases() {
    let mut g = game(1);
    let ids: Vec<PlayerId> = ["A", "B", "C"]
        .iter()
        .map(|n| g.join("123456", n, n).unwrap())
        .collect();
    assert_eq!(
        g.phone_view(ids[0], 0.0),
        PhoneView::Lobby {
            name: "A".into(),
            players: 3
        }
    );
    g.start(0.0);
    assert!(matches!(
        g.phone_view(ids[0], 4.0),
        PhoneView::Question { seconds_left, answered: false, .. } if (seconds_left - 16.0).abs() < 1e-9
    ));
    g.answer(ids[1], 0, Answer::Choice(0), 0.0).unwrap();
    g.answer(ids[2], 0, Answer::Choice(0), 0.0).unwrap();
    g.reveal(0.0);
    let places: Vec<(PlayerId, usize, u32)> = g
        .ranking()
        .iter()
        .map(|s| (s.player, s.place, s.points))
        .collect();
    assert_eq!(places, vec![(1, 1, 200), (2, 1, 200), (0, 3, 0)]);
    g.next(0.0);
    match g.phone_view(ids[0], 0.0) {
        PhoneView::Leaderboard {
            rank, top, players, ..
        } => {
            assert_eq!((rank, players, top.len()), (3, 3, 3));
        }
        other => panic!("{other:?}"),
    }
    g.next(0.0);
    assert_eq!(g.phase(), Phase::Finished);
    assert!(matches!(
        g.phone_view(ids[2], 0.0),
        PhoneView::Finished {
            rank: 1,
            total: 200,
            questions: 1,
            ..
        }
    ));
    assert_eq!(g.join("123456", "Late", "late"), Err(JoinError::Over));
}

#[test]
fn ending_drops_an_open_question_and_logs_majorities() {
    let mut g = game(3);
    let ids: Vec<PlayerId> = ["A", "B", "C"]
        .iter()
        .map(|n| g.join("123456", n, n).unwrap())
        .collect();
    g.start(0.0);
    g.answer(ids[0], 0, Answer::Choice(0), 2.0).unwrap();
    g.answer(ids[1], 0, Answer::Choice(1), 4.0).unwrap();
    g.reveal(5.0);
    g.next(5.0);
    g.next(5.0);
    g.answer(ids[0], 1, Answer::Choice(0), 6.0).unwrap();
    g.answer(ids[1], 1, Answer::Choice(0), 6.0).unwrap();
    g.answer(ids[2], 1, Answer::Choice(1), 6.0).unwrap();
    g.reveal(7.0);
    g.next(7.0);
    g.next(7.0);
    g.answer(ids[0], 2, Answer::Choice(2), 8.0).unwrap();
    assert!(g.end(9.0));
    assert!(!g.end(9.0));
    assert_eq!(g.revealed(), 2);
    let log = g.log_entries();
    assert_eq!(log.len(), 2);
    assert_eq!((log[0].correct, log[0].secs), (true, 3.0), "1 of 2 right");
    assert!(!log[1].correct, "1 of 3 right");
    assert_eq!(log[1].cards, g.cards(1));
    let (rows, _) = g.result_rows();
    assert_eq!(rows.len(), 6, "three players × two revealed questions");
}
