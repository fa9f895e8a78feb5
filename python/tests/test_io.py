"""Readers and writers: formats, options, modes, layout, and bad input."""

import os

import pytest

from ember.errors import AnalysisException, IllegalArgumentException, SparkRuntimeException
from ember.sql import Row
from ember.sql.types import DoubleType, IntegerType, StringType, StructField, StructType

TYPED = (
    "id,name,score,day,ts,flag,big,amt\n"
    "1,alice,1.5,2024-01-15,2024-01-15 10:00:00,true,3000000000,10\n"
    "2,bob,,2024-02-01,2024-02-01 11:30:00.5,false,1,20\n"
    "3,,2.0,2024-03-01,2024-03-01T00:00:00,TRUE,2,x\n"
)
BAD = (
    "id,name,score\n1,alice,1.5\n2,bob\n3,carol,2.0,extra\nx,dave,3.0\n4,\"quoted, name\",4.0\n"
    "5,\"esc\\\"aped\",5\n\n6,eve,6\n"
)
SCHEMA = StructType([StructField("id", IntegerType()), StructField("name", StringType()), StructField("score", DoubleType())])


@pytest.fixture
def files(tmp_path):
    (tmp_path / "typed.csv").write_text(TYPED)
    (tmp_path / "bad.csv").write_text(BAD)
    return tmp_path


def test_csv_inference_matches_spark(spark, files):
    df = spark.read.csv(str(files / "typed.csv"), header=True, inferSchema=True)
    assert df.dtypes == [("id", "int"), ("name", "string"), ("score", "double"), ("day", "date"), ("ts", "timestamp"),
                         ("flag", "boolean"), ("big", "bigint"), ("amt", "string")]
    assert spark.read.csv(str(files / "typed.csv"), header=True).dtypes == [(c, "string") for c in
                                                                            ["id", "name", "score", "day", "ts", "flag", "big", "amt"]]
    assert spark.read.csv(str(files / "typed.csv")).columns == ["_c0", "_c1", "_c2", "_c3", "_c4", "_c5", "_c6", "_c7"]
    rows = df.collect()
    assert rows[1].score is None and rows[2].name is None and rows[2].flag is True


def test_csv_modes(spark, files):
    path = str(files / "bad.csv")
    permissive = spark.read.csv(path, header=True, schema=SCHEMA).collect()
    assert permissive == [Row(id=1, name="alice", score=1.5), Row(id=2, name="bob", score=None),
                          Row(id=3, name="carol", score=2.0), Row(id=None, name="dave", score=3.0),
                          Row(id=4, name="quoted, name", score=4.0), Row(id=5, name='esc"aped', score=5.0),
                          Row(id=6, name="eve", score=6.0)]
    dropped = spark.read.csv(path, header=True, schema=SCHEMA, mode="DROPMALFORMED").collect()
    assert [r.id for r in dropped] == [1, 4, 5, 6]
    with pytest.raises(SparkRuntimeException) as e:
        spark.read.csv(path, header=True, schema=SCHEMA, mode="FAILFAST").collect()
    assert "MALFORMED_RECORD_IN_PARSING" in str(e.value) and "FAILFAST" in str(e.value)
    assert spark.read.csv(path, header=True, inferSchema=True).dtypes == [("id", "string"), ("name", "string"), ("score", "double")]
    with pytest.raises(IllegalArgumentException):
        spark.read.csv(path, mode="SOMETIMES").collect()


def test_csv_options(spark, tmp_path):
    (tmp_path / "x.csv").write_text("a;b;c\n1;NA;'q;x'\n")
    df = spark.read.format("csv").option("header", "true").option("sep", ";").options(nullValue="NA", quote="'").load(str(tmp_path / "x.csv"))
    assert df.collect() == [Row(a="1", b=None, c="q;x")]
    (tmp_path / "d.csv").write_text("d\n15/03/2024\n")
    got = spark.read.csv(str(tmp_path / "d.csv"), header=True, schema="d date", dateFormat="dd/MM/yyyy").first().d
    import datetime

    assert got == datetime.date(2024, 3, 15)


def test_missing_path(spark, tmp_path):
    with pytest.raises(AnalysisException) as e:
        spark.read.csv(str(tmp_path / "missing.csv"))
    assert str(e.value) == "[PATH_NOT_FOUND] Path does not exist: file:%s. SQLSTATE: 42K03" % (tmp_path / "missing.csv")


