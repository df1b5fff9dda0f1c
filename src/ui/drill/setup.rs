//! Drill mode's setup, and the state and keys shared by its views (the projector view of a
//! question and the scoreboard in `run.rs`, the podium in `podium.rs`). The drill itself
//! ([`flashdrill_core::drill::Drill`]) belongs to the drill screen (`mod.rs`); these views only show it
//! and say what the teacher asked for.
//!
//! Keys while a drill runs (listed on screen): Space / Enter reveal the answer, then go on;
//! 1–6 toggle a team's point on the revealed question; P pauses the countdown; S skips;
//! B goes back one question; E ends early (asks first); F11 switches full screen; Esc leaves
//! (asks first); Y and N answer the question asked. Every key comes from the app's command
//! table ([`DrillState::command`]).

use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::path::PathBuf;

use egui::{Color32, RichText, Ui};

use crate::ui::commands::Command;
use crate::ui::notice::Notice;
use crate::ui::theme::{Palette, TEAM_COLOUR_NAMES, size};
use crate::ui::widgets;
use flashdrill_core::deck::Category;
use flashdrill_core::drill::{
    self, Drill, DrillSetup, MAX_QUESTIONS, MAX_TEAMS, MIN_TEAMS, Phase, QuestionForm, TIME_LIMITS,
    Team,
};
use flashdrill_live::questions::LIVE_FORMS;

/// The port a live game listens on unless the teacher chooses another.
pub const DEFAULT_PORT: u16 = 8765;
/// Seconds per question of a live game when the setup's time limit is off.
pub const DEFAULT_SECONDS: u32 = 20;

/// A deck on offer in the setup: its id, title and how many cards each category has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillDeck {
    pub id: String,
    pub title: String,
    /// Category as written in the deck ("date"), and its card count.
    pub categories: Vec<(String, usize)>,
}

/// What the drill screen shows.
pub struct DrillView<'a> {
    pub decks: &'a [DrillDeck],
    /// The drill under way (or finished); `None` on the setup screen.
    pub drill: Option<&'a Drill>,
    /// `ui.input().time`, for the countdown.
    pub now: f64,
    /// A message (and whether it is an error), e.g. after saving the results.
    pub notice: Option<&'a Notice>,
    /// The profile's classes by name: a live game can be played by one (its roster's names).
    pub classes: &'a [String],
    /// Seconds until a timed drill's first countdown starts (the class gets ready).
    pub get_ready: Option<f64>,
}

/// The drill setup's way to the classes (their screen has no tab of its own: the top bar
/// holds seven at 800 points).
pub const CLASSES_BUTTON: &str = "Classes and reports…";

/// What the teacher asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum DrillAction {
    Start(DrillSetup),
    Reveal,
    /// From the answer to the scoreboard, or from the scoreboard to the next question.
    Next,
    /// Toggle this team's point on the revealed question.
    Award(usize),
    TogglePause,
    Skip,
    Back,
    /// End the drill now (confirmed).
    End,
    /// Leave drill mode (confirmed while a drill runs).
    Leave,
    /// Open a save dialog for the results.
    SaveDialog,
    /// Write the results (CSV) to this file.
    SaveTo(PathBuf),
    /// Back to the setup for another drill.
    NewDrill,
    /// Start a live class game: students answer on their devices; the server listens on `port`.
    StartLive {
        setup: DrillSetup,
        port: u16,
        /// Played by this class: only its roster's names join, and each student's answers are
        /// logged under their name. `None`: anyone, with a nickname.
        class: Option<String>,
    },
    /// Remove a student from the live game.
    RemovePlayer(u32),
    /// Full screen on or off.
    ToggleFullscreen,
    /// Go to the classes: rosters, each student's progress, reports.
    OpenClasses,
}

/// A question awaiting an answer before it is carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Confirm {
    End,
    Leave,
}

impl Confirm {
    pub(super) fn question(self) -> &'static str {
        match self {
            Self::End => "End the drill now and show the results?",
            Self::Leave => "Leave the drill? Answers so far stay in the log.",
        }
    }

    pub(super) fn yes(self) -> &'static str {
        match self {
            Self::End => "End drill",
            Self::Leave => "Leave drill",
        }
    }

    pub(super) fn action(self) -> DrillAction {
        match self {
            Self::End => DrillAction::End,
            Self::Leave => DrillAction::Leave,
        }
    }
}

