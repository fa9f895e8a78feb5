"""SQL: Spark's statements, views, the catalog, and errors."""

import pytest

from ember.errors import AnalysisException, ParseException
from ember.sql import Row


@pytest.fixture
def views(spark):
    spark.createDataFrame([(1, "a", 10.0), (2, "b", 20.0), (3, "a", 30.0)], ["id", "k", "v"]).createOrReplaceTempView("t")
    spark.createDataFrame([("a", "Alpha"), ("b", "Beta")], ["k", "label"]).createOrReplaceTempView("labels")
    yield
    spark.catalog.dropTempView("t")
    spark.catalog.dropTempView("labels")


def test_queries(spark, views):
    q = """
        WITH totals AS (SELECT k, SUM(v) AS total, COUNT(*) AS n FROM t GROUP BY k HAVING COUNT(*) >= 1)
        SELECT l.label, totals.total, CASE WHEN totals.n > 1 THEN 'many' ELSE 'one' END AS kind
        FROM totals JOIN labels l ON totals.k = l.k
        WHERE totals.k IN (SELECT k FROM t WHERE v > 5)
        ORDER BY l.label
    """
    assert spark.sql(q).collect() == [Row(label="Alpha", total=40.0, kind="many"), Row(label="Beta", total=20.0, kind="one")]
    w = spark.sql("SELECT id, RANK() OVER (PARTITION BY k ORDER BY v DESC) AS r FROM t ORDER BY id").collect()
    assert [r.r for r in w] == [2, 1, 1]
    assert spark.sql("SELECT k FROM t UNION SELECT k FROM labels ORDER BY k").count() == 2
    assert spark.sql("SELECT k, avg(v) FROM t GROUP BY k ORDER BY k").columns == ["k", "avg(v)"]
    assert spark.sql('SELECT * FROM t WHERE k = "a"').count() == 2


def test_views_and_catalog(spark, views, tmp_path):
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW big AS SELECT * FROM t WHERE v > 15")
    assert spark.table("big").count() == 2
    names = [r.tableName for r in spark.sql("SHOW TABLES").collect()]
    assert {"big", "labels", "t"} <= set(names)
    assert spark.sql("SHOW TABLES").columns == ["namespace", "tableName", "isTemporary"]
    assert spark.catalog.tableExists("big")
    assert {t.name for t in spark.catalog.listTables()} >= {"big", "t"}
    with pytest.raises(AnalysisException):
        spark.createDataFrame([(1,)], ["x"]).createTempView("big")
    spark.sql("DROP VIEW big")
    assert not spark.catalog.tableExists("big")
    spark.sql("DROP VIEW IF EXISTS big")
    with pytest.raises(AnalysisException) as e:
        spark.table("big")
    assert "[TABLE_OR_VIEW_NOT_FOUND]" in str(e.value)
    assert spark.sql("DESCRIBE t").collect() == [Row(col_name="id", data_type="bigint", comment=None),
                                                Row(col_name="k", data_type="string", comment=None),
                                                Row(col_name="v", data_type="double", comment=None)]


def test_create_view_using(spark, tmp_path):
    (tmp_path / "p.csv").write_text("a,b\n1,x\n2,y\n")
    spark.sql("CREATE TEMPORARY VIEW pv USING csv OPTIONS (path '%s', header 'true', inferSchema 'true')" % (tmp_path / "p.csv"))
    assert spark.sql("SELECT SUM(a) AS s FROM pv").collect() == [Row(s=3)]
    spark.catalog.dropTempView("pv")


def test_global_temp_views(spark):
    spark.createDataFrame([(1,)], ["x"]).createOrReplaceGlobalTempView("gv")
    assert spark.sql("SELECT * FROM global_temp.gv").collect() == [Row(x=1)]
    assert spark.newSession().table("global_temp.gv").count() == 1
    assert "gv" in [r.tableName for r in spark.sql("SHOW TABLES IN global_temp").collect()]
    assert spark.catalog.dropGlobalTempView("gv")


