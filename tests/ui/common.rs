//! What the UI tests share: the app in a kittest harness, a user's clicks and key presses, and
//! the profile's database opened beside the app.

use std::path::Path;
use std::time::{Duration, Instant};

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flashdrill::app::{AppOptions, FlashdrillApp};
use flashdrill::jobs::Jobs;
use flashdrill_core::store::Store;
use flashdrill_core::store::profiles::{ProfileInfo, Profiles};

/// The whole app in a test harness.
pub type App = Harness<'static, FlashdrillApp>;

pub fn options(dir: &Path, background: bool) -> AppOptions {
    AppOptions {
        data_dir: dir.to_path_buf(),
        profile: None,
        jobs: if background {
            Jobs::background()
        } else {
            Jobs::immediate()
        },
    }
}

/// The app on the data directory `dir` in a window of `size`, loading decks at once (or, with
/// `background`, on a thread as the real app does).
pub fn app_with(dir: &Path, size: [f32; 2], background: bool) -> App {
    Harness::builder().with_size(size).build_ui_state(
        |ui, app: &mut FlashdrillApp| app.frame(ui),
        FlashdrillApp::new(options(dir, background)),
    )
}

/// The app on `dir` in a window of `size`, decks loaded at once.
pub fn app_sized(dir: &Path, size: [f32; 2]) -> App {
    app_with(dir, size, false)
}

/// The app rendered on the CPU (wgpu) for snapshots, in `theme`, with practice and drill
/// questions shuffled the same way every run; one frame already run.
pub fn rendered(dir: &Path, size: [f32; 2], theme: &str) -> App {
    let mut app = FlashdrillApp::new(options(dir, false));
    app.set_setting("theme", theme);
    app.fix_seed(7);
    let mut harness = Harness::builder()
        .with_size(size)
        .wgpu()
        .build_ui_state(|ui, app: &mut FlashdrillApp| app.frame(ui), app);
    harness.run();
    harness
}

/// Clicks the widget a screen reader calls `label`, then lets the app settle.
pub fn click(harness: &mut Harness<'_, FlashdrillApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run();
}

/// Presses `key`, then lets the app settle.
pub fn press(harness: &mut Harness<'_, FlashdrillApp>, key: Key) {
    harness.key_press(key);
    harness.run();
}

/// Leaves the study session on show (Escape), and the summary of what was done that leaving
/// early shows (Escape again).
pub fn leave_session(harness: &mut Harness<'_, FlashdrillApp>) {
    press(harness, Key::Escape);
    if harness.state().screen() == flashdrill::app::Screen::Summary {
        press(harness, Key::Escape);
    }
}

/// Opens the combo box labelled `combo` and picks `option` from its list.
pub fn choose(harness: &mut Harness<'_, FlashdrillApp>, combo: &str, option: &str) {
    click(harness, combo);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, option)
        .click();
    harness.run();
}

/// Steps the app (its jobs and the live server work on threads) until `done` holds: true as
/// soon as it does, false if it still does not after `timeout`.
pub fn step_until<'a>(
    harness: &mut Harness<'a, FlashdrillApp>,
    timeout: Duration,
    done: impl Fn(&Harness<'a, FlashdrillApp>) -> bool,
) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if done(harness) {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
}

/// The profiles of the data directory `dir` and its default profile (made when there is none).
pub fn default_profile(dir: &Path) -> (Profiles, ProfileInfo) {
    let mut profiles = Profiles::load(dir).unwrap();
    let info = profiles.choose(None).unwrap();
    (profiles, info)
}

/// The default profile's database, opened beside the app (before it starts, or to look at what
/// it wrote).
pub fn profile_store(dir: &Path) -> Store {
    let (profiles, info) = default_profile(dir);
    profiles
        .open(&info.slug, chrono::Local::now().date_naive())
        .unwrap()
}

/// The database of the profile the app has open.
pub fn store<'a>(harness: &'a Harness<'_, FlashdrillApp>) -> &'a Store {
    harness.state().store().expect("a profile is open")
}

/// The screens the top bar leads to.
pub const MAIN_SCREENS: [&str; 7] = [
    "Decks",
    "Practice",
    "Class drill",
    "Statistics",
    "Browse",
    "Article timeline",
    "Settings",
];
