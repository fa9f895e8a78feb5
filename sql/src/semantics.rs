//! Spark semantics DataFusion does not share, applied to a SQL query's logical plan right after
//! it is planned (the analyzer may not change a plan's schema, and these change types):
//!
//! - integer literals are `int` when they fit (`SELECT 1` is an int column, as in Spark);
//! - `/` divides as double, as Spark's `7 / 2` is `3.5`, or as decimal when a decimal meets a
//!   decimal or an integer (see [`spark_divide`]); `DIV` divides
//!   integrally into a `bigint` ([`spark_int_divide`]).
//!
//! Output names are preserved, so the plan's consumers still find their columns.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result, ScalarValue, exec_err};
use datafusion::logical_expr::expr::{HigherOrderFunction, Lambda, ScalarFunction};
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::{
    BinaryExpr, ColumnarValue, Expr, ExprSchemable, LogicalPlan, Operator, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Union,
    Volatility,
};
use datafusion::optimizer::analyzer::type_coercion::{TypeCoercionRewriter, coerce_union_schema};

/// Rewrites a planned SQL query with Spark's literal types and division.
pub fn spark_sql_rewrite(plan: LogicalPlan) -> Result<LogicalPlan> {
    refuse_unknown_fields(&plan)?;
    let plan = int_values(plan)?;
    let plan = crate::scalar_subquery::aggregate_correlated(plan)?;
    let plan = crate::inequality_correlation::decorrelate(plan)?;
    let plan = crate::input_order::aggregates_in_input_order(plan)?;
    // Once a node's types change, every node above it recomputes its schema from its inputs
    // (DataFusion's own `recompute_schema` only runs where expressions were rewritten).
    let mut changed = false;
    let plan = plan
        .transform_up_with_subqueries(|node| {
            // VALUES rows must agree on one type, which DataFusion has already chosen.
            if matches!(node, LogicalPlan::Limit(_) | LogicalPlan::TableScan(_) | LogicalPlan::Values(_)) {
                return Ok(Transformed::no(node));
            }
            if let LogicalPlan::Union(union) = node {
                // A UNION's columns take the widest type of its branches (`1 UNION ALL 2.5` is
                // decimal(11,1)); DataFusion's plan declares the first branch's until it is analyzed.
                let coerced = spark_union_schema(&union)?;
                let widened = union.schema.fields().iter().zip(coerced.fields()).any(|(a, b)| a.data_type() != b.data_type());
                changed |= widened;
                return if widened {
                    let inputs = union.inputs.iter().map(|b| cast_to(b, &coerced)).collect::<Result<Vec<_>>>()?;
                    TypeCoercionRewriter::coerce_union(Union { inputs, schema: Arc::new(coerced) }).map(Transformed::yes)
                } else if changed {
                    retyped_union(union)
                } else {
                    Ok(Transformed::no(LogicalPlan::Union(union)))
                };
            }
            let mut schema = DFSchema::empty();
            for input in node.inputs() {
                schema.merge(input.schema());
            }
            let preserver = NamePreserver::new(&node);
            let rewritten = node.map_expressions(|e| {
                // A grouping set's columns are named by their expressions and read by those names
                // above, where no alias can keep a rewritten one's name: they stay as planned.
                if matches!(e, Expr::GroupingSet(_)) {
                    return Ok(Transformed::no(e));
                }
                let saved = preserver.save(&e);
                let out = rewrite_tree(e, &schema)?;
                Ok(if out.transformed { out.update_data(|e| saved.restore(e)) } else { out })
            })?;
            if rewritten.transformed || changed {
                changed = true;
                rewritten.map_data(|p| p.recompute_schema())
            } else {
                Ok(rewritten)
            }
        })?
        .data;
    // Casts are judged with the literal types above settled (`CAST(1 AS BINARY)` is of an INT).
    crate::binary_cast::refuse(&plan)?;
    Ok(plan)
}

