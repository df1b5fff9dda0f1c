//! Importing: read every input, merge with the decks already there, then write all or nothing.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use super::FormatKind;
use super::{
    DeckReport, Gathered, GatheredDeck, ImportError, ImportOptions, ImportProgress, ImportReport,
    Ticker, anki, text,
};
use crate::deck::{Card, Deck, FORMAT_V1, Problem, Source, media_dir, parse_deck, validate};
use crate::store::import::{Incoming, IncomingReview};
use crate::store::{Mode, Store};

/// Imports `paths` (Anki packages and text files) into `decks_dir` and `store`.
///
/// Everything is read first (cancellable through `cancel`, reported through `progress`), then
/// written all or nothing: deck files go to temporary files, the review history goes into the
/// store in one transaction (and the touched cards are rebuilt by replay with the profile's
/// settings), and only then are the deck files and images renamed into place. Once the store
/// transaction has begun the import can no longer be cancelled.
pub fn import_files(
    paths: &[PathBuf],
    store: &mut Store,
    decks_dir: &Path,
    options: &ImportOptions,
    progress: &dyn Fn(ImportProgress),
    cancel: &AtomicBool,
) -> Result<ImportReport, ImportError> {
    let write_err = |path: &Path, e: &std::io::Error| ImportError::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    for path in paths {
        if !matches!(
            super::format_of(path).map(|f| f.kind),
            Some(FormatKind::AnkiPackage | FormatKind::Text)
        ) {
            return Err(ImportError::UnknownKind { file: path.clone() });
        }
    }
    fs::create_dir_all(decks_dir).map_err(|e| write_err(decks_dir, &e))?;
    let staging = tempfile::Builder::new()
        .prefix(".flashdrill-import-")
        .tempdir_in(decks_dir)
        .map_err(|e| write_err(decks_dir, &e))?;

    // 1. Read every input.
    let mut all = Gathered::default();
    let share = 0.7 / paths.len().max(1) as f32;
    for (i, path) in paths.iter().enumerate() {
        let ticker = Ticker {
            progress,
            cancel,
            start: share * i as f32,
            width: share,
        };
        ticker.check()?;
        let dir = staging.path().join(i.to_string());
        fs::create_dir(&dir).map_err(|e| write_err(&dir, &e))?;
        let gathered = match super::format_of(path).map(|f| f.kind) {
            Some(FormatKind::AnkiPackage) => {
                anki::read_package(path, &dir, options.limits, &options.reserved_ids, &ticker)?
            }
            Some(FormatKind::Text) => text::read_text(path, options, &ticker)?,
            Some(FormatKind::Deck) | None => {
                return Err(ImportError::UnknownKind { file: path.clone() });
            }
        };
        merge(&mut all, gathered);
    }
    let ticker = Ticker {
        progress,
        cancel,
        start: 0.7,
        width: 0.3,
    };
    ticker.check()?;
    ticker.report(0.0, "Comparing with your decks");

    // 2. Merge with the decks already in the folder and prepare the new files.
    let mut report = ImportReport {
        files: paths.to_vec(),
        skipped: std::mem::take(&mut all.skipped),
        pictures_skipped: std::mem::take(&mut all.pictures_skipped),
        header_rows: std::mem::take(&mut all.header_rows),
        ..ImportReport::default()
    };
    let mut kept: HashMap<String, HashSet<String>> = HashMap::new();
    let cleanup = |pending: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in pending {
            let _ = fs::remove_file(tmp);
        }
    };
    // The deck files to write: (temporary file, destination, deck).
    let mut plans: Vec<(PathBuf, PathBuf, Deck)> = Vec::new();
    // Decks are planned on both processor cores (each card is checked and copied).
    let planned_decks: Vec<Result<(Planned, ImportReport), ImportError>> = {
        let plan = |gathered: &GatheredDeck| {
            let dest = decks_dir.join(format!("{}.json", gathered.id));
            let mut own = ImportReport::default();
            plan_deck(gathered, &dest, &mut own).map(|p| (p, own))
        };
        let half = all.decks.len().div_ceil(2);
        let (first, second) = all.decks.split_at(half);
        std::thread::scope(|scope| {
            let other = scope.spawn(|| second.iter().map(plan).collect::<Vec<_>>());
            let mut out: Vec<_> = first.iter().map(plan).collect();
            match other.join() {
                Ok(rest) => out.extend(rest),
                Err(_) => out.push(Err(ImportError::Write {
                    path: decks_dir.to_path_buf(),
                    message: "planning the decks stopped unexpectedly".to_owned(),
                })),
            }
            out
        })
    };
    for (gathered, planned) in all.decks.iter().zip(planned_decks) {
        let (planned, own) = planned?;
        for (why, n) in own.skipped {
            *report.skipped.entry(why).or_default() += n;
        }
        kept.entry(planned.deck.id.clone())
            .or_default()
            .extend(planned.deck.cards.iter().map(|c| c.id.clone()));
        report.cards_added += planned.report.added;
        report.cards_updated += planned.report.updated;
        report.cards_unchanged += planned.report.unchanged;
        if planned.changed {
            let tmp = decks_dir.join(format!(
                ".{}.json.{}.import",
                gathered.id,
                std::process::id()
            ));
            plans.push((tmp, planned.report.path.clone(), planned.deck));
        }
        report.decks.push(planned.report);
    }
    ticker.check()?;

    // 3. The deck files go to temporary files on a second thread while the review history,
    //    the suspended and the buried cards are saved in one transaction, which commits only
    //    once every file is written.
    let is_kept = |deck: &str, card: &str| kept.get(deck).is_some_and(|c| c.contains(card));
    let settings = store
        .load_settings()
        .map_err(|e| ImportError::Store(e.into()))?;
    let incoming = incoming_of(&all, &is_kept, &settings);
    let saving =
        !incoming.reviews.is_empty() || !incoming.states.is_empty() || !incoming.buried.is_empty();
    if saving {
        ticker.report(0.2, format!("Saving {} reviews", incoming.reviews.len()));
    }
    let (written, saved) = std::thread::scope(|scope| {
        let mut writer = Some(scope.spawn(|| write_deck_files(&plans)));
        let mut written = None;
        let saved = if saving {
            Some(store.import_incoming_then(&incoming, &settings, &mut || {
                let result = writer.take().map(join_writer);
                let ok = result.as_ref().is_some_and(Result::is_ok);
                written = result;
                ok
            }))
        } else {
            None
        };
        let written = written
            .or_else(|| writer.take().map(join_writer))
            .unwrap_or_else(|| Ok(Vec::new()));
        (written, saved)
    });
    drop(incoming);
    let pending = written?;
    match saved {
        Some(Ok(summary)) => {
            report.reviews_added = summary.reviews_added;
            report.reviews_already_present = summary.reviews_skipped;
            report.cards_rebuilt = summary.cards_rebuilt;
        }
        Some(Err(e)) => {
            cleanup(&pending);
            return Err(ImportError::Store(e));
        }
        None => {}
    }

    // 4. Into place: deck files, then images.
    ticker.report(0.9, "Writing the decks");
    for (i, (tmp, dest)) in pending.iter().enumerate() {
        if let Err(e) = fs::rename(tmp, dest) {
            cleanup(&pending[i..]);
            return Err(write_err(dest, &e));
        }
    }
    for deck in &all.decks {
        if deck.media.is_empty() {
            continue;
        }
        let dir = media_dir(&decks_dir.join(format!("{}.json", deck.id)));
        fs::create_dir_all(&dir).map_err(|e| write_err(&dir, &e))?;
        for (name, staged) in &deck.media {
            let dest = dir.join(name);
            if fs::read(&dest).ok() == fs::read(staged).ok() && dest.exists() {
                continue;
            }
            fs::copy(staged, &dest).map_err(|e| write_err(&dest, &e))?;
            report.media_copied += 1;
        }
    }
    ticker.report(1.0, "Done");
    Ok(report)
}

