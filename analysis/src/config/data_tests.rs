//! A sidecar's data tests (`[[tests]]`, also read as Rocky 1.71's `[[assertions]]`) and its
//! `[contract]`: TOML → typed declarations with the byte ranges every later diagnostic points at.
//!
//! Only the shape is checked here (known kinds, required keys, value types); whether the named
//! columns exist and the types agree is the analysis' job (`hir::data_tests`), once the model's
//! schema is known.

use super::parse::{in_file_order, range, Sink, Value};
use super::Spanned;
use crate::diagnostics::TextRange;

/// The kinds of data test, as written in `type = "…"`.
pub const TEST_KINDS: [&str; 6] = ["not_null", "unique", "accepted_values", "relationships", "expression", "row_count"];

/// What happens when a test finds failing rows at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TestSeverity {
    /// The model fails and its dependents are skipped.
    #[default]
    Error,
    /// Reported; the model still counts as built.
    Warn,
}

impl TestSeverity {
    pub fn as_str(self) -> &'static str {
        match self {
            TestSeverity::Error => "error",
            TestSeverity::Warn => "warn",
        }
    }
}

/// A literal of `accepted_values`, kept as TOML gave it so the SQL literal matches its kind.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TestValue {
    String(String),
    /// Integers and floats, as written (`1_000` without separators).
    Number(String),
    Bool(bool),
}

/// One declared data test.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DataTest {
    pub kind: DataTestKind,
    pub severity: TestSeverity,
    /// The `[[tests]]` entry's `type` value: where whole-test diagnostics point.
    pub range: TextRange,
    /// A stable label: `not_null(customer_id)`, `unique(a, b)`, or the entry's `name`.
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DataTestKind {
    NotNull {
        column: Spanned<String>,
    },
    Unique {
        columns: Vec<Spanned<String>>,
    },
    AcceptedValues {
        column: Spanned<String>,
        values: Vec<Spanned<TestValue>>,
    },
    /// Every non-null `column` value exists in `to`'s `field` (a model name or `schema.table`).
    Relationships {
        column: Spanned<String>,
        to: Spanned<String>,
        field: Spanned<String>,
    },
    /// A boolean SQL predicate over the model's columns that must hold on every row; `offset` is
    /// where the expression's first character sits in the sidecar (None when escapes make the
    /// string differ from its text, so spans fall back to the whole value).
    Expression {
        expression: Spanned<String>,
        offset: Option<u32>,
    },
    RowCount {
        min: Option<u64>,
        max: Option<u64>,
    },
}

/// `[contract]`: the columns the model promises, checked against the inferred schema in the
/// editor and against the built table's DESCRIBE at run time.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Contract {
    pub columns: Vec<ContractColumn>,
    /// The `[contract]` header's key: where "column not declared" points.
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ContractColumn {
    pub name: Spanned<String>,
    /// The warehouse type as written (`INTEGER`, `DECIMAL(10,2)`).
    pub data_type: Option<Spanned<String>>,
    /// `nullable = false` promises no NULLs (checked at run time).
    pub nullable: Option<Spanned<bool>>,
}

/// Parses `tests` / `assertions` (an array of tables).
pub(super) fn parse_tests(sink: &mut Sink<'_>, text: &str, key: &str, value: &Value<'_>) -> Vec<DataTest> {
    let Some(items) = value.get_ref().as_array() else {
        sink.error(
            value.span(),
            format!("`{key}` must be a list of tables"),
            format!("write each test as its own section:\n[[{key}]]\ntype = \"not_null\"\ncolumn = \"id\""),
        );
        return Vec::new();
    };
    items.iter().filter_map(|item| parse_test(sink, text, key, item)).collect()
}

