//! PostgreSQL's rules: its catalog (types with categories and preferred types, casts, operators,
//! functions and aggregates), **generated** from a real server's `pg_type`, `pg_cast`,
//! `pg_operator`, `pg_proc` and `pg_aggregate` by `scripts/gen-postgres-catalog.sh` into
//! `catalog.jsonl` (never edited by hand; `--check` tells when it is stale), and the mapping
//! between the checker's [`Type`] and PostgreSQL's types with their `format_type()` spelling.
//!
//! PostgreSQL types map onto [`Type`]: `text` is [`Type::Varchar`], `numeric(p,s)`
//! [`Type::Decimal`], unconstrained `numeric` [`Type::Numeric`], `character varying(n)` /
//! `character(n)` [`Type::Char`], arrays [`Type::List`], an untyped literal (`'abc'`, NULL:
//! PostgreSQL's `unknown`) [`Type::StringLiteral`] / [`Type::Null`]; every other type is
//! [`Type::Other`] holding its `format_type()` text, found again in the catalog by that text.

mod names;
mod resolve;

use std::collections::HashMap;
use std::sync::OnceLock;

pub(crate) use names::{grammar_name, interval_fields, literal_number, strip_typmod as strip_typmod_text};
pub(crate) use resolve::{
    binary_op, can_cast, common_type, nullif_type, resolve_function, resolve_table_function, unary_op,
};

use crate::functions::FunctionKind;
use crate::types::Type;

const DATA: &str = include_str!("catalog.jsonl");

/// OIDs of the pseudo-types resolution treats specially (fixed across PostgreSQL versions).
pub(crate) mod oid {
    pub const UNKNOWN: u32 = 705;
    pub const ANY: u32 = 2276;
    pub const ANYELEMENT: u32 = 2283;
    pub const ANYARRAY: u32 = 2277;
    pub const ANYNONARRAY: u32 = 2776;
    pub const ANYENUM: u32 = 3500;
    pub const ANYCOMPATIBLE: u32 = 5077;
    pub const ANYCOMPATIBLEARRAY: u32 = 5078;
    pub const ANYCOMPATIBLENONARRAY: u32 = 5079;
}

/// One `pg_type` row.
#[derive(Debug)]
pub(crate) struct PgType {
    pub name: String,
    /// `format_type(oid, NULL)`: `integer`, `character varying`, `integer[]`.
    pub format: String,
    pub category: char,
    pub preferred: bool,
    /// The element type of an array type (0 otherwise).
    pub elem: u32,
    /// `typtype`: `b` base, `p` pseudo, `r` range, `m` multirange.
    pub kind: char,
}

/// One `pg_operator` row (`left` 0 for a prefix operator).
#[derive(Debug, Clone)]
pub(crate) struct PgOperator {
    pub left: u32,
    pub right: u32,
    pub result: u32,
}

/// One `pg_proc` row callable from SQL.
#[derive(Debug, Clone)]
pub(crate) struct PgFunction {
    pub kind: FunctionKind,
    pub args: Vec<u32>,
    /// The element type of a VARIADIC last argument (0 if none).
    pub variadic: u32,
    pub result: u32,
    /// Trailing arguments with defaults.
    pub defaults: usize,
    /// The named result columns of a record-returning function (`OUT` / `TABLE` parameters).
    pub out: Vec<(String, u32)>,
}

/// PostgreSQL's catalog as generated from the server.
pub struct PgCatalog {
    pub(crate) types: HashMap<u32, PgType>,
    /// `typname` and `format_type` spelling → oid.
    by_name: HashMap<String, u32>,
    /// element oid → its array type's oid.
    array_of: HashMap<u32, u32>,
    /// `(source, target)` → `castcontext` (`i`, `a`, `e`).
    pub(crate) casts: HashMap<(u32, u32), char>,
    pub(crate) operators: HashMap<String, Vec<PgOperator>>,
    pub(crate) functions: HashMap<String, Vec<PgFunction>>,
    descriptions: HashMap<String, String>,
    names: Vec<String>,
    version: String,
}

