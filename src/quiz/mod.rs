//! Presenting a card: multiple-choice options, typed-answer checking, cloze, ordering and matching. Pure, seeded.
