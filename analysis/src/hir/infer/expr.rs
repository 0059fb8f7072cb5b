//! Expressions: column references, literals, operators, CASE, CAST, subqueries, struct and
//! list access.

use sqlparser::ast::{AccessExpr, BinaryOperator, CastKind, Expr, Ident, InTarget, Query, Subscript, Value};

use super::null_constant;
use super::resolution::ColumnDef;
use super::scope::{did_you_mean, has_qualifier, lookup, Lookup, Typed};
use super::walker::Infer;
use crate::diagnostics::{Code, Fix, TextRange};
use crate::hir::{ColumnRef, DerivationKind, LineageInput, LineageTable};
use crate::types::Type;

impl Infer<'_> {
    /// Infers an expression's type, nullability and lineage, reporting what is wrong with it.
    #[recursive::recursive]
    pub fn expr(&mut self, e: &Expr) -> Typed {
        // A whole expression that is a GROUP BY key may be used as is.
        if let Some(g) = &self.grouping {
            if !self.in_aggregate
                && !matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_))
                && !g.exprs.is_empty()
                && (g.exprs.contains(e) || g.exprs.contains(&self.canonical_key(e)))
            {
                let saved = self.grouping.take();
                let v = self.expr(e);
                self.grouping = saved;
                return v;
            }
        }
        match e {
            Expr::Identifier(id) => self.column_ref(e, std::slice::from_ref(id)),
            Expr::CompoundIdentifier(parts) => self.column_ref(e, parts),
            Expr::Value(v) => match super::positional::position(&v.value) {
                Some(n) => self.positional_ref(e, n),
                None => literal(self.dialect, &v.value),
            },
            Expr::TypedString(ts) => {
                self.check_typed_literal_type(e, ts);
                Typed::new(self.dialect.type_from_sql(&ts.data_type), false)
            }
            Expr::Interval(i) => {
                let v = self.expr(&i.value);
                // PostgreSQL keeps `interval '1' day`'s fields as the type's typmod.
                let ty = match (&i.leading_field, &i.last_field) {
                    (Some(first), last)
                        if self.dialect == crate::dialect::Dialect::Postgres
                            && i.leading_precision.is_none()
                            && i.fractional_seconds_precision.is_none() =>
                    {
                        let fields = match last {
                            Some(last) => format!("{first} to {last}"),
                            None => first.to_string(),
                        };
                        crate::dialect::postgres::interval_fields(&format!("interval {fields}"))
                            .map_or(Type::Interval, |f| Type::Other(format!("interval {f}")))
                    }
                    _ => Type::Interval,
                };
                let mut out = Typed::new(ty, v.nullable);
                out.absorb(&v);
                out.derive(DerivationKind::Expression)
            }
            Expr::Nested(inner) => self.expr(inner),
            Expr::BinaryOp { left, op, right } => self.binary(e, left, op, right),
            // DuckDB reads `-170141183460469231731687303715884105728` as one HUGEINT literal,
            // where the digits alone are too large for a HUGEINT.
            Expr::UnaryOp { op: sqlparser::ast::UnaryOperator::Minus, expr: inner }
                if self.dialect == crate::dialect::Dialect::DuckDb && negative_literal(inner).is_some() =>
            {
                Typed::new(negative_literal(inner).map_or(Type::Unknown, Type::IntegerLiteral), false)
            }
            Expr::UnaryOp { op, expr } => {
                let v = self.expr(expr);
                let ty = match self.dialect.unary_op(op, &v.ty) {
                    Ok(t) => t,
                    Err(err) => {
                        let r = self.expr_range(e);
                        self.report(Code::E202OperatorTypeMismatch, r, err.message);
                        Type::Unknown
                    }
                };
                let nullable = v.nullable;
                let mut out = Typed::new(ty, nullable);
                out.absorb(&v);
                out.derive(DerivationKind::Expression)
            }
            Expr::IsNull(x)
            | Expr::IsNotNull(x)
            | Expr::IsTrue(x)
            | Expr::IsNotTrue(x)
            | Expr::IsFalse(x)
            | Expr::IsNotFalse(x)
            | Expr::IsUnknown(x)
            | Expr::IsNotUnknown(x) => {
                let v = self.expr(x);
                derived(Type::Boolean, false, &[v])
            }
            Expr::IsDistinctFrom(a, b) | Expr::IsNotDistinctFrom(a, b) => {
                let (va, vb) = (self.expr(a), self.expr(b));
                self.comparable(e, &va, &vb);
                derived(Type::Boolean, false, &[va, vb])
            }
            Expr::In { expr, target: InTarget::List(list), .. } => {
                let v = self.expr(expr);
                let mut all = vec![v.clone()];
                // IN is a chain of `=`, which DuckDB binds between any two types. A mismatch is
                // reported once, on the whole `x IN (…)` (PostgreSQL points at its IN).
                let mut reported = false;
                for item in list {
                    let iv = self.expr(item);
                    if !reported {
                        let r = self.expr_range(e);
                        reported = self.comparable_at(r, &v, &iv);
                    }
                    all.push(iv);
                }
                let nullable = all.iter().any(|v| v.nullable);
                derived(Type::Boolean, nullable, &all)
            }
            Expr::In { expr, target: InTarget::Subquery(subquery), .. } => {
                let v = self.expr(expr);
                let sub = self.subquery(subquery);
                // `(a, b) IN (SELECT x, y …)` compares rows.
                if sub.columns.len() > 1 && !sub.open && !matches!(expr.as_ref(), Expr::Tuple(_) | Expr::Function(_)) {
                    let r = self.expr_range(e);
                    self.report(
                        Code::E204SetOperationMismatch,
                        r,
                        format!("the IN subquery must return one column; this one returns {}", sub.columns.len()),
                    )
                    .hint = Some("select only the column to compare with".into());
                }
                if let (Some(first), false) = (sub.columns.first(), sub.columns.len() > 1) {
                    let sv = first.value.clone();
                    self.comparable_with_subquery(e, &v, &sv);
                }
                derived(Type::Boolean, true, &[v])
            }
            Expr::In { expr, target: InTarget::Unnest(array_expr), .. } => {
                let (a, b) = (self.expr(expr), self.expr(array_expr));
                derived(Type::Boolean, true, &[a, b])
            }
            Expr::Between { expr, low, high, .. } => {
                let (v, lo, hi) = (self.expr(expr), self.expr(low), self.expr(high));
                self.comparable(low, &v, &lo);
                self.comparable(high, &v, &hi);
                let nullable = v.nullable || lo.nullable || hi.nullable;
                derived(Type::Boolean, nullable, &[v, lo, hi])
            }
            Expr::Like { negated, expr, pattern, escape_char, any, .. }
            | Expr::ILike { negated, expr, pattern, escape_char, any, .. } => {
                let ilike = matches!(e, Expr::ILike { .. });
                // With ESCAPE DuckDB binds the `*_escape` functions instead of the operators.
                // PostgreSQL applies ESCAPE to the pattern (like_escape) and keeps the operator.
                let escaped = escape_char.is_some() && self.dialect == crate::dialect::Dialect::DuckDb;
                let op = match (ilike, negated, escaped) {
                    (false, false, false) => "~~",
                    (false, true, false) => "!~~",
                    (true, false, false) => "~~*",
                    (true, true, false) => "!~~*",
                    (false, false, true) => "like_escape",
                    (false, true, true) => "not_like_escape",
                    (true, false, true) => "ilike_escape",
                    (true, true, true) => "not_ilike_escape",
                };
                let mut args = vec![self.expr(expr), self.expr(pattern)];
                // `LIKE ANY (array)` matches each element (PostgreSQL's ScalarArrayOpExpr).
                if *any && self.dialect == crate::dialect::Dialect::Postgres {
                    if let Some(elem) = args[1].ty.element_type().cloned() {
                        args[1].ty = elem;
                    }
                }
                if let Some(esc) = escape_char {
                    let v = self.expr(esc);
                    if escaped {
                        args.push(v);
                    }
                }
                self.call_operator(e, op, args)
            }
            Expr::SimilarTo { expr, pattern, .. } | Expr::RLike { expr, pattern, .. } => {
                let args = vec![self.expr(expr), self.expr(pattern)];
                let name = match self.dialect {
                    crate::dialect::Dialect::DuckDb => "regexp_full_match",
                    // SIMILAR TO is `~` on the translated pattern.
                    crate::dialect::Dialect::Postgres => "~",
                    crate::dialect::Dialect::Spark => "rlike",
                };
                self.call_operator(e, name, args)
            }
            Expr::AnyOp { left, right, .. } | Expr::AllOp { left, right, .. } => {
                let a = self.expr(left);
                // `(a, b) < ANY (SELECT x, y …)` compares rows: the subquery is as wide as the row.
                let b = match (row_width(left), right.as_ref()) {
                    (Some(width), Expr::Subquery(q)) => {
                        let sub = self.subquery(q);
                        // One column holding rows is compared as a value.
                        if let [one] = sub.columns.as_slice() {
                            if matches!(one.value.ty, Type::Struct(_) | Type::Unknown) {
                                let sv = one.value.clone();
                                self.comparable_with_subquery(e, &a, &sv);
                                return derived(Type::Boolean, true, &[a, sv]);
                            }
                        }
                        if sub.columns.len() != width && !sub.open {
                            let r = self.expr_range(right);
                            self.report(
                                Code::E204SetOperationMismatch,
                                r,
                                format!(
                                    "the subquery returns {} columns; the row it is compared with has {}",
                                    sub.columns.len(),
                                    width
                                ),
                            );
                        }
                        Typed::unknown()
                    }
                    (None, Expr::Subquery(q)) => {
                        let sub = self.subquery(q);
                        let sv = match sub.columns.as_slice() {
                            [one] => one.value.clone(),
                            _ => Typed::unknown(),
                        };
                        self.comparable_with_subquery(e, &a, &sv);
                        sv
                    }
                    _ => self.expr(right),
                };
                derived(Type::Boolean, true, &[a, b])
            }
            Expr::Cast { kind, expr, data_type, .. } => {
                let v = self.expr(expr);
                let target = self.with_user_types(self.dialect.type_from_sql(data_type));
                // A DECIMAL outside width 1..=38 / scale ≤ width is kept as a named type.
                if matches!(&target, Type::Other(name) if name.starts_with("DECIMAL(")) {
                    let r = self.expr_range(e);
                    self.report(Code::E206InvalidCast, r, format!("{target} is not a type")).hint =
                        Some("DECIMAL's width is 1 to 38 and its scale at most the width".into());
                }
                // DuckDB binds a TRY_CAST of lists element by element and leaves the failures
                // to run time (NULL), so only a cast of plain values is judged there.
                let nested = |t: &Type| matches!(t, Type::List(_) | Type::Array(..));
                let judged = !(matches!(kind, CastKind::TryCast) && (nested(&v.ty) || nested(&target)))
                    && !(self.dialect == crate::dialect::Dialect::DuckDb && null_constant::folds_to_null(expr));
                if judged && !self.dialect.can_cast(&v.ty, &target) {
                    let r = self.expr_range(e);
                    let (from, to) = (self.show(&v.ty), self.show(&target));
                    let warehouse = self.dialect.name();
                    self.report(Code::E206InvalidCast, r, format!("cannot cast {from} to {to}")).hint = Some(format!(
                        "{warehouse} has no conversion between these types; convert in steps or use another function"
                    ));
                }
                let nullable = v.nullable || matches!(kind, CastKind::TryCast | CastKind::SafeCast);
                // A type the warehouse does not have built in (`CREATE TYPE` in the warehouse)
                // is not known here: the value's type is Unknown, never an error.
                let target = match self.dialect {
                    crate::dialect::Dialect::DuckDb => forget_user_types(target),
                    _ => target,
                };
                let mut out = Typed::new(target, nullable);
                out.absorb(&v);
                out.derive(DerivationKind::Cast)
            }
            Expr::Case { operand, conditions, else_result, .. } => {
                self.case(e, operand.as_deref(), conditions, else_result.as_deref())
            }
            Expr::Function(f) => {
                self.check_distinct_order_by(f);
                self.function(e, f)
            }
            Expr::Exists { subquery, .. } => {
                self.subquery(subquery);
                Typed::new(Type::Boolean, false)
            }
            Expr::Subquery(q) => {
                if self.in_lambda && self.dialect == crate::dialect::Dialect::DuckDb {
                    let r = self.expr_range(e);
                    self.report(Code::E302MisplacedAggregate, r, "a subquery is not allowed in a lambda".to_string())
                        .hint = Some("compute the subquery outside the lambda (a CTE or a join)".into());
                }
                let sub = self.subquery(q);
                if sub.columns.len() > 1 && !sub.open {
                    let r = self.expr_range(e);
                    self.report(
                        Code::E204SetOperationMismatch,
                        r,
                        format!("a scalar subquery must return one column; this one returns {}", sub.columns.len()),
                    )
                    .hint = Some("select a single column, or use a STRUCT / a join".into());
                }
                match sub.columns.into_iter().next() {
                    Some(c) => {
                        let mut v = c.value;
                        v.nullable = true;
                        v.derive(DerivationKind::Expression)
                    }
                    None => Typed::unknown(),
                }
            }
            Expr::Extract { field, expr, .. } => {
                let v = self.expr(expr);
                let part = field.to_string().to_lowercase();
                if self.dialect == crate::dialect::Dialect::Postgres {
                    return self.call_operator(e, "extract", vec![Typed::new(Type::StringLiteral, false), v]);
                }
                let (name, args) = if part == "epoch" || part == "julian" {
                    // Both DOUBLE, as DuckDB's date_part binds them.
                    (part.as_str(), vec![v])
                } else {
                    ("date_part", vec![Typed::new(Type::StringLiteral, false), v])
                };
                self.call_operator(e, name, args)
            }
            Expr::Ceil { expr, .. } | Expr::Floor { expr, .. } => {
                let name = if matches!(e, Expr::Ceil { .. }) { "ceil" } else { "floor" };
                let v = self.expr(expr);
                self.call_operator_on(e, name, vec![v], &[expr])
            }
            Expr::Position { expr, r#in } => {
                let args = vec![self.expr(r#in), self.expr(expr)];
                self.call_operator(e, "position", args)
            }
            Expr::Substring { expr, substring_from, substring_for, .. } => {
                let mut args = vec![self.expr(expr)];
                // `SUBSTRING(x FOR n)` starts at 1; `substr(x)` alone is a one-argument call,
                // which neither warehouse has.
                match substring_from {
                    Some(f) => args.push(self.expr(f)),
                    None if substring_for.is_some() => args.push(Typed::new(Type::IntegerLiteral(1), false)),
                    None => {}
                }
                if let Some(f) = substring_for {
                    args.push(self.expr(f));
                }
                self.call_operator(e, "substring", args)
            }
            Expr::Trim { expr, trim_what, trim_where, .. } => {
                let mut args = vec![self.expr(expr)];
                if let Some(w) = trim_what {
                    args.push(self.expr(w));
                }
                let name = match trim_where {
                    Some(sqlparser::ast::TrimWhereField::Leading) => "ltrim",
                    Some(sqlparser::ast::TrimWhereField::Trailing) => "rtrim",
                    _ if self.dialect == crate::dialect::Dialect::Postgres => "btrim",
                    _ => "trim",
                };
                self.call_operator(e, name, args)
            }
            Expr::AtTimeZone { timestamp, time_zone } => {
                let args = vec![self.expr(time_zone), self.expr(timestamp)];
                self.call_operator(e, "timezone", args)
            }
            Expr::Collate { expr, .. } => self.expr(expr),
            Expr::Overlay { expr, overlay_what, overlay_from, overlay_for } => {
                let mut args = vec![self.expr(expr), self.expr(overlay_what), self.expr(overlay_from)];
                if let Some(f) = overlay_for {
                    args.push(self.expr(f));
                }
                self.call_operator(e, "overlay", args)
            }
            Expr::Array(arr) => {
                self.refuse_lambdas(arr.elem.iter(), "a list literal");
                let items: Vec<Typed> = arr.elem.iter().map(|x| self.expr(x)).collect();
                // Folded from the first element, not from NULL: PostgreSQL keeps a typmod all
                // elements share (`ARRAY[char2_col]` is `character(2)[]`), which an untyped
                // start would drop.
                let mut elem = items.first().map_or(Type::Null, |v| v.ty.clone());
                for (i, v) in items.iter().enumerate().skip(1) {
                    match self.dialect.common_type(&elem, &v.ty) {
                        Some(t) => elem = t,
                        None => {
                            let r = self.expr_range(&arr.elem[i]);
                            self.report(
                                Code::E203BranchTypeMismatch,
                                r,
                                format!("list elements mix {} and {}", self.show(&elem), self.show(&v.ty)),
                            )
                            .hint = Some("CAST the elements to one type".into());
                            elem = Type::Unknown;
                        }
                    }
                }
                derived(Type::List(Box::new(self.dialect.nested(&elem))), false, &items)
            }
            Expr::Dictionary(fields) => {
                self.check_struct_field_names(fields);
                let mut out_fields = Vec::new();
                let mut vals = Vec::new();
                for f in fields {
                    let v = self.expr(&f.value);
                    out_fields
                        .push(crate::types::StructField { name: f.key.value.clone(), ty: self.dialect.nested(&v.ty) });
                    vals.push(v);
                }
                derived(Type::Struct(out_fields), false, &vals)
            }
            Expr::Map(m) => {
                let mut kt = Type::Null;
                let mut vt = Type::Null;
                let mut vals = Vec::new();
                for entry in &m.entries {
                    let (k, v) = (self.expr(&entry.key), self.expr(&entry.value));
                    kt = self.dialect.common_type(&kt, &k.ty).unwrap_or(Type::Unknown);
                    vt = self.dialect.common_type(&vt, &v.ty).unwrap_or(Type::Unknown);
                    vals.push(k);
                    vals.push(v);
                }
                derived(Type::Map(Box::new(self.dialect.nested(&kt)), Box::new(self.dialect.nested(&vt))), false, &vals)
            }
            Expr::Struct { values, .. } => {
                let vals: Vec<Typed> = values.iter().map(|x| self.expr(x)).collect();
                derived(Type::Unknown, false, &vals)
            }
            Expr::Tuple(items) => {
                let vals: Vec<Typed> = items.iter().map(|x| self.expr(x)).collect();
                match self.dialect {
                    crate::dialect::Dialect::DuckDb => self.row_value(&vals),
                    _ => derived(Type::Unknown, true, &vals),
                }
            }
            Expr::CompoundFieldAccess { root, access_chain } => self.field_access(e, root, access_chain),
            Expr::Lambda(_) => Typed::unknown(),
            Expr::Wildcard(_) | Expr::QualifiedWildcard(..) => Typed::unknown(),
            Expr::Named { expr, .. } => self.expr(expr),
            // `agg(…) EXPORT_STATE` (DuckDB): the aggregate is checked; its state is typed by
            // `aggregate_state.rs`.
            // `*COLUMNS(…)` as an argument: as many arguments as columns, so the call is open.
            Expr::Prefixed { prefix, value } => {
                if prefix.value != "*" {
                    self.check_export_state(prefix, value);
                }
                let v = self.expr(value);
                let ty = match value.as_ref() {
                    Expr::Function(f) if prefix.value != "*" => self.export_state_type(f, &v.ty),
                    _ => Type::Unknown,
                };
                derived(ty, v.nullable, &[v])
            }
            _ => Typed::unknown(),
        }
    }

    /// A subquery in an expression: the enclosing scopes stay visible (correlation), but grouping
    /// and aliases of the outer SELECT do not apply inside.
    pub fn subquery(&mut self, q: &Query) -> super::walker::QueryResult {
        let grouping = self.grouping.take();
        let aliases = std::mem::take(&mut self.aliases);
        let outer_mark = self.outer_aliases.len();
        self.outer_aliases.extend(aliases.iter().map(|(n, v, e, _)| (n.clone(), v.clone(), has_subquery(e))));
        let in_agg = std::mem::replace(&mut self.in_aggregate, false);
        let in_spec = std::mem::replace(&mut self.in_window_spec, false);
        let in_window_args = std::mem::replace(&mut self.in_window_args, false);
        let clause = self.clause;
        let r = self.query(q);
        self.clause = clause;
        self.in_window_args = in_window_args;
        self.in_window_spec = in_spec;
        self.in_aggregate = in_agg;
        self.outer_aliases.truncate(outer_mark);
        self.aliases = aliases;
        self.grouping = grouping;
        r
    }

    #[recursive::recursive]
    fn binary(&mut self, e: &Expr, left: &Expr, op: &BinaryOperator, right: &Expr) -> Typed {
        let (l, r) = (self.expr(left), self.expr(right));
        if matches!(op, BinaryOperator::BitwiseXor) {
            // In DuckDB `^` is exponentiation (`xor()` is the bitwise function).
            return self.call_operator(e, "pow", vec![l, r]);
        }
        // Operators that are plain catalog functions in DuckDB (`&&`, `^@`, GLOB's `~~~`).
        match op {
            BinaryOperator::PGOverlap => return self.call_operator(e, "&&", vec![l, r]),
            BinaryOperator::PGStartsWith => return self.call_operator(e, "^@", vec![l, r]),
            BinaryOperator::Custom(name) => return self.call_operator(e, name, vec![l, r]),
            _ => {}
        }
        self.literal_cast(left, &r.ty);
        self.literal_cast(right, &l.ty);
        let ty = match self.dialect.binary_op(op, &l.ty, &r.ty) {
            Ok(_) if self.operator_folds_to_null(op, left, right, &l.ty, &r.ty) => Type::Null,
            Ok(t) => t,
            Err(err) => {
                let code =
                    if is_comparison(op) { Code::E201ComparisonTypeMismatch } else { Code::E202OperatorTypeMismatch };
                let range = self.expr_range(e);
                self.report(code, range, err.message).hint = Some(if is_comparison(op) {
                    format!("add an explicit CAST, e.g. CAST({right} AS {})", l.ty.materialize())
                } else {
                    "CAST the operands to types the operator accepts".to_string()
                });
                Type::Unknown
            }
        };
        let nullable = l.nullable || r.nullable;
        derived(ty, nullable, &[l, r])
    }

    /// DuckDB's arithmetic on DECIMALs and `||` fold a constant NULL operand into an untyped
    /// NULL (see [`super::null_constant::call_folds_to_null`]): `1.5 + NULL` is typed INTEGER.
    fn operator_folds_to_null(&self, op: &BinaryOperator, left: &Expr, right: &Expr, l: &Type, r: &Type) -> bool {
        let name = match op {
            BinaryOperator::Plus => "+",
            BinaryOperator::Minus => "-",
            BinaryOperator::Multiply => "*",
            BinaryOperator::Modulo => "%",
            BinaryOperator::StringConcat => "||",
            _ => return false,
        };
        let null = |e: &Expr, t: &Type| *t == Type::Null || super::null_constant::folds_to_null(e);
        if self.dialect != crate::dialect::Dialect::DuckDb || !(null(left, l) || null(right, r)) {
            return false;
        }
        let types = [l.clone(), r.clone()];
        self.dialect
            .resolve_function(name, &types)
            .is_ok_and(|call| super::null_constant::call_folds_to_null(name, &call.signature, [left, right], &types))
    }

    /// W207 when `operand` is a string literal DuckDB must cast to `other` (a number or a
    /// boolean) and the text is none: the binder accepts it and the query fails when it runs.
    fn literal_cast(&mut self, operand: &Expr, other: &Type) {
        let Expr::Value(v) = operand else { return };
        let sqlparser::ast::Value::SingleQuotedString(text) = &v.value else { return };
        let t = text.trim();
        let fails = if other.is_numeric() {
            // Also what DuckDB's string-to-number casts accept beyond Rust's: `_` separators,
            // hexadecimal and binary integers.
            let digits = t.replace('_', "");
            let radix = digits.trim_start_matches(['+', '-']).get(..2).map(str::to_ascii_lowercase);
            digits.parse::<f64>().is_err() && !matches!(radix.as_deref(), Some("0x" | "0b"))
        } else if *other == Type::Boolean {
            !matches!(
                t.to_ascii_lowercase().as_str(),
                "true" | "false" | "t" | "f" | "1" | "0" | "yes" | "no" | "y" | "n"
            )
        } else {
            false
        };
        if fails {
            let range = self.expr_range(operand);
            let ty = self.show(&self.dialect.materialize(other));
            self.report(
                Code::W207LiteralCastFails,
                range,
                format!("'{text}' is cast to {ty} here, which fails when the query runs: it is not a {ty} value"),
            )
            .hint = Some(format!("write a {ty} value, or CAST the other side to VARCHAR to compare text"));
        }
    }

    /// Reports E201 when two values cannot be compared.
    fn comparable(&mut self, at: &Expr, a: &Typed, b: &Typed) {
        let range = self.expr_range(at);
        self.comparable_at(range, a, b);
    }

    /// E201 at `range` when `a = b` does not bind; whether it was reported.
    fn comparable_at(&mut self, range: TextRange, a: &Typed, b: &Typed) -> bool {
        // DuckDB compares a row with a STRUCT of as many fields whatever their types.
        if let (Type::Struct(x), Type::Struct(y)) = (&a.ty, &b.ty) {
            use super::unnamed_struct::is_unnamed;
            if (is_unnamed(x) || is_unnamed(y)) && x.len() == y.len() {
                return false;
            }
        }
        let Err(err) = self.dialect.binary_op(&BinaryOperator::Eq, &a.ty, &b.ty) else { return false };
        self.report(Code::E201ComparisonTypeMismatch, range, err.message).hint =
            Some("add an explicit CAST so both sides have the same type".into());
        true
    }

    /// `x IN (SELECT y …)`, `x < ANY (SELECT y …)`: DuckDB casts both to their common type,
    /// which must exist (stricter than `=`, which binds between any two types).
    fn comparable_with_subquery(&mut self, at: &Expr, a: &Typed, b: &Typed) {
        if self.dialect != crate::dialect::Dialect::DuckDb {
            self.comparable(at, a, b);
            return;
        }
        // A one-value row compares as its value (`row(1) IN (SELECT i …)`).
        let single = |t: &Type| match t {
            Type::Struct(fields) if fields.len() == 1 && super::unnamed_struct::is_unnamed(fields) => {
                fields[0].ty.clone()
            }
            other => other.clone(),
        };
        let (x, y) = (single(&a.ty), single(&b.ty));
        if x.is_unknown() || y.is_unknown() || self.dialect.common_type(&x, &y).is_some() {
            return;
        }
        let range = self.expr_range(at);
        let (x, y) = (self.show(&a.ty), self.show(&b.ty));
        self.report(
            Code::E201ComparisonTypeMismatch,
            range,
            format!("cannot compare {x} with the subquery's {y} in IN / ANY / ALL"),
        )
        .hint = Some("add an explicit CAST so both sides have the same type".into());
    }

    /// `WHEN <condition>` of a simple CASE (where PostgreSQL reports an operand it cannot
    /// compare): the keyword through the condition, or the condition alone.
    fn when_range(&self, condition: &Expr) -> TextRange {
        let r = self.expr_range(condition);
        match self.spans.word_before(self.spans.skip_ws_back(r.start)) {
            Some((start, w)) if w.eq_ignore_ascii_case("when") => TextRange::new(start, r.end),
            _ => r,
        }
    }

    #[recursive::recursive]
    fn case(
        &mut self,
        e: &Expr,
        operand: Option<&Expr>,
        conditions: &[sqlparser::ast::CaseWhen],
        else_result: Option<&Expr>,
    ) -> Typed {
        let op = operand.map(|o| self.expr(o));
        let mut inputs = Vec::new();
        let mut result: Option<Type> = None;
        let mut nullable = else_result.is_none();
        let mut branches: Vec<&Expr> = conditions.iter().map(|c| &c.result).collect();
        if let Some(el) = else_result {
            // PostgreSQL resolves the ELSE branch first ("the most significant type").
            match self.dialect {
                crate::dialect::Dialect::Postgres => branches.insert(0, el),
                crate::dialect::Dialect::DuckDb | crate::dialect::Dialect::Spark => branches.push(el),
            }
        }
        for c in conditions {
            let cv = self.expr(&c.condition);
            if let Some(ov) = &op {
                let r = self.when_range(&c.condition);
                self.comparable_at(r, ov, &cv);
            }
            self.note_keys(&cv);
        }
        // PostgreSQL's implicit `ELSE NULL` takes part in the common type (and drops typmods).
        if else_result.is_none() && self.dialect == crate::dialect::Dialect::Postgres {
            result = Some(Type::Null);
        }
        for b in branches {
            let v = self.expr(b);
            nullable |= v.nullable;
            result = match &result {
                None => Some(v.ty.clone()),
                Some(t) => match self.dialect.common_type(t, &v.ty) {
                    Some(c) => Some(c),
                    None => {
                        let range = self.expr_range(b);
                        self.report(
                            Code::E203BranchTypeMismatch,
                            range,
                            format!(
                                "this CASE branch is {} but earlier branches are {}",
                                self.show(&v.ty),
                                self.show(t)
                            ),
                        )
                        .hint = Some("CAST the branches to one type".into());
                        Some(Type::Unknown)
                    }
                },
            };
            inputs.push(v);
        }
        let _ = e;
        derived(result.unwrap_or(Type::Unknown), nullable, &inputs)
    }

    /// `a[1]`, `m['k']`, `s['f']`, `(expr).field` access chains.
    #[recursive::recursive]
    fn field_access(&mut self, e: &Expr, root: &Expr, chain: &[AccessExpr]) -> Typed {
        // `tbl.a['i']`: the dotted names before the first subscript are one name to resolve
        // (a column of `tbl` in any scope before a field of the row `tbl`).
        let dotted = chain.iter().take_while(|a| matches!(a, AccessExpr::Dot(Expr::Identifier(_)))).count();
        let mut names = match root {
            Expr::Identifier(id) if dotted > 0 => vec![id.clone()],
            Expr::CompoundIdentifier(ids) if dotted > 0 => ids.clone(),
            _ => Vec::new(),
        };
        let (mut v, chain) = if names.is_empty() {
            (self.expr(root), chain)
        } else {
            names.extend(chain[..dotted].iter().filter_map(|a| match a {
                AccessExpr::Dot(Expr::Identifier(id)) => Some(id.clone()),
                _ => None,
            }));
            (self.expr(&Expr::CompoundIdentifier(names)), &chain[dotted..])
        };
        for access in chain {
            v = match access {
                AccessExpr::Subscript(Subscript::Index { index }) => {
                    let iv = self.expr(index);
                    let next = match (&v.ty, index) {
                        (Type::Struct(fields), _) => self.struct_key(e, fields, index, &iv.ty),
                        (Type::List(inner), _) | (Type::Array(inner, _), _) => (**inner).clone(),
                        (Type::Map(key, val), _) => {
                            self.check_map_key(index, key, &iv.ty);
                            (**val).clone()
                        }
                        (Type::Varchar | Type::StringLiteral, _) => Type::Varchar,
                        (Type::Json, _) => Type::Json,
                        // `variant_extract(v, key)`: another VARIANT.
                        (Type::Other(name), _) if name == "VARIANT" => v.ty.clone(),
                        (other, _) => {
                            self.refuse_subscript(e, other);
                            Type::Unknown
                        }
                    };
                    let mut out = Typed::new(next, true);
                    out.absorb(&v);
                    out.absorb(&iv);
                    out.derive(DerivationKind::Expression)
                }
                AccessExpr::Subscript(Subscript::Slice { lower_bound, upper_bound, stride }) => {
                    self.refuse_subscript(e, &v.ty);
                    for b in [lower_bound, upper_bound, stride].into_iter().flatten() {
                        let bound = self.expr(b);
                        if matches!(bound.ty, Type::List(_) | Type::Array(..)) {
                            let r = self.expr_range(b);
                            self.report(
                                Code::E205NoMatchingOverload,
                                r,
                                "a slice bound must be an integer".to_string(),
                            )
                            .hint = Some("slice with integer positions: l[1:3]".into());
                        }
                    }
                    let ty = v.ty.clone();
                    let mut out = Typed::new(ty, v.nullable);
                    out.absorb(&v);
                    out.derive(DerivationKind::Expression)
                }
                AccessExpr::Dot(Expr::Identifier(id)) => {
                    let next = self.member(e, &v.ty, &id.value);
                    let mut out = Typed::new(next, v.nullable);
                    out.absorb(&v);
                    out.derive(DerivationKind::Expression)
                }
                // DuckDB's method call on any value: `[1, 2].apply(x -> x + 1)` is
                // `apply([1, 2], x -> x + 1)`.
                AccessExpr::Dot(call @ Expr::Function(f)) if self.dialect == crate::dialect::Dialect::DuckDb => {
                    self.method_value = Some(v);
                    let out = self.function(call, f);
                    self.method_value = None;
                    out
                }
                AccessExpr::Dot(_) => Typed::unknown(),
            };
        }
        v
    }

    /// `m[k]`: DuckDB binds `map_extract_value(MAP(K, V), K)`, so `k` must share a type with
    /// the keys.
    fn check_map_key(&mut self, index: &Expr, key: &Type, given: &Type) {
        let known = !key.is_unknown() && !given.is_unknown() && *given != Type::Null;
        if !known || self.dialect != crate::dialect::Dialect::DuckDb || self.dialect.common_type(key, given).is_some() {
            return;
        }
        let range = self.expr_range(index);
        let (k, g) = (self.show(key), self.show(given));
        self.report(Code::E205NoMatchingOverload, range, format!("the map's keys are {k}; this key is {g}")).hint =
            Some(format!("look the value up with a {k} key"));
    }

    /// `x[i]` / `x[a:b]` of a number, a boolean or a date/time value: DuckDB has no
    /// `array_extract` / `array_slice` of it.
    fn refuse_subscript(&mut self, at: &Expr, ty: &Type) {
        let scalar = ty.is_numeric() || ty.is_temporal() || matches!(ty, Type::Boolean | Type::Uuid);
        if scalar && self.dialect == crate::dialect::Dialect::DuckDb {
            let range = self.expr_range(at);
            let shown = self.show(ty);
            self.report(Code::E205NoMatchingOverload, range, format!("a {shown} value cannot be subscripted")).hint =
                Some("subscripts read lists, arrays, maps, structs and strings".into());
        }
    }

    /// `value.field`: a struct field, a map key, a JSON path; an error on other known types.
    fn member(&mut self, at: &Expr, ty: &Type, field: &str) -> Type {
        match ty {
            Type::Struct(fields) => self.struct_field(at, fields, field),
            Type::Map(_, v) => (**v).clone(),
            Type::Json => Type::Json,
            Type::Other(name) if name == "VARIANT" => ty.clone(),
            // DuckDB reads a UNION member as `union_extract(u, 'member')`.
            Type::Union(members) => match members.iter().find(|m| m.name.eq_ignore_ascii_case(field)) {
                Some(m) => m.ty.clone(),
                None => self.missing_field(at, "union", "member", members, field),
            },
            Type::Unknown | Type::Other(_) => Type::Unknown,
            other => {
                let range = self.expr_range(at);
                self.report(
                    Code::E105UnknownField,
                    range,
                    format!("cannot read field `{field}`: the value is {other}, not a STRUCT"),
                )
                .hint = Some("only STRUCT values have fields; check the path".into());
                Type::Unknown
            }
        }
    }

    pub fn struct_field(&mut self, at: &Expr, fields: &[crate::types::StructField], name: &str) -> Type {
        if self.refuse_name_on_unnamed(at, fields) {
            return Type::Unknown;
        }
        match fields.iter().find(|f| f.name.eq_ignore_ascii_case(name)) {
            Some(f) => f.ty.clone(),
            None => self.missing_field(at, "struct", "field", fields, name),
        }
    }

    /// E105 for `value.name` when the STRUCT / UNION (`what`) has no such field / member
    /// (`part`); the hint offers the nearest name or lists them all.
    fn missing_field(
        &mut self,
        at: &Expr,
        what: &str,
        part: &str,
        fields: &[crate::types::StructField],
        name: &str,
    ) -> Type {
        let sugg = did_you_mean(name, fields.iter().map(|f| f.name.as_str()));
        let range = self.expr_range(at);
        let d = self.report(Code::E105UnknownField, range, format!("the {what} has no {part} `{name}`"));
        d.hint = Some(match sugg.first() {
            Some(s) => format!("did you mean `{s}`?"),
            None => {
                format!("its {part}s are: {}", fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", "))
            }
        });
        Type::Unknown
    }

    /// DuckDB's binder reads a select alias before an input column of the same name in ORDER
    /// BY, and in HAVING when that input column is not grouped (`SELECT count(i) AS i … HAVING
    /// i = 5`); not inside an aggregate, whose arguments read input columns.
    fn alias_before_column(&mut self, parts: &[Ident]) -> Option<Typed> {
        if self.dialect != crate::dialect::Dialect::DuckDb || self.in_aggregate {
            return None;
        }
        let [id] = parts else { return None };
        let (_, v, _, item) = self.aliases.iter().rev().find(|(n, _, _, _)| n.eq_ignore_ascii_case(&id.value))?.clone();
        let preferred = match self.clause {
            super::walker::Clause::OrderBy => true,
            super::walker::Clause::Having => match lookup(&self.scopes, None, &id.value) {
                Lookup::Found { depth: 0, relation, column } => {
                    self.grouping.as_ref().is_some_and(|g| !g.all && !g.columns.contains(&(relation, column)))
                }
                _ => false,
            },
            _ => false,
        };
        if !preferred {
            return None;
        }
        self.record_column(parts, 0, item.map(ColumnDef::Item).unwrap_or_default(), None, &v);
        Some(v)
    }

    /// DuckDB cannot decorrelate a window function that reads an enclosing query's column.
    fn refuse_correlated_window_column(&mut self, e: &Expr) {
        if self.dialect != crate::dialect::Dialect::DuckDb {
            return;
        }
        let range = self.expr_range(e);
        self.report(
            Code::E302MisplacedAggregate,
            range,
            "a window function in a subquery cannot read a column of the enclosing query",
        )
        .hint = Some("join the enclosing query's table in the subquery, or compute the window outside".into());
    }

    /// The range from the first to the last of `parts` (a qualifier, or a reference up to its
    /// column).
    fn parts_range(&self, parts: &[Ident]) -> Option<TextRange> {
        let (first, last) = (parts.first()?, parts.last()?);
        let (a, b) = (self.spans.range(first.span)?, self.spans.range(last.span)?);
        Some(TextRange::new(a.start, b.end))
    }

    /// A column reference, possibly qualified (`t.c`, `s.t.c`) or a struct path (`c.f.g`).
    fn column_ref(&mut self, e: &Expr, parts: &[Ident]) -> Typed {
        if let Some(v) = self.alias_before_column(parts) {
            return v;
        }
        let names: Vec<&str> = parts.iter().map(|p| p.value.as_str()).collect();
        // Try the longest table qualifier first: s.t.c, then t.c, then c with struct fields.
        let mut attempts: Vec<(Option<String>, usize)> = Vec::new();
        if names.len() >= 3 && has_qualifier(&self.scopes, &names[..2].join(".")) {
            attempts.push((Some(names[..2].join(".")), 2));
        }
        if names.len() >= 2 && has_qualifier(&self.scopes, names[0]) {
            attempts.push((Some(names[0].to_string()), 1));
        }
        // When the first part names a table in scope, reading it as a struct column of an open
        // relation (an unknown or uncached table) would silence a real typo on a known alias.
        let alias_in_scope = !attempts.is_empty();
        attempts.push((None, 0));
        for (qualifier, skip) in attempts {
            let col = names[skip];
            match lookup(&self.scopes, qualifier.as_deref(), col) {
                Lookup::Open(_) if qualifier.is_none() && alias_in_scope => {}
                Lookup::Found { depth, relation, column } => {
                    let scope_i = self.scopes.len() - 1 - depth;
                    let rel = &self.scopes[scope_i].relations[relation];
                    // PostgreSQL matches names exactly after folding unquoted ones to lower case.
                    let exact = self.ident_name(&parts[skip]);
                    if self.dialect == crate::dialect::Dialect::Postgres && rel.columns[column].name != exact {
                        let actual = rel.columns[column].name.clone();
                        // The reference up to the column, as for an unknown column.
                        let range = self.parts_range(&parts[..=skip]).unwrap_or_else(|| self.expr_range(e));
                        self.report(Code::E102UnknownColumn, range, format!("column \"{exact}\" does not exist"))
                            .hint = Some(format!(
                            "PostgreSQL folds unquoted names to lower case and matches quoted ones exactly: write \"{}\"",
                            actual.replace('"', "\"\"")
                        ));
                        return Typed::unknown();
                    }
                    // `left.key` of a USING join is the left side's own key, not the merged one.
                    let mut v = match (&qualifier, &rel.columns[column].own) {
                        (Some(_), Some(own)) => (**own).clone(),
                        _ => rel.columns[column].value.clone(),
                    };
                    let (def, binding) = (rel.columns[column].def.clone(), rel.binding);
                    self.record_column(parts, skip, def, binding, &v);
                    if depth > 0 {
                        self.note_scope_reference(self.scopes.len() - 1 - depth);
                        if self.in_window_spec || self.in_window_args {
                            self.refuse_correlated_window_column(e);
                        }
                    }
                    if depth == 0 {
                        self.check_grouped(e, relation, column, col);
                    }
                    for field in &names[skip + 1..] {
                        let next = self.member(e, &v.ty, field);
                        v = Typed { ty: next, nullable: v.nullable, lineage: v.lineage }
                            .derive(DerivationKind::Expression);
                    }
                    return v;
                }
                Lookup::Open(origin) => {
                    let mut v = Typed::unknown();
                    let def = match &origin {
                        Some(LineageTable::Model(m)) => ColumnDef::Model { model: m.clone(), column: col.to_string() },
                        Some(LineageTable::Source(k)) => ColumnDef::Source { key: k.clone(), column: col.to_string() },
                        None => ColumnDef::Unknown,
                    };
                    self.record_column(parts, skip, def, None, &v);
                    if let Some(table) = origin {
                        v.lineage.push(LineageInput {
                            column: ColumnRef { table, column: col.to_string() },
                            kind: DerivationKind::Copy,
                        });
                    }
                    return v;
                }
                Lookup::Ambiguous(tables) => {
                    let range = self.expr_range(e);
                    let d = self.report(
                        Code::E103AmbiguousColumn,
                        range,
                        format!("column `{col}` is ambiguous: it exists in {}", tables.join(" and ")),
                    );
                    d.hint = Some(format!("qualify it, e.g. `{}.{col}`", tables.first().cloned().unwrap_or_default()));
                    d.fixes = tables
                        .iter()
                        .map(|t| Fix {
                            label: format!("Qualify as `{t}.{col}`"),
                            range,
                            replacement: format!("{t}.{col}"),
                        })
                        .collect();
                    return Typed::unknown();
                }
                Lookup::AmbiguousTable(names) => {
                    let range = self.parts_range(&parts[..skip]).unwrap_or_else(|| self.expr_range(e));
                    self.ambiguous_table(qualifier.as_deref().unwrap_or_default(), range, &names);
                    return Typed::unknown();
                }
                Lookup::NotFound if qualifier.is_some() => {}
                Lookup::NotFound => {
                    // PostgreSQL sees select-list aliases only in GROUP BY and ORDER BY.
                    let aliases_visible = self.dialect == crate::dialect::Dialect::DuckDb
                        || matches!(self.clause, super::walker::Clause::GroupBy | super::walker::Clause::OrderBy);
                    if names.len() == 1 {
                        if let Some((_, v, _, item)) = self
                            .aliases
                            .iter()
                            .rev()
                            .find(|(n, _, _, _)| aliases_visible && n.eq_ignore_ascii_case(col))
                            .cloned()
                        {
                            self.record_column(parts, 0, item.map(ColumnDef::Item).unwrap_or_default(), None, &v);
                            return v;
                        }
                        if let Some(v) = self.keyword_value(col) {
                            return v;
                        }
                        // DuckDB: a subquery reads an enclosing SELECT's alias too.
                        if self.dialect == crate::dialect::Dialect::DuckDb {
                            if let Some((_, v, subquery)) =
                                self.outer_aliases.iter().rev().find(|(n, _, _)| n.eq_ignore_ascii_case(col)).cloned()
                            {
                                if subquery {
                                    let range = self.expr_range(e);
                                    self.report(
                                        Code::E102UnknownColumn,
                                        range,
                                        format!("`{col}` is the alias of an expression with a subquery, which DuckDB cannot read from another subquery"),
                                    )
                                    .hint = Some("compute it in a CTE and join it, or repeat the expression".into());
                                }
                                return v;
                            }
                        }
                    }
                }
            }
        }
        // `alias.x` names the select-list alias `x` in DuckDB (unless a table is called `alias`).
        if let [qualifier, name] = names.as_slice() {
            if qualifier.eq_ignore_ascii_case("alias") {
                if let Some((_, v, def, item)) =
                    self.aliases.iter().rev().find(|(n, _, _, _)| n.eq_ignore_ascii_case(name)).cloned()
                {
                    if matches!(def, Expr::Subquery(_)) {
                        let r = self.expr_range(e);
                        self.report(
                            Code::E102UnknownColumn,
                            r,
                            format!("`{name}` is a subquery; DuckDB cannot reference it through `alias.`"),
                        );
                    }
                    self.record_column(parts, 1, item.map(ColumnDef::Item).unwrap_or_default(), None, &v);
                    return v;
                }
            }
        }
        // A table's name used as a value is its row as a STRUCT (`SELECT t FROM t`, `SELECT
        // s.t FROM s.t`, or an enclosing query's table: `FROM t, (SELECT t)`).
        if names.len() <= 3 {
            let joined = names.join(".");
            let rel = self.scopes.iter().rev().find_map(|s| s.relations.iter().find(|r| r.matches_qualifier(&joined)));
            if let Some(rel) = rel {
                if rel.open {
                    return Typed::unknown();
                }
                let fields = rel
                    .columns
                    .iter()
                    .filter(|c| !c.hidden)
                    .map(|c| crate::types::StructField { name: c.name.clone(), ty: c.value.ty.clone() })
                    .collect();
                return Typed::new(Type::Struct(fields), false);
            }
        }
        // DuckDB's tables have a virtual `rowid` (BIGINT) that no schema lists.
        if self.dialect == crate::dialect::Dialect::DuckDb
            && names.len() <= 2
            && col_is_rowid(names.last().copied())
            && self.scopes.last().is_some_and(|s| !s.relations.is_empty())
        {
            return Typed::new(Type::BigInt, false);
        }
        // Nothing matched: report against the most specific reading.
        let range = self.expr_range(e);
        if names.len() >= 2
            && !has_qualifier(&self.scopes, names[0])
            && !matches!(lookup(&self.scopes, None, names[0]), Lookup::Found { .. })
        {
            let candidates: Vec<String> =
                self.scopes.iter().flat_map(|s| s.relations.iter().filter_map(|r| r.alias.clone())).collect();
            let qrange = self.spans.range(parts[0].span).unwrap_or(range);
            self.unknown_qualifier(names[0], qrange, &candidates);
            return Typed::unknown();
        }
        let (col, cands): (&str, Vec<String>) = if names.len() >= 2 && has_qualifier(&self.scopes, names[0]) {
            let c: Vec<String> = self
                .scopes
                .iter()
                .flat_map(|s| s.relations.iter())
                .filter(|r| r.matches_qualifier(names[0]))
                .flat_map(|r| r.columns.iter().map(|c| c.name.clone()))
                .collect();
            (names[1], c)
        } else {
            let mut c: Vec<String> = self
                .scopes
                .iter()
                .flat_map(|s| s.relations.iter().flat_map(|r| r.columns.iter().map(|c| c.name.clone())))
                .collect();
            c.extend(self.aliases.iter().map(|(n, _, _, _)| n.clone()));
            (names[0], c)
        };
        let sugg = did_you_mean(col, cands.iter().map(String::as_str));
        let place = if self.scopes.iter().all(|s| s.relations.is_empty()) {
            "(the query has no FROM clause)"
        } else {
            "in the tables of this query"
        };
        // The diagnostic covers the whole reference up to the column (`c.emial`, where
        // PostgreSQL points); its fixes replace just the column name.
        let col_part = parts.iter().position(|p| p.value == col);
        let col_range = col_part.and_then(|i| self.spans.range(parts[i].span)).unwrap_or(range);
        let ref_range = match (col_part, parts.first().and_then(|p| self.spans.range(p.span))) {
            (Some(_), Some(first)) if first.start <= col_range.start => TextRange::new(first.start, col_range.end),
            _ => col_range,
        };
        let d = self.unknown_column_diag(col, ref_range, &sugg, place);
        for fix in &mut d.fixes {
            fix.range = col_range;
        }
        Typed::unknown()
    }

    /// Records the column reference `parts[skip]` (qualified by `parts[..skip]`) for the IDE.
    fn record_column(&mut self, parts: &[Ident], skip: usize, def: ColumnDef, binding: Option<usize>, v: &Typed) {
        let Some(ident) = parts.get(skip) else { return };
        let range = self.spans.range(ident.span).unwrap_or_default();
        let qualifier = match (parts.first(), skip.checked_sub(1).and_then(|i| parts.get(i))) {
            (Some(first), Some(last)) if skip > 0 => {
                let start = self.spans.range(first.span).unwrap_or_default().start;
                let end = self.spans.range(last.span).unwrap_or_default().end;
                Some((TextRange::new(start, end), binding))
            }
            _ => None,
        };
        self.record_use(range, &ident.value, qualifier, def, v);
    }

    /// Special names DuckDB accepts without parentheses (`current_date`, …).
    pub(super) fn keyword_value(&self, name: &str) -> Option<Typed> {
        let lower = name.to_lowercase();
        if self.dialect == crate::dialect::Dialect::Postgres {
            // PostgreSQL's SQL value functions; the user and catalog names are of type `name`.
            let ty = match lower.as_str() {
                "current_date" => Type::Date,
                "current_time" => Type::TimeTz,
                "current_timestamp" => Type::TimestampTz,
                "localtimestamp" => Type::Timestamp,
                "localtime" => Type::Time,
                "current_user" | "current_role" | "session_user" | "user" | "current_catalog" | "current_schema" => {
                    self.dialect.parse_type("name")
                }
                _ => return None,
            };
            return Some(Typed::new(ty, false));
        }
        let ty = match lower.as_str() {
            "current_date" => Type::Date,
            "current_time" => Type::TimeTz,
            "current_timestamp" | "now" => Type::TimestampTz,
            "localtimestamp" => Type::Timestamp,
            "localtime" => Type::Time,
            "current_user" | "current_role" | "session_user" | "user" | "current_catalog" | "current_schema" => {
                Type::Varchar
            }
            _ => return None,
        };
        Some(Typed::new(ty, false))
    }

    fn check_grouped(&mut self, e: &Expr, relation: usize, column: usize, name: &str) {
        let Some(g) = &self.grouping else { return };
        if self.in_aggregate || g.all || g.columns.contains(&(relation, column)) || g.exprs.contains(e) {
            return;
        }
        let insert_at = g.insert_at;
        let maybe_key = self.grouped_columns_could_be_key(relation);
        let range = self.expr_range(e);
        let text = self.spans.text(range).to_string();
        let d = self.report(
            Code::E301NotGrouped,
            range,
            format!("column `{name}` must be in GROUP BY or inside an aggregate function"),
        );
        d.hint = Some(format!("add `{text}` to GROUP BY, or wrap it in an aggregate such as any_value({text})"));
        if let Some(table) = maybe_key {
            d.severity = crate::diagnostics::Severity::Warning;
            d.message = format!(
                "column `{name}` is not in GROUP BY: PostgreSQL accepts it only if the grouped columns of \
                 `{table}` are its primary key, which the schema cache does not record"
            );
        }
        if let Some(at) = insert_at {
            d.fixes.push(Fix {
                label: format!("Add `{text}` to GROUP BY"),
                range: TextRange::empty(at),
                replacement: format!(", {text}"),
            });
        }
    }

    /// On PostgreSQL, a table's other columns may be selected when GROUP BY holds its primary
    /// key. The schema cache has no constraints, so an ungrouped column of a cached source is
    /// only certain to fail when the grouped columns of that source cannot be its key: none of
    /// them grouped, or one of them nullable (key columns are NOT NULL). Models, CTEs and
    /// subqueries have no primary key. Returns the source's name when they could be its key.
    fn grouped_columns_could_be_key(&self, relation: usize) -> Option<String> {
        if self.dialect != crate::dialect::Dialect::Postgres {
            return None;
        }
        let g = self.grouping.as_ref()?;
        let rel = self.scopes.last()?.relations.get(relation)?;
        let Some(LineageTable::Source(key)) = &rel.origin else { return None };
        // NOT NULL as cached (an outer join makes the relation's own columns nullable).
        let schema = crate::hir::lookup_source(self.db, key)?;
        let not_null = |name: &str| schema.columns.iter().any(|(n, _, nullable)| n == name && !nullable);
        let mut grouped = g.columns.iter().filter(|(r, _)| *r == relation).peekable();
        grouped.peek()?;
        grouped.all(|(_, c)| rel.columns.get(*c).is_some_and(|c| not_null(&c.name))).then(|| key.clone())
    }

    /// Is there an aggregate call in `e`, outside subqueries and window functions? (An own walk,
    /// not sqlparser's visitor, so arbitrarily deep expressions cannot exhaust the stack.)
    #[recursive::recursive]
    pub fn has_aggregate(&self, e: &Expr) -> bool {
        let any = |xs: &[&Expr]| xs.iter().any(|x| self.has_aggregate(x));
        match e {
            Expr::Function(f) => {
                let name =
                    f.name.0.last().and_then(|p| p.as_ident()).map(|i| i.value.to_lowercase()).unwrap_or_default();
                if f.over.is_none() && (self.dialect.is_aggregate(&name) || name == "count") {
                    return !self.is_outer_aggregate(f);
                }
                // An aggregate in a window's PARTITION BY / ORDER BY groups the query too.
                if let Some(sqlparser::ast::WindowType::WindowSpec(spec)) = &f.over {
                    if spec.partition_by.iter().any(|x| self.has_aggregate(x))
                        || spec.order_by.iter().any(|o| self.has_aggregate(&o.expr))
                    {
                        return true;
                    }
                }
                match &f.args {
                    sqlparser::ast::FunctionArguments::List(list) => list.args.iter().any(|a| match a {
                        sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(x))
                        | sqlparser::ast::FunctionArg::Named {
                            arg: sqlparser::ast::FunctionArgExpr::Expr(x), ..
                        } => self.has_aggregate(x),
                        _ => false,
                    }),
                    _ => false,
                }
            }
            Expr::BinaryOp { left, right, .. } => any(&[left, right]),
            Expr::UnaryOp { expr, .. }
            | Expr::Nested(expr)
            | Expr::Cast { expr, .. }
            | Expr::IsNull(expr)
            | Expr::IsNotNull(expr)
            | Expr::IsTrue(expr)
            | Expr::IsFalse(expr)
            | Expr::IsNotTrue(expr)
            | Expr::IsNotFalse(expr)
            | Expr::Extract { expr, .. }
            | Expr::Ceil { expr, .. }
            | Expr::Floor { expr, .. }
            | Expr::Collate { expr, .. } => self.has_aggregate(expr),
            Expr::Between { expr, low, high, .. } => any(&[expr, low, high]),
            Expr::Like { expr, pattern, .. } | Expr::ILike { expr, pattern, .. } => any(&[expr, pattern]),
            Expr::IsDistinctFrom(a, b) | Expr::IsNotDistinctFrom(a, b) => any(&[a, b]),
            Expr::In { expr, target: InTarget::List(list), .. } => {
                self.has_aggregate(expr) || list.iter().any(|x| self.has_aggregate(x))
            }
            Expr::In { expr, .. } => self.has_aggregate(expr),
            Expr::Case { operand, conditions, else_result, .. } => {
                operand.as_deref().is_some_and(|o| self.has_aggregate(o))
                    || conditions.iter().any(|c| self.has_aggregate(&c.condition) || self.has_aggregate(&c.result))
                    || else_result.as_deref().is_some_and(|x| self.has_aggregate(x))
            }
            Expr::CompoundFieldAccess { root, .. } => self.has_aggregate(root),
            Expr::Tuple(items) => items.iter().any(|x| self.has_aggregate(x)),
            Expr::Prefixed { value, .. } => self.has_aggregate(value),
            _ => false,
        }
    }
}

