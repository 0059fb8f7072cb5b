//! The editing features of the IDE API (completion, signature help, semantic tokens, symbols,
//! code actions) on projects built from strings, including SQL that does not parse.

use rocky_analysis::ide::{AssistKind, CompletionItem, CompletionKind, SemanticTokenKind, SymbolKind};
use rocky_analysis::{AnalysisHost, SourceColumn, SourceSchemaSnapshot, SourceTable, TextRange};

/// A schema cache from `(key, "name TYPE, name TYPE")` pairs.
fn cache(tables: &[(&str, &str)]) -> SourceSchemaSnapshot {
    let mut s = SourceSchemaSnapshot::default();
    for (key, columns) in tables {
        let columns = columns.split(", ").filter_map(|c| c.split_once(' ')).map(|(n, t)| SourceColumn {
            name: n.into(),
            type_string: t.into(),
            nullable: true,
        });
        s.insert(SourceTable { key: key.to_string(), columns: columns.collect(), written_at: None });
    }
    s
}

/// Upstream models most tests read: a model `orders` and a model over a cached source.
const UPSTREAM: &[(&str, &str)] = &[
    ("orders", "select id, customer_id, amount, status from raw.orders"),
    ("stg_orders", "select id as order_id, customer_id, amount from raw.orders"),
];

fn project(models: &[(&str, &str)]) -> AnalysisHost {
    let mut host = AnalysisHost::new();
    host.set_project_config(Some("[adapter]\ntype = \"duckdb\"\npath = \"db.duckdb\"\n".into()));
    host.set_source_schemas(cache(&[
        ("db.raw.orders", "id INTEGER, customer_id BIGINT, amount DECIMAL(10,2), status VARCHAR"),
        ("db.raw.customers", "id INTEGER, name VARCHAR"),
    ]));
    for (name, sql) in models {
        host.set_model(&format!("models/{name}.sql"), sql.to_string());
    }
    host
}

/// A project of [`UPSTREAM`] plus model `m` = `sql` with the `|` cursor marker removed.
fn with_cursor(sql: &str) -> (AnalysisHost, u32) {
    let offset = sql.find('|').expect("cursor marker") as u32;
    let text = sql.replacen('|', "", 1);
    let mut models = UPSTREAM.to_vec();
    models.push(("m", &text));
    (project(&models), offset)
}

/// Completions at the `|` in `sql`.
fn complete(sql: &str) -> Vec<CompletionItem> {
    let (mut host, offset) = with_cursor(sql);
    host.analysis().completions("models/m.sql", offset).expect("not cancelled")
}

/// (kind, label, detail) of every item that is not a function or keyword.
fn names(items: &[CompletionItem]) -> Vec<(CompletionKind, String, String)> {
    items
        .iter()
        .filter(|i| !matches!(i.kind, CompletionKind::Function | CompletionKind::Keyword))
        .map(|i| (i.kind, i.label.clone(), i.detail.clone().unwrap_or_default()))
        .collect()
}

fn labels(items: &[CompletionItem], kind: CompletionKind) -> Vec<String> {
    items.iter().filter(|i| i.kind == kind).map(|i| i.label.clone()).collect()
}

fn owned(v: &[(CompletionKind, &str, &str)]) -> Vec<(CompletionKind, String, String)> {
    v.iter().map(|(k, l, d)| (*k, l.to_string(), d.to_string())).collect()
}

use CompletionKind::{Alias, Column, Cte, Keyword, Model, Source};

#[test]
fn completion_after_from_offers_ctes_models_and_sources() {
    let items = complete("with recent as (select id, status from raw.orders) select * from |");
    assert_eq!(
        names(&items),
        owned(&[
            (Cte, "recent", "CTE · 2 columns"),
            (Model, "orders", "model → db.main.orders · 4 columns"),
            (Model, "stg_orders", "model → db.main.stg_orders · 3 columns"),
            (Source, "raw.customers", "source · 2 columns"),
            (Source, "raw.orders", "source · 4 columns"),
        ])
    );
    assert!(items.iter().all(|i| !matches!(i.kind, CompletionKind::Function | Keyword)));
    // A partial name filters; JOIN is a table position too.
    let items = complete("select * from orders o join st|");
    assert_eq!(names(&items), owned(&[(Model, "stg_orders", "model → db.main.stg_orders · 3 columns")]));
    // A comma in FROM starts another table.
    let items = complete("select * from orders o, raw.c|");
    assert_eq!(names(&items), owned(&[(Source, "customers", "source · 2 columns")]));
}

