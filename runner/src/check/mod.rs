//! `rocky check`: load the project, ask the analysis for diagnostics and schemas, print them.

mod github;
mod json;
mod text;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use rocky_analysis::{Diagnostic, LineIndex, ModelSchema, Severity};

use crate::cli::{CheckArgs, ColorChoice, Format, GlobalArgs};
use crate::exit;

/// A diagnostic with its file's text, ready to print.
pub struct Located<'a> {
    pub diagnostic: &'a Diagnostic,
    /// The path as shown to the user (relative to the working directory when possible).
    pub shown_path: String,
    pub text: Option<&'a str>,
    pub index: Option<&'a LineIndex>,
}

/// A 1-based line and character column (what editors and GitHub count).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl Located<'_> {
    /// Start and end (exclusive) positions, 1-based, columns in characters.
    pub fn span(&self) -> (Position, Position) {
        let (Some(text), Some(index)) = (self.text, self.index) else {
            return (Position { line: 1, column: 1 }, Position { line: 1, column: 1 });
        };
        let pos = |offset: u32| {
            let lc = index.line_col(offset);
            let line_start = offset - lc.col;
            let chars = text.get(line_start as usize..offset as usize).map(|s| s.chars().count()).unwrap_or(0);
            Position { line: lc.line + 1, column: chars as u32 + 1 }
        };
        (pos(self.diagnostic.range.start), pos(self.diagnostic.range.end))
    }
}

/// Counts by severity.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub models: usize,
}

/// Runs `rocky check`; returns the exit code.
pub fn run(global: &GlobalArgs, args: &CheckArgs) -> u8 {
    let start = args.path.clone().or_else(|| global.project_dir.clone()).unwrap_or_else(|| PathBuf::from("."));
    let color = match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut project = match rocky_loader::load_project(&start) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}\n  = help: {}", e.hint());
            return exit::USAGE;
        }
    };
    let analysis = project.host.analysis();
    // A fresh host is never cancelled; treat cancellation as "nothing to report" rather than panic.
    let diagnostics = analysis.all_diagnostics().unwrap_or_default();
    let models = analysis.models().unwrap_or_default();
    let mut files: std::collections::BTreeMap<String, (String, LineIndex)> = std::collections::BTreeMap::new();
    for d in &diagnostics {
        if !files.contains_key(&d.file) {
            if let Some(text) = analysis.file_text(&d.file) {
                let index = LineIndex::new(&text);
                files.insert(d.file.clone(), (text, index));
            }
        }
    }
    let located: Vec<Located<'_>> = diagnostics
        .iter()
        .map(|d| {
            let file = files.get(&d.file);
            Located {
                diagnostic: d,
                shown_path: shown_path(&project.root, &d.file),
                text: file.map(|f| f.0.as_str()),
                index: file.map(|f| &f.1),
            }
        })
        .collect();
    let mut summary = Summary { models: models.len(), ..Summary::default() };
    for d in &diagnostics {
        match d.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Info => summary.infos += 1,
        }
    }
    summary.errors += project.problems.len();
    let problems: Vec<(String, &rocky_loader::LoadProblem)> =
        project.problems.iter().map(|p| (shown_path(&project.root, &p.path), p)).collect();

    let out = std::io::stdout();
    let mut out = out.lock();
    let written = match args.format {
        Format::Text => text::write(&mut out, &located, &problems, summary, color),
        Format::Json => {
            let schemas: Vec<(&rocky_analysis::ide::ModelInfo, &ModelSchema)> =
                models.iter().map(|m| (m, &m.schema)).collect();
            json::write(&mut out, &located, &problems, &schemas, summary)
        }
        Format::Github => github::write(&mut out, &located, &problems, summary),
    };
    if written.and_then(|_| out.flush()).is_err() {
        // stdout closed (e.g. piped into `head`): the exit code still tells the result.
    }
    if summary.errors > 0 {
        exit::ERRORS
    } else {
        exit::OK
    }
}

/// The path to show for a project file: relative to the working directory when under it.
fn shown_path(root: &Path, rel: &str) -> String {
    let full = root.join(rel);
    match std::env::current_dir().ok().and_then(|cwd| full.strip_prefix(&cwd).ok().map(Path::to_path_buf)) {
        Some(p) => p.to_string_lossy().into_owned(),
        None => full.to_string_lossy().into_owned(),
    }
}
