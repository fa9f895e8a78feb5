"""Extract students and marks from CSV, average marks per student, join, load to Parquet."""

import os
import sys
import tempfile

from ember.sql import SparkSession, functions as F

here = os.path.dirname(os.path.abspath(__file__))
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(tempfile.mkdtemp(prefix="ember-etl-"), "student_averages")

spark = SparkSession.builder.appName("students-marks-etl").getOrCreate()

students = spark.read.csv(os.path.join(here, "data", "students.csv"), header=True, inferSchema=True)
marks = spark.read.csv(os.path.join(here, "data", "marks.csv"), header=True, inferSchema=True)
students.printSchema()
marks.printSchema()

averages = marks.groupBy("student_id").agg(F.avg("marks"), F.count("*").alias("subjects"))
report = students.join(averages, "student_id").orderBy("student_id")
report.show()

report.write.mode("overwrite").parquet(out)
loaded = spark.read.parquet(out)
print(loaded.count())
loaded.orderBy(F.desc("avg(marks)")).show(3)
spark.stop()
