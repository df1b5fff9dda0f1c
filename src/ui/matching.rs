//! The matching question: names on the left, their roles on the right (shuffled); pair them.
//!
//! Mouse: click a name, then its role. Keyboard: a letter (A–F) selects a name, a digit (1–6)
//! picks a role; the letters and digits are shown on the buttons. They arrive as
//! [`Command::SelectName`] and [`Command::PickRole`] through the app's command table.
//! A wrong pair flashes in the "wrong" colour for a moment, is named in words until the next
//! try, and can be tried again; matched pairs turn the "right" colour and are disabled. Once
//! every name is paired, the pairs show side by side with what was tried first. The score
//! counts names paired on the first try ([`MatchingGame::score`]).

use std::time::Duration;

use egui::{RichText, Stroke, Ui};

use super::commands::{self, Command};
use super::theme::{Palette, size};
use super::widgets;
use flashdrill_core::quiz::{Matching, MatchingGame, PairResult};

/// How long a wrong pair stays painted in the "wrong" colour, in seconds.
pub const FLASH_SECS: f64 = 0.6;

/// The names' letters, as their keys in the command table.
const LETTERS: [char; 6] = ['A', 'B', 'C', 'D', 'E', 'F'];

/// What the learner did with a matching question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchingAction {
    /// Every name is paired: the app logs the question.
    Finished {
        /// For each name (left item): paired on the first try.
        first_try: Vec<bool>,
        /// For each name: the role first tried with it.
        first_picks: Vec<Option<String>>,
        /// (names right on the first try, names).
        score: (usize, usize),
        response_ms: u64,
    },
    /// Go on to the next question.
    Continue,
}

/// A wrong pair being flashed.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Flash {
    left: usize,
    right: usize,
    until: f64,
}

/// The widget's state for one matching question (it plays the [`MatchingGame`]).
#[derive(Debug, Clone, PartialEq)]
pub struct MatchingState {
    game: MatchingGame,
    selected_left: Option<usize>,
    flash: Option<Flash>,
    /// For each name, the right index first tried with it.
    first_picks: Vec<Option<usize>>,
    /// The last pair tried, when it was wrong (until the next try): what to tell the learner.
    missed: Option<(usize, usize)>,
    shown_at: Option<f64>,
    finished: bool,
}

impl MatchingState {
    #[must_use]
    pub fn new(matching: Matching) -> Self {
        let n = matching.left.len();
        Self {
            game: MatchingGame::new(matching),
            selected_left: None,
            flash: None,
            first_picks: vec![None; n],
            missed: None,
            shown_at: None,
            finished: false,
        }
    }

    #[must_use]
    pub fn game(&self) -> &MatchingGame {
        &self.game
    }

    /// The name selected, waiting for its role.
    #[must_use]
    pub fn selected_left(&self) -> Option<usize> {
        self.selected_left
    }

    /// Every name is paired.
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The wrong pair being flashed at `now`, if any.
    #[must_use]
    pub fn flashing(&self, now: f64) -> Option<(usize, usize)> {
        self.flash
            .filter(|f| now < f.until)
            .map(|f| (f.left, f.right))
    }

    /// Selects a name (ignored when it is already paired or out of range).
    pub fn select_left(&mut self, left: usize) {
        if !self.finished && left < self.first_picks.len() && !self.game.is_left_done(left) {
            self.selected_left = Some(left);
        }
    }

    /// Pairs the selected name with role `right`. A wrong pair flashes and the name stays
    /// selected; the last right pair finishes the question.
    pub fn pick_right(&mut self, right: usize, now: f64) -> Option<MatchingAction> {
        let left = self.selected_left?;
        if self.finished || right >= self.game.matching().right.len() {
            return None;
        }
        let result = self.game.try_pair(left, right);
        if result != PairResult::AlreadyDone && self.first_picks[left].is_none() {
            self.first_picks[left] = Some(right);
        }
        match result {
            PairResult::Right => {
                self.selected_left = None;
                self.flash = None;
                self.missed = None;
                if self.game.is_done() {
                    self.finished = true;
                    return Some(self.finished_action(now));
                }
            }
            PairResult::Wrong => {
                self.missed = Some((left, right));
                self.flash = Some(Flash {
                    left,
                    right,
                    until: now + FLASH_SECS,
                });
            }
            PairResult::AlreadyDone => {}
        }
        None
    }

    fn finished_action(&self, now: f64) -> MatchingAction {
        let right = &self.game.matching().right;
        MatchingAction::Finished {
            first_try: self.game.first_try(),
            first_picks: self
                .first_picks
                .iter()
                .map(|p| p.and_then(|r| right.get(r).cloned()))
                .collect(),
            score: self.game.score(),
            response_ms: self
                .shown_at
                .map_or(0, |t| ((now - t).max(0.0) * 1000.0) as u64),
        }
    }

