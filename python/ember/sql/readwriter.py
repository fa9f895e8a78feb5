"""``spark.read`` and ``df.write``, as ``pyspark.sql.DataFrameReader``/``DataFrameWriter``."""

from ember.errors import PySparkTypeError

from .types import StructType, _parse_datatype_string, to_arrow_schema


def _opt(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _paths(path):
    if path is None:
        return []
    if isinstance(path, (list, tuple)):
        return [str(p) for p in path]
    return [str(path)]


class DataFrameReader:
    def __init__(self, session):
        self._session = session
        self._format = "parquet"
        self._options = {}
        self._schema = None

    def format(self, source):
        self._format = source
        return self

    def option(self, key, value):
        self._options[key.lower()] = _opt(value)
        return self

    def options(self, **options):
        for k, v in options.items():
            if v is not None:
                self.option(k, v)
        return self

    def schema(self, schema):
        if isinstance(schema, str):
            schema = _parse_datatype_string(schema)
        if not isinstance(schema, StructType):
            raise PySparkTypeError(
                "[NOT_STR_OR_STRUCT] Argument `schema` should be a str or StructType, got %s." % type(schema).__name__
            )
        self._schema = schema
        return self

    def load(self, path=None, format=None, schema=None, **options):
        if format is not None:
            self.format(format)
        if schema is not None:
            self.schema(schema)
        self.options(**options)
        from .dataframe import DataFrame

        arrow_schema = to_arrow_schema(self._schema) if self._schema is not None else None
        jdf = self._session._jss.read(self._format, _paths(path), dict(self._options), arrow_schema)
        return DataFrame(jdf, self._session)

    def csv(self, path, schema=None, sep=None, encoding=None, quote=None, escape=None, comment=None,
            header=None, inferSchema=None, ignoreLeadingWhiteSpace=None, ignoreTrailingWhiteSpace=None,
            nullValue=None, nanValue=None, positiveInf=None, negativeInf=None, dateFormat=None,
            timestampFormat=None, maxColumns=None, maxCharsPerColumn=None, maxMalformedLogPerPartition=None,
            mode=None, columnNameOfCorruptRecord=None, multiLine=None, **kwargs):
        opts = dict(sep=sep, encoding=encoding, quote=quote, escape=escape, comment=comment, header=header,
                    inferSchema=inferSchema, nullValue=nullValue, dateFormat=dateFormat,
                    timestampFormat=timestampFormat, mode=mode, multiLine=multiLine)
        opts.update(kwargs)
        return self.load(path, "csv", schema, **opts)

    def json(self, path, schema=None, **kwargs):
        return self.load(path, "json", schema, **kwargs)

    def parquet(self, *paths, **options):
        return self.load(list(paths), "parquet", None, **options)

    def text(self, paths, wholetext=False, lineSep=None, **kwargs):
        return self.load(paths, "text", None, **kwargs)

    def table(self, tableName):
        return self._session.table(tableName)


class DataFrameWriter:
    def __init__(self, df):
        self._df = df
        self._format = "parquet"
        self._mode = "errorifexists"
        self._options = {}
        self._partition_by = []

    def mode(self, saveMode):
        self._mode = saveMode or "errorifexists"
        return self

    def format(self, source):
        self._format = source
        return self

    def option(self, key, value):
        self._options[key.lower()] = _opt(value)
        return self

    def options(self, **options):
        for k, v in options.items():
            if v is not None:
                self.option(k, v)
        return self

    def partitionBy(self, *cols):
        if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
            cols = cols[0]
        self._partition_by = list(cols)
        return self

    def save(self, path=None, format=None, mode=None, partitionBy=None, **options):
        if format is not None:
            self.format(format)
        if mode is not None:
            self.mode(mode)
        if partitionBy is not None:
            self.partitionBy(partitionBy)
        self.options(**options)
        if path is None:
            path = self._options.get("path")
        if path is None:
            raise PySparkTypeError("[ARGUMENT_REQUIRED] Argument `path` is required for save().")
        self._df._jdf.write(str(path), self._format, self._mode, dict(self._options), self._partition_by)

    def csv(self, path, mode=None, compression=None, sep=None, quote=None, escape=None, header=None,
            nullValue=None, **kwargs):
        opts = dict(sep=sep, quote=quote, escape=escape, header=header, nullValue=nullValue)
        opts.update(kwargs)
        self.save(path, "csv", mode, None, **opts)

    def json(self, path, mode=None, **kwargs):
        self.save(path, "json", mode, None, **kwargs)

    def parquet(self, path, mode=None, partitionBy=None, compression=None):
        self.save(path, "parquet", mode, partitionBy)

    def text(self, path, compression=None, lineSep=None):
        self.save(path, "text")
