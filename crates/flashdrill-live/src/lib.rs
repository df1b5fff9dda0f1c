//! flashdrill's live class: students answer the class drill on their own phones over the
//! classroom's network. The laptop runs a small web server (axum with websockets on a tokio
//! runtime on its own thread) that serves one self-contained page and the game.
//!
//! - [`engine`]: the game, pure (joining, answers, points, streaks, the leaderboard);
//! - [`server`]: the server and the [`LiveGame`] handle the app polls and commands;
//! - [`protocol`]: the websocket messages (documented in docs/live-class.md);
//! - [`questions`]: a live game's questions from decks, and logging its answers;
//! - [`warmup`]: the spaced warm-up, each phone studying its own student's queue through
//!   [`ClassStudy`] (the class's store), and its projector snapshot;
//! - [`results`], [`qr`], [`lan`]: the results CSV, the join QR code, the join address.
//!
//! No GUI crate is in this crate's dependency tree.

pub mod engine;
pub mod lan;
pub mod protocol;
pub mod qr;
pub mod questions;
pub mod results;
pub mod server;
pub mod warmup;

pub use engine::{Answer, Game, Phase, PhoneView, PlayerId, Snapshot};
pub use qr::qr_matrix;
pub use server::{AutoAdvance, Command, LiveConfig, LiveError, LiveGame, LiveSnapshot};
pub use warmup::{ClassStudy, LiveWarmup, WarmupSnapshot};
