//! Markdown: a document a customer reads on GitHub or GitLab, with a decision-record footer.

use std::fmt::Write;

pub mod fleet;
mod scan;
pub mod sections;
pub mod timeline;

use crate::base::text::plural;
use crate::plan::Report;
use crate::plan::fleet::FleetReport;
use crate::report::blocks::Align::Left as L;
use crate::report::blocks::{cell, code, escape_inline, footer, header, overrides_text, table};
use crate::report::render::{Emit, RenderOptions, Renderer, ScanRenderOptions, ScanRenderer};
use crate::scan::model::ScanReport;
use sections::{
    answers_appendix, blockers_section, capacity_section, confidence_note, drivers_section,
    evidence_section, feasibility_section, next_steps_section, path_section, plan_section,
    risks_section, support_section, what_if_section,
};
use timeline::timeline_section;

/// The markdown format.
pub struct Markdown;

impl Renderer for Markdown {
    fn report(&self, report: &Report, options: &RenderOptions) -> String {
        render(report, options)
    }

    fn fleet(
        &self,
        fleet: &FleetReport,
        options: &RenderOptions,
        emit: Emit,
    ) -> std::io::Result<()> {
        fleet::fleet(fleet, options, emit)
    }
}

impl ScanRenderer for Markdown {
    fn scan(&self, report: &ScanReport, _: &ScanRenderOptions) -> String {
        scan::scan(report)
    }
}

fn render(report: &Report, options: &RenderOptions) -> String {
    let a = &report.assessment;
    let rec = &a.recommendation;
    let mut out = String::new();
    header(
        &mut out,
        "Kubernetes upgrade strategy",
        &report.context,
        &report.checklist,
        &[],
        options.today,
    );

    let _ = writeln!(
        out,
        "## Recommendation: {}\n",
        escape_inline(report.strategy_name(rec.strategy))
    );
    let _ = writeln!(
        out,
        "**Confidence: {}.** Blue-Green {}, Sequential {} (Blue-Green needs a lead of {}).\n",
        rec.confidence,
        plural(u64::from(a.scores.blue_green), "point", "points"),
        plural(u64::from(a.scores.sequential), "point", "points"),
        a.scores.blue_green_needs
    );
    for sentence in &rec.rationale {
        let _ = writeln!(out, "{}\n", escape_inline(sentence));
    }
    confidence_note(&mut out, report);

    evidence_section(&mut out, report, 2);
    capacity_section(&mut out, report, 2);
    feasibility_section(&mut out, report, 2);

    drivers_section(&mut out, report, 2);
    blockers_section(&mut out, report, 2);
    plan_section(&mut out, report, 2);
    path_section(&mut out, report, 2);
    timeline_section(&mut out, report, options);
    support_section(&mut out, report, 2);
    what_if_section(&mut out, report, 2);
    risks_section(&mut out, report, 2);
    next_steps_section(&mut out, report, 2);
    let _ = writeln!(out, "## Appendix: answers\n");
    answers_appendix(&mut out, report);
    if !report.evidence.is_empty() {
        let _ = writeln!(out, "## Appendix: evidence\n");
        table(
            &mut out,
            &[
                ("Question", L),
                ("Answered", L),
                ("Evidence", L),
                ("Outcome", L),
                ("Counts", L),
            ],
            report.evidence.iter().map(|e| {
                let answered = e
                    .answered
                    .as_ref()
                    .map_or("-".to_string(), ToString::to_string);
                vec![
                    code(&e.question),
                    cell(&answered),
                    cell(&e.evidence.to_string()),
                    e.outcome.to_string(),
                    cell(&e.detail),
                ]
            }),
        );
    }

    footer(
        &mut out,
        &report.checklist,
        &report.answers_sha256,
        Some(&report.effective_answers_sha256),
        &overrides_text(&report.overrides, true),
        options.today,
    );
    out
}
