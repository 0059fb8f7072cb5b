//! A token-level reading of SQL as typed in an editor. The statement is often incomplete
//! (`SELECT o. FROM orders o`), so completion, signature help and highlighting cannot rely on
//! the parse: this module tokenizes with sqlparser's DuckDB tokenizer (keeping what it read
//! before an unterminated string or comment) and runs one forgiving pass that knows, for every
//! token, which clause it is in, whether it names a table, alias, CTE, function or type, and
//! which SELECT's FROM clause is in scope.

use crate::syntax::RockyDialect;
use sqlparser::keywords::{Keyword, RESERVED_FOR_TABLE_ALIAS};
use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

use crate::diagnostics::TextRange;
use crate::syntax::SpanMap;

/// One token with its byte range and paren depth (a `(` and its `)` have the outer depth).
#[derive(Clone, Debug)]
pub(super) struct Tok {
    pub token: Token,
    pub range: TextRange,
    pub depth: u32,
}

impl Tok {
    pub fn is_trivia(&self) -> bool {
        matches!(self.token, Token::Whitespace(_))
    }
    pub fn is_comment(&self) -> bool {
        matches!(self.token, Token::Whitespace(Whitespace::SingleLineComment { .. } | Whitespace::MultiLineComment(_)))
    }
    /// The identifier value (unquoted) of a word token.
    pub fn word(&self) -> Option<&str> {
        match &self.token {
            Token::Word(w) => Some(w.value.as_str()),
            _ => None,
        }
    }
    pub fn is_quoted(&self) -> bool {
        matches!(&self.token, Token::Word(w) if w.quote_style.is_some())
    }
    /// The keyword of an unquoted word.
    pub fn keyword(&self) -> Keyword {
        match &self.token {
            Token::Word(w) if w.quote_style.is_none() => w.keyword,
            _ => Keyword::NoKeyword,
        }
    }
    pub fn is_kw(&self, kw: Keyword) -> bool {
        self.keyword() == kw
    }
    pub fn is_string(&self) -> bool {
        matches!(
            self.token,
            Token::SingleQuotedString(_)
                | Token::DoubleQuotedString(_)
                | Token::TripleSingleQuotedString(_)
                | Token::TripleDoubleQuotedString(_)
                | Token::DollarQuotedString(_)
                | Token::SingleQuotedByteStringLiteral(_)
                | Token::DoubleQuotedByteStringLiteral(_)
                | Token::TripleSingleQuotedByteStringLiteral(_)
                | Token::TripleDoubleQuotedByteStringLiteral(_)
                | Token::SingleQuotedRawStringLiteral(_)
                | Token::DoubleQuotedRawStringLiteral(_)
                | Token::TripleSingleQuotedRawStringLiteral(_)
                | Token::TripleDoubleQuotedRawStringLiteral(_)
                | Token::NationalStringLiteral(_)
                | Token::QuoteDelimitedStringLiteral(_)
                | Token::NationalQuoteDelimitedStringLiteral(_)
                | Token::EscapedStringLiteral(_)
                | Token::UnicodeStringLiteral(_)
                | Token::HexStringLiteral(_)
        )
    }
    /// Operators (not punctuation such as `,` `(` `.` `;`).
    pub fn is_operator(&self) -> bool {
        !matches!(
            self.token,
            Token::Word(_)
                | Token::Number(..)
                | Token::Whitespace(_)
                | Token::Comma
                | Token::LParen
                | Token::RParen
                | Token::Period
                | Token::SemiColon
                | Token::LBracket
                | Token::RBracket
                | Token::LBrace
                | Token::RBrace
                | Token::EOF
                | Token::Placeholder(_)
                | Token::Char(_)
        ) && !self.is_string()
    }
}

