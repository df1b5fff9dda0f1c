//! The card browser's table: every card with its progress in a virtualised table, with search,
//! filters, sorting and actions on a selection.

use std::collections::HashSet;

use chrono::{DateTime, Local, Utc};
use egui::{Align, Layout, RichText, Ui};
use egui_extras::{Column as Col, TableBuilder, TableRow};

use super::detail::detail_side_panel;
use super::text::{STATES, category_label, date_text, days_text, due_text, state_label};
use crate::ui::notice::Notice;
use crate::ui::theme::Palette;
use crate::ui::widgets;
use flashdrill_core::browse::{CardDetail, CardRow, CardTable, Column, Order, Query};
use flashdrill_core::session::CardKey;
use flashdrill_core::store::Mode;

/// What the browser shows. The app refreshes `table` with the state's query before each frame
/// ([`CardTable::refresh`]), so `table.shown()` are the rows to list.
pub struct BrowserView<'a> {
    pub table: &'a CardTable,
    pub now: DateTime<Utc>,
    /// The card whose details are open.
    pub detail: Option<&'a CardDetail>,
    /// The undo button's label for the collection's newest operation ("Undo Reset 3 cards").
    pub undo: Option<&'a str>,
    /// A message from the last action, with whether it is an error.
    pub notice: Option<&'a Notice>,
}

/// What the learner asked for in the browser. Card lists are in table order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrowserAction {
    Suspend(Vec<CardKey>),
    Unsuspend(Vec<CardKey>),
    /// Hide until the next study day.
    Bury(Vec<CardKey>),
    /// Forget their progress (confirmed).
    Reset(Vec<CardKey>),
    /// Take back the last change.
    Undo,
    /// A practice session over these cards; their schedules stay as they are.
    Practise(Vec<CardKey>),
    ShowDetails(CardKey),
    CloseDetails,
    /// Postpone this many of today's due review cards (of the deck filtered, or all).
    Postpone(usize, Option<String>),
    /// Bring this many review cards not due today forward to today.
    Advance(usize, Option<String>),
}

/// The browser's own state: the query, the selection and a pending confirmation.
#[derive(Debug, Clone, Default)]
pub struct BrowserState {
    pub query: Query,
    selected: HashSet<CardKey>,
    /// "Reset N cards?" is on show, for these cards.
    confirm_reset: Option<Vec<CardKey>>,
    /// How many cards "Postpone" and "Advance" move.
    move_count: Option<usize>,
}

/// The table's columns, in the table's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// The prompt, with the selection box: takes the width the others leave.
    Prompt,
    Details,
    Answer,
    State,
    Due,
    Stability,
    Difficulty,
    Lapses,
    Reviews,
    LastReview,
    Flags,
    Deck,
    Category,
    Tags,
    CardId,
}

/// The narrowest the prompt column is made to leave room for another column.
const PROMPT_MIN: f32 = 200.0;

impl Field {
    const ALL: [Self; 15] = [
        Self::Prompt,
        Self::Details,
        Self::Answer,
        Self::State,
        Self::Due,
        Self::Stability,
        Self::Difficulty,
        Self::Lapses,
        Self::Reviews,
        Self::LastReview,
        Self::Flags,
        Self::Deck,
        Self::Category,
        Self::Tags,
        Self::CardId,
    ];

