//! The DataFrame: a lazy logical plan plus the session that will run it.
//!
//! Transformations build DataFusion logical plans with Spark's naming and resolution rules;
//! actions hand the plan to the session's engine. Richer conveniences (`fillna`, `describe`,
//! ...) are composed from these in the Python package.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::{Column, DFSchema, JoinType, NullHandling, ScalarValue, UnnestOptions};
use datafusion::functions_aggregate::expr_fn::count;
use datafusion::logical_expr::utils::{find_aggregate_exprs, find_window_exprs};
use datafusion::logical_expr::{Expr, LogicalPlan, LogicalPlanBuilder, Partitioning, SortExpr, cast, lit};
use datafusion::prelude::{coalesce, get_field};

use crate::cache::CachedRelation;
use crate::error::{DriverError, Result};
use crate::generator::{Generator, Kind, as_generator, stack_rows};
use crate::resolve::{frame_qualifier, named, output_name, resolve_expr};
use crate::session::Session;

static NEXT_FRAME: AtomicU64 = AtomicU64::new(1);

/// How a join pairs rows: named key columns (`on="id"`), or a boolean condition.
#[derive(Debug, Clone)]
pub enum JoinOn {
    Using(Vec<String>),
    Condition(Expr),
    None,
}

#[derive(Debug, Clone)]
pub struct DataFrame {
    session: Arc<Session>,
    plan: Arc<LogicalPlan>,
    id: u64,
    cache: Option<Arc<CachedRelation>>,
    /// The SQL text the DataFrame (or the one it derives from) was planned from, so that a
    /// run-time error names the part of it that raised the error, as PySpark's message does.
    origin: Option<Arc<str>>,
}

impl DataFrame {
    pub fn new(session: Arc<Session>, plan: LogicalPlan) -> Self {
        let plan = session.coerce_types(plan);
        Self::coerced(session, plan)
    }

    fn coerced(session: Arc<Session>, plan: LogicalPlan) -> Self {
        Self { session, plan: Arc::new(plan), id: NEXT_FRAME.fetch_add(1, Ordering::Relaxed), cache: None, origin: None }
    }

    /// A DataFrame on this one's plan. Its input is coerced already, and the nodes a
    /// transformation adds are at the top, so the plan is coerced again only when a `CASE`
    /// (whose type coercion decides) is among them: coercing the whole plan at every step would
    /// make a chain of transformations quadratic.
    fn derive(&self, plan: LogicalPlan) -> Self {
        let plan = if case_near_top(&plan, 3) { self.session.coerce_types(plan) } else { plan };
        Self { origin: self.origin.clone(), ..Self::coerced(Arc::clone(&self.session), plan) }
    }

    /// This DataFrame as planned from the SQL text `sql` (see [`DataFrame::collect`]).
    pub fn with_origin(mut self, sql: &str) -> Self {
        self.origin = Some(Arc::from(sql));
        self
    }

    /// A run-time error followed by Spark's query context when the DataFrame came from SQL text
    /// and one part of the text can have raised it (`== SQL (line 1, position 8) == ...`).
    fn in_context<T>(&self, result: Result<T>) -> Result<T> {
        match (result, &self.origin) {
            (Err(DriverError::Runtime(message)), Some(sql)) => {
                Err(DriverError::Runtime(ember_sql::analyzer::runtime_origin::with_context(sql, message)))
            }
            (result, _) => result,
        }
    }

    pub fn session(&self) -> &Arc<Session> {
        &self.session
    }

    pub fn plan(&self) -> &LogicalPlan {
        &self.plan
    }

    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn df_schema(&self) -> &DFSchema {
        self.plan.schema()
    }

    pub fn schema(&self) -> SchemaRef {
        Arc::new(self.plan.schema().as_arrow().clone())
    }

    pub fn columns(&self) -> Vec<String> {
        self.plan.schema().fields().iter().map(|f| f.name().clone()).collect()
    }

    fn builder(&self) -> LogicalPlanBuilder {
        LogicalPlanBuilder::from(LogicalPlan::clone(&self.plan))
    }

    /// `df["name"]`: a reference to this DataFrame's column, valid in plans built on it.
    pub fn column(&self, name: &str) -> Result<Expr> {
        if name == "*" {
            return Err(DriverError::IllegalArgument("use select(\"*\") to select every column".into()));
        }
        let resolved = self.resolve(Expr::Column(Column::new_unqualified(name)))?;
        self.session.frames().remember(self.id, self.plan.schema());
        Ok(match resolved {
            Expr::Column(c) => {
                let qualifier = c.relation.clone().map_or_else(|| frame_qualifier(self.id), |q| q.to_string());
                // Keep the real qualifier when there is one; otherwise tie it to this frame.
                if c.relation.is_some() { Expr::Column(c) } else { Expr::Column(Column::new(Some(qualifier), c.name)) }
            }
            other => other,
        })
    }

