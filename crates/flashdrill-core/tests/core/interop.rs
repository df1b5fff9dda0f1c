//! Importing the fixture packages made with the real Anki (`tests/data/interop/make_fixtures.py`)
//! and text files, re-importing, bad input, and export round trips.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use chrono::DateTime;
use flashdrill_core::deck::{Deck, load_file, media_dir};
use flashdrill_core::interop::{
    ExportOptions, ImportError, ImportOptions, ImportReport, Limits, TextFormat, anki_card_id,
    export_apkg, export_csv, import_files,
};
use flashdrill_core::schedule::{CardState, Rating, Scheduler, fuzz_seed};
use flashdrill_core::store::Store;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/interop")
        .join(name)
}

fn import(paths: &[PathBuf], store: &mut Store, decks: &Path) -> Result<ImportReport, ImportError> {
    import_with(paths, store, decks, &ImportOptions::default())
}

fn import_with(
    paths: &[PathBuf],
    store: &mut Store,
    decks: &Path,
    options: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let cancel = AtomicBool::new(false);
    import_files(paths, store, decks, options, &|_| {}, &cancel)
}

fn deck(dir: &Path, id: &str) -> Deck {
    load_file(&dir.join(format!("{id}.json"))).unwrap()
}

fn card<'d>(deck: &'d Deck, guid: &str, ord: u32) -> &'d flashdrill_core::deck::Card {
    let id = anki_card_id(guid, ord);
    deck.card(&id)
        .unwrap_or_else(|| panic!("no card {id} ({guid} #{ord}) in {:#?}", deck.cards))
}

