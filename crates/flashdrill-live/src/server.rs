//! The game server: axum with websockets on a tokio runtime on its own thread, and the
//! [`LiveGame`] handle the app (or `flashdrill host`) holds: a snapshot to poll each frame,
//! commands to send. The timer is kept here: a ticker reveals a question when its time is up
//! or everyone answered, and (with [`AutoAdvance`]) moves the game on by itself.

mod thread;

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use flashdrill_core::drill::{LogEntry, Question};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::sync::watch;

use crate::engine::{Game, GameError, PhoneView, PlayerId, Snapshot};
use crate::protocol::{ClientMsg, MAX_MESSAGE_BYTES, ServerMsg};
pub(crate) use thread::ServerThread;

/// The phone page, served at `/`.
pub const PHONE_PAGE: &str = include_str!("phone.html");
/// Most websocket connections at once (players plus a margin for reloads).
pub const MAX_CONNECTIONS: usize = 400;
/// Messages a connection may send in a burst…
pub const RATE_BURST: f64 = 20.0;
/// …and per second after it.
pub const RATE_PER_SEC: f64 = 10.0;
/// Wrong PINs on one connection before it is closed.
pub const MAX_PIN_TRIES: u32 = 5;
/// Refused messages on one connection before it is closed.
pub const MAX_REFUSED: u32 = 100;
/// Frames above this are dropped by the websocket layer itself (the connection closes);
/// messages between [`MAX_MESSAGE_BYTES`] and this are answered with `too_big`.
pub(crate) const MAX_FRAME_BYTES: usize = 64 * 1024;
/// How often the ticker checks the countdown.
const TICK: Duration = Duration::from_millis(50);

/// Moving on without a teacher (`flashdrill host`): how long the reveal and the leaderboard
/// stay up before the next step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AutoAdvance {
    pub reveal_secs: f64,
    pub leaderboard_secs: f64,
}

/// How to run a live game.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveConfig {
    /// The game PIN; `None`: a random one.
    pub pin: Option<String>,
    /// The port; 0: any free port.
    pub port: u16,
    /// The address to listen on: all interfaces (the classroom's network) by default.
    pub bind: IpAddr,
    /// The countdown per question, in seconds.
    pub seconds: u32,
    /// Move on by itself; `None`: the teacher's commands move the game on.
    pub auto: Option<AutoAdvance>,
    /// Play with a class: only these roster names may join (`None`: any nickname).
    pub roster: Option<Vec<String>>,
}

impl Default for LiveConfig {
    fn default() -> Self {
        Self {
            pin: None,
            port: 0,
            bind: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            seconds: 20,
            auto: None,
            roster: None,
        }
    }
}

/// Why a live game could not start.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error(transparent)]
    Game(#[from] GameError),
    #[error(
        "Another program is already using port {0}. Choose another port (0 lets the system pick a free one), or close that program"
    )]
    PortTaken(u16),
    #[error(
        "Could not listen on port {port}: {source}. Choose another port (0 lets the system pick one)"
    )]
    Bind { port: u16, source: std::io::Error },
    #[error("A warm-up lasts from 1 second to 3 hours, not {0} seconds")]
    WarmupLength(u64),
    #[error("Could not start the game server: {0}")]
    Runtime(std::io::Error),
}

/// What the teacher (or the host loop) tells the game.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Ask the first question.
    Start,
    /// Show the answer now.
    Reveal,
    /// The next step: reveal, leaderboard, next question or podium.
    Next,
    /// Remove a player (their phone is told and cannot rejoin).
    Remove(PlayerId),
    /// End the game now.
    End,
}

/// The projector's view plus the server's counters.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveSnapshot {
    pub game: Snapshot,
    /// Messages refused so far (malformed, unknown, oversized, too fast, out of order).
    pub refused: u64,
    /// Open websocket connections.
    pub connections: usize,
}

struct Shared {
    game: Mutex<Game>,
    epoch: Instant,
    /// Bumped at every change the phones must see (phase, players, removal).
    version: watch::Sender<u64>,
    /// Turns `true` when the server stops (see [`ServerThread`]).
    shutdown: watch::Receiver<bool>,
    auto: Option<AutoAdvance>,
    refused: AtomicU64,
    connections: AtomicUsize,
}

impl Shared {
    fn now(&self) -> f64 {
        self.epoch.elapsed().as_secs_f64()
    }

