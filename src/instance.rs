//! One window per data directory: a second `flashdrill FILE…` (a double-click on a file while
//! the app runs) hands its files to the running window, which raises itself and imports them,
//! instead of opening a second window on the same profile.
//!
//! The running app listens on a Unix socket named after its data directory, in the user's
//! runtime directory (`$XDG_RUNTIME_DIR`, private to the user; else the temporary folder, the
//! socket itself private). A message is one line of JSON, `{"open": ["/abs/path", …]}`,
//! answered `ok` once the files are queued. Anything else is refused and logged; nothing a
//! message says is trusted beyond "import these files", and only files that exist are taken.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The largest message read (a few thousand paths).
const MAX_MESSAGE: u64 = 256 * 1024;
/// How long either side waits for the other.
const PATIENCE: Duration = Duration::from_secs(3);

/// What a second start sends the running window.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Message {
    open: Vec<PathBuf>,
}

/// What later starts handed over, waiting for the window to take it.
#[derive(Debug, Default)]
struct Queue {
    files: Vec<PathBuf>,
    /// A later start asked for the window (so it should come to the front).
    raise: bool,
    /// The window's context, to wake it.
    ctx: Option<egui::Context>,
}

/// Files handed over by later starts, shared by the listening thread and the window.
#[derive(Debug, Clone, Default)]
pub struct Handed(Arc<Mutex<Queue>>);

impl Handed {
    /// The files handed over since the last call, and whether a later start asked for the
    /// window (so it should come to the front).
    #[must_use]
    pub fn take(&self) -> (Vec<PathBuf>, bool) {
        self.0.lock().map_or_else(
            |_| (Vec::new(), false),
            |mut q| (std::mem::take(&mut q.files), std::mem::take(&mut q.raise)),
        )
    }

    /// The window's context, so a handing-over wakes it.
    pub fn set_context(&self, ctx: &egui::Context) {
        if let Ok(mut q) = self.0.lock()
            && q.ctx.is_none()
        {
            q.ctx = Some(ctx.clone());
        }
    }

    fn push(&self, files: Vec<PathBuf>) {
        if let Ok(mut q) = self.0.lock() {
            q.files.extend(files);
            q.raise = true;
            if let Some(ctx) = &q.ctx {
                ctx.request_repaint();
            }
        }
    }
}

/// How this start went.
#[derive(Debug)]
pub enum Claim {
    /// No window runs on this data directory: this start opens one, and listens.
    First(Listener),
    /// A window runs and took the files.
    HandedOver,
}

/// The running window's end: removes its socket when dropped.
#[derive(Debug)]
pub struct Listener {
    path: Option<PathBuf>,
    handed: Handed,
}

impl Listener {
    /// The queue later starts hand files to.
    #[must_use]
    pub fn handed(&self) -> Handed {
        self.handed.clone()
    }

    /// A listener that hears nothing (where sockets are not available, or for tests).
    #[must_use]
    pub fn deaf() -> Self {
        Self {
            path: None,
            handed: Handed::default(),
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The socket of the window on `data_dir`, in `runtime_dir`.
#[must_use]
pub fn socket_path(runtime_dir: &Path, data_dir: &Path) -> PathBuf {
    let dir = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    // FNV-1a of the path: short (a socket path must fit in 108 bytes) and stable.
    let hash = dir
        .as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    runtime_dir.join(format!("flashdrill-{hash:016x}.sock"))
}

/// The user's runtime directory: `$XDG_RUNTIME_DIR` when it is a folder, else the temporary
/// folder.
#[must_use]
pub fn runtime_dir() -> PathBuf {
    std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|d| d.is_dir())
        .unwrap_or_else(std::env::temp_dir)
}

/// Hands `files` to a window already running on `data_dir`, or, when none runs, starts
/// listening for later starts. Files are made absolute first (the running window has its own
/// working folder).
#[must_use]
pub fn claim(runtime_dir: &Path, data_dir: &Path, files: &[PathBuf]) -> Claim {
    let files: Vec<PathBuf> = files
        .iter()
        .map(|f| std::path::absolute(f).unwrap_or_else(|_| f.clone()))
        .collect();
    imp::claim(&socket_path(runtime_dir, data_dir), &files)
}

#[cfg(unix)]
mod imp {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    use std::os::unix::net::{UnixListener, UnixStream};
    use std::path::{Path, PathBuf};

    use super::{Claim, Handed, Listener, MAX_MESSAGE, Message, PATIENCE};

    pub(super) fn claim(path: &Path, files: &[PathBuf]) -> Claim {
        for _ in 0..2 {
            match hand_over(path, files) {
                Ok(()) => return Claim::HandedOver,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                    // A window that stopped without removing its socket.
                    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket()) {
                        let _ = std::fs::remove_file(path);
                    }
                }
                Err(e) => {
                    eprintln!(
                        "flashdrill: the running window did not take the files ({e}); \
                         opening another"
                    );
                    return Claim::First(Listener::deaf());
                }
            }
            match UnixListener::bind(path) {
                Ok(listener) => {
                    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
                    return Claim::First(listen(listener, path));
                }
                // Another start bound it between our two tries: hand over to it.
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {}
                Err(e) => {
                    eprintln!(
                        "flashdrill: cannot listen for files opened later ({}: {e})",
                        path.display()
                    );
                    return Claim::First(Listener::deaf());
                }
            }
        }
        Claim::First(Listener::deaf())
    }

