from ember.sql import SparkSession, Row, functions as F
spark = SparkSession.builder.appName("structs").getOrCreate()
df = spark.createDataFrame(
    [(1, ("Paris", ("FR", 75001))), (2, ("London", ("UK", 0)))],
    "id int, place struct<city: string, code: struct<country: string, zip: int>>",
)
df.select("id", "place.*").show()
df.select("place.code.*", "id").show()
df.select(F.col("place.*")).printSchema()
df.alias("d").select("d.place.*").show()
df.select("*").show(truncate=False)
for bad in ["id.*", "nosuch.*"]:
    try:
        df.select(bad).show()
    except Exception as e:
        print(type(e).__name__, str(e).splitlines()[0])
