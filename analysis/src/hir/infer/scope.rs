//! Relations in scope and column lookup, the core of name resolution.

use super::resolution::ColumnDef;
use crate::hir::{DerivationKind, LineageInput, LineageTable};
use crate::types::Type;

/// The value of a column or expression as inference sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Typed {
    pub ty: Type,
    pub nullable: bool,
    /// The input columns this value derives from, with how.
    pub lineage: Vec<LineageInput>,
}

impl Typed {
    pub fn unknown() -> Self {
        Typed { ty: Type::Unknown, nullable: true, lineage: Vec::new() }
    }
    pub fn new(ty: Type, nullable: bool) -> Self {
        Typed { ty, nullable, lineage: Vec::new() }
    }
    /// Marks every lineage edge as at least `kind` (a cast of a copy is a cast, and so on).
    pub fn derive(mut self, kind: DerivationKind) -> Self {
        for l in &mut self.lineage {
            l.kind = l.kind.max(kind);
        }
        self
    }
    /// Adds the lineage of `other` to this value's.
    pub fn absorb(&mut self, other: &Typed) {
        for l in &other.lineage {
            merge_lineage(&mut self.lineage, l.clone());
        }
    }
}

/// Adds one lineage edge, keeping one edge per column with the furthest derivation.
pub fn merge_lineage(into: &mut Vec<LineageInput>, input: LineageInput) {
    match into.iter_mut().find(|l| l.column == input.column) {
        Some(existing) => existing.kind = existing.kind.max(input.kind),
        None => into.push(input),
    }
}

/// One column of a relation in scope.
#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    pub value: Typed,
    /// A USING/NATURAL join key duplicated on the right side: reachable as `right.col` but not as
    /// a bare name and not by `*`.
    pub hidden: bool,
    /// A USING/NATURAL join key's own value when `value` is the merged one: `left.col` reads
    /// this, a bare `col` the merged value (DuckDB).
    pub own: Option<Box<Typed>>,
    /// Where its value is defined.
    pub def: ColumnDef,
}

impl Column {
    /// A visible column computed by the query (a table function's, an UNNEST's, a pivot's),
    /// defined nowhere a user could jump to.
    pub fn derived(name: String, value: Typed) -> Column {
        Column { name, value, hidden: false, own: None, def: ColumnDef::Unknown }
    }

    /// A column read as it is stored, in a model, a source or a built-in view: its lineage is a
    /// copy of that stored column.
    pub fn stored(table: LineageTable, def: ColumnDef, name: &str, ty: Type, nullable: bool) -> Column {
        let column = crate::hir::ColumnRef { table, column: name.to_string() };
        let lineage = vec![LineageInput { column, kind: DerivationKind::Copy }];
        Column { name: name.to_string(), value: Typed { ty, nullable, lineage }, hidden: false, own: None, def }
    }
}

/// A table in a FROM clause: a model, source, CTE, derived table or table function.
#[derive(Clone, Debug)]
pub struct Relation {
    /// The name it is referred to by (alias, or the table's last name part), lower-cased.
    pub alias: Option<String>,
    /// Extra qualified names that also refer to it (`raw.orders` for `FROM raw.orders`).
    pub qualified: Vec<String>,
    pub columns: Vec<Column>,
    /// Its columns are not known (uncached source, unknown table, table function): any column
    /// name resolves, to Unknown, without an error.
    pub open: bool,
    /// Where columns of an open relation come from, for lineage of names that resolve to it.
    pub origin: Option<LineageTable>,
    /// Its entry in the resolution index's table bindings.
    pub binding: Option<usize>,
}

impl Relation {
    pub fn matches_qualifier(&self, qualifier: &str) -> bool {
        self.matches_lower(&qualifier.to_lowercase())
    }

    /// [`Relation::matches_qualifier`] for a qualifier already lower-cased.
    fn matches_lower(&self, q: &str) -> bool {
        self.alias.as_deref() == Some(q) || self.qualified.iter().any(|x| x == q)
    }

    pub fn find(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Its most qualified name (`s1.tbl` for `FROM s1.tbl`, else its alias): what `*` expands
    /// its columns under, and what tells two same-named tables apart in a message.
    pub fn full_name(&self) -> Option<&str> {
        self.qualified.first().or(self.alias.as_ref()).map(String::as_str)
    }
}

/// The outcome of looking a column name up.
pub enum Lookup {
    /// Found: `(relation index, column index)` in the scope that holds it, and how many scopes out.
    Found {
        depth: usize,
        relation: usize,
        column: usize,
    },
    /// Found in an open relation (its origin, if known): Unknown, no error.
    Open(Option<LineageTable>),
    /// More than one relation has it.
    Ambiguous(Vec<String>),
    /// The qualifier names more than one relation of one scope (`FROM t, t`, `FROM s1.t, s2.t`
    /// read as `t.x`): their full names.
    AmbiguousTable(Vec<String>),
    NotFound,
}

/// The relations visible in one SELECT, with the enclosing SELECTs' scopes for correlation.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    pub relations: Vec<Relation>,
}

