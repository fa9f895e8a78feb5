#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

//! Spark SQL conformance, as data. Every `sql_conformance/NAME.sql` runs in one `ember-sql`
//! (`-S -v --hiveconf hive.cli.errors.ignore=true -f NAME.sql`, stdout and stderr together), and
//! what it prints for each statement must be what real spark-sql 4 printed for it, kept in
//! `NAME.out` (regenerate with `python3 scripts/sql-conformance-gold.py`).
//!
//! Compared exactly: rows, header lines and error messages. Not compared (hand-decided, as
//! Spark prints what Ember cannot): `Time taken` lines, the analyzed plan Spark prints after an
//! analysis error's `SQLSTATE: ...; line L pos P;` and the `Response code` line `-v` prints
//! for commands. A run-time error's `== SQL (line L, position P) ==` context is compared.
//!
//! Data files are in `sql_conformance/data/`, named `${data}/...` by the statements: both runs
//! get `--hivevar data=<that directory>` and print it back as `${data}`.
//!
//! `sql_conformance/known_differences.txt` lists the statements (`NAME.sql:N`, N from 1) where
//! Ember still differs; the test fails on any other difference, and on a listed statement that
//! now matches (so the list only shrinks).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// `tests/sql_conformance`, or a directory laid out the same way (`NAME.sql`, `NAME.out`,
/// `data/`) named by `EMBER_SQL_CORPUS`: probes kept outside the repository get the same
/// comparison (`EMBER_SQL_CORPUS=/tmp/probes cargo test -p ember-driver --test sql_conformance`).
fn corpus() -> PathBuf {
    std::env::var_os("EMBER_SQL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sql_conformance"))
}

/// (statement, the lines Spark printed for it) from a `.out` file.
fn expected(path: &Path) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut cases = Vec::new();
    for chunk in text.split("-- !query\n").skip(1) {
        let (statement, output) = chunk.split_once("\n-- !output\n").unwrap();
        cases.push((statement.to_string(), output.lines().map(str::to_string).collect()));
    }
    cases
}

/// ember-sql's output for each statement, found after its echo.
fn actual(sql: &Path, statements: &[String]) -> Vec<Vec<String>> {
    let data = corpus().join("data");
    let log = tempfile::NamedTempFile::new().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_ember-sql"))
        .args(["--master", "local[2]", "-S", "-v", "--hiveconf", "hive.cli.errors.ignore=true", "--hivevar"])
        .arg(format!("data={}", data.display()))
        .arg("-f")
        .arg(sql)
        .stdin(Stdio::null())
        // One open file for both, so the two streams interleave as written.
        .stdout(log.as_file().try_clone().unwrap())
        .stderr(log.as_file().try_clone().unwrap())
        .status()
        .unwrap();
    let text = std::fs::read_to_string(log.path()).unwrap().replace(&data.display().to_string(), "${data}");
    assert!(status.success(), "{}: ember-sql failed:\n{text}", sql.display());
    let lines: Vec<String> = text.lines().filter(|l| !l.starts_with("Time taken: ")).map(str::to_string).collect();
    let mut bounds = Vec::new();
    let mut at = 0;
    for statement in statements {
        let echo: Vec<&str> = statement.lines().collect();
        let start = (at..=lines.len().saturating_sub(echo.len()))
            .find(|&i| lines[i..i + echo.len()].iter().map(String::as_str).eq(echo.iter().copied()))
            .unwrap_or_else(|| panic!("{}: ember-sql did not echo\n{statement}\n--- it printed:\n{text}", sql.display()));
        at = start + echo.len();
        bounds.push((start, at));
    }
    (0..bounds.len())
        .map(|k| {
            let end = bounds.get(k + 1).map_or(lines.len(), |b| b.0);
            lines[bounds[k].1..end].to_vec()
        })
        .collect()
}

/// The part of a statement's output that is compared (see the module comment).
fn comparable(lines: &[String]) -> Vec<String> {
    let lines: Vec<&str> = lines.iter().map(String::as_str).filter(|l| *l != "Response code").collect();
    let is_error = |l: &str| {
        l.strip_prefix('[').and_then(|r| r.split_once(']')).is_some_and(|(class, _)| {
            !class.is_empty() && class.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '.')
        })
    };
    let Some(first) = lines.iter().position(|l| is_error(l)) else {
        let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        while out.last().is_some_and(|l| l.is_empty()) {
            out.pop();
        }
        return out;
    };
    let mut out = Vec::new();
    let mut rest = lines[first..].iter();
    for line in rest.by_ref() {
        if line.contains("SQLSTATE: ") {
            out.push(line.trim_end_matches(';').to_string());
            break;
        }
        out.push(line.to_string());
    }
    let tail: Vec<&str> = rest.copied().skip_while(|l| l.is_empty()).collect();
    if tail.first() == Some(&"== SQL ==") {
        out.push(String::new());
        for line in tail {
            out.push(line.to_string());
            if line.ends_with("^^^") {
                break;
            }
        }
    } else if tail.first().is_some_and(|l| l.starts_with("== SQL (line ")) {
        // A run-time error's query context: the header, then text and carets.
        for line in tail.iter().take_while(|l| !l.is_empty()) {
            out.push(line.to_string());
        }
    }
    out
}

#[test]
fn ember_sql_prints_what_spark_sql_prints() {
    let known: BTreeSet<String> = std::fs::read_to_string(corpus().join("known_differences.txt"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|l| !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(corpus()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "sql")).collect();
    files.sort();
    let (mut total, mut matching, mut failures) = (0, 0, Vec::new());
    let mut seen = BTreeSet::new();
    for sql in &files {
        let name = sql.file_name().unwrap().to_string_lossy().to_string();
        let cases = expected(&sql.with_extension("out"));
        let statements: Vec<String> = cases.iter().map(|c| c.0.clone()).collect();
        let outputs = actual(sql, &statements);
        for (k, ((statement, spark), ember)) in cases.iter().zip(&outputs).enumerate() {
            let id = format!("{name}:{}", k + 1);
            seen.insert(id.clone());
            total += 1;
            let (want, got) = (comparable(spark), comparable(ember));
            let listed = known.contains(&id);
            if want == got {
                matching += 1;
                if listed {
                    failures.push(format!("{id} now matches Spark: remove it from known_differences.txt\n{statement}"));
                }
            } else if !listed {
                failures.push(format!("{id}\n{statement}\n--- spark-sql:\n{}\n--- ember-sql:\n{}", want.join("\n"), got.join("\n")));
            }
        }
    }
    for id in known.difference(&seen) {
        failures.push(format!("{id} is listed in known_differences.txt but is no statement of the corpus"));
    }
    eprintln!("SQL conformance: {matching} of {total} statements print what spark-sql 4 prints");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
