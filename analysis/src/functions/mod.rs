//! DuckDB's function catalog, generated from `duckdb_functions()`.
//!
//! `duckdb_functions.jsonl` is produced by `scripts/gen-duckdb-functions.sh` (never edited by
//! hand; a test fails when it is stale). Overloads are chosen like DuckDB's function binder: the
//! candidate with the lowest total implicit-cast cost wins; generic parameters (`ANY`, `T`,
//! `T[]`, bare `DECIMAL`/`STRUCT`/`MAP`) bind to the argument types; a few functions whose
//! result type DuckDB computes in a bind callback (`sum(DECIMAL)`, `round`, decimal arithmetic,
//! `list_value`, `struct_pack`...) have that rule here.

mod bind;
mod macro_body;
mod macros;

pub use macro_body::parse as parse_macro_body;

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::types::{implicit_cast_cost, Type};

const DATA: &str = include_str!("duckdb_functions.jsonl");

/// How a function is called: plain, as an aggregate (GROUP BY / OVER), only with OVER, or a
/// SQL macro that DuckDB expands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FunctionKind {
    Scalar,
    Aggregate,
    Window,
    Macro,
}

/// A successfully bound call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedCall {
    pub return_type: Type,
    pub kind: FunctionKind,
    /// The chosen overload, e.g. `sum(DECIMAL) -> DECIMAL`.
    pub signature: String,
}

/// Why a call does not bind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallError {
    /// No function of that name; `suggestions` are close names (did you mean...).
    Unknown { suggestions: Vec<String> },
    /// The function exists but no overload accepts these argument types.
    NoMatch { candidates: Vec<String> },
}

/// A parameter or return type as written in `duckdb_functions()`, with DuckDB's generic forms.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Pattern {
    Exact(Type),
    /// `ANY`: accepts anything; the result is computed at bind time.
    Any,
    /// A template (`T`, `K`, `V`) bound to the common type of its arguments.
    Template(String),
    AnyDecimal,
    AnyStruct,
    AnyMap,
    AnyUnion,
    AnyList,
    Lambda,
    List(Box<Pattern>),
    /// `X[N]`, or `X[ANY]` (size None).
    Array(Box<Pattern>, Option<u32>),
    Map(Box<Pattern>, Box<Pattern>),
    Struct(Vec<(String, Pattern)>),
    /// Something the checker does not model (`TYPE`, `AGGREGATE_STATE<?>`, `TABLE`...).
    Opaque(String),
}

impl Pattern {
    fn parse(raw: &str) -> Pattern {
        let raw = raw.trim();
        if let Some(inner) = raw.strip_suffix("[]") {
            return Pattern::List(Box::new(Pattern::parse(inner)));
        }
        if let Some(inner) = raw.strip_suffix("[ANY]") {
            return Pattern::Array(Box::new(Pattern::parse(inner)), None);
        }
        if raw.ends_with(']') {
            if let Some(open) = raw.rfind('[') {
                if let Ok(n) = raw[open + 1..raw.len() - 1].parse::<u32>() {
                    return Pattern::Array(Box::new(Pattern::parse(&raw[..open])), Some(n));
                }
            }
        }
        match raw {
            "ANY" => return Pattern::Any,
            "T" | "K" | "V" => return Pattern::Template(raw.to_string()),
            "DECIMAL" => return Pattern::AnyDecimal,
            "STRUCT" | "STRUCT()" => return Pattern::AnyStruct,
            "MAP" => return Pattern::AnyMap,
            "UNION" => return Pattern::AnyUnion,
            "LIST" | "ARRAY" => return Pattern::AnyList,
            "LAMBDA" => return Pattern::Lambda,
            _ => {}
        }
        Pattern::from_type(Type::parse(raw))
    }

