//! TOML → typed config, with every problem reported at its exact span.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned as TomlSpanned;

use super::{
    AdapterConfig, ModelConfig, ModelConfigLayer, PipelineConfig, ProjectConfig, Spanned, Strategy, StrategyLayer,
};
use crate::diagnostics::{Code, Diagnostic, TextRange};

type Value<'i> = TomlSpanned<DeValue<'i>>;

/// Collects diagnostics for one TOML file.
struct Sink<'a> {
    path: &'a str,
    code: Code,
    out: Vec<Diagnostic>,
}

impl Sink<'_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>, hint: impl Into<String>) {
        self.out.push(Diagnostic::new(self.code, self.path, range(span), message).with_hint(hint));
    }
    fn ignored(&mut self, span: Range<usize>, what: &str) {
        self.out.push(
            Diagnostic::new(
                Code::I601IgnoredConfig,
                self.path,
                range(span),
                format!("{what} is not used by Rocky and is ignored"),
            )
            .with_hint("kept as is; remove it if it is a typo"),
        );
    }
    /// The string value of `v`, or an error naming `key`.
    fn string(&mut self, key: &str, v: &Value<'_>) -> Option<String> {
        match v.get_ref().as_str() {
            Some(s) => Some(s.to_string()),
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
    fn strings(&mut self, key: &str, v: &Value<'_>) -> Option<Vec<Spanned<String>>> {
        match v.get_ref() {
            DeValue::String(s) => Some(vec![Spanned { value: s.to_string(), range: range(v.span()) }]),
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item.get_ref().as_str() {
                        Some(s) => out.push(Spanned { value: s.to_string(), range: range(item.span()) }),
                        None => self.error(
                            item.span(),
                            format!("`{key}` must list strings"),
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
    fn table<'t, 'i>(&mut self, key: &str, v: &'t Value<'i>) -> Option<&'t DeTable<'i>> {
        let t = v.get_ref().as_table();
        if t.is_none() {
            self.error(v.span(), format!("`{key}` must be a table"), format!("write it as a [{key}] section"));
        }
        t
    }
}

fn range(span: Range<usize>) -> TextRange {
    TextRange::new(span.start as u32, span.end as u32)
}

/// Parses the document, reporting syntax errors (with recovery, so later keys still count).
fn parse_doc<'i>(text: &'i str, sink: &mut Sink<'_>) -> DeTable<'i> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        sink.error(span, format!("invalid TOML: {}", e.message().trim()), "fix the syntax; see https://toml.io");
    }
    doc.into_inner()
}

/// Parses rocky.toml. Never fails: problems become diagnostics on `path`, and defaults fill in.
pub fn parse_project_config(path: &str, text: &str) -> (ProjectConfig, Vec<Diagnostic>) {
    let mut sink = Sink { path, code: Code::E002InvalidProjectConfig, out: Vec::new() };
    let doc = parse_doc(text, &mut sink);
    let mut config = ProjectConfig { pipelines: Vec::new(), ..ProjectConfig::default() };
    for (key, value) in doc.iter() {
        match key.get_ref().as_ref() {
            "adapter" => adapters(&mut sink, value, &mut config),
            "pipeline" => pipelines(&mut sink, value, &mut config),
            "cache" => cache(&mut sink, value, &mut config),
            "state" => {
                let Some(t) = sink.table("state", value) else { continue };
                for (k, v) in t.iter() {
                    match k.get_ref().as_ref() {
                        "path" => config.state_path = sink.string("path", v),
                        other => sink.ignored(k.span(), &format!("`state.{other}`")),
                    }
                }
            }
            other => sink.ignored(key.span(), &format!("section `[{other}]`")),
        }
    }
    if config.pipelines.is_empty() {
        config.pipelines = ProjectConfig::default().pipelines;
    }
    (config, sink.out)
}

fn adapters(sink: &mut Sink<'_>, value: &Value<'_>, config: &mut ProjectConfig) {
    let Some(t) = sink.table("adapter", value) else { return };
    let unnamed = t.iter().any(|(_, v)| !v.get_ref().is_table());
    if unnamed {
        let a = adapter(sink, "adapter", t);
        config.adapter = a.clone();
        config.adapters.push((None, a));
        return;
    }
    for (name, v) in t.iter() {
        let Some(inner) = sink.table(&format!("adapter.{}", name.get_ref()), v) else { continue };
        let a = adapter(sink, &format!("adapter.{}", name.get_ref()), inner);
        if config.adapters.is_empty() {
            config.adapter = a.clone();
        }
        config.adapters.push((Some(name.get_ref().to_string()), a));
    }
}

fn adapter(sink: &mut Sink<'_>, section: &str, t: &DeTable<'_>) -> AdapterConfig {
    let mut a = AdapterConfig::default();
    for (k, v) in t.iter() {
        match k.get_ref().as_ref() {
            "type" => {
                if let Some(kind) = sink.string("type", v) {
                    if kind != "duckdb" {
                        sink.error(
                            v.span(),
                            format!("adapter type `{kind}` is not supported yet"),
                            "use type = \"duckdb\" (the embedded default)",
                        );
                    }
                    a.kind = kind;
                }
            }
            "path" => a.path = sink.string("path", v),
            other => sink.ignored(k.span(), &format!("`{section}.{other}`")),
        }
    }
    a
}

fn pipelines(sink: &mut Sink<'_>, value: &Value<'_>, config: &mut ProjectConfig) {
    let Some(t) = sink.table("pipeline", value) else { return };
    for (name, v) in t.iter() {
        let name_s = name.get_ref().to_string();
        let Some(p) = sink.table(&format!("pipeline.{name_s}"), v) else { continue };
        let kind = p.get("type").and_then(|v| v.get_ref().as_str()).unwrap_or("transformation");
        if kind != "transformation" {
            sink.ignored(name.span(), &format!("pipeline `{name_s}` (type \"{kind}\")"));
            continue;
        }
        let mut pipeline = PipelineConfig { name: name_s.clone(), models: "models/**".into(), concurrency: None };
        for (k, v) in p.iter() {
            match k.get_ref().as_ref() {
                "type" => {}
                "models" => {
                    if let Some(m) = sink.string("models", v) {
                        pipeline.models = m;
                    }
                }
                "execution" => {
                    let Some(e) = sink.table("execution", v) else { continue };
                    for (ek, ev) in e.iter() {
                        match ek.get_ref().as_ref() {
                            "concurrency" => match ev
                                .get_ref()
                                .as_integer()
                                .and_then(|i| i.as_str().replace('_', "").parse::<u32>().ok())
                            {
                                Some(n) if n > 0 => pipeline.concurrency = Some(n),
                                _ => sink.error(
                                    ev.span(),
                                    "`concurrency` must be a whole number of at least 1",
                                    "e.g. concurrency = 4",
                                ),
                            },
                            other => sink.ignored(ek.span(), &format!("`pipeline.{name_s}.execution.{other}`")),
                        }
                    }
                }
                other => sink.ignored(k.span(), &format!("`pipeline.{name_s}.{other}`")),
            }
        }
        config.pipelines.push(pipeline);
    }
}

fn cache(sink: &mut Sink<'_>, value: &Value<'_>, config: &mut ProjectConfig) {
    let Some(t) = sink.table("cache", value) else { return };
    for (k, v) in t.iter() {
        if k.get_ref().as_ref() != "schemas" {
            sink.ignored(k.span(), &format!("`cache.{}`", k.get_ref()));
            continue;
        }
        let Some(s) = sink.table("cache.schemas", v) else { continue };
        for (sk, sv) in s.iter() {
            match sk.get_ref().as_ref() {
                "enabled" => match sv.get_ref().as_bool() {
                    Some(b) => config.schema_cache.enabled = b,
                    None => sink.error(sv.span(), "`enabled` must be true or false", "e.g. enabled = true"),
                },
                "ttl_seconds" => {
                    match sv.get_ref().as_integer().and_then(|i| i.as_str().replace('_', "").parse::<u64>().ok()) {
                        Some(n) => config.schema_cache.ttl_seconds = n,
                        None => sink.error(
                            sv.span(),
                            "`ttl_seconds` must be a whole number of seconds",
                            "e.g. ttl_seconds = 86400",
                        ),
                    }
                }
                other => sink.ignored(sk.span(), &format!("`cache.schemas.{other}`")),
            }
        }
    }
}

/// Parses a sidecar or `_defaults.toml`. Never fails: problems become diagnostics on `path`.
pub fn parse_model_config(path: &str, text: &str) -> (ModelConfigLayer, Vec<Diagnostic>) {
    let mut sink = Sink { path, code: Code::E003InvalidModelConfig, out: Vec::new() };
    let doc = parse_doc(text, &mut sink);
    let mut layer = ModelConfigLayer::default();
    for (key, value) in doc.iter() {
        match key.get_ref().as_ref() {
            "name" => {
                if let Some(n) = sink.string("name", value) {
                    if n.trim().is_empty() {
                        sink.error(
                            value.span(),
                            "a model name must not be empty",
                            "remove `name` to use the file name",
                        );
                    } else {
                        layer.name = Some(Spanned { value: n, range: range(value.span()) });
                    }
                }
            }
            "depends_on" => layer.depends_on = sink.strings("depends_on", value),
            "strategy" => {
                let Some(t) = sink.table("strategy", value) else { continue };
                for (k, v) in t.iter() {
                    match k.get_ref().as_ref() {
                        "type" => {
                            if let Some(kind) = sink.string("type", v) {
                                const KINDS: [&str; 5] = ["full_refresh", "view", "incremental", "merge", "ephemeral"];
                                if KINDS.contains(&kind.as_str()) {
                                    layer.strategy.kind = Some(Spanned { value: kind, range: range(v.span()) });
                                } else {
                                    sink.error(
                                        v.span(),
                                        format!("unknown strategy `{kind}`"),
                                        format!("use one of: {}", KINDS.join(", ")),
                                    );
                                }
                            }
                        }
                        "timestamp_column" => layer.strategy.timestamp_column = sink.string("timestamp_column", v),
                        "unique_key" => {
                            layer.strategy.unique_key =
                                sink.strings("unique_key", v).map(|l| l.into_iter().map(|s| s.value).collect())
                        }
                        "update_columns" => {
                            layer.strategy.update_columns =
                                sink.strings("update_columns", v).map(|l| l.into_iter().map(|s| s.value).collect())
                        }
                        other => sink.ignored(k.span(), &format!("`strategy.{other}`")),
                    }
                }
            }
            "target" => {
                let Some(t) = sink.table("target", value) else { continue };
                for (k, v) in t.iter() {
                    match k.get_ref().as_ref() {
                        "catalog" => layer.target.catalog = sink.string("catalog", v),
                        "schema" => layer.target.schema = sink.string("schema", v),
                        "table" => layer.target.table = sink.string("table", v),
                        other => sink.ignored(k.span(), &format!("`target.{other}`")),
                    }
                }
            }
            other => sink.ignored(key.span(), &format!("key `{other}`")),
        }
    }
    (layer, sink.out)
}

/// Merges layers, nearest first (the sidecar, then `_defaults.toml` from the model's folder
/// upward), key by key: the first layer that sets a key wins, also inside `[strategy]` and
/// `[target]`. `files[i]` is the path of `layers[i]`. Returns the config and the problems only
/// visible after merging (an incremental model without `timestamp_column`, …), reported on the
/// file that chose the strategy.
pub fn merge_layers(
    layers: &[&ModelConfigLayer],
    files: &[&str],
) -> (ModelConfig, Vec<super::super::diagnostics::Diagnostic>) {
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
        strategy.timestamp_column =
            strategy.timestamp_column.take().or_else(|| layer.strategy.timestamp_column.clone());
        strategy.unique_key = strategy.unique_key.take().or_else(|| layer.strategy.unique_key.clone());
        strategy.update_columns = strategy.update_columns.take().or_else(|| layer.strategy.update_columns.clone());
        out.target.catalog = out.target.catalog.take().or_else(|| layer.target.catalog.clone());
        out.target.schema = out.target.schema.take().or_else(|| layer.target.schema.clone());
        out.target.table = out.target.table.take().or_else(|| layer.target.table.clone());
    }
    let mut diagnostics = Vec::new();
    let at = strategy.kind.as_ref().map(|k| k.range).unwrap_or_default();
    let file = strategy_file.unwrap_or_default();
    out.strategy = match strategy.kind.as_ref().map(|k| k.value.as_str()) {
        None | Some("full_refresh") => Strategy::FullRefresh,
        Some("view") => Strategy::View,
        Some("ephemeral") => Strategy::Ephemeral,
        Some("incremental") => {
            if strategy.timestamp_column.is_none() {
                diagnostics.push(
                    Diagnostic::new(Code::E003InvalidModelConfig, file, at, "an incremental model needs `timestamp_column`")
                        .with_hint("add timestamp_column = \"<column>\" under [strategy]: only rows newer than the last run are added"),
                );
            }
            Strategy::Incremental { timestamp_column: strategy.timestamp_column }
        }
        Some(_) => {
            if strategy.unique_key.as_ref().is_none_or(|k| k.is_empty()) {
                diagnostics.push(
                    Diagnostic::new(Code::E003InvalidModelConfig, file, at, "a merge model needs `unique_key`")
                        .with_hint(
                            "add unique_key = [\"<column>\"] under [strategy]: rows with the same key are updated",
                        ),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn parses_the_documented_project_format() {
        let text = r#"
[adapter]
type = "duckdb"
path = "playground.duckdb"

[pipeline.playground]
type = "transformation"
models = "models/**"

[pipeline.playground.execution]
concurrency = 4

[cache.schemas]
enabled = true
ttl_seconds = 3600

[state]
path = ".rocky-state.redb"
"#;
        let (c, d) = parse_project_config("rocky.toml", text);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.adapter.catalog(), "playground");
        assert_eq!(c.pipelines.len(), 1);
        assert_eq!(c.pipelines[0].concurrency, Some(4));
        assert_eq!(c.schema_cache.ttl_seconds, 3600);
        assert_eq!(c.state_path.as_deref(), Some(".rocky-state.redb"));
    }

    #[test]
    fn broken_toml_reports_the_exact_place() {
        let text = "[adapter]\ntype = \"duckdb\npath = 1\n";
        let (c, d) = parse_project_config("rocky.toml", text);
        assert_eq!(codes(&d)[0], "E002");
        assert!(d[0].range.start >= 17 && d[0].range.start <= 24, "{:?}", d[0]);
        assert_eq!(c.adapter.kind, "duckdb");
    }

    #[test]
    fn wrong_value_types_and_unknown_sections() {
        let text = "[pipeline.p]\nmodels = \"m/**\"\n[pipeline.p.execution]\nconcurrency = \"x\"\n[governance]\nowner = \"me\"\n[pipeline.ingest]\ntype = \"replication\"\n";
        let (c, d) = parse_project_config("rocky.toml", text);
        let mut got = codes(&d);
        got.sort();
        assert_eq!(got, vec!["E002", "I601", "I601"]);
        let bad = d.iter().find(|d| d.code == Code::E002InvalidProjectConfig).unwrap();
        assert_eq!(&text[bad.range.start as usize..bad.range.end as usize], "\"x\"");
        assert_eq!(c.pipelines[0].models, "m/**");
    }

    #[test]
    fn named_adapters() {
        let (c, d) = parse_project_config("rocky.toml", "[adapter.local]\ntype = \"duckdb\"\npath = \"dev.duckdb\"\n[adapter.other]\ntype=\"duckdb\"\npath=\":memory:\"\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.adapters.len(), 2);
        assert_eq!(c.adapter.catalog(), "dev");
    }

    #[test]
    fn sidecars_merge_key_by_key_and_validate() {
        let (defaults, d1) = parse_model_config(
            "models/_defaults.toml",
            "[strategy]\ntype = \"incremental\"\n[target]\nschema = \"marts\"\n",
        );
        let (sidecar, d2) =
            parse_model_config("models/a.toml", "name = \"a2\"\n[strategy]\ntimestamp_column = \"updated_at\"\n");
        assert!(d1.is_empty() && d2.is_empty());
        let (m, d) = merge_layers(&[&sidecar, &defaults], &["models/a.toml", "models/_defaults.toml"]);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(m.name.unwrap().value, "a2");
        assert_eq!(m.strategy, Strategy::Incremental { timestamp_column: Some("updated_at".into()) });
        assert_eq!(m.target.schema.as_deref(), Some("marts"));

        let (merge, _) = parse_model_config("models/b.toml", "[strategy]\ntype = \"merge\"\n");
        let (_, d) = merge_layers(&[&merge], &["models/b.toml"]);
        assert_eq!(codes(&d), vec!["E003"]);
        assert_eq!(d[0].file, "models/b.toml");
    }

    #[test]
    fn sidecar_errors() {
        let text = "name = 3\ndepends_on = [\"a\", 2]\n[strategy]\ntype = \"snapshot\"\nowner = \"x\"\n";
        let (_, d) = parse_model_config("m.toml", text);
        let mut got = codes(&d);
        got.sort();
        assert_eq!(got, vec!["E003", "E003", "E003", "I601"]);
    }

    #[test]
    fn garbage_never_panics() {
        for text in ["[[[", "a = [1, 2", "\u{0}", "x = \"\\q\"", "[a]\n[a]\n", "= = ="] {
            let _ = parse_project_config("rocky.toml", text);
            let _ = parse_model_config("m.toml", text);
        }
    }
}
