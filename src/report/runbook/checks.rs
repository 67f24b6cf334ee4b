//! "Before you start": the boxes to clear before the first window, from the assessment
//! (blockers, unconfirmed prerequisites, unknown answers, risks), the scan evidence and the
//! checklist's own checks.

use std::fmt::Write;

use crate::plan::Report;
use crate::report::blocks::{blocker_item, escape_inline, inline_code};
use crate::report::runbook::phase::{heading, step_item};
use crate::scoring::feasibility::Status;

/// Blockers, unconfirmed prerequisites, unknown answers, risks, scan evidence and the
/// checklist's own checks, as task boxes.
pub fn before_you_start(out: &mut String, report: &Report, depth: usize) {
    let a = &report.assessment;
    let strategy = a.recommendation.strategy;
    heading(out, depth, "Before you start");
    let _ = writeln!(
        out,
        "Clear every box before the first window. Each one comes from the assessment; strike out what does not apply and say why.\n"
    );
    let mut items: Vec<String> = a.blockers.iter().map(blocker_item).collect();
    if let Some(f) = a.feasibility.iter().find(|f| f.strategy == strategy) {
        for p in &f.prerequisites {
            let what = match p.status {
                Status::Unknown => "Find out whether this holds",
                Status::NotAsked => "Confirm (not asked in the assessment)",
                Status::Met | Status::Missing => continue,
            };
            let action = if p.action.is_empty() {
                String::new()
            } else {
                format!(" {}", escape_inline(&p.action))
            };
            items.push(format!(
                "- [ ] **{what}:** {}.{action}",
                escape_inline(&p.need)
            ));
        }
    }
    for u in &a.unknowns {
        let effect = if u.deciding {
            "a known answer could change the recommendation"
        } else {
            "no known answer changes the recommendation"
        };
        items.push(format!(
            "- [ ] **Answer {}** (now unknown; {effect}) and assess again.",
            inline_code(&u.question)
        ));
    }
    for r in &a.risks {
        items.push(format!(
            "- [ ] **Mitigate:** {} *Risk:* {} ({}: {})",
            escape_inline(&r.mitigation),
            escape_inline(&r.risk),
            inline_code(&r.question),
            escape_inline(&r.answer)
        ));
    }
    items.extend(evidence_checks(report));
    let lookup = |id: &str| report.answers.get(id);
    for check in &report.source.runbook.before {
        if check.when.as_ref().is_none_or(|c| c.holds(&lookup)) {
            items.push(step_item(&report.source.runbook, &check.step));
        }
    }
    if items.is_empty() {
        let _ = writeln!(out, "Nothing to clear first.\n");
    } else {
        for item in items {
            let _ = writeln!(out, "{item}");
        }
        out.push('\n');
    }
}

/// Pre-checks from the scan evidence, when the report has any.
fn evidence_checks(report: &Report) -> Vec<String> {
    let bound = &report.source.evidence;
    report
        .evidence
        .iter()
        .filter_map(|e| {
            let is = |q: &Option<String>| q.as_deref() == Some(e.question.as_str());
            let value = e.evidence.to_string();
            let detail = escape_inline(&e.detail);
            let text = if is(&bound.deprecated_apis) {
                if value == "remediated" {
                    format!("Scan the manifests and Helm releases again just before the first window; the last scan found {detail}.")
                } else {
                    format!("Migrate the manifests and Helm releases off removed APIs before the first window that reaches the removal: the scan found that {detail}.")
                }
            } else if is(&bound.pdbs_and_probes) {
                let single = e.counts.get("single_replica").copied().unwrap_or(0);
                let single = if single > 0 {
                    format!(" Give the {} a single replica a second one, or agree its downtime at every drain.", crate::base::text::plural(single, "workload that runs", "workloads that run"))
                } else {
                    String::new()
                };
                if value == "yes" {
                    format!("Keep the PodDisruptionBudgets and readiness probes in place; the scan found {detail}.{single}")
                } else {
                    format!("Add PodDisruptionBudgets and readiness probes where the scan found them missing: {detail}.{single}")
                }
            } else if is(&bound.stateful_workloads) {
                if value == "none" {
                    return None;
                }
                format!("Plan how the data of the stateful workloads moves or rides through: {detail}.")
            } else if is(&bound.pod_autoscaling) {
                format!("Check autoscaling before the first window: {detail}.")
            } else {
                return None;
            };
            Some(format!("- [ ] {text} *(scan)*"))
        })
        .collect()
}
