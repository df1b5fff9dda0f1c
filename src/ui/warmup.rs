//! The spaced warm-up on the projector: the join address, its QR code and the PIN, the time
//! left, and the class live — who is active, answers so far, % right and the cards the class
//! misses most. Each student studies their own queue on their phone; nothing here is timed
//! per question and nobody scores points.

use egui::{RichText, Ui};
use flashdrill_live::LiveWarmup;
use flashdrill_live::warmup::{Activity, WarmupSnapshot};

use crate::app::AppCommand;
use crate::ui::notice::Notice;
use crate::ui::screen::Screen;
use crate::ui::theme::{Palette, size};
use crate::ui::view::{AppContext, View};
use crate::ui::widgets;
use flashdrill_core::collection::Changes;

/// A warm-up under way (or over, its board still on show).
struct Running {
    warmup: LiveWarmup,
    class: String,
    qr: Option<Vec<Vec<bool>>>,
    snap: WarmupSnapshot,
    /// The answers and whether it was over when the other screens were last told: the
    /// class's report reads the class again when they change.
    told: (u32, bool),
}

impl Running {
    /// Takes a fresh snapshot; tells the screens when the class's answers changed in the
    /// class memory (answered, or the warm-up ended).
    fn look(&mut self, cx: &mut AppContext<'_>) {
        self.snap = self.warmup.snapshot();
        let now = (self.snap.answers, self.snap.over);
        if now != self.told {
            self.told = now;
            cx.changed(Changes::CLASSES);
        }
    }
}

/// The warm-up screen: the warm-up it serves, and where "Close" goes back to.
#[derive(Default)]
pub struct WarmupScreen {
    running: Option<Running>,
    notice: Option<Notice>,
}

impl std::fmt::Debug for WarmupScreen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WarmupScreen")
            .field("running", &self.running.as_ref().map(|r| r.class.as_str()))
            .finish_non_exhaustive()
    }
}

/// "4:05" from seconds.
fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).ceil() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

impl WarmupScreen {
    /// Shows `warmup`, served for the class `class`.
    pub fn start(&mut self, warmup: LiveWarmup, class: String) {
        let qr = flashdrill_live::qr_matrix(&warmup.qr_url()).ok();
        let snap = warmup.snapshot();
        let told = (snap.answers, snap.over);
        self.running = Some(Running {
            warmup,
            class,
            qr,
            snap,
            told,
        });
        self.notice = None;
    }