/// What every layout of the fixture collection must give.
fn check_fixture_import(package: &str) {
    let dir = tempfile::tempdir().unwrap();
    let decks = dir.path().join("decks");
    let mut store = Store::open_in_memory("me").unwrap();
    let report = import(&[fixture(package)], &mut store, &decks).unwrap();
    assert_eq!(report.decks.len(), 2, "{package}: {report}");
    assert_eq!(report.cards_added, 8, "{package}: {report}");
    assert_eq!(report.reviews_added, 3, "{package}: {report}");
    assert_eq!(report.cards_rebuilt, 1, "{package}: {report}");
    assert_eq!(report.media_copied, 1, "{package}: {report}");
    assert_eq!(
        report
            .skipped
            .get("sound reference (sounds are not played)"),
        Some(&1),
        "{package}: {report}"
    );

    let capitals = deck(&decks, "capitals");
    assert_eq!(capitals.title, "Capitals");
    assert_eq!(capitals.cards.len(), 7);
    let europe = deck(&decks, "capitals-europe");
    assert_eq!(europe.title, "Capitals — Europe");
    assert_eq!(europe.cards[0].prompt, "Capital of Portugal?");
    assert_eq!(europe.cards[0].tags, ["europe"]);

    let basic = card(&capitals, "guidBasic01", 0);
    assert_eq!(
        (basic.prompt.as_str(), basic.answer.as_str()),
        ("Capital of France?", "Paris")
    );
    assert_eq!(basic.tags, ["geo"]);
    let forward = card(&capitals, "guidRev0001", 0);
    let backward = card(&capitals, "guidRev0001", 1);
    assert_eq!(
        (forward.prompt.as_str(), forward.answer.as_str()),
        ("Germany", "Berlin")
    );
    assert_eq!(
        (backward.prompt.as_str(), backward.answer.as_str()),
        ("Berlin", "Germany")
    );
    assert_eq!(backward.tags, ["geo", "two-way"]);
    let c1 = card(&capitals, "guidCloze01", 0);
    assert_eq!(c1.prompt, "[…] is the capital of Italy.");
    assert_eq!(c1.answer, "Rome");
    assert_eq!(
        c1.cloze.as_deref(),
        Some("{{Rome}} is the capital of Italy.")
    );
    assert_eq!(c1.explanation.as_deref(), Some("Since 1871."));
    let c2 = card(&capitals, "guidCloze01", 1);
    assert_eq!(c2.prompt, "Rome is the capital of [country].");
    assert_eq!(c2.answer, "Italy");
    let image = card(&capitals, "guidImage01", 0);
    assert_eq!(image.prompt, "Whose flag?");
    assert_eq!(image.answer, "Japan & its flag");
    assert_eq!(image.image.as_deref(), Some("flag.png"));
    let png = fs::read(media_dir(&decks.join("capitals.json")).join("flag.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "{package}");

    // The suspended card stays suspended.
    let suspended = card(&capitals, "guidSusp001", 0);
    let p = store.card("capitals", &suspended.id).unwrap().unwrap();
    assert!(p.suspended, "{package}");

    // Three answers (Good, Again, Good) at their times, replayed with the profile's settings.
    let history = store.card_history("capitals", &basic.id).unwrap();
    let ratings: Vec<u8> = history.iter().map(|r| r.rating.number()).collect();
    assert_eq!(ratings, [3, 1, 3], "{package}");
    let t0 = DateTime::from_timestamp_millis(1_704_103_200_000).unwrap();
    let day = chrono::Duration::days(1);
    let times: Vec<_> = history.iter().map(|r| r.at).collect();
    assert_eq!(times, [t0, t0 + day * 3, t0 + day * 4]);
    let settings = store.load_settings().unwrap();
    let scheduler = Scheduler::new(settings.scheduler_config()).unwrap();
    let mut expected = CardState::new_card(t0);
    for (rating, at) in [
        (Rating::Good, t0),
        (Rating::Again, t0 + day * 3),
        (Rating::Good, t0 + day * 4),
    ] {
        expected = flashdrill_core::domain::truncate_state(scheduler.review(
            &expected,
            rating,
            at,
            fuzz_seed("capitals", &basic.id, expected.reps),
        ));
    }
    let got = store.card("capitals", &basic.id).unwrap().unwrap();
    assert_eq!(got.card, expected, "{package}");
    assert_eq!(got.card.reps, 3);
    // The log rows carry the states a full replay gives: rebuilding changes nothing.
    assert_eq!(store.rebuild_all(&settings).unwrap(), 0, "{package}");
    let history = store.card_history("capitals", &basic.id).unwrap();
    assert_eq!(history[2].state_after.unwrap(), expected);
    assert_eq!(history[0].state_before, None);
    assert_eq!(history[1].state_before, history[0].state_after);

    // Importing again changes nothing.
    let before = fs::read(decks.join("capitals.json")).unwrap();
    let again = import(&[fixture(package)], &mut store, &decks).unwrap();
    assert_eq!(again.cards_added, 0, "{again}");
    assert_eq!(again.cards_updated, 0, "{again}");
    assert_eq!(again.cards_unchanged, 8, "{again}");
    assert_eq!(again.reviews_added, 0, "{again}");
    assert_eq!(again.reviews_already_present, 3, "{again}");
    assert_eq!(again.media_copied, 0, "{again}");
    assert_eq!(fs::read(decks.join("capitals.json")).unwrap(), before);
    assert_eq!(store.review_count().unwrap(), 3);
    assert_eq!(
        store.card("capitals", &basic.id).unwrap().unwrap().card,
        expected
    );
    let leftovers: Vec<_> = fs::read_dir(&decks)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn imports_the_current_package_layout() {
    check_fixture_import("current.apkg");
}

#[test]
fn imports_the_legacy_anki21_layout() {
    check_fixture_import("legacy2.apkg");
}

#[test]
fn imports_the_legacy_anki2_layout() {
    check_fixture_import("legacy1.apkg");
}

/// Two packages of the same decks in one import: the second's cards and reviews land on the
/// first's, each review once, each answer on its own card.
#[test]
fn two_packages_of_the_same_decks_merge_card_by_card() {
    let dir = tempfile::tempdir().unwrap();
    let decks = dir.path().join("decks");
    let mut store = Store::open_in_memory("me").unwrap();
    let report = import(
        &[fixture("legacy1.apkg"), fixture("current.apkg")],
        &mut store,
        &decks,
    )
    .unwrap();
    assert_eq!(report.cards_added, 8, "{report}");
    assert_eq!(
        (report.reviews_added, report.reviews_already_present),
        (3, 3),
        "{report}"
    );
    let capitals = deck(&decks, "capitals");
    let basic = card(&capitals, "guidBasic01", 0);
    let history = store.card_history("capitals", &basic.id).unwrap();
    let ratings: Vec<u8> = history.iter().map(|r| r.rating.number()).collect();
    assert_eq!(ratings, [3, 1, 3]);
    assert_eq!(store.review_count().unwrap(), 3);
    let suspended = card(&capitals, "guidSusp001", 0);
    assert!(
        store
            .card("capitals", &suspended.id)
            .unwrap()
            .unwrap()
            .suspended
    );
}

#[test]
fn imports_collection_packages() {
    check_fixture_import("current.colpkg");
    check_fixture_import("legacy2.colpkg");
}

#[test]
fn anki_plain_text_gives_the_same_cards_as_the_package() {
    let dir = tempfile::tempdir().unwrap();
    let (from_text, from_package) = (dir.path().join("t"), dir.path().join("p"));
    let mut store = Store::open_in_memory("me").unwrap();
    let report = import(&[fixture("notes.txt")], &mut store, &from_text).unwrap();
    assert_eq!(report.cards_added, 8, "{report}");
    import(&[fixture("current.apkg")], &mut store, &from_package).unwrap();
    for id in ["capitals", "capitals-europe"] {
        let mut text = deck(&from_text, id);
        let package = deck(&from_package, id);
        // A text file carries no pictures.
        for c in &mut text.cards {
            let p = package.card(&c.id).unwrap();
            c.image.clone_from(&p.image);
        }
        let mut a: Vec<_> = text.cards.clone();
        let mut b: Vec<_> = package.cards.clone();
        a.sort_by(|x, y| x.id.cmp(&y.id));
        b.sort_by(|x, y| x.id.cmp(&y.id));
        assert_eq!(a, b, "{id}");
    }
}

#[test]
fn cancelling_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let decks = dir.path().join("decks");
    let mut store = Store::open_in_memory("me").unwrap();
    let cancel = AtomicBool::new(true);
    let err = import_files(
        &[fixture("current.apkg")],
        &mut store,
        &decks,
        &ImportOptions::default(),
        &|_| {},
        &cancel,
    )
    .unwrap_err();
    assert!(matches!(err, ImportError::Cancelled), "{err}");
    assert_nothing_imported(&decks, &store);
}

#[test]
fn progress_rises_to_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory("me").unwrap();
    let seen = std::cell::RefCell::new(Vec::new());
    let cancel = AtomicBool::new(false);
    import_files(
        &[fixture("current.apkg"), fixture("notes.txt")],
        &mut store,
        dir.path(),
        &ImportOptions::default(),
        &|p| seen.borrow_mut().push(p),
        &cancel,
    )
    .unwrap();
    let seen = seen.into_inner();
    assert!(
        seen.windows(2).all(|w| w[0].fraction <= w[1].fraction),
        "{seen:?}"
    );
    assert!((seen.last().unwrap().fraction - 1.0).abs() < f32::EPSILON);
    assert!(seen.iter().any(|p| p.stage.contains("current.apkg")));
}

fn assert_nothing_imported(decks: &Path, store: &Store) {
    let files: Vec<_> = fs::read_dir(decks)
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(files.is_empty(), "{files:?}");
    assert_eq!(store.review_count().unwrap(), 0);
    assert!(store.card_states(None).unwrap().is_empty());
}

/// Imports `file` expecting a refusal whose message names the file and holds `place`.
fn refused(file: &Path, place: &str) -> String {
    refused_with(file, place, &ImportOptions::default())
}

fn refused_with(file: &Path, place: &str, options: &ImportOptions) -> String {
    let dir = tempfile::tempdir().unwrap();
    let decks = dir.path().join("decks");
    let mut store = Store::open_in_memory("me").unwrap();
    let err = import_with(&[file.to_path_buf()], &mut store, &decks, options).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains(&file.display().to_string()),
        "{message:?} does not name {}",
        file.display()
    );
    assert!(
        message.contains(place),
        "{message:?} does not say {place:?}"
    );
    assert_nothing_imported(&decks, &store);
    message
}

