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

/// Column widths in points, as first shown (the learner can drag them wider or narrower). The columns: prompt (with the selection box), details, answer,
/// state, due, stability, difficulty, lapses, reviews, last review, flags, deck, category,
/// tags, card id.
const SELECT_W: f32 = 320.0;
const ANSWER_W: f32 = 180.0;
const DECK_W: f32 = 140.0;
const CATEGORY_W: f32 = 90.0;
const STATE_W: f32 = 100.0;
const DATE_W: f32 = 110.0;
const NUMBER_W: f32 = 84.0;
const FLAGS_W: f32 = 150.0;
const TAGS_W: f32 = 160.0;
const ID_W: f32 = 170.0;
const DETAILS_W: f32 = 80.0;

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
        // The columns are wider than most windows: the table scrolls sideways as a whole, and
        // its body scrolls down under a header that stays in place.
        egui::ScrollArea::horizontal()
            .id_salt("browse-table-h")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let column = |width: f32| Col::initial(width).at_least(40.0).clip(true);
                let state_id = ui.scope_id().with(egui::IdSalt::new("browse-table"));
                let builder = TableBuilder::new(ui)
                    .id_salt("browse-table")
                    .striped(true)
                    .resizable(true)
                    .auto_shrink([false, false])
                    .cell_layout(Layout::left_to_right(Align::Center))
                    .column(column(SELECT_W).at_least(120.0))
                    .column(Col::exact(DETAILS_W))
                    .column(column(ANSWER_W))
                    .column(column(STATE_W))
                    .column(column(DATE_W))
                    .columns(column(NUMBER_W), 4)
                    .column(column(DATE_W))
                    .column(column(FLAGS_W))
                    .column(column(DECK_W))
                    .column(column(CATEGORY_W))
                    .column(column(TAGS_W))
                    .column(column(ID_W));
                builder
                    .header(row_height, |mut header| self.header(&mut header, palette))
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
                            let Some(card) = shown.get(row.index()).and_then(|&i| table.row(i))
                            else {
                                return;
                            };
                            self.row(&mut row, view, card, palette, action);
                        });
                    });
                name_column_dividers(ui, state_id);
            });
    }

    fn header(&mut self, header: &mut TableRow<'_, '_>, palette: &Palette) {
        let mut sort = |header: &mut TableRow<'_, '_>, title: &str, column: Column| {
            header.col(|ui| {
                let order = self.query.sort.filter(|s| s.0 == column).map(|s| s.1);
                let active = order.is_some();
                let text = if active {
                    format!("{title}  ")
                } else {
                    title.to_owned()
                };
                let response = ui
                    .add(egui::Button::new(RichText::new(text).strong()).frame(active))
                    .on_hover_text(format!("Sort by {}; again to reverse", column.name()))
                    .accessible_name(format!("Sort by {}", column.name()));
                if let Some(order) = order {
                    sort_marker(ui, response.rect, order, palette);
                }
                if response.clicked() {
                    self.query.toggle_sort(column);
                }
            });
        };
        sort(header, "Prompt", Column::Prompt);
        header.col(|_| {});
        sort(header, "Answer", Column::Answer);
        sort(header, "State", Column::State);
        sort(header, "Due", Column::Due);
        sort(header, "Stability", Column::Stability);
        sort(header, "Difficulty", Column::Difficulty);
        sort(header, "Lapses", Column::Lapses);
        sort(header, "Reviews", Column::Reps);
        sort(header, "Last review", Column::LastReview);
        header.col(|ui| {
            ui.strong("Flags");
        });
        sort(header, "Deck", Column::Deck);
        sort(header, "Category", Column::Category);
        header.col(|ui| {
            ui.strong("Tags");
        });
        sort(header, "Card id", Column::CardId);
    }

    fn row(
        &mut self,
        cells: &mut TableRow<'_, '_>,
        view: &BrowserView<'_>,
        row: &CardRow,
        palette: &Palette,
        action: &mut Option<BrowserAction>,
    ) {
        let table = view.table;
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
        cell(cells, |ui| {
            if ui
                .button("Details")
                .accessible_name(format!("Details of {}", row.prompt))
                .clicked()
            {
                *action = Some(BrowserAction::ShowDetails(key.clone()));
            }
        });
        cell(cells, |ui| {
            ui.label(row.answer.as_str())
                .on_hover_text(row.answer.as_str());
        });
        cell(cells, |ui| {
            ui.label(state_label(row.state()));
        });
        cell(cells, |ui| {
            if let Some(due) = row.due() {
                ui.label(due_text(due, view.now)).on_hover_text(
                    due.with_timezone(&Local)
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                );
            }
        });
        cell(cells, |ui| {
            ui.label(row.stability().map_or_else(String::new, days_text));
        });
        cell(cells, |ui| {
            ui.label(
                row.difficulty()
                    .map_or_else(String::new, |d| format!("{d:.1}")),
            );
        });
        cell(cells, |ui| {
            ui.label(row.lapses().to_string());
        });
        cell(cells, |ui| {
            ui.label(row.reps().to_string());
        });
        cell(cells, |ui| {
            ui.label(row.last_review().map_or_else(String::new, date_text));
        });
        cell(cells, |ui| {
            if row.suspended() {
                ui.label(RichText::new("suspended").color(palette.warn));
            }
            if row.leech() {
                ui.label(RichText::new("leech").color(palette.wrong));
            }
            if row.buried(view.now) {
                ui.label(RichText::new("buried").color(palette.muted));
            }
        });
        cell(cells, |ui| {
            ui.label(table.deck_of(row).title.as_str());
        });
        cell(cells, |ui| {
            ui.label(category_label(&row.category));
        });
        cell(cells, |ui| {
            let tags = row.tags.join(", ");
            ui.label(RichText::new(&tags).color(palette.muted))
                .on_hover_text(tags);
        });
        cell(cells, |ui| {
            ui.label(RichText::new(row.card_id.as_str()).monospace().small());
        });
    }
}

/// The columns in the table's order, as the dividers between them are named.
const COLUMN_NAMES: [&str; 15] = [
    "Prompt",
    "Details",
    "Answer",
    "State",
    "Due",
    "Stability",
    "Difficulty",
    "Lapses",
    "Reviews",
    "Last review",
    "Flags",
    "Deck",
    "Category",
    "Tags",
    "Card id",
];

/// Names the dividers that resize the columns (egui_extras leaves them without a role or a
/// name, and Tab stops on them): "Width of the Answer column".
fn name_column_dividers(ui: &Ui, state_id: egui::Id) {
    for (i, name) in COLUMN_NAMES.iter().enumerate() {
        let id = state_id.with("resize_column").with(i);
        if ui.ctx().read_response(id).is_none() {
            continue;
        }
        ui.ctx().accesskit_node_builder(id, |node| {
            node.set_role(egui::accesskit::Role::Splitter);
            node.set_label(format!("Width of the {name} column (drag to resize)"));
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
