//! Compiler-style text output: header, location, source excerpt with an underline, help, notes.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use rocky_analysis::Severity;

use super::{Files, Report, Summary};

/// Paints text with ANSI styles, or leaves it plain (not a terminal, `--color never`, `NO_COLOR`).
struct Paint {
    on: bool,
}

impl Paint {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.on {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

fn severity_style(s: Severity) -> Style {
    let color = match s {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Cyan,
    };
    Style::new().bold().fg_color(Some(color.into()))
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// Writes every report, then the summary line.
pub fn write(
    out: &mut impl Write,
    reports: &[Report],
    files: &mut Files<'_>,
    summary: &Summary,
    color: bool,
) -> io::Result<()> {
    let p = Paint { on: color };
    let blue = Style::new().bold().fg_color(Some(AnsiColor::Blue.into()));
    let bold = Style::new().bold();
    for r in reports {
        let style = severity_style(r.severity);
        let header = format!("{}[{}]", severity_name(r.severity), r.code);
        writeln!(out, "{}: {}", p.paint(style, &header), p.paint(bold, &r.message))?;
        let (start, end) = (r.start, r.end);
        if r.range.is_some() {
            writeln!(out, "  {} {}:{}:{}", p.paint(blue, "-->"), r.shown_path, start.line, start.column)?;
        } else {
            writeln!(out, "  {} {}", p.paint(blue, "-->"), r.shown_path)?;
        }
        let source = if r.range.is_some() { files.line(&r.file, start.line).map(str::to_string) } else { None };
        if let Some(line) = source {
            // Tabs become one space so that the underline (counted in characters) lines up.
            let line = line.replace('\t', " ");
            let gutter = start.line.to_string();
            let pad = " ".repeat(gutter.len());
            let width = if end.line == start.line {
                end.column.saturating_sub(start.column).max(1)
            } else {
                // A range over several lines: underline to the end of its first line.
                (line.chars().count() as u32 + 1).saturating_sub(start.column).max(1)
            };
            let marker = format!(
                "{}{}",
                " ".repeat(start.column.saturating_sub(1) as usize),
                p.paint(style, &"^".repeat(width as usize))
            );
            writeln!(out, "{pad} {}", p.paint(blue, "|"))?;
            writeln!(out, "{} {} {line}", p.paint(blue, &gutter), p.paint(blue, "|"))?;
            writeln!(out, "{pad} {} {marker}", p.paint(blue, "|"))?;
        }
        if let Some(hint) = &r.hint {
            for (i, line) in hint.lines().enumerate() {
                let lead = if i == 0 { "= help:" } else { "       " };
                writeln!(out, "  {} {line}", p.paint(blue, lead))?;
            }
        }
        for rel in &r.related {
            writeln!(
                out,
                "  {} {}:{}:{}: {}",
                p.paint(blue, "= note:"),
                rel.shown_path,
                rel.start.line,
                rel.start.column,
                rel.message
            )?;
        }
        writeln!(out)?;
    }
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let scope = match &summary.file {
        Some(file) => file.clone(),
        None => plural(summary.models, "model"),
    };
    if summary.errors > 0 {
        writeln!(
            out,
            "{} {}, {} in {scope}",
            p.paint(severity_style(Severity::Error), "✗"),
            plural(summary.errors, "error"),
            plural(summary.warnings, "warning"),
        )?;
    } else {
        let green = Style::new().bold().fg_color(Some(AnsiColor::Green.into()));
        let warn =
            if summary.warnings > 0 { format!(" ({})", plural(summary.warnings, "warning")) } else { String::new() };
        writeln!(out, "{} checked {scope}, no errors{warn}", p.paint(green, "✓"))?;
    }
    match summary.elsewhere.and_then(|e| e.line()) {
        Some(line) => writeln!(out, "  {line}"),
        None => Ok(()),
    }
}
