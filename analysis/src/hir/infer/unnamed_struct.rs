//! DuckDB's unnamed STRUCTs: `ROW(a, b)` and `(a, b)` are `STRUCT(A, B)` whose fields have no
//! names. DuckDB reads them by position (`r[1]`, `struct_extract(r, 1)`) and never by name, a
//! named STRUCT is read by name only, and an unnamed one takes a named one's names when the two
//! meet in a list, a CASE or a set operation (`types::cast`).

use sqlparser::ast::Expr;

use super::constants::expr_string;
use super::expr::derived;
use super::scope::Typed;
use super::walker::Infer;
use crate::diagnostics::Code;
use crate::types::{StructField, Type};

impl Infer<'_> {
    /// `ROW(…)` / `(…)` in DuckDB: a STRUCT of the values' types, in order, with no names.
    pub fn row_value(&self, values: &[Typed]) -> Typed {
        let fields = values.iter().map(|v| StructField { name: String::new(), ty: self.dialect.nested(&v.ty) });
        derived(Type::Struct(fields.collect()), false, values)
    }

    /// `s[key]` / `struct_extract(s, key)`: the field's type, or DuckDB's binder error (a name
    /// on an unnamed STRUCT, a position on a named one, out of range, or not a constant;
    /// reported at `at`). Unknown for a key whose field cannot be known.
    pub fn struct_key(&mut self, at: &Expr, fields: &[StructField], key: &Expr, key_ty: &Type) -> Type {
        if let Some(name) = expr_string(key) {
            return self.struct_field(at, fields, &name);
        }
        let position = super::constants::literal_number(key).filter(|n| n.fract() == 0.0);
        // A constant the analysis does not evaluate (`r[1 + 1]`): its field is not known.
        let variable = position.is_none() && !super::constants::is_constant(key);
        if position.is_none() && !(variable && key_ty.is_integral()) {
            return Type::Unknown;
        }
        let range = self.expr_range(at);
        if !is_unnamed(fields) {
            let example = fields.first().map(|f| f.name.as_str()).unwrap_or("name");
            self.report(Code::E105UnknownField, range, "a STRUCT with named fields is read by name, not by position")
                .hint = Some(format!("use the field's name, e.g. ['{example}'] or .{example}"));
            return Type::Unknown;
        }
        let Some(n) = position else {
            self.report(Code::E105UnknownField, range, "an unnamed STRUCT is read at a constant position").hint =
                Some("write the position as a number, e.g. [1]".into());
            return Type::Unknown;
        };
        match field_at(fields, n) {
            Some(ty) => ty,
            None => {
                self.report(
                    Code::E105UnknownField,
                    range,
                    format!("position {n} is out of range: the STRUCT has {} field(s)", fields.len()),
                )
                .hint = Some(format!("read a field from 1 to {}", fields.len()));
                Type::Unknown
            }
        }
    }

    /// `r.name` / `r['name']` of an unnamed STRUCT: DuckDB's binder error; whether it was one.
    pub fn refuse_name_on_unnamed(&mut self, at: &Expr, fields: &[StructField]) -> bool {
        if !is_unnamed(fields) {
            return false;
        }
        let range = self.expr_range(at);
        self.report(Code::E105UnknownField, range, "an unnamed STRUCT (ROW(…)) has no field names").hint =
            Some("read its fields by position, e.g. [1], or build it with names: {'a': …}".into());
        true
    }
}

/// Whether every field of a STRUCT is unnamed (`ROW(1, 2)`).
pub(super) fn is_unnamed(fields: &[StructField]) -> bool {
    !fields.is_empty() && fields.iter().all(|f| f.name.is_empty())
}

/// The type of the field at 1-based position `n`.
pub(super) fn field_at(fields: &[StructField], n: f64) -> Option<Type> {
    let i = (n >= 1.0).then(|| n as usize - 1)?;
    fields.get(i).map(|f| f.ty.clone())
}
