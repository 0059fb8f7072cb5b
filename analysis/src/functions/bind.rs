//! Overload choice and result types (DuckDB's `FunctionBinder` plus the bind callbacks of the
//! common functions whose result type depends on the arguments).

use super::{param_cost, CallError, FunctionKind, Overload, Pattern, ResolvedCall};
use crate::types::{common_type, StructField, Type, MAX_DECIMAL_PRECISION};

struct Candidate<'a> {
    overload: &'a Overload,
    cost: u32,
    templates: Vec<(String, Type)>,
}

fn cost_of<'a>(o: &'a Overload, args: &[Type]) -> Option<Candidate<'a>> {
    if o.kind == FunctionKind::Macro {
        // Macros take their parameters; those with defaults may be left out.
        let takes = o.required.unwrap_or(o.params.len())..=o.params.len();
        return takes.contains(&args.len()).then_some(Candidate { overload: o, cost: 0, templates: Vec::new() });
    }
    let fixed = o.params.len();
    match &o.varargs {
        // Window functions list all their optional arguments (lag(x[, offset[, default]]));
        // the catalog generator asked DuckDB how many a call needs.
        None if o.kind == FunctionKind::Window && (o.required.unwrap_or(fixed)..=fixed).contains(&args.len()) => {}
        None if fixed != args.len() => return None,
        Some(_) if args.len() < fixed => return None,
        _ => {}
    }
    let mut templates = Vec::new();
    let mut cost = 0u32;
    for (i, a) in args.iter().enumerate() {
        let p = match o.params.get(i) {
            Some(p) => p,
            None => o.varargs.as_ref()?,
        };
        cost += param_cost(a, p, &mut templates)?;
    }
    Some(Candidate { overload: o, cost, templates })
}

pub(super) fn resolve(name: &str, overloads: &[Overload], args: &[Type]) -> Result<ResolvedCall, CallError> {
    let any_unknown = args.iter().any(Type::contains_unknown);
    if let Some(t) = generic(name, args) {
        let o = overloads.first();
        return match t {
            Some(t) => Ok(ResolvedCall {
                return_type: t,
                kind: o.map_or(FunctionKind::Scalar, |o| o.kind),
                signature: o.map_or_else(|| format!("{name}(...)"), |o| o.signature.clone()),
            }),
            None => Err(no_match(overloads)),
        };
    }
    let mut best: Option<Candidate> = None;
    let mut tied: Vec<&Overload> = Vec::new();
    for o in overloads {
        if let Some(c) = cost_of(o, args) {
            match &best {
                Some(b) if c.cost == b.cost => tied.push(o),
                Some(b) if c.cost > b.cost => {}
                _ => {
                    tied.clear();
                    best = Some(c);
                }
            }
        }
    }
    // DuckDB: "Could not choose a best candidate function" unless a parameter is unknown.
    // Ties between generic overloads that yield the same type are harmless.
    if let Some(b) = &best {
        let concrete_tie = tied.iter().any(|o| {
            matches!((&o.ret, &b.overload.ret),
                (Some(Pattern::Exact(x)), Some(Pattern::Exact(y))) if x != y)
                || o.params
                    .iter()
                    .zip(&b.overload.params)
                    .any(|(x, y)| matches!(x, Pattern::Exact(_)) && matches!(y, Pattern::Exact(_)) && x != y)
        });
        if concrete_tie && !any_unknown && b.overload.kind != FunctionKind::Macro {
            return Err(no_match(overloads));
        }
    }
    let Some(best) = best else {
        if any_unknown {
            if let Some(o) = overloads.first() {
                return Ok(ResolvedCall { return_type: Type::Unknown, kind: o.kind, signature: o.signature.clone() });
            }
        }
        return Err(no_match(overloads));
    };
    let o = best.overload;
    let return_type = candidate_return(name, &best, args, any_unknown).ok_or_else(|| no_match(overloads))?;
    // An argument of unknown type could select another overload: the result is known only
    // when every overload it could select returns the same type.
    let return_type = if any_unknown
        && overloads
            .iter()
            .filter_map(|o| cost_of(o, args))
            .any(|c| candidate_return(name, &c, args, true).is_none_or(|t| t != return_type))
    {
        Type::Unknown
    } else {
        return_type
    };
    Ok(ResolvedCall {
        return_type: if any_unknown && matches!(o.ret, Some(Pattern::Any) | None) {
            Type::Unknown
        } else {
            return_type
        },
        kind: o.kind,
        signature: o.signature.clone(),
    })
}

