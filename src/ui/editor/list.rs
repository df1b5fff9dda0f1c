//! The deck's cards in a list: search, category filter, add, duplicate, delete, and reorder by
//! dragging (or with "Move up" / "Move down").

use egui::{RichText, Ui};

use crate::ui::theme::Palette;
use flashdrill_core::deck::{Card, DeckEditor};

/// What the learner did in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListAction {
    Select(usize),
    Add,
    Duplicate(usize),
    Delete(usize),
    Move { from: usize, to: usize },
}

/// The list's own state: the search text and the category shown.
#[derive(Default)]
pub struct CardList {
    pub search: String,
    /// `None`: every category.
    pub category: Option<String>,
    /// The cards shown, by index into the deck, for `key`.
    shown: Vec<usize>,
    key: Option<(u64, String, Option<String>)>,
    /// The categories in the deck, for the filter.
    categories: Vec<String>,
}

impl CardList {
    /// Recomputes which cards show, only when the deck, the search or the filter changed.
    fn refresh(&mut self, cards: &[Card], revision: u64) {
        let key = (revision, self.search.clone(), self.category.clone());
        if self.key.as_ref() == Some(&key) {
            return;
        }
        let needle = self.search.trim().to_lowercase();
        self.shown = cards
            .iter()
            .enumerate()
            .filter(|(_, c)| self.category.as_ref().is_none_or(|k| *k == c.category))
            .filter(|(_, c)| {
                needle.is_empty()
                    || [&c.prompt, &c.answer, &c.id, &c.source]
                        .iter()
                        .any(|t| t.to_lowercase().contains(&needle))
            })
            .map(|(i, _)| i)
            .collect();
        let mut categories: Vec<String> = cards.iter().map(|c| c.category.clone()).collect();
        categories.sort();
        categories.dedup();
        self.categories = categories;
        self.key = Some(key);
    }

    /// Draws the list; `problem_cards[i]` says card `i` has problems.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        editor: &DeckEditor,
        selected: Option<usize>,
        problem_cards: &[bool],
        enabled: bool,
        palette: &Palette,
    ) -> Option<ListAction> {
        let cards = &editor.deck().cards;
        self.refresh(cards, editor.revision());
        let mut action = None;
        // In a narrow panel the field goes under its label, with the panel's width.
        let search = |ui: &mut Ui| {
            let label = ui.label("Search cards:");
            ui.add(
                egui::TextEdit::singleline(&mut self.search)
                    .hint_text("prompt, answer or source")
                    .desired_width(ui.available_width()),
            )
            .labelled_by(label.id);
        };
        if ui.available_width() < 250.0 {
            ui.vertical(search);
        } else {
            ui.horizontal(search);
        }
        ui.horizontal(|ui| {
            let label = ui.label("Show:");
            let shown = self
                .category
                .clone()
                .unwrap_or_else(|| "every category".into());
            egui::ComboBox::from_id_salt("editor-category-filter")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.category, None, "every category");
                    for c in &self.categories {
                        ui.selectable_value(&mut self.category, Some(c.clone()), c);
                    }
                })
                .response
                .labelled_by(label.id);
        });
        ui.add_enabled_ui(enabled, |ui| {
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button("Add card")
                    .on_hover_text("A new empty card after the selected one")
                    .clicked()
                {
                    action = Some(ListAction::Add);
                }
                if let Some(i) = selected {
                    if ui.button("Duplicate card").clicked() {
                        action = Some(ListAction::Duplicate(i));
                    }
                    if ui
                        .button("Delete card")
                        .on_hover_text("Undo (Ctrl+Z) brings it back")
                        .clicked()
                    {
                        action = Some(ListAction::Delete(i));
                    }
                    if ui
                        .add_enabled(i > 0, egui::Button::new("Move up"))
                        .clicked()
                    {
                        action = Some(ListAction::Move { from: i, to: i - 1 });
                    }
                    if ui
                        .add_enabled(i + 1 < cards.len(), egui::Button::new("Move down"))
                        .clicked()
                    {
                        action = Some(ListAction::Move { from: i, to: i + 1 });
                    }
                }
            });
        });
        ui.label(
            RichText::new(format!("{} of {} cards", self.shown.len(), cards.len()))
                .color(palette.muted)
                .small(),
        );
        ui.separator();
        let row_height = ui.spacing().interact_size.y + 4.0;
        let shown = &self.shown;
        egui::ScrollArea::vertical()
            .id_salt("editor-card-list")
            .auto_shrink([false, false])
            .show_rows(ui, row_height, shown.len(), |ui, rows| {
                for &i in &shown[rows] {
                    let card = &cards[i];
                    let title = if card.prompt.trim().is_empty() {
                        format!("(new card) {}", short(&card.source, 40))
                    } else {
                        short(&card.prompt, 60)
                    };
                    let mark = if problem_cards.get(i).copied().unwrap_or(false) {
                        "(!) "
                    } else {
                        ""
                    };
                    let text = RichText::new(format!("{mark}{}. {title}", i + 1));
                    let id = ui.make_persistent_id(("editor-card-row", i));
                    let row = ui.dnd_drag_source(id, i, |ui| {
                        ui.add(egui::Button::selectable(selected == Some(i), text).truncate())
                    });
                    if row.inner.clicked() {
                        action = Some(ListAction::Select(i));
                    }
                    if enabled && let Some(from) = row.response.dnd_release_payload::<usize>() {
                        action = Some(ListAction::Move { from: *from, to: i });
                    }
                }
            });
        action
    }
}

/// The first `max` characters of `text` on one line, with "…" when cut.
fn short(text: &str, max: usize) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max {
        line
    } else {
        let cut: String = line.chars().take(max).collect();
        format!("{cut}…")
    }
}
