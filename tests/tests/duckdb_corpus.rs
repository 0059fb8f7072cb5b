//! The checker against DuckDB's own test suite (`../shared/corpus/duckdb-sqllogictest/`, the
//! sqllogictest files released with the DuckDB version Rocky links). Each file is replayed in a
//! fresh in-memory DuckDB, so its statements set up its tables; every query record is then asked
//! of DuckDB (`DESCRIBE`, the truth) and of the analysis (with the file's tables as the source
//! snapshot). A query DuckDB binds must get DuckDB's names, its types wherever the analysis
//! knows one, and no error (an error there is a false alarm); a `statement error` query DuckDB
//! rejects in its binder must get an error. The figures must never fall below the floors.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use duckdb::Connection;
use rocky_analysis::{check_query, Severity, SourceSchemaSnapshot, Type};
use rocky_tests::duck::{describe, snapshot};
use rocky_tests::sqllogictest::{parse, Record};

// Floors: the figures this corpus reached. Raise them as the analysis improves; never lower them
// to make the test pass.
const FLOOR_NAMES_EXACT: usize = 17768;
const FLOOR_TYPES_EXACT: usize = 25831;
const MAX_TYPES_WRONG: usize = 222;
const MAX_FALSE_ALARMS: usize = 0;
const FLOOR_ERRORS_CAUGHT: usize = 2036;

/// Counts for one directory (or the total).
#[derive(Default, Clone)]
struct Figures {
    /// Query records seen.
    queries: usize,
    /// Query records DuckDB describes (the compared ones).
    described: usize,
    names_exact: usize,
    /// Output columns of the compared queries, as DuckDB types them.
    columns: usize,
    types_exact: usize,
    types_unknown: usize,
    types_wrong: usize,
    false_alarms: usize,
    /// `statement error` queries DuckDB rejects in its binder / catalog.
    bind_errors: usize,
    errors_caught: usize,
    /// Records not replayed: files needing an extension or a database file, `mode skip`, other
    /// engines, large loops, queries DuckDB cannot describe (not a SELECT, a missing file).
    skipped: usize,
}

impl Figures {
    fn add(&mut self, o: &Figures) {
        self.queries += o.queries;
        self.described += o.described;
        self.names_exact += o.names_exact;
        self.columns += o.columns;
        self.types_exact += o.types_exact;
        self.types_unknown += o.types_unknown;
        self.types_wrong += o.types_wrong;
        self.false_alarms += o.false_alarms;
        self.bind_errors += o.bind_errors;
        self.errors_caught += o.errors_caught;
        self.skipped += o.skipped;
    }

    fn row(&self, name: &str) -> String {
        let pct = |n: usize, d: usize| if d == 0 { 100.0 } else { n as f64 * 100.0 / d as f64 };
        format!(
            "{name:<12} {:>6} {:>6} {:>6} ({:>5.1}%) {:>6} ({:>5.1}%) {:>5} {:>5} {:>6} {:>5}/{:<5} {:>6}",
            self.queries,
            self.described,
            self.names_exact,
            pct(self.names_exact, self.described),
            self.types_exact,
            pct(self.types_exact, self.columns),
            self.types_unknown,
            self.types_wrong,
            self.false_alarms,
            self.errors_caught,
            self.bind_errors,
            self.skipped,
        )
    }
}

/// What went wrong on one record, for the summary of the most common problems.
struct Finding {
    kind: &'static str,
    key: String,
    example: String,
}

struct FileResult {
    dir: String,
    figures: Figures,
    findings: Vec<Finding>,
}

fn corpus_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/duckdb-sqllogictest/test/sql")
}

fn test_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            test_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "test") {
            out.push(path);
        }
    }
}

/// Settings that change what DuckDB's binder accepts or how it types (`SET
/// order_by_non_integer_literal = true`, the old implicit casts, integer division): a project is
/// checked with the defaults, so a file's records after one are not compared.
fn changes_binding_rules(sql: &str) -> bool {
    let words: Vec<String> = sql
        .split(|c: char| c.is_whitespace() || c == '=')
        .filter(|w| !w.is_empty())
        .take(3)
        .map(str::to_lowercase)
        .collect();
    let setting = match words.as_slice() {
        [verb, rest @ ..] if verb == "set" || verb == "pragma" => {
            rest.iter().find(|w| *w != "global" && *w != "session" && *w != "local").cloned().unwrap_or_default()
        }
        _ => return false,
    };
    matches!(setting.as_str(), "order_by_non_integer_literal" | "old_implicit_casting" | "integer_division")
}

