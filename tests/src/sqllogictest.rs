//! A reader for DuckDB's sqllogictest files: the records a replay needs (statements, queries,
//! `require`, `load`, `restart`), with `mode skip`, `onlyif`/`skipif` and small
//! `loop`/`foreach` blocks already applied, so a replayer only walks a flat list.

/// Loops with more iterations than this are skipped rather than expanded (they stress DuckDB's
/// executor, not its binder, and would dominate the replay's run time).
const MAX_LOOP_ITERATIONS: usize = 100;

/// One record to replay, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// `statement ok|error|maybe`.
    Statement { expect_error: bool, sql: String, line: usize },
    /// `query <types> …`: the SQL whose result rows follow `----`.
    Query { sql: String, line: usize },
    /// `require <what>`: the file needs an extension or an environment property.
    Require(String),
    /// `load <file>` / `restart`: the rest of the file depends on a database file or a
    /// restarted database.
    Reopen,
    /// Records not replayed (`mode skip`, a condition for another engine, a large or
    /// unsupported loop, an unknown directive), with how many statements/queries they hold.
    Skipped { reason: &'static str, records: usize },
}

/// A parsed line-level item before loops are expanded.
#[derive(Clone, Debug)]
enum Item {
    Record(Record),
    Loop { var: String, values: Option<Vec<String>> },
    EndLoop,
}

/// Parses a `.test` file into records, expanding loops.
pub fn parse(text: &str) -> Vec<Record> {
    expand(&items(text))
}

fn items(text: &str) -> Vec<Item> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut skipping = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end();
        i += 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let (head, args) = (words[0], &words[1..]);
        match head {
            "onlyif" | "skipif" => {
                // The condition applies to the next record, which follows on the next line.
                let applies = args.first().is_some_and(|c| *c == "duckdb");
                let run = if head == "onlyif" { applies } else { !applies };
                if !run {
                    let (_, end) = read_record(&lines, i);
                    i = end;
                    out.push(Item::Record(Record::Skipped { reason: "condition", records: 1 }));
                }
            }
            "statement" | "query" => {
                let (sql, end) = read_record(&lines, i);
                let line_no = i;
                i = end;
                let record = if skipping {
                    Record::Skipped { reason: "mode skip", records: 1 }
                } else if head == "query" {
                    Record::Query { sql, line: line_no }
                } else {
                    Record::Statement { expect_error: args.first() == Some(&"error"), sql, line: line_no }
                };
                out.push(Item::Record(record));
            }
            "mode" => match args.first() {
                Some(&"skip") => skipping = true,
                Some(&"unskip") => skipping = false,
                _ => {}
            },
            "require" => out.push(Item::Record(Record::Require(args.join(" ")))),
            "load" | "restart" => out.push(Item::Record(Record::Reopen)),
            "halt" => break,
            "loop" => {
                let values = match (
                    args.get(1).and_then(|s| s.parse::<i64>().ok()),
                    args.get(2).and_then(|s| s.parse::<i64>().ok()),
                ) {
                    (Some(from), Some(to)) => Some((from..to).map(|n| n.to_string()).collect()),
                    _ => None,
                };
                out.push(Item::Loop { var: args.first().unwrap_or(&"").to_string(), values });
            }
            "foreach" => {
                let values: Option<Vec<String>> = args
                    .get(1..)
                    .unwrap_or(&[])
                    .iter()
                    .map(|v| type_group(v))
                    .collect::<Option<Vec<_>>>()
                    .map(|groups| groups.concat());
                out.push(Item::Loop { var: args.first().unwrap_or(&"").to_string(), values });
            }
            // Concurrent loops exercise threads; their bodies are conditioned on the thread id.
            "concurrentloop" | "concurrentforeach" => out.push(Item::Loop { var: String::new(), values: None }),
            "endloop" => out.push(Item::EndLoop),
            // Runner settings (`hash-threshold`, `set`, `reset`, `sleep`, `unzip`, `tags`, …).
            _ => {}
        }
    }
    out
}

/// Reads a record's SQL from `start` up to `----` or a blank line, skips the expected result
/// that follows `----`, and returns the SQL and the index of the line after the record.
fn read_record(lines: &[&str], start: usize) -> (String, usize) {
    let mut i = start;
    let mut sql = Vec::new();
    while i < lines.len() && !lines[i].trim().is_empty() && lines[i].trim_end() != "----" {
        sql.push(lines[i]);
        i += 1;
    }
    if i < lines.len() && lines[i].trim_end() == "----" {
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
    }
    (sql.join("\n"), i)
}

