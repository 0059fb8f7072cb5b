//! PostgreSQL's resolution rules (documentation chapter "Type Conversion"): operators (10.2),
//! functions (10.3), UNION/CASE/COALESCE/ARRAY common types (10.5), and explicit casts, over the
//! generated catalog. An Unknown operand never causes an error: where it leaves a choice open
//! the result is Unknown.

use super::{oid, PgCatalog, PgFunction};
use crate::functions::{CallError, FunctionKind, ResolvedCall};
use crate::types::{BinaryOperator as B, Type, TypeError, UnaryOperator as U};

/// An argument as resolution sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Arg {
    Known(u32),
    /// An untyped literal (PostgreSQL's `unknown`: `'abc'`, NULL).
    Literal,
    /// The checker does not know the type: matches anything.
    Free,
}

fn arg_of(cat: &PgCatalog, t: &Type) -> Arg {
    if t.is_unknown() {
        return Arg::Free;
    }
    match cat.oid_of(t) {
        Some(oid::UNKNOWN) => Arg::Literal,
        Some(id) => Arg::Known(id),
        None => Arg::Free,
    }
}

fn is_array(cat: &PgCatalog, id: u32) -> bool {
    cat.ty(id).is_some_and(|t| t.category == 'A' && t.elem != 0)
}

fn category(cat: &PgCatalog, id: u32) -> char {
    cat.ty(id).map(|t| t.category).unwrap_or('X')
}

fn preferred(cat: &PgCatalog, id: u32) -> bool {
    cat.ty(id).is_some_and(|t| t.preferred)
}

fn implicit_cast(cat: &PgCatalog, from: u32, to: u32) -> bool {
    from == to || cat.casts.get(&(from, to)) == Some(&'i')
}

/// Whether a polymorphic parameter accepts a (known) argument type.
fn polymorphic_accepts(cat: &PgCatalog, arg: u32, param: u32) -> Option<bool> {
    Some(match param {
        oid::ANYELEMENT | oid::ANYCOMPATIBLE => true,
        oid::ANYARRAY | oid::ANYCOMPATIBLEARRAY => is_array(cat, arg),
        oid::ANYNONARRAY | oid::ANYCOMPATIBLENONARRAY => !is_array(cat, arg),
        oid::ANYENUM => category(cat, arg) == 'E',
        _ if cat.ty(param).is_some_and(|t| t.kind == 'p' && t.name.starts_with("any")) => {
            // anyrange, anymultirange, anycompatiblerange…: by the argument's kind.
            let want = if cat.ty(param).is_some_and(|t| t.name.contains("multirange")) { 'm' } else { 'r' };
            cat.ty(arg).is_some_and(|t| t.kind == want)
        }
        _ => return None,
    })
}

/// PostgreSQL's `can_coerce_type` for one implicit coercion.
fn coercible(cat: &PgCatalog, arg: Arg, param: u32) -> bool {
    match arg {
        Arg::Free | Arg::Literal => true,
        Arg::Known(a) => {
            a == param
                || param == oid::ANY
                || polymorphic_accepts(cat, a, param).unwrap_or(false)
                || implicit_cast(cat, a, param)
                // A record parameter takes any composite or row value.
                || (category(cat, param) == 'P' && cat.ty(param).is_some_and(|t| t.name == "record") && category(cat, a) == 'C')
        }
    }
}

/// A function or operator candidate with its parameters for this call.
struct Candidate<T> {
    params: Vec<u32>,
    item: T,
    result: Type,
}

enum Pick<T> {
    One(Candidate<T>),
    NoMatch,
    Ambiguous,
}

/// `f`'s parameter list for a call with `n` arguments (VARIADIC repeats its element type,
/// defaulted trailing parameters may be left out), or None when `n` does not fit.
fn expand(f: &PgFunction, n: usize) -> Option<Vec<u32>> {
    let k = f.args.len();
    if f.variadic != 0 && k > 0 {
        if n < k {
            return None;
        }
        let mut params = f.args[..k - 1].to_vec();
        params.resize(n, f.variadic);
        return Some(params);
    }
    (n <= k && n + f.defaults >= k).then(|| f.args[..n].to_vec())
}

/// A type without its typmod (`numeric(10,2)` → `numeric`): what function results carry.
fn plain(cat: &PgCatalog, t: &Type) -> Type {
    match cat.oid_of(t) {
        Some(id) if id != oid::UNKNOWN => cat.type_of(id),
        _ => t.clone(),
    }
}

