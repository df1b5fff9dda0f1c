//! Asking the user for a file, one way for every screen: the system's file chooser when it
//! opens; when it cannot (no file-chooser portal or zenity is installed), at once a plain word
//! saying so and a field for the file's path. The chooser is replaceable ([`Chooser`]), so tests
//! can take either road.
//!
//! A screen asks through [`crate::ui::view::AppContext::choose_file`] (or `choose_files`) and
//! polls the [`Job`] it gets back, as it would any background work; the shell keeps the
//! question ([`FileAsker`]) and shows the typed-path window when it is needed.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use egui::RichText;

use crate::jobs::{Job, Jobs};
use crate::ui::theme::Palette;

/// What is asked: a file to open, several, or where to save one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskKind {
    Open,
    OpenMany,
    Save,
    /// A folder to use (it must exist).
    Folder,
}

/// One question for a file: its kind, the window's title, the kinds of file offered and, for
/// saving, the name proposed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileAsk {
    pub kind: AskKind,
    pub title: String,
    /// `(name, extensions without the dot)`.
    pub filters: Vec<(String, Vec<String>)>,
    /// The file name proposed when saving.
    pub file_name: Option<String>,
}

impl FileAsk {
    /// A file to open.
    #[must_use]
    pub fn open(title: &str) -> Self {
        Self::new(AskKind::Open, title, None)
    }

    /// One or more files to open.
    #[must_use]
    pub fn open_many(title: &str) -> Self {
        Self::new(AskKind::OpenMany, title, None)
    }

    /// A folder, which must exist.
    #[must_use]
    pub fn folder(title: &str) -> Self {
        Self::new(AskKind::Folder, title, None)
    }

    /// Where to save a file, proposing `file_name`.
    #[must_use]
    pub fn save(title: &str, file_name: impl Into<String>) -> Self {
        Self::new(AskKind::Save, title, Some(file_name.into()))
    }

    fn new(kind: AskKind, title: &str, file_name: Option<String>) -> Self {
        Self {
            kind,
            title: title.to_owned(),
            filters: Vec::new(),
            file_name,
        }
    }

    /// Offers files of one kind: `("CSV", &["csv"])`.
    #[must_use]
    pub fn filter<S: AsRef<str>>(mut self, name: &str, extensions: &[S]) -> Self {
        let extensions = extensions.iter().map(|e| e.as_ref().to_owned()).collect();
        self.filters.push((name.to_owned(), extensions));
        self
    }
}

/// What a file chooser gave back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chosen {
    Files(Vec<PathBuf>),
    /// The user closed the chooser without choosing.
    Cancelled,
    /// No chooser could be shown.
    Unavailable,
}

/// A file chooser: the system's ([`system_chooser`]) or a stand-in. It runs off the UI thread.
pub type Chooser = Arc<dyn Fn(&FileAsk) -> Chosen + Send + Sync>;

/// A chooser that gave up this fast never showed a window: nobody cancels a dialog that quickly.
const NO_WINDOW: Duration = Duration::from_millis(500);

/// The system's file chooser (the desktop portal, zenity, or the platform's own dialog).
#[must_use]
pub fn system_chooser() -> Chooser {
    Arc::new(|ask: &FileAsk| {
        let started = Instant::now();
        let mut dialog = rfd::FileDialog::new().set_title(&ask.title);
        for (name, extensions) in &ask.filters {
            dialog = dialog.add_filter(name, extensions);
        }
        if let Some(name) = &ask.file_name {
            dialog = dialog.set_file_name(name);
        }
        let picked = match ask.kind {
            AskKind::Open => dialog.pick_file().map(|p| vec![p]),
            AskKind::OpenMany => dialog.pick_files(),
            AskKind::Save => dialog.save_file().map(|p| vec![p]),
            AskKind::Folder => dialog.pick_folder().map(|p| vec![p]),
        };
        match picked {
            Some(files) if !files.is_empty() => Chosen::Files(files),
            // rfd says "nothing" both when the user cancels and when no chooser could open.
            _ if started.elapsed() < NO_WINDOW => Chosen::Unavailable,
            _ => Chosen::Cancelled,
        }
    })
}

/// Gives the asking screen its answer: the chosen files, or nothing.
type Answer = Box<dyn FnOnce(Option<Vec<PathBuf>>) + Send>;

/// A question waiting for the chooser.
struct Waiting {
    ask: FileAsk,
    job: Job<Chosen>,
    answer: Answer,
}

/// The typed-path window: the question, the path typed so far and what is wrong with it.
struct Typed {
    ask: FileAsk,
    answer: Answer,
    path: String,
    error: Option<String>,
    /// The field takes the keyboard when the window opens.
    focus: bool,
}

/// The shell's file questions: those waiting for the chooser and the one the user is typing a
/// path for.
pub struct FileAsker {
    chooser: Chooser,
    waiting: Vec<Waiting>,
    typed: Option<Typed>,
    /// The chooser could not open once: later questions go to the typed path at once.
    unavailable: bool,
}

impl Default for FileAsker {
    fn default() -> Self {
        Self::new(system_chooser())
    }
}

