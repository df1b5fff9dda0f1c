//! `flashdrill export --deck ID --format apkg|csv [--with-progress] --out FILE`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::Common;
use super::settings::open_profile;
use flashdrill_core::deck::{self, Origin};
use flashdrill_core::interop::{ExportOptions, export_apkg, export_csv};

/// The file formats `flashdrill export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An Anki package (imports into any current Anki).
    Apkg,
    /// Anki's "Notes in Plain Text" (tab-separated, with #separator, #html and #columns headers).
    Csv,
}

/// Arguments of `flashdrill export`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The id of the deck to export (bundled or in the deck folder).
    #[arg(long, value_name = "ID")]
    pub deck: String,
    #[arg(long, value_enum)]
    pub format: Format,
    /// apkg only: include the profile's review history and each card's due state.
    #[arg(long)]
    pub with_progress: bool,
    /// The file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

pub fn run(common: &Common, args: &Args) -> anyhow::Result<ExitCode> {
    let data_dir = common.data_dir()?;
    let library = deck::load_library(&[deck::user_deck_dir(&data_dir)], true);
    let Some(loaded) = library.deck(&args.deck) else {
        let mut ids = library.deck_ids();
        ids.sort_unstable();
        eprintln!(
            "flashdrill export: no deck has the id \"{}\"; the decks are: {}",
            args.deck,
            ids.join(", ")
        );
        return Ok(ExitCode::from(2));
    };
    if args.with_progress && args.format == Format::Csv {
        eprintln!(
            "flashdrill export: --with-progress needs --format apkg (Anki's text files carry no history)"
        );
        return Ok(ExitCode::from(2));
    }
    let deck_path = match &loaded.origin {
        Origin::User(path) => Some(path.as_path()),
        Origin::Bundled => None,
    };
    let result = match args.format {
        Format::Apkg if args.with_progress => {
            let (_, store) = open_profile(common)?;
            export_apkg(
                &loaded.deck,
                deck_path,
                Some(&store),
                ExportOptions {
                    with_progress: true,
                },
                &args.out,
            )
        }
        Format::Apkg => export_apkg(
            &loaded.deck,
            deck_path,
            None,
            ExportOptions::default(),
            &args.out,
        ),
        Format::Csv => export_csv(&loaded.deck, &args.out),
    };
    match result {
        Ok(report) => {
            println!(
                "wrote {}: {} notes, {} reviews, {} images",
                args.out.display(),
                report.notes,
                report.reviews,
                report.media
            );
            if report.missing_images > 0 {
                println!(
                    "{} cards' images were not in the deck's media folder and were left out",
                    report.missing_images
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("flashdrill export: {e}");
            Ok(ExitCode::from(2))
        }
    }
}