/// The choices of the setup screen and the screen's own state.
#[derive(Debug, Clone)]
pub struct DrillState {
    /// Decks and categories are chosen unless left out here, so new decks start chosen.
    excluded_decks: BTreeSet<String>,
    excluded_categories: BTreeSet<String>,
    pub questions: usize,
    pub forms: BTreeSet<QuestionForm>,
    pub time_limit: Option<u32>,
    /// 0 (no teams) or 2 to 6.
    pub team_count: usize,
    pub team_names: [String; MAX_TEAMS],
    pub team_colours: [usize; MAX_TEAMS],
    pub(super) confirm: Option<Confirm>,
    /// "Save results to:" on the podium.
    pub save_path: String,
    /// "Students answer on their devices": a live class game instead of team keys.
    pub live: bool,
    /// The port the live game listens on (0: any free port).
    pub live_port: u16,
    /// The class that plays the live game (`None`: anyone, with a nickname).
    pub live_class: Option<String>,
}

impl Default for DrillState {
    fn default() -> Self {
        let defaults = DrillSetup::default();
        Self {
            excluded_decks: BTreeSet::new(),
            excluded_categories: BTreeSet::new(),
            questions: defaults.questions,
            forms: defaults.forms,
            time_limit: defaults.time_limit,
            team_count: defaults.teams.len(),
            team_names: std::array::from_fn(Team::default_name),
            team_colours: std::array::from_fn(|i| i),
            confirm: None,
            save_path: String::new(),
            live: false,
            live_port: DEFAULT_PORT,
            live_class: None,
        }
    }
}

/// "Off", "10 s", …
fn time_label(limit: Option<u32>) -> String {
    limit.map_or_else(|| "Off".to_owned(), |s| format!("{s} s"))
}

fn teams_label(n: usize) -> String {
    if n == 0 {
        "No teams".to_owned()
    } else {
        format!("{n} teams")
    }
}

/// The categories of every deck, each with its card count in the chosen decks.
fn category_counts(view: &DrillView<'_>, excluded: &BTreeSet<String>) -> Vec<(String, usize)> {
    let mut all: Vec<(String, usize)> = Vec::new();
    for deck in view.decks {
        for (cat, n) in &deck.categories {
            let n = if excluded.contains(&deck.id) { 0 } else { *n };
            match all.iter_mut().find(|(c, _)| c == cat) {
                Some(entry) => entry.1 += n,
                None => all.push((cat.clone(), n)),
            }
        }
    }
    all.sort_by(|a, b| Category::parse(&a.0).cmp(&Category::parse(&b.0)));
    all
}

/// The key legend at the foot of the projector view.
pub const KEY_LEGEND: &str = "Space: reveal, then next · 1–6: a team got it right · P: pause · \
                              S: skip · B: back one question · E: end · F11: full screen · Esc: leave";

impl DrillState {
    /// The setup as chosen on screen.
    #[must_use]
    pub fn setup(&self, decks: &[DrillDeck]) -> DrillSetup {
        let chosen: BTreeSet<String> = decks
            .iter()
            .filter(|d| !self.excluded_decks.contains(&d.id))
            .map(|d| d.id.clone())
            .collect();
        let categories = decks
            .iter()
            .filter(|d| chosen.contains(&d.id))
            .flat_map(|d| d.categories.iter().map(|c| c.0.clone()))
            .filter(|c| !self.excluded_categories.contains(c))
            .collect();
        DrillSetup {
            decks: chosen,
            categories,
            questions: self.questions,
            forms: self.forms.clone(),
            time_limit: self.time_limit,
            teams: (0..self.team_count.min(MAX_TEAMS))
                .map(|i| Team::new(self.team_names[i].trim(), self.team_colours[i]))
                .collect(),
        }
    }

    /// The commands both projector views share, before their own: F11 switches full screen at
    /// any time; while a confirmation is asked, Space / Enter or Y says yes and Esc or N no,
    /// and no other command counts: `Break(action)`. `Continue` when the view's own commands
    /// may be carried out.
    pub(super) fn confirm_command(&mut self, command: Command) -> ControlFlow<Option<DrillAction>> {
        if command == Command::ToggleFullscreen {
            return ControlFlow::Break(Some(DrillAction::ToggleFullscreen));
        }
        let Some(confirm) = self.confirm else {
            return ControlFlow::Continue(());
        };
        ControlFlow::Break(match command {
            Command::Primary | Command::Confirm => {
                self.confirm = None;
                Some(confirm.action())
            }
            Command::Back | Command::Decline => {
                self.confirm = None;
                None
            }
            _ => None,
        })
    }

