//! Binder errors of DuckDB forms the parser now reads: a typed literal whose type name is a
//! column (`SELECT i 'hello'` reads as a literal of type `i`, not an alias), a struct literal
//! with an empty or repeated field name (`{'': 1}`, `{'a': 1, 'A': 2}`, which `struct_pack`
//! refuses), a state export of an aggregate with its own binder (`list(x) EXPORT_STATE`), and a
//! DISTINCT aggregate ordered by what it does not aggregate (`list(DISTINCT a ORDER BY b)`), an
//! empty list of names where a binder needs some (`date_part([], ts)`).

use std::ops::ControlFlow;

use sqlparser::ast::{
    visit_expressions, DataType, DictionaryField, DuplicateTreatment, Expr, Function, FunctionArgumentClause,
    FunctionArguments, Ident, TypedString, Visit,
};

use super::scope::{lookup, Lookup};
use super::walker::Infer;
use crate::diagnostics::Code;
use crate::types::Type;

impl Infer<'_> {
    /// `name 'text'` where `name` is no type DuckDB knows but a column in scope: the user meant
    /// an alias (DuckDB: "Type with name i does not exist").
    pub(super) fn check_typed_literal_type(&mut self, e: &Expr, ts: &TypedString) {
        let DataType::Custom(name, modifiers) = &ts.data_type else { return };
        let [part] = name.0.as_slice() else { return };
        let Some(ident) = part.as_ident() else { return };
        if !modifiers.is_empty()
            || !matches!(Type::from_sql(&ts.data_type), Type::Other(_))
            || matches!(lookup(&self.scopes, None, &ident.value), Lookup::NotFound)
        {
            return;
        }
        let range = self.spans.range(ident.span).unwrap_or_else(|| self.range(e));
        self.report(Code::E206InvalidCast, range, format!("{} is a column, not a type", ident.value)).hint =
            Some("a string after a name is a typed literal; to name the column, write AS 'alias'".into());
    }

    /// `{'': 1}`: DuckDB's `struct_pack` needs a name for every field; `{'a': 1, 'A': 2}`: and
    /// names that differ other than in case.
    pub(super) fn check_struct_field_names(&mut self, fields: &[DictionaryField]) {
        for (i, f) in fields.iter().enumerate() {
            let repeated = fields[..i].iter().any(|g| g.key.value.eq_ignore_ascii_case(&f.key.value));
            let message = match (f.key.value.is_empty(), repeated) {
                (true, _) => "a struct field needs a name".to_string(),
                (false, true) => format!("the struct has two fields named {}", f.key.value),
                (false, false) => continue,
            };
            let range = self.spans.range(f.key.span).unwrap_or_default();
            self.report(Code::E205NoMatchingOverload, range, message).hint =
                Some("DuckDB's struct_pack needs a distinct name for every field (names ignore case)".into());
        }
    }

    /// `list(x) EXPORT_STATE`: DuckDB cannot export the state of an aggregate that binds its own
    /// arguments (the list and string aggregates).
    pub(super) fn check_export_state(&mut self, word: &Ident, value: &Expr) {
        let Expr::Function(f) = value else { return };
        let name = f.name.to_string().to_ascii_lowercase();
        if CUSTOM_BINDER_AGGREGATES.contains(&name.as_str()) {
            let range = self.spans.range(word.span).unwrap_or_default();
            self.report(Code::E205NoMatchingOverload, range, format!("{name} cannot export its state")).hint =
                Some("DuckDB's EXPORT_STATE takes aggregates without a custom binder".into());
        }
    }

    /// `list(DISTINCT a ORDER BY b)`: DuckDB orders a DISTINCT aggregate only by its arguments
    /// or what they determine (an expression of their columns, none of it volatile).
    pub(super) fn check_distinct_order_by(&mut self, f: &Function) {
        let FunctionArguments::List(list) = &f.args else { return };
        if list.duplicate_treatment != Some(DuplicateTreatment::Distinct) {
            return;
        }
        let args: Vec<String> = list.args.iter().map(|a| a.to_string().to_ascii_lowercase()).collect();
        let (arg_columns, arg_volatile) = columns_of(&list.args);
        let determined = |e: &Expr| {
            let (columns, volatile) = columns_of(e);
            !volatile && !arg_volatile && columns.iter().all(|c| arg_columns.contains(c))
        };
        for clause in &list.clauses {
            let FunctionArgumentClause::OrderBy(order) = clause else { continue };
            let refused = order
                .iter()
                .filter(|o| !args.contains(&o.expr.to_string().to_ascii_lowercase()) && !determined(&o.expr));
            for o in refused {
                let range = self.range(&o.expr);
                self.report(
                    Code::E205NoMatchingOverload,
                    range,
                    "a DISTINCT aggregate is ordered by its arguments only",
                )
                .hint = Some("order by an argument of the aggregate, or drop DISTINCT".into());
            }
        }
    }

    /// `date_part([], ts)`, `regexp_extract(s, re, [])`: DuckDB's binders of these take a list
    /// constant of names, and refuse an empty one.
    pub(super) fn check_empty_name_list(&mut self, name: &str, f: &Function) {
        let (position, what) = match name {
            "date_part" | "datepart" => (0, "date_part needs at least one part name"),
            "regexp_extract" | "regexp_extract_all" => (2, "the list of group names must not be empty"),
            _ => return,
        };
        let FunctionArguments::List(list) = &f.args else { return };
        let Some(sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(arg))) =
            list.args.get(position)
        else {
            return;
        };
        if matches!(arg, Expr::Array(a) if a.elem.is_empty()) {
            let range = self.range(arg);
            self.report(Code::E205NoMatchingOverload, range, what.to_string()).hint =
                Some("name at least one, or pass a single name as a string".into());
        }
    }
}

/// The aggregates with a custom binder that DuckDB 1.5.5 refuses to export the state of.
const CUSTOM_BINDER_AGGREGATES: &[&str] = &["list", "array_agg", "string_agg", "group_concat", "listagg"];

/// The column names an expression reads (lower-cased) and whether it calls a volatile function.
fn columns_of(node: &impl Visit) -> (Vec<String>, bool) {
    let (mut columns, mut volatile) = (Vec::new(), false);
    let _ = visit_expressions(node, |e| {
        match e {
            Expr::Identifier(id) => columns.push(id.value.to_ascii_lowercase()),
            Expr::CompoundIdentifier(parts) => {
                columns.extend(parts.last().map(|p| p.value.to_ascii_lowercase()));
            }
            Expr::Function(f) => {
                let name = f.name.to_string().to_ascii_lowercase();
                volatile |= matches!(name.as_str(), "random" | "uuid" | "gen_random_uuid" | "uuidv4" | "uuidv7");
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
    (columns, volatile)
}
