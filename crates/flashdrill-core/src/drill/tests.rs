use std::collections::BTreeSet;

use super::*;
use crate::deck::Card;

fn assert_close(got: f64, want: f64) {
    assert!((got - want).abs() < 1e-9, "{got} is not {want}");
}

fn card(id: &str, category: &str, answer: &str) -> Card {
    Card::new(
        id,
        category,
        format!("Prompt {id}?"),
        answer,
        format!("Source of {id}."),
    )
}

fn dated(id: &str, date: &str) -> Card {
    let mut c = card(id, "date", date);
    c.date = Some(date.into());
    c.event = Some(format!("Event {id}"));
    c
}

fn actor(id: &str, name: &str, role: &str) -> Card {
    let mut c = card(id, "actor", name);
    c.role = Some(role.into());
    c
}

fn history() -> Vec<Card> {
    (0..12)
        .map(|i| dated(&format!("d{i}"), &format!("{}", 2000 + i)))
        .collect()
}

fn people() -> Vec<Card> {
    (0..10)
        .map(|i| {
            actor(
                &format!("a{i}"),
                &format!("Person {i}"),
                &format!("Role {i}"),
            )
        })
        .chain((0..10).map(|i| card(&format!("t{i}"), "term", &format!("Term {i}"))))
        .collect()
}

fn setup(questions: usize, forms: &[QuestionForm], teams: usize) -> DrillSetup {
    DrillSetup {
        decks: ["history", "people"].map(str::to_owned).into(),
        categories: ["date", "actor", "term"].map(str::to_owned).into(),
        questions,
        forms: forms.iter().copied().collect(),
        time_limit: Some(20),
        teams: (0..teams)
            .map(|i| Team::new(Team::default_name(i), i))
            .collect(),
    }
}

fn drill(setup: DrillSetup, seed: u64) -> Result<Drill, DrillError> {
    let (h, p) = (history(), people());
    Drill::new(setup, &[("history", &h), ("people", &p)], seed)
}

/// Reveals the current question at `at` seconds, awards `teams`, and goes on.
fn play(d: &mut Drill, at: f64, teams: &[usize]) {
    d.reveal(at);
    for &t in teams {
        assert!(d.award(t));
    }
    d.next(at);
    d.next(at);
}

#[test]
fn setup_validation() {
    let ok = setup(10, &QuestionForm::ALL, 2);
    assert_eq!(ok.validate(), Ok(()));
    assert_eq!(setup(10, &QuestionForm::ALL, 0).validate(), Ok(()));
    let mut s = ok.clone();
    s.decks.clear();
    assert_eq!(s.validate(), Err(DrillError::NoDecks));
    let mut s = ok.clone();
    s.categories.clear();
    assert_eq!(s.validate(), Err(DrillError::NoCategories));
    assert_eq!(setup(10, &[], 2).validate(), Err(DrillError::NoForms));
    assert_eq!(
        setup(0, &QuestionForm::ALL, 2).validate(),
        Err(DrillError::Questions(0))
    );
    assert_eq!(
        setup(51, &QuestionForm::ALL, 2).validate(),
        Err(DrillError::Questions(51))
    );
    let mut s = ok.clone();
    s.time_limit = Some(5);
    assert_eq!(s.validate(), Err(DrillError::TimeLimit(5)));
    s.time_limit = Some(61);
    assert_eq!(s.validate(), Err(DrillError::TimeLimit(61)));
    s.time_limit = None;
    assert_eq!(s.validate(), Ok(()));
    assert_eq!(
        setup(10, &QuestionForm::ALL, 1).validate(),
        Err(DrillError::TeamCount(1))
    );
    assert_eq!(
        setup(10, &QuestionForm::ALL, 7).validate(),
        Err(DrillError::TeamCount(7))
    );
    let mut s = ok.clone();
    s.teams[1].name = "  ".into();
    assert_eq!(s.validate(), Err(DrillError::EmptyTeamName(2)));
    s.teams[1].name = "x".repeat(31);
    assert_eq!(s.validate(), Err(DrillError::LongTeamName(2)));
    s.teams[1].name = " team 1 ".into();
    assert_eq!(
        s.validate(),
        Err(DrillError::DuplicateTeamName("team 1".into()))
    );
    let mut s = ok;
    s.teams[0].colour_index = 6;
    assert!(matches!(
        s.validate(),
        Err(DrillError::Colour { index: 6, .. })
    ));
    assert!(
        DrillError::TimeLimit(5)
            .to_string()
            .contains("10 to 60 seconds")
    );
}

