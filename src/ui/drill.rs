//! Drill mode's screens: the setup, the projector view of a question, the scoreboard between
//! questions and the podium. The drill itself ([`crate::drill::Drill`]) belongs to the app;
//! this screen only shows it and says what the teacher asked for.
//!
//! Keys while a drill runs (listed on screen): Space / Enter reveal the answer, then go on;
//! 1–6 toggle a team's point on the revealed question; P pauses the countdown; S skips;
//! B goes back one question; E ends early (asks first); F11 switches full screen; Esc leaves
//! (asks first). Space, Enter, 1–4 and Esc come from the app's command table
//! ([`DrillState::command`]); the others are read here.

use std::collections::BTreeSet;
use std::path::PathBuf;

use egui::{Align, Color32, Key, Layout, Modifiers, RichText, Stroke, Ui};

use super::commands::Command;
use super::theme::{Palette, TEAM_COLOUR_NAMES, size};
use super::widgets;
use crate::deck::Category;
use crate::drill::{
    self, Body, Drill, DrillSetup, MAX_QUESTIONS, MAX_TEAMS, MIN_TEAMS, Outcome, Phase, Question,
    QuestionForm, TIME_LIMITS, Team,
};

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
    pub notice: Option<(&'a str, bool)>,
}

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
}

/// A question awaiting an answer before it is carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Confirm {
    End,
    Leave,
}