/// Spark's `INVALID_EXTRACT_FIELD` for an `extract`/`date_part` of a field it does not know.
fn refuse_unknown_fields(plan: &LogicalPlan) -> Result<()> {
    use datafusion::common::tree_node::TreeNodeRecursion;
    plan.apply_with_subqueries(|node| {
        node.apply_expressions(|e| {
            e.apply(|e| match e {
                Expr::ScalarFunction(f) => match crate::extract::unknown_field(f.func.name(), &f.args) {
                    Some((field, source)) => {
                        datafusion::common::plan_err!("{}", crate::extract::invalid_field(&field, &crate::naming::spark_sql_name(source)))
                    }
                    None => Ok(TreeNodeRecursion::Continue),
                },
                _ => Ok(TreeNodeRecursion::Continue),
            })
        })
    })
    .map(|_| ())
}

/// A union whose inputs changed type below it (a division that is now decimal, an `int`
/// literal) takes its types from them again, as when it was planned; DataFusion's
/// `recompute_schema` keeps a union's schema while its width is unchanged, and the type
/// coercion that follows reconciles the inputs with each other.
/// DataFusion's common type of a UNION's branches, with Spark's rule where they differ: a
/// decimal and a float or double widen to double (DataFusion keeps a decimal).
fn spark_union_schema(union: &Union) -> Result<DFSchema> {
    let coerced = coerce_union_schema(&union.inputs)?;
    let floating = |i: usize| union.inputs.iter().any(|p| p.schema().fields().get(i).is_some_and(|f| f.data_type().is_floating()));
    let fields: Vec<_> = coerced
        .iter()
        .enumerate()
        .map(|(i, (q, f))| {
            let f = if matches!(f.data_type(), DataType::Decimal128(..) | DataType::Decimal256(..)) && floating(i) {
                Arc::new(f.as_ref().clone().with_data_type(DataType::Float64))
            } else {
                Arc::clone(f)
            };
            (q.cloned(), f)
        })
        .collect();
    DFSchema::new_with_metadata(fields, coerced.metadata().clone())
}

/// A union branch with its columns cast to `schema`'s types where they differ, so that
/// DataFusion's union coercion (which computes its own common type from the branches) meets
/// branches of Spark's common type already.
fn cast_to(branch: &Arc<LogicalPlan>, schema: &DFSchema) -> Result<Arc<LogicalPlan>> {
    let fields = branch.schema().fields();
    if fields.iter().zip(schema.fields()).all(|(f, t)| f.data_type() == t.data_type()) {
        return Ok(Arc::clone(branch));
    }
    let items: Vec<Expr> = (0..fields.len())
        .map(|i| {
            let (q, f) = branch.schema().qualified_field(i);
            let column = Expr::Column(datafusion::common::Column::from((q, f)));
            match schema.fields().get(i).map(|t| t.data_type()) {
                Some(t) if t != f.data_type() => datafusion::logical_expr::cast(column, t.clone()).alias(f.name()),
                _ => column,
            }
        })
        .collect();
    Ok(Arc::new(datafusion::logical_expr::LogicalPlanBuilder::from(LogicalPlan::clone(branch)).project(items)?.build()?))
}

fn retyped_union(union: Union) -> Result<Transformed<LogicalPlan>> {
    let rebuilt = Union::try_new_with_loose_types(union.inputs.clone())?;
    let same = union.schema.fields().iter().zip(rebuilt.schema.fields()).all(|(a, b)| a.data_type() == b.data_type());
    Ok(if same { Transformed::no(LogicalPlan::Union(union)) } else { Transformed::yes(LogicalPlan::Union(rebuilt)) })
}

/// `VALUES (1), (2)` has an `int` column in Spark: a column of `VALUES` whose values are all
/// integer literals that fit an `int` (or NULL) becomes `int`; the plans above it are given
/// their new schemas.
fn int_values(plan: LogicalPlan) -> Result<LogicalPlan> {
    let mut changed = false;
    plan.transform_up_with_subqueries(|node| match node {
        LogicalPlan::Values(values) => {
            let (values, narrowed) = narrow_values(values)?;
            let (values, nested) = narrow_arrays(values)?;
            let narrowed = narrowed || nested;
            changed |= narrowed;
            Ok(Transformed::new_transformed(LogicalPlan::Values(values), narrowed))
        }
        LogicalPlan::TableScan(_) => Ok(Transformed::no(node)),
        other if changed => Ok(Transformed::yes(other.recompute_schema()?)),
        other => Ok(Transformed::no(other)),
    })
    .map(|t| t.data)
}

