"""JSON functions whose schema or options are Python values: the engine's registry computes
them (sql/src/json/); these turn a ``DataType`` into the schema text Spark reads and an options
dict into a ``map``."""

from ..types import DataType
from ._calls import _col, _invoke, _lit
from ._core import create_map, lit


def _options(options):
    """An options dict as a map of strings, or None."""
    if not options:
        return None
    pairs = [lit(str(v)) for kv in options.items() for v in kv]
    return create_map(*pairs)._jc


def _schema(schema):
    return _lit(schema.simpleString() if isinstance(schema, DataType) else schema)


def from_json(col, schema, options=None):
    return _invoke("from_json", _col(col), _schema(schema), _options(options))


def schema_of_json(json, options=None):
    if options:
        return _invoke("schema_of_json", _lit(json), _options(options))
    return _invoke("schema_of_json", _lit(json))


def to_json(col, options=None):
    if options:
        from ember.errors import PySparkValueError

        raise PySparkValueError("to_json options are not supported by Ember yet: %s" % sorted(options))
    return _invoke("to_json", _col(col))


__all__ = ["from_json", "schema_of_json", "to_json"]
