//! Sidecars and `_defaults.toml` → [`ModelConfigLayer`], and merging layers into a [`ModelConfig`].

use super::parse::{in_file_order, parse_doc, Sink, Value};
use super::{ModelConfig, ModelConfigLayer, Strategy, StrategyLayer};
use crate::diagnostics::{Code, Diagnostic};

/// Strategy names as written in `[strategy] type`.
const STRATEGIES: [&str; 5] = ["full_refresh", "view", "incremental", "merge", "ephemeral"];

/// Parses a sidecar or `_defaults.toml`. Never fails: problems become `E003` diagnostics on
/// `path` (one `I601` per ignored key). What is only wrong once layers are merged (an incremental
/// model without `timestamp_column`) is reported by [`merge_layers`].
pub fn parse_model_config(path: &str, text: &str) -> (ModelConfigLayer, Vec<Diagnostic>) {
    let mut sink = Sink::new(path, Code::E003InvalidModelConfig);
    let doc = parse_doc(text, &mut sink);
    let mut layer = ModelConfigLayer::default();
    for (key, span, value) in in_file_order(&doc) {
        match key {
            "name" => {
                if let Some(n) = sink.spanned_string("name", value) {
                    if n.value.trim().is_empty() {
                        sink.error(
                            value.span(),
                            "a model name must not be empty",
                            "remove `name` to use the file name",
                        );
                    } else {
                        layer.name = Some(n);
                    }
                }
            }
            "depends_on" => {
                layer.depends_on = sink.strings("depends_on", value).map(|names| {
                    names
                        .into_iter()
                        .filter(|n| {
                            let empty = n.value.trim().is_empty();
                            if empty {
                                sink.error(
                                    (n.range.start as usize)..(n.range.end as usize),
                                    "an empty model name in `depends_on`",
                                    "remove it, or write the name of an upstream model",
                                );
                            }
                            !empty
                        })
                        .collect()
                })
            }
            "strategy" => strategy(&mut sink, value, &mut layer.strategy),
            "tests" | "assertions" => {
                let tests = super::data_tests::parse_tests(&mut sink, text, key, value);
                layer.tests.get_or_insert_with(Vec::new).extend(tests);
            }
            "contract" => layer.contract = super::data_tests::parse_contract(&mut sink, text, span, value),
            "target" => {
                let Some(t) = sink.table("target", value) else { continue };
                for (k, kspan, v) in in_file_order(t) {
                    match k {
                        "catalog" => layer.target.catalog = sink.string("catalog", v),
                        "schema" => layer.target.schema = sink.string("schema", v),
                        "table" => layer.target.table = sink.string("table", v),
                        other => sink.ignored(kspan, &format!("`target.{other}`")),
                    }
                }
            }
            other if value.get_ref().is_table() => sink.ignored(span, &format!("section `[{other}]`")),
            other => sink.ignored(span, &format!("key `{other}`")),
        }
    }
    (layer, sink.out)
}

fn strategy(sink: &mut Sink<'_>, value: &Value<'_>, out: &mut StrategyLayer) {
    if let Some(kind) = value.get_ref().as_str() {
        // `strategy = "view"`: a likely shorthand; say exactly how to write it.
        sink.error(
            value.span(),
            "`strategy` must be a table, not a string",
            format!("write it as a section:\n[strategy]\ntype = \"{kind}\""),
        );
        return;
    }
    let Some(t) = sink.table("strategy", value) else { return };
    for (k, kspan, v) in in_file_order(t) {
        match k {
            "type" => {
                let Some(kind) = sink.spanned_string("type", v) else { continue };
                if STRATEGIES.contains(&kind.value.as_str()) {
                    out.kind = Some(kind);
                } else {
                    let hint = match closest(&kind.value, &STRATEGIES) {
                        Some(best) => format!("did you mean `{best}`? (one of: {})", STRATEGIES.join(", ")),
                        None => format!("use one of: {}", STRATEGIES.join(", ")),
                    };
                    sink.error(v.span(), format!("unknown strategy `{}`", kind.value), hint);
                }
            }
            "timestamp_column" => out.timestamp_column = sink.string("timestamp_column", v),
            "unique_key" => {
                out.unique_key = sink.strings("unique_key", v).map(|l| l.into_iter().map(|s| s.value).collect())
            }
            "update_columns" => {
                out.update_columns = sink.strings("update_columns", v).map(|l| l.into_iter().map(|s| s.value).collect())
            }
            other => sink.ignored(kspan, &format!("`strategy.{other}`")),
        }
    }
}

