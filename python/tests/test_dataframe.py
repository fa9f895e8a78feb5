"""DataFrame transformations and actions."""

import pandas as pd
import pytest

from ember.errors import AnalysisException
from ember.sql import Row, Window, functions as F
from ember.sql.types import IntegerType, LongType, StringType, StructField, StructType


def test_create_dataframe_forms(spark):
    assert spark.createDataFrame([(1, "a")]).columns == ["_1", "_2"]
    assert spark.createDataFrame([(1, 2.0, "x", True)]).dtypes == [("_1", "bigint"), ("_2", "double"), ("_3", "string"), ("_4", "boolean")]
    assert spark.createDataFrame([{"b": 1, "a": "x"}]).columns == ["a", "b"]
    assert spark.createDataFrame([Row(a=1, b="x")]).collect() == [Row(a=1, b="x")]
    schema = StructType([StructField("a", IntegerType()), StructField("b", StringType())])
    assert spark.createDataFrame([(1, "x")], schema).dtypes == [("a", "int"), ("b", "string")]
    assert spark.createDataFrame([(1, "x")], "a long, b string").dtypes == [("a", "bigint"), ("b", "string")]
    pdf = pd.DataFrame({"x": [1, 2], "y": ["p", "q"]})
    assert spark.createDataFrame(pdf).collect() == [Row(x=1, y="p"), Row(x=2, y="q")]
    assert spark.createDataFrame([1, 2], IntegerType()).columns == ["value"]


def test_select_filter_with_column(spark, people):
    out = people.select("name", (F.col("age") + 1).alias("next"), people.salary).filter("age > 30").orderBy("name")
    assert out.collect() == [Row(name=None, next=52, salary=7000.0), Row(name="Alice", next=35, salary=5000.0), Row(name="Bob", next=46, salary=None)]
    assert people.where(people.age < 30).count() == 1
    assert people.withColumn("age", F.col("age") * 2).columns == ["id", "name", "age", "salary"]
    assert people.withColumns({"a": F.lit(1), "b": F.lit("x")}).columns[-2:] == ["a", "b"]
    assert people.withColumnRenamed("name", "who").columns == ["id", "who", "age", "salary"]
    assert people.drop("salary", "nope").columns == ["id", "name", "age"]
    assert people.selectExpr("id * 2 as d", "upper(name)").columns == ["d", "upper(name)"]
    assert people.select(people["*"] if False else "*").columns == ["id", "name", "age", "salary"]


def test_case_insensitive_and_unknown_columns(spark, people):
    assert people.select("NAME").columns == ["name"]
    with pytest.raises(AnalysisException) as e:
        people.select("nope")
    assert "UNRESOLVED_COLUMN" in str(e.value) and "`name`" in str(e.value)


def test_groupby_agg_forms(spark, people):
    df = spark.createDataFrame([("a", 1), ("a", 3), ("b", 5)], ["k", "v"])
    assert df.groupBy("k").agg(F.sum("v"), F.avg("v")).orderBy("k").collect() == [Row(k="a", **{"sum(v)": 4, "avg(v)": 2.0}), Row(k="b", **{"sum(v)": 5, "avg(v)": 5.0})]
    assert df.groupBy("k").agg({"v": "max"}).orderBy("k").collect() == [Row(k="a", **{"max(v)": 3}), Row(k="b", **{"max(v)": 5})]
    assert df.groupBy("k").count().orderBy("k").collect() == [Row(k="a", count=2), Row(k="b", count=1)]
    assert df.groupBy("k").mean("v").orderBy("k").collect()[0][1] == 2.0
    assert df.groupBy().sum("v").collect() == [Row(**{"sum(v)": 9})]
    assert df.select(F.max("v")).collect() == [Row(**{"max(v)": 5})]
    assert df.agg((F.sum("v") / F.count("v")).alias("m")).collect() == [Row(m=3.0)]
    assert df.groupBy("k").agg(F.collect_list("v").alias("vs")).orderBy("k").first().vs == [1, 3]
    assert df.agg(F.countDistinct("k")).collect()[0][0] == 2


def test_joins(spark):
    left = spark.createDataFrame([(1, "a"), (2, "b"), (3, "c")], ["id", "l"])
    right = spark.createDataFrame([(1, "x"), (3, "y"), (4, "z")], ["id", "r"])
    assert left.join(right, "id").orderBy("id").collect() == [Row(id=1, l="a", r="x"), Row(id=3, l="c", r="y")]
    assert left.join(right, ["id"], "left").orderBy("id").collect()[1] == Row(id=2, l="b", r=None)
    assert [r.id for r in left.join(right, "id", "right").orderBy("id").collect()] == [1, 3, 4]
    assert [r.id for r in left.join(right, "id", "full").orderBy("id").collect()] == [1, 2, 3, 4]
    assert [r.id for r in left.join(right, "id", "outer").orderBy("id").collect()] == [1, 2, 3, 4]
    assert left.join(right, "id", "left_semi").orderBy("id").columns == ["id", "l"]
    assert [r.id for r in left.join(right, "id", "left_anti").collect()] == [2]
    cond = left.join(right, left.id == right.id).orderBy(left.id)
    assert cond.columns == ["id", "l", "id", "r"]
    assert cond.select(left.l, right.r).collect() == [Row(l="a", r="x"), Row(l="c", r="y")]
    assert left.crossJoin(right).count() == 9
    assert left.join(right, how="cross").count() == 9
    a, b = left.alias("a"), left.alias("b")
    assert a.join(b, F.col("a.id") == F.col("b.id")).select("a.l", "b.l").count() == 3


