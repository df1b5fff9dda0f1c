//! The import screen's text step. Before text files (Anki or Quizlet exports, spreadsheets)
//! are imported, the learner sees how they will be read (the format; Quizlet's separators or
//! the spreadsheet's delimiter, detected or chosen; whether the first row is a header) and a
//! preview of the first cards, or where reading fails; nothing is imported until they say so.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use super::notice::file_name;
use super::widgets;
use crate::jobs::{self, Job};
use crate::ui::view::AppContext;
use flashdrill_core::interop::{HeaderRow, TextFormat, TextPreview, preview_text};

/// How many cards the preview lists.
const PREVIEW_CARDS: usize = 5;

/// Whether `path` is a text file the import reads as text (not a package or a deck).
#[must_use]
pub fn is_text_file(path: &Path) -> bool {
    flashdrill_core::interop::is_format(path, flashdrill_core::interop::FormatKind::Text)
}

/// The format the learner picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Detect,
    AnkiNotes,
    Quizlet,
    Spreadsheet,
}

impl Kind {
    const ALL: [Self; 4] = [
        Self::Detect,
        Self::AnkiNotes,
        Self::Quizlet,
        Self::Spreadsheet,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::Detect => "Detect it from the file",
            Self::AnkiNotes => "Anki notes in plain text",
            Self::Quizlet => "Quizlet export (term and definition)",
            Self::Spreadsheet => "Spreadsheet, CSV or TSV (a card per row)",
        }
    }

    /// The kind a format read is.
    fn of(format: TextFormat) -> Self {
        match format {
            TextFormat::AnkiNotes => Self::AnkiNotes,
            TextFormat::Quizlet { .. } => Self::Quizlet,
            TextFormat::Csv { .. } => Self::Spreadsheet,
        }
    }
}

/// A separator: detected, one of the usual ones (by its place in the row's list), or another
/// character typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    Detect,
    Usual(usize),
    Other,
}

/// Quizlet's usual separators between term and definition, between cards, and a
/// spreadsheet's between columns: each with its name on the radio button.
const TERM_SEPS: [(&str, char); 2] = [("Tab", '\t'), ("Comma", ',')];
const CARD_SEPS: [(&str, char); 2] = [("New line", '\n'), ("Semicolon", ';')];
const COLUMN_SEPS: [(&str, char); 3] = [("Comma", ','), ("Semicolon", ';'), ("Tab", '\t')];

/// The character `sep` stands for: `Ok(None)` to detect it, `Err(what)` when the typed one is
/// not one character.
fn sep_char(
    sep: Sep,
    usual: &[(&str, char)],
    other: &str,
    what: &'static str,
) -> Result<Option<char>, &'static str> {
    Ok(match sep {
        Sep::Detect => None,
        Sep::Usual(i) => usual.get(i).map(|&(_, c)| c),
        Sep::Other => {
            let mut chars = other.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Some(c),
                _ => return Err(what),
            }
        }
    })
}

/// How the learner asked text files to be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChoices {
    /// The format (`None`: detect each file's).
    pub format: Option<TextFormat>,
    /// Whether the first row is column names.
    pub header: HeaderRow,
    /// The title of the deck a single text file makes (`None`: from the file's name).
    pub title: Option<String>,
    /// Also make each card the other way round.
    pub reverse: bool,
}

/// What the learner decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextAction {
    /// Import the files, reading text files as the choices say.
    Import(TextChoices),
    Cancel,
}

/// What a preview is read for: the format and the header choice.
type PreviewKey = (Option<TextFormat>, HeaderRow);

/// The step's state: the files waiting, the choices, and the preview of the first text file.
pub struct TextStep {
    /// Every file of the import waiting (packages too: they are imported with the text).
    pub files: Vec<PathBuf>,
    kind: Kind,
    term: Sep,
    card: Sep,
    column: Sep,
    term_other: String,
    card_other: String,
    column_other: String,
    header: HeaderRow,
    /// The kind the last preview detected, while "Detect" is chosen: its separators show.
    detected: Option<Kind>,
    /// The preview being read, and what it is for.
    job: Option<Job<Result<TextPreview, String>>>,
    job_key: Option<PreviewKey>,
    /// The preview on show, and what it is for.
    shown: Option<(Result<TextPreview, String>, PreviewKey)>,
    /// The title of the deck, when one text file is imported.
    title: Option<String>,
    reverse: bool,
}

