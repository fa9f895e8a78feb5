"""Transaction cleaning: drop incomplete rows, filter, derive an amount, rename/drop columns,
classify with a Python UDF and summarise with SQL over temporary views."""

import os

from ember.sql import SparkSession, functions as F
from ember.sql.types import StringType

here = os.path.dirname(os.path.abspath(__file__))
spark = SparkSession.builder.appName("transactions").getOrCreate()

raw = spark.read.csv(os.path.join(here, "data", "transactions.csv"), header=True, inferSchema=True)
raw.printSchema()

clean = (
    raw.dropna(subset=["customer", "quantity"])
    .filter(F.col("status") == "complete")
    .filter(F.col("quantity") > 0)
    .withColumn("amount", F.col("quantity") * F.col("price"))
    .withColumnRenamed("customer", "customer_name")
    .drop("note", "status")
)
clean.show()


@F.udf(returnType=StringType())
def size_band(amount):
    return "large" if amount >= 20 else "small"


banded = clean.withColumn("band", size_band(F.col("amount")))
banded.createOrReplaceTempView("txns")
spark.udf.register("shout", lambda s: s.upper() + "!", StringType())

spark.sql(
    """
    SELECT customer_name, shout(customer_name) AS loud, COUNT(*) AS orders, SUM(amount) AS total
    FROM txns
    GROUP BY customer_name
    HAVING SUM(amount) > 5
    ORDER BY total DESC
    """
).show()
spark.sql("SELECT band, COUNT(*) AS n FROM txns GROUP BY band ORDER BY band").show()
spark.stop()
