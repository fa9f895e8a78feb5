"""``DataFrame``: a lazy plan plus its session, as ``pyspark.sql.DataFrame``."""

import builtins

import pyarrow as pa

from ember import _native
from ember.errors import PySparkTypeError, PySparkValueError, AnalysisException, PySparkAttributeError

from . import functions as F
from .column import Column, _to_col
from .conversion import batches_to_rows, naive
from .group import GroupedData
from .types import StructType, from_arrow_schema, from_arrow_type, _parse_datatype_string


def _flatten(cols):
    if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
        return list(cols[0])
    return list(cols)


class DataFrame:
    """A distributed collection of rows under named columns. Transformations are lazy;
    actions (``show``, ``collect``, ``count``, ``write``, ``toPandas``) run a job."""

    def __init__(self, jdf, session):
        self._jdf = jdf
        self.sparkSession = session
        self._schema = None

    def _wrap(self, jdf):
        return DataFrame(jdf, self.sparkSession)

    # ---- schema ----

    @property
    def schema(self):
        if self._schema is None:
            self._schema = from_arrow_schema(self._jdf.schema())
        return self._schema

    @property
    def columns(self):
        return self._jdf.columns()

    @property
    def dtypes(self):
        return [(f.name, f.dataType.simpleString()) for f in self.schema.fields]

    def printSchema(self, level=None):
        print(self._jdf.tree_string(level))

    def __repr__(self):
        return "DataFrame[%s]" % ", ".join("%s: %s" % (n, t) for n, t in self.dtypes)

    def explain(self, extended=None, mode=None):
        if isinstance(extended, str):
            mode, extended = extended, None
        full = bool(extended) or mode in ("extended", "formatted", "cost", "codegen")
        print(self._jdf.explain_string(full))

    # ---- column access ----

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self.columns:
            raise PySparkAttributeError(
                "[ATTRIBUTE_NOT_SUPPORTED] Attribute `%s` is not supported." % name
            )
        return Column(self._jdf.column(name))

    def __getitem__(self, item):
        if isinstance(item, str):
            return Column(self._jdf.column(item))
        if isinstance(item, Column):
            return self.filter(item)
        if isinstance(item, (list, tuple)):
            return self.select(*item)
        if isinstance(item, int):
            return Column(self._jdf.column(self.columns[item]))
        raise PySparkTypeError("[NOT_COLUMN_OR_INT_OR_LIST_OR_STR_OR_TUPLE] unexpected item type: %s" % type(item).__name__)

    def _col(self, c):
        if isinstance(c, Column):
            return c._jc
        if isinstance(c, str):
            return _native.col(c)
        raise PySparkTypeError("[NOT_COLUMN_OR_STR] Argument `col` should be a Column or str, got %s." % type(c).__name__)

    # ---- transformations ----

    def select(self, *cols):
        return self._wrap(self._jdf.select([self._col(c) for c in _flatten(cols)]))

    def selectExpr(self, *expr):
        return self._wrap(self._jdf.select([_native.sql_expr(e) for e in _flatten(expr)]))

    def filter(self, condition):
        if isinstance(condition, str):
            condition = F.expr(condition)
        if not isinstance(condition, Column):
            raise PySparkTypeError("[NOT_COLUMN_OR_STR] Argument `condition` should be a Column or str, got %s." % type(condition).__name__)
        return self._wrap(self._jdf.filter(condition._jc))

    where = filter

    def withColumn(self, colName, col):
        if not isinstance(col, Column):
            raise PySparkTypeError("[NOT_COLUMN] Argument `col` should be a Column, got %s." % type(col).__name__)
        return self._wrap(self._jdf.with_columns([colName], [col._jc]))

    def withColumns(self, *colsMap):
        mapping = colsMap[0] if colsMap else {}
        if not isinstance(mapping, dict):
            raise PySparkTypeError("[NOT_DICT] Argument `colsMap` should be a dict, got %s." % type(mapping).__name__)
        return self._wrap(self._jdf.with_columns(list(mapping.keys()), [c._jc for c in mapping.values()]))

    def withColumnRenamed(self, existing, new):
        return self._wrap(self._jdf.with_column_renamed(existing, new))

    def withColumnsRenamed(self, colsMap):
        df = self
        for k, v in colsMap.items():
            df = df.withColumnRenamed(k, v)
        return df

    def toDF(self, *cols):
        if len(cols) != len(self.columns):
            raise PySparkValueError(
                "[LENGTH_SHOULD_BE_THE_SAME] Number of new column names (%d) must match the number of columns (%d)."
                % (len(cols), len(self.columns))
            )
        return self.select([F.col("`%s`" % old).alias(new) for old, new in zip(self.columns, cols)])

    def drop(self, *cols):
        names = [c for c in cols if isinstance(c, str)]
        refs = [c._jc for c in cols if isinstance(c, Column)]
        return self._wrap(self._jdf.drop(names, refs))

    def distinct(self):
        return self._wrap(self._jdf.distinct())

    def dropDuplicates(self, subset=None):
        return self._wrap(self._jdf.drop_duplicates(list(subset or [])))

    drop_duplicates = dropDuplicates

    def dropDuplicatesWithinWatermark(self, subset=None):
        return self.dropDuplicates(subset)

    def groupBy(self, *cols):
        cols = [self.columns[c - 1] if isinstance(c, int) and not isinstance(c, bool) else c for c in _flatten(cols)]
        return GroupedData(self, [self._col(c) for c in cols])

    groupby = groupBy

    def agg(self, *exprs):
        return self.groupBy().agg(*exprs)

    def orderBy(self, *cols, **kwargs):
        cols = _flatten(cols)
        ascending = kwargs.get("ascending", True)
        if isinstance(ascending, (bool, int)):
            ascending = [bool(ascending)] * len(cols)
        keys = []
        for c, asc in zip(cols, list(ascending) + [True] * (len(cols) - len(ascending))):
            if isinstance(c, int) and not isinstance(c, bool):
                # 1-based column ordinal; negative means descending, as in PySpark.
                asc = asc and c > 0
                c = self.columns[builtins.abs(c) - 1]
            column = _to_col(c)
            if isinstance(c, Column) and not asc:
                keys.append(column.desc()._jc)
            elif isinstance(c, Column):
                keys.append(column._jc)
            else:
                keys.append((column.asc() if asc else column.desc())._jc)
        return self._wrap(self._jdf.sort(keys))

    sort = orderBy

    def sortWithinPartitions(self, *cols, **kwargs):
        return self.orderBy(*cols, **kwargs)

    def limit(self, num):
        return self._wrap(self._jdf.limit(int(num)))

    def offset(self, num):
        return self._wrap(self._jdf.offset(int(num)))

    def alias(self, alias):
        return self._wrap(self._jdf.alias(alias))

    def join(self, other, on=None, how=None):
        how = how or "inner"
        if isinstance(on, str):
            on = [on]
        if isinstance(on, (list, tuple)) and on and all(isinstance(o, Column) for o in on):
            cond = on[0]
            for o in on[1:]:
                cond = cond & o
            on = cond
        if isinstance(on, Column):
            return self._wrap(self._jdf.join(other._jdf, on._jc, how))
        if on is None:
            return self._wrap(self._jdf.join(other._jdf, None, "cross" if how == "inner" else how))
        return self._wrap(self._jdf.join(other._jdf, list(on), how))

    def crossJoin(self, other):
        return self._wrap(self._jdf.join(other._jdf, None, "cross"))

    def union(self, other):
        return self._wrap(self._jdf.union(other._jdf))

    unionAll = union

    def unionByName(self, other, allowMissingColumns=False):
        return self._wrap(self._jdf.union_by_name(other._jdf, allowMissingColumns))

    def intersect(self, other):
        return self._wrap(self._jdf.set_operation(other._jdf, False, False))

    def intersectAll(self, other):
        return self._multiset(other, "left_semi")

    def subtract(self, other):
        return self._wrap(self._jdf.set_operation(other._jdf, True, False))

    def exceptAll(self, other):
        return self._multiset(other, "left_anti")

    def _multiset(self, other, how):
        """Multiset INTERSECT ALL / EXCEPT ALL: the k-th copy of a row on the left survives if
        the right has (semi) or lacks (anti) a k-th copy too."""
        from .window import Window

        if len(self.columns) != len(other.columns):
            raise AnalysisException(
                "[NUM_COLUMNS_MISMATCH] %s can only be performed on inputs with the same number of columns, "
                "but the first input has %d columns and the second input has %d columns."
                % ("INTERSECT ALL" if how == "left_semi" else "EXCEPT ALL", len(self.columns), len(other.columns))
            )
        names = ["__c%d" % i for i in range(len(self.columns))]

        def numbered(df):
            df = df.toDF(*names)
            w = Window.partitionBy(*names).orderBy(F.lit(1))
            return df.withColumn("__copy", F.row_number().over(w))

        left, right = numbered(self), numbered(other)
        cond = None
        for n in names + ["__copy"]:
            term = left[n].eqNullSafe(right[n])
            cond = term if cond is None else cond & term
        return left.join(right, cond, how).drop("__copy").toDF(*self.columns)

    def to(self, schema):
        """Columns reordered, selected and cast to ``schema``, matched by name."""
        from ember.errors import AnalysisException

        items = []
        for f in schema.fields:
            if f.name not in self.columns:
                raise AnalysisException(
                    "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name "
                    "`%s` cannot be resolved." % f.name
                )
            items.append(F.col("`%s`" % f.name).cast(f.dataType).alias(f.name))
        return self.select(items)

    def withMetadata(self, columnName, metadata):
        return self

    def colRegex(self, colName):
        import re

        pattern = colName[1:-1] if colName.startswith("`") and colName.endswith("`") else colName
        names = [c for c in self.columns if re.fullmatch(pattern, c)]
        return [F.col("`%s`" % n) for n in names] if len(names) != 1 else F.col("`%s`" % names[0])

    def isLocal(self):
        return False

    @property
    def isStreaming(self):
        return False

    def localCheckpoint(self, eager=True, storageLevel=None):
        return self.cache()

    def checkpoint(self, eager=True):
        return self.cache()

    def inputFiles(self):
        return []

    def sample(self, withReplacement=None, fraction=None, seed=None):
        if isinstance(withReplacement, float) and fraction is None:
            withReplacement, fraction = None, withReplacement
        if fraction is None or not 0.0 <= fraction <= 1.0:
            raise PySparkValueError("[VALUE_NOT_BETWEEN] Value for `fraction` must be between 0 and 1.")
        return self.filter(F.rand(seed) < fraction)

    def randomSplit(self, weights, seed=None):
        total = float(builtins.sum(weights))
        keyed = self.withColumn("__split", F.rand(seed))
        out, lo = [], 0.0
        for w in weights:
            hi = lo + w / total
            out.append(keyed.filter((F.col("__split") >= lo) & (F.col("__split") < hi)).drop("__split"))
            lo = hi
        return out

    def corr(self, col1, col2, method=None):
        return self.agg(F.corr(col1, col2)).collect()[0][0]

    def cov(self, col1, col2):
        return self.agg(F.covar_samp(col1, col2)).collect()[0][0]

    def approxQuantile(self, col, probabilities, relativeError):
        cols = [col] if isinstance(col, str) else list(col)
        out = []
        for c in cols:
            row = self.agg(*[F.percentile_approx(c, p).alias("q%d" % i) for i, p in enumerate(probabilities)]).collect()[0]
            out.append([float(v) for v in row])
        return out[0] if isinstance(col, str) else out

    def repartition(self, numPartitions=None, *cols):
        if isinstance(numPartitions, (str, Column)):
            cols = (numPartitions,) + cols
            numPartitions = None
        return self._wrap(self._jdf.repartition(numPartitions, [self._col(c) for c in _flatten(cols)]))

    def coalesce(self, numPartitions):
        return self._wrap(self._jdf.repartition(numPartitions, []))

    def transform(self, func, *args, **kwargs):
        return func(self, *args, **kwargs)

    def hint(self, name, *parameters):
        return self

    # ---- missing data ----

    @property
    def na(self):
        return DataFrameNaFunctions(self)

    def fillna(self, value, subset=None):
        if not isinstance(value, (int, float, str, bool, dict)):
            raise PySparkTypeError(
                "[NOT_BOOL_OR_DICT_OR_FLOAT_OR_INT_OR_STR] Argument `value` should be a bool, dict, float, int or str, got %s."
                % type(value).__name__
            )
        if isinstance(subset, str):
            subset = [subset]
        targets = {}
        if isinstance(value, dict):
            targets = dict(value)
        else:
            for name, dtype in self.dtypes:
                if subset is not None and name not in subset:
                    continue
                if _fill_applies(value, dtype):
                    targets[name] = value
        if not targets:
            return self
        names, exprs = [], []
        types = dict(self.dtypes)
        for name, v in targets.items():
            dtype = types.get(name)
            if dtype is None:
                continue
            names.append(name)
            exprs.append(F.coalesce(F.col("`%s`" % name), F.lit(v).cast(dtype))._jc)
        return self._wrap(self._jdf.with_columns(names, exprs))

    def dropna(self, how="any", thresh=None, subset=None):
        if how not in ("any", "all"):
            raise PySparkValueError("[VALUE_NOT_ANY_OR_ALL] Value for `how` must be 'any' or 'all', got '%s'." % how)
        if isinstance(subset, str):
            subset = [subset]
        cols = subset or self.columns
        if thresh is None:
            thresh = len(cols) if how == "any" else 1
        non_null = None
        for c in cols:
            term = F.when(F.col("`%s`" % c).isNotNull(), 1).otherwise(0)
            non_null = term if non_null is None else non_null + term
        if non_null is None:
            return self
        return self.filter(non_null >= thresh)

    def replace(self, to_replace, value=None, subset=None):
        if isinstance(to_replace, dict):
            mapping = to_replace
        elif isinstance(to_replace, (list, tuple)):
            values = value if isinstance(value, (list, tuple)) else [value] * len(to_replace)
            mapping = dict(zip(to_replace, values))
        else:
            mapping = {to_replace: value}
        names, exprs = [], []
        for name, dtype in self.dtypes:
            if subset is not None and name not in subset:
                continue
            applicable = {k: v for k, v in mapping.items() if _fill_applies(k, dtype)}
            if not applicable:
                continue
            c = F.col("`%s`" % name)
            e = None
            for k, v in applicable.items():
                e = (F.when(c == k, F.lit(v).cast(dtype)) if e is None else e.when(c == k, F.lit(v).cast(dtype)))
            names.append(name)
            exprs.append(e.otherwise(c)._jc)
        return self._wrap(self._jdf.with_columns(names, exprs)) if names else self

    # ---- statistics ----

    def describe(self, *cols):
        return self._stats(["count", "mean", "stddev", "min", "max"], _flatten(cols))

    def summary(self, *statistics):
        stats = list(statistics) or ["count", "mean", "stddev", "min", "25%", "50%", "75%", "max"]
        return self._stats(stats, [])

    def _stats(self, stats, cols):
        numeric = ("tinyint", "smallint", "int", "bigint", "float", "double")
        types = dict(self.dtypes)
        if not cols:
            cols = [n for n, t in self.dtypes if t in numeric or t.startswith("decimal") or t == "string"]
        aggs = []
        for c in cols:
            ref = F.col("`%s`" % c)
            is_num = types[c] in numeric or types[c].startswith("decimal")
            for s in stats:
                if s == "count":
                    aggs.append(F.count(ref))
                elif s == "mean":
                    aggs.append(F.avg(ref) if is_num else F.lit(None).cast("double"))
                elif s == "stddev":
                    aggs.append(F.stddev(ref.cast("double")) if is_num else F.lit(None).cast("double"))
                elif s == "min":
                    aggs.append(F.min(ref))
                elif s == "max":
                    aggs.append(F.max(ref))
                elif s.endswith("%"):
                    # Filled in below from the sorted values (Spark's percentiles are data values).
                    aggs.append(F.lit(None).cast("double"))
                else:
                    raise PySparkValueError("[UNKNOWN_STATISTIC] %s is not a recognised statistic." % s)
        if not aggs:
            values = []
        else:
            row = self.agg(*[a.alias("__stat%d" % i) for i, a in enumerate(aggs)]).collect()[0]
            values = list(row)
        for j, c in enumerate(cols):
            is_num = types[c] in numeric or types[c].startswith("decimal")
            wanted = [(i, float(s[:-1]) / 100.0) for i, s in enumerate(stats) if s.endswith("%")]
            if is_num and wanted:
                for (i, _), v in zip(wanted, self._percentiles(c, [p for _, p in wanted])):
                    values[j * len(stats) + i] = v
        rows = []
        for i, s in enumerate(stats):
            out = [s]
            for j, c in enumerate(cols):
                v = values[j * len(stats) + i]
                out.append(_stat_string(v))
            rows.append(tuple(out))
        from .types import StringType, StructField

        schema = StructType([StructField("summary", StringType(), True)] + [StructField(c, StringType(), True) for c in cols])
        return self.sparkSession.createDataFrame(rows, schema)

    def _percentiles(self, col, probabilities, exact_limit=100_000):
        """Percentiles as Spark's `percentile_approx` gives them at its default accuracy: the
        value at rank ceil(p * n) of the sorted non-null values (exact up to `exact_limit`
        values, DataFusion's approximation beyond)."""
        import math

        ref = F.col("`%s`" % col)
        present = self.select(ref).na.drop()
        n = present.count()
        if n == 0:
            return [None] * len(probabilities)
        if n > exact_limit:
            row = present.agg(*[Column(_native.agg("approx_percentile_cont", [ref.cast("double")._jc, _native.lit(p)]))
                                for p in probabilities]).collect()[0]
            return list(row)
        values = present.orderBy(ref).toArrow().column(0).to_pylist()
        return [values[min(n - 1, max(0, math.ceil(p * n) - 1))] for p in probabilities]

    # ---- actions ----

    def _arrow(self):
        batches = self._jdf.collect()
        # The batches carry the plan's schema, or it with a column made nullable that holds
        # NULLs; the declared schema types an empty result.
        schema = batches[0].schema if batches else self._jdf.schema()
        return pa.Table.from_batches(batches, schema=schema)

    def collect(self):
        return batches_to_rows(self._jdf.collect(), self.schema)

    def toLocalIterator(self, prefetchPartitions=False):
        return iter(self.collect())

    def count(self):
        return self._jdf.count()

    def first(self):
        rows = self.limit(1).collect()
        return rows[0] if rows else None

    def head(self, n=None):
        if n is None:
            return self.first()
        return self.take(n)

    def take(self, num):
        return self.limit(num).collect()

    def tail(self, num):
        rows = self.collect()
        return rows[-num:] if num > 0 else []

    def isEmpty(self):
        return len(self.take(1)) == 0

    def show(self, n=20, truncate=True, vertical=False):
        if not isinstance(n, int) or isinstance(n, bool):
            raise PySparkTypeError("[NOT_INT] Argument `n` should be an int, got %s." % type(n).__name__)
        if isinstance(truncate, bool):
            width = 20 if truncate else 0
        elif isinstance(truncate, int):
            width = truncate
        else:
            raise PySparkTypeError("[NOT_BOOL] Argument `truncate` should be a bool, got %s." % type(truncate).__name__)
        print(self._jdf.show_string(n, width, bool(vertical)))

    def toPandas(self):
        return naive(self._arrow()).to_pandas(date_as_object=True)

    def toArrow(self):
        # One chunk per column, as PySpark's toArrow assembles the collected batches.
        return self._arrow().combine_chunks()

    def _ipython_key_completions_(self):
        return self.columns

    def foreach(self, f):
        for row in self.collect():
            f(row)

    def foreachPartition(self, f):
        f(iter(self.collect()))

    # ---- views and caching ----

    def createOrReplaceTempView(self, name):
        self._jdf.create_view(name, True, False)

    def createTempView(self, name):
        self._jdf.create_view(name, False, False)

    registerTempTable = createOrReplaceTempView

    def createGlobalTempView(self, name):
        self._jdf.create_view(name, False, True)

    def createOrReplaceGlobalTempView(self, name):
        self._jdf.create_view(name, True, True)

    def cache(self):
        self._jdf = self._jdf.cache()
        return self

    def persist(self, storageLevel=None):
        from .storagelevel import StorageLevel

        self.cache()
        self._storage_level = storageLevel or StorageLevel.MEMORY_AND_DISK_DESER
        return self

    def unpersist(self, blocking=False):
        self._jdf = self._jdf.unpersist()
        return self

    @property
    def is_cached(self):
        return self._jdf.is_cached()

    @property
    def storageLevel(self):
        from .storagelevel import StorageLevel

        if not self.is_cached:
            return StorageLevel.NONE
        return getattr(self, "_storage_level", StorageLevel.MEMORY_AND_DISK_DESER)

    @property
    def write(self):
        from .readwriter import DataFrameWriter

        return DataFrameWriter(self)

    @property
    def stat(self):
        return DataFrameStatFunctions(self)


