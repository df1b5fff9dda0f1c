//! The statistics page: its filters, today's numbers and streaks, the empty state and the
//! report export; the charts are in `charts.rs`.

use std::path::PathBuf;

use egui::{RichText, Ui};

use super::charts::{
    forecast_chart, heatmap, mastery, minutes_chart, retention_chart, reviews_chart,
};
use super::format::{days_text, percent};
use crate::ui::notice::Notice;
use crate::ui::theme::{Palette, size};
use crate::ui::widgets;

use flashdrill_core::stats::Stats;
use flashdrill_core::stats::report::ReportFormat;

/// How many days the per-day charts show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DayRange {
    #[default]
    Month,
    Quarter,
    Year,
}

impl DayRange {
    pub const ALL: [DayRange; 3] = [DayRange::Month, DayRange::Quarter, DayRange::Year];

    #[must_use]
    pub fn days(self) -> usize {
        match self {
            Self::Month => 30,
            Self::Quarter => 90,
            Self::Year => 365,
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Month => "30 days",
            Self::Quarter => "90 days",
            Self::Year => "1 year",
        }
    }
}

/// The screen's own state: the chart range, the filters and the report to export.
#[derive(Debug, Clone, Default)]
pub struct StatsState {
    pub range: DayRange,
    /// The deck picked in the filter; `None`: all decks.
    pub deck: Option<String>,
    /// The profile picked in the filter (its slug); `None`: the open profile.
    pub profile: Option<String>,
    /// The format of the next exported report.
    pub report_format: ReportFormat,
    /// Where "Save" writes the report (typed, or chosen in the file dialog).
    pub report_path: String,
    /// Each exam's readiness with its deck's title (only the filtered deck's).
    pub exams: Vec<(String, flashdrill_core::plan::readiness::Readiness)>,
}

/// What the screen shows.
pub struct StatsView<'a> {
    /// The statistics for the current filter, once computed.
    pub stats: Option<&'a Stats>,
    /// New statistics are being computed (a spinner shows; old numbers stay visible).
    pub loading: bool,
    /// Why the statistics could not be computed.
    pub error: Option<&'a str>,
    /// Deck id and title, for the filter.
    pub decks: &'a [(String, String)],
    /// Every profile's slug and name, for the filter; the open one first.
    pub profiles: &'a [(String, String)],
    /// The outcome of the last export: the message and whether it is an error.
    pub report_notice: Option<&'a Notice>,
    /// A report is being written.
    pub exporting: bool,
    /// The self-tests section, drawn after the charts.
    pub self_tests: Option<&'a super::selftests::Section>,
}

/// What the learner asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatsAction {
    /// The deck filter changed (already stored in [`StatsState::deck`]): recompute.
    DeckChanged(Option<String>),
    /// Compute again (after an error).
    Refresh,
    /// Go to the deck list.
    GoToDecks,
    /// The profile filter changed (already stored in [`StatsState::profile`]): recompute.
    ProfileChanged(Option<String>),
    /// Choose a file in a dialog, then export the report there.
    ExportDialog(ReportFormat),
    /// Export the report to this file.
    ExportTo(PathBuf, ReportFormat),
}

/// The empty state's message.
pub const EMPTY_TEXT: &str = "No reviews yet — study a deck and your progress appears here";