#[test]
fn completion_after_from_does_not_offer_what_runs_built_as_sources() {
    let (mut host, offset) = with_cursor("select * from |");
    let mut snapshot = cache(&[
        ("db.raw.orders", "id INTEGER, customer_id BIGINT, amount DECIMAL(10,2), status VARCHAR"),
        ("db.raw.customers", "id INTEGER, name VARCHAR"),
        // A model's production target (an old cache file: no mark), a branch build, a default
        // shadow build, and a shadow build into a custom schema and an old target (both marked).
        ("db.main.orders", "id INTEGER"),
        ("db.branch__fix__main.orders", "id INTEGER"),
        ("db.rocky_shadow.main__orders", "id INTEGER"),
        ("db.ci_check.main__orders", "id INTEGER"),
        ("db.main.renamed_away", "id INTEGER"),
    ]);
    snapshot.mark_build_output("db.ci_check.main__orders");
    snapshot.mark_build_output("DB.main.renamed_away");
    host.set_source_schemas(snapshot);
    let items = host.analysis().completions("models/m.sql", offset).expect("not cancelled");
    assert_eq!(labels(&items, Source), ["raw.customers", "raw.orders"]);
    assert_eq!(labels(&items, Model), ["orders", "stg_orders"]);
    for schema in ["branch__fix__main", "rocky_shadow", "ci_check"] {
        host.set_model("models/m.sql", format!("select * from {schema}."));
        let offset = format!("select * from {schema}.").len() as u32;
        let items = host.analysis().completions("models/m.sql", offset).expect("not cancelled");
        assert!(labels(&items, Source).is_empty(), "{schema}: {:?}", names(&items));
    }
    // A query that reads a built table explicitly is still typed from the cache.
    host.set_model("models/m.sql", "select id + 1 as next from ci_check.main__orders".into());
    let diagnostics = host.analysis().file_diagnostics("models/m.sql").expect("not cancelled");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
}

#[test]
fn completion_after_schema_dot_lists_that_schemas_tables() {
    let items = complete("select * from raw.|");
    assert_eq!(
        names(&items),
        owned(&[(Source, "customers", "source · 2 columns"), (Source, "orders", "source · 4 columns")])
    );
}

#[test]
fn completion_after_alias_dot_lists_only_that_relations_columns() {
    let items = complete("select o.| from stg_orders o join raw.customers c on c.id = o.customer_id");
    assert_eq!(
        names(&items),
        owned(&[
            (Column, "amount", "DECIMAL(10,2)"),
            (Column, "customer_id", "BIGINT"),
            (Column, "order_id", "INTEGER")
        ])
    );
    assert_eq!(items.len(), 3, "no functions or keywords after a qualifier");
    let items = complete("select c.n| from stg_orders o join raw.customers c on c.id = o.customer_id");
    assert_eq!(names(&items), owned(&[(Column, "name", "VARCHAR")]));
    // An unknown qualifier offers nothing rather than guessing.
    assert!(complete("select x.| from stg_orders o").is_empty());
}

#[test]
fn completion_on_sql_that_does_not_parse() {
    // The statement is incomplete, yet the FROM clause after the cursor gives the scope.
    let items = complete("SELECT o.| FROM orders o");
    assert_eq!(
        names(&items),
        owned(&[
            (Column, "amount", "DECIMAL(10,2)"),
            (Column, "customer_id", "BIGINT"),
            (Column, "id", "INTEGER"),
            (Column, "status", "VARCHAR"),
        ])
    );
    let items = complete("SELECT | FROM orders");
    assert_eq!(
        names(&items),
        owned(&[
            (Column, "amount", "DECIMAL(10,2) · orders"),
            (Column, "customer_id", "BIGINT · orders"),
            (Column, "id", "INTEGER · orders"),
            (Column, "status", "VARCHAR · orders"),
            (Alias, "orders", "table"),
        ])
    );
    // Columns, then aliases, then functions, then keywords.
    let kinds: Vec<CompletionKind> = items.iter().map(|i| i.kind).collect();
    let first_fn = kinds.iter().position(|k| *k == CompletionKind::Function).expect("functions offered");
    let first_kw = kinds.iter().position(|k| *k == Keyword).expect("keywords offered");
    assert_eq!(first_fn, 5);
    assert!(kinds[first_fn..first_kw].iter().all(|k| *k == CompletionKind::Function));
    assert!(kinds[first_kw..].iter().all(|k| *k == Keyword));
    assert!(labels(&items, Keyword).contains(&"FROM".to_string()));
    // An unterminated string after the cursor does not hide the scope before it.
    let items = complete("select a.| from orders a where status = 'open");
    assert_eq!(labels(&items, Column), vec!["amount", "customer_id", "id", "status"]);
}

