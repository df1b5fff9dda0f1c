//! The card form: every field of the deck format in ONE table ([`FIELDS`]; adding a field to the
//! format is one line here), each drawn with the problems `flashdrill check` finds in it.

use egui::{RichText, Ui};

use crate::ui::theme::Palette;
use flashdrill_core::deck::Card;

/// How a field's value is held in a card.
#[derive(Clone, Copy)]
pub enum Value {
    /// Required text.
    Text(fn(&mut Card) -> &mut String),
    /// Optional text: empty means absent.
    Optional(fn(&mut Card) -> &mut Option<String>),
    /// A list, one entry per line.
    List(fn(&mut Card) -> &mut Vec<String>),
    /// Shown, not edited (the id: made from the prompt once, then kept so progress stays).
    ReadOnly(fn(&Card) -> &str),
}

/// One field of the card form.
#[derive(Clone, Copy)]
pub struct Field {
    /// The key problems are filed under (see `deck::issue_field`), and the undo step's name.
    pub key: &'static str,
    /// The label on screen and for a screen reader.
    pub label: &'static str,
    /// A hint shown in the empty field.
    pub hint: &'static str,
    pub value: Value,
    /// A multi-line box.
    pub multiline: bool,
}

const fn field(
    key: &'static str,
    label: &'static str,
    hint: &'static str,
    value: Value,
    multiline: bool,
) -> Field {
    Field {
        key,
        label,
        hint,
        value,
        multiline,
    }
}

/// Every card field, in form order: one line per field of the format.
#[rustfmt::skip]
pub const FIELDS: &[Field] = &[
    field("id", "Card id", "", Value::ReadOnly(|c| &c.id), false),
    field("category", "Category", "date, event, actor, term, argument, place, number or any word", Value::Text(|c| &mut c.category), false),
    field("prompt", "Prompt", "The question", Value::Text(|c| &mut c.prompt), true),
    field("answer", "Answer", "The one right answer", Value::Text(|c| &mut c.answer), false),
    field("accept", "Also accepted", "Other right answers, one per line", Value::List(|c| &mut c.accept), true),
    field("distractors", "Distractors", "Wrong options of the same kind, one per line", Value::List(|c| &mut c.distractors), true),
    field("date", "Date", "YYYY, YYYY-MM or YYYY-MM-DD", Value::Optional(|c| &mut c.date), false),
    field("event", "Event", "Date and event cards: a short caption of the event", Value::Optional(|c| &mut c.event), false),
    field("role", "Role", "Actor cards: who or what the answer is", Value::Optional(|c| &mut c.role), false),
    field("group", "Group", "A slug naming the fact this card tests; cards of one group are siblings", Value::Optional(|c| &mut c.group), false),
    field("cloze", "Cloze", "A sentence with the answer as one {{blank}}", Value::Optional(|c| &mut c.cloze), true),
    field("explanation", "Explanation", "Why the answer is right", Value::Optional(|c| &mut c.explanation), true),
    field("source", "Source sentence", "The article's words that support the answer", Value::Text(|c| &mut c.source), true),
    field("tags", "Tags", "One per line", Value::List(|c| &mut c.tags), true),
];

