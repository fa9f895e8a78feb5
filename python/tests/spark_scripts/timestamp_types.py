import datetime
import os
import tempfile
from ember.sql import SparkSession, Row, functions as F
from ember.sql.types import *
spark = SparkSession.builder.appName("timestamps").config("spark.sql.session.timeZone", "UTC").getOrCreate()
events = spark.createDataFrame([
    (1, datetime.datetime(2024, 3, 1, 8, 15, 0), datetime.datetime(2024, 3, 1, 8, 15, 0, 500000)),
    (2, datetime.datetime(2024, 3, 2, 23, 59, 59), None),
], "id int, at timestamp, wall timestamp_ntz")
events.printSchema()
print(events.dtypes)
print(events.collect())
print(events.schema.simpleString())
events.show(truncate=False)
inferred = spark.createDataFrame([(1, datetime.datetime(2024, 1, 1, 10, 0))], ["id", "ts"])
print(inferred.dtypes, inferred.first())
casted = events.select("id", F.col("at").cast("timestamp_ntz").alias("at_ntz"), F.col("wall").cast("timestamp").alias("wall_ltz"),
                       F.col("wall").cast("string").alias("s"), F.col("wall").cast("date").alias("d"))
print(casted.dtypes)
casted.show()
print(events.select(F.lit(datetime.datetime(2024, 5, 1, 12, 30)).alias("l")).dtypes)
sql = spark.sql("SELECT TIMESTAMP_NTZ '2024-01-01 10:00:00' AS ntz, TIMESTAMP '2024-01-01 10:00:00' AS ltz, CAST('2024-06-01 00:00:01' AS TIMESTAMP_NTZ) AS c")
print(sql.dtypes)
print(sql.collect())
events.createOrReplaceTempView("events")
spark.sql("SELECT id, wall + INTERVAL 1 DAY AS later, typeof(wall + INTERVAL 1 DAY) AS t, at > wall AS after FROM events ORDER BY id").show()
pdf = events.toPandas()
print(pdf.dtypes.to_dict())
print(pdf.to_string())
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "events.parquet")
    events.write.parquet(path)
    back = spark.read.parquet(path)
    print(back.dtypes)
    back.orderBy("id").show(truncate=False)
