//! IDE navigation features from strings: inlay hints, hover, definition, references, rename.

use rocky_analysis::ide::{FileRange, HoverSubject, InlayHint, NavigationTarget, TextEdit};
use rocky_analysis::{AnalysisHost, SourceColumn, SourceSchemaSnapshot, SourceTable, TextRange};

fn snapshot() -> SourceSchemaSnapshot {
    let mut s = SourceSchemaSnapshot::default();
    let table = |key: &str, cols: &[(&str, &str, bool)], written_at| SourceTable {
        key: key.to_string(),
        columns: cols
            .iter()
            .map(|(n, t, nullable)| SourceColumn {
                name: n.to_string(),
                type_string: t.to_string(),
                nullable: *nullable,
            })
            .collect(),
        written_at,
    };
    s.insert(table(
        "db.raw.orders",
        &[
            ("id", "INTEGER", false),
            ("customer_id", "BIGINT", false),
            ("amount", "DECIMAL(10,2)", true),
            ("status", "VARCHAR", true),
        ],
        Some(1_700_000_000),
    ));
    s.insert(table("db.raw.customers", &[("id", "INTEGER", false), ("name", "VARCHAR", true)], None));
    s
}

fn host(models: &[(&str, &str)]) -> AnalysisHost {
    let mut host = AnalysisHost::new();
    host.set_project_config(Some("[adapter]\ntype = \"duckdb\"\npath = \"db.duckdb\"\n".into()));
    host.set_source_schemas(snapshot());
    for (name, sql) in models {
        host.set_model(&format!("models/{name}.sql"), sql.to_string());
    }
    host
}

const STG_ORDERS: &str = "select id, customer_id, amount, status from raw.orders where status <> 'cancelled'";
const CUSTOMERS: &str = "select id as customer_id, name from raw.customers";
const ENRICHED: &str = "with paid as (\n    select o.id, o.customer_id, o.amount from stg_orders o where o.status = 'paid'\n)\nselect p.id, c.name, p.amount * 2 as double_amount, t.n\nfrom paid p\njoin customers c on c.customer_id = p.customer_id\ncross join (select count(*) as n from stg_orders) t\n";
const FCT: &str = "select customer_id, sum(amount) as total from stg_orders group by customer_id";
const PASS: &str = "select * from stg_orders";
const AFTER_PASS: &str = "select amount, id from pass order by amount";

fn project() -> AnalysisHost {
    host(&[
        ("stg_orders", STG_ORDERS),
        ("customers", CUSTOMERS),
        ("enriched", ENRICHED),
        ("fct", FCT),
        ("pass", PASS),
        ("after_pass", AFTER_PASS),
    ])
}

/// Byte offset of the `nth` occurrence of `needle` in `text`, plus `delta`.
fn at(text: &str, needle: &str, nth: usize, delta: u32) -> u32 {
    let mut from = 0;
    for _ in 0..nth {
        from += text[from..].find(needle).expect("needle") + needle.len();
    }
    (from + text[from..].find(needle).expect("needle")) as u32 + delta
}

fn hint(offset: u32, label: &str) -> (u32, String) {
    (offset, label.to_string())
}

fn labels(hints: &[InlayHint]) -> Vec<(u32, String)> {
    hints.iter().map(|h| (h.offset, h.label.clone())).collect()
}

/// The end of the `nth` occurrence of `needle`.
fn end_of(text: &str, needle: &str, nth: usize) -> u32 {
    at(text, needle, nth, needle.len() as u32)
}

fn range_of(text: &str, needle: &str, nth: usize) -> TextRange {
    TextRange::new(at(text, needle, nth, 0), end_of(text, needle, nth))
}

fn file_range(path: &str, text: &str, needle: &str, nth: usize) -> FileRange {
    FileRange { path: format!("models/{path}.sql"), range: range_of(text, needle, nth) }
}

fn edit(path: &str, range: TextRange, new_text: &str) -> TextEdit {
    TextEdit { path: format!("models/{path}.sql"), range, new_text: new_text.to_string() }
}

/// `text` of the file at `path` with the edits for it applied.
fn apply(edits: &[TextEdit], path: &str, text: &str) -> String {
    let mut text = text.to_string();
    let mut mine: Vec<&TextEdit> = edits.iter().filter(|e| e.path == path).collect();
    mine.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    for e in mine {
        text.replace_range(e.range.start as usize..e.range.end as usize, &e.new_text);
    }
    text
}

// ---- inlay hints ----------------------------------------------------------------------------

