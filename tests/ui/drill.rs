//! Drill mode through the whole app, driven as a teacher would: by labels and keys.

use crate::common::choose;
use crate::common::{click, press};
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use flashdrill::app::{FlashdrillApp, Screen};
use flashdrill_core::drill::{Phase, csv_field};
use flashdrill_core::schedule::Rating;
use flashdrill_core::store::{Mode, ReviewRecord};

fn app(dir: &std::path::Path) -> crate::common::App {
    crate::common::app_sized(dir, [1280.0, 900.0])
}

fn reviews(harness: &Harness<'_, FlashdrillApp>) -> Vec<ReviewRecord> {
    harness
        .state()
        .store()
        .expect("store open")
        .all_reviews()
        .expect("reviews")
}

fn phase(harness: &Harness<'_, FlashdrillApp>) -> Phase {
    harness.state().drill().expect("a drill").phase()
}

/// Answers one card in a normal study session, so the profile has a card state to keep.
fn study_one_card(harness: &mut Harness<'_, FlashdrillApp>) {
    choose(harness, "Question form:", "Flashcards");
    click(harness, "Study all due");
    press(harness, Key::Space);
    press(harness, Key::Space);
    crate::common::leave_session(harness);
    assert_eq!(harness.state().screen(), Screen::Home);
}

/// Sets up a drill of `questions` single-card questions (no timelines or matchings).
pub fn set_up(harness: &mut Harness<'_, FlashdrillApp>, questions: &str, time: &str, teams: &str) {
    click(harness, "Class drill");
    assert_eq!(harness.state().screen(), Screen::Drill);
    harness.get_by_label("Number of questions").click();
    harness.run();
    harness
        .get_by_label("Number of questions")
        .type_text(questions);
    harness.run();
    click(harness, "Timeline");
    click(harness, "Matching");
    choose(harness, "Time limit", time);
    choose(harness, "Number of teams", teams);
}

