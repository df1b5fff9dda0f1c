//! Settings: the profile's scheduling settings, what a desired retention costs (`chart`), the
//! memory model (`memory`: optimize, restore, paste parameters), appearance, and profiles.

mod chart;
mod memory;
mod plan;
mod sync;

use std::collections::BTreeMap;

use egui::{RichText, Ui};

use super::commands::{self, Command};
use super::theme::Palette;
use super::widgets;
use crate::ui::view::{AppCommand, AppContext, Screen, View};
use flashdrill_core::collection::Changes;

/// The desired-retention slider's width: 0.70 to 0.99 in steps of 0.01 about 11 points apart.
const RETENTION_SLIDER_WIDTH: f32 = 320.0;

pub use chart::describe as describe_workload;
pub use memory::{OPTIMIZE, PARAMETERS, RESTORE, USE_PARAMETERS};

/// A learner profile as listed in the switcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileRow {
    pub id: String,
    pub name: String,
}

pub struct SettingsView<'a> {
    /// Every setting by its key (`desired_retention`, `learning_steps`, …), as text.
    pub values: &'a BTreeMap<String, String>,
    pub profiles: &'a [ProfileRow],
    pub current_profile: &'a str,
    /// The undo button's label when the newest operation is a change of settings
    /// ("Undo Change desired retention").
    pub undo: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsAction {
    Set(String, String),
    SwitchProfile(String),
    CreateProfile(String),
    RenameProfile(String),
    DeleteProfile(String),
    /// Take back the newest change of settings.
    Undo,
}

/// The settings screen: text being edited (kept until it is applied) and the last rejected
/// change; the values themselves are the profile's, read each frame. The memory model's panel
/// and the retention chart keep their own jobs.
#[derive(Debug, Default)]
pub struct SettingsScreen {
    memory: memory::MemoryPanel,
    chart: chart::RetentionChart,
    plan: plan::PlanPanel,
    sync: sync::SyncPanel,
    drafts: BTreeMap<&'static str, String>,
    numbers: BTreeMap<&'static str, f32>,
    new_profile: String,
    rename: String,
    confirm_delete: Option<String>,
    /// The last rejected change: key ("profile" for the profiles) and message.
    error: Option<(String, String)>,
}

