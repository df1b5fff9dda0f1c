//! The classes screen's forms: a new class, a class's roster (add, rename, remove, reset a
//! phone) and its decks and settings.

use egui::{RichText, Ui};

use super::{FileFor, OpenClass, count, hint, section, when};
use crate::ui::messages;
use crate::ui::notice::Notice;
use crate::ui::theme::Palette;
use crate::ui::view::AppContext;
use crate::ui::widgets;
use flashdrill_core::class::{Class, ClassSettings};
use flashdrill_core::schedule::format_steps;

/// The desired-retention slider's width (as on the settings screen).
const RETENTION_SLIDER_WIDTH: f32 = 320.0;

/// The names typed in a roster field, one a line; none when every line is blank (line
/// numbers count every line, as the refusals say them).
fn typed_names(text: &str) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    text.lines().map(str::to_owned).collect()
}

/// Appends `names` to a roster field, one a line.
fn append_names(field: &mut String, names: &[String]) {
    if !field.trim().is_empty() && !field.ends_with('\n') {
        field.push('\n');
    }
    if field.trim().is_empty() {
        field.clear();
    }
    for n in names {
        field.push_str(n);
        field.push('\n');
    }
}

/// A button that shows `text` and is spoken (and explained on hover) as `spoken`: short on
/// screen, unmistakable to a screen reader ("Remove…" / "Remove Ana…").
fn named_button(ui: &mut Ui, text: &str, spoken: &str) -> egui::Response {
    let response = ui.button(text).on_hover_text(spoken);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, spoken));
    response
}

/// A multi-line field for names, labelled `label`.
fn names_field(ui: &mut Ui, label: &str, text: &mut String) -> egui::Response {
    let label = ui.label(label);
    ui.add(
        egui::TextEdit::multiline(text)
            .desired_rows(6)
            .desired_width(360.0)
            .hint_text("Ana Lima\nBo Chen\n…"),
    )
    .labelled_by(label.id)
}

/// The deck checkboxes: the library's decks, then the chosen ones it does not have. A deck
/// checked is added at the end (new cards come in the decks' order).
fn deck_choice(ui: &mut Ui, cx: &AppContext<'_>, chosen: &mut Vec<String>) {
    let mut decks: Vec<(String, String)> = cx
        .library()
        .decks
        .iter()
        .map(|d| (d.deck.id.clone(), d.deck.title.clone()))
        .collect();
    for id in chosen.iter() {
        if !decks.iter().any(|(d, _)| d == id) {
            decks.push((id.clone(), format!("{id} (not in the library)")));
        }
    }
    if decks.is_empty() {
        ui.label("There are no decks yet: add one on the Decks screen first.");
    }
    for (id, title) in decks {
        let mut on = chosen.contains(&id);
        if ui.checkbox(&mut on, &title).changed() {
            if on {
                chosen.push(id);
            } else {
                chosen.retain(|d| d != &id);
            }
        }
    }
}

/// What the new-class form asks of the screen.
pub enum CreateOutcome {
    None,
    Cancel,
    /// Read names from a file into the roster field.
    ReadFile,
    /// The class with this key was made: open it and say so.
    Created(i64, Notice),
    /// Nothing was made: why.
    Refused(Notice),
}

/// The form for a new class: its name, decks and roster.
#[derive(Debug, Default)]
pub struct CreateForm {
    name: String,
    decks: Vec<String>,
    roster: String,
}

impl CreateForm {
    /// Adds names read from a file to the roster field.
    pub fn take_names(&mut self, names: &[String]) {
        append_names(&mut self.roster, names);
    }

