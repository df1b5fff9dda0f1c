//! The session summary: what was studied, how it went, and what comes next.

use egui::{RichText, Ui};

use chrono::{DateTime, Utc};

use super::commands::{self, Command};
use super::messages;
use super::notice::Notice;
use super::study::{StudySession, describe_due, find_card};
use super::theme::{Palette, size};
use super::widgets;
use crate::ui::view::{AppCommand, AppContext, Screen, View};
use flashdrill_core::deck::Library;
use flashdrill_core::session::Session;
use flashdrill_core::store::Mode;

pub struct SummaryView<'a> {
    /// Distinct cards answered.
    pub studied: usize,
    /// Answers given (a card in learning may be answered several times).
    pub answers: usize,
    /// Answers marked right (auto-marked) or rated Hard/Good/Easy.
    pub right: usize,
    pub secs: u64,
    /// Category label, right, answered.
    pub by_category: &'a [(String, usize, usize)],
    /// Prompt and answer of each card missed.
    pub missed: &'a [(String, String)],
    /// "in 10m", "tomorrow", or none.
    pub next_due: Option<&'a str>,
    pub can_undo: bool,
    pub practice: bool,
    /// Cards the session still had to show when it was left (0 when it was finished).
    pub unfinished: usize,
    /// The way back to where the session was started: "Back to decks", "Back to practice", …
    pub back: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryAction {
    Home,
    Undo,
    /// Go through the cards missed once more, as practice.
    StudyMissed,
}

pub fn show(ui: &mut Ui, view: &SummaryView<'_>) -> Option<SummaryAction> {
    let palette = Palette::of(ui.visuals());
    let mut action = None;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            widgets::centered_column(ui, 760.0, |ui| {
                ui.add_space(10.0);
                ui.label(
                    RichText::new(if view.answers == 0 {
                        "Nothing studied"
                    } else if view.unfinished > 0 {
                        "Session ended early"
                    } else {
                        "Session complete"
                    })
                    .size(size::PROMPT)
                    .strong(),
                );
                if view.unfinished > 0 {
                    let cards = if view.unfinished == 1 {
                        "card"
                    } else {
                        "cards"
                    };
                    ui.label(
                        RichText::new(format!(
                            "{} more {cards} wait for today: they are there when you study again.",
                            view.unfinished
                        ))
                        .color(palette.muted),
                    );
                }
                if view.practice {
                    ui.label(
                        RichText::new("Practice: your schedule was left as it was.")
                            .color(palette.muted),
                    );
                }
                ui.add_space(8.0);
                let accuracy = if view.answers == 0 {
                    0.0
                } else {
                    100.0 * view.right as f64 / view.answers as f64
                };
                ui.horizontal(|ui| {
                    for (value, name) in [
                        (view.studied.to_string(), "cards studied"),
                        (view.answers.to_string(), "answers"),
                        (format!("{accuracy:.0} %"), "accuracy"),
                        (format!("{}:{:02}", view.secs / 60, view.secs % 60), "time"),
                        (view.next_due.unwrap_or("—").to_owned(), "next card due"),
                    ] {
                        ui.vertical(|ui| {
                            ui.set_min_width(110.0);
                            ui.label(
                                RichText::new(value)
                                    .size(size::HEADING)
                                    .strong()
                                    .color(palette.accent),
                            );
                            ui.label(RichText::new(name).color(palette.muted));
                        });
                    }
                });
                ui.add_space(12.0);
                if !view.by_category.is_empty() {
                    ui.heading("By category");
                    egui::Grid::new("summary-categories")
                        .num_columns(3)
                        .spacing([16.0, 4.0])
                        .show(ui, |ui| {
                            for (category, right, total) in view.by_category {
                                ui.label(category);
                                let parts = [
                                    (*right as f32, palette.right),
                                    ((total - right) as f32, palette.wrong),
                                ];
                                widgets::stacked_bar(ui, &parts, 240.0, 12.0, palette.track);
                                ui.label(format!("{right} / {total} right"));
                                ui.end_row();
                            }
                        });
                    ui.add_space(12.0);
                }
                if !view.missed.is_empty() {
                    ui.heading(format!("Missed ({})", view.missed.len()));
                    for (prompt, answer) in view.missed {
                        ui.horizontal_wrapped(|ui| {
                            ui.label(RichText::new(prompt).color(palette.muted));
                            ui.label(RichText::new(format!("— {answer}")).strong());
                        });
                    }
                    ui.add_space(12.0);
                }
                ui.horizontal(|ui| {
                    if widgets::primary_button(ui, view.back, &palette)
                        .on_hover_text("Return to where this session began (Enter)")
                        .clicked()
                    {
                        action = Some(SummaryAction::Home);
                    }
                    if !view.missed.is_empty()
                        && ui
                            .add(
                                egui::Button::new("Study the missed ones again")
                                    .min_size(egui::vec2(0.0, 42.0)),
                            )
                            .on_hover_text(
                                "Go through the cards you missed once more, as practice: \
                                 your schedule stays as it is",
                            )
                            .clicked()
                    {
                        action = Some(SummaryAction::StudyMissed);
                    }
                    if ui
                        .add_enabled(
                            view.can_undo,
                            egui::Button::new("Undo last answer").min_size(egui::vec2(0.0, 42.0)),
                        )
                        .on_hover_text(commands::tooltip(Command::Undo))
                        .clicked()
                    {
                        action = Some(SummaryAction::Undo);
                    }
                });
            });
        });
    action
}

