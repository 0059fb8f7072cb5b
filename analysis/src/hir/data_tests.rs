//! Data tests and contracts checked like SQL: every column a test or contract names must be one
//! the model outputs, values and referenced columns must compare with it, expressions must be
//! boolean, and the inferred schema must keep the contract. Diagnostics point into the sidecar
//! (or `_defaults.toml`) that declared them, so the editor shows them as the sidecar is typed.

use super::infer::check_predicate;
use super::{lookup_source, model_schema, model_settings, resolve_table, ModelSchema, TableTarget};
use crate::base::{Db, ModelFile};
use crate::config::{Contract, DataTest, DataTestKind, Spanned, Strategy, TestValue};
use crate::diagnostics::{Code, Diagnostic};
use crate::types::{comparison_type, Type};

/// The diagnostics of one model's tests and contract. Reads the model's own schema (not its
/// SQL), so a body edit that keeps the schema does not re-run it.
#[salsa::tracked(returns(ref))]
pub fn model_test_diagnostics(db: &dyn Db, file: ModelFile) -> Vec<Diagnostic> {
    let config = &model_settings(db, file).config;
    if config.tests.is_empty() && config.contract.is_none() {
        return Vec::new();
    }
    let schema = model_schema(db, file);
    let mut check = Checker { db, schema, path: config.tests_file.as_deref().unwrap_or_default(), out: Vec::new() };
    for test in &config.tests {
        check.test(file, test);
    }
    if let (Some(contract), Some(path)) = (&config.contract, &config.contract_file) {
        check.path = path;
        check.contract(contract);
    }
    check.out
}

/// A relationship's `to` (`customers`, `raw.customers`, `"raw"."customers"`) as the lower-cased
/// name parts table resolution takes.
pub fn relationship_table(to: &str) -> Vec<String> {
    to.split('.').map(|p| p.trim_matches('"').to_lowercase()).collect()
}