    /// Carries out a command from the app's table.
    pub fn command(&mut self, view: &DrillView<'_>, command: Command) -> Option<DrillAction> {
        let Some(drill) = view.drill else {
            return (command == Command::Back).then_some(DrillAction::Leave);
        };
        if let ControlFlow::Break(action) = self.confirm_command(command) {
            return action;
        }
        let phase = drill.phase();
        match (command, phase) {
            (Command::Primary, Phase::Question) => Some(DrillAction::Reveal),
            (Command::Primary, Phase::Revealed | Phase::Scoreboard) => Some(DrillAction::Next),
            (Command::TeamPoint(n), Phase::Revealed) => {
                Some(DrillAction::Award(usize::from(n.saturating_sub(1))))
            }
            (Command::Pause, Phase::Question) => Some(DrillAction::TogglePause),
            (Command::Skip, Phase::Question | Phase::Revealed) => Some(DrillAction::Skip),
            (Command::PreviousQuestion, _) if drill.can_go_back() => Some(DrillAction::Back),
            (Command::EndEarly, _) if phase != Phase::Finished => {
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

    /// Resets what belongs to one drill (the confirm question, the save path).
    pub fn drill_closed(&mut self) {
        self.confirm = None;
        self.save_path.clear();
    }

    /// Draws the screen; returns what the teacher asked for.
    pub fn show(&mut self, ui: &mut Ui, view: &DrillView<'_>) -> Option<DrillAction> {
        let palette = Palette::of(ui.visuals());
        let Some(drill) = view.drill else {
            return self.setup_screen(ui, view, &palette);
        };
        match drill.phase() {
            Phase::Question | Phase::Revealed => self.projector(ui, view, drill, &palette),
            Phase::Scoreboard => self.scoreboard(ui, drill, &palette),
            Phase::Finished => self.podium(ui, view, drill, &palette),
        }
    }

    fn setup_screen(
        &mut self,
        ui: &mut Ui,
        view: &DrillView<'_>,
        palette: &Palette,
    ) -> Option<DrillAction> {
        let mut action = None;
        // Start stays in view below the choices, however small the window.
        egui::Panel::bottom("drill-setup-start")
            .show_separator_line(true)
            .show(ui, |ui| {
                widgets::centered_column(ui, 820.0, |ui| {
                    ui.add_space(8.0);
                    let setup = self.setup(view.decks);
                    // A live game asks only its forms, without teams (its countdown is the
                    // time limit, kept in `setup`).
                    let checked = if self.live {
                        flashdrill_live::questions::live_setup(&setup)
                    } else {
                        setup.clone()
                    };
                    let matching = self.matching_cards(view);
                    let problem = checked
                        .validate()
                        .err()
                        .or_else(|| (matching == 0).then_some(drill::DrillError::NoCards));
                    ui.horizontal_wrapped(|ui| {
                        let label = if self.live {
                            "Start live game"
                        } else {
                            "Start drill"
                        };
                        let start = ui.add_enabled_ui(problem.is_none(), |ui| {
                            widgets::primary_button(ui, label, palette)
                        });
                        if start.inner.clicked() {
                            action = Some(if self.live {
                                DrillAction::StartLive {
                                    setup,
                                    port: self.live_port,
                                    class: self.live_class.clone(),
                                }
                            } else {
                                DrillAction::Start(setup)
                            });
                        }
                        ui.vertical(|ui| {
                            ui.label(
                                RichText::new(format!("{matching} cards match these choices."))
                                    .color(palette.muted),
                            );
                            if let Some(problem) = &problem {
                                ui.label(RichText::new(problem.to_string()).color(palette.wrong));
                            }
                        });
                    });
                    ui.add_space(4.0);
                });
            });
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                widgets::centered_column(ui, 820.0, |ui| {
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        ui.label(RichText::new("Class drill").size(size::PROMPT).strong());
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            if ui
                                .button(CLASSES_BUTTON)
                                .on_hover_text(
                                    "Your classes: their rosters, each student's progress \
                                         over the weeks, and reports",
                                )
                                .clicked()
                            {
                                action = Some(DrillAction::OpenClasses);
                            }
                        });
                    });
                    let intro = if self.live {
                        "A quiz for the whole class on the projector: students answer on their \
                         phones, and flashdrill counts the answers and the points."
                    } else {
                        "A quiz for the whole class on the projector: teams answer out loud, \
                         you reveal the answer and give the points."
                    };
                    ui.label(RichText::new(intro).color(palette.muted));
                    if let Some(notice) = view.notice {
                        let colour = notice.colour(palette);
                        ui.label(RichText::new(&notice.text).color(colour));
                    }
                    ui.add_space(10.0);
                    self.setup_choices(ui, view, palette);
                    ui.add_space(12.0);
                });
            });
        action
    }

    fn matching_cards(&self, view: &DrillView<'_>) -> usize {
        view.decks
            .iter()
            .filter(|d| !self.excluded_decks.contains(&d.id))
            .flat_map(|d| &d.categories)
            .filter(|(c, _)| !self.excluded_categories.contains(c))
            .map(|(_, n)| n)
            .sum()
    }

    fn setup_choices(&mut self, ui: &mut Ui, view: &DrillView<'_>, palette: &Palette) {
        ui.heading("Decks");
        if view.decks.is_empty() {
            ui.label(RichText::new("No decks are loaded.").color(palette.muted));
        }
        for deck in view.decks {
            let cards: usize = deck.categories.iter().map(|c| c.1).sum();
            let mut on = !self.excluded_decks.contains(&deck.id);
            if ui
                .checkbox(&mut on, format!("{} ({cards} cards)", deck.title))
                .changed()
            {
                toggle(&mut self.excluded_decks, &deck.id, on);
            }
        }
        ui.add_space(6.0);
        ui.heading("Categories");
        ui.horizontal_wrapped(|ui| {
            for (cat, n) in category_counts(view, &self.excluded_decks) {
                let mut on = !self.excluded_categories.contains(&cat);
                let label = format!("{} ({n})", Category::parse(&cat).label());
                if ui.checkbox(&mut on, label).changed() {
                    toggle(&mut self.excluded_categories, &cat, on);
                }
            }
        });
        ui.add_space(6.0);
        ui.heading("Questions");
        ui.horizontal(|ui| {
            let label = ui.label("Number of questions");
            ui.add(egui::DragValue::new(&mut self.questions).range(1..=MAX_QUESTIONS))
                .labelled_by(label.id)
                .on_hover_text(format!("1 to {MAX_QUESTIONS}"));
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("Question forms:");
            for form in QuestionForm::ALL {
                // Phones answer only some forms: the others show unticked and greyed out
                // (the choice comes back when the phones are off).
                let on_phones = !self.live || LIVE_FORMS.contains(&form);
                let mut on = on_phones && self.forms.contains(&form);
                let response =
                    ui.add_enabled(on_phones, egui::Checkbox::new(&mut on, form.label()));
                let response = response.on_disabled_hover_text(
                    "Phones cannot answer this form: it is asked in the projector drill only",
                );
                if response.changed() {
                    if on {
                        self.forms.insert(form);
                    } else {
                        self.forms.remove(&form);
                    }
                }
            }
        });
        if self.live {
            ui.label(
                RichText::new(
                    "On phones: multiple choice and timeline questions only; matching and flip \
                     cards are asked in the projector drill.",
                )
                .color(palette.muted)
                .small(),
            );
        }
        ui.horizontal(|ui| {
            let label = ui.label("Time limit");
            egui::ComboBox::from_id_salt("drill-time-limit")
                .height(crate::ui::widgets::COMBO_HEIGHT)
                .selected_text(time_label(self.time_limit))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.time_limit, None, time_label(None));
                    for s in TIME_LIMITS {
                        ui.selectable_value(&mut self.time_limit, Some(s), time_label(Some(s)));
                    }
                })
                .response
                .labelled_by(label.id)
                .on_hover_text("Seconds per question; a quicker answer earns more points");
        });
        ui.add_space(6.0);
        self.live_choices(ui, view.classes, palette);
        ui.add_space(6.0);
        ui.heading("Teams");
        if self.live {
            ui.label(
                RichText::new(
                    "With phones, each student plays for themselves: no teams. Untick \
                     \"Students answer on their devices\" to play in teams.",
                )
                .color(palette.muted),
            );
            return;
        }
        ui.horizontal(|ui| {
            let label = ui.label("Number of teams");
            egui::ComboBox::from_id_salt("drill-teams")
                .height(crate::ui::widgets::COMBO_HEIGHT)
                .selected_text(teams_label(self.team_count))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.team_count, 0, teams_label(0));
                    for n in MIN_TEAMS..=MAX_TEAMS {
                        ui.selectable_value(&mut self.team_count, n, teams_label(n));
                    }
                })
                .response
                .labelled_by(label.id);
        });
        if self.team_count == 0 {
            ui.label(
                RichText::new("The class plays as one team.")
                    .color(palette.muted)
                    .small(),
            );
        }
        for i in 0..self.team_count.min(MAX_TEAMS) {
            ui.horizontal(|ui| {
                let colour = palette.team[self.team_colours[i] % palette.team.len()];
                widgets::swatch(ui, colour);
                let label = ui.label(format!("Team {} name", i + 1));
                ui.add(egui::TextEdit::singleline(&mut self.team_names[i]).desired_width(220.0))
                    .labelled_by(label.id);
                let label = ui.label(format!("Team {} colour", i + 1));
                egui::ComboBox::from_id_salt(("drill-team-colour", i))
                    .height(crate::ui::widgets::COMBO_HEIGHT)
                    .selected_text(
                        TEAM_COLOUR_NAMES[self.team_colours[i] % TEAM_COLOUR_NAMES.len()],
                    )
                    .show_ui(ui, |ui| {
                        for (c, name) in TEAM_COLOUR_NAMES.iter().enumerate() {
                            ui.selectable_value(
                                &mut self.team_colours[i],
                                c,
                                RichText::new(*name).color(palette.team[c]),
                            );
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
        }
    }
}

impl DrillState {
    /// "Students answer on their devices" and its port.
    fn live_choices(&mut self, ui: &mut Ui, classes: &[String], palette: &Palette) {
        const ANYONE: &str = "Anyone, with a nickname";
        ui.heading("Live class");
        ui.checkbox(&mut self.live, "Students answer on their devices")
            .on_hover_text(
                "Students join on their phones over the classroom's network and each answers \
                 for themselves",
            );
        if !self.live {
            return;
        }
        ui.horizontal(|ui| {
            let label = ui.label("Port");
            ui.add(egui::DragValue::new(&mut self.live_port).range(0..=u16::MAX))
                .labelled_by(label.id)
                .on_hover_text("The network port the game listens on; 0 lets the system pick one");
        });
        if !classes.is_empty() {
            if self
                .live_class
                .as_ref()
                .is_some_and(|c| !classes.contains(c))
            {
                self.live_class = None;
            }
            ui.horizontal(|ui| {
                let label = ui.label("Played by");
                egui::ComboBox::from_id_salt("drill-live-class")
                    .selected_text(self.live_class.as_deref().unwrap_or(ANYONE))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.live_class, None, ANYONE);
                        for c in classes {
                            ui.selectable_value(&mut self.live_class, Some(c.clone()), c);
                        }
                    })
                    .response
                    .labelled_by(label.id)
                    .on_hover_text(
                        "A class plays under the names on its roster, and each student's \
                         answers are kept under their name (their schedules are not changed)",
                    );
            });
        }
        let seconds = self.time_limit.unwrap_or(DEFAULT_SECONDS);
        ui.label(
            RichText::new(format!(
                "Each student plays for themselves, on a phone on this computer's network. \
                 Phones ask multiple choice and timeline questions, {seconds} s each; the \
                 game listens on the network only while it runs."
            ))
            .color(palette.muted)
            .small(),
        );
    }
}

