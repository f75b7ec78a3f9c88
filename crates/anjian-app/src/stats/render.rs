//! A rendered report: its figures marked in the text, as Markdown, plain text, Word and JSON.

use super::*;

/// Replaces markers with the figures' plain values.
pub(super) fn strip_marks(s: &str, figs: &[Figure]) -> String {
    let mut out = String::new();
    for part in split_marks(s) {
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Fig(n) => out.push_str(figs.get(n).map(|f| f.display.as_str()).unwrap_or("")),
        }
    }
    out
}

pub(super) enum Part<'a> {
    Text(&'a str),
    Fig(usize),
}

pub(super) fn split_marks(s: &str) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(MARK_OPEN) {
        parts.push(Part::Text(&rest[..i]));
        let after = &rest[i + MARK_OPEN.len_utf8()..];
        match after.find(MARK_CLOSE) {
            Some(j) => {
                if let Ok(n) = after[..j].parse() {
                    parts.push(Part::Fig(n));
                }
                rest = &after[j + MARK_CLOSE.len_utf8()..];
            }
            None => {
                rest = after;
            }
        }
    }
    parts.push(Part::Text(rest));
    parts
}

impl Rendered {
    /// Markdown: every figure a link to its drill-down (`base` + path).
    pub fn markdown(&self, base: &str) -> String {
        let mut out = String::new();
        for part in split_marks(&self.text) {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Fig(n) => {
                    if let Some(f) = self.figures.get(n) {
                        out.push_str(&format!("[{}]({base}{})", f.display, f.link));
                    }
                }
            }
        }
        out
    }

    /// Plain text (no links), for display and tests.
    pub fn plain(&self) -> String {
        strip_marks(&self.text, &self.figures)
    }

    /// The text as blocks: `# ` title, `## `/`### ` headings, other lines paragraphs whose
    /// figures link to `base` + their drill-down path.
    pub fn blocks(&self, base: &str) -> Vec<crate::docx::Block> {
        use crate::docx::{Block, Span};
        let mut blocks = Vec::new();
        for line in self.text.lines() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            if let Some(t) = line.strip_prefix("# ") {
                blocks.push(Block::Title(strip_marks(t, &self.figures)));
            } else if let Some(t) = line
                .strip_prefix("## ")
                .or_else(|| line.strip_prefix("### "))
            {
                blocks.push(Block::Heading(strip_marks(t, &self.figures)));
            } else {
                let spans = split_marks(line)
                    .into_iter()
                    .filter_map(|p| match p {
                        Part::Text(t) if !t.is_empty() => Some(Span::Text(t.to_string())),
                        Part::Text(_) => None,
                        Part::Fig(n) => self.figures.get(n).map(|f| Span::Link {
                            text: f.display.clone(),
                            url: format!("{base}{}", f.link),
                        }),
                    })
                    .collect();
                blocks.push(Block::Para(spans));
            }
        }
        blocks
    }

    /// Word, figures hyperlinked to their drill-downs.
    pub fn docx(&self, base: &str) -> Result<Vec<u8>> {
        crate::docx::report(&self.blocks(base))
    }

    /// JSON: every metric with id, label, value and unit, and the figures the text states.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "title": self.title,
            "period": self.period.code,
            "period_name": self.period_name,
            "from": self.period.from.to_string(),
            "to": self.period.to.to_string(),
            "metrics": self.metrics,
            "figures": self.figures,
        })
    }
}
