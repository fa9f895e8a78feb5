"""The examples of Spark's own function documentation (`DESCRIBE FUNCTION EXTENDED f`), for
every function Ember has: `spark.sql(example)` must give Spark's schema (output names and
types, `schema.simpleString()`) and rows. The expected answers were generated with real Spark
(`python3 scripts/function-examples-gold.py`); the examples where Ember still answers
otherwise are listed in `function_examples/known_differences.txt`, which may only shrink: the
test fails on a new difference and on a listed example that now matches."""

import json
import os

HERE = os.path.join(os.path.dirname(__file__), "function_examples")

# Functions whose answers change from run to run: only their schema is compared.
NONDETERMINISTIC = {
    "current_catalog", "current_database", "current_date", "current_schema", "current_timestamp", "current_timezone",
    "current_user", "input_file_block_length", "input_file_block_start", "input_file_name", "localtimestamp",
    "monotonically_increasing_id", "now", "rand", "randn", "random", "randstr", "session_user", "shuffle",
    "spark_partition_id", "try_aes_decrypt", "aes_encrypt", "uniform", "user", "uuid", "version", "curdate",
}


def cases():
    with open(os.path.join(HERE, "spark.json")) as f:
        return json.load(f)


def known_differences():
    with open(os.path.join(HERE, "known_differences.txt")) as f:
        return {line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")}


def answer(spark, query, compare_rows):
    try:
        df = spark.sql(query)
        schema = df.schema.simpleString()
        rows = [repr(tuple(r)) for r in df.collect()] if compare_rows else None
        return schema, rows
    except Exception as e:  # an example Ember cannot answer is a difference, not a failure
        return f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}", None


def key(case):
    return f"{case['function']}\t{case['query']}"


def test_function_documentation_examples(spark):
    ours = {r[0] for r in spark.sql("SHOW FUNCTIONS").collect()}
    listed = known_differences()
    matched, differing = 0, []
    for case in cases():
        if case["function"] not in ours or "schema" not in case:
            continue
        compare_rows = "rows" in case and case["function"] not in NONDETERMINISTIC
        schema, rows = answer(spark, case["query"], compare_rows)
        same = schema == case["schema"] and (not compare_rows or rows == case["rows"])
        if same:
            matched += 1
        else:
            differing.append((case, schema, rows))
    print(f"function examples: {matched} of {matched + len(differing)} answer what Spark answers")
    new = [(c, s, r) for c, s, r in differing if key(c) not in listed]
    now_matching = listed - {key(c) for c, _, _ in differing}
    report = [f"{c['query']}\n  spark: {c['schema']} {c.get('rows')}\n  ember: {s} {r}" for c, s, r in new[:30]]
    assert not new, f"{len(new)} examples newly differ from Spark:\n" + "\n".join(report)
    assert not now_matching, "these examples now match Spark; remove them from known_differences.txt:\n" + "\n".join(sorted(now_matching))


def rewrite_known_differences():
    """Lists the examples Ember answers differently now (run this file as a script)."""
    from ember.sql import SparkSession

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    ours = {r[0] for r in spark.sql("SHOW FUNCTIONS").collect()}
    differing = []
    for case in cases():
        if case["function"] not in ours or "schema" not in case:
            continue
        compare_rows = "rows" in case and case["function"] not in NONDETERMINISTIC
        schema, rows = answer(spark, case["query"], compare_rows)
        if not (schema == case["schema"] and (not compare_rows or rows == case["rows"])):
            differing.append(key(case))
    with open(os.path.join(HERE, "known_differences.txt"), "w") as f:
        f.write("# Examples of Spark's function documentation where Ember's answer (schema or rows) is not\n")
        f.write("# Spark's: function<TAB>query. Only shrinks (see python/tests/test_function_examples.py).\n")
        f.writelines(line + "\n" for line in sorted(differing))


if __name__ == "__main__":
    rewrite_known_differences()