fn element(t: &Type) -> Option<&Type> {
    match t {
        Type::List(c) | Type::Array(c, _) => Some(c),
        _ => None,
    }
}

/// The result of a candidate for these arguments, resolving polymorphic parameters
/// (`anyelement` must be one type, `anycompatible` takes the common type); None when the
/// polymorphic arguments disagree.
fn bind_result(cat: &PgCatalog, params: &[u32], args: &[Type], result: u32) -> Option<Type> {
    let mut elem: Option<Type> = None;
    let mut compat: Vec<Type> = Vec::new();
    // An untyped literal is all `anyelement` saw: "could not determine polymorphic type".
    let (mut literal_only, mut free) = (false, false);
    for (p, a) in params.iter().zip(args) {
        let value = match *p {
            oid::ANYELEMENT | oid::ANYNONARRAY | oid::ANYENUM | oid::ANYCOMPATIBLE | oid::ANYCOMPATIBLENONARRAY => {
                Some(a.clone())
            }
            oid::ANYARRAY | oid::ANYCOMPATIBLEARRAY => match a {
                Type::Null | Type::StringLiteral | Type::Unknown => Some(a.clone()),
                other => element(other).cloned(),
            },
            _ => None,
        };
        let Some(value) = value else { continue };
        if matches!(*p, oid::ANYCOMPATIBLE | oid::ANYCOMPATIBLENONARRAY | oid::ANYCOMPATIBLEARRAY) {
            compat.push(value);
            continue;
        }
        if value.is_unknown() {
            free = true;
            continue;
        }
        if matches!(arg_of(cat, &value), Arg::Literal) {
            literal_only = true;
            continue;
        }
        let value = plain(cat, &value);
        match &elem {
            Some(e) if cat.oid_of(e) != cat.oid_of(&value) => return None,
            Some(_) => {}
            None => elem = Some(value),
        }
    }
    let compat_type = || -> Option<Type> {
        let mut it = compat.iter();
        let first = it.next()?.clone();
        let t = it.try_fold(first, |acc, t| common_type(&acc, t))?;
        Some(match arg_of(cat, &t) {
            // All untyped: text.
            Arg::Literal => Type::Varchar,
            _ => plain(cat, &t),
        })
    };
    if literal_only && elem.is_none() && !free {
        return None;
    }
    let free = || Type::Unknown;
    // `anycompatible` arguments need a common type (with the elements of `anycompatiblearray`).
    if !compat.is_empty() && compat_type().is_none() {
        return None;
    }
    Some(match result {
        oid::ANYELEMENT | oid::ANYNONARRAY | oid::ANYENUM => elem.unwrap_or_else(free),
        oid::ANYARRAY => elem.map(|e| Type::List(Box::new(e))).unwrap_or_else(free),
        oid::ANYCOMPATIBLE | oid::ANYCOMPATIBLENONARRAY => compat_type().unwrap_or_else(free),
        oid::ANYCOMPATIBLEARRAY => compat_type().map(|e| Type::List(Box::new(e))).unwrap_or_else(free),
        _ => cat.type_of(result),
    })
}

