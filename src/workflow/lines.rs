//! Where things are written in a workflow file, so that each problem
//! points at its line. The file is YAML laid out as in `workflows/`:
//! lists of `- key: …` items under `states:` and `actions:`.

/// Finds the lines things are written on, to point at them.
pub struct Source<'a> {
    lines: Vec<&'a str>,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str) -> Source<'a> {
        Source { lines: text.lines().collect() }
    }

    /// The first line at or after `from` (1-based) whose text, trimmed, starts with `prefix`.
    pub fn find(&self, prefix: &str, from: usize) -> Option<usize> {
        self.lines.iter().enumerate().skip(from.saturating_sub(1)).find_map(|(i, l)| {
            let t = l.trim_start().trim_start_matches("- ");
            t.starts_with(prefix).then_some(i + 1)
        })
    }

    pub fn section(&self, name: &str) -> usize {
        self.find(&format!("{name}:"), 1).unwrap_or(1)
    }

    /// The line of the item `key` in the list `section`.
    pub fn item(&self, section: &str, key: &str) -> usize {
        self.find(&format!("key: {key}"), self.section(section)).unwrap_or_else(|| self.section(section))
    }

    /// The line of the second item `key` in the list `section`.
    pub fn second(&self, section: &str, key: &str) -> usize {
        let first = self.item(section, key);
        self.find(&format!("key: {key}"), first + 1).unwrap_or(first)
    }

    /// The line of `field` inside the item `key` of `section`.
    pub fn field(&self, section: &str, key: &str, field: &str) -> usize {
        let start = self.item(section, key);
        self.find(&format!("{field}:"), start).filter(|l| self.within_item(start, *l)).unwrap_or(start)
    }

    pub fn within_item(&self, start: usize, line: usize) -> bool {
        !self.lines[start..line.saturating_sub(1)].iter().any(|l| l.trim_start().starts_with("- key:"))
    }
}