/// What the form saw this frame.
#[derive(Default)]
pub struct FormOutput {
    /// The field that was changed, if any (the card passed in holds the change).
    pub changed: Option<&'static str>,
    /// Text selected in the source or cloze field: (field key, selected text).
    pub selection: Option<(&'static str, String)>,
    /// A field gained the keyboard: the next edit is a new undo step.
    pub focus_moved: bool,
}

/// Draws the form for `card` (edited in place) with `problems` (field key, message) beside
/// their fields. `enabled: false` shows it read-only.
pub fn card_form(
    ui: &mut Ui,
    card: &mut Card,
    problems: &[(&'static str, String)],
    enabled: bool,
    palette: &Palette,
) -> FormOutput {
    let mut out = FormOutput::default();
    let mut row = |ui: &mut Ui, f: &Field, label: egui::Id| {
        ui.vertical(|ui| {
            ui.add_enabled_ui(enabled, |ui| field_widget(ui, f, card, label, &mut out));
            for (key, message) in problems {
                if *key == f.key {
                    ui.add(
                        egui::Label::new(
                            RichText::new(format!("Problem: {message}")).color(palette.wrong),
                        )
                        .wrap(),
                    );
                }
            }
        });
    };
    if ui.available_width() < STACKED_BELOW {
        // Narrow: each label above its field, the field as wide as the form.
        for f in FIELDS {
            let label = ui.label(RichText::new(f.label).strong());
            row(ui, f, label.id);
            ui.add_space(4.0);
        }
    } else {
        egui::Grid::new("editor-card-form")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .striped(false)
            .show(ui, |ui| {
                for f in FIELDS {
                    let label = ui.label(RichText::new(f.label).strong());
                    row(ui, f, label.id);
                    ui.end_row();
                }
            });
    }
    out
}

/// Below this width the form puts each label above its field.
const STACKED_BELOW: f32 = 440.0;

fn field_widget(ui: &mut Ui, f: &Field, card: &mut Card, label: egui::Id, out: &mut FormOutput) {
    let width = ui.available_width().clamp(200.0, 640.0);
    let edit = |ui: &mut Ui, text: &mut String| {
        let widget = if f.multiline {
            egui::TextEdit::multiline(text)
                // Tab moves on to the next field, as everywhere else.
                .lock_focus(false)
                .desired_rows(if f.key == "source" { 3 } else { 2 })
        } else {
            egui::TextEdit::singleline(text)
        };
        let output = widget
            .hint_text(f.hint)
            .desired_width(width)
            .id_salt(("editor-field", f.key))
            .show(ui);
        let response = output.response.response.clone().labelled_by(label);
        let selected = output.cursor_range.and_then(|range| {
            let chars = range.as_sorted_char_range();
            (chars.start != chars.end).then(|| {
                text.chars()
                    .skip(chars.start.0)
                    .take(chars.end.0 - chars.start.0)
                    .collect::<String>()
            })
        });
        (response, selected)
    };
    let (response, selected) = match f.value {
        Value::ReadOnly(get) => {
            let mut shown = get(card).to_owned();
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut shown)
                        .interactive(false)
                        .desired_width(width),
                )
                .labelled_by(label)
                .on_hover_text(
                    "Made from the prompt when the card is made, then kept: rewording the \
                     card keeps the learner's progress",
                );
            (response, None)
        }
        Value::Text(get) => {
            let (r, s) = edit(ui, get(card));
            (r, s)
        }
        Value::Optional(get) => {
            let slot = get(card);
            let mut text = slot.clone().unwrap_or_default();
            let (r, s) = edit(ui, &mut text);
            if r.changed() {
                *slot = (!text.is_empty()).then_some(text);
            }
            (r, s)
        }
        Value::List(get) => {
            let list = get(card);
            let mut text = list.join("\n");
            let (r, s) = edit(ui, &mut text);
            if r.changed() {
                *list = if text.is_empty() {
                    Vec::new()
                } else {
                    text.split('\n').map(str::to_owned).collect()
                };
            }
            (r, s)
        }
    };
    if response.changed() {
        out.changed = Some(f.key);
    }
    if response.gained_focus() {
        out.focus_moved = true;
    }
    if let Some(text) = selected
        && matches!(f.key, "source" | "cloze")
    {
        out.selection = Some((f.key, text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_of_the_format_is_in_the_table_once() {
        let card: Card = serde_json::from_str(
            r#"{"id":"x","category":"term","prompt":"p","answer":"a","accept":["b"],
            "distractors":["c"],"date":"2000","event":"e","role":"r","group":"g","cloze":"{{a}}",
            "explanation":"x","source":"s","tags":["t"]}"#,
        )
        .unwrap();
        let json = serde_json::to_value(&card).unwrap();
        let keys: Vec<&str> = FIELDS.iter().map(|f| f.key).collect();
        for key in json.as_object().unwrap().keys() {
            assert!(keys.contains(&key.as_str()), "{key} has no row in FIELDS");
        }
        let mut unique = keys.clone();
        unique.dedup();
        assert_eq!(unique.len(), keys.len());
    }
}
