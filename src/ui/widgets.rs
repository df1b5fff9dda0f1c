//! Small building blocks shared by the screens.

use egui::{Frame, RichText, Ui};

use super::theme::{Palette, size};
use flashdrill_core::quiz::{DiffSpan, MarkKind, Marking};

/// Lays `add` out in a column at most `max_width` wide, centred in the available space.
pub fn centered_column<R>(ui: &mut Ui, max_width: f32, add: impl FnOnce(&mut Ui) -> R) -> R {
    let width = ui.available_width().min(max_width);
    let margin = ((ui.available_width() - width) / 2.0).max(0.0);
    ui.horizontal_top(|ui| {
        ui.add_space(margin);
        ui.vertical(|ui| {
            ui.set_width(width);
            add(ui)
        })
        .inner
    })
    .inner
}

/// Below this width (points; a narrow window, or projector zoom) rows that put things side by
/// side stack them instead: a form's labels above their controls, a deck's buttons under its
/// title.
pub const NARROW: f32 = 520.0;

/// Whether `ui` is narrower than [`NARROW`].
#[must_use]
pub fn is_narrow(ui: &Ui) -> bool {
    ui.available_width() < NARROW
}

/// A dialog's width: `wanted` points, or the window's width less the dialog's margins when the
/// window is narrower (projector zoom).
#[must_use]
pub fn dialog_width(ctx: &egui::Context, wanted: f32) -> f32 {
    (ctx.content_rect().width() - 60.0).clamp(200.0, wanted)
}

/// The raised frame a card sits in.
pub fn card_frame(ui: &Ui, palette: &Palette) -> Frame {
    Frame::group(ui.style())
        .fill(palette.card_fill)
        .inner_margin(egui::Margin::same(20))
        .corner_radius(10.0)
}

/// A prominent button for the screen's main action.
pub fn primary_button(ui: &mut Ui, text: &str, palette: &Palette) -> egui::Response {
    let button = egui::Button::new(RichText::new(text).size(size::BODY + 2.0).strong())
        .stroke(egui::Stroke::new(1.5, palette.accent))
        .min_size(egui::vec2(180.0, 42.0));
    ui.add(button)
}

/// "From the article: …" with the card's source sentence.
pub fn article_quote(ui: &mut Ui, source: &str, palette: &Palette) {
    source_quote(ui, "From the article:", source, palette);
}

/// A card's source, quoted under `label` ("From the article:", "Source:").
pub fn source_quote(ui: &mut Ui, label: &str, source: &str, palette: &Palette) {
    Frame::new()
        .inner_margin(egui::Margin {
            left: 12,
            right: 8,
            top: 6,
            bottom: 6,
        })
        .stroke(egui::Stroke::new(1.0, palette.track))
        .corner_radius(6.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(label).color(palette.muted).small());
            ui.label(RichText::new(format!("“{source}”")).italics());
        });
}

/// The verdict on an automatically marked answer, with a character diff when it was wrong.
pub fn marking(ui: &mut Ui, marking: &Marking, palette: &Palette) {
    let (verdict, colour) = if marking.correct {
        ("Right", palette.right)
    } else if marking.kind == MarkKind::Empty {
        ("No answer", palette.wrong)
    } else if marking.near_miss() {
        ("Not quite", palette.wrong)
    } else {
        ("Wrong", palette.wrong)
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(verdict)
                .strong()
                .size(size::BODY + 2.0)
                .color(colour),
        );
        if let Some(note) = marking_note(marking) {
            ui.label(RichText::new(note).color(palette.muted));
        }
    });
    if !marking.correct && !marking.diff.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            ui.label(
                RichText::new("Your answer vs. the right one: ")
                    .color(palette.muted)
                    .small(),
            );
            for span in &marking.diff {
                let text = match span {
                    DiffSpan::Same(s) => RichText::new(s.as_str()).monospace(),
                    DiffSpan::Missing(s) => RichText::new(s.as_str())
                        .monospace()
                        .underline()
                        .color(palette.right),
                    DiffSpan::Extra(s) => RichText::new(s.as_str())
                        .monospace()
                        .strikethrough()
                        .color(palette.wrong),
                };
                ui.label(text);
            }
        });
    }
}

/// A horizontal bar split into coloured parts, e.g. new / learning / young / mature.
pub fn stacked_bar(
    ui: &mut Ui,
    parts: &[(f32, egui::Color32)],
    width: f32,
    height: f32,
    track: egui::Color32,
) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 3.0, track);
    let total: f32 = parts.iter().map(|p| p.0).sum();
    if total > 0.0 {
        let mut x = rect.left();
        for (value, colour) in parts {
            let w = rect.width() * value / total;
            if w > 0.0 {
                painter.rect_filled(
                    egui::Rect::from_min_size(egui::pos2(x, rect.top()), egui::vec2(w, height)),
                    0.0,
                    *colour,
                );
            }
            x += w;
        }
    }
    response
}

/// What was forgiven or why it counted, in a few words.
#[must_use]
pub fn marking_note(marking: &Marking) -> Option<String> {
    match &marking.kind {
        MarkKind::Exact | MarkKind::Wrong => None,
        MarkKind::Lenient(forgiven) => {
            let list: Vec<&str> = forgiven.iter().map(|f| f.label()).collect();
            Some(format!("(forgiven: {})", list.join(", ")))
        }
        MarkKind::Typo => Some("(one typo forgiven)".to_owned()),
        MarkKind::ByValue => Some("(same value)".to_owned()),
        MarkKind::Empty => Some("(nothing was typed)".to_owned()),
    }
}

/// A small colour square for legends.
pub fn swatch(ui: &mut Ui, colour: egui::Color32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
    ui.painter().rect_filled(rect, 2.0, colour);
}

/// While files are dragged over the window: dims it and says what dropping them will do.
pub fn drop_hint(ctx: &egui::Context) {
    let hovering = ctx.input(|i| i.raw.hovered_files.len());
    if hovering == 0 {
        return;
    }
    let palette = Palette::of(&ctx.global_style().visuals);
    ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop-shade"),
    ))
    .rect_filled(ctx.content_rect(), 0.0, palette.shade);
    egui::Area::new(egui::Id::unique("drop-hint"))
        .order(egui::Order::Tooltip)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            card_frame(ui, &palette).show(ui, |ui| {
                ui.label(
                    egui::RichText::new(if hovering == 1 {
                        "Drop the file to import it"
                    } else {
                        "Drop the files to import them"
                    })
                    .size(super::theme::size::HEADING),
                );
                ui.label(
                    egui::RichText::new("Decks are checked first; Anki packages and text files become decks with their history.")
                        .color(palette.muted),
                );
            });
        });
}

/// The tallest a drop-down list grows before it scrolls: every short list (teams, time
/// limits, states) shows all its options at once.
pub const COMBO_HEIGHT: f32 = 520.0;
