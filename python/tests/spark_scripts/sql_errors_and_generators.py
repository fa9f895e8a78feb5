from ember.sql import SparkSession, functions as F
spark = SparkSession.builder.appName("errors").getOrCreate()


def attempt(label, action):
    try:
        action()
        print(label, "ok")
    except Exception as e:
        print(label, type(e).__name__)
        print(str(e))


# A run-time error of a SQL query names the part of the text that raised it.
attempt("divide", lambda: spark.sql("SELECT 1/0 AS x").collect())
attempt("cast", lambda: spark.sql("SELECT CAST('abc' AS INT)").collect())
df = spark.sql("SELECT id, 10 / (id - 1) AS r FROM range(3)")
attempt("derived", lambda: df.filter("id >= 0").collect())
attempt("count", lambda: df.count())
attempt("year", lambda: spark.sql("SELECT year('2024-13-01')").collect())
# A CASE has the widest type of its branches.
c = spark.sql("SELECT id, CASE WHEN id < 1 THEN 1 WHEN id < 2 THEN 2.5 ELSE 10L END AS c FROM range(3)")
print(c.schema.simpleString())
c.show()
w = spark.range(3).select(F.when(F.col("id") < 1, F.lit(2.5)).otherwise(F.lit(10)).alias("w"))
print(w.schema.simpleString())
w.show()
# explode of a map gives its keys and values.
m = spark.sql("SELECT map('a', 1, 'b', 2) AS m")
m.select(F.explode("m")).show()
m.select(F.explode_outer("m")).show()
spark.sql("SELECT posexplode(map('a', 1, 'b', 2))").show()
attempt("one alias for a map", lambda: m.select(F.explode("m").alias("k")).collect())
