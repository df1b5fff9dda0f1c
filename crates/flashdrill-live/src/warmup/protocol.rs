//! The warm-up's websocket messages, as JSON objects with a `type` field (docs/live-class.md,
//! "Spaced warm-up"). The join, rejoin, ping, welcome and error messages are the game's; the
//! answer names its card and carries the phone's own answer id, and the server's `ack` comes
//! only once the answer is committed, with the verdict.

use serde::{Deserialize, Serialize};

use super::{Ack, CardForm, Given, StudyCard};

/// Longest answer id a phone may make, in bytes.
pub const MAX_ANSWER_ID: usize = 64;
/// Longest card id, in bytes.
pub const MAX_CARD_ID: usize = 512;
/// Longest typed answer, in characters.
pub const MAX_TEXT_CHARS: usize = 500;
/// Most events in a timeline answer.
pub const MAX_ORDER: usize = 32;

/// A message from a phone.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum StudyMsg {
    /// Join with the PIN and the student's name as on the roster.
    Join { pin: String, name: String },
    /// Come back with the token from `welcome` (after a reload, a sleep, or next lesson).
    Rejoin { pin: String, token: String },
    /// Answer card `card` with exactly one of `choice`, `text` or `order`; `id` is the
    /// phone's own id for this answer (sent again, unchanged, after a reconnect).
    Answer {
        card: String,
        id: String,
        #[serde(default)]
        choice: Option<usize>,
        #[serde(default)]
        text: Option<String>,
        #[serde(default)]
        order: Option<Vec<usize>>,
    },
    /// Keeps the connection alive; answered with `pong`.
    Ping,
}

/// Why an `answer` message is refused before it reaches the class's store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadAnswer {
    /// Not exactly one of `choice`, `text`, `order`, or one too long.
    Shape,
    /// An answer id that is empty, too long or not made of letters, digits, `-`, `_`, `.`, `:`.
    Id,
}

impl BadAnswer {
    #[must_use]
    pub fn message(self) -> &'static str {
        match self {
            Self::Shape => "Send one answer: a choice, a text or an order",
            Self::Id => "The answer's id must be 1 to 64 letters, digits, '-', '_', '.' or ':'",
        }
    }
}

/// The answer in an `answer` message, checked for shape (not against the card: the class's
/// store does that).
pub fn given(
    id: &str,
    card: &str,
    choice: Option<usize>,
    text: Option<String>,
    order: Option<Vec<usize>>,
) -> Result<Given, BadAnswer> {
    let id_ok = !id.is_empty()
        && id.len() <= MAX_ANSWER_ID
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    if !id_ok {
        return Err(BadAnswer::Id);
    }
    if card.is_empty() || card.len() > MAX_CARD_ID {
        return Err(BadAnswer::Shape);
    }
    match (choice, text, order) {
        (Some(c), None, None) => Ok(Given::Choice(c)),
        (None, Some(t), None) if t.chars().count() <= MAX_TEXT_CHARS => Ok(Given::Text(t)),
        (None, None, Some(o)) if o.len() <= MAX_ORDER => Ok(Given::Order(o)),
        _ => Err(BadAnswer::Shape),
    }
}

/// A card as the phone gets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardView {
    pub id: String,
    pub form: CardForm,
    pub prompt: String,
    pub options: Vec<String>,
}

/// What a phone shows in a warm-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum StudyView {
    /// The student's card now, with how many they answered and have left.
    Study {
        card: CardView,
        done: u32,
        left: u32,
    },
    /// Over (time is up, or nothing is left): the student's summary.
    Finished { answered: u32, right: u32 },
}

impl StudyView {
    #[must_use]
    pub fn study(card: StudyCard) -> Self {
        Self::Study {
            done: card.done,
            left: card.left,
            card: CardView {
                id: card.id,
                form: card.form,
                prompt: card.prompt,
                options: card.options,
            },
        }
    }
}

