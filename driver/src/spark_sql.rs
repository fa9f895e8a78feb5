//! `spark.sql(...)`: a statement parsed by Ember's Spark SQL parser (`ember_sql::parser`) is
//! run here: commands now ([`crate::sql_commands`]), queries planned lazily by DataFusion from
//! the parsed statement, with output columns named the way Spark names them.

use std::sync::Arc;

use datafusion::common::Column;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::logical_expr::{Expr, LogicalPlan, LogicalPlanBuilder};
use datafusion::sql::parser::Statement as DfStatement;
use datafusion::sql::sqlparser::ast;
use ember_sql::parser::{Statement, TableName};

use crate::catalog;
use crate::dataframe::DataFrame;
use crate::error::Result;
use crate::read::sql_paths::{PathTables, names_files};
use crate::session::Session;

/// Runs one SQL statement. Queries stay lazy; commands run now and return their output.
pub fn sql(session: &Arc<Session>, text: &str) -> Result<DataFrame> {
    Ok(run(session, ember_sql::parser::parse_statement(text)?, text)?.with_origin(text))
}

/// Runs a parsed statement; `text` is what the user wrote (for messages).
pub fn run(session: &Arc<Session>, statement: Statement, text: &str) -> Result<DataFrame> {
    crate::sql_commands::run(session, statement, text)
}

/// `spark.table(name)` / `FROM name`: a view, with Spark's message when it does not exist.
pub fn table(session: &Arc<Session>, name: &str) -> Result<DataFrame> {
    let (global, short) = catalog::split_name(name);
    if !catalog::view_exists(session.ctx(), &short, global)? {
        return Err(crate::error::table_not_found(name));
    }
    view(session, global, &short, name)
}

/// The view named by a parsed name, with Spark's message when it does not exist.
pub fn table_named(session: &Arc<Session>, name: &TableName) -> Result<DataFrame> {
    table(session, &name.to_string())
}

/// `SELECT * FROM` a view known to exist (`short` is its lower-case catalog name).
fn view(session: &Arc<Session>, global: bool, short: &str, shown: &str) -> Result<DataFrame> {
    let quoted = short.replace('`', "``");
    let relation = if global { format!("{}.`{quoted}`", catalog::GLOBAL_TEMP) } else { format!("`{quoted}`") };
    match ember_sql::parser::parse_statement(&format!("SELECT * FROM {relation}"))? {
        Statement::Query(q) => query(session, *q, shown),
        _ => Err(crate::error::table_not_found(shown)),
    }
}

/// Plans a parsed query lazily; `original` is the text it came from.
pub(crate) fn query(session: &Arc<Session>, statement: ast::Statement, original: &str) -> Result<DataFrame> {
    let state = session.ctx().state();
    let mut statement = statement;
    ember_sql::analyzer::analyze(&mut statement, &SessionRelations(session))?;
    let mut parsed = DfStatement::Statement(Box::new(statement));
    lowercase_relations(&mut parsed);
    // `format.`path`` relations, readable while the statement is planned.
    let _files = PathTables::register(session, &mut parsed)?;
    if let DfStatement::Statement(inner) = &mut parsed {
        let mut known = relation_columns(session, inner);
        known.extend(ember_sql::analyzer::names::defined_names(inner));
        ember_sql::analyzer::names::recase_identifiers(inner, &known);
        ember_sql::analyzer::names::hide_repeated_names(inner);
    }
    let plan = session.block_on(state.statement_to_plan(parsed.clone())).map_err(|e| locate(session, e, &parsed, original))?;
    // Names come from the plan as written; the rewrite keeps DataFusion's names underneath.
    let names = output_names(&plan);
    let plan = ember_sql::analyzer::set_operations::replace_marked(plan)?;
    let plan = ember_sql::semantics::spark_sql_rewrite(plan).map_err(|e| locate(session, e, &parsed, original))?;
    Ok(DataFrame::new(Arc::clone(session), rename_outputs(plan, names)?))
}