#[test]
fn completion_in_select_list_filters_by_the_typed_prefix() {
    let items = complete("select o.id, cu| from stg_orders o join raw.customers c on c.id = o.customer_id");
    assert_eq!(names(&items), owned(&[(Column, "customer_id", "BIGINT · o")]));
    let functions = labels(&items, CompletionKind::Function);
    assert!(functions.contains(&"current_date".to_string()), "{functions:?}");
    assert!(functions.iter().all(|f| f.starts_with("cu")), "{functions:?}");
    let cume = items.iter().find(|i| i.label == "cume_dist").expect("cume_dist");
    assert_eq!(cume.insert_text.as_deref(), Some("cume_dist("));
    assert_eq!(cume.detail.as_deref(), Some("cume_dist() -> DOUBLE"));
    // A column two relations have is marked ambiguous; prefix matching ignores case.
    let items = complete("select ID| from stg_orders o join raw.customers c on c.id = o.customer_id");
    assert_eq!(names(&items), owned(&[(Column, "id", "INTEGER · c")]));
    let items = complete("select c.| from (raw.orders o join raw.customers c on o.id = c.id)");
    assert_eq!(labels(&items, Column), vec!["id", "name"]);
    let items = complete("select * from raw.orders a join raw.customers b on a.id = b.i|");
    assert_eq!(names(&items), owned(&[(Column, "id", "INTEGER")]));
    let items = complete("select i| from raw.orders a join raw.customers b on a.id = b.id");
    assert_eq!(names(&items), owned(&[(Column, "id", "INTEGER · a, b (ambiguous: qualify it)")]));
}

#[test]
fn completion_of_cte_and_subquery_columns() {
    let items = complete("with a as (select 1 as x, id from raw.orders) select a.| from a");
    assert_eq!(names(&items), owned(&[(Column, "id", "INTEGER"), (Column, "x", "INTEGER")]));
    // Column lists rename; `*` expands; derived tables are followed.
    let items = complete("with a(k, v) as (select id, status from raw.orders) select t.| from (select * from a) t");
    assert_eq!(labels(&items, Column), vec!["k", "v"]);
    // Alias column lists rename too, also of table functions.
    let items = complete("select t.| from (select id, status from raw.orders) t(k)");
    assert_eq!(names(&items), owned(&[(Column, "k", "INTEGER"), (Column, "status", "VARCHAR")]));
    assert_eq!(labels(&complete("select g.| from range(3) g(i)"), Column), vec!["i"]);
    // Inside a call the enclosing SELECT's FROM is in scope.
    let items = complete("select sum(o.| from stg_orders o");
    assert_eq!(labels(&items, Column), vec!["amount", "customer_id", "order_id"]);
    // A correlated subquery sees the outer FROM after its own.
    let items = complete("select (select max(c.id) from raw.customers c where c.id = o.|) from raw.orders o");
    assert_eq!(labels(&items, Column), vec!["amount", "customer_id", "id", "status"]);
    // A self-referencing CTE read many times does not explode.
    let items = complete("with a as (select * from a, a, a, a, a, a, a, a, a, a) select a.| from a");
    assert!(labels(&items, Column).is_empty());
    // WHERE sees FROM; GROUP BY also sees output aliases.
    let items = complete("select status as st, count(*) from raw.orders group by s|");
    assert_eq!(names(&items), owned(&[(Column, "st", "output column"), (Column, "status", "VARCHAR · orders")]));
}