/// A message to a phone in a warm-up (its errors are the game's
/// [`crate::protocol::ServerMsg::Error`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StudyServerMsg<'a> {
    /// Joined: keep `token` (it works next lesson too).
    Welcome {
        name: &'a str,
        token: &'a str,
    },
    /// The answer `id` to `card` is committed: the verdict, the right answer, the sentence.
    Ack {
        id: &'a str,
        card: &'a str,
        right: bool,
        answer: &'a str,
        sentence: Option<&'a str>,
    },
    State {
        #[serde(flatten)]
        view: &'a StudyView,
    },
    Pong,
}

impl<'a> StudyServerMsg<'a> {
    #[must_use]
    pub fn ack(card: &'a str, ack: &'a Ack) -> Self {
        Self::Ack {
            id: &ack.id,
            card,
            right: ack.right,
            answer: &ack.answer,
            sentence: ack.sentence.as_deref(),
        }
    }

    /// As JSON text.
    #[must_use]
    pub fn to_json(&self) -> String {
        crate::protocol::to_json(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_parse_and_junk_does_not() {
        let m: StudyMsg = serde_json::from_str(
            r#"{"type":"answer","card":"d/c1","id":"a-1","text":"Kim Jong Un"}"#,
        )
        .unwrap();
        let StudyMsg::Answer {
            card,
            id,
            choice,
            text,
            order,
        } = m
        else {
            panic!("not an answer: {m:?}");
        };
        assert_eq!(
            given(&id, &card, choice, text, order),
            Ok(Given::Text("Kim Jong Un".into()))
        );
        for junk in [
            r#"{"type":"answer","card":"d/c1","choice":1}"#,
            r#"{"type":"answer","card":"d/c1","id":"a","choice":-1}"#,
            r#"{"type":"answer","card":"d/c1","id":"a","choice":1,"points":9}"#,
            r#"{"type":"answer","question":0,"id":"a","choice":1}"#,
        ] {
            assert!(serde_json::from_str::<StudyMsg>(junk).is_err(), "{junk}");
        }
        assert_eq!(given("a", "d/c", Some(1), None, None), Ok(Given::Choice(1)));
        assert_eq!(
            given("a", "d/c", Some(1), Some("x".into()), None),
            Err(BadAnswer::Shape)
        );
        assert_eq!(given("a", "d/c", None, None, None), Err(BadAnswer::Shape));
        assert_eq!(given("a", "", Some(0), None, None), Err(BadAnswer::Shape));
        assert_eq!(
            given("a", "d/c", None, Some("x".repeat(501)), None),
            Err(BadAnswer::Shape)
        );
        assert_eq!(
            given("a", "d/c", None, None, Some(vec![0; 33])),
            Err(BadAnswer::Shape)
        );
        for bad_id in ["", "a b", "<script>", &"x".repeat(65)] {
            assert_eq!(
                given(bad_id, "d/c", Some(0), None, None),
                Err(BadAnswer::Id),
                "{bad_id}"
            );
        }
    }

    #[test]
    fn study_states_and_acks_are_tagged() {
        let view = StudyView::study(StudyCard {
            id: "d/c1".into(),
            form: CardForm::Typed,
            prompt: "Who?".into(),
            options: Vec::new(),
            done: 2,
            left: 5,
        });
        assert_eq!(
            StudyServerMsg::State { view: &view }.to_json(),
            r#"{"type":"state","phase":"study","card":{"id":"d/c1","form":"typed","prompt":"Who?","options":[]},"done":2,"left":5}"#
        );
        let ack = Ack {
            id: "a-1".into(),
            right: false,
            answer: "2000".into(),
            sentence: None,
        };
        assert_eq!(
            StudyServerMsg::ack("d/c1", &ack).to_json(),
            r#"{"type":"ack","id":"a-1","card":"d/c1","right":false,"answer":"2000","sentence":null}"#
        );
        assert_eq!(
            StudyServerMsg::State {
                view: &StudyView::Finished {
                    answered: 4,
                    right: 3
                }
            }
            .to_json(),
            r#"{"type":"state","phase":"finished","answered":4,"right":3}"#
        );
    }
}
