"""The wider Spark function catalog: math, bitwise, strings, collections, maps, hashing,
null handling and statistical aggregates, each mapped to the engine's implementation."""

from ember import _native

from ..column import Column, _jc, _to_col
from ._generated import *  # noqa: F401,F403  (the generated wrappers this module builds on)
from ._core import _agg, _c, _call, _lit_or_col, _named, _unary, lit, when, col


def _args(*values):
    """Native args: Columns and names as columns, other Python values as literals."""
    return [_c(v) if isinstance(v, (Column, str)) else _native.lit(v) for v in values]


def _fn(name, *values):
    return Column(_native.call(name, _args(*values)))


def _lits(name, col, *literals):
    """``name(col, literal...)``: strings after the first argument are values, not columns."""
    return Column(_native.call(name, [_c(col)] + [_lit_or_col(v) for v in literals]))


# ---- math ----------------------------------------------------------------------------------

negate = negative



def sign(col):
    return _named(_call("signum", col), "sign", col)


def pi():
    return Column(_native.call("pi", []))


def _positive_only(name, shown, col, *base):
    """Spark's logarithms are NULL for non-positive input."""
    c = _to_col(col)
    value = Column(_native.call(name, [_lit_or_col(b) for b in base] + [c._jc]))
    return Column(when(c > 0, value)._jc.alias("%s(%s)" % (shown, ", ".join(
        [_native.lit(b).name() for b in base] + [c._jc.name()]))))


def ln(col):
    return _positive_only("ln", "ln", col)


def log10(col):
    return _positive_only("log10", "LOG10", col)


def log2(col):
    return _positive_only("log2", "LOG2", col)


def log1p(col):
    c = _to_col(col)
    return Column(when(c > -1, Column(_native.call("log1p", [c._jc])))._jc.alias("LOG1P(%s)" % c._jc.name()))


def log(arg1, arg2=None):
    if arg2 is None:
        return _positive_only("ln", "ln", arg1)
    return _positive_only("log", "LOG", arg2, float(arg1))


# ---- bitwise -------------------------------------------------------------------------------

def bitwise_not(col):
    c = _to_col(col)
    return Column(_native.call("bitwise_not", [c._jc]).alias("~" + c._jc.name()))


bitwiseNOT = bitwise_not


def getbit(col, pos):
    return _named(bit_get(col, pos), "getbit", col, pos)


shiftLeft = shiftleft


shiftRight = shiftright


shiftRightUnsigned = shiftrightunsigned


# ---- strings -------------------------------------------------------------------------------

character_length = _unary("length")
sha = sha1
chr = _unary("chr")


def levenshtein(left, right, threshold=None):
    return _fn("levenshtein", left, right)


def overlay(src, replace, pos, len=-1):
    args = [_c(src), _c(replace), _lit_or_col(pos)]
    if not (isinstance(len, int) and len == -1):
        args.append(_lit_or_col(len))
    return Column(_native.call("overlay", args))


def substring_index(str, delim, count):
    return Column(_native.call("substring_index", [_c(str), _native.lit(delim), _native.lit(count)]))


def position(substr, str, start=None):
    return Column(_native.call("position", [_c(substr), _c(str)] + ([_c(start)] if start is not None else [])))


def printf(format, *cols):
    return Column(_native.call("format_string", [_c(format)] + [_c(c) for c in cols]))


regexp = regexp_like


def regexp_instr(str, regexp, idx=None):
    return _fn("regexp_instr", str, regexp)


def parse_url(url, partToExtract, key=None):
    return _fn("parse_url", *([url, partToExtract] + ([key] if key is not None else [])))


def try_parse_url(url, partToExtract, key=None):
    return _fn("try_parse_url", *([url, partToExtract] + ([key] if key is not None else [])))


def listagg_distinct(col, delimiter=None):
    return Column(_native.agg("listagg", [_c(col), _native.lit(delimiter)], True))


def string_agg_distinct(col, delimiter=None):
    return Column(_native.agg("string_agg", [_c(col), _native.lit(delimiter)], True))


def rlike(str, regexp):
    return _to_col(str).rlike(_to_col(regexp) if isinstance(regexp, Column) else regexp)


def like(str, pattern, escapeChar=None):
    return _to_col(str).like(pattern)


def ilike(str, pattern, escapeChar=None):
    return _to_col(str).ilike(pattern)


def startswith(str, prefix):
    return _fn("starts_with", str, prefix)


def endswith(str, suffix):
    return _fn("ends_with", str, suffix)


def btrim(str, trim=None):
    return _fn("btrim", *([str] + ([trim] if trim is not None else [])))


# ---- null handling -------------------------------------------------------------------------

def ifnull(col1, col2):
    return _fn("coalesce", col1, col2)


# ---- collections ---------------------------------------------------------------------------

cardinality = _unary("size")