impl FileAsker {
    #[must_use]
    pub fn new(chooser: Chooser) -> Self {
        Self {
            chooser,
            waiting: Vec::new(),
            typed: None,
            unavailable: false,
        }
    }

    /// Asks for one file; the job gives the path, or `None` when none was chosen.
    pub fn choose_file(&mut self, jobs: &Jobs, ask: FileAsk) -> Job<Option<PathBuf>> {
        let (job, tx) = Job::answered_later();
        self.ask(jobs, ask, answer_with(tx, |files| files.into_iter().next()));
        job
    }

    /// Asks for files; the job gives them, or `None` when none were chosen.
    pub fn choose_files(&mut self, jobs: &Jobs, ask: FileAsk) -> Job<Option<Vec<PathBuf>>> {
        let (job, tx) = Job::answered_later();
        self.ask(jobs, ask, answer_with(tx, Some));
        job
    }

    fn ask(&mut self, jobs: &Jobs, ask: FileAsk, answer: Answer) {
        if self.unavailable {
            self.type_path(ask, answer);
            return;
        }
        let chooser = Arc::clone(&self.chooser);
        let question = ask.clone();
        let job = jobs.spawn(move || chooser(&question));
        self.waiting.push(Waiting { ask, job, answer });
        self.poll();
    }

    /// Whether a question is open: waiting for the chooser or for a typed path.
    #[must_use]
    pub fn is_asking(&self) -> bool {
        !self.waiting.is_empty() || self.typed.is_some()
    }

    /// Whether the typed-path window is open (it takes the keys).
    #[must_use]
    pub fn is_typing(&self) -> bool {
        self.typed.is_some()
    }

    /// Takes in what the choosers gave back (once a frame).
    pub fn poll(&mut self) {
        let mut i = 0;
        while i < self.waiting.len() {
            let Some(chosen) = self.waiting[i].job.poll() else {
                i += 1;
                continue;
            };
            let Waiting { ask, answer, .. } = self.waiting.remove(i);
            match chosen {
                Ok(Chosen::Files(files)) => answer(Some(files)),
                Ok(Chosen::Cancelled) => answer(None),
                Ok(Chosen::Unavailable) | Err(_) => {
                    self.unavailable = true;
                    self.type_path(ask, answer);
                }
            }
        }
    }

    fn type_path(&mut self, ask: FileAsk, answer: Answer) {
        if let Some(earlier) = self.typed.take() {
            // One window at a time: the newer question replaces the one left unanswered.
            (earlier.answer)(None);
        }
        let path = proposed_path(&ask);
        self.typed = Some(Typed {
            ask,
            answer,
            path,
            error: None,
            focus: true,
        });
    }

    /// Shows the typed-path window while one is open.
    pub fn show(&mut self, ctx: &egui::Context, palette: &Palette) {
        let Some(typed) = &mut self.typed else {
            return;
        };
        let mut done: Option<Option<PathBuf>> = None;
        let width = super::widgets::dialog_width(ctx, 520.0);
        let response = egui::Modal::new(egui::Id::unique("file-ask-typed")).show(ctx, |ui| {
            ui.set_max_width(width);
            ui.heading(&typed.ask.title);
            ui.label(if typed.ask.kind == AskKind::Folder {
                "No file chooser could be opened: this computer has no file-chooser service \
                 (a desktop portal or zenity). Type the folder's full path instead."
            } else {
                "No file chooser could be opened: this computer has no file-chooser service \
                 (a desktop portal or zenity). Type the file's full path instead."
            });
            ui.add_space(6.0);
            let label = ui.label(match typed.ask.kind {
                AskKind::Save => "Save to:",
                AskKind::Folder => "Folder path:",
                AskKind::Open | AskKind::OpenMany => "File path:",
            });
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut typed.path)
                        .hint_text(hint(&typed.ask))
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if typed.focus {
                field.request_focus();
                typed.focus = false;
            }
            if field.changed() {
                typed.error = None;
            }
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if let Some(error) = &typed.error {
                ui.label(RichText::new(error).color(palette.wrong));
            } else if typed.ask.kind == AskKind::Save && resolve(&typed.path).is_file() {
                ui.label(
                    RichText::new("A file of that name is there: saving replaces it.")
                        .color(palette.warn),
                );
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let verb = match typed.ask.kind {
                    AskKind::Save => "Save to this path",
                    AskKind::Folder => "Use this folder",
                    AskKind::Open | AskKind::OpenMany => "Open this file",
                };
                if ui.button(verb).clicked() || entered {
                    match check(&typed.ask, &typed.path) {
                        Ok(path) => done = Some(Some(path)),
                        Err(error) => typed.error = Some(error),
                    }
                }
                if ui.button("Cancel").clicked() {
                    done = Some(None);
                }
            });
        });
        if done.is_none() && response.should_close() {
            done = Some(None);
        }
        if let Some(path) = done
            && let Some(typed) = self.typed.take()
        {
            (typed.answer)(path.map(|p| vec![p]));
            // The asking screen takes the answer in the next frame.
            ctx.request_repaint();
        }
    }
}

