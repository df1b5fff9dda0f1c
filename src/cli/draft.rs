//! `flashdrill draft`: a first draft of a deck from an article.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};

use flashdrill_core::deck;
use flashdrill_core::draft::{self, Article};
use flashdrill_core::file_name;

/// Arguments of `flashdrill draft`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The article: a UTF-8 text or Markdown file of at most 5 MB.
    #[arg(value_name = "ARTICLE")]
    pub article: PathBuf,
    /// The deck's title (also the source's title).
    #[arg(long)]
    pub title: String,
    /// The article's author.
    #[arg(long)]
    pub author: String,
    /// Where the article can be read.
    #[arg(long)]
    pub url: Option<String>,
    /// Write the deck here (never over an existing file) instead of printing it.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Drafts one card per candidate date, number and name, each with its sentence as source.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let name = file_name(&args.article);
    let text = draft::read_article(&args.article).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    if args.title.trim().is_empty() || args.author.trim().is_empty() {
        bail!("--title and --author must not be empty");
    }
    let article = Article::parse(&text);
    let mut deck = draft::draft_deck(&article, args.title.trim(), args.author.trim());
    deck.source.url.clone_from(&args.url);
    let mut json = serde_json::to_string_pretty(&deck).context("could not write the deck")?;
    json.push('\n');
    let count = |category: &str| deck.cards.iter().filter(|c| c.category == category).count();
    let summary = format!(
        "Drafted {} cards from {name}: {} dates, {} numbers, {} actors, {} other; edit them, \
         then run `flashdrill check --article {} DECK.json`",
        deck.cards.len(),
        count("date"),
        count("number"),
        count("actor"),
        deck.cards.len() - count("date") - count("number") - count("actor"),
        args.article.display()
    );
    if let Some(out) = &args.out {
        if out.exists() {
            bail!(
                "{} already exists; it was left as it is: choose another --out",
                file_name(out)
            );
        }
        deck::write_atomically(out, json.as_bytes())?;
        eprintln!("{summary}");
        eprintln!("Wrote {}", out.display());
    } else {
        std::io::stdout()
            .lock()
            .write_all(json.as_bytes())
            .context("could not print the deck")?;
        eprintln!("{summary}");
    }
    Ok(ExitCode::SUCCESS)
}