#[test]
fn a_five_question_drill_with_two_teams() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    study_one_card(&mut harness);
    let store = harness.state().store().unwrap();
    let states_before = store.card_states(None).unwrap();
    assert_eq!(states_before.len(), 1);
    let reviews_before = reviews(&harness).len();

    set_up(&mut harness, "5", "Off", "2 teams");
    harness.get_by_label("Team 1 name").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Team 1 name").type_text("Owls");
    harness.run();
    harness.get_by_label("Team 2 name");
    click(&mut harness, "Start drill");

    let drill = harness.state().drill().expect("the drill started");
    assert_eq!(drill.questions().len(), 5);
    assert_eq!(drill.teams()[0].name, "Owls");
    assert!(
        harness.query_by_label("Class drill").is_none(),
        "the top bar is hidden"
    );
    harness.get_by_label("Question 1 / 5");
    harness.get_by_label("1 Owls");
    harness.get_by_label("2 Team 2");
    harness.get_by_label_contains("Space: reveal, then next");

    // Who got each question right: Owls, both, nobody, Team 2, Owls.
    let awards: [&[Key]; 5] = [
        &[Key::Num1],
        &[Key::Num1, Key::Num2],
        &[],
        &[Key::Num2],
        &[Key::Num1],
    ];
    for (q, keys) in awards.iter().enumerate() {
        harness.get_by_label(&format!("Question {} / 5", q + 1));
        assert_eq!(phase(&harness), Phase::Question);
        press(&mut harness, Key::Space);
        assert_eq!(phase(&harness), Phase::Revealed);
        harness.get_by_label("From the article:");
        harness.get_by_label("Answer");
        for key in *keys {
            press(&mut harness, *key);
        }
        press(&mut harness, Key::Space);
        if q == 1 {
            // Owls: 100 + 110 (a streak of two); Team 2: 100.
            harness.get_by_label("Scoreboard");
            harness.get_by_label("After question 2 of 5");
            harness.get_by_label("210 points");
            harness.get_by_label("+110 · streak 2");
            harness.get_by_label("100 points");
            crate::accessibility::assert_accessible(&harness, "drill scoreboard");
        }
        if q < 4 {
            assert_eq!(phase(&harness), Phase::Scoreboard);
            press(&mut harness, Key::Space);
        }
    }

    // Owls: 100 + 110 + 0 + 0 + 100; Team 2: 0 + 100 + 0 + 100 + 0.
    assert_eq!(phase(&harness), Phase::Finished);
    harness.get_by_label("Final results");
    harness.get_by_label("First place: Owls, with 310 points");
    harness.get_by_label("1st: Owls · 310 points");
    harness.get_by_label("2nd: Team 2 · 200 points");
    crate::accessibility::assert_accessible(&harness, "drill podium");

    let path = dir.path().join("results, class 4b.csv");
    click(&mut harness, "Save results to:");
    harness
        .get_by_label("Save results to:")
        .type_text(&path.display().to_string());
    harness.run();
    click(&mut harness, "Save");
    harness.get_by_label(&format!("Saved the results to {}.", path.display()));
    let csv = std::fs::read_to_string(&path).unwrap();
    let drill = harness.state().drill().unwrap();
    let right = [(1, 0), (1, 1), (0, 0), (0, 1), (1, 0)];
    let (questions, teams) = csv.split_once("\n\n").expect("a blank line");
    for (i, (q, line)) in drill
        .questions()
        .iter()
        .zip(questions.lines().skip(1))
        .enumerate()
    {
        let prefix = format!(
            "{},{},{},{},",
            i + 1,
            q.form().label(),
            csv_field(&q.prompt),
            csv_field(&q.answer)
        );
        assert!(line.starts_with(&prefix), "{line}\n{prefix}");
        let (owls, second) = right[i];
        assert!(line.ends_with(&format!(",{owls},{second}")), "{line}");
        let seconds = line[prefix.len()..].split(',').next().unwrap();
        assert!(seconds.parse::<f64>().is_ok(), "{seconds}");
    }
    assert_eq!(questions.lines().count(), 6);
    assert!(questions.starts_with("number,form,prompt,answer,seconds,Owls,Team 2\n"));
    assert_eq!(
        teams,
        "place,team,points,right,best streak\n1,Owls,310,3,2\n2,Team 2,200,2,1\n"
    );

    // Five drill answers in the log, one per question; nobody's schedule changed.
    let log = reviews(&harness);
    let drill_log: Vec<&ReviewRecord> = log.iter().filter(|r| r.mode == Mode::Drill).collect();
    assert_eq!(log.len(), reviews_before + 5);
    assert_eq!(drill_log.len(), 5);
    let correct: Vec<Option<bool>> = drill_log.iter().map(|r| r.correct).collect();
    assert_eq!(
        correct,
        [Some(true), Some(true), Some(false), Some(true), Some(true)]
    );
    assert_eq!(drill_log[2].rating, Rating::Again);
    assert_eq!(drill_log[0].rating, Rating::Good);
    for (r, q) in drill_log.iter().zip(drill.questions()) {
        assert_eq!(
            (&r.deck_id, &r.card_id),
            (&q.cards[0].deck_id, &q.cards[0].card_id)
        );
        assert!(r.state_before.is_none() && r.state_after.is_none());
    }
    let store = harness.state().store().unwrap();
    assert_eq!(store.card_states(None).unwrap(), states_before);

    click(&mut harness, "Back to decks");
    assert_eq!(harness.state().screen(), Screen::Home);
    assert!(harness.state().drill().is_none());
    harness.get_by_label("Class drill");
}