#[test]
fn questions_are_deterministic_and_drawn_from_the_choice() {
    let s = setup(10, &QuestionForm::ALL, 2);
    let a = drill(s.clone(), 7).unwrap();
    assert_eq!(a.questions(), drill(s.clone(), 7).unwrap().questions());
    assert_eq!(a.questions().len(), 10);
    let varied: BTreeSet<Vec<String>> = (0..10)
        .map(|seed| {
            drill(s.clone(), seed)
                .unwrap()
                .questions()
                .iter()
                .map(|q| q.prompt.clone())
                .collect()
        })
        .collect();
    assert!(varied.len() > 5, "seeds give different drills");
    // Forms are spread evenly: ten questions in four forms, 2 or 3 each.
    for form in QuestionForm::ALL {
        let n = a.questions().iter().filter(|q| q.form() == form).count();
        assert!((2..=3).contains(&n), "{form:?}: {n}");
    }
    // No card asked twice.
    let mut seen = BTreeSet::new();
    for q in a.questions() {
        for c in &q.cards {
            assert!(seen.insert((c.deck_id.clone(), c.card_id.clone())), "{c:?}");
        }
    }
    // Multi-card forms name their real cards and decks.
    for q in a.questions() {
        match &q.body {
            Body::Timeline(t) => {
                // Timelines choose their cards before single-card questions do.
                assert_eq!(t.events.len(), TIMELINE_EVENTS);
                for (e, c) in t.events.iter().zip(&q.cards) {
                    assert_eq!(c.deck_id, "history");
                    assert_eq!(e.card_id, c.card_id);
                    assert_eq!(e.caption, format!("Event {}", c.card_id));
                }
                assert!(q.answer.contains("Event") && q.answer.contains("; "));
            }
            Body::Matching(m) => {
                assert_eq!(m.left.len(), MATCHING_PAIRS);
                for (l, c) in m.left.iter().zip(&q.cards) {
                    assert_eq!(c.deck_id, "people");
                    assert_eq!(*l, format!("Person {}", &c.card_id[1..]));
                }
                assert!(q.answer.contains(" – Role "));
            }
            Body::MultipleChoice(c) => {
                assert_eq!(c.options[c.correct_index], q.answer);
                assert_eq!(
                    q.source.as_deref().map(|s| s.starts_with("Source")),
                    Some(true)
                );
            }
            Body::FlipReveal => assert!(q.source.is_some()),
        }
    }
    // Only the chosen category.
    let mut terms = s.clone();
    terms.categories = ["term".to_owned()].into();
    terms.forms = [QuestionForm::FlipReveal].into();
    let d = drill(terms, 1).unwrap();
    assert!(
        d.questions()
            .iter()
            .all(|q| q.cards[0].card_id.starts_with('t'))
    );
    // Only the chosen deck.
    let mut hist = s;
    hist.decks = ["history".to_owned()].into();
    hist.forms = [QuestionForm::FlipReveal, QuestionForm::MultipleChoice].into();
    let d = drill(hist, 1).unwrap();
    assert!(
        d.questions()
            .iter()
            .all(|q| q.cards[0].deck_id == "history")
    );
}

#[test]
fn forms_fall_back_and_small_pools_give_fewer_questions() {
    // No dated or role cards among terms: timelines and matchings become multiple choice.
    let mut s = setup(6, &QuestionForm::ALL, 0);
    s.categories = ["term".to_owned()].into();
    let d = drill(s.clone(), 3).unwrap();
    assert_eq!(d.questions().len(), 6);
    assert!(d.questions().iter().all(|q| matches!(
        q.form(),
        QuestionForm::MultipleChoice | QuestionForm::FlipReveal
    )));
    s.forms = [QuestionForm::Timeline, QuestionForm::Matching].into();
    assert_eq!(drill(s.clone(), 3).unwrap_err(), DrillError::NoQuestions);
    s.categories = ["place".to_owned()].into();
    assert_eq!(drill(s, 3).unwrap_err(), DrillError::NoCards);
    // Cards about an event already on a timeline do not make another timeline.
    let mut twice: Vec<Card> = history();
    for (i, c) in twice.iter_mut().enumerate() {
        c.event = Some(format!("Event {}", i % 6));
    }
    let mut s = setup(10, &[QuestionForm::Timeline], 0);
    s.categories = ["date".to_owned()].into();
    s.decks = ["history".to_owned()].into();
    let d = Drill::new(s, &[("history", &twice)], 3).unwrap();
    let captions: Vec<&str> = d
        .questions()
        .iter()
        .flat_map(|q| match &q.body {
            Body::Timeline(t) => t.events.iter().map(|e| e.caption.as_str()).collect(),
            _ => Vec::new(),
        })
        .collect();
    assert_eq!(
        d.questions().len(),
        1,
        "six events make one timeline of four"
    );
    assert_eq!(captions.len(), 4);
    // Twelve dated cards make three timelines of four, then no more.
    let mut s = setup(10, &[QuestionForm::Timeline], 0);
    s.categories = ["date".to_owned()].into();
    assert_eq!(drill(s, 3).unwrap().questions().len(), 3);
}

