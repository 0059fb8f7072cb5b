use std::fmt;

/// A logical type: DuckDB's, plus what PostgreSQL has that DuckDB lacks ([`Type::Numeric`],
/// [`Type::Char`], [`Type::Jsonb`]); see `crate::dialect` for how each warehouse names them.
///
/// `Unknown` is what the checker says when it cannot know (a source missing from the schema cache,
/// a function it cannot type). Unknown is compatible with everything and never causes an error.
///
/// `StringLiteral` and `IntegerLiteral` mirror DuckDB's own literal types: an unadorned `'abc'` or
/// `42` may still implicitly cast to whatever its context needs, and only becomes VARCHAR / INTEGER
/// when it reaches an output column ([`Type::materialize`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    Unknown,
    /// The type of a bare `NULL`: casts to anything; DuckDB prints it as `"NULL"`.
    Null,
    Boolean,
    TinyInt,
    SmallInt,
    Integer,
    BigInt,
    HugeInt,
    UTinyInt,
    USmallInt,
    UInteger,
    UBigInt,
    UHugeInt,
    Float,
    Double,
    Decimal {
        precision: u8,
        scale: u8,
    },
    Varchar,
    Blob,
    Bit,
    Date,
    Time,
    TimeTz,
    Timestamp,
    TimestampTz,
    TimestampS,
    TimestampMs,
    TimestampNs,
    Interval,
    Uuid,
    Json,
    List(Box<Type>),
    /// Fixed-size array: `INTEGER[3]`.
    Array(Box<Type>, u32),
    Struct(Vec<StructField>),
    Map(Box<Type>, Box<Type>),
    Union(Vec<StructField>),
    Enum(Vec<String>),
    /// An unadorned string literal (DuckDB's STRING_LITERAL).
    StringLiteral,
    /// An unadorned integer literal with its value (DuckDB's INTEGER_LITERAL).
    IntegerLiteral(i128),
    /// PostgreSQL's unconstrained `numeric` (no precision or scale: any value, any scale).
    Numeric,
    /// PostgreSQL's `character varying(n)` (`varying`) and `character(n)`; `length` None is
    /// `character varying` / `bpchar` without a limit. (`text` is [`Type::Varchar`].)
    Char {
        varying: bool,
        length: Option<u32>,
    },
    /// PostgreSQL's binary JSON.
    Jsonb,
    /// A type the checker does not model; kept verbatim (DuckDB: upper-cased; PostgreSQL: its
    /// `format_type()` spelling).
    Other(String),
}

/// One named field of a STRUCT or UNION.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StructField {
    pub name: String,
    pub ty: Type,
}

impl StructField {
    /// Convenience constructor.
    pub fn new(name: impl Into<String>, ty: Type) -> Self {
        StructField { name: name.into(), ty }
    }
}

/// The default DECIMAL of DuckDB (`DECIMAL` / `NUMERIC` without arguments).
pub const DEFAULT_DECIMAL: Type = Type::Decimal { precision: 18, scale: 3 };

