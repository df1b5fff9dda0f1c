//! Home: the profile's decks, what is due, mastery by category, and ways to add decks.

use std::collections::{BTreeMap, HashMap};

use egui::{Align, Layout, RichText, Ui};

use super::commands::Command;
use super::messages;
use super::notice::{Notice, file_name};
use super::theme::{Palette, size};
use super::widgets;
use crate::ui::view::{AppCommand, AppContext, Screen, View};
use flashdrill_core::collection::Changes;
use flashdrill_core::deck::{Category, Deck, Library, LoadedDeck, Origin, Problem};
use flashdrill_core::quiz::SessionForm;
use flashdrill_core::schedule::{CardState, State};
use flashdrill_core::session;
use flashdrill_core::siblings;
use flashdrill_core::store::Mode;

/// Due counts for a deck or for everything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Due {
    pub new: usize,
    pub learning: usize,
    pub review: usize,
}

impl Due {
    #[must_use]
    pub fn total(&self) -> usize {
        self.new + self.learning + self.review
    }
}

/// One deck on the home screen.
#[derive(Debug, Clone)]
pub struct DeckRow {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub cards: usize,
    pub due: Due,
    /// Where it came from: "Bundled" or the file it was imported from.
    pub origin: String,
    /// Built into the app: it can be duplicated, not renamed or deleted.
    pub bundled: bool,
}

/// Cards of one category by how well they are known: new, learning, young, mature.
#[derive(Debug, Clone)]
pub struct MasteryRow {
    pub category: String,
    pub counts: [usize; 4],
}

/// A deck file that failed to load, with every problem found.
#[derive(Debug, Clone)]
pub struct FailedDeck {
    pub file: String,
    /// The file's path, to open it in the deck editor.
    pub path: std::path::PathBuf,
    pub problems: Vec<String>,
    /// The deck editor can open it and show its problems beside their fields; otherwise (its
    /// JSON is broken, or another deck has its id) it is fixed in a text editor.
    pub editable: bool,
}

/// What the learner asked for on the home screen.
#[derive(Debug, Clone, PartialEq)]
pub enum HomeAction {
    Study(String),
    StudyAll,
    /// Open the practice screen.
    Practice,
    OpenDeckDialog,
    ImportPath(std::path::PathBuf),
    /// Open the deck editor: on a deck (by id), a deck file, or a new deck.
    Edit(AppCommand),
    /// "Test yourself" on a deck (by id).
    SelfTest(String),
    /// Ask for a deck's new name (by id).
    AskRename(String),
    /// Ask whether to delete a deck, and what becomes of its progress (by id).
    AskDelete(String),
    /// Copy a deck (by id) into the deck folder.
    Duplicate(String),
    /// Give the deck `id` the title `title`.
    Rename {
        id: String,
        title: String,
    },
    /// Delete the deck `id`, keeping the learner's progress or not.
    Delete {
        id: String,
        keep_progress: bool,
    },
    /// Take back the last deck operation.
    Undo,
}

/// A question about one deck, in a window over the home screen.
#[derive(Debug, Clone, PartialEq)]
enum DeckAsk {
    Rename {
        id: String,
        title: String,
        /// The name typed so far.
        name: String,
        error: Option<String>,
        /// The field takes the keyboard when the window opens.
        focus: bool,
    },
    Delete {
        id: String,
        title: String,
        file: String,
        /// Cards of the deck with progress in the profile.
        studied: usize,
        keep_progress: bool,
    },
}

pub const FORM_LABELS: [(SessionForm, &str); 4] = [
    (SessionForm::Mixed, "Mixed"),
    (SessionForm::Flashcards, "Flashcards"),
    (SessionForm::MultipleChoice, "Multiple choice"),
    (SessionForm::Typed, "Type the answer"),
];