/// Tokenizes `text`. Never fails: after an unterminated string, quoted name or comment, the
/// rest of the text becomes one token of that kind, as an editor shows it while typing.
pub(super) fn lex(text: &str) -> Vec<Tok> {
    let dialect = RockyDialect;
    let mut buf = Vec::new();
    let _ = Tokenizer::new(&dialect, text).with_unescape(false).tokenize_with_location_into_buf(&mut buf);
    let spans = SpanMap::new(text);
    let len = text.len() as u32;
    let mut out: Vec<Tok> = Vec::with_capacity(buf.len());
    let mut pos = 0u32;
    for t in buf {
        if matches!(t.token, Token::EOF) {
            continue;
        }
        let start = spans.offset(t.span.start).unwrap_or(pos).max(pos).min(len);
        let end = spans.offset(t.span.end).unwrap_or(start).clamp(start, len);
        if end == start {
            continue;
        }
        pos = end;
        out.push(Tok { token: t.token, range: TextRange::new(start, end), depth: 0 });
    }
    let rest = text.get(pos as usize..).unwrap_or("");
    let trimmed = rest.trim_start();
    if !trimmed.is_empty() {
        let start = pos + (rest.len() - trimmed.len()) as u32;
        if start > pos {
            out.push(Tok { token: Token::Whitespace(Whitespace::Space), range: TextRange::new(pos, start), depth: 0 });
        }
        let token = if trimmed.starts_with("--") || trimmed.starts_with("/*") {
            Token::Whitespace(Whitespace::MultiLineComment(trimmed.to_string()))
        } else if let Some(name) = trimmed.strip_prefix('"') {
            Token::Word(sqlparser::tokenizer::Word {
                value: name.to_string(),
                quote_style: Some('"'),
                keyword: Keyword::NoKeyword,
            })
        } else if trimmed.starts_with('\'') || trimmed.starts_with('$') {
            Token::SingleQuotedString(trimmed.to_string())
        } else {
            Token::Char(trimmed.chars().next().unwrap_or(' '))
        };
        out.push(Tok { token, range: TextRange::new(start, len), depth: 0 });
    }
    let mut depth = 0u32;
    for t in &mut out {
        match t.token {
            Token::LParen => {
                t.depth = depth;
                depth += 1;
            }
            Token::RParen => {
                depth = depth.saturating_sub(1);
                t.depth = depth;
            }
            _ => t.depth = depth,
        }
    }
    out
}

/// What a token names, as far as the token stream tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    /// Punctuation, literals, keywords: nothing to resolve.
    None,
    /// A keyword in keyword position.
    Keyword,
    /// Part of a table name in FROM / JOIN (`index` into [`Scan::relations`]).
    Table(usize),
    /// A table alias declared in FROM.
    TableAlias,
    /// A CTE's declared name.
    CteName,
    /// A column name declared in a CTE's column list or as a select item alias.
    ColumnDecl,
    /// A function name (the word before a call's parenthesis).
    Function,
    /// A type name (after `::` or in `CAST(x AS …)`).
    Type,
    /// A word followed by `.` in an expression: a table alias, table or CTE qualifier.
    Qualifier,
    /// Any other identifier in an expression: a column (or a keyword used as a value).
    Column,
}

/// The clause a token belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Clause {
    None,
    With,
    Select,
    From,
    On,
    Where,
    GroupBy,
    Having,
    Qualify,
    Window,
    OrderBy,
    Limit,
}

/// What the next word in a frame would be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Expect {
    /// An expression or keyword.
    Expr,
    /// A table name (after FROM, JOIN, or a comma in FROM).
    Table,
    /// After a table reference: an alias or the next clause keyword.
    AfterTable,
    /// After `AS` in FROM: an alias.
    Alias,
    /// After WITH or a comma between CTEs: a CTE name.
    CteName,
    /// After a CTE name: its column list, AS, or the body.
    CteBody,
    /// After `AS` in a select list: an output name.
    ColumnAlias,
    /// After `::` or `AS` inside CAST: a type.
    Type,
}

/// How a table reference is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum RelationKind {
    /// `schema.table`, `model`, `cte` — the parts as written.
    Named(Vec<String>),
    /// `(SELECT …)`: the select id of the subquery's first SELECT.
    Derived(Option<usize>),
    /// `read_csv(…)` and other table functions: columns unknown.
    Function,
}

/// One entry of a FROM clause.
#[derive(Clone, Debug)]
pub(super) struct Relation {
    pub kind: RelationKind,
    pub alias: Option<String>,
    pub alias_range: Option<TextRange>,
    /// Column names from `alias(a, b)`, which rename the relation's first columns.
    pub alias_columns: Vec<String>,
    /// The name (or the subquery's parentheses).
    pub range: TextRange,
}

impl Relation {
    /// The name the relation is visible as in expressions (alias, else the last name part).
    pub fn visible_name(&self) -> Option<&str> {
        match (&self.alias, &self.kind) {
            (Some(a), _) => Some(a),
            (None, RelationKind::Named(parts)) => parts.last().map(String::as_str),
            _ => None,
        }
    }
}