/// The candidate PostgreSQL picks (10.2 steps 2–3, 10.3 steps 2–4).
fn select<T>(cat: &PgCatalog, cands: Vec<(Vec<u32>, u32, T)>, types: &[Type]) -> Pick<T> {
    let args: Vec<Arg> = types.iter().map(|t| arg_of(cat, t)).collect();
    // Exact match on every argument.
    let mut live: Vec<Candidate<T>> = Vec::new();
    let mut exact: Option<Candidate<T>> = None;
    for (params, result, item) in cands {
        if params.len() != args.len() {
            continue;
        }
        if !args.iter().zip(&params).all(|(a, p)| coercible(cat, *a, *p)) {
            continue;
        }
        let Some(result) = bind_result(cat, &params, types, result) else { continue };
        let is_exact = args.iter().zip(&params).all(|(a, p)| *a == Arg::Known(*p));
        let c = Candidate { params, item, result };
        if is_exact && exact.is_none() {
            exact = Some(c);
        } else {
            live.push(c);
        }
    }
    if let Some(c) = exact {
        return Pick::One(c);
    }
    if live.len() <= 1 {
        return live.pop().map(Pick::One).unwrap_or(Pick::NoMatch);
    }
    // An argument the checker cannot type: pick only when every candidate agrees.
    if args.contains(&Arg::Free) {
        let first = &live[0].result;
        if live.iter().all(|c| c.result == *first) {
            return live.into_iter().next().map(Pick::One).unwrap_or(Pick::Ambiguous);
        }
        return Pick::Ambiguous;
    }
    // 4.c: most exact matches; 4.d: most preferred types where a conversion is needed.
    let keep_max = |live: Vec<Candidate<T>>, score: &dyn Fn(&Candidate<T>) -> usize| -> Vec<Candidate<T>> {
        let best = live.iter().map(score).max().unwrap_or(0);
        live.into_iter().filter(|c| score(c) == best).collect()
    };
    live = keep_max(live, &|c| args.iter().zip(&c.params).filter(|(a, p)| **a == Arg::Known(**p)).count());
    if live.len() == 1 {
        return live.pop().map(Pick::One).unwrap_or(Pick::NoMatch);
    }
    live = keep_max(live, &|c| {
        args.iter()
            .zip(&c.params)
            .filter(|(a, p)| match a {
                Arg::Known(t) => *t == **p || (preferred(cat, **p) && category(cat, **p) == category(cat, *t)),
                _ => false,
            })
            .count()
    });
    if live.len() == 1 {
        return live.pop().map(Pick::One).unwrap_or(Pick::NoMatch);
    }
    // 4.e: untyped arguments take the string category if any candidate accepts it there, else
    // the one category every candidate accepts; preferred types of it win.
    for (i, a) in args.iter().enumerate() {
        if *a != Arg::Literal {
            continue;
        }
        let cats: Vec<char> = live.iter().map(|c| category(cat, c.params[i])).collect();
        let chosen = if cats.contains(&'S') {
            'S'
        } else if cats.windows(2).all(|w| w[0] == w[1]) {
            cats[0]
        } else {
            return Pick::Ambiguous;
        };
        let any_preferred = live.iter().any(|c| category(cat, c.params[i]) == chosen && preferred(cat, c.params[i]));
        let next: Vec<Candidate<T>> = live
            .into_iter()
            .filter(|c| category(cat, c.params[i]) == chosen && (!any_preferred || preferred(cat, c.params[i])))
            .collect();
        if next.is_empty() {
            return Pick::Ambiguous;
        }
        live = next;
    }
    if live.len() == 1 {
        return live.pop().map(Pick::One).unwrap_or(Pick::NoMatch);
    }
    // 4.f: untyped arguments beside known ones of one type are taken to be of that type.
    let known: Vec<u32> = args.iter().filter_map(|a| if let Arg::Known(t) = a { Some(*t) } else { None }).collect();
    if !known.is_empty() && known.len() < args.len() && known.windows(2).all(|w| w[0] == w[1]) {
        let t = known[0];
        let fits: Vec<Candidate<T>> = live
            .into_iter()
            .filter(|c| {
                args.iter().zip(&c.params).all(|(a, p)| *a != Arg::Literal || coercible(cat, Arg::Known(t), *p))
            })
            .collect();
        if fits.len() == 1 {
            return fits.into_iter().next().map(Pick::One).unwrap_or(Pick::Ambiguous);
        }
    }
    Pick::Ambiguous
}

/// Binds `name(args)` as PostgreSQL's function resolution does (10.3).
pub(crate) fn resolve_function(name: &str, args: &[Type]) -> Result<ResolvedCall, CallError> {
    pick_function(name, args).map(|(call, _)| call)
}

/// A function called in FROM: its result type and, for a record-returning function with
/// `OUT` / `TABLE` parameters, its named columns.
pub(crate) fn resolve_table_function(name: &str, args: &[Type]) -> Result<(Type, Vec<(String, Type)>), CallError> {
    let cat = PgCatalog::get();
    let (call, f) = pick_function(name, args)?;
    let columns = f.map(|f| f.out.iter().map(|(n, t)| (n.clone(), cat.type_of(*t))).collect()).unwrap_or_default();
    Ok((call.return_type, columns))
}

