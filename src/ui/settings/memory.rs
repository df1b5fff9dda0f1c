//! Settings → "Memory model": fit the FSRS parameters to the profile's reviews (off the UI
//! thread, with progress and Cancel), see old and new figures, restore the previous parameters,
//! and view or paste the 21 parameters.

use chrono::Local;
use egui::{RichText, Ui};

use crate::jobs::{self, Job};
use crate::ui::messages;
use crate::ui::notice::Notice;
use crate::ui::theme::Palette;
use crate::ui::view::AppContext;
use flashdrill_core::collection::{Collection, Connector};
use flashdrill_core::optimize::{
    self, Evaluation, OptimizeError, OptimizeOptions, OptimizeReport, Outcome,
};
use flashdrill_core::schedule::DEFAULT_PARAMETERS;
use flashdrill_core::settings::{Settings, format_parameters, parse_parameters};

/// Label of the button that starts the fit.
pub const OPTIMIZE: &str = "Optimize for my reviews";
/// Label of the undo button.
pub const RESTORE: &str = "Restore previous parameters";
/// Label of the parameters text field.
pub const PARAMETERS: &str = "FSRS parameters";
/// Label of the button that uses the pasted parameters.
pub const USE_PARAMETERS: &str = "Use these parameters";

/// A fit's result as the job hands it over.
type Fit = Result<OptimizeReport, String>;

/// What the last optimize run came to, for the learner to read.
#[derive(Debug, Clone)]
struct Shown {
    report: OptimizeReport,
    /// Cards whose memory state was recomputed, when the new parameters were kept.
    applied: Option<usize>,
    rescheduled: bool,
}

/// The optimize part of the settings screen.
#[derive(Debug, Default)]
pub struct MemoryPanel {
    reschedule: bool,
    job: Option<Job<Fit>>,
    /// The profile database the running fit reads: its result is applied only to that profile.
    job_for: Option<Connector>,
    shown: Option<Shown>,
    /// The last message: cancelled, restored, an error, …
    notice: Option<Notice>,
    /// The parameters text as being edited; `None` shows the profile's.
    draft: Option<String>,
    /// Parameters the last change replaced (what "Restore" puts back), as last read.
    previous: Option<[f32; 21]>,
    /// What the profile's log offers a fit, read when the screen opens: (reviews usable,
    /// cards); `None` with no profile open.
    usable: Option<(usize, usize)>,
}

fn stage_name(stage: optimize::Stage) -> &'static str {
    match stage {
        optimize::Stage::Training => "Fitting the parameters to your reviews",
        optimize::Stage::Evaluating => "Comparing the current and the new parameters",
        optimize::Stage::Simulating => "Simulating",
    }
}

/// The job: reads the profile's reviews from its own connection and fits.
fn fit(connector: &Connector, settings: &Settings, progress: &jobs::Progress) -> Fit {
    progress.set_stage("Reading your reviews");
    progress.report(0, 0);
    let store = connector
        .open()
        .map_err(|e| messages::store("Your reviews could not be read", &e))?;
    let reviews = store
        .all_reviews()
        .map_err(|e| messages::store("Your reviews could not be read", &e))?;
    drop(store);
    let set = optimize::build_items(&reviews, None, &Local, settings.day_starts_at);
    let options = OptimizeOptions {
        relearning_steps: settings.relearning_steps.len(),
        ..OptimizeOptions::default()
    };
    optimize::optimize(
        &set,
        &settings.fsrs_parameters,
        options,
        |p| {
            progress.set_stage(stage_name(p.stage));
            progress.report(p.done, p.total);
        },
        progress.cancel_flag(),
    )
    .map_err(|e| match e {
        OptimizeError::Cancelled => "Cancelled; nothing was changed.".to_owned(),
        other => format!("Optimizing stopped: {other}. Your parameters were not changed."),
    })
}

fn figures(e: Option<Evaluation>) -> (String, String) {
    e.map_or_else(
        || ("–".to_owned(), "–".to_owned()),
        |e| {
            (
                format!("{:.4}", e.log_loss),
                format!("{:.2} %", e.rmse_bins * 100.0),
            )
        },
    )
}

impl MemoryPanel {
    /// Reads what the screen shows from the store (called when the screen opens).
    pub fn open(&mut self, cx: &AppContext<'_>) {
        self.previous = cx.col().previous_parameters();
        self.draft = None;
        self.reschedule = cx.settings().reschedule_on_change;
        self.usable = cx
            .store()
            .and_then(|store| store.all_reviews().ok())
            .map(|reviews| {
                let set =
                    optimize::build_items(&reviews, None, &Local, cx.settings().day_starts_at);
                (set.items.len(), set.cards)
            });
    }

    fn start(&mut self, cx: &AppContext<'_>) {
        let Some(connector) = cx.col().connector() else {
            self.notice = Some(Notice::error(
                "No profile is open: open or create one under Profiles first.",
            ));
            return;
        };
        let settings = cx.settings().clone();
        self.shown = None;
        self.notice = None;
        self.job_for = Some(connector.clone());
        self.job = Some(
            cx.jobs
                .spawn_with_progress(move |p| fit(&connector, &settings, p)),
        );
    }

