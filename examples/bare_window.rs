//! A bare eframe window built with the same eframe features as flashdrill: the baseline for
//! start-up time and memory measurements (`scripts/measure-startup.sh`).

use std::time::Instant;

struct Bare {
    started: Instant,
    frames: u32,
}

impl eframe::App for Bare {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        ui.label("bare eframe window");
        self.frames += 1;
        if self.frames == 1 {
            ui.ctx().request_repaint();
        } else if self.frames == 2 {
            // The first frame has been painted and presented once the second one starts.
            println!(
                "first-frame-ms {}",
                self.started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

fn main() -> eframe::Result {
    let started = Instant::now();
    let options = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport: egui::ViewportBuilder::default()
            .with_title("bare")
            .with_inner_size([1100.0, 760.0]),
        ..Default::default()
    };
    eframe::run_native(
        "bare",
        options,
        Box::new(move |_cc| Ok(Box::new(Bare { started, frames: 0 }))),
    )
}
