//! Fuzzes the Anki package reader: any bytes, read as an `.apkg`, must import or be refused
//! with an error, never panic, and never write outside the temporary folder it is given.
//!
//! Run with `cargo +nightly fuzz run read_package` from the repository root; seed the corpus
//! with `tests/data/interop/*.apkg` and `*.colpkg`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = flashdrill_core::interop::fuzz_read(data);
});