/// Looks a possibly qualified column up through `scopes` (innermost last).
pub fn lookup(scopes: &[Scope], qualifier: Option<&str>, name: &str) -> Lookup {
    let qualifier = qualifier.map(str::to_lowercase);
    for (depth, scope) in scopes.iter().rev().enumerate() {
        if let Some(q) = &qualifier {
            // The first table of that name with the column (or open) answers, unless two of
            // them have it.
            let mut first: Option<Lookup> = None;
            let mut holders = 0;
            for (ri, rel) in scope.relations.iter().enumerate() {
                if !rel.matches_lower(q) {
                    continue;
                }
                match rel.find(name) {
                    Some(ci) => {
                        holders += 1;
                        first.get_or_insert(Lookup::Found { depth, relation: ri, column: ci });
                    }
                    None if rel.open => {
                        first.get_or_insert_with(|| Lookup::Open(rel.origin.clone()));
                    }
                    None => {}
                }
            }
            if holders > 1 {
                return Lookup::AmbiguousTable(ambiguous_qualifier(scope, q, Some(name)).unwrap_or_default());
            }
            if let Some(found) = first {
                return found;
            }
            continue;
        }
        let mut hits = Vec::new();
        let mut open: Option<Option<LineageTable>> = None;
        for (ri, rel) in scope.relations.iter().enumerate() {
            match rel.find(name) {
                Some(ci) if !rel.columns[ci].hidden => hits.push((ri, ci)),
                Some(_) => {}
                None if rel.open && open.is_none() => open = Some(rel.origin.clone()),
                None => {}
            }
        }
        match hits.len() {
            0 => {
                if let Some(origin) = open {
                    return Lookup::Open(origin);
                }
            }
            1 => return Lookup::Found { depth, relation: hits[0].0, column: hits[0].1 },
            _ => {
                let names = hits
                    .iter()
                    .map(|&(ri, _)| scope.relations[ri].alias.clone().unwrap_or_else(|| "?".into()))
                    .collect();
                return Lookup::Ambiguous(names);
            }
        }
    }
    Lookup::NotFound
}

/// The full names of the relations of `scope` that `qualifier` (lower-cased) names (and that
/// have `column`, for `q.column`), when there are several: DuckDB, PostgreSQL and Spark refuse such a
/// reference rather than pick one.
pub fn ambiguous_qualifier(scope: &Scope, qualifier: &str, column: Option<&str>) -> Option<Vec<String>> {
    let names: Vec<String> = scope
        .relations
        .iter()
        .filter(|r| r.matches_lower(qualifier) && column.is_none_or(|c| r.find(c).is_some()))
        .map(|r| r.full_name().unwrap_or(qualifier).to_string())
        .collect();
    (names.len() > 1).then_some(names)
}

/// DuckDB expands `*` into one qualified reference per column: a table by its own identity,
/// anything else (a subquery, a CTE, a table function) by its alias, which is ambiguous when
/// another relation of that alias has the column too. The first such alias, with the full
/// names of the relations it names.
pub fn ambiguous_star(scope: &Scope) -> Option<(String, Vec<String>)> {
    for (i, r) in scope.relations.iter().enumerate() {
        let Some(alias) = r.alias.as_deref() else { continue };
        // Aliases are stored lower-cased; most stars have no other relation of that name.
        let others: Vec<&Relation> = scope
            .relations
            .iter()
            .enumerate()
            .filter(|(j, o)| *j != i && o.matches_lower(alias))
            .map(|(_, o)| o)
            .collect();
        if others.is_empty() {
            continue;
        }
        for c in r.columns.iter().filter(|c| !c.hidden) {
            let clash = others.iter().any(|o| match &r.origin {
                Some(table) => o.origin.as_ref() == Some(table) && o.alias == r.alias,
                None => o.find(&c.name).is_some(),
            });
            if clash {
                let names = ambiguous_qualifier(scope, alias, Some(&c.name)).unwrap_or_default();
                return Some((alias.to_string(), names));
            }
        }
    }
    None
}

/// Is there a relation with this qualifier anywhere in scope?
pub fn has_qualifier(scopes: &[Scope], qualifier: &str) -> bool {
    scopes.iter().any(|s| s.relations.iter().any(|r| r.matches_qualifier(qualifier)))
}

/// The closest candidates to a misspelt name, best first (at most three).
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let lower = name.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(s, _)| *s >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c.to_string()).collect()
}