/// An answer that sends `pick(files)` to the asking screen's job.
fn answer_with<T: Send + 'static>(
    tx: Sender<Option<T>>,
    pick: impl FnOnce(Vec<PathBuf>) -> Option<T> + Send + 'static,
) -> Answer {
    Box::new(move |files| {
        // The screen may have gone: nobody waits for the answer then.
        let _ = tx.send(files.and_then(pick));
    })
}

/// The path the field starts with: the home folder, and the proposed name when saving.
fn proposed_path(ask: &FileAsk) -> String {
    let home = std::env::home_dir().unwrap_or_default();
    match &ask.file_name {
        Some(name) => home.join(name).display().to_string(),
        None if home.as_os_str().is_empty() => String::new(),
        None => format!("{}{}", home.display(), std::path::MAIN_SEPARATOR),
    }
}

/// "/path/to/file.csv": the first offered extension.
fn hint(ask: &FileAsk) -> String {
    let extension = ask
        .filters
        .first()
        .and_then(|(_, e)| e.first())
        .map_or(String::new(), |e| format!(".{e}"));
    format!("/path/to/file{extension}")
}

/// The typed path, with `~` standing for the home folder.
fn resolve(typed: &str) -> PathBuf {
    let typed = typed.trim();
    match typed.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with(['/', '\\']) => {
            let home = std::env::home_dir().unwrap_or_default();
            home.join(rest.trim_start_matches(['/', '\\']))
        }
        _ => PathBuf::from(typed),
    }
}

/// The path to give back, or what is wrong with the typed one, in plain words.
fn check(ask: &FileAsk, typed: &str) -> Result<PathBuf, String> {
    if typed.trim().is_empty() {
        return Err(if ask.kind == AskKind::Folder {
            "Type the path of a folder.".to_owned()
        } else {
            "Type the path of a file.".to_owned()
        });
    }
    let path = resolve(typed);
    if ask.kind == AskKind::Folder {
        return if path.is_dir() {
            Ok(path)
        } else if path.is_file() {
            Err(format!("{} is a file: give its folder.", path.display()))
        } else {
            Err(format!("There is no folder {}.", path.display()))
        };
    }
    if ask.kind != AskKind::Save {
        return if path.is_file() {
            Ok(path)
        } else if path.is_dir() {
            Err(format!(
                "{} is a folder: add the file's name.",
                path.display()
            ))
        } else {
            Err(format!("There is no file at {}.", path.display()))
        };
    }
    let path = match (&ask.file_name, path.is_dir()) {
        // A folder: the proposed name in it.
        (Some(name), true) => path.join(name),
        _ => path,
    };
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !folder.is_dir() {
        return Err(format!("There is no folder {}.", folder.display()));
    }
    Ok(with_extension(ask, path))
}

/// A saved file without an extension gets the one offered, as the system chooser does.
fn with_extension(ask: &FileAsk, path: PathBuf) -> PathBuf {
    match ask.filters.first().and_then(|(_, e)| e.first()) {
        Some(extension) if path.extension().is_none() && extension != "*" => {
            path.with_extension(extension)
        }
        _ => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_path_is_checked_in_plain_words() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("deck.json");
        std::fs::write(&file, "{}").unwrap();
        let open = FileAsk::open("Open").filter("Deck", &["json"]);
        assert_eq!(check(&open, &file.display().to_string()), Ok(file.clone()));
        let missing = dir.path().join("none.json").display().to_string();
        assert!(
            check(&open, &missing)
                .unwrap_err()
                .starts_with("There is no file at")
        );
        assert!(check(&open, "  ").is_err());
        let save = FileAsk::save("Save", "results.csv").filter("CSV", &["csv"]);
        let folder = dir.path().display().to_string();
        assert_eq!(check(&save, &folder), Ok(dir.path().join("results.csv")));
        let bare = dir.path().join("report").display().to_string();
        assert_eq!(check(&save, &bare), Ok(dir.path().join("report.csv")));
        let nowhere = dir.path().join("no/such/out.csv").display().to_string();
        assert!(
            check(&save, &nowhere)
                .unwrap_err()
                .starts_with("There is no folder")
        );
    }

    #[test]
    fn a_chooser_that_cannot_open_leads_to_the_typed_path_and_is_not_tried_again() {
        let tried = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = Arc::clone(&tried);
        let mut asker = FileAsker::new(Arc::new(move |_: &FileAsk| {
            counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Chosen::Unavailable
        }));
        let jobs = Jobs::immediate();
        let mut first = asker.choose_file(&jobs, FileAsk::open("Open"));
        assert!(asker.typed.is_some(), "the typed path is offered at once");
        assert_eq!(first.poll(), None, "waiting for the typed path");
        let mut second = asker.choose_file(&jobs, FileAsk::open("Open"));
        assert_eq!(first.poll(), Some(Ok(None)), "the older question is let go");
        assert_eq!(tried.load(std::sync::atomic::Ordering::Relaxed), 1);
        let typed = asker.typed.take().unwrap();
        (typed.answer)(Some(vec![PathBuf::from("/x")]));
        assert_eq!(second.poll(), Some(Ok(Some(PathBuf::from("/x")))));
    }
}
