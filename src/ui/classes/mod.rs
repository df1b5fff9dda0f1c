//! Classes: a teacher's classes, each with its roster, its decks and its own settings, and
//! every student's progress over time (issue 22; the model is in `docs/class-memory.md`).
//!
//! - The list: every class with its decks, students, answers and last answer; "New class…".
//! - Creating a class: a name, its decks from the library, a roster typed one name per line
//!   or read from a file (duplicates refused with their line).
//! - A class's page, in three parts: its students (add, rename, remove with a question first,
//!   reset a phone, export a student's progress), its report (per student with a chart, per
//!   card, the class heatmap; exported as CSV, JSON or a printable page) and its decks and
//!   settings.
//!
//! Changes go through the collection's class operations; the report is computed as a job on
//! its own connection to the profile's database.

mod forms;
mod report;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Local, Utc};
use egui::{RichText, Ui};

use crate::jobs::{self, Job};
use crate::ui::commands::Command;
use crate::ui::file_ask::FileAsk;
use crate::ui::messages;
use crate::ui::notice::{Notice, file_name};
use crate::ui::theme::{Palette, size};
use crate::ui::view::{AppCommand, AppContext, Screen, View};
use crate::ui::widgets;
use flashdrill_core::class::report::ClassReport;
use flashdrill_core::class::{Class, ClassCard, ClassSummary, Student, parse_roster};
use flashdrill_core::collection::Changes;
use flashdrill_core::stats::report::write_atomically;

pub use forms::CreateForm;

/// The largest roster file read: a roster of thousands of names is far smaller.
const MAX_ROSTER_BYTES: u64 = 1024 * 1024;

/// The column the screen's content sits in.
const WIDTH: f32 = 980.0;

/// What the screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
enum Page {
    /// Every class.
    #[default]
    List,
    /// The form for a new class.
    Create,
    /// One class (the one in [`ClassesScreen::open`]).
    Class,
}

/// The parts of a class's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Part {
    #[default]
    Students,
    Report,
    Settings,
}

impl Part {
    const ALL: [Self; 3] = [Self::Students, Self::Report, Self::Settings];

    const fn label(self) -> &'static str {
        match self {
            Self::Students => "Students",
            Self::Report => "Report",
            Self::Settings => "Decks and settings",
        }
    }
}

/// What a file question is for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FileFor {
    /// Names for the new class's roster.
    CreateRoster,
    /// Names to add to the open class.
    AddRoster,
    /// Where to save the open class's report.
    Report(report::Format),
    /// Where to save a student's progress (their id).
    Progress(String),
}

/// The report being computed: the class's key, and the report with the decks missing from
/// the library (or why it could not be made).
type ReportJob = Job<Result<(ClassReport, Vec<String>), String>>;

/// The class on show: as stored, its roster, its report and the forms on its page.
struct OpenClass {
    class: Class,
    students: Vec<Student>,
    part: Part,
    report: Option<ClassReport>,
    /// Decks of the class that are not in the library (their cards are left out).
    missing: Vec<String>,
    report_error: Option<String>,
    report_job: Option<ReportJob>,
    /// The student whose progress the report shows in detail (their id).
    selected: Option<String>,
    /// The roster's forms: adding, renaming, removing.
    roster: forms::RosterForm,
    /// The decks and settings being edited.
    settings: forms::SettingsForm,
    format: report::Format,
    /// "Delete the class" was clicked: the question is on show.
    confirm_delete: bool,
}

impl OpenClass {
    fn new(class: Class, students: Vec<Student>) -> Self {
        let settings = forms::SettingsForm::of(&class);
        Self {
            class,
            students,
            part: Part::default(),
            report: None,
            missing: Vec::new(),
            report_error: None,
            report_job: None,
            selected: None,
            roster: forms::RosterForm::default(),
            settings,
            format: report::Format::Html,
            confirm_delete: false,
        }
    }
}

