//! `--format github`: GitHub Actions workflow commands, one annotation per diagnostic.

use std::io::{self, Write};

use rocky_analysis::Severity;
use rocky_loader::LoadProblem;

use super::{Located, Summary};

/// Escapes a message (data) per GitHub's workflow-command rules.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value (also `:` and `,`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn write(
    out: &mut impl Write,
    diagnostics: &[Located<'_>],
    problems: &[(String, &LoadProblem)],
    summary: Summary,
) -> io::Result<()> {
    for (shown, p) in problems {
        writeln!(out, "::error file={},title=E000::{}", property(shown), data(&format!("{} ({})", p.message, p.hint)))?;
    }
    for l in diagnostics {
        let d = l.diagnostic;
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let (s, e) = l.span();
        let mut message = d.message.clone();
        if let Some(h) = &d.hint {
            message.push_str(&format!("\nhelp: {h}"));
        }
        writeln!(
            out,
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&l.shown_path),
            s.line,
            s.column,
            e.line,
            e.column,
            property(d.code.as_str()),
            data(&message)
        )?;
    }
    writeln!(out, "rocky check: {} errors, {} warnings in {} models", summary.errors, summary.warnings, summary.models)
}