impl HomeScreen {
    /// Draws the screen; returns what the learner asked for. `loading`: deck files loaded so
    /// far and in all, while the deck folder loads.
    fn draw(&mut self, ui: &mut Ui, loading: Option<(usize, usize)>) -> Option<HomeAction> {
        let palette = Palette::of(ui.visuals());
        let mut action = None;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                widgets::centered_column(ui, 900.0, |ui| {
                    if let Some(notice) = &self.notice {
                        ui.horizontal_wrapped(|ui| {
                            notice.show(ui, &palette);
                            if let Some(label) = &self.undo_offer
                                && ui
                                    .button("Undo")
                                    .accessible_name(label.as_str())
                                    .on_hover_text(label.as_str())
                                    .clicked()
                            {
                                action = Some(HomeAction::Undo);
                            }
                        });
                        ui.add_space(6.0);
                    }
                    if let Some((done, total)) = loading {
                        ui.horizontal(|ui| {
                            ui.label("Loading decks…");
                            let fraction = if total == 0 {
                                0.0
                            } else {
                                done as f32 / total as f32
                            };
                            ui.add(
                                egui::ProgressBar::new(fraction)
                                    .text(format!("{done} / {total} files")),
                            );
                        });
                    }
                    // Broken deck files first: they are why a deck is missing below.
                    failures(ui, &self.failures, &palette, &mut action);
                    self.header(ui, &palette, &mut action);
                    for (headline, notes) in &self.exams {
                        ui.add_space(4.0);
                        ui.label(RichText::new(headline).strong());
                        for note in notes {
                            ui.label(RichText::new(note).color(palette.muted).small());
                        }
                    }
                    ui.add_space(10.0);
                    mastery(ui, &self.mastery, &palette);
                    ui.add_space(14.0);
                    ui.heading("Decks");
                    ui.add_space(4.0);
                    if self.no_profile {
                        ui.label(
                            RichText::new("Your decks show here once your profile is open.")
                                .color(palette.muted),
                        );
                    } else if self.decks.is_empty() && loading.is_none() {
                        ui.label(
                            RichText::new("No decks yet. Open a deck file to begin.")
                                .color(palette.muted),
                        );
                    }
                    for deck in &self.decks {
                        deck_row(ui, deck, &palette, &mut action);
                    }
                    ui.add_space(14.0);
                    self.open_deck(ui, &palette, &mut action);
                });
            });
        action
    }

    fn header(&mut self, ui: &mut Ui, palette: &Palette, action: &mut Option<HomeAction>) {
        let due = self.decks.iter().fold(Due::default(), |acc, d| Due {
            new: acc.new + d.due.new,
            learning: acc.learning + d.due.learning,
            review: acc.review + d.due.review,
        });
        let due_now = |ui: &mut Ui| {
            ui.vertical(|ui| {
                ui.label(RichText::new("Due now").color(palette.muted).small());
                due_counts(ui, due, palette, size::HEADING);
            });
        };
        // "Study all due" at the right; in a narrow window (projector zoom), first on a row
        // of its own under the counts.
        let buttons = |ui: &mut Ui| {
            let button = ui.add_enabled(
                due.total() > 0,
                egui::Button::new(
                    RichText::new("Study all due")
                        .strong()
                        .size(size::BODY + 2.0),
                )
                .min_size(egui::vec2(160.0, 40.0)),
            );
            if button
                .on_hover_text("Study every due card of every deck")
                .on_disabled_hover_text("Nothing is due right now")
                .clicked()
            {
                *action = Some(HomeAction::StudyAll);
            }
            if ui
                .add(egui::Button::new("Practice…").min_size(egui::vec2(0.0, 40.0)))
                .on_hover_text("Study any deck, category or tag now, whatever is due")
                .clicked()
            {
                *action = Some(HomeAction::Practice);
            }
        };
        if widgets::is_narrow(ui) {
            due_now(ui);
            ui.horizontal_wrapped(buttons);
        } else {
            ui.horizontal(|ui| {
                due_now(ui);
                ui.with_layout(Layout::right_to_left(Align::Center), buttons);
            });
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Question form:").color(palette.muted));
            for (form, text) in FORM_LABELS {
                ui.selectable_value(&mut self.form, form, text)
                    .on_hover_text("How cards are asked in the next session");
            }
        });
    }

    fn open_deck(&mut self, ui: &mut Ui, palette: &Palette, action: &mut Option<HomeAction>) {
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Import…")
                .on_hover_text(format!(
                    "Add a deck: {}. Anki packages bring their review history; you can also \
                     drop files on the window",
                    super::import::formats_text()
                ))
                .clicked()
            {
                *action = Some(HomeAction::OpenDeckDialog);
            }
            if ui
                .button("Export…")
                .on_hover_text("Take a deck to Anki, as a package or as text")
                .clicked()
            {
                *action = Some(HomeAction::Edit(AppCommand::GoTo(Screen::Import)));
            }
            let label = ui.label("or its path:");
            let edit = ui
                .add(
                    egui::TextEdit::singleline(&mut self.import_path)
                        .hint_text("/path/to/deck.json")
                        .desired_width(320.0),
                )
                .labelled_by(label.id);
            self.path_focused = edit.has_focus();
            let clicked = ui
                .add_enabled(
                    !self.import_path.trim().is_empty(),
                    egui::Button::new("Import"),
                )
                .clicked();
            if clicked {
                *action = self.take_import_path();
            }
        });
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("New deck")
                .on_hover_text("Write a deck of your own in the deck editor")
                .clicked()
            {
                *action = Some(HomeAction::Edit(AppCommand::NewDeck {
                    from_article: false,
                }));
            }
            if ui
                .button("New deck from an article…")
                .on_hover_text("Open or paste an article and make cards from its sentences")
                .clicked()
            {
                *action = Some(HomeAction::Edit(AppCommand::NewDeck { from_article: true }));
            }
        });
        ui.label(
            RichText::new("Imported decks are checked, then copied into your deck folder; Anki and text files become decks of their own.")
                .color(palette.muted)
                .small(),
        );
    }
}

