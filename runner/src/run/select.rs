//! `--models PATTERN`: which models a run builds.

use std::collections::{BTreeMap, BTreeSet};

use globset::{Glob, GlobMatcher};

/// A `--models` value that selects nothing or does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    #[error("`{0}` in --models is empty")]
    Empty(String),
    #[error("`{pattern}` in --models is not a valid glob: {detail}")]
    BadGlob { pattern: String, detail: String },
    #[error("no model matches `{0}` in --models")]
    NoMatch(String),
}

/// One comma-separated term: a glob with optional `+` on either side.
struct Term {
    text: String,
    matcher: GlobMatcher,
    upstream: bool,
    downstream: bool,
}

fn parse(pattern: &str) -> Result<Vec<Term>, SelectError> {
    let mut out = Vec::new();
    for raw in pattern.split(',') {
        let text = raw.trim();
        let (upstream, rest) = match text.strip_prefix('+') {
            Some(r) => (true, r),
            None => (false, text),
        };
        let (downstream, body) = match rest.strip_suffix('+') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        if body.is_empty() {
            return Err(SelectError::Empty(text.to_string()));
        }
        let glob = Glob::new(&body.to_lowercase())
            .map_err(|e| SelectError::BadGlob { pattern: text.to_string(), detail: e.kind().to_string() })?;
        out.push(Term { text: text.to_string(), matcher: glob.compile_matcher(), upstream, downstream });
    }
    Ok(out)
}

/// The selected model names. `models` are all model names, `edges` `(upstream, downstream)`.
/// Every term must match at least one model.
pub fn select(models: &[String], edges: &[(String, String)], pattern: &str) -> Result<BTreeSet<String>, SelectError> {
    let mut ups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut downs: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (u, d) in edges {
        ups.entry(d.as_str()).or_default().push(u.as_str());
        downs.entry(u.as_str()).or_default().push(d.as_str());
    }
    let mut selected = BTreeSet::new();
    for term in parse(pattern)? {
        let hits: Vec<&String> = models.iter().filter(|m| term.matcher.is_match(m.to_lowercase())).collect();
        if hits.is_empty() {
            return Err(SelectError::NoMatch(term.text));
        }
        for hit in hits {
            selected.insert(hit.clone());
            if term.upstream {
                closure(hit, &ups, &mut selected);
            }
            if term.downstream {
                closure(hit, &downs, &mut selected);
            }
        }
    }
    Ok(selected)
}

/// Adds everything reachable from `start` along `next`.
fn closure(start: &str, next: &BTreeMap<&str, Vec<&str>>, into: &mut BTreeSet<String>) {
    let mut stack = vec![start];
    while let Some(n) = stack.pop() {
        for &m in next.get(n).into_iter().flatten() {
            if into.insert(m.to_string()) {
                stack.push(m);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        ["stg_a", "stg_b", "mart", "report"].iter().map(|s| s.to_string()).collect()
    }

    fn edges() -> Vec<(String, String)> {
        [("stg_a", "mart"), ("stg_b", "mart"), ("mart", "report")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn sel(p: &str) -> Result<Vec<String>, SelectError> {
        select(&names(), &edges(), p).map(|s| s.into_iter().collect())
    }

    #[test]
    fn globs_lists_and_graph_operators() {
        assert_eq!(sel("stg_*").unwrap(), vec!["stg_a", "stg_b"]);
        assert_eq!(sel("report, STG_A").unwrap(), vec!["report", "stg_a"]);
        assert_eq!(sel("+mart").unwrap(), vec!["mart", "stg_a", "stg_b"]);
        assert_eq!(sel("stg_a+").unwrap(), vec!["mart", "report", "stg_a"]);
        assert_eq!(sel("+mart+").unwrap(), vec!["mart", "report", "stg_a", "stg_b"]);
    }

    #[test]
    fn terms_that_match_nothing_are_errors() {
        assert_eq!(sel("nope*"), Err(SelectError::NoMatch("nope*".into())));
        assert_eq!(sel("mart,,report"), Err(SelectError::Empty("".into())));
        assert!(matches!(sel("a[").unwrap_err(), SelectError::BadGlob { .. }));
    }
}
