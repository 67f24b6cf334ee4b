//! A scan as a markdown document for a pull request or wiki.

use std::fmt::Write;

use crate::report::blocks::Align::{Left as L, Right as R};
use crate::report::blocks::{cell, code, escape_inline, table};
use crate::report::wording::{scan_summary, skipped_not_listed};
use crate::scan::model::ScanReport;

pub fn scan(report: &ScanReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Manifest scan for Kubernetes {}\n\n{}\n",
        report.target,
        escape_inline(&scan_summary(report))
    );
    for w in &report.warnings {
        let _ = writeln!(out, "> **Warning:** {}\n", escape_inline(&w.message));
    }
    if !report.findings.is_empty() {
        let _ = writeln!(out, "## Findings\n");
        table(
            &mut out,
            &[
                ("Rule", L),
                ("Object", L),
                ("Where", L),
                ("Finding", L),
                ("Fix", L),
            ],
            report.findings.iter().map(|f| {
                vec![
                    code(f.rule.id()),
                    cell(&f.object.to_string()),
                    code(&f.place()),
                    cell(&f.message),
                    cell(&f.fix),
                ]
            }),
        );
    }
    let rows = report.evidence.answers();
    if !rows.is_empty() {
        let _ = writeln!(out, "## Evidence for the checklist\n");
        table(
            &mut out,
            &[("Question", L), ("Evidence", L), ("Because", L)],
            rows.into_iter()
                .map(|(q, a)| vec![code(q), cell(&a.answer), cell(&a.detail)]),
        );
    }
    if !report.skipped.is_empty() {
        let _ = writeln!(out, "## Skipped\n");
        table(
            &mut out,
            &[("Path", L), ("Document", R), ("Why", L)],
            report
                .skipped
                .iter()
                .map(|s| {
                    let document = s.document.map_or("-".to_string(), |d| d.to_string());
                    vec![code(&s.path), document, cell(&s.reason)]
                })
                .chain(
                    skipped_not_listed(report)
                        .map(|more| vec!["…".to_string(), String::new(), cell(&more)]),
                ),
        );
    }
    let covered = report
        .api_covers_up_to
        .map(|v| format!(", checked up to Kubernetes {v}"))
        .unwrap_or_default();
    let extra = if report.api_data.is_empty() {
        String::new()
    } else {
        format!("; more from {}", report.api_data.join(", "))
    };
    let source = format!("Removed APIs from {}{covered}{extra}.", report.api_source);
    let _ = writeln!(out, "{}", escape_inline(&source));
    out
}