    fn game(&self) -> MutexGuard<'_, Game> {
        self.game.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn bump(&self) {
        self.version.send_modify(|v| *v = v.wrapping_add(1));
    }

    fn refuse(&self) {
        self.refused.fetch_add(1, Ordering::Relaxed);
    }

    /// Reveals on time (or when all answered) and, with [`AutoAdvance`], moves on; called
    /// every [`TICK`].
    fn tick(&self) {
        let now = self.now();
        let changed = {
            let mut game = self.game();
            let mut changed = game.tick(now);
            if let Some(auto) = self.auto {
                let wait = match game.phase() {
                    crate::engine::Phase::Reveal => Some(auto.reveal_secs),
                    crate::engine::Phase::Leaderboard => Some(auto.leaderboard_secs),
                    _ => None,
                };
                if wait.is_some_and(|w| game.in_phase(now) >= w) {
                    changed |= game.next(now);
                }
            }
            changed
        };
        if changed {
            self.bump();
        }
    }
}

/// A live game being served. Dropping it stops the server.
pub struct LiveGame {
    shared: Arc<Shared>,
    server: ServerThread,
}

impl std::fmt::Debug for LiveGame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveGame")
            .field("addr", &self.server.local_addr())
            .field("join_url", &self.server.join_url())
            .finish_non_exhaustive()
    }
}

/// A random 6-digit PIN.
#[must_use]
pub fn random_pin() -> String {
    format!("{:06}", rand::random_range(0..1_000_000u32))
}

/// An unguessable token for rejoining (128 random bits, hex).
#[must_use]
pub fn random_token() -> String {
    format!("{:032x}", rand::random::<u128>())
}

impl LiveGame {
    /// Starts serving a game over `questions`: binds the port (an error names it when taken),
    /// then runs the server on its own thread. The game waits in the lobby for
    /// [`Command::Start`].
    pub fn start(questions: Vec<Question>, config: &LiveConfig) -> Result<Self, LiveError> {
        let pin = config.pin.clone().unwrap_or_else(random_pin);
        let mut game = Game::new(questions, config.seconds, &pin)?;
        if let Some(roster) = &config.roster {
            game.set_roster(roster.clone());
        }
        let (version, _) = watch::channel(0);
        let (stop, shutdown) = watch::channel(false);
        let shared = Arc::new(Shared {
            game: Mutex::new(game),
            epoch: Instant::now(),
            version,
            shutdown,
            auto: config.auto,
            refused: AtomicU64::new(0),
            connections: AtomicUsize::new(0),
        });
        let app = phone_routes(get(page), get(upgrade), Arc::clone(&shared));
        let ticking = Arc::clone(&shared);
        let server = ServerThread::start(config, stop, app, TICK, move || {
            ticking.tick();
            ControlFlow::Continue(())
        })?;
        Ok(Self { shared, server })
    }

    /// The address the server listens on.
    #[must_use]
    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// `http://<LAN address>:<port>/`, for the projector and the QR code.
    #[must_use]
    pub fn join_url(&self) -> &str {
        self.server.join_url()
    }

    #[must_use]
    pub fn pin(&self) -> String {
        self.shared.game().pin().to_owned()
    }

    /// Everything the projector shows; cheap enough to call every frame.
    #[must_use]
    pub fn snapshot(&self) -> LiveSnapshot {
        let now = self.shared.now();
        LiveSnapshot {
            game: self.shared.game().snapshot(now),
            refused: self.shared.refused.load(Ordering::Relaxed),
            connections: self.shared.connections.load(Ordering::Relaxed),
        }
    }

    /// Carries out a command; returns false when it did not apply (wrong phase, no such
    /// player).
    #[must_use = "false when the command did not apply"]
    pub fn command(&self, command: Command) -> bool {
        let now = self.shared.now();
        let changed = {
            let mut game = self.shared.game();
            match command {
                Command::Start => game.start(now),
                Command::Reveal => game.reveal(now),
                Command::Next => game.next(now),
                Command::Remove(id) => game.remove(id),
                Command::End => game.end(now),
            }
        };
        if changed {
            self.shared.bump();
        }
        changed
    }

    /// The per-student, per-question results as CSV (see [`crate::results`]).
    #[must_use]
    pub fn results_csv(&self) -> String {
        crate::results::results_csv(&self.shared.game())
    }

