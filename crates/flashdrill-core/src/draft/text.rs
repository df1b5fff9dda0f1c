//! An article's text: checking it is usable (UTF-8, not empty, not too large, not binary), and
//! cutting it into paragraphs, sentences and words with their byte offsets.

use std::fs::File;
use std::io::Read;
use std::ops::Range;
use std::path::Path;

/// The largest article read: 5 MB.
pub const MAX_ARTICLE_BYTES: u64 = 5 * 1024 * 1024;

/// Why an article cannot be used. `Display` says what is wrong and what to do, without the
/// file's name (the caller puts it in front).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArticleError {
    #[error("could not be read: {0}")]
    Read(String),
    #[error("the article is empty: open or paste a text with some sentences")]
    Empty,
    #[error("the article is {0} bytes, over the 5 MB (5242880 bytes) limit: split it into parts")]
    TooLarge(u64),
    #[error("it is a binary file, not text: open a .txt or .md file, or paste the text")]
    Binary,
    #[error("line {line}: byte {offset} is not UTF-8 text; save the article as UTF-8")]
    NotUtf8 { offset: usize, line: usize },
}

/// Reads an article file, checking its size before reading it.
pub fn read_article(path: &Path) -> Result<String, ArticleError> {
    let read = |e: std::io::Error| ArticleError::Read(e.to_string());
    let file = File::open(path).map_err(read)?;
    let meta = file.metadata().map_err(read)?;
    if meta.is_dir() {
        return Err(ArticleError::Read("it is a folder, not a file".to_owned()));
    }
    if meta.len() > MAX_ARTICLE_BYTES {
        return Err(ArticleError::TooLarge(meta.len()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_ARTICLE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read)?;
    article_from_bytes(&bytes)
}

/// Checks the bytes of an article: size, binary, encoding, then [`check_article`].
pub fn article_from_bytes(bytes: &[u8]) -> Result<String, ArticleError> {
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        return Err(ArticleError::TooLarge(bytes.len() as u64));
    }
    // Text never holds NUL bytes; images, archives and executables nearly always do early on.
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(ArticleError::Binary);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let offset = err.valid_up_to();
            let line = bytes[..offset].split(|&b| b == b'\n').count();
            return Err(ArticleError::NotUtf8 { offset, line });
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    check_article(text)?;
    Ok(text.to_owned())
}

/// Checks pasted text: not empty, not too large, no control characters of binary data.
pub fn check_article(text: &str) -> Result<(), ArticleError> {
    if text.len() as u64 > MAX_ARTICLE_BYTES {
        return Err(ArticleError::TooLarge(text.len() as u64));
    }
    if text.contains('\0') {
        return Err(ArticleError::Binary);
    }
    if !text.chars().any(char::is_alphanumeric) {
        return Err(ArticleError::Empty);
    }
    Ok(())
}

/// The paragraphs of `text`: runs of non-blank lines, trimmed.
pub(crate) fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if let Some(s) = start.take() {
                out.push(s..end);
            }
        } else {
            let lead = line.len() - line.trim_start().len();
            if start.is_none() {
                start = Some(offset + lead);
            }
            end = offset + line.trim_end().len();
        }
        offset += line.len();
    }
    if let Some(s) = start {
        out.push(s..end);
    }
    out
}

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "prof", "gen", "col", "lt", "sgt", "jr", "sr", "vs", "etc",
    "inc", "ltd", "co", "no", "mt", "ft", "approx", "fig", "gov", "sen", "rep", "pres",
];

/// The sentences of a paragraph (`range` in `text`), trimmed: split after `.`, `!` or `?` (and
/// any closing quotes) followed by a space and a capital letter, digit or opening quote; not
/// after abbreviations ("Mr.", "U.S.", initials).
pub(crate) fn sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let para = &text[range.clone()];
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = para.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if matches!(c, '.' | '!' | '?') {
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '\'' | '”' | '’' | ')' | ']') {
                j += 1;
            }
            let end = chars.get(j).map_or(para.len(), |(p, _)| *p);
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() {
                k += 1;
            }
            let spaced = k > j;
            let next_starts = chars.get(k).is_some_and(|(_, n)| {
                n.is_uppercase() || n.is_ascii_digit() || matches!(n, '"' | '“' | '‘' | '\'')
            });
            if spaced && next_starts && !(c == '.' && is_abbreviation(&para[start..pos])) {
                push_trimmed(&mut out, range.start, para, start..end);
                start = chars[k].0;
                i = k;
                continue;
            }
        }
        i += 1;
    }
    push_trimmed(&mut out, range.start, para, start..para.len());
    out
}

fn push_trimmed(out: &mut Vec<Range<usize>>, base: usize, para: &str, r: Range<usize>) {
    let piece = &para[r.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        let s = base + r.start + lead;
        out.push(s..s + trimmed.len());
    }
}

