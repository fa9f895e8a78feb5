"""An unmodified PySpark job (examples/mean_age_per_year.py with pyspark imports): the kind
users bring to spark-submit. Takes the CSV path as its argument."""

import sys

from pyspark.sql import SparkSession, functions as F

spark = SparkSession.builder.appName("mean-age").getOrCreate()

people = spark.read.option("header", "true").csv(sys.argv[1])
people.printSchema()

typed = people.withColumn("age", F.col("age").cast("int")).withColumn("year", F.col("year").cast("int"))
valid = typed.filter((F.col("age") > 0) & (F.col("age") < 120))
result = valid.groupBy("year").agg(F.round(F.mean("age"), 2).alias("mean_age"), F.count("age").alias("people"))
result.orderBy("year").show()
print(result.orderBy("year").collect())
spark.stop()
