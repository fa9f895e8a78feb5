//! Parsing text fields into typed values, as Spark's CSV reader does (used for both schema
//! inference and decoding, so the two always agree).

use chrono::{NaiveDate, NaiveDateTime};

/// Date/timestamp patterns in chrono syntax; `None` means Spark's defaults.
#[derive(Debug, Clone, Default)]
pub struct DateTimeFormats {
    pub date: Option<String>,
    pub timestamp: Option<String>,
}

pub fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Java's `Double.parseDouble` accepts a trailing `d`/`f` and `NaN`/`Infinity`.
pub fn parse_double(s: &str) -> Option<f64> {
    let t = s.trim();
    let t = t.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(t);
    match t {
        "NaN" => Some(f64::NAN),
        "Infinity" | "+Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ if t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-')) && !t.is_empty() => t.parse().ok(),
        _ => None,
    }
}

pub fn parse_date(s: &str, formats: &DateTimeFormats) -> Option<NaiveDate> {
    match &formats.date {
        Some(f) => NaiveDate::parse_from_str(s, f).ok(),
        None => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
    }
}

/// Microseconds since the epoch. Without a pattern, accepts `yyyy-MM-dd[( |T)HH:mm[:ss[.f]]]`.
pub fn parse_timestamp(s: &str, formats: &DateTimeFormats) -> Option<i64> {
    if let Some(f) = &formats.timestamp {
        return NaiveDateTime::parse_from_str(s, f)
            .ok()
            .or_else(|| NaiveDate::parse_from_str(s, f).ok().and_then(|d| d.and_hms_opt(0, 0, 0)))
            .map(|t| t.and_utc().timestamp_micros());
    }
    let t = s.trim();
    let t = t.strip_suffix('Z').unwrap_or(t);
    for f in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, f) {
            return Some(dt.and_utc().timestamp_micros());
        }
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s.trim()) {
        return Some(dt.timestamp_micros());
    }
    None
}

/// A decimal string as an unscaled integer at `scale`, if it fits `precision` digits.
pub fn parse_decimal(s: &str, precision: u8, scale: i8) -> Option<i128> {
    let t = s.trim();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() && frac.is_empty() || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let scale = scale.max(0) as usize;
    let mut digits = String::from(int);
    let mut frac = frac.to_string();
    // Round half up on the first dropped digit, as Spark does when casting.
    let round_up = frac.len() > scale && frac.as_bytes()[scale] >= b'5';
    frac.truncate(scale);
    while frac.len() < scale {
        frac.push('0');
    }
    digits.push_str(&frac);
    let mut v: i128 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
    if round_up {
        v += 1;
    }
    if v.to_string().len() > precision as usize {
        return None;
    }
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_and_times() {
        assert_eq!(parse_decimal("12.345", 10, 2), Some(1235));
        assert_eq!(parse_decimal("-0.5", 10, 1), Some(-5));
        assert_eq!(parse_decimal("abc", 10, 1), None);
        let f = DateTimeFormats::default();
        assert_eq!(parse_timestamp("1970-01-01 00:00:01.5", &f), Some(1_500_000));
        assert_eq!(parse_timestamp("1970-01-01T00:00:02", &f), Some(2_000_000));
        assert!(parse_date("2024-02-30", &f).is_none());
        assert_eq!(parse_double("1.5"), Some(1.5));
        assert_eq!(parse_double("1.5x"), None);
    }
}