/// A zip with these entries (stored, not compressed unless `deflate`).
fn write_zip(path: &Path, entries: &[(&str, &[u8])], deflate: bool) {
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let method = if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// The entries of a fixture package, with `change` applied.
fn fixture_entries(name: &str) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(fs::File::open(fixture(name)).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
            (f.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

fn rezip(path: &Path, entries: &[(String, Vec<u8>)]) {
    let borrowed: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    write_zip(path, &borrowed, false);
}

#[test]
fn a_file_that_is_not_a_zip_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("deck.apkg");
    fs::write(&file, "this is text, not a zip").unwrap();
    let message = refused(&file, "not a zip file");
    assert!(message.contains("export it again from Anki"), "{message}");
}

#[test]
fn zip_bombs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // 64 MB of zeros deflates to about 64 KB; the limit is 16 MB.
    let file = dir.path().join("bomb.apkg");
    let zeros = vec![0u8; 64 * 1024 * 1024];
    write_zip(&file, &[("collection.anki2", &zeros)], true);
    assert!(fs::metadata(&file).unwrap().len() < 1024 * 1024);
    let options = ImportOptions {
        limits: Limits {
            max_entries: 100,
            max_total_bytes: 16 * 1024 * 1024,
            ..Limits::default()
        },
        ..ImportOptions::default()
    };
    let message = refused_with(&file, "zip bomb", &options);
    assert!(message.contains("16777216"), "{message}");
    // Under the overall cap, a package may still not grow more than its ratio allows: these
    // 64 KB may decompress to 4 MB at 64 times, not 64 MB.
    let options = ImportOptions {
        limits: Limits {
            max_entries: 100,
            max_total_bytes: 1024 * 1024 * 1024,
            max_ratio: 64,
            ratio_floor: 4 * 1024 * 1024,
            ..Limits::default()
        },
        ..ImportOptions::default()
    };
    let message = refused_with(
        &file,
        "more bytes than a package of its size can hold",
        &options,
    );
    assert!(message.contains("4194304"), "{message}");

    let many = dir.path().join("many.apkg");
    let names: Vec<String> = (0..101).map(|i| i.to_string()).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    write_zip(&many, &entries, false);
    refused_with(&many, "lists 101 files", &options);
}

#[test]
fn unsafe_media_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["../evil.png", "/tmp/evil.png", "sub/evil.png", ".."] {
        let mut entries = fixture_entries("legacy2.apkg");
        for (name, bytes) in &mut entries {
            if name == "media" {
                let map: serde_json::Value = serde_json::from_slice(bytes).unwrap();
                let mut map = map.as_object().unwrap().clone();
                map.insert("0".into(), serde_json::json!(bad));
                *bytes = serde_json::to_vec(&map).unwrap();
            }
        }
        let file = dir.path().join("evil.apkg");
        rezip(&file, &entries);
        let message = refused(&file, "unsafe name");
        assert!(message.contains(&format!("{bad:?}")), "{message}");
        assert!(!dir.path().join("evil.png").exists());
    }
}

