//! A printable record of a learner's results: one row per card and one per category, as CSV,
//! JSON or a single self-contained HTML page (for a student's or a teacher's records).
//!
//! Pure: built from the review log, the card states and the decks handed in.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, Offset, TimeZone, Utc};
use serde::Serialize;

use super::{Level, MasteryCounts};
use crate::csv_out::{Cell, CsvText, LineEnd};
use crate::deck::{Category, Library};
use crate::schedule::{Scheduler, State};
use crate::store::{CardProgress, CardRecord, ReviewRecord, Store};

/// The `format` field of the JSON report.
pub const REPORT_FORMAT: &str = "flashdrill-report/1";

/// One card's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardRow {
    pub deck_id: String,
    pub card_id: String,
    /// As written in the deck ("date", "actor", …).
    pub category: String,
    pub prompt: String,
    pub answer: String,
    /// "new", "learning", "review" or "relearning".
    pub state: String,
    /// "new", "learning", "young" or "mature".
    pub level: String,
    pub suspended: bool,
    /// Answers of every mode.
    pub reviews: u32,
    pub right: u32,
    pub wrong: u32,
    pub lapses: u32,
    pub stability: Option<f32>,
    pub difficulty: Option<f32>,
    pub due: Option<DateTime<FixedOffset>>,
    pub last_review: Option<DateTime<FixedOffset>>,
    /// The probability of recalling it now (FSRS), for reviewed cards.
    pub retrievability: Option<f32>,
}

/// One category's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryRow {
    /// As written in the decks ("date", …).
    pub category: String,
    /// For headings ("Dates", …).
    pub label: String,
    pub cards: u32,
    pub new: u32,
    pub learning: u32,
    pub young: u32,
    pub mature: u32,
    pub reviews: u32,
    pub right: u32,
    pub wrong: u32,
    /// Mean retrievability over the reviewed cards.
    pub recall: Option<f64>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub format: &'static str,
    pub profile: String,
    pub generated: DateTime<FixedOffset>,
    /// The deck the report is limited to, if any.
    pub deck: Option<String>,
    pub desired_retention: f32,
    pub categories: Vec<CategoryRow>,
    pub cards: Vec<CardRow>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    right: u32,
    wrong: u32,
}

#[derive(Default)]
struct CategoryAcc {
    counts: MasteryCounts,
    tally: Tally,
    reviewed: u32,
    recall_sum: f64,
}

