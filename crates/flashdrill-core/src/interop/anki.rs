//! Reading Anki packages (`.apkg`, `.colpkg`): the zip, the collection inside it (schema 11 or
//! 18), the media, and the review log.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use rusqlite::{Connection, OpenFlags, params};
use zip::ZipArchive;

use super::html::{cloze_card, cloze_numbers, html_to_text, image_sources, sound_count};
use super::ids::{anki_card_id, deck_slug, deck_title};
use super::proto;
use super::{
    Gathered, GatheredDeck, GatheredReview, ImportError, Limits, PictureProblem, SkippedPicture,
    Ticker, is_safe_media_name,
};
use crate::deck::Card;
use crate::schedule::{CardState, Rating};
use crate::store::export::ExportedCard;

/// The guid prefix of notes flashdrill exports: `fd:<card id>`. Importing such a note gives its
/// card back its id, so a deck taken to Anki and back keeps its progress.
pub(crate) const EXPORTED_GUID_PREFIX: &str = "fd:";

/// The newest package format (`meta` version) this reader knows.
const KNOWN_META: u64 = 3;
/// The newest collection schema this reader knows.
const KNOWN_SCHEMA: u64 = 18;

/// Which collection file a package holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// `collection.anki2`, schema 11.
    Legacy1,
    /// `collection.anki21`, schema 11.
    Legacy2,
    /// `collection.anki21b`, zstd-compressed, schema 18.
    Latest,
}

impl Layout {
    fn entry(self) -> &'static str {
        match self {
            Self::Legacy1 => "collection.anki2",
            Self::Legacy2 => "collection.anki21",
            Self::Latest => "collection.anki21b",
        }
    }
}

/// A zip opened with its limits, counting every byte decompressed from it.
struct Package<'a> {
    file: &'a Path,
    zip: ZipArchive<File>,
    /// The most bytes its entries may decompress to, together ([`Limits::budget_for`]).
    budget: u64,
    read_so_far: u64,
    /// The largest picture taken ([`Limits::max_image_bytes`]).
    max_image_bytes: u64,
}

impl Package<'_> {
    fn too_large(&self) -> ImportError {
        ImportError::TooLarge {
            file: self.file.to_path_buf(),
            what: "the package decompresses to more bytes than a package of its size can hold"
                .to_owned(),
            limit: self.budget,
        }
    }

    fn bad_entry(&self, entry: &str, detail: impl std::fmt::Display) -> ImportError {
        ImportError::BadEntry {
            file: self.file.to_path_buf(),
            entry: entry.to_owned(),
            detail: detail.to_string(),
        }
    }

    fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// Copies entry `name` to `out` (decompressing zstd when `zstd` is set), within the limit.
    fn copy_entry(
        &mut self,
        name: &str,
        zstd: bool,
        out: &mut dyn Write,
    ) -> Result<u64, ImportError> {
        self.copy_entry_within(name, zstd, out, u64::MAX)?
            .ok_or_else(|| self.too_large())
    }

    /// Copies entry `name` to `out` as [`Self::copy_entry`] does, but stops after `cap` bytes:
    /// `None` when the entry holds more than that (`out` then holds the first `cap + 1`).
    fn copy_entry_within(
        &mut self,
        name: &str,
        zstd: bool,
        out: &mut dyn Write,
        cap: u64,
    ) -> Result<Option<u64>, ImportError> {
        let budget = self.budget.saturating_sub(self.read_so_far);
        let limit = budget.min(cap);
        let file = self.file.to_path_buf();
        let entry = self.zip.by_name(name).map_err(|e| ImportError::BadEntry {
            file: file.clone(),
            entry: name.to_owned(),
            detail: e.to_string(),
        })?;
        let copied = if zstd {
            let decoder =
                zstd::stream::read::Decoder::new(entry).map_err(|e| ImportError::BadEntry {
                    file: file.clone(),
                    entry: name.to_owned(),
                    detail: format!("not zstd data: {e}"),
                })?;
            io::copy(&mut decoder.take(limit.saturating_add(1)), out)
        } else {
            io::copy(&mut entry.take(limit.saturating_add(1)), out)
        }
        .map_err(|e| ImportError::BadEntry {
            file: file.clone(),
            entry: name.to_owned(),
            detail: e.to_string(),
        })?;
        if copied > budget {
            return Err(self.too_large());
        }
        self.read_so_far += copied;
        Ok((copied <= limit).then_some(copied))
    }

    fn read_entry(&mut self, name: &str, zstd: bool) -> Result<Vec<u8>, ImportError> {
        let mut bytes = Vec::new();
        self.copy_entry(name, zstd, &mut bytes)?;
        Ok(bytes)
    }
}

