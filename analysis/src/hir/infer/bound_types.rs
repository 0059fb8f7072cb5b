//! Result types DuckDB's bind functions compute from the arguments' types, where its catalog
//! can only say `ANY`, `MAP`, `STRUCT` or `UNION`: `histogram(x)` is a MAP from `x`'s type,
//! `union_tag(u)` an ENUM of `u`'s members, `struct_update(s, k := v)` the STRUCT with `k`
//! replaced or added, `map_concat` the maps' common type, `date_part([…], x)` a STRUCT of the
//! parts named. Each rule is checked against DuckDB in `tests/corpus/valid.sql`.

use sqlparser::ast::{Expr, FunctionArg, FunctionArgExpr};

use super::constants::expr_string;
use crate::dialect::Dialect;
use crate::types::{StructField, Type};

/// The type DuckDB binds `name(args)` to from the arguments (as written, and their types),
/// when a rule here knows it.
pub fn argument_dependent_type(dialect: Dialect, name: &str, args: &[FunctionArg], types: &[Type]) -> Option<Type> {
    if dialect != Dialect::DuckDb {
        return None;
    }
    match (name, types) {
        ("finalize", [state]) => super::aggregate_state::finalized(state),
        ("combine", [state, _]) if super::aggregate_state::finalized(state).is_some() => Some(state.clone()),
        ("histogram" | "histogram_exact", [x, bins @ ..])
            if !x.is_unknown() && (*x != Type::Null || bins.is_empty()) =>
        {
            // Binned, a DECIMAL is counted as DOUBLE; every other type keeps its own (an untyped
            // NULL its INTEGER).
            let key = match dialect.materialize(x) {
                Type::Decimal { .. } if !bins.is_empty() => Type::Double,
                other => other,
            };
            Some(Type::Map(Box::new(key), Box::new(Type::UBigInt)))
        }
        // The physical type backing the ENUM: the narrowest unsigned integer for its labels.
        ("enum_code", [Type::Enum(labels)]) => Some(match labels.len() {
            0..=255 => Type::UTinyInt,
            256..=65535 => Type::USmallInt,
            _ => Type::UInteger,
        }),
        ("union_tag", [Type::Union(members)]) => Some(Type::Enum(members.iter().map(|m| m.name.clone()).collect())),
        ("struct_extract", [Type::Struct(fields), _]) if super::unnamed_struct::is_unnamed(fields) => {
            let FunctionArg::Unnamed(FunctionArgExpr::Expr(key)) = args.get(1)? else { return None };
            super::unnamed_struct::field_at(fields, super::constants::literal_number(key)?)
        }
        ("union_extract", [Type::Union(fields), _]) | ("struct_extract", [Type::Struct(fields), _]) => {
            let key = string_constant(args.get(1)?)?;
            fields.iter().find(|f| f.name.eq_ignore_ascii_case(&key)).map(|f| f.ty.clone())
        }
        // `struct_insert` adds fields (naming one it has is its binder error, `call_checks.rs`),
        // `struct_update` replaces or adds them.
        ("struct_insert" | "struct_update", [Type::Struct(fields), values @ ..]) => {
            let mut fields = fields.clone();
            for (arg, value) in args.iter().skip(1).zip(values) {
                let FunctionArg::Named { name, .. } = arg else { return None };
                if value.contains_unknown() {
                    return None;
                }
                let ty = dialect.materialize(value);
                match fields.iter_mut().find(|f| f.name.eq_ignore_ascii_case(&name.value)) {
                    Some(field) => field.ty = ty,
                    None => fields.push(StructField::new(name.value.clone(), ty)),
                }
            }
            Some(Type::Struct(fields))
        }
        ("map_concat", maps) if !maps.is_empty() => {
            let mut common = Type::Null;
            for m in maps.iter().filter(|m| **m != Type::Null) {
                if !matches!(m, Type::Map(..)) || m.contains_unknown() {
                    return None;
                }
                common = if common == Type::Null { m.clone() } else { dialect.common_type(&common, m)? };
            }
            Some(common)
        }
        ("date_part" | "datepart", [Type::List(_), x]) if !x.is_unknown() && *x != Type::Null => {
            let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Array(parts)))) = args.first() else {
                return None;
            };
            // Of a constant NULL, DuckDB folds the call to a NULL.
            if matches!(args.get(1), Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(e))) if super::null_constant::folds_to_null(e))
            {
                return Some(Type::Null);
            }
            let fields = parts
                .elem
                .iter()
                .map(|p| {
                    let part = expr_string(p)?;
                    let double = part.eq_ignore_ascii_case("epoch") || part.eq_ignore_ascii_case("julian");
                    Some(StructField::new(part, if double { Type::Double } else { Type::BigInt }))
                })
                .collect::<Option<Vec<_>>>()?;
            (!fields.is_empty()).then_some(Type::Struct(fields))
        }
        _ => None,
    }
}

/// A positional argument that is a string constant (`'a'`).
fn string_constant(arg: &FunctionArg) -> Option<String> {
    match arg {
        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => expr_string(e),
        _ => None,
    }
}
