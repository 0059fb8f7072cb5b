//! DuckDB's `unnest(x, recursive := …, max_depth := …, keep_parent_names := …)` in a select
//! list: how many levels it takes off `x`, and the columns it expands into when it reaches a
//! STRUCT. Each level is one LIST unnested or one STRUCT spread into its fields, as DuckDB's
//! binder rewrites the call into nested plain `unnest`s.

use sqlparser::ast::{Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, Value};

use super::constants::literal_number;
use crate::types::{StructField, Type};

/// The options of one `unnest` call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct UnnestOptions {
    /// Levels to take off; `None` = all of them (`recursive := true`).
    pub depth: Option<u64>,
    /// `keep_parent_names := true`: a nested field is named `parent.child`.
    pub keep_parent_names: bool,
}

/// What an `unnest` call produces in a select list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Unnested {
    /// One column of this type.
    Column(Type),
    /// One column per field (a STRUCT was reached and spread).
    Fields(Vec<StructField>),
    /// The input's type is not known, and with it neither the column count.
    Open,
}

/// Reads the named options of `f`. `Err` says why DuckDB rejects them at bind time.
pub(super) fn options(f: &Function) -> Result<UnnestOptions, String> {
    let mut recursive = false;
    let mut max_depth = None;
    let mut keep_parent_names = false;
    let FunctionArguments::List(list) = &f.args else {
        return Ok(UnnestOptions { depth: Some(1), keep_parent_names });
    };
    for a in &list.args {
        let (name, value) = match a {
            FunctionArg::Named { name, arg: FunctionArgExpr::Expr(v), .. } => (name, v),
            FunctionArg::ExprNamed { name: Expr::Identifier(name), arg: FunctionArgExpr::Expr(v), .. } => (name, v),
            _ => continue,
        };
        match name.value.to_ascii_lowercase().as_str() {
            "recursive" => recursive = literal_truth(value).unwrap_or(recursive),
            "keep_parent_names" => keep_parent_names = literal_truth(value).unwrap_or(keep_parent_names),
            "max_depth" => match literal_number(value) {
                Some(0.0) => return Err("UNNEST cannot have a max depth of 0".into()),
                Some(n) if n >= 1.0 && n.fract() == 0.0 => max_depth = Some(n as u64),
                _ => {}
            },
            _ => {}
        }
    }
    // `max_depth` alone unnests that deep; `recursive` alone, all the way.
    let depth = match (max_depth, recursive) {
        (Some(d), _) => Some(d),
        (None, true) => None,
        (None, false) => Some(1),
    };
    Ok(UnnestOptions { depth, keep_parent_names })
}

/// `true` / `false`, or a number (non-zero is true), as DuckDB casts the option to BOOLEAN.
fn literal_truth(e: &Expr) -> Option<bool> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Boolean(b) => Some(*b),
            Value::SingleQuotedString(s) => match s.to_ascii_lowercase().as_str() {
                "t" | "true" => Some(true),
                "f" | "false" => Some(false),
                _ => None,
            },
            _ => literal_number(e).map(|n| n != 0.0),
        },
        _ => literal_number(e).map(|n| n != 0.0),
    }
}

/// What unnesting a value of type `ty` with `opts` gives.
pub(super) fn unnest_type(ty: &Type, opts: UnnestOptions) -> Unnested {
    let mut left = opts.depth.unwrap_or(u64::MAX);
    let mut t = ty;
    // The outer level may be an ARRAY; the levels under it unnest only LISTs, as DuckDB does.
    if let Type::List(inner) | Type::Array(inner, _) = t {
        t = inner;
        left -= 1;
        while left > 0 {
            let Type::List(inner) = t else { break };
            t = inner;
            left -= 1;
        }
    }
    match t {
        Type::Unknown => Unnested::Open,
        Type::Struct(fields) if left > 0 => {
            let mut out = Vec::new();
            spread(fields, left, opts.keep_parent_names, None, &mut out);
            Unnested::Fields(out)
        }
        Type::Null => Unnested::Column(Type::Integer),
        t => Unnested::Column(t.clone()),
    }
}

/// Spreads `fields` into `out`, spreading STRUCT fields further while `left` levels remain.
fn spread(
    fields: &[StructField],
    left: u64,
    keep_parent_names: bool,
    parent: Option<&str>,
    out: &mut Vec<StructField>,
) {
    for (i, f) in fields.iter().enumerate() {
        // An unnamed STRUCT's fields are `element1`, `element2`, … (per STRUCT).
        let own = if f.name.is_empty() { format!("element{}", i + 1) } else { f.name.clone() };
        let name = match parent {
            Some(p) if keep_parent_names => format!("{p}.{own}"),
            _ => own,
        };
        match &f.ty {
            Type::Struct(inner) if left > 1 => spread(inner, left - 1, keep_parent_names, Some(&name), out),
            ty => out.push(StructField { name, ty: ty.clone() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(fields: &[(&str, Type)]) -> Type {
        Type::Struct(fields.iter().map(|(n, t)| StructField::new(*n, t.clone())).collect())
    }

    fn list(t: Type) -> Type {
        Type::List(Box::new(t))
    }

    fn names(u: &Unnested) -> Vec<String> {
        match u {
            Unnested::Fields(fs) => fs.iter().map(|f| f.name.clone()).collect(),
            _ => vec![],
        }
    }

    #[test]
    fn each_level_is_one_list_or_one_struct() {
        let inner = st(&[("x", Type::Integer)]);
        let s = st(&[("a", Type::Integer), ("b", inner.clone())]);
        let v = list(list(s.clone()));
        let at = |d| unnest_type(&v, UnnestOptions { depth: Some(d), keep_parent_names: false });
        assert_eq!(at(1), Unnested::Column(list(s.clone())));
        assert_eq!(at(2), Unnested::Column(s));
        assert_eq!(names(&at(3)), ["a", "b"]);
        assert_eq!(names(&at(4)), ["a", "x"]);
        let all = unnest_type(&v, UnnestOptions { depth: None, keep_parent_names: true });
        assert_eq!(names(&all), ["a", "b.x"]);
    }

    #[test]
    fn lists_inside_a_spread_struct_stay_lists_and_arrays_below_the_top_stay() {
        let s = st(&[("a", list(Type::Integer))]);
        let all = UnnestOptions { depth: None, keep_parent_names: false };
        assert_eq!(unnest_type(&s, all), Unnested::Fields(vec![StructField::new("a", list(Type::Integer))]));
        let arr = list(Type::Array(Box::new(Type::Integer), 1));
        assert_eq!(unnest_type(&arr, all), Unnested::Column(Type::Array(Box::new(Type::Integer), 1)));
        assert_eq!(unnest_type(&Type::Unknown, all), Unnested::Open);
    }
}
