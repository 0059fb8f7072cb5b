use std::fmt;

/// A DuckDB logical type.
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
    Decimal { precision: u8, scale: u8 },
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
    /// A type DuckDB has that the checker does not model; kept verbatim (upper-cased).
    Other(String),
}

/// One named field of a STRUCT or UNION.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StructField {
    pub name: String,
    pub ty: Type,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Placeholder until the types module's display lands; see types::display.
        write!(f, "{self:?}")
    }
}
