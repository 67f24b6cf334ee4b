//! The runbook: the recommended strategy as an editable plan of record, phase by phase in
//! calendar order, with task boxes, a rollback matrix and a sign-off table.
//!
//! Everything comes from the report: the phases and windows from the recommended strategy's
//! timeline, the layers and versions from the plan by layer, the pre-checks from blockers,
//! prerequisites, risks, unknown answers and scan evidence. The step texts are checklist data
//! (`runbook:`); the rollback rules follow the phase kinds.

use std::fmt::Write;

mod checks;
mod fleet;
mod phase;

use crate::base::text::plural;
use crate::plan::Report;
use crate::plan::fleet::FleetReport;
use crate::report::blocks::{escape_inline, footer, header, overrides_text};
use crate::report::render::{Emit, RenderOptions, Renderer};
use crate::report::wording::newer_target_text;
use checks::before_you_start;
use phase::{overview, phase_section, rollback_matrix, sign_off, when};

/// The runbook format.
pub struct Runbook;

impl Renderer for Runbook {
    fn report(&self, report: &Report, options: &RenderOptions) -> String {
        render(report, options)
    }

    fn fleet(
        &self,
        fleet: &FleetReport,
        options: &RenderOptions,
        emit: Emit,
    ) -> std::io::Result<()> {
        emit(&fleet::render(fleet, options))
    }
}

fn render(report: &Report, options: &RenderOptions) -> String {
    let a = &report.assessment;
    let rec = &a.recommendation;
    let phases = &report.runbook.phases;
    let mut out = String::new();
    let strategy = report.strategy_name(rec.strategy).to_string();
    let span = match (a.timeline_of(rec.strategy), phases.first()) {
        (Some(t), Some(first)) => format!(
            "from {}: production on the target on {} ({}), the programme closes on {}",
            first.first_day,
            t.target_date,
            plural(t.windows_to_target, "change window", "change windows"),
            t.close_date
        ),
        _ => "nothing to schedule".to_string(),
    };
    header(
        &mut out,
        "Kubernetes upgrade runbook",
        &report.context,
        &report.checklist,
        &[
            (
                "Strategy",
                format!("{strategy}, confidence {}", rec.confidence),
            ),
            ("Versions", format!("{} → {}", a.path.from, a.path.to)),
            ("Calendar", span),
            ("Status", "Draft for the change-advisory board".to_string()),
        ],
        options.today,
    );
    intro(&mut out, report);
    if let Some(text) = newer_target_text(report) {
        let _ = writeln!(out, "**End of life.** {}\n", escape_inline(&text));
    }
    if phases.is_empty() {
        let _ = writeln!(
            out,
            "Nothing to schedule: every layer is already at its target, so there are no phases, rollbacks or sign-offs.\n"
        );
        before_you_start(&mut out, &report.runbook, 2);
    } else {
        overview(&mut out, phases, 2);
        freezes(&mut out, report);
        before_you_start(&mut out, &report.runbook, 2);
        for p in phases {
            phase_section(&mut out, p, 2);
        }
        rollback_matrix(&mut out, phases, 2, None);
        let _ = writeln!(out, "## Sign-off\n");
        let mut rows: Vec<(String, String)> = report
            .runbook
            .conflicts
            .iter()
            .map(|c| {
                (
                    format!("Risk acceptance: {}", c.title),
                    "before the first window".to_string(),
                )
            })
            .collect();
        rows.extend(
            phases
                .iter()
                .map(|p| (format!("{}. {}", p.number, p.title), when(p))),
        );
        sign_off(
            &mut out,
            &report.context,
            rows.iter().map(|(n, w)| (n.as_str(), w.clone())),
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

/// The calendar the phases are dated on: its windows, its freezes, and the windows the
/// freezes skipped in this plan.
fn freezes(out: &mut String, report: &Report) {
    let a = &report.assessment;
    let basis = &a.calendar;
    let _ = writeln!(
        out,
        "Change windows: {} ({}); the old side is kept {} for rollback after the last cut-over.\n",
        escape_inline(&basis.schedule),
        escape_inline(&basis.time_zone),
        plural(u64::from(basis.rollback_hold_days), "day", "days")
    );
    if basis.freezes.is_empty() {
        return;
    }
    let listed: Vec<String> = basis
        .freezes
        .iter()
        .map(|f| format!("{} to {} ({})", f.from, f.to, escape_inline(&f.reason)))
        .collect();
    let _ = writeln!(out, "No change in a freeze: {}.\n", listed.join("; "));
    let Some(t) = a.timeline_of(a.recommendation.strategy) else {
        return;
    };
    if !t.skipped_windows.is_empty() {
        let skipped: Vec<String> = t
            .skipped_windows
            .iter()
            .map(|s| format!("{} ({})", s.date, escape_inline(&s.freeze.reason)))
            .collect();
        let _ = writeln!(
            out,
            "Windows skipped for a freeze: {}.\n",
            skipped.join(", ")
        );
    }
}

fn intro(out: &mut String, report: &Report) {
    let rec = &report.assessment.recommendation;
    let _ = writeln!(
        out,
        "This runbook carries out the recommended strategy, **{}**.\n",
        escape_inline(report.strategy_name(rec.strategy))
    );
    for sentence in &rec.rationale {
        let _ = writeln!(out, "{}\n", escape_inline(sentence));
    }
    let _ = writeln!(
        out,
        "Each phase lists its pre-checks, the change, validation, a go/no-go gate and how to roll back, as task boxes to tick during the window. Dates are the phase's change windows on the calendar (freezes skipped); a rollback hold and a retirement outside the windows give their days. They are minimums, before validation and remediation. Commands are shown only for upstream Kubernetes steps; vendor steps point to the vendor's documentation.\n"
    );
}
