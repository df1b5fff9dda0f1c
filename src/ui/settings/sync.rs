//! The settings screen's "Sync with your other computers" part: the profile's sync folder,
//! "Sync now", and what the last sync brought in and sent out, with any conflict.

use egui::{RichText, Ui};
use flashdrill_core::sync::SyncReport;

use crate::app::AppCommand;
use crate::jobs::{self, Job};
use crate::ui::file_ask::FileAsk;
use crate::ui::theme::Palette;
use crate::ui::view::AppContext;

/// The sync panel: a folder being chosen.
#[derive(Debug, Default)]
pub struct SyncPanel {
    choosing: Option<Job<Option<std::path::PathBuf>>>,
}

impl SyncPanel {
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>, palette: &Palette) {
        if let Some(Ok(Some(folder))) = jobs::finished(&mut self.choosing) {
            cx.send(AppCommand::SetSyncFolder(Some(folder)));
        }
        ui.label(
            "Keep this profile's progress, decks and settings the same on your other computers \
             through a folder they share: one kept in step by Syncthing, Dropbox or Nextcloud, \
             or a USB stick. Each computer writes only its own files there, so nothing is lost \
             when two computers were used between syncs. No account is needed.",
        );
        ui.add_space(6.0);
        let folder = cx
            .col()
            .store()
            .and_then(|s| s.sync_folder().ok().flatten());
        match &folder {
            Some(folder) => {
                ui.label(format!("Sync folder: {}", folder.display()));
            }
            None => {
                ui.label(RichText::new("No sync folder yet.").color(palette.muted));
            }
        }
        let running = cx.sync.running();
        ui.horizontal_wrapped(|ui| {
            let choose = if folder.is_some() {
                "Choose another folder…"
            } else {
                "Choose sync folder…"
            };
            if ui
                .add_enabled(self.choosing.is_none(), egui::Button::new(choose))
                .on_hover_text("The folder your sync tool keeps the same on every computer")
                .clicked()
            {
                self.choosing = Some(cx.choose_file(FileAsk::folder("Choose the sync folder")));
            }
            if folder.is_some() {
                if ui
                    .add_enabled(!running, egui::Button::new("Sync now"))
                    .on_hover_text("Send what you studied here and take in what came from your other computers")
                    .clicked()
                {
                    cx.send(AppCommand::SyncNow);
                }
                if ui
                    .button("Stop syncing")
                    .on_hover_text("This computer stops syncing; the folder and your progress stay as they are")
                    .clicked()
                {
                    cx.send(AppCommand::SetSyncFolder(None));
                }
            }
        });
        if running {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Syncing…");
            });
        }
        if let Some(last) = &cx.sync.last {
            let at = last.at.format("%-d %B at %H:%M");
            match &last.outcome {
                Ok(report) => {
                    ui.label(format!("Last sync: {at}."));
                    report_lines(ui, report, palette);
                }
                Err(why) => {
                    ui.label(
                        RichText::new(format!("The sync on {at} could not run: {why}."))
                            .color(palette.wrong),
                    );
                }
            }
        }
        if folder.is_some() {
            ui.label(
                RichText::new(
                    "flashdrill syncs when the profile opens, after each study session, every \
                     five minutes and when you close it.",
                )
                .color(palette.muted)
                .small(),
            );
        }
    }
}

/// What a sync did, a line each; conflicts and problems stand out.
fn report_lines(ui: &mut Ui, report: &SyncReport, palette: &Palette) {
    for line in report.lines() {
        let problem = line.starts_with("conflict")
            || line.starts_with("skipped")
            || line.starts_with("could not")
            || line.starts_with("reviews came in for");
        let text = RichText::new(sentence(&line));
        ui.label(if problem {
            text.color(palette.warn)
        } else {
            text.color(palette.muted)
        });
    }
}

/// "in: 3 reviews from home" → "In: 3 reviews from home."
fn sentence(line: &str) -> String {
    let mut chars = line.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
    let mut out = first.unwrap_or_default() + chars.as_str();
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn report_lines_read_as_sentences() {
        assert_eq!(
            super::sentence("in: 3 reviews from home"),
            "In: 3 reviews from home."
        );
        assert_eq!(super::sentence("done."), "Done.");
    }
}
