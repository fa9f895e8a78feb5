//! Spark's generated column names: `avg(marks)`, `(price * quantity)`, `CAST(age AS INT)`.
//!
//! DataFusion names an unaliased expression after its own display form (`avg(t.marks)`,
//! `t.price * t.quantity`); Spark names it after the expression's SQL, without qualifiers and
//! with its own spelling of operators and functions. Both the DataFrame API and SQL use this.

use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::{
    AggregateFunction, Alias, Cast, Exists, InList, InSubquery, Like, ScalarFunction, Sort, TryCast, WindowFunction,
};
use datafusion::logical_expr::{Between, BinaryExpr, Case, Expr, Operator, WindowFrame, WindowFrameBound, WindowFrameUnits};

use crate::select_subquery::outer_references;
use crate::types::simple_string;

thread_local! {
    /// Whether the expression being named was written in SQL text (see [`spark_sql_name`]).
    static SQL_TEXT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The name Spark gives a column computed by `expr` written in SQL text. The plans are alike
/// but one name differs: a frame's `1 PRECEDING` is SQL's `UnaryMinus(1)`, which Spark shows
/// as written, where the DataFrame API's `rowsBetween(-1, 0)` is the literal `-1 FOLLOWING`.
pub fn spark_sql_name(expr: &Expr) -> String {
    let before = SQL_TEXT.with(|s| s.replace(true));
    let name = spark_name(expr);
    SQL_TEXT.with(|s| s.set(before));
    name
}

/// The name Spark gives a column computed by `expr`.
pub fn spark_name(expr: &Expr) -> String {
    match expr {
        // Spark keeps a column's name when a select item only casts it (`SELECT CAST(s AS INT)`
        // is headed `s`); inside an expression the cast is written out.
        Expr::Cast(c) if !crate::analyzer::coercion::is_implicit(c) && matches!(*c.expr, Expr::Column(_)) => expr_name(&c.expr),
        Expr::TryCast(TryCast { expr, .. }) if matches!(**expr, Expr::Column(_)) => expr_name(expr),
        // `v:a.b::int` is headed by the path's last field, as `v:a.b` is.
        Expr::Cast(c) if is_variant_path(&c.expr) => expr_name(&c.expr),
        Expr::ScalarFunction(f) if f.func.name() == crate::variant::CAST_FROM && f.args.first().is_some_and(is_variant_path) => {
            expr_name(&f.args[0])
        }
        Expr::ScalarFunction(f) if let Some(cast) = crate::cast_overflow::as_cast(f.func.name(), &f.args) => spark_name(&cast),
        Expr::ScalarFunction(f) if let Some(cast) = crate::variant::as_cast(f.func.name(), &f.args) => spark_name(&cast),
        other => expr_name(other),
    }
}

/// Whether `e` is SQL's `v:path`, as written or as planned.
fn is_variant_path(e: &Expr) -> bool {
    match e {
        Expr::BinaryExpr(b) => b.op == Operator::Colon,
        Expr::ScalarFunction(f) => f.func.name() == crate::variant::PATH,
        _ => false,
    }
}

/// The name of `expr` as part of a larger expression's name.
fn expr_name(expr: &Expr) -> String {
    match expr {
        Expr::Alias(Alias { name, .. }) => name.clone(),
        Expr::Column(c) => c.name.clone(),
        Expr::Literal(v, _) => literal(v),
        Expr::BinaryExpr(BinaryExpr { left, op, right }) => match op {
            Operator::NotEq => format!("(NOT ({} = {}))", expr_name(left), expr_name(right)),
            Operator::RegexMatch => format!("RLIKE({}, {})", expr_name(left), expr_name(right)),
            // Spark rewrites these while parsing, and names what it rewrote them to.
            Operator::IsDistinctFrom => format!("(NOT ({} <=> {}))", expr_name(left), expr_name(right)),
            Operator::StringConcat => format!("concat({}, {})", expr_name(left), expr_name(right)),
            // `v:a.b[0]` (a variant's field by path) is named by the path's last field.
            Operator::Colon => match &**right {
                Expr::Literal(ScalarValue::Utf8(Some(path)), _) => crate::variant::path_column_name(path),
                other => expr_name(other),
            },
            _ => format!("({} {} {})", expr_name(left), operator(op), expr_name(right)),
        },
        Expr::Not(e) => format!("(NOT {})", expr_name(e)),
        // Spark reads `-1.0D` as one negative literal.
        Expr::Negative(e) if matches!(&**e, Expr::ScalarFunction(f) if f.func.name() == crate::typed_literal::TYPED_LITERAL) => {
            format!("-{}", expr_name(e))
        }
        // SQL's `-x`; the DataFrame API's `-col` is the function `negative`.
        Expr::Negative(e) => format!("(- {})", expr_name(e)),
        Expr::IsNull(e) => format!("({} IS NULL)", expr_name(e)),
        Expr::IsNotNull(e) => format!("({} IS NOT NULL)", expr_name(e)),
        Expr::IsTrue(e) => format!("({} IS TRUE)", expr_name(e)),
        Expr::IsFalse(e) => format!("({} IS FALSE)", expr_name(e)),
        // Casts Spark inserts by itself are not part of its names.
        Expr::Cast(c) if crate::analyzer::coercion::is_implicit(c) => expr_name(&c.expr),
        Expr::Cast(Cast { expr, field }) => format!("CAST({} AS {})", expr_name(expr), simple_string(field.data_type()).to_uppercase()),
        Expr::TryCast(TryCast { expr, field }) => {
            format!("TRY_CAST({} AS {})", expr_name(expr), simple_string(field.data_type()).to_uppercase())
        }
        Expr::Between(Between { expr, negated, low, high }) => {
            let inner = format!("between({}, {}, {})", expr_name(expr), expr_name(low), expr_name(high));
            if *negated { format!("(NOT {inner})") } else { inner }
        }
        Expr::Like(Like { negated, expr, pattern, case_insensitive, .. }) => {
            let inner = if *case_insensitive {
                format!("ilike({}, {})", expr_name(expr), expr_name(pattern))
            } else {
                format!("{} LIKE {}", expr_name(expr), expr_name(pattern))
            };
            if *negated { format!("(NOT {inner})") } else { inner }
        }
        Expr::SimilarTo(Like { expr, pattern, .. }) => format!("RLIKE({}, {})", expr_name(expr), expr_name(pattern)),
        Expr::InList(InList { expr, list, negated }) => {
            let items: Vec<String> = list.iter().map(expr_name).collect();
            let inner = format!("({} IN ({}))", expr_name(expr), items.join(", "));
            if *negated { format!("(NOT {inner})") } else { inner }
        }
        Expr::Case(Case { expr, when_then_expr, else_expr }) => {
            // Spark names `CASE x WHEN v ...` as the `CASE WHEN (x = v) ...` it stands for.
            let mut s = String::from("CASE");
            for (w, t) in when_then_expr {
                let condition = match expr {
                    Some(e) => format!("({} = {})", expr_name(e), expr_name(w)),
                    None => expr_name(w),
                };
                s.push_str(&format!(" WHEN {condition} THEN {}", expr_name(t)));
            }
            if let Some(e) = else_expr {
                s.push_str(&format!(" ELSE {}", expr_name(e)));
            }
            s.push_str(" END");
            s
        }
        Expr::ScalarFunction(ScalarFunction { func, args }) => scalar_call(func.name(), args),
        Expr::HigherOrderFunction(f) => higher_order_call(f.func.name(), &f.args),
        // Spark shows a lambda's variables without their names.
        Expr::Lambda(l) => {
            let params = vec!["namedlambdavariable()"; l.params.len()];
            format!("lambdafunction({}, {})", expr_name(&l.body), params.join(", "))
        }
        Expr::LambdaVariable(_) => "namedlambdavariable()".into(),
        Expr::AggregateFunction(AggregateFunction { func, params }) => {
            let name = func.name();
            let counts_rows = name.eq_ignore_ascii_case("count") && params.args.iter().all(is_count_star_arg);
            let called = match (counts_rows, params.distinct, params.args.as_slice()) {
                _ if let Some(args) = crate::listagg::written_arguments(name, params) => listagg_name(name, args, params),
                (true, true, _) => "count(DISTINCT 1)".into(),
                (true, false, _) => "count(1)".into(),
                // Spark writes `mode(x, true)` as the ordered-set form it stands for.
                (false, _, [x, Expr::Literal(ScalarValue::Boolean(Some(deterministic)), _)]) if name == "mode" => {
                    if *deterministic {
                        format!("mode() WITHIN GROUP (ORDER BY {} DESC)", expr_name(x))
                    } else {
                        format!("mode({})", expr_name(x))
                    }
                }
                (false, false, args) => with_defaults(name, args).unwrap_or_else(|| call(name, args, false)),
                (false, true, args) => call(name, args, true),
            };
            match &params.filter {
                Some(filter) => format!("{called} FILTER (WHERE {})", expr_name(filter)),
                None => called,
            }
        }
        Expr::WindowFunction(w) => window(w),
        // Spark lists the outer columns a subquery reads.
        Expr::ScalarSubquery(q) => format!("scalarsubquery({})", outer_references(q).join(", ")),
        Expr::Exists(Exists { subquery, negated }) => {
            let name = format!("exists({})", outer_references(subquery).join(", "));
            if *negated { format!("(NOT {name})") } else { name }
        }
        Expr::InSubquery(InSubquery { expr, subquery, negated }) => {
            let name = format!("({} IN (listquery({})))", expr_name(expr), outer_references(subquery).join(", "));
            if *negated { format!("(NOT {name})") } else { name }
        }
        Expr::Placeholder(p) => p.id.clone(),
        Expr::OuterReferenceColumn(_, c) => c.name.clone(),
        other => other.schema_name().to_string(),
    }
}

/// `count(*)` arrives as `count(1)` (DataFusion spells it with an Int64 literal).
fn is_count_star_arg(e: &Expr) -> bool {
    matches!(e, Expr::Literal(v, _) if matches!(v, ScalarValue::Int64(Some(1)) | ScalarValue::Int32(Some(1))))
}

/// Spark's name for a call DataFusion planned under another of the function's names: it
/// aliases the call with the name as written (`char_length(Utf8("x"))` for the function
/// `character_length`), and Spark names it as written too (`char_length(x)`). `None` when
/// `alias` is not such a name.
pub fn called_name(alias: &str, expr: &Expr) -> Option<String> {
    let (function, aliases, args, distinct) = match expr {
        Expr::ScalarFunction(f) => (f.func.name(), f.func.aliases(), &f.args, false),
        Expr::AggregateFunction(a) => (a.func.name(), a.func.aliases(), &a.params.args, a.params.distinct),
        _ => return None,
    };
    // The arguments are not compared: Ember narrows literals after DataFusion named the call.
    let called = alias.split_once('(')?.0;
    if called.eq_ignore_ascii_case(function) || !aliases.iter().any(|a| a.eq_ignore_ascii_case(called)) {
        return None;
    }
    let parts: Vec<String> = args.iter().map(expr_name).collect();
    let d = if distinct { "DISTINCT " } else { "" };
    Some(format!("{}({d}{})", called.to_ascii_lowercase(), parts.join(", ")))
}

/// `listagg(x, NULL)`, `listagg(DISTINCT x, NULL)`, `listagg(x, NULL) WITHIN GROUP (ORDER BY k ASC
/// NULLS FIRST)` (Spark writes `string_agg` with WITHIN GROUP as `listagg` too).
fn listagg_name(name: &str, args: &[Expr], params: &datafusion::logical_expr::expr::AggregateFunctionParams) -> String {
    let mut parts: Vec<String> = args.iter().map(expr_name).collect();
    if parts.len() == 1 {
        parts.push("NULL".into());
    }
    let distinct = if params.distinct { "DISTINCT " } else { "" };
    if params.order_by.is_empty() {
        return format!("{name}({distinct}{})", parts.join(", "));
    }
    let keys: Vec<String> = params.order_by.iter().map(sort_name).collect();
    format!("listagg({distinct}{}) WITHIN GROUP (ORDER BY {})", parts.join(", "), keys.join(", "))
}

fn call(name: &str, args: &[Expr], distinct: bool) -> String {
    let spark = function_name(name);
    let parts: Vec<String> = args.iter().map(expr_name).collect();
    let d = if distinct { "DISTINCT " } else { "" };
    format!("{spark}({d}{})", parts.join(", "))
}

fn window(w: &WindowFunction) -> String {
    let name = w.fun.name().to_ascii_lowercase();
    let mut args: Vec<String> = w.params.args.iter().map(expr_name).collect();
    let mut over = Vec::new();
    if !w.params.partition_by.is_empty() {
        let p: Vec<String> = w.params.partition_by.iter().map(expr_name).collect();
        over.push(format!("PARTITION BY {}", p.join(", ")));
    }
    if !w.params.order_by.is_empty() {
        let o: Vec<String> = w.params.order_by.iter().map(sort_name).collect();
        over.push(format!("ORDER BY {}", o.join(", ")));
    }
    let frame = match name.as_str() {
        "row_number" | "rank" | "dense_rank" | "percent_rank" | "ntile" => "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW".to_string(),
        "cume_dist" => "RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW".to_string(),
        "lag" | "lead" => {
            // Spark shows offset and default explicitly and the one-row frame they imply.
            while args.len() < 3 {
                args.push(if args.len() == 1 { "1".into() } else { "NULL".into() });
            }
            let n: i64 = args[1].parse().unwrap_or(1);
            let n = if name == "lag" { -n } else { n };
            format!("ROWS BETWEEN {n} FOLLOWING AND {n} FOLLOWING")
        }
        _ => frame_sql(&w.params.window_frame),
    };
    over.push(frame);
    let shown = match name.as_str() {
        "rank" => "RANK".to_string(),
        "dense_rank" => "DENSE_RANK".to_string(),
        _ => function_name(&name),
    };
    let distinct = if w.params.distinct { "DISTINCT " } else { "" };
    format!("{shown}({distinct}{}) OVER ({})", args.join(", "), over.join(" "))
}

fn frame_sql(f: &WindowFrame) -> String {
    let units = match f.units {
        WindowFrameUnits::Rows => "ROWS",
        WindowFrameUnits::Range => "RANGE",
        WindowFrameUnits::Groups => "GROUPS",
    };
    format!("{units} BETWEEN {} AND {}", bound_sql(&f.start_bound), bound_sql(&f.end_bound))
}

fn bound_sql(b: &WindowFrameBound) -> String {
    match b {
        WindowFrameBound::CurrentRow => "CURRENT ROW".into(),
        WindowFrameBound::Preceding(v) if v.is_null() => "UNBOUNDED PRECEDING".into(),
        WindowFrameBound::Following(v) if v.is_null() => "UNBOUNDED FOLLOWING".into(),
        WindowFrameBound::Preceding(v) if SQL_TEXT.with(std::cell::Cell::get) => format!("{v} PRECEDING"),
        // PySpark passes offsets as signed numbers, which Spark prints as `n FOLLOWING`.
        WindowFrameBound::Preceding(v) => format!("-{v} FOLLOWING"),
        WindowFrameBound::Following(v) => format!("{v} FOLLOWING"),
    }
}

/// A scalar call, with the few Spark spellings that differ from the function's own name.
/// A higher-order function's name, with the lambdas Spark adds when they are left out:
/// `aggregate`'s identity finish and `array_sort`'s ascending comparator.
fn higher_order_call(name: &str, args: &[Expr]) -> String {
    let mut parts: Vec<String> = args.iter().map(expr_name).collect();
    match (name, args.len()) {
        ("aggregate" | "reduce", 3) => parts.push("lambdafunction(namedlambdavariable(), namedlambdavariable())".into()),
        ("array_sort", 1) => parts.push(ASCENDING_COMPARATOR.into()),
        _ => {}
    }
    format!("{name}({})", parts.join(", "))
}

/// How Spark shows the comparator of `array_sort(a)`: ascending, NULLs last.
const ASCENDING_COMPARATOR: &str = "lambdafunction((IF(((namedlambdavariable() IS NULL) AND (namedlambdavariable() IS NULL)), 0, (IF((namedlambdavariable() IS NULL), 1, (IF((namedlambdavariable() IS NULL), -1, (IF((namedlambdavariable() < namedlambdavariable()), -1, (IF((namedlambdavariable() > namedlambdavariable()), 1, 0)))))))))), namedlambdavariable(), namedlambdavariable())";

fn scalar_call(name: &str, args: &[Expr]) -> String {
    match name {
        crate::typed_literal::TYPED_LITERAL if let Some(text) = crate::typed_literal::spark_literal_name(args) => text,
        crate::interval_literal::INTERVAL_LITERAL if let Some(Expr::Literal(name, _)) = args.first() => literal(name),
        crate::udfs::CAST_STRING if args.len() == 1 => match &args[0] {
            Expr::Column(c) => c.name.clone(),
            other => format!("CAST({} AS STRING)", expr_name(other)),
        },
        _ if args.len() == 2
            && let Some(op) = crate::checked_arithmetic::operator_of(name) =>
        {
            format!("({} {op} {})", expr_name(&args[0]), expr_name(&args[1]))
        }
        _ if !args.is_empty()
            && let Some(spark) = crate::like_quantified::spark_name_of(name) =>
        {
            format!("{spark}({})", expr_name(&args[0]))
        }
        _ if let Some(cast) = crate::cast_overflow::as_cast(name, args) => expr_name(&cast),
        _ if let Some(cast) = crate::variant::as_cast(name, args) => expr_name(&cast),
        crate::date_interval::SUBTRACT_DATES if args.len() == 2 => format!("({} - {})", expr_name(&args[0]), expr_name(&args[1])),
        crate::checked_arithmetic::UNARY_MINUS if args.len() == 1 => format!("(- {})", expr_name(&args[0])),
        crate::interval_arithmetic::MULTIPLY if args.len() == 2 => format!("({} * {})", expr_name(&args[0]), expr_name(&args[1])),
        crate::interval_sum::INTERVAL_PLUS if args.len() == 2 => format!("({} + {})", expr_name(&args[0]), expr_name(&args[1])),
        crate::interval_sum::INTERVAL_MINUS if args.len() == 2 => format!("({} - {})", expr_name(&args[0]), expr_name(&args[1])),
        crate::interval_arithmetic::DIVIDE if args.len() == 2 => format!("({} / {})", expr_name(&args[0]), expr_name(&args[1])),
        // Spark writes a datetime shifted by an interval without parentheses.
        crate::interval_arithmetic::DATETIME_PLUS if args.len() == 2 => format!("{} + {}", expr_name(&args[0]), expr_name(&args[1])),
        crate::interval_arithmetic::DATETIME_MINUS if args.len() == 2 => format!("{} - {}", expr_name(&args[0]), expr_name(&args[1])),
        crate::interval_arithmetic::INTERVAL_DAYS if args.len() == 1 => format!("extractansiintervaldays({})", expr_name(&args[0])),
        crate::operator_function::SHIFT_RIGHT_UNSIGNED if args.len() == 2 => {
            format!("({} >>> {})", expr_name(&args[0]), expr_name(&args[1]))
        }
        crate::semantics::SPARK_DIVIDE if args.len() == 2 => format!("({} / {})", expr_name(&args[0]), expr_name(&args[1])),
        crate::semantics::SPARK_INT_DIVIDE if args.len() == 2 => format!("({} div {})", expr_name(&args[0]), expr_name(&args[1])),
        // Spark shows every replacement `mask` uses, defaults included.
        "mask" if !args.is_empty() && args.len() < 5 => {
            let shown = args
                .iter()
                .map(expr_name)
                .chain(crate::mask::DEFAULTS[args.len() - 1..].iter().map(|c| c.map_or("NULL".to_string(), |c| c.to_string())));
            format!("mask({})", shown.collect::<Vec<_>>().join(", "))
        }
        "assert_true" if args.len() == 1 => {
            let condition = expr_name(&args[0]);
            format!("assert_true({condition}, '{condition}' is not true!)")
        }
        "raise_error" if args.len() == 1 => format!("raise_error(USER_RAISED_EXCEPTION, map(errorMessage, {}))", expr_name(&args[0])),
        // The session time zone is the source left out.
        "convert_timezone" if args.len() == 2 => {
            format!("convert_timezone(current_timezone(), {}, {})", expr_name(&args[0]), expr_name(&args[1]))
        }
        // Spark names trimming given characters by the SQL form.
        "trim" | "ltrim" | "rtrim" if args.len() == 2 => {
            let side = match name {
                "ltrim" => "LEADING",
                "rtrim" => "TRAILING",
                _ => "BOTH",
            };
            format!("TRIM({side} {} FROM {})", expr_name(&args[1]), expr_name(&args[0]))
        }
        "like" if args.len() == 2 => format!("{} LIKE {}", expr_name(&args[0]), expr_name(&args[1])),
        // `map(k1, v1, k2, v2)` is planned as `map(array(k1, k2), array(v1, v2))`.
        "map" if args.len() == 2 => match (&args[0], &args[1]) {
            (Expr::ScalarFunction(k), Expr::ScalarFunction(v))
                if k.func.name() == "make_array" && v.func.name() == "make_array" && k.args.len() == v.args.len() =>
            {
                let pairs: Vec<String> = k.args.iter().zip(&v.args).flat_map(|(k, v)| [expr_name(k), expr_name(v)]).collect();
                format!("map({})", pairs.join(", "))
            }
            _ => call(name, args, false),
        },
        // Spark writes `if` as the operator-like `(IF(...))`.
        "if" => format!("(IF({}))", args.iter().map(expr_name).collect::<Vec<_>>().join(", ")),
        // Spark's `~x` is the function `~`.
        "bitwise_not" if args.len() == 1 => format!("~{}", expr_name(&args[0])),
        "positive" if args.len() == 1 => format!("(+ {})", expr_name(&args[0])),
        // `extract(dow FROM d)`, `datepart(dow FROM d)`; `date_part(dow, d)` is a plain call.
        "extract" | "datepart" if args.len() == 2 => format!("{name}({} FROM {})", expr_name(&args[0]), expr_name(&args[1])),
        // DataFusion's global flag stands where Spark shows the start position.
        "regexp_replace" if args.len() == 4 => {
            let parts: Vec<String> = args[..3].iter().map(expr_name).collect();
            format!("regexp_replace({}, 1)", parts.join(", "))
        }
        // Spark leaves the target type out of `variant_get(v, path, type)`'s name.
        crate::variant::PATH if args.len() == 2 => match &args[1] {
            Expr::Literal(ScalarValue::Utf8(Some(path)), _) => crate::variant::path_column_name(path),
            other => expr_name(other),
        },
        "variant_get" | "try_variant_get" if args.len() == 3 => format!("{name}({}, {})", expr_name(&args[0]), expr_name(&args[1])),
        // Spark shows only the JSON text of `from_json(json, schema)`.
        crate::json::from_json::NAME if !args.is_empty() => format!("from_json({})", expr_name(&args[0])),
        crate::extract_value::ITEM if args.len() == 2 => format!("{}[{}]", expr_name(&args[0]), expr_name(&args[1])),
        "get_field" if args.len() == 2 => match &args[1] {
            Expr::Literal(v, _) => format!("{}.{}", expr_name(&args[0]), literal(v)),
            other => format!("{}[{}]", expr_name(&args[0]), expr_name(other)),
        },
        _ => with_defaults(name, args).unwrap_or_else(|| call(name, args, false)),
    }
}

/// A call named with the defaults Spark shows for its omitted trailing arguments, as the
/// registry declares them ([`crate::functions::Function::shown_defaults`]).
fn with_defaults(name: &str, args: &[Expr]) -> Option<String> {
    let defaults = crate::functions::find(&function_name(name))?.defaults_after(args.len())?;
    let parts: Vec<String> = args.iter().map(expr_name).chain(defaults.iter().map(|d| d.to_string())).collect();
    Some(format!("{}({})", function_name(name), parts.join(", ")))
}

/// `a ASC NULLS FIRST` as Spark writes a sort key.
pub fn sort_name(s: &Sort) -> String {
    let dir = if s.asc { "ASC" } else { "DESC" };
    let nulls = if s.nulls_first { "NULLS FIRST" } else { "NULLS LAST" };
    format!("{} {dir} {nulls}", expr_name(&s.expr))
}

/// Spark's name for a function DataFusion spells differently.
fn function_name(df_name: &str) -> String {
    let lower = df_name.to_ascii_lowercase();
    match lower.as_str() {
        "character_length" | "char_length" | "length" => "length",
        "mean" => "avg",
        "array_agg" => "collect_list",
        "first_value" => "first",
        "last_value" => "last",
        "strpos" => "instr",
        "sqrt" | "acos" | "acosh" | "asin" | "asinh" | "atan" | "atanh" | "atan2" | "cbrt" | "ceil" | "cos" | "cosh" | "cot" | "csc"
        | "degrees" | "exp" | "expm1" | "floor" | "hypot" | "log10" | "log1p" | "log2" | "pi" | "radians" | "sec" | "signum" | "sin"
        | "sinh" | "tan" | "tanh" | "log" => return lower.to_ascii_uppercase(),
        "ceiling" => "CEIL",
        "to_varchar" => "to_char",
        "starts_with" => "startswith",
        "ends_with" => "endswith",
        "random" => "rand",
        "e" => "E",
        "current_database" => "current_schema",
        "now" => "current_timestamp",
        "curdate" => "current_date",
        "power" | "pow" => "POWER",
        "make_array" => "array",
        "named_struct" => "named_struct",
        "cardinality" => "size",
        "date_part" => "date_part",
        "stddev" => "stddev",
        "var" => "variance",
        other => other,
    }
    .to_string()
}

fn operator(op: &Operator) -> &'static str {
    match op {
        Operator::Eq => "=",
        Operator::NotEq => "!=",
        Operator::Lt => "<",
        Operator::LtEq => "<=",
        Operator::Gt => ">",
        Operator::GtEq => ">=",
        Operator::Plus => "+",
        Operator::Minus => "-",
        Operator::Multiply => "*",
        Operator::Divide => "/",
        Operator::Modulo => "%",
        Operator::And => "AND",
        Operator::Or => "OR",
        Operator::IsDistinctFrom => "IS DISTINCT FROM",
        Operator::IsNotDistinctFrom => "<=>",
        Operator::StringConcat => "||",
        Operator::BitwiseAnd => "&",
        Operator::BitwiseOr => "|",
        Operator::BitwiseXor => "^",
        Operator::RegexMatch => "RLIKE",
        Operator::BitwiseShiftLeft => "<<",
        Operator::BitwiseShiftRight => ">>",
        Operator::IntegerDivide => "div",
        _ => "?",
    }
}