/// Whether a statement is a query DuckDB can DESCRIBE (and Rocky models are).
fn is_query(sql: &str) -> bool {
    let first = sql.trim_start().split(|c: char| !c.is_alphanumeric()).next().unwrap_or("").to_ascii_uppercase();
    sql.trim_start().starts_with('(')
        || matches!(first.as_str(), "SELECT" | "WITH" | "FROM" | "VALUES" | "TABLE" | "PIVOT" | "UNPIVOT")
}

/// A `require` this replay satisfies: an extension DuckDB has loaded or can load offline, or an
/// environment property of this build.
fn required(conn: &Connection, what: &str) -> bool {
    let mut words = what.split_whitespace();
    match (words.next(), words.next()) {
        (Some("vector_size"), Some(n)) => n == "2048",
        (
            Some(
                "64bit"
                | "notwindows"
                | "notmusl"
                | "skip_reload"
                | "no_alternative_verify"
                | "noforcestorage"
                | "no_force_storage"
                | "no_extension_autoloading"
                | "longdouble",
            ),
            _,
        ) => true,
        (Some(ext), None) if ext.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
            conn.execute_batch(&format!("LOAD {ext}")).is_ok()
        }
        _ => false,
    }
}

/// The file's tables and views as a source snapshot in the catalog and schema `check_query`
/// assumes (`memory.main`): the current database and schema (after `ATTACH … ; USE db`) and
/// temporary tables, which are read unqualified, are moved there.
fn sources(conn: &Connection) -> SourceSchemaSnapshot {
    let mut out = SourceSchemaSnapshot::default();
    let Ok(snap) = snapshot(conn) else { return out };
    let (db, schema) = conn
        .query_row("SELECT current_database(), current_schema()", [], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .unwrap_or_else(|_| ("memory".into(), "main".into()));
    let current = format!("{db}.{schema}.").to_lowercase();
    let mut moved = Vec::new();
    out.functions = snap.functions;
    out.types = snap.types;
    for (key, table) in snap.tables {
        match key.strip_prefix(&current).or_else(|| key.strip_prefix("temp.main.")) {
            Some(name) => moved.push((format!("memory.main.{name}"), table)),
            None => out.insert(table),
        }
    }
    for (key, mut table) in moved {
        table.key = key;
        out.insert(table);
    }
    out
}

/// DuckDB errors raised while binding (the analysis should see them), as opposed to parse,
/// conversion, constraint or run-time errors.
fn is_bind_error(message: &str) -> bool {
    message.starts_with("Binder Error") || message.starts_with("Catalog Error")
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("");
    line.chars().take(160).collect()
}

/// The diagnostic message with quoted names and numbers blanked, so similar alarms group.
fn shape(message: &str) -> String {
    let mut out = String::new();
    let mut in_quote = None;
    for c in message.chars() {
        match in_quote {
            Some(q) if c == q => {
                in_quote = None;
                out.push(c);
            }
            Some(_) => {}
            None if c == '`' || c == '"' || c == '\'' => {
                in_quote = Some(c);
                out.push(c);
                out.push('…');
            }
            None => out.push(c),
        }
    }
    out.chars().take(90).collect()
}

fn replay(path: &Path, root: &Path) -> FileResult {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let dir = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    let name = rel.display().to_string();
    let mut figures = Figures::default();
    let mut findings = Vec::new();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let records = parse(&text);
    let count_all = |records: &[Record]| {
        records
            .iter()
            .map(|r| match r {
                Record::Statement { .. } | Record::Query { .. } => 1,
                Record::Skipped { records, .. } => *records,
                _ => 0,
            })
            .sum::<usize>()
    };
    let conn = Connection::open_in_memory().expect("duckdb opens in memory");
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let test_dir = scratch.path().display().to_string();
    let mut current: Option<SourceSchemaSnapshot> = None;
    // A setup statement failed (a missing data file, an extension): later rejections may be
    // its consequence, not the query's own error.
    let mut setup_failed = false;
    for (i, record) in records.iter().enumerate() {
        match record {
            Record::Require(what) => {
                if !required(&conn, what) {
                    figures.skipped += count_all(&records[i..]);
                    figures.queries += records[i..].iter().filter(|r| matches!(r, Record::Query { .. })).count();
                    break;
                }
            }
            Record::Reopen => {
                figures.skipped += count_all(&records[i..]);
                figures.queries += records[i..].iter().filter(|r| matches!(r, Record::Query { .. })).count();
                break;
            }
            Record::Skipped { records, .. } => figures.skipped += records,
            Record::Statement { expect_error, sql, line } => {
                let sql = sql.replace("__TEST_DIR__", &test_dir);
                if changes_binding_rules(&sql) {
                    // The analysis checks with DuckDB's default rules; what follows is another
                    // binder's behaviour.
                    figures.skipped += count_all(&records[i + 1..]);
                    figures.queries += records[i + 1..].iter().filter(|r| matches!(r, Record::Query { .. })).count();
                    break;
                }
                if *expect_error && is_query(&sql) {
                    match describe(&conn, &sql) {
                        Err(e) if is_bind_error(&e) && !setup_failed => {
                            figures.bind_errors += 1;
                            let ours = check_query(&sql, current_sources(&conn, &mut current));
                            if ours.diagnostics.iter().any(|d| d.severity == Severity::Error) {
                                figures.errors_caught += 1;
                            } else {
                                findings.push(Finding {
                                    kind: "missed error",
                                    key: shape(&first_line(&e)),
                                    example: format!(
                                        "{name}:{line}: DuckDB: {}\n      {}",
                                        first_line(&e),
                                        one_line(&sql)
                                    ),
                                });
                            }
                        }
                        _ => figures.skipped += 1,
                    }
                    continue;
                }
                let ok = conn.execute_batch(&sql).is_ok();
                current = None;
                if !ok && !*expect_error {
                    setup_failed = true;
                }
            }
            Record::Query { sql, line } => {
                figures.queries += 1;
                let sql = sql.replace("__TEST_DIR__", &test_dir);
                if !is_query(&sql) {
                    // PRAGMA, CALL, EXPLAIN, DML with RETURNING…: run for its effects.
                    let _ = conn.execute_batch(&sql);
                    current = None;
                    figures.skipped += 1;
                    continue;
                }
                let Ok(truth) = describe(&conn, &sql) else {
                    figures.skipped += 1;
                    continue;
                };
                figures.described += 1;
                let ours = check_query(&sql, current_sources(&conn, &mut current));
                let at = format!("{name}:{line}");
                compare(&sql, &at, &truth, &ours, &mut figures, &mut findings);
            }
        }
    }
    FileResult { dir, figures, findings }
}

/// The snapshot of the file's current tables, read again after a statement ran.
fn current_sources<'a>(conn: &Connection, current: &'a mut Option<SourceSchemaSnapshot>) -> &'a SourceSchemaSnapshot {
    current.get_or_insert_with(|| sources(conn))
}