#[test]
fn countdown_pause_skip_back_and_ending_early() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    set_up(&mut harness, "4", "20 s", "3 teams");
    click(&mut harness, "Start drill");
    harness.get_by_label("3 Team 3");
    harness.get_by_label("20 s");

    // Paused, the countdown stands still however long it waits.
    press(&mut harness, Key::P);
    harness.get_by_label("Paused");
    harness.run_steps(120);
    assert_eq!(phase(&harness), Phase::Question);
    let elapsed = {
        let d = harness.state().drill().unwrap();
        d.elapsed(harness.ctx.input(|i| i.time))
    };
    assert!(elapsed < 2.0, "{elapsed}");
    press(&mut harness, Key::P);
    assert!(harness.query_by_label("Paused").is_none());

    // Running, it reveals the answer when the time is up (each step is a quarter second).
    harness.run_steps(100);
    assert_eq!(phase(&harness), Phase::Revealed);
    harness.get_by_label("Time's up");
    press(&mut harness, Key::Num3);
    harness.get_by_label("3 Team 3");
    assert!(harness.state().drill().unwrap().awarded(2));
    assert_eq!(harness.state().drill().unwrap().team_stats()[2].points, 100);

    // Skip the revealed question: no points, straight to question 2.
    press(&mut harness, Key::S);
    harness.get_by_label("Question 2 / 4");
    assert_eq!(harness.state().drill().unwrap().team_stats()[2].points, 0);

    // Answer question 2, then go back to it from the scoreboard: its points are taken back.
    press(&mut harness, Key::Space);
    press(&mut harness, Key::Num2);
    press(&mut harness, Key::Space);
    assert_eq!(phase(&harness), Phase::Scoreboard);
    assert_eq!(reviews(&harness).len(), 1);
    press(&mut harness, Key::B);
    harness.get_by_label("Question 2 / 4");
    assert_eq!(phase(&harness), Phase::Question);
    assert_eq!(harness.state().drill().unwrap().team_stats()[1].points, 0);
    assert_eq!(reviews(&harness).len(), 0, "its log row is taken back");

    // End early, after saying no once.
    press(&mut harness, Key::E);
    harness.get_by_label("End the drill now and show the results?");
    press(&mut harness, Key::N);
    assert!(
        harness
            .query_by_label("End the drill now and show the results?")
            .is_none()
    );
    assert_eq!(phase(&harness), Phase::Question);
    press(&mut harness, Key::E);
    harness.get_by_label("End drill");
    press(&mut harness, Key::Y);
    assert_eq!(phase(&harness), Phase::Finished, "Y says yes");
    harness.get_by_label("Ended early after 1 of 4 questions.");
    harness.get_by_label("First place shared by Team 1, Team 2 and Team 3, with 0 points");

    // Esc asks before leaving; Enter says yes.
    press(&mut harness, Key::Escape);
    harness.get_by_label("Leave the drill? Answers so far stay in the log.");
    assert_eq!(harness.state().screen(), Screen::Drill);
    press(&mut harness, Key::Enter);
    assert_eq!(harness.state().screen(), Screen::Home);
    assert!(harness.state().drill().is_none());
}

#[test]
fn the_class_can_play_without_teams() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    click(&mut harness, "Class drill");
    harness.get_by_label("The class plays as one team.");
    choose(&mut harness, "Time limit", "Off");
    click(&mut harness, "Start drill");
    assert_eq!(harness.state().drill().unwrap().questions().len(), 10);
    for q in 0..10 {
        press(&mut harness, Key::Space);
        if q % 2 == 0 {
            click(&mut harness, "1 Class");
        }
        press(&mut harness, Key::Space);
        if q < 9 {
            press(&mut harness, Key::Space);
        }
    }
    assert_eq!(phase(&harness), Phase::Finished);
    harness.get_by_label("The class scored 500 points: 5 of 10 right");
    let drill_rows = reviews(&harness)
        .iter()
        .filter(|r| r.mode == Mode::Drill)
        .count();
    let cards: usize = harness
        .state()
        .drill()
        .unwrap()
        .questions()
        .iter()
        .map(|q| q.cards.len())
        .sum();
    assert_eq!(drill_rows, cards, "one review per card asked");
    assert!(cards >= 10);
    click(&mut harness, "New drill");
    assert_eq!(harness.state().screen(), Screen::Drill);
    harness.get_by_label("Start drill");
}

#[test]
fn the_countdown_waits_while_the_teacher_is_in_another_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    set_up(&mut harness, "3", "20 s", "2 teams");
    click(&mut harness, "Start drill");
    // The class is ready: Space starts the countdown.
    press(&mut harness, Key::Space);
    assert!(harness.state().drill().unwrap().is_counting());

    // Alt-tab away: the window loses focus, and the question waits however long it takes.
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .focused = Some(false);
    harness.run_steps(200);
    assert_eq!(phase(&harness), Phase::Question);
    harness.get_by_label("Paused");
    harness.get_by_label("Paused while flashdrill was in the background. Press P to go on.");

    // Back again: P goes on with the same question, and the notice goes away.
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .focused = Some(true);
    press(&mut harness, Key::P);
    assert!(harness.state().drill().unwrap().is_counting());
    harness.get_by_label("Question 1 / 3");
    assert!(
        harness
            .query_by_label("Paused while flashdrill was in the background. Press P to go on.")
            .is_none()
    );
}

#[test]
fn six_teams_each_get_a_name_and_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    set_up(&mut harness, "2", "Off", "6 teams");
    harness.get_by_label("Team 6 name");
    click(&mut harness, "Start drill");
    assert_eq!(harness.state().drill().unwrap().teams().len(), 6);
    harness.get_by_label("6 Team 6");
    press(&mut harness, Key::Space);
    press(&mut harness, Key::Num6);
    assert!(harness.state().drill().unwrap().awarded(5));
}

