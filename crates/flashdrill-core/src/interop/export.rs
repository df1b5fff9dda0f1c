//! Exporting one deck: an Anki package in the schema-11 layout (`collection.anki2` + a JSON
//! media map, which every current Anki imports), or Anki's plain text.

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde_json::json;
use zip::write::SimpleFileOptions;

use super::ImportError;
use super::anki::EXPORTED_GUID_PREFIX;
use crate::deck::{Card, Deck, media_dir};
use crate::domain::CardProgress;
use crate::schedule::{CardState, State};
use crate::store::{Mode, Store};

/// How to export.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExportOptions {
    /// Include each card's review history (as revlog entries) and its due state.
    pub with_progress: bool,
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportReport {
    pub notes: usize,
    pub reviews: usize,
    pub media: usize,
    /// Cards whose image file was not found in the media folder (exported without it).
    pub missing_images: usize,
}

const BASIC_ID: i64 = 1_342_697_561_419;
const CLOZE_ID: i64 = 1_342_697_561_420;
const DECK_ID: i64 = 1_342_697_561_500;

fn export_err(out: &Path, detail: impl std::fmt::Display) -> ImportError {
    ImportError::Export {
        file: out.to_path_buf(),
        detail: detail.to_string(),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', "<br>")
}

/// An Anki tag for a flashdrill tag (Anki tags hold no spaces).
fn anki_tag(tag: &str) -> String {
    tag.split_whitespace().collect::<Vec<_>>().join("_")
}

/// The deck's name in Anki: its title with " — " back to Anki's "::".
fn anki_deck_name(deck: &Deck) -> String {
    deck.title.replace(" — ", "::")
}

/// The card's cloze as Anki writes it, `{{c1::answer::hint}}`, each piece of text passed
/// through `text` (HTML escaping for packages). The hint is read back from the prompt's blank
/// (an Anki cloze imported as "…capital of [country]." keeps "country"); "[…]" has none.
fn anki_cloze(card: &Card, text: impl Fn(&str) -> String) -> Option<String> {
    let cloze = card.cloze.as_deref()?;
    let start = cloze.find("{{")?;
    let len = cloze[start..].find("}}")?;
    let (before, answer, after) = (
        &cloze[..start],
        &cloze[start + 2..start + len],
        &cloze[start + len + 2..],
    );
    let hint = card
        .prompt
        .strip_prefix(before)
        .and_then(|rest| rest.strip_suffix(after))
        .and_then(|blank| blank.strip_prefix('[')?.strip_suffix(']'))
        .filter(|hint| !hint.is_empty() && *hint != "…" && *hint != "...")
        .map(|hint| format!("::{}", text(hint)))
        .unwrap_or_default();
    Some(format!(
        "{}{{{{c1::{}{hint}}}}}{}",
        text(before),
        text(answer),
        text(after)
    ))
}

/// The note of one card: (is cloze, fields).
fn note_fields(card: &Card, image: Option<&str>) -> (bool, Vec<String>) {
    let img =
        image.map(|name| format!("<br><img src=\"{}\">", escape(name).replace('"', "&quot;")));
    if let Some(text) = anki_cloze(card, escape) {
        let extra = card.explanation.as_deref().map(escape).unwrap_or_default();
        return (true, vec![text + img.as_deref().unwrap_or(""), extra]);
    }
    (
        false,
        vec![
            escape(&card.prompt) + img.as_deref().unwrap_or(""),
            escape(&card.answer),
        ],
    )
}

/// Writes `deck` as an Anki package at `out` (through a temporary file, renamed at the end).
/// Images are read from the deck's media folder beside `deck_path`. With
/// `options.with_progress`, `store` gives each card's srs history (as revlog entries) and its
/// due state; without it every card is new.
pub fn export_apkg(
    deck: &Deck,
    deck_path: Option<&Path>,
    store: Option<&Store>,
    options: ExportOptions,
    out: &Path,
) -> Result<ExportReport, ImportError> {
    let dir = tempfile::tempdir().map_err(|e| export_err(out, e))?;
    let db_path = dir.path().join("collection.anki2");
    let mut report = ExportReport::default();
    let media_folder = deck_path.map(media_dir);
    let mut media: BTreeMap<String, PathBuf> = BTreeMap::new();
    {
        let mut conn = Connection::open(&db_path).map_err(|e| export_err(out, e))?;
        let now = Utc::now();
        let crt = now.timestamp() - now.timestamp().rem_euclid(86_400);
        create_collection(&conn, deck, now, crt).map_err(|e| export_err(out, e))?;
        let tx = conn.transaction().map_err(|e| export_err(out, e))?;
        {
            let mut note_stmt = tx
                .prepare(
                    "INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data) \
                     VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, 0, 0, '')",
                )
                .map_err(|e| export_err(out, e))?;
            let mut card_stmt = tx
                .prepare(
                    "INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, \
                     reps, lapses, left, odue, odid, flags, data) \
                     VALUES (?1, ?1, ?2, 0, ?3, -1, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0, 0, 0, '')",
                )
                .map_err(|e| export_err(out, e))?;
            let mut rev_stmt = tx
                .prepare(
                    "INSERT OR IGNORE INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) \
                     VALUES (?1, ?2, -1, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(|e| export_err(out, e))?;
            let states: HashMap<String, CardProgress> = match (options.with_progress, store) {
                (true, Some(store)) => store
                    .card_states(Some(&deck.id))
                    .map_err(|e| export_err(out, e))?
                    .into_iter()
                    .map(|r| (r.card_id, r.progress))
                    .collect(),
                _ => HashMap::new(),
            };
            let base_id = now.timestamp_millis() - deck.cards.len() as i64;
            for (i, card) in deck.cards.iter().enumerate() {
                let id = base_id + i as i64;
                let image = card.image.as_deref().filter(|name| {
                    let found = media_folder
                        .as_ref()
                        .map(|d| d.join(name))
                        .filter(|p| p.is_file());
                    if let Some(p) = found {
                        media.insert((*name).to_owned(), p);
                        true
                    } else {
                        report.missing_images += 1;
                        false
                    }
                });
                let (cloze, fields) = note_fields(card, image);
                let tags: Vec<String> = card.tags.iter().map(|t| anki_tag(t)).collect();
                let tags = if tags.is_empty() {
                    String::new()
                } else {
                    format!(" {} ", tags.join(" "))
                };
                note_stmt
                    .execute(params![
                        id,
                        format!("{EXPORTED_GUID_PREFIX}{}", card.id),
                        if cloze { CLOZE_ID } else { BASIC_ID },
                        now.timestamp(),
                        tags,
                        fields.join("\u{1f}"),
                        card.prompt,
                    ])
                    .map_err(|e| export_err(out, e))?;
                let sched = states
                    .get(&card.id)
                    .map_or_else(|| Sched::new_card(i), |p| Sched::of(p, i, crt));
                card_stmt
                    .execute(params![
                        id,
                        DECK_ID,
                        now.timestamp(),
                        sched.kind,
                        sched.queue,
                        sched.due,
                        sched.ivl,
                        sched.factor,
                        sched.reps,
                        sched.lapses,
                        sched.left,
                    ])
                    .map_err(|e| export_err(out, e))?;
                report.notes += 1;
                if options.with_progress
                    && let Some(store) = store
                {
                    for r in store
                        .card_history(&deck.id, &card.id)
                        .map_err(|e| export_err(out, e))?
                    {
                        if r.mode != Mode::Srs {
                            continue;
                        }
                        let kind = match r.state_before.map(|s| s.state) {
                            None | Some(State::New | State::Learning) => 0,
                            Some(State::Review) => 1,
                            Some(State::Relearning) => 2,
                        };
                        let ivl =
                            |s: Option<CardState>| s.map_or(0, |s| interval(s.state, s.due, r.at));
                        let written = rev_stmt
                            .execute(params![
                                r.at.timestamp_millis(),
                                id,
                                r.rating.number(),
                                ivl(r.state_after),
                                ivl(r.state_before),
                                2500,
                                r.response_ms.min(60_000) as i64,
                                kind,
                            ])
                            .map_err(|e| export_err(out, e))?;
                        report.reviews += written;
                    }
                }
            }
        }
        tx.commit().map_err(|e| export_err(out, e))?;
        conn.execute_batch("VACUUM")
            .map_err(|e| export_err(out, e))?;
    }
    // The zip: the collection, the media map and each image as 0, 1, ….
    let tmp = out.with_extension("apkg.tmp");
    let written = (|| -> Result<(), ImportError> {
        let file = File::create(&tmp).map_err(|e| export_err(&tmp, e))?;
        let mut zip = zip::ZipWriter::new(file);
        let deflated =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("collection.anki2", deflated)
            .map_err(|e| export_err(out, e))?;
        zip.write_all(&fs::read(&db_path).map_err(|e| export_err(out, e))?)
            .map_err(|e| export_err(out, e))?;
        let mut map = serde_json::Map::new();
        for (i, (name, path)) in media.iter().enumerate() {
            let bytes = fs::read(path).map_err(|e| export_err(path, e))?;
            zip.start_file(i.to_string(), SimpleFileOptions::default())
                .map_err(|e| export_err(out, e))?;
            zip.write_all(&bytes).map_err(|e| export_err(out, e))?;
            map.insert(i.to_string(), json!(name));
            report.media += 1;
        }
        zip.start_file("media", deflated)
            .map_err(|e| export_err(out, e))?;
        zip.write_all(serde_json::Value::Object(map).to_string().as_bytes())
            .map_err(|e| export_err(out, e))?;
        zip.finish().map_err(|e| export_err(out, e))?;
        Ok(())
    })();
    if let Err(e) = written.and_then(|()| fs::rename(&tmp, out).map_err(|e| export_err(out, e))) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(report)
}

/// Anki's interval for a state: days when in review, else negative seconds until due.
fn interval(state: State, due: DateTime<Utc>, at: DateTime<Utc>) -> i64 {
    let secs = (due - at).num_seconds().max(0);
    if state == State::Review {
        ((secs + 43_200) / 86_400).max(1)
    } else {
        -secs.max(1)
    }
}

/// A card's scheduling columns in Anki.
struct Sched {
    kind: i64,
    queue: i64,
    due: i64,
    ivl: i64,
    factor: i64,
    reps: i64,
    lapses: i64,
    left: i64,
}

impl Sched {
    fn new_card(position: usize) -> Self {
        Self {
            kind: 0,
            queue: 0,
            due: position as i64 + 1,
            ivl: 0,
            factor: 0,
            reps: 0,
            lapses: 0,
            left: 0,
        }
    }

    fn of(p: &CardProgress, position: usize, crt: i64) -> Self {
        let s = &p.card;
        let mut out = match s.state {
            State::New => Self::new_card(position),
            State::Learning | State::Relearning => Self {
                kind: if s.state == State::Learning { 1 } else { 3 },
                queue: 1,
                due: s.due.timestamp(),
                ivl: 0,
                factor: 2500,
                reps: i64::from(s.reps),
                lapses: i64::from(s.lapses),
                left: 1,
            },
            State::Review => {
                let ivl = s
                    .last_review
                    .map_or(1, |last| ((s.due - last).num_seconds() / 86_400).max(1));
                Self {
                    kind: 2,
                    queue: 2,
                    due: ((s.due.timestamp() - crt) / 86_400).max(0),
                    ivl,
                    factor: 2500,
                    reps: i64::from(s.reps),
                    lapses: i64::from(s.lapses),
                    left: 0,
                }
            }
        };
        if p.suspended {
            out.queue = -1;
        }
        out
    }
}

/// Schema 11, as Anki 2.1 writes it.
const SCHEMA_11: &str = "
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL,
  scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL,
  ls integer NOT NULL, conf text NOT NULL, models text NOT NULL, decks text NOT NULL,
  dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL,
  sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL,
  ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL,
  queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL,
  reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,
  odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL,
  ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL,
  time integer NOT NULL, type integer NOT NULL);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
";

fn field_json(name: &str, ord: u32) -> serde_json::Value {
    json!({"name": name, "ord": ord, "sticky": false, "rtl": false, "font": "Arial", "size": 20,
           "media": []})
}

fn model_json(id: i64, name: &str, cloze: bool, now: i64) -> serde_json::Value {
    let (fields, qfmt, afmt) = if cloze {
        (
            vec![field_json("Text", 0), field_json("Back Extra", 1)],
            "{{cloze:Text}}",
            "{{cloze:Text}}<br>\n{{Back Extra}}",
        )
    } else {
        (
            vec![field_json("Front", 0), field_json("Back", 1)],
            "{{Front}}",
            "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}",
        )
    };
    json!({
        "id": id, "name": name, "type": i32::from(cloze), "mod": now, "usn": -1, "sortf": 0,
        "did": DECK_ID,
        "tmpls": [{"name": if cloze { "Cloze" } else { "Card 1" }, "ord": 0, "qfmt": qfmt,
                   "afmt": afmt, "bqfmt": "", "bafmt": "", "did": null}],
        "flds": fields,
        "css": ".card {\n font-family: arial;\n font-size: 20px;\n text-align: center;\n}\n",
        "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
        "latexPost": "\\end{document}",
        "req": [[0, "any", [0]]],
        "tags": [], "vers": []
    })
}

fn create_collection(
    conn: &Connection,
    deck: &Deck,
    now: DateTime<Utc>,
    crt: i64,
) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA_11)?;
    let secs = now.timestamp();
    let deck_json = |id: i64, name: &str| {
        json!({"id": id, "mod": secs, "name": name, "usn": -1, "lrnToday": [0, 0],
               "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0], "collapsed": false,
               "browserCollapsed": false, "desc": deck.description.clone().unwrap_or_default(),
               "dyn": 0, "conf": 1, "extendNew": 0, "extendRev": 0})
    };
    let decks = json!({
        "1": deck_json(1, "Default"),
        DECK_ID.to_string(): deck_json(DECK_ID, &anki_deck_name(deck)),
    });
    let models = json!({
        BASIC_ID.to_string(): model_json(BASIC_ID, "Basic", false, secs),
        CLOZE_ID.to_string(): model_json(CLOZE_ID, "Cloze", true, secs),
    });
    let dconf = json!({"1": {"id": 1, "mod": 0, "name": "Default", "usn": 0, "maxTaken": 60,
        "autoplay": true, "timer": 0, "replayq": true, "dyn": false,
        "new": {"bury": false, "delays": [1.0, 10.0], "initialFactor": 2500, "ints": [1, 4, 0],
                "order": 1, "perDay": 20},
        "rev": {"bury": false, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "perDay": 200,
                "hardFactor": 1.2},
        "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1,
                  "mult": 0.0}}});
    let col_conf = json!({"activeDecks": [1], "curDeck": 1, "newSpread": 0, "collapseTime": 1200,
        "timeLim": 0, "estTimes": true, "dueCounts": true, "curModel": BASIC_ID, "nextPos": 1,
        "sortType": "noteFld", "sortBackwards": false, "addToCur": true, "schedVer": 2});
    conn.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
        params![
            crt,
            now.timestamp_millis(),
            col_conf.to_string(),
            models.to_string(),
            decks.to_string(),
            dconf.to_string()
        ],
    )?;
    Ok(())
}

