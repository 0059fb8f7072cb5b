//! Which warehouse's rules a project is checked with.
//!
//! Every project is checked with the SQL dialect, type system, casts, operators and function
//! catalog of the warehouse it runs on, because a query that DuckDB accepts may not bind on
//! PostgreSQL and the two print different types for the same column. The adapter type in
//! rocky.toml decides; DuckDB is the default.

pub mod postgres;
pub mod spark;

pub use postgres::PgCatalog;
pub use spark::SparkCatalog;

use crate::functions::{CallError, Catalog, FunctionKind, ResolvedCall};
use crate::types::{self, BinaryOperator, Type, TypeError, UnaryOperator};

/// A warehouse dialect the analysis knows the rules of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// DuckDB (the embedded default).
    #[default]
    DuckDb,
    /// PostgreSQL.
    Postgres,
    /// Spark SQL (Spark 4, ANSI mode), e.g. through Spark Connect.
    Spark,
}

impl Dialect {
    /// The dialect of an `[adapter] type`; unknown adapter types are checked as DuckDB (the
    /// config reports them separately).
    pub fn from_adapter(kind: &str) -> Dialect {
        match kind.to_ascii_lowercase().as_str() {
            "postgres" => Dialect::Postgres,
            "spark" => Dialect::Spark,
            _ => Dialect::DuckDb,
        }
    }

    /// The warehouse's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::DuckDb => "DuckDB",
            Dialect::Postgres => "PostgreSQL",
            Dialect::Spark => "Spark",
        }
    }

    /// The schema models are built into when their config names none: the one a new database
    /// has and its users work in (`main` in DuckDB, `public` in PostgreSQL, `default` in Spark).
    pub fn default_schema(self) -> &'static str {
        match self {
            Dialect::DuckDb => "main",
            Dialect::Postgres => "public",
            Dialect::Spark => "default",
        }
    }
}

impl Dialect {
    /// The checker's type for a type as this warehouse writes it (a schema-cache entry, a
    /// contract, a CAST target); Unknown-safe: text it cannot read becomes a type kept verbatim.
    pub fn parse_type(self, text: &str) -> Type {
        match self {
            Dialect::DuckDb => Type::parse(text),
            Dialect::Postgres => PgCatalog::get().parse_type(text),
            Dialect::Spark => spark::parse_type(text),
        }
    }

    /// A type as this warehouse prints it (hover, inlay hints, `rocky check --format json`), so
    /// users see their warehouse's own type names: DuckDB's `DESCRIBE` spelling, PostgreSQL's
    /// `format_type()` spelling (`integer`, `numeric(12,2)`, `character varying(40)`).
    pub fn type_name(self, ty: &Type) -> String {
        match self {
            Dialect::DuckDb => ty.to_string(),
            Dialect::Postgres => PgCatalog::get().type_name(ty),
            Dialect::Spark => spark::type_name(&self.materialize(ty)),
        }
    }

    /// The type of a `CAST(x AS <dt>)` / `x::<dt>` / `<dt> 'literal'` target.
    pub fn type_from_sql(self, dt: &sqlparser::ast::DataType) -> Type {
        match self {
            Dialect::DuckDb => Type::from_sql(dt),
            Dialect::Postgres => PgCatalog::get().parse_type(&dt.to_string()),
            Dialect::Spark => spark::parse_type(&dt.to_string()),
        }
    }

    /// The type of a numeric literal's text.
    pub fn literal_number(self, text: &str) -> Type {
        match self {
            Dialect::DuckDb => types::literal_number(text),
            Dialect::Postgres => postgres::literal_number(text),
            Dialect::Spark => spark::literal_number(text),
        }
    }

    /// The type a value keeps inside a list, STRUCT or MAP literal: DuckDB keeps a NULL's
    /// SQLNULL there until the value lands in a column (`[{'i': [1]}, {'i': NULL}]` combines);
    /// the other warehouses type the NULL on the spot.
    pub fn nested(self, ty: &Type) -> Type {
        match self {
            Dialect::DuckDb => ty.normalize(),
            _ => self.materialize(ty),
        }
    }