/// On a projector with the text zoomed in (1920 × 1080 at 200 %, 1280 × 800 at 150 %), a long
/// prompt shrinks so that every option stays in view above the team buttons, instead of
/// scrolling away.
#[test]
fn every_option_stays_in_view_on_a_zoomed_projector() {
    for (size, zoom) in [([1920.0, 1080.0], "2.0"), ([1280.0, 800.0], "1.5")] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = FlashdrillApp::new(crate::common::options(dir.path(), false));
        app.fix_seed(7);
        let mut harness = Harness::builder()
            .with_size(size)
            .build_ui_state(|ui, app: &mut FlashdrillApp| app.frame(ui), app);
        harness.run();
        set_up(&mut harness, "8", "Off", "2 teams");
        click(&mut harness, "Start drill");
        harness.state_mut().set_setting("zoom", zoom);
        harness.run();
        let mut checked = 0;
        for _ in 0..20 {
            match harness
                .state()
                .drill()
                .map(flashdrill_core::drill::Drill::phase)
            {
                Some(Phase::Question) => {}
                Some(Phase::Finished) | None => break,
                Some(_) => {
                    press(&mut harness, Key::Space);
                    continue;
                }
            }
            let question = harness.state().drill().unwrap().current_question().cloned();
            if let Some(flashdrill_core::drill::Body::MultipleChoice(choices)) =
                question.map(|q| q.body)
            {
                let teams_top = harness.get_by_label("1 Team 1").rect().top();
                for (i, option) in choices.options.iter().enumerate() {
                    let letter = char::from(b'A' + i as u8);
                    let rect = harness.get_by_label(&format!("{letter}   {option}")).rect();
                    assert!(
                        rect.bottom() <= teams_top,
                        "{size:?} at {zoom}: option {letter} ({option:?}) ends at {} under the \
                         team buttons at {teams_top}",
                        rect.bottom()
                    );
                }
                checked += 1;
            }
            press(&mut harness, Key::Space);
            press(&mut harness, Key::Space);
        }
        assert!(checked >= 3, "{checked} multiple-choice questions checked");
    }
}

/// Presses `?`: the shortcut overlay opens or closes.
fn toggle_overlay(harness: &mut Harness<'_, FlashdrillApp>) {
    harness.event(egui::Event::Text("?".into()));
    harness.run();
}

#[test]
fn the_shortcut_overlay_lists_every_screens_keys_and_keeps_the_drills() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    toggle_overlay(&mut harness);
    harness.get_by_label("Show or hide this list of shortcuts");
    // On the home screen: its own keys first, then every other screen's, the drill's too.
    harness.get_by_role_and_label(Role::Label, "Home (this screen)");
    harness.get_by_role_and_label(Role::Label, "Class drill");
    harness.get_by_label("Pause the countdown, or go on");
    harness.get_by_role_and_label(Role::Label, "Studying");
    harness.get_by_role_and_label(Role::Label, "Timeline question");
    press(&mut harness, Key::Escape);
    assert!(
        harness
            .query_by_label("Show or hide this list of shortcuts")
            .is_none()
    );

    set_up(&mut harness, "3", "20 s", "2 teams");
    click(&mut harness, "Start drill");
    toggle_overlay(&mut harness);
    harness.get_by_role_and_label(Role::Label, "Class drill (this screen)");
    harness.get_by_role_and_label(Role::Label, "Live class game (this screen)");
    harness.get_by_label("Pause the countdown, or go on");
    harness.get_by_role_and_label(Role::Label, "Home");
    // The overlay does not take the drill's keys away: P still pauses.
    toggle_overlay(&mut harness);
    press(&mut harness, Key::P);
    harness.get_by_label("Paused");
}

#[test]
fn a_timed_drill_gives_the_class_a_moment_to_get_ready() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    set_up(&mut harness, "3", "20 s", "2 teams");
    click(&mut harness, "Start drill");
    harness.get_by_label("Get ready!");
    harness.get_by_label("Question 1 of 3 in 3 s");
    let prompt = harness.state().drill().unwrap().questions()[0]
        .prompt
        .clone();
    assert!(harness.query_by_label(&prompt).is_none(), "not asked yet");
    assert!(!harness.state().drill().unwrap().is_counting());
    // A few seconds later (each step is a quarter second) the question is asked and its
    // countdown runs from the full 20 s.
    harness.run_steps(14);
    assert!(harness.query_by_label("Get ready!").is_none());
    harness.get_by_label(&prompt);
    let drill = harness.state().drill().unwrap();
    assert!(drill.is_counting());
    let left = drill.remaining(harness.ctx.input(|i| i.time)).unwrap();
    assert!(left > 18.0, "{left}");

    // Without a countdown there is nothing to wait for.
    press(&mut harness, Key::Escape);
    press(&mut harness, Key::Enter);
    set_up(&mut harness, "3", "Off", "2 teams");
    click(&mut harness, "Start drill");
    assert!(harness.query_by_label("Get ready!").is_none());
    let prompt = harness.state().drill().unwrap().questions()[0]
        .prompt
        .clone();
    harness.get_by_label(&prompt);
}