/// Builds the report for the cards of the loaded decks (of `deck` only, if given), in deck and
/// card order; times are shown in `now_local`'s offset. Stored states of cards no longer in a
/// deck are left out.
pub fn build<'r, Tz: TimeZone>(
    profile: &str,
    reviews: impl IntoIterator<Item = &'r ReviewRecord>,
    cards: &[CardRecord],
    library: &Library,
    scheduler: &Scheduler,
    deck: Option<&str>,
    now_local: &DateTime<Tz>,
) -> Report {
    let mut tallies: HashMap<&str, HashMap<&str, Tally>> = HashMap::new();
    for r in reviews {
        if deck.is_some_and(|d| d != r.deck_id) {
            continue;
        }
        let t = tallies
            .entry(r.deck_id.as_str())
            .or_default()
            .entry(r.card_id.as_str())
            .or_default();
        if r.is_right() {
            t.right += 1;
        } else {
            t.wrong += 1;
        }
    }
    let states: HashMap<(&str, &str), &CardProgress> = cards
        .iter()
        .map(|c| ((c.deck_id.as_str(), c.card_id.as_str()), &c.progress))
        .collect();
    let now = now_local.with_timezone(&Utc);
    let offset = now_local.offset().fix();
    let local = |t: DateTime<Utc>| t.with_timezone(&offset);

    let mut rows = Vec::new();
    let mut by_category: BTreeMap<Category, CategoryAcc> = BTreeMap::new();
    for loaded in &library.decks {
        let d = &loaded.deck;
        if deck.is_some_and(|id| id != d.id) {
            continue;
        }
        for card in &d.cards {
            let progress = states.get(&(d.id.as_str(), card.id.as_str())).copied();
            let tally = tallies
                .get(d.id.as_str())
                .and_then(|m| m.get(card.id.as_str()))
                .copied()
                .unwrap_or_default();
            let state = progress.map(|p| p.card);
            let level = Level::of(state.as_ref());
            let retrievability = state.and_then(|s| scheduler.retrievability(&s, now));
            let acc = by_category.entry(card.kind()).or_default();
            acc.counts.add(level);
            acc.tally.right += tally.right;
            acc.tally.wrong += tally.wrong;
            if let Some(r) = retrievability {
                acc.reviewed += 1;
                acc.recall_sum += f64::from(r);
            }
            rows.push(CardRow {
                deck_id: d.id.clone(),
                card_id: card.id.clone(),
                category: card.category.clone(),
                prompt: card.prompt.clone(),
                answer: card.answer.clone(),
                state: state.map_or(State::New, |s| s.state).as_str().to_owned(),
                level: level.label().to_lowercase(),
                suspended: progress.is_some_and(|p| p.suspended),
                reviews: tally.right + tally.wrong,
                right: tally.right,
                wrong: tally.wrong,
                lapses: state.map_or(0, |s| s.lapses),
                stability: state.and_then(|s| s.stability),
                difficulty: state.and_then(|s| s.difficulty),
                due: state
                    .filter(|s| s.state != State::New)
                    .map(|s| local(s.due)),
                last_review: state.and_then(|s| s.last_review).map(local),
                retrievability,
            });
        }
    }
    let categories = by_category
        .into_iter()
        .map(|(category, acc)| CategoryRow {
            category: category.as_str().to_owned(),
            label: category.label(),
            cards: acc.counts.total(),
            new: acc.counts.new,
            learning: acc.counts.learning,
            young: acc.counts.young,
            mature: acc.counts.mature,
            reviews: acc.tally.right + acc.tally.wrong,
            right: acc.tally.right,
            wrong: acc.tally.wrong,
            recall: (acc.reviewed > 0).then(|| acc.recall_sum / f64::from(acc.reviewed)),
        })
        .collect();
    Report {
        format: REPORT_FORMAT,
        profile: profile.to_owned(),
        generated: now_local.with_timezone(&offset),
        deck: deck.map(str::to_owned),
        desired_retention: scheduler.config().desired_retention,
        categories,
        cards: rows,
    }
}

/// The file formats a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, strum::VariantArray)]
pub enum ReportFormat {
    /// One self-contained, printable HTML page with both tables.
    #[default]
    Html,
    /// Both tables as `flashdrill-report/1` JSON.
    Json,
    /// CSV, one row per card.
    CsvCards,
    /// CSV, one row per category.
    CsvCategories,
}

impl ReportFormat {
    /// Every format, in menu order (strum's `VARIANTS` as an array).
    pub const ALL: [Self; 4] = match <Self as strum::VariantArray>::VARIANTS {
        &[a, b, c, d] => [a, b, c, d],
        _ => panic!("ReportFormat has four variants"),
    };

    /// What the format is called in the app.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Html => "HTML page (prints well)",
            Self::Json => "JSON",
            Self::CsvCards => "CSV, one row per card",
            Self::CsvCategories => "CSV, one row per category",
        }
    }

    /// The file name extension, without the dot.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Self::Html => "html",
            Self::Json => "json",
            Self::CsvCards | Self::CsvCategories => "csv",
        }
    }

    /// The report in this format.
    #[must_use]
    pub fn render(self, report: &Report) -> String {
        match self {
            Self::Html => report.to_html(),
            Self::Json => report.to_json(),
            Self::CsvCards => report.to_csv(CsvTable::Cards),
            Self::CsvCategories => report.to_csv(CsvTable::Categories),
        }
    }
}

