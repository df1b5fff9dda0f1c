//! The server thread the game and the warm-up both run on: the port bound, axum on a tokio
//! runtime of its own on a thread of its own with a ticker beside it, and stopping them (at
//! the latest when dropped).

use std::future::Future;
use std::net::{SocketAddr, TcpListener};
use std::ops::ControlFlow;
use std::thread::JoinHandle;
use std::time::Duration;

use axum::Router;
use tokio::sync::watch;

use super::{LiveConfig, LiveError};

/// A server being served on a thread of its own. Dropping it stops the server and waits for
/// its thread.
pub(crate) struct ServerThread {
    addr: SocketAddr,
    join_url: String,
    /// Set to `true` to stop: the server, its connections and its ticker all watch it.
    shutdown: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl ServerThread {
    /// Binds the port `config` names (an error names it when taken), then serves `app` on its
    /// own thread, calling `tick` beside it every `period` until it breaks. Setting `shutdown`
    /// to `true` (as [`Self::stop`] does) ends the server gracefully and the ticking; the
    /// connections watch its receivers to end too.
    pub(crate) fn start(
        config: &LiveConfig,
        shutdown: watch::Sender<bool>,
        app: Router,
        period: Duration,
        tick: impl FnMut() -> ControlFlow<()> + Send + 'static,
    ) -> Result<Self, LiveError> {
        let (listener, addr, join_url) = listen(config)?;
        let ticker = ticker(period, shutdown.subscribe(), tick);
        let thread = run_on_thread(serve(listener, app, ticker, shutdown.subscribe()))?;
        Ok(Self {
            addr,
            join_url,
            shutdown,
            thread: Some(thread),
        })
    }

    /// The address the server listens on.
    pub(crate) fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<LAN address>:<port>/`, for the projector and the QR code.
    pub(crate) fn join_url(&self) -> &str {
        &self.join_url
    }

    /// Stops the server (the phones are disconnected) and waits for its thread. Does nothing
    /// when already stopped.
    pub(crate) fn stop(&mut self) {
        self.shutdown.send_replace(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Whether the server still listens (false after [`Self::stop`]).
    pub(crate) fn is_listening(&self) -> bool {
        self.thread.is_some()
    }
}

impl Drop for ServerThread {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Binds the port `config` names (an error names it when taken) and makes the join address.
fn listen(config: &LiveConfig) -> Result<(TcpListener, SocketAddr, String), LiveError> {
    let listener = TcpListener::bind((config.bind, config.port)).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AddrInUse {
            LiveError::PortTaken(config.port)
        } else {
            LiveError::Bind {
                port: config.port,
                source,
            }
        }
    })?;
    listener.set_nonblocking(true).map_err(LiveError::Runtime)?;
    let addr = listener.local_addr().map_err(LiveError::Runtime)?;
    let host = if config.bind.is_unspecified() {
        crate::lan::lan_address()
    } else {
        config.bind
    };
    let join_url = crate::lan::join_url(host, addr.port());
    Ok((listener, addr, join_url))
}

/// Runs `server` on a tokio runtime of its own (two workers) on a thread of its own.
fn run_on_thread(
    server: impl Future<Output = ()> + Send + 'static,
) -> Result<JoinHandle<()>, LiveError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("flashdrill-live")
        .enable_all()
        .build()
        .map_err(LiveError::Runtime)?;
    std::thread::Builder::new()
        .name("flashdrill-live-server".into())
        .spawn(move || runtime.block_on(server))
        .map_err(LiveError::Runtime)
}

/// Serves `app` on `listener` with `ticker` beside it until `stop` turns `true`.
async fn serve(
    listener: TcpListener,
    app: Router,
    ticker: impl Future<Output = ()> + Send + 'static,
    mut stop: watch::Receiver<bool>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    tokio::spawn(ticker);
    let _ = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = stop.wait_for(|s| *s).await;
        })
        .await;
}

/// Calls `tick` every `period` (late ticks are not made up) until it breaks or `stop` turns
/// `true`.
async fn ticker(
    period: Duration,
    mut stop: watch::Receiver<bool>,
    mut tick: impl FnMut() -> ControlFlow<()>,
) {
    let mut interval = tokio::time::interval(period);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = interval.tick() => {}
            _ = stop.wait_for(|s| *s) => return,
        }
        if tick().is_break() {
            return;
        }
    }
}