impl Infer<'_> {
    /// `ty` with each name of a type the warehouse's owner created (`Other("MOOD")`) replaced by
    /// what the schema cache says it is.
    pub(super) fn with_user_types(&self, ty: Type) -> Type {
        let types = crate::hir::user_types(self.db);
        if types.is_empty() {
            return ty;
        }
        self.user_types_in(types, ty)
    }

    fn user_types_in(&self, types: &std::collections::BTreeMap<String, String>, ty: Type) -> Type {
        match ty {
            Type::Other(name) => match types.get(&name.replace('"', "").to_lowercase()) {
                Some(text) => self.dialect.parse_type(text),
                None => Type::Other(name),
            },
            Type::List(inner) => Type::List(Box::new(self.user_types_in(types, *inner))),
            Type::Array(inner, n) => Type::Array(Box::new(self.user_types_in(types, *inner)), n),
            other => other,
        }
    }
}

/// A cast target with every user-defined type name (one DuckDB does not have built in) made
/// Unknown: `'x'::str_alias`, `NULL::main.u[]`.
fn forget_user_types(ty: Type) -> Type {
    match ty {
        Type::Other(name) => {
            let plain = name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '"');
            let last = name.rsplit('.').next().unwrap_or_default().trim_matches('"');
            if plain && !crate::functions::is_builtin_type(last) {
                Type::Unknown
            } else {
                Type::Other(name)
            }
        }
        Type::List(inner) => Type::List(Box::new(forget_user_types(*inner))),
        Type::Array(inner, n) => Type::Array(Box::new(forget_user_types(*inner)), n),
        other => other,
    }
}