    /// Applies a command from the app's table: A–F select a name, 1–6 pick a role, Enter goes
    /// on once finished.
    pub fn command(&mut self, command: Command, now: f64) -> Option<MatchingAction> {
        match command {
            Command::SelectName(n) if !self.finished => {
                self.select_left(usize::from(n.saturating_sub(1)));
                None
            }
            Command::PickRole(n) if !self.finished => {
                self.pick_right(usize::from(n.saturating_sub(1)), now)
            }
            Command::Primary if self.finished => Some(MatchingAction::Continue),
            _ => None,
        }
    }

    /// Draws the question; returns what the learner asked for.
    pub fn show(&mut self, ui: &mut Ui) -> Option<MatchingAction> {
        let now = ui.input(|i| i.time);
        if self.shown_at.is_none() {
            self.shown_at = Some(now);
        }
        let mut action = None;
        let palette = Palette::of(ui.visuals());
        let flashing = self.flashing(now);
        if let Some(flash) = self.flash {
            if flashing.is_some() {
                ui.ctx()
                    .request_repaint_after(Duration::from_secs_f64((flash.until - now).max(0.0)));
            } else {
                self.flash = None;
            }
        }

        ui.label(
            RichText::new("Match each name with its role")
                .size(size::PROMPT)
                .strong()
                .color(palette.text),
        );
        if !self.finished {
            ui.label(
                RichText::new(
                    "Click a name, then its role — or press the name's letter, then the role's \
                     number.",
                )
                .color(palette.muted)
                .small(),
            );
        }
        ui.add_space(8.0);

        let matching = self.game.matching().clone();
        if self.finished {
            pairs(ui, &matching, &self.first_picks, &palette);
            ui.add_space(10.0);
            let (right, total) = self.game.score();
            let colour = if right == total {
                palette.right
            } else {
                palette.warn
            };
            ui.label(
                RichText::new(format!("{right} of {total} right on the first try"))
                    .strong()
                    .size(size::BODY + 2.0)
                    .color(colour),
            );
            ui.add_space(8.0);
            let label = format!("Continue ({})", commands::keys(Command::Primary));
            if widgets::primary_button(ui, &label, &palette)
                .on_hover_text("Next question (Enter)")
                .clicked()
            {
                action = Some(MatchingAction::Continue);
            }
            return action;
        }
        let mut clicked_left = None;
        let mut clicked_right = None;
        ui.columns(2, |cols| {
            for (i, name) in matching.left.iter().enumerate() {
                let letter = LETTERS.get(i).copied().unwrap_or(' ');
                let done = self.game.is_left_done(i);
                let wrong = flashing.is_some_and(|(l, _)| l == i);
                let selected = self.selected_left == Some(i) && !done;
                let response = item_button(
                    &mut cols[0],
                    &format!("{letter}. {name}"),
                    done,
                    wrong,
                    selected,
                    &palette,
                )
                .on_hover_text(format!("Select this name (key {letter})"));
                if response.clicked() {
                    clicked_left = Some(i);
                }
            }
            for (j, role) in matching.right.iter().enumerate() {
                let done = self.game.is_right_done(j);
                let wrong = flashing.is_some_and(|(_, r)| r == j);
                let response = item_button(
                    &mut cols[1],
                    &format!("{}. {role}", j + 1),
                    done,
                    wrong,
                    false,
                    &palette,
                )
                .on_hover_text(format!(
                    "Pair the selected name with this role (key {})",
                    j + 1
                ));
                if response.clicked() {
                    clicked_right = Some(j);
                }
            }
        });
        ui.add_space(6.0);
        // A wrong pair says so until the next try, in words as well as in colour.
        if let Some((l, r)) = self.missed
            && let (Some(name), Some(role)) = (matching.left.get(l), matching.right.get(r))
        {
            ui.add(
                egui::Label::new(
                    RichText::new(format!(
                        "Not a pair: {name} is not \"{role}\". Try another role."
                    ))
                    .color(palette.wrong),
                )
                .wrap(),
            );
        }
        if let Some(i) = clicked_left {
            self.select_left(i);
        }
        if let Some(j) = clicked_right {
            action = action.or(self.pick_right(j, now));
        }
        action
    }
}

/// The finished question: each name beside its role, with whether it was right on the first
/// try or what was tried first.
fn pairs(ui: &mut Ui, matching: &Matching, first_picks: &[Option<usize>], palette: &Palette) {
    egui::Grid::new("matching-pairs")
        .num_columns(3)
        .spacing([16.0, 8.0])
        .striped(true)
        .show(ui, |ui| {
            for (i, name) in matching.left.iter().enumerate() {
                let Some(role) = matching.pairs.get(i).and_then(|&r| matching.right.get(r)) else {
                    continue;
                };
                let first = first_picks.get(i).copied().flatten();
                let missed = first.filter(|&f| Some(&f) != matching.pairs.get(i));
                ui.label(RichText::new(name).strong().size(size::BODY + 1.0));
                ui.add(egui::Label::new(RichText::new(role).size(size::BODY + 1.0)).wrap());
                match missed.and_then(|f| matching.right.get(f)) {
                    Some(tried) => ui.label(
                        RichText::new(format!("Missed: first tried {tried}")).color(palette.wrong),
                    ),
                    None => ui.label(RichText::new("Right the first time").color(palette.right)),
                };
                ui.end_row();
            }
        });
}

