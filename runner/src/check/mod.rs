//! `rocky check`: load the project, ask the analysis for diagnostics and schemas, print them.
//!
//! Load problems (unreadable files, bad globs) and analysis diagnostics are turned into one list
//! of [`Report`]s with 1-based positions first, so the three output formats only format.

mod focus;
pub use focus::Elsewhere;
mod github;
mod json;
mod text;

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;

use rocky_analysis::{Analysis, Diagnostic, LineIndex, Severity, TextRange};
use rocky_loader::LoadProblem;

use crate::cli::{CheckArgs, ColorChoice, Format, GlobalArgs};
use crate::exit;

/// The code of a [`LoadProblem`]: a project file or setting that kept part of the project from loading.
pub const LOAD_PROBLEM_CODE: &str = "E000";

/// A 1-based line and character column (what editors and GitHub count).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl Position {
    const START: Position = Position { line: 1, column: 1 };
}

/// Another place that explains a report.
#[derive(Clone, Debug)]
pub struct RelatedReport {
    pub file: String,
    pub shown_path: String,
    pub start: Position,
    pub message: String,
}

/// One thing to tell the user, located and ready to format.
#[derive(Clone, Debug)]
pub struct Report {
    /// Project-relative path with `/`.
    pub file: String,
    /// The path as shown to the user (relative to the working directory when possible).
    pub shown_path: String,
    /// Byte range in `file`, when known.
    pub range: Option<TextRange>,
    pub start: Position,
    /// Exclusive end.
    pub end: Position,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
    /// The diagnostic as the analysis produced it (fixes, raw ranges), for JSON.
    pub diagnostic: Option<Diagnostic>,
    pub related: Vec<RelatedReport>,
}

/// Counts by severity.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub models: usize,
    /// `rocky check FILE`: the file the counts above are about (project-relative).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// `rocky check FILE`: the reports about other files, which are not shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elsewhere: Option<Elsewhere>,
}

/// The text and line index of the files reports point into, fetched once each.
pub struct Files<'a> {
    analysis: &'a Analysis,
    cache: BTreeMap<String, Option<(String, LineIndex)>>,
}

impl<'a> Files<'a> {
    pub(crate) fn new(analysis: &'a Analysis) -> Self {
        Files { analysis, cache: BTreeMap::new() }
    }

    fn get(&mut self, file: &str) -> Option<&(String, LineIndex)> {
        if !self.cache.contains_key(file) {
            let entry = self.analysis.file_text(file).map(|t| {
                let index = LineIndex::new(&t);
                (t, index)
            });
            self.cache.insert(file.to_string(), entry);
        }
        self.cache.get(file).and_then(Option::as_ref)
    }

    /// The 1-based line and character column of a byte offset (clamped to the text).
    pub fn position(&mut self, file: &str, offset: u32) -> Position {
        let Some((text, index)) = self.get(file) else { return Position::START };
        let lc = index.line_col(offset);
        let line_start = offset.min(text.len() as u32) - lc.col;
        let mut end = offset.min(text.len() as u32) as usize;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let chars = text.get(line_start as usize..end).map(|s| s.chars().count()).unwrap_or(0);
        Position { line: lc.line + 1, column: chars as u32 + 1 }
    }

    /// The text of a 1-based line, without its terminator.
    pub fn line(&mut self, file: &str, line: u32) -> Option<&str> {
        let (text, index) = self.get(file)?;
        let (s, e) = index.line_range(line.checked_sub(1)?, text)?;
        text.get(s as usize..e as usize)
    }
}

/// Builds the reports: load problems first, then diagnostics (sorted by file and position by the
/// analysis); exact duplicates (a `_defaults.toml` problem inherited by many models) once.
fn reports(root: &Path, problems: &[LoadProblem], diagnostics: Vec<Diagnostic>, files: &mut Files<'_>) -> Vec<Report> {
    let mut out = Vec::new();
    for p in problems {
        let (start, end) = match p.range {
            Some(r) => (files.position(&p.path, r.start), files.position(&p.path, r.end)),
            None => (Position::START, Position::START),
        };
        out.push(Report {
            file: p.path.clone(),
            shown_path: shown_path(root, &p.path),
            range: p.range,
            start,
            end,
            severity: Severity::Error,
            code: LOAD_PROBLEM_CODE,
            message: p.message.clone(),
            hint: Some(p.hint.clone()),
            diagnostic: None,
            related: Vec::new(),
        });
    }
    let mut seen = std::collections::HashSet::new();
    for d in diagnostics {
        if !seen.insert(d.clone()) {
            continue;
        }
        let related = d
            .related
            .iter()
            .map(|r| RelatedReport {
                file: r.file.clone(),
                shown_path: shown_path(root, &r.file),
                start: files.position(&r.file, r.range.start),
                message: r.message.clone(),
            })
            .collect();
        out.push(Report {
            file: d.file.clone(),
            shown_path: shown_path(root, &d.file),
            range: Some(d.range),
            start: files.position(&d.file, d.range.start),
            end: files.position(&d.file, d.range.end),
            severity: d.severity,
            code: d.code.as_str(),
            message: d.message.clone(),
            hint: d.hint.clone(),
            related,
            diagnostic: Some(d),
        });
    }
    out
}

