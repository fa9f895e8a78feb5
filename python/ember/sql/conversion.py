"""Moving data between Python objects and Arrow: rows for ``collect``, local data for
``createDataFrame``, values for UDFs. Spark's Python forms are kept: structs are ``Row``s,
maps are ``dict``s, timestamps are naive ``datetime``s."""

import datetime

import pyarrow as pa

from .row import Row
from .types import (
    ArrayType, DataType, DayTimeIntervalType, MapType, YearMonthIntervalType, NullType, StructField, StructType, VariantType, VariantVal,
    _infer_type, _merge_type,
    from_arrow_schema, to_arrow_type,
)


def _needs_post(dt):
    return isinstance(dt, (StructType, ArrayType, MapType, VariantType))


def _post(value, dt):
    if value is None:
        return None
    if isinstance(dt, VariantType):
        return VariantVal(bytearray(value["value"]), bytearray(value["metadata"]))
    if isinstance(dt, StructType):
        if isinstance(value, dict):
            return Row._make(dt.names, [_post(value.get(f.name), f.dataType) for f in dt.fields])
        return Row._make(dt.names, [_post(v, f.dataType) for v, f in zip(value, dt.fields)])
    if isinstance(dt, ArrayType):
        return [_post(v, dt.elementType) for v in value]
    if isinstance(dt, MapType):
        return {_post(k, dt.keyType): _post(v, dt.valueType) for k, v in value}
    return value


def naive_type(t):
    """``t`` with its TIMESTAMPs' zone dropped: PySpark hands TIMESTAMPs out as naive datetimes,
    wall-clock readings in the session time zone (Ember's is UTC)."""
    if pa.types.is_timestamp(t) and t.tz is not None:
        return pa.timestamp(t.unit)
    if pa.types.is_struct(t):
        return pa.struct([f.with_type(naive_type(f.type)) for f in t])
    if pa.types.is_map(t):
        return pa.map_(t.key_field.with_type(naive_type(t.key_type)), t.item_field.with_type(naive_type(t.item_type)))
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return pa.list_(t.value_field.with_type(naive_type(t.value_type)))
    return t


def naive(data):
    """An Arrow array or table with its TIMESTAMPs as naive wall-clock readings."""
    if isinstance(data, pa.Table):
        schema = pa.schema([f.with_type(naive_type(f.type)) for f in data.schema])
        return data if schema == data.schema else data.cast(schema)
    t = naive_type(data.type)
    return data if t == data.type else data.cast(t)