/// The legacy2 fixture with its one picture, `flag.png` (entry "0"), replaced by `bytes`,
/// stored or deflated.
fn with_flag(path: &Path, bytes: &[u8], deflate: bool) {
    let entries: Vec<(String, Vec<u8>)> = fixture_entries("legacy2.apkg")
        .into_iter()
        .map(|(name, old)| {
            let new = if name == "0" { bytes.to_vec() } else { old };
            (name, new)
        })
        .collect();
    let borrowed: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    write_zip(path, &borrowed, deflate);
}

#[test]
fn a_picture_left_out_is_named_with_why_and_its_card_comes_in_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let decks = dir.path().join("decks");
    let mut store = Store::open_in_memory("me").unwrap();

    // The cards' picture is a web page saved under a picture's name.
    let page = dir.path().join("page.apkg");
    with_flag(&page, b"<html><body>Not found</body></html>", false);
    let report = import(std::slice::from_ref(&page), &mut store, &decks).unwrap();
    assert_eq!(report.cards_added, 8, "{report}");
    assert_eq!(report.media_copied, 0, "{report}");
    assert_eq!(
        report
            .pictures_skipped
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["flag.png: not a picture (1 card imported without it)"]
    );
    assert_eq!(report.pictures_skipped[0].file, page);
    assert!(
        report
            .to_string()
            .contains("picture left out: flag.png: not a picture"),
        "{report}"
    );
    let capitals = deck(&decks, "capitals");
    assert!(capitals.cards.iter().all(|c| c.image.is_none()));
    assert!(
        !media_dir(&decks.join("capitals.json"))
            .join("flag.png")
            .exists()
    );

    // A PNG one byte over the 20 MB limit (a zip of a few kilobytes): read no further.
    let limit = Limits::default().max_image_bytes;
    let mut huge = b"\x89PNG\r\n\x1a\n".to_vec();
    huge.resize(usize::try_from(limit).unwrap() + 1, 0);
    let big = dir.path().join("big.apkg");
    with_flag(&big, &huge, true);
    assert!(fs::metadata(&big).unwrap().len() < 1024 * 1024);
    let report = import(std::slice::from_ref(&big), &mut store, &decks).unwrap();
    assert_eq!(
        report.pictures_skipped[0].to_string(),
        "flag.png: over the 20 MB limit (1 card imported without it)"
    );
    assert_eq!(report.media_copied, 0, "{report}");
    // Exactly at the limit it comes in.
    huge.truncate(usize::try_from(limit).unwrap());
    with_flag(&big, &huge, true);
    let report = import(std::slice::from_ref(&big), &mut store, &decks).unwrap();
    assert!(report.pictures_skipped.is_empty(), "{report}");
    assert_eq!(report.media_copied, 1, "{report}");
    assert_eq!(
        fs::metadata(media_dir(&decks.join("capitals.json")).join("flag.png"))
            .unwrap()
            .len(),
        limit
    );
    let capitals = deck(&decks, "capitals");
    assert!(
        capitals
            .cards
            .iter()
            .any(|c| c.image.as_deref() == Some("flag.png"))
    );

    // A picture the cards name that the package lacks.
    let entries: Vec<(String, Vec<u8>)> = fixture_entries("legacy2.apkg")
        .into_iter()
        .filter(|(name, _)| name != "0")
        .map(|(name, bytes)| {
            let bytes = if name == "media" {
                br#"{"1":"anthem.mp3"}"#.to_vec()
            } else {
                bytes
            };
            (name, bytes)
        })
        .collect();
    let lacking = dir.path().join("lacking.apkg");
    rezip(&lacking, &entries);
    let report = import(&[lacking], &mut store, &decks).unwrap();
    assert_eq!(
        report.pictures_skipped[0].to_string(),
        "flag.png: missing from the package (1 card imported without it)"
    );
}

