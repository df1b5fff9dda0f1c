//! The screens. One file per screen; widgets emit actions and commands, they never change the
//! domain themselves (the app does, in `app.rs`).

pub mod browser;
pub mod commands;
pub mod drill;
pub mod home;
pub mod matching;
pub mod ordering;
pub mod practice;
pub mod settings;
pub mod shortcuts;
pub mod stats;
pub mod study;
pub mod summary;
pub mod theme;
pub mod timeline;
pub mod widgets;
