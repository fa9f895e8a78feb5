"""``SparkSession``: the entry point, as ``pyspark.sql.SparkSession``."""

import os
import threading

from ember import _native, __version__, files

from .catalog import Catalog
from .conversion import infer_schema, rows_to_batches
from .dataframe import DataFrame
from .readwriter import DataFrameReader
from .types import (
    DataType, StructField, StructType, _parse_datatype_string, from_arrow_schema, from_arrow_type,
)
from .udf import UDFRegistration


class RuntimeConfig:
    """``spark.conf``."""

    def __init__(self, jss):
        self._jss = jss

    def get(self, key, default=None):
        v = self._jss.conf_get(key)
        if v is None:
            v = _DEFAULTS.get(key)
        if v is None:
            if default is not None:
                return default
            from ember.errors import PySparkException

            raise _NoSuchElement("[SQL_CONF_NOT_FOUND] The SQL config \"%s\" cannot be found. Please verify that the config exists." % key)
        return v

    def set(self, key, value):
        if isinstance(value, bool):
            value = "true" if value else "false"
        self._jss.conf_set(key, str(value))

    def unset(self, key):
        self._jss.conf_unset(key)

    def getAll(self):
        return dict(self._jss.conf_all())

    def isModifiable(self, key):
        return key.startswith("spark.sql.") or key.startswith("ember.")


from ember.errors import SparkRuntimeException as _NoSuchElement  # noqa: E402

_DEFAULTS = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "true",
}


class SparkContext:
    """The parts of ``SparkContext`` a DataFrame program touches."""

    def __init__(self, session):
        self._session = session
        self._log_level = "WARN"

    @property
    def appName(self):
        return self._session.conf.get("spark.app.name", "ember")

    @property
    def master(self):
        return self._session.conf.get("spark.master", "local[*]")

    @property
    def defaultParallelism(self):
        return self._session._jss.default_parallelism()

    @property
    def version(self):
        return self._session.version

    def setLogLevel(self, logLevel):
        """Ember writes nothing to the console below warnings; the level is kept for ``getLogLevel``."""
        self._log_level = logLevel.upper()

    def getLogLevel(self):
        return self._log_level

    def addFile(self, path, recursive=False):
        """Makes a file (or, with ``recursive``, a directory) available as ``SparkFiles.get(name)``."""
        files.add_file(path, recursive)

    @property
    def listFiles(self):
        """Paths of the files added with ``addFile`` or ``spark.files``."""
        return files.listed_files()

    def stop(self):
        self._session.stop()


def _launcher_conf():
    conf = {}
    for line in os.environ.get("EMBER_CONF", "").splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip():
            conf[key.strip()] = value.strip()
    return conf


