//! The app's colours and type sizes. Every colour a screen uses comes from here, picked for the
//! current light or dark visuals, so both themes stay readable.

use egui::{Color32, Visuals};

use flashdrill_core::schedule::Rating;

/// Semantic colours for the current theme.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub right: Color32,
    pub wrong: Color32,
    pub warn: Color32,
    pub accent: Color32,
    pub muted: Color32,
    pub text: Color32,
    pub card_fill: Color32,
    pub track: Color32,
    /// New / learning / young / mature, for bars and charts.
    pub state: [Color32; 4],
    /// The six team colours of drill mode (see [`TEAM_COLOUR_NAMES`]), each readable with
    /// [`Palette::on_fill`] text on top and distinct on a projector.
    pub team: [Color32; 6],
    /// Text drawn on a filled colour: a team's, or the rating picked.
    pub on_fill: Color32,
    /// Dims the window behind an overlay (files dragged over it).
    pub shade: Color32,
}

/// The WCAG contrast ratio of two colours (1 to 21; 4.5 reads well as text).
#[must_use]
pub fn contrast(a: Color32, b: Color32) -> f64 {
    let luminance = |c: Color32| {
        let channel = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    };
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The names of the team colours, in the order of [`Palette::team`].
pub const TEAM_COLOUR_NAMES: [&str; 6] = ["Red", "Blue", "Green", "Orange", "Purple", "Teal"];

/// The high-contrast theme's background: pure black (also how [`Palette::of`] knows it).
const HIGH_CONTRAST_PANEL: Color32 = Color32::BLACK;
/// Its accent and focus colour.
const HIGH_CONTRAST_YELLOW: Color32 = Color32::from_rgb(0xff, 0xe1, 0x3b);

/// Whether `visuals` are the high-contrast theme's.
#[must_use]
pub fn is_high_contrast(visuals: &Visuals) -> bool {
    visuals.dark_mode && visuals.panel_fill == HIGH_CONTRAST_PANEL
}

/// The high-contrast theme: white text and yellow accents on black, every control outlined
/// in white, the hovered one in yellow, the focused or pressed one with a thick yellow outline;
/// what is selected is black on yellow.
#[must_use]
pub fn high_contrast_visuals() -> Visuals {
    use egui::Stroke;
    let mut v = Visuals::dark();
    let white = Color32::WHITE;
    v.panel_fill = HIGH_CONTRAST_PANEL;
    v.window_fill = HIGH_CONTRAST_PANEL;
    v.extreme_bg_color = HIGH_CONTRAST_PANEL;
    v.faint_bg_color = Color32::from_gray(0x1a);
    v.code_bg_color = Color32::from_gray(0x1a);
    v.window_stroke = Stroke::new(2.0, white);
    v.hyperlink_color = HIGH_CONTRAST_YELLOW;
    v.warn_fg_color = HIGH_CONTRAST_YELLOW;
    v.error_fg_color = Color32::from_rgb(0xff, 0x9a, 0x9a);
    v.selection.bg_fill = HIGH_CONTRAST_YELLOW;
    v.selection.stroke = Stroke::new(2.0, Color32::BLACK);
    v.widgets.noninteractive.bg_fill = HIGH_CONTRAST_PANEL;
    v.widgets.noninteractive.weak_bg_fill = HIGH_CONTRAST_PANEL;
    v.widgets.noninteractive.bg_stroke = Stroke::new(1.0, Color32::from_gray(0xc0));
    v.widgets.noninteractive.fg_stroke = Stroke::new(1.0, white);
    for w in [&mut v.widgets.inactive, &mut v.widgets.open] {
        w.bg_fill = HIGH_CONTRAST_PANEL;
        w.weak_bg_fill = HIGH_CONTRAST_PANEL;
        w.bg_stroke = Stroke::new(1.5, white);
        w.fg_stroke = Stroke::new(1.5, white);
    }
    v.widgets.hovered.bg_fill = Color32::from_gray(0x30);
    v.widgets.hovered.weak_bg_fill = Color32::from_gray(0x30);
    v.widgets.hovered.bg_stroke = Stroke::new(2.5, HIGH_CONTRAST_YELLOW);
    v.widgets.hovered.fg_stroke = Stroke::new(2.0, white);
    // Also the colour of strong text: white.
    v.widgets.active.bg_fill = Color32::from_gray(0x38);
    v.widgets.active.weak_bg_fill = Color32::from_gray(0x38);
    v.widgets.active.bg_stroke = Stroke::new(3.0, HIGH_CONTRAST_YELLOW);
    v.widgets.active.fg_stroke = Stroke::new(2.0, white);
    v.text_cursor.stroke = Stroke::new(3.0, HIGH_CONTRAST_YELLOW);
    v
}

impl Palette {
    #[must_use]
    pub fn of(visuals: &Visuals) -> Self {
        if is_high_contrast(visuals) {
            Self {
                right: Color32::from_rgb(0x7d, 0xff, 0x9c),
                wrong: Color32::from_rgb(0xff, 0x9a, 0x9a),
                warn: HIGH_CONTRAST_YELLOW,
                accent: HIGH_CONTRAST_YELLOW,
                muted: Color32::from_gray(0xd8),
                text: Color32::WHITE,
                card_fill: HIGH_CONTRAST_PANEL,
                track: Color32::from_gray(0x70),
                state: [
                    Color32::from_rgb(0x8c, 0xc8, 0xff),
                    Color32::from_rgb(0xff, 0xb8, 0x6c),
                    Color32::from_rgb(0xb6, 0xf5, 0xb9),
                    Color32::from_rgb(0x7d, 0xff, 0x9c),
                ],
                team: [
                    Color32::from_rgb(0xff, 0x8a, 0x8a),
                    Color32::from_rgb(0x8c, 0xc8, 0xff),
                    Color32::from_rgb(0x7d, 0xff, 0x9c),
                    Color32::from_rgb(0xff, 0xb8, 0x6c),
                    Color32::from_rgb(0xd9, 0xb3, 0xff),
                    Color32::from_rgb(0x6c, 0xf0, 0xe6),
                ],
                on_fill: Color32::BLACK,
                shade: Color32::from_black_alpha(200),
            }
        } else if visuals.dark_mode {
            Self {
                right: Color32::from_rgb(0x6b, 0xd4, 0x8a),
                wrong: Color32::from_rgb(0xff, 0x7b, 0x72),
                warn: Color32::from_rgb(0xf2, 0xc1, 0x4e),
                accent: Color32::from_rgb(0x7c, 0xb7, 0xff),
                muted: Color32::from_gray(0xa8),
                text: Color32::from_gray(0xee),
                card_fill: Color32::from_gray(0x24),
                track: Color32::from_gray(0x3a),
                state: [
                    Color32::from_rgb(0x7c, 0xb7, 0xff),
                    Color32::from_rgb(0xf2, 0xa3, 0x4e),
                    Color32::from_rgb(0x9a, 0xe0, 0x9f),
                    Color32::from_rgb(0x3f, 0xa8, 0x5c),
                ],
                team: [
                    Color32::from_rgb(0xf0, 0x6a, 0x6a),
                    Color32::from_rgb(0x6c, 0xa8, 0xff),
                    Color32::from_rgb(0x5c, 0xd0, 0x7a),
                    Color32::from_rgb(0xf5, 0xa6, 0x3c),
                    Color32::from_rgb(0xc0, 0x8c, 0xf5),
                    Color32::from_rgb(0x3e, 0xd0, 0xc8),
                ],
                on_fill: Color32::from_gray(0x10),
                shade: Color32::from_black_alpha(150),
            }
        } else {
            Self {
                right: Color32::from_rgb(0x1a, 0x7f, 0x37),
                wrong: Color32::from_rgb(0xcf, 0x22, 0x2e),
                warn: Color32::from_rgb(0x9a, 0x67, 0x00),
                accent: Color32::from_rgb(0x09, 0x69, 0xda),
                muted: Color32::from_gray(0x59),
                text: Color32::from_gray(0x1f),
                card_fill: Color32::from_gray(0xf6),
                track: Color32::from_gray(0xd8),
                state: [
                    Color32::from_rgb(0x09, 0x69, 0xda),
                    Color32::from_rgb(0xbc, 0x4c, 0x00),
                    Color32::from_rgb(0x4a, 0xc2, 0x6b),
                    Color32::from_rgb(0x1a, 0x7f, 0x37),
                ],
                team: [
                    Color32::from_rgb(0xc0, 0x1f, 0x2a),
                    Color32::from_rgb(0x0b, 0x5c, 0xc4),
                    Color32::from_rgb(0x17, 0x7a, 0x34),
                    Color32::from_rgb(0xb3, 0x4d, 0x00),
                    Color32::from_rgb(0x76, 0x3c, 0xb8),
                    Color32::from_rgb(0x0b, 0x72, 0x6e),
                ],
                on_fill: Color32::WHITE,
                shade: Color32::from_black_alpha(90),
            }
        }
    }

    /// The colour of a rating button's accent.
    #[must_use]
    pub fn rating(&self, rating: Rating) -> Color32 {
        match rating {
            Rating::Again => self.wrong,
            Rating::Hard => self.warn,
            Rating::Good => self.right,
            Rating::Easy => self.accent,
        }
    }

    /// The colour for how likely a card is to be remembered: `wrong` at 50 % or less, `warn`
    /// at 70 %, `right` at 90 % or more, blended in between; `muted` (grey) for a card never
    /// studied (`None`).
    #[must_use]
    pub fn retention(&self, retrievability: Option<f32>) -> Color32 {
        let Some(r) = retrievability.filter(|r| r.is_finite()) else {
            return self.muted;
        };
        if r <= 0.7 {
            let t = ((r - 0.5) / 0.2).clamp(0.0, 1.0);
            self.wrong.lerp_to_gamma(self.warn, t)
        } else {
            let t = ((r - 0.7) / 0.2).clamp(0.0, 1.0);
            self.warn.lerp_to_gamma(self.right, t)
        }
    }
}

/// Type sizes in points (before zoom).
pub mod size {
    pub const PROMPT: f32 = 26.0;
    pub const ANSWER: f32 = 24.0;
    pub const HEADING: f32 = 22.0;
    pub const BODY: f32 = 16.0;
    pub const SMALL: f32 = 13.0;
    /// Drill mode on a projector: the question.
    pub const DRILL_PROMPT: f32 = 56.0;
    /// Drill mode: answers, options, events.
    pub const DRILL_ANSWER: f32 = 40.0;
    /// Drill mode: the question number, the countdown, team buttons.
    pub const DRILL_INFO: f32 = 30.0;
}

/// Applies flashdrill's spacing and text styles on top of egui's light or dark visuals.
pub fn install(ctx: &egui::Context) {
    // Card images (an imported Anki deck's pictures) load from the deck's media folder.
    egui_extras::install_image_loaders(ctx);
    ctx.all_styles_mut(|style| {
        use egui::{FontFamily, FontId, TextStyle};
        style.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(size::HEADING, FontFamily::Proportional),
            ),
            (
                TextStyle::Body,
                FontId::new(size::BODY, FontFamily::Proportional),
            ),
            (
                TextStyle::Button,
                FontId::new(size::BODY, FontFamily::Proportional),
            ),
            (
                TextStyle::Small,
                FontId::new(size::SMALL, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(size::BODY, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(10.0, 8.0);
        style.spacing.button_padding = egui::vec2(12.0, 6.0);
        style.spacing.interact_size.y = 30.0;
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picked_rating_reads_well_in_both_themes() {
        for visuals in [Visuals::light(), Visuals::dark()] {
            let p = Palette::of(&visuals);
            for rating in Rating::ALL {
                let ratio = contrast(p.rating(rating), p.on_fill);
                assert!(
                    ratio >= 4.5,
                    "{rating:?} (dark: {}): {ratio:.2}",
                    visuals.dark_mode
                );
            }
        }
    }

    /// Every colour text is drawn in reads at 7:1 or better on the high-contrast background
    /// (WCAG AAA), and a picked rating at 7:1 with its label.
    #[test]
    fn the_high_contrast_theme_reads_at_seven_to_one() {
        let visuals = high_contrast_visuals();
        assert!(is_high_contrast(&visuals));
        assert!(!is_high_contrast(&Visuals::dark()));
        let p = Palette::of(&visuals);
        for (name, colour) in [
            ("text", p.text),
            ("muted", p.muted),
            ("accent", p.accent),
            ("right", p.right),
            ("wrong", p.wrong),
            ("warn", p.warn),
        ] {
            let ratio = contrast(colour, visuals.panel_fill);
            assert!(ratio >= 7.0, "{name}: {ratio:.2}");
        }
        for rating in Rating::ALL {
            let ratio = contrast(p.rating(rating), p.on_fill);
            assert!(ratio >= 7.0, "{rating:?}: {ratio:.2}");
        }
    }

    /// The focused control (drawn with the "active" look) stands out from the others in every
    /// theme: a different fill or outline, its outline at 3:1 or better on the background.
    #[test]
    fn focus_is_visible_in_every_theme() {
        for (name, v) in [
            ("light", Visuals::light()),
            ("dark", Visuals::dark()),
            ("high contrast", high_contrast_visuals()),
        ] {
            let (focused, idle) = (&v.widgets.active, &v.widgets.inactive);
            assert!(
                focused.bg_fill != idle.bg_fill || focused.bg_stroke != idle.bg_stroke,
                "{name}: focus looks like any other control"
            );
            assert!(focused.bg_stroke.width >= 1.0, "{name}");
            let ratio = contrast(focused.bg_stroke.color, v.panel_fill)
                .max(contrast(focused.bg_fill, v.panel_fill));
            assert!(ratio >= 3.0, "{name}: {ratio:.2}");
        }
    }

    #[test]
    fn contrast_runs_from_one_to_twenty_one() {
        assert!((contrast(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 1e-9);
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 1e-9);
    }
}