#[test]
fn no_completion_where_a_name_is_declared_or_inside_literals() {
    assert!(complete("select id as | from raw.orders").is_empty());
    assert!(complete("with | as (select 1)").is_empty());
    assert!(complete("select 'ab|c' from raw.orders").is_empty());
    assert!(complete("select 1 -- comm|ent\nfrom raw.orders").is_empty());
    assert!(complete("select 1 -- comment|").is_empty());
    // Right after a line comment's line break, completion works again.
    assert_eq!(labels(&complete("select * -- all\nfr|"), Keyword), vec!["FROM"]);
    assert!(complete("select 1 /* a | b */ from raw.orders").is_empty());
    assert!(complete("select 12|3").is_empty());
    // After a table: only keywords (an alias may follow, which is not completed).
    let items = complete("select * from raw.orders o wh|");
    assert_eq!(labels(&items, Keyword), vec!["WHERE"]);
    assert_eq!(items.len(), 1);
    let items = complete("select * from raw.orders o left |");
    assert_eq!(labels(&items, Keyword), vec!["ANTI JOIN", "JOIN", "OUTER JOIN", "SEMI JOIN"]);
    // Types after `::` and in CAST.
    assert_eq!(labels(&complete("select id::VARC|"), Keyword), vec!["VARCHAR"]);
    assert_eq!(labels(&complete("select cast(id as big|"), Keyword), vec!["BIGINT"]);
    // An empty file starts a statement.
    assert_eq!(labels(&complete("|"), Keyword), vec!["FROM", "SELECT", "WITH"]);
    assert_eq!(labels(&complete("with a as (select 1) s|"), Keyword), vec!["SELECT"]);
    // Other files have no completions.
    let (mut host, _) = with_cursor("select |1");
    assert!(host.analysis().completions("models/none.sql", 0).expect("ok").is_empty());
}

/// Signature help at the `|`: (active label, active parameter's text in the label, overloads).
fn signature(sql: &str) -> Option<(String, Option<String>, usize)> {
    let (mut host, offset) = with_cursor(sql);
    let help = host.analysis().signature_help("models/m.sql", offset).expect("not cancelled")?;
    let active = &help.signatures[help.active_signature as usize];
    let param = help
        .active_parameter
        .and_then(|p| active.parameters.get(p as usize))
        .map(|&(a, b)| active.label.chars().skip(a as usize).take((b - a) as usize).collect::<String>());
    Some((active.label.clone(), param, help.signatures.len()))
}

#[test]
fn signature_help_tracks_the_innermost_call_and_argument() {
    let sig = |l: &str, p: Option<&str>, n: usize| Some((l.to_string(), p.map(str::to_string), n));
    assert_eq!(
        signature("select date_trunc(|'month', ts) from raw.orders"),
        sig("date_trunc(VARCHAR, DATE) -> TIMESTAMP", Some("VARCHAR"), 4)
    );
    assert_eq!(
        signature("select date_trunc('month', |"),
        sig("date_trunc(VARCHAR, DATE) -> TIMESTAMP", Some("DATE"), 4)
    );
    // Nested calls: the innermost wins; plain parentheses and commas in strings are skipped.
    assert_eq!(signature("select round(abs(x|), 2)"), sig("abs(BIGINT) -> BIGINT", Some("BIGINT"), 13));
    assert_eq!(
        signature("select round(abs(x), (1 + |2))"),
        sig("round(BIGINT, INTEGER) -> BIGINT", Some("INTEGER"), 16)
    );
    assert_eq!(
        signature("select coalesce(a, 'x,y', (1), |"),
        sig("coalesce(ANY, [ANY...]) -> ANY", Some("[ANY...]"), 1)
    );
    // The overload with enough parameters is active.
    assert_eq!(
        signature("select substr('abc', 1, |"),
        sig("substr(VARCHAR, BIGINT, BIGINT) -> VARCHAR", Some("BIGINT"), 2)
    );
    // Outside a call, before its parenthesis, in IN lists and for unknown functions: nothing.
    assert_eq!(signature("select abs|(1)"), None);
    assert_eq!(signature("select 1 |"), None);
    assert_eq!(signature("select 1 where x in (1, |"), None);
    assert_eq!(signature("select nosuchfn(|"), None);
    assert_eq!(signature("select abs(1 /* a, | */"), None);
}

