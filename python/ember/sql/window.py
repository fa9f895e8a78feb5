"""``Window`` specifications, as ``pyspark.sql.Window``."""

import sys

from .column import _to_col


def _cols(cols):
    if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
        cols = tuple(cols[0])
    return [_to_col(c)._jc for c in cols]


class WindowSpec:
    def __init__(self, partition=None, order=None, frame=None):
        self._partition = partition or []
        self._order = order or []
        self._frame = frame

    def partitionBy(self, *cols):
        return WindowSpec(_cols(cols), self._order, self._frame)

    def orderBy(self, *cols):
        return WindowSpec(self._partition, _cols(cols), self._frame)

    def rowsBetween(self, start, end):
        return WindowSpec(self._partition, self._order, ("rows", _bound(start), _bound(end)))

    def rangeBetween(self, start, end):
        return WindowSpec(self._partition, self._order, ("range", _bound(start), _bound(end)))


def _bound(v):
    if v <= Window.unboundedPreceding or v >= Window.unboundedFollowing:
        return None
    return int(v)


class Window:
    _JAVA_MIN_LONG = -(1 << 63)
    _JAVA_MAX_LONG = (1 << 63) - 1
    _PRECEDING_THRESHOLD = max(-sys.maxsize, _JAVA_MIN_LONG)
    _FOLLOWING_THRESHOLD = min(sys.maxsize, _JAVA_MAX_LONG)
    unboundedPreceding = _JAVA_MIN_LONG
    unboundedFollowing = _JAVA_MAX_LONG
    currentRow = 0

    @staticmethod
    def partitionBy(*cols):
        return WindowSpec().partitionBy(*cols)

    @staticmethod
    def orderBy(*cols):
        return WindowSpec().orderBy(*cols)

    @staticmethod
    def rowsBetween(start, end):
        return WindowSpec().rowsBetween(start, end)

    @staticmethod
    def rangeBetween(start, end):
        return WindowSpec().rangeBetween(start, end)
