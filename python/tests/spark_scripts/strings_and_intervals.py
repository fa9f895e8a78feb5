import datetime
from ember.sql import SparkSession, functions as F
spark = SparkSession.builder.appName("strings_and_intervals").getOrCreate()
df = spark.createDataFrame([("hello", datetime.date(2024, 1, 31)), ("abc", datetime.date(2024, 2, 29))], ["s", "d"])
df.select(F.locate("l", "s"), F.locate("l", df.s, 4), F.position(F.lit("b"), df.s), F.trim(df.s), F.ltrim(df.s)).show()
df.select(df.d + F.expr("INTERVAL 1 DAY"), F.expr("d - INTERVAL 2 HOURS"), F.expr("INTERVAL '3' HOUR * 2")).show()
df.select(F.expr("INTERVAL '1' YEAR / 5").alias("ym"), F.expr("INTERVAL '1.5' SECOND * 3").alias("dt")).show(truncate=False)
df.selectExpr("1 >>> 1", "trim(LEADING 'h' FROM s)", "position('l' IN s)", "ltrim('h', s) AS l").show()
