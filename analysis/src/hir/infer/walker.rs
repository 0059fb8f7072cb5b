//! The inference walker's state: where diagnostics go and what is in scope.

use sqlparser::ast::{Expr, Spanned};

use super::resolution::{ColumnDef, ColumnUse, Resolutions};
use super::scope::{Scope, Typed};
use crate::base::{Db, ModelFile};
use crate::diagnostics::{Code, Diagnostic, TextRange};
use crate::hir::{ColumnRef, LineageInput};
use crate::syntax::SpanMap;

/// One output column of a query being inferred.
#[derive(Clone, Debug)]
pub struct OutCol {
    pub name: String,
    pub value: Typed,
    /// Where the select item that produced it is (empty when unknown).
    pub range: TextRange,
    /// Where its value is defined (the select item, or upstream through `*`).
    pub def: ColumnDef,
}

/// The result of inferring a query: its columns, and whether more may exist (`SELECT *` over a
/// relation whose columns are unknown).
#[derive(Clone, Debug, Default)]
pub struct QueryResult {
    pub columns: Vec<OutCol>,
    pub open: bool,
}

/// The GROUP BY context of an aggregate SELECT: what may be referenced outside aggregates.
#[derive(Clone, Debug, Default)]
pub struct Grouping {
    /// Grouped columns of the current scope: `(relation, column)`.
    pub columns: Vec<(usize, usize)>,
    /// Grouped expressions that are not plain columns (compared structurally).
    pub exprs: Vec<Expr>,
    /// `GROUP BY ALL`: every non-aggregate select item is a key.
    pub all: bool,
    /// Where to append a missing key (end of the GROUP BY list), for the quick fix.
    pub insert_at: Option<u32>,
}

/// Which clause an expression is in; decides whether aggregates and windows are allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clause {
    Select,
    Where,
    JoinOn,
    GroupBy,
    Having,
    Qualify,
    OrderBy,
    Other,
}

/// See [`Infer::ident_name`].
pub fn ident_name(dialect: crate::dialect::Dialect, id: &sqlparser::ast::Ident) -> String {
    match dialect {
        crate::dialect::Dialect::Postgres => super::pg_naming::fold(id),
        crate::dialect::Dialect::DuckDb | crate::dialect::Dialect::Spark => id.value.clone(),
    }
}

/// The walker. One per model inference; not a salsa value.
pub struct Infer<'a> {
    pub db: &'a dyn Db,
    pub file: ModelFile,
    pub path: &'a str,
    pub spans: &'a SpanMap,
    /// The warehouse whose types, casts, operators, functions and naming rules apply.
    pub dialect: crate::dialect::Dialect,
    pub diagnostics: Vec<Diagnostic>,
    /// CTEs in lexical scope, innermost last, with their index in `res.ctes`.
    pub ctes: Vec<(String, QueryResult, Option<usize>)>,
    /// Scopes of the enclosing SELECTs (innermost last) for correlated references.
    pub scopes: Vec<Scope>,
    /// Columns read as filter, join or grouping keys.
    pub key_columns: Vec<ColumnRef>,
    /// Select-list aliases visible to the expression being typed (lateral and WHERE/HAVING use).
    /// The last element is the alias's select item in `res.items`.
    pub aliases: Vec<(String, Typed, Expr, Option<usize>)>,
    pub grouping: Option<Grouping>,
    pub in_aggregate: bool,
    /// Typing a window's PARTITION BY / ORDER BY (where both warehouses refuse window functions).
    pub in_window_spec: bool,
    /// Typing a window function's arguments or FILTER (where DuckDB refuses UNNEST).
    pub in_window_args: bool,
    /// Typing a lambda's body (where DuckDB refuses UNNEST).
    pub in_lambda: bool,
    /// The FROM scopes the derived tables being typed can read (`lateral.rs`).
    pub laterals: Vec<super::lateral::Lateral>,
    /// Whether the derived table just typed read an earlier FROM item (a LATERAL join).
    pub derived_is_lateral: bool,
    /// In a built-in macro's body: the parameters whose argument is no constant.
    pub macro_variables: Vec<String>,
    pub clause: Clause,
    /// Nesting depth of queries, to stop pathological inputs.
    pub depth: usize,
    /// What each identifier resolved to, for the IDE.
    pub res: Resolutions,
    /// Number of SELECT lists seen so far (numbers the items' SELECT).
    pub selects: usize,
    /// The branches of the set operations being typed: each branch's output names with the
    /// select-list expressions when known (what a set operation's ORDER BY may name).
    pub set_branches: Vec<super::query::SetBranch>,
    /// The fields of the STRUCT the last `unnest(struct)` read: in a select list, DuckDB
    /// expands it into one column per field.
    pub struct_unnest: Option<Vec<crate::types::StructField>>,
    /// While a select item with `COLUMNS(…)` inside an expression is typed once per column it
    /// selects: that column's value, which the `COLUMNS(…)` call stands for.
    pub columns_value: Option<Typed>,
    /// The value before `.f(…)` in DuckDB's method-call syntax when it is no name (`[1, 2].apply(…)`,
    /// `f(x).lower()`): the next call typed takes it as its first argument.
    pub method_value: Option<Typed>,
    /// Set by a call that expands into columns the analysis does not list (`COLUMNS(…)`,
    /// `unnest(s, recursive := true)` of a STRUCT): its select list's columns are open.
    pub expands: bool,
    /// Select aliases of the enclosing SELECTs (DuckDB lets a subquery read them, as it reads
    /// their columns).
    /// The flag: the alias's expression has a subquery (DuckDB refuses such a reference).
    pub outer_aliases: Vec<(String, Typed, bool)>,
    /// How many built-in macro bodies are being typed inside each other (`macro_call.rs`).
    pub macro_depth: usize,
}

