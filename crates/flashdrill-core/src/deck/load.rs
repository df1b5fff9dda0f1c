//! Reading one deck file: size, encoding, JSON, then every validation rule.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use serde::Deserialize;

use super::model::{Card, Deck, FORMAT_V1};
use super::problem::{DeckFileError, MAX_DECK_BYTES, Problem};
use super::validate::validate;

/// Reads and validates one deck file. Files over 50 MB are refused before they are read.
///
/// The error names `path` and lists every problem found (see [`parse_deck`]).
pub fn load_file(path: &Path) -> Result<Deck, DeckFileError> {
    let bytes = read_limited(path).map_err(|p| DeckFileError::one(path, p))?;
    parse_deck(path, &bytes)
}

/// Reads a file of at most [`MAX_DECK_BYTES`], checking its size before reading it.
pub(crate) fn read_limited(path: &Path) -> Result<Vec<u8>, Problem> {
    let read_problem = |err: std::io::Error| Problem::Read(err.to_string());
    let file = File::open(path).map_err(read_problem)?;
    let meta = file.metadata().map_err(read_problem)?;
    if meta.is_dir() {
        return Err(Problem::Read("it is a folder, not a file".to_owned()));
    }
    if meta.len() > MAX_DECK_BYTES {
        return Err(Problem::TooLarge { size: meta.len() });
    }
    // The file may grow between the size check and the read: never read past the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_DECK_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_problem)?;
    if bytes.len() as u64 > MAX_DECK_BYTES {
        return Err(Problem::TooLarge {
            size: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

/// Parses and validates a deck from the bytes of a file. `path_for_messages` is only used in
/// the error. Never panics, whatever the bytes.
///
/// Encoding and syntax problems stop the parse (one problem, with its line and column); JSON
/// that does not have the shape of a deck is reported card by card (every card that does not
/// fit, each with its line and column); once the JSON has the shape of a deck, every rule is
/// checked and every problem is reported.
pub fn parse_deck(path_for_messages: &Path, bytes: &[u8]) -> Result<Deck, DeckFileError> {
    let fail = |problem| DeckFileError::one(path_for_messages, problem);
    if bytes.len() as u64 > MAX_DECK_BYTES {
        return Err(fail(Problem::TooLarge {
            size: bytes.len() as u64,
        }));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let offset = err.valid_up_to();
            // Lines are the pieces between newlines: one more than the newlines.
            let line = bytes[..offset].split(|&b| b == b'\n').count();
            return Err(fail(Problem::NotUtf8 { offset, line }));
        }
    };
    // Editors on Windows may start UTF-8 files with a byte order mark; it is not JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut deck: Deck = match serde_json::from_str(text) {
        Ok(deck) => deck,
        Err(err) => {
            return Err(DeckFileError {
                path: path_for_messages.to_path_buf(),
                problems: json_problems(text, &err),
            });
        }
    };
    deck.shrink_to_fit();
    let problems = validate(&deck);
    if problems.is_empty() {
        Ok(deck)
    } else {
        Err(DeckFileError {
            path: path_for_messages.to_path_buf(),
            problems,
        })
    }
}

/// Every shape problem of the JSON: the first one serde_json met and, when that is about the
/// data (not the syntax), those of every other card that does not fit a card, in file order.
fn json_problems(text: &str, err: &serde_json::Error) -> Vec<Problem> {
    let first = json_problem(text, err);
    if err.classify() != serde_json::error::Category::Data
        || matches!(first, Problem::UnknownFormat { .. })
    {
        return vec![first];
    }
    let spans = card_spans(text);
    let mut problems: Vec<Problem> = spans
        .iter()
        .filter_map(|span| {
            let card_err = serde_json::from_str::<Card>(&text[span.clone()]).err()?;
            let (line, column) = line_column(text, span.start);
            let column = if card_err.line() == 1 {
                (column + card_err.column()).saturating_sub(1)
            } else {
                card_err.column()
            };
            Some(Problem::Json {
                line: (line + card_err.line()).saturating_sub(1),
                column,
                message: json_message(&card_err),
            })
        })
        .collect();
    // The first problem outside every card (a deck field) is reported as well.
    let in_a_card = spans.iter().any(|span| {
        let (start, end) = (line_column(text, span.start), line_column(text, span.end));
        (start..=end).contains(&(err.line(), err.column()))
    });
    if !in_a_card {
        problems.insert(0, first);
    }
    if problems.is_empty() {
        vec![json_problem(text, err)]
    } else {
        problems
    }
}

/// The line and column (counting from 1, columns in characters) of byte `offset` of `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Where each entry of the top-level `cards` list is in `text` (JSON whose syntax is sound):
/// byte ranges, in file order. Empty when there is no such list.
fn card_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut depth = 0usize;
    // The last string met directly inside the top-level object (a key, before its value).
    let mut key = (0, 0);
    let mut in_cards = false;
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_cards
            && depth == 2
            && start.is_none()
            && !c.is_ascii_whitespace()
            && c != b','
            && c != b']'
        {
            start = Some(i);
        }
        match c {
            b'"' => {
                let open = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if depth == 1 {
                    key = (open + 1, i.min(bytes.len()));
                }
            }
            b'{' | b'[' => {
                depth += 1;
                if c == b'[' && depth == 2 && text.get(key.0..key.1) == Some("cards") {
                    in_cards = true;
                }
            }
            b'}' | b']' => {
                if in_cards && depth == 2 {
                    // The end of the cards list.
                    if let Some(s) = start.take() {
                        spans.push(s..text[..i].trim_end().len());
                    }
                    in_cards = false;
                }
                depth = depth.saturating_sub(1);
            }
            b',' if in_cards && depth == 2 => {
                if let Some(s) = start.take() {
                    spans.push(s..text[..i].trim_end().len());
                }
            }
            _ => {}
        }
        i += 1;
    }
    spans
}