/// A name or role button: right colour and disabled once paired, wrong colour while flashing,
/// accent outline while selected.
fn item_button(
    ui: &mut Ui,
    text: &str,
    done: bool,
    wrong: bool,
    selected: bool,
    palette: &Palette,
) -> egui::Response {
    let colour = if wrong {
        Some(palette.wrong)
    } else if done {
        Some(palette.right)
    } else if selected {
        Some(palette.accent)
    } else {
        None
    };
    let mut rich = RichText::new(text).size(size::BODY + 1.0);
    if let Some(c) = colour {
        rich = rich.color(c);
    }
    let mut button = egui::Button::new(rich)
        .wrap()
        .selected(selected)
        .min_size(egui::vec2(ui.available_width(), 38.0));
    if let Some(c) = colour {
        button = button.stroke(Stroke::new(2.0, c));
    }
    if wrong {
        button = button.fill(palette.wrong.gamma_multiply(0.2));
    }
    ui.add_enabled(!done, button)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matching() -> Matching {
        // left i belongs with right pairs[i].
        Matching {
            card_ids: vec!["a".into(), "b".into(), "c".into(), "d".into()],
            left: vec!["A0".into(), "A1".into(), "A2".into(), "A3".into()],
            right: vec!["R2".into(), "R0".into(), "R3".into(), "R1".into()],
            pairs: vec![1, 3, 0, 2],
        }
    }

    #[test]
    fn a_right_pair_clears_the_selection() {
        let mut s = MatchingState::new(matching());
        assert_eq!(
            s.pick_right(1, 0.0),
            None,
            "no name selected: nothing happens"
        );
        assert!(!s.game().is_left_done(0));
        s.select_left(0);
        assert_eq!(s.selected_left(), Some(0));
        assert_eq!(s.pick_right(1, 0.0), None);
        assert!(s.game().is_left_done(0) && s.game().is_right_done(1));
        assert_eq!(s.selected_left(), None);
        s.select_left(0);
        assert_eq!(s.selected_left(), None, "a paired name cannot be selected");
    }

    #[test]
    fn a_wrong_pair_flashes_and_can_be_retried() {
        let mut s = MatchingState::new(matching());
        s.select_left(2);
        assert_eq!(s.pick_right(3, 10.0), None);
        assert_eq!(s.flashing(10.0), Some((2, 3)));
        assert_eq!(s.flashing(10.5), Some((2, 3)));
        assert_eq!(s.flashing(10.0 + FLASH_SECS), None, "the flash ends");
        assert_eq!(
            s.selected_left(),
            Some(2),
            "the name stays selected for a retry"
        );
        assert_eq!(s.pick_right(0, 11.0), None);
        assert!(s.game().is_left_done(2));
        assert_eq!(s.flashing(11.0), None);
    }

    #[test]
    fn finishing_reports_first_tries_and_first_picks() {
        let mut s = MatchingState::new(matching());
        s.shown_at = Some(2.0);
        s.select_left(1);
        s.pick_right(0, 3.0); // wrong: R2
        s.pick_right(2, 3.0); // wrong again: R3
        s.pick_right(3, 3.0); // right: R1
        for (l, r) in [(0, 1), (2, 0)] {
            s.select_left(l);
            assert_eq!(s.pick_right(r, 4.0), None);
        }
        // Keys: D (left 3) then 3 (right 2, via the command table).
        s.select_left(3);
        let done = s.command(Command::PickRole(3), 6.5);
        assert_eq!(
            done,
            Some(MatchingAction::Finished {
                first_try: vec![true, false, true, true],
                first_picks: vec![
                    Some("R0".into()),
                    Some("R2".into()),
                    Some("R2".into()),
                    Some("R3".into())
                ],
                score: (3, 4),
                response_ms: 4500,
            })
        );
        assert!(s.is_finished());
        assert_eq!(
            s.command(Command::PickRole(1), 7.0),
            None,
            "finished: keys do nothing"
        );
        assert_eq!(
            s.command(Command::Primary, 7.0),
            Some(MatchingAction::Continue)
        );
    }

    #[test]
    fn out_of_range_picks_are_ignored() {
        let mut s = MatchingState::new(matching());
        s.select_left(9);
        assert_eq!(s.selected_left(), None);
        s.select_left(0);
        assert_eq!(s.pick_right(9, 0.0), None);
        assert_eq!(s.flashing(0.0), None);
        assert_eq!(s.game().score(), (0, 4));
        assert_eq!(s.command(Command::Primary, 0.0), None, "not finished yet");
    }
}
