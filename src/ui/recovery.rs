//! Recovery: the profile's database could not be opened. The learner is told what happened and
//! offered the newest backup or a fresh start; nothing else can be reached until they choose.

use std::path::PathBuf;

use egui::{RichText, Ui};

use super::theme::size;
use super::widgets;
use crate::ui::view::{AppCommand, AppContext, View};

/// Why the profile could not be opened, and what can be done.
#[derive(Debug, Clone, Default)]
pub struct RecoveryScreen {
    message: String,
    backup: Option<PathBuf>,
}

impl RecoveryScreen {
    /// What went wrong, and the backup to offer (if there is one).
    pub fn set(&mut self, message: String, backup: Option<PathBuf>) {
        self.message = message;
        self.backup = backup;
    }
}

impl View for RecoveryScreen {
    fn ui(&mut self, ui: &mut Ui, cx: &mut AppContext<'_>) {
        let palette = cx.palette;
        let mut chosen = None;
        widgets::centered_column(ui, 760.0, |ui| {
            ui.add_space(20.0);
            ui.label(
                RichText::new("Your progress could not be opened")
                    .size(size::PROMPT)
                    .strong()
                    .color(palette.wrong),
            );
            ui.add_space(8.0);
            ui.label(&self.message);
            ui.add_space(12.0);
            if let Some(backup) = &self.backup {
                let name = backup
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if widgets::primary_button(ui, &format!("Restore the backup of {name}"), &palette)
                    .clicked()
                {
                    chosen = Some(AppCommand::RestoreBackup(backup.clone()));
                }
            }
            if ui
                .button("Start again with empty progress")
                .on_hover_text("The damaged file stays where it was moved")
                .clicked()
            {
                chosen = Some(AppCommand::StartAfresh);
            }
        });
        if let Some(command) = chosen {
            cx.send(command);
        }
    }
}
