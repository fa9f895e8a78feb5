"""Column functions, as ``pyspark.sql.functions``.

Scalar functions are looked up by Spark name in the engine's function catalog, so a function
behaves the same here as in ``spark.sql``.
"""

import builtins
import functools

from ember import _native
from ember.errors import PySparkTypeError

from ..column import Column, _jc, _to_col
from ._generated import *  # noqa: F401,F403  (the generated wrappers this module builds on)


def _c(col):
    """A native column from a Column or a column name."""
    return _to_col(col)._jc


def _lit_or_col(value):
    return value._jc if isinstance(value, Column) else _native.lit(value)


def _named(column, fname, *args):
    """``column`` shown as Spark names a call of ``fname`` (``std(x)``, ``every(flag)``), for
    functions that share an implementation under another name."""
    shown = []
    for a in args:
        if isinstance(a, Column):
            shown.append(a._jc.name())
        elif isinstance(a, str):
            shown.append(_native.col(a).name())
        else:
            shown.append(_native.lit(a).name())
    return Column(column._jc.alias("%s(%s)" % (fname, ", ".join(shown))))


def _call(name, *cols):
    return Column(_native.call(name, [_c(c) for c in cols]))


def _agg(name, col, distinct=False, ignore_nulls=False):
    return Column(_native.agg(name, [_c(col)], distinct, ignore_nulls))


# ---- basics --------------------------------------------------------------------------------

def col(col):
    return Column(_native.col(col))


column = col


def lit(col):
    if isinstance(col, Column):
        return col
    if isinstance(col, (list, tuple)):
        return array(*[lit(c) for c in col])
    return Column(_native.lit(col))


def expr(str):
    return Column(_native.sql_expr(str))


def when(condition, value):
    if not isinstance(condition, Column):
        raise PySparkTypeError("[NOT_COLUMN] Argument `condition` should be a Column, got %s." % type(condition).__name__)
    return Column(_native.when(condition._jc, _jc(value)))


def isnull(col):
    return _to_col(col).isNull()


def isnotnull(col):
    return _to_col(col).isNotNull()


def nanvl(col1, col2):
    return _named(when(isnan(col1), _to_col(col2)).otherwise(_to_col(col1)), "nanvl", col1, col2)


def asc(col):
    return _to_col(col).asc()


def desc(col):
    return _to_col(col).desc()


def asc_nulls_first(col):
    return _to_col(col).asc_nulls_first()


def asc_nulls_last(col):
    return _to_col(col).asc_nulls_last()


def desc_nulls_first(col):
    return _to_col(col).desc_nulls_first()


def desc_nulls_last(col):
    return _to_col(col).desc_nulls_last()


def broadcast(df):
    """A hint that ``df`` is small; the engine already broadcasts small build sides."""
    return df


# ---- aggregates ----------------------------------------------------------------------------

def count(col):
    if isinstance(col, str) and col == "*":
        return Column(_native.count_star())
    return _agg("count", col)


def countDistinct(col, *cols):
    return Column(_native.agg("count", [_c(c) for c in (col,) + cols], True))


count_distinct = countDistinct


def sum_distinct(col):
    return _agg("sum", col, True)


sumDistinct = sum_distinct


mean = avg


def first(col, ignorenulls=False):
    return _agg("first_value", col, False, ignorenulls)


def last(col, ignorenulls=False):
    return _agg("last_value", col, False, ignorenulls)


def std(col):
    return _named(_agg("stddev", col), "std", col)


def stddev_samp(col):
    return _named(_agg("stddev", col), "stddev_samp", col)


def variance(col):
    return _named(_agg("var_samp", col), "variance", col)


def var_samp(col):
    return _named(_agg("var_samp", col), "var_samp", col)


approxCountDistinct = approx_count_distinct  # noqa: F405 (generated)


def corr(col1, col2):
    return Column(_native.agg("corr", [_c(col1), _c(col2)]))


def covar_samp(col1, col2):
    return Column(_native.agg("covar_samp", [_c(col1), _c(col2)]))


def covar_pop(col1, col2):
    return Column(_native.agg("covar_pop", [_c(col1), _c(col2)]))


def any_value(col, ignoreNulls=None):
    return _agg("first_value", col, False, bool(ignoreNulls))


def bool_and(col):
    return _named(_agg("bool_and", col), "bool_and", col)


def every(col):
    return _named(_agg("bool_and", col), "every", col)


def bool_or(col):
    return _named(_agg("bool_or", col), "bool_or", col)


def some(col):
    return _named(_agg("bool_or", col), "some", col)


# ---- math ----------------------------------------------------------------------------------