fn pick_function(name: &str, args: &[Type]) -> Result<(ResolvedCall, Option<&'static PgFunction>), CallError> {
    let cat: &'static PgCatalog = PgCatalog::get();
    let lower = name.to_ascii_lowercase();
    let Some(fs) = cat.functions.get(&lower) else {
        return Err(CallError::Unknown { suggestions: cat.suggestions(&lower) });
    };
    let cands: Vec<(Vec<u32>, u32, &PgFunction)> =
        fs.iter().filter_map(|f| expand(f, args.len()).map(|p| (p, f.result, f))).collect();
    let signature = |c: &Candidate<&PgFunction>| {
        let shown: Vec<String> = c.params.iter().map(|p| cat.type_name(&cat.type_of(*p))).collect();
        format!("{lower}({}) -> {}", shown.join(", "), cat.type_name(&c.result))
    };
    match select(cat, cands, args) {
        Pick::One(c) => {
            let call = ResolvedCall { return_type: c.result.clone(), kind: c.item.kind, signature: signature(&c) };
            Ok((call, Some(c.item)))
        }
        // Not decidable because an argument's type is unknown: Unknown, no error.
        Pick::Ambiguous if args.iter().any(|a| matches!(arg_of(cat, a), Arg::Free)) => {
            let call = ResolvedCall {
                return_type: Type::Unknown,
                kind: cat.kind(&lower).unwrap_or(FunctionKind::Scalar),
                signature: format!("{lower}(…)"),
            };
            Ok((call, None))
        }
        Pick::Ambiguous | Pick::NoMatch => Err(CallError::NoMatch { candidates: cat.signatures(&lower) }),
    }
}

/// PostgreSQL's name of a binary operator, None for AND/OR and forms it does not have.
fn binary_name(op: &B) -> Option<String> {
    Some(match op {
        B::And | B::Or => return None,
        B::NotEq => "<>".into(),
        B::Xor | B::Spaceship | B::DuckIntegerDivide | B::MyIntegerDivide => return None,
        B::PGCustomBinaryOperator(parts) => parts.last()?.clone(),
        B::Custom(s) => s.clone(),
        other => other.to_string(),
    })
}

/// The result type of `l <op> r` (10.2), or PostgreSQL's "operator does not exist" error.
pub(crate) fn binary_op(op: &B, l: &Type, r: &Type) -> Result<Type, TypeError> {
    let cat = PgCatalog::get();
    if matches!(op, B::And | B::Or) {
        for t in [l, r] {
            if let Arg::Known(id) = arg_of(cat, t) {
                if !implicit_cast(cat, id, cat.oid_of(&Type::Boolean).unwrap_or(16)) {
                    let word = if matches!(op, B::And) { "AND" } else { "OR" };
                    return Err(TypeError::new(format!(
                        "argument of {word} must be type boolean, not type {}",
                        cat.type_name(t)
                    )));
                }
            }
        }
        return Ok(Type::Boolean);
    }
    let Some(name) = binary_name(op) else { return Ok(Type::Unknown) };
    operator(cat, &name, Some(l), r)
}

/// The result type of a prefix operator (`-x`, `~x`, `|/x`, `NOT x`).
pub(crate) fn unary_op(op: &U, t: &Type) -> Result<Type, TypeError> {
    let cat = PgCatalog::get();
    if matches!(op, U::Not) {
        if let Arg::Known(id) = arg_of(cat, t) {
            if !implicit_cast(cat, id, 16) {
                return Err(TypeError::new(format!(
                    "argument of NOT must be type boolean, not type {}",
                    cat.type_name(t)
                )));
            }
        }
        return Ok(Type::Boolean);
    }
    let name = match op {
        U::BitwiseNot => "~".to_string(),
        other => other.to_string(),
    };
    operator(cat, &name, None, t)
}

fn operator(cat: &PgCatalog, name: &str, l: Option<&Type>, r: &Type) -> Result<Type, TypeError> {
    let Some(ops) = cat.operators.get(name) else {
        return Err(TypeError::new(format!("operator does not exist: {}", shown(cat, name, l, r))));
    };
    let mut args: Vec<Type> = l.into_iter().cloned().collect();
    args.push(r.clone());
    let typed: Vec<Arg> = args.iter().map(|a| arg_of(cat, a)).collect();
    // 10.2 step 2.a: with one untyped operand, look for the operator on the other's type.
    if let [Arg::Known(a), Arg::Literal] | [Arg::Literal, Arg::Known(a)] = typed.as_slice() {
        if let Some(o) = ops.iter().find(|o| o.left == *a && o.right == *a) {
            return Ok(bind_result(cat, &[o.left, o.right], &args, o.result).unwrap_or(Type::Unknown));
        }
    }
    let cands: Vec<(Vec<u32>, u32, ())> = ops
        .iter()
        .filter(|o| (o.left == 0) == l.is_none())
        .map(|o| (if l.is_some() { vec![o.left, o.right] } else { vec![o.right] }, o.result, ()))
        .collect();
    match select(cat, cands, &args) {
        Pick::One(c) => Ok(c.result),
        Pick::Ambiguous if typed.contains(&Arg::Free) => Ok(Type::Unknown),
        Pick::Ambiguous => Err(TypeError::new(format!("operator is not unique: {}", shown(cat, name, l, r)))),
        Pick::NoMatch => Err(TypeError::new(format!("operator does not exist: {}", shown(cat, name, l, r)))),
    }
}

