"""A job whose query fails: the traceback is printed and the exit status is non-zero."""

from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
spark.sql("SELECT no_such_column FROM range(3)").show()
