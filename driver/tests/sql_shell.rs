#![allow(clippy::unwrap_used, clippy::panic)]
// Opening a pseudo-terminal and making it the child's controlling terminal takes libc calls.
#![allow(unsafe_code)]

//! The interactive `ember-sql` shell on a pseudo-terminal: typed statements (over several lines,
//! several per line, with comments), errors that do not end the shell, history recalled with the
//! arrow keys and kept between runs, Ctrl-C that cancels a long query, Ctrl-D and `quit;`.

#[path = "support/pty.rs"]
mod pty;

use std::path::Path;
use std::time::{Duration, Instant};

use pty::Pty;

const PROMPT: &str = "ember-sql (default)> ";
const MORE: &str = "                   > ";
const UP: &str = "\x1b[A";

fn shell(home: &Path, master: &str) -> Pty {
    let mut pty = Pty::spawn(env!("CARGO_BIN_EXE_ember-sql"), &["--master", master], &[("HOME", home.to_str().unwrap())]);
    pty.expect(PROMPT);
    pty
}

/// The lines shown up to the next `prompt`, with timings written as `T`.
fn shown_until(pty: &mut Pty, prompt: &str) -> Vec<String> {
    let shown = pty.expect(prompt);
    let body = shown.strip_suffix(prompt).unwrap();
    body.lines()
        .map(|line| match line.strip_prefix("Time taken: ").and_then(|rest| rest.split_once(" seconds")) {
            Some((secs, fetched)) => {
                assert!(secs.parse::<f64>().is_ok(), "{line}");
                format!("Time taken: T seconds{fetched}")
            }
            None => line.to_string(),
        })
        .collect()
}

/// What the shell printed in answer to the line just typed, up to its next prompt (the
/// terminal's echo of the typed line dropped).
fn answer(pty: &mut Pty, prompt: &str) -> Vec<String> {
    shown_until(pty, prompt).split_off(1)
}

/// The answer to a statement recalled from history: the editor redraws the prompt while
/// recalling, so the answer is what follows the end of the recalled statement.
fn recalled(pty: &mut Pty) -> Vec<String> {
    pty.expect(";\n");
    shown_until(pty, PROMPT)
}

#[test]
fn statements_span_lines_and_errors_do_not_end_the_shell() {
    let home = tempfile::tempdir().unwrap();
    let mut sh = shell(home.path(), "local[2]");
    sh.send("SELECT 1 AS a,\r");
    assert_eq!(answer(&mut sh, MORE), Vec::<String>::new());
    sh.send("  'x' AS b; SELECT /* ; */ 2; -- both run\r");
    assert_eq!(
        answer(&mut sh, PROMPT),
        ["1\tx", "Time taken: T seconds, Fetched 1 row(s)", "2", "Time taken: T seconds, Fetched 1 row(s)"]
    );
    sh.send("SELECT nope;\r");
    assert_eq!(
        answer(&mut sh, PROMPT),
        [
            "[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column, variable, or function parameter with name `nope` cannot be resolved. SQLSTATE: 42703; line 1 pos 7"
        ]
    );
    sh.send("SELEC 1;\r");
    assert_eq!(
        answer(&mut sh, PROMPT),
        [
            "",
            "[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'. SQLSTATE: 42601 (line 1, pos 0)",
            "",
            "== SQL ==",
            "SELEC 1",
            "^^^",
            ""
        ]
    );
    sh.send("CREATE TEMPORARY VIEW v AS SELECT id FROM range(3);\r");
    assert_eq!(answer(&mut sh, PROMPT), ["Time taken: T seconds"]);
    sh.send("SET spark.sql.cli.print.header=true;\r");
    assert_eq!(answer(&mut sh, PROMPT), ["key\tvalue", "spark.sql.cli.print.header\ttrue", "Time taken: T seconds, Fetched 1 row(s)"]);
    sh.send("SELECT sum(id) AS s FROM v;\r");
    assert_eq!(answer(&mut sh, PROMPT), ["s", "3", "Time taken: T seconds, Fetched 1 row(s)"]);
    // Ctrl-C while typing drops the unfinished statement.
    sh.send("SELECT 'dropped',\r");
    sh.expect(MORE);
    sh.send("\x03");
    sh.expect(PROMPT);
    sh.send("SELECT 'kept';\r");
    // The header (the column is named after the literal), then the row.
    assert_eq!(answer(&mut sh, PROMPT), ["kept", "kept", "Time taken: T seconds, Fetched 1 row(s)"]);
    sh.send("quit;\r");
    assert!(sh.wait().success(), "{}", sh.transcript());
}