/// The classes screen: its page, the classes listed, the class open, and the work in flight.
#[derive(Default)]
pub struct ClassesScreen {
    page: Page,
    classes: Vec<ClassSummary>,
    /// Why the classes could not be read.
    error: Option<String>,
    open: Option<OpenClass>,
    create: CreateForm,
    notice: Option<Notice>,
    /// A file question under way, and what it is for.
    file: Option<(Job<Option<PathBuf>>, FileFor)>,
    /// A file being written: what to say when it is done.
    export: Option<Job<Notice>>,
    /// The classes changed (here, elsewhere, or answers came in from a warm-up or a class's
    /// live game): read them and the open class's report again when next drawn.
    stale: bool,
    /// How long a warm-up started here lasts, in minutes (0: the usual 10).
    warmup_minutes: u64,
}

impl ClassesScreen {
    pub fn set_notice(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    /// Reads the classes (and the open class with its roster) again; starts its report.
    fn reload(&mut self, cx: &AppContext<'_>) {
        self.stale = false;
        let Some(store) = cx.store() else {
            self.classes.clear();
            self.open = None;
            self.error = Some(
                "No profile is open: open or create one under Settings → Profiles.".to_owned(),
            );
            return;
        };
        match store.classes() {
            Ok(list) => {
                self.classes = list;
                self.error = None;
            }
            Err(err) => {
                self.error = Some(class_message("Your classes could not be read", &err));
            }
        }
        let Some(key) = self.open.as_ref().map(|o| o.class.key) else {
            return;
        };
        let read = store.class_by_key(key).and_then(|c| {
            c.map(|class| store.students(&class).map(|s| (class, s)))
                .transpose()
        });
        match read {
            Ok(Some((class, students))) => {
                if let Some(open) = &mut self.open {
                    // Edits not saved yet stay.
                    if open.settings == forms::SettingsForm::of(&open.class) {
                        open.settings = forms::SettingsForm::of(&class);
                    }
                    open.class = class;
                    open.students = students;
                }
                self.start_report(cx);
            }
            Ok(None) => {
                self.open = None;
                self.page = Page::List;
            }
            Err(err) => {
                self.notice = Some(Notice::error(messages::store(
                    "The class could not be read",
                    &err,
                )));
            }
        }
    }

    /// Opens the class with key `key` on its students.
    fn open_class(&mut self, key: i64, cx: &AppContext<'_>) {
        let Some(store) = cx.store() else {
            return;
        };
        let read = store.class_by_key(key).and_then(|c| {
            c.map(|class| store.students(&class).map(|s| (class, s)))
                .transpose()
        });
        match read {
            Ok(Some((class, students))) => {
                self.open = Some(OpenClass::new(class, students));
                self.page = Page::Class;
                self.start_report(cx);
            }
            Ok(None) => self.stale = true,
            Err(err) => {
                self.notice = Some(Notice::error(messages::store(
                    "The class could not be read",
                    &err,
                )));
            }
        }
    }

    /// Computes the open class's report on its own connection.
    fn start_report(&mut self, cx: &AppContext<'_>) {
        let Some(open) = &mut self.open else {
            return;
        };
        let Some(connector) = cx.col().connector() else {
            return;
        };
        let library = Arc::clone(cx.library());
        let class = open.class.clone();
        open.report_job = Some(cx.jobs.spawn(move || {
            let store = connector
                .open()
                .map_err(|e| messages::store("The report could not be made", &e))?;
            let (cards, missing) = ClassCard::from_library(&library, &class.decks);
            flashdrill_core::class::report::load(&store, &class, &cards, &Local::now())
                .map(|r| (r, missing))
                .map_err(|e| class_message("The report could not be made", &e))
        }));
        self.poll();
    }

    /// Takes in the report, and a written file's outcome.
    fn poll(&mut self) {
        if let Some(open) = &mut self.open {
            match jobs::finished(&mut open.report_job) {
                Some(Ok(Ok((report, missing)))) => {
                    open.report = Some(report);
                    open.missing = missing;
                    open.report_error = None;
                }
                Some(Ok(Err(err))) => open.report_error = Some(err),
                Some(Err(jobs::Lost)) => {
                    open.report_error =
                        Some("Making the report stopped unexpectedly: try again.".to_owned());
                }
                None => {}
            }
        }
        match jobs::finished(&mut self.export) {
            Some(Ok(notice)) => self.notice = Some(notice),
            Some(Err(jobs::Lost)) => {
                self.notice = Some(Notice::error(
                    "Writing the file stopped unexpectedly: try again.",
                ));
            }
            None => {}
        }
    }

    /// Asks for a file for `what`.
    fn ask_file(&mut self, what: FileFor, cx: &mut AppContext<'_>) {
        let class = self
            .open
            .as_ref()
            .map_or_else(String::new, |o| o.class.name.clone());
        let ask = match &what {
            FileFor::CreateRoster | FileFor::AddRoster => FileAsk::open("Read names from a file")
                .filter("Names, one a line, or a CSV file", &["txt", "csv", "tsv"]),
            FileFor::Report(format) => FileAsk::save(
                "Export report",
                format!("{class} report.{}", format.extension()),
            )
            .filter(format.label(), &[format.extension()]),
            FileFor::Progress(id) => {
                let name = self
                    .open
                    .as_ref()
                    .and_then(|o| o.students.iter().find(|s| &s.id == id))
                    .map_or_else(|| "student".to_owned(), |s| s.name.clone());
                FileAsk::save("Export student's progress", format!("{name} progress.json"))
                    .filter("flashdrill progress", &["json"])
            }
        };
        self.file = Some((cx.choose_file(ask), what));
        self.poll_file(cx);
    }

    /// Takes in a chosen file and does what it was asked for.
    fn poll_file(&mut self, cx: &mut AppContext<'_>) {
        let Some((job, _)) = &mut self.file else {
            return;
        };
        let Some(picked) = job.poll() else {
            return;
        };
        let Some((_, what)) = self.file.take() else {
            return;
        };
        let Ok(Some(path)) = picked else {
            return;
        };
        match what {
            FileFor::CreateRoster => {
                if let Some(names) = self.read_names(&path) {
                    self.create.take_names(&names);
                }
            }
            FileFor::AddRoster => {
                if let Some(names) = self.read_names(&path)
                    && let Some(open) = &mut self.open
                {
                    open.roster.take_names(&names);
                }
            }
            FileFor::Report(format) => self.export_report(&path, format, cx),
            FileFor::Progress(id) => self.export_progress(&path, &id, cx),
        }
    }

    /// The names of a roster file; `None` (and the reason on show, naming the file and the
    /// line) when it cannot be used.
    fn read_names(&mut self, path: &Path) -> Option<Vec<String>> {
        let file = file_name(path);
        let too_big = std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_ROSTER_BYTES);
        // Not read at all when it is too large.
        let bytes = if too_big {
            Ok(None)
        } else {
            std::fs::read(path).map(Some)
        };
        let read = match bytes {
            Ok(None) => Err(format!(
                "{file} is too large to be a list of names (over 1 MB): choose the class's roster file."
            )),
            Ok(Some(bytes)) => String::from_utf8(bytes).map_err(|_| {
                format!(
                    "{file} is not text flashdrill can read: save it as UTF-8 text and try again."
                )
            }),
            Err(err) => Err(format!(
                "{file} could not be read ({}): check that it is there and that you may open it.",
                err.kind()
            )),
        };
        let names = read.and_then(|text| {
            parse_roster(&text)
                .map(|names| names.into_iter().map(|n| n.name).collect::<Vec<_>>())
                .map_err(|err| format!("{file}, {err}. No name was taken from it."))
        });
        match names {
            Ok(names) => {
                self.notice = Some(Notice::success(format!(
                    "Read {} from {file}: check them below.",
                    count(names.len(), "name", "names")
                )));
                Some(names)
            }
            Err(message) => {
                self.notice = Some(Notice::error(message));
                None
            }
        }
    }

