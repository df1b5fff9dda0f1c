//! Text imports: Anki's "Notes in Plain Text", Quizlet exports, and CSV/TSV whose header row
//! names flashdrill fields.

use std::collections::HashMap;
use std::path::Path;

use super::anki::{Note, NoteType, make_card};
use super::html::cloze_numbers;
use super::ids::{deck_slug, deck_title, text_card_id};
use super::{Gathered, GatheredDeck, ImportError, ImportOptions, Ticker};
use crate::deck::{Card, is_slug};

/// The kind of a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    /// Anki's "Notes in Plain Text" (`#separator:`, `#html:`, `#columns:`, … headers).
    AnkiNotes,
    /// Quizlet's export: a term and its definition per card. Each separator is given, or
    /// `None` to detect it (tab, else comma between term and definition; new line, else
    /// semicolon between cards).
    Quizlet {
        term: Option<char>,
        card: Option<char>,
    },
    /// CSV or TSV whose first row names flashdrill fields: `prompt`, `answer`, `category`,
    /// `accept`, `distractors`, `date`, `explanation`, `source`, `tags` (and `id`). Lists are
    /// separated by `;`; tags by spaces or `;`.
    Fields,
}

/// The columns a [`TextFormat::Fields`] file may have.
pub const FIELD_COLUMNS: [&str; 10] = [
    "id",
    "prompt",
    "answer",
    "category",
    "accept",
    "distractors",
    "date",
    "explanation",
    "source",
    "tags",
];

const ANKI_HEADERS: [&str; 10] = [
    "separator",
    "html",
    "columns",
    "deck",
    "notetype",
    "tags",
    "deck column",
    "notetype column",
    "tags column",
    "guid column",
];

/// Reads a text file into one or more decks (Anki's deck column can name several).
pub(crate) fn read_text(
    path: &Path,
    options: &ImportOptions,
    ticker: &Ticker<'_>,
) -> Result<Gathered, ImportError> {
    ticker.report(0.0, format!("Reading {}", path.display()));
    let bytes = std::fs::read(path).map_err(|e| ImportError::Read {
        file: path.to_path_buf(),
        message: e.to_string(),
    })?;
    if bytes.len() as u64 > options.limits.max_total_bytes {
        return Err(ImportError::TooLarge {
            file: path.to_path_buf(),
            what: format!("the file is {} bytes", bytes.len()),
            limit: options.limits.max_total_bytes,
        });
    }
    let text = utf8(path, &bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let format = resolve_format(path, text, options.text_format);
    let stem = path.file_stem().map_or_else(
        || "Imported".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let gathered = match format {
        TextFormat::AnkiNotes => anki_notes(path, text, &stem, &options.reserved_ids, ticker)?,
        TextFormat::Quizlet { term, card } => quizlet(path, text, &stem, term, card, options)?,
        TextFormat::Fields => fields(path, text, &stem, options)?,
    };
    ticker.report(1.0, format!("Read {}", path.display()));
    Ok(gathered)
}

/// The text of `bytes`, or where it stops being UTF-8.
fn utf8<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, ImportError> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(ImportError::Encoding {
            file: path.to_path_buf(),
            line: 1,
            offset: 0,
        });
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        ImportError::Encoding {
            file: path.to_path_buf(),
            line: bytes[..offset].split(|&b| b == b'\n').count() as u64,
            offset: offset as u64,
        }
    })
}

/// The format `text` is read in: `given`, or the one detected; a Quizlet format with its
/// separators filled in.
fn resolve_format(path: &Path, text: &str, given: Option<TextFormat>) -> TextFormat {
    match given.unwrap_or_else(|| detect(path, text)) {
        TextFormat::Quizlet { term, card } => {
            let (term, card) = quizlet_separators(text, term, card);
            TextFormat::Quizlet {
                term: Some(term),
                card: Some(card),
            }
        }
        other => other,
    }
}

/// What importing a text file would bring in, for a preview before importing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextPreview {
    /// The format it is read in: the one asked for or the one detected, with Quizlet's
    /// separators filled in.
    pub format: TextFormat,
    /// How many cards it holds.
    pub cards: usize,
    /// The first few cards: prompt and answer.
    pub first: Vec<(String, String)>,
    /// Cards left out, with why.
    pub skipped: Vec<(String, usize)>,
}

