//! Reading one deck file: size, encoding, JSON, then every validation rule.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use serde::Deserialize;

use super::model::{Deck, FORMAT_V1};
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
/// Encoding and JSON problems stop the parse (one problem, with its line and column); once the
/// JSON has the shape of a deck, every rule is checked and every problem is reported.
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
        Err(err) => return Err(fail(json_problem(text, &err))),
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
    let full = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    let detail = plain_quotes(full.strip_suffix(&suffix).unwrap_or(&full));
    let message = match err.classify() {
        Category::Syntax => format!("malformed JSON: {detail}"),
        Category::Eof => format!("the JSON ends too soon: {detail}"),
        Category::Data | Category::Io => detail,
    };
    Problem::Json {
        line: err.line(),
        column: err.column(),
        message,
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