def test_set_operations_and_dedup(spark):
    a = spark.createDataFrame([(1, "x"), (1, "x"), (2, "y")], ["n", "s"])
    b = spark.createDataFrame([("z", 3)], ["s", "n"])
    assert a.union(a).count() == 6
    assert a.distinct().count() == 2
    assert a.dropDuplicates(["n"]).count() == 2
    assert a.unionByName(b).orderBy("n").collect()[-1] == Row(n=3, s="z")
    c = spark.createDataFrame([(9,)], ["n"])
    assert a.unionByName(c, allowMissingColumns=True).filter("n = 9").collect() == [Row(n=9, s=None)]
    with pytest.raises(AnalysisException):
        a.union(c)


def test_sort_limit_actions(spark, people):
    assert [r.age for r in people.orderBy(F.desc("age")).collect()] == [51, 45, 34, 29]
    assert [r.age for r in people.sort("age", ascending=False).limit(2).collect()] == [51, 45]
    assert [r.name for r in people.orderBy(F.col("name").asc_nulls_last()).collect()] == ["Alice", "Bob", "Carol", None]
    assert [r.name for r in people.orderBy("name").collect()][0] is None
    assert people.first().id == 1 or people.first() is not None
    assert len(people.head(2)) == 2 and len(people.take(3)) == 3
    assert people.count() == 4
    pdf = people.orderBy("id").toPandas()
    assert list(pdf.columns) == ["id", "name", "age", "salary"] and pdf["age"].tolist() == [34, 45, 29, 51]
    assert people.limit(0).first() is None


def test_missing_values(spark, people):
    assert people.na.drop().count() == 2
    assert people.dropna(subset=["name"]).count() == 3
    assert people.dropna(how="all").count() == 4
    assert people.dropna(thresh=4).count() == 2
    filled = people.fillna(0).orderBy("id").collect()
    assert filled[1].salary == 0.0 and filled[3].name is None
    assert people.fillna("anon").orderBy("id").collect()[3].name == "anon"
    assert people.na.fill({"name": "?", "salary": 1.0}).orderBy("id").collect()[1].salary == 1.0


def test_window_functions(spark):
    df = spark.createDataFrame([("a", 1), ("a", 2), ("a", 2), ("b", 5)], ["k", "v"])
    w = Window.partitionBy("k").orderBy("v")
    rows = df.select("k", "v", F.row_number().over(w).alias("rn"), F.rank().over(w).alias("rk"),
                     F.dense_rank().over(w).alias("dr"), F.lag("v").over(w).alias("prev"),
                     F.lead("v").over(w).alias("next"), F.sum("v").over(w).alias("run")).orderBy("k", "rn").collect()
    assert [(r.rn, r.rk, r.dr, r.prev, r.next, r.run) for r in rows] == [
        (1, 1, 1, None, 2, 1), (2, 2, 2, 1, 2, 5), (3, 2, 2, 2, None, 5), (1, 1, 1, None, None, 5)]
    moving = df.select(F.sum("v").over(Window.partitionBy("k").orderBy("v").rowsBetween(-1, 0)).alias("m")).collect()
    assert sorted(r.m for r in moving) == [1, 3, 4, 5]


def test_column_operators(spark):
    df = spark.createDataFrame([("Alice", 5, [1, 2], Row(x=1))], ["s", "n", "arr", "st"])
    r = df.select(
        F.col("s").startswith("Al").alias("a"), F.col("s").endswith("e").alias("b"), F.col("s").contains("lic").alias("c"),
        F.col("s").substr(1, 3).alias("d"), F.col("arr").getItem(1).alias("e"), F.col("st").getField("x").alias("f"),
        F.col("n").isin([5, 6]).alias("g"), F.col("n").between(1, 5).alias("h"), F.col("s").like("A%").alias("i"),
        F.col("s").rlike("^A.*e$").alias("j"), F.when(F.col("n") > 3, "big").otherwise("small").alias("k"),
        (F.col("n") / 2).alias("l"), F.col("n").cast("string").alias("m"), F.col("n").isNull().alias("o"),
    ).collect()[0]
    assert tuple(r) == (True, True, True, "Ali", 2, 1, True, True, True, True, "big", 2.5, "5", False)


