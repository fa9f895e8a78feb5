//! The declared functions' implementations by name, for the DataFrame API (whose
//! `functions.upper(...)` builds an expression before any session is involved) and for
//! [`super::install`].
//!
//! Ember's own compositions (in Rust, and in the Python package until they move here) also use
//! DataFusion functions that are not Spark's (`array_has`, `make_array`, ...): those are found
//! among the engine's functions, with Spark's versions winning where names clash. `SHOW
//! FUNCTIONS` lists only the declared ones.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use datafusion::execution::SessionStateDefaults;
use datafusion::logical_expr::{AggregateUDF, HigherOrderUDF, ScalarUDF, WindowUDF};

use super::install::{ember_scalars, spark_aggregates};
use super::{Implementation, Provider};
use crate::error::{Result, SqlError};

/// Every function by lower-case name.
pub struct FunctionCatalog {
    /// Declared functions (see [`super::declared`]), by SQL name.
    pub(super) scalar: HashMap<&'static str, Arc<ScalarUDF>>,
    pub(super) aggregate: HashMap<&'static str, Arc<AggregateUDF>>,
    pub(super) window: HashMap<&'static str, Arc<WindowUDF>>,
    /// The functions that take lambdas ([`crate::lambda`]).
    higher_order: HashMap<&'static str, Arc<HigherOrderUDF>>,
    /// The engine's functions by name and alias, Spark's versions winning.
    engine_scalar: HashMap<String, Arc<ScalarUDF>>,
    engine_aggregate: HashMap<String, Arc<AggregateUDF>>,
    engine_window: HashMap<String, Arc<WindowUDF>>,
    /// Declarations whose implementation no provider has (a test keeps this empty).
    pub(super) unresolved: Vec<String>,
}

static CATALOG: LazyLock<FunctionCatalog> = LazyLock::new(build);

pub fn catalog() -> &'static FunctionCatalog {
    &CATALOG
}

fn all_names<T>(f: &T, name: impl Fn(&T) -> &str, aliases: impl Fn(&T) -> &[String]) -> Vec<String> {
    std::iter::once(name(f).to_string()).chain(aliases(f).iter().cloned()).map(|n| n.to_ascii_lowercase()).collect()
}

fn by_name<T>(list: Vec<Arc<T>>, names: impl Fn(&T) -> Vec<String>) -> HashMap<String, Arc<T>> {
    let mut map = HashMap::new();
    for f in list {
        for n in names(&f) {
            map.insert(n, Arc::clone(&f));
        }
    }
    map
}

fn scalar_names(f: &ScalarUDF) -> Vec<String> {
    all_names(f, |f| f.name(), |f| f.aliases())
}

fn aggregate_names(f: &AggregateUDF) -> Vec<String> {
    all_names(f, |f| f.name(), |f| f.aliases())
}

fn window_names(f: &WindowUDF) -> Vec<String> {
    all_names(f, |f| f.name(), |f| f.aliases())
}

