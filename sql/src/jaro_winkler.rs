//! `jaro_winkler_similarity(a, b)`: the Jaro similarity of the two strings raised for a common
//! prefix (up to four characters, scaled by 0.1), as Apache Commons Text computes it for Spark.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, Float64Array};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;

/// `jaro_winkler_similarity`.
pub fn jaro_winkler_similarity() -> Arc<ScalarUDF> {
    crate::udfs::udf("jaro_winkler_similarity", &[2], DataType::Float64, evaluate)
}

fn evaluate(a: &[ArrayRef]) -> Result<ArrayRef> {
    let (left, right) = (crate::udfs::strings(&a[0])?, crate::udfs::strings(&a[1])?);
    let out: Float64Array = (0..left.len())
        .map(|i| if left.is_null(i) || right.is_null(i) { None } else { Some(similarity(left.value(i), right.value(i))) })
        .collect();
    Ok(Arc::new(out))
}

fn similarity(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut b_taken = vec![false; b.len()];
    let mut a_matches = Vec::new();
    for (i, &c) in a.iter().enumerate() {
        let (lo, hi) = (i.saturating_sub(window), (i + window + 1).min(b.len()));
        if let Some(j) = (lo..hi).find(|&j| !b_taken[j] && b[j] == c) {
            b_taken[j] = true;
            a_matches.push(c);
        }
    }
    let m = a_matches.len();
    if m == 0 {
        return 0.0;
    }
    let b_matches = b.iter().zip(&b_taken).filter(|(_, t)| **t).map(|(c, _)| *c);
    let transpositions = a_matches.iter().zip(b_matches).filter(|(x, y)| **x != *y).count() / 2;
    let m = m as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64) / m) / 3.0;
    let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

#[cfg(test)]
mod tests {
    #[test]
    fn matches_spark_examples() {
        assert!((super::similarity("MARTHA", "MARHTA") - 0.9611111111111111).abs() < 1e-12);
        assert!((super::similarity("kitten", "sitting") - 0.746031746031746).abs() < 1e-12);
        assert_eq!(super::similarity("ABC", "XYZ"), 0.0);
    }
}