/// Writes each planned deck to its temporary file (synced to disk); on a failure, removes the
/// ones written and says which file failed.
fn write_deck_files(
    plans: &[(PathBuf, PathBuf, Deck)],
) -> Result<Vec<(PathBuf, PathBuf)>, ImportError> {
    let mut written: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(plans.len());
    for (tmp, dest, deck) in plans {
        let mut json = serde_json::to_string_pretty(deck).unwrap_or_default();
        json.push('\n');
        let result = fs::File::create(tmp).and_then(|mut f| {
            f.write_all(json.as_bytes())?;
            f.sync_all()
        });
        if let Err(e) = result {
            let _ = fs::remove_file(tmp);
            for (done, _) in &written {
                let _ = fs::remove_file(done);
            }
            return Err(ImportError::Write {
                path: tmp.clone(),
                message: e.to_string(),
            });
        }
        written.push((tmp.clone(), dest.clone()));
    }
    Ok(written)
}

/// The deck files' writer's answer; a writer that panicked wrote nothing usable.
fn join_writer(
    handle: std::thread::ScopedJoinHandle<'_, Result<Vec<(PathBuf, PathBuf)>, ImportError>>,
) -> Result<Vec<(PathBuf, PathBuf)>, ImportError> {
    handle.join().unwrap_or_else(|_| {
        Err(ImportError::Write {
            path: PathBuf::from("(deck files)"),
            message: "the writer stopped unexpectedly".to_owned(),
        })
    })
}

