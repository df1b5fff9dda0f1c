//! A class's report: per student over time, per card (with discrimination) and the class as a
//! heatmap of students × categories; as a gradebook CSV, JSON (`flashdrill-class-report/1`)
//! or one printable, self-contained HTML page.
//!
//! Pure: [`build`] works from the roster, the students' answers and schedules and the class's
//! cards handed in; [`load`] reads them from the store. The fields are documented in
//! `docs/class-memory.md`.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, Offset, TimeDelta, TimeZone, Utc};
use serde::Serialize;

use super::{Class, ClassCard, ClassError, ClassSettings, Student};
use crate::csv_out::{Cell, CsvText, LineEnd};
use crate::deck::Category;
use crate::schedule::{CardState, Scheduler, State};
use crate::store::{Mode, Store, StudentReview};

/// The `format` field of the JSON report.
pub const CLASS_REPORT_FORMAT: &str = "flashdrill-class-report/1";

/// A gap between two answers of a student this long or longer starts a new session.
pub const SESSION_GAP: TimeDelta = TimeDelta::minutes(30);

/// How many weakest cards each student's row names.
pub const WEAKEST: usize = 5;

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassReport {
    pub format: &'static str,
    pub class: String,
    pub generated: DateTime<FixedOffset>,
    pub decks: Vec<String>,
    pub settings: ClassSettings,
    pub students: Vec<StudentRow>,
    pub cards: Vec<CardRow>,
    pub heatmap: Heatmap,
}

/// One student over time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudentRow {
    /// The student's id (UUID v7).
    pub id: String,
    pub name: String,
    /// Answers of both modes.
    pub reviews: u32,
    pub right: u32,
    /// `right / reviews`; no speed in it.
    pub accuracy: Option<f64>,
    /// Answers in the spaced warm-up (they schedule).
    pub srs_reviews: u32,
    /// Answers in the live game (logged only).
    pub drill_reviews: u32,
    /// Runs of answers without a gap of 30 minutes, in time order.
    pub sessions: Vec<Session>,
    /// Cards the student has a schedule for.
    pub cards_studied: u32,
    /// The share of srs answers to cards in review (not learning) that were right: how much
    /// the student remembers when a card comes due.
    pub true_retention: Option<f64>,
    /// The FSRS estimate of recalling their studied cards now, per deck.
    pub recall: Vec<DeckRecall>,
    /// Their studied cards least likely to be recalled now (`deck/card`), weakest first.
    pub weakest: Vec<String>,
    /// The median time to answer, in ms: speed, apart from accuracy.
    pub median_response_ms: Option<u64>,
    pub last_answer: Option<DateTime<FixedOffset>>,
    /// Every card the student answered or has a schedule for.
    pub cards: Vec<StudentCard>,
}

/// A run of a student's answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    pub reviews: u32,
    pub right: u32,
}

/// A student's predicted recall of one deck.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeckRecall {
    pub deck: String,
    /// Cards of the deck the student has studied.
    pub cards: u32,
    /// Their mean predicted recall now.
    pub recall: Option<f64>,
}

/// One card as one student has it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudentCard {
    /// `deck/card`.
    pub card: String,
    /// When it comes back to the student (none: answered in the game only).
    pub due: Option<DateTime<FixedOffset>>,
    pub state: Option<State>,
    pub reviews: u32,
    pub right: u32,
    pub recall: Option<f64>,
}

/// One card across the class: item analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardRow {
    /// `deck/card`.
    pub card: String,
    pub category: String,
    pub prompt: String,
    /// Answers from every student.
    pub answered: u32,
    pub right: u32,
    /// Students who answered it.
    pub students: u32,
    /// `right / answered`.
    pub percent_right: Option<f64>,
    /// How well the card separates strong from weak students: the correlation, across the
    /// students who answered it, between their share right on this card and their share right
    /// on every other card (the corrected item–total correlation; point-biserial when each
    /// answered it once). From −1 to 1; under 0.2 the card tells little, below 0 it misleads.
    /// None with fewer than 3 such students or when everyone scored the same.
    pub discrimination: Option<f64>,
}

/// Students × categories: the share right of each student's answers in each category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heatmap {
    /// The categories as written in the decks, in the decks' category order.
    pub categories: Vec<String>,
    pub rows: Vec<HeatRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeatRow {
    pub name: String,
    /// One per category, in [`Heatmap::categories`]' order.
    pub cells: Vec<HeatCell>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HeatCell {
    pub answered: u32,
    pub right: u32,
    pub accuracy: Option<f64>,
}

/// A student's schedule of one card: `((deck, card), state)`.
pub type CardOf = ((String, String), CardState);

/// What [`build`] reads.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub class: &'a Class,
    pub students: &'a [Student],
    /// Every answer of the class's students, in time order.
    pub reviews: &'a [StudentReview],
    /// Each student's schedules, by student key.
    pub states: &'a HashMap<i64, Vec<CardOf>>,
    /// The class's cards.
    pub cards: &'a [ClassCard],
    pub scheduler: &'a Scheduler,
}