/// Reads the text file at `path` as `format` (or the format detected) without importing it:
/// what would come in, or the error naming the file and the line.
pub fn preview_text(
    path: &Path,
    format: Option<TextFormat>,
    shown: usize,
) -> Result<TextPreview, ImportError> {
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let ticker = Ticker {
        progress: &|_| {},
        cancel: &cancel,
        start: 0.0,
        width: 1.0,
    };
    let options = ImportOptions {
        text_format: format,
        ..ImportOptions::default()
    };
    let gathered = read_text(path, &options, &ticker)?;
    let bytes = std::fs::read(path).map_err(|e| ImportError::Read {
        file: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let text = utf8(path, &bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let cards = gathered.decks.iter().flat_map(|d| &d.cards);
    Ok(TextPreview {
        format: resolve_format(path, text, format),
        cards: cards.clone().count(),
        first: cards
            .take(shown)
            .map(|c| (c.prompt.clone(), c.answer.clone()))
            .collect(),
        skipped: gathered.skipped.into_iter().collect(),
    })
}

/// Which format a text file is in, from its first line.
fn detect(path: &Path, text: &str) -> TextFormat {
    let first = text.lines().next().unwrap_or("");
    if let Some(header) = first.strip_prefix('#')
        && let Some((key, _)) = header.split_once(':')
        && ANKI_HEADERS.contains(&key.trim().to_ascii_lowercase().as_str())
    {
        return TextFormat::AnkiNotes;
    }
    let tsv = first.contains('\t')
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    let cells: Vec<String> = first
        .split(if tsv { '\t' } else { ',' })
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    // A header naming prompt and answer is a fields file (an unknown column is then reported).
    if cells.iter().any(|c| c == "prompt") && cells.iter().any(|c| c == "answer") {
        TextFormat::Fields
    } else {
        TextFormat::Quizlet {
            term: None,
            card: None,
        }
    }
}

fn text_err(path: &Path, line: u64, detail: impl Into<String>) -> ImportError {
    ImportError::Text {
        file: path.to_path_buf(),
        line,
        detail: detail.into(),
    }
}

/// A csv error as an import error with its line.
fn csv_err(path: &Path, line_offset: u64, e: &csv::Error) -> ImportError {
    let line = e.position().map_or(0, csv::Position::line) + line_offset;
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => text_err(
            path,
            line,
            format!(
                "this row has {len} fields, but the rows before have {expected_len}; \
                 put a field that holds the separator in double quotes"
            ),
        ),
        csv::ErrorKind::Utf8 { .. } => {
            text_err(path, line, "not UTF-8 text; save the file as UTF-8")
        }
        _ => text_err(path, line, format!("{e}")),
    }
}

fn separator_named(name: &str) -> Option<u8> {
    match name.trim().to_ascii_lowercase().as_str() {
        "tab" | "\t" => Some(b'\t'),
        "comma" | "," => Some(b','),
        "semicolon" | ";" => Some(b';'),
        "space" | " " => Some(b' '),
        "pipe" | "|" => Some(b'|'),
        "colon" | ":" => Some(b':'),
        _ => None,
    }
}

/// A deck being built from rows, by name.
struct Decks<'r> {
    reserved: &'r [String],
    list: Vec<GatheredDeck>,
    by_name: HashMap<String, usize>,
}

impl Decks<'_> {
    fn deck(&mut self, name: &str) -> &mut GatheredDeck {
        let i = if let Some(&i) = self.by_name.get(name) {
            i
        } else {
            {
                let mut id = deck_slug(name);
                if self.reserved.contains(&id) {
                    id = format!("{id}-imported");
                }
                self.list.push(GatheredDeck {
                    id,
                    title: deck_title(name),
                    source_title: deck_title(name),
                    source_author: "Imported".to_owned(),
                    cards: Vec::new(),
                    media: Vec::new(),
                    carries_images: false,
                });
                self.by_name.insert(name.to_owned(), self.list.len() - 1);
                self.list.len() - 1
            }
        };
        &mut self.list[i]
    }
}

