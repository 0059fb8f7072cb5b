/// Stable diagnostic codes. The letter is the default severity (E error, W warning, I info); the
/// number never changes meaning once released, so CI filters and editor settings can rely on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// SQL that does not parse, or a model that is not a single query.
    E001ParseError,
    /// rocky.toml is not valid TOML or has a wrong value.
    E002InvalidProjectConfig,
    /// A sidecar or `_defaults.toml` is not valid TOML or has a wrong value.
    E003InvalidModelConfig,
    /// A table reference names no model, source, or CTE.
    E101UnknownTable,
    /// A column reference names no column in scope.
    E102UnknownColumn,
    /// A column reference matches columns of several tables in scope, or a qualifier (or a
    /// USING column) names several tables of one FROM clause.
    E103AmbiguousColumn,
    /// A function name DuckDB does not know.
    E104UnknownFunction,
    /// A struct field that the struct does not have.
    E105UnknownField,
    /// A table alias that names more columns than the table has (`FROM t AS x(a, b, c)`).
    E106TooManyColumnAliases,
    /// A source table has no entry in the schema cache: its columns are Unknown.
    W110SourceNotCached,
    /// Comparison between types DuckDB will not compare without an explicit cast.
    E201ComparisonTypeMismatch,
    /// Arithmetic or operator on types it is not defined for.
    E202OperatorTypeMismatch,
    /// CASE / COALESCE / IN-list branches with no common type.
    E203BranchTypeMismatch,
    /// Set operation whose inputs differ in column count or have no common column type.
    E204SetOperationMismatch,
    /// No overload of a function accepts the argument types.
    E205NoMatchingOverload,
    /// A CAST that DuckDB cannot perform.
    E206InvalidCast,
    /// A string literal an operator casts to a number or boolean that it does not spell: the
    /// query binds and fails at run time.
    W207LiteralCastFails,
    /// A column used outside an aggregate that is not in GROUP BY.
    E301NotGrouped,
    /// An aggregate or window function where it is not allowed (WHERE, GROUP BY, nested).
    E302MisplacedAggregate,
    /// GROUP BY / ORDER BY ordinal out of range.
    E303OrdinalOutOfRange,
    /// A LIMIT or OFFSET that is a negative constant.
    E304NegativeLimit,
    /// A subquery that reads the FROM items before it (a LATERAL join) on the right of a RIGHT
    /// or FULL join.
    E305LateralJoinType,
    /// Two output columns of a model with the same name (DuckDB renames the second `x_1`).
    W401DuplicateOutputName,
    /// Models that depend on each other in a cycle.
    E501DependencyCycle,
    /// Two models with the same name.
    E502DuplicateModelName,
    /// Two models with the same target table.
    E503DuplicateTarget,
    /// `depends_on` names a model that does not exist.
    E504UnknownDependsOn,
    /// The SQL reads a model that an explicit `depends_on` leaves out.
    W505DependsOnIncomplete,
    /// A config section or key Rocky does not use; kept and ignored.
    I601IgnoredConfig,
    /// A data test or contract names a column the model does not output.
    E701UnknownTestColumn,
    /// A `relationships` test points at a model, source or column that does not exist.
    E702UnknownTestTarget,
    /// A test's values or referenced column cannot be compared with the tested column.
    E703TestTypeMismatch,
    /// A test expression that is not boolean.
    E704TestNotBoolean,
    /// The inferred schema breaks the model's `[contract]`.
    E705ContractMismatch,
}

impl Code {
    /// The short code printed to users, e.g. `E102`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::E001ParseError => "E001",
            Code::E002InvalidProjectConfig => "E002",
            Code::E003InvalidModelConfig => "E003",
            Code::E101UnknownTable => "E101",
            Code::E102UnknownColumn => "E102",
            Code::E103AmbiguousColumn => "E103",
            Code::E104UnknownFunction => "E104",
            Code::E105UnknownField => "E105",
            Code::E106TooManyColumnAliases => "E106",
            Code::W110SourceNotCached => "W110",
            Code::E201ComparisonTypeMismatch => "E201",
            Code::E202OperatorTypeMismatch => "E202",
            Code::E203BranchTypeMismatch => "E203",
            Code::E204SetOperationMismatch => "E204",
            Code::E205NoMatchingOverload => "E205",
            Code::E206InvalidCast => "E206",
            Code::W207LiteralCastFails => "W207",
            Code::E301NotGrouped => "E301",
            Code::E302MisplacedAggregate => "E302",
            Code::E303OrdinalOutOfRange => "E303",
            Code::E304NegativeLimit => "E304",
            Code::E305LateralJoinType => "E305",
            Code::W401DuplicateOutputName => "W401",
            Code::E501DependencyCycle => "E501",
            Code::E502DuplicateModelName => "E502",
            Code::E503DuplicateTarget => "E503",
            Code::E504UnknownDependsOn => "E504",
            Code::W505DependsOnIncomplete => "W505",
            Code::I601IgnoredConfig => "I601",
            Code::E701UnknownTestColumn => "E701",
            Code::E702UnknownTestTarget => "E702",
            Code::E703TestTypeMismatch => "E703",
            Code::E704TestNotBoolean => "E704",
            Code::E705ContractMismatch => "E705",
        }
    }

    pub fn severity(self) -> super::Severity {
        match self.as_str().as_bytes()[0] {
            b'W' => super::Severity::Warning,
            b'I' => super::Severity::Info,
            _ => super::Severity::Error,
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