/// DuckDB's largest decimal precision.
pub const MAX_DECIMAL_PRECISION: u8 = 38;

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Unknown => f.write_str("UNKNOWN"),
            Type::Null => f.write_str("\"NULL\""),
            Type::Boolean => f.write_str("BOOLEAN"),
            Type::TinyInt => f.write_str("TINYINT"),
            Type::SmallInt => f.write_str("SMALLINT"),
            Type::Integer => f.write_str("INTEGER"),
            Type::BigInt => f.write_str("BIGINT"),
            Type::HugeInt => f.write_str("HUGEINT"),
            Type::UTinyInt => f.write_str("UTINYINT"),
            Type::USmallInt => f.write_str("USMALLINT"),
            Type::UInteger => f.write_str("UINTEGER"),
            Type::UBigInt => f.write_str("UBIGINT"),
            Type::UHugeInt => f.write_str("UHUGEINT"),
            Type::Float => f.write_str("FLOAT"),
            Type::Double => f.write_str("DOUBLE"),
            Type::Decimal { precision, scale } => write!(f, "DECIMAL({precision},{scale})"),
            Type::Varchar | Type::StringLiteral => f.write_str("VARCHAR"),
            Type::Blob => f.write_str("BLOB"),
            Type::Bit => f.write_str("BIT"),
            Type::Date => f.write_str("DATE"),
            Type::Time => f.write_str("TIME"),
            Type::TimeTz => f.write_str("TIME WITH TIME ZONE"),
            Type::Timestamp => f.write_str("TIMESTAMP"),
            Type::TimestampTz => f.write_str("TIMESTAMP WITH TIME ZONE"),
            Type::TimestampS => f.write_str("TIMESTAMP_S"),
            Type::TimestampMs => f.write_str("TIMESTAMP_MS"),
            Type::TimestampNs => f.write_str("TIMESTAMP_NS"),
            Type::Interval => f.write_str("INTERVAL"),
            Type::Uuid => f.write_str("UUID"),
            Type::Json => f.write_str("JSON"),
            Type::List(c) => write!(f, "{c}[]"),
            Type::Array(c, n) => write!(f, "{c}[{n}]"),
            Type::Struct(fields) => {
                f.write_str("STRUCT(")?;
                write_fields(f, fields)?;
                f.write_str(")")
            }
            Type::Union(fields) => {
                f.write_str("UNION(")?;
                write_fields(f, fields)?;
                f.write_str(")")
            }
            Type::Map(k, v) => write!(f, "MAP({k}, {v})"),
            Type::Enum(values) => {
                f.write_str("ENUM(")?;
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "'{}'", v.replace('\'', "''"))?;
                }
                f.write_str(")")
            }
            Type::IntegerLiteral(v) => write!(f, "{}", integer_literal_type(*v)),
            Type::Numeric => f.write_str("NUMERIC"),
            Type::Char { .. } => f.write_str("VARCHAR"),
            Type::Jsonb => f.write_str("JSONB"),
            Type::Other(s) => f.write_str(s),
        }
    }
}

fn write_fields(f: &mut fmt::Formatter<'_>, fields: &[StructField]) -> fmt::Result {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        // Unnamed fields (`ROW(1, 2)`, `list_zip`) print as their type alone.
        if field.name.is_empty() {
            write!(f, "{}", field.ty)?;
        } else {
            write_identifier(f, &field.name)?;
            write!(f, " {}", field.ty)?;
        }
    }
    Ok(())
}

/// Writes a STRUCT field name the way DuckDB does: bare when it is a plain identifier (upper case
/// allowed) that is not a keyword, double-quoted otherwise.
fn write_identifier(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    let plain = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && !crate::functions::is_keyword(name);
    if plain {
        f.write_str(name)
    } else {
        write!(f, "\"{}\"", name.replace('"', "\"\""))
    }
}

/// The type DuckDB materializes an integer literal to: the narrowest of INTEGER, BIGINT, HUGEINT.
pub(crate) fn integer_literal_type(v: i128) -> Type {
    narrowest_integer(v, Type::HugeInt)
}

/// INTEGER when `v` fits, else BIGINT, else `wider` (DuckDB: HUGEINT, PostgreSQL: numeric).
pub(crate) fn narrowest_integer(v: i128, wider: Type) -> Type {
    if i32::try_from(v).is_ok() {
        Type::Integer
    } else if i64::try_from(v).is_ok() {
        Type::BigInt
    } else {
        wider
    }
}

impl Type {
    /// Parses a DuckDB type string: `DESCRIBE` output, cached schemas, and the aliases users write
    /// (`INT`, `TEXT`, `NUMERIC(10,2)`, `TIMESTAMPTZ`, nested `STRUCT(...)[]`...). Never fails:
    /// anything unrecognised becomes [`Type::Other`] with the upper-cased text.
    pub fn parse(s: &str) -> Type {
        let tokens = match tokenize(s) {
            Some(t) => t,
            None => return Type::Other(s.trim().to_uppercase()),
        };
        let mut p = Parser { tokens, pos: 0 };
        match p.parse_type() {
            Some(t) if p.pos == p.tokens.len() => t,
            _ => Type::Other(s.trim().to_uppercase()),
        }
    }

