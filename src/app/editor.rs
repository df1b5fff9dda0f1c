//! The shell's commands for the deck editor: opening a deck or a new one, taking in a saved
//! deck, and the unsaved-changes guard when leaving the editor.

use std::path::Path;
use std::sync::Arc;

use super::{FlashdrillApp, Screen};
use crate::ui::notice::{Notice, file_name};
use flashdrill_core::collection::DeckProblem;
use flashdrill_core::deck;

impl FlashdrillApp {
    /// Opens `screen`: the screen fetches what it shows.
    pub(super) fn go_to(&mut self, screen: Screen) {
        self.screen = screen;
        let mut cx = self.shared.context(self.time);
        self.screens.get(screen).open(&mut cx);
    }

    /// The deck open in the deck editor (for tests).
    #[must_use]
    pub fn editor_deck(&self) -> Option<&flashdrill_core::deck::Deck> {
        self.screens.editor.deck()
    }

    /// Goes to `screen`, unless the deck editor has unsaved changes: then it asks first.
    pub(super) fn leave_to(&mut self, screen: Screen) {
        if self.screen == Screen::Editor
            && screen != Screen::Editor
            && self.screens.editor.is_dirty()
        {
            self.screens.editor.ask_leave(screen);
        } else {
            self.go_to(screen);
        }
    }

    /// Whether the editor may open another deck; if not (unsaved work), it shows why.
    fn editor_free(&mut self) -> bool {
        let deck_dir = deck::user_deck_dir(&self.shared.data_dir);
        self.screens.editor.set_deck_dir(deck_dir);
        if self.screens.editor.is_dirty() {
            // Never drop unsaved work: show it and say so.
            self.screens.editor.set_notice(Notice::warning(
                "Save or undo the changes to this deck before opening another.",
            ));
            self.go_to(Screen::Editor);
            return false;
        }
        true
    }

    pub(super) fn new_deck(&mut self, from_article: bool) {
        if self.editor_free() {
            self.screens.editor.start_new(from_article);
            self.go_to(Screen::Editor);
        }
    }

    pub(super) fn edit_deck(&mut self, id: &str) {
        if !self.editor_free() {
            return;
        }
        let library = Arc::clone(self.shared.col.library());
        let opened = match library.deck(id) {
            Some(loaded) => self.screens.editor.open(&loaded.deck, &loaded.origin),
            None => Err(format!("There is no deck \"{id}\" any more.")),
        };
        self.opened(opened);
    }

    pub(super) fn edit_deck_file(&mut self, path: &Path) {
        if self.editor_free() {
            let opened = self.screens.editor.open_file(path);
            self.opened(opened);
        }
    }

    fn opened(&mut self, opened: Result<(), String>) {
        match opened {
            Ok(()) => self.go_to(Screen::Editor),
            Err(message) => self.screens.home.set_notice(Notice::error(message)),
        }
    }

    /// Copies a deck into the deck folder (undoable); the home screen tells of it.
    pub(super) fn duplicate_deck(&mut self, id: &str) {
        let dir = deck::user_deck_dir(&self.shared.data_dir);
        let mut cx = self.shared.context(self.time);
        match cx.apply(|col| col.duplicate_deck(id, &dir)) {
            Ok(copy) => {
                let title = cx
                    .library()
                    .deck(&copy)
                    .map(|d| d.deck.title.clone())
                    .unwrap_or(copy);
                let notice =
                    Notice::success(format!("Made \"{title}\": edit it or study it on its own."));
                self.screens.home.offer_undo(notice, &cx);
            }
            Err(err) => {
                let message = crate::ui::messages::collection("The deck was not copied", &err);
                self.screens.home.set_notice(Notice::error(message));
            }
        }
        self.go_to(Screen::Home);
    }

    /// Loads a deck the editor saved in place of its earlier version: a clean deck can be
    /// studied at once; a draft with problems shows on the home screen with them.
    pub(super) fn deck_saved(&mut self, path: &Path) {
        let out = self.shared.col.deck_file_changed(path);
        self.shared.changes |= out.changes;
        if let Err(DeckProblem::SameId { id, other }) = out.output {
            let place =
                other.map_or_else(|| format!("the bundled deck \"{id}\""), |p| file_name(&p));
            self.screens.editor.set_notice(Notice::warning(format!(
                "Saved, but {place} has the same deck id \"{id}\": change this deck's id to study it.",
            )));
        }
    }
}
