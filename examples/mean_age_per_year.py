"""Mean age per year: string columns cast to int, implausible ages filtered out."""

import os

from ember.sql import SparkSession, functions as F

here = os.path.dirname(os.path.abspath(__file__))
spark = SparkSession.builder.appName("mean-age").getOrCreate()

people = spark.read.option("header", "true").csv(os.path.join(here, "data", "people.csv"))
people.printSchema()

typed = people.withColumn("age", F.col("age").cast("int")).withColumn("year", F.col("year").cast("int"))
valid = typed.filter((F.col("age") > 0) & (F.col("age") < 120))
result = valid.groupBy("year").agg(F.round(F.mean("age"), 2).alias("mean_age"), F.count("age").alias("people"))
result.orderBy("year").show()
print(result.orderBy("year").collect())
spark.stop()
