"""Spark's data types, with the same names, reprs and string forms as ``pyspark.sql.types``.

Each type maps to an Arrow type: that is how schemas cross into the engine.
"""

import datetime
import decimal

import pyarrow as pa

__all__ = [
    "DataType", "NullType", "StringType", "BinaryType", "BooleanType", "DateType", "TimestampType",
    "TimestampNTZType", "DecimalType", "DoubleType", "FloatType", "ByteType", "IntegerType", "LongType",
    "ShortType", "ArrayType", "MapType", "StructField", "StructType", "Row", "AnsiIntervalType",
    "DayTimeIntervalType", "YearMonthIntervalType", "CalendarIntervalType", "VariantType", "VariantVal",
]


class DataType:
    """Base class of Spark types."""

    def __repr__(self):
        return self.__class__.__name__ + "()"

    def __eq__(self, other):
        return isinstance(other, self.__class__) and self.__dict__ == other.__dict__

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(str(self))

    @classmethod
    def typeName(cls):
        return cls.__name__[:-4].lower()

    def simpleString(self):
        return self.typeName()

    def jsonValue(self):
        return self.typeName()

    def needConversion(self):
        return False


class AtomicType(DataType):
    pass


class NumericType(AtomicType):
    pass


class IntegralType(NumericType):
    pass


class FractionalType(NumericType):
    pass


class NullType(DataType):
    @classmethod
    def typeName(cls):
        return "void"


class StringType(AtomicType):
    pass


class BinaryType(AtomicType):
    pass


class BooleanType(AtomicType):
    pass


class DateType(AtomicType):
    pass


class TimestampType(AtomicType):
    pass


class TimestampNTZType(AtomicType):
    @classmethod
    def typeName(cls):
        return "timestamp_ntz"


class DecimalType(FractionalType):
    def __init__(self, precision=10, scale=0):
        self.precision = precision
        self.scale = scale

    def simpleString(self):
        return "decimal(%d,%d)" % (self.precision, self.scale)

    def jsonValue(self):
        return self.simpleString()

    def __repr__(self):
        return "DecimalType(%d,%d)" % (self.precision, self.scale)


class DoubleType(FractionalType):
    pass


class FloatType(FractionalType):
    pass


class ByteType(IntegralType):
    def simpleString(self):
        return "tinyint"


class IntegerType(IntegralType):
    def simpleString(self):
        return "int"


class LongType(IntegralType):
    def simpleString(self):
        return "bigint"


class ShortType(IntegralType):
    def simpleString(self):
        return "smallint"


class AnsiIntervalType(AtomicType):
    """An interval of the SQL standard: year-month or day-time."""

    _fields = {}

    def __init__(self, startField=None, endField=None):
        if startField is None and endField is None:
            startField, endField = min(self._fields), max(self._fields)
        elif endField is None:
            endField = startField
        if startField not in self._fields or endField not in self._fields:
            from ember.errors import PySparkRuntimeError
            raise PySparkRuntimeError(
                errorClass="INVALID_INTERVAL_CASTING",
                messageParameters={"start_field": str(startField), "end_field": str(endField)},
            )
        self.startField = startField
        self.endField = endField

    def simpleString(self):
        start, end = self._fields[self.startField], self._fields[self.endField]
        return "interval %s" % start if start == end else "interval %s to %s" % (start, end)

    jsonValue = simpleString

    def __repr__(self):
        return "%s(%d, %d)" % (type(self).__name__, self.startField, self.endField)

    @classmethod
    def _from_simple_string(cls, text):
        """``interval day to second`` and the like, or None when ``text`` is not of this kind."""
        words = text.split()
        if len(words) not in (2, 4) or words[0] != "interval":
            return None
        inverted = {v: k for k, v in cls._fields.items()}
        start, end = words[1], words[-1]
        if start not in inverted or end not in inverted:
            return None
        return cls(inverted[start], inverted[end])


class DayTimeIntervalType(AnsiIntervalType):
    """DayTimeIntervalType (datetime.timedelta)."""

    DAY = 0
    HOUR = 1
    MINUTE = 2
    SECOND = 3
    _fields = {DAY: "day", HOUR: "hour", MINUTE: "minute", SECOND: "second"}


class YearMonthIntervalType(AnsiIntervalType):
    """YearMonthIntervalType: whole months."""

    YEAR = 0
    MONTH = 1
    _fields = {YEAR: "year", MONTH: "month"}


