//! `flashdrill draft` and `flashdrill check --article` end to end, on the bundled article.

use std::path::{Path, PathBuf};
use std::process::Command;

fn article() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("crates/flashdrill-core/tests/data/article/pyongyang-moscow-honeymoon.txt")
}

fn run(args: &[&str], data_dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_flashdrill"))
        .args(args)
        .env("FLASHDRILL_DATA_DIR", data_dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_drafted_deck_passes_check_with_the_article() {
    let dir = tempfile::tempdir().unwrap();
    let deck = dir.path().join("pm.json");
    let article = article();
    let a = article.to_str().unwrap();
    let (code, _, err) = run(
        &[
            "draft",
            a,
            "--title",
            "Pyongyang and Moscow",
            "--author",
            "Parisa Pasandepour",
            "--out",
            deck.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("5 dates"), "{err}");
    let (code, out, _) = run(
        &["check", "--article", a, deck.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(code, 0, "{out}");
    // A first draft: no problems; warnings (cards without an explanation yet) are allowed.
    let summary = out.lines().last().unwrap_or_default();
    assert!(summary.contains(" 0 problems"), "{out}");
    // Never over an existing file.
    let (code, _, err) = run(
        &[
            "draft",
            a,
            "--title",
            "T",
            "--author",
            "A",
            "--out",
            deck.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(err.contains("pm.json already exists"), "{err}");

    // A source that is not in the article is reported by card.
    let text = std::fs::read_to_string(&deck).unwrap();
    let changed = text.replacen("\"source\": \"", "\"source\": \"Not in it: ", 1);
    std::fs::write(&deck, changed).unwrap();
    let (code, out, _) = run(
        &["check", "--article", a, deck.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(
        out.contains("the source excerpt is not word for word in pyongyang-moscow-honeymoon.txt"),
        "{out}"
    );
    let summary = out.lines().last().unwrap_or_default();
    assert!(summary.contains(" 1 problem"), "{out}");
}

#[test]
fn a_binary_or_empty_article_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let deck = dir.path().join("out.json");
    for (name, bytes, says) in [
        ("image.png", &b"\x89PNG\r\n\x1a\n\0\0"[..], "binary file"),
        ("empty.txt", &b"  \n"[..], "the article is empty"),
        ("latin1.txt", &b"caf\xe9"[..], "not UTF-8"),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let (code, _, err) = run(
            &[
                "draft",
                file.to_str().unwrap(),
                "--title",
                "T",
                "--author",
                "A",
                "--out",
                deck.to_str().unwrap(),
            ],
            dir.path(),
        );
        assert_eq!(code, 1);
        assert!(err.contains(name) && err.contains(says), "{err}");
        assert!(!deck.exists());
    }
}
