//! Function calls: aggregates, windows and scalar functions, typed through DuckDB's catalog.

use sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentClause, FunctionArguments, WindowType,
};

use super::expr::derived;
use super::lambda::{lambda_use, LambdaUse};
use super::resolution::FunctionUse;
use super::scope::{lookup, Lookup, Typed};
use super::walker::{Clause, Infer};
use crate::diagnostics::{Code, TextRange};
use crate::functions::{CallError, FunctionKind};
use crate::hir::DerivationKind;
use crate::types::Type;

impl Infer<'_> {
    #[recursive::recursive]
    pub fn function(&mut self, e: &Expr, f: &Function) -> Typed {
        // Taken first, so that no call among the arguments can take it.
        let method_value = self.method_value.take();
        let name = f.name.0.last().and_then(|p| p.as_ident()).map(|i| i.value.to_lowercase()).unwrap_or_default();
        if let Some(range) = f.name.0.last().and_then(|p| p.as_ident()).and_then(|i| self.spans.range(i.span)) {
            self.res.functions.push(FunctionUse { range, name: name.clone() });
        }
        // Spark's `current_date`-style keywords are catalog functions of no arguments.
        if matches!(f.args, FunctionArguments::None) && self.dialect != crate::dialect::Dialect::Spark {
            if let Some(v) = self.keyword_value(&name) {
                return v;
            }
        }
        self.check_percentile_fraction(&name, f);
        self.check_empty_name_list(&name, f);
        // `f(*COLUMNS(…))`: the arguments are the columns it selects, which the analysis does
        // not list yet — the call is open (its arguments are still resolved).
        if let FunctionArguments::List(list) = &f.args {
            let unpacked = |a: &FunctionArg| matches!(a, FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Prefixed { prefix, .. })) if prefix.value == "*");
            if list.args.iter().any(unpacked) {
                let args: Vec<Typed> = list.args.iter().map(|a| self.function_arg(a)).collect();
                return derived(Type::Unknown, true, &args);
            }
        }
        if name == "struct_pack" {
            return self.struct_pack(f);
        }
        // A PostgreSQL function in a schema other than pg_catalog is user-defined: the catalog
        // cannot know it, so it is typed from the database's functions where the schema cache
        // has it (by name), else Unknown (its arguments are still checked).
        if self.dialect == crate::dialect::Dialect::Postgres && f.name.0.len() > 1 {
            let schema = f.name.0.first().and_then(|p| p.as_ident()).map(|i| i.value.to_lowercase());
            if schema.as_deref() != Some("pg_catalog") {
                let args: Vec<Typed> = match &f.args {
                    FunctionArguments::List(list) => list.args.iter().map(|a| self.function_arg(a)).collect(),
                    _ => Vec::new(),
                };
                let ty = match crate::hir::user_function(self.db, &name) {
                    Some(function) => self.user_function_result(e, &name, function, &args),
                    None => Type::Unknown,
                };
                return derived(ty, true, &args);
            }
        }
        if self.dialect == crate::dialect::Dialect::Spark {
            if let Some(v) = self.spark_higher_order(&name, f) {
                return v;
            }
        }
        let is_window = f.over.is_some();
        let kind = self.dialect.function_kind(&name);
        // Ordered-set aggregates (`percentile_cont(0.5) WITHIN GROUP (ORDER BY x)`) are
        // `quantile_cont(x, 0.5)` in DuckDB's binder.
        let postgres = self.dialect == crate::dialect::Dialect::Postgres;
        let ordered_set = !f.within_group.is_empty()
            && (postgres || matches!(name.as_str(), "percentile_cont" | "percentile_disc" | "mode"));
        let is_aggregate = !is_window && (kind == Some(FunctionKind::Aggregate) || name == "count" || ordered_set);
        // An aggregate over outer columns only belongs to the outer query (DuckDB, PostgreSQL):
        // where it stands in this one does not matter, nor does this one's grouping.
        let outer_scopes = if is_aggregate { self.outer_aggregate_scopes(f) } else { None };
        let outer = outer_scopes.is_some();
        if let Some(scopes) = &outer_scopes {
            self.refuse_lateral_aggregate(e, scopes);
        }
        if (is_aggregate || is_window) && !outer {
            self.check_placement(e, &name, is_window);
        }
        if !is_window && kind == Some(FunctionKind::Window) && self.dialect == crate::dialect::Dialect::Postgres {
            let r = self.expr_range(e);
            self.report(Code::E302MisplacedAggregate, r, format!("window function {name} requires an OVER clause"))
                .hint = Some(format!("add OVER (…), e.g. {name}() OVER (ORDER BY …)"));
        }
        // Arguments of an aggregate may use any column; a nested aggregate is an error.
        let was_in_agg = self.in_aggregate;
        if is_aggregate {
            if was_in_agg && !outer {
                let r = self.expr_range(e);
                self.report(
                    Code::E302MisplacedAggregate,
                    r,
                    format!("aggregate `{name}` cannot be nested inside another aggregate"),
                )
                .hint = Some("compute the inner aggregate in a subquery or CTE first".into());
            }
            self.in_aggregate = true;
        }
        let mut star = false;
        let was_in_window_args = self.in_window_args;
        if is_window && was_in_window_args && self.dialect != crate::dialect::Dialect::Spark {
            let r = self.expr_range(e);
            self.report(
                Code::E302MisplacedAggregate,
                r,
                format!("window function `{name}` cannot be nested inside another window function's arguments"),
            )
            .hint = Some("compute the inner window function in a subquery first".into());
        }
        self.in_window_args |= is_window;
        // `x.lower()` is `lower(x)` when `x` is a value rather than a schema.
        let mut args: Vec<Typed> = method_value.or_else(|| self.method_receiver(f)).into_iter().collect();
        let receiver = args.len();
        let lambda_use = lambda_use(&name);
        if let (Some(how), crate::dialect::Dialect::DuckDb) = (lambda_use, self.dialect) {
            self.check_lambda_call(e, &name, how, f, args.len());
        }
        // A built-in function that takes no lambda (a user's macro may take one).
        if lambda_use.is_none() && matches!(kind, Some(k) if k != FunctionKind::Macro) {
            if let FunctionArguments::List(list) = &f.args {
                let exprs = list.args.iter().filter_map(|a| match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => Some(x),
                    _ => None,
                });
                self.refuse_lambdas(exprs, &format!("`{name}`"));
            }
        }
        let mut lambda_body: Option<Typed> = None;
        match &f.args {
            FunctionArguments::List(list) => {
                for a in &list.args {
                    match (a, lambda_use, args.first()) {
                        (FunctionArg::Unnamed(FunctionArgExpr::Wildcard), ..) => star = true,
                        (FunctionArg::Unnamed(FunctionArgExpr::Expr(x)), Some(how), Some(list))
                            if super::lambda::as_lambda(x).is_some() =>
                        {
                            let Some(l) = super::lambda::as_lambda(x) else { continue };
                            let list_ty = list.ty.clone();
                            let body = self.lambda(l, how, &list_ty);
                            // The catalog sees a LAMBDA parameter, not the body's type.
                            args.push(Typed { ty: Type::Unknown, ..body.clone() });
                            lambda_body = Some(body);
                        }
                        // DuckDB reads `count_if(i = 1)` in a scalar or aggregate call as the
                        // comparison; only table functions take `name = value` arguments.
                        (
                            FunctionArg::Named {
                                name,
                                arg: FunctionArgExpr::Expr(value),
                                operator: sqlparser::ast::FunctionArgOperator::Equals,
                            },
                            ..,
                        ) if self.dialect == crate::dialect::Dialect::DuckDb => {
                            let comparison = Expr::BinaryOp {
                                left: Box::new(Expr::Identifier(name.clone())),
                                op: sqlparser::ast::BinaryOperator::Eq,
                                right: Box::new(value.clone()),
                            };
                            args.push(self.expr(&comparison));
                        }
                        (other, ..) => args.push(self.function_arg(other)),
                    }
                }
                for c in &list.clauses {
                    if let FunctionArgumentClause::OrderBy(items) = c {
                        for i in items {
                            // `first(a ORDER BY ALL)`: DuckDB orders by every column of the
                            // FROM clause (and repeats the item once per column, which the
                            // select list does not spell out yet: right for one column).
                            let all = matches!(&i.expr, Expr::Identifier(id)
                                if id.quote_style.is_none() && id.value.eq_ignore_ascii_case("all"));
                            if !(all && self.dialect == crate::dialect::Dialect::DuckDb) {
                                self.expr(&i.expr);
                            }
                        }
                    }
                }
            }
            FunctionArguments::Subquery(q) => {
                let r = self.subquery(q);
                args.extend(r.columns.into_iter().map(|c| c.value));
            }
            FunctionArguments::None => {}
        }
        if ordered_set {
            // DuckDB: the ordered value comes first, the fraction(s) follow. PostgreSQL: the
            // direct arguments, then the aggregated ones (pg_proc's order).
            for o in &f.within_group {
                let v = self.expr(&o.expr);
                if postgres {
                    args.push(v);
                } else {
                    args.insert(0, v);
                }
            }
        }
        if let Some(filter) = &f.filter {
            self.expr(filter);
        }
        self.in_window_args = was_in_window_args;
        self.in_aggregate = was_in_agg;
        self.check_call_arguments(e, &name, f, &args);
        if name == "unnest" || name == "unlist" {
            self.check_unnest_args(e, f);
            if self.in_lambda {
                let r = self.expr_range(e);
                self.report(Code::E302MisplacedAggregate, r, "UNNEST is not allowed in a lambda".to_string());
            }
            let clause = match self.clause {
                _ if was_in_agg => Some("an aggregate's arguments"),
                _ if self.in_window_spec || self.in_window_args => Some("a window function"),
                super::walker::Clause::Where => Some("WHERE"),
                super::walker::Clause::Having => Some("HAVING"),
                super::walker::Clause::Qualify => Some("QUALIFY"),
                _ => None,
            };
            if let (Some(clause), crate::dialect::Dialect::DuckDb) = (clause, self.dialect) {
                let r = self.expr_range(e);
                self.report(Code::E302MisplacedAggregate, r, format!("UNNEST is not allowed in {clause}")).hint =
                    Some("unnest in the select list of a subquery and filter its result".into());
            }
        }
        if is_window && self.in_window_spec {
            let r = self.expr_range(e);
            self.report(
                Code::E302MisplacedAggregate,
                r,
                format!("window function `{name}` is not allowed in a window definition"),
            )
            .hint = Some("compute the inner window function in a subquery first".into());
        }
        if let Some(WindowType::WindowSpec(spec)) = &f.over {
            let was_in_spec = std::mem::replace(&mut self.in_window_spec, true);
            for p in &spec.partition_by {
                let v = self.expr(p);
                self.note_keys(&v);
            }
            for o in &spec.order_by {
                let v = self.expr(&o.expr);
                self.note_keys(&v);
            }
            if let Some(frame) = &spec.window_frame {
                for bound in [Some(&frame.start_bound), frame.end_bound.as_ref()].into_iter().flatten() {
                    if let sqlparser::ast::WindowFrameBound::Preceding(Some(x))
                    | sqlparser::ast::WindowFrameBound::Following(Some(x)) = bound
                    {
                        self.expr(x);
                    }
                }
            }
            self.in_window_spec = was_in_spec;
        }

        let derivation = if is_window {
            DerivationKind::Window
        } else if is_aggregate {
            DerivationKind::Aggregate
        } else {
            DerivationKind::Expression
        };
        if let Some(v) = self.special_function(e, &name, &args) {
            return v.derive(derivation);
        }
        // `f(*)` is `f()` in DuckDB for every function but count (so `sum(*)` has no overload).
        if star && name == "count" {
            let distinct = matches!(&f.args, FunctionArguments::List(l) if l.duplicate_treatment == Some(sqlparser::ast::DuplicateTreatment::Distinct));
            if distinct {
                let r = self.expr_range(e);
                self.report(Code::E205NoMatchingOverload, r, "COUNT(DISTINCT *) is not allowed".to_string()).hint =
                    Some("count distinct values of a column, or of a row: COUNT(DISTINCT (a, b))".into());
            }
            return derived(Type::BigInt, false, &args).derive(derivation);
        }
        if matches!(f.args, FunctionArguments::None) && args.is_empty() {
            // `current_date`-style keywords parsed as functions without parentheses.
            if let Ok(v) = self.dialect.resolve_function(&name, &[]) {
                return Typed::new(v.return_type, false);
            }
        }
        let mut types: Vec<Type> = args.iter().map(|a| a.ty.clone()).collect();
        // DuckDB casts the default of `lag` / `lead` to the value's type (any cast will do).
        if is_window && matches!(name.as_str(), "lag" | "lead") && self.dialect == crate::dialect::Dialect::DuckDb {
            if let [value, _, default] = types.as_mut_slice() {
                if !value.is_unknown() && self.dialect.can_cast(default, value) {
                    *default = value.clone();
                }
            }
        }
        let catalog_name = match name.as_str() {
            "percentile_cont" if ordered_set && !postgres => "quantile_cont",
            "percentile_disc" if ordered_set && !postgres => "quantile_disc",
            other => other,
        };
        let mut folded = false;
        let ty = match self.dialect.resolve_function(catalog_name, &types) {
            Ok(call) => {
                folded = self.dialect == crate::dialect::Dialect::DuckDb
                    && super::null_constant::call_folds_to_null(
                        catalog_name,
                        &call.signature,
                        super::null_constant::argument_exprs(f),
                        &types,
                    );
                call.return_type
            }
            // A macro or UDF the warehouse has: typed from its definition where the schema
            // cache has one.
            Err(CallError::Unknown { .. }) if crate::hir::user_function(self.db, &name).is_some() => {
                match crate::hir::user_function(self.db, &name) {
                    Some(function) => self.user_function_result(e, &name, function, &args),
                    None => Type::Unknown,
                }
            }
            Err(CallError::Unknown { suggestions }) => {
                let range = self.range(&f.name);
                let hint = match self.dialect {
                    crate::dialect::Dialect::DuckDb => "DuckDB has no function of this name (see duckdb_functions())",
                    crate::dialect::Dialect::Postgres => "PostgreSQL has no function of this name (see pg_proc)",
                    crate::dialect::Dialect::Spark => "Spark has no function of this name (see SHOW FUNCTIONS)",
                };
                self.report(Code::E104UnknownFunction, range, format!("unknown function `{name}`"))
                    .suggest(&suggestions, hint);
                Type::Unknown
            }
            Err(CallError::NoMatch { candidates }) => {
                let range = self.expr_range(e);
                let got = types.iter().map(|t| self.show_arg(t)).collect::<Vec<_>>().join(", ");
                let mut list = candidates.iter().take(8).cloned().collect::<Vec<_>>().join("\n  ");
                if candidates.len() > 8 {
                    list.push_str(&format!("\n  … and {} more", candidates.len() - 8));
                }
                self.report(Code::E205NoMatchingOverload, range, format!("no overload of `{name}` accepts ({got})"))
                    .hint = Some(format!("CAST the arguments to match one of:\n  {list}"));
                Type::Unknown
            }
        };
        // DuckDB expands a built-in macro before binding; `list_aggr` binds the aggregate it names.
        // (The catalog's `list_aggr(ANY[], VARCHAR, ANY...) -> ANY` says nothing of the result:
        // its ANY is the aggregate's, not an argument's.)
        let ty = match &ty {
            _ if self.dialect == crate::dialect::Dialect::DuckDb && super::macro_call::is_list_aggregate(&name) => {
                self.list_aggregate_result(e, f, &types).unwrap_or(Type::Unknown)
            }
            Type::Unknown if self.dialect == crate::dialect::Dialect::DuckDb => {
                if !star && lambda_use.is_none() && !has_named_args(f) {
                    match self.macro_result(e, &name, &args) {
                        Some(t) => t,
                        None => self.macro_result_named(e, f, &args, receiver).unwrap_or(ty),
                    }
                } else if !star && lambda_use.is_none() {
                    self.macro_result_named(e, f, &args, receiver).unwrap_or(ty)
                } else {
                    ty
                }
            }
            _ => ty,
        };
        let written: &[FunctionArg] = match &f.args {
            FunctionArguments::List(list) => &list.args,
            _ => &[],
        };
        let ty = super::bound_types::argument_dependent_type(self.dialect, &name, written, &types).unwrap_or(ty);
        // `quantile_*(x, [fractions])` returns one value per fraction; the catalog only lists the
        // scalar-fraction signature.
        let ty = match (lambda_use, &lambda_body) {
            (Some(LambdaUse::Transform), Some(body)) if body.ty.is_unknown() => Type::Unknown,
            (Some(LambdaUse::Transform), Some(body)) => Type::List(Box::new(body.ty.materialize())),
            _ => ty,
        };
        // (`approx_quantile` / `reservoir_quantile` list it themselves; a list of lists
        // quantiled is a list of lists.)
        let exact_quantile = matches!(catalog_name, "quantile" | "quantile_disc" | "quantile_cont");
        let ty = match (&ty, types.get(1)) {
            (Type::Unknown, _) => ty,
            (_, Some(Type::List(_) | Type::Array(..))) if exact_quantile => Type::List(Box::new(ty)),
            (Type::List(_), _) => ty,
            (_, Some(Type::List(_))) if catalog_name.contains("quantile") => Type::List(Box::new(ty)),
            _ => ty,
        };
        let ty = if self.dialect == crate::dialect::Dialect::DuckDb && !ty.is_unknown() {
            constant_dependent_type(&name, f).unwrap_or(ty)
        } else {
            ty
        };
        // Folded into an untyped NULL before binding; so is a lambda function over an untyped
        // NULL list (`list_transform(NULL, x -> x + 1)`).
        let null_list = lambda_use.is_some() && types.first() == Some(&Type::Null);
        let ty = if folded || (null_list && self.dialect == crate::dialect::Dialect::DuckDb) { Type::Null } else { ty };
        let nullable = match name.as_str() {
            "count" | "count_star" | "row_number" | "rank" | "dense_rank" | "percent_rank" | "cume_dist" | "ntile" => {
                false
            }
            _ if is_aggregate => true,
            "lag" | "lead" | "first_value" | "last_value" | "nth_value" => true,
            _ => args.iter().any(|a| a.nullable),
        };
        derived(ty, nullable, &args).derive(derivation)
    }

    /// Spark's variadic functions whose result is the common type of (some of) their arguments:
    /// the probes cover two or three arguments, the rule any number.
    fn spark_special_function(&mut self, e: &Expr, name: &str, args: &[Typed]) -> Option<Typed> {
        match name {
            "coalesce" | "nvl" | "ifnull" => Some(self.common_of_args(e, name, args, args.iter().all(|a| a.nullable))),
            "greatest" | "least" if args.len() > 1 => {
                Some(self.common_of_args(e, name, args, args.iter().all(|a| a.nullable)))
            }
            "if" | "nvl2" if args.len() == 3 => Some(self.common_of_args(e, name, &args[1..], true)),
            "array" => {
                let elem = self.common_of_args(e, name, args, false);
                let ty = match elem.ty {
                    t if t.contains_unknown() => Type::Unknown,
                    Type::Null if args.is_empty() => Type::List(Box::new(Type::Null)),
                    t => Type::List(Box::new(self.dialect.materialize(&t))),
                };
                Some(derived(ty, false, args))
            }
            _ => None,
        }
    }

    /// Functions whose typing DuckDB does in its binder rather than by catalog overloads.
    fn special_function(&mut self, e: &Expr, name: &str, args: &[Typed]) -> Option<Typed> {
        // PostgreSQL's grammar constructs that look like calls (not pg_proc functions); the
        // rest below are DuckDB binder forms.
        if self.dialect == crate::dialect::Dialect::Postgres
            && !matches!(name, "coalesce" | "greatest" | "least" | "nullif" | "grouping" | "array" | "row")
        {
            return None;
        }
        if self.dialect == crate::dialect::Dialect::Spark {
            return self.spark_special_function(e, name, args);
        }
        match name {
            // `ROW(…)`: an anonymous record.
            "row" if self.dialect == crate::dialect::Dialect::Postgres => {
                Some(derived(self.dialect.parse_type("record"), false, args))
            }
            "row" if !args.is_empty() => Some(self.row_value(args)),
            "coalesce" | "ifnull" => Some(self.common_of_args(e, name, args, args.iter().all(|a| a.nullable))),
            "greatest" | "least" if self.dialect == crate::dialect::Dialect::Postgres => {
                Some(self.common_of_args(e, name, args, args.iter().any(|a| a.nullable)))
            }
            // `if(cond, a, b)` is CASE WHEN in DuckDB's binder, not a catalog function.
            "if" if args.len() == 3 => {
                let ty = match self.dialect.common_type(&args[1].ty, &args[2].ty) {
                    Some(t) => t,
                    None => {
                        let r = self.expr_range(e);
                        self.report(
                            Code::E203BranchTypeMismatch,
                            r,
                            format!("IF branches mix {} and {}", args[1].ty, args[2].ty),
                        )
                        .hint = Some("CAST the branches to one type".into());
                        Type::Unknown
                    }
                };
                Some(derived(ty, args[1].nullable || args[2].nullable, args))
            }
            // Over an untyped NULL list: an untyped NULL (as `list_transform`, below).
            "list_reduce" | "array_reduce" | "reduce" if args.first().is_some_and(|a| a.ty == Type::Null) => {
                Some(derived(Type::Null, true, args))
            }
            "list_reduce" | "array_reduce" | "reduce" if !args.is_empty() => {
                let elem = args[0].ty.element_type().cloned().unwrap_or(Type::Unknown);
                // With an initial value the result is the common type of it and the elements.
                let ty = match args.get(2).map(|a| &a.ty) {
                    Some(init) if !elem.is_unknown() && !init.is_unknown() && *init != Type::Null => {
                        let init = self.dialect.materialize(init);
                        self.dialect.common_type(&elem, &init).unwrap_or_else(|| {
                            let r = match e {
                                Expr::Function(f) => match &f.args {
                                    FunctionArguments::List(l) => l.args.get(2).map(|a| self.range(a)),
                                    _ => None,
                                },
                                _ => None,
                            };
                            let r = r.unwrap_or_else(|| self.expr_range(e));
                            let (x, y) = (self.show(&init), self.show(&elem));
                            self.report(
                                Code::E205NoMatchingOverload,
                                r,
                                format!("the initial value of {name} is {x}, which does not mix with the list's {y}"),
                            )
                            .hint = Some(format!("start from a {y} value, or CAST it"));
                            Type::Unknown
                        })
                    }
                    _ => elem,
                };
                Some(derived(ty, true, args))
            }
            // Forms DuckDB's binder rewrites before any catalog lookup (so duckdb_functions()
            // does not list them).
            "grouping" | "grouping_id" => {
                let problem = if self.grouping.is_none() {
                    Some("needs a GROUP BY")
                } else if matches!(self.clause, Clause::Where | Clause::JoinOn | Clause::GroupBy) {
                    Some("is only allowed in SELECT, HAVING, QUALIFY and ORDER BY")
                } else if args.len() > 64 {
                    Some("takes at most 64 grouping columns")
                } else {
                    None
                };
                if let Some(problem) = problem {
                    let r = self.expr_range(e);
                    self.report(Code::E302MisplacedAggregate, r, format!("{} {problem}", name.to_uppercase()));
                }
                // DuckDB's GROUPING is BIGINT; PostgreSQL's GroupingFunc (grammar, not pg_proc)
                // is integer.
                let ty = match self.dialect {
                    crate::dialect::Dialect::Postgres => Type::Integer,
                    crate::dialect::Dialect::DuckDb | crate::dialect::Dialect::Spark => Type::BigInt,
                };
                Some(derived(ty, false, args))
            }
            "try" if args.len() == 1 => Some(derived(args[0].ty.clone(), true, args)),
            // `ARRAY(SELECT …)`: the subquery's only column as a list.
            // `ARRAY(SELECT * FROM …)` over columns the analysis does not list: an open list.
            "array"
                if args.is_empty()
                    && matches!(e, Expr::Function(f) if matches!(f.args, FunctionArguments::Subquery(_))) =>
            {
                Some(Typed::unknown())
            }
            "array" if !args.is_empty() => {
                if args.len() > 1 {
                    let r = self.expr_range(e);
                    self.report(
                        Code::E204SetOperationMismatch,
                        r,
                        format!("ARRAY(subquery) needs one column; this subquery returns {}", args.len()),
                    );
                }
                let ty = match &args[0].ty {
                    t if t.is_unknown() => Type::Unknown,
                    t => Type::List(Box::new(t.materialize())),
                };
                Some(derived(ty, false, args))
            }
            // `unnest(struct)`: the select list expands it into the fields (`SELECT s.*`).
            "unnest" | "unlist" if args.len() == 1 && matches!(args[0].ty, Type::Struct(_)) => {
                if let Type::Struct(fields) = &args[0].ty {
                    self.struct_unnest = Some(fields.clone());
                }
                if self.clause == Clause::OrderBy {
                    let r = self.expr_range(e);
                    self.report(
                        Code::E302MisplacedAggregate,
                        r,
                        "UNNEST of a STRUCT expands into columns and cannot be used in ORDER BY".to_string(),
                    );
                }
                Some(derived(args[0].ty.clone(), args[0].nullable, args))
            }
            // Expanding forms (`COLUMNS('re')`, `unnest(s, recursive := true)`): not typed yet.
            "columns" if self.columns_value.is_some() => self.columns_value.clone(),
            "columns" => {
                self.expands = true;
                Some(derived(Type::Unknown, true, args))
            }
            // `unnest(x, recursive := …, max_depth := …)`: as many levels as asked, spreading
            // the STRUCTs it reaches into columns.
            "unnest" | "unlist" if args.len() > 1 => {
                let Expr::Function(f) = e else { return None };
                let opts = match super::unnest::options(f) {
                    Ok(opts) => opts,
                    Err(problem) => {
                        let r = self.expr_range(e);
                        self.report(Code::E205NoMatchingOverload, r, problem).hint =
                            Some("give max_depth a positive number of levels, or drop it".into());
                        return Some(derived(Type::Unknown, true, args));
                    }
                };
                let ty = match super::unnest::unnest_type(&args[0].ty, opts) {
                    super::unnest::Unnested::Column(ty) => ty,
                    super::unnest::Unnested::Fields(fields) => {
                        self.struct_unnest = Some(fields);
                        args[0].ty.clone()
                    }
                    super::unnest::Unnested::Open => {
                        self.expands = opts.depth != Some(1) && args[0].ty.may_hold_struct();
                        Type::Unknown
                    }
                };
                Some(derived(ty, true, args))
            }
            "nullif" if args.len() == 2 && self.dialect == crate::dialect::Dialect::Postgres => {
                // The `=` operator's left input type (`nullif(varchar_col, 'x')` is text).
                let r = self.expr_range(e);
                let ty = self.type_or_report(
                    r,
                    crate::dialect::postgres::nullif_type(&args[0].ty, &args[1].ty),
                    Code::E201ComparisonTypeMismatch,
                    "add an explicit CAST so both arguments have the same type",
                );
                Some(derived(ty, true, args))
            }
            "nullif" if args.len() == 2 => {
                let ty = self
                    .dialect
                    .common_type(&args[0].ty, &args[1].ty)
                    .map(|_| args[0].ty.clone())
                    .unwrap_or(Type::Unknown);
                Some(derived(ty, true, args))
            }
            _ => None,
        }
    }

    /// COALESCE-like forms: the arguments' common type (E203 when there is none).
    fn common_of_args(&mut self, e: &Expr, name: &str, args: &[Typed], nullable: bool) -> Typed {
        // DuckDB folds from NULL (normalising literals); PostgreSQL from the first argument, so
        // equal typmods survive (`coalesce(numeric(12,2), numeric(12,2))`).
        let (mut ty, rest) = match (self.dialect, args.split_first()) {
            (crate::dialect::Dialect::Postgres, Some((first, rest))) => (first.ty.clone(), rest),
            _ => (Type::Null, args),
        };
        for a in rest {
            match self.dialect.common_type(&ty, &a.ty) {
                Some(t) => ty = t,
                None => {
                    let r = self.expr_range(e);
                    let (have, got) = (self.show(&ty), self.show(&a.ty));
                    self.report(
                        Code::E203BranchTypeMismatch,
                        r,
                        format!("{} arguments mix {have} and {got}", name.to_uppercase()),
                    )
                    .hint = Some("CAST the arguments to one type".into());
                    ty = Type::Unknown;
                    break;
                }
            }
        }
        derived(ty, nullable, args)
    }

    /// The value before the function name in DuckDB's method-call syntax (`v.lower()`,
    /// `t.v.split(' ')`): a qualified name whose leading parts name a column or select alias.
    fn method_receiver(&mut self, f: &Function) -> Option<Typed> {
        let parts: Vec<&sqlparser::ast::Ident> = f.name.0.iter().map(|p| p.as_ident()).collect::<Option<_>>()?;
        let receiver = parts.get(..parts.len().checked_sub(1)?)?;
        let is_value = match receiver {
            [column] => {
                !matches!(lookup(&self.scopes, None, &column.value), Lookup::NotFound)
                    || self.aliases.iter().any(|(n, _, _, _)| n.eq_ignore_ascii_case(&column.value))
            }
            [table, column] => {
                !matches!(lookup(&self.scopes, Some(&table.value), &column.value), Lookup::NotFound)
                    || (table.value.eq_ignore_ascii_case("alias")
                        && self.aliases.iter().any(|(n, _, _, _)| n.eq_ignore_ascii_case(&column.value)))
            }
            _ => false,
        };
        if !is_value {
            return None;
        }
        let e = match receiver {
            [one] => Expr::Identifier((*one).clone()),
            more => Expr::CompoundIdentifier(more.iter().map(|i| (*i).clone()).collect()),
        };
        Some(self.expr(&e))
    }

    /// `unnest(x [, recursive := …, max_depth := …, keep_parent_names := …])`, not nested in
    /// another `unnest`.
    fn check_unnest_args(&mut self, e: &Expr, f: &Function) {
        let FunctionArguments::List(list) = &f.args else { return };
        let problem = list.args.iter().enumerate().find_map(|(i, a)| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Function(inner)))
                if i == 0
                    && inner.name.0.last().and_then(|p| p.as_ident()).is_some_and(|n| {
                        n.value.eq_ignore_ascii_case("unnest") || n.value.eq_ignore_ascii_case("unlist")
                    }) =>
            {
                Some("UNNEST cannot be nested; use unnest(x, recursive := true)".to_string())
            }
            FunctionArg::Unnamed(_) if i > 0 => Some("UNNEST takes one list; the other arguments must be named".into()),
            FunctionArg::Named { name, .. } | FunctionArg::ExprNamed { name: Expr::Identifier(name), .. }
                if !["recursive", "max_depth", "keep_parent_names"]
                    .iter()
                    .any(|p| name.value.eq_ignore_ascii_case(p)) =>
            {
                Some(format!("UNNEST has no parameter `{}` (recursive, max_depth, keep_parent_names)", name.value))
            }
            _ => None,
        });
        if let Some(problem) = problem {
            let r = self.expr_range(e);
            self.report(Code::E205NoMatchingOverload, r, problem);
        }
    }

    /// `struct_pack(a := x, b := y)`: a STRUCT with the argument names as fields.
    fn struct_pack(&mut self, f: &Function) -> Typed {
        let mut fields = Vec::new();
        let mut values = Vec::new();
        if let FunctionArguments::List(list) = &f.args {
            for a in &list.args {
                let v = self.function_arg(a);
                let name = match a {
                    FunctionArg::Named { name, .. } => name.value.clone(),
                    // A column names its field; anything else needs `name := value`.
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(
                        e @ (Expr::Identifier(_) | Expr::CompoundIdentifier(_)),
                    )) => super::naming::output_name(e),
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => {
                        let range = self.expr_range(e);
                        self.report(Code::E205NoMatchingOverload, range, "struct_pack needs a name for this value")
                            .hint = Some("name it: struct_pack(name := …)".into());
                        super::naming::output_name(e)
                    }
                    _ => String::new(),
                };
                if fields.iter().any(|f: &crate::types::StructField| f.name.eq_ignore_ascii_case(&name)) {
                    let range = match a {
                        FunctionArg::Named { name, .. } => self.spans.range(name.span).unwrap_or_default(),
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => self.expr_range(e),
                        _ => TextRange::default(),
                    };
                    self.report(
                        Code::E205NoMatchingOverload,
                        range,
                        format!("the struct has two fields named `{name}`"),
                    )
                    .hint = Some("name each field once (`name := value`)".into());
                }
                fields.push(crate::types::StructField { name, ty: self.dialect.nested(&v.ty) });
                values.push(v);
            }
        }
        derived(Type::Struct(fields), false, &values)
    }

    /// Typing through the catalog for operators and SQL forms that are functions in DuckDB
    /// (`LIKE` is `~~`, `EXTRACT` is `date_part`, …).
    pub fn call_operator(&mut self, e: &Expr, name: &str, args: Vec<Typed>) -> Typed {
        self.call_operator_on(e, name, args, &[])
    }

    /// [`Self::call_operator`] where the argument expressions are known (`CEIL(x)`): a
    /// constant NULL among them can fold the call ([`super::null_constant::call_folds_to_null`]).
    pub fn call_operator_on(&mut self, e: &Expr, name: &str, args: Vec<Typed>, exprs: &[&Expr]) -> Typed {
        let types: Vec<Type> = args.iter().map(|a| a.ty.clone()).collect();
        // Spark: LIKE and friends are boolean; SQL forms its catalog has no function for are
        // Unknown (never an error).
        if self.dialect == crate::dialect::Dialect::Spark {
            let spark_name = match name {
                "~~" | "!~~" | "~~*" | "!~~*" | "like_escape" | "not_like_escape" | "ilike_escape"
                | "not_ilike_escape" => {
                    return derived(Type::Boolean, args.iter().any(|a| a.nullable), &args);
                }
                "date_part" | "epoch" | "timezone" | "&&" | "^@" | "extract" => {
                    return derived(Type::Unknown, true, &args);
                }
                other => other,
            };
            if self.dialect.function_kind(spark_name).is_none() {
                return derived(Type::Unknown, true, &args);
            }
        }
        // PostgreSQL's operators (`~~` for LIKE, `~` for SIMILAR TO) are pg_operator entries.
        if let (crate::dialect::Dialect::Postgres, [l, r]) = (self.dialect, types.as_slice()) {
            if !name.chars().any(|c| c.is_alphanumeric()) {
                let op = sqlparser::ast::BinaryOperator::Custom(name.to_string());
                let range = self.expr_range(e);
                let ty = self.type_or_report(
                    range,
                    self.dialect.binary_op(&op, l, r),
                    Code::E202OperatorTypeMismatch,
                    "CAST the operands to types the operator accepts",
                );
                let nullable = args.iter().any(|a| a.nullable);
                return derived(ty, nullable, &args);
            }
        }
        let ty = match self.dialect.resolve_function(name, &types) {
            Ok(call)
                if self.dialect == crate::dialect::Dialect::DuckDb
                    && super::null_constant::call_folds_to_null(
                        name,
                        &call.signature,
                        exprs.iter().copied(),
                        &types,
                    ) =>
            {
                Type::Null
            }
            Ok(call) => call.return_type,
            Err(CallError::Unknown { .. }) => Type::Unknown,
            Err(CallError::NoMatch { candidates }) => {
                let range = self.expr_range(e);
                let got = types.iter().map(|t| self.show_arg(t)).collect::<Vec<_>>().join(", ");
                self.report(Code::E205NoMatchingOverload, range, format!("`{name}` does not accept ({got})")).hint =
                    Some(format!("CAST the operands to match one of:\n  {}", candidates.join("\n  ")));
                Type::Unknown
            }
        };
        let nullable = args.iter().any(|a| a.nullable);
        derived(ty, nullable, &args)
    }

    pub fn function_arg(&mut self, a: &FunctionArg) -> Typed {
        let arg = match a {
            FunctionArg::Named { arg, .. } | FunctionArg::ExprNamed { arg, .. } | FunctionArg::Unnamed(arg) => arg,
        };
        match arg {
            FunctionArgExpr::Expr(e) => self.expr(e),
            _ => Typed::unknown(),
        }
    }

    /// Does aggregate call `f` read columns of enclosing queries only? Then it is evaluated
    /// there. False when it reads none (`count(*)`), a column of this query, a name that does not
    /// resolve, or holds a subquery.
    pub fn is_outer_aggregate(&self, f: &Function) -> bool {
        self.outer_aggregate_scopes(f).is_some()
    }

    /// The scopes (indexes into `self.scopes`) an outer aggregate reads its columns from; None
    /// unless [`Infer::is_outer_aggregate`].
    pub fn outer_aggregate_scopes(&self, f: &Function) -> Option<Vec<usize>> {
        if self.scopes.len() < 2 {
            return None;
        }
        let FunctionArguments::List(list) = &f.args else { return None };
        let mut refs = Vec::new();
        let mut plain = true;
        let _ = sqlparser::ast::visit_expressions(&list.args, |x: &Expr| {
            match x {
                Expr::Identifier(id) => refs.push((None, id.value.clone())),
                Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                    refs.push((Some(parts[parts.len() - 2].value.clone()), parts[parts.len() - 1].value.clone()))
                }
                Expr::Subquery(_)
                | Expr::Exists { .. }
                | Expr::In { target: sqlparser::ast::InTarget::Subquery(_), .. }
                | Expr::Lambda(_) => plain = false,
                _ => {}
            }
            std::ops::ControlFlow::<()>::Continue(())
        });
        if !plain || refs.is_empty() {
            return None;
        }
        refs.iter()
            .map(|(qualifier, name)| match lookup(&self.scopes, qualifier.as_deref(), name) {
                Lookup::Found { depth, .. } if depth >= 1 => Some(self.scopes.len() - 1 - depth),
                _ => None,
            })
            .collect()
    }

    /// Aggregates are not allowed in WHERE, JOIN … ON or GROUP BY; windows only in SELECT,
    /// QUALIFY and ORDER BY.
    fn check_placement(&mut self, e: &Expr, name: &str, is_window: bool) {
        let bad = match self.clause {
            Clause::Where | Clause::JoinOn | Clause::GroupBy => true,
            Clause::Having => is_window,
            _ => false,
        };
        if !bad {
            return;
        }
        let place = match self.clause {
            Clause::Where => "WHERE",
            Clause::JoinOn => "JOIN … ON",
            Clause::GroupBy => "GROUP BY",
            _ => "HAVING",
        };
        let what = if is_window { "window function" } else { "aggregate" };
        let hint = if is_window {
            "filter on window results with QUALIFY, or compute them in a subquery"
        } else {
            "filter on aggregates with HAVING, or aggregate in a subquery first"
        };
        let r = self.expr_range(e);
        self.report(Code::E302MisplacedAggregate, r, format!("{what} `{name}` is not allowed in {place}")).hint =
            Some(hint.into());
    }
}