#[test]
fn history_is_recalled_and_kept_between_runs() {
    let home = tempfile::tempdir().unwrap();
    let mut sh = shell(home.path(), "local[1]");
    sh.send("SELECT 'first';\r");
    assert_eq!(answer(&mut sh, PROMPT), ["first", "Time taken: T seconds, Fetched 1 row(s)"]);
    sh.send("SELECT 'two',\r");
    sh.expect(MORE);
    sh.send("'lines';\r");
    assert_eq!(answer(&mut sh, PROMPT), ["two\tlines", "Time taken: T seconds, Fetched 1 row(s)"]);
    // Up recalls the two-line statement, Up again moves to its first line, a third Up recalls
    // the statement before it, which runs again.
    sh.send(&format!("{UP}{UP}{UP}\r"));
    assert_eq!(recalled(&mut sh), ["first", "Time taken: T seconds, Fetched 1 row(s)"]);
    // Ctrl-D leaves.
    sh.send("\x04");
    assert!(sh.wait().success(), "{}", sh.transcript());
    let history = std::fs::read_to_string(home.path().join(".ember_sql_history")).unwrap();
    assert!(history.contains("SELECT 'first';") && history.contains("SELECT 'two',"), "{history}");

    // A new shell remembers: past the last statement ('first' again) is the two-line one, whole.
    let mut sh = shell(home.path(), "local[1]");
    sh.send(&format!("{UP}{UP}\r"));
    assert_eq!(recalled(&mut sh), ["two\tlines", "Time taken: T seconds, Fetched 1 row(s)"]);
    sh.send("exit;\r");
    assert!(sh.wait().success(), "{}", sh.transcript());
}

/// A query that would run for hours, stopped by Ctrl-C; the shell (and, for `local-cluster`,
/// its executors) then answers the next statement.
fn ctrl_c_cancels_a_long_query(master: &str) {
    let home = tempfile::tempdir().unwrap();
    let mut sh = shell(home.path(), master);
    sh.send("SELECT count(*) FROM range(0, 1000000) a CROSS JOIN range(0, 1000000) b;\r");
    // The editor has taken the line (it echoed the newline) and left raw mode: from then on
    // Ctrl-C is a signal. Give the query a moment to start.
    sh.expect("b;\n");
    sh.wait_cooked();
    std::thread::sleep(Duration::from_millis(500));
    let pressed = Instant::now();
    sh.send("\x03");
    let shown = shown_until(&mut sh, PROMPT);
    assert_eq!(shown, ["^C", "[OPERATION_CANCELED] Operation has been canceled."]);
    // The shell reacts within milliseconds of the signal; on a saturated machine the kernel can
    // take seconds to turn the typed `\x03` into SIGINT (seen here with four busy shells on two
    // cores), hence one slot per shell and a loose bound.
    assert!(pressed.elapsed() < Duration::from_secs(45), "cancelling took {:?}", pressed.elapsed());
    sh.send("SELECT 42;\r");
    assert_eq!(answer(&mut sh, PROMPT), ["42", "Time taken: T seconds, Fetched 1 row(s)"]);
    sh.send("quit;\r");
    assert!(sh.wait().success(), "{}", sh.transcript());
}

#[test]
fn ctrl_c_cancels_a_long_query_locally() {
    ctrl_c_cancels_a_long_query("local[1]");
}

#[test]
fn ctrl_c_cancels_a_long_query_on_a_local_cluster() {
    ctrl_c_cancels_a_long_query("local-cluster[1,1,256]");
}