impl TextStep {
    #[must_use]
    pub fn new(files: Vec<PathBuf>) -> Self {
        let texts: Vec<&PathBuf> = files.iter().filter(|p| is_text_file(p)).collect();
        let title = match texts.as_slice() {
            [one] => one
                .file_stem()
                .map(|s| flashdrill_core::interop::title_from_file_name(&s.to_string_lossy())),
            _ => None,
        };
        Self {
            title,
            reverse: false,
            files,
            kind: Kind::Detect,
            term: Sep::Detect,
            card: Sep::Detect,
            column: Sep::Detect,
            term_other: String::new(),
            card_other: String::new(),
            column_other: String::new(),
            header: HeaderRow::Auto,
            detected: None,
            job: None,
            job_key: None,
            shown: None,
        }
    }

    /// The text file the preview reads: the first one.
    fn previewed_file(&self) -> Option<&PathBuf> {
        self.files.iter().find(|p| is_text_file(p))
    }

    /// The chosen format; `Err` with what to fix when a separator is missing.
    fn format(&self) -> Result<Option<TextFormat>, &'static str> {
        Ok(match self.kind {
            Kind::Detect => None,
            Kind::AnkiNotes => Some(TextFormat::AnkiNotes),
            Kind::Spreadsheet => Some(TextFormat::Csv {
                delimiter: sep_char(
                    self.column,
                    &COLUMN_SEPS,
                    &self.column_other,
                    "Type the one character between columns.",
                )?,
            }),
            Kind::Quizlet => Some(TextFormat::Quizlet {
                term: sep_char(
                    self.term,
                    &TERM_SEPS,
                    &self.term_other,
                    "Type the one character between term and definition.",
                )?,
                card: sep_char(
                    self.card,
                    &CARD_SEPS,
                    &self.card_other,
                    "Type the one character between cards.",
                )?,
            }),
        })
    }

    /// Reads the preview again when the choices changed (off the UI thread), and takes in a
    /// finished one.
    fn refresh(&mut self, key: PreviewKey, cx: &AppContext<'_>) {
        if let Some(result) = jobs::finished(&mut self.job) {
            let result = result.unwrap_or_else(|jobs::Lost| {
                Err("Reading the file stopped unexpectedly; try again.".to_owned())
            });
            if let (Ok(preview), Some((None, _))) = (&result, self.job_key) {
                self.detected = Some(Kind::of(preview.format));
            }
            if let Some(key) = self.job_key {
                self.shown = Some((result, key));
            }
        }
        let shown_for = self.shown.as_ref().map(|(_, k)| *k);
        if shown_for == Some(key) || (self.job.is_some() && self.job_key == Some(key)) {
            return;
        }
        let Some(path) = self.previewed_file().cloned() else {
            return;
        };
        self.job_key = Some(key);
        let (format, header) = key;
        self.job = Some(cx.jobs.spawn(move || {
            preview_text(&path, format, header, PREVIEW_CARDS).map_err(|e| e.to_string())
        }));
    }

    /// The kind whose choices show: the one chosen, or while detecting, the one detected.
    fn shown_kind(&self) -> Kind {
        match self.kind {
            Kind::Detect => self.detected.unwrap_or(Kind::Detect),
            kind => kind,
        }
    }

    /// The first row's cells when the preview on show reads it as a header.
    fn shown_header(&self) -> Option<&[String]> {
        match &self.shown {
            Some((Ok(preview), _)) => preview.header.as_deref(),
            _ => None,
        }
    }

    /// Draws the step; what the learner decided, if anything.
    pub fn ui(&mut self, ui: &mut Ui, cx: &AppContext<'_>) -> Option<TextAction> {
        let palette = cx.palette;
        let texts: Vec<String> = self
            .files
            .iter()
            .filter(|p| is_text_file(p))
            .map(|p| file_name(p))
            .collect();
        ui.label(RichText::new("How the text is read").strong());
        let intro = match texts.as_slice() {
            [one] => format!("Check how {one} will be read before importing it."),
            [first, ..] => format!(
                "Check how {} will be read before importing them. The preview shows the first \
                 cards of {first}.",
                texts.join(", ")
            ),
            [] => String::new(),
        };
        ui.label(RichText::new(intro).color(palette.muted));
        ui.add_space(4.0);
        egui::Grid::new("text-import-form")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label("Read as");
                egui::ComboBox::from_id_salt("text-import-kind")
                    .height(widgets::COMBO_HEIGHT)
                    .selected_text(self.kind.label())
                    .width(380.0)
                    .show_ui(ui, |ui| {
                        for kind in Kind::ALL {
                            ui.selectable_value(&mut self.kind, kind, kind.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                let before = (self.term, self.card, self.column);
                match self.shown_kind() {
                    Kind::Quizlet => {
                        ui.label("Between term and definition");
                        separator_row(
                            ui,
                            &mut self.term,
                            &mut self.term_other,
                            &TERM_SEPS,
                            "between term and definition",
                        );
                        ui.end_row();
                        ui.label("Between cards");
                        separator_row(
                            ui,
                            &mut self.card,
                            &mut self.card_other,
                            &CARD_SEPS,
                            "between cards",
                        );
                        ui.end_row();
                    }
                    Kind::Spreadsheet => {
                        ui.label("Between columns");
                        separator_row(
                            ui,
                            &mut self.column,
                            &mut self.column_other,
                            &COLUMN_SEPS,
                            "between columns",
                        );
                        ui.end_row();
                    }
                    Kind::Detect | Kind::AnkiNotes => {}
                }
                // A separator chosen while detecting: the file is read as the kind detected.
                if (self.term, self.card, self.column) != before && self.kind == Kind::Detect {
                    self.kind = self.shown_kind();
                }
                if matches!(self.shown_kind(), Kind::Quizlet | Kind::Spreadsheet) {
                    ui.label("Header");
                    self.header_switch(ui, cx);
                    ui.end_row();
                }
                if let Some(title) = &mut self.title {
                    let label = ui.label("Deck title");
                    ui.add(
                        egui::TextEdit::singleline(title)
                            .hint_text("The file's name")
                            .desired_width(380.0),
                    )
                    .labelled_by(label.id)
                    .on_hover_text("The name the deck has in flashdrill");
                    ui.end_row();
                }
                if matches!(self.shown_kind(), Kind::Quizlet | Kind::Spreadsheet) {
                    ui.label("Reverse cards");
                    ui.checkbox(
                        &mut self.reverse,
                        "Also ask each card the other way round (the answer asks for the prompt)",
                    )
                    .on_hover_text(
                        "Doubles the cards: each answer also asks for its prompt. The two are \
                         siblings, never shown the same day.",
                    );
                    ui.end_row();
                }
            });
        ui.add_space(6.0);
        let format = match self.format() {
            Ok(format) => format,
            Err(what) => {
                ui.label(RichText::new(what).color(palette.warn));
                return cancel_only(ui);
            }
        };
        let key = (format, self.header);
        self.refresh(key, cx);
        let ready = match self.shown.as_ref().filter(|(_, k)| *k == key) {
            None => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Reading the file…");
                });
                false
            }
            Some((Err(message), _)) => {
                ui.label(RichText::new(message).color(palette.wrong));
                ui.label(
                    RichText::new(
                        "Choose how the text is read above until the preview shows your cards.",
                    )
                    .color(palette.muted),
                );
                false
            }
            Some((Ok(preview), _)) => {
                show_preview(ui, preview, cx);
                preview.cards > 0
            }
        };
        ui.add_space(6.0);
        let mut action = None;
        ui.horizontal(|ui| {
            let import = ui
                .add_enabled(ready, egui::Button::new("Import these files"))
                .on_hover_text("Import the files, reading the text as shown")
                .on_disabled_hover_text("Nothing to import: choose how the text is read");
            if import.clicked() {
                action = Some(TextAction::Import(TextChoices {
                    format,
                    header: self.header,
                    title: self
                        .title
                        .as_deref()
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned),
                    reverse: self.reverse
                        && matches!(self.shown_kind(), Kind::Quizlet | Kind::Spreadsheet),
                }));
            }
            if ui.button("Cancel").clicked() {
                action = Some(TextAction::Cancel);
            }
        });
        if self.job.is_some() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(50));
        }
        action
    }
}

