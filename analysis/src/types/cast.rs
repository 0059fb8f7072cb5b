//! DuckDB's implicit-cast costs (`CastRules::ImplicitCast`) and max-logical-type rules
//! (`LogicalType::TryGetMaxLogicalType`), which decide overloads, CASE/COALESCE result types,
//! set-operation columns and comparison operand types.

use super::ty::{integer_literal_type, StructField, Type, MAX_DECIMAL_PRECISION};

/// DuckDB's preference among cast targets (`TargetTypeCost`): lower wins when several overloads
/// would accept an argument.
pub(crate) fn target_type_cost(t: &Type) -> u32 {
    match t {
        Type::Integer => 103,
        Type::BigInt => 101,
        Type::Double => 102,
        Type::HugeInt => 120,
        Type::Timestamp => 120,
        Type::Varchar => 149,
        Type::Decimal { .. } => 104,
        Type::Struct(_) | Type::Map(..) | Type::List(_) | Type::Union(_) => 160,
        // BIGNUM is a last resort (sum(UBIGINT) is HUGEINT, not BIGNUM).
        Type::Other(s) if s == "BIGNUM" => 200,
        _ => 110,
    }
}

fn is_bignum(t: &Type) -> bool {
    matches!(t, Type::Other(s) if s == "BIGNUM")
}

fn numeric_targets(from: &Type, to: &Type) -> bool {
    use Type::*;
    let float_or_dec = matches!(to, Float | Double | Decimal { .. }) || is_bignum(to);
    match from {
        TinyInt => float_or_dec || matches!(to, SmallInt | Integer | BigInt | HugeInt),
        SmallInt => float_or_dec || matches!(to, Integer | BigInt | HugeInt),
        Integer => float_or_dec || matches!(to, BigInt | HugeInt),
        BigInt => float_or_dec || matches!(to, HugeInt),
        HugeInt | UHugeInt => float_or_dec,
        UTinyInt => {
            float_or_dec
                || matches!(to, USmallInt | UInteger | UBigInt | UHugeInt | SmallInt | Integer | BigInt | HugeInt)
        }
        USmallInt => float_or_dec || matches!(to, UInteger | UBigInt | UHugeInt | Integer | BigInt | HugeInt),
        UInteger => float_or_dec || matches!(to, UBigInt | UHugeInt | BigInt | HugeInt),
        UBigInt => matches!(to, UHugeInt | HugeInt) || is_bignum(to),
        Float => matches!(to, Double),
        Decimal { .. } => matches!(to, Float | Double),
        _ => false,
    }
}

/// Whether an integer literal's value fits `to` (DuckDB lets `1` become a TINYINT cheaply).
fn literal_fits(v: i128, to: &Type) -> bool {
    use Type::*;
    match to {
        TinyInt => i8::try_from(v).is_ok(),
        SmallInt => i16::try_from(v).is_ok(),
        Integer => i32::try_from(v).is_ok(),
        BigInt => i64::try_from(v).is_ok(),
        HugeInt => true,
        UTinyInt => u8::try_from(v).is_ok(),
        USmallInt => u16::try_from(v).is_ok(),
        UInteger => u32::try_from(v).is_ok(),
        UBigInt => u64::try_from(v).is_ok(),
        UHugeInt => v >= 0,
        Decimal { precision, scale } => {
            let digits = v.unsigned_abs().to_string().len() as u32;
            digits + u32::from(*scale) <= u32::from(*precision)
        }
        Float | Double => true,
        _ => false,
    }
}