fn narrow_values(values: datafusion::logical_expr::Values) -> Result<(datafusion::logical_expr::Values, bool)> {
    let fits = |e: &Expr| match e {
        Expr::Literal(ScalarValue::Int64(Some(v)), _) => Some(i32::try_from(*v).is_ok()),
        Expr::Literal(ScalarValue::Int64(None) | ScalarValue::Null, _) => None,
        _ => Some(false),
    };
    let width = values.schema.fields().len();
    let narrow: Vec<bool> = (0..width)
        .map(|i| {
            values.schema.field(i).data_type() == &DataType::Int64 && {
                let verdicts: Vec<Option<bool>> = values.values.iter().map(|row| row.get(i).and_then(fits)).collect();
                verdicts.iter().all(|v| *v != Some(false)) && verdicts.contains(&Some(true))
            }
        })
        .collect();
    if !narrow.iter().any(|n| *n) {
        return Ok((values, false));
    }
    let rows = values
        .values
        .into_iter()
        .map(|row| {
            row.into_iter()
                .enumerate()
                .map(|(i, e)| match e {
                    Expr::Literal(ScalarValue::Int64(v), meta) if narrow[i] => {
                        Expr::Literal(ScalarValue::Int32(v.and_then(|v| i32::try_from(v).ok())), meta)
                    }
                    other => other,
                })
                .collect()
        })
        .collect();
    let fields: Vec<_> = values
        .schema
        .iter()
        .enumerate()
        .map(|(i, (q, f))| {
            let f = if narrow[i] { Arc::new(f.as_ref().clone().with_data_type(DataType::Int32)) } else { Arc::clone(f) };
            (q.cloned(), f)
        })
        .collect();
    let schema = DFSchema::new_with_metadata(fields, values.schema.metadata().clone())?;
    Ok((datafusion::logical_expr::Values { schema: Arc::new(schema), values: rows }, true))
}

/// A column of arrays in `VALUES` (`VALUES (array(1, 2)), (NULL)`) is `array<int>` in Spark for
/// the same reason: each row's array takes Spark's literal types, and the column their type
/// when every row that is not NULL agrees on one.
fn narrow_arrays(mut values: datafusion::logical_expr::Values) -> Result<(datafusion::logical_expr::Values, bool)> {
    let empty = DFSchema::empty();
    let is_null = |e: &Expr| match e {
        Expr::Literal(v, _) => v.is_null(),
        Expr::Cast(c) => matches!(c.expr.as_ref(), Expr::Literal(v, _) if v.is_null()),
        _ => false,
    };
    let mut changed = false;
    let mut fields: Vec<_> = values.schema.iter().map(|(q, f)| (q.cloned(), Arc::clone(f))).collect();
    for (i, (_, field)) in fields.iter_mut().enumerate() {
        if !matches!(field.data_type(), DataType::List(_)) {
            continue;
        }
        let mut agreed: Option<DataType> = None;
        let mut rewritten = Vec::with_capacity(values.values.len());
        for row in &values.values {
            let Some(e) = row.get(i).filter(|e| !is_null(e)) else {
                rewritten.push(None);
                continue;
            };
            // DataFusion's casts to the column's type are its choice of type, not the row's.
            let e = match e {
                Expr::Cast(c) if c.field.data_type() == field.data_type() => c.expr.as_ref().clone(),
                other => other.clone(),
            };
            let e = rewrite_tree(e, &empty)?.data;
            let t = e.get_type(&empty)?;
            if agreed.as_ref().is_some_and(|a| *a != t) {
                agreed = None;
                break;
            }
            agreed = Some(t);
            rewritten.push(Some(e));
        }
        let Some(t) = agreed.filter(|t| t != field.data_type()) else {
            continue;
        };
        for (row, e) in values.values.iter_mut().zip(rewritten) {
            row[i] = e.unwrap_or_else(|| datafusion::logical_expr::cast(row[i].clone(), t.clone()));
        }
        *field = Arc::new(field.as_ref().clone().with_data_type(t));
        changed = true;
    }
    if changed {
        values.schema = Arc::new(DFSchema::new_with_metadata(fields, values.schema.metadata().clone())?);
    }
    Ok((values, changed))
}