#[test]
fn inlay_hints_type_every_select_item_of_ctes_subqueries_and_joins() {
    let mut h = project();
    let hints = h.analysis().inlay_hints("models/enriched.sql", None).unwrap();
    let t = ENRICHED;
    assert_eq!(
        labels(&hints),
        vec![
            hint(end_of(t, "o.id", 0), "INTEGER"),
            hint(end_of(t, "o.customer_id", 0), "BIGINT"),
            hint(end_of(t, "o.amount", 0), "DECIMAL(10,2)?"),
            hint(end_of(t, "p.id", 0), "INTEGER"),
            hint(end_of(t, "c.name", 0), "VARCHAR?"),
            hint(end_of(t, "as double_amount", 0), "DECIMAL(18,2)?"),
            hint(end_of(t, "t.n", 0), "BIGINT"),
            hint(end_of(t, "as n", 0), "BIGINT"),
        ]
    );
    assert_eq!(hints[2].tooltip.as_deref(), Some("`amount`: DECIMAL(10,2) (nullable)"));
    assert_eq!(hints[0].tooltip.as_deref(), Some("`id`: INTEGER (never NULL)"));

    // Only the CTE's hints when asked for its range.
    let cte = TextRange::new(0, end_of(t, ")\n", 0));
    let in_cte = h.analysis().inlay_hints("models/enriched.sql", Some(cte)).unwrap();
    assert_eq!(labels(&in_cte), labels(&hints[..3]));
}

#[test]
fn inlay_hints_count_star_columns_and_skip_unknown_types() {
    let mut h = project();
    let hints = h.analysis().inlay_hints("models/pass.sql", None).unwrap();
    assert_eq!(labels(&hints), vec![hint(end_of(PASS, "*", 0), "4 columns")]);
    assert_eq!(hints[0].tooltip.as_deref(), Some("id, customer_id, amount, status"));

    // An uncached source: its columns are Unknown, so no hint for them nor for its `*`.
    let sql = "select e.id, 1 as one, e.* from other.events e";
    let mut h = host(&[("ev", sql)]);
    let hints = h.analysis().inlay_hints("models/ev.sql", None).unwrap();
    assert_eq!(labels(&hints), vec![hint(end_of(sql, "1 as one", 0), "INTEGER")]);
    assert!(h.analysis().inlay_hints("models/nope.sql", None).unwrap().is_empty());

    // `t.*` counts that table's columns only.
    let sql = "select o.*, c.name from stg_orders o join customers c on o.customer_id = c.customer_id";
    let mut h = host(&[("stg_orders", STG_ORDERS), ("customers", CUSTOMERS), ("j", sql)]);
    let hints = h.analysis().inlay_hints("models/j.sql", None).unwrap();
    assert_eq!(
        labels(&hints),
        vec![hint(end_of(sql, "o.*", 0), "4 columns"), hint(end_of(sql, "c.name", 0), "VARCHAR?")]
    );
}

// ---- hover ----------------------------------------------------------------------------------

#[test]
fn hover_on_a_column_shows_type_chain_and_consumers() {
    let mut h = project();
    let off = at(FCT, "amount", 0, 2);
    let hover = h.analysis().hover("models/fct.sql", off).unwrap().expect("hover");
    assert_eq!(hover.range, range_of(FCT, "amount", 0));
    assert_eq!(hover.subject, Some(HoverSubject::Column { model: Some("stg_orders".into()), column: "amount".into() }));
    assert_eq!(
        hover.markdown,
        "**`amount`** · `DECIMAL(10,2)` · nullable\n\n\
         Column `amount` of model `stg_orders`\n\n\
         **Upstream**\n\
         - `stg_orders.amount` ← source `db.raw.orders.amount` (copy)\n\n\
         **Downstream**\n\
         - `after_pass`: `amount` (copy)\n\
         - `enriched`: `double_amount` (expression)\n\
         - `fct`: `total` (aggregate)\n\
         - `pass`: `amount` (copy)\n"
    );

    // Before the project is indexed a language server asks without readers: the rest is the same.
    let pending = h.analysis().hover_with("models/fct.sql", off, false).unwrap().expect("hover");
    let (shown, _) = hover.markdown.split_once("**Downstream**").expect("readers listed");
    assert_eq!(pending.markdown, format!("{shown}**Downstream**\nnot known yet: the project is still being indexed\n"));

    // An output column of this model (its alias): chain through two steps, no consumers yet.
    let hover = h.analysis().hover("models/fct.sql", at(FCT, "total", 0, 0)).unwrap().expect("hover");
    assert_eq!(hover.range, range_of(FCT, "total", 0));
    assert_eq!(hover.subject, Some(HoverSubject::Column { model: Some("fct".into()), column: "total".into() }));
    assert!(hover.markdown.starts_with("**`total`** · `DECIMAL(38,2)` · nullable\n"), "{}", hover.markdown);
    assert!(
        hover.markdown.contains(
            "**Upstream**\n- `fct.total` ← `stg_orders.amount` (aggregate)\n\
             - `stg_orders.amount` ← source `db.raw.orders.amount` (copy)\n"
        ),
        "{}",
        hover.markdown
    );
    assert!(!hover.markdown.contains("Downstream"));

    // A CTE column: its direct input, then the model chain.
    let hover = h.analysis().hover("models/enriched.sql", at(ENRICHED, "p.amount", 0, 3)).unwrap().expect("hover");
    assert_eq!(hover.subject, Some(HoverSubject::Column { model: None, column: "amount".into() }));
    assert!(
        hover.markdown.contains(
            "Column of a CTE or subquery of this model\n\n**Upstream**\n\
             - `amount` ← `stg_orders.amount` (copy)\n\
             - `stg_orders.amount` ← source `db.raw.orders.amount` (copy)\n"
        ),
        "{}",
        hover.markdown
    );
    // An unaliased item of the model: the model's output column, whose chain reaches the source.
    let hover = h.analysis().hover("models/stg_orders.sql", at(STG_ORDERS, "amount", 0, 0)).unwrap().expect("hover");
    assert_eq!(hover.range, range_of(STG_ORDERS, "amount", 0));
    assert_eq!(hover.subject, Some(HoverSubject::Column { model: Some("stg_orders".into()), column: "amount".into() }));
    assert!(hover.markdown.contains("- `fct`: `total` (aggregate)\n"), "{}", hover.markdown);
    // A key-only consumer shows as `key`.
    let hover = h.analysis().hover("models/stg_orders.sql", at(STG_ORDERS, "status", 1, 0)).unwrap().expect("hover");
    assert!(hover.markdown.contains("- `enriched`: key\n"), "{}", hover.markdown);
}

