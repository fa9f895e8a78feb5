//! Reading Spark's variant binary encoding (`common/variant/README.md` in Spark, the Parquet
//! Variant spec): a value buffer whose first byte says what follows, and a metadata buffer holding
//! the dictionary of object keys. Every read is bounds-checked, since a variant can come from a
//! file or from `VariantVal(value, metadata)` built by hand: bad bytes are `MALFORMED_VARIANT`.

use datafusion::common::Result;
use datafusion::error::DataFusionError;

pub(super) const SHORT_STR: u8 = 1;
pub(super) const OBJECT: u8 = 2;
pub(super) const ARRAY: u8 = 3;

pub(super) const NULL: u8 = 0;
pub(super) const TRUE: u8 = 1;
pub(super) const FALSE: u8 = 2;
pub(super) const INT1: u8 = 3;
pub(super) const INT2: u8 = 4;
pub(super) const INT4: u8 = 5;
pub(super) const INT8: u8 = 6;
pub(super) const DOUBLE: u8 = 7;
pub(super) const DECIMAL4: u8 = 8;
pub(super) const DECIMAL8: u8 = 9;
pub(super) const DECIMAL16: u8 = 10;
pub(super) const DATE: u8 = 11;
pub(super) const TIMESTAMP: u8 = 12;
pub(super) const TIMESTAMP_NTZ: u8 = 13;
pub(super) const FLOAT: u8 = 14;
pub(super) const BINARY: u8 = 15;
pub(super) const LONG_STR: u8 = 16;

/// Spark's error for bytes that are not a variant.
pub(crate) fn malformed() -> DataFusionError {
    DataFusionError::Execution(
        "[MALFORMED_VARIANT] Variant binary is malformed. Please check the data source is valid. SQLSTATE: 22023".into(),
    )
}

/// A little-endian unsigned integer of `size` bytes at `at`.
fn read_unsigned(bytes: &[u8], at: usize, size: usize) -> Result<usize> {
    let slice = bytes.get(at..at + size).ok_or_else(malformed)?;
    Ok(slice.iter().rev().fold(0usize, |acc, b| (acc << 8) | usize::from(*b)))
}

fn read_signed(bytes: &[u8], at: usize, size: usize) -> Result<i64> {
    let slice = bytes.get(at..at + size).ok_or_else(malformed)?;
    let mut buf = if slice.last().is_some_and(|b| b & 0x80 != 0) { [0xFF; 8] } else { [0; 8] };
    buf[..size].copy_from_slice(slice);
    Ok(i64::from_le_bytes(buf))
}

/// One variant value: its bytes (starting at its header) and the metadata of the variant it is
/// part of. Values inside objects and arrays share their parent's metadata.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Variant<'a> {
    pub value: &'a [u8],
    pub metadata: &'a [u8],
}

