//! The one registry of Spark's functions.
//!
//! Each function Ember has is declared once, in the file of its Spark group (as Spark's
//! `DESCRIBE FUNCTION` groups them): its SQL name, the implementation that computes it and the
//! parameters of PySpark's wrapper. Everything that needs to know Spark's functions reads this:
//! SQL (the session's function registry, [`install`]), `SHOW FUNCTIONS` ([`names`]), the
//! DataFrame API ([`catalog`]), the plan codec (functions travel to executors by these names)
//! and the Python package, whose wrappers are generated from [`python_signatures`].
//!
//! Adding a function is one line in its group's file plus, when neither DataFusion nor
//! `datafusion-spark` computes it as Spark does, its implementation in Ember's lists
//! ([`install::ember_scalars`]).

mod aggregate;
mod array;
mod bitwise;
mod catalog;
mod collection;
mod conditional;
mod conversion;
mod datetime;
mod generator;
mod hash;
mod higher_order;
mod install;
mod json;
mod map;
mod math;
mod misc;
mod predicate;
mod sketch;
mod string;
mod structs;
mod url;
mod variant;
mod vector;
mod window;

pub use catalog::{FunctionCatalog, catalog};
pub use install::{ember_scalars, expr_planners, find_scalar, install};

/// Who computes a function: DataFusion's built-in, `datafusion-spark`'s Spark version, or
/// Ember's own (for what neither computes as Spark does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    DataFusion,
    Spark,
    Ember,
}

/// How a function is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Implementation {
    /// A scalar function: the provider's function of this name (or alias).
    Scalar(Provider, &'static str),
    /// An aggregate function, likewise.
    Aggregate(Provider, &'static str),
    /// A ranking or offset window function, likewise.
    Window(Provider, &'static str),
    /// A function that takes lambdas, Ember's of the same name ([`crate::lambda`]).
    HigherOrder,
    /// A generator (`explode`, ...), expanded into rows by the analyzer.
    Generator,
    /// Another declared scalar function's computation, NULL where it fails (`try_to_date`
    /// for `to_date`, [`crate::try_eval`]).
    Try(&'static str),
    /// An operator or SQL form (`+`, `and`, `case`, `cast`, ...) the parser and analyzer plan.
    Syntax,
}

/// One Spark function.
#[derive(Debug, Clone)]
pub struct Function {
    /// Its SQL name, lower case.
    pub name: &'static str,
    /// Spark's group (`string_funcs`, `agg_funcs`, ...).
    pub group: &'static str,
    pub implementation: Implementation,
    /// PySpark's parameters for `pyspark.sql.functions.<name>`, when PySpark has it: comma
    /// separated, each `name[:kind][=default]`, `*name` for the rest. Kinds: none for a
    /// Column or column name, `lit` for a Python value taken as a literal (or a Column),
    /// `any` for a column name or a literal, `py` for a value only a hand-written wrapper
    /// can turn into an expression (a lambda, a schema, options). Defaults are Python.
    pub python: Option<&'static str>,
    /// Spark's defaults of the trailing optional SQL parameters, after the number of required
    /// ones, as Spark shows them in output names when a call leaves them out
    /// (`split(s, ,, -1)`, `hll_sketch_agg(col, 12)`): Spark completes the call with them.
    pub shown_defaults: (usize, &'static [&'static str]),
}

impl Function {
    /// PySpark's parameters (see [`Function::python`]).
    fn py(mut self, params: &'static str) -> Self {
        self.python = Some(params);
        self
    }

    /// Spark's defaults of the trailing optional parameters (see [`Function::shown_defaults`]).
    fn defaults(mut self, required: usize, defaults: &'static [&'static str]) -> Self {
        self.shown_defaults = (required, defaults);
        self
    }

    /// The defaults Spark shows after `given` arguments: the parameters left out, if the call
    /// leaves out only optional ones.
    pub fn defaults_after(&self, given: usize) -> Option<&'static [&'static str]> {
        let (required, defaults) = self.shown_defaults;
        let total = required + defaults.len();
        (given >= required && given < total).then(|| &defaults[defaults.len() - (total - given)..])
    }
}

