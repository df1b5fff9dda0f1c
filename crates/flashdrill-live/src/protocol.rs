//! The websocket messages, as JSON objects with a `type` field (see docs/live-class.md).

use serde::{Deserialize, Serialize};

use crate::engine::{Answer, PhoneView, PlayerId};

/// Longest message the server reads, in bytes; longer ones are answered with `too_big`.
pub const MAX_MESSAGE_BYTES: usize = 4096;

/// A message from a phone.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMsg {
    /// Join with the game PIN and a nickname.
    Join { pin: String, name: String },
    /// Come back with the token from `welcome` (after a reload or a sleep).
    Rejoin { pin: String, token: String },
    /// Answer question `question` (0-based) with an option index or an order of events.
    Answer {
        question: usize,
        #[serde(default)]
        choice: Option<usize>,
        #[serde(default)]
        order: Option<Vec<usize>>,
    },
    /// Keeps the connection alive; answered with `pong`.
    Ping,
}

impl ClientMsg {
    /// The answer in an `answer` message, if it holds exactly one of `choice` and `order`.
    #[must_use]
    pub fn answer(choice: Option<usize>, order: Option<Vec<usize>>) -> Option<Answer> {
        match (choice, order) {
            (Some(c), None) => Some(Answer::Choice(c)),
            (None, Some(o)) => Some(Answer::Order(o)),
            _ => None,
        }
    }
}

/// A message to a phone.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg<'a> {
    /// Joined: keep `token` to rejoin.
    Welcome {
        player: PlayerId,
        name: &'a str,
        token: &'a str,
    },
    /// The answer to `question` was received (right or wrong shows at the reveal).
    Ack {
        question: usize,
    },
    /// What the phone shows now; sent at every change of phase.
    State {
        #[serde(flatten)]
        view: &'a PhoneView,
    },
    Pong,
    /// A message was refused: `code` for the page, `message` for people.
    Error {
        code: &'a str,
        message: &'a str,
    },
}

impl ServerMsg<'_> {
    /// As JSON text.
    #[must_use]
    pub fn to_json(&self) -> String {
        to_json(self)
    }
}

/// A message to a phone as JSON text (an `internal` error, should it not encode).
pub(crate) fn to_json(msg: &impl Serialize) -> String {
    serde_json::to_string(msg).unwrap_or_else(|_| {
        r#"{"type":"error","code":"internal","message":"message not encoded"}"#.to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_messages_parse_and_junk_does_not() {
        let m: ClientMsg =
            serde_json::from_str(r#"{"type":"join","pin":"123456","name":"Ada"}"#).unwrap();
        assert_eq!(
            m,
            ClientMsg::Join {
                pin: "123456".into(),
                name: "Ada".into()
            }
        );
        let m: ClientMsg =
            serde_json::from_str(r#"{"type":"answer","question":2,"order":[1,0]}"#).unwrap();
        assert_eq!(
            m,
            ClientMsg::Answer {
                question: 2,
                choice: None,
                order: Some(vec![1, 0])
            }
        );
        for junk in [
            "",
            "null",
            "[]",
            r#"{"type":"hack"}"#,
            r#"{"type":"join","pin":"1"}"#,
            r#"{"type":"join","pin":"1","name":"a","admin":true}"#,
            r#"{"type":"answer","question":-1,"choice":0}"#,
        ] {
            assert!(serde_json::from_str::<ClientMsg>(junk).is_err(), "{junk}");
        }
        assert_eq!(ClientMsg::answer(Some(1), None), Some(Answer::Choice(1)));
        assert_eq!(ClientMsg::answer(Some(1), Some(vec![0])), None);
        assert_eq!(ClientMsg::answer(None, None), None);
    }

    #[test]
    fn server_messages_are_tagged() {
        assert_eq!(
            ServerMsg::Ack { question: 3 }.to_json(),
            r#"{"type":"ack","question":3}"#
        );
        let view = PhoneView::Lobby {
            name: "<b>".into(),
            players: 2,
        };
        assert_eq!(
            ServerMsg::State { view: &view }.to_json(),
            r#"{"type":"state","phase":"lobby","name":"<b>","players":2}"#
        );
    }
}
