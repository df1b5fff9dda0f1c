//! Starting a class's spaced warm-up from the window: the class opened on its own connection
//! to the profile's database (`classroom.rs`; answers commit there, off the window's thread),
//! served to the classroom's network, shown on the warm-up screen.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

use flashdrill_core::store::Mode;
use flashdrill_live::warmup::CoreClass;
use flashdrill_live::{LiveConfig, LiveError, LiveWarmup};

use super::FlashdrillApp;
use crate::ui::notice::Notice;
use crate::ui::screen::Screen;

/// The port warm-ups listen on when it is free: phones keep their student's token per
/// address, so the same port lesson after lesson lets them rejoin without typing.
pub const WARMUP_PORT: u16 = 8723;

impl FlashdrillApp {
    /// Serves a warm-up of `minutes` for the class `class` and shows it on the projector.
    pub(super) fn start_warmup(&mut self, class: &str, minutes: u64) {
        match self.serve_warmup(class, minutes) {
            Ok(warmup) => {
                self.screens.warmup.start(warmup, class.to_owned());
                self.leave_to(Screen::Warmup);
            }
            Err(why) => {
                self.screens.warmup.set_notice(Notice::error(format!(
                    "The warm-up for \"{class}\" could not start: {why}"
                )));
                self.leave_to(Screen::Warmup);
            }
        }
    }

    fn serve_warmup(&self, class: &str, minutes: u64) -> Result<LiveWarmup, String> {
        let s = &self.shared;
        let room = self.open_classroom(class)?;
        let seed = s
            .fixed_seed
            .unwrap_or_else(|| u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0));
        let study: Arc<CoreClass> =
            Arc::new(CoreClass::new(room, s.col.library(), Mode::Srs, seed));
        let bind = self.live_bind.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let length = Duration::from_secs(minutes * 60);
        let config = |port| LiveConfig {
            port,
            bind,
            ..LiveConfig::default()
        };
        match LiveWarmup::start(&config(WARMUP_PORT), Arc::clone(&study) as _, length) {
            Ok(w) => Ok(w),
            // The usual port is taken (another app, another warm-up): any free one.
            Err(LiveError::PortTaken(_) | LiveError::Bind { .. }) => {
                LiveWarmup::start(&config(0), study, length).map_err(|e| e.to_string())
            }
            Err(e) => Err(e.to_string()),
        }
    }
}
