//! Synthetic Rocky projects of any size, for benchmarks and scale tests: a layered DAG
//! (sources → staging → intermediate → marts) whose SQL is valid DuckDB and type-correct, with
//! joins, CTEs, CASE, window functions and aggregates, 10–40 columns per model.

use rocky_analysis::{AnalysisHost, SourceColumn, SourceSchemaSnapshot, SourceTable};

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenConfig {
    pub models: usize,
    pub seed: u64,
}

/// A generated project, in memory.
#[derive(Clone, Debug)]
pub struct GeneratedProject {
    pub config_toml: String,
    /// `(project-relative path, SQL)`, upstream before downstream.
    pub models: Vec<(String, String)>,
    pub sources: SourceSchemaSnapshot,
    /// Creates and fills the source tables on DuckDB.
    pub seed_sql: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Num,
    Text,
    Date,
    Bool,
}

#[derive(Clone, Debug)]
struct Col {
    name: String,
    kind: Kind,
}

/// splitmix64: small, deterministic, good enough for shapes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SOURCE_TYPES: [(&str, Kind); 7] = [
    ("INTEGER", Kind::Num),
    ("BIGINT", Kind::Num),
    ("DECIMAL(12,2)", Kind::Num),
    ("VARCHAR", Kind::Text),
    ("DATE", Kind::Date),
    ("TIMESTAMP", Kind::Date),
    ("BOOLEAN", Kind::Bool),
];

/// Generates a project; the same config always gives the same project.
pub fn generate(cfg: &GenConfig) -> GeneratedProject {
    let mut rng = Rng(cfg.seed);
    let n_sources = (cfg.models / 20).clamp(3, 200);
    let mut sources = SourceSchemaSnapshot::default();
    let mut seed_sql = String::from("CREATE SCHEMA IF NOT EXISTS raw;\n");
    let mut source_cols: Vec<Vec<Col>> = Vec::new();
    for s in 0..n_sources {
        let width = 10 + rng.below(31);
        let mut cols = vec![Col { name: "id".into(), kind: Kind::Num }];
        let mut decl = vec!["id BIGINT NOT NULL".to_string()];
        let mut table_cols = vec![SourceColumn { name: "id".into(), type_string: "BIGINT".into(), nullable: false }];
        for c in 1..width {
            let (ty, kind) = SOURCE_TYPES[rng.below(SOURCE_TYPES.len())];
            let name = format!("c{c}");
            decl.push(format!("{name} {ty}"));
            table_cols.push(SourceColumn { name: name.clone(), type_string: ty.into(), nullable: true });
            cols.push(Col { name, kind });
        }
        seed_sql.push_str(&format!("CREATE OR REPLACE TABLE raw.src{s} ({});\n", decl.join(", ")));
        seed_sql.push_str(&format!("INSERT INTO raw.src{s} (id) SELECT range FROM range(10);\n"));
        sources.insert(SourceTable { key: format!("bench.raw.src{s}"), columns: table_cols, written_at: None });
        source_cols.push(cols);
    }

    let staging = (cfg.models / 4).max(1);
    let intermediate = (cfg.models * 45 / 100).max(1);
    let mut outputs: Vec<(String, Vec<Col>)> = Vec::new();
    let mut models = Vec::new();
    for i in 0..cfg.models {
        let (folder, sql, cols) = if i < staging {
            let s = rng.below(n_sources);
            let (sql, cols) = staging_model(&mut rng, s, &source_cols[s]);
            ("staging", sql, cols)
        } else if i < staging + intermediate {
            let a = rng.below(outputs.len());
            let b = rng.below(outputs.len());
            let (sql, cols) = intermediate_model(&mut rng, i, &outputs[a], &outputs[b]);
            ("intermediate", sql, cols)
        } else {
            let u = staging + rng.below(outputs.len() - staging.min(outputs.len() - 1));
            let (sql, cols) = mart_model(&mut rng, &outputs[u.min(outputs.len() - 1)]);
            ("marts", sql, cols)
        };
        let name = format!("m{i:05}");
        models.push((format!("models/{folder}/{name}.sql"), sql));
        outputs.push((name, cols));
    }
    let config_toml = "[adapter]\ntype = \"duckdb\"\npath = \"bench.duckdb\"\n\n[pipeline.bench]\ntype = \"transformation\"\nmodels = \"models/**\"\n".to_string();
    GeneratedProject { config_toml, models, sources, seed_sql }
}

fn staging_model(rng: &mut Rng, s: usize, cols: &[Col]) -> (String, Vec<Col>) {
    let mut items = vec!["id".to_string()];
    let mut out = vec![Col { name: "id".into(), kind: Kind::Num }];
    for c in &cols[1..] {
        if rng.below(4) == 0 {
            continue;
        }
        match (c.kind, rng.below(3)) {
            (Kind::Num, 0) => items.push(format!("{} * 2 as {}_x2", c.name, c.name)),
            (Kind::Text, 0) => items.push(format!("lower({}) as {}_l", c.name, c.name)),
            (Kind::Date, 0) => items.push(format!("cast({} as date) as {}_d", c.name, c.name)),
            _ => items.push(c.name.clone()),
        }
        let name = items.last().and_then(|i| i.rsplit(' ').next()).unwrap_or(&c.name).to_string();
        out.push(Col { name, kind: c.kind });
    }
    (format!("select {}\nfrom raw.src{s}\nwhere id >= 0\n", items.join(",\n    ")), out)
}