    /// Its name, as its resize divider is spoken.
    const fn name(self) -> &'static str {
        match self {
            Self::Prompt => "Prompt",
            Self::Details => "Details",
            Self::Answer => "Answer",
            Self::State => "State",
            Self::Due => "Due",
            Self::Stability => "Stability",
            Self::Difficulty => "Difficulty",
            Self::Lapses => "Lapses",
            Self::Reviews => "Reviews",
            Self::LastReview => "Last review",
            Self::Flags => "Flags",
            Self::Deck => "Deck",
            Self::Category => "Category",
            Self::Tags => "Tags",
            Self::CardId => "Card id",
        }
    }

    /// Its width in points as first shown (the learner can drag it wider or narrower); the
    /// prompt's is the least it is given.
    const fn width(self) -> f32 {
        match self {
            Self::Prompt => PROMPT_MIN,
            Self::Details => 80.0,
            Self::State | Self::Category => 90.0,
            Self::Due | Self::LastReview => 100.0,
            Self::Stability | Self::Difficulty => 84.0,
            Self::Lapses | Self::Reviews => 70.0,
            Self::Flags => 110.0,
            Self::Deck => 140.0,
            Self::Tags => 150.0,
            Self::Answer | Self::CardId => 160.0,
        }
    }

    /// Which columns go first when the window (or the room beside the card's details) is
    /// narrow: 0 always shows, then 1 before 2 and so on. Every field is also in the card's
    /// details.
    const fn rank(self) -> u8 {
        match self {
            Self::Prompt | Self::Details => 0,
            Self::Answer => 1,
            Self::State => 2,
            Self::Due => 3,
            Self::Flags => 4,
            Self::Reviews => 5,
            Self::Lapses => 6,
            Self::Deck => 7,
            Self::LastReview => 8,
            Self::Stability => 9,
            Self::Difficulty => 10,
            Self::Category => 11,
            Self::Tags => 12,
            Self::CardId => 13,
        }
    }
}

/// The columns that fit in `width` points (with `spacing` between them), in table order: those
/// that always show, then the others by rank while they fit.
fn fitting(width: f32, spacing: f32) -> Vec<Field> {
    let cost = |f: Field| f.width() + spacing;
    let mut room = width
        - Field::ALL
            .iter()
            .filter(|f| f.rank() == 0)
            .map(|&f| cost(f))
            .sum::<f32>();
    let mut ranked: Vec<Field> = Field::ALL.into_iter().filter(|f| f.rank() > 0).collect();
    ranked.sort_by_key(|f| f.rank());
    let mut shown: Vec<Field> = Vec::new();
    for f in ranked {
        if cost(f) > room {
            break;
        }
        room -= cost(f);
        shown.push(f);
    }
    Field::ALL
        .into_iter()
        .filter(|f| f.rank() == 0 || shown.contains(f))
        .collect()
}

impl BrowserState {
    /// The selected cards.
    #[must_use]
    pub fn selected(&self) -> &HashSet<CardKey> {
        &self.selected
    }

    /// Forgets the selection (e.g. when the decks change).
    pub fn clear_selection(&mut self) {
        self.selected.clear();
        self.confirm_reset = None;
    }

    /// The selected cards still in the table, in table order.
    fn selection(&self, table: &CardTable) -> Vec<CardKey> {
        let mut rows: Vec<usize> = self.selected.iter().filter_map(|k| table.find(k)).collect();
        rows.sort_unstable();
        rows.into_iter()
            .filter_map(|i| table.row(i).map(|r| table.key(r)))
            .collect()
    }

    pub fn show(&mut self, ui: &mut Ui, view: &BrowserView<'_>) -> Option<BrowserAction> {
        let palette = Palette::of(ui.visuals());
        let mut action = None;
        if let Some(detail) = view.detail
            && detail_side_panel(ui, "card-detail", detail, view.now, &palette)
        {
            action = Some(BrowserAction::CloseDetails);
        }
        if let Some(notice) = view.notice {
            let colour = notice.colour(&palette);
            ui.label(RichText::new(&notice.text).color(colour));
        }
        self.search_and_filters(ui, view);
        ui.add_space(4.0);
        self.selection_bar(ui, view, &palette, &mut action);
        ui.add_space(4.0);
        self.table(ui, view, &palette, &mut action);
        action
    }