    /// The type a value has once it lands in an output column: DuckDB's literal types take
    /// their default type and a bare NULL is INTEGER; PostgreSQL resolves `unknown` (an untyped
    /// literal or NULL) as `text`.
    pub fn materialize(self, ty: &Type) -> Type {
        match self {
            Dialect::DuckDb => ty.materialize(),
            // Spark: a bare NULL column is `void`, literals take their own types.
            Dialect::Spark => match ty {
                Type::Null => Type::Null,
                Type::List(c) => Type::List(Box::new(self.materialize(c))),
                other => other.materialize(),
            },
            Dialect::Postgres => match ty {
                Type::StringLiteral | Type::Null => Type::Varchar,
                Type::List(c) => Type::List(Box::new(self.materialize(c))),
                other => other.materialize(),
            },
        }
    }

    /// The result type of `l <op> r`, or the error the warehouse raises at bind time.
    pub fn binary_op(self, op: &BinaryOperator, l: &Type, r: &Type) -> Result<Type, TypeError> {
        match self {
            Dialect::DuckDb => types::binary_op(op, l, r),
            Dialect::Postgres => postgres::binary_op(op, l, r),
            Dialect::Spark => spark::binary_op(op, l, r),
        }
    }

    /// The result type of a prefix operator.
    pub fn unary_op(self, op: &UnaryOperator, t: &Type) -> Result<Type, TypeError> {
        match self {
            Dialect::DuckDb => types::unary_op(op, t),
            Dialect::Postgres => postgres::unary_op(op, t),
            Dialect::Spark => spark::unary_op(op, t),
        }
    }

    /// The common type of two values (CASE branches, COALESCE, VALUES rows, array elements);
    /// None where the warehouse refuses to mix them.
    pub fn common_type(self, a: &Type, b: &Type) -> Option<Type> {
        match self {
            Dialect::DuckDb => types::common_type(a, b),
            Dialect::Postgres => postgres::common_type(a, b),
            Dialect::Spark => spark::common_type(a, b),
        }
    }

    /// The type of a set-operation column; None where the warehouse refuses (PostgreSQL: "UNION
    /// types integer and text cannot be matched"; DuckDB always picks one).
    pub fn union_type(self, a: &Type, b: &Type) -> Option<Type> {
        match self {
            Dialect::DuckDb => Some(types::union_type(a, b)),
            Dialect::Postgres => postgres::common_type(a, b),
            Dialect::Spark => spark::common_type(a, b),
        }
    }

    /// Whether an explicit CAST between the two types binds.
    pub fn can_cast(self, from: &Type, to: &Type) -> bool {
        match self {
            Dialect::DuckDb => types::can_cast_explicitly(from, to),
            Dialect::Postgres => postgres::can_cast(from, to),
            Dialect::Spark => spark::can_cast(from, to),
        }
    }

    /// Binds a function call against this warehouse's catalog.
    pub fn resolve_function(self, name: &str, args: &[Type]) -> Result<ResolvedCall, CallError> {
        match self {
            Dialect::DuckDb => Catalog::duckdb().resolve(name, args),
            Dialect::Postgres => postgres::resolve_function(name, args),
            Dialect::Spark => spark::resolve_function(name, args),
        }
    }

    /// Scalar, aggregate or window function; None when the catalog has no such name.
    pub fn function_kind(self, name: &str) -> Option<FunctionKind> {
        match self {
            Dialect::DuckDb => Catalog::duckdb().kind(name),
            Dialect::Postgres => PgCatalog::get().kind(name),
            Dialect::Spark => SparkCatalog::get().kind(name),
        }
    }

    /// True for aggregates (not window-only functions).
    pub fn is_aggregate(self, name: &str) -> bool {
        self.function_kind(name) == Some(FunctionKind::Aggregate)
    }

    /// Every function name of the catalog (sorted), for completion.
    pub fn function_names(self) -> Box<dyn Iterator<Item = &'static str>> {
        match self {
            Dialect::DuckDb => Box::new(Catalog::duckdb().names()),
            Dialect::Postgres => Box::new(PgCatalog::get().names()),
            Dialect::Spark => Box::new(SparkCatalog::get().names()),
        }
    }

    /// A function's overload signatures, for hover and signature help.
    pub fn signatures(self, name: &str) -> Vec<String> {
        match self {
            Dialect::DuckDb => Catalog::duckdb().signatures(name),
            Dialect::Postgres => PgCatalog::get().signatures(name),
            Dialect::Spark => SparkCatalog::get().signatures(name),
        }
    }

    /// The catalog's description of a function, for hover.
    pub fn description(self, name: &str) -> Option<&'static str> {
        match self {
            Dialect::DuckDb => Catalog::duckdb().description(name),
            Dialect::Postgres => PgCatalog::get().description(name),
            Dialect::Spark => SparkCatalog::get().description(name),
        }
    }
}
