"""Column functions, as ``pyspark.sql.functions``.

Scalar functions are looked up by Spark name in the engine's function catalog, so a function
behaves the same here as in ``spark.sql``. Grouped by kind: ``_core`` (columns, literals,
conditionals, common aggregates, strings, dates, windows, UDFs) and ``_more`` (the wider
catalog: math, bitwise, collections, maps, hashing, regression aggregates) and ``_lambdas``
(higher-order functions, which take Python lambdas).
"""

from ._core import *  # noqa: F401,F403
from ._core import __all__ as _core_all
from ._more import *  # noqa: F401,F403
from ._more import __all__ as _more_all
from ._lambdas import *  # noqa: F401,F403
from ._lambdas import __all__ as _lambdas_all

__all__ = list(_core_all) + list(_more_all) + list(_lambdas_all)
