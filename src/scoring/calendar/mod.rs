//! The calendar of each strategy: which phases it needs, in which change windows, and on which
//! dates (from the facts' change calendar, freezes skipped); when production runs the target
//! and when the programme closes; how many of its changes are risky. All counts saturate
//! instead of wrapping.

pub mod dates;
mod layout;
mod rotation;
pub mod timeline;

use layout::{Schedule, What};
use timeline::Timeline;

use super::facts::Facts;
use crate::base::text::plural;
use crate::checklist::model::Checklist;
use crate::checklist::model::Layer;
use crate::checklist::raw::LayerRole;
use crate::checklist::raw::PhaseKind;
use crate::checklist::strategy::Strategy;
use crate::kube::version::Version;

/// The hops, in groups that one window can take for one batch of clusters.
fn hop_groups(hops: &[Version], per_window: u64) -> impl Iterator<Item = &[Version]> {
    hops.chunks(usize::try_from(per_window).unwrap_or(usize::MAX).max(1))
}

/// The versions the nodes are upgraded or replaced at when a control plane moves hop by hop
/// and the nodes follow as few times as the kubelet skew allows: never more than `max_skew`
/// minors behind it, and the target at the end.
pub fn node_pool_stops(hops: &[Version], max_skew: u32) -> Vec<Version> {
    hops.chunks(usize::try_from(max_skew).unwrap_or(usize::MAX).max(1))
        .filter_map(|chunk| chunk.last().copied())
        .collect()
}

/// Whether a sequential plan keeps the node pools behind the control planes (within the
/// kubelet skew) and drains them only at the skew stops: when the checklist has control
/// planes and the applications do not ride through restarts.
pub fn nodes_trail(facts: &Facts) -> bool {
    facts.max_skew.is_some() && !facts.restarts_tolerated
}

fn shared_phases(checklist: &Checklist, facts: &Facts, schedule: &mut Schedule) {
    for path in &facts.shared {
        let layer = &checklist.layers[path.layer];
        let name = || format!("{} {} to {} in place", layer.name, path.from, path.to);
        let what = What {
            kind: PhaseKind::InPlace,
            layer: Some(&layer.id),
            changes: path.steps.len() as u64,
            shared: true,
        };
        schedule.packed(name, what);
    }
}

fn layer_of(checklist: &Checklist, role: LayerRole) -> Option<&Layer> {
    checklist.layers.iter().find(|l| l.role == role)
}

fn workload_name(checklist: &Checklist) -> &str {
    layer_of(checklist, LayerRole::Workload).map_or("Workload clusters", |l| l.name.as_str())
}

/// One change per batch for each hop group (or each node-pool step): one batch a window when
/// there are several, else packed with the in-place changes before.
fn per_batch(
    schedule: &mut Schedule,
    facts: &Facts,
    label: impl FnOnce(&str) -> String,
    layer: Option<&str>,
    steps: u64,
) {
    let in_batches = plural(facts.batches, "batch", "batches");
    let what = What {
        kind: PhaseKind::InPlace,
        layer,
        changes: facts.batches.saturating_mul(steps),
        shared: false,
    };
    if facts.batches == 1 {
        schedule.packed(|| label(&in_batches), what);
    } else {
        schedule.windows(|| label(&in_batches), what, facts.batches);
    }
}

/// In-place hops of the workload (or control-plane) layer for every batch: one batch a
/// window, up to `changes_per_window` hops of that batch in it.
fn batched_hops(
    schedule: &mut Schedule,
    facts: &Facts,
    (name, layer): (&str, Option<&str>),
    hops: &[Version],
    suffix: &str,
) {
    for group in hop_groups(hops, facts.changes_per_window) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let to = if first == last {
            last.to_string()
        } else {
            format!("{first}-{last}")
        };
        let label = |batches: &str| format!("{name} to {to}{suffix} ({batches})");
        per_batch(schedule, facts, label, layer, group.len() as u64);
    }
}

pub fn sequential(checklist: &Checklist, facts: &Facts) -> Timeline {
    sequential_plan(checklist, facts, true)
}

