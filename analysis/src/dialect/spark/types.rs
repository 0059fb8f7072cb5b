//! Spark SQL's type text: parsing what `DESCRIBE` / `DESCRIBE QUERY` print (and what a CAST
//! target or a contract says) into the checker's [`Type`], and printing a [`Type`] back the way
//! Spark's `catalogString` does (`int`, `decimal(10,2)`, `array<int>`, `struct<a:int,b:string>`).
//!
//! Spark's `timestamp` is a local-time-zone timestamp ([`Type::TimestampTz`]), `timestamp_ntz`
//! one without ([`Type::Timestamp`]); `void` (a bare NULL) is [`Type::Null`]; `string` is
//! [`Type::Varchar`]; intervals, `variant` and the rest are [`Type::Other`] with Spark's text.

use crate::types::{StructField, Type};

/// The checker's type for Spark's type text; text it cannot read is kept verbatim (lower case).
pub fn parse_type(text: &str) -> Type {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    if let Some(inner) = generic(&lower, "array") {
        return Type::List(Box::new(parse_type(inner)));
    }
    if let Some(inner) = generic(&lower, "map") {
        return match split_top(inner, ',').as_slice() {
            [k, v] => Type::Map(Box::new(parse_type(k)), Box::new(parse_type(v))),
            _ => Type::Other(lower),
        };
    }
    if let Some(inner) = generic(t, "struct").or_else(|| generic(t, "STRUCT")) {
        let mut fields = Vec::new();
        for f in split_top(inner, ',') {
            let f = f.trim();
            if f.is_empty() {
                continue;
            }
            // `name:type` (catalogString) or `name type` (DDL).
            let (name, ty) = match f.find(':') {
                Some(i) if !f[..i].contains('<') => (&f[..i], &f[i + 1..]),
                _ => match f.split_once(' ') {
                    Some((n, ty)) => (n, ty),
                    None => return Type::Other(lower),
                },
            };
            let name = name.trim().trim_matches('`');
            // A field's COMMENT is not part of its type.
            let ty = ty.split(" COMMENT ").next().unwrap_or(ty);
            fields.push(StructField::new(name, parse_type(ty)));
        }
        return Type::Struct(fields);
    }
    if let Some(args) =
        lower.strip_prefix("decimal").or_else(|| lower.strip_prefix("numeric")).or_else(|| lower.strip_prefix("dec"))
    {
        let args = args.trim();
        if args.is_empty() {
            return Type::Decimal { precision: 10, scale: 0 };
        }
        let inner = args.strip_prefix('(').and_then(|a| a.strip_suffix(')'));
        let nums: Vec<Option<u8>> =
            inner.map(|i| i.split(',').map(|n| n.trim().parse().ok()).collect()).unwrap_or_default();
        return match nums.as_slice() {
            [Some(p)] => Type::Decimal { precision: *p, scale: 0 },
            [Some(p), Some(s)] => Type::Decimal { precision: *p, scale: *s },
            _ => Type::Other(lower),
        };
    }
    for (prefix, varying) in [("varchar", true), ("char", false), ("character", false)] {
        if let Some(n) =
            lower.strip_prefix(prefix).and_then(|r| r.trim().strip_prefix('(')).and_then(|r| r.strip_suffix(')'))
        {
            if let Ok(length) = n.trim().parse() {
                return Type::Char { varying, length: Some(length) };
            }
        }
    }
    match lower.as_str() {
        "boolean" | "bool" => Type::Boolean,
        "tinyint" | "byte" => Type::TinyInt,
        "smallint" | "short" => Type::SmallInt,
        "int" | "integer" => Type::Integer,
        "bigint" | "long" => Type::BigInt,
        "float" | "real" => Type::Float,
        "double" => Type::Double,
        "string" => Type::Varchar,
        "binary" => Type::Blob,
        "date" => Type::Date,
        "timestamp" | "timestamp_ltz" => Type::TimestampTz,
        "timestamp_ntz" => Type::Timestamp,
        "void" | "null" => Type::Null,
        _ => Type::Other(lower.split_whitespace().collect::<Vec<_>>().join(" ")),
    }
}

