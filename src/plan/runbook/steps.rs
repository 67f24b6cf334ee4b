//! A phase's steps in the order an engineer ticks them: pre-checks and who is told, one
//! change per hop with validation and a soak between hops, validation, the go/no-go gate with
//! its measured limits, who is told the outcome, and the way back.

use crate::base::text::{format_number, join_and, plural};
use crate::checklist::raw::PhaseKind;
use crate::checklist::steps::{GateLimits, PhaseSteps, Step};
use crate::checklist::strategy::Strategy;
use crate::plan::Report;
use crate::plan::runbook::model::{HopWindow, RunbookStep, StepKind};
use crate::plan::schedule::Planned;

/// What a phase says where the checklist gives no step texts of a kind.
const NO_STEPS: &str =
    "(The checklist gives no steps here: write them in, or add them under runbook.phases.)";

/// Where each hop of a phase takes a window of its own: one hop a window, no batches.
pub fn hop_windows(p: &Planned) -> Vec<HopWindow> {
    let n = p.hops.len();
    if n < 2 || p.batches.is_some() || p.phase.windows.len() != n {
        return Vec::new();
    }
    p.phase
        .windows
        .iter()
        .enumerate()
        .map(|(i, &date)| HopWindow {
            window: p.windows.0.saturating_add(i as u64),
            date,
        })
        .collect()
}

/// How far the nodes trail the control planes after (or during) the phase, and what that
/// asks of the engineer.
pub fn skew_note(report: &Report, p: &Planned) -> Option<String> {
    let (lag, max) = p.skew?;
    let minors = plural(u64::from(lag), "minor", "minors");
    Some(match p.phase.kind {
        PhaseKind::Wave => format!(
            "Kubelet skew: the new node pools run the control planes' version; until this wave ends the old nodes are {minors} behind (the limit is {max}). Do not upgrade the control planes again before this wave is done."
        ),
        _ if lag <= 1 && report.assessment.recommendation.strategy == Strategy::Sequential => {
            format!(
                "Kubelet skew: upgrade the node pools right after their control plane, in the same window, so nodes never trail it by more than one minor (the limit is {max})."
            )
        }
        _ => format!(
            "Kubelet skew: after this phase the nodes trail the control planes by {minors} (the limit is {max})."
        ),
    })
}