    /// The type of a `CAST(x AS <dt>)` / `x::<dt>` target.
    pub fn from_sql(dt: &sqlparser::ast::DataType) -> Type {
        use sqlparser::ast::{DataType as D, ExactNumberInfo};
        match dt {
            D::Decimal(info) | D::Numeric(info) | D::Dec(info) => match info {
                ExactNumberInfo::None => DEFAULT_DECIMAL,
                ExactNumberInfo::Precision(p) => decimal_or_other(*p, 0),
                ExactNumberInfo::PrecisionAndScale(p, s) => decimal_or_other(*p, u64::try_from(*s).unwrap_or(u64::MAX)),
            },
            D::Float(info) => match info {
                ExactNumberInfo::Precision(p) if *p > 24 => Type::Double,
                _ => Type::Float,
            },
            D::Array(sqlparser::ast::ArrayElemTypeDef::SquareBracket(inner, size)) => {
                let inner = Type::from_sql(inner);
                match size {
                    Some(n) => match u32::try_from(*n) {
                        Ok(n) => Type::Array(Box::new(inner), n),
                        Err(_) => Type::Other(dt.to_string().to_uppercase()),
                    },
                    None => Type::List(Box::new(inner)),
                }
            }
            D::Array(sqlparser::ast::ArrayElemTypeDef::AngleBracket(inner))
            | D::Array(sqlparser::ast::ArrayElemTypeDef::Parenthesis(inner)) => {
                Type::List(Box::new(Type::from_sql(inner)))
            }
            // `INTERVAL DAY TO SECOND`: DuckDB keeps no fields in the type.
            D::Interval { .. } => Type::Interval,
            D::Struct(fields, _) => Type::Struct(
                fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| StructField {
                        name: f.field_name.as_ref().map(|n| n.value.clone()).unwrap_or_else(|| format!("v{}", i + 1)),
                        ty: Type::from_sql(&f.field_type),
                    })
                    .collect(),
            ),
            D::Map(k, v, _) => Type::Map(Box::new(Type::from_sql(k)), Box::new(Type::from_sql(v))),
            D::Union(fields) => Type::Union(
                fields
                    .iter()
                    .map(|f| StructField { name: f.field_name.value.clone(), ty: Type::from_sql(&f.field_type) })
                    .collect(),
            ),
            D::Enum(members, _) => Type::Enum(
                members
                    .iter()
                    .map(|m| match m {
                        sqlparser::ast::EnumMember::Name(n) => n.clone(),
                        sqlparser::ast::EnumMember::NamedValue(n, _) => n.clone(),
                    })
                    .collect(),
            ),
            D::Custom(name, args) => {
                let base = name.to_string();
                let unquoted = base.trim_matches('"');
                if args.is_empty() {
                    // A quoted custom name keeps its text (`"NULL"`, `"json"`).
                    Type::parse(&format!("\"{}\"", unquoted.replace('"', "\"\"")))
                } else {
                    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
                    Type::parse(&format!("{unquoted}({})", args.join(", ")))
                }
            }
            other => Type::parse(&other.to_string()),
        }
    }

    /// The type a value of this type has once it lands in an output column: literal types take
    /// their default type, a bare NULL becomes INTEGER (what DuckDB's `DESCRIBE` reports).
    pub fn materialize(&self) -> Type {
        match self {
            Type::StringLiteral => Type::Varchar,
            Type::IntegerLiteral(v) => integer_literal_type(*v),
            Type::Null => Type::Integer,
            Type::List(c) => Type::List(Box::new(c.materialize())),
            Type::Array(c, n) => Type::Array(Box::new(c.materialize()), *n),
            Type::Map(k, v) => Type::Map(Box::new(k.materialize()), Box::new(v.materialize())),
            Type::Struct(fs) => Type::Struct(materialize_fields(fs)),
            Type::Union(fs) => Type::Union(materialize_fields(fs)),
            other => other.clone(),
        }
    }

    /// Like [`Type::materialize`] but keeps NULL (used inside expressions: DuckDB keeps SQLNULL
    /// as a type until the final projection).
    pub fn normalize(&self) -> Type {
        match self {
            Type::StringLiteral => Type::Varchar,
            Type::IntegerLiteral(v) => integer_literal_type(*v),
            other => other.clone(),
        }
    }

    /// True for [`Type::Unknown`].
    pub fn is_unknown(&self) -> bool {
        matches!(self, Type::Unknown)
    }

    /// True when this type or a nested child is Unknown.
    pub fn contains_unknown(&self) -> bool {
        match self {
            Type::Unknown => true,
            Type::List(c) | Type::Array(c, _) => c.contains_unknown(),
            Type::Map(k, v) => k.contains_unknown() || v.contains_unknown(),
            Type::Struct(fs) | Type::Union(fs) => fs.iter().any(|f| f.ty.contains_unknown()),
            _ => false,
        }
    }

    /// True when this type, or a child of it, is a STRUCT — or Unknown, so may be one.
    pub fn may_hold_struct(&self) -> bool {
        match self {
            Type::Unknown | Type::Struct(_) => true,
            Type::List(c) | Type::Array(c, _) => c.may_hold_struct(),
            Type::Map(k, v) => k.may_hold_struct() || v.may_hold_struct(),
            Type::Union(fs) => fs.iter().any(|f| f.ty.may_hold_struct()),
            _ => false,
        }
    }

    /// Integer types (signed and unsigned, any width) and integer literals.
    pub fn is_integral(&self) -> bool {
        matches!(
            self,
            Type::TinyInt
                | Type::SmallInt
                | Type::Integer
                | Type::BigInt
                | Type::HugeInt
                | Type::UTinyInt
                | Type::USmallInt
                | Type::UInteger
                | Type::UBigInt
                | Type::UHugeInt
                | Type::IntegerLiteral(_)
        )
    }

    /// True for unsigned integer types.
    pub fn is_unsigned(&self) -> bool {
        matches!(self, Type::UTinyInt | Type::USmallInt | Type::UInteger | Type::UBigInt | Type::UHugeInt)
    }

    /// Numbers: integers, FLOAT, DOUBLE, DECIMAL (DuckDB's `IsNumeric`).
    pub fn is_numeric(&self) -> bool {
        self.is_integral() || matches!(self, Type::Float | Type::Double | Type::Decimal { .. } | Type::Numeric)
    }

    /// Dates, times, timestamps (all precisions) and intervals.
    pub fn is_temporal(&self) -> bool {
        matches!(
            self,
            Type::Date
                | Type::Time
                | Type::TimeTz
                | Type::Timestamp
                | Type::TimestampTz
                | Type::TimestampS
                | Type::TimestampMs
                | Type::TimestampNs
                | Type::Interval
        )
    }

    /// Timestamps of any precision, with or without time zone.
    pub fn is_timestamp(&self) -> bool {
        matches!(self, Type::Timestamp | Type::TimestampTz | Type::TimestampS | Type::TimestampMs | Type::TimestampNs)
    }

    /// VARCHAR or an unadorned string literal.
    pub fn is_string(&self) -> bool {
        matches!(self, Type::Varchar | Type::StringLiteral | Type::Char { .. })
    }

    /// LIST, ARRAY, STRUCT, MAP or UNION.
    pub fn is_nested(&self) -> bool {
        matches!(self, Type::List(_) | Type::Array(..) | Type::Struct(_) | Type::Map(..) | Type::Union(_))
    }

    /// The element type of a LIST or ARRAY.
    pub fn element_type(&self) -> Option<&Type> {
        match self {
            Type::List(c) | Type::Array(c, _) => Some(c),
            _ => None,
        }
    }

    /// The type of a STRUCT field, looked up case-insensitively as DuckDB does.
    pub fn struct_field(&self, name: &str) -> Option<&Type> {
        match self {
            Type::Struct(fs) | Type::Union(fs) => fs
                .iter()
                .find(|f| f.name == name)
                .or_else(|| fs.iter().find(|f| f.name.eq_ignore_ascii_case(name)))
                .map(|f| &f.ty),
            _ => None,
        }
    }

    /// `(precision, scale)` DuckDB uses when this type takes part in DECIMAL arithmetic
    /// (integers count as DECIMAL(width, 0)); None for non-exact types.
    pub fn decimal_properties(&self) -> Option<(u8, u8)> {
        Some(match self {
            Type::Decimal { precision, scale } => (*precision, *scale),
            Type::Boolean => (1, 0),
            Type::TinyInt | Type::UTinyInt => (3, 0),
            Type::SmallInt | Type::USmallInt => (5, 0),
            Type::Integer | Type::UInteger => (10, 0),
            Type::BigInt => (19, 0),
            Type::UBigInt => (20, 0),
            Type::HugeInt | Type::UHugeInt => (38, 0),
            Type::IntegerLiteral(v) => return integer_literal_type(*v).decimal_properties(),
            _ => return None,
        })
    }
}

