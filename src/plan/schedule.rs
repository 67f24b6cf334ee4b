//! The recommended strategy as a schedule: its phases in calendar order, dated, tied to
//! their layers and versions and to the checklist's step texts, each with its rollback rule.
//! The rollback rules follow the phase kinds; they are part of the decision, not of the
//! rendering.

use crate::base::date::Date;
use crate::base::text::lower_first;
use crate::checklist::model::Layer;
use crate::checklist::raw::LayerRole;
use crate::checklist::raw::PhaseKind;
use crate::checklist::steps::PhaseSteps;
use crate::checklist::strategy::Strategy;
use crate::kube::version::Version;
use crate::plan::Report;
use crate::plan::runbook::model::{BatchRow, Batches, RollbackRule};
use crate::scoring::assessment::CalendarBasis;
use crate::scoring::calendar::timeline::{Phase, Timeline};

/// A phase of the recommended strategy, placed on the calendar and tied to its layer.
#[derive(Debug, Clone)]
pub struct Planned<'c> {
    pub number: usize,
    pub phase: Phase,
    pub layer: Option<&'c Layer>,
    pub from: Option<Version>,
    pub to: Option<Version>,
    /// The versions the phase moves its layer through, in order: one change (per batch)
    /// each, validated before the next. Empty for a hold or a retirement.
    pub hops: Vec<Version>,
    pub first_day: Date,
    pub last_day: Date,
    /// The phase's first and last window (1-based; 0 when it books none), counted from the
    /// start of its calendar (in a fleet, of the environment's own work).
    pub windows: (u64, u64),
    pub steps: Option<&'c PhaseSteps>,
    /// For node pools kept within the kubelet skew: how many minors the nodes trail the
    /// control planes once the phase is done, and the limit.
    pub skew: Option<(u32, u32)>,
    /// Whether, how and until when the phase can be undone.
    pub rollback: RollbackRule,
    /// For a phase of one batch of clusters per window: which window takes which batch.
    pub batches: Option<Batches>,
}

/// The most batches listed one by one; a longer phase says how the rest follow.
pub const BATCH_ROWS: u64 = 52;

/// The batches of `phase`, when it takes one batch of clusters per window.
fn batches_of(basis: &CalendarBasis, phase: &Phase) -> Option<Batches> {
    let (first, last) = (phase.first_window, phase.last_window);
    if !phase.rotation.is_empty() {
        let rotating = phase
            .rotation
            .iter()
            .position(|w| w.retired_on.is_none())
            .map(|m| phase.rotation.len().saturating_sub(m).max(1) as u64);
        let rows = phase.rotation.iter().take(BATCH_ROWS as usize);
        return Some(Batches {
            clusters_per_window: basis.clusters_per_window,
            rows: rows
                .map(|w| BatchRow {
                    batch: w.wave,
                    window: w.window,
                    first_day: w.day,
                    last_day: w.day,
                    clusters: w.clusters,
                    old_side_until: w.held_until,
                    retired_on: w.retired_on,
                })
                .collect(),
            more: (phase.rotation.len() as u64).saturating_sub(BATCH_ROWS),
            last_window: last,
            rotating,
        });
    }
    let per_batch = !phase.shared
        && basis.batches > 1
        && matches!(phase.kind, PhaseKind::InPlace | PhaseKind::Wave)
        && first > 0
        && last - first + 1 == basis.batches;
    if !per_batch {
        return None;
    }
    let rows = phase
        .windows
        .iter()
        .zip(0..basis.batches.min(BATCH_ROWS))
        .map(|(&date, i)| BatchRow {
            batch: i + 1,
            window: first + i,
            first_day: date,
            last_day: date,
            clusters: basis
                .clusters
                .saturating_sub(i.saturating_mul(basis.clusters_per_window))
                .min(basis.clusters_per_window),
            old_side_until: None,
            retired_on: None,
        })
        .collect();
    Some(Batches {
        clusters_per_window: basis.clusters_per_window,
        rows,
        more: basis.batches.saturating_sub(BATCH_ROWS),
        last_window: last,
        rotating: None,
    })
}

