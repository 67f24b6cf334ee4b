//! "Before you start": the boxes to clear before the first window, from the assessment
//! (blockers, unconfirmed prerequisites, unknown answers, risks), the scan evidence and the
//! checklist's own checks, those whose condition holds for the answers.

use crate::base::text::plural;
use crate::plan::Report;
use crate::plan::runbook::model::{RunbookStep, StepKind};
use crate::scoring::feasibility::Status;

/// Blockers, unconfirmed prerequisites, unknown answers, risks, scan evidence and the
/// checklist's own checks, in that order.
pub fn before_you_start(report: &Report) -> Vec<RunbookStep> {
    let a = &report.assessment;
    let strategy = a.recommendation.strategy;
    let check = |text: String| RunbookStep::new(StepKind::Precheck, text);
    let mut items: Vec<RunbookStep> = a
        .blockers
        .iter()
        .map(|b| {
            check(format!(
                "{} ({}: {}). {}",
                b.title, b.question, b.answer, b.action
            ))
            .labelled(if report.source.blocker_is_conflict(&b.id) {
                "Conflict, needs a signed risk acceptance"
            } else {
                "Blocker"
            })
        })
        .collect();
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
                format!(" {}", p.action)
            };
            items.push(check(format!("{}.{action}", p.need)).labelled(what));
        }
    }
    // The room the plan needs at once, beside the old clusters.
    if let Some(t) = a
        .timeline_of(strategy)
        .filter(|t| t.peak_extra_clusters > 0)
    {
        let peak = plural(
            t.peak_extra_clusters,
            "extra workload cluster",
            "extra workload clusters",
        );
        let why = if t.phases.iter().any(|p| !p.rotation.is_empty()) {
            "the waves rotate through the limited capacity, each retiring old clusters before a later wave needs the room, so no more are needed at any time"
        } else {
            "every old cluster runs until the rollback period after the last wave has ended"
        };
        // What the dumps measure of that room: the most the plan holds at once.
        let measured = report
            .capacity
            .as_ref()
            .and_then(|c| {
                let cost = c.cost.iter().find(|k| k.strategy == strategy.id())?;
                Some(format!(
                    " (as measured from the cluster dumps, the most held at once needs {})",
                    c.room_for(&cost.extra)
                ))
            })
            .unwrap_or_default();
        items.push(
            check(format!(
                "Room for {peak} at once{measured} is free and kept for the migration: {why}."
            ))
            .labelled("Capacity"),
        );
    }
    for u in &a.unknowns {
        let effect = if u.deciding {
            "a known answer could change the recommendation"
        } else {
            "no known answer changes the recommendation"
        };
        items.push(
            check(format!(
                "now unknown; {effect}. Answer it and assess again."
            ))
            .labelled(format!("Answer {}", u.question)),
        );
    }
    for r in &a.risks {
        items.push(
            check(format!(
                "{} Risk: {} ({}: {})",
                r.mitigation, r.risk, r.question, r.answer
            ))
            .labelled("Mitigate"),
        );
    }
    items.extend(evidence_checks(report));
    let lookup = |id: &str| report.answers.get(id);
    let runbook = &report.source.runbook;
    for c in &runbook.before {
        if c.when.as_ref().is_none_or(|w| w.holds(&lookup)) {
            items.push(RunbookStep::from_data(StepKind::Precheck, runbook, &c.step));
        }
    }
    items
}

/// Pre-checks from the scan evidence, when the report has any.
fn evidence_checks(report: &Report) -> Vec<RunbookStep> {
    let bound = &report.source.evidence;
    report
        .evidence
        .iter()
        .filter_map(|e| {
            let is = |q: &Option<String>| q.as_deref() == Some(e.question.as_str());
            let value = e.evidence.to_string();
            let detail = &e.detail;
            let text = if is(&bound.deprecated_apis) {
                if value == "remediated" {
                    format!("Scan the manifests and Helm releases again just before the first window; the last scan found {detail}.")
                } else {
                    format!("Migrate the manifests and Helm releases off removed APIs before the first window that reaches the removal: the scan found that {detail}.")
                }
            } else if is(&bound.pdbs_and_probes) {
                let single = e.counts.get("single_replica").copied().unwrap_or(0);
                let single = if single > 0 {
                    format!(
                        " Give the {} a single replica a second one, or agree its downtime at every drain.",
                        plural(single, "workload that runs", "workloads that run")
                    )
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
            Some(RunbookStep::new(StepKind::Precheck, text).labelled("From the scan"))
        })
        .collect()
}
