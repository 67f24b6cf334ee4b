//! The runbook as data: the recommended strategy's phases in calendar order, each with its
//! steps (pre-checks, change per hop, validation, gate, communication, rollback), its measured
//! gates and its point of no return; the boxes to clear before the first window; the named
//! requirement conflicts; and the most extra clusters the plan needs at once. The JSON report
//! carries it as `runbook`, and the markdown runbook is rendered from it.
//!
//! Step texts come from the checklist (`runbook:`); the sentences made here are the ones that
//! follow from the plan itself (the order of phases, the hops, the gates' limits, the way back
//! for the data).

mod before;
pub mod model;
mod steps;

use crate::checklist::raw::PhaseKind;
use crate::checklist::steps::GateLimits;
use crate::plan::Report;
use crate::plan::runbook::model::{Gate, Link, RunbookPhase, RunbookPlan};
use crate::plan::schedule::Planned;

/// The measured gates of a phase of `kind` against `g`; none for a phase that changes nothing
/// production runs on.
pub fn gates(kind: PhaseKind, g: &GateLimits) -> Vec<Gate> {
    let (compared_with, traffic_steps, after) = match kind {
        PhaseKind::Wave => ("old_side", g.traffic_steps.clone(), "move the traffic back"),
        PhaseKind::InPlace => ("baseline", Vec::new(), "stop and recover"),
        _ => return Vec::new(),
    };
    let trigger = |what: &str| {
        format!(
            "{what} passed, or the gate not met within {} minutes: {after}",
            g.abort_after_minutes
        )
    };
    vec![
        Gate {
            measure: "error_rate",
            limit: g.error_rate_increase_pct,
            unit: "percentage_points",
            compared_with,
            soak_minutes: g.soak_minutes,
            abort_after_minutes: g.abort_after_minutes,
            traffic_steps: traffic_steps.clone(),
            rollback_trigger: trigger("The error-rate limit"),
        },
        Gate {
            measure: "latency_p99",
            limit: g.latency_p99_increase_pct,
            unit: "percent",
            compared_with,
            soak_minutes: g.soak_minutes,
            abort_after_minutes: g.abort_after_minutes,
            traffic_steps,
            rollback_trigger: trigger("The p99-latency limit"),
        },
    ]
}

/// The runbook of `report` over `phases` (its own schedule, or the fleet's dating of it).
pub fn runbook(report: &Report, phases: &[Planned]) -> RunbookPlan {
    let a = &report.assessment;
    RunbookPlan {
        before: before::before_you_start(report),
        phases: runbook_phases(report, phases),
        conflicts: a
            .blockers
            .iter()
            .filter(|b| report.source.blocker_is_conflict(&b.id))
            .cloned()
            .collect(),
        peak_extra_clusters: {
            let a = &report.assessment;
            a.timeline_of(a.recommendation.strategy)
                .map_or(0, |t| t.peak_extra_clusters)
        },
    }
}

/// The phases of a runbook, with their steps.
pub fn runbook_phases(report: &Report, phases: &[Planned]) -> Vec<RunbookPhase> {
    let runbook = &report.source.runbook;
    phases
        .iter()
        .map(|p| RunbookPhase {
            number: p.number,
            title: p.phase.name.clone(),
            kind: p.phase.kind,
            shared: p.phase.shared,
            layer: p.layer.map(|l| l.name.clone()),
            from: p.from,
            to: p.to,
            hops: p.hops.clone(),
            windows: p.phase.windows.clone(),
            first_window: p.windows.0,
            last_window: p.windows.1,
            first_day: p.first_day,
            last_day: p.last_day,
            changes: p.phase.changes,
            hop_windows: steps::hop_windows(p),
            skew: steps::skew_note(report, p),
            batches: p.batches.clone(),
            steps: steps::phase_steps(report, p, phases),
            point_of_no_return: p.rollback.point_of_no_return,
            gates: gates(p.phase.kind, &report.gates),
            rollback: p.rollback.clone(),
            see: p
                .steps
                .map(|s| {
                    s.see
                        .iter()
                        .filter_map(|id| runbook.reference(id))
                        .map(|r| Link {
                            title: r.title.clone(),
                            url: r.url.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}
