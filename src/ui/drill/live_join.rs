//! The live game's join screen: the address and its QR code, the game PIN, the names of the
//! students as they join (each with a button to remove it), and Start.

use egui::{Color32, RichText, Sense, Stroke, Ui, WidgetInfo};

use super::live::{LIVE_KEY_LEGEND, LiveView, students};
use super::setup::{DrillAction, DrillState};
use crate::ui::theme::{Palette, size};
use crate::ui::widgets;

/// The PIN's type size: readable from the back of a classroom.
const PIN_SIZE: f32 = 96.0;
/// Light modules around the QR code (the quiet zone scanners need).
const QUIET: usize = 4;
/// The QR code's side, in points, at most (and at least, when there is room).
const QR_MAX: f32 = 460.0;
const QR_MIN: f32 = 220.0;

impl DrillState {
    pub(super) fn live_join(
        &mut self,
        ui: &mut Ui,
        view: &LiveView<'_>,
        palette: &Palette,
    ) -> Option<DrillAction> {
        let mut action = None;
        let players = &view.snap.game.players;
        egui::Panel::bottom("live-join-start")
            .show_separator_line(true)
            .show(ui, |ui| {
                ui.add_space(8.0);
                ui.horizontal_wrapped(|ui| {
                    let start = ui
                        .add_enabled_ui(!players.is_empty(), |ui| {
                            widgets::primary_button(ui, "Start (Space)", palette)
                        })
                        .inner
                        .on_disabled_hover_text("Wait for the first student to join");
                    if start.clicked() {
                        action = Some(DrillAction::Next);
                    }
                    ui.label(
                        RichText::new(format!(
                            "{} questions · {} s each",
                            view.snap.game.question_count, view.snap.game.time_limit
                        ))
                        .color(palette.muted),
                    );
                });
                ui.label(RichText::new(LIVE_KEY_LEGEND).color(palette.muted).small());
                ui.add_space(4.0);
            });
        self.live_banners(ui, view, palette, &mut action);
        let qr_side = (ui.available_height() - 20.0)
            .min(ui.available_width() * 0.42)
            .clamp(QR_MIN, QR_MAX);
        ui.add_space(10.0);
        ui.horizontal_top(|ui| {
            ui.add_space(8.0);
            ui.vertical(|ui| {
                ui.set_width(qr_side);
                match view.qr {
                    Some(modules) => qr_code(ui, modules, qr_side, view.join_url),
                    None => {
                        ui.label(
                            RichText::new("The address is too long for a QR code: type it in.")
                                .color(palette.warn),
                        );
                    }
                }
            });
            ui.add_space(28.0);
            let rest = ui.available_width();
            ui.vertical(|ui| {
                ui.set_max_width(rest);
                ui.label(
                    RichText::new("Join on your phone")
                        .size(size::DRILL_INFO)
                        .color(palette.muted),
                );
                ui.label(
                    RichText::new(view.join_url.trim_end_matches('/'))
                        .size(size::DRILL_ANSWER)
                        .strong()
                        .color(palette.accent),
                );
                ui.add_space(12.0);
                ui.label(
                    RichText::new("Game PIN")
                        .size(size::DRILL_INFO)
                        .color(palette.muted),
                );
                ui.label(
                    RichText::new(view.pin)
                        .size(PIN_SIZE)
                        .strong()
                        .extra_letter_spacing(10.0)
                        .color(palette.text),
                );
                ui.add_space(12.0);
                ui.label(
                    RichText::new(match players.len() {
                        0 => "Waiting for students to join…".to_owned(),
                        n => format!("{} joined", students(n)),
                    })
                    .size(size::DRILL_INFO)
                    .strong(),
                );
                ui.add_space(6.0);
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        ui.horizontal_wrapped(|ui| {
                            ui.spacing_mut().item_spacing = egui::vec2(10.0, 10.0);
                            for p in players {
                                if name_chip(ui, &p.name, p.connected, palette) {
                                    action = Some(DrillAction::RemovePlayer(p.id));
                                }
                            }
                        });
                    });
            });
        });
        action
    }
}

/// The QR code, painted module by module on white (dark on light, as scanners expect, in
/// both themes), `side` points wide including the quiet zone. Screen readers hear the address.
pub fn qr_code(ui: &mut Ui, modules: &[Vec<bool>], side: f32, url: &str) {
    let n = modules.len();
    let cells = (n + 2 * QUIET) as f32;
    // Whole pixels per module keep the edges sharp.
    let ppp = ui.ctx().pixels_per_point();
    let module = ((side * ppp / cells).floor().max(1.0)) / ppp;
    let drawn = module * cells;
    let (rect, response) = ui.allocate_exact_size(egui::vec2(drawn, drawn), Sense::hover());
    let label = format!("QR code of the join address {url}");
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Image, true, &label));
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::WHITE);
    let origin = rect.min + egui::vec2(module, module) * QUIET as f32;
    for (y, row) in modules.iter().enumerate() {
        let mut x = 0;
        // One rectangle per run of dark modules.
        while x < row.len() {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < row.len() && row[x] {
                x += 1;
            }
            let min = origin + egui::vec2(start as f32, y as f32) * module;
            let run = egui::vec2((x - start) as f32, 1.0) * module;
            painter.rect_filled(egui::Rect::from_min_size(min, run), 0.0, Color32::BLACK);
        }
    }
}

/// A student's name (as text) with a button to remove them; true when it was clicked. The chip
/// is measured first, so that a row of them wraps like any widget, and painted directly (200
/// chips as child widgets cost several milliseconds a frame); screen readers hear the name and
/// "Remove <name>".
fn name_chip(ui: &mut Ui, name: &str, connected: bool, palette: &Palette) -> bool {
    let font = egui::FontId::proportional(size::HEADING);
    let colour = if connected {
        palette.text
    } else {
        palette.muted
    };
    let name_galley = ui
        .painter()
        .layout_no_wrap(name.to_owned(), font.clone(), colour);
    let cross_galley = ui
        .painter()
        .layout_no_wrap("×".to_owned(), font, palette.muted);
    let pad = egui::vec2(10.0, 4.0);
    let gap = 8.0;
    let name_size = name_galley.size();
    let cross_size = cross_galley.size();
    let height = name_size.y.max(cross_size.y) + 2.0 * pad.y;
    let width = pad.x + name_size.x + gap + cross_size.x + pad.x;
    let (rect, chip) = ui.allocate_exact_size(egui::vec2(width, height), Sense::hover());
    chip.widget_info(|| WidgetInfo::labeled(egui::Role::Label, true, name));
    let name_pos = rect.min + egui::vec2(pad.x, (height - name_size.y) / 2.0);
    let cross_rect = egui::Rect::from_min_size(
        egui::pos2(
            name_pos.x + name_size.x + gap,
            rect.top() + (height - cross_size.y) / 2.0,
        ),
        cross_size,
    )
    .expand(4.0);
    let button = ui
        .interact(cross_rect, chip.id.with("remove"), Sense::click())
        .on_hover_text(format!("Remove {name} from the game"));
    let label = format!("Remove {name}");
    button.widget_info(|| WidgetInfo::labeled(egui::Role::Button, true, &label));
    let painter = ui.painter();
    painter.rect(
        rect,
        8.0,
        palette.card_fill,
        Stroke::new(1.0, palette.track),
        egui::StrokeKind::Inside,
    );
    if button.hovered() {
        painter.rect_filled(cross_rect, 4.0, palette.track);
    }
    painter.galley(name_pos, name_galley, colour);
    painter.galley(cross_rect.shrink(4.0).min, cross_galley, palette.muted);
    button.clicked()
}