    fn search_and_filters(&mut self, ui: &mut Ui, view: &BrowserView<'_>) {
        let table = view.table;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Search cards");
            ui.add(
                egui::TextEdit::singleline(&mut self.query.text)
                    .hint_text("words in the prompt, answer or tags")
                    .desired_width(260.0),
            )
            .labelled_by(label.id);

            let label = ui.label("Deck");
            let deck_text = self
                .query
                .deck
                .as_ref()
                .and_then(|id| table.decks().iter().find(|d| &d.id == id))
                .map_or("All decks", |d| d.title.as_str())
                .to_owned();
            egui::ComboBox::from_id_salt("browse-deck")
                .height(crate::ui::widgets::COMBO_HEIGHT)
                .selected_text(deck_text)
                .width(220.0)
                .truncate()
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.query.deck, None, "All decks");
                    for deck in table.decks() {
                        ui.selectable_value(
                            &mut self.query.deck,
                            Some(deck.id.clone()),
                            deck.title.as_str(),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Category");
            let category_text = self
                .query
                .category
                .as_deref()
                .map_or_else(|| "All categories".to_owned(), category_label);
            egui::ComboBox::from_id_salt("browse-category")
                .height(crate::ui::widgets::COMBO_HEIGHT)
                .selected_text(category_text)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.query.category, None, "All categories");
                    for c in table.categories() {
                        ui.selectable_value(
                            &mut self.query.category,
                            Some(c.clone()),
                            category_label(c),
                        );
                    }
                })
                .response
                .labelled_by(label.id);

            let label = ui.label("State");
            egui::ComboBox::from_id_salt("browse-state")
                .height(crate::ui::widgets::COMBO_HEIGHT)
                .selected_text(self.query.state.map_or("All states", state_label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.query.state, None, "All states");
                    for (state, text) in STATES {
                        ui.selectable_value(&mut self.query.state, Some(state), text);
                    }
                })
                .response
                .labelled_by(label.id);

            ui.checkbox(&mut self.query.due_today, "Due today");
            ui.checkbox(&mut self.query.leech_only, "Leeches only");
            ui.checkbox(&mut self.query.suspended_only, "Suspended only");
        });
    }

    fn selection_bar(
        &mut self,
        ui: &mut Ui,
        view: &BrowserView<'_>,
        palette: &Palette,
        action: &mut Option<BrowserAction>,
    ) {
        let table = view.table;
        let shown = table.shown();
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(format!("{} of {} cards shown", shown.len(), table.len()))
                    .color(palette.muted),
            );
            if ui
                .add_enabled(!shown.is_empty(), egui::Button::new("Select all shown"))
                .clicked()
            {
                self.selected.extend(
                    shown
                        .iter()
                        .filter_map(|&i| table.row(i).map(|r| table.key(r))),
                );
            }
            let count = self.selected.len();
            if ui
                .add_enabled(count > 0, egui::Button::new("Clear selection"))
                .clicked()
            {
                self.clear_selection();
            }
            ui.label(format!("{count} selected"));
            ui.separator();
            let any = count > 0;
            if ui.add_enabled(any, egui::Button::new("Suspend")).clicked() {
                *action = Some(BrowserAction::Suspend(self.selection(table)));
            }
            if ui
                .add_enabled(any, egui::Button::new("Unsuspend"))
                .clicked()
            {
                *action = Some(BrowserAction::Unsuspend(self.selection(table)));
            }
            if ui
                .add_enabled(any, egui::Button::new("Bury until tomorrow"))
                .on_hover_text("Hidden from study until the next study day starts")
                .clicked()
            {
                *action = Some(BrowserAction::Bury(self.selection(table)));
            }
            if ui
                .add_enabled(any, egui::Button::new("Reset progress"))
                .on_hover_text("Make them new cards again")
                .clicked()
            {
                self.confirm_reset = Some(self.selection(table));
            }
            if ui
                .add_enabled(any, egui::Button::new("Practise selection"))
                .on_hover_text(format!(
                    "A {} session: answers are logged but schedules stay as they are",
                    Mode::Practice
                ))
                .clicked()
            {
                *action = Some(BrowserAction::Practise(self.selection(table)));
            }
            if let Some(what) = view.undo
                && ui.button(what).clicked()
            {
                *action = Some(BrowserAction::Undo);
            }
        });
        ui.horizontal_wrapped(|ui| {
            let count = self.move_count.get_or_insert(20);
            let label = ui.label("Cards to move:");
            ui.add(egui::DragValue::new(count).range(1..=100_000))
                .labelled_by(label.id);
            let n = *count;
            let deck = self.query.deck.clone();
            let whose = if deck.is_some() { "of this deck " } else { "" };
            if ui
                .button(format!("Postpone {n} due"))
                .on_hover_text(format!("Moves {n} review cards {whose}due today to later, those whose recall drops least by waiting first. Undoable."))
                .clicked()
            {
                *action = Some(BrowserAction::Postpone(n, deck.clone()));
            }
            if ui
                .button(format!("Advance {n}"))
                .on_hover_text(format!("Brings {n} review cards {whose}not due today forward to today, those closest to due first. Undoable."))
                .clicked()
            {
                *action = Some(BrowserAction::Advance(n, deck));
            }
        });
        if let Some(keys) = &self.confirm_reset {
            let mut answer = None;
            widgets::card_frame(ui, palette).show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(format!(
                            "Reset {} {}? Their review history is kept.",
                            keys.len(),
                            if keys.len() == 1 { "card" } else { "cards" }
                        ))
                        .color(palette.warn)
                        .strong(),
                    );
                    if ui.button("Yes, reset").clicked() {
                        answer = Some(true);
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(false);
                    }
                });
            });
            if let Some(yes) = answer {
                let keys = self.confirm_reset.take().unwrap_or_default();
                if yes {
                    *action = Some(BrowserAction::Reset(keys));
                }
            }
        }
    }

    fn table(
        &mut self,
        ui: &mut Ui,
        view: &BrowserView<'_>,
        palette: &Palette,
        action: &mut Option<BrowserAction>,
    ) {
        let table = view.table;
        let shown = table.shown();
        let row_height = ui.spacing().interact_size.y;
        // As many columns as the window has room for, the least needed left out first (every
        // field is in the card's details): the table never scrolls sideways. The prompt takes
        // the width the others leave; its text is cut with "…", whole on hover.
        let fields = fitting(ui.available_width(), ui.spacing().item_spacing.x);
        // Each set of columns keeps its own widths, as the learner dragged them.
        let salt = (
            "browse-table",
            fields.iter().map(|f| f.name()).collect::<Vec<_>>(),
        );
        let state_id = ui.scope_id().with(egui::IdSalt::new(&salt));
        let mut builder = TableBuilder::new(ui)
            .id_salt(&salt)
            .striped(true)
            .resizable(true)
            .auto_shrink([false, false])
            .cell_layout(Layout::left_to_right(Align::Center));
        for &f in &fields {
            builder = builder.column(match f {
                Field::Prompt => Col::remainder().at_least(120.0).clip(true).resizable(false),
                Field::Details => Col::exact(f.width()),
                _ => Col::initial(f.width()).at_least(40.0).clip(true),
            });
        }
        builder
            .header(row_height, |mut header| {
                for &f in &fields {
                    self.header(&mut header, f, palette);
                }
            })
            .body(|body| {
                if shown.is_empty() {
                    let mut body = body;
                    body.row(row_height, |mut row| {
                        row.col(|ui| {
                            ui.label(
                                RichText::new("No card matches the search and filters.")
                                    .color(palette.muted),
                            );
                        });
                    });
                    return;
                }
                body.rows(row_height, shown.len(), |mut row| {
                    let Some(card) = shown.get(row.index()).and_then(|&i| table.row(i)) else {
                        return;
                    };
                    for &f in &fields {
                        self.cell(&mut row, f, view, card, palette, action);
                    }
                });
            });
        name_column_dividers(ui, state_id, &fields);
    }

    fn header(&mut self, header: &mut TableRow<'_, '_>, field: Field, palette: &Palette) {
        let sorted_by = match field {
            Field::Prompt => Column::Prompt,
            Field::Answer => Column::Answer,
            Field::State => Column::State,
            Field::Due => Column::Due,
            Field::Stability => Column::Stability,
            Field::Difficulty => Column::Difficulty,
            Field::Lapses => Column::Lapses,
            Field::Reviews => Column::Reps,
            Field::LastReview => Column::LastReview,
            Field::Deck => Column::Deck,
            Field::Category => Column::Category,
            Field::CardId => Column::CardId,
            Field::Details => {
                header.col(|_| {});
                return;
            }
            Field::Flags | Field::Tags => {
                header.col(|ui| {
                    ui.strong(field.name());
                });
                return;
            }
        };
        header.col(|ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            let order = self.query.sort.filter(|s| s.0 == sorted_by).map(|s| s.1);
            let active = order.is_some();
            let title = field.name();
            let text = if active {
                format!("{title}  ")
            } else {
                title.to_owned()
            };
            let response = ui
                .add(egui::Button::new(RichText::new(text).strong()).frame(active))
                .on_hover_text(format!("Sort by {}; again to reverse", sorted_by.name()))
                .accessible_name(format!("Sort by {}", sorted_by.name()));
            if let Some(order) = order {
                sort_marker(ui, response.rect, order, palette);
            }
            if response.clicked() {
                self.query.toggle_sort(sorted_by);
            }
        });
    }

    fn cell(
        &mut self,
        cells: &mut TableRow<'_, '_>,
        field: Field,
        view: &BrowserView<'_>,
        row: &CardRow,
        palette: &Palette,
        action: &mut Option<BrowserAction>,
    ) {
        let table = view.table;
        match field {
            Field::Prompt => {
                let key = table.key(row);
                cell(cells, |ui| {
                    let mut checked = self.selected.contains(&key);
                    let response = ui
                        .add(egui::Checkbox::without_text(&mut checked))
                        .accessible_name(row.prompt.as_str());
                    ui.label(row.prompt.as_str())
                        .on_hover_text(row.prompt.as_str());
                    if response.changed() {
                        if checked {
                            self.selected.insert(key.clone());
                        } else {
                            self.selected.remove(&key);
                        }
                        if checked && self.selected.len() == 1 {
                            *action = Some(BrowserAction::ShowDetails(key.clone()));
                        }
                    }
                });
            }
            Field::Details => cell(cells, |ui| {
                if ui
                    .button("Details")
                    .accessible_name(format!("Details of {}", row.prompt))
                    .clicked()
                {
                    *action = Some(BrowserAction::ShowDetails(table.key(row)));
                }
            }),
            Field::Answer => cell(cells, |ui| {
                ui.label(row.answer.as_str())
                    .on_hover_text(row.answer.as_str());
            }),
            Field::State => cell(cells, |ui| {
                ui.label(state_label(row.state()));
            }),
            Field::Due => cell(cells, |ui| {
                if let Some(due) = row.due() {
                    ui.label(due_text(due, view.now)).on_hover_text(
                        due.with_timezone(&Local)
                            .format("%Y-%m-%d %H:%M")
                            .to_string(),
                    );
                }
            }),
            Field::Stability => cell(cells, |ui| {
                ui.label(row.stability().map_or_else(String::new, days_text));
            }),
            Field::Difficulty => cell(cells, |ui| {
                ui.label(
                    row.difficulty()
                        .map_or_else(String::new, |d| format!("{d:.1}")),
                );
            }),
            Field::Lapses => cell(cells, |ui| {
                ui.label(row.lapses().to_string());
            }),
            Field::Reviews => cell(cells, |ui| {
                ui.label(row.reps().to_string());
            }),
            Field::LastReview => cell(cells, |ui| {
                ui.label(row.last_review().map_or_else(String::new, date_text));
            }),
            Field::Flags => cell(cells, |ui| {
                if row.suspended() {
                    ui.label(RichText::new("suspended").color(palette.warn));
                }
                if row.leech() {
                    ui.label(RichText::new("leech").color(palette.wrong));
                }
                if row.buried(view.now) {
                    ui.label(RichText::new("buried").color(palette.muted));
                }
            }),
            Field::Deck => cell(cells, |ui| {
                let title = table.deck_of(row).title.as_str();
                ui.label(title).on_hover_text(title);
            }),
            Field::Category => cell(cells, |ui| {
                ui.label(category_label(&row.category));
            }),
            Field::Tags => cell(cells, |ui| {
                let tags = row.tags.join(", ");
                ui.label(RichText::new(&tags).color(palette.muted))
                    .on_hover_text(tags);
            }),
            Field::CardId => cell(cells, |ui| {
                ui.label(RichText::new(row.card_id.as_str()).monospace().small())
                    .on_hover_text(row.card_id.as_str());
            }),
        }
    }
}