/// How many values a row on the left of `< ANY (SELECT …)` has: `(a, b)` or `ROW(a, b)`.
fn row_width(e: &Expr) -> Option<usize> {
    match e {
        Expr::Tuple(items) => Some(items.len()),
        Expr::Function(f) if f.name.0.len() == 1 && f.name.to_string().eq_ignore_ascii_case("row") => match &f.args {
            sqlparser::ast::FunctionArguments::List(list) => Some(list.args.len()),
            _ => None,
        },
        _ => None,
    }
}

fn is_comparison(op: &BinaryOperator) -> bool {
    matches!(
        op,
        BinaryOperator::Eq
            | BinaryOperator::NotEq
            | BinaryOperator::Lt
            | BinaryOperator::LtEq
            | BinaryOperator::Gt
            | BinaryOperator::GtEq
            | BinaryOperator::Spaceship
    )
}

/// A value computed from `inputs` (lineage: expression).
pub fn derived(ty: Type, nullable: bool, inputs: &[Typed]) -> Typed {
    let mut out = Typed::new(ty, nullable);
    for i in inputs {
        out.absorb(i);
    }
    out.derive(DerivationKind::Expression)
}

fn literal(dialect: crate::dialect::Dialect, v: &Value) -> Typed {
    match v {
        // Spark's `1L`: sqlparser keeps the long suffix as a flag.
        Value::Number(_, true) if dialect == crate::dialect::Dialect::Spark => Typed::new(Type::BigInt, false),
        Value::Number(n, _) => Typed::new(dialect.literal_number(n), false),
        Value::SingleQuotedString(_)
        | Value::DoubleQuotedString(_)
        | Value::DollarQuotedString(_)
        | Value::TripleSingleQuotedString(_)
        | Value::TripleDoubleQuotedString(_)
        | Value::EscapedStringLiteral(_)
        | Value::UnicodeStringLiteral(_)
        | Value::NationalStringLiteral(_)
        | Value::SingleQuotedRawStringLiteral(_)
        | Value::DoubleQuotedRawStringLiteral(_) => Typed::new(Type::StringLiteral, false),
        Value::HexStringLiteral(_)
        | Value::SingleQuotedByteStringLiteral(_)
        | Value::DoubleQuotedByteStringLiteral(_)
        | Value::TripleSingleQuotedByteStringLiteral(_)
        | Value::TripleDoubleQuotedByteStringLiteral(_) => Typed::new(Type::Blob, false),
        Value::Boolean(_) => Typed::new(Type::Boolean, false),
        Value::Null => Typed::new(Type::Null, true),
        _ => Typed::unknown(),
    }
}

fn col_is_rowid(name: Option<&str>) -> bool {
    name.is_some_and(|n| n.eq_ignore_ascii_case("rowid"))
}

/// Whether an expression contains a subquery.
fn has_subquery(e: &Expr) -> bool {
    use sqlparser::ast::Visit;
    struct Finder;
    impl sqlparser::ast::Visitor for Finder {
        type Break = ();
        fn pre_visit_query(&mut self, _: &sqlparser::ast::Query) -> std::ops::ControlFlow<()> {
            std::ops::ControlFlow::Break(())
        }
    }
    e.visit(&mut Finder).is_break()
}

/// The value of `-digits` when the digits alone do not fit a HUGEINT but the negative number
/// does (`-2^127`).
fn negative_literal(digits: &Expr) -> Option<i128> {
    let Expr::Value(v) = digits else { return None };
    let sqlparser::ast::Value::Number(n, _) = &v.value else { return None };
    if n.parse::<i128>().is_ok() {
        return None;
    }
    format!("-{n}").parse::<i128>().ok()
}
