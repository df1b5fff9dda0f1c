//! The shell's part of importing: the file dialog, dropped files, sending flashdrill decks to
//! be checked and copied and everything else to the import screen, and reloading the decks
//! after an import wrote some.

use std::path::PathBuf;

use super::{FlashdrillApp, Screen};
use crate::ui::file_ask::FileAsk;
use crate::ui::import::{import_filters, is_flashdrill_deck};
use crate::ui::notice::Notice;
use flashdrill_core::deck;

impl FlashdrillApp {
    /// Asks for files to import (one dialog at a time).
    pub(super) fn open_deck_dialog(&mut self) {
        if self.open_dialog.is_some() {
            return;
        }
        let ask = import_filters()
            .into_iter()
            .fold(FileAsk::open_many("Import"), |ask, (name, extensions)| {
                ask.filter(name, &extensions)
            });
        self.open_dialog = Some(self.shared.files.choose_files(&self.shared.jobs, ask));
    }

    /// Loads the deck folder (and the bundled decks) off the UI thread; the decks on show are
    /// replaced when it is done.
    pub(super) fn load_decks(&mut self) {
        let user_dir = deck::user_deck_dir(&self.shared.data_dir);
        self.deck_load = Some(self.shared.jobs.spawn_with_progress(move |progress| {
            deck::load_library_with_progress(&[user_dir], true, &mut |done, total| {
                progress.report(done, total);
            })
        }));
    }

    /// flashdrill decks are checked and copied in at once (the outcome shows on the home
    /// screen); Anki packages and text files go to the import screen, which converts them off
    /// the UI thread.
    pub(super) fn import_files(&mut self, paths: Vec<PathBuf>) {
        let (decks, others): (Vec<PathBuf>, Vec<PathBuf>) =
            paths.into_iter().partition(|p| is_flashdrill_deck(p));
        for path in &decks {
            self.import_deck(path);
        }
        let in_session = matches!(self.screen, Screen::Study | Screen::Summary | Screen::Drill);
        if others.is_empty() {
            // A session or a drill under way stays on; the outcome waits on the home screen.
            if !decks.is_empty() && !in_session && self.screen != Screen::Home {
                self.go_to(Screen::Home);
            }
            return;
        }
        if in_session {
            self.screens.home.set_notice(Notice::warning(
                "Finish or leave this session first, then import the files again.",
            ));
            return;
        }
        let data_dir = self.shared.data_dir.clone();
        let mut cx = self.shared.context(self.time);
        self.screens.import.start(others, &data_dir, &mut cx);
        self.go_to(Screen::Import);
    }

    pub(super) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            self.import_files(dropped);
        }
    }
}