    /// Writes the open class's report (as shown) to `path`, as a job.
    fn export_report(&mut self, path: &Path, format: report::Format, cx: &AppContext<'_>) {
        let Some(report) = self.open.as_ref().and_then(|o| o.report.clone()) else {
            self.notice = Some(Notice::error(
                "The report is not ready yet: try again in a moment.",
            ));
            return;
        };
        let path = path.to_path_buf();
        self.export = Some(cx.jobs.spawn(move || {
            let text = format.render(&report);
            match write_atomically(&path, &text) {
                Ok(()) => Notice::success(format!(
                    "Saved the report of {} ({}, {}) to {}.",
                    report.class,
                    count(report.students.len(), "student", "students"),
                    format.label(),
                    path.display()
                )),
                Err(err) => Notice::error(format!(
                    "The report was not saved to {}: {err}.",
                    path.display()
                )),
            }
        }));
        self.poll();
    }

    /// Writes a student's progress (`flashdrill-progress/1`) to `path`, as a job.
    fn export_progress(&mut self, path: &Path, id: &str, cx: &AppContext<'_>) {
        let student = self
            .open
            .as_ref()
            .and_then(|o| o.students.iter().find(|s| s.id == id).cloned());
        let (Some(student), Some(connector)) = (student, cx.col().connector()) else {
            self.notice = Some(Notice::error(
                "That student is no longer on the roster: nothing was saved.",
            ));
            return;
        };
        let path = path.to_path_buf();
        self.export = Some(cx.jobs.spawn(move || {
            let file = connector
                .open()
                .and_then(|store| flashdrill_core::class::export_student(&store, &student));
            let file = match file {
                Ok(file) => file,
                Err(err) => {
                    return Notice::error(messages::store(
                        &format!("{}'s progress was not saved", student.name),
                        &err,
                    ));
                }
            };
            match write_atomically(&path, &file.to_json()) {
                Ok(()) => Notice::success(format!(
                    "Saved {}'s progress ({}, {}) to {}. In their own flashdrill: \
                     flashdrill progress import {}",
                    student.name,
                    count(file.reviews.len(), "answer", "answers"),
                    count(file.cards.len(), "card", "cards"),
                    path.display(),
                    file_name(&path)
                )),
                Err(err) => Notice::error(format!(
                    "{}'s progress was not saved to {}: {err}.",
                    student.name,
                    path.display()
                )),
            }
        }));
        self.poll();
    }