/// The same rewrite for one expression (SQL text used in the DataFrame API: `filter("v > 0.5")`,
/// `selectExpr`, `expr(...)`), against the schema it will be evaluated on.
pub fn spark_expr_rewrite(expr: Expr, schema: &DFSchema) -> Result<Expr> {
    Ok(rewrite_tree(expr, schema)?.data)
}

/// [`rewrite_expr`] bottom-up over a whole expression. A lambda's variables are typed by the
/// arguments of its function, which the rewrite may retype (`transform(array(1), x -> x)` is
/// planned over a BIGINT array that Spark's literal makes an INT one): a higher-order
/// function's values are rewritten first, its lambdas' variables retyped from them, then the
/// lambdas rewritten; once all is rewritten, the variables are retyped again (a lambda inside
/// a lambda is typed by values rewritten last) and Spark's analysis of what the lambdas return
/// applied.
fn rewrite_tree(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    rewrite_within(e, schema, false)
}

fn rewrite_within(e: Expr, schema: &DFSchema, in_lambda: bool) -> Result<Transformed<Expr>> {
    let Expr::HigherOrderFunction(f) = e else {
        return e.map_children(|c| rewrite_within(c, schema, in_lambda))?.transform_parent(|e| rewrite_node(e, schema));
    };
    let mut changed = false;
    let mut rewrite_args = |f: HigherOrderFunction, lambdas: bool| -> Result<HigherOrderFunction> {
        let args = f
            .args
            .into_iter()
            .map(|a| match a {
                Expr::Lambda(Lambda { params, body }) if lambdas => rewrite_within(*body, schema, true).map(|t| {
                    changed |= t.transformed;
                    Expr::Lambda(Lambda::new(params, t.data))
                }),
                Expr::Lambda(_) => Ok(a),
                value if lambdas => Ok(value),
                value => rewrite_within(value, schema, in_lambda).map(|t| {
                    changed |= t.transformed;
                    t.data
                }),
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(HigherOrderFunction::new(f.func, args))
    };
    // A function inside a lambda reads its enclosing lambda's variables: it is retyped with it.
    let retype = |f: HigherOrderFunction| -> Result<HigherOrderFunction> {
        match Expr::HigherOrderFunction(f).resolve_lambda_variables(schema)?.data {
            Expr::HigherOrderFunction(f) => Ok(f),
            _ => Err(datafusion::error::DataFusionError::Internal("a higher-order function stays one when retyped".into())),
        }
    };
    let f = rewrite_args(f, false)?;
    let f = if in_lambda { f } else { retype(f)? };
    let f = rewrite_args(f, true)?;
    if in_lambda {
        return Ok(Transformed::new_transformed(Expr::HigherOrderFunction(f), changed));
    }
    let f = retype(f)?;
    Expr::HigherOrderFunction(f.clone()).apply(|e| {
        if let Expr::HigherOrderFunction(inner) = e {
            crate::lambda::check(inner, schema)?;
        }
        Ok(datafusion::common::tree_node::TreeNodeRecursion::Continue)
    })?;
    Ok(Transformed::yes(Expr::HigherOrderFunction(f)))
}

/// An operator as Spark computes it (`/` as Spark's division, an integer literal beside a
/// decimal as a decimal), for an operator planned outside a query's rewrite.
pub fn spark_operator(e: Expr, schema: &DFSchema) -> Expr {
    rewrite_expr(e, schema).data
}

/// [`rewrite_expr`], and the calls [`complete_call`] completes.
fn rewrite_node(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    match e {
        Expr::ScalarFunction(f) => match complete_call(f, schema)? {
            Ok(done) => Ok(Transformed::yes(done)),
            Err(f) => Ok(rewrite_expr(Expr::ScalarFunction(f), schema)),
        },
        other => match crate::variant::rewrite_cast(other, schema)? {
            Ok(done) => Ok(Transformed::yes(done)),
            Err(other) => Ok(rewrite_expr(other, schema)),
        },
    }
}

/// The calls only a plan can complete, for SQL text and DataFrame Columns alike: `try_add(a,
/// b)` and its kind expanded into the operator as planned, NULL where it fails
/// ([`crate::try_eval`]); `assert_true(c)` given its default message
/// ([`crate::user_errors`]). Any other call is handed back.
pub fn complete_call(f: ScalarFunction, schema: &DFSchema) -> Result<std::result::Result<Expr, ScalarFunction>> {
    if crate::try_eval::arithmetic_operator(f.func.name()).is_some() {
        return crate::try_eval::expand(f.func.name(), f.args, schema).map(Ok);
    }
    if f.func.name() == "assert_true" && f.args.len() == 1 {
        return Ok(Ok(crate::user_errors::default_message(f)));
    }
    Ok(Err(f))
}

fn rewrite_expr(e: Expr, schema: &DFSchema) -> Transformed<Expr> {
    match e {
        // Spark compares and computes a decimal literal against a double as double.
        Expr::BinaryExpr(BinaryExpr { left, op, right })
            if op != Operator::Divide && (is_float(&left, schema) || is_float(&right, schema)) =>
        {
            let (l, lt) = decimal_literal_to_double(*left);
            let (r, rt) = decimal_literal_to_double(*right);
            let changed = lt || rt;
            let e = Expr::BinaryExpr(BinaryExpr::new(Box::new(l), op, Box::new(r)));
            if changed { Transformed::yes(e) } else { Transformed::no(e) }
        }
        Expr::Literal(ScalarValue::Int64(Some(v)), meta) if i32::try_from(v).is_ok() => {
            Transformed::yes(Expr::Literal(ScalarValue::Int32(Some(v as i32)), meta))
        }
        // Casts to string render values as Spark does.
        Expr::Cast(c) if c.field.data_type() == &DataType::Utf8 && !is_string(&c.expr, schema) => {
            Transformed::yes(Expr::ScalarFunction(ScalarFunction::new_udf(crate::udfs::cast_string_udf(), vec![*c.expr])))
        }
        // A cast that can overflow fails as Spark's does (CAST_OVERFLOW).
        Expr::Cast(c)
            if !crate::analyzer::coercion::is_implicit(&c)
                && let Some(checked) = crate::cast_overflow::checked(&c, schema) =>
        {
            Transformed::yes(checked)
        }
        // An integer literal beside a decimal counts as the decimal of its digits in Spark's
        // arithmetic: `1 + 1.5` is decimal(3,1), `price * 2` keeps price's precision + 2.
        Expr::BinaryExpr(BinaryExpr {
            left,
            op: op @ (Operator::Plus | Operator::Minus | Operator::Multiply | Operator::Modulo),
            right,
        }) => {
            let (left, right, changed) = decimal_operands(*left, *right, schema);
            let e = Expr::BinaryExpr(BinaryExpr::new(Box::new(left), op, Box::new(right)));
            if changed { Transformed::yes(e) } else { Transformed::no(e) }
        }
        Expr::BinaryExpr(BinaryExpr { left, op: Operator::Divide, right }) => {
            let (left, right, _) = decimal_operands(*left, *right, schema);
            Transformed::yes(Expr::ScalarFunction(ScalarFunction::new_udf(spark_divide(), vec![left, right])))
        }
        // SQL's `-x` (DataFusion plans no unary operator through Ember's planner).
        Expr::Negative(e) => match crate::checked_arithmetic::checked_negation(&e, schema) {
            Some(checked) => Transformed::yes(checked),
            None => Transformed::no(Expr::Negative(e)),
        },
        // Spark's wider type of a decimal and an integer is a decimal (an INT is DECIMAL(10,0)),
        // where DataFusion's is a double.
        // `nvl`/`ifnull` are Spark's two-argument `coalesce`; DataFusion's take no decimals.
        Expr::ScalarFunction(f) if matches!(f.func.name(), "coalesce" | "nvl" | "greatest" | "least") => {
            let func = if f.func.name() == "nvl" { datafusion::functions::core::coalesce() } else { Arc::clone(&f.func) };
            let renamed = !Arc::ptr_eq(&func, &f.func);
            match integers_as_decimals(&f.args, schema) {
                Some(args) => Transformed::yes(Expr::ScalarFunction(ScalarFunction::new_udf(func, args))),
                None if renamed => Transformed::yes(Expr::ScalarFunction(ScalarFunction::new_udf(func, f.args))),
                None => Transformed::no(Expr::ScalarFunction(f)),
            }
        }
        Expr::BinaryExpr(BinaryExpr { left, op: Operator::IntegerDivide, right }) => {
            Transformed::yes(Expr::ScalarFunction(ScalarFunction::new_udf(spark_int_divide(), vec![*left, *right])))
        }
        other => Transformed::no(other),
    }
}

/// The arguments with each integer cast to the decimal that holds all its values, when some
/// other argument is a decimal (and none is a floating point number, which wins).
fn integers_as_decimals(args: &[Expr], schema: &DFSchema) -> Option<Vec<Expr>> {
    let types: Vec<DataType> = args.iter().map(|a| a.get_type(schema)).collect::<Result<_>>().ok()?;
    if !types.iter().any(|t| matches!(t, DataType::Decimal128(..))) || types.iter().any(DataType::is_floating) {
        return None;
    }
    let digits = |t: &DataType| match t {
        DataType::Int8 => Some(3),
        DataType::Int16 => Some(5),
        DataType::Int32 => Some(10),
        DataType::Int64 => Some(20),
        _ => None,
    };
    if !types.iter().any(|t| digits(t).is_some()) {
        return None;
    }
    Some(
        args.iter()
            .zip(&types)
            .map(|(a, t)| match digits(t) {
                Some(p) => crate::analyzer::coercion::implicit_cast(a.clone(), DataType::Decimal128(p, 0)),
                None => a.clone(),
            })
            .collect(),
    )
}

/// The operands of arithmetic with an integer literal beside a decimal, the literal as the
/// decimal Spark makes of it; and whether one was.
fn decimal_operands(left: Expr, right: Expr, schema: &DFSchema) -> (Expr, Expr, bool) {
    let is_decimal = |e: &Expr| e.get_type(schema).is_ok_and(|t| matches!(t, DataType::Decimal128(..)));
    let as_decimal = |e: &Expr| match e {
        Expr::Literal(v, meta) => crate::decimal_divide::literal_as_decimal(v).map(|d| Expr::Literal(d, meta.clone())),
        _ => None,
    };
    if is_decimal(&left)
        && let Some(r) = as_decimal(&right)
    {
        return (left, r, true);
    }
    if is_decimal(&right)
        && let Some(l) = as_decimal(&left)
    {
        return (l, right, true);
    }
    (left, right, false)
}

fn is_string(e: &Expr, schema: &DFSchema) -> bool {
    e.get_type(schema).is_ok_and(|t| matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View))
}

fn is_float(e: &Expr, schema: &DFSchema) -> bool {
    e.get_type(schema).is_ok_and(|t| matches!(t, DataType::Float32 | DataType::Float64))
}

fn decimal_literal_to_double(e: Expr) -> (Expr, bool) {
    match e {
        Expr::Literal(ScalarValue::Decimal128(Some(v), _, s), meta) => {
            (Expr::Literal(ScalarValue::Float64(Some(v as f64 / 10f64.powi(i32::from(s)))), meta), true)
        }
        other => (other, false),
    }
}

/// Spark's `/`: both sides as double, the result double, unless a decimal meets a decimal or
/// an integer ([`crate::decimal_divide`]); dividing by zero is an error, as in Spark's default
/// ANSI mode. Named `(a / b)` in generated column names.
pub fn spark_divide() -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(SparkDivide { signature: Signature::any(2, Volatility::Immutable) }))
}

