//! Import and export: bring cards and review history in from Anki packages, Anki's and
//! Quizlet's text exports and spreadsheets (off the UI thread, with a progress bar, a Cancel
//! button and a report), and take a deck back out as an Anki package or Anki text.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use super::import_text::{TextAction, TextChoices, TextStep, is_text_file};
use super::notice::{Notice, file_name};
use super::theme::size;
use super::widgets;
use crate::jobs::{self, Job};
use crate::ui::view::{AppCommand, AppContext, Screen, View};
use flashdrill_core::deck::{Origin, user_deck_dir};
use flashdrill_core::interop::{
    ExportOptions, ExportReport, FormatKind, HeaderRow, IMPORT_FORMATS, ImportOptions,
    ImportReport, export_apkg, export_csv, import_files, is_format,
};

/// The file types the import dialog offers, by name and extensions: everything at once, then
/// each format of [`IMPORT_FORMATS`].
#[must_use]
pub fn import_filters() -> Vec<(&'static str, Vec<&'static str>)> {
    let everything = IMPORT_FORMATS
        .iter()
        .flat_map(|f| f.extensions.iter().copied())
        .collect();
    std::iter::once(("Everything flashdrill imports", everything))
        .chain(
            IMPORT_FORMATS
                .iter()
                .map(|f| (f.name, f.extensions.to_vec())),
        )
        .collect()
}