    fn back(&mut self, cx: &mut AppContext<'_>) {
        // A question or a name being typed closes first.
        if let Some(open) = &mut self.open
            && self.page == Page::Class
            && (open.roster.rename.is_some() || open.roster.remove.is_some() || open.confirm_delete)
        {
            open.roster.rename = None;
            open.roster.remove = None;
            open.confirm_delete = false;
            return;
        }
        match self.page {
            Page::List => cx.send(AppCommand::GoTo(Screen::Drill)),
            Page::Create | Page::Class => {
                self.page = Page::List;
                self.open = None;
                self.notice = None;
            }
        }
    }

    fn list(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>) {
        let palette = cx.palette;
        ui.horizontal(|ui| {
            ui.heading("Classes");
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button("New class…")
                    .on_hover_text("A class with its decks and its roster of students")
                    .clicked()
                {
                    self.create = CreateForm::default();
                    self.notice = None;
                    self.page = Page::Create;
                }
            });
        });
        ui.label(
            RichText::new(
                "Each student on a class's roster keeps their own schedule of the class's \
                 cards, studied on their phone in class. Everything stays on this computer.",
            )
            .color(palette.muted),
        );
        ui.add_space(8.0);
        if self.classes.is_empty() {
            if self.error.is_none() {
                ui.label("No classes yet. Make one with \"New class…\": give it a name, its decks and its students' names.");
            }
            return;
        }
        let mut open = None;
        egui::Grid::new("classes-list")
            .num_columns(5)
            .striped(true)
            .spacing([18.0, 8.0])
            .show(ui, |ui| {
                for h in ["Class", "Students", "Answers", "Last answer", "Decks"] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for c in &self.classes {
                    if ui
                        .button(&c.class.name)
                        .on_hover_text(format!("Open {}", c.class.name))
                        .clicked()
                    {
                        open = Some(c.class.key);
                    }
                    ui.label(c.students.to_string());
                    ui.label(c.answers.to_string());
                    ui.label(c.last_answer.map_or_else(|| "–".to_owned(), when));
                    let decks: Vec<String> =
                        c.class.decks.iter().map(|d| deck_title(cx, d)).collect();
                    ui.label(if decks.is_empty() {
                        "none yet".to_owned()
                    } else {
                        decks.join("\n")
                    });
                    ui.end_row();
                }
            });
        if let Some(key) = open {
            self.notice = None;
            self.open_class(key, cx);
        }
    }

    fn class_page(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>) {
        let palette = cx.palette;
        let Some(open) = &mut self.open else {
            self.page = Page::List;
            return;
        };
        let mut back = false;
        ui.horizontal(|ui| {
            if ui.button("All classes").clicked() {
                back = true;
            }
            ui.heading(&open.class.name);
        });
        ui.label(
            RichText::new(format!(
                "{}; decks: {}",
                count(open.students.len(), "student", "students"),
                if open.class.decks.is_empty() {
                    "none yet (choose them under Decks and settings)".to_owned()
                } else {
                    open.class
                        .decks
                        .iter()
                        .map(|d| deck_title(cx, d))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ))
            .color(palette.muted),
        );
        if !open.class.decks.is_empty() && !open.students.is_empty() {
            ui.horizontal_wrapped(|ui| {
                if self.warmup_minutes == 0 {
                    self.warmup_minutes = 10;
                }
                let label = ui.label("On the students' phones: a warm-up of");
                ui.add(
                    egui::DragValue::new(&mut self.warmup_minutes)
                        .range(1..=180)
                        .suffix(" min"),
                )
                .labelled_by(label.id);
                if ui
                    .button("Start warm-up")
                    .on_hover_text(
                        "Each student studies their own cards on their phone: what they are \
                         due, then new cards. Shown on the projector as the class answers",
                    )
                    .clicked()
                {
                    cx.send(AppCommand::StartWarmup {
                        class: open.class.name.clone(),
                        minutes: self.warmup_minutes,
                    });
                }
                if ui
                    .button("Play the live game…")
                    .on_hover_text(
                        "The class drill's live game, played under the names on this roster",
                    )
                    .clicked()
                {
                    cx.send(AppCommand::PlayClassGame(open.class.name.clone()));
                }
            });
        }
        ui.horizontal(|ui| {
            for part in Part::ALL {
                if ui
                    .selectable_label(open.part == part, part.label())
                    .clicked()
                {
                    open.part = part;
                }
            }
        });
        ui.separator();
        if back {
            self.back(cx);
            return;
        }
        let mut asked = None;
        match open.part {
            Part::Students => {
                let out = forms::roster(ui, open, cx);
                asked = out.file;
                if let Some(notice) = out.notice {
                    self.notice = Some(notice);
                }
            }
            Part::Report => {
                asked = report::show(ui, open, cx);
            }
            Part::Settings => match forms::settings(ui, open, cx) {
                forms::SettingsOutcome::None => {}
                forms::SettingsOutcome::Notice(notice) => self.notice = Some(notice),
                forms::SettingsOutcome::Deleted(notice) => {
                    self.open = None;
                    self.page = Page::List;
                    self.notice = Some(notice);
                    return;
                }
            },
        }
        if let Some(what) = asked {
            self.ask_file(what, cx);
        }
    }
}