impl StatsState {
    pub fn show(&mut self, ui: &mut Ui, view: &StatsView<'_>) -> Option<StatsAction> {
        let palette = Palette::of(ui.visuals());
        let mut action = None;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                widgets::centered_column(ui, 960.0, |ui| {
                    self.header(ui, view, &mut action);
                    ui.add_space(6.0);
                    if let Some(error) = view.error {
                        ui.label(RichText::new(error).color(palette.wrong));
                        if ui.button("Try again").clicked() {
                            action = Some(StatsAction::Refresh);
                        }
                        return;
                    }
                    match view.stats {
                        None => {
                            ui.horizontal(|ui| {
                                ui.spinner();
                                ui.label("Computing statistics…");
                            });
                        }
                        Some(stats) if stats.is_empty() => {
                            self.exams(ui, &palette);
                            empty_state(ui, self.deck.is_some(), &palette, &mut action);
                        }
                        Some(stats) => {
                            self.body(ui, stats, &palette);
                            if let Some(section) = view.self_tests {
                                section.show(ui, &palette);
                                ui.add_space(16.0);
                            }
                            self.export(ui, view, &palette, &mut action);
                            ui.add_space(16.0);
                        }
                    }
                });
            });
        action
    }

    fn header(&mut self, ui: &mut Ui, view: &StatsView<'_>, action: &mut Option<StatsAction>) {
        ui.horizontal(|ui| {
            ui.label(RichText::new("Statistics").size(size::PROMPT).strong());
            if view.loading && view.stats.is_some() {
                ui.spinner();
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let before = self.deck.clone();
                let selected = self
                    .deck
                    .as_deref()
                    .and_then(|id| view.decks.iter().find(|(d, _)| d == id))
                    .map_or("All decks", |(_, title)| title.as_str());
                // Right to left: the combo first, then its label on its left.
                let combo = egui::ComboBox::from_id_salt("stats-deck")
                    .height(crate::ui::widgets::COMBO_HEIGHT)
                    .selected_text(selected)
                    .width(260.0)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.deck, None, "All decks");
                        for (id, title) in view.decks {
                            ui.selectable_value(&mut self.deck, Some(id.clone()), title);
                        }
                    })
                    .response;
                let label = ui.label("Deck:");
                combo
                    .labelled_by(label.id)
                    .on_hover_text_at_pointer("Show the statistics of one deck or of all");
                if self.deck != before {
                    *action = Some(StatsAction::DeckChanged(self.deck.clone()));
                }
                if view.profiles.len() > 1 {
                    ui.add_space(12.0);
                    self.profile_filter(ui, view, action);
                }
            });
        });
    }

    /// Whose statistics: the open profile or another learner's on this computer.
    fn profile_filter(
        &mut self,
        ui: &mut Ui,
        view: &StatsView<'_>,
        action: &mut Option<StatsAction>,
    ) {
        let before = self.profile.clone();
        let name = |slug: Option<&str>| {
            slug.and_then(|s| view.profiles.iter().find(|(p, _)| p == s))
                .or_else(|| view.profiles.first())
                .map_or("", |(_, name)| name.as_str())
        };
        let combo = egui::ComboBox::from_id_salt("stats-profile")
            .height(crate::ui::widgets::COMBO_HEIGHT)
            .selected_text(name(self.profile.as_deref()))
            .width(180.0)
            .show_ui(ui, |ui| {
                for (i, (slug, name)) in view.profiles.iter().enumerate() {
                    let value = (i > 0).then(|| slug.clone());
                    ui.selectable_value(&mut self.profile, value, name);
                }
            })
            .response;
        let label = ui.label("Profile:");
        combo
            .labelled_by(label.id)
            .on_hover_text_at_pointer("Show another learner's statistics (nothing is switched)");
        if self.profile != before {
            *action = Some(StatsAction::ProfileChanged(self.profile.clone()));
        }
    }

    /// The report of this profile's results to save: format, file dialog or a typed path.
    fn export(
        &mut self,
        ui: &mut Ui,
        view: &StatsView<'_>,
        palette: &Palette,
        action: &mut Option<StatsAction>,
    ) {
        ui.heading("Report");
        ui.label(
            RichText::new(
                "Every card's and every category's results, for a student's or a teacher's records.",
            )
            .color(palette.muted),
        );
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Format:");
            egui::ComboBox::from_id_salt("stats-report-format")
                .height(crate::ui::widgets::COMBO_HEIGHT)
                .selected_text(self.report_format.label())
                .width(220.0)
                .show_ui(ui, |ui| {
                    for format in ReportFormat::ALL {
                        ui.selectable_value(&mut self.report_format, format, format.label());
                    }
                })
                .response
                .labelled_by(label.id);
            if ui
                .add_enabled(!view.exporting, egui::Button::new("Export report…"))
                .on_hover_text_at_pointer("Choose where to save the report")
                .clicked()
            {
                *action = Some(StatsAction::ExportDialog(self.report_format));
            }
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Save report to:");
            ui.add(
                egui::TextEdit::singleline(&mut self.report_path)
                    .hint_text(format!(
                        "/path/to/report.{}",
                        self.report_format.extension()
                    ))
                    .desired_width(360.0),
            )
            .labelled_by(label.id);
            let path = self.report_path.trim();
            if ui
                .add_enabled(
                    !path.is_empty() && !view.exporting,
                    egui::Button::new("Save report"),
                )
                .clicked()
            {
                *action = Some(StatsAction::ExportTo(
                    PathBuf::from(path),
                    self.report_format,
                ));
            }
            if view.exporting {
                ui.spinner();
            }
        });
        if let Some(notice) = view.report_notice {
            let colour = notice.colour(palette);
            ui.label(RichText::new(&notice.text).color(colour));
        }
    }

    /// Each exam's readiness, first: what the learner works toward.
    fn exams(&self, ui: &mut Ui, palette: &Palette) {
        if self.exams.is_empty() {
            return;
        }
        ui.heading("Ready for the exam");
        for (title, exam) in &self.exams {
            super::exam::readiness_section(ui, exam, title, palette);
            ui.add_space(6.0);
        }
        ui.add_space(10.0);
    }

    fn body(&mut self, ui: &mut Ui, stats: &Stats, palette: &Palette) {
        today_numbers(ui, stats, palette);
        ui.add_space(12.0);
        self.exams(ui, palette);

        ui.horizontal(|ui| {
            ui.heading("Reviews per day");
            ui.add_space(12.0);
            for range in DayRange::ALL {
                if ui
                    .selectable_label(self.range == range, range.label())
                    .on_hover_text_at_pointer("How many days the charts show")
                    .clicked()
                {
                    self.range = range;
                }
            }
        });
        let days = stats.last_days(self.range.days());
        reviews_chart(ui, stats.today, days, palette);
        ui.add_space(10.0);
        ui.heading("Time spent per day");
        minutes_chart(ui, stats.today, days, palette);
        ui.add_space(10.0);

        ui.heading("Due in the next 30 days");
        forecast_chart(ui, stats, palette);
        ui.add_space(10.0);

        ui.heading("True retention by week");
        retention_chart(ui, stats, palette);
        ui.add_space(10.0);

        ui.heading("Mastery by category");
        mastery(ui, stats, palette);
        ui.add_space(10.0);

        ui.heading("Activity over the last year");
        heatmap(ui, stats, palette);
        ui.add_space(16.0);
    }
}