fn ratio(right: u32, total: u32) -> Option<f64> {
    (total > 0).then(|| f64::from(right) / f64::from(total))
}

fn key(deck: &str, card: &str) -> String {
    format!("{deck}/{card}")
}

#[derive(Default, Clone, Copy)]
struct Tally {
    answered: u32,
    right: u32,
}

impl Tally {
    fn add(&mut self, right: bool) {
        self.answered += 1;
        self.right += u32::from(right);
    }
}

/// Builds the report; times are shown in `now_local`'s offset.
#[must_use]
pub fn build<Tz: TimeZone>(inputs: &Inputs<'_>, now_local: &DateTime<Tz>) -> ClassReport {
    let now = now_local.with_timezone(&Utc);
    let offset = now_local.offset().fix();
    let local = |t: DateTime<Utc>| t.with_timezone(&offset);
    let category_of: HashMap<String, &str> = inputs
        .cards
        .iter()
        .map(|c| (key(&c.deck_id, &c.card_id), c.category.as_str()))
        .collect();
    let categories: Vec<Category> = inputs
        .cards
        .iter()
        .map(|c| Category::parse(&c.category))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();

    // Per student, per card.
    let mut by_student: HashMap<i64, Vec<&StudentReview>> = HashMap::new();
    for r in inputs.reviews {
        by_student.entry(r.student).or_default().push(r);
    }
    let mut per_card: HashMap<i64, HashMap<String, Tally>> = HashMap::new();
    let mut totals: HashMap<i64, Tally> = HashMap::new();
    for r in inputs.reviews {
        let right = r.review.is_right();
        per_card
            .entry(r.student)
            .or_default()
            .entry(key(&r.review.deck_id, &r.review.card_id))
            .or_default()
            .add(right);
        totals.entry(r.student).or_default().add(right);
    }

    let empty = Vec::new();
    let mut students = Vec::with_capacity(inputs.students.len());
    let mut heat_rows = Vec::with_capacity(inputs.students.len());
    for s in inputs.students {
        let reviews = by_student.get(&s.key).unwrap_or(&empty);
        let states = inputs.states.get(&s.key).map_or(&[][..], Vec::as_slice);
        students.push(student_row(s, reviews, states, inputs, now, &local));
        let mut cells: BTreeMap<Category, Tally> = categories
            .iter()
            .map(|c| (c.clone(), Tally::default()))
            .collect();
        for r in reviews {
            if let Some(cat) = category_of.get(&key(&r.review.deck_id, &r.review.card_id)) {
                cells
                    .entry(Category::parse(cat))
                    .or_default()
                    .add(r.review.is_right());
            }
        }
        heat_rows.push(HeatRow {
            name: s.name.clone(),
            cells: cells
                .into_values()
                .map(|t| HeatCell {
                    answered: t.answered,
                    right: t.right,
                    accuracy: ratio(t.right, t.answered),
                })
                .collect(),
        });
    }

    let cards = inputs
        .cards
        .iter()
        .map(|c| {
            let k = key(&c.deck_id, &c.card_id);
            let mut all = Tally::default();
            let mut pairs = Vec::new();
            let mut students = 0;
            for s in inputs.students {
                let Some(t) = per_card.get(&s.key).and_then(|m| m.get(&k)) else {
                    continue;
                };
                students += 1;
                all.answered += t.answered;
                all.right += t.right;
                let total = totals.get(&s.key).copied().unwrap_or_default();
                if let (Some(item), Some(rest)) = (
                    ratio(t.right, t.answered),
                    ratio(total.right - t.right, total.answered - t.answered),
                ) {
                    pairs.push((item, rest));
                }
            }
            CardRow {
                card: k,
                category: c.category.clone(),
                prompt: c.prompt.clone(),
                answered: all.answered,
                right: all.right,
                students,
                percent_right: ratio(all.right, all.answered),
                discrimination: correlation(&pairs),
            }
        })
        .collect();

    ClassReport {
        format: CLASS_REPORT_FORMAT,
        class: inputs.class.name.clone(),
        generated: local(DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now)),
        decks: inputs.class.decks.clone(),
        settings: inputs.class.settings.clone(),
        students,
        cards,
        heatmap: Heatmap {
            categories: categories.iter().map(|c| c.as_str().to_owned()).collect(),
            rows: heat_rows,
        },
    }
}

