//! Where objects are in a file's text: the lines documents and List items start at, and the
//! line of each object's name, found in one forward pass.

use std::ops::Range;

/// Finds objects' lines in one file in a single forward pass: each search starts where the
/// last one in the same document ended (so the items of a `kind: List` each find their own
/// line), or at the start of a new document. A file of thousands of objects costs one walk
/// over its text, not one per object.
///
/// A search that finds the name moves the cursor past what it read; one that does not
/// leaves it where it was, so the next search reads the same text again. Those searches
/// share a budget of a few times the file's length: past it, objects are placed at their
/// own start line unsearched, so no layout (one line of JSON, names written in a way the
/// search does not know) makes the file cost more than a few passes.
pub(super) struct LineCursor<'t> {
    text: &'t str,
    /// Bytes that searches which found nothing may still read.
    budget: usize,
    /// Byte offset of the start of line `line`.
    offset: usize,
    /// 1-based.
    line: usize,
    /// The document the cursor is in, once a search has run.
    document: Option<usize>,
}

impl<'t> LineCursor<'t> {
    pub(super) fn new(text: &'t str) -> LineCursor<'t> {
        LineCursor {
            text,
            budget: MISSED_SEARCH_PASSES * text.len(),
            offset: 0,
            line: 1,
            document: None,
        }
    }

    /// Moves to the start of 1-based `line` (back to the top first if it lies behind).
    fn seek(&mut self, line: usize) {
        if line < self.line {
            (self.offset, self.line) = (0, 1);
        }
        while self.line < line {
            match self.text[self.offset..].find('\n') {
                Some(end) => {
                    self.offset += end + 1;
                    self.line += 1;
                }
                None => break,
            }
        }
    }

    /// The line of an object of `document` (whose first line is `start`): the first line
    /// holding its `name: ...` (or JSON `"name": "..."`) at or after where the search stands,
    /// else (and for an object without a name) the document's start.
    ///
    /// The search ends where the object's lines do (`lines.end`: the next document or list
    /// item), so an object whose name is written otherwise is placed at its own start, not at
    /// a later object's line, and a file of such objects is still read in one pass.
    pub(super) fn object_line(
        &mut self,
        document: usize,
        lines: Range<usize>,
        name: Option<&str>,
    ) -> usize {
        let start = lines.start;
        if self.document != Some(document) || self.line < start {
            self.seek(start);
            self.document = Some(document);
        }
        let Some(name) = name else {
            return start;
        };
        let (mut offset, mut line) = (self.offset, self.line);
        for text in self.text[offset..].split('\n') {
            if line >= lines.end || offset - self.offset >= self.budget {
                break;
            }
            let next = (offset + text.len() + 1).min(self.text.len());
            if holds_name(text, name) {
                (self.offset, self.line) = (next, line + 1);
                return line;
            }
            (offset, line) = (next, line + 1);
        }
        self.budget = self.budget.saturating_sub(offset - self.offset);
        start
    }
}

/// How many times over its text a file's fruitless name searches may read it in all.
const MISSED_SEARCH_PASSES: usize = 4;

/// Whether a line holds `name: NAME` (also quoted) or JSON's `"name": "NAME"` (also without
/// the space, as `jq -c` writes it).
pub(super) fn holds_name(line: &str, name: &str) -> bool {
    line.match_indices("name").any(|(at, _)| {
        let after = &line[at + "name".len()..];
        if let Some(value) = after.strip_prefix(": ") {
            let unquoted = value.trim_start_matches(['"', '\'']);
            return unquoted.starts_with(name)
                && (value.len() - unquoted.len() < 2)
                && (value.len() == unquoted.len()
                    || unquoted[name.len()..].starts_with(&value[..1]));
        }
        line[..at].ends_with('"')
            && after
                .strip_prefix("\": \"")
                .or_else(|| after.strip_prefix("\":\""))
                .and_then(|value| value.strip_prefix(name))
                .is_some_and(|rest| rest.starts_with('"'))
    })
}

/// The 1-based first line of each item of the List document that starts at line `start`, as
/// far as the text shows them: block YAML (`- ` entries under a line `items:`, as `kubectl -o
/// yaml` writes them) or JSON (`{` lines under a line ending in `"items": [`, as `kubectl -o
/// json` writes them). The caller checks the count against the items read; any other layout
/// (flow style, one-line JSON) gives what it gives, usually nothing.
pub(super) fn item_starts(text: &str, start: usize) -> Vec<usize> {
    let separator = |line: &str| {
        let trimmed = line.trim_end();
        trimmed == "---" || trimmed.starts_with("--- ")
    };
    let mut lines = text
        .lines()
        .enumerate()
        .skip(start.saturating_sub(1))
        .map(|(i, line)| (i + 1, line));
    let mut json = None;
    for (_, line) in lines.by_ref() {
        let trimmed = line.trim();
        if separator(line) {
            break;
        } else if trimmed == "items:" {
            json = Some(false);
            break;
        } else if trimmed.ends_with("\"items\": [") || trimmed.ends_with("\"items\":[") {
            json = Some(true);
            break;
        }
    }
    let Some(json) = json else {
        return Vec::new();
    };
    let mut starts = Vec::new();
    let mut item_indent = None;
    for (number, line) in lines {
        let trimmed = line.trim_start();
        if separator(line) {
            break;
        }
        if trimmed.is_empty() || (!json && trimmed.starts_with('#')) {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let opens = if json {
            trimmed.starts_with('{')
        } else {
            trimmed == "-" || trimmed.starts_with("- ")
        };
        match item_indent {
            None if opens => {
                item_indent = Some(indent);
                starts.push(number);
            }
            Some(at) if indent == at && opens => starts.push(number),
            Some(at) if indent > at || (indent == at && json && trimmed.starts_with('}')) => {}
            _ => break,
        }
    }
    starts
}

/// The 1-based first line of each YAML document in `text`: line 1 when content comes before
/// any separator, then the line after each `---`.
pub(super) fn document_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut content_seen = false;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") {
            starts.push(i + 2);
            content_seen = true;
        } else if !content_seen && !trimmed.is_empty() && !trimmed.starts_with('#') {
            starts.push(1);
            content_seen = true;
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_starts_follow_the_separators() {
        assert_eq!(document_starts("a: 1\n---\nb: 2\n"), [1, 3]);
        assert_eq!(document_starts("# c\n---\na: 1\n---\nb: 2\n"), [3, 5]);
        assert_eq!(document_starts("---\na: 1\n"), [2]);
    }

    /// Searches that find nothing read the text a few times over in all, not once each.
    #[test]
    fn fruitless_searches_share_a_budget() {
        let text = format!("{}\n", "x".repeat(1000));
        let mut cursor = LineCursor::new(&text);
        for _ in 0..MISSED_SEARCH_PASSES {
            assert_eq!(cursor.object_line(0, 1..usize::MAX, Some("web")), 1);
        }
        assert_eq!(cursor.budget, 0);
        // Once it is spent, nothing more is read; a found name still moves the cursor.
        assert_eq!(cursor.object_line(0, 1..usize::MAX, Some("web")), 1);
        let mut cursor = LineCursor::new("a: 1\nname: web\n");
        assert_eq!(cursor.object_line(0, 1..usize::MAX, Some("web")), 2);
    }
}
