//! Markdown building blocks shared by every markdown output: escaping and tables.

use std::fmt::Write;

/// Escapes characters that would turn plain text into markup or HTML.
pub fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' | '_' | '`' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}

/// Plain text for a table cell: escaped, and without the pipes and newlines that would end
/// the cell or the row.
pub fn cell(text: &str) -> String {
    escape_inline(text)
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// Text as inline code in a table cell.
pub fn code(text: &str) -> String {
    let text = text.replace('|', "\\|").replace(['\n', '\r'], " ");
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table_or_inject_html() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(cell("<script>"), "&lt;script&gt;");
        assert_eq!(cell("not_bold*"), "not\\_bold\\*");
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code("a`b"), "`` a`b ``");
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