#[test]
fn timed_points_reward_a_quick_reveal() {
    let mut d = drill(setup(5, &[QuestionForm::FlipReveal], 2), 1).unwrap();
    d.start(100.0);
    assert_eq!(d.remaining(105.0), Some(15.0));
    assert_eq!(d.remaining_fraction(105.0), Some(0.75));
    d.reveal(105.0);
    assert_eq!(d.phase(), Phase::Revealed);
    assert_eq!(d.remaining(106.0), None);
    assert!(d.award(0));
    assert!(d.awarded(0) && !d.awarded(1));
    assert_eq!(d.points_table()[0], vec![175, 0]);
    // Toggling twice takes the award back.
    assert!(d.award(1));
    assert!(d.award(1));
    assert!(!d.award(9), "no such team");
    d.next(105.0);
    assert_eq!(d.phase(), Phase::Scoreboard);
    assert!(!d.award(1), "only a revealed question is awarded");
    d.next(200.0);
    assert_eq!((d.phase(), d.current()), (Phase::Question, 1));
    assert_close(d.elapsed(200.0), 0.0);
    d.reveal(219.0);
    assert!(d.award(0));
    // 100 + 5 (1 s left of 20) + 10 (second right answer in a row).
    assert_eq!(d.points_table()[1], vec![115, 0]);
    assert_eq!(d.team_stats()[0].points, 290);
    // Untimed: base points only.
    let mut s = setup(2, &[QuestionForm::FlipReveal], 2);
    s.time_limit = None;
    let mut d = drill(s, 1).unwrap();
    d.start(0.0);
    assert_eq!(d.remaining(5.0), None);
    assert!(!d.tick(1000.0));
    d.reveal(1000.0);
    d.award(1);
    assert_eq!(d.points_table()[0], vec![0, 100]);
    if let Some(Outcome::Answered { secs, .. }) = d.outcome(0) {
        assert_close(*secs, 1000.0);
    } else {
        panic!("answered");
    }
}

#[test]
fn one_points_formula_timed_or_not() {
    assert_close(remaining_share(5.0, 20), 0.75);
    assert_close(remaining_share(25.0, 20), 0.0);
    assert_close(remaining_share(-1.0, 20), 1.0);
    assert_eq!(points(0.0, Some(20), 1), 200);
    assert_eq!(points(5.0, Some(20), 1), 175);
    assert_eq!(points(19.0, Some(20), 2), 115);
    assert_eq!(points(20.0, Some(20), 9), 150);
    assert_eq!(points(25.0, Some(20), 1), 100);
    assert_eq!(
        points(0.0, Some(0), 1),
        200,
        "a zero countdown counts as one second"
    );
    assert_eq!(points(3.0, None, 1), BASE_POINTS, "untimed: no speed bonus");
    assert_eq!(points(3.0, None, 3), 120);
    assert_eq!(
        points(3.0, None, 0),
        100,
        "streak 0 is taken as a first answer"
    );
}