#[test]
fn semantic_tokens_classify_every_kind() {
    let sql = "-- orders\nwith a as (\n  select o.id, cast(o.amount as double) as amt, 'x' s /* c\n d */\n  from raw.orders o\n)\nselect a.id, upper(a.s), amt::varchar, count(*) n, stg_orders.order_id\nfrom a join stg_orders on stg_orders.order_id = a.id\nwhere amt > 1.5 group by all";
    let mut host = project(&[UPSTREAM[1], ("m", sql)]);
    let tokens = host.analysis().semantic_tokens("models/m.sql").expect("ok");
    let shown: Vec<(&str, SemanticTokenKind, u32)> =
        tokens.iter().map(|t| (&sql[t.range.start as usize..t.range.end as usize], t.kind, t.modifiers)).collect();
    use SemanticTokenKind as K;
    let expected: Vec<(&str, SemanticTokenKind, u32)> = vec![
        ("-- orders", K::Comment, 0),
        ("with", K::Keyword, 0),
        ("a", K::Cte, 1),
        ("as", K::Keyword, 0),
        ("select", K::Keyword, 0),
        ("o", K::Alias, 0),
        ("id", K::Column, 0),
        ("cast", K::Keyword, 0),
        ("o", K::Alias, 0),
        ("amount", K::Column, 0),
        ("as", K::Keyword, 0),
        ("double", K::Type, 0),
        ("as", K::Keyword, 0),
        ("amt", K::Column, 1),
        ("'x'", K::String, 0),
        ("s", K::Column, 1),
        ("/* c", K::Comment, 0),
        (" d */", K::Comment, 0),
        ("from", K::Keyword, 0),
        ("raw", K::Source, 0),
        ("orders", K::Source, 0),
        ("o", K::Alias, 1),
        ("select", K::Keyword, 0),
        ("a", K::Cte, 0),
        ("id", K::Column, 0),
        ("upper", K::Function, 4),
        ("a", K::Cte, 0),
        ("s", K::Column, 0),
        ("amt", K::Column, 0),
        ("::", K::Operator, 0),
        ("varchar", K::Type, 0),
        ("count", K::Function, 4),
        ("*", K::Operator, 0),
        ("n", K::Column, 1),
        ("stg_orders", K::Model, 0),
        ("order_id", K::Column, 0),
        ("from", K::Keyword, 0),
        ("a", K::Cte, 0),
        ("join", K::Keyword, 0),
        ("stg_orders", K::Model, 0),
        ("on", K::Keyword, 0),
        ("stg_orders", K::Model, 0),
        ("order_id", K::Column, 0),
        ("=", K::Operator, 0),
        ("a", K::Cte, 0),
        ("id", K::Column, 0),
        ("where", K::Keyword, 0),
        ("amt", K::Column, 0),
        (">", K::Operator, 0),
        ("1.5", K::Number, 0),
        ("group", K::Keyword, 0),
        ("by", K::Keyword, 0),
        ("all", K::Keyword, 0),
    ];
    assert_eq!(shown, expected);
    // Sorted, non-overlapping, single-line.
    for w in tokens.windows(2) {
        assert!(w[0].range.end <= w[1].range.start);
    }
    assert!(tokens.iter().all(|t| !sql[t.range.start as usize..t.range.end as usize].contains('\n')));
    // Parameters, and tokens of SQL that does not parse.
    let mut host = project(&[("m", "select $1, 'open")]);
    let kinds: Vec<SemanticTokenKind> =
        host.analysis().semantic_tokens("models/m.sql").expect("ok").iter().map(|t| t.kind).collect();
    assert_eq!(kinds, vec![K::Keyword, K::Parameter, K::String]);
}

/// A symbol tree as `name [detail] kind "selected text"` lines, children indented.
fn outline(sql: &str, symbols: &[rocky_analysis::ide::DocumentSymbol], indent: usize, out: &mut Vec<String>) {
    for s in symbols {
        let selected = &sql[s.selection_range.start as usize..s.selection_range.end as usize];
        let whole = &sql[s.range.start as usize..s.range.end as usize];
        let whole = if whole.len() > 24 {
            format!("{}…", &whole[..whole.char_indices().nth(20).map_or(whole.len(), |(i, _)| i)])
        } else {
            whole.to_string()
        };
        out.push(format!(
            "{}{} [{}] {:?} {selected:?} {whole:?}",
            "  ".repeat(indent),
            s.name,
            s.detail.clone().unwrap_or_default(),
            s.kind
        ));
        outline(sql, &s.children, indent + 1, out);
    }
}

