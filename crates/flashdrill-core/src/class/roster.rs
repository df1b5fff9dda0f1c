//! Reading a roster: names typed one per line, a text file with one name per line, or a CSV
//! file with a `name` column.
//!
//! Blank lines are skipped, and so is a header: the first line of a CSV file, or a first line
//! that only says `name`, `names`, `student` or `students`. Two names that fold the same
//! ([`fold_name`]: case, accents and spaces ignored) are refused with both line numbers.

use std::collections::HashMap;

use super::fold_name;

/// The longest name a roster may hold, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// Why a roster was refused. Line numbers count from 1, blank lines included.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RosterError {
    #[error("line {line}: \"{name}\" is already on the roster (line {first})")]
    Duplicate {
        line: usize,
        first: usize,
        name: String,
    },
    #[error("line {line}: the name is longer than {MAX_NAME_CHARS} characters")]
    TooLong { line: usize },
    #[error("line {line}: {message}")]
    Csv { line: usize, message: String },
    #[error("there are no names in it")]
    Empty,
}

/// One name of a roster and the line it was on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterName {
    pub line: usize,
    /// As written, with its spaces trimmed and collapsed.
    pub name: String,
}

/// Words a one-name-per-line file may have as its header.
const HEADERS: [&str; 4] = ["name", "names", "student", "students"];

/// The names of a roster (see the module's documentation), in order.
pub fn parse_roster(text: &str) -> Result<Vec<RosterName>, RosterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().enumerate().find(|(_, l)| !l.trim().is_empty());
    let Some((first_index, first_line)) = first else {
        return Err(RosterError::Empty);
    };
    let names = match csv_name_column(first_line) {
        Some((column, delimiter)) => read_csv(text, column, delimiter)?,
        None => text
            .lines()
            .enumerate()
            .filter(|&(i, l)| !(i == first_index && HEADERS.contains(&fold_name(l).as_str())))
            .map(|(i, l)| RosterName {
                line: i + 1,
                name: tidy(l),
            })
            .filter(|n| !n.name.is_empty())
            .collect(),
    };
    check(names)
}

/// Checks a list of names typed or read: lengths and duplicates.
pub fn check_names(names: &[String]) -> Result<Vec<RosterName>, RosterError> {
    check(
        names
            .iter()
            .enumerate()
            .map(|(i, n)| RosterName {
                line: i + 1,
                name: tidy(n),
            })
            .filter(|n| !n.name.is_empty())
            .collect(),
    )
}

/// The name with its spaces trimmed and runs of whitespace made one space.
#[must_use]
pub fn tidy(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check(names: Vec<RosterName>) -> Result<Vec<RosterName>, RosterError> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for n in &names {
        if n.name.chars().count() > MAX_NAME_CHARS {
            return Err(RosterError::TooLong { line: n.line });
        }
        if let Some(&first) = seen.get(&fold_name(&n.name)) {
            return Err(RosterError::Duplicate {
                line: n.line,
                first,
                name: n.name.clone(),
            });
        }
        seen.insert(fold_name(&n.name), n.line);
    }
    if names.is_empty() {
        return Err(RosterError::Empty);
    }
    Ok(names)
}

/// When `header` is a CSV header with a `name` column: its index and the delimiter.
fn csv_name_column(header: &str) -> Option<(usize, u8)> {
    [b',', b';', b'\t'].into_iter().find_map(|d| {
        if !header.as_bytes().contains(&d) {
            return None;
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .delimiter(d)
            .from_reader(header.as_bytes());
        let record = reader.records().next()?.ok()?;
        record
            .iter()
            .position(|f| fold_name(f) == "name")
            .map(|i| (i, d))
    })
}

/// The `column` of every line after the header. Each line is one record (a quoted name may
/// hold the delimiter, not a line break), so that line numbers are the file's.
fn read_csv(text: &str, column: usize, delimiter: u8) -> Result<Vec<RosterName>, RosterError> {
    let mut out = Vec::new();
    let mut header_seen = false;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(line.as_bytes());
        let Some(record) = reader.records().next() else {
            continue;
        };
        let record = record.map_err(|e| RosterError::Csv {
            line: i + 1,
            message: e.to_string(),
        })?;
        let name = tidy(record.get(column).unwrap_or_default());
        if !name.is_empty() {
            out.push(RosterName { line: i + 1, name });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(usize, String)> {
        parse_roster(text)
            .unwrap()
            .into_iter()
            .map(|n| (n.line, n.name))
            .collect()
    }

    #[test]
    fn one_name_per_line_skips_blanks_and_a_header() {
        assert_eq!(
            names("Name\n\n  Ana   Lima \nBo\n"),
            [(3, "Ana Lima".to_owned()), (4, "Bo".to_owned())]
        );
        // "Smith, John" without a `name` column is one name.
        assert_eq!(names("Smith, John\n"), [(1, "Smith, John".to_owned())]);
    }

    #[test]
    fn a_csv_file_gives_its_name_column() {
        let text = "id,Name,class\r\n1,\"Lima, Ana\",7b\r\n\r\n2,Bo,7b\r\n3,,7b\r\n";
        assert_eq!(
            names(text),
            [(2, "Lima, Ana".to_owned()), (4, "Bo".to_owned())]
        );
        assert_eq!(names("name;x\nZoë;1\n"), [(2, "Zoë".to_owned())]);
    }

    #[test]
    fn duplicates_are_refused_with_their_lines() {
        assert_eq!(
            parse_roster("Ana\nBo\n\n  ANA  \n"),
            Err(RosterError::Duplicate {
                line: 4,
                first: 1,
                name: "ANA".to_owned()
            })
        );
        let err = parse_roster("name\nZoë Roy\nzoe  roy\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3: \"zoe roy\" is already on the roster (line 2)"
        );
        assert_eq!(parse_roster("\n name \n"), Err(RosterError::Empty));
        assert_eq!(
            parse_roster(&"x".repeat(101)),
            Err(RosterError::TooLong { line: 1 })
        );
    }
}