fn one_line(sql: &str) -> String {
    let s: String = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    s.chars().take(200).collect()
}

fn compare(
    sql: &str,
    at: &str,
    truth: &[(String, String)],
    ours: &rocky_analysis::QueryCheck,
    figures: &mut Figures,
    findings: &mut Vec<Finding>,
) {
    let errors: Vec<_> = ours.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    if let Some(first) = errors.first() {
        figures.false_alarms += 1;
        findings.push(Finding {
            kind: "false alarm",
            key: format!("{} {}", first.code, shape(&first.message)),
            example: format!("{at}: {} {}\n      {}", first.code, first.message, one_line(sql)),
        });
    }
    figures.columns += truth.len();
    let names: Vec<&str> = ours.columns.iter().map(|c| c.name.as_str()).collect();
    let truth_names: Vec<&str> = truth.iter().map(|(n, _)| n.as_str()).collect();
    if names == truth_names && !ours.open {
        figures.names_exact += 1;
    } else if errors.is_empty() {
        findings.push(Finding {
            kind: "names",
            key: if names.len() == truth_names.len() { "same count".into() } else { "different count".into() },
            example: format!("{at}: ours {names:?}, DuckDB {truth_names:?}\n      {}", one_line(sql)),
        });
    }
    if names.len() != truth_names.len() {
        figures.types_wrong += truth.len();
        return;
    }
    for (c, (_, t)) in ours.columns.iter().zip(truth) {
        if c.ty == Type::Unknown {
            figures.types_unknown += 1;
            // Grouped by the outermost call of the column's expression (its name up to `(`).
            let head = c.name.split('(').next().unwrap_or("").trim_start_matches("main.");
            findings.push(Finding {
                kind: "unknown type",
                key: format!("{head} ({t})"),
                example: format!("{at}: `{}` is Unknown, DuckDB says {t}\n      {}", c.name, one_line(sql)),
            });
        } else if c.ty.to_string() == *t {
            figures.types_exact += 1;
        } else {
            figures.types_wrong += 1;
            findings.push(Finding {
                kind: "type",
                key: format!("{} vs {t}", c.ty),
                example: format!("{at}: `{}` is {} but DuckDB says {t}\n      {}", c.name, c.ty, one_line(sql)),
            });
        }
    }
}