/// What a variant value holds, decoded from its header.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    Null,
    Boolean(bool),
    /// An integer and the byte width it was stored in (1, 2, 4 or 8).
    Long(i64, u8),
    Double(f64),
    /// Unscaled value and scale, as stored (trailing zeros kept).
    Decimal(i128, u8),
    Date(i32),
    Timestamp(i64),
    TimestampNtz(i64),
    Float(f32),
    Binary(&'a [u8]),
    String(&'a str),
    Object(Object<'a>),
    Array(List<'a>),
}

/// An object's layout: `size` fields, ids and offsets of the given widths.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Object<'a> {
    variant: Variant<'a>,
    size: usize,
    id_size: usize,
    offset_size: usize,
    id_start: usize,
    offset_start: usize,
    data_start: usize,
}

/// An array's layout.
#[derive(Debug, Clone, Copy)]
pub(crate) struct List<'a> {
    variant: Variant<'a>,
    size: usize,
    offset_size: usize,
    offset_start: usize,
    data_start: usize,
}

impl<'a> Variant<'a> {
    pub(crate) fn new(value: &'a [u8], metadata: &'a [u8]) -> Result<Self> {
        // Version 1 is the only one Spark writes or reads.
        match metadata.first() {
            Some(header) if header & 0x0F == 1 => Ok(Variant { value, metadata }),
            _ => Err(malformed()),
        }
    }

    fn header(&self) -> Result<u8> {
        self.value.first().copied().ok_or_else(malformed)
    }

    /// The value at `offset` inside this one's buffer.
    fn at(&self, offset: usize) -> Result<Variant<'a>> {
        let value = self.value.get(offset..).filter(|v| !v.is_empty()).ok_or_else(malformed)?;
        Ok(Variant { value, metadata: self.metadata })
    }

    pub(crate) fn get(&self) -> Result<Value<'a>> {
        let header = self.header()?;
        let info = header >> 2;
        let v = self.value;
        Ok(match header & 0x03 {
            SHORT_STR => {
                let bytes = v.get(1..1 + usize::from(info)).ok_or_else(malformed)?;
                Value::String(std::str::from_utf8(bytes).map_err(|_| malformed())?)
            }
            OBJECT => {
                let large = info & 0x10 != 0;
                let id_size = usize::from((info >> 2) & 0x03) + 1;
                let offset_size = usize::from(info & 0x03) + 1;
                let size_bytes = if large { 4 } else { 1 };
                let size = read_unsigned(v, 1, size_bytes)?;
                let id_start = 1 + size_bytes;
                let offset_start = id_start + size * id_size;
                let data_start = offset_start + (size + 1) * offset_size;
                Value::Object(Object { variant: *self, size, id_size, offset_size, id_start, offset_start, data_start })
            }
            ARRAY => {
                let large = info & 0x04 != 0;
                let offset_size = usize::from(info & 0x03) + 1;
                let size_bytes = if large { 4 } else { 1 };
                let size = read_unsigned(v, 1, size_bytes)?;
                let offset_start = 1 + size_bytes;
                let data_start = offset_start + (size + 1) * offset_size;
                Value::Array(List { variant: *self, size, offset_size, offset_start, data_start })
            }
            _ => match info {
                NULL => Value::Null,
                TRUE => Value::Boolean(true),
                FALSE => Value::Boolean(false),
                INT1 => Value::Long(read_signed(v, 1, 1)?, 1),
                INT2 => Value::Long(read_signed(v, 1, 2)?, 2),
                INT4 => Value::Long(read_signed(v, 1, 4)?, 4),
                INT8 => Value::Long(read_signed(v, 1, 8)?, 8),
                DOUBLE => Value::Double(f64::from_bits(read_signed(v, 1, 8)? as u64)),
                DECIMAL4 | DECIMAL8 | DECIMAL16 => {
                    let scale = *v.get(1).ok_or_else(malformed)?;
                    let width = match info {
                        DECIMAL4 => 4,
                        DECIMAL8 => 8,
                        _ => 16,
                    };
                    let bytes = v.get(2..2 + width).ok_or_else(malformed)?;
                    let mut buf = if bytes[width - 1] & 0x80 != 0 { [0xFF; 16] } else { [0; 16] };
                    buf[..width].copy_from_slice(bytes);
                    if scale > 38 {
                        return Err(malformed());
                    }
                    Value::Decimal(i128::from_le_bytes(buf), scale)
                }
                DATE => Value::Date(read_signed(v, 1, 4)? as i32),
                TIMESTAMP => Value::Timestamp(read_signed(v, 1, 8)?),
                TIMESTAMP_NTZ => Value::TimestampNtz(read_signed(v, 1, 8)?),
                FLOAT => Value::Float(f32::from_bits(read_unsigned(v, 1, 4)? as u32)),
                BINARY => {
                    let len = read_unsigned(v, 1, 4)?;
                    Value::Binary(v.get(5..5 + len).ok_or_else(malformed)?)
                }
                LONG_STR => {
                    let len = read_unsigned(v, 1, 4)?;
                    let bytes = v.get(5..5 + len).ok_or_else(malformed)?;
                    Value::String(std::str::from_utf8(bytes).map_err(|_| malformed())?)
                }
                _ => return Err(malformed()),
            },
        })
    }

    /// The number of bytes this value occupies.
    pub(crate) fn size(&self) -> Result<usize> {
        let header = self.header()?;
        let info = header >> 2;
        Ok(match (header & 0x03, self.get()?) {
            (SHORT_STR, _) => 1 + usize::from(info),
            (_, Value::Object(o)) => o.data_start + read_unsigned(self.value, o.offset_start + o.size * o.offset_size, o.offset_size)?,
            (_, Value::Array(a)) => a.data_start + read_unsigned(self.value, a.offset_start + a.size * a.offset_size, a.offset_size)?,
            (_, Value::Null | Value::Boolean(_)) => 1,
            (_, Value::Long(_, width)) => 1 + usize::from(width),
            (_, Value::Double(_) | Value::Timestamp(_) | Value::TimestampNtz(_)) => 9,
            (_, Value::Decimal(..)) => match info {
                DECIMAL4 => 6,
                DECIMAL8 => 10,
                _ => 18,
            },
            (_, Value::Date(_) | Value::Float(_)) => 5,
            (_, Value::Binary(b)) => 5 + b.len(),
            (_, Value::String(s)) => 5 + s.len(),
        })
    }

    /// This value's own bytes.
    pub(crate) fn bytes(&self) -> Result<&'a [u8]> {
        let size = self.size()?;
        self.value.get(..size).ok_or_else(malformed)
    }

    /// The key with dictionary id `id`.
    pub(crate) fn key(&self, id: usize) -> Result<&'a str> {
        let m = self.metadata;
        let offset_size = usize::from((m[0] >> 6) & 0x03) + 1;
        let count = read_unsigned(m, 1, offset_size)?;
        if id >= count {
            return Err(malformed());
        }
        let offsets = 1 + offset_size;
        let strings = offsets + (count + 1) * offset_size;
        let start = read_unsigned(m, offsets + id * offset_size, offset_size)?;
        let end = read_unsigned(m, offsets + (id + 1) * offset_size, offset_size)?;
        let bytes = m.get(strings + start..strings + end).ok_or_else(malformed)?;
        std::str::from_utf8(bytes).map_err(|_| malformed())
    }

    /// Whether the value is the variant null (not SQL NULL).
    pub(crate) fn is_null(&self) -> Result<bool> {
        Ok(matches!(self.get()?, Value::Null))
    }
}