/// Whether a call passes any argument by name (`f(x := 1)`).
fn has_named_args(f: &Function) -> bool {
    matches!(&f.args, FunctionArguments::List(list) if list.args.iter().any(|a| !matches!(a, FunctionArg::Unnamed(_))))
}

/// The specifier letters of a strftime-style format (`%%` is a literal percent sign).
fn format_specifiers(format: &str) -> impl Iterator<Item = char> + '_ {
    let mut chars = format.chars();
    std::iter::from_fn(move || loop {
        match chars.next()? {
            '%' => match chars.next()? {
                '%' => continue,
                c => return Some(c),
            },
            _ => continue,
        }
    })
}

/// Result types DuckDB's bind callbacks derive from a constant argument: `date_part('epoch' |
/// 'julian', x)` is DOUBLE; `strptime(s, fmt)` with a `%z` / `%Z` in a constant format (or in
/// any of a list of them) is TIMESTAMP WITH TIME ZONE.
fn constant_dependent_type(name: &str, f: &Function) -> Option<Type> {
    let FunctionArguments::List(list) = &f.args else { return None };
    let constant = |i: usize| -> Vec<String> {
        let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(e))) = list.args.get(i) else { return Vec::new() };
        let items: Vec<&Expr> = match e {
            Expr::Array(a) => a.elem.iter().collect(),
            other => vec![other],
        };
        items
            .into_iter()
            .filter_map(|x| match x {
                Expr::Value(v) => match &v.value {
                    sqlparser::ast::Value::SingleQuotedString(s) => Some(s.clone()),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    };
    match name {
        "date_part" | "datepart"
            if !matches!(list.args.first(), Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Array(_))))) =>
        {
            constant(0)
                .first()
                .is_some_and(|p| p.eq_ignore_ascii_case("epoch") || p.eq_ignore_ascii_case("julian"))
                .then_some(Type::Double)
        }
        // `regexp_extract(s, re, ['a', 'b'])`: a STRUCT of the named groups (a list of them
        // for `regexp_extract_all`).
        "regexp_extract" | "regexp_extract_all"
            if matches!(list.args.get(2), Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Array(_))))) =>
        {
            let names = constant(2);
            let all_constant = matches!(list.args.get(2), Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Array(a)))) if a.elem.len() == names.len());
            if !all_constant || names.is_empty() {
                return None;
            }
            let row =
                Type::Struct(names.into_iter().map(|n| crate::types::StructField::new(n, Type::Varchar)).collect());
            Some(if name == "regexp_extract_all" { Type::List(Box::new(row)) } else { row })
        }
        // A zone (`%z` / `%Z`) in any format makes it WITH TIME ZONE; else nanoseconds
        // (`%n`) make it TIMESTAMP_NS.
        "strptime" | "try_strptime" => {
            let formats = constant(1);
            let uses = |wanted: &[char]| formats.iter().any(|f| format_specifiers(f).any(|c| wanted.contains(&c)));
            if uses(&['z', 'Z']) {
                Some(Type::TimestampTz)
            } else {
                uses(&['n']).then_some(Type::TimestampNs)
            }
        }
        _ => None,
    }
}
