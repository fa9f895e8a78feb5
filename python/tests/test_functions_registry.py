"""``ember.sql.functions`` against PySpark 4's ``pyspark.sql.functions`` and against the
engine's function registry (sql/src/functions/).

- The generated wrappers are what the registry generates (``scripts/python-functions.py``).
- Every PySpark name exists, except those listed in ``functions_registry/missing.txt``.
- Every function takes PySpark's parameters (names, defaults, ``*args``), except those listed
  in ``functions_registry/signature_differences.txt``.

Both lists may only shrink: a listed name that now exists, or now matches, fails the test until
it is removed. ``functions_registry/pyspark.json`` comes from real PySpark
(``../shared/tools/pyspark-ref scripts/pyspark-signatures.py``).
"""

import inspect
import json
import os
import subprocess
import sys

import ember.sql.functions as F

HERE = os.path.join(os.path.dirname(__file__), "functions_registry")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def listed(name):
    with open(os.path.join(HERE, name)) as f:
        return {line.strip() for line in f if line.strip() and not line.startswith("#")}


def pyspark():
    with open(os.path.join(HERE, "pyspark.json")) as f:
        return json.load(f)


def params(f):
    out = []
    for p in inspect.signature(f).parameters.values():
        prefix = {"VAR_POSITIONAL": "*", "VAR_KEYWORD": "**"}.get(p.kind.name, "")
        text = prefix + p.name
        if p.default is not inspect.Parameter.empty:
            text += "=" + repr(p.default)
        out.append(text)
    return out


def test_generated_wrappers_are_the_registry_s():
    script = os.path.join(ROOT, "scripts", "python-functions.py")
    done = subprocess.run([sys.executable, script, "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_every_pyspark_function_exists():
    missing = {name for name in pyspark() if not hasattr(F, name)}
    allowed = listed("missing.txt")
    assert sorted(missing - allowed) == [], "missing from ember.sql.functions"
    assert sorted(allowed - missing) == [], "now present: remove from functions_registry/missing.txt"


def test_every_function_takes_pyspark_s_parameters():
    differing = set()
    for name, expected in pyspark().items():
        ours = getattr(F, name, None)
        if expected is None or ours is None or not callable(ours):
            continue
        try:
            if params(ours) != expected:
                differing.add(name)
        except (TypeError, ValueError):
            differing.add(name)
    allowed = listed("signature_differences.txt")
    assert sorted(differing - allowed) == [], "parameters differ from PySpark's"
    assert sorted(allowed - differing) == [], "now matching: remove from functions_registry/signature_differences.txt"


def test_registry_names_are_what_show_functions_lists(spark):
    shown = [r[0] for r in spark.sql("SHOW FUNCTIONS").collect()]
    assert shown == sorted(shown)
    for name in ("ucase", "upper", "sum", "transform", "explode", "and"):
        assert name in shown
    # DataFusion's own names are not Spark's.
    assert "array_has" not in shown