/// One SELECT: where it starts, its enclosing SELECT, its FROM entries and select items.
#[derive(Clone, Debug, Default)]
pub(super) struct SelectInfo {
    /// Index of the SELECT token in [`Scan::toks`].
    pub token: usize,
    pub parent: Option<usize>,
    pub relations: Vec<usize>,
    /// Each select item's token index range `[start, end)`.
    pub items: Vec<(usize, usize)>,
    /// Token index where the select list ends (FROM or the end of the SELECT).
    pub list_end: usize,
    /// Token index just past the SELECT's last token (a set operation, `)` or the end).
    pub end: usize,
}

/// A CTE declaration.
#[derive(Clone, Debug)]
pub(super) struct Cte {
    pub name: String,
    pub name_range: TextRange,
    /// Columns from `name(a, b) AS (…)`.
    pub columns: Vec<(String, TextRange)>,
    /// The first SELECT of the body.
    pub select: Option<usize>,
    /// From the name to the body's closing parenthesis (or the end of the text).
    pub range: TextRange,
}

/// Per-paren-level state of the pass.
#[derive(Clone, Debug)]
pub(super) struct Frame {
    pub clause: Clause,
    pub expect: Expect,
    /// The SELECT of this level (None until one appears).
    pub select: Option<usize>,
    /// SELECT in scope at the opening parenthesis.
    pub outer: Option<usize>,
    /// Function name when this level is a call's argument list.
    pub call: Option<String>,
    /// This level is a FROM subquery: the relation index it fills.
    pub derived: Option<usize>,
    /// This level is a CTE body: index into [`Scan::ctes`].
    pub cte: Option<usize>,
    /// This level is a CTE's column list.
    pub cte_columns: Option<usize>,
    /// This level is a table alias's column list: the relation it renames.
    pub alias_columns: Option<usize>,
}

impl Frame {
    fn new(outer: Option<usize>) -> Self {
        Frame {
            clause: Clause::None,
            expect: Expect::Expr,
            select: None,
            outer,
            call: None,
            derived: None,
            cte: None,
            cte_columns: None,
            alias_columns: None,
        }
    }
    /// The SELECT whose FROM clause names are in scope here.
    pub fn scope(&self) -> Option<usize> {
        self.select.or(self.outer)
    }
}

/// The result of the pass over a text.
#[derive(Clone, Debug, Default)]
pub(super) struct Scan {
    pub toks: Vec<Tok>,
    /// Role of each token (parallel to `toks`).
    pub roles: Vec<Role>,
    /// Clause of each token (parallel to `toks`).
    pub clauses: Vec<Clause>,
    /// Innermost SELECT in scope at each token (parallel to `toks`).
    pub scopes: Vec<Option<usize>>,
    pub selects: Vec<SelectInfo>,
    pub relations: Vec<Relation>,
    pub ctes: Vec<Cte>,
    /// The frame stack after the last token.
    pub frames: Vec<Frame>,
}

const SET_OPS: &[Keyword] = &[Keyword::UNION, Keyword::EXCEPT, Keyword::INTERSECT];
const JOIN_WORDS: &[Keyword] = &[
    Keyword::JOIN,
    Keyword::LEFT,
    Keyword::RIGHT,
    Keyword::INNER,
    Keyword::FULL,
    Keyword::OUTER,
    Keyword::CROSS,
    Keyword::NATURAL,
    Keyword::ASOF,
    Keyword::SEMI,
    Keyword::ANTI,
];

/// Scans a whole text.
pub(super) fn scan(text: &str) -> Scan {
    scan_tokens(lex(text))
}

/// Scans tokens (a prefix of a text's tokens gives the state at a cursor).
pub(super) fn scan_tokens(toks: Vec<Tok>) -> Scan {
    let n = toks.len();
    let mut s = Scan {
        roles: vec![Role::None; n],
        clauses: vec![Clause::None; n],
        scopes: vec![None; n],
        frames: vec![Frame::new(None)],
        ..Scan::default()
    };
    let sig: Vec<usize> = (0..n).filter(|&i| !toks[i].is_trivia()).collect();
    s.toks = toks;
    for (k, &i) in sig.iter().enumerate() {
        let prev = k.checked_sub(1).map(|p| sig[p]);
        let next = sig.get(k + 1).copied();
        s.step(i, prev, next);
        if let Some(f) = s.frames.last() {
            s.clauses[i] = f.clause;
            s.scopes[i] = f.scope();
        }
    }
    let end = s.toks.len();
    for sel in &mut s.selects {
        if sel.end == 0 {
            sel.end = end;
        }
        if sel.list_end == 0 {
            sel.list_end = sel.end;
        }
    }
    // Select items: split each list at its own depth's commas.
    for id in 0..s.selects.len() {
        let (start, list_end) = (s.selects[id].token + 1, s.selects[id].list_end);
        let depth = s.toks.get(s.selects[id].token).map_or(0, |t| t.depth);
        let mut items = Vec::new();
        let mut item_start = start;
        for i in start..list_end.min(end) {
            let t = &s.toks[i];
            if t.depth == depth && matches!(t.token, Token::Comma) {
                items.push((item_start, i));
                item_start = i + 1;
            }
        }
        items.push((item_start, list_end.min(end)));
        items.retain(|&(a, b)| (a..b).any(|i| !s.toks[i].is_trivia()));
        s.selects[id].items = items;
    }
    s
}