/// A type as Spark's `DESCRIBE QUERY` prints it.
pub fn type_name(ty: &Type) -> String {
    match ty {
        Type::Unknown => "unknown".into(),
        Type::Null => "void".into(),
        Type::Boolean => "boolean".into(),
        Type::TinyInt => "tinyint".into(),
        Type::SmallInt => "smallint".into(),
        Type::Integer => "int".into(),
        Type::BigInt => "bigint".into(),
        Type::IntegerLiteral(v) => if i32::try_from(*v).is_ok() {
            "int"
        } else if i64::try_from(*v).is_ok() {
            "bigint"
        } else {
            "decimal(38,0)"
        }
        .into(),
        Type::Float => "float".into(),
        Type::Double => "double".into(),
        Type::Decimal { precision, scale } => format!("decimal({precision},{scale})"),
        Type::Varchar | Type::StringLiteral => "string".into(),
        Type::Char { varying: true, length: Some(n) } => format!("varchar({n})"),
        Type::Char { varying: false, length: Some(n) } => format!("char({n})"),
        Type::Char { .. } => "string".into(),
        Type::Blob => "binary".into(),
        Type::Date => "date".into(),
        Type::TimestampTz => "timestamp".into(),
        Type::Timestamp => "timestamp_ntz".into(),
        Type::List(e) | Type::Array(e, _) => format!("array<{}>", type_name(e)),
        Type::Map(k, v) => format!("map<{},{}>", type_name(k), type_name(v)),
        Type::Struct(fields) => {
            let fields: Vec<String> = fields.iter().map(|f| format!("{}:{}", f.name, type_name(&f.ty))).collect();
            format!("struct<{}>", fields.join(","))
        }
        Type::Other(text) => text.clone(),
        other => other.to_string().to_lowercase(),
    }
}

/// The inside of `name<…>` when `text` is that generic form.
fn generic<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.strip_prefix(name)?.trim_start().strip_prefix('<')?.strip_suffix('>')
}

/// Splits at `sep` outside `<…>` and `(…)`.
fn split_top(text: &str, sep: char) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0i32, 0, Vec::new());
    for (i, c) in text.char_indices() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            c if c == sep && depth == 0 => {
                out.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// The type of a numeric literal as Spark's parser types it: `1` int (bigint, then decimal when
/// it does not fit), `1L` bigint, `1S` smallint, `1Y` tinyint, `1.5` decimal(2,1), `1e3` and
/// `1D` double, `1F` float, `1BD` decimal.
pub fn literal_number(text: &str) -> Type {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    if let Some(body) = upper.strip_suffix("BD") {
        return decimal_literal(body);
    }
    match upper.chars().last() {
        Some('L') => return Type::BigInt,
        Some('S') => return Type::SmallInt,
        Some('Y') => return Type::TinyInt,
        Some('D') => return Type::Double,
        Some('F') => return Type::Float,
        _ => {}
    }
    if upper.contains('E') {
        return Type::Double;
    }
    if upper.contains('.') {
        return decimal_literal(&upper);
    }
    match t.parse::<i128>() {
        Ok(v) if i64::try_from(v).is_ok() => Type::IntegerLiteral(v),
        _ => decimal_literal(&upper),
    }
}

/// `decimal(p,s)` of a plain decimal literal's digits (`0.5` is decimal(1,1), `12.30` (4,2)).
fn decimal_literal(body: &str) -> Type {
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let int = int.trim_start_matches(['+', '-']).trim_start_matches('0');
    let scale = frac.len();
    let precision = (int.len() + scale).max(1).max(scale);
    match (u8::try_from(precision), u8::try_from(scale)) {
        (Ok(p), Ok(s)) if p <= 38 => Type::Decimal { precision: p, scale: s },
        _ => Type::Double,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_text_round_trips() {
        for text in [
            "int",
            "bigint",
            "decimal(10,2)",
            "string",
            "timestamp",
            "timestamp_ntz",
            "array<int>",
            "map<string,array<int>>",
            "struct<a:int,b:string>",
            "array<struct<x:decimal(5,1),y:map<string,int>>>",
            "interval day to second",
            "binary",
            "void",
        ] {
            assert_eq!(type_name(&parse_type(text)), text, "{text}");
        }
        assert_eq!(parse_type("INTEGER"), Type::Integer);
        assert_eq!(parse_type("DECIMAL"), Type::Decimal { precision: 10, scale: 0 });
        assert_eq!(
            parse_type("STRUCT<a: INT, b STRING>"),
            Type::Struct(vec![StructField::new("a", Type::Integer), StructField::new("b", Type::Varchar)])
        );
    }

    #[test]
    fn numeric_literals() {
        assert_eq!(literal_number("1"), Type::IntegerLiteral(1));
        assert_eq!(literal_number("1.5"), Type::Decimal { precision: 2, scale: 1 });
        assert_eq!(literal_number("0.5"), Type::Decimal { precision: 1, scale: 1 });
        assert_eq!(literal_number("1e3"), Type::Double);
        assert_eq!(literal_number("1L"), Type::BigInt);
        assert_eq!(literal_number("99999999999999999999"), Type::Decimal { precision: 20, scale: 0 });
    }
}
