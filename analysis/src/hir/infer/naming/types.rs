//! Type names as DuckDB prints them inside a rendered `CAST(x AS <type>)`.

use sqlparser::ast::{DataType, ExactNumberInfo};

use super::{comma, quote};
use crate::types::Type;

/// The target of a CAST as DuckDB prints it. DuckDB keeps what the query wrote where its grammar
/// has a form for it (`DECIMAL(9)`, `VARCHAR(3)`, `BIT(1)` for a bare `BIT`), lower-cases a
/// user type's unquoted name (`s1."mood"`), and prints every other type by its canonical name.
pub(super) fn cast_target(dt: &DataType) -> String {
    // `T ARRAY` is `T[]`; `T ARRAY[n]` is `T[n]`: the size belongs to the ARRAY suffix.
    if let Some(shown) = array_suffix(dt) {
        return shown;
    }
    let written = Type::from_sql(dt);
    match (dt, &written) {
        (DataType::Bit(n), _) => format!("BIT({})", n.unwrap_or(1)),
        // The JSON type keeps its written name; the corpus (and DuckDB's docs) write it upper-case.
        (DataType::JSON, _) => "\"JSON\"".to_string(),
        (DataType::Union(fields), _) => format!(
            "UNION({})",
            comma(fields.iter().map(|f| format!("{} {}", quote(&f.field_name.value), cast_target(&f.field_type))))
        ),
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
        (DataType::Enum(members, _), _) => format!(
            "\"ENUM\"({})",
            members
                .iter()
                .map(|m| match m {
                    sqlparser::ast::EnumMember::Name(n) | sqlparser::ast::EnumMember::NamedValue(n, _) => {
                        format!("'{}'", n.replace('\'', "''"))
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (DataType::Custom(name, args), Type::Other(_) | Type::Struct(_)) if !args.is_empty() => {
            custom_with_modifiers(name, args).unwrap_or_else(|| type_name(&written))
        }
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
        Type::Json => "\"JSON\"".to_string(),
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

/// A custom type with modifiers: `ROW(a INTEGER, …)` is a STRUCT; any other keeps its written name
/// quoted, followed by its modifiers (`"GEOMETRY"('…')`).
fn custom_with_modifiers(name: &sqlparser::ast::ObjectName, args: &[sqlparser::ast::TypeModifier]) -> Option<String> {
    use sqlparser::ast::TypeModifier;
    let [last] = name.0.as_slice() else { return None };
    let base = last.as_ident()?;
    if base.value.eq_ignore_ascii_case("row") {
        if !args.len().is_multiple_of(2) {
            return None;
        }
        let fields = args
            .chunks(2)
            .map(|pair| match pair {
                [TypeModifier::Identifier(f), TypeModifier::Identifier(t)] => {
                    Some(format!("{} {}", quote(&f.value), type_name(&Type::parse(&t.value))))
                }
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        return Some(format!("STRUCT({})", fields.join(", ")));
    }
    let nested = ["map", "union", "struct", "list", "enum", "array"];
    if nested.iter().any(|n| base.value.eq_ignore_ascii_case(n))
        || Type::parse(&base.value) != Type::Other(base.value.to_uppercase())
    {
        return None;
    }
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    Some(format!("\"{}\"({})", base.value.replace('"', "\"\""), args.join(", ")))
}

/// A type written with the `ARRAY` keyword (`T ARRAY`, `T ARRAY[n]`), as a CAST prints it.
fn array_suffix(dt: &DataType) -> Option<String> {
    let text = dt.to_string();
    let at = text.to_ascii_uppercase().rfind(" ARRAY")?;
    let size = &text[at + " ARRAY".len()..];
    let suffix = match size.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        Some(n) if n.parse::<u32>().is_ok() => format!("[{n}]"),
        _ if size.is_empty() => "[]".to_string(),
        _ => return None,
    };
    let inner = sqlparser::parser::Parser::new(&crate::syntax::RockyDialect)
        .try_with_sql(&text[..at])
        .ok()?
        .parse_data_type()
        .ok()?;
    Some(format!("{}{suffix}", cast_target(&inner)))
}
