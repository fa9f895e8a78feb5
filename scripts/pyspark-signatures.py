"""Regenerates python/tests/functions_registry/pyspark.json: every name of PySpark 4's
``pyspark.sql.functions.__all__`` with its parameters as PySpark declares them (``name``,
``name=default``, ``*name``, ``**name``), which ``ember.sql.functions`` must match.

usage: ../shared/tools/pyspark-ref scripts/pyspark-signatures.py
"""

import inspect
import json
import os

import pyspark.sql.functions as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "python", "tests", "functions_registry", "pyspark.json")


def params(f):
    if not inspect.isfunction(f):
        return None
    out = []
    for p in inspect.signature(f).parameters.values():
        prefix = {"VAR_POSITIONAL": "*", "VAR_KEYWORD": "**"}.get(p.kind.name, "")
        text = prefix + p.name
        if p.default is not inspect.Parameter.empty:
            text += "=" + repr(p.default)
        out.append(text)
    return out


signatures = {name: params(getattr(F, name)) for name in F.__all__}
with open(OUT, "w") as f:
    json.dump(signatures, f, indent=1, sort_keys=True)
    f.write("\n")