fn intermediate_model(rng: &mut Rng, i: usize, a: &(String, Vec<Col>), b: &(String, Vec<Col>)) -> (String, Vec<Col>) {
    let mut items = vec!["a.id".to_string()];
    let mut out = vec![Col { name: "id".into(), kind: Kind::Num }];
    for c in a.1.iter().skip(1).take(20) {
        items.push(format!("a.{}", c.name));
        out.push(c.clone());
    }
    for c in b.1.iter().skip(1).take(10) {
        let name = format!("b{}_{}", i % 7, c.name);
        if out.iter().any(|o| o.name == name) {
            continue;
        }
        items.push(format!("b.{} as {name}", c.name));
        out.push(Col { name, kind: c.kind });
    }
    if let Some(num) = a.1.iter().skip(1).find(|c| c.kind == Kind::Num) {
        items.push(format!("case when a.{} > 0 then 'pos' else 'neg' end as sign_{i}", num.name));
        out.push(Col { name: format!("sign_{i}"), kind: Kind::Text });
    }
    if let Some(t) = a.1.iter().skip(1).find(|c| c.kind == Kind::Text) {
        items.push(format!("row_number() over (partition by a.{} order by a.id) as rn_{i}", t.name));
        out.push(Col { name: format!("rn_{i}"), kind: Kind::Num });
    }
    let _ = rng.below(2);
    let sql = format!(
        "with a as (\n    select * from {} where id > 0\n)\nselect {}\nfrom a\nleft join {} b on b.id = a.id\n",
        a.0,
        items.join(",\n    "),
        b.0
    );
    (sql, out)
}

fn mart_model(rng: &mut Rng, u: &(String, Vec<Col>)) -> (String, Vec<Col>) {
    let keys: Vec<&Col> = u.1.iter().filter(|c| matches!(c.kind, Kind::Text | Kind::Bool)).take(2).collect();
    let mut items: Vec<String> = keys.iter().map(|c| c.name.clone()).collect();
    let mut out: Vec<Col> = keys.iter().map(|c| (*c).clone()).collect();
    items.push("count(*) as n".into());
    out.push(Col { name: "n".into(), kind: Kind::Num });
    for c in u.1.iter().filter(|c| c.kind == Kind::Num).take(8 + rng.below(8)) {
        items.push(format!("sum({0}) as sum_{0}", c.name));
        out.push(Col { name: format!("sum_{}", c.name), kind: Kind::Num });
    }
    for c in u.1.iter().filter(|c| c.kind == Kind::Date).take(3) {
        items.push(format!("max({0}) as last_{0}", c.name));
        out.push(Col { name: format!("last_{}", c.name), kind: Kind::Date });
    }
    let group = if keys.is_empty() { String::new() } else { "group by all\n".to_string() };
    (format!("select {}\nfrom {}\n{group}", items.join(",\n    "), u.0), out)
}

impl GeneratedProject {
    /// Loads the project into a fresh analysis host, sources cached.
    pub fn load_into_host(&self) -> AnalysisHost {
        let mut host = AnalysisHost::new();
        host.set_project_config(Some(self.config_toml.clone()));
        host.set_source_schemas(self.sources.clone());
        for (path, sql) in &self.models {
            host.set_model(path, sql.clone());
        }
        host
    }

    /// Writes the generated sources' schemas into the state file the CLI and the language server
    /// find for a project written at `root` (`models/.rocky-state.redb`), as a runner would.
    pub fn write_schema_cache(&self, root: &std::path::Path) -> Result<(), rocky_state::StateError> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        let tables: Vec<rocky_state::CachedTable> = self
            .sources
            .tables
            .values()
            .map(|t| rocky_state::CachedTable {
                key: t.key.clone(),
                columns: t
                    .columns
                    .iter()
                    .map(|c| rocky_state::CachedColumn {
                        name: c.name.clone(),
                        type_string: c.type_string.clone(),
                        nullable: c.nullable,
                    })
                    .collect(),
                written_at_ms: now,
                built: None,
            })
            .collect();
        rocky_state::StateFile::new(root.join("models/.rocky-state.redb")).write_schemas(&tables)
    }

    /// Writes the project to a folder (rocky.toml, models/, data/seed.sql).
    pub fn write_to(&self, dir: &std::path::Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir.join("data"))?;
        std::fs::write(dir.join("rocky.toml"), &self.config_toml)?;
        std::fs::write(dir.join("data/seed.sql"), &self.seed_sql)?;
        for (path, sql) in &self.models {
            let p = dir.join(path);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(p, sql)?;
        }
        Ok(())
    }
}