class CalendarIntervalType(DataType):
    """An interval of months, days and microseconds (Spark's ``interval``)."""

    @classmethod
    def typeName(cls):
        return "interval"


class VariantType(AtomicType):
    """Spark's VARIANT: semi-structured values, handed out as :class:`VariantVal`."""

    def needConversion(self):
        return True


class VariantVal:
    """A VARIANT value: Spark's binary encoding of it (``value``) and of its object keys
    (``metadata``). The engine reads it: ``toJson()``, ``toPython()``."""

    def __init__(self, value, metadata):
        self.value = value
        self.metadata = metadata

    def __str__(self):
        return self.toJson()

    def __repr__(self):
        return "VariantVal(%r, %r)" % (self.value, self.metadata)

    def __eq__(self, other):
        return isinstance(other, VariantVal) and bytes(self.value) == bytes(other.value) and bytes(self.metadata) == bytes(other.metadata)

    def __hash__(self):
        return hash((bytes(self.value), bytes(self.metadata)))

    def toPython(self):
        from ember import _native

        return _native.variant_to_python(bytes(self.value), bytes(self.metadata))

    def toJson(self, zone_id="UTC"):
        """JSON text as PySpark's client writes it from the Python values (``str`` of numbers,
        so decimals keep their scale), timestamps in ``zone_id``."""
        return _variant_json(self.toPython(), zone_id)

    @classmethod
    def parseJson(cls, json_str):
        from ember import _native

        value, metadata = _native.variant_parse_json(json_str)
        return VariantVal(bytearray(value), bytearray(metadata))


def _variant_json(value, zone_id):
    import base64
    import json
    import zoneinfo

    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + _variant_json(v, zone_id) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_variant_json(v, zone_id) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, bytes):
        return '"' + base64.b64encode(value).decode("utf-8") + '"'
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = value.astimezone(zoneinfo.ZoneInfo(zone_id))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return '"' + str(value) + '"'
    return str(value)


class ArrayType(DataType):
    def __init__(self, elementType, containsNull=True):
        self.elementType = elementType
        self.containsNull = containsNull

    def simpleString(self):
        return "array<%s>" % self.elementType.simpleString()

    def __repr__(self):
        return "ArrayType(%s, %s)" % (self.elementType, self.containsNull)


class MapType(DataType):
    def __init__(self, keyType, valueType, valueContainsNull=True):
        self.keyType = keyType
        self.valueType = valueType
        self.valueContainsNull = valueContainsNull

    def simpleString(self):
        return "map<%s,%s>" % (self.keyType.simpleString(), self.valueType.simpleString())

    def __repr__(self):
        return "MapType(%s, %s, %s)" % (self.keyType, self.valueType, self.valueContainsNull)


class StructField(DataType):
    def __init__(self, name, dataType, nullable=True, metadata=None):
        self.name = name
        self.dataType = dataType
        self.nullable = nullable
        self.metadata = metadata or {}

    def simpleString(self):
        return "%s:%s" % (self.name, self.dataType.simpleString())

    def __repr__(self):
        return "StructField('%s', %s, %s)" % (self.name, self.dataType, self.nullable)


class StructType(DataType):
    def __init__(self, fields=None):
        self.fields = list(fields or [])

    @property
    def names(self):
        return [f.name for f in self.fields]

    def fieldNames(self):
        return self.names

    def add(self, field, data_type=None, nullable=True, metadata=None):
        if isinstance(field, StructField):
            self.fields.append(field)
        else:
            if isinstance(data_type, str):
                data_type = _parse_datatype_string(data_type)
            self.fields.append(StructField(field, data_type, nullable, metadata))
        return self

    def __iter__(self):
        return iter(self.fields)

    def __len__(self):
        return len(self.fields)

    def __getitem__(self, key):
        if isinstance(key, str):
            for f in self.fields:
                if f.name == key:
                    return f
            raise KeyError("No StructField named {0}".format(key))
        if isinstance(key, int):
            return self.fields[key]
        if isinstance(key, slice):
            return StructType(self.fields[key])
        raise TypeError("StructType keys should be strings, integers or slices")

    def simpleString(self):
        return "struct<%s>" % ",".join(f.simpleString() for f in self.fields)

    def __repr__(self):
        return "StructType([%s])" % ", ".join(repr(f) for f in self.fields)

    def treeString(self, level=None):
        from ember import _native

        return _native_tree(self, level)


