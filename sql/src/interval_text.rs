//! Reading an interval literal's values, with Spark's errors for malformed ones.
//!
//! Spark reads `INTERVAL v unit [v unit ...]` (a single quoted value with one unit included) by
//! joining ` v unit` pieces into one string for its interval string parser, and reads
//! `INTERVAL 'text' start TO end` against the layout of those fields. Each path fails in its
//! own words (the messages below are spark-sql 4's), and Spark shows some with a query context
//! that starts at the `INTERVAL` keyword, some with one that starts at the value, and some with
//! none: [`Place`] says which.

use crate::interval_literal::{Interval, Unit};

/// One `value unit` pair as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub value: String,
    /// Written as a quoted string (`'1'`) rather than a number.
    pub quoted: bool,
    pub unit: String,
}

/// Where Spark's query context for a malformed literal starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// At `INTERVAL`, through the last unit.
    Keyword,
    /// At the first value, through the last unit.
    Value,
    /// No query context: the message alone.
    Nowhere,
}

/// A malformed interval literal: Spark's message and where its context starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiteralError {
    pub message: String,
    pub place: Place,
}

type Read<T> = std::result::Result<T, LiteralError>;

/// `[INVALID_INTERVAL_FORMAT.<sub>] Error parsing '<text>' to interval. ...`
fn invalid_format(sub: &str, text: &str, detail: &str, place: Place) -> LiteralError {
    LiteralError {
        message: format!(
            "[INVALID_INTERVAL_FORMAT.{sub}] Error parsing '{text}' to interval. Please ensure that the value provided is in a \
             valid format for defining an interval. You can reference the documentation for the correct format. {detail} \
             SQLSTATE: 22006"
        ),
        place,
    }
}

/// A signed decimal number of units of `unit_micros` each (`'1.5'` seconds is 1500000).
fn scaled(number: &str, unit_micros: i128) -> Option<i128> {
    let (neg, digits) = match number.trim().strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number.trim().strip_prefix('+').unwrap_or(number.trim())),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && frac.is_empty() || !whole.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: i128 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let mut value = whole.checked_mul(unit_micros)?;
    if !frac.is_empty() {
        let frac_digits = &frac[..frac.len().min(9)];
        let f: i128 = frac_digits.parse().ok()?;
        value = value.checked_add(f.checked_mul(unit_micros)? / 10i128.pow(u32::try_from(frac_digits.len()).ok()?))?;
    }
    Some(if neg { -value } else { value })
}

/// The layout of a day-time `start TO end` string, as Spark's message shows it.
fn day_time_layout(start: Unit, end: Unit) -> &'static str {
    match (start, end) {
        (Unit::Day, Unit::Hour) => "[+|-]d h",
        (Unit::Day, Unit::Minute) => "[+|-]d h:m",
        (Unit::Day, _) => "[+|-]d h:m:s.n",
        (Unit::Hour, Unit::Minute) => "[+|-]h:m",
        (Unit::Hour, _) => "[+|-]h:m:s.n",
        _ => "[+|-]m:s.n",
    }
}

