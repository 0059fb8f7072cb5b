//! Which warehouse's rules a project is checked with.
//!
//! Every project is checked with the SQL dialect, type system, casts, operators and function
//! catalog of the warehouse it runs on, because a query that DuckDB accepts may not bind on
//! PostgreSQL and the two print different types for the same column. The adapter type in
//! rocky.toml decides; DuckDB is the default.

/// A warehouse dialect the analysis knows the rules of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// DuckDB (the embedded default).
    #[default]
    DuckDb,
    /// PostgreSQL.
    Postgres,
}

impl Dialect {
    /// The dialect of an `[adapter] type`; unknown adapter types are checked as DuckDB (the
    /// config reports them separately).
    pub fn from_adapter(kind: &str) -> Dialect {
        match kind.to_ascii_lowercase().as_str() {
            "postgres" => Dialect::Postgres,
            _ => Dialect::DuckDb,
        }
    }

    /// The warehouse's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::DuckDb => "DuckDB",
            Dialect::Postgres => "PostgreSQL",
        }
    }
}

impl Dialect {
    /// The checker's type for a type as this warehouse writes it (a schema-cache entry, a
    /// contract, a CAST target); Unknown-safe: text it cannot read becomes a type kept verbatim.
    pub fn parse_type(self, text: &str) -> crate::types::Type {
        match self {
            Dialect::DuckDb | Dialect::Postgres => crate::types::Type::parse(text),
        }
    }

    /// A type as this warehouse prints it (hover, inlay hints, `rocky check --format json`), so
    /// users see their warehouse's own type names.
    pub fn type_name(self, ty: &crate::types::Type) -> String {
        match self {
            Dialect::DuckDb | Dialect::Postgres => ty.to_string(),
        }
    }
}
