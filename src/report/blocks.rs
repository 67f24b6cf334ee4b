//! Markdown building blocks shared by every markdown output (the report, the runbook, the
//! decision record, the scan): escaping, tables, the header, the footer.

use std::fmt::Write;

use crate::answers::values::Override;
use crate::base::date::Date;
use crate::base::text::is_bidi_control;
use crate::plan::ChecklistInfo;
use crate::scoring::feasibility::Blocker;

/// Text from data (answers, checklists, manifests) as one line of plain markdown text: read
/// by GitHub-flavoured markdown, it shows exactly the text and nothing else.
///
/// Line breaks and other control characters become spaces (a value can never start a line of
/// its own, so it cannot forge a heading); surrounding spaces go. Every character that could
/// open markup anywhere in a line is backslash-escaped (emphasis, code, links, images, tasks,
/// strikethrough, math, tables, entities, raw HTML and autolinks), and so is a first character
/// that could open a block (heading, quote, list, setext underline, ordered-list number).
pub fn escape_inline(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, line_start: bool) -> String {
    let line = one_line(text);
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    // Where a line starts, `-` or `+` then a space (or nothing) opens a list item, `---` a
    // thematic break, and digits then `.` or `)` and a space an ordered list item.
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    let ends_marker = |i: usize| chars.get(i + 1).is_none_or(|c| *c == ' ');
    for (i, &ch) in chars.iter().enumerate() {
        let block_marker = line_start
            && match ch {
                '-' | '+' => i == 0 && (ends_marker(i) || chars.get(1) == Some(&ch)),
                '.' | ')' => i == digits && (1..=9).contains(&digits) && ends_marker(i),
                _ => false,
            };
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '|' | '$' | '&' | '#' => {
                out.push('\\');
                out.push(ch);
            }
            _ if block_marker => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}

/// Text on one line: control characters (line breaks, tabs, escapes) as spaces, outer spaces
/// trimmed, and bidirectional overrides shown as visible escapes (`\u{202e}`), so that no
/// text reads in another order than it is written.
pub fn one_line(text: &str) -> String {
    let mut spaced = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if c.is_control() => spaced.push(' '),
            c if is_bidi_control(c) => spaced.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => spaced.push(c),
        }
    }
    spaced.trim_matches(' ').to_string()
}

/// Plain text for a table cell: escaped, on one line, pipes escaped so they cannot end the cell.
pub fn cell(text: &str) -> String {
    // A cell holds inline content only: no block can start in it.
    escape(text, false)
}

/// Text as inline code in a table cell: on one line, with a fence of backticks longer than
/// any run of backticks inside, and pipes escaped for the table.
pub fn code(text: &str) -> String {
    inline_code(&one_line(text).replace('|', "\\|"))
}

