//! Spark's generators over arrays in SQL, as DataFusion's `unnest` plans them:
//!
//! - `SELECT explode(a)` is `unnest(a)` (rows with a NULL or empty array dropped) and
//!   `explode_outer(a)` is `unnest_outer(a)` (one NULL row for them); Spark names the column
//!   `col`. `posexplode(a)` adds the position of each element (`pos`, from 0) before it.
//! - `FROM t LATERAL VIEW [OUTER] explode(a) v AS c` reads `t` with one more column `c`, one row
//!   per element: `FROM (SELECT *, unnest(a) AS c FROM t) AS t`. References to `v.c` become `c`.
//!   `explode(m) v AS k, w` (two columns: a map) unnests the map's keys and values side by side;
//!   `posexplode(a) v AS p, c` the positions and the elements.
//! - `inline(a)` of an array of structs gives one column per field (named after it, or by the
//!   aliases in order): each is the field of `unnest(a)`, and the unnests run in step.
//!
//! Spark refuses `explode` of what is neither an array nor a map (DataFusion would expand a
//! struct), so each generator's input is planned for its type ([`SchemaOf`]), as are the
//! fields `inline` makes columns of.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, ObjectName, Query, Select, SelectItem, SetExpr, TableFactor, VisitorMut,
    visit_expressions_mut,
};

use super::rewrite::{SchemaOf, from_clause, parse_query, quoted, unsupported, visit, with_clause};
use crate::error::{Result, SqlError};
use crate::parser::parse_error::Position;

/// Rewrites the generators of every query of a statement.
pub fn rewrite_statement(statement: &mut datafusion::sql::sqlparser::ast::Statement, schema_of: SchemaOf<'_>) -> Result<()> {
    visit(statement, &mut Rewriter { schema_of })
}

struct Rewriter<'a> {
    schema_of: SchemaOf<'a>,
}

/// What a generator's input is planned with: the query's `WITH` and the select's `FROM`.
struct Scope<'a> {
    with: String,
    from: String,
    schema_of: SchemaOf<'a>,
}

impl Scope<'_> {
    /// The type of `arg` and Spark's name for it, when it plans (else planning reports it).
    fn input(&self, arg: &Expr) -> Option<(datafusion::arrow::datatypes::DataType, String)> {
        let schema = (self.schema_of)(&format!("{}SELECT {arg}{}", self.with, self.from)).ok()?;
        let field = schema.fields().first()?;
        Some((field.data_type().clone(), field.name().clone()))
    }

    /// Spark's refusal of a generator over what is not an array or a map.
    /// `lead` is how far before the call Spark places the error (`LATERAL VIEW ` of a lateral
    /// view, whose node keeps no position of its own: written with single spaces).
    fn check(&self, call: &datafusion::sql::sqlparser::ast::Function, arg: &Expr, lead: usize) -> Result<()> {
        use datafusion::arrow::datatypes::DataType;
        let Some((data_type, shown)) = self.input(arg) else {
            return Ok(());
        };
        if matches!(
            data_type,
            DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..) | DataType::Map(..) | DataType::Null
        ) {
            return Ok(());
        }
        let name = call.name.to_string().to_ascii_lowercase();
        let at = located(call, lead);
        Err(SqlError::Analysis(format!(
            "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"{name}({shown})\" due to data type mismatch: The first parameter requires the (\"ARRAY\" or \"MAP\") type, however \"{shown}\" has the type \"{}\". SQLSTATE: 42K09{at}",
            crate::types::sql_type(&data_type)
        )))
    }

    /// The fields of the structs of the array `arg` (for `inline`).
    fn struct_fields(&self, call: &datafusion::sql::sqlparser::ast::Function, arg: &Expr) -> Result<Vec<String>> {
        use datafusion::arrow::datatypes::DataType;
        let Some((data_type, shown)) = self.input(arg) else {
            return Err(unsupported(&format!("{} of this input", call.name)));
        };
        if let DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) = &data_type
            && let DataType::Struct(fields) = f.data_type()
        {
            return Ok(fields.iter().map(|f| f.name().clone()).collect());
        }
        let name = call.name.to_string().to_ascii_lowercase();
        Err(SqlError::Analysis(format!(
            "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"{name}({shown})\" due to data type mismatch: The first parameter requires the \"ARRAY<STRUCT>\" type, however \"{shown}\" has the type \"{}\". SQLSTATE: 42K09{}",
            crate::types::sql_type(&data_type),
            located(call, 0)
        )))
    }
}