def test_functions(spark):
    df = spark.createDataFrame([(" Hi There ", "2024-03-15 10:30:00", -2.567, ["x", "y"])], ["s", "ts", "d", "arr"])
    r = df.select(
        F.upper("s"), F.lower("s"), F.trim("s"), F.length("s"), F.round("d", 2), F.abs("d"), F.sqrt(F.lit(16)),
        F.concat(F.trim("s"), F.lit("!")), F.concat_ws("-", F.lit("a"), F.lit("b")), F.split(F.trim("s"), " "),
        F.regexp_replace("s", "[aeiou]", "_"), F.regexp_extract(F.trim("s"), r"(\w+) (\w+)", 2),
        F.to_date("ts"), F.year("ts"), F.month("ts"), F.dayofmonth("ts"), F.hour("ts"),
        F.date_format("ts", "yyyy/MM/dd"), F.datediff(F.lit("2024-03-20"), F.to_date("ts")),
        F.date_add(F.to_date("ts"), 1), F.size("arr"), F.array_contains("arr", "y"), F.coalesce(F.lit(None), F.lit(3)),
    ).collect()[0]
    import datetime

    assert list(r) == [" HI THERE ", " hi there ", "Hi There", 10, -2.57, 2.567, 4.0, "Hi There!", "a-b", ["Hi", "There"],
                       " H_ Th_r_ ", "There", datetime.date(2024, 3, 15), 2024, 3, 15, 10, "2024/03/15", 5,
                       datetime.date(2024, 3, 16), 2, True, 3]
    ts = spark.createDataFrame([("15/03/2024",)], ["d"]).select(F.to_date("d", "dd/MM/yyyy").alias("x"), F.to_timestamp("d", "dd/MM/yyyy").alias("y")).first()
    assert ts.x == datetime.date(2024, 3, 15) and ts.y == datetime.datetime(2024, 3, 15)


def test_explode(spark):
    df = spark.createDataFrame([(1, [1, 2]), (2, []), (3, None)], "id int, xs array<int>")
    assert df.select("id", F.explode("xs")).collect() == [Row(id=1, col=1), Row(id=1, col=2)]
    assert df.select("id", F.explode_outer("xs").alias("x")).orderBy("id", "x").collect() == [
        Row(id=1, x=1), Row(id=1, x=2), Row(id=2, x=None), Row(id=3, x=None)]
    assert df.withColumn("x", F.explode("xs")).columns == ["id", "xs", "x"]


def test_repartition_and_explain(spark, people, capsys):
    assert people.repartition(3).count() == 4
    assert people.repartition(2, "age").coalesce(1).count() == 4
    capsys.readouterr()
    people.groupBy("age").count().explain()
    out = capsys.readouterr().out
    assert out.startswith("== Physical Plan ==") and "Stage 0" in out and "shuffle" in out
    people.explain(True)
    out = capsys.readouterr().out
    assert "== Parsed Logical Plan ==" in out and "== Optimized Logical Plan ==" in out


def test_shuffle_partitions_config(spark):
    spark.conf.set("spark.sql.shuffle.partitions", "3")
    try:
        df = spark.range(100).groupBy((F.col("id") % 7).alias("k")).count()
        assert df.count() == 7
        assert spark.conf.get("spark.sql.shuffle.partitions") == "3"
        jobs = spark._jss.recent_jobs()
        assert any(s["kind"] == "shuffle" for j in jobs for s in j["stages"])
    finally:
        spark.conf.unset("spark.sql.shuffle.partitions")
    # Unset, it reads as the width Ember uses: one partition per slot.
    assert spark.conf.get("spark.sql.shuffle.partitions") == "2"


def test_cache_reuses_partitions(spark):
    df = spark.range(1000).withColumn("sq", F.col("id") * F.col("id"))
    cached = df.cache()
    assert cached.is_cached
    assert cached.count() == 1000
    before = spark._jss.recent_jobs()[-1]["job"]
    assert cached.filter("id < 10").count() == 10
    # Reading the cache runs one job, not a recomputation of the source plan.
    assert spark._jss.recent_jobs()[-1]["job"] == before + 1
    cached.unpersist()
    assert not cached.is_cached
    assert cached.count() == 1000


def test_pivot_and_set_operations(spark):
    df = spark.createDataFrame([("a", 2023, 1), ("a", 2024, 2), ("b", 2023, 3), ("a", 2023, 4)], ["k", "y", "v"])
    out = df.groupBy("k").pivot("y").sum("v").orderBy("k").collect()
    assert out == [Row(k="a", **{"2023": 5, "2024": 2}), Row(k="b", **{"2023": 3, "2024": None})]
    assert df.groupBy("k").pivot("y", [2024]).agg(F.count("v")).orderBy("k").collect() == [Row(k="a", **{"2024": 1}), Row(k="b", **{"2024": 0})]
    a = spark.createDataFrame([(1,), (1,), (2,), (3,)], ["n"])
    b = spark.createDataFrame([(1,), (3,), (4,)], ["n"])
    assert sorted(r.n for r in a.intersect(b).collect()) == [1, 3]
    assert sorted(r.n for r in a.subtract(b).collect()) == [2]
    assert sorted(r.n for r in a.exceptAll(b).collect()) == [1, 2]
    assert sorted(r.n for r in a.intersectAll(b).collect()) == [1, 3]
    assert spark.createDataFrame([(1, (2, 3))], ["a", "b"]).dtypes == [("a", "bigint"), ("b", "struct<_1:bigint,_2:bigint>")]