/// DuckDB's implicit cast cost from `from` to `to`; `None` when DuckDB will not cast implicitly
/// (an explicit CAST is then required). Unknown casts to everything for free.
pub fn implicit_cast_cost(from: &Type, to: &Type) -> Option<u32> {
    use Type::*;
    if from.is_unknown() || to.is_unknown() {
        return Some(0);
    }
    if matches!(from, Null) {
        return Some(target_type_cost(to));
    }
    match from {
        StringLiteral => {
            return match to {
                Varchar => Some(1),
                StringLiteral => Some(0),
                // A string literal may become any concrete type (parsed at bind time).
                _ => Some(20),
            };
        }
        IntegerLiteral(v) => {
            let base = integer_literal_type(*v);
            if matches!(to, IntegerLiteral(_)) || base == *to {
                return Some(0);
            }
            if to.is_integral() && literal_fits(*v, to) {
                return Some(target_type_cost(to).saturating_sub(90));
            }
            return implicit_cast_cost(&base, to);
        }
        _ => {}
    }
    if from == to {
        return Some(0);
    }
    match (from, to) {
        (List(a), List(b)) => implicit_cast_cost(a, b).map(|c| c.saturating_sub(1)),
        (Array(a, n), Array(b, m)) if n == m => implicit_cast_cost(a, b),
        (Array(a, _), List(b)) => implicit_cast_cost(a, b).map(|c| c + 1),
        (Struct(a), Struct(b)) => {
            if a.len() != b.len() {
                return None;
            }
            let mut cost = 0;
            for (x, y) in a.iter().zip(b) {
                if !x.name.eq_ignore_ascii_case(&y.name) {
                    return None;
                }
                cost += implicit_cast_cost(&x.ty, &y.ty)?;
            }
            Some(cost)
        }
        (Map(ak, av), Map(bk, bv)) => Some(implicit_cast_cost(ak, bk)? + implicit_cast_cost(av, bv)?),
        (Decimal { .. }, Decimal { .. }) => Some(0),
        (Enum(_), Varchar) => Some(target_type_cost(to)),
        // DuckDB prefers TIMESTAMP over TIMESTAMPTZ (avg(DATE) is TIMESTAMP): TZ costs more.
        (Date | Timestamp | TimestampS | TimestampMs | TimestampNs, TimestampTz) => Some(130),
        // UBIGINT to floating/decimal is allowed but costlier than HUGEINT (UBIGINT + INTEGER
        // is HUGEINT in DuckDB).
        (UBigInt, Float | Double | Decimal { .. }) => Some(target_type_cost(to) + 50),
        (Date, Timestamp | TimestampS | TimestampMs | TimestampNs) => Some(target_type_cost(to)),
        (TimestampS, TimestampMs | Timestamp | TimestampNs) => Some(target_type_cost(to)),
        (TimestampMs, Timestamp | TimestampNs) => Some(target_type_cost(to)),
        (Timestamp, TimestampNs) => Some(target_type_cost(to)),
        // Nanoseconds to microseconds too: `date_trunc('day', ts_ns)` and `ts_ns + INTERVAL …`
        // are TIMESTAMP.
        (TimestampNs, Timestamp) => Some(target_type_cost(to)),
        (Time, TimeTz) => Some(target_type_cost(to)),
        (Json, Varchar) | (Varchar, Json) => Some(target_type_cost(to)),
        (Other(s), Double) if s == "BIGNUM" => Some(target_type_cost(to)),
        (_, Union(members)) => members.iter().filter_map(|m| implicit_cast_cost(from, &m.ty)).min(),
        // VARIANT holds a value of any type: everything casts to it implicitly (DuckDB compares
        // and combines `v < 4`, `[v, 1.2]` as VARIANT).
        (_, Other(name)) if name == "VARIANT" => Some(target_type_cost(to)),
        _ if numeric_targets(from, to) => Some(target_type_cost(to)),
        _ => None,
    }
}

