//! One phone's websocket connection, the same in the game and the warm-up: the upgrade with
//! its limits, the read loop (rate limit, oversized, junk and binary messages answered with
//! an error, close handling), the refusal and PIN tallies that close a connection, and the
//! server's counters. What a message does is the mode's: a [`Phone`].

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::stream::SplitSink;
use futures_util::{SinkExt as _, StreamExt as _};
use serde::de::DeserializeOwned;
use tokio::sync::watch;

use super::{
    MAX_CONNECTIONS, MAX_FRAME_BYTES, MAX_PIN_TRIES, MAX_REFUSED, RATE_BURST, RATE_PER_SEC,
};
use crate::protocol::{MAX_MESSAGE_BYTES, ServerMsg};

/// What a server's connections share: the signal that the phones must look again, the one
/// that the server stops, and the counters the projector shows.
pub(crate) struct Switchboard {
    /// Bumped at every change the phones must see.
    version: watch::Sender<u64>,
    /// Turns `true` when the server stops (see [`super::ServerThread`]).
    shutdown: watch::Receiver<bool>,
    /// Messages refused so far, on all connections.
    refused: AtomicU64,
    /// Open websocket connections.
    connections: AtomicUsize,
}

impl Switchboard {
    /// Connections end when `shutdown` turns `true`.
    pub(crate) fn new(shutdown: watch::Receiver<bool>) -> Self {
        Self {
            version: watch::channel(0).0,
            shutdown,
            refused: AtomicU64::new(0),
            connections: AtomicUsize::new(0),
        }
    }

    /// Tells every connection to look again ([`Phone::changed`]).
    pub(crate) fn bump(&self) {
        self.version.send_modify(|v| *v = v.wrapping_add(1));
    }

    /// Messages refused so far (malformed, unknown, oversized, too fast, out of order).
    pub(crate) fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    /// Open websocket connections.
    pub(crate) fn connections(&self) -> usize {
        self.connections.load(Ordering::Relaxed)
    }
}

/// The websocket at `/ws`: opens it with the frame limits (see [`MAX_FRAME_BYTES`]) and serves
/// it as a `P`, or refuses when [`MAX_CONNECTIONS`] are open already.
pub(crate) async fn upgrade<P: Phone>(
    State(server): State<Arc<P::Server>>,
    ws: WebSocketUpgrade,
) -> Response {
    if (*server).as_ref().connections() >= MAX_CONNECTIONS {
        return (StatusCode::SERVICE_UNAVAILABLE, "Too many connections").into_response();
    }
    ws.max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        .on_upgrade(move |socket| async move {
            let phone = P::new(Arc::clone(&server));
            serve(socket, (*server).as_ref(), phone).await;
        })
}

/// A mode's side of one phone's connection.
pub(crate) trait Phone: Send + 'static {
    /// The server's state, which its connections share.
    type Server: AsRef<Switchboard> + Send + Sync + 'static;
    /// The messages a phone sends in this mode.
    type Msg: DeserializeOwned + Send;

    /// A new connection's side.
    fn new(server: Arc<Self::Server>) -> Self;

    /// Answers a message (one short enough, understood, and within the rate).
    fn message(&mut self, msg: Self::Msg, out: &mut Replies<'_>)
    -> impl Future<Output = ()> + Send;

    /// The server changed ([`Switchboard::bump`]): tell the phone what it must see.
    fn changed(&mut self, out: &mut Replies<'_>) -> impl Future<Output = ()> + Send;

    /// Called after what was in hand was sent (unless the connection is closing): whatever
    /// is slow to make and must not hold up the replies.
    fn after_sent(&mut self, _out: &mut Replies<'_>) -> impl Future<Output = ()> + Send {
        async {}
    }

    /// Whether the connection is to close now (looked at after each event).
    fn is_done(&self) -> bool {
        false
    }

    /// The connection closed (after its socket was closed).
    fn closed(&mut self);
}

/// What a connection sends next, and its tallies: a connection with [`MAX_REFUSED`] refused
/// messages or [`MAX_PIN_TRIES`] wrong PINs is closed.
pub(crate) struct Replies<'a> {
    texts: Vec<String>,
    /// The server's count of refused messages.
    all_refused: &'a AtomicU64,
    refused: u32,
    pin_tries: u32,
}

impl Replies<'_> {
    /// Sends `text` (JSON) to the phone.
    pub(crate) fn push(&mut self, text: String) {
        self.texts.push(text);
    }

    /// Refuses a message: an `error` with `code` for the page and `message` for people.
    pub(crate) fn error(&mut self, code: &str, message: &str) {
        self.all_refused.fetch_add(1, Ordering::Relaxed);
        self.refused += 1;
        self.push(ServerMsg::Error { code, message }.to_json());
    }

    /// Counts a wrong PIN (its error is sent apart).
    pub(crate) fn wrong_pin(&mut self) {
        self.pin_tries += 1;
    }

    /// Whether the connection has refused or been refused too often.
    fn must_close(&self) -> bool {
        self.pin_tries >= MAX_PIN_TRIES || self.refused >= MAX_REFUSED
    }

    /// Sends (and empties) the replies.
    async fn send(&mut self, sink: &mut SplitSink<WebSocket, Message>) -> Result<(), axum::Error> {
        for text in self.texts.drain(..) {
            sink.send(Message::text(text)).await?;
        }
        Ok(())
    }
}

