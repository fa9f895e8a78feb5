//! Files queried straight from SQL, as Spark allows: ``SELECT * FROM parquet.`/data/t` ``.
//!
//! Spark reads a relation `format.`path`` as the files at `path` (with that format's default
//! options) when `format` is a data source name and not a database. Before a query is planned,
//! each such relation is read with [`load`] and put, for the planning of that statement only,
//! in a database named after the format, so DataFusion resolves the two-part name as it would a
//! table's.

use std::ops::ControlFlow;
use std::sync::Arc;

use datafusion::catalog::{MemorySchemaProvider, SchemaProvider, TableProvider};
use datafusion::datasource::ViewTable;
use datafusion::sql::parser::Statement;
use datafusion::sql::sqlparser::ast::{ObjectName, ObjectNamePart, visit_relations, visit_relations_mut};

use super::{ReadRequest, load};
use crate::error::{DriverError, Result};
use crate::session::{CATALOG, Session};

/// The data source names Spark accepts in front of a path.
const FORMATS: [&str; 7] = ["csv", "json", "parquet", "text", "orc", "avro", "binaryfile"];

/// `(format, path)` when a relation names files.
fn file_relation(name: &ObjectName) -> Option<(String, String)> {
    match name.0.as_slice() {
        [ObjectNamePart::Identifier(format), ObjectNamePart::Identifier(path)]
            if FORMATS.contains(&format.value.to_ascii_lowercase().as_str()) =>
        {
            Some((format.value.to_ascii_lowercase(), path.value.clone()))
        }
        _ => None,
    }
}

/// Whether a relation is a file path: its parts keep their case (Spark lower-cases table
/// names, never paths).
pub fn names_files(name: &ObjectName) -> bool {
    file_relation(name).is_some()
}

/// The file relations of a statement, their format part lower-cased in place.
fn file_relations(statement: &mut Statement) -> Vec<(String, String)> {
    let Statement::Statement(inner) = statement else {
        return Vec::new();
    };
    let _ = visit_relations_mut(inner.as_mut(), |name| {
        if names_files(name)
            && let Some(ObjectNamePart::Identifier(format)) = name.0.first_mut()
        {
            format.value = format.value.to_ascii_lowercase();
        }
        ControlFlow::<()>::Continue(())
    });
    let mut found = Vec::new();
    let _ = visit_relations(inner.as_ref(), |name| {
        if let Some(relation) = file_relation(name)
            && !found.contains(&relation)
        {
            found.push(relation);
        }
        ControlFlow::<()>::Continue(())
    });
    found
}

/// The file relations of one statement, registered until dropped.
pub struct PathTables {
    registered: Vec<(Arc<dyn SchemaProvider>, String)>,
}

impl PathTables {
    /// Reads every file relation of `statement` and registers it under its two-part name.
    pub fn register(session: &Arc<Session>, statement: &mut Statement) -> Result<Self> {
        let mut tables = PathTables { registered: Vec::new() };
        let relations = file_relations(statement);
        if relations.is_empty() {
            return Ok(tables);
        }
        let catalog = session.ctx().catalog(CATALOG).ok_or_else(|| DriverError::Runtime(format!("catalog {CATALOG} missing")))?;
        for (format, path) in relations {
            let df = load(session, ReadRequest { format: format.clone(), paths: vec![path.clone()], ..Default::default() })?;
            let schema = match catalog.schema(&format) {
                Some(schema) => schema,
                None => {
                    let schema: Arc<dyn SchemaProvider> = Arc::new(MemorySchemaProvider::new());
                    catalog.register_schema(&format, Arc::clone(&schema))?;
                    schema
                }
            };
            let view: Arc<dyn TableProvider> = Arc::new(ViewTable::new(df.plan().clone(), None));
            schema.deregister_table(&path)?;
            schema.register_table(path.clone(), view)?;
            tables.registered.push((schema, path));
        }
        Ok(tables)
    }
}

impl Drop for PathTables {
    fn drop(&mut self) {
        for (schema, path) in &self.registered {
            let _ = schema.deregister_table(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(sql: &str) -> Statement {
        let dialect = datafusion::sql::sqlparser::dialect::GenericDialect {};
        datafusion::sql::parser::DFParser::parse_sql_with_dialect(sql, &dialect).unwrap().pop_front().unwrap()
    }

    #[test]
    fn finds_format_qualified_paths_only() {
        let mut s = parse(r#"SELECT * FROM PARQUET."/Data/T" p JOIN v ON p.id = v.id JOIN db.t ON true JOIN csv."/x.csv" ON true"#);
        assert_eq!(file_relations(&mut s), vec![("parquet".to_string(), "/Data/T".to_string()), ("csv".to_string(), "/x.csv".to_string())]);
    }
}
