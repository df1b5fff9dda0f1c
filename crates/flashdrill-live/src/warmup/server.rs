//! The warm-up's server: the game's page, port, limits and runtime, with each phone studying
//! its own student's queue through [`ClassStudy`] (called on tokio's blocking pool).

use std::net::SocketAddr;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::response::Response;
use axum::routing::get;
use chrono::Utc;
use tokio::sync::watch;

use super::board::{Board, WarmupSnapshot};
use super::protocol::{StudyMsg, StudyServerMsg, StudyView, given};
use super::{ClassStudy, Refusal, StudentRef, codes};
use crate::engine::check_pin;
use crate::server::conn::{Phone, Replies, Switchboard};
use crate::server::{
    LiveConfig, LiveError, PHONE_PAGE, ServerThread, page_response, phone_routes, random_pin,
};

/// The longest warm-up.
pub const MAX_WARMUP: Duration = Duration::from_hours(3);
/// Longest saved token a phone may send, in bytes.
const MAX_TOKEN_BYTES: usize = 256;
/// How often the ticker checks whether time is up.
const TICK: Duration = Duration::from_millis(250);

/// The page says which mode it is served in; the warm-up serves it saying `warmup`.
const GAME_MODE: &str = r#"<meta name="flashdrill-mode" content="game">"#;
const WARMUP_MODE: &str = r#"<meta name="flashdrill-mode" content="warmup">"#;
static WARMUP_PAGE: LazyLock<String> =
    LazyLock::new(|| PHONE_PAGE.replacen(GAME_MODE, WARMUP_MODE, 1));

struct Shared {
    pin: String,
    study: Arc<dyn ClassStudy>,
    board: Mutex<Board>,
    epoch: Instant,
    length: Duration,
    over: AtomicBool,
    /// The phones' connections; bumped when they must look again (the warm-up ended).
    phones: Switchboard,
}

impl Shared {
    fn now(&self) -> f64 {
        self.epoch.elapsed().as_secs_f64()
    }

    fn board(&self) -> MutexGuard<'_, Board> {
        self.board.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn is_over(&self) -> bool {
        self.over.load(Ordering::Acquire)
    }

    /// Ends the warm-up; false when it had ended already.
    fn end(&self) -> bool {
        let ended = !self.over.swap(true, Ordering::AcqRel);
        if ended {
            self.phones.bump();
        }
        ended
    }

    /// Ends the warm-up when its time is up (and then stops ticking); called every [`TICK`].
    fn tick(&self) -> ControlFlow<()> {
        if self.epoch.elapsed() >= self.length {
            self.end();
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }

    /// Calls the class's store on the blocking pool.
    async fn study<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn ClassStudy) -> Result<T, Refusal> + Send + 'static,
    ) -> Result<T, Refusal> {
        let study = Arc::clone(&self.study);
        tokio::task::spawn_blocking(move || call(&*study))
            .await
            .unwrap_or_else(|_| {
                Err(Refusal::new(
                    "internal",
                    "The teacher's computer could not do that: try again",
                ))
            })
    }
}

/// A spaced warm-up being served: each phone studies its own student's queue for the
/// warm-up's length. Dropping it stops the server.
pub struct LiveWarmup {
    shared: Arc<Shared>,
    server: ServerThread,
}

impl std::fmt::Debug for LiveWarmup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveWarmup")
            .field("addr", &self.server.local_addr())
            .field("join_url", &self.server.join_url())
            .finish_non_exhaustive()
    }
}