/// What the store saves of `all`: the reviews, suspended and buried cards of the cards kept.
fn incoming_of<'a>(
    all: &'a Gathered,
    is_kept: &dyn Fn(&str, &str) -> bool,
    settings: &crate::settings::Settings,
) -> Incoming<'a> {
    let mut incoming = Incoming::default();
    // Each gathered card's index in `incoming.cards`, if it is kept.
    let mut place: Vec<Vec<Option<u32>>> = Vec::with_capacity(all.decks.len());
    let mut by_ids: HashMap<(&str, &str), u32> = HashMap::new();
    for deck in &all.decks {
        let mut places = Vec::with_capacity(deck.cards.len());
        for card in &deck.cards {
            places.push(is_kept(&deck.id, &card.id).then(|| {
                *by_ids.entry((&deck.id, &card.id)).or_insert_with(|| {
                    incoming.cards.push((&deck.id, &card.id));
                    u32::try_from(incoming.cards.len() - 1).unwrap_or(u32::MAX)
                })
            }));
        }
        place.push(places);
    }
    // Sized once: grown by doubling, half a million reviews were copied over and over.
    incoming.reviews = Vec::with_capacity(all.reviews.len());
    incoming.reviews.extend(all.reviews.iter().filter_map(|r| {
        let card = (*place.get(r.deck as usize)?.get(r.card as usize)?)?;
        Some(IncomingReview {
            card,
            at: r.at,
            rating: r.rating,
            mode: Mode::Srs,
            answer: None,
            correct: None,
            response_ms: u64::from(r.response_ms),
            id: 0,
        })
    }));
    for c in &all.suspended {
        if let Some(&card) = by_ids.get(&(c.deck.as_str(), c.card.as_str())) {
            incoming.states.push((card, c.progress()));
        }
    }
    if !all.buried.is_empty() {
        let until = crate::schedule::day_end(&chrono::Local::now(), settings.day_starts_at);
        for (deck, card) in &all.buried {
            if let Some(&c) = by_ids.get(&(deck.as_str(), card.as_str())) {
                incoming.buried.push((c, until));
            }
        }
    }
    incoming
}

/// Adds `next` to `all`: a deck with an id seen before gets the new cards (a card with an id
/// seen before replaces it). The reviews of `next` are moved to the positions their cards take
/// in `all`.
fn merge(all: &mut Gathered, next: Gathered) {
    // For each deck of `next`: its index in `all`, and each of its cards' index there.
    let mut moved: Vec<(u32, Vec<u32>)> = Vec::with_capacity(next.decks.len());
    let index_of = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    for deck in next.decks {
        let Some(at) = all.decks.iter().position(|d| d.id == deck.id) else {
            let places = (0..deck.cards.len()).map(index_of).collect();
            all.decks.push(deck);
            moved.push((index_of(all.decks.len() - 1), places));
            continue;
        };
        let existing = &mut all.decks[at];
        let index: HashMap<String, usize> = existing
            .cards
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        let mut places = Vec::with_capacity(deck.cards.len());
        for mut card in deck.cards {
            if let Some(&i) = index.get(&card.id) {
                if !deck.carries_images && card.image.is_none() {
                    card.image = existing.cards[i].image.take();
                }
                existing.cards[i] = card;
                places.push(index_of(i));
            } else {
                existing.cards.push(card);
                places.push(index_of(existing.cards.len() - 1));
            }
        }
        existing.media.extend(deck.media);
        existing.carries_images |= deck.carries_images;
        moved.push((index_of(at), places));
    }
    all.reviews.reserve(next.reviews.len());
    all.reviews
        .extend(next.reviews.into_iter().filter_map(|mut r| {
            let (deck, places) = moved.get(r.deck as usize)?;
            r.card = *places.get(r.card as usize)?;
            r.deck = *deck;
            Some(r)
        }));
    all.suspended.extend(next.suspended);
    all.buried.extend(next.buried);
    for (reason, n) in next.skipped {
        *all.skipped.entry(reason).or_default() += n;
    }
    all.pictures_skipped.extend(next.pictures_skipped);
    all.header_rows.extend(next.header_rows);
}

