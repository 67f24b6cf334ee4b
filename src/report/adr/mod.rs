//! The decision record: the same assessment in the MADR 4.0 layout, ready to commit to a
//! `docs/decisions/` folder. Front matter, context, drivers, the three options, the outcome
//! with its consequences and how to confirm it, pros and cons per option, and where the
//! decision came from.

use std::fmt::Write;

mod fleet;
mod options;
mod parts;

use crate::base::text::lower_first;
use crate::base::text::plural;
use crate::checklist::strategy::Strategy;
use crate::plan::Report;
use crate::plan::fleet::FleetReport;
use crate::report::blocks::{escape_inline, inline_code, overrides_text};
use crate::report::capacity_words::{capacity_brief, cost_line};
use crate::report::render::{Emit, RenderOptions, Renderer};
use crate::report::wording::{newer_target_text, timeline_figures};
use options::{pros_and_cons, rollback_consequences};
use parts::{confirmation, context_list, front_matter, more_information, subject};

/// The decision-record format.
pub struct Adr;

impl Renderer for Adr {
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
    let mut out = String::new();
    front_matter(&mut out, &report.context, options);
    let chosen = report.strategy_name(rec.strategy);
    let _ = writeln!(
        out,
        "# Upgrade Kubernetes from {} to {} with {}{}\n",
        a.path.from,
        a.path.to,
        escape_inline(chosen),
        subject(&report.context)
    );

    let _ = writeln!(out, "## Context and Problem Statement\n");
    let _ = writeln!(out, "{}\n", problem_statement(report));
    context_list(&mut out, &report.context);

    let _ = writeln!(out, "## Decision Drivers\n");
    for d in &a.drivers {
        let _ = writeln!(
            out,
            "* {} = {}: {} (leans {}, weight {})",
            inline_code(&d.question),
            escape_inline(&d.answer),
            escape_inline(&d.reason),
            d.leans,
            d.weight
        );
    }
    for g in &rec.gates {
        let _ = writeln!(out, "* Must-have not met: {}", escape_inline(&g.reason));
    }
    if let Some(line) = report.capacity.as_ref().and_then(capacity_brief) {
        let _ = writeln!(
            out,
            "* Capacity, measured from the cluster dumps: {}",
            escape_inline(&line)
        );
    }
    let basis = &a.calendar;
    let _ = writeln!(
        out,
        "* The calendar: {} a year, {} per window, {} in {}.\n",
        plural(
            u64::from(basis.windows_per_year),
            "change window",
            "change windows"
        ),
        plural(basis.changes_per_window, "change", "changes"),
        plural(basis.clusters, "workload cluster", "workload clusters"),
        plural(basis.batches, "batch", "batches")
    );

    let _ = writeln!(out, "## Considered Options\n");
    for s in Strategy::ALL {
        let _ = writeln!(out, "* {}", escape_inline(report.strategy_name(s)));
    }
    out.push('\n');

    let _ = writeln!(out, "## Decision Outcome\n");
    let because: Vec<String> = rec
        .rationale
        .iter()
        .enumerate()
        .map(|(i, r)| if i == 0 { lower_first(r) } else { r.clone() })
        .collect();
    let _ = writeln!(
        out,
        "Chosen option: \"{}\", because {}\n",
        escape_inline(chosen),
        escape_inline(&because.join(" "))
    );
    let reasons = if rec.confidence_reasons.is_empty() {
        String::new()
    } else {
        format!(" ({})", escape_inline(&rec.confidence_reasons.join("; ")))
    };
    let _ = writeln!(out, "Confidence: {}{reasons}.\n", rec.confidence);

    let _ = writeln!(out, "### Consequences\n");
    for line in consequences(report) {
        let _ = writeln!(out, "* {line}");
    }
    out.push('\n');

    let _ = writeln!(out, "### Confirmation\n");
    confirmation(
        &mut out,
        &[(None, rec.strategy)],
        &report.checklist,
        &report.answers_sha256,
    );

    let _ = writeln!(out, "## Pros and Cons of the Options\n");
    for s in Strategy::ALL {
        let _ = writeln!(out, "### {}\n", escape_inline(report.strategy_name(s)));
        let _ = writeln!(
            out,
            "{}\n",
            escape_inline(&report.source.strategy_text(s).summary)
        );
        for line in pros_and_cons(report, s) {
            let _ = writeln!(out, "* {line}");
        }
        out.push('\n');
    }

    more_information(
        &mut out,
        &report.checklist,
        &report.answers_sha256,
        &overrides_text(&report.overrides, true),
        options,
    );
    out
}

fn problem_statement(report: &Report) -> String {
    let a = &report.assessment;
    let mut text = format!(
        "The platform runs {} at Kubernetes {} and has to reach {}: {}.",
        plural(a.calendar.clusters, "workload cluster", "workload clusters"),
        a.path.from,
        a.path.to,
        plural(a.path.hops.len() as u64, "minor hop", "minor hops")
    );
    let layers: Vec<String> = a
        .layers
        .iter()
        .filter(|l| !l.steps.is_empty() && l.from != Some(a.path.from))
        .filter_map(|l| Some(format!("{} {} → {}", l.name, l.from?, l.to?)))
        .collect();
    if !layers.is_empty() {
        let _ = write!(text, " The shared layers move too: {}.", layers.join(", "));
    }
    text.push_str(
        " Which strategy should carry the upgrade: in place hop by hop, a parallel environment, or a hybrid of the two?",
    );
    escape_inline(&text)
}

/// Good and bad consequences of the chosen option: its calendar, rollback, blockers and risks.
fn consequences(report: &Report) -> Vec<String> {
    let a = &report.assessment;
    let chosen = a.recommendation.strategy;
    let mut out = Vec::new();
    if let Some(t) = a.timeline_of(chosen) {
        let line = timeline_figures(t);
        match a.timeline_of(Strategy::Sequential) {
            Some(seq) if chosen != Strategy::Sequential && t.target_date < seq.target_date => {
                out.push(format!(
                    "Good, because {line}, against {} hop by hop ({}).",
                    seq.target_date,
                    plural(seq.risky_changes, "risky change", "risky changes")
                ));
            }
            _ => out.push(format!("Good, because the calendar is known: {line}.")),
        }
        out.extend(rollback_consequences(t));
    }
    let chosen_id = chosen.id();
    if let Some(cost) = report
        .capacity
        .as_ref()
        .and_then(|c| c.cost.iter().find(|c| c.strategy == chosen_id))
    {
        out.push(format!(
            "Bad, because the parallel run takes room: {}",
            escape_inline(&cost_line(report, cost))
        ));
    }
    if let Some(text) = newer_target_text(report) {
        out.push(format!(
            "Bad, because {}",
            lower_first(&escape_inline(&text))
        ));
    }
    for b in &a.blockers {
        out.push(format!(
            "Bad, because a should-have is missing ({}: {}): {}. To do first: {}",
            inline_code(&b.question),
            escape_inline(&b.answer),
            lower_first(&escape_inline(&b.title)),
            escape_inline(&b.action)
        ));
    }
    for r in &a.risks {
        out.push(format!(
            "Bad, because {} Mitigation: {}",
            lower_first(&escape_inline(&r.risk)),
            escape_inline(&r.mitigation)
        ));
    }
    out
}
