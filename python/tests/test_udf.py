"""Python UDFs."""

import pytest

from ember.errors import PythonException
from ember.sql import Row, functions as F
from ember.sql.types import IntegerType, StringType


def test_udf_forms(spark):
    df = spark.createDataFrame([(1, "a"), (2, None)], ["n", "s"])
    plus = F.udf(lambda x: x + 1, IntegerType())

    @F.udf(returnType=StringType())
    def shout(s):
        return None if s is None else s.upper() + "!"

    @F.udf
    def as_text(x):
        return "n=%s" % x

    out = df.select(plus("n").alias("p"), shout("s").alias("s"), as_text(F.col("n")).alias("t")).orderBy("p").collect()
    assert out == [Row(p=2, s="A!", t="n=1"), Row(p=3, s=None, t="n=2")]


def test_registered_udf_in_sql(spark):
    spark.udf.register("twice", lambda x: x * 2, "int")
    assert spark.sql("SELECT twice(21) AS v").collect() == [Row(v=42)]
    spark.range(3).createOrReplaceTempView("r3")
    assert [r[0] for r in spark.sql("SELECT twice(CAST(id AS INT)) FROM r3 ORDER BY 1").collect()] == [0, 2, 4]


def test_udf_that_raises(spark):
    @F.udf("int")
    def boom(x):
        raise ValueError("bad value " + str(x))

    with pytest.raises(PythonException) as e:
        spark.range(1).select(boom("id")).collect()
    msg = str(e.value)
    assert msg.startswith("An exception was thrown from the Python worker:")
    assert "Traceback (most recent call last):" in msg and "in boom" in msg and "ValueError: bad value 0" in msg