#[test]
fn hover_caps_downstream_consumers() {
    let mut models: Vec<(String, String)> = vec![("base".into(), "select 1 as x".into())];
    for i in 0..25 {
        models.push((format!("m{i:02}"), format!("select x as y{i} from base")));
    }
    let refs: Vec<(&str, &str)> = models.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let mut h = host(&refs);
    let hover = h.analysis().hover("models/base.sql", at("select 1 as x", "x", 0, 0)).unwrap().expect("hover");
    let lines: Vec<&str> = hover.markdown.lines().filter(|l| l.starts_with("- ")).collect();
    assert_eq!(lines.len(), 21, "{}", hover.markdown);
    assert_eq!(lines[0], "- `m00`: `y0` (rename)");
    assert_eq!(lines[20], "- … and 5 more");
}

#[test]
fn hover_on_a_model_source_cte_alias_and_function() {
    let mut h = project();
    let a = h.analysis();
    let model_md = "**model** `stg_orders`\n\n\
        `models/stg_orders.sql` · strategy `full_refresh` · target `db.main.stg_orders`\n\n\
        | column | type |\n|---|---|\n\
        | `id` | `INTEGER` |\n| `customer_id` | `BIGINT` |\n| `amount` | `DECIMAL(10,2)?` |\n| `status` | `VARCHAR?` |\n";
    let hover = a.hover("models/fct.sql", at(FCT, "stg_orders", 0, 4)).unwrap().expect("hover");
    assert_eq!(hover.range, range_of(FCT, "stg_orders", 0));
    assert_eq!(hover.markdown, model_md);
    assert_eq!(
        hover.subject,
        Some(HoverSubject::Model { name: "stg_orders".into(), target: "db.main.stg_orders".into() })
    );
    // An alias of a model, where it is bound and where it qualifies a column.
    let hover = a.hover("models/enriched.sql", at(ENRICHED, "stg_orders o", 0, 11)).unwrap().expect("hover");
    let o = at(ENRICHED, "stg_orders o", 0, 11);
    assert_eq!(hover.range, TextRange::new(o, o + 1));
    assert_eq!(hover.markdown, model_md);
    let hover = a.hover("models/enriched.sql", at(ENRICHED, "o.status", 0, 0)).unwrap().expect("hover");
    assert_eq!(hover.range, TextRange::new(at(ENRICHED, "o.status", 0, 0), at(ENRICHED, "o.status", 0, 1)));
    assert_eq!(
        hover.subject,
        Some(HoverSubject::Model { name: "stg_orders".into(), target: "db.main.stg_orders".into() })
    );

    let hover = a.hover("models/stg_orders.sql", at(STG_ORDERS, "orders", 0, 0)).unwrap().expect("hover");
    assert_eq!(hover.range, range_of(STG_ORDERS, "raw.orders", 0));
    assert_eq!(hover.subject, Some(HoverSubject::Source { key: "db.raw.orders".into() }));
    assert_eq!(
        hover.markdown,
        "**source** `db.raw.orders`\n\n| column | type |\n|---|---|\n\
         | `id` | `INTEGER` |\n| `customer_id` | `BIGINT` |\n| `amount` | `DECIMAL(10,2)?` |\n| `status` | `VARCHAR?` |\n"
    );

    let hover = a.hover("models/enriched.sql", at(ENRICHED, "paid p", 0, 1)).unwrap().expect("hover");
    assert_eq!(hover.subject, None);
    assert_eq!(
        hover.markdown,
        "**CTE** `paid`\n\n| column | type |\n|---|---|\n\
         | `id` | `INTEGER` |\n| `customer_id` | `BIGINT` |\n| `amount` | `DECIMAL(10,2)?` |\n"
    );

    let hover = a.hover("models/fct.sql", at(FCT, "sum", 0, 1)).unwrap().expect("hover");
    assert_eq!(hover.range, range_of(FCT, "sum", 0));
    assert_eq!(hover.subject, Some(HoverSubject::Function { name: "sum".into() }));
    assert!(hover.markdown.starts_with("**aggregate function** `sum`\n\n```sql\n"), "{}", hover.markdown);
    assert!(hover.markdown.contains("sum(DECIMAL) -> DECIMAL\n"), "{}", hover.markdown);

    // Nothing to say on keywords, literals and whitespace.
    assert_eq!(a.hover("models/fct.sql", 2).unwrap(), None);
    assert_eq!(a.hover("models/stg_orders.sql", at(STG_ORDERS, "'cancelled'", 0, 3)).unwrap(), None);
    assert_eq!(a.hover("models/none.sql", 0).unwrap(), None);
}

