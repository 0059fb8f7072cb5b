//! Spark SQL's rules (Spark 4, ANSI mode as the engine reports it): its catalog — functions with
//! their kind, usage text and the signatures Spark's analyzer accepted for a bounded matrix of
//! argument types, plus the coercion facts it answered (the common type of two values, binary
//! operators, explicit casts) — **generated** by `scripts/gen-spark-catalog.sh` from the engine
//! itself into `catalog.jsonl` (never edited by hand), and the rules around it.
//!
//! A probe only knows the argument types it tried. A call whose argument types were not probed
//! exactly is answered by a probed stand-in of the same family (any decimal by `decimal(10,2)`,
//! any array by `array<int>`, …) only when the stand-in's answer cannot depend on the difference
//! (it is not the stand-in itself, its element, or a decimal); otherwise the answer is Unknown.
//! Unknown is never an error: only argument types probed exactly can be reported as rejected.
//!
//! Decimal arithmetic and widening follow Spark's `DecimalPrecision` rules (with
//! `spark.sql.decimalOperations.allowPrecisionLoss`, the default); a unit test checks them
//! against every decimal pair the generator probed.

mod types;

use std::collections::HashMap;
use std::sync::OnceLock;

pub use types::{literal_number, parse_type, type_name};

use crate::functions::{close_names, CallError, FunctionKind, ResolvedCall};
use crate::types::{BinaryOperator as B, Type, TypeError, UnaryOperator as U};

const DATA: &str = include_str!("catalog.jsonl");

/// One function of `SHOW FUNCTIONS`.
#[derive(Debug, Default)]
pub(crate) struct SparkFunction {
    pub kind: Option<FunctionKind>,
    /// A generator (`explode`, `stack`, …): may produce several columns.
    pub generator: bool,
    pub usage: String,
    /// The argument counts Spark accepts, when its WRONG_NUM_ARGS error listed them: exactly
    /// these (`Exact`), or at least `n` (`AtLeast`).
    pub nargs: Option<Arity>,
    /// Probed argument types → the result type (None: rejected) and the output-name template
    /// (`$1`, `$2` stand for the arguments' own names).
    sigs: Vec<(Vec<String>, Option<String>, Option<String>)>,
}

/// Argument counts from Spark's WRONG_NUM_ARGS error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Arity {
    Exact(Vec<usize>),
    AtLeast(usize),
}

impl Arity {
    fn accepts(&self, n: usize) -> bool {
        match self {
            Arity::Exact(list) => list.contains(&n),
            Arity::AtLeast(min) => n >= *min,
        }
    }
}

/// Spark's catalog as generated from the engine.
pub struct SparkCatalog {
    functions: HashMap<String, SparkFunction>,
    names: Vec<String>,
    common: HashMap<(String, String), Option<String>>,
    ops: HashMap<(String, Vec<String>), Option<String>>,
    casts: HashMap<(String, String), bool>,
    version: String,
    ansi: bool,
}