fn materialize_fields(fs: &[StructField]) -> Vec<StructField> {
    fs.iter().map(|f| StructField { name: f.name.clone(), ty: f.ty.materialize() }).collect()
}

fn decimal_or_other(p: u64, s: u64) -> Type {
    if (1..=u64::from(MAX_DECIMAL_PRECISION)).contains(&p) && s <= p {
        Type::Decimal { precision: p as u8, scale: s as u8 }
    } else {
        Type::Other(format!("DECIMAL({p},{s})"))
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// An identifier; `true` when it was double-quoted.
    Word(String, bool),
    Str(String),
    Num(u64),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Lt,
    Gt,
}

fn tokenize(s: &str) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Tok::LParen);
                i += 1
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1
            }
            '[' => {
                out.push(Tok::LBracket);
                i += 1
            }
            ']' => {
                out.push(Tok::RBracket);
                i += 1
            }
            '<' => {
                out.push(Tok::Lt);
                i += 1
            }
            '>' => {
                out.push(Tok::Gt);
                i += 1
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1
            }
            '"' | '\'' => {
                let q = c;
                let mut text = String::new();
                i += 1;
                loop {
                    let ch = *chars.get(i)?;
                    if ch == q {
                        if chars.get(i + 1) == Some(&q) {
                            text.push(q);
                            i += 2;
                            continue;
                        }
                        i += 1;
                        break;
                    }
                    text.push(ch);
                    i += 1;
                }
                out.push(if q == '"' { Tok::Word(text, true) } else { Tok::Str(text) });
            }
            c if c.is_ascii_digit() => {
                let start = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                out.push(Tok::Num(text.parse().ok()?));
            }
            c if c.is_alphanumeric() || c == '_' || c == '?' || c == '$' || c == '.' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric()
                        || chars[i] == '_'
                        || chars[i] == '?'
                        || chars[i] == '$'
                        || chars[i] == '.')
                {
                    i += 1;
                }
                out.push(Tok::Word(chars[start..i].iter().collect(), false));
            }
            _ => return None,
        }
    }
    Some(out)
}

