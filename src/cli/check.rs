//! `flashdrill check`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use super::Common;
use flashdrill_core::deck::{self, Article, Library, LoadedDeck, Origin};

/// Arguments of `flashdrill check`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Deck files or folders (every *.json in a folder except schema.json). Without any, checks
    /// the bundled decks and the user's deck folder.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The article the decks are drawn from: every card's `source` must quote it word for word
    /// (curly or straight quotes, kinds of dash and line breaks aside), cards are counted by the
    /// article's sentences and distractors looked for in it.
    #[arg(long, value_name = "FILE")]
    pub article: Option<PathBuf>,
}

/// Validates the decks, prints every problem, every warning and a summary; exit code 1 if there
/// is any problem (warnings alone pass).
pub fn run(common: &Common, args: &Args) -> anyhow::Result<ExitCode> {
    let library = if args.paths.is_empty() {
        let user_dir = deck::user_deck_dir(&common.data_dir()?);
        deck::load_library(&[user_dir], true)
    } else {
        deck::load_paths(&args.paths)
    };
    let article = match &args.article {
        None => None,
        Some(path) => Some(std::fs::read_to_string(path).with_context(|| {
            format!(
                "could not read the article {}; give the path of the text file the decks quote",
                path.display()
            )
        })?),
    };
    let unquoted = match (&args.article, &article) {
        (Some(path), Some(text)) => unquoted_excerpts(&library, &Article::new(text), path),
        _ => Vec::new(),
    };
    let mut out = std::io::stdout().lock();
    write_report(&library, &unquoted, article.as_deref(), &mut out)
        .context("could not write the report")?;
    Ok(if library.failures.is_empty() && unquoted.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// One line per card of the valid decks whose `source` the article does not quote.
fn unquoted_excerpts(library: &Library, article: &Article, path: &Path) -> Vec<String> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    library
        .decks
        .iter()
        .flat_map(|loaded| {
            let place = loaded.display_path();
            let name = &name;
            article.unquoted(&loaded.deck).into_iter().map(move |card| {
                format!(
                    "{place}: card \"{}\": the source excerpt is not word for word in {name}",
                    card.id
                )
            })
        })
        .collect()
}

/// Every problem, one per line (the decks' own, then excerpts the article does not quote), then
/// every warning about the valid decks (read against `article` when given), then the summary
/// line.
fn write_report(
    library: &Library,
    unquoted: &[String],
    article: Option<&str>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for failure in &library.failures {
        writeln!(out, "{failure}")?;
    }
    for line in unquoted {
        writeln!(out, "{line}")?;
    }
    let decks: Vec<&deck::Deck> = library.decks.iter().map(|d| &d.deck).collect();
    let mut warnings = 0;
    for (loaded, list) in library
        .decks
        .iter()
        .zip(deck::warnings_with_article(&decks, article))
    {
        let path = file_name(loaded);
        let unexplained: Vec<&deck::DeckWarning> = list
            .iter()
            .filter(|w| w.warning == deck::Warning::NoExplanation)
            .collect();
        let collapse = unexplained.len() > MAX_UNEXPLAINED_LINES;
        for warning in list
            .iter()
            .filter(|w| !collapse || w.warning != deck::Warning::NoExplanation)
        {
            writeln!(out, "{path}: warning: {warning}")?;
        }
        if collapse {
            writeln!(
                out,
                "{path}: warning: {}",
                unexplained_summary(&unexplained)
            )?;
        }
        warnings += list.len();
    }
    writeln!(out, "{}", summary(library, unquoted.len(), warnings))
}

/// Above this many cards without an explanation in one deck (an imported Anki deck has none),
/// they are reported on one line rather than one line each.
const MAX_UNEXPLAINED_LINES: usize = 5;

/// `"1200 cards have no explanation (card "a", card "b", card "c" and 1197 more); …"`.
fn unexplained_summary(cards: &[&deck::DeckWarning]) -> String {
    let first: Vec<String> = cards.iter().take(3).map(|w| w.card.to_string()).collect();
    format!(
        "{} cards have no explanation ({} and {} more); say why each answer is right and how it \
         fits the story",
        cards.len(),
        first.join(", "),
        cards.len() - first.len()
    )
}

/// The deck's file as the user knows it: its path, or `decks/<name>` for a bundled deck.
fn file_name(loaded: &LoadedDeck) -> String {
    match &loaded.origin {
        Origin::User(path) => path.display().to_string(),
        Origin::Bundled => deck::bundled()
            .iter()
            .find(|(name, json)| {
                let path = std::path::Path::new(deck::BUNDLED_DIR).join(name);
                deck::parse_deck(&path, json.as_bytes()).is_ok_and(|d| d.id == loaded.deck.id)
            })
            .map_or_else(
                || loaded.display_path(),
                |(name, _)| format!("{}/{name}", deck::BUNDLED_DIR),
            ),
    }
}

/// `"4 decks, 112 cards, 0 problems"`, then `", 3 warnings"` when there are any: decks counts
/// every file checked, cards those in the valid decks, problems those of the decks plus `more`.
fn summary(library: &Library, more: usize, warnings: usize) -> String {
    let decks = library.decks.len() + library.failures.len();
    let mut line = format!(
        "{}, {}, {}",
        count(decks, "deck"),
        count(library.card_count(), "card"),
        count(library.problem_count() + more, "problem")
    );
    if warnings > 0 {
        line.push_str(", ");
        line.push_str(&count(warnings, "warning"));
    }
    line
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flashdrill_core::deck::{DeckFileError, Problem};
    use std::path::Path;

    #[test]
    fn reports_problems_then_a_summary() {
        let mut library = deck::load_library(&[], true);
        library
            .failures
            .push(DeckFileError::one(Path::new("x.json"), Problem::NoCards));
        let mut out = Vec::new();
        write_report(&library, &[], None, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let expected = format!(
            "x.json: the deck has no cards\n{} decks, {} cards, 1 problem\n",
            deck::bundled().len() + 1,
            library.card_count()
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn counts_read_in_plain_english() {
        assert_eq!(
            summary(&Library::default(), 0, 0),
            "0 decks, 0 cards, 0 problems"
        );
        assert_eq!(
            summary(&Library::default(), 1, 0),
            "0 decks, 0 cards, 1 problem"
        );
        assert_eq!(
            summary(&Library::default(), 0, 1),
            "0 decks, 0 cards, 0 problems, 1 warning"
        );
        assert_eq!(count(1, "card"), "1 card");
    }
}
