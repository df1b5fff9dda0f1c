//! The game server: axum with websockets on a tokio runtime on its own thread, and the
//! [`LiveGame`] handle the app (or `flashdrill host`) holds: a snapshot to poll each frame,
//! commands to send. The timer is kept here: a ticker reveals a question when its time is up
//! or everyone answered, and (with [`AutoAdvance`]) moves the game on by itself.

pub(crate) mod conn;
mod thread;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use flashdrill_core::drill::{LogEntry, Question};
use tokio::sync::watch;

use crate::engine::{Game, GameError, PhoneView, PlayerId, Snapshot};
use crate::protocol::{ClientMsg, ServerMsg};
use conn::{Phone, Replies, Switchboard};
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
/// messages between [`MAX_MESSAGE_BYTES`](crate::protocol::MAX_MESSAGE_BYTES) and this are
/// answered with `too_big`.
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
    /// The phones' connections; bumped at every change they must see (phase, players,
    /// removal).
    phones: Switchboard,
    auto: Option<AutoAdvance>,
}

impl Shared {
    fn now(&self) -> f64 {
        self.epoch.elapsed().as_secs_f64()
    }

    fn game(&self) -> MutexGuard<'_, Game> {
        self.game.lock().unwrap_or_else(PoisonError::into_inner)
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
            self.phones.bump();
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
        let (stop, shutdown) = watch::channel(false);
        let shared = Arc::new(Shared {
            game: Mutex::new(game),
            epoch: Instant::now(),
            phones: Switchboard::new(shutdown),
            auto: config.auto,
        });
        let app = phone_routes::<Conn>(get(page), Arc::clone(&shared));
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
            refused: self.shared.phones.refused(),
            connections: self.shared.phones.connections(),
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
            self.shared.phones.bump();
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

/// What a phone may ask for: the `page` at `/`, the websocket at `/ws` served as a `P`,
/// nothing else (404).
pub(crate) fn phone_routes<P: Phone>(
    page: MethodRouter<Arc<P::Server>>,
    server: Arc<P::Server>,
) -> Router {
    Router::new()
        .route("/", page)
        .route("/ws", get(conn::upgrade::<P>))
        .fallback(not_found)
        .with_state(server)
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not found").into_response()
}

/// One phone's connection.
struct Conn {
    shared: Arc<Shared>,
    player: Option<PlayerId>,
    /// The last view sent, without its countdown (sent again only when it changes).
    last_view: Option<PhoneView>,
}

impl Conn {
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

    fn joined(
        &mut self,
        joined: Result<PlayerId, crate::engine::JoinError>,
        token: &str,
        out: &mut Replies<'_>,
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
                self.shared.phones.bump();
                if let Some(view) = self.view_update() {
                    out.push(view);
                }
            }
            Err(err) => {
                if err == crate::engine::JoinError::WrongPin {
                    out.wrong_pin();
                }
                out.error(err.code(), &err.to_string());
            }
        }
    }
}

impl AsRef<Switchboard> for Shared {
    fn as_ref(&self) -> &Switchboard {
        &self.phones
    }
}

impl Phone for Conn {
    type Server = Shared;
    type Msg = ClientMsg;

    fn new(shared: Arc<Shared>) -> Self {
        Self {
            shared,
            player: None,
            last_view: None,
        }
    }

    async fn message(&mut self, msg: ClientMsg, out: &mut Replies<'_>) {
        let now = self.shared.now();
        match (msg, self.player) {
            (ClientMsg::Ping, _) => out.push(ServerMsg::Pong.to_json()),
            (ClientMsg::Join { .. } | ClientMsg::Rejoin { .. }, Some(_)) => {
                out.error("already_joined", "This connection has joined already");
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
                out.error("not_joined", "Join the game with its PIN first");
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
                    out.error("invalid_answer", "Send a choice or an order, not both");
                    return;
                };
                let result = self.shared.game().answer(id, question, answer, now);
                match result {
                    Ok(()) => {
                        out.push(ServerMsg::Ack { question }.to_json());
                        if let Some(view) = self.view_update() {
                            out.push(view);
                        }
                    }
                    Err(err) => out.error(err.code(), &err.to_string()),
                }
            }
        }
    }

    async fn changed(&mut self, out: &mut Replies<'_>) {
        if let Some(view) = self.view_update() {
            out.push(view);
        }
    }

    /// A removed player's phone is told, then disconnected.
    fn is_done(&self) -> bool {
        matches!(self.last_view, Some(PhoneView::Removed))
    }

    fn closed(&mut self) {
        if let Some(id) = self.player {
            self.shared.game().disconnect(id);
            self.shared.phones.bump();
        }
    }
}
