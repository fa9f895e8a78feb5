"""Python UDFs: ``udf(f, returnType)`` and ``spark.udf.register``.

The engine calls :func:`_evaluate` once per batch with pyarrow arrays; the function is applied
row by row here and the results come back as one pyarrow array of the declared type.
"""

import traceback

import pyarrow as pa

from ember import _native

from .types import DataType, StringType, _parse_datatype_string, from_arrow_type, to_arrow_type
from .conversion import to_python, to_arrow_value


class UdfFailure(Exception):
    """A UDF raised; the message is PySpark's report with the Python traceback."""


def _evaluate(func, return_type, num_rows, *arrays):
    spark_type = from_arrow_type(return_type)
    try:
        if arrays:
            columns = [to_python(a, from_arrow_type(a.type)) for a in arrays]
            results = [func(*args) for args in zip(*columns)]
        else:
            results = [func() for _ in range(num_rows)]
        return pa.array([to_arrow_value(r, spark_type) for r in results], type=return_type)
    except Exception as e:
        report = "".join(traceback.format_exception(e)).rstrip()
        raise UdfFailure("An exception was thrown from the Python worker:\n" + report) from None


class UserDefinedFunction:
    def __init__(self, func, returnType=StringType(), name=None, deterministic=True):
        if isinstance(returnType, str):
            returnType = _parse_datatype_string(returnType)
        if not isinstance(returnType, DataType):
            raise TypeError("Invalid return type: returnType should be DataType or str but is %s" % returnType)
        self.func = func
        self.returnType = returnType
        self._name = name or getattr(func, "__name__", "<lambda>")
        self.deterministic = deterministic
        self._native = _native.make_udf(self._name, func, to_arrow_type(returnType), _evaluate, deterministic)
        self.__name__ = self._name
        self.__doc__ = getattr(func, "__doc__", None)

    def __call__(self, *cols):
        from .column import Column, _to_col

        return Column(self._native(*[_to_col(c)._jc for c in cols]))

    def asNondeterministic(self):
        return UserDefinedFunction(self.func, self.returnType, self._name, False)


class UDFRegistration:
    """``spark.udf``."""

    def __init__(self, session):
        self._session = session
        # Registered functions by lower-case name, for `call_udf` and `call_function`.
        self._functions = {}

    def register(self, name, f, returnType=None):
        if isinstance(f, UserDefinedFunction):
            udf = UserDefinedFunction(f.func, returnType or f.returnType, name, f.deterministic)
        else:
            udf = UserDefinedFunction(f, returnType or StringType(), name)
        self._session._jss.register_udf(udf._native)
        self._functions[name.lower()] = udf
        return udf
