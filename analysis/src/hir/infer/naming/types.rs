//! Type names as DuckDB prints them inside a rendered `CAST(x AS <type>)`.

use sqlparser::ast::{DataType, ExactNumberInfo};

use super::quote;
use crate::types::Type;

/// The target of a CAST as DuckDB prints it. DuckDB keeps what the query wrote where its grammar
/// has a form for it (`DECIMAL(9)`, `VARCHAR(3)`, `BIT(1)` for a bare `BIT`), lower-cases a
/// user type's unquoted name (`s1."mood"`), and prints every other type by its canonical name.
pub(super) fn cast_target(dt: &DataType) -> String {
    let written = Type::from_sql(dt);
    match (dt, &written) {
        (DataType::Bit(n), _) => format!("BIT({})", n.unwrap_or(1)),
        (DataType::Timestamp(Some(p), sqlparser::ast::TimezoneInfo::None), _) => format!("TIMESTAMP({p})"),
        (DataType::Array(sqlparser::ast::ArrayElemTypeDef::SquareBracket(inner, size)), _) => match size {
            Some(n) => format!("{}[{n}]", cast_target(inner)),
            None => format!("{}[]", cast_target(inner)),
        },
        (DataType::Decimal(info) | DataType::Numeric(info) | DataType::Dec(info), Type::Decimal { .. }) => match info {
            ExactNumberInfo::None => "DECIMAL".to_string(),
            ExactNumberInfo::Precision(p) => format!("DECIMAL({p})"),
            ExactNumberInfo::PrecisionAndScale(p, s) => format!("DECIMAL({p}, {s})"),
        },
        (_, Type::Varchar) if dt.to_string().contains('(') => dt.to_string().to_uppercase(),
        (DataType::Custom(name, args), Type::Other(_))
            if args.is_empty()
                && !name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .is_some_and(|i| crate::functions::is_builtin_type(&i.value)) =>
        {
            let parts: Vec<String> = name
                .0
                .iter()
                .filter_map(|p| p.as_ident())
                .map(|i| if i.quote_style.is_some() { i.value.clone() } else { i.value.to_lowercase() })
                .collect();
            match parts.split_last() {
                Some((last, schema)) => {
                    let mut shown: Vec<String> = schema.iter().map(|p| quote(p)).collect();
                    shown.push(format!("\"{}\"", last.replace('"', "\"\"")));
                    shown.join(".")
                }
                None => type_name(&written),
            }
        }
        _ => type_name(&written),
    }
}

/// A type as DuckDB prints it inside a rendered CAST: the SQL grammar's own types plainly
/// (`INTEGER`, `DECIMAL(10, 2)`), every other type as a quoted name (`"DATE"`, `"DOUBLE"`).
pub(super) fn type_name(ty: &Type) -> String {
    match ty {
        Type::Decimal { precision, scale } => format!("DECIMAL({precision}, {scale})"),
        Type::Integer
        | Type::BigInt
        | Type::SmallInt
        | Type::Float
        | Type::Varchar
        | Type::Boolean
        | Type::Timestamp
        | Type::Time
        | Type::Interval
        | Type::Bit => ty.to_string(),
        Type::List(inner) => format!("{}[]", type_name(inner)),
        Type::Array(inner, n) => format!("{}[{n}]", type_name(inner)),
        Type::Struct(fields) => format!(
            "STRUCT({})",
            fields.iter().map(|f| format!("{} {}", quote(&f.name), type_name(&f.ty))).collect::<Vec<_>>().join(", ")
        ),
        Type::Map(k, v) => format!("MAP({}, {})", type_name(k), type_name(v)),
        Type::Union(fields) => format!(
            "UNION({})",
            fields.iter().map(|f| format!("{} {}", quote(&f.name), type_name(&f.ty))).collect::<Vec<_>>().join(", ")
        ),
        Type::Json => "\"json\"".to_string(),
        other => {
            let shown = other.to_string();
            if shown.starts_with('"') {
                shown
            } else {
                format!("\"{shown}\"")
            }
        }
    }
}