/// The error as Spark reports it, with Spark's `; line L pos P` where the statement wrote the
/// name that did not resolve: the place DataFusion's diagnostic points at, or else the table,
/// column or `GROUP BY` ordinal the message quotes.
/// `sql` is the statement's text, for errors placed by what is written around an expression.
fn locate(session: &Arc<Session>, e: datafusion::error::DataFusionError, parsed: &DfStatement, sql: &str) -> crate::error::DriverError {
    use ember_sql::analyzer::position;
    use ember_sql::parser::parse_error::Position;
    if let (Some(name), DfStatement::Statement(statement)) = (ambiguous_name(&e), parsed) {
        let err = crate::error::ambiguous_reference(&name, &ambiguous_candidates(session, statement, &name));
        return match position::column(statement, &name) {
            Some(p) => err.at(p.line, p.pos),
            None => err,
        };
    }
    let text = e.to_string();
    if let (Some(field), DfStatement::Statement(statement)) = (ember_sql::analyzer::missing_field::missing_field(&text), parsed)
        && let Some(message) = ember_sql::analyzer::missing_field::field_not_found(statement, field, &|q| schema_of(session, q))
    {
        return crate::error::DriverError::Analysis(message);
    }
    let diagnosed = e.diagnostic().and_then(|d| d.span).and_then(|s| {
        Position::from_location(datafusion::sql::sqlparser::tokenizer::Location { line: s.start.line, column: s.start.column })
    });
    let err = crate::error::DriverError::from(e);
    let (DfStatement::Statement(statement), crate::error::DriverError::Analysis(message)) = (parsed, &err) else {
        return err;
    };
    if message.starts_with("[MISSING_AGGREGATION]") && !has_group_by(statement) {
        return crate::error::missing_group_by().at(1, 0);
    }
    let quoted = message.split('`').nth(1).unwrap_or_default();
    // An unresolved `t`.`c` is found by its last part.
    let quoted = if message.starts_with("[UNRESOLVED_COLUMN") {
        message.split(" cannot be resolved").next().and_then(|m| m.rsplit('`').nth(1)).unwrap_or(quoted)
    } else {
        quoted
    };
    if message.starts_with("[UNRESOLVED_COLUMN") {
        let columns = |relation: &str| columns_of(session, relation).map_err(|e| ember_sql::error::SqlError::Analysis(e.to_string()));
        if let Some(using) = ember_sql::analyzer::using_join::unresolved_using_column(statement, quoted, &columns) {
            return crate::error::DriverError::Analysis(using);
        }
    }
    let at = if message.starts_with("[TABLE_OR_VIEW_NOT_FOUND]") {
        position::relation(statement, quoted)
    } else if message.starts_with("[UNRESOLVED_COLUMN") {
        position::column(statement, quoted)
    } else if message.starts_with("[GROUP_BY_POS_OUT_OF_RANGE]") {
        let n = message.split("position ").nth(1).and_then(|r| r.split(' ').next()).unwrap_or_default();
        position::group_by_ordinal(statement, n)
    } else if message.starts_with("[ORDER_BY_POS_OUT_OF_RANGE]") {
        let n = message.split("position ").nth(1).and_then(|r| r.split(' ').next()).unwrap_or_default();
        position::order_by_ordinal(statement, n)
    } else if message.starts_with("[INVALID_EXTRACT_FIELD]") {
        ["extract", "date_part", "datepart"].into_iter().find_map(|name| position::function_call(statement, name))
    } else if message.starts_with("[DATATYPE_MISMATCH.BINARY_OP") {
        position::binary_operation(statement, message.split('"').nth(1).unwrap_or_default())
    } else if message.starts_with("[DATATYPE_MISMATCH.CAST_WITH") && message.contains("to \"BINARY\"") {
        position::binary_cast(statement, sql)
    } else if message.starts_with("[UNRESOLVED_ROUTINE]") {
        diagnosed
    } else if message.starts_with("[INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH]") {
        let declared = message.split("expects ").nth(1).and_then(|r| r.split(' ').next()).and_then(|n| n.parse().ok());
        declared.and_then(|n| position::lambda(statement, n))
    } else if message.starts_with("[DATATYPE_MISMATCH.UNEXPECTED_") {
        // `Cannot resolve "f(...)"`: the call of `f`.
        let function = message.split("Cannot resolve \"").nth(1).and_then(|r| r.split('(').next()).unwrap_or_default();
        // Else an operator's operand (`INTERVAL '1' YEAR + INTERVAL '1' DAY`).
        let operand = message.split("however \"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default();
        position::function_call(statement, function).or_else(|| position::binary_operand(statement, operand))
    } else if message.starts_with("[WRONG_NUM_ARGS") {
        position::function_call(statement, quoted)
    } else {
        None
    };
    match at {
        Some(p) => err.at(p.line, p.pos),
        None => err,
    }
}

/// Whether the query's top `SELECT` groups (`GROUP BY` anything, `GROUP BY ALL` included).
fn has_group_by(statement: &ast::Statement) -> bool {
    let ast::Statement::Query(q) = statement else {
        return true;
    };
    match q.body.as_ref() {
        ast::SetExpr::Select(s) => match &s.group_by {
            ast::GroupByExpr::All(_) => true,
            ast::GroupByExpr::Expressions(e, _) => !e.is_empty(),
        },
        _ => true,
    }
}

/// The session's relations, as the analyzer reads them: planned.
struct SessionRelations<'a>(&'a Arc<Session>);

