//! Drawing an open deck: the toolbar, the deck's details, the card list, the card form with
//! "Make this the answer", and the article pane.

use egui::{RichText, Ui};

use super::{Action, Doc, article, fields};
use crate::ui::commands::{self, Command};
use crate::ui::theme::Palette;

/// The narrowest the card form gets: panels beside it give way first.
const FORM_MIN: f32 = 340.0;
/// Below this width the card list and the article share one side panel, as two tabs.
const THREE_COLUMNS: f32 = 300.0 + 380.0 + FORM_MIN + 40.0;

/// Draws an open deck: toolbar, deck details, card list, card form and article.
pub(super) fn draw_doc(ui: &mut Ui, doc: &mut Doc, palette: &Palette) -> Option<Action> {
    let mut action = None;
    toolbar(ui, doc, palette, &mut action);
    deck_details(ui, doc, palette);
    let enabled = !doc.read_only;
    let width = ui.available_width();
    let article = doc.article.clone();
    // In a small window (or zoomed in) the list and the article take turns beside the form.
    let shared = article.is_some() && width < THREE_COLUMNS;
    let side_max = (width - FORM_MIN).max(160.0);
    let (id, default) = if shared {
        ("editor-side", (width * 0.36).clamp(180.0, 300.0))
    } else {
        ("editor-cards", 300.0)
    };
    egui::Panel::left(id)
        .resizable(true)
        .default_size(default.min(side_max))
        .min_size(180.0_f32.min(side_max))
        .max_size(side_max)
        .show(ui, |ui| {
            if shared {
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut doc.show_article, false, "Cards")
                        .on_hover_text("The deck's cards");
                    ui.selectable_value(&mut doc.show_article, true, "Article")
                        .on_hover_text("The article: click a sentence for a new card");
                });
                ui.separator();
            }
            match &article {
                Some(article) if shared && doc.show_article => {
                    if let Some(a) = article::article_pane(ui, article, palette) {
                        action = Some(Action::Article(a));
                    }
                }
                _ => {
                    if let Some(a) = doc.list.show(
                        ui,
                        &doc.editor,
                        doc.selected,
                        &doc.problems.marked,
                        enabled,
                        palette,
                    ) {
                        action = Some(Action::List(a));
                    }
                }
            }
        });
    if let Some(article) = article.filter(|_| !shared) {
        egui::Panel::right("editor-article")
            .resizable(true)
            .default_size(380.0)
            .min_size(240.0)
            .max_size((width - 300.0 - FORM_MIN).max(240.0))
            .show(ui, |ui| {
                if let Some(a) = article::article_pane(ui, &article, palette) {
                    action = Some(Action::Article(a));
                }
            });
    }
    egui::ScrollArea::vertical()
        .id_salt("editor-form")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let Some(i) = doc.selected.filter(|i| *i < doc.editor.deck().cards.len()) else {
                ui.label(
                    RichText::new("No card selected. Add one, or click a sentence of the article.")
                        .color(palette.muted),
                );
                return;
            };
            ui.label(RichText::new(format!("Card {} of {}", i + 1, doc.editor.deck().cards.len())).strong());
            // Drafting first: click a sentence, choose the answer, and the rest follows.
            if enabled {
                ui.horizontal_wrapped(|ui| {
                    let l = ui.label("Phrase:");
                    ui.add(
                        egui::TextEdit::singleline(&mut doc.phrase)
                            .hint_text("select words of the source, or type them")
                            .desired_width(280.0),
                    )
                    .labelled_by(l.id);
                    let has = !doc.phrase.trim().is_empty();
                    if ui
                        .add_enabled(has, egui::Button::new("Make this the answer"))
                        .on_hover_text("Drafts the prompt with the phrase blanked, the cloze, the category, the date and distractors")
                        .clicked()
                    {
                        action = Some(Action::MakeAnswer);
                    }
                    if ui
                        .add_enabled(has, egui::Button::new("Make this the cloze's blank"))
                        .clicked()
                    {
                        action = Some(Action::BlankCloze);
                    }
                });
                ui.add_space(4.0);
            }
            let mut card = doc.editor.deck().cards[i].clone();
            let problems = doc.problems.cards.get(i).map_or(&[][..], Vec::as_slice);
            let out = fields::card_form(ui, &mut card, problems, enabled, palette);
            if out.focus_moved {
                doc.editor.seal();
            }
            if let Some(field) = out.changed {
                doc.editor.set_card(i, field, card);
            }
            if let Some((_, text)) = out.selection {
                doc.phrase = text;
            }
        });
    action
}

