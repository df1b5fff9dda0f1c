//! flashdrill: a desktop flashcard and quiz app with FSRS-6 spaced repetition.
//!
//! The domain lives in the `flashdrill-core` crate, which the compiler keeps free of any GUI
//! crate; app code names its types as `flashdrill_core::…`. This crate is the app shell, its
//! screens and the command line.

pub mod app;
pub mod cli;
pub mod instance;
pub mod jobs;
pub mod ui;
