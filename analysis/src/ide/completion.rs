//! Completion: what may be typed at a cursor in a model's SQL, from the token stream around it
//! (the statement is usually incomplete while typing, so the parse is not relied on).

use std::sync::OnceLock;

use sqlparser::tokenizer::Token;

use super::cursor::{scan, scan_tokens, Clause, Expect, RelationKind, Role, Tok};
use super::scope::{Resolver, Target};
use super::{Analysis, Cancellable};
use crate::base::{Db, ModelFile};
use crate::dialect::Dialect;
use crate::hir;

/// What a completion item stands for (the editor picks an icon from it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum CompletionKind {
    Model,
    Source,
    Cte,
    Column,
    Function,
    Keyword,
    Alias,
}

/// One completion proposal.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    /// Type of a column, signature of a function, target of a model.
    pub detail: Option<String>,
    pub documentation: Option<String>,
    /// Text to insert when it differs from the label (functions insert `name(`).
    pub insert_text: Option<String>,
    /// Sort key: columns before functions before keywords in expressions.
    pub sort_text: Option<String>,
}

impl Analysis {
    /// Completions at byte `offset` of a model file; empty for other files, inside comments and
    /// strings, and where a new name is being declared (aliases, CTE names).
    pub fn completions(&self, path: &str, offset: u32) -> Cancellable<Vec<CompletionItem>> {
        let in_sidecar = path.to_string();
        if let Some(items) = self.with_db(move |db| {
            super::sidecar::sidecar_model(db, &in_sidecar).map(|f| super::sidecar::completions(db, f, offset))
        })? {
            return Ok(items);
        }
        self.with_model(path, move |db, file| complete(db, file, offset))
    }
}

/// Ranks in `sort_text`: what is most likely wanted first.
const RANK_COLUMN: u8 = 0;
const RANK_ALIAS: u8 = 1;
const RANK_FUNCTION: u8 = 2;
const RANK_KEYWORD: u8 = 3;
const RANK_CTE: u8 = 0;
const RANK_MODEL: u8 = 1;
const RANK_SOURCE: u8 = 2;

fn complete(db: &dyn Db, file: ModelFile, offset: u32) -> Vec<CompletionItem> {
    let text = file.sql(db);
    if offset as usize > text.len() || !text.is_char_boundary(offset as usize) {
        return Vec::new();
    }
    let scan = scan(text);
    // The word being typed, if any.
    let (prefix, word_start) = match scan.token_at(offset).map(|i| &scan.toks[i]) {
        Some(t) if inside_literal(t, text, offset) => return Vec::new(),
        Some(t) if matches!(t.token, Token::Number(..)) => return Vec::new(),
        Some(t) if matches!(t.token, Token::Word(_)) => {
            let typed = text.get(t.range.start as usize..offset as usize).unwrap_or("");
            (typed.trim_start_matches('"').to_string(), t.range.start)
        }
        _ => (String::new(), offset),
    };
    // A qualifier chain before it: `o.`, `raw.`, `db.raw.`.
    let mut qualifier: Vec<String> = Vec::new();
    let mut cut = scan.toks.iter().position(|t| t.range.start >= word_start).unwrap_or(scan.toks.len());
    let mut before = scan.token_before(word_start);
    while let Some(p) = before.filter(|&p| matches!(scan.toks[p].token, Token::Period)) {
        let Some(w) = scan.prev_sig(p).filter(|&w| matches!(scan.toks[w].token, Token::Word(_))) else { break };
        qualifier.insert(0, scan.toks[w].word().unwrap_or_default().to_string());
        cut = w;
        before = scan.prev_sig(w);
    }
    let state = scan_tokens(scan.toks[..cut].to_vec());
    let Some(frame) = state.frames.last() else { return Vec::new() };
    let resolver = Resolver::new(db, file, &scan);
    let mut items = if !qualifier.is_empty() {
        if frame.expect == Expect::Table {
            tables_in_schema(db, &qualifier)
        } else {
            qualified_columns(&resolver, frame.scope(), &qualifier)
        }
    } else {
        match frame.expect {
            Expect::Table => tables(&resolver, file),
            Expect::Alias | Expect::CteName | Expect::ColumnAlias => Vec::new(),
            Expect::AfterTable => keywords(AFTER_TABLE),
            // In FROM after an alias, or after LEFT / FULL / NATURAL / … before JOIN.
            Expect::Expr if frame.clause == Clause::From => {
                let join_word = scan.prev_sig(cut).is_some_and(|p| scan.roles[p] == Role::Keyword);
                keywords(if join_word { JOIN_CONTINUATION } else { AFTER_TABLE })
            }
            Expect::CteBody => keywords(&["AS"]),
            Expect::Type => keywords(TYPES),
            // At the start, or after a WITH's CTEs.
            Expect::Expr
                if matches!(frame.clause, Clause::None | Clause::With)
                    && frame.select.is_none()
                    && frame.call.is_none() =>
            {
                keywords(STATEMENT_START)
            }
            Expect::Expr => expression(&resolver, frame.scope(), frame.clause, &prefix.to_lowercase()),
        }
    };
    let prefix = prefix.to_lowercase();
    items.retain(|i| matches_prefix(&i.label, &prefix));
    items.sort_by(|a, b| a.sort_text.cmp(&b.sort_text).then_with(|| a.label.cmp(&b.label)));
    items
}

