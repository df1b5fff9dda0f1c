//! The UI tests: the whole app in an egui_kittest harness, driven as a user would (by label and
//! role, clicks and keys), in one test binary so egui and wgpu are linked once.

mod accessibility;
mod big_deck;
mod common;

mod browser;
mod classes;
mod deck_manage;
mod drill;
mod drill_snapshots;
mod editor;
mod editor_snapshots;
mod file_dialogs;
mod fonts;
mod import;
mod keyboard;
mod live;
mod narrow;
mod open_files;
mod plan;
mod practice;
mod recovery;
mod screens;
mod selftest;
mod settings;
mod settings_snapshots;
mod snapshots;
mod stats;
mod study;
mod sync;
mod timeline;
mod warmup;