impl Interval {
    /// `INTERVAL v1 unit1 v2 unit2 ...`: the sum, typed by the first and last units written.
    pub fn from_units(parts: &[Part]) -> Read<Interval> {
        // Spark refuses letters in a quoted value before it joins the pieces, where `'1 day'
        // hour` would read as units.
        if let Some(p) = parts.iter().find(|p| p.quoted && p.value.chars().any(char::is_alphabetic)) {
            return Err(LiteralError {
                message: format!(
                    "Can only use numbers in the interval value part for multiple unit value pairs interval form, but got invalid \
                     value: {}.",
                    p.value
                ),
                place: Place::Value,
            });
        }
        let joined: String = parts.iter().map(|p| format!(" {} {}", p.value, p.unit)).collect();
        let mut units = Vec::with_capacity(parts.len());
        let mut amount: i128 = 0;
        for p in parts {
            let Some((unit, per)) = Unit::parse(&p.unit) else {
                return Err(invalid_format("INVALID_UNIT", &joined, &format!("Invalid unit {}.", p.unit), Place::Nowhere));
            };
            // Joined, `'1 2' HOURS` reads as the value 1 of the unit `2`.
            if let Some(next) = p.value.split_whitespace().nth(1) {
                return Err(invalid_format("INVALID_UNIT", &joined, &format!("Invalid unit {next}."), Place::Nowhere));
            }
            let Some(v) = scaled(&p.value, per) else {
                return Err(invalid_format("INVALID_VALUE", &joined, &format!("Invalid value {}.", p.value.trim()), Place::Nowhere));
            };
            // Only seconds take a fraction.
            if p.value.contains('.') && !p.unit.to_ascii_lowercase().starts_with("second") {
                let detail = format!("{} cannot have fractional part.", p.unit.to_ascii_lowercase());
                return Err(invalid_format("INVALID_FRACTION", &joined, &detail, Place::Nowhere));
            }
            units.push(unit);
            amount = amount.checked_add(v).ok_or_else(|| arithmetic(&joined))?;
        }
        let (Some(start), Some(end)) = (units.iter().min().copied(), units.iter().max().copied()) else {
            return Err(invalid_format("INVALID_VALUE", &joined, "Invalid value.", Place::Nowhere));
        };
        if start.is_year_month() != end.is_year_month() {
            let written: Vec<String> = parts
                .iter()
                .map(|p| if p.quoted { format!("'{}' {}", p.value, p.unit) } else { format!("{} {}", p.value, p.unit) })
                .collect();
            return Err(LiteralError {
                message: format!("Cannot mix year-month and day-time fields: INTERVAL {}.", written.join(" ")),
                place: Place::Keyword,
            });
        }
        fits(Interval { start, end, amount }).ok_or_else(|| arithmetic(&joined))
    }

    /// `INTERVAL 'text' start TO end`: the text read in the layout of those fields (`'1-2'`
    /// YEAR TO MONTH, `'1 02:03:04.5'` DAY TO SECOND). `words` are the units as written.
    pub fn from_text(text: &str, start: Unit, end: Unit, words: (&str, &str)) -> Read<Interval> {
        if end <= start || start.is_year_month() != end.is_year_month() {
            let detail = format!(
                "Cannot support (interval '{text}' {} to {}) expression.",
                words.0.to_ascii_lowercase(),
                words.1.to_ascii_lowercase()
            );
            return Err(invalid_format("UNSUPPORTED_FROM_TO_EXPRESSION", text, &detail, Place::Value));
        }
        let fields = format!("{} TO {}", start.word(), end.word());
        let cast = format!("interval {}", fields.to_ascii_lowercase());
        let trimmed = text.trim();
        let (neg, body) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
        };
        let amount = if start.is_year_month() {
            let numbers =
                body.split_once('-').filter(|(y, m)| [y, m].iter().all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())));
            let Some((years, months)) = numbers else {
                let detail = format!(
                    "Interval string does not match year-month format of `[+|-]y-m`, `INTERVAL [+|-]'[+|-]y-m' {fields}` when cast \
                     to {cast}: {text}."
                );
                return Err(invalid_format("UNMATCHED_FORMAT_STRING", text, &detail, Place::Value));
            };
            let (years, months) = (years.parse::<i128>().ok(), months.parse::<i128>().ok());
            match (years, months) {
                (Some(y), Some(m))
                    if m < 12
                        && let Some(months) = y.checked_mul(12).and_then(|y| y.checked_add(m))
                        && i32::try_from(months).is_ok() =>
                {
                    months
                }
                _ => {
                    let detail = "Error parsing interval year-month string.";
                    return Err(invalid_format("INTERVAL_PARSING", text, detail, Place::Value));
                }
            }
        } else {
            let layout = day_time_layout(start, end);
            let unmatched = || {
                let detail = format!(
                    "Interval string does not match day-time format of `{layout}`, `INTERVAL [+|-]'{layout}' {fields}` when cast \
                     to {cast}: {text}. Set \"spark.sql.legacy.fromDayTimeString.enabled\" to \"true\" to restore the behavior \
                     before Spark 3.0."
                );
                invalid_format("UNMATCHED_FORMAT_STRING_WITH_NOTICE", text, &detail, Place::Value)
            };
            // The fields from `start` to `end`, separated by ' ' after days and ':' after
            // hours and minutes; the last may carry a fraction only when it is seconds.
            let units: Vec<Unit> =
                [Unit::Day, Unit::Hour, Unit::Minute, Unit::Second].into_iter().filter(|u| *u >= start && *u <= end).collect();
            // Each field after the first follows its separator: ' ' after days, ':' otherwise.
            let mut pieces = Vec::with_capacity(units.len());
            let mut rest = body;
            for pair in units.windows(2) {
                let separator = if pair[0] == Unit::Day { ' ' } else { ':' };
                let Some((piece, after)) = rest.split_once(separator) else {
                    return Err(unmatched());
                };
                pieces.push(piece);
                rest = after;
            }
            pieces.push(rest);
            let mut total = 0i128;
            for (i, (piece, unit)) in pieces.iter().zip(&units).enumerate() {
                let numeric = !piece.is_empty()
                    && piece.chars().all(|c| c.is_ascii_digit() || c == '.' && *unit == Unit::Second)
                    && piece.chars().filter(|c| *c == '.').count() <= 1;
                let Some(v) = scaled(piece, unit.micros()).filter(|_| numeric) else {
                    return Err(unmatched());
                };
                // The leading field is bounded by what a `long` of microseconds holds.
                let max: i128 = match unit {
                    Unit::Day if i == 0 => 106_751_991,
                    Unit::Hour if i == 0 => 2_562_047_788,
                    _ if i == 0 => 153_722_867_280,
                    Unit::Hour => 23,
                    _ => 59,
                };
                if v >= (max + 1) * unit.micros() {
                    let whole = piece.split('.').next().unwrap_or(piece).trim_start_matches('0');
                    let shown = if whole.is_empty() { "0" } else { whole };
                    return Err(LiteralError {
                        message: format!("requirement failed: {} {shown} outside range [0, {max}].", unit.word().to_ascii_lowercase()),
                        place: Place::Value,
                    });
                }
                total = total.checked_add(v).ok_or_else(unmatched)?;
            }
            total
        };
        Ok(Interval { start, end, amount: if neg { -amount } else { amount } })
    }
}