/// Every step of phase `p`, in order.
pub fn phase_steps(report: &Report, p: &Planned, phases: &[Planned]) -> Vec<RunbookStep> {
    let runbook = &report.source.runbook;
    let none: &[Step] = &[];
    let pick = |f: fn(&PhaseSteps) -> &[Step]| p.steps.map_or(none, f);
    let data = |kind: StepKind, steps: &[Step], hop: Option<usize>| -> Vec<RunbookStep> {
        steps
            .iter()
            .map(|s| RunbookStep::from_data(kind, runbook, s).in_hop(hop))
            .collect()
    };
    // A kind of step the checklist is silent on gets a box that says so, unless the plan
    // itself gave one.
    let section =
        |out: &mut Vec<RunbookStep>, kind, made: Vec<RunbookStep>, steps: &[Step], hop| {
            let empty = made.is_empty() && steps.is_empty();
            out.extend(made);
            out.extend(data(kind, steps, hop));
            if empty {
                out.push(RunbookStep::new(kind, NO_STEPS).in_hop(hop));
            }
        };
    let changes = p.phase.changes > 0;
    let mut out = Vec::new();
    let mut pre = Vec::new();
    if let Some(previous) = p.number.checked_sub(2).and_then(|i| phases.get(i)) {
        pre.push(RunbookStep::new(
            StepKind::Precheck,
            format!(
                "Phase {} ({}) passed its go/no-go gate and is signed off.",
                previous.number, previous.phase.name
            ),
        ));
    }
    // A phase that changes nothing (the rollback hold) needs no change record of its own.
    if changes {
        pre.push(RunbookStep::new(
            StepKind::Precheck,
            "The change record for this phase is approved.",
        ));
    }
    if let (Some(before), PhaseKind::Wave) = (&p.rollback.before, p.phase.kind) {
        pre.push(RunbookStep::new(
            StepKind::Precheck,
            format!("So that the cut-over can be undone: {before}"),
        ));
    }
    if p.phase.kind == PhaseKind::Wave
        && let Some(check) = capacity_check(report)
    {
        pre.push(RunbookStep::new(StepKind::Precheck, check).labelled("Capacity"));
    }
    // A rotation through limited capacity: each batch waits for the room of one before it.
    let rotating = p.batches.as_ref().and_then(|b| b.rotating);
    let retirement = phases
        .iter()
        .rfind(|q| q.phase.kind == PhaseKind::Decommission)
        .map_or_else(String::new, |q| {
            format!(" the way phase {} ({}) does", q.number, q.phase.name)
        });
    if let Some(m) = rotating {
        let before = if m == 1 {
            "the batch before it".to_string()
        } else {
            format!("the batch {m} before it")
        };
        pre.push(RunbookStep::new(
            StepKind::Precheck,
            format!(
                "From batch {} on: the room for the batch is free, because the old clusters of {before} were retired on the day in the table and nothing else took the capacity.",
                m + 1
            ),
        ));
    }
    section(
        &mut out,
        StepKind::Precheck,
        pre,
        pick(|s| &s.pre_checks),
        None,
    );
    if changes {
        out.push(RunbookStep::new(
            StepKind::Communication,
            "Tell the application owners, the service desk and on-call that the window starts, what changes and whom to call.",
        ));
    }
    let layer = p.layer.map_or("the layer", |l| l.name.as_str());
    let missing = p.steps.is_none().then(|| {
        RunbookStep::new(
            StepKind::Change,
            format!(
                "{} (the checklist has no step texts for this phase; add them under runbook.phases).",
                p.phase.name
            ),
        )
    });
    match (p.hops.len(), p.from) {
        (n, Some(mut from)) if n > 1 => {
            // One change per hop, each validated and soaked before the next.
            for (i, &to) in p.hops.iter().enumerate() {
                let hop = Some(i + 1);
                let mut made: Vec<RunbookStep> =
                    missing.iter().cloned().map(|s| s.in_hop(hop)).collect();
                made.push(
                    RunbookStep::new(
                        StepKind::Change,
                        format!(
                            "Upgrade {layer} from {from} to {to} (hop {} of {n}; one minor version at a time, never skipping one).",
                            i + 1
                        ),
                    )
                    .in_hop(hop),
                );
                section(&mut out, StepKind::Change, made, pick(|s| &s.change), hop);
                if i + 1 < n {
                    let soak = RunbookStep::new(
                        StepKind::Validation,
                        format!(
                            "Soak: leave {layer} at {to} under normal load for at least {} minutes, and start hop {} only when every box here is ticked; otherwise stop and roll back as below.",
                            report.gates.soak_minutes,
                            i + 2
                        ),
                    )
                    .in_hop(hop);
                    section(
                        &mut out,
                        StepKind::Validation,
                        vec![soak],
                        pick(|s| &s.validation),
                        hop,
                    );
                }
                from = to;
            }
        }
        _ => section(
            &mut out,
            StepKind::Change,
            missing.into_iter().collect(),
            pick(|s| &s.change),
            None,
        ),
    }
    if rotating.is_some() {
        out.push(RunbookStep::new(
            StepKind::Change,
            format!(
                "When a batch's old clusters have been kept for rollback until the day in the table, retire them{retirement}, so that the next batch has the room; the last batches' old clusters are kept and retired in the phases after this one."
            ),
        ));
    }
    section(
        &mut out,
        StepKind::Validation,
        Vec::new(),
        pick(|s| &s.validation),
        None,
    );
    let mut gate = vec![RunbookStep::new(
        StepKind::Gate,
        "Go only when every validation box above is ticked; otherwise stop here and roll back as below.",
    )];
    gate.extend(measured_gate(p.phase.kind, &report.gates));
    section(&mut out, StepKind::Gate, gate, pick(|s| &s.go_no_go), None);
    if changes {
        out.push(RunbookStep::new(
            StepKind::Communication,
            "Tell the same people the outcome: done and signed off, or rolled back and why.",
        ));
    }
    let rule = &p.rollback;
    // With steps of its own, the checklist says how; the rule says whether and until when.
    let summary = if pick(|s| &s.rollback).is_empty() {
        format!("{} {}.", rule.rule, rule.how)
    } else {
        rule.rule.clone()
    };
    out.push(RunbookStep::new(StepKind::Rollback, summary));
    out.extend(data(StepKind::Rollback, pick(|s| &s.rollback), None));
    out
}