/// How many findings of a kind each diagnostic code accounts for (the key's first word).
fn by_code(findings: &[Finding], kind: &str) -> String {
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.kind == kind) {
        *codes.entry(f.key.split(' ').next().unwrap_or("")).or_default() += 1;
    }
    let mut codes: Vec<_> = codes.into_iter().collect();
    codes.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let list: Vec<String> = codes.iter().map(|(c, n)| format!("{c} {n}")).collect();
    format!("{kind} by code: {}\n", list.join(", "))
}

/// The most common findings of each kind, with one example each.
fn top_findings(findings: &[Finding], kind: &str, n: usize) -> String {
    let mut groups: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.kind == kind) {
        groups.entry(f.key.as_str()).or_insert((0, f.example.as_str())).0 += 1;
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    let mut out = format!("top {kind} ({} in all):\n", findings.iter().filter(|f| f.kind == kind).count());
    for (key, (count, example)) in groups.into_iter().take(n) {
        let _ = writeln!(out, "  {count:>5}  {key}\n         e.g. {example}");
    }
    out
}

#[test]
fn analysis_agrees_with_duckdb_sqllogictest_corpus() {
    let root = corpus_root();
    assert!(
        root.is_dir(),
        "DuckDB's sqllogictest corpus is missing: expected it at {} (`../shared/corpus/` from the \
         workspace root; see its README)",
        root.display()
    );
    let mut files = Vec::new();
    test_files(&root, &mut files);
    assert!(
        files.len() > 1000,
        "expected the whole corpus, found {} .test files under {}",
        files.len(),
        root.display()
    );

    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).min(4);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let result = replay(path, &root);
                results.lock().expect("no worker panicked holding the lock").push(result);
            });
        }
    });
    let results = results.into_inner().expect("no worker panicked holding the lock");

    let mut by_dir: BTreeMap<String, Figures> = BTreeMap::new();
    let mut total = Figures::default();
    let mut findings = Vec::new();
    for r in results {
        by_dir.entry(r.dir).or_default().add(&r.figures);
        total.add(&r.figures);
        findings.extend(r.findings);
    }
    let mut table = format!(
        "{:<12} {:>6} {:>6} {:>15} {:>15} {:>5} {:>5} {:>6} {:>11} {:>6}\n",
        "directory", "query", "descr", "names exact", "types exact", "unkn", "wrong", "alarms", "caught/errs", "skip"
    );
    for (dir, f) in &by_dir {
        let _ = writeln!(table, "{}", f.row(dir));
    }
    let _ = writeln!(table, "{}", total.row("TOTAL"));
    let report = format!(
        "{table}\n{}{}\n{}\n{}\n{}\n{}",
        by_code(&findings, "false alarm"),
        top_findings(&findings, "false alarm", 25),
        top_findings(&findings, "missed error", 15),
        top_findings(&findings, "type", 15),
        top_findings(&findings, "unknown type", 15),
        top_findings(&findings, "names", 5),
    );
    println!("{report}");
    // Every finding, for working through a category: `ROCKY_CORPUS_FINDINGS=/tmp/f.txt`.
    if let Some(path) = std::env::var_os("ROCKY_CORPUS_FINDINGS") {
        let all: String = findings.iter().map(|f| format!("{}\t{}\t{}\n", f.kind, f.key, f.example)).collect();
        std::fs::write(&path, all).unwrap_or_else(|e| panic!("{}: {e}", PathBuf::from(&path).display()));
    }

    let mut failures = Vec::new();
    if total.names_exact < FLOOR_NAMES_EXACT {
        failures.push(format!("names exact {} < floor {FLOOR_NAMES_EXACT}", total.names_exact));
    }
    if total.types_exact < FLOOR_TYPES_EXACT {
        failures.push(format!("types exact {} < floor {FLOOR_TYPES_EXACT}", total.types_exact));
    }
    if total.types_wrong > MAX_TYPES_WRONG {
        failures.push(format!("types wrong {} > ceiling {MAX_TYPES_WRONG}", total.types_wrong));
    }
    if total.false_alarms > MAX_FALSE_ALARMS {
        failures.push(format!("false alarms {} > ceiling {MAX_FALSE_ALARMS}", total.false_alarms));
    }
    if total.errors_caught < FLOOR_ERRORS_CAUGHT {
        failures.push(format!("errors caught {} < floor {FLOOR_ERRORS_CAUGHT}", total.errors_caught));
    }
    assert!(failures.is_empty(), "{}\n\n{report}", failures.join("\n"));
}