/// A literal as Spark names it: strings bare, doubles with a decimal point, NULL upper case.
pub fn literal(v: &ScalarValue) -> String {
    if v.is_null() {
        return "NULL".into();
    }
    match v {
        ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s)) => s.clone(),
        ScalarValue::Float64(Some(f)) => format_double(*f),
        ScalarValue::Float32(Some(f)) => format_double(f64::from(*f)),
        ScalarValue::Date32(Some(d)) => {
            let date = chrono::DateTime::from_timestamp(i64::from(*d) * 86_400, 0).map(|t| t.date_naive().to_string());
            format!("DATE '{}'", date.unwrap_or_else(|| d.to_string()))
        }
        ScalarValue::TimestampMicrosecond(Some(us), _) => {
            format!("{} '{}'", crate::types::sql_type(&v.data_type()), crate::value_format::format_timestamp_micros(*us))
        }
        ScalarValue::Int64(Some(i)) => i.to_string(),
        // Spark's `INTERVAL '1' DAY` (its other interval literals are not named yet).
        ScalarValue::IntervalMonthDayNano(Some(v)) if v.months == 0 && v.nanoseconds == 0 => format!("INTERVAL '{}' DAY", v.days),
        ScalarValue::Binary(Some(b)) | ScalarValue::LargeBinary(Some(b)) | ScalarValue::BinaryView(Some(b)) => {
            let hex: String = b.iter().map(|byte| format!("{byte:02X}")).collect();
            format!("X'{hex}'")
        }
        other => other.to_string(),
    }
}