// ---- definition -----------------------------------------------------------------------------

fn target(path: &str, name: &str, full_range: TextRange, focus_range: TextRange) -> NavigationTarget {
    NavigationTarget { path: format!("models/{path}.sql"), name: name.into(), full_range, focus_range }
}

#[test]
fn definition_of_models_ctes_aliases_and_columns() {
    let mut h = project();
    let a = h.analysis();
    let whole = TextRange::new(0, STG_ORDERS.len() as u32);
    assert_eq!(
        a.goto_definition("models/fct.sql", at(FCT, "stg_orders", 0, 3)).unwrap(),
        vec![target("stg_orders", "stg_orders", whole, TextRange::empty(0))]
    );
    // CTE reference → `paid as ( … )`.
    let cte_full = TextRange::new(at(ENRICHED, "paid", 0, 0), end_of(ENRICHED, ")\n", 0) - 1);
    assert_eq!(
        a.goto_definition("models/enriched.sql", at(ENRICHED, "paid p", 0, 2)).unwrap(),
        vec![target("enriched", "paid", cte_full, range_of(ENRICHED, "paid", 0))]
    );
    // Alias use → its binding.
    assert_eq!(
        a.goto_definition("models/enriched.sql", at(ENRICHED, "p.amount", 0, 0)).unwrap(),
        vec![target(
            "enriched",
            "p",
            range_of(ENRICHED, "paid p", 0),
            TextRange::new(end_of(ENRICHED, "paid p", 0) - 1, end_of(ENRICHED, "paid p", 0))
        )]
    );
    // Column of a CTE → the CTE's select item.
    assert_eq!(
        a.goto_definition("models/enriched.sql", at(ENRICHED, "p.amount", 0, 4)).unwrap(),
        vec![target("enriched", "amount", range_of(ENRICHED, "o.amount", 0), range_of(ENRICHED, "o.amount", 0))]
    );
    // Column of an upstream model → its select item there.
    let stg_amount = range_of(STG_ORDERS, "amount", 0);
    assert_eq!(
        a.goto_definition("models/fct.sql", at(FCT, "amount", 0, 1)).unwrap(),
        vec![target("stg_orders", "amount", stg_amount, stg_amount)]
    );
    // … also through `select *` in between.
    assert_eq!(
        a.goto_definition("models/after_pass.sql", at(AFTER_PASS, "amount", 1, 1)).unwrap(),
        vec![target("stg_orders", "amount", stg_amount, stg_amount)]
    );
    // An aliased item, from its use in ORDER BY / from itself.
    let sql = "select amount as amt from stg_orders order by amt";
    let mut h2 = host(&[("stg_orders", STG_ORDERS), ("o", sql)]);
    let item = TextRange::new(at(sql, "amount", 0, 0), end_of(sql, "as amt", 0));
    assert_eq!(
        h2.analysis().goto_definition("models/o.sql", at(sql, "amt", 1, 1)).unwrap(),
        vec![target("o", "amt", item, range_of(sql, "amt", 0))]
    );
    // Source columns and functions have no definition in the project.
    assert!(a.goto_definition("models/stg_orders.sql", at(STG_ORDERS, "amount", 0, 1)).unwrap().is_empty());
    assert!(a.goto_definition("models/stg_orders.sql", at(STG_ORDERS, "orders", 0, 1)).unwrap().is_empty());
    assert!(a.goto_definition("models/fct.sql", at(FCT, "sum", 0, 1)).unwrap().is_empty());
}

#[test]
fn definition_of_a_model_lands_on_its_query_not_its_comment_header() {
    let header = "-- Orders, cleaned.\n/* owner: data team\n   refreshed hourly */\n\n";
    let sql = format!("{header}  with o as (select 1 as id)\nselect id from o;\n-- end\n\n");
    let mut h = host(&[("stg", &sql), ("fct", "select id from stg")]);
    let start = header.len() as u32 + 2;
    let end = (sql.find("o;").unwrap() + 2) as u32;
    assert_eq!(
        h.analysis().goto_definition("models/fct.sql", at("select id from stg", "stg", 0, 1)).unwrap(),
        vec![target("stg", "stg", TextRange::new(start, end), TextRange::empty(start))]
    );
    // The declaration that references list is the same place.
    let refs = h.analysis().references("models/fct.sql", 16, true).unwrap();
    assert!(refs.contains(&FileRange { path: "models/stg.sql".into(), range: TextRange::empty(start) }), "{refs:?}");
    // A file holding only comments: its start.
    let mut h = host(&[("stg", "-- nothing yet\n"), ("fct", "select 1 from stg")]);
    let def = h.analysis().goto_definition("models/fct.sql", 15).unwrap();
    assert_eq!(def[0].focus_range, TextRange::empty(0), "{def:?}");
}