def _interval(value, dt):
    """An ANSI interval as PySpark hands it out: whole months, or a ``timedelta``."""
    if value is None or isinstance(value, (int, datetime.timedelta)):
        return value
    if isinstance(dt, YearMonthIntervalType):
        return value.months
    return datetime.timedelta(days=value.days, microseconds=value.nanoseconds // 1000)


def to_python(array, dt):
    """A pyarrow array as a list of Spark-style Python values."""
    values = naive(array).to_pylist()
    if isinstance(dt, (YearMonthIntervalType, DayTimeIntervalType)):
        return [_interval(v, dt) for v in values]
    if _needs_post(dt):
        return [_post(v, dt) for v in values]
    return values


def batches_to_rows(batches, schema):
    names = schema.names
    rows = []
    for batch in batches:
        columns = [to_python(batch.column(i), f.dataType) for i, f in enumerate(schema.fields)]
        rows.extend(Row._make(names, values) for values in zip(*columns))
    return rows


def to_arrow_value(value, dt):
    """A Python value in the shape pyarrow expects for the Arrow form of ``dt``."""
    if value is None:
        return None
    if isinstance(dt, VariantType):
        return {"value": bytes(value.value), "metadata": bytes(value.metadata)}
    if isinstance(dt, StructType):
        if isinstance(value, Row) and hasattr(value, "__fields__"):
            return {f.name: to_arrow_value(value[f.name] if f.name in value.__fields__ else None, f.dataType) for f in dt.fields}
        if isinstance(value, dict):
            return {f.name: to_arrow_value(value.get(f.name), f.dataType) for f in dt.fields}
        return {f.name: to_arrow_value(v, f.dataType) for v, f in zip(value, dt.fields)}
    if isinstance(dt, ArrayType):
        return [to_arrow_value(v, dt.elementType) for v in value]
    if isinstance(dt, MapType):
        return [(to_arrow_value(k, dt.keyType), to_arrow_value(v, dt.valueType)) for k, v in value.items()]
    return value


def _row_values(row, names):
    """A record's values in field order: Rows and dicts by name, tuples by position."""
    if isinstance(row, Row) and hasattr(row, "__fields__"):
        return [row[n] if n in row.__fields__ else None for n in names] if names else list(row)
    if isinstance(row, dict):
        return [row.get(n) for n in names]
    if isinstance(row, (list, tuple)):
        return list(row)
    return [row]


def infer_schema(data, names=None):
    """Spark's schema for local data: names from Rows/dicts/``names``, types merged over rows."""
    if not data:
        raise ValueError("[CANNOT_INFER_EMPTY_SCHEMA] Can not infer schema from an empty dataset.")
    first = data[0]
    if isinstance(first, Row) and hasattr(first, "__fields__"):
        fields = list(first.__fields__)
    elif isinstance(first, dict):
        fields = list(first.keys())
    elif isinstance(first, (list, tuple)):
        fields = ["_%d" % (i + 1) for i in range(len(first))]
    else:
        raise TypeError(
            "[CANNOT_INFER_SCHEMA_FOR_TYPE] Can not infer schema for type: `%s`." % type(first).__name__
        )
    if names:
        fields = list(names) + fields[len(names):]
    types = [NullType() for _ in fields]
    key_names = fields if isinstance(first, dict) or (isinstance(first, Row) and hasattr(first, "__fields__")) else None
    for row in data:
        values = _row_values(row, key_names)
        for i, v in enumerate(values[: len(types)]):
            if v is not None:
                types[i] = _merge_type(types[i], _infer_type(v))
    return StructType([StructField(n, t, True) for n, t in zip(fields, types)])


def rows_to_batches(data, schema, chunks=1):
    """Local rows as pyarrow record batches of ``schema`` (split for parallelism)."""
    names = schema.names
    by_name = bool(data) and (isinstance(data[0], dict) or (isinstance(data[0], Row) and hasattr(data[0], "__fields__")))
    arrow_schema = pa.schema([pa.field(f.name, to_arrow_type(f.dataType), f.nullable) for f in schema.fields])
    n = len(data)
    # Spark slices local data into min(rows, defaultParallelism) partitions the same way.
    chunks = max(1, min(chunks, n))
    batches = []
    for c in range(chunks):
        part = data[c * n // chunks:(c + 1) * n // chunks]
        columns = [[] for _ in names]
        for row in part:
            values = _row_values(row, names if by_name else None)
            if len(values) != len(names):
                raise ValueError(
                    "[LENGTH_SHOULD_BE_THE_SAME] obj and fields should be of the same length, got %d and %d."
                    % (len(values), len(names))
                )
            for i, (v, f) in enumerate(zip(values, schema.fields)):
                columns[i].append(to_arrow_value(v, f.dataType))
        arrays = []
        for col, f in zip(columns, arrow_schema):
            try:
                arrays.append(pa.array(col, type=f.type))
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as e:
                raise TypeError(
                    "[FIELD_DATA_TYPE_UNACCEPTABLE] field %s: %s can not accept object in type %s (%s)"
                    % (f.name, from_arrow_schema(pa.schema([f])).fields[0].dataType, type(next((v for v in col if v is not None), None)).__name__, e)
                )
        batches.append(pa.RecordBatch.from_arrays(arrays, schema=arrow_schema))
    return batches, arrow_schema
