"""Exact output formats, compared with what PySpark 4 prints for the same program."""

from ember.sql import Row, functions as F

from conftest import shown


def test_show_table_and_truncation(spark, capsys):
    df = spark.createDataFrame(
        [(1, [1, None], {"a": 1}, Row(x=1, y="s"), None, 1.5e10, "abcdefghijklmnopqrstuvwxyz")],
        "a int, arr array<int>, m map<string,int>, s struct<x:int,y:string>, n string, d double, long string",
    )
    assert shown(capsys, df) == (
        "+---+---------+--------+------+----+------+--------------------+\n"
        "|  a|      arr|       m|     s|   n|     d|                long|\n"
        "+---+---------+--------+------+----+------+--------------------+\n"
        "|  1|[1, NULL]|{a -> 1}|{1, s}|NULL|1.5E10|abcdefghijklmnopq...|\n"
        "+---+---------+--------+------+----+------+--------------------+\n\n"
    )
    assert shown(capsys, df, truncate=False) == (
        "+---+---------+--------+------+----+------+--------------------------+\n"
        "|a  |arr      |m       |s     |n   |d     |long                      |\n"
        "+---+---------+--------+------+----+------+--------------------------+\n"
        "|1  |[1, NULL]|{a -> 1}|{1, s}|NULL|1.5E10|abcdefghijklmnopqrstuvwxyz|\n"
        "+---+---------+--------+------+----+------+--------------------------+\n\n"
    )
    assert shown(capsys, df, vertical=True) == (
        "-RECORD 0--------------------\n"
        " a    | 1                    \n"
        " arr  | [1, NULL]            \n"
        " m    | {a -> 1}             \n"
        " s    | {1, s}               \n"
        " n    | NULL                 \n"
        " d    | 1.5E10               \n"
        " long | abcdefghijklmnopq... \n\n"
    )


def test_print_schema_repr_collect_dtypes(spark, capsys):
    df = spark.createDataFrame(
        [(1, [1, None], {"a": 1}, Row(x=1, y="s"), None, 1.5e10)],
        "a int, arr array<int>, m map<string,int>, s struct<x:int,y:string>, n string, d double",
    )
    capsys.readouterr()
    df.printSchema()
    assert capsys.readouterr().out == (
        "root\n"
        " |-- a: integer (nullable = true)\n"
        " |-- arr: array (nullable = true)\n"
        " |    |-- element: integer (containsNull = true)\n"
        " |-- m: map (nullable = true)\n"
        " |    |-- key: string\n"
        " |    |-- value: integer (valueContainsNull = true)\n"
        " |-- s: struct (nullable = true)\n"
        " |    |-- x: integer (nullable = true)\n"
        " |    |-- y: string (nullable = true)\n"
        " |-- n: string (nullable = true)\n"
        " |-- d: double (nullable = true)\n\n"
    )
    assert repr(df) == "DataFrame[a: int, arr: array<int>, m: map<string,int>, s: struct<x:int,y:string>, n: string, d: double]"
    assert repr(df.collect()) == "[Row(a=1, arr=[1, None], m={'a': 1}, s=Row(x=1, y='s'), n=None, d=15000000000.0)]"
    assert df.dtypes == [("a", "int"), ("arr", "array<int>"), ("m", "map<string,int>"), ("s", "struct<x:int,y:string>"), ("n", "string"), ("d", "double")]


def test_only_showing_top_rows(spark, capsys):
    out = shown(capsys, spark.range(5), 2)
    assert out == "+---+\n| id|\n+---+\n|  0|\n|  1|\n+---+\nonly showing top 2 rows\n"
    assert shown(capsys, spark.range(3), 1).endswith("only showing top 1 row\n")


