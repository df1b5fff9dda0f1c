//! The live class on the projector: students answer the drill on their own phones. The drill
//! screen owns a [`LiveClass`] (the [`LiveGame`] server and what the projector keeps of it);
//! the views here draw one snapshot of the game per frame (`live_join.rs`: the join screen;
//! `live_play.rs`: the question, the reveal and the leaderboard; `live_podium.rs`: the end)
//! and say what the teacher asked for as [`DrillAction`]s.
//!
//! Keys (listed on screen): Space / Enter start the game, reveal the answer, then go on; E ends
//! early (asks first); F11 switches full screen; Esc leaves (asks first). The server keeps the
//! time: a question is revealed when its countdown runs out or every connected student
//! answered, whatever the projector does.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use egui::{RichText, Ui};
use flashdrill_live::questions::live_questions;
use flashdrill_live::{LiveConfig, LiveGame, LiveSnapshot, Phase};

use super::setup::{Confirm, DEFAULT_SECONDS, DrillAction, DrillState};
use crate::ui::commands::Command;
use crate::ui::notice::Notice;
use crate::ui::theme::{Palette, size};
use flashdrill_core::deck::Card;
use flashdrill_core::drill::{DrillSetup, LogEntry};

/// Once the podium shows, the server keeps listening this long, so that every phone gets its
/// final place; then it stops.
pub const FINISHED_GRACE: Duration = Duration::from_secs(10);

/// Keys while a live game runs, as listed on the projector.
pub const LIVE_KEY_LEGEND: &str =
    "Space: start, reveal, then next · E: end · F11: full screen · Esc: leave";

/// A live game under way and what the projector keeps of it.
pub(super) struct LiveClass {
    /// The server (stopped a little after the podium showed; the game stays readable).
    game: LiveGame,
    pin: String,
    /// The join address's QR code (none when the address is too long for one).
    qr: Option<Vec<Vec<bool>>>,
    /// Question index → the review-log rows recorded for it.
    logged: BTreeMap<usize, Vec<i64>>,
    /// When the podium first showed.
    finished_at: Option<Instant>,
    /// The phase and question the log was last brought up to date at (questions are revealed
    /// only as the phase changes).
    synced: Option<(Phase, usize)>,
    /// The game as of this frame.
    snap: LiveSnapshot,
    /// The class playing, under its roster's names (`None`: nicknames).
    pub(super) class: Option<String>,
    /// Makes the ids of the answers logged under the students' names.
    pub(super) game_id: String,
}

impl LiveClass {
    /// Makes the questions (the core's drill builder, as the projector drill) and starts
    /// serving the game on `port` at `bind`. The error says what failed and what to do.
    pub(super) fn start(
        setup: &DrillSetup,
        port: u16,
        bind: IpAddr,
        decks: &[(&str, &[Card])],
        seed: u64,
        roster: Option<Vec<String>>,
        class: Option<String>,
    ) -> Result<(Self, usize), String> {
        let questions = live_questions(setup, decks, seed).map_err(|err| err.to_string())?;
        let made = questions.len();
        let config = LiveConfig {
            pin: None,
            port,
            bind,
            seconds: setup.time_limit.unwrap_or(DEFAULT_SECONDS),
            auto: None,
            roster,
        };
        let game = LiveGame::start(questions, &config).map_err(|err| err.to_string())?;
        let qr = flashdrill_live::qr_matrix(game.join_url()).ok();
        let snap = game.snapshot();
        Ok((
            Self {
                pin: game.pin(),
                game,
                qr,
                logged: BTreeMap::new(),
                finished_at: None,
                synced: None,
                snap,
                class,
                game_id: format!("game-{}", chrono::Utc::now().timestamp_millis()),
            },
            made,
        ))
    }

    /// The server behind the game (for tests: its address).
    pub(super) fn game(&self) -> &LiveGame {
        &self.game
    }

    /// Takes this frame's snapshot; stops listening a little after the podium showed.
    pub(super) fn refresh(&mut self) {
        self.snap = self.game.snapshot();
        if self.snap.game.phase == Phase::Finished {
            let since = *self.finished_at.get_or_insert_with(Instant::now);
            if since.elapsed() >= FINISHED_GRACE && self.game.is_listening() {
                self.game.stop_listening();
            }
        }
    }

    pub(super) fn snapshot(&self) -> &LiveSnapshot {
        &self.snap
    }

