//! A scan in tables: the summary, warnings, findings, the evidence for the checklist and what
//! was skipped.

use std::fmt::Write;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};

use crate::report::table::cells::plain;
use crate::report::width::{DEFAULT_WIDTH, keep_words_whole, wrap_prose};
use crate::report::wording::{scan_summary, skipped_not_listed};
use crate::scan::model::ScanReport;
use crate::scan::rules::Level;

fn new_table(width: Option<u16>, color: bool) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width.unwrap_or(DEFAULT_WIDTH));
    if color {
        t.enforce_styling();
    }
    t
}

/// A table's headings, bold when there is colour (as in `assess`).
fn headings(names: &[&str], color: bool) -> Vec<Cell> {
    names
        .iter()
        .map(|n| {
            let cell = plain(n);
            if color {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        })
        .collect()
}

pub fn scan(report: &ScanReport, width: Option<u16>, color: bool) -> String {
    let mut out = String::new();
    let width = width.unwrap_or(DEFAULT_WIDTH);
    let _ = writeln!(out, "{}\n", wrap_prose(&scan_summary(report), width));
    for w in &report.warnings {
        let _ = writeln!(out, "Warning: {}\n", wrap_prose(&w.message, width));
    }
    let width = Some(width);
    if !report.findings.is_empty() {
        let mut t = new_table(width, color);
        t.set_header(headings(
            &["Rule", "Object and where", "Finding and fix"],
            color,
        ));
        for f in &report.findings {
            let rule = plain(f.rule.id());
            let rule = match f.rule.info().level {
                Level::Error if color => rule.fg(Color::Red),
                Level::Warning if color => rule.fg(Color::Yellow),
                _ => rule,
            };
            t.add_row(vec![
                rule,
                plain(format!("{}\n{}", f.object, f.place())),
                plain(format!("{}. Fix: {}", f.message, f.fix)),
            ]);
        }
        keep_words_whole(&mut t);
        let _ = writeln!(out, "{t}\n");
    }
    let mut e = new_table(width, color);
    e.set_header(headings(&["Question", "Evidence", "Because"], color));
    for (question, answer) in report.evidence.answers() {
        e.add_row(vec![
            plain(question),
            plain(&answer.answer),
            plain(&answer.detail),
        ]);
    }
    if e.row_count() > 0 {
        keep_words_whole(&mut e);
        let _ = writeln!(out, "{e}\n");
    }
    if !report.skipped.is_empty() {
        let mut s = new_table(width, color);
        s.set_header(headings(&["Skipped", "Doc", "Why"], color));
        for skipped in &report.skipped {
            let doc = skipped.document.map_or("-".to_string(), |d| d.to_string());
            s.add_row(vec![
                plain(&skipped.path),
                plain(doc).set_alignment(CellAlignment::Right),
                plain(&skipped.reason),
            ]);
        }
        if let Some(more) = skipped_not_listed(report) {
            s.add_row(vec![plain("…"), plain(""), plain(more)]);
        }
        keep_words_whole(&mut s);
        let _ = writeln!(out, "{s}\n");
    }
    out
}
