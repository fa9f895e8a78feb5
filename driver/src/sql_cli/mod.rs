//! `ember-sql`: the spark-sql of Ember. Runs `-i` init files, then `-e` text or a `-f` file,
//! printing rows as spark-sql does (Hive's text format, tab-separated) and
//! `Time taken: X seconds, Fetched N row(s)` on stderr.

mod args;
mod cancel;
mod repl;
mod vars;

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use datafusion::arrow::record_batch::RecordBatch;
use ember_sql::value_format::{ValueStyle, format_column};

pub use args::SqlArgs;

use cancel::Interrupts;

use ember_sql::parser::Statement;

use crate::config::Conf;
use crate::error::{DriverError, Result};
use crate::session::Session;
use crate::spark_sql;

/// A session and how statements are echoed and timed.
struct Shell {
    session: Arc<Session>,
    vars: HashMap<String, String>,
    verbose: bool,
}

fn pairs(items: &[String], flag: &str) -> std::result::Result<Vec<(String, String)>, String> {
    items
        .iter()
        .map(|kv| {
            kv.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .ok_or_else(|| format!("{flag} expects key=value, got '{kv}'"))
        })
        .collect()
}

/// Hive's text rendering of a result: one line per row, cells separated by tabs.
fn rows(batches: &[RecordBatch]) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    for batch in batches {
        let columns = batch.columns().iter().map(|c| format_column(c, ValueStyle::Hive)).collect::<std::result::Result<Vec<_>, _>>()?;
        for r in 0..batch.num_rows() {
            lines.push(columns.iter().map(|c| c[r].as_str()).collect::<Vec<_>>().join("\t"));
        }
    }
    Ok(lines)
}

/// spark-sql prints only the name column of `SHOW TABLES`/`SHOW VIEWS`.
fn is_show_tables(statement: &Statement) -> bool {
    matches!(statement, Statement::ShowTables { .. })
}

/// `DESCRIBE` of a table or query is laid out as Hive lays it out.
fn is_describe(statement: &Statement) -> bool {
    matches!(statement, Statement::DescribeTable { .. } | Statement::DescribeQuery(_))
}

/// spark-sql lays out `DESCRIBE` as Hive does: every cell padded to 20 characters, no comment
/// written as an empty cell.
fn describe_line(line: &str) -> String {
    line.split('\t').map(|cell| format!("{:<20}", if cell == "NULL" { "" } else { cell })).collect::<Vec<_>>().join("\t")
}

impl Shell {
    /// Runs one statement and prints its rows.
    fn run(&self, stmt: &str, out: &mut impl Write) -> Result<()> {
        self.run_with(stmt, out, None).map(|_| ())
    }

    /// Like [`Shell::run`], but Ctrl-C cancels the statement; `Ok(false)` when it did.
    fn run_cancellable(&self, stmt: &str, out: &mut impl Write, interrupts: &mut Interrupts) -> Result<bool> {
        self.run_with(stmt, out, Some(interrupts))
    }

