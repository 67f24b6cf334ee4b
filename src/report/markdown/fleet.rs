//! A fleet as one markdown document: the summary, Supervisors, order of work and calendar,
//! then each environment's sections a level down, then every environment's answers.

use std::fmt::Write;

use crate::base::text::duration_text;
use crate::base::text::format_number;
use crate::plan::fleet::{EnvironmentReport, FleetReport};
use crate::report::blocks::{Align::Left as L, Align::Right as R};
use crate::report::blocks::{cell, escape_inline, footer, header, overrides_text, table};
use crate::report::markdown::sections::{
    answers_appendix, blockers_section, capacity_section, confidence_note, drivers_section,
    evidence_section, feasibility_section, next_steps_section, path_section, plan_section,
    risks_section, support_section, what_if_section,
};
use crate::report::markdown::timeline::fleet_gantt;
use crate::report::render::{Emit, RenderOptions};
use crate::report::wording::{OWN_WORK, counts, fleet_calendar_text};

/// The markdown document, handed to `emit` a part at a time.
pub fn fleet(fleet: &FleetReport, options: &RenderOptions, emit: Emit) -> std::io::Result<()> {
    let mut out = String::new();
    let count = [("Environments", fleet.environments.len().to_string())];
    header(
        &mut out,
        "Kubernetes fleet upgrade strategy",
        &fleet.context,
        &fleet.checklist,
        &count,
        options.today,
    );

    let summary = &fleet.fleet;
    let _ = writeln!(out, "## Summary\n\n{}\n", counts(summary));
    table(
        &mut out,
        &[
            ("Environment", L),
            ("Supervisor", L),
            ("Recommendation", L),
            ("Confidence", L),
            ("Blockers", R),
            ("On the target", L),
            ("Time to target", L),
        ],
        fleet.members.iter().map(|m| {
            vec![
                cell(&m.name),
                cell(m.supervisor.as_deref().unwrap_or("-")),
                cell(&m.strategy_name),
                m.confidence.to_string(),
                m.blockers.to_string(),
                m.own.target_date.to_string(),
                duration_text(m.own_months),
            ]
        }),
    );
    let _ = writeln!(out, "{OWN_WORK}\n");
    if !summary.supervisors.is_empty() {
        let _ = writeln!(
            out,
            "## Supervisors\n\nA shared Supervisor is upgraded in place once, before the workload clusters of every environment on it, whatever strategy each of them gets.\n"
        );
        table(
            &mut out,
            &[
                ("Supervisor", L),
                ("Environments", L),
                ("In place, once, first", L),
                ("Windows", L),
            ],
            summary.supervisors.iter().map(|s| {
                let windows: Vec<String> = s.windows.iter().map(ToString::to_string).collect();
                vec![
                    cell(&s.name),
                    cell(&s.environments.join(", ")),
                    cell(&s.steps_text("; ")),
                    if windows.is_empty() {
                        "-".to_string()
                    } else {
                        windows.join(", ")
                    },
                ]
            }),
        );
    }
    let _ = writeln!(out, "## Order of work\n");
    for (i, step) in summary.order.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", i + 1, escape_inline(step));
    }
    let _ = writeln!(out, "\n## Fleet calendar\n");
    table(
        &mut out,
        &[("Plan", L), ("Time to target", L), ("Months", R)],
        [
            vec![
                "Recommended mix".to_string(),
                duration_text(summary.calendar.recommended_months),
                format_number(summary.calendar.recommended_months),
            ],
            vec![
                "Every environment hop by hop".to_string(),
                duration_text(summary.calendar.all_sequential_months),
                format_number(summary.calendar.all_sequential_months),
            ],
        ],
    );
    let _ = writeln!(out, "{}\n", escape_inline(&fleet_calendar_text(summary)));
    let _ = writeln!(out, "{}\n", escape_inline(&summary.calendar.basis));
    fleet_gantt(&mut out, fleet, options);

    emit(&out)?;
    out.clear();
    for env in fleet.environments.each(true) {
        environment_section(&mut out, &env);
        emit(&out)?;
        out.clear();
    }
    let _ = writeln!(out, "## Appendix: answers\n");
    let mut overrides = String::new();
    for env in fleet.environments.each(false) {
        let _ = writeln!(out, "### {}\n", escape_inline(&env.name));
        answers_appendix(&mut out, &env.report);
        if overrides.is_empty() {
            overrides = overrides_text(&env.report.overrides, false);
        }
        emit(&out)?;
        out.clear();
    }
    footer(
        &mut out,
        &fleet.checklist,
        &fleet.answers_sha256,
        None,
        &overrides,
        options.today,
    );
    emit(&out)
}

/// One environment's part of the fleet document: what a single report says, a level down.
fn environment_section(out: &mut String, env: &EnvironmentReport) {
    let report = &env.report;
    let rec = &report.assessment.recommendation;
    let _ = writeln!(
        out,
        "## {}: {}\n",
        escape_inline(&env.name),
        escape_inline(report.strategy_name(rec.strategy))
    );
    if let Some(s) = &env.supervisor {
        let _ = writeln!(out, "Supervisor: {}.\n", escape_inline(s));
    }
    let _ = writeln!(out, "**Confidence: {}.**\n", rec.confidence);
    for sentence in &rec.rationale {
        let _ = writeln!(out, "{}\n", escape_inline(sentence));
    }
    confidence_note(out, report);
    evidence_section(out, report, 3);
    capacity_section(out, report, 3);
    feasibility_section(out, report, 3);
    drivers_section(out, report, 3);
    blockers_section(out, report, 3);
    plan_section(out, report, 3);
    path_section(out, report, 3);
    support_section(out, report, 3);
    what_if_section(out, report, 3);
    risks_section(out, report, 3);
    next_steps_section(out, report, 3);
}
