"""Ratings to top-3 recommendations per user with a window function, loaded to Parquet and
queried back with SQL."""

import os
import sys
import tempfile

from ember.sql import SparkSession, Window, functions as F

here = os.path.dirname(os.path.abspath(__file__))
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(tempfile.mkdtemp(prefix="ember-ratings-"), "top3")
spark = SparkSession.builder.appName("top3").getOrCreate()

ratings = spark.read.csv(os.path.join(here, "data", "ratings.csv"), header=True, inferSchema=True)
w = Window.partitionBy("user_id").orderBy(F.desc("rating"), F.asc("movie"))
top3 = ratings.withColumn("rank", F.row_number().over(w)).filter(F.col("rank") <= 3)
top3.orderBy("user_id", "rank").show()

top3.write.mode("overwrite").partitionBy("user_id").parquet(out)
spark.read.parquet(out).createOrReplaceTempView("top3")
spark.sql(
    "SELECT user_id, COUNT(*) AS picks, MAX(rating) AS best, MIN(rating) AS worst "
    "FROM top3 GROUP BY user_id ORDER BY user_id"
).show()
spark.sql("SELECT * FROM top3 WHERE rank = 1 ORDER BY user_id").show()
spark.stop()
