//! `rocky lineage`: column- and model-level, both directions, all four formats.

mod common;

use common::{project, rocky, CONFIG};
use serde_json::Value;

/// raw.people → people → shout → final; `odd` has a column name that needs quoting; `filtered`
/// reads `people.id` only as a filter key.
fn lineage_project() -> tempfile::TempDir {
    project(&[
        ("rocky.toml", CONFIG),
        ("models/people.sql", "select id, name from raw.people"),
        ("models/shout.sql", "select id, upper(name) as loud from people where id > 0"),
        ("models/final.sql", "select loud as very_loud, id from shout"),
        ("models/odd.sql", "select name as \"say \"\"hi\"\"\" from people"),
        ("models/filtered.sql", "select name from people where id > 0"),
    ])
}

fn edges(json: &Value) -> Vec<(String, String, Value)> {
    json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["from"].as_str().unwrap().to_string(), e["to"].as_str().unwrap().to_string(), e["kind"].clone()))
        .collect()
}

fn has_edge(json: &Value, from: &str, to: &str) -> bool {
    edges(json).iter().any(|(f, t, _)| f == from && t == to)
}

#[test]
fn column_lineage_upstream_reaches_the_source() {
    let dir = lineage_project();
    let out = rocky(&["lineage", "final.very_loud", "--upstream", "--format", "json"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    let json = out.json();
    assert_eq!(json["level"], "column");
    assert_eq!(json["direction"], "upstream");
    assert_eq!(json["root"]["id"], "final.very_loud");
    assert!(has_edge(&json, "shout.loud", "final.very_loud"), "{json}");
    assert!(has_edge(&json, "people.name", "shout.loud"), "{json}");
    assert!(has_edge(&json, "db.raw.people.name", "people.name"), "{json}");
    let kinds: Vec<Value> = edges(&json).into_iter().map(|(_, _, k)| k).collect();
    assert!(kinds.contains(&Value::from("rename")) && kinds.contains(&Value::from("expression")), "{json}");
    // Nothing downstream of the start is included.
    assert!(!edges(&json).iter().any(|(f, _, _)| f == "final.very_loud"), "{json}");
    let source = json["nodes"].as_array().unwrap().iter().find(|n| n["id"] == "db.raw.people.name").unwrap().clone();
    assert_eq!(source["kind"], "source");
}

#[test]
fn column_lineage_downstream_reaches_every_reader() {
    let dir = lineage_project();
    let json = rocky(&["lineage", "people.name", "--downstream", "--format", "json"], dir.path()).json();
    assert!(has_edge(&json, "people.name", "shout.loud"), "{json}");
    assert!(has_edge(&json, "shout.loud", "final.very_loud"), "{json}");
    assert!(has_edge(&json, "people.name", "odd.say \"hi\""), "{json}");
    assert!(!has_edge(&json, "db.raw.people.name", "people.name"), "upstream left out: {json}");

    // A key-only use (`filtered` reads `id` only in WHERE) shows up as a key edge.
    let json = rocky(&["lineage", "people.id", "--downstream", "--format", "json"], dir.path()).json();
    assert!(edges(&json).iter().any(|(f, t, k)| f == "people.id" && t == "filtered (key use)" && k == "key"), "{json}");
    assert!(has_edge(&json, "people.id", "shout.id"), "{json}");

    // Both directions by default; column names match case-insensitively.
    let json = rocky(&["lineage", "SHOUT.LOUD", "--format", "json"], dir.path()).json();
    assert_eq!(json["direction"], "both");
    assert!(has_edge(&json, "people.name", "shout.loud") && has_edge(&json, "shout.loud", "final.very_loud"), "{json}");
}

#[test]
fn model_lineage_in_both_directions() {
    let dir = lineage_project();
    let json = rocky(&["lineage", "shout", "--format", "json"], dir.path()).json();
    assert_eq!(json["level"], "model");
    assert!(has_edge(&json, "db.raw.people", "people"), "{json}");
    assert!(has_edge(&json, "people", "shout") && has_edge(&json, "shout", "final"), "{json}");
    assert!(!has_edge(&json, "people", "odd"), "a sibling is neither up- nor downstream: {json}");

    let json = rocky(&["lineage", "shout", "--upstream", "--format", "json"], dir.path()).json();
    assert!(has_edge(&json, "people", "shout") && !has_edge(&json, "shout", "final"), "{json}");
    let json = rocky(&["lineage", "raw.people", "--downstream", "--format", "json"], dir.path()).json();
    assert_eq!(json["root"]["kind"], "source");
    assert!(has_edge(&json, "people", "odd") && has_edge(&json, "shout", "final"), "{json}");
}

#[test]
fn text_dot_and_mermaid_render_the_same_edges() {
    let dir = lineage_project();
    let out = rocky(&["lineage", "shout.loud"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.starts_with("column lineage of shout.loud (upstream and downstream)"), "{}", out.all());
    assert!(out.stdout.contains("people.name → shout.loud  (expression)"), "{}", out.all());

    let out = rocky(&["lineage", "people.name", "--downstream", "--format", "dot"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.starts_with("digraph lineage {") && out.stdout.trim_end().ends_with('}'), "{}", out.all());
    assert!(out.stdout.contains("\"people.name\" -> \"shout.loud\" [label=\"expression\"];"), "{}", out.all());
    assert!(out.stdout.contains("\"people.name\" -> \"odd.say \\\"hi\\\"\""), "quotes escaped: {}", out.all());

    let out = rocky(&["lineage", "people.name", "--downstream", "--format", "mermaid"], dir.path());
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.starts_with("flowchart LR\n"), "{}", out.all());
    assert!(out.stdout.contains("[\"odd.say #quot;hi#quot;\"]"), "{}", out.all());
    // Every edge line connects two declared ids.
    let ids: Vec<&str> =
        out.stdout.lines().filter_map(|l| l.trim().split('[').next()).filter(|s| s.starts_with('n')).collect();
    let edge_lines: Vec<&str> = out.stdout.lines().filter(|l| l.contains("-->")).collect();
    assert_eq!(edge_lines.len(), 4, "{}", out.all());
    for l in edge_lines {
        let parts: Vec<&str> = l.split_whitespace().collect();
        assert!(ids.contains(&parts[0]) && ids.contains(parts.last().unwrap()), "{l}");
    }
}

#[test]
fn unknown_models_and_columns_suggest_names() {
    let dir = lineage_project();
    let out = rocky(&["lineage", "shuot"], dir.path());
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(
        out.stderr.contains("no model or source `shuot`") && out.stderr.contains("did you mean `shout`?"),
        "{}",
        out.all()
    );

    let out = rocky(&["lineage", "shout.lod"], dir.path());
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("model `shout` has no column `lod`"), "{}", out.all());
    assert!(out.stderr.contains("did you mean `loud`?"), "{}", out.all());

    let out = rocky(&["lineage", "zzz.q"], dir.path());
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("no model or source `zzz`"), "{}", out.all());

    let out = rocky(&["lineage", "shout", "--upstream", "--downstream"], dir.path());
    assert_eq!(out.code, 2, "clap refuses both flags: {}", out.all());
}
