"""Regenerates python/tests/function_examples/spark.json: every example of Spark's own function
documentation (the `Examples:` of `DESCRIBE FUNCTION EXTENDED f`, for every function of
`SHOW FUNCTIONS`), with the schema (`schema.simpleString()`) and rows real Spark gives it.

usage: python3 scripts/function-examples-gold.py   (runs ../shared/tools/pyspark-ref)
"""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "python", "tests", "function_examples", "spark.json")

# Run inside real PySpark: collects the examples and what Spark answers for each.
COLLECT = r'''
import json, sys
from pyspark.sql import SparkSession
spark = SparkSession.builder.config("spark.sql.session.timeZone", "UTC").getOrCreate()
spark.sparkContext.setLogLevel("OFF")

def examples(text):
    lines = text.split("\n")
    try:
        start = next(i for i, l in enumerate(lines) if l.strip() == "Examples:")
    except StopIteration:
        return []
    found, current = [], None
    for line in lines[start + 1:]:
        stripped = line.strip()
        if stripped.startswith("> "):
            current = stripped[2:]
        elif current is not None:
            current += " " + stripped
        else:
            continue
        if current is not None and current.rstrip().endswith(";"):
            found.append(current.rstrip()[:-1].strip())
            current = None
    return found

cases = []
names = sorted({r[0] for r in spark.sql("SHOW FUNCTIONS").collect()})
for name in names:
    if not name.replace("_", "").isalnum():
        continue
    try:
        text = "\n".join(r[0] for r in spark.sql(f"DESCRIBE FUNCTION EXTENDED `{name}`").collect())
    except Exception:
        continue
    for query in examples(text):
        case = {"function": name, "query": query}
        try:
            df = spark.sql(query)
            case["schema"] = df.schema.simpleString()
            case["rows"] = [repr(tuple(r)) for r in df.collect()]
        except Exception as e:
            case["error"] = type(e).__name__
        cases.append(case)
json.dump(cases, sys.stdout, indent=1, sort_keys=True)
'''


def main():
    script = os.path.join(os.path.dirname(OUT), ".collect.py")
    with open(script, "w") as f:
        f.write(COLLECT)
    try:
        ref = os.path.join(ROOT, "..", "shared", "tools", "pyspark-ref")
        out = subprocess.run([ref, script], check=True, capture_output=True, text=True).stdout
    finally:
        os.remove(script)
    with open(OUT, "w") as f:
        f.write(out)
        f.write("\n")
    print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
