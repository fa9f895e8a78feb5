"""Higher-order functions, as ``pyspark.sql.functions``: functions that take Python lambdas
(``transform(c, lambda x: x + 1)``). The lambda is called once, with lambda variables as its
Columns, and the Column it returns becomes the lambda's body; the engine types the variables
and names the result as Spark does (``lambdafunction(..., namedlambdavariable())``)."""

import inspect
import itertools

from ember import _native
from ember.errors import PySparkValueError

from ..column import Column, _to_col

_fresh = itertools.count()


def _lambda(f):
    """The engine's lambda for the Python function ``f`` of 1 to 3 Columns."""
    parameters = inspect.signature(f).parameters.values()
    if not 1 <= len(parameters) <= 3:
        raise PySparkValueError(
            "[WRONG_NUM_ARGS_FOR_HIGHER_ORDER_FUNCTION] Function `%s` should take between 1 and 3 arguments, "
            "but the provided function takes %d." % (f.__name__, len(parameters)))
    positional = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.POSITIONAL_ONLY)
    if not all(p.kind in positional for p in parameters):
        raise PySparkValueError(
            "[UNSUPPORTED_PARAM_TYPE_FOR_HIGHER_ORDER_FUNCTION] Function `%s` should use only POSITIONAL or "
            "POSITIONAL OR KEYWORD arguments." % f.__name__)
    # Unique names: a lambda inside a lambda may read the outer one's variables.
    names = ["%s_%d" % (n, next(_fresh)) for n in "xyz"[: len(parameters)]]
    body = f(*[Column(_native.lambda_variable(n)) for n in names])
    if not isinstance(body, Column):
        raise PySparkValueError(
            "[HIGHER_ORDER_FUNCTION_SHOULD_RETURN_COLUMN] Function `%s` should return Column, got %s."
            % (f.__name__, type(body).__name__))
    return _native.lambda_function(names, body._jc)


def _higher_order(name, cols, functions):
    args = [_to_col(c)._jc for c in cols] + [_lambda(f) for f in functions]
    return Column(_native.call(name, args))


def transform(col, f):
    return _higher_order("transform", [col], [f])


def filter(col, f):
    return _higher_order("filter", [col], [f])


def exists(col, f):
    return _higher_order("exists", [col], [f])


def forall(col, f):
    return _higher_order("forall", [col], [f])


def aggregate(col, initialValue, merge, finish=None):
    return _higher_order("aggregate", [col, initialValue], [merge] + ([finish] if finish is not None else []))


def reduce(col, initialValue, merge, finish=None):
    return _higher_order("reduce", [col, initialValue], [merge] + ([finish] if finish is not None else []))


def zip_with(left, right, f):
    return _higher_order("zip_with", [left, right], [f])


def transform_keys(col, f):
    return _higher_order("transform_keys", [col], [f])


def transform_values(col, f):
    return _higher_order("transform_values", [col], [f])


def map_filter(col, f):
    return _higher_order("map_filter", [col], [f])


def map_zip_with(col1, col2, f):
    return _higher_order("map_zip_with", [col1, col2], [f])


def array_sort(col, comparator=None):
    return _higher_order("array_sort", [col], [comparator] if comparator is not None else [])


__all__ = ["transform", "filter", "exists", "forall", "aggregate", "reduce", "zip_with", "transform_keys",
           "transform_values", "map_filter", "map_zip_with", "array_sort"]
