//! Spark's functions of vectors (arrays of floats): `vector_inner_product`,
//! `vector_cosine_similarity`, `vector_l2_distance`, `vector_norm(v, p)` and
//! `vector_normalize(v, p)`. They compute in single precision, as Spark's do; a NULL vector
//! or element gives NULL, and vectors of different lengths are an error.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float32Array, Float32Builder, ListArray, ListBuilder};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::{DataType, Field, Float32Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;

use crate::udfs::udf;

fn float_list() -> DataType {
    DataType::List(Arc::new(Field::new("element", DataType::Float32, true)))
}

/// The functions of this module.
pub fn all() -> Vec<Arc<ScalarUDF>> {
    vec![
        udf("vector_inner_product", &[2], DataType::Float32, |a| pairwise(a, "vector_inner_product", |x, y| Some(dot(x, y)))),
        udf("vector_cosine_similarity", &[2], DataType::Float32, |a| {
            pairwise(a, "vector_cosine_similarity", |x, y| {
                let squares = |v: &[f32]| v.iter().map(|a| f64::from(*a) * f64::from(*a)).sum::<f64>();
                let dot = x.iter().zip(y).map(|(p, q)| f64::from(*p) * f64::from(*q)).sum::<f64>();
                let norms = squares(x).sqrt() * squares(y).sqrt();
                (norms != 0.0).then(|| (dot / norms) as f32)
            })
        }),
        udf("vector_l2_distance", &[2], DataType::Float32, |a| {
            pairwise(a, "vector_l2_distance", |x, y| {
                Some(x.iter().zip(y).map(|(p, q)| (f64::from(*p) - f64::from(*q)).powi(2)).sum::<f64>().sqrt() as f32)
            })
        }),
        udf("vector_norm", &[1, 2], DataType::Float32, vector_norm),
        udf("vector_normalize", &[1, 2], float_list(), vector_normalize),
    ]
}

/// Each row's vector, `None` when it or an element is NULL.
fn vectors(a: &ArrayRef) -> Result<Vec<Option<Vec<f32>>>> {
    let list = cast(a, &float_list())?;
    let list: &ListArray = list.as_list::<i32>();
    Ok((0..list.len())
        .map(|i| {
            if list.is_null(i) {
                return None;
            }
            let values = list.value(i);
            let values: &Float32Array = values.as_primitive::<Float32Type>();
            values.iter().collect::<Option<Vec<f32>>>()
        })
        .collect())
}

/// Sums run in double precision; results are single.
fn dot(x: &[f32], y: &[f32]) -> f32 {
    x.iter().zip(y).map(|(p, q)| f64::from(*p) * f64::from(*q)).sum::<f64>() as f32
}

/// The `p`-norm (`p` infinite: the largest magnitude).
fn norm(x: &[f32], p: f32) -> f32 {
    if p.is_infinite() {
        return x.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    }
    let p = f64::from(p);
    if p == 1.0 {
        return x.iter().map(|v| f64::from(v.abs())).sum::<f64>() as f32;
    }
    x.iter().map(|v| f64::from(v.abs()).powf(p)).sum::<f64>().powf(1.0 / p) as f32
}

fn pairwise(a: &[ArrayRef], name: &str, f: impl Fn(&[f32], &[f32]) -> Option<f32>) -> Result<ArrayRef> {
    let (left, right) = (vectors(&a[0])?, vectors(&a[1])?);
    let mut out = Vec::with_capacity(left.len());
    for (x, y) in left.iter().zip(&right) {
        match (x, y) {
            (Some(x), Some(y)) if x.len() != y.len() => {
                return exec_err!(
                    "[VECTOR_DIMENSION_MISMATCH] Vectors passed to `{name}` must have the same dimension, but got {} and {}. SQLSTATE: 22000",
                    x.len(),
                    y.len()
                );
            }
            (Some(x), Some(y)) => out.push(f(x, y)),
            _ => out.push(None),
        }
    }
    Ok(Arc::new(Float32Array::from(out)))
}

/// The degree of each row's norm: the second argument, 2 when left out.
fn degrees(a: &[ArrayRef], rows: usize) -> Result<Vec<Option<f32>>> {
    match a.get(1) {
        Some(p) => Ok(cast(p, &DataType::Float32)?.as_primitive::<Float32Type>().iter().collect()),
        None => Ok(vec![Some(2.0); rows]),
    }
}

fn vector_norm(a: &[ArrayRef]) -> Result<ArrayRef> {
    let v = vectors(&a[0])?;
    let p = degrees(a, v.len())?;
    Ok(Arc::new(v.iter().zip(p).map(|(v, p)| Some(norm(v.as_ref()?, p?))).collect::<Float32Array>()))
}

fn vector_normalize(a: &[ArrayRef]) -> Result<ArrayRef> {
    let v = vectors(&a[0])?;
    let p = degrees(a, v.len())?;
    let mut out = ListBuilder::new(Float32Builder::new()).with_field(Arc::new(Field::new("element", DataType::Float32, true)));
    for (v, p) in v.iter().zip(p) {
        match (v, p) {
            (Some(v), Some(p)) => {
                let n = norm(v, p);
                for x in v {
                    out.values().append_option((n != 0.0).then(|| x / n));
                }
                out.append(true);
            }
            _ => out.append(false),
        }
    }
    Ok(Arc::new(out.finish()))
}