/// Why a report could not be made or saved.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Stats(#[from] super::StatsError),
    #[error("could not write {path}: {source}")]
    Write {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

/// The report of a profile's whole progress (of `deck` only, if given), from its store.
pub fn load<Tz: TimeZone>(
    profile: &str,
    store: &Store,
    library: &Library,
    deck: Option<&str>,
    now_local: &DateTime<Tz>,
) -> Result<Report, super::StatsError> {
    let settings = store.load_settings()?;
    let scheduler = Scheduler::new(settings.scheduler_config())?;
    let reviews = store.all_reviews()?;
    let cards = store.card_states(deck)?;
    Ok(build(
        profile, &reviews, &cards, library, &scheduler, deck, now_local,
    ))
}

/// Writes `text` to `path` through a file beside it that is then renamed, so a failed write
/// never leaves half a report (nor spoils an older one).
pub fn write_atomically(path: &std::path::Path, text: &str) -> Result<(), ReportError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    let written = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path));
    written.map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        ReportError::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// Which table a CSV file holds (a CSV file has one table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvTable {
    #[default]
    Cards,
    Categories,
}

const CARD_COLUMNS: [&str; 18] = [
    "deck",
    "card_id",
    "category",
    "prompt",
    "answer",
    "state",
    "level",
    "suspended",
    "reviews",
    "right",
    "wrong",
    "lapses",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "retrievability",
    "accuracy",
];

const CATEGORY_COLUMNS: [&str; 11] = [
    "category", "cards", "new", "learning", "young", "mature", "reviews", "right", "wrong",
    "accuracy", "recall",
];

fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> String) -> String {
    v.map_or_else(String::new, f)
}

fn accuracy(right: u32, total: u32) -> Option<f64> {
    (total > 0).then(|| f64::from(right) / f64::from(total))
}

fn time(t: DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

impl CardRow {
    /// The CSV cells: the deck's texts (ids, category, prompt, answer) are text cells; state,
    /// level, flags, counts, numbers and times the report formatted itself are plain.
    fn write_csv(&self, out: &mut CsvText) {
        let numbers = [
            self.suspended.to_string(),
            self.reviews.to_string(),
            self.right.to_string(),
            self.wrong.to_string(),
            self.lapses.to_string(),
            opt(self.stability, |v| format!("{v:.2}")),
            opt(self.difficulty, |v| format!("{v:.2}")),
            opt(self.due, |t| t.to_rfc3339()),
            opt(self.last_review, |t| t.to_rfc3339()),
            opt(self.retrievability, |v| format!("{v:.3}")),
            opt(accuracy(self.right, self.reviews), |v| format!("{v:.3}")),
        ];
        let texts = [
            &self.deck_id,
            &self.card_id,
            &self.category,
            &self.prompt,
            &self.answer,
        ];
        out.row(
            texts
                .into_iter()
                .map(|t| Cell::Text(t))
                .chain([Cell::Plain(&self.state), Cell::Plain(&self.level)])
                .chain(numbers.iter().map(|n| Cell::Plain(n))),
        );
    }
}

impl CategoryRow {
    fn counts(&self) -> [String; 8] {
        [
            self.cards.to_string(),
            self.new.to_string(),
            self.learning.to_string(),
            self.young.to_string(),
            self.mature.to_string(),
            self.reviews.to_string(),
            self.right.to_string(),
            self.wrong.to_string(),
        ]
    }

    /// The CSV cells: the category as written in the decks is a text cell, the numbers plain.
    fn write_csv(&self, out: &mut CsvText) {
        let ratios = [
            opt(accuracy(self.right, self.reviews), |v| format!("{v:.3}")),
            opt(self.recall, |v| format!("{v:.3}")),
        ];
        let counts = self.counts();
        out.row(
            std::iter::once(Cell::Text(&self.category))
                .chain(counts.iter().chain(&ratios).map(|n| Cell::Plain(n))),
        );
    }
}

fn percent(v: Option<f64>) -> String {
    opt(v, |v| format!("{:.0} %", v * 100.0))
}

/// The HTML page (`templates/report.html`). askama escapes every value (the template's
/// extension is `.html`), so deck text such as `<script>` shows as text.
#[derive(askama::Template)]
#[template(path = "report.html")]
struct HtmlPage<'a> {
    title: String,
    generated: String,
    deck: &'a str,
    retention: String,
    card_count: usize,
    categories: Vec<HtmlCategory<'a>>,
    cards: Vec<HtmlCard<'a>>,
}

struct HtmlCategory<'a> {
    label: &'a str,
    /// Right-aligned: cards, new, learning, young, mature, answers, right, wrong, accuracy,
    /// would recall today.
    numbers: Vec<String>,
}

