use super::Code;

/// A half-open byte range `[start, end)` into one file's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, PartialOrd, Ord, serde::Serialize)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: u32, end: u32) -> Self {
        TextRange { start, end: end.max(start) }
    }
    pub fn empty(at: u32) -> Self {
        TextRange { start: at, end: at }
    }
    pub fn len(self) -> u32 {
        self.end - self.start
    }
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
    pub fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset <= self.end
    }
    /// The smallest range covering both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A machine-applicable edit that fixes a diagnostic (did-you-mean, add GROUP BY column, …).
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Fix {
    /// What the editor shows, e.g. "Replace with `customer_id`".
    pub label: String,
    pub range: TextRange,
    pub replacement: String,
}

/// Another place that explains a diagnostic (the other model of a duplicate, the cycle's members).
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Related {
    pub file: String,
    pub range: TextRange,
    pub message: String,
}

/// One finding. `file` is the project-relative path with `/` separators; `range` is in bytes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Diagnostic {
    pub file: String,
    pub range: TextRange,
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// What to do about it, when the message alone does not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<Fix>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, file: impl Into<String>, range: TextRange, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            range,
            severity: code.severity(),
            code,
            message: message.into(),
            hint: None,
            fixes: Vec::new(),
            related: Vec::new(),
        }
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }
    /// Did-you-mean: the best suggestion as the hint and one replace fix per suggestion over the
    /// diagnostic's range; `otherwise` is the hint when there is no suggestion.
    pub fn suggest(&mut self, suggestions: &[String], otherwise: &str) {
        match suggestions.first() {
            Some(best) => {
                self.hint = Some(format!("did you mean `{best}`?"));
                let range = self.range;
                self.fixes = suggestions
                    .iter()
                    .map(|s| Fix { label: format!("Replace with `{s}`"), range, replacement: s.clone() })
                    .collect();
            }
            None => self.hint = Some(otherwise.to_string()),
        }
    }

    pub fn with_related(mut self, related: Related) -> Self {
        self.related.push(related);
        self
    }
}