// ---- references -----------------------------------------------------------------------------

#[test]
fn references_of_a_model_across_the_project() {
    let mut h = project();
    let refs = h.analysis().references("models/fct.sql", at(FCT, "stg_orders", 0, 0), false).unwrap();
    assert_eq!(
        refs,
        vec![
            file_range("enriched", ENRICHED, "stg_orders", 0),
            file_range("enriched", ENRICHED, "stg_orders", 1),
            file_range("fct", FCT, "stg_orders", 0),
            file_range("pass", PASS, "stg_orders", 0),
        ]
    );
    let with_decl = h.analysis().references("models/fct.sql", at(FCT, "stg_orders", 0, 0), true).unwrap();
    assert_eq!(with_decl.len(), 5);
    assert!(with_decl.contains(&FileRange { path: "models/stg_orders.sql".into(), range: TextRange::empty(0) }));
}

#[test]
fn references_of_a_column_across_models_and_star() {
    let mut h = project();
    let expected = vec![
        file_range("after_pass", AFTER_PASS, "amount", 0),
        file_range("after_pass", AFTER_PASS, "amount", 1),
        file_range("enriched", ENRICHED, "amount", 0),
        file_range("fct", FCT, "amount", 0),
    ];
    // From a downstream reference, from a reference through `*`: the same column.
    let refs = h.analysis().references("models/fct.sql", at(FCT, "amount", 0, 0), false).unwrap();
    assert_eq!(refs, expected);
    let refs = h.analysis().references("models/after_pass.sql", at(AFTER_PASS, "amount", 1, 0), false).unwrap();
    assert_eq!(refs, expected);
    let mut with_decl = expected.clone();
    with_decl.push(file_range("stg_orders", STG_ORDERS, "amount", 0));
    let refs = h.analysis().references("models/fct.sql", at(FCT, "amount", 0, 0), true).unwrap();
    assert_eq!(refs, with_decl);
    // A CTE column: its uses in the file.
    let refs = h.analysis().references("models/enriched.sql", at(ENRICHED, "p.customer_id", 0, 2), true).unwrap();
    assert_eq!(
        refs,
        vec![file_range("enriched", ENRICHED, "o.customer_id", 0), file_range("enriched", ENRICHED, "customer_id", 2)]
    );
}

// ---- rename ---------------------------------------------------------------------------------

const FCT_TOP: &str = "select customer_id, total from fct where total > 100";

#[test]
fn rename_an_aliased_column_and_its_downstream_references() {
    let mut h = project();
    h.set_model("models/fct_top.sql", FCT_TOP.to_string());
    let a = h.analysis();
    let expected = vec![
        edit("fct", range_of(FCT, "total", 0), "revenue"),
        edit("fct_top", range_of(FCT_TOP, "total", 0), "revenue"),
        edit("fct_top", range_of(FCT_TOP, "total", 1), "revenue"),
    ];
    assert_eq!(a.rename("models/fct.sql", at(FCT, "total", 0, 2), "revenue").unwrap(), Ok(expected.clone()));
    assert_eq!(a.rename("models/fct_top.sql", at(FCT_TOP, "total", 1, 0), "revenue").unwrap(), Ok(expected));
    assert_eq!(
        a.prepare_rename("models/fct_top.sql", at(FCT_TOP, "total", 1, 3)).unwrap(),
        Ok(range_of(FCT_TOP, "total", 1))
    );
    assert_eq!(a.prepare_rename("models/fct.sql", at(FCT, "total", 0, 0)).unwrap(), Ok(range_of(FCT, "total", 0)));
}

#[test]
fn rename_an_unaliased_column_adds_as_and_follows_star_and_plain_references() {
    let mut h = project();
    let a = h.analysis();
    let edits = a.rename("models/fct.sql", at(FCT, "amount", 0, 0), "amt").unwrap().expect("renames");
    assert_eq!(
        edits,
        vec![
            edit("after_pass", range_of(AFTER_PASS, "amount", 0), "amt"),
            edit("after_pass", range_of(AFTER_PASS, "amount", 1), "amt"),
            edit("enriched", range_of(ENRICHED, "amount", 0), "amt"),
            edit("enriched", range_of(ENRICHED, "amount", 1), "amt"),
            edit("fct", range_of(FCT, "amount", 0), "amt"),
            edit("stg_orders", TextRange::empty(end_of(STG_ORDERS, "amount", 0)), " AS amt"),
        ]
    );
    // Applying the edits leaves a project without errors whose column is renamed.
    let mut renamed = project();
    for (path, text) in [("after_pass", AFTER_PASS), ("enriched", ENRICHED), ("fct", FCT), ("stg_orders", STG_ORDERS)] {
        let path = format!("models/{path}.sql");
        renamed.set_model(&path, apply(&edits, &path, text));
    }
    // The same rename starts from the unaliased item itself (its source column cannot change).
    let from_item = a.rename("models/stg_orders.sql", at(STG_ORDERS, "amount", 0, 2), "amt").unwrap();
    assert_eq!(from_item, Ok(edits.clone()));
    assert_eq!(
        a.prepare_rename("models/stg_orders.sql", at(STG_ORDERS, "amount", 0, 2)).unwrap(),
        Ok(range_of(STG_ORDERS, "amount", 0))
    );
    let diags = renamed.analysis().all_diagnostics().unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    let after = renamed.analysis().model("after_pass").unwrap().expect("model");
    assert_eq!(after.schema.columns[0].name, "amt");
}

