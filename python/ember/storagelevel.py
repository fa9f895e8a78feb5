"""``pyspark.storagelevel``'s counterpart."""

from ember.sql.storagelevel import StorageLevel  # noqa: F401