/// The function's registered name.
pub const SPARK_DIVIDE: &str = "spark_divide";

/// Spark's `a DIV b`: integral division truncated toward zero, as `bigint` (integers divide
/// exactly; decimals and doubles as doubles, then truncated); dividing by zero is an error.
pub fn spark_int_divide() -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(SparkIntDivide { signature: Signature::any(2, Volatility::Immutable) }))
}

/// The function's registered name.
pub const SPARK_INT_DIVIDE: &str = "spark_int_divide";

const DIVIDE_BY_ZERO: &str = "[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error. SQLSTATE: 22012";

#[derive(Debug, PartialEq, Eq, Hash)]
struct SparkIntDivide {
    signature: Signature,
}

impl ScalarUDFImpl for SparkIntDivide {
    fn name(&self) -> &str {
        SPARK_INT_DIVIDE
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        use datafusion::arrow::array::Int64Array;
        use datafusion::arrow::datatypes::Int64Type;
        let (l, r) = operands(args)?;
        let out = if l.data_type().is_integer() && r.data_type().is_integer() {
            divide_rows::<Int64Type, _>(&cast(&l, &DataType::Int64)?, &cast(&r, &DataType::Int64)?, i64::wrapping_div)?
        } else {
            divide_rows::<Float64Type, _>(&cast(&l, &DataType::Float64)?, &cast(&r, &DataType::Float64)?, |a, b| (a / b).trunc() as i64)?
        };
        Ok(ColumnarValue::Array(Arc::new(Int64Array::from(out))))
    }
}