#[test]
fn rename_a_table_alias_and_a_cte_in_their_file() {
    let mut h = project();
    let a = h.analysis();
    let renamed = |path: &str, text: &str, offset: u32, new_name: &str| {
        let edits = a.rename(path, offset, new_name).unwrap().expect("renames");
        assert!(edits.iter().all(|e| e.path == path), "{edits:?}");
        apply(&edits, path, text)
    };
    // The alias `o`, from its definition: every qualifier follows.
    let from_definition = renamed("models/enriched.sql", ENRICHED, at(ENRICHED, "stg_orders o", 0, 11), "ord");
    assert_eq!(from_definition, ENRICHED.replace("o.", "ord.").replace("stg_orders o ", "stg_orders ord "));
    // The same rename from a qualifier.
    let from_qualifier = renamed("models/enriched.sql", ENRICHED, at(ENRICHED, "o.amount", 0, 0), "ord");
    assert_eq!(from_qualifier, from_definition);
    assert_eq!(
        a.prepare_rename("models/enriched.sql", at(ENRICHED, "o.amount", 0, 0)).unwrap(),
        Ok(TextRange::new(at(ENRICHED, "o.amount", 0, 0), at(ENRICHED, "o.amount", 0, 1)))
    );
    // The CTE `paid`, from its reference: its definition follows, the alias `p` stays.
    let cte = renamed("models/enriched.sql", ENRICHED, at(ENRICHED, "from paid", 0, 6), "paid_orders");
    assert_eq!(
        cte,
        ENRICHED.replace("with paid as", "with paid_orders as").replace("from paid p", "from paid_orders p")
    );
    // An unaliased CTE is named by its qualifiers too, `x.*` included.
    let sql = "with x as (select 1 as a) select x.a, x.* from x";
    let mut h2 = host(&[("m", sql)]);
    let edits = h2.analysis().rename("models/m.sql", at(sql, "x.a", 0, 0), "y").unwrap().expect("renames");
    assert_eq!(apply(&edits, "models/m.sql", sql), "with y as (select 1 as a) select y.a, y.* from y");
    // Each renamed project still checks clean and keeps its schema.
    for (text, name) in [(from_definition, "alias"), (cte, "cte")] {
        let mut after = project();
        after.set_model("models/enriched.sql", text);
        let diags = after.analysis().all_diagnostics().unwrap();
        assert!(diags.is_empty(), "{name}: {diags:?}");
    }
}

#[test]
fn rename_of_an_alias_or_cte_refuses_what_it_cannot_do_safely() {
    let mut h = project();
    let a = h.analysis();
    let err = |r: Result<Vec<TextEdit>, String>| r.expect_err("refused");
    // The new name already names a table in the file; a CTE would hide a model.
    let e = err(a.rename("models/enriched.sql", at(ENRICHED, "from paid p", 0, 10), "c").unwrap());
    assert_eq!(e, "`c` already names a table or CTE in this file; pick another name");
    let e = err(a.rename("models/enriched.sql", at(ENRICHED, "with paid", 0, 5), "T").unwrap());
    assert_eq!(e, "`T` already names a table or CTE in this file; pick another name");
    let e = err(a.rename("models/enriched.sql", at(ENRICHED, "with paid", 0, 5), "fct").unwrap());
    assert_eq!(e, "`fct` is a model: a CTE of that name would hide it; pick another name");
    // A source table.
    let e = err(a.rename("models/stg_orders.sql", at(STG_ORDERS, "raw.orders", 0, 5), "x").unwrap());
    assert_eq!(e, "`db.raw.orders` is a source table: its name is defined by the warehouse, not by a model");
    // A use of the alias the resolution index does not know (an unknown column's qualifier in a
    // lambda is not resolved): refused with its line, instead of leaving it behind.
    let sql = "select o.id,\n  list_transform([1], x -> o.nope) as l\nfrom stg_orders o";
    let mut h2 = host(&[("stg_orders", STG_ORDERS), ("m", sql)]);
    let e = h2.analysis().prepare_rename("models/m.sql", at(sql, "o.id", 0, 0)).unwrap().expect_err("refused");
    assert_eq!(e, "`o` on line 2 is a use Rocky cannot resolve; rename by hand (or fix the query first)");
    // An inner scope's own `o` is another alias: renaming the outer one leaves it alone.
    let sql = "select o.id, (select max(o.amount) from stg_orders o) as m from stg_orders o";
    let mut h3 = host(&[("stg_orders", STG_ORDERS), ("m", sql)]);
    let edits = h3.analysis().rename("models/m.sql", at(sql, "o.id", 0, 0), "outer_o").unwrap().expect("renames");
    assert_eq!(
        apply(&edits, "models/m.sql", sql),
        "select outer_o.id, (select max(o.amount) from stg_orders o) as m from stg_orders outer_o"
    );
}

