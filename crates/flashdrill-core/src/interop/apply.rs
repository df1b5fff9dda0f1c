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
use crate::store::Store;
use crate::store::export::{PROGRESS_FORMAT, ProgressFile};

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
        ..ImportReport::default()
    };
    let mut pending: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut kept: HashMap<String, HashSet<String>> = HashMap::new();
    let cleanup = |pending: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in pending {
            let _ = fs::remove_file(tmp);
        }
    };
    for gathered in &all.decks {
        let dest = decks_dir.join(format!("{}.json", gathered.id));
        let planned = match plan_deck(gathered, &dest, &mut report) {
            Ok(p) => p,
            Err(e) => {
                cleanup(&pending);
                return Err(e);
            }
        };
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
            let mut json = serde_json::to_string_pretty(&planned.deck).unwrap_or_default();
            json.push('\n');
            let written = fs::File::create(&tmp).and_then(|mut f| {
                f.write_all(json.as_bytes())?;
                f.sync_all()
            });
            if let Err(e) = written {
                let _ = fs::remove_file(&tmp);
                cleanup(&pending);
                return Err(write_err(&tmp, &e));
            }
            pending.push((tmp, dest));
        }
        report.decks.push(planned.report);
    }
    if let Err(e) = ticker.check() {
        cleanup(&pending);
        return Err(e);
    }

    // 3. The review history, in one transaction.
    let is_kept = |deck: &str, card: &str| kept.get(deck).is_some_and(|c| c.contains(card));
    all.reviews.retain(|r| is_kept(&r.deck, &r.card));
    all.suspended.retain(|c| is_kept(&c.deck, &c.card));
    let settings = match store.load_settings() {
        Ok(s) => s,
        Err(e) => {
            cleanup(&pending);
            return Err(ImportError::Store(e.into()));
        }
    };
    if !all.reviews.is_empty() || !all.suspended.is_empty() {
        ticker.report(0.2, format!("Saving {} reviews", all.reviews.len()));
        let file = ProgressFile {
            format: PROGRESS_FORMAT.to_owned(),
            reviews: std::mem::take(&mut all.reviews),
            cards: std::mem::take(&mut all.suspended),
        };
        match store.import_progress(&file, &settings) {
            Ok(summary) => {
                report.reviews_added = summary.reviews_added;
                report.reviews_already_present = summary.reviews_skipped;
                report.cards_rebuilt = summary.cards_rebuilt;
            }
            Err(e) => {
                cleanup(&pending);
                return Err(ImportError::Store(e));
            }
        }
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
    if !all.buried.is_empty() {
        let now = chrono::Utc::now();
        let until = crate::schedule::day_end(&chrono::Local::now(), settings.day_starts_at);
        for (deck, card) in &all.buried {
            if is_kept(deck, card) {
                store
                    .bury(deck, card, Some(until), now)
                    .map_err(|e| ImportError::Store(e.into()))?;
            }
        }
    }
    ticker.report(1.0, "Done");
    Ok(report)
}

/// Adds `next` to `all`: a deck with an id seen before gets the new cards (a card with an id
/// seen before replaces it).
fn merge(all: &mut Gathered, next: Gathered) {
    for deck in next.decks {
        match all.decks.iter_mut().find(|d| d.id == deck.id) {
            Some(existing) => {
                let index: HashMap<String, usize> = existing
                    .cards
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (c.id.clone(), i))
                    .collect();
                for mut card in deck.cards {
                    match index.get(&card.id) {
                        Some(&i) => {
                            if !deck.carries_images && card.image.is_none() {
                                card.image = existing.cards[i].image.take();
                            }
                            existing.cards[i] = card;
                        }
                        None => existing.cards.push(card),
                    }
                }
                existing.media.extend(deck.media);
                existing.carries_images |= deck.carries_images;
            }
            None => all.decks.push(deck),
        }
    }
    all.reviews.extend(next.reviews);
    all.suspended.extend(next.suspended);
    all.buried.extend(next.buried);
    for (reason, n) in next.skipped {
        *all.skipped.entry(reason).or_default() += n;
    }
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
