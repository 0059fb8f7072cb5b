//! Compiler-style text output: header, location, source excerpt with an underline, help.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use rocky_analysis::Severity;
use rocky_loader::LoadProblem;

use super::{Located, Summary};

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

pub fn write(
    out: &mut impl Write,
    diagnostics: &[Located<'_>],
    problems: &[(String, &LoadProblem)],
    summary: Summary,
    color: bool,
) -> io::Result<()> {
    let p = Paint { on: color };
    let blue = Style::new().bold().fg_color(Some(AnsiColor::Blue.into()));
    let bold = Style::new().bold();
    for (shown, problem) in problems {
        writeln!(out, "{}: {}", p.paint(severity_style(Severity::Error), "error"), p.paint(bold, &problem.message))?;
        writeln!(out, "  {} {shown}", p.paint(blue, "-->"))?;
        writeln!(out, "  {} {}\n", p.paint(blue, "= help:"), problem.hint)?;
    }
    for l in diagnostics {
        let d = l.diagnostic;
        let style = severity_style(d.severity);
        writeln!(
            out,
            "{}: {}",
            p.paint(style, &format!("{}[{}]", severity_name(d.severity), d.code)),
            p.paint(bold, &d.message)
        )?;
        let (start, end) = l.span();
        writeln!(out, "  {} {}:{}:{}", p.paint(blue, "-->"), l.shown_path, start.line, start.column)?;
        if let (Some(text), Some(index)) = (l.text, l.index) {
            if let Some((ls, le)) = index.line_range(start.line - 1, text) {
                let line_text = text.get(ls as usize..le as usize).unwrap_or("").replace('\t', " ");
                let gutter = start.line.to_string();
                let pad = " ".repeat(gutter.len());
                let width = if end.line == start.line {
                    end.column.saturating_sub(start.column).max(1)
                } else {
                    (line_text.chars().count() as u32 + 1).saturating_sub(start.column).max(1)
                };
                writeln!(out, "{pad} {}", p.paint(blue, "|"))?;
                writeln!(out, "{} {} {line_text}", p.paint(blue, &gutter), p.paint(blue, "|"))?;
                let marker = format!(
                    "{}{}",
                    " ".repeat(start.column.saturating_sub(1) as usize),
                    p.paint(style, &"^".repeat(width as usize))
                );
                writeln!(out, "{pad} {} {marker}", p.paint(blue, "|"))?;
            }
        }
        if let Some(hint) = &d.hint {
            for (i, line) in hint.lines().enumerate() {
                let lead = if i == 0 { "= help:" } else { "       " };
                writeln!(out, "  {} {line}", p.paint(blue, lead))?;
            }
        }
        for r in &d.related {
            writeln!(out, "  {} {}: {}", p.paint(blue, "= note:"), r.file, r.message)?;
        }
        writeln!(out)?;
    }
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    if summary.errors > 0 {
        writeln!(
            out,
            "{}: {}, {} in {}",
            p.paint(severity_style(Severity::Error), "failed"),
            plural(summary.errors, "error"),
            plural(summary.warnings, "warning"),
            plural(summary.models, "model")
        )
    } else {
        let green = Style::new().bold().fg_color(Some(AnsiColor::Green.into()));
        let warn =
            if summary.warnings > 0 { format!(" ({})", plural(summary.warnings, "warning")) } else { String::new() };
        writeln!(out, "{} checked {}, no errors{warn}", p.paint(green, "ok:"), plural(summary.models, "model"))
    }
}