    pub fn resolve(&self, expr: Expr) -> Result<Expr> {
        let session = &self.session;
        let resolved = resolve_expr(expr, self.plan.schema(), session.frames(), &|text, schema| session.parse_expr(text, schema))?;
        // Spark's implicit casts, as SQL text gets them while it is planned.
        Ok(ember_sql::analyzer::coercion::coerce_expr(resolved, self.plan.schema())?)
    }

    fn expand(&self, exprs: Vec<Expr>) -> Result<Vec<Expr>> {
        let mut out = Vec::with_capacity(exprs.len());
        for e in exprs {
            match &e {
                Expr::Column(c) if c.name == "*" => {
                    let before = out.len();
                    for (q, f) in self.plan.schema().iter() {
                        let keep = match &c.relation {
                            None => true,
                            Some(r) => q.is_some_and(|q| q.table().eq_ignore_ascii_case(r.table())),
                        };
                        if keep {
                            out.push(Expr::Column(Column::new(q.cloned(), f.name())));
                        }
                    }
                    if out.len() == before
                        && let Some(r) = &c.relation
                    {
                        out.extend(self.struct_star(&r.to_string())?);
                    }
                }
                Expr::Column(c) if c.relation.is_none() && c.name.ends_with(".*") && !c.name.starts_with('`') => {
                    out.extend(self.struct_star(&c.name[..c.name.len() - 2])?);
                }
                // `select("s.f")` and `selectExpr("s.f")` are headed `f` in Spark: a column
                // path that reaches into a struct is named by its last field
                // (`col("s")["f"]` stays `s.f`).
                Expr::Column(_) => out.push(field_named(self.resolve(e)?)),
                Expr::Placeholder(_) if crate::resolve::as_sql_text(&e).is_some_and(is_column_path) => {
                    out.push(field_named(self.resolve(e)?))
                }
                _ => out.push(self.resolve(e)?),
            }
        }
        Ok(out)
    }

    /// `select("s.*")` of a struct column `s` (a dotted path `a.b` included): one column per
    /// field, named after it, as Spark expands it.
    fn struct_star(&self, path: &str) -> Result<Vec<Expr>> {
        let parts = crate::resolve::split_name(path);
        // `s.f` (a struct's field) or `alias.s` (a qualified column), as Spark tries them.
        let qualified = || -> Result<Expr> {
            let [qualifier, column, fields @ ..] = parts.as_slice() else {
                return Err(DriverError::analysis(path));
            };
            let column = self.resolve(Expr::Column(Column::new(Some(qualifier.as_str()), column.as_str())))?;
            Ok(fields.iter().fold(column, |e, f| get_field(e, f.as_str())))
        };
        let Ok(base) = self.resolve(Expr::Column(Column::new_unqualified(path))).or_else(|_| qualified()) else {
            // The DataFrame API's message lists no input columns, as Spark's does.
            return Err(ember_sql::analyzer::struct_star::cannot_resolve(&parts, &[]).into());
        };
        let (_, field) = datafusion::logical_expr::ExprSchemable::to_field(&base, self.plan.schema().as_ref())?;
        let DataType::Struct(fields) = field.data_type() else {
            return Err(ember_sql::analyzer::struct_star::not_a_struct(&parts).into());
        };
        Ok(fields.iter().map(|f| get_field(base.clone(), f.name().as_str()).alias(f.name())).collect())
    }

    pub fn select(&self, exprs: Vec<Expr>) -> Result<DataFrame> {
        let exprs = self.expand(exprs)?;
        if exprs.iter().any(|e| as_generator(e).is_some()) {
            return self.select_with_generator(exprs);
        }
        if !find_aggregate_exprs(exprs.iter()).is_empty() {
            // `df.select(F.max("a"))` is a global aggregate, as in Spark.
            return self.aggregate(vec![], exprs);
        }
        self.project(exprs.into_iter().map(named).collect())
    }

    fn project(&self, exprs: Vec<Expr>) -> Result<DataFrame> {
        let exprs = distinct_names(exprs);
        let input = [Arc::clone(self.plan.schema())];
        for e in &exprs {
            ember_sql::binary_cast::refuse_in(e, &input)?;
        }
        let windows = find_window_exprs(exprs.iter());
        if windows.is_empty() {
            // The expressions are resolved against this plan's schema already; the builder's
            // `project` would normalize each column again by walking the whole plan for USING
            // joins, which makes a chain of `withColumn`s cubic in its length.
            let projection = datafusion::logical_expr::Projection::try_new(exprs, Arc::clone(&self.plan))?;
            return Ok(self.derive(LogicalPlan::Projection(projection)));
        }
        // Window expressions become columns of the window node under them.
        let plan = LogicalPlanBuilder::window_plan(LogicalPlan::clone(&self.plan), windows)?;
        Ok(self.derive(LogicalPlanBuilder::from(plan).project(exprs)?.build()?))
    }

