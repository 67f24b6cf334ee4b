//! Where a `calendar:` block and its keys and list items sit in the file, and the helpers its
//! readers share (unknown keys, dates), so that every problem names its line.

use serde_yaml::Value;

use super::read::{describe, shorten, suggest};
use crate::base::date::Date;
use crate::base::diagnostic::code::Code;
use crate::base::diagnostic::{Diagnostic, KeyLines};

/// The byte offset where each line of `source` starts (line 1 at index 0), built once per
/// file so that finding a calendar block's lines costs the block's length, not the file's.
pub fn line_starts(source: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(source.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i < source.len())
        .collect()
}

/// Where a `calendar:` block sits in its file, so that each problem finds its line.
pub struct BlockPlace<'a> {
    source: &'a str,
    starts: &'a [usize],
    keys: &'a KeyLines<'a>,
    /// The line of the `calendar:` key (1-based), when found.
    line: Option<usize>,
    /// What messages put before the key (`environments[0] (prod): `), or nothing.
    prefix: String,
    end: std::cell::OnceCell<usize>,
}

impl<'a> BlockPlace<'a> {
    /// `starts` are [`line_starts`] of `source`; `line` is the line of the `calendar:` key.
    pub fn new(
        source: &'a str,
        starts: &'a [usize],
        keys: &'a KeyLines<'a>,
        line: Option<usize>,
        prefix: String,
    ) -> Self {
        BlockPlace {
            source,
            starts,
            keys,
            line,
            prefix,
            end: std::cell::OnceCell::new(),
        }
    }

    /// Line `n` (1-based) without its line break.
    fn text(&self, n: usize) -> Option<&'a str> {
        let start = *self.starts.get(n.checked_sub(1)?)?;
        let end = self.starts.get(n).copied().unwrap_or(self.source.len());
        let text = self.source.get(start..end)?;
        Some(text.trim_end_matches('\n').trim_end_matches('\r'))
    }

    /// The last line of the block: the lines after `calendar:` indented deeper than it.
    pub fn end(&self) -> usize {
        *self.end.get_or_init(|| {
            let Some(line) = self.line else { return 0 };
            let indent = |text: &str| text.len() - text.trim_start().len();
            // The column of the `calendar` key, after any `- ` of a list item.
            let column = |text: &str| {
                let trimmed = text.trim_start();
                indent(text) + trimmed.len() - trimmed.trim_start_matches("- ").len()
            };
            let Some(own) = self.text(line).map(column) else {
                return line;
            };
            let mut end = line;
            let mut n = line + 1;
            while let Some(text) = self.text(n) {
                let trimmed = text.trim();
                if !trimmed.is_empty() && !trimmed.starts_with('#') {
                    if indent(text) <= own {
                        break;
                    }
                    end = n;
                }
                n += 1;
            }
            end
        })
    }

    /// The line of `key` at or after line `after` (1-based) within the block, else `fallback`.
    pub fn key_line(
        &self,
        key: &str,
        after: Option<usize>,
        fallback: Option<usize>,
    ) -> Option<usize> {
        let Some(after) = after else { return fallback };
        self.keys
            .find(key, after.saturating_sub(1))
            .filter(|l| *l <= self.end())
            .or(fallback)
    }

    /// The lines of the items of a block-style list whose key is on `line`; empty for a flow
    /// list (`[...]`), whose items are all on the key's line.
    pub fn item_lines(&self, line: Option<usize>) -> Vec<usize> {
        let Some(line) = line else { return Vec::new() };
        let mut items = Vec::new();
        let mut item_indent = None;
        for n in line + 1..=self.end() {
            let Some(text) = self.text(n) else { break };
            let trimmed = text.trim_start();
            let indent = text.len() - trimmed.len();
            if (trimmed.starts_with("- ") || trimmed == "-")
                && item_indent.is_none_or(|i| i == indent)
            {
                item_indent = Some(indent);
                items.push(n);
            }
        }
        items
    }

    /// The line of the `calendar:` key.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}`calendar{path}`", self.prefix)
    }
}

/// A key a mapping of the calendar does not take, with the closest one it does.
pub fn unknown_key(
    key: &str,
    known: &[&str],
    at: String,
    line: Option<usize>,
    takes: &str,
) -> Diagnostic {
    let fix = match suggest(key, known.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? {takes}"),
        None => takes.to_string(),
    };
    Diagnostic::new(format!("unknown key `{}`", shorten(key)))
        .at(at)
        .line(line)
        .fix(fix)
        .code(Code::AnswersUnknownKey)
}

/// A date written as `YYYY-MM-DD` (quoted or not), or why it is not one.
pub fn date_value(value: &Value) -> Result<Date, String> {
    let Value::String(text) = value else {
        return Err(format!("expected a date, found {}", describe(value)));
    };
    text.parse::<Date>().map_err(|error| {
        // The parser's message quotes the text whole: only short, printable text is shown so.
        if text.chars().count() <= 40 && !text.chars().any(char::is_control) {
            error
        } else {
            format!("\"{}\" is not a date", shorten(text))
        }
    })
}
