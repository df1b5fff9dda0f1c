//! Fuzzes deck parsing and validation: any bytes must give a deck or problems, never a panic.
//!
//! Run with `cargo +nightly fuzz run load_deck` from the repository root (seed the corpus with
//! `decks/*.json` and `tests/data/bad-decks/*.json` for a head start).

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match flashdrill_core::deck::parse_deck(Path::new("fuzz.json"), data) {
        Ok(deck) => assert!(flashdrill_core::deck::validate(&deck).is_empty()),
        Err(err) => {
            assert!(!err.problems.is_empty());
            let _ = err.to_string();
        }
    }
});