    /// Says why a warm-up could not start.
    pub fn set_notice(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    /// The warm-up being served, if any.
    #[must_use]
    pub fn warmup(&self) -> Option<&LiveWarmup> {
        self.running.as_ref().map(|r| &r.warmup)
    }

    /// Whether a warm-up is being served.
    #[must_use]
    pub fn is_running(&self) -> bool {
        self.running
            .as_ref()
            .is_some_and(|r| r.warmup.is_listening())
    }

    fn board(ui: &mut Ui, snap: &WarmupSnapshot, palette: &Palette) {
        let active = snap
            .students
            .iter()
            .filter(|s| matches!(s.activity, Activity::Answering | Activity::Joined))
            .count();
        ui.label(
            RichText::new(format!(
                "{} joined · {active} active · {} · {}",
                snap.students.len(),
                if snap.answers == 1 {
                    "1 answer".to_owned()
                } else {
                    format!("{} answers", snap.answers)
                },
                snap.percent_right.map_or_else(
                    || "no answers yet".to_owned(),
                    |p| format!("{p:.0} % right")
                )
            ))
            .size(size::DRILL_INFO)
            .strong(),
        );
        ui.add_space(8.0);
        ui.columns(2, |cols| {
            // Left-aligned text, not stretched to the column's width.
            let (left, right) = cols.split_at_mut(1);
            let top_down = egui::Layout::top_down(egui::Align::Min);
            left[0].with_layout(top_down, |ui| Self::students(ui, snap, palette));
            right[0].with_layout(top_down, |ui| Self::missed(ui, snap, palette));
        });
    }

    fn students(ui: &mut Ui, snap: &WarmupSnapshot, palette: &Palette) {
        ui.label(
            RichText::new("Students")
                .size(size::DRILL_INFO)
                .color(palette.muted),
        );
        egui::ScrollArea::vertical()
            .id_salt("warmup-students")
            .max_height(ui.available_height().max(160.0))
            .show(ui, |ui| {
                if snap.students.is_empty() {
                    ui.label(RichText::new("Waiting for students to join…").color(palette.muted));
                }
                for s in &snap.students {
                    let colour = match s.activity {
                        Activity::Answering => palette.right,
                        Activity::Joined | Activity::Done => palette.text,
                        Activity::Idle | Activity::Away => palette.muted,
                    };
                    ui.label(
                        RichText::new(format!(
                            "{} — {}, {} of {} right",
                            s.name,
                            s.activity.label(),
                            s.right,
                            s.answered
                        ))
                        .size(size::DRILL_INFO * 0.8)
                        .color(colour),
                    );
                }
            });
    }

    fn missed(ui: &mut Ui, snap: &WarmupSnapshot, palette: &Palette) {
        ui.label(
            RichText::new("Missed most")
                .size(size::DRILL_INFO)
                .color(palette.muted),
        );
        let missed: Vec<_> = snap.missed.iter().filter(|m| m.misses > 0).collect();
        if missed.is_empty() {
            ui.label(RichText::new("Nothing missed yet.").color(palette.muted));
        }
        for m in missed {
            ui.label(
                RichText::new(format!(
                    "{} — {} of {} wrong",
                    m.prompt, m.misses, m.answers
                ))
                .size(size::DRILL_INFO * 0.8),
            );
        }
    }
}

impl View for WarmupScreen {
    /// A warm-up left running while another screen is on show (the class's report, say):
    /// its answers still reach the screens that show the class.
    fn background(&mut self, cx: &mut AppContext<'_>) {
        if let Some(run) = &mut self.running
            && run.warmup.is_listening()
        {
            run.look(cx);
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>) {
        let palette = cx.palette;
        let Some(run) = &mut self.running else {
            widgets::centered_column(ui, 760.0, |ui| {
                ui.heading("Spaced warm-up");
                if let Some(n) = &self.notice {
                    n.show(ui, &palette);
                }
                ui.label("Start a warm-up from a class on the Classes screen.");
                if ui.button("Back to decks").clicked() {
                    cx.send(AppCommand::GoTo(Screen::Home));
                }
            });
            return;
        };
        run.look(cx);
        if run.warmup.is_listening() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(250));
        }
        let snap = run.snap.clone();
        let mut close = false;
        egui::Panel::bottom("warmup-actions")
            .show_separator_line(true)
            .show(ui, |ui| {
                ui.add_space(8.0);
                ui.horizontal_wrapped(|ui| {
                    if snap.over {
                        if widgets::primary_button(ui, "Close the warm-up", &palette).clicked() {
                            close = true;
                        }
                        ui.label(
                            RichText::new("Every phone has its summary; the answers are saved.")
                                .color(palette.muted),
                        );
                    } else if ui
                        .button("End the warm-up now")
                        .on_hover_text("Each phone gets its summary; answers already sent are kept")
                        .clicked()
                    {
                        let _ = run.warmup.end();
                    }
                });
                ui.add_space(4.0);
            });
        ui.horizontal_wrapped(|ui| {
            ui.heading(format!("Spaced warm-up: {}", run.class));
            ui.label(
                RichText::new(if snap.over {
                    "Over".to_owned()
                } else {
                    format!("{} left", clock(snap.seconds_left))
                })
                .size(size::DRILL_INFO)
                .strong()
                .color(palette.accent),
            );
        });
        ui.label(
            RichText::new(
                "Each student studies their own cards on their phone: what they are due, then \
                 new cards. No timer, no points; a missed card comes back to that student.",
            )
            .color(palette.muted),
        );
        ui.add_space(8.0);
        let qr_side = (ui.available_width() * 0.3).clamp(160.0, 320.0);
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(qr_side);
                match &run.qr {
                    Some(modules) => {
                        crate::ui::drill::qr_code(ui, modules, qr_side, run.warmup.join_url());
                    }
                    None => {
                        ui.label(
                            RichText::new("The address is too long for a QR code: type it in.")
                                .color(palette.warn),
                        );
                    }
                }
                ui.label(
                    RichText::new(run.warmup.join_url().trim_end_matches('/'))
                        .size(size::DRILL_INFO)
                        .strong()
                        .color(palette.accent),
                );
                ui.label(
                    RichText::new(format!("PIN {}", run.warmup.pin()))
                        .size(size::DRILL_ANSWER)
                        .strong(),
                );
            });
            ui.add_space(20.0);
            ui.vertical(|ui| Self::board(ui, &snap, &palette));
        });
        if close {
            if let Some(mut run) = self.running.take() {
                run.warmup.stop_listening();
            }
            cx.send(AppCommand::WarmupClosed);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_clock_reads_minutes_and_seconds() {
        assert_eq!(super::clock(245.2), "4:06");
        assert_eq!(super::clock(0.0), "0:00");
        assert_eq!(super::clock(-3.0), "0:00");
    }
}