impl View for ClassesScreen {
    fn open(&mut self, cx: &mut AppContext<'_>) {
        self.reload(cx);
    }

    fn changed(&mut self, changes: Changes) {
        if changes.profile {
            // Another profile's classes: the one open was the other profile's.
            self.open = None;
            self.create = CreateForm::default();
            self.page = Page::List;
            self.notice = None;
        }
        if changes.touches(Changes::CLASSES | Changes::DECKS | Changes::PROFILE) {
            self.stale = true;
        }
    }

    fn background(&mut self, _cx: &mut AppContext<'_>) {
        self.poll();
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>) {
        self.poll();
        // Read again once the report under way is in: answers coming in one after another
        // (a warm-up) make one report at a time, not one a frame.
        if self.stale && self.open.as_ref().is_none_or(|o| o.report_job.is_none()) {
            self.reload(cx);
        }
        self.poll_file(cx);
        let palette = cx.palette;
        // Each page and part keeps its own place: the settings open at their top, not
        // where the report was scrolled to.
        let part = self.open.as_ref().map(|o| o.part);
        egui::ScrollArea::vertical()
            .id_salt(("classes", self.page, part))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                widgets::centered_column(ui, WIDTH, |ui| {
                    if let Some(error) = &self.error {
                        ui.label(RichText::new(error).color(palette.wrong));
                    }
                    if self.page != Page::Create
                        && let Some(notice) = &self.notice
                    {
                        notice.show(ui, &palette);
                    }
                    match self.page {
                        Page::List => self.list(ui, cx),
                        Page::Create => {
                            let out = self.create.show(ui, cx, self.notice.as_ref());
                            match out {
                                forms::CreateOutcome::None => {}
                                forms::CreateOutcome::Cancel => self.back(cx),
                                forms::CreateOutcome::ReadFile => {
                                    self.ask_file(FileFor::CreateRoster, cx);
                                }
                                forms::CreateOutcome::Created(key, notice) => {
                                    self.open_class(key, cx);
                                    self.notice = Some(notice);
                                }
                                forms::CreateOutcome::Refused(notice) => {
                                    self.notice = Some(notice);
                                }
                            }
                        }
                        Page::Class => self.class_page(ui, cx),
                    }
                });
            });
        let busy = self.file.is_some()
            || self.export.is_some()
            || self.open.as_ref().is_some_and(|o| o.report_job.is_some());
        if busy {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    fn command(&mut self, command: Command, cx: &mut AppContext<'_>) {
        if command == Command::Back {
            self.back(cx);
        }
    }
}

