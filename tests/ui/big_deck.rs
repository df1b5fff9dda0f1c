//! A big user deck for the browser's tests and its frame bench (`benches/browser_frame.rs`
//! includes this file).

/// Writes a valid deck of `n` term cards into the deck folder of the data directory `dir`.
pub fn big_user_deck(dir: &std::path::Path, n: usize) {
    let cards: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id": "c{i}", "category": "term", "prompt": "Question {i}?", "answer": "Answer {i}", "source": "Sentence {i}."}}"#
            )
        })
        .collect();
    let deck = format!(
        r#"{{"format": "flashdrill-deck/1", "id": "big", "title": "A big deck",
            "source": {{"title": "A source", "author": "Someone"}}, "cards": [{}]}}"#,
        cards.join(",")
    );
    let folder = flashdrill_core::deck::user_deck_dir(dir);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("big.json"), deck).unwrap();
}