fn f(name: &'static str, implementation: Implementation) -> Function {
    Function { name, group: "", implementation, python: None, shown_defaults: (0, &[]) }
}

fn scalar(provider: Provider, implementation: &'static str) -> Implementation {
    Implementation::Scalar(provider, implementation)
}

fn aggregate(provider: Provider, implementation: &'static str) -> Implementation {
    Implementation::Aggregate(provider, implementation)
}

fn window(provider: Provider, implementation: &'static str) -> Implementation {
    Implementation::Window(provider, implementation)
}

fn higher_order() -> Implementation {
    Implementation::HigherOrder
}

fn try_of(function: &'static str) -> Implementation {
    Implementation::Try(function)
}

fn generator() -> Implementation {
    Implementation::Generator
}

fn syntax() -> Implementation {
    Implementation::Syntax
}

/// Every declared function, sorted by name.
pub fn declared() -> &'static [Function] {
    &DECLARED
}

/// A Spark group and its file's declarations.
type Group = (&'static str, fn() -> Vec<Function>);

static DECLARED: std::sync::LazyLock<Vec<Function>> = std::sync::LazyLock::new(|| {
    let groups: [Group; 22] = [
        ("agg_funcs", aggregate::functions),
        ("array_funcs", array::functions),
        ("bitwise_funcs", bitwise::functions),
        ("collection_funcs", collection::functions),
        ("conditional_funcs", conditional::functions),
        ("conversion_funcs", conversion::functions),
        ("datetime_funcs", datetime::functions),
        ("generator_funcs", generator::functions),
        ("hash_funcs", hash::functions),
        ("json_funcs", json::functions),
        ("lambda_funcs", higher_order::functions),
        ("map_funcs", map::functions),
        ("math_funcs", math::functions),
        ("misc_funcs", misc::functions),
        ("predicate_funcs", predicate::functions),
        ("sketch_funcs", sketch::functions),
        ("string_funcs", string::functions),
        ("struct_funcs", structs::functions),
        ("url_funcs", url::functions),
        ("variant_funcs", variant::functions),
        ("vector_funcs", vector::functions),
        ("window_funcs", window::functions),
    ];
    let mut all: Vec<Function> =
        groups.into_iter().flat_map(|(group, functions)| functions().into_iter().map(move |f| Function { group, ..f })).collect();
    all.sort_by_key(|f| f.name);
    all
});

/// A declared function by SQL name (case-insensitive).
pub fn find(name: &str) -> Option<&'static Function> {
    let lower = name.to_ascii_lowercase();
    DECLARED.binary_search_by_key(&lower.as_str(), |f| f.name).ok().map(|i| &DECLARED[i])
}

/// The names `SHOW FUNCTIONS` lists: every declared function, sorted.
pub fn names() -> Vec<&'static str> {
    DECLARED.iter().map(|f| f.name).collect()
}

/// `(name, PySpark's parameters)` of every function PySpark has, for the Python package's
/// generated wrappers, with whether the wrapper builds an aggregate, a window function, a
/// generator or a plain call.
pub fn python_signatures() -> Vec<(&'static str, &'static str, &'static str)> {
    DECLARED
        .iter()
        .filter_map(|f| {
            let kind = match f.implementation {
                Implementation::Scalar(..) | Implementation::Try(_) => "scalar",
                Implementation::Aggregate(..) => "aggregate",
                Implementation::Window(..) => "window",
                Implementation::HigherOrder => "higher_order",
                Implementation::Generator => "generator",
                Implementation::Syntax => "syntax",
            };
            f.python.map(|params| (f.name, kind, params))
        })
        .collect()
}
