#!/usr/bin/env bash
# Ember's main job: builds Ember and runs the example ETL (CSV -> aggregate -> join -> Parquet)
# on the embedded local[*] engine.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_python_env
build_ember
exec "$VENV/bin/python" "$ROOT/examples/students_marks_etl.py" "$@"