    pub fn show(
        &mut self,
        ui: &mut Ui,
        cx: &mut AppContext<'_>,
        notice: Option<&Notice>,
    ) -> CreateOutcome {
        let palette = cx.palette;
        let mut out = CreateOutcome::None;
        ui.heading("New class");
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let label = ui.label("Class name");
            ui.add(
                egui::TextEdit::singleline(&mut self.name)
                    .hint_text("7b history")
                    .desired_width(280.0),
            )
            .labelled_by(label.id);
        });
        section(ui, "Its decks");
        hint(
            ui,
            &palette,
            "Each student studies the cards of these decks, new cards in this order.",
        );
        deck_choice(ui, cx, &mut self.decks);
        section(ui, "Its students");
        names_field(ui, "Students, one name per line", &mut self.roster);
        ui.horizontal(|ui| {
            if ui
                .button("Read names from a file…")
                .on_hover_text(
                    "A text file with one name per line, or a CSV file with a name column",
                )
                .clicked()
            {
                out = CreateOutcome::ReadFile;
            }
            hint(
                ui,
                &palette,
                "A text file, one name per line, or a CSV file with a \"name\" column.",
            );
        });
        hint(
            ui,
            &palette,
            "Names are matched ignoring case, accents and extra spaces: \"zoe roy\" and \"Zoë Roy\" are one student.",
        );
        ui.add_space(8.0);
        if let Some(notice) = notice {
            notice.show(ui, &palette);
        }
        ui.horizontal(|ui| {
            if widgets::primary_button(ui, "Create class", &palette).clicked() {
                out = self.create(cx);
            }
            if ui.button("Cancel").clicked() {
                out = CreateOutcome::Cancel;
            }
        });
        out
    }

    fn create(&mut self, cx: &mut AppContext<'_>) -> CreateOutcome {
        let settings = ClassSettings::from_profile(cx.settings());
        let names = typed_names(&self.roster);
        let now = cx.now;
        match cx.apply(|col| col.create_class(&self.name, &self.decks, &settings, &names, now)) {
            Ok((class, students)) => {
                let notice = Notice::success(format!(
                    "Created {} with {}.",
                    class.name,
                    count(students.len(), "student", "students")
                ));
                *self = Self::default();
                CreateOutcome::Created(class.key, notice)
            }
            Err(err) => CreateOutcome::Refused(Notice::error(messages::collection(
                "No class was created",
                &err,
            ))),
        }
    }
}

/// The roster's forms on a class's page.
#[derive(Debug, Default)]
pub struct RosterForm {
    /// Names to add, one a line.
    add: String,
    /// The student being renamed (their id) and the name typed.
    pub rename: Option<(String, String)>,
    /// The student to remove once the teacher says yes (their id), with what goes with them:
    /// their answers and the cards they have a schedule for.
    pub remove: Option<(String, usize, usize)>,
    /// The rename field takes the keyboard when it opens.
    focus_rename: bool,
}

impl RosterForm {
    /// Adds names read from a file to the field of names to add.
    pub fn take_names(&mut self, names: &[String]) {
        append_names(&mut self.add, names);
    }
}

/// What the roster part asks of the screen.
#[derive(Default)]
pub struct RosterOutcome {
    pub file: Option<FileFor>,
    pub notice: Option<Notice>,
}

/// What the roster part does on a click.
enum RosterAction {
    Rename(String),
    SaveName(String),
    Reset(String),
    AskRemove(String),
    Remove(String),
    Export(String),
}