    /// `select(a, explode(arr))`: project the generator's input under its output name, then
    /// unnest it (keeping rows with null/empty input for `explode_outer`). A map's entries are
    /// Spark's `key` and `value` columns: its keys and its values, unnested in step;
    /// `posexplode` unnests the positions (`pos`, from 0) in step before them. `inline` unnests
    /// an array of structs and makes each field a column; `stack(n, ...)` is `inline` of the
    /// array of its `n` rows (`col0`, `col1`, ...).
    fn select_with_generator(&self, exprs: Vec<Expr>) -> Result<DataFrame> {
        use datafusion::functions_nested::expr_fn::{cardinality, map_keys, map_values, range};
        use datafusion::logical_expr::ExprSchemable;
        let mut outer = None;
        let mut unnest_names = Vec::new();
        let mut items = Vec::with_capacity(exprs.len());
        // The struct column `inline` made and the fields it spreads into columns.
        let mut spread: Option<(String, Vec<String>)> = None;
        for e in exprs {
            let Some(Generator { kind, args, outer: is_outer, alias }) = as_generator(&e) else {
                items.push(named(e));
                continue;
            };
            if outer.is_some() {
                return Err(DriverError::Analysis(
                    "[UNSUPPORTED_GENERATOR.MULTI_GENERATOR] only one generator allowed per select clause".into(),
                ));
            }
            outer = Some(is_outer);
            let input = match kind {
                Kind::Stack => stack_rows(&args)?,
                _ => args[0].clone(),
            };
            let schema = self.plan.schema();
            let input_type = self.resolve(input.clone())?.get_type(schema)?;
            if matches!(kind, Kind::Inline | Kind::Stack) {
                let fields = match input_type {
                    DataType::List(f) | DataType::LargeList(f) => match f.data_type() {
                        DataType::Struct(fields) => fields.iter().map(|f| f.name().clone()).collect::<Vec<_>>(),
                        other => {
                            return Err(DriverError::Analysis(format!(
                                "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"inline\": parameter 1 requires the \"ARRAY<STRUCT>\" type, however it has the type \"ARRAY<{}>\".",
                                ember_sql::simple_string(other).to_uppercase()
                            )));
                        }
                    },
                    other => {
                        return Err(DriverError::Analysis(format!(
                            "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"inline\": parameter 1 requires the \"ARRAY<STRUCT>\" type, however it has the type \"{}\".",
                            ember_sql::simple_string(&other).to_uppercase()
                        )));
                    }
                };
                let name = "__ember_inline".to_string();
                items.push(input.alias(name.clone()));
                unnest_names.push(name.clone());
                spread = Some((name, fields));
                continue;
            }
            let is_map = matches!(input_type, DataType::Map(..));
            let columns = match (kind, is_map) {
                (Kind::PosExplode, _) => 2 + usize::from(is_map),
                (_, true) => 2,
                _ => 1,
            };
            // One name cannot name several columns.
            if columns > 1
                && let Some(alias) = alias.clone()
            {
                let given = [datafusion::sql::sqlparser::ast::Ident::new(alias)];
                return Err(ember_sql::analyzer::generators::alias_count(columns, &given).into());
            }
            if kind == Kind::PosExplode {
                let positions = range(datafusion::logical_expr::lit(0i64), cardinality(input.clone()), datafusion::logical_expr::lit(1i64));
                let int_list = DataType::List(Arc::new(datafusion::arrow::datatypes::Field::new("item", DataType::Int32, true)));
                items.push(datafusion::logical_expr::cast(positions, int_list).alias("pos"));
                unnest_names.push("pos".to_string());
            }
            if is_map {
                items.push(map_keys(input.clone()).alias("key"));
                items.push(map_values(input).alias("value"));
                unnest_names.extend(["key".to_string(), "value".to_string()]);
                continue;
            }
            let name = alias.unwrap_or_else(|| "col".to_string());
            items.push(input.alias(name.clone()));
            unnest_names.push(name);
        }
        let projected = self.project(items)?;
        // explode drops rows with NULL or empty input; explode_outer keeps one NULL row for each.
        let options = if outer.unwrap_or(false) {
            UnnestOptions::new().with_null_handling(NullHandling::PreserveAndExpandEmpty)
        } else {
            UnnestOptions::new().with_null_handling(NullHandling::Drop)
        };
        let columns = unnest_names.into_iter().map(Column::new_unqualified).collect();
        let plan = LogicalPlanBuilder::from(LogicalPlan::clone(&projected.plan)).unnest_columns_with_options(columns, options)?.build()?;
        let Some((struct_column, fields)) = spread else {
            return Ok(self.derive(plan));
        };
        // The struct's fields in its place.
        let mut out = Vec::new();
        for (q, f) in plan.schema().iter() {
            if f.name() == &struct_column {
                let whole = Expr::Column(Column::new(q.cloned(), f.name()));
                out.extend(
                    fields.iter().map(|n| datafusion::functions::core::expr_fn::get_field(whole.clone(), n.as_str()).alias(n.clone())),
                );
            } else {
                out.push(Expr::Column(Column::new(q.cloned(), f.name())));
            }
        }
        let plan = LogicalPlanBuilder::from(plan).project(out)?.build()?;
        Ok(self.derive(plan))
    }

