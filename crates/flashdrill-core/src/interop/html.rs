//! Anki field HTML as plain text, the media a field refers to, and cloze deletions.

/// A field's HTML as plain text: tags removed, `<br>` and the ends of block elements as line
/// breaks, character references decoded as a browser does (every named HTML5 entity, decimal
/// and hex numeric ones; an unknown name stays as written), `[sound:…]` references removed,
/// runs of spaces on a line collapsed and blank lines at either end dropped.
#[must_use]
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(pos) = rest.find(['<', '[']) {
        out.push_str(&htmlize::unescape(&rest[..pos]));
        rest = &rest[pos..];
        if rest.starts_with('<') {
            let Some(end) = rest.find('>') else {
                // A lone '<' is text.
                out.push('<');
                rest = &rest[1..];
                continue;
            };
            let tag = rest[1..end].trim();
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            let closing = tag.starts_with('/');
            if name == "br" || (closing && is_block(&name)) || (!closing && name == "li") {
                out.push('\n');
            }
            // Script and style bodies are not text.
            if !closing && (name == "script" || name == "style") {
                let close = format!("</{name}");
                let lower = rest.to_ascii_lowercase();
                rest = lower.find(&close).map_or("", |i| &rest[i..]);
                continue;
            }
            rest = &rest[end + 1..];
        } else if let Some(after) = rest.strip_prefix("[sound:")
            && let Some(end) = after.find(']')
        {
            rest = &after[end + 1..];
        } else {
            out.push('[');
            rest = &rest[1..];
        }
    }
    out.push_str(&htmlize::unescape(rest));
    tidy(&out)
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "div"
            | "p"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
    )
}

/// Collapses runs of spaces within lines, trims each line, drops blank lines at either end and
/// keeps at most one blank line between paragraphs.
fn tidy(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in text.split('\n') {
        let words: Vec<&str> = line.split_whitespace().collect();
        let line = words.join(" ");
        if line.is_empty() && lines.last().is_some_and(String::is_empty) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    while lines.first().is_some_and(String::is_empty) {
        lines.remove(0);
    }
    lines.join("\n")
}

/// The `src` of every `<img>` in `html`, entities decoded, in order.
#[must_use]
pub fn image_sources(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<img") {
        let start = from + i;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &html[start..end];
        if let Some(src) = attribute(tag, "src") {
            let decoded = html_to_text(&src);
            if !decoded.is_empty() {
                out.push(decoded);
            }
        }
        from = end;
    }
    out
}

/// The value of attribute `name` in one tag's text (quoted or not).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at > 0 && lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_start = tag.len() - rest.len() + 1;
        let value = tag[value_start..].trim_start();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or("").to_owned(),
            _ => value
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("")
                .to_owned(),
        });
    }
    None
}

/// How many `[sound:…]` references `html` holds.
#[must_use]
pub fn sound_count(html: &str) -> usize {
    html.matches("[sound:").count()
}

/// The sound file names referenced by `[sound:…]` in `html`.
#[must_use]
pub fn sound_names(html: &str) -> Vec<&str> {
    html.split("[sound:")
        .skip(1)
        .filter_map(|s| s.split(']').next())
        .collect()
}

/// One `{{cN::answer::hint}}` deletion.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Deletion {
    number: u32,
    answer: String,
    hint: Option<String>,
}

/// A piece of cloze text: plain text or a deletion.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Deletion(Deletion),
}

/// Splits cloze text into plain pieces and `{{cN::…}}` deletions (not nested).
fn cloze_pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{c") {
        let after = &rest[start + 3..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let body_start = digits.len();
        let parsed = (!digits.is_empty() && after[body_start..].starts_with("::"))
            .then(|| {
                let body = &after[body_start + 2..];
                body.find("}}")
                    .map(|end| (&body[..end], body_start + 2 + end + 2))
            })
            .flatten();
        let Some((body, used)) = parsed else {
            out.push(Piece::Text(rest[..start + 3].to_owned()));
            rest = &rest[start + 3..];
            continue;
        };
        if start > 0 {
            out.push(Piece::Text(rest[..start].to_owned()));
        }
        let (answer, hint) = match body.split_once("::") {
            Some((a, h)) => (a, Some(h.to_owned())),
            None => (body, None),
        };
        out.push(Piece::Deletion(Deletion {
            number: digits.parse().unwrap_or(0),
            answer: answer.to_owned(),
            hint,
        }));
        rest = &after[used..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_owned()));
    }
    out
}

/// The distinct cloze numbers in `text`, ascending.
#[must_use]
pub fn cloze_numbers(text: &str) -> Vec<u32> {
    let mut numbers: Vec<u32> = cloze_pieces(text)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Deletion(d) if d.number > 0 => Some(d.number),
            _ => None,
        })
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