impl Scan {
    fn frame(&mut self) -> &mut Frame {
        if self.frames.is_empty() {
            self.frames.push(Frame::new(None));
        }
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    fn next_is(&self, next: Option<usize>, token: &Token) -> bool {
        next.is_some_and(|j| &self.toks[j].token == token)
    }

    fn close_select(&mut self, i: usize) {
        if let Some(sel) = self.frame().select {
            if let Some(info) = self.selects.get_mut(sel) {
                if info.end == 0 {
                    info.end = i;
                }
                if info.list_end == 0 {
                    info.list_end = i;
                }
            }
        }
    }

    fn step(&mut self, i: usize, prev: Option<usize>, next: Option<usize>) {
        let tok = self.toks[i].clone();
        let expect = self.frame().expect;
        match &tok.token {
            Token::LParen => self.open_paren(i, prev, next),
            Token::RParen if self.frames.len() > 1 => {
                self.close_select(i);
                let Some(closed) = self.frames.pop() else { return };
                if let Some(cte) = closed.cte.and_then(|c| self.ctes.get_mut(c)) {
                    cte.range = cte.range.cover(tok.range);
                }
                if let Some(rel) = closed.derived.and_then(|r| self.relations.get_mut(r)) {
                    rel.range = rel.range.cover(tok.range);
                }
                let f = self.frame();
                f.expect = if closed.derived.is_some() {
                    Expect::AfterTable
                } else if closed.cte_columns.is_some() {
                    Expect::CteBody
                } else if closed.cte.is_some() || f.expect == Expect::Type {
                    Expect::Expr
                } else {
                    f.expect
                };
            }
            Token::Comma => {
                let f = self.frame();
                if f.cte_columns.is_some() || f.alias_columns.is_some() {
                    return;
                }
                match f.clause {
                    Clause::From if f.call.is_none() => f.expect = Expect::Table,
                    Clause::With => f.expect = Expect::CteName,
                    _ => f.expect = Expect::Expr,
                }
            }
            Token::DoubleColon => self.frame().expect = Expect::Type,
            Token::Period => {}
            Token::SemiColon => {
                self.close_select(i);
                self.frames = vec![Frame::new(None)];
            }
            Token::Word(_) => self.word(i, prev, next, expect),
            _ => {
                let f = self.frame();
                // `DECIMAL(10, 2)` keeps expecting a type; anything else ends a name position.
                let type_argument = f.expect == Expect::Type && matches!(tok.token, Token::Number(..));
                if !type_argument
                    && matches!(f.expect, Expect::AfterTable | Expect::Alias | Expect::ColumnAlias | Expect::Type)
                {
                    f.expect = Expect::Expr;
                }
            }
        }
    }

    fn open_paren(&mut self, i: usize, prev: Option<usize>, next: Option<usize>) {
        let outer = self.frame().scope();
        let expect = self.frame().expect;
        let clause = self.frame().clause;
        let mut f = Frame::new(outer);
        let prev_tok = prev.map(|p| self.toks[p].clone());
        let next_starts_query =
            next.is_some_and(|j| self.toks[j].is_kw(Keyword::SELECT) || self.toks[j].is_kw(Keyword::WITH));
        match expect {
            Expect::Table if next_starts_query => {
                let r = self.relations.len();
                self.relations.push(Relation {
                    kind: RelationKind::Derived(None),
                    alias: None,
                    alias_range: None,
                    alias_columns: Vec::new(),
                    range: self.toks[i].range,
                });
                if let Some(sel) = self.frame().scope() {
                    self.selects[sel].relations.push(r);
                }
                f.derived = Some(r);
            }
            Expect::Table => {
                // `FROM (a JOIN b)`: the parenthesis continues the FROM clause of the outer
                // SELECT (which stays `outer`, so closing the parenthesis does not end it).
                f.clause = Clause::From;
                f.expect = Expect::Table;
            }
            Expect::CteBody => {
                let c = self.ctes.len().checked_sub(1);
                if next_starts_query
                    || prev_tok.as_ref().is_some_and(|p| p.is_kw(Keyword::AS) || p.is_kw(Keyword::MATERIALIZED))
                {
                    f.cte = c;
                    f.outer = None;
                } else {
                    f.cte_columns = c;
                }
            }
            Expect::Type => {
                // `DECIMAL(10, 2)`: stays a type.
                f.expect = Expect::Type;
            }
            _ if prev.is_some_and(|p| self.roles[p] == Role::TableAlias) => f.alias_columns = self.last_relation(),
            _ => {
                if let Some(p) = prev_tok.as_ref().filter(|p| matches!(p.token, Token::Word(_))) {
                    f.call = p.word().map(str::to_ascii_lowercase);
                }
                if clause == Clause::From && f.call.is_none() && !next_starts_query {
                    f.clause = Clause::From;
                }
            }
        }
        self.frames.push(f);
    }

    fn word(&mut self, i: usize, prev: Option<usize>, next: Option<usize>, expect: Expect) {
        let tok = self.toks[i].clone();
        let kw = tok.keyword();
        let prev_tok = prev.map(|p| self.toks[p].clone());
        let after_period = prev_tok.as_ref().is_some_and(|p| matches!(p.token, Token::Period));
        let before_period = self.next_is(next, &Token::Period);
        let before_paren = self.next_is(next, &Token::LParen);

        // Dotted names continue whatever the first part was.
        if after_period && (tok.is_quoted() || !is_reserved_keyword(kw)) {
            if let Some(p) = prev.and_then(|p| self.prev_sig(p)) {
                match self.roles[p] {
                    Role::Table(r) => {
                        self.roles[i] = Role::Table(r);
                        if let Some(rel) = self.relations.get_mut(r) {
                            if let RelationKind::Named(parts) = &mut rel.kind {
                                parts.push(tok.word().unwrap_or_default().to_string());
                            }
                            rel.range = rel.range.cover(tok.range);
                            if before_paren {
                                rel.kind = RelationKind::Function;
                            }
                        }
                        return;
                    }
                    Role::Qualifier | Role::Column => {
                        self.roles[i] = if before_period {
                            Role::Qualifier
                        } else if before_paren {
                            Role::Function
                        } else {
                            Role::Column
                        };
                        return;
                    }
                    _ => {}
                }
            }
        }
        let plain = tok.is_quoted() || !is_clause_keyword(kw);
        match expect {
            Expect::Table if plain => {
                let r = self.relations.len();
                let kind = if before_paren {
                    RelationKind::Function
                } else {
                    RelationKind::Named(vec![tok.word().unwrap_or_default().to_string()])
                };
                self.relations.push(Relation {
                    kind,
                    alias: None,
                    alias_range: None,
                    alias_columns: Vec::new(),
                    range: tok.range,
                });
                if let Some(sel) = self.frame().scope() {
                    self.selects[sel].relations.push(r);
                }
                self.roles[i] = if before_paren { Role::Function } else { Role::Table(r) };
                self.frame().expect = Expect::AfterTable;
                return;
            }
            Expect::Alias | Expect::AfterTable if plain && kw != Keyword::AS => {
                if let Some(r) = self.last_relation() {
                    self.relations[r].alias = tok.word().map(str::to_string);
                    self.relations[r].alias_range = Some(tok.range);
                }
                self.roles[i] = Role::TableAlias;
                self.frame().expect = Expect::Expr;
                return;
            }
            Expect::CteName if plain && kw != Keyword::RECURSIVE => {
                self.ctes.push(Cte {
                    name: tok.word().unwrap_or_default().to_string(),
                    name_range: tok.range,
                    columns: Vec::new(),
                    select: None,
                    range: tok.range,
                });
                self.roles[i] = Role::CteName;
                self.frame().expect = Expect::CteBody;
                return;
            }
            Expect::ColumnAlias if plain => {
                self.roles[i] = Role::ColumnDecl;
                self.frame().expect = Expect::Expr;
                return;
            }
            Expect::Type if kw != Keyword::AS => {
                self.roles[i] = Role::Type;
                let in_cast = self.frame().call.as_deref().is_some_and(|c| c == "cast" || c == "try_cast");
                if !in_cast {
                    self.frame().expect = Expect::Expr;
                }
                return;
            }
            _ => {}
        }
        if let Some(r) = self.frame().alias_columns {
            if let Some(rel) = self.relations.get_mut(r) {
                rel.alias_columns.push(tok.word().unwrap_or_default().to_string());
            }
            self.roles[i] = Role::ColumnDecl;
            return;
        }
        if let Some(c) = self.frame().cte_columns {
            if let Some(cte) = self.ctes.get_mut(c) {
                cte.columns.push((tok.word().unwrap_or_default().to_string(), tok.range));
            }
            self.roles[i] = Role::ColumnDecl;
            return;
        }
        // `count(*) FILTER (…)`, `* EXCLUDE (…)`, `* REPLACE (…)` are not calls.
        let after_call = prev_tok.as_ref().is_some_and(|p| matches!(p.token, Token::RParen | Token::Mul));
        if before_paren
            && !after_call
            && (tok.is_quoted()
                || kw == Keyword::NoKeyword
                || (is_function_keyword(kw)
                    && (!is_reserved_keyword(kw)
                        || crate::functions::Catalog::duckdb().kind(tok.word().unwrap_or_default()).is_some())))
        {
            self.roles[i] = Role::Function;
            return;
        }
        if !tok.is_quoted() && self.keyword(i, kw, next) {
            self.roles[i] = Role::Keyword;
            return;
        }
        // An implicit select-item alias: `amount total`.
        if self.frame().clause == Clause::Select && !before_paren && !before_period {
            if let (Some(p), Some(pi)) = (prev_tok.as_ref(), prev) {
                let ends_value = matches!(p.token, Token::Number(..) | Token::RParen)
                    || p.is_string()
                    || (matches!(p.token, Token::Word(_))
                        && matches!(self.roles[pi], Role::Column | Role::Type | Role::ColumnDecl));
                if ends_value {
                    self.roles[i] = Role::ColumnDecl;
                    return;
                }
            }
        }
        self.roles[i] = if before_period {
            Role::Qualifier
        } else if !tok.is_quoted() && is_literal_keyword(kw) {
            Role::Keyword
        } else {
            Role::Column
        };
    }

    /// The significant token before index `i` (exclusive).
    pub fn prev_sig(&self, i: usize) -> Option<usize> {
        (0..i).rev().find(|&j| !self.toks[j].is_trivia())
    }

    fn last_relation(&self) -> Option<usize> {
        let sel = self.frames.last()?.scope()?;
        self.selects.get(sel)?.relations.last().copied()
    }

    /// Handles clause keywords; true when the word was one.
    fn keyword(&mut self, i: usize, kw: Keyword, next: Option<usize>) -> bool {
        let next_kw = next.map(|j| self.toks[j].keyword()).unwrap_or(Keyword::NoKeyword);
        match kw {
            Keyword::SELECT => {
                self.close_select(i);
                let outer = self.frame().outer;
                let id = self.selects.len();
                self.selects.push(SelectInfo { token: i, parent: outer, ..SelectInfo::default() });
                let f = self.frame();
                let first = f.select.is_none();
                f.select = Some(id);
                f.clause = Clause::Select;
                f.expect = Expect::Expr;
                let (derived, cte) = (f.derived, f.cte);
                if first {
                    if let Some(r) = derived {
                        if let Some(rel) = self.relations.get_mut(r) {
                            rel.kind = RelationKind::Derived(Some(id));
                        }
                    }
                    if let Some(c) = cte.and_then(|c| self.ctes.get_mut(c)) {
                        if c.select.is_none() {
                            c.select = Some(id);
                        }
                    }
                }
            }
            Keyword::FROM => {
                if let Some(sel) = self.frame().select {
                    if self.selects[sel].list_end == 0 {
                        self.selects[sel].list_end = i;
                    }
                }
                let f = self.frame();
                f.clause = Clause::From;
                f.expect = Expect::Table;
            }
            Keyword::JOIN => {
                let f = self.frame();
                f.clause = Clause::From;
                f.expect = Expect::Table;
            }
            k if JOIN_WORDS.contains(&k) && self.frame().clause == Clause::From => {
                self.frame().expect = Expect::Expr;
            }
            Keyword::ON => {
                let f = self.frame();
                if f.clause == Clause::From {
                    f.clause = Clause::On;
                    f.expect = Expect::Expr;
                }
            }
            Keyword::USING if self.frame().clause == Clause::From => self.frame().expect = Expect::Expr,
            Keyword::WHERE => self.set_clause(Clause::Where),
            Keyword::GROUP if next_kw == Keyword::BY => self.set_clause(Clause::GroupBy),
            Keyword::ORDER if next_kw == Keyword::BY && self.frame().call.is_none() => self.set_clause(Clause::OrderBy),
            Keyword::HAVING => self.set_clause(Clause::Having),
            Keyword::QUALIFY => self.set_clause(Clause::Qualify),
            Keyword::WINDOW if self.frame().call.is_none() => self.set_clause(Clause::Window),
            Keyword::LIMIT | Keyword::OFFSET => self.set_clause(Clause::Limit),
            k if SET_OPS.contains(&k) => {
                self.close_select(i);
                self.set_clause(Clause::None);
            }
            Keyword::WITH if self.frame().clause != Clause::From => {
                let f = self.frame();
                f.clause = Clause::With;
                f.expect = Expect::CteName;
            }
            Keyword::AS => {
                let cast = self.frame().call.as_deref().is_some_and(|c| c == "cast" || c == "try_cast");
                let f = self.frame();
                f.expect = match f.expect {
                    Expect::AfterTable => Expect::Alias,
                    Expect::CteBody => Expect::CteBody,
                    _ if cast => Expect::Type,
                    _ if f.clause == Clause::Select => Expect::ColumnAlias,
                    _ => Expect::Expr,
                };
            }
            Keyword::MATERIALIZED | Keyword::NOT if self.frame().expect == Expect::CteBody => {}
            Keyword::BY | Keyword::DISTINCT | Keyword::ALL | Keyword::LATERAL => {}
            _ => {
                if matches!(self.frame().expect, Expect::AfterTable | Expect::Alias) && is_clause_keyword(kw) {
                    self.frame().expect = Expect::Expr;
                    return true;
                }
                return is_reserved_keyword(kw);
            }
        }
        true
    }

    fn set_clause(&mut self, clause: Clause) {
        let f = self.frame();
        f.clause = clause;
        f.expect = Expect::Expr;
    }

    /// Index of the significant token at or before byte `offset`'s left.
    pub fn token_before(&self, offset: u32) -> Option<usize> {
        (0..self.toks.len()).rev().find(|&i| !self.toks[i].is_trivia() && self.toks[i].range.end <= offset)
    }

    /// Index of the token containing `offset` (touching its end counts).
    pub fn token_at(&self, offset: u32) -> Option<usize> {
        self.toks.iter().position(|t| t.range.start < offset && offset <= t.range.end)
    }

    /// A SELECT's items as far as tokens tell.
    pub fn select_items(&self, sel: usize) -> Vec<SelectItem> {
        let Some(info) = self.selects.get(sel) else { return Vec::new() };
        info.items
            .iter()
            .map(|&(a, b)| {
                let sig: Vec<usize> = (a..b).filter(|&i| !self.toks[i].is_trivia()).collect();
                let range = match (sig.first(), sig.last()) {
                    (Some(&f), Some(&l)) => self.toks[f].range.cover(self.toks[l].range),
                    _ => TextRange::default(),
                };
                let last = sig.last().map(|&l| (&self.toks[l], self.roles[l]));
                let star = last.is_some_and(|(t, _)| matches!(t.token, Token::Mul));
                let (name, name_range) = match last {
                    Some((t, Role::ColumnDecl | Role::Column)) => (t.word().map(str::to_string), t.range),
                    _ => (None, range),
                };
                // The expression without its alias: `q.col`, `col` are column references.
                let mut expr: &[usize] = &sig;
                if let [rest @ .., l] = expr {
                    if self.roles[*l] == Role::ColumnDecl {
                        expr = rest;
                        if let [rest @ .., as_kw] = expr {
                            if self.toks[*as_kw].is_kw(Keyword::AS) {
                                expr = rest;
                            }
                        }
                    }
                }
                let word = |i: &usize| self.toks[*i].word().map(str::to_string);
                let source = match expr {
                    [c] if self.roles[*c] == Role::Column => word(c).map(|c| (None, c)),
                    [q, dot, c] if matches!(self.toks[*dot].token, Token::Period) && self.roles[*c] == Role::Column => {
                        word(c).map(|c| (word(q), c))
                    }
                    _ => None,
                };
                SelectItem { name, range, name_range, star, source }
            })
            .collect()
    }
}

/// One select item.
#[derive(Clone, Debug)]
pub(super) struct SelectItem {
    /// The output name when tokens tell it (alias or column name).
    pub name: Option<String>,
    pub range: TextRange,
    /// The alias or column name token (the whole item when unnamed).
    pub name_range: TextRange,
    /// `*` or `q.*`.
    pub star: bool,
    /// A plain column reference `[qualifier.]column`.
    pub source: Option<(Option<String>, String)>,
}

/// Keywords that start or separate clauses: never an alias or a table name.
fn is_clause_keyword(kw: Keyword) -> bool {
    RESERVED_FOR_TABLE_ALIAS.contains(&kw) || is_reserved_keyword(kw) && kw != Keyword::NoKeyword
}

/// Keywords that may name a function when followed by `(` (and the catalog has one).
fn is_function_keyword(kw: Keyword) -> bool {
    !matches!(
        kw,
        Keyword::IN
            | Keyword::EXISTS
            | Keyword::AS
            | Keyword::ON
            | Keyword::USING
            | Keyword::VALUES
            | Keyword::OVER
            | Keyword::FILTER
            | Keyword::WITHIN
            | Keyword::AND
            | Keyword::OR
            | Keyword::NOT
            | Keyword::SELECT
            | Keyword::FROM
            | Keyword::WHERE
            | Keyword::JOIN
            | Keyword::BY
            | Keyword::ALL
            | Keyword::ANY
            | Keyword::SOME
            | Keyword::IS
            | Keyword::THEN
            | Keyword::ELSE
            | Keyword::WHEN
            | Keyword::CASE
            | Keyword::INTERVAL
            | Keyword::WITH
            | Keyword::WINDOW
            | Keyword::PARTITION
    )
}

/// Keywords that are values or operators in expressions.
fn is_literal_keyword(kw: Keyword) -> bool {
    matches!(
        kw,
        Keyword::NULL
            | Keyword::TRUE
            | Keyword::FALSE
            | Keyword::AND
            | Keyword::OR
            | Keyword::NOT
            | Keyword::IS
            | Keyword::IN
            | Keyword::LIKE
            | Keyword::ILIKE
            | Keyword::BETWEEN
            | Keyword::CASE
            | Keyword::WHEN
            | Keyword::THEN
            | Keyword::ELSE
            | Keyword::END
            | Keyword::INTERVAL
            | Keyword::OVER
            | Keyword::PARTITION
            | Keyword::FILTER
            | Keyword::ASC
            | Keyword::DESC
            | Keyword::NULLS
            | Keyword::FIRST
            | Keyword::LAST
            | Keyword::EXISTS
            | Keyword::DISTINCT
            | Keyword::ROWS
            | Keyword::RANGE
            | Keyword::PRECEDING
            | Keyword::FOLLOWING
            | Keyword::UNBOUNDED
            | Keyword::CURRENT
            | Keyword::ROW
            | Keyword::EXCLUDE
            | Keyword::REPLACE
            | Keyword::RECURSIVE
            | Keyword::LATERAL
    )
}

/// Keywords that can never be a bare column name in DuckDB.
fn is_reserved_keyword(kw: Keyword) -> bool {
    matches!(
        kw,
        Keyword::SELECT
            | Keyword::FROM
            | Keyword::WHERE
            | Keyword::GROUP
            | Keyword::ORDER
            | Keyword::BY
            | Keyword::HAVING
            | Keyword::QUALIFY
            | Keyword::LIMIT
            | Keyword::OFFSET
            | Keyword::UNION
            | Keyword::EXCEPT
            | Keyword::INTERSECT
            | Keyword::WITH
            | Keyword::AS
            | Keyword::ON
            | Keyword::USING
            | Keyword::JOIN
            | Keyword::AND
            | Keyword::OR
            | Keyword::NOT
            | Keyword::NULL
            | Keyword::TRUE
            | Keyword::FALSE
            | Keyword::CASE
            | Keyword::WHEN
            | Keyword::THEN
            | Keyword::ELSE
            | Keyword::END
            | Keyword::IS
            | Keyword::IN
            | Keyword::LIKE
            | Keyword::ILIKE
            | Keyword::BETWEEN
            | Keyword::DISTINCT
            | Keyword::ALL
            | Keyword::CAST
            | Keyword::INTERVAL
            | Keyword::OVER
            | Keyword::PARTITION
            | Keyword::WINDOW
            | Keyword::FILTER
            | Keyword::LEFT
            | Keyword::RIGHT
            | Keyword::INNER
            | Keyword::OUTER
            | Keyword::FULL
            | Keyword::CROSS
            | Keyword::NATURAL
            | Keyword::ASC
            | Keyword::DESC
            | Keyword::EXISTS
            | Keyword::LATERAL
            | Keyword::RECURSIVE
            | Keyword::VALUES
    )
}