def _native_tree(schema, level):
    lines = ["root"]

    def walk(name, dt, nullable_word, nullable, depth):
        if level is not None and depth > level:
            return
        prefix = " |" + "    |" * (depth - 1) + "-- "
        null = "" if nullable_word is None else " (%s = %s)" % (nullable_word, str(nullable).lower())
        lines.append("%s%s: %s%s" % (prefix, name, _tree_name(dt), null))
        if isinstance(dt, StructType):
            for f in dt.fields:
                walk(f.name, f.dataType, "nullable", f.nullable, depth + 1)
        elif isinstance(dt, ArrayType):
            walk("element", dt.elementType, "containsNull", dt.containsNull, depth + 1)
        elif isinstance(dt, MapType):
            walk("key", dt.keyType, None, None, depth + 1)
            walk("value", dt.valueType, "valueContainsNull", dt.valueContainsNull, depth + 1)

    for f in schema.fields:
        walk(f.name, f.dataType, "nullable", f.nullable, 1)
    return "\n".join(lines) + "\n"


def _tree_name(dt):
    if isinstance(dt, DecimalType):
        return dt.simpleString()
    return dt.typeName()


# ---- Arrow mapping -------------------------------------------------------------------------

def to_arrow_type(dt):
    """The Arrow type the engine uses for a Spark type."""
    if isinstance(dt, NullType):
        return pa.null()
    if isinstance(dt, StringType):
        return pa.string()
    if isinstance(dt, BinaryType):
        return pa.binary()
    if isinstance(dt, BooleanType):
        return pa.bool_()
    if isinstance(dt, DateType):
        return pa.date32()
    if isinstance(dt, TimestampType):
        # An instant: microseconds in UTC, Ember's session time zone.
        return pa.timestamp("us", tz="UTC")
    if isinstance(dt, TimestampNTZType):
        return pa.timestamp("us")
    if isinstance(dt, DecimalType):
        return pa.decimal128(dt.precision, dt.scale)
    if isinstance(dt, DoubleType):
        return pa.float64()
    if isinstance(dt, FloatType):
        return pa.float32()
    if isinstance(dt, ByteType):
        return pa.int8()
    if isinstance(dt, ShortType):
        return pa.int16()
    if isinstance(dt, IntegerType):
        return pa.int32()
    if isinstance(dt, LongType):
        return pa.int64()
    if isinstance(dt, ArrayType):
        return pa.list_(pa.field("element", to_arrow_type(dt.elementType), dt.containsNull))
    if isinstance(dt, MapType):
        return pa.map_(to_arrow_type(dt.keyType), pa.field("value", to_arrow_type(dt.valueType), dt.valueContainsNull))
    if isinstance(dt, StructType):
        return pa.struct([to_arrow_field(f) for f in dt.fields])
    if isinstance(dt, VariantType):
        return _VARIANT_ARROW
    raise TypeError("unsupported Spark type %r" % (dt,))


# The engine's VARIANT: a struct of its two buffers whose ``value`` field is marked as a variant.
_VARIANT_ARROW = pa.struct([
    pa.field("value", pa.binary(), False, metadata={"spark.type": "variant"}),
    pa.field("metadata", pa.binary(), False),
])


def _is_variant(t):
    return pa.types.is_struct(t) and t.num_fields == 2 and (t.field(0).metadata or {}).get(b"spark.type") == b"variant"


def to_arrow_field(f):
    return pa.field(f.name, to_arrow_type(f.dataType), f.nullable)


def to_arrow_schema(st):
    return pa.schema([to_arrow_field(f) for f in st.fields])


def from_arrow_type(t):
    """The Spark type for an Arrow type."""
    if pa.types.is_null(t):
        return NullType()
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return StringType()
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        return BinaryType()
    if pa.types.is_boolean(t):
        return BooleanType()
    if pa.types.is_date(t):
        return DateType()
    if pa.types.is_timestamp(t):
        return TimestampType() if t.tz is not None else TimestampNTZType()
    if pa.types.is_decimal(t):
        return DecimalType(t.precision, t.scale)
    if pa.types.is_float64(t):
        return DoubleType()
    if pa.types.is_float32(t) or pa.types.is_float16(t):
        return FloatType()
    if pa.types.is_int8(t) or pa.types.is_uint8(t):
        return ByteType()
    if pa.types.is_int16(t) or pa.types.is_uint16(t):
        return ShortType()
    if pa.types.is_int32(t) or pa.types.is_uint32(t):
        return IntegerType()
    if pa.types.is_int64(t) or pa.types.is_uint64(t):
        return LongType()
    if pa.types.is_map(t):
        return MapType(from_arrow_type(t.key_type), from_arrow_type(t.item_type), t.item_field.nullable)
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return ArrayType(from_arrow_type(t.value_type), t.value_field.nullable)
    if _is_variant(t):
        return VariantType()
    if pa.types.is_struct(t):
        return StructType([StructField(f.name, from_arrow_type(f.type), f.nullable) for f in t])
    if pa.types.is_dictionary(t):
        return from_arrow_type(t.value_type)
    if pa.types.is_duration(t):
        return DayTimeIntervalType()
    if t == pa.month_day_nano_interval():
        return CalendarIntervalType()
    if str(t) == "month_interval":
        return YearMonthIntervalType()
    raise TypeError("unsupported Arrow type %s" % t)