    pub fn filter(&self, condition: Expr) -> Result<DataFrame> {
        match self.resolve(condition.clone()) {
            Ok(c) => Ok(self.derive(self.builder().filter(c)?.build()?)),
            // Spark also resolves a column the last projection dropped, by filtering below it.
            Err(err) => self.below_projection(err, |input| input.filter(condition)),
        }
    }

    /// Applies `op` to the input of this DataFrame's top projection and projects again:
    /// Spark's resolution of columns a `select` dropped, for `filter` and `orderBy`.
    fn below_projection(&self, original: DriverError, op: impl FnOnce(&DataFrame) -> Result<DataFrame>) -> Result<DataFrame> {
        let LogicalPlan::Projection(p) = self.plan.as_ref() else {
            return Err(original);
        };
        let input = self.derive(LogicalPlan::clone(&p.input));
        let Ok(applied) = op(&input) else {
            return Err(original);
        };
        let plan = LogicalPlanBuilder::from(LogicalPlan::clone(&applied.plan)).project(p.expr.clone())?.build()?;
        Ok(self.derive(plan))
    }

    /// `withColumns`: replaces same-named columns in place, appends the rest.
    pub fn with_columns(&self, names: Vec<String>, exprs: Vec<Expr>) -> Result<DataFrame> {
        let exprs: Vec<Expr> = exprs.into_iter().map(|e| self.resolve(e)).collect::<Result<_>>()?;
        let mut used = vec![false; names.len()];
        let mut items = Vec::new();
        for (q, f) in self.plan.schema().iter() {
            match names.iter().position(|n| n.eq_ignore_ascii_case(f.name())) {
                Some(i) => {
                    used[i] = true;
                    items.push(exprs[i].clone().alias(names[i].clone()));
                }
                None => items.push(Expr::Column(Column::new(q.cloned(), f.name()))),
            }
        }
        for (i, name) in names.iter().enumerate() {
            if !used[i] {
                items.push(exprs[i].clone().alias(name.clone()));
            }
        }
        if items.iter().any(|e| as_generator(e).is_some()) {
            return self.select_with_generator(items);
        }
        self.project(items)
    }

    pub fn with_column_renamed(&self, existing: &str, new: &str) -> Result<DataFrame> {
        if !self.columns().iter().any(|c| c.eq_ignore_ascii_case(existing)) {
            return Ok(self.clone());
        }
        let items = self
            .plan
            .schema()
            .iter()
            .map(|(q, f)| {
                let c = Expr::Column(Column::new(q.cloned(), f.name()));
                if f.name().eq_ignore_ascii_case(existing) { c.alias(new) } else { c }
            })
            .collect();
        self.project(items)
    }

    /// Drops columns by name (unknown names are ignored, as in Spark) or by reference.
    pub fn drop(&self, names: Vec<String>, refs: Vec<Expr>) -> Result<DataFrame> {
        let refs: Vec<Column> = refs
            .into_iter()
            .filter_map(|e| self.resolve(e).ok())
            .filter_map(|e| if let Expr::Column(c) = e { Some(c) } else { None })
            .collect();
        let items: Vec<Expr> = self
            .plan
            .schema()
            .iter()
            .filter(|(q, f)| {
                let by_name = names.iter().any(|n| n.eq_ignore_ascii_case(f.name()));
                let by_ref = refs.iter().any(|c| c.name == *f.name() && (c.relation.is_none() || c.relation.as_ref() == *q));
                !(by_name || by_ref)
            })
            .map(|(q, f)| Expr::Column(Column::new(q.cloned(), f.name())))
            .collect();
        self.project(items)
    }

    pub fn distinct(&self) -> Result<DataFrame> {
        Ok(self.derive(self.builder().distinct()?.build()?))
    }

    /// `dropDuplicates(subset)`: the first row of each group of equal `subset` values.
    pub fn drop_duplicates(&self, subset: Vec<String>) -> Result<DataFrame> {
        if subset.is_empty() {
            return self.distinct();
        }
        let on: Vec<Expr> = subset.iter().map(|n| self.resolve(Expr::Column(Column::new_unqualified(n)))).collect::<Result<_>>()?;
        let all: Vec<Expr> = self.plan.schema().iter().map(|(q, f)| Expr::Column(Column::new(q.cloned(), f.name()))).collect();
        Ok(self.derive(self.builder().distinct_on(on, all, None)?.build()?))
    }

