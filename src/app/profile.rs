//! The shell's commands on profiles and decks: opening a profile (or the recovery screen when
//! its database is damaged), switching, creating, renaming and deleting profiles, restoring a
//! backup, and importing a deck file.

use std::path::Path;

use chrono::Local;

use super::{FlashdrillApp, Screen};
use crate::ui::messages;
use crate::ui::notice::{Notice, file_name};
use flashdrill_core::collection::{Changes, DeckProblem};
use flashdrill_core::deck::{self, ImportError};
use flashdrill_core::settings::Settings;
use flashdrill_core::store::profiles::ProfileError;
use flashdrill_core::store::{Store, StoreError};

/// The size from which a profile from an older flashdrill is updated on a thread (about 10,000
/// answers of schema 1).
const UPDATE_ON_A_THREAD: u64 = 4 * 1024 * 1024;

impl FlashdrillApp {
    /// Opens the requested profile (default: the last used); on failure shows the recovery
    /// screen.
    pub(super) fn open_profile(&mut self, requested: Option<&str>) {
        let s = &mut self.shared;
        let Some(profiles) = s.profiles.as_mut() else {
            return;
        };
        let today = Local::now().date_naive();
        // A large profile an older flashdrill wrote is brought up to date on a thread first (a
        // long history takes seconds, once), with a word on the home screen meanwhile; a small
        // one is updated as it opens, in a blink.
        if s.jobs.is_background()
            && let Ok(info) = profiles.choose(requested)
        {
            let db = profiles.db_path(&info.slug);
            let large = std::fs::metadata(&db).is_ok_and(|m| m.len() >= UPDATE_ON_A_THREAD);
            if large && Store::needs_update(&db) {
                let asked = requested.map(str::to_owned);
                self.profile_update = Some(s.jobs.spawn(move || {
                    // An update that fails is reported by the open that follows.
                    let _ = Store::open_another(&db);
                    asked
                }));
                s.changes |= s.col.open(None, Settings::default());
                self.screens.home.set_notice(Notice::info(format!(
                    "Bringing {}'s progress up to date for this version of flashdrill. This \
                     happens once; a long history takes a few seconds.",
                    info.name
                )));
                return;
            }
        }
        // The whole-file check and the daily backup read the whole database: they run after
        // the first frame, on their own thread (`upkeep`).
        let opened = profiles.choose(requested).and_then(|info| {
            let store = profiles.open_deferred(&info.slug)?;
            // The window's connection lives for hours: no file pages left mapped.
            store.read_through_page_cache()?;
            let (db, backups) = profiles.upkeep_job(&info.slug)?;
            Ok((info, store, db, backups))
        });
        match opened {
            Ok((info, store, db, backups)) => {
                let settings = store.load_settings().unwrap_or_else(|err| {
                    self.screens
                        .home
                        .set_notice(Notice::warning(messages::store(
                            "Your settings could not be read, so the defaults are in use",
                            &err,
                        )));
                    Settings::default()
                });
                s.changes |= s.col.open(Some(store), settings);
                s.profile = Some(info);
                // A profile opened syncs as soon as its decks are in.
                s.sync = super::sync::SyncStatus::default();
                self.upkeep_waiting = Some((db, backups, today));
                if self.drawn {
                    self.start_upkeep();
                }
                if self.screen == Screen::Recovery {
                    self.screen = Screen::Home;
                }
            }
            Err(err) => {
                s.changes |= s.col.open(None, Settings::default());
                self.show_recovery(requested, &err);
            }
        }
    }

    /// What the first frame does not need starts once it is on screen: loading the decks and
    /// the profile's whole-file check and daily backup. The first frame asks for a second.
    pub(super) fn start_after_first_frame(&mut self, ctx: &egui::Context) {
        if self.drawn {
            return;
        }
        if self.applied_look.is_some() && ctx.cumulative_pass_nr() > 0 {
            self.drawn = true;
            self.load_decks();
            self.start_upkeep();
        } else {
            ctx.request_repaint();
        }
    }

    fn start_upkeep(&mut self) {
        if let Some((db, backups, today)) = self.upkeep_waiting.take() {
            self.upkeep = Some(
                self.shared
                    .jobs
                    .spawn(move || flashdrill_core::store::profiles::upkeep(&db, &backups, today)),
            );
        }
    }

    /// The profile could not be opened (or its check found it damaged): the recovery screen.
    pub(super) fn show_recovery(&mut self, requested: Option<&str>, err: &ProfileError) {
        let s = &mut self.shared;
        let backup = match err {
            ProfileError::Store(StoreError::Corrupt { newest_backup, .. }) => newest_backup.clone(),
            _ => None,
        };
        s.profile = requested
            .and_then(|r| s.profiles.as_ref().and_then(|p| p.find(r).cloned()))
            .or_else(|| s.profiles.as_ref().and_then(|p| p.last_used().cloned()));
        self.screens.recovery.set(recovery_message(err), backup);
        self.screen = Screen::Recovery;
    }