impl Confirm {
    fn question(self) -> &'static str {
        match self {
            Self::End => "End the drill now and show the results?",
            Self::Leave => "Leave the drill? Answers so far stay in the log.",
        }
    }

    fn yes(self) -> &'static str {
        match self {
            Self::End => "End drill",
            Self::Leave => "Leave drill",
        }
    }

    fn action(self) -> DrillAction {
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
    confirm: Option<Confirm>,
    /// "Save results to:" on the podium.
    pub save_path: String,
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

    /// Carries out a command from the app's table (Space / Enter, 1–4, Esc).
    pub fn command(&mut self, view: &DrillView<'_>, command: Command) -> Option<DrillAction> {
        let Some(drill) = view.drill else {
            return (command == Command::Back).then_some(DrillAction::Leave);
        };
        if let Some(confirm) = self.confirm {
            return match command {
                Command::Primary => {
                    self.confirm = None;
                    Some(confirm.action())
                }
                Command::Back => {
                    self.confirm = None;
                    None
                }
                _ => None,
            };
        }
        match (command, drill.phase()) {
            (Command::Primary, Phase::Question) => Some(DrillAction::Reveal),
            (Command::Primary, Phase::Revealed | Phase::Scoreboard) => Some(DrillAction::Next),
            (Command::Pick(n), Phase::Revealed) => {
                Some(DrillAction::Award(usize::from(n.saturating_sub(1))))
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
        let mut action = self.keys(ui, drill);
        let shown = match drill.phase() {
            Phase::Question | Phase::Revealed => self.projector(ui, view, drill, &palette),
            Phase::Scoreboard => self.scoreboard(ui, drill, &palette),
            Phase::Finished => self.podium(ui, view, drill, &palette),
        };
        action = action.or(shown);
        action
    }

    /// The drill's own keys (the app's table has Space, Enter, 1–4 and Esc).
    fn keys(&mut self, ui: &Ui, drill: &Drill) -> Option<DrillAction> {
        if ui.ctx().egui_wants_keyboard_input() {
            return None;
        }
        let pressed = |key: Key| ui.input_mut(|i| i.consume_key(Modifiers::NONE, key));
        if pressed(Key::F11) {
            let full = ui.input(|i| i.viewport().fullscreen.unwrap_or(false));
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Fullscreen(!full));
        }
        if let Some(confirm) = self.confirm {
            if pressed(Key::Y) {
                self.confirm = None;
                return Some(confirm.action());
            }
            if pressed(Key::N) {
                self.confirm = None;
            }
            return None;
        }
        let phase = drill.phase();
        let asking = matches!(phase, Phase::Question | Phase::Revealed);
        if phase == Phase::Revealed {
            for (key, team) in [(Key::Num5, 4), (Key::Num6, 5)] {
                if pressed(key) {
                    return Some(DrillAction::Award(team));
                }
            }
        }
        if phase == Phase::Question && pressed(Key::P) {
            return Some(DrillAction::TogglePause);
        }
        if asking && pressed(Key::S) {
            return Some(DrillAction::Skip);
        }
        if drill.can_go_back() && pressed(Key::B) {
            return Some(DrillAction::Back);
        }
        if phase != Phase::Finished && pressed(Key::E) {
            self.confirm = Some(Confirm::End);
        }
        None
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
                    let matching = self.matching_cards(view);
                    let problem = setup
                        .validate()
                        .err()
                        .or_else(|| (matching == 0).then_some(drill::DrillError::NoCards));
                    ui.horizontal_wrapped(|ui| {
                        let start = ui.add_enabled_ui(problem.is_none(), |ui| {
                            widgets::primary_button(ui, "Start drill", palette)
                        });
                        if start.inner.clicked() {
                            action = Some(DrillAction::Start(setup));
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
                    ui.label(RichText::new("Class drill").size(size::PROMPT).strong());
                    ui.label(
                        RichText::new(
                            "A quiz for the whole class on the projector: teams answer out \
                             loud, you reveal the answer and give the points.",
                        )
                        .color(palette.muted),
                    );
                    if let Some((text, is_error)) = view.notice {
                        let colour = if is_error {
                            palette.wrong
                        } else {
                            palette.right
                        };
                        ui.label(RichText::new(text).color(colour));
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
                let mut on = self.forms.contains(&form);
                if ui.checkbox(&mut on, form.label()).changed() {
                    if on {
                        self.forms.insert(form);
                    } else {
                        self.forms.remove(&form);
                    }
                }
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label("Time limit");
            egui::ComboBox::from_id_salt("drill-time-limit")
                .height(super::widgets::COMBO_HEIGHT)
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
        ui.heading("Teams");
        ui.horizontal(|ui| {
            let label = ui.label("Number of teams");
            egui::ComboBox::from_id_salt("drill-teams")
                .height(super::widgets::COMBO_HEIGHT)
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
                    .height(super::widgets::COMBO_HEIGHT)
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

    /// The question on a projector: number, countdown, prompt, the form's body, the answer
    /// once revealed, and the team buttons.
    fn projector(
        &mut self,
        ui: &mut Ui,
        view: &DrillView<'_>,
        drill: &Drill,
        palette: &Palette,
    ) -> Option<DrillAction> {
        let mut action = None;
        let question = drill.current_question()?;
        let revealed = drill.phase() == Phase::Revealed;
        egui::Panel::bottom("drill-teams")
            .show_separator_line(false)
            .show(ui, |ui| {
                ui.add_space(6.0);
                team_buttons(ui, drill, palette, &mut action);
                ui.add_space(6.0);
                ui.label(RichText::new(KEY_LEGEND).color(palette.muted).small());
            });
        egui::Panel::top("drill-status")
            .show_separator_line(false)
            .show(ui, |ui| {
                status_row(ui, drill, view.now, palette);
                if let Some((text, is_error)) = view.notice {
                    let colour = if is_error {
                        palette.wrong
                    } else {
                        palette.warn
                    };
                    ui.label(RichText::new(text).size(size::HEADING).color(colour));
                }
                if let Some(confirm) = self.confirm {
                    self.confirm_banner(ui, confirm, palette, &mut action);
                }
            });
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.add_space(14.0);
                ui.add(
                    egui::Label::new(
                        RichText::new(&question.prompt)
                            .size(size::DRILL_PROMPT)
                            .strong()
                            .color(palette.text),
                    )
                    .wrap(),
                );
                ui.add_space(18.0);
                question_body(ui, question, revealed, palette);
                if revealed {
                    ui.add_space(18.0);
                    reveal(ui, question, palette);
                } else if question.form() == QuestionForm::FlipReveal {
                    ui.label(
                        RichText::new("Answer out loud, then press Space to reveal.")
                            .size(size::DRILL_INFO)
                            .color(palette.muted),
                    );
                }
            });
        action
    }

    fn confirm_banner(
        &mut self,
        ui: &mut Ui,
        confirm: Confirm,
        palette: &Palette,
        action: &mut Option<DrillAction>,
    ) {
        widgets::card_frame(ui, palette)
            .stroke(Stroke::new(2.0, palette.warn))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(confirm.question())
                            .size(size::DRILL_INFO)
                            .strong(),
                    );
                    if ui
                        .button(RichText::new(confirm.yes()).size(size::HEADING))
                        .on_hover_text("Enter or Y")
                        .clicked()
                    {
                        self.confirm = None;
                        *action = Some(confirm.action());
                    }
                    if ui
                        .button(RichText::new("Keep going").size(size::HEADING))
                        .on_hover_text("Esc or N")
                        .clicked()
                    {
                        self.confirm = None;
                    }
                    ui.label(RichText::new("(Enter / Y: yes · Esc / N: no)").color(palette.muted));
                });
            });
    }

    /// The standings between questions.
    fn scoreboard(&mut self, ui: &mut Ui, drill: &Drill, palette: &Palette) -> Option<DrillAction> {
        let mut action = None;
        egui::Panel::bottom("drill-scoreboard-keys")
            .show_separator_line(false)
            .show(ui, |ui| {
                ui.add_space(6.0);
                if widgets::primary_button(ui, "Next question (Space)", palette).clicked() {
                    action = Some(DrillAction::Next);
                }
                ui.label(RichText::new(KEY_LEGEND).color(palette.muted).small());
            });
        if let Some(confirm) = self.confirm {
            self.confirm_banner(ui, confirm, palette, &mut action);
        }
        let played = drill.current() + 1;
        ui.add_space(10.0);
        ui.label(
            RichText::new("Scoreboard")
                .size(size::DRILL_PROMPT)
                .strong(),
        );
        ui.label(
            RichText::new(format!(
                "After question {played} of {}",
                drill.questions().len()
            ))
            .size(size::DRILL_INFO)
            .color(palette.muted),
        );
        ui.add_space(16.0);
        let stats = drill.team_stats();
        let gained = drill
            .points_table()
            .get(drill.current())
            .cloned()
            .unwrap_or_default();
        let best = stats.iter().map(|s| s.points).max().unwrap_or(0).max(1);
        let bar_width = (ui.available_width() * 0.45).max(120.0);
        egui::Grid::new("drill-scoreboard")
            .num_columns(5)
            .spacing([24.0, 14.0])
            .show(ui, |ui| {
                for standing in drill.ranking() {
                    let team = &drill.teams()[standing.team];
                    let s = stats[standing.team];
                    let colour = team_colour(palette, team);
                    ui.label(RichText::new(format!("{}.", standing.place)).size(size::DRILL_INFO));
                    ui.label(
                        RichText::new(&team.name)
                            .size(size::DRILL_INFO)
                            .strong()
                            .color(colour),
                    );
                    let (rect, _) = ui.allocate_exact_size(
                        egui::vec2(bar_width, size::DRILL_INFO),
                        egui::Sense::hover(),
                    );
                    ui.painter().rect_filled(rect, 4.0, palette.track);
                    let mut filled = rect;
                    filled.set_width(rect.width() * s.points as f32 / best as f32);
                    ui.painter().rect_filled(filled, 4.0, colour);
                    ui.label(
                        RichText::new(format!("{} points", s.points))
                            .size(size::DRILL_INFO)
                            .strong(),
                    );
                    let mut note = format!("streak {}", s.streak);
                    if let Some(g) = gained.get(standing.team).filter(|g| **g > 0) {
                        note = format!("+{g} · {note}");
                    }
                    ui.label(
                        RichText::new(note)
                            .size(size::DRILL_INFO)
                            .color(palette.muted),
                    );
                    ui.end_row();
                }
            });
        action
    }

    /// The end: 1st, 2nd and 3rd place, the results per question and per team, and saving.
    fn podium(
        &mut self,
        ui: &mut Ui,
        view: &DrillView<'_>,
        drill: &Drill,
        palette: &Palette,
    ) -> Option<DrillAction> {
        let mut action = None;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                widgets::centered_column(ui, 1100.0, |ui| {
                    if let Some(confirm) = self.confirm {
                        self.confirm_banner(ui, confirm, palette, &mut action);
                    }
                    ui.label(
                        RichText::new("Final results")
                            .size(size::DRILL_PROMPT)
                            .strong(),
                    );
                    ui.label(
                        RichText::new(winner_line(drill))
                            .size(size::DRILL_INFO)
                            .strong()
                            .color(palette.accent),
                    );
                    if drill.ended_early() {
                        ui.label(
                            RichText::new(format!(
                                "Ended early after {} of {} questions.",
                                drill.played(),
                                drill.questions().len()
                            ))
                            .color(palette.muted),
                        );
                    }
                    ui.add_space(12.0);
                    if drill.has_teams() {
                        podium_blocks(ui, drill, palette);
                        ui.add_space(16.0);
                    }
                    self.save_row(ui, view, palette, &mut action);
                    ui.horizontal(|ui| {
                        if ui.button("New drill").clicked() {
                            action = Some(DrillAction::NewDrill);
                        }
                        if ui.button("Back to decks").clicked() {
                            action = Some(DrillAction::Leave);
                        }
                    });
                    ui.add_space(16.0);
                    ui.heading("Per team");
                    team_table(ui, drill);
                    ui.add_space(12.0);
                    ui.heading("Per question");
                    question_table(ui, drill, palette);
                });
            });
        action
    }

    fn save_row(
        &mut self,
        ui: &mut Ui,
        view: &DrillView<'_>,
        palette: &Palette,
        action: &mut Option<DrillAction>,
    ) {
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Save results…")
                .on_hover_text("Choose where to save the results as a CSV file")
                .clicked()
            {
                *action = Some(DrillAction::SaveDialog);
            }
            let label = ui.label("Save results to:");
            ui.add(
                egui::TextEdit::singleline(&mut self.save_path)
                    .hint_text("/path/to/results.csv")
                    .desired_width(360.0),
            )
            .labelled_by(label.id);
            let path = self.save_path.trim();
            if ui
                .add_enabled(!path.is_empty(), egui::Button::new("Save"))
                .clicked()
            {
                *action = Some(DrillAction::SaveTo(PathBuf::from(path)));
            }
        });
        if let Some((text, is_error)) = view.notice {
            let colour = if is_error {
                palette.wrong
            } else {
                palette.right
            };
            ui.label(RichText::new(text).color(colour));
        }
    }
}