    /// `groupBy(...).agg(...)`: grouping columns first, then the aggregates, all Spark-named.
    /// Items may be expressions over aggregates (`sum(a) / count(a)`): the aggregates are
    /// computed first and the expressions on top of them.
    pub fn aggregate(&self, group: Vec<Expr>, items: Vec<Expr>) -> Result<DataFrame> {
        let group: Vec<Expr> = self.expand(group)?.into_iter().map(named).collect();
        let items: Vec<Expr> = items.into_iter().map(|e| self.resolve(e).map(named)).collect::<Result<_>>()?;
        let names: Vec<String> = items.iter().map(output_name).collect();
        let unique = names.iter().collect::<std::collections::HashSet<_>>().len() == names.len();
        if unique && items.iter().all(is_plain_aggregate) {
            let plan = self.builder().aggregate(group, items)?.build()?;
            return Ok(self.derive(ember_sql::input_order::aggregate_in_input_order(plan)?));
        }
        let aggs = find_aggregate_exprs(items.iter());
        // Each aggregate gets an internal name the expressions above it refer to.
        let internal: Vec<String> = (0..aggs.len()).map(|i| format!("__agg{i}")).collect();
        let named_aggs: Vec<Expr> = aggs.iter().zip(&internal).map(|(a, n)| a.clone().alias(n.clone())).collect();
        let aggregated = ember_sql::input_order::aggregate_in_input_order(self.builder().aggregate(group.clone(), named_aggs)?.build()?)?;
        let mut post: Vec<Expr> = group
            .iter()
            .map(|g| match g {
                Expr::Column(c) => Expr::Column(c.clone()),
                other => Expr::Column(Column::new_unqualified(output_name(other))),
            })
            .collect();
        for item in items {
            let rewritten = item
                .transform_down(|e| match aggs.iter().position(|a| *a == e) {
                    Some(i) => {
                        Ok(Transformed::new(Expr::Column(Column::new_unqualified(internal[i].clone())), true, TreeNodeRecursion::Jump))
                    }
                    None => Ok(Transformed::no(e)),
                })?
                .data;
            post.push(rewritten);
        }
        let plan = LogicalPlanBuilder::from(aggregated).project(distinct_names(post))?.build()?;
        Ok(self.derive(plan))
    }

    pub fn sort(&self, keys: Vec<SortExpr>) -> Result<DataFrame> {
        let resolved: Result<Vec<SortExpr>> = keys.iter().cloned().map(|k| Ok(SortExpr { expr: self.resolve(k.expr)?, ..k })).collect();
        match resolved {
            Ok(k) => Ok(self.derive(self.builder().sort(k)?.build()?)),
            Err(err) => self.below_projection(err, |input| input.sort(keys)),
        }
    }

    pub fn limit(&self, n: usize) -> Result<DataFrame> {
        Ok(self.derive(self.builder().limit(0, Some(n))?.build()?))
    }

    pub fn offset(&self, n: usize) -> Result<DataFrame> {
        Ok(self.derive(self.builder().limit(n, None)?.build()?))
    }

    /// `df.alias("a")`: columns become reachable as `a.col`.
    pub fn alias(&self, name: &str) -> Result<DataFrame> {
        Ok(self.derive(self.builder().alias(name)?.build()?))
    }

    /// `union`/`unionAll`: by position, keeping duplicates, names from the left side.
    pub fn union(&self, other: &DataFrame) -> Result<DataFrame> {
        let right = self.positional_partner(other, "UNION")?;
        Ok(self.derive(self.builder().union(right)?.build()?))
    }

    /// `other` with this DataFrame's column names, for set operations that match columns by
    /// position; Spark's error when the widths differ.
    fn positional_partner(&self, other: &DataFrame, op: &str) -> Result<LogicalPlan> {
        let (l, r) = (self.columns().len(), other.columns().len());
        if l != r {
            return Err(DriverError::Analysis(format!(
                "[NUM_COLUMNS_MISMATCH] {op} can only be performed on inputs with the same number of columns, but the first input has {l} columns and the second input has {r} columns."
            )));
        }
        let renamed: Vec<Expr> = other
            .plan
            .schema()
            .iter()
            .zip(self.columns())
            .map(|((q, f), name)| Expr::Column(Column::new(q.cloned(), f.name())).alias(name))
            .collect();
        Ok(LogicalPlanBuilder::from(LogicalPlan::clone(&other.plan)).project(renamed)?.build()?)
    }

