"""PySpark programs that print unordered groupings, joins, dates and SQL results: Ember must
print exactly what PySpark 4 printed for them (expected output generated with real Spark)."""

import os
import subprocess
import sys

import pytest

HERE = os.path.join(os.path.dirname(__file__), "spark_scripts")
NAMES = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", NAMES)
def test_script_prints_what_spark_prints(name):
    result = subprocess.run([sys.executable, os.path.join(HERE, name + ".py")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    with open(os.path.join(HERE, name + ".out")) as f:
        assert result.stdout == f.read()
