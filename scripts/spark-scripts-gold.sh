#!/usr/bin/env bash
# Regenerates python/tests/spark_scripts/*.out with real PySpark 4: each script is run by
# ../shared/tools/pyspark-ref with `ember` read as `pyspark`.
# usage: bash scripts/spark-scripts-gold.sh [python/tests/spark_scripts/NAME.py ...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REF="$ROOT/../shared/tools/pyspark-ref"
scripts=("$@")
[ ${#scripts[@]} -gt 0 ] || scripts=("$ROOT"/python/tests/spark_scripts/*.py)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for script in "${scripts[@]}"; do
    name="$(basename "$script" .py)"
    sed -e 's/from ember\./from pyspark./' -e 's/^from ember import/from pyspark import/' -e 's/^import ember/import pyspark/' "$script" > "$tmp/$name.py"
    "$REF" "$tmp/$name.py" 2>/dev/null > "$(dirname "$script")/$name.out"
    echo "regenerated $name.out"
done