impl SettingsScreen {
    /// Draws the screen; `middle` draws the memory model's sections (they need the app's
    /// context) after the studying settings, given the desired retention on show.
    fn show(
        &mut self,
        ui: &mut Ui,
        view: &SettingsView<'_>,
        middle: &mut dyn FnMut(&mut Ui, &Palette, f32),
    ) -> Option<SettingsAction> {
        let palette = Palette::of(ui.visuals());
        let mut action = None;
        let mut shown_retention = 0.9;
        let value = |key: &str| view.values.get(key).cloned().unwrap_or_default();
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            widgets::centered_column(ui, 760.0, |ui| {
                ui.horizontal(|ui| {
                    ui.heading("Studying");
                    // On the heading's row, so that the settings below never move under the pointer.
                    if let Some(label) = view.undo {
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            if ui.button(label).on_hover_text_at_pointer(commands::tooltip(Command::Undo)).clicked() {
                                action = Some(SettingsAction::Undo);
                            }
                        });
                    }
                });
                form(ui, "settings-study", |ui| {
                    let mut retention: f32 = self.numbers.get("desired_retention").copied().unwrap_or_else(|| value("desired_retention").parse().unwrap_or(0.9));
                    shown_retention = retention;
                    let label = ui.label("Desired retention");
                    // Wide enough that one step of 0.01 is several points of travel, yet with
                    // its value inside a narrow window (projector zoom).
                    ui.spacing_mut().slider_width = (ui.available_width() - 70.0).clamp(100.0, RETENTION_SLIDER_WIDTH);
                    let r = ui
                        .add(egui::Slider::new(&mut retention, 0.70..=0.99).step_by(0.01).fixed_decimals(2))
                        .labelled_by(label.id)
                        .on_hover_text_at_pointer("The chance of remembering a card when it comes due. Higher means more reviews: 0.90 is a good balance; 0.95 roughly doubles the workload.");
                    if let Some(v) = self.settle("desired_retention", &r, retention) {
                        action = Some(SettingsAction::Set("desired_retention".into(), format!("{v:.2}")));
                    }
                    ui.end_row();
                    ui.label("");
                    hint(ui, &palette, "Higher retention means you forget less but review more often.");
                    ui.end_row();

                    action = action.take().or_else(|| self.number(ui, "New cards per day", "new_per_day", &value("new_per_day"), 0..=9999));
                    ui.end_row();
                    action = action.take().or_else(|| self.number(ui, "Reviews per day", "reviews_per_day", &value("reviews_per_day"), 0..=99_999));
                    ui.end_row();
                    action = action.take().or_else(|| self.text(ui, "Learning steps", "learning_steps", &value("learning_steps"), "Waits before a new card graduates, e.g. \"1m 10m\"."));
                    ui.end_row();
                    action = action.take().or_else(|| self.text(ui, "Relearning steps", "relearning_steps", &value("relearning_steps"), "Waits after a forgotten review, e.g. \"10m\"; empty for none."));
                    ui.end_row();
                    action = action.take().or_else(|| self.number(ui, "Maximum interval (days)", "maximum_interval", &value("maximum_interval"), 1..=36_500));
                    ui.end_row();
                    action = action.take().or_else(|| self.number(ui, "New day starts at (hour)", "day_starts_at", &value("day_starts_at"), 0..=23));
                    ui.end_row();
                    let mut fuzz = value("fuzz") == "true";
                    ui.label("Interval fuzz");
                    if ui.checkbox(&mut fuzz, "Spread reviews a little").changed() {
                        action = Some(SettingsAction::Set("fuzz".into(), fuzz.to_string()));
                    }
                    ui.end_row();
                    ui.label("");
                    hint(ui, &palette, "So cards learnt together don't fall due together.");
                    ui.end_row();
                    let mut bury = value("bury_siblings") == "true";
                    ui.label("Siblings");
                    if ui
                        .checkbox(&mut bury, "Bury siblings until the next day")
                        .on_hover_text_at_pointer("Siblings are cards on one fact (one deck group, or one date and event). Once one is answered, the others wait for tomorrow, so one card does not give away the next.")
                        .changed()
                    {
                        action = Some(SettingsAction::Set("bury_siblings".into(), bury.to_string()));
                    }
                    ui.end_row();
                    ui.label("");
                    hint(ui, &palette, "After one card on a fact, its other cards come the next day.");
                    ui.end_row();
                    action = action.take().or_else(|| self.number(ui, "Leech after lapses", "leech_threshold", &value("leech_threshold"), 1..=99));
                    ui.end_row();
                    ui.label("Leech action");
                    ui.horizontal_wrapped(|ui| {
                        let current = value("leech_action");
                        for (v, text) in [("suspend", "Suspend the card"), ("tag", "Tag only")] {
                            if ui.radio(current == v, text).clicked() && current != v {
                                action = Some(SettingsAction::Set("leech_action".into(), v.into()));
                            }
                        }
                    });
                    ui.end_row();
                });
                if let Some((key, message)) = &self.error {
                    ui.label(RichText::new(format!("{key}: {message}")).color(palette.wrong));
                }
                middle(ui, &palette, shown_retention);

                ui.add_space(16.0);
                ui.heading("Appearance");
                form(ui, "settings-look", |ui| {
                    ui.label("Theme");
                    ui.horizontal_wrapped(|ui| {
                        let current = value("theme");
                        for (v, text) in [("light", "Light"), ("dark", "Dark"), ("high-contrast", "High contrast"), ("system", "Follow system")] {
                            if ui.radio(current == v, text).clicked() && current != v {
                                action = Some(SettingsAction::Set("theme".into(), v.into()));
                            }
                        }
                    });
                    ui.end_row();
                    let mut zoom: f32 = self.numbers.get("zoom").copied().unwrap_or_else(|| value("zoom").parse().unwrap_or(1.0));
                    let label = ui.label("Zoom");
                    let r = ui
                        .add(egui::Slider::new(&mut zoom, 0.5..=3.0).step_by(0.1).fixed_decimals(1).suffix("×"))
                        .labelled_by(label.id)
                        .on_hover_text_at_pointer("Interface size; 2× suits a projector. Ctrl + / − / 0 also work.");
                    if let Some(v) = self.settle("zoom", &r, zoom) {
                        action = Some(SettingsAction::Set("zoom".into(), format!("{v:.1}")));
                    }
                    ui.end_row();
                });

                ui.add_space(16.0);
                action = action.take().or_else(|| self.profiles(ui, view, &palette));
            });
        });
        action
    }

    /// A number being dragged is kept here until the drag ends; then (or at once, when typed or
    /// changed by keys) it is returned to be saved.
    fn settle(&mut self, key: &'static str, response: &egui::Response, value: f32) -> Option<f32> {
        if response.dragged() {
            self.numbers.insert(key, value);
            return None;
        }
        let dragged = self.numbers.remove(key).is_some();
        (response.changed() || dragged || response.drag_stopped()).then_some(value)
    }

    fn number(
        &mut self,
        ui: &mut Ui,
        label: &str,
        key: &'static str,
        current: &str,
        range: std::ops::RangeInclusive<u32>,
    ) -> Option<SettingsAction> {
        let label = ui.label(label);
        let mut v = self
            .numbers
            .get(key)
            .map_or_else(|| current.parse().unwrap_or(*range.start()), |d| *d as u32);
        let r = ui
            .add(egui::DragValue::new(&mut v).range(range))
            .labelled_by(label.id);
        self.settle(key, &r, v as f32)
            .map(|v| SettingsAction::Set(key.into(), (v as u32).to_string()))
    }

    fn text(
        &mut self,
        ui: &mut Ui,
        label: &str,
        key: &'static str,
        current: &str,
        hint: &str,
    ) -> Option<SettingsAction> {
        let label = ui.label(label);
        let draft = self.drafts.entry(key).or_insert_with(|| current.to_owned());
        let response = ui
            .add(egui::TextEdit::singleline(draft).desired_width(160.0))
            .labelled_by(label.id)
            .on_hover_text_at_pointer(hint);
        if response.lost_focus() && draft.trim() != current {
            let value = draft.trim().to_owned();
            self.drafts.remove(key);
            return Some(SettingsAction::Set(key.into(), value));
        }
        if !response.has_focus() && !response.lost_focus() && draft != current {
            current.clone_into(draft);
        }
        None
    }

    fn profiles(
        &mut self,
        ui: &mut Ui,
        view: &SettingsView<'_>,
        palette: &Palette,
    ) -> Option<SettingsAction> {
        let mut action = None;
        ui.heading("Profiles");
        ui.label(RichText::new("Each learner on this computer has a profile of their own, with their own progress.").color(palette.muted).small());
        for profile in view.profiles {
            ui.horizontal_wrapped(|ui| {
                let current = profile.id == view.current_profile;
                if ui
                    .radio(current, &profile.name)
                    .on_hover_text_at_pointer("Switch to this profile")
                    .clicked()
                    && !current
                {
                    action = Some(SettingsAction::SwitchProfile(profile.id.clone()));
                }
                if current {
                    ui.label(RichText::new("(current)").color(palette.muted).small());
                } else if self.confirm_delete.as_deref() == Some(&profile.id) {
                    ui.label(
                        RichText::new(format!("Delete {} and all its progress?", profile.name))
                            .color(palette.wrong),
                    );
                    if ui.button(format!("Yes, delete {}", profile.name)).clicked() {
                        action = Some(SettingsAction::DeleteProfile(profile.id.clone()));
                        self.confirm_delete = None;
                    }
                    if ui.button("Keep it").clicked() {
                        self.confirm_delete = None;
                    }
                } else if ui
                    .button(format!("Delete {}…", profile.name))
                    .on_hover_text_at_pointer("Asks before deleting")
                    .clicked()
                {
                    self.confirm_delete = Some(profile.id.clone());
                }
            });
        }
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("New profile:");
            ui.add(
                egui::TextEdit::singleline(&mut self.new_profile)
                    .hint_text("Learner's name")
                    .desired_width(200.0),
            )
            .labelled_by(label.id);
            if ui
                .add_enabled(
                    !self.new_profile.trim().is_empty(),
                    egui::Button::new("Create profile"),
                )
                .clicked()
            {
                action = Some(SettingsAction::CreateProfile(
                    self.new_profile.trim().to_owned(),
                ));
                self.new_profile.clear();
            }
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Rename current profile:");
            ui.add(
                egui::TextEdit::singleline(&mut self.rename)
                    .hint_text("New name")
                    .desired_width(200.0),
            )
            .labelled_by(label.id);
            if ui
                .add_enabled(!self.rename.trim().is_empty(), egui::Button::new("Rename"))
                .clicked()
            {
                action = Some(SettingsAction::RenameProfile(self.rename.trim().to_owned()));
                self.rename.clear();
            }
        });
        action
    }
}

