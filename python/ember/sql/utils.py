"""``pyspark.sql.utils``: where older programs import exceptions from."""

from ember.errors import *  # noqa: F401,F403
