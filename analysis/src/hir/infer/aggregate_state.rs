//! DuckDB's exported aggregate states: `sum(x) EXPORT_STATE` is a value of type
//! `AGGREGATE_STATE<sum(INTEGER)::HUGEINT>` (the aggregate, its argument types and its result
//! type, as DuckDB's `DESCRIBE` prints it); `finalize(state)` is the result type and
//! `combine(state, state)` the state type.

use sqlparser::ast::{Function, FunctionArg, FunctionArgExpr, FunctionArguments};

use super::walker::Infer;
use crate::types::Type;

const PREFIX: &str = "AGGREGATE_STATE<";

impl Infer<'_> {
    /// The state type of `f EXPORT_STATE`, whose result type is `result`; Unknown when an
    /// argument's type is not known. The arguments are typed again for their types only
    /// (nothing that walk records is kept).
    pub fn export_state_type(&mut self, f: &Function, result: &Type) -> Type {
        if result.contains_unknown() || self.dialect != crate::dialect::Dialect::DuckDb {
            return Type::Unknown;
        }
        let name = f.name.0.last().and_then(|p| p.as_ident()).map(|i| i.value.to_lowercase()).unwrap_or_default();
        let args: &[FunctionArg] = match &f.args {
            FunctionArguments::List(list) => &list.args,
            _ => &[],
        };
        let star = matches!(args, [FunctionArg::Unnamed(FunctionArgExpr::Wildcard)]);
        if name == "count" && (star || args.is_empty()) {
            return Type::Other(format!("{PREFIX}count_star()::{result}>"));
        }
        let (diagnostics, res) = (self.diagnostics.len(), self.res.mark());
        let types: Vec<Type> = args.iter().map(|a| self.function_arg(a).ty).collect();
        self.diagnostics.truncate(diagnostics);
        self.res.truncate(res);
        if types.iter().any(Type::contains_unknown) {
            return Type::Unknown;
        }
        let shown: Vec<String> = types.iter().map(|t| self.dialect.materialize(t).to_string()).collect();
        Type::Other(format!("{PREFIX}{name}({})::{result}>", shown.join(", ")))
    }
}

/// The result type an exported state finalizes to (`…::T>` → T).
pub fn finalized(state: &Type) -> Option<Type> {
    let Type::Other(s) = state else { return None };
    let inner = s.strip_prefix(PREFIX)?.strip_suffix('>')?;
    let (_, result) = inner.rsplit_once("::")?;
    Some(Type::parse(result))
}