#[test]
fn a_newer_anki_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut entries = fixture_entries("current.apkg");
    for (name, bytes) in &mut entries {
        if name == "meta" {
            *bytes = vec![0x08, 0x04];
        }
    }
    let file = dir.path().join("future.apkg");
    rezip(&file, &entries);
    refused(&file, "newer Anki (4; this flashdrill reads up to 3)");

    // A schema-11 layout whose collection says schema 19.
    let mut entries = fixture_entries("legacy2.apkg");
    let db = dir.path().join("c.db");
    for (name, bytes) in &mut entries {
        if name == "collection.anki21" {
            fs::write(&db, &bytes).unwrap();
            let conn = rusqlite::Connection::open(&db).unwrap();
            conn.execute("UPDATE col SET ver = 19", []).unwrap();
            drop(conn);
            *bytes = fs::read(&db).unwrap();
        }
    }
    let file = dir.path().join("future2.apkg");
    rezip(&file, &entries);
    refused(
        &file,
        "entry \"collection.anki21\" was made by a newer Anki (19",
    );
}

#[test]
fn a_damaged_database_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut entries = fixture_entries("legacy2.apkg");
    for (name, bytes) in &mut entries {
        if name == "collection.anki21" {
            // Keep the header, scramble the pages.
            for b in bytes.iter_mut().skip(4096).step_by(7) {
                *b ^= 0x5a;
            }
        }
    }
    let file = dir.path().join("damaged.apkg");
    rezip(&file, &entries);
    refused(
        &file,
        "entry \"collection.anki21\": the Anki database is damaged",
    );

    let mut entries = fixture_entries("current.apkg");
    for (name, bytes) in &mut entries {
        if name == "collection.anki21b" {
            bytes.truncate(bytes.len() / 2);
        }
    }
    let file = dir.path().join("truncated.apkg");
    rezip(&file, &entries);
    refused(&file, "entry \"collection.anki21b\"");
}

