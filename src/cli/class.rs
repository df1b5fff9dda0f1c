//! `flashdrill class`: classes, their rosters, their reports, and a student's progress to take
//! home. Everything stays in the teacher's profile database.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::{Local, Utc};
use flashdrill_core::class::{
    Class, ClassCard, ClassError, ClassSettings, export_student, parse_roster, report,
};
use flashdrill_core::deck::Library;
use flashdrill_core::schedule::format_steps;
use flashdrill_core::settings::Settings;
use flashdrill_core::stats::report::write_atomically;
use flashdrill_core::store::Store;

use super::Common;

/// Arguments of `flashdrill class`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

/// The report's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A gradebook: one row per student, accuracy and speed in separate columns.
    Csv,
    /// Everything, as `flashdrill-class-report/1` JSON.
    Json,
    /// One self-contained, printable page.
    Html,
}

/// A class's own settings (each defaults to the profile's).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SettingArgs {
    /// The class's desired retention, 0.70–0.99.
    #[arg(long, value_name = "R")]
    pub retention: Option<String>,
    /// New cards each student is given per day, 0–9999.
    #[arg(long, value_name = "N")]
    pub new_per_day: Option<String>,
    /// Learning steps, like "1m 10m".
    #[arg(long, value_name = "STEPS")]
    pub learning_steps: Option<String>,
    /// Relearning steps, like "10m".
    #[arg(long, value_name = "STEPS")]
    pub relearning_steps: Option<String>,
}

