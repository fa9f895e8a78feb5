"""``Column``: expressions over DataFrame columns, as ``pyspark.sql.Column``."""

from ember import _native
from ember.errors import PySparkValueError, PySparkTypeError


def _jc(value):
    """The native column for a Column, or the value itself (taken as a literal by the engine)."""
    if isinstance(value, Column):
        return value._jc
    return value


def _shown(value):
    """How Spark prints an argument inside a generated name."""
    if isinstance(value, Column):
        return value._jc.name()
    return _native.lit(value).name()


def _to_col(value):
    """A Column from a Column or a column name."""
    if isinstance(value, Column):
        return value
    if isinstance(value, str):
        return Column(_native.col(value))
    raise PySparkTypeError(
        "[NOT_COLUMN_OR_STR] Argument `col` should be a Column or str, got %s." % type(value).__name__
    )


def _binary(op, reverse=False):
    def method(self, other):
        return Column(self._jc.binary(op, _jc(other), reverse))

    return method


class Column:
    """A column expression. Build them with ``functions.col``, ``df.name`` or ``df["name"]``."""

    def __init__(self, jc):
        self._jc = jc

    __add__ = _binary("+")
    __radd__ = _binary("+", True)
    __sub__ = _binary("-")
    __rsub__ = _binary("-", True)
    __mul__ = _binary("*")
    __rmul__ = _binary("*", True)
    __truediv__ = _binary("/")
    __rtruediv__ = _binary("/", True)
    __div__ = __truediv__
    __mod__ = _binary("%")
    __rmod__ = _binary("%", True)
    __eq__ = _binary("==")
    __ne__ = _binary("!=")
    __lt__ = _binary("<")
    __le__ = _binary("<=")
    __gt__ = _binary(">")
    __ge__ = _binary(">=")
    __and__ = _binary("and")
    __rand__ = _binary("and", True)
    __or__ = _binary("or")
    __ror__ = _binary("or", True)
    bitwiseAND = _binary("&")
    bitwiseOR = _binary("|")
    bitwiseXOR = _binary("^")
    eqNullSafe = _binary("<=>")

    def __pow__(self, other):
        from . import functions as F

        return F.pow(self, other)

    def __rpow__(self, other):
        from . import functions as F

        return F.pow(other, self)

    def __neg__(self):
        return Column(self._jc.negate())

    def __invert__(self):
        return Column(self._jc.invert())

    def __bool__(self):
        raise PySparkValueError(
            "[CANNOT_CONVERT_COLUMN_INTO_BOOL] Cannot convert column into bool: please use '&' for 'and', "
            "'|' for 'or', '~' for 'not' when building DataFrame boolean expressions."
        )

    __nonzero__ = __bool__

    def __iter__(self):
        raise PySparkTypeError("[NOT_ITERABLE] Column is not iterable.")

    def __contains__(self, item):
        raise PySparkValueError(
            "[CANNOT_APPLY_IN_FOR_COLUMN] Cannot apply 'in' operator against a column: please use 'contains' "
            "in a string column or 'array_contains' function for an array column."
        )

    def __hash__(self):
        return id(self)

    def __repr__(self):
        return repr(self._jc)

    # ---- naming and types ----

    def alias(self, *alias, **kwargs):
        if len(alias) != 1:
            raise PySparkValueError("[ONLY_ONE_ALIAS_ALLOWED] Only one alias is supported here.")
        return Column(self._jc.alias(alias[0]))

    name = alias

    def try_cast(self, dataType):
        from .types import DataType

        if isinstance(dataType, DataType):
            dataType = dataType.simpleString()
        return Column(self._jc.try_cast(dataType))

    def transform(self, f):
        return f(self)

    def cast(self, dataType):
        from .types import DataType

        if isinstance(dataType, DataType):
            dataType = dataType.simpleString()
        return Column(self._jc.cast(dataType))

    astype = cast

    # ---- predicates ----

    def isNull(self):
        return Column(self._jc.is_null())

    def isNotNull(self):
        return Column(self._jc.is_not_null())

    def isNaN(self):
        from . import functions as F

        return F.isnan(self)

    def isin(self, *cols):
        if len(cols) == 1 and isinstance(cols[0], (list, set, tuple)):
            cols = list(cols[0])
        return Column(self._jc.isin([_jc(c) for c in cols]))

    def between(self, lowerBound, upperBound):
        return (self >= lowerBound) & (self <= upperBound)

    def like(self, other):
        return Column(self._jc.like(_jc(other)))

    def ilike(self, other):
        return Column(self._jc.like(_jc(other), False, True))

    def rlike(self, other):
        return Column(self._jc.rlike(_jc(other)))

    def startswith(self, other):
        return Column(_native.call("starts_with", [self._jc, _jc(other)]))

    def endswith(self, other):
        return Column(_native.call("ends_with", [self._jc, _jc(other)]))

    def contains(self, other):
        return Column(_native.call("contains", [self._jc, _jc(other)]))

    # ---- nested data ----

    def substr(self, startPos, length):
        c = _native.call("substring", [self._jc, _native.lit(startPos) if not isinstance(startPos, Column) else startPos._jc,
                                       _native.lit(length) if not isinstance(length, Column) else length._jc])
        shown = "substr(%s, %s, %s)" % (self._jc.name(), _shown(startPos), _shown(length))
        return Column(c.alias(shown))

    def getItem(self, key):
        return Column(self._jc.get_item(key))

    def getField(self, name):
        return Column(self._jc.get_field(name))

    def __getitem__(self, k):
        if isinstance(k, slice):
            if k.step is not None:
                raise PySparkValueError("[SLICE_WITH_STEP] Slice with step is not supported.")
            return self.substr(k.start, k.stop)
        if isinstance(k, str):
            return self.getField(k)
        return self.getItem(k)

    def __getattr__(self, item):
        if item.startswith("__") or item == "_jc":
            raise AttributeError(item)
        return self.getField(item)

    # ---- ordering ----

    def asc(self):
        return Column(self._jc.sort(True, True))

    def asc_nulls_first(self):
        return Column(self._jc.sort(True, True))

    def asc_nulls_last(self):
        return Column(self._jc.sort(True, False))

    def desc(self):
        return Column(self._jc.sort(False, False))

    def desc_nulls_first(self):
        return Column(self._jc.sort(False, True))

    def desc_nulls_last(self):
        return Column(self._jc.sort(False, False))

    # ---- conditionals and windows ----

    def when(self, condition, value):
        return Column(self._jc.when(_jc(condition), _jc(value)))

    def otherwise(self, value):
        return Column(self._jc.otherwise(_jc(value)))

    def over(self, window=None):
        from .window import Window, WindowSpec

        spec = window if window is not None else WindowSpec()
        return Column(self._jc.over(spec._partition, spec._order, spec._frame))
