//! `flashdrill check`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use super::Common;
use crate::deck::{self, Library};
use crate::draft;
use crate::ui::notice::file_name;

/// Arguments of `flashdrill check`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Deck files or folders (every *.json in a folder except schema.json). Without any, checks
    /// the bundled decks and the user's deck folder.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Also check that every card's source is word for word in this article (ignoring curly
    /// versus straight quotes and line breaks).
    #[arg(long, value_name = "FILE")]
    pub article: Option<PathBuf>,
}

/// Validates the decks, prints every problem and a summary; exit code 1 if there is any problem.
pub fn run(common: &Common, args: &Args) -> anyhow::Result<ExitCode> {
    let library = if args.paths.is_empty() {
        let user_dir = deck::user_deck_dir(&common.data_dir()?);
        deck::load_library(&[user_dir], true)
    } else {
        deck::load_paths(&args.paths)
    };
    let not_quoted = match &args.article {
        Some(path) => sources_not_quoted(&library, path)?,
        None => Vec::new(),
    };
    let mut out = std::io::stdout().lock();
    write_report(&library, &not_quoted, &mut out).context("could not write the report")?;
    Ok(if library.failures.is_empty() && not_quoted.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// One line per card of the valid decks whose source is not word for word in the article at
/// `path`: `deck.json: card "kcna": the source is not word for word in article.txt`.
fn sources_not_quoted(library: &Library, path: &Path) -> anyhow::Result<Vec<String>> {
    let name = file_name(path);
    let article = draft::read_article(path).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let mut lines = Vec::new();
    for loaded in &library.decks {
        for (_, card) in draft::sources_not_in_article(&loaded.deck, &article) {
            lines.push(format!(
                "{}: card {:?}: the source is not word for word in {name}",
                loaded.display_path(),
                card.id
            ));
        }
    }
    Ok(lines)
}

/// Every problem, one per line, then the summary line.
fn write_report(
    library: &Library,
    not_quoted: &[String],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for failure in &library.failures {
        writeln!(out, "{failure}")?;
    }
    for line in not_quoted {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "{}", summary(library, not_quoted.len()))
}

/// `"4 decks, 112 cards, 0 problems"`: decks counts every file checked, cards those in the valid
/// decks.
fn summary(library: &Library, more_problems: usize) -> String {
    let decks = library.decks.len() + library.failures.len();
    format!(
        "{}, {}, {}",
        count(decks, "deck"),
        count(library.card_count(), "card"),
        count(library.problem_count() + more_problems, "problem")
    )
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
    use crate::deck::{DeckFileError, Problem};

    #[test]
    fn reports_problems_then_a_summary() {
        let mut library = deck::load_library(&[], true);
        library
            .failures
            .push(DeckFileError::one(Path::new("x.json"), Problem::NoCards));
        let mut out = Vec::new();
        write_report(&library, &[], &mut out).unwrap();
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
            summary(&Library::default(), 0),
            "0 decks, 0 cards, 0 problems"
        );
        assert_eq!(
            summary(&Library::default(), 1),
            "0 decks, 0 cards, 1 problem"
        );
        assert_eq!(count(1, "card"), "1 card");
    }
}
