"""``pyspark`` inside ``ember-submit``: every ``pyspark`` module is Ember's.

``ember-submit`` puts the directory holding this package first on the path (unless
``--conf ember.submit.pysparkAlias=false``), so an unmodified PySpark job script
(``from pyspark.sql import SparkSession``) runs on Ember: each ``ember.x`` module is
registered as ``pyspark.x`` when this package is imported.
"""

import importlib
import pkgutil
import sys

import ember

for _info in pkgutil.walk_packages(ember.__path__, "ember."):
    if "._" in _info.name:
        continue
    sys.modules["pyspark." + _info.name[len("ember."):]] = importlib.import_module(_info.name)

sys.modules[__name__] = ember