#[test]
fn document_symbols_list_the_model_its_ctes_and_columns() {
    let sql = "with paid as (\n  select id, amount * 2 as doubled from raw.orders where status = 'paid'\n),\nnamed(k) as (select 1)\nselect p.*, count(*) over () as n, upper('x')\nfrom paid p";
    let mut host = project(&[("m", sql)]);
    let symbols = host.analysis().document_symbols("models/m.sql").expect("ok");
    let mut lines = Vec::new();
    outline(sql, &symbols, 0, &mut lines);
    assert_eq!(
        lines,
        vec![
            r#"m [full_refresh → db.main.m] Model "select" "with paid as (\n  sel…""#,
            r#"  paid [CTE] Cte "paid" "paid as (\n  select i…""#,
            r#"    id [INTEGER] Column "id" "id""#,
            r#"    doubled [DECIMAL(18,2)] Column "doubled" "amount * 2 as doubled""#,
            r#"  named [CTE] Cte "named" "named(k) as (select 1)""#,
            r#"    k [INTEGER] Column "k" "1""#,
            r#"  id [INTEGER] Column "p.*" "p.*""#,
            r#"  doubled [DECIMAL(18,2)] Column "p.*" "p.*""#,
            r#"  n [BIGINT NOT NULL] Column "n" "count(*) over () as n""#,
            r#"  upper('x') [VARCHAR NOT NULL] Column "upper('x')" "upper('x')""#,
        ]
    );
    // While the SQL does not parse, the outline comes from the tokens (types of plain column
    // references from the tables they name).
    let sql = "with a as (select id, status s from raw.orders) select a.id, from a where";
    let mut host = project(&[("m", sql)]);
    let mut lines = Vec::new();
    outline(sql, &host.analysis().document_symbols("models/m.sql").expect("ok"), 0, &mut lines);
    assert_eq!(
        lines,
        vec![
            r#"m [full_refresh → db.main.m] Model "select" "with a as (select id…""#,
            r#"  a [CTE] Cte "a" "a as (select id, sta…""#,
            r#"    id [INTEGER] Column "id" "id""#,
            r#"    s [VARCHAR] Column "s" "status s""#,
            r#"  id [INTEGER] Column "id" "a.id""#,
        ]
    );
}

#[test]
fn workspace_symbols_match_models_and_columns() {
    let mut host = project(UPSTREAM);
    let found: Vec<(String, SymbolKind, Option<String>, String, String)> = host
        .analysis()
        .workspace_symbols("ord")
        .expect("ok")
        .into_iter()
        .map(|s| {
            let text = host.analysis().file_text(&s.target.path).unwrap_or_default();
            let focus = text[s.target.focus_range.start as usize..s.target.focus_range.end as usize].to_string();
            (s.name, s.kind, s.container, s.target.path, focus)
        })
        .collect();
    let row = |n: &str, k, c: Option<&str>, p: &str, f: &str| {
        (n.to_string(), k, c.map(str::to_string), p.to_string(), f.to_string())
    };
    assert_eq!(
        found,
        vec![
            row("orders", SymbolKind::Model, None, "models/orders.sql", "select"),
            row("order_id", SymbolKind::Column, Some("stg_orders"), "models/stg_orders.sql", "order_id"),
            row("stg_orders", SymbolKind::Model, None, "models/stg_orders.sql", "select"),
            row("customer_id", SymbolKind::Column, Some("orders"), "models/orders.sql", "customer_id"),
            row("customer_id", SymbolKind::Column, Some("stg_orders"), "models/stg_orders.sql", "customer_id"),
        ]
    );
    // Subsequence matching, case-insensitive; no match, no symbols.
    let names: Vec<String> =
        host.analysis().workspace_symbols("CSTID").expect("ok").into_iter().map(|s| s.name).collect();
    assert_eq!(names, vec!["customer_id", "customer_id"]);
    assert!(host.analysis().workspace_symbols("zzz").expect("ok").is_empty());
}

/// Applies an assist's edits (back to front) to `text`.
fn apply(text: &str, assist: &rocky_analysis::ide::Assist) -> String {
    let mut edits = assist.edits.clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.range.start as usize..e.range.end as usize, &e.new_text);
    }
    out
}

/// Code actions at the `|` (an empty range) as (title, code, preferred, text after applying).
fn actions(sql: &str) -> Vec<(String, String, bool, String)> {
    let (mut host, offset) = with_cursor(sql);
    let text = sql.replacen('|', "", 1);
    let assists = host.analysis().code_actions("models/m.sql", TextRange::empty(offset)).expect("ok");
    assert!(assists.iter().all(|a| a.kind == AssistKind::QuickFix && a.edits.iter().all(|e| e.path == "models/m.sql")));
    assists
        .iter()
        .map(|a| (a.title.clone(), a.diagnostic_code.clone().unwrap_or_default(), a.preferred, apply(&text, a)))
        .collect()
}

fn act(title: &str, code: &str, preferred: bool, text: &str) -> (String, String, bool, String) {
    (title.to_string(), code.to_string(), preferred, text.to_string())
}