/// Merges layers, nearest first (the sidecar, then `_defaults.toml` from the model's folder
/// upward); `files[i]` is the project-relative path of `layers[i]`.
///
/// Key by key, the first layer that sets a key wins — also inside `[strategy]` and `[target]`.
/// Per-key merging of `[strategy]` lets a folder default say `type = "merge"` and
/// `unique_key = ["id"]` while one sidecar only adds `update_columns`; a sidecar that changes
/// `type` simply makes the inherited keys of other strategies unused.
///
/// Also returns the problems only visible after merging (an incremental model without
/// `timestamp_column`, a merge model without `unique_key`), reported at the `type` that chose the
/// strategy.
pub fn merge_layers(layers: &[&ModelConfigLayer], files: &[&str]) -> (ModelConfig, Vec<Diagnostic>) {
    let mut out = ModelConfig::default();
    let mut strategy = StrategyLayer::default();
    let mut strategy_file: Option<&str> = None;
    for (layer, file) in layers.iter().zip(files) {
        if out.name.is_none() {
            out.name = layer.name.clone();
        }
        if out.depends_on.is_none() && layer.depends_on.is_some() {
            out.depends_on = layer.depends_on.clone();
            out.depends_on_file = Some(file.to_string());
        }
        if strategy.kind.is_none() && layer.strategy.kind.is_some() {
            strategy.kind = layer.strategy.kind.clone();
            strategy_file = Some(file);
        }
        first(&mut strategy.timestamp_column, &layer.strategy.timestamp_column);
        first(&mut strategy.unique_key, &layer.strategy.unique_key);
        first(&mut strategy.update_columns, &layer.strategy.update_columns);
        first(&mut out.target.catalog, &layer.target.catalog);
        first(&mut out.target.schema, &layer.target.schema);
        first(&mut out.target.table, &layer.target.table);
        if out.tests_file.is_none() && layer.tests.is_some() {
            out.tests = layer.tests.clone().unwrap_or_default();
            out.tests_file = Some(file.to_string());
        }
        if out.contract_file.is_none() && layer.contract.is_some() {
            out.contract = layer.contract.clone();
            out.contract_file = Some(file.to_string());
        }
    }
    let mut diagnostics = Vec::new();
    let at = strategy.kind.as_ref().map(|k| k.range).unwrap_or_default();
    let file = strategy_file.unwrap_or_default();
    let mut missing = |message: &str, hint: &str| {
        diagnostics.push(Diagnostic::new(Code::E003InvalidModelConfig, file, at, message).with_hint(hint));
    };
    out.strategy = match strategy.kind.as_ref().map(|k| k.value.as_str()) {
        None | Some("full_refresh") => Strategy::FullRefresh,
        Some("view") => Strategy::View,
        Some("ephemeral") => Strategy::Ephemeral,
        Some("incremental") => {
            if strategy.timestamp_column.is_none() {
                missing(
                    "an incremental model needs `timestamp_column`",
                    "add timestamp_column = \"<column>\" under [strategy]: each run adds the rows newer than the last one",
                );
            }
            Strategy::Incremental { timestamp_column: strategy.timestamp_column }
        }
        Some(_) => {
            if strategy.unique_key.as_ref().is_none_or(|k| k.is_empty()) {
                missing(
                    "a merge model needs `unique_key`",
                    "add unique_key = [\"<column>\"] under [strategy]: rows with the same key are updated, others inserted",
                );
            }
            Strategy::Merge {
                unique_key: strategy.unique_key.unwrap_or_default(),
                update_columns: strategy.update_columns,
            }
        }
    };
    (out, diagnostics)
}

/// Keeps `slot` if set, else takes `from` (nearest layer wins).
fn first<T: Clone>(slot: &mut Option<T>, from: &Option<T>) {
    if slot.is_none() {
        slot.clone_from(from);
    }
}

/// The candidate closest to a misspelt `word`, if any is close (did-you-mean).
pub(super) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(&word, c), *c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
