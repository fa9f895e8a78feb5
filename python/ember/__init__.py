"""Ember: a Spark-compatible dataflow engine in Rust. Use ``ember.sql`` like ``pyspark.sql``."""

__version__ = "0.1.0"