#[test]
fn code_action_did_you_mean_column_table_function() {
    assert_eq!(
        actions("select amo|ut from raw.orders"),
        vec![act("Replace with `amount`", "E102", true, "select amount from raw.orders")]
    );
    assert_eq!(
        actions("select * from stg_ordrs|"),
        vec![act("Replace with `stg_orders`", "E101", true, "select * from stg_orders")]
    );
    assert_eq!(
        actions("select uper|(status) from raw.orders"),
        vec![
            act("Replace with `upper`", "E104", true, "select upper(status) from raw.orders"),
            act("Replace with `user`", "E104", false, "select user(status) from raw.orders"),
        ]
    );
    // A table missing from a cached schema: the hint's table replaces the last name part.
    assert_eq!(
        actions("select * from raw.ordrs|"),
        vec![act("Replace with `raw.orders`", "E101", true, "select * from raw.orders")]
    );
    // Nothing under the cursor, nothing offered.
    assert!(actions("select amout from raw.orders|").is_empty());
}

#[test]
fn code_action_qualifies_an_ambiguous_column() {
    assert_eq!(
        actions("select i|d from raw.orders o join raw.customers c on o.id = c.id"),
        vec![
            act(
                "Qualify as `o.id`",
                "E103",
                false,
                "select o.id from raw.orders o join raw.customers c on o.id = c.id"
            ),
            act(
                "Qualify as `c.id`",
                "E103",
                false,
                "select c.id from raw.orders o join raw.customers c on o.id = c.id"
            ),
        ]
    );
}

#[test]
fn code_action_adds_the_missing_group_by_column() {
    // No GROUP BY yet: one is inserted before ORDER BY, in the query's keyword case.
    assert_eq!(
        actions("select sta|tus, sum(amount) from raw.orders where id > 1 order by 1"),
        vec![
            act(
                "Add `status` to GROUP BY",
                "E301",
                true,
                "select status, sum(amount) from raw.orders where id > 1 group by status order by 1"
            ),
            act(
                "Wrap `status` in any_value(…)",
                "E301",
                false,
                "select any_value(status), sum(amount) from raw.orders where id > 1 order by 1"
            ),
        ]
    );
    assert_eq!(
        actions("SELECT o.stat|us, COUNT(*) FROM raw.orders o")[0],
        act(
            "Add `o.status` to GROUP BY",
            "E301",
            true,
            "SELECT o.status, COUNT(*) FROM raw.orders o GROUP BY o.status"
        )
    );
    // In a subquery, the GROUP BY goes inside its parentheses.
    assert_eq!(
        actions("select * from (select statu|s, count(*) from raw.orders) t")[0],
        act(
            "Add `status` to GROUP BY",
            "E301",
            true,
            "select * from (select status, count(*) from raw.orders group by status) t"
        )
    );
    // Parenthesized joins do not end the SELECT early.
    assert_eq!(
        actions("select o.sta|tus, count(*) from (raw.orders o join raw.customers c on o.id = c.id) limit 5")[0],
        act(
            "Add `o.status` to GROUP BY",
            "E301",
            true,
            "select o.status, count(*) from (raw.orders o join raw.customers c on o.id = c.id) group by o.status limit 5"
        )
    );
    // A GROUP BY exists: the column is appended to it.
    assert_eq!(
        actions("select status, i|d, sum(amount) from raw.orders group by status having sum(amount) > 0")[0],
        act(
            "Add `id` to GROUP BY",
            "E301",
            true,
            "select status, id, sum(amount) from raw.orders group by status, id having sum(amount) > 0"
        )
    );
}

/// Runs every feature at every byte offset of `path` (char boundaries or not) and over ranges.
fn sweep(host: &mut AnalysisHost, path: &str) {
    let analysis = host.analysis();
    let text = analysis.file_text(path).expect("file exists");
    let len = text.len() as u32;
    analysis.semantic_tokens(path).expect("ok");
    analysis.document_symbols(path).expect("ok");
    for offset in 0..=len + 1 {
        analysis.completions(path, offset).expect("ok");
        analysis.signature_help(path, offset).expect("ok");
        analysis.code_actions(path, TextRange::new(offset, offset + 3)).expect("ok");
    }
    analysis.code_actions(path, TextRange::new(0, len)).expect("ok");
}

fn realistic_models() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/realistic");
    let mut out = Vec::new();
    let mut dirs = vec![root.join("models")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("fixture dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "sql") {
                let rel = path.strip_prefix(&root).expect("under root").to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&path).expect("read model")));
            }
        }
    }
    out.sort();
    assert!(out.len() > 20, "realistic fixture models found");
    out
}