    /// Carries out one of the teacher's actions on the game; false when it did not apply.
    pub(super) fn act(&mut self, action: &DrillAction) -> bool {
        use flashdrill_live::Command as Game;
        let command = match action {
            DrillAction::Reveal => Game::Reveal,
            DrillAction::Next => Game::Next,
            DrillAction::End => Game::End,
            DrillAction::RemovePlayer(id) => Game::Remove(*id),
            _ => return false,
        };
        let done = self.game.command(command);
        self.refresh();
        done
    }

    /// The revealed questions not logged yet (looked for once per change of phase).
    pub(super) fn unlogged(&mut self) -> Vec<LogEntry> {
        let at = (self.snap.game.phase, self.snap.game.question);
        if self.synced == Some(at) {
            return Vec::new();
        }
        self.synced = Some(at);
        self.game
            .log_entries()
            .into_iter()
            .filter(|e| !self.logged.contains_key(&e.question))
            .collect()
    }

    pub(super) fn logged(&mut self, question: usize, ids: Vec<i64>) {
        self.logged.insert(question, ids);
    }

    pub(super) fn results_csv(&self) -> String {
        self.game.results_csv()
    }

    /// What the views draw.
    pub(super) fn view<'a>(&'a self, notice: Option<&'a Notice>) -> LiveView<'a> {
        LiveView {
            snap: &self.snap,
            join_url: self.game.join_url(),
            pin: &self.pin,
            qr: self.qr.as_deref(),
            notice,
            listening: self.game.is_listening(),
        }
    }

    /// Whether the projector should keep repainting (the game moves on by itself).
    pub(super) fn is_live(&self) -> bool {
        self.game.is_listening()
    }
}

/// One frame of the live game, for the views.
pub(super) struct LiveView<'a> {
    pub snap: &'a LiveSnapshot,
    pub join_url: &'a str,
    pub pin: &'a str,
    pub qr: Option<&'a [Vec<bool>]>,
    pub notice: Option<&'a Notice>,
    /// The server still listens (it stops a little after the podium showed).
    pub listening: bool,
}

impl DrillState {
    /// Draws the live game; returns what the teacher asked for.
    pub(super) fn live(&mut self, ui: &mut Ui, view: &LiveView<'_>) -> Option<DrillAction> {
        let palette = Palette::of(ui.visuals());
        let phase = view.snap.game.phase;
        match phase {
            Phase::Lobby => self.live_join(ui, view, &palette),
            Phase::Question | Phase::Reveal => self.live_question(ui, view, &palette),
            Phase::Leaderboard => self.live_leaderboard(ui, view, &palette),
            Phase::Finished => self.live_podium(ui, view, &palette),
        }
    }

    /// A command from the app's table while a live game runs.
    pub(super) fn live_command(
        &mut self,
        snap: &LiveSnapshot,
        command: Command,
    ) -> Option<DrillAction> {
        if let ControlFlow::Break(action) = self.confirm_command(command) {
            return action;
        }
        match (command, snap.game.phase) {
            (Command::Primary, Phase::Lobby) if snap.game.players.is_empty() => None,
            (Command::Primary, Phase::Question) => Some(DrillAction::Reveal),
            (Command::Primary, Phase::Lobby | Phase::Reveal | Phase::Leaderboard) => {
                Some(DrillAction::Next)
            }
            (Command::EndEarly, phase) if phase != Phase::Finished => {
                self.confirm = Some(Confirm::End);
                None
            }
            (Command::Back, _) => {
                self.confirm = Some(Confirm::Leave);
                None
            }
            _ => None,
        }
    }

    /// The confirm question (end, leave) and the notice, above a live view.
    pub(super) fn live_banners(
        &mut self,
        ui: &mut Ui,
        view: &LiveView<'_>,
        palette: &Palette,
        action: &mut Option<DrillAction>,
    ) {
        if let Some(notice) = view.notice {
            ui.label(
                RichText::new(&notice.text)
                    .size(size::HEADING)
                    .color(notice.colour(palette)),
            );
        }
        if let Some(confirm) = self.confirm {
            self.confirm_banner(ui, confirm, palette, action);
        }
    }
}

/// "1 student", "12 students".
pub(super) fn students(n: usize) -> String {
    if n == 1 {
        "1 student".to_owned()
    } else {
        format!("{n} students")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn student_counts_read_well() {
        assert_eq!(students(0), "0 students");
        assert_eq!(students(1), "1 student");
        assert_eq!(students(12), "12 students");
    }
}