def array_append(col, value):
    return Column(_native.call("array_append", [_c(col), _lit_or_col(value)]))


def array_prepend(col, value):
    return Column(_native.call("array_prepend", [_lit_or_col(value), _c(col)]))


def array_remove(col, element):
    return Column(_native.call("array_remove", [_c(col), _lit_or_col(element)]))


def array_position(col, value):
    return Column(_native.call("array_position", [_c(col), _lit_or_col(value)]))


def array_repeat(col, count):
    return Column(_native.call("array_repeat", [_c(col), _lit_or_col(count)]))


def element_at(col, extraction):
    return Column(_native.call("element_at", [_c(col), _lit_or_col(extraction)]))


def slice(x, start, length):
    return Column(_native.call("slice", [_c(x), _lit_or_col(start), _lit_or_col(length)]))


def str_to_map(text, pairDelim=None, keyValueDelim=None):
    args = [_c(text)]
    if pairDelim is not None:
        args.append(_lit_or_col(pairDelim))
    if keyValueDelim is not None:
        args.append(_lit_or_col(keyValueDelim))
    return Column(_native.call("str_to_map", args))


def named_struct(*cols):
    return Column(_native.call("named_struct", [_lit_or_col(c) if not isinstance(c, str) or i % 2 == 0 else _c(c)
                                                for i, c in enumerate(cols)]))


# ---- dates and times -----------------------------------------------------------------------

def next_day(date, dayOfWeek):
    return _named(Column(_native.call("next_day", [_native.call("to_date", [_c(date)]), _lit_or_col(dayOfWeek)])),
                  "next_day", date, dayOfWeek)


def from_unixtime(timestamp, format="yyyy-MM-dd HH:mm:ss"):
    return date_format_ts(Column(_native.call("to_timestamp", [_native.call("from_unixtime", [_c(timestamp)])])), format)


def date_format_ts(col, fmt):
    return Column(_native.call("date_format", [col._jc, _native.lit(fmt)]))


def date_part(field, source):
    return Column(_native.call("date_part", [_lit_or_col(field), _c(source)]))


datepart = date_part
extract = date_part


def date_diff(end, start):
    return _named(_call("datediff", end, start), "date_diff", end, start)






def unix_timestamp(timestamp=None, format="yyyy-MM-dd HH:mm:ss"):
    if timestamp is None:
        return Column(_native.call("unix_seconds", [_native.call("now", [])]))
    return Column(_native.call("unix_timestamp", [_c(timestamp), _native.lit(format)]))


def current_timezone():
    return Column(_native.lit("UTC").alias("current_timezone()"))


# ---- hashing and misc ----------------------------------------------------------------------

def left(str, len):
    return _named(Column(_native.call("substring", [_c(str), _native.lit(1), _c(len) if isinstance(len, Column) else _native.lit(len)])), "left", str, len)


def right(str, len):
    return _named(Column(_native.call("right", [_c(str), _c(len) if isinstance(len, Column) else _native.lit(len)])), "right", str, len)


def replace(src, search, replace=None):
    args = [_c(src), _c(search)] + ([_c(replace)] if replace is not None else [_native.lit("")])
    return Column(_native.call("replace", args))



def uuid(seed=None):
    return Column(_native.call("uuid", []))


# ---- aggregates ----------------------------------------------------------------------------

def first_value(col, ignoreNulls=None):
    return _named(_agg("first_value", col, False, bool(ignoreNulls)), "first_value", col)


def last_value(col, ignoreNulls=None):
    return _named(_agg("last_value", col, False, bool(ignoreNulls)), "last_value", col)


def array_agg(col):
    return _agg("collect_list", col)


def percentile_approx(col, percentage, accuracy=10000):
    """A value of the column at the given percentage (or a list of percentages): the smallest
    whose rank reaches ``ceil(percentage * n)``, as Spark answers."""
    if isinstance(percentage, (list, tuple)):
        pct = _native.call("make_array", [_native.lit(float(p)) for p in percentage])
    else:
        pct = _native.lit(float(percentage))
    return Column(_native.agg("percentile_approx", [_c(col), pct, _native.lit(int(accuracy))]))


approx_percentile = percentile_approx


def _regr(name):
    def f(y, x):
        return Column(_native.agg(name, [_c(y), _c(x)]))

    f.__name__ = name
    return f


regr_avgx = _regr("regr_avgx")
regr_avgy = _regr("regr_avgy")
regr_count = _regr("regr_count")
regr_intercept = _regr("regr_intercept")
regr_r2 = _regr("regr_r2")
regr_slope = _regr("regr_slope")
regr_sxx = _regr("regr_sxx")
regr_sxy = _regr("regr_sxy")
regr_syy = _regr("regr_syy")


def nth_value(col, offset, ignoreNulls=False):
    return Column(_native.window_fn("nth_value", [_c(col), _native.lit(offset)]))


