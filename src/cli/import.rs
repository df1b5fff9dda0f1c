//! `flashdrill import FILE…`: Anki packages, Anki plain text, Quizlet exports and CSV/TSV into
//! the deck folder and the profile's review history.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use super::Common;
use super::settings::open_profile;
use flashdrill_core::deck::{self, Origin};
use flashdrill_core::interop::{
    FormatKind, HeaderRow, IMPORT_FORMATS, ImportError, ImportOptions, TextFormat, import_files,
    parse_delimiter,
};

/// Arguments of `flashdrill import`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The files to import (their help comes from the table of import formats).
    #[arg(required = true, value_name = "FILE", help = files_help())]
    pub files: Vec<PathBuf>,
    /// Read text files as Quizlet exports whatever they look like.
    #[arg(long)]
    pub quizlet: bool,
    /// With --quizlet: the character between term and definition (default: tab, else comma).
    #[arg(long, value_name = "CHAR", requires = "quizlet")]
    pub term_separator: Option<char>,
    /// With --quizlet: the character between cards (default: new line, else semicolon).
    #[arg(long, value_name = "CHAR", requires = "quizlet")]
    pub card_separator: Option<char>,
    /// Read text files as spreadsheets whose columns this character separates: `,` `;` `|`,
    /// or a name (tab, comma, semicolon, pipe, space, colon). Default: detected for each file.
    #[arg(long, value_name = "CHAR", conflicts_with = "quizlet", value_parser = parse_delimiter)]
    pub delimiter: Option<char>,
    /// Whether the first row of a spreadsheet or Quizlet export names its columns (front,back;
    /// term,definition; …) rather than being a card. auto: when it reads as column names.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = Header::Auto)]
    pub header: Header,
    /// The title of the deck a text file makes (default: the file's name, in words).
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
    /// For Quizlet exports and question-and-answer spreadsheets: also ask each card the other
    /// way round (the answer asks for the prompt), as a sibling never shown the same day.
    #[arg(long)]
    pub reverse: bool,
}

/// `--header yes|no|auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Header {
    Yes,
    No,
    Auto,
}

impl From<Header> for HeaderRow {
    fn from(header: Header) -> Self {
        match header {
            Header::Yes => Self::Yes,
            Header::No => Self::No,
            Header::Auto => Self::Auto,
        }
    }
}

/// The help of the FILE arguments, from the table of import formats (flashdrill decks are
/// copied into the deck folder, not imported here).
fn files_help() -> String {
    let formats: Vec<String> = IMPORT_FORMATS
        .iter()
        .filter(|f| f.kind != FormatKind::Deck)
        .map(|f| format!("{} ({})", f.name, f.extension_list()))
        .collect();
    format!(
        "The files: {}. Text files are Anki's notes in plain text, Quizlet exports, or CSV/TSV \
         spreadsheets: a prompt and an answer per row, or columns named after flashdrill fields \
         in the first row",
        formats.join(", ")
    )
}

pub fn run(common: &Common, args: &Args) -> anyhow::Result<ExitCode> {
    let data_dir = common.data_dir()?;
    let decks_dir = deck::user_deck_dir(&data_dir);
    // Imported decks never take a bundled deck's id.
    let library = deck::load_library(&[], true);
    let reserved_ids = library
        .decks
        .iter()
        .filter(|d| d.origin == Origin::Bundled)
        .map(|d| d.deck.id.clone())
        .collect();
    let options = ImportOptions {
        reserved_ids,
        text_format: if args.quizlet {
            Some(TextFormat::Quizlet {
                term: args.term_separator,
                card: args.card_separator,
            })
        } else {
            args.delimiter
                .map(|d| TextFormat::Csv { delimiter: Some(d) })
        },
        header: args.header.into(),
        deck_title: args.title.clone(),
        reverse: args.reverse,
        ..ImportOptions::default()
    };
    let (info, mut store) = open_profile(common)?;
    let cancel = AtomicBool::new(false);
    match import_files(
        &args.files,
        &mut store,
        &decks_dir,
        &options,
        &|_| {},
        &cancel,
    ) {
        Ok(report) => {
            println!("imported into profile {}:", info.name);
            print!("{report}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e @ ImportError::Store(_)) => {
            Err(anyhow::Error::new(e).context("nothing was imported"))
        }
        Err(e) => {
            eprintln!("flashdrill import: {e}");
            eprintln!("flashdrill import: nothing was imported");
            Ok(ExitCode::from(2))
        }
    }
}