fn parse_test(sink: &mut Sink<'_>, text: &str, key: &str, item: &Value<'_>) -> Option<DataTest> {
    let t = sink.table(key, item)?;
    let mut fields = TestFields::default();
    for (k, kspan, v) in in_file_order(t) {
        match k {
            "type" | "kind" => fields.kind = sink.spanned_string("type", v),
            "column" => fields.column = sink.spanned_string("column", v).map(|c| narrow(text, c)),
            "columns" => {
                fields.columns = sink.strings("columns", v).map(|l| l.into_iter().map(|c| narrow(text, c)).collect())
            }
            "values" => fields.values = Some(values(sink, v)),
            "to" => fields.to = sink.spanned_string("to", v).map(|c| narrow(text, c)),
            "field" => fields.field = sink.spanned_string("field", v).map(|c| narrow(text, c)),
            "expression" => {
                fields.expression = sink.spanned_string("expression", v).map(|e| {
                    let offset = content_offset(text, v.span(), &e.value);
                    (narrow(text, e), offset)
                })
            }
            "min" => fields.min = sink.unsigned("min", v, 0, "min = 1"),
            "max" => fields.max = sink.unsigned("max", v, 0, "max = 1000000"),
            "severity" => fields.severity = severity(sink, v),
            "name" => fields.name = sink.string("name", v),
            "description" => {}
            other => sink.ignored(kspan, &format!("`{other}` in a test")),
        }
    }
    let Some(kind) = fields.kind.take() else {
        sink.error(
            item.span(),
            "a test needs a `type`",
            format!("add type = \"…\", one of: {}", TEST_KINDS.join(", ")),
        );
        return None;
    };
    let at = kind.range;
    let mut need = |sink: &mut Sink<'_>, what: &str, example: &str| {
        sink.error(
            (at.start as usize)..(at.end as usize),
            format!("a `{}` test needs {what}", kind.value),
            format!("add {example}"),
        );
    };
    let built = match kind.value.as_str() {
        "not_null" => match (fields.column.clone(), fields.columns.clone()) {
            (Some(c), _) => Some(DataTestKind::NotNull { column: c }),
            (None, Some(cs)) if cs.len() == 1 => Some(DataTestKind::NotNull { column: cs[0].clone() }),
            _ => {
                need(sink, "one `column`", "column = \"id\"");
                None
            }
        },
        "unique" => {
            let columns: Vec<_> =
                fields.column.clone().into_iter().chain(fields.columns.clone().unwrap_or_default()).collect();
            if columns.is_empty() {
                need(sink, "`column` or `columns`", "columns = [\"id\"]");
                None
            } else {
                Some(DataTestKind::Unique { columns })
            }
        }
        "accepted_values" => match (fields.column.clone(), fields.values.clone()) {
            (Some(column), Some(values)) if !values.is_empty() => Some(DataTestKind::AcceptedValues { column, values }),
            _ => {
                need(
                    sink,
                    "`column` and a non-empty `values` list",
                    "column = \"status\" and values = [\"open\", \"closed\"]",
                );
                None
            }
        },
        "relationships" => relationships(sink, &fields, &mut need),
        "expression" => match fields.expression.clone() {
            Some((expression, offset)) if !expression.value.trim().is_empty() => {
                Some(DataTestKind::Expression { expression, offset })
            }
            _ => {
                need(sink, "a non-empty `expression`", "expression = \"amount >= 0\"");
                None
            }
        },
        "row_count" => match (fields.min, fields.max) {
            (None, None) => {
                need(sink, "`min` and/or `max`", "min = 1");
                None
            }
            (Some(lo), Some(hi)) if lo > hi => {
                need(sink, &format!("`min` ({lo}) not above `max` ({hi})"), "bounds that some row count can meet");
                None
            }
            (min, max) => Some(DataTestKind::RowCount { min, max }),
        },
        other => {
            let hint = match super::model::closest(other, &TEST_KINDS) {
                Some(best) => format!("did you mean `{best}`? (one of: {})", TEST_KINDS.join(", ")),
                None => format!("use one of: {}", TEST_KINDS.join(", ")),
            };
            sink.error((at.start as usize)..(at.end as usize), format!("unknown test type `{other}`"), hint);
            None
        }
    }?;
    let name = fields.name.clone().unwrap_or_else(|| default_name(&kind.value, &built));
    Some(DataTest { kind: built, severity: fields.severity.unwrap_or_default(), range: at, name })
}

