"""``GroupedData``: what ``groupBy`` returns, as ``pyspark.sql.GroupedData``."""

from ember import _native
from ember.errors import PySparkTypeError

from . import functions as F
from .column import Column


class GroupedData:
    def __init__(self, df, cols):
        self._df = df
        self._cols = cols

    def agg(self, *exprs):
        if not exprs:
            raise PySparkTypeError("[CANNOT_BE_EMPTY] At least one agg expression is required.")
        if len(exprs) == 1 and isinstance(exprs[0], dict):
            aggs = [_dict_agg(func, name) for name, func in exprs[0].items()]
        else:
            aggs = list(exprs)
            for a in aggs:
                if not isinstance(a, Column):
                    raise PySparkTypeError("[NOT_COLUMN] all exprs should be Column, got %s." % type(a).__name__)
        return self._df._wrap(self._df._jdf.aggregate(self._cols, [a._jc for a in aggs]))

    def count(self):
        return self.agg(F.count("*").alias("count"))

    def _numeric(self, fn, cols):
        if not cols:
            numeric = ("tinyint", "smallint", "int", "bigint", "float", "double")
            cols = [n for n, t in self._df.dtypes if t in numeric or t.startswith("decimal")]
        return self.agg(*[fn(c) for c in cols])

    def mean(self, *cols):
        return self._numeric(F.avg, cols)

    avg = mean

    def sum(self, *cols):
        return self._numeric(F.sum, cols)

    def min(self, *cols):
        return self._numeric(F.min, cols)

    def max(self, *cols):
        return self._numeric(F.max, cols)

    def pivot(self, pivot_col, values=None):
        """One output column per pivot value, as Spark's pivot: each aggregate sees only the
        rows whose ``pivot_col`` equals that value. Without ``values`` they are the distinct
        values, sorted."""
        if values is None:
            rows = self._df.select(pivot_col).distinct().collect()
            values = sorted((r[0] for r in rows), key=lambda v: (v is None, v))
        return PivotedData(self, pivot_col, list(values))


def _dict_agg(func, name):
    func = func.lower()
    if func in ("mean", "avg"):
        return F.avg(name)
    if func == "count":
        return F.count(name)
    if func in ("sum", "min", "max", "first", "last", "collect_list", "collect_set", "stddev", "variance"):
        return getattr(F, func)(name)
    return Column(_native.agg(func, [_native.col(name)]))


class PivotedData:
    def __init__(self, grouped, pivot_col, values):
        self._grouped = grouped
        self._pivot = pivot_col
        self._values = values

    def agg(self, *exprs):
        if len(exprs) == 1 and isinstance(exprs[0], dict):
            exprs = [_dict_agg(func, name) for name, func in exprs[0].items()]
        pivot = F.col(self._pivot) if isinstance(self._pivot, str) else self._pivot
        cols = []
        for v in self._values:
            for e in exprs:
                cond = pivot.isNull() if v is None else (pivot == v)
                masked = Column(_native.mask_aggregate(e._jc, cond._jc))
                label = "null" if v is None else str(v)
                name = label if len(exprs) == 1 else "%s_%s" % (label, e._jc.name())
                cols.append(masked.alias(name))
        return self._grouped.agg(*cols)

    def count(self):
        return self.agg(F.count(F.lit(1)))

    def _numeric(self, fn, cols):
        return self.agg(*[fn(c) for c in cols])

    def sum(self, *cols):
        return self._numeric(F.sum, cols)

    def avg(self, *cols):
        return self._numeric(F.avg, cols)

    mean = avg

    def min(self, *cols):
        return self._numeric(F.min, cols)

    def max(self, *cols):
        return self._numeric(F.max, cols)