def test_directories_and_globs(spark, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.csv").write_text("x\n1\n")
    (d / "b.csv").write_text("x\n2\n")
    (d / "_SUCCESS").write_text("")
    assert spark.read.csv(str(d), header=True).count() == 2
    assert spark.read.csv(str(d / "*.csv"), header=True).count() == 2


def test_json_and_text(spark, tmp_path):
    (tmp_path / "p.json").write_text('{"name":"a","age":3,"tags":["x"],"addr":{"zip":"1","city":"c"}}\n{"name":"b","score":1.5}\n')
    df = spark.read.json(str(tmp_path / "p.json"))
    assert df.dtypes == [("addr", "struct<city:string,zip:string>"), ("age", "bigint"), ("name", "string"),
                         ("score", "double"), ("tags", "array<string>")]
    assert df.first().addr == Row(city="c", zip="1")
    (tmp_path / "t.txt").write_text("hello\nworld\n")
    assert spark.read.text(str(tmp_path / "t.txt")).collect() == [Row(value="hello"), Row(value="world")]


def test_parquet_round_trip_and_layout(spark, people, tmp_path):
    out = str(tmp_path / "out")
    people.write.parquet(out)
    names = sorted(os.listdir(out))
    assert "_SUCCESS" in names
    parts = [n for n in names if n.startswith("part-")]
    assert parts and all(n.endswith("-c000.snappy.parquet") for n in parts)
    back = spark.read.parquet(out)
    assert back.dtypes == people.dtypes and back.count() == 4
    with pytest.raises(AnalysisException) as e:
        people.write.parquet(out)
    assert "[PATH_ALREADY_EXISTS]" in str(e.value)
    people.write.mode("ignore").parquet(out)
    people.write.mode("append").parquet(out)
    assert spark.read.parquet(out).count() == 8
    people.write.mode("overwrite").parquet(out)
    assert spark.read.parquet(out).count() == 4


def test_partitioned_write_and_discovery(spark, tmp_path):
    df = spark.createDataFrame([(1, "a", True), (2, "b", False), (3, "a", True)], ["n", "k", "flag"])
    out = str(tmp_path / "p")
    df.write.partitionBy("k").parquet(out)
    assert sorted(os.listdir(out)) == ["_SUCCESS", "k=a", "k=b"]
    back = spark.read.parquet(out)
    assert back.columns == ["n", "flag", "k"]
    assert sorted((r.n, r.k) for r in back.collect()) == [(1, "a"), (2, "b"), (3, "a")]
    csv_out = str(tmp_path / "c")
    df.write.mode("overwrite").partitionBy("flag").csv(csv_out, header=True)
    assert sorted(os.listdir(csv_out)) == ["_SUCCESS", "flag=false", "flag=true"]
    back = spark.read.csv(csv_out, header=True, inferSchema=True)
    assert back.dtypes == [("n", "int"), ("k", "string"), ("flag", "string")]


def test_failed_write_leaves_nothing(spark, tmp_path):
    from ember.sql import functions as F
    from ember.errors import PythonException

    @F.udf("int")
    def boom(x):
        raise ValueError("no")

    out = tmp_path / "never"
    with pytest.raises(PythonException):
        spark.range(3).select(boom("id")).write.parquet(str(out))
    assert not out.exists()
    assert [p for p in os.listdir(tmp_path) if "staging" in p] == []


def test_other_writers(spark, tmp_path):
    df = spark.createDataFrame([(1, "a"), (2, None)], ["n", "s"])
    df.write.json(str(tmp_path / "j"))
    assert spark.read.json(str(tmp_path / "j")).orderBy("n").collect() == [Row(n=1, s="a"), Row(n=2, s=None)]
    df.select("s").na.fill("z").write.text(str(tmp_path / "t"))
    assert sorted(r.value for r in spark.read.text(str(tmp_path / "t")).collect()) == ["a", "z"]
    df.write.format("csv").option("header", True).save(str(tmp_path / "c"))
    assert spark.read.csv(str(tmp_path / "c"), header=True, inferSchema=True).orderBy("n").collect() == [Row(n=1, s="a"), Row(n=2, s=None)]


def test_files_are_read_in_sparks_partition_order(spark, tmp_path):
    # Spark packs files into partitions largest first; a plain show() lists rows that way.
    d = tmp_path / "in"
    d.mkdir()
    (d / "p1.csv").write_text("k,v\na,1\nb,2\n")
    (d / "p2.csv").write_text("k,v\nc,3\nd,4\ne,5\nf,6\n")
    (d / "p3.csv").write_text("k,v\ng,7\n")
    assert [r.k for r in spark.read.csv(str(d), header=True).collect()] == ["c", "d", "e", "f", "a", "b", "g"]


def test_parquet_strings_reach_python_as_plain_strings(spark, tmp_path):
    """Parquet scans use Arrow's view layouts inside the engine; Python sees `string`/`binary`."""
    import pyarrow as pa

    from ember.sql.functions import col, udf

    out = str(tmp_path / "p")
    spark.createDataFrame([("a", bytearray(b"x"), ["p", "q"]), (None, None, None)], "s string, b binary, l array<string>") \
        .write.parquet(out)
    df = spark.read.parquet(out).orderBy(col("s").asc_nulls_last())
    assert df.toArrow().schema.types == [pa.string(), pa.binary(), pa.list_(pa.string())]
    assert df.collect() == [Row(s="a", b=bytearray(b"x"), l=["p", "q"]), Row(s=None, b=None, l=None)]
    seen = udf(lambda s: type(s).__name__ + ":" + str(s))
    assert [r.t for r in df.select(seen("s").alias("t")).collect()] == ["str:a", "NoneType:None"]
    assert df.groupBy("s").count().orderBy("s").collect() == [Row(s=None, count=1), Row(s="a", count=1)]
