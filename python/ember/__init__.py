"""Ember: a Spark-compatible dataflow engine in Rust. Use ``ember.sql`` like ``pyspark.sql``."""

__version__ = "0.1.0"

from ember.files import SparkFiles  # noqa: E402

__all__ = ["SparkFiles"]