/// The gate a phase must pass, as measurements against limits and the trigger that starts the
/// rollback; `None` for a phase that changes nothing production runs on.
fn measured_gate(kind: PhaseKind, g: &GateLimits) -> Option<RunbookStep> {
    let limits = format!(
        "the error rate no more than {} percentage points and the p99 latency no more than {}% above",
        format_number(g.error_rate_increase_pct),
        format_number(g.latency_p99_increase_pct)
    );
    let trigger = format!(
        "Rollback trigger: either limit passed, or the gate not met within {} minutes",
        g.abort_after_minutes
    );
    let text = match kind {
        PhaseKind::Wave => {
            let steps: Vec<String> = g.traffic_steps.iter().map(|s| format!("{s}%")).collect();
            format!(
                "Gate at each traffic step ({}), each held {} minutes: on the new side {limits} the old side's. {trigger}: move the traffic back as below.",
                steps.join(", "),
                g.soak_minutes
            )
        }
        PhaseKind::InPlace => format!(
            "Gate, over {} minutes after the change: {limits} the baseline measured before the window. {trigger}: stop and recover as below.",
            g.soak_minutes
        ),
        _ => return None,
    };
    Some(RunbookStep::new(StepKind::Gate, text))
}

/// The room a wave's new clusters need, reserved before it starts, as the cluster dumps
/// measure it: each batch's clusters and copies when the packed waves match the plan's
/// batches, else what the room holds at once.
fn capacity_check(report: &Report) -> Option<String> {
    let c = report.capacity.as_ref()?;
    if c.waves.is_empty() {
        return None;
    }
    let batches = report.assessment.calendar.batches;
    let names = |w: &crate::capacity::fit::CapacityWave| join_and(&w.clusters);
    if c.waves.len() as u64 == batches {
        if let [only] = c.waves.as_slice() {
            let copies = match only.clusters.len() {
                1 => format!("the copy of {} needs", names(only)),
                _ => format!("copies of {} need", names(only)),
            };
            return Some(format!(
                "Room for the new clusters is reserved before the wave starts: {copies} {}, as measured from the dumps.",
                c.room_for(&only.needs)
            ));
        }
        let each: Vec<String> = c
            .waves
            .iter()
            .enumerate()
            .map(|(i, w)| {
                format!(
                    "batch {} takes {} ({})",
                    i + 1,
                    names(w),
                    c.room_for(&w.needs)
                )
            })
            .collect();
        return Some(format!(
            "Room for each batch's new clusters is reserved before the batch starts, as measured from the dumps: {}.",
            each.join("; ")
        ));
    }
    let largest = c.waves.iter().max_by_key(|w| w.needs)?;
    Some(format!(
        "Room for each batch's new clusters is reserved before the batch starts: the room holds {} at once as measured from the dumps, the largest wave ({}) needing {}.",
        plural(c.fits_clusters.unwrap_or(0), "copy", "copies"),
        names(largest),
        c.room_for(&largest.needs)
    ))
}
