//! Spark's bitmap aggregates over its 4096-byte (32768-bit) bitmaps:
//! `bitmap_construct_agg(position)` sets the bit of each position (from
//! `bitmap_bit_position`), `bitmap_or_agg(bitmap)` and `bitmap_and_agg(bitmap)` combine
//! bitmaps byte by byte. Bit `p` is bit `p % 8` of byte `p / 8`, as Spark lays them out.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Int64Type};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

/// Bytes in one of Spark's bitmaps.
const BITMAP_BYTES: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Combine {
    /// Positions set into the bitmap.
    Construct,
    Or,
    And,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct BitmapAggregate {
    name: &'static str,
    combine: Combine,
    signature: Signature,
}

/// The three aggregates.
pub fn all() -> Vec<Arc<AggregateUDF>> {
    [("bitmap_construct_agg", Combine::Construct), ("bitmap_or_agg", Combine::Or), ("bitmap_and_agg", Combine::And)]
        .into_iter()
        .map(|(name, combine)| {
            Arc::new(AggregateUDF::new_from_impl(BitmapAggregate { name, combine, signature: Signature::any(1, Volatility::Immutable) }))
        })
        .collect()
}

impl AggregateUDFImpl for BitmapAggregate {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Binary)
    }

    fn is_nullable(&self) -> bool {
        false
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(format_state_name(args.name, "bitmap"), DataType::Binary, true))])
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        // `and` starts from all bits set, and stays so until a bitmap arrives.
        let start = if self.combine == Combine::And { 0xFF } else { 0 };
        Ok(Box::new(Bitmap { combine: self.combine, bytes: vec![start; BITMAP_BYTES] }))
    }
}

#[derive(Debug)]
struct Bitmap {
    combine: Combine,
    bytes: Vec<u8>,
}

impl Bitmap {
    fn combine_bitmaps(&mut self, values: &ArrayRef, combine: Combine) -> Result<()> {
        let values = cast(values, &DataType::Binary)?;
        for b in values.as_binary::<i32>().iter().flatten() {
            for (i, byte) in self.bytes.iter_mut().enumerate() {
                let other = b.get(i).copied().unwrap_or(0);
                *byte = if combine == Combine::And { *byte & other } else { *byte | other };
            }
        }
        Ok(())
    }
}

impl Accumulator for Bitmap {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        if self.combine != Combine::Construct {
            return self.combine_bitmaps(&values[0], self.combine);
        }
        let positions = cast(&values[0], &DataType::Int64)?;
        for p in positions.as_primitive::<Int64Type>().iter().flatten() {
            let Some(byte) = usize::try_from(p).ok().filter(|p| *p < BITMAP_BYTES * 8) else {
                return exec_err!(
                    "[INVALID_BITMAP_POSITION] The 0-indexed bitmap position {p} is out of bounds. The bitmap has {} bits ({BITMAP_BYTES} \
                     bytes). SQLSTATE: 22003",
                    BITMAP_BYTES * 8
                );
            };
            self.bytes[byte / 8] |= 1 << (byte % 8);
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let combine = if self.combine == Combine::And { Combine::And } else { Combine::Or };
        self.combine_bitmaps(&states[0], combine)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Binary(Some(self.bytes.clone()))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Binary(Some(self.bytes.clone())))
    }

    fn size(&self) -> usize {
        size_of::<Self>() + self.bytes.capacity()
    }
}
