//! While an open file does not parse, the editor keeps showing what the analysis said when it
//! last did: its inlay hints and semantic diagnostics, moved through the edits made since and
//! dropped where an edit touched them. Typing a half-written expression then costs the user one
//! syntax error, not every type hint and error of the rest of the file.
//!
//! This is presentation memory, not analysis: the results are the analysis' own, computed on an
//! earlier text of the same buffer; only their byte offsets are carried forward.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use rocky_analysis::ide::InlayHint;
use rocky_analysis::{Analysis, Cancellable, Code, Diagnostic, TextRange};

/// The remembered results; a panic while holding them leaves at worst stale memory, so
/// poisoning is ignored.
pub fn lock(memory: &Mutex<LastGood>) -> MutexGuard<'_, LastGood> {
    memory.lock().unwrap_or_else(|e| e.into_inner())
}

/// An open document at one version (URI as the client spelled it).
pub type OpenVersion<'a> = Option<(&'a str, i32)>;

/// A file's diagnostics as the editor should show them: the analysis' own; while an open
/// document does not parse, plus the semantic diagnostics of its last version that did (moved).
pub fn file_diagnostics(
    analysis: &Analysis,
    rel: &str,
    doc: OpenVersion<'_>,
    memory: &Mutex<LastGood>,
) -> Cancellable<Vec<Diagnostic>> {
    let mut diagnostics = analysis.file_diagnostics(rel)?;
    let Some((uri, version)) = doc else { return Ok(diagnostics) };
    if has_syntax_error(&diagnostics) {
        let remembered = lock(memory).diagnostics_at(uri, version).unwrap_or_default();
        for d in remembered {
            if !diagnostics.contains(&d) {
                diagnostics.push(d);
            }
        }
    } else {
        let semantic = diagnostics.clone();
        lock(memory).remember(uri, version, |good| good.diagnostics = Some(semantic));
    }
    Ok(diagnostics)
}

/// A file's inlay hints in `range`: the analysis' own; while an open document does not parse,
/// those of its last version that did (moved).
pub fn inlay_hints(
    analysis: &Analysis,
    rel: &str,
    range: Option<TextRange>,
    doc: OpenVersion<'_>,
    memory: &Mutex<LastGood>,
) -> Cancellable<Vec<InlayHint>> {
    let Some((uri, version)) = doc else { return analysis.inlay_hints(rel, range) };
    let hints = if has_syntax_error(&analysis.file_diagnostics(rel)?) {
        lock(memory).hints_at(uri, version).unwrap_or_default()
    } else {
        let hints = analysis.inlay_hints(rel, None)?;
        let kept = hints.clone();
        lock(memory).remember(uri, version, |good| good.hints = Some(kept));
        hints
    };
    Ok(hints.into_iter().filter(|h| range.is_none_or(|r| r.start <= h.offset && h.offset <= r.end)).collect())
}

/// Edits remembered per document; a buffer edited more often than this since it last parsed
/// gets no remembered results (they would rarely still be where they were).
const MAX_EDITS: usize = 4096;

/// One text change in byte offsets of the text before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// `removed` bytes at `start` were replaced by `inserted` bytes.
    Splice { start: u32, removed: u32, inserted: u32 },
    /// The whole text was replaced: nothing maps across.
    Reset,
}

/// The results of the last version of a buffer that parsed, in that version's byte offsets.
#[derive(Clone, Debug, Default)]
pub struct Good {
    /// Inlay hints of the whole file.
    pub hints: Option<Vec<InlayHint>>,
    /// Diagnostics other than syntax errors.
    pub diagnostics: Option<Vec<Diagnostic>>,
}

#[derive(Default)]
struct FileMemory {
    /// `(document version after the edit, edit)`, oldest first.
    edits: Vec<(i32, Edit)>,
    /// The version the remembered results were computed on.
    version: i32,
    good: Good,
}

/// Per open document (by URI): its edits and the results of its last version that parsed.
#[derive(Default)]
pub struct LastGood {
    files: HashMap<String, FileMemory>,
}

/// Whether the analysis reported a syntax error in these diagnostics (then nothing else of the
/// file could be analysed).
pub fn has_syntax_error(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.code == Code::E001ParseError)
}

impl LastGood {
    /// Records the edits that made `version` of an open document.
    pub fn edited(&mut self, uri: &str, version: i32, edits: impl IntoIterator<Item = Edit>) {
        let memory = self.files.entry(uri.to_string()).or_default();
        memory.edits.extend(edits.into_iter().map(|e| (version, e)));
        if memory.edits.len() > MAX_EDITS {
            *memory = FileMemory::default();
        }
    }

    /// The document was closed.
    pub fn forget(&mut self, uri: &str) {
        self.files.remove(uri);
    }

    /// Remembers results of `version`, which parsed. An older version's results never replace
    /// a newer one's (requests finish out of order).
    pub fn remember(&mut self, uri: &str, version: i32, update: impl FnOnce(&mut Good)) {
        let memory = self.files.entry(uri.to_string()).or_default();
        if version < memory.version {
            return;
        }
        if version > memory.version {
            memory.good = Good::default();
            memory.version = version;
            memory.edits.retain(|(v, _)| *v > version);
        }
        update(&mut memory.good);
    }