/// The cursor is inside a comment or string (not just after its end).
fn inside_literal(t: &Tok, text: &str, offset: u32) -> bool {
    if !(t.is_comment() || t.is_string()) {
        return false;
    }
    if offset < t.range.end {
        return true;
    }
    let body = text.get(t.range.start as usize..t.range.end as usize).unwrap_or("");
    if t.is_comment() {
        // A `--` comment at the end of the text is still being typed; a closed one is not.
        return body.starts_with("--") && !body.ends_with('\n') || body.starts_with("/*") && !body.ends_with("*/");
    }
    // An unterminated string (the rest of the text) is still open.
    body.len() < 2 || !(body.ends_with('\'') || body.ends_with('"') || body.ends_with('$'))
}

/// Case-insensitive prefix match on the label or, for dotted labels, any of its parts.
fn matches_prefix(label: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || label.to_lowercase().starts_with(prefix)
        || label.split('.').any(|part| part.to_lowercase().starts_with(prefix))
}

fn item(label: String, kind: CompletionKind, detail: Option<String>, rank: u8) -> CompletionItem {
    let sort_text = Some(format!("{rank}_{}", label.to_lowercase()));
    CompletionItem { label, kind, detail, documentation: None, insert_text: None, sort_text }
}

/// Models, cached sources and CTEs, for FROM / JOIN.
fn tables(r: &Resolver, file: ModelFile) -> Vec<CompletionItem> {
    let db = r.db;
    let mut out = Vec::new();
    for (i, cte) in r.scan.ctes.iter().enumerate() {
        let n = r.target_columns(&Target::Cte(i), 0).len();
        out.push(item(cte.name.clone(), CompletionKind::Cte, Some(format!("CTE · {}", columns_word(n))), RANK_CTE));
    }
    for &m in db.project().models(db) {
        if m == file {
            continue;
        }
        let settings = hir::model_settings(db, m);
        let n = hir::model_schema(db, m).columns.len();
        let mut it = item(
            settings.name.clone(),
            CompletionKind::Model,
            Some(format!("model → {} · {}", settings.target, columns_word(n))),
            RANK_MODEL,
        );
        it.documentation = Some(m.path(db).clone());
        out.push(it);
    }
    let catalog = hir::default_catalog(db);
    for key in hir::source_keys(db).iter().filter(|k| offered_as_source(db, k)) {
        let label = match key.split_once('.') {
            Some((c, rest)) if c.eq_ignore_ascii_case(catalog) => rest.to_string(),
            _ => key.clone(),
        };
        let n = hir::lookup_source(db, key).map_or(0, |s| s.columns.len());
        out.push(item(label, CompletionKind::Source, Some(format!("source · {}", columns_word(n))), RANK_SOURCE));
    }
    out
}

/// Whether a cached table is offered as a source: not what a run built — a model's target
/// (offered as the model), a table marked as built, or one in a branch or shadow schema.
fn offered_as_source(db: &dyn Db, key: &str) -> bool {
    hir::model_index(db).by_target(key).is_none() && !db.project().sources(db).snapshot(db).is_build_output(key)
}

fn columns_word(n: usize) -> String {
    if n == 1 {
        "1 column".to_string()
    } else {
        format!("{n} columns")
    }
}

