//! One decision record for a fleet: the per-environment outcomes and the shared rule.

use std::fmt::Write;

use crate::base::text::lower_first;
use crate::base::text::plural;
use crate::checklist::strategy::Strategy;
use crate::plan::fleet::{EnvironmentReport, FleetReport};
use crate::report::adr::parts::{
    confirmation, context_list, front_matter, more_information, subject,
};
use crate::report::blocks::{Align, cell, escape_inline, inline_code, overrides_text, table};
use crate::report::capacity_words::capacity_brief;
use crate::report::render::RenderOptions;
use crate::report::wording::fleet_calendar_text;

/// One decision record for the fleet: the per-environment outcomes and the shared rule.
pub fn render(fleet: &FleetReport, options: &RenderOptions) -> String {
    // The environments' reports, built once (they are made on demand, one at a time).
    let envs: Vec<EnvironmentReport> = fleet.environments.each(true).collect();
    let mut out = String::new();
    front_matter(&mut out, &fleet.context, options);
    let summary = &fleet.fleet;
    let _ = writeln!(
        out,
        "# Choose the Kubernetes upgrade strategy per environment{}\n",
        subject(&fleet.context)
    );
    let _ = writeln!(out, "## Context and Problem Statement\n");
    let _ = writeln!(
        out,
        "The fleet has {} and {}. Each environment must reach its target version; which strategy should carry each one, and in what order?\n",
        plural(
            fleet.environments.len() as u64,
            "environment",
            "environments"
        ),
        plural(
            summary.supervisors.len() as u64,
            "shared Supervisor",
            "shared Supervisors"
        )
    );
    for env in &envs {
        let a = &env.report.assessment;
        let on = env
            .supervisor
            .as_deref()
            .map(|s| format!(" on Supervisor {}", escape_inline(s)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "* {}{on}: {}, Kubernetes {} → {}",
            escape_inline(&env.name),
            plural(a.calendar.clusters, "workload cluster", "workload clusters"),
            a.path.from,
            a.path.to
        );
    }
    out.push('\n');
    context_list(&mut out, &fleet.context);

    let _ = writeln!(out, "## Decision Drivers\n");
    let _ = writeln!(
        out,
        "* A shared Supervisor is upgraded in place once, before the workload clusters of every environment on it, at the strictest change window among them."
    );
    for env in &envs {
        let a = &env.report.assessment;
        let drivers: Vec<String> = a
            .drivers
            .iter()
            .filter(|d| d.weight > 0)
            .take(3)
            .map(|d| {
                format!(
                    "{} = {} (leans {})",
                    inline_code(&d.question),
                    escape_inline(&d.answer),
                    d.leans
                )
            })
            .collect();
        let gates: Vec<String> = a
            .recommendation
            .gates
            .iter()
            .map(|g| {
                // People read the must-have by what it needs; the id stays in the JSON.
                let need = env.report.source.gates.iter().find(|c| c.id == g.id);
                escape_inline(need.map_or(g.id.as_str(), |c| c.need.as_str()))
            })
            .collect();
        let gates = if gates.is_empty() {
            String::new()
        } else {
            format!("; must-haves not met: {}", gates.join("; "))
        };
        let capacity = env
            .report
            .capacity
            .as_ref()
            .and_then(capacity_brief)
            .map_or(String::new(), |line| {
                format!(
                    "; capacity, measured from its dumps: {}",
                    escape_inline(&line)
                )
            });
        let _ = writeln!(
            out,
            "* {}: {}{gates}{capacity}",
            escape_inline(&env.name),
            if drivers.is_empty() {
                "no weighed answers".to_string()
            } else {
                drivers.join(", ")
            }
        );
    }
    out.push('\n');

    let _ = writeln!(out, "## Considered Options\n");
    let names = |s: Strategy| {
        envs.first().map_or(s.id().to_string(), |e| {
            e.report.strategy_name(s).to_string()
        })
    };
    for s in Strategy::ALL {
        let _ = writeln!(out, "* {} (per environment)", escape_inline(&names(s)));
    }
    out.push('\n');

    let _ = writeln!(out, "## Decision Outcome\n");
    let mix: Vec<String> = Strategy::ALL
        .into_iter()
        .filter_map(|s| {
            let envs: Vec<&str> = envs
                .iter()
                .filter(|e| e.report.assessment.recommendation.strategy == s)
                .map(|e| e.name.as_str())
                .collect();
            (!envs.is_empty()).then(|| format!("{} for {}", names(s), envs.join(", ")))
        })
        .collect();
    let _ = writeln!(
        out,
        "Chosen option: \"{}\", because each environment gets the strategy its own answers support, and the shared Supervisors go first, once each.\n",
        escape_inline(&mix.join("; "))
    );
    table(
        &mut out,
        &[
            ("Environment", Align::Left),
            ("Supervisor", Align::Left),
            ("Chosen option", Align::Left),
            ("Confidence", Align::Left),
            ("Blockers", Align::Right),
            ("On the target", Align::Left),
        ],
        envs.iter().zip(&summary.schedule).map(|(e, dated)| {
            let a = &e.report.assessment;
            vec![
                cell(&e.name),
                cell(e.supervisor.as_deref().unwrap_or("-")),
                cell(e.report.strategy_name(a.recommendation.strategy)),
                a.recommendation.confidence.to_string(),
                a.blockers.len().to_string(),
                dated.target_date.to_string(),
            ]
        }),
    );

    let _ = writeln!(out, "### Consequences\n");
    let _ = writeln!(
        out,
        "* Good, because {}",
        lower_first(&escape_inline(&fleet_calendar_text(summary)))
    );
    for s in &summary.supervisors {
        if s.changes > 0 {
            let _ = writeln!(
                out,
                "* Bad, because Supervisor {} is upgraded in place ({}), which cannot be rolled back once started, and every environment on it waits for it.",
                escape_inline(&s.name),
                escape_inline(&s.steps_text(", "))
            );
        }
    }
    for e in &envs {
        for b in &e.report.assessment.blockers {
            let _ = writeln!(
                out,
                "* Bad, because {} has a should-have missing: {}. To do first: {}",
                escape_inline(&e.name),
                lower_first(&escape_inline(&b.title)),
                escape_inline(&b.action)
            );
        }
    }
    out.push('\n');

    let _ = writeln!(out, "### Confirmation\n");
    let expected: Vec<(Option<&str>, Strategy)> = envs
        .iter()
        .map(|e| {
            (
                Some(e.name.as_str()),
                e.report.assessment.recommendation.strategy,
            )
        })
        .collect();
    confirmation(&mut out, &expected, &fleet.checklist, &fleet.answers_sha256);

    let _ = writeln!(out, "## Pros and Cons of the Options\n");
    for s in Strategy::ALL {
        let _ = writeln!(out, "### {}\n", escape_inline(&names(s)));
        if let Some(e) = envs.first() {
            let _ = writeln!(
                out,
                "{}\n",
                escape_inline(&e.report.source.strategy_text(s).summary)
            );
        }
        let (mut chosen, mut possible, mut ruled) = (Vec::new(), Vec::new(), Vec::new());
        for e in &envs {
            let a = &e.report.assessment;
            if a.recommendation.strategy == s {
                chosen.push(e.name.as_str());
            } else if a.recommendation.ruled_out.iter().any(|r| r.strategy == s) {
                ruled.push(e.name.as_str());
            } else {
                possible.push(e.name.as_str());
            }
        }
        if !chosen.is_empty() {
            let _ = writeln!(
                out,
                "* Good, because it is recommended for {}.",
                escape_inline(&chosen.join(", "))
            );
        }
        if !possible.is_empty() {
            let _ = writeln!(
                out,
                "* Neutral, because it is possible but not preferred for {}.",
                escape_inline(&possible.join(", "))
            );
        }
        if !ruled.is_empty() {
            let _ = writeln!(
                out,
                "* Bad, because a must-have is missing for {}.",
                escape_inline(&ruled.join(", "))
            );
        }
        out.push('\n');
    }
    let overrides = envs
        .first()
        .map(|e| overrides_text(&e.report.overrides, false))
        .unwrap_or_default();
    more_information(
        &mut out,
        &fleet.checklist,
        &fleet.answers_sha256,
        &overrides,
        options,
    );
    out
}
