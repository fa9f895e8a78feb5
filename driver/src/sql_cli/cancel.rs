//! Ctrl-C while a statement runs cancels it instead of ending `ember-sql`.
//!
//! At the prompt the line editor has the terminal in raw mode and reads Ctrl-C as a key; while a
//! statement runs the terminal is back in cooked mode and Ctrl-C arrives as SIGINT. The handler
//! is installed once, for the whole interactive session, so a SIGINT never kills the shell (nor,
//! since they run in their own process group, a `local-cluster`'s processes).

use std::future::Future;

use futures::FutureExt;
use tokio::signal::unix::{Signal, SignalKind, signal};

use crate::error::{DriverError, Result};
use crate::session::Session;

/// SIGINTs received by the shell.
pub struct Interrupts {
    signal: Signal,
}

impl Interrupts {
    /// Takes over SIGINT for the rest of the process's life.
    pub fn install(session: &Session) -> Result<Self> {
        let signal = session
            .block_on(async { signal(SignalKind::interrupt()) })
            .map_err(|e| DriverError::Runtime(format!("cannot handle Ctrl-C: {e}")))?;
        Ok(Interrupts { signal })
    }

    /// Forgets interrupts received so far: called before the prompt, where they can only be
    /// left over from statements that have ended (at the prompt Ctrl-C is a key, not a signal).
    pub fn clear(&mut self, session: &Session) {
        let signal = &mut self.signal;
        session.block_on(async move { while let Some(Some(())) = signal.recv().now_or_never() {} });
    }

    /// Runs `work` on the session's runtime until it finishes (`Some`) or Ctrl-C is pressed
    /// (`None`; `work` is dropped, which cancels the job it was running).
    pub fn run<T>(&mut self, session: &Session, work: impl Future<Output = T>) -> Option<T> {
        let signal = &mut self.signal;
        session.block_on(async move {
            tokio::select! {
                out = work => Some(out),
                _ = signal.recv() => None,
            }
        })
    }
}
