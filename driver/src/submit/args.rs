//! `ember-submit`'s command line, as spark-submit's.

use std::path::PathBuf;

use clap::Parser;

/// Runs a PySpark job script on Ember.
#[derive(Debug, Parser)]
#[command(name = "ember-submit", version, trailing_var_arg = true)]
pub struct SubmitArgs {
    /// Where the job runs: local[*] (default), local[N], ember://host:port, local-cluster[W,C,M].
    #[arg(long)]
    pub master: Option<String>,
    /// The application name.
    #[arg(long)]
    pub name: Option<String>,
    /// A session setting, key=value (repeatable).
    #[arg(long = "conf", short = 'c', value_name = "KEY=VALUE")]
    pub conf: Vec<String>,
    /// Settings file (default: conf/ember-defaults.conf if present).
    #[arg(long)]
    pub properties_file: Option<PathBuf>,
    /// Comma-separated .py or .zip files put on the script's Python path.
    #[arg(long)]
    pub py_files: Option<String>,
    /// Comma-separated files made available to the job.
    #[arg(long)]
    pub files: Option<String>,
    #[arg(long)]
    pub driver_memory: Option<String>,
    #[arg(long)]
    pub executor_memory: Option<String>,
    #[arg(long)]
    pub executor_cores: Option<usize>,
    #[arg(long)]
    pub total_executor_cores: Option<usize>,
    /// Print the settings and the command before running.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// The job script.
    pub script: String,
    /// Arguments passed to the script.
    #[arg(allow_hyphen_values = true)]
    pub app_args: Vec<String>,
}
