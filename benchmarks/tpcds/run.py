"""Runs the TPC-DS queries in `queries/` on one engine and records answers and times.

usage:
  python run.py ENGINE DATA_DIR [--write-answers] [--runs N] [--only q1,q2] [--master local[2]]

ENGINE is `ember` (the `ember` Python package), `spark` (PySpark, for the committed answers) or
`datafusion` (DataFusion's Python package). DATA_DIR holds one `<table>.parquet` per table, as
`tpcgen-cli tpcds parquet` writes them. Every engine reads the same files as temp views / tables
with those names and runs each query's text unchanged.

With `--write-answers` the rows are written to `answers/<query>.json` (that is how the committed
answers are made, on Spark); otherwise they are compared with those files and the script prints,
per query, `equal`, `differs` or the error, with the best of `--runs` wall-clock times (seconds,
SQL text to Arrow result), then the totals. `--json FILE` also writes that report as JSON.
"""

from __future__ import annotations

import argparse
import datetime
import decimal
import json
import math
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
QUERIES = HERE / "queries"
ANSWERS = HERE / "answers"


def query_names() -> list[str]:
    """q1 … q99, with the two-statement templates as q14a, q14b, … in number order."""

    def key(p: pathlib.Path):
        stem = p.stem[1:]
        digits = stem.rstrip("ab")
        return (int(digits), stem[len(digits):])

    return [p.stem for p in sorted(QUERIES.glob("q*.sql"), key=key)]


def tables(data: pathlib.Path) -> list[tuple[str, pathlib.Path]]:
    return [(p.stem, p) for p in sorted(data.glob("*.parquet"))]


class SparkApi:
    """An engine reached through the PySpark API: temp views over the files, `spark.sql`."""

    def __init__(self, spark, data: pathlib.Path):
        self.spark = spark
        for name, path in tables(data):
            spark.read.parquet(str(path)).createOrReplaceTempView(name)

    def run(self, sql: str):
        return self.spark.sql(sql).toArrow()


def ember(data: pathlib.Path, master: str) -> SparkApi:
    from ember.sql import SparkSession

    return SparkApi(SparkSession.builder.master(master).getOrCreate(), data)


def spark(data: pathlib.Path, master: str) -> SparkApi:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master(master)
        .config("spark.driver.memory", "8g")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return SparkApi(session, data)


class DataFusion:
    def __init__(self, data: pathlib.Path, master: str):
        import datafusion

        config = datafusion.SessionConfig().with_target_partitions(_cores(master))
        self.ctx = datafusion.SessionContext(config)
        for name, path in tables(data):
            self.ctx.register_parquet(name, str(path))

    def run(self, sql: str):
        return self.ctx.sql(sql).to_arrow_table()


def _cores(master: str) -> int:
    inside = master[master.find("[") + 1 : master.find("]")] if "[" in master else "1"
    return int(inside) if inside.isdigit() else 2


ENGINES = {"ember": ember, "spark": spark, "datafusion": DataFusion}

# Queries whose `order by` leaves ties among the rows it returns (q31 sorts 51 rows by a year
# they all share; q71 by price and brand, which repeat): their rows are compared as multisets.
TIES = {"q31", "q71"}


def plain(value):
    """A JSON value for one cell: decimals and dates as text, so nothing is rounded on the way."""
    if isinstance(value, decimal.Decimal):
        return {"decimal": str(value)}
    if isinstance(value, (datetime.date, datetime.datetime)):
        return {"date": value.isoformat()}
    if isinstance(value, float) and not math.isfinite(value):
        return {"float": repr(value)}
    return value


def answer(table) -> dict:
    rows = [[plain(v) for v in row.values()] for row in table.to_pylist()]
    return {"columns": table.column_names, "rows": rows}


def same_cell(a, b) -> bool:
    """Numbers are equal when they agree to 1e-9 relative (sums of doubles differ in order of
    addition between engines); decimals are compared by value, not by scale."""
    if isinstance(a, dict) and "decimal" in a:
        a = float(decimal.Decimal(a["decimal"]))
    if isinstance(b, dict) and "decimal" in b:
        b = float(decimal.Decimal(b["decimal"]))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def same_rows(expected: list, got: list) -> bool:
    return len(expected) == len(got) and all(
        len(e) == len(g) and all(same_cell(x, y) for x, y in zip(e, g)) for e, g in zip(expected, got)
    )


def sorted_rows(rows: list) -> list:
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("engine", choices=sorted(ENGINES))
    ap.add_argument("data", type=pathlib.Path)
    ap.add_argument("--write-answers", action="store_true")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--only", default="")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--json", type=pathlib.Path)
    ap.add_argument("--save", type=pathlib.Path, help="also write this engine's answers to DIR/<query>.json")
    args = ap.parse_args()

    names = query_names()
    if args.only:
        wanted = set(args.only.split(","))
        names = [n for n in names if n in wanted]
    engine = ENGINES[args.engine](args.data, args.master)
    report = []
    for name in names:
        sql = (QUERIES / f"{name}.sql").read_text()
        best, result, error = math.inf, None, None
        for _ in range(max(1, args.runs)):
            started = time.perf_counter()
            try:
                result = answer(engine.run(sql))
            except Exception as e:  # the report names every failure and goes on
                error = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
                break
            best = min(best, time.perf_counter() - started)
        if error is None and args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{name}.json").write_text(json.dumps(result) + "\n")
        if error is None and args.write_answers:
            ANSWERS.mkdir(exist_ok=True)
            (ANSWERS / f"{name}.json").write_text(json.dumps(result, indent=None) + "\n")
            status = "written"
        elif error is None:
            expected = json.loads((ANSWERS / f"{name}.json").read_text())
            got = result["rows"]
            if name in TIES:
                expected["rows"], got = sorted_rows(expected["rows"]), sorted_rows(got)
            status = "equal" if same_rows(expected["rows"], got) else "differs"
        else:
            status = "error"
        seconds = None if error else round(best, 3)
        report.append({"query": name, "status": status, "seconds": seconds, "error": error})
        print(f"{name:5} {status:8} {'' if seconds is None else f'{seconds:8.3f}'} {error or ''}", flush=True)
    ok = [r for r in report if r["status"] in ("equal", "written")]
    total = sum(r["seconds"] for r in report if r["seconds"] is not None)
    print(f"{len(ok)}/{len(report)} {'written' if args.write_answers else 'equal to Spark'}; {total:.2f} s in all")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
