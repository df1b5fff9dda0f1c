//! `decks/schema.json` must be the schema generated from the Rust deck types.

use std::path::Path;

#[test]
fn checked_in_schema_matches_the_rust_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../decks/schema.json");
    let generated = flashdrill_core::deck::schema_json();
    if std::env::var_os("UPDATE_SCHEMA").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "{} is stale: the deck types changed. Regenerate it with\n\n    \
         UPDATE_SCHEMA=1 cargo test --test deck_schema\n\nand commit the result.",
        path.display()
    );
}

#[test]
fn the_schema_is_not_loaded_as_a_deck() {
    let decks = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../decks");
    let files = flashdrill_core::deck::deck_files_in(&decks).unwrap();
    assert!(files.iter().all(|f| !f.ends_with("schema.json")));
    assert!(!files.is_empty());
}