impl SparkCatalog {
    /// The catalog of the Spark version the data file was generated from (loaded once).
    pub fn get() -> &'static SparkCatalog {
        static CATALOG: OnceLock<SparkCatalog> = OnceLock::new();
        CATALOG.get_or_init(|| SparkCatalog::from_jsonl(DATA))
    }

    /// The generating engine's version (e.g. `4.0.1`).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Whether the catalog was generated with `spark.sql.ansi.enabled=true`.
    pub fn ansi(&self) -> bool {
        self.ansi
    }

    fn from_jsonl(data: &str) -> SparkCatalog {
        use serde_json::Value;
        let mut cat = SparkCatalog {
            functions: HashMap::new(),
            names: Vec::new(),
            common: HashMap::new(),
            ops: HashMap::new(),
            casts: HashMap::new(),
            version: String::new(),
            ansi: true,
        };
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let list = |v: &Value, k: &str| -> Vec<String> {
            v.get(k)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default()
        };
        for line in data.lines() {
            let Ok(v) = serde_json::from_str::<Value>(line) else { continue };
            if let Some(ver) = text(&v, "spark_version") {
                cat.version = ver;
                cat.ansi = v.get("ansi").and_then(Value::as_bool).unwrap_or(true);
            } else if let Some(name) = text(&v, "fn") {
                let f = cat.functions.entry(name.clone()).or_default();
                let kind = text(&v, "k").unwrap_or_default();
                f.kind = Some(match kind.as_str() {
                    "aggregate" => FunctionKind::Aggregate,
                    "window" => FunctionKind::Window,
                    _ => FunctionKind::Scalar,
                });
                f.generator = kind == "generator";
                f.usage = text(&v, "usage").unwrap_or_default();
                f.nargs = match v.get("nargs") {
                    Some(Value::Array(a)) => {
                        Some(Arity::Exact(a.iter().filter_map(Value::as_u64).map(|n| n as usize).collect()))
                    }
                    Some(Value::Object(o)) => o.get("min").and_then(Value::as_u64).map(|n| Arity::AtLeast(n as usize)),
                    _ => None,
                };
                cat.names.push(name);
            } else if let Some(name) = text(&v, "sig") {
                let sig = (list(&v, "a"), text(&v, "r"), text(&v, "n"));
                cat.functions.entry(name).or_default().sigs.push(sig);
            } else if v.get("common").is_some() {
                if let [a, b] = list(&v, "common").as_slice() {
                    cat.common.insert((a.clone(), b.clone()), text(&v, "r"));
                }
            } else if let Some(op) = text(&v, "op") {
                cat.ops.insert((op, list(&v, "a")), text(&v, "r"));
            } else if v.get("cast").is_some() {
                if let [a, b] = list(&v, "cast").as_slice() {
                    let ok = v.get("ok").and_then(Value::as_bool).unwrap_or(true);
                    cat.casts.insert((a.clone(), b.clone()), ok);
                }
            }
        }
        cat.names.sort();
        cat
    }

    /// Every function name (sorted), for completion.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// Scalar, aggregate or window; None for a name Spark does not have.
    pub fn kind(&self, name: &str) -> Option<FunctionKind> {
        self.functions.get(&name.to_ascii_lowercase()).and_then(|f| f.kind)
    }

    /// Spark's usage text of a function (`DESCRIBE FUNCTION`), for hover.
    pub fn description(&self, name: &str) -> Option<&str> {
        self.functions.get(&name.to_ascii_lowercase()).map(|f| f.usage.as_str()).filter(|u| !u.is_empty())
    }

    /// The accepted probe signatures, `f(int, string) -> string`, for hover and signature help.
    pub fn signatures(&self, name: &str) -> Vec<String> {
        let lower = name.to_ascii_lowercase();
        let Some(f) = self.functions.get(&lower) else { return Vec::new() };
        f.sigs
            .iter()
            .filter_map(|(args, r, _)| r.as_ref().map(|r| format!("{lower}({}) -> {r}", args.join(", "))))
            .collect()
    }

    /// How Spark names an unaliased call of `name` with `arity` arguments: a template where `$1`,
    /// `$2`… stand for the arguments' names (`CEIL($1)`, `substring($1, $2, 2147483647)`).
    pub fn name_template(&self, name: &str, arity: usize) -> Option<&str> {
        let f = self.functions.get(&name.to_ascii_lowercase())?;
        f.sigs.iter().filter(|(a, _, _)| a.len() == arity).find_map(|(_, _, n)| n.as_deref())
    }

    /// Binds a call: the probed answer for these argument types (see the module doc).
    pub fn resolve(&self, name: &str, args: &[Type]) -> Result<ResolvedCall, CallError> {
        let lower = name.to_ascii_lowercase();
        let Some(f) = self.functions.get(&lower) else {
            return Err(CallError::Unknown { suggestions: close_names(&lower, &self.names) });
        };
        let kind = f.kind.unwrap_or(FunctionKind::Scalar);
        let unknown = ResolvedCall { return_type: Type::Unknown, kind, signature: lower.clone() };
        if f.nargs.as_ref().is_some_and(|a| !a.accepts(args.len())) {
            let mut candidates = self.signatures(&lower);
            if candidates.is_empty() {
                candidates.push(format!("{lower}: {}", f.usage));
            }
            return Err(CallError::NoMatch { candidates });
        }
        if args.iter().any(Type::contains_unknown) {
            return Ok(unknown);
        }
        let args: Vec<Type> = args.iter().map(value_type).collect();
        let exact: Vec<String> = args.iter().map(type_name).collect();
        let sigs: Vec<_> = f.sigs.iter().filter(|(a, _, _)| a.len() == args.len()).collect();
        if let Some((a, r, _)) = sigs.iter().find(|(a, _, _)| *a == exact) {
            return match r {
                Some(r) => Ok(ResolvedCall {
                    return_type: parse_type(r),
                    kind,
                    signature: format!("{lower}({}) -> {r}", a.join(", ")),
                }),
                None if f.generator => Ok(unknown),
                None => Err(CallError::NoMatch { candidates: self.signatures(&lower) }),
            };
        }
        let stand_in: Vec<String> = args.iter().map(stand_in).collect();
        let probed = |key: &[String]| sigs.iter().find(|(a, _, _)| a.as_slice() == key).map(|(_, r, _)| r.clone());
        let Some(Some(r)) = probed(&stand_in) else { return Ok(unknown) };
        let result = parse_type(&r);
        let mut ty = translate(&result, &args, &stand_in);
        if ty != result && !ty.contains_unknown() {
            // The answer looked like it follows a substituted argument (`element_at` gives the
            // array's element): the same call with another stand-in there tells whether it
            // does (`size` gives int whatever the element).
            let mut asked = false;
            for (i, s) in stand_in.iter().enumerate() {
                let Some(alt) = alternate(s) else { continue };
                let mut key = stand_in.clone();
                key[i] = alt.to_string();
                if let Some(Some(r2)) = probed(&key) {
                    asked = true;
                    if r2 == r {
                        ty = result.clone();
                    }
                }
            }
            // Nothing to ask: an argument probed as it is with the answer's type explains it
            // (`percentile_approx(d, 0.5)` follows `d`, not the fraction's stand-in).
            if !asked && args.iter().zip(&stand_in).any(|(a, s)| type_name(a) == *s && *s == r) {
                ty = result.clone();
            }
        }
        let signature = format!("{lower}({}) -> {r}", stand_in.join(", "));
        Ok(ResolvedCall { return_type: ty, kind, signature })
    }

    /// A probed coercion fact for two types: the exact answer, or the stand-ins' answer when it
    /// cannot depend on the difference; `None` when nothing was probed.
    fn pair_fact(
        &self,
        table: &HashMap<(String, String), Option<String>>,
        a: &Type,
        b: &Type,
    ) -> Option<Result<Type, ()>> {
        let (ea, eb) = (type_name(a), type_name(b));
        if let Some(r) = table.get(&(ea.clone(), eb.clone())) {
            return Some(r.as_deref().map(parse_type).ok_or(()));
        }
        let (sa, sb) = (stand_in(a), stand_in(b));
        // A rejection of the stand-ins says nothing certain about these types.
        let r = table.get(&(sa.clone(), sb.clone()))?.as_ref()?;
        Some(Ok(translate(&parse_type(r), &[a.clone(), b.clone()], &[sa, sb])))
    }

    fn op_fact(&self, op: &str, a: &Type, b: &Type) -> Option<Result<Type, ()>> {
        let key = |x: String, y: String| (op.to_string(), vec![x, y]);
        if let Some(r) = self.ops.get(&key(type_name(a), type_name(b))) {
            return Some(r.as_deref().map(parse_type).ok_or(()));
        }
        let (sa, sb) = (stand_in(a), stand_in(b));
        let r = self.ops.get(&key(sa.clone(), sb.clone()))?.as_ref()?;
        Some(Ok(translate(&parse_type(r), &[a.clone(), b.clone()], &[sa, sb])))
    }
}

