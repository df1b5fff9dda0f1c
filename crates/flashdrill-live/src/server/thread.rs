//! The server thread the game and the warm-up both run on: the port bound, axum on a tokio
//! runtime of its own on a thread of its own, and stopping it (at the latest when dropped).

use std::future::Future;
use std::net::{SocketAddr, TcpListener};
use std::thread::JoinHandle;

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
    /// own thread, with `ticker` running beside it. Setting `shutdown` to `true` (as
    /// [`Self::stop`] does) ends the server gracefully; the connections and the ticker watch
    /// its receivers to end too.
    pub(crate) fn start(
        config: &LiveConfig,
        shutdown: watch::Sender<bool>,
        app: Router,
        ticker: impl Future<Output = ()> + Send + 'static,
    ) -> Result<Self, LiveError> {
        let (listener, addr, join_url) = listen(config)?;
        let stop = shutdown.subscribe();
        let thread = run_on_thread(serve(listener, app, ticker, stop))?;
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