fn toggle(set: &mut BTreeSet<String>, key: &str, on: bool) {
    if on {
        set.remove(key);
    } else {
        set.insert(key.to_owned());
    }
}

fn team_colour(palette: &Palette, team: &Team) -> Color32 {
    palette.team[team.colour_index % palette.team.len()]
}

/// "Question 4 / 10", the form, the countdown (bar and seconds) or the time taken.
fn status_row(ui: &mut Ui, drill: &Drill, now: f64, palette: &Palette) {
    let question = drill.current_question().map(Question::form);
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!(
                "Question {} / {}",
                drill.current() + 1,
                drill.questions().len()
            ))
            .size(size::DRILL_INFO)
            .strong(),
        );
        if let Some(form) = question {
            ui.label(
                RichText::new(form.label())
                    .size(size::DRILL_INFO)
                    .color(palette.muted),
            );
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            match (drill.phase(), drill.remaining(now)) {
                (Phase::Question, Some(left)) => {
                    let secs = left.ceil() as u32;
                    let colour = if secs <= 5 {
                        palette.wrong
                    } else {
                        palette.text
                    };
                    ui.label(
                        RichText::new(format!("{secs} s"))
                            .size(size::DRILL_INFO)
                            .strong()
                            .color(colour),
                    );
                }
                (Phase::Revealed, _) => {
                    if let Some(Outcome::Answered {
                        secs, timed_out, ..
                    }) = drill.outcome(drill.current())
                    {
                        let text = if *timed_out {
                            "Time's up".to_owned()
                        } else {
                            format!("Revealed after {secs:.1} s")
                        };
                        ui.label(
                            RichText::new(text)
                                .size(size::DRILL_INFO)
                                .color(palette.muted),
                        );
                    }
                }
                _ => {}
            }
            if drill.is_paused() {
                ui.label(
                    RichText::new("Paused")
                        .size(size::DRILL_INFO)
                        .strong()
                        .color(palette.warn),
                );
            }
        });
    });
    if let Some(fraction) = drill.remaining_fraction(now) {
        let width = ui.available_width();
        let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 16.0), egui::Sense::hover());
        ui.painter().rect_filled(rect, 8.0, palette.track);
        let mut filled = rect;
        filled.set_width(rect.width() * fraction as f32);
        let colour = if drill.is_paused() {
            palette.muted
        } else if fraction < 0.25 {
            palette.wrong
        } else {
            palette.accent
        };
        ui.painter().rect_filled(filled, 8.0, colour);
    }
}