impl<'a> Object<'a> {
    pub(crate) fn len(&self) -> usize {
        self.size
    }

    /// The `i`-th field in stored order (sorted by key): its key and value.
    pub(crate) fn field(&self, i: usize) -> Result<(&'a str, Variant<'a>)> {
        let v = &self.variant;
        let id = read_unsigned(v.value, self.id_start + i * self.id_size, self.id_size)?;
        let offset = read_unsigned(v.value, self.offset_start + i * self.offset_size, self.offset_size)?;
        Ok((v.key(id)?, v.at(self.data_start + offset)?))
    }

    /// The field named `key`: fields are sorted by key, so a binary search finds it.
    pub(crate) fn get(&self, key: &str) -> Result<Option<Variant<'a>>> {
        let (mut low, mut high) = (0, self.size);
        while low < high {
            let mid = (low + high) / 2;
            let (k, value) = self.field(mid)?;
            match k.cmp(key) {
                std::cmp::Ordering::Equal => return Ok(Some(value)),
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
            }
        }
        Ok(None)
    }
}

impl<'a> List<'a> {
    pub(crate) fn len(&self) -> usize {
        self.size
    }

    pub(crate) fn get(&self, i: usize) -> Result<Variant<'a>> {
        let offset = read_unsigned(self.variant.value, self.offset_start + i * self.offset_size, self.offset_size)?;
        self.variant.at(self.data_start + offset)
    }
}
