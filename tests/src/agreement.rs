//! The bookkeeping of the differential tests against a real warehouse (`postgres_types.rs`,
//! `spark_types.rs`): per-category figures for valid queries (names, types, false alarms) and
//! broken ones (right code, right code at the right span), the printed table, and the floors a
//! category must not fall below.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rocky_analysis::dialect::Dialect;
use rocky_analysis::{AnalysisHost, Diagnostic, OutputColumn, Severity};

const QUERY_PATH: &str = "models/query.sql";

/// The analysis of one query as the project's only model: its columns (None when the result is
/// open) and its diagnostics.
pub fn analyse(host: &mut AnalysisHost, sql: &str) -> (Option<Vec<OutputColumn>>, Vec<Diagnostic>) {
    host.set_model(QUERY_PATH, sql.to_string());
    let analysis = host.analysis();
    let columns = analysis.query_columns(QUERY_PATH).expect("not cancelled");
    let open = analysis.model_of_file(QUERY_PATH).expect("not cancelled").is_some_and(|m| m.schema.open);
    let diagnostics = analysis.file_diagnostics(QUERY_PATH).expect("not cancelled");
    (columns.filter(|_| !open), diagnostics)
}

/// Figures of one category of valid queries.
#[derive(Default)]
pub struct Valid {
    pub queries: usize,
    pub names_exact: usize,
    pub columns: usize,
    pub types_exact: usize,
    pub types_unknown: usize,
    pub types_wrong: usize,
    pub false_alarms: usize,
}

impl Valid {
    const HEADER: [&str; 8] =
        ["valid category", "queries", "names exact", "columns", "types exact", "unknown", "wrong", "alarms"];

    fn add(&mut self, o: &Valid) {
        self.queries += o.queries;
        self.names_exact += o.names_exact;
        self.columns += o.columns;
        self.types_exact += o.types_exact;
        self.types_unknown += o.types_unknown;
        self.types_wrong += o.types_wrong;
        self.false_alarms += o.false_alarms;
    }

    fn cells(&self) -> [usize; 7] {
        [
            self.queries,
            self.names_exact,
            self.columns,
            self.types_exact,
            self.types_unknown,
            self.types_wrong,
            self.false_alarms,
        ]
    }

    /// Compares one query's analysis with the warehouse's columns (name, type as the warehouse
    /// prints it); returns what disagreed.
    pub fn compare(
        &mut self,
        dialect: Dialect,
        truth: &[(String, String)],
        columns: Option<&[OutputColumn]>,
        diagnostics: &[Diagnostic],
    ) -> Vec<String> {
        let warehouse = dialect.name();
        let mut findings = Vec::new();
        self.queries += 1;
        self.columns += truth.len();
        if let Some(d) = diagnostics.iter().find(|d| d.severity == Severity::Error) {
            self.false_alarms += 1;
            findings.push(format!("false alarm {} {}", d.code, d.message));
        }
        let columns = columns.unwrap_or_default();
        let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        let truth_names: Vec<&str> = truth.iter().map(|(n, _)| n.as_str()).collect();
        if names == truth_names {
            self.names_exact += 1;
        } else {
            findings.push(format!("names {names:?}, {warehouse} {truth_names:?}"));
        }
        if names.len() != truth_names.len() {
            self.types_wrong += truth.len();
            return findings;
        }
        for (c, (_, t)) in columns.iter().zip(truth) {
            if c.ty.contains_unknown() {
                self.types_unknown += 1;
                findings.push(format!("`{}` is Unknown, {warehouse} says {t}", c.name));
            } else if dialect.type_name(&c.ty) == *t {
                self.types_exact += 1;
            } else {
                self.types_wrong += 1;
                findings.push(format!("`{}` is {} but {warehouse} says {t}", c.name, dialect.type_name(&c.ty)));
            }
        }
        findings
    }
}

/// Figures of one category of broken queries.
#[derive(Default)]
pub struct Broken {
    pub queries: usize,
    pub right_code: usize,
    pub right_span: usize,
}

/// One row of a printed table: a name, then right-aligned cells as wide as the header's.
fn row(report: &mut String, header: &[&str], name: &str, cells: &[String]) {
    let _ = write!(report, "{name:<24}");
    for (h, c) in header[1..].iter().zip(cells) {
        let _ = write!(report, " {c:>w$}", w = h.len());
    }
    report.push('\n');
}

/// A query on one line, for findings.
pub fn one_line(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The two tables (valid and broken categories, with totals).
pub fn report(valid: &BTreeMap<String, Valid>, broken: &BTreeMap<String, Broken>) -> String {
    let mut report = String::new();
    let header = Valid::HEADER;
    row(&mut report, &header, header[0], &header[1..].iter().map(|h| h.to_string()).collect::<Vec<_>>());
    let mut total = Valid::default();
    for (name, f) in valid {
        row(&mut report, &header, name, &f.cells().map(|n| n.to_string()));
        total.add(f);
    }
    row(&mut report, &header, "TOTAL", &total.cells().map(|n| n.to_string()));
    report.push('\n');
    let header = ["broken category", "queries", "right code", "right code+span"];
    row(&mut report, &header, header[0], &header[1..].iter().map(|h| h.to_string()).collect::<Vec<_>>());
    let mut caught = Broken::default();
    for (name, b) in broken {
        row(&mut report, &header, name, &[b.queries, b.right_code, b.right_span].map(|n| n.to_string()));
        caught.queries += b.queries;
        caught.right_code += b.right_code;
        caught.right_span += b.right_span;
    }
    row(&mut report, &header, "TOTAL", &[caught.queries, caught.right_code, caught.right_span].map(|n| n.to_string()));
    report
}

/// Every category below its floors: (category, names exact, types exact, most types wrong,
/// most false alarms) for valid queries, (category, right code, right code at the right span)
/// for broken ones. Panics when a category has no floors or a floor names no category.
pub fn below_floors(
    valid: &BTreeMap<String, Valid>,
    broken: &BTreeMap<String, Broken>,
    valid_floors: &[(&str, usize, usize, usize, usize)],
    broken_floors: &[(&str, usize, usize)],
) -> Vec<String> {
    let mut failures = Vec::new();
    for (name, names, types, wrong, alarms) in valid_floors {
        let f = valid.get(*name).unwrap_or_else(|| panic!("valid.sql has no category `{name}`"));
        if f.names_exact < *names {
            failures.push(format!("{name}: names exact {} < floor {names}", f.names_exact));
        }
        if f.types_exact < *types {
            failures.push(format!("{name}: types exact {} < floor {types}", f.types_exact));
        }
        if f.types_wrong > *wrong {
            failures.push(format!("{name}: types wrong {} > ceiling {wrong}", f.types_wrong));
        }
        if f.false_alarms > *alarms {
            failures.push(format!("{name}: false alarms {} > ceiling {alarms}", f.false_alarms));
        }
    }
    assert_eq!(valid_floors.len(), valid.len(), "every valid category needs floors");
    for (name, code, span) in broken_floors {
        let b = broken.get(*name).unwrap_or_else(|| panic!("broken.sql has no category `{name}`"));
        if b.right_code < *code {
            failures.push(format!("{name}: right code {} < floor {code}", b.right_code));
        }
        if b.right_span < *span {
            failures.push(format!("{name}: right code at the right span {} < floor {span}", b.right_span));
        }
    }
    assert_eq!(broken_floors.len(), broken.len(), "every broken category needs floors");
    failures
}
