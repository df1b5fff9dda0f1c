//! Text imports: Anki's "Notes in Plain Text", Quizlet exports, and CSV/TSV spreadsheets (a
//! question and an answer per row, or columns named after flashdrill fields).

use std::collections::HashMap;
use std::path::Path;

use super::anki::{Note, NoteType, make_card};
use super::html::cloze_numbers;
use super::ids::{deck_slug, deck_title, text_card_id};
use super::{Gathered, GatheredDeck, HeaderRow, ImportError, ImportOptions, Ticker};
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
    /// CSV or TSV, a card per row. When the first row names flashdrill fields (`prompt`,
    /// `answer`, `category`, `accept`, `distractors`, `date`, `explanation`, `source`, `tags`,
    /// `id`) the columns are read by name (lists separated by `;`, tags by spaces or `;`);
    /// otherwise the first column is the prompt and the second the answer, and a first row of
    /// column names (`front,back`, `term,definition`, …) is a header ([`HeaderRow`]). The
    /// delimiter is given, or `None` to detect it (tab, semicolon, comma or pipe).
    Csv { delimiter: Option<char> },
}

/// The columns a [`TextFormat::Csv`] file may name in its first row.
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
    let stem = options
        .deck_title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map_or_else(
            || {
                path.file_stem().map_or_else(
                    || "Imported".to_owned(),
                    |s| title_from_file_name(&s.to_string_lossy()),
                )
            },
            str::to_owned,
        );
    let gathered = match format {
        TextFormat::AnkiNotes => anki_notes(path, text, &stem, &options.reserved_ids, ticker)?,
        TextFormat::Quizlet { term, card } => quizlet(path, text, &stem, term, card, options)?,
        TextFormat::Csv { delimiter } => spreadsheet(
            path,
            text,
            &stem,
            delimiter.unwrap_or_else(|| sniff_delimiter(path, text)),
            options,
        )?,
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

/// The format `text` is read in: `given`, or the one detected; with Quizlet's separators and
/// the spreadsheet's delimiter filled in.
fn resolve_format(path: &Path, text: &str, given: Option<TextFormat>) -> TextFormat {
    match given.unwrap_or_else(|| detect(path, text)) {
        TextFormat::Quizlet { term, card } => {
            let (term, card) = quizlet_separators(text, term, card);
            TextFormat::Quizlet {
                term: Some(term),
                card: Some(card),
            }
        }
        TextFormat::Csv { delimiter } => TextFormat::Csv {
            delimiter: Some(delimiter.unwrap_or_else(|| sniff_delimiter(path, text))),
        },
        TextFormat::AnkiNotes => TextFormat::AnkiNotes,
    }
}

/// What importing a text file would bring in, for a preview before importing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextPreview {
    /// The format it is read in: the one asked for or the one detected, with Quizlet's
    /// separators and the spreadsheet's delimiter filled in.
    pub format: TextFormat,
    /// How many cards it holds.
    pub cards: usize,
    /// The first few cards: prompt and answer.
    pub first: Vec<(String, String)>,
    /// Cards left out, with why.
    pub skipped: Vec<(String, usize)>,
    /// The first row's cells when it is read as column names rather than as a card.
    pub header: Option<Vec<String>>,
}

/// Reads the text file at `path` as `format` (or the format detected), its first row taken as
/// `header` says, without importing it: what would come in, or the error naming the file and
/// the line.
pub fn preview_text(
    path: &Path,
    format: Option<TextFormat>,
    header: HeaderRow,
    shown: usize,
) -> Result<TextPreview, ImportError> {
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let ticker = Ticker::quiet(&cancel);
    let options = ImportOptions {
        text_format: format,
        header,
        ..ImportOptions::default()
    };
    let mut gathered = read_text(path, &options, &ticker)?;
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
        skipped: std::mem::take(&mut gathered.skipped).into_iter().collect(),
        header: gathered.header_rows.pop().map(|(_, cells)| cells),
    })
}

