//! A class's report in the window: every student's numbers, one student over time (a chart of
//! their sessions, predicted recall per deck, weakest cards), the class as a heatmap of
//! students × categories, and the cards with their discrimination; exported as a gradebook
//! CSV, JSON or a printable page.

use std::collections::HashMap;

use egui::{RichText, Sense, Stroke, Ui};
use egui_plot::{Bar, BarChart, Plot};

use super::{FileFor, OpenClass, count, deck_title, hint, section, when};
use crate::ui::theme::{Palette, size};
use crate::ui::view::AppContext;
use crate::ui::widgets;
use flashdrill_core::class::report::{CardRow, ClassReport, HeatCell, StudentRow};
use flashdrill_core::deck::Category;

/// The report's file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Html,
}

impl Format {
    pub const ALL: [Self; 3] = [Self::Html, Self::Csv, Self::Json];

    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Csv => "Gradebook (CSV)",
            Self::Json => "Everything (JSON)",
            Self::Html => "Printable page (HTML)",
        }
    }

    #[must_use]
    pub const fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
            Self::Html => "html",
        }
    }

    #[must_use]
    pub fn render(self, report: &ClassReport) -> String {
        match self {
            Self::Csv => report.to_csv(),
            Self::Json => report.to_json(),
            Self::Html => report.to_html(),
        }
    }
}

/// The sessions a student's chart shows (the latest).
const CHART_SESSIONS: usize = 20;

/// A share as a whole percentage, a dash for none.
fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{:.0} %", v * 100.0))
}

/// The report part of a class's page; a file question it asks for.
pub fn show(ui: &mut Ui, open: &mut OpenClass, cx: &AppContext<'_>) -> Option<FileFor> {
    let palette = cx.palette;
    let mut asked = None;
    ui.horizontal(|ui| {
        let label = ui.label("Report format");
        egui::ComboBox::from_id_salt("class-report-format")
            .selected_text(open.format.label())
            .show_ui(ui, |ui| {
                for f in Format::ALL {
                    ui.selectable_value(&mut open.format, f, f.label());
                }
            })
            .response
            .labelled_by(label.id);
        if ui
            .add_enabled(open.report.is_some(), egui::Button::new("Export report…"))
            .on_hover_text("Save the report in the format chosen")
            .clicked()
        {
            asked = Some(FileFor::Report(open.format));
        }
    });
    if let Some(error) = &open.report_error {
        ui.label(RichText::new(error).color(palette.wrong));
    }
    let Some(report) = &open.report else {
        if open.report_job.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Making the report…");
            });
        }
        return asked;
    };
    if !open.missing.is_empty() {
        ui.label(
            RichText::new(format!(
                "Not in the library, so left out: {}. Add the deck again to see its cards.",
                open.missing.join(", ")
            ))
            .color(palette.warn),
        );
    }
    if report.students.is_empty() {
        ui.label("No students yet: add them under Students.");
        return asked;
    }
    let prompts: HashMap<&str, &str> = report
        .cards
        .iter()
        .map(|c| (c.card.as_str(), c.prompt.as_str()))
        .collect();

    section(ui, "Students");
    hint(
        ui,
        &palette,
        "Accuracy and speed are apart: no figure here mixes them. True retention: the share right when a card came back due.",
    );
    // The first student until another is chosen (or when the one chosen was removed).
    if !report
        .students
        .iter()
        .any(|s| Some(&s.id) == open.selected.as_ref())
    {
        open.selected = report.students.first().map(|s| s.id.clone());
    }
    students_grid(ui, report, &mut open.selected);
    if let Some(student) = report
        .students
        .iter()
        .find(|s| Some(&s.id) == open.selected.as_ref())
    {
        ui.add_space(8.0);
        if student_detail(ui, student, &prompts, cx) {
            asked = Some(FileFor::Progress(student.id.clone()));
        }
    }

    section(ui, "The class by category");
    hint(
        ui,
        &palette,
        "The share of each student's answers that were right, per category of question.",
    );
    heatmap(ui, report, &palette);

    section(ui, "Cards");
    cards(ui, &report.cards, &palette);
    asked
}

fn students_grid(ui: &mut Ui, report: &ClassReport, selected: &mut Option<String>) {
    egui::ScrollArea::horizontal()
        .id_salt("class-report-students-scroll")
        .show(ui, |ui| students_rows(ui, report, selected));
}

fn students_rows(ui: &mut Ui, report: &ClassReport, selected: &mut Option<String>) {
    egui::Grid::new("class-report-students")
        .num_columns(8)
        .striped(true)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            for h in [
                "Student",
                "Answers",
                "Right",
                "Sessions",
                "Cards studied",
                "True retention",
                "Recall now",
                "Last answer",
            ] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for s in &report.students {
                let on = selected.as_ref() == Some(&s.id);
                let response = ui
                    .selectable_label(on, &s.name)
                    .on_hover_text(format!("{}'s progress over time", s.name));
                if response.clicked() {
                    *selected = Some(s.id.clone());
                }
                ui.label(s.reviews.to_string());
                ui.label(percent(s.accuracy));
                ui.label(s.sessions.len().to_string());
                ui.label(s.cards_studied.to_string());
                ui.label(percent(s.true_retention));
                ui.label(percent(s.recall_now()));
                ui.label(
                    s.last_answer
                        .map_or_else(|| "–".to_owned(), |t| when(t.to_utc())),
                );
                ui.end_row();
            }
        });
}