/// Writes `deck` as Anki's "Notes in Plain Text" (`#separator:tab`, `#html:false`,
/// `#columns:`, with notetype, deck, tags and guid columns), through a temporary file.
pub fn export_csv(deck: &Deck, out: &Path) -> Result<ExportReport, ImportError> {
    let mut text = String::from(
        "#separator:tab\n#html:false\n#columns:GUID\tNotetype\tDeck\tFront\tBack\tTags\n\
         #guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n",
    );
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    let deck_name = anki_deck_name(deck);
    let mut report = ExportReport::default();
    for card in &deck.cards {
        let tags: Vec<String> = card.tags.iter().map(|t| anki_tag(t)).collect();
        let guid = format!("{EXPORTED_GUID_PREFIX}{}", card.id);
        let (kind, front, back) = match anki_cloze(card, str::to_owned) {
            Some(text) => ("Cloze", text, card.explanation.clone().unwrap_or_default()),
            None => ("Basic", card.prompt.clone(), card.answer.clone()),
        };
        writer
            .write_record([
                guid.as_str(),
                kind,
                deck_name.as_str(),
                front.as_str(),
                back.as_str(),
                tags.join(" ").as_str(),
            ])
            .map_err(|e| export_err(out, e))?;
        report.notes += 1;
    }
    let body = writer.into_inner().map_err(|e| export_err(out, e))?;
    text.push_str(&String::from_utf8_lossy(&body));
    crate::deck::write_atomically(out, text.as_bytes()).map_err(|e| export_err(out, e))?;
    Ok(report)
}