fn build() -> FunctionCatalog {
    let df_scalars = by_name(SessionStateDefaults::default_scalar_functions(), scalar_names);
    let spark_scalars = by_name(datafusion_spark::all_default_scalar_functions(), scalar_names);
    let own_scalars = by_name(ember_scalars(), scalar_names);
    let df_aggregates = by_name(SessionStateDefaults::default_aggregate_functions(), aggregate_names);
    let spark_aggs = by_name(datafusion_spark::all_default_aggregate_functions(), aggregate_names);
    let own_aggregates = by_name(spark_aggregates(), aggregate_names);
    let df_windows = by_name(SessionStateDefaults::default_window_functions(), window_names);
    let spark_windows = by_name(datafusion_spark::all_default_window_functions(), window_names);
    let higher_order: HashMap<String, Arc<HigherOrderUDF>> =
        crate::lambda::all().into_iter().map(|f| (f.name().to_ascii_lowercase(), f)).collect();

    let mut catalog = FunctionCatalog {
        scalar: HashMap::new(),
        aggregate: HashMap::new(),
        window: HashMap::new(),
        higher_order: HashMap::new(),
        engine_scalar: df_scalars.clone().into_iter().chain(spark_scalars.clone()).chain(own_scalars.clone()).collect(),
        // Ember's `avg` replaces both packages'.
        engine_aggregate: df_aggregates
            .clone()
            .into_iter()
            .chain(spark_aggs.clone().into_iter().filter(|(n, _)| n != "avg"))
            .chain(own_aggregates.clone())
            .collect(),
        engine_window: df_windows.clone().into_iter().chain(spark_windows.clone()).collect(),
        unresolved: Vec::new(),
    };
    for function in super::declared() {
        let name = function.name.to_string();
        let found = match function.implementation {
            Implementation::Scalar(provider, implementation) => {
                pick([&df_scalars, &spark_scalars, &own_scalars], provider, implementation).map(|f: Arc<ScalarUDF>| {
                    // A Spark name the implementation does not answer to (`ucase` for `upper`).
                    let udf = if scalar_names(&f).contains(&name) { f } else { crate::wrapped::renamed(f, function.name) };
                    catalog.scalar.insert(function.name, udf);
                })
            }
            Implementation::Aggregate(provider, implementation) => {
                pick([&df_aggregates, &spark_aggs, &own_aggregates], provider, implementation).map(|f: Arc<AggregateUDF>| {
                    let udf = if aggregate_names(&f).contains(&name) {
                        f
                    } else {
                        Arc::new(AggregateUDF::clone(&f).with_aliases([function.name]))
                    };
                    catalog.aggregate.insert(function.name, udf);
                })
            }
            Implementation::Window(provider, implementation) => {
                pick([&df_windows, &spark_windows, &HashMap::new()], provider, implementation).map(|f: Arc<WindowUDF>| {
                    catalog.window.insert(function.name, f);
                })
            }
            Implementation::HigherOrder => higher_order.get(&name).map(|f| {
                catalog.higher_order.insert(function.name, Arc::clone(f));
            }),
            Implementation::Generator | Implementation::Syntax | Implementation::Try(_) => Some(()),
        };
        if found.is_none() {
            catalog.unresolved.push(name);
        }
    }
    // `try_*` versions of declared functions, once those are all resolved.
    for function in super::declared() {
        if let Implementation::Try(inner) = function.implementation {
            match catalog.scalar.get(inner).cloned() {
                Some(f) => {
                    catalog.scalar.insert(function.name, crate::try_eval::wrap(f, function.name));
                }
                None => catalog.unresolved.push(function.name.to_string()),
            }
        }
    }
    catalog
}

/// The implementation `provider` has under `name`.
fn pick<T>([df, spark, own]: [&HashMap<String, Arc<T>>; 3], provider: Provider, name: &str) -> Option<Arc<T>> {
    let map = match provider {
        Provider::DataFusion => df,
        Provider::Spark => spark,
        Provider::Ember => own,
    };
    map.get(&name.to_ascii_lowercase()).cloned()
}

impl FunctionCatalog {
    pub fn scalar(&self, name: &str) -> Result<Arc<ScalarUDF>> {
        let lower = name.to_ascii_lowercase();
        self.scalar.get(lower.as_str()).or_else(|| self.engine_scalar.get(&lower)).cloned().ok_or_else(|| unknown(name))
    }

    pub fn aggregate(&self, name: &str) -> Result<Arc<AggregateUDF>> {
        let lower = name.to_ascii_lowercase();
        self.aggregate.get(lower.as_str()).or_else(|| self.engine_aggregate.get(&lower)).cloned().ok_or_else(|| unknown(name))
    }

    pub fn window(&self, name: &str) -> Result<Arc<WindowUDF>> {
        let lower = name.to_ascii_lowercase();
        self.window.get(lower.as_str()).or_else(|| self.engine_window.get(&lower)).cloned().ok_or_else(|| unknown(name))
    }

    pub fn higher_order(&self, name: &str) -> Result<Arc<HigherOrderUDF>> {
        self.higher_order.get(name.to_ascii_lowercase().as_str()).cloned().ok_or_else(|| unknown(name))
    }

    pub fn has_aggregate(&self, name: &str) -> bool {
        let lower = name.to_ascii_lowercase();
        self.aggregate.contains_key(lower.as_str()) || self.engine_aggregate.contains_key(&lower)
    }
}

/// Spark's error for a function no one has.
pub fn unknown(name: &str) -> SqlError {
    SqlError::DataFusion(datafusion::error::DataFusionError::Plan(format!(
        "[UNRESOLVED_ROUTINE] Cannot resolve routine `{name}` on search path [`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]."
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_function_has_its_implementation() {
        assert!(catalog().unresolved.is_empty(), "no implementation for {:?}", catalog().unresolved);
    }

    #[test]
    fn spark_names_answer_for_the_implementation() {
        assert_eq!(catalog().scalar("UCASE").map(|f| f.name().to_string()).ok().as_deref(), Some("ucase"));
        assert!(catalog().scalar("no_such_function").is_err());
    }
}