/// Names the dividers that resize the columns (egui_extras leaves them without a role or a
/// name, and Tab stops on them): "Width of the Answer column".
fn name_column_dividers(ui: &Ui, state_id: egui::Id, fields: &[Field]) {
    for (i, field) in fields.iter().enumerate() {
        let id = state_id.with("resize_column").with(i);
        if ui.ctx().read_response(id).is_none() {
            continue;
        }
        ui.ctx().accesskit_node_builder(id, |node| {
            node.set_role(egui::accesskit::Role::Splitter);
            node.set_label(format!(
                "Width of the {} column (drag to resize)",
                field.name()
            ));
        });
    }
}

/// A table cell: one line, text cut with "…" when the column is too narrow for it.
fn cell(row: &mut TableRow<'_, '_>, add: impl FnOnce(&mut Ui)) {
    row.col(|ui| {
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
        add(ui);
    });
}

/// A small triangle at the right of a header button: pointing up when ascending.
fn sort_marker(ui: &Ui, rect: egui::Rect, order: Order, palette: &Palette) {
    let c = egui::pos2(rect.right() - 9.0, rect.center().y);
    let (tip, base) = match order {
        Order::Ascending => (-4.0, 3.0),
        Order::Descending => (4.0, -3.0),
    };
    ui.painter().add(egui::Shape::convex_polygon(
        vec![
            egui::pos2(c.x, c.y + tip),
            egui::pos2(c.x - 4.0, c.y + base),
            egui::pos2(c.x + 4.0, c.y + base),
        ],
        palette.accent,
        egui::Stroke::NONE,
    ));
}

#[cfg(test)]
mod tests {
    use super::{Field, fitting};

    #[test]
    fn columns_are_left_out_least_needed_first_and_the_rest_fit() {
        let spacing = 8.0;
        let wide = fitting(10_000.0, spacing);
        assert_eq!(wide, Field::ALL, "every column in a very wide window");
        let narrow = fitting(300.0, spacing);
        assert_eq!(narrow, [Field::Prompt, Field::Details]);
        for width in [500.0, 784.0, 1084.0, 1400.0] {
            let shown = fitting(width, spacing);
            let used: f32 = shown.iter().map(|f| f.width() + spacing).sum();
            assert!(used <= width, "{width}: {shown:?}");
            // Never a lower-ranked column without every higher-ranked one.
            let worst = shown.iter().map(|f| f.rank()).max().unwrap();
            for f in Field::ALL {
                assert_eq!(shown.contains(&f), f.rank() <= worst, "{width}: {f:?}");
            }
        }
        assert!(fitting(784.0, spacing).contains(&Field::Due));
    }
}
