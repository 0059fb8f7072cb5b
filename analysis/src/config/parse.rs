//! Shared TOML plumbing: parse with recovery and report problems at exact byte spans.
//!
//! `project.rs` (rocky.toml) and `model.rs` (sidecars, `_defaults.toml`) walk the parsed tables
//! key by key through a [`Sink`], so every wrong value, unknown key and syntax error becomes one
//! diagnostic pointing at the text that caused it, and parsing always goes on.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned as TomlSpanned;

use super::Spanned;
use crate::diagnostics::{Code, Diagnostic, TextRange};

pub(super) type Value<'i> = TomlSpanned<DeValue<'i>>;

/// Collects the diagnostics of one TOML file.
pub(super) struct Sink<'a> {
    pub path: &'a str,
    /// `E002` for rocky.toml, `E003` for sidecars and `_defaults.toml`.
    pub code: Code,
    pub out: Vec<Diagnostic>,
}

impl Sink<'_> {
    pub fn new(path: &str, code: Code) -> Sink<'_> {
        Sink { path, code, out: Vec::new() }
    }

    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>, hint: impl Into<String>) {
        self.out.push(Diagnostic::new(self.code, self.path, range(span), message).with_hint(hint));
    }

    /// One `I601` for something Rocky keeps but does not use (`what` names it, e.g. "section `[hooks]`").
    pub fn ignored(&mut self, span: Range<usize>, what: &str) {
        self.ignored_because(span, &format!("{what} is not used by Rocky and is ignored"));
    }

    /// One `I601` with a custom message.
    pub fn ignored_because(&mut self, span: Range<usize>, message: &str) {
        self.out.push(
            Diagnostic::new(Code::I601IgnoredConfig, self.path, range(span), message)
                .with_hint("it is kept as is; remove it if it is a typo"),
        );
    }

    /// The string value of `v`, or an error naming `key`.
    pub fn string(&mut self, key: &str, v: &Value<'_>) -> Option<String> {
        self.spanned_string(key, v).map(|s| s.value)
    }

    pub fn spanned_string(&mut self, key: &str, v: &Value<'_>) -> Option<Spanned<String>> {
        match v.get_ref().as_str() {
            Some(s) => Some(Spanned { value: s.to_string(), range: range(v.span()) }),
            None => {
                self.error(
                    v.span(),
                    format!("`{key}` must be a string, not {}", v.get_ref().type_str()),
                    format!("write {key} = \"…\""),
                );
                None
            }
        }
    }

    /// A list of strings; a single string is accepted as a list of one.
    pub fn strings(&mut self, key: &str, v: &Value<'_>) -> Option<Vec<Spanned<String>>> {
        match v.get_ref() {
            DeValue::String(s) => Some(vec![Spanned { value: s.to_string(), range: range(v.span()) }]),
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item.get_ref().as_str() {
                        Some(s) => out.push(Spanned { value: s.to_string(), range: range(item.span()) }),
                        None => self.error(
                            item.span(),
                            format!("`{key}` must list strings, not {}", item.get_ref().type_str()),
                            format!("write {key} = [\"a\", \"b\"]"),
                        ),
                    }
                }
                Some(out)
            }
            other => {
                self.error(
                    v.span(),
                    format!("`{key}` must be a list of strings, not {}", other.type_str()),
                    format!("write {key} = [\"a\", \"b\"]"),
                );
                None
            }
        }
    }

    /// A non-negative integer that fits `u64` (any TOML radix, `_` separators allowed).
    pub fn unsigned(&mut self, key: &str, v: &Value<'_>, min: u64, example: &str) -> Option<u64> {
        let n = v.get_ref().as_integer().and_then(|i| u64::from_str_radix(i.as_str(), i.radix()).ok());
        match n {
            Some(n) if n >= min => Some(n),
            _ => {
                let what = if min == 0 { "a whole number" } else { "a whole number of at least 1" };
                self.error(v.span(), format!("`{key}` must be {what}"), format!("e.g. {example}"));
                None
            }
        }
    }

    pub fn boolean(&mut self, key: &str, v: &Value<'_>) -> Option<bool> {
        let b = v.get_ref().as_bool();
        if b.is_none() {
            self.error(
                v.span(),
                format!("`{key}` must be true or false, not {}", v.get_ref().type_str()),
                format!("e.g. {key} = true"),
            );
        }
        b
    }

    /// `v` as a table, or an error saying how to write the section.
    pub fn table<'t, 'i>(&mut self, key: &str, v: &'t Value<'i>) -> Option<&'t DeTable<'i>> {
        let t = v.get_ref().as_table();
        if t.is_none() {
            self.error(
                v.span(),
                format!("`{key}` must be a table, not {}", v.get_ref().type_str()),
                format!("write it as a [{key}] section"),
            );
        }
        t
    }
}

/// A TOML span as a [`TextRange`].
pub(super) fn range(span: Range<usize>) -> TextRange {
    TextRange::new(span.start.min(u32::MAX as usize) as u32, span.end.min(u32::MAX as usize) as u32)
}

/// A table's entries in file order (the parsed map is sorted by key; "first adapter" and
/// diagnostics should follow the file).
pub(super) fn in_file_order<'t, 'i>(t: &'t DeTable<'i>) -> Vec<(&'t str, Range<usize>, &'t Value<'i>)> {
    let mut entries: Vec<_> = t.iter().map(|(k, v)| (k.get_ref().as_ref(), k.span(), v)).collect();
    entries.sort_by_key(|(_, span, _)| span.start);
    entries
}

/// Parses the document, reporting every syntax error; recovery keeps the keys that did parse,
/// so a typo in one section does not hide the rest of the config.
pub(super) fn parse_doc<'i>(text: &'i str, sink: &mut Sink<'_>) -> DeTable<'i> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim();
        let message = message.lines().next().unwrap_or(message);
        sink.error(
            span,
            format!("invalid TOML: {message}"),
            "fix the syntax at this place (TOML reference: https://toml.io)",
        );
    }
    doc.into_inner()
}