/// Escapes plain text so that the HTML reader gives it back unchanged.
fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Anki's "Notes in Plain Text".
fn anki_notes(
    path: &Path,
    text: &str,
    stem: &str,
    reserved: &[String],
    ticker: &Ticker<'_>,
) -> Result<Gathered, ImportError> {
    let mut separator = None;
    let mut html = false;
    let mut columns: Vec<String> = Vec::new();
    let (mut deck_name, mut notetype) = (None::<String>, None::<String>);
    let mut global_tags: Vec<String> = Vec::new();
    let mut special: HashMap<&str, usize> = HashMap::new();
    let mut header_lines = 0u64;
    let mut body_start = 0;
    for line in text.split_inclusive('\n') {
        let Some(header) = line.strip_prefix('#') else {
            break;
        };
        header_lines += 1;
        body_start += line.len();
        let header = header.trim_end_matches(['\r', '\n']);
        let Some((key, value)) = header.split_once(':') else {
            continue; // a comment
        };
        let key = key.trim().to_ascii_lowercase();
        match key.as_str() {
            "separator" => {
                separator = Some(separator_named(value).ok_or_else(|| {
                    text_err(
                        path,
                        header_lines,
                        format!(
                            "unknown separator {value:?}; use Tab, Comma, Semicolon, Space, Pipe or Colon"
                        ),
                    )
                })?);
            }
            "html" => html = value.trim().eq_ignore_ascii_case("true"),
            "columns" => columns = vec![value.to_owned()],
            "deck" => deck_name = Some(value.trim().to_owned()),
            "notetype" => notetype = Some(value.trim().to_owned()),
            "tags" => global_tags = value.split_whitespace().map(str::to_owned).collect(),
            "deck column" | "notetype column" | "tags column" | "guid column" => {
                let n: usize = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| {
                        text_err(
                            path,
                            header_lines,
                            format!("{key} must be a column number from 1, not {value:?}"),
                        )
                    })?;
                let slot = match key.as_str() {
                    "deck column" => "deck",
                    "notetype column" => "notetype",
                    "tags column" => "tags",
                    _ => "guid",
                };
                special.insert(slot, n - 1);
            }
            _ => {}
        }
    }
    let body = &text[body_start..];
    let separator = separator.unwrap_or_else(|| {
        let first = body.lines().next().unwrap_or("");
        if first.contains('\t') {
            b'\t'
        } else if first.contains(';') {
            b';'
        } else {
            b','
        }
    });
    // `#columns:` names the columns, split by the separator; a column named Tags holds tags.
    let names: Vec<String> = columns
        .first()
        .map(|c| {
            c.split(char::from(separator))
                .map(|s| s.trim().to_owned())
                .collect()
        })
        .unwrap_or_default();
    if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case("tags")) {
        special.entry("tags").or_insert(i);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(false)
        .from_reader(body.as_bytes());
    let mut decks = Decks {
        reserved,
        list: Vec::new(),
        by_name: HashMap::new(),
    };
    let mut gathered = Gathered::default();
    let mut images = 0;
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| csv_err(path, header_lines, &e))?;
        if n % 4096 == 0 {
            ticker.check()?;
        }
        let line = record.position().map_or(0, csv::Position::line) + header_lines;
        let cell = |slot: &str| special.get(slot).and_then(|&i| record.get(i));
        let guid = cell("guid").map(str::to_owned);
        let kind = cell("notetype")
            .map(str::to_owned)
            .or_else(|| notetype.clone())
            .unwrap_or_else(|| "Basic".to_owned());
        let deck = cell("deck")
            .map(str::to_owned)
            .or_else(|| deck_name.clone())
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| stem.to_owned());
        let mut tags: Vec<String> = cell("tags")
            .map(|t| t.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        tags.extend(global_tags.iter().cloned());
        let special_cols: Vec<usize> = special.values().copied().collect();
        let fields: Vec<String> = record
            .iter()
            .enumerate()
            .filter(|(i, _)| !special_cols.contains(i))
            .map(|(_, f)| if html { f.to_owned() } else { escape_html(f) })
            .collect();
        if fields.is_empty() {
            return Err(text_err(path, line, "the row has no note fields"));
        }
        let lower = kind.to_ascii_lowercase();
        let cloze = lower.contains("cloze");
        let ords: Vec<u32> = if cloze {
            cloze_numbers(&fields[0]).iter().map(|n| n - 1).collect()
        } else if lower.contains("reverse") && fields.get(1).is_some_and(|f| !f.trim().is_empty()) {
            vec![0, 1]
        } else {
            vec![0]
        };
        if ords.is_empty() {
            gathered.skip("cloze note without {{c1::…}} deletions", 1);
            continue;
        }
        let note = Note {
            guid: guid.clone().unwrap_or_default(),
            mid: 0,
            tags,
            fields,
        };
        for ord in ords {
            let Some((mut card, image)) = make_card(&note, NoteType { cloze }, ord) else {
                gathered.skip("card with an empty question or answer", 1);
                continue;
            };
            if guid.is_none() {
                card.id = text_card_id(&note.fields[0], ord + 1);
            }
            if image.is_some() {
                images += 1;
                card.image = None;
            }
            decks.deck(&deck).cards.push(card);
        }
    }
    gathered.skip(
        "image in a text file (text files carry no pictures: import the .apkg for them)",
        images,
    );
    gathered.decks = decks.list;
    Ok(gathered)
}