/// One cloze card made from a cloze note's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClozeCard {
    /// The text with deletion `number` shown as `[…]` (or `[hint]`) and the others revealed.
    pub prompt: String,
    /// The answers of deletion `number`, joined by ", ".
    pub answer: String,
    /// flashdrill's cloze form (the one blank as `{{answer}}`), when deletion `number` occurs
    /// once and the text has no braces of its own.
    pub cloze: Option<String>,
}

/// The card for cloze `number` of `html` (a cloze note's text field, HTML), as plain text.
#[must_use]
pub fn cloze_card(html: &str, number: u32) -> ClozeCard {
    let pieces = cloze_pieces(html);
    let mut prompt = String::new();
    let mut cloze = String::new();
    let mut answers = Vec::new();
    for piece in &pieces {
        match piece {
            Piece::Text(t) => {
                prompt.push_str(t);
                cloze.push_str(t);
            }
            Piece::Deletion(d) if d.number == number => {
                let shown = d
                    .hint
                    .as_deref()
                    .map_or_else(|| "[…]".to_owned(), |h| format!("[{h}]"));
                prompt.push_str(&shown);
                cloze.push('\u{1}');
                answers.push(html_to_text(&d.answer));
            }
            Piece::Deletion(d) => {
                prompt.push_str(&d.answer);
                cloze.push_str(&d.answer);
            }
        }
    }
    let answer = answers.join(", ");
    let cloze_text = html_to_text(&cloze);
    let cloze = (answers.len() == 1
        && !cloze_text.contains(['{', '}'])
        && !answer.contains(['{', '}'])
        && !answer.trim().is_empty())
    .then(|| cloze_text.replace('\u{1}', &format!("{{{{{answer}}}}}")));
    ClozeCard {
        prompt: html_to_text(&prompt),
        answer,
        cloze,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_text_with_line_breaks_and_entities() {
        assert_eq!(
            html_to_text("Capital of <b>France</b>?<br>Think&nbsp;&amp; answer&#33;"),
            "Capital of France?\nThink & answer!"
        );
        assert_eq!(
            html_to_text("<div>one</div><div>two &lt;3&gt;</div>"),
            "one\ntwo <3>"
        );
        assert_eq!(html_to_text("a [sound:x.mp3] b"), "a b");
        assert_eq!(html_to_text("<style>p{}</style>x &bogus; y"), "x &bogus; y");
        assert_eq!(html_to_text("1 < 2 &#x263A;"), "1 < 2 ☺");
        assert_eq!(html_to_text("[not sound]"), "[not sound]");
    }

    #[test]
    fn every_named_and_numeric_entity_decodes_and_unknown_ones_stay() {
        assert_eq!(
            html_to_text("caf&eacute; &hellip; &Auml;pfel &#233;t&#xE9;"),
            "café … Äpfel été"
        );
        assert_eq!(html_to_text("a&nbsp;b"), "a b");
        assert_eq!(html_to_text("x &bogus; y"), "x &bogus; y");
        assert_eq!(
            html_to_text("&CounterClockwiseContourIntegral; &#X263a; &lt;b&gt;"),
            "\u{2233} \u{263a} <b>"
        );
        assert_eq!(
            image_sources(r#"<img src="caf&eacute;.png">"#),
            ["caf\u{e9}.png"]
        );
    }

    #[test]
    fn finds_images_and_sounds() {
        assert_eq!(
            image_sources(
                r#"x<img src="a b.png"> <IMG class=x SRC='c&amp;d.jpg'/><img src=e.gif>"#
            ),
            ["a b.png", "c&d.jpg", "e.gif"]
        );
        assert_eq!(sound_count("[sound:a.mp3][sound:b.ogg]"), 2);
        assert_eq!(
            sound_names("[sound:a.mp3] and [sound:b.ogg]"),
            ["a.mp3", "b.ogg"]
        );
    }

    #[test]
    fn cloze_cards_hide_one_number_and_show_the_others() {
        let text = "{{c1::Rome}} is the capital of {{c2::Italy::country}}.";
        assert_eq!(cloze_numbers(text), [1, 2]);
        let one = cloze_card(text, 1);
        assert_eq!(one.prompt, "[…] is the capital of Italy.");
        assert_eq!(one.answer, "Rome");
        assert_eq!(
            one.cloze.as_deref(),
            Some("{{Rome}} is the capital of Italy.")
        );
        let two = cloze_card(text, 2);
        assert_eq!(two.prompt, "Rome is the capital of [country].");
        assert_eq!(two.answer, "Italy");
        let twice = cloze_card("{{c1::a}} and {{c1::b}}", 1);
        assert_eq!(twice.answer, "a, b");
        assert_eq!(twice.cloze, None);
        assert_eq!(
            cloze_numbers("{{c::x}} {{cx::y}} {{c3::z"),
            Vec::<u32>::new()
        );
    }
}
