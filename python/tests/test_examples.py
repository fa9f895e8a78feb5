"""The examples print exactly what PySpark 4 prints for them (expected output committed)."""

import os
import subprocess
import sys

import pytest

from conftest import EXAMPLES

NAMES = ["students_marks_etl", "mean_age_per_year", "transactions_cleaning", "ratings_top3"]


# The same scripts on the embedded engine and on a real cluster of two executor processes
# (started by the session, stopped with it) must print the same thing.
MASTERS = ["local[2]", "local-cluster[2,1,1024]"]


@pytest.mark.parametrize("master", MASTERS)
@pytest.mark.parametrize("name", NAMES)
def test_example_output(name, master, tmp_path):
    script = os.path.join(EXAMPLES, name + ".py")
    args = [sys.executable, script]
    if name in ("students_marks_etl", "ratings_top3"):
        args.append(str(tmp_path / "out"))
    env = dict(os.environ, EMBER_CONF="spark.master=" + master)
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    with open(os.path.join(EXAMPLES, "expected", name + ".out")) as f:
        expected = f.read()
    assert result.stdout == expected