/// Spark's `; line L pos P` of a call, `lead` characters before it.
fn located(call: &datafusion::sql::sqlparser::ast::Function, lead: usize) -> String {
    Position::from_location(datafusion::sql::sqlparser::ast::Spanned::span(call).start)
        .filter(|p| p.pos >= lead)
        .map(|p| Position { line: p.line, pos: p.pos - lead }.suffix())
        .unwrap_or_default()
}

/// `get_field(unnest(a), 'f')`: one field of the structs `a` holds, a row per element.
fn field_of_unnest(unnest: &str, array: &Expr, field: &str) -> String {
    format!("get_field({unnest}({array}), '{}')", field.replace('\'', "''"))
}

impl VisitorMut for Rewriter<'_> {
    type Break = SqlError;

    fn post_visit_query(&mut self, query: &mut Query) -> ControlFlow<SqlError> {
        let with = with_clause(query);
        match rewrite_set_expr(&mut query.body, &with, self.schema_of) {
            Ok(renamed) => {
                if !renamed.is_empty() {
                    let _ = visit_expressions_mut(&mut query.order_by, |e| {
                        unqualify(e, &renamed);
                        ControlFlow::<()>::Continue(())
                    });
                }
                ControlFlow::Continue(())
            }
            Err(e) => ControlFlow::Break(e),
        }
    }
}

/// Rewrites the selects of a query body; returns the lateral view names whose references were
/// unqualified (the query's `ORDER BY` may use them too).
fn rewrite_set_expr(body: &mut SetExpr, with: &str, schema_of: SchemaOf<'_>) -> Result<Vec<String>> {
    match body {
        SetExpr::Select(select) => {
            let scope = Scope { with: with.to_string(), from: from_clause(select), schema_of };
            select_generators(select, &scope)?;
            lateral_views(select, &scope)
        }
        SetExpr::SetOperation { left, right, .. } => {
            rewrite_set_expr(left, with, schema_of)?;
            rewrite_set_expr(right, with, schema_of)?;
            Ok(vec![])
        }
        _ => Ok(vec![]),
    }
}

/// The `unnest` function DataFusion has for a Spark generator, by the generator's name.
fn unnest_for(name: &ObjectName) -> Option<&'static str> {
    unnest_of(name, "explode")
}

/// `unnest` for the generator `spark` and `unnest_outer` for `spark_outer`, when `name` is one.
fn unnest_of(name: &ObjectName, spark: &str) -> Option<&'static str> {
    let [part] = name.0.as_slice() else {
        return None;
    };
    let written = part.as_ident()?.value.to_ascii_lowercase();
    match written.strip_prefix(spark)? {
        "" => Some("unnest"),
        "_outer" => Some("unnest_outer"),
        _ => None,
    }
}

