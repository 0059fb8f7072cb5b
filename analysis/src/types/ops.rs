//! Literal typing and operator typing (`+`, `=`, `AND`, `||`, unary `-`...), as DuckDB binds them.

use sqlparser::ast::{BinaryOperator as B, UnaryOperator as U};

use super::cast::common_type;
use super::ty::{Type, MAX_DECIMAL_PRECISION};
use crate::functions::Catalog;

/// A type error with a message for users that says what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeError {
    pub message: String,
}

impl TypeError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        TypeError { message: message.into() }
    }
}

impl std::fmt::Display for TypeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TypeError {}

/// The type DuckDB gives a numeric literal's text (without sign): integers become
/// [`Type::IntegerLiteral`] (UHUGEINT beyond HUGEINT, DOUBLE beyond that), `1.50` is
/// DECIMAL(3,2) (every written digit counts), exponents are DOUBLE, hex/binary are integers.
pub fn literal_number(text: &str) -> Type {
    let t: String = text.trim().chars().filter(|c| *c != '_').collect();
    let lower = t.to_ascii_lowercase();
    let (digits, radix) = if let Some(h) = lower.strip_prefix("0x") {
        (h.to_string(), 16)
    } else if let Some(b) = lower.strip_prefix("0b") {
        (b.to_string(), 2)
    } else {
        (lower.clone(), 10)
    };
    if radix != 10 {
        return match i128::from_str_radix(&digits, radix) {
            Ok(v) => Type::IntegerLiteral(v),
            Err(_) => Type::Double,
        };
    }
    if lower.contains('e') || lower.contains("inf") || lower.contains("nan") {
        return Type::Double;
    }
    if let Some((int, frac)) = lower.split_once('.') {
        if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
            return Type::Unknown;
        }
        let precision = int.len() + frac.len();
        if precision == 0 {
            return Type::Unknown;
        }
        if precision > usize::from(MAX_DECIMAL_PRECISION) {
            return Type::Double;
        }
        return Type::Decimal { precision: precision as u8, scale: frac.len() as u8 };
    }
    if lower.is_empty() || !lower.chars().all(|c| c.is_ascii_digit()) {
        return Type::Unknown;
    }
    match lower.parse::<i128>() {
        Ok(v) => Type::IntegerLiteral(v),
        Err(_) => match lower.parse::<u128>() {
            Ok(_) => Type::UHugeInt,
            Err(_) => Type::Double,
        },
    }
}

/// The name of the DuckDB function a binary operator binds to, if it binds to one.
fn operator_function(op: &B) -> Option<&'static str> {
    Some(match op {
        B::Plus => "+",
        B::Minus => "-",
        B::Multiply => "*",
        B::Divide => "/",
        B::DuckIntegerDivide | B::MyIntegerDivide => "//",
        B::Modulo => "%",
        B::StringConcat => "||",
        B::BitwiseAnd => "&",
        B::BitwiseOr => "|",
        B::BitwiseXor => "xor",
        B::PGBitwiseXor => "xor",
        B::PGBitwiseShiftLeft => "<<",
        B::PGBitwiseShiftRight => ">>",
        B::PGExp => "**",
        // `->` outside a lambda is JSON extraction; DuckDB binds it as `json_extract`.
        B::Arrow => "json_extract",
        B::LongArrow => "->>",
        B::AtArrow => "@>",
        B::ArrowAt => "<@",
        B::PGOverlap => "&&",
        B::PGStartsWith => "^@",
        // `~` / `!~` bind to `regexp_full_match` (the negation is NOT of it).
        B::PGRegexMatch | B::PGRegexNotMatch => "regexp_full_match",
        _ => return None,
    })
}

/// The result type of `l <op> r` as DuckDB binds it, or the binder error DuckDB would raise.
/// An Unknown operand gives Unknown and never an error.
pub fn binary_op(op: &B, l: &Type, r: &Type) -> Result<Type, TypeError> {
    if l.is_unknown() || r.is_unknown() {
        return Ok(match op {
            B::Eq | B::NotEq | B::Lt | B::LtEq | B::Gt | B::GtEq | B::And | B::Or | B::Xor | B::Spaceship => {
                Type::Boolean
            }
            _ => Type::Unknown,
        });
    }
    match op {
        // DuckDB 1.5 binds (in)equality between any two types (verified against DESCRIBE).
        B::Eq | B::NotEq | B::Spaceship => Ok(Type::Boolean),
        B::Lt | B::LtEq | B::Gt | B::GtEq => comparison_type(l, r).map(|_| Type::Boolean),
        // AND/OR cast their operands to BOOLEAN (explicitly), so they never fail to bind.
        B::And | B::Or | B::Xor => Ok(Type::Boolean),
        B::StringConcat => concat_type(l, r),
        _ => {
            let Some(func) = operator_function(op) else {
                return Ok(Type::Unknown);
            };
            match Catalog::duckdb().resolve(func, &[l.clone(), r.clone()]) {
                Ok(call) => Ok(call.return_type),
                Err(_) => Err(TypeError::new(format!(
                    "no operator {} for {} and {}: add an explicit CAST",
                    op_name(op),
                    l.normalize(),
                    r.normalize()
                ))),
            }
        }
    }
}

