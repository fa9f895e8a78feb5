"""An unmodified PySpark job of the classic kind users bring to spark-submit: read a CSV with a
header and schema inference, cast, group, average, order, show. Takes the CSV path as its
argument; its expected output (`mean_age.out`) is what PySpark 4 prints for it."""

import sys

from pyspark.sql import SparkSession, functions as F

spark = SparkSession.builder.appName("mean-age").getOrCreate()

people = spark.read.option("header", "true").option("inferSchema", "true").csv(sys.argv[1])
people.printSchema()

typed = people.withColumn("age", F.col("age").cast("double"))
valid = typed.filter((F.col("age") > 0) & (F.col("age") < 120))
result = valid.groupBy("year").agg(F.round(F.mean("age"), 2).alias("mean_age"), F.count("age").alias("people"))
result.orderBy("year").show()
print(result.orderBy("year").collect())
spark.stop()