    /// `intersect`/`intersectAll` (`all`), `subtract`/`exceptAll` (`except`): by position,
    /// names from the left side, like `union`.
    pub fn set_operation(&self, other: &DataFrame, except: bool, all: bool) -> Result<DataFrame> {
        let right = self.positional_partner(other, if except { "EXCEPT" } else { "INTERSECT" })?;
        let left = LogicalPlan::clone(&self.plan);
        let plan = if all {
            ember_sql::analyzer::set_operations::set_operation_all(left, right, except)?
        } else if except {
            LogicalPlanBuilder::except(left, right, false)?
        } else {
            LogicalPlanBuilder::intersect(left, right, false)?
        };
        Ok(self.derive(plan))
    }

    /// `unionByName`: matches columns by name; missing ones become NULL when allowed.
    pub fn union_by_name(&self, other: &DataFrame, allow_missing: bool) -> Result<DataFrame> {
        let left_cols = self.columns();
        let right_cols = other.columns();
        let find = |cols: &[String], n: &str| cols.iter().find(|c| c.eq_ignore_ascii_case(n)).cloned();
        let mut names = left_cols.clone();
        for c in &right_cols {
            if find(&left_cols, c).is_none() {
                if !allow_missing {
                    return Err(DriverError::Analysis(format!(
                        "[NUM_COLUMNS_MISMATCH] Cannot resolve column name \"{c}\" among ({}).",
                        left_cols.join(", ")
                    )));
                }
                names.push(c.clone());
            }
        }
        let side = |df: &DataFrame, cols: &[String]| -> Result<LogicalPlan> {
            let items = names
                .iter()
                .map(|n| match find(cols, n) {
                    Some(c) => Ok(df.resolve(Expr::Column(Column::new_unqualified(c)))?.alias(n.clone())),
                    None if allow_missing => {
                        // Typed NULL so both sides agree on the column type.
                        let other_type = [self, other]
                            .iter()
                            .find_map(|d| {
                                d.df_schema().fields().iter().find(|f| f.name().eq_ignore_ascii_case(n)).map(|f| f.data_type().clone())
                            })
                            .unwrap_or(DataType::Null);
                        Ok(cast(lit(datafusion::common::ScalarValue::Null), other_type).alias(n.clone()))
                    }
                    None => Err(DriverError::Analysis(format!(
                        "[NUM_COLUMNS_MISMATCH] Cannot resolve column name \"{n}\" among ({}).",
                        cols.join(", ")
                    ))),
                })
                .collect::<Result<Vec<Expr>>>()?;
            Ok(LogicalPlanBuilder::from(LogicalPlan::clone(&df.plan)).project(items)?.build()?)
        };
        let left = side(self, &left_cols)?;
        let right = side(other, &right_cols)?;
        Ok(self.derive(LogicalPlanBuilder::from(left).union(right)?.build()?))
    }

    /// Joins with Spark's output shape: `USING` keys appear once, first; other joins keep
    /// every column of both sides.
    pub fn join(&self, right: &DataFrame, on: JoinOn, how: &str) -> Result<DataFrame> {
        let join_type = parse_join_type(how)?;
        let (left_plan, right_plan) = self.disambiguate(right)?;
        match on {
            JoinOn::None => {
                let plan = LogicalPlanBuilder::from(left_plan).join_on(right_plan, join_type, Vec::<Expr>::new())?.build()?;
                Ok(self.derive(plan))
            }
            JoinOn::Condition(cond) => {
                let combined = LogicalPlanBuilder::from(left_plan.clone()).cross_join(right_plan.clone())?.build()?;
                let session = &self.session;
                let cond = resolve_expr(cond, combined.schema(), session.frames(), &|text, schema| session.parse_expr(text, schema))?;
                let plan = LogicalPlanBuilder::from(left_plan).join_on(right_plan, join_type, vec![cond])?.build()?;
                Ok(self.derive(plan))
            }
            JoinOn::Using(keys) => {
                let lschema = left_plan.schema().clone();
                let rschema = right_plan.schema().clone();
                let mut lkeys = Vec::new();
                let mut rkeys = Vec::new();
                for k in &keys {
                    lkeys.push(key_column(&lschema, k, "left")?);
                    rkeys.push(key_column(&rschema, k, "right")?);
                }
                let plan =
                    LogicalPlanBuilder::from(left_plan).join(right_plan, join_type, (lkeys.clone(), rkeys.clone()), None)?.build()?;
                let mut items = Vec::new();
                for i in 0..keys.len() {
                    let (l, r) = (Expr::Column(lkeys[i].clone()), Expr::Column(rkeys[i].clone()));
                    let name = lkeys[i].name.clone();
                    items.push(match join_type {
                        JoinType::Right => r.alias(name),
                        JoinType::Full => coalesce(vec![l, r]).alias(name),
                        JoinType::RightSemi | JoinType::RightAnti => r.alias(name),
                        _ => l,
                    });
                }
                let keep_right = !matches!(join_type, JoinType::LeftSemi | JoinType::LeftAnti);
                for (q, f) in lschema.iter() {
                    if !lkeys.iter().any(|c| c.name == *f.name() && c.relation.as_ref() == q) {
                        items.push(Expr::Column(Column::new(q.cloned(), f.name())));
                    }
                }
                if keep_right {
                    for (q, f) in rschema.iter() {
                        if !rkeys.iter().any(|c| c.name == *f.name() && c.relation.as_ref() == q) {
                            items.push(Expr::Column(Column::new(q.cloned(), f.name())));
                        }
                    }
                }
                let plan = LogicalPlanBuilder::from(plan).project(items)?.build()?;
                Ok(self.derive(plan))
            }
        }
    }