/// `doing` and why, from a class operation.
fn class_message(doing: &str, err: &flashdrill_core::class::ClassError) -> String {
    match err {
        flashdrill_core::class::ClassError::Store(err) => messages::store(doing, err),
        other => format!("{doing}: {other}."),
    }
}

/// "1 student", "3 students".
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A time as the screen writes it, in local time: "4 Dec 18:05" this year, else "4 Dec 2025".
fn when(t: DateTime<Utc>) -> String {
    use chrono::Datelike;
    let local = t.with_timezone(&Local);
    if local.year() == Local::now().year() {
        local.format("%-d %b %H:%M").to_string()
    } else {
        local.format("%-d %b %Y").to_string()
    }
}

/// A deck's title, or its id with a word when it is not in the library.
fn deck_title(cx: &AppContext<'_>, id: &str) -> String {
    cx.library().deck(id).map_or_else(
        || format!("{id} (not in the library)"),
        |d| d.deck.title.clone(),
    )
}

/// A heading of one of the page's sections.
fn section(ui: &mut Ui, text: &str) {
    ui.add_space(10.0);
    ui.label(RichText::new(text).strong().size(size::BODY + 2.0));
}

/// A muted line under a control or a section.
fn hint(ui: &mut Ui, palette: &Palette, text: &str) {
    ui.label(RichText::new(text).color(palette.muted).small());
}
