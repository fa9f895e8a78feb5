import datetime
import decimal
import os
import tempfile
from ember.sql import SparkSession, Row, functions as F, Window
from ember.sql.types import *
spark = SparkSession.builder.appName("values").getOrCreate()
df = spark.createDataFrame([
    (1, 1234567.891, 0.000123, 1e20, decimal.Decimal("12.50"), datetime.date(2024, 2, 29), datetime.datetime(2024, 3, 1, 13, 45, 7, 250000), True, None),
    (2, -0.5, 100.0, 3.0, decimal.Decimal("-0.01"), datetime.date(1999, 12, 31), datetime.datetime(2000, 1, 1, 0, 0), False, "x"),
], "id int, a double, b double, c double, d decimal(10,2), dt date, ts timestamp, flag boolean, s string")
df.show()
df.printSchema()
print(df.collect())
print(df.first().asDict())
df.select((F.col("a") * 1000).alias("big"), (F.col("b") / 7).alias("div"), F.round(F.col("a"), 1).alias("r"), (F.col("id") * 3000000000).alias("l")).show()
df.select(F.sum("id"), F.avg("a"), F.sum("d"), F.avg("d"), F.max("ts"), F.min("dt")).show()
print(df.select(F.sum("id"), F.sum("d"), F.avg("d")).dtypes)
df.select(F.date_format("ts", "yyyy-MM-dd HH:mm"), F.to_date("ts"), F.hour("ts"), F.datediff("ts", "dt"), F.year("dt"), F.month("dt")).show()
df.select(F.col("ts").cast("string"), F.col("dt").cast("string"), F.col("d").cast("double"), F.col("a").cast("int"), F.col("flag").cast("int")).show()
df.selectExpr("id + 0.5", "d * 2", "a / 2", "id % 2 = 0 AS even", "concat(s, '!')").show()
ratings = spark.createDataFrame([("u1", 3.0), ("u1", 5.0), ("u1", 4.0), ("u2", 2.0), ("u2", 2.0)], ["u", "r"])
w = Window.partitionBy("u").orderBy("r")
ratings.select("u", "r", F.sum("r").over(w).alias("run"), F.avg("r").over(Window.partitionBy("u")).alias("m"),
               F.sum("r").over(w.rowsBetween(-1, 1)).alias("mov"), F.row_number().over(w).alias("rn"),
               F.lead("r", 1, 0.0).over(w).alias("nx"), F.percent_rank().over(w).alias("pr"), F.ntile(2).over(w).alias("nt")).orderBy("u", "rn").show()
@F.udf(returnType=ArrayType(StringType()))
def tokens(s):
    return None if s is None else list(s)
@F.udf(returnType=MapType(StringType(), IntegerType()))
def counts(s):
    return None if s is None else {c: s.count(c) for c in sorted(set(s))}
words = spark.createDataFrame([("hello",), (None,), ("abba",)], ["w"])
words.select("w", tokens("w").alias("t"), counts("w").alias("c"), F.length("w").alias("n")).show(truncate=False)
print(words.select(tokens("w").alias("t")).collect())
out = os.path.join(tempfile.mkdtemp(), "csv_out")
df.select("id", "a", "dt", "ts", "s").write.csv(out, header=True)
back = spark.read.csv(out, header=True, inferSchema=True)
back.printSchema()
back.orderBy("id").show()
spark.read.csv(out, header=True).orderBy("id").show(truncate=False)
j = os.path.join(tempfile.mkdtemp(), "json_out")
df.select("id", "s", "dt").write.json(j)
spark.read.json(j).orderBy("id").show()
print(spark.range(5).select(F.sum("id"), F.count("id")).collect())
spark.range(3).withColumn("sq", F.col("id") * F.col("id")).show()
spark.createDataFrame([Row(a=Row(x=1, y=[1, 2]), b={"k": Row(z=1.5)})]).show(truncate=False)
spark.createDataFrame([Row(a=Row(x=1, y=[1, 2]), b={"k": Row(z=1.5)})]).printSchema()
