//! `--format github`: GitHub Actions workflow commands, one annotation per report.

use std::io::{self, Write};

use rocky_analysis::Severity;

use super::{Report, Summary};

/// Escapes a message (the command's data) per GitHub's workflow-command rules.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value: like data, plus `:` and `,`, which separate properties.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Writes one `::error`/`::warning`/`::notice` line per report, then a plain summary line.
pub fn write(out: &mut impl Write, reports: &[Report], summary: &Summary) -> io::Result<()> {
    for r in reports {
        let level = match r.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = r.message.clone();
        if let Some(h) = &r.hint {
            message.push_str(&format!("\nhelp: {h}"));
        }
        let mut props = format!("file={}", escape_property(&r.shown_path));
        if r.range.is_some() {
            props.push_str(&format!(
                ",line={},col={},endLine={},endColumn={}",
                r.start.line, r.start.column, r.end.line, r.end.column
            ));
        }
        writeln!(out, "::{level} {props},title={}::{}", escape_property(r.code), escape_data(&message))?;
    }
    let scope = match &summary.file {
        Some(file) => file.clone(),
        None => format!("{} models", summary.models),
    };
    let elsewhere = summary.elsewhere.and_then(|e| e.line()).map(|l| format!("; {l}")).unwrap_or_default();
    writeln!(out, "rocky check: {} errors, {} warnings in {scope}{elsewhere}", summary.errors, summary.warnings)
}
