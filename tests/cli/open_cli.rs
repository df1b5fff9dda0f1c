//! `flashdrill FILE…`, what the desktop runs on a double-click: with a window already open on
//! the data folder the files go to it; a file that is not there is refused by name.

use std::process::Command;

use flashdrill::instance::{Claim, claim};

use crate::common::{run, stderr, stdout};

#[test]
fn a_file_opened_while_a_window_runs_goes_to_that_window() {
    let data = tempfile::tempdir().unwrap();
    let runtime = tempfile::tempdir().unwrap();
    let deck = data.path().join("lesson.json");
    std::fs::write(&deck, "{}").unwrap();
    // The running window's end of it.
    let Claim::First(window) = claim(runtime.path(), data.path(), &[]) else {
        panic!("nothing runs yet");
    };
    let out = Command::new(env!("CARGO_BIN_EXE_flashdrill"))
        .arg("--data-dir")
        .arg(data.path())
        .arg(&deck)
        .env("XDG_RUNTIME_DIR", runtime.path())
        .env_remove("FLASHDRILL_DATA_DIR")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("already open"), "{}", stdout(&out));
    let (files, raise) = window.handed().take();
    assert!(raise);
    assert_eq!(files, vec![deck]);
}

#[test]
fn a_file_that_is_not_there_is_refused_by_name() {
    let data = tempfile::tempdir().unwrap();
    let out = run(data.path(), &["no-such-deck.apkg"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no-such-deck.apkg: no such file"),
        "{}",
        stderr(&out)
    );
}