/// The type a value has in an expression: literals take their own types (an integer literal
/// keeps its value only for decimal arithmetic, which [`binary_op`] handles first).
fn value_type(t: &Type) -> Type {
    match t {
        Type::IntegerLiteral(v) if i32::try_from(*v).is_ok() => Type::Integer,
        Type::IntegerLiteral(_) => Type::BigInt,
        Type::StringLiteral | Type::Char { .. } => Type::Varchar,
        Type::List(e) | Type::Array(e, _) => Type::List(Box::new(value_type(e))),
        Type::Map(k, v) => Type::Map(Box::new(value_type(k)), Box::new(value_type(v))),
        other => other.clone(),
    }
}

/// The probed type standing in for a type of the same family.
fn stand_in(t: &Type) -> String {
    match value_type(t) {
        Type::TinyInt | Type::SmallInt => "int".into(),
        Type::Float => "double".into(),
        Type::Decimal { .. } => "decimal(10,2)".into(),
        Type::Timestamp => "timestamp".into(),
        Type::List(e) if e.is_string() => "array<string>".into(),
        Type::List(_) => "array<int>".into(),
        Type::Map(..) => "map<string,int>".into(),
        Type::Struct(_) => "struct<a:int,b:string>".into(),
        other => type_name(&other),
    }
}