/// Whether `CAST(x AS to)` binds in DuckDB (it may still fail at run time on bad values).
pub fn can_cast_explicitly(from: &Type, to: &Type) -> bool {
    use Type::*;
    if from.is_unknown() || to.is_unknown() || matches!(from, Null) || from == to {
        return true;
    }
    // Types the analysis only knows by name (VARIANT, BIGNUM, TIME_NS, user-defined types) have
    // casts it cannot judge: an error there would be a guess.
    if matches!(from, Other(_)) || matches!(to, Other(_)) {
        return true;
    }
    if implicit_cast_cost(from, to).is_some() {
        return true;
    }
    // Everything casts to and from VARCHAR (parsing / printing).
    if from.is_string() || matches!(to, Varchar) || matches!(from, Json) || matches!(to, Json) {
        return true;
    }
    let scalar_num = |t: &Type| t.is_numeric() || matches!(t, Boolean);
    match (from, to) {
        // DuckDB has no ARRAY of size 0.
        (_, Array(_, 0)) => false,
        _ if scalar_num(from) && scalar_num(to) => true,
        (List(a), List(b)) | (Array(a, _), List(b)) | (List(a), Array(b, _)) => can_cast_explicitly(a, b),
        // A size mismatch binds: it fails at run time (TRY_CAST gives NULL).
        (Array(a, _), Array(b, _)) => can_cast_explicitly(a, b),
        // Structs cast by field name (missing fields become NULL, extra ones are dropped) or by
        // position, and to MAPs: DuckDB's rules there depend on the names, so trust it.
        (Struct(_), Struct(_) | Map(..)) => true,
        (Map(ak, av), Map(bk, bv)) => can_cast_explicitly(ak, bk) && can_cast_explicitly(av, bv),
        (a, b) if a.is_temporal() && b.is_temporal() => !matches!(a, Interval) && !matches!(b, Interval),
        (Blob, Bit) | (Bit, Blob) | (Uuid, Blob) | (Blob, Uuid) => true,
        (Bit, b) | (b, Bit) if b.is_integral() || matches!(b, Float | Double) => true,
        // ENUMs cast through their VARCHAR labels, so whatever VARCHAR casts to.
        (Enum(_), _) | (_, Enum(_)) => true,
        (Bit, Boolean) | (Boolean, Bit) => true,
        (_, Union(_)) => true,
        _ => false,
    }
}

/// The common type of two values (DuckDB's `TryGetMaxLogicalType`): used for CASE branches,
/// COALESCE, IN lists, list elements and comparison operands. `None` where DuckDB's binder
/// refuses ("Cannot mix values of type X and Y ... an explicit cast is required").
/// Unknown with anything is Unknown; NULL with X is X.
pub fn common_type(a: &Type, b: &Type) -> Option<Type> {
    max_type(a, b, false)
}

/// The type of a set-operation column (`UNION [ALL]`, `INTERSECT`, `EXCEPT`): like
/// [`common_type`] but never fails — DuckDB then picks the "larger" type id (so INTEGER with
/// VARCHAR becomes VARCHAR, INTEGER with DATE becomes DATE).
pub fn union_type(a: &Type, b: &Type) -> Type {
    match max_type(a, b, true) {
        Some(t) => t,
        None => {
            if type_id_rank(b) > type_id_rank(a) {
                b.normalize()
            } else {
                a.normalize()
            }
        }
    }
}

/// Rank of DuckDB's `LogicalTypeId` enum values (used by the forced max type).
fn type_id_rank(t: &Type) -> u32 {
    use Type::*;
    match t {
        Null => 0,
        Unknown => 1,
        Other(_) => 2,
        Boolean => 10,
        _ if t.is_numeric() => 20,
        Time => 29,
        Date => 30,
        TimestampS => 32,
        TimestampMs => 33,
        Timestamp => 34,
        TimestampNs => 35,
        TimeTz => 36,
        TimestampTz => 37,
        Interval => 38,
        Varchar | StringLiteral | Json => 40,
        Blob => 41,
        Bit => 42,
        Uuid => 43,
        Struct(_) => 100,
        List(_) => 101,
        Map(..) => 102,
        Enum(_) => 104,
        Union(_) => 107,
        Array(..) => 108,
        _ => 3,
    }
}

fn max_type(a: &Type, b: &Type, force: bool) -> Option<Type> {
    use Type::*;
    if a.is_unknown() || b.is_unknown() {
        return Some(Unknown);
    }
    // JSON is an alias of VARCHAR in DuckDB; aliased types win.
    if matches!(a, Json) && b.is_string() || matches!(b, Json) && a.is_string() {
        return Some(Json);
    }
    if std::mem::discriminant(a) == std::mem::discriminant(b) {
        return combine_equal(a, b, force);
    }
    if matches!(a, Null) {
        return Some(b.normalize());
    }
    if matches!(b, Null) {
        return Some(a.normalize());
    }
    if matches!(a, Enum(_)) {
        return max_type(&Varchar, b, force);
    }
    if matches!(b, Enum(_)) {
        return max_type(a, &Varchar, force);
    }
    if matches!(a, StringLiteral) {
        return Some(b.normalize());
    }
    if matches!(b, StringLiteral) {
        return Some(a.normalize());
    }
    let ab = implicit_cast_cost(a, b);
    let ba = implicit_cast_cost(b, a);
    if let Some(c1) = ab {
        if ba.is_none_or(|c2| c1 < c2) {
            if matches!(b, Decimal { .. }) {
                return combine_numeric(a, b);
            }
            return Some(b.normalize());
        }
    }
    if ba.is_some() {
        if matches!(a, Decimal { .. }) {
            return combine_numeric(b, a);
        }
        return Some(a.normalize());
    }
    if let IntegerLiteral(v) = a {
        return max_type(&integer_literal_type(*v), b, force);
    }
    if let IntegerLiteral(v) = b {
        return max_type(a, &integer_literal_type(*v), force);
    }
    if a.is_integral() && b.is_integral() {
        return Some(signed_unsigned(a, b));
    }
    if a.is_numeric() && b.is_numeric() {
        return Some(Double);
    }
    if matches!(a, Boolean) && b.is_integral() {
        return Some(b.normalize());
    }
    if matches!(b, Boolean) && a.is_integral() {
        return Some(a.normalize());
    }
    None
}