    /// The profile's whole-file check found it damaged after it was opened: the window lets
    /// go of it (the file was moved aside) and offers the newest backup.
    pub(super) fn upkeep_failed(&mut self, err: &ProfileError) {
        if matches!(err, ProfileError::Store(StoreError::Corrupt { .. })) {
            self.end_session();
            let s = &mut self.shared;
            s.changes |= s.col.open(None, Settings::default());
            let slug = self.shared.profile.as_ref().map(|p| p.slug.clone());
            self.show_recovery(slug.as_deref(), err);
        } else {
            self.screens
                .home
                .set_notice(Notice::warning(messages::profile(
                    "Today's backup of your progress could not be made",
                    err,
                )));
        }
    }

    /// Ends any session, closes the open profile and opens `slug`; then the decks show.
    fn reopen(&mut self, slug: &str) {
        self.end_session();
        self.open_profile(Some(slug));
        if self.screen != Screen::Recovery {
            self.go_to(Screen::Home);
        }
    }

    pub(super) fn switch_profile(&mut self, slug: &str) {
        self.reopen(slug);
    }

    pub(super) fn create_profile(&mut self, name: &str) {
        let created = self.shared.profiles.as_mut().map(|p| p.create(name));
        match created {
            Some(Ok(info)) => {
                self.reopen(&info.slug);
                self.screens.home.set_notice(Notice::success(format!(
                    "Created profile \"{}\".",
                    info.name
                )));
            }
            Some(Err(err)) => self.profile_error("The profile could not be created", &err),
            None => {}
        }
    }

    pub(super) fn rename_profile(&mut self, name: &str) {
        let Some(slug) = self.shared.profile.as_ref().map(|p| p.slug.clone()) else {
            return;
        };
        let renamed = self
            .shared
            .profiles
            .as_mut()
            .map(|p| p.rename(&slug, name).map(|()| p.find(&slug).cloned()));
        match renamed {
            Some(Ok(info)) => {
                self.shared.profile = info;
                self.shared.changes |= Changes::PROFILE;
            }
            Some(Err(err)) => self.profile_error("The profile could not be renamed", &err),
            None => {}
        }
    }

    pub(super) fn delete_profile(&mut self, slug: &str) {
        let deleted = self.shared.profiles.as_mut().map(|p| p.delete(slug));
        match deleted {
            Some(Ok(_)) => self.screens.home.set_notice(Notice::success(
                "Profile deleted (its database was moved to the trash folder).",
            )),
            Some(Err(err)) => self.profile_error("The profile could not be deleted", &err),
            None => {}
        }
    }

    fn profile_error(&mut self, doing: &str, err: &ProfileError) {
        self.screens
            .settings
            .set_error("profile", messages::profile(doing, err));
    }

    /// Puts `backup` in place of the damaged database and opens it.
    pub(super) fn restore_backup(&mut self, backup: &Path) {
        let Some(slug) = self.shared.profile.as_ref().map(|p| p.slug.clone()) else {
            return;
        };
        let restored = self
            .shared
            .profiles
            .as_ref()
            .map(|p| p.restore_backup(&slug, backup));
        match restored {
            Some(Ok(())) => {
                self.open_profile(Some(&slug));
                self.screens.home.set_notice(Notice::success(
                    "Your progress was restored from the backup.",
                ));
            }
            Some(Err(err)) => self.screens.recovery.set(
                messages::profile("The backup could not be restored", &err),
                None,
            ),
            None => {}
        }
    }

    /// Checks a deck file, copies it into the deck folder and loads it; says how it went on
    /// the home screen.
    pub(super) fn import_deck(&mut self, path: &Path) {
        let s = &mut self.shared;
        let library = s.col.library();
        let existing: Vec<&str> = library.decks.iter().map(|d| d.deck.id.as_str()).collect();
        let copied = deck::import_deck_file(path, &deck::user_deck_dir(&s.data_dir), &existing);
        let notice = match copied {
            Ok(copied) => {
                let out = s.col.deck_file_changed(&copied);
                s.changes |= out.changes;
                match out.output {
                    Ok((title, n)) => Notice::success(format!(
                        "Added \"{title}\" ({n} {}).",
                        if n == 1 { "card" } else { "cards" }
                    )),
                    Err(DeckProblem::Invalid(err)) => Notice::error(messages::deck_file(&err)),
                    Err(DeckProblem::SameId { id, .. }) => {
                        Notice::error(messages::import(&ImportError::DuplicateId {
                            path: path.to_path_buf(),
                            id,
                        }))
                    }
                }
            }
            Err(err) => Notice::error(messages::import(&err)),
        };
        self.screens.home.set_notice(notice);
    }
}

/// Why the profile could not be opened, naming files by their names.
fn recovery_message(err: &ProfileError) -> String {
    match err {
        ProfileError::Store(StoreError::Corrupt {
            path,
            moved_to,
            detail,
            newest_backup,
        }) => {
            let backup = newest_backup.as_deref().map_or_else(
                || "there is no backup".to_owned(),
                |b| format!("the newest backup is {}", file_name(b)),
            );
            format!(
                "{} is damaged ({detail}); it was moved aside as {}; {backup}.",
                file_name(path),
                file_name(moved_to)
            )
        }
        other => messages::profile("Your progress could not be opened", other),
    }
}