/// Which format a text file is in, from its first line: Anki's headers, a row naming
/// flashdrill fields, or a `.csv`/`.tsv` name make it a spreadsheet; anything else is read as a
/// Quizlet export.
fn detect(path: &Path, text: &str) -> TextFormat {
    let first = text.lines().next().unwrap_or("");
    if let Some(header) = first.strip_prefix('#')
        && let Some((key, _)) = header.split_once(':')
        && ANKI_HEADERS.contains(&key.trim().to_ascii_lowercase().as_str())
    {
        return TextFormat::AnkiNotes;
    }
    let delimiter = sniff_delimiter(path, text);
    let cells: Vec<&str> = first.split(delimiter).collect();
    let spreadsheet = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("tsv"));
    // A header naming prompt and answer is a fields file (an unknown column is then reported).
    if spreadsheet || names_fields(&cells) {
        TextFormat::Csv { delimiter: None }
    } else {
        TextFormat::Quizlet {
            term: None,
            card: None,
        }
    }
}

/// The delimiters a spreadsheet's is detected among, the likelier first when several fit.
const DELIMITERS: [char; 4] = ['\t', ';', ',', '|'];

/// The delimiter of a spreadsheet: tab for a `.tsv`; otherwise the first of [`DELIMITERS`] that
/// splits each of the first rows into the same number of cells (at least two), else the first
/// one on the first line, else a comma.
fn sniff_delimiter(path: &Path, text: &str) -> char {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"))
    {
        return '\t';
    }
    let even = |d: char| {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(d as u8)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut widths = reader.records().take(20).map(|r| r.map(|r| r.len()));
        match widths.next() {
            Some(Ok(n)) if n >= 2 => widths.all(|w| w.is_ok_and(|w| w == n)),
            _ => false,
        }
    };
    let first = text.lines().next().unwrap_or("");
    DELIMITERS
        .into_iter()
        .find(|&d| even(d))
        .or_else(|| DELIMITERS.into_iter().find(|&d| first.contains(d)))
        .unwrap_or(',')
}

/// Whether a first row names flashdrill fields: a prompt and an answer column.
fn names_fields<S: AsRef<str>>(cells: &[S]) -> bool {
    let named = |name: &str| cells.iter().any(|c| header_cell(c.as_ref()) == name);
    named("prompt") && named("answer")
}

/// A header cell as compared: trimmed, without quotes or a trailing colon, in lower case.
fn header_cell(cell: &str) -> String {
    cell.trim()
        .trim_matches('"')
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_lowercase()
}

/// What the columns of a question-and-answer file are called in a header row.
const HEADER_WORDS: [&str; 34] = [
    "front",
    "back",
    "front side",
    "back side",
    "card front",
    "card back",
    "side 1",
    "side 2",
    "side a",
    "side b",
    "term",
    "terms",
    "definition",
    "definitions",
    "question",
    "questions",
    "answer",
    "answers",
    "prompt",
    "response",
    "word",
    "words",
    "meaning",
    "meanings",
    "translation",
    "q",
    "a",
    "hint",
    "note",
    "notes",
    "example",
    "category",
    "tags",
    "id",
];

/// Whether a first row reads as column names rather than a card: its first two cells are
/// different words of [`HEADER_WORDS`] (`front,back`, `Term;Definition`, `question,answer`),
/// and any other cell is empty or one of them too.
fn looks_like_header<S: AsRef<str>>(cells: &[S]) -> bool {
    let cells: Vec<String> = cells.iter().map(|c| header_cell(c.as_ref())).collect();
    let known = |c: &String| HEADER_WORDS.contains(&c.as_str());
    match cells.as_slice() {
        [a, b, rest @ ..] => {
            a != b && known(a) && known(b) && rest.iter().all(|c| c.is_empty() || known(c))
        }
        _ => false,
    }
}

/// Whether the first row is a header, as `choice` says or, for [`HeaderRow::Auto`], as it
/// reads.
fn is_header<S: AsRef<str>>(choice: HeaderRow, cells: &[S]) -> bool {
    match choice {
        HeaderRow::Yes => true,
        HeaderRow::No => false,
        HeaderRow::Auto => looks_like_header(cells),
    }
}

/// A separator or delimiter in words: "tab", "comma", "“=”".
fn char_name(c: char) -> String {
    match c {
        '\t' => "tab".to_owned(),
        '\n' => "new line".to_owned(),
        ',' => "comma".to_owned(),
        ';' => "semicolon".to_owned(),
        '|' => "pipe (|)".to_owned(),
        ' ' => "space".to_owned(),
        c => format!("\u{201c}{c}\u{201d}"),
    }
}

