from ember.sql import SparkSession, functions as F
spark = SparkSession.builder.appName("stats").getOrCreate()
sales = spark.createDataFrame([
    ("north", "ann", 1200.5, 3), ("north", "bob", 800.0, 5), ("north", "cy", 1200.5, 1),
    ("south", "dee", 15000.25, 2), ("south", "eve", None, 4), ("south", "fay", 15000.25, 4),
    ("west", "gus", 0.125, 0), ("west", "hal", 2.675, 1),
], "region string, rep string, amount double, deals int")
summary = sales.groupBy("region").agg(
    F.max_by("rep", "amount").alias("top_rep"), F.min_by("rep", "deals").alias("fewest"),
    F.count_if(F.col("deals") > 2).alias("busy"), F.product("deals").alias("deal_product"),
    F.mode("amount").alias("usual"), F.approx_count_distinct("amount").alias("distinct_amounts"),
    F.format_number(F.sum("amount"), 2).alias("total"),
)
summary.printSchema()
summary.orderBy("region").show(truncate=False)
sales.select("rep", F.format_number("amount", 2).alias("amount"), F.format_number("deals", 0).alias("deals")).orderBy("rep").show()
sales.agg(F.max_by("rep", "amount"), F.min_by("rep", "amount"), F.count_if(F.col("amount").isNull()), F.mode(F.col("deals") > 1),
          F.approx_count_distinct("region"), F.product(F.col("deals") + 1)).show()
print(sales.select(F.nullifzero("deals").alias("nz"), F.zeroifnull("amount").alias("zn"), F.equal_null("amount", F.lit(None))).orderBy("nz", "zn").collect())
print(sales.select(F.e(), F.current_database(), F.current_catalog(), F.current_schema()).first())
spark.sql("SELECT region, count_if(deals > 2) AS busy, max_by(rep, deals) AS most, format_number(avg(amount), 3) AS avg_amount FROM VALUES ('a', 'x', 1.0, 3), ('a', 'y', 2.5, 1) AS t(region, rep, amount, deals) GROUP BY region").show()
weights = spark.createDataFrame([(1, 2), (5, 1), (9, 1), (None, 3)], "n int, f int")
pct = weights.select(F.percentile("n", 0.5), F.percentile("n", [0.1, 0.9]), F.percentile("n", 0.5, F.col("f")))
print(pct.columns)
print(pct.collect())
spark.sql("SELECT percentile(col, 0.3), percentile(col, array(0.25, 0.75)) FROM VALUES (0), (10) AS tab(col)").show()