/// `l || r`: list concatenation when either side is a list, BLOB for two BLOBs, else VARCHAR.
fn concat_type(l: &Type, r: &Type) -> Result<Type, TypeError> {
    let is_list = |t: &Type| matches!(t, Type::List(_) | Type::Array(..));
    if is_list(l) || is_list(r) {
        return list_concat_type(l, r).ok_or_else(|| {
            TypeError::new(format!("cannot concatenate {} and {}: add an explicit CAST", l.normalize(), r.normalize()))
        });
    }
    if matches!(l, Type::Blob) && matches!(r, Type::Blob) {
        return Ok(Type::Blob);
    }
    Ok(Type::Varchar)
}

/// The result of concatenating two lists (`list_concat`, `||`, `+` on lists), None if their
/// element types have no common type.
pub(crate) fn list_concat_type(l: &Type, r: &Type) -> Option<Type> {
    let elem = |t: &Type| match t {
        Type::List(c) | Type::Array(c, _) => Some((**c).clone()),
        Type::Null => Some(Type::Null),
        Type::Unknown => Some(Type::Unknown),
        _ => None,
    };
    let c = common_type(&elem(l)?, &elem(r)?)?;
    Some(Type::List(Box::new(c)))
}

fn op_name(op: &B) -> String {
    match op {
        B::StringConcat => "||".into(),
        B::DuckIntegerDivide | B::MyIntegerDivide => "//".into(),
        other => other.to_string(),
    }
}

/// The type both comparison operands are cast to (`BoundComparisonExpression::BindComparison`),
/// or the error DuckDB raises when they cannot be compared.
pub fn comparison_type(l: &Type, r: &Type) -> Result<Type, TypeError> {
    if let Some(t) = common_type(l, r) {
        return Ok(t);
    }
    Err(TypeError::new(format!("cannot compare {} with {}: add an explicit CAST", l.normalize(), r.normalize())))
}

/// The result type of a unary operator (`-x`, `+x`, `NOT x`, `~x`).
pub fn unary_op(op: &U, t: &Type) -> Result<Type, TypeError> {
    if t.is_unknown() {
        return Ok(match op {
            U::Not => Type::Boolean,
            _ => Type::Unknown,
        });
    }
    match op {
        U::Not => Ok(Type::Boolean),
        // `+x` binds the catalog's `+(T)`: numbers only (`+DATE`, `+'a'` are binder errors).
        U::Plus => match t {
            Type::IntegerLiteral(_) => Ok(t.normalize()),
            // A type the catalog may not list (`BIGNUM`, a user type) is left to the warehouse.
            Type::Null | Type::Other(_) => Ok(t.clone()),
            other => unary_function("+", other).map(|_| other.clone()),
        },
        U::Minus => {
            if let Type::IntegerLiteral(v) = t {
                return Ok(Type::IntegerLiteral(v.saturating_neg()));
            }
            unary_function("-", t)
        }
        U::BitwiseNot => unary_function("~", t),
        U::PGPostfixFactorial => unary_function("!__postfix", t),
        _ => Ok(Type::Unknown),
    }
}

fn unary_function(name: &str, t: &Type) -> Result<Type, TypeError> {
    Catalog::duckdb()
        .resolve(name, std::slice::from_ref(t))
        .map(|c| c.return_type)
        .map_err(|_| TypeError::new(format!("no unary operator {name} for {}: add an explicit CAST", t.normalize())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(literal_number("1"), Type::IntegerLiteral(1));
        assert_eq!(literal_number("1.50").to_string(), "DECIMAL(3,2)");
        assert_eq!(literal_number("00.5").to_string(), "DECIMAL(3,1)");
        assert_eq!(literal_number(".5").to_string(), "DECIMAL(1,1)");
        assert_eq!(literal_number("1e3"), Type::Double);
        assert_eq!(literal_number("3000000000").materialize(), Type::BigInt);
        assert_eq!(literal_number("170141183460469231731687303715884105728"), Type::UHugeInt);
        assert_eq!(literal_number("1".repeat(50).as_str()), Type::Double);
        assert_eq!(literal_number("0x1F"), Type::IntegerLiteral(31));
    }
}