/// Signed/unsigned mixes: the smallest signed integer holding both ranges, else DOUBLE.
fn signed_unsigned(a: &Type, b: &Type) -> Type {
    fn bits(t: &Type) -> (u32, bool) {
        match t {
            Type::TinyInt => (8, true),
            Type::SmallInt => (16, true),
            Type::Integer => (32, true),
            Type::BigInt => (64, true),
            Type::HugeInt => (128, true),
            Type::UTinyInt => (8, false),
            Type::USmallInt => (16, false),
            Type::UInteger => (32, false),
            Type::UBigInt => (64, false),
            _ => (128, false),
        }
    }
    let (ab, asg) = bits(a);
    let (bb, bsg) = bits(b);
    let need = if asg == bsg {
        ab.max(bb)
    } else {
        let u = if asg { bb } else { ab };
        let s = if asg { ab } else { bb };
        (u * 2).max(s)
    };
    match need {
        0..=16 => Type::SmallInt,
        17..=32 => Type::Integer,
        33..=64 => Type::BigInt,
        65..=128 => Type::HugeInt,
        _ => Type::Double,
    }
}

/// Widens a DECIMAL so it also holds `other` (an integer or DECIMAL); DOUBLE if impossible.
fn combine_numeric(other: &Type, dec: &Type) -> Option<Type> {
    let (op, os) = match other.decimal_properties() {
        Some(p) => p,
        None => return Some(dec.clone()),
    };
    let (dp, ds) = dec.decimal_properties()?;
    let scale = os.max(ds);
    let digits = (op - os).max(dp - ds);
    let width = u16::from(digits) + u16::from(scale);
    if width > u16::from(MAX_DECIMAL_PRECISION) {
        return Some(Type::Decimal { precision: MAX_DECIMAL_PRECISION, scale: scale.min(MAX_DECIMAL_PRECISION) });
    }
    Some(Type::Decimal { precision: width as u8, scale })
}

fn combine_fields(a: &[StructField], b: &[StructField], force: bool) -> Option<Vec<StructField>> {
    if a.len() != b.len() {
        return None;
    }
    a.iter()
        .zip(b)
        .map(|(x, y)| {
            // An unnamed field (`ROW(…)`) takes the other side's name.
            let name = match (x.name.is_empty(), y.name.is_empty()) {
                (true, _) => &y.name,
                (false, true) => &x.name,
                (false, false) if x.name.eq_ignore_ascii_case(&y.name) => &x.name,
                _ => return None,
            };
            Some(StructField { name: name.clone(), ty: max_type(&x.ty, &y.ty, force)? })
        })
        .collect()
}

/// STRUCTs with the same field names in the same order combine field by field; named STRUCTs
/// that differ combine by name (DuckDB: `[{'a': 1}, {'b': 2}]` is `STRUCT(a INTEGER, b
/// INTEGER)[]`), the fields in order of first appearance, names compared case-insensitively.
/// Unnamed ones (`row(…)`) only combine by position.
fn combine_struct_fields(a: &[StructField], b: &[StructField], force: bool) -> Option<Vec<StructField>> {
    let same = a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.name.eq_ignore_ascii_case(&y.name));
    let unnamed = |fs: &[StructField]| fs.iter().any(|f| f.name.is_empty());
    if same || unnamed(a) || unnamed(b) {
        return combine_fields(a, b, force);
    }
    let mut out: Vec<StructField> = a.to_vec();
    for f in b {
        match out.iter_mut().find(|o| o.name.eq_ignore_ascii_case(&f.name)) {
            Some(o) => o.ty = max_type(&o.ty, &f.ty, force)?,
            None => out.push(f.clone()),
        }
    }
    Some(out)
}