def months_between(date1, date2, roundOff=True):
    """Months from ``date2`` to ``date1``: whole when both are the same day of the month (or both
    a month's last day), otherwise counted in 31-day months and, with ``roundOff``, rounded to 8
    digits."""
    return Column(_native.call("months_between", [_c(date1), _c(date2), _native.lit(bool(roundOff))]))


def skewness(col):
    """Population skewness of the column's values (NULL when they are all equal)."""
    return Column(_native.agg("skewness", [_c(col)]))


def kurtosis(col):
    """Excess kurtosis of the column's values (NULL when they are all equal)."""
    return Column(_native.agg("kurtosis", [_c(col)]))


# ---- date-time constructors whose optional arguments choose the form ------------------------

def _make_timestamp(name, years, months, days, hours, mins, secs, timezone=None, date=None, time=None):
    """``name(years, ..., secs[, timezone])`` from fields, or ``name(date[, time][, timezone])``."""
    from ._calls import _col, _invoke
    if date is not None:
        return _invoke(name, *[_col(a) for a in (date, time, timezone) if a is not None])
    return _invoke(name, _col(years), _col(months), _col(days), _col(hours), _col(mins), _col(secs), _col(timezone))


def make_timestamp(years=None, months=None, days=None, hours=None, mins=None, secs=None, timezone=None, date=None, time=None):
    return _make_timestamp("make_timestamp", years, months, days, hours, mins, secs, timezone, date, time)


def try_make_timestamp(years=None, months=None, days=None, hours=None, mins=None, secs=None, timezone=None, date=None,
                       time=None):
    return _make_timestamp("try_make_timestamp", years, months, days, hours, mins, secs, timezone, date, time)


def make_timestamp_ntz(years=None, months=None, days=None, hours=None, mins=None, secs=None, date=None, time=None):
    return _make_timestamp("make_timestamp_ntz", years, months, days, hours, mins, secs, None, date, time)


def try_make_timestamp_ntz(years=None, months=None, days=None, hours=None, mins=None, secs=None, date=None, time=None):
    return _make_timestamp("try_make_timestamp_ntz", years, months, days, hours, mins, secs, None, date, time)


def convert_timezone(sourceTz, targetTz, sourceTs):
    """With ``sourceTz`` None, the session time zone is the source."""
    from ._calls import _col, _invoke
    args = ([] if sourceTz is None else [_col(sourceTz)]) + [_col(targetTz), _col(sourceTs)]
    return _invoke("convert_timezone", *args)


# ---- calling functions by name ---------------------------------------------------------------

def _registered(name):
    """The function ``spark.udf.register`` gave this name in the active session, if any."""
    from ..session import SparkSession
    session = SparkSession.getActiveSession()
    registry = getattr(session, "udf", None) if session is not None else None
    return getattr(registry, "_functions", {}).get(name.lower())


def call_udf(udfName, *cols):
    """The function registered as ``udfName`` over ``cols``."""
    f = _registered(udfName)
    if f is None:
        from ember.errors import AnalysisException
        raise AnalysisException(
            "[UNRESOLVED_ROUTINE] Cannot resolve routine `%s` on search path [`system`.`builtin`, `system`.`session`, "
            "`spark_catalog`.`default`]. SQLSTATE: 42883" % udfName)
    return f(*cols)


def call_function(funcName, *cols):
    """A registered function, else a built-in one, by name over ``cols``."""
    f = _registered(funcName)
    if f is not None:
        return f(*cols)
    from ._calls import _col, _invoke
    return _invoke(funcName, *[_col(c) for c in cols])


__all__ = sorted(
    n for n, v in list(globals().items())
    if not n.startswith("_") and callable(v) and getattr(v, "__module__", __name__) == __name__
) + ["acosh", "asinh", "atanh", "cosh", "sinh", "tanh", "cot", "csc", "sec", "expm1", "rint", "bin", "hex", "unhex",
     "negative", "negate", "bitwise_not", "bitwiseNOT", "bit_count", "bit_length", "octet_length", "character_length",
     "lcase", "ucase", "soundex", "sha1", "sha", "crc32", "url_decode", "url_encode", "chr", "char", "quote",
     "cardinality", "flatten", "array_compact", "map_keys", "map_values", "map_entries", "map_from_entries",
     "unix_date", "unix_seconds", "unix_millis", "unix_micros", "regr_avgx", "regr_avgy", "regr_count",
     "regr_intercept", "regr_r2", "regr_slope", "regr_sxx", "regr_sxy", "regr_syy", "shiftLeft",
     "shiftRight", "shiftRightUnsigned", "nvl", "regexp", "listagg_distinct", "string_agg_distinct", "datepart", "extract", "approx_percentile",
     "monthname", "weekday"]
__all__ = sorted(set(__all__) - {"date_format_ts"})