#[test]
fn streaks_grow_break_and_cap() {
    let mut s = setup(10, &[QuestionForm::FlipReveal], 2);
    s.time_limit = None;
    let mut d = drill(s, 2).unwrap();
    d.start(0.0);
    // Team 0 right on 1–8 (skip between 3 and 4), team 1 right on 1 and 3.
    for q in 0..9 {
        if q == 3 {
            d.skip(0.0);
            continue;
        }
        let mut teams = vec![0];
        if q == 0 || q == 2 {
            teams.push(1);
        }
        play(&mut d, 0.0, &teams);
    }
    let table = d.points_table();
    let team0: Vec<u32> = table.iter().map(|r| r[0]).collect();
    assert_eq!(
        team0,
        vec![100, 110, 120, 0, 130, 140, 150, 150, 150, 0],
        "a skip neither breaks nor extends; the bonus caps at 50"
    );
    let team1: Vec<u32> = table.iter().map(|r| r[1]).collect();
    assert_eq!(team1[..3], [100, 0, 100], "a miss breaks the streak");
    let stats = d.team_stats();
    assert_eq!(stats[0].right, 8);
    assert_eq!(stats[0].best_streak, 8);
    assert_eq!(stats[0].streak, 8);
    assert_eq!(stats[1].best_streak, 1);
    assert_eq!(stats[1].streak, 0);
    assert_eq!(stats[1].points, 200);
}

#[test]
fn back_takes_the_points_back() {
    let mut s = setup(4, &[QuestionForm::FlipReveal], 2);
    s.time_limit = None;
    let mut d = drill(s, 5).unwrap();
    d.start(0.0);
    assert!(!d.can_go_back());
    d.back(0.0);
    assert_eq!((d.phase(), d.current()), (Phase::Question, 0));
    d.reveal(1.0);
    d.award(0);
    d.next(1.0);
    assert_eq!(d.team_stats()[0].points, 100);
    // From the scoreboard: the question just played is asked again.
    assert!(d.can_go_back());
    d.back(2.0);
    assert_eq!((d.phase(), d.current()), (Phase::Question, 0));
    assert_eq!(d.team_stats()[0].points, 0);
    assert_eq!(d.outcome(0), Some(&Outcome::NotAsked));
    assert_close(d.elapsed(3.0), 1.0);
    play(&mut d, 4.0, &[1]);
    assert_eq!(d.current(), 1);
    // From the next question (asked or revealed): back to the one before.
    d.reveal(5.0);
    d.award(0);
    assert_eq!(d.team_stats()[0].points, 100);
    d.back(6.0);
    assert_eq!((d.phase(), d.current()), (Phase::Question, 0));
    assert_eq!(d.team_stats()[0].points, 0);
    assert_eq!(d.team_stats()[1].points, 0);
    assert_eq!(d.outcome(1), Some(&Outcome::NotAsked));
}

#[test]
fn skip_scores_nothing_and_moves_on() {
    let mut d = drill(setup(2, &[QuestionForm::FlipReveal], 2), 5).unwrap();
    d.start(0.0);
    d.reveal(1.0);
    d.award(0);
    d.skip(2.0);
    assert_eq!(d.outcome(0), Some(&Outcome::Skipped));
    assert_eq!((d.phase(), d.current()), (Phase::Question, 1));
    assert_eq!(d.team_stats()[0].points, 0);
    assert_close(d.elapsed(3.0), 1.0);
    d.skip(3.0);
    assert_eq!(d.phase(), Phase::Finished);
    assert!(!d.ended_early());
    assert_eq!(d.played(), 2);
    assert!(
        d.log_entries().is_empty(),
        "skipped questions are not logged"
    );
}

#[test]
fn pause_stops_the_clock() {
    let mut d = drill(setup(2, &[QuestionForm::FlipReveal], 0), 5).unwrap();
    assert!(
        !d.is_started() && !d.is_counting(),
        "no countdown before the start (the class is getting ready)"
    );
    assert!(!d.tick(500.0));
    d.start(0.0);
    assert!(d.is_started() && d.is_counting());
    d.toggle_pause(5.0);
    assert!(d.is_paused() && !d.is_counting());
    assert_close(d.elapsed(500.0), 5.0);
    assert!(!d.tick(500.0), "a paused countdown never runs out");
    d.toggle_pause(500.0);
    assert!(!d.is_paused());
    assert_close(d.elapsed(510.0), 15.0);
    assert!(!d.tick(514.9));
    // Time passed in while the window was in the background still counts.
    assert!(d.tick(600.0));
    assert_eq!(d.phase(), Phase::Revealed);
    assert_eq!(
        d.outcome(0),
        Some(&Outcome::Answered {
            secs: 20.0,
            remaining: Some(0.0),
            timed_out: true,
            right: vec![false],
        })
    );
    // Pausing is for the countdown only.
    d.pause(601.0);
    assert!(!d.is_paused());
    // A revealed-while-paused question counts the time before the pause.
    d.next(601.0);
    d.next(601.0);
    d.pause(610.0);
    d.reveal(700.0);
    assert!(!d.is_paused());
    assert!(
        matches!(d.outcome(1), Some(Outcome::Answered { secs, .. }) if (*secs - 9.0).abs() < 1e-9)
    );
}

