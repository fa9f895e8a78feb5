from ember.sql import SparkSession, functions as F
from ember.sql.types import StructType, StructField, StringType, IntegerType, ArrayType, DoubleType
spark = SparkSession.builder.appName("json").getOrCreate()
events = spark.createDataFrame([
    (1, '{"user": "ann", "score": 9.5, "tags": ["new", "vip"], "geo": {"country": "NO", "city": "Oslo"}}'),
    (2, '{"user": "bob", "score": "n/a", "tags": [], "geo": null}'),
    (3, '{"user": "cy", "score": 7'),
    (4, None),
    (5, '{"user": "dee", "score": 3, "extra": {"k": [1, 2]}}'),
], "id int, payload string")
schema = StructType([
    StructField("user", StringType()), StructField("score", DoubleType()), StructField("tags", ArrayType(StringType())),
    StructField("geo", StructType([StructField("country", StringType()), StructField("city", StringType())])),
])
parsed = events.select("id", F.from_json("payload", schema).alias("e"))
parsed.printSchema()
parsed.orderBy("id").show(truncate=False)
parsed.select("id", "e.user", F.col("e.geo.city").alias("city"), F.size("e.tags").alias("n_tags")).orderBy("id").show()
ddl = events.select("id", F.from_json(F.col("payload"), "user STRING, score INT, extra STRING"))
print(ddl.columns)
ddl.orderBy("id").show(truncate=False)
print(events.select(F.schema_of_json(F.lit('{"user": "x", "score": 1.5, "tags": ["a"]}')).alias("s")).first()["s"])
print(events.select(F.schema_of_json('{"a": [{"b": 1}, {"c": "x"}]}')).columns)
events.select("id", F.get_json_object("payload", "$.user").alias("user"), F.json_array_length(F.get_json_object("payload", "$.tags")).alias("n"),
              F.json_object_keys("payload").alias("keys")).orderBy("id").show(truncate=False)
arrays = spark.createDataFrame([("[1, 2, 3]",), ('{"a": 1}',)], "j string")
arrays.select(F.from_json("j", ArrayType(IntegerType())).alias("xs"), F.from_json("j", "MAP<STRING, INT>").alias("m")).show()
print(parsed.select(F.to_json("e").alias("back")).orderBy("back").collect())
try:
    events.select(F.from_json("payload", "user STRING", {"mode": "FAILFAST"})).collect()
except Exception as e:
    print("FAILFAST:", "MALFORMED_RECORD_IN_PARSING" in str(e))
print(parsed.selectExpr("e.user", "e.geo.city", "e.score + 1").columns, parsed.select(F.col("e")["user"], F.col("e.user") + 1).columns)
