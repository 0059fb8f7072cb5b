//! Semantic highlighting: every token of a model's SQL classified by what it refers to.

use sqlparser::tokenizer::Token;

use super::cursor::{scan, Role, Tok};
use super::scope::{Resolver, Target};
use super::{Analysis, Cancellable};
use crate::diagnostics::TextRange;

/// What a highlighted token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum SemanticTokenKind {
    Keyword,
    Model,
    Source,
    Cte,
    Column,
    Alias,
    Function,
    String,
    Number,
    Comment,
    Operator,
    Type,
    Parameter,
}

/// One highlighted range; always within one line.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SemanticToken {
    pub range: TextRange,
    pub kind: SemanticTokenKind,
    /// Bit set of modifiers; see the `MODIFIER_*` constants.
    pub modifiers: u32,
}

/// Modifier bit: the token declares the name (CTE name, table alias, output column alias).
pub const MODIFIER_DECLARATION: u32 = 1;
/// Modifier bit: a function of DuckDB's catalog (rather than a user macro or table function).
pub const MODIFIER_DEFAULT_LIBRARY: u32 = 4;

impl Analysis {
    /// Semantic tokens of a model file: sorted, non-overlapping, single-line (multi-line comments
    /// and strings are split per line). Table names are classified by what they resolve to
    /// (model, cached source, CTE); unresolved tables count as sources.
    pub fn semantic_tokens(&self, path: &str) -> Cancellable<Vec<SemanticToken>> {
        self.with_model(path, |db, file| {
            let text = file.sql(db);
            let scan = scan(text);
            let resolver = Resolver::new(db, file, &scan);
            let mut out = Vec::new();
            for (i, t) in scan.toks.iter().enumerate() {
                let Some((kind, modifiers)) = classify(&resolver, i, t) else { continue };
                for range in split_lines(text, t.range) {
                    out.push(SemanticToken { range, kind, modifiers });
                }
            }
            out
        })
    }
}

fn classify(r: &Resolver, i: usize, t: &Tok) -> Option<(SemanticTokenKind, u32)> {
    use SemanticTokenKind as K;
    if t.is_comment() {
        return Some((K::Comment, 0));
    }
    if t.is_string() {
        return Some((K::String, 0));
    }
    match &t.token {
        Token::Number(..) => return Some((K::Number, 0)),
        Token::Placeholder(_) => return Some((K::Parameter, 0)),
        Token::Word(_) => {}
        _ if t.is_operator() => return Some((K::Operator, 0)),
        _ => return None,
    }
    let kind = match r.scan.roles[i] {
        Role::None => return None,
        Role::Keyword => K::Keyword,
        Role::Table(rel) => target_kind(&r.target(rel)),
        Role::TableAlias => return Some((K::Alias, MODIFIER_DECLARATION)),
        Role::CteName => return Some((K::Cte, MODIFIER_DECLARATION)),
        Role::ColumnDecl => return Some((K::Column, MODIFIER_DECLARATION)),
        Role::Function => {
            let builtin = crate::hir::project_dialect(r.db).function_kind(t.word().unwrap_or_default()).is_some();
            return Some((K::Function, if builtin { MODIFIER_DEFAULT_LIBRARY } else { 0 }));
        }
        Role::Type => K::Type,
        Role::Qualifier => {
            let name = t.word().unwrap_or_default().to_string();
            match r.relation_named(r.scan.scopes[i], std::slice::from_ref(&name)) {
                Some(rel) if r.scan.relations[rel].alias.is_some() => K::Alias,
                Some(rel) => target_kind(&r.target(rel)),
                None => K::Column,
            }
        }
        Role::Column => K::Column,
    };
    Some((kind, 0))
}

fn target_kind(target: &Target) -> SemanticTokenKind {
    match target {
        Target::Model(_) => SemanticTokenKind::Model,
        Target::Cte(_) => SemanticTokenKind::Cte,
        Target::Derived(_) => SemanticTokenKind::Alias,
        Target::Source(_) | Target::Unknown => SemanticTokenKind::Source,
    }
}

/// The parts of `range` on each line, without line breaks; empty parts dropped.
fn split_lines(text: &str, range: TextRange) -> Vec<TextRange> {
    let Some(body) = text.get(range.start as usize..range.end as usize) else { return Vec::new() };
    let mut out = Vec::new();
    let mut start = range.start;
    for line in body.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if !content.is_empty() {
            out.push(TextRange::new(start, start + content.len() as u32));
        }
        start += line.len() as u32;
    }
    out
}
