//! What the live crate's integration tests share: waiting for a condition, not for a fixed time.

use std::time::Duration;

use tokio::time::Instant;

/// How long to wait between two checks.
const POLL: Duration = Duration::from_millis(20);

/// Checks `done` until it holds: `true` as soon as it does, `false` if it still does not after
/// `timeout`.
pub async fn poll_until(timeout: Duration, mut done: impl AsyncFnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if done().await {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(POLL).await;
    }
}