/// Another probed type of the same family, to tell a result that follows an argument's type from
/// one that does not.
fn alternate(stand_in: &str) -> Option<&'static str> {
    Some(match stand_in {
        "int" => "bigint",
        "bigint" => "int",
        "array<int>" => "array<string>",
        "array<string>" => "array<int>",
        _ => return None,
    })
}

/// The real answer for the real argument types from a stand-in's answer: the stand-in itself
/// (or its element, or an array of it) maps back to the argument; an answer that is related to a
/// substituted stand-in otherwise (one of its parts, another nested type, a decimal computed from
/// a decimal) is Unknown, and so is any other answer for a nested stand-in without a mapping.
fn translate(result: &Type, args: &[Type], stand_ins: &[String]) -> Type {
    let text = type_name(result);
    let substituted: Vec<(usize, &String)> = stand_ins
        .iter()
        .enumerate()
        .filter(|(i, s)| args.get(*i).map(type_name).as_deref() != Some(s.as_str()))
        .collect();
    if substituted.is_empty() {
        return result.clone();
    }
    for (i, s) in &substituted {
        let arg = &args[*i];
        let stand = parse_type(s);
        if text == **s {
            return value_type(arg);
        }
        if stand.element_type().map(type_name).as_deref() == Some(text.as_str()) {
            return arg.element_type().map(value_type).unwrap_or(Type::Unknown);
        }
        if text == format!("array<{s}>") {
            return Type::List(Box::new(value_type(arg)));
        }
    }
    let related = substituted.iter().any(|(_, s)| {
        let stand = parse_type(s);
        text.contains(s.as_str())
            || (stand.is_nested()
                && (result.is_nested()
                    || s.contains(&format!("<{text}"))
                    || s.contains(&format!(",{text}>"))
                    || s.contains(&format!(":{text}"))))
            || (s.starts_with("decimal") && text.contains("decimal"))
    });
    if related {
        Type::Unknown
    } else {
        result.clone()
    }
}

/// An integral type's decimal form (`DecimalType.forType`); a literal's has just its digits.
fn as_decimal(t: &Type) -> Option<(u32, u32)> {
    Some(match t {
        Type::Decimal { precision, scale } => (u32::from(*precision), u32::from(*scale)),
        Type::TinyInt => (3, 0),
        Type::SmallInt => (5, 0),
        Type::Integer => (10, 0),
        Type::BigInt => (20, 0),
        Type::IntegerLiteral(v) => (v.unsigned_abs().to_string().len() as u32, 0),
        _ => return None,
    })
}