fn due_counts(ui: &mut Ui, due: Due, palette: &Palette, text_size: f32) {
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(due.new.to_string())
                .size(text_size)
                .color(palette.state[0])
                .strong(),
        )
        .on_hover_text("New cards to introduce today");
        ui.label(RichText::new("new").color(palette.muted));
        ui.label(
            RichText::new(due.learning.to_string())
                .size(text_size)
                .color(palette.state[1])
                .strong(),
        )
        .on_hover_text("Cards in learning, due now");
        ui.label(RichText::new("learning").color(palette.muted));
        ui.label(
            RichText::new(due.review.to_string())
                .size(text_size)
                .color(palette.state[3])
                .strong(),
        )
        .on_hover_text("Reviews due today");
        ui.label(RichText::new("review").color(palette.muted));
    });
}

fn mastery(ui: &mut Ui, rows: &[MasteryRow], palette: &Palette) {
    if rows.is_empty() {
        return;
    }
    ui.heading("Mastery");
    // 320 points, or what a narrow window (projector zoom) leaves beside the texts.
    let bar = (ui.available_width() - 260.0).clamp(100.0, 320.0);
    egui::Grid::new("mastery").num_columns(3).spacing([12.0, 6.0]).show(ui, |ui| {
        for row in rows {
            ui.label(&row.category);
            let parts: Vec<(f32, egui::Color32)> = row.counts.iter().zip(palette.state).map(|(n, c)| (*n as f32, c)).collect();
            let [new, learning, young, mature] = row.counts;
            widgets::stacked_bar(ui, &parts, bar, 14.0, palette.track)
                .on_hover_text(format!("{new} new · {learning} learning · {young} young · {mature} mature (stability ≥ 21 days)"));
            let total: usize = row.counts.iter().sum();
            ui.label(RichText::new(format!("{mature} of {total} mature")).color(palette.muted).small());
            ui.end_row();
        }
    });
    ui.horizontal(|ui| {
        for (name, colour) in ["new", "learning", "young", "mature"]
            .iter()
            .zip(palette.state)
        {
            widgets::swatch(ui, colour);
            ui.label(RichText::new(*name).color(palette.muted).small());
        }
    });
}

fn deck_row(ui: &mut Ui, deck: &DeckRow, palette: &Palette, action: &mut Option<HomeAction>) {
    widgets::card_frame(ui, palette).show(ui, |ui| {
        ui.set_width(ui.available_width());
        let title = |ui: &mut Ui| {
            ui.add(
                egui::Label::new(RichText::new(&deck.title).strong().size(size::BODY + 2.0)).wrap(),
            );
        };
        if widgets::is_narrow(ui) {
            // A narrow window (projector zoom): the title, then its buttons on a row that
            // wraps, first things first.
            title(ui);
            ui.horizontal_wrapped(|ui| {
                deck_buttons(ui, deck, action, false);
            });
        } else {
            ui.horizontal(|ui| {
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    deck_buttons(ui, deck, action, true);
                    ui.add_space(12.0);
                    ui.with_layout(Layout::left_to_right(Align::Center), title);
                });
            });
        }
        if let Some(d) = &deck.description {
            ui.label(RichText::new(d).color(palette.muted));
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(format!("{} cards · {} · due:", deck.cards, deck.origin))
                    .color(palette.muted)
                    .small(),
            );
            due_counts(ui, deck.due, palette, size::BODY);
        });
    });
    ui.add_space(6.0);
}