/// One student over time; true when their progress is to be exported.
fn student_detail(
    ui: &mut Ui,
    s: &StudentRow,
    prompts: &HashMap<&str, &str>,
    cx: &AppContext<'_>,
) -> bool {
    let palette = cx.palette;
    let mut export = false;
    widgets::card_frame(ui, &palette).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.label(RichText::new(&s.name).strong().size(size::HEADING));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let spoken = format!("Export {}'s progress…", s.name);
                let response = ui.button("Export progress…").on_hover_text(format!(
                    "{spoken} For them to import into their own flashdrill at home."
                ));
                response
                    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &spoken));
                export = response.clicked();
            });
        });
        if s.reviews == 0 {
            ui.label(format!("{} has not answered yet.", s.name));
            return;
        }
        let speed = s.median_response_ms.map_or_else(String::new, |ms| {
            format!("; a median of {:.1} s to answer", ms as f64 / 1000.0)
        });
        ui.label(format!(
            "{} in {}: {} right ({}); {} in the spaced warm-up, {} in the game{speed}.",
            count(s.reviews as usize, "answer", "answers"),
            count(s.sessions.len(), "session", "sessions"),
            s.right,
            percent(s.accuracy),
            s.srs_reviews,
            s.drill_reviews,
        ));
        sessions_chart(ui, s, &palette);
        // Left-aligned, not justified as columns lay text out.
        ui.columns(2, |cols| {
            cols[0].vertical(|ui| {
                ui.label(RichText::new("Predicted recall now").strong());
                if s.recall.iter().all(|r| r.cards == 0) {
                    ui.label("No card studied in the warm-up yet.");
                }
                for r in s.recall.iter().filter(|r| r.cards > 0) {
                    ui.label(format!(
                        "{}: {} ({})",
                        deck_title(cx, &r.deck),
                        percent(r.recall),
                        count(r.cards as usize, "card", "cards")
                    ));
                }
            });
            cols[1].vertical(|ui| {
                ui.label(RichText::new("Weakest cards").strong());
                if s.weakest.is_empty() {
                    ui.label("None yet.");
                }
                for card in &s.weakest {
                    let prompt = prompts.get(card.as_str()).copied().unwrap_or(card);
                    ui.add(egui::Label::new(format!("– {prompt}")).wrap());
                }
            });
        });
    });
    export
}

/// The share right in each of a student's latest sessions, as bars on a 0–100 % scale.
fn sessions_chart(ui: &mut Ui, s: &StudentRow, palette: &Palette) {
    let shown = &s.sessions[s.sessions.len().saturating_sub(CHART_SESSIONS)..];
    let share = |right: u32, n: u32| {
        if n == 0 {
            0.0
        } else {
            f64::from(right) * 100.0 / f64::from(n)
        }
    };
    let bars: Vec<Bar> = shown
        .iter()
        .enumerate()
        .map(|(i, session)| {
            Bar::new(i as f64 + 1.0, share(session.right, session.reviews))
                .width(0.7)
                .fill(palette.accent)
                .stroke(Stroke::new(0.5, palette.accent))
                .name(format!(
                    "{} ({} of {} right)",
                    session.start.format("%-d %b %H:%M"),
                    session.right,
                    session.reviews
                ))
        })
        .collect();
    let chart = BarChart::new("Share right", bars)
        .color(palette.accent)
        .element_formatter(Box::new(|bar, _| {
            format!("{}: {:.0} % right", bar.name, bar.value)
        }));
    let response = Plot::new(format!("class-student-sessions-{}", s.id))
        .height(140.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .allow_axis_zoom_drag(false)
        .sense(Sense::hover())
        .show_grid([false, true])
        .include_y(0.0)
        .include_y(100.0)
        .include_x(0.4)
        .include_x(shown.len() as f64 + 0.6)
        .y_axis_formatter(|mark, _| format!("{:.0} %", mark.value))
        .x_axis_formatter(|mark, _| {
            if (mark.value - mark.value.round()).abs() < 1e-6 && mark.value >= 1.0 {
                format!("{:.0}", mark.value)
            } else {
                String::new()
            }
        })
        .y_axis_min_width(36.0)
        .show(ui, |plot| plot.bar_chart(chart))
        .response;
    let each: Vec<String> = shown
        .iter()
        .map(|session| {
            format!(
                "{} {:.0} %",
                session.start.format("%-d %b"),
                share(session.right, session.reviews)
            )
        })
        .collect();
    let text = format!(
        "Chart of {}'s share right in each of their last {}: {}",
        s.name,
        count(shown.len(), "session", "sessions"),
        each.join(", ")
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &text));
    ui.label(
        RichText::new("Share right per session, oldest to newest")
            .color(palette.muted)
            .small(),
    );
}