    /// Two sides whose columns would collide (a self-join, two unaliased projections) get
    /// their DataFrame's qualifier, so references like `df1.id == df2.id` stay distinct.
    fn disambiguate(&self, right: &DataFrame) -> Result<(LogicalPlan, LogicalPlan)> {
        let l = self.plan.schema();
        let r = right.plan.schema();
        let clash = l.iter().any(|(lq, lf)| r.iter().any(|(rq, rf)| lq == rq && lf.name() == rf.name()));
        if !clash {
            return Ok((LogicalPlan::clone(&self.plan), LogicalPlan::clone(&right.plan)));
        }
        self.session.frames().remember(self.id, l);
        self.session.frames().remember(right.id, r);
        let left = LogicalPlanBuilder::from(LogicalPlan::clone(&self.plan)).alias(frame_qualifier(self.id))?.build()?;
        let right_plan = LogicalPlanBuilder::from(LogicalPlan::clone(&right.plan)).alias(frame_qualifier(right.id))?.build()?;
        Ok((left, right_plan))
    }

    /// `repartition(n, *cols)`: a hash exchange on `cols`, or round-robin without them.
    pub fn repartition(&self, n: Option<usize>, exprs: Vec<Expr>) -> Result<DataFrame> {
        let n = n.unwrap_or_else(|| self.session.ctx().state().config().target_partitions()).max(1);
        let scheme = if exprs.is_empty() {
            Partitioning::RoundRobinBatch(n)
        } else {
            let exprs = exprs.into_iter().map(|e| self.resolve(e)).collect::<Result<_>>()?;
            Partitioning::Hash(exprs, n)
        };
        Ok(self.derive(self.builder().repartition(scheme)?.build()?))
    }

    // ---- caching ----

    pub fn cache_relation(&self) -> Option<Arc<CachedRelation>> {
        self.cache.clone()
    }

    pub fn is_cached(&self) -> bool {
        self.cache.is_some()
    }

    /// `cache()`/`persist()`: later actions read this DataFrame's partitions from executor
    /// memory; they are computed by the first action that needs them.
    pub fn cache(&self) -> Result<DataFrame> {
        if self.cache.is_some() {
            return Ok(self.clone());
        }
        let relation = CachedRelation::new(&self.session, LogicalPlan::clone(&self.plan));
        let plan = relation.scan_plan()?;
        let mut df = self.derive(plan);
        df.id = self.id;
        df.cache = Some(relation);
        Ok(df)
    }

    /// `unpersist()`: frees the cached partitions; returns the uncached DataFrame.
    pub fn unpersist(&self) -> DataFrame {
        match &self.cache {
            Some(rel) => {
                rel.release();
                let mut df = self.derive(rel.source_plan().clone());
                df.id = self.id;
                df
            }
            None => self.clone(),
        }
    }

    // ---- actions ----

    pub fn collect(&self) -> Result<Vec<RecordBatch>> {
        self.in_context(self.session.collect(&self.plan))
    }

    pub fn count(&self) -> Result<i64> {
        let plan = self.builder().aggregate(Vec::<Expr>::new(), vec![count(lit(1)).alias("count")])?.build()?;
        let batches = self.in_context(self.session.collect(&plan))?;
        let value = batches
            .iter()
            .find(|b| b.num_rows() > 0)
            .and_then(|b| b.column(0).as_any().downcast_ref::<datafusion::arrow::array::Int64Array>().map(|a| a.value(0)))
            .unwrap_or(0);
        Ok(value)
    }

    /// `show()`'s text: fetches `n + 1` rows to know whether to say "only showing top n".
    pub fn show_string(&self, n: usize, truncate: usize, vertical: bool) -> Result<String> {
        let batches = self.limit(n + 1)?.collect()?;
        Ok(crate::format::show_string(&self.schema(), &batches, n, truncate, vertical)?)
    }

    pub fn tree_string(&self, level: Option<usize>) -> String {
        crate::format::tree_string(&self.schema(), level)
    }

    /// `explain()`: the stage-split physical plan, plus logical plans when `extended`.
    pub fn explain_string(&self, extended: bool) -> Result<String> {
        crate::explain::explain(&self.session, &self.plan, extended)
    }