#[test]
fn rename_quotes_names_that_need_it() {
    let mut h = project();
    let edits = h.analysis().rename("models/fct.sql", at(FCT, "total", 0, 0), "grand total").unwrap().expect("ok");
    assert_eq!(edits, vec![edit("fct", range_of(FCT, "total", 0), "\"grand total\"")]);
    let edits = h.analysis().rename("models/fct.sql", at(FCT, "total", 0, 0), "select").unwrap().expect("ok");
    assert_eq!(edits[0].new_text, "\"select\"");
}

#[test]
fn rename_refuses_what_it_cannot_do_safely() {
    let mut h = project();
    let a = h.analysis();
    let err = |r: Result<Vec<TextEdit>, String>| r.expect_err("refused");
    // A source column (outside a select item named after it).
    let e = err(a.rename("models/stg_orders.sql", at(STG_ORDERS, "status", 1, 0), "state").unwrap());
    assert_eq!(
        e,
        "`status` is a column of the source `db.raw.orders`: its name is defined by the warehouse, not by a model"
    );
    assert!(a.prepare_rename("models/stg_orders.sql", at(STG_ORDERS, "status", 1, 0)).unwrap().is_err());
    // A collision in the defining SELECT, and one downstream.
    let e = err(a.rename("models/fct.sql", at(FCT, "total", 0, 0), "customer_id").unwrap());
    assert_eq!(e, "`customer_id` is already a column of that SELECT in models/fct.sql; pick another name");
    let e = err(a.rename("models/fct.sql", at(FCT, "amount", 0, 0), "status").unwrap());
    assert_eq!(e, "`status` is already a column of that SELECT in models/stg_orders.sql; pick another name");
    let e = err(a.rename("models/after_pass.sql", at(AFTER_PASS, "amount", 0, 0), "id").unwrap());
    assert!(e.starts_with("`id` is already a column of that SELECT in models/stg_orders.sql"), "{e}");
    // Not a column: a keyword, `*`, a table, a function.
    let not_a_column =
        "there is no column name here: rename works on a column (a select item's alias or a column reference)";
    assert_eq!(err(a.rename("models/fct.sql", 1, "x").unwrap()), not_a_column);
    assert_eq!(err(a.rename("models/pass.sql", at(PASS, "*", 0, 0), "x").unwrap()), not_a_column);
    assert_eq!(
        err(a.rename("models/fct.sql", at(FCT, "stg_orders", 0, 0), "x").unwrap()),
        "`stg_orders` is a model: a model rename (`rename_model`) changes its references and its file or sidecar `name`"
    );
    assert_eq!(err(a.rename("models/fct.sql", at(FCT, "sum", 0, 0), "x").unwrap()), not_a_column);
    assert_eq!(a.prepare_rename("models/fct.sql", 1).unwrap(), Err(not_a_column.to_string()));
    // An empty name; a column of an uncached source.
    assert_eq!(err(a.rename("models/fct.sql", at(FCT, "total", 0, 0), " ").unwrap()), "the new name is empty");
    let sql = "select e.id + 1 as next from other.events e";
    let mut h2 = host(&[("ev", sql)]);
    let e = err(h2.analysis().rename("models/ev.sql", at(sql, "id", 0, 0), "x").unwrap());
    assert_eq!(
        e,
        "`id` is a column of the source `db.other.events`: its name is defined by the warehouse, not by a model"
    );
    // A USING key names the column of both sides: renaming one would break the join.
    let sql = "select a.amount, customer_id from stg_orders a join customers c using (customer_id)";
    let mut h3 = host(&[("stg_orders", STG_ORDERS), ("customers", CUSTOMERS), ("u", sql)]);
    let e = err(h3.analysis().rename("models/customers.sql", at(CUSTOMERS, "customer_id", 0, 0), "cid").unwrap());
    assert_eq!(
        e,
        "`customer_id` is a USING join key in models/u.sql: renaming one side would break the join; join with ON first"
    );
}

// ---- robustness -----------------------------------------------------------------------------

fn sql_files(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("fixture dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sql_files(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "sql") {
            let rel = path.strip_prefix(root).expect("under root").to_string_lossy().replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&path).expect("read")));
        }
    }
}

fn every_offset_is_safe(host: &mut AnalysisHost, files: &[(String, String)]) {
    let a = host.analysis();
    for (path, text) in files {
        assert!(a.inlay_hints(path, None).is_ok());
        for off in 0..=text.len() as u32 + 1 {
            a.hover(path, off).unwrap();
            a.goto_definition(path, off).unwrap();
            a.inlay_hints(path, Some(TextRange::new(off, off + 1))).unwrap();
        }
    }
}