/// A class's students: the roster with what can be done to each, and the names to add.
pub fn roster(ui: &mut Ui, open: &mut OpenClass, cx: &mut AppContext<'_>) -> RosterOutcome {
    let palette = cx.palette;
    let mut out = RosterOutcome::default();
    let mut action = None;
    if open.students.is_empty() {
        ui.label("No students yet: add their names below.");
    } else {
        hint(
            ui,
            &palette,
            "A student's phone remembers them: \"Reset phone\" makes them join again with their name (a lost or swapped phone).",
        );
        egui::Grid::new("class-roster")
            .num_columns(4)
            .striped(true)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                for h in ["Student", "Answers", "Last answer", ""] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for s in &open.students {
                    let row = open
                        .report
                        .as_ref()
                        .and_then(|r| r.students.iter().find(|r| r.id == s.id));
                    let renaming = open.roster.rename.as_ref().is_some_and(|(id, _)| id == &s.id);
                    if let Some((_, draft)) = &mut open.roster.rename
                        && renaming
                    {
                        let field = ui.add(
                            egui::TextEdit::singleline(draft).desired_width(180.0),
                        );
                        let spoken = format!("New name for {}", s.name);
                        field.widget_info(|| {
                            let mut info =
                                egui::WidgetInfo::text_edit(true, "", draft.as_str(), "");
                            info.label = Some(spoken.clone());
                            info
                        });
                        if open.roster.focus_rename {
                            field.request_focus();
                            open.roster.focus_rename = false;
                        }
                        if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                            action = Some(RosterAction::SaveName(s.id.clone()));
                        }
                    } else {
                        ui.label(&s.name);
                    }
                    ui.label(row.map_or_else(|| "–".to_owned(), |r| r.reviews.to_string()));
                    ui.label(
                        row.and_then(|r| r.last_answer)
                            .map_or_else(|| "–".to_owned(), |t| when(t.to_utc())),
                    );
                    ui.horizontal(|ui| {
                        // Four buttons a row: compact, so that they fit at 800 points.
                        ui.spacing_mut().button_padding.x = 7.0;
                        ui.spacing_mut().item_spacing.x = 6.0;
                        if renaming {
                            if named_button(ui, "Save name", &format!("Save {}'s new name", s.name)).clicked() {
                                action = Some(RosterAction::SaveName(s.id.clone()));
                            }
                            if named_button(ui, "Cancel", &format!("Keep the name {}", s.name)).clicked() {
                                open.roster.rename = None;
                            }
                        } else if named_button(ui, "Rename…", &format!("Rename {}…", s.name)).clicked() {
                            action = Some(RosterAction::Rename(s.id.clone()));
                        }
                        if named_button(ui, "Reset phone", &format!("Reset {}'s phone", s.name))
                            .clicked()
                        {
                            action = Some(RosterAction::Reset(s.id.clone()));
                        }
                        if named_button(ui, "Export progress…", &format!("Export {}'s progress…", s.name))
                            .clicked()
                        {
                            action = Some(RosterAction::Export(s.id.clone()));
                        }
                        if named_button(ui, "Remove…", &format!("Remove {}…", s.name)).clicked() {
                            action = Some(RosterAction::AskRemove(s.id.clone()));
                        }
                    });
                    ui.end_row();
                    if let Some((id, answers, cards)) = open.roster.remove.clone()
                        && id == s.id
                    {
                        ui.label("");
                        ui.vertical(|ui| {
                            ui.label(
                                RichText::new(format!(
                                    "Remove {} from {}? Their {} and their schedule of {} are deleted from this computer; this cannot be undone.",
                                    s.name,
                                    open.class.name,
                                    count(answers, "answer", "answers"),
                                    count(cards, "card", "cards"),
                                ))
                                .color(palette.wrong),
                            );
                            ui.horizontal(|ui| {
                                if ui.button(format!("Yes, remove {}", s.name)).clicked() {
                                    action = Some(RosterAction::Remove(s.id.clone()));
                                }
                                if ui.button(format!("Keep {}", s.name)).clicked() {
                                    open.roster.remove = None;
                                }
                            });
                        });
                        ui.end_row();
                    }
                }
            });
    }
    if let Some(action) = action {
        out = roster_action(action, open, cx);
    }

    section(ui, "More students");
    names_field(ui, "Names to add, one per line", &mut open.roster.add);
    ui.horizontal(|ui| {
        let can_add = !open.roster.add.trim().is_empty();
        if ui
            .add_enabled(can_add, egui::Button::new("Add students"))
            .clicked()
        {
            let names = typed_names(&open.roster.add);
            let now = cx.now;
            let class = open.class.clone();
            match cx.apply(|col| col.add_students(&class, &names, now)) {
                Ok(added) => {
                    open.roster.add.clear();
                    out.notice = Some(Notice::success(format!(
                        "Added {} to {}.",
                        added
                            .iter()
                            .map(|s| s.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        class.name
                    )));
                }
                Err(err) => {
                    out.notice = Some(Notice::error(messages::collection(
                        "No student was added",
                        &err,
                    )));
                }
            }
        }
        if ui
            .button("Read names from a file…")
            .on_hover_text("A text file with one name per line, or a CSV file with a name column")
            .clicked()
        {
            out.file = Some(FileFor::AddRoster);
        }
    });
    out
}