impl PgCatalog {
    /// The catalog of the PostgreSQL version the data file was generated from (loaded once).
    pub fn get() -> &'static PgCatalog {
        static CATALOG: OnceLock<PgCatalog> = OnceLock::new();
        CATALOG.get_or_init(|| PgCatalog::from_jsonl(DATA))
    }

    /// `server_version_num` of the generating server (e.g. `150018`).
    pub fn version(&self) -> &str {
        &self.version
    }

    fn from_jsonl(data: &str) -> PgCatalog {
        use serde_json::Value;
        let mut cat = PgCatalog {
            types: HashMap::new(),
            by_name: HashMap::new(),
            array_of: HashMap::new(),
            casts: HashMap::new(),
            operators: HashMap::new(),
            functions: HashMap::new(),
            descriptions: HashMap::new(),
            names: Vec::new(),
            version: String::new(),
        };
        let num =
            |v: &Value, k: &str| v.get(k).and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        let ch = |v: &Value, k: &str| text(v, k).chars().next().unwrap_or(' ');
        for line in data.lines() {
            let Ok(v) = serde_json::from_str::<Value>(line) else { continue };
            if let Some(ver) = v.get("postgres_version_num").and_then(Value::as_str) {
                cat.version = ver.to_string();
            } else if let Some(c) = v.get("cast").and_then(Value::as_array) {
                let n = |i: usize| c.get(i).and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
                let ctx = c.get(2).and_then(Value::as_str).and_then(|s| s.chars().next()).unwrap_or('e');
                cat.casts.insert((n(0), n(1)), ctx);
            } else if let Some(name) = v.get("o").and_then(Value::as_str) {
                let op = PgOperator { left: num(&v, "l"), right: num(&v, "r"), result: num(&v, "res") };
                cat.operators.entry(name.to_string()).or_default().push(op);
            } else if let Some(name) = v.get("fn").and_then(Value::as_str) {
                let kind = match ch(&v, "k") {
                    'a' => FunctionKind::Aggregate,
                    'w' => FunctionKind::Window,
                    _ => FunctionKind::Scalar,
                };
                let args = v
                    .get("a")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_u64).filter_map(|n| u32::try_from(n).ok()).collect())
                    .unwrap_or_default();
                let defaults = v.get("dflt").and_then(Value::as_u64).unwrap_or(0) as usize;
                let out = v
                    .get("out")
                    .and_then(Value::as_array)
                    .map(|cols| {
                        cols.iter()
                            .filter_map(|c| {
                                let name = c.get(0)?.as_str()?.to_string();
                                let ty = u32::try_from(c.get(1)?.as_u64()?).ok()?;
                                Some((name, ty))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let f = PgFunction { kind, args, variadic: num(&v, "v"), result: num(&v, "r"), defaults, out };
                let d = text(&v, "d");
                if !d.is_empty() {
                    cat.descriptions.entry(name.to_string()).or_insert(d);
                }
                cat.functions.entry(name.to_string()).or_default().push(f);
            } else if v.get("t").is_some() {
                let t = PgType {
                    name: text(&v, "n"),
                    format: text(&v, "f"),
                    category: ch(&v, "c"),
                    preferred: v.get("p").and_then(Value::as_bool).unwrap_or(false),
                    elem: num(&v, "e"),
                    kind: ch(&v, "y"),
                };
                let id = num(&v, "t");
                cat.by_name.insert(t.name.clone(), id);
                cat.by_name.entry(t.format.clone()).or_insert(id);
                if t.category == 'A' && t.elem != 0 {
                    cat.array_of.insert(t.elem, id);
                }
                cat.types.insert(id, t);
            }
        }
        let mut names: Vec<String> = cat.functions.keys().cloned().collect();
        names.sort();
        cat.names = names;
        cat
    }

    pub(crate) fn ty(&self, id: u32) -> Option<&PgType> {
        self.types.get(&id)
    }

    /// All function names (sorted), for completion.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// PostgreSQL's description of a function (`obj_description`), for hover.
    pub fn description(&self, name: &str) -> Option<&str> {
        self.descriptions.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    /// Function signatures as PostgreSQL prints them, for hover and signature help.
    pub fn signatures(&self, name: &str) -> Vec<String> {
        let Some(fs) = self.functions.get(&name.to_ascii_lowercase()) else { return Vec::new() };
        fs.iter()
            .map(|f| {
                let args: Vec<String> = f
                    .args
                    .iter()
                    .enumerate()
                    .map(|(i, a)| {
                        let shown = self.ty(*a).map(|t| t.format.clone()).unwrap_or_else(|| a.to_string());
                        if f.variadic != 0 && i + 1 == f.args.len() {
                            format!("VARIADIC {shown}")
                        } else {
                            shown
                        }
                    })
                    .collect();
                let ret = self.ty(f.result).map(|t| t.format.clone()).unwrap_or_default();
                format!("{}({}) -> {ret}", name.to_ascii_lowercase(), args.join(", "))
            })
            .collect()
    }

    /// Aggregate, window function or plain function (an aggregate wins when a name is both).
    pub fn kind(&self, name: &str) -> Option<FunctionKind> {
        let fs = self.functions.get(&name.to_ascii_lowercase())?;
        fs.iter().map(|f| f.kind).find(|k| *k != FunctionKind::Scalar).or(Some(FunctionKind::Scalar))
    }

    /// Close function names for an unknown one, best first.
    pub fn suggestions(&self, name: &str) -> Vec<String> {
        crate::functions::close_names(name, &self.names)
    }

    /// The oid of a type (`None` for Unknown and types the catalog does not have).
    pub(crate) fn oid_of(&self, ty: &Type) -> Option<u32> {
        let name = match ty {
            Type::Boolean => "bool",
            Type::Blob => "bytea",
            Type::SmallInt | Type::TinyInt | Type::UTinyInt => "int2",
            Type::Integer | Type::USmallInt => "int4",
            Type::BigInt | Type::UInteger => "int8",
            Type::Varchar => "text",
            Type::Json => "json",
            Type::Jsonb => "jsonb",
            Type::Float => "float4",
            Type::Double => "float8",
            Type::Char { varying: false, .. } => "bpchar",
            Type::Char { varying: true, .. } => "varchar",
            Type::Date => "date",
            Type::Time => "time",
            Type::TimeTz => "timetz",
            Type::Timestamp => "timestamp",
            Type::TimestampTz => "timestamptz",
            Type::Interval => "interval",
            Type::Uuid => "uuid",
            Type::Bit => "varbit",
            Type::Decimal { .. } | Type::Numeric | Type::HugeInt | Type::UBigInt | Type::UHugeInt => "numeric",
            Type::StringLiteral | Type::Null => return Some(oid::UNKNOWN),
            Type::IntegerLiteral(v) => return self.oid_of(&names::integer_literal(*v)),
            Type::List(c) | Type::Array(c, _) => return self.oid_of(c).and_then(|e| self.array_of.get(&e).copied()),
            Type::Other(text) => {
                return self
                    .by_name
                    .get(text.as_str())
                    .copied()
                    .or_else(|| self.by_name.get(&names::strip_typmod(text)).copied())
                    // `interval day`: the fields are interval's typmod.
                    .or_else(|| names::interval_fields(text).and_then(|_| self.by_name.get("interval").copied()));
            }
            _ => return None,
        };
        self.by_name.get(name).copied()
    }

    /// The checker's type for an oid (no typmod: what function and operator results carry).
    pub(crate) fn type_of(&self, id: u32) -> Type {
        let Some(t) = self.ty(id) else { return Type::Unknown };
        if t.category == 'A' && t.elem != 0 {
            return Type::List(Box::new(self.type_of(t.elem)));
        }
        match t.name.as_str() {
            "bool" => Type::Boolean,
            "bytea" => Type::Blob,
            "int2" => Type::SmallInt,
            "int4" => Type::Integer,
            "int8" => Type::BigInt,
            "text" => Type::Varchar,
            "json" => Type::Json,
            "jsonb" => Type::Jsonb,
            "float4" => Type::Float,
            "float8" => Type::Double,
            "bpchar" => Type::Char { varying: false, length: None },
            "varchar" => Type::Char { varying: true, length: None },
            "date" => Type::Date,
            "time" => Type::Time,
            "timetz" => Type::TimeTz,
            "timestamp" => Type::Timestamp,
            "timestamptz" => Type::TimestampTz,
            "interval" => Type::Interval,
            "uuid" => Type::Uuid,
            "numeric" => Type::Numeric,
            "unknown" => Type::StringLiteral,
            _ => Type::Other(t.format.clone()),
        }
    }

    /// `format_type()`'s spelling of a type, typmod included (`numeric(12,2)`,
    /// `character varying(40)`, `integer[]`).
    pub fn type_name(&self, ty: &Type) -> String {
        match ty {
            Type::Unknown => "unknown".into(),
            Type::Decimal { precision, scale } => format!("numeric({precision},{scale})"),
            Type::Char { varying: true, length: Some(n) } => format!("character varying({n})"),
            Type::Char { varying: false, length: Some(n) } => format!("character({n})"),
            // `format_type(oid, -1)`: an unconstrained bpchar column (NULL typmod says `character`).
            Type::Char { varying: false, length: None } => "bpchar".into(),
            // PostgreSQL arrays have no dimensions in their type: `integer[][]` is `integer[]`.
            Type::List(c) | Type::Array(c, _) => match c.as_ref() {
                inner @ (Type::List(_) | Type::Array(..)) => self.type_name(inner),
                inner => format!("{}[]", self.type_name(inner)),
            },
            Type::Other(s) => s.clone(),
            other => match self.oid_of(other).and_then(|id| self.ty(id)) {
                Some(t) => t.format.clone(),
                None => other.to_string().to_lowercase(),
            },
        }
    }

    /// A type as PostgreSQL writes it (`format_type()` output in the schema cache, a contract, a
    /// CAST target's text) → the checker's type. Never fails: unknown names are kept verbatim.
    pub fn parse_type(&self, text: &str) -> Type {
        names::parse(self, text)
    }
}