    /// Each student's result on each revealed question (see [`crate::engine::ResultRow`]).
    #[must_use]
    pub fn result_rows(&self) -> Vec<crate::engine::ResultRow> {
        self.shared.game().result_rows().0
    }

    /// The revealed questions, for logging on the teacher's profile.
    #[must_use]
    pub fn log_entries(&self) -> Vec<LogEntry> {
        self.shared.game().log_entries()
    }

    /// Stops the server and waits for its thread.
    pub fn stop(mut self) {
        self.server.stop();
    }

    /// Stops listening (the phones are disconnected) but keeps the game: its snapshot, results
    /// and log stay readable. Does nothing when already stopped.
    pub fn stop_listening(&mut self) {
        self.server.stop();
    }

    /// Whether the server still listens (false after [`Self::stop_listening`]).
    #[must_use]
    pub fn is_listening(&self) -> bool {
        self.server.is_listening()
    }
}

async fn page() -> Response {
    page_response(PHONE_PAGE)
}

/// The phone page with its security headers.
pub(crate) fn page_response(html: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
                 connect-src 'self' ws: wss:; img-src data:; base-uri 'none'; form-action 'none'",
            ),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        html,
    )
        .into_response()
}

/// What a phone may ask for: the `page` at `/`, the websocket `upgrade` at `/ws`, nothing
/// else (404).
pub(crate) fn phone_routes<S>(page: MethodRouter<S>, upgrade: MethodRouter<S>, state: S) -> Router
where
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/", page)
        .route("/ws", upgrade)
        .fallback(not_found)
        .with_state(state)
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not found").into_response()
}

async fn upgrade(State(shared): State<Arc<Shared>>, ws: WebSocketUpgrade) -> Response {
    let open = shared.connections.load(Ordering::Relaxed);
    limited_upgrade(ws, open, move |socket| connection(socket, shared))
}

/// Opens a websocket with the frame limits (see [`MAX_FRAME_BYTES`]) and hands it to
/// `connection`, or refuses when [`MAX_CONNECTIONS`] (`open` counts them) are open already.
pub(crate) fn limited_upgrade<F>(
    ws: WebSocketUpgrade,
    open: usize,
    connection: impl FnOnce(WebSocket) -> F + Send + 'static,
) -> Response
where
    F: Future<Output = ()> + Send + 'static,
{
    if open >= MAX_CONNECTIONS {
        return (StatusCode::SERVICE_UNAVAILABLE, "Too many connections").into_response();
    }
    ws.max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        .on_upgrade(connection)
}