fn roster_action(
    action: RosterAction,
    open: &mut OpenClass,
    cx: &mut AppContext<'_>,
) -> RosterOutcome {
    let mut out = RosterOutcome::default();
    let name_of = |id: &str| {
        open.students
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
    };
    let class = open.class.clone();
    match action {
        RosterAction::Rename(id) => {
            let name = name_of(&id).unwrap_or_default();
            open.roster.rename = Some((id, name));
            open.roster.focus_rename = true;
        }
        RosterAction::SaveName(id) => {
            let (Some(old), Some((_, new))) = (name_of(&id), open.roster.rename.clone()) else {
                return out;
            };
            match cx.apply(|col| col.rename_student(&class, &old, &new)) {
                Ok(s) => {
                    open.roster.rename = None;
                    out.notice = Some(Notice::success(format!(
                        "Renamed {old} to {}; their progress stays.",
                        s.name
                    )));
                }
                Err(err) => {
                    out.notice = Some(Notice::error(messages::collection(
                        &format!("{old} was not renamed"),
                        &err,
                    )));
                }
            }
        }
        RosterAction::Reset(id) => {
            let Some(name) = name_of(&id) else {
                return out;
            };
            out.notice = Some(
                match cx.apply(|col| col.reset_student_phone(&class, &name)) {
                    Ok(s) => Notice::success(format!(
                        "Reset {}'s phone: next lesson they join again with their name.",
                        s.name
                    )),
                    Err(err) => Notice::error(messages::collection(
                        &format!("{name}'s phone was not reset"),
                        &err,
                    )),
                },
            );
        }
        RosterAction::AskRemove(id) => {
            let Some(store) = cx.store() else {
                return out;
            };
            let key = open.students.iter().find(|s| s.id == id).map(|s| s.key);
            let lost = key.map(|k| (store.student_reviews(k), store.student_cards(k)));
            match lost {
                Some((Ok(answers), Ok(cards))) => {
                    open.roster.remove = Some((id, answers.len(), cards.len()));
                }
                Some((Err(err), _) | (_, Err(err))) => {
                    out.notice = Some(Notice::error(messages::store(
                        "The student's progress could not be read, so nothing was removed",
                        &err,
                    )));
                }
                None => {}
            }
        }
        RosterAction::Remove(id) => {
            open.roster.remove = None;
            let Some(name) = name_of(&id) else {
                return out;
            };
            out.notice = Some(match cx.apply(|col| col.remove_student(&class, &name)) {
                Ok(answers) => Notice::success(format!(
                    "Removed {name} from {} with their {}.",
                    class.name,
                    count(
                        usize::try_from(answers).unwrap_or(usize::MAX),
                        "answer",
                        "answers"
                    )
                )),
                Err(err) => Notice::error(messages::collection(
                    &format!("{name} was not removed"),
                    &err,
                )),
            });
        }
        RosterAction::Export(id) => out.file = Some(FileFor::Progress(id)),
    }
    out
}

/// A class's decks and settings being edited.
#[derive(Debug, Clone, PartialEq)]
pub struct SettingsForm {
    name: String,
    decks: Vec<String>,
    retention: f32,
    new_per_day: u32,
    learning: String,
    relearning: String,
}

impl SettingsForm {
    pub fn of(class: &Class) -> Self {
        Self {
            name: class.name.clone(),
            decks: class.decks.clone(),
            retention: class.settings.desired_retention,
            new_per_day: class.settings.new_per_day,
            learning: format_steps(&class.settings.learning_steps),
            relearning: format_steps(&class.settings.relearning_steps),
        }
    }

    /// The class with this form's values, checked as the profile's settings are; else what
    /// is wrong.
    fn apply_to(&self, class: &Class, cx: &AppContext<'_>) -> Result<Class, String> {
        let mut s = cx.settings().clone();
        let retention = format!("{:.2}", self.retention);
        let new_per_day = self.new_per_day.to_string();
        s.set_all([
            ("desired_retention", retention.as_str()),
            ("new_per_day", new_per_day.as_str()),
            ("learning_steps", self.learning.trim()),
            ("relearning_steps", self.relearning.trim()),
        ])
        .map_err(|errors| {
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        })?;
        let mut class = class.clone();
        class.name.clone_from(&self.name);
        class.decks.clone_from(&self.decks);
        class.settings = ClassSettings::from_profile(&s);
        Ok(class)
    }
}

/// What the settings part asks of the screen.
pub enum SettingsOutcome {
    None,
    Notice(Notice),
    /// The class was deleted: back to the list, saying so.
    Deleted(Notice),
}

/// A class's name, decks and settings, saved with one button; and deleting the class, after a
/// question that says what goes with it.
pub fn settings(ui: &mut Ui, open: &mut OpenClass, cx: &mut AppContext<'_>) -> SettingsOutcome {
    let notice = edit_settings(ui, open, cx);
    let deleted = delete_class(ui, open, cx);
    match (deleted, notice) {
        (Some(deleted), _) => deleted,
        (None, Some(notice)) => SettingsOutcome::Notice(notice),
        (None, None) => SettingsOutcome::None,
    }
}

