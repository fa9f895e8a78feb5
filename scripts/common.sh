# Shared set-up for Ember's scripts: one build directory, one Python environment.
# Sourced by etl.sh and test.sh; safe to run on a fresh machine (installs what it needs).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Outside the clone so every checkout (and CI) reuses the DataFusion build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ember-target}"
VENV="${EMBER_VENV:-$HOME/.cache/ember-venv}"

ensure_python_env() {
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
  fi
  "$VENV/bin/pip" install -q --disable-pip-version-check "maturin>=1.7,<2" "pytest>=7" pyarrow pandas cloudpickle tpcgen-cli
}

# Builds the `ember` package (Rust extension + Python sources) into the environment, with the
# same cargo profile and dependency features as `cargo test`, so DataFusion is built once.
build_ember() {
  (cd "$ROOT/python" && VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" maturin develop --quiet)
}

# PySpark 4's Python sources (its `pyspark/sql` package only), whose docstring examples
# `python/compat/docstrings.py` runs against Ember: extracted once from the PyPI release.
PYSPARK_VERSION=4.3.0
PYSPARK_SOURCES="${EMBER_PYSPARK_SOURCES:-$HOME/.cache/ember-pyspark-sources/pyspark-$PYSPARK_VERSION}"
ensure_pyspark_sources() {
  if [ -f "$PYSPARK_SOURCES/pyspark/sql/functions/builtin.py" ]; then
    return
  fi
  local tmp
  tmp=$(mktemp -d)
  "$VENV/bin/pip" download -q --no-deps "pyspark==$PYSPARK_VERSION" -d "$tmp"
  mkdir -p "$(dirname "$PYSPARK_SOURCES")"
  tar -xzf "$tmp/pyspark-$PYSPARK_VERSION.tar.gz" -C "$(dirname "$PYSPARK_SOURCES")" --wildcards "pyspark-$PYSPARK_VERSION/pyspark/sql/*.py"
  rm -rf "$tmp"
}