fn toggle(set: &mut BTreeSet<String>, key: &str, on: bool) {
    if on {
        set.remove(key);
    } else {
        set.insert(key.to_owned());
    }
}

pub(super) fn team_colour(palette: &Palette, team: &Team) -> Color32 {
    palette.team[team.colour_index % palette.team.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_follows_the_choices() {
        let decks = vec![
            DrillDeck {
                id: "a".into(),
                title: "A".into(),
                categories: vec![("date".into(), 3), ("actor".into(), 2)],
            },
            DrillDeck {
                id: "b".into(),
                title: "B".into(),
                categories: vec![("term".into(), 5)],
            },
        ];
        let mut state = DrillState::default();
        let s = state.setup(&decks);
        assert_eq!(
            s,
            DrillSetup {
                decks: ["a", "b"].map(str::to_owned).into(),
                categories: ["date", "actor", "term"].map(str::to_owned).into(),
                ..DrillSetup::default()
            }
        );
        toggle(&mut state.excluded_decks, "b", false);
        toggle(&mut state.excluded_categories, "date", false);
        state.team_count = 3;
        state.team_names[1] = "  Owls ".into();
        let s = state.setup(&decks);
        assert_eq!(s.decks, ["a".to_owned()].into());
        assert_eq!(s.categories, ["actor".to_owned()].into());
        assert_eq!(
            s.teams,
            vec![
                Team::new("Team 1", 0),
                Team::new("Owls", 1),
                Team::new("Team 3", 2)
            ]
        );
        let view = DrillView {
            decks: &decks,
            drill: None,
            now: 0.0,
            notice: None,
            classes: &[],
            get_ready: None,
        };
        assert_eq!(state.matching_cards(&view), 2);
        let counts = category_counts(&view, &state.excluded_decks);
        assert_eq!(
            counts,
            vec![("date".into(), 3), ("actor".into(), 2), ("term".into(), 0)]
        );
    }
}
