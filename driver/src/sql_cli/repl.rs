//! The interactive `ember-sql` shell: line editing and history (rustyline), statements that end
//! at `;` and may span lines, Ctrl-C to cancel (the running statement, or the text being typed),
//! Ctrl-D, `quit;` or `exit;` to leave. An error is reported on one line and the shell goes on.

use std::path::PathBuf;

use rustyline::DefaultEditor;
use rustyline::error::ReadlineError;

use super::cancel::Interrupts;
use super::{Shell, report};
use crate::error::{DriverError, Result};

/// History lives in the user's home directory, as spark-sql's does (`~/.hivehistory` there).
fn history_file() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".ember_sql_history"))
}

fn terminal_error(e: ReadlineError) -> DriverError {
    DriverError::Runtime(format!("terminal: {e}"))
}

/// spark-sql's prompts: the current database, and a continuation prompt as wide.
fn prompts() -> (String, String) {
    let prompt = format!("ember-sql ({})> ", crate::session::DATABASE);
    let continuation = format!("{}> ", " ".repeat(prompt.len() - 2));
    (prompt, continuation)
}

fn is_exit(stmt: &str) -> bool {
    let word = stmt.trim().to_ascii_lowercase();
    word == "quit" || word == "exit"
}

/// Reads statements from the terminal until Ctrl-D, `quit;` or `exit;`.
pub fn run(shell: &Shell) -> Result<()> {
    let mut editor = DefaultEditor::new().map_err(terminal_error)?;
    let history = history_file();
    if let Some(path) = &history {
        // A first run has no history yet.
        let _ = editor.load_history(path);
    }
    let mut interrupts = Interrupts::install()?;
    let (prompt, continuation) = prompts();
    // What has been typed since the last finished statement, and the same text as typed (one
    // history entry per statement, however many lines it spans).
    let mut pending = String::new();
    let mut entry = String::new();
    loop {
        // Interrupts from before the prompt belong to statements that have ended; from here
        // until the next statement runs, Ctrl-C is a key the editor reads.
        interrupts.clear();
        let line = match editor.readline(if pending.trim().is_empty() { &prompt } else { &continuation }) {
            Ok(line) => line,
            // Ctrl-C while typing drops the unfinished statement, as spark-sql does.
            Err(ReadlineError::Interrupted) => {
                pending.clear();
                entry.clear();
                continue;
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(terminal_error(e)),
        };
        pending.push_str(&line);
        pending.push('\n');
        if !entry.is_empty() {
            entry.push('\n');
        }
        entry.push_str(&line);
        let (statements, rest) = ember_sql::lexer::complete_statements(&pending);
        pending = if rest.trim().is_empty() { String::new() } else { rest };
        if pending.is_empty() && !entry.trim().is_empty() {
            let _ = editor.add_history_entry(entry.trim());
            if let Some(path) = &history {
                // Written as we go, so a killed shell keeps what was typed.
                let _ = editor.append_history(path);
            }
            entry.clear();
        }
        for stmt in statements {
            if is_exit(&stmt) {
                return Ok(());
            }
            let stdout = std::io::stdout();
            match shell.run_cancellable(&stmt, &mut stdout.lock(), &mut interrupts) {
                Ok(true) => {}
                Ok(false) => {
                    // On a line of its own, after the terminal's `^C`.
                    eprintln!("\n[OPERATION_CANCELED] Operation has been canceled.");
                    // The rest of the line is not run either.
                    break;
                }
                Err(e) => report(&e),
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_prompt_is_as_wide_as_the_prompt() {
        let (prompt, continuation) = prompts();
        assert_eq!(prompt, "ember-sql (default)> ");
        assert_eq!(continuation.len(), prompt.len());
        assert!(continuation.ends_with("> ") && continuation.trim() == ">");
    }

    #[test]
    fn quit_and_exit_leave() {
        assert!(is_exit(" QUIT "));
        assert!(is_exit("exit"));
        assert!(!is_exit("select 'exit'"));
    }
}
