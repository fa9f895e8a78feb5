//! `ember-submit`: spark-submit for Ember. Runs a Python job script with the session settings
//! given on the command line (and in `conf/ember-defaults.conf`), so that
//! `SparkSession.builder.getOrCreate()` inside the script picks them up, with Spark's
//! precedence: what the script sets wins over flags, flags over the defaults file.

mod args;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub use args::SubmitArgs;

/// The defaults file used when `--properties-file` is not given, relative to the working
/// directory (then to `EMBER_HOME`).
pub const DEFAULTS_FILE: &str = "conf/ember-defaults.conf";

/// Reads a Spark properties file: `key value` or `key=value` per line, `#` comments.
pub fn read_properties(path: &Path) -> std::io::Result<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path)?;
    let mut out = BTreeMap::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let split = line.find(|c: char| c == '=' || c == ':' || c.is_whitespace()).unwrap_or(line.len());
        let (key, rest) = line.split_at(split);
        let value = rest.trim_start_matches(|c: char| c == '=' || c == ':' || c.is_whitespace()).trim();
        out.insert(key.trim().to_string(), value.to_string());
    }
    Ok(out)
}

fn defaults_file(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    let local = PathBuf::from(DEFAULTS_FILE);
    if local.is_file() {
        return Some(local);
    }
    let home = std::env::var_os("EMBER_HOME").map(|h| PathBuf::from(h).join(DEFAULTS_FILE))?;
    home.is_file().then_some(home)
}

/// The settings the script's session starts from: the defaults file, then the flags.
pub fn effective_conf(args: &SubmitArgs) -> Result<BTreeMap<String, String>, String> {
    let mut conf = match defaults_file(args.properties_file.as_deref()) {
        Some(path) => read_properties(&path).map_err(|e| format!("cannot read properties file {}: {e}", path.display()))?,
        None => BTreeMap::new(),
    };
    for kv in &args.conf {
        let (k, v) = kv.split_once('=').ok_or_else(|| format!("--conf expects key=value, got '{kv}'"))?;
        conf.insert(k.trim().to_string(), v.trim().to_string());
    }
    let flags = [
        ("spark.master", args.master.clone()),
        ("spark.app.name", args.name.clone()),
        ("spark.driver.memory", args.driver_memory.clone()),
        ("spark.executor.memory", args.executor_memory.clone()),
        ("spark.executor.cores", args.executor_cores.map(|n| n.to_string())),
        ("spark.cores.max", args.total_executor_cores.map(|n| n.to_string())),
        ("spark.submit.pyFiles", args.py_files.clone()),
        ("spark.files", args.files.clone()),
    ];
    for (k, v) in flags {
        if let Some(v) = v {
            conf.insert(k.to_string(), v);
        }
    }
    conf.entry("spark.master".to_string()).or_insert_with(|| "local[*]".to_string());
    if !conf.contains_key("spark.app.name") {
        let name = Path::new(&args.script).file_name().map_or_else(|| args.script.clone(), |n| n.to_string_lossy().into_owned());
        conf.insert("spark.app.name".to_string(), name);
    }
    Ok(conf)
}

/// The Python that runs the script: `EMBER_PYTHON`, `PYSPARK_PYTHON`, or `python3`.
fn python() -> String {
    std::env::var("EMBER_PYTHON").or_else(|_| std::env::var("PYSPARK_PYTHON")).unwrap_or_else(|_| "python3".into())
}

/// Runs `ember-submit` with `argv` (program name first); returns the exit code.
pub fn main(argv: Vec<String>) -> i32 {
    let args: SubmitArgs = match crate::command::parse(argv) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let conf = match effective_conf(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ember-submit: {e}");
            return 1;
        }
    };
    let python = python();
    // Kept alive until the script ends: `.py` files are importable from it.
    let modules = match tempfile::Builder::new().prefix("ember-submit-").tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("ember-submit: cannot create a temporary directory: {e}");
            return 1;
        }
    };
    let path = match python_path(args.py_files.as_deref(), modules.path()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("ember-submit: {e}");
            return 1;
        }
    };
    let mut path = path;
    let alias = conf.get("ember.submit.pysparkAlias").is_none_or(|v| !v.eq_ignore_ascii_case("false"));
    if alias {
        // `import pyspark` resolves to Ember (see `ember/_submit/pyspark`).
        match locate_alias(&python) {
            Some(dir) => path.push(dir),
            None => eprintln!("ember-submit: the ember package is not importable by {python}; `import pyspark` will not be redirected"),
        }
    }
    if let Some(existing) = std::env::var_os("PYTHONPATH") {
        path.push(existing.to_string_lossy().into_owned());
    }
    let conf_lines: Vec<String> = conf.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if args.verbose {
        eprintln!("Using properties:");
        for line in &conf_lines {
            eprintln!("  {line}");
        }
        eprintln!("Running {python} {} {}", args.script, args.app_args.join(" "));
    }
    let status = Command::new(&python)
        .arg(&args.script)
        .args(&args.app_args)
        .env("EMBER_CONF", conf_lines.join("\n"))
        .env("PYTHONPATH", path.join(":"))
        .status();
    match status {
        Ok(s) => s.code().unwrap_or(1),
        Err(e) => {
            eprintln!("ember-submit: cannot run {python}: {e}");
            127
        }
    }
}

/// The script's Python path from `--py-files`: archives (`.zip`, `.egg`) as they are, `.py`
/// files through a directory they are copied into (a path entry must be a directory).
fn python_path(py_files: Option<&str>, modules: &Path) -> Result<Vec<String>, String> {
    let mut path = Vec::new();
    let mut copied = false;
    for file in py_files.iter().flat_map(|f| f.split(',')).map(str::trim).filter(|f| !f.is_empty()) {
        let p = Path::new(file);
        if !p.exists() {
            return Err(format!("--py-files: {file} does not exist"));
        }
        if p.extension().is_some_and(|e| e == "py") {
            let name = p.file_name().ok_or_else(|| format!("--py-files: {file} has no file name"))?;
            std::fs::copy(p, modules.join(name)).map_err(|e| format!("--py-files: cannot copy {file}: {e}"))?;
            copied = true;
        } else {
            path.push(file.to_string());
        }
    }
    if copied {
        path.insert(0, modules.to_string_lossy().into_owned());
    }
    Ok(path)
}

/// Where the `pyspark` alias package lives in the installed `ember` package.
fn locate_alias(python: &str) -> Option<String> {
    let out = Command::new(python)
        .args(["-c", "import ember, os; print(os.path.join(os.path.dirname(ember.__file__), '_submit'))"])
        .output()
        .ok()?;
    let dir = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !dir.is_empty()).then_some(dir)
}