/// A division's two arguments as arrays.
fn operands(args: ScalarFunctionArgs) -> Result<(ArrayRef, ArrayRef)> {
    let rows = args.number_rows;
    let mut arrays = args.args.into_iter().map(|a| a.into_array(rows));
    match (arrays.next(), arrays.next()) {
        (Some(l), Some(r)) => Ok((l?, r?)),
        _ => exec_err!("a division takes two arguments"),
    }
}

/// `divide` row by row: NULL where either side is NULL, Spark's DIVIDE_BY_ZERO (ANSI mode) where
/// the divisor is zero.
fn divide_rows<T: datafusion::arrow::datatypes::ArrowPrimitiveType, O>(
    l: &ArrayRef,
    r: &ArrayRef,
    divide: impl Fn(T::Native, T::Native) -> O,
) -> Result<Vec<Option<O>>> {
    let (l, r) = (l.as_primitive::<T>(), r.as_primitive::<T>());
    let mut out = Vec::with_capacity(l.len());
    for i in 0..l.len() {
        if l.is_null(i) || r.is_null(i) {
            out.push(None);
        } else if r.value(i) == T::Native::default() {
            return exec_err!("{DIVIDE_BY_ZERO}");
        } else {
            out.push(Some(divide(l.value(i), r.value(i))));
        }
    }
    Ok(out)
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct SparkDivide {
    signature: Signature,
}

impl ScalarUDFImpl for SparkDivide {
    fn name(&self) -> &str {
        SPARK_DIVIDE
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(match args {
            [l, r] => crate::decimal_divide::result_type(l, r).map_or(DataType::Float64, |(p, s)| DataType::Decimal128(p, s)),
            _ => DataType::Float64,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let target = args.return_field.data_type().clone();
        let (l, r) = operands(args)?;
        if let DataType::Decimal128(p, s) = target {
            return Ok(ColumnarValue::Array(crate::decimal_divide::divide(&l, &r, p, s, DIVIDE_BY_ZERO)?));
        }
        let out = divide_rows::<Float64Type, _>(&cast(&l, &DataType::Float64)?, &cast(&r, &DataType::Float64)?, |a, b| a / b)?;
        Ok(ColumnarValue::Array(Arc::new(Float64Array::from(out))))
    }
}