/// Java's `Double.toString`: `1.0`, `0.001`, `1.0E10`, `NaN`, `Infinity`.
pub fn format_double(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    java_style((1e-3..1e7).contains(&f.abs()), format!("{f}"), format!("{f:e}"))
}

/// Java's `Float.toString` for a float32 value (shortest digits of the float, not the double).
pub fn format_float(f: f32) -> String {
    if !f.is_finite() || f == 0.0 {
        return format_double(f64::from(f));
    }
    java_style((1e-3..1e7).contains(&f.abs()), format!("{f}"), format!("{f:e}"))
}

/// Java prints plain notation inside [1e-3, 1e7) and `d.dddE±n` outside, always with a '.'.
fn java_style(plain_range: bool, plain: String, scientific: String) -> String {
    if plain_range {
        return if plain.contains('.') { plain } else { format!("{plain}.0") };
    }
    match scientific.split_once('e') {
        Some((mantissa, exp)) => {
            let mantissa = if mantissa.contains('.') { mantissa.to_string() } else { format!("{mantissa}.0") };
            format!("{mantissa}E{exp}")
        }
        None => scientific,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::prelude::{col, lit};

    #[test]
    fn names_follow_spark() {
        assert_eq!(expr_name(&(col("price") * col("quantity"))), "(price * quantity)");
        assert_eq!(expr_name(&col("a").gt(lit(1))), "(a > 1)");
        assert_eq!(expr_name(&col("a").not_eq(lit(1))), "(NOT (a = 1))");
        assert_eq!(expr_name(&lit("x")), "x");
        assert_eq!(expr_name(&lit(1.5)), "1.5");
    }

    #[test]
    fn doubles_print_like_java() {
        assert_eq!(format_double(1.0), "1.0");
        assert_eq!(format_double(1e10), "1.0E10");
        assert_eq!(format_double(1.5e-5), "1.5E-5");
        assert_eq!(format_double(123456.789), "123456.789");
        assert_eq!(format_double(f64::NAN), "NaN");
    }
}
