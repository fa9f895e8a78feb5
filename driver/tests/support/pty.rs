//! A program on a pseudo-terminal, driven like a user at a keyboard (an `expect` for tests).
//!
//! The child is a session leader with the terminal as its controlling tty, so Ctrl-C (`\x03`)
//! typed while the terminal is in cooked mode reaches it as SIGINT, as it would from a shell.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Everything the terminal showed, and whether the child has closed it.
#[derive(Default)]
struct Screen {
    bytes: Vec<u8>,
    closed: bool,
}

pub struct Pty {
    master: File,
    child: Child,
    screen: Arc<(Mutex<Screen>, Condvar)>,
    /// How much of the screen earlier `expect`s consumed.
    seen: usize,
}

fn open_pty() -> (OwnedFd, OwnedFd) {
    let mut master = -1;
    let mut slave = -1;
    // Wide enough that rustyline never wraps a test's line.
    let size = libc::winsize { ws_row: 40, ws_col: 250, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: valid out-pointers; a null name and termios ask for the defaults.
    let rc = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &size) };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: openpty returned two fresh descriptors that nothing else owns.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}

/// Terminal output without colours and cursor movement, and with plain line ends.
pub fn plain(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => {
                // CSI: ESC [ parameters final-byte; other escapes are two characters.
                if chars.next_if_eq(&'[').is_some() {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                } else {
                    chars.next();
                }
            }
            '\r' | '\x07' => {}
            c => out.push(c),
        }
    }
    out
}

impl Pty {
    pub fn spawn(program: &str, args: &[&str], envs: &[(&str, &str)]) -> Pty {
        let (master, slave) = open_pty();
        let mut command = Command::new(program);
        command.args(args).env("TERM", "xterm").envs(envs.iter().copied());
        command.stdin(Stdio::from(slave.try_clone().unwrap())).stdout(Stdio::from(slave.try_clone().unwrap())).stderr(Stdio::from(slave));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            command.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().unwrap();
        drop(command);
        let master = File::from(master);
        let screen: Arc<(Mutex<Screen>, Condvar)> = Arc::default();
        let mut reader = master.try_clone().unwrap();
        let shared = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            loop {
                // EIO once the child has closed its side.
                let n = reader.read(&mut buf).unwrap_or(0);
                let (lock, cv) = &*shared;
                let mut s = lock.lock().unwrap();
                if n == 0 {
                    s.closed = true;
                    cv.notify_all();
                    return;
                }
                s.bytes.extend_from_slice(&buf[..n]);
                cv.notify_all();
            }
        });
        Pty { master, child, screen, seen: 0 }
    }

    /// Types `keys`.
    pub fn send(&mut self, keys: &str) {
        self.master.write_all(keys.as_bytes()).unwrap();
        self.master.flush().unwrap();
    }

    /// Waits until `text` appears on the screen after what earlier calls consumed; returns the
    /// plain text shown from there up to and including it.
    pub fn expect(&mut self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        let (lock, cv) = &*self.screen;
        let mut s = lock.lock().unwrap();
        loop {
            let shown = plain(&s.bytes[self.seen..]);
            if let Some(at) = shown.find(text) {
                // Consume raw bytes up to the match: the shortest prefix whose plain text has it.
                let mut end = self.seen;
                while !plain(&s.bytes[self.seen..end]).contains(text) {
                    end += 1;
                }
                self.seen = end;
                return shown[..at + text.len()].to_string();
            }
            let now = Instant::now();
            if s.closed || now >= deadline {
                panic!("{text:?} never appeared; the terminal showed:\n{}", plain(&s.bytes));
            }
            s = cv.wait_timeout(s, deadline - now).unwrap().0;
        }
    }

    /// Waits until the program has the terminal in cooked mode (it stopped reading keys one by
    /// one, e.g. a shell running the statement just typed), where Ctrl-C is a signal.
    pub fn wait_cooked(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            // SAFETY: a zeroed termios is a valid out-parameter; the descriptor is ours.
            let mut mode: libc::termios = unsafe { std::mem::zeroed() };
            let rc = unsafe { libc::tcgetattr(std::os::fd::AsRawFd::as_raw_fd(&self.master), &mut mode) };
            assert_eq!(rc, 0, "tcgetattr: {}", std::io::Error::last_os_error());
            if mode.c_lflag & libc::ISIG != 0 {
                return;
            }
            assert!(Instant::now() < deadline, "the terminal stayed in raw mode:\n{}", self.transcript());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the program to exit.
    pub fn wait(&mut self) -> ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "still running; the terminal showed:\n{}", self.transcript());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Everything shown so far, as plain text.
    pub fn transcript(&self) -> String {
        plain(&self.screen.0.lock().unwrap().bytes)
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