/// Opens `path` as a zip and checks its entry count.
fn open_package(path: &Path, limits: Limits) -> Result<Package<'_>, ImportError> {
    let file = File::open(path).map_err(|e| ImportError::Read {
        file: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let zip = ZipArchive::new(file).map_err(|e| ImportError::NotAPackage {
        file: path.to_path_buf(),
        detail: format!("it is not a zip file: {e}"),
    })?;
    if zip.len() > limits.max_entries {
        return Err(ImportError::TooLarge {
            file: path.to_path_buf(),
            what: format!("the package lists {} files", zip.len()),
            limit: limits.max_entries as u64,
        });
    }
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    Ok(Package {
        file: path,
        zip,
        budget: limits.budget_for(size),
        read_so_far: 0,
        max_image_bytes: limits.max_image_bytes,
    })
}

/// Which layout the package has: from `meta` when there is one, else the newest collection
/// file present.
fn layout(pkg: &mut Package<'_>) -> Result<Layout, ImportError> {
    if pkg.has("meta") {
        let bytes = pkg.read_entry("meta", false)?;
        let version = proto::package_version(&bytes)
            .map_err(|e| pkg.bad_entry("meta", format!("not a package description: {e}")))?;
        return match version {
            0 | 1 => Ok(Layout::Legacy1),
            2 => Ok(Layout::Legacy2),
            3 => Ok(Layout::Latest),
            found => Err(ImportError::NewerAnki {
                file: pkg.file.to_path_buf(),
                what: "the package".to_owned(),
                found,
                known: KNOWN_META,
            }),
        };
    }
    for layout in [Layout::Latest, Layout::Legacy2, Layout::Legacy1] {
        if pkg.has(layout.entry()) {
            return Ok(layout);
        }
    }
    Err(ImportError::NotAPackage {
        file: pkg.file.to_path_buf(),
        detail: "it holds no Anki collection (collection.anki21b, .anki21 or .anki2)".to_owned(),
    })
}

/// A note type: whether it is a cloze type.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct NoteType {
    pub cloze: bool,
}

/// What the collection says about one note.
pub(crate) struct Note {
    pub guid: String,
    pub mid: i64,
    pub tags: Vec<String>,
    pub fields: Vec<String>,
}

/// Reads a package into decks, reviews and flags; images go to `staging`.
pub(crate) fn read_package(
    path: &Path,
    staging: &Path,
    limits: Limits,
    reserved: &[String],
    ticker: &Ticker<'_>,
) -> Result<Gathered, ImportError> {
    ticker.report(0.0, format!("Opening {}", crate::file_name(path)));
    let mut pkg = open_package(path, limits)?;
    let layout = layout(&mut pkg)?;
    let entry = layout.entry();
    if !pkg.has(entry) {
        return Err(pkg.bad_entry(entry, "the collection named by meta is missing"));
    }
    // SQLite needs a file: decompress the collection into the staging folder.
    let db_path = staging.join("collection.sqlite");
    {
        let mut out = File::create(&db_path).map_err(|e| ImportError::Write {
            path: db_path.clone(),
            message: e.to_string(),
        })?;
        pkg.copy_entry(entry, layout == Layout::Latest, &mut out)?;
    }
    ticker.check()?;
    let db_err = |detail: String| ImportError::Database {
        file: path.to_path_buf(),
        entry: entry.to_owned(),
        detail,
    };
    let conn = open_collection(&db_path).map_err(|e| db_err(e.to_string()))?;
    // The whole-file check runs on a second connection while this one reads; a collection
    // that fails it is refused whatever the reading found.
    let (check, read) = std::thread::scope(|scope| {
        let check = scope.spawn(|| -> rusqlite::Result<String> {
            open_collection(&db_path)?.query_row("PRAGMA quick_check", [], |r| r.get(0))
        });
        let read = read_collection(
            &mut pkg,
            &conn,
            (path, entry, layout),
            staging,
            reserved,
            ticker,
        );
        let check = check
            .join()
            .unwrap_or_else(|_| Ok("the check stopped unexpectedly".to_owned()));
        (check, read)
    });
    match check {
        Ok(check) if check == "ok" => {}
        Ok(check) => return Err(db_err(check)),
        Err(e) => return Err(db_err(e.to_string())),
    }
    let gathered = read?;
    drop(conn);
    let _ = std::fs::remove_file(&db_path);
    ticker.report(1.0, format!("Read {}", crate::file_name(path)));
    Ok(gathered)
}

