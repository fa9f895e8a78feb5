from ember.sql import SparkSession, functions as F
spark = SparkSession.builder.appName("lambdas").getOrCreate()
orders = spark.createDataFrame([
    (1, [3, 1, 2], {"eu": 10, "us": 0}, [1.5, 2.5], ["a", "b", "c"]),
    (2, [], {}, [], ["x"]),
    (3, None, None, None, None),
    (4, [7, None, 5], {"eu": -1}, [4.0], ["p", "q"]),
], "id int, qty array<int>, stock map<string,int>, prices array<double>, tags array<string>")
orders.select("id", F.transform("qty", lambda x: x * 10).alias("tens"), F.transform("qty", lambda x, i: x + i).alias("plus_pos"),
              F.filter("qty", lambda x: x > 1).alias("big"), F.exists("qty", lambda x: x > 6).alias("any7"),
              F.forall("qty", lambda x: x > 0).alias("all_pos")).orderBy("id").show(truncate=False)
orders.select("id", F.aggregate("prices", F.lit(0.0), lambda acc, x: acc + x).alias("total"),
              F.aggregate("qty", F.lit(0), lambda acc, x: acc + F.coalesce(x, F.lit(0)), lambda acc: acc * 2).alias("twice"),
              F.reduce("tags", F.lit(""), lambda acc, x: F.concat(acc, x)).alias("joined")).orderBy("id").show()
orders.select("id", F.zip_with("qty", "tags", lambda q, t: F.concat(t, F.lit("="), q.cast("string"))).alias("pairs"),
              F.array_sort("qty").alias("asc"), F.array_sort("qty", lambda l, r: F.when(l.isNull(), 1).when(r.isNull(), -1).otherwise(r - l)).alias("desc"),
              ).orderBy("id").show(truncate=False)
orders.select("id", F.map_filter("stock", lambda k, v: v > 0).alias("in_stock"), F.transform_values("stock", lambda k, v: v + F.col("id")).alias("shifted"),
              F.transform_keys("stock", lambda k, v: F.upper(k)).alias("upper"),
              F.map_zip_with("stock", F.create_map(F.lit("eu"), F.lit(5)), lambda k, a, b: F.coalesce(a, F.lit(0)) + F.coalesce(b, F.lit(0))).alias("merged")
              ).orderBy("id").show(truncate=False)
nested = orders.select("id", F.transform("tags", lambda t: F.transform("qty", lambda q: F.concat(t, q.cast("string")))).alias("grid"))
print(nested.schema.simpleString())
print(nested.orderBy("id").collect())
named = orders.select(F.transform("qty", lambda x: x + 1), F.filter("tags", lambda t: t != "a"), F.exists("prices", lambda p: p > 2.0))
print(named.columns)
print(orders.selectExpr("transform(qty, x -> x * id) AS scaled", "aggregate(qty, 0, (a, x) -> a + coalesce(x, 0))").orderBy("scaled").collect())
for bad in [lambda: F.transform("qty", lambda: F.lit(1)), lambda: F.transform("qty", lambda x: 1), lambda: F.transform("qty", lambda *xs: xs[0])]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
try:
    orders.select(F.filter("qty", lambda x: x + 1)).collect()
except Exception as e:
    print(type(e).__name__, str(e).splitlines()[0].rstrip(";"))  # Spark appends the plan after ";"
