#!/usr/bin/env bash
# Ember's whole test suite: Rust unit and integration tests, then the Python package's tests.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_python_env
cd "$ROOT"
cargo test --workspace --exclude ember-python
build_ember
"$VENV/bin/python" -m pytest "$ROOT/python/tests" -q -p no:cacheprovider
# PySpark's own docstring examples, with a floor that only goes up (python/compat/docstrings.floor).
ensure_pyspark_sources
"$VENV/bin/python" "$ROOT/python/compat/docstrings.py" "$PYSPARK_SOURCES/pyspark" --floor "$ROOT/python/compat/docstrings.floor"