/// A deck's buttons. `from_right` (a right-to-left row): More…, Study, Edit and Test yourself
/// from the right edge; otherwise Study, Edit, Test yourself and More… from the left.
fn deck_buttons(ui: &mut Ui, deck: &DeckRow, action: &mut Option<HomeAction>, from_right: bool) {
    let order = if from_right {
        [
            DeckButton::More,
            DeckButton::Study,
            DeckButton::Edit,
            DeckButton::Test,
        ]
    } else {
        [
            DeckButton::Study,
            DeckButton::Edit,
            DeckButton::Test,
            DeckButton::More,
        ]
    };
    for button in order {
        match button {
            DeckButton::More => deck_menu(ui, deck, action),
            DeckButton::Study => {
                // "Study" on screen; "Study <deck>" for a screen reader, which hears the
                // buttons out of their cards.
                let study = ui
                    .add_enabled(
                        deck.due.total() > 0,
                        egui::Button::new("Study").min_size(egui::vec2(96.0, 34.0)),
                    )
                    .accessible_name(format!("Study {}", deck.title));
                if study
                    .on_hover_text("Study this deck's due cards")
                    .on_disabled_hover_text("Nothing due in this deck")
                    .clicked()
                {
                    *action = Some(HomeAction::Study(deck.id.clone()));
                }
            }
            DeckButton::Edit => {
                if ui
                    .button("Edit")
                    .accessible_name(format!("Edit {}", deck.title))
                    .on_hover_text("Open this deck in the deck editor")
                    .clicked()
                {
                    *action = Some(HomeAction::Edit(AppCommand::EditDeck(deck.id.clone())));
                }
            }
            DeckButton::Test => {
                if ui
                    .button("Test yourself")
                    .accessible_name(format!("Test yourself on {}", deck.title))
                    .on_hover_text("A mock test of this deck in exam conditions")
                    .clicked()
                {
                    *action = Some(HomeAction::SelfTest(deck.id.clone()));
                }
            }
        }
    }
}

/// The buttons of a deck's row.
#[derive(Clone, Copy)]
enum DeckButton {
    Study,
    Edit,
    Test,
    More,
}

/// "More…": rename, duplicate or delete the deck (a bundled deck can only be duplicated).
fn deck_menu(ui: &mut Ui, deck: &DeckRow, action: &mut Option<HomeAction>) {
    const BUNDLED: &str =
        "A bundled deck cannot be renamed or deleted: duplicate it to make one of your own";
    let button = egui::Button::new("More…").min_size(egui::vec2(0.0, 34.0));
    let (response, _) = egui::containers::menu::MenuButton::from_button(button).ui(ui, |ui| {
        let user = !deck.bundled;
        if ui
            .add_enabled(user, egui::Button::new("Rename…"))
            .on_hover_text("Give this deck another name; your progress stays")
            .on_disabled_hover_text(BUNDLED)
            .clicked()
        {
            *action = Some(HomeAction::AskRename(deck.id.clone()));
            ui.close();
        }
        if ui
            .button("Duplicate")
            .on_hover_text("A copy in your deck folder, to edit and study on its own")
            .clicked()
        {
            *action = Some(HomeAction::Duplicate(deck.id.clone()));
            ui.close();
        }
        if ui
            .button("Exam date and retention…")
            .on_hover_text("Set an exam date for this deck, or give it its own desired retention")
            .clicked()
        {
            *action = Some(HomeAction::Edit(AppCommand::PlanDeck(deck.id.clone())));
            ui.close();
        }
        if ui
            .add_enabled(user, egui::Button::new("Delete…"))
            .on_hover_text("Remove this deck; you choose what becomes of your progress")
            .on_disabled_hover_text(BUNDLED)
            .clicked()
        {
            *action = Some(HomeAction::AskDelete(deck.id.clone()));
            ui.close();
        }
    });
    let _ = response
        .accessible_name(format!("More for {}", deck.title))
        .on_hover_text("Rename, duplicate or delete this deck");
}

