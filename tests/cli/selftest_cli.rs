//! `flashdrill selftest`: a printable mock test with its answer key on a page of its own; bad
//! input says what is allowed.

use crate::common::{run, stderr, stdout};

#[test]
fn selftest_prints_numbered_questions_then_the_answer_key() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "selftest",
        "--deck",
        "pm-dates",
        "--questions",
        "5",
        "--seed",
        "7",
    ];
    let out = run(dir.path(), &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let (paper, key) = text
        .split_once('\u{c}')
        .expect("the key on a page of its own");
    assert!(paper.starts_with("Self-test: "), "{paper}");
    assert!(paper.contains("5 questions, seed 7"), "{paper}");
    for n in 1..=5 {
        assert!(paper.contains(&format!("\n{n}. ")), "question {n}: {paper}");
        assert!(key.contains(&format!("\n{n}. ")), "answer {n}: {key}");
    }
    assert!(!paper.contains("\n6. "));
    assert!(!paper.contains("Source:"), "no hints in the questions");
    assert_eq!(key.matches("   Source: \"").count(), 5, "{key}");
    // The same seed prints the same test.
    assert_eq!(stdout(&run(dir.path(), &args)), text);
}

#[test]
fn selftest_refuses_an_unknown_deck_and_a_bad_count() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["selftest", "--deck", "nope"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("\"nope\"") && err.contains("pm-dates"),
        "{err}"
    );
    for n in ["0", "500"] {
        let out = run(
            dir.path(),
            &["selftest", "--deck", "pm-dates", "--questions", n],
        );
        assert!(!out.status.success(), "{n}");
        let err = stderr(&out);
        assert!(err.contains(&format!("{n} questions")), "{err}");
        assert!(err.contains("can give 1 to "), "{err}");
        assert!(stdout(&out).is_empty());
    }
}
