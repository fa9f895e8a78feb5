"""Exceptions with PySpark's class names, so ``except AnalysisException`` works unchanged."""


class PySparkException(Exception):
    """Base of every error the engine raises."""

    def __init__(self, message=None, errorClass=None, messageParameters=None):
        super().__init__(message)
        self._message = message or ""
        self._error_class = errorClass
        if errorClass is None and self._message.lstrip().startswith("["):
            head = self._message.lstrip()
            self._error_class = head[1 : head.find("]")] if "]" in head else None

    def getErrorClass(self):
        return self._error_class

    def getCondition(self):
        return self._error_class

    def getMessage(self):
        return self._message

    def __str__(self):
        return self._message


class CapturedException(PySparkException):
    pass


class AnalysisException(CapturedException):
    pass


class ParseException(AnalysisException):
    pass


class IllegalArgumentException(CapturedException):
    pass


class PythonException(CapturedException):
    pass


class SparkRuntimeException(CapturedException):
    pass


class NumberFormatException(IllegalArgumentException):
    """A string that does not parse as the number it is cast to (``CAST_INVALID_INPUT``)."""


class DateTimeException(CapturedException):
    """A string that does not parse as the date or timestamp it is cast to."""


class ArithmeticException(SparkRuntimeException):
    pass


class UnsupportedOperationException(CapturedException):
    pass


class PySparkValueError(PySparkException, ValueError):
    pass


class PySparkTypeError(PySparkException, TypeError):
    pass


class PySparkAttributeError(PySparkException, AttributeError):
    pass


class PySparkIndexError(PySparkException, IndexError):
    pass


__all__ = [
    "PySparkException",
    "CapturedException",
    "AnalysisException",
    "ParseException",
    "IllegalArgumentException",
    "PythonException",
    "SparkRuntimeException",
    "ArithmeticException",
    "NumberFormatException",
    "DateTimeException",
    "UnsupportedOperationException",
    "PySparkValueError",
    "PySparkTypeError",
    "PySparkAttributeError",
    "PySparkIndexError",
]