impl SettingsScreen {
    /// Shows why a change to `key` was refused.
    pub fn set_error(&mut self, key: &str, message: String) {
        self.error = Some((key.to_owned(), message));
    }

    /// Shows a deck's exam date and retention when the screen opens next.
    pub fn plan_deck(&mut self, deck_id: String) {
        self.plan.choose(deck_id);
    }

    pub fn clear_error(&mut self) {
        self.error = None;
    }
}

impl View for SettingsScreen {
    fn open(&mut self, cx: &mut AppContext<'_>) {
        self.memory.open(cx);
        self.chart.open(cx);
    }

    fn background(&mut self, cx: &mut AppContext<'_>) {
        self.memory.background(cx);
    }

    fn changed(&mut self, changes: Changes) {
        self.chart.changed(changes);
        if changes.settings {
            // Show the settings as saved (an undo may have put older ones back).
            self.numbers.clear();
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>) {
        let values: BTreeMap<String, String> = cx
            .settings()
            .iter()
            .map(|(info, v)| (info.key.to_owned(), v))
            .collect();
        let profiles: Vec<ProfileRow> = cx
            .profiles
            .map(|p| {
                p.list()
                    .iter()
                    .map(|i| ProfileRow {
                        id: i.slug.clone(),
                        name: i.name.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let current = cx.profile.map(|p| p.slug.clone()).unwrap_or_default();
        // The undo of a change to the settings (one undo stack; this screen offers its own kind).
        let undo = cx
            .col()
            .undo_op()
            .filter(|op| op.changes().settings)
            .and_then(|_| cx.col().undo_label());
        let view = SettingsView {
            values: &values,
            profiles: &profiles,
            current_profile: &current,
            undo: undo.as_deref(),
        };
        let mut chart = std::mem::take(&mut self.chart);
        let mut memory = std::mem::take(&mut self.memory);
        let mut plan = std::mem::take(&mut self.plan);
        let mut sync = std::mem::take(&mut self.sync);
        let action = self.show(ui, &view, &mut |ui, palette, retention| {
            ui.add_space(16.0);
            ui.heading("What a desired retention costs");
            chart.ui(ui, cx, palette, retention);
            ui.add_space(16.0);
            ui.heading("Exams and workload");
            plan.ui(ui, cx, palette);
            ui.add_space(16.0);
            ui.heading("Memory model");
            memory.ui(ui, cx, palette);
            ui.add_space(16.0);
            ui.heading("Sync with your other computers");
            sync.ui(ui, cx, palette);
        });
        self.chart = chart;
        self.memory = memory;
        self.plan = plan;
        self.sync = sync;
        let Some(action) = action else {
            return;
        };
        cx.send(match action {
            SettingsAction::Set(key, value) => AppCommand::SetSetting { key, value },
            SettingsAction::SwitchProfile(slug) => AppCommand::SwitchProfile(slug),
            SettingsAction::CreateProfile(name) => AppCommand::CreateProfile(name),
            SettingsAction::RenameProfile(name) => AppCommand::RenameProfile(name),
            SettingsAction::DeleteProfile(slug) => AppCommand::DeleteProfile(slug),
            SettingsAction::Undo => AppCommand::Undo,
        });
    }

    fn command(&mut self, command: Command, cx: &mut AppContext<'_>) {
        match command {
            Command::Back => cx.send(AppCommand::GoTo(Screen::Home)),
            Command::Undo => cx.send(AppCommand::Undo),
            _ => {}
        }
    }
}

/// A small muted line under a setting, wrapped to the room it has (a form's cell too).
fn hint(ui: &mut Ui, palette: &Palette, text: &str) {
    ui.add(egui::Label::new(RichText::new(text).color(palette.muted).small()).wrap());
}

/// Labels and their controls side by side in two columns; in a narrow window (projector zoom)
/// each label above its control instead, so that nothing runs off the window's edge.
fn form(ui: &mut Ui, id: &str, add: impl FnOnce(&mut Ui)) {
    if widgets::is_narrow(ui) {
        ui.vertical(|ui| {
            ui.spacing_mut().item_spacing.y = 6.0;
            add(ui);
        });
    } else {
        egui::Grid::new(id)
            .num_columns(2)
            .spacing([16.0, 10.0])
            .show(ui, add);
    }
}
