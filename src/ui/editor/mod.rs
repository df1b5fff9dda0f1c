//! The deck editor: the deck's cards in a list at the left, the selected card's form in the
//! middle with live validation beside each field, and the article (if any) at the right with
//! its candidate facts highlighted. Ctrl+S saves atomically, Ctrl+Z / Ctrl+Shift+Z undo and
//! redo; leaving with unsaved changes asks first. Bundled decks open read-only.

mod article;
mod fields;
mod list;
mod start;
mod view;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{RichText, Ui};

use self::article::ArticleAction;
use self::list::{CardList, ListAction};
use self::start::{StartAction, StartForm};
use crate::jobs::{self, Job};
use crate::ui::commands::Command;
use crate::ui::file_ask::FileAsk;
use crate::ui::notice::{Notice, file_name};
use crate::ui::theme::Palette;
use crate::ui::view::{AppCommand, AppContext, Screen, View};
use flashdrill_core::deck::{
    self, Deck, DeckEditor, DeckMeta, Origin, Problem, SaveError, Source, deck_problem_field,
    issue_field,
};
use flashdrill_core::draft::{self, Article};

pub use fields::{FIELDS, Field, Value};

/// What the screen is asking before it goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ask {
    /// Unsaved changes: save, discard or stay before going to this screen (`None`: before the
    /// window closes).
    Leave(Option<Screen>),
    /// The file changed on disk: overwrite it or not.
    Overwrite,
}