/// `flashdrill class …`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Create a class with its decks and roster.
    Create {
        /// The class's name ("7b history").
        name: String,
        /// The roster: one name per line, or a CSV file with a `name` column.
        #[arg(long, value_name = "FILE")]
        roster: Option<PathBuf>,
        /// The class's decks (their ids, as `flashdrill check` lists them).
        #[arg(long = "deck", value_name = "ID", num_args = 1..)]
        decks: Vec<String>,
        #[command(flatten)]
        settings: SettingArgs,
    },
    /// List the classes with their students, decks and answers.
    List,
    /// Show a class's roster, or change it: add, remove or rename students, reset a phone.
    Roster {
        /// The class.
        name: String,
        /// Add these students.
        #[arg(long, value_name = "NAME", num_args = 1..)]
        add: Vec<String>,
        /// Add the students of this file (one name per line, or a CSV `name` column).
        #[arg(long, value_name = "FILE")]
        add_file: Option<PathBuf>,
        /// Remove these students with their progress and answers.
        #[arg(long, value_name = "NAME", num_args = 1..)]
        remove: Vec<String>,
        /// Rename a student (their progress stays).
        #[arg(long, num_args = 2, value_names = ["OLD", "NEW"])]
        rename: Vec<String>,
        /// Forget the phone of these students: next lesson they join again by name.
        #[arg(long, value_name = "NAME", num_args = 1..)]
        reset: Vec<String>,
    },
    /// Change a class's name, decks or settings.
    Edit {
        /// The class.
        name: String,
        /// Its new name.
        #[arg(long, value_name = "NAME")]
        rename: Option<String>,
        /// Its decks from now on (replacing the list).
        #[arg(long = "deck", value_name = "ID", num_args = 1..)]
        decks: Vec<String>,
        #[command(flatten)]
        settings: SettingArgs,
    },
    /// Delete a class with its roster and every student's progress and answers.
    Delete {
        /// The class.
        name: String,
        /// Delete it (without this, only say what would be deleted).
        #[arg(long)]
        yes: bool,
    },
    /// Write the class's report: per student, per card and a heatmap.
    Report {
        /// The class.
        name: String,
        #[arg(long, value_enum, default_value = "html")]
        format: Format,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Write one student's history as `flashdrill-progress/1`, for `flashdrill progress
    /// import` in their own copy of flashdrill.
    ExportStudent {
        /// The class.
        class: String,
        /// The student's name (case, accents and extra spaces do not matter).
        student: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Run the class on the students' phones: a spaced warm-up (each studies their own
    /// queue) or the live game under their roster names.
    Host(super::class_host::HostArgs),
}

/// A refusal: its message, exit code 2.
fn refused(command: &str, what: &dyn std::fmt::Display, outcome: &str) -> ExitCode {
    eprintln!("flashdrill class {command}: {what}; {outcome}");
    ExitCode::from(2)
}

/// A class error: refusals (names, rosters, settings) exit 2, the rest are errors.
fn class_error(command: &str, e: ClassError, outcome: &str) -> anyhow::Result<ExitCode> {
    match e {
        ClassError::Store(e) => {
            Err(anyhow::Error::new(e).context(format!("flashdrill class {command}")))
        }
        e => Ok(refused(command, &e, outcome)),
    }
}

/// The class's settings: `base` with the ones given changed (checked as `flashdrill settings`
/// checks them).
fn class_settings(
    base: &ClassSettings,
    profile: &Settings,
    args: &SettingArgs,
) -> Result<ClassSettings, String> {
    let mut s = profile.clone();
    s.desired_retention = base.desired_retention;
    s.new_per_day = base.new_per_day;
    s.learning_steps.clone_from(&base.learning_steps);
    s.relearning_steps.clone_from(&base.relearning_steps);
    let pairs = [
        ("desired_retention", &args.retention),
        ("new_per_day", &args.new_per_day),
        ("learning_steps", &args.learning_steps),
        ("relearning_steps", &args.relearning_steps),
    ];
    s.set_all(
        pairs
            .iter()
            .filter_map(|(k, v)| v.as_deref().map(|v| (*k, v))),
    )
    .map_err(|errors| {
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    Ok(ClassSettings::from_profile(&s))
}

fn describe(settings: &ClassSettings) -> String {
    format!(
        "retention {:.0} %, {} new cards per day, learning steps {}, relearning steps {}",
        f64::from(settings.desired_retention) * 100.0,
        settings.new_per_day,
        empty_none(&format_steps(&settings.learning_steps)),
        empty_none(&format_steps(&settings.relearning_steps)),
    )
}

fn empty_none(s: &str) -> &str {
    if s.is_empty() { "none" } else { s }
}

/// Checks deck ids against the library; `Err` names the unknown one and the known ones.
fn check_decks(library: &Library, decks: &[String]) -> Result<(), String> {
    match decks.iter().find(|d| library.deck(d).is_none()) {
        Some(unknown) => Err(format!(
            "there is no deck \"{unknown}\"; the decks are: {}",
            library.deck_ids().join(", ")
        )),
        None => Ok(()),
    }
}

/// Reads a roster file: `Err` is the refusal's message, naming the file.
fn read_roster(path: &Path) -> anyhow::Result<Result<Vec<String>, String>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(Err(format!(
            "{}: the file is not UTF-8 text (save it as UTF-8 and try again)",
            path.display()
        )));
    };
    Ok(parse_roster(&text)
        .map(|names| names.into_iter().map(|n| n.name).collect())
        .map_err(|e| format!("{}: {e}", path.display())))
}

fn open_class(store: &Store, command: &str, name: &str) -> anyhow::Result<Result<Class, ExitCode>> {
    match store.class_named(name) {
        Ok(c) => Ok(Ok(c)),
        Err(e) => class_error(command, e, "nothing was done").map(Err),
    }
}

fn write_out(path: &Path, text: &str) -> anyhow::Result<()> {
    write_atomically(path, text).map_err(anyhow::Error::new)
}

pub fn run(common: &Common, args: &Args) -> anyhow::Result<ExitCode> {
    let (_, mut store, library) = super::stats::open(common)?;
    match &args.command {
        Command::Create {
            name,
            roster,
            decks,
            settings,
        } => create(
            &mut store,
            &library,
            name,
            roster.as_deref(),
            decks,
            settings,
        ),
        Command::List => {
            list(&store)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Roster {
            name,
            add,
            add_file,
            remove,
            rename,
            reset,
        } => {
            let class = match open_class(&store, "roster", name)? {
                Ok(c) => c,
                Err(code) => return Ok(code),
            };
            let mut add = add.clone();
            if let Some(file) = add_file {
                match read_roster(file)? {
                    Ok(names) => add.extend(names),
                    Err(msg) => return Ok(refused("roster", &msg, "nothing was changed")),
                }
            }
            let change = RosterChange {
                add: &add,
                remove,
                rename,
                reset,
            };
            roster(&mut store, &class, &change)
        }
        Command::Edit {
            name,
            rename,
            decks,
            settings,
        } => {
            let mut class = match open_class(&store, "edit", name)? {
                Ok(c) => c,
                Err(code) => return Ok(code),
            };
            if let Err(msg) = check_decks(&library, decks) {
                return Ok(refused("edit", &msg, "nothing was changed"));
            }
            let profile = store.load_settings()?;
            class.settings = match class_settings(&class.settings, &profile, settings) {
                Ok(s) => s,
                Err(msg) => return Ok(refused("edit", &msg, "nothing was changed")),
            };
            if let Some(new) = rename {
                class.name.clone_from(new);
            }
            if !decks.is_empty() {
                class.decks.clone_from(decks);
            }
            if let Err(e) = store.update_class(&class) {
                return class_error("edit", e, "nothing was changed");
            }
            println!(
                "{}: decks {}; {}.",
                class.name,
                class.decks.join(", "),
                describe(&class.settings)
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Delete { name, yes } => {
            let class = match open_class(&store, "delete", name)? {
                Ok(c) => c,
                Err(code) => return Ok(code),
            };
            if !yes {
                let summary = store
                    .classes()?
                    .into_iter()
                    .find(|c| c.class.key == class.key);
                let (students, answers) = summary.map_or((0, 0), |c| (c.students, c.answers));
                let what = format!(
                    "deleting {} would delete its {students} students and their {answers} answers; add --yes to delete it",
                    class.name
                );
                return Ok(refused("delete", &what, "nothing was deleted"));
            }
            let answers = match store.delete_class(&class) {
                Ok(n) => n,
                Err(e) => return class_error("delete", e, "nothing was deleted"),
            };
            println!("Deleted {} and its {answers} answers.", class.name);
            Ok(ExitCode::SUCCESS)
        }
        Command::Report { name, format, out } => {
            let class = match open_class(&store, "report", name)? {
                Ok(c) => c,
                Err(code) => return Ok(code),
            };
            let (cards, missing) = ClassCard::from_library(&library, &class.decks);
            for m in &missing {
                eprintln!(
                    "flashdrill class report: the deck \"{m}\" of {} is not in the library; its cards are left out",
                    class.name
                );
            }
            let built = match report::load(&store, &class, &cards, &Local::now()) {
                Ok(r) => r,
                Err(e) => return class_error("report", e, "no report was written"),
            };
            let text = match format {
                Format::Csv => built.to_csv(),
                Format::Json => built.to_json(),
                Format::Html => built.to_html(),
            };
            match out {
                None => print!("{text}"),
                Some(path) => {
                    write_out(path, &text)?;
                    eprintln!(
                        "wrote {} ({} students, {} cards)",
                        path.display(),
                        built.students.len(),
                        built.cards.len()
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Host(host) => super::class_host::run(common, host),
        Command::ExportStudent {
            class,
            student,
            out,
        } => {
            let class = match open_class(&store, "export-student", class)? {
                Ok(c) => c,
                Err(code) => return Ok(code),
            };
            let s = match store.find_student(&class, student) {
                Ok(s) => s,
                Err(e) => return class_error("export-student", e, "nothing was written"),
            };
            let file = export_student(&store, &s)?;
            write_out(out, &file.to_json())?;
            println!(
                "wrote {}: {} answers and {} cards of {}; in their own flashdrill: flashdrill progress import {}",
                out.display(),
                file.reviews.len(),
                file.cards.len(),
                s.name,
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn create(
    store: &mut Store,
    library: &Library,
    name: &str,
    roster: Option<&Path>,
    decks: &[String],
    args: &SettingArgs,
) -> anyhow::Result<ExitCode> {
    const NOT_CREATED: &str = "no class was created";
    if let Err(msg) = check_decks(library, decks) {
        return Ok(refused("create", &msg, NOT_CREATED));
    }
    let names = match roster {
        None => Vec::new(),
        Some(path) => match read_roster(path)? {
            Ok(names) => names,
            Err(msg) => return Ok(refused("create", &msg, NOT_CREATED)),
        },
    };
    let profile = store.load_settings()?;
    let settings = match class_settings(&ClassSettings::from_profile(&profile), &profile, args) {
        Ok(s) => s,
        Err(msg) => return Ok(refused("create", &msg, NOT_CREATED)),
    };
    let (class, students) = match store.create_class(name, decks, &settings, &names, Utc::now()) {
        Ok(made) => made,
        Err(e) => return class_error("create", e, NOT_CREATED),
    };
    let decks = if class.decks.is_empty() {
        "no decks yet (add them with: flashdrill class edit NAME --deck ID…)".to_owned()
    } else {
        format!("decks {}", class.decks.join(", "))
    };
    println!(
        "Created class {} with {} students; {decks}; {}.",
        class.name,
        students.len(),
        describe(&class.settings)
    );
    Ok(ExitCode::SUCCESS)
}

fn list(store: &Store) -> anyhow::Result<()> {
    let classes = store.classes()?;
    if classes.is_empty() {
        println!(
            "No classes yet. Create one with: flashdrill class create NAME --roster FILE --deck ID"
        );
        return Ok(());
    }
    let mut out = String::new();
    for c in classes {
        let last = c.last_answer.map_or_else(
            || "no answers yet".to_owned(),
            |t| {
                format!(
                    "{} answers, the last on {}",
                    c.answers,
                    t.with_timezone(&Local).format("%-d %B %Y %H:%M")
                )
            },
        );
        let _ = writeln!(
            out,
            "{}: {} students; decks {}; {last}",
            c.class.name,
            c.students,
            empty_none(&c.class.decks.join(", "))
        );
    }
    print!("{out}");
    Ok(())
}

/// What `class roster` was asked to change.
struct RosterChange<'a> {
    add: &'a [String],
    remove: &'a [String],
    rename: &'a [String],
    reset: &'a [String],
}

fn roster(store: &mut Store, class: &Class, change: &RosterChange<'_>) -> anyhow::Result<ExitCode> {
    const UNCHANGED: &str = "nothing was changed";
    let nothing_asked = change.add.is_empty()
        && change.remove.is_empty()
        && change.rename.is_empty()
        && change.reset.is_empty();
    if nothing_asked {
        let students = store.students(class)?;
        println!("{}: {} students", class.name, students.len());
        for s in students {
            println!("  {}", s.name);
        }
        return Ok(ExitCode::SUCCESS);
    }
    // Every name must be found before anything changes.
    let old = change.rename.first();
    for name in change.remove.iter().chain(old).chain(change.reset) {
        if let Err(e) = store.find_student(class, name) {
            return class_error("roster", e, UNCHANGED);
        }
    }
    if let [old, new] = change.rename {
        let was = store.find_student(class, old).map(|s| s.name);
        match store.rename_student(class, old, new) {
            Ok(s) => println!("Renamed {} to {}.", was.as_deref().unwrap_or(old), s.name),
            Err(e) => return class_error("roster", e, UNCHANGED),
        }
    }
    if !change.remove.is_empty() {
        match store.remove_students(class, change.remove) {
            Ok(removed) => {
                for (s, answers) in removed {
                    println!("Removed {} and their {answers} answers.", s.name);
                }
            }
            Err(e) => return class_error("roster", e, "the students were not removed"),
        }
    }
    if !change.add.is_empty() {
        match store.add_students(class, change.add, Utc::now()) {
            Ok(added) => println!(
                "Added {}.",
                added
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Err(e) => return class_error("roster", e, "no student was added"),
        }
    }
    for name in change.reset {
        match store.reset_student_token(class, name) {
            Ok(s) => println!(
                "Reset the phone of {}: next lesson they join again with their name.",
                s.name
            ),
            Err(e) => return class_error("roster", e, "the phone was not reset"),
        }
    }
    Ok(ExitCode::SUCCESS)
}