/// Turns a serde_json error into a problem. When the JSON does not fit format v1 because it
/// declares another format, the format is the problem worth reporting.
fn json_problem(text: &str, err: &serde_json::Error) -> Problem {
    use serde_json::error::Category;

    #[derive(Deserialize)]
    struct FormatProbe {
        format: Option<serde_json::Value>,
    }

    if err.classify() == Category::Data
        && let Ok(FormatProbe {
            format: Some(serde_json::Value::String(found)),
        }) = serde_json::from_str(text)
        && found != FORMAT_V1
    {
        return Problem::UnknownFormat { found };
    }
    Problem::Json {
        line: err.line(),
        column: err.column(),
        message: json_message(err),
    }
}

/// What serde_json found wrong, in plain words, without its place.
fn json_message(err: &serde_json::Error) -> String {
    use serde_json::error::Category;

    let full = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    let detail = plain_quotes(full.strip_suffix(&suffix).unwrap_or(&full));
    match err.classify() {
        Category::Syntax => format!("malformed JSON: {detail}"),
        Category::Eof => format!("the JSON ends too soon: {detail}"),
        Category::Data | Category::Io => detail,
    }
}

/// serde_json quotes names in backticks (`` unknown field `colour` ``) and numbers too
/// (`` integer `5` ``): names get double quotes, found values none.
fn plain_quotes(detail: &str) -> String {
    if detail.starts_with("invalid type") || detail.starts_with("invalid value") {
        detail.replace('`', "")
    } else {
        detail.replace('`', "\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::problem::{CardIssue, CardRef};

    const GOOD: &str = r#"{
  "format": "flashdrill-deck/1",
  "id": "t",
  "title": "T",
  "source": { "title": "Pyongyang and Moscow Honeymoon", "author": "Parisa Pasandepour" },
  "cards": [
    { "id": "c", "category": "date", "prompt": "When?", "answer": "2000", "date": "2000",
      "source": "began in 2000" }
  ]
}"#;

    fn problems(text: &[u8]) -> Vec<String> {
        match parse_deck(Path::new("x.json"), text) {
            Ok(_) => vec![],
            Err(e) => e.messages(),
        }
    }

    #[test]
    fn parses_a_good_deck() {
        let deck = parse_deck(Path::new("x.json"), GOOD.as_bytes()).unwrap();
        assert_eq!(deck.cards[0].date.as_deref(), Some("2000"));
    }

    /// A parsed deck holds no spare room (a 50,000-card library: 37.5 MB → 23.1 MB live).
    #[test]
    fn a_parsed_deck_holds_no_spare_room() {
        let cards: Vec<String> = (0..100)
            .map(|i| {
                format!(
                    r#"{{ "id": "c{i}", "category": "date", "prompt": "When?", "answer": "2000",
                    "date": "2000", "source": "began in 2000", "tags": ["a"] }}"#
                )
            })
            .collect();
        let text = GOOD.replace(
            r#"{ "id": "c", "category": "date", "prompt": "When?", "answer": "2000", "date": "2000",
      "source": "began in 2000" }"#,
            &cards.join(","),
        );
        let deck = parse_deck(Path::new("x.json"), text.as_bytes()).unwrap();
        assert_eq!(deck.cards.len(), 100);
        assert_eq!(deck.cards.capacity(), deck.cards.len());
        assert!(deck.cards.iter().all(|c| c.tags.capacity() == c.tags.len()));
    }

    #[test]
    fn accepts_a_byte_order_mark() {
        let with_bom = format!("\u{feff}{GOOD}");
        assert!(parse_deck(Path::new("x.json"), with_bom.as_bytes()).is_ok());
    }

    #[test]
    fn malformed_json_gives_line_and_column() {
        assert_eq!(
            problems(b"{\n  \"format\": \"flashdrill-deck/1\",\n  \"id\" \"t\"\n}"),
            ["x.json: line 3, column 8: malformed JSON: expected \":\""]
        );
        assert_eq!(
            problems(b"{\"format\": "),
            ["x.json: line 1, column 11: the JSON ends too soon: EOF while parsing a value"]
        );
    }

    #[test]
    fn unknown_fields_are_reported_where_they_are() {
        let text = GOOD.replace("\"date\": \"2000\"", "\"colour\": \"red\"");
        let got = problems(text.as_bytes());
        assert_eq!(got.len(), 1);
        assert!(
            got[0].starts_with(
                "x.json: line 7, column 82: unknown field \"colour\", expected one of \"id\", "
            ),
            "{got:?}"
        );
    }

    #[test]
    fn every_card_that_does_not_fit_is_reported_where_it_is() {
        let two = GOOD.replace(
            r#""source": "began in 2000" }"#,
            r#""source": "began in 2000" },
    { "id": "d", "category": "date", "prompt": "When?", "answer": 2001, "date": "2001",
      "source": "began in 2001" },
    { "id": "e", "category": "date", "prompt": "When?", "answer": "2002", "colour": "red",
      "source": "began in 2002" }"#,
        );
        let bad = two.replacen(r#""date": "2000","#, r#""date": "2000", "size": 3,"#, 1);
        let got = problems(bad.as_bytes());
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[0].starts_with("x.json: line 7, column 96"), "{got:?}");
        assert!(got[0].contains("unknown field \"size\""), "{got:?}");
        assert_eq!(
            got[1],
            "x.json: line 9, column 70: invalid type: integer 2001, expected a string"
        );
        assert!(
            got[2].starts_with("x.json: line 11, column 82: unknown field \"colour\""),
            "{got:?}"
        );
        // A deck field and a card: both.
        let deck_too = two.replace("\"title\": \"T\"", "\"title\": 5");
        let got = problems(deck_too.as_bytes());
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(
            got[0].starts_with("x.json: line 4, column 12: invalid type: integer 5"),
            "{got:?}"
        );
    }

    #[test]
    fn wrong_types_name_the_value_found() {
        let text = GOOD.replace("\"answer\": \"2000\"", "\"answer\": 2000");
        assert_eq!(
            problems(text.as_bytes()),
            ["x.json: line 7, column 70: invalid type: integer 2000, expected a string"]
        );
    }

    #[test]
    fn another_format_is_named_even_when_its_fields_differ() {
        let text = GOOD
            .replace("flashdrill-deck/1", "flashdrill-deck/2")
            .replace("\"title\": \"T\"", "\"name\": \"T\"");
        assert_eq!(
            problems(text.as_bytes()),
            [
                "x.json: the format is \"flashdrill-deck/2\", but this version of flashdrill reads only \"flashdrill-deck/1\""
            ]
        );
    }

    #[test]
    fn bad_utf8_gives_offset_and_line() {
        let mut bytes = b"{\n\"id\": \"".to_vec();
        bytes.push(0xff);
        assert_eq!(
            problems(&bytes),
            ["x.json: line 2: byte 9 is not UTF-8 text; save the file as UTF-8"]
        );
    }

    #[test]
    fn too_many_bytes_are_refused_without_parsing() {
        let bytes = vec![b' '; usize::try_from(MAX_DECK_BYTES).unwrap() + 1];
        let err = parse_deck(Path::new("x.json"), &bytes).unwrap_err();
        assert_eq!(
            err.problems,
            [Problem::TooLarge {
                size: MAX_DECK_BYTES + 1
            }]
        );
    }

    #[test]
    fn validation_problems_come_after_a_successful_parse() {
        let text = GOOD.replace("\"date\": \"2000\"", "\"date\": \"2000-02-30\"");
        let err = parse_deck(Path::new("x.json"), text.as_bytes()).unwrap_err();
        assert!(matches!(
            &err.problems[..],
            [Problem::Card {
                card: CardRef { number: 1, .. },
                issue: CardIssue::BadDate(_)
            }]
        ));
    }

    #[test]
    fn a_missing_file_is_a_read_problem() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("none.json");
        let err = load_file(&path).unwrap_err();
        assert_eq!(err.path, path);
        assert!(matches!(&err.problems[..], [Problem::Read(_)]));
        let err = load_file(dir.path()).unwrap_err();
        assert_eq!(
            err.problems,
            [Problem::Read("it is a folder, not a file".into())]
        );
    }
}