def _fill_applies(value, dtype):
    numeric = ("tinyint", "smallint", "int", "bigint", "float", "double")
    if isinstance(value, bool):
        return dtype == "boolean"
    if isinstance(value, (int, float)):
        return dtype in numeric or dtype.startswith("decimal")
    if isinstance(value, str):
        return dtype == "string"
    return value is None


def _stat_string(v):
    """A statistic as `describe`/`summary` print it (doubles in Java's notation)."""
    if v is None:
        return None
    if isinstance(v, float):
        return _java_double(v)
    if isinstance(v, bool):
        return str(v).lower()
    return str(v)


def _java_double(f):
    """Java's ``Double.toString``, which Spark uses to print doubles."""
    import decimal
    import math

    if f != f:
        return "NaN"
    if math.isinf(f):
        return "Infinity" if f > 0 else "-Infinity"
    if f == 0:
        return "-0.0" if math.copysign(1.0, f) < 0 else "0.0"
    if 1e-3 <= builtins.abs(f) < 1e7:
        s = repr(f)
        if "e" in s:
            s = format(decimal.Decimal(s), "f")
        return s if "." in s else s + ".0"
    sign, digits, exp = decimal.Decimal(repr(f)).as_tuple()
    ds = "".join(str(d) for d in digits).rstrip("0") or "0"
    e10 = len(digits) + exp - 1
    mantissa = ds[0] + "." + (ds[1:] or "0")
    return "%s%sE%d" % ("-" if sign else "", mantissa, e10)


class DataFrameNaFunctions:
    def __init__(self, df):
        self.df = df

    def fill(self, value, subset=None):
        return self.df.fillna(value, subset)

    def drop(self, how="any", thresh=None, subset=None):
        return self.df.dropna(how, thresh, subset)

    def replace(self, to_replace, value=None, subset=None):
        return self.df.replace(to_replace, value, subset)


class DataFrameStatFunctions:
    def __init__(self, df):
        self.df = df

    def corr(self, col1, col2, method=None):
        return self.df.agg(F.corr(col1, col2)).collect()[0][0]

    def cov(self, col1, col2):
        return self.df.agg(F.covar_samp(col1, col2)).collect()[0][0]
