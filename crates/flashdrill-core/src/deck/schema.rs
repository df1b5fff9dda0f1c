//! The JSON schema of deck format v1, generated from the Rust types.

use super::model::Deck;

/// The JSON schema of a deck file (draft 2020-12), pretty-printed with a final newline. The
/// checked-in `decks/schema.json` must equal it (a test says how to regenerate it).
#[must_use]
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Deck);
    // `{:#}` pretty-prints a JSON value; unlike `to_string_pretty` it cannot fail.
    format!("{:#}\n", schema.as_value())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_requires_the_fields_of_a_deck_and_forbids_others() {
        let schema: serde_json::Value = serde_json::from_str(&schema_json()).unwrap();
        assert_eq!(schema["title"], "Deck");
        assert_eq!(schema["additionalProperties"], false);
        assert_eq!(schema["properties"]["format"]["const"], "flashdrill-deck/1");
        let required: Vec<&str> = schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(required, ["format", "id", "title", "source", "cards"]);
        assert_eq!(
            schema["$defs"]["Card"]["then"]["required"][0], "date",
            "date cards must require a date"
        );
        // Editors offer the categories the app knows by name, "argument" among them.
        let examples: Vec<&str> = schema["$defs"]["Card"]["properties"]["category"]["examples"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(examples.contains(&"argument"), "{examples:?}");
        for name in examples {
            let category = crate::deck::Category::parse(name);
            assert!(
                !matches!(category, crate::deck::Category::Other(_)),
                "{name} is not a known category"
            );
        }
    }
}