    fn from_type(t: Type) -> Pattern {
        match t {
            Type::Other(s) if s == "ANY" => Pattern::Any,
            Type::Other(s) if s == "T" || s == "K" || s == "V" => Pattern::Template(s),
            Type::Other(s) if s != "BIGNUM" && s != "TIME_NS" => Pattern::Opaque(s),
            Type::List(c) => Pattern::List(Box::new(Pattern::from_type(*c))),
            Type::Array(c, n) => Pattern::Array(Box::new(Pattern::from_type(*c)), Some(n)),
            Type::Map(k, v) => Pattern::Map(Box::new(Pattern::from_type(*k)), Box::new(Pattern::from_type(*v))),
            Type::Struct(fs) if fs.iter().any(|f| matches!(f.ty, Type::Other(_))) => {
                Pattern::Struct(fs.into_iter().map(|f| (f.name, Pattern::from_type(f.ty))).collect())
            }
            other => Pattern::Exact(other),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Overload {
    pub(crate) kind: FunctionKind,
    pub(crate) params: Vec<Pattern>,
    pub(crate) varargs: Option<Pattern>,
    pub(crate) ret: Option<Pattern>,
    pub(crate) signature: String,
    /// How many arguments a macro call must give (the rest have defaults); all of them if None.
    pub(crate) required: Option<usize>,
    /// DuckDB folds a call with a constant NULL argument into an untyped NULL before binding
    /// it (a scalar function with a bind step and the default NULL handling; the catalog's `z`,
    /// asked of DuckDB by the generator).
    pub(crate) folds_null: bool,
    /// Positions where an untyped NULL argument makes the call an untyped NULL although typed
    /// NULLs do not fold it (`list_resize(NULL, 1, 1)`; the catalog's `u`).
    pub(crate) null_positions: Vec<usize>,
}

/// The catalog of DuckDB functions the checker knows, keyed by lower-case name.
pub struct Catalog {
    functions: HashMap<String, Vec<Overload>>,
    descriptions: HashMap<String, String>,
    names: Vec<String>,
    keywords: HashSet<String>,
    builtin_types: HashSet<String>,
    version: String,
    /// Macros that expand to an aggregate (`macros.rs`).
    aggregate_macros: HashSet<String>,
    /// Each macro's overloads: its parameter names and body (`macro_definition`).
    macro_bodies: HashMap<String, Vec<MacroBody>>,
    /// Each table function's overloads (positional parameters) with the columns DuckDB
    /// describes for a call of it (`[name, type]`).
    table_functions: HashMap<String, TableFunction>,
    /// DuckDB's built-in views by `schema.view` (`main.duckdb_tables`,
    /// `information_schema.columns`, `pg_catalog.pg_class`…).
    system_views: HashMap<String, Vec<SystemViewColumn>>,
}

/// A built-in macro's definition as `duckdb_functions()` reports it: DuckDB expands the body
/// with the arguments in place of the parameters before binding.
#[derive(Debug)]
pub struct MacroBody {
    pub params: Vec<String>,
    pub body: String,
    /// The body parsed on first use, once per process (None if it does not parse).
    parsed: std::sync::OnceLock<Option<sqlparser::ast::Expr>>,
}

impl MacroBody {
    /// The body as an expression, parsed once for every call of the macro.
    pub fn expr(&self) -> Option<&sqlparser::ast::Expr> {
        self.parsed.get_or_init(|| macro_body::parse(&self.body)).as_ref()
    }
}

/// A built-in table function's overloads (positional parameters), each with the columns
/// (`[name, type]`) DuckDB describes for a call of it, at the same index.
#[derive(Default)]
struct TableFunction {
    overloads: Vec<Overload>,
    columns: Vec<Vec<(String, String)>>,
}

/// A column of one of DuckDB's built-in views, as `duckdb_columns()` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SystemViewColumn {
    pub name: String,
    pub type_string: String,
    pub nullable: bool,
}

/// Functions DuckDB only allows with OVER (they are listed as aggregates in duckdb_functions()).
const WINDOW_ONLY: &[&str] = &[
    "row_number",
    "rank",
    "dense_rank",
    "percent_rank",
    "cume_dist",
    "ntile",
    "lag",
    "lead",
    "first_value",
    "last_value",
    "nth_value",
    "fill",
];

/// Whether DuckDB treats `word` as a keyword (any category); such STRUCT field names are quoted
/// in type display strings.
pub fn is_keyword(word: &str) -> bool {
    Catalog::duckdb().keywords.contains(word.to_ascii_lowercase().as_str())
}

/// Whether `name` (any case) is one of DuckDB's built-in type names, not a user-defined type.
pub fn is_builtin_type(name: &str) -> bool {
    Catalog::duckdb().builtin_types.contains(name.to_ascii_lowercase().as_str())
}

impl Catalog {
    /// The catalog of the DuckDB version the data file was generated from (loaded once).
    pub fn duckdb() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog::from_jsonl(DATA))
    }