/// `explode(a)`, `posexplode(a)` and `inline(a)` in a select list.
fn select_generators(select: &mut Select, scope: &Scope<'_>) -> Result<()> {
    let mut items = Vec::with_capacity(select.projection.len());
    for item in std::mem::take(&mut select.projection) {
        let (expr, aliases) = match &item {
            SelectItem::UnnamedExpr(e) => (e, vec![]),
            SelectItem::ExprWithAlias { expr, alias } => (expr, vec![alias.clone()]),
            SelectItem::ExprWithAliases { expr, aliases } => (expr, aliases.clone()),
            _ => {
                items.push(item);
                continue;
            }
        };
        let Expr::Function(call) = expr else {
            items.push(item);
            continue;
        };
        if let Some(unnest) = inline_for(&call.name)
            && let Some(array) = single_argument(call)
        {
            let fields = scope.struct_fields(call, array)?;
            let names: Vec<Ident> = if aliases.is_empty() { fields.iter().map(|f| Ident::with_quote('`', f)).collect() } else { aliases };
            if names.len() != fields.len() {
                return Err(alias_count(fields.len(), &names));
            }
            for (field, name) in fields.iter().zip(names) {
                let (expr, _) = crate::parser::parse_expression(&field_of_unnest(unnest, array, field))?;
                items.push(SelectItem::ExprWithAlias { expr, alias: name });
            }
            continue;
        }
        if let Some(array) = single_argument(call)
            && (unnest_for(&call.name).is_some() || positional_unnest_for(&call.name).is_some())
        {
            scope.check(call, array, 0)?;
            if let Some(columns) = map_columns(call, array, &aliases, scope)? {
                for (expr, alias) in columns {
                    let (expr, _) = crate::parser::parse_expression(&expr)?;
                    items.push(SelectItem::ExprWithAlias { expr, alias });
                }
                continue;
            }
        }
        if let Some(unnest) = unnest_for(&call.name)
            && aliases.len() <= 1
        {
            let mut call = call.clone();
            call.name = ObjectName::from(vec![Ident::new(unnest)]);
            let alias = aliases.into_iter().next().unwrap_or_else(|| Ident::new("col"));
            items.push(SelectItem::ExprWithAlias { expr: Expr::Function(call), alias });
        } else if let Some(unnest) = positional_unnest_for(&call.name)
            && let Some(array) = single_argument(call)
            && matches!(aliases.len(), 0 | 2)
        {
            // Positions count from 0 as `int`s, one per element, beside the elements.
            let (pos, col) = match aliases.as_slice() {
                [p, c] => (p.clone(), c.clone()),
                _ => (Ident::new("pos"), Ident::new("col")),
            };
            let positions = positions_of(unnest, array);
            match crate::parser::parse_expression(&positions) {
                Ok((positions, _)) => {
                    items.push(SelectItem::ExprWithAlias { expr: positions, alias: pos });
                    let mut call = call.clone();
                    call.name = ObjectName::from(vec![Ident::new(unnest)]);
                    items.push(SelectItem::ExprWithAlias { expr: Expr::Function(call), alias: col });
                }
                Err(_) => items.push(item),
            }
        } else {
            items.push(item);
        }
    }
    select.projection = items;
    Ok(())
}

/// `explode(m)` / `posexplode(m)` of a map in a select list: Spark's `key` and `value` columns
/// (after `pos`), as `unnest`s of the keys and the values side by side; `None` when `arg` is no
/// map.
fn map_columns(
    call: &datafusion::sql::sqlparser::ast::Function,
    arg: &Expr,
    aliases: &[Ident],
    scope: &Scope<'_>,
) -> Result<Option<Vec<(String, Ident)>>> {
    if !matches!(scope.input(arg), Some((datafusion::arrow::datatypes::DataType::Map(..), _))) {
        return Ok(None);
    }
    let (unnest, positional) = match (unnest_for(&call.name), positional_unnest_for(&call.name)) {
        (Some(u), _) => (u, false),
        (_, Some(u)) => (u, true),
        _ => return Ok(None),
    };
    let defaults: &[&str] = if positional { &["pos", "key", "value"] } else { &["key", "value"] };
    if !aliases.is_empty() && aliases.len() != defaults.len() {
        return Err(alias_count(defaults.len(), aliases));
    }
    let name = |i: usize| aliases.get(i).cloned().unwrap_or_else(|| Ident::new(defaults[i]));
    let mut columns = Vec::with_capacity(defaults.len());
    if positional {
        columns.push((positions_of(unnest, arg), name(0)));
    }
    let at = usize::from(positional);
    let [keys, values] = entries_of(unnest, arg);
    columns.push((keys, name(at)));
    columns.push((values, name(at + 1)));
    Ok(Some(columns))
}

