//! Which of the catalog's macros are aggregates: DuckDB expands a macro before binding, so
//! `weighted_avg(x, w)` — `sum(x * w) / sum(…)` — groups the query like any aggregate. Derived
//! from the bodies `duckdb_functions()` reports (`macro_definition`), not listed by hand.

use std::collections::{HashMap, HashSet};

/// The names `body` calls: identifiers followed by `(`, outside string literals and quoted
/// identifiers (`CASE WHEN (…` yields `when`, which names no function).
pub fn called_names(body: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' | '"' => {
                for (_, d) in chars.by_ref() {
                    if d == c {
                        break;
                    }
                }
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if !(d.is_ascii_alphanumeric() || d == '_') {
                        break;
                    }
                    end = j + d.len_utf8();
                    chars.next();
                }
                let rest = body[end..].trim_start();
                if rest.starts_with('(') {
                    names.push(body[i..end].to_ascii_lowercase());
                }
            }
            _ => {}
        }
    }
    names
}

/// The macros whose bodies call an aggregate, directly or through another such macro.
pub fn aggregate_macros(bodies: &HashMap<String, Vec<String>>, is_aggregate: impl Fn(&str) -> bool) -> HashSet<String> {
    let mut found: HashSet<String> = HashSet::new();
    loop {
        let before = found.len();
        for (name, calls) in bodies {
            if !found.contains(name) && calls.iter().any(|c| c != name && (is_aggregate(c) || found.contains(c))) {
                found.insert(name.clone());
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_read_outside_quotes() {
        let body = r#"(sum(("value" * weight)) / sum(CASE  WHEN (("value" IS NOT NULL)) THEN (weight) ELSE 0 END))"#;
        assert_eq!(called_names(body), ["sum", "sum", "when", "then"]);
        assert_eq!(called_names("concat('count(', x)"), ["concat"]);
        assert_eq!(called_names(r#""max"(x) + list_append (a, b)"#), ["list_append"]);
    }

    #[test]
    fn an_aggregate_reached_through_macros_makes_them_aggregates() {
        let bodies: HashMap<String, Vec<String>> = [
            ("weighted_avg", vec!["sum"]),
            ("wavg", vec!["weighted_avg"]),
            ("ago", vec!["cast"]),
            ("self_call", vec!["self_call"]),
        ]
        .into_iter()
        .map(|(n, c)| (n.to_string(), c.into_iter().map(str::to_string).collect()))
        .collect();
        let found = aggregate_macros(&bodies, |n| n == "sum");
        let mut found: Vec<&str> = found.iter().map(String::as_str).collect();
        found.sort();
        assert_eq!(found, ["wavg", "weighted_avg"]);
    }
}