fn shown(cat: &PgCatalog, name: &str, l: Option<&Type>, r: &Type) -> String {
    match l {
        Some(l) => format!("{} {name} {}", cat.type_name(l), cat.type_name(r)),
        None => format!("{name} {}", cat.type_name(r)),
    }
}

/// Two values' common type (10.5, applied left to right): untyped values take the other's
/// type; one type keeps its typmod only when both sides have the same; different categories
/// have none. Unknown with anything is Unknown.
pub(crate) fn common_type(a: &Type, b: &Type) -> Option<Type> {
    let cat = PgCatalog::get();
    match (arg_of(cat, a), arg_of(cat, b)) {
        (Arg::Free, _) | (_, Arg::Free) => Some(Type::Unknown),
        (Arg::Literal, Arg::Literal) => Some(if matches!(a, Type::Null) { b.clone() } else { a.clone() }),
        // The untyped side is coerced to the other's type without its typmod, so the result has
        // none (`coalesce(numeric(12,2), NULL)` is `numeric`).
        (Arg::Literal, _) => Some(plain(cat, b)),
        (_, Arg::Literal) => Some(plain(cat, a)),
        (Arg::Known(x), Arg::Known(y)) => {
            if x == y {
                return Some(if a == b { a.clone() } else { cat.type_of(x) });
            }
            if category(cat, x) != category(cat, y) {
                return None;
            }
            let pick = if !preferred(cat, x) && implicit_cast(cat, x, y) && !implicit_cast(cat, y, x) { y } else { x };
            let other = if pick == x { y } else { x };
            implicit_cast(cat, other, pick).then(|| cat.type_of(pick))
        }
    }
}

/// Whether `CAST(x AS to)` is accepted: a `pg_cast` entry of any context, or PostgreSQL's
/// automatic I/O conversion to and from the string types; arrays by their elements.
pub(crate) fn can_cast(from: &Type, to: &Type) -> bool {
    let cat = PgCatalog::get();
    let (Arg::Known(x), Arg::Known(y)) = (arg_of(cat, from), arg_of(cat, to)) else { return true };
    if x == y || cat.casts.contains_key(&(x, y)) || category(cat, x) == 'S' || category(cat, y) == 'S' {
        return true;
    }
    match (element(from), element(to)) {
        (Some(a), Some(b)) => can_cast(a, b),
        _ => false,
    }
}

/// `NULLIF(a, b)`'s type: the left input type of the `=` operator it resolves
/// (`nullif(varchar_col, 'x')` compares as text, so it is `text`), or PostgreSQL's error when
/// there is no such operator.
pub(crate) fn nullif_type(a: &Type, b: &Type) -> Result<Type, TypeError> {
    let cat = PgCatalog::get();
    let not_found = || TypeError::new(format!("operator does not exist: {}", shown(cat, "=", Some(a), b)));
    let Some(ops) = cat.operators.get("=") else { return Err(not_found()) };
    let has = |t: u32| ops.iter().any(|o| o.left == t && o.right == t);
    match (arg_of(cat, a), arg_of(cat, b)) {
        (Arg::Free, _) | (_, Arg::Free) => return Ok(if a.is_unknown() { Type::Unknown } else { a.clone() }),
        (Arg::Known(x), Arg::Literal) if has(x) => return Ok(a.clone()),
        (Arg::Literal, Arg::Known(y)) if has(y) => return Ok(cat.type_of(y)),
        _ => {}
    }
    let cands: Vec<(Vec<u32>, u32, ())> =
        ops.iter().filter(|o| o.left != 0).map(|o| (vec![o.left, o.right], o.result, ())).collect();
    match select(cat, cands, &[a.clone(), b.clone()]) {
        Pick::One(c) if c.params.first() == cat.oid_of(a).as_ref() => Ok(a.clone()),
        Pick::One(c) => Ok(c.params.first().map(|p| cat.type_of(*p)).unwrap_or(Type::Unknown)),
        Pick::Ambiguous => Err(TypeError::new(format!("operator is not unique: {}", shown(cat, "=", Some(a), b)))),
        Pick::NoMatch => Err(not_found()),
    }
}