#[test]
fn projector_options_have_the_phones_colours_and_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    set_up(&mut harness, "6", "Off", "2 teams");
    click(&mut harness, "Flip and reveal");
    click(&mut harness, "Start drill");
    let options = match &harness.state().drill().unwrap().questions()[0].body {
        flashdrill_core::drill::Body::MultipleChoice(c) => c.options.len(),
        other => panic!("a multiple-choice question, not {other:?}"),
    };
    let marks = [
        "Red triangle",
        "Blue diamond",
        "Orange circle",
        "Green square",
    ];
    for mark in &marks[..options] {
        harness.get_by_role_and_label(Role::Image, mark);
    }
    // The phones' buttons have the same colours (the light theme's team colours) and shapes.
    let page = include_str!("../../crates/flashdrill-live/src/phone.html");
    let palette = flashdrill::ui::theme::Palette::of(&egui::Visuals::light());
    for (i, (team, shape)) in flashdrill::ui::drill::OPTION_LOOKS.iter().enumerate() {
        let c = palette.team[*team];
        let hex = format!("--c{i}:#{:02x}{:02x}{:02x}", c.r(), c.g(), c.b());
        assert!(page.contains(&hex), "{hex} ({})", shape.name());
    }
    for (i, mark) in ["25B2", "25C6", "25CF", "25A0"].iter().enumerate() {
        assert!(page.contains(&format!(".o{i}::before {{ content:\"\\{mark}\"")));
    }
}

#[test]
fn with_phones_the_setup_says_what_phones_cannot_do() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    click(&mut harness, "Class drill");
    let ticked = |h: &Harness<'_, FlashdrillApp>, label: &str| {
        h.get_by_role_and_label(Role::CheckBox, label)
            .accesskit_node()
            .toggled()
            == Some(egui::accesskit::Toggled::True)
    };
    let disabled = |h: &Harness<'_, FlashdrillApp>, label: &str| {
        h.get_by_role_and_label(Role::CheckBox, label)
            .accesskit_node()
            .is_disabled()
    };
    assert!(ticked(&harness, "Matching") && ticked(&harness, "Flip and reveal"));
    click(&mut harness, "Students answer on their devices");
    for form in ["Matching", "Flip and reveal"] {
        assert!(!ticked(&harness, form), "{form} is not asked on phones");
        assert!(disabled(&harness, form));
    }
    assert!(ticked(&harness, "Multiple choice") && !disabled(&harness, "Timeline"));
    harness.get_by_label_contains("On phones: multiple choice and timeline questions only");
    harness.get_by_label_contains("With phones, each student plays for themselves: no teams.");
    // Back to the projector drill: the forms and the teams are as they were.
    click(&mut harness, "Students answer on their devices");
    assert!(ticked(&harness, "Matching") && ticked(&harness, "Flip and reveal"));
    harness.get_by_label("Number of teams");
}

#[test]
fn the_revealed_sentence_stays_above_the_team_bar_at_1100_by_760() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = crate::common::app_sized(dir.path(), [1100.0, 760.0]);
    harness.run();
    set_up(&mut harness, "10", "Off", "3 teams");
    click(&mut harness, "Start drill");
    let mut checked = 0;
    for _ in 0..10 {
        press(&mut harness, Key::Space);
        assert_eq!(phase(&harness), Phase::Revealed);
        let question = harness.state().drill().unwrap().current_question().cloned();
        if let Some(source) = question.and_then(|q| q.source) {
            let team_bar = harness.get_by_label("1 Team 1").rect().top();
            let sentence = harness.get_by_label(&format!("“{source}”")).rect();
            assert!(
                sentence.bottom() <= team_bar,
                "the sentence ends at {} under the team bar at {team_bar}",
                sentence.bottom()
            );
            checked += 1;
        }
        press(&mut harness, Key::Space);
        if phase(&harness) == Phase::Finished {
            break;
        }
        press(&mut harness, Key::Space);
    }
    assert!(checked >= 5, "{checked} sentences checked");
}
