//! Background work in one small type: a [`Job`] runs a closure on a thread (the app) or at once
//! (tests and screenshots, [`Jobs::immediate`]), and the screen that started it polls it once a
//! frame. Loading decks, file dialogs, the browser's table, statistics, reports and saving drill
//! results all go through it. Long work reports progress and a stage name, and can be asked to
//! stop ([`Job::cancel`]; the work reads [`Progress::cancel_flag`]).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};

/// How jobs run: on threads, waking the window when they finish, or at once.
#[derive(Clone, Default)]
pub struct Jobs {
    background: bool,
    /// The window to wake when a background job finishes or reports progress.
    repaint: Option<egui::Context>,
}

impl std::fmt::Debug for Jobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jobs")
            .field("background", &self.background)
            .finish_non_exhaustive()
    }
}

impl Jobs {
    /// Jobs on threads (the app).
    #[must_use]
    pub fn background() -> Self {
        Self {
            background: true,
            repaint: None,
        }
    }

    /// Jobs run at once on the caller's thread (tests, screenshots, benches).
    #[must_use]
    pub fn immediate() -> Self {
        Self::default()
    }

    #[must_use]
    pub fn is_background(&self) -> bool {
        self.background
    }

    /// The window to wake when background work is done.
    pub fn set_context(&mut self, ctx: &egui::Context) {
        if self.repaint.is_none() {
            self.repaint = Some(ctx.clone());
        }
    }

    /// Runs `work` as this runner does.
    pub fn spawn<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Job<T> {
        self.spawn_with_progress(move |_| work())
    }

    /// Runs `work`, which may report how far it got (`Progress::report`).
    pub fn spawn_with_progress<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
    ) -> Job<T> {
        let progress = Arc::new(Progress::new(self.repaint.clone()));
        if !self.background {
            let value = work(&progress);
            return Job {
                state: State::Ready(value),
                progress,
            };
        }
        let (tx, rx) = channel();
        let shared = Arc::clone(&progress);
        let repaint = self.repaint.clone();
        std::thread::spawn(move || {
            let value = work(&shared);
            let _ = tx.send(value);
            if let Some(ctx) = repaint {
                ctx.request_repaint();
            }
        });
        Job {
            state: State::Running(rx),
            progress,
        }
    }
}

/// How far a job got, reported from its thread, and whether it was asked to stop.
#[derive(Debug)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
    /// What the job is doing now ("Fitting", …), for a progress bar's text.
    stage: Mutex<String>,
    cancel: AtomicBool,
    repaint: Option<egui::Context>,
}

impl Progress {
    fn new(repaint: Option<egui::Context>) -> Self {
        Self {
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
            stage: Mutex::new(String::new()),
            cancel: AtomicBool::new(false),
            repaint,
        }
    }

    /// Names what the job does now; the next [`Progress::report`] shows it.
    pub fn set_stage(&self, stage: impl Into<String>) {
        *self
            .stage
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = stage.into();
    }

    /// Set once [`Job::cancel`] was called: the work should stop soon.
    #[must_use]
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }

    /// `done` of `total` steps are done; wakes the window to show it.
    pub fn report(&self, done: usize, total: usize) {
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        if let Some(ctx) = &self.repaint {
            ctx.request_repaint();
        }
    }
}

enum State<T> {
    Running(Receiver<T>),
    Ready(T),
    Taken,
}

/// Work under way, or done and waiting to be taken.
pub struct Job<T> {
    state: State<T>,
    progress: Arc<Progress>,
}

impl<T> std::fmt::Debug for Job<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.state {
            State::Running(_) => "running",
            State::Ready(_) => "ready",
            State::Taken => "taken",
        };
        f.debug_struct("Job")
            .field("state", &state)
            .field("progress", &self.progress())
            .finish()
    }
}

/// A job's thread ended without a result (it panicked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lost;

impl<T> Job<T> {
    /// A job whose result is already known.
    #[must_use]
    pub fn ready(value: T) -> Self {
        Self {
            state: State::Ready(value),
            progress: Arc::new(Progress::new(None)),
        }
    }

