//! A phone for the server tests of the game and the warm-up: a websocket client
//! (`tokio-tungstenite`) speaking the JSON messages, plain HTTP requests, and the server's
//! settings on 127.0.0.1.

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use flashdrill_live::LiveConfig;
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// A server on 127.0.0.1, on any free port, with the PIN `pin`.
pub fn local_config(pin: &str) -> LiveConfig {
    LiveConfig {
        pin: Some(pin.into()),
        port: 0,
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        ..LiveConfig::default()
    }
}

/// One phone's websocket connection.
pub struct Phone {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Messages read while waiting for a reply ([`Phone::reply`]), to be read next.
    held: VecDeque<Value>,
}

impl Phone {
    pub async fn connect(addr: SocketAddr) -> Self {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws"))
            .await
            .unwrap();
        Self {
            ws,
            held: VecDeque::new(),
        }
    }

    /// Connects and joins with `pin` as `name`; returns the phone and the server's welcome.
    pub async fn join(addr: SocketAddr, pin: &str, name: &str) -> (Self, Value) {
        let mut phone = Self::connect(addr).await;
        phone
            .send(&json!({"type": "join", "pin": pin, "name": name}))
            .await;
        let welcome = phone.recv().await;
        assert_eq!(welcome["type"], "welcome", "{welcome}");
        (phone, welcome)
    }

    /// Rejoins with `pin` and the saved `token`; returns the server's reply (a welcome or an
    /// error).
    pub async fn rejoin(&mut self, pin: &str, token: &str) -> Value {
        self.send(&json!({"type": "rejoin", "pin": pin, "token": token}))
            .await;
        self.recv().await
    }

    pub async fn send(&mut self, v: &Value) {
        self.send_raw(&v.to_string()).await;
    }

    pub async fn send_raw(&mut self, text: &str) {
        self.ws.send(Message::text(text.to_owned())).await.unwrap();
    }

    pub async fn send_binary(&mut self, bytes: Vec<u8>) {
        self.ws.send(Message::binary(bytes)).await.unwrap();
    }

    /// The next text message, or `None` when the server closed the connection.
    pub async fn next(&mut self) -> Option<Value> {
        if let Some(held) = self.held.pop_front() {
            return Some(held);
        }
        self.read().await
    }

    /// The next message on the wire (not one held), or `None` when the connection closed.
    async fn read(&mut self) -> Option<Value> {
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(10), self.ws.next())
                .await
                .expect("a message within 10 s");
            match msg {
                Some(Ok(Message::Text(t))) => return Some(serde_json::from_str(&t).unwrap()),
                Some(Ok(Message::Close(_)) | Err(_)) | None => return None,
                Some(Ok(_)) => {}
            }
        }
    }

    pub async fn recv(&mut self) -> Value {
        self.next().await.expect("the connection is open")
    }

    /// The first message from the wire that `is_reply`; those before it are held, in order,
    /// for the next reads, so that a reply awaited loses no update sent meanwhile.
    #[allow(dead_code, reason = "the warm-up's tests read their replies in order")]
    pub async fn reply(&mut self, is_reply: impl Fn(&Value) -> bool) -> Value {
        loop {
            let m = self.read().await.expect("the connection is open");
            if is_reply(&m) {
                return m;
            }
            self.held.push_back(m);
        }
    }

    /// Whether the server closed the connection within the next `messages` messages.
    pub async fn closed_within(&mut self, messages: usize) -> bool {
        for _ in 0..messages {
            if self.next().await.is_none() {
                return true;
            }
        }
        false
    }

    /// Sends `pings` pings at once and reads as many replies; returns how many of them
    /// refused a ping as too fast.
    pub async fn flood(&mut self, pings: usize) -> usize {
        for _ in 0..pings {
            self.send(&json!({"type": "ping"})).await;
        }
        let mut too_fast = 0;
        for _ in 0..pings {
            if self.recv().await["code"] == "too_fast" {
                too_fast += 1;
            }
        }
        too_fast
    }
}

/// The server's whole HTTP response to `GET path`.
pub async fn http_get(addr: SocketAddr, path: &str) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    String::from_utf8_lossy(&out).into_owned()
}
