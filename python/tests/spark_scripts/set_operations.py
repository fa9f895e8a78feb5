from ember.sql import SparkSession, functions as F
spark = SparkSession.builder.appName("set_operations").getOrCreate()
a = spark.createDataFrame([(1, "x"), (1, "x"), (1, "x"), (2, "y"), (None, None), (None, None)], "k int, v string")
b = spark.createDataFrame([(1, "x"), (1, "x"), (None, None), (3, "z")], "k int, v string")
a.intersectAll(b).orderBy("k", "v").show()
a.exceptAll(b).orderBy("k", "v").show()
a.intersect(b).orderBy("k").show()
a.subtract(b).orderBy("k").show()
people = spark.createDataFrame(
    [("eng", "Raj"), ("eng", "Ana"), ("ops", "Tom"), ("eng", "Li"), ("ops", "Eva")], "dept string, name string"
)
people.orderBy("name").groupBy("dept").agg(F.string_agg("name", ",").alias("names")).orderBy("dept").show()
try:
    people.select("nam").show()
except Exception as e:
    # Spark follows the message with the analyzed plan.
    print(type(e).__name__, str(e).splitlines()[0].rstrip(";"))
