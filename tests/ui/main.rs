//! The UI tests: the whole app in an egui_kittest harness, driven as a user would (by label and
//! role, clicks and keys), in one test binary so egui and wgpu are linked once.

mod accessibility;
mod big_deck;
mod common;

mod browser;
mod drill;
mod drill_snapshots;
mod editor;
mod editor_snapshots;
mod fonts;
mod import;
mod keyboard;
mod live;
mod narrow;
mod open_files;
mod practice;
mod recovery;
mod settings;
mod settings_snapshots;
mod snapshots;
mod stats;
mod study;
mod timeline;
