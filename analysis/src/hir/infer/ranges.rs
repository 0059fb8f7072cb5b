//! Exact source ranges of expressions. sqlparser's spans for some nodes cover only a part
//! (`CAST(x AS INT)` → `x`, `f(a)` → `f(a`, `x IS NULL` → `x`), so the walker widens them with the
//! surrounding syntax it can see in the text.

use sqlparser::ast::{CastKind, Expr, Spanned};

use super::walker::Infer;
use crate::diagnostics::TextRange;

impl Infer<'_> {
    /// The byte range of an expression as the user wrote it.
    #[recursive::recursive]
    pub fn expr_range(&self, e: &Expr) -> TextRange {
        let s = self.spans;
        let base = s.range_of(e);
        let mut r = self.children_cover(e, base);
        match e {
            Expr::Function(f) => {
                let start = s.range_of(&f.name).map(|n| n.start).unwrap_or(r.start);
                r = TextRange::new(start, r.end.max(start));
                let name_end = s.range_of(&f.name).map(|n| n.end).unwrap_or(r.start);
                let open = s.skip_ws(name_end);
                if s.char_at(open) == Some('(') {
                    if let Some(end) = s.match_bracket(open) {
                        r.end = r.end.max(end);
                    }
                }
                // FILTER (…) and OVER (…) / OVER name follow the call.
                loop {
                    let next = s.skip_ws(r.end);
                    match s.word_after(next) {
                        Some((wend, w)) if w.eq_ignore_ascii_case("filter") || w.eq_ignore_ascii_case("over") => {
                            let after = s.skip_ws(wend);
                            if s.char_at(after) == Some('(') {
                                match s.match_bracket(after) {
                                    Some(end) => r.end = end,
                                    None => break,
                                }
                            } else if let Some((nend, _)) = s.word_after(after) {
                                r.end = nend;
                            } else {
                                break;
                            }
                        }
                        _ => break,
                    }
                }
            }
            Expr::Cast { kind: CastKind::DoubleColon, .. } => {
                let mut at = s.skip_ws(r.end);
                if s.char_at(at) == Some(':') && s.char_at(at + 1) == Some(':') {
                    at = s.skip_ws(at + 2);
                    r.end = self.type_end(at);
                }
            }
            Expr::Cast { .. }
            | Expr::Extract { .. }
            | Expr::Exists { .. }
            | Expr::Subquery(_)
            | Expr::Substring { .. }
            | Expr::Trim { .. }
            | Expr::Position { .. }
            | Expr::Ceil { .. }
            | Expr::Floor { .. } => {
                r = self.call_syntax(r);
            }
            Expr::Nested(_) | Expr::Tuple(_) => r = self.enclose(r, '('),
            Expr::Array(_) => r = self.enclose(r, '['),
            // `x[i]` / `x[a:b]`: up to the closing bracket of the last subscript.
            Expr::CompoundFieldAccess { access_chain, .. }
                if matches!(access_chain.last(), Some(sqlparser::ast::AccessExpr::Subscript(_))) =>
            {
                let close = s.skip_ws(r.end);
                if s.char_at(close) == Some(']') {
                    r.end = close + 1;
                }
            }
            Expr::Dictionary(_) => r = self.enclose(r, '{'),
            Expr::IsNull(_)
            | Expr::IsNotNull(_)
            | Expr::IsTrue(_)
            | Expr::IsNotTrue(_)
            | Expr::IsFalse(_)
            | Expr::IsNotFalse(_)
            | Expr::IsUnknown(_)
            | Expr::IsNotUnknown(_) => {
                let mut at = r.end;
                for _ in 0..3 {
                    let next = s.skip_ws(at);
                    match s.word_after(next) {
                        Some((wend, w))
                            if ["is", "not", "null", "true", "false", "unknown", "isnull", "notnull"]
                                .iter()
                                .any(|k| w.eq_ignore_ascii_case(k)) =>
                        {
                            at = wend
                        }
                        _ => break,
                    }
                }
                r.end = at;
            }
            Expr::UnaryOp { .. } => {
                let before = s.skip_ws_back(r.start);
                match s.word_before(before) {
                    Some((ws, w)) if w.eq_ignore_ascii_case("not") => r.start = ws,
                    _ => {
                        if before > 0 && matches!(s.char_at(before - 1), Some('-' | '+' | '~' | '!')) {
                            r.start = before - 1;
                        }
                    }
                }
            }
            Expr::In { .. } => {
                let next = s.skip_ws(r.end);
                if s.char_at(next) == Some(')') {
                    r.end = next + 1;
                }
            }
            Expr::TypedString(_) => {
                let before = s.skip_ws_back(r.start);
                if let Some((ws, _)) = s.word_before(before) {
                    r.start = ws;
                }
            }
            Expr::Interval(_) => {
                let before = s.skip_ws_back(r.start);
                if let Some((ws, w)) = s.word_before(before) {
                    if w.eq_ignore_ascii_case("interval") {
                        r.start = ws;
                    }
                }
                let next = s.skip_ws(r.end);
                if let Some((wend, w)) = s.word_after(next) {
                    let unit = w.to_ascii_lowercase();
                    let units = [
                        "year",
                        "month",
                        "day",
                        "hour",
                        "minute",
                        "second",
                        "week",
                        "quarter",
                        "decade",
                        "century",
                        "millisecond",
                        "microsecond",
                        "millennium",
                    ];
                    if units.iter().any(|u| unit == *u || unit == format!("{u}s")) {
                        r.end = wend;
                    }
                }
            }
            _ => {}
        }
        r
    }

    /// Union of a node's own span and its children's ranges.
    #[recursive::recursive]
    fn children_cover(&self, e: &Expr, base: Option<TextRange>) -> TextRange {
        let kids: Vec<&Expr> = match e {
            Expr::BinaryOp { left, right, .. } => vec![left, right],
            Expr::Cast { expr, .. }
            | Expr::IsNull(expr)
            | Expr::IsNotNull(expr)
            | Expr::IsTrue(expr)
            | Expr::IsNotTrue(expr)
            | Expr::IsFalse(expr)
            | Expr::IsNotFalse(expr)
            | Expr::IsUnknown(expr)
            | Expr::IsNotUnknown(expr)
            | Expr::UnaryOp { expr, .. }
            | Expr::Nested(expr)
            | Expr::Extract { expr, .. }
            | Expr::Substring { expr, .. }
            | Expr::Trim { expr, .. }
            | Expr::Ceil { expr, .. }
            | Expr::Floor { expr, .. } => vec![expr],
            Expr::Position { expr, r#in } => vec![expr, r#in],
            Expr::Between { expr, low, high, .. } => vec![expr, low, high],
            Expr::Like { expr, pattern, .. } | Expr::ILike { expr, pattern, .. } => {
                vec![expr, pattern]
            }
            Expr::In { expr, target: sqlparser::ast::InTarget::List(list), .. } => {
                std::iter::once(&**expr).chain(list.iter()).collect()
            }
            Expr::In { expr, .. } | Expr::AnyOp { left: expr, .. } | Expr::AllOp { left: expr, .. } => vec![expr],
            Expr::Tuple(items) => items.iter().collect(),
            Expr::Array(a) => a.elem.iter().collect(),
            Expr::Dictionary(fields) => fields.iter().map(|f| &*f.value).collect(),
            _ => Vec::new(),
        };
        let mut r = base;
        for k in kids {
            let kr = self.expr_range(k);
            if kr.is_empty() && kr.start == 0 {
                continue;
            }
            r = Some(match r {
                Some(r) => r.cover(kr),
                None => kr,
            });
        }
        r.unwrap_or_else(|| self.spans.range(e.span()).unwrap_or_default())
    }

    /// `KEYWORD( … )` around an inner range: widen to the keyword and the matching parenthesis.
    fn call_syntax(&self, r: TextRange) -> TextRange {
        let s = self.spans;
        let mut open = s.skip_ws_back(r.start);
        if open == 0 || s.char_at(open - 1) != Some('(') {
            // `(SELECT …)` spans may already start at the parenthesis.
            if s.char_at(r.start) == Some('(') {
                return TextRange::new(r.start, s.match_bracket(r.start).unwrap_or(r.end));
            }
            return r;
        }
        open -= 1;
        let mut start = open;
        let before = s.skip_ws_back(open);
        if let Some((ws, w)) = s.word_before(before) {
            if [
                "cast",
                "try_cast",
                "extract",
                "exists",
                "substring",
                "substr",
                "trim",
                "position",
                "ceil",
                "floor",
                "ceiling",
            ]
            .iter()
            .any(|k| w.eq_ignore_ascii_case(k))
            {
                start = ws;
                let b2 = s.skip_ws_back(ws);
                if let Some((ws2, w2)) = s.word_before(b2) {
                    if w2.eq_ignore_ascii_case("not") && w.eq_ignore_ascii_case("exists") {
                        start = ws2;
                    }
                }
            }
        }
        TextRange::new(start, s.match_bracket(open).unwrap_or(r.end))
    }

    /// Widens to an immediately surrounding bracket pair starting with `open`.
    pub(super) fn enclose(&self, r: TextRange, open: char) -> TextRange {
        let s = self.spans;
        if s.char_at(r.start) == Some(open) {
            return TextRange::new(r.start, s.match_bracket(r.start).unwrap_or(r.end));
        }
        let before = s.skip_ws_back(r.start);
        if before > 0 && s.char_at(before - 1) == Some(open) {
            if let Some(end) = s.match_bracket(before - 1) {
                return TextRange::new(before - 1, end.max(r.end));
            }
        }
        r
    }

    /// End of a type name written after `::` (`INT`, `DECIMAL(10, 2)`, `VARCHAR[]`, `STRUCT(a INT)`).
    fn type_end(&self, start: u32) -> u32 {
        let s = self.spans;
        let mut at = start;
        while let Some((wend, _)) = s.word_after(at) {
            at = wend;
            while let Some('(' | '[') = s.char_at(at) {
                match s.match_bracket(at) {
                    Some(end) => at = end,
                    None => return at,
                }
            }
            // Multi-word types: `TIMESTAMP WITH TIME ZONE`, `DOUBLE PRECISION`.
            let next = s.skip_ws(at);
            match s.word_after(next) {
                Some((_, w))
                    if ["with", "time", "zone", "precision", "varying"].iter().any(|k| w.eq_ignore_ascii_case(k)) =>
                {
                    at = next;
                }
                _ => break,
            }
        }
        at
    }
}
