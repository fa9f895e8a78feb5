"""Prints where each setting came from: the script sets one itself, which wins."""

from pyspark.sql import SparkSession

spark = SparkSession.builder.config("spark.sql.shuffle.partitions", "5").getOrCreate()
for key in ["spark.master", "spark.app.name", "spark.sql.shuffle.partitions", "spark.executor.memory", "ember.from.file"]:
    print(key, spark.conf.get(key, "unset"))
spark.stop()
