//! A fleet's runbook: each shared Supervisor first, once, then every environment with its
//! own strategy, dated after its Supervisor's work (the dates come from `plan::fleet`).

use std::fmt::Write;

use crate::plan::fleet::FleetReport;
use crate::report::blocks::{escape_inline, footer, header, overrides_text};
use crate::report::render::RenderOptions;
use crate::report::runbook::checks::before_you_start;
use crate::report::runbook::phase::{overview, phase_section, rollback_matrix, sign_off, when};

/// The fleet's runbook: each shared Supervisor first, once, then every environment with its
/// own strategy, dated after its Supervisor's work.
pub fn render(fleet: &FleetReport, options: &RenderOptions) -> String {
    let schedule = fleet.schedule();
    let mut out = String::new();
    header(
        &mut out,
        "Kubernetes fleet upgrade runbook",
        &fleet.context,
        &fleet.checklist,
        &[
            ("Environments", fleet.environments.len().to_string()),
            ("Status", "Draft for the change-advisory board".to_string()),
        ],
        options.today,
    );
    let _ = writeln!(
        out,
        "A shared Supervisor, with the other shared layers, is upgraded in place once, before the workload clusters of every environment on it, whatever strategy each of them gets. Its windows are those of the strictest calendar among those environments (the one whose windows end last), with their freezes skipped. Supervisors are independent and run side by side; each environment then follows its own recommended strategy, dated from the day after its Supervisor's last window. Dates are minimums, before validation and remediation.\n"
    );
    let _ = writeln!(out, "## Order of work\n");
    for (i, step) in fleet.fleet.order.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", i + 1, escape_inline(step));
    }
    out.push('\n');
    let mut sign: Vec<(String, String)> = Vec::new();
    // Each Supervisor's shared steps, as in-place phases of its own.
    for s in &schedule.supervisors {
        let _ = writeln!(out, "## Supervisor {}\n", escape_inline(&s.name));
        let _ = writeln!(
            out,
            "Environments on it: {}.\n",
            escape_inline(&s.environments.join(", "))
        );
        let Some(first) = s.phases.first() else {
            let _ = writeln!(
                out,
                "Nothing to upgrade: the shared layers are at their targets.\n"
            );
            continue;
        };
        let _ = writeln!(
            out,
            "The shared steps run in this order within {}.\n",
            when(first)
        );
        for p in &s.phases {
            phase_section(&mut out, p, 3);
        }
        rollback_matrix(&mut out, &s.phases, 3, None);
        for p in &s.phases {
            sign.push((format!("Supervisor {}: {}", s.name, p.title), when(p)));
        }
    }
    for e in &schedule.environments {
        let (env, phases) = (&e.env, &e.phases);
        let report = &env.report;
        let a = &report.assessment;
        let _ = writeln!(
            out,
            "## {}: {}\n",
            escape_inline(&env.name),
            escape_inline(report.strategy_name(a.recommendation.strategy))
        );
        match (&env.supervisor, e.after_supervisor) {
            (Some(s), Some(day)) => {
                let _ = writeln!(
                    out,
                    "Starts on {day}, after Supervisor {} is done. Versions {} → {}; confidence {}.\n",
                    escape_inline(s),
                    a.path.from,
                    a.path.to,
                    a.recommendation.confidence
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "Starts on {}. Versions {} → {}; confidence {}.\n",
                    options.start, a.path.from, a.path.to, a.recommendation.confidence
                );
            }
        }
        for sentence in &a.recommendation.rationale {
            let _ = writeln!(out, "{}\n", escape_inline(sentence));
        }
        before_you_start(&mut out, &report.runbook, 3);
        overview(&mut out, phases, 3);
        for p in phases {
            phase_section(&mut out, p, 3);
        }
        rollback_matrix(&mut out, phases, 3, None);
        for c in &report.runbook.conflicts {
            sign.push((
                format!("{}: risk acceptance: {}", env.name, c.title),
                "before the first window".to_string(),
            ));
        }
        for p in phases {
            sign.push((format!("{}: {}", env.name, p.title), when(p)));
        }
    }
    let _ = writeln!(out, "## Sign-off\n");
    sign_off(
        &mut out,
        &fleet.context,
        sign.iter().map(|(n, w)| (n.as_str(), w.clone())),
    );
    let overrides = schedule
        .environments
        .first()
        .map(|e| overrides_text(&e.env.report.overrides, false))
        .unwrap_or_default();
    footer(
        &mut out,
        &fleet.checklist,
        &fleet.answers_sha256,
        None,
        &overrides,
        options.today,
    );
    out
}