fn toolbar(ui: &mut Ui, doc: &Doc, palette: &Palette, action: &mut Option<Action>) {
    ui.horizontal_wrapped(|ui| {
        ui.heading(&doc.editor.deck().title);
        let status = if doc.read_only {
            RichText::new("Bundled deck: read-only").color(palette.muted)
        } else if doc.editor.is_dirty() {
            RichText::new("Unsaved changes").color(palette.warn)
        } else {
            RichText::new("Saved").color(palette.right)
        };
        ui.label(status);
        if doc.problems.count > 0 {
            let n = doc.problems.count;
            ui.label(
                RichText::new(format!(
                    "{n} {} (not studied until fixed)",
                    if n == 1 { "problem" } else { "problems" }
                ))
                .color(palette.wrong),
            );
        }
        ui.separator();
        if doc.read_only {
            if ui
                .button("Make an editable copy")
                .on_hover_text("A copy in your deck folder with a new id, to edit and study")
                .clicked()
            {
                *action = Some(Action::Copy);
            }
        } else {
            if ui
                .button("Save")
                .on_hover_text(commands::tooltip(Command::Save))
                .clicked()
            {
                *action = Some(Action::Save);
            }
            if ui
                .add_enabled(doc.editor.can_undo(), egui::Button::new("Undo"))
                .on_hover_text(commands::tooltip(Command::Undo))
                .clicked()
            {
                *action = Some(Action::Undo);
            }
            if ui
                .add_enabled(doc.editor.can_redo(), egui::Button::new("Redo"))
                .on_hover_text(commands::tooltip(Command::Redo))
                .clicked()
            {
                *action = Some(Action::Redo);
            }
        }
        if ui.button("Close deck").clicked() {
            *action = Some(Action::Close);
        }
    });
}

/// The deck's title, description and source, with their problems.
fn deck_details(ui: &mut Ui, doc: &mut Doc, palette: &Palette) {
    let enabled = !doc.read_only;
    egui::CollapsingHeader::new("Deck details")
        .id_salt("editor-deck-details")
        .default_open(doc.problems.deck.iter().any(|(f, _)| f.is_some()))
        .show(ui, |ui| {
            let mut meta = doc.editor.meta();
            let mut description = meta.description.clone().unwrap_or_default();
            let mut url = meta.source.url.clone().unwrap_or_default();
            let mut changed = None;
            ui.add_enabled_ui(enabled, |ui| {
                egui::Grid::new("editor-deck-form")
                    .num_columns(2)
                    .show(ui, |ui| {
                        for (key, label, value) in [
                            ("title", "Title", &mut meta.title),
                            ("description", "Description", &mut description),
                            ("source title", "Source title", &mut meta.source.title),
                            ("source author", "Source author", &mut meta.source.author),
                            ("source url", "Source URL", &mut url),
                        ] {
                            let l = ui.label(label);
                            ui.vertical(|ui| {
                                if ui
                                    .add(egui::TextEdit::singleline(value).desired_width(420.0))
                                    .labelled_by(l.id)
                                    .changed()
                                {
                                    changed = Some(key);
                                }
                                for (f, message) in &doc.problems.deck {
                                    if *f == Some(key) {
                                        ui.label(
                                            RichText::new(format!("Problem: {message}"))
                                                .color(palette.wrong),
                                        );
                                    }
                                }
                            });
                            ui.end_row();
                        }
                    });
            });
            ui.label(
                RichText::new(format!("Deck id: {}", doc.editor.deck().id))
                    .color(palette.muted)
                    .small(),
            );
            if let Some(key) = changed {
                meta.description = (!description.is_empty()).then_some(description);
                meta.source.url = (!url.is_empty()).then_some(url);
                doc.editor.set_meta(key, meta);
            }
        });
    for (field, message) in &doc.problems.deck {
        if field.is_none() {
            ui.label(RichText::new(format!("Problem: {message}")).color(palette.wrong));
        }
    }
}