/// `DecimalType.adjustPrecisionScale` (precision loss allowed): beyond 38 digits the scale gives
/// way down to 6.
fn adjusted(p: u32, s: u32) -> Type {
    let (p, s) = if p <= 38 {
        (p, s)
    } else {
        let int_digits = p - s;
        let min_scale = s.min(6);
        (38, 38u32.saturating_sub(int_digits).max(min_scale))
    };
    Type::Decimal { precision: p as u8, scale: s as u8 }
}

/// `DecimalType.bounded`.
fn bounded(p: u32, s: u32) -> Type {
    Type::Decimal { precision: p.min(38) as u8, scale: s.min(38) as u8 }
}

/// Spark's decimal arithmetic (`DecimalPrecision`), when one side is a decimal and the other a
/// decimal or an integer.
fn decimal_arith(op: &B, l: &Type, r: &Type) -> Option<Type> {
    if !matches!(l, Type::Decimal { .. }) && !matches!(r, Type::Decimal { .. }) {
        return None;
    }
    let ((p1, s1), (p2, s2)) = (as_decimal(l)?, as_decimal(r)?);
    Some(match op {
        B::Plus | B::Minus => {
            let scale = s1.max(s2);
            adjusted((p1 - s1).max(p2 - s2) + scale + 1, scale)
        }
        B::Multiply => adjusted(p1 + p2 + 1, s1 + s2),
        B::Divide => {
            let scale = 6.max(s1 + p2 + 1);
            adjusted(p1 - s1 + s2 + scale, scale)
        }
        B::Modulo => {
            let scale = s1.max(s2);
            adjusted((p1 - s1).min(p2 - s2) + scale, scale)
        }
        _ => return None,
    })
}

/// The operator's name in the generated table.
fn op_key(op: &B) -> Option<&'static str> {
    Some(match op {
        B::Plus => "+",
        B::Minus => "-",
        B::Multiply => "*",
        B::Divide => "/",
        B::Modulo => "%",
        B::MyIntegerDivide | B::DuckIntegerDivide => "div",
        B::StringConcat => "||",
        B::Eq | B::NotEq => "=",
        B::Lt | B::LtEq | B::Gt | B::GtEq => "<",
        B::Spaceship => "<=>",
        B::BitwiseAnd | B::BitwiseOr | B::BitwiseXor => "&",
        _ => return None,
    })
}

/// The result type of `l <op> r`, or Spark's rejection (only for types it was probed with).
pub fn binary_op(op: &B, l: &Type, r: &Type) -> Result<Type, TypeError> {
    let comparison = matches!(op, B::Eq | B::NotEq | B::Lt | B::LtEq | B::Gt | B::GtEq | B::Spaceship);
    let fallback = if comparison || matches!(op, B::And | B::Or | B::Xor) { Type::Boolean } else { Type::Unknown };
    if l.contains_unknown() || r.contains_unknown() {
        return Ok(fallback);
    }
    if matches!(op, B::And | B::Or) {
        return Ok(Type::Boolean);
    }
    if let Some(t) = decimal_arith(op, l, r) {
        return Ok(t);
    }
    // Arithmetic takes numbers, intervals and datetimes only: the probes reject every array
    // operand, and structs and maps (not in the probe matrix) alike.
    let arithmetic = matches!(op, B::Plus | B::Minus | B::Multiply | B::Divide | B::Modulo | B::MyIntegerDivide);
    if arithmetic && [l, r].iter().any(|t| matches!(t, Type::Struct(_) | Type::Map(..))) {
        return Err(TypeError::new(format!(
            "Spark has no arithmetic on {} and {}",
            type_name(&value_type(l)),
            type_name(&value_type(r))
        )));
    }
    let Some(key) = op_key(op) else { return Ok(fallback) };
    let (lv, rv) = (value_type(l), value_type(r));
    match SparkCatalog::get().op_fact(key, &lv, &rv) {
        Some(Ok(t)) => Ok(t),
        Some(Err(())) => Err(TypeError::new(format!(
            "Spark has no operator {key} for {} and {}: add an explicit CAST",
            type_name(&lv),
            type_name(&rv)
        ))),
        None => Ok(fallback),
    }
}