impl LiveWarmup {
    /// Starts serving a warm-up of `length` over the class `study`, on the port, address and
    /// PIN of `config` (its countdown and auto-advance are the game's and do not apply). The
    /// clock starts now: students join and study at once; after `length` (or
    /// [`Self::end`]) each phone gets its summary.
    pub fn start(
        config: &LiveConfig,
        study: Arc<dyn ClassStudy>,
        length: Duration,
    ) -> Result<Self, LiveError> {
        if length.is_zero() || length > MAX_WARMUP {
            return Err(LiveError::WarmupLength(length.as_secs()));
        }
        let pin = config.pin.clone().unwrap_or_else(random_pin);
        check_pin(&pin)?;
        let (stop, shutdown) = watch::channel(false);
        let shared = Arc::new(Shared {
            pin,
            study,
            board: Mutex::new(Board::default()),
            epoch: Instant::now(),
            length,
            over: AtomicBool::new(false),
            phones: Switchboard::new(shutdown),
        });
        let app = phone_routes::<Conn>(get(page), Arc::clone(&shared));
        let ticking = Arc::clone(&shared);
        let server = ServerThread::start(config, stop, app, TICK, move || ticking.tick())?;
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

    /// The join address with the PIN in it (`…/?pin=482913`), for the QR code: a phone that
    /// scans it fills in the PIN, and one that kept its student's token rejoins at once.
    #[must_use]
    pub fn qr_url(&self) -> String {
        format!("{}?pin={}", self.join_url(), self.shared.pin)
    }

    #[must_use]
    pub fn pin(&self) -> &str {
        &self.shared.pin
    }

    /// Everything the projector shows; cheap enough to call every frame.
    #[must_use]
    pub fn snapshot(&self) -> WarmupSnapshot {
        let now = self.shared.now();
        let left = self.shared.length.as_secs_f64() - now;
        let mut snap = self
            .shared
            .board()
            .snapshot(now, left, self.shared.is_over());
        snap.refused = self.shared.phones.refused();
        snap.connections = self.shared.phones.connections();
        snap
    }

    /// Ends the warm-up now: each phone gets its summary (answers already sent are still
    /// committed and acknowledged). False when it had ended already.
    #[must_use = "false when the warm-up had ended already"]
    pub fn end(&self) -> bool {
        self.shared.end()
    }

    /// Stops the server and waits for its thread.
    pub fn stop(mut self) {
        self.server.stop();
    }

    /// Stops listening (the phones are disconnected) but keeps the counts readable. Does
    /// nothing when already stopped.
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
    page_response(WARMUP_PAGE.as_str())
}

/// One phone's connection.
struct Conn {
    shared: Arc<Shared>,
    student: Option<StudentRef>,
    /// The card this phone was last handed, not yet answered.
    card: Option<String>,
    /// The summary was sent.
    finished: bool,
    /// The phone is owed its card now: fetched after what is in hand was sent, so an
    /// acknowledgement never waits for the next card.
    needs_card: bool,
}

impl Conn {
    /// Sends the student's summary (once).
    fn finish(&mut self, out: &mut Replies<'_>) {
        let Some(student) = &self.student else {
            return;
        };
        let (answered, right) = {
            let mut board = self.shared.board();
            board.done(&student.id);
            board.summary(&student.id)
        };
        self.card = None;
        self.finished = true;
        let view = StudyView::Finished { answered, right };
        out.push(StudyServerMsg::State { view: &view }.to_json());
    }

    /// Sends the student's card now, or their summary when time is up or nothing is left.
    async fn send_card(&mut self, out: &mut Replies<'_>) {
        let Some(student) = self.student.clone() else {
            return;
        };
        if self.shared.is_over() {
            self.finish(out);
            return;
        }
        let id = student.id.clone();
        match self
            .shared
            .study(move |s| s.next_card(&id, Utc::now()))
            .await
        {
            Ok(Some(card)) => {
                self.shared.board().shown(&student.id, &card);
                self.card = Some(card.id.clone());
                self.finished = false;
                let view = StudyView::study(card);
                out.push(StudyServerMsg::State { view: &view }.to_json());
            }
            Ok(None) => self.finish(out),
            Err(refusal) => out.error(&refusal.code, &refusal.message),
        }
    }

    fn pin_ok(&mut self, pin: &str, out: &mut Replies<'_>) -> bool {
        if pin.trim() == self.shared.pin {
            return true;
        }
        out.wrong_pin();
        out.error(
            "wrong_pin",
            "That is not the PIN: check the PIN on the projector",
        );
        false
    }