    fn hand_over(path: &Path, files: &[PathBuf]) -> std::io::Result<()> {
        let mut stream = UnixStream::connect(path)?;
        stream.set_read_timeout(Some(PATIENCE))?;
        stream.set_write_timeout(Some(PATIENCE))?;
        let mut line = serde_json::to_string(&Message {
            open: files.to_vec(),
        })
        .map_err(std::io::Error::other)?;
        line.push('\n');
        stream.write_all(line.as_bytes())?;
        let mut answer = String::new();
        BufReader::new(stream.take(64)).read_line(&mut answer)?;
        if answer.trim() == "ok" {
            Ok(())
        } else {
            Err(std::io::Error::other(format!(
                "it answered {:?}",
                answer.trim()
            )))
        }
    }

    fn listen(listener: UnixListener, path: &Path) -> Listener {
        let handed = Handed::default();
        let queue = handed.clone();
        let spawned = std::thread::Builder::new()
            .name("flashdrill-instance".to_owned())
            .spawn(move || {
                for stream in listener.incoming() {
                    match stream {
                        Ok(stream) => serve(&stream, &queue),
                        Err(e) => eprintln!("flashdrill: a later start could not connect: {e}"),
                    }
                }
            });
        Listener {
            path: spawned.is_ok().then(|| path.to_path_buf()),
            handed,
        }
    }

    /// Reads one message; queues the files it names that exist; answers `ok`, or says why not.
    fn serve(stream: &UnixStream, queue: &Handed) {
        let _ = stream.set_read_timeout(Some(PATIENCE));
        let _ = stream.set_write_timeout(Some(PATIENCE));
        let mut line = String::new();
        let read = stream
            .try_clone()
            .and_then(|s| BufReader::new(s.take(MAX_MESSAGE)).read_line(&mut line));
        let answer = match read {
            Err(e) => format!("error: could not read the message: {e}"),
            Ok(_) if !line.ends_with('\n') => {
                "error: the message is not one line of at most 256 KiB".to_owned()
            }
            Ok(_) => match serde_json::from_str::<Message>(&line) {
                Ok(message) => {
                    let files: Vec<PathBuf> = message
                        .open
                        .into_iter()
                        .filter(|f| f.is_absolute() && f.is_file())
                        .collect();
                    queue.push(files);
                    "ok".to_owned()
                }
                Err(e) => format!("error: not a message flashdrill understands: {e}"),
            },
        };
        if answer != "ok" {
            eprintln!("flashdrill: refused a message from a later start: {answer}");
        }
        let mut out = stream;
        let _ = out.write_all(format!("{answer}\n").as_bytes());
    }
}

#[cfg(not(unix))]
mod imp {
    use std::path::{Path, PathBuf};

    use super::{Claim, Listener};

    /// Without Unix sockets every start opens its own window.
    pub(super) fn claim(_path: &Path, _files: &[PathBuf]) -> Claim {
        Claim::First(Listener::deaf())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::io::{BufRead, BufReader, Write};
    use std::os::unix::net::UnixStream;

    use super::*;

    fn wait_for(handed: &Handed) -> Vec<PathBuf> {
        for _ in 0..200 {
            let (files, raise) = handed.take();
            if raise {
                return files;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("nothing was handed over");
    }

    #[test]
    fn a_second_start_hands_its_files_to_the_first() {
        let run = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let file = data.path().join("deck.apkg");
        std::fs::write(&file, b"x").unwrap();
        let Claim::First(listener) = claim(run.path(), data.path(), &[]) else {
            panic!("the first start opens the window");
        };
        let handed = listener.handed();
        assert!(matches!(
            claim(run.path(), data.path(), std::slice::from_ref(&file)),
            Claim::HandedOver
        ));
        assert_eq!(wait_for(&handed), vec![file]);
        // A start with no files only raises the window.
        assert!(matches!(
            claim(run.path(), data.path(), &[]),
            Claim::HandedOver
        ));
        assert!(wait_for(&handed).is_empty());
        // Another data directory is another window.
        let other = tempfile::tempdir().unwrap();
        assert!(matches!(
            claim(run.path(), other.path(), &[]),
            Claim::First(_)
        ));
        // Gone with the window.
        let socket = socket_path(run.path(), data.path());
        assert!(socket.exists());
        drop(listener);
        assert!(!socket.exists());
    }

    #[test]
    fn a_socket_left_by_a_stopped_window_is_taken_over() {
        let run = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let socket = socket_path(run.path(), data.path());
        drop(std::os::unix::net::UnixListener::bind(&socket).unwrap());
        assert!(socket.exists(), "a stale socket, nobody listening");
        assert!(matches!(
            claim(run.path(), data.path(), &[]),
            Claim::First(_)
        ));
    }

    #[test]
    fn junk_is_refused_and_missing_files_are_dropped() {
        let run = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let Claim::First(listener) = claim(run.path(), data.path(), &[]) else {
            panic!("the first start opens the window");
        };
        let handed = listener.handed();
        let socket = socket_path(run.path(), data.path());
        let ask = |bytes: &[u8]| {
            let mut s = UnixStream::connect(&socket).unwrap();
            s.write_all(bytes).unwrap();
            s.shutdown(std::net::Shutdown::Write).unwrap();
            let mut answer = String::new();
            BufReader::new(s).read_line(&mut answer).unwrap();
            answer
        };
        assert!(ask(b"\xff\xfe not json\n").starts_with("error: "));
        assert!(ask(b"{\"open\": [\"/x\"], \"run\": \"rm\"}\n").starts_with("error: "));
        assert!(
            ask(b"{\"open\": [\"/x\"]}").starts_with("error: "),
            "no newline"
        );
        assert!(handed.take().0.is_empty());
        let answer = ask(b"{\"open\": [\"relative.apkg\", \"/no/such/file.apkg\"]}\n");
        assert_eq!(answer, "ok\n");
        assert!(wait_for(&handed).is_empty(), "neither exists");
    }
}