/// The result type of calling `c` with `args` (`None`: its templates cannot be bound).
fn candidate_return(name: &str, c: &Candidate<'_>, args: &[Type], any_unknown: bool) -> Option<Type> {
    let o = c.overload;
    let mut bound: Vec<(String, Type)> = Vec::new();
    for (tname, ty) in &c.templates {
        match bound.iter_mut().find(|(n, _)| n == tname) {
            Some((_, prev)) => match common_type(prev, ty) {
                Some(t) => *prev = t,
                None if any_unknown => *prev = Type::Unknown,
                None => return None,
            },
            None => bound.push((tname.clone(), ty.clone())),
        }
    }
    // A template only NULLs were passed for stays NULL (DuckDB's SQLNULL, INTEGER once it is a
    // column): `flatten([NULL])` is `INTEGER[]`.
    if !any_unknown {
        for p in o.params.iter().chain(o.varargs.as_ref()) {
            for t in p.templates() {
                if !bound.iter().any(|(n, _)| n == t) {
                    bound.push((t.to_string(), Type::Null));
                }
            }
        }
    }
    Some(match special(name, o, args) {
        Some(t) => t,
        None => match &o.ret {
            Some(p) => return_from_pattern(p, o, args, &bound),
            None => Type::Unknown,
        },
    })
}

fn no_match(overloads: &[Overload]) -> CallError {
    CallError::NoMatch { candidates: overloads.iter().map(|o| o.signature.clone()).collect() }
}

/// The argument passed at the first position whose parameter is `pred`.
fn arg_at<'a>(o: &Overload, args: &'a [Type], pred: impl Fn(&Pattern) -> bool) -> Option<&'a Type> {
    args.iter().enumerate().find_map(|(i, a)| {
        let p = o.params.get(i).or(o.varargs.as_ref())?;
        pred(p).then_some(a)
    })
}

fn return_from_pattern(p: &Pattern, o: &Overload, args: &[Type], bound: &[(String, Type)]) -> Type {
    match p {
        Pattern::Exact(t) => t.clone(),
        Pattern::Template(n) => bound.iter().find(|(b, _)| b == n).map(|(_, t)| t.normalize()).unwrap_or(Type::Unknown),
        Pattern::Any => arg_at(o, args, |p| matches!(p, Pattern::Any)).map(Type::normalize).unwrap_or(Type::Unknown),
        Pattern::AnyDecimal => {
            arg_at(o, args, |p| matches!(p, Pattern::AnyDecimal)).map(as_decimal).unwrap_or(Type::Unknown)
        }
        Pattern::List(c) if matches!(**c, Pattern::Any) => {
            // `f(ANY[], ...) -> ANY[]`: the list argument's type (list_sort, list_distinct...).
            match arg_at(o, args, |p| matches!(p, Pattern::List(c) if matches!(**c, Pattern::Any))) {
                Some(Type::List(c)) | Some(Type::Array(c, _)) => Type::List(Box::new(c.normalize())),
                _ => Type::List(Box::new(Type::Unknown)),
            }
        }
        Pattern::List(c) => Type::List(Box::new(return_from_pattern(c, o, args, bound))),
        Pattern::Array(c, Some(n)) => Type::Array(Box::new(return_from_pattern(c, o, args, bound)), *n),
        Pattern::Map(k, v) => Type::Map(
            Box::new(return_from_pattern(k, o, args, bound)),
            Box::new(return_from_pattern(v, o, args, bound)),
        ),
        Pattern::Struct(fs) => Type::Struct(
            fs.iter().map(|(n, p)| StructField::new(n.clone(), return_from_pattern(p, o, args, bound))).collect(),
        ),
        _ => Type::Unknown,
    }
}

/// The DECIMAL an argument becomes when passed to a DECIMAL parameter.
fn as_decimal(t: &Type) -> Type {
    match t.decimal_properties() {
        Some((p, s)) => Type::Decimal { precision: p, scale: s },
        None => Type::Unknown,
    }
}

fn dec_props(args: &[Type]) -> Option<Vec<(u8, u8)>> {
    args.iter().map(|a| as_decimal(a).decimal_properties()).collect()
}

fn decimal(p: u32, s: u32) -> Type {
    Type::Decimal {
        precision: p.min(u32::from(MAX_DECIMAL_PRECISION)) as u8,
        scale: s.min(u32::from(MAX_DECIMAL_PRECISION)) as u8,
    }
}

