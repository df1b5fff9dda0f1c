//! The screens and what they share. Each screen is one struct that owns its state, its data and
//! its notice and draws itself ([`view::View`]); it reads what the shell lends it
//! ([`view::AppContext`]), changes the collection through operations, and asks the shell for
//! navigation with [`view::AppCommand`]s. `view` sits below both the shell and the screens.

pub mod browser;
pub mod classes;
pub mod commands;
pub mod drill;
pub mod editor;
pub mod file_ask;
pub mod fonts;
pub mod home;
pub mod import;
pub mod import_text;
pub mod matching;
pub mod messages;
pub mod notice;
pub mod ordering;
pub mod practice;
pub mod recovery;
pub mod screen;
pub mod selftest;
pub mod settings;
pub mod shortcuts;
pub mod stats;
pub mod study;
pub mod summary;
pub mod theme;
pub mod timeline;
pub mod view;
pub mod warmup;
pub mod widgets;
