//! Table building blocks: a table at the options' width and colour, headings, painted
//! cells, and a table pushed to the output with its words kept whole.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table};

use crate::base::text::terminal_safe;
use crate::report::render::RenderOptions;

pub fn table(options: &RenderOptions) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    // Always an explicit width (the terminal's when the options leave it open), whether or
    // not there is colour.
    table.set_width(options.width.unwrap_or(crate::report::width::DEFAULT_WIDTH));
    if options.color {
        table.enforce_styling();
    }
    table
}

/// A cell of text from anywhere (names from manifests, checklist texts): every table cell is
/// made here, so that no control sequence reaches the terminal.
pub fn plain(content: impl ToString) -> Cell {
    Cell::new(terminal_safe(&content.to_string()))
}

pub fn heading(content: &str, options: &RenderOptions) -> Cell {
    let cell = plain(content);
    if options.color {
        cell.add_attribute(Attribute::Bold)
    } else {
        cell
    }
}

pub fn paint(cell: Cell, color: Color, options: &RenderOptions) -> Cell {
    if options.color { cell.fg(color) } else { cell }
}

pub fn push(out: &mut String, table: &Table) {
    let mut table = table.clone();
    crate::report::width::keep_words_whole(&mut table);
    out.push_str(&table.to_string());
    out.push_str("\n\n");
}