    /// Puts `parameters` to use: one operation (stored, memory states rebuilt, in one
    /// transaction; undoable). The number of cards recomputed, or the message to show.
    fn apply(
        &mut self,
        cx: &mut AppContext<'_>,
        parameters: &[f32; 21],
        reschedule: bool,
    ) -> Result<usize, String> {
        let cards = cx
            .apply(|col| col.use_parameters(parameters, reschedule))
            .map_err(|e| messages::collection("The new parameters could not be saved", &e))?;
        self.previous = cx.col().previous_parameters();
        Ok(cards)
    }

    /// Takes in a finished fit (applying kept parameters); whether there was one.
    fn poll(&mut self, cx: &mut AppContext<'_>) -> bool {
        match jobs::finished(&mut self.job) {
            None => return false,
            Some(Err(jobs::Lost)) => {
                self.notice = Some(Notice::error(
                    "Optimizing stopped unexpectedly; your parameters were not changed. Try again.",
                ));
            }
            Some(Ok(Err(message))) => self.notice = Some(Notice::error(message)),
            Some(Ok(Ok(_))) if cx.col().connector() != self.job_for => {
                self.notice = Some(Notice::info(
                    "The profile changed while optimizing, so nothing was changed. Optimize \
                     again for this profile.",
                ));
            }
            Some(Ok(Ok(report))) => {
                let mut shown = Shown {
                    applied: None,
                    rescheduled: self.reschedule,
                    report,
                };
                if shown.report.outcome == Outcome::Kept {
                    match self.apply(cx, &shown.report.chosen(), self.reschedule) {
                        Ok(cards) => shown.applied = Some(cards),
                        Err(message) => self.notice = Some(Notice::error(message)),
                    }
                }
                self.shown = Some(shown);
            }
        }
        true
    }

    /// While another screen is on show: a fit that finishes is applied then, as if the screen
    /// were open, and its report waits there.
    pub fn background(&mut self, cx: &mut AppContext<'_>) {
        self.poll(cx);
    }

    fn cancel(&mut self) {
        if let Some(job) = self.job.take() {
            job.cancel();
        }
        self.shown = None;
        self.notice = Some(Notice::info("Cancelled; nothing was changed."));
    }

    fn restore(&mut self, cx: &mut AppContext<'_>) {
        match cx.apply(Collection::restore_parameters) {
            Ok(Some(_)) => {
                self.previous = cx.col().previous_parameters();
                self.shown = None;
                self.draft = None;
                self.notice = Some(Notice::success(
                    "The previous parameters are back; every card's memory state was recomputed (due dates kept).",
                ));
            }
            Ok(None) => {
                self.previous = None;
                self.notice = Some(Notice::info("There are no earlier parameters to put back."));
            }
            Err(e) => {
                self.notice = Some(Notice::error(messages::collection(
                    "The previous parameters could not be restored",
                    &e,
                )));
            }
        }
    }

    fn use_pasted(&mut self, cx: &mut AppContext<'_>, text: &str) {
        match parse_parameters(text) {
            Err(problem) => {
                self.notice = Some(Notice::error(format!(
                    "These parameters were not used: {problem}. Paste the 21 numbers of FSRS-6 (as Anki shows them), separated by commas or spaces."
                )));
            }
            Ok(parameters) => self.use_parameters(cx, &parameters, "The pasted parameters"),
        }
    }