/// A for the first option or event, B for the next, …
fn letter(i: usize) -> char {
    (b'A' + (i % 26) as u8) as char
}

fn big(text: impl Into<String>, palette: &Palette) -> RichText {
    RichText::new(text)
        .size(size::DRILL_ANSWER)
        .color(palette.text)
}

fn question_body(ui: &mut Ui, question: &Question, revealed: bool, palette: &Palette) {
    match &question.body {
        Body::MultipleChoice(choices) => {
            for (i, option) in choices.options.iter().enumerate() {
                let right = revealed && i == choices.correct_index;
                let (fill, stroke) = if right {
                    (palette.card_fill, Stroke::new(4.0, palette.right))
                } else {
                    (palette.card_fill, Stroke::new(1.0, palette.track))
                };
                egui::Frame::new()
                    .fill(fill)
                    .stroke(stroke)
                    .corner_radius(10.0)
                    .inner_margin(egui::Margin::symmetric(18, 8))
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        let mut text = big(format!("{}   {option}", letter(i)), palette);
                        if revealed && !right {
                            text = text.color(palette.muted);
                        }
                        if right {
                            text = text.strong().color(palette.right);
                        }
                        ui.add(egui::Label::new(text).wrap());
                    });
                ui.add_space(6.0);
            }
        }
        Body::Timeline(timeline) if !revealed => {
            for (i, event) in timeline.events.iter().enumerate() {
                ui.add(
                    egui::Label::new(big(format!("{}   {}", letter(i), event.caption), palette))
                        .wrap(),
                );
            }
        }
        Body::Timeline(timeline) => {
            for (n, &i) in timeline.correct_order().iter().enumerate() {
                let event = &timeline.events[i];
                ui.horizontal_wrapped(|ui| {
                    ui.label(big(format!("{}.", n + 1), palette).strong());
                    ui.label(
                        big(event.date.to_string(), palette)
                            .color(palette.right)
                            .strong(),
                    );
                    ui.label(big(format!("{} ({})", event.caption, letter(i)), palette));
                });
            }
        }
        Body::Matching(matching) if !revealed => {
            ui.columns(2, |columns| {
                // Columns justify their labels; left-aligned text reads better from afar.
                let left_aligned = Layout::top_down(Align::Min);
                columns[0].with_layout(left_aligned, |ui| {
                    for (i, left) in matching.left.iter().enumerate() {
                        let text = big(format!("{}   {left}", letter(i)), palette);
                        ui.add(egui::Label::new(text).wrap());
                    }
                });
                columns[1].with_layout(left_aligned, |ui| {
                    for (i, right) in matching.right.iter().enumerate() {
                        let text = big(format!("{}   {right}", i + 1), palette);
                        ui.add(egui::Label::new(text).wrap());
                    }
                });
            });
        }
        Body::Matching(matching) => {
            for (left, &r) in matching.left.iter().zip(&matching.pairs) {
                ui.horizontal_wrapped(|ui| {
                    ui.label(big(left, palette).strong());
                    ui.label(big("–", palette));
                    ui.label(big(&matching.right[r], palette).color(palette.right));
                });
            }
        }
        Body::FlipReveal => {}
    }
}