#[test]
fn ranking_shares_places_on_ties() {
    let mut s = setup(3, &[QuestionForm::FlipReveal], 4);
    s.time_limit = None;
    let mut d = drill(s, 5).unwrap();
    d.start(0.0);
    play(&mut d, 0.0, &[1, 2]);
    play(&mut d, 0.0, &[0, 3]);
    play(&mut d, 0.0, &[3]);
    let stats: Vec<u32> = d.team_stats().iter().map(|s| s.points).collect();
    assert_eq!(stats, vec![100, 100, 100, 210]);
    let ranking: Vec<(usize, usize, u32)> = d
        .ranking()
        .iter()
        .map(|s| (s.team, s.place, s.points))
        .collect();
    assert_eq!(
        ranking,
        vec![(3, 1, 210), (0, 2, 100), (1, 2, 100), (2, 2, 100)]
    );
    assert_eq!(d.phase(), Phase::Finished);
    // Everyone at zero shares first place.
    let d = drill(setup(3, &[QuestionForm::FlipReveal], 3), 5).unwrap();
    assert!(d.ranking().iter().all(|s| s.place == 1));
}

#[test]
fn csv_fields_are_quoted() {
    assert_eq!(csv_field("plain"), "plain");
    assert_eq!(csv_field("a, b"), "\"a, b\"");
    assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    assert_eq!(csv_field(" edge"), " edge");
    assert_eq!(csv_field(""), "");
    assert_eq!(csv_field("+1"), "'+1");
}

#[test]
fn csv_defuses_formulas_in_names_and_prompts_and_parses_back() {
    let mut hist = vec![dated("d0", "2001"), dated("d1", "2002")];
    hist[0].prompt = "+ When did it happen?".into();
    hist[1].prompt = "+ When, then?".into();
    let setup = DrillSetup {
        decks: ["h".to_owned()].into(),
        categories: ["date".to_owned()].into(),
        questions: 2,
        forms: [QuestionForm::FlipReveal].into(),
        time_limit: None,
        teams: vec![
            Team::new("=HYPERLINK(\"http://x\",\"y\")", 0),
            Team::new("Blues", 1),
        ],
    };
    let mut d = Drill::new(setup, &[("h", &hist)], 4).unwrap();
    d.start(0.0);
    d.reveal(2.0);
    d.award(0);
    d.next(2.0);
    let csv = d.results_csv();
    let records: Vec<Vec<String>> = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(
        records[0],
        [
            "number",
            "form",
            "prompt",
            "answer",
            "seconds",
            "'=HYPERLINK(\"http://x\",\"y\")",
            "Blues"
        ]
    );
    assert!(records[1][2].starts_with("'+ When"), "{:?}", records[1]);
    assert_eq!(records[1][4..], ["2.0", "1", "0"], "numbers stay numbers");
    assert_eq!(
        records.len(),
        1 + 1 + 1 + 2,
        "blank line skipped by the reader"
    );
    assert_eq!(records[3][..2], ["1", "'=HYPERLINK(\"http://x\",\"y\")"]);
    assert_eq!(records[4][..3], ["2", "Blues", "0"]);
    assert!(
        csv.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","),
        "{csv}"
    );
}

