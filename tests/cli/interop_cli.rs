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
fn a_quizlet_set_can_be_titled_and_come_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = d.join("spanish_set.txt");
    std::fs::write(&file, "perro\tdog\ngato\tcat\n").unwrap();
    let path = file.display().to_string();
    let o = run(d, &["import", &path]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(deck_json(d, "spanish-set")["title"], "Spanish set");
    let o = run(
        d,
        &[
            "import",
            "--title",
            "Animals in Spanish",
            "--reverse",
            &path,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let deck = deck_json(d, "animals-in-spanish");
    assert_eq!(deck["title"], "Animals in Spanish");
    let cards = deck["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 4);
    assert_eq!(cards[1]["prompt"], "dog");
    assert_eq!(cards[1]["answer"], "perro");
    assert_eq!(cards[0]["group"], cards[1]["group"]);
    assert_ne!(cards[0]["category"], "term");
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

/// The deck `id` written by an import into `data`.
fn deck_json(data: &Path, id: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(data.join(format!("decks/{id}.json"))).unwrap())
        .unwrap()
}

#[test]
fn a_spreadsheet_s_header_row_is_detected_or_given() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = d.join("words.csv");
    std::fs::write(&file, "Term;Definition\nhola;hello\nadios;goodbye, bye\n").unwrap();
    let path = file.display().to_string();
    let o = run(d, &["import", &path]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("cards: 2 added"), "{text}");
    assert!(
        text.contains(
            "words.csv: first row read as column names, not as a card: Term | Definition\n"
        ),
        "{text}"
    );
    let deck = deck_json(d, "words");
    assert_eq!(deck["cards"][1]["answer"], "goodbye, bye");

    // Told the first row is a card, it comes in as one.
    let o = run(d, &["import", "--header", "no", &path]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("cards: 1 added, 0 updated, 2 unchanged"),
        "{text}"
    );
    assert!(!text.contains("first row"), "{text}");
    assert_eq!(deck_json(d, "words")["cards"][2]["prompt"], "Term");

    // Told it is a header, a first row that reads like a card is one no longer.
    let plain = d.join("plain.csv");
    std::fs::write(&plain, "uno,one\ndos,two\n").unwrap();
    let o = run(
        d,
        &["import", "--header", "yes", &plain.display().to_string()],
    );
    assert!(stdout(&o).contains("cards: 1 added"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("plain.csv: first row read as column names, not as a card: uno | one"),
        "{}",
        stdout(&o)
    );

    let o = run(d, &["import", "--header", "maybe", &path]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("possible values: yes, no, auto"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_spreadsheet_s_delimiter_can_be_given_by_character_or_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A .txt would be read as a Quizlet export; --delimiter reads it as a spreadsheet.
    let file = d.join("animals.txt");
    std::fs::write(
        &file,
        "word|meaning\nperro|dog\n\"gato|cat\"|feline, a cat\n",
    )
    .unwrap();
    let path = file.display().to_string();
    let o = run(d, &["import", "--delimiter", "|", &path]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("cards: 2 added"), "{}", stdout(&o));
    let deck = deck_json(d, "animals");
    assert_eq!(deck["cards"][1]["prompt"], "gato|cat");
    assert_eq!(deck["cards"][1]["answer"], "feline, a cat");

    let tsv = d.join("tabs.txt");
    std::fs::write(&tsv, "uno\tone\n").unwrap();
    let o = run(
        d,
        &["import", "--delimiter", "tab", &tsv.display().to_string()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(deck_json(d, "tabs")["cards"][0]["answer"], "one");

    // The wrong delimiter: the file and the line, and what to do.
    let o = run(
        d,
        &[
            "import",
            "--delimiter",
            "semicolon",
            &tsv.display().to_string(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("tabs.txt: line 1: \"uno\\tone\" has no semicolon between the prompt and the answer; choose the delimiter the file uses"),
        "{}",
        stderr(&o)
    );
    let o = run(d, &["import", "--delimiter", "\u{2192}", &path]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not an ASCII character"),
        "{}",
        stderr(&o)
    );
    let o = run(d, &["import", "--delimiter", ",", "--quizlet", &path]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
}

/// An Anki package of a deck whose one card shows "flag.png" holding `picture`, written by
/// flashdrill's own export (which copies media as they are) in `dir`.
fn package_with_picture(dir: &Path, picture: &[u8]) -> PathBuf {
    let decks = dir.join("decks");
    std::fs::create_dir_all(decks.join("flags.media")).unwrap();
    std::fs::write(decks.join("flags.media/flag.png"), picture).unwrap();
    std::fs::write(
        decks.join("flags.json"),
        r#"{"format": "flashdrill-deck/1", "id": "flags", "title": "Flags",
            "source": {"title": "Atlas", "author": "Me"},
            "cards": [{"id": "japan", "category": "term", "prompt": "Whose flag?",
                       "answer": "Japan", "source": "Japan", "image": "flag.png"}]}"#,
    )
    .unwrap();
    let out = dir.join("flags.apkg");
    let o = export(dir, "flags", "apkg", &[], &out.display().to_string());
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

#[test]
fn a_picture_left_out_is_named_with_why() {
    let made = tempfile::tempdir().unwrap();
    let package = package_with_picture(made.path(), b"GIF? no: a text file\n");
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["import", &package.display().to_string()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("picture left out: flag.png: not a picture (1 card imported without it)\n"),
        "{text}"
    );
    assert!(text.contains("media: 0 images copied"), "{text}");
    assert!(deck_json(dir.path(), "flags")["cards"][0]["image"].is_null());

    // A PNG one byte over the limit.
    let made = tempfile::tempdir().unwrap();
    let mut huge = b"\x89PNG\r\n\x1a\n".to_vec();
    huge.resize(20 * 1024 * 1024 + 1, 0);
    let package = package_with_picture(made.path(), &huge);
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["import", &package.display().to_string()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(
            "picture left out: flag.png: over the 20 MB limit (1 card imported without it)\n"
        ),
        "{}",
        stdout(&o)
    );
}