def _unary(name):
    def f(col, *extra):
        return Column(_native.call(name, [_c(col)] + [_lit_or_col(v) for v in extra]))

    f.__name__ = name
    return f


ceil = _unary("ceil")
floor = _unary("floor")


def ceiling(col, scale=None):
    return _named(_call("ceil", col), "ceiling", col)




def pow(col1, col2):
    a = _c(col1) if not isinstance(col1, (int, float)) else _native.lit(col1)
    b = _c(col2) if not isinstance(col2, (int, float)) else _native.lit(col2)
    return Column(_native.call("power", [a, b]))


power = pow


def round(col, scale=None):
    return Column(_native.call("round", [_c(col), _lit_or_col(0 if scale is None else scale)]))


def monotonically_increasing_id():
    from ..window import Window

    return row_number().over(Window.orderBy(lit(1))) - 1


# ---- strings -------------------------------------------------------------------------------

def char_length(str):
    return _call("length", str)


substr = substring


def concat_ws(sep, *cols):
    return Column(_native.call("concat_ws", [_native.lit(sep)] + [_c(c) for c in cols]))


def regexp_replace(string, pattern, replacement, position=None):
    return Column(
        _native.call("regexp_replace", [_c(string), _lit_or_col(pattern), _lit_or_col(replacement), _native.lit("g")])
    )


def regexp_extract(str, pattern, idx):
    return Column(_native.call("regexp_extract", [_c(str), _native.lit(pattern), _native.lit(idx)]))


def lpad(col, len, pad):
    return Column(_native.call("lpad", [_c(col), _native.lit(len), _native.lit(pad)]))


def rpad(col, len, pad):
    return Column(_native.call("rpad", [_c(col), _native.lit(len), _native.lit(pad)]))


def instr(str, substr):
    return _named(Column(_native.call("strpos", [_c(str), _lit_or_col(substr)])), "instr", str, substr)


def locate(substr, str, pos=1):
    return Column(_native.call("locate", [_native.lit(substr), _c(str), _native.lit(pos)]))


def translate(srcCol, matching, replace):
    return Column(_native.call("translate", [_c(srcCol), _native.lit(matching), _native.lit(replace)]))


def format_string(format, *cols):
    return Column(_native.call("format_string", [_native.lit(format)] + [_c(c) for c in cols]))


def sha2(col, numBits):
    return Column(_native.call("sha2", [_c(col), _native.lit(numBits)]))


# ---- dates and times -----------------------------------------------------------------------

def current_date():
    return Column(_native.call("current_date", []))


def current_timestamp():
    return Column(_native.call("now", []))


now = current_timestamp


def to_date(col, format=None):
    if format is None:
        return _call("to_date", col)
    return Column(_native.call("to_date", [_c(col), _native.lit(format)]))


def to_timestamp(col, format=None):
    if format is None:
        return _call("to_timestamp", col)
    return Column(_native.call("to_timestamp", [_c(col), _native.lit(format)]))


def date_format(date, format):
    return Column(_native.call("date_format", [_c(date), _native.lit(format)]))


def last_day(date):
    return _named(Column(_native.call("last_day", [_as_date(date)])), "last_day", date)


def _as_date(col):
    """Spark casts strings and timestamps to dates where a function takes a date."""
    return _native.call("to_date", [_c(col)])


def date_trunc(format, timestamp):
    return Column(_native.call("date_trunc", [_native.lit(format), _c(timestamp)]))


def trunc(date, format):
    return Column(_native.call("trunc", [_c(date), _native.lit(format)]))


# ---- collections ---------------------------------------------------------------------------

def array(*cols):
    if len(cols) == 1 and isinstance(cols[0], (list, set)):
        cols = tuple(cols[0])
    return Column(_native.call("make_array", [_c(c) for c in cols]))


def explode(col):
    return Column(_native.explode(_c(col), False))


def explode_outer(col):
    return Column(_native.explode(_c(col), True))


def posexplode(col):
    return Column(_native.generator("posexplode", [_c(col)]))


def posexplode_outer(col):
    return Column(_native.generator("posexplode_outer", [_c(col)]))


def inline(col):
    return Column(_native.generator("inline", [_c(col)]))


def inline_outer(col):
    return Column(_native.generator("inline_outer", [_c(col)]))


def stack(*cols):
    return Column(_native.generator("stack", [_lit_or_col(c) if not isinstance(c, str) else _c(c) for c in cols]))


def array_contains(col, value):
    return Column(_native.call("array_contains", [_c(col), _lit_or_col(value)]))


def array_join(col, delimiter, null_replacement=None):
    args = [_c(col), _native.lit(delimiter)]
    if null_replacement is not None:
        args.append(_native.lit(null_replacement))
    return Column(_native.call("array_to_string", args))


