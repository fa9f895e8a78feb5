//! Writing variants the way Spark's `VariantBuilder` does, byte for byte: values are appended in
//! document order, an object's field list is sorted by key when the object is finished (its values
//! stay where they were written), keys enter the dictionary in the order first seen, and every
//! size takes the fewest bytes that hold it.

use std::collections::HashMap;

use datafusion::common::Result;
use datafusion::error::DataFusionError;

use super::value::{
    ARRAY, BINARY, DATE, DECIMAL4, DECIMAL8, DECIMAL16, DOUBLE, FALSE, FLOAT, INT1, INT2, INT4, INT8, LONG_STR, NULL, OBJECT, TIMESTAMP,
    TIMESTAMP_NTZ, TRUE, Value, Variant,
};

/// Spark's limit on a variant's value and metadata (`VARIANT_SIZE_LIMIT`), 128 MiB.
const SIZE_LIMIT: usize = 128 * 1024 * 1024;

/// The longest string kept in a short-string header.
const MAX_SHORT_STR: usize = 63;

/// One field of an object being written: its key, dictionary id and offset in the object's data.
pub(crate) struct Field {
    key: String,
    id: usize,
    offset: usize,
}

#[derive(Default)]
pub(crate) struct Builder {
    buffer: Vec<u8>,
    dictionary: HashMap<String, usize>,
    keys: Vec<String>,
}

/// The fewest bytes (1 to 4) that hold `n`.
fn int_size(n: usize) -> usize {
    match n {
        0..=0xFF => 1,
        0x100..=0xFFFF => 2,
        0x1_0000..=0xFF_FFFF => 3,
        _ => 4,
    }
}

fn write_unsigned(out: &mut [u8], at: usize, value: usize, size: usize) {
    out[at..at + size].copy_from_slice(&(value as u64).to_le_bytes()[..size]);
}

fn primitive(kind: u8) -> u8 {
    kind << 2
}

/// Spark's `VARIANT_DUPLICATE_KEY`.
pub(crate) fn duplicate_key(key: &str) -> DataFusionError {
    DataFusionError::Execution(format!(
        "[VARIANT_DUPLICATE_KEY] Failed to build variant because of a duplicate object key `{key}`. SQLSTATE: 22023"
    ))
}

fn size_limit() -> DataFusionError {
    DataFusionError::Execution("[VARIANT_SIZE_LIMIT] Cannot build variant bigger than 128.0 MiB in `variant`. SQLSTATE: 22023".into())
}

/// The number of decimal digits of `n` (1 for zero), Java's `BigDecimal.precision()`.
pub(crate) fn digits(n: i128) -> u32 {
    n.unsigned_abs().checked_ilog10().map_or(1, |d| d + 1)
}

impl Builder {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Where the next value will be written, the `start` of an object or array.
    pub(crate) fn position(&self) -> usize {
        self.buffer.len()
    }

    pub(crate) fn null(&mut self) {
        self.buffer.push(primitive(NULL));
    }

    pub(crate) fn boolean(&mut self, b: bool) {
        self.buffer.push(primitive(if b { TRUE } else { FALSE }));
    }

    /// An integer in the narrowest of Spark's integer types that holds it.
    pub(crate) fn long(&mut self, l: i64) {
        let (kind, width) = if i8::try_from(l).is_ok() {
            (INT1, 1)
        } else if i16::try_from(l).is_ok() {
            (INT2, 2)
        } else if i32::try_from(l).is_ok() {
            (INT4, 4)
        } else {
            (INT8, 8)
        };
        self.buffer.push(primitive(kind));
        self.buffer.extend_from_slice(&l.to_le_bytes()[..width]);
    }

    pub(crate) fn double(&mut self, d: f64) {
        self.buffer.push(primitive(DOUBLE));
        self.buffer.extend_from_slice(&d.to_le_bytes());
    }

    pub(crate) fn float(&mut self, f: f32) {
        self.buffer.push(primitive(FLOAT));
        self.buffer.extend_from_slice(&f.to_le_bytes());
    }