impl<'a> Infer<'a> {
    pub fn new(db: &'a dyn Db, file: ModelFile, path: &'a str, spans: &'a SpanMap) -> Self {
        Infer {
            db,
            file,
            path,
            spans,
            dialect: *crate::hir::project_dialect(db),
            diagnostics: Vec::new(),
            ctes: Vec::new(),
            scopes: Vec::new(),
            key_columns: Vec::new(),
            aliases: Vec::new(),
            grouping: None,
            in_aggregate: false,
            in_window_spec: false,
            laterals: Vec::new(),
            derived_is_lateral: false,
            macro_variables: Vec::new(),
            in_window_args: false,
            in_lambda: false,
            clause: Clause::Other,
            depth: 0,
            res: Resolutions::default(),
            selects: 0,
            set_branches: Vec::new(),
            struct_unnest: None,
            columns_value: None,
            method_value: None,
            expands: false,
            outer_aliases: Vec::new(),
            macro_depth: 0,
        }
    }

    /// Byte range of a node; an empty range at the start when sqlparser has no span for it.
    pub fn range(&self, node: &impl Spanned) -> TextRange {
        self.spans.range_of(node).unwrap_or_default()
    }

    pub fn report(&mut self, code: Code, range: TextRange, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::new(code, self.path, range, message));
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    /// Records the lineage of a key expression (WHERE, ON, GROUP BY, …).
    pub fn note_keys(&mut self, value: &Typed) {
        for LineageInput { column, .. } in &value.lineage {
            if !self.key_columns.contains(column) {
                self.key_columns.push(column.clone());
            }
        }
    }

    /// Records a column reference in the resolution index.
    pub fn record_use(
        &mut self,
        range: TextRange,
        name: &str,
        qualifier: Option<(TextRange, Option<usize>)>,
        def: ColumnDef,
        value: &Typed,
    ) {
        self.res.columns.push(ColumnUse {
            range,
            name: name.to_string(),
            qualifier,
            def,
            ty: self.dialect.materialize(&value.ty),
            nullable: value.nullable,
            join_key: false,
        });
    }

    /// The type of a typing step, or Unknown after reporting its error at `at` (code and hint).
    pub fn type_or_report(
        &mut self,
        at: TextRange,
        result: Result<crate::types::Type, crate::types::TypeError>,
        code: Code,
        hint: &str,
    ) -> crate::types::Type {
        match result {
            Ok(t) => t,
            Err(err) => {
                self.report(code, at, err.message).hint = Some(hint.to_string());
                crate::types::Type::Unknown
            }
        }
    }

    /// A type as the project's warehouse prints it, for messages (DuckDB: its display string as
    /// is, literal types included; PostgreSQL: `format_type()` of the resolved type).
    pub fn show(&self, ty: &crate::types::Type) -> String {
        match self.dialect {
            crate::dialect::Dialect::DuckDb => ty.to_string(),
            crate::dialect::Dialect::Postgres | crate::dialect::Dialect::Spark => {
                self.dialect.type_name(&self.dialect.materialize(ty))
            }
        }
    }

    /// An argument type in a "no overload accepts (…)" message: DuckDB's materialized type,
    /// PostgreSQL's type with `unknown` for untyped literals (as its own messages say).
    pub fn show_arg(&self, ty: &crate::types::Type) -> String {
        match self.dialect {
            crate::dialect::Dialect::DuckDb => ty.materialize().to_string(),
            crate::dialect::Dialect::Postgres => self.dialect.type_name(ty),
            crate::dialect::Dialect::Spark => self.dialect.type_name(&self.dialect.materialize(ty)),
        }
    }

    /// The name an identifier stands for: PostgreSQL folds unquoted identifiers to lower case,
    /// DuckDB keeps them as written (and compares without case).
    pub fn ident_name(&self, id: &sqlparser::ast::Ident) -> String {
        ident_name(self.dialect, id)
    }

    /// The CTE visible under `name`, innermost first, compared without case (DuckDB's rule; a
    /// `TABLE name` query, whose name sqlparser keeps as plain text).
    pub fn cte(&self, name: &str) -> Option<&(String, QueryResult, Option<usize>)> {
        self.ctes.iter().rev().find(|(n, _, _)| n.eq_ignore_ascii_case(name))
    }

    /// The CTE a table identifier names. PostgreSQL compares the folded name exactly (CTEs are
    /// stored folded: `WITH "Recent"` is not read by `FROM recent`); DuckDB without case.
    pub fn cte_of(&self, id: &sqlparser::ast::Ident) -> Option<&(String, QueryResult, Option<usize>)> {
        match self.dialect {
            crate::dialect::Dialect::Postgres => {
                let name = self.ident_name(id);
                self.ctes.iter().rev().find(|(n, _, _)| *n == name)
            }
            crate::dialect::Dialect::DuckDb | crate::dialect::Dialect::Spark => self.cte(&id.value),
        }
    }
}
