//! Writing CSV files (class drill results, statistics reports) through the `csv` crate, with
//! one rule against formula injection.
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and some also
//! after a leading tab or carriage return), so a team called `=HYPERLINK("http://x","y")` or a
//! deck prompt starting with `+` could run something when a teacher opens the file. Every
//! *text* cell — anything a learner, a teacher or a deck wrote — goes through [`text`], which
//! puts a `'` before such a first character; spreadsheets show the rest as plain text.
//!
//! Numbers, times and fixed words that the app itself formats are written as they are, through
//! [`Cell::Plain`]: a negative number such as `-3` is not a formula (spreadsheets read it as a
//! number), cannot carry one, and stays a number that sums and sorts. A user's text that happens
//! to look like a number (a prompt `-3`) is still text and is prefixed: the rule for text is
//! simple and has no exceptions.

use std::borrow::Cow;

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell made safe to open in a spreadsheet: with a leading `'` when it starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return; unchanged otherwise.
#[must_use]
pub fn text(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// One cell of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell<'a> {
    /// Text from a learner, a teacher or a deck: goes through [`text`].
    Text(&'a str),
    /// A number, time or fixed word the app formatted itself: written as it is.
    Plain(&'a str),
}

impl<'a> Cell<'a> {
    fn written(self) -> Cow<'a, str> {
        match self {
            Self::Text(s) => text(s),
            Self::Plain(s) => Cow::Borrowed(s),
        }
    }
}

/// Line ends of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnd {
    /// `\n`.
    Lf,
    /// `\r\n`, as RFC 4180.
    CrLf,
}

/// A CSV file being written in memory: rows of any length (RFC 4180 quoting, by the `csv`
/// crate), optionally separated by blank lines.
pub struct CsvText {
    writer: csv::Writer<Vec<u8>>,
    line_end: LineEnd,
}

impl CsvText {
    #[must_use]
    pub fn new(line_end: LineEnd) -> Self {
        Self {
            writer: Self::writer(line_end, Vec::new()),
            line_end,
        }
    }

    fn writer(line_end: LineEnd, buf: Vec<u8>) -> csv::Writer<Vec<u8>> {
        let terminator = match line_end {
            LineEnd::Lf => csv::Terminator::Any(b'\n'),
            LineEnd::CrLf => csv::Terminator::CRLF,
        };
        csv::WriterBuilder::new()
            .flexible(true)
            .terminator(terminator)
            .from_writer(buf)
    }

    /// Appends one row.
    pub fn row<'c>(&mut self, cells: impl IntoIterator<Item = Cell<'c>>) {
        // Writing into memory cannot fail, and flexible rows have no length to disagree with.
        for cell in cells {
            let _ = self.writer.write_field(cell.written().as_bytes());
        }
        let _ = self.writer.write_record(None::<&[u8]>);
    }

    /// Appends a blank line (between two tables of one file).
    pub fn blank_line(&mut self) {
        let mut buf = self.take();
        buf.extend_from_slice(match self.line_end {
            LineEnd::Lf => b"\n",
            LineEnd::CrLf => b"\r\n",
        });
        self.writer = Self::writer(self.line_end, buf);
    }

    fn take(&mut self) -> Vec<u8> {
        let writer = std::mem::replace(&mut self.writer, Self::writer(self.line_end, Vec::new()));
        // Flushing into a Vec cannot fail.
        writer.into_inner().unwrap_or_default()
    }

    /// The file's text.
    #[must_use]
    pub fn finish(mut self) -> String {
        // Every cell was a `&str`, so the bytes are UTF-8.
        String::from_utf8(self.take()).unwrap_or_default()
    }
}

/// One text cell as it appears inside a CSV row: made safe by [`text`], then quoted when it
/// holds a comma, a quote or a line break (quotes doubled).
#[must_use]
pub fn text_field(cell: &str) -> String {
    if cell.is_empty() {
        return String::new();
    }
    let mut out = CsvText::new(LineEnd::Lf);
    out.row([Cell::Text(cell)]);
    let mut line = out.finish();
    line.pop();
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn formula_starts_get_a_quote_mark_and_nothing_else_changes() {
        for (cell, safe) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+1 (rather)", "'+1 (rather)"),
            ("-3", "'-3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Kim Jong-un", "Kim Jong-un"),
            ("1 + 1 = 2", "1 + 1 = 2"),
            ("", ""),
            ("'quoted'", "'quoted'"),
        ] {
            assert_eq!(text(cell), safe, "{cell:?}");
        }
    }

    #[test]
    fn rows_are_quoted_by_the_csv_crate_and_parse_back() {
        let mut out = CsvText::new(LineEnd::CrLf);
        out.row([Cell::Plain("n"), Cell::Text("team")]);
        out.row([Cell::Plain("-3"), Cell::Text("=1+1, \"really\"")]);
        out.blank_line();
        out.row([
            Cell::Text("two\nlines"),
            Cell::Plain("1.5"),
            Cell::Text("+x"),
        ]);
        let text = out.finish();
        assert_eq!(
            text,
            "n,team\r\n-3,\"'=1+1, \"\"really\"\"\"\r\n\r\n\"two\nlines\",1.5,'+x\r\n"
        );
        assert_eq!(
            parse(&text),
            [
                vec!["n", "team"],
                vec!["-3", "'=1+1, \"really\""],
                vec!["two\nlines", "1.5", "'+x"],
            ]
        );
    }

    #[test]
    fn a_text_field_is_what_a_row_holds() {
        assert_eq!(text_field("plain"), "plain");
        assert_eq!(text_field("a, b"), "\"a, b\"");
        assert_eq!(text_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(text_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(text_field("+1"), "'+1");
        assert_eq!(text_field("=a,b"), "\"'=a,b\"");
        assert_eq!(text_field(""), "");
    }
}
