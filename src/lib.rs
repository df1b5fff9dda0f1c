//! flashdrill: a desktop flashcard and quiz app with FSRS-6 spaced repetition.
//!
//! The domain lives in the `flashdrill-core` crate (re-exported here under the same module
//! names), which the compiler keeps free of any GUI crate; this crate is the app shell, its
//! screens and the command line.

pub mod app;
pub mod cli;
pub mod jobs;
pub mod ui;

pub use flashdrill_core::{
    browse, deck, domain, draft, drill, interop, optimize, practice, quiz, schedule, session,
    settings, siblings, stats, store,
};