/// The problems of the deck, by card and field, for the revision they were found at.
#[derive(Default)]
struct Problems {
    revision: Option<u64>,
    /// Per card: (field key, message).
    cards: Vec<Vec<(&'static str, String)>>,
    /// Whether each card has any problem (for the list's marks).
    marked: Vec<bool>,
    /// Deck-level problems: (field, message).
    deck: Vec<(Option<&'static str>, String)>,
    count: usize,
}

impl Problems {
    fn refresh(&mut self, editor: &DeckEditor) {
        if self.revision == Some(editor.revision()) {
            return;
        }
        let n = editor.deck().cards.len();
        self.cards = vec![Vec::new(); n];
        self.marked = vec![false; n];
        self.deck.clear();
        let problems = editor.problems();
        self.count = problems.len();
        for problem in problems {
            match problem {
                Problem::Card { card, issue } if card.number >= 1 && card.number <= n => {
                    self.cards[card.number - 1].push((issue_field(&issue), issue.to_string()));
                    self.marked[card.number - 1] = true;
                }
                other => self
                    .deck
                    .push((deck_problem_field(&other), other.to_string())),
            }
        }
        self.revision = Some(editor.revision());
    }
}

/// A deck open in the editor.
struct Doc {
    editor: DeckEditor,
    /// A bundled deck: shown, not changed.
    read_only: bool,
    /// The article the deck is drawn from, kept beside it as `<deck-id>.article.txt`.
    article: Option<Arc<Article>>,
    /// The article still has to be written beside the deck (at the next save).
    article_unsaved: bool,
    selected: Option<usize>,
    list: CardList,
    /// The phrase "Make this the answer" uses: typed, or the text selected in the source.
    phrase: String,
    problems: Problems,
    /// In a narrow window the card list and the article share one side panel: the one shown.
    show_article: bool,
}

impl Doc {
    fn new(editor: DeckEditor, read_only: bool, article: Option<Article>) -> Self {
        let selected = (!editor.deck().cards.is_empty()).then_some(0);
        Self {
            editor,
            read_only,
            article_unsaved: false,
            article: article.map(Arc::new),
            selected,
            list: CardList::default(),
            phrase: String::new(),
            problems: Problems::default(),
            show_article: false,
        }
    }

    fn article_path(&self) -> PathBuf {
        article_path(self.editor.path(), &self.editor.deck().id)
    }
}

/// Where a deck's article is kept: `<deck-id>.article.txt` beside the deck file.
#[must_use]
pub fn article_path(deck_path: &Path, deck_id: &str) -> PathBuf {
    deck_path.with_file_name(format!("{deck_id}.article.txt"))
}

/// The deck editor screen.
#[derive(Default)]
pub struct EditorScreen {
    /// The user's deck folder, where new decks are saved.
    deck_dir: PathBuf,
    doc: Option<Doc>,
    start: StartForm,
    notice: Option<Notice>,
    ask: Option<Ask>,
    article_dialog: Option<Job<Option<PathBuf>>>,
}

impl EditorScreen {
    /// Where new decks and copies are saved.
    pub fn set_deck_dir(&mut self, dir: PathBuf) {
        self.deck_dir = dir;
    }

    pub fn set_notice(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    /// Whether the open deck has changes not saved.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.doc
            .as_ref()
            .is_some_and(|d| !d.read_only && d.editor.is_dirty())
    }

    /// The deck open in the editor (for tests).
    #[must_use]
    pub fn deck(&self) -> Option<&Deck> {
        self.doc.as_ref().map(|d| d.editor.deck())
    }

    /// Asks what to do with unsaved changes before going to `screen`.
    pub fn ask_leave(&mut self, screen: Screen) {
        self.ask = Some(Ask::Leave(Some(screen)));
    }

    /// Shows the start page: a new deck, empty or from an article.
    pub fn start_new(&mut self, with_article: bool) {
        self.doc = None;
        self.notice = None;
        self.start = StartForm {
            with_article,
            ..StartForm::default()
        };
    }

    /// Opens a deck: a bundled one read-only, a file from disk for editing (a draft with
    /// problems too, as long as it is shaped like a deck). Returns a message on failure.
    pub fn open(&mut self, deck: &Deck, origin: &Origin) -> Result<(), String> {
        self.notice = None;
        self.ask = None;
        match origin {
            Origin::Bundled => {
                let path = self.deck_dir.join(format!("{}.json", deck.id));
                self.doc = Some(Doc::new(DeckEditor::new(deck.clone(), path), true, None));
                Ok(())
            }
            Origin::User(path) => self.open_file(path),
        }
    }

    /// Opens the deck file at `path` for editing.
    pub fn open_file(&mut self, path: &Path) -> Result<(), String> {
        let name = file_name(path);
        let bytes = std::fs::read(path).map_err(|e| format!("{name} could not be read: {e}"))?;
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| format!("{name} is not UTF-8 text; save it as UTF-8"))?;
        let deck: Deck = serde_json::from_str(text.strip_prefix('\u{feff}').unwrap_or(text))
            .map_err(|e| {
                format!("{name} is not shaped like a deck ({e}); fix it in a text editor")
            })?;
        let article_file = article_path(path, &deck.id);
        let article = article_file
            .exists()
            .then(|| draft::read_article(&article_file).ok())
            .flatten()
            .map(|t| Article::parse(&t));
        let editor = DeckEditor::opened(deck, path.to_path_buf(), &bytes);
        self.doc = Some(Doc::new(editor, false, article));
        self.notice = None;
        Ok(())
    }

    /// Every deck id in use: loaded decks and files in the deck folder.
    fn taken_ids(&self, cx: &AppContext<'_>) -> HashSet<String> {
        let mut taken: HashSet<String> = cx
            .library()
            .deck_ids()
            .into_iter()
            .map(str::to_owned)
            .collect();
        if let Ok(entries) = std::fs::read_dir(&self.deck_dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(stem) = name.strip_suffix(".json") {
                    taken.insert(stem.to_owned());
                }
            }
        }
        taken
    }

    /// Creates the deck the start form describes (nothing is written until it is saved).
    fn create(&mut self, cx: &AppContext<'_>) {
        let f = &self.start;
        let missing = [
            (&f.title, "Give the deck a title."),
            (&f.source_title, "Give the source's title."),
            (&f.author, "Give the source's author."),
        ]
        .into_iter()
        .find(|(v, _)| v.trim().is_empty());
        if let Some((_, message)) = missing {
            self.start.error = Some(message.to_owned());
            return;
        }
        let article = if f.with_article {
            let text = match (f.article_path(), f.pasted.is_empty()) {
                (Some(path), _) => {
                    draft::read_article(&path).map_err(|e| format!("{}: {e}", file_name(&path)))
                }
                (None, false) => draft::check_article(&f.pasted)
                    .map(|()| f.pasted.clone())
                    .map_err(|e| format!("The pasted text: {e}")),
                (None, true) => Err("Open an article file or paste its text.".to_owned()),
            };
            match text {
                Ok(text) => Some(Article::parse(&text)),
                Err(message) => {
                    self.start.error = Some(message);
                    return;
                }
            }
        } else {
            None
        };
        let id = deck::deck_id(f.title.trim(), &self.taken_ids(cx));
        let url = f.url.trim();
        let meta = DeckMeta {
            title: f.title.trim().to_owned(),
            description: None,
            source: Source {
                title: f.source_title.trim().to_owned(),
                author: f.author.trim().to_owned(),
                url: (!url.is_empty()).then(|| url.to_owned()),
            },
        };
        let path = self.deck_dir.join(format!("{id}.json"));
        let mut doc = Doc::new(DeckEditor::blank(&id, meta, path), false, article);
        doc.article_unsaved = doc.article.is_some();
        self.doc = Some(doc);
        self.start = StartForm::default();
        self.notice = Some(Notice::info(
            "Deck created. Add cards, then save with Ctrl+S.",
        ));
    }

