//! What every command-line test does: run the real binary on a data directory, and set up or
//! read a profile's database beside it through the library.

use std::path::Path;
use std::process::{Command, Output};

use chrono::{DateTime, Local, NaiveDate, Utc};
use flashdrill_core::schedule::Rating;
use flashdrill_core::session::{CardKey, Session};
use flashdrill_core::settings::Settings;
use flashdrill_core::store::profiles::Profiles;
use flashdrill_core::store::{CardProgress, Mode, Store};

/// Runs `flashdrill --data-dir DATA ARGS…`, ignoring any `FLASHDRILL_DATA_DIR` of the caller.
pub fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flashdrill"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("FLASHDRILL_DATA_DIR")
        .output()
        .unwrap()
}

/// Runs the CLI and asserts it succeeded (its stderr shown when not).
pub fn run_ok(data: &Path, args: &[&str]) -> Output {
    let o = run(data, args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    o
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Makes the profile `name` in the data directory `data` and opens its database (its daily
/// backup dated `today`).
pub fn new_profile(data: &Path, name: &str, today: NaiveDate) -> Store {
    let mut profiles = Profiles::load(data).unwrap();
    profiles.create(name).unwrap();
    profiles.open(name, today).unwrap()
}

/// The database of the profile `name` of `data` (`None`: the default one, made when there is
/// none), opened beside the binary.
pub fn profile_store(data: &Path, name: Option<&str>) -> Store {
    let mut profiles = Profiles::load(data).unwrap();
    let info = profiles.choose(name).unwrap();
    profiles
        .open(&info.slug, Local::now().date_naive())
        .unwrap()
}

/// Answers the new card `card` of `deck` Good at `at` (in 2 s), as a study session does.
pub fn answer_good(store: &mut Store, deck: &str, card: &str, at: DateTime<Utc>) {
    let queue = vec![(CardKey::new(deck, card), CardProgress::new_card(at))];
    let mut s = Session::from_settings(&Settings::default(), Mode::Srs, queue, at).unwrap();
    s.answer(
        store,
        Rating::Good,
        None,
        None,
        std::time::Duration::from_secs(2),
        at,
    )
    .unwrap();
}

/// `flashdrill --profile Ana sync --folder FOLDER --name NAME`'s arguments.
pub fn ana_sync<'a>(folder: &'a str, name: &'a str) -> [&'a str; 7] {
    [
        "--profile",
        "Ana",
        "sync",
        "--folder",
        folder,
        "--name",
        name,
    ]
}
