use rocky_analysis::{check_query_in, Dialect, SourceColumn, SourceSchemaSnapshot, SourceTable};
const CONFIG: &str = "[adapter]\ntype = \"postgres\"\ndbname = \"db\"\n";
#[test]
fn scratch() {
    let mut s = SourceSchemaSnapshot::default();
    s.insert(SourceTable {
        key: "db.raw.orders".into(),
        columns: [("id", "integer"), ("customer_id", "bigint"), ("amount", "numeric(12,2)"), ("status", "character varying(40)"), ("note", "text"), ("ts", "timestamp without time zone"), ("flags", "integer[]"), ("small", "smallint"), ("f", "double precision")]
            .iter().map(|(n, t)| SourceColumn { name: n.to_string(), type_string: t.to_string(), nullable: true }).collect(),
        written_at: None,
    });
    let sql = std::fs::read_to_string("/tmp/scratch/q.sql").unwrap();
    for q in sql.split(";\n").filter(|q| !q.trim().is_empty()) {
        let r = check_query_in(Some(CONFIG), q, &s);
        let cols: Vec<String> = r.columns.iter().map(|c| format!("{}:{}", c.name, Dialect::Postgres.type_name(&c.ty))).collect();
        let diags: Vec<String> = r.diagnostics.iter().map(|d| format!("{} {}", d.code.as_str(), d.message)).collect();
        println!("{}\n  => {}  {:?}", q.trim(), cols.join(", "), diags);
    }
}