/// The positions of an array's elements, from 0 as `int`s, one row per element (`pos`).
fn positions_of(unnest: &str, array: &Expr) -> String {
    format!("CAST({unnest}(range(0, cardinality({array}))) AS INT)")
}

/// A map's keys and its values, one row per entry, in step (`key`, `value`).
fn entries_of(unnest: &str, map: &Expr) -> [String; 2] {
    [format!("{unnest}(map_keys({map}))"), format!("{unnest}(map_values({map}))")]
}

/// The `unnest` function for Spark's `inline` and `inline_outer`.
fn inline_for(name: &ObjectName) -> Option<&'static str> {
    unnest_of(name, "inline")
}

/// Spark's error for aliases that do not name every column a generator makes (Spark prints
/// the aliases given where it means their number).
pub fn alias_count(columns: usize, aliases: &[Ident]) -> SqlError {
    let given: Vec<&str> = aliases.iter().map(|a| a.value.as_str()).collect();
    SqlError::Analysis(format!(
        "[UDTF_ALIAS_NUMBER_MISMATCH] The number of aliases supplied in the AS clause does not match the number of columns output by the UDTF.\nExpected {columns} aliases, but got {}.\nPlease ensure that the number of aliases provided matches the number of columns output by the UDTF. SQLSTATE: 42802",
        given.join(", ")
    ))
}

/// The `unnest` function for Spark's `posexplode` and `posexplode_outer`.
fn positional_unnest_for(name: &ObjectName) -> Option<&'static str> {
    unnest_of(name, "posexplode")
}

/// The one positional argument of a call.
fn single_argument(call: &datafusion::sql::sqlparser::ast::Function) -> Option<&Expr> {
    match &call.args {
        FunctionArguments::List(list) => match list.args.as_slice() {
            [FunctionArg::Unnamed(FunctionArgExpr::Expr(e))] => Some(e),
            _ => None,
        },
        _ => None,
    }
}

/// `LATERAL VIEW`s, innermost first. Each generates its rows in the relation of the `FROM` its
/// input reads (so the other relations keep their names): over joins that is the same as
/// generating them after the join, unless that relation is the side of an outer join that
/// may be NULL, which Ember refuses.
fn lateral_views(select: &mut Select, scope: &Scope<'_>) -> Result<Vec<String>> {
    if select.lateral_views.is_empty() {
        return Ok(vec![]);
    }
    let mut renamed = Vec::new();
    for mut view in std::mem::take(&mut select.lateral_views) {
        let Expr::Function(call) = view.lateral_view else {
            return Err(unsupported("LATERAL VIEW of something that is not a generator call"));
        };
        let Some(argument) = single_argument(&call) else {
            return Err(unsupported(&format!("LATERAL VIEW {} with other than one argument", call.name)));
        };
        let (at, alias) = target_relation(select, argument, scope)?;
        let unnest = if view.outer { "unnest_outer" } else { "unnest" };
        view.lateral_col_alias.retain(|a| a.value != crate::parser::lateral_view::NO_ALIASES);
        let name = |i: usize, default: &str| view.lateral_col_alias.get(i).map_or_else(|| default.to_string(), |a| a.value.clone());
        let aliases = view.lateral_col_alias.len();
        if unnest_for(&call.name).is_some() || positional_unnest_for(&call.name).is_some() {
            let lead = if view.outer { "LATERAL VIEW OUTER ".len() } else { "LATERAL VIEW ".len() };
            scope.check(&call, argument, lead)?;
        }
        // The generated columns, as `unnest`s side by side (they run in step).
        let columns: Vec<(String, String)> = if inline_for(&call.name).is_some() {
            let fields = scope.struct_fields(&call, argument)?;
            if aliases != 0 && aliases != fields.len() {
                return Err(alias_count(fields.len(), &view.lateral_col_alias));
            }
            fields.iter().enumerate().map(|(i, f)| (field_of_unnest(unnest, argument, f), name(i, f))).collect()
        } else if unnest_for(&call.name).is_some() && aliases <= 1 {
            vec![(format!("{unnest}({argument})"), name(0, "col"))]
        } else if unnest_for(&call.name).is_some() && aliases == 2 {
            // Two columns of `explode` are a map's keys and values.
            let [keys, values] = entries_of(unnest, argument);
            vec![(keys, name(0, "key")), (values, name(1, "value"))]
        } else if positional_unnest_for(&call.name).is_some() && matches!(aliases, 0 | 2) {
            vec![(positions_of(unnest, argument), name(0, "pos")), (format!("{unnest}({argument})"), name(1, "col"))]
        } else {
            return Err(unsupported(&format!("LATERAL VIEW {} into {aliases} columns", call.name)));
        };
        let generated: Vec<String> = columns.iter().map(|(e, c)| format!("{e} AS {}", quoted(c))).collect();
        let relation = factor_mut(select, at).ok_or_else(|| unsupported("LATERAL VIEW over this relation"))?;
        *relation = derived(&format!("(SELECT *, {} FROM {relation}) AS {}", generated.join(", "), quoted(&alias)))?;
        renamed.extend(view.lateral_view_name.0.last().and_then(|p| p.as_ident()).map(|i| i.value.clone()));
    }
    let _ = visit_expressions_mut(select, |e| {
        unqualify(e, &renamed);
        ControlFlow::<()>::Continue(())
    });
    Ok(renamed)
}

