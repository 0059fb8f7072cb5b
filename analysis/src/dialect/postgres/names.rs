//! Reading PostgreSQL type names: `format_type()` output (`character varying(40)`,
//! `timestamp(3) with time zone`, `numeric(12,2)[]`) and the SQL spellings its grammar accepts
//! (`int`, `varchar(5)`, `double precision`, `timestamptz`), plus literal typing.

use super::PgCatalog;
use crate::types::Type;

/// The SQL-standard spellings PostgreSQL's grammar (gram.y) turns into catalog names; every
/// other name is looked up in the catalog as written.
pub(crate) fn grammar_name(base: &str) -> &str {
    match base {
        "int" | "integer" => "int4",
        "smallint" => "int2",
        "bigint" => "int8",
        "real" => "float4",
        "float" | "double precision" => "float8",
        "decimal" | "dec" => "numeric",
        "boolean" => "bool",
        "char" | "character" => "bpchar",
        "varchar" | "character varying" | "char varying" => "varchar",
        "timestamp" | "timestamp without time zone" => "timestamp",
        "timestamp with time zone" => "timestamptz",
        "time" | "time without time zone" => "time",
        "time with time zone" => "timetz",
        "bit varying" => "varbit",
        other => other,
    }
}

/// `timestamp(3) without time zone` → `timestamp without time zone`.
pub(crate) fn strip_typmod(text: &str) -> String {
    match (text.find('('), text.find(')')) {
        (Some(open), Some(close)) if close > open => {
            let mut s = format!("{}{}", &text[..open], &text[close + 1..]);
            s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            s
        }
        _ => text.to_string(),
    }
}

pub(super) fn parse(cat: &PgCatalog, text: &str) -> Type {
    let trimmed = text.trim();
    // A quoted name is exact; anything else folds to lower case like PostgreSQL's parser.
    let lowered = if trimmed.starts_with('"') && trimmed.ends_with('"') && trimmed.len() >= 2 {
        trimmed[1..trimmed.len() - 1].replace("\"\"", "\"")
    } else {
        trimmed.to_lowercase()
    };
    let mut base = lowered.as_str();
    let mut dims = 0;
    while let Some(open) = base.strip_suffix(']').and_then(|b| b.rfind('[')) {
        base = base[..open].trim_end();
        dims += 1;
    }
    if let Some(b) = base.strip_prefix("pg_catalog.") {
        base = b;
    }
    let mut ty = scalar(cat, base);
    // PostgreSQL arrays have one type whatever their dimensions.
    if dims > 0 {
        ty = Type::List(Box::new(ty));
    }
    ty
}

fn scalar(cat: &PgCatalog, text: &str) -> Type {
    let args: Option<Vec<&str>> = match (text.find('('), text.find(')')) {
        (Some(open), Some(close)) if close > open => Some(text[open + 1..close].split(',').map(str::trim).collect()),
        _ => None,
    };
    let base = strip_typmod(text);
    if let Some(fields) = interval_fields(&base) {
        return Type::Other(format!("interval {fields}"));
    }
    let name = grammar_name(&base);
    let Some(id) = cat.by_name.get(name).copied() else {
        return Type::Other(text.to_string());
    };
    let plain = cat.type_of(id);
    let Some(args) = args else {
        // SQL's `char` / `character` without a length is `character(1)`.
        if matches!(base.as_str(), "char" | "character") {
            return Type::Char { varying: false, length: Some(1) };
        }
        return plain;
    };
    let nums: Option<Vec<u32>> = args.iter().map(|a| a.parse::<u32>().ok()).collect();
    match (&plain, nums.as_deref()) {
        (Type::Numeric, Some([p])) => decimal(*p, 0, text),
        (Type::Numeric, Some([p, s])) => decimal(*p, *s, text),
        (Type::Char { varying, .. }, Some([n])) => Type::Char { varying: *varying, length: Some(*n) },
        // Other typmods (`timestamp(3)`, `bit(8)`, `interval(2)`) are kept in PostgreSQL's
        // spelling: the modifier after the first word, before any `with(out) time zone`.
        _ => {
            let format = cat.ty(id).map(|t| t.format.clone()).unwrap_or(base.clone());
            let modifier = format!("({})", args.join(","));
            Type::Other(match format.find(" with") {
                Some(at) => format!("{}{modifier}{}", &format[..at], &format[at..]),
                None => format!("{format}{modifier}"),
            })
        }
    }
}

/// The fields of `interval day`, `interval year to month`, … (the typmod PostgreSQL's
/// `format_type` prints after `interval`), normalised to single spaces; None for other types and
/// for a precision (`interval second(3)`, kept verbatim instead).
pub(crate) fn interval_fields(text: &str) -> Option<String> {
    const UNITS: [&str; 6] = ["year", "month", "day", "hour", "minute", "second"];
    let rest = text.trim().strip_prefix("interval ")?.to_lowercase();
    let words: Vec<&str> = rest.split_whitespace().collect();
    let rank = |w: &str| UNITS.iter().position(|u| *u == w);
    let valid = match words.as_slice() {
        [one] => rank(one).is_some(),
        // `a to b`: b after a, both of year–month or both of day–second.
        [a, "to", b] => matches!((rank(a), rank(b)), (Some(x), Some(y)) if x < y && (y <= 1 || x >= 2)),
        _ => false,
    };
    valid.then(|| words.join(" "))
}

fn decimal(p: u32, s: u32, text: &str) -> Type {
    match (u8::try_from(p), u8::try_from(s)) {
        (Ok(precision), Ok(scale)) if precision >= 1 && scale <= precision => Type::Decimal { precision, scale },
        _ => Type::Other(text.to_string()),
    }
}

/// The type PostgreSQL gives an integer literal: `integer` when it fits, else `bigint`, else
/// `numeric`.
pub(super) fn integer_literal(v: i128) -> Type {
    crate::types::narrowest_integer(v, Type::Numeric)
}

/// The type of a numeric literal's text: integers as [`integer_literal`], anything with a point
/// or an exponent `numeric` (PostgreSQL's lexer rules).
pub(crate) fn literal_number(text: &str) -> Type {
    let t: String = text.trim().chars().filter(|c| *c != '_').collect();
    let lower = t.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        return i128::from_str_radix(hex, 16).map(integer_literal).unwrap_or(Type::Numeric);
    }
    if lower.contains(['.', 'e']) {
        return Type::Numeric;
    }
    match lower.parse::<i128>() {
        Ok(v) => integer_literal(v),
        Err(_) if lower.chars().all(|c| c.is_ascii_digit()) && !lower.is_empty() => Type::Numeric,
        Err(_) => Type::Unknown,
    }
}
