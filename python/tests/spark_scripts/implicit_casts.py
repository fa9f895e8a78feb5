import datetime
from ember.sql import SparkSession, functions as F
spark = SparkSession.builder.appName("casts").getOrCreate()
df = spark.createDataFrame([("1", 2, datetime.date(2024, 1, 31)), ("10", 3, datetime.date(2024, 2, 29))], "s string, n int, d date")
r = df.select(F.col("s") + 1, F.col("s") * F.col("n"), F.col("s") > 9, F.col("d") + 1, F.col("d") - F.col("n"), F.col("s") + 1.5)
print(r.schema.simpleString())
r.show()
df.filter("s = 10").select("n").show()
df.filter(F.col("s") < 5).select("s").show()
df.createOrReplaceTempView("t")
q = spark.sql("SELECT s + n, s > 9, d + n, d - 1, d > '2024-02-01', '1' + 1 FROM t ORDER BY n")
print(q.schema.simpleString())
q.show()
print(df.select(F.col("s").cast("binary"), F.lit(None).cast("binary")).first())
for bad in [lambda: df.select(F.col("n").cast("binary")), lambda: df.withColumn("b", (F.col("n") * 1.5).cast("binary")),
            lambda: df.select(F.col("d").cast("binary"))]:
    try:
        bad()
        print("no error")
    except Exception as e:
        print(type(e).__name__, str(e).splitlines()[0].rstrip(";"))  # Spark appends the plan after ";"