/// Nested children: forced (set operations) never fail.
fn child(x: &Type, y: &Type, force: bool) -> Option<Type> {
    if force {
        Some(union_type(x, y))
    } else {
        max_type(x, y, false)
    }
}

fn combine_equal(a: &Type, b: &Type, force: bool) -> Option<Type> {
    use Type::*;
    Some(match (a, b) {
        (Decimal { .. }, Decimal { .. }) => combine_numeric(a, b)?,
        (IntegerLiteral(x), IntegerLiteral(y)) => {
            if x == y {
                a.clone()
            } else {
                max_type(&integer_literal_type(*x), &integer_literal_type(*y), force)?
            }
        }
        (List(x), List(y)) => List(Box::new(child(x, y, force)?)),
        (Array(x, n), Array(y, m)) => {
            let c = child(x, y, force)?;
            if n == m {
                Array(Box::new(c), *n)
            } else {
                List(Box::new(c))
            }
        }
        (Map(ak, av), Map(bk, bv)) => Map(Box::new(child(ak, bk, force)?), Box::new(child(av, bv, force)?)),
        (Struct(x), Struct(y)) => Struct(combine_struct_fields(x, y, force)?),
        (Union(x), Union(y)) => {
            if x == y {
                a.clone()
            } else {
                Union(combine_fields(x, y, force)?)
            }
        }
        (Enum(x), Enum(y)) => {
            if x == y {
                a.clone()
            } else {
                Varchar
            }
        }
        (Other(x), Other(y)) => {
            if x == y {
                a.clone()
            } else {
                return None;
            }
        }
        _ => a.normalize(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts() {
        assert_eq!(implicit_cast_cost(&Type::Integer, &Type::BigInt), Some(101));
        assert_eq!(implicit_cast_cost(&Type::BigInt, &Type::Integer), None);
        assert_eq!(implicit_cast_cost(&Type::Integer, &Type::Varchar), None);
        assert_eq!(implicit_cast_cost(&Type::IntegerLiteral(1), &Type::TinyInt), Some(20));
        assert_eq!(implicit_cast_cost(&Type::StringLiteral, &Type::Date), Some(20));
        assert!(can_cast_explicitly(&Type::Varchar, &Type::Integer));
        assert!(!can_cast_explicitly(&Type::Date, &Type::Integer));
        // DuckDB binds these (its own sqllogictest suite casts them).
        for (from, to) in [
            ("INTEGER[]", "VARIANT"),
            ("DOUBLE", "BIGNUM"),
            ("TIMESTAMP_NS", "TIME_NS"),
            ("BIT", "BOOLEAN"),
            ("ENUM('a', 'b')", "INTEGER"),
            ("STRUCT(i INTEGER, j INTEGER)", "STRUCT(i INTEGER)"),
            ("STRUCT(a VARCHAR)", "MAP(VARCHAR, VARCHAR)"),
        ] {
            let (from, to) = (Type::parse(from), Type::parse(to));
            assert!(can_cast_explicitly(&from, &to), "{from} to {to}");
        }
    }

    #[test]
    fn common() {
        assert_eq!(common_type(&Type::Varchar, &Type::Integer), None);
        assert_eq!(common_type(&Type::Null, &Type::Date), Some(Type::Date));
        assert_eq!(common_type(&Type::StringLiteral, &Type::Date), Some(Type::Date));
        assert_eq!(common_type(&Type::Unknown, &Type::Date), Some(Type::Unknown));
        assert_eq!(common_type(&Type::BigInt, &Type::UBigInt), Some(Type::HugeInt));
        assert_eq!(common_type(&Type::parse("DECIMAL(18,3)"), &Type::BigInt), Some(Type::parse("DECIMAL(22,3)")));
        assert_eq!(union_type(&Type::Integer, &Type::Varchar), Type::Varchar);
        assert_eq!(union_type(&Type::Integer, &Type::Date), Type::Date);
    }
}
