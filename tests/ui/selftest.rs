//! "Test yourself" through the whole app, found by labels and roles as a screen-reader user
//! would: a mock test taken by clicking and typing, its score and what was missed, what got
//! saved (the self-test rows, `test` reviews, no schedule moved), leaving half-way, and the
//! statistics' section.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use flashdrill::app::{FlashdrillApp, Screen};
use flashdrill_core::selftest::QuestionKind;
use flashdrill_core::store::Mode;

fn app(dir: &std::path::Path) -> crate::common::App {
    crate::common::app_sized(dir, [1100.0, 900.0])
}

/// Opens "Test yourself" on the bundled dates deck and starts the test with the setup's
/// default number of questions; returns that number.
fn start(harness: &mut Harness<'_, FlashdrillApp>) -> usize {
    let title = harness
        .state()
        .collection()
        .library()
        .deck("pm-dates")
        .unwrap()
        .deck
        .title
        .clone();
    crate::common::click(harness, &format!("Test yourself on {title}"));
    assert_eq!(harness.state().screen(), Screen::SelfTest);
    harness.get_by_label("Questions");
    crate::accessibility::assert_accessible(harness, "self-test setup");
    crate::common::click(harness, "Start test");
    harness
        .state()
        .self_test()
        .expect("a test under way")
        .questions()
        .len()
}

/// Answers the question on show, right or wrong, as a user would: clicking an option, or
/// typing and clicking the button under the answer box.
fn answer(harness: &mut Harness<'_, FlashdrillApp>, right: bool) {
    let test = harness.state().self_test().unwrap();
    let q = test.current_question().unwrap().clone();
    let (k, n) = (test.current().unwrap(), test.questions().len());
    harness.get_by_label(&format!("Question {} of {n}", k + 1));
    crate::accessibility::assert_accessible(harness, "a self-test question");
    assert!(
        harness.query_by_label("From the article:").is_none(),
        "no source sentence during the test"
    );
    match &q.kind {
        QuestionKind::Choice(c) => {
            let pick = if right {
                c.correct_index
            } else {
                (c.correct_index + 1) % c.options.len()
            };
            harness
                .get_by_role_and_label(Role::Button, &c.options[pick])
                .click();
        }
        QuestionKind::Typed | QuestionKind::Cloze(_) => {
            let typed = if right { q.right_answer() } else { "no idea" };
            harness.get_by_label("Your answer").type_text(typed);
            harness.run();
            let next = if k + 1 == n {
                "Finish test"
            } else {
                "Next question"
            };
            harness.get_by_label(next).click();
        }
    }
    harness.run();
}