/// The answer, the article's sentence and the explanation.
fn reveal(ui: &mut Ui, question: &Question, palette: &Palette) {
    if matches!(question.body, Body::FlipReveal | Body::MultipleChoice(_)) {
        ui.label(
            RichText::new("Answer")
                .size(size::DRILL_INFO)
                .color(palette.muted),
        );
        ui.add(
            egui::Label::new(
                RichText::new(&question.answer)
                    .size(size::DRILL_PROMPT)
                    .strong()
                    .color(palette.right),
            )
            .wrap(),
        );
        ui.add_space(12.0);
    }
    if let Some(source) = &question.source {
        egui::Frame::new()
            .inner_margin(egui::Margin::symmetric(14, 8))
            .stroke(Stroke::new(1.0, palette.track))
            .corner_radius(8.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(
                    RichText::new("From the article:")
                        .size(size::HEADING)
                        .color(palette.muted),
                );
                ui.add(
                    egui::Label::new(
                        RichText::new(format!("“{source}”"))
                            .size(size::DRILL_INFO)
                            .italics()
                            .color(palette.text),
                    )
                    .wrap(),
                );
            });
    }
    if let Some(explanation) = &question.explanation {
        ui.add_space(8.0);
        ui.add(
            egui::Label::new(
                RichText::new(explanation)
                    .size(size::HEADING)
                    .color(palette.muted),
            )
            .wrap(),
        );
    }
}