fn sequential_plan(checklist: &Checklist, facts: &Facts, record: bool) -> Timeline {
    let mut s = Schedule::new(facts.changes_per_window, record);
    shared_phases(checklist, facts, &mut s);
    let workload = layer_of(checklist, LayerRole::Workload);
    let control_plane = layer_of(checklist, LayerRole::ControlPlane);
    match (control_plane, facts.max_skew) {
        (Some(cp), Some(skew)) if nodes_trail(facts) => {
            // The control planes hop by hop; the node pools follow only at the skew stops, so
            // the applications are drained as few times as the kubelet skew allows.
            let pools = workload.map_or("node pools".to_string(), |l| l.name.to_lowercase());
            let skew = usize::try_from(skew).unwrap_or(usize::MAX).max(1);
            for chunk in facts.hops.chunks(skew) {
                batched_hops(&mut s, facts, (&cp.name, Some(&cp.id)), chunk, " in place");
                let Some(stop) = chunk.last() else { continue };
                let label =
                    |batches: &str| format!("Upgrade {pools} in place to {stop} ({batches})");
                per_batch(&mut s, facts, label, workload.map(|l| l.id.as_str()), 1);
            }
        }
        (Some(cp), _) => {
            // Applications ride through restarts: the nodes follow the control plane at every
            // hop, in the same change.
            let name = match workload {
                Some(w) => format!("{} and {}", cp.name, w.name.to_lowercase()),
                None => cp.name.clone(),
            };
            batched_hops(&mut s, facts, (&name, Some(&cp.id)), &facts.hops, "");
        }
        (None, _) => {
            let layer = workload.map(|l| l.id.as_str());
            batched_hops(
                &mut s,
                facts,
                (workload_name(checklist), layer),
                &facts.hops,
                "",
            );
        }
    }
    s.finish(Strategy::Sequential, 0)
}

pub fn blue_green(checklist: &Checklist, facts: &Facts) -> Timeline {
    blue_green_plan(checklist, facts, true)
}

fn wave(layer: Option<&str>, batches: u64) -> What<'_> {
    What {
        kind: PhaseKind::Wave,
        layer,
        changes: batches,
        shared: false,
    }
}

fn blue_green_plan(checklist: &Checklist, facts: &Facts, record: bool) -> Timeline {
    let cal = &checklist.calendar;
    let mut s = Schedule::new(facts.changes_per_window, record);
    let build = u64::from(cal.blue_green_build_changes);
    let build_what = What {
        kind: PhaseKind::Build,
        layer: None,
        changes: build,
        shared: false,
    };
    s.windows(
        || format!("Build Green at {}", facts.to),
        build_what,
        build.div_ceil(facts.changes_per_window),
    );
    let workload = layer_of(checklist, LayerRole::Workload).map(|l| l.id.as_str());
    let retire = u64::from(cal.blue_green_decommission_changes);
    let peak = rotation::cluster_waves(
        &mut s,
        facts,
        workload,
        &|waves| format!("Move to Green ({waves})"),
        (retire, cal.retire_in_window),
    );
    let last = last_waves(facts);
    hold_then_retire(
        &mut s,
        checklist,
        facts,
        (&format!("Blue{last}"), &format!("Decommission Blue{last}")),
        retire,
    );
    let mut t = s.finish(Strategy::BlueGreen, facts.rollback_hold_days);
    t.peak_extra_clusters = peak;
    t
}

pub fn hybrid(checklist: &Checklist, facts: &Facts) -> Timeline {
    hybrid_plan(checklist, facts, true)
}

