//! `flashdrill selftest`: a printable mock test of one deck, with its answer key on a page of
//! its own.

use std::fmt::Write as _;
use std::process::ExitCode;

use flashdrill_core::deck::{self, Deck};
use flashdrill_core::selftest::{self, DEFAULT_QUESTIONS, Question, QuestionKind};

use super::Common;
use super::stats::check_deck;

/// Arguments of `flashdrill selftest`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The deck to test (its id, as `flashdrill check` lists it).
    #[arg(long, value_name = "ID")]
    pub deck: String,
    /// How many questions (default: 20, or every fact of a smaller deck).
    #[arg(long, value_name = "N")]
    pub questions: Option<usize>,
    /// The seed of the draw: the same seed prints the same test (default: a new one).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
}

pub fn run(common: &Common, args: &Args) -> anyhow::Result<ExitCode> {
    let data_dir = common.data_dir()?;
    let library = deck::load_library(&[deck::user_deck_dir(&data_dir)], true);
    if !check_deck("selftest", &library, Some(&args.deck)) {
        return Ok(ExitCode::from(2));
    }
    let Some(loaded) = library.deck(&args.deck) else {
        return Ok(ExitCode::from(2));
    };
    let deck = &loaded.deck;
    let n = args
        .questions
        .unwrap_or_else(|| DEFAULT_QUESTIONS.min(selftest::max_questions(deck)));
    let seed = args.seed.unwrap_or_else(|| {
        // A new draw each run: the clock's nanoseconds.
        let t = chrono::Utc::now();
        t.timestamp().unsigned_abs() << 30 ^ u64::from(t.timestamp_subsec_nanos())
    });
    match selftest::draw(deck, n, seed) {
        Ok(questions) => {
            print!("{}", printable(deck, &questions, seed));
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            eprintln!("flashdrill selftest: {err}");
            Ok(ExitCode::from(2))
        }
    }
}

/// Option letters: a), b), c), d).
fn letter(i: usize) -> char {
    u8::try_from(i)
        .ok()
        .and_then(|i| b'a'.checked_add(i))
        .map_or('?', char::from)
}

/// The test as plain text: a header, the numbered questions (options lettered, a line to
/// write on otherwise), then a form feed and the answer key with each answer's source
/// sentence.
#[must_use]
pub fn printable(deck: &Deck, questions: &[Question], seed: u64) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Self-test: {} ({} questions, seed {seed})",
        deck.title,
        questions.len()
    );
    let _ = writeln!(o, "Name: ______________________   Date: ____________\n");
    for (i, q) in questions.iter().enumerate() {
        let _ = writeln!(o, "{}. {}", i + 1, q.prompt());
        match &q.kind {
            QuestionKind::Choice(c) => {
                for (k, option) in c.options.iter().enumerate() {
                    let _ = writeln!(o, "   {}) {option}", letter(k));
                }
            }
            QuestionKind::Typed | QuestionKind::Cloze(_) => {
                let _ = writeln!(o, "   Answer: ______________________________");
            }
        }
        o.push('\n');
    }
    o.push('\u{c}');
    let _ = writeln!(o, "Answer key: {} (seed {seed})\n", deck.title);
    for (i, q) in questions.iter().enumerate() {
        let answer = match &q.kind {
            QuestionKind::Choice(c) => format!("{}) {}", letter(c.correct_index), q.right_answer()),
            _ => q.right_answer().to_owned(),
        };
        let _ = writeln!(o, "{}. {answer}", i + 1);
        let _ = writeln!(o, "   Source: \"{}\"", q.card.source.trim());
    }
    let _ = writeln!(
        o,
        "\nScore: ____ / {}. Each question is one fact; no two ask the same.",
        questions.len()
    );
    o
}