/// One button per team ("1 Team Red"), lit when the team got the revealed question right.
/// The width of a team's button under the question.
const TEAM_BUTTON_W: f32 = 180.0;

fn team_buttons(ui: &mut Ui, drill: &Drill, palette: &Palette, action: &mut Option<DrillAction>) {
    let revealed = drill.phase() == Phase::Revealed;
    let stats = drill.team_stats();
    // As many team buttons to a row as fit (six in a row on a projector, two rows in a
    // small window).
    let gap = ui.spacing().item_spacing.x;
    let per_row = (((ui.available_width() + gap) / (TEAM_BUTTON_W + gap)).floor() as usize).max(1);
    let teams: Vec<(usize, &crate::drill::Team)> = drill.teams().iter().enumerate().collect();
    for row in teams.chunks(per_row) {
        ui.horizontal(|ui| {
            for &(i, team) in row {
                let colour = team_colour(palette, team);
                let on = drill.awarded(i);
                let text = RichText::new(format!("{} {}", i + 1, team.name))
                    .size(size::DRILL_INFO)
                    .strong()
                    .color(if on { palette.on_fill } else { colour });
                let button = egui::Button::new(text)
                    .selected(on)
                    .fill(if on { colour } else { palette.card_fill })
                    .stroke(Stroke::new(3.0, colour))
                    .corner_radius(10.0)
                    .min_size(egui::vec2(TEAM_BUTTON_W, 56.0));
                ui.vertical(|ui| {
                    let response = ui
                        .add_enabled(revealed, button)
                        .on_hover_text(format!("{} got it right (key {})", team.name, i + 1))
                        .on_disabled_hover_text("Reveal the answer first (Space)");
                    if response.clicked() {
                        *action = Some(DrillAction::Award(i));
                    }
                    ui.label(
                        RichText::new(format!("{} points", stats[i].points))
                            .size(size::HEADING)
                            .color(palette.muted),
                    );
                });
            }
        });
    }
}

