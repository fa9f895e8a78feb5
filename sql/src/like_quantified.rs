//! Spark's `LikeAny`, `LikeAll`, `NotLikeAny` and `NotLikeAll`: one string matched against a
//! list of constant patterns (`e LIKE ANY ('a%', 'b%')`, see [`crate::parser`]'s
//! `quantifiers`). Spark names them `likeany(e)`, `notlikeall(e)`, ... ([`crate::naming`]);
//! they are not functions a user can call, so the registered names are Ember's own.
//!
//! A NULL `e` gives NULL; the patterns are never NULL here (a NULL pattern makes Spark's parser
//! write the `LIKE`s out instead).

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BooleanArray, Scalar, StringArray};
use datafusion::arrow::compute::kernels::boolean::{and_kleene, not, or_kleene};
use datafusion::arrow::compute::kernels::comparison::like;
use datafusion::arrow::compute::{CastOptions, cast_with_options};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// Which of the four: `NOT` before `LIKE`, and `ALL` rather than `ANY`/`SOME`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quantifier {
    pub negated: bool,
    pub all: bool,
}

impl Quantifier {
    const EVERY: [Quantifier; 4] = [
        Quantifier { negated: false, all: false },
        Quantifier { negated: false, all: true },
        Quantifier { negated: true, all: false },
        Quantifier { negated: true, all: true },
    ];

    /// Spark's name of the expression (`likeany`, `likeall`, `notlikeany`, `notlikeall`).
    pub fn spark_name(self) -> &'static str {
        match (self.negated, self.all) {
            (false, false) => "likeany",
            (false, true) => "likeall",
            (true, false) => "notlikeany",
            (true, true) => "notlikeall",
        }
    }

    /// The registered name of its function.
    pub fn function_name(self) -> &'static str {
        match (self.negated, self.all) {
            (false, false) => "spark_likeany",
            (false, true) => "spark_likeall",
            (true, false) => "spark_notlikeany",
            (true, true) => "spark_notlikeall",
        }
    }
}

/// Spark's name for a call of one of these functions, by registered name.
pub fn spark_name_of(function: &str) -> Option<&'static str> {
    Quantifier::EVERY.into_iter().find(|q| q.function_name() == function).map(Quantifier::spark_name)
}

/// The four functions, for sessions and executors to find by name.
pub fn all() -> Vec<Arc<ScalarUDF>> {
    Quantifier::EVERY
        .into_iter()
        .map(|quantifier| {
            Arc::new(ScalarUDF::new_from_impl(QuantifiedLike { quantifier, signature: Signature::user_defined(Volatility::Immutable) }))
        })
        .collect()
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct QuantifiedLike {
    quantifier: Quantifier,
    signature: Signature,
}

impl QuantifiedLike {
    fn evaluate(&self, value: &ArrayRef, patterns: &[String]) -> Result<BooleanArray> {
        // `ANY`: some pattern matches; `ALL`: every one does. `NOT LIKE ANY` is "some pattern
        // does not match", the negation of `LIKE ALL`, and `NOT LIKE ALL` that of `LIKE ANY`.
        let every = self.quantifier.all != self.quantifier.negated;
        let mut combined: Option<BooleanArray> = None;
        for pattern in patterns {
            let matched = like(value, &Scalar::new(StringArray::from(vec![pattern.as_str()])))?;
            combined = Some(match combined {
                None => matched,
                Some(acc) if every => and_kleene(&acc, &matched)?,
                Some(acc) => or_kleene(&acc, &matched)?,
            });
        }
        let Some(combined) = combined else {
            return exec_err!("{} needs at least one pattern", self.quantifier.spark_name());
        };
        Ok(if self.quantifier.negated { not(&combined)? } else { combined })
    }
}

impl ScalarUDFImpl for QuantifiedLike {
    fn name(&self) -> &str {
        self.quantifier.function_name()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        if args.len() < 2 {
            return plan_err!("{} takes a value and at least one pattern", self.quantifier.spark_name());
        }
        Ok(vec![DataType::Utf8; args.len()])
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Boolean)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let mut patterns = Vec::with_capacity(args.args.len().saturating_sub(1));
        for pattern in args.args.iter().skip(1) {
            match pattern {
                ColumnarValue::Scalar(ScalarValue::Utf8(Some(p))) => patterns.push(p.clone()),
                _ => return exec_err!("{}: the patterns must be string constants", self.quantifier.spark_name()),
            }
        }
        let Some(value) = args.args.first() else {
            return exec_err!("{} takes a value and at least one pattern", self.quantifier.spark_name());
        };
        let scalar = matches!(value, ColumnarValue::Scalar(_));
        let array = value.to_array(if scalar { 1 } else { args.number_rows })?;
        let array = cast_with_options(&array, &DataType::Utf8, &CastOptions::default())?;
        let out = self.evaluate(&array, &patterns)?;
        crate::columnar::answer(Arc::new(out), scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(quantifier: Quantifier, values: Vec<Option<&str>>, patterns: &[&str]) -> Vec<Option<bool>> {
        let f = QuantifiedLike { quantifier, signature: Signature::user_defined(Volatility::Immutable) };
        let array: ArrayRef = Arc::new(StringArray::from(values));
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        match f.evaluate(&array, &patterns) {
            Ok(out) => out.iter().collect(),
            Err(e) => unreachable!("{e}"),
        }
    }

    #[test]
    fn any_all_and_their_negations() {
        let values = vec![Some("apple"), Some("banana"), None];
        let any = Quantifier { negated: false, all: false };
        let all = Quantifier { negated: false, all: true };
        let not_any = Quantifier { negated: true, all: false };
        let not_all = Quantifier { negated: true, all: true };
        assert_eq!(run(any, values.clone(), &["a%", "b%"]), vec![Some(true), Some(true), None]);
        assert_eq!(run(all, values.clone(), &["a%", "%e"]), vec![Some(true), Some(false), None]);
        assert_eq!(run(not_any, values.clone(), &["a%", "%e"]), vec![Some(false), Some(true), None]);
        assert_eq!(run(not_all, values, &["a%", "x%"]), vec![Some(false), Some(true), None]);
    }

    #[test]
    fn spark_names() {
        assert_eq!(spark_name_of("spark_notlikeall"), Some("notlikeall"));
        assert_eq!(spark_name_of("likeany"), None);
    }
}
