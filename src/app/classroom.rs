//! A class's work the window does for its screens: the class opened on its own connection to
//! the profile's database (as the warm-up serves it, and as a class's live game is logged under
//! the students' names).

use chrono::{DateTime, Utc};
use flashdrill_core::class::Classroom;
use flashdrill_core::collection::Changes;
use flashdrill_core::drill::LogEntry;
use flashdrill_core::store::Store;
use flashdrill_live::engine::ResultRow;

use super::FlashdrillApp;
use crate::ui::notice::Notice;

impl FlashdrillApp {
    /// The class called `class`, on a connection of its own to the open profile's database.
    pub(super) fn open_classroom(&self, class: &str) -> Result<Classroom, String> {
        let s = &self.shared;
        let (Some(profiles), Some(info)) = (s.profiles.as_ref(), s.profile.as_ref()) else {
            return Err("no profile is open".to_owned());
        };
        let store =
            Store::open_another(&profiles.db_path(&info.slug)).map_err(|e| e.to_string())?;
        Classroom::open(store, class, s.col.library()).map_err(|e| e.to_string())
    }

    /// A live game played by the class `class` was closed: each student's answers, logged under
    /// their name as `drill` answers in their own log. Says what was done on the drill screen.
    pub(super) fn log_class_game(
        &mut self,
        class: &str,
        game_id: &str,
        rows: &[ResultRow],
        entries: &[LogEntry],
        at: DateTime<Utc>,
    ) {
        let logged = self.open_classroom(class).and_then(|mut room| {
            flashdrill_live::questions::record_class_game(&mut room, game_id, rows, entries, at)
                .map_err(|e| e.to_string())
        });
        let notice = match logged {
            Ok(n) => {
                // The class's report reads the answers next time it is drawn.
                self.shared.changes |= Changes::CLASSES;
                Notice::info(format!(
                    "{n} answers were kept under the students' names in \"{class}\"."
                ))
            }
            Err(why) => Notice::error(format!(
                "The game's answers could not be kept under the names of \"{class}\": {why}"
            )),
        };
        self.screens.drill.set_notice(notice);
    }
}