    pub fn output_names(exprs: &[Expr]) -> Vec<String> {
        exprs.iter().map(output_name).collect()
    }
}

/// Spark allows several output columns with one name (`agg(avg(x), mean(x))`); DataFusion
/// needs unique qualified names. For each output name: the hidden qualifier (`__dup1`,
/// `__dup2`, ...) its column gets when the name repeats, `None` when it is unique.
pub(crate) fn duplicate_qualifiers(names: &[String]) -> Vec<Option<String>> {
    let mut count: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for n in names {
        *count.entry(n.as_str()).or_default() += 1;
    }
    let mut occurrence: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    names
        .iter()
        .map(|n| {
            if count.get(n.as_str()).copied().unwrap_or(0) < 2 {
                return None;
            }
            let k = occurrence.entry(n.as_str()).or_default();
            *k += 1;
            Some(format!("__dup{k}"))
        })
        .collect()
}

/// Items whose output names repeat get distinct hidden qualifiers ([`duplicate_qualifiers`]).
fn distinct_names(items: Vec<Expr>) -> Vec<Expr> {
    let names: Vec<String> = items.iter().map(output_name).collect();
    let qualifiers = duplicate_qualifiers(&names);
    if qualifiers.iter().all(Option::is_none) {
        return items;
    }
    items
        .into_iter()
        .zip(names)
        .zip(qualifiers)
        .map(|((e, n), q)| match q {
            None => e,
            Some(q) => {
                let inner = match e {
                    Expr::Alias(a) => *a.expr,
                    other => other,
                };
                inner.alias_qualified(Some(q), n)
            }
        })
        .collect()
}

fn is_plain_aggregate(e: &Expr) -> bool {
    match e {
        Expr::Alias(a) => matches!(*a.expr, Expr::AggregateFunction(_)),
        Expr::AggregateFunction(_) => true,
        _ => false,
    }
}

fn key_column(schema: &DFSchema, key: &str, side: &str) -> Result<Column> {
    let hits: Vec<Column> =
        schema.iter().filter(|(_, f)| f.name().eq_ignore_ascii_case(key)).map(|(q, f)| Column::new(q.cloned(), f.name())).collect();
    match hits.as_slice() {
        [c] => Ok(c.clone()),
        [] => {
            let names: Vec<String> = schema.fields().iter().map(|f| format!("`{}`", f.name())).collect();
            Err(DriverError::Analysis(format!(
                "[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column `{key}` cannot be resolved on the {side} side of the join. The {side}-side columns: [{}].",
                names.join(", ")
            )))
        }
        _ => Err(DriverError::Analysis(format!("[AMBIGUOUS_REFERENCE] Reference `{key}` is ambiguous on the {side} side of the join."))),
    }
}

/// Spark's join type names.
pub fn parse_join_type(how: &str) -> Result<JoinType> {
    let normalized = how.to_ascii_lowercase().replace('_', "");
    Ok(match normalized.as_str() {
        "inner" => JoinType::Inner,
        "left" | "leftouter" => JoinType::Left,
        "right" | "rightouter" => JoinType::Right,
        "full" | "outer" | "fullouter" => JoinType::Full,
        "leftsemi" | "semi" => JoinType::LeftSemi,
        "leftanti" | "anti" => JoinType::LeftAnti,
        "cross" => JoinType::Inner,
        _ => {
            return Err(DriverError::IllegalArgument(format!(
                "Unsupported join type '{how}'. Supported join types include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'."
            )));
        }
    })
}

/// Whether a `CASE` is in the expressions of the top `depth` levels of `plan`.
fn case_near_top(plan: &LogicalPlan, depth: usize) -> bool {
    if depth == 0 {
        return false;
    }
    let mut found = false;
    let _ = plan.apply_expressions(|e| {
        found = e.exists(|x| Ok(matches!(x, Expr::Case(_))))?;
        Ok(if found { TreeNodeRecursion::Stop } else { TreeNodeRecursion::Continue })
    });
    found || plan.inputs().into_iter().any(|input| case_near_top(input, depth - 1))
}

/// `e` named by its last field when it reads a struct's field (see [`DataFrame::expand`]).
fn field_named(e: Expr) -> Expr {
    match &e {
        Expr::ScalarFunction(f)
            if f.func.name() == "get_field"
                && let [_, Expr::Literal(ScalarValue::Utf8(Some(field)), _)] = f.args.as_slice() =>
        {
            let field = field.clone();
            e.alias(field)
        }
        _ => e,
    }
}

/// Whether SQL text is just a dotted column path (`a.b.c`, parts possibly backticked).
fn is_column_path(text: &str) -> bool {
    let parts = crate::resolve::split_name(text.trim());
    parts.len() > 1 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'))
}
