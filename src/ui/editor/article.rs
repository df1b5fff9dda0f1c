//! The article pane: the text by paragraph with the candidate facts highlighted. Click a
//! sentence for a new card drawn from it; click a highlighted fact for a card with it as the
//! answer.

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, RichText, Sense, Ui};

use crate::ui::theme::Palette;
use flashdrill_core::draft::{Article, Kind};

/// What was clicked in the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArticleAction {
    /// A new card from sentence `i`.
    Sentence(usize),
    /// A new card from sentence `sentence` whose answer is candidate `candidate`.
    Candidate { sentence: usize, candidate: usize },
}

/// The highlight of each kind of candidate: a tint of the theme's colours, readable under text.
pub fn highlight(kind: Kind, palette: &Palette, dark: bool) -> Color32 {
    let base = match kind {
        Kind::Date => palette.state[1],
        Kind::Number => palette.state[3],
        Kind::Name => palette.accent,
    };
    base.gamma_multiply(if dark { 0.35 } else { 0.25 })
}

/// Draws the article; returns what was clicked.
pub fn article_pane(ui: &mut Ui, article: &Article, palette: &Palette) -> Option<ArticleAction> {
    let mut action = None;
    let dark = ui.visuals().dark_mode;
    ui.label(RichText::new("Article").strong());
    ui.horizontal_wrapped(|ui| {
        for (kind, name) in [(Kind::Date, "dates"), (Kind::Number, "numbers"), (Kind::Name, "names")] {
            ui.label(
                RichText::new(format!(" {name} "))
                    .background_color(highlight(kind, palette, dark))
                    .small(),
            );
        }
        ui.label(
            RichText::new("Click a sentence for a new card, or a highlighted fact for a card with it as the answer.")
                .color(palette.muted)
                .small(),
        );
    });
    ui.separator();
    let font = FontId::proportional(14.0);
    egui::ScrollArea::vertical()
        .id_salt("editor-article")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (_, sentences) in &article.paragraphs {
                ui.vertical(|ui| {
                    ui.spacing_mut().item_spacing.y = 2.0;
                    for s in sentences.clone() {
                        if let Some(a) = sentence(ui, article, s, &font, palette, dark) {
                            action = Some(a);
                        }
                    }
                });
                ui.add_space(8.0);
            }
        });
    action
}

fn sentence(
    ui: &mut Ui,
    article: &Article,
    s: usize,
    font: &FontId,
    palette: &Palette,
    dark: bool,
) -> Option<ArticleAction> {
    let range = article.sentences[s].clone();
    let candidates = article.sentence_candidates[s].clone();
    let text_colour = ui.visuals().text_color();
    let mut job = LayoutJob::default();
    job.wrap.max_width = ui.available_width();
    let plain = TextFormat::simple(font.clone(), text_colour);
    let mut at = range.start;
    // Byte offsets in the job's text of each candidate, to find the one clicked.
    let mut spans = Vec::new();
    for ci in candidates {
        let c = &article.candidates[ci];
        if c.range.start < at {
            continue;
        }
        job.append(&article.text[at..c.range.start], 0.0, plain.clone());
        let start = job.text.len();
        let mut format = plain.clone();
        format.background = highlight(c.kind, palette, dark);
        job.append(&article.text[c.range.clone()], 0.0, format);
        spans.push((start..job.text.len(), ci));
        at = c.range.end;
    }
    job.append(&article.text[at..range.end], 0.0, plain);
    let galley = ui.fonts_mut(|f| f.layout_job(job));
    let (rect, response) = ui.allocate_exact_size(galley.size(), Sense::click());
    let response = response.on_hover_cursor(egui::CursorIcon::PointingHand);
    let label = article.sentence(s);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    if response.hovered() {
        ui.painter().rect_filled(
            rect.expand(1.0),
            2.0,
            ui.visuals().widgets.hovered.weak_bg_fill,
        );
    }
    ui.painter().galley(rect.min, galley.clone(), text_colour);
    if !response.clicked() {
        return None;
    }
    let clicked_candidate = response.interact_pointer_pos().and_then(|pos| {
        let cursor = galley.cursor_from_pos(pos - rect.min);
        let byte = galley
            .text()
            .char_indices()
            .nth(cursor.index.0)
            .map_or(galley.text().len(), |(b, _)| b);
        spans
            .iter()
            .find(|(r, _)| r.contains(&byte))
            .map(|(_, ci)| *ci)
    });
    Some(match clicked_candidate {
        Some(candidate) => ArticleAction::Candidate {
            sentence: s,
            candidate,
        },
        None => ArticleAction::Sentence(s),
    })
}