/// Quizlet's separators: each one given, or detected (tab, else comma between term and
/// definition; new line, else semicolon between cards when everything is on one line).
fn quizlet_separators(text: &str, term: Option<char>, card: Option<char>) -> (char, char) {
    let term_sep = term.unwrap_or(if text.contains('\t') { '\t' } else { ',' });
    let non_empty_lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    let card_sep = card.unwrap_or(if non_empty_lines <= 1 && text.contains(';') {
        ';'
    } else {
        '\n'
    });
    (term_sep, card_sep)
}

/// Quizlet's export: term and definition per card.
fn quizlet(
    path: &Path,
    text: &str,
    stem: &str,
    term: Option<char>,
    card: Option<char>,
    options: &ImportOptions,
) -> Result<Gathered, ImportError> {
    let (term_sep, card_sep) = quizlet_separators(text, term, card);
    let mut decks = Decks {
        reserved: &options.reserved_ids,
        list: Vec::new(),
        by_name: HashMap::new(),
    };
    let mut gathered = Gathered::default();
    let mut line = 1u64;
    for chunk in text.split(card_sep) {
        let chunk_line = line
            + chunk
                .chars()
                .take_while(|&c| c == '\n' || c == '\r')
                .count() as u64;
        line += chunk.matches('\n').count() as u64 + u64::from(card_sep == '\n');
        let chunk = chunk.trim_matches(['\r', '\n']);
        if chunk.trim().is_empty() {
            continue;
        }
        let Some((term, definition)) = chunk.split_once(term_sep) else {
            return Err(text_err(
                path,
                chunk_line,
                format!(
                    "{chunk:?} has no {} between the term and the definition; \
                     import it as a Quizlet export with the separators Quizlet used",
                    match term_sep {
                        '\t' => "tab".to_owned(),
                        c => format!("{c:?}"),
                    }
                ),
            ));
        };
        let (term, definition) = (term.trim(), definition.trim());
        if term.is_empty() || definition.is_empty() {
            gathered.skip("card with an empty term or definition", 1);
            continue;
        }
        decks.deck(stem).cards.push(Card::new(
            text_card_id(term, 1),
            "term",
            term,
            definition,
            definition,
        ));
    }
    gathered.decks = decks.list;
    Ok(gathered)
}