struct Parser {
    tokens: Vec<Tok>,
    pos: usize,
}

/// Nesting bound so hostile input cannot overflow the stack.
const MAX_DEPTH: usize = 64;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos)
    }

    fn eat(&mut self, t: &Tok) -> bool {
        if self.peek() == Some(t) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn parse_type(&mut self) -> Option<Type> {
        self.parse_type_depth(0)
    }

    fn parse_type_depth(&mut self, depth: usize) -> Option<Type> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut t = self.parse_base(depth)?;
        while let Some(Tok::Word(w, false)) = self.peek() {
            if !w.eq_ignore_ascii_case("ARRAY") {
                break;
            }
            self.pos += 1;
            // `T ARRAY[n]`: the size belongs to the ARRAY keyword.
            t = match (self.tokens.get(self.pos), self.tokens.get(self.pos + 1), self.tokens.get(self.pos + 2)) {
                (Some(Tok::LBracket), Some(Tok::Num(n)), Some(Tok::RBracket)) => {
                    let n = u32::try_from(*n).ok()?;
                    self.pos += 3;
                    Type::Array(Box::new(t), n)
                }
                _ => Type::List(Box::new(t)),
            };
        }
        while self.eat(&Tok::LBracket) {
            match self.peek().cloned() {
                Some(Tok::RBracket) => {
                    self.pos += 1;
                    t = Type::List(Box::new(t));
                }
                Some(Tok::Num(n)) => {
                    self.pos += 1;
                    if !self.eat(&Tok::RBracket) {
                        return None;
                    }
                    t = Type::Array(Box::new(t), u32::try_from(n).ok()?);
                }
                _ => return None,
            }
        }
        Some(t)
    }

    fn parse_base(&mut self, depth: usize) -> Option<Type> {
        let (first, quoted) = match self.peek().cloned() {
            Some(Tok::Word(w, q)) => (w, q),
            _ => return None,
        };
        self.pos += 1;
        let mut name = first.to_uppercase();
        if !quoted {
            // Multi-word names: TIMESTAMP WITH TIME ZONE, DOUBLE PRECISION, CHARACTER VARYING.
            while let Some(Tok::Word(w, false)) = self.peek().cloned() {
                // `INT ARRAY` is a list of INT (the SQL standard's spelling of `INT[]`).
                if w.eq_ignore_ascii_case("ARRAY") {
                    break;
                }
                name.push(' ');
                name.push_str(&w.to_uppercase());
                self.pos += 1;
            }
        }
        let has_args = self.peek() == Some(&Tok::LParen);
        if has_args {
            self.pos += 1;
            return self.parse_with_args(&name, depth);
        }
        if self.peek() == Some(&Tok::Lt) {
            // AGGREGATE_STATE<...> and similar: keep verbatim.
            let mut text = name.clone();
            let mut level = 0usize;
            while let Some(t) = self.peek().cloned() {
                self.pos += 1;
                match t {
                    Tok::Lt => level += 1,
                    Tok::Gt => level = level.saturating_sub(1),
                    _ => {}
                }
                text.push_str(&tok_text(&t));
                if level == 0 {
                    break;
                }
            }
            return Some(Type::Other(text));
        }
        Some(simple_type(&name).unwrap_or(Type::Other(name)))
    }

    fn parse_with_args(&mut self, name: &str, depth: usize) -> Option<Type> {
        match name {
            "STRUCT" | "ROW" | "UNION" => {
                let mut fields = Vec::new();
                if !self.eat(&Tok::RParen) {
                    loop {
                        let fname = match self.peek().cloned() {
                            Some(Tok::Word(w, _)) => w,
                            Some(Tok::Str(w)) => w,
                            _ => return None,
                        };
                        // Unnamed entries (`STRUCT(K, V)` in function signatures) are types.
                        let ty = if matches!(self.tokens.get(self.pos + 1), Some(Tok::Comma) | Some(Tok::RParen)) {
                            let ty = self.parse_type_depth(depth + 1)?;
                            fields.push(StructField { name: format!("v{}", fields.len() + 1), ty });
                            if self.eat(&Tok::Comma) {
                                continue;
                            }
                            break;
                        } else {
                            self.pos += 1;
                            self.parse_type_depth(depth + 1)?
                        };
                        fields.push(StructField { name: fname, ty });
                        if !self.eat(&Tok::Comma) {
                            break;
                        }
                    }
                    if !self.eat(&Tok::RParen) {
                        return None;
                    }
                }
                Some(if name == "UNION" { Type::Union(fields) } else { Type::Struct(fields) })
            }
            "MAP" => {
                let k = self.parse_type_depth(depth + 1)?;
                if !self.eat(&Tok::Comma) {
                    return None;
                }
                let v = self.parse_type_depth(depth + 1)?;
                if !self.eat(&Tok::RParen) {
                    return None;
                }
                Some(Type::Map(Box::new(k), Box::new(v)))
            }
            "LIST" => {
                let c = self.parse_type_depth(depth + 1)?;
                if !self.eat(&Tok::RParen) {
                    return None;
                }
                Some(Type::List(Box::new(c)))
            }
            "ENUM" => {
                let mut values = Vec::new();
                if !self.eat(&Tok::RParen) {
                    loop {
                        match self.peek().cloned() {
                            Some(Tok::Str(s)) => values.push(s),
                            _ => return None,
                        }
                        self.pos += 1;
                        if !self.eat(&Tok::Comma) {
                            break;
                        }
                    }
                    if !self.eat(&Tok::RParen) {
                        return None;
                    }
                }
                Some(Type::Enum(values))
            }
            _ => {
                let mut nums = Vec::new();
                let mut text = Vec::new();
                loop {
                    match self.peek().cloned() {
                        Some(Tok::RParen) => {
                            self.pos += 1;
                            break;
                        }
                        Some(Tok::Comma) => self.pos += 1,
                        Some(Tok::Num(n)) => {
                            self.pos += 1;
                            nums.push(n);
                            text.push(n.to_string());
                        }
                        Some(t) => {
                            self.pos += 1;
                            text.push(tok_text(&t));
                        }
                        None => return None,
                    }
                }
                let other = || Type::Other(format!("{name}({})", text.join(",")));
                match name {
                    // The fractional digits pick the unit: 0 seconds, 1–3 ms, 4–6 µs, 7–9 ns.
                    "TIMESTAMP" | "DATETIME" if text.len() == 1 && nums.len() == 1 => Some(match nums[0] {
                        0 => Type::TimestampS,
                        1..=3 => Type::TimestampMs,
                        4..=6 => Type::Timestamp,
                        7..=9 => Type::TimestampNs,
                        _ => other(),
                    }),
                    "DECIMAL" | "NUMERIC" | "DEC" => Some(match nums.as_slice() {
                        [p] if text.len() == 1 => decimal_or_other(*p, 0),
                        [p, s] if text.len() == 2 => decimal_or_other(*p, *s),
                        _ => other(),
                    }),
                    "FLOAT" => Some(match nums.as_slice() {
                        [p] if *p > 24 => Type::Double,
                        _ => Type::Float,
                    }),
                    _ => Some(match simple_type(name) {
                        // VARCHAR(10), BIT(1), TIMESTAMP(3)...: DuckDB ignores the modifier.
                        Some(t) if text.len() == nums.len() => t,
                        _ => other(),
                    }),
                }
            }
        }
    }
}

fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Word(w, true) => format!("\"{w}\""),
        Tok::Word(w, false) => w.to_uppercase(),
        Tok::Str(s) => format!("'{s}'"),
        Tok::Num(n) => n.to_string(),
        Tok::LParen => "(".into(),
        Tok::RParen => ")".into(),
        Tok::LBracket => "[".into(),
        Tok::RBracket => "]".into(),
        Tok::Comma => ",".into(),
        Tok::Lt => "<".into(),
        Tok::Gt => ">".into(),
    }
}

/// Argument-less type names and DuckDB's aliases for them (upper-cased input).
fn simple_type(name: &str) -> Option<Type> {
    Some(match name {
        "UNKNOWN" => Type::Unknown,
        "NULL" => Type::Null,
        "BOOLEAN" | "BOOL" | "LOGICAL" => Type::Boolean,
        "TINYINT" | "INT1" => Type::TinyInt,
        "SMALLINT" | "INT2" | "SHORT" | "INT16" => Type::SmallInt,
        "INTEGER" | "INT" | "INT4" | "SIGNED" | "INT32" => Type::Integer,
        "BIGINT" | "INT8" | "LONG" | "INT64" => Type::BigInt,
        "HUGEINT" | "INT128" => Type::HugeInt,
        "UTINYINT" | "UINT8" => Type::UTinyInt,
        "USMALLINT" | "UINT16" => Type::USmallInt,
        "UINTEGER" | "UINT32" => Type::UInteger,
        "UBIGINT" | "UINT64" => Type::UBigInt,
        "UHUGEINT" | "UINT128" => Type::UHugeInt,
        "FLOAT" | "FLOAT4" | "REAL" => Type::Float,
        "DOUBLE" | "FLOAT8" | "DOUBLE PRECISION" => Type::Double,
        "DECIMAL" | "NUMERIC" | "DEC" => DEFAULT_DECIMAL,
        "VARCHAR" | "CHAR" | "BPCHAR" | "TEXT" | "STRING" | "NVARCHAR" | "CHARACTER" | "CHARACTER VARYING"
        | "CHAR VARYING" => Type::Varchar,
        "BLOB" | "BYTEA" | "BINARY" | "VARBINARY" => Type::Blob,
        "BIT" | "BITSTRING" => Type::Bit,
        "DATE" => Type::Date,
        "TIME" | "TIME WITHOUT TIME ZONE" => Type::Time,
        "TIMETZ" | "TIME WITH TIME ZONE" => Type::TimeTz,
        "TIMESTAMP" | "DATETIME" | "TIMESTAMP_US" | "TIMESTAMP WITHOUT TIME ZONE" => Type::Timestamp,
        "TIMESTAMPTZ" | "TIMESTAMP WITH TIME ZONE" => Type::TimestampTz,
        "TIMESTAMP_S" => Type::TimestampS,
        "TIMESTAMP_MS" => Type::TimestampMs,
        "TIMESTAMP_NS" => Type::TimestampNs,
        "INTERVAL" => Type::Interval,
        "UUID" => Type::Uuid,
        "JSON" => Type::Json,
        "VARINT" | "BIGNUM" => Type::Other("BIGNUM".into()),
        "STRUCT" | "ROW" => Type::Struct(Vec::new()),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_round_trips() {
        for s in [
            "INTEGER",
            "DECIMAL(18,3)",
            "VARCHAR[]",
            "INTEGER[3]",
            "INTEGER[2][]",
            "STRUCT(a INTEGER, \"b c\" VARCHAR)",
            "STRUCT(A INTEGER, \"select\" INTEGER, \"a\"\"b\" INTEGER)[]",
            "MAP(VARCHAR, INTEGER[])",
            "TIMESTAMP WITH TIME ZONE",
            "TIME WITH TIME ZONE",
            "ENUM('a', 'it''s')",
            "UNION(a INTEGER, B VARCHAR)",
            "\"NULL\"",
            "BIGNUM",
            "TIMESTAMP_NS",
            "UUID",
            "JSON",
        ] {
            assert_eq!(Type::parse(s).to_string(), s, "{s}");
        }
    }

    #[test]
    fn aliases() {
        for (a, b) in [
            ("int", "INTEGER"),
            ("INT4", "INTEGER"),
            ("text", "VARCHAR"),
            ("String", "VARCHAR"),
            ("NUMERIC(10,2)", "DECIMAL(10,2)"),
            ("numeric", "DECIMAL(18,3)"),
            ("decimal(4)", "DECIMAL(4,0)"),
            ("FLOAT8", "DOUBLE"),
            ("bool", "BOOLEAN"),
            ("timestamptz", "TIMESTAMP WITH TIME ZONE"),
            ("varchar(10)", "VARCHAR"),
            ("int[]", "INTEGER[]"),
            ("list(int)", "INTEGER[]"),
            ("struct(\"x\" int, y map(text, int[]))", "STRUCT(x INTEGER, y MAP(VARCHAR, INTEGER[]))"),
            ("double precision", "DOUBLE"),
            ("json", "JSON"),
            ("\"json\"", "JSON"),
        ] {
            assert_eq!(Type::parse(a).to_string(), b, "{a}");
        }
    }

    #[test]
    fn garbage_never_panics() {
        for s in [
            "",
            "(",
            "STRUCT(",
            "MAP(INT)",
            "DECIMAL(99,2)",
            "INT[x]",
            "'",
            "\"",
            "ENUM(1)",
            "geometry",
            "[[[",
            "DECIMAL(5,9)",
            "INTEGER[99999999999]",
        ] {
            let _ = Type::parse(s).to_string();
        }
        assert_eq!(Type::parse("geometry"), Type::Other("GEOMETRY".into()));
        assert_eq!(Type::parse("int array"), Type::List(Box::new(Type::Integer)));
        assert_eq!(Type::parse("DOUBLE PRECISION ARRAY"), Type::List(Box::new(Type::Double)));
        assert_eq!(Type::parse("int ARRAY[3]"), Type::Array(Box::new(Type::Integer), 3));
        let deep = "LIST(".repeat(500) + "INT" + &")".repeat(500);
        assert!(matches!(Type::parse(&deep), Type::Other(_)));
    }

    #[test]
    fn materialize_literals() {
        assert_eq!(Type::IntegerLiteral(1).materialize(), Type::Integer);
        assert_eq!(Type::IntegerLiteral(3_000_000_000).materialize(), Type::BigInt);
        assert_eq!(Type::IntegerLiteral(i128::MAX).materialize(), Type::HugeInt);
        assert_eq!(Type::List(Box::new(Type::StringLiteral)).materialize(), Type::List(Box::new(Type::Varchar)));
        assert_eq!(Type::Null.materialize(), Type::Integer);
    }
}
