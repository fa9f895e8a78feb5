//! `ember-sql`'s command line, as spark-sql's.

use std::path::PathBuf;

use clap::Parser;

/// Ember's SQL command line, like spark-sql.
#[derive(Debug, Parser)]
#[command(name = "ember-sql", version)]
pub struct SqlArgs {
    /// SQL to run (statements separated by `;`), then exit.
    #[arg(short = 'e')]
    pub execute: Option<String>,
    /// A SQL file to run, then exit.
    #[arg(short = 'f')]
    pub file: Option<PathBuf>,
    /// SQL files run first (repeatable).
    #[arg(short = 'i')]
    pub init: Vec<PathBuf>,
    /// Where queries run: local[*] (default), local[N], ember://host:port, local-cluster[W,C,M].
    #[arg(long)]
    pub master: Option<String>,
    /// A session setting, key=value (repeatable).
    #[arg(long = "conf", value_name = "KEY=VALUE")]
    pub conf: Vec<String>,
    /// The database to use.
    #[arg(long)]
    pub database: Option<String>,
    /// Silent mode. spark-sql 4 still prints its timing lines with it, and Ember prints nothing
    /// else it would silence.
    #[arg(short = 'S', long = "silent")]
    pub silent: bool,
    /// Echo each statement before running it.
    #[arg(short = 'v', long = "verbose")]
    pub verbose: bool,
    /// A setting, key=value, also usable as ${hiveconf:key} (repeatable).
    #[arg(long = "hiveconf", value_name = "KEY=VALUE")]
    pub hiveconf: Vec<String>,
    /// A variable, name=value, usable as ${name} or ${hivevar:name} (repeatable).
    #[arg(long = "hivevar", value_name = "NAME=VALUE")]
    pub hivevar: Vec<String>,
    /// Same as --hivevar.
    #[arg(short = 'd', long = "define", value_name = "NAME=VALUE")]
    pub define: Vec<String>,
}