/// "Team Red wins with 330 points", "Team Red and Team Blue share first place with 200 points",
/// or the class's score.
#[must_use]
pub fn winner_line(drill: &Drill) -> String {
    let ranking = drill.ranking();
    let Some(top) = ranking.first() else {
        return String::new();
    };
    if !drill.has_teams() {
        let right = drill.team_stats()[0].right;
        return format!(
            "The class scored {} points: {right} of {} right",
            top.points,
            drill.played()
        );
    }
    let firsts: Vec<&str> = ranking
        .iter()
        .filter(|s| s.place == 1)
        .map(|s| drill.teams()[s.team].name.as_str())
        .collect();
    match firsts.as_slice() {
        [one] => format!("{one} wins with {} points", top.points),
        [rest @ .., last] => format!(
            "{} and {last} share first place with {} points",
            rest.join(", "),
            top.points
        ),
        [] => String::new(),
    }
}

/// Painted podium blocks for the first three places (teams sharing a place share a block).
fn podium_blocks(ui: &mut Ui, drill: &Drill, palette: &Palette) {
    let ranking = drill.ranking();
    let mut places: Vec<(usize, Vec<usize>, u32)> = Vec::new();
    for s in &ranking {
        match places.last_mut() {
            Some((place, teams, _)) if *place == s.place => teams.push(s.team),
            _ => places.push((s.place, vec![s.team], s.points)),
        }
    }
    places.truncate(3);
    // Second, first, third from left to right.
    let order: Vec<usize> = match places.len() {
        1 => vec![0],
        2 => vec![1, 0],
        _ => vec![1, 0, 2],
    };
    let heights = [170.0, 120.0, 80.0];
    let block_w = 240.0;
    let total_w = block_w * order.len() as f32 + 16.0 * (order.len() as f32 - 1.0);
    let label_h = 90.0;
    ui.horizontal(|ui| {
        ui.add_space(((ui.available_width() - total_w) / 2.0).max(0.0));
        for &slot in &order {
            let (place, teams, points) = &places[slot];
            let (rect, _) = ui.allocate_exact_size(
                egui::vec2(block_w, heights[0] + label_h),
                egui::Sense::hover(),
            );
            let height = heights[slot];
            let block = egui::Rect::from_min_max(
                egui::pos2(rect.left(), rect.bottom() - height),
                rect.right_bottom(),
            );
            let colour = teams
                .first()
                .map_or(palette.accent, |&t| team_colour(palette, &drill.teams()[t]));
            ui.painter().rect_filled(block, 8.0, colour);
            let names: Vec<&str> = teams
                .iter()
                .map(|&t| drill.teams()[t].name.as_str())
                .collect();
            let label_rect = egui::Rect::from_min_max(
                egui::pos2(rect.left(), block.top() - label_h),
                egui::pos2(rect.right(), block.top()),
            );
            ui.put(
                label_rect,
                egui::Label::new(
                    RichText::new(format!(
                        "{}: {} · {points} points",
                        ordinal(*place),
                        names.join(" & ")
                    ))
                    .size(size::HEADING)
                    .strong()
                    .color(palette.text),
                )
                .wrap(),
            );
            ui.put(
                block,
                egui::Label::new(
                    RichText::new(ordinal(*place))
                        .size(size::DRILL_PROMPT)
                        .strong()
                        .color(palette.on_fill),
                )
                .selectable(false),
            );
            ui.add_space(16.0);
        }
    });
}