/// A list cell: entries separated by `;`, trimmed, empty ones dropped.
fn list(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// CSV/TSV with a header row naming flashdrill fields.
fn fields(
    path: &Path,
    text: &str,
    stem: &str,
    options: &ImportOptions,
) -> Result<Gathered, ImportError> {
    let first = text.lines().next().unwrap_or("");
    let tsv = first.contains('\t')
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if tsv { b'\t' } else { b',' })
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_err(path, 0, &e))?.clone();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let name = h.trim().to_ascii_lowercase();
        if !FIELD_COLUMNS.contains(&name.as_str()) {
            return Err(text_err(
                path,
                1,
                format!(
                    "unknown column {h:?}; the header row may name {}",
                    FIELD_COLUMNS.join(", ")
                ),
            ));
        }
        if index.insert(name, i).is_some() {
            return Err(text_err(
                path,
                1,
                format!("the column {h:?} is named twice"),
            ));
        }
    }
    for required in ["prompt", "answer"] {
        if !index.contains_key(required) {
            return Err(text_err(
                path,
                1,
                format!("the header row has no {required:?} column"),
            ));
        }
    }
    let mut decks = Decks {
        reserved: &options.reserved_ids,
        list: Vec::new(),
        by_name: HashMap::new(),
    };
    let mut gathered = Gathered::default();
    for record in reader.records() {
        let record = record.map_err(|e| csv_err(path, 0, &e))?;
        let get = |name: &str| {
            index
                .get(name)
                .and_then(|&i| record.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let (Some(prompt), Some(answer)) = (get("prompt"), get("answer")) else {
            gathered.skip("row with an empty prompt or answer", 1);
            continue;
        };
        let id = get("id")
            .filter(|id| is_slug(id))
            .map_or_else(|| text_card_id(prompt, 1), str::to_owned);
        decks.deck(stem).cards.push(Card {
            id,
            category: get("category").unwrap_or("term").to_owned(),
            prompt: prompt.to_owned(),
            answer: answer.to_owned(),
            accept: get("accept").map(list).unwrap_or_default(),
            distractors: get("distractors").map(list).unwrap_or_default(),
            date: get("date").map(str::to_owned),
            event: None,
            group: None,
            role: None,
            cloze: None,
            explanation: get("explanation").map(str::to_owned),
            source: get("source").unwrap_or(answer).to_owned(),
            tags: get("tags")
                .map(|t| {
                    t.split(|c: char| c == ';' || c.is_whitespace())
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            image: None,
        });
    }
    gathered.decks = decks.list;
    Ok(gathered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_format_from_the_first_line() {
        let p = Path::new("x.txt");
        assert_eq!(detect(p, "#separator:tab\na\tb\n"), TextFormat::AnkiNotes);
        assert_eq!(detect(p, "#deck column:3\n"), TextFormat::AnkiNotes);
        assert_eq!(detect(p, "prompt,answer,tags\nQ,A,t\n"), TextFormat::Fields);
        assert_eq!(detect(p, "Answer\tPrompt\n"), TextFormat::Fields);
        let quizlet = TextFormat::Quizlet {
            term: None,
            card: None,
        };
        assert_eq!(detect(p, "# a comment: not a header\n"), quizlet);
        assert_eq!(detect(p, "hola\thello\n"), quizlet);
    }

    #[test]
    fn a_preview_shows_the_first_cards_or_where_reading_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("quiz.txt");
        std::fs::write(&path, "KCNA=North Korea's agency\nTASS=Russia's agency\n").unwrap();
        // Detected as Quizlet with a comma: the first card has none.
        let err = preview_text(&path, None, 5).unwrap_err().to_string();
        assert!(err.contains("quiz.txt") && err.contains("line 1"), "{err}");
        let format = TextFormat::Quizlet {
            term: Some('='),
            card: None,
        };
        let preview = preview_text(&path, Some(format), 1).unwrap();
        assert_eq!(preview.cards, 2);
        assert_eq!(
            preview.first,
            [("KCNA".to_owned(), "North Korea's agency".to_owned())]
        );
        assert_eq!(
            preview.format,
            TextFormat::Quizlet {
                term: Some('='),
                card: Some('\n')
            }
        );
        std::fs::write(&path, "hola\thello;adios\tgoodbye").unwrap();
        let preview = preview_text(&path, None, 5).unwrap();
        assert_eq!(preview.cards, 2);
        assert_eq!(
            preview.format,
            TextFormat::Quizlet {
                term: Some('\t'),
                card: Some(';')
            }
        );
    }

    #[test]
    fn separators_are_named_as_anki_names_them() {
        assert_eq!(separator_named("Tab"), Some(b'\t'));
        assert_eq!(separator_named(" semicolon "), Some(b';'));
        assert_eq!(separator_named("|"), Some(b'|'));
        assert_eq!(separator_named("Slash"), None);
        assert_eq!(list(" a ; ;b;"), ["a", "b"]);
        assert_eq!(escape_html("a<b & c>"), "a&lt;b &amp; c&gt;");
    }
}