/// The phases of `timeline` (the recommended strategy's, as the report or the fleet dates
/// it) in calendar order, tied to their layers, versions, steps and rollback rules.
pub fn schedule<'c>(report: &Report<'c>, timeline: &Timeline) -> Vec<Planned<'c>> {
    let a = &report.assessment;
    let strategy = timeline.strategy;
    let checklist = report.source;
    let by_role = |role: LayerRole| checklist.layers.iter().find(|l| l.role == role);
    let workload = by_role(LayerRole::Workload);
    let control_plane = by_role(LayerRole::ControlPlane);
    let plan_of = |id: &str| a.layers.iter().find(|p| p.id == id);
    // The shared layers that change in place, in the order the calendar does them.
    let mut shared = checklist.layers.iter().filter(|l| {
        l.role == LayerRole::Shared
            && plan_of(&l.id).is_some_and(|p| {
                p.method == crate::scoring::layers::Method::InPlace && !p.steps.is_empty()
            })
    });
    let stops: Vec<Version> = workload
        .and_then(|l| plan_of(&l.id))
        .map(|p| p.steps.clone())
        .unwrap_or_default();
    let max_skew = control_plane.and_then(|l| l.max_skew);
    let batches = a.calendar.batches.max(1);
    let mut hops = a.path.hops.iter().copied();
    let (mut control, mut nodes) = (a.path.from, a.path.from);
    // Node pools move at the skew stops (waves, or in-place upgrades of trailing nodes).
    let mut node_moves = 0usize;
    let mut out = Vec::new();
    for phase in &timeline.phases {
        let (layer, from, to, steps) = match phase.kind {
            PhaseKind::InPlace if phase.shared => {
                let layer = shared.next();
                let p = layer.and_then(|l| plan_of(&l.id));
                (
                    layer,
                    p.and_then(|p| p.from),
                    p.and_then(|p| p.to),
                    p.map(|p| p.steps.clone()).unwrap_or_default(),
                )
            }
            PhaseKind::InPlace
                if control_plane.is_some()
                    && workload.is_some_and(|w| phase.layer.as_deref() == Some(w.id.as_str())) =>
            {
                // Node pools upgraded in place at a skew stop, behind the control planes.
                let stop = stops.get(node_moves).copied().unwrap_or(control);
                node_moves += 1;
                let from = nodes;
                nodes = stop;
                (workload, Some(from), Some(stop), vec![stop])
            }
            PhaseKind::InPlace => {
                // Each batch takes the same group of hops, so the group is changes / batches.
                let group = usize::try_from(phase.changes / batches).unwrap_or(usize::MAX);
                let from = control;
                let taken: Vec<Version> = hops.by_ref().take(group.max(1)).collect();
                if let Some(&last) = taken.last() {
                    control = last;
                }
                // The nodes follow in the same change unless they trail (phases of their own).
                let own_node_phases = timeline.phases.iter().any(|p| {
                    p.kind == PhaseKind::InPlace
                        && workload.is_some_and(|w| p.layer.as_deref() == Some(w.id.as_str()))
                });
                if control_plane.is_none() || (strategy == Strategy::Sequential && !own_node_phases)
                {
                    nodes = control;
                }
                (control_plane.or(workload), Some(from), Some(control), taken)
            }
            PhaseKind::Wave => {
                let stop = stops.get(node_moves).copied().unwrap_or(a.path.to);
                node_moves += 1;
                let from = nodes;
                nodes = stop;
                (workload, Some(from), Some(stop), vec![stop])
            }
            // A build creates the whole new side, every layer at once.
            PhaseKind::Build => (None, Some(a.path.from), Some(a.path.to), vec![a.path.to]),
            PhaseKind::Rollback | PhaseKind::Decommission => (workload, None, None, Vec::new()),
        };
        // During a wave the old nodes still run beside the new ones: their lag is the one
        // before it; after an in-place phase, the lag it leaves.
        let trailing = match phase.kind {
            PhaseKind::Wave => from.unwrap_or(nodes),
            _ => nodes,
        };
        let skew = max_skew
            .filter(|_| matches!(phase.kind, PhaseKind::InPlace | PhaseKind::Wave) && !phase.shared)
            .map(|max| (control.minor.saturating_sub(trailing.minor), max));
        out.push(Planned {
            number: out.len() + 1,
            phase: phase.clone(),
            layer,
            from,
            to,
            hops: steps,
            first_day: phase.first_day,
            last_day: phase.last_day,
            windows: (phase.first_window, phase.last_window),
            steps: checklist.runbook.steps_when(
                phase.kind,
                layer.map(|l| l.id.as_str()),
                strategy,
                &|q| report.answers.get(q),
            ),
            skew,
            rollback: RollbackRule::default(),
            batches: batches_of(&a.calendar, phase),
        });
    }
    with_rollback_rules(report, out)
}