    /// "Make an editable copy" of a read-only deck: new id, title "… (copy)", unsaved.
    fn make_copy(&mut self, cx: &AppContext<'_>) {
        let taken = self.taken_ids(cx);
        let Some(doc) = &mut self.doc else { return };
        let mut deck = doc.editor.deck().clone();
        deck.id = deck::deck_id(&format!("{} copy", deck.id), &taken);
        deck.title = format!("{} (copy)", deck.title);
        let path = self.deck_dir.join(format!("{}.json", deck.id));
        let selected = doc.selected;
        let mut copy = Doc::new(DeckEditor::new(deck, path), false, None);
        copy.selected = selected;
        self.doc = Some(copy);
        self.notice = Some(Notice::info(
            "This is your copy: edit it, then save with Ctrl+S.",
        ));
    }

    /// Saves the open deck (and its article, the first time). `overwrite`: even if the file
    /// changed on disk.
    fn save(&mut self, overwrite: bool, cx: &mut AppContext<'_>) -> bool {
        let Some(doc) = &mut self.doc else {
            return false;
        };
        if doc.read_only {
            self.notice = Some(Notice::warning(
                "A bundled deck cannot be changed: make an editable copy first.",
            ));
            return false;
        }
        if doc.article_unsaved
            && let Some(article) = &doc.article
        {
            if let Err(err) = deck::write_atomically(&doc.article_path(), article.text.as_bytes()) {
                self.notice = Some(Notice::error(format!("The article was not saved: {err}")));
                return false;
            }
            doc.article_unsaved = false;
        }
        match doc.editor.save(overwrite) {
            Ok(()) => {
                let name = file_name(doc.editor.path());
                doc.problems.refresh(&doc.editor);
                let n = doc.problems.count;
                self.notice = Some(if n == 0 {
                    Notice::success(format!("Saved {name}."))
                } else {
                    Notice::warning(format!(
                        "Saved {name} as a draft with {n} {}: it is not studied until they are fixed.",
                        if n == 1 { "problem" } else { "problems" }
                    ))
                });
                cx.send(AppCommand::DeckSaved(doc.editor.path().to_path_buf()));
                true
            }
            Err(SaveError::ChangedOnDisk { .. }) => {
                self.ask = Some(Ask::Overwrite);
                false
            }
            Err(err) => {
                self.notice = Some(Notice::error(err.to_string()));
                false
            }
        }
    }

    fn undo(&mut self, redo: bool) {
        let Some(doc) = &mut self.doc else { return };
        if doc.read_only {
            return;
        }
        let at = if redo {
            doc.editor.redo()
        } else {
            doc.editor.undo()
        };
        let n = doc.editor.deck().cards.len();
        doc.selected = at
            .or(doc.selected)
            .filter(|i| *i < n)
            .or((n > 0).then_some(0));
    }

    /// A new card from sentence `s` of the article, after the selected card; with `answer`
    /// (a candidate) drafted as its answer.
    fn card_from_article(&mut self, s: usize, answer: Option<usize>) {
        let Some(doc) = &mut self.doc else { return };
        let Some(article) = doc.article.clone() else {
            return;
        };
        if doc.read_only {
            return;
        }
        let sentence = article.sentence(s);
        let i = doc.editor.add_card(doc.selected, "term", &sentence);
        doc.selected = Some(i);
        doc.phrase.clear();
        if let Some(c) = answer.and_then(|c| article.candidates.get(c)) {
            let phrase = article
                .candidate_text(c)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            doc.phrase.clone_from(&phrase);
            self.make_answer();
        }
    }