/// The formats flashdrill imports, for help texts: "Anki package (.apkg, .colpkg), …".
#[must_use]
pub fn formats_text() -> String {
    IMPORT_FORMATS
        .iter()
        .map(|f| format!("{} ({})", f.name, f.extension_list()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a file is a flashdrill deck (copied in as it is) rather than something to convert.
#[must_use]
pub fn is_flashdrill_deck(path: &Path) -> bool {
    is_format(path, FormatKind::Deck)
}

/// How a deck is written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// An Anki package of the cards.
    Apkg,
    /// An Anki package with this profile's review history and due dates.
    ApkgWithProgress,
    /// Anki's "Notes in Plain Text" (tab-separated).
    Text,
}

impl ExportFormat {
    const ALL: [Self; 3] = [Self::Apkg, Self::ApkgWithProgress, Self::Text];

    fn label(self) -> &'static str {
        match self {
            Self::Apkg => "Anki package (.apkg)",
            Self::ApkgWithProgress => "Anki package with my progress (.apkg)",
            Self::Text => "Anki text, tab-separated (.txt)",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Self::Apkg | Self::ApkgWithProgress => "apkg",
            Self::Text => "txt",
        }
    }
}

/// How the last import ended.
#[derive(Debug, Clone)]
enum Outcome {
    Imported(ImportReport),
    Failed(String),
}

/// The import and export screen.
pub struct ImportScreen {
    /// The import under way.
    import: Option<Job<Result<ImportReport, String>>>,
    /// The files being (or last) imported.
    files: Vec<PathBuf>,
    /// Text files waiting for the learner to check how they are read, and the data folder
    /// they go to.
    text_step: Option<(TextStep, PathBuf)>,
    outcome: Option<Outcome>,
    /// The deck to export (by id).
    export_deck: Option<String>,
    export_format: ExportFormat,
    /// Where to write the export.
    export_path: String,
    save_dialog: Option<Job<Option<PathBuf>>>,
    export: Option<Job<Result<(PathBuf, ExportReport), String>>>,
    notice: Option<Notice>,
}

impl Default for ImportScreen {
    fn default() -> Self {
        Self {
            import: None,
            files: Vec::new(),
            text_step: None,
            outcome: None,
            export_deck: None,
            export_format: ExportFormat::Apkg,
            export_path: String::new(),
            save_dialog: None,
            export: None,
            notice: None,
        }
    }
}

impl ImportScreen {
    /// Whether an import is under way.
    #[must_use]
    pub fn busy(&self) -> bool {
        self.import.is_some()
    }

    pub fn set_notice(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    /// Imports `files` (Anki packages and text files) into the open profile and the deck
    /// folder of `data_dir`, off the UI thread. With text files among them, the screen first
    /// shows how the text will be read, and imports when the learner says so.
    pub fn start(&mut self, files: Vec<PathBuf>, data_dir: &Path, cx: &mut AppContext<'_>) {
        if self.import.is_none() && files.iter().any(|p| is_text_file(p)) {
            self.files.clone_from(&files);
            self.outcome = None;
            self.notice = None;
            self.text_step = Some((TextStep::new(files), data_dir.to_path_buf()));
            return;
        }
        let detect = TextChoices {
            format: None,
            header: HeaderRow::Auto,
            title: None,
            reverse: false,
        };
        self.run_import(files, data_dir, detect, cx);
    }

    /// Starts the import job; text files are read as `text` says.
    fn run_import(
        &mut self,
        files: Vec<PathBuf>,
        data_dir: &Path,
        text: TextChoices,
        cx: &mut AppContext<'_>,
    ) {
        if self.import.is_some() {
            self.notice = Some(Notice::warning(
                "An import is under way: wait for it to finish, or cancel it, then import again.",
            ));
            return;
        }
        let Some(connector) = cx.col().connector() else {
            self.notice = Some(Notice::error(
                "No profile is open, so there is nowhere to put the review history. Open or \
                 create a profile, then import again.",
            ));
            return;
        };
        let options = ImportOptions {
            // Imported decks never take a bundled deck's id.
            reserved_ids: cx
                .library()
                .decks
                .iter()
                .filter(|d| d.origin == Origin::Bundled)
                .map(|d| d.deck.id.clone())
                .collect(),
            text_format: text.format,
            header: text.header,
            deck_title: text.title,
            reverse: text.reverse,
            ..ImportOptions::default()
        };
        let decks_dir = user_deck_dir(data_dir);
        let paths = files.clone();
        self.files = files;
        self.outcome = None;
        self.notice = None;
        self.import = Some(cx.jobs.spawn_with_progress(move |progress| {
            progress.set_stage("Opening your progress");
            // A second connection to the profile's database: the window keeps its own.
            let mut store = connector.open().map_err(|e| {
                format!("Could not open your progress to import into ({e}). Nothing was imported.")
            })?;
            import_files(
                &paths,
                &mut store,
                &decks_dir,
                &options,
                &|p| {
                    progress.set_stage(p.stage);
                    progress.report((p.fraction.clamp(0.0, 1.0) * 1000.0) as usize, 1000);
                },
                progress.cancel_flag(),
            )
            .map_err(|e| e.to_string())
        }));
    }

    /// Takes in a finished import or export.
    fn poll(&mut self, cx: &mut AppContext<'_>) {
        match jobs::finished(&mut self.import) {
            Some(Ok(Ok(report))) => {
                // New decks and rescheduled cards: every screen reads them again.
                cx.send(AppCommand::Imported);
                self.outcome = Some(Outcome::Imported(report));
            }
            Some(Ok(Err(message))) => self.outcome = Some(Outcome::Failed(message)),
            Some(Err(jobs::Lost)) => {
                self.outcome = Some(Outcome::Failed(
                    "The import stopped unexpectedly; nothing was imported. Try again, and if \
                     it happens again, report it with the file."
                        .to_owned(),
                ));
            }
            None => {}
        }
        if let Some(Ok(Some(path))) = jobs::finished(&mut self.save_dialog) {
            self.export_path = path.display().to_string();
        }
        match jobs::finished(&mut self.export) {
            Some(Ok(Ok((path, report)))) => {
                let mut text = format!(
                    "Exported {} to {}",
                    count(report.notes, "card", "cards"),
                    file_name(&path)
                );
                if report.reviews > 0 {
                    text.push_str(" with ");
                    text.push_str(&count(report.reviews, "review", "reviews"));
                }
                if report.media > 0 {
                    text.push_str(" and ");
                    text.push_str(&count(report.media, "image", "images"));
                }
                text.push('.');
                if report.missing_images > 0 {
                    text.push(' ');
                    text.push_str(&count(report.missing_images, "image was", "images were"));
                    text.push_str(" missing from the deck's media folder and left out.");
                }
                self.notice = Some(Notice::success(text));
            }
            Some(Ok(Err(message))) => self.notice = Some(Notice::error(message)),
            Some(Err(jobs::Lost)) => {
                self.notice = Some(Notice::error(
                    "The export stopped unexpectedly and wrote nothing. Try again.",
                ));
            }
            None => {}
        }
    }

    /// Writes the chosen deck to `out` in the chosen format, off the UI thread.
    fn start_export(&mut self, out: PathBuf, cx: &mut AppContext<'_>) {
        let Some(loaded) = self
            .export_deck
            .as_deref()
            .and_then(|id| cx.library().deck(id))
            .cloned()
        else {
            self.notice = Some(Notice::error("Choose a deck to export."));
            return;
        };
        let format = self.export_format;
        let connector = cx.col().connector();
        self.export = Some(cx.jobs.spawn(move || {
            let deck_path = match &loaded.origin {
                Origin::User(path) => Some(path.clone()),
                Origin::Bundled => None,
            };
            let result = match format {
                ExportFormat::Text => export_csv(&loaded.deck, &out),
                ExportFormat::Apkg => export_apkg(
                    &loaded.deck,
                    deck_path.as_deref(),
                    None,
                    ExportOptions::default(),
                    &out,
                ),
                ExportFormat::ApkgWithProgress => {
                    let Some(connector) = connector else {
                        return Err(
                            "No profile is open, so there is no progress to export. Export \
                             without progress, or open a profile."
                                .to_owned(),
                        );
                    };
                    let store = connector.open().map_err(|e| {
                        format!("Could not read your progress ({e}); nothing was written.")
                    })?;
                    export_apkg(
                        &loaded.deck,
                        deck_path.as_deref(),
                        Some(&store),
                        ExportOptions {
                            with_progress: true,
                        },
                        &out,
                    )
                }
            };
            result.map(|r| (out, r)).map_err(|e| e.to_string())
        }));
    }

    fn import_section(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>) {
        let palette = cx.palette;
        ui.label(RichText::new("Import").size(size::HEADING).strong());
        ui.label(
            RichText::new(format!(
                "{}. Anki packages bring their review history; a spreadsheet gives a card per \
                 row, a prompt and an answer. You can also drop files on the window.",
                formats_text()
            ))
            .color(palette.muted),
        );
        ui.add_space(4.0);
        if let Some(job) = &self.import {
            let (done, total) = job.progress();
            let fraction = if total == 0 {
                0.0
            } else {
                done as f32 / total as f32
            };
            let stage = job.stage();
            ui.label(format!(
                "Importing {}…",
                self.files
                    .iter()
                    .map(|p| file_name(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            ui.add(
                egui::ProgressBar::new(fraction)
                    .show_percentage()
                    .text(format!(
                        "{} {:.0} %",
                        if stage.is_empty() { "Starting" } else { &stage },
                        fraction * 100.0
                    )),
            );
            if ui
                .button("Cancel import")
                .on_hover_text("Stop now: nothing of this import is kept")
                .clicked()
            {
                job.cancel();
            }
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
            return;
        }
        if let Some((step, _)) = &mut self.text_step {
            let action = step.ui(ui, cx);
            match action {
                Some(TextAction::Import(choices)) => {
                    if let Some((step, data_dir)) = self.text_step.take() {
                        self.run_import(step.files, &data_dir, choices, cx);
                    }
                }
                Some(TextAction::Cancel) => {
                    self.text_step = None;
                    self.notice = Some(Notice::info("Nothing was imported."));
                }
                None => {}
            }
            return;
        }
        if ui
            .button("Import…")
            .on_hover_text("Choose one or more files to import")
            .clicked()
        {
            cx.send(AppCommand::OpenDeckDialog);
        }
        match &self.outcome {
            Some(Outcome::Imported(report)) => {
                ui.add_space(6.0);
                report_card(ui, report, &self.files, cx);
            }
            Some(Outcome::Failed(message)) => {
                ui.add_space(6.0);
                ui.label(
                    RichText::new("Nothing was imported.")
                        .strong()
                        .color(palette.wrong),
                );
                ui.label(RichText::new(message).color(palette.wrong));
            }
            None => {}
        }
    }

    fn export_section(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>) {
        let palette = cx.palette;
        ui.label(RichText::new("Export").size(size::HEADING).strong());
        ui.label(
            RichText::new(
                "Take a deck to Anki: as a package (optionally with your review history, so \
                 Anki schedules the cards where you left them) or as Anki text.",
            )
            .color(palette.muted),
        );
        ui.add_space(4.0);
        let decks: Vec<(String, String)> = cx
            .library()
            .decks
            .iter()
            .map(|d| (d.deck.id.clone(), d.deck.title.clone()))
            .collect();
        if self
            .export_deck
            .as_ref()
            .is_none_or(|id| !decks.iter().any(|(d, _)| d == id))
        {
            self.export_deck = decks.first().map(|(id, _)| id.clone());
        }
        egui::Grid::new("export-form")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label("Deck");
                let selected = self
                    .export_deck
                    .as_ref()
                    .and_then(|id| decks.iter().find(|(d, _)| d == id))
                    .map_or("No deck", |(_, t)| t.as_str())
                    .to_owned();
                egui::ComboBox::from_id_salt("export-deck")
                    .height(widgets::COMBO_HEIGHT)
                    .selected_text(selected)
                    .width(360.0)
                    .truncate()
                    .show_ui(ui, |ui| {
                        for (id, title) in &decks {
                            ui.selectable_value(&mut self.export_deck, Some(id.clone()), title);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                ui.label("Format");
                ui.vertical(|ui| {
                    for format in ExportFormat::ALL {
                        if ui
                            .radio_value(&mut self.export_format, format, format.label())
                            .changed()
                        {
                            // The file name follows the format's extension.
                            let path = Path::new(self.export_path.trim());
                            if !self.export_path.trim().is_empty() {
                                self.export_path = path
                                    .with_extension(format.extension())
                                    .display()
                                    .to_string();
                            }
                        }
                    }
                });
                ui.end_row();
            });
        let busy = self.export.is_some() || self.save_dialog.is_some();
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Save as");
            ui.add(
                egui::TextEdit::singleline(&mut self.export_path)
                    .hint_text(format!("/path/to/deck.{}", self.export_format.extension()))
                    .desired_width(380.0),
            )
            .labelled_by(label.id);
            if ui
                .add_enabled(!busy, egui::Button::new("Choose…"))
                .on_hover_text("Choose where to save the file")
                .clicked()
            {
                let format = self.export_format;
                let name = format!(
                    "{}.{}",
                    self.export_deck.as_deref().unwrap_or("deck"),
                    format.extension()
                );
                self.save_dialog = Some(
                    cx.choose_file(
                        crate::ui::file_ask::FileAsk::save("Export deck", name)
                            .filter(format.label(), &[format.extension()]),
                    ),
                );
            }
        });
        let ready = !busy && self.export_deck.is_some() && !self.export_path.trim().is_empty();
        if ui
            .add_enabled(ready, egui::Button::new("Export deck"))
            .on_hover_text("Write the deck to the file named above")
            .clicked()
        {
            let out = PathBuf::from(self.export_path.trim());
            self.start_export(out, cx);
        }
        if busy {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Exporting…");
            });
        }
    }
}

/// How many left-out pictures the report lists by name (the CLI lists them all).
const PICTURES_LISTED: usize = 20;

/// "1 card", "3 cards".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What an import did: decks, cards, reviews, media, and what was left out and why.
fn report_card(ui: &mut Ui, report: &ImportReport, files: &[PathBuf], cx: &mut AppContext<'_>) {
    let palette = cx.palette;
    widgets::card_frame(ui, &palette).show(ui, |ui| {
        ui.label(
            RichText::new(format!(
                "Imported {}",
                files
                    .iter()
                    .map(|p| file_name(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .strong()
            .color(palette.right),
        );
        egui::Grid::new("import-report")
            .num_columns(2)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                let row = |ui: &mut Ui, what: &str, value: String| {
                    ui.label(what);
                    ui.label(value);
                    ui.end_row();
                };
                row(ui, "Decks", report.decks.len().to_string());
                row(ui, "Cards added", report.cards_added.to_string());
                row(ui, "Cards updated", report.cards_updated.to_string());
                row(ui, "Cards unchanged", report.cards_unchanged.to_string());
                row(
                    ui,
                    "Reviews added",
                    if report.reviews_already_present > 0 {
                        format!(
                            "{} ({} were already here)",
                            report.reviews_added, report.reviews_already_present
                        )
                    } else {
                        report.reviews_added.to_string()
                    },
                );
                row(
                    ui,
                    "Cards scheduled from their history",
                    report.cards_rebuilt.to_string(),
                );
                row(ui, "Images copied", report.media_copied.to_string());
            });
        if !report.skipped.is_empty() {
            ui.add_space(4.0);
            ui.label(RichText::new("Left out").strong().color(palette.warn));
            for (reason, n) in &report.skipped {
                ui.label(format!("{n} × {reason}"));
            }
        }
        if !report.pictures_skipped.is_empty() {
            ui.add_space(4.0);
            ui.label(
                RichText::new("Pictures left out")
                    .strong()
                    .color(palette.warn),
            );
            let several = files.len() > 1;
            for picture in report.pictures_skipped.iter().take(PICTURES_LISTED) {
                ui.label(if several {
                    format!("{picture}, in {}", file_name(&picture.file))
                } else {
                    picture.to_string()
                });
            }
            let more = report
                .pictures_skipped
                .len()
                .saturating_sub(PICTURES_LISTED);
            if more > 0 {
                ui.label(format!(
                    "and {more} more {}",
                    if more == 1 { "picture" } else { "pictures" }
                ));
            }
        }
        for (file, cells) in &report.header_rows {
            ui.label(
                RichText::new(format!(
                    "The first row of {} ({}) was read as column names, not as a card.",
                    file_name(file),
                    cells.join(", ")
                ))
                .color(palette.muted),
            );
        }
        ui.add_space(6.0);
        for deck in &report.decks {
            ui.horizontal_wrapped(|ui| {
                ui.label(format!(
                    "{} \"{}\": {} added, {} updated, {} unchanged",
                    if deck.created { "New deck" } else { "Deck" },
                    deck.title,
                    deck.added,
                    deck.updated,
                    deck.unchanged
                ));
                if ui
                    .button("Edit")
                    .accessible_name(format!("Edit {}", deck.title))
                    .clicked()
                {
                    cx.send(AppCommand::EditDeckFile(deck.path.clone()));
                }
            });
        }
        ui.add_space(6.0);
        if widgets::primary_button(ui, "Back to decks", &palette).clicked() {
            cx.send(AppCommand::GoTo(Screen::Home));
        }
    });
}

impl View for ImportScreen {
    fn open(&mut self, _cx: &mut AppContext<'_>) {
        // A report stays until the learner comes back for something else.
        if self.import.is_none() {
            self.outcome = None;
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>) {
        self.poll(cx);
        let palette = cx.palette;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                widgets::centered_column(ui, 820.0, |ui| {
                    ui.add_space(8.0);
                    if let Some(notice) = &self.notice {
                        notice.show(ui, &palette);
                        ui.add_space(4.0);
                    }
                    self.import_section(ui, cx);
                    ui.add_space(12.0);
                    ui.separator();
                    ui.add_space(8.0);
                    self.export_section(ui, cx);
                });
            });
        if self.export.is_some() || self.save_dialog.is_some() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
    }
}