/// A spreadsheet's delimiter from its name or itself: `tab`, `\t` or a tab character,
/// `comma`, `semicolon`, `pipe`, `space`, `colon`, or any one ASCII character but a quote or
/// a line break.
pub fn parse_delimiter(given: &str) -> Result<char, String> {
    let c = match given.to_ascii_lowercase().as_str() {
        "tab" | "\\t" => '\t',
        "comma" => ',',
        "semicolon" => ';',
        "pipe" => '|',
        "space" => ' ',
        "colon" => ':',
        _ => {
            let mut chars = given.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => c,
                _ => {
                    return Err(format!(
                        "{given:?} is not one character; give the delimiter itself (, ; |) \
                         or its name (tab, comma, semicolon, pipe, space, colon)"
                    ));
                }
            }
        }
    };
    delimiter_byte(c).map(|_| c)
}

/// The delimiter as the CSV reader takes it: one ASCII byte, not a quote or a line break.
fn delimiter_byte(c: char) -> Result<u8, String> {
    match u8::try_from(c) {
        Ok(b'"' | b'\n' | b'\r') => Err(format!(
            "{} cannot separate columns; choose a comma, semicolon, tab or pipe",
            char_name(c)
        )),
        Ok(b) if b.is_ascii() => Ok(b),
        _ => Err(format!(
            "{} is not an ASCII character, and a spreadsheet's delimiter must be one; choose \
             a comma, semicolon, tab or pipe",
            char_name(c)
        )),
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

/// The category of imported cards whose file does not say: what they test is unknown, so they
/// make their own bars in the mastery charts instead of swelling an article's "Terms".
pub const IMPORTED_CATEGORY: &str = "card";

/// A file's name as a deck title: `_` and `-` as spaces, runs of spaces as one, and a first
/// capital when the name has none (`world_capitals` → "World capitals").
#[must_use]
pub fn title_from_file_name(stem: &str) -> String {
    let words: Vec<&str> = stem
        .split(|c: char| c == '_' || c == '-' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let title = words.join(" ");
    if title.chars().any(char::is_uppercase) {
        return title;
    }
    let mut chars = title.chars();
    chars
        .next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(chars).collect())
}

/// A card made from a term and its definition (or a prompt and an answer), and with
/// `reverse` its reverse, the two siblings.
fn term_cards(term: &str, definition: &str, reverse: bool) -> Vec<Card> {
    let forward = Card::new(
        text_card_id(term, 1),
        IMPORTED_CATEGORY,
        term,
        definition,
        definition,
    );
    if !reverse {
        return vec![forward];
    }
    let group = Some(forward.id.clone());
    let back = Card {
        group: group.clone(),
        ..Card::new(
            text_card_id(term, 2),
            IMPORTED_CATEGORY,
            definition,
            term,
            term,
        )
    };
    vec![Card { group, ..forward }, back]
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
    let mut first = true;
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
        if std::mem::take(&mut first) {
            let cells: Vec<String> = chunk.split(term_sep).map(|c| c.trim().to_owned()).collect();
            if is_header(options.header, &cells) {
                gathered.header_rows.push((path.to_path_buf(), cells));
                continue;
            }
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
        decks
            .deck(stem)
            .cards
            .extend(term_cards(term, definition, options.reverse));
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

/// A spreadsheet, its columns separated by `delimiter`: read by the names in its first row when
/// they name flashdrill fields (unless the learner says the first row is no header), otherwise
/// as a prompt and an answer per row.
fn spreadsheet(
    path: &Path,
    text: &str,
    stem: &str,
    delimiter: char,
    options: &ImportOptions,
) -> Result<Gathered, ImportError> {
    let byte = delimiter_byte(delimiter).map_err(|detail| text_err(path, 1, detail))?;
    let reader = || {
        csv::ReaderBuilder::new()
            .delimiter(byte)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
    };
    let first = match reader().records().next() {
        Some(record) => record.map_err(|e| csv_err(path, 0, &e))?,
        None => return Ok(Gathered::default()),
    };
    if options.header != HeaderRow::No && names_fields(&first.iter().collect::<Vec<_>>()) {
        return fields(path, text, stem, byte, options);
    }
    let mut decks = Decks {
        reserved: &options.reserved_ids,
        list: Vec::new(),
        by_name: HashMap::new(),
    };
    let mut gathered = Gathered::default();
    for (n, record) in reader().records().enumerate() {
        let record = record.map_err(|e| csv_err(path, 0, &e))?;
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        if n == 0 && is_header(options.header, &cells) {
            gathered.header_rows.push((
                path.to_path_buf(),
                cells.iter().map(|&c| c.to_owned()).collect(),
            ));
            continue;
        }
        match cells.as_slice() {
            &[prompt, answer, ..] if !prompt.is_empty() && !answer.is_empty() => {
                decks
                    .deck(stem)
                    .cards
                    .extend(term_cards(prompt, answer, options.reverse));
            }
            [_, _, ..] => gathered.skip("row with an empty prompt or answer", 1),
            [] | [""] => {}
            [only] => {
                return Err(text_err(
                    path,
                    record.position().map_or(0, csv::Position::line),
                    format!(
                        "{only:?} has no {} between the prompt and the answer; choose the \
                         delimiter the file uses",
                        char_name(delimiter)
                    ),
                ));
            }
        }
    }
    gathered.decks = decks.list;
    Ok(gathered)
}

/// CSV/TSV with a header row naming flashdrill fields.
fn fields(
    path: &Path,
    text: &str,
    stem: &str,
    delimiter: u8,
    options: &ImportOptions,
) -> Result<Gathered, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
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
    gathered.header_rows.push((
        path.to_path_buf(),
        headers.iter().map(|h| h.trim().to_owned()).collect(),
    ));
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
            category: get("category").unwrap_or(IMPORTED_CATEGORY).to_owned(),
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
        let csv = TextFormat::Csv { delimiter: None };
        assert_eq!(detect(p, "prompt,answer,tags\nQ,A,t\n"), csv);
        assert_eq!(detect(p, "Answer\tPrompt\n"), csv);
        assert_eq!(detect(p, "prompt;answer\nQ;A\n"), csv);
        let quizlet = TextFormat::Quizlet {
            term: None,
            card: None,
        };
        assert_eq!(detect(p, "# a comment: not a header\n"), quizlet);
        assert_eq!(detect(p, "hola\thello\n"), quizlet);
        // A spreadsheet by its name, whatever its first row.
        assert_eq!(detect(Path::new("words.CSV"), "hola,hello\n"), csv);
        assert_eq!(detect(Path::new("words.tsv"), "hola\thello\n"), csv);
    }

    #[test]
    fn the_delimiter_is_the_one_that_splits_every_row_alike() {
        let p = Path::new("x.csv");
        assert_eq!(sniff_delimiter(p, "a,b\nc,d\n"), ',');
        assert_eq!(sniff_delimiter(p, "a;b\nc;d\n"), ';');
        assert_eq!(sniff_delimiter(p, "a|b|c\nd|e|f\n"), '|');
        assert_eq!(sniff_delimiter(p, "a\tb, c\nd\te, f\n"), '\t');
        // Commas inside the cells of a semicolon file, in every row.
        assert_eq!(
            sniff_delimiter(p, "Paris, France;capital\nRome, Italy;capital\n"),
            ';'
        );
        // A comma inside quotes does not split.
        assert_eq!(
            sniff_delimiter(p, "\"Paris, France\";capital\nBerlin;capital\n"),
            ';'
        );
        // Commas only in some rows of a semicolon file.
        assert_eq!(sniff_delimiter(p, "uno;one\ndos;two, 2\n"), ';');
        // No delimiter splits the rows alike: the first on the first line, else a comma.
        assert_eq!(sniff_delimiter(p, "a;b\nc\n"), ';');
        assert_eq!(sniff_delimiter(p, "just words\n"), ',');
        assert_eq!(sniff_delimiter(Path::new("x.TSV"), "a,b\n"), '\t');
    }

    #[test]
    fn a_first_row_of_column_names_is_a_header() {
        for header in [
            &["front", "back"][..],
            &["Front", "Back"],
            &["TERM", "Definition"],
            &["question", "answer", "tags"],
            &["\"Prompt\"", "Answer:"],
            &["word", "meaning", ""],
            &["Side 1", "Side 2"],
        ] {
            assert!(looks_like_header(header), "{header:?}");
        }
        for card in [
            &["hola", "hello"][..],
            &["front", "front"],
            &["Korean", "English"],
            &["front"],
            &["term", "definition", "a cell of a card"],
            &[],
        ] {
            assert!(!looks_like_header(card), "{card:?}");
        }
        assert!(is_header(HeaderRow::Yes, &["hola", "hello"]));
        assert!(!is_header(HeaderRow::No, &["front", "back"]));
    }

    #[test]
    fn delimiters_are_given_by_name_or_as_one_ascii_character() {
        assert_eq!(parse_delimiter("tab"), Ok('\t'));
        assert_eq!(parse_delimiter("\\t"), Ok('\t'));
        assert_eq!(parse_delimiter("\t"), Ok('\t'));
        assert_eq!(parse_delimiter("Semicolon"), Ok(';'));
        assert_eq!(parse_delimiter(";"), Ok(';'));
        assert_eq!(parse_delimiter("|"), Ok('|'));
        let err = parse_delimiter("\u{2192}").unwrap_err();
        assert!(err.contains("not an ASCII character"), "{err}");
        let err = parse_delimiter(",;").unwrap_err();
        assert!(err.contains("not one character"), "{err}");
        let err = parse_delimiter("\"").unwrap_err();
        assert!(err.contains("cannot separate columns"), "{err}");
    }

    /// A preview of `text` in a file called `name`.
    fn preview_of(
        name: &str,
        text: &str,
        format: Option<TextFormat>,
        header: HeaderRow,
    ) -> Result<TextPreview, ImportError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        preview_text(&path, format, header, 10)
    }

    fn pairs(preview: &TextPreview) -> Vec<(&str, &str)> {
        preview
            .first
            .iter()
            .map(|(p, a)| (p.as_str(), a.as_str()))
            .collect()
    }

    /// The decks `text` in a file called `name` makes with `options`.
    fn read(name: &str, text: &str, options: &ImportOptions) -> Vec<GatheredDeck> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let ticker = Ticker::quiet(&cancel);
        read_text(&path, options, &ticker).unwrap().decks
    }

    #[test]
    fn an_imported_deck_is_titled_as_asked_or_after_its_file_in_words() {
        let text = "Paris\tFrance\nRome\tItaly\n";
        let decks = read("world_capitals.txt", text, &ImportOptions::default());
        assert_eq!(decks[0].title, "World capitals");
        assert_eq!(decks[0].id, "world-capitals");
        let titled = ImportOptions {
            deck_title: Some(" Capitals of Europe ".into()),
            ..ImportOptions::default()
        };
        let decks = read("world_capitals.txt", text, &titled);
        assert_eq!(decks[0].title, "Capitals of Europe");
        assert_eq!(decks[0].id, "capitals-of-europe");
        assert_eq!(title_from_file_name("GRE-words"), "GRE words");
    }

    #[test]
    fn imported_cards_are_not_terms_and_can_come_both_ways_as_siblings() {
        let text = "Paris\tFrance\nRome\tItaly\n";
        let one_way = read("capitals.txt", text, &ImportOptions::default());
        assert_eq!(one_way[0].cards.len(), 2);
        assert!(
            one_way[0]
                .cards
                .iter()
                .all(|c| c.category == IMPORTED_CATEGORY)
        );
        assert_ne!(IMPORTED_CATEGORY, "term");
        let both = ImportOptions {
            reverse: true,
            ..ImportOptions::default()
        };
        for name in ["capitals.txt", "capitals.csv"] {
            let text = if name.ends_with("csv") {
                "Paris,France\nRome,Italy\n"
            } else {
                text
            };
            let cards = &read(name, text, &both)[0].cards;
            assert_eq!(cards.len(), 4, "{name}");
            let (forward, back) = (&cards[0], &cards[1]);
            assert_eq!(
                (forward.prompt.as_str(), forward.answer.as_str()),
                ("Paris", "France")
            );
            assert_eq!(
                (back.prompt.as_str(), back.answer.as_str()),
                ("France", "Paris")
            );
            assert_eq!(forward.sibling_key(), back.sibling_key());
            assert!(forward.sibling_key().is_some());
            assert_ne!(forward.id, back.id);
            assert_ne!(cards[0].sibling_key(), cards[2].sibling_key());
        }
    }

    #[test]
    fn a_spreadsheet_s_header_row_is_no_card_unless_the_learner_says_so() {
        let text = "Front,Back\nhola,hello\n\"adios, amigo\",goodbye\n";
        let auto = preview_of("words.csv", text, None, HeaderRow::Auto).unwrap();
        assert_eq!(
            auto.format,
            TextFormat::Csv {
                delimiter: Some(',')
            }
        );
        assert_eq!(
            auto.header,
            Some(vec!["Front".to_owned(), "Back".to_owned()])
        );
        assert_eq!(
            pairs(&auto),
            [("hola", "hello"), ("adios, amigo", "goodbye")]
        );
        let no = preview_of("words.csv", text, None, HeaderRow::No).unwrap();
        assert_eq!(no.header, None);
        assert_eq!(no.cards, 3);
        assert_eq!(pairs(&no)[0], ("Front", "Back"));

        let plain = "hola,hello\nadios,goodbye\n";
        let auto = preview_of("words.csv", plain, None, HeaderRow::Auto).unwrap();
        assert_eq!((auto.cards, auto.header), (2, None));
        let yes = preview_of("words.csv", plain, None, HeaderRow::Yes).unwrap();
        assert_eq!(
            yes.header,
            Some(vec!["hola".to_owned(), "hello".to_owned()])
        );
        assert_eq!(pairs(&yes), [("adios", "goodbye")]);

        // A row naming flashdrill fields is read by name; as a card only when told.
        let fields = "prompt;answer;category\nWho?;Kim Jong Un;actor\n";
        let auto = preview_of("f.csv", fields, None, HeaderRow::Auto).unwrap();
        assert_eq!(pairs(&auto), [("Who?", "Kim Jong Un")]);
        assert_eq!(auto.header.as_ref().map(Vec::len), Some(3));
        let no = preview_of("f.csv", fields, None, HeaderRow::No).unwrap();
        assert_eq!(pairs(&no), [("prompt", "answer"), ("Who?", "Kim Jong Un")]);
    }

    #[test]
    fn a_quizlet_export_s_header_row_is_no_card_either() {
        let text = "Term\tDefinition\nuno\tone\n";
        let auto = preview_of("set.txt", text, None, HeaderRow::Auto).unwrap();
        assert_eq!(pairs(&auto), [("uno", "one")]);
        assert_eq!(
            auto.header,
            Some(vec!["Term".to_owned(), "Definition".to_owned()])
        );
        let no = preview_of("set.txt", text, None, HeaderRow::No).unwrap();
        assert_eq!(no.cards, 2);
    }

    #[test]
    fn a_spreadsheet_is_read_with_the_delimiter_given() {
        let text = "uno;one, the number\ndos;two\n";
        let comma = TextFormat::Csv {
            delimiter: Some(','),
        };
        // Split at the comma, the first row has two cells but the second only one.
        let err = preview_of("n.csv", text, Some(comma), HeaderRow::Auto)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "n.csv: line 2: \"dos;two\" has no comma between the prompt and the answer"
            ),
            "{err}"
        );
        let semi = TextFormat::Csv {
            delimiter: Some(';'),
        };
        let preview = preview_of("n.csv", text, Some(semi), HeaderRow::Auto).unwrap();
        assert_eq!(
            pairs(&preview),
            [("uno", "one, the number"), ("dos", "two")]
        );
        // Blank rows are passed over; a row with an empty side is left out and counted.
        let preview = preview_of("n.csv", "a;b\n\n;c\nd;e\n", Some(semi), HeaderRow::Auto).unwrap();
        assert_eq!(pairs(&preview), [("a", "b"), ("d", "e")]);
        assert_eq!(
            preview.skipped,
            [("row with an empty prompt or answer".to_owned(), 1)]
        );
        let arrow = TextFormat::Csv {
            delimiter: Some('\u{2192}'),
        };
        let err = preview_of("n.csv", text, Some(arrow), HeaderRow::Auto)
            .unwrap_err()
            .to_string();
        assert!(err.contains("n.csv: line 1:"), "{err}");
        assert!(err.contains("not an ASCII character"), "{err}");
    }

    #[test]
    fn a_preview_shows_the_first_cards_or_where_reading_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("quiz.txt");
        std::fs::write(&path, "KCNA=North Korea's agency\nTASS=Russia's agency\n").unwrap();
        // Detected as Quizlet with a comma: the first card has none.
        let err = preview_text(&path, None, HeaderRow::Auto, 5)
            .unwrap_err()
            .to_string();
        assert!(err.contains("quiz.txt") && err.contains("line 1"), "{err}");
        let format = TextFormat::Quizlet {
            term: Some('='),
            card: None,
        };
        let preview = preview_text(&path, Some(format), HeaderRow::Auto, 1).unwrap();
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
        let preview = preview_text(&path, None, HeaderRow::Auto, 5).unwrap();
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