class SparkSession:
    _lock = threading.RLock()
    _instantiatedSession = None
    _activeSession = None

    class Builder:
        def __init__(self):
            self._options = {}

        def master(self, master):
            return self.config("spark.master", master)

        def appName(self, name):
            return self.config("spark.app.name", name)

        def remote(self, url):
            return self.config("spark.remote", url)

        def enableHiveSupport(self):
            return self

        def config(self, key=None, value=None, conf=None, *, map=None):
            if conf is not None:
                for k, v in conf.getAll():
                    self._options[k] = str(v)
            if map is not None:
                for k, v in map.items():
                    self._options[k] = _conf_value(v)
            if key is not None:
                self._options[key] = _conf_value(value)
            return self

        def getOrCreate(self):
            with SparkSession._lock:
                session = SparkSession._instantiatedSession
                if session is None or session._stopped:
                    session = SparkSession(self._options)
                    SparkSession._instantiatedSession = session
                else:
                    for k, v in self._options.items():
                        if k not in ("spark.master", "spark.app.name"):
                            session.conf.set(k, v)
                SparkSession._activeSession = session
                return session

        def create(self):
            return SparkSession(self._options)

    class _BuilderAccessor:
        """``SparkSession.builder`` is a new Builder on each access, as in PySpark."""

        def __get__(self, instance, owner):
            return SparkSession.Builder()

    builder = _BuilderAccessor()

    def __init__(self, options=None):
        # Defaults from the launcher (`ember-submit`, tests): lines of `key=value` in
        # EMBER_CONF, overridden by whatever the program sets itself.
        options = dict(_launcher_conf(), **dict(options or {}))
        options.setdefault("spark.master", "local[*]")
        options.setdefault("spark.app.name", "ember")
        self._jss = _native.NativeSession(list(options.items()))
        self._stopped = False
        self.conf = RuntimeConfig(self._jss)
        self.catalog = Catalog(self)
        self.udf = UDFRegistration(self)
        self.sparkContext = SparkContext(self)
        # `--files` / `spark.files`: copied where `SparkFiles.get(name)` finds them.
        for path in options.get("spark.files", "").split(","):
            if path.strip():
                files.add_file(path.strip())


    @classmethod
    def getActiveSession(cls):
        return cls._activeSession

    @classmethod
    def active(cls):
        if cls._activeSession is None:
            return cls.builder.getOrCreate()
        return cls._activeSession

    @property
    def version(self):
        return __version__

    @property
    def read(self):
        return DataFrameReader(self)

    def newSession(self):
        return SparkSession(dict(self._jss.conf_all()))

    def range(self, start, end=None, step=1, numPartitions=None):
        if end is None:
            start, end = 0, start
        return DataFrame(self._jss.range(int(start), int(end), int(step), numPartitions), self)

    def sql(self, sqlQuery, args=None, **kwargs):
        views = []
        if kwargs:
            sqlQuery, views = _format_sql(self, sqlQuery, kwargs)
        try:
            return DataFrame(self._jss.sql(sqlQuery), self)
        finally:
            # The query has resolved the views into its plan; they were never the user's.
            for v in views:
                self._jss.drop_view(v, False)

    def table(self, tableName):
        return DataFrame(self._jss.table(tableName), self)

    def createDataFrame(self, data, schema=None, samplingRatio=None, verifySchema=True):
        import pyarrow as pa

        if isinstance(schema, str):
            schema = _parse_datatype_string(schema)
        if _is_pandas(data):
            table = pa.Table.from_pandas(data, preserve_index=False)
            if isinstance(schema, (list, tuple)):
                table = table.rename_columns(list(schema))
            if isinstance(schema, StructType):
                from .types import to_arrow_schema

                table = table.rename_columns(schema.names).cast(to_arrow_schema(schema))
            table = _normalize_arrow(table)
            return DataFrame(self._jss.create_dataframe(self._slices(table), table.schema), self)
        if isinstance(data, pa.Table):
            table = _normalize_arrow(data)
            return DataFrame(self._jss.create_dataframe(self._slices(table), table.schema), self)
        data = list(data)
        if isinstance(schema, DataType) and not isinstance(schema, StructType):
            schema = StructType([StructField("value", schema, True)])
            data = [(v,) for v in data]
        if isinstance(schema, StructType):
            st = schema
        else:
            names = list(schema) if isinstance(schema, (list, tuple)) else None
            if data and not isinstance(data[0], (tuple, list, dict)) and not hasattr(data[0], "__fields__"):
                from ember.errors import PySparkTypeError

                raise PySparkTypeError(
                    "[CANNOT_INFER_SCHEMA_FOR_TYPE] Can not infer schema for type: `%s`." % type(data[0]).__name__
                )
            if data and isinstance(data[0], dict):
                data = [dict(sorted(d.items())) for d in data]
            if not data and names:
                st = StructType([StructField(n, _string(), True) for n in names])
            else:
                st = infer_schema(data, names)
                for f in st.fields:
                    from .types import NullType

                    if isinstance(f.dataType, NullType) and names is None:
                        from ember.errors import PySparkValueError

                        raise PySparkValueError(
                            "[CANNOT_DETERMINE_TYPE] Some of types cannot be determined after inferring."
                        )
        batches, arrow_schema = rows_to_batches(data, st, self._jss.default_parallelism())
        return DataFrame(self._jss.create_dataframe(batches, arrow_schema), self)

    def _slices(self, table):
        """Local data in min(rows, defaultParallelism) contiguous slices, one per partition, as
        Spark slices it."""
        import pyarrow as pa

        n = max(1, min(table.num_rows, self._jss.default_parallelism()))
        out = []
        for i in range(n):
            lo, hi = i * table.num_rows // n, (i + 1) * table.num_rows // n
            part = table.slice(lo, hi - lo).combine_chunks()
            out.append(part.to_batches()[0] if part.num_rows else pa.RecordBatch.from_pylist([], schema=table.schema))
        return out

    def stop(self):
        with SparkSession._lock:
            self._jss.stop()
            self._stopped = True
            if SparkSession._instantiatedSession is self:
                SparkSession._instantiatedSession = None
            if SparkSession._activeSession is self:
                SparkSession._activeSession = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    # Spark-internal names some programs reach for.
    @property
    def _sc(self):
        return self.sparkContext


def _string():
    from .types import StringType

    return StringType()


def _conf_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _is_pandas(data):
    try:
        import pandas as pd
    except ImportError:
        return False
    return isinstance(data, pd.DataFrame)


def _normalize_arrow(table):
    """Arrow types the engine does not use become their Spark equivalents (large strings,
    nanosecond timestamps, unsigned ints)."""
    import pyarrow as pa

    fields = []
    for f in table.schema:
        t = f.type
        if pa.types.is_large_string(t) or pa.types.is_string_view(t):
            t = pa.string()
        elif pa.types.is_timestamp(t):
            # PySpark reads pandas datetimes as TIMESTAMP, naive ones in the session time zone.
            t = pa.timestamp("us", tz="UTC")
        elif pa.types.is_unsigned_integer(t):
            t = pa.int64()
        elif pa.types.is_dictionary(t):
            t = t.value_type
        fields.append(pa.field(f.name, t, True))
    return table.cast(pa.schema(fields))


def _format_sql(session, query, kwargs):
    """``spark.sql("SELECT * FROM {df}", df=df)``: DataFrames become temporary views."""
    import uuid

    values, views = {}, []
    for k, v in kwargs.items():
        if isinstance(v, DataFrame):
            name = "__ember_arg_%s" % uuid.uuid4().hex[:12]
            v.createOrReplaceTempView(name)
            values[k] = name
            views.append(name)
        else:
            values[k] = v
    return query.format(**values), views