    /// A job whose result is given later through the sender, by whoever holds it (the shell
    /// answering a file question with a typed path); a sender dropped unused loses the job.
    #[must_use]
    pub fn answered_later() -> (Self, std::sync::mpsc::Sender<T>) {
        let (tx, rx) = channel();
        let job = Self {
            state: State::Running(rx),
            progress: Arc::new(Progress::new(None)),
        };
        (job, tx)
    }

    /// The result once it is there (taken: later polls say `None`), or why it never will be.
    pub fn poll(&mut self) -> Option<Result<T, Lost>> {
        if let State::Running(rx) = &self.state {
            match rx.try_recv() {
                Ok(value) => self.state = State::Ready(value),
                Err(TryRecvError::Empty) => return None,
                Err(TryRecvError::Disconnected) => {
                    self.state = State::Taken;
                    return Some(Err(Lost));
                }
            }
        }
        match std::mem::replace(&mut self.state, State::Taken) {
            State::Ready(value) => Some(Ok(value)),
            other => {
                self.state = other;
                None
            }
        }
    }

    /// Blocks until the result is there (for the window closing, never a frame).
    pub fn wait(self) -> Result<T, Lost> {
        match self.state {
            State::Running(rx) => rx.recv().map_err(|_| Lost),
            State::Ready(value) => Ok(value),
            State::Taken => Err(Lost),
        }
    }

    /// Asks the work to stop (it reads [`Progress::cancel_flag`]); its result still arrives.
    pub fn cancel(&self) {
        self.progress.cancel.store(true, Ordering::Relaxed);
    }

    /// The stage last named by the work ("" before any).
    #[must_use]
    pub fn stage(&self) -> String {
        self.progress
            .stage
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Steps done and in all, as last reported.
    #[must_use]
    pub fn progress(&self) -> (usize, usize) {
        (
            self.progress.done.load(Ordering::Relaxed),
            self.progress.total.load(Ordering::Relaxed),
        )
    }
}

/// Polls the job in `slot`: its result when it finished (the slot is emptied), `None` while it
/// runs or when there is none.
pub fn finished<T>(slot: &mut Option<Job<T>>) -> Option<Result<T, Lost>> {
    let done = slot.as_mut()?.poll()?;
    *slot = None;
    Some(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_immediate_job_is_done_at_once_and_taken_once() {
        let mut slot = Some(Jobs::immediate().spawn(|| 6 * 7));
        assert_eq!(finished(&mut slot), Some(Ok(42)));
        assert!(slot.is_none());
        assert_eq!(finished(&mut slot), None);
    }

    #[test]
    fn a_background_job_reports_progress_and_its_result() {
        let (go, wait) = channel::<()>();
        let mut job = Jobs::background().spawn_with_progress(move |p| {
            p.report(1, 2);
            wait.recv().ok();
            "done"
        });
        while job.progress() != (1, 2) {
            std::thread::yield_now();
        }
        assert_eq!(job.poll(), None, "still waiting");
        go.send(()).unwrap();
        let result = loop {
            if let Some(r) = job.poll() {
                break r;
            }
            std::thread::yield_now();
        };
        assert_eq!(result, Ok("done"));
        assert_eq!(job.poll(), None);
    }

    #[test]
    fn a_cancelled_job_sees_its_flag_and_names_its_stage() {
        let (go, wait) = channel::<()>();
        let mut job = Jobs::background().spawn_with_progress(move |p| {
            p.set_stage("Waiting");
            p.report(0, 1);
            wait.recv().ok();
            p.cancel_flag().load(Ordering::Relaxed)
        });
        while job.stage() != "Waiting" {
            std::thread::yield_now();
        }
        job.cancel();
        go.send(()).unwrap();
        let result = loop {
            if let Some(r) = job.poll() {
                break r;
            }
            std::thread::yield_now();
        };
        assert_eq!(result, Ok(true), "the work saw the cancel");
        let mut fresh =
            Jobs::immediate().spawn_with_progress(|p| p.cancel_flag().load(Ordering::Relaxed));
        assert_eq!(fresh.poll(), Some(Ok(false)));
    }

    #[test]
    fn a_job_whose_thread_panics_is_lost() {
        let mut job: Job<u8> = Jobs::background().spawn(|| panic!("boom"));
        let result = loop {
            if let Some(r) = job.poll() {
                break r;
            }
            std::thread::yield_now();
        };
        assert_eq!(result, Err(Lost));
    }
}