#[test]
fn every_offset_of_the_realistic_fixture_is_safe() {
    let (mut h, files) = realistic_host();
    assert!(files.len() >= 30, "fixture models: {}", files.len());
    every_offset_is_safe(&mut h, &files);
    // References and rename at every offset do not panic either; every rename edit lands on a
    // name in its file.
    let a = h.analysis();
    let mut renames = 0;
    for (path, text) in &files {
        for off in 0..=text.len() as u32 {
            let _ = a.references(path, off, true).unwrap();
            let _ = a.prepare_rename(path, off).unwrap();
            if let Ok(edits) = a.rename(path, off, "renamed").unwrap() {
                renames += 1;
                for e in edits {
                    let file = a.file_text(&e.path).expect("edited file exists");
                    let old = &file[e.range.start as usize..e.range.end as usize];
                    assert!(
                        e.new_text == "renamed" && !old.is_empty() || e.new_text == " AS renamed" && old.is_empty()
                    );
                }
            }
        }
    }
    assert!(renames > 100, "renames: {renames}");
}

#[test]
fn every_offset_of_garbage_is_safe() {
    let garbage = [
        "select (((( from where ,,, as as as",
        "with a as (select * from a) select a.x.y.z from a, a",
        "select \"unterminated from x",
        "select é, ü.ñ, 'ß' from ☃ where 💥 = 1",
        "select * exclude (nope) replace (1 as also) rename (x as y) from stg_orders t(a, b, c)",
        "with recursive r(n) as (select 1 union all select n + 1 from r) select * from r",
        "select sum(sum(x)) over (partition by 1), count(*) filter (where) from",
        "",
    ];
    let mut models: Vec<(&str, &str)> = vec![("stg_orders", STG_ORDERS)];
    let names: Vec<String> = (0..garbage.len()).map(|i| format!("g{i}")).collect();
    for (i, g) in garbage.iter().enumerate() {
        models.push((names[i].as_str(), g));
    }
    let mut h = host(&models);
    let files: Vec<(String, String)> = models.iter().map(|(n, t)| (format!("models/{n}.sql"), t.to_string())).collect();
    every_offset_is_safe(&mut h, &files);
    let a = h.analysis();
    for (path, text) in &files {
        for off in 0..=text.len() as u32 {
            let _ = a.references(path, off, false).unwrap();
            let _ = a.rename(path, off, "z").unwrap();
        }
    }
}

#[test]
fn recursive_ctes_are_hinted_once() {
    let sql = "with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select n from r";
    let mut h = host(&[("rec", sql)]);
    let hints = h.analysis().inlay_hints("models/rec.sql", None).unwrap();
    assert_eq!(
        labels(&hints),
        vec![
            hint(end_of(sql, "select 1", 0), "INTEGER"),
            hint(end_of(sql, "n + 1", 0), "INTEGER"),
            hint(end_of(sql, "select n", 1), "INTEGER"),
        ]
    );
    // `n` in the recursive part is the CTE's column: its definition is the base part's item.
    let def = h.analysis().goto_definition("models/rec.sql", at(sql, "n + 1", 0, 0)).unwrap();
    assert_eq!(def, vec![target("rec", "1", range_of(sql, "1", 0), range_of(sql, "1", 0))]);
}

fn realistic_host() -> (AnalysisHost, Vec<(String, String)>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/realistic");
    let mut files = Vec::new();
    sql_files(&root, &root, &mut files);
    let mut h = AnalysisHost::new();
    h.set_project_config(std::fs::read_to_string(root.join("rocky.toml")).ok());
    for (path, text) in &files {
        h.set_model(path, text.clone());
    }
    (h, files)
}

fn codes(h: &mut AnalysisHost) -> Vec<String> {
    let mut codes: Vec<String> =
        h.analysis().all_diagnostics().unwrap().iter().map(|d| format!("{} {}", d.code.as_str(), d.file)).collect();
    codes.sort();
    codes
}

#[test]
fn renames_in_the_realistic_fixture_keep_it_checking_the_same() {
    let (mut h, files) = realistic_host();
    let before = codes(&mut h);
    let mut edit_sets: Vec<Vec<TextEdit>> = Vec::new();
    {
        let a = h.analysis();
        for (path, text) in &files {
            for off in 0..=text.len() as u32 {
                if let Ok(edits) = a.rename(path, off, "renamed_col").unwrap() {
                    if !edit_sets.contains(&edits) {
                        edit_sets.push(edits);
                    }
                }
            }
        }
    }
    assert!(edit_sets.len() > 50, "distinct renames: {}", edit_sets.len());
    // Every 4th distinct rename, applied, leaves the same diagnostics (none new, none gone).
    for edits in edit_sets.iter().step_by(4) {
        let (mut renamed, _) = realistic_host();
        let mut paths: Vec<&str> = edits.iter().map(|e| e.path.as_str()).collect();
        paths.dedup();
        for path in paths {
            let text = &files.iter().find(|(p, _)| p == path).expect("file").1;
            renamed.set_model(path, apply(edits, path, text));
        }
        assert_eq!(codes(&mut renamed), before, "after {edits:?}");
    }
}