struct HtmlCard<'a> {
    /// Deck, card, category, question, answer, state.
    texts: [Cow<'a, str>; 6],
    /// Right-aligned: answers, right, wrong, lapses, stability, difficulty, due, last review,
    /// would recall today.
    numbers: [String; 9],
}

impl Report {
    /// One CSV table with a header line (CRLF line ends, as RFC 4180), written by the `csv`
    /// crate; text from the decks is safe from formula injection (see [`crate::csv_out`]).
    #[must_use]
    pub fn to_csv(&self, table: CsvTable) -> String {
        let mut out = CsvText::new(LineEnd::CrLf);
        match table {
            CsvTable::Cards => {
                out.row(CARD_COLUMNS.map(Cell::Plain));
                for row in &self.cards {
                    row.write_csv(&mut out);
                }
            }
            CsvTable::Categories => {
                out.row(CATEGORY_COLUMNS.map(Cell::Plain));
                for row in &self.categories {
                    row.write_csv(&mut out);
                }
            }
        }
        out.finish()
    }

    /// The report as pretty-printed JSON (`"format": "flashdrill-report/1"`).
    #[must_use]
    pub fn to_json(&self) -> String {
        // Serialising plain structs of strings and numbers cannot fail; non-finite floats
        // become null.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// A single self-contained HTML page (`templates/report.html`): inline CSS with a print
    /// layout, no scripts, no external assets; all text escaped by askama.
    #[must_use]
    pub fn to_html(&self) -> String {
        let page = HtmlPage {
            title: format!("Progress report: {}", self.profile),
            generated: time(self.generated),
            deck: self.deck.as_deref().unwrap_or("all decks"),
            retention: format!("{:.0}", f64::from(self.desired_retention) * 100.0),
            card_count: self.cards.len(),
            categories: self
                .categories
                .iter()
                .map(|c| HtmlCategory {
                    label: &c.label,
                    numbers: c
                        .counts()
                        .into_iter()
                        .chain([percent(accuracy(c.right, c.reviews)), percent(c.recall)])
                        .collect(),
                })
                .collect(),
            cards: self
                .cards
                .iter()
                .map(|c| HtmlCard {
                    texts: [
                        Cow::Borrowed(c.deck_id.as_str()),
                        Cow::Borrowed(c.card_id.as_str()),
                        Cow::Borrowed(c.category.as_str()),
                        Cow::Borrowed(c.prompt.as_str()),
                        Cow::Borrowed(c.answer.as_str()),
                        if c.suspended {
                            Cow::Owned(format!("{}, suspended", c.level))
                        } else {
                            Cow::Borrowed(c.level.as_str())
                        },
                    ],
                    numbers: [
                        c.reviews.to_string(),
                        c.right.to_string(),
                        c.wrong.to_string(),
                        c.lapses.to_string(),
                        opt(c.stability, |v| format!("{v:.1}")),
                        opt(c.difficulty, |v| format!("{v:.1}")),
                        opt(c.due, time),
                        opt(c.last_review, time),
                        percent(c.retrievability.map(f64::from)),
                    ],
                })
                .collect(),
        };
        // Rendering fails only if a value's Display fails; these are all strings and numbers.
        askama::Template::render(&page).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{Card, Deck, LoadedDeck, Origin, Source};
    use crate::schedule::{CardState, Rating, SchedulerConfig};
    use crate::store::Mode;
    use chrono::TimeDelta;

    fn now_local() -> DateTime<FixedOffset> {
        FixedOffset::east_opt(3600)
            .unwrap()
            .with_ymd_and_hms(2025, 3, 12, 10, 0, 0)
            .unwrap()
    }

    fn card(id: &str, category: &str, prompt: &str) -> Card {
        Card {
            id: id.to_owned(),
            category: category.to_owned(),
            prompt: prompt.to_owned(),
            answer: "Yes, \"quoted\"".to_owned(),
            accept: Vec::new(),
            distractors: Vec::new(),
            date: None,
            event: None,
            group: None,
            role: None,
            cloze: None,
            explanation: None,
            source: "s".to_owned(),
            tags: Vec::new(),
            image: None,
        }
    }

    fn library() -> Library {
        Library {
            decks: vec![LoadedDeck {
                deck: Deck {
                    format: crate::deck::FORMAT_V1.to_owned(),
                    id: "d".to_owned(),
                    title: "D".to_owned(),
                    description: None,
                    source: Source {
                        title: "t".to_owned(),
                        author: "a".to_owned(),
                        url: None,
                    },
                    cards: vec![
                        card("one", "term", "What is <b>bold</b> & \"why\"?"),
                        card("two", "term", "=1+1, really"),
                        card("three", "date", "When?"),
                    ],
                },
                origin: Origin::Bundled,
            }],
            failures: Vec::new(),
        }
    }

    fn review(card: &str, rating: Rating, correct: Option<bool>) -> ReviewRecord {
        ReviewRecord {
            id: 1,
            deck_id: "d".to_owned(),
            card_id: card.to_owned(),
            at: now_local().with_timezone(&Utc) - TimeDelta::hours(1),
            rating,
            mode: Mode::Srs,
            answer_given: None,
            correct,
            response_ms: 1000,
            state_before: None,
            state_after: None,
        }
    }

    fn report() -> Report {
        let now = now_local().with_timezone(&Utc);
        // "one": a review card with stability 10, last reviewed 10 days ago (R = 0.9).
        let one = CardState {
            state: State::Review,
            step: None,
            stability: Some(10.0),
            difficulty: Some(4.5),
            due: now + TimeDelta::days(1),
            last_review: Some(now - TimeDelta::days(10)),
            reps: 4,
            lapses: 1,
        };
        let cards = vec![CardRecord {
            deck_id: "d".to_owned(),
            card_id: "one".to_owned(),
            progress: CardProgress::from_state(one),
        }];
        // "one": Good, Again, and a typed answer marked right though rated Again → 2 right,
        // 1 wrong. "two": Again → 0 right, 1 wrong. Another deck's answer is ignored.
        let mut other = review("one", Rating::Good, None);
        other.deck_id = "elsewhere".to_owned();
        let log = [
            review("one", Rating::Good, None),
            review("one", Rating::Again, None),
            review("one", Rating::Again, Some(true)),
            review("two", Rating::Again, None),
            other,
        ];
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        build(
            "Ana <3",
            &log,
            &cards,
            &library(),
            &scheduler,
            Some("d"),
            &now_local(),
        )
    }

    #[test]
    fn rows_count_answers_per_card_and_category() {
        let r = report();
        assert_eq!(r.cards.len(), 3);
        let one = &r.cards[0];
        assert_eq!(
            (one.reviews, one.right, one.wrong, one.lapses),
            (3, 2, 1, 1)
        );
        assert_eq!(one.state, "review");
        assert_eq!(one.level, "young");
        assert!((one.retrievability.unwrap() - 0.9).abs() < 1e-4);
        assert_eq!(
            one.due.unwrap().to_rfc3339(),
            "2025-03-13T10:00:00+01:00",
            "times in the local offset"
        );
        let two = &r.cards[1];
        assert_eq!((two.reviews, two.right, two.wrong), (1, 0, 1));
        assert_eq!(two.state, "new");
        assert_eq!(two.due, None);
        // Categories in category order: dates ("three", new, unanswered), then terms.
        assert_eq!(r.categories.len(), 2);
        assert_eq!(r.categories[0].label, "Dates");
        assert_eq!((r.categories[0].cards, r.categories[0].new), (1, 1));
        let terms = &r.categories[1];
        // Terms: "one" young and "two" new; 4 answers, 2 right; recall over "one" only.
        assert_eq!(
            (
                terms.cards,
                terms.new,
                terms.young,
                terms.reviews,
                terms.right
            ),
            (2, 1, 1, 4, 2)
        );
        assert!((terms.recall.unwrap() - 0.9).abs() < 1e-4);
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let r = report();
        let csv = r.to_csv(CsvTable::Cards);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], CARD_COLUMNS.join(","));
        assert!(
            lines[1].starts_with(
                "d,one,term,\"What is <b>bold</b> & \"\"why\"\"?\",\"Yes, \"\"quoted\"\"\",review,young,false,3,2,1,1,10.00,4.50,2025-03-13T10:00:00+01:00,"
            ),
            "{}",
            lines[1]
        );
        assert!(lines[1].ends_with(",0.900,0.667"), "{}", lines[1]);
        assert!(lines[2].contains(",\"'=1+1, really\","), "{}", lines[2]);
        assert_eq!(
            lines.len(),
            5,
            "header, 3 rows, and the empty rest after the last CRLF"
        );
        let cats = r.to_csv(CsvTable::Categories);
        assert_eq!(
            cats,
            "category,cards,new,learning,young,mature,reviews,right,wrong,accuracy,recall\r\n\
             date,1,1,0,0,0,0,0,0,,\r\n\
             term,2,1,0,1,0,4,2,2,0.500,0.900\r\n"
        );
        // It parses back, the formula defused and the report's own numbers left numbers.
        let records: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_bytes())
            .records()
            .map(Result::unwrap)
            .collect();
        assert_eq!(records.len(), 3);
        assert_eq!(&records[0][3], "What is <b>bold</b> & \"why\"?");
        assert_eq!(&records[1][3], "'=1+1, really");
        assert_eq!(&records[0][12], "10.00");
    }

    #[test]
    fn csv_text_cells_from_the_deck_are_defused_even_when_they_look_like_numbers() {
        let mut r = report();
        r.cards[0].prompt = "+ or -?".into();
        r.cards[0].answer = "-3".into();
        r.cards[0].category = "@term".into();
        r.cards[0].stability = Some(-1.5);
        let csv = r.to_csv(CsvTable::Cards);
        let line = csv.split("\r\n").nth(1).unwrap();
        assert!(
            line.starts_with("d,one,'@term,'+ or -?,'-3,review,"),
            "{line}"
        );
        assert!(
            line.contains(",-1.50,"),
            "a number the report wrote stays a number: {line}"
        );
    }

    #[test]
    fn json_is_the_report() {
        let r = report();
        let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(v["format"], "flashdrill-report/1");
        assert_eq!(v["profile"], "Ana <3");
        assert_eq!(v["deck"], "d");
        assert_eq!(v["cards"][0]["right"], 2);
        assert_eq!(v["cards"][1]["stability"], serde_json::Value::Null);
        assert_eq!(v["categories"][1]["label"], "Terms");
        assert_eq!(v["generated"], "2025-03-12T10:00:00+01:00");
    }

    #[test]
    fn html_is_self_contained_and_escaped() {
        let h = report().to_html();
        assert!(h.starts_with("<!DOCTYPE html>"));
        assert!(h.contains("@media print"));
        assert!(h.contains("<title>Progress report: Ana &#60;3</title>"));
        assert!(h.contains("What is &#60;b&#62;bold&#60;/b&#62; &#38; &#34;why&#34;?"));
        assert!(!h.contains("<b>"));
        assert!(!h.contains("<script"));
        assert!(!h.contains("src="));
        assert!(!h.contains("href="));
        assert!(!h.contains("http"));
        assert!(h.contains("<td class=\"num\">90 %</td>"));
        assert_eq!(h.matches("<tr>").count(), 1 + 2 + 1 + 3, "headers and rows");
        assert!(h.contains("<p class=\"meta\">Generated 2025-03-12 10:00 · Deck: d · Desired retention 90 % · 3 cards</p>"), "{h}");
        assert!(
            h.contains("<tr><td>Dates</td><td class=\"num\">1</td><td class=\"num\">1</td>"),
            "{h}"
        );
    }

    #[test]
    fn html_escapes_script_in_deck_text_and_names() {
        let mut r = report();
        r.profile = "<script>alert(1)</script>".into();
        r.deck = Some("<script>d</script>".into());
        r.cards[0].prompt = "Is <script>alert('x')</script> text?".into();
        r.cards[0].answer = "</td><script>".into();
        let h = r.to_html();
        assert!(!h.contains("<script"), "{h}");
        assert!(h.contains("Is &#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62; text?"));
        assert!(h.contains("<td>&#60;/td&#62;&#60;script&#62;</td>"));
        assert!(
            h.contains("<title>Progress report: &#60;script&#62;alert(1)&#60;/script&#62;</title>")
        );
        assert!(h.contains("Deck: &#60;script&#62;d&#60;/script&#62;"));
    }
}
