use rocky_analysis::{check_query, SourceSchemaSnapshot};
#[test]
fn scratch() {
    let s = SourceSchemaSnapshot::default();
    for sql in std::fs::read_to_string("/tmp/scratch.sql").unwrap().split(";\n") {
        if sql.trim().is_empty() {
            continue;
        }
        let r = check_query(sql, &s);
        println!(
            ">> {sql}\n   {:?}\n   {:?}",
            r.diagnostics.iter().map(|d| format!("{} {}", d.code, d.message)).collect::<Vec<_>>(),
            r.columns.iter().map(|c| format!("{} {}", c.name, c.ty)).collect::<Vec<_>>()
        );
    }
}
