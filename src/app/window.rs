//! The native window: opening it, and measuring the time to the first frame.

use anyhow::Context as _;

use super::{AppOptions, FlashdrillApp};

/// Opens the window. Called by `main` when no subcommand is given.
/// Opens the window; `files` open once the profile is loaded, and later starts hand theirs over
/// through `handed`.
pub fn run(
    options: AppOptions,
    files: Vec<std::path::PathBuf>,
    handed: Option<crate::instance::Handed>,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let icon = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png"))
        .context("the app icon is not a PNG")?;
    let native = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport: egui::ViewportBuilder::default()
            .with_title("flashdrill")
            .with_app_id("flashdrill")
            .with_inner_size([1100.0, 760.0])
            .with_min_inner_size([640.0, 480.0])
            .with_drag_and_drop(true)
            .with_icon(icon),
        // The system's fonts are installed with the provider noting what none has.
        system_font_fallback: false,
        ..Default::default()
    };
    let measure = std::env::var_os("FLASHDRILL_MEASURE_STARTUP").is_some();
    eframe::run_native(
        "flashdrill",
        native,
        Box::new(move |cc| {
            let mut app = FlashdrillApp::new(options);
            app.watch_fonts(crate::ui::fonts::install(&cc.egui_ctx));
            // The theme, text sizes and zoom before the first frame: otherwise the first frame
            // lays its text out in egui's default sizes and the second again in ours.
            app.apply_look(&cc.egui_ctx);
            app.open_files(files);
            app.watch_decks_every(super::watch::EVERY);
            if let Some(handed) = handed {
                app.listen(handed);
            }
            if measure {
                Ok(Box::new(StartupProbe {
                    app,
                    started,
                    frames: 0,
                }))
            } else {
                Ok(Box::new(app))
            }
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}

/// Prints the time to the first painted frame (`FLASHDRILL_MEASURE_STARTUP=1`), for comparing
/// start-up with a bare eframe window (`examples/bare_window.rs`).
struct StartupProbe {
    app: FlashdrillApp,
    started: std::time::Instant,
    frames: u32,
}

impl eframe::App for StartupProbe {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.app.frame(ui);
        self.frames += 1;
        if self.frames == 1 {
            ui.ctx().request_repaint();
        } else if self.frames == 2 {
            println!(
                "first-frame-ms {}",
                self.started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}