/// After `schema.` (or `catalog.schema.`) in FROM: that schema's cached tables and models.
fn tables_in_schema(db: &dyn Db, qualifier: &[String]) -> Vec<CompletionItem> {
    let catalog = hir::default_catalog(db).to_lowercase();
    let want: String = match qualifier {
        [schema] => format!("{catalog}.{}.", schema.to_lowercase()),
        [c, schema] => format!("{}.{}.", c.to_lowercase(), schema.to_lowercase()),
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    for key in hir::source_keys(db) {
        if let Some(table) = key.strip_prefix(&want) {
            if offered_as_source(db, key) {
                let n = hir::lookup_source(db, key).map_or(0, |s| s.columns.len());
                out.push(item(
                    table.to_string(),
                    CompletionKind::Source,
                    Some(format!("source · {}", columns_word(n))),
                    RANK_SOURCE,
                ));
            }
        }
    }
    for &m in db.project().models(db) {
        let settings = hir::model_settings(db, m);
        if settings.target.key().starts_with(&want) {
            let n = hir::model_schema(db, m).columns.len();
            out.push(item(
                settings.target.table.clone(),
                CompletionKind::Model,
                Some(format!("model {} · {}", settings.name, columns_word(n))),
                RANK_MODEL,
            ));
        }
    }
    out
}

/// After `alias.`: that relation's columns only.
fn qualified_columns(r: &Resolver, scope: Option<usize>, qualifier: &[String]) -> Vec<CompletionItem> {
    let Some(rel) = r.relation_named(scope, qualifier) else { return Vec::new() };
    let mut seen = std::collections::HashSet::new();
    r.relation_columns(rel)
        .into_iter()
        .filter(|c| seen.insert(c.name.to_lowercase()))
        .map(|c| item(c.name, CompletionKind::Column, c.ty, RANK_COLUMN))
        .collect()
}

/// In an expression: columns and aliases in scope, functions, keywords.
fn expression(r: &Resolver, scope: Option<usize>, clause: Clause, prefix: &str) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    // Columns: name → (label, type, the relations that have it).
    let mut columns: Vec<(String, Option<String>, Vec<String>)> = Vec::new();
    let chain = r.scope_chain(scope);
    for (depth, &s) in chain.iter().enumerate() {
        for &rel in &r.scan.selects[s].relations {
            let relation = &r.scan.relations[rel];
            let shown = relation.visible_name().unwrap_or("subquery").to_string();
            if depth == 0 {
                if let Some(a) = relation.visible_name() {
                    let detail = match &relation.kind {
                        RelationKind::Named(parts) if relation.alias.is_some() => {
                            Some(format!("alias of {}", parts.join(".")))
                        }
                        RelationKind::Derived(_) => Some("subquery".to_string()),
                        _ => Some("table".to_string()),
                    };
                    if !out.iter().any(|i: &CompletionItem| i.label.eq_ignore_ascii_case(a)) {
                        out.push(item(a.to_string(), CompletionKind::Alias, detail, RANK_ALIAS));
                    }
                }
            }
            for c in r.relation_columns(rel) {
                match columns.iter_mut().find(|(n, _, _)| n.eq_ignore_ascii_case(&c.name)) {
                    Some((_, _, rels)) if depth == 0 => rels.push(shown.clone()),
                    Some(_) => {}
                    None => columns.push((c.name, c.ty, vec![shown.clone()])),
                }
            }
        }
    }
    // Output names may be used in GROUP BY, HAVING, QUALIFY and ORDER BY.
    if matches!(clause, Clause::GroupBy | Clause::Having | Clause::Qualify | Clause::OrderBy) {
        if let Some(&s) = chain.first() {
            for item in r.scan.select_items(s) {
                if let Some(name) = item.name {
                    if !columns.iter().any(|(n, _, _)| n.eq_ignore_ascii_case(&name)) {
                        columns.push((name, None, vec!["output column".to_string()]));
                    }
                }
            }
        }
    }
    for (name, ty, rels) in columns {
        let from =
            if rels.len() > 1 { format!("{} (ambiguous: qualify it)", rels.join(", ")) } else { rels.join(", ") };
        let detail = match ty {
            Some(t) => format!("{t} · {from}"),
            None => from,
        };
        out.push(item(name, CompletionKind::Column, Some(detail), RANK_COLUMN));
    }
    out.extend(function_items(*hir::project_dialect(r.db)).iter().filter(|i| i.label.starts_with(prefix)).cloned());
    out.extend(keywords(match clause {
        Clause::Select => SELECT_KEYWORDS,
        Clause::From | Clause::On => ON_KEYWORDS,
        Clause::Where | Clause::Having | Clause::Qualify => WHERE_KEYWORDS,
        Clause::GroupBy => GROUP_KEYWORDS,
        Clause::OrderBy => ORDER_KEYWORDS,
        _ => EXPRESSION_KEYWORDS,
    }));
    out
}