    /// "Make this the answer": drafts the selected card from its source and the phrase.
    fn make_answer(&mut self) {
        let Some(doc) = &mut self.doc else { return };
        let Some(i) = doc.selected else { return };
        let Some(mut card) = doc.editor.deck().cards.get(i).cloned() else {
            return;
        };
        let owned;
        let pool: &Article = if let Some(a) = &doc.article {
            a
        } else {
            let sources: Vec<&str> = doc
                .editor
                .deck()
                .cards
                .iter()
                .map(|c| c.source.as_str())
                .collect();
            owned = Article::parse(&sources.join("\n\n"));
            &owned
        };
        match draft::draft_card(&card.source, &doc.phrase, pool) {
            Some(drafted) => {
                drafted.apply(&mut card);
                doc.editor.seal();
                doc.editor.set_card(i, "draft", card);
                doc.editor.refresh_unsaved_id(i);
                doc.editor.seal();
                self.notice = None;
            }
            None => {
                self.notice = Some(Notice::warning(format!(
                    "\"{}\" is not in the card's source sentence: select or type words of the source.",
                    doc.phrase.trim()
                )));
            }
        }
    }

    /// Puts the phrase as the `{{…}}` blank of the cloze (the source sentence when the cloze
    /// is empty).
    fn blank_cloze(&mut self) {
        let Some(doc) = &mut self.doc else { return };
        let Some(i) = doc.selected else { return };
        let phrase = doc.phrase.trim().to_owned();
        let Some(mut card) = doc.editor.deck().cards.get(i).cloned() else {
            return;
        };
        let base = card.cloze.as_deref().map_or_else(
            || card.source.clone(),
            |c| c.replace("{{", "").replace("}}", ""),
        );
        if phrase.is_empty() || !base.contains(&phrase) {
            self.notice = Some(Notice::warning(
                "Select or type words of the cloze (or of the source) to make them the blank.",
            ));
            return;
        }
        card.cloze = Some(base.replacen(&phrase, &format!("{{{{{phrase}}}}}"), 1));
        doc.editor.seal();
        doc.editor.set_card(i, "cloze", card);
        doc.editor.seal();
    }

    fn poll_dialog(&mut self) {
        if let Some(Ok(Some(path))) = jobs::finished(&mut self.article_dialog) {
            self.start.path = path.display().to_string();
        }
    }
}

/// Leaves the editor for `screen`, or closes the window.
fn leave(ctx: &egui::Context, cx: &mut AppContext<'_>, screen: Option<Screen>) {
    match screen {
        Some(screen) => cx.send(AppCommand::LeaveEditor(screen)),
        None => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
    }
}

/// What the screen's widgets asked for this frame.
enum Action {
    Save,
    Undo,
    Redo,
    Copy,
    Close,
    List(ListAction),
    Article(ArticleAction),
    MakeAnswer,
    BlankCloze,
    Start(StartAction),
}

impl View for EditorScreen {
    /// A saved deck open here whose file was deleted (from its row on the home screen, or
    /// outside flashdrill) is closed: saving it would bring the file back unasked.
    fn changed(&mut self, changes: flashdrill_core::collection::Changes) {
        let gone = self.doc.as_ref().is_some_and(|doc| {
            !doc.read_only && !doc.editor.is_dirty() && !doc.editor.path().exists()
        });
        if changes.decks && gone {
            self.doc = None;
            self.notice = Some(Notice::info("The deck that was open here was deleted."));
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>) {
        self.poll_dialog();
        // Closing the window with unsaved changes asks first, as leaving the screen does.
        if self.is_dirty() && ui.ctx().input(|i| i.viewport().close_requested()) {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.ask = Some(Ask::Leave(None));
        }
        let palette = Palette::of(ui.visuals());
        let mut action = None;
        if let Some(notice) = &self.notice {
            notice.show(ui, &palette);
        }
        match &mut self.doc {
            None => {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    action = self.start.show(ui, &palette).map(Action::Start);
                });
            }
            Some(doc) => {
                doc.problems.refresh(&doc.editor);
                action = view::draw_doc(ui, doc, &palette);
            }
        }
        self.ask_dialog(ui.ctx(), cx, &palette);
        match action {
            Some(Action::Save) => {
                self.save(false, cx);
            }
            Some(Action::Undo) => self.undo(false),
            Some(Action::Redo) => self.undo(true),
            Some(Action::Copy) => self.make_copy(cx),
            Some(Action::Close) => cx.send(AppCommand::GoTo(Screen::Home)),
            Some(Action::List(a)) => self.list_action(a),
            Some(Action::Article(ArticleAction::Sentence(s))) => self.card_from_article(s, None),
            Some(Action::Article(ArticleAction::Candidate {
                sentence,
                candidate,
            })) => {
                self.card_from_article(sentence, Some(candidate));
            }
            Some(Action::MakeAnswer) => self.make_answer(),
            Some(Action::BlankCloze) => self.blank_cloze(),
            Some(Action::Start(StartAction::Create)) => self.create(cx),
            Some(Action::Start(StartAction::ChooseFile)) if self.article_dialog.is_none() => {
                let ask = FileAsk::open("Open article").filter("Article", &["txt", "md"]);
                self.article_dialog = Some(cx.choose_file(ask));
            }
            Some(Action::Start(StartAction::ChooseFile)) | None => {}
        }
    }

    fn command(&mut self, command: Command, cx: &mut AppContext<'_>) {
        match command {
            Command::Save => {
                self.save(false, cx);
            }
            Command::Undo => self.undo(false),
            Command::Redo => self.undo(true),
            Command::Back if self.ask.is_some() => self.ask = None,
            _ => {}
        }
    }
}

