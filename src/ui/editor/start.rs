//! Starting a deck: "New deck" asks for the title, the source's title, its author and an
//! optional URL; "New deck from an article…" also takes the article, from a file (dialog or
//! typed path) or pasted.

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::ui::theme::Palette;

/// The start form's fields.
#[derive(Default)]
pub struct StartForm {
    pub title: String,
    pub source_title: String,
    pub author: String,
    pub url: String,
    /// Whether the deck is drawn from an article (shows the article fields).
    pub with_article: bool,
    /// Text pasted as the article.
    pub pasted: String,
    /// An article file's path, typed or chosen.
    pub path: String,
    /// A problem with what was entered.
    pub error: Option<String>,
}

/// What the start form asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartAction {
    /// Create the deck from the form.
    Create,
    /// Choose an article file in a dialog.
    ChooseFile,
}

impl StartForm {
    /// Draws the form.
    pub fn show(&mut self, ui: &mut Ui, palette: &Palette) -> Option<StartAction> {
        let mut action = None;
        ui.heading(if self.with_article {
            "New deck from an article"
        } else {
            "New deck"
        });
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.with_article, false, "Empty deck");
            ui.selectable_value(&mut self.with_article, true, "From an article");
        });
        ui.add_space(6.0);
        egui::Grid::new("editor-start")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                for (label, value, hint) in [
                    (
                        "Deck title",
                        &mut self.title,
                        "What the deck is called in the app",
                    ),
                    (
                        "Source title",
                        &mut self.source_title,
                        "The article's or book's title",
                    ),
                    ("Source author", &mut self.author, "Who wrote it"),
                    (
                        "Source URL (optional)",
                        &mut self.url,
                        "Where it can be read",
                    ),
                ] {
                    let l = ui.label(label);
                    ui.add(
                        egui::TextEdit::singleline(value)
                            .hint_text(hint)
                            .desired_width(420.0),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                }
            });
        if self.with_article {
            ui.add_space(8.0);
            ui.label(RichText::new("The article").strong());
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button("Open article file…")
                    .on_hover_text("A .txt or .md file of at most 5 MB")
                    .clicked()
                {
                    action = Some(StartAction::ChooseFile);
                }
                let l = ui.label("or its path:");
                ui.add(
                    egui::TextEdit::singleline(&mut self.path)
                        .hint_text("/path/to/article.txt")
                        .desired_width(320.0),
                )
                .labelled_by(l.id);
            });
            let l = ui.label("or paste the text here:");
            ui.add(
                egui::TextEdit::multiline(&mut self.pasted)
                    .lock_focus(false)
                    .hint_text("Paste the article's text")
                    .desired_rows(8)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
            ui.label(
                RichText::new(
                    "The article is kept beside the deck, so every card's source can be checked.",
                )
                .color(palette.muted)
                .small(),
            );
        }
        if let Some(error) = &self.error {
            ui.label(RichText::new(error).color(palette.wrong));
        }
        ui.add_space(8.0);
        if ui.button("Create deck").clicked() {
            action = Some(StartAction::Create);
        }
        action
    }

    /// The article file's path, if one was typed or chosen.
    #[must_use]
    pub fn article_path(&self) -> Option<PathBuf> {
        let p = self.path.trim();
        (!p.is_empty()).then(|| PathBuf::from(p))
    }
}