def test_set_explain_cache(spark, views):
    assert spark.sql("SET spark.sql.shuffle.partitions=5").collect() == [Row(key="spark.sql.shuffle.partitions", value="5")]
    assert spark.conf.get("spark.sql.shuffle.partitions") == "5"
    spark.conf.unset("spark.sql.shuffle.partitions")
    plan = spark.sql("EXPLAIN SELECT k, count(*) FROM t GROUP BY k").collect()[0].plan
    assert "== Physical Plan ==" in plan and "Stage" in plan
    spark.sql("CACHE TABLE t")
    assert spark.catalog.isCached("t")
    assert spark.sql("SELECT COUNT(*) AS n FROM t").collect() == [Row(n=3)]
    spark.sql("UNCACHE TABLE t")
    assert not spark.catalog.isCached("t")
    spark.catalog.clearCache()


def test_parse_errors(spark):
    with pytest.raises(ParseException) as e:
        spark.sql("selec 1")
    msg = str(e.value)
    assert "[PARSE_SYNTAX_ERROR]" in msg and "selec" in msg and "== SQL ==" in msg
    with pytest.raises(AnalysisException) as e:
        spark.sql("SELECT nope FROM range(2)").collect()
    with pytest.raises(AnalysisException) as e:
        spark.sql("SELECT * FROM no_such_table")
    assert "[TABLE_OR_VIEW_NOT_FOUND]" in str(e.value)


def test_range_is_lazy_and_count_star_is_count_1(spark):
    assert spark.range(10**9).count() == 10**9
    df = spark.sql("SELECT count(*), sum(id) FROM range(1000000)")
    assert df.columns == ["count(1)", "sum(id)"]
    assert df.collect()[0][0] == 1000000
    assert [r.id for r in spark.range(5, 0, -2).collect()] == [5, 3, 1]


def test_column_names_are_case_insensitive(spark):
    spark.createDataFrame([(1, "a")], ["StudentId", "Name"]).createOrReplaceTempView("cased")
    assert spark.sql("SELECT studentid, NAME FROM cased WHERE studentID = 1").collect() == [Row(StudentId=1, Name="a")]
    assert spark.sql("SELECT c.name FROM cased c").columns == ["Name"]
    spark.catalog.dropTempView("cased")


def test_view_names_are_case_insensitive(spark):
    spark.createDataFrame([(1, "a")], ["Id", "Name"]).createOrReplaceTempView("MyView")
    assert [r.tableName for r in spark.sql("SHOW TABLES").collect() if r.tableName == "myview"] == ["myview"]
    assert spark.table("MYVIEW").count() == 1 and spark.sql("SELECT * FROM myView").count() == 1
    assert spark.catalog.tableExists("myVIEW")
    assert spark.sql("SELECT COUNT(*) AS n FROM RANGE(3)").collect() == [Row(n=3)]
    spark.catalog.dropTempView("MyView")
    assert not spark.catalog.tableExists("myview")


def test_malformed_casts_raise_as_pyspark_does(spark):
    """ANSI casts of malformed strings: Spark's CAST_INVALID_INPUT, with PySpark's exception classes."""
    from ember.errors import ArithmeticException, DateTimeException, NumberFormatException

    with pytest.raises(NumberFormatException) as e:
        spark.sql("SELECT CAST(s AS BIGINT) FROM VALUES ('7'), ('abc') AS t(s)").collect()
    assert str(e.value).startswith(
        "[CAST_INVALID_INPUT] The value 'abc' of the type \"STRING\" cannot be cast to \"BIGINT\" because it is malformed. "
        "Correct the value as per the syntax, or change its target type. Use `try_cast` to tolerate malformed input "
        "and return NULL instead."
    )
    with pytest.raises(DateTimeException, match=r"The value '2020-13-45' of the type \"STRING\" cannot be cast to \"DATE\""):
        spark.sql("SELECT CAST(s AS DATE) FROM VALUES ('2020-13-45') AS t(s)").collect()
    with pytest.raises(ArithmeticException, match="DIVIDE_BY_ZERO"):
        spark.sql("SELECT 1 / (id - id) FROM range(1)").collect()
    assert spark.sql("SELECT try_cast(s AS INT) AS v FROM VALUES ('abc') AS t(s)").collect()[0].v is None