#[test]
fn csv_has_a_row_per_question_and_per_team() {
    let mut hist = vec![dated("d0", "2001"), dated("d1", "2002")];
    hist[0].prompt = "When did \"it\" happen, exactly?".into();
    hist[1].prompt = "When, then?".into();
    let setup = DrillSetup {
        decks: ["h".to_owned()].into(),
        categories: ["date".to_owned()].into(),
        questions: 2,
        forms: [QuestionForm::FlipReveal].into(),
        time_limit: Some(20),
        teams: vec![Team::new("Reds, the", 0), Team::new("Blues", 1)],
    };
    let mut d = Drill::new(setup, &[("h", &hist)], 4).unwrap();
    d.start(0.0);
    let first = d.current_question().unwrap().prompt.clone();
    d.reveal(4.0);
    d.award(1);
    d.next(4.0);
    d.next(4.0);
    d.skip(5.0);
    let csv = d.results_csv();
    let (questions, teams) = csv.split_once("\n\n").unwrap();
    let rows: Vec<&str> = questions.lines().collect();
    assert_eq!(
        rows[0],
        "number,form,prompt,answer,seconds,\"Reds, the\",Blues"
    );
    let quoted = |p: &str| csv_field(p);
    let (q1, q2) = if first == hist[0].prompt {
        (&hist[0], &hist[1])
    } else {
        (&hist[1], &hist[0])
    };
    assert_eq!(
        rows[1],
        format!(
            "1,Flip and reveal,{},{},4.0,0,1",
            quoted(&q1.prompt),
            q1.answer
        )
    );
    assert_eq!(
        rows[2],
        format!("2,Flip and reveal,{},{},,,", quoted(&q2.prompt), q2.answer)
    );
    assert_eq!(rows.len(), 3);
    assert_eq!(
        teams,
        "place,team,points,right,best streak\n1,Blues,180,1,1\n2,\"Reds, the\",0,0,0\n"
    );
}

#[test]
fn log_entries_follow_the_settled_questions() {
    let mut d = drill(setup(3, &[QuestionForm::FlipReveal], 2), 5).unwrap();
    d.start(0.0);
    d.reveal(2.5);
    d.award(1);
    assert!(d.log_entries().is_empty(), "awards can still change");
    d.next(3.0);
    let log = d.log_entries();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].question, log[0].correct, log[0].secs),
        (0, true, 2.5)
    );
    assert_eq!(log[0].cards, d.questions()[0].cards);
    d.next(3.0);
    d.reveal(4.0);
    d.next(4.0);
    assert_eq!(d.log_entries().len(), 2);
    assert!(!d.log_entries()[1].correct);
    d.back(5.0);
    assert_eq!(d.log_entries().len(), 1, "going back unsettles a question");
    // Ending early: an asked question is left out, a revealed one counts.
    d.end(6.0);
    assert!(d.ended_early());
    assert_eq!(d.phase(), Phase::Finished);
    assert_eq!(d.log_entries().len(), 1);
    assert_eq!(d.outcome(1), Some(&Outcome::NotAsked));
    let mut d = drill(setup(3, &[QuestionForm::FlipReveal], 2), 5).unwrap();
    d.start(0.0);
    d.reveal(1.0);
    d.end(2.0);
    assert_eq!(d.log_entries().len(), 1);
    assert_eq!(d.played(), 1);
}

#[test]
fn the_class_plays_as_one_team_without_teams() {
    let mut d = drill(setup(2, &[QuestionForm::FlipReveal], 0), 5).unwrap();
    assert!(!d.has_teams());
    assert_eq!(d.teams(), &[Team::new(CLASS_TEAM, 0)]);
    d.start(0.0);
    d.reveal(0.0);
    assert!(d.award(0));
    d.next(0.0);
    assert_eq!(d.team_stats()[0].points, 200);
    assert!(
        d.results_csv()
            .starts_with("number,form,prompt,answer,seconds,Class\n")
    );
}

#[test]
fn a_log_entry_records_one_drill_review_per_card_and_no_schedule() {
    use crate::store::{LeechPolicy, Mode, Store};
    let mut store = Store::open_in_memory("teacher").unwrap();
    let entry = LogEntry {
        question: 3,
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
        correct: true,
        secs: 2.25,
    };
    let policy = LeechPolicy::from_settings(&crate::settings::Settings::default());
    let ids: Vec<i64> = store
        .record_answers(&entry.reviews(chrono::Utc::now()), policy)
        .unwrap()
        .iter()
        .map(|r| r.review_id)
        .collect();
    assert_eq!(ids.len(), 2);
    let review = store.review(ids[1]).unwrap().unwrap();
    assert_eq!(
        (review.mode, review.card_id.as_str(), review.correct),
        (Mode::Drill, "b", Some(true))
    );
    assert_eq!(review.rating, crate::schedule::Rating::Good);
    assert_eq!(review.response_ms, 2250);
    assert_eq!(store.card("d", "a").unwrap(), None, "no schedule written");
}