/// Text as inline code in running text (not in a table): on one line, with a fence of
/// backticks longer than any run of backticks inside.
pub fn inline_code(text: &str) -> String {
    let text = one_line(text);
    if text.is_empty() {
        return text;
    }
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// Writes a table followed by a blank line. Rows are markdown fragments, already made safe
/// for a cell (with [`cell`] or [`code`]).
pub fn table(
    out: &mut String,
    columns: &[(&str, Align)],
    rows: impl IntoIterator<Item = Vec<String>>,
) {
    let header: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
    let rule: Vec<&str> = columns
        .iter()
        .map(|(_, align)| {
            if *align == Align::Right {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    let _ = writeln!(out, "| {} |\n|{}|", header.join(" | "), rule.join("|"));
    for row in rows {
        debug_assert_eq!(row.len(), columns.len(), "a row has one cell per column");
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
}

/// A blocker as a task box.
pub fn blocker_item(b: &Blocker) -> String {
    format!(
        "- [ ] **{}** ({}: {}). {}",
        escape_inline(&b.title),
        inline_code(&b.question),
        escape_inline(&b.answer),
        escape_inline(&b.action)
    )
}

/// The title (with the organization, when the context names one) and the facts table.
pub fn header(
    out: &mut String,
    title: &str,
    context: &[(String, String)],
    checklist: &ChecklistInfo,
    extra: &[(&str, String)],
    today: Date,
) {
    let subject = context
        .iter()
        .find(|(k, _)| k == crate::answers::values::CONTEXT_SUBJECT)
        .map(|(_, v)| format!(": {v}"))
        .unwrap_or_default();
    let _ = writeln!(out, "# {title}{}\n", escape_inline(&subject));
    // A list of facts, not a table: a table needs a header row, and this one has none.
    for (key, value) in context {
        let _ = writeln!(out, "- **{}:** {}", cell(&title_case(key)), cell(value));
    }
    let _ = writeln!(
        out,
        "- **Checklist:** {} ({} {}, {})",
        cell(&checklist.title),
        code(&checklist.id),
        cell(&checklist.version),
        checklist_origin(checklist)
    );
    for (key, value) in extra {
        let _ = writeln!(out, "- **{}:** {}", cell(key), cell(value));
    }
    let _ = writeln!(out, "- **Date:** {}\n", today);
}

/// Where the checklist came from, in markdown: `built-in, SHA-256 `…`` or `custom, file
/// `./mine.yaml`, SHA-256 `…``.
pub fn checklist_origin(checklist: &ChecklistInfo) -> String {
    match &checklist.path {
        Some(path) => format!(
            "custom, file {}, SHA-256 `{}`",
            inline_code(path),
            checklist.sha256
        ),
        None => format!("built-in, SHA-256 `{}`", checklist.sha256),
    }
}

/// The decision record: what the report can be traced back to. `effective` is the hash of
/// the effective answers; `overrides` are the answers `--set` replaced.
pub fn footer(
    out: &mut String,
    checklist: &ChecklistInfo,
    sha256: &str,
    effective: Option<&str>,
    overrides: &str,
    today: Date,
) {
    let _ = writeln!(out, "---\n");
    let effective = effective.map_or(String::new(), |e| {
        format!(", effective answers SHA-256 `{e}`")
    });
    let _ = writeln!(
        out,
        "*Decision record: checklist {} version {} ({}), answers SHA-256 `{sha256}`{effective}, upgrade-advisor {}, {}.*",
        inline_code(&checklist.id),
        escape_inline(&checklist.version),
        checklist_origin(checklist),
        env!("CARGO_PKG_VERSION"),
        today
    );
    if !overrides.is_empty() {
        let _ = writeln!(out, "\n*Answers overridden with `--set`: {overrides}.*");
    }
}

/// `--set` overrides in words: `id` = value, with what the file said when `with_file`.
pub fn overrides_text(overrides: &[Override], with_file: bool) -> String {
    overrides
        .iter()
        .map(|o| {
            let set = format!(
                "{} = {}",
                inline_code(&o.question),
                escape_inline(&o.value.to_string())
            );
            if !with_file {
                return set;
            }
            let file = o
                .file_value
                .as_ref()
                .map_or("not answered".to_string(), ToString::to_string);
            format!("{set} (the file: {})", escape_inline(&file))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn title_case(key: &str) -> String {
    let spaced = key.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table_or_inject_html() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(cell("<script>"), "&lt;script&gt;");
        assert_eq!(cell("not_bold*"), "not\\_bold\\*");
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a``"), "``` `a`` ```");
    }

    #[test]
    fn strikethrough_entities_and_block_starts_stay_text() {
        assert_eq!(
            escape_inline("~~gone~~ &copy;"),
            "\\~\\~gone\\~\\~ \\&copy;"
        );
        assert_eq!(
            escape_inline("Acme\n## Recommendation"),
            "Acme \\#\\# Recommendation"
        );
        assert_eq!(escape_inline("- item"), "\\- item");
        assert_eq!(escape_inline("12. May"), "12\\. May");
        assert_eq!(escape_inline("1.30"), "1.30");
        assert_eq!(escape_inline("-x and ---"), "-x and ---");
        assert_eq!(escape_inline("--- x"), "\\--- x");
        assert_eq!(cell("- 1. x"), "- 1. x");
        assert_eq!(escape_inline("  $x$ "), "\\$x\\$");
    }

    #[test]
    fn tables_have_a_rule_with_alignment() {
        let mut out = String::new();
        table(
            &mut out,
            &[("A", Align::Left), ("N", Align::Right)],
            [vec!["x".into(), "1".into()]],
        );
        assert_eq!(out, "| A | N |\n|---|---:|\n| x | 1 |\n\n");
    }
}