def test_json_and_month_functions_as_pyspark(spark):
    """Results and column names from PySpark 4 for the same calls."""
    import ember.sql.functions as F

    df = spark.createDataFrame(
        [("1997-02-28 10:30:00", "1996-10-30", '{"a":{"b":[1,2]},"c":"x"}')], "t string, d string, j string"
    )
    r = df.select(F.months_between("t", "d"), F.months_between(F.col("t"), F.col("d"), False),
                  F.get_json_object("j", "$.a"), F.get_json_object(F.col("j"), "$.c"), F.unix_timestamp("t"))
    assert r.columns == ["months_between(t, d, true)", "months_between(t, d, false)", "get_json_object(j, $.a)",
                         "get_json_object(j, $.c)", "unix_timestamp(t, yyyy-MM-dd HH:mm:ss)"]
    assert tuple(r.collect()[0]) == (3.94959677, 3.9495967741935485, '{"b":[1,2]}', "x", 857125800)
    # Spark decodes backslash escapes in SQL string literals.
    row = spark.sql(r"SELECT unix_timestamp('2016-04-08', 'yyyy-MM-dd') AS u, regexp_extract('a12', '(\\d+)', 1) AS r, "
                    r"'a\tb' AS t, get_json_object('{\"f\":\"q\\\"t\"}', '$.f') AS f").collect()[0]
    assert (row.u, row.r, row.t, row.f) == (1460073600, "12", "a\tb", 'q"t')


def test_to_json_as_pyspark(spark):
    import ember.sql.functions as F

    df = spark.createDataFrame([(1, "a", None, [1, 2])], "i int, s string, n double, a array<int>")
    r = df.select(F.to_json(F.struct("i", "s", "n", "a")).alias("j"))
    assert r.collect()[0].j == '{"i":1,"s":"a","a":[1,2]}'
    from ember.errors import PySparkValueError

    with pytest.raises(PySparkValueError):
        F.to_json(F.struct("i"), {"timestampFormat": "yyyy"})


def test_percentile_approx_as_pyspark(spark):
    import ember.sql.functions as F

    df = spark.createDataFrame([(1,), (2,), (3,), (4,)], "x int")
    r = df.select(F.percentile_approx("x", 0.5).alias("m"), F.percentile_approx("x", [0.1, 0.9]).alias("q"))
    assert tuple(r.collect()[0]) == (2, [1, 4])


def test_skewness_and_kurtosis_as_pyspark(spark):
    import ember.sql.functions as F

    df = spark.createDataFrame([(1,), (2,), (3,), (10,)], "x int")
    r = df.select(F.skewness("x"), F.kurtosis("x"))
    assert r.columns == ["skewness(x)", "kurtosis(x)"]
    assert tuple(r.collect()[0]) == (1.0182337649086284, -0.7696000000000001)


def test_session_time_zone_other_than_utc_is_refused(spark):
    # Ember computes TIMESTAMPs in UTC only: another zone is an error, not silently ignored.
    from ember.errors import IllegalArgumentException

    with pytest.raises(IllegalArgumentException, match="spark.sql.session.timeZone=Asia/Tokyo is not supported"):
        spark.conf.set("spark.sql.session.timeZone", "Asia/Tokyo")
    with pytest.raises(IllegalArgumentException):
        spark.sql("SET spark.sql.session.timeZone=+08:00")
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    assert spark.sql("SELECT 1 AS x").first().x == 1