/// "1st", "2nd", "3rd", "4th", …
#[must_use]
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, r) if r != 11 => "st",
        (2, r) if r != 12 => "nd",
        (3, r) if r != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn team_table(ui: &mut Ui, drill: &Drill) {
    let stats = drill.team_stats();
    egui::Grid::new("drill-team-results")
        .num_columns(5)
        .striped(true)
        .spacing([24.0, 6.0])
        .show(ui, |ui| {
            for h in ["Place", "Team", "Points", "Right", "Best streak"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for s in drill.ranking() {
                let t = stats[s.team];
                ui.label(ordinal(s.place));
                ui.label(&drill.teams()[s.team].name);
                ui.label(t.points.to_string());
                ui.label(t.right.to_string());
                ui.label(t.best_streak.to_string());
                ui.end_row();
            }
        });
}

fn question_table(ui: &mut Ui, drill: &Drill, palette: &Palette) {
    let points = drill.points_table();
    egui::Grid::new("drill-question-results")
        .num_columns(5 + drill.teams().len())
        .striped(true)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            for h in ["#", "Form", "Question", "Answer", "Seconds"] {
                ui.label(RichText::new(h).strong());
            }
            for team in drill.teams() {
                ui.label(RichText::new(&team.name).strong());
            }
            ui.end_row();
            for (i, question) in drill.questions().iter().enumerate() {
                let outcome = drill.outcome(i).unwrap_or(&Outcome::NotAsked);
                if matches!(outcome, Outcome::NotAsked) {
                    continue;
                }
                ui.label((i + 1).to_string());
                ui.label(question.form().label());
                wrapped(ui, &question.prompt, 300.0);
                wrapped(ui, &question.answer, 300.0);
                if let Outcome::Answered { secs, right, .. } = outcome {
                    ui.label(format!("{secs:.1}"));
                    for (t, got) in right.iter().enumerate() {
                        if *got {
                            let p = points.get(i).and_then(|r| r.get(t)).copied().unwrap_or(0);
                            ui.label(RichText::new(format!("right (+{p})")).color(palette.right));
                        } else {
                            ui.label(RichText::new("–").color(palette.muted));
                        }
                    }
                } else {
                    ui.label(RichText::new("skipped").color(palette.muted));
                    for _ in drill.teams() {
                        ui.label("");
                    }
                }
                ui.end_row();
            }
        });
}

/// A grid cell of text wrapped at `width`, as tall as its lines (the row grows to fit).
fn wrapped(ui: &mut Ui, text: &str, width: f32) {
    ui.vertical(|ui| {
        ui.set_max_width(width);
        ui.add(egui::Label::new(text).wrap());
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_colours_are_readable_in_both_themes() {
        for dark in [false, true] {
            let visuals = if dark {
                egui::Visuals::dark()
            } else {
                egui::Visuals::light()
            };
            let p = Palette::of(&visuals);
            for (i, c) in p.team.iter().enumerate() {
                assert!(
                    super::super::theme::contrast(*c, p.on_fill) >= 4.5,
                    "team colour {i} (dark: {dark}): {:.2}",
                    super::super::theme::contrast(*c, p.on_fill)
                );
                assert!(
                    super::super::theme::contrast(*c, visuals.panel_fill) >= 3.0,
                    "team colour {i} on the background (dark: {dark})"
                );
                for other in &p.team[i + 1..] {
                    assert_ne!(c, other);
                }
            }
        }
    }

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(ordinal).into();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"
            ]
        );
    }

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
        };
        assert_eq!(state.matching_cards(&view), 2);
        let counts = category_counts(&view, &state.excluded_decks);
        assert_eq!(
            counts,
            vec![("date".into(), 3), ("actor".into(), 2), ("term".into(), 0)]
        );
    }
}