fn failures(
    ui: &mut Ui,
    failures: &[FailedDeck],
    palette: &Palette,
    action: &mut Option<HomeAction>,
) {
    if failures.is_empty() {
        return;
    }
    let n = failures.len();
    ui.label(
        RichText::new(if n == 1 {
            "1 deck file could not be loaded".to_owned()
        } else {
            format!("{n} deck files could not be loaded")
        })
        .strong()
        .color(palette.wrong),
    );
    for failed in failures {
        widgets::card_frame(ui, palette).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(&failed.file).strong().color(palette.wrong));
            for problem in &failed.problems {
                ui.add(egui::Label::new(format!("• {problem}")).wrap());
            }
            // Only files in the deck folder: a bundled deck is fixed in the source tree.
            if !failed.path.is_absolute() {
                return;
            }
            ui.horizontal_wrapped(|ui| {
                if failed.editable {
                    if ui
                        .button("Fix in the deck editor")
                        .accessible_name(format!("Fix {} in the deck editor", failed.file))
                        .on_hover_text("Open it with each problem beside its field")
                        .clicked()
                    {
                        *action = Some(HomeAction::Edit(AppCommand::EditDeckFile(
                            failed.path.clone(),
                        )));
                    }
                } else {
                    ui.add(
                        egui::Label::new(
                            RichText::new(format!(
                                "Fix it in a text editor: {}. It loads as soon as it is saved.",
                                failed.path.display()
                            ))
                            .color(palette.muted),
                        )
                        .wrap(),
                    );
                    if ui
                        .button("Copy its path")
                        .accessible_name(format!("Copy the path of {}", failed.file))
                        .clicked()
                    {
                        ui.ctx().copy_text(failed.path.display().to_string());
                    }
                }
            });
        });
        ui.add_space(6.0);
    }
    ui.add_space(8.0);
}

/// The home screen: the profile's decks with what is due, mastery by category, the decks that
/// failed to load, and importing a deck.
#[derive(Default)]
pub struct HomeScreen {
    /// How cards are asked in the next session.
    form: SessionForm,
    /// The path typed in "or its path:".
    import_path: String,
    /// The path field had the keyboard in the last frame (Enter imports the typed path then).
    path_focused: bool,
    decks: Vec<DeckRow>,
    mastery: Vec<MasteryRow>,
    failures: Vec<FailedDeck>,
    /// Each exam's readiness ("Exam on 12 January, in 21 days: 83 % of cards ready …") and
    /// what it does to the new-card pace.
    exams: Vec<(String, Vec<String>)>,
    notice: Option<Notice>,
    /// Whether what it shows was read since the last change to the collection.
    fresh: bool,
    /// No profile is open (being brought up to date, or it could not be opened): the deck
    /// list waits for it rather than saying there are no decks.
    no_profile: bool,
    /// The rename or delete window on show.
    ask: Option<DeckAsk>,
    /// The undo of the deck operation the notice tells of (its label: "Undo Delete deck …"),
    /// offered beside the notice while it is the newest operation.
    undo_offer: Option<String>,
}

impl HomeScreen {
    /// Importing the typed path, if one is typed; the field is emptied.
    fn take_import_path(&mut self) -> Option<HomeAction> {
        let path = self.import_path.trim();
        if path.is_empty() {
            return None;
        }
        let action = HomeAction::ImportPath(path.into());
        self.import_path.clear();
        Some(action)
    }

    /// The question form chosen for the next session.
    #[must_use]
    pub fn form(&self) -> SessionForm {
        self.form
    }

    pub fn set_notice(&mut self, notice: Notice) {
        self.notice = Some(notice);
        self.undo_offer = None;
    }

    /// Tells of a deck operation, with a button that takes it back while it is the newest.
    pub fn offer_undo(&mut self, notice: Notice, cx: &AppContext<'_>) {
        self.notice = Some(notice);
        self.undo_offer = cx.col().undo_label();
    }

    pub fn clear_notice(&mut self) {
        self.notice = None;
        self.undo_offer = None;
    }