    fn joined(&mut self, found: Result<StudentRef, Refusal>, out: &mut Replies<'_>) {
        match found {
            Ok(student) => {
                self.shared.board().join(&student, self.shared.now());
                out.push(
                    StudyServerMsg::Welcome {
                        name: &student.name,
                        token: &student.token,
                    }
                    .to_json(),
                );
                self.student = Some(student);
                self.needs_card = true;
            }
            Err(refusal) => out.error(&refusal.code, &refusal.message),
        }
    }

    async fn answer(
        &mut self,
        card: String,
        id: String,
        given: Result<super::Given, super::protocol::BadAnswer>,
        out: &mut Replies<'_>,
    ) {
        let given = match given {
            Ok(g) => g,
            Err(bad) => {
                out.error(codes::INVALID_ANSWER, bad.message());
                return;
            }
        };
        let Some(student) = self.student.clone() else {
            return;
        };
        let (who, what) = (student.id.clone(), card.clone());
        let result = self
            .shared
            .study(move |s| s.answer(&who, &what, &id, &given, Utc::now()))
            .await;
        match result {
            Ok(ack) => {
                let now = self.shared.now();
                self.shared
                    .board()
                    .record(&student.id, &card, &ack.id, ack.right, now);
                out.push(StudyServerMsg::ack(&card, &ack).to_json());
                if self.card.as_deref() == Some(card.as_str()) {
                    self.card = None;
                }
                self.needs_card = true;
            }
            Err(refusal) => {
                out.error(&refusal.code, &refusal.message);
                if refusal.code == codes::NOT_IN_QUEUE {
                    // The phone is out of step (an old card): show it the card it has now.
                    self.needs_card = true;
                }
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
    type Msg = StudyMsg;

    fn new(shared: Arc<Shared>) -> Self {
        Self {
            shared,
            student: None,
            card: None,
            finished: false,
            needs_card: false,
        }
    }

    async fn message(&mut self, msg: StudyMsg, out: &mut Replies<'_>) {
        match (msg, self.student.is_some()) {
            (StudyMsg::Ping, _) => out.push(StudyServerMsg::Pong.to_json()),
            (StudyMsg::Join { .. } | StudyMsg::Rejoin { .. }, true) => {
                out.error("already_joined", "This connection has joined already");
            }
            (StudyMsg::Join { pin, name }, false) => {
                if self.pin_ok(&pin, out) {
                    if name.trim().is_empty() {
                        out.error("empty_name", "Type your name as on the class list");
                    } else {
                        let found = self.shared.study(move |s| s.find_student(&name)).await;
                        self.joined(found, out);
                    }
                }
            }
            (StudyMsg::Rejoin { pin, token }, false) => {
                if self.pin_ok(&pin, out) {
                    let found = if token.is_empty() || token.len() > MAX_TOKEN_BYTES {
                        Err(Refusal::new(
                            codes::UNKNOWN_TOKEN,
                            "This phone's place in the class was not found: type your name",
                        ))
                    } else {
                        self.shared.study(move |s| s.student_by_token(&token)).await
                    };
                    self.joined(found, out);
                }
            }
            (StudyMsg::Answer { .. }, false) => {
                out.error("not_joined", "Join with the PIN and your name first");
            }
            (
                StudyMsg::Answer {
                    card,
                    id,
                    choice,
                    text,
                    order,
                },
                true,
            ) => {
                let checked = given(&id, &card, choice, text, order);
                self.answer(card, id, checked, out).await;
            }
        }
    }

    /// When the warm-up ends, each phone that joined gets its summary.
    async fn changed(&mut self, out: &mut Replies<'_>) {
        if self.shared.is_over() && self.student.is_some() && !self.finished {
            self.finish(out);
        }
    }

    async fn after_sent(&mut self, out: &mut Replies<'_>) {
        if std::mem::take(&mut self.needs_card) {
            self.send_card(out).await;
        }
    }

    fn closed(&mut self) {
        if let Some(student) = &self.student {
            self.shared.board().leave(&student.id);
        }
    }
}
