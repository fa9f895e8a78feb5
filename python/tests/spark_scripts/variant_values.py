from ember.sql import SparkSession, functions as F
from ember.sql.types import VariantVal
spark = SparkSession.builder.appName("variant").getOrCreate()
events = spark.createDataFrame(
    [(1, '{"user": {"name": "ann", "tags": ["a", "b"]}, "amount": 12.50, "ok": true}'),
     (2, '{"user": {"name": "bob", "tags": []}, "amount": 3, "at": "2024-03-01"}'),
     (3, '[1, 2.5, null, "x"]'),
     (4, None)],
    ["id", "raw"])
v = events.select("id", F.parse_json("raw").alias("v"))
v.printSchema()
print(v)
v.show(truncate=False)
v.select("id", F.variant_get("v", "$.user.name", "string").alias("name"),
         F.variant_get("v", "$.amount", "decimal(10,2)").alias("amount"),
         F.try_variant_get("v", "$.at", "date").alias("at"),
         F.variant_get("v", "$.user.tags[0]", "string").alias("tag"),
         F.is_variant_null(F.variant_get("v", "$[2]", "variant")).alias("null2")).orderBy("id").show()
v.select(F.schema_of_variant("v").alias("s")).show(truncate=False)
v.select(F.schema_of_variant_agg("v").alias("s")).show(truncate=False)
v.select(F.to_json("v").alias("j")).orderBy("j").show(truncate=False)
rows = v.orderBy("id").collect()
for r in rows:
    print(r.id, r.v, None if r.v is None else r.v.toPython())
print(rows[0].v.toJson())
print(VariantVal.parseJson('{"k": [1, {"z": null}]}').toPython())
spark.sql("SELECT parse_json('{\"a\":{\"b\":[7, 8]}}') AS v").selectExpr("v:a.b[1]", "v:a.b[0]::int", "cast(v:a as string) AS s").show()
spark.sql("SELECT variant_set(parse_json('{\"a\":1}'), '$.b.c', array(1, 2)) AS v, variant_delete(parse_json('[1,2,3]'), '$[1]') AS d").show(truncate=False)
spark.sql("SELECT to_variant_object(named_struct('n', 'x', 'm', map('k', 1.5))) AS o, cast(date'2024-01-02' AS variant) AS d").show(truncate=False)
for q in ["SELECT variant_get(parse_json('{\"a\":\"x\"}'), '$.a', 'int')", "SELECT variant_get(parse_json('1'), 'a')"]:
    try:
        spark.sql(q).collect()
    except Exception as e:
        print(type(e).__name__, str(e).splitlines()[0])
print(spark.sql("SELECT try_parse_json('{') AS t, try_variant_get(parse_json('\"x\"'), '$', 'int') AS u").collect())