/// Reads the opened collection of the package at `path` (its `entry`, of `layout`) into decks,
/// reviews and flags; images go to `staging`.
fn read_collection(
    pkg: &mut Package<'_>,
    conn: &Connection,
    (path, entry, layout): (&Path, &str, Layout),
    staging: &Path,
    reserved: &[String],
    ticker: &Ticker<'_>,
) -> Result<Gathered, ImportError> {
    let db_err = |detail: String| ImportError::Database {
        file: path.to_path_buf(),
        entry: entry.to_owned(),
        detail,
    };
    let version: i64 = conn
        .query_row("SELECT ver FROM col", [], |r| r.get(0))
        .map_err(|e| db_err(e.to_string()))?;
    let version = u64::try_from(version).unwrap_or(0);
    if version > KNOWN_SCHEMA {
        return Err(ImportError::NewerAnki {
            file: path.to_path_buf(),
            what: format!("the collection in entry \"{entry}\""),
            found: version,
            known: KNOWN_SCHEMA,
        });
    }
    let modern = table_exists(conn, "notetypes").map_err(|e| db_err(e.to_string()))?;
    let (types, deck_names) = if modern {
        (
            note_types_18(conn).map_err(db_err)?,
            decks_18(conn).map_err(|e| db_err(e.to_string()))?,
        )
    } else {
        schema_11(conn).map_err(db_err)?
    };
    let media_names = media_map(pkg, layout)?;
    ticker.report(
        0.1,
        format!("Reading the notes of {}", crate::file_name(path)),
    );
    let notes = read_notes(conn).map_err(|e| db_err(e.to_string()))?;
    ticker.check()?;

    let mut gathered = Gathered::default();
    let mut decks: Vec<GatheredDeck> = Vec::new();
    let mut deck_index: HashMap<i64, usize> = HashMap::new();
    // Anki card id → (deck index, card index).
    let mut card_index: HashMap<i64, (u32, u32)> = HashMap::with_capacity(notes.len() * 2);
    let mut taken_ids: HashSet<String> = reserved.iter().cloned().collect();
    let mut images_wanted: HashMap<String, Vec<(usize, String)>> = HashMap::new();
    let mut sounds = 0usize;
    let mut sounds_seen: HashSet<i64> = HashSet::new();
    let now = chrono::Utc::now();
    {
        let mut stmt = conn
            .prepare(
                "SELECT id, nid, CASE WHEN odid != 0 THEN odid ELSE did END, ord, queue \
                 FROM cards ORDER BY nid, ord",
            )
            .map_err(|e| db_err(e.to_string()))?;
        let mut rows = stmt.query([]).map_err(|e| db_err(e.to_string()))?;
        let mut n = 0usize;
        while let Some(row) = rows.next().map_err(|e| db_err(e.to_string()))? {
            n += 1;
            if n.is_multiple_of(2048) {
                ticker.check()?;
                ticker.report(
                    0.1 + 0.4 * (n as f32 / (notes.len().max(1) as f32 * 1.5)).min(1.0),
                    format!("Reading the cards of {}", crate::file_name(path)),
                );
            }
            let cid: i64 = row.get(0).map_err(|e| db_err(e.to_string()))?;
            let nid: i64 = row.get(1).map_err(|e| db_err(e.to_string()))?;
            let did: i64 = row.get(2).map_err(|e| db_err(e.to_string()))?;
            let ord: i64 = row.get(3).map_err(|e| db_err(e.to_string()))?;
            let queue: i64 = row.get(4).map_err(|e| db_err(e.to_string()))?;
            let Some(note) = notes.get(&nid) else {
                gathered.skip("card whose note is missing from the package", 1);
                continue;
            };
            let ord = u32::try_from(ord).map_err(|_| ImportError::Note {
                file: path.to_path_buf(),
                note: nid.to_string(),
                detail: format!("card {cid} has the impossible ordinal {ord}"),
            })?;
            let kind = types.get(&note.mid).copied().unwrap_or_default();
            if sounds_seen.insert(nid) {
                sounds += note.fields.iter().map(|f| sound_count(f)).sum::<usize>();
            }
            let Some((card, image)) = make_card(note, kind, ord) else {
                gathered.skip("card with an empty question or answer", 1);
                continue;
            };
            let di = *deck_index.entry(did).or_insert_with(|| {
                let name = deck_names
                    .get(&did)
                    .cloned()
                    .unwrap_or_else(|| format!("Anki deck {did}"));
                let mut id = deck_slug(&name.replace('\u{1f}', "::"));
                if taken_ids.contains(&id) {
                    id = format!("{id}-imported");
                }
                let mut n = 2;
                let base = id.clone();
                while taken_ids.contains(&id) {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                taken_ids.insert(id.clone());
                decks.push(GatheredDeck {
                    id,
                    title: deck_title(&name),
                    source_title: deck_title(&name),
                    source_author: "Anki".to_owned(),
                    cards: Vec::new(),
                    media: Vec::new(),
                    carries_images: true,
                });
                decks.len() - 1
            });
            let deck = &mut decks[di];
            if let Some(image) = image {
                images_wanted
                    .entry(image)
                    .or_default()
                    .push((di, card.id.clone()));
            }
            match queue {
                -1 => gathered
                    .suspended
                    .push(suspended_card(&deck.id, &card.id, now)),
                -2 | -3 => gathered.buried.push((deck.id.clone(), card.id.clone())),
                _ => {}
            }
            card_index.insert(cid, (di as u32, deck.cards.len() as u32));
            deck.cards.push(card);
        }
    }
    drop(notes);
    gathered.skip("sound reference (sounds are not played)", sounds);
    ticker.check()?;

    // Images: stage the ones cards show. A card whose picture is missing from the package, is
    // no picture flashdrill shows, or is too large comes in without it, and the picture is
    // named in the report with why.
    ticker.report(
        0.55,
        format!("Copying the images of {}", crate::file_name(path)),
    );
    let mut staged_names: HashSet<(usize, String)> = HashSet::new();
    let mut wanted: Vec<(String, Vec<(usize, String)>)> = images_wanted.into_iter().collect();
    wanted.sort();
    for (name, users) in wanted {
        let problem = match media_names.get(&name) {
            None => Some(PictureProblem::Missing),
            Some(zip_name) => {
                let staged = staging.join(format!("media-{}", staged_names.len()));
                let mut out = Head::new(File::create(&staged).map_err(|e| ImportError::Write {
                    path: staged.clone(),
                    message: e.to_string(),
                })?);
                let cap = pkg.max_image_bytes;
                let copied =
                    pkg.copy_entry_within(zip_name, layout == Layout::Latest, &mut out, cap)?;
                let problem = match copied {
                    None => Some(PictureProblem::TooLarge { limit: cap }),
                    Some(_) => picture_problem(&name, &out.head),
                };
                drop(out);
                if problem.is_none() {
                    for (di, _) in &users {
                        if staged_names.insert((*di, name.clone())) {
                            decks[*di].media.push((name.clone(), staged.clone()));
                        }
                    }
                } else {
                    let _ = std::fs::remove_file(&staged);
                }
                problem
            }
        };
        if let Some(reason) = problem {
            for (di, card_id) in &users {
                if let Some(card) = decks[*di].cards.iter_mut().find(|c| &c.id == card_id) {
                    card.image = None;
                }
            }
            gathered.pictures_skipped.push(SkippedPicture {
                file: path.to_path_buf(),
                name,
                reason,
                cards: users.len(),
            });
        }
        ticker.check()?;
    }

    ticker.report(
        0.6,
        format!("Reading the review history of {}", crate::file_name(path)),
    );
    read_revlog(conn, path, entry, &card_index, &mut gathered, ticker)?;
    gathered.decks = decks;
    Ok(gathered)
}

fn suspended_card(deck: &str, card: &str, now: chrono::DateTime<chrono::Utc>) -> ExportedCard {
    ExportedCard::new(
        deck.to_owned(),
        card.to_owned(),
        &CardState::new_card(now),
        true,
    )
}

/// A writer that keeps the first bytes written through it, to tell what kind of file they
/// start.
struct Head<W> {
    inner: W,
    head: Vec<u8>,
}

impl<W> Head<W> {
    /// How many first bytes are kept: enough for an SVG's `<svg` after an XML prologue.
    const KEEP: usize = 512;

    fn new(inner: W) -> Self {
        Self {
            inner,
            head: Vec::with_capacity(Self::KEEP),
        }
    }
}

impl<W: Write> Write for Head<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        let room = Self::KEEP.saturating_sub(self.head.len());
        self.head.extend_from_slice(&buf[..n.min(room)]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Why the file `name`, which starts with `head`, cannot be a card's picture; `None` for a
/// PNG, JPEG, GIF or WebP (what the app draws).
fn picture_problem(name: &str, head: &[u8]) -> Option<PictureProblem> {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(b"\x89PNG\r\n\x1a\n")
        || starts(&[0xff, 0xd8, 0xff])
        || starts(b"GIF87a")
        || starts(b"GIF89a")
        || (starts(b"RIFF") && head.get(8..12) == Some(b"WEBP"))
    {
        return None;
    }
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let brand = head.get(4..12);
    let what = if starts(b"BM") {
        "a BMP picture"
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        "a TIFF picture"
    } else if starts(&[0, 0, 1, 0]) {
        "an icon (ICO)"
    } else if brand == Some(b"ftypavif") || brand == Some(b"ftypavis") {
        "an AVIF picture"
    } else if brand.is_some_and(|b| b.starts_with(b"ftyphei") || b.starts_with(b"ftypmif1")) {
        "a HEIC picture"
    } else if text.starts_with("<svg")
        || (text.starts_with('<') && text.contains("<svg"))
        || (name.to_ascii_lowercase().ends_with(".svg") && text.starts_with('<'))
    {
        "an SVG drawing"
    } else {
        return Some(PictureProblem::NotAPicture);
    };
    Some(PictureProblem::Unshown { what })
}

/// The flashdrill card for card `ord` of `note`, and the image it shows; `None` when its
/// question or answer is empty.
pub(crate) fn make_card(note: &Note, kind: NoteType, ord: u32) -> Option<(Card, Option<String>)> {
    let field = |i: usize| note.fields.get(i).map_or("", String::as_str);
    let (prompt_html, answer_html, prompt, answer, cloze, explanation, source) = if kind.cloze {
        let text = field(0);
        let c = cloze_card(text, ord + 1);
        let revealed = html_to_text(&reveal_all(text));
        let extra = html_to_text(field(1));
        (
            text,
            "",
            c.prompt,
            c.answer,
            c.cloze,
            (!extra.is_empty()).then_some(extra),
            revealed,
        )
    } else {
        let (q, a) = if ord == 1 {
            (field(1), field(0))
        } else {
            (field(0), field(1))
        };
        let answer = html_to_text(a);
        (q, a, html_to_text(q), answer.clone(), None, None, answer)
    };
    let image = image_sources(prompt_html)
        .into_iter()
        .chain(image_sources(answer_html))
        .next();
    let prompt = if prompt.trim().is_empty() && image.is_some() {
        "What does the picture show?".to_owned()
    } else {
        prompt
    };
    if prompt.trim().is_empty() || answer.trim().is_empty() {
        return None;
    }
    let source = if source.trim().is_empty() {
        answer.clone()
    } else {
        source
    };
    // A note flashdrill exported keeps its card's id.
    let id = match note.guid.strip_prefix(EXPORTED_GUID_PREFIX) {
        Some(id) if ord == 0 && crate::deck::is_slug(id) => id.to_owned(),
        _ => anki_card_id(&note.guid, ord),
    };
    let card = Card {
        id,
        category: super::text::IMPORTED_CATEGORY.to_owned(),
        prompt,
        answer,
        accept: Vec::new(),
        distractors: Vec::new(),
        date: None,
        event: None,
        group: None,
        role: None,
        cloze,
        explanation,
        source,
        tags: note.tags.clone(),
        image: image.clone(),
    };
    Some((card, image))
}

/// Cloze text with every deletion replaced by its answer.
fn reveal_all(text: &str) -> String {
    let mut out = text.to_owned();
    for n in cloze_numbers(text) {
        // Replace each `{{cN::answer(::hint)}}` by its answer.
        let mut rebuilt = String::new();
        let mut rest = out.as_str();
        let open = format!("{{{{c{n}::");
        while let Some(i) = rest.find(&open) {
            rebuilt.push_str(&rest[..i]);
            let body = &rest[i + open.len()..];
            if let Some(end) = body.find("}}") {
                let inner = &body[..end];
                rebuilt.push_str(inner.split("::").next().unwrap_or(""));
                rest = &body[end + 2..];
            } else {
                rebuilt.push_str(&rest[i..]);
                rest = "";
            }
        }
        rebuilt.push_str(rest);
        out = rebuilt;
    }
    out
}

fn open_collection(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // Schema 18 sorts names with Anki's own collation; case-insensitive order is close enough.
    conn.create_collation("unicase", |a: &str, b: &str| {
        a.to_lowercase().cmp(&b.to_lowercase())
    })?;
    Ok(conn)
}

fn table_exists(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// Note types and deck names by id.
type TypesAndDecks = (HashMap<i64, NoteType>, HashMap<i64, String>);

/// Schema 11: note types and decks from the JSON in `col`.
fn schema_11(conn: &Connection) -> Result<TypesAndDecks, String> {
    let (models, decks): (String, String) = conn
        .query_row("SELECT models, decks FROM col", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(|e| e.to_string())?;
    let models: serde_json::Value =
        serde_json::from_str(&models).map_err(|e| format!("the note types are not JSON: {e}"))?;
    let decks: serde_json::Value =
        serde_json::from_str(&decks).map_err(|e| format!("the decks are not JSON: {e}"))?;
    let mut types = HashMap::new();
    for (id, m) in models.as_object().into_iter().flatten() {
        let id: i64 = id.parse().unwrap_or(0);
        let cloze = m.get("type").and_then(serde_json::Value::as_i64) == Some(1);
        types.insert(id, NoteType { cloze });
    }
    let mut names = HashMap::new();
    for (id, d) in decks.as_object().into_iter().flatten() {
        let id: i64 = id.parse().unwrap_or(0);
        if let Some(name) = d.get("name").and_then(serde_json::Value::as_str) {
            names.insert(id, name.to_owned());
        }
    }
    Ok((types, names))
}

/// Schema 18: note types from `notetypes` (kind is field 1 of the config message).
fn note_types_18(conn: &Connection) -> Result<HashMap<i64, NoteType>, String> {
    let mut stmt = conn
        .prepare("SELECT id, config FROM notetypes")
        .map_err(|e| e.to_string())?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
        .map_err(|e| e.to_string())?;
    let mut out = HashMap::new();
    for row in rows {
        let (id, config) = row.map_err(|e| e.to_string())?;
        let cloze = proto::is_cloze_notetype(&config)
            .map_err(|e| format!("the settings of note type {id} are damaged: {e}"))?;
        out.insert(id, NoteType { cloze });
    }
    Ok(out)
}

fn decks_18(conn: &Connection) -> rusqlite::Result<HashMap<i64, String>> {
    let mut stmt = conn.prepare("SELECT id, name FROM decks")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    rows.collect()
}

fn read_notes(conn: &Connection) -> rusqlite::Result<HashMap<i64, Note>> {
    let mut stmt = conn.prepare("SELECT id, guid, mid, tags, flds FROM notes")?;
    let rows = stmt.query_map([], |r| {
        let tags: String = r.get(3)?;
        let flds: String = r.get(4)?;
        Ok((
            r.get::<_, i64>(0)?,
            Note {
                guid: r.get(1)?,
                mid: r.get(2)?,
                tags: tags.split_whitespace().map(str::to_owned).collect(),
                fields: flds.split('\u{1f}').map(str::to_owned).collect(),
            },
        ))
    })?;
    rows.collect()
}

/// The media map: file name → zip entry. Every name must be safe, whether used or not.
fn media_map(
    pkg: &mut Package<'_>,
    layout: Layout,
) -> Result<HashMap<String, String>, ImportError> {
    if !pkg.has("media") {
        return Ok(HashMap::new());
    }
    let entries: Vec<(String, String)> = if layout == Layout::Latest {
        let bytes = pkg.read_entry("media", true)?;
        proto::media_entries(&bytes)
            .map_err(|e| pkg.bad_entry("media", format!("the media list is damaged: {e}")))?
            .into_iter()
            .map(|e| (e.name, e.zip_name))
            .collect()
    } else {
        let bytes = pkg.read_entry("media", false)?;
        let map: HashMap<String, String> = serde_json::from_slice(&bytes)
            .map_err(|e| pkg.bad_entry("media", format!("the media list is not JSON: {e}")))?;
        map.into_iter().map(|(zip, name)| (name, zip)).collect()
    };
    let mut out = HashMap::with_capacity(entries.len());
    for (name, zip_name) in entries {
        if !is_safe_media_name(&name) {
            return Err(ImportError::UnsafeMediaName {
                file: pkg.file.to_path_buf(),
                name,
            });
        }
        out.insert(name, zip_name);
    }
    Ok(out)
}

/// Streams the review log into `gathered.reviews` (cards by position, no strings): learning, review and relearning answers;
/// manual changes, rescheduling and filtered-deck (cram) answers are skipped and counted.
fn read_revlog(
    conn: &Connection,
    path: &Path,
    entry: &str,
    card_index: &HashMap<i64, (u32, u32)>,
    gathered: &mut Gathered,
    ticker: &Ticker<'_>,
) -> Result<(), ImportError> {
    let db_err = |e: rusqlite::Error| ImportError::Database {
        file: path.to_path_buf(),
        entry: entry.to_owned(),
        detail: e.to_string(),
    };
    let total: i64 = conn
        .query_row("SELECT count(*) FROM revlog", [], |r| r.get(0))
        .map_err(db_err)?;
    gathered
        .reviews
        .reserve(usize::try_from(total).unwrap_or(0));
    let mut stmt = conn
        .prepare("SELECT id, cid, ease, time, type FROM revlog")
        .map_err(db_err)?;
    let mut rows = stmt.query(params![]).map_err(db_err)?;
    let (mut manual, mut cram, mut unknown_card, mut bad) = (0, 0, 0, 0);
    let mut n = 0usize;
    while let Some(row) = rows.next().map_err(db_err)? {
        n += 1;
        if n.is_multiple_of(16384) {
            ticker.check()?;
            ticker.report(
                0.6 + 0.4 * n as f32 / total.max(1) as f32,
                format!("Reading the review history of {}", crate::file_name(path)),
            );
        }
        let id: i64 = row.get(0).map_err(db_err)?;
        let cid: i64 = row.get(1).map_err(db_err)?;
        let ease: i64 = row.get(2).map_err(db_err)?;
        let time: i64 = row.get(3).map_err(db_err)?;
        let kind: i64 = row.get(4).map_err(db_err)?;
        match kind {
            0..=2 => {}
            3 => {
                cram += 1;
                continue;
            }
            _ => {
                manual += 1;
                continue;
            }
        }
        let Some(rating) = u8::try_from(ease).ok().and_then(Rating::from_number) else {
            if ease == 0 {
                manual += 1;
            } else {
                bad += 1;
            }
            continue;
        };
        let Some(at) = chrono::DateTime::from_timestamp_millis(id) else {
            bad += 1;
            continue;
        };
        let Some(&(di, ci)) = card_index.get(&cid) else {
            unknown_card += 1;
            continue;
        };
        gathered.reviews.push(GatheredReview {
            deck: di,
            card: ci,
            at,
            rating,
            response_ms: u32::try_from(time).unwrap_or(0),
        });
    }
    gathered.skip("manual or rescheduling entry in the review history", manual);
    gathered.skip("filtered-deck (cram) review", cram);
    gathered.skip("review of a card that was not imported", unknown_card);
    gathered.skip("review with an impossible rating or time", bad);
    Ok(())
}

/// Where a path's bytes may be read from for the package reader's fuzz target: reads `bytes`
/// as a package (written to a temporary file) and returns whether it imported. Never panics.
#[doc(hidden)]
#[must_use]
pub fn fuzz_read(bytes: &[u8]) -> bool {
    let Ok(dir) = tempfile::tempdir() else {
        return false;
    };
    let file = dir.path().join("fuzz.apkg");
    if std::fs::write(&file, bytes).is_err() {
        return false;
    }
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let progress = |_| {};
    let ticker = Ticker {
        progress: &progress,
        cancel: &cancel,
        start: 0.0,
        width: 1.0,
    };
    let limits = Limits {
        max_entries: 1000,
        max_total_bytes: 64 * 1024 * 1024,
        ..Limits::default()
    };
    read_package(&file, dir.path(), limits, &[], &ticker).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(fields: &[&str]) -> Note {
        Note {
            guid: "g".into(),
            mid: 1,
            tags: vec!["t".into()],
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        }
    }

    #[test]
    fn pictures_are_told_by_their_first_bytes_not_their_names() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(picture_problem("a.png", png), None);
        assert_eq!(picture_problem("a.jpg", &[0xff, 0xd8, 0xff, 0xe0]), None);
        assert_eq!(picture_problem("a.gif", b"GIF89a\x01\0"), None);
        assert_eq!(picture_problem("a.webp", b"RIFF\x24\0\0\0WEBPVP8 "), None);
        // A PNG's name on something else.
        assert_eq!(
            picture_problem("huge.png", b"<html><body>404</body></html>"),
            Some(PictureProblem::NotAPicture)
        );
        assert_eq!(
            picture_problem("a.png", b"RIFF\x24\0\0\0WAVEfmt "),
            Some(PictureProblem::NotAPicture)
        );
        assert_eq!(
            picture_problem("empty.png", b""),
            Some(PictureProblem::NotAPicture)
        );
        let unshown = |name: &str, head: &[u8]| match picture_problem(name, head) {
            Some(PictureProblem::Unshown { what }) => what,
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(unshown("d.svg", b"<svg xmlns="), "an SVG drawing");
        assert_eq!(
            unshown("d.svg", b"<?xml version=\"1.0\"?>\n<!-- x -->\n<svg width="),
            "an SVG drawing"
        );
        assert_eq!(unshown("d.svg", b"<!DOCTYPE x>"), "an SVG drawing");
        assert_eq!(unshown("b.bmp", b"BM\x36\0"), "a BMP picture");
        assert_eq!(unshown("t.tif", b"II*\0"), "a TIFF picture");
        assert_eq!(unshown("p.heic", b"\0\0\0\x18ftypheic"), "a HEIC picture");
        assert_eq!(unshown("p.avif", b"\0\0\0\x1cftypavif"), "an AVIF picture");
    }

    #[test]
    fn a_picture_s_head_is_kept_as_it_is_written() {
        let mut out = Head::new(Vec::new());
        out.write_all(&[7; 300]).unwrap();
        out.write_all(&[8; 300]).unwrap();
        assert_eq!(out.inner.len(), 600);
        assert_eq!(out.head.len(), Head::<Vec<u8>>::KEEP);
        assert_eq!(out.head[299..301], [7, 8]);
    }

    #[test]
    fn cloze_notes_reveal_every_deletion_in_the_source() {
        assert_eq!(
            reveal_all("{{c1::Rome}} is in {{c2::Italy::country}}."),
            "Rome is in Italy."
        );
        let (card, image) = make_card(
            &note(&["{{c2::Rome}} <img src=\"r.png\">", ""]),
            NoteType { cloze: true },
            1,
        )
        .unwrap();
        assert_eq!(card.prompt, "[…]");
        assert_eq!(card.source, "Rome");
        assert_eq!(card.explanation, None);
        assert_eq!(image.as_deref(), Some("r.png"));
    }

    #[test]
    fn notes_without_a_question_or_answer_give_no_card() {
        let basic = NoteType { cloze: false };
        assert!(make_card(&note(&["Q", " <br> "]), basic, 0).is_none());
        assert!(make_card(&note(&["only one field"]), basic, 0).is_none());
        let (card, _) = make_card(&note(&["<img src=\"a.png\">", "A"]), basic, 0).unwrap();
        assert_eq!(card.prompt, "What does the picture show?");
        assert_eq!(card.image.as_deref(), Some("a.png"));
        // A note flashdrill exported gets its card's id back.
        let mut exported = note(&["Q", "A"]);
        exported.guid = "fd:my-card".into();
        assert_eq!(make_card(&exported, basic, 0).unwrap().0.id, "my-card");
        assert_ne!(make_card(&exported, basic, 1).unwrap().0.id, "my-card");
    }
}