fn delete_class(
    ui: &mut Ui,
    open: &mut OpenClass,
    cx: &mut AppContext<'_>,
) -> Option<SettingsOutcome> {
    let palette = cx.palette;
    let name = open.class.name.clone();
    section(ui, "Delete the class");
    if !open.confirm_delete {
        if ui
            .button(format!("Delete {name}…"))
            .on_hover_text("Asks before deleting")
            .clicked()
        {
            open.confirm_delete = true;
        }
        return None;
    }
    let answers = open
        .report
        .as_ref()
        .map(|r| r.students.iter().map(|s| s.reviews as usize).sum::<usize>());
    let answers = answers.map_or_else(
        || "all their answers".to_owned(),
        |n| format!("their {}", count(n, "answer", "answers")),
    );
    ui.label(
        RichText::new(format!(
            "Delete {name} with its {}, {answers} and their schedules? This cannot be undone; export the report or the students' progress first to keep them.",
            count(open.students.len(), "student", "students"),
        ))
        .color(palette.wrong),
    );
    let mut out = None;
    ui.horizontal(|ui| {
        if ui.button(format!("Yes, delete {name}")).clicked() {
            let class = open.class.clone();
            out = Some(match cx.apply(|col| col.delete_class(&class)) {
                Ok(n) => SettingsOutcome::Deleted(Notice::success(format!(
                    "Deleted {name} and its {}.",
                    count(
                        usize::try_from(n).unwrap_or(usize::MAX),
                        "answer",
                        "answers"
                    )
                ))),
                Err(err) => SettingsOutcome::Notice(Notice::error(messages::collection(
                    &format!("{name} was not deleted"),
                    &err,
                ))),
            });
            open.confirm_delete = false;
        }
        if ui.button(format!("Keep {name}")).clicked() {
            open.confirm_delete = false;
        }
    });
    out
}

/// A class's name, decks and settings, saved with one button.
fn edit_settings(ui: &mut Ui, open: &mut OpenClass, cx: &mut AppContext<'_>) -> Option<Notice> {
    let palette: Palette = cx.palette;
    let form = &mut open.settings;
    let mut notice = None;
    ui.horizontal(|ui| {
        let label = ui.label("Class name");
        ui.add(egui::TextEdit::singleline(&mut form.name).desired_width(280.0))
            .labelled_by(label.id);
    });
    section(ui, "Decks");
    hint(
        ui,
        &palette,
        "Students get new cards in the decks' order; a deck taken away keeps their progress on its cards.",
    );
    deck_choice(ui, cx, &mut form.decks);
    section(ui, "Scheduling");
    hint(
        ui,
        &palette,
        "The class's own; the rest (the memory model, the maximum interval) is this profile's.",
    );
    egui::Grid::new("class-settings")
        .num_columns(2)
        .spacing([16.0, 10.0])
        .show(ui, |ui| {
            let label = ui.label("Desired retention");
            ui.spacing_mut().slider_width = RETENTION_SLIDER_WIDTH;
            ui.add(
                egui::Slider::new(&mut form.retention, 0.70..=0.99)
                    .step_by(0.01)
                    .fixed_decimals(2),
            )
            .labelled_by(label.id)
            .on_hover_text("The chance each student remembers a card when it comes back to them");
            ui.end_row();
            let label = ui.label("New cards per student per day");
            ui.add(egui::DragValue::new(&mut form.new_per_day).range(0..=9999))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("Learning steps");
            ui.add(egui::TextEdit::singleline(&mut form.learning).desired_width(160.0))
                .labelled_by(label.id)
                .on_hover_text("Waits before a new card graduates, e.g. \"1m 10m\"");
            ui.end_row();
            let label = ui.label("Relearning steps");
            ui.add(egui::TextEdit::singleline(&mut form.relearning).desired_width(160.0))
                .labelled_by(label.id)
                .on_hover_text("Waits after a card is forgotten, e.g. \"10m\"; empty for none");
            ui.end_row();
        });
    ui.add_space(8.0);
    let saved = SettingsForm::of(&open.class);
    let changed = *form != saved;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(changed, egui::Button::new("Save changes"))
            .clicked()
        {
            notice = Some(match form.apply_to(&open.class, cx) {
                Ok(class) => match cx.apply(|col| col.update_class(&class)) {
                    Ok(()) => {
                        Notice::success(format!("Saved the decks and settings of {}.", class.name))
                    }
                    Err(err) => Notice::error(messages::collection("Nothing was saved", &err)),
                },
                Err(why) => Notice::error(format!("Nothing was saved: {why}.")),
            });
        }
        if ui
            .add_enabled(changed, egui::Button::new("Undo these changes"))
            .clicked()
        {
            *form = saved;
        }
    });
    notice
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_rosters_keep_their_line_numbers() {
        assert!(typed_names(" \n\n").is_empty());
        assert_eq!(typed_names("Ana\n\nBo"), ["Ana", "", "Bo"]);
        let mut field = "Ana".to_owned();
        append_names(&mut field, &["Bo".to_owned()]);
        assert_eq!(field, "Ana\nBo\n");
        let mut empty = "  \n".to_owned();
        append_names(&mut empty, &["Cy".to_owned()]);
        assert_eq!(empty, "Cy\n");
    }
}