/// Pearson's correlation of the pairs; `None` for fewer than 3 or when either side does not
/// vary.
#[must_use]
pub fn correlation(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 3 {
        return None;
    }
    let n = pairs.len() as f64;
    let (mx, my) = pairs
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    (sxx > 1e-12 && syy > 1e-12).then(|| (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

fn student_row(
    s: &Student,
    reviews: &[&StudentReview],
    states: &[((String, String), CardState)],
    inputs: &Inputs<'_>,
    now: DateTime<Utc>,
    local: &impl Fn(DateTime<Utc>) -> DateTime<FixedOffset>,
) -> StudentRow {
    let mut all = Tally::default();
    let mut review_state = Tally::default();
    let (mut srs, mut drill) = (0, 0);
    let mut sessions: Vec<Session> = Vec::new();
    let mut last: Option<DateTime<Utc>> = None;
    let mut times: Vec<u64> = Vec::with_capacity(reviews.len());
    let mut per_card: BTreeMap<String, Tally> = BTreeMap::new();
    for r in reviews {
        let v = &r.review;
        let right = v.is_right();
        all.add(right);
        times.push(v.response_ms);
        per_card
            .entry(key(&v.deck_id, &v.card_id))
            .or_default()
            .add(right);
        match v.mode {
            Mode::Srs => {
                srs += 1;
                if r.before == Some(State::Review) {
                    review_state.add(right);
                }
            }
            _ => drill += 1,
        }
        match sessions.last_mut() {
            Some(cur) if last.is_some_and(|l| v.at - l < SESSION_GAP) => {
                cur.end = local(v.at);
                cur.reviews += 1;
                cur.right += u32::from(right);
            }
            _ => sessions.push(Session {
                start: local(v.at),
                end: local(v.at),
                reviews: 1,
                right: u32::from(right),
            }),
        }
        last = Some(v.at);
    }
    times.sort_unstable();
    let median_response_ms = (!times.is_empty()).then(|| times[times.len() / 2]);

    let state_of: HashMap<String, &CardState> =
        states.iter().map(|((d, c), s)| (key(d, c), s)).collect();
    let recall_of = |s: &CardState| inputs.scheduler.retrievability(s, now).map(f64::from);
    let mut recall = Vec::new();
    for deck in &inputs.class.decks {
        let mut n = 0;
        let mut sum = 0.0;
        let mut with = 0;
        for ((d, _), s) in states {
            if d == deck {
                n += 1;
                if let Some(r) = recall_of(s) {
                    sum += r;
                    with += 1;
                }
            }
        }
        recall.push(DeckRecall {
            deck: deck.clone(),
            cards: n,
            recall: (with > 0).then(|| sum / f64::from(with)),
        });
    }
    let mut weak: Vec<(f64, u32, String)> = states
        .iter()
        .filter_map(|((d, c), s)| recall_of(s).map(|r| (r, s.lapses, key(d, c))))
        .collect();
    weak.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));

    let mut card_keys: Vec<String> = per_card.keys().cloned().collect();
    card_keys.extend(
        state_of
            .keys()
            .filter(|k| !per_card.contains_key(*k))
            .cloned(),
    );
    card_keys.sort();
    let cards = card_keys
        .into_iter()
        .map(|k| {
            let t = per_card.get(&k).copied().unwrap_or_default();
            let st = state_of.get(&k).copied();
            StudentCard {
                due: st.map(|s| local(s.due)),
                state: st.map(|s| s.state),
                reviews: t.answered,
                right: t.right,
                recall: st.and_then(recall_of),
                card: k,
            }
        })
        .collect();

    StudentRow {
        id: s.id.clone(),
        name: s.name.clone(),
        reviews: all.answered,
        right: all.right,
        accuracy: ratio(all.right, all.answered),
        srs_reviews: srs,
        drill_reviews: drill,
        sessions,
        cards_studied: u32::try_from(states.len()).unwrap_or(u32::MAX),
        true_retention: ratio(review_state.right, review_state.answered),
        recall,
        weakest: weak.into_iter().take(WEAKEST).map(|w| w.2).collect(),
        median_response_ms,
        last_answer: last.map(local),
        cards,
    }
}

/// Reads the class's roster, answers and schedules and builds the report over `cards` (the
/// cards of its decks: [`ClassCard::from_library`]).
pub fn load<Tz: TimeZone>(
    store: &Store,
    class: &Class,
    cards: &[ClassCard],
    now_local: &DateTime<Tz>,
) -> Result<ClassReport, ClassError> {
    let profile = store.load_settings()?;
    let scheduler = Scheduler::new(class.settings.scheduler_config(&profile))?;
    let students = store.students(class)?;
    let reviews = store.class_reviews(class)?;
    let mut states = HashMap::new();
    for s in &students {
        states.insert(
            s.key,
            store
                .student_cards(s.key)?
                .into_iter()
                .map(|r| ((r.deck_id, r.card_id), r.progress.card))
                .collect(),
        );
    }
    Ok(build(
        &Inputs {
            class,
            students: &students,
            reviews: &reviews,
            states: &states,
            cards,
            scheduler: &scheduler,
        },
        now_local,
    ))
}

const GRADEBOOK_COLUMNS: [&str; 14] = [
    "name",
    "student_id",
    "answers",
    "right",
    "accuracy",
    "srs_answers",
    "drill_answers",
    "sessions",
    "cards_studied",
    "true_retention",
    "recall_now",
    "median_seconds_to_answer",
    "last_answer",
    "weakest_cards",
];

fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> String) -> String {
    v.map_or_else(String::new, f)
}