/// One item per catalog function (built once: the catalog is static and has ~700 names).
fn function_items(dialect: Dialect) -> &'static [CompletionItem] {
    static DUCKDB: OnceLock<Vec<CompletionItem>> = OnceLock::new();
    static POSTGRES: OnceLock<Vec<CompletionItem>> = OnceLock::new();
    static SPARK: OnceLock<Vec<CompletionItem>> = OnceLock::new();
    let items = match dialect {
        Dialect::DuckDb => &DUCKDB,
        Dialect::Postgres => &POSTGRES,
        Dialect::Spark => &SPARK,
    };
    items.get_or_init(|| {
        let catalog = dialect;
        catalog
            .function_names()
            .filter(|name| name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
            .map(|name| {
                let sigs = catalog.signatures(name);
                let detail = sigs.first().map(|s| match sigs.len() {
                    1 => s.clone(),
                    n => format!("{s} (+{} overloads)", n - 1),
                });
                let mut it = item(name.to_string(), CompletionKind::Function, detail, RANK_FUNCTION);
                it.documentation = catalog.description(name).map(str::to_string);
                it.insert_text = Some(format!("{name}("));
                it
            })
            .collect()
    })
}

fn keywords(words: &[&str]) -> Vec<CompletionItem> {
    words.iter().map(|w| item(w.to_string(), CompletionKind::Keyword, None, RANK_KEYWORD)).collect()
}

const STATEMENT_START: &[&str] = &["SELECT", "WITH", "FROM"];
const EXPRESSION_KEYWORDS: &[&str] = &[
    "AND", "OR", "NOT", "NULL", "IS", "IN", "LIKE", "BETWEEN", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "TRUE",
    "FALSE",
];
const SELECT_KEYWORDS: &[&str] = &[
    "FROM",
    "AS",
    "DISTINCT",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "CAST",
    "NULL",
    "AND",
    "OR",
    "NOT",
    "OVER",
    "PARTITION BY",
    "FILTER",
    "EXCLUDE",
    "REPLACE",
];
const WHERE_KEYWORDS: &[&str] = &[
    "AND", "OR", "NOT", "NULL", "IS", "IN", "LIKE", "ILIKE", "BETWEEN", "EXISTS", "CASE", "CAST", "TRUE", "FALSE",
    "GROUP BY", "ORDER BY", "LIMIT", "QUALIFY",
];
const ON_KEYWORDS: &[&str] =
    &["AND", "OR", "NOT", "IS", "NULL", "IN", "BETWEEN", "WHERE", "JOIN", "LEFT JOIN", "GROUP BY"];
const GROUP_KEYWORDS: &[&str] = &["ALL", "HAVING", "ORDER BY", "QUALIFY", "LIMIT", "ROLLUP", "CUBE", "GROUPING SETS"];
const ORDER_KEYWORDS: &[&str] = &["ASC", "DESC", "NULLS FIRST", "NULLS LAST", "ALL", "LIMIT"];
const AFTER_TABLE: &[&str] = &[
    "AS",
    "JOIN",
    "LEFT JOIN",
    "INNER JOIN",
    "FULL JOIN",
    "CROSS JOIN",
    "ASOF JOIN",
    "ON",
    "USING",
    "WHERE",
    "GROUP BY",
    "HAVING",
    "QUALIFY",
    "ORDER BY",
    "LIMIT",
    "UNION ALL",
];
const JOIN_CONTINUATION: &[&str] = &["JOIN", "OUTER JOIN", "SEMI JOIN", "ANTI JOIN"];
const TYPES: &[&str] = &[
    "BIGINT",
    "BOOLEAN",
    "DATE",
    "DECIMAL",
    "DOUBLE",
    "FLOAT",
    "HUGEINT",
    "INTEGER",
    "INTERVAL",
    "JSON",
    "SMALLINT",
    "TIME",
    "TIMESTAMP",
    "TIMESTAMPTZ",
    "TINYINT",
    "UBIGINT",
    "UINTEGER",
    "UUID",
    "VARCHAR",
];
