//! One aggregate function for every sketch kind: the state is the sketch's serialized bytes
//! (Apache DataSketches' format, which Spark's sketches have), so partial aggregates travel
//! between stages and executors as Spark's own binary values would.

use std::fmt::Debug;
use std::hash::Hash;
use std::sync::Arc;

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::array::AsArray;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};
use datafusion::physical_expr::expressions::Literal;

/// What differs between sketch aggregates: how a sketch starts from the call's constant
/// parameters, takes input rows, absorbs another serialized sketch, and is serialized.
pub(crate) trait SketchKind: Debug + Clone + Send + Sync + PartialEq + Eq + Hash + 'static {
    type Sketch: Debug + Send + Sync + 'static;

    /// Spark's name of the function.
    fn name(&self) -> &'static str;

    /// The input columns before the constant parameters (`key, summary` for tuple sketches).
    fn columns(&self) -> usize {
        1
    }

    /// The number of arguments the function takes, the columns included.
    fn arities(&self) -> &'static [usize];

    /// Rejects input types Spark rejects (checked when the call is planned).
    fn check_input(&self, types: &[DataType]) -> Result<()>;

    /// An empty sketch for the call's constant parameters (NULL where left out).
    fn start(&self, parameters: &[Option<ScalarValue>]) -> Result<Self::Sketch>;

    /// Adds the rows of the input columns; by default (for the aggregates of sketches: unions,
    /// intersections, merges) each row's sketch as a partial result.
    fn update(&self, sketch: &mut Self::Sketch, columns: &[ArrayRef]) -> Result<()> {
        for bytes in super::binaries(&columns[0])?.iter().flatten() {
            self.merge(sketch, bytes)?;
        }
        Ok(())
    }

    /// Adds a serialized sketch (a partial aggregate of the same function).
    fn merge(&self, sketch: &mut Self::Sketch, bytes: &[u8]) -> Result<()>;

    /// The sketch's bytes, as Spark returns them.
    fn serialize(&self, sketch: &mut Self::Sketch) -> Result<Vec<u8>>;

    /// The memory the sketch holds, in bytes.
    fn memory(&self, sketch: &Self::Sketch) -> usize;
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct SketchAggregate<K: SketchKind> {
    kind: K,
    signature: Signature,
}

/// The aggregate function of a sketch kind.
pub(crate) fn udaf<K: SketchKind>(kind: K) -> Arc<AggregateUDF> {
    let signature =
        Signature::one_of(kind.arities().iter().map(|n| datafusion::logical_expr::TypeSignature::Any(*n)).collect(), Volatility::Immutable);
    Arc::new(AggregateUDF::new_from_impl(SketchAggregate { kind, signature }))
}

impl<K: SketchKind> AggregateUDFImpl for SketchAggregate<K> {
    fn name(&self) -> &str {
        self.kind.name()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        self.kind.check_input(args)?;
        Ok(DataType::Binary)
    }

    /// Spark returns a sketch (empty for no rows), never NULL.
    fn is_nullable(&self) -> bool {
        false
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(format_state_name(args.name, "sketch"), DataType::Binary, true))])
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let parameters = args.exprs[self.kind.columns().min(args.exprs.len())..]
            .iter()
            .map(|e| match e.downcast_ref::<Literal>() {
                Some(l) => Ok((!l.value().is_null()).then(|| l.value().clone())),
                None => exec_err!("{}: its parameters after the input must be constants", self.kind.name()),
            })
            .collect::<Result<Vec<_>>>()?;
        let sketch = self.kind.start(&parameters)?;
        Ok(Box::new(SketchAccumulator { kind: self.kind.clone(), sketch }))
    }
}

#[derive(Debug)]
struct SketchAccumulator<K: SketchKind> {
    kind: K,
    sketch: K::Sketch,
}

impl<K: SketchKind> Accumulator for SketchAccumulator<K> {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let columns = self.kind.columns().min(values.len());
        self.kind.update(&mut self.sketch, &values[..columns])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let bytes = cast(&states[0], &DataType::Binary)?;
        for b in bytes.as_binary::<i32>().iter().flatten() {
            self.kind.merge(&mut self.sketch, b)?;
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.evaluate()?])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Binary(Some(self.kind.serialize(&mut self.sketch)?)))
    }

    fn size(&self) -> usize {
        size_of::<Self>() + self.kind.memory(&self.sketch)
    }
}
