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
