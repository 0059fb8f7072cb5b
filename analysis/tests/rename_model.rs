//! Renaming a model from strings: every reference (bare, qualified, quoted, as a qualifier),
//! `depends_on`, and where the name comes from (file stem → file moves; sidecar `name` → an edit).

use rocky_analysis::base::SidecarText;
use rocky_analysis::ide::{FileRename, ModelNameAt, TextEdit};
use rocky_analysis::{AnalysisHost, TextRange};

const STG: &str = "-- Cleaned orders.\nselect 1 as id, 2.5 as amount";
const FCT: &str = "select stg_orders.amount, q.id\nfrom stg_orders\njoin main.\"stg_orders\" q using (id)";
const DEP: &str = "select 1 as x";

fn host(extra: &[(&str, &str, Option<&str>)]) -> AnalysisHost {
    let mut host = AnalysisHost::new();
    host.set_project_config(Some("[adapter]\ntype = \"duckdb\"\npath = \"db.duckdb\"\n".into()));
    let models = [
        ("stg_orders", STG, Some("[strategy]\ntype = \"view\"\n")),
        ("fct", FCT, None),
        ("dep", DEP, Some("depends_on = [\"Stg_Orders\"]\n")),
    ];
    for (name, sql, sidecar) in models.iter().chain(extra) {
        let path = format!("models/{name}.sql");
        host.set_model(&path, sql.to_string());
        if let Some(text) = sidecar {
            let sidecar = SidecarText { path: format!("models/{name}.toml"), text: text.to_string() };
            host.set_sidecar(&path, Some(sidecar));
        }
    }
    host
}

fn range_of(text: &str, needle: &str, nth: usize) -> TextRange {
    let start = text.match_indices(needle).nth(nth).expect("needle").0 as u32;
    TextRange::new(start, start + needle.len() as u32)
}

fn edit(path: &str, range: TextRange, new_text: &str) -> TextEdit {
    TextEdit { path: format!("models/{path}"), range, new_text: new_text.into() }
}

#[test]
fn a_model_named_by_its_file_is_renamed_everywhere_and_its_files_move() {
    let mut h = host(&[]);
    let renamed = h.analysis().rename_model("stg_orders", "orders_clean", true).unwrap().expect("renamed");
    let dep_toml = "depends_on = [\"Stg_Orders\"]\n";
    assert_eq!(
        renamed.edits,
        vec![
            edit("dep.toml", range_of(dep_toml, "\"Stg_Orders\"", 0), "\"orders_clean\""),
            // The qualifier, the bare reference, and the quoted table part of `main."stg_orders"`
            // (the target's table follows the name), keeping its quotes.
            edit("fct.sql", range_of(FCT, "stg_orders", 0), "orders_clean"),
            edit("fct.sql", range_of(FCT, "stg_orders", 1), "orders_clean"),
            edit("fct.sql", range_of(FCT, "\"stg_orders\"", 0), "\"orders_clean\""),
        ]
    );
    assert_eq!(
        renamed.files,
        vec![
            FileRename { from: "models/stg_orders.sql".into(), to: "models/orders_clean.sql".into() },
            FileRename { from: "models/stg_orders.toml".into(), to: "models/orders_clean.toml".into() },
        ]
    );
    // A client that cannot move files: refused, saying what to do instead.
    let refused = h.analysis().rename_model("stg_orders", "orders_clean", false).unwrap().unwrap_err();
    assert!(refused.contains("cannot rename files") && refused.contains("name = \"orders_clean\""), "{refused}");
}

#[test]
fn a_model_named_by_its_sidecar_gets_its_sidecar_edited() {
    let sidecar = "# the name is not the file's\nname = \"stg_orders\"\n[target]\ntable = \"orders_v1\"\n";
    let mut h = AnalysisHost::new();
    h.set_project_config(Some("[adapter]\ntype = \"duckdb\"\npath = \"db.duckdb\"\n".into()));
    h.set_model("models/orders_file.sql", STG.into());
    h.set_sidecar(
        "models/orders_file.sql",
        Some(SidecarText { path: "models/orders_file.toml".into(), text: sidecar.into() }),
    );
    let reader = "select a.id from stg_orders a join main.orders_v1 b using (id)";
    h.set_model("models/r.sql", reader.into());
    let renamed = h.analysis().rename_model("stg_orders", "orders", false).unwrap().expect("no file moves needed");
    assert!(renamed.files.is_empty());
    assert_eq!(
        renamed.edits,
        vec![
            edit("orders_file.toml", range_of(sidecar, "\"stg_orders\"", 0), "\"orders\""),
            // The configured target does not change: `main.orders_v1` stays.
            edit("r.sql", range_of(reader, "stg_orders", 0), "orders"),
        ]
    );
    // Renaming from the sidecar's `name` value.
    let at = range_of(sidecar, "\"stg_orders\"", 0);
    assert_eq!(
        h.analysis().model_name_at("models/orders_file.toml", at.start + 3).unwrap(),
        Some(ModelNameAt { model: "stg_orders".into(), range: at })
    );
    assert_eq!(h.analysis().model_name_at("models/orders_file.toml", 2).unwrap(), None);
}

#[test]
fn invalid_and_taken_names_are_refused() {
    let mut h = host(&[]);
    let a = h.analysis();
    for bad in ["", "1st", "orders-clean", "a b", "schema.table"] {
        let e = a.rename_model("stg_orders", bad, true).unwrap().unwrap_err();
        assert!(e.contains("not a valid model name"), "{bad}: {e}");
    }
    let e = a.rename_model("stg_orders", "FCT", true).unwrap().unwrap_err();
    assert!(e.contains("already the name of a model (models/fct.sql)"), "{e}");
    assert_eq!(a.rename_model("stg_orders", "stg_orders", true).unwrap(), Ok(Default::default()));
}

#[test]
fn where_a_rename_renames_a_model() {
    let mut h = host(&[]);
    let a = h.analysis();
    let model = |range| Some(ModelNameAt { model: "stg_orders".into(), range });
    // A reference, a qualifier naming it, and the table part of a qualified reference.
    let bare = range_of(FCT, "stg_orders", 1);
    assert_eq!(a.model_name_at("models/fct.sql", bare.start + 2).unwrap(), model(bare));
    let qualifier = range_of(FCT, "stg_orders", 0);
    assert_eq!(a.model_name_at("models/fct.sql", qualifier.start).unwrap(), model(qualifier));
    let quoted = range_of(FCT, "\"stg_orders\"", 0);
    assert_eq!(a.model_name_at("models/fct.sql", quoted.start + 3).unwrap(), model(quoted));
    // Not a model: a column, the alias of another binding.
    assert_eq!(a.model_name_at("models/fct.sql", range_of(FCT, "amount", 0).start).unwrap(), None);
    assert_eq!(a.model_name_at("models/fct.sql", range_of(FCT, "q.id", 0).start).unwrap(), None);
    // Its own file: the comment header or the query's first keyword (where definition lands).
    let select = range_of(STG, "select", 0);
    assert_eq!(a.model_name_at("models/stg_orders.sql", 3).unwrap(), model(select));
    assert_eq!(a.model_name_at("models/stg_orders.sql", select.end).unwrap(), model(select));
    assert_eq!(a.model_name_at("models/stg_orders.sql", range_of(STG, "amount", 0).start).unwrap(), None);
}