    fn run_with(&self, stmt: &str, out: &mut impl Write, interrupts: Option<&mut Interrupts>) -> Result<bool> {
        let start = Instant::now();
        let stmt = vars::substitute(stmt, &self.vars, &self.session);
        if self.verbose {
            let _ = writeln!(out, "{stmt}");
        }
        // Commands do their work while being planned; queries when collected, which is what
        // Ctrl-C can stop (dropping the job cancels its tasks).
        let statement = ember_sql::parser::parse_statement(&stmt)?;
        let (show_tables, describe) = (is_show_tables(&statement), is_describe(&statement));
        let df = spark_sql::run(&self.session, statement, &stmt)?;
        let collected = match interrupts {
            Some(interrupts) => interrupts.run(&self.session, self.session.collect_plan(df.plan())),
            None => Some(df.collect()),
        };
        let Some(batches) = collected else {
            return Ok(false);
        };
        // A run-time error names the part of the statement that raised it, as Spark does.
        let mut batches = batches.map_err(|e| match e {
            DriverError::Runtime(message) => DriverError::Runtime(ember_sql::analyzer::runtime_origin::with_context(&stmt, message)),
            other => other,
        })?;
        let names: Vec<String> = df.columns();
        if show_tables && let Some(i) = names.iter().position(|n| n == "tableName" || n == "viewName") {
            batches = batches.iter().map(|b| b.project(&[i])).collect::<std::result::Result<_, _>>()?;
        }
        let mut lines = rows(&batches)?;
        if describe {
            lines = lines.iter().map(|l| describe_line(l)).collect();
        }
        let header = self.session.conf_get("spark.sql.cli.print.header").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        if header && !names.is_empty() {
            let _ = writeln!(out, "{}", names.join("\t"));
        }
        for line in &lines {
            let _ = writeln!(out, "{line}");
        }
        let _ = out.flush();
        // spark-sql 4 reports the time on stderr even with `-S`.
        {
            let secs = start.elapsed().as_secs_f64();
            match lines.len() {
                0 => eprintln!("Time taken: {secs:.3} seconds"),
                n => eprintln!("Time taken: {secs:.3} seconds, Fetched {n} row(s)"),
            }
        }
        Ok(true)
    }

    /// Runs every statement of a script, stopping at the first error unless
    /// `hive.cli.errors.ignore` is set (then each error is reported and the script goes on).
    fn run_script(&self, script: &str) -> Result<()> {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        let ignore = self.session.conf_get("hive.cli.errors.ignore").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        for stmt in ember_sql::lexer::split_statements(script) {
            match self.run(&stmt, &mut out) {
                Err(e) if ignore => report(&e),
                other => other?,
            }
        }
        Ok(())
    }
}

/// An error as spark-sql prints it: the exception's whole message (a parse error's starts
/// with a blank line and shows the statement with a caret).
fn report(e: &DriverError) {
    eprintln!("{e}");
}

/// Runs `ember-sql` with `argv` (program name first); returns the exit code.
pub fn main(argv: Vec<String>) -> i32 {
    let args: SqlArgs = match crate::command::parse(argv) {
        Ok(a) => a,
        Err(code) => return code,
    };
    match run(args) {
        Ok(()) => 0,
        Err(e) => {
            report(&e);
            1
        }
    }
}

fn run(args: SqlArgs) -> Result<()> {
    let mut conf: Vec<(String, String)> = Vec::new();
    conf.push(("spark.master".into(), args.master.clone().unwrap_or_else(|| "local[*]".into())));
    conf.push(("spark.app.name".into(), "ember-sql".into()));
    let settings = pairs(&args.conf, "--conf")
        .and_then(|c| pairs(&args.hiveconf, "--hiveconf").map(|h| c.into_iter().chain(h).collect::<Vec<_>>()))
        .map_err(DriverError::IllegalArgument)?;
    conf.extend(settings);
    let vars: HashMap<String, String> = pairs(&args.hivevar, "--hivevar")
        .and_then(|v| pairs(&args.define, "--define").map(|d| v.into_iter().chain(d).collect()))
        .map_err(DriverError::IllegalArgument)?;
    let session = Session::new(Conf::new(conf))?;
    let shell = Shell { session, vars, verbose: args.verbose };
    if let Some(db) = &args.database {
        shell.run_script(&format!("USE {db}"))?;
    }
    for init in &args.init {
        let text = std::fs::read_to_string(init).map_err(|e| DriverError::Analysis(format!("cannot read {}: {e}", init.display())))?;
        shell.run_script(&text)?;
    }
    match (&args.execute, &args.file) {
        (Some(text), _) => shell.run_script(text),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path).map_err(|e| DriverError::Analysis(format!("cannot read {}: {e}", path.display())))?;
            shell.run_script(&text)
        }
        (None, None) => repl::run(&shell),
    }
}