    /// Recomputes the numbers from the store and the decks.
    fn refresh(&mut self, cx: &AppContext<'_>) {
        self.exams = cx
            .col()
            .readiness(None, chrono::Utc::now(), false)
            .iter()
            .map(|r| {
                let title = cx
                    .library()
                    .deck(&r.deck_id)
                    .map_or(r.deck_id.as_str(), |d| d.deck.title.as_str());
                (format!("{title}: {}", r.headline()), r.notes())
            })
            .collect();
        self.failures = cx
            .library()
            .failures
            .iter()
            .map(|f| FailedDeck {
                file: file_name(&f.path),
                path: f.path.clone(),
                problems: f.problems.iter().map(ToString::to_string).collect(),
                editable: f.problems.iter().all(|p| {
                    !matches!(
                        p,
                        Problem::Read(_)
                            | Problem::TooLarge { .. }
                            | Problem::NotUtf8 { .. }
                            | Problem::Json { .. }
                            | Problem::UnknownFormat { .. }
                            | Problem::DuplicateDeckId { .. }
                    )
                }),
            })
            .collect();
        let Some(store) = cx.store() else {
            self.decks.clear();
            self.mastery.clear();
            self.no_profile = true;
            return;
        };
        self.no_profile = false;
        if cx.library().decks.is_empty() {
            // The decks are still loading (or there are none): nothing to count yet, and the
            // first frame reads nothing from the profile.
            self.decks.clear();
            self.mastery.clear();
            return;
        }
        let now_local = cx.now_local();
        let mut rows = Vec::new();
        for loaded in &cx.library().decks {
            let ids: Vec<&str> = loaded.deck.cards.iter().map(|c| c.id.as_str()).collect();
            let due = match session::deck_due_counts(
                store,
                &loaded.deck.id,
                &ids,
                cx.settings(),
                &now_local,
            ) {
                Ok(c) => Due {
                    new: c.new as usize,
                    learning: c.learning as usize,
                    review: c.review as usize,
                },
                Err(err) => {
                    self.notice = Some(Notice::error(messages::store(
                        "What is due could not be counted",
                        &err,
                    )));
                    Due::default()
                }
            };
            rows.push(DeckRow {
                id: loaded.deck.id.clone(),
                title: loaded.deck.title.clone(),
                description: loaded.deck.description.clone(),
                cards: loaded.deck.cards.len(),
                due,
                origin: origin_label(loaded),
                bundled: loaded.origin == Origin::Bundled,
            });
        }
        self.decks = rows;
        // Each library card's mastery slot, filled from the stored states.
        let library = cx.library();
        let mut slots: HashMap<&str, HashMap<&str, usize>> = library
            .decks
            .iter()
            .map(|loaded| {
                let cards = loaded
                    .deck
                    .cards
                    .iter()
                    .map(|c| (c.id.as_str(), 0))
                    .collect();
                (loaded.deck.id.as_str(), cards)
            })
            .collect();
        let read = store.for_each_card(|deck, card, p| {
            if let Some(slot) = slots.get_mut(deck).and_then(|cards| cards.get_mut(card)) {
                *slot = mastery_slot(&p.card);
            }
        });
        self.mastery = match read {
            Ok(()) => mastery_rows(library, &slots),
            Err(err) => {
                self.notice = Some(Notice::error(messages::store(
                    "Mastery could not be read",
                    &err,
                )));
                Vec::new()
            }
        };
    }

    /// Asks for a session over the due cards of one deck, or of every deck.
    fn study(&mut self, deck_id: Option<&str>, cx: &mut AppContext<'_>) {
        let Some(store) = cx.store() else {
            return;
        };
        let now_local = cx.now_local();
        let decks: Vec<&Deck> = cx
            .library()
            .decks
            .iter()
            .map(|loaded| &loaded.deck)
            .filter(|deck| deck_id.is_none_or(|id| id == deck.id))
            .collect();
        // Siblings (cards on one fact) are buried or spread as the settings say, across decks.
        let queue = match siblings::study_queue(store, &decks, cx.settings(), &now_local) {
            Ok(queue) => queue,
            Err(err) => {
                self.notice = Some(Notice::error(messages::store(
                    "The due cards could not be read",
                    &err,
                )));
                return;
            }
        };
        if queue.is_empty() {
            self.notice = Some(Notice::info("Nothing is due right now."));
            return;
        }
        cx.send(AppCommand::StartSession {
            queue,
            mode: Mode::Srs,
            form: Some(self.form),
            return_to: Screen::Home,
        });
    }
}

impl View for HomeScreen {
    fn open(&mut self, _cx: &mut AppContext<'_>) {
        self.fresh = false;
    }

