//! A scan in tables: the summary, warnings, findings, the evidence for the checklist and what
//! was skipped.

use std::fmt::Write;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};

use crate::report::table::cells::plain;
use crate::report::width::{DEFAULT_WIDTH, keep_words_whole, wrap_prose};
use crate::report::wording::{scan_summary, skipped_not_listed};
use crate::scan::model::ScanReport;

fn new_table(width: Option<u16>) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width.unwrap_or(DEFAULT_WIDTH));
    t
}

pub fn scan(report: &ScanReport, width: Option<u16>) -> String {
    let mut out = String::new();
    let width = width.unwrap_or(DEFAULT_WIDTH);
    let _ = writeln!(out, "{}\n", wrap_prose(&scan_summary(report), width));
    for w in &report.warnings {
        let _ = writeln!(out, "Warning: {}\n", wrap_prose(&w.message, width));
    }
    let width = Some(width);
    if !report.findings.is_empty() {
        let mut t = new_table(width);
        t.set_header(vec!["Rule", "Object and where", "Finding and fix"]);
        for f in &report.findings {
            t.add_row(vec![
                plain(f.rule.id()),
                plain(format!("{}\n{}", f.object, f.place())),
                plain(format!("{}. Fix: {}", f.message, f.fix)),
            ]);
        }
        keep_words_whole(&mut t);
        let _ = writeln!(out, "{t}\n");
    }
    let mut e = new_table(width);
    e.set_header(vec!["Question", "Evidence", "Because"]);
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
        let mut s = new_table(width);
        s.set_header(vec!["Skipped", "Doc", "Why"]);
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