#[test]
fn ragged_and_badly_encoded_text_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ragged.csv");
    fs::write(&file, "prompt,answer\nQ1,A1\nQ2,A2,extra\n").unwrap();
    let message = refused(
        &file,
        "line 3: this row has 3 fields, but the rows before have 2",
    );
    assert!(message.contains("double quotes"), "{message}");

    let file = dir.path().join("notes.txt");
    fs::write(&file, "#separator:tab\n#html:false\na\tb\nc\td\te\n").unwrap();
    refused(&file, "line 4: this row has 3 fields");

    let file = dir.path().join("latin1.txt");
    fs::write(&file, b"term\tdefinition\ncaf\xe9\tcoffee\n").unwrap();
    refused(
        &file,
        "line 2: byte 19 is not UTF-8 text; save the file as UTF-8",
    );

    let file = dir.path().join("utf16.csv");
    fs::write(&file, b"\xff\xfep\x00r\x00").unwrap();
    refused(&file, "line 1: byte 0 is not UTF-8");

    let file = dir.path().join("quizlet.txt");
    fs::write(&file, "one\tuno\ntwo without a tab\n").unwrap();
    refused(&file, "line 2: \"two without a tab\" has no tab");

    let file = dir.path().join("cols.csv");
    fs::write(&file, "prompt,answer,colour\nQ,A,red\n").unwrap();
    refused(&file, "line 1: unknown column \"colour\"");

    let file = dir.path().join("deck.pdf");
    fs::write(&file, "x").unwrap();
    refused(&file, "expected .apkg, .colpkg, .txt, .csv or .tsv");
}

#[test]
fn quizlet_exports_are_read_with_detected_or_given_separators() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory("me").unwrap();
    let decks = dir.path().join("decks");
    let tab = dir.path().join("Spanish words.txt");
    fs::write(&tab, "uno\tone\ndos\ttwo, the number\n\n").unwrap();
    let report = import(&[tab], &mut store, &decks).unwrap();
    assert_eq!(report.cards_added, 2, "{report}");
    let d = deck(&decks, "spanish-words");
    assert_eq!(d.title, "Spanish words");
    assert_eq!(d.cards[1].prompt, "dos");
    assert_eq!(d.cards[1].answer, "two, the number");

    let semi = dir.path().join("colours.txt");
    fs::write(&semi, "rojo,red;azul,blue;verde,green").unwrap();
    import(std::slice::from_ref(&semi), &mut store, &decks).unwrap();
    let d = deck(&decks, "colours");
    let pairs: Vec<_> = d
        .cards
        .iter()
        .map(|c| (c.prompt.as_str(), c.answer.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [("rojo", "red"), ("azul", "blue"), ("verde", "green")]
    );

    let custom = dir.path().join("custom.txt");
    fs::write(&custom, "a - b|c - d").unwrap();
    let options = ImportOptions {
        text_format: Some(TextFormat::Quizlet {
            term: Some('-'),
            card: Some('|'),
        }),
        ..ImportOptions::default()
    };
    import_with(&[custom], &mut store, &decks, &options).unwrap();
    let d = deck(&decks, "custom");
    assert_eq!(d.cards[1].prompt, "c");
    assert_eq!(d.cards[1].answer, "d");
}

#[test]
fn csv_with_flashdrill_fields_fills_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory("me").unwrap();
    let decks = dir.path().join("decks");
    let file = dir.path().join("history.csv");
    fs::write(
        &file,
        "prompt,answer,category,accept,distractors,date,explanation,source,tags\n\
         \"When did Putin first visit North Korea?\",2000,date,,1999;2001,2000,\"It began then.\",\"began in 2000\",russia korea\n\
         Who?,Kim Jong Un,actor,Kim Jong-un,Kim Il Sung,,,,\n\
         ,no prompt,term,,,,,,\n",
    )
    .unwrap();
    let report = import(&[file], &mut store, &decks).unwrap();
    assert_eq!(report.cards_added, 2, "{report}");
    assert_eq!(
        report.skipped.get("row with an empty prompt or answer"),
        Some(&1)
    );
    let d = deck(&decks, "history");
    let c = &d.cards[0];
    assert_eq!(c.category, "date");
    assert_eq!(c.distractors, ["1999", "2001"]);
    assert_eq!(c.date.as_deref(), Some("2000"));
    assert_eq!(c.explanation.as_deref(), Some("It began then."));
    assert_eq!(c.source, "began in 2000");
    assert_eq!(c.tags, ["russia", "korea"]);
    assert_eq!(d.cards[1].accept, ["Kim Jong-un"]);
    assert_eq!(d.cards[1].source, "Kim Jong Un");

    // A card flashdrill's checks refuse is left out and counted, the others imported.
    let file = dir.path().join("dates.tsv");
    fs::write(
        &file,
        "prompt\tanswer\tdate\nWhen?\t2000\t2000-13\nOk?\tyes\t\n",
    )
    .unwrap();
    let report = import(&[file], &mut store, &decks).unwrap();
    assert_eq!(report.cards_added, 1, "{report}");
    assert!(
        report
            .skipped
            .keys()
            .any(|k| k.contains("months run from 01 to 12")),
        "{report}"
    );
}

