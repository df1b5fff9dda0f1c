//! flashdrill: a desktop flashcard and quiz app with FSRS-6 spaced repetition.
//!
//! The domain modules (`deck`, `quiz`, `schedule`, `store`, `session`, `settings`) never import
//! egui; the UI never touches SQL.

pub mod app;
pub mod browse;
pub mod cli;
pub mod deck;
pub mod drill;
pub mod practice;
pub mod quiz;
pub mod schedule;
pub mod session;
pub mod settings;
pub mod stats;
pub mod store;
pub mod ui;