/// A token bucket: [`RATE_BURST`] messages, refilled at [`RATE_PER_SEC`].
pub(crate) struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    pub(crate) fn new() -> Self {
        Self {
            tokens: RATE_BURST,
            at: Instant::now(),
        }
    }

    pub(crate) fn take(&mut self) -> bool {
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

/// One phone's connection.
struct Conn {
    shared: Arc<Shared>,
    player: Option<PlayerId>,
    /// The last view sent, without its countdown (sent again only when it changes).
    last_view: Option<PhoneView>,
    pin_tries: u32,
    refused: u32,
}

/// What to do after a message.
enum Next {
    Stay,
    Close,
}

impl Conn {
    fn error(&mut self, out: &mut Vec<String>, code: &str, message: &str) {
        self.shared.refuse();
        self.refused += 1;
        out.push(ServerMsg::Error { code, message }.to_json());
    }

    /// The phone's view, if it changed since the last one sent.
    fn view_update(&mut self) -> Option<String> {
        let id = self.player?;
        let now = self.shared.now();
        let view = self.shared.game().phone_view(id, now);
        let mut key = view.clone();
        if let PhoneView::Question { seconds_left, .. } = &mut key {
            *seconds_left = 0.0;
        }
        if self.last_view.as_ref() == Some(&key) {
            return None;
        }
        self.last_view = Some(key);
        Some(ServerMsg::State { view: &view }.to_json())
    }

    fn handle(&mut self, text: &str, out: &mut Vec<String>) -> Next {
        if text.len() > MAX_MESSAGE_BYTES {
            self.error(
                out,
                "too_big",
                "That message is too long; the page sends short ones",
            );
            return self.verdict();
        }
        let Ok(msg) = serde_json::from_str::<ClientMsg>(text) else {
            self.error(out, "bad_message", "That message was not understood");
            return self.verdict();
        };
        let now = self.shared.now();
        match (msg, self.player) {
            (ClientMsg::Ping, _) => out.push(ServerMsg::Pong.to_json()),
            (ClientMsg::Join { .. } | ClientMsg::Rejoin { .. }, Some(_)) => {
                self.error(out, "already_joined", "This connection has joined already");
            }
            (ClientMsg::Join { pin, name }, None) => {
                let token = random_token();
                let joined = self.shared.game().join(&pin, &name, &token);
                self.joined(joined, &token, out);
            }
            (ClientMsg::Rejoin { pin, token }, None) => {
                let joined = self.shared.game().rejoin(&pin, &token);
                self.joined(joined, &token, out);
            }
            (ClientMsg::Answer { .. }, None) => {
                self.error(out, "not_joined", "Join the game with its PIN first");
            }
            (
                ClientMsg::Answer {
                    question,
                    choice,
                    order,
                },
                Some(id),
            ) => {
                let Some(answer) = ClientMsg::answer(choice, order) else {
                    self.error(out, "invalid_answer", "Send a choice or an order, not both");
                    return self.verdict();
                };
                let result = self.shared.game().answer(id, question, answer, now);
                match result {
                    Ok(()) => {
                        out.push(ServerMsg::Ack { question }.to_json());
                        if let Some(view) = self.view_update() {
                            out.push(view);
                        }
                    }
                    Err(err) => self.error(out, err.code(), &err.to_string()),
                }
            }
        }
        self.verdict()
    }

    fn joined(
        &mut self,
        joined: Result<PlayerId, crate::engine::JoinError>,
        token: &str,
        out: &mut Vec<String>,
    ) {
        match joined {
            Ok(id) => {
                self.player = Some(id);
                let name = self.shared.game().name(id).unwrap_or_default().to_owned();
                out.push(
                    ServerMsg::Welcome {
                        player: id,
                        name: &name,
                        token,
                    }
                    .to_json(),
                );
                self.shared.bump();
                if let Some(view) = self.view_update() {
                    out.push(view);
                }
            }
            Err(err) => {
                if err == crate::engine::JoinError::WrongPin {
                    self.pin_tries += 1;
                }
                self.error(out, err.code(), &err.to_string());
            }
        }
    }

    fn verdict(&self) -> Next {
        if self.pin_tries >= MAX_PIN_TRIES || self.refused >= MAX_REFUSED {
            Next::Close
        } else {
            Next::Stay
        }
    }
}

async fn connection(socket: WebSocket, shared: Arc<Shared>) {
    shared.connections.fetch_add(1, Ordering::Relaxed);
    let (mut sink, mut stream) = socket.split();
    let mut version = shared.version.subscribe();
    let mut stop = shared.shutdown.clone();
    let mut conn = Conn {
        shared: Arc::clone(&shared),
        player: None,
        last_view: None,
        pin_tries: 0,
        refused: 0,
    };
    let mut bucket = Bucket::new();
    let mut out: Vec<String> = Vec::new();
    loop {
        let mut close = false;
        tokio::select! {
            msg = stream.next() => match msg {
                Some(Ok(Message::Text(text))) => {
                    if bucket.take() {
                        close = matches!(conn.handle(text.as_str(), &mut out), Next::Close);
                    } else {
                        conn.error(&mut out, "too_fast", "Too many messages: slow down");
                        close = matches!(conn.verdict(), Next::Close);
                    }
                }
                Some(Ok(Message::Binary(_))) => {
                    conn.error(&mut out, "bad_message", "Send text messages");
                    close = matches!(conn.verdict(), Next::Close);
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_)) | Err(_)) | None => close = true,
            },
            changed = version.changed() => {
                if changed.is_err() {
                    close = true;
                } else if let Some(view) = conn.view_update() {
                    out.push(view);
                }
            }
            _ = stop.wait_for(|s| *s) => close = true,
        }
        if matches!(conn.last_view, Some(PhoneView::Removed)) {
            close = true;
        }
        for text in out.drain(..) {
            if sink.send(Message::text(text)).await.is_err() {
                close = true;
                break;
            }
        }
        if close {
            break;
        }
    }
    let _ = sink.close().await;
    if let Some(id) = conn.player {
        shared.game().disconnect(id);
        shared.bump();
    }
    shared.connections.fetch_sub(1, Ordering::Relaxed);
}