#[test]
fn exported_packages_and_text_come_back_as_the_same_cards() {
    let dir = tempfile::tempdir().unwrap();
    let decks = dir.path().join("decks");
    let mut store = Store::open_in_memory("me").unwrap();
    import(&[fixture("current.apkg")], &mut store, &decks).unwrap();
    let original = deck(&decks, "capitals");

    let apkg = dir.path().join("out.apkg");
    let report = export_apkg(
        &original,
        Some(&decks.join("capitals.json")),
        Some(&store),
        ExportOptions {
            with_progress: true,
        },
        &apkg,
    )
    .unwrap();
    assert_eq!(report.notes, 7);
    assert_eq!(report.reviews, 3);
    assert_eq!(report.media, 1);

    let csv = dir.path().join("out.txt");
    assert_eq!(export_csv(&original, &csv).unwrap().notes, 7);
    let text = fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("#separator:tab\n#html:false\n#columns:"),
        "{text}"
    );

    for (file, has_images) in [(apkg, true), (csv, false)] {
        let back_dir = dir.path().join(format!(
            "back-{}",
            file.extension().unwrap().to_string_lossy()
        ));
        let mut other = Store::open_in_memory("other").unwrap();
        let report = import(std::slice::from_ref(&file), &mut other, &back_dir).unwrap();
        assert_eq!(report.cards_added, 7, "{}: {report}", file.display());
        let back = deck(&back_dir, "capitals");
        assert_eq!(back.title, "Capitals");
        for c in &original.cards {
            let b = back.cards.iter().find(|b| b.id == c.id).unwrap_or_else(|| {
                panic!(
                    "{}: {} missing from {:#?}",
                    file.display(),
                    c.id,
                    back.cards
                )
            });
            assert_eq!(b.answer, c.answer, "{}", c.id);
            assert_eq!(b.cloze, c.cloze, "{}", c.id);
            assert_eq!(b.tags, c.tags, "{}", c.id);
            if c.cloze.is_none() {
                assert_eq!(b.prompt, c.prompt, "{}", c.id);
            }
            if has_images {
                assert_eq!(b.image, c.image, "{}", c.id);
            }
        }
        if has_images {
            // With progress: the history comes back and so does the card's state.
            assert_eq!(report.reviews_added, 3, "{report}");
            let basic = anki_card_id("guidBasic01", 0);
            assert_eq!(
                other.card("capitals", &basic).unwrap().unwrap().card,
                store.card("capitals", &basic).unwrap().unwrap().card
            );
            let png = media_dir(&back_dir.join("capitals.json")).join("flag.png");
            assert!(png.is_file());
        }
    }
}

/// A deck file that cannot be written stops the whole import: the review history saved
/// meanwhile is not committed, and no other deck file is left behind.
#[test]
fn a_deck_file_that_cannot_be_written_saves_no_history() {
    let dir = tempfile::tempdir().unwrap();
    let decks = dir.path().join("decks");
    fs::create_dir_all(&decks).unwrap();
    // A folder where the deck's temporary file would go: creating the file fails, even for
    // a user who may write anywhere.
    let blocked = decks.join(format!(".capitals.json.{}.import", std::process::id()));
    fs::create_dir(&blocked).unwrap();
    let mut store = Store::open_in_memory("me").unwrap();
    let err = import(&[fixture("current.apkg")], &mut store, &decks).unwrap_err();
    assert!(
        err.to_string().contains(".capitals.json."),
        "the message names the file: {err}"
    );
    assert_eq!(store.review_count().unwrap(), 0);
    assert!(store.card_states(None).unwrap().is_empty());
    let left: Vec<_> = fs::read_dir(&decks)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != blocked.file_name().unwrap().to_str().unwrap())
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