    /// The DuckDB version the catalog was generated from (e.g. `v1.5.5`).
    pub fn duckdb_version(&self) -> &str {
        &self.version
    }

    fn from_jsonl(data: &str) -> Catalog {
        let mut functions: HashMap<String, Vec<Overload>> = HashMap::new();
        let mut descriptions = HashMap::new();
        let mut keywords = HashSet::new();
        let mut builtin_types = HashSet::new();
        let mut version = String::new();
        let mut macro_calls: HashMap<String, Vec<String>> = HashMap::new();
        let mut macro_bodies: HashMap<String, Vec<MacroBody>> = HashMap::new();
        let mut table_functions: HashMap<String, TableFunction> = HashMap::new();
        let mut system_views = HashMap::new();
        for line in data.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if let Some(ver) = v.get("duckdb_version").and_then(|x| x.as_str()) {
                version = ver.to_string();
                continue;
            }
            if let Some(kw) = v.get("keywords").and_then(|x| x.as_array()) {
                keywords.extend(kw.iter().filter_map(|k| k.as_str()).map(str::to_string));
                continue;
            }
            if let Some(ty) = v.get("types").and_then(|x| x.as_array()) {
                builtin_types.extend(ty.iter().filter_map(|k| k.as_str()).map(str::to_string));
                continue;
            }
            if let (Some(view), Some(schema)) =
                (v.get("view").and_then(|x| x.as_str()), v.get("s").and_then(|x| x.as_str()))
            {
                let columns = v.get("c").and_then(|x| x.as_array()).map(Vec::as_slice).unwrap_or_default();
                let columns = columns
                    .iter()
                    .filter_map(|c| {
                        let [name, ty, nullable] = c.as_array()?.as_slice() else { return None };
                        Some(SystemViewColumn {
                            name: name.as_str()?.to_string(),
                            type_string: ty.as_str()?.to_string(),
                            nullable: nullable.as_str() != Some("false"),
                        })
                    })
                    .collect();
                system_views.insert(format!("{schema}.{view}").to_ascii_lowercase(), columns);
                continue;
            }
            if let Some(name) = v.get("tf").and_then(|x| x.as_str()) {
                let params: Vec<String> = v
                    .get("p")
                    .and_then(|x| x.as_array())
                    .map(|a| a.iter().filter_map(|s| s.as_str()).map(str::to_string).collect())
                    .unwrap_or_default();
                let columns = v
                    .get("c")
                    .and_then(|x| x.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|c| match c.as_array()?.as_slice() {
                                [n, t] => Some((n.as_str()?.to_string(), t.as_str()?.to_string())),
                                _ => None,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let name = name.to_ascii_lowercase();
                let overload = Overload {
                    kind: FunctionKind::Scalar,
                    params: params.iter().map(|p| Pattern::parse(p)).collect(),
                    varargs: None,
                    ret: None,
                    signature: format!("{name}({})", params.join(", ")),
                    required: None,
                    folds_null: false,
                    null_positions: Vec::new(),
                };
                let entry = table_functions.entry(name).or_default();
                entry.overloads.push(overload);
                entry.columns.push(columns);
                continue;
            }
            let Some(name) = v.get("n").and_then(|x| x.as_str()) else {
                continue;
            };
            let name = name.to_ascii_lowercase();
            let kind = match v.get("k").and_then(|x| x.as_str()) {
                Some("aggregate") if WINDOW_ONLY.contains(&name.as_str()) => FunctionKind::Window,
                Some("aggregate") => FunctionKind::Aggregate,
                Some("macro") => FunctionKind::Macro,
                _ => FunctionKind::Scalar,
            };
            let strs = |key: &str| -> Vec<String> {
                v.get(key)
                    .and_then(|x| x.as_array())
                    .map(|a| a.iter().filter_map(|s| s.as_str()).map(str::to_string).collect())
                    .unwrap_or_default()
            };
            let raw_params = if kind == FunctionKind::Macro { strs("a") } else { strs("p") };
            let ret_raw = v.get("r").and_then(|x| x.as_str()).map(str::to_string);
            let var_raw = v.get("v").and_then(|x| x.as_str()).map(str::to_string);
            let mut sig_params = raw_params.clone();
            if let Some(va) = &var_raw {
                sig_params.push(format!("[{va}...]"));
            }
            let signature = match &ret_raw {
                Some(r) => format!("{name}({}) -> {r}", sig_params.join(", ")),
                None => format!("{name}({})", sig_params.join(", ")),
            };
            let params = if kind == FunctionKind::Macro {
                raw_params.iter().map(|_| Pattern::Any).collect()
            } else {
                raw_params.iter().map(|p| Pattern::parse(p)).collect()
            };
            if let Some(d) = v.get("d").and_then(|x| x.as_str()) {
                descriptions.entry(name.clone()).or_insert_with(|| d.to_string());
            }
            if let Some(body) = v.get("m").and_then(|x| x.as_str()).filter(|_| kind == FunctionKind::Macro) {
                macro_calls.entry(name.clone()).or_default().extend(macros::called_names(body));
                macro_bodies.entry(name.clone()).or_default().push(MacroBody {
                    params: raw_params.clone(),
                    body: body.to_string(),
                    parsed: std::sync::OnceLock::new(),
                });
            }
            functions.entry(name).or_default().push(Overload {
                kind,
                params,
                varargs: var_raw.as_deref().map(Pattern::parse),
                ret: ret_raw.as_deref().map(Pattern::parse),
                signature,
                required: v.get("q").and_then(|x| x.as_u64()).and_then(|q| usize::try_from(q).ok()),
                folds_null: v.get("z").and_then(|x| x.as_bool()).unwrap_or(false),
                null_positions: v
                    .get("u")
                    .and_then(|x| x.as_array())
                    .map(|a| a.iter().filter_map(|i| i.as_u64()).filter_map(|i| usize::try_from(i).ok()).collect())
                    .unwrap_or_default(),
            });
        }
        let mut names: Vec<String> = functions.keys().cloned().collect();
        names.sort();
        let aggregate_macros = macros::aggregate_macros(&macro_calls, |n| {
            functions.get(n).is_some_and(|o| o.iter().any(|o| o.kind == FunctionKind::Aggregate))
        });
        Catalog {
            functions,
            descriptions,
            names,
            keywords,
            builtin_types,
            version,
            aggregate_macros,
            macro_bodies,
            table_functions,
            system_views,
        }
    }

    /// The columns (`[name, type]`) the built-in table function `name` returns for positional
    /// arguments of these types: its overload bound as DuckDB binds a call. None for a name
    /// the catalog has no columns for, arguments no overload takes, or unknown arguments that
    /// leave overloads with different columns.
    pub fn table_function_columns(&self, name: &str, args: &[Type]) -> Option<&[(String, String)]> {
        let entry = self.table_functions.get(&name.to_ascii_lowercase())?;
        let call = bind::resolve(name, &entry.overloads, args).ok()?;
        let at = entry.overloads.iter().position(|o| o.signature == call.signature)?;
        let columns = entry.columns.get(at)?;
        let ambiguous = args.iter().any(Type::contains_unknown)
            && entry.overloads.iter().zip(&entry.columns).any(|(o, c)| o.params.len() == args.len() && c != columns);
        (!ambiguous).then_some(columns.as_slice())
    }

    /// Every overload of the built-in macro `name` (for a call that leaves out parameters with
    /// defaults or names its arguments).
    pub fn macro_overloads(&self, name: &str) -> &[MacroBody] {
        self.macro_bodies.get(&name.to_ascii_lowercase()).map_or(&[], Vec::as_slice)
    }

    /// The built-in macro `name` taking exactly `arity` arguments (a shorter call would need
    /// the parameters' defaults, which the catalog does not have).
    pub fn macro_body(&self, name: &str, arity: usize) -> Option<&MacroBody> {
        self.macro_bodies.get(&name.to_ascii_lowercase())?.iter().find(|m| m.params.len() == arity)
    }

    /// The columns of DuckDB's built-in view `schema.name` (lower case).
    pub fn system_view(&self, schema: &str, name: &str) -> Option<&[SystemViewColumn]> {
        self.system_views.get(&format!("{schema}.{name}")).map(Vec::as_slice)
    }

    /// All function names (lower case, sorted), for completion.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// Human-readable overload signatures, for hover.
    pub fn signatures(&self, name: &str) -> Vec<String> {
        self.overloads(name).map(|o| o.iter().map(|o| o.signature.clone()).collect()).unwrap_or_default()
    }

    /// DuckDB's one-line description of a function, for hover.
    pub fn description(&self, name: &str) -> Option<&str> {
        self.descriptions.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    /// Kind of the function (aggregate wins when a name has both scalar and aggregate overloads,
    /// which DuckDB does not allow in practice).
    pub fn kind(&self, name: &str) -> Option<FunctionKind> {
        let o = self.overloads(name)?;
        if self.aggregate_macros.contains(&name.to_ascii_lowercase()) {
            return Some(FunctionKind::Aggregate);
        }
        o.iter().map(|o| o.kind).find(|k| *k != FunctionKind::Scalar).or(Some(FunctionKind::Scalar))
    }

    /// True for aggregates (not window-only functions).
    pub fn is_aggregate(&self, name: &str) -> bool {
        self.kind(name) == Some(FunctionKind::Aggregate)
    }

    /// Close function names for an unknown one, best first.
    pub fn suggestions(&self, name: &str) -> Vec<String> {
        close_names(name, &self.names)
    }

    pub(crate) fn overloads(&self, name: &str) -> Option<&[Overload]> {
        self.functions.get(&name.to_ascii_lowercase()).map(Vec::as_slice)
    }

    /// Whether the overload of `name` that [`Self::resolve`] chose (its `signature`) folds a
    /// constant NULL argument into an untyped NULL: `ceil(NULL::DECIMAL)` and `'a' || NULL`
    /// are typed as `SELECT NULL` is (INTEGER), `upper(NULL::VARCHAR)` stays VARCHAR.
    pub fn folds_null(&self, name: &str, signature: &str) -> bool {
        self.overload(name, signature).is_some_and(|o| o.folds_null)
    }

    /// Where an untyped NULL argument makes a call of that overload an untyped NULL
    /// (`map_from_entries(NULL)`), although it does not fold typed NULLs.
    pub fn null_positions(&self, name: &str, signature: &str) -> &[usize] {
        self.overload(name, signature).map_or(&[], |o| o.null_positions.as_slice())
    }

    fn overload(&self, name: &str, signature: &str) -> Option<&Overload> {
        self.overloads(&name.to_ascii_lowercase())?.iter().find(|o| o.signature == signature)
    }

    /// Binds `name(args)` like DuckDB's function binder and returns the result type.
    /// Unknown arguments never cause [`CallError::NoMatch`].
    pub fn resolve(&self, name: &str, args: &[Type]) -> Result<ResolvedCall, CallError> {
        let lower = name.to_ascii_lowercase();
        if matches!(lower.as_str(), "coalesce" | "ifnull" | "unnest" | "unlist") {
            if let Some(t) = bind::generic(&lower, args) {
                return t
                    .map(|return_type| ResolvedCall {
                        return_type,
                        kind: FunctionKind::Scalar,
                        signature: format!("{lower}(ANY, [ANY...]) -> ANY"),
                    })
                    .ok_or(CallError::NoMatch { candidates: vec![format!("{lower}(ANY, [ANY...]) -> ANY")] });
            }
        }
        let Some(overloads) = self.overloads(&lower) else {
            return Err(CallError::Unknown { suggestions: self.suggestions(&lower) });
        };
        bind::resolve(&lower, overloads, args)
    }
}

/// Function names close to an unknown one (edit distance), best first; operators are left out.
pub(crate) fn close_names(name: &str, names: &[String]) -> Vec<String> {
    let lower = name.to_ascii_lowercase();
    let max = (lower.chars().count() / 3).clamp(1, 3);
    let mut scored: Vec<(usize, &String)> = names
        .iter()
        .filter(|n| !n.chars().all(|c| !c.is_alphanumeric()))
        .map(|n| (strsim::damerau_levenshtein(&lower, n), n))
        .filter(|(d, _)| *d <= max)
        .collect();
    scored.sort();
    scored.into_iter().take(5).map(|(_, n)| n.clone()).collect()
}

/// Cost of passing `arg` where `param` is expected, with template bindings collected.
impl Pattern {
    /// The template names (`T`, `K`, `V`) this pattern mentions.
    fn templates(&self) -> Vec<&str> {
        match self {
            Pattern::Template(n) => vec![n.as_str()],
            Pattern::List(p) | Pattern::Array(p, _) => p.templates(),
            Pattern::Map(k, v) => k.templates().into_iter().chain(v.templates()).collect(),
            Pattern::Struct(fs) => fs.iter().flat_map(|(_, p)| p.templates()).collect(),
            _ => Vec::new(),
        }
    }
}

pub(crate) fn param_cost(arg: &Type, param: &Pattern, templates: &mut Vec<(String, Type)>) -> Option<u32> {
    if arg.is_unknown() {
        return Some(0);
    }
    match param {
        Pattern::Exact(t) => implicit_cast_cost(arg, t),
        // Generic parameters cost slightly more than an exact match, so `first(DECIMAL)`
        // beats `first(ANY)` for a DECIMAL argument.
        Pattern::Any | Pattern::Opaque(_) => Some(1),
        Pattern::Lambda => Some(0),
        Pattern::Template(name) => {
            templates.push((name.clone(), arg.clone()));
            Some(1)
        }
        Pattern::AnyDecimal => match arg {
            Type::Decimal { .. } => Some(0),
            // An untyped NULL prefers BIGINT and DOUBLE to a DECIMAL (`sum(NULL)` is HUGEINT).
            Type::Null => Some(crate::types::cast::target_type_cost(&Type::Decimal { precision: 18, scale: 3 })),
            // DuckDB cannot pick a width for a string literal.
            Type::StringLiteral => None,
            other => implicit_cast_cost(other, &Type::Decimal { precision: 38, scale: 0 }),
        },
        Pattern::AnyStruct => match arg {
            Type::Struct(_) | Type::Null => Some(0),
            _ => None,
        },
        Pattern::AnyMap => match arg {
            Type::Map(..) | Type::Null => Some(0),
            _ => None,
        },
        Pattern::AnyUnion => match arg {
            Type::Union(_) | Type::Null => Some(0),
            _ => None,
        },
        Pattern::AnyList => match arg {
            Type::List(_) | Type::Array(..) | Type::Null => Some(0),
            _ => None,
        },
        Pattern::List(p) => match arg {
            Type::List(c) => param_cost(c, p, templates),
            Type::Array(c, _) => param_cost(c, p, templates).map(|c| c + 1),
            Type::Null => Some(crate::types::cast::target_type_cost(&Type::List(Box::new(Type::Null)))),
            _ => None,
        },
        Pattern::Array(p, n) => match arg {
            Type::Array(c, m) if n.is_none_or(|n| n == *m) => param_cost(c, p, templates),
            Type::List(c) => param_cost(c, p, templates).map(|c| c + 110),
            Type::Null => Some(110),
            _ => None,
        },
        Pattern::Map(k, v) => match arg {
            Type::Map(ak, av) => Some(param_cost(ak, k, templates)? + param_cost(av, v, templates)?),
            Type::Null => Some(160),
            _ => None,
        },
        Pattern::Struct(fields) => match arg {
            Type::Struct(afs) if afs.len() == fields.len() => {
                let mut cost = 0;
                for (af, (_, p)) in afs.iter().zip(fields) {
                    cost += param_cost(&af.ty, p, templates)?;
                }
                Some(cost)
            }
            Type::Null => Some(160),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests;