impl TextStep {
    /// "First row is a header": ticked when the learner says so or, until they do, when the
    /// preview reads the first row as column names; below it, the names that are no card.
    fn header_switch(&mut self, ui: &mut Ui, cx: &AppContext<'_>) {
        let header = self.shown_header().map(<[String]>::to_vec);
        ui.vertical(|ui| {
            let mut on = match self.header {
                HeaderRow::Yes => true,
                HeaderRow::No => false,
                HeaderRow::Auto => header.is_some(),
            };
            if ui
                .checkbox(&mut on, "First row is a header")
                .on_hover_text(
                    "Ticked, the first row names the columns (front, back; term, definition…) \
                     and is not imported as a card",
                )
                .changed()
            {
                self.header = if on { HeaderRow::Yes } else { HeaderRow::No };
            }
            if let Some(cells) = header.filter(|_| on) {
                let names: Vec<String> = cells
                    .iter()
                    .filter(|c| !c.is_empty())
                    .map(|c| format!("\u{201c}{c}\u{201d}"))
                    .collect();
                ui.label(
                    RichText::new(format!(
                        "Column names, not a card: {}{}",
                        names.join(", "),
                        if self.header == HeaderRow::Auto {
                            " (detected)"
                        } else {
                            ""
                        }
                    ))
                    .color(cx.palette.muted),
                );
            }
        });
    }
}