/// A token bucket: [`RATE_BURST`] messages, refilled at [`RATE_PER_SEC`].
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn new() -> Self {
        Self {
            tokens: RATE_BURST,
            at: Instant::now(),
        }
    }

    fn take(&mut self) -> bool {
        let now = Instant::now();
        let refill = now.duration_since(self.at).as_secs_f64() * RATE_PER_SEC;
        self.tokens = (self.tokens + refill).min(RATE_BURST);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// What a connection's loop woke up for.
enum Event {
    Text(String),
    Binary,
    /// The server changed ([`Switchboard::bump`]).
    Changed,
    Nothing,
    /// The phone or the server closed the connection.
    Closed,
}

/// Serves one phone's connection on `socket` until either side closes it, `phone` doing what
/// its messages ask.
async fn serve<P: Phone>(socket: WebSocket, board: &Switchboard, mut phone: P) {
    board.connections.fetch_add(1, Ordering::Relaxed);
    let (mut sink, mut stream) = socket.split();
    let mut version = board.version.subscribe();
    let mut stop = board.shutdown.clone();
    let mut bucket = Bucket::new();
    let mut out = Replies {
        texts: Vec::new(),
        all_refused: &board.refused,
        refused: 0,
        pin_tries: 0,
    };
    loop {
        // What happened, taken out of the `select!` before any await on the mode's work.
        let event = tokio::select! {
            msg = stream.next() => match msg {
                Some(Ok(Message::Text(text))) => Event::Text(text.as_str().to_owned()),
                Some(Ok(Message::Binary(_))) => Event::Binary,
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => Event::Nothing,
                Some(Ok(Message::Close(_)) | Err(_)) | None => Event::Closed,
            },
            changed = version.changed() => if changed.is_err() { Event::Closed } else { Event::Changed },
            _ = stop.wait_for(|s| *s) => Event::Closed,
        };
        let mut close = false;
        match event {
            Event::Text(text) => {
                if bucket.take() {
                    message(&mut phone, &text, &mut out).await;
                } else {
                    out.error("too_fast", "Too many messages: slow down");
                }
                close = out.must_close();
            }
            Event::Binary => {
                out.error("bad_message", "Send text messages");
                close = out.must_close();
            }
            Event::Changed => phone.changed(&mut out).await,
            Event::Nothing => {}
            Event::Closed => close = true,
        }
        if phone.is_done() {
            close = true;
        }
        if out.send(&mut sink).await.is_err() {
            close = true;
        }
        if !close {
            phone.after_sent(&mut out).await;
            if out.send(&mut sink).await.is_err() {
                close = true;
            }
        }
        if close {
            break;
        }
    }
    let _ = sink.close().await;
    phone.closed();
    board.connections.fetch_sub(1, Ordering::Relaxed);
}

/// Reads a text message and hands it to `phone`, or refuses it when too long or not
/// understood.
async fn message<P: Phone>(phone: &mut P, text: &str, out: &mut Replies<'_>) {
    if text.len() > MAX_MESSAGE_BYTES {
        out.error(
            "too_big",
            "That message is too long; the page sends short ones",
        );
        return;
    }
    let Ok(msg) = serde_json::from_str::<P::Msg>(text) else {
        out.error("bad_message", "That message was not understood");
        return;
    };
    phone.message(msg, out).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replies(all_refused: &AtomicU64) -> Replies<'_> {
        Replies {
            texts: Vec::new(),
            all_refused,
            refused: 0,
            pin_tries: 0,
        }
    }

    #[test]
    fn a_refusal_is_an_error_message_counted_on_the_connection_and_the_server() {
        let all = AtomicU64::new(7);
        let mut out = replies(&all);
        out.error("too_fast", "Too many messages: slow down");
        assert_eq!(
            out.texts,
            [r#"{"type":"error","code":"too_fast","message":"Too many messages: slow down"}"#]
        );
        assert_eq!(all.load(Ordering::Relaxed), 8);
        assert_eq!(out.refused, 1);
    }

    #[test]
    fn a_connection_closes_at_its_refusal_or_wrong_pin_limit() {
        let all = AtomicU64::new(0);
        let mut out = replies(&all);
        for _ in 1..MAX_REFUSED {
            out.error("bad_message", "That message was not understood");
        }
        assert!(!out.must_close());
        out.error("bad_message", "That message was not understood");
        assert!(out.must_close());
        assert_eq!(all.load(Ordering::Relaxed), u64::from(MAX_REFUSED));

        let mut out = replies(&all);
        for _ in 1..MAX_PIN_TRIES {
            out.wrong_pin();
        }
        assert!(!out.must_close());
        out.wrong_pin();
        assert!(out.must_close());
    }
}
