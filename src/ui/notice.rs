//! One kind of message for every screen: what happened, and how much it matters.

use egui::{Color32, RichText, Ui};

use super::theme::Palette;

/// How much a notice matters; sets its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Info,
    Success,
    Warning,
    Error,
}

/// A message shown on a screen: what was done, or what failed and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub severity: Severity,
}

impl Notice {
    #[must_use]
    pub fn new(severity: Severity, text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            severity,
        }
    }

    #[must_use]
    pub fn info(text: impl Into<String>) -> Self {
        Self::new(Severity::Info, text)
    }

    #[must_use]
    pub fn success(text: impl Into<String>) -> Self {
        Self::new(Severity::Success, text)
    }

    #[must_use]
    pub fn warning(text: impl Into<String>) -> Self {
        Self::new(Severity::Warning, text)
    }

    #[must_use]
    pub fn error(text: impl Into<String>) -> Self {
        Self::new(Severity::Error, text)
    }

    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The notice's colour: errors in the "wrong" colour, warnings in the warning colour,
    /// everything else in the "right" colour.
    #[must_use]
    pub fn colour(&self, palette: &Palette) -> Color32 {
        match self.severity {
            Severity::Error => palette.wrong,
            Severity::Warning => palette.warn,
            Severity::Info | Severity::Success => palette.right,
        }
    }

    /// Draws the notice as a line of text in its colour.
    pub fn show(&self, ui: &mut Ui, palette: &Palette) {
        ui.label(RichText::new(&self.text).color(self.colour(palette)));
    }
}

pub use flashdrill_core::file_name;