impl<'c> Report<'c> {
    /// The recommended strategy's phases, dated on the report's calendar.
    pub fn schedule(&self) -> Vec<Planned<'c>> {
        let a = &self.assessment;
        a.timeline_of(a.recommendation.strategy)
            .map_or_else(Vec::new, |t| schedule(self, t))
    }
}

/// Each phase's rollback rule, which looks at the phases around it.
pub fn with_rollback_rules<'c>(
    report: &Report<'c>,
    mut phases: Vec<Planned<'c>>,
) -> Vec<Planned<'c>> {
    let rules: Vec<RollbackRule> = phases
        .iter()
        .map(|p| rollback_rule(report, p, &phases))
        .collect();
    for (p, rule) in phases.iter_mut().zip(rules) {
        p.rollback = rule;
    }
    phases
}

fn rollback_rule(report: &Report, p: &Planned, phases: &[Planned]) -> RollbackRule {
    let layer = p.layer.map_or("the layer", |l| l.name.as_str());
    // The first data step says how, when the checklist gives one.
    let data = p
        .steps
        .and_then(|s| s.rollback.first())
        .map(|s| s.text.clone());
    let day_before = |kind: PhaseKind| {
        phases
            .iter()
            .find(|q| q.phase.kind == kind)
            .map(|q| q.first_day.plus_days(-1))
    };
    let stateful = report
        .source
        .evidence
        .stateful_workloads
        .as_deref()
        .and_then(|q| report.answers.get(q))
        .map(ToString::to_string)
        .filter(|v| v != "none");
    // How the data moved with a cut-over comes back: the answered choice that says so.
    let data_rollback = stateful.as_ref().and_then(|_| {
        report.source.questions.iter().find_map(|q| {
            let value = report.answers.get(&q.id)?;
            q.choice_of(value)?.rollback.as_ref()
        })
    });
    match p.phase.kind {
        PhaseKind::InPlace => {
            let how = data.unwrap_or_else(|| {
                "Restore from the backup taken before the change, or fix forward".to_string()
            });
            RollbackRule {
                possible: "no",
                rule: format!(
                    "This in-place upgrade ({layer}) cannot be rolled back once it has started."
                ),
                how,
                until: "not after the change starts".to_string(),
                cost: format!(
                    "{layer}: down or degraded while restored; the window's work is lost"
                ),
                point_of_no_return: Some(p.first_day),
                before: None,
            }
        }
        PhaseKind::Build => {
            let until = day_before(PhaseKind::Wave)
                .map_or("until the first wave".to_string(), |d| {
                    format!("until {d}, before the first wave")
                });
            let how = data
                .unwrap_or_else(|| "Discard what was built; nothing has moved to it".to_string());
            RollbackRule {
                possible: "yes",
                rule: "Nothing has moved yet, so the build can be discarded.".to_string(),
                how,
                until,
                cost: "The build effort; the capacity it held is freed".to_string(),
                point_of_no_return: None,
                before: None,
            }
        }
        PhaseKind::Wave | PhaseKind::Rollback => {
            // Old nodes can take the workloads back only while the control planes have not
            // moved on past them (the kubelet skew); the old side, only until it is retired.
            let moved_on = phases
                .iter()
                .find(|q| q.number > p.number && q.phase.kind == PhaseKind::InPlace)
                .map(|q| q.first_day.plus_days(-1));
            // The retirement of this wave's old side: the first after it (a capacity
            // rotation retires each wave's old clusters before a later wave).
            let retired = phases
                .iter()
                .find(|q| q.number > p.number && q.phase.kind == PhaseKind::Decommission)
                .map(|q| q.first_day.plus_days(-1));
            let until = match (moved_on, retired) {
                (Some(m), Some(r)) if m < r => format!(
                    "until {m}, before the control planes are upgraded again and the old nodes fall out of the kubelet skew"
                ),
                (_, Some(r)) => format!("until {r}, the day before it is retired"),
                (Some(m), None) => {
                    format!("until {m}, before the control planes are upgraded again")
                }
                (None, None) => "while the old side runs".to_string(),
            };
            let how = data.unwrap_or_else(|| {
                "Shift traffic back to the old side, which keeps running".to_string()
            });
            // Node pools move within their cluster: the pods drain back, the data stays.
            let node_pools = report
                .source
                .layers
                .iter()
                .any(|l| l.role == LayerRole::ControlPlane);
            let mut cost = if node_pools {
                "A second drain, back onto the old nodes, and a new window for the move"
            } else {
                "A traffic shift back and a new window for the move"
            }
            .to_string();
            if let Some(v) = stateful.filter(|_| !node_pools) {
                cost.push_str(&format!(
                    "; data written on the new side since the move must be copied back (stateful workloads: {v})"
                ));
            }
            // Across clusters the data moves with the cut-over: once writes land on the new
            // side, the way back follows the data, and may end at the cut-over itself.
            let data = data_rollback.filter(|_| !node_pools);
            let cut_over = match p.phase.kind {
                PhaseKind::Wave => Some(p.first_day),
                _ => phases
                    .iter()
                    .rev()
                    .find(|q| q.number < p.number && q.phase.kind == PhaseKind::Wave)
                    .map(|q| q.first_day),
            };
            match (data, cut_over) {
                (Some(d), Some(day)) if d.point_of_no_return && p.phase.kind == PhaseKind::Wave => {
                    let each = if p.phase.windows.len() > 1 {
                        format!("each batch's cut-over (its window, from {day})")
                    } else {
                        format!("the cut-over ({day})")
                    };
                    RollbackRule {
                        possible: "until the cut-over",
                        rule: format!(
                            "Until writes land on the new side at {each}, the traffic can move back as below; after that, shifting it back is not a rollback: {}",
                            lower_first(&d.how)
                        ),
                        how: d.how.clone(),
                        until: each,
                        cost,
                        point_of_no_return: Some(day),
                        before: Some(d.before.clone()),
                    }
                }
                (Some(d), Some(day)) if d.point_of_no_return => RollbackRule {
                    possible: "only with the data",
                    rule: format!(
                        "The old side still runs, but the writes since the cut-over are only on the new side: {}",
                        lower_first(&d.how)
                    ),
                    how: d.how.clone(),
                    until,
                    cost,
                    point_of_no_return: Some(day),
                    before: None,
                },
                (Some(d), _) => RollbackRule {
                    possible: "yes",
                    rule: format!(
                        "The old side still runs and the data can go back, so this can be undone {until}."
                    ),
                    how: d.how.clone(),
                    until,
                    cost,
                    point_of_no_return: None,
                    before: Some(d.before.clone()),
                },
                _ => RollbackRule {
                    possible: "yes",
                    rule: format!("The old side still runs, so this can be undone {until}."),
                    how,
                    until,
                    cost,
                    point_of_no_return: None,
                    before: None,
                },
            }
        }
        PhaseKind::Decommission => {
            let how = data.unwrap_or_else(|| {
                "Rebuild the old side from code and backups; this is a new project, not a rollback"
                    .to_string()
            });
            RollbackRule {
                possible: "no",
                rule: "Once the old side is retired there is nothing to go back to.".to_string(),
                how,
                until: "not after the retirement starts".to_string(),
                cost: "A full rebuild".to_string(),
                point_of_no_return: Some(p.first_day),
                before: None,
            }
        }
    }
}
