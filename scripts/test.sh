#!/usr/bin/env bash
# Ember's whole test suite: Rust unit and integration tests, then the Python package's tests.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_python_env
cd "$ROOT"
cargo test --workspace --exclude ember-python
build_ember
"$VENV/bin/python" -m pytest "$ROOT/python/tests" -q -p no:cacheprovider