/// The usual separators, detection, and a field for any other character; `place` ("between
/// cards") tells a screen reader which separator "Detect" and "Other" choose, as two rows of
/// them can show at once.
fn separator_row(
    ui: &mut Ui,
    sep: &mut Sep,
    other: &mut String,
    usual: &[(&str, char)],
    place: &str,
) {
    let field = format!("Other character {place}");
    ui.horizontal(|ui| {
        let enabled = ui.is_enabled();
        // A radio showing `shown`, named for a screen reader with its place.
        let radio = |ui: &mut Ui, sep: &mut Sep, value: Sep, shown: &str, name: String| {
            let response = ui.radio_value(sep, value, shown);
            let chosen = *sep == value;
            response.widget_info(|| {
                egui::WidgetInfo::selected(egui::Role::RadioButton, enabled, chosen, &name)
            });
        };
        radio(
            ui,
            sep,
            Sep::Detect,
            "Detect",
            format!("Detect the separator {place}"),
        );
        for (i, (name, _)) in usual.iter().enumerate() {
            ui.radio_value(sep, Sep::Usual(i), *name);
        }
        radio(
            ui,
            sep,
            Sep::Other,
            "Other:",
            format!("Other separator {place}:"),
        );
        let response = ui
            .add(
                egui::TextEdit::singleline(other)
                    .desired_width(40.0)
                    .char_limit(1),
            )
            .on_hover_text(&field);
        response.widget_info(|| {
            egui::WidgetInfo::text_edit(enabled, other.clone(), other.clone(), &field)
        });
        if response.changed() {
            *sep = Sep::Other;
        }
    });
}

fn cancel_only(ui: &mut Ui) -> Option<TextAction> {
    ui.button("Cancel").clicked().then_some(TextAction::Cancel)
}

/// The separators as words: `"Quizlet export: tab between term and definition, new line
/// between cards"`.
fn describe(format: TextFormat) -> String {
    let name = |c: char| match c {
        '\t' => "tab".to_owned(),
        '\n' => "new line".to_owned(),
        ',' => "comma".to_owned(),
        ';' => "semicolon".to_owned(),
        c => format!("\u{201c}{c}\u{201d}"),
    };
    match format {
        TextFormat::AnkiNotes => "Anki notes in plain text".to_owned(),
        TextFormat::Csv { delimiter } => format!(
            "a spreadsheet: {} between columns",
            delimiter.map_or_else(|| "detected".to_owned(), name)
        ),
        TextFormat::Quizlet { term, card } => format!(
            "a Quizlet export: {} between term and definition, {} between cards",
            term.map_or_else(|| "detected".to_owned(), name),
            card.map_or_else(|| "detected".to_owned(), name),
        ),
    }
}

fn show_preview(ui: &mut Ui, preview: &TextPreview, cx: &AppContext<'_>) {
    let palette = cx.palette;
    ui.label(format!(
        "{} {} read as {}.",
        preview.cards,
        if preview.cards == 1 { "card" } else { "cards" },
        describe(preview.format)
    ));
    if preview.first.is_empty() {
        return;
    }
    egui::Grid::new("text-import-preview")
        .num_columns(2)
        .striped(true)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            ui.label(RichText::new("Prompt").strong());
            ui.label(RichText::new("Answer").strong());
            ui.end_row();
            for (prompt, answer) in &preview.first {
                ui.label(prompt);
                ui.label(answer);
                ui.end_row();
            }
        });
    for (why, n) in &preview.skipped {
        ui.label(RichText::new(format!("Left out: {n} ({why})")).color(palette.muted));
    }
}