    fn use_parameters(&mut self, cx: &mut AppContext<'_>, parameters: &[f32; 21], what: &str) {
        match self.apply(cx, parameters, self.reschedule) {
            Ok(cards) => {
                self.draft = None;
                self.shown = None;
                self.notice = Some(Notice::success(format!(
                    "{what} are in use; memory states of {cards} cards recomputed{}.",
                    if self.reschedule {
                        ", review cards rescheduled"
                    } else {
                        ", due dates kept"
                    }
                )));
            }
            Err(message) => self.notice = Some(Notice::error(message)),
        }
    }

    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>, palette: &Palette) {
        ui.label(
            RichText::new(
                "FSRS predicts when you will forget a card from 21 parameters. The defaults are an average learner; fitted to your own reviews they predict your memory better.",
            )
            .color(palette.muted)
            .small(),
        );
        if let Some((reviews, cards)) = self.usable {
            let enough = reviews >= optimize::MIN_REVIEWS;
            let text = format!(
                "This profile has {reviews} {} of {cards} {} that a fit can use (answers to cards \
                 studied on an earlier day); {}",
                if reviews == 1 { "review" } else { "reviews" },
                if cards == 1 { "card" } else { "cards" },
                if enough {
                    "enough to optimize.".to_owned()
                } else {
                    format!("optimizing needs at least {}.", optimize::MIN_REVIEWS)
                }
            );
            ui.add(egui::Label::new(RichText::new(text).color(palette.muted).small()).wrap());
        }
        ui.horizontal_wrapped(|ui| {
            let running = self.job.is_some();
            if ui
                .add_enabled(!running, egui::Button::new(OPTIMIZE))
                .on_hover_text_at_pointer("Fits the parameters to this profile's reviews (at least 400 are needed) and keeps them only if they predict your answers better.")
                .clicked()
            {
                self.start(cx);
            }
            ui.add_enabled(!running, egui::Checkbox::new(&mut self.reschedule, "Reschedule cards"))
                .on_hover_text_at_pointer("Also move review cards' due dates to the intervals the new parameters give. Unticked, only the memory states are recomputed and due dates stay.");
            if self.previous.is_some()
                && ui
                    .add_enabled(!running, egui::Button::new(RESTORE))
                    .on_hover_text_at_pointer("Puts back the parameters the last change replaced.")
                    .clicked()
            {
                self.restore(cx);
            }
        });
        if let Some(job) = &self.job {
            let (done, total) = job.progress();
            let fraction = if total == 0 {
                0.0
            } else {
                (done as f32 / total as f32).clamp(0.0, 1.0)
            };
            let stage = match job.stage() {
                named if named.is_empty() => "Starting".to_owned(),
                named => named,
            };
            let mut cancel = false;
            ui.horizontal(|ui| {
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(360.0)
                        .text(format!("{}… {:.0} %", stage, fraction * 100.0)),
                );
                cancel = ui.button("Cancel").clicked();
            });
            if cancel {
                self.cancel();
            }
        }
        if let Some(shown) = &self.shown {
            show_report(ui, shown, palette);
        }
        if let Some(notice) = &self.notice {
            notice.show(ui, palette);
        }
        ui.add_space(8.0);
        self.parameters_field(ui, cx, palette);
        // Polled after drawing: a Cancel clicked on a frame where the fit has just finished
        // still wins, and nothing is applied.
        if self.poll(cx) {
            ui.ctx().request_repaint();
        }
    }

    fn parameters_field(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>, palette: &Palette) {
        let current = format_parameters(&cx.settings().fsrs_parameters);
        let label = ui.label(PARAMETERS);
        let mut text = self.draft.clone().unwrap_or_else(|| current.clone());
        let response = ui
            .add(
                egui::TextEdit::multiline(&mut text)
                    // Tab moves on to the next control, as everywhere else.
                    .lock_focus(false)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY)
                    .font(egui::TextStyle::Monospace),
            )
            .labelled_by(label.id)
            .on_hover_text_at_pointer("The 21 numbers, separated by commas or spaces; paste them from Anki's FSRS options to use the same memory model.");
        if response.changed() {
            self.draft = (text != current).then_some(text);
        }
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(self.draft.is_some(), egui::Button::new(USE_PARAMETERS))
                .clicked()
                && let Some(draft) = self.draft.clone()
            {
                self.use_pasted(cx, &draft);
            }
            if self.draft.is_some() && ui.button("Discard the edit").clicked() {
                self.draft = None;
            }
            if cx.settings().fsrs_parameters != DEFAULT_PARAMETERS
                && ui
                    .button("Use the default parameters")
                    .on_hover_text_at_pointer("FSRS-6's defaults: an average learner.")
                    .clicked()
            {
                self.use_parameters(cx, &DEFAULT_PARAMETERS, "The default parameters");
            }
            let which = if cx.settings().fsrs_parameters == DEFAULT_PARAMETERS {
                "In use: FSRS-6's defaults."
            } else {
                "In use: parameters of your own."
            };
            ui.label(RichText::new(which).color(palette.muted).small());
        });
    }
}

fn show_report(ui: &mut Ui, shown: &Shown, palette: &Palette) {
    let report = &shown.report;
    if report.fitted.is_some() {
        ui.label(format!(
            "{} reviews of {} cards used. Lower is better for both figures:",
            report.reviews, report.cards
        ));
        egui::Grid::new("optimize-figures")
            .num_columns(3)
            .spacing([24.0, 4.0])
            .show(ui, |ui| {
                ui.label("");
                ui.label(RichText::new("Log loss").strong());
                ui.label(RichText::new("RMSE (bins)").strong());
                ui.end_row();
                let kept = report.outcome == Outcome::Kept;
                for (name, e, chosen) in [
                    ("Current parameters", report.current_evaluation, !kept),
                    ("New parameters", report.fitted_evaluation, kept),
                ] {
                    let (loss, rmse) = figures(e);
                    let name = if chosen {
                        format!("{name} (kept)")
                    } else {
                        name.to_owned()
                    };
                    ui.label(name);
                    ui.label(loss);
                    ui.label(rmse);
                    ui.end_row();
                }
            });
    }
    let colour = if report.outcome == Outcome::Kept {
        palette.right
    } else {
        palette.text
    };
    ui.label(RichText::new(report.outcome.explanation()).color(colour));
    if let Some(cards) = shown.applied {
        ui.label(format!(
            "Memory states of {cards} cards recomputed; {}.",
            if shown.rescheduled {
                "review cards rescheduled"
            } else {
                "due dates kept"
            }
        ));
    }
}