    fn changed(&mut self, changes: Changes) {
        if changes.any() {
            self.fresh = false;
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>) {
        if !self.fresh {
            self.refresh(cx);
            self.fresh = true;
        }
        // The undo is offered while the operation is the newest.
        if self.undo_offer.is_some() && cx.col().undo_label() != self.undo_offer {
            self.undo_offer = None;
        }
        let mut action = self.draw(ui, cx.loading);
        if let Some(asked) = self.ask_window(ui.ctx(), &cx.palette) {
            action = Some(asked);
        }
        self.act(action, cx);
    }

    /// Enter in the path field imports the typed path; in the rename or delete window, Enter
    /// confirms and Escape closes it.
    fn command(&mut self, command: Command, cx: &mut AppContext<'_>) {
        if let Some(ask) = &self.ask {
            let action = match (command, ask) {
                (Command::Submit, DeckAsk::Rename { id, name, .. }) => Some(HomeAction::Rename {
                    id: id.clone(),
                    title: name.clone(),
                }),
                (
                    Command::Submit,
                    DeckAsk::Delete {
                        id, keep_progress, ..
                    },
                ) => Some(HomeAction::Delete {
                    id: id.clone(),
                    keep_progress: *keep_progress,
                }),
                (Command::Back, _) => {
                    self.ask = None;
                    None
                }
                _ => None,
            };
            self.act(action, cx);
            return;
        }
        if command == Command::Submit && self.path_focused {
            let action = self.take_import_path();
            self.act(action, cx);
        }
        // Ctrl+Z takes back what the Undo button beside the notice offers (a deck deleted,
        // renamed or duplicated here).
        if command == Command::Undo && self.undo_offer.is_some() && !self.path_focused {
            self.act(Some(HomeAction::Undo), cx);
        }
    }
}

impl HomeScreen {
    /// Carries out what the learner asked for.
    fn act(&mut self, action: Option<HomeAction>, cx: &mut AppContext<'_>) {
        match action {
            Some(HomeAction::Study(id)) => self.study(Some(&id), cx),
            Some(HomeAction::StudyAll) => self.study(None, cx),
            Some(HomeAction::Practice) => cx.send(AppCommand::GoTo(Screen::Practice)),
            Some(HomeAction::OpenDeckDialog) => cx.send(AppCommand::OpenDeckDialog),
            Some(HomeAction::ImportPath(path)) => cx.send(AppCommand::ImportDeck(path)),
            Some(HomeAction::Edit(command)) => cx.send(command),
            Some(HomeAction::SelfTest(id)) => cx.send(AppCommand::StartSelfTest(id)),
            Some(HomeAction::AskRename(id)) => self.ask_rename(&id, cx),
            Some(HomeAction::AskDelete(id)) => self.ask_delete(&id, cx),
            Some(HomeAction::Duplicate(id)) => cx.send(AppCommand::DuplicateDeck(id)),
            Some(HomeAction::Rename { id, title }) => {
                match cx.apply(|col| col.rename_deck(&id, &title)) {
                    Ok(()) => {
                        self.ask = None;
                        let notice =
                            Notice::success(format!("Renamed the deck to \"{}\".", title.trim()));
                        self.offer_undo(notice, cx);
                    }
                    Err(err) => {
                        if let Some(DeckAsk::Rename { error, .. }) = &mut self.ask {
                            *error = Some(messages::collection("The deck was not renamed", &err));
                        }
                    }
                }
            }
            Some(HomeAction::Delete { id, keep_progress }) => {
                self.ask = None;
                let title = cx
                    .library()
                    .deck(&id)
                    .map(|d| d.deck.title.clone())
                    .unwrap_or_default();
                match cx.apply(|col| col.delete_deck(&id, keep_progress)) {
                    Ok(()) => {
                        let kept = if keep_progress {
                            " Your progress on it is kept."
                        } else {
                            ""
                        };
                        let notice =
                            Notice::success(format!("Deleted the deck \"{title}\".{kept}"));
                        self.offer_undo(notice, cx);
                    }
                    Err(err) => {
                        self.set_notice(Notice::error(messages::collection(
                            "The deck was not deleted",
                            &err,
                        )));
                    }
                }
            }
            Some(HomeAction::Undo) => cx.send(AppCommand::Undo),
            None => {}
        }
    }

    fn ask_rename(&mut self, id: &str, cx: &AppContext<'_>) {
        if let Some(loaded) = cx.library().deck(id) {
            self.ask = Some(DeckAsk::Rename {
                id: id.to_owned(),
                title: loaded.deck.title.clone(),
                name: loaded.deck.title.clone(),
                error: None,
                focus: true,
            });
        }
    }