    /// The remembered hints, moved to `version`'s offsets (those an edit touched are dropped).
    pub fn hints_at(&self, uri: &str, version: i32) -> Option<Vec<InlayHint>> {
        let (memory, edits) = self.since(uri, version)?;
        let hints = memory.good.hints.as_ref()?;
        Some(
            hints
                .iter()
                .filter_map(|h| Some(InlayHint { offset: map_offset(h.offset, &edits)?, ..h.clone() }))
                .collect(),
        )
    }

    /// The remembered semantic diagnostics, moved to `version`'s offsets (those an edit touched
    /// are dropped).
    pub fn diagnostics_at(&self, uri: &str, version: i32) -> Option<Vec<Diagnostic>> {
        let (memory, edits) = self.since(uri, version)?;
        let diagnostics = memory.good.diagnostics.as_ref()?;
        Some(
            diagnostics
                .iter()
                .filter_map(|d| {
                    let (start, end) = map_range(d.range.start, d.range.end, &edits)?;
                    let mut moved = d.clone();
                    moved.range.start = start;
                    moved.range.end = end;
                    Some(moved)
                })
                .collect(),
        )
    }

    /// The memory of `uri` and the edits from its remembered version up to `version`.
    fn since(&self, uri: &str, version: i32) -> Option<(&FileMemory, Vec<Edit>)> {
        let memory = self.files.get(uri)?;
        if memory.version > version {
            return None;
        }
        let edits =
            memory.edits.iter().filter(|(v, _)| *v > memory.version && *v <= version).map(|(_, e)| *e).collect();
        Some((memory, edits))
    }
}

/// Carries a position through the edits; `None` when an edit replaced the text around it. A
/// position right where text was inserted stays before the insertion (a hint belongs to what
/// precedes it).
fn map_offset(mut offset: u32, edits: &[Edit]) -> Option<u32> {
    for edit in edits {
        match *edit {
            Edit::Reset => return None,
            Edit::Splice { start, removed, inserted } => {
                if offset <= start {
                    continue;
                }
                if offset < start.saturating_add(removed) {
                    return None;
                }
                offset = offset - removed + inserted;
            }
        }
    }
    Some(offset)
}

/// Carries a range through the edits; `None` when any edit touched it (its message may no longer
/// hold).
fn map_range(mut start: u32, mut end: u32, edits: &[Edit]) -> Option<(u32, u32)> {
    for edit in edits {
        match *edit {
            Edit::Reset => return None,
            Edit::Splice { start: at, removed, inserted } => {
                let edit_end = at.saturating_add(removed);
                if edit_end < start {
                    start = start - removed + inserted;
                    end = end - removed + inserted;
                } else if at > end {
                    continue;
                } else {
                    return None;
                }
            }
        }
    }
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn splice(start: u32, removed: u32, inserted: u32) -> Edit {
        Edit::Splice { start, removed, inserted }
    }

    #[test]
    fn offsets_move_with_edits_before_them_and_vanish_inside_them() {
        let edits = [splice(10, 2, 5)];
        assert_eq!(map_offset(4, &edits), Some(4));
        assert_eq!(map_offset(10, &edits), Some(10), "at an edit's start: stays before it");
        assert_eq!(map_offset(11, &edits), None, "inside the replaced text");
        assert_eq!(map_offset(12, &edits), Some(15));
        assert_eq!(map_offset(20, &[splice(10, 2, 5), Edit::Reset]), None);
        // Insertions at the same place accumulate.
        assert_eq!(map_offset(30, &[splice(10, 0, 1), splice(11, 0, 1)]), Some(32));
    }

    #[test]
    fn ranges_an_edit_touches_are_dropped() {
        assert_eq!(map_range(20, 25, &[splice(10, 2, 5)]), Some((23, 28)));
        assert_eq!(map_range(20, 25, &[splice(30, 2, 5)]), Some((20, 25)));
        assert_eq!(map_range(20, 25, &[splice(22, 0, 1)]), None);
        assert_eq!(map_range(20, 25, &[splice(25, 0, 1)]), None, "typing at the end changes the range");
    }

    #[test]
    fn results_are_per_version_and_older_ones_never_win() {
        let mut memory = LastGood::default();
        let hint = |offset| InlayHint { offset, label: "INTEGER".into(), tooltip: None };
        memory.remember("u", 1, |g| g.hints = Some(vec![hint(20)]));
        memory.edited("u", 2, [splice(0, 0, 3)]);
        memory.edited("u", 3, [splice(25, 0, 1)]);
        assert_eq!(memory.hints_at("u", 3).map(|h| h[0].offset), Some(23));
        assert_eq!(memory.hints_at("u", 2).map(|h| h[0].offset), Some(23));
        // A late answer for version 0 is ignored; a newer one replaces the memory.
        memory.remember("u", 0, |g| g.hints = Some(vec![hint(1)]));
        assert_eq!(memory.hints_at("u", 3).map(|h| h[0].offset), Some(23));
        memory.remember("u", 2, |g| g.hints = Some(vec![hint(7)]));
        assert_eq!(memory.hints_at("u", 3).map(|h| h[0].offset), Some(7));
        assert!(memory.diagnostics_at("u", 3).is_none(), "diagnostics of version 2 were not remembered");
        memory.forget("u");
        assert!(memory.hints_at("u", 3).is_none());
    }
}