impl EditorScreen {
    fn list_action(&mut self, action: ListAction) {
        let Some(doc) = &mut self.doc else { return };
        doc.editor.seal();
        match action {
            ListAction::Select(i) => {
                doc.selected = Some(i);
                doc.phrase.clear();
            }
            ListAction::Add => {
                let i = doc.editor.add_card(doc.selected, "term", "");
                doc.selected = Some(i);
            }
            ListAction::Duplicate(i) => {
                doc.selected = doc.editor.duplicate_card(i).or(doc.selected);
            }
            ListAction::Delete(i) => {
                doc.editor.remove_card(i);
                let n = doc.editor.deck().cards.len();
                doc.selected = (n > 0).then(|| i.min(n - 1));
                self.notice = Some(Notice::info("Card deleted: Ctrl+Z brings it back."));
            }
            ListAction::Move { from, to } => {
                doc.editor.move_card(from, to);
                doc.selected = Some(to);
            }
        }
    }

    /// The unsaved-changes and changed-on-disk questions.
    fn ask_dialog(&mut self, ctx: &egui::Context, cx: &mut AppContext<'_>, palette: &Palette) {
        let Some(ask) = self.ask else { return };
        let name = self
            .doc
            .as_ref()
            .map(|d| file_name(d.editor.path()))
            .unwrap_or_default();
        let mut choice = None;
        let width = crate::ui::widgets::dialog_width(ctx, 460.0);
        egui::Modal::new(egui::Id::unique("editor-ask")).show(ctx, |ui| {
            ui.set_max_width(width);
            match ask {
                Ask::Leave(_) => {
                    ui.heading("Leave with unsaved changes?");
                    ui.label(format!("{name} has changes that are not saved."));
                    ui.horizontal(|ui| {
                        if ui.button("Save and leave").clicked() {
                            choice = Some(0);
                        }
                        if ui.button("Leave without saving").clicked() {
                            choice = Some(1);
                        }
                        if ui.button("Stay").clicked() {
                            choice = Some(2);
                        }
                    });
                }
                Ask::Overwrite => {
                    ui.heading("Changed on disk");
                    ui.label(
                        RichText::new(format!(
                            "{name} was changed on disk since it was opened. Overwrite it with \
                             the deck as it is here?"
                        ))
                        .color(palette.warn),
                    );
                    ui.horizontal(|ui| {
                        if ui.button("Overwrite the file").clicked() {
                            choice = Some(0);
                        }
                        if ui.button("Cancel").clicked() {
                            choice = Some(2);
                        }
                    });
                }
            }
        });
        let Some(choice) = choice else { return };
        self.ask = None;
        match (ask, choice) {
            (Ask::Leave(screen), 0) if self.save(false, cx) => leave(ctx, cx, screen),
            (Ask::Leave(screen), 1) => {
                self.doc = None;
                leave(ctx, cx, screen);
            }
            (Ask::Overwrite, 0) => {
                self.save(true, cx);
            }
            _ => {}
        }
    }
}