fn three(v: Option<f64>) -> String {
    opt(v, |v| format!("{v:.3}"))
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{:.0} %", v * 100.0))
}

fn minutes(t: DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

impl StudentRow {
    /// The mean predicted recall now over every studied card of the class.
    #[must_use]
    pub fn recall_now(&self) -> Option<f64> {
        let (sum, n) = self
            .cards
            .iter()
            .filter_map(|c| c.recall)
            .fold((0.0, 0u32), |(s, n), r| (s + r, n + 1));
        (n > 0).then(|| sum / f64::from(n))
    }

    fn gradebook(&self) -> [String; 12] {
        [
            self.reviews.to_string(),
            self.right.to_string(),
            three(self.accuracy),
            self.srs_reviews.to_string(),
            self.drill_reviews.to_string(),
            self.sessions.len().to_string(),
            self.cards_studied.to_string(),
            three(self.true_retention),
            three(self.recall_now()),
            opt(self.median_response_ms, |ms| {
                format!("{:.1}", ms as f64 / 1000.0)
            }),
            opt(self.last_answer, |t| t.to_rfc3339()),
            self.weakest.join(" "),
        ]
    }
}

/// The HTML page (`templates/class_report.html`); askama escapes every value.
#[derive(askama::Template)]
#[template(path = "class_report.html")]
struct HtmlPage<'a> {
    title: String,
    generated: String,
    decks: String,
    settings: String,
    students: Vec<HtmlStudent<'a>>,
    categories: Vec<String>,
    heat: Vec<HtmlHeatRow<'a>>,
    cards: Vec<HtmlCard<'a>>,
}

struct HtmlStudent<'a> {
    name: &'a str,
    /// Right-aligned: answers, right, accuracy, sessions, cards studied, true retention,
    /// recall now, median seconds.
    numbers: Vec<String>,
    last: String,
    recall: String,
    weakest: String,
    /// The chart: one bar per session (its share right), newest last.
    bars: Vec<Bar>,
}

struct Bar {
    x: usize,
    height: u32,
    y: u32,
    label: String,
}

struct HtmlHeatRow<'a> {
    name: &'a str,
    cells: Vec<(String, &'static str)>,
}

struct HtmlCard<'a> {
    card: &'a str,
    category: &'a str,
    prompt: &'a str,
    numbers: [String; 4],
    flag: &'static str,
}

/// The heatmap's colour class for a share right.
fn heat_class(v: Option<f64>) -> &'static str {
    match v {
        None => "h-none",
        Some(v) if v < 0.5 => "h0",
        Some(v) if v < 0.7 => "h1",
        Some(v) if v < 0.85 => "h2",
        Some(_) => "h3",
    }
}

/// The chart's height in pixels.
const CHART_HEIGHT: u32 = 40;
/// The sessions a student's chart shows (the latest).
const CHART_SESSIONS: usize = 20;

impl ClassReport {
    /// The gradebook: one row per student (CRLF line ends), accuracy and speed in separate
    /// columns; names safe from formula injection (see [`crate::csv_out`]).
    #[must_use]
    pub fn to_csv(&self) -> String {
        let mut out = CsvText::new(LineEnd::CrLf);
        out.row(GRADEBOOK_COLUMNS.map(Cell::Plain));
        for s in &self.students {
            let numbers = s.gradebook();
            out.row(
                [Cell::Text(&s.name), Cell::Plain(&s.id)]
                    .into_iter()
                    .chain(numbers.iter().map(|n| Cell::Plain(n))),
            );
        }
        out.finish()
    }

