"""``ember.sql``: the PySpark ``pyspark.sql`` API on the Ember engine."""

from .column import Column
from .dataframe import DataFrame, DataFrameNaFunctions, DataFrameStatFunctions
from .group import GroupedData
from .readwriter import DataFrameReader, DataFrameWriter
from .row import Row
from .session import SparkSession
from .window import Window, WindowSpec
from .catalog import Catalog
from .udf import UDFRegistration, UserDefinedFunction
from .storagelevel import StorageLevel
from . import functions, types

__all__ = [
    "SparkSession", "DataFrame", "Column", "Row", "GroupedData", "DataFrameReader", "DataFrameWriter",
    "Window", "WindowSpec", "Catalog", "UDFRegistration", "UserDefinedFunction", "DataFrameNaFunctions",
    "DataFrameStatFunctions", "StorageLevel", "functions", "types",
]