/// Where a relation of the `FROM` is: (which item, and `None` for its first relation or the
/// join that reads it).
type RelationAt = (usize, Option<usize>);

fn factor_mut(select: &mut Select, (i, j): RelationAt) -> Option<&mut TableFactor> {
    let item = select.from.get_mut(i)?;
    match j {
        None => Some(&mut item.relation),
        Some(j) => item.joins.get_mut(j).map(|join| &mut join.relation),
    }
}

/// The name a relation is known by in the query (its alias, or the table's name).
fn relation_name(factor: &TableFactor) -> Option<String> {
    match factor {
        TableFactor::Table { alias: Some(a), .. } | TableFactor::Derived { alias: Some(a), .. } => Some(a.name.value.clone()),
        TableFactor::Table { name, .. } => name.0.last().and_then(|p| p.as_ident()).map(|i| i.value.clone()),
        _ => None,
    }
}

/// The relation a lateral view's input reads: the one its qualifier names, else the first
/// that has what it reads; and that relation's name.
fn target_relation(select: &Select, argument: &Expr, scope: &Scope<'_>) -> Result<(RelationAt, String)> {
    use datafusion::sql::sqlparser::ast::{JoinOperator, visit_expressions};
    let mut relations: Vec<(RelationAt, &TableFactor, bool)> = Vec::new();
    for (i, item) in select.from.iter().enumerate() {
        relations.push(((i, None), &item.relation, false));
        for (j, join) in item.joins.iter().enumerate() {
            let inner = matches!(join.join_operator, JoinOperator::Join(_) | JoinOperator::Inner(_) | JoinOperator::CrossJoin(_));
            let left = matches!(join.join_operator, JoinOperator::Left(_) | JoinOperator::LeftOuter(_));
            if !inner && !left {
                return Err(unsupported("LATERAL VIEW over a RIGHT, FULL, SEMI or ANTI join"));
            }
            relations.push(((i, Some(j)), &join.relation, left));
        }
    }
    let mut qualifiers = Vec::new();
    let _ = visit_expressions(argument, |e| {
        if let Expr::CompoundIdentifier(parts) = e
            && parts.len() > 1
        {
            qualifiers.push(parts[0].value.clone());
        }
        ControlFlow::<()>::Continue(())
    });
    let named = |f: &TableFactor, q: &str| relation_name(f).is_some_and(|n| n.eq_ignore_ascii_case(q));
    let found = if relations.len() == 1 {
        relations.first()
    } else if let Some(q) = qualifiers.iter().find(|q| relations.iter().any(|(_, f, _)| named(f, q))) {
        relations.iter().find(|(_, f, _)| named(f, q))
    } else {
        relations.iter().find(|(_, f, _)| (scope.schema_of)(&format!("{}SELECT {argument} FROM {f}", scope.with)).is_ok())
    };
    let Some((at, factor, nullable)) = found else {
        return Err(unsupported("LATERAL VIEW whose input reads no single relation of the FROM"));
    };
    if *nullable {
        return Err(unsupported("LATERAL VIEW over the NULL side of an outer join"));
    }
    // A subquery without an alias is read under a name of Ember's own (no column reads it).
    let name = match (relation_name(factor), factor) {
        (Some(name), _) => name,
        (None, TableFactor::Derived { alias: None, .. }) => "__ember_lateral".to_string(),
        (None, _) => return Err(unsupported("LATERAL VIEW over this relation")),
    };
    Ok((*at, name))
}