/// The keys of one `[[tests]]` entry, before its kind decides which are required.
#[derive(Default)]
struct TestFields {
    kind: Option<Spanned<String>>,
    column: Option<Spanned<String>>,
    columns: Option<Vec<Spanned<String>>>,
    values: Option<Vec<Spanned<TestValue>>>,
    to: Option<Spanned<String>>,
    field: Option<Spanned<String>>,
    expression: Option<(Spanned<String>, Option<u32>)>,
    min: Option<u64>,
    max: Option<u64>,
    severity: Option<TestSeverity>,
    name: Option<String>,
}

/// `to = "customers.id"`, or `to = "customers"` with `field = "id"` (dbt's spelling).
fn relationships(
    sink: &mut Sink<'_>,
    fields: &TestFields,
    need: &mut impl FnMut(&mut Sink<'_>, &str, &str),
) -> Option<DataTestKind> {
    let (Some(column), Some(to)) = (fields.column.clone(), fields.to.clone()) else {
        need(sink, "`column` and `to`", "column = \"customer_id\" and to = \"customers.id\"");
        return None;
    };
    if let Some(field) = fields.field.clone() {
        return Some(DataTestKind::Relationships { column, to, field });
    }
    let Some((table, col)) = to.value.rsplit_once('.') else {
        need(sink, "the referenced column", "to = \"customers.id\" (model or schema.table, then the column)");
        return None;
    };
    // `to` is narrowed to its text when that is verbatim; else both parts point at the whole value.
    let verbatim = to.range.len() as usize == to.value.len();
    let split = to.range.start + table.len() as u32;
    let (trange, frange) = if verbatim {
        (TextRange::new(to.range.start, split), TextRange::new(split + 1, to.range.end))
    } else {
        (to.range, to.range)
    };
    let table = Spanned { value: table.to_string(), range: trange };
    let field = Spanned { value: col.to_string(), range: frange };
    Some(DataTestKind::Relationships { column, to: table, field })
}

fn default_name(kind: &str, test: &DataTestKind) -> String {
    let args = match test {
        DataTestKind::NotNull { column } => column.value.clone(),
        DataTestKind::Unique { columns } => columns.iter().map(|c| c.value.as_str()).collect::<Vec<_>>().join(", "),
        DataTestKind::AcceptedValues { column, .. } => column.value.clone(),
        DataTestKind::Relationships { column, to, field } => {
            format!("{} -> {}.{}", column.value, to.value, field.value)
        }
        DataTestKind::Expression { expression, .. } => expression.value.clone(),
        DataTestKind::RowCount { min, max } => {
            format!(
                "{}..{}",
                min.map(|m| m.to_string()).unwrap_or_default(),
                max.map(|m| m.to_string()).unwrap_or_default()
            )
        }
    };
    format!("{kind}({args})")
}

fn severity(sink: &mut Sink<'_>, v: &Value<'_>) -> Option<TestSeverity> {
    match sink.string("severity", v)?.as_str() {
        "error" => Some(TestSeverity::Error),
        "warn" | "warning" => Some(TestSeverity::Warn),
        other => {
            sink.error(v.span(), format!("unknown severity `{other}`"), "use \"error\" (fail the model) or \"warn\"");
            None
        }
    }
}

fn values(sink: &mut Sink<'_>, v: &Value<'_>) -> Vec<Spanned<TestValue>> {
    let Some(items) = v.get_ref().as_array() else {
        sink.error(v.span(), "`values` must be a list", "write values = [\"a\", \"b\"]");
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items.iter() {
        let value = match item.get_ref() {
            toml::de::DeValue::String(s) => Some(TestValue::String(s.to_string())),
            toml::de::DeValue::Integer(i) => {
                i64::from_str_radix(i.as_str(), i.radix()).ok().map(|n| TestValue::Number(n.to_string()))
            }
            toml::de::DeValue::Float(f) => f
                .as_str()
                .replace('_', "")
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(|x| TestValue::Number(x.to_string())),
            toml::de::DeValue::Boolean(b) => Some(TestValue::Bool(*b)),
            _ => None,
        };
        match value {
            Some(value) => out.push(Spanned { value, range: range(item.span()) }),
            None => sink.error(
                item.span(),
                format!("`values` may hold strings, numbers and booleans, not {}", item.get_ref().type_str()),
                "write each accepted value as a literal, e.g. \"open\" or 3",
            ),
        }
    }
    out
}

/// Parses `[contract]` with `columns = [{ name, type, nullable }]` (or `[[contract.columns]]`).
pub(super) fn parse_contract(
    sink: &mut Sink<'_>,
    text: &str,
    key_span: std::ops::Range<usize>,
    value: &Value<'_>,
) -> Option<Contract> {
    let t = sink.table("contract", value)?;
    let mut contract = Contract { columns: Vec::new(), range: range(key_span) };
    for (k, kspan, v) in in_file_order(t) {
        match k {
            "columns" => {
                let Some(items) = v.get_ref().as_array() else {
                    sink.error(
                        v.span(),
                        "`contract.columns` must be a list of tables",
                        "write columns = [{ name = \"id\", type = \"INTEGER\", nullable = false }]",
                    );
                    continue;
                };
                for item in items.iter() {
                    if let Some(c) = contract_column(sink, text, item) {
                        contract.columns.push(c);
                    }
                }
            }
            "enforced" | "description" => {}
            other => sink.ignored(kspan, &format!("`contract.{other}`")),
        }
    }
    Some(contract)
}

fn contract_column(sink: &mut Sink<'_>, text: &str, item: &Value<'_>) -> Option<ContractColumn> {
    let t = sink.table("contract.columns", item)?;
    let (mut name, mut data_type, mut nullable) = (None, None, None);
    for (k, kspan, v) in in_file_order(t) {
        match k {
            "name" => name = sink.spanned_string("name", v).map(|n| narrow(text, n)),
            "type" | "data_type" => data_type = sink.spanned_string("type", v).map(|t| narrow(text, t)),
            "nullable" => nullable = sink.boolean("nullable", v).map(|b| Spanned { value: b, range: range(v.span()) }),
            "description" => {}
            other => sink.ignored(kspan, &format!("`{other}` in a contract column")),
        }
    }
    let Some(name) = name else {
        sink.error(item.span(), "a contract column needs a `name`", "add name = \"<column>\"");
        return None;
    };
    Some(ContractColumn { name, data_type, nullable })
}

/// The string's range narrowed to its content (without quotes) when the content is verbatim,
/// so a diagnostic underlines the name itself; else the whole value.
fn narrow(text: &str, s: Spanned<String>) -> Spanned<String> {
    let span = (s.range.start as usize)..(s.range.end as usize);
    match content_offset(text, span, &s.value) {
        Some(start) => Spanned { range: TextRange::new(start, start + s.value.len() as u32), value: s.value },
        None => s,
    }
}

/// Where a TOML string's content starts in `text`, when the content is the string's value
/// verbatim (no escapes): then SQL spans inside it map 1:1 into the sidecar.
fn content_offset(text: &str, span: std::ops::Range<usize>, value: &str) -> Option<u32> {
    let raw = text.get(span.clone())?;
    let triple = raw.starts_with("\"\"\"") || raw.starts_with("'''");
    let mut start = span.start + if triple { 3 } else { 1 };
    // TOML drops a newline right after a multi-line string's opening delimiter.
    if triple {
        let rest = text.get(start..)?;
        start += if rest.starts_with("\r\n") { 2 } else { usize::from(rest.starts_with('\n')) };
    }
    (text.get(start..start + value.len())? == value).then_some(start as u32)
}