def from_arrow_field_type(f):
    """The Spark type of an Arrow field: an interval's kind is recorded in the field's metadata
    (``spark.type``), as Arrow has one interval type for all of Spark's."""
    recorded = (f.metadata or {}).get(b"spark.type")
    if recorded is not None and (str(f.type).endswith("interval") or pa.types.is_duration(f.type)):
        text = recorded.decode()
        for kind in (YearMonthIntervalType, DayTimeIntervalType):
            found = kind._from_simple_string(text)
            if found is not None:
                return found
    return from_arrow_type(f.type)


def from_arrow_schema(schema):
    return StructType([StructField(f.name, from_arrow_field_type(f), f.nullable) for f in schema])


def _parse_datatype_string(s):
    """A Spark type from a DDL string: a single type (``"int"``) or a schema (``"a int, b string"``)."""
    from ember import _native

    s = s.strip()
    try:
        return from_arrow_type(_native.parse_type(s))
    except Exception:
        return from_arrow_schema(_native.parse_ddl(s))


def _infer_type(value):
    """Spark's type for a Python value, as ``createDataFrame`` infers it."""
    from .row import Row

    if value is None:
        return NullType()
    if isinstance(value, VariantVal):
        return VariantType()
    if isinstance(value, bool):
        return BooleanType()
    if isinstance(value, int):
        return LongType()
    if isinstance(value, float):
        return DoubleType()
    if isinstance(value, str):
        return StringType()
    if isinstance(value, (bytes, bytearray)):
        return BinaryType()
    if isinstance(value, decimal.Decimal):
        return DecimalType(38, 18)
    if isinstance(value, datetime.datetime):
        return TimestampType()
    if isinstance(value, datetime.date):
        return DateType()
    if isinstance(value, Row) and hasattr(value, "__fields__"):
        return StructType([StructField(k, _infer_type(v), True) for k, v in zip(value.__fields__, value)])
    if isinstance(value, dict):
        for k, v in value.items():
            if k is not None and v is not None:
                return MapType(_infer_type(k), _infer_type(v), True)
        return MapType(NullType(), NullType(), True)
    if isinstance(value, tuple):
        # A Python tuple is a struct with fields _1, _2, ... as PySpark infers it.
        return StructType([StructField("_%d" % (i + 1), _infer_type(v), True) for i, v in enumerate(value)])
    if isinstance(value, list):
        element = NullType()
        for v in value:
            if v is not None:
                element = _merge_type(element, _infer_type(v))
        return ArrayType(element, True)
    raise TypeError("[CANNOT_INFER_TYPE_FOR_FIELD] Unable to infer the type of the field: %r" % type(value).__name__)


def _merge_type(a, b):
    if isinstance(a, NullType):
        return b
    if isinstance(b, NullType):
        return a
    if type(a) is not type(b):
        if isinstance(a, (LongType, DoubleType)) and isinstance(b, (LongType, DoubleType)):
            return DoubleType()
        raise TypeError("[CANNOT_MERGE_TYPE] Can not merge type %s and %s" % (type(a).__name__, type(b).__name__))
    if isinstance(a, StructType):
        fields = {f.name: f for f in a.fields}
        out = []
        for f in a.fields:
            other = next((g for g in b.fields if g.name == f.name), None)
            out.append(StructField(f.name, _merge_type(f.dataType, other.dataType) if other else f.dataType, True))
        for g in b.fields:
            if g.name not in fields:
                out.append(g)
        return StructType(out)
    if isinstance(a, ArrayType):
        return ArrayType(_merge_type(a.elementType, b.elementType), True)
    if isinstance(a, MapType):
        return MapType(_merge_type(a.keyType, b.keyType), _merge_type(a.valueType, b.valueType), True)
    return a


from .row import Row  # noqa: E402  (re-exported as pyspark.sql.types does)