fn empty_state(ui: &mut Ui, deck: bool, palette: &Palette, action: &mut Option<StatsAction>) {
    ui.add_space(40.0);
    ui.vertical_centered(|ui| {
        ui.label(
            RichText::new(if deck {
                "No reviews of this deck yet — study it and its progress appears here"
            } else {
                EMPTY_TEXT
            })
            .size(size::HEADING),
        );
        ui.add_space(8.0);
        ui.label(
            RichText::new(
                "Reviews per day, retention, mastery and your streak are worked out from your answers.",
            )
            .color(palette.muted),
        );
        ui.add_space(16.0);
        if widgets::primary_button(ui, "Go to decks", palette).clicked() {
            *action = Some(StatsAction::GoToDecks);
        }
    });
}

/// One big number with its caption underneath (never wrapped).
fn figure(ui: &mut Ui, value: &str, caption: &str, palette: &Palette) {
    ui.vertical(|ui| {
        ui.set_min_width(110.0);
        ui.add(
            egui::Label::new(
                RichText::new(value)
                    .size(size::HEADING)
                    .strong()
                    .color(palette.accent),
            )
            .wrap_mode(egui::TextWrapMode::Extend),
        );
        ui.add(
            egui::Label::new(RichText::new(caption).color(palette.muted))
                .wrap_mode(egui::TextWrapMode::Extend),
        );
    });
}

fn today_numbers(ui: &mut Ui, stats: &Stats, palette: &Palette) {
    let t = &stats.today_numbers;
    widgets::card_frame(ui, palette).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 28.0;
            {
                figure(ui, &t.reviews.to_string(), "Reviews today", palette);
                // Practice and drill answers are not scheduled reviews: counted beside them.
                if t.other > 0 {
                    figure(
                        ui,
                        &t.other.to_string(),
                        "Practice and drill today",
                        palette,
                    );
                }
                figure(ui, &format!("{:.0}", t.minutes()), "Minutes today", palette);
                figure(
                    ui,
                    &t.right_rate().map_or_else(|| "–".to_owned(), percent),
                    "Right today",
                    palette,
                );
                figure(
                    ui,
                    &days_text(stats.streaks.current),
                    "Current streak",
                    palette,
                );
                figure(
                    ui,
                    &days_text(stats.streaks.longest),
                    "Longest streak",
                    palette,
                );
            }
        });
    });
}