/// The result type of a prefix operator.
pub fn unary_op(op: &U, t: &Type) -> Result<Type, TypeError> {
    let key = match op {
        U::Not => return Ok(Type::Boolean),
        U::Plus => return Ok(value_type(t)),
        U::Minus => "-",
        U::BitwiseNot => "~",
        _ => return Ok(Type::Unknown),
    };
    if t.contains_unknown() {
        return Ok(Type::Unknown);
    }
    let v = value_type(t);
    if matches!(v, Type::Decimal { .. }) && key == "-" {
        return Ok(v);
    }
    match SparkCatalog::get().ops.get(&(key.to_string(), vec![type_name(&v)])) {
        Some(Some(r)) => Ok(parse_type(r)),
        Some(None) => Err(TypeError::new(format!("Spark has no prefix operator {key} for {}", type_name(&v)))),
        None => Ok(Type::Unknown),
    }
}

/// The common type of two values (CASE branches, COALESCE, UNION columns, array elements); None
/// where Spark refuses to mix them.
pub fn common_type(a: &Type, b: &Type) -> Option<Type> {
    if a.contains_unknown() || b.contains_unknown() {
        return Some(Type::Unknown);
    }
    let (a, b) = (value_type(a), value_type(b));
    if a == b {
        return Some(a);
    }
    match (&a, &b) {
        (Type::Null, o) | (o, Type::Null) => return Some(o.clone()),
        (Type::List(x), Type::List(y)) => return common_type(x, y).map(|t| Type::List(Box::new(t))),
        (Type::Map(k1, v1), Type::Map(k2, v2)) => {
            return Some(Type::Map(Box::new(common_type(k1, k2)?), Box::new(common_type(v1, v2)?)));
        }
        (Type::Struct(f1), Type::Struct(f2))
            if f1.len() == f2.len() && f1.iter().zip(f2).all(|(x, y)| x.name.eq_ignore_ascii_case(&y.name)) =>
        {
            let fields = f1
                .iter()
                .zip(f2)
                .map(|(x, y)| common_type(&x.ty, &y.ty).map(|ty| crate::types::StructField::new(x.name.clone(), ty)))
                .collect::<Option<Vec<_>>>()?;
            return Some(Type::Struct(fields));
        }
        _ => {}
    }
    if matches!(a, Type::Decimal { .. }) || matches!(b, Type::Decimal { .. }) {
        if let (Some((p1, s1)), Some((p2, s2))) = (as_decimal(&a), as_decimal(&b)) {
            let scale = s1.max(s2);
            return Some(bounded((p1 - s1).max(p2 - s2) + scale, scale));
        }
    }
    let cat = SparkCatalog::get();
    match cat.pair_fact(&cat.common, &a, &b) {
        Some(Ok(t)) => Some(t),
        Some(Err(())) => None,
        None => Some(Type::Unknown),
    }
}

/// Whether an explicit CAST between the two types passes Spark's analysis (types never probed:
/// yes, the analysis does not know better).
pub fn can_cast(from: &Type, to: &Type) -> bool {
    if from.contains_unknown() || to.contains_unknown() {
        return true;
    }
    let cat = SparkCatalog::get();
    let (f, t) = (type_name(&value_type(from)), type_name(to));
    if let Some(ok) = cat.casts.get(&(f.clone(), t.clone())) {
        return *ok;
    }
    // Stand-ins only for the source: the target's family decides what a cast may do.
    let fs = stand_in(from);
    let ts = stand_in(to);
    !(cat.casts.get(&(fs, ts)) == Some(&false) && !from.is_nested() && !to.is_nested())
}

/// Binds a function call against Spark's catalog.
pub fn resolve_function(name: &str, args: &[Type]) -> Result<ResolvedCall, CallError> {
    SparkCatalog::get().resolve(name, args)
}

#[cfg(test)]
mod tests;
