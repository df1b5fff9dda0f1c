//! `flashdrill import` and `flashdrill export` from the command line.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{run, stderr, stdout};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/interop")
        .join(name)
        .display()
        .to_string()
}

/// `flashdrill export --deck DECK --format FORMAT [EXTRA…] --out OUT` in `data`.
fn export(data: &Path, deck: &str, format: &str, extra: &[&str], out: &str) -> Output {
    let mut args = vec!["export", "--deck", deck, "--format", format];
    args.extend_from_slice(extra);
    args.extend(["--out", out]);
    run(data, &args)
}

#[test]
fn import_prints_the_report_and_a_second_import_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = run(d, &["import", &fixture("current.apkg")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with("imported into profile Default:\n"),
        "{text}"
    );
    assert!(text.contains("new deck \"Capitals\""), "{text}");
    assert!(
        text.contains("2 decks; cards: 8 added, 0 updated, 0 unchanged"),
        "{text}"
    );
    assert!(
        text.contains("reviews: 3 added, 0 already present; 1 cards rescheduled"),
        "{text}"
    );
    assert!(text.contains("media: 1 images copied"), "{text}");
    assert!(text.contains("skipped 1: sound reference"), "{text}");
    assert!(d.join("decks/capitals.json").is_file());
    assert!(d.join("decks/capitals.media/flag.png").is_file());

    // The imported decks pass the checker.
    let o = run(d, &["check"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));

    let o = run(
        d,
        &["import", &fixture("legacy1.apkg"), &fixture("notes.txt")],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("cards: 0 added, 0 updated, 8 unchanged"),
        "{text}"
    );
    assert!(
        text.contains("reviews: 0 added, 3 already present"),
        "{text}"
    );

    // The history is the profile's: the progress export lists the three reviews.
    let o = run(d, &["progress", "export"]);
    let progress: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(progress["reviews"].as_array().unwrap().len(), 3);
}

#[test]
fn bad_input_names_the_file_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bad = d.join("broken.apkg");
    std::fs::write(&bad, "not a zip").unwrap();
    let o = run(
        d,
        &[
            "import",
            &fixture("current.apkg"),
            &bad.display().to_string(),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{}: not an Anki package", bad.display())),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(!d.join("decks/capitals.json").exists());
}

#[test]
fn quizlet_separators_can_be_given() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = d.join("set.txt");
    std::fs::write(&file, "perro=dog/gato=cat").unwrap();
    let o = run(
        d,
        &[
            "import",
            "--quizlet",
            "--term-separator",
            "=",
            "--card-separator",
            "/",
            &file.display().to_string(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let deck: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("decks/set.json")).unwrap()).unwrap();
    assert_eq!(deck["cards"][1]["prompt"], "gato");
    assert_eq!(deck["cards"][1]["answer"], "cat");
}

#[test]
fn export_writes_a_package_and_text_that_import_back() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(
        run(d, &["import", &fixture("current.apkg")])
            .status
            .success()
    );
    let apkg: PathBuf = d.join("capitals.apkg");
    let o = export(
        d,
        "capitals",
        "apkg",
        &["--with-progress"],
        &apkg.display().to_string(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        format!("wrote {}: 7 notes, 3 reviews, 1 images\n", apkg.display())
    );
    let txt = d.join("capitals.txt");
    let o = export(d, "capitals", "csv", &[], &txt.display().to_string());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&txt)
            .unwrap()
            .starts_with("#separator:tab\n#html:false\n#columns:")
    );

    // Into another data folder: the same cards, and with the package, the same history.
    let other = tempfile::tempdir().unwrap();
    let o = run(other.path(), &["import", &apkg.display().to_string()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("cards: 7 added"), "{}", stdout(&o));
    assert!(stdout(&o).contains("reviews: 3 added"), "{}", stdout(&o));
    let o = run(other.path(), &["import", &txt.display().to_string()]);
    assert!(
        stdout(&o).contains("cards: 0 added, 0 updated, 7 unchanged"),
        "{}",
        stdout(&o)
    );

    // A bundled deck exports too; an unknown id is named.
    let o = export(d, "nope", "csv", &[], &txt.display().to_string());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no deck has the id \"nope\""),
        "{}",
        stderr(&o)
    );
    let o = export(d, "capitals", "csv", &["--with-progress"], "x.txt");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--with-progress needs --format apkg"),
        "{}",
        stderr(&o)
    );
}