impl ember_sql::analyzer::Relations for SessionRelations<'_> {
    fn columns_of(&self, relation: &str) -> ember_sql::error::Result<Vec<String>> {
        columns_of(self.0, relation).map_err(|e| ember_sql::error::SqlError::Analysis(e.to_string()))
    }

    fn schema_of(&self, query: &str) -> ember_sql::error::Result<datafusion::arrow::datatypes::SchemaRef> {
        schema_of(self.0, query)
    }
}

/// The columns of a relation as written in a `FROM` clause (a table, a view, a CTE-free
/// subquery in parentheses): it is planned.
fn columns_of(session: &Arc<Session>, relation: &str) -> Result<Vec<String>> {
    sql(session, &format!("SELECT * FROM {relation}")).map(|df| df.columns())
}

/// The output schema of a query given as text (for the analyzer's rewrites that need types).
fn schema_of(session: &Arc<Session>, query: &str) -> ember_sql::error::Result<datafusion::arrow::datatypes::SchemaRef> {
    sql(session, query).map(|df| df.schema()).map_err(|e| ember_sql::error::SqlError::Analysis(e.to_string()))
}

/// The column an unqualified reference matched in more than one relation.
fn ambiguous_name(e: &datafusion::error::DataFusionError) -> Option<String> {
    use datafusion::common::SchemaError;
    match e.find_root() {
        datafusion::error::DataFusionError::SchemaError(err, _) => match err.as_ref() {
            SchemaError::AmbiguousReference { field } => Some(field.name.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The relations of the query's `FROM` that have a column `name`, as Spark lists them for an
/// ambiguous reference: `` `alias`.`name` `` in the order they are read.
fn ambiguous_candidates(session: &Arc<Session>, statement: &ast::Statement, name: &str) -> Vec<String> {
    let ast::Statement::Query(query) = statement else {
        return Vec::new();
    };
    let ast::SetExpr::Select(select) = query.body.as_ref() else {
        return Vec::new();
    };
    let factors = select.from.iter().flat_map(|t| std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)));
    let mut candidates = Vec::new();
    for factor in factors {
        let (qualifier, relation) = match factor {
            ast::TableFactor::Table { name: table, alias, .. } => {
                let last = table.0.last().and_then(|p| p.as_ident()).map(|i| i.value.clone()).unwrap_or_default();
                (alias.as_ref().map_or(last, |a| a.name.value.clone()), table.to_string())
            }
            ast::TableFactor::Derived { subquery, alias: Some(alias), .. } => (alias.name.value.clone(), format!("({subquery})")),
            _ => continue,
        };
        let columns = columns_of(session, &relation).unwrap_or_default();
        if let Some(column) = columns.iter().find(|c| c.eq_ignore_ascii_case(name)) {
            candidates.push(format!("`{qualifier}`.`{column}`"));
        }
    }
    candidates
}

/// The column names of the catalog relations a statement reads (for case-insensitive names).
fn relation_columns(session: &Arc<Session>, statement: &ast::Statement) -> Vec<String> {
    use datafusion::sql::sqlparser::ast::visit_relations;
    let mut relations = Vec::new();
    let _ = visit_relations(statement, |name| {
        relations.push(name.to_string());
        std::ops::ControlFlow::<()>::Continue(())
    });
    let mut columns = Vec::new();
    for relation in relations {
        // A CTE or an unknown table has no provider; planning reports the latter.
        let reference = datafusion::common::TableReference::parse_str(&relation);
        if let Ok(provider) = session.block_on(session.ctx().table_provider(reference)) {
            columns.extend(provider.schema().fields().iter().map(|f| f.name().clone()));
        }
    }
    columns
}

/// Spark's table and view names are case-insensitive (views are kept lower-case).
fn lowercase_relations(statement: &mut DfStatement) {
    use datafusion::sql::sqlparser::ast::visit_relations_mut;
    let DfStatement::Statement(inner) = statement else {
        return;
    };
    let _ = visit_relations_mut(inner.as_mut(), |name| {
        if names_files(name) {
            return std::ops::ControlFlow::Continue(());
        }
        for part in name.0.iter_mut() {
            if let datafusion::sql::sqlparser::ast::ObjectNamePart::Identifier(id) = part {
                id.value = id.value.to_lowercase();
            }
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
}

/// Renames a query's output columns to the names Spark would give them.
fn rename_outputs(plan: LogicalPlan, names: Vec<String>) -> Result<LogicalPlan> {
    let current: Vec<String> = plan.schema().fields().iter().map(|f| f.name().clone()).collect();
    if names == current || names.len() != current.len() {
        return Ok(plan);
    }
    // Spark allows duplicate output names; DataFusion only with distinct qualifiers.
    let qualifiers = crate::dataframe::duplicate_qualifiers(&names);
    let items: Vec<Expr> = plan
        .schema()
        .iter()
        .zip(names)
        .zip(qualifiers)
        .map(|(((q, f), n), hidden)| Expr::Column(Column::new(q.cloned(), f.name())).alias_qualified(hidden, n))
        .collect();
    Ok(LogicalPlanBuilder::from(plan).project(items)?.build()?)
}

fn output_names(plan: &LogicalPlan) -> Vec<String> {
    match plan {
        LogicalPlan::Projection(p) => {
            // A column planned under a hidden name below (an `ORDER BY` of a column that is
            // not selected adds a projection on top) takes the name it has there.
            let below = std::cell::OnceCell::new();
            p.expr
                .iter()
                .map(|e| match e {
                    Expr::Column(c) if c.name.starts_with(ember_sql::analyzer::names::HIDDEN_NAME) => {
                        let names = below.get_or_init(|| output_names(&p.input));
                        p.input.schema().index_of_column(c).ok().and_then(|i| names.get(i).cloned()).unwrap_or_else(|| c.name.clone())
                    }
                    _ => name_of(e, &p.input),
                })
                .collect()
        }
        LogicalPlan::Sort(s) => output_names(&s.input),
        LogicalPlan::Limit(l) => output_names(&l.input),
        LogicalPlan::Filter(f) => output_names(&f.input),
        LogicalPlan::Distinct(datafusion::logical_expr::Distinct::All(input)) => output_names(input),
        LogicalPlan::Aggregate(a) => a.group_expr.iter().chain(&a.aggr_expr).map(|e| name_of(e, &a.input)).collect(),
        // DataFusion names `VALUES` columns `column1`, ...; Spark `col1`, ...
        LogicalPlan::Values(v) => (1..=v.schema.fields().len()).map(|i| format!("col{i}")).collect(),
        _ => plan.schema().fields().iter().map(|f| f.name().clone()).collect(),
    }
}

/// DataFusion's alias of `count(*)` (`count(*) FILTER (WHERE ...)` with a filter).
fn is_count_star(alias: &str) -> bool {
    alias == "count(*)" || alias.starts_with("count(*) FILTER ")
}

fn name_of(e: &Expr, input: &LogicalPlan) -> String {
    match e {
        // DataFusion's own alias for `count(*)`; Spark calls it `count(1)`.
        Expr::Alias(a) if is_count_star(&a.name) => {
            let called = match &*a.expr {
                Expr::Column(c) => origin(c, input),
                _ => None,
            };
            ember_sql::spark_name(called.as_ref().unwrap_or(&a.expr))
        }
        Expr::Alias(a) if a.name.starts_with(ember_sql::analyzer::names::HIDDEN_NAME) => name_of(&a.expr, input),
        // DataFusion names a struct field read by dot after its path (`user.name`).
        Expr::Alias(a) if a.name.contains('.') && matches!(&*a.expr, Expr::ScalarFunction(f) if f.func.name() == "get_field") => {
            name_of(&a.expr, input)
        }
        Expr::Alias(a) => {
            // The call may be below (an aggregate), aliased here with the name as written.
            let called = match &*a.expr {
                Expr::Column(c) => origin(c, input),
                _ => None,
            };
            ember_sql::naming::called_name(&a.name, called.as_ref().unwrap_or(&a.expr)).unwrap_or_else(|| a.name.clone())
        }
        // A grouped struct field (`GROUP BY user.name`) is named after the field, as selected.
        Expr::Column(c)
            if let (LogicalPlan::Aggregate(a), Some(o)) = (input, origin(c, input))
                && let Expr::Column(named) = field_access_names(&o, &a.input) =>
        {
            named.name
        }
        _ => {
            let inlined = field_access_names(e, input)
                .transform_up(|x| match &x {
                    Expr::Column(c) => Ok(match origin(c, input) {
                        Some(o) => Transformed::yes(o),
                        None => Transformed::no(x),
                    }),
                    _ => Ok(Transformed::no(x)),
                })
                .map(|t| t.data)
                .unwrap_or_else(|_| e.clone());
            match &inlined {
                Expr::Column(c) => c.name.clone(),
                other => ember_sql::naming::spark_sql_name(other),
            }
        }
    }
}

/// Spark names a column that is a struct field (or map value) read by dot after the field
/// alone (`user.home.city` is `city`, `attrs.color` is `color`; inside an expression it stays
/// `user.home.city`).
fn field_access_names(e: &Expr, input: &LogicalPlan) -> Expr {
    use datafusion::arrow::datatypes::DataType;
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ExprSchemable;
    let mut root = true;
    e.clone()
        .transform_down(|x| {
            let at_root = std::mem::replace(&mut root, false);
            let Expr::ScalarFunction(f) = &x else {
                return Ok(Transformed::no(x));
            };
            let (Some(base), Some(Expr::Literal(ScalarValue::Utf8(Some(key)), _)), 2) = (f.args.first(), f.args.get(1), f.args.len())
            else {
                return Ok(Transformed::no(x));
            };
            if f.func.name() != "get_field" {
                return Ok(Transformed::no(x));
            }
            let named = match base.get_type(input.schema()) {
                Ok(DataType::Struct(_) | DataType::Map(..)) if at_root => key.clone(),
                _ => return Ok(Transformed::no(x)),
            };
            Ok(Transformed::new(Expr::Column(Column::new_unqualified(named)), true, datafusion::common::tree_node::TreeNodeRecursion::Jump))
        })
        .map(|t| t.data)
        .unwrap_or_else(|_| e.clone())
}

/// The expression that produced column `c` below a projection (an aggregate or window).
fn origin(c: &Column, plan: &LogicalPlan) -> Option<Expr> {
    match plan {
        // `GROUP BY ALL` groups by the select items as written, aliases included: the column
        // is the alias.
        LogicalPlan::Aggregate(a)
            if a.group_expr.iter().any(|e| {
                matches!(e, Expr::Alias(al) if al.name == c.name && !al.name.starts_with(ember_sql::analyzer::names::HIDDEN_NAME)
                    && ember_sql::naming::called_name(&al.name, &al.expr).is_none())
            }) =>
        {
            Some(Expr::Column(Column::new_unqualified(c.name.clone())))
        }
        LogicalPlan::Aggregate(a) => a
            .group_expr
            .iter()
            .chain(&a.aggr_expr)
            .find(|e| !matches!(e, Expr::Column(_)) && e.schema_name().to_string() == c.name)
            .cloned()
            .map(|e| match e {
                Expr::Alias(a) if is_count_star(&a.name) => *a.expr,
                // A call under another of the function's names is named as written.
                Expr::Alias(a) => match ember_sql::naming::called_name(&a.name, &a.expr) {
                    Some(called) => Expr::Column(Column::new_unqualified(called)),
                    None => *a.expr,
                },
                other => other,
            }),
        LogicalPlan::Window(w) => {
            w.window_expr.iter().find(|e| e.schema_name().to_string() == c.name).cloned().or_else(|| origin(c, &w.input))
        }
        LogicalPlan::Filter(f) => origin(c, &f.input),
        LogicalPlan::Sort(s) => origin(c, &s.input),
        LogicalPlan::Limit(l) => origin(c, &l.input),
        LogicalPlan::Projection(p) => {
            p.expr.iter().find(|e| !matches!(e, Expr::Column(_) | Expr::Alias(_)) && e.schema_name().to_string() == c.name).cloned()
        }
        _ => None,
    }
}