def test_generated_column_names(spark):
    df = spark.createDataFrame([(1, "a b", 2.5, "2024-01-15", [1, 2])], "i int, s string, d double, ds string, arr array<int>")
    cols = [F.sqrt("d"), F.abs("i"), F.round("d"), F.round("d", 1), F.upper("s"), F.trim("s"), F.length("s"),
            F.substring("s", 1, 2), F.concat("s", "s"), F.concat_ws("-", "s", "s"), F.split("s", " "),
            F.regexp_replace("s", "a", "b"), F.regexp_extract("s", "(a)", 1), F.to_date("ds"),
            F.date_format("ds", "yyyy"), F.year("ds"), F.month("ds"), F.dayofmonth("ds"), F.datediff("ds", "ds"),
            F.size("arr"), F.coalesce("i", F.lit(0)), F.isnull("i"), F.col("s").startswith("a"),
            F.col("s").like("a%"), F.col("s").rlike("a"), F.col("i").eqNullSafe(1), -F.col("i"), ~(F.col("i") > 1),
            F.when(F.col("i") > 1, "x").otherwise("y"), F.col("i") % 2, F.col("arr")[0], F.lit(None), F.lit(True),
            F.lit(1.0), F.col("i").cast("string"), F.expr("i + 1"), F.col("i") / 2, F.col("i").isin(1, 2),
            F.col("i").between(1, 2), F.col("d") * F.col("i")]
    assert df.select(cols).columns == [
        "SQRT(d)", "abs(i)", "round(d, 0)", "round(d, 1)", "upper(s)", "trim(s)", "length(s)", "substring(s, 1, 2)",
        "concat(s, s)", "concat_ws(-, s, s)", "split(s,  , -1)", "regexp_replace(s, a, b, 1)",
        "regexp_extract(s, (a), 1)", "to_date(ds)", "date_format(ds, yyyy)", "year(ds)", "month(ds)",
        "dayofmonth(ds)", "datediff(ds, ds)", "size(arr)", "coalesce(i, 0)", "(i IS NULL)", "startswith(s, a)",
        "s LIKE a%", "RLIKE(s, a)", "(i <=> 1)", "negative(i)", "(NOT (i > 1))", "CASE WHEN (i > 1) THEN x ELSE y END",
        "(i % 2)", "arr[0]", "NULL", "true", "1.0", "i", "(i + 1)", "(i / 2)", "(i IN (1, 2))",
        "((i >= 1) AND (i <= 2))", "(d * i)",
    ]


def test_aggregate_and_window_names(spark):
    from ember.sql import Window

    df = spark.createDataFrame([(1, "a", 2.5)], "i int, s string, d double")
    assert df.agg(F.count("i"), F.count("*"), F.countDistinct("i"), F.sum("i"), F.avg("i"), F.mean("i"),
                  F.min("i"), F.max("i"), F.first("i"), F.last("i"), F.collect_list("i"), F.collect_set("i")).columns == [
        "count(i)", "count(1)", "count(DISTINCT i)", "sum(i)", "avg(i)", "avg(i)", "min(i)", "max(i)", "first(i)",
        "last(i)", "collect_list(i)", "collect_set(i)"]
    assert df.groupBy("s").count().columns == ["s", "count"]
    assert df.groupBy("s").avg().columns == ["s", "avg(i)", "avg(d)"]
    w = Window.partitionBy("s").orderBy("i")
    assert df.select(F.row_number().over(w), F.rank().over(w), F.lag("i").over(w), F.sum("i").over(w),
                     F.sum("i").over(Window.partitionBy("s"))).columns == [
        "row_number() OVER (PARTITION BY s ORDER BY i ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)",
        "RANK() OVER (PARTITION BY s ORDER BY i ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)",
        "lag(i, 1, NULL) OVER (PARTITION BY s ORDER BY i ASC NULLS FIRST ROWS BETWEEN -1 FOLLOWING AND -1 FOLLOWING)",
        "sum(i) OVER (PARTITION BY s ORDER BY i ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)",
        "sum(i) OVER (PARTITION BY s ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)",
    ]


def test_sql_names_and_types(spark):
    df = spark.sql("select 1, 1.5, 'a', true, null, 2147483648, cast(2 as double), 7 % 2, 1 = 1, 7 / 2")
    assert df.columns == ["1", "1.5", "a", "true", "NULL", "2147483648", "CAST(2 AS DOUBLE)", "(7 % 2)", "(1 = 1)", "(7 / 2)"]
    assert spark.sql("select 1, 1.5").dtypes == [("1", "int"), ("1.5", "decimal(2,1)")]
    assert spark.sql("select 7 / 2 as q").collect()[0].q == 3.5


def test_row_behaviour():
    r = Row(name="Alice", age=11)
    assert repr(r) == "Row(name='Alice', age=11)"
    assert r.name == "Alice" and r["age"] == 11 and r[0] == "Alice"
    assert r.asDict() == {"name": "Alice", "age": 11}
    assert "name" in r
    Person = Row("name", "age")
    assert Person("Bob", 3) == Row(name="Bob", age=3)
    assert repr(Person) == "<Row('name', 'age')>"


def test_describe(spark, capsys):
    df = spark.createDataFrame([(1, "a b", 2.5, "2024-01-15")], "i int, s string, d double, ds string")
    assert shown(capsys, df.describe()) == (
        "+-------+----+----+----+----------+\n"
        "|summary|   i|   s|   d|        ds|\n"
        "+-------+----+----+----+----------+\n"
        "|  count|   1|   1|   1|         1|\n"
        "|   mean| 1.0|NULL| 2.5|      NULL|\n"
        "| stddev|NULL|NULL|NULL|      NULL|\n"
        "|    min|   1| a b| 2.5|2024-01-15|\n"
        "|    max|   1| a b| 2.5|2024-01-15|\n"
        "+-------+----+----+----+----------+\n\n"
    )