#[test]
fn no_panic_at_any_offset_of_the_realistic_models() {
    let models = realistic_models();
    let mut host = AnalysisHost::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/realistic/rocky.toml");
    host.set_project_config(std::fs::read_to_string(root).ok());
    for (path, sql) in &models {
        host.set_model(path, sql.clone());
    }
    for (path, _) in &models {
        sweep(&mut host, path);
    }
    assert!(!host.analysis().workspace_symbols("").expect("ok").is_empty());
    assert!(!host.analysis().workspace_symbols("customer").expect("ok").is_empty());
    // Typing a model from its first byte: every prefix, with the cursor at its end.
    let (path, sql) = models.iter().find(|(p, _)| p.ends_with("fct_orders.sql")).expect("fct_orders");
    for cut in (0..=sql.len()).filter(|&c| sql.is_char_boundary(c)) {
        host.set_model(path, sql[..cut].to_string());
        let analysis = host.analysis();
        analysis.completions(path, cut as u32).expect("ok");
        analysis.signature_help(path, cut as u32).expect("ok");
        analysis.semantic_tokens(path).expect("ok");
        analysis.document_symbols(path).expect("ok");
    }
}

#[test]
fn no_panic_on_random_garbage() {
    const PIECES: &[&str] = &[
        "select",
        "from",
        "where",
        "group by",
        "order by",
        "join",
        "on",
        "as",
        "with",
        "(",
        ")",
        ",",
        ".",
        "'",
        "\"",
        "--",
        "/*",
        "*/",
        "\n",
        " ",
        "o",
        "raw",
        "orders",
        "stg_orders",
        "id",
        "*",
        "::",
        "cast",
        "sum(",
        "date_trunc(",
        "1",
        "1.5e",
        "é",
        "🦀",
        ";",
        "$1",
        "union",
        "=",
        "|",
        "[",
        "]",
        "{",
        "}",
        "\\",
        "`",
        "$$",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut host = project(UPSTREAM);
    for _ in 0..150 {
        let n = (next() % 24) as usize;
        let sql: String = (0..n).map(|_| PIECES[(next() % PIECES.len() as u64) as usize]).collect::<Vec<_>>().join("");
        host.set_model("models/m.sql", sql);
        sweep(&mut host, "models/m.sql");
    }
}

#[test]
fn semantic_tokens_of_windows_star_modifiers_and_table_functions() {
    let sql = "select * exclude (status), row_number() over (partition by id order by amount) r\nfrom orders o, lateral (select 1 as x) l, range(3) g(i)\nwhere o.id in (select l.x)";
    let mut host = project(&[UPSTREAM[0], ("m", sql)]);
    let tokens = host.analysis().semantic_tokens("models/m.sql").expect("ok");
    let shown: Vec<String> = tokens
        .iter()
        .filter(|t| t.kind != SemanticTokenKind::Keyword && t.kind != SemanticTokenKind::Operator)
        .map(|t| format!("{}:{:?}", &sql[t.range.start as usize..t.range.end as usize], t.kind))
        .collect();
    assert_eq!(
        shown,
        vec![
            "status:Column",
            "row_number:Function",
            "id:Column",
            "amount:Column",
            "r:Column",
            "orders:Model",
            "o:Alias",
            "1:Number",
            "x:Column",
            "l:Alias",
            "range:Function",
            "3:Number",
            "g:Alias",
            "i:Column",
            "o:Alias",
            "id:Column",
            "l:Alias",
            "x:Column",
        ]
    );
}

#[test]
fn completion_while_editing_a_realistic_model() {
    let models = realistic_models();
    let mut host = AnalysisHost::new();
    for (path, sql) in &models {
        host.set_model(path, sql.clone());
    }
    let path = "models/marts/fct_orders.sql";
    let sql = &models.iter().find(|(p, _)| p == path).expect("fct_orders").1;
    // Start a new select item `e.` after `e.order_id,` (the query no longer parses).
    let at = sql.find("e.order_id,").expect("item") + "e.order_id,".len();
    host.set_model(path, format!("{}\n    e.{}", &sql[..at], &sql[at..]));
    let items = host.analysis().completions(path, (at + 7) as u32).expect("ok");
    let upstream = host.analysis().model("int_orders_enriched").expect("ok").expect("model");
    let expected: Vec<String> = upstream
        .schema
        .columns
        .iter()
        .map(|c| c.name.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(expected.len() > 5);
    assert_eq!(labels(&items, Column), expected);
    let detail = |label: &str| items.iter().find(|i| i.label == label).and_then(|i| i.detail.clone());
    assert_eq!(detail("item_count").as_deref(), Some("BIGINT"));
    // Columns of uncached sources have no known type: no detail rather than "UNKNOWN".
    assert_eq!(detail("customer_id"), None);
}