/// The sqllogictest runner's named value groups for `foreach`; a plain value stands for itself.
/// `None` for a group this reader does not know (the loop is then skipped).
fn type_group(value: &str) -> Option<Vec<String>> {
    const SIGNED: &[&str] = &["tinyint", "smallint", "integer", "bigint", "hugeint"];
    const UNSIGNED: &[&str] = &["utinyint", "usmallint", "uinteger", "ubigint", "uhugeint"];
    let names: Vec<&str> = match value {
        "<signed>" => SIGNED.to_vec(),
        "<unsigned>" => UNSIGNED.to_vec(),
        "<integral>" => [SIGNED, UNSIGNED].concat(),
        "<numeric>" => [SIGNED, UNSIGNED, &["float", "double"]].concat(),
        v if v.starts_with('<') && v.ends_with('>') => return None,
        v => vec![v],
    };
    Some(names.into_iter().map(str::to_string).collect())
}

/// Expands loops by substituting `${var}` in their bodies' SQL.
fn expand(items: &[Item]) -> Vec<Record> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < items.len() {
        match &items[i] {
            Item::Record(r) => out.push(r.clone()),
            Item::EndLoop => {}
            Item::Loop { var, values } => {
                let end = matching_end(items, i);
                let body = &items[i + 1..end];
                match values {
                    Some(values) if values.len() <= MAX_LOOP_ITERATIONS && !var.is_empty() => {
                        for value in values {
                            let body: Vec<Item> = body.iter().map(|it| substitute(it, var, value)).collect();
                            out.extend(expand(&body));
                        }
                    }
                    _ => {
                        let records = body.iter().filter(|it| matches!(it, Item::Record(_))).count();
                        out.push(Record::Skipped { reason: "loop", records });
                    }
                }
                i = end;
            }
        }
        i += 1;
    }
    out
}

/// The index of the `endloop` closing the loop at `start` (or the end of the list).
fn matching_end(items: &[Item], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, it) in items.iter().enumerate().skip(start) {
        match it {
            Item::Loop { .. } => depth += 1,
            Item::EndLoop => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            Item::Record(_) => {}
        }
    }
    items.len()
}

fn substitute(item: &Item, var: &str, value: &str) -> Item {
    let pattern = format!("${{{var}}}");
    let sub = |s: &String| s.replace(&pattern, value);
    match item {
        Item::Record(Record::Statement { expect_error, sql, line }) => {
            Item::Record(Record::Statement { expect_error: *expect_error, sql: sub(sql), line: *line })
        }
        Item::Record(Record::Query { sql, line }) => Item::Record(Record::Query { sql: sub(sql), line: *line }),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_records_conditions_and_loops() {
        let text = "# comment\nstatement ok\nCREATE TABLE t(i INT)\n\nquery I\nSELECT i\nFROM t\n----\n1\n\n\
                    skipif duckdb\nquery I\nSELECT 2\n----\n2\n\nloop i 0 2\n\nstatement error\nSELECT ${i}\n----\nmsg\n\nendloop\n\n\
                    mode skip\n\nquery I\nSELECT 3\n\nmode unskip\n\nforeach t <signed>\n\nquery I\nSELECT 1::${t}\n\nendloop\n";
        let records = parse(text);
        assert_eq!(records[0], Record::Statement { expect_error: false, sql: "CREATE TABLE t(i INT)".into(), line: 2 });
        assert_eq!(records[1], Record::Query { sql: "SELECT i\nFROM t".into(), line: 5 });
        assert_eq!(records[2], Record::Skipped { reason: "condition", records: 1 });
        assert_eq!(records[3], Record::Statement { expect_error: true, sql: "SELECT 0".into(), line: 19 });
        assert_eq!(records[4], Record::Statement { expect_error: true, sql: "SELECT 1".into(), line: 19 });
        assert_eq!(records[5], Record::Skipped { reason: "mode skip", records: 1 });
        assert_eq!(records.len(), 11);
        assert_eq!(records[10], Record::Query { sql: "SELECT 1::hugeint".into(), line: 35 });
    }
}