#[test]
fn a_test_is_taken_scored_and_saved_without_moving_the_schedule() {
    let dir = tempfile::tempdir().unwrap();
    crate::stats::seed(dir.path());
    // An exam on the deck: its readiness on the home screen takes the test in.
    {
        let today = chrono::Local::now().date_naive();
        let mut store = crate::common::profile_store(dir.path());
        let date = (today + chrono::TimeDelta::days(40))
            .format("%Y-%m-%d")
            .to_string();
        let exam =
            flashdrill_core::plan::Exam::new("pm-dates", &date, 0.9, today, chrono::Utc::now())
                .unwrap();
        let key = format!("{}pm-dates", flashdrill_core::plan::EXAM_KEY);
        store
            .write_plan(&[(key.as_str(), Some(exam.to_stored().as_str()))], &[])
            .unwrap();
    }
    let mut harness = app(dir.path());
    harness.run();
    assert!(harness.query_by_label_contains("Your self-test").is_none());
    let cards_before = harness.state().store().unwrap().card_states(None).unwrap();
    let log_before = harness.state().store().unwrap().review_count().unwrap();

    let n = start(&mut harness);
    assert!(n >= 5, "{n} questions");
    for k in 0..n {
        answer(&mut harness, k % 2 == 0);
    }
    let right = n.div_ceil(2);
    let result = harness
        .state()
        .self_test_result()
        .expect("the test is marked");
    assert_eq!(result.right(), right);
    harness.get_by_label(&format!(
        "Your score: {right} of {n} ({:.0} %)",
        100.0 * right as f64 / n as f64
    ));
    harness.get_by_label_contains("The memory model predicted");
    crate::accessibility::assert_accessible(&harness, "a self-test's result");
    harness.get_by_label(&format!("Missed ({})", n - right));
    let missed_given = harness.query_all_by_label("Your answer: no idea").count();
    let missed_choices = result.missed().filter(|i| i.given != "no idea").count();
    assert_eq!(missed_given + missed_choices, n - right);
    assert_eq!(
        harness.query_all_by_label("From the article:").count(),
        n - right,
        "each missed question with its source sentence"
    );

    let store = harness.state().store().unwrap();
    assert_eq!(
        store.card_states(None).unwrap(),
        cards_before,
        "no schedule moved"
    );
    let tests = store.self_tests(Some("pm-dates")).unwrap();
    assert_eq!(tests.len(), 1);
    assert_eq!(
        (tests[0].questions as usize, tests[0].right as usize),
        (n, right)
    );
    let log = store.all_reviews().unwrap();
    assert_eq!(log.len() as u64, log_before + n as u64);
    assert_eq!(log.iter().filter(|r| r.mode == Mode::Test).count(), n);
    assert_eq!(store.self_test_answers(None).unwrap().len(), n);

    // The statistics show the test beside the model's prediction, with a text equivalent.
    crate::common::click(&mut harness, "Back to decks");
    assert_eq!(harness.state().screen(), Screen::Home);
    let note = harness
        .get_by_label_contains("Your self-test: ")
        .accesskit_node()
        .value()
        .unwrap_or_default();
    assert!(note.contains("% right where the model predicted"), "{note}");
    crate::common::click(&mut harness, "Statistics");
    harness.get_by_label("Self-tests");
    let chart = harness.root().children_recursive().find_map(|n| {
        let n = n.accesskit_node();
        let label = n.label()?;
        (n.role() == Role::Image && label.starts_with("Chart of self-test scores over time"))
            .then(|| label.clone())
    });
    assert!(chart.expect("the chart's text").contains(": 1 test;"));
    harness.get_by_label_contains("Is the model right about you?");
    crate::accessibility::assert_accessible(&harness, "statistics with self-tests");
}

#[test]
fn escape_asks_before_abandoning_and_leaving_keeps_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    let n = start(&mut harness);
    answer(&mut harness, true);
    crate::common::press(&mut harness, egui::Key::Escape);
    harness.get_by_label_contains("Leave the test?");
    crate::accessibility::assert_accessible(&harness, "leaving a self-test");
    crate::common::click(&mut harness, "Keep going");
    harness.get_by_label(&format!("Question 2 of {n}"));

    crate::common::press(&mut harness, egui::Key::Escape);
    crate::common::click(&mut harness, "Leave test");
    assert_eq!(harness.state().screen(), Screen::Home);
    let store = harness.state().store().unwrap();
    assert!(store.self_tests(None).unwrap().is_empty());
    assert_eq!(store.review_count().unwrap(), 0, "nothing logged");
}

#[test]
fn enter_answers_a_typed_question() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.state_mut().fix_seed(7);
    harness.run();
    let n = start(&mut harness);
    // Choice questions first, by clicking, until a typed one comes (a dates deck has some).
    loop {
        let test = harness.state().self_test().expect("a typed question comes");
        let k = test.current().unwrap();
        let q = test.current_question().unwrap().clone();
        if matches!(q.kind, QuestionKind::Choice(_)) {
            answer(&mut harness, true);
            continue;
        }
        harness
            .get_by_label("Your answer")
            .type_text(q.right_answer());
        harness.run();
        crate::common::press(&mut harness, egui::Key::Enter);
        if k + 1 < n {
            harness.get_by_label(&format!("Question {} of {n}", k + 2));
            assert_eq!(harness.state().self_test().unwrap().current(), Some(k + 1));
        } else {
            assert!(harness.state().self_test_result().is_some());
        }
        break;
    }
}