/// The summary screen: the finished session, until it is left (or an answer undone).
#[derive(Default)]
pub struct SummaryScreen {
    active: Option<StudySession>,
    notice: Option<Notice>,
}

impl SummaryScreen {
    /// Shows the summary of `session`.
    pub fn start(&mut self, session: StudySession) {
        self.active = Some(session);
        self.notice = None;
    }

    /// Shows `notice` above the summary.
    pub fn set_notice(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    /// Starts a practice session over the cards missed, asked as the session asked them.
    fn study_missed(&self, cx: &mut AppContext<'_>) {
        let Some(active) = self.active.as_ref() else {
            return;
        };
        let session = &active.session;
        let queue = session
            .summary()
            .missed
            .into_iter()
            .filter_map(|key| {
                let progress = *session.progress(&key)?;
                Some((key, progress))
            })
            .collect();
        cx.send(AppCommand::StartSession {
            queue,
            mode: Mode::Practice,
            form: Some(active.form),
            return_to: active.return_to,
        });
    }

    /// Hands the session over (back to the study screen, or to be dropped).
    pub fn take(&mut self) -> Option<StudySession> {
        self.active.take()
    }

    /// The session summed up, for an undo from elsewhere to step it back.
    pub fn session_mut(&mut self) -> Option<&mut Session> {
        self.active.as_mut().map(|a| &mut a.session)
    }

    /// Undoes the last answer and goes back to the study screen.
    fn undo(&mut self, cx: &mut AppContext<'_>) {
        let now = cx.now;
        let Some(active) = self.active.as_mut() else {
            return;
        };
        match cx.apply(|col| col.undo(Some(&mut active.session), now)) {
            Ok(undone) if undone.in_session => cx.send(AppCommand::ResumeSession),
            Ok(undone) => self.notice = Some(Notice::success(format!("Undone: {}.", undone.op))),
            Err(err) => {
                self.notice = Some(Notice::error(messages::collection("Could not undo", &err)));
            }
        }
    }
}

/// What the summary shows of `active`, read from its session and the decks.
struct Numbers {
    by_category: Vec<(String, usize, usize)>,
    missed: Vec<(String, String)>,
    next_due: Option<String>,
    summary: flashdrill_core::session::Summary,
}

fn numbers(active: &StudySession, library: &Library, now: DateTime<Utc>) -> Numbers {
    let summary = active
        .session
        .summary_with_categories(|key| find_card(library, key).map(|(_, c)| c.kind().label()));
    let by_category = summary
        .by_category
        .iter()
        .map(|(c, t)| (c.clone(), t.right as usize, (t.right + t.wrong) as usize))
        .collect();
    let missed = summary
        .missed
        .iter()
        .filter_map(|k| find_card(library, k))
        .map(|(_, c)| (c.prompt.clone(), c.answer.clone()))
        .collect();
    let next_due = summary.next_due.map(|due| describe_due(due, now));
    Numbers {
        by_category,
        missed,
        next_due,
        summary,
    }
}

/// The summary's way back, named after where the session returns to.
fn back_label(to: Screen) -> &'static str {
    match to {
        Screen::Practice => "Back to practice",
        Screen::Timeline => "Back to the timeline",
        Screen::Browse => "Back to the browser",
        _ => "Back to decks",
    }
}

impl View for SummaryScreen {
    fn ui(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>) {
        let Some(active) = self.active.as_ref() else {
            cx.send(AppCommand::GoTo(Screen::Home));
            return;
        };
        if let Some(notice) = &self.notice {
            notice.show(ui, &cx.palette);
        }
        let n = numbers(active, cx.library(), cx.now);
        let view = SummaryView {
            studied: n.summary.cards_studied,
            answers: n.summary.answers,
            right: n.summary.right,
            secs: n.summary.time.as_secs(),
            by_category: &n.by_category,
            missed: &n.missed,
            next_due: n.next_due.as_deref(),
            can_undo: active.session.can_undo(),
            practice: n.summary.mode != Mode::Srs,
            unfinished: active.session.remaining(),
            back: back_label(active.return_to),
        };
        match show(ui, &view) {
            Some(SummaryAction::Home) => cx.send(AppCommand::LeaveSession),
            Some(SummaryAction::Undo) => self.undo(cx),
            Some(SummaryAction::StudyMissed) => self.study_missed(cx),
            None => {}
        }
    }

    fn command(&mut self, command: Command, cx: &mut AppContext<'_>) {
        match command {
            Command::Undo => self.undo(cx),
            Command::Primary | Command::Back => cx.send(AppCommand::LeaveSession),
            _ => {}
        }
    }
}