def sort_array(col, asc=True):
    return Column(_native.call("sort_array", [_c(col), _native.lit(bool(asc))]))


def struct(*cols):
    if len(cols) == 1 and isinstance(cols[0], (list, set)):
        cols = tuple(cols[0])
    args = []
    for c in cols:
        c = _to_col(c)
        args.append(_native.lit(c._jc.name()))
        args.append(c._jc)
    return _named(Column(_native.call("named_struct", args)), "struct", *cols)


def create_map(*cols):
    if len(cols) == 1 and isinstance(cols[0], (list, set)):
        cols = tuple(cols[0])
    keys = [_c(c) for c in cols[0::2]]
    values = [_c(c) for c in cols[1::2]]
    return Column(_native.call("map", [_native.call("make_array", keys), _native.call("make_array", values)]))


# ---- windows -------------------------------------------------------------------------------

def row_number():
    return Column(_native.window_fn("row_number", []))


def rank():
    return Column(_native.window_fn("rank", []))


def dense_rank():
    return Column(_native.window_fn("dense_rank", []))


def percent_rank():
    return Column(_native.window_fn("percent_rank", []))


def cume_dist():
    return Column(_native.window_fn("cume_dist", []))


def ntile(n):
    return Column(_native.window_fn("ntile", [_native.lit(n)]))


def lag(col, offset=1, default=None):
    args = [_c(col), _native.lit(offset)]
    if default is not None:
        args.append(_native.lit(default))
    return Column(_native.window_fn("lag", args))


def lead(col, offset=1, default=None):
    args = [_c(col), _native.lit(offset)]
    if default is not None:
        args.append(_native.lit(default))
    return Column(_native.window_fn("lead", args))


# ---- UDFs ----------------------------------------------------------------------------------

def udf(f=None, returnType=None, *, useArrow=None):
    """``udf(f, returnType)`` or ``@udf(returnType)`` / ``@udf``: a Python function as a column function."""
    from ..types import StringType

    if f is None or isinstance(f, (str,)) or (returnType is None and not callable(f)):
        return_type = f if f is not None else (returnType or StringType())
        return functools.partial(_make_udf, returnType=return_type)
    return _make_udf(f, returnType if returnType is not None else StringType())


def _make_udf(f, returnType):
    from ..udf import UserDefinedFunction

    return UserDefinedFunction(f, returnType)


__all__ = ['abs', 'acos', 'add_months', 'any_value', 'approxCountDistinct', 'approx_count_distinct', 'array', 'array_contains', 'array_distinct', 'array_join', 'array_max', 'array_min', 'asc', 'asc_nulls_first', 'asc_nulls_last', 'ascii', 'asin', 'atan', 'avg', 'base64', 'bool_and', 'bool_or', 'broadcast', 'cbrt', 'ceil', 'ceiling', 'char_length', 'coalesce', 'col', 'collect_list', 'collect_set', 'column', 'concat', 'concat_ws', 'corr', 'cos', 'count', 'countDistinct', 'count_distinct', 'covar_pop', 'covar_samp', 'create_map', 'cume_dist', 'current_date', 'current_timestamp', 'date_add', 'date_format', 'date_sub', 'date_trunc', 'datediff', 'day', 'dayofmonth', 'dayofweek', 'dayofyear', 'degrees', 'dense_rank', 'desc', 'desc_nulls_first', 'desc_nulls_last', 'every', 'exp', 'explode', 'explode_outer', 'inline', 'inline_outer', 'posexplode', 'posexplode_outer', 'stack', 'expr', 'factorial', 'first', 'floor', 'format_string', 'greatest', 'hour', 'initcap', 'instr', 'isnan', 'isnotnull', 'isnull', 'lag', 'last', 'last_day', 'lead', 'least', 'length', 'lit', 'locate', 'lower', 'lpad', 'ltrim', 'max', 'md5', 'mean', 'median', 'min', 'minute', 'monotonically_increasing_id', 'month', 'nanvl', 'now', 'ntile', 'percent_rank', 'pow', 'power', 'quarter', 'radians', 'rank', 'regexp_extract', 'regexp_replace', 'repeat', 'reverse', 'round', 'row_number', 'rpad', 'rtrim', 'second', 'sha2', 'signum', 'sin', 'size', 'some', 'sort_array', 'split', 'sqrt', 'std', 'stddev', 'stddev_pop', 'stddev_samp', 'struct', 'substr', 'substring', 'sum', 'sumDistinct', 'sum_distinct', 'tan', 'to_date', 'to_timestamp', 'translate', 'trim', 'trunc', 'udf', 'unbase64', 'upper', 'var_pop', 'var_samp', 'variance', 'weekofyear', 'when', 'year']