    /// A decimal in the narrowest of the 4-, 8- and 16-byte forms whose precision holds both its
    /// digits and its scale. The caller keeps both within 38.
    pub(crate) fn decimal(&mut self, unscaled: i128, scale: u8) {
        let precision = digits(unscaled).max(u32::from(scale));
        let (kind, width) = match precision {
            0..=9 => (DECIMAL4, 4),
            10..=18 => (DECIMAL8, 8),
            _ => (DECIMAL16, 16),
        };
        self.buffer.push(primitive(kind));
        self.buffer.push(scale);
        self.buffer.extend_from_slice(&unscaled.to_le_bytes()[..width]);
    }

    pub(crate) fn date(&mut self, days: i32) {
        self.buffer.push(primitive(DATE));
        self.buffer.extend_from_slice(&days.to_le_bytes());
    }

    pub(crate) fn timestamp(&mut self, micros: i64, zoned: bool) {
        self.buffer.push(primitive(if zoned { TIMESTAMP } else { TIMESTAMP_NTZ }));
        self.buffer.extend_from_slice(&micros.to_le_bytes());
    }

    pub(crate) fn binary(&mut self, bytes: &[u8]) {
        self.buffer.push(primitive(BINARY));
        self.buffer.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        self.buffer.extend_from_slice(bytes);
    }

    pub(crate) fn string(&mut self, s: &str) {
        let bytes = s.as_bytes();
        if bytes.len() > MAX_SHORT_STR {
            self.buffer.push(primitive(LONG_STR));
            self.buffer.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        } else {
            self.buffer.push(((bytes.len() as u8) << 2) | super::value::SHORT_STR);
        }
        self.buffer.extend_from_slice(bytes);
    }

    /// The dictionary id of `key`, adding it if new.
    pub(crate) fn key(&mut self, key: &str) -> usize {
        if let Some(id) = self.dictionary.get(key) {
            return *id;
        }
        let id = self.keys.len();
        self.dictionary.insert(key.to_string(), id);
        self.keys.push(key.to_string());
        id
    }

    /// Records that the value of field `key` starts here, in the object that started at `start`.
    pub(crate) fn field(&mut self, fields: &mut Vec<Field>, key: &str, start: usize) {
        let id = self.key(key);
        fields.push(Field { key: key.to_string(), id, offset: self.position() - start });
    }

    /// Closes the object whose values were written from `start`: puts its header, sorted field
    /// ids and offsets in front of them.
    pub(crate) fn finish_object(&mut self, start: usize, mut fields: Vec<Field>) -> Result<()> {
        let data_size = self.position() - start;
        fields.sort_by(|a, b| a.key.cmp(&b.key));
        if let Some(pair) = fields.windows(2).find(|w| w[0].key == w[1].key) {
            return Err(duplicate_key(&pair[1].key));
        }
        let size = fields.len();
        let max_id = fields.iter().map(|f| f.id).max().unwrap_or(0);
        let large = size > 0xFF;
        let size_bytes = if large { 4 } else { 1 };
        let id_size = int_size(max_id);
        let offset_size = int_size(data_size);
        let mut header = vec![0u8; 1 + size_bytes + size * id_size + (size + 1) * offset_size];
        header[0] = (u8::from(large) << 6) | (((id_size - 1) as u8) << 4) | (((offset_size - 1) as u8) << 2) | OBJECT;
        write_unsigned(&mut header, 1, size, size_bytes);
        let id_start = 1 + size_bytes;
        let offset_start = id_start + size * id_size;
        for (i, f) in fields.iter().enumerate() {
            write_unsigned(&mut header, id_start + i * id_size, f.id, id_size);
            write_unsigned(&mut header, offset_start + i * offset_size, f.offset, offset_size);
        }
        write_unsigned(&mut header, offset_start + size * offset_size, data_size, offset_size);
        self.insert(start, header)
    }