/// `v.c` where `v` is a lateral view's name is the column `c`.
fn unqualify(e: &mut Expr, views: &[String]) {
    if let Expr::CompoundIdentifier(parts) = e
        && let [view, column] = parts.as_slice()
        && views.iter().any(|v| v.eq_ignore_ascii_case(&view.value))
    {
        *e = Expr::Identifier(column.clone());
    }
}

/// The relation `text` (a parenthesized query with an alias) as a table factor.
fn derived(text: &str) -> Result<TableFactor> {
    let mut q = parse_query(&format!("SELECT * FROM {text}"), "LATERAL VIEW")?;
    match q.body.as_mut() {
        SetExpr::Select(s) if s.from.len() == 1 => Ok(s.from.remove(0).relation),
        _ => Err(unsupported("LATERAL VIEW")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::Statement as Parsed;

    fn rewritten(sql: &str) -> String {
        let Ok(Parsed::Query(mut q)) = crate::parser::parse_statement(sql) else { unreachable!("{sql}") };
        let schema_of = |_: &str| -> Result<datafusion::arrow::datatypes::SchemaRef> {
            use datafusion::arrow::datatypes::{DataType, Field, Schema};
            let list = DataType::List(std::sync::Arc::new(Field::new("item", DataType::Int32, true)));
            Ok(std::sync::Arc::new(Schema::new(vec![Field::new("a", list, true)])))
        };
        rewrite_statement(&mut q, &schema_of).unwrap();
        q.to_string()
    }

    #[test]
    fn explode_is_unnest_named_col() {
        assert_eq!(rewritten("SELECT explode(a), explode_outer(b) AS e FROM t"), "SELECT unnest(a) AS col, unnest_outer(b) AS e FROM t");
        assert_eq!(
            rewritten("SELECT posexplode(a) AS (p, c) FROM t"),
            "SELECT CAST(unnest(range(0, cardinality(a))) AS INT) AS p, unnest(a) AS c FROM t"
        );
    }

    #[test]
    fn lateral_views_of_maps_and_positions_add_two_columns() {
        assert_eq!(
            rewritten("SELECT k, w FROM t LATERAL VIEW explode(m) v AS k, w"),
            "SELECT k, w FROM (SELECT *, unnest(map_keys(m)) AS `k`, unnest(map_values(m)) AS `w` FROM t) AS `t`"
        );
        assert_eq!(
            rewritten("SELECT p, c FROM t LATERAL VIEW posexplode(a) v AS p, c"),
            "SELECT p, c FROM (SELECT *, CAST(unnest(range(0, cardinality(a))) AS INT) AS `p`, unnest(a) AS `c` FROM t) AS `t`"
        );
    }

    #[test]
    fn lateral_views_read_the_relation_with_one_more_column() {
        assert_eq!(
            rewritten("SELECT k, v.c FROM t LATERAL VIEW explode(t.a) v AS c WHERE v.c > 1 ORDER BY v.c"),
            "SELECT k, c FROM (SELECT *, unnest(t.a) AS `c` FROM t) AS `t` WHERE c > 1 ORDER BY c"
        );
    }
}