/// Runs `rocky check`; returns the exit code.
pub fn run(global: &GlobalArgs, args: &CheckArgs) -> u8 {
    // `-C DIR` works like `git -C`: PATH (if any) is relative to it.
    let start = crate::project::start_dir(global, args.path.as_deref());
    let color = match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let mut opened = match crate::project::open(global, &start) {
        Ok(p) => p,
        Err(failure) => return failure.report(),
    };
    // Sources are typed from the schema cache; a cache that cannot be read only costs a warning.
    opened.load_schema_cache();
    let project = &mut opened.loaded;
    let analysis = project.host.analysis();
    // A fresh host is never cancelled (nothing writes to it while we ask).
    let focus = match focus::Focus::of_path(&start, project, &analysis) {
        Ok(f) => f,
        Err(failure) => return failure.report(),
    };
    let diagnostics = analysis.all_diagnostics().unwrap_or_default();
    // Only a focused check builds the model list up front (it picks its model from it): JSON
    // builds each model's entry while it is written and the other formats print the count, so no
    // copy of every schema is held (~18 MB of the peak at 10k models).
    let mut models = if focus.is_some() { analysis.models().unwrap_or_default() } else { Vec::new() };
    let paths = if focus.is_some() { Vec::new() } else { analysis.model_paths().unwrap_or_default() };
    let mut files = Files::new(&analysis);
    let mut reports = reports(&project.root, &project.problems, diagnostics, &mut files);
    let mut summary = Summary::default();
    if let Some(focus) = &focus {
        // Only the file's reports are shown (and decide the exit code); the rest are counted.
        let (shown, elsewhere) = focus.split(reports);
        reports = shown;
        if let Some(name) = &focus.model {
            models.retain(|m| &m.name == name);
        }
        summary.file = Some(focus.file.clone());
        summary.elsewhere = Some(elsewhere);
    }
    summary.models = if focus.is_some() { models.len() } else { paths.len() };
    for r in &reports {
        match r.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Info => summary.infos += 1,
        }
    }

    let out = std::io::stdout();
    let mut out = out.lock();
    let written = match args.format {
        Format::Text => text::write(&mut out, &reports, &mut files, &summary, color),
        Format::Json => {
            let list = if focus.is_some() {
                json::ModelList::Built(&models)
            } else {
                json::ModelList::Lazy(&analysis, &paths)
            };
            json::write(&mut out, &reports, list, &summary, project.config.adapter.dialect())
        }
        Format::Github => github::write(&mut out, &reports, &summary),
    };
    // A closed stdout (piped into `head`) is not an error: the exit code still tells the result.
    let _ = written.and_then(|_| out.flush());
    // The process exits next: freeing the database (every model's memoized results), the
    // reports and the models one allocation at a time would only delay the exit. Nothing in them
    // holds a file or lock (the state file is opened per transaction).
    std::mem::forget(files);
    std::mem::forget((reports, models, paths, analysis, opened));
    if summary.errors > 0 {
        exit::ERRORS
    } else {
        exit::OK
    }
}

/// The path to show for a project file: relative to the working directory when under it.
fn shown_path(root: &Path, rel: &str) -> String {
    let full = root.join(rel);
    let shown = match std::env::current_dir().ok().and_then(|cwd| full.strip_prefix(&cwd).ok().map(Path::to_path_buf)) {
        Some(p) => p,
        None => full,
    };
    shown.to_string_lossy().replace('\\', "/")
}

/// Prints the errors `rocky check` would report (load problems and error diagnostics, as text)
/// to `out` and returns them as `rocky check --format json` diagnostics (empty when there are
/// none). Used by commands that refuse to work on a broken project, such as `rocky run`, whose
/// `--json` document then carries them.
pub fn write_errors(
    out: &mut impl Write,
    root: &Path,
    problems: &[LoadProblem],
    analysis: &Analysis,
    diagnostics: Vec<Diagnostic>,
    color: bool,
) -> Vec<serde_json::Value> {
    let errors: Vec<Diagnostic> = diagnostics.into_iter().filter(|d| d.severity == Severity::Error).collect();
    let mut files = Files::new(analysis);
    let reports = reports(root, problems, errors, &mut files);
    let summary = Summary {
        errors: reports.len(),
        models: analysis.models().map(|m| m.len()).unwrap_or(0),
        ..Summary::default()
    };
    if summary.errors > 0 {
        let _ = text::write(out, &reports, &mut files, &summary, color).and_then(|_| out.flush());
    }
    json::diagnostics(&reports)
}