/// Whether the word before a full stop at the end of `before` is an abbreviation.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .trim_start_matches(['(', '"', '“', '\'']);
    if word.contains('.') {
        return true; // U.S. or e.g.
    }
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_uppercase()
    {
        return true; // an initial: "John F. Kennedy"
    }
    ABBREVIATIONS.contains(&word.to_ascii_lowercase().as_str())
}

/// A word of a sentence: its byte range in the article, without surrounding punctuation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    pub range: Range<usize>,
    /// Punctuation followed it (a comma, full stop, colon, closing bracket…): a name ends here.
    pub stop_after: bool,
    /// The byte range without a possessive `'s` / `’s`.
    pub core: Range<usize>,
}

/// The words of the sentence at `range` in `text`.
pub(crate) fn words(text: &str, range: Range<usize>) -> Vec<Word> {
    let mut out = Vec::new();
    let sentence = &text[range.clone()];
    let mut offset = 0;
    for raw in sentence.split_inclusive(char::is_whitespace) {
        let piece_start = range.start + offset;
        offset += raw.len();
        let token = raw.trim_end();
        let lead = token.len()
            - token
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .len();
        let inner = token.trim_matches(|c: char| !c.is_alphanumeric());
        if inner.is_empty() {
            continue;
        }
        let start = piece_start + lead;
        let mut end = start + inner.len();
        let after = &token[lead + inner.len()..];
        if after.starts_with('%') || (inner.contains('.') && after.starts_with('.')) {
            end += 1;
        }
        // A line break ends a name as punctuation does (a heading above a paragraph).
        let stop_after = token.len() > end - piece_start || raw.ends_with(['\n', '\r']);
        let core_end = ["’s", "'s"]
            .iter()
            .find_map(|s| inner.strip_suffix(s))
            .map_or(end, |c| start + c.len());
        out.push(Word {
            range: start..end,
            stop_after,
            core: start..core_end,
        });
    }
    out
}

/// Curly quotes as straight ones, kinds of dash alike, runs of whitespace as one space, trimmed:
/// how sources are compared with the article ("word for word, ignoring curly versus straight
/// quotes and line breaks"). The project's one folding, at its verbatim setting.
#[must_use]
pub fn normalise(text: &str) -> String {
    crate::quiz::normalize::fold_with(text, crate::quiz::normalize::Folding::VERBATIM)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        paragraphs(text)
            .into_iter()
            .flat_map(|p| sentences(text, p))
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn splits_paragraphs_and_sentences() {
        let text = "Title line\n\n  First one. Second, by Mr. Smith of the U.S. government! Third?\n\
                    \"Quoted.\" 2000 was a year.\n\nLast";
        assert_eq!(
            split(text),
            [
                "Title line",
                "First one.",
                "Second, by Mr. Smith of the U.S. government!",
                "Third?",
                "\"Quoted.\"",
                "2000 was a year.",
                "Last"
            ]
        );
        assert_eq!(paragraphs(text).len(), 3);
    }

    #[test]
    fn words_lose_punctuation_and_possessives() {
        let text = "Putin’s visit, (in 2000).";
        let w = words(text, 0..text.len());
        let texts: Vec<&str> = w.iter().map(|w| &text[w.range.clone()]).collect();
        assert_eq!(texts, ["Putin’s", "visit", "in", "2000"]);
        assert_eq!(&text[w[0].core.clone()], "Putin");
        assert!(w[1].stop_after);
        assert!(!w[2].stop_after);
    }

    #[test]
    fn refuses_unusable_articles() {
        assert_eq!(article_from_bytes(b""), Err(ArticleError::Empty));
        assert_eq!(article_from_bytes(b" \n\t "), Err(ArticleError::Empty));
        assert_eq!(
            article_from_bytes(b"\x89PNG\r\n\x1a\n\0\0\0"),
            Err(ArticleError::Binary)
        );
        assert_eq!(
            article_from_bytes(b"ok\nbad \xff byte"),
            Err(ArticleError::NotUtf8 { offset: 7, line: 2 })
        );
        let big = vec![b'a'; (MAX_ARTICLE_BYTES + 1) as usize];
        assert!(matches!(
            article_from_bytes(&big),
            Err(ArticleError::TooLarge(_))
        ));
        assert_eq!(article_from_bytes(b"\xef\xbb\xbfHi.").unwrap(), "Hi.");
        let err = read_article(Path::new("/no/such/article.txt")).unwrap_err();
        assert!(err.to_string().starts_with("could not be read"));
        assert!(
            ArticleError::Binary
                .to_string()
                .contains("open a .txt or .md file")
        );
    }

    #[test]
    fn normalises_quotes_and_spaces() {
        assert_eq!(
            normalise("  Putin\u{2019}s \n\n \u{201c}visit\u{201d} "),
            "Putin's \"visit\""
        );
    }
}