    fn ask_delete(&mut self, id: &str, cx: &AppContext<'_>) {
        let Some(loaded) = cx.library().deck(id) else {
            return;
        };
        let file = match &loaded.origin {
            Origin::User(path) => file_name(path),
            Origin::Bundled => return,
        };
        let studied = cx
            .store()
            .and_then(|s| s.card_states(Some(id)).ok())
            .map_or(0, |states| states.len());
        self.ask = Some(DeckAsk::Delete {
            id: id.to_owned(),
            title: loaded.deck.title.clone(),
            file,
            studied,
            keep_progress: true,
        });
    }

    /// The rename or delete window, while one is open; what the learner chose.
    fn ask_window(&mut self, ctx: &egui::Context, palette: &Palette) -> Option<HomeAction> {
        let ask = self.ask.as_mut()?;
        let mut chosen = None;
        let mut cancel = false;
        let width = widgets::dialog_width(ctx, 480.0);
        let modal = egui::Modal::new(egui::Id::unique("home-deck-ask")).show(ctx, |ui| {
            ui.set_max_width(width);
            match ask {
                DeckAsk::Rename { id, title, name, error, focus } => {
                    ui.heading(format!("Rename \"{title}\""));
                    let label = ui.label("New name:");
                    let field = ui
                        .add(egui::TextEdit::singleline(name).desired_width(f32::INFINITY))
                        .labelled_by(label.id);
                    if std::mem::take(focus) {
                        field.request_focus();
                    }
                    ui.label(
                        RichText::new("The deck keeps its id, so your progress stays with it.")
                            .color(palette.muted)
                            .small(),
                    );
                    if let Some(error) = error {
                        ui.label(RichText::new(error.as_str()).color(palette.wrong));
                    }
                    let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    ui.horizontal(|ui| {
                        if widgets::primary_button(ui, "Rename", palette).clicked() || entered {
                            chosen = Some(HomeAction::Rename { id: id.clone(), title: name.clone() });
                        }
                        cancel = ui.button("Cancel").clicked();
                    });
                }
                DeckAsk::Delete { id, title, file, studied, keep_progress } => {
                    ui.heading(format!("Delete \"{title}\"?"));
                    ui.label(format!("{file} is removed from your deck folder. Undo brings it back."));
                    if *studied == 0 {
                        ui.label(RichText::new("You have not studied it yet.").color(palette.muted));
                    } else {
                        let cards = if *studied == 1 { "card" } else { "cards" };
                        ui.radio_value(keep_progress, true, format!("Keep my progress on its {studied} studied {cards}"))
                            .on_hover_text("It counts again if the deck is added back");
                        ui.radio_value(keep_progress, false, format!("Remove my progress on its {studied} studied {cards}"))
                            .on_hover_text("The cards start as new if the deck comes back; your past answers stay in the statistics");
                    }
                    ui.add_space(6.0);
                    ui.horizontal(|ui| {
                        if widgets::primary_button(ui, "Delete deck", palette).clicked() {
                            chosen = Some(HomeAction::Delete { id: id.clone(), keep_progress: *keep_progress });
                        }
                        cancel = ui.button("Cancel").clicked();
                    });
                }
            }
        });
        if cancel || (chosen.is_none() && modal.should_close()) {
            self.ask = None;
        }
        chosen
    }
}

/// "bundled", or the file a deck was imported from.
fn origin_label(loaded: &LoadedDeck) -> String {
    match &loaded.origin {
        Origin::Bundled => "bundled".to_owned(),
        Origin::User(path) => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

/// New / learning / young / mature counts per category over every loaded card.
/// A card's column in the mastery bars: 0 new, 1 learning, 2 young, 3 mature (stability of
/// three weeks or more).
fn mastery_slot(s: &CardState) -> usize {
    match s.state {
        State::New => 0,
        State::Learning | State::Relearning => 1,
        State::Review if s.stability.unwrap_or(0.0) >= 21.0 => 3,
        State::Review => 2,
    }
}

fn mastery_rows(library: &Library, slots: &HashMap<&str, HashMap<&str, usize>>) -> Vec<MasteryRow> {
    let mut by_category: BTreeMap<Category, [usize; 4]> = BTreeMap::new();
    for loaded in &library.decks {
        for card in &loaded.deck.cards {
            let slot = slots
                .get(loaded.deck.id.as_str())
                .and_then(|cards| cards.get(card.id.as_str()))
                .copied()
                .unwrap_or(0);
            by_category.entry(card.kind()).or_default()[slot] += 1;
        }
    }
    by_category
        .into_iter()
        .map(|(c, counts)| MasteryRow {
            category: c.label(),
            counts,
        })
        .collect()
}
