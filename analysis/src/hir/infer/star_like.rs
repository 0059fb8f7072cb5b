//! DuckDB's column filter on a star, `SELECT * [NOT] LIKE | ILIKE | GLOB | SIMILAR TO 'pat'
//! [ESCAPE 'c'] [AS alias]`: only the columns whose name matches are selected. DuckDB binds it as
//! `COLUMNS(c -> c LIKE 'pat')`, so the name is matched as that predicate would match a string;
//! an alias names every column, and after `SIMILAR TO` it is a replacement that may refer to the
//! pattern's groups (`AS 'c\1'`), as in `regexp_replace`.

use regex::{Regex, RegexBuilder};
use sqlparser::ast::{LikeSelectItem, SelectItemPatternOperator, Value};

/// The columns a star keeps, each as its index in `names` and the name it gets; `None` when the
/// pattern is not a string constant the analysis can match (DuckDB refuses a non-constant
/// pattern in its binder; the star is then left open rather than guessed).
pub(super) fn filter(names: &[String], like: &LikeSelectItem, alias: Option<&str>) -> Option<Vec<(usize, String)>> {
    let pattern = string(&like.pattern.value)?;
    let escape = match &like.escape_char {
        Some(e) => Some(string(&e.value)?.chars().next()?),
        None => None,
    };
    let matcher = match like.operator {
        SelectItemPatternOperator::Like => Matcher::Regex(like_regex(pattern, escape, false)?),
        SelectItemPatternOperator::ILike => Matcher::Regex(like_regex(pattern, escape, true)?),
        SelectItemPatternOperator::SimilarTo => Matcher::Regex(Regex::new(&format!("^(?:{pattern})$")).ok()?),
        SelectItemPatternOperator::Glob => Matcher::Glob(globset::Glob::new(pattern).ok()?.compile_matcher()),
    };
    let replacement = alias.map(|a| match like.operator {
        SelectItemPatternOperator::SimilarTo => backrefs(a),
        _ => a.to_string(),
    });
    let kept = names.iter().enumerate().filter(|(_, n)| matcher.is_match(n) != like.negated);
    Some(
        kept.map(|(i, n)| {
            let name = match (&replacement, &matcher) {
                (Some(r), Matcher::Regex(re))
                    if like.operator == SelectItemPatternOperator::SimilarTo && !like.negated =>
                {
                    re.replace(n, r.as_str()).into_owned()
                }
                (Some(r), _) => r.clone(),
                (None, _) => n.clone(),
            };
            (i, name)
        })
        .collect(),
    )
}

/// `COLUMNS('re') [AS 'rewrite']`: the columns whose name the regex matches anywhere (RE2's
/// partial match, case-sensitive); a rewrite names each from the match's groups (`'\1'`), as
/// RE2's `Extract` does. None when the regex does not compile.
pub(super) fn regex_filter(names: &[String], pattern: &str, rewrite: Option<&str>) -> Option<Vec<(usize, String)>> {
    let re = Regex::new(pattern).ok()?;
    let template = rewrite.map(backrefs);
    let kept = names.iter().enumerate().filter_map(|(i, n)| {
        let caps = re.captures(n)?;
        let name = match &template {
            Some(t) => {
                let mut out = String::new();
                caps.expand(t, &mut out);
                out
            }
            None => n.clone(),
        };
        Some((i, name))
    });
    Some(kept.collect())
}

enum Matcher {
    Regex(Regex),
    Glob(globset::GlobMatcher),
}

impl Matcher {
    fn is_match(&self, name: &str) -> bool {
        match self {
            Matcher::Regex(re) => re.is_match(name),
            Matcher::Glob(glob) => glob.is_match(name),
        }
    }
}

fn string(value: &Value) -> Option<&str> {
    match value {
        Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Some(s),
        _ => None,
    }
}

/// `%` is any run of characters, `_` any one; the escape character makes the next one literal.
fn like_regex(pattern: &str, escape: Option<char>, case_insensitive: bool) -> Option<Regex> {
    let mut re = String::from("^");
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            c if Some(c) == escape => re.push_str(&regex::escape(&chars.next()?.to_string())),
            '%' => re.push_str(".*"),
            '_' => re.push('.'),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    RegexBuilder::new(&re).dot_matches_new_line(true).case_insensitive(case_insensitive).build().ok()
}

/// RE2's `\1` group references in a replacement, as the regex crate's `${1}`.
fn backrefs(replacement: &str) -> String {
    let mut out = String::new();
    let mut chars = replacement.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(d)) if d.is_ascii_digit() => {
                out.push_str(&format!("${{{d}}}"));
                chars.next();
            }
            ('$', _) => out.push_str("$$"),
            (c, _) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::parser::Parser;

    fn like(sql: &str) -> (LikeSelectItem, Option<String>) {
        let stmt = Parser::parse_sql(&crate::syntax::RockyDialect, sql).ok().and_then(|mut s| s.pop());
        let Some(sqlparser::ast::Statement::Query(q)) = stmt else { panic!("{sql}") };
        let sqlparser::ast::SetExpr::Select(s) = *q.body else { panic!("{sql}") };
        let Some(sqlparser::ast::SelectItem::Wildcard(o)) = s.projection.first() else { panic!("{sql}") };
        (o.opt_like.clone().unwrap_or_else(|| panic!("{sql}")), o.opt_alias.as_ref().map(|a| a.value.clone()))
    }

    fn kept(sql: &str) -> Vec<String> {
        let names: Vec<String> = ["col1", "COL2", "_x", "number12", "end"].iter().map(|s| s.to_string()).collect();
        let (l, alias) = like(sql);
        filter(&names, &l, alias.as_deref()).unwrap_or_default().into_iter().map(|(_, n)| n).collect()
    }

    #[test]
    fn filters_star_columns_by_name_as_duckdb() {
        assert_eq!(kept("SELECT * LIKE 'col%' FROM t"), ["col1"]);
        assert_eq!(kept("SELECT * ILIKE 'col%' FROM t"), ["col1", "COL2"]);
        assert_eq!(kept("SELECT * NOT LIKE '%o%' FROM t"), ["COL2", "_x", "number12", "end"]);
        assert_eq!(kept("SELECT * LIKE '\\_%' ESCAPE '\\' FROM t"), ["_x"]);
        assert_eq!(kept("SELECT * GLOB '*[0-9]' FROM t"), ["col1", "COL2", "number12"]);
        assert_eq!(kept("SELECT * SIMILAR TO 'number(\\d+)' AS 'c\\1' FROM t"), ["c12"]);
        assert_eq!(kept("SELECT * NOT SIMILAR TO '.*[0-9]' AS v FROM t"), ["v", "v"]);
    }
}