/// Result types DuckDB computes in bind callbacks.
/// `ty` with every `from` in it, however deeply nested, replaced by `to`.
fn replace_type(ty: &Type, from: &Type, to: &Type) -> Type {
    if ty == from {
        return to.clone();
    }
    let fields = |fs: &[crate::types::StructField]| {
        fs.iter()
            .map(|f| crate::types::StructField { name: f.name.clone(), ty: replace_type(&f.ty, from, to) })
            .collect()
    };
    match ty {
        Type::List(t) => Type::List(Box::new(replace_type(t, from, to))),
        Type::Array(t, n) => Type::Array(Box::new(replace_type(t, from, to)), *n),
        Type::Map(k, v) => Type::Map(Box::new(replace_type(k, from, to)), Box::new(replace_type(v, from, to))),
        Type::Struct(fs) => Type::Struct(fields(fs)),
        Type::Union(fs) => Type::Union(fields(fs)),
        other => other.clone(),
    }
}

fn special(name: &str, o: &Overload, args: &[Type]) -> Option<Type> {
    let decimal_params = o.params.iter().any(|p| matches!(p, Pattern::AnyDecimal));
    match name {
        "+" | "-" if decimal_params && args.len() == 2 => {
            let props = dec_props(args)?;
            let max_width = props.iter().map(|(p, _)| u32::from(*p)).max()?;
            let max_scale = props.iter().map(|(_, s)| u32::from(*s)).max()?;
            let over = props.iter().map(|(p, s)| u32::from(p - s)).max()?;
            let mut width = (max_scale + over).max(max_width) + 1;
            if width > 18 && max_width <= 18 {
                width = 18;
            }
            Some(decimal(width, max_scale))
        }
        "-" if decimal_params && args.len() == 1 => Some(as_decimal(&args[0])),
        "*" if decimal_params => {
            let props = dec_props(args)?;
            let width: u32 = props.iter().map(|(p, _)| u32::from(*p)).sum();
            let scale: u32 = props.iter().map(|(_, s)| u32::from(*s)).sum();
            let max_width = props.iter().map(|(p, _)| u32::from(*p)).max()?;
            let mut w = width;
            if w > 18 && max_width <= 18 && scale < 18 {
                w = 18;
            }
            Some(decimal(w, scale))
        }
        "%" | "mod" if decimal_params => {
            let props = dec_props(args)?;
            let scale = props.iter().map(|(_, s)| u32::from(*s)).max()?;
            let over = props.iter().map(|(p, s)| u32::from(p - s)).max()?;
            if over + scale > u32::from(MAX_DECIMAL_PRECISION) {
                return Some(Type::Double);
            }
            Some(decimal(over + scale, scale))
        }
        // The shape of the second argument (a typed NULL), filled from the first.
        "remap_struct" if args.len() == 4 && !matches!(args[1], Type::Null) => Some(args[1].normalize()),
        // The values of a STRUCT, as an unnamed STRUCT.
        "struct_values" => match args.first()? {
            Type::Struct(fields) => Some(Type::Struct(
                fields.iter().map(|f| crate::types::StructField { name: String::new(), ty: f.ty.clone() }).collect(),
            )),
            _ => None,
        },
        // `replace_type(x, NULL::FROM, NULL::TO)`: x's type with every FROM (nested too) made TO.
        "replace_type" => match args {
            [x, from, to] if ![x, from, to].iter().any(|t| t.contains_unknown() || matches!(t, Type::Null)) => {
                Some(replace_type(&x.normalize(), &from.normalize(), &to.normalize()))
            }
            _ => None,
        },
        "median" | "quantile_cont" | "quantile" | "quantile_disc" | "mad" => {
            let a = args.first()?;
            Some(match a {
                // The median absolute deviation of a time is a duration.
                Type::Date | Type::Time | Type::Timestamp | Type::TimestampTz if name == "mad" => Type::Interval,
                Type::Null if name == "mad" || name == "median" || name == "quantile_cont" => Type::Double,
                _ if name == "quantile_disc" || name == "quantile" => a.normalize(),
                Type::Decimal { .. } | Type::Float => a.clone(),
                _ if a.is_numeric() => Type::Double,
                Type::Date => Type::Timestamp,
                _ => a.normalize(),
            })
        }
        "sum" | "sum_no_overflow" | "fsum" | "kahan_sum" | "sumkahan" if decimal_params => {
            let (_, s) = as_decimal(args.first()?).decimal_properties()?;
            Some(decimal(38, u32::from(s)))
        }
        "avg" | "mean" if decimal_params => Some(Type::Double),
        "round" | "floor" | "ceil" | "ceiling" | "trunc" if decimal_params => {
            let (p, s) = as_decimal(args.first()?).decimal_properties()?;
            match args.get(1) {
                None => Some(decimal(u32::from(p), 0)),
                // round(DECIMAL(p,s), n) with a constant n keeps p and takes scale n (if < s).
                Some(Type::IntegerLiteral(n)) if name == "round" || name == "trunc" => {
                    let n = u32::try_from(*n).unwrap_or(0).min(u32::from(s));
                    Some(decimal(u32::from(p), n))
                }
                _ => None,
            }
        }
        "list_value" | "list_pack" if args.is_empty() => Some(Type::List(Box::new(Type::Null))),
        // `array_value(a, b, …)`: a fixed-size ARRAY of the arguments' common type.
        "array_value" if !args.is_empty() => {
            let mut elem = Type::Null;
            for a in args {
                elem = common_type(&elem, a)?;
            }
            if elem.contains_unknown() {
                return Some(Type::Unknown);
            }
            Some(Type::Array(Box::new(elem.materialize()), u32::try_from(args.len()).ok()?))
        }
        // `cast_to_type(x, y)`: x cast to y's type.
        "cast_to_type" if args.len() == 2 => Some(args[1].materialize()),
        // `equi_width_bins(min, max, n, nice)`: bins of the type of `max` (DECIMAL as DOUBLE).
        "equi_width_bins" if args.len() == 4 => Some(Type::List(Box::new(match args[1].normalize() {
            Type::Decimal { .. } => Type::Double,
            t if t.is_unknown() => return Some(Type::Unknown),
            t => t.materialize(),
        }))),
        // `list_zip(l1, l2, … [, truncate])`: a list of unnamed STRUCTs of the element types
        // (a NULL argument counts as an INTEGER list).
        "list_zip" | "array_zip" => {
            let lists = match args.split_last() {
                Some((Type::Boolean, rest)) if !rest.is_empty() => rest,
                _ => args,
            };
            let mut fields = Vec::new();
            for a in lists {
                let ty = match a {
                    Type::List(c) | Type::Array(c, _) => c.materialize(),
                    Type::Null => Type::Integer,
                    _ => return Some(Type::Unknown),
                };
                fields.push(StructField::new(String::new(), ty));
            }
            Some(Type::List(Box::new(Type::Struct(fields))))
        }
        // Aggregates returning the top n values of their first argument (`arg_max(x, y, n)`,
        // `min(x, n)`, `approx_top_k(x, k)`): the catalog says `ANY[]` for `f(ANY, …)`.
        _ if matches!(&o.ret, Some(Pattern::List(c)) if matches!(**c, Pattern::Any))
            && matches!(o.params.first(), Some(Pattern::Any))
            && !o.params.iter().any(|p| matches!(p, Pattern::List(_))) =>
        {
            let first = args.first()?.materialize();
            Some(if first.is_unknown() { Type::Unknown } else { Type::List(Box::new(first)) })
        }
        "struct_pack" | "row" => Some(Type::Unknown),
        "nullif" => args.first().map(Type::normalize),
        _ => None,
    }
}

