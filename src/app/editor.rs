//! The shell's commands for the deck editor: opening a deck or a new one, taking in a saved
//! deck, and the unsaved-changes guard when leaving the editor.

use std::path::Path;
use std::sync::Arc;

use super::{AppCommand, FlashdrillApp, Screen};
use crate::ui::notice::{Notice, file_name};
use flashdrill_core::deck::{self, Origin};

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

    /// Carries out the deck editor's commands (and ignores any other).
    pub(super) fn handle_editor(&mut self, command: AppCommand) {
        let deck_dir = deck::user_deck_dir(&self.shared.data_dir);
        self.screens.editor.set_deck_dir(deck_dir);
        match command {
            AppCommand::LeaveEditor(screen) => self.go_to(screen),
            AppCommand::DeckSaved(path) => self.deck_saved(&path),
            _ if self.screens.editor.is_dirty() => {
                // Never drop unsaved work: show it and say so.
                self.screens.editor.set_notice(Notice::warning(
                    "Save or undo the changes to this deck before opening another.",
                ));
                self.go_to(Screen::Editor);
            }
            AppCommand::NewDeck { from_article } => {
                self.screens.editor.start_new(from_article);
                self.go_to(Screen::Editor);
            }
            AppCommand::EditDeck(id) => {
                let library = Arc::clone(&self.shared.library);
                let opened = match library.deck(&id) {
                    Some(loaded) => self.screens.editor.open(&loaded.deck, &loaded.origin),
                    None => Err(format!("There is no deck \"{id}\" any more.")),
                };
                self.opened(opened);
            }
            AppCommand::EditDeckFile(path) => {
                let opened = self.screens.editor.open_file(&path);
                self.opened(opened);
            }
            _ => {}
        }
    }

    fn opened(&mut self, opened: Result<(), String>) {
        match opened {
            Ok(()) => self.go_to(Screen::Editor),
            Err(message) => self.screens.home.set_notice(Notice::error(message)),
        }
    }

    /// Loads a deck the editor saved in place of its earlier version: a clean deck can be
    /// studied at once; a draft with problems shows on the home screen with them.
    fn deck_saved(&mut self, path: &Path) {
        let s = &mut self.shared;
        let loaded = deck::load_file(path);
        let library = Arc::make_mut(&mut s.library);
        library
            .decks
            .retain(|d| !matches!(&d.origin, Origin::User(p) if p == path));
        library.failures.retain(|f| f.path != path);
        if let Ok(deck) = &loaded
            && let Some(other) = library.deck(&deck.id)
        {
            let place = match &other.origin {
                Origin::Bundled => format!("the bundled deck \"{}\"", deck.id),
                Origin::User(p) => file_name(p),
            };
            self.screens.editor.set_notice(Notice::warning(format!(
                "Saved, but {place} has the same deck id \"{}\": change this deck's id to study it.",
                deck.id
            )));
        }
        library.add(path, Origin::User(path.to_path_buf()), loaded);
        s.generation += 1;
    }
}