    /// The report as pretty-printed JSON (`"format": "flashdrill-class-report/1"`).
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// One self-contained printable page: inline CSS and SVG, no scripts.
    #[must_use]
    pub fn to_html(&self) -> String {
        let prompts: HashMap<&str, &str> = self
            .cards
            .iter()
            .map(|c| (c.card.as_str(), c.prompt.as_str()))
            .collect();
        let page = HtmlPage {
            title: format!("Class report: {}", self.class),
            generated: minutes(self.generated),
            decks: self.decks.join(", "),
            settings: format!(
                "desired retention {:.0} %, {} new cards per day, learning steps {}",
                f64::from(self.settings.desired_retention) * 100.0,
                self.settings.new_per_day,
                crate::schedule::format_steps(&self.settings.learning_steps)
            ),
            students: self
                .students
                .iter()
                .map(|s| html_student(s, &prompts))
                .collect(),
            categories: self
                .heatmap
                .categories
                .iter()
                .map(|c| Category::parse(c).label())
                .collect(),
            heat: self
                .heatmap
                .rows
                .iter()
                .map(|r| HtmlHeatRow {
                    name: &r.name,
                    cells: r
                        .cells
                        .iter()
                        .map(|c| {
                            let text = if c.answered == 0 {
                                "–".to_owned()
                            } else {
                                format!("{} ({}/{})", percent(c.accuracy), c.right, c.answered)
                            };
                            (text, heat_class(c.accuracy))
                        })
                        .collect(),
                })
                .collect(),
            cards: self
                .cards
                .iter()
                .map(|c| HtmlCard {
                    card: &c.card,
                    category: &c.category,
                    prompt: &c.prompt,
                    numbers: [
                        c.answered.to_string(),
                        c.students.to_string(),
                        percent(c.percent_right),
                        c.discrimination
                            .map_or_else(|| "–".to_owned(), |d| format!("{d:.2}")),
                    ],
                    flag: if c.discrimination.is_some_and(|d| d < 0.2) {
                        "weak"
                    } else {
                        ""
                    },
                })
                .collect(),
        };
        askama::Template::render(&page).unwrap_or_default()
    }
}

fn html_student<'a>(s: &'a StudentRow, prompts: &HashMap<&str, &str>) -> HtmlStudent<'a> {
    let shown = &s.sessions[s.sessions.len().saturating_sub(CHART_SESSIONS)..];
    HtmlStudent {
        name: &s.name,
        numbers: vec![
            s.reviews.to_string(),
            s.right.to_string(),
            percent(s.accuracy),
            s.sessions.len().to_string(),
            s.cards_studied.to_string(),
            percent(s.true_retention),
            percent(s.recall_now()),
            opt(s.median_response_ms, |ms| {
                format!("{:.1} s", ms as f64 / 1000.0)
            }),
        ],
        last: opt(s.last_answer, minutes),
        recall: s
            .recall
            .iter()
            .map(|d| format!("{}: {}", d.deck, percent(d.recall)))
            .collect::<Vec<_>>()
            .join(", "),
        weakest: s
            .weakest
            .iter()
            .map(|k| match prompts.get(k.as_str()) {
                Some(p) => format!("{p} ({k})"),
                None => k.clone(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        bars: shown
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let share = ratio(x.right, x.reviews).unwrap_or(0.0);
                let height = ((share * f64::from(CHART_HEIGHT)).round() as u32).max(1);
                Bar {
                    x: i * 12,
                    height,
                    y: CHART_HEIGHT - height,
                    label: format!("{}: {} of {} right", minutes(x.start), x.right, x.reviews),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlation_needs_three_students_who_differ() {
        assert_eq!(correlation(&[(1.0, 0.9), (0.0, 0.2)]), None);
        assert_eq!(correlation(&[(1.0, 0.9), (1.0, 0.2), (1.0, 0.5)]), None);
        let strong_pass = [(1.0, 0.9), (1.0, 0.8), (0.0, 0.3), (0.0, 0.2)];
        assert!(correlation(&strong_pass).unwrap() > 0.9);
        let reversed = [(0.0, 0.9), (0.0, 0.8), (1.0, 0.3), (1.0, 0.2)];
        assert!(correlation(&reversed).unwrap() < -0.9);
    }

    #[test]
    fn heat_classes_step_with_the_share_right() {
        assert_eq!(heat_class(None), "h-none");
        assert_eq!(heat_class(Some(0.2)), "h0");
        assert_eq!(heat_class(Some(0.6)), "h1");
        assert_eq!(heat_class(Some(0.8)), "h2");
        assert_eq!(heat_class(Some(0.95)), "h3");
    }
}
