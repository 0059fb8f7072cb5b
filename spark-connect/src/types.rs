//! Spark's type spelling (`DataType.catalogString`, what `DESCRIBE QUERY` prints) of the
//! protocol's `DataType`, and the closest Spark type of an Arrow type (results of commands, which
//! carry no Spark schema).

use arrow_schema::{DataType as ArrowType, TimeUnit};

use crate::proto::data_type::Kind;
use crate::proto::DataType;

/// `int`, `decimal(10,2)`, `array<int>`, `struct<a:int,b:string>`, `map<string,int>`, … exactly
/// as Spark's `DESCRIBE QUERY` prints the type.
pub fn type_string(data_type: &DataType) -> String {
    let Some(kind) = &data_type.kind else { return "void".to_string() };
    match kind {
        Kind::Null(_) => "void".into(),
        Kind::Binary(_) => "binary".into(),
        Kind::Boolean(_) => "boolean".into(),
        Kind::Byte(_) => "tinyint".into(),
        Kind::Short(_) => "smallint".into(),
        Kind::Integer(_) => "int".into(),
        Kind::Long(_) => "bigint".into(),
        Kind::Float(_) => "float".into(),
        Kind::Double(_) => "double".into(),
        Kind::Decimal(d) => format!("decimal({},{})", d.precision.unwrap_or(10), d.scale.unwrap_or(0)),
        Kind::String(s) if s.collation.is_empty() || s.collation == "UTF8_BINARY" => "string".into(),
        Kind::String(s) => format!("string collate {}", s.collation),
        Kind::Char(c) => format!("char({})", c.length),
        Kind::VarChar(v) => format!("varchar({})", v.length),
        Kind::Date(_) => "date".into(),
        Kind::Timestamp(_) => "timestamp".into(),
        Kind::TimestampNtz(_) => "timestamp_ntz".into(),
        Kind::CalendarInterval(_) => "interval".into(),
        Kind::YearMonthInterval(i) => interval(&["year", "month"], i.start_field, i.end_field),
        Kind::DayTimeInterval(i) => interval(&["day", "hour", "minute", "second"], i.start_field, i.end_field),
        Kind::Array(a) => format!("array<{}>", a.element_type.as_deref().map(type_string).unwrap_or_default()),
        Kind::Struct(s) => {
            let fields: Vec<String> = s
                .fields
                .iter()
                .map(|f| format!("{}:{}", f.name, f.data_type.as_ref().map(type_string).unwrap_or_default()))
                .collect();
            format!("struct<{}>", fields.join(","))
        }
        Kind::Map(m) => format!(
            "map<{},{}>",
            m.key_type.as_deref().map(type_string).unwrap_or_default(),
            m.value_type.as_deref().map(type_string).unwrap_or_default()
        ),
        Kind::Variant(_) => "variant".into(),
        Kind::Udt(u) => u.sql_type.as_deref().map(type_string).unwrap_or_else(|| u.r#type.clone()),
        Kind::Unparsed(u) => u.data_type_string.clone(),
    }
}

/// `interval year to month`, `interval day`, … (fields by index; start only when they are equal).
fn interval(fields: &[&str], start: Option<i32>, end: Option<i32>) -> String {
    let name = |i: Option<i32>, default: usize| {
        let index = i.and_then(|i| usize::try_from(i).ok()).unwrap_or(default);
        fields.get(index).copied().unwrap_or("?")
    };
    let (start, end) = (name(start, 0), name(end, fields.len() - 1));
    if start == end {
        format!("interval {start}")
    } else {
        format!("interval {start} to {end}")
    }
}

/// The Spark type an Arrow column came from (Spark's own mapping, `ArrowUtils.fromArrowType`).
pub(crate) fn arrow_type_string(data_type: &ArrowType) -> String {
    match data_type {
        ArrowType::Null => "void".into(),
        ArrowType::Boolean => "boolean".into(),
        ArrowType::Int8 => "tinyint".into(),
        ArrowType::Int16 => "smallint".into(),
        ArrowType::Int32 => "int".into(),
        ArrowType::Int64 => "bigint".into(),
        ArrowType::Float32 => "float".into(),
        ArrowType::Float64 => "double".into(),
        ArrowType::Decimal128(p, s) => format!("decimal({p},{s})"),
        ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View => "string".into(),
        ArrowType::Binary | ArrowType::LargeBinary | ArrowType::BinaryView => "binary".into(),
        ArrowType::Date32 => "date".into(),
        ArrowType::Timestamp(TimeUnit::Microsecond, Some(_)) => "timestamp".into(),
        ArrowType::Timestamp(_, None) => "timestamp_ntz".into(),
        ArrowType::List(f) | ArrowType::LargeList(f) => format!("array<{}>", arrow_type_string(f.data_type())),
        ArrowType::Struct(fields) => {
            let fields: Vec<String> =
                fields.iter().map(|f| format!("{}:{}", f.name(), arrow_type_string(f.data_type()))).collect();
            format!("struct<{}>", fields.join(","))
        }
        ArrowType::Map(entries, _) => match entries.data_type() {
            ArrowType::Struct(kv) if kv.len() == 2 => {
                format!("map<{},{}>", arrow_type_string(kv[0].data_type()), arrow_type_string(kv[1].data_type()))
            }
            other => other.to_string(),
        },
        other => other.to_string(),
    }
}