/// Functions DuckDB binds specially (not through overloads): `None` when not one of them,
/// `Some(None)` for a binder error, `Some(Some(t))` for the result type.
pub(super) fn generic(name: &str, args: &[Type]) -> Option<Option<Type>> {
    let fold = |args: &[Type]| -> Option<Type> {
        let mut it = args.iter();
        let first = it.next()?.clone();
        it.try_fold(first, |acc, t| common_type(&acc, t))
    };
    Some(match name {
        "coalesce" | "ifnull" | "greatest" | "least" => fold(args).map(|t| t.normalize()),
        "concat" if !args.is_empty() => {
            if args.iter().any(|a| matches!(a, Type::List(_) | Type::Array(..))) {
                return Some(
                    args.iter()
                        .skip(1)
                        .try_fold(args[0].clone(), |acc, a| crate::types::ops::list_concat_type(&acc, a)),
                );
            }
            Some(Type::Varchar)
        }
        "list_concat" | "array_concat" | "list_cat" | "array_cat" if args.len() >= 2 => {
            let mut acc = args[0].clone();
            for a in &args[1..] {
                acc = match crate::types::ops::list_concat_type(&acc, a) {
                    Some(t) => t,
                    None => return Some(None),
                };
            }
            Some(acc)
        }
        "+" if args.len() == 2 && args.iter().all(|a| matches!(a, Type::List(_) | Type::Array(..))) => {
            crate::types::ops::list_concat_type(&args[0], &args[1])
        }
        "unnest" | "unlist" if args.len() == 1 => match &args[0] {
            Type::List(c) | Type::Array(c, _) => Some(c.normalize()),
            Type::Unknown | Type::Null => Some(args[0].clone()),
            _ => None,
        },
        _ => return None,
    })
}