    /// Closes the array whose elements were written from `start`, at the given offsets.
    pub(crate) fn finish_array(&mut self, start: usize, offsets: &[usize]) -> Result<()> {
        let data_size = self.position() - start;
        let size = offsets.len();
        let large = size > 0xFF;
        let size_bytes = if large { 4 } else { 1 };
        let offset_size = int_size(data_size);
        let mut header = vec![0u8; 1 + size_bytes + (size + 1) * offset_size];
        header[0] = (u8::from(large) << 4) | (((offset_size - 1) as u8) << 2) | ARRAY;
        write_unsigned(&mut header, 1, size, size_bytes);
        let offset_start = 1 + size_bytes;
        for (i, offset) in offsets.iter().enumerate() {
            write_unsigned(&mut header, offset_start + i * offset_size, *offset, offset_size);
        }
        write_unsigned(&mut header, offset_start + size * offset_size, data_size, offset_size);
        self.insert(start, header)
    }

    fn insert(&mut self, start: usize, header: Vec<u8>) -> Result<()> {
        if self.buffer.len() + header.len() > SIZE_LIMIT {
            return Err(size_limit());
        }
        self.buffer.splice(start..start, header);
        Ok(())
    }

    /// Appends `v`, re-keying its objects into this builder's dictionary (Spark's
    /// `appendVariant`): scalars are copied as they are, objects and arrays rebuilt.
    pub(crate) fn variant(&mut self, v: Variant<'_>) -> Result<()> {
        match v.get()? {
            Value::Object(object) => {
                let start = self.position();
                let mut fields = Vec::with_capacity(object.len());
                for i in 0..object.len() {
                    let (key, value) = object.field(i)?;
                    self.field(&mut fields, key, start);
                    self.variant(value)?;
                }
                self.finish_object(start, fields)
            }
            Value::Array(list) => {
                let start = self.position();
                let mut offsets = Vec::with_capacity(list.len());
                for i in 0..list.len() {
                    offsets.push(self.position() - start);
                    self.variant(list.get(i)?)?;
                }
                self.finish_array(start, &offsets)
            }
            _ => {
                self.buffer.extend_from_slice(v.bytes()?);
                Ok(())
            }
        }
    }

    /// The value and metadata buffers: the metadata header (version 1, unsorted keys), the key
    /// count, the key offsets and the keys.
    pub(crate) fn finish(self) -> Result<(Vec<u8>, Vec<u8>)> {
        let strings: usize = self.keys.iter().map(String::len).sum();
        let count = self.keys.len();
        let offset_size = int_size(strings.max(count));
        let mut metadata = vec![0u8; 1 + offset_size + (count + 1) * offset_size];
        if metadata.len() + strings > SIZE_LIMIT || self.buffer.len() > SIZE_LIMIT {
            return Err(size_limit());
        }
        metadata[0] = 1 | (((offset_size - 1) as u8) << 6);
        write_unsigned(&mut metadata, 1, count, offset_size);
        let mut offset = 0;
        for (i, key) in self.keys.iter().enumerate() {
            write_unsigned(&mut metadata, 1 + offset_size + i * offset_size, offset, offset_size);
            offset += key.len();
        }
        write_unsigned(&mut metadata, 1 + offset_size + count * offset_size, offset, offset_size);
        for key in &self.keys {
            metadata.extend_from_slice(key.as_bytes());
        }
        Ok((self.buffer, metadata))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_sort_fields_and_keep_values_in_order() -> Result<()> {
        // Spark's bytes for parse_json('{"a":1,"b":0.8}').
        let mut b = Builder::new();
        let start = b.position();
        let mut fields = Vec::new();
        b.field(&mut fields, "a", start);
        b.long(1);
        b.field(&mut fields, "b", start);
        b.decimal(8, 1);
        b.finish_object(start, fields)?;
        let (value, metadata) = b.finish()?;
        assert_eq!(value, b"\x02\x02\x00\x01\x00\x02\x08\x0c\x01\x20\x01\x08\x00\x00\x00");
        assert_eq!(metadata, b"\x01\x02\x00\x01\x02ab");
        Ok(())
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let mut b = Builder::new();
        let mut fields = Vec::new();
        b.field(&mut fields, "a", 0);
        b.long(1);
        b.field(&mut fields, "a", 0);
        b.long(2);
        assert!(b.finish_object(0, fields).is_err());
    }
}
