//! Ctrl-C while a statement runs cancels it instead of ending `ember-sql`.
//!
//! At the prompt the line editor has the terminal in raw mode and reads Ctrl-C as a key; while a
//! statement runs the terminal is back in cooked mode and Ctrl-C arrives as SIGINT. The handler
//! is installed once, for the whole interactive session, so a SIGINT never kills the shell (nor,
//! since they run in their own process group, a `local-cluster`'s processes).
//!
//! Signals are received on a thread of their own (with its own small runtime) and passed on
//! through a watch channel: the session's runtime may have every worker busy with the very query
//! to cancel, and a signal waiting for one of them to look would wait as long as the query.

use std::future::Future;

use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;

use crate::error::{DriverError, Result};
use crate::session::Session;

/// SIGINTs received by the shell, counted.
pub struct Interrupts {
    received: watch::Receiver<u64>,
}

fn signal_error(e: impl std::fmt::Display) -> DriverError {
    DriverError::Runtime(format!("cannot handle Ctrl-C: {e}"))
}

impl Interrupts {
    /// Takes over SIGINT for the rest of the process's life.
    pub fn install() -> Result<Self> {
        let (tx, received) = watch::channel(0u64);
        let (ready_tx, ready) = std::sync::mpsc::channel::<std::result::Result<(), String>>();
        std::thread::Builder::new()
            .name("ember-sql-interrupts".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.to_string()));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let mut interrupts = match signal(SignalKind::interrupt()) {
                        Ok(s) => s,
                        Err(e) => {
                            let _ = ready_tx.send(Err(e.to_string()));
                            return;
                        }
                    };
                    let _ = ready_tx.send(Ok(()));
                    while interrupts.recv().await.is_some() {
                        tx.send_modify(|n| *n += 1);
                    }
                });
            })
            .map_err(signal_error)?;
        match ready.recv() {
            Ok(Ok(())) => Ok(Interrupts { received }),
            Ok(Err(e)) => Err(signal_error(e)),
            Err(e) => Err(signal_error(e)),
        }
    }

    /// Forgets interrupts received so far: called before the prompt, where they can only be
    /// left over from statements that have ended (at the prompt Ctrl-C is a key, not a signal).
    pub fn clear(&mut self) {
        self.received.borrow_and_update();
    }

    /// Runs `work` on the session's runtime until it finishes (`Some`) or Ctrl-C is pressed
    /// (`None`; `work` is dropped, which cancels the job it was running).
    pub fn run<T>(&mut self, session: &Session, work: impl Future<Output = T>) -> Option<T> {
        let received = &mut self.received;
        session.block_on(async move {
            tokio::select! {
                out = work => Some(out),
                Ok(()) = received.changed() => None,
            }
        })
    }
}