/// Students × categories: each cell coloured by the share right (the theme's colours for
/// recall: red under 50 %, amber about 70 %, green from 90 %), its numbers written in it.
fn heatmap(ui: &mut Ui, report: &ClassReport, palette: &Palette) {
    let categories: Vec<String> = report
        .heatmap
        .categories
        .iter()
        .map(|c| Category::parse(c).label())
        .collect();
    if categories.is_empty() {
        ui.label("The class's decks have no cards yet.");
        return;
    }
    ui.horizontal_wrapped(|ui| {
        for (text, share) in [
            ("under 50 %", Some(0.4)),
            ("about 70 %", Some(0.7)),
            ("90 % and over", Some(0.95)),
            ("no answers", None),
        ] {
            let colour = share.map_or(palette.track.gamma_multiply(0.5), |s| {
                palette.retention(Some(s))
            });
            widgets::swatch(ui, colour);
            ui.label(RichText::new(text).color(palette.muted).small());
        }
    });
    egui::ScrollArea::horizontal()
        .id_salt("class-heatmap")
        .show(ui, |ui| {
            egui::Grid::new("class-heatmap-grid")
                .spacing([4.0, 4.0])
                .show(ui, |ui| {
                    ui.label("");
                    for c in &categories {
                        ui.label(RichText::new(c).strong());
                    }
                    ui.end_row();
                    for row in &report.heatmap.rows {
                        ui.label(&row.name);
                        for (cell, category) in row.cells.iter().zip(&categories) {
                            heat_cell(ui, cell, &row.name, category, palette);
                        }
                        ui.end_row();
                    }
                });
        });
}

fn heat_cell(ui: &mut Ui, cell: &HeatCell, name: &str, category: &str, palette: &Palette) {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(112.0, 26.0), Sense::hover());
    let (fill, text_colour, text, spoken) = if cell.answered == 0 {
        (
            palette.track.gamma_multiply(0.5),
            palette.muted,
            "–".to_owned(),
            format!("{name}, {category}: no answers"),
        )
    } else {
        #[allow(
            clippy::cast_possible_truncation,
            reason = "a share from 0 to 1 for a colour"
        )]
        let share = cell.accuracy.map(|a| a as f32);
        (
            palette.retention(share),
            palette.on_fill,
            format!(
                "{} ({}/{})",
                percent(cell.accuracy),
                cell.right,
                cell.answered
            ),
            format!(
                "{name}, {category}: {} right ({} of {})",
                percent(cell.accuracy),
                cell.right,
                cell.answered
            ),
        )
    };
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 4.0, fill);
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        text,
        egui::FontId::proportional(size::SMALL),
        text_colour,
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &spoken));
}

/// The cards answered, the most missed first, with their discrimination.
fn cards(ui: &mut Ui, cards: &[CardRow], palette: &Palette) {
    let mut answered: Vec<&CardRow> = cards.iter().filter(|c| c.answered > 0).collect();
    answered.sort_by(|a, b| {
        a.percent_right
            .unwrap_or(1.0)
            .total_cmp(&b.percent_right.unwrap_or(1.0))
            .then(b.answered.cmp(&a.answered))
    });
    let unanswered = cards.len() - answered.len();
    hint(
        ui,
        palette,
        "Discrimination: how well a card tells strong students from weak ones, from -1 to 1. 0.3 and over is a good question; under 0.2 says little (marked); a dash: too few students yet.",
    );
    if answered.is_empty() {
        ui.label(format!(
            "No card answered yet ({} in the class's decks).",
            count(cards.len(), "card", "cards")
        ));
        return;
    }
    egui::Grid::new("class-report-cards")
        .num_columns(5)
        .striped(true)
        .spacing([14.0, 6.0])
        .show(ui, |ui| {
            for h in [
                "Question",
                "Answered",
                "Students",
                "Right",
                "Discrimination",
            ] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for c in answered {
                ui.add(egui::Label::new(&c.prompt).wrap())
                    .on_hover_text(format!(
                        "{} · {}",
                        c.card,
                        Category::parse(&c.category).label()
                    ));
                ui.label(c.answered.to_string());
                ui.label(c.students.to_string());
                ui.label(percent(c.percent_right));
                match c.discrimination {
                    Some(d) if d < 0.2 => {
                        ui.label(
                            RichText::new(format!("{d:.2} (tells little)")).color(palette.warn),
                        );
                    }
                    Some(d) => {
                        ui.label(format!("{d:.2}"));
                    }
                    None => {
                        ui.label("–");
                    }
                }
                ui.end_row();
            }
        });
    if unanswered > 0 {
        hint(
            ui,
            palette,
            &format!("{} not answered yet.", count(unanswered, "card", "cards")),
        );
    }
}