struct Planned {
    deck: Deck,
    report: DeckReport,
    changed: bool,
}

/// The deck to write for `gathered`: the deck already at `dest` (if any) with the imported
/// cards updated in place and new ones appended. Cards flashdrill's checks refuse are left out
/// and counted.
fn plan_deck(
    gathered: &GatheredDeck,
    dest: &Path,
    report: &mut ImportReport,
) -> Result<Planned, ImportError> {
    let existing = if dest.exists() {
        let bytes = fs::read(dest).map_err(|e| ImportError::Read {
            file: dest.to_path_buf(),
            message: e.to_string(),
        })?;
        Some(parse_deck(dest, &bytes).map_err(|e| {
            ImportError::ExistingDeck {
                path: dest.to_path_buf(),
                detail: e
                    .problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            }
        })?)
    } else {
        None
    };
    let created = existing.is_none();
    let mut deck = existing.unwrap_or_else(|| Deck {
        format: FORMAT_V1.to_owned(),
        id: gathered.id.clone(),
        title: gathered.title.clone(),
        description: None,
        source: Source {
            title: gathered.source_title.clone(),
            author: gathered.source_author.clone(),
            url: None,
        },
        cards: Vec::new(),
    });
    let cards = checked_cards(&gathered.cards, report);
    let index: HashMap<String, usize> = deck
        .cards
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i))
        .collect();
    let (mut added, mut updated, mut unchanged) = (0, 0, 0);
    for mut card in cards {
        if !gathered.carries_images
            && card.image.is_none()
            && let Some(&i) = index.get(&card.id)
        {
            card.image.clone_from(&deck.cards[i].image);
        }
        match index.get(&card.id) {
            Some(&i) if deck.cards[i] == card => unchanged += 1,
            Some(&i) => {
                deck.cards[i] = card;
                updated += 1;
            }
            None => {
                deck.cards.push(card);
                added += 1;
            }
        }
    }
    Ok(Planned {
        report: DeckReport {
            id: deck.id.clone(),
            title: deck.title.clone(),
            path: dest.to_path_buf(),
            created,
            added,
            updated,
            unchanged,
        },
        changed: created || added + updated > 0,
        deck,
    })
}

/// The cards that pass flashdrill's checks on their own (in a one-card deck); the others are
/// counted in the report's skipped list with the first problem found.
fn checked_cards(cards: &[Card], report: &mut ImportReport) -> Vec<Card> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(cards.len());
    let mut probe = Deck {
        format: FORMAT_V1.to_owned(),
        id: "probe".to_owned(),
        title: "probe".to_owned(),
        description: None,
        source: Source {
            title: "probe".to_owned(),
            author: "probe".to_owned(),
            url: None,
        },
        cards: Vec::with_capacity(1),
    };
    for card in cards {
        if !seen.insert(card.id.clone()) {
            *report
                .skipped
                .entry("card listed twice (the first was kept)".to_owned())
                .or_default() += 1;
            continue;
        }
        probe.cards.clear();
        probe.cards.push(card.clone());
        let problems = validate(&probe);
        match problems.first() {
            None => out.push(probe.cards.pop().unwrap_or_else(|| card.clone())),
            Some(Problem::Card { issue, .. }) => {
                *report
                    .skipped
                    .entry(format!("card flashdrill cannot use: {issue}"))
                    .or_default() += 1;
            }
            Some(other) => {
                *report
                    .skipped
                    .entry(format!("card flashdrill cannot use: {other}"))
                    .or_default() += 1;
            }
        }
    }
    out
}