fn hybrid_plan(checklist: &Checklist, facts: &Facts, record: bool) -> Timeline {
    let cal = &checklist.calendar;
    let mut s = Schedule::new(facts.changes_per_window, record);
    shared_phases(checklist, facts, &mut s);
    let workload = workload_name(checklist).to_lowercase();
    let workload_id = layer_of(checklist, LayerRole::Workload).map(|l| l.id.as_str());
    let waves = |n: u64| plural(n, "wave", "waves");
    // Extra clusters at once: none while node pools are replaced inside the clusters.
    let mut whole_clusters = 0;
    // After a capacity rotation, only the last waves' old clusters are left to hold.
    let mut rotated = String::new();
    match (layer_of(checklist, LayerRole::ControlPlane), facts.max_skew) {
        (Some(cp), Some(skew)) if !facts.hops.is_empty() => {
            // The control plane moves hop by hop; the nodes are replaced before they fall
            // more than `skew` minors behind it.
            let skew = usize::try_from(skew).unwrap_or(usize::MAX).max(1);
            for chunk in facts.hops.chunks(skew) {
                batched_hops(&mut s, facts, (&cp.name, Some(&cp.id)), chunk, " in place");
                let Some(stop) = chunk.last() else { continue };
                s.windows(
                    || format!("Replace {workload} at {stop} ({})", waves(facts.batches)),
                    wave(workload_id, facts.batches),
                    facts.batches,
                );
            }
        }
        _ => {
            // Whole workload clusters are replaced (node pools only when the checklist has
            // a control plane, and then there are no hops to take).
            let retire = (
                u64::from(cal.hybrid_decommission_changes),
                cal.retire_in_window,
            );
            let name = |waves: &str| format!("Replace {workload} at {} ({waves})", facts.to);
            let peak = rotation::cluster_waves(&mut s, facts, workload_id, &name, retire);
            rotated = last_waves(facts);
            if layer_of(checklist, LayerRole::ControlPlane).is_none() {
                whole_clusters = peak;
            }
        }
    }
    let retire = u64::from(cal.hybrid_decommission_changes);
    let old = format!("the old {workload}{rotated}");
    let retire_name = format!("Retire the old {workload}{rotated}");
    hold_then_retire(&mut s, checklist, facts, (&old, &retire_name), retire);
    let mut t = s.finish(Strategy::Hybrid, facts.rollback_hold_days);
    t.peak_extra_clusters = whole_clusters;
    t
}

/// " of the last wave(s)" when the waves rotate through a limited capacity: the old side
/// left after the last cut-over is only theirs.
fn last_waves(facts: &Facts) -> String {
    match facts.waves_at_once() {
        Some(1) => " of the last wave".to_string(),
        Some(m) => format!(" of the last {m} waves"),
        None => String::new(),
    }
}

/// The end of every parallel plan: the old side kept untouched for the rollback hold (days,
/// not windows), so traffic can move back, and only then retired: a low-risk change done
/// when the hold ends, in a change window of its own only when the checklist says so.
fn hold_then_retire(
    s: &mut Schedule,
    checklist: &Checklist,
    facts: &Facts,
    (old_side, retire_name): (&str, &str),
    retire_changes: u64,
) {
    let workload = layer_of(checklist, LayerRole::Workload).map(|l| l.id.as_str());
    if facts.rollback_hold_days > 0 {
        let hold = What {
            kind: PhaseKind::Rollback,
            layer: workload,
            changes: 0,
            shared: false,
        };
        let days = plural(u64::from(facts.rollback_hold_days), "day", "days");
        s.outside_windows(|| format!("Keep {old_side} for rollback ({days})"), hold);
    }
    if retire_changes == 0 {
        return;
    }
    let retire = What {
        kind: PhaseKind::Decommission,
        layer: workload,
        changes: retire_changes,
        shared: false,
    };
    if checklist.calendar.retire_in_window {
        s.windows(
            || retire_name.to_string(),
            retire,
            retire_changes.div_ceil(facts.changes_per_window),
        );
    } else {
        s.outside_windows(|| retire_name.to_string(), retire);
    }
}

/// The plan of `strategy` in window numbers, undated.
fn plan(checklist: &Checklist, facts: &Facts, strategy: Strategy, record: bool) -> Timeline {
    match strategy {
        Strategy::Sequential => sequential_plan(checklist, facts, record),
        Strategy::BlueGreen => blue_green_plan(checklist, facts, record),
        Strategy::Hybrid => hybrid_plan(checklist, facts, record),
    }
}

/// What the decision weighs of a strategy's plan, without building phase names or dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    /// Windows until production runs the target everywhere.
    pub windows_to_target: u64,
    pub risky_changes: u64,
}

impl Cost {
    /// Whether this plan runs production on the target sooner than `other`, or as soon with
    /// fewer risky production changes. Window counts compare like dates: both plans are
    /// dated on the same calendar from the same start.
    pub fn beats(self, other: Cost) -> bool {
        (self.windows_to_target, self.risky_changes)
            < (other.windows_to_target, other.risky_changes)
    }
}

pub fn cost(checklist: &Checklist, facts: &Facts, strategy: Strategy) -> Cost {
    let t = plan(checklist, facts, strategy, false);
    Cost {
        windows_to_target: t.windows_to_target,
        risky_changes: t.risky_changes,
    }
}