struct Checker<'a> {
    db: &'a dyn Db,
    schema: &'a ModelSchema,
    /// The file the declarations being checked come from.
    path: &'a str,
    out: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn test(&mut self, file: ModelFile, test: &DataTest) {
        match &test.kind {
            DataTestKind::NotNull { column } => {
                self.column(column);
            }
            DataTestKind::Unique { columns } => {
                for c in columns {
                    self.column(c);
                }
            }
            DataTestKind::AcceptedValues { column, values } => {
                if let Some(ty) = self.column(column) {
                    for v in values {
                        self.value(&ty, &column.value, v);
                    }
                }
            }
            DataTestKind::Relationships { column, to, field } => {
                let ty = self.column(column);
                if let (Some(ty), Some(parent)) = (ty, self.parent_column(to, field)) {
                    if !ty.is_unknown()
                        && !parent.is_unknown()
                        && super::project_dialect(self.db).common_type(&ty, &parent).is_none()
                    {
                        self.report(
                            Code::E703TestTypeMismatch,
                            field,
                            format!(
                                "`{}` is {ty} but `{}.{}` is {parent}: they cannot be compared",
                                column.value, to.value, field.value
                            ),
                            "point the test at a column of a compatible type",
                        );
                    }
                }
            }
            DataTestKind::Expression { expression, offset } => {
                let (ty, diags) =
                    check_predicate(self.db, file, self.path, &expression.value, *offset, expression.range);
                self.out.extend(diags);
                if let Some(ty) = ty.filter(|t| !matches!(t, Type::Boolean | Type::Unknown | Type::Null)) {
                    self.report(
                        Code::E704TestNotBoolean,
                        expression,
                        format!("the test expression is {ty}, not BOOLEAN: it must be true on every row"),
                        "write a condition, e.g. amount >= 0 or status IN ('open', 'closed')",
                    );
                }
            }
            DataTestKind::RowCount { .. } => {}
        }
    }

    /// The type of a column the model outputs; E701 when it has no such column (unless its
    /// schema is open: then any name may exist, typed Unknown).
    fn column(&mut self, column: &Spanned<String>) -> Option<Type> {
        if let Some(c) = self.schema.column(&column.value) {
            return Some(c.ty.clone());
        }
        if self.schema.open {
            return Some(Type::Unknown);
        }
        let message = format!("the model has no column `{}`", column.value);
        self.no_such_column(Code::E701UnknownTestColumn, column, message, self.schema);
        None
    }

    /// An unknown-column diagnostic at `column`, suggesting the closest of `schema`'s columns.
    fn no_such_column(&mut self, code: Code, column: &Spanned<String>, message: String, schema: &ModelSchema) {
        let names: Vec<&str> = schema.columns.iter().map(|c| c.name.as_str()).collect();
        let sugg = crate::hir::infer::did_you_mean(&column.value, names.iter().copied());
        let mut d = Diagnostic::new(code, self.path, column.range, message);
        d.suggest(&sugg, &format!("its columns are: {}", names.join(", ")));
        self.out.push(d);
    }

    /// The type of `to.field` (a model or a cached source); E702 when either does not exist.
    fn parent_column(&mut self, to: &Spanned<String>, field: &Spanned<String>) -> Option<Type> {
        let schema: ModelSchema = match resolve_table(self.db, &relationship_table(&to.value)) {
            TableTarget::Model(m) if matches!(model_settings(self.db, m).config.strategy, Strategy::Ephemeral) => {
                self.report(
                    Code::E702UnknownTestTarget,
                    to,
                    format!("`{}` is ephemeral: it is never built, so no table holds its rows", to.value),
                    "point the test at a model that is built (a table or view), or at a source",
                );
                return None;
            }
            TableTarget::Model(m) => (**model_schema(self.db, m)).clone(),
            TableTarget::Source(key) => match lookup_source(self.db, &key) {
                Some(s) => ModelSchema {
                    columns: s
                        .columns
                        .iter()
                        .map(|(name, ty, nullable)| super::OutputColumn {
                            name: name.clone(),
                            ty: ty.clone(),
                            nullable: *nullable,
                        })
                        .collect(),
                    open: false,
                },
                // Not cached yet: nothing to check against.
                None => return Some(Type::Unknown),
            },
            TableTarget::Unknown => {
                self.report(
                    Code::E702UnknownTestTarget,
                    to,
                    format!("`{}` is no model or cached source", to.value),
                    "name a model, or a source as schema.table (cached by `rocky discover --with-schemas`)",
                );
                return None;
            }
        };
        match schema.column(&field.value) {
            Some(c) => Some(c.ty.clone()),
            None if schema.open => Some(Type::Unknown),
            None => {
                let message = format!("`{}` has no column `{}`", to.value, field.value);
                self.no_such_column(Code::E702UnknownTestTarget, field, message, &schema);
                None
            }
        }
    }

    /// E703 when an accepted value can never equal a value of the column's type.
    fn value(&mut self, ty: &Type, column: &str, v: &Spanned<TestValue>) {
        if ty.is_unknown() {
            return;
        }
        let (value_ty, text) = match &v.value {
            TestValue::String(s) => (Type::StringLiteral, format!("'{s}'")),
            TestValue::Number(n) => (super::project_dialect(self.db).literal_number(n), n.clone()),
            TestValue::Bool(b) => (Type::Boolean, b.to_string()),
        };
        // DuckDB casts a string literal to the column's type when the query is bound: a string
        // that is no number (or boolean) fails the test query before it runs.
        let unparsable = match &v.value {
            TestValue::String(s) if ty.is_numeric() => s.trim().parse::<f64>().is_err(),
            TestValue::String(s) if *ty == Type::Boolean => {
                !matches!(s.trim().to_lowercase().as_str(), "true" | "false" | "t" | "f" | "1" | "0")
            }
            _ => false,
        };
        if unparsable || comparison_type(ty, &value_ty).is_err() {
            self.report(
                Code::E703TestTypeMismatch,
                v,
                format!("{text} cannot be compared with `{column}` ({ty})"),
                format!("write values of type {ty}"),
            );
        }
    }

    fn contract(&mut self, contract: &Contract) {
        for declared in &contract.columns {
            let Some(actual) = self.schema.column(&declared.name.value) else {
                if !self.schema.open {
                    self.report(
                        Code::E705ContractMismatch,
                        &declared.name,
                        format!("the contract declares `{}`, but the model does not output it", declared.name.value),
                        "add the column to the query, or remove it from the contract",
                    );
                }
                continue;
            };
            let Some(dt) = &declared.data_type else { continue };
            let dialect = *super::project_dialect(self.db);
            let want = dialect.type_name(&dialect.parse_type(&dt.value));
            let got_ty = dialect.materialize(&actual.ty);
            let got = dialect.type_name(&got_ty);
            if !got_ty.is_unknown() && want != got {
                self.report(
                    Code::E705ContractMismatch,
                    dt,
                    format!("the contract says `{}` is {want}, but the query gives {got}", declared.name.value),
                    format!("cast it in the query: CAST(… AS {want}) AS {}", declared.name.value),
                );
            }
        }
        if self.schema.open || contract.columns.is_empty() {
            return;
        }
        for c in &self.schema.columns {
            if !contract.columns.iter().any(|d| d.name.value.eq_ignore_ascii_case(&c.name)) {
                self.out.push(
                    Diagnostic::new(
                        Code::E705ContractMismatch,
                        self.path,
                        contract.range,
                        format!("the model outputs `{}` ({}), which the contract does not declare", c.name, c.ty),
                    )
                    .with_hint("declare it under [contract] columns, or remove it from the query"),
                );
            }
        }
    }

    fn report<T>(&mut self, code: Code, at: &Spanned<T>, message: String, hint: impl Into<String>) {
        self.out.push(Diagnostic::new(code, self.path, at.range, message).with_hint(hint));
    }
}
