"""How a generated wrapper (``_generated.py``) turns its Python arguments into a call: the
engine's function registry decides what the call computes (a scalar function, an aggregate or
a window function) and how Spark names it."""

from ember import _native

from ..column import Column, _to_col


def _invoke(name, *args):
    """``name(args...)``; arguments left out (``None`` for an optional parameter) are dropped
    from the end, and an omitted one followed by given ones is a NULL."""
    args = list(args)
    while args and args[-1] is None:
        args.pop()
    return Column(_native.function(name, [_native.lit(None) if a is None else a for a in args]))


def _col(value):
    """A Column or a column name (PySpark's ``ColumnOrName``)."""
    return None if value is None else _to_col(value)._jc


def _lit(value):
    """A Python value as a literal (a list as an array of them), or a Column as itself."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return _native.function("array", [_lit(v) for v in value])
    return value._jc if isinstance(value, Column) else _native.lit(value)


def _any(value):
    """A Column, a column name, or any other Python value as a literal."""
    return _col(value) if isinstance(value, (Column, str)) else _lit(value)