/// The interval when Spark can hold it: months in an `int`, microseconds in a `long`.
fn fits(interval: Interval) -> Option<Interval> {
    let fits = if interval.start.is_year_month() { i32::try_from(interval.amount).is_ok() } else { i64::try_from(interval.amount).is_ok() };
    fits.then_some(interval)
}

/// Spark's error for `v unit` pairs whose sum it cannot hold.
fn arithmetic(joined: &str) -> LiteralError {
    let detail = format!("Uncaught arithmetic exception while parsing '{joined}'.");
    invalid_format("ARITHMETIC_EXCEPTION", joined, &detail, Place::Nowhere)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(value: &str, quoted: bool, unit: &str) -> Part {
        Part { value: value.into(), quoted, unit: unit.into() }
    }

    fn units(parts: &[(&str, &str)]) -> Interval {
        Interval::from_units(&parts.iter().map(|(v, u)| part(v, false, u)).collect::<Vec<_>>()).unwrap()
    }

    fn text(t: &str, start: Unit, end: Unit) -> Read<Interval> {
        Interval::from_text(t, start, end, (start.word(), end.word()))
    }

    #[test]
    fn named_and_typed_as_spark() {
        // Names and types from spark-sql 4.
        let i = Interval::from_units(&[part("02", true, "HOUR")]).unwrap();
        assert_eq!((i.name(), i.type_name()), ("INTERVAL '02' HOUR".into(), "interval hour".into()));
        assert_eq!(units(&[("1", "DAY")]).name(), "INTERVAL '1' DAY");
        assert_eq!(units(&[("3", "MONTHS")]).name(), "INTERVAL '3' MONTH");
        let i = units(&[("1", "DAY"), ("2", "HOURS")]);
        assert_eq!((i.name(), i.type_name()), ("INTERVAL '1 02' DAY TO HOUR".into(), "interval day to hour".into()));
        assert_eq!(text("1-2", Unit::Year, Unit::Month).unwrap().name(), "INTERVAL '1-2' YEAR TO MONTH");
        assert_eq!(text("1 2:03:04", Unit::Day, Unit::Second).unwrap().name(), "INTERVAL '1 02:03:04' DAY TO SECOND");
        assert_eq!(text("5 3", Unit::Day, Unit::Hour).unwrap().name(), "INTERVAL '5 03' DAY TO HOUR");
        assert_eq!(text("-1 02", Unit::Day, Unit::Hour).unwrap().value().days, -1);
        assert_eq!(text("10:20:59.5", Unit::Hour, Unit::Second).unwrap().name(), "INTERVAL '10:20:59.5' HOUR TO SECOND");
    }

    /// Messages as spark-sql 4 printed them.
    #[test]
    fn malformed_literals_fail_as_in_spark() {
        let e = text("1 25:00:00", Unit::Day, Unit::Second).unwrap_err();
        assert_eq!((e.message.as_str(), e.place), ("requirement failed: hour 25 outside range [0, 23].", Place::Value));
        let e = text("10:61", Unit::Hour, Unit::Minute).unwrap_err();
        assert_eq!(e.message, "requirement failed: minute 61 outside range [0, 59].");
        let e = text("1 2", Unit::Hour, Unit::Minute).unwrap_err();
        assert!(e.message.starts_with("[INVALID_INTERVAL_FORMAT.UNMATCHED_FORMAT_STRING_WITH_NOTICE] Error parsing '1 2' to"));
        assert!(e.message.contains(
            "day-time format of `[+|-]h:m`, `INTERVAL [+|-]'[+|-]h:m' HOUR TO MINUTE` when cast to interval hour to minute: 1 2."
        ));
        let e = text("1-13", Unit::Year, Unit::Month).unwrap_err();
        assert!(e.message.starts_with("[INVALID_INTERVAL_FORMAT.INTERVAL_PARSING]"));
        let e = text("x", Unit::Year, Unit::Month).unwrap_err();
        assert!(e.message.starts_with("[INVALID_INTERVAL_FORMAT.UNMATCHED_FORMAT_STRING] Error parsing 'x'"));
        let e = Interval::from_text("1", Unit::Month, Unit::Day, ("MONTH", "DAY")).unwrap_err();
        assert!(e.message.contains("Cannot support (interval '1' month to day) expression. SQLSTATE: 22006"));
        let e = Interval::from_units(&[part("1", false, "YEAR"), part("2", false, "DAYS")]).unwrap_err();
        assert_eq!((e.message.as_str(), e.place), ("Cannot mix year-month and day-time fields: INTERVAL 1 YEAR 2 DAYS.", Place::Keyword));
        let e = Interval::from_units(&[part("1.5", false, "MONTH")]).unwrap_err();
        assert!(e.message.starts_with("[INVALID_INTERVAL_FORMAT.INVALID_FRACTION] Error parsing ' 1.5 MONTH' to interval."));
        assert!(e.message.ends_with("month cannot have fractional part. SQLSTATE: 22006"));
        assert_eq!(e.place, Place::Nowhere);
        let e = Interval::from_units(&[part("abc", true, "DAY")]).unwrap_err();
        assert_eq!(e.place, Place::Value);
        assert!(e.message.ends_with("but got invalid value: abc."));
        let e = Interval::from_units(&[part("1:2", true, "HOUR")]).unwrap_err();
        assert!(e.message.contains("Error parsing ' 1:2 HOUR' to interval.") && e.message.contains("Invalid value 1:2."));
        assert_eq!(Interval::from_units(&[part("1.5", false, "SECOND")]).unwrap().amount, 1_500_000);
        // Out of Spark's range, and of any integer's: an error, not a panic or a capped value.
        assert!(text("20000000000000000000000000000000000000-0", Unit::Year, Unit::Month).is_err());
        assert!(text("300000000-0", Unit::Year, Unit::Month).is_err());
        let huge = "100000000000000000000000000000000000000";
        assert!(Interval::from_units(&[part(huge, false, "MICROSECONDS"), part(huge, false, "MICROSECONDS")]).is_err());
    }
}
