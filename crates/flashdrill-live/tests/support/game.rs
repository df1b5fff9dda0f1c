//! The game's questions for the server tests and the live bench: question `n` asks which of
//! A, B, C and D, the right one turning with `n`.

use flashdrill_core::drill::{Body, CardRef, Question};
use flashdrill_core::quiz::Choices;

const OPTIONS: [&str; 4] = ["A", "B", "C", "D"];

/// Question `n`: card `d/c{n}`, four options, the right one `n % 4`.
pub fn question(n: usize) -> Question {
    Question {
        body: Body::MultipleChoice(Choices {
            options: OPTIONS.iter().map(|o| (*o).to_owned()).collect(),
            correct_index: n % 4,
        }),
        cards: vec![CardRef {
            deck_id: "d".into(),
            card_id: format!("c{n}"),
        }],
        prompt: format!("Question {n}?"),
        answer: OPTIONS[n % 4].into(),
        source: None,
        explanation: None,
    }
}
